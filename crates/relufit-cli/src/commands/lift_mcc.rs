//! `relufit lift mcc`: a multicoloured clique -> the canonical network, verified exactly.

use super::mcc_input::{parse_clique, vertices};
use super::verify::{print_report, report_json};
use super::{check_outputs, describe_instance, in_file, load_instance, CmdResult};
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{network_to_json, write_output};
use relufit::reduce::mcc::{lift, parse};
use relufit::verify::verify;
use relufit::Error;
use serde_json::json;
use std::path::PathBuf;

/// `relufit lift mcc`.
#[derive(Debug, Args)]
pub struct LiftMccArgs {
    /// Instance made by `relufit reduce mcc`.
    pub instance: PathBuf,
    /// The clique, e.g. "1 4 6": one vertex per colour class (for a DIMACS graph: kappa
    /// vertices of the graph).
    #[arg(long)]
    pub clique: String,
    /// Output network file (JSON, written atomically).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit lift mcc`.
pub(crate) fn run(a: &LiftMccArgs) -> CmdResult {
    check_outputs(&[&a.instance], &[a.output.as_deref()])?;
    let inst = load_instance(&a.instance)?;
    let clique = parse_clique(&a.clique)?;
    let parsed = parse(&inst).map_err(in_file(&a.instance))?;
    let is_clique = parsed.source.to_mcc_clique(&parsed.graph, &clique).err();
    let net = lift(&inst, &clique).map_err(in_file(&a.instance))?;
    let report = verify(&inst, &net).map_err(|e| Error::Invalid(format!("internal error: {e}")))?;
    if let Some(path) = &a.output {
        write_output(path, network_to_json(&net).as_bytes())?;
    }
    let worst = report.worst_points(&inst, 10);
    if a.json {
        output::json(&json!({
            "clique": clique,
            "is_multicolored_clique": is_clique.is_none(),
            "network": a.output.as_ref().map(|p| p.display().to_string()),
            "verification": report_json(&inst, &report, &worst),
        }));
    } else {
        output::line(format!(
            "instance: {} ({})",
            a.instance.display(),
            describe_instance(&inst)
        ));
        output::line(format!(
            "clique:   {{{}}} ({})",
            vertices(&clique),
            match &is_clique {
                None => "a multicoloured clique".to_string(),
                Some(why) => format!("NOT a multicoloured clique: {why}"),
            }
        ));
        output::line(format!("network:  {} neurons", net.width()));
        print_report(&inst, &report, &worst);
        if let Some(p) = &a.output {
            output::line(format!("network written to {}", p.display()));
        }
    }
    Ok(if report.passes() {
        Status::Success
    } else {
        Status::Negative
    })
}
