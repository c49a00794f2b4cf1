//! MULTICOLORED CLIQUE, the source problem of Corollary 9 (and of the single-ReLU result of
//! Froese, Hertrich and Niedermeier, JAIR 2022, that it rests on): given a graph whose
//! vertices are partitioned into `kappa` colour classes, is there a clique with exactly one
//! vertex of every class? W\[1\]-hard with respect to `kappa`, and not solvable in
//! `f(kappa) n^{o(kappa)}` time under the ETH.
//!
//! - [`graph`]: the instances ([`Mcc`]) and clique checks;
//! - [`format`](mod@format): the `relufit-mcc/1` JSON format and cliques as vertex lists;
//! - [`dimacs`]: plain DIMACS graphs and the `kappa`-copies reduction from CLIQUE;
//! - [`solver`]: an exact search for small instances;
//! - [`generate`]: seeded random / planted / clique-free instances and two DIMACS benchmark
//!   families.
//!
//! The reduction to single-neuron training is `reduce::mcc` (a layer above).

pub mod dimacs;
pub mod format;
pub mod generate;
pub mod graph;
pub mod solver;

pub use dimacs::{
    clique_in_copies, graph_to_dimacs, kappa_copies, original_vertex, parse_dimacs_graph, Graph,
};
pub use format::{mcc_from_json, mcc_to_json, parse_clique, FORMAT_MCC};
pub use generate::{benchmark_graph, clique_free_mcc, planted_mcc, random_mcc, RandomOptions};
pub use graph::{GraphError, Mcc, Place};
pub use solver::{all_cliques, solve, solve_with, Answer, Limits, SearchStats};
