//! `relufit separability decide`: decide 2-hyperplane separability exactly.

use super::separability_input::{hyperplanes_json, load_sets};
use super::{check_outputs, in_file, CmdResult};
use crate::args::TimeLimitArg;
use crate::output::{self, Status};
use crate::progress::StderrProgress;
use clap::Args;
use relufit::io::write_output;
use relufit::limits::Observer;
use relufit::reduce::separability as sep;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

/// `relufit separability decide`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Source instance (JSON or CSV).
    pub sets: PathBuf,
    /// Write the two separating hyperplanes here when they exist.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit separability decide`.
pub(crate) fn run(a: &DecideArgs) -> CmdResult {
    let progress = StderrProgress::for_command(a.json);
    let limits = crate::interrupt::limits(a.limit.time_limit, None)
        .with_observer(progress.clone().map(|p| p as Arc<dyn Observer>));
    check_outputs(&[&a.sets], &[a.output.as_deref()])?;
    let src = load_sets(&a.sets)?;
    let decided = sep::decide_within(&src, &limits);
    crate::interrupt::answer_ready();
    if let Some(p) = &progress {
        p.finish();
    }
    let decided = decided.map_err(in_file(&a.sets))?;
    match decided {
        sep::Decision::Separable { pair, restricted } => {
            if let Some(p) = &a.output {
                write_output(p, sep::hyperplanes_to_json(&pair).as_bytes())?;
            }
            if a.json {
                output::json(&json!({
                    "separable": true, "restricted": restricted,
                    "hyperplanes": hyperplanes_json(&pair),
                }));
            } else {
                output::line(format!(
                    "SEPARABLE by two hyperplanes (checked exactly){}",
                    if restricted {
                        ", restricted form (3)-(4)"
                    } else {
                        ""
                    }
                ));
                for (i, h) in pair.iter().enumerate() {
                    output::line(format!(
                        "H{}: h = {}, o = {}",
                        i + 1,
                        super::tuple(&h.h),
                        h.o
                    ));
                }
            }
            Ok(Status::Success)
        }
        sep::Decision::NotSeparable => {
            if a.json {
                output::json(&json!({ "separable": false }));
            } else {
                output::line("NOT SEPARABLE by two hyperplanes (exhaustive over all dichotomies)");
            }
            Ok(Status::Negative)
        }
    }
}
