//! `relufit solve --algorithm enumerate --shard i/N -o FILE` and `relufit merge SHARD...`.

use super::{describe_instance, CmdResult};
use crate::args::{MergeArgs, SolveArgs};
use crate::output::{self, Status};
use relufit::io::{read_text, write_atomic};
use relufit::solve::enumerate::{self, merge, EnumerateOptions, Shard, ShardResult};
use relufit::solve::{Algorithm, SolveSettings};
use relufit::{Error, Instance};
use serde_json::json;

/// Run one shard of the enumeration and write its result file.
pub fn run_shard(
    args: &SolveArgs,
    inst: &Instance,
    settings: &SolveSettings,
    shard: &str,
) -> CmdResult {
    let shard = Shard::parse(shard).map_err(|e| Error::input("--shard", e))?;
    if !matches!(settings.algorithm, Algorithm::Enumerate | Algorithm::Auto) {
        return Err(Error::input("--shard", "needs --algorithm enumerate"));
    }
    if settings.signs.is_some() {
        return Err(Error::input(
            "--signs",
            "shards search every output sign (merge answers for all networks)",
        ));
    }
    let Some(path) = &args.output else {
        return Err(Error::input(
            "--shard",
            "needs -o FILE for the shard result",
        ));
    };
    let opts = EnumerateOptions {
        shard,
        optimize: args.optimize,
        ..EnumerateOptions::default()
    };
    let r = enumerate::search(inst, settings, &opts)
        .map_err(|e| Error::Invalid(format!("{}: {e}", args.instance.display())))?;
    let sr = ShardResult::new(shard, inst, args.optimize, &r);
    write_atomic(path, sr.to_json().as_bytes())?;
    let status = if r.exhaustive {
        "exhaustive"
    } else if r.fit_found {
        "fit found (decision version stopped early)"
    } else {
        "stopped"
    };
    if args.json {
        output::json(&json!({
            "shard": format!("{}/{}", shard.index, shard.count),
            "status": status,
            "stopped": r.stopped,
            "best_error": r.best_error.to_string(),
            "shard_leaves": r.stats.shard_leaves,
            "solved": r.stats.solved,
            "seconds": r.stats.elapsed.as_secs_f64(),
            "file": path.display().to_string(),
        }));
    } else {
        output::line(format!(
            "instance: {} ({})",
            args.instance.display(),
            describe_instance(inst)
        ));
        output::line(format!(
            "shard:    {}/{}: {status}; best error {} ({} of {} leaves solved, {} cut by \
             bounds, {} LPs, {:.3} s)",
            shard.index,
            shard.count,
            r.best_error,
            r.stats.solved,
            r.stats.shard_leaves,
            r.stats.cut_by_bound + r.stats.cut_by_incumbent,
            r.stats.lps,
            r.stats.elapsed.as_secs_f64()
        ));
        if let Some(why) = &r.stopped {
            output::line(format!("stopped:  {why}"));
        }
        output::line(format!(
            "result written to {} (combine all shards with `relufit merge`)",
            path.display()
        ));
    }
    Ok(if r.stopped.is_some() {
        Status::Unknown
    } else {
        Status::Success
    })
}

/// `relufit merge SHARD...`.
pub fn run(args: &MergeArgs) -> CmdResult {
    let mut shards = Vec::new();
    for p in &args.shards {
        let text = read_text(p)?;
        shards.push(ShardResult::from_json(&text, &p.display().to_string())?);
    }
    let (inst, solution) = merge(&shards).map_err(|e| Error::Invalid(format!("merge: {e}")))?;
    let source = args.shards[0].clone();
    super::solve::print_solution(&source, &inst, solution, args.output.as_deref(), args.json)
}
