//! ExactFit (Theorem 11, Algorithms 1 and 2): exact training of a two-layer ReLU network
//! with all output weights `+1` (convex `phi`) or all `-1` (concave, by negating `y`) and
//! target error `gamma = 0`, in `2^{O(k^2 d)} poly(k, L)` time.
//!
//! Each LP (feasibility of system (6), and Algorithm 2's `lower-bound`) is solved exactly
//! and its certificate re-checked ([`crate::lp`]); the decisions `mu = y` / `mu > y` are
//! exact comparisons of certified optima. A fit is returned as a rational network that has
//! passed [`crate::verify`]; a "no" is an exhausted tree whose leaves were each closed by a
//! checked Farkas certificate or a checked dual bound `mu > y`.
//!
//! Speed-ups that keep exactness: symmetry breaking over interchangeable neurons
//! ([`symmetry`]), a pool of exact points of the current polyhedron that settles most
//! `mu < y` tests without an LP, propagation beyond Algorithm 2 (the upper-bound and cap
//! tests, sign probes at the branching point, a sibling's rejecting bound tried first),
//! the most constrained point as the branching point (the search module), and parallel
//! subtrees (`threads`).

pub(crate) mod search;
pub(crate) mod symmetry;

use super::settings::{RunStats, Signs, Solution, SolveSettings, Stats};
use super::{verified_fit_within, Evidence, Outcome, SolveError};
use crate::limits::RunLimits;
use crate::model::{Activation, Instance, Network, Neuron};
use crate::num::Rational;
use crate::solve::progress::{SearchTotals, TotalsShare};
use crate::solve::system::Problem;
use search::{Node, NodeResult, ParallelProgress, Searcher};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Largest width accepted (subsets are bit masks; `2^k` subsets per point).
pub(crate) const MAX_K: usize = 16;

/// The convex problem for `inst` under `signs` (labels negated for concave).
pub(crate) fn problem(inst: &Instance, signs: Signs) -> Problem {
    Problem::new(
        inst.dim(),
        inst.k,
        inst.points.iter().map(|p| p.x.clone()).collect(),
        inst.points
            .iter()
            .map(|p| match signs {
                Signs::Convex => p.y.clone(),
                Signs::Concave => -&p.y,
            })
            .collect(),
    )
}

/// The network encoded by the parameter vector `q` of [`Problem`] with output weights of
/// sign `signs`.
pub(crate) fn network_from_params(prob: &Problem, q: &[Rational], signs: Signs) -> Network {
    let a = match signs {
        Signs::Convex => Rational::ONE,
        Signs::Concave => -Rational::ONE,
    };
    let neurons = (0..prob.k)
        .map(|j| {
            let base = j * (prob.d + 1);
            Neuron::new(
                q[base..base + prob.d].to_vec(),
                q[base + prob.d].clone(),
                a.clone(),
            )
        })
        .collect();
    Network::new(Activation::Relu, neurons)
}

/// Run Algorithm 1 on `prob` (sequentially, or over parallel subtrees when
/// `settings.threads > 1`) within `limits`. Returns the tree's result and statistics.
pub(crate) fn run(
    prob: &Problem,
    settings: &SolveSettings,
    limits: &RunLimits,
) -> (NodeResult, Stats) {
    let done = AtomicBool::new(false);
    let live = AtomicU64::new(0);
    let root = Node {
        assign: vec![None; prob.len()],
        pool: Vec::new(),
        depth: 0,
        int: None,
        warm: Default::default(),
    };
    let mut main = Searcher::new(prob, settings, limits, &done, &live);
    let threads = settings.threads.max(1);
    if threads == 1 {
        let r = main.search(root);
        return (r, main.stats);
    }
    // Expand the top of the tree breadth-first until there is work for every thread.
    let mut frontier = vec![root];
    for _ in 0..4 {
        if frontier.len() >= 4 * threads {
            break;
        }
        let mut next = Vec::new();
        for mut node in frontier {
            match main.expand(&mut node) {
                Ok((i, masks)) => {
                    for m in masks {
                        next.push(main.child(&node, i, m));
                    }
                }
                Err(NodeResult::No) => {}
                Err(other) => return (other, main.stats),
            }
        }
        if next.is_empty() {
            return (NodeResult::No, main.stats);
        }
        frontier = next;
        let bytes: u64 = frontier.iter().map(|n| n.estimated_bytes(prob)).sum();
        if let Err(s) = limits.reserve(
            || format!("ExactFit's {} parallel subtrees", frontier.len()),
            bytes,
        ) {
            return (NodeResult::Stopped(s.into()), main.stats);
        }
    }
    let next_job = AtomicUsize::new(0);
    let finished_jobs = AtomicU64::new(0);
    // The progress line's totals start with the nodes of the breadth-first expansion.
    let totals = Arc::new(SearchTotals::default());
    TotalsShare::new(totals.clone()).publish(main.stats.nodes, main.stats.lps);
    let shared = ParallelProgress {
        finished: &finished_jobs,
        total: frontier.len() as u64,
    };
    let results: Mutex<Vec<NodeResult>> = Mutex::new(Vec::new());
    let stats = Mutex::new(main.stats.clone());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut s = Searcher::new(prob, settings, limits, &done, &live)
                    .with_jobs(shared, totals.clone());
                loop {
                    let idx = next_job.fetch_add(1, Ordering::Relaxed);
                    let Some(node) = frontier.get(idx) else { break };
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                    let r = s.search(node.clone());
                    match r {
                        NodeResult::No => {
                            finished_jobs.fetch_add(1, Ordering::Relaxed);
                        }
                        NodeResult::Stopped(ref why) if done.load(Ordering::Relaxed) => {
                            let _ = why;
                            break;
                        }
                        other => {
                            done.store(true, Ordering::Relaxed);
                            results.lock().expect("results lock").push(other);
                            break;
                        }
                    }
                }
                stats.lock().expect("stats lock").merge(&s.stats);
            });
        }
    });
    let results = results.into_inner().expect("results lock");
    let stats = stats.into_inner().expect("stats lock");
    let result = results
        .iter()
        .find(|r| matches!(r, NodeResult::Fit(_)))
        .or_else(|| results.first())
        .cloned()
        .unwrap_or(NodeResult::No);
    (result, stats)
}

fn check_applicable(inst: &Instance) -> Result<(), SolveError> {
    if inst.activation != Activation::Relu {
        return Err(SolveError::NotApplicable(
            "ExactFit (Theorem 11) is for ReLU networks".into(),
        ));
    }
    if inst.gamma != Rational::ZERO {
        return Err(SolveError::NotApplicable(
            "ExactFit (Theorem 11) needs gamma = 0 (for gamma > 0 the problem is W[1]-hard \
             already for k = 1)"
                .into(),
        ));
    }
    if inst.k > MAX_K {
        return Err(SolveError::NotApplicable(format!(
            "ExactFit branches over 2^k subsets; k = {} exceeds the supported {MAX_K}",
            inst.k
        )));
    }
    inst.validate()
        .map_err(|e| SolveError::NotApplicable(e.into()))
}

/// Run ExactFit for one sign class and turn the tree's result into an [`Outcome`].
fn solve_signs(
    inst: &Instance,
    settings: &SolveSettings,
    signs: Signs,
    limits: &RunLimits,
) -> Result<Solution, SolveError> {
    check_applicable(inst)?;
    let prob = problem(inst, signs);
    let (result, mut stats) = run(&prob, settings, limits);
    stats.elapsed = limits.elapsed();
    let outcome = match result {
        NodeResult::Fit(q) => verified_fit_within(
            inst,
            network_from_params(&prob, &q, signs),
            "ExactFit",
            limits,
        )?,
        NodeResult::No => Outcome::NoFit {
            optimum: None,
            best: None,
            evidence: Evidence::ExactFit {
                signs,
                k: inst.k,
                nodes: stats.nodes,
                closed_by_farkas: stats.closed_by_farkas,
                rejected_by_bound: stats.rejected_by_bound,
                rejected_by_upper_bound: stats.rejected_by_upper_bound,
                rejected_by_cap: stats.rejected_by_cap,
                pruned_by_sign: stats.pruned_by_sign,
            },
            restricted_to: Some(signs),
        },
        NodeResult::Stopped(reason) => Outcome::unknown(
            reason,
            format!(
                "ExactFit ({signs}) had visited {} nodes without finding a fit",
                stats.nodes
            ),
        ),
    };
    Ok(Solution {
        outcome,
        runs: vec![RunStats::ExactFit {
            signs,
            stats: stats.clone(),
        }],
        stats,
        shard: None,
        all_fits: None,
    })
}

/// `Algorithm::ExactFit` with `settings.signs` (default convex).
pub(crate) fn solve(inst: &Instance, settings: &SolveSettings) -> Result<Solution, SolveError> {
    solve_signs(
        inst,
        settings,
        settings.signs.unwrap_or(Signs::Convex),
        &settings.run_limits(),
    )
}
