//! Exact re-verification of certificates of rational [`Lp`]s, independently of the backend
//! that produced them. Tests call [`check`] on every answer they see.
//!
//! This is a front end of the kernel's one checker (`super::exact::check`): each row is
//! brought to integers once (its denominators cleared, `<=` rows negated), points and
//! multipliers to integers over a common denominator, and the kernel checks them in big
//! integers.

use super::exact::{self, IntVector, Rejected, Row};
use super::{Lp, LpAnswer, Sense};
use crate::num::{common_denominator, Int, Rational};

/// Why the exact checker rejected an LP answer: a wrong certificate, or none at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateError {
    /// A vector of the wrong length.
    Length {
        /// Which vector.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The length the LP needs.
        expected: usize,
    },
    /// Constraint `row` does not hold at the point.
    Violated {
        /// The constraint's index.
        row: usize,
    },
    /// The multipliers have a wrong sign or do not combine the rows as required (the
    /// kernel's reason).
    Combination(String),
    /// The objective at the point differs from the stated optimal value.
    ValueMismatch,
    /// The dual bound differs from the stated optimal value.
    BoundMismatch {
        /// The bound the multipliers prove.
        bound: Rational,
        /// The stated value.
        value: Rational,
    },
    /// The Farkas combination's right-hand side is not positive.
    NotFarkas {
        /// The combination's right-hand side.
        rhs: Rational,
    },
    /// The ray leaves constraint `row`'s recession cone.
    RayLeaves {
        /// The constraint's index.
        row: usize,
    },
    /// The ray does not decrease the objective.
    RayNotDescending,
    /// An answer or question of a kind the LP cannot have (e.g. an optimum of a feasibility
    /// problem).
    WrongKind(&'static str),
    /// No certificate: the solver gave up (its reason).
    Missing(String),
}

impl std::fmt::Display for CertificateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CertificateError::Length {
                what,
                len,
                expected,
            } => write!(f, "{what} has length {len}, expected {expected}"),
            CertificateError::Violated { row } => {
                write!(f, "constraint {row} violated at the point")
            }
            CertificateError::Combination(why) => f.write_str(why),
            CertificateError::ValueMismatch => {
                f.write_str("objective at the point differs from the stated value")
            }
            CertificateError::BoundMismatch { bound, value } => {
                write!(f, "dual bound {bound} differs from the value {value}")
            }
            CertificateError::NotFarkas { rhs } => {
                write!(f, "Farkas combination has rhs {rhs}, not > 0")
            }
            CertificateError::RayLeaves { row } => write!(f, "ray leaves constraint {row}"),
            CertificateError::RayNotDescending => {
                f.write_str("the ray does not decrease the objective")
            }
            CertificateError::WrongKind(what) => f.write_str(what),
            CertificateError::Missing(why) => write!(f, "no certificate: {why}"),
        }
    }
}

impl std::error::Error for CertificateError {}

fn check_len(what: &'static str, v: &[Rational], n: usize) -> Result<(), CertificateError> {
    if v.len() == n {
        Ok(())
    } else {
        Err(CertificateError::Length {
            what,
            len: v.len(),
            expected: n,
        })
    }
}

/// The constraints as integer rows `a' . v >= b'` / `= b'` and, per row, the factor `f_r`
/// with `(a', b') = f_r (a, b)` (`f_r < 0` for `<=` rows).
struct IntRows {
    rows: Vec<(Vec<Int>, Int, bool)>,
    factor: Vec<Int>,
}

impl IntRows {
    fn new(lp: &Lp) -> Self {
        let mut rows = Vec::with_capacity(lp.constraints.len());
        let mut factor = Vec::with_capacity(lp.constraints.len());
        for c in &lp.constraints {
            let l = common_denominator(c.coeffs.iter().chain(std::iter::once(&c.rhs)));
            let l = Int::from(l);
            let f = if c.sense == Sense::Le { -&l } else { l };
            let scale = |q: &Rational| (q * Rational::from(f.clone())).numerator().clone();
            rows.push((
                c.coeffs.iter().map(scale).collect(),
                scale(&c.rhs),
                c.sense == Sense::Eq,
            ));
            factor.push(f);
        }
        IntRows { rows, factor }
    }

    fn view(&self) -> impl Iterator<Item = Row<'_, Int>> + '_ {
        self.rows.iter().map(|(a, b, eq)| Row {
            coeffs: a,
            rhs: b,
            eq: *eq,
        })
    }
}

/// `qs` as integers over their common positive denominator.
fn int_vector(qs: &[Rational]) -> IntVector<Int> {
    let den = common_denominator(qs.iter());
    let num = qs
        .iter()
        .map(|q| q.numerator() * Int::from(&den / q.denominator()))
        .collect();
    IntVector {
        num,
        den: Int::from(den),
    }
}

/// Every constraint holds exactly at `point`.
pub fn check_feasible(lp: &Lp, point: &[Rational]) -> Result<(), CertificateError> {
    check_len("point", point, lp.num_vars)?;
    let rows = IntRows::new(lp);
    match exact::check::first_violated(rows.view(), &int_vector(point)) {
        Ok(None) => Ok(()),
        Ok(Some(row)) => Err(CertificateError::Violated { row }),
        Err(_) => unreachable!("big integers do not overflow"),
    }
}

/// Multipliers respect the senses and combine the rows to `target`; returns `sum y_r b_r`.
fn combine(lp: &Lp, y: &[Rational], target: &[Rational]) -> Result<Rational, CertificateError> {
    check_len("multiplier vector", y, lp.constraints.len())?;
    let rows = IntRows::new(lp);
    // y_r a_r = (y_r / f_r) a'_r: multipliers on the integer rows, over one denominator
    // shared with the target.
    let on_int: Vec<Rational> = y
        .iter()
        .zip(&rows.factor)
        .map(|(q, f)| q / Rational::from(f.clone()))
        .collect();
    let all: Vec<Rational> = on_int.iter().chain(target).cloned().collect();
    let v = int_vector(&all);
    let (ys, scaled_target) = v.num.split_at(y.len());
    let terms = rows.view().zip(ys.iter());
    match exact::combine(lp.num_vars, terms, &Int::ONE, scaled_target) {
        Ok(b) => Ok(Rational::from_parts_signed(b, v.den)),
        Err(Rejected::Wrong(why)) => Err(CertificateError::Combination(why)),
        Err(Rejected::Overflow) => unreachable!("big integers do not overflow"),
    }
}

/// Verify that `dual` is a valid lower-bound certificate for `min c . v` (signs right,
/// `sum y_r a_r = c`) and return the bound `sum y_r b_r` it proves. Weak duality: every
/// feasible point has objective `>=` the bound.
pub fn check_dual_bound(lp: &Lp, dual: &[Rational]) -> Result<Rational, CertificateError> {
    let Some(c) = lp.objective.as_ref() else {
        return Err(CertificateError::WrongKind(
            "a lower bound for an LP without objective",
        ));
    };
    combine(lp, dual, c)
}

fn dot(a: &[Rational], v: &[Rational]) -> Rational {
    a.iter()
        .zip(v)
        .filter(|(x, y)| **x != Rational::ZERO && **y != Rational::ZERO)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}

/// Re-verify `answer` for `lp` exactly. `Ok(())` means the certificate proves the answer.
pub fn check(lp: &Lp, answer: &LpAnswer) -> Result<(), CertificateError> {
    let zero = vec![Rational::ZERO; lp.num_vars];
    match answer {
        LpAnswer::Feasible { point } => {
            if lp.objective.is_some() {
                return Err(CertificateError::WrongKind(
                    "a feasibility answer to an LP with an objective",
                ));
            }
            check_feasible(lp, point)
        }
        LpAnswer::Optimal { point, value, dual } => {
            let c = lp.objective.as_ref().unwrap_or(&zero);
            check_feasible(lp, point)?;
            if dot(c, point) != *value {
                return Err(CertificateError::ValueMismatch);
            }
            let bound = combine(lp, dual, c)?;
            if bound != *value {
                return Err(CertificateError::BoundMismatch {
                    bound,
                    value: value.clone(),
                });
            }
            Ok(())
        }
        LpAnswer::Infeasible { farkas } => {
            let b = combine(lp, farkas, &zero)?;
            if b > Rational::ZERO {
                Ok(())
            } else {
                Err(CertificateError::NotFarkas { rhs: b })
            }
        }
        LpAnswer::Unbounded { point, ray } => {
            let Some(c) = lp.objective.as_ref() else {
                return Err(CertificateError::WrongKind(
                    "an unbounded answer to a feasibility problem",
                ));
            };
            check_feasible(lp, point)?;
            check_len("ray", ray, lp.num_vars)?;
            // The ray keeps every row: the homogeneous rows hold at it.
            let rows = IntRows::new(lp);
            let zeros = vec![Int::ZERO; rows.rows.len()];
            let homogeneous = rows.rows.iter().zip(&zeros).map(|((a, _, eq), z)| Row {
                coeffs: a.as_slice(),
                rhs: z,
                eq: *eq,
            });
            match exact::check::first_violated(homogeneous, &int_vector(ray)) {
                Ok(None) => {}
                Ok(Some(row)) => return Err(CertificateError::RayLeaves { row }),
                Err(_) => unreachable!("big integers do not overflow"),
            }
            if dot(c, ray) < Rational::ZERO {
                Ok(())
            } else {
                Err(CertificateError::RayNotDescending)
            }
        }
        LpAnswer::CertificationFailed { reason } => Err(CertificateError::Missing(reason.clone())),
    }
}
