//! Exact training algorithms. Every fit a solver reports has passed [`crate::verify`];
//! every "no" carries what backs it.
//!
//! Available: the over-parameterised interpolation ([`interpolate`], `k >=` number of
//! distinct inputs), the single-ReLU LP (`single`, `k = 1`, `gamma = 0`), ExactFit
//! (`exactfit`, Theorem 11: all `a_j = +1` or all `a_j = -1`, `gamma = 0`) and the
//! enumeration over activation patterns ([`enumerate`]: any signs, both activations). Other
//! regimes report [`SolveError::NoSolver`] instead of guessing.
//!
//! Types follow a problem / settings / solver / solution split: an [`Instance`] and
//! [`SolveSettings`] go into [`solve_with`], which returns a [`Solution`] (an [`Outcome`]
//! plus [`Stats`]). Progress flows out through an [`Observer`]; the library never prints.

pub mod enumerate;
pub(crate) mod exactfit;
pub mod interpolate;
pub mod outcome;
pub mod patterns;
pub(crate) mod progress;
pub mod settings;
pub mod shard;
pub(crate) mod single;
pub(crate) mod system;

pub use outcome::{Evidence, Outcome, PatternCounts, SearchScope, StopReason};
pub use settings::{Observer, Progress, RunStats, Signs, Solution, SolveSettings, Stats};

use crate::limits::{RunLimits, Stopped};
use crate::model::{Activation, Instance, Network};
use crate::num::Rational;
use crate::verify::{verify_within, VerifyError};

/// Which algorithm to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// Pick the best available algorithm for the instance.
    #[default]
    Auto,
    /// Zhang et al. interpolation; requires `k >=` number of distinct inputs.
    Interpolate,
    /// Theorem 11's ExactFit (Algorithms 1 and 2) for convex or concave networks, `gamma = 0`.
    ExactFit,
    /// One LP for a single ReLU (`k = 1`, `gamma = 0`), both output signs.
    Single,
    /// Arora et al. / Khalife-Basu enumeration over activation patterns: any output signs,
    /// both activations ([`enumerate`]).
    Enumerate,
    /// Depth-first search over the activation patterns of the points for any output
    /// signs, ReLU, `gamma = 0` ([`patterns`]).
    Patterns,
}

/// Why a solver could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// No algorithm in this build decides this kind of instance.
    #[error("no solver available for this instance: {0}")]
    NoSolver(String),
    /// The chosen algorithm does not apply to this instance.
    #[error("{0}")]
    NotApplicable(String),
    /// A solver produced a network that the verifier rejected: a bug, reported loudly.
    #[error("internal error: the {algorithm} network failed exact verification ({detail})")]
    VerificationFailed {
        /// The algorithm at fault.
        algorithm: &'static str,
        /// What the verifier said.
        detail: String,
    },
}

/// Solve `inst` with `algorithm` and default settings (see [`solve_with`]).
pub fn solve(inst: &Instance, algorithm: Algorithm) -> Result<Outcome, SolveError> {
    let settings = SolveSettings {
        algorithm,
        ..SolveSettings::default()
    };
    solve_with(inst, &settings).map(|s| s.outcome)
}

/// Solve `inst` under `settings`.
///
/// `Auto` picks: interpolation when `k >=` the number of distinct inputs; for `gamma = 0`:
/// the single-ReLU LP when `k = 1`; for ReLU, ExactFit for the requested sign class, or,
/// when none was requested, ExactFit for the convex and for the concave class (fast, and a
/// fit of either is a fit) and then the pattern search for the classes with both signs; for
/// threshold networks the pattern search; for the `abs` and `max` losses with `gamma > 0`
/// or [`SolveSettings::optimize`], the pattern search's branch and bound when `k >= 3` and
/// `d >= 2`; everything else (and what the pattern search cannot take: numbers beyond 64
/// bits, `k >` [`patterns::MAX_K`]) the enumeration decides
/// ([`enumerate::check_applicable`]), for an optimum after deciding first whether a network
/// fits exactly (then the optimum is 0).
///
/// The time limit holds for the whole call: a solver run after another gets what is left.
pub fn solve_with(inst: &Instance, settings: &SolveSettings) -> Result<Solution, SolveError> {
    if settings.shard.is_some() {
        return shard::solve_part(inst, settings);
    }
    if settings.list_all {
        return patterns::solve_all(inst, settings);
    }
    let limits = settings.run_limits();
    let distinct = inst.distinct_inputs();
    let plain = |outcome| {
        let stats = Stats {
            elapsed: limits.elapsed(),
            ..Stats::default()
        };
        Solution::of_runs(outcome, stats, vec![RunStats::Interpolation])
    };
    let exact = inst.gamma == Rational::ZERO;
    let relu_exact = inst.activation == Activation::Relu && exact;
    if settings.optimize {
        return match settings.algorithm {
            Algorithm::Patterns => patterns::solve(inst, settings),
            Algorithm::Auto if loss_by_branch_and_bound(inst) => patterns::solve(inst, settings),
            Algorithm::Auto => optimum_after_exact_fit(inst, settings, &limits),
            Algorithm::Enumerate => enumerate::solve(inst, settings, true),
            other => Err(SolveError::NotApplicable(format!(
                "computing the least error needs --algorithm enumerate or patterns, not {other:?}"
            ))),
        };
    }
    match settings.algorithm {
        Algorithm::Interpolate => interpolate_outcome(inst, &limits).map(plain),
        Algorithm::Single => single::solve(inst, settings),
        Algorithm::ExactFit => exactfit::solve(inst, settings),
        Algorithm::Enumerate => enumerate::solve(inst, settings, false),
        Algorithm::Patterns => patterns::solve(inst, settings),
        Algorithm::Auto if inst.k >= distinct => interpolate_outcome(inst, &limits).map(plain),
        Algorithm::Auto if relu_exact && inst.k == 1 && settings.signs.is_none() => {
            single::solve(inst, &settings.within(&limits))
        }
        Algorithm::Auto if relu_exact => match settings.signs {
            Some(_) => exactfit::solve(inst, &settings.within(&limits)),
            None => auto_relu_exact(inst, settings, &limits),
        },
        Algorithm::Auto if exact && patterns::check_applicable(inst).is_ok() => {
            patterns::solve(inst, &settings.within(&limits))
        }
        Algorithm::Auto if loss_by_branch_and_bound(inst) => {
            patterns::solve(inst, &settings.within(&limits))
        }
        Algorithm::Auto => match enumerate::check_applicable(inst) {
            Ok(()) => enumerate::solve(inst, &settings.within(&limits), false),
            Err(e) => Err(SolveError::NoSolver(format!(
                "k = {} is smaller than the {distinct} distinct inputs, and the enumeration \
                 does not apply: {e}",
                inst.k
            ))),
        },
    }
}

/// `Auto` for the `abs` and `max` losses with `--optimize` or `gamma > 0`: the pattern
/// search's branch and bound for `k >= 3` in `d >= 2` (measured on noisy planted instances,
/// one thread: `d = 2, k = 3, n = 20` in 2.9 s and 7.8 s, 9 MB, where the enumeration took
/// 52.3 s and 483 MB, and did not finish in 60 s), the enumeration otherwise, where it is
/// faster in total (`d = 2, k = 2, n = 80`: 21.8 s against 35.1 s; `d = 1, k = 3, n = 20`:
/// 0.05 s against 0.1 s). Both are exact; see docs/patterns.md, "How `auto` uses it".
fn loss_by_branch_and_bound(inst: &Instance) -> bool {
    inst.dim() >= 2 && inst.k >= 3 && patterns::branch_and_bound_applies(inst)
}

/// `Auto` with `--optimize` where the enumeration computes the optimum. An exact fit, when
/// one exists, *is* the optimum (error 0 is the least of every loss), and deciding one (the
/// `gamma = 0` `auto`: ExactFit, the pattern search) is far cheaper than the enumeration,
/// which must visit every leaf even then. So that decision runs first, with half of the time
/// left: a fit ends the run with optimum 0 (the network verified against `inst`); a "no",
/// or a decision that ran out of its share, leaves the optimum to the enumeration with what
/// is left. Skipped where the decision would itself be the enumeration (numbers beyond 64
/// bits, `k >` [`patterns::MAX_K`]).
fn optimum_after_exact_fit(
    inst: &Instance,
    settings: &SolveSettings,
    limits: &RunLimits,
) -> Result<Solution, SolveError> {
    let mut exact = inst.clone();
    exact.gamma = Rational::ZERO;
    let mut runs = Vec::new();
    let mut stats = Stats::default();
    let mut no_exact_fit = false;
    if patterns::check_applicable(&exact).is_ok() {
        let share = limits.remaining().map(|left| limits.elapsed() + left / 2);
        let decision = SolveSettings {
            optimize: false,
            time_limit: share.or(settings.time_limit),
            ..settings.within(limits)
        };
        let sol = solve_with(&exact, &decision)?;
        stats = sol.stats;
        runs = sol.runs;
        let settled = match sol.outcome {
            Outcome::Fit { network, .. } => {
                Some(verified_fit_within(inst, network, "exact fit", limits)?)
            }
            // The caller's Ctrl-C ends the run; a decision out of its time share does not.
            cancelled @ Outcome::Unknown {
                reason: StopReason::Cancelled,
                ..
            } => Some(cancelled),
            Outcome::NoFit {
                restricted_to: None,
                ..
            } => {
                no_exact_fit = true;
                None
            }
            Outcome::NoFit { .. } | Outcome::Unknown { .. } => None,
        };
        if let Some(outcome) = settled {
            stats.elapsed = limits.elapsed();
            return Ok(Solution::of_runs(outcome, stats, runs));
        }
    }
    let mut sol = enumerate::solve(inst, &settings.within(limits), true)?;
    if let Outcome::Unknown { progress, .. } = &mut sol.outcome {
        if no_exact_fit {
            progress.push_str(
                "; no network fits exactly (decided first, every certificate checked), so the \
                 least error is > 0",
            );
        }
    }
    sol.stats.merge(&stats);
    runs.append(&mut sol.runs);
    sol.runs = runs;
    sol.stats.elapsed = limits.elapsed();
    Ok(sol)
}

/// `Auto` for ReLU, `gamma = 0`, no sign class requested: ExactFit for convex, then
/// concave networks (fast when they fit); if both are proven impossible, the pattern search
/// decides the networks with mixed output signs (or the enumeration, where the search does
/// not apply). Each gets what is left of the time limit.
fn auto_relu_exact(
    inst: &Instance,
    settings: &SolveSettings,
    limits: &RunLimits,
) -> Result<Solution, SolveError> {
    let mut stats = Stats::default();
    let mut evidence = Vec::new();
    let mut runs = Vec::new();
    for signs in [Signs::Convex, Signs::Concave] {
        let s = SolveSettings {
            signs: Some(signs),
            ..settings.within(limits)
        };
        let sol = exactfit::solve(inst, &s)?;
        stats.merge(&sol.stats);
        stats.elapsed += sol.stats.elapsed;
        runs.extend(sol.runs);
        match sol.outcome {
            Outcome::NoFit { evidence: e, .. } => evidence.push(e),
            outcome => return Ok(Solution::of_runs(outcome, stats, runs)),
        }
    }
    if patterns::check_applicable(inst).is_err() {
        let mut sol = enumerate::solve(inst, &settings.within(limits), false)?;
        sol.stats.merge(&stats);
        sol.stats.elapsed += stats.elapsed;
        runs.append(&mut sol.runs);
        sol.runs = runs;
        return Ok(sol);
    }
    let start = std::time::Instant::now();
    let mixed = patterns::solve_mixed(inst, &settings.within(limits))?;
    let mut all = patterns::stats_of(&mixed.stats, start.elapsed());
    all.merge(&stats);
    all.elapsed += stats.elapsed;
    let outcome = match mixed.outcome {
        Outcome::NoFit { evidence: e, .. } => {
            evidence.push(e);
            Outcome::NoFit {
                optimum: None,
                best: None,
                evidence: Evidence::All(evidence),
                restricted_to: None,
            }
        }
        other => other,
    };
    runs.push(RunStats::Patterns(mixed.stats));
    Ok(Solution::of_runs(outcome, all, runs))
}

/// Verify a constructed network and wrap it as a fit, or report a loud internal error.
pub(crate) fn verified_fit(
    inst: &Instance,
    network: Network,
    algorithm: &'static str,
) -> Result<Outcome, SolveError> {
    verified_fit_within(inst, network, algorithm, &RunLimits::none())
}

/// [`verified_fit`] under run-time limits: [`Outcome::Unknown`] if they stop the
/// verification.
pub(crate) fn verified_fit_within(
    inst: &Instance,
    network: Network,
    algorithm: &'static str,
    limits: &RunLimits,
) -> Result<Outcome, SolveError> {
    let report = match verify_within(inst, &network, limits) {
        Ok(r) => r,
        Err(VerifyError::Stopped(s)) => {
            return Ok(Outcome::unknown(
                s,
                format!("stopped while verifying the {algorithm} network found"),
            ))
        }
        Err(e) => {
            return Err(SolveError::VerificationFailed {
                algorithm,
                detail: e.to_string(),
            })
        }
    };
    if !report.passes() {
        return Err(SolveError::VerificationFailed {
            algorithm,
            detail: format!(
                "error {} > gamma {} (misfit points {:?})",
                report.error,
                report.gamma,
                report.misfit_points(inst)
            ),
        });
    }
    let optimum = (report.error == Rational::ZERO).then_some(Rational::ZERO);
    Ok(Outcome::Fit {
        network,
        report,
        optimum,
    })
}

fn interpolate_outcome(inst: &Instance, limits: &RunLimits) -> Result<Outcome, SolveError> {
    let stopped = |s: Stopped, what: &str| Outcome::unknown(s, format!("stopped while {what}"));
    let fit = match interpolate::interpolate_within(inst, limits) {
        Ok(fit) => fit?,
        Err(s) => return Ok(stopped(s, "building the interpolating network")),
    };
    let report = match verify_within(inst, &fit.network, limits) {
        Ok(r) => r,
        Err(VerifyError::Stopped(s)) => {
            return Ok(stopped(s, "verifying the interpolating network"))
        }
        Err(e) => {
            return Err(SolveError::VerificationFailed {
                algorithm: "interpolation",
                detail: e.to_string(),
            })
        }
    };
    if report.error != fit.optimum || report.too_wide() {
        return Err(SolveError::VerificationFailed {
            algorithm: "interpolation",
            detail: format!(
                "error {} where {} was constructed",
                report.error, fit.optimum
            ),
        });
    }
    if report.passes() {
        Ok(Outcome::Fit {
            network: fit.network,
            report,
            optimum: Some(fit.optimum),
        })
    } else {
        let evidence = Evidence::LeastPossibleError {
            optimum: fit.optimum.clone(),
            gamma: inst.gamma.clone(),
        };
        Ok(Outcome::NoFit {
            optimum: Some(fit.optimum),
            best: Some((fit.network, report)),
            evidence,
            restricted_to: None,
        })
    }
}
