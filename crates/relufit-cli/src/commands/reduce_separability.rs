//! `relufit reduce separability`: 2-hyperplane separability to a training instance
//! (Theorem 7; threshold: Corollary 10), optionally padded to a larger width.

use super::separability_input::load_sets;
use super::{check_outputs, describe_instance, in_file, parse_eps, parse_gamma, CmdResult};
use crate::args::{count, TimeLimitArg};
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{instance_to_json, write_output};
use relufit::limits::{self};
use relufit::reduce::separability as sep;
use relufit::{Activation, Error, Loss};
use std::path::PathBuf;

/// `relufit reduce separability`.
#[derive(Debug, Args)]
pub struct ReduceArgs {
    /// Source instance: relufit-separability/1 JSON, or CSV `x1,...,xd,set` (set 1 = Q, 0 = P).
    pub sets: PathBuf,
    /// Activation: relu (Theorem 7, k = 4) or threshold (Corollary 10, k = 2).
    #[arg(long, default_value = "relu")]
    pub activation: String,
    /// Margin eps > 0 (exact rational); default m^-3 with m = |Q| + |P|.
    #[arg(long)]
    pub eps: Option<String>,
    /// Target error gamma >= 0; > 0 adds padding points (squared, abs, zero-one losses).
    #[arg(long, default_value = "0")]
    pub gamma: String,
    /// Loss: squared, abs, max or zero-one.
    #[arg(long, default_value = "squared")]
    pub loss: String,
    /// Width k (default 4 for relu, 2 for threshold); a larger k pads the instance with the
    /// witness ladder (one more input coordinate), 1..=200000.
    #[arg(long, value_parser = count(1, limits::MAX_WIDTH))]
    pub width: Option<usize>,
    /// Output instance file (relufit-instance/1 JSON).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit reduce separability`.
pub(crate) fn run(a: &ReduceArgs) -> CmdResult {
    let limits = crate::interrupt::limits(a.limit.time_limit, None);
    check_outputs(&[&a.sets], &[Some(&a.output)])?;
    let src = load_sets(&a.sets)?;
    let activation: Activation = a
        .activation
        .parse()
        .map_err(|e: String| Error::input("--activation", e))?;
    let loss: Loss = a
        .loss
        .parse()
        .map_err(|e: String| Error::input("--loss", e))?;
    let eps = a.eps.as_deref().map(parse_eps).transpose()?;
    let opts = sep::ReduceOptions {
        activation,
        eps,
        gamma: parse_gamma(&a.gamma)?,
        loss,
        width: a.width,
    };
    let inst = sep::reduce_within(&src, &opts, &limits).map_err(in_file(&a.sets))?;
    let text = instance_to_json(&inst);
    limits.check()?;
    crate::interrupt::answer_ready();
    write_output(&a.output, text.as_bytes())?;
    output::line(format!(
        "{} (|Q| = {}, |P| = {}) -> {} ({})",
        a.sets.display(),
        src.q.len(),
        src.p.len(),
        a.output.display(),
        describe_instance(&inst)
    ));
    Ok(Status::Success)
}
