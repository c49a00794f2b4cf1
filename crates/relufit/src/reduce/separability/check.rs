//! Exact checks of hyperplanes against a 2-HYPERPLANE SEPARABILITY instance (Section 4):
//! strict separation, and the restricted form (3)-(5) that the proof of Theorem 7 assumes.
//!
//! Distances are compared squared, so everything stays rational: condition (5),
//! `|h . x + o| / ||h|| > eps`, is checked as `(h . x + o)^2 > eps^2 ||h||^2`, and the margin
//! is reported as the exact minimum of `(h_i . x + o_i)^2 / ||h_i||^2` over all points and
//! hyperplanes (the squared Euclidean distance of the closest point to its closest
//! hyperplane).

use super::problem::{Hyperplane, SeparabilityInstance};
use crate::num::{signum, Rational};
use std::fmt;

/// Which of the two point sets a point belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Set {
    /// The set `Q`.
    Q,
    /// The set `P`.
    P,
}

impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Set::Q => "q",
            Set::P => "p",
        })
    }
}

/// Why hyperplanes fail to strictly separate `Q` and `P`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeparationFailure {
    /// A hyperplane has `h = 0` (or the wrong dimension) and is not a hyperplane.
    Degenerate {
        /// Index of the hyperplane.
        hyperplane: usize,
    },
    /// A data point lies on a hyperplane.
    OnHyperplane {
        /// Which set.
        set: Set,
        /// Index of the point in its set.
        index: usize,
        /// Index of the hyperplane.
        hyperplane: usize,
    },
    /// No hyperplane meets the open segment `q p`.
    NotCut {
        /// Index of `q` in `Q`.
        q: usize,
        /// Index of `p` in `P`.
        p: usize,
    },
}

impl fmt::Display for SeparationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeparationFailure::Degenerate { hyperplane } => write!(
                f,
                "hyperplanes[{hyperplane}] has h = 0 or the wrong dimension: not a hyperplane"
            ),
            SeparationFailure::OnHyperplane {
                set,
                index,
                hyperplane,
            } => write!(f, "{set}[{index}] lies on hyperplanes[{hyperplane}]"),
            SeparationFailure::NotCut { q, p } => {
                write!(f, "no hyperplane meets the open segment q[{q}] p[{p}]")
            }
        }
    }
}

/// Signs `sgn(h_i . x + o_i)` of every point (`Q` then `P`) for every hyperplane.
fn sign_table(inst: &SeparabilityInstance, hs: &[Hyperplane]) -> Vec<Vec<i8>> {
    inst.points()
        .map(|x| hs.iter().map(|h| signum(&h.value(x))).collect())
        .collect()
}

fn check_shapes(inst: &SeparabilityInstance, hs: &[Hyperplane]) -> Result<(), SeparationFailure> {
    for (i, h) in hs.iter().enumerate() {
        if h.is_degenerate() || h.h.len() != inst.dim() {
            return Err(SeparationFailure::Degenerate { hyperplane: i });
        }
    }
    Ok(())
}

/// Check that the hyperplanes `hs` (any number) strictly separate `Q` and `P` in the sense
/// of Section 4: no point of `Q u P` on any hyperplane, and every open segment `qp` met by
/// one of them. With no point on a hyperplane, the segment `qp` meets `H_i` iff `q` and `p`
/// are on opposite sides, which is what is tested. Exact.
pub fn check_strict(
    inst: &SeparabilityInstance,
    hs: &[Hyperplane],
) -> Result<(), SeparationFailure> {
    check_shapes(inst, hs)?;
    let signs = sign_table(inst, hs);
    for (idx, row) in signs.iter().enumerate() {
        if let Some(j) = row.iter().position(|&s| s == 0) {
            let (set, index) = if idx < inst.q.len() {
                (Set::Q, idx)
            } else {
                (Set::P, idx - inst.q.len())
            };
            return Err(SeparationFailure::OnHyperplane {
                set,
                index,
                hyperplane: j,
            });
        }
    }
    let nq = inst.q.len();
    for qi in 0..nq {
        for pi in 0..inst.p.len() {
            if signs[qi] == signs[nq + pi] {
                return Err(SeparationFailure::NotCut { q: qi, p: pi });
            }
        }
    }
    Ok(())
}

/// Why a pair of hyperplanes is not in the restricted form (3)-(5) of Section 4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestrictedFailure {
    /// Not exactly two hyperplanes, or one is degenerate (`h = 0`, wrong dimension).
    Shape(String),
    /// (3) fails: `h_1 . q + o_1 > 0 > h_2 . q + o_2` is false for this `q`.
    Condition3 {
        /// Index of `q` in `Q`.
        q: usize,
        /// `h_1 . q + o_1`.
        value1: Rational,
        /// `h_2 . q + o_2`.
        value2: Rational,
    },
    /// (4) fails: `sgn(h_1 . p + o_1) != sgn(h_2 . p + o_2)` for this `p`.
    Condition4 {
        /// Index of `p` in `P`.
        p: usize,
        /// `h_1 . p + o_1`.
        value1: Rational,
        /// `h_2 . p + o_2`.
        value2: Rational,
    },
    /// (5) fails: the point is within distance `eps` of hyperplane `hyperplane` (0 or 1).
    Condition5 {
        /// Which set.
        set: Set,
        /// Index of the point in its set.
        index: usize,
        /// 0 for `H_1`, 1 for `H_2`.
        hyperplane: usize,
        /// Its exact squared distance `(h . x + o)^2 / ||h||^2`.
        distance_sq: Rational,
        /// `eps^2`.
        eps_sq: Rational,
    },
}

impl fmt::Display for RestrictedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestrictedFailure::Shape(s) => f.write_str(s),
            RestrictedFailure::Condition3 { q, value1, value2 } => write!(
                f,
                "condition (3) fails for q[{q}]: need h1.q + o1 > 0 > h2.q + o2, got {value1} and {value2}"
            ),
            RestrictedFailure::Condition4 { p, value1, value2 } => write!(
                f,
                "condition (4) fails for p[{p}]: need sgn(h1.p + o1) = sgn(h2.p + o2), got {value1} and {value2}"
            ),
            RestrictedFailure::Condition5 {
                set,
                index,
                hyperplane,
                distance_sq,
                eps_sq,
            } => write!(
                f,
                "condition (5) fails for {set}[{index}] and hyperplane {}: squared distance {distance_sq} (about {:.3e}) is not > eps^2 = {eps_sq}",
                hyperplane + 1,
                crate::num::to_f64(distance_sq),
            ),
        }
    }
}

/// The exact margin of hyperplanes over the points: `min (h_i . x + o_i)^2 / ||h_i||^2`,
/// the squared Euclidean distance of the closest (point, hyperplane) pair. `None` if there
/// are no points or no hyperplanes, or a hyperplane is degenerate.
pub fn margin_sq(inst: &SeparabilityInstance, hs: &[Hyperplane]) -> Option<Rational> {
    let mut best: Option<Rational> = None;
    for h in hs {
        if h.is_degenerate() {
            return None;
        }
        let n2 = h.norm_sq();
        for x in inst.points() {
            let v = h.value(x);
            let d2 = &v * &v / &n2;
            if best.as_ref().is_none_or(|b| d2 < *b) {
                best = Some(d2);
            }
        }
    }
    best
}

/// Check the restricted form (3)-(5) of Section 4 for the ordered, oriented pair
/// `(H_1, H_2)` with margin `eps` (pass `eps = 0` to require only that no point lies on a
/// hyperplane). On success returns the exact margin [`margin_sq`]. The first failing
/// condition is reported, in the order (3), (4), (5), with the point concerned.
pub fn check_restricted(
    inst: &SeparabilityInstance,
    pair: &[Hyperplane],
    eps: &Rational,
) -> Result<Rational, RestrictedFailure> {
    if pair.len() != 2 {
        return Err(RestrictedFailure::Shape(format!(
            "the restricted form needs exactly two hyperplanes, got {}",
            pair.len()
        )));
    }
    for (i, h) in pair.iter().enumerate() {
        if h.is_degenerate() || h.h.len() != inst.dim() {
            return Err(RestrictedFailure::Shape(format!(
                "hyperplane {} has h = 0 or the wrong dimension",
                i + 1
            )));
        }
    }
    for (qi, q) in inst.q.iter().enumerate() {
        let (v1, v2) = (pair[0].value(q), pair[1].value(q));
        if !(v1 > Rational::ZERO && v2 < Rational::ZERO) {
            return Err(RestrictedFailure::Condition3 {
                q: qi,
                value1: v1,
                value2: v2,
            });
        }
    }
    for (pi, p) in inst.p.iter().enumerate() {
        let (v1, v2) = (pair[0].value(p), pair[1].value(p));
        if signum(&v1) != signum(&v2) {
            return Err(RestrictedFailure::Condition4 {
                p: pi,
                value1: v1,
                value2: v2,
            });
        }
    }
    let eps_sq = eps * eps;
    for (i, h) in pair.iter().enumerate() {
        let n2 = h.norm_sq();
        let bound = &eps_sq * &n2;
        for (set, pts) in [(Set::Q, &inst.q), (Set::P, &inst.p)] {
            for (index, x) in pts.iter().enumerate() {
                let v = h.value(x);
                let v2 = &v * &v;
                // (5) as (h.x + o)^2 > eps^2 ||h||^2; with eps = 0 this says h.x + o != 0.
                if v2 <= bound {
                    return Err(RestrictedFailure::Condition5 {
                        set,
                        index,
                        hyperplane: i,
                        distance_sq: v2 / &n2,
                        eps_sq: eps_sq.clone(),
                    });
                }
            }
        }
    }
    Ok(margin_sq(inst, pair).unwrap_or(Rational::ZERO))
}

/// Reorder and re-orient a pair of hyperplanes so that (3) and (4) hold, if some ordering
/// and choice of orientations does (the "without loss of generality" of Section 4). Returns
/// `None` if none of the eight variants satisfies (3) and (4) (with no point on either
/// hyperplane). Margins are unaffected by orientation.
pub fn orient(inst: &SeparabilityInstance, pair: &[Hyperplane]) -> Option<[Hyperplane; 2]> {
    if pair.len() != 2 {
        return None;
    }
    for swap in [false, true] {
        let (a, b) = if swap {
            (&pair[1], &pair[0])
        } else {
            (&pair[0], &pair[1])
        };
        for na in [false, true] {
            for nb in [false, true] {
                let h1 = if na { a.negated() } else { a.clone() };
                let h2 = if nb { b.negated() } else { b.clone() };
                let cand = [h1, h2];
                if check_restricted(inst, &cand, &Rational::ZERO).is_ok() {
                    return Some(cand);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    fn pt(a: i64, b: i64) -> Vec<Rational> {
        vec![int(a), int(b)]
    }

    #[test]
    fn strict_and_restricted_checks_report_the_failing_point() {
        // Q around the origin, P left and right; lines x = -1 and x = 1.
        let inst = SeparabilityInstance::new(vec![pt(0, 0)], vec![pt(-2, 0), pt(2, 0)]);
        let good = [
            Hyperplane::new(pt(1, 0), int(1)),  // x + 1 > 0 at Q
            Hyperplane::new(pt(1, 0), int(-1)), // x - 1 < 0 at Q
        ];
        assert_eq!(check_strict(&inst, &good), Ok(()));
        assert_eq!(
            check_restricted(&inst, &good, &ratio(1, 27)),
            Ok(int(1)) // every point at distance exactly 1
        );
        assert!(matches!(
            check_restricted(&inst, &good, &int(1)),
            Err(RestrictedFailure::Condition5 { .. })
        ));
        let swapped = [good[1].clone(), good[0].clone()];
        assert!(matches!(
            check_restricted(&inst, &swapped, &Rational::ZERO),
            Err(RestrictedFailure::Condition3 { q: 0, .. })
        ));
        let o = orient(&inst, &swapped).unwrap();
        assert_eq!(check_restricted(&inst, &o, &ratio(1, 27)), Ok(int(1)));
        let through = [good[0].clone(), Hyperplane::new(pt(1, 0), int(-2))];
        assert_eq!(
            check_strict(&inst, &through),
            Err(SeparationFailure::OnHyperplane {
                set: Set::P,
                index: 1,
                hyperplane: 1
            })
        );
        assert_eq!(
            check_strict(&inst, &good[..1]),
            Err(SeparationFailure::NotCut { q: 0, p: 1 })
        );
    }
}
