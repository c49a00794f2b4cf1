//! The search of one run on several threads: work sharing over [`Sharing`].
//!
//! Every thread runs its own [`Searcher`] (its own LPs, counters and precision state) on
//! subtrees taken from a shared queue; a busy thread gives away the largest subtree at hand
//! whenever another thread waits ([`Sharing`]). The first leaf stops every thread (an
//! exact fit), or every leaf lowers a bound they share ([`SharedBound`]: the branch and
//! bound of the `abs` and `max` losses); the run is exhausted only when every thread
//! finished and nothing is left in the queue, so a "no" still means that every subtree was
//! closed by checked certificates, in some thread.

use super::search::{Leaf, SearchStats, Searcher, Sharing, Stop};
use crate::limits::RunLimits;
use crate::num::Rational;
use crate::solve::progress::SearchTotals;
use crate::solve::settings::Observer;
use crate::solve::system::Problem;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Marks a thread finished when it ends, however it ends; a thread that ends by a panic
/// also stops the others.
struct Finish<'a> {
    finished: &'a AtomicUsize,
    stop: &'a AtomicBool,
}

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.stop.store(true, Ordering::Relaxed);
        }
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

/// What one run established.
pub(super) struct RunResult {
    /// `Ok(true)`: exhausted without a leaf; `Ok(false)`: stopped at `leaf`; `Err`: limits.
    pub result: Result<bool, Stop>,
    /// The leaf found, if any.
    pub leaf: Option<Leaf>,
    /// Counters of all threads.
    pub stats: SearchStats,
}

/// Search `prob` for one leaf with `threads` threads (1: the plain sequential search).
/// `memory_budget` is the whole run's; each thread gets its share.
pub(super) fn find_leaf(
    prob: &Problem,
    limits: &RunLimits,
    observer: Option<Arc<dyn Observer>>,
    memory_budget: usize,
    threads: usize,
) -> RunResult {
    let leaf: Mutex<Option<Leaf>> = Mutex::new(None);
    let (result, stats) = search(
        prob,
        limits,
        observer,
        (memory_budget, threads),
        &|searcher| searcher,
        &|l| {
            if let Ok(mut slot) = leaf.lock() {
                slot.get_or_insert(l);
            }
            false
        },
    );
    RunResult {
        result,
        leaf: leaf.into_inner().ok().flatten(),
        stats,
    }
}

/// The incumbent of a branch and bound, shared by its threads: each prunes against the
/// least loss any of them has found (a valid bound for all: it only ever decreases).
pub(super) struct SharedBound {
    upper: Mutex<Rational>,
    /// Bumped at every improvement, so that a thread reads the bound only when it changed.
    version: AtomicU64,
}

impl SharedBound {
    /// A bound starting at `upper`.
    pub(super) fn new(upper: Rational) -> Arc<Self> {
        Arc::new(SharedBound {
            upper: Mutex::new(upper),
            version: AtomicU64::new(0),
        })
    }

    /// Lower the bound to `v` if that is lower.
    pub(super) fn offer(&self, v: &Rational) {
        if let Ok(mut u) = self.upper.lock() {
            if *v < *u {
                *u = v.clone();
                self.version.fetch_add(1, Ordering::Release);
            }
        }
    }

    /// The bound if it changed since version `seen` (which is updated).
    pub(super) fn newer(&self, seen: &mut u64) -> Option<Rational> {
        let v = self.version.load(Ordering::Acquire);
        if v == *seen {
            return None;
        }
        *seen = v;
        self.upper.lock().ok().map(|u| u.clone())
    }

    /// The bound now.
    pub(super) fn get(&self) -> Option<Rational> {
        self.upper.lock().ok().map(|u| u.clone())
    }
}

/// Search `prob` with `threads` threads (1: the plain sequential search), every searcher
/// made by `configure` from a plain one; `on_leaf` is called for every leaf, from the
/// thread that found it, and `false` stops every thread. Returns `Ok(true)` when the tree
/// was exhausted, `Ok(false)` when `on_leaf` stopped it, and the counters of all threads.
/// `memory_budget` is the whole run's; each thread gets its share.
pub(super) fn search<'p>(
    prob: &'p Problem,
    limits: &RunLimits,
    observer: Option<Arc<dyn Observer>>,
    (memory_budget, threads): (usize, usize),
    configure: &(dyn Fn(Searcher<'p>) -> Searcher<'p> + Sync),
    on_leaf: &(dyn Fn(Leaf) -> bool + Sync),
) -> (Result<bool, Stop>, SearchStats) {
    if threads <= 1 {
        let mut searcher = configure(Searcher::new(prob, limits, observer, memory_budget));
        let result = searcher.run(&mut |l| on_leaf(l));
        return (result, searcher.finish());
    }
    // The threads stop on their own deadline, and on `stop`: set when `on_leaf` says so, by
    // a thread that had to stop, or (relayed below) by the caller's cancellation.
    let stop = Arc::new(AtomicBool::new(false));
    let thread_limits = RunLimits::new(limits.time_limit(), Some(stop.clone()))
        .started_at(limits.started())
        .with_memory(Some(limits.memory_budget()));
    let share = (memory_budget / threads).max(1);
    let totals = Arc::new(SearchTotals::default());
    let first =
        configure(Searcher::new(prob, &thread_limits, observer, share).with_totals(totals.clone()));
    let sharing = Sharing::new(threads, &first);
    let stats: Mutex<SearchStats> = Mutex::new(SearchStats::default());
    let stopped: Mutex<Option<Stop>> = Mutex::new(None);
    let by_leaf = AtomicBool::new(false);
    let finished = AtomicUsize::new(0);
    let mut first = Some(first);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let mut searcher = first.take().unwrap_or_else(|| {
                configure(
                    Searcher::new(prob, &thread_limits, None, share).with_totals(totals.clone()),
                )
            });
            let (sharing, stop, by_leaf, stats, stopped, finished) =
                (&sharing, &stop, &by_leaf, &stats, &stopped, &finished);
            scope.spawn(move || {
                // Counted finished and stopping the others even if the search panics (a
                // bug): the others then leave instead of waiting for its work.
                let _finish = Finish { finished, stop };
                let polled = || stop.load(Ordering::Relaxed);
                let r = searcher.run_shared(sharing, &polled, &mut |l| {
                    let go_on = on_leaf(l);
                    if !go_on {
                        by_leaf.store(true, Ordering::SeqCst);
                        stop.store(true, Ordering::Relaxed);
                    }
                    go_on
                });
                if let Err(s) = r {
                    // A thread stopped by `stop` (another's leaf or stop) has nothing to add.
                    if !matches!(s, Stop::Cancelled) {
                        if let Ok(mut slot) = stopped.lock() {
                            slot.get_or_insert(s);
                        }
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                if let Ok(mut total) = stats.lock() {
                    total.merge(&searcher.finish());
                }
            });
        }
        // Relay the caller's cancellation to the threads.
        while finished.load(Ordering::SeqCst) < threads {
            if limits.cancelled() {
                stop.store(true, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    });
    let stopped = stopped.into_inner().ok().flatten();
    let result = match (by_leaf.load(Ordering::SeqCst), stopped) {
        (true, _) => Ok(false),
        (false, Some(s)) => Err(s),
        (false, None) if limits.cancelled() => Err(Stop::Cancelled),
        (false, None) => Ok(true),
    };
    (result, stats.into_inner().unwrap_or_default())
}
