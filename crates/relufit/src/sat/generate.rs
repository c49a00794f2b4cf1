//! Seeded generators of POITS formulas: uniformly random ones and ones with a planted
//! solution, as test inputs for the reduction of Theorem 1 / Corollary 8 and its solver.
//! Equal arguments give equal formulas on every platform (see [`crate::rng`]).

use super::formula::{Assignment, Formula};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// A uniformly random formula: each of the `num_clauses` clauses holds three distinct
/// variables drawn uniformly from `1..=num_vars`, in the order drawn.
///
/// Fails if `num_clauses > 0` and `num_vars < 3` (no clause of three distinct variables
/// exists).
pub fn random_formula(num_vars: usize, num_clauses: usize, seed: u64) -> Result<Formula> {
    if num_clauses > 0 && num_vars < 3 {
        return Err(Error::Invalid(format!(
            "a random formula needs at least 3 variables for clauses of three distinct \
             variables, got {num_vars}"
        )));
    }
    let mut rng = Rng::new(seed);
    let clauses = (0..num_clauses)
        .map(|_| {
            let s = rng.sample_distinct(num_vars, 3);
            [s[0] + 1, s[1] + 1, s[2] + 1]
        })
        .collect();
    Ok(Formula { num_vars, clauses })
}

/// The number of true variables of a planted assignment on `num_vars >= 3` variables:
/// a third, rounded to nearest, but at least one and leaving at least two false.
fn planted_true_count(num_vars: usize) -> usize {
    ((num_vars + 1) / 3).clamp(1, num_vars - 2)
}

/// A random formula with a planted solution. First an assignment is fixed: a uniformly random
/// set of `round(num_vars / 3)` true variables (at least one, and at least two left false).
/// Then every clause draws one true variable uniformly and two distinct false ones
/// uniformly, in random positions, so the planted assignment makes exactly one literal of
/// every clause true. Returns the formula and the planted assignment.
///
/// Fails if `num_vars < 3` (a clause then cannot have one true and two distinct false
/// variables), unless `num_clauses == 0`, in which case the all-false assignment is planted.
pub fn planted_formula(
    num_vars: usize,
    num_clauses: usize,
    seed: u64,
) -> Result<(Formula, Assignment)> {
    if num_vars < 3 {
        if num_clauses == 0 {
            return Ok((
                Formula {
                    num_vars,
                    clauses: Vec::new(),
                },
                Assignment {
                    values: vec![false; num_vars],
                },
            ));
        }
        return Err(Error::Invalid(format!(
            "a planted formula needs at least 3 variables (one true and two false per \
             clause), got {num_vars}"
        )));
    }
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (1..=num_vars).collect();
    rng.shuffle(&mut order);
    let t = planted_true_count(num_vars);
    let (trues, falses) = order.split_at(t);
    let planted = Assignment::from_true_vars(num_vars, trues);
    let clauses = (0..num_clauses)
        .map(|_| {
            let tv = trues[rng.below_usize(trues.len())];
            let fs = rng.sample_distinct(falses.len(), 2);
            let mut c = [tv, falses[fs[0]], falses[fs[1]]];
            rng.shuffle(&mut c);
            c
        })
        .collect();
    let f = Formula { num_vars, clauses };
    debug_assert!(f.is_solution(&planted));
    Ok((f, planted))
}
