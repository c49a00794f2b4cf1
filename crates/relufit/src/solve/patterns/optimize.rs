//! The pattern search as a branch and bound for the `abs` and `max` losses: the least loss
//! (`--optimize`) or the decision `loss <= gamma` for `gamma > 0`.
//!
//! Every assigned point gets error rows instead of its fit equation
//! ([`crate::solve::system::FitRows`]); a node's bound is the certified least loss of its
//! assigned points under their patterns (a dual bound: unassigned points only add loss), and
//! it is pruned when that cannot beat the incumbent (minimise) or `gamma` (decide). A leaf's
//! certified optimum is the least loss with exactly those patterns; its network goes through
//! the exact verifier, whose error must equal it. The incumbent starts from a local search
//! (alternating: the patterns of a network, then the leaf optimum for those patterns) and
//! every better leaf lowers it; a budget row "loss of the assigned points `<=` bound" is
//! added to every new node, so the sign probes and pattern tests only consider networks
//! that can still win. Propagation, symmetry and certification are the search's own; with
//! several threads they share the work and the incumbent ([`super::parallel::SharedBound`]).

use super::parallel::{self, SharedBound};
use super::search::ErrorGoal;
use super::{class_name, memory_budget, network, problem, runs, PatternSolution, SearchStats};
use crate::limits::RunLimits;
use crate::lp::int::{IntLp, WarmStart};
use crate::model::{Instance, Loss, Network};
use crate::num::Rational;
use crate::rng::SplitMix64;
use crate::solve::settings::SolveSettings;
use crate::solve::system::{FitRows, Problem};
use crate::solve::{Evidence, Outcome, SolveError};
use crate::verify::verify;
use std::sync::Mutex;
use std::time::Instant;

/// Why the branch and bound does not apply, if it does not.
pub(super) fn check_applicable(inst: &Instance) -> Result<(), SolveError> {
    if !matches!(inst.loss, Loss::Abs | Loss::Max) || inst.lp.is_some() {
        return Err(SolveError::NotApplicable(
            "the pattern search's branch and bound is for the abs and max losses".into(),
        ));
    }
    if inst.k == 0 || inst.k > super::MAX_K {
        return Err(SolveError::NotApplicable(format!(
            "the pattern search supports 1 <= k <= {} (k = {})",
            super::MAX_K,
            inst.k
        )));
    }
    inst.validate()
        .map_err(|e| SolveError::NotApplicable(e.into()))?;
    let prob = problem(inst, 0);
    if !prob.int_ready() || weights(&prob).is_none() {
        return Err(SolveError::NotApplicable(
            "the pattern search needs every input and label to fit 64-bit integers after \
             clearing denominators; use --algorithm enumerate for this instance"
                .into(),
        ));
    }
    Ok(())
}

/// Objective weights `L / s_i` of the error variables and `L = lcm(s_i)` (`abs`; `max`:
/// weight 1, `L = 1`). `None` if `L` does not fit.
fn weights(prob: &Problem) -> Option<(Vec<i64>, i64)> {
    if prob.fit == FitRows::Max {
        return Some((vec![1; prob.len()], 1));
    }
    let scales: Vec<i64> = (0..prob.len()).map(|i| prob.error_scale(i)).collect();
    let mut l: i64 = 1;
    for &s in &scales {
        let g = gcd(l, s);
        l = (l / g).checked_mul(s)?;
    }
    Some((scales.iter().map(|&s| l / s).collect(), l))
}

fn gcd(mut a: i64, mut b: i64) -> i64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a.abs()
}

/// The problem of sign class `neg` with the loss's error rows.
fn loss_problem(inst: &Instance, neg: u32) -> Problem {
    let mut prob = problem(inst, neg);
    prob.fit = if inst.loss == Loss::Max {
        FitRows::Max
    } else {
        FitRows::Abs
    };
    prob
}

/// The active set of every point under the exact parameters `theta`.
fn patterns_of(prob: &Problem, theta: &[Rational]) -> Vec<u32> {
    (0..prob.len())
        .map(|i| {
            (0..prob.k)
                .filter(|&j| {
                    let z = prob.preact(theta, i, j);
                    if prob.neg >> j & 1 == 1 && !prob.threshold {
                        z < Rational::ZERO
                    } else {
                        z > Rational::ZERO
                    }
                })
                .fold(0u32, |m, j| m | 1 << j)
        })
        .collect()
}

/// The least loss with the given patterns at every point: the exact optimum of that leaf's
/// LP (floats guess, the kernel certifies; `None` if it does not certify).
fn leaf_optimum(prob: &Problem, patterns: &[u32], w: &[i64]) -> Option<Vec<Rational>> {
    let mut lp = IntLp::new(prob.num_vars());
    for (i, &m) in patterns.iter().enumerate() {
        prob.push_int_rows(&mut lp, i, m);
    }
    let mut c = vec![0i64; prob.num_vars()];
    match prob.fit {
        FitRows::Abs => {
            for (i, &wi) in w.iter().enumerate() {
                c[prob.params() + i] = wi;
            }
        }
        _ => c[prob.params()] = 1,
    }
    let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
    let guess = crate::lp::int::guess_min(&lp, &cf, &mut WarmStart::default());
    let (p, _) = crate::lp::int::certify_optimum(&lp, &c, &guess)?;
    Some(p.to_rationals())
}

/// A network's exact error on the instance (the verifier's).
fn error_of(inst: &Instance, net: &Network) -> Option<Rational> {
    verify(inst, net).ok().map(|r| r.error)
}

/// A quick incumbent: the zero network, then a local search from random starts in every
/// sign class (patterns of the current network, then the optimum for those patterns, until
/// it stops improving). Every candidate's error is the exact verifier's.
fn incumbent(inst: &Instance, classes: &[u32], limits: &RunLimits) -> (Network, Rational) {
    let zero = super::zero_network(inst);
    let mut best_err = error_of(inst, &zero).unwrap_or(Rational::ZERO);
    let mut best = zero;
    let start = Instant::now();
    let budget = std::time::Duration::from_millis(200);
    let mut rng = SplitMix64::new(0x1C0_0B1E);
    for &neg in classes {
        let prob = loss_problem(inst, neg);
        let Some((w, _)) = weights(&prob) else {
            continue;
        };
        for _ in 0..4 {
            if start.elapsed() > budget || limits.check().is_err() {
                return (best, best_err);
            }
            // A random start: each neuron's hyperplane through a random data point.
            let mut theta = vec![Rational::ZERO; prob.num_vars()];
            for j in 0..prob.k {
                let base = j * (prob.d + 1);
                let x = &prob.xs[(rng.next_u64() % prob.len() as u64) as usize];
                let mut b = Rational::ZERO;
                for t in 0..prob.d {
                    let v = Rational::from((rng.next_u64() % 5) as i64 - 2);
                    b -= &v * &x[t];
                    theta[base + t] = v;
                }
                theta[base + prob.d] = b;
            }
            let mut pats = patterns_of(&prob, &theta);
            for _ in 0..6 {
                let Some(q) = leaf_optimum(&prob, &pats, &w) else {
                    break;
                };
                let net = network(&prob, &q[..prob.params()]);
                if let Some(e) = error_of(inst, &net) {
                    if e < best_err {
                        best_err = e;
                        best = net;
                    }
                }
                let next = patterns_of(&prob, &q);
                if next == pats {
                    break;
                }
                pats = next;
            }
        }
    }
    (best, best_err)
}

/// Branch and bound over all runs (ReLU sign classes, or the one threshold run): the least
/// loss (`minimize`), or whether `loss <= gamma`.
pub(super) fn solve(
    inst: &Instance,
    settings: &SolveSettings,
    minimize: bool,
) -> Result<PatternSolution, SolveError> {
    check_applicable(inst)?;
    let limits = settings.run_limits();
    let classes = runs(inst, settings)?;
    let (mut best, mut upper) = if minimize {
        incumbent(inst, &classes, &limits)
    } else {
        (super::zero_network(inst), inst.gamma.clone())
    };
    let found: Mutex<Option<(Network, Rational)>> = Mutex::new(None);
    let mut total = SearchStats::default();
    for (idx, &neg) in classes.iter().enumerate() {
        let prob = loss_problem(inst, neg);
        let (w, scale) = weights(&prob).expect("checked in check_applicable");
        let goal = ErrorGoal {
            minimize,
            upper: upper.clone(),
            weights: w,
            scale,
        };
        let bound = SharedBound::new(upper.clone());
        let failure: Mutex<Option<SolveError>> = Mutex::new(None);
        let fail = |e: SolveError| {
            if let Ok(mut slot) = failure.lock() {
                slot.get_or_insert(e);
            }
            false
        };
        let (r, stats) = parallel::search(
            &prob,
            &limits,
            settings.observer.clone(),
            (memory_budget(settings), settings.threads.max(1)),
            &|searcher| {
                searcher
                    .with_error_goal(goal.clone())
                    .with_shared_bound(bound.clone())
            },
            &|leaf| {
                let net = network(&prob, &leaf.theta[..prob.params()]);
                let err = match verify(inst, &net) {
                    Ok(rep) => rep.error,
                    Err(e) => {
                        return fail(SolveError::VerificationFailed {
                            algorithm: "pattern search",
                            detail: e.to_string(),
                        })
                    }
                };
                if Some(&err) != leaf.loss.as_ref() {
                    return fail(SolveError::VerificationFailed {
                        algorithm: "pattern search",
                        detail: format!(
                            "a leaf's certified loss {:?} differs from its network's error {err}",
                            leaf.loss
                        ),
                    });
                }
                if let Ok(mut slot) = found.lock() {
                    if slot.as_ref().is_none_or(|(_, e)| err < *e) {
                        *slot = Some((net, err));
                    }
                }
                minimize
            },
        );
        total.merge(&stats);
        if let Some(e) = failure.into_inner().ok().flatten() {
            return Err(e);
        }
        if let Some(u) = bound.get() {
            if minimize && u < upper {
                upper = u;
            }
        }
        if let Ok(slot) = found.lock() {
            if let Some((net, err)) = &*slot {
                if minimize && *err <= upper {
                    best = net.clone();
                    upper = err.clone();
                }
            }
        }
        match r {
            Err(stop) => {
                let what = if minimize {
                    format!("the best error found is {upper} (an upper bound, not an optimum)")
                } else {
                    "no network within gamma was found".to_string()
                };
                let progress = format!(
                    "the branch and bound had exhausted {idx} of {} runs; {what}",
                    classes.len()
                );
                let outcome = if minimize {
                    let report =
                        verify(inst, &best).map_err(|e| SolveError::VerificationFailed {
                            algorithm: "pattern search",
                            detail: e.to_string(),
                        })?;
                    Outcome::unknown_with_best(stop, progress, (best, report))
                } else {
                    Outcome::unknown(stop, progress)
                };
                return Ok(PatternSolution {
                    outcome,
                    stats: total,
                });
            }
            Ok(_) if !minimize && found.lock().is_ok_and(|f| f.is_some()) => break,
            Ok(_) => {}
        }
    }
    let run_names: Vec<String> = classes.iter().map(|&neg| class_name(inst.k, neg)).collect();
    let evidence = |least_error| Evidence::BranchAndBound {
        loss: inst.loss,
        least_error,
        runs: run_names.clone(),
        counts: total.counts(),
    };
    let outcome = if minimize {
        let report = verify(inst, &best).map_err(|e| SolveError::VerificationFailed {
            algorithm: "pattern search",
            detail: e.to_string(),
        })?;
        debug_assert_eq!(report.error, upper);
        let optimum = report.error.clone();
        if report.passes() {
            Outcome::Fit {
                network: best,
                report,
                optimum: Some(optimum),
            }
        } else {
            Outcome::NoFit {
                optimum: Some(optimum.clone()),
                best: Some((best, report)),
                evidence: evidence(Some(optimum)),
                restricted_to: None,
            }
        }
    } else {
        match found.into_inner().ok().flatten() {
            Some((net, _)) => super::super::verified_fit(inst, net, "pattern search")?,
            None => Outcome::NoFit {
                optimum: None,
                best: None,
                evidence: evidence(None),
                restricted_to: settings.signs,
            },
        }
    };
    Ok(PatternSolution {
        outcome,
        stats: total,
    })
}
