//! `relufit solve INSTANCE`.

use super::verify::{print_report, report_json};
use super::{describe_instance, load_instance, CmdResult};
use crate::args::{AlgorithmArg, SolveArgs};
use crate::output::{self, Status};
use relufit::io::{network_to_json, write_atomic};
use relufit::solve::{solve, Algorithm, Outcome};
use relufit::Error;
use serde_json::json;

pub fn run(args: &SolveArgs) -> CmdResult {
    let inst = load_instance(&args.instance)?;
    let algorithm = match args.algorithm {
        AlgorithmArg::Auto => Algorithm::Auto,
        AlgorithmArg::Interpolate => Algorithm::Interpolate,
    };
    let outcome = solve(&inst, algorithm)
        .map_err(|e| Error::Invalid(format!("{}: {e}", args.instance.display())))?;
    match outcome {
        Outcome::Fit {
            network,
            report,
            optimum,
        } => {
            if let Some(path) = &args.output {
                write_atomic(path, network_to_json(&network).as_bytes())?;
            }
            if args.json {
                output::json(&json!({
                    "outcome": "fit",
                    "optimum": optimum.map(|q| q.to_string()),
                    "network": args.output.as_ref().map(|p| p.display().to_string()),
                    "verification": report_json(&inst, &report, &[]),
                }));
            } else {
                output::line(format!(
                    "instance: {} ({})",
                    args.instance.display(),
                    describe_instance(&inst)
                ));
                output::line(format!(
                    "outcome:  FIT with {} neurons (verified exactly)",
                    network.width()
                ));
                if let Some(opt) = optimum {
                    output::line(format!(
                        "optimum:  {opt} (the least error any network reaches)"
                    ));
                }
                print_report(&inst, &report, &[]);
                match &args.output {
                    Some(p) => output::line(format!("network written to {}", p.display())),
                    None => output::line("(use -o FILE to save the certificate network)"),
                }
            }
            Ok(Status::Success)
        }
        Outcome::NoFit {
            optimum,
            best,
            evidence,
        } => {
            if args.json {
                output::json(&json!({
                    "outcome": "no-fit",
                    "optimum": optimum.map(|q| q.to_string()),
                    "evidence": evidence,
                    "best_error": best.as_ref().map(|(_, r)| r.error.to_string()),
                }));
            } else {
                output::line(format!(
                    "instance: {} ({})",
                    args.instance.display(),
                    describe_instance(&inst)
                ));
                output::line("outcome:  NO FIT");
                output::line(format!("evidence: {evidence}"));
            }
            Ok(Status::Negative)
        }
    }
}
