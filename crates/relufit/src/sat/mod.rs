//! Positive 1-in-3 SAT (POITS), the source problem of Theorem 1 and Corollary 8: formulas
//! and assignments ([`Formula`], [`Assignment`]), their DIMACS text forms, seeded
//! generators, and an exact solver that decides, counts and enumerates solutions.
//!
//! The solver is not part of the reduction: `reduce::poits` (a layer above) maps formulas to
//! training instances and back and takes its [`Formula`] and [`Assignment`] from here; the
//! solver only answers the source problem (the CLI's `relufit sat`, the demo, and tests that
//! compare the number of solutions with the number of fitting networks).

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
