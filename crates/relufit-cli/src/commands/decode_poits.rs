//! `relufit decode poits`: any network fitting a reduced instance to a 1-in-3 solution.

use super::verify::{print_report, report_json};
use super::{check_outputs, in_file, load_instance, load_network, CmdResult};
use crate::args::DecodePoitsArgs;
use crate::output::{self, Status};
use relufit::io::{network_to_json, write_output};
use relufit::reduce::poits::{self};
use relufit::sat::format_assignment;
use serde_json::json;

/// `relufit decode poits`.
pub(super) fn run(args: &DecodePoitsArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    check_outputs(&[&args.instance, &args.network], &[args.output.as_deref()])?;
    let inst = load_instance(&args.instance)?;
    let net = load_network(&args.network)?;
    let report = super::verify::judge(&inst, &net, &args.instance, &args.network, &limits)?;
    if !report.passes() {
        // A definite negative about this network: it does not fit, so it encodes nothing.
        let worst = report.worst_points(&inst, 10);
        if args.json {
            output::json(
                &json!({ "decoded": false, "verification": report_json(&inst, &report, &worst) }),
            );
        } else {
            output::line(
                "the network does not fit the instance exactly, so it encodes no solution:",
            );
            print_report(&inst, &report, &worst);
        }
        return Ok(Status::Negative);
    }
    let decoded = poits::decode_within(&inst, &net, &limits).map_err(in_file(&args.instance))?;
    crate::interrupt::answer_ready();
    if let Some(path) = &args.output {
        write_output(path, network_to_json(&decoded.canonical).as_bytes())?;
    }
    if args.json {
        output::json(&json!({
            "decoded": true,
            "assignment": decoded.assignment.true_vars(),
            "choices": decoded.choices,
            "canonical_network": args.output.as_ref().map(|p| p.display().to_string()),
            "canonical_passes": decoded.canonical_report.passes(),
        }));
    } else {
        output::line(format!(
            "network:    {} fits exactly (error {})",
            args.network.display(),
            report.error
        ));
        output::line(format!(
            "decoded:    true variables {{{}}}, clause literals {:?}",
            format_assignment(&decoded.assignment),
            decoded.choices
        ));
        output::line(format!(
            "canonical network rebuilt and re-verified: {}",
            if decoded.canonical_report.passes() {
                "PASS"
            } else {
                "FAIL"
            }
        ));
    }
    Ok(Status::Success)
}
