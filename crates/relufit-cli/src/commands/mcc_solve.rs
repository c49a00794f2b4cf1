//! `relufit mcc solve`: decide MULTICOLORED CLIQUE exactly (small instances).

use super::mcc_input::{load_source, vertices};
use super::CmdResult;
use crate::args::{count, seconds};
use crate::output::{self, Status};
use crate::progress::ProgressLine;
use clap::{Args, Subcommand};
use relufit::limits::{MAX_GRAPH_VERTICES, MAX_LISTED};
use relufit::mcc::{all_cliques, solve_with, Answer, Limits};
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// `relufit mcc ...`: tools for the source problem of Corollary 9.
#[derive(Debug, Subcommand)]
pub enum MccCmd {
    /// Decide MULTICOLORED CLIQUE exactly (depth-first search; small instances).
    Solve(SolveMccArgs),
}

/// `relufit mcc solve`.
#[derive(Debug, Args)]
pub struct SolveMccArgs {
    /// The graph: relufit-mcc/1 JSON, or a DIMACS graph with --kappa.
    pub graph: PathBuf,
    /// Clique size for a DIMACS graph; for JSON, the number of colour classes (checked).
    #[arg(long, value_parser = count(1, MAX_GRAPH_VERTICES))]
    pub kappa: Option<usize>,
    /// List up to N multicoloured cliques (1..=1000000).
    #[arg(long, value_name = "N", value_parser = count(1, MAX_LISTED))]
    pub all: Option<usize>,
    /// Stop after this many seconds with outcome "unknown" (exit code 3).
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub time_limit: Option<Duration>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit mcc solve`.
pub(crate) fn run(a: &SolveMccArgs) -> CmdResult {
    let source = load_source(&a.graph, a.kappa)?;
    let g = source.mcc()?;
    let cancel = crate::interrupt::cancellation();
    let start = Instant::now();
    let line = ProgressLine::for_command(a.json);
    let progress = |nodes: u64| {
        if let Some(line) = &line {
            let elapsed = start.elapsed();
            line.show(elapsed, || {
                format!(
                    "searching: {nodes} partial cliques, {:.1} s",
                    elapsed.as_secs_f64()
                )
            });
        }
    };
    let limits = Limits {
        max_nodes: None,
        deadline: a.time_limit.map(|t| start + t),
        cancel: Some(&cancel),
        progress: Some(&progress),
    };
    let (answer, stats) = solve_with(&g, &limits);
    let listed = match (&answer, a.all) {
        (Answer::Clique(_), Some(n)) => Some(all_cliques(&g, n, &limits)),
        _ => None,
    };
    if let Some(line) = &line {
        line.finish();
    }
    let stopped = cancel.load(Ordering::SeqCst);
    let in_source = |c: &[u64]| source.from_mcc_clique(c);
    if a.json {
        output::json(&json!({
            "answer": match &answer {
                Answer::Clique(_) => "clique",
                Answer::NoClique => "none",
                Answer::Stopped(_) => "unknown",
            },
            "clique": match &answer { Answer::Clique(c) => Some(in_source(c)), _ => None },
            "reason": match &answer { Answer::Stopped(r) => Some(r.clone()), _ => None },
            "nodes": stats.nodes,
            "cliques": listed.as_ref().map(|(l, _)| l.iter().map(|c| in_source(c)).collect::<Vec<_>>()),
            "complete": listed.as_ref().map(|(_, full)| *full),
        }));
    } else {
        output::line(format!(
            "graph: {} ({})",
            a.graph.display(),
            source.describe()
        ));
        match &answer {
            Answer::Clique(c) => output::line(format!(
                "MULTICOLOURED CLIQUE: {{{}}} ({} search nodes)",
                vertices(&in_source(c)),
                stats.nodes
            )),
            Answer::NoClique => output::line(format!(
                "NO multicoloured clique (exhaustive search, {} nodes)",
                stats.nodes
            )),
            Answer::Stopped(why) => output::line(format!(
                "UNKNOWN: {why} after {} nodes{}",
                stats.nodes,
                if stopped { " (interrupted)" } else { "" }
            )),
        }
        if let Some((list, full)) = &listed {
            for c in list {
                output::line(format!("  {{{}}}", vertices(&in_source(c))));
            }
            if !full {
                output::line("  (list not complete: limit reached or search stopped)");
            }
        }
    }
    Ok(match answer {
        Answer::Clique(_) => Status::Success,
        Answer::NoClique => Status::Negative,
        Answer::Stopped(_) => Status::Unknown,
    })
}
