//! The dual of an `abs` leaf (`p = k (d + 1)` equality rows) as an LP for the float simplex
//! family's bounded-variable member, and the exact answers rebuilt from its basis (see the
//! parent module).

use super::{check_dual, IntData};
use crate::lp::float::bounded::{BoundedSimplex, Breakdown, Position};
use crate::num::{Int, Rational};
use crate::solve::enumerate::leaf::Item;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `u_i` (point index), in `[-1/L_i, 1/L_i]` (scaled units, see [`Dual`]).
    U(usize),
    /// `v_r` (no upper bound).
    V,
    /// Artificial column, fixed at 0.
    Art,
}

/// The leaf's dual LP, solved by the float simplex family's bounded-variable member
/// ([`BoundedSimplex`]), with its integer columns on demand for the exact side. The
/// multiplier of point `i` is kept as `u'_i = u_i / L_i` so that its column
/// `A_i = sum_{j : i in P_j} s_j h_i` is integral; its bounds are `+-1 / L_i`.
pub(super) struct Dual<'a> {
    data: &'a IntData,
    pub(super) p: usize,
    /// Dimension of the data.
    d: usize,
    /// Output sign of each neuron.
    signs: Vec<i128>,
    /// Per covered point: the neurons active at it (bits).
    active: Vec<u32>,
    /// Index of the first artificial column.
    first_art: usize,
    kind: Vec<Kind>,
    simplex: BoundedSimplex,
    /// Covered points; the `u` column of `covered[q]` is column `q`.
    covered: Vec<usize>,
    /// `v` columns: (neuron, point, +1 if the point is inside the pattern); only the rows of
    /// each pattern's support ([`Item::support`]): the others are implied by them.
    vinfo: Vec<(usize, usize, bool)>,
}

/// Reusable vectors of [`Dual`], one set per thread (the simplex keeps its own).
#[derive(Default)]
struct Buffers {
    covered: Vec<usize>,
    active: Vec<u32>,
    kind: Vec<Kind>,
    vinfo: Vec<(usize, usize, bool)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

impl Drop for Dual<'_> {
    fn drop(&mut self) {
        let b = Buffers {
            covered: std::mem::take(&mut self.covered),
            active: std::mem::take(&mut self.active),
            kind: std::mem::take(&mut self.kind),
            vinfo: std::mem::take(&mut self.vinfo),
        };
        SCRATCH.with(|s| *s.borrow_mut() = b);
    }
}

impl<'a> Dual<'a> {
    pub(super) fn new(data: &'a IntData, d: usize, items: &[&Item]) -> Dual<'a> {
        let k = items.len();
        let p = k * (d + 1);
        let n = data.h.len();
        let inside = |it: &Item, i: usize| it.bits[i / 64] >> (i % 64) & 1 == 1;
        let mut b = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let mut covered = std::mem::take(&mut b.covered);
        let mut active = std::mem::take(&mut b.active);
        covered.clear();
        active.clear();
        for i in 0..n {
            let mask = items
                .iter()
                .enumerate()
                .filter(|(_, it)| inside(it, i))
                .fold(0u32, |m, (j, _)| m | 1 << j);
            if mask != 0 {
                covered.push(i);
                active.push(mask);
            }
        }
        let ncov = covered.len();
        let rows: usize = items
            .iter()
            .map(|it| it.support.as_ref().map_or(n, Vec::len))
            .sum();
        let first_art = ncov + rows;
        let mut simplex = BoundedSimplex::new(p, first_art + p);
        let mut kind = std::mem::take(&mut b.kind);
        kind.clear();
        let signs: Vec<f64> = items.iter().map(|it| f64::from(it.sign)).collect();
        for (col, (&i, &mask)) in covered.iter().zip(&active).enumerate() {
            let li = data.l[i] as f64;
            kind.push(Kind::U(i));
            simplex.set_column(col, data.yf[i] * li, -1.0 / li, 1.0 / li, Position::Zero);
            for (j, sj) in signs.iter().enumerate() {
                if mask >> j & 1 == 1 {
                    for (t, &hv) in data.hf[i].iter().enumerate() {
                        simplex.set_entry(j * (d + 1) + t, col, sj * hv);
                    }
                }
            }
        }
        let mut vinfo = std::mem::take(&mut b.vinfo);
        vinfo.clear();
        for (j, it) in items.iter().enumerate() {
            let support = it.support.as_deref();
            for q in 0..support.map_or(n, <[usize]>::len) {
                let i = support.map_or(q, |s| s[q]);
                let ins = inside(it, i);
                let col = kind.len();
                kind.push(Kind::V);
                simplex.set_column(col, 0.0, 0.0, f64::INFINITY, Position::Lower);
                vinfo.push((j, i, ins));
                let sign = if ins { 1.0 } else { -1.0 };
                for (t, &hv) in data.hf[i].iter().enumerate() {
                    simplex.set_entry(j * (d + 1) + t, col, sign * hv);
                }
            }
        }
        for t in 0..p {
            kind.push(Kind::Art);
            simplex.set_column(first_art + t, 0.0, 0.0, 0.0, Position::Lower);
            simplex.set_entry(t, first_art + t, 1.0);
            simplex.set_basic(t, first_art + t, 0.0);
        }
        Dual {
            data,
            p,
            d,
            signs: items.iter().map(|it| i128::from(it.sign)).collect(),
            active,
            first_art,
            kind,
            simplex,
            covered,
            vinfo,
        }
    }

    /// Column `c` of the constraint matrix, in integers.
    fn col(&self, c: usize) -> Vec<i128> {
        let (p, w) = (self.p, self.d + 1);
        let mut out = vec![0i128; p];
        match self.kind[c] {
            Kind::U(i) => {
                let mask = self.active[c];
                for (j, &sj) in self.signs.iter().enumerate() {
                    if mask >> j & 1 == 1 {
                        for (t, &hv) in self.data.h[i].iter().enumerate() {
                            out[j * w + t] = sj * hv;
                        }
                    }
                }
            }
            Kind::V => {
                let (j, i, ins) = self.vinfo[c - self.covered.len()];
                for (t, &hv) in self.data.h[i].iter().enumerate() {
                    out[j * w + t] = if ins { hv } else { -hv };
                }
            }
            Kind::Art => out[c - self.first_art] = 1,
        }
        out
    }

    /// The dual objective (in floats) of the current basis.
    pub(super) fn objective(&self) -> f64 {
        self.simplex.objective()
    }

    /// One simplex step. `Ok(false)` at optimality; `Err` if the float run breaks down.
    pub(super) fn step(&mut self, bland: bool) -> Result<bool, Breakdown> {
        self.simplex.step(bland)
    }

    /// The exact dual vector of the current basis: non-basic columns at their exact values
    /// (`u` at `+-1/L_i` or 0, `v` at 0), basic values from `B z_B = -N z_N`. Returns
    /// `(U, V, D)` with `u'_i = U_i / D` per covered point (in [`Dual::covered`] order) and
    /// `v_r = V_r / D`, or `None` if the basis is singular or overflows, or an artificial
    /// column keeps a non-zero value. Bounds are left to [`check_dual`].
    fn exact_dual(&self) -> Option<(Vec<i128>, Vec<i128>, i128)> {
        let p = self.p;
        let data = self.data;
        let ncov = self.covered.len();
        // M = lcm of L_i over the u columns at a bound.
        let mut m: i128 = 1;
        for c in 0..ncov {
            if matches!(self.simplex.position(c), Position::Lower | Position::Upper) {
                m = lcm(m, data.l[self.covered[c]])?;
            }
        }
        // Signed numerators (over M) of the non-basic u values.
        let at_bound = |c: usize| -> Option<i128> {
            let f = m / data.l[self.covered[c]];
            match self.simplex.position(c) {
                Position::Upper => Some(f),
                Position::Lower => Some(-f),
                _ => None,
            }
        };
        let mut rhs = vec![0i128; p];
        for c in 0..ncov {
            let Some(f) = at_bound(c) else { continue };
            for (r, &a) in self.col(c).iter().enumerate() {
                rhs[r] = rhs[r].checked_sub(a.checked_mul(f)?)?;
            }
        }
        let bcols: Vec<Vec<i128>> = self.simplex.basis().iter().map(|&b| self.col(b)).collect();
        let mut aug: Vec<Vec<i128>> = (0..p)
            .map(|r| {
                let mut row: Vec<i128> = bcols.iter().map(|col| col[r]).collect();
                row.push(rhs[r]);
                row
            })
            .collect();
        let (z, den) = solve_augmented(&mut aug)?;
        // B z_B = rhs / M and the solve gives z_B M = z / den: z_B = z / D with D = den M.
        let dd = den.checked_mul(m)?;
        let mut uu = vec![0i128; ncov];
        for (c, u) in uu.iter_mut().enumerate() {
            if let Some(f) = at_bound(c) {
                *u = den.checked_mul(f)?;
            }
        }
        let n = data.h.len();
        let mut vv = vec![0i128; self.signs.len() * n];
        for (r, &b) in self.simplex.basis().iter().enumerate() {
            match self.kind[b] {
                Kind::U(_) => uu[b] = z[r],
                Kind::V => {
                    let (j, i, _) = self.vinfo[b - ncov];
                    vv[j * n + i] = z[r];
                }
                Kind::Art if z[r] != 0 => return None,
                Kind::Art => {}
            }
        }
        Some((uu, vv, dd))
    }

    /// The exact simplex multipliers `theta` with `B^T theta = c_B`.
    pub(super) fn exact_theta(&self) -> Option<Vec<Rational>> {
        let data = self.data;
        let mut aug: Vec<Vec<i128>> = Vec::with_capacity(self.p);
        for &b in self.simplex.basis() {
            let mut row = self.col(b);
            row.push(match self.kind[b] {
                Kind::U(i) => data.l[i].checked_mul(data.ys[i])?,
                _ => 0,
            });
            aug.push(row);
        }
        let (z, den) = solve_augmented(&mut aug)?;
        let den = den.checked_mul(data.yden)?;
        Some(
            z.into_iter()
                .map(|v| Rational::from_parts_signed(Int::from(v), Int::from(den)))
                .collect(),
        )
    }

    /// Exact dual vector of the current basis, checked by [`check_dual`]: the bound it proves.
    pub(super) fn certified_bound(&self, items: &[&Item], d: usize) -> Option<Rational> {
        let (uu, vv, dd) = self.exact_dual()?;
        check_dual(self.data, d, items, &self.covered, &uu, &vv, dd).ok()
    }
}

fn lcm(a: i128, b: i128) -> Option<i128> {
    if a == b {
        return Some(a);
    }
    use crate::lp::exact::ExactInt;
    (a / a.gcd(&b)).checked_mul(b)
}

/// Solve the square system `[A | b]` (`n` rows, `n + 1` columns) exactly: `(z, den)` with
/// `x = z / den`, `den > 0` and the gcd of all entries divided out (so `den` need not be
/// `det A`), by the kernel's fraction-free solve
/// ([`crate::lp::exact::solve_square_small`], `i64` first, `i128` on overflow). `None` if
/// singular or if the solution needs big integers (the generic leaf LP decides then).
fn solve_augmented(a: &mut [Vec<i128>]) -> Option<(Vec<i128>, i128)> {
    let n = a.len();
    let mut m = Vec::with_capacity(n * n);
    let mut rhs = Vec::with_capacity(n);
    for row in a.iter() {
        m.extend_from_slice(&row[..n]);
        rhs.push(row[n]);
    }
    let x = crate::lp::exact::solve_square_small(n, &m, &rhs).ok()??;
    Some((x.num, x.den))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};
    use crate::solve::enumerate::l1::{abs_leaf, L1Answer};

    fn item(inside: &[usize], sign: i8) -> Item {
        Item {
            inside: inside.to_vec(),
            bits: crate::solve::enumerate::bounds::bits(inside, 1),
            sign,
            w: vec![int(1)],
            b: int(0),
            support: None,
        }
    }

    #[test]
    fn certificates_are_checked_against_the_data() {
        // d = 1: x = 0..5, labels not affine on the pattern {2, 3, 4, 5}.
        let xs: Vec<Vec<Rational>> = (0..6).map(|v| vec![int(v)]).collect();
        let ys = vec![int(0), int(1), ratio(7, 2), int(2), int(6), int(-1)];
        let data = IntData::new(&xs, &ys).unwrap();
        let a = item(&[2, 3, 4, 5], 1);
        let items = [&a];
        let mut dual = Dual::new(&data, 1, &items);
        while dual.step(false).unwrap() {}
        let (uu, vv, dd) = dual.exact_dual().unwrap();
        let bound = check_dual(&data, 1, &items, &dual.covered, &uu, &vv, dd).unwrap();
        assert!(bound > Rational::ZERO);
        let Some(L1Answer::Optimum { value, .. }) = abs_leaf(&data, 1, &items, None) else {
            panic!("no optimum");
        };
        assert_eq!(value, bound);
        // Corruptions: a multiplier out of its box, a broken combination, a negative v.
        let mut bad = uu.clone();
        bad[0] = dd + 1;
        assert!(check_dual(&data, 1, &items, &dual.covered, &bad, &vv, dd).is_err());
        let mut bad = uu.clone();
        bad[1] -= 1;
        assert!(check_dual(&data, 1, &items, &dual.covered, &bad, &vv, dd).is_err());
        let mut bad = vv.clone();
        bad[0] = -1;
        assert!(check_dual(&data, 1, &items, &dual.covered, &uu, &bad, dd).is_err());
        // A cutoff above the optimum is never cut; one at it is.
        let above = &value + ratio(1, 100);
        assert!(matches!(
            abs_leaf(&data, 1, &items, Some(&above)),
            Some(L1Answer::Optimum { .. })
        ));
        assert!(matches!(
            abs_leaf(&data, 1, &items, Some(&value)),
            Some(L1Answer::Cut)
        ));
    }

    #[test]
    fn edmonds_solve_small_systems() {
        // 2x + y = 5, x - y = 1 -> x = 2, y = 1.
        let mut a = vec![vec![2, 1, 5], vec![1, -1, 1]];
        let (z, det) = solve_augmented(&mut a).unwrap();
        assert_eq!((z[0], z[1]), (2 * det, det));
        // Needs a row swap.
        let mut a = vec![vec![0, 1, 3], vec![2, 0, 4]];
        let (z, det) = solve_augmented(&mut a).unwrap();
        assert_eq!((z[0], z[1]), (2 * det, 3 * det));
        // Singular.
        let mut a = vec![vec![1, 2, 1], vec![2, 4, 2]];
        assert!(solve_augmented(&mut a).is_none());
        // Entries near 2^40: the i64 pass overflows, the i128 pass solves it.
        let big = 1i128 << 40;
        let mut a = vec![vec![big, 1, 3 * big + 1], vec![1, big, big + 3]];
        let (z, det) = solve_augmented(&mut a).unwrap();
        assert_eq!((z[0], z[1]), (3 * det, det));
    }
}
