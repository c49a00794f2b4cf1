//! The linear system (6) of Theorem 11's proof and the LPs built from it.
//!
//! Variables are `(w_1, b_1, ..., w_k, b_k)`, `k(d+1)` of them. Assigning data point
//! `(x, y)` to the subset `I` of active neurons (the set `S_i` with `I(i) = I`) adds the
//! closed region constraints of `R_I` at `x` (`w_j . x + b_j >= 0` for `j in I`, `<= 0`
//! otherwise) and the fit equation `sum_{j in I} (w_j . x + b_j) = y`.

use crate::lp::int::{IntLp, IntPoint};
use crate::lp::{Lp, Sense};
use crate::num::{common_denominator, Int, Rational};
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

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
    /// The same as `i128` when it fits.
    small: Option<(Vec<i128>, i128)>,
    /// Per data point, the scaled pre-activations (computed on first use, shared by clones).
    cache: Arc<Vec<OnceLock<Scaled>>>,
}

impl PoolPoint {
    /// The point as `i128` integers over a common positive denominator, if they fit.
    pub fn small_point(&self) -> Option<IntPoint> {
        let (num, den) = self.small.clone()?;
        Some(IntPoint { num, den })
    }

    /// The point as integers over a common positive denominator.
    pub fn integers(&self) -> (&[Int], &Int) {
        (&self.num, &self.den)
    }
}

/// Scaled pre-activations of one data point under one pool point, and the scaled label.
pub type Scaled = Arc<ScaledVals>;

/// The `k` pre-activations `z_j` of one data point under one pool point and the label `t`,
/// all scaled by one positive integer: `i128` when they fit, big integers otherwise.
#[derive(Debug, Clone)]
pub enum ScaledVals {
    /// Machine integers.
    Small(Vec<i128>, i128),
    /// Big integers.
    Big(Vec<Int>, Int),
}

impl ScaledVals {
    /// `sum_{j in mask} z_j` compared with `t`, i.e. `f_I(x)` against `y` at the pool point.
    pub fn cmp_sum(&self, mask: u32) -> std::cmp::Ordering {
        match self {
            ScaledVals::Small(zs, t) => {
                let mut sum: i128 = 0;
                for (j, z) in zs.iter().enumerate() {
                    if mask >> j & 1 == 1 {
                        match sum.checked_add(*z) {
                            Some(v) => sum = v,
                            None => return self.to_big().cmp_sum(mask),
                        }
                    }
                }
                sum.cmp(t)
            }
            ScaledVals::Big(zs, t) => {
                let mut sum = Int::ZERO;
                for (j, z) in zs.iter().enumerate() {
                    if mask >> j & 1 == 1 {
                        sum += z;
                    }
                }
                sum.cmp(t)
            }
        }
    }

    /// Are the region signs of `mask` right (`z_j >= 0` inside, `<= 0` outside) and
    /// `sum_{j in mask} z_j = t`? (The constraints of assigning the point to `mask`.)
    pub fn fits(&self, mask: u32) -> bool {
        let signs_ok = match self {
            ScaledVals::Small(zs, _) => zs.iter().enumerate().all(|(j, z)| {
                if mask >> j & 1 == 1 {
                    *z >= 0
                } else {
                    *z <= 0
                }
            }),
            ScaledVals::Big(zs, _) => zs.iter().enumerate().all(|(j, z)| {
                if mask >> j & 1 == 1 {
                    *z >= Int::ZERO
                } else {
                    *z <= Int::ZERO
                }
            }),
        };
        signs_ok && self.cmp_sum(mask) == std::cmp::Ordering::Equal
    }

    /// The neurons with `z_j > 0` (the active set at the pool point).
    pub fn positive_mask(&self) -> u32 {
        let mut m = 0;
        match self {
            ScaledVals::Small(zs, _) => {
                for (j, z) in zs.iter().enumerate() {
                    if *z > 0 {
                        m |= 1 << j;
                    }
                }
            }
            ScaledVals::Big(zs, _) => {
                for (j, z) in zs.iter().enumerate() {
                    if *z > Int::ZERO {
                        m |= 1 << j;
                    }
                }
            }
        }
        m
    }

    fn to_big(&self) -> ScaledVals {
        match self {
            ScaledVals::Small(zs, t) => {
                ScaledVals::Big(zs.iter().map(|&z| Int::from(z)).collect(), Int::from(*t))
            }
            ScaledVals::Big(..) => self.clone(),
        }
    }
}

/// Integer form of data point `i`: `x = xnum / xden`, `y = ynum / yden`.
#[derive(Debug, Clone)]
struct IntData {
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
    ints: Vec<IntData>,
    /// The same data as `i64` rows when everything fits (the LP fast path).
    small: Option<Vec<SmallPoint>>,
}

/// Data point `i` as `i64`: `(x, 1)` scaled to integers (`hom`), the factor `yden` of the
/// fit row and its right-hand side `ynum * xden`.
#[derive(Debug, Clone)]
struct SmallPoint {
    hom: Vec<i64>,
    yden: i64,
    rhs: i64,
}

fn small_point(ip: &IntData) -> Option<SmallPoint> {
    let mut hom: Vec<i64> = Vec::with_capacity(ip.xnum.len() + 1);
    for x in ip.xnum.iter().chain(std::iter::once(&ip.xden)) {
        hom.push(i64::try_from(x).ok()?);
    }
    let yden = i64::try_from(&ip.yden).ok()?;
    // Every coefficient of the fit row (yden * hom) must fit too.
    for h in &hom {
        h.checked_mul(yden)?;
    }
    let rhs = i64::try_from(&ip.ynum).ok()?.checked_mul(hom[hom.len() - 1])?;
    Some(SmallPoint { hom, yden, rhs })
}

impl Problem {
    /// The problem for inputs `xs` (dimension `d`), targets `ys` and `k` neurons.
    pub fn new(d: usize, k: usize, xs: Vec<Vec<Rational>>, ys: Vec<Rational>) -> Self {
        let ints: Vec<IntData> = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| {
                let (xnum, xden) = to_integers(x);
                IntData {
                    xnum,
                    xden,
                    ynum: y.numerator().clone(),
                    yden: Int::from(y.denominator().clone()),
                }
            })
            .collect();
        let small = ints.iter().map(small_point).collect();
        Problem {
            d,
            k,
            xs,
            ys,
            ints,
            small,
        }
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
        let small = num
            .iter()
            .map(|x| i128::try_from(x).ok())
            .collect::<Option<Vec<i128>>>()
            .zip(i128::try_from(&den).ok());
        PoolPoint {
            q,
            num,
            den,
            small,
            cache: Arc::new((0..self.len()).map(|_| OnceLock::new()).collect()),
        }
    }

    /// A pool point from an integer point of the LP fast path.
    pub fn pool_point_int(&self, p: IntPoint) -> PoolPoint {
        PoolPoint {
            q: p.to_rationals(),
            num: p.num.iter().map(|&x| Int::from(x)).collect(),
            den: Int::from(p.den),
            small: Some((p.num, p.den)),
            cache: Arc::new((0..self.len()).map(|_| OnceLock::new()).collect()),
        }
    }

    /// Does the data fit the `i64` fast path ([`crate::lp::int`])?
    pub fn int_ready(&self) -> bool {
        self.small.is_some()
    }

    /// The fit row's coefficients for point `i` and subset `mask` as `i64`
    /// (`sum_{j in mask} (w_j . x_i + b_j)` times `xden_i yden_i`) and the equally scaled
    /// label `ynum_i xden_i`: the objective and threshold of Algorithm 2's `lower-bound`.
    /// Panics unless [`Problem::int_ready`].
    pub fn int_objective(&self, i: usize, mask: u32) -> (Vec<i64>, i128) {
        let sp = &self.small.as_ref().expect("int_ready")[i];
        let mut c = vec![0i64; self.num_vars()];
        for j in 0..self.k {
            if mask >> j & 1 == 1 {
                let base = j * (self.d + 1);
                for (t, h) in sp.hom.iter().enumerate() {
                    c[base + t] = h * sp.yden;
                }
            }
        }
        (c, sp.rhs as i128)
    }

    /// [`Problem::push_rows`] for the integer fast path. Panics unless
    /// [`Problem::int_ready`].
    pub fn push_int_rows(&self, lp: &mut IntLp, i: usize, mask: u32) {
        let sp = &self.small.as_ref().expect("int_ready")[i];
        let n = self.num_vars();
        let mut row = vec![0i64; n];
        for j in 0..self.k {
            let base = j * (self.d + 1);
            row[base..base + self.d + 1].copy_from_slice(&sp.hom);
            let sense = if mask >> j & 1 == 1 {
                Sense::Ge
            } else {
                Sense::Le
            };
            lp.push(&row, sense, 0);
            row[base..base + self.d + 1].iter_mut().for_each(|x| *x = 0);
        }
        let (c, t) = self.int_objective(i, mask);
        lp.push(&c, Sense::Eq, t as i64);
    }

    /// [`Problem::system`] for the integer fast path (`None` unless
    /// [`Problem::int_ready`]).
    pub fn int_system(&self, assign: &[Option<u32>]) -> Option<IntLp> {
        self.small.as_ref()?;
        let mut lp = IntLp::new(self.num_vars());
        let mut seen: HashSet<(&[Rational], u32, &Rational)> = HashSet::new();
        for (i, a) in assign.iter().enumerate() {
            if let Some(mask) = *a {
                if seen.insert((&self.xs[i], mask, &self.ys[i])) {
                    self.push_int_rows(&mut lp, i, mask);
                }
            }
        }
        Some(lp)
    }

    /// Do the constraints of assigning point `i` to `mask` hold at the pool point `p`?
    /// (Same as [`Problem::satisfies`], from the cached integer pre-activations.)
    pub fn pool_satisfies(&self, p: &PoolPoint, i: usize, mask: u32) -> bool {
        self.scaled_preacts(p, i).fits(mask)
    }

    fn compute_scaled(&self, p: &PoolPoint, i: usize) -> ScaledVals {
        if let Some(v) = self.compute_scaled_small(p, i) {
            return v;
        }
        let (zs, t) = self.compute_scaled_big(p, i);
        ScaledVals::Big(zs, t)
    }

    /// [`Problem::compute_scaled_big`] in checked `i128` (same scale factor); `None` when
    /// the data or the point do not fit or an operation overflows.
    fn compute_scaled_small(&self, p: &PoolPoint, i: usize) -> Option<ScaledVals> {
        let sp = &self.small.as_ref()?[i];
        let (num, den) = p.small.as_ref()?;
        let mut zs = Vec::with_capacity(self.k);
        for j in 0..self.k {
            let base = j * (self.d + 1);
            let mut z: i128 = 0;
            for (w, &h) in num[base..base + self.d + 1].iter().zip(&sp.hom) {
                if h != 0 && *w != 0 {
                    z = z.checked_add(w.checked_mul(h as i128)?)?;
                }
            }
            zs.push(z.checked_mul(sp.yden as i128)?);
        }
        let t = (sp.rhs as i128).checked_mul(*den)?;
        Some(ScaledVals::Small(zs, t))
    }

    fn compute_scaled_big(&self, p: &PoolPoint, i: usize) -> (Vec<Int>, Int) {
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
