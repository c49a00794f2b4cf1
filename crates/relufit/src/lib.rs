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
//!
//! # Load, solve, verify
//!
//! One entry point solves ([`solve::solve_with`]); every fit it returns has passed the exact
//! verifier, and every "no" names what backs it.
//!
//! ```
//! use relufit::io::instance_from_json;
//! use relufit::solve::{solve_with, Algorithm, Outcome, SolveSettings};
//! use relufit::verify::verify;
//!
//! // |x| on four points: one ReLU cannot fit it, two can (with output signs + and +).
//! let text = r#"{"format": "relufit-instance/1", "activation": "relu", "k": 2,
//!   "gamma": "0", "loss": "squared",
//!   "points": [{"x": ["-2"], "y": "2"}, {"x": ["-1"], "y": "1"},
//!              {"x": ["1"], "y": "1"}, {"x": ["3/2"], "y": "3/2"}]}"#;
//! let inst = instance_from_json(text, "abs.json")?;
//! let settings = SolveSettings::new(Algorithm::Patterns); // or Algorithm::Auto
//! let Outcome::Fit { network, .. } = solve_with(&inst, &settings)?.outcome else {
//!     panic!("|x| is a two-ReLU function");
//! };
//! // The independent verifier, in exact arithmetic.
//! assert!(verify(&inst, &network)?.passes());
//!
//! // Width 1: a certified "no" (every branch of the search closed by a checked certificate).
//! let narrow = relufit::Instance { k: 1, ..inst };
//! assert!(matches!(
//!     solve_with(&narrow, &settings)?.outcome,
//!     Outcome::NoFit { .. }
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Reduce, lift, decode (Theorem 1)
//!
//! A Positive 1-in-3 SAT formula becomes a training instance; a solution lifts to a fitting
//! network, and any fitting network decodes back to a solution.
//!
//! ```
//! use relufit::reduce::poits::{decode, lift, reduce, PoitsOptions};
//! use relufit::sat::{parse_dimacs, solve};
//! use relufit::verify::verify;
//!
//! let formula = parse_dimacs("p cnf 4 2\n1 2 3 0\n2 3 4 0\n", "f.cnf")?;
//! let inst = reduce(&formula, &PoitsOptions::default())?; // the instance of Theorem 1
//! let solution = solve(&formula).expect("satisfiable");
//! let net = lift(&inst, &solution, None)?;
//! assert!(verify(&inst, &net)?.passes());
//! let back = decode(&inst, &net)?;
//! assert!(formula.is_solution(&back.assignment));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Shards
//!
//! A long search splits into `N` parts that can run anywhere ([`solve::shard`]); the merge of
//! all parts is one certified answer.
//!
//! ```
//! use relufit::io::instance_from_json;
//! use relufit::solve::shard::{merge, Shard};
//! use relufit::solve::{solve_with, Outcome, SolveSettings};
//!
//! let text = r#"{"format": "relufit-instance/1", "activation": "relu", "k": 1,
//!   "gamma": "0", "loss": "squared",
//!   "points": [{"x": ["0"], "y": "0"}, {"x": ["1"], "y": "1"}, {"x": ["2"], "y": "0"}]}"#;
//! let inst = instance_from_json(text, "hat.json")?;
//! let parts = (0..3)
//!     .map(|index| {
//!         let settings = SolveSettings {
//!             shard: Some(Shard { index, count: 3 }),
//!             ..Default::default()
//!         };
//!         // One shard's part: its result is in `shard` (written to a file, in practice).
//!         solve_with(&inst, &settings).map(|part| part.shard.expect("a shard was asked for"))
//!     })
//!     .collect::<Result<Vec<_>, _>>()?;
//! let (_, solution) = merge(&parts)?;
//! assert!(matches!(solution.outcome, Outcome::NoFit { .. })); // a hat needs two ReLUs
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Items inside crate-private modules say so (`pub(crate)`), so that `pub` means public.
#![warn(unreachable_pub)]

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

pub use error::{Error, Malformed, Result};
pub use model::{Activation, Instance, Loss, Network, Neuron, Point};
pub use num::Rational;
