//! Inputs shared by the POITS commands: formula files, assignments on the command line,
//! the formula recorded in a reduced instance.

use crate::args::AssignmentArgs;
use relufit::io::{self};
use relufit::reduce::poits::{self};
use relufit::sat::{parse_assignment, parse_dimacs, Assignment, Formula};
use relufit::{Error, Instance};
use std::path::Path;

/// Read a DIMACS formula file.
pub(super) fn load_formula(path: &Path) -> Result<Formula, Error> {
    let text = io::read_text(path)?;
    parse_dimacs(&text, &path.display().to_string())
}

/// The assignment and literal choices given on the command line, for `formula`.
pub(super) fn read_assignment(
    a: &AssignmentArgs,
    formula: &Formula,
) -> Result<(Assignment, Option<Vec<usize>>), Error> {
    let assignment = match (&a.true_vars, &a.assignment) {
        (Some(text), _) => parse_assignment(text, formula.num_vars, "--true")?,
        (None, Some(path)) => parse_assignment(
            &io::read_text(path)?,
            formula.num_vars,
            &path.display().to_string(),
        )?,
        (None, None) => {
            return Err(Error::input(
                "--true",
                "give the true variables with --true \"1 3\" or --assignment FILE",
            ))
        }
    };
    let choices = match &a.choices {
        None => None,
        Some(text) => {
            let parsed: Result<Vec<usize>, _> = text
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::parse::<usize>)
                .collect();
            let c = parsed.map_err(|_| {
                Error::input(
                    "--choices",
                    format!("`{text}` is not a list of literal positions 1..3"),
                )
            })?;
            if c.len() != formula.num_clauses() || c.iter().any(|&r| !(1..=3).contains(&r)) {
                return Err(Error::input(
                    "--choices",
                    format!(
                        "need one position in 1..3 for each of the {} clauses",
                        formula.num_clauses()
                    ),
                ));
            }
            Some(c)
        }
    };
    Ok((assignment, choices))
}

pub(super) fn formula_of(inst: &Instance, source: &Path) -> Result<Formula, Error> {
    poits::meta::from_instance(inst)
        .map(|m| m.formula)
        .map_err(|e| Error::input(source.display().to_string(), e.to_string()))
}
