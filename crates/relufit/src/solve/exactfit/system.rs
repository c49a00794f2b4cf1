//! The linear system (6) of Theorem 11's proof and the LPs built from it.
//!
//! Variables are `(w_1, b_1, ..., w_k, b_k)`, `k(d+1)` of them. Assigning data point
//! `(x, y)` to the subset `I` of active neurons (the set `S_i` with `I(i) = I`) adds the
//! closed region constraints of `R_I` at `x` (`w_j . x + b_j >= 0` for `j in I`, `<= 0`
//! otherwise) and the fit equation `sum_{j in I} (w_j . x + b_j) = y`.

use crate::lp::{Lp, Sense};
use crate::num::Rational;
use std::collections::HashSet;

/// A convex exact-fit problem: fit `y_i = sum_j [w_j . x_i + b_j]_+` (concave instances are
/// brought here by negating `y`).
#[derive(Debug, Clone)]
pub struct Problem {
    /// Input dimension `d`.
    pub d: usize,
    /// Number of neurons `k` (at most 31: subsets are bit masks).
    pub k: usize,
    /// Inputs `x_i`.
    pub xs: Vec<Vec<Rational>>,
    /// Targets `y_i` (already negated for concave instances).
    pub ys: Vec<Rational>,
}

impl Problem {
    /// Number of LP variables, `k(d+1)`.
    pub fn num_vars(&self) -> usize {
        self.k * (self.d + 1)
    }

    /// Number of data points.
    pub fn len(&self) -> usize {
        self.xs.len()
    }

    /// No data points.
    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    /// Coefficients of `sum_{j in mask} (w_j . x_i + b_j)`.
    pub fn sum_coeffs(&self, i: usize, mask: u32) -> Vec<Rational> {
        let mut c = vec![Rational::ZERO; self.num_vars()];
        for j in 0..self.k {
            if mask >> j & 1 == 1 {
                let base = j * (self.d + 1);
                c[base..base + self.d].clone_from_slice(&self.xs[i]);
                c[base + self.d] = Rational::ONE;
            }
        }
        c
    }

    /// Pre-activation `w_j . x_i + b_j` at the parameter vector `q`.
    pub fn preact(&self, q: &[Rational], i: usize, j: usize) -> Rational {
        let base = j * (self.d + 1);
        let mut s = q[base + self.d].clone();
        for (w, x) in q[base..base + self.d].iter().zip(&self.xs[i]) {
            if *x != Rational::ZERO {
                s += w * x;
            }
        }
        s
    }

    /// Add the constraints of assigning point `i` to subset `mask`.
    pub fn push_rows(&self, lp: &mut Lp, i: usize, mask: u32) {
        for j in 0..self.k {
            let sense = if mask >> j & 1 == 1 {
                Sense::Ge
            } else {
                Sense::Le
            };
            lp.push(self.sum_coeffs(i, 1 << j), sense, Rational::ZERO);
        }
        lp.push(self.sum_coeffs(i, mask), Sense::Eq, self.ys[i].clone());
    }

    /// The LP "(6) for the given assignment" (no objective), skipping exact duplicates.
    pub fn system(&self, assign: &[Option<u32>]) -> Lp {
        let mut lp = Lp::new(self.num_vars());
        let mut seen: HashSet<(&[Rational], u32, &Rational)> = HashSet::new();
        for (i, a) in assign.iter().enumerate() {
            if let Some(mask) = *a {
                if seen.insert((&self.xs[i], mask, &self.ys[i])) {
                    self.push_rows(&mut lp, i, mask);
                }
            }
        }
        lp
    }

    /// Do the constraints of assigning point `i` to `mask` hold at `q`?
    pub fn satisfies(&self, q: &[Rational], i: usize, mask: u32) -> bool {
        let mut sum = Rational::ZERO;
        for j in 0..self.k {
            let z = self.preact(q, i, j);
            if mask >> j & 1 == 1 {
                if z < Rational::ZERO {
                    return false;
                }
                sum += z;
            } else if z > Rational::ZERO {
                return false;
            }
        }
        sum == self.ys[i]
    }
}
