//! A single ReLU with `gamma = 0`: one LP per output sign (polynomial; the paper's related
//! work, and the `k = 1` case of Theorem 11).
//!
//! With `a = +1`, `y_i = [w . x_i + b]_+` holds iff `w . x_i + b = y_i` for `y_i > 0` and
//! `w . x_i + b <= 0` for `y_i = 0`; a negative label rules the sign out. With `a = -1`
//! the same holds for `-y`. (`a = 0` fits only all-zero labels, which both LPs accept.)

use super::settings::{RunStats, Signs, Solution, SolveSettings, Stats};
use super::{verified_fit_within, Evidence, Outcome, SolveError, StopReason};
use crate::lp::{self, Lp, LpAnswer, Sense};
use crate::model::{Activation, Instance, Network, Neuron};
use crate::num::Rational;

/// The answer for one sign class.
#[derive(Debug, Clone)]
pub(crate) enum SingleAnswer {
    /// A fitting neuron `(w, b)` (output weight given by the sign class).
    Fit(Vec<Rational>, Rational),
    /// No single neuron of this sign fits; the reason in words.
    No(String),
    /// The LP certificate failed its exact check.
    Unknown(String),
}

/// The LP of a single ReLU of sign `signs` on `(x_i, y_i)`, or the index of a label that
/// rules the sign out.
pub(crate) fn single_lp(xs: &[Vec<Rational>], ys: &[Rational], signs: Signs) -> Result<Lp, usize> {
    let d = xs.first().map_or(0, Vec::len);
    let mut lp = Lp::new(d + 1);
    for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
        let t = match signs {
            Signs::Convex => y.clone(),
            Signs::Concave => -y,
        };
        let mut row = x.clone();
        row.push(Rational::ONE);
        if t > Rational::ZERO {
            lp.push(row, Sense::Eq, t);
        } else if t == Rational::ZERO {
            lp.push(row, Sense::Le, Rational::ZERO);
        } else {
            return Err(i);
        }
    }
    Ok(lp)
}

/// Decide whether one ReLU with output weight `+1` (convex) or `-1` (concave) fits exactly;
/// `lps` counts the LPs solved.
pub(crate) fn single_relu(
    xs: &[Vec<Rational>],
    ys: &[Rational],
    signs: Signs,
    lps: &mut u64,
) -> SingleAnswer {
    let lp = match single_lp(xs, ys, signs) {
        Ok(lp) => lp,
        Err(i) => {
            return SingleAnswer::No(format!(
                "point {i} has label {} but a {} neuron's output is {} 0",
                ys[i],
                signs,
                if signs == Signs::Convex { ">=" } else { "<=" }
            ))
        }
    };
    *lps += 1;
    match lp::solve(&lp) {
        LpAnswer::Feasible { mut point } => {
            let b = point.pop().unwrap_or_default();
            SingleAnswer::Fit(point, b)
        }
        LpAnswer::Infeasible { .. } => SingleAnswer::No(format!(
            "the {signs} single-neuron LP is infeasible (Farkas certificate checked exactly)"
        )),
        LpAnswer::CertificationFailed { reason } => SingleAnswer::Unknown(reason),
        other => SingleAnswer::Unknown(format!("unexpected LP answer {}", other.kind())),
    }
}

/// `Algorithm::Single`: decide `k = 1`, `gamma = 0`, ReLU exactly (both signs), within the
/// time limit and cancellation of `settings` (checked before each LP and during the
/// verification of a fit).
pub(crate) fn solve(inst: &Instance, settings: &SolveSettings) -> Result<Solution, SolveError> {
    if inst.activation != Activation::Relu || inst.gamma != Rational::ZERO || inst.k != 1 {
        return Err(SolveError::NotApplicable(
            "the single-neuron LP needs a ReLU instance with k = 1 and gamma = 0".into(),
        ));
    }
    let limits = settings.run_limits();
    let xs: Vec<Vec<Rational>> = inst.points.iter().map(|p| p.x.clone()).collect();
    let ys: Vec<Rational> = inst.points.iter().map(|p| p.y.clone()).collect();
    let mut stats = Stats::default();
    let mut reasons = Vec::new();
    let mut unknown = None;
    for signs in [Signs::Convex, Signs::Concave] {
        if let Err(s) = limits.check() {
            stats.elapsed = limits.elapsed();
            return Ok(Solution {
                outcome: Outcome::unknown(s, format!("before the {signs} single-neuron LP")),
                runs: vec![RunStats::SingleNeuron { lps: stats.lps }],
                stats,
                shard: None,
                all_fits: None,
            });
        }
        match single_relu(&xs, &ys, signs, &mut stats.lps) {
            SingleAnswer::Fit(w, b) => {
                let a = match signs {
                    Signs::Convex => Rational::ONE,
                    Signs::Concave => -Rational::ONE,
                };
                let net = Network::new(Activation::Relu, vec![Neuron::new(w, b, a)]);
                let outcome = verified_fit_within(inst, net, "single-neuron LP", &limits)?;
                stats.elapsed = limits.elapsed();
                return Ok(Solution {
                    outcome,
                    runs: vec![RunStats::SingleNeuron { lps: stats.lps }],
                    stats,
                    shard: None,
                    all_fits: None,
                });
            }
            SingleAnswer::No(r) => reasons.push(r),
            SingleAnswer::Unknown(r) => unknown = Some(r),
        }
    }
    stats.elapsed = limits.elapsed();
    let outcome = match unknown {
        Some(reason) => Outcome::unknown(StopReason::Uncertified(reason), ""),
        None => Outcome::NoFit {
            optimum: None,
            best: None,
            evidence: Evidence::SingleNeuron {
                negative: reasons.pop().unwrap_or_default(),
                positive: reasons.pop().unwrap_or_default(),
            },
            restricted_to: None,
        },
    };
    Ok(Solution {
        outcome,
        runs: vec![RunStats::SingleNeuron { lps: stats.lps }],
        stats,
        shard: None,
        all_fits: None,
    })
}
