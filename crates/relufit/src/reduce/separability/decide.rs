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
//! Lift each point to `v = (x, 1)` in `Q^(d+1)`; a hyperplane is a functional `u = (h, o)`
//! and its dichotomy is the sign vector of `u . v` (a *tope* of the vector configuration).
//! The topes are enumerated recursively: the set of functionals realizing a tope is an open
//! polyhedral cone whose closure (modulo functionals vanishing on all of `S`) is pointed, so
//! it has an extreme ray `u0`, which vanishes exactly on a subset `Z` spanning a hyperplane
//! of `span(S)`. Near `u0` the tope is `sgn(u0 . v)` off `Z` and an arbitrary tope of `Z`
//! on `Z`. Hence: for every subset spanned by `rank - 1` independent points, take `u0`
//! orthogonal to it, recurse on `Z`, and combine `u = s u0 + t u_Z` with `s = +-1` and a
//! rational `t > 0` small enough not to flip any sign off `Z`. Rank 1 (all vectors
//! parallel) has exactly the two topes `+-v`. Every tope is reached, every witness is exact.
//!
//! Cost: `O(m^d)` candidate subsets and `O(m^d)` dichotomies, then `O(m^(2d))` pairs; meant
//! for `d <= 3` and a few dozen points (any `d` works, only slower). At most 128 points.

use super::linalg::{dot, null_space, rank};
use super::problem::{Hyperplane, SeparabilityInstance};
use crate::error::{Error, Result};
use crate::num::{abs, signum, Rational};
use std::collections::HashMap;

/// Largest number of points the decision procedure accepts (sign vectors are `u128`).
pub const MAX_POINTS: usize = 128;

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

type Memo = HashMap<u128, Vec<(u128, Vec<Rational>)>>;

struct Topes<'a> {
    v: &'a [Vec<Rational>],
    n: usize,
    memo: Memo,
}

fn bits(idx: &[usize]) -> u128 {
    idx.iter().fold(0u128, |m, &i| m | (1u128 << i))
}

impl Topes<'_> {
    /// Every tope of the vectors `idx` (a set of indices), as (mask of positive indices,
    /// witness functional).
    fn topes(&mut self, idx: &[usize]) -> Vec<(u128, Vec<Rational>)> {
        let key = bits(idx);
        if let Some(t) = self.memo.get(&key) {
            return t.clone();
        }
        let rows: Vec<&[Rational]> = idx.iter().map(|&i| self.v[i].as_slice()).collect();
        let r = rank(&rows, self.n);
        let mut out: HashMap<u128, Vec<Rational>> = HashMap::new();
        if r == 1 {
            let u = self.v[idx[0]].clone();
            let neg: Vec<Rational> = u.iter().map(|a| -a.clone()).collect();
            for w in [u, neg] {
                out.insert(self.mask(idx, &w), w);
            }
        } else if r >= 2 {
            let mut seen: Vec<u128> = Vec::new();
            let mut combo: Vec<usize> = (0..r - 1).collect();
            loop {
                let sub: Vec<&[Rational]> =
                    combo.iter().map(|&c| self.v[idx[c]].as_slice()).collect();
                if rank(&sub, self.n) == r - 1 {
                    self.extend_from(idx, &sub, &mut seen, &mut out);
                }
                if !next_combination(&mut combo, idx.len()) {
                    break;
                }
            }
        }
        let list: Vec<(u128, Vec<Rational>)> = out.into_iter().collect();
        self.memo.insert(key, list.clone());
        list
    }

    fn extend_from(
        &mut self,
        idx: &[usize],
        sub: &[&[Rational]],
        seen: &mut Vec<u128>,
        out: &mut HashMap<u128, Vec<Rational>>,
    ) {
        let Some(u0) = null_space(sub, self.n)
            .into_iter()
            .find(|b| idx.iter().any(|&i| dot(b, &self.v[i]) != Rational::ZERO))
        else {
            return;
        };
        let z: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| dot(&u0, &self.v[i]) == Rational::ZERO)
            .collect();
        let zmask = bits(&z);
        if seen.contains(&zmask) {
            return;
        }
        seen.push(zmask);
        let outside: Vec<(usize, Rational)> = idx
            .iter()
            .filter(|i| !z.contains(i))
            .map(|&i| (i, dot(&u0, &self.v[i])))
            .collect();
        for (_, ut) in self.topes(&z) {
            // t = min(1, min_i |u0.v_i| / (2 |ut.v_i|)) keeps every sign off Z.
            let mut t = Rational::ONE;
            for (i, a) in &outside {
                let b = dot(&ut, &self.v[*i]);
                if b != Rational::ZERO {
                    let bound = abs(a) / (abs(&b) * Rational::from(2u8));
                    if bound < t {
                        t = bound;
                    }
                }
            }
            for s in [1i8, -1] {
                let u: Vec<Rational> = u0
                    .iter()
                    .zip(&ut)
                    .map(|(a, b)| a * Rational::from(s) + &t * b)
                    .collect();
                let mask = self.mask(idx, &u);
                out.entry(mask).or_insert(u);
            }
        }
    }

    /// Mask of the positive indices among `idx` under `u` (all must be non-zero: a tope).
    fn mask(&self, idx: &[usize], u: &[Rational]) -> u128 {
        let mut m = 0u128;
        for &i in idx {
            let s = signum(&dot(u, &self.v[i]));
            debug_assert!(s != 0, "a tope witness vanishes on a vector");
            if s > 0 {
                m |= 1u128 << i;
            }
        }
        m
    }
}

fn next_combination(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    for i in (0..k).rev() {
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
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
    inst.validate().map_err(Error::Invalid)?;
    let m = inst.m();
    if m > MAX_POINTS {
        return Err(Error::Invalid(format!(
            "the exact decision procedure handles at most {MAX_POINTS} points, got {m}"
        )));
    }
    let d = inst.dim();
    let v: Vec<Vec<Rational>> = inst
        .points()
        .map(|x| {
            let mut y = x.clone();
            y.push(Rational::ONE);
            y
        })
        .collect();
    let mut t = Topes {
        v: &v,
        n: d + 1,
        memo: HashMap::new(),
    };
    let idx: Vec<usize> = (0..m).collect();
    let mut found: HashMap<u128, Hyperplane> = HashMap::new();
    for (mask, u) in t.topes(&idx) {
        let hp = Hyperplane::new(u[..d].to_vec(), u[d].clone());
        if !hp.is_degenerate() {
            found.entry(mask).or_insert(hp);
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
    let list = dichotomies(inst)?;
    let nq = inst.q.len();
    let m = inst.m();
    let qm = bits(&(0..nq).collect::<Vec<_>>());
    let pm = bits(&(nq..m).collect::<Vec<_>>());
    let mut fallback: Option<[Hyperplane; 2]> = None;
    for (i, a) in list.iter().enumerate() {
        for b in &list[i..] {
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
