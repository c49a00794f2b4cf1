//! One pass of the enumeration over its whole leaf space: the bit-set bound (and the pair
//! test) of every leaf of the shard, keeping the keys `(bound, rank)` of one window of
//! surviving leaves in bounded memory ([`super::candidates`]).
//!
//! Workers pull the leaves' first items from a shared counter (the leaves with one first
//! item have consecutive ranks). Every [`CHECK_EVERY`] leaves a worker checks the limits
//! (time, cancellation), publishes its count and may report progress; a stopped worker
//! stops the others at their next check.

use super::bounds::Costs;
use super::candidates::{Candidates, Collector, Key};
use super::leaf::Item;
use super::space;
use super::PairTable;
use crate::limits::{RunLimits, Stopped};
use crate::solve::settings::{Progress, Reporter};
use crate::solve::shard::Shard;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Leaves bounded between two checks of the limits (a few tens of microseconds).
pub(super) const CHECK_EVERY: u32 = 4096;

/// The leaf space and how a leaf is bounded.
pub(super) struct LeafSpace<'a> {
    /// The items (dichotomy, sign).
    pub items: &'a [Item],
    /// Per-point costs of the bit-set bound.
    pub costs: &'a Costs,
    /// ReLU (signs matter) or threshold.
    pub relu: bool,
    /// Items per leaf.
    pub k: usize,
    /// The part of the search to do.
    pub shard: Shard,
    /// The pair test (ReLU, `k = 2`, `gamma = 0`).
    pub pair: Option<&'a PairTable>,
    /// Per item, its part of a pair's bound (ReLU, `k = 2`, single-word sets).
    pub partials: Option<&'a [i128]>,
    /// Number of leaves of the whole search.
    pub leaves: u64,
}

/// What one pass counted.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PassCounts {
    /// Leaves of the shard.
    pub owned: u64,
    /// Leaves with a bound `<= cut` closed by the pair test.
    pub pair_cut: u64,
    /// Leaves with a bound `<= cut` that passed the pair test (in this window or not).
    pub passed: u64,
}

/// How a pass runs.
pub(super) struct PassSettings<'a> {
    /// Keep leaves with bounds `<= cut` only.
    pub cut: i128,
    /// Keys `<= lower` belong to earlier windows.
    pub lower: Option<Key>,
    /// Pack keys into one `u64`.
    pub pack: bool,
    /// Keys per worker at most.
    pub cap: usize,
    /// Workers.
    pub threads: usize,
    /// Limits of the run.
    pub limits: &'a RunLimits,
    /// Progress reports.
    pub reporter: &'a Reporter,
    /// Which window this pass collects (1 = the first).
    pub window: u64,
}

enum Halt {
    Stopped(Stopped),
    /// Another worker stopped.
    Other,
}

/// Bound every leaf of the shard and collect the window `(lower, upper]` of surviving keys;
/// `Err` if the limits stopped the pass, with the leaves bounded so far.
pub(super) fn run(
    space: &LeafSpace<'_>,
    ps: &PassSettings<'_>,
) -> Result<(Candidates, PassCounts), (Stopped, u64)> {
    let m = space.items.len();
    let next = AtomicUsize::new(0);
    let halt = AtomicBool::new(false);
    let visited = AtomicU64::new(0);
    let stopped: Mutex<Option<Stopped>> = Mutex::new(None);
    let parts: Mutex<Vec<(Collector, PassCounts)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    let worker = || {
        let mut keep = Collector::new(ps.pack, ps.lower, ps.cap);
        let mut counts = PassCounts::default();
        let mut steps = 0u32;
        // Every CHECK_EVERY leaves: publish the count, check the limits, report.
        let mut tick = || -> Result<(), Halt> {
            steps += 1;
            if steps < CHECK_EVERY {
                return Ok(());
            }
            steps = 0;
            let done = visited.fetch_add(u64::from(CHECK_EVERY), Ordering::Relaxed);
            if halt.load(Ordering::Relaxed) {
                return Err(Halt::Other);
            }
            ps.limits.check().map_err(Halt::Stopped)?;
            ps.reporter.report(|elapsed| Progress {
                stage: if ps.window == 1 {
                    "bounding leaves"
                } else {
                    "bounding leaves (next window)"
                },
                nodes: done,
                depth: space.k,
                elapsed,
                total: Some(space.leaves),
                remaining: Progress::estimate(done, space.leaves, started.elapsed()),
                ..Progress::default()
            });
            Ok(())
        };
        let result = loop {
            let first = next.fetch_add(1, Ordering::Relaxed);
            if first >= m {
                break Ok(());
            }
            if let Err(h) = bound_first(space, ps, first, &mut keep, &mut counts, &mut tick) {
                break Err(h);
            }
        };
        match result {
            Err(Halt::Stopped(s)) => {
                halt.store(true, Ordering::Relaxed);
                stopped.lock().expect("lock").get_or_insert(s);
            }
            Err(Halt::Other) => {}
            Ok(()) => parts.lock().expect("lock").push((keep, counts)),
        }
    };
    rayon::scope(|s| {
        for _ in 0..ps.threads {
            s.spawn(|_| worker());
        }
    });
    if let Some(s) = stopped.into_inner().expect("lock") {
        return Err((s, visited.into_inner()));
    }
    let parts = parts.into_inner().expect("lock");
    let mut total = PassCounts::default();
    for (_, c) in &parts {
        total.owned += c.owned;
        total.pair_cut += c.pair_cut;
        total.passed += c.passed;
    }
    let cands = Candidates::new(parts.into_iter().map(|(k, _)| k).collect());
    Ok((cands, total))
}

/// The leaves whose first item is `first`.
fn bound_first(
    space: &LeafSpace<'_>,
    ps: &PassSettings<'_>,
    first: usize,
    keep: &mut Collector,
    counts: &mut PassCounts,
    tick: &mut impl FnMut() -> Result<(), Halt>,
) -> Result<(), Halt> {
    let (items, costs, relu) = (space.items, space.costs, space.relu);
    let m = items.len();
    let words = costs.words;
    let cut = ps.cut;
    if space.k == 2 && words == 1 {
        // The common case without the generic walk: pairs {first, c}, whose ranks are
        // consecutive.
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
            tick()?;
            let rank = base + (c - first - 1) as u64;
            if !space.shard.owns(rank) {
                continue;
            }
            counts.owned += 1;
            let b = &items[c];
            let bound = if let Some(partial) = space.partials {
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
            if bound > cut {
                continue;
            }
            if let Some(p) = space.pair {
                if !p.allows(items, first, c) {
                    counts.pair_cut += 1;
                    continue;
                }
            }
            counts.passed += 1;
            keep.push(bound, rank);
        }
        return Ok(());
    }
    let mut pos = vec![0u64; words];
    let mut neg = vec![0u64; words];
    let mut halted = None;
    space::for_each_with_first(m, space.k, first, &mut |_| true, &mut |leaf, rank| {
        if let Err(h) = tick() {
            halted = Some(h);
            return false;
        }
        if !space.shard.owns(rank) {
            return true;
        }
        counts.owned += 1;
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
        if bound > cut {
            return true;
        }
        if let Some(p) = space.pair {
            if !p.allows(items, leaf[0], leaf[1]) {
                counts.pair_cut += 1;
                return true;
            }
        }
        counts.passed += 1;
        keep.push(bound, rank);
        true
    });
    match halted {
        Some(h) => Err(h),
        None => Ok(()),
    }
}
