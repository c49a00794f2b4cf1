//! The pattern search: exact training of two-layer ReLU networks with *any* output signs
//! and `gamma = 0`, by a depth-first search over the activation patterns of the data
//! points, the natural generalisation of ExactFit (Theorem 11, Algorithms 1 and 2) beyond
//! convex networks.
//!
//! The paper notes (end of Section 6) that Algorithm 1 cannot simply be run with mixed signs:
//! without convexity there are no forced points in the sense of Algorithm 2, so the depth of
//! the tree is no longer bounded by `k(d+1) + 1`, and Theorem 7 shows no such bound can exist
//! for `k = 4`. The search here is therefore not FPT; it is complete and exact, and it is
//! made small by propagation instead (the `search` module): sign probes that force neurons, pattern
//! tests that force points, the most constrained point first, symmetry between neurons of
//! equal sign, and decisions by evaluation once the fit equations pin the parameters.
//!
//! Output signs are fixed per run up to permutation: the sign vectors are the `k + 1`
//! multisets `(+1)^p (-1)^(k-p)`, `p = 0..k` (zero neurons are covered, since a neuron with
//! `w = 0, b = 0` satisfies every pattern's constraints as an inactive neuron). A fit is an
//! exact parameter vector handed to the exact verifier; a "no" is the exhaustion of all
//! `k + 1` trees, every branch closed by a checked certificate.
//!
//! With [`SolveSettings::list_all`], the search lists every distinct fitting *function* (see
//! [`crate::model::CanonicalFunction`]) instead of stopping at the first ([`AllFits`]).

mod optimize;
mod parallel;
mod probe;
mod search;

pub use probe::LpCounters;
pub use search::{SearchStats, Split, Stop};

use super::settings::{RunStats, Solution, SolveSettings, Stats};
use super::{verified_fit, Algorithm, Evidence, Outcome, SearchScope, SolveError, StopReason};
use crate::model::{Activation, CanonicalFunction, Instance, Network, Neuron};
use crate::num::Rational;
use crate::solve::system::Problem;
use search::{Leaf, Searcher};
use std::time::Instant;

/// Largest width accepted (patterns are bit masks, `2^k` per point).
pub const MAX_K: usize = 12;

/// Why the pattern search does not apply to `inst`, if it does not.
pub fn check_applicable(inst: &Instance) -> Result<(), SolveError> {
    if inst.gamma != Rational::ZERO
        && matches!(inst.loss, crate::model::Loss::Abs | crate::model::Loss::Max)
    {
        return optimize::check_applicable(inst);
    }
    if inst.gamma != Rational::ZERO {
        return Err(SolveError::NotApplicable(
            "the pattern search decides exact fits (gamma = 0) and, by branch and bound, the abs \
             and max losses; for other losses with gamma > 0 use --algorithm enumerate"
                .into(),
        ));
    }
    if inst.k == 0 || inst.k > MAX_K {
        return Err(SolveError::NotApplicable(format!(
            "the pattern search supports 1 <= k <= {MAX_K} (k = {})",
            inst.k
        )));
    }
    inst.validate()
        .map_err(|e| SolveError::NotApplicable(e.into()))?;
    if !problem(inst, 0).int_ready() {
        return Err(SolveError::NotApplicable(
            "the pattern search needs every input and label to fit 64-bit integers after \
             clearing denominators; use --algorithm enumerate for this instance"
                .into(),
        ));
    }
    Ok(())
}

/// Whether the branch and bound for the `abs` and `max` losses takes `inst` (loss, width,
/// numbers within 64 bits).
pub(crate) fn branch_and_bound_applies(inst: &Instance) -> bool {
    optimize::check_applicable(inst).is_ok()
}

fn problem(inst: &Instance, neg: u32) -> Problem {
    let xs = inst.points.iter().map(|p| p.x.clone()).collect();
    let ys = inst.points.iter().map(|p| p.y.clone()).collect();
    match inst.activation {
        Activation::Relu => Problem::with_signs(inst.dim(), inst.k, xs, ys, neg),
        Activation::Threshold => Problem::threshold(inst.dim(), inst.k, xs, ys),
    }
}

/// The runs of one search: the ReLU sign classes ([`sign_classes`], or the one requested),
/// or the single run of a threshold network (its output weights are free).
fn runs(inst: &Instance, settings: &SolveSettings) -> Result<Vec<u32>, SolveError> {
    Ok(match (inst.activation, settings.signs) {
        (Activation::Threshold, None) => vec![0],
        (Activation::Threshold, Some(_)) => {
            return Err(SolveError::NotApplicable(
                "sign classes are for ReLU networks; a threshold network's output weights are \
                 free rationals"
                    .into(),
            ))
        }
        (Activation::Relu, Some(super::Signs::Convex)) => vec![0],
        (Activation::Relu, Some(super::Signs::Concave)) => vec![(1u32 << inst.k) - 1],
        (Activation::Relu, None) => sign_classes(inst.k),
    })
}

/// The sign vectors to search, as masks of the negative neurons: `p` positive neurons first,
/// the balanced classes first (where mixed-sign fits are usually found).
pub fn sign_classes(k: usize) -> Vec<u32> {
    let mut ps: Vec<usize> = (0..=k).collect();
    ps.sort_by_key(|&p| ((2 * p).abs_diff(k), std::cmp::Reverse(p)));
    ps.into_iter()
        .map(|p| ((1u32 << k) - 1) & !((1u32 << p) - 1))
        .collect()
}

/// The network of `k` zero neurons (error: the labels themselves).
fn zero_network(inst: &Instance) -> Network {
    Network::new(
        inst.activation,
        (0..inst.k).map(|_| Neuron::zero(inst.dim())).collect(),
    )
}

/// The network of parameter vector `theta` under the sign mask `neg` (threshold: with the
/// output weights at the end of `theta`).
fn network(prob: &Problem, theta: &[Rational]) -> Network {
    if prob.threshold {
        let a0 = prob.k * (prob.d + 1);
        let neurons = (0..prob.k)
            .map(|j| {
                let base = j * (prob.d + 1);
                Neuron::new(
                    theta[base..base + prob.d].to_vec(),
                    theta[base + prob.d].clone(),
                    theta[a0 + j].clone(),
                )
            })
            .collect();
        return Network::new(Activation::Threshold, neurons);
    }
    let neurons = (0..prob.k)
        .map(|j| {
            let base = j * (prob.d + 1);
            let negative = prob.neg >> j & 1 == 1;
            let back = |v: &Rational| if negative { -v } else { v.clone() };
            Neuron::new(
                theta[base..base + prob.d].iter().map(back).collect(),
                back(&theta[base + prob.d]),
                if negative {
                    -Rational::ONE
                } else {
                    Rational::ONE
                },
            )
        })
        .collect();
    Network::new(Activation::Relu, neurons)
}

/// "`p` positive, `k - p` negative".
fn class_name(k: usize, neg: u32) -> String {
    let n = neg.count_ones() as usize;
    format!("{} positive, {} negative", k - n, n)
}

/// Bytes the search path may use: the settings' limit or the default.
fn memory_budget(settings: &SolveSettings) -> usize {
    settings
        .memory_limit
        .unwrap_or_else(super::settings::default_memory_limit)
}

pub(crate) fn stats_of(s: &SearchStats, elapsed: std::time::Duration) -> Stats {
    Stats {
        nodes: s.nodes,
        lps: s.lp.guesses,
        forced_points: s.forced_points,
        closed_by_farkas: s.closed_empty + s.closed_no_pattern,
        decided_by_point: s.closed_by_point,
        max_depth: s.max_depth,
        cold_guesses: s.lp.retries.cold,
        precise_guesses: s.lp.retries.precise,
        lp_fallbacks: s.lp.fallbacks,
        lp_time: s.lp.float_time,
        check_time: s.lp.exact_time,
        elapsed,
        ..Stats::default()
    }
}

/// What one shard of the pattern search established ([`crate::solve::shard`]).
#[derive(Debug, Clone)]
pub struct ShardSearch {
    /// A verified fitting network if the shard found one, else the all-zero network.
    pub best: Network,
    /// Its exact error.
    pub best_error: Rational,
    /// Every subtree of the shard was closed by checked certificates.
    pub exhaustive: bool,
    /// Why the shard stopped early (time limit, cancellation, memory), if it did.
    pub stopped: Option<String>,
    /// The search's counters (all runs).
    pub stats: SearchStats,
    /// Subtrees left to the other shards.
    pub skipped: u64,
    /// Subtrees numbered (the same in every shard of a search: each owns its share).
    pub numbered: u64,
    /// Wall time.
    pub elapsed: std::time::Duration,
}

/// Search shard `settings.shard` of the exact-fit decision over every sign class (ReLU) or
/// the one run (threshold): the subtrees at a fixed depth are dealt out to the shards
/// ([`Split`]). A shard that finds no leaf and closes all its subtrees is exhaustive; the
/// union of all shards' subtrees is the whole search, so `N` exhaustive shards are a
/// certified "no" ([`crate::solve::shard::merge`]).
pub fn search_shard(inst: &Instance, settings: &SolveSettings) -> Result<ShardSearch, SolveError> {
    check_applicable(inst)?;
    if inst.gamma != Rational::ZERO {
        return Err(SolveError::NotApplicable(
            "the pattern search shards exact-fit decisions (gamma = 0)".into(),
        ));
    }
    let start = Instant::now();
    let limits = settings.run_limits();
    let every_sign = SolveSettings {
        signs: None,
        ..settings.clone()
    };
    let zero = zero_network(inst);
    let zero_error = crate::verify::verify(inst, &zero)
        .map_err(|e| SolveError::NotApplicable(e.to_string()))?
        .error;
    let mut split = Split::new(settings.shard.unwrap_or(crate::solve::shard::Shard::ALL));
    let mut total = SearchStats::default();
    let result = |best, best_error, exhaustive, stopped, stats: &SearchStats, split: Split| {
        Ok(ShardSearch {
            best,
            best_error,
            exhaustive,
            stopped,
            stats: stats.clone(),
            skipped: split.skipped,
            numbered: split.next,
            elapsed: start.elapsed(),
        })
    };
    for neg in runs(inst, &every_sign)? {
        let prob = problem(inst, neg);
        let mut searcher = Searcher::new(
            &prob,
            &limits,
            settings.observer.clone(),
            memory_budget(settings),
        )
        .with_split(split);
        let mut found: Option<Leaf> = None;
        let r = searcher.run(&mut |leaf| {
            found = Some(leaf);
            false
        });
        split = searcher.split().expect("a split search");
        total.merge(&searcher.finish());
        match r {
            Err(stop) => {
                return result(
                    zero,
                    zero_error,
                    false,
                    Some(stop.to_string()),
                    &total,
                    split,
                )
            }
            Ok(_) => {
                if let Some(leaf) = found {
                    let net = network(&prob, &leaf.theta);
                    let Outcome::Fit {
                        network, report, ..
                    } = verified_fit(inst, net, "pattern search")?
                    else {
                        unreachable!("verified_fit returns fits");
                    };
                    return result(network, report.error, false, None, &total, split);
                }
            }
        }
    }
    result(zero, zero_error, true, None, &total, split)
}

/// What the pattern search established, with its own counters.
#[derive(Debug, Clone)]
pub struct PatternSolution {
    /// Fit / no fit / unknown.
    pub outcome: Outcome,
    /// The search's counters (all sign classes).
    pub stats: SearchStats,
}

/// Decide whether `inst` (ReLU, `gamma = 0`) has an exact fit with any output signs.
pub fn solve(inst: &Instance, settings: &SolveSettings) -> Result<Solution, SolveError> {
    let start = Instant::now();
    let sol = solve_detailed(inst, settings)?;
    Ok(Solution {
        outcome: sol.outcome,
        stats: stats_of(&sol.stats, start.elapsed()),
        runs: vec![RunStats::Patterns(sol.stats)],
        shard: None,
        all_fits: None,
    })
}

/// [`solve`] with the search's own counters. With `gamma > 0` (or `settings.optimize`) and
/// the `abs` or `max` loss: the branch and bound (the decision `loss <= gamma`, or the least
/// loss).
pub fn solve_detailed(
    inst: &Instance,
    settings: &SolveSettings,
) -> Result<PatternSolution, SolveError> {
    let by_loss =
        matches!(inst.loss, crate::model::Loss::Abs | crate::model::Loss::Max) && inst.lp.is_none();
    if by_loss && (settings.optimize || inst.gamma != Rational::ZERO) {
        return optimize::solve(inst, settings, settings.optimize);
    }
    if settings.optimize {
        return Err(SolveError::NotApplicable(
            "the pattern search computes optima for the abs and max losses".into(),
        ));
    }
    let classes = runs(inst, settings)?;
    solve_runs(inst, settings, classes)
}

/// The search over the ReLU sign classes with both signs present only (`Auto` after
/// ExactFit has decided the convex and the concave class). Its "no" covers those classes.
pub(crate) fn solve_mixed(
    inst: &Instance,
    settings: &SolveSettings,
) -> Result<PatternSolution, SolveError> {
    let all = (1u32 << inst.k) - 1;
    let mixed = sign_classes(inst.k)
        .into_iter()
        .filter(|&neg| neg != 0 && neg != all)
        .collect();
    solve_runs(inst, settings, mixed)
}

fn solve_runs(
    inst: &Instance,
    settings: &SolveSettings,
    classes: Vec<u32>,
) -> Result<PatternSolution, SolveError> {
    check_applicable(inst)?;
    let limits = settings.run_limits();
    let mut total = SearchStats::default();
    for (idx, &neg) in classes.iter().enumerate() {
        let prob = problem(inst, neg);
        let run = parallel::find_leaf(
            &prob,
            &limits,
            settings.observer.clone(),
            memory_budget(settings),
            settings.threads.max(1),
        );
        let found = run.leaf;
        total.merge(&run.stats);
        match run.result {
            Err(stop) => {
                return Ok(PatternSolution {
                    outcome: Outcome::unknown(
                        stop,
                        format!(
                            "the pattern search had exhausted {idx} of {} sign classes \
                             without a fit ({} nodes)",
                            classes.len(),
                            total.nodes
                        ),
                    ),
                    stats: total,
                })
            }
            Ok(_) => {
                if let Some(leaf) = found {
                    let outcome =
                        verified_fit(inst, network(&prob, &leaf.theta), "pattern search")?;
                    return Ok(PatternSolution {
                        outcome,
                        stats: total,
                    });
                }
            }
        }
    }
    let restricted_to = settings.signs;
    let all = (1u32 << inst.k) - 1;
    let scope = match (inst.activation, restricted_to) {
        (Activation::Threshold, _) => SearchScope::Threshold,
        (_, Some(s)) => SearchScope::Class(s),
        _ if classes.iter().all(|&neg| neg != 0 && neg != all) => SearchScope::Mixed,
        _ => SearchScope::Any,
    };
    Ok(PatternSolution {
        outcome: Outcome::NoFit {
            optimum: None,
            best: None,
            evidence: Evidence::PatternSearch {
                scope,
                k: inst.k,
                sign_classes: (inst.activation == Activation::Relu).then_some(classes.len()),
                counts: total.counts(),
            },
            restricted_to,
        },
        stats: total,
    })
}

/// One distinct fitting function found by the search ([`SolveSettings::list_all`]).
#[derive(Debug, Clone)]
pub struct FoundFunction {
    /// A verified network computing it (the first found).
    pub network: Network,
    /// Its canonical form.
    pub function: CanonicalFunction,
    /// The sign class it was first found in.
    pub class: String,
    /// Leaves of the search that gave this function.
    pub leaves: u64,
    /// Whether a leaf of this function may hold other functions (its polyhedron is not a
    /// single point and no second function was found in it).
    pub unresolved_leaf: bool,
}

/// Is the set of fitting functions finite, and is the list complete?
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// Every leaf's polyhedron is a single point: the list holds every fitting function.
    Complete,
    /// Some leaf's polyhedron holds two networks computing different functions (checked
    /// exactly), so it holds a continuum of fitting functions (the segment between them);
    /// the list shows one representative per leaf.
    Continuum,
    /// Some leaf's polyhedron is not a single point, but no second function was found in
    /// it: finitely many functions is not proven.
    Undetermined,
    /// The search stopped early (time limit, cancellation): the list is partial.
    Stopped(StopReason),
}

impl Completeness {
    /// The short name (`complete`, `continuum`, `undetermined`, `partial`).
    pub fn name(&self) -> &'static str {
        match self {
            Completeness::Complete => "complete",
            Completeness::Continuum => "continuum",
            Completeness::Undetermined => "undetermined",
            Completeness::Stopped(_) => "partial",
        }
    }

    /// What it means for the list, in a sentence.
    pub fn explanation(&self) -> String {
        match self {
            Completeness::Complete => "every leaf of the search is a single parameter point: \
                                       these are all the fitting functions"
                .to_string(),
            Completeness::Continuum => "some leaf holds two networks with different functions \
                                        (checked exactly), hence a continuum of fitting \
                                        functions; one representative per leaf is listed"
                .to_string(),
            Completeness::Undetermined => "some leaf is not a single point and no second \
                                           function was found in it: finiteness is not proven"
                .to_string(),
            Completeness::Stopped(reason) => format!("the search stopped: {reason}"),
        }
    }
}

/// Every distinct fitting function.
#[derive(Debug, Clone)]
pub struct AllFits {
    /// The functions, in the order found.
    pub functions: Vec<FoundFunction>,
    /// Whether the list is complete.
    pub completeness: Completeness,
    /// Search counters.
    pub stats: SearchStats,
}

/// How many further points of a non-single-point leaf are compared before giving up on
/// proving a continuum.
const CONTINUUM_PROBES: usize = 6;

/// What a leaf's polyhedron says about the functions it holds.
enum LeafFunction {
    /// One point (or only one function found and the leaf is a single point).
    Single,
    /// Two different functions: the fitting set is a continuum.
    Continuum,
    /// More than one point, but the probes found one function only.
    Undetermined,
}

/// Verify the network of `leaf`, add its function to `functions` (or count the leaf for
/// it), and probe the leaf's polyhedron for a second function.
fn record_leaf(
    inst: &Instance,
    prob: &Problem,
    neg: u32,
    limits: &crate::limits::RunLimits,
    leaf: &Leaf,
    functions: &mut Vec<FoundFunction>,
) -> Result<LeafFunction, SolveError> {
    let net = network(prob, &leaf.theta);
    let Outcome::Fit { network: net, .. } = verified_fit(inst, net, "pattern search")? else {
        unreachable!("verified_fit returns fits");
    };
    let function = CanonicalFunction::of(&net).expect("ReLU network");
    let mut kind = LeafFunction::Single;
    if !leaf.single_point {
        // Look for a second function in the leaf's polyhedron: exact points in a few
        // directions; two different functions prove a continuum.
        let mut oracle = probe::Oracle::new(limits.clone());
        kind = LeafFunction::Undetermined;
        for t in 0..CONTINUUM_PROBES {
            let c = direction(prob.num_vars(), t);
            let Ok(Some(other)) = oracle.point_below(&leaf.system, &c, &leaf.theta) else {
                continue;
            };
            let other_net = network(prob, &other);
            if CanonicalFunction::of(&other_net).as_ref() != Some(&function) {
                kind = LeafFunction::Continuum;
                break;
            }
        }
    }
    let unresolved = matches!(kind, LeafFunction::Undetermined);
    match functions.iter_mut().find(|f| f.function == function) {
        Some(f) => {
            f.leaves += 1;
            f.unresolved_leaf |= unresolved;
        }
        None => functions.push(FoundFunction {
            network: net,
            function,
            class: class_name(inst.k, neg),
            leaves: 1,
            unresolved_leaf: unresolved,
        }),
    }
    Ok(kind)
}

/// [`crate::solve::solve_with`] with [`SolveSettings::list_all`]: [`all_fits`], with the
/// list in [`Solution::all_fits`] and as the outcome the first function's verified network,
/// a "no" when the complete list is empty, or unknown when the search stopped.
pub(crate) fn solve_all(inst: &Instance, settings: &SolveSettings) -> Result<Solution, SolveError> {
    if !matches!(settings.algorithm, Algorithm::Patterns | Algorithm::Auto) {
        return Err(SolveError::NotApplicable(format!(
            "listing every fitting function needs the pattern search (algorithm patterns or \
             auto), not {:?}",
            settings.algorithm
        )));
    }
    let start = Instant::now();
    let all = all_fits(inst, settings)?;
    let outcome = match (all.functions.first(), &all.completeness) {
        (Some(first), _) => verified_fit(inst, first.network.clone(), "pattern search")?,
        (None, Completeness::Stopped(reason)) => Outcome::unknown(
            reason.clone(),
            format!(
                "the pattern search had found no fitting function ({} nodes)",
                all.stats.nodes
            ),
        ),
        (None, _) => Outcome::NoFit {
            optimum: None,
            best: None,
            evidence: Evidence::PatternSearch {
                scope: settings.signs.map_or(SearchScope::Any, SearchScope::Class),
                k: inst.k,
                sign_classes: Some(runs(inst, settings)?.len()),
                counts: all.stats.counts(),
            },
            restricted_to: settings.signs,
        },
    };
    Ok(Solution {
        outcome,
        stats: stats_of(&all.stats, start.elapsed()),
        runs: vec![RunStats::Patterns(all.stats.clone())],
        shard: None,
        all_fits: Some(all),
    })
}

/// List every distinct function (up to neuron order, splits and flips: compared by
/// [`CanonicalFunction`]) of an exactly fitting network, over all sign classes (or the one
/// in `settings.signs`). Every listed network passed the exact verifier.
pub(crate) fn all_fits(inst: &Instance, settings: &SolveSettings) -> Result<AllFits, SolveError> {
    check_applicable(inst)?;
    if inst.gamma != Rational::ZERO {
        return Err(SolveError::NotApplicable(
            "the pattern search decides exact fits (gamma = 0) when it lists every fitting \
             function"
                .into(),
        ));
    }
    let limits = settings.run_limits();
    let mut total = SearchStats::default();
    let mut functions: Vec<FoundFunction> = Vec::new();
    let mut continuum = false;
    let mut undetermined = false;
    if inst.activation != Activation::Relu {
        return Err(SolveError::NotApplicable(
            "listing every fitting function needs ReLU networks (a threshold network's \
             function is not determined by a canonical form here)"
                .into(),
        ));
    }
    let classes = runs(inst, settings)?;
    let mut stopped = None;
    for &neg in &classes {
        let prob = problem(inst, neg);
        let mut searcher = Searcher::new(
            &prob,
            &limits,
            settings.observer.clone(),
            memory_budget(settings),
        );
        // Each leaf is reduced to its function at once: memory grows with the number of
        // distinct functions, not of leaves.
        let mut failure: Option<SolveError> = None;
        let r = searcher.run(&mut |leaf| {
            match record_leaf(inst, &prob, neg, &limits, &leaf, &mut functions) {
                Ok(LeafFunction::Single) => {}
                Ok(LeafFunction::Continuum) => continuum = true,
                Ok(LeafFunction::Undetermined) => undetermined = true,
                Err(e) => failure = Some(e),
            }
            failure.is_none()
        });
        total.merge(&searcher.finish());
        if let Some(e) = failure {
            return Err(e);
        }
        if let Err(stop) = r {
            stopped = Some(StopReason::from(stop));
            break;
        }
    }
    let completeness = match stopped {
        Some(s) => Completeness::Stopped(s),
        None if continuum => Completeness::Continuum,
        None if undetermined => Completeness::Undetermined,
        None => Completeness::Complete,
    };
    Ok(AllFits {
        functions,
        completeness,
        stats: total,
    })
}

/// A deterministic objective direction number `t`: small random integers in `[-3, 3]`.
fn direction(n: usize, t: usize) -> Vec<i64> {
    let mut rng = crate::rng::SplitMix64::new(0xD1CE_0000 + t as u64);
    (0..n).map(|_| (rng.next_u64() % 7) as i64 - 3).collect()
}
