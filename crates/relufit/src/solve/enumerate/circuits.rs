//! A stronger exact leaf bound for the `abs` and `max` losses (ReLU, `n <= 64`), from
//! *circuits*: `d + 2` data points with an affine dependence `sum_i lambda_i (x_i, 1) = 0`.
//!
//! Inside one activation class of a leaf (the points where the same neurons are active)
//! `phi` is affine, so `sum_i lambda_i phi(x_i) = 0` for a circuit in the class and the
//! residuals `r_i = phi(x_i) - y_i` satisfy `sum_i lambda_i r_i = -lambda . y`. Hence
//! `sum_i |r_i| >= |lambda . y| / max_i |lambda_i|` and `max_i |r_i| >= |lambda . y| /
//! sum_i |lambda_i|`. Disjoint circuits in a class add up (abs); classes are disjoint, so
//! per class the larger of this and the sign bound of [`super::bounds`] may be summed.

use crate::limits::{RunLimits, Stopped};
use crate::linalg::null_vector;
use crate::model::Loss;
use crate::num::{abs, Int, Rational};

/// One circuit: its points as a bit mask and its bound value.
#[derive(Debug, Clone)]
pub(crate) struct Circuit {
    /// The points with non-zero coefficient.
    pub mask: u64,
    /// `|lambda . y| / max |lambda_i|` (abs) or `/ sum |lambda_i|` (max).
    pub value: Rational,
    /// `floor(value * unit)`: the value as a fixed-point lower bound in units of `1 / unit`
    /// (the `unit` given to [`circuits`]), so leaves sum integers instead of rationals.
    pub lo: i128,
}

/// For every point set in `sets` (bit masks), the indices of the circuits inside it, in the
/// order of `circuits` (largest value first): a class inside that set only needs to scan
/// these.
pub(crate) fn contained(circuits: &[Circuit], sets: impl Iterator<Item = u64>) -> Vec<Vec<u32>> {
    sets.map(|set| {
        circuits
            .iter()
            .enumerate()
            .filter(|(_, c)| c.mask & !set == 0)
            .map(|(i, _)| i as u32)
            .collect()
    })
    .collect()
}

/// How many circuits to look for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScanLimits {
    /// `d + 2`-subsets scanned at most.
    pub scan: usize,
    /// Circuits kept at most.
    pub keep: usize,
}

/// Subsets scanned between two checks of the run's limits.
const CHECK_EVERY: u32 = 1024;

/// Up to `limits.keep` circuits with the largest values (`d + 2`-subsets with a
/// one-dimensional affine dependence, scanning at most `limits.scan` subsets in lexicographic
/// order), with their values also as fixed-point lower bounds in units of `1 / unit`. `ints`
/// is the integer form of the same data when it exists (then the minors are computed in
/// integers). Stops when the run's limits say so.
pub(crate) fn circuits(
    xs: &[Vec<Rational>],
    ys: &[Rational],
    ints: Option<&super::l1::IntData>,
    loss: Loss,
    amount: ScanLimits,
    unit: &Rational,
    limits: &RunLimits,
) -> Result<Vec<Circuit>, Stopped> {
    let n = xs.len();
    let d = xs.first().map_or(0, Vec::len);
    let m = d + 2;
    if n > 64 || n < m {
        return Ok(Vec::new());
    }
    let (scan, keep) = (amount.scan, amount.keep);
    if let Some(data) = ints {
        if let Some(out) = integer_circuits(data, loss, scan, keep, unit, limits)? {
            return Ok(out);
        }
    }
    rational_circuits(xs, ys, loss, scan, keep, unit, limits)
}

/// [`circuits`] with rational null vectors (any data).
fn rational_circuits(
    xs: &[Vec<Rational>],
    ys: &[Rational],
    loss: Loss,
    scan: usize,
    keep: usize,
    unit: &Rational,
    limits: &RunLimits,
) -> Result<Vec<Circuit>, Stopped> {
    let n = xs.len();
    let m = xs.first().map_or(0, Vec::len) + 2;
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..m).collect();
    let mut scanned = 0;
    let mut tick = limits.ticker(CHECK_EVERY / 16);
    loop {
        tick.tick()?;
        scanned += 1;
        if let Some(c) = circuit(xs, ys, &idx, loss, unit) {
            out.push(c);
        }
        // Next m-subset.
        let mut p = m;
        while p > 0 && idx[p - 1] == n - m + p - 1 {
            p -= 1;
        }
        if p == 0 || scanned >= scan {
            break;
        }
        idx[p - 1] += 1;
        for q in p..m {
            idx[q] = idx[q - 1] + 1;
        }
    }
    out.sort_by(|a, b| b.value.cmp(&a.value));
    out.truncate(keep);
    Ok(out)
}

/// Next `m`-subset of `0..n` in lexicographic order (`false` after the last).
fn next_subset(idx: &mut [usize], n: usize) -> bool {
    let m = idx.len();
    let mut p = m;
    while p > 0 && idx[p - 1] == n - m + p - 1 {
        p -= 1;
    }
    if p == 0 {
        return false;
    }
    idx[p - 1] += 1;
    for q in p..m {
        idx[q] = idx[q - 1] + 1;
    }
    true
}

/// [`circuits`] in integers: the dependence of `d + 2` points `h_i = L_i (x_i, 1)` is the
/// vector of signed maximal minors `mu` (`sum mu_i h_i = 0` by Cramer's rule), so
/// `lambda_i = mu_i L_i`; all zero when the points span less than `R^{d+1}` (such subsets
/// are skipped: fewer circuits, still valid bounds). `Ok(None)` on overflow (the rational
/// path is used then).
fn integer_circuits(
    data: &super::l1::IntData,
    loss: Loss,
    scan: usize,
    keep: usize,
    unit: &Rational,
    limits: &RunLimits,
) -> Result<Option<Vec<Circuit>>, Stopped> {
    let mut tick = limits.ticker(CHECK_EVERY);
    let mut stopped = None;
    let found = integer_circuit_list(data, loss, scan, keep, unit, &mut || match tick.tick() {
        Ok(()) => true,
        Err(s) => {
            stopped = Some(s);
            false
        }
    });
    match stopped {
        Some(s) => Err(s),
        None => Ok(found),
    }
}

/// The integer scan; `go_on` is asked once per subset (`false` ends the scan, the result is
/// then discarded by the caller).
fn integer_circuit_list(
    data: &super::l1::IntData,
    loss: Loss,
    scan: usize,
    keep: usize,
    unit: &Rational,
    go_on: &mut dyn FnMut() -> bool,
) -> Option<Vec<Circuit>> {
    let n = data.h.len();
    let m = data.h[0].len() + 1;
    // (|lambda . y| * yden, denominator of the bound, mask)
    let mut found: Vec<(i128, i128, u64)> = Vec::new();
    let mut idx: Vec<usize> = (0..m).collect();
    let mut scanned = 0;
    loop {
        if !go_on() {
            return None;
        }
        scanned += 1;
        let mut lambda = Vec::with_capacity(m);
        if m == 4 {
            // d = 2: the four 3 x 3 minors in closed form (no allocation).
            let c: Vec<&[i128]> = idx.iter().map(|&i| data.h[i].as_slice()).collect();
            let det3 = |a: &[i128], b: &[i128], e: &[i128]| -> Option<i128> {
                let t0 = a[0].checked_mul(
                    b[1].checked_mul(e[2])?
                        .checked_sub(b[2].checked_mul(e[1])?)?,
                )?;
                let t1 = b[0].checked_mul(
                    a[1].checked_mul(e[2])?
                        .checked_sub(a[2].checked_mul(e[1])?)?,
                )?;
                let t2 = e[0].checked_mul(
                    a[1].checked_mul(b[2])?
                        .checked_sub(a[2].checked_mul(b[1])?)?,
                )?;
                t0.checked_sub(t1)?.checked_add(t2)
            };
            let minors = [
                det3(c[1], c[2], c[3])?,
                det3(c[0], c[2], c[3])?,
                det3(c[0], c[1], c[3])?,
                det3(c[0], c[1], c[2])?,
            ];
            for (skip, minor) in minors.into_iter().enumerate() {
                let mu = if skip % 2 == 0 { minor } else { -minor };
                lambda.push(mu.checked_mul(data.l[idx[skip]])?);
            }
        }
        for skip in (0..m).filter(|_| m != 4) {
            let rows: Vec<i128> = (0..m - 1)
                .flat_map(|r| {
                    idx.iter()
                        .enumerate()
                        .filter(|&(c, _)| c != skip)
                        .map(move |(_, &i)| data.h[i][r])
                })
                .collect();
            let minor = crate::lp::exact::solve::determinant_in::<i128>(m - 1, &rows).ok()?;
            let mu = if skip % 2 == 0 { minor } else { -minor };
            lambda.push(mu.checked_mul(data.l[idx[skip]])?);
        }
        if lambda.iter().any(|&v| v != 0) {
            let mut ly: i128 = 0;
            for (l, &i) in lambda.iter().zip(&idx) {
                ly = ly.checked_add(l.checked_mul(data.ys[i])?)?;
            }
            if ly != 0 {
                let denom = match loss {
                    Loss::Max => lambda
                        .iter()
                        .try_fold(0i128, |a, v| a.checked_add(v.abs()))?,
                    _ => lambda.iter().map(|v| v.abs()).max()?,
                };
                let mask = idx
                    .iter()
                    .zip(&lambda)
                    .filter(|(_, &l)| l != 0)
                    .fold(0u64, |acc, (&i, _)| acc | 1 << i);
                found.push((ly.abs(), denom.checked_mul(data.yden)?, mask));
            }
        }
        if scanned >= scan || !next_subset(&mut idx, n) {
            break;
        }
    }
    // Largest value first; a / b > c / e  <=>  a e > c b (denominators positive).
    for &(a, b, _) in &found {
        a.checked_mul(b)?;
    }
    let top = found.iter().map(|f| f.0).max().unwrap_or(0);
    let bot = found.iter().map(|f| f.1).max().unwrap_or(0);
    top.checked_mul(bot)?;
    found.sort_by(|x, y| (y.0 * x.1).cmp(&(x.0 * y.1)));
    found.truncate(keep);
    found
        .into_iter()
        .map(|(a, b, mask)| {
            let value = Rational::from_parts_signed(Int::from(a), Int::from(b));
            let lo = i128::try_from((&value * unit).floor()).ok()?;
            Some(Circuit { mask, value, lo })
        })
        .collect()
}

fn circuit(
    xs: &[Vec<Rational>],
    ys: &[Rational],
    idx: &[usize],
    loss: Loss,
    unit: &Rational,
) -> Option<Circuit> {
    // Columns (x_i, 1) for i in idx: a (d+1) x (d+2) matrix; its null space.
    let d = xs[0].len();
    let rows: Vec<Vec<Rational>> = (0..=d)
        .map(|r| {
            idx.iter()
                .map(|&i| {
                    if r < d {
                        xs[i][r].clone()
                    } else {
                        Rational::ONE
                    }
                })
                .collect()
        })
        .collect();
    let lambda = null_vector(rows, idx.len())?;
    let ly = lambda
        .iter()
        .zip(idx)
        .fold(Rational::ZERO, |acc, (l, &i)| acc + l * &ys[i]);
    if ly == Rational::ZERO {
        return None;
    }
    let denom = match loss {
        Loss::Max => lambda.iter().fold(Rational::ZERO, |acc, l| acc + abs(l)),
        _ => lambda.iter().map(abs).max()?,
    };
    let mask = idx
        .iter()
        .zip(&lambda)
        .filter(|(_, l)| **l != Rational::ZERO)
        .fold(0u64, |m, (&i, _)| m | 1 << i);
    let value = abs(&ly) / denom;
    let lo = i128::try_from((&value * unit).floor()).ok()?;
    Some(Circuit { mask, value, lo })
}

/// The circuit bound of one activation class `class` (bit mask), as a fixed-point lower
/// bound (units of `1 / unit`): greedy disjoint circuits (abs: their sum; max: the largest).
/// `min_size` is the fewest points of any circuit: the scan stops once fewer points of the
/// class are unused.
pub(crate) fn class_bound<'a>(
    circuits: impl IntoIterator<Item = &'a Circuit>,
    class: u64,
    loss: Loss,
    min_size: u32,
) -> i128 {
    let mut used = 0u64;
    let mut total = 0i128;
    if class.count_ones() < min_size {
        return 0;
    }
    for c in circuits {
        if c.mask & !class != 0 {
            continue;
        }
        if loss == Loss::Max {
            return c.lo;
        }
        if c.mask & used == 0 {
            used |= c.mask;
            total += c.lo;
            if (class & !used).count_ones() < min_size {
                break;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    #[test]
    fn integer_circuits_match_rational_ones() {
        let mut rng = crate::rng::Rng::new(11);
        for d in [1usize, 2, 3] {
            let n = 9;
            let xs: Vec<Vec<Rational>> = (0..n)
                .map(|_| (0..d).map(|_| int(rng.range_inclusive(-6, 6))).collect())
                .collect();
            let ys: Vec<Rational> = (0..n)
                .map(|_| crate::num::ratio(rng.range_inclusive(-20, 20), 2))
                .collect();
            let data = crate::solve::enumerate::l1::IntData::new(&xs, &ys).unwrap();
            for loss in [Loss::Abs, Loss::Max] {
                let unit = int(1 << 20);
                let none = RunLimits::none();
                let fast = integer_circuits(&data, loss, 100_000, 100_000, &unit, &none)
                    .unwrap()
                    .unwrap();
                let slow =
                    rational_circuits(&xs, &ys, loss, 100_000, 100_000, &unit, &none).unwrap();
                assert!(!fast.is_empty());
                for c in &fast {
                    assert!(
                        slow.iter().any(|s| s.mask == c.mask && s.value == c.value),
                        "integer circuit {c:?} not found"
                    );
                    assert_eq!(c.lo, i128::try_from((&c.value * &unit).floor()).unwrap());
                }
                assert!(fast.windows(2).all(|w| w[0].value >= w[1].value));
            }
        }
    }

    #[test]
    fn collinear_points_bound_non_affine_labels() {
        // x = 0, 1, 2 on a line in d = 1 (circuits of 3 points): labels 0, 1, 0 are not
        // affine; lambda = (1, -2, 1), lambda . y = -2, so sum |r| >= 2 / 2 = 1.
        let xs = vec![vec![int(0)], vec![int(1)], vec![int(2)]];
        let ys = vec![int(0), int(1), int(0)];
        let unit = int(1000);
        let few = ScanLimits {
            scan: 100,
            keep: 10,
        };
        let none = RunLimits::none();
        let c = circuits(&xs, &ys, None, Loss::Abs, few, &unit, &none).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].value, int(1));
        assert_eq!(class_bound(&c, 0b111, Loss::Abs, 3), 1000);
        assert_eq!(class_bound(&c, 0b011, Loss::Abs, 3), 0);
        assert_eq!(
            contained(&c, [0b111, 0b011].into_iter()),
            vec![vec![0], vec![]]
        );
        let c = circuits(&xs, &ys, None, Loss::Max, few, &unit, &none).unwrap();
        assert_eq!(c[0].value, Rational::from(2) / Rational::from(4));
        assert_eq!(c[0].lo, 500);
        // A value that is not a multiple of 1 / unit is rounded down (a lower bound).
        let c = circuits(&xs, &ys, None, Loss::Max, few, &int(3), &none).unwrap();
        assert_eq!(c[0].lo, 1);
    }
}
