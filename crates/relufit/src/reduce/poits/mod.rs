//! Positive 1-in-3 SAT (POITS) and its reduction to 2-D training (Theorem 1, Corollary 8).

mod cdcl;
mod dimacs;
mod formula;
mod generate;
mod solver;

pub use dimacs::{format_assignment, parse_assignment, parse_dimacs, to_dimacs};
pub use formula::{Assignment, Formula};
pub use generate::{planted_formula, random_formula};
pub use solver::{
    count_solutions, count_solutions_big, count_with_limit, count_with_stats, enumerate_solutions,
    solve, solve_with_stats, SolverStats,
};
