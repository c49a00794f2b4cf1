//! `relufit decode mcc`: any network with error `<= gamma` -> the multicoloured clique it
//! encodes, read off `phi` at the selection points and checked.

use super::mcc_input::vertices;
use super::verify::{print_report, report_json};
use super::{check_outputs, in_file, load_instance, load_network, CmdResult};
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{network_to_json, write_output};
use relufit::reduce::mcc::decode;
use relufit::verify::verify;
use relufit::Error;
use serde_json::json;
use std::path::PathBuf;

/// `relufit decode mcc`.
#[derive(Debug, Args)]
pub struct DecodeMccArgs {
    /// Instance made by `relufit reduce mcc`.
    pub instance: PathBuf,
    /// A network with error <= gamma on it.
    pub network: PathBuf,
    /// Write the rebuilt canonical network here.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit decode mcc`.
pub(crate) fn run(a: &DecodeMccArgs) -> CmdResult {
    check_outputs(&[&a.instance, &a.network], &[a.output.as_deref()])?;
    let inst = load_instance(&a.instance)?;
    let net = load_network(&a.network)?;
    let report = verify(&inst, &net).map_err(|e| {
        Error::input(
            format!("{} vs {}", a.instance.display(), a.network.display()),
            e.to_string(),
        )
    })?;
    if !report.passes() {
        let worst = report.worst_points(&inst, 10);
        if a.json {
            output::json(
                &json!({ "decoded": false, "verification": report_json(&inst, &report, &worst) }),
            );
        } else {
            output::line("the network does not reach error <= gamma, so it encodes no clique:");
            print_report(&inst, &report, &worst);
        }
        return Ok(Status::Negative);
    }
    let d = decode(&inst, &net).map_err(in_file(&a.instance))?;
    if let Some(path) = &a.output {
        write_output(path, network_to_json(&d.canonical).as_bytes())?;
    }
    if a.json {
        output::json(&json!({
            "decoded": true,
            "clique": d.clique,
            "per_class": d.chosen,
            "canonical_network": a.output.as_ref().map(|p| p.display().to_string()),
            "canonical_passes": d.canonical_report.passes(),
        }));
    } else {
        output::line(format!(
            "network:  {} reaches error {} <= gamma = {}",
            a.network.display(),
            report.error,
            report.gamma
        ));
        output::line(format!(
            "decoded:  multicoloured clique {{{}}} (checked){}",
            vertices(&d.clique),
            if d.clique != d.chosen {
                format!("; colour-class vertices {{{}}}", vertices(&d.chosen))
            } else {
                String::new()
            }
        ));
        output::line(format!(
            "canonical network rebuilt and re-verified: {}",
            if d.canonical_report.passes() {
                "PASS"
            } else {
                "FAIL"
            }
        ));
    }
    Ok(Status::Success)
}
