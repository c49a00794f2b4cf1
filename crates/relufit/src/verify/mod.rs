//! The independent verifier: the judge of every answer relufit reports.
//!
//! Given an instance and a network it computes `phi(x_i)` at every data point and the
//! training error, all exactly. It shares no code with any solver or reduction: it depends
//! only on [`crate::model`] and [`crate::num`].
//!
//! Speed comes from a filtered kernel ([`evaluate`]): the sign of each pre-activation
//! `w_j . x_i + b_j` is first decided in `f64` with a rigorous rounding-error bound, and
//! exact integer arithmetic is used only where the bound cannot decide (typically points
//! exactly on a breakline, which is where the paper's reductions put them) and, for ReLU,
//! for the neurons that are active. The answer is always the exact one.
//!
//! [`verify_within`] and [`evaluate_within`] honour run-time limits
//! ([`crate::limits::RunLimits`]: time limit and cancellation, checked every few tens of
//! microseconds of work); that is the only thing the verifier takes from outside
//! [`crate::model`] and [`crate::num`].

mod eval;

pub use eval::{evaluate, evaluate_within, EvalStats, Evaluation};

use crate::limits::{RunLimits, Stopped};
use crate::model::{Instance, Loss, LossSpec, Network};
use crate::num::{abs, Rational};
use std::cmp::Ordering;

/// Why a network cannot even be judged on an instance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The network has a different activation than the instance asks for.
    #[error("the network is a {network} network but the instance asks for {instance}")]
    ActivationMismatch {
        /// Instance activation name.
        instance: &'static str,
        /// Network activation name.
        network: &'static str,
    },
    /// Input dimensions differ.
    #[error("the network has input dimension {network} but the data has dimension {instance}")]
    DimensionMismatch {
        /// Data dimension.
        instance: usize,
        /// Network dimension.
        network: usize,
    },
    /// The run-time limits stopped the verification before it finished.
    #[error("verification stopped: {0}")]
    Stopped(Stopped),
}

/// The exact judgement of a network on an instance.
#[derive(Debug, Clone)]
pub struct Report {
    /// `phi(x_i)` for every data point, exactly.
    pub values: Vec<Rational>,
    /// The exact training error under the instance's loss.
    pub error: Rational,
    /// The instance's target error.
    pub gamma: Rational,
    /// Number of neurons in the network.
    pub width: usize,
    /// The instance's width bound `k`.
    pub k: usize,
    /// How the signs were decided (float filter vs exact).
    pub stats: EvalStats,
}

impl Report {
    /// The network is a witness for the instance: width `<= k` and error `<= gamma`.
    pub fn passes(&self) -> bool {
        self.width <= self.k && self.error <= self.gamma
    }

    /// The network has too many neurons for the instance.
    pub fn too_wide(&self) -> bool {
        self.width > self.k
    }

    /// Residuals `phi(x_i) - y_i`.
    pub fn residual(&self, inst: &Instance, i: usize) -> Rational {
        &self.values[i] - &inst.points[i].y
    }

    /// Indices of the points that are not fitted exactly (`phi(x_i) != y_i`), in order.
    pub fn misfit_points(&self, inst: &Instance) -> Vec<usize> {
        (0..self.values.len())
            .filter(|&i| self.values[i] != inst.points[i].y)
            .collect()
    }

    /// Up to `limit` misfit points, the largest `|phi - y|` first (ties by index).
    pub fn worst_points(&self, inst: &Instance, limit: usize) -> Vec<usize> {
        let mut bad: Vec<(usize, Rational)> = self
            .misfit_points(inst)
            .into_iter()
            .map(|i| (i, abs(&self.residual(inst, i))))
            .collect();
        bad.sort_by(|a, b| match b.1.cmp(&a.1) {
            Ordering::Equal => a.0.cmp(&b.0),
            o => o,
        });
        bad.into_iter().take(limit).map(|(i, _)| i).collect()
    }
}

/// Judge `net` on `inst` exactly.
pub fn verify(inst: &Instance, net: &Network) -> Result<Report, VerifyError> {
    check_shapes(inst, net)?;
    let xs: Vec<&[Rational]> = inst.points.iter().map(|p| p.x.as_slice()).collect();
    Ok(report(inst, net, evaluate(net, &xs)))
}

/// [`verify`] under run-time limits: [`VerifyError::Stopped`] if they stop it.
pub fn verify_within(
    inst: &Instance,
    net: &Network,
    limits: &RunLimits,
) -> Result<Report, VerifyError> {
    check_shapes(inst, net)?;
    let xs: Vec<&[Rational]> = inst.points.iter().map(|p| p.x.as_slice()).collect();
    let evaluation = evaluate_within(net, &xs, limits).map_err(VerifyError::Stopped)?;
    Ok(report(inst, net, evaluation))
}

fn check_shapes(inst: &Instance, net: &Network) -> Result<(), VerifyError> {
    if inst.activation != net.activation {
        return Err(VerifyError::ActivationMismatch {
            instance: inst.activation.name(),
            network: net.activation.name(),
        });
    }
    if !net.neurons.is_empty() && net.dim() != inst.dim() {
        return Err(VerifyError::DimensionMismatch {
            instance: inst.dim(),
            network: net.dim(),
        });
    }
    Ok(())
}

fn report(inst: &Instance, net: &Network, evaluation: Evaluation) -> Report {
    let Evaluation { values, stats } = evaluation;
    let error = loss_error(inst.loss_spec(), inst.points.iter().map(|p| &p.y), &values);
    Report {
        values,
        error,
        gamma: inst.gamma.clone(),
        width: net.width(),
        k: inst.k,
        stats,
    }
}

/// The exact training error of predictions `values` against `labels` under a loss given by
/// name: for `lp:P` (`P >= 3`) the sum of `|phi - y|^P`, otherwise [`training_error`].
pub fn loss_error<'a>(
    spec: LossSpec,
    labels: impl Iterator<Item = &'a Rational>,
    values: &[Rational],
) -> Rational {
    let Some(p) = spec.lp else {
        return training_error(spec.loss, labels, values);
    };
    let mut total = Rational::ZERO;
    for (y, v) in labels.zip(values) {
        let r = v - y;
        if r != Rational::ZERO {
            total += power(&abs(&r), p);
        }
    }
    total
}

/// `q^p` exactly, by repeated squaring.
fn power(q: &Rational, p: u32) -> Rational {
    let mut result = Rational::ONE;
    let mut base = q.clone();
    let mut e = p;
    while e > 0 {
        if e & 1 == 1 {
            result = &result * &base;
        }
        e >>= 1;
        if e > 0 {
            base = &base * &base;
        }
    }
    result
}

/// The exact training error of predictions `values` against `labels`.
pub fn training_error<'a>(
    loss: Loss,
    labels: impl Iterator<Item = &'a Rational>,
    values: &[Rational],
) -> Rational {
    let mut total = Rational::ZERO;
    for (y, v) in labels.zip(values) {
        let r = v - y;
        match loss {
            Loss::Squared => total += &r * &r,
            Loss::Abs => total += abs(&r),
            Loss::Max => {
                let a = abs(&r);
                if a > total {
                    total = a;
                }
            }
            Loss::ZeroOne => {
                if r != Rational::ZERO {
                    total += Rational::ONE;
                }
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    #[test]
    fn lp_errors_are_exact_and_agree_with_the_named_losses() {
        let ys = [int(0), int(1), ratio(1, 2), int(-2)];
        let vs = [int(0), int(0), int(2), ratio(1, 3)];
        let err = |spec: LossSpec| loss_error(spec, ys.iter(), &vs);
        assert_eq!(err(LossSpec::lp(0)), int(3));
        assert_eq!(err(LossSpec::lp(1)), int(1) + ratio(3, 2) + ratio(7, 3));
        assert_eq!(err(LossSpec::lp(2)), int(1) + ratio(9, 4) + ratio(49, 9));
        assert_eq!(err(LossSpec::lp(3)), int(1) + ratio(27, 8) + ratio(343, 27));
        for p in 0..3 {
            let spec = LossSpec::lp(p);
            assert_eq!(err(spec), training_error(spec.loss, ys.iter(), &vs));
        }
        assert_eq!(power(&ratio(-2, 3), 5), ratio(-32, 243));
        assert_eq!(power(&int(7), 0), int(1));
    }
}
