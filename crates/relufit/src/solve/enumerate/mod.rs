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
//! - symmetry ([`space`]): `k`-subsets of distinct non-empty items instead of ordered
//!   `k`-tuples of `2 (#dichotomies)` items;
//! - bounds ([`bounds`]): a bit-set lower bound per leaf (uncovered points cost their label;
//!   points covered only by `+1` ReLUs cannot go negative); leaves are handed out in order
//!   of increasing bound ([`candidates`]), so once the bound reaches the incumbent every
//!   remaining leaf is cut;
//! - the circuit bound for `abs`/`max` ([`circuits`]): affine dependencies inside one
//!   activation class bound its residuals, no LP needed;
//! - one checked dual bound per leaf against the incumbent; for `abs` and `gamma = 0` ReLU
//!   leaves through a `k (d + 1)`-row dual simplex with exact certificates ([`l1`]);
//! - early termination for the decision version (`error <= gamma`);
//! - parallel workers (rayon) and deterministic shards ([`Shard`]).

pub mod bounds;
pub mod candidates;
pub mod circuits;
pub mod l1;
pub mod leaf;
pub mod qp;
pub mod shard;
pub mod space;

pub use shard::{merge, ShardResult};
pub use space::Shard;

use super::settings::{Progress, Signs, Solution, SolveSettings, Stats};
use super::{Outcome, SolveError};
use crate::geometry::dichotomies;
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
    /// Use the circuit bound ([`circuits`]); `false` only to measure or cross-check it.
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
    /// Leaves cut by the pair test (ReLU, `k = 2`, `gamma = 0`): the points outside one
    /// neuron's pattern see only the other neuron, which must fit them alone.
    pub cut_by_pair_test: u64,
    /// Leaves closed by the circuit bound ([`circuits`], ReLU `abs`/`max`, `n <= 64`)
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
    /// failure), if it did; `None` for exhaustive runs and decision-version early stops.
    pub stopped: Option<String>,
    /// Whether `gamma` was reached.
    pub fit_found: bool,
    /// Counters.
    pub stats: EnumStats,
}

/// Why enumeration does not apply to `inst`, if it does not.
pub fn check_applicable(inst: &Instance) -> Result<(), SolveError> {
    inst.validate().map_err(SolveError::NotApplicable)?;
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

/// The items (dichotomy, sign) of the search for `inst`, in a fixed order; for ReLU,
/// `signs` restricts the output signs to `+1` (convex) or `-1` (concave).
pub fn items(inst: &Instance, signs: Option<Signs>) -> (Vec<Item>, u64) {
    let xs: Vec<&[Rational]> = inst.points.iter().map(|p| p.x.as_slice()).collect();
    let dich = dichotomies(&xs);
    let words = inst.len().div_ceil(64).max(1);
    let count = dich.len() as u64;
    let signs: &[i8] = match (inst.activation, signs) {
        (Activation::Relu, None) => &[1, -1],
        (Activation::Relu, Some(Signs::Convex)) => &[1],
        (Activation::Relu, Some(Signs::Concave)) => &[-1],
        (Activation::Threshold, _) => &[0],
    };
    let owned: Vec<Vec<Rational>> = xs.iter().map(|x| x.to_vec()).collect();
    let ints = l1::IntData::new(&owned, &vec![Rational::ZERO; owned.len()]);
    let mut out = Vec::new();
    for dc in dich.into_iter().filter(|dc| !dc.inside.is_empty()) {
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
    (out, count)
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
/// workers (0 or 1: one), `time_limit`, `cancel` and `observer`.
pub fn search(
    inst: &Instance,
    settings: &SolveSettings,
    opts: &EnumerateOptions,
) -> Result<SearchResult, SolveError> {
    check_applicable(inst)?;
    let start = Instant::now();
    let threads = settings.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SolveError::NotApplicable(format!("cannot start worker threads: {e}")))?;
    pool.install(|| search_in_pool(inst, settings, opts, start, threads))
}

fn search_in_pool(
    inst: &Instance,
    settings: &SolveSettings,
    opts: &EnumerateOptions,
    start: Instant,
    threads: usize,
) -> Result<SearchResult, SolveError> {
    let mut stats = EnumStats::default();
    let (items, dcount) = items(inst, settings.signs);
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
    // The zero network is in every leaf (for ReLU: (w, b) = 0 is feasible for every
    // pattern); it is the first incumbent.
    let zero = zero_network(inst);
    let zero_err = verify(inst, &zero)
        .map_err(|e| SolveError::NotApplicable(e.to_string()))?
        .error;
    let inc = Mutex::new(Incumbent {
        error: zero_err.clone(),
        network: zero,
        rank: u64::MAX,
    });
    let reached = |e: &Rational| !opts.optimize && *e <= inst.gamma;
    if reached(&zero_err) {
        stats.stopped_early = true;
        stats.elapsed = start.elapsed();
        let i = inc.into_inner().expect("incumbent");
        return Ok(SearchResult {
            best: i.network,
            best_error: i.error,
            exhaustive: false,
            stopped: None,
            fit_found: true,
            stats,
        });
    }
    // Phase 1: bounds of all leaves of the shard (parallel over the first item), keeping
    // those that might matter, sorted by (bound, rank).
    let cut0 = if opts.optimize {
        costs.cut_below(&zero_err)
    } else {
        costs.cut_above(&inst.gamma)
    };
    let relu = inst.activation == Activation::Relu;
    let pair = (relu && kk == 2 && goal == Goal::Exact).then(|| pair_table(&data, &items));
    if let Some(p) = &pair {
        stats.pair_test_lps = p.lps;
    }
    // Circuit bounds are summed in fixed point: units of 1 / (scale 2^FIX_BITS).
    let unit = costs.scale() * Rational::from(1u64 << FIX_BITS);
    let circ = match (relu, goal) {
        (true, Goal::Minimize(loss @ (Loss::Abs | Loss::Max))) if opts.circuit_bound => {
            circuits::circuits(
                &data.xs,
                &data.ys,
                data.ints.as_ref(),
                loss,
                200_000,
                3_000,
                &unit,
            )
        }
        _ => Vec::new(),
    };
    let min_size = circ.iter().map(|c| c.mask.count_ones()).min().unwrap_or(0);
    // Per item, the circuits inside its pattern (a class lies inside every active pattern).
    let inside_lists = if circ.is_empty() {
        Vec::new()
    } else {
        circuits::contained(&circ, items.iter().map(|it| it.bits[0]))
    };
    let words = costs.words;
    let shard = opts.shard;
    // Per first item: kept (bound, rank) pairs, leaves owned, leaves cut by the pair test.
    type Part = (candidates::Collector, u64, u64);
    let max_bound = costs.bound(&vec![0; words], &vec![0; words]);
    // Per item, its part of a pair's bit-set bound (ReLU, k = 2).
    let partials: Option<Vec<i128>> = (relu && kk == 2 && words == 1 && costs.has_pair_bound())
        .then(|| {
            items
                .iter()
                .map(|it| costs.item_partial(it.bits[0], it.sign))
                .collect()
        });
    let per_first: Vec<Part> = (0..m)
        .into_par_iter()
        .map(|first| {
            let mut keep = Candidates::collector(max_bound, stats.leaves);
            let mut owned = 0u64;
            let mut paircut = 0u64;
            let mut pos = vec![0u64; words];
            let mut neg = vec![0u64; words];
            if kk == 2 && words == 1 {
                // The common case without the generic walk: pairs {first, c}, whose ranks
                // are consecutive.
                let base = space::first_rank(m, 2, first);
                let a = &items[first];
                let split = |it: &Item| -> (u64, u64) {
                    match (relu, it.sign > 0) {
                        (false, _) => (it.bits[0], it.bits[0]),
                        (true, true) => (it.bits[0], 0),
                        (true, false) => (0, it.bits[0]),
                    }
                };
                let (ap, aq) = split(a);
                for c in first + 1..m {
                    let rank = base + (c - first - 1) as u64;
                    if !shard.owns(rank) {
                        continue;
                    }
                    owned += 1;
                    let b = &items[c];
                    let bound = if let Some(partial) = &partials {
                        costs.pair_bound(
                            partial[first],
                            a.sign,
                            partial[c],
                            b.sign,
                            a.bits[0] & b.bits[0],
                        )
                    } else {
                        let (bp, bq) = split(b);
                        costs.bound(&[ap | bp], &[aq | bq])
                    };
                    if bound > cut0 {
                        continue;
                    }
                    if let Some(p) = &pair {
                        if !p.allows(&items, first, c) {
                            paircut += 1;
                            continue;
                        }
                    }
                    keep.push(bound, rank);
                }
                return (keep, owned, paircut);
            }
            space::for_each_with_first(m, kk, first, &mut |_| true, &mut |leaf, rank| {
                if !shard.owns(rank) {
                    return;
                }
                owned += 1;
                pos.iter_mut().for_each(|w| *w = 0);
                neg.iter_mut().for_each(|w| *w = 0);
                for &c in leaf {
                    let it = &items[c];
                    let target = if !relu || it.sign > 0 {
                        &mut pos
                    } else {
                        &mut neg
                    };
                    for (t, b) in target.iter_mut().zip(&it.bits) {
                        *t |= b;
                    }
                    if !relu {
                        for (t, b) in neg.iter_mut().zip(&it.bits) {
                            *t |= b;
                        }
                    }
                }
                let bound = costs.bound(&pos, &neg);
                if bound > cut0 {
                    return;
                }
                if let Some(p) = &pair {
                    if !p.allows(&items, leaf[0], leaf[1]) {
                        paircut += 1;
                        return;
                    }
                }
                keep.push(bound, rank);
            });
            (keep, owned, paircut)
        })
        .collect();
    stats.shard_leaves = per_first.iter().map(|(_, o, _)| o).sum();
    stats.cut_by_pair_test = per_first.iter().map(|(_, _, c)| c).sum();
    let kept: usize = per_first.iter().map(|(k, _, _)| k.len()).sum();
    stats.cut_by_bound = stats.shard_leaves - stats.cut_by_pair_test - kept as u64;
    let cands = Candidates::new(per_first.into_iter().map(|(k, _, _)| k).collect());
    stats.bound_time = start.elapsed() - stats.dichotomy_time;

    // Phase 2: solve leaves in order of increasing bound.
    let next = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let solved = AtomicU64::new(0);
    let infeasible = AtomicU64::new(0);
    let lps = AtomicU64::new(0);
    let cut_inc = AtomicU64::new(0);
    let dual_cut = AtomicU64::new(0);
    let circ_cut = AtomicU64::new(0);
    let last_improvement = AtomicU64::new(0);
    let stop_reason: Mutex<Option<String>> = Mutex::new(None);
    let fatal: Mutex<Option<SolveError>> = Mutex::new(None);
    let last_report = Mutex::new(Instant::now());
    let total = cands.len() as u64;
    let worker = || {
        let mut my_lps = 0u64;
        // The last cutoff seen and its fixed-point form (recomputed when it changes).
        let mut my_cut: Option<(Rational, i128)> = None;
        loop {
            if done.load(Ordering::Relaxed) {
                break;
            }
            if let Some(limit) = settings.time_limit {
                if start.elapsed() >= limit {
                    *stop_reason.lock().expect("lock") = Some(format!(
                        "time limit of {:.1} s reached",
                        limit.as_secs_f64()
                    ));
                    done.store(true, Ordering::Relaxed);
                    break;
                }
            }
            if settings
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
            {
                *stop_reason.lock().expect("lock") = Some("cancelled".into());
                done.store(true, Ordering::Relaxed);
                break;
            }
            let idx = next.fetch_add(1, Ordering::Relaxed);
            let Some((bound, rank)) = cands.get(idx) else {
                break;
            };
            let cut = {
                let i = inc.lock().expect("incumbent");
                if opts.optimize {
                    costs.cut_below(&i.error)
                } else {
                    cut0.min(costs.cut_below(&i.error))
                }
            };
            if bound > cut {
                // Sorted by bound: everything from here on is cut as well.
                let rest = total.saturating_sub(idx as u64);
                cut_inc.fetch_max(rest, Ordering::Relaxed);
                done.store(true, Ordering::Relaxed);
                break;
            }
            let leaf_ids = space::unrank(m, kk, rank);
            let leaf_items: Vec<&Item> = leaf_ids.iter().map(|&c| &items[c]).collect();
            let cutoff = match goal {
                Goal::Exact => None,
                Goal::Minimize(_) => Some(inc.lock().expect("incumbent").error.clone()),
            };
            if let (Some(t), false) = (&cutoff, circ.is_empty()) {
                // Fixed-point bound >= ceil(t unit) implies the exact bound is >= t.
                if my_cut.as_ref().is_none_or(|(c, _)| c != t) {
                    let need = i128::try_from((t * &unit).ceil()).unwrap_or(i128::MAX);
                    my_cut = Some((t.clone(), need));
                }
                let need = my_cut.as_ref().map_or(i128::MAX, |(_, n)| *n);
                let lists: Vec<&[u32]> = leaf_ids
                    .iter()
                    .map(|&c| inside_lists[c].as_slice())
                    .collect();
                let circ_view = CircuitView {
                    all: &circ,
                    inside: &lists,
                    min_size,
                };
                if class_bound_reaches(&costs, &circ_view, &leaf_items, inst.loss, need) {
                    circ_cut.fetch_add(1, Ordering::Relaxed);
                    solved.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
            }
            let answer = if relu {
                leaf::relu_leaf(&data, &leaf_items, goal, cutoff.as_ref(), &mut my_lps)
            } else {
                leaf::threshold_leaf(&data, &leaf_items, goal, &mut my_lps)
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
                    *stop_reason.lock().expect("lock") = Some(format!(
                        "a certificate failed its exact check at leaf {rank}: {reason}"
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
                        last_improvement.fetch_max(idx as u64, Ordering::Relaxed);
                        if reached(&i.error) {
                            done.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
            lps.fetch_add(std::mem::take(&mut my_lps), Ordering::Relaxed);
            if let Some(obs) = &settings.observer {
                let mut last = last_report.lock().expect("lock");
                if last.elapsed() >= Duration::from_millis(100) {
                    *last = Instant::now();
                    obs.progress(&Progress {
                        nodes: solved.load(Ordering::Relaxed),
                        lps: lps.load(Ordering::Relaxed),
                        depth: kk,
                        elapsed: start.elapsed(),
                        total: Some(total),
                    });
                }
            }
        }
    };
    rayon::scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| worker());
        }
    });
    if let Some(e) = fatal.into_inner().expect("lock") {
        return Err(e);
    }
    let i = inc.into_inner().expect("incumbent");
    stats.solved = solved.into_inner();
    stats.infeasible = infeasible.into_inner();
    stats.lps = lps.into_inner();
    stats.cut_by_incumbent = cut_inc.into_inner();
    stats.cut_by_dual_bound = dual_cut.into_inner();
    stats.cut_by_circuits = circ_cut.into_inner();
    stats.last_improvement = last_improvement.into_inner();
    let stopped = stop_reason.into_inner().expect("lock");
    let fit_found = i.error <= inst.gamma;
    stats.stopped_early = !opts.optimize && fit_found;
    let exhaustive = stopped.is_none() && !stats.stopped_early;
    stats.elapsed = start.elapsed();
    Ok(SearchResult {
        best: i.network,
        best_error: i.error,
        exhaustive,
        stopped,
        fit_found,
        stats,
    })
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

fn pair_table(data: &Data, items: &[Item]) -> PairTable {
    use super::single::{single_relu, SingleAnswer};
    let rows: Vec<([bool; 2], u64)> = items
        .par_iter()
        .map(|it| {
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
            (out, lps)
        })
        .collect();
    PairTable {
        lps: rows.iter().map(|r| r.1).sum(),
        fits: rows.into_iter().map(|r| r.0).collect(),
    }
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

/// Fixed-point bits of the circuit bound: it is summed in units of `1 / (scale 2^FIX_BITS)`
/// (`scale` = the labels' common denominator), each circuit rounded down.
const FIX_BITS: u32 = 24;

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
    if let Some(reason) = &r.stopped {
        return Ok(Outcome::Unknown {
            reason: format!(
                "{reason}; the enumeration had solved {} of {} leaves, best error so far {}",
                s.solved, s.shard_leaves, r.best_error
            ),
        });
    }
    let what = if inst.activation == Activation::Relu {
        "(dichotomy, output sign) pairs"
    } else {
        "dichotomies"
    };
    let evidence = format!(
        "enumerated all {} leaves (k-subsets of {what} over the {} dichotomies of the data; \
         naive count {}): {} were cut by exact loss bounds, {} convex problems were solved \
         exactly ({} LPs, every certificate checked){}",
        s.leaves,
        s.dichotomies,
        s.naive_leaves,
        s.cut_by_bound + s.cut_by_incumbent + s.cut_by_pair_test,
        s.solved,
        s.lps + s.pair_test_lps,
        if optimize {
            format!("; the least error is {}", r.best_error)
        } else {
            "; no leaf reaches gamma".into()
        }
    );
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
    })
}
