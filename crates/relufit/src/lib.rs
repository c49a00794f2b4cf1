//! # relufit
//!
//! Exact training of two-layer neural networks
//! `phi(x) = sum_j a_j act(w_j . x + b_j)` with ReLU or linear-threshold activations, after
//! Froese and Hertrich, "Training Neural Networks is NP-Hard in Fixed Dimension".
//!
//! Layers (data flows downward only; the README's "Layout" lists the modules):
//!
//! - [`num`], [`model`], [`io`]: exact rationals, instances, networks, file formats, and
//!   [`limits`] on every input-sized quantity;
//! - [`verify`]: the independent exact judge of every answer;
//! - [`solve`]: exact algorithms, each returning a verified certificate.
//!
//! The library never prints; the `relufit` binary renders results.

pub mod error;
pub mod geometry;
pub mod io;
pub mod limits;
pub mod linalg;
pub mod lp;
pub mod mcc;
pub mod model;
pub mod num;
pub mod planted;
pub mod plot;
pub mod reduce;
pub mod rng;
pub mod sat;
pub mod solve;
pub mod verify;

pub use error::{Error, Result};
pub use model::{Activation, Instance, Loss, Network, Neuron, Point};
pub use num::Rational;
