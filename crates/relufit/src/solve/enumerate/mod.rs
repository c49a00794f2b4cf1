//! Exact training for any output signs by enumeration: the Arora et al. algorithm for ReLU
//! (`O(2^k n^{dk} poly(L))` convex programs, cited in the paper's introduction) and its
//! linear-threshold analogue (Khalife and Basu; the paper's Section 5 and 6 discuss both).
//!
//! Every neuron's activation pattern on the data is a strict affine dichotomy
//! ([`crate::geometry::dichotomies`]). A *leaf* fixes a pattern (and for ReLU an output sign
//! `+1`/`-1`) for each neuron; what remains is convex and is solved exactly
//! ([`leaf`]). The least error over all leaves is the exact optimum.
//!
//! Pruning, all exact (see [`EnumStats`] for what each buys):
//! - symmetry (`space`): `k`-subsets of distinct non-empty items instead of ordered
//!   `k`-tuples of `2 (#dichotomies)` items;
//! - bounds (`bounds`): a bit-set lower bound per leaf (uncovered points cost their label;
//!   points covered only by `+1` ReLUs cannot go negative); leaves are handed out in order
//!   of increasing bound (`candidates`), so once the bound reaches the incumbent every
//!   remaining leaf is cut;
//! - the circuit bound for `abs`/`max` (`circuits`): affine dependencies inside one
//!   activation class bound its residuals, no LP needed;
//! - one checked dual bound per leaf against the incumbent; for `abs` and `gamma = 0` ReLU
//!   leaves through a `k (d + 1)`-row dual simplex with exact certificates ([`l1`]);
//! - early termination for the decision version (`error <= gamma`);
//! - parallel workers (rayon) and deterministic shards ([`Shard`]).

pub(crate) mod bounds;
pub(crate) mod candidates;
pub(crate) mod circuits;
pub mod l1;
pub mod leaf;
mod pass;
pub(crate) mod qp;
pub(crate) mod space;

use crate::solve::shard::Shard;

use super::settings::{Progress, Reporter, RunStats, Signs, Solution, SolveSettings, Stats};
use super::{Evidence, Outcome, SolveError, StopReason};
use crate::geometry::{candidate_count, dichotomies_within};
use crate::limits::{RunLimits, Stopped};
use crate::model::{Activation, Instance, Loss, Network, Neuron};
use crate::num::Rational;
use crate::verify::verify;
use bounds::{bits, Costs};
use candidates::Candidates;
use leaf::{Data, Goal, Item, LeafAnswer};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How much of the search to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumerateOptions {
    /// Which part of the search (default: all of it).
    pub shard: Shard,
    /// `true`: compute the exact least error even when an earlier leaf already reaches
    /// `gamma`; `false`: the decision version (stop at the first network with error
    /// `<= gamma`, skip leaves whose bound exceeds `gamma`).
    pub optimize: bool,
    /// Use the circuit bound (`circuits`); `false` only to measure or cross-check it.
    pub circuit_bound: bool,
}

impl Default for EnumerateOptions {
    fn default() -> Self {
        EnumerateOptions {
            shard: Shard::ALL,
            optimize: false,
            circuit_bound: true,
        }
    }
}

/// Counters of one enumeration (one shard).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnumStats {
    /// Number of strict dichotomies of the data.
    pub dichotomies: u64,
    /// The naive leaf count: `(2 D)^k` for ReLU (ordered tuples of pattern and sign, Arora
    /// et al.), `D^k` for threshold, `D` the number of dichotomies.
    pub naive_leaves: u128,
    /// Leaves after symmetry: `k`-subsets of distinct non-empty items (whole search).
    pub leaves: u64,
    /// Leaves belonging to this shard.
    pub shard_leaves: u64,
    /// Leaves of this shard cut by the bit-set bound while enumerating.
    pub cut_by_bound: u64,
    /// Leaves of this shard that passed the bit-set bound and the pair test: the candidates,
    /// examined in order of their bounds (known once the first pass over the leaves ended).
    pub kept: u64,
    /// Passes over the leaf space: each collects the next window of candidates in bound
    /// order (1 when they all fit the window).
    pub windows: u64,
    /// Candidates one window holds at most (from the memory budget).
    pub window: u64,
    /// Leaves cut by the pair test (ReLU, `k = 2`, `gamma = 0`): the points outside one
    /// neuron's pattern see only the other neuron, which must fit them alone.
    pub cut_by_pair_test: u64,
    /// Leaves closed by the circuit bound (`circuits`, ReLU `abs`/`max`, `n <= 64`)
    /// before any LP.
    pub cut_by_circuits: u64,
    /// Single-neuron LPs solved for the pair test (one per item and sign, at most).
    pub pair_test_lps: u64,
    /// Leaves cut later because their bound reached the incumbent (or the search stopped
    /// early for the decision version: see `stopped_early`).
    pub cut_by_incumbent: u64,
    /// Leaves whose convex problem was solved (or compared with the incumbent).
    pub solved: u64,
    /// Of these, leaves closed by a checked dual bound `>= incumbent` (one certified
    /// comparison instead of a full solve).
    pub cut_by_dual_bound: u64,
    /// Of these, infeasible ones (`gamma = 0`: Farkas certificate / inconsistent system).
    pub infeasible: u64,
    /// LPs solved (each certificate checked exactly).
    pub lps: u64,
    /// Position (in bound order) of the leaf that last improved the incumbent: the leaves
    /// after it were compared only to be ruled out.
    pub last_improvement: u64,
    /// The decision version stopped at a network with error `<= gamma`.
    pub stopped_early: bool,
    /// Time enumerating dichotomies.
    pub dichotomy_time: Duration,
    /// Time computing bounds and ordering leaves.
    pub bound_time: Duration,
    /// Total time.
    pub elapsed: Duration,
}

/// What one (possibly sharded) enumeration established.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// The best network found in this shard (the zero network if nothing beat it), with its
    /// exact verified error.
    pub best: Network,
    /// Its error.
    pub best_error: Rational,
    /// `true` if every leaf of the shard was solved or cut by an exact bound: `best_error`
    /// is then the shard's exact optimum (decision version: or every leaf's optimum exceeds
    /// `gamma`, see [`SearchResult::fit_found`]).
    pub exhaustive: bool,
    /// Why the search stopped before exhausting the shard (time limit, cancel, certificate
    /// failure) and in which phase, if it did; `None` for exhaustive runs and
    /// decision-version early stops.
    pub stopped: Option<(StopReason, String)>,
    /// Whether `gamma` was reached.
    pub fit_found: bool,
    /// Counters.
    pub stats: EnumStats,
}

/// Why enumeration does not apply to `inst`, if it does not.
pub fn check_applicable(inst: &Instance) -> Result<(), SolveError> {
    inst.validate()
        .map_err(|e| SolveError::NotApplicable(e.into()))?;
    if inst.activation == Activation::Relu
        && inst.gamma != Rational::ZERO
        && inst.loss == Loss::ZeroOne
    {
        return Err(SolveError::NoSolver(
            "enumeration decides ReLU instances with gamma = 0 for every loss, and the \
             convex losses (squared, abs, max) for any gamma; zero-one with gamma > 0 is not \
             a convex program per leaf and is not implemented"
                .into(),
        ));
    }
    Ok(())
}

/// The output signs of the items: `+1` and `-1` for ReLU (or the one `signs` asks for),
/// `0` for threshold items.
fn item_signs(inst: &Instance, signs: Option<Signs>) -> &'static [i8] {
    match (inst.activation, signs) {
        (Activation::Relu, None) => &[1, -1],
        (Activation::Relu, Some(Signs::Convex)) => &[1],
        (Activation::Relu, Some(Signs::Concave)) => &[-1],
        (Activation::Threshold, _) => &[0],
    }
}

/// Bytes that `count` items of `inst` take (per item its members as indices and bits, its
/// witness and its support).
fn items_memory(inst: &Instance, count: u64) -> u64 {
    let (n, d) = (inst.len() as u64, inst.dim() as u64);
    let words = n.div_ceil(64).max(1);
    let per_item = 8 * n + 8 * words + 64 * (d + 1) + 160;
    count.saturating_mul(per_item)
}

/// The items (dichotomy, sign) of the search for `inst`, in a fixed order, and the number
/// of dichotomies; for ReLU, `signs` restricts the output signs to `+1` (convex) or `-1`
/// (concave). Stops when `limits` say so; the memory of the dichotomies is counted while
/// they are enumerated, that of the items before they are built.
pub fn items(
    inst: &Instance,
    signs: Option<Signs>,
    limits: &RunLimits,
) -> Result<(Vec<Item>, u64), Stopped> {
    items_reporting(inst, signs, limits, &mut |_| {})
}

/// [`items`], calling `progress` with the candidate hyperplanes examined so far while the
/// dichotomies are enumerated ([`crate::geometry::dichotomies_within`]).
fn items_reporting(
    inst: &Instance,
    signs: Option<Signs>,
    limits: &RunLimits,
    progress: &mut dyn FnMut(u64),
) -> Result<(Vec<Item>, u64), Stopped> {
    let xs: Vec<&[Rational]> = inst.points.iter().map(|p| p.x.as_slice()).collect();
    let dich = dichotomies_within(&xs, limits, progress)?;
    let words = inst.len().div_ceil(64).max(1);
    let count = dich.len() as u64;
    let signs = item_signs(inst, signs);
    // The dichotomies stay alive while the items are built: both count.
    let held: u64 = dich
        .iter()
        .map(|dc| crate::geometry::dichotomy_bytes(dc.inside.len(), inst.dim()))
        .sum();
    limits.reserve(
        || {
            format!(
                "the items of the {count} dichotomies of {} points in dimension {}",
                inst.len(),
                inst.dim()
            )
        },
        items_memory(inst, count.saturating_mul(signs.len() as u64)).saturating_add(held),
    )?;
    let owned: Vec<Vec<Rational>> = xs.iter().map(|x| x.to_vec()).collect();
    let ints = l1::IntData::new(&owned, &vec![Rational::ZERO; owned.len()]);
    let mut out = Vec::new();
    let mut tick = limits.ticker(64);
    for dc in dich.into_iter().filter(|dc| !dc.inside.is_empty()) {
        tick.tick()?;
        let support = ints
            .as_ref()
            .and_then(|data| l1::pattern_support(data, &dc.inside));
        for &s in signs {
            out.push(Item {
                bits: bits(&dc.inside, words),
                inside: dc.inside.clone(),
                sign: s,
                w: dc.w.clone(),
                b: dc.b.clone(),
                support: support.clone(),
            });
        }
    }
    Ok((out, count))
}

fn zero_network(inst: &Instance) -> Network {
    Network::new(
        inst.activation,
        (0..inst.k).map(|_| Neuron::zero(inst.dim())).collect(),
    )
}

struct Incumbent {
    error: Rational,
    network: Network,
    rank: u64,
}

/// Run the enumeration on `inst` (one shard of it, per `opts`). Uses `settings.threads`
/// workers (0 or 1: one), `time_limit`, `cancel`, `memory_limit` and `observer`: every
/// phase checks the limits (the dichotomies, the pair test, the circuits, the bounds of all
/// leaves, the leaves), and the table of candidate leaves is kept within the memory budget
/// by processing them in windows (`candidates`).
pub fn search(
    inst: &Instance,
    settings: &SolveSettings,
    opts: &EnumerateOptions,
) -> Result<SearchResult, SolveError> {
    check_applicable(inst)?;
    let limits = settings.run_limits();
    let threads = settings.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SolveError::NotApplicable(format!("cannot start worker threads: {e}")))?;
    pool.install(|| search_in_pool(inst, settings, opts, &limits, threads))
}

/// Fixed-point bits of the circuit bound: it is summed in units of `1 / (scale 2^FIX_BITS)`
/// (`scale` = the labels' common denominator), each circuit rounded down.
const FIX_BITS: u32 = 24;

/// Bytes besides the tables of the search that a run may need (per-worker LPs, stacks,
/// the data): reserved from the memory budget before the window of candidates is sized.
const BASE_MEMORY: u64 = 32 << 20;

/// The window of candidate leaves holds at least this many keys, or the run stops with
/// "memory limit" before it starts.
const MIN_WINDOW: u64 = 1 << 20;

/// ... and at most this many bytes (larger windows save passes only when there are more
/// candidates than it holds, and then solving them takes far longer than the passes).
const MAX_WINDOW_BYTES: u64 = 256 << 20;

/// A search stopped by its limits before any leaf was solved: the zero network is the best.
fn stopped_early(
    zero: Network,
    zero_err: Rational,
    mut stats: EnumStats,
    start: Instant,
    reason: (StopReason, String),
) -> SearchResult {
    stats.elapsed = start.elapsed();
    SearchResult {
        best: zero,
        best_error: zero_err,
        exhaustive: false,
        stopped: Some(reason),
        fit_found: false,
        stats,
    }
}

fn search_in_pool(
    inst: &Instance,
    settings: &SolveSettings,
    opts: &EnumerateOptions,
    limits: &RunLimits,
    threads: usize,
) -> Result<SearchResult, SolveError> {
    let start = limits.started();
    let reporter = Reporter::new(settings.observer.clone(), start);
    let mut stats = EnumStats::default();
    // The zero network is in every leaf (for ReLU: (w, b) = 0 is feasible for every
    // pattern); it is the first incumbent.
    let zero = zero_network(inst);
    let zero_err = verify(inst, &zero)
        .map_err(|e| SolveError::NotApplicable(e.to_string()))?
        .error;
    let reached = |e: &Rational| !opts.optimize && *e <= inst.gamma;
    if reached(&zero_err) {
        stats.stopped_early = true;
        stats.elapsed = start.elapsed();
        return Ok(SearchResult {
            best: zero,
            best_error: zero_err,
            exhaustive: false,
            stopped: None,
            fit_found: true,
            stats,
        });
    }
    let stop =
        |stats: EnumStats, reason: (StopReason, String)| -> Result<SearchResult, SolveError> {
            Ok(stopped_early(
                zero_network(inst),
                zero_err.clone(),
                stats,
                start,
                reason,
            ))
        };
    let candidates = candidate_count(inst.len(), inst.dim());
    let mut dichotomy_progress = |examined: u64| {
        reporter.report(|elapsed| Progress::counted("dichotomies", examined, candidates, elapsed))
    };
    let (items, dcount) =
        match items_reporting(inst, settings.signs, limits, &mut dichotomy_progress) {
            Ok(x) => x,
            Err(s) => {
                return stop(
                    stats,
                    (s.into(), "while enumerating the dichotomies".into()),
                )
            }
        };
    stats.dichotomies = dcount;
    stats.dichotomy_time = start.elapsed();
    let m = items.len();
    let kk = inst.k.min(m);
    stats.naive_leaves = match inst.activation {
        Activation::Relu => (2 * dcount as u128).saturating_pow(inst.k as u32),
        Activation::Threshold => (dcount as u128).saturating_pow(inst.k as u32),
    };
    stats.leaves = space::leaf_count(m, kk).ok_or_else(|| {
        SolveError::NotApplicable(format!(
            "the search has C({m}, {kk}) leaves, more than 2^64: too large to enumerate"
        ))
    })?;
    let xs: Vec<Vec<Rational>> = inst.points.iter().map(|p| p.x.clone()).collect();
    let ys: Vec<Rational> = inst.points.iter().map(|p| p.y.clone()).collect();
    let data = Data {
        ints: l1::IntData::new(&xs, &ys),
        xs,
        ys,
        d: inst.dim(),
        k: inst.k,
    };
    let costs = Costs::new(inst.loss, &data.ys);
    let goal = if inst.gamma == Rational::ZERO && !opts.optimize {
        Goal::Exact
    } else {
        Goal::Minimize(inst.loss)
    };
    let inc = Mutex::new(Incumbent {
        error: zero_err.clone(),
        network: zero_network(inst),
        rank: u64::MAX,
    });
    let cut0 = if opts.optimize {
        costs.cut_below(&zero_err)
    } else {
        costs.cut_above(&inst.gamma)
    };
    let relu = inst.activation == Activation::Relu;
    let pair = if relu && kk == 2 && goal == Goal::Exact {
        match pair_table(&data, &items, limits, &reporter) {
            Ok(p) => Some(p),
            Err(s) => return stop(stats, (s.into(), "during the pair test".into())),
        }
    } else {
        None
    };
    if let Some(p) = &pair {
        stats.pair_test_lps = p.lps;
    }
    // Circuit bounds are summed in fixed point: units of 1 / (scale 2^FIX_BITS).
    let unit = costs.scale() * Rational::from(1u64 << FIX_BITS);
    let circ = match (relu, goal) {
        (true, Goal::Minimize(loss @ (Loss::Abs | Loss::Max))) if opts.circuit_bound => {
            match circuits::circuits(
                &data.xs,
                &data.ys,
                data.ints.as_ref(),
                loss,
                circuits::ScanLimits {
                    scan: 200_000,
                    keep: 3_000,
                },
                &unit,
                limits,
            ) {
                Ok(c) => c,
                Err(s) => return stop(stats, (s.into(), "while computing circuits".into())),
            }
        }
        _ => Vec::new(),
    };
    let min_size = circ.iter().map(|c| c.mask.count_ones()).min().unwrap_or(0);
    // Memory of the tables so far and of the circuit lists, then the window of candidates.
    let words = costs.words as u64;
    let (n, d) = (inst.len() as u64, inst.dim() as u64);
    let item_bytes: u64 = items
        .iter()
        .map(|it| {
            8 * (it.inside.len() + it.support.as_ref().map_or(0, Vec::len)) as u64
                + 8 * words
                + 64 * (d + 1)
                + 160
        })
        .sum();
    let list_bytes = (m as u64).saturating_mul(24 + 4 * circ.len() as u64);
    let fixed = BASE_MEMORY
        + item_bytes
        + list_bytes
        + 96 * circ.len() as u64
        + 64 * n * (d + 2)
        + 16 * m as u64;
    let max_bound = costs.bound(&vec![0; costs.words], &vec![0; costs.words]);
    let pack = candidates::packable(max_bound, stats.leaves);
    let entry = candidates::entry_bytes(pack);
    let budget = limits.memory_budget() as u64;
    // The collectors and the merged window together: twice the window's keys at the peak.
    let window = (budget.saturating_sub(fixed) / (2 * entry)).min(MAX_WINDOW_BYTES / entry);
    if window < MIN_WINDOW {
        return stop(
            stats,
            (
                Stopped::Memory {
                    what: format!(
                        "the enumeration ({} items, {} circuits, and a window of at least {} \
                     candidate leaves)",
                        m,
                        circ.len(),
                        MIN_WINDOW
                    ),
                    needed: fixed + 2 * MIN_WINDOW * entry,
                    budget,
                }
                .into(),
                String::new(),
            ),
        );
    }
    stats.window = window;
    // Per item, the circuits inside its pattern (a class lies inside every active pattern).
    let inside_lists = if circ.is_empty() {
        Vec::new()
    } else {
        circuits::contained(&circ, items.iter().map(|it| it.bits[0]))
    };
    // Per item, its part of a pair's bit-set bound (ReLU, k = 2).
    let partials: Option<Vec<i128>> =
        (relu && kk == 2 && costs.words == 1 && costs.has_pair_bound()).then(|| {
            items
                .iter()
                .map(|it| costs.item_partial(it.bits[0], it.sign))
                .collect()
        });
    let leaf_space = pass::LeafSpace {
        items: &items,
        costs: &costs,
        relu,
        k: kk,
        shard: opts.shard,
        pair: pair.as_ref(),
        partials: partials.as_deref(),
        leaves: stats.leaves,
    };
    let ctx = LeafContext {
        inst,
        limits,
        reporter: &reporter,
        items: &items,
        data: &data,
        costs: &costs,
        goal,
        optimize: opts.optimize,
        cut0,
        unit: &unit,
        circ: &circ,
        inside_lists: &inside_lists,
        min_size,
        kk,
        threads,
    };
    // Windows of candidates in (bound, rank) order: one pass over all leaves each.
    let mut lower = None;
    let mut state = SolveState::default();
    let bound_start = Instant::now();
    loop {
        let cut = ctx.cut(&inc);
        let ps = pass::PassSettings {
            cut,
            lower,
            pack,
            cap: usize::try_from(window / threads as u64).unwrap_or(usize::MAX),
            threads,
            limits,
            reporter: &reporter,
            window: stats.windows + 1,
        };
        let t = Instant::now();
        let pass_result = pass::run(&leaf_space, &ps);
        stats.bound_time += t.elapsed();
        let (cands, counts) = match pass_result {
            Ok(x) => x,
            Err((s, bounded)) => {
                state.stopped = Some((
                    s.into(),
                    format!(
                        "while bounding the leaves ({} of {} bounded{})",
                        bounded,
                        stats.leaves,
                        if stats.windows > 0 {
                            format!(", window {}", stats.windows + 1)
                        } else {
                            String::new()
                        }
                    ),
                ));
                break;
            }
        };
        if stats.windows == 0 {
            stats.shard_leaves = counts.owned;
            stats.cut_by_pair_test = counts.pair_cut;
            stats.kept = counts.passed;
            stats.cut_by_bound = counts.owned - counts.pair_cut - counts.passed;
            stats.bound_time = bound_start.elapsed();
        }
        stats.windows += 1;
        let upper = cands.upper();
        solve_window(&ctx, &cands, &inc, &mut state, stats.kept)?;
        if state.finished() {
            break;
        }
        match upper {
            Some(u) => lower = Some(u),
            None => break,
        }
    }
    let i = inc.into_inner().expect("incumbent");
    stats.solved = state.solved;
    stats.infeasible = state.infeasible;
    stats.lps = state.lps;
    stats.cut_by_dual_bound = state.dual_cut;
    stats.cut_by_circuits = state.circ_cut;
    stats.last_improvement = state.last_improvement;
    let fit_found = i.error <= inst.gamma;
    stats.stopped_early = !opts.optimize && fit_found;
    if state.stopped.is_none() {
        // Every kept leaf that was not examined was cut by the incumbent (or, for the
        // decision version, left after the fit).
        stats.cut_by_incumbent = stats.kept.saturating_sub(stats.solved);
    }
    let exhaustive = state.stopped.is_none() && !stats.stopped_early;
    stats.elapsed = start.elapsed();
    Ok(SearchResult {
        best: i.network,
        best_error: i.error,
        exhaustive,
        stopped: state.stopped,
        fit_found,
        stats,
    })
}

/// Everything a worker needs to examine leaves.
struct LeafContext<'a> {
    inst: &'a Instance,
    limits: &'a RunLimits,
    reporter: &'a Reporter,
    items: &'a [Item],
    data: &'a Data,
    costs: &'a Costs,
    goal: Goal,
    optimize: bool,
    cut0: i128,
    unit: &'a Rational,
    circ: &'a [circuits::Circuit],
    inside_lists: &'a [Vec<u32>],
    min_size: u32,
    kk: usize,
    threads: usize,
}

impl LeafContext<'_> {
    /// Bounds above this value cannot beat the incumbent (or reach `gamma`).
    fn cut(&self, inc: &Mutex<Incumbent>) -> i128 {
        let i = inc.lock().expect("incumbent");
        if self.optimize {
            self.costs.cut_below(&i.error)
        } else {
            self.cut0.min(self.costs.cut_below(&i.error))
        }
    }
}

/// Counters and flags of the leaves examined so far (all windows).
#[derive(Default)]
struct SolveState {
    solved: u64,
    infeasible: u64,
    lps: u64,
    dual_cut: u64,
    circ_cut: u64,
    last_improvement: u64,
    /// A bound reached the incumbent: every later leaf is cut.
    cut_reached: bool,
    /// The decision version reached `gamma`.
    goal_reached: bool,
    /// Why the search stopped early (limits, a failed certificate).
    stopped: Option<(StopReason, String)>,
}

impl SolveState {
    /// Nothing is left to do (cut, goal reached or stopped).
    fn finished(&self) -> bool {
        self.cut_reached || self.goal_reached || self.stopped.is_some()
    }
}

/// Examine the leaves of one window in order of increasing bound, in parallel, until a
/// bound reaches the incumbent, the goal is reached, the limits stop the run or the window
/// is exhausted.
fn solve_window(
    ctx: &LeafContext<'_>,
    cands: &Candidates,
    inc: &Mutex<Incumbent>,
    state: &mut SolveState,
    kept: u64,
) -> Result<(), SolveError> {
    let (inst, items, costs, goal) = (ctx.inst, ctx.items, ctx.costs, ctx.goal);
    let relu = inst.activation == Activation::Relu;
    let m = items.len();
    let kk = ctx.kk;
    let reached = |e: &Rational| !ctx.optimize && *e <= inst.gamma;
    let offset = state.solved;
    let next = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let cut_reached = AtomicBool::new(false);
    let solved = AtomicU64::new(0);
    let infeasible = AtomicU64::new(0);
    let lps = AtomicU64::new(0);
    let dual_cut = AtomicU64::new(0);
    let circ_cut = AtomicU64::new(0);
    let last_improvement = AtomicU64::new(state.last_improvement);
    let stop_reason: Mutex<Option<(StopReason, String)>> = Mutex::new(None);
    let fatal: Mutex<Option<SolveError>> = Mutex::new(None);
    let window_len = cands.len() as u64;
    let phase_start = Instant::now();
    let worker = || {
        let mut my_lps = 0u64;
        // The last cutoff seen and its fixed-point form (recomputed when it changes).
        let mut my_cut: Option<(Rational, i128)> = None;
        loop {
            if done.load(Ordering::Relaxed) {
                break;
            }
            if let Err(s) = ctx.limits.check() {
                stop_reason
                    .lock()
                    .expect("lock")
                    .get_or_insert((s.into(), "while solving the leaves".into()));
                done.store(true, Ordering::Relaxed);
                break;
            }
            let idx = next.fetch_add(1, Ordering::Relaxed);
            let Some((bound, rank)) = cands.get(idx) else {
                break;
            };
            if bound > ctx.cut(inc) {
                // Sorted by bound: everything from here on is cut as well.
                cut_reached.store(true, Ordering::Relaxed);
                done.store(true, Ordering::Relaxed);
                break;
            }
            let leaf_ids = space::unrank(m, kk, rank);
            let leaf_items: Vec<&Item> = leaf_ids.iter().map(|&c| &items[c]).collect();
            let cutoff = match goal {
                Goal::Exact => None,
                Goal::Minimize(_) => Some(inc.lock().expect("incumbent").error.clone()),
            };
            if let (Some(t), false) = (&cutoff, ctx.circ.is_empty()) {
                // Fixed-point bound >= ceil(t unit) implies the exact bound is >= t.
                if my_cut.as_ref().is_none_or(|(c, _)| c != t) {
                    let need = i128::try_from((t * ctx.unit).ceil()).unwrap_or(i128::MAX);
                    my_cut = Some((t.clone(), need));
                }
                let need = my_cut.as_ref().map_or(i128::MAX, |(_, n)| *n);
                let lists: Vec<&[u32]> = leaf_ids
                    .iter()
                    .map(|&c| ctx.inside_lists[c].as_slice())
                    .collect();
                let circ_view = CircuitView {
                    all: ctx.circ,
                    inside: &lists,
                    min_size: ctx.min_size,
                };
                if class_bound_reaches(costs, &circ_view, &leaf_items, inst.loss, need) {
                    circ_cut.fetch_add(1, Ordering::Relaxed);
                    solved.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
            }
            let answer = if relu {
                leaf::relu_leaf(ctx.data, &leaf_items, goal, cutoff.as_ref(), &mut my_lps)
            } else {
                leaf::threshold_leaf(ctx.data, &leaf_items, goal, &mut my_lps)
            };
            solved.fetch_add(1, Ordering::Relaxed);
            match answer {
                LeafAnswer::Infeasible => {
                    infeasible.fetch_add(1, Ordering::Relaxed);
                }
                LeafAnswer::Cut => {
                    dual_cut.fetch_add(1, Ordering::Relaxed);
                }
                LeafAnswer::Failed(reason) => {
                    *stop_reason.lock().expect("lock") = Some((
                        StopReason::Uncertified(format!("at leaf {rank}: {reason}")),
                        String::new(),
                    ));
                    done.store(true, Ordering::Relaxed);
                    break;
                }
                LeafAnswer::Best { network, value } => {
                    let mut i = inc.lock().expect("incumbent");
                    if value < i.error || (value == i.error && rank < i.rank) {
                        let report = match verify(inst, &network) {
                            Ok(r) => r,
                            Err(e) => {
                                *fatal.lock().expect("lock") =
                                    Some(SolveError::VerificationFailed {
                                        algorithm: "enumerate",
                                        detail: e.to_string(),
                                    });
                                done.store(true, Ordering::Relaxed);
                                break;
                            }
                        };
                        let expected = match goal {
                            Goal::Exact => Rational::ZERO,
                            Goal::Minimize(_) => value.clone(),
                        };
                        if report.error != expected {
                            *fatal.lock().expect("lock") = Some(SolveError::VerificationFailed {
                                algorithm: "enumerate",
                                detail: format!(
                                    "leaf {rank}: computed error {expected}, verifier says {}",
                                    report.error
                                ),
                            });
                            done.store(true, Ordering::Relaxed);
                            break;
                        }
                        i.error = report.error;
                        i.network = network;
                        i.rank = rank;
                        last_improvement.fetch_max(offset + idx as u64, Ordering::Relaxed);
                        if reached(&i.error) {
                            done.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
            lps.fetch_add(std::mem::take(&mut my_lps), Ordering::Relaxed);
            ctx.reporter.report(|elapsed| {
                let examined = offset + solved.load(Ordering::Relaxed);
                Progress {
                    stage: "solving leaves",
                    nodes: examined,
                    lps: lps.load(Ordering::Relaxed),
                    depth: kk,
                    elapsed,
                    total: Some(kept),
                    open: window_len.saturating_sub(next.load(Ordering::Relaxed) as u64),
                    remaining: Progress::estimate(
                        examined - offset,
                        kept.saturating_sub(offset),
                        phase_start.elapsed(),
                    ),
                }
            });
        }
    };
    rayon::scope(|s| {
        for _ in 0..ctx.threads {
            s.spawn(|_| worker());
        }
    });
    if let Some(e) = fatal.into_inner().expect("lock") {
        return Err(e);
    }
    state.solved += solved.into_inner();
    state.infeasible += infeasible.into_inner();
    state.lps += lps.into_inner();
    state.dual_cut += dual_cut.into_inner();
    state.circ_cut += circ_cut.into_inner();
    state.last_improvement = last_improvement.into_inner();
    state.cut_reached = cut_reached.into_inner();
    state.goal_reached = reached(&inc.lock().expect("incumbent").error);
    if let Some(r) = stop_reason.into_inner().expect("lock") {
        state.stopped = Some(r);
    }
    Ok(())
}

/// The pair test for ReLU, `k = 2`, `gamma = 0`: in a leaf `{A, B}` the points outside
/// `P_A` have `phi = s_B [w_B . x + b_B]_+`, so a single ReLU of sign `s_B` must fit them
/// exactly (the single-neuron LP of [`crate::solve::single`], certified). `fits[x][t]`
/// records this for item `x` and sign index `t` (`0`: `+1`, `1`: `-1`); one LP per item and
/// sign, shared by all leaves containing the item.
struct PairTable {
    fits: Vec<[bool; 2]>,
    lps: u64,
}

impl PairTable {
    fn allows(&self, items: &[Item], a: usize, b: usize) -> bool {
        let t = |s: i8| usize::from(s < 0);
        self.fits[a][t(items[b].sign)] && self.fits[b][t(items[a].sign)]
    }
}

fn pair_table(
    data: &Data,
    items: &[Item],
    limits: &RunLimits,
    reporter: &Reporter,
) -> Result<PairTable, Stopped> {
    use super::single::{single_relu, SingleAnswer};
    let done = AtomicU64::new(0);
    let start = Instant::now();
    let rows: Vec<([bool; 2], u64)> = items
        .par_iter()
        .map(|it| {
            limits.check()?;
            let mut inside = vec![false; data.xs.len()];
            for &i in &it.inside {
                inside[i] = true;
            }
            let (xs, ys): (Vec<Vec<Rational>>, Vec<Rational>) = data
                .xs
                .iter()
                .zip(&data.ys)
                .zip(&inside)
                .filter(|(_, &ins)| !ins)
                .map(|((x, y), _)| (x.clone(), y.clone()))
                .unzip();
            let mut lps = 0;
            let mut out = [true; 2];
            for (t, signs) in [Signs::Convex, Signs::Concave].into_iter().enumerate() {
                // Anything but a checked "no" keeps the leaves (sound either way).
                out[t] = !matches!(single_relu(&xs, &ys, signs, &mut lps), SingleAnswer::No(_));
            }
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            reporter.report(|elapsed| Progress {
                stage: "pair test",
                nodes: finished,
                lps: 2 * finished,
                elapsed,
                total: Some(items.len() as u64),
                remaining: Progress::estimate(finished, items.len() as u64, start.elapsed()),
                ..Progress::default()
            });
            Ok((out, lps))
        })
        .collect::<Result<_, Stopped>>()?;
    Ok(PairTable {
        lps: rows.iter().map(|r| r.1).sum(),
        fits: rows.into_iter().map(|r| r.0).collect(),
    })
}

/// The circuits of an instance as one leaf sees them.
struct CircuitView<'a> {
    /// All circuits, largest value first.
    all: &'a [circuits::Circuit],
    /// Per neuron of the leaf: indices of the circuits inside its pattern.
    inside: &'a [&'a [u32]],
    /// Fewest points of any circuit.
    min_size: u32,
}

/// Does the class-wise lower bound of a ReLU leaf (`n <= 64`, fixed point, see
/// [`FIX_BITS`]; a lower bound on the exact one) reach `need`? Per activation class (the
/// points where exactly the neurons of `S` are active) the larger of its sign bound and its
/// circuit bound, summed over the classes (abs) or maximised (max).
fn class_bound_reaches(
    costs: &Costs,
    circ: &CircuitView<'_>,
    items: &[&Item],
    loss: Loss,
    need: i128,
) -> bool {
    let n_bits = costs.n();
    let valid = if n_bits >= 64 {
        u64::MAX
    } else {
        (1u64 << n_bits) - 1
    };
    let kk = items.len();
    // First the sign bounds of all classes (cheap), then the circuits class by class,
    // stopping as soon as the total reaches `need`.
    let mut classes: Vec<(u32, u64, i128)> = Vec::with_capacity(1 << kk);
    let mut total = 0i128;
    for s in 0u32..(1 << kk) {
        let mut class = valid;
        let (mut any_pos, mut any_neg) = (false, false);
        for (j, it) in items.iter().enumerate() {
            if s >> j & 1 == 1 {
                class &= it.bits[0];
                if it.sign > 0 {
                    any_pos = true;
                } else {
                    any_neg = true;
                }
            } else {
                class &= !it.bits[0];
            }
        }
        if class == 0 {
            continue;
        }
        let (p, q) = match (any_pos, any_neg) {
            (false, false) => (0, 0),
            (true, false) => (class, 0),
            (false, true) => (0, class),
            (true, true) => (class, class),
        };
        let sign = costs.bound_masked(&[p], &[q], class) << FIX_BITS;
        if loss == Loss::Max {
            total = total.max(sign);
        } else {
            total += sign;
        }
        if s != 0 {
            classes.push((s, class, sign));
        }
    }
    if total >= need {
        return true;
    }
    for (s, class, sign) in classes {
        // Only circuits inside the active pattern with the fewest of them can fit.
        let list = (0..kk)
            .filter(|j| s >> j & 1 == 1)
            .map(|j| circ.inside[j])
            .min_by_key(|l| l.len())
            .unwrap_or(&[]);
        let c = circuits::class_bound(
            list.iter().map(|&i| &circ.all[i as usize]),
            class,
            loss,
            circ.min_size,
        );
        if loss == Loss::Max {
            total = total.max(c);
        } else if c > sign {
            total += c - sign;
        }
        if total >= need {
            return true;
        }
    }
    false
}

/// Map enumeration counters onto the shared [`Stats`].
pub fn stats_of(s: &EnumStats) -> Stats {
    Stats {
        nodes: s.solved,
        lps: s.lps + s.pair_test_lps,
        rejected_by_bound: s.cut_by_bound + s.cut_by_incumbent + s.cut_by_pair_test,
        closed_by_farkas: s.infeasible,
        elapsed: s.elapsed,
        ..Stats::default()
    }
}

/// The certified [`Outcome`] of a complete (unsharded) search; `signs` is the output-sign
/// restriction the search ran under (ReLU), if any.
pub fn outcome(
    inst: &Instance,
    r: &SearchResult,
    optimize: bool,
    signs: Option<Signs>,
) -> Result<Outcome, SolveError> {
    let report = verify(inst, &r.best).map_err(|e| SolveError::VerificationFailed {
        algorithm: "enumerate",
        detail: e.to_string(),
    })?;
    if report.error != r.best_error {
        return Err(SolveError::VerificationFailed {
            algorithm: "enumerate",
            detail: format!(
                "recorded error {} but the verifier says {}",
                r.best_error, report.error
            ),
        });
    }
    let s = &r.stats;
    if report.passes() {
        let optimum = if (optimize && r.exhaustive) || report.error == Rational::ZERO {
            Some(report.error.clone())
        } else {
            None
        };
        return Ok(Outcome::Fit {
            network: r.best.clone(),
            report,
            optimum,
        });
    }
    if let Some((reason, phase)) = &r.stopped {
        let progress = if s.windows == 0 {
            format!("before solving any of its {} leaves", s.leaves)
        } else {
            format!(
                "after solving {} of the {} leaves that passed the bounds ({} leaves in all{})",
                s.solved,
                s.kept,
                s.leaves,
                if s.windows > 1 {
                    format!(", {} windows of candidates", s.windows)
                } else {
                    String::new()
                }
            )
        };
        let phase = if phase.is_empty() {
            String::new()
        } else {
            format!("{phase}: ")
        };
        let progress = format!(
            "{phase}the enumeration stopped {progress}, best error so far {}",
            r.best_error
        );
        return Ok(if optimize {
            Outcome::unknown_with_best(reason.clone(), progress, (r.best.clone(), report))
        } else {
            Outcome::unknown(reason.clone(), progress)
        });
    }
    let what = if inst.activation == Activation::Relu {
        "(dichotomy, output sign) pairs"
    } else {
        "dichotomies"
    };
    let evidence = Evidence::Enumeration {
        leaves: s.leaves,
        items: what,
        dichotomies: s.dichotomies,
        naive_leaves: s.naive_leaves,
        cut: s.cut_by_bound + s.cut_by_incumbent + s.cut_by_pair_test,
        solved: s.solved,
        lps: s.lps + s.pair_test_lps,
        least_error: optimize.then(|| r.best_error.clone()),
    };
    Ok(Outcome::NoFit {
        optimum: optimize.then(|| r.best_error.clone()),
        best: Some((r.best.clone(), report)),
        evidence,
        restricted_to: signs.filter(|_| inst.activation == Activation::Relu),
    })
}

/// `Algorithm::Enumerate`: the whole search (decision version unless `optimize`).
pub fn solve(
    inst: &Instance,
    settings: &SolveSettings,
    optimize: bool,
) -> Result<Solution, SolveError> {
    let opts = EnumerateOptions {
        shard: Shard::ALL,
        optimize,
        ..EnumerateOptions::default()
    };
    let r = search(inst, settings, &opts)?;
    let outcome = outcome(inst, &r, optimize, settings.signs)?;
    Ok(Solution {
        outcome,
        stats: stats_of(&r.stats),
        runs: vec![RunStats::Enumeration(r.stats.clone())],
        shard: None,
        all_fits: None,
    })
}
