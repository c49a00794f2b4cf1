//! Filtered exact evaluation of `phi` at many points.
//!
//! # The float filter and its error bound
//!
//! Every parameter and coordinate `v` is converted once to `f64` as `v~ = v (1 + a)` with
//! `|a| <= 2u`, `u = 2^-53` (dashu's fast conversion may be off by one ulp). Values whose
//! magnitude lies outside `[2^-500, 2^500]` (other than 0) are not converted at all: any
//! pre-activation touching them is computed exactly. This keeps every product inside the
//! normal `f64` range, so no underflow or overflow occurs.
//!
//! The filter computes `t~ = fl(sum_k w~_k x~_k + b~)` and `S = fl(sum_k |w~_k x~_k| + |b~|)`.
//! Each rounded product carries relative error at most `(1+2u)^2 (1+u) - 1 < 5.01u`, and
//! recursive summation of `d + 1` terms adds at most `gamma_{d+1} = (d+1)u / (1 - (d+1)u)`
//! times the sum of magnitudes. Hence `|t~ - t| <= ((d + 7) u) * 1.002 * S` for `d < 2^40`,
//! and we use the bound `B = 2 (d + 8) u S`, which dominates it with margin. If `|t~| > B`
//! the sign of `t~` is the sign of `t`. Otherwise the numerator of `t` is computed exactly
//! in integers (denominators cleared once per neuron and once per point).
//!
//! # Exact sums
//!
//! With `w_j = W_j / D_j`, `b_j = B_j / D_j` and `x = X / E` (integers, denominators cleared
//! once), a ReLU network gives `phi(x) = (C . X + c_0 E) / (L E)` where `L` is a common
//! denominator of the `a_j / D_j` and `(C, c_0) = sum over active j of (a_j L / D_j) (W_j, B_j)`.
//! So the exact work per active neuron is `d + 1` integer additions of precomputed vectors
//! (in `i128` when every entry fits in `i64`, which cannot overflow for fewer than `2^64`
//! neurons), and one exact dot product per point. Threshold networks sum `a_j L` likewise.
//! Points are split over the available cores.

use crate::limits::{RunLimits, Stopped};
use crate::model::{Activation, Network};
use crate::num::{common_denominator, lcm, Int, Natural, Rational};
use std::convert::Infallible;

const U: f64 = 1.0 / 9_007_199_254_740_992.0; // 2^-53
const LIMIT_HI: f64 = 3.273_390_607_896_142e150; // 2^500
const LIMIT_LO: f64 = 3.054_936_363_499_605e-151; // 2^-500

/// Largest common output denominator (in bits) for which integer summation is used.
const MAX_COMMON_DENOMINATOR_BITS: usize = 4096;

/// How the pre-activation signs were decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalStats {
    /// Point-neuron pairs evaluated.
    pub pairs: u64,
    /// Pairs whose sign the float filter decided.
    pub float_decided: u64,
    /// Pairs whose sign needed the exact integer numerator.
    pub exact_computed: u64,
}

impl EvalStats {
    fn add(&mut self, other: &EvalStats) {
        self.pairs += other.pairs;
        self.float_decided += other.float_decided;
        self.exact_computed += other.exact_computed;
    }
}

/// `phi` at every point plus the statistics of the filter.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// `phi(x_i)`, exactly.
    pub values: Vec<Rational>,
    /// Filter statistics.
    pub stats: EvalStats,
}

/// An exact vector `v = num / den` with integer `num` and positive `den`, plus its filter
/// approximation (`None` if some entry is outside the safe float range).
struct Cleared {
    num: Vec<Int>,
    den: Natural,
    approx: Option<Vec<f64>>,
}

fn safe_f64(v: &Rational) -> Option<f64> {
    let f = v.to_f64_fast();
    let m = f.abs();
    if f == 0.0 {
        return (v == &Rational::ZERO).then_some(0.0);
    }
    (f.is_finite() && (LIMIT_LO..=LIMIT_HI).contains(&m)).then_some(f)
}

fn clear<'a>(values: impl Iterator<Item = &'a Rational> + Clone) -> Cleared {
    let den = common_denominator(values.clone());
    let num = values
        .clone()
        .map(|v| {
            if v.denominator() == &den {
                v.numerator().clone()
            } else {
                v.numerator() * Int::from(&den / v.denominator())
            }
        })
        .collect();
    let approx: Option<Vec<f64>> = values.map(safe_f64).collect();
    Cleared { num, den, approx }
}

fn int_sign(n: &Int) -> i8 {
    match n.cmp(&Int::ZERO) {
        std::cmp::Ordering::Greater => 1,
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
    }
}

/// Per-neuron integer contributions added when the neuron is active: for ReLU the vector
/// `(a_j L / D_j) (W_j, B_j)`, for threshold the scalar `a_j L` (a vector of length 1).
enum Contributions {
    /// Every entry fits in `i64`; sums in `i128`. Flattened: neuron `j` owns entries
    /// `j * width .. (j + 1) * width`.
    Small(Vec<i128>),
    /// Arbitrary size.
    Big(Vec<Vec<Int>>),
}

/// What is precomputed once per network.
struct Table {
    activation: Activation,
    d: usize,
    neurons: Vec<Cleared>,
    /// Float parameters by coordinate: `columns[k][j]` is `w_j[k]` for `k < d` and
    /// `columns[d][j]` is `b_j`; NaN marks a neuron without a safe float approximation.
    /// This layout lets the filter run over all neurons in vectorisable loops.
    columns: Vec<Vec<f64>>,
    contributions: Contributions,
    /// The common denominator `L`.
    den: Natural,
}

impl Table {
    fn new(net: &Network) -> Option<Table> {
        let d = net.dim();
        let neurons: Vec<Cleared> = net
            .neurons
            .iter()
            .map(|n| clear(n.w.iter().chain(std::iter::once(&n.b))))
            .collect();
        let columns: Vec<Vec<f64>> = (0..=d)
            .map(|k| {
                neurons
                    .iter()
                    .map(|c| c.approx.as_ref().map_or(f64::NAN, |v| v[k]))
                    .collect()
            })
            .collect();
        // Output scale per neuron: a_j / D_j (ReLU) or a_j (threshold).
        let scale: Vec<Rational> = match net.activation {
            Activation::Relu => net
                .neurons
                .iter()
                .zip(&neurons)
                .map(|(n, c)| &n.a / Rational::from(c.den.clone()))
                .collect(),
            Activation::Threshold => net.neurons.iter().map(|n| n.a.clone()).collect(),
        };
        let mut den = Natural::ONE;
        for q in &scale {
            use dashu_int::ops::BitTest;
            den = lcm(&den, q.denominator());
            if den.bit_len() > MAX_COMMON_DENOMINATOR_BITS {
                return None;
            }
        }
        let big: Vec<Vec<Int>> = scale
            .iter()
            .zip(&neurons)
            .map(|(q, c)| {
                let coef = q.numerator() * Int::from(&den / q.denominator());
                match net.activation {
                    Activation::Relu => c.num.iter().map(|v| &coef * v).collect(),
                    Activation::Threshold => vec![coef],
                }
            })
            .collect();
        let small: Option<Vec<i128>> = big
            .iter()
            .flatten()
            .map(|x| i64::try_from(x).ok().map(i128::from))
            .collect();
        let contributions = match small {
            Some(s) => Contributions::Small(s),
            None => Contributions::Big(big),
        };
        Some(Table {
            activation: net.activation,
            d,
            neurons,
            columns,
            contributions,
            den,
        })
    }

    /// Evaluate at `xs` (one thread's share), calling `check` every `every` points.
    fn evaluate<E>(
        &self,
        xs: &[&[Rational]],
        stats: &mut EvalStats,
        pace: &Pace<'_, E>,
    ) -> Result<Vec<Rational>, E> {
        let width = match self.activation {
            Activation::Relu => self.d + 1,
            Activation::Threshold => 1,
        };
        let mut small_acc = vec![0i128; width];
        let mut big_acc = vec![Int::ZERO; width];
        let mut out = Vec::with_capacity(xs.len());
        let mut signs = vec![0i8; self.neurons.len()];
        let mut t = vec![0f64; self.neurons.len()];
        let mut mag = vec![0f64; self.neurons.len()];
        for (p, x) in xs.iter().enumerate() {
            if p % pace.every == 0 {
                (pace.check)()?;
            }
            let point = clear(x.iter());
            small_acc.iter_mut().for_each(|v| *v = 0);
            big_acc.iter_mut().for_each(|v| *v = Int::ZERO);
            let e = Int::from(point.den.clone());
            stats.pairs += self.neurons.len() as u64;
            match point.approx.as_deref() {
                Some(px) => self.filter(px, &mut t, &mut mag, &mut signs),
                None => signs.iter_mut().for_each(|s| *s = 0),
            }
            // Settle the pairs the filter left open exactly (rare: points on breaklines).
            for (j, nj) in self.neurons.iter().enumerate() {
                if signs[j] != 0 {
                    continue;
                }
                stats.exact_computed += 1;
                let mut n = &nj.num[self.d] * &e;
                for k in 0..self.d {
                    n += &nj.num[k] * &point.num[k];
                }
                signs[j] = int_sign(&n);
            }
            // Sum the contributions of the active neurons.
            match &self.contributions {
                Contributions::Small(c) => {
                    // Branch-free: the active pattern is unpredictable, a mask is cheaper.
                    for (sign, cj) in signs.iter().zip(c.chunks_exact(width)) {
                        let mask = -i128::from(*sign > 0);
                        for (acc, v) in small_acc.iter_mut().zip(cj) {
                            *acc += v & mask;
                        }
                    }
                }
                Contributions::Big(c) => {
                    for (sign, cj) in signs.iter().zip(c) {
                        if *sign > 0 {
                            for (acc, v) in big_acc.iter_mut().zip(cj) {
                                *acc += v;
                            }
                        }
                    }
                }
            }
            let acc: Vec<Int> = small_acc
                .iter()
                .zip(&big_acc)
                .map(|(s, b)| Int::from(*s) + b)
                .collect();
            let value = match self.activation {
                Activation::Threshold => Rational::from_parts(acc[0].clone(), self.den.clone()),
                Activation::Relu => {
                    let mut numerator = &acc[self.d] * &e;
                    for (c, xk) in acc.iter().zip(&point.num) {
                        numerator += c * xk;
                    }
                    Rational::from_parts(numerator, &self.den * &point.den)
                }
            };
            out.push(value);
        }
        Ok(out)
    }
}

/// How often an evaluation checks whether to stop: `check` every `every` points.
struct Pace<'a, E> {
    every: usize,
    check: &'a (dyn Fn() -> Result<(), E> + Sync),
}

impl<'a, E> Pace<'a, E> {
    /// About every 2^16 neuron evaluations (a few tens of microseconds).
    fn for_network(net: &Network, check: &'a (dyn Fn() -> Result<(), E> + Sync)) -> Self {
        let work = net.width().max(1) * (net.dim() + 1);
        Pace {
            every: ((1 << 16) / work).clamp(1, 1024),
            check,
        }
    }
}

/// Evaluate `net` at every point of `xs` exactly (all points of the network's dimension).
pub fn evaluate(net: &Network, xs: &[&[Rational]]) -> Evaluation {
    let Ok(e) = evaluate_checked(net, xs, &|| Ok::<(), Infallible>(()));
    e
}

/// [`evaluate`] under run-time limits (time limit and cancellation, checked every few tens
/// of microseconds of work): `Err` if they stop it.
pub fn evaluate_within(
    net: &Network,
    xs: &[&[Rational]],
    limits: &RunLimits,
) -> Result<Evaluation, Stopped> {
    evaluate_checked(net, xs, &|| limits.check())
}

fn evaluate_checked<E: Send>(
    net: &Network,
    xs: &[&[Rational]],
    check: &(dyn Fn() -> Result<(), E> + Sync),
) -> Result<Evaluation, E> {
    if net.neurons.is_empty() {
        return Ok(Evaluation {
            values: vec![Rational::ZERO; xs.len()],
            stats: EvalStats::default(),
        });
    }
    let pace = Pace::for_network(net, check);
    let Some(table) = Table::new(net) else {
        return evaluate_plain(net, xs, &pace);
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = xs.len().saturating_mul(net.width().max(1));
    if threads <= 1 || work < 200_000 {
        let mut stats = EvalStats::default();
        let values = table.evaluate(xs, &mut stats, &pace)?;
        stats.float_decided = stats.pairs - stats.exact_computed;
        return Ok(Evaluation { values, stats });
    }
    let chunk = xs.len().div_ceil(threads);
    let parts: Vec<Result<(Vec<Rational>, EvalStats), E>> = std::thread::scope(|scope| {
        let handles: Vec<_> = xs
            .chunks(chunk)
            .map(|part| {
                let (table, pace) = (&table, &pace);
                scope.spawn(move || {
                    let mut stats = EvalStats::default();
                    table.evaluate(part, &mut stats, pace).map(|v| (v, stats))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("evaluation thread"))
            .collect()
    });
    let mut values = Vec::with_capacity(xs.len());
    let mut stats = EvalStats::default();
    for part in parts {
        let (v, s) = part?;
        values.extend(v);
        stats.add(&s);
    }
    stats.float_decided = stats.pairs - stats.exact_computed;
    Ok(Evaluation { values, stats })
}

/// Fallback for networks whose output weights have no common denominator of moderate size:
/// exact signs from the integer numerators, values summed as rationals.
fn evaluate_plain<E>(
    net: &Network,
    xs: &[&[Rational]],
    pace: &Pace<'_, E>,
) -> Result<Evaluation, E> {
    let mut stats = EvalStats::default();
    let values = xs
        .iter()
        .enumerate()
        .map(|(p, x)| {
            if p % pace.every == 0 {
                (pace.check)()?;
            }
            Ok(net.neurons.iter().fold(Rational::ZERO, |acc, n| {
                stats.pairs += 1;
                stats.exact_computed += 1;
                let t =
                    n.w.iter()
                        .zip(x.iter())
                        .fold(n.b.clone(), |s, (w, xi)| s + w * xi);
                if t <= Rational::ZERO {
                    return acc;
                }
                match net.activation {
                    Activation::Relu => acc + &n.a * t,
                    Activation::Threshold => acc + &n.a,
                }
            }))
        })
        .collect::<Result<_, E>>()?;
    Ok(Evaluation { values, stats })
}

impl Table {
    /// The float filter for one point against every neuron: `signs[j]` becomes +1 or -1
    /// where the bound decides the sign of `w_j . x + b_j`, and 0 where it cannot (also for
    /// neurons without a float approximation: NaN fails both comparisons, and for a sum of
    /// exact zeros, which the exact path settles). Terms are summed as `b`, then `w_k x_k`
    /// for `k = 0..d`, the recursive summation of the module's bound.
    fn filter(&self, x: &[f64], t: &mut [f64], mag: &mut [f64], signs: &mut [i8]) {
        let d = x.len();
        t.copy_from_slice(&self.columns[d]);
        for (m, b) in mag.iter_mut().zip(&self.columns[d]) {
            *m = b.abs();
        }
        for (k, &xk) in x.iter().enumerate() {
            for ((tj, mj), w) in t.iter_mut().zip(mag.iter_mut()).zip(&self.columns[k]) {
                let p = w * xk;
                *tj += p;
                *mj += p.abs();
            }
        }
        let factor = 2.0 * (d as f64 + 8.0) * U;
        for ((sj, tj), mj) in signs.iter_mut().zip(t.iter()).zip(mag.iter()) {
            let bound = factor * mj;
            *sj = i8::from(*tj > bound) - i8::from(*tj < -bound);
        }
    }
}
