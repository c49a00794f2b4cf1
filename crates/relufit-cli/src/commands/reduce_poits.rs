//! `relufit reduce poits`: a Positive 1-in-3 SAT formula to a training instance (Theorem 1;
//! threshold: Corollary 8).

use super::poits_input::load_formula;
use super::{check_outputs, describe_instance, in_file, parse_gamma, CmdResult};
use crate::args::ReducePoitsArgs;
use crate::output::{self, Status};
use relufit::io::{instance_to_json, write_output};
use relufit::reduce::poits::{self, PoitsOptions};
use relufit::Error;
use serde_json::json;

/// `relufit reduce poits`.
pub(super) fn run(args: &ReducePoitsArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    check_outputs(&[&args.formula], &[Some(&args.output)])?;
    let formula = load_formula(&args.formula)?;
    let opts = PoitsOptions {
        activation: args
            .activation
            .parse()
            .map_err(|e: String| Error::input("--activation", e))?,
        dim: args.dim,
        gamma: parse_gamma(&args.gamma)?,
        loss: args
            .loss
            .parse()
            .map_err(|e: String| Error::input("--loss", e))?,
    };
    let inst = poits::reduce_within(&formula, &opts, &limits).map_err(in_file(&args.formula))?;
    let text = instance_to_json(&inst);
    limits.check()?;
    crate::interrupt::answer_ready();
    write_output(&args.output, text.as_bytes())?;
    if args.json {
        output::json(&json!({
            "instance": args.output.display().to_string(),
            "activation": inst.activation.name(),
            "points": inst.len(),
            "dim": inst.dim(),
            "k": inst.k,
            "gamma": inst.gamma.to_string(),
            "loss": inst.loss.name(),
            "bytes": text.len(),
        }));
    } else {
        output::line(format!(
            "formula:  {} (n = {} variables, m = {} clauses)",
            args.formula.display(),
            formula.num_vars,
            formula.num_clauses()
        ));
        output::line(format!(
            "instance: {} ({})",
            args.output.display(),
            describe_instance(&inst)
        ));
        output::line(format!("          {} bytes", text.len()));
    }
    Ok(Status::Success)
}
