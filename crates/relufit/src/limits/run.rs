//! Run-time limits of one run: a deadline, a cancellation flag and a memory budget, in one
//! small value ([`RunLimits`]) that every library function able to run long takes, and the
//! one way such a function says it was stopped ([`Stopped`]).
//!
//! A function checks [`RunLimits::check`] in every loop that can run long (hot loops through
//! a [`Ticker`], which reads the clock only every so many steps), and asks
//! [`RunLimits::reserve`] before an allocation that grows with the size of the search. The
//! solvers take their limits from [`crate::solve::SolveSettings`]
//! ([`crate::solve::SolveSettings::run_limits`]); the reductions, the decoders, the
//! verifier and the separability decision take a `&RunLimits` directly (their `*_within`
//! functions). `docs/limits.md` lists what each command honours.

use super::progress::{Observer, Progress, Reporter};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Why a run stopped before its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The time limit (this long) was reached.
    TimeLimit(Duration),
    /// The cancellation flag was set (Ctrl-C).
    Cancelled,
    /// Going on would need more memory than the budget.
    Memory {
        /// What would need it.
        what: String,
        /// Bytes it would need (an estimate).
        needed: u64,
        /// The budget in bytes.
        budget: u64,
    },
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stopped::TimeLimit(t) => write!(f, "time limit of {} reached", seconds(*t)),
            Stopped::Cancelled => f.write_str("interrupted"),
            Stopped::Memory { .. } => write!(f, "memory limit: {}", self.detail()),
        }
    }
}

impl Stopped {
    /// The message without its leading kind ("memory limit: "), for callers that name the
    /// kind themselves (a [`crate::solve::StopReason`]); the same as the display for the
    /// other kinds.
    pub fn detail(&self) -> String {
        match self {
            Stopped::Memory {
                what,
                needed,
                budget,
            } => format!(
                "{what} would need about {}, more than the budget of {} (--memory-limit)",
                bytes(*needed),
                bytes(*budget)
            ),
            other => other.to_string(),
        }
    }
}

impl std::error::Error for Stopped {}

/// `1.5 s`, `250 ms`.
fn seconds(t: Duration) -> String {
    if t < Duration::from_secs(1) {
        format!("{} ms", t.as_millis())
    } else {
        format!("{} s", (t.as_secs_f64() * 1000.0).round() / 1000.0)
    }
}

/// A byte count for messages: `512 MiB`, `3.2 GiB`.
pub fn bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} bytes")
    } else if v < 10.0 {
        format!("{v:.1} {}", UNITS[u])
    } else {
        format!("{v:.0} {}", UNITS[u])
    }
}

/// The default memory budget: half of the machine's physical memory (read from
/// `/proc/meminfo` once), or 4 GiB where that cannot be read.
pub fn default_memory_limit() -> usize {
    static DEFAULT: OnceLock<usize> = OnceLock::new();
    *DEFAULT.get_or_init(|| {
        let from_proc = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb.saturating_mul(1024) / 2)
        });
        from_proc.unwrap_or(4 << 30)
    })
}

/// The limits of one run: started at a fixed instant, with an optional time limit, an
/// optional cancellation flag and a memory budget. Cheap to clone; shared by the threads
/// of a run by reference.
#[derive(Debug, Clone)]
pub struct RunLimits {
    started: Instant,
    time_limit: Option<Duration>,
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
    memory: Option<usize>,
    /// Where progress reports go ([`RunLimits::report`]); shared by clones.
    progress: Option<Arc<Reporter>>,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits::none()
    }
}

impl RunLimits {
    /// No time limit and no cancellation, starting now; the default memory budget.
    pub fn none() -> Self {
        RunLimits::new(None, None)
    }

    /// Limits starting now: stop after `time_limit` or once `cancel` is set.
    pub fn new(time_limit: Option<Duration>, cancel: Option<Arc<AtomicBool>>) -> Self {
        let started = Instant::now();
        RunLimits {
            started,
            time_limit,
            // A limit too far away to represent is no limit.
            deadline: time_limit.and_then(|t| started.checked_add(t)),
            cancel,
            memory: None,
            progress: None,
        }
    }

    /// The same limits, reporting progress to `observer` ([`RunLimits::report`]; `None`:
    /// reports go nowhere). Elapsed times count from the start of these limits.
    pub fn with_observer(mut self, observer: Option<Arc<dyn Observer>>) -> Self {
        self.progress = observer.map(|o| Arc::new(Reporter::new(Some(o), self.started)));
        self
    }

    /// Report progress to the observer of [`RunLimits::with_observer`], if any: `make`
    /// builds the report from the elapsed time; at most ten reports per second go out (the
    /// others are dropped without calling `make`).
    pub fn report(&self, make: impl FnOnce(Duration) -> Progress) {
        if let Some(r) = &self.progress {
            r.report(make);
        }
    }

    /// The same limits with a memory budget of `bytes` (`None`: [`default_memory_limit`]).
    pub fn with_memory(mut self, bytes: Option<usize>) -> Self {
        self.memory = bytes;
        self
    }

    /// The same deadline and flag, with the clock of the time limit started at `started`
    /// (a command that counts its time from before it read its input).
    pub fn started_at(mut self, started: Instant) -> Self {
        self.started = started;
        self.deadline = self.time_limit.and_then(|t| started.checked_add(t));
        if let Some(r) = &self.progress {
            self.progress = Some(Arc::new(Reporter::new(r.observer(), started)));
        }
        self
    }

    /// `Err` once the run must stop: the cancellation flag is set or the deadline passed.
    pub fn check(&self) -> Result<(), Stopped> {
        if self.cancelled() {
            return Err(Stopped::Cancelled);
        }
        match (self.deadline, self.time_limit) {
            (Some(d), Some(t)) if Instant::now() >= d => Err(Stopped::TimeLimit(t)),
            _ => Ok(()),
        }
    }

    /// Whether the cancellation flag is set (no clock read).
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// When the run started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Time since the start.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The time limit, if any.
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }

    /// What is left of the time limit (`None`: no limit).
    pub fn remaining(&self) -> Option<Duration> {
        self.time_limit.map(|t| t.saturating_sub(self.elapsed()))
    }

    /// The cancellation flag, if any.
    pub fn cancel_flag(&self) -> Option<&Arc<AtomicBool>> {
        self.cancel.as_ref()
    }

    /// The memory budget in bytes.
    pub fn memory_budget(&self) -> usize {
        self.memory.unwrap_or_else(default_memory_limit)
    }

    /// `Err(Stopped::Memory)` if `needed` bytes (an estimate, for `what`) exceed the budget.
    pub fn reserve(&self, what: impl FnOnce() -> String, needed: u64) -> Result<(), Stopped> {
        let budget = self.memory_budget() as u64;
        if needed > budget {
            return Err(Stopped::Memory {
                what: what(),
                needed,
                budget,
            });
        }
        Ok(())
    }

    /// A [`Ticker`] that checks these limits every `every` steps.
    pub fn ticker(&self, every: u32) -> Ticker<'_> {
        Ticker {
            limits: self,
            every: every.max(1),
            count: 0,
        }
    }
}

/// Checks limits in a hot loop: [`Ticker::tick`] counts steps and checks the limits (a clock
/// read) every `every` steps, the cancellation flag alone in between.
#[derive(Debug)]
pub struct Ticker<'a> {
    limits: &'a RunLimits,
    every: u32,
    count: u32,
}

impl Ticker<'_> {
    /// One step; `Err` once the run must stop.
    #[inline]
    pub fn tick(&mut self) -> Result<(), Stopped> {
        self.count += 1;
        if self.count >= self.every {
            self.count = 0;
            return self.limits.check();
        }
        Ok(())
    }

    /// One step; `true` on the steps where the limits were checked (and passed), so that a
    /// caller can do its own periodic work (progress reports) at the same rate.
    #[inline]
    pub fn tick_and_report(&mut self) -> Result<bool, Stopped> {
        self.count += 1;
        if self.count >= self.every {
            self.count = 0;
            self.limits.check()?;
            return Ok(true);
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_stop_on_cancel_and_deadline() {
        assert_eq!(RunLimits::none().check(), Ok(()));
        let flag = Arc::new(AtomicBool::new(false));
        let l = RunLimits::new(None, Some(flag.clone()));
        assert_eq!(l.check(), Ok(()));
        flag.store(true, Ordering::Relaxed);
        assert_eq!(l.check(), Err(Stopped::Cancelled));
        let t = RunLimits::new(Some(Duration::ZERO), None);
        assert_eq!(t.check(), Err(Stopped::TimeLimit(Duration::ZERO)));
        assert!(t.check().unwrap_err().to_string().contains("time limit"));
        let far = RunLimits::new(Some(Duration::from_secs(u64::MAX)), None);
        assert_eq!(far.check(), Ok(()));
    }

    #[test]
    fn tickers_check_every_so_many_steps() {
        let t = RunLimits::new(Some(Duration::ZERO), None);
        let mut tick = t.ticker(3);
        assert!(tick.tick().is_ok());
        assert!(tick.tick().is_ok());
        assert!(tick.tick().is_err());
    }

    #[test]
    fn memory_reservations_name_what_and_how_much() {
        let l = RunLimits::none().with_memory(Some(1 << 20));
        assert!(l.reserve(|| "x".into(), 1 << 19).is_ok());
        let e = l.reserve(|| "the table".into(), 3 << 30).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("memory limit") && m.contains("the table"), "{m}");
        assert!(m.contains("3.0 GiB") && m.contains("1.0 MiB"), "{m}");
        assert_eq!(bytes(512), "512 bytes");
    }
}
