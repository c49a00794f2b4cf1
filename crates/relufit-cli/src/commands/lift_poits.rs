//! `relufit lift poits`: a 1-in-3 solution to a network fitting the reduced instance.

use super::poits_input::{formula_of, read_assignment};
use super::verify::{print_report, report_json};
use super::{check_outputs, describe_instance, in_file, load_instance, CmdResult};
use crate::args::LiftPoitsArgs;
use crate::output::{self, Status};
use relufit::io::{network_to_json, write_output};
use relufit::reduce::poits::{self};
use relufit::sat::format_assignment;
use relufit::verify::{verify_within, VerifyError};
use relufit::Error;
use serde_json::json;

/// `relufit lift poits`.
pub(super) fn run(args: &LiftPoitsArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    let mut inputs = vec![args.instance.as_path()];
    inputs.extend(args.assignment.assignment.as_deref());
    check_outputs(&inputs, &[args.output.as_deref()])?;
    let inst = load_instance(&args.instance)?;
    let formula = formula_of(&inst, &args.instance)?;
    let (assignment, choices) = read_assignment(&args.assignment, &formula)?;
    let net =
        poits::lift(&inst, &assignment, choices.as_deref()).map_err(in_file(&args.instance))?;
    let report = verify_within(&inst, &net, &limits).map_err(|e| match e {
        VerifyError::Stopped(s) => Error::Stopped(s),
        e => Error::Invalid(format!("internal error: {e}")),
    })?;
    crate::interrupt::answer_ready();
    if let Some(path) = &args.output {
        write_output(path, network_to_json(&net).as_bytes())?;
    }
    let worst = report.worst_points(&inst, 10);
    let is_solution = formula.is_solution(&assignment);
    if args.json {
        output::json(&json!({
            "assignment": assignment.true_vars(),
            "is_1in3_solution": is_solution,
            "network": args.output.as_ref().map(|p| p.display().to_string()),
            "verification": report_json(&inst, &report, &worst),
        }));
    } else {
        output::line(format!(
            "instance:   {} ({})",
            args.instance.display(),
            describe_instance(&inst)
        ));
        output::line(format!(
            "assignment: true variables {{{}}} ({})",
            format_assignment(&assignment),
            if is_solution {
                "a 1-in-3 solution"
            } else {
                "NOT a 1-in-3 solution"
            }
        ));
        output::line(format!(
            "network:    {} neurons (equation (2))",
            net.width()
        ));
        print_report(&inst, &report, &worst);
        if let Some(p) = &args.output {
            output::line(format!("network written to {}", p.display()));
        }
    }
    Ok(if report.passes() {
        Status::Success
    } else {
        Status::Negative
    })
}
