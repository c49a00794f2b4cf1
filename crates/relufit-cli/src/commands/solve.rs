//! `relufit solve INSTANCE`.

use super::verify::{print_report, report_json};
use super::{check_outputs, describe_instance, load_instance, CmdResult};
use crate::args::{AlgorithmArg, SignsArg, SolveArgs};
use crate::output::{self, Status};
use crate::progress::StderrProgress;
use relufit::io::{network_to_json, write_output};
use relufit::solve::patterns::{AllFits, Completeness};
use relufit::solve::{
    solve_with, Algorithm, Observer, Outcome, Signs, Solution, SolveSettings, Stats,
};
use relufit::{Error, Instance};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

fn stats_json(s: &Stats) -> serde_json::Value {
    json!({
        "nodes": s.nodes,
        "lps": s.lps,
        "lps_avoided": s.lps_avoided,
        "forced_points": s.forced_points,
        "forced_by_upper_bound": s.forced_by_upper_bound,
        "rejected_by_upper_bound": s.rejected_by_upper_bound,
        "rejected_by_bound": s.rejected_by_bound,
        "rejected_by_cap": s.rejected_by_cap,
        "pruned_by_sign": s.pruned_by_sign,
        "rejected_like_sibling": s.rejected_like_sibling,
        "closed_by_farkas": s.closed_by_farkas,
        "cold_guesses": s.cold_guesses,
        "precise_guesses": s.precise_guesses,
        "lp_fallbacks": s.lp_fallbacks,
        "decided_by_point": s.decided_by_point,
        "decided_by_piece": s.decided_by_piece,
        "max_depth": s.max_depth,
        "lp_seconds": s.lp_time.as_secs_f64(),
        "certificate_check_seconds": s.check_time.as_secs_f64(),
        "seconds": s.elapsed.as_secs_f64(),
    })
}

fn stats_line(s: &Stats) -> String {
    format!(
        "stats:    {} nodes, {} LPs ({} avoided by stored points), {} forced points, max depth \
         {}, {:.3} s (LPs {:.3} s, certificate checks {:.3} s)",
        s.nodes,
        s.lps,
        s.lps_avoided,
        s.forced_points,
        s.max_depth,
        s.elapsed.as_secs_f64(),
        s.lp_time.as_secs_f64(),
        s.check_time.as_secs_f64()
    )
}

/// What [`print_solution`] needs of the command line.
struct PrintArgs<'a> {
    instance: &'a Path,
    output: Option<&'a Path>,
    json: bool,
    /// The run asked for the exact optimum (`--optimize`).
    optimize: bool,
}

pub(super) fn run(args: &SolveArgs) -> CmdResult {
    check_outputs(&[&args.instance], &[args.output.as_deref()])?;
    let inst = load_instance(&args.instance)?;
    if let Some(p) = inst.lp {
        return Err(relufit::Error::input(
            format!("{}: loss", args.instance.display()),
            format!(
                "no solver in this build handles the l^{p} loss (lp:{p}); the solvers support \
                 squared, abs, max and zero-one (= lp:2, lp:1, lp:0). `relufit verify` computes \
                 l^{p} errors exactly"
            ),
        ));
    }
    let algorithm = match args.algorithm {
        AlgorithmArg::Auto => Algorithm::Auto,
        AlgorithmArg::Interpolate => Algorithm::Interpolate,
        AlgorithmArg::Exactfit => Algorithm::ExactFit,
        AlgorithmArg::Single => Algorithm::Single,
        AlgorithmArg::Enumerate => Algorithm::Enumerate,
        AlgorithmArg::Patterns => Algorithm::Patterns,
    };
    // Ctrl-C (or SIGTERM) asks the search to stop; it then reports "unknown" (exit 3). The
    // time limit counts from the start of the command: the solver gets what is left of it.
    let limits = crate::interrupt::limits(args.time_limit, args.memory_limit);
    let progress = StderrProgress::for_command(args.json);
    let settings = SolveSettings {
        algorithm,
        signs: args.signs.map(|s| match s {
            SignsArg::Convex => Signs::Convex,
            SignsArg::Concave => Signs::Concave,
        }),
        time_limit: args.time_limit,
        started: Some(limits.started()),
        threads: args
            .threads
            .unwrap_or_else(relufit::limits::default_threads),
        cancel: limits.cancel_flag().cloned(),
        observer: progress.clone().map(|p| p as Arc<dyn Observer>),
        skip_lp_checks: false,
        exact_lp_only: args.exact_lp_only,
        paper_rules_only: args.paper_rules_only,
        memory_limit: args.memory_limit,
        optimize: args.optimize,
        list_all: args.all,
        shard: None,
    };
    if let Some(shard) = &args.shard {
        return super::merge::run_shard(args, &inst, &settings, shard);
    }
    if args.all {
        if !matches!(algorithm, Algorithm::Patterns | Algorithm::Auto) {
            return Err(Error::input(
                "--all",
                "needs --algorithm patterns (or auto)",
            ));
        }
        let solved = solve_with(&inst, &settings);
        crate::interrupt::answer_ready();
        if let Some(p) = &progress {
            p.finish();
        }
        let all = solved
            .map_err(|e| Error::Invalid(format!("{}: {e}", args.instance.display())))?
            .all_fits
            .ok_or_else(|| Error::Invalid("the solver returned no list of functions".into()))?;
        return print_all(args, &inst, all);
    }
    if args.optimize
        && !matches!(
            algorithm,
            Algorithm::Enumerate | Algorithm::Patterns | Algorithm::Auto
        )
    {
        return Err(Error::input(
            "--optimize",
            "needs --algorithm enumerate, patterns or auto",
        ));
    }
    let solved = solve_with(&inst, &settings);
    crate::interrupt::answer_ready();
    if let Some(p) = &progress {
        p.finish();
    }
    let solution =
        solved.map_err(|e| Error::Invalid(format!("{}: {e}", args.instance.display())))?;
    print_solution(
        &args.instance,
        &inst,
        solution,
        args.output.as_deref(),
        args.json,
        args.optimize,
    )
}

/// Render the result of `--all`.
fn print_all(args: &SolveArgs, inst: &Instance, all: AllFits) -> CmdResult {
    let (complete, note) = (all.completeness.name(), all.completeness.explanation());
    let networks: Vec<serde_json::Value> = all
        .functions
        .iter()
        .map(|f| {
            json!({
                "class": f.class,
                "breaking_hyperplanes": f.function.hyperplanes(),
                "leaves": f.leaves,
                "network": serde_json::from_str::<serde_json::Value>(&network_to_json(&f.network))
                    .unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    let doc = json!({
        "format": "relufit-fits/1",
        "instance": args.instance.display().to_string(),
        "completeness": complete,
        "note": note,
        "functions": networks,
        "nodes": all.stats.nodes,
    });
    if let Some(path) = &args.output {
        write_output(
            path,
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
            .as_bytes(),
        )?;
    }
    if args.json {
        output::json(&doc);
    } else {
        output::line(format!(
            "instance: {} ({})",
            args.instance.display(),
            describe_instance(inst)
        ));
        output::line(format!(
            "fitting functions: {} ({complete}; each network verified exactly)",
            all.functions.len()
        ));
        output::line(format!("note:     {note}"));
        for (idx, f) in all.functions.iter().enumerate() {
            output::line(format!(
                "  {}. {} breaking hyperplanes, signs {}, found in {} leaves",
                idx + 1,
                f.function.hyperplanes(),
                f.class,
                f.leaves
            ));
            for n in &f.network.neurons {
                output::line(format!(
                    "       a = {:>3}  w = {}  b = {}",
                    n.a.to_string(),
                    super::tuple(&n.w),
                    n.b
                ));
            }
        }
        output::line(format!(
            "stats:    {} nodes, {} LPs, {} exact certificates",
            all.stats.nodes, all.stats.lp.guesses, all.stats.lp.certificates
        ));
        if let Some(p) = &args.output {
            output::line(format!("networks written to {}", p.display()));
        }
    }
    Ok(match all.completeness {
        Completeness::Stopped(_) => Status::Unknown,
        _ if all.functions.is_empty() => Status::Negative,
        _ => Status::Success,
    })
}

/// Render a solution (also used by `relufit merge`).
pub(super) fn print_solution(
    source: &Path,
    inst: &Instance,
    solution: Solution,
    output_path: Option<&Path>,
    as_json: bool,
    optimize: bool,
) -> CmdResult {
    let inst = inst.clone();
    let args = PrintArgs {
        instance: source,
        output: output_path,
        json: as_json,
        optimize,
    };
    let stats = solution.stats;
    let header = || {
        output::line(format!(
            "instance: {} ({})",
            args.instance.display(),
            describe_instance(&inst)
        ))
    };
    match solution.outcome {
        Outcome::Fit {
            network,
            report,
            optimum,
        } => {
            if let Some(path) = args.output {
                write_output(path, network_to_json(&network).as_bytes())?;
            }
            if args.json {
                output::json(&json!({
                    "outcome": "fit",
                    "optimum": optimum.map(|q| q.to_string()),
                    "network": args.output.map(|p| p.display().to_string()),
                    "verification": report_json(&inst, &report, &[]),
                    "stats": stats_json(&stats),
                }));
            } else {
                header();
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
                if stats.nodes > 0 || stats.lps > 0 {
                    output::line(stats_line(&stats));
                }
                match args.output {
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
            restricted_to,
        } => {
            // The exact optimum with a network attaining it: the answer of --optimize,
            // written with -o like a fit's network.
            let optimal = match (&optimum, &best) {
                (Some(opt), Some((net, report))) if report.error == *opt => Some(net),
                _ => None,
            };
            let written = match (args.output, optimal) {
                (Some(path), Some(net)) => {
                    write_output(path, network_to_json(net).as_bytes())?;
                    Some(path)
                }
                _ => None,
            };
            if args.json {
                output::json(&json!({
                    "outcome": "no-fit",
                    "restricted_to": restricted_to.map(|s| s.name()),
                    "optimum": optimum.map(|q| q.to_string()),
                    "evidence": evidence.to_string(),
                    "proved_by": evidence.name(),
                    "best_error": best.as_ref().map(|(_, r)| r.error.to_string()),
                    "network": written.map(|p| p.display().to_string()),
                    "stats": stats_json(&stats),
                }));
            } else {
                header();
                match restricted_to {
                    Some(s) => {
                        output::line(format!("outcome:  NO {} FIT", s.name().to_uppercase()))
                    }
                    None => output::line("outcome:  NO FIT"),
                }
                if let (Some(opt), Some(_)) = (&optimum, optimal) {
                    output::line(format!(
                        "optimum:  {opt} (the least error any network reaches; above gamma = {})",
                        inst.gamma
                    ));
                }
                output::line(format!("evidence: {evidence}"));
                if stats.nodes > 0 || stats.lps > 0 {
                    output::line(stats_line(&stats));
                }
                match (written, optimal) {
                    (Some(p), _) => {
                        output::line(format!("optimal network written to {}", p.display()))
                    }
                    (None, Some(_)) => output::line("(use -o FILE to save the optimal network)"),
                    _ => {}
                }
            }
            // --optimize asks for the optimum: established, it is a success.
            Ok(if args.optimize && optimal.is_some() {
                Status::Success
            } else {
                Status::Negative
            })
        }
        Outcome::Unknown {
            reason,
            progress,
            best,
        } => {
            let text = reason.with_progress(&progress);
            // --optimize stopped early: the incumbent (verified, not proven optimal) is
            // what the run has to show, so -o saves it.
            let written = match (args.output, &best) {
                (Some(path), Some((net, _))) if args.optimize => {
                    write_output(path, network_to_json(net).as_bytes())?;
                    Some(path)
                }
                _ => None,
            };
            if args.json {
                output::json(&json!({
                    "outcome": "unknown",
                    "reason": text,
                    "stop": reason.name(),
                    "best_error": best.as_ref().map(|(_, r)| r.error.to_string()),
                    "network": written.map(|p| p.display().to_string()),
                    "stats": stats_json(&stats),
                }));
            } else {
                header();
                output::line("outcome:  UNKNOWN");
                output::line(format!("reason:   {text}"));
                if let Some((_, report)) = &best {
                    output::line(format!(
                        "best:     error {} (verified exactly; an upper bound on the least \
                         error, not proven optimal)",
                        report.error
                    ));
                }
                output::line(stats_line(&stats));
                match (written, &best) {
                    (Some(p), _) => {
                        output::line(format!("best network so far written to {}", p.display()))
                    }
                    (None, Some(_)) if args.optimize => {
                        output::line("(use -o FILE to save the best network so far)")
                    }
                    (None, None) if args.optimize && args.output.is_some() => output::line(
                        "(no network written: the run stopped before it had one to report)",
                    ),
                    _ => {}
                }
            }
            Ok(Status::Unknown)
        }
    }
}
