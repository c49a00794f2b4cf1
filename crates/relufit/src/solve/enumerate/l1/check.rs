//! The independent check of an `abs` leaf's dual certificate: from the original data only.

use super::IntData;
use crate::num::{Int, Rational};
use crate::solve::enumerate::leaf::Item;

/// `block += f h` in checked `i128`.
fn add_scaled(block: &mut [i128], f: i128, h: &[i128]) -> Option<()> {
    for (s, &hv) in block.iter_mut().zip(h) {
        *s = s.checked_add(f.checked_mul(hv)?)?;
    }
    Some(())
}

/// Check a dual vector of the `abs` leaf exactly, from the original data (independently of
/// the simplex that produced it): `u_i = L_i U_i / D` with `|u_i| <= 1` per covered point,
/// `v_r = V_r / D >= 0`, and `sum_i u_i a_i + sum_r v_r g_r = 0`. Returns the lower bound
/// `sum_i u_i y_i` on the leaf's LP optimum that it proves (weak duality, module docs).
pub fn check_dual(
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
    let mut sum = vec![0i128; p];
    let mut bound: i128 = 0;
    for (&i, &u) in covered.iter().zip(uu) {
        if u == 0 {
            continue;
        }
        if u.checked_mul(data.l[i]).ok_or_else(overflow)?.abs() > dd {
            return Err(format!("|u| > 1 at point {i}"));
        }
        // u'_i A_i with A_i = sum_{j : i in P_j} s_j h_i.
        for (j, it) in items.iter().enumerate() {
            if it.bits[i / 64] >> (i % 64) & 1 == 1 {
                let f = u.checked_mul(i128::from(it.sign)).ok_or_else(overflow)?;
                add_scaled(&mut sum[j * (d + 1)..(j + 1) * (d + 1)], f, &data.h[i])
                    .ok_or_else(overflow)?;
            }
        }
        let term = u
            .checked_mul(data.l[i])
            .and_then(|v| v.checked_mul(data.ys[i]))
            .ok_or_else(overflow)?;
        bound = bound.checked_add(term).ok_or_else(overflow)?;
    }
    for (j, it) in items.iter().enumerate() {
        for i in 0..n {
            let v = vv[j * n + i];
            if v < 0 {
                return Err(format!("negative multiplier for neuron {j}, point {i}"));
            }
            if v == 0 {
                continue;
            }
            let f = if it.bits[i / 64] >> (i % 64) & 1 == 1 {
                v
            } else {
                -v
            };
            add_scaled(&mut sum[j * (d + 1)..(j + 1) * (d + 1)], f, &data.h[i])
                .ok_or_else(overflow)?;
        }
    }
    if sum.iter().any(|&s| s != 0) {
        return Err("the multipliers do not combine the columns to zero".into());
    }
    let den = dd.checked_mul(data.yden).ok_or_else(overflow)?;
    Ok(Rational::from_parts_signed(
        Int::from(bound),
        Int::from(den),
    ))
}
