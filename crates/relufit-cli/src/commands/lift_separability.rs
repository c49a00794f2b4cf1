//! `relufit lift separability`: a separating pair of hyperplanes to a fitting network.

use super::separability_input::{check_dimension, load_hyperplanes};
use super::{check_outputs, in_file, load_instance, CmdResult};
use crate::args::TimeLimitArg;
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{network_to_json, write_output};
use relufit::reduce::separability as sep;
use std::path::PathBuf;

/// `relufit lift separability`.
#[derive(Debug, Args)]
pub struct LiftArgs {
    /// Reduced instance (from `relufit reduce separability`).
    pub instance: PathBuf,
    /// Two hyperplanes (relufit-hyperplanes/1 JSON).
    pub hyperplanes: PathBuf,
    /// Output network file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit lift separability`.
pub(crate) fn run(a: &LiftArgs) -> CmdResult {
    let limits = crate::interrupt::limits(a.limit.time_limit, None);
    check_outputs(&[&a.instance, &a.hyperplanes], &[Some(&a.output)])?;
    let inst = load_instance(&a.instance)?;
    let hs = load_hyperplanes(&a.hyperplanes)?;
    // A padded instance has one more coordinate than the source's points.
    let dim = sep::Layout::from_meta(&inst)
        .map(|l| l.source(&inst).dim())
        .unwrap_or(inst.dim());
    check_dimension(&hs, dim, &a.hyperplanes)?;
    let lifted = sep::lift_within(&inst, &hs, &limits);
    crate::interrupt::answer_ready();
    match lifted {
        Ok(net) => {
            write_output(&a.output, network_to_json(&net).as_bytes())?;
            output::line(format!(
                "network with {} neurons written to {} (verified exactly: fits {})",
                net.width(),
                a.output.display(),
                a.instance.display()
            ));
            Ok(Status::Success)
        }
        Err(sep::LiftError::Restricted(why)) => {
            output::line(format!(
                "refused: the hyperplanes are not in the restricted form (3)-(5): {why}"
            ));
            Ok(Status::Negative)
        }
        Err(sep::LiftError::Other(e)) => Err(in_file(&a.instance)(e)),
    }
}
