//! `relufit decode separability`: any fitting network to a separating pair of hyperplanes.

use super::separability_input::hyperplanes_json;
use super::{check_outputs, in_file, load_instance, load_network, CmdResult};
use crate::args::TimeLimitArg;
use crate::output::{self, Status};
use clap::Args;
use relufit::io::write_output;
use relufit::reduce::separability as sep;
use serde_json::json;
use std::path::PathBuf;

/// `relufit decode separability`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Reduced instance (from `relufit reduce separability`).
    pub instance: PathBuf,
    /// A network fitting it (relufit-network/1 JSON).
    pub network: PathBuf,
    /// Write the two hyperplanes here (relufit-hyperplanes/1 JSON).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit decode separability`.
pub(crate) fn run(a: &DecodeArgs) -> CmdResult {
    let limits = crate::interrupt::limits(a.limit.time_limit, None);
    check_outputs(&[&a.instance, &a.network], &[a.output.as_deref()])?;
    let inst = load_instance(&a.instance)?;
    let net = load_network(&a.network)?;
    let report = super::verify::judge(&inst, &net, &a.instance, &a.network, &limits)?;
    if !report.passes() {
        output::line(format!(
            "the network does not solve the instance (width {} vs k = {}, error {} vs gamma = {}); nothing to decode",
            report.width, report.k, report.error, report.gamma
        ));
        return Ok(Status::Negative);
    }
    let d = sep::decode_within(&inst, &net, &limits).map_err(in_file(&a.instance))?;
    crate::interrupt::answer_ready();
    if let Some(p) = &a.output {
        write_output(p, sep::hyperplanes_to_json(&d.pair).as_bytes())?;
    }
    if a.json {
        output::json(&json!({
            "hyperplanes": hyperplanes_json(&d.pair),
            "restricted": d.restricted,
            "origin": format!("{:?}", d.origin),
        }));
    } else {
        for (i, h) in d.pair.iter().enumerate() {
            output::line(format!(
                "H{}: h = {}, o = {}",
                i + 1,
                super::tuple(&h.h),
                h.o
            ));
        }
        output::line(format!(
            "strictly separate Q and P (checked exactly){}; from {:?}",
            if d.restricted {
                ", in restricted form (3)-(4)"
            } else {
                ""
            },
            d.origin
        ));
    }
    Ok(Status::Success)
}
