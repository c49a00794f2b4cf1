//! The linear system (6) of Theorem 11's proof, for any fixed output signs, and the LPs
//! built from it. Shared by ExactFit (all signs equal) and the pattern search (any signs).
//!
//! Variables are `theta = (a_1 w_1, a_1 b_1, ..., a_k w_k, a_k b_k)`, `k(d+1)` of them:
//! each neuron's parameters times its output sign `a_j in {+1, -1}`, so that the fit
//! equation of a point never depends on the signs. Assigning data point `(x, y)` to the
//! subset `I` of active neurons (the set `S_i` with `I(i) = I`) adds the closed region
//! constraints of `R_I` at `x` (`w_j . x + b_j >= 0` for `j in I`, `<= 0` otherwise; in
//! `theta` the senses flip for neurons with `a_j = -1`) and the fit equation
//! `sum_{j in I} a_j (w_j . x + b_j) = sum_{j in I} theta_j . (x, 1) = y`.
//!
//! With all `a_j = +1` this is exactly system (6); concave instances are brought there by
//! negating `y` ([`crate::solve::exactfit::problem`]).

use crate::lp::int::{ExactPoint, IntLp, IntPoint};
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

/// An exact point of the polyhedron of (6), kept as integers over a common denominator
/// (`i128` when it fits) with a table of its scaled pre-activations at the data points, so
/// that the `mu < y` tests of Algorithm 2 are integer comparisons. Clones share the data.
#[derive(Debug, Clone)]
pub(crate) struct PoolPoint(Arc<PoolData>);

#[derive(Debug)]
struct PoolData {
    /// The parameter vector (made on first use for fast-path points).
    q: OnceLock<Vec<Rational>>,
    /// Numerators and common positive denominator as `i128`, if they fit.
    small: Option<(Vec<i128>, i128)>,
    /// The same as big integers (made on first use when `small` is set).
    ints: OnceLock<(Vec<Int>, Int)>,
    /// `k + 1` entries per data point: scaled pre-activations and scaled label, computed
    /// eagerly in `i128` for the points unassigned when the pool point was made.
    table: Option<Vec<i128>>,
    /// Which rows of `table` were computed.
    valid: Vec<bool>,
    /// Otherwise, per data point, the same in big integers (computed on first use).
    lazy: Vec<OnceLock<BigScaled>>,
}

impl PoolPoint {
    /// The parameter vector.
    pub(crate) fn q(&self) -> &Vec<Rational> {
        self.0.q.get_or_init(|| {
            let (num, den) = self
                .0
                .small
                .as_ref()
                .expect("points are made with q or small");
            IntPoint {
                num: num.clone(),
                den: *den,
            }
            .to_rationals()
        })
    }

    /// The point as `i128` integers over a common positive denominator, if they fit.
    pub(crate) fn small_point(&self) -> Option<IntPoint> {
        let (num, den) = self.0.small.clone()?;
        Some(IntPoint { num, den })
    }

    /// The point as integers over a common positive denominator.
    pub(crate) fn integers(&self) -> (&[Int], &Int) {
        let (num, den) = self.0.ints.get_or_init(|| match &self.0.small {
            Some((num, den)) => (num.iter().map(|&x| Int::from(x)).collect(), Int::from(*den)),
            None => to_integers(self.q()),
        });
        (num, den)
    }
}

/// How [`Problem::fill_small`] may compute: all in `i64`, `i128` without overflow checks
/// (both proven safe by magnitude bounds), or checked `i128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arith {
    Narrow,
    Unchecked,
    Checked,
}

/// Scaled pre-activations and label in big integers (shared).
type BigScaled = Arc<(Vec<Int>, Int)>;

/// Scaled pre-activations `z_1..z_k` of one data point under one pool point and the label
/// `t`, all multiplied by one positive integer (`den_p xden_i yden_i`).
#[derive(Debug, Clone)]
pub(crate) enum Scaled<'a> {
    /// `k` values and `t` in `i128`, borrowed from the pool point's table.
    Small(&'a [i128]),
    /// The same, computed on demand.
    Owned(Vec<i128>),
    /// Big integers.
    Big(BigScaled),
}

impl Scaled<'_> {
    fn slice(&self) -> Option<&[i128]> {
        match self {
            Scaled::Small(s) => Some(s),
            Scaled::Owned(v) => Some(v),
            Scaled::Big(_) => None,
        }
    }

    fn big(&self) -> (Vec<Int>, Int) {
        match self {
            Scaled::Big(b) => (**b).clone(),
            _ => {
                let s = self.slice().expect("small");
                let (zs, t) = s.split_at(s.len() - 1);
                (zs.iter().map(|&z| Int::from(z)).collect(), Int::from(t[0]))
            }
        }
    }

    /// `sum_{j in mask} z_j` compared with `t`, i.e. `f_I(x)` against `y` at the pool point.
    pub(crate) fn cmp_sum(&self, mask: u32) -> std::cmp::Ordering {
        if let Some(s) = self.slice() {
            let (zs, t) = s.split_at(s.len() - 1);
            let mut sum: i128 = 0;
            let mut overflow = false;
            for (j, z) in zs.iter().enumerate() {
                if mask >> j & 1 == 1 {
                    match sum.checked_add(*z) {
                        Some(v) => sum = v,
                        None => overflow = true,
                    }
                }
            }
            if !overflow {
                return sum.cmp(&t[0]);
            }
        }
        let (zs, t) = self.big();
        let mut sum = Int::ZERO;
        for (j, z) in zs.iter().enumerate() {
            if mask >> j & 1 == 1 {
                sum += z;
            }
        }
        sum.cmp(&t)
    }

    /// The sign of `z_j` (the sign of `theta_j . (x, 1)`, neuron `j`'s pre-activation up to
    /// `a_j`).
    pub(crate) fn sign(&self, j: usize) -> std::cmp::Ordering {
        match self.slice() {
            Some(s) => s[j].cmp(&0),
            None => match self {
                Scaled::Big(b) => b.0[j].cmp(&Int::ZERO),
                _ => unreachable!(),
            },
        }
    }

    fn k(&self) -> usize {
        match self.slice() {
            Some(s) => s.len() - 1,
            None => match self {
                Scaled::Big(b) => b.0.len(),
                _ => unreachable!(),
            },
        }
    }

    /// Are the region signs of `mask` right (pre-activation `a_j z_j >= 0` inside, `<= 0`
    /// outside, `neg` the neurons with `a_j = -1`) and `sum_{j in mask} z_j = t`? (The
    /// constraints of assigning the point to `mask`.)
    pub(crate) fn fits(&self, mask: u32, neg: u32) -> bool {
        use std::cmp::Ordering::{Greater, Less};
        let signs_ok = (0..self.k()).all(|j| {
            let sg = if neg >> j & 1 == 1 {
                self.sign(j).reverse()
            } else {
                self.sign(j)
            };
            if mask >> j & 1 == 1 {
                sg != Less
            } else {
                sg != Greater
            }
        });
        signs_ok && self.cmp_sum(mask) == std::cmp::Ordering::Equal
    }

    /// The neurons with pre-activation `a_j z_j > 0` (the active set at the pool point).
    pub(crate) fn active_mask(&self, neg: u32) -> u32 {
        (0..self.k())
            .filter(|&j| {
                let sg = self.sign(j);
                if neg >> j & 1 == 1 {
                    sg == std::cmp::Ordering::Less
                } else {
                    sg == std::cmp::Ordering::Greater
                }
            })
            .fold(0, |m, j| m | 1 << j)
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

/// What the rows of an assigned point say about its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FitRows {
    /// The fit equation `phi(x_i) = y_i` (`gamma = 0`).
    Exact,
    /// An error variable `e_i >= |phi(x_i) - y_i| s_i` per point (the `abs` loss; `s_i` the
    /// row's positive scale, see [`Problem::error_scale`]).
    Abs,
    /// One error variable `e >= |phi(x_i) - y_i|` for all points (the `max` loss).
    Max,
}

/// An exact-fit problem with fixed output signs: fit `y_i = sum_j a_j [w_j . x_i + b_j]_+`
/// with `a_j = -1` for the neurons in `neg` and `+1` for the others (ExactFit: `neg = 0`,
/// concave instances brought here by negating `y`).
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// Input dimension `d`.
    pub d: usize,
    /// Number of neurons `k` (at most 31: subsets are bit masks).
    pub k: usize,
    /// Inputs `x_i`.
    pub xs: Vec<Vec<Rational>>,
    /// Targets `y_i` (already negated for concave instances).
    pub ys: Vec<Rational>,
    /// Neurons with output weight `a_j = -1` (bit `j`).
    pub neg: u32,
    /// Linear-threshold neurons instead of ReLUs (Section 5): the variables are then
    /// `(w_1, b_1, ..., w_k, b_k, a_1, ..., a_k)` with free output weights `a_j`; an active
    /// neuron's row is `w_j . x + b_j > 0`, written `(x, 1) xden . (w_j, b_j) >= 1` (a neuron
    /// may be scaled, so strict and `>= 1` are the same), an inactive one's `<= 0`, and the
    /// fit equation `sum_{j in I} a_j = y`.
    pub threshold: bool,
    /// The rows of the labels (exact fit, or error variables for `abs` / `max`).
    pub fit: FitRows,
    ints: Vec<IntData>,
    /// The same data as `i64` rows when everything fits (the LP fast path).
    small: Option<Vec<SmallPoint>>,
    /// Bits of the largest `|hom_t| yden` and `|rhs|` over the small data.
    small_bits: u32,
}

/// Data point `i` as `i64`: `(x, 1)` scaled to integers (`hom`), the factor `yden` of the
/// fit row and its right-hand side `ynum * xden`.
#[derive(Debug, Clone)]
struct SmallPoint {
    hom: Vec<i64>,
    yden: i64,
    /// `ynum * xden` (the scaled label of a ReLU fit row).
    rhs: i64,
    /// `ynum` (the label of a threshold fit row, over `yden`).
    ynum: i64,
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
        // Negated objectives must fit too.
        h.checked_neg()?;
    }
    let rhs = i64::try_from(&ip.ynum)
        .ok()?
        .checked_mul(hom[hom.len() - 1])?;
    let ynum = i64::try_from(&ip.ynum).ok()?;
    Some(SmallPoint {
        hom,
        yden,
        rhs,
        ynum,
    })
}

impl Problem {
    /// The convex problem (all `a_j = +1`) for inputs `xs` (dimension `d`), targets `ys`
    /// and `k` neurons.
    pub(crate) fn new(d: usize, k: usize, xs: Vec<Vec<Rational>>, ys: Vec<Rational>) -> Self {
        Self::with_signs(d, k, xs, ys, 0)
    }

    /// The problem with output weights `a_j = -1` for the neurons in `neg`, `+1` otherwise.
    pub(crate) fn with_signs(
        d: usize,
        k: usize,
        xs: Vec<Vec<Rational>>,
        ys: Vec<Rational>,
        neg: u32,
    ) -> Self {
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
        let small: Option<Vec<SmallPoint>> = ints.iter().map(small_point).collect();
        let small_bits = small.as_ref().map_or(128, |pts| {
            let m = pts.iter().fold(0u128, |m, sp| {
                let h = sp
                    .hom
                    .iter()
                    .fold(0u128, |m, h| m.max(h.unsigned_abs() as u128));
                m.max(h * sp.yden.unsigned_abs() as u128)
                    .max(sp.rhs.unsigned_abs() as u128)
            });
            128 - m.leading_zeros()
        });
        Problem {
            small_bits,
            d,
            k,
            xs,
            ys,
            neg,
            threshold: false,
            fit: FitRows::Exact,
            ints,
            small,
        }
    }

    /// The linear-threshold problem (Section 5) for inputs `xs`, targets `ys`, `k` neurons.
    pub(crate) fn threshold(d: usize, k: usize, xs: Vec<Vec<Rational>>, ys: Vec<Rational>) -> Self {
        Problem {
            threshold: true,
            ..Self::with_signs(d, k, xs, ys, 0)
        }
    }

    /// For pool point `p` and data point `i`: the `k` pre-activations scaled by
    /// `den_p * xden_i * yden_i` (a positive factor), and `y_i` scaled by the same factor.
    /// `sum_{j in I} z_j < t` then decides `sum_{j in I} (w_j . x_i + b_j) < y_i` exactly.
    pub(crate) fn scaled<'p>(&self, p: &'p PoolPoint, i: usize) -> Scaled<'p> {
        let w = self.k + 1;
        if let Some(t) = &p.0.table {
            if p.0.valid[i] {
                return Scaled::Small(&t[i * w..(i + 1) * w]);
            }
            if let Some(v) = self.compute_small(p, i) {
                return Scaled::Owned(v);
            }
            return Scaled::Big(Arc::new(self.compute_scaled_big(p, i)));
        }
        Scaled::Big(
            p.0.lazy[i]
                .get_or_init(|| Arc::new(self.compute_scaled_big(p, i)))
                .clone(),
        )
    }

    /// A pool point from its data; `free` marks the data points whose table rows are
    /// computed now (the unassigned ones: no other rows are read in the subtree).
    fn make_pool_point(
        &self,
        q: Option<Vec<Rational>>,
        small: Option<(Vec<i128>, i128)>,
        free: &[bool],
    ) -> PoolPoint {
        let n = self.len();
        let data = PoolData {
            q: OnceLock::new(),
            small,
            ints: OnceLock::new(),
            table: None,
            valid: Vec::new(),
            lazy: Vec::new(),
        };
        if let Some(q) = q {
            let _ = data.q.set(q);
        }
        let mut p = PoolPoint(Arc::new(data));
        let w = self.k + 1;
        let mut table = vec![0i128; n * w];
        let mut valid = vec![false; n];
        let mut ok = self.small.is_some() && p.0.small.is_some();
        if let (Some((num, den)), true) = (&p.0.small, ok) {
            // |z_j| <= (d+1) max|num| max|hom| yden and |t| <= max|rhs| den: skip the
            // overflow checks when these bounds fit comfortably.
            let bits = |v: u128| 128 - v.leading_zeros();
            let xmax = num
                .iter()
                .fold(den.unsigned_abs(), |m, x| m.max(x.unsigned_abs()));
            // |x_t h_t| < 2^(bits(xmax) + small_bits), d + 1 terms per sum.
            let need = bits(xmax) + self.small_bits + bits(self.d as u128 + 2);
            let mode = if need < 62 {
                Arith::Narrow
            } else if need < 125 {
                Arith::Unchecked
            } else {
                Arith::Checked
            };
            for i in 0..n {
                if free.get(i).copied().unwrap_or(false) {
                    let out = &mut table[i * w..(i + 1) * w];
                    if self.fill_small(num, *den, i, out, mode).is_none() {
                        ok = false;
                        break;
                    }
                    valid[i] = true;
                }
            }
        }
        let data = Arc::get_mut(&mut p.0).expect("unshared");
        if ok {
            data.table = Some(table);
            data.valid = valid;
        } else {
            data.lazy = (0..n).map(|_| OnceLock::new()).collect();
        }
        p
    }

    /// A pool point for parameter vector `q` (see [`Problem::pool_point_int`] for `free`).
    pub(crate) fn pool_point(&self, q: Vec<Rational>, free: &[bool]) -> PoolPoint {
        let (num, den) = to_integers(&q);
        let small = num
            .iter()
            .map(|x| i128::try_from(x).ok())
            .collect::<Option<Vec<i128>>>()
            .zip(i128::try_from(&den).ok());
        self.make_pool_point(Some(q), small, free)
    }

    /// A pool point from an integer point of the LP fast path; `free[i]` marks the data
    /// points whose pre-activations are tabulated now (the node's unassigned points).
    pub(crate) fn pool_point_int(&self, p: ExactPoint, free: &[bool]) -> PoolPoint {
        match p {
            ExactPoint::Small(p) => self.make_pool_point(None, Some((p.num, p.den)), free),
            ExactPoint::Big(p) => self.pool_point(p.to_rationals(), free),
        }
    }

    /// Does the data fit the `i64` fast path ([`crate::lp::int`])?
    pub(crate) fn int_ready(&self) -> bool {
        self.small.is_some()
    }

    /// The fit row's coefficients for point `i` and subset `mask` as `i64`
    /// (`sum_{j in mask} (w_j . x_i + b_j)` times `xden_i yden_i`) and the equally scaled
    /// label `ynum_i xden_i`: the objective and threshold of Algorithm 2's `lower-bound`.
    /// Panics unless [`Problem::int_ready`].
    pub(crate) fn int_objective(&self, i: usize, mask: u32) -> (Vec<i64>, i128) {
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

    /// The float twin of the pool's scaled pre-activations at a float parameter vector `q`:
    /// per point `i`, the `k` values `yden_i xden_i (w_j . x_i + b_j)` (the terms of
    /// [`Problem::int_objective`]'s row) and last the scaled label `ynum_i xden_i`, `k + 1`
    /// values per point. Evidence only (see [`Problem::float_sum`]). Panics unless
    /// [`Problem::int_ready`].
    pub(crate) fn float_scaled(&self, q: &[f64]) -> Vec<f64> {
        let small = self.small.as_ref().expect("int_ready");
        let w = self.d + 1;
        let mut out = Vec::with_capacity(small.len() * (self.k + 1));
        for sp in small {
            for j in 0..self.k {
                let z: f64 = sp
                    .hom
                    .iter()
                    .zip(&q[j * w..(j + 1) * w])
                    .map(|(&h, &v)| h as f64 * v)
                    .sum();
                out.push(sp.yden as f64 * z);
            }
            out.push(sp.rhs as f64);
        }
        out
    }

    /// `f_I(x_i) - y_i` (scaled) at a float vertex, from [`Problem::float_scaled`]'s table.
    pub(crate) fn float_sum(&self, table: &[f64], i: usize, mask: u32) -> f64 {
        let row = &table[i * (self.k + 1)..(i + 1) * (self.k + 1)];
        let sum: f64 = (0..self.k)
            .filter(|&j| mask >> j & 1 == 1)
            .map(|j| row[j])
            .sum();
        sum - row[self.k]
    }

    /// Neuron `j`'s scaled pre-activation at `x_i` in [`Problem::float_scaled`]'s table.
    pub(crate) fn float_pre(&self, table: &[f64], i: usize, j: usize) -> f64 {
        table[i * (self.k + 1) + j]
    }

    /// The neurons active (pre-activation `> 0`) at `x_i` in [`Problem::float_scaled`]'s
    /// table: with [`Problem::float_sum`], `phi(x_i) - y_i` of a convex network.
    pub(crate) fn float_active_mask(&self, table: &[f64], i: usize) -> u32 {
        (0..self.k)
            .filter(|&j| self.float_pre(table, i, j) > 0.0)
            .fold(0, |m, j| m | 1 << j)
    }

    /// The objective `s theta_j . (x_i, 1)` (times the positive `xden_i`) as `i64`: with
    /// `s = a_j` it is neuron `j`'s pre-activation at `x_i`, up to that positive factor.
    /// Panics unless [`Problem::int_ready`].
    pub(crate) fn int_neuron_objective(&self, i: usize, j: usize, s: i64) -> Vec<i64> {
        let sp = &self.small.as_ref().expect("int_ready")[i];
        let mut c = vec![0i64; self.num_vars()];
        let base = j * (self.d + 1);
        for (t, h) in sp.hom.iter().enumerate() {
            c[base + t] = s * h;
        }
        c
    }

    /// [`Problem::push_rows`] for the integer fast path. Panics unless
    /// [`Problem::int_ready`].
    pub(crate) fn push_int_rows(&self, lp: &mut IntLp, i: usize, mask: u32) {
        let sp = &self.small.as_ref().expect("int_ready")[i];
        let n = self.num_vars();
        let mut row = vec![0i64; n];
        if self.threshold {
            for j in 0..self.k {
                let base = j * (self.d + 1);
                row[base..base + self.d + 1].copy_from_slice(&sp.hom);
                if mask >> j & 1 == 1 {
                    lp.push(&row, Sense::Ge, 1);
                } else {
                    lp.push(&row, Sense::Le, 0);
                }
                row[base..base + self.d + 1].iter_mut().for_each(|x| *x = 0);
            }
            let a0 = self.k * (self.d + 1);
            for j in 0..self.k {
                if mask >> j & 1 == 1 {
                    row[a0 + j] = sp.yden;
                }
            }
            self.push_fit_rows(lp, i, row, sp.ynum);
            return;
        }
        for j in 0..self.k {
            let base = j * (self.d + 1);
            row[base..base + self.d + 1].copy_from_slice(&sp.hom);
            lp.push(&row, self.region_sense(mask, j), 0);
            row[base..base + self.d + 1].iter_mut().for_each(|x| *x = 0);
        }
        let (c, t) = self.int_objective(i, mask);
        self.push_fit_rows(lp, i, c, t as i64);
    }

    /// The label rows of point `i` from its fit row `c . v = t` (scale `s_i`): the equation,
    /// or `e_i - c . v >= -t`, `e_i + c . v >= t` (`abs`), or `s_i e - c . v >= -t`,
    /// `s_i e + c . v >= t` (`max`).
    fn push_fit_rows(&self, lp: &mut IntLp, i: usize, mut c: Vec<i64>, t: i64) {
        let (col, coeff) = match self.fit {
            FitRows::Exact => {
                lp.push(&c, Sense::Eq, t);
                return;
            }
            FitRows::Abs => (self.params() + i, 1),
            FitRows::Max => (self.params(), self.error_scale(i)),
        };
        c[col] = coeff;
        let mut neg: Vec<i64> = c.iter().map(|x| -x).collect();
        neg[col] = coeff;
        lp.push(&neg, Sense::Ge, -t);
        lp.push(&c, Sense::Ge, t);
    }

    /// The positive scale `s_i` of point `i`'s fit row: `|c . v - t| = s_i |phi(x_i) - y_i|`
    /// (`xden_i yden_i` for ReLUs, `yden_i` for threshold neurons).
    pub(crate) fn error_scale(&self, i: usize) -> i64 {
        let sp = &self.small.as_ref().expect("int_ready")[i];
        if self.threshold {
            sp.yden
        } else {
            sp.hom[self.d] * sp.yden
        }
    }

    /// Number of network parameters among the variables (`k(d+1)`, `+ k` output weights for
    /// threshold neurons); the error variables come after them.
    pub(crate) fn params(&self) -> usize {
        self.k * (self.d + 1) + if self.threshold { self.k } else { 0 }
    }

    /// [`Problem::system`] for the integer fast path (`None` unless
    /// [`Problem::int_ready`]).
    pub(crate) fn int_system(&self, assign: &[Option<u32>]) -> Option<IntLp> {
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
    pub(crate) fn pool_satisfies(&self, p: &PoolPoint, i: usize, mask: u32) -> bool {
        self.scaled(p, i).fits(mask, self.neg)
    }

    /// Row `i` of the table in checked `i128` (same scale factor as
    /// [`Problem::compute_scaled_big`]); `None` when something does not fit.
    fn compute_small(&self, p: &PoolPoint, i: usize) -> Option<Vec<i128>> {
        let mut out = vec![0i128; self.k + 1];
        let (num, den) = p.0.small.as_ref()?;
        self.fill_small(num, *den, i, &mut out, Arith::Checked)?;
        Some(out)
    }

    /// Write row `i` of the table (`k` scaled pre-activations, then the scaled label) into
    /// `out`. With `Narrow` / `Unchecked` the caller has proven that no product or sum can
    /// overflow `i64` / `i128`.
    fn fill_small(
        &self,
        num: &[i128],
        den: i128,
        i: usize,
        out: &mut [i128],
        mode: Arith,
    ) -> Option<()> {
        let sp = &self.small.as_ref()?[i];
        let w = self.d + 1;
        if mode == Arith::Narrow {
            // Every term and partial sum fits i64 (the caller's bound), one machine
            // multiplication per term; the products with yden and den in i128.
            for (j, o) in out[..self.k].iter_mut().enumerate() {
                let mut z: i64 = 0;
                for (x, &h) in num[j * w..(j + 1) * w].iter().zip(&sp.hom) {
                    z += *x as i64 * h;
                }
                *o = z as i128 * sp.yden as i128;
            }
            out[self.k] = sp.rhs as i128 * den;
            return Some(());
        }
        if mode == Arith::Unchecked {
            for (j, o) in out[..self.k].iter_mut().enumerate() {
                let mut z: i128 = 0;
                for (x, &h) in num[j * w..(j + 1) * w].iter().zip(&sp.hom) {
                    z += x * h as i128;
                }
                *o = z * sp.yden as i128;
            }
            out[self.k] = sp.rhs as i128 * den;
            return Some(());
        }
        for (j, o) in out[..self.k].iter_mut().enumerate() {
            let mut z: i128 = 0;
            for (x, &h) in num[j * w..(j + 1) * w].iter().zip(&sp.hom) {
                if h != 0 && *x != 0 {
                    z = z.checked_add(x.checked_mul(h as i128)?)?;
                }
            }
            *o = z.checked_mul(sp.yden as i128)?;
        }
        out[self.k] = (sp.rhs as i128).checked_mul(den)?;
        Some(())
    }

    fn compute_scaled_big(&self, p: &PoolPoint, i: usize) -> (Vec<Int>, Int) {
        let ip = &self.ints[i];
        let (num, den) = p.integers();
        let zs = (0..self.k)
            .map(|j| {
                let base = j * (self.d + 1);
                let mut z = &num[base + self.d] * &ip.xden;
                for (w, x) in num[base..base + self.d].iter().zip(&ip.xnum) {
                    if *x != Int::ZERO && *w != Int::ZERO {
                        z += w * x;
                    }
                }
                z * &ip.yden
            })
            .collect();
        let t = &ip.ynum * den * &ip.xden;
        (zs, t)
    }

    /// The sense of the region row of neuron `j` in `theta` for subset `mask`: `>= 0` for
    /// an active neuron, `<= 0` for an inactive one, flipped when `a_j = -1`.
    pub(crate) fn region_sense(&self, mask: u32, j: usize) -> Sense {
        if (mask >> j & 1 == 1) != (self.neg >> j & 1 == 1) {
            Sense::Ge
        } else {
            Sense::Le
        }
    }

    /// Number of LP variables: the parameters ([`Problem::params`]) and the error variables
    /// (one per point for `abs`, one for `max`).
    pub(crate) fn num_vars(&self) -> usize {
        self.params()
            + match self.fit {
                FitRows::Exact => 0,
                FitRows::Abs => self.len(),
                FitRows::Max => 1,
            }
    }

    /// Number of data points.
    pub(crate) fn len(&self) -> usize {
        self.xs.len()
    }

    /// Coefficients of `sum_{j in mask} (w_j . x_i + b_j)`.
    pub(crate) fn sum_coeffs(&self, i: usize, mask: u32) -> Vec<Rational> {
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

    /// `theta_j . (x_i, 1) = a_j (w_j . x_i + b_j)` at the parameter vector `q` (the
    /// pre-activation itself when `a_j = +1`).
    pub(crate) fn preact(&self, q: &[Rational], i: usize, j: usize) -> Rational {
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
    pub(crate) fn push_rows(&self, lp: &mut Lp, i: usize, mask: u32) {
        for j in 0..self.k {
            lp.push(
                self.int_sum_coeffs(i, 1 << j),
                self.region_sense(mask, j),
                Rational::ZERO,
            );
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
    pub(crate) fn system(&self, assign: &[Option<u32>]) -> Lp {
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
    pub(crate) fn homogeneous_input(&self, i: usize) -> Vec<Int> {
        let ip = &self.ints[i];
        let mut v = ip.xnum.clone();
        v.push(ip.xden.clone());
        v
    }

    /// Do the constraints of assigning point `i` to `mask` hold at `q`?
    pub(crate) fn satisfies(&self, q: &[Rational], i: usize, mask: u32) -> bool {
        if self.threshold {
            let a0 = self.k * (self.d + 1);
            let mut sum = Rational::ZERO;
            for j in 0..self.k {
                let active = self.preact(q, i, j) > Rational::ZERO;
                if active != (mask >> j & 1 == 1) {
                    return false;
                }
                if active {
                    sum += &q[a0 + j];
                }
            }
            return sum == self.ys[i];
        }
        let mut sum = Rational::ZERO;
        for j in 0..self.k {
            // z = a_j (w_j . x_i + b_j); the real pre-activation is a_j z.
            let z = self.preact(q, i, j);
            let pre_negative = if self.neg >> j & 1 == 1 {
                z > Rational::ZERO
            } else {
                z < Rational::ZERO
            };
            if mask >> j & 1 == 1 {
                if pre_negative {
                    return false;
                }
                sum += z;
            } else if !pre_negative && z != Rational::ZERO {
                return false;
            }
        }
        sum == self.ys[i]
    }
}
