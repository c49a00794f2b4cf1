//! Positive 1-in-3 SAT (POITS) and its reduction to 2-D training (Theorem 1, Corollary 8).

mod cdcl;
mod dimacs;
mod formula;
mod generate;
mod solver;

pub use dimacs::{format_assignment, parse_assignment, parse_dimacs, to_dimacs};
pub use formula::{Assignment, Formula};
pub mod decode;
pub mod gadget;
pub mod layout;
pub mod meta;
pub mod pad;
pub mod reduction;
pub mod relu;
pub mod threshold;
pub use decode::{decode, Decoded};
pub use generate::{planted_formula, random_formula};
pub use reduction::{lift, point_tags, reduce, Construction, PoitsOptions, MAX_LOSS_REFUSAL};
pub use solver::{
    count_solutions, count_solutions_big, count_with_limit, count_with_stats, enumerate_solutions,
    solve, solve_with_stats, SolverStats,
};
