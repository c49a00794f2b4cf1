//! Training instances of 2L-ReLU-NN-Train / 2L-LT-NN-Train (Sections 1 and 5).

use super::{Activation, Loss, LossSpec};
use crate::limits::{MAX_DIMENSION, MAX_WIDTH};
use crate::num::Rational;
use std::collections::HashMap;

/// One labelled data point `(x, y)` with `x` in `Q^d` and `y` in `Q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// The input `x`.
    pub x: Vec<Rational>,
    /// The label `y`.
    pub y: Rational,
}

impl Point {
    /// A point from its coordinates and label.
    pub fn new(x: Vec<Rational>, y: Rational) -> Self {
        Point { x, y }
    }
}

/// A training instance: data, width `k`, target error `gamma`, loss and activation.
///
/// The question it poses: is there a network with `k` hidden neurons of the given
/// activation whose training error under `loss` is at most `gamma`?
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Hidden activation.
    pub activation: Activation,
    /// Number of hidden neurons, `k >= 1`.
    pub k: usize,
    /// Target error, `gamma >= 0`.
    pub gamma: Rational,
    /// The loss; [`Loss::Abs`] when [`Instance::lp`] holds an exponent `p >= 3`.
    pub loss: Loss,
    /// `Some(p)` with `p >= 3`: the loss is `l^p`, `sum |phi(x) - y|^p` (Section 5,
    /// Corollary 9), and `loss` is `Abs`. `None` for the four named losses (`l^0`, `l^1`,
    /// `l^2` are `zero-one`, `abs`, `squared`). The verifier computes every `l^p` error
    /// exactly; the solvers of this build read only `loss` and must not be given an instance
    /// with `lp` set (the command line refuses it), see [`LossSpec`].
    pub lp: Option<u32>,
    /// The data points; all of the same dimension, at least one.
    pub points: Vec<Point>,
    /// Free-form provenance; reductions record here what decoding needs.
    pub meta: serde_json::Value,
}

/// Something about an instance that is legal but worth telling the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceIssue {
    /// Points `first` and `second` (0-based) have the same input but different labels, so no
    /// network reaches error 0 on them.
    ConflictingDuplicate {
        /// Index of the earlier point.
        first: usize,
        /// Index of the later point.
        second: usize,
    },
}

impl Instance {
    /// Input dimension `d` (of the first point).
    pub fn dim(&self) -> usize {
        self.points.first().map_or(0, |p| p.x.len())
    }

    /// Number of data points `n`.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// True if there are no points (never true for a validated instance).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The loss by name (`squared`, ..., `lp:3`).
    pub fn loss_spec(&self) -> LossSpec {
        LossSpec {
            loss: self.loss,
            lp: self.lp,
        }
    }

    /// Set the loss from its name.
    pub fn set_loss(&mut self, spec: LossSpec) {
        self.loss = spec.loss;
        self.lp = spec.lp;
    }

    /// Check the structural rules: at least one point, all of one dimension (at most
    /// [`MAX_DIMENSION`]), `1 <= k <=` [`MAX_WIDTH`], `gamma >= 0`, an `l^p` exponent only with
    /// the `abs` loss and in `3..=`[`crate::limits::MAX_LOSS_EXPONENT`]. The message names the
    /// offending field (`points[3].x`, `k`, `loss`, ...).
    pub fn validate(&self) -> Result<(), crate::Malformed> {
        self.rules().map_err(crate::Malformed)
    }

    /// The checks of [`Self::validate`], first failure in words.
    fn rules(&self) -> Result<(), String> {
        self.loss_spec()
            .validate()
            .map_err(|e| format!("loss: {e}"))?;
        if self.k == 0 {
            return Err("k: the width must be at least 1".into());
        }
        if self.k > MAX_WIDTH {
            return Err(format!(
                "k: the width {} exceeds the limit of {MAX_WIDTH}",
                self.k
            ));
        }
        if self.gamma < Rational::ZERO {
            return Err(format!(
                "gamma: the target error must be >= 0, got {}",
                self.gamma
            ));
        }
        let Some(first) = self.points.first() else {
            return Err("points: the instance needs at least one data point".into());
        };
        let d = first.x.len();
        if d > MAX_DIMENSION {
            return Err(format!(
                "points[0].x: the dimension {d} exceeds the limit of {MAX_DIMENSION}"
            ));
        }
        for (i, p) in self.points.iter().enumerate() {
            if p.x.len() != d {
                return Err(format!(
                    "points[{i}].x: dimension {} differs from points[0].x (dimension {d})",
                    p.x.len()
                ));
            }
        }
        Ok(())
    }

    /// Legal but noteworthy features of the data: duplicated inputs with different labels.
    pub fn issues(&self) -> Vec<InstanceIssue> {
        let mut seen: HashMap<&[Rational], usize> = HashMap::new();
        let mut out = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            match seen.get(p.x.as_slice()) {
                Some(&j) if self.points[j].y != p.y => {
                    out.push(InstanceIssue::ConflictingDuplicate {
                        first: j,
                        second: i,
                    })
                }
                Some(_) => {}
                None => {
                    seen.insert(&p.x, i);
                }
            }
        }
        out
    }

    /// Number of distinct inputs `x` (the interpolation bound: `k >=` this suffices).
    pub fn distinct_inputs(&self) -> usize {
        let mut xs: Vec<&[Rational]> = self.points.iter().map(|p| p.x.as_slice()).collect();
        xs.sort();
        xs.dedup();
        xs.len()
    }
}
