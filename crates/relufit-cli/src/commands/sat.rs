//! `relufit sat`: solve (or enumerate the solutions of) a Positive 1-in-3 SAT formula.

use super::poits_input::load_formula;
use super::CmdResult;
use crate::args::SatArgs;
use crate::output::{self, Status};
use relufit::sat::{self, format_assignment};
use serde_json::json;

/// `relufit sat`.
pub(super) fn run(args: &SatArgs) -> CmdResult {
    let formula = load_formula(&args.formula)?;
    let solution = sat::solve(&formula);
    let count = args.count.then(|| sat::count_solutions_big(&formula));
    let listed = args
        .enumerate
        .map(|limit| sat::enumerate_solutions(&formula, limit));
    if args.json {
        output::json(&json!({
            "satisfiable": solution.is_some(),
            "solution": solution.as_ref().map(|a| a.true_vars()),
            "count": count.as_ref().map(|c| c.to_string()),
            "solutions": listed.as_ref().map(|l| l.iter().map(|a| a.true_vars()).collect::<Vec<_>>()),
        }));
    } else {
        match &solution {
            Some(a) => output::line(format!(
                "SATISFIABLE: true variables {{{}}}",
                format_assignment(a)
            )),
            None => output::line("UNSATISFIABLE (exhaustive DPLL search)"),
        }
        if let Some(c) = &count {
            output::line(format!("solutions: {c}"));
        }
        for a in listed.iter().flatten() {
            output::line(format!("  {{{}}}", format_assignment(a)));
        }
    }
    Ok(if solution.is_some() {
        Status::Success
    } else {
        Status::Negative
    })
}
