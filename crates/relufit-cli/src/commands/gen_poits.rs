//! `relufit gen poits`: a random or planted Positive 1-in-3 SAT formula.

use super::{check_outputs, CmdResult};
use crate::args::GenPoitsArgs;
use crate::output::{self, Status};
use relufit::io::write_output;
use relufit::sat::{self, format_assignment, to_dimacs};
use relufit::Error;

/// `relufit gen poits`.
pub(super) fn run(args: &GenPoitsArgs) -> CmdResult {
    check_outputs(&[], &[Some(&args.output)])?;
    let as_vars_flag = |e: Error| match e {
        Error::Invalid(m) => Error::input("--vars", m),
        other => other,
    };
    let (formula, comments) = if args.planted {
        let (f, a) =
            sat::planted_formula(args.vars, args.clauses, args.seed).map_err(as_vars_flag)?;
        let c = vec![
            format!("planted Positive 1-in-3 SAT formula, seed {}", args.seed),
            format!(
                "planted solution (true variables): {}",
                format_assignment(&a)
            ),
        ];
        (f, c)
    } else {
        let f = sat::random_formula(args.vars, args.clauses, args.seed).map_err(as_vars_flag)?;
        (
            f,
            vec![format!(
                "uniform random Positive 1-in-3 SAT formula, seed {}",
                args.seed
            )],
        )
    };
    write_output(&args.output, to_dimacs(&formula, &comments).as_bytes())?;
    output::line(format!(
        "wrote {} (n = {}, m = {})",
        args.output.display(),
        formula.num_vars,
        formula.num_clauses()
    ));
    Ok(Status::Success)
}
