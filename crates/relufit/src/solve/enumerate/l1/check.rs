//! The independent check of an `abs` leaf's dual certificate: from the original data only,
//! by the exact kernel's one checker ([`crate::lp::exact::combine`]).

use super::IntData;
use crate::lp::exact::{self, Rejected, Row};
use crate::num::{Int, Rational};
use crate::solve::enumerate::leaf::Item;

/// Check a dual vector of the `abs` leaf exactly, from the original data (independently of
/// the simplex that produced it): `u_i = L_i U_i / D` with `|u_i| <= 1` per covered point,
/// `v_r = V_r / D >= 0`, and `sum_i u_i a_i + sum_r v_r g_r = 0`. Returns the lower bound
/// `sum_i u_i y_i` on the leaf's LP optimum that it proves (weak duality, module docs).
///
/// The columns are the kernel checker's rows: `A_i = sum_{j : i in P_j} s_j h_i` (free
/// multiplier `U_i`, right-hand side `L_i y_i`) and `+-h_i` in neuron `j`'s block (multiplier
/// `V >= 0`, right-hand side `0`); they must combine to `0`.
pub(crate) fn check_dual(
    data: &IntData,
    d: usize,
    items: &[&Item],
    covered: &[usize],
    uu: &[i128],
    vv: &[i128],
    dd: i128,
) -> Result<Rational, String> {
    let p = items.len() * (d + 1);
    let n = data.h.len();
    if dd <= 0 || uu.len() != covered.len() || vv.len() != items.len() * n {
        return Err("malformed dual vector".into());
    }
    let overflow = || "overflow".to_string();
    let inside = |it: &Item, i: usize| it.bits[i / 64] >> (i % 64) & 1 == 1;
    // (row, right-hand side, multiplier, free sign)
    let mut rows: Vec<(Vec<i128>, i128, i128, bool)> = Vec::new();
    for (&i, &u) in covered.iter().zip(uu) {
        if u == 0 {
            continue;
        }
        if u.checked_mul(data.l[i]).ok_or_else(overflow)?.abs() > dd {
            return Err(format!("|u| > 1 at point {i}"));
        }
        let mut a = vec![0i128; p];
        for (j, it) in items.iter().enumerate() {
            if inside(it, i) {
                for (s, &h) in a[j * (d + 1)..(j + 1) * (d + 1)].iter_mut().zip(&data.h[i]) {
                    *s = h.checked_mul(i128::from(it.sign)).ok_or_else(overflow)?;
                }
            }
        }
        let rhs = data.l[i].checked_mul(data.ys[i]).ok_or_else(overflow)?;
        rows.push((a, rhs, u, true));
    }
    for (j, it) in items.iter().enumerate() {
        for i in 0..n {
            let v = vv[j * n + i];
            if v == 0 {
                continue;
            }
            let mut g = vec![0i128; p];
            for (s, &h) in g[j * (d + 1)..(j + 1) * (d + 1)].iter_mut().zip(&data.h[i]) {
                *s = if inside(it, i) { h } else { -h };
            }
            rows.push((g, 0, v, false));
        }
    }
    let terms = rows.iter().map(|(a, b, y, free)| {
        (
            Row {
                coeffs: a.as_slice(),
                rhs: b,
                eq: *free,
            },
            y,
        )
    });
    let bound = match exact::combine(p, terms, &dd, &vec![0i128; p]) {
        Ok(b) => b,
        Err(Rejected::Overflow) => return Err(overflow()),
        Err(Rejected::Wrong(why)) => return Err(why),
    };
    let den = dd.checked_mul(data.yden).ok_or_else(overflow)?;
    Ok(Rational::from_parts_signed(
        Int::from(bound),
        Int::from(den),
    ))
}
