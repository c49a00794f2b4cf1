//! Exact training algorithms. Every fit a solver reports has passed [`crate::verify`];
//! every "no" carries what backs it.
//!
//! Available now: the over-parameterised interpolation ([`interpolate`], `k >=` number of
//! distinct inputs). Other regimes report [`SolveError::NoSolver`] instead of guessing.

pub mod interpolate;

use crate::model::{Instance, Network};
use crate::num::Rational;
use crate::verify::{verify, Report};

/// Which algorithm to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Pick the best available algorithm for the instance.
    Auto,
    /// Zhang et al. interpolation; requires `k >=` number of distinct inputs.
    Interpolate,
}

/// What a solver established about an instance.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A network with error `<= gamma`, checked by the verifier (`report.passes()`).
    Fit {
        /// The certificate network.
        network: Network,
        /// The verifier's exact judgement of it.
        report: Report,
        /// The least error any network (of this width) can reach, when the solver knows it.
        optimum: Option<Rational>,
    },
    /// No network of the instance's width reaches error `<= gamma`.
    NoFit {
        /// The exact least error, when known (it is `> gamma`).
        optimum: Option<Rational>,
        /// The best network found, verified, if any.
        best: Option<(Network, Report)>,
        /// What backs the negative answer, in words.
        evidence: String,
    },
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

/// Solve `inst` with `algorithm`.
pub fn solve(inst: &Instance, algorithm: Algorithm) -> Result<Outcome, SolveError> {
    let distinct = inst.distinct_inputs();
    match algorithm {
        Algorithm::Interpolate => interpolate_outcome(inst),
        Algorithm::Auto if inst.k >= distinct => interpolate_outcome(inst),
        Algorithm::Auto => Err(SolveError::NoSolver(format!(
            "k = {} is smaller than the {distinct} distinct inputs; this build only has the \
             over-parameterised interpolation (k >= distinct inputs)",
            inst.k
        ))),
    }
}

fn interpolate_outcome(inst: &Instance) -> Result<Outcome, SolveError> {
    let fit = interpolate::interpolate(inst).map_err(SolveError::NotApplicable)?;
    let report = verify(inst, &fit.network).map_err(|e| SolveError::VerificationFailed {
        algorithm: "interpolation",
        detail: e.to_string(),
    })?;
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
        let evidence = format!(
            "the least error any function reaches on this data is {} (each group of points \
             with the same input contributes its own minimum, and the interpolation attains \
             it), which exceeds gamma = {}",
            fit.optimum, inst.gamma
        );
        Ok(Outcome::NoFit {
            optimum: Some(fit.optimum),
            best: Some((fit.network, report)),
            evidence,
        })
    }
}
