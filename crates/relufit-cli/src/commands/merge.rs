//! `relufit solve --shard i/N -o FILE` (the enumeration or the pattern search) and
//! `relufit merge SHARD...`.

use super::{check_outputs, describe_instance, CmdResult};
use crate::args::{MergeArgs, SolveArgs};
use crate::output::{self, Status};
use relufit::io::{check_shard_json, read_text, write_output};
use relufit::limits::MAX_SHARDS;
use relufit::solve::shard::{merge, Shard, ShardAlgorithm, ShardResult};
use relufit::solve::{solve_with, SolveSettings};
use relufit::verify::verify;
use relufit::{Error, Instance, Network, Neuron, Rational};
use serde_json::json;
use std::path::Path;

/// The error of the all-zero network (`phi = 0`), the search's starting incumbent: a "best
/// error" equal to it means that nothing better was found, not an optimum.
fn zero_network_error(inst: &Instance) -> Option<Rational> {
    let zero = Network::new(inst.activation, vec![Neuron::zero(inst.dim())]);
    verify(inst, &zero).ok().map(|r| r.error)
}

/// Run one shard of the enumeration and write its result file.
pub(super) fn run_shard(
    args: &SolveArgs,
    inst: &Instance,
    settings: &SolveSettings,
    shard: &str,
) -> CmdResult {
    let shard = Shard::parse(shard).map_err(|e| Error::input("--shard", e))?;
    if shard.count > MAX_SHARDS {
        return Err(Error::input(
            "--shard",
            format!("{} shards exceed the limit of {MAX_SHARDS}", shard.count),
        ));
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
    let settings = SolveSettings {
        shard: Some(shard),
        ..settings.clone()
    };
    let solution = solve_with(inst, &settings).map_err(|e| match e {
        relufit::solve::SolveError::NotApplicable(m) | relufit::solve::SolveError::NoSolver(m) => {
            Error::input("--shard", m)
        }
        e => Error::Invalid(format!("{}: {e}", args.instance.display())),
    })?;
    crate::interrupt::answer_ready();
    let r = solution
        .shard
        .ok_or_else(|| Error::Invalid("the solver returned no shard result".into()))?;
    write_output(path, r.to_json().as_bytes())?;
    let best_is_zero = zero_network_error(inst).as_ref() == Some(&r.best_error);
    let best = if best_is_zero {
        format!(
            "no network better than the all-zero one (error {}) found",
            r.best_error
        )
    } else if r.exhaustive && args.optimize {
        format!("least error in this shard {}", r.best_error)
    } else if r.best_error <= inst.gamma {
        format!("a verified fit with error {}", r.best_error)
    } else {
        format!(
            "best error found {} (an upper bound, not an optimum)",
            r.best_error
        )
    };
    let status = if r.exhaustive {
        "exhaustive"
    } else if r.stopped.is_none() {
        "fit found (decision version stopped early)"
    } else {
        "stopped"
    };
    let work = match r.algorithm {
        ShardAlgorithm::Enumerate => format!(
            "{} of {} leaves solved, {} cut by bounds, {} LPs",
            r.stats.solved,
            r.stats.shard_leaves,
            r.stats.cut_by_bound + r.stats.cut_by_incumbent,
            r.stats.lps
        ),
        ShardAlgorithm::Patterns => {
            format!("pattern search: {} nodes, {} LPs", r.nodes, r.stats.lps)
        }
    };
    if args.json {
        output::json(&json!({
            "shard": format!("{}/{}", shard.index, shard.count),
            "algorithm": r.algorithm.name(),
            "status": status,
            "stopped": r.stopped,
            "best_error": r.best_error.to_string(),
            "best_is_zero_network": best_is_zero,
            "shard_leaves": r.stats.shard_leaves,
            "solved": r.stats.solved,
            "nodes": r.nodes,
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
            "shard:    {}/{}: {status}; {best} ({work}, {:.3} s)",
            shard.index,
            shard.count,
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
pub(super) fn run(args: &MergeArgs) -> CmdResult {
    let inputs: Vec<&Path> = args.shards.iter().map(|p| p.as_path()).collect();
    check_outputs(&inputs, &[args.output.as_deref()])?;
    let mut shards = Vec::new();
    for p in &args.shards {
        let text = read_text(p)?;
        let source = p.display().to_string();
        check_shard_json(&text, &source)?;
        shards.push(ShardResult::from_json(&text, &source)?);
    }
    let (inst, solution) = merge(&shards).map_err(|e| Error::Invalid(format!("merge: {e}")))?;
    let best_is_zero = shards
        .iter()
        .map(|s| &s.best_error)
        .min()
        .is_some_and(|b| zero_network_error(&inst).as_ref() == Some(b));
    let source = args.shards[0].clone();
    let status = super::solve::print_solution(
        &source,
        &inst,
        solution,
        args.output.as_deref(),
        args.json,
        false,
    )?;
    if status == Status::Unknown && !args.json {
        output::line(if best_is_zero {
            "note:     the best error above is that of the all-zero network: no shard found a \
             better one; it is not an optimum"
        } else {
            "note:     the best error above is an upper bound from the networks found so far, \
             not an optimum"
        });
    }
    Ok(status)
}
