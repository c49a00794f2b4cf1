//! Progress of long runs: what a run reports ([`Progress`]), who receives it
//! ([`Observer`]), and the throttle between them (`Reporter`, at most ten reports per
//! second). A solver takes its observer from its settings; every other function with
//! run-time limits takes it from its [`super::RunLimits`] ([`super::RunLimits::report`]).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A snapshot of a running search, handed to the [`Observer`].
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// What the solver is doing, in a few words (`"bounding leaves"`, `"solving leaves"`,
    /// `"search"`, `"dichotomies"`); empty when it does one thing only.
    pub stage: &'static str,
    /// Work units done so far: search-tree nodes visited, leaves solved, or (for a
    /// preprocessing stage) items processed.
    pub nodes: u64,
    /// LPs solved so far.
    pub lps: u64,
    /// Depth of the node being processed (the enumeration: the width `k` of its leaves).
    pub depth: usize,
    /// Wall time since the start.
    pub elapsed: Duration,
    /// Total work units of the current stage when known in advance (leaves of the
    /// enumeration, items of a preprocessing stage).
    pub total: Option<u64>,
    /// Pending work: open nodes (branches generated but not yet explored) of a tree search,
    /// or leaves still to examine in the enumeration's current window.
    pub open: u64,
    /// An estimate of the remaining wall time of the current stage, when the solver can
    /// make one (from the rate so far and the work left; an upper estimate where pruning
    /// can end the stage early).
    pub remaining: Option<Duration>,
}

impl Progress {
    /// A stage that counts `done` of `total` units (known in advance) after `elapsed`, with
    /// the estimate of the time left at the current rate ([`Progress::estimate`]).
    pub fn counted(stage: &'static str, done: u64, total: u64, elapsed: Duration) -> Progress {
        Progress {
            stage,
            nodes: done,
            total: Some(total),
            elapsed,
            remaining: Progress::estimate(done, total, elapsed),
            ..Progress::default()
        }
    }

    /// The remaining time at the current rate: `done` of `total` units in `elapsed` (`None`
    /// before any progress).
    pub fn estimate(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
        if done == 0 || total < done {
            return None;
        }
        let per_unit = elapsed.as_secs_f64() / done as f64;
        let left = per_unit * (total - done) as f64;
        (left.is_finite() && left < 1e12).then(|| Duration::from_secs_f64(left))
    }
}

/// Receives progress reports from long runs (about ten per second at most). Implementations
/// must be cheap; the CLI renders them on stderr.
pub trait Observer: Send + Sync {
    /// Called periodically during a search.
    fn progress(&self, progress: &Progress);
}

/// Sends [`Progress`] to an optional [`Observer`] at most ten times per second, from any
/// thread (a busy reporter is skipped, never waited for).
pub(crate) struct Reporter {
    observer: Option<Arc<dyn Observer>>,
    start: Instant,
    last: Mutex<Option<Instant>>,
}

impl Reporter {
    /// Its observer.
    pub(crate) fn observer(&self) -> Option<Arc<dyn Observer>> {
        self.observer.clone()
    }

    /// A reporter whose elapsed times count from `start`.
    pub(crate) fn new(observer: Option<Arc<dyn Observer>>, start: Instant) -> Self {
        Reporter {
            observer,
            start,
            last: Mutex::new(None),
        }
    }

    /// Report the progress `make` builds (given the elapsed time), unless a report went out
    /// less than 100 ms ago.
    pub(crate) fn report(&self, make: impl FnOnce(Duration) -> Progress) {
        let Some(obs) = &self.observer else { return };
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        obs.progress(&make(self.start.elapsed()));
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reporter")
            .field("observed", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}
