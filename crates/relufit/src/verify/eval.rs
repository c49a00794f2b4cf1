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

use crate::model::{Activation, Network};
use crate::num::{Int, Natural, Rational};

const U: f64 = 1.0 / 9_007_199_254_740_992.0; // 2^-53
const LIMIT_HI: f64 = 3.273_390_607_896_142e150; // 2^500
const LIMIT_LO: f64 = 3.054_936_363_499_605e-151; // 2^-500

/// How the pre-activation signs were decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalStats {
    /// Point-neuron pairs evaluated.
    pub pairs: u64,
    /// Pairs whose sign the float filter decided.
    pub float_decided: u64,
    /// Pairs whose numerator was computed exactly (undecided by the filter, or active ReLUs).
    pub exact_computed: u64,
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

fn lcm(a: &Natural, b: &Natural) -> Natural {
    use dashu_int::ops::Gcd;
    if a == &Natural::ONE {
        return b.clone();
    }
    let g = a.gcd(b);
    a / &g * b
}

fn safe_f64(v: &Rational) -> Option<f64> {
    let f = v.to_f64_fast();
    let m = f.abs();
    if f == 0.0 {
        return (v == &Rational::ZERO).then_some(0.0);
    }
    (f.is_finite() && (LIMIT_LO..=LIMIT_HI).contains(&m)).then_some(f)
}

fn clear(values: &[&Rational]) -> Cleared {
    let den = values
        .iter()
        .fold(Natural::ONE, |acc, v| lcm(&acc, v.denominator()));
    let num = values
        .iter()
        .map(|v| v.numerator() * Int::from(&den / v.denominator()))
        .collect();
    let approx: Option<Vec<f64>> = values.iter().map(|v| safe_f64(v)).collect();
    Cleared { num, den, approx }
}

fn int_sign(n: &Int) -> i8 {
    match n.cmp(&Int::ZERO) {
        std::cmp::Ordering::Greater => 1,
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
    }
}

/// Evaluate `net` at every point of `xs` exactly (all points of the network's dimension).
pub fn evaluate(net: &Network, xs: &[&[Rational]]) -> Evaluation {
    // Neuron j: (w_j, b_j) cleared to (W_j, B_j) / D_j, with W_j stored as num[..d], B_j last.
    let neurons: Vec<Cleared> = net
        .neurons
        .iter()
        .map(|n| clear(&n.w.iter().chain(std::iter::once(&n.b)).collect::<Vec<_>>()))
        .collect();
    let output = OutputScale::new(net, &neurons);
    let mut stats = EvalStats::default();
    let mut values = Vec::with_capacity(xs.len());
    for x in xs {
        let point = clear(&x.iter().collect::<Vec<_>>());
        let e = Int::from(point.den.clone());
        let mut sum = Rational::ZERO;
        let mut int_sum = Int::ZERO;
        for (j, nj) in neurons.iter().enumerate() {
            stats.pairs += 1;
            let filtered = filter_sign(nj, &point);
            // Exact work only where the filter failed, or for active ReLUs (their value).
            let exact_needed = match filtered {
                None => true,
                Some(sign) => sign > 0 && net.activation == Activation::Relu,
            };
            let (sign, numerator) = if exact_needed {
                stats.exact_computed += 1;
                let d = x.len();
                let mut n = &nj.num[d] * &e;
                for k in 0..d {
                    n += &nj.num[k] * &point.num[k];
                }
                (int_sign(&n), Some(n))
            } else {
                stats.float_decided += 1;
                (filtered.unwrap_or(0), None)
            };
            if sign <= 0 {
                continue;
            }
            match net.activation {
                Activation::Threshold => sum += &net.neurons[j].a,
                Activation::Relu => {
                    let n = numerator.expect("active ReLU numerators are exact");
                    match &output {
                        OutputScale::Common { coef, .. } => int_sum += &coef[j] * n,
                        OutputScale::Separate(scale) => sum += &scale[j] * Rational::from(n),
                    }
                }
            }
        }
        if net.activation == Activation::Relu {
            if let OutputScale::Common { den, .. } = &output {
                sum = Rational::from_parts(int_sum, den.clone());
            }
            if point.den != Natural::ONE {
                sum /= Rational::from(point.den.clone());
            }
        }
        values.push(sum);
    }
    Evaluation { values, stats }
}

/// How active ReLU terms `a_j N_ij / D_j` are summed (the `1 / E_i` comes last).
enum OutputScale {
    /// All `a_j / D_j = coef_j / den` over one common denominator of moderate size: the sum
    /// is an integer sum, normalised once per point.
    Common {
        /// `coef_j = a_j * den / D_j`, integers.
        coef: Vec<Int>,
        /// The common denominator.
        den: Natural,
    },
    /// Denominators too large to combine: sum `a_j / D_j * N_ij` as rationals.
    Separate(Vec<Rational>),
}

/// Largest common output denominator (in bits) for which integer summation is used.
const MAX_COMMON_DENOMINATOR_BITS: usize = 4096;

impl OutputScale {
    fn new(net: &Network, neurons: &[Cleared]) -> Self {
        use dashu_int::ops::BitTest;
        let scale: Vec<Rational> = net
            .neurons
            .iter()
            .zip(neurons)
            .map(|(n, c)| &n.a / Rational::from(c.den.clone()))
            .collect();
        let mut den = Natural::ONE;
        for q in &scale {
            den = lcm(&den, q.denominator());
            if den.bit_len() > MAX_COMMON_DENOMINATOR_BITS {
                return OutputScale::Separate(scale);
            }
        }
        let coef = scale
            .iter()
            .map(|q| q.numerator() * Int::from(&den / q.denominator()))
            .collect();
        OutputScale::Common { coef, den }
    }
}

/// The sign of `w.x + b` if the float filter can decide it (0 only when exactly zero is
/// certain, i.e. all terms are exactly zero).
fn filter_sign(neuron: &Cleared, point: &Cleared) -> Option<i8> {
    let w = neuron.approx.as_ref()?;
    let x = point.approx.as_ref()?;
    let d = x.len();
    let b = w[d];
    let mut t = b;
    let mut s = b.abs();
    for k in 0..d {
        let p = w[k] * x[k];
        t += p;
        s += p.abs();
    }
    if s == 0.0 {
        return Some(0); // every term is an exact zero
    }
    let bound = 2.0 * (d as f64 + 8.0) * U * s;
    if t > bound {
        Some(1)
    } else if t < -bound {
        Some(-1)
    } else {
        None
    }
}
