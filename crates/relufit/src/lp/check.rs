//! Exact re-verification of LP certificates, in rational arithmetic and independently of the
//! backend that produced them. Tests call [`check`] on every answer they see.

use super::{Lp, LpAnswer, Sense};
use crate::num::{Int, Natural, Rational};
use dashu_int::ops::Gcd;

fn dot(a: &[Rational], v: &[Rational]) -> Rational {
    a.iter()
        .zip(v)
        .filter(|(x, y)| **x != Rational::ZERO && **y != Rational::ZERO)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}

fn check_len(what: &str, v: &[Rational], n: usize) -> Result<(), String> {
    if v.len() == n {
        Ok(())
    } else {
        Err(format!("{what} has length {}, expected {n}", v.len()))
    }
}

/// Every constraint holds exactly at `point`.
///
/// Works in integers: the point is brought to a common denominator `P / D` once, and each
/// row `a . v (sense) b` is tested as `sum (a_t L) P_t (sense) b L D` with `L` the row's
/// denominator lcm (exact, and an order of magnitude faster than rational dot products).
pub fn check_feasible(lp: &Lp, point: &[Rational]) -> Result<(), String> {
    check_len("point", point, lp.num_vars)?;
    let mut den = Natural::ONE;
    for q in point {
        let d = q.denominator();
        if *d != Natural::ONE {
            let g = (&den).gcd(d);
            den = &den / &g * d;
        }
    }
    let pnum: Vec<Int> = point
        .iter()
        .map(|q| q.numerator() * Int::from(&den / q.denominator()))
        .collect();
    let den = Int::from(den);
    for (r, c) in lp.constraints.iter().enumerate() {
        let mut l = Natural::ONE;
        for q in c.coeffs.iter().chain(std::iter::once(&c.rhs)) {
            let d = q.denominator();
            if *d != Natural::ONE {
                let g = (&l).gcd(d);
                l = &l / &g * d;
            }
        }
        let mut lhs = Int::ZERO;
        for (q, p) in c.coeffs.iter().zip(&pnum) {
            if *q != Rational::ZERO && *p != Int::ZERO {
                if *q.denominator() == l {
                    lhs += q.numerator() * p;
                } else {
                    lhs += q.numerator() * Int::from(&l / q.denominator()) * p;
                }
            }
        }
        let rhs = c.rhs.numerator() * Int::from(&l / c.rhs.denominator()) * &den;
        let ok = match c.sense {
            Sense::Ge => lhs >= rhs,
            Sense::Le => lhs <= rhs,
            Sense::Eq => lhs == rhs,
        };
        if !ok {
            return Err(format!(
                "constraint {r} violated at the point ({:?}, rhs {})",
                c.sense, c.rhs
            ));
        }
    }
    Ok(())
}

/// Multipliers respect the senses and combine the rows to `target`; returns `sum y_r b_r`.
fn combine(lp: &Lp, y: &[Rational], target: &[Rational]) -> Result<Rational, String> {
    check_len("multiplier vector", y, lp.constraints.len())?;
    let mut sum = vec![Rational::ZERO; lp.num_vars];
    let mut rhs = Rational::ZERO;
    for (r, (c, yr)) in lp.constraints.iter().zip(y).enumerate() {
        let ok = match c.sense {
            Sense::Ge => *yr >= Rational::ZERO,
            Sense::Le => *yr <= Rational::ZERO,
            Sense::Eq => true,
        };
        if !ok {
            return Err(format!(
                "multiplier {r} = {yr} has the wrong sign for {:?}",
                c.sense
            ));
        }
        if *yr == Rational::ZERO {
            continue;
        }
        for (s, a) in sum.iter_mut().zip(&c.coeffs) {
            if *a != Rational::ZERO {
                *s += yr * a;
            }
        }
        rhs += yr * &c.rhs;
    }
    if sum != target {
        return Err("multipliers do not combine the rows to the required vector".into());
    }
    Ok(rhs)
}

/// Verify that `dual` is a valid lower-bound certificate for `min c . v` (signs right,
/// `sum y_r a_r = c`) and return the bound `sum y_r b_r` it proves. Weak duality: every
/// feasible point has objective `>=` the bound.
pub fn check_dual_bound(lp: &Lp, dual: &[Rational]) -> Result<Rational, String> {
    let Some(c) = lp.objective.as_ref() else {
        return Err("a lower bound for an LP without objective".into());
    };
    combine(lp, dual, c)
}

/// Re-verify `answer` for `lp` exactly. `Ok(())` means the certificate proves the answer.
pub fn check(lp: &Lp, answer: &LpAnswer) -> Result<(), String> {
    let zero = vec![Rational::ZERO; lp.num_vars];
    match answer {
        LpAnswer::Feasible { point } => {
            if lp.objective.is_some() {
                return Err("a feasibility answer to an LP with an objective".into());
            }
            check_feasible(lp, point)
        }
        LpAnswer::Optimal { point, value, dual } => {
            let c = lp.objective.as_ref().unwrap_or(&zero);
            check_feasible(lp, point)?;
            if dot(c, point) != *value {
                return Err("objective at the point differs from the stated value".into());
            }
            let bound = combine(lp, dual, c)?;
            if bound != *value {
                return Err(format!("dual bound {bound} differs from the value {value}"));
            }
            Ok(())
        }
        LpAnswer::Infeasible { farkas } => {
            let b = combine(lp, farkas, &zero)?;
            if b > Rational::ZERO {
                Ok(())
            } else {
                Err(format!("Farkas combination has rhs {b}, not > 0"))
            }
        }
        LpAnswer::Unbounded { point, ray } => {
            let Some(c) = lp.objective.as_ref() else {
                return Err("an unbounded answer to a feasibility problem".into());
            };
            check_feasible(lp, point)?;
            check_len("ray", ray, lp.num_vars)?;
            for (r, con) in lp.constraints.iter().enumerate() {
                let a = dot(&con.coeffs, ray);
                let ok = match con.sense {
                    Sense::Ge => a >= Rational::ZERO,
                    Sense::Le => a <= Rational::ZERO,
                    Sense::Eq => a == Rational::ZERO,
                };
                if !ok {
                    return Err(format!("ray leaves constraint {r}"));
                }
            }
            if dot(c, ray) < Rational::ZERO {
                Ok(())
            } else {
                Err("the ray does not decrease the objective".into())
            }
        }
        LpAnswer::CertificationFailed { reason } => Err(format!("no certificate: {reason}")),
    }
}
