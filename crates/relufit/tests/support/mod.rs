//! Shared support of the relufit crate's integration tests. Every test file that needs it
//! says `mod support;` and uses what it needs:
//!
//! - [`SplitMix64`] with [`SmallDraws`]: the one deterministic generator of the tests (the
//!   library's own, so seeds reproduce on every platform);
//! - [`build`]: instances, random inputs and networks, labels, the reference evaluator;
//! - [`paper`]: the paper's tables and small objects (the `h_0` table of the selection
//!   gadget, Observation 3's levee, the Figure 5 formula) and brute-force POITS solutions;
//! - [`oracle`]: the brute-force optimum every solver is checked against
//!   (`tests/agreement.rs`).
//!
//! Each test binary uses a different part, so unused items are expected here.
#![allow(dead_code)]

pub mod build;
pub mod oracle;
pub mod paper;

pub use relufit::planted::SmallDraws;
pub use relufit::rng::SplitMix64;
