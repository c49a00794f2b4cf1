//! The problem data: activations, losses, training instances and networks.
//!
//! These are plain values with exact rational entries. Reading and writing them is in
//! [`crate::io`]; judging a network on an instance is in [`crate::verify`].

mod function;
mod instance;
mod loss;
mod network;

pub use function::CanonicalFunction;
pub use instance::{Instance, InstanceIssue, Point};
pub use loss::LossSpec;
pub use network::{Network, Neuron};

use std::fmt;
use std::str::FromStr;

/// The hidden-layer activation: ReLU `[t]_+` or the linear threshold `1{t > 0}` (Section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activation {
    /// `max(0, t)`.
    Relu,
    /// `1` if `t > 0` (strict), else `0`.
    Threshold,
}

impl Activation {
    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Threshold => "threshold",
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Activation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "relu" => Ok(Activation::Relu),
            "threshold" => Ok(Activation::Threshold),
            other => Err(format!(
                "unknown activation `{other}` (expected relu or threshold)"
            )),
        }
    }
}

/// The training loss `L`, summed (or maximised) over the data points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loss {
    /// `sum (phi(x) - y)^2`.
    Squared,
    /// `sum |phi(x) - y|`.
    Abs,
    /// `max |phi(x) - y|`.
    Max,
    /// Number of points with `phi(x) != y`.
    ZeroOne,
}

impl Loss {
    /// All losses, in a fixed order.
    pub const ALL: [Loss; 4] = [Loss::Squared, Loss::Abs, Loss::Max, Loss::ZeroOne];

    /// The name used in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Squared => "squared",
            Loss::Abs => "abs",
            Loss::Max => "max",
            Loss::ZeroOne => "zero-one",
        }
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Loss {
    type Err = String;
    /// The four names, and `lp:0`, `lp:1`, `lp:2` as synonyms of `zero-one`, `abs` and
    /// `squared`. `lp:P` for `P >= 3` is a [`LossSpec`], not a [`Loss`]: the message says so.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "squared" => Ok(Loss::Squared),
            "abs" => Ok(Loss::Abs),
            "max" => Ok(Loss::Max),
            "zero-one" => Ok(Loss::ZeroOne),
            other => match LossSpec::from_str(other)? {
                LossSpec { loss, lp: None } => Ok(loss),
                spec => Err(format!(
                    "the loss `{spec}` (l^p with p >= 3) is supported in instance files, by \
                     `verify` and by `reduce mcc --p`, not here (expected squared, abs, max, \
                     zero-one or lp:0, lp:1, lp:2)"
                )),
            },
        }
    }
}
