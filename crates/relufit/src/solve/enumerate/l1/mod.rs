//! The `abs`-loss ReLU leaf as a small LP: float-guided, exactly certified.
//!
//! With the patterns `P_j` and signs `s_j` fixed (see [`super::leaf`]), the leaf asks for
//! `min_theta F(theta)`, `F(theta) = sum_{i covered} |a_i . theta - y_i|`, over the closed cone
//! `g_r . theta >= 0` (one row per neuron and point: `+(x_i, 1)` in neuron `j`'s block when
//! `i in P_j`, `-(x_i, 1)` otherwise), where `a_i = sum_{j : i in P_j} s_j (x_i, 1)` (in block
//! `j`) and `theta = (w_1, b_1, ..., w_k, b_k)` has `p = k (d + 1)` entries.
//!
//! The generic leaf LP carries one auxiliary variable per covered point, so its certificate
//! needs `(p + n) x (p + n)` exact solves. Here the LP is solved through its dual, which has
//! only `p` equality rows:
//!
//! ```text
//! max  sum_i u_i y_i   s.t.  sum_i u_i a_i + sum_r v_r g_r = 0,  -1 <= u_i <= 1,  v_r >= 0.
//! ```
//!
//! Weak duality (the whole proof of a lower bound): for every `theta` of the cone,
//! `F(theta) >= sum_i u_i (y_i - a_i . theta) = u . y + theta . sum_r v_r g_r >= u . y`.
//!
//! The float simplex family's bounded-variable member (`crate::lp::float::bounded`) solves
//! this dual in `f64` (every `u_i` starts non-basic at `0`, inside its bounds; `p`
//! artificial columns fixed at `0` form the first basis, so the start is the feasible
//! point `0`); it only *guides*: every answer is rebuilt exactly from its basis (a `p x p`
//! fraction-free solve in overflow-checked `i128`, non-basic columns at their exact bounds),
//! and the dual vector is re-checked against the original columns by `check_dual`,
//! independently of the simplex. Because the dual objective never decreases, the run stops as soon as a checked
//! bound reaches the cutoff (the leaf is then closed); at the optimum the primal point is the
//! simplex multiplier vector (`B^T theta = c_B`, exact), and the caller accepts it only if the
//! verifier's error of its network equals the certified bound.
//!
//! Anything unexpected (overflow, a singular basis, a certificate that does not check, an
//! iteration cap) returns `None`, and the caller solves the leaf with the generic certified
//! LP instead: this path can make a leaf faster, never give a different answer.

mod check;
mod dual;
mod hull;

pub(crate) use check::check_dual;
pub use hull::pattern_support;

use super::leaf::Item;
use crate::num::{Int, Rational};
use dual::Dual;

/// The instance in integers, computed once: `h_i = L_i (x_i, 1)` with `L_i` the lcm of the
/// denominators of `x_i`, and the labels over one common denominator.
#[derive(Debug, Clone)]
pub struct IntData {
    /// `h_i = L_i (x_i, 1)`.
    pub(crate) h: Vec<Vec<i128>>,
    /// `L_i`.
    pub(crate) l: Vec<i128>,
    /// `y_i * yden`.
    pub(crate) ys: Vec<i128>,
    /// The labels' common denominator.
    pub(crate) yden: i128,
    yf: Vec<f64>,
    hf: Vec<Vec<f64>>,
}

/// Largest magnitude accepted for the integer data (keeps every product in `i128`).
const DATA_LIMIT: i128 = 1 << 40;

fn small(v: &Int) -> Option<i128> {
    let v = i128::try_from(v.clone()).ok()?;
    (v.abs() <= DATA_LIMIT).then_some(v)
}

impl IntData {
    /// The integer form of the inputs `xs` and labels `ys`; `None` when some number is too
    /// large for the `i128` path (the generic leaf LP is used then).
    pub fn new(xs: &[Vec<Rational>], ys: &[Rational]) -> Option<IntData> {
        let mut h = Vec::with_capacity(xs.len());
        let mut l = Vec::with_capacity(xs.len());
        for x in xs {
            let den = crate::num::common_denominator(x.iter());
            let li = small(&Int::from(den.clone()))?;
            let mut row = Vec::with_capacity(x.len() + 1);
            for q in x {
                let f = Int::from(&den / q.denominator());
                row.push(small(&(q.numerator() * f))?);
            }
            row.push(li);
            h.push(row);
            l.push(li);
        }
        let yden = crate::num::common_denominator(ys.iter());
        let ydi = small(&Int::from(yden.clone()))?;
        let mut yi = Vec::with_capacity(ys.len());
        for q in ys {
            yi.push(small(
                &(q.numerator() * Int::from(&yden / q.denominator())),
            )?);
        }
        Some(IntData {
            hf: h
                .iter()
                .map(|r| r.iter().map(|&v| v as f64).collect())
                .collect(),
            h,
            l,
            ys: yi,
            yden: ydi,
            yf: ys.iter().map(crate::num::to_f64).collect(),
        })
    }
}

impl IntData {
    /// `sum |y_i|` over the points no pattern of `items` covers (where `phi = 0`): the part
    /// of the leaf's error outside its LP.
    pub fn uncovered_cost(&self, items: &[&Item]) -> Rational {
        let mut total: i128 = 0;
        for (i, y) in self.ys.iter().enumerate() {
            if !items.iter().any(|it| it.bits[i / 64] >> (i % 64) & 1 == 1) {
                total += y.abs();
            }
        }
        Rational::from_parts_signed(Int::from(total), Int::from(self.yden))
    }
}

/// What the fast path established for a leaf.
#[derive(Debug, Clone)]
pub enum L1Answer {
    /// A checked dual bound `>= cutoff`: no network of the leaf beats the cutoff.
    Cut,
    /// The leaf's LP optimum `value` (without the uncovered points' constant) and the
    /// parameters `theta` read off the optimal basis. The caller must confirm it by the
    /// network's exact error.
    Optimum {
        /// `(w_1, b_1, ..., w_k, b_k)`.
        theta: Vec<Rational>,
        /// Certified lower bound, equal to `F(theta)` when the caller's check passes.
        value: Rational,
    },
}

/// Iteration cap per leaf (a guard; the generic LP takes over when reached).
const MAX_STEPS: usize = 20_000;

/// Solve the `abs` leaf with `items` (pattern, sign) on `d`-dimensional data. With a
/// `cutoff` (for the LP part, i.e. without the uncovered points' constant), stops at the
/// first checked dual bound `>= cutoff` ([`L1Answer::Cut`]). `None`: the fast path could not
/// certify an answer; use the generic LP.
pub fn abs_leaf(
    data: &IntData,
    d: usize,
    items: &[&Item],
    cutoff: Option<&Rational>,
) -> Option<L1Answer> {
    let mut dual = Dual::new(data, d, items);
    let cut_f = cutoff.map(crate::num::to_f64);
    let mut bland = false;
    let mut last_obj = f64::NEG_INFINITY;
    let mut stalled = 0usize;
    let mut tried_at = f64::NEG_INFINITY;
    for _ in 0..MAX_STEPS {
        let moved = dual.step(bland).ok()?;
        let obj = dual.objective();
        if let (Some(cf), Some(t)) = (cut_f, cutoff) {
            let slack = 1e-9 * (1.0 + cf.abs());
            if obj >= cf - slack && (obj > tried_at + slack || !moved) {
                tried_at = obj;
                if let Some(b) = dual.certified_bound(items, d) {
                    if b >= *t {
                        return Some(L1Answer::Cut);
                    }
                }
            }
        }
        if !moved {
            let value = dual.certified_bound(items, d)?;
            if cutoff.is_some_and(|t| value >= *t) {
                return Some(L1Answer::Cut);
            }
            let theta = dual.exact_theta()?;
            return Some(L1Answer::Optimum { theta, value });
        }
        if obj <= last_obj + 1e-12 * (1.0 + obj.abs()) {
            stalled += 1;
            if stalled > 4 * dual.p + 8 {
                bland = true;
            }
        } else {
            stalled = 0;
        }
        last_obj = obj;
    }
    None
}
