//! 2-HYPERPLANE SEPARABILITY and its reductions to training (Section 4, Theorem 7, ReLU with
//! `k = 4`; Section 5, Corollary 10, linear threshold with `k = 2`), with solution maps in
//! both directions, a planted generator, an exact decision procedure for small instances,
//! and the Figure 6 picture.
//!
//! - [`problem`]: instances `(Q, P)`, hyperplanes, file formats;
//! - [`check`]: strict separation and the restricted form (3)-(5), with exact margins;
//! - [`decide`]: exact decision procedure (enumeration of dichotomies);

pub mod check;
pub mod decide;
mod linalg;
pub mod problem;

pub use check::{
    check_restricted, check_strict, margin_sq, orient, RestrictedFailure, SeparationFailure, Set,
};
pub use decide::{decide, dichotomies, Decision, Dichotomy};
pub use problem::{
    hyperplanes_from_json, hyperplanes_to_json, separability_from_csv, separability_from_json,
    separability_to_csv, separability_to_json, Hyperplane, SeparabilityInstance,
    FORMAT_HYPERPLANES, FORMAT_SEPARABILITY,
};
