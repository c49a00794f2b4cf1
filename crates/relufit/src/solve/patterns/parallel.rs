//! The search of one run on several threads: work sharing over [`Sharing`].
//!
//! Every thread runs its own [`Searcher`] (its own LPs, counters and precision state) on
//! subtrees taken from a shared queue; a busy thread gives away the largest subtree at hand
//! whenever another thread waits ([`Sharing`]). The first leaf stops every thread; the run
//! is exhausted only when every thread finished and nothing is left in the queue, so a
//! "no" still means that every subtree was closed by checked certificates, in some thread.

use super::search::{Leaf, SearchStats, Searcher, Sharing, Stop};
use crate::limits::RunLimits;
use crate::solve::progress::SearchTotals;
use crate::solve::settings::Observer;
use crate::solve::system::Problem;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
    if threads <= 1 {
        let mut searcher = Searcher::new(prob, limits, observer, memory_budget);
        let mut leaf = None;
        let result = searcher.run(&mut |l| {
            leaf = Some(l);
            false
        });
        return RunResult {
            result,
            leaf,
            stats: searcher.finish(),
        };
    }
    // The threads stop on their own deadline, and on `stop`: set by the first leaf, by a
    // thread that had to stop, or (relayed below) by the caller's cancellation.
    let stop = Arc::new(AtomicBool::new(false));
    let thread_limits = RunLimits::new(limits.time_limit(), Some(stop.clone()))
        .started_at(limits.started())
        .with_memory(Some(limits.memory_budget()));
    let share = (memory_budget / threads).max(1);
    let totals = Arc::new(SearchTotals::default());
    let first = Searcher::new(prob, &thread_limits, observer, share).with_totals(totals.clone());
    let sharing = Sharing::new(threads, &first);
    let leaf: Mutex<Option<Leaf>> = Mutex::new(None);
    let stats: Mutex<SearchStats> = Mutex::new(SearchStats::default());
    let stopped: Mutex<Option<Stop>> = Mutex::new(None);
    let finished = AtomicUsize::new(0);
    let mut first = Some(first);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let mut searcher = first.take().unwrap_or_else(|| {
                Searcher::new(prob, &thread_limits, None, share).with_totals(totals.clone())
            });
            let (sharing, stop, leaf, stats, stopped, finished) =
                (&sharing, &stop, &leaf, &stats, &stopped, &finished);
            scope.spawn(move || {
                // Counted finished and stopping the others even if the search panics (a
                // bug): the others then leave instead of waiting for its work.
                let _finish = Finish { finished, stop };
                let polled = || stop.load(Ordering::Relaxed);
                let r = searcher.run_shared(sharing, &polled, &mut |l| {
                    if let Ok(mut slot) = leaf.lock() {
                        slot.get_or_insert(l);
                    }
                    stop.store(true, Ordering::Relaxed);
                    false
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
    let leaf = leaf.into_inner().ok().flatten();
    let stopped = stopped.into_inner().ok().flatten();
    let result = match (&leaf, stopped) {
        (Some(_), _) => Ok(false),
        (None, Some(s)) => Err(s),
        (None, None) if limits.cancelled() => Err(Stop::Cancelled),
        (None, None) => Ok(true),
    };
    RunResult {
        result,
        leaf,
        stats: stats.into_inner().unwrap_or_default(),
    }
}
