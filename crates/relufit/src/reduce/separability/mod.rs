//! 2-HYPERPLANE SEPARABILITY and its reductions to training (Section 4, Theorem 7, ReLU with
//! `k = 4`; Section 5, Corollary 10, linear threshold with `k = 2`), with solution maps in
//! both directions, a planted generator, an exact decision procedure for small instances,
//! and the Figure 6 picture.
//!
//! - [`problem`]: instances `(Q, P)`, hyperplanes, file formats;
//! - [`check`]: strict separation and the restricted form (3)-(5), with exact margins;
//! - [`decide`](mod@decide): exact decision procedure (enumeration of dichotomies);
//! - [`generate`]: planted instances satisfying (3)-(5) with margin `eps = m^-3`;
//! - [`reduction`]: the instance of Theorem 7 / Corollary 10, padding for `gamma > 0`;
//! - [`lift`](mod@lift): hyperplanes in restricted form -> fitting network (forward map);
//! - [`decode`](mod@decode): fitting network -> strictly separating hyperplanes (backward map);
//! - [`figure`]: Figure 6 as SVG (d = 2);
//! - `width`: padding to any larger width (the witness ladder).
//!
//! The rational substitutes for the paper's irrational `delta` and unit normals, and the
//! padding argument, are written down in `docs/theorem7-rational.md`; the decision
//! procedure's argument in `docs/separability-decision.md`.

pub mod check;
pub mod decide;
pub mod decode;
pub mod figure;
pub mod generate;
pub mod lift;
pub mod problem;
pub mod reduction;
pub(crate) mod width;

pub use check::{
    check_restricted, check_strict, margin_sq, orient, RestrictedFailure, SeparationFailure, Set,
};
pub use decide::{decide, decide_within, dichotomies, dichotomies_within, Decision, Dichotomy};
pub use decode::{decode, decode_within, Decoded, Origin};
pub use figure::{figure6_svg, FigureOptions};
pub use generate::{planted, Planted, PlantedOptions};
pub use lift::{lift, lift_within, LiftError};
pub use problem::{
    hyperplanes_from_json, hyperplanes_to_json, separability_from_csv, separability_from_json,
    separability_to_csv, separability_to_json, Hyperplane, SeparabilityInstance,
    FORMAT_HYPERPLANES, FORMAT_SEPARABILITY,
};
pub use reduction::{delta, padding_points, reduce, reduce_within, Layout, ReduceOptions};
