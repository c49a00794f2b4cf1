//! The forward solution map: two hyperplanes in the restricted form (3)-(5) -> the network of
//! the proof of Theorem 7 (four ReLUs) or of Corollary 10 (two threshold neurons), checked
//! exactly by [`crate::verify::verify`].
//!
//! ReLU: with `g_i(x) = h_i . x + o_i`, `mu_i = min { |g_i(x)| : x in Q u P }` (non-zero by
//! (5)) and the rational scale `c_i = 4 / mu_i`, the neurons are `(c1 h1, c1 o1, +1)`,
//! `(c1 h1, c1 o1 - 1, -1)`, `(c2 h2, c2 o2, -1)`, `(c2 h2, c2 o2 - 1, +1)`: an upward step
//! of height 1 across `H_1` minus one across `H_2`. Every data point `x` (including `r_qp`,
//! `s_qp`) has `|g_i(x)| > mu_i / 2` by (5) and the choice of `delta`
//! (`docs/theorem7-rational.md`), so each ramp `0 < c_i g_i < 1` (width `mu_i / 4`) holds no
//! data point. This replaces the paper's `beta = 4 / eps` with unit normals (which are
//! irrational). Threshold: `1{g_1 > 0} - 1{g_2 > 0}`.
//!
//! A padded instance (width above 4, resp. 2) gets the same neurons with the `z`-weights of
//! `super::width::z_weights` plus the ladder's gadget neurons; this needs the margin of (5)
//! at `q0` (`super::width::check_base_margin`).

use super::check::{check_restricted, orient, RestrictedFailure};
use super::problem::Hyperplane;
use super::reduction::Layout;
use crate::error::Error;
use crate::limits::RunLimits;
use crate::model::{Activation, Instance, Network, Neuron};
use crate::num::{abs, Rational};
use crate::verify::{verify_within, VerifyError};
use std::fmt;

/// Why the forward map refuses.
#[derive(Debug)]
pub enum LiftError {
    /// The hyperplanes (in the given order and orientation, and in none of the reorderings
    /// tried) violate the restricted form (3)-(5); the first failing condition.
    Restricted(RestrictedFailure),
    /// Anything else (instance not made by the reduction, internal check failed).
    Other(Error),
}

impl fmt::Display for LiftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiftError::Restricted(r) => write!(
                f,
                "the hyperplanes are not in the restricted form (3)-(5): {r}"
            ),
            LiftError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LiftError {}

impl From<LiftError> for Error {
    fn from(e: LiftError) -> Error {
        match e {
            LiftError::Restricted(_) => Error::Invalid(e.to_string()),
            LiftError::Other(e) => e,
        }
    }
}

/// Map two hyperplanes to a network fitting the reduced instance `inst` (from
/// [`super::reduce`]). The pair is first re-ordered / re-oriented by [`orient`] if needed;
/// then (3)-(5) are checked with the instance's `eps` (ReLU) or with margin 0, i.e. no point
/// on a hyperplane (threshold, where no margin is needed). The network is verified exactly
/// on the whole instance (padding included) before it is returned.
pub fn lift(inst: &Instance, pair: &[Hyperplane]) -> Result<Network, LiftError> {
    lift_within(inst, pair, &RunLimits::none())
}

/// [`lift`] under run-time limits (the verification checks them):
/// `LiftError::Other(Error::Stopped)` when they stop it.
pub fn lift_within(
    inst: &Instance,
    pair: &[Hyperplane],
    limits: &RunLimits,
) -> Result<Network, LiftError> {
    let layout = Layout::from_meta(inst).map_err(LiftError::Other)?;
    let src = layout.source(inst);
    let eps = match layout.activation {
        Activation::Relu => layout.eps.clone(),
        Activation::Threshold => Rational::ZERO,
    };
    let oriented: Vec<Hyperplane> = match orient(&src, pair) {
        Some(o) => o.to_vec(),
        None => pair.to_vec(),
    };
    check_restricted(&src, &oriented, &eps).map_err(LiftError::Restricted)?;
    let (h1, h2) = (&oriented[0], &oriented[1]);
    let net = match layout.activation {
        Activation::Threshold => Network::new(
            Activation::Threshold,
            vec![
                Neuron::new(h1.h.clone(), h1.o.clone(), Rational::ONE),
                Neuron::new(h2.h.clone(), h2.o.clone(), -Rational::ONE),
            ],
        ),
        Activation::Relu => {
            let scale = |h: &Hyperplane| -> Result<Rational, LiftError> {
                let min = src
                    .points()
                    .map(|x| abs(&h.value(x)))
                    .min()
                    .unwrap_or(Rational::ONE);
                if min == Rational::ZERO {
                    return Err(LiftError::Other(Error::Invalid(
                        "internal error: a data point lies on a hyperplane despite (3)-(5)".into(),
                    )));
                }
                Ok(Rational::from(4u8) / min)
            };
            let (c1, c2) = (scale(h1)?, scale(h2)?);
            let w = |c: &Rational, h: &Hyperplane| -> Vec<Rational> {
                h.h.iter().map(|a| c * a).collect()
            };
            let (b1, b2) = (&c1 * &h1.o, &c2 * &h2.o);
            Network::new(
                Activation::Relu,
                vec![
                    Neuron::new(w(&c1, h1), b1.clone(), Rational::ONE),
                    Neuron::new(w(&c1, h1), b1 - Rational::ONE, -Rational::ONE),
                    Neuron::new(w(&c2, h2), b2.clone(), -Rational::ONE),
                    Neuron::new(w(&c2, h2), b2 - Rational::ONE, Rational::ONE),
                ],
            )
        }
    };
    let net = match &layout.ladder {
        None => net,
        Some(ladder) => {
            let q0 = &src.q[0];
            super::width::check_base_margin(&oriented, q0, &ladder.spec.eps)
                .map_err(|e| LiftError::Other(Error::Invalid(e)))?;
            let z = super::width::z_weights(&net, q0)
                .map_err(|e| LiftError::Other(Error::Invalid(format!("internal error: {e}"))))?;
            ladder.pad_network(&net, &z)
        }
    };
    let report = verify_within(inst, &net, limits).map_err(|e| match e {
        VerifyError::Stopped(s) => LiftError::Other(Error::Stopped(s)),
        e => LiftError::Other(Error::Invalid(e.to_string())),
    })?;
    if !report.passes() {
        return Err(LiftError::Other(Error::Invalid(format!(
            "internal error: the lifted network has error {} > gamma = {} (misfit points {:?})",
            report.error,
            report.gamma,
            report.worst_points(inst, 5)
        ))));
    }
    Ok(net)
}
