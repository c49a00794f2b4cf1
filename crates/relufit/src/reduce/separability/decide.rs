//! An exact decision procedure for 2-HYPERPLANE SEPARABILITY (Section 4) on small instances.
//!
//! # Method (argument in `docs/separability-decision.md`)
//!
//! A hyperplane that contains no data point induces a *dichotomy* of `S = Q u P`: the set of
//! points on its positive side. Two such hyperplanes strictly separate `Q` and `P` iff, in the
//! four cells of their two dichotomies, no cell holds both a point of `Q` and a point of `P`.
//! So it suffices to enumerate every strictly realizable dichotomy once, with a rational
//! witness hyperplane, and test pairs.
//!
//! The dichotomies come from [`crate::geometry::dichotomies`] (every strict dichotomy with an
//! exact witness; its argument is in that module's docs: each one is a cell of the central
//! arrangement in `(h, o)`-space, reached from an extreme ray, i.e. a hyperplane through
//! independent data points). Witnesses may pass through points on their negative side; they
//! are moved off the data by lowering the offset by half the smallest positive value.
//!
//! Cost: `O(m^d)` candidate subsets and `O(m^d)` dichotomies, then `O(m^(2d))` pairs; meant
//! for `d <= 3` and a few dozen points (any `d` works, only slower). At most 128 points.

use super::problem::{Hyperplane, SeparabilityInstance};
use crate::error::{Error, Result};
use crate::geometry;
use crate::limits::{Progress, RunLimits};
use crate::num::Rational;
use std::collections::HashMap;

/// Largest number of points the decision procedure accepts (sign vectors are `u128`).
pub const MAX_POINTS: usize = 128;

/// Largest bound on the number of dichotomies accepted, [`dichotomy_bound`]: the pairs
/// tested grow as its square (`50_000` is about 10^9 pairs, seconds), and the enumeration of
/// candidate subsets with it. Larger instances (e.g. `d = 4` with 60 points, a bound near
/// 10^6) are refused up front instead of running for hours.
pub const MAX_DICHOTOMY_BOUND: u64 = 50_000;

/// Cover's bound on the dichotomies of `m` points in `Q^d` realizable by affine hyperplanes,
/// `2 sum_{i=0}^{d} C(m - 1, i)` (attained in general position); saturates at `u64::MAX`.
pub fn dichotomy_bound(m: usize, d: usize) -> u64 {
    let n = m.saturating_sub(1) as u128;
    let (mut term, mut sum) = (1u128, 1u128);
    for i in 1..=d.min(m.saturating_sub(1)) as u128 {
        term = term * (n + 1 - i) / i;
        sum = sum.saturating_add(term);
        if sum > u64::MAX as u128 {
            return u64::MAX;
        }
    }
    u64::try_from(sum.saturating_mul(2)).unwrap_or(u64::MAX)
}

/// A dichotomy of `Q u P` realized by a hyperplane containing no data point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dichotomy {
    /// Bit `i` set iff point `i` (`Q` first, then `P`) is on the positive side.
    pub positive: u128,
    /// A rational hyperplane realizing it (no data point on it).
    pub witness: Hyperplane,
}

/// The answer of [`decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Two rational hyperplanes that strictly separate `Q` and `P` (checked exactly).
    Separable {
        /// The hyperplanes.
        pair: [Hyperplane; 2],
        /// True if they were re-oriented into the restricted form (3)-(4): `Q` in one cell,
        /// `P` in the two neighbouring cells. The margin (5) is not guaranteed.
        restricted: bool,
    },
    /// No two hyperplanes strictly separate `Q` and `P` (exhaustive over all dichotomies).
    NotSeparable,
}

fn bits(idx: &[usize]) -> u128 {
    idx.iter().fold(0u128, |m, &i| m | (1u128 << i))
}

/// The witness `(w, b)` of a dichotomy moved off the data: `b` drops by half the smallest
/// positive value `w . x + b` (or by 1 if none is positive), so points on the hyperplane
/// become negative and no sign of another point changes.
fn off_the_points(w: Vec<Rational>, b: Rational, points: &[&[Rational]]) -> Hyperplane {
    let smallest_positive = points
        .iter()
        .map(|x| dot(&w, x) + &b)
        .filter(|v| *v > Rational::ZERO)
        .min();
    let shift = smallest_positive.map_or(Rational::ONE, |v| v / Rational::from(2u8));
    Hyperplane::new(w, b - shift)
}

fn dot(a: &[Rational], b: &[Rational]) -> Rational {
    a.iter()
        .zip(b)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}

/// A hyperplane `x_1 = c` beyond every point: all points negative (`all_positive = false`)
/// or all positive.
pub(crate) fn far_hyperplane(inst: &SeparabilityInstance, all_positive: bool) -> Hyperplane {
    let d = inst.dim();
    let mut h = vec![Rational::ZERO; d];
    h[0] = Rational::ONE;
    let xs = inst.points().map(|x| x[0].clone());
    let o = if all_positive {
        -xs.min().unwrap_or(Rational::ZERO) + Rational::ONE
    } else {
        -xs.max().unwrap_or(Rational::ZERO) - Rational::ONE
    };
    Hyperplane::new(h, o)
}

/// Every dichotomy of `Q u P` (points indexed `Q` first, then `P`) that some hyperplane
/// containing no data point realizes, each with a rational witness. Includes the two
/// trivial dichotomies (all on one side). Exact; see the module documentation.
pub fn dichotomies(inst: &SeparabilityInstance) -> Result<Vec<Dichotomy>> {
    dichotomies_within(inst, &RunLimits::none())
}

/// [`dichotomies`] under run-time limits ([`Error::Stopped`] when they stop it).
pub fn dichotomies_within(
    inst: &SeparabilityInstance,
    limits: &RunLimits,
) -> Result<Vec<Dichotomy>> {
    inst.validate()?;
    let m = inst.m();
    if m > MAX_POINTS {
        return Err(Error::Invalid(format!(
            "the exact decision procedure handles at most {MAX_POINTS} points, got {m}"
        )));
    }
    let bound = dichotomy_bound(m, inst.dim());
    if bound > MAX_DICHOTOMY_BOUND {
        return Err(Error::Invalid(format!(
            "too large for the exact decision: {m} points in dimension {} may have up to \
             {bound} dichotomies (pairs tested: about its square); the limit is \
             {MAX_DICHOTOMY_BOUND} (fewer points or a smaller dimension)",
            inst.dim()
        )));
    }
    let points: Vec<Vec<Rational>> = inst.points().cloned().collect();
    let refs: Vec<&[Rational]> = points.iter().map(|x| x.as_slice()).collect();
    let mut found: HashMap<u128, Hyperplane> = HashMap::new();
    let candidates = geometry::candidate_count(m, inst.dim());
    let mut progress = |examined: u64| {
        limits.report(|elapsed| Progress::counted("dichotomies", examined, candidates, elapsed))
    };
    let dichotomies = geometry::dichotomies_within(&refs, limits, &mut progress)?;
    // Each witness costs `m` exact products: thousands of dichotomies take a while.
    let mut tick = limits.ticker(16);
    for dch in dichotomies {
        tick.tick()?;
        let hp = off_the_points(dch.w, dch.b, &refs);
        if !hp.is_degenerate() {
            found.insert(bits(&dch.inside), hp);
        }
    }
    let full = if m == 128 {
        u128::MAX
    } else {
        (1u128 << m) - 1
    };
    found.insert(full, far_hyperplane(inst, true));
    found.insert(0, far_hyperplane(inst, false));
    let mut list: Vec<Dichotomy> = found
        .into_iter()
        .map(|(positive, witness)| Dichotomy { positive, witness })
        .collect();
    list.sort_by_key(|dch| dch.positive);
    Ok(list)
}

/// Do the dichotomies `a` and `b` strictly separate `Q` (mask `qm`) from `P` (mask `pm`)?
/// True iff no cell of the two holds points of both sets.
fn separates(a: u128, b: u128, qm: u128, pm: u128) -> bool {
    [a & b, a & !b, !a & b, !a & !b]
        .iter()
        .all(|&c| (c & qm) == 0 || (c & pm) == 0)
}

/// Restricted form (3)-(4), combinatorially: `Q` in one cell, `P` avoiding that cell and
/// the opposite one.
fn restricted(a: u128, b: u128, qm: u128, pm: u128) -> bool {
    let cells = [a & b, a & !b, !a & b, !a & !b];
    let opposite = [3usize, 2, 1, 0];
    let used: Vec<usize> = (0..4).filter(|&c| cells[c] & qm != 0).collect();
    match used.as_slice() {
        [] => true,
        [c] => cells[*c] & pm == 0 && cells[opposite[*c]] & pm == 0,
        _ => false,
    }
}

/// Decide 2-HYPERPLANE SEPARABILITY exactly (Section 4) by enumerating all dichotomies
/// ([`dichotomies`]) and testing pairs; a "yes" carries two rational hyperplanes that strictly
/// separate (checked by [`super::check::check_strict`]), re-oriented into the restricted
/// form (3)-(4) when some separating pair allows it.
pub fn decide(inst: &SeparabilityInstance) -> Result<Decision> {
    decide_within(inst, &RunLimits::none())
}

/// [`decide`] under run-time limits: the time limit and cancellation are checked while the
/// dichotomies are enumerated and every 4096 pairs; [`Error::Stopped`] when they stop it.
pub fn decide_within(inst: &SeparabilityInstance, limits: &RunLimits) -> Result<Decision> {
    let list = dichotomies_within(inst, limits)?;
    let mut tick = limits.ticker(4096);
    let nq = inst.q.len();
    let m = inst.m();
    let qm = bits(&(0..nq).collect::<Vec<_>>());
    let pm = bits(&(nq..m).collect::<Vec<_>>());
    let mut fallback: Option<[Hyperplane; 2]> = None;
    let pairs = (list.len() as u64) * (list.len() as u64 + 1) / 2;
    let mut tested = 0u64;
    for (i, a) in list.iter().enumerate() {
        for b in &list[i..] {
            tested += 1;
            if tick.tick_and_report()? {
                limits.report(|elapsed| {
                    Progress::counted("pairs of dichotomies", tested, pairs, elapsed)
                });
            }
            if !separates(a.positive, b.positive, qm, pm) {
                continue;
            }
            let pair = [a.witness.clone(), b.witness.clone()];
            if restricted(a.positive, b.positive, qm, pm) {
                if let Some(o) = super::check::orient(inst, &pair) {
                    return finish(inst, o, true);
                }
            }
            if fallback.is_none() {
                fallback = Some(pair);
            }
        }
    }
    match fallback {
        Some(pair) => finish(inst, pair, false),
        None => Ok(Decision::NotSeparable),
    }
}

fn finish(
    inst: &SeparabilityInstance,
    pair: [Hyperplane; 2],
    restricted: bool,
) -> Result<Decision> {
    super::check::check_strict(inst, &pair).map_err(|e| {
        Error::Invalid(format!(
            "internal error: decision witness fails the exact check: {e}"
        ))
    })?;
    Ok(Decision::Separable { pair, restricted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    fn pts(v: &[(i64, i64)]) -> Vec<Vec<Rational>> {
        v.iter().map(|&(a, b)| vec![int(a), int(b)]).collect()
    }

    #[test]
    fn counts_dichotomies_of_points_in_general_position() {
        // n points in general position in the plane: 2 * (1 + C(n,2)) linear dichotomies
        // (including the two trivial ones); here n = 4 (a convex quadrilateral): 14.
        let inst = SeparabilityInstance::new(pts(&[(0, 0), (3, 1), (1, 4)]), pts(&[(5, 5)]));
        assert_eq!(dichotomies(&inst).unwrap().len(), 14);
        // Collinear points: n points on a line have 2n dichotomies.
        let line = SeparabilityInstance::new(pts(&[(0, 0), (1, 1), (2, 2)]), pts(&[(3, 3)]));
        assert_eq!(dichotomies(&line).unwrap().len(), 8);
    }

    #[test]
    fn cover_bound_and_its_limit() {
        // 4 points in the plane in general position: 2 (1 + 3 + 3) = 14, as counted above.
        assert_eq!(dichotomy_bound(4, 2), 14);
        assert_eq!(dichotomy_bound(1, 5), 2);
        assert_eq!(dichotomy_bound(128, 127), u64::MAX);
        let big = SeparabilityInstance::new(
            (0..30).map(|i| vec![int(i); 4]).collect(),
            (0..30).map(|i| vec![int(-i); 4]).collect(),
        );
        let e = decide(&big).unwrap_err().to_string();
        assert!(e.contains("too large for the exact decision"), "{e}");
    }

    #[test]
    fn xor_is_two_separable_but_three_alternating_groups_are_not() {
        let xor = SeparabilityInstance::new(pts(&[(0, 0), (2, 2)]), pts(&[(0, 2), (2, 0)]));
        assert!(matches!(decide(&xor).unwrap(), Decision::Separable { .. }));
        // Alternating colours around a regular-ish hexagon need three lines.
        let hex = SeparabilityInstance::new(
            pts(&[(2, 0), (-1, 2), (-1, -2)]),
            pts(&[(-2, 0), (1, -2), (1, 2)]),
        );
        assert_eq!(decide(&hex).unwrap(), Decision::NotSeparable);
        // A point in both sets can never be separated.
        let dup = SeparabilityInstance::new(pts(&[(0, 0)]), pts(&[(0, 0)]));
        assert_eq!(decide(&dup).unwrap(), Decision::NotSeparable);
    }
}
