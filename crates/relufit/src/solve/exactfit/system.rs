//! The linear system (6) of Theorem 11's proof and the LPs built from it.
//!
//! Variables are `(w_1, b_1, ..., w_k, b_k)`, `k(d+1)` of them. Assigning data point
//! `(x, y)` to the subset `I` of active neurons (the set `S_i` with `I(i) = I`) adds the
//! closed region constraints of `R_I` at `x` (`w_j . x + b_j >= 0` for `j in I`, `<= 0`
//! otherwise) and the fit equation `sum_{j in I} (w_j . x + b_j) = y`.

use crate::lp::{Lp, Sense};
use crate::num::{Int, Natural, Rational};
use dashu_int::ops::Gcd;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

fn common_denominator<'a>(qs: impl Iterator<Item = &'a Rational>) -> Natural {
    let mut l = Natural::ONE;
    for q in qs {
        let d = q.denominator();
        if *d != Natural::ONE {
            let g = (&l).gcd(d);
            l = &l / &g * d;
        }
    }
    l
}

/// `qs = num / den` with integer `num` and positive `den`.
fn to_integers(qs: &[Rational]) -> (Vec<Int>, Int) {
    let l = common_denominator(qs.iter());
    let num = qs
        .iter()
        .map(|q| q.numerator() * Int::from(&l / q.denominator()))
        .collect();
    (num, Int::from(l))
}

/// An exact point of the polyhedron of (6), also kept as integers over a common
/// denominator so that the `mu < y` tests of Algorithm 2 run in integer arithmetic.
#[derive(Debug, Clone)]
pub struct PoolPoint {
    /// The parameter vector.
    pub q: Vec<Rational>,
    num: Vec<Int>,
    den: Int,
    /// Per data point, the scaled pre-activations (computed on first use, shared by clones).
    cache: Arc<Vec<OnceLock<Scaled>>>,
}

impl PoolPoint {
    /// The point as integers over a common positive denominator.
    pub fn integers(&self) -> (&[Int], &Int) {
        (&self.num, &self.den)
    }
}

/// Scaled pre-activations of one data point under one pool point, and the scaled label.
pub type Scaled = Arc<(Vec<Int>, Int)>;

/// Integer form of data point `i`: `x = xnum / xden`, `y = ynum / yden`.
#[derive(Debug, Clone)]
struct IntPoint {
    xnum: Vec<Int>,
    xden: Int,
    ynum: Int,
    yden: Int,
}

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
    ints: Vec<IntPoint>,
}

impl Problem {
    /// The problem for inputs `xs` (dimension `d`), targets `ys` and `k` neurons.
    pub fn new(d: usize, k: usize, xs: Vec<Vec<Rational>>, ys: Vec<Rational>) -> Self {
        let ints = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| {
                let (xnum, xden) = to_integers(x);
                IntPoint {
                    xnum,
                    xden,
                    ynum: y.numerator().clone(),
                    yden: Int::from(y.denominator().clone()),
                }
            })
            .collect();
        Problem { d, k, xs, ys, ints }
    }

    /// For pool point `p` and data point `i`: the `k` pre-activations scaled by
    /// `den_p * xden_i * yden_i` (a positive factor), and `y_i` scaled by the same factor.
    /// `sum_{j in I} z_j < t` then decides `sum_{j in I} (w_j . x_i + b_j) < y_i` exactly.
    pub fn scaled_preacts(&self, p: &PoolPoint, i: usize) -> Scaled {
        p.cache[i]
            .get_or_init(|| Arc::new(self.compute_scaled(p, i)))
            .clone()
    }

    /// A pool point for parameter vector `q`.
    pub fn pool_point(&self, q: Vec<Rational>) -> PoolPoint {
        let (num, den) = to_integers(&q);
        PoolPoint {
            q,
            num,
            den,
            cache: Arc::new((0..self.len()).map(|_| OnceLock::new()).collect()),
        }
    }

    fn compute_scaled(&self, p: &PoolPoint, i: usize) -> (Vec<Int>, Int) {
        let ip = &self.ints[i];
        let zs = (0..self.k)
            .map(|j| {
                let base = j * (self.d + 1);
                let mut z = &p.num[base + self.d] * &ip.xden;
                for (w, x) in p.num[base..base + self.d].iter().zip(&ip.xnum) {
                    if *x != Int::ZERO && *w != Int::ZERO {
                        z += w * x;
                    }
                }
                z * &ip.yden
            })
            .collect();
        let t = &ip.ynum * &p.den * &ip.xden;
        (zs, t)
    }

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

    /// Coefficients of `sum_{j in mask} (w_j . x_i + b_j)` scaled by the positive integer
    /// `xden_i` (so they are integers: cheaper LPs, same constraints).
    fn int_sum_coeffs(&self, i: usize, mask: u32) -> Vec<Rational> {
        let ip = &self.ints[i];
        let mut c = vec![Rational::ZERO; self.num_vars()];
        for j in 0..self.k {
            if mask >> j & 1 == 1 {
                let base = j * (self.d + 1);
                for (t, x) in ip.xnum.iter().enumerate() {
                    c[base + t] = Rational::from(x.clone());
                }
                c[base + self.d] = Rational::from(ip.xden.clone());
            }
        }
        c
    }

    /// Add the constraints of assigning point `i` to subset `mask` (each row scaled by a
    /// positive integer so that all coefficients are integers).
    pub fn push_rows(&self, lp: &mut Lp, i: usize, mask: u32) {
        for j in 0..self.k {
            let sense = if mask >> j & 1 == 1 {
                Sense::Ge
            } else {
                Sense::Le
            };
            lp.push(self.int_sum_coeffs(i, 1 << j), sense, Rational::ZERO);
        }
        let ip = &self.ints[i];
        let mut eq = self.int_sum_coeffs(i, mask);
        if ip.yden != Int::ONE {
            let f = Rational::from(ip.yden.clone());
            eq.iter_mut().for_each(|c| *c *= &f);
        }
        lp.push(eq, Sense::Eq, Rational::from(&ip.ynum * &ip.xden));
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

    /// `(x_i, 1)` scaled to integers (a positive multiple).
    pub fn homogeneous_input(&self, i: usize) -> Vec<Int> {
        let ip = &self.ints[i];
        let mut v = ip.xnum.clone();
        v.push(ip.xden.clone());
        v
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
