//! Settings, statistics, progress observation and the solution type of [`super::solve_with`].

use super::{Algorithm, Outcome};
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// Sign class of the output weights for ExactFit (Theorem 11 and its concave analogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signs {
    /// All `a_j = +1`: `phi` is convex.
    Convex,
    /// All `a_j = -1`: `phi` is concave.
    Concave,
}

impl Signs {
    /// `convex` or `concave`.
    pub fn name(self) -> &'static str {
        match self {
            Signs::Convex => "convex",
            Signs::Concave => "concave",
        }
    }
}

impl fmt::Display for Signs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A snapshot of a running search, handed to the [`Observer`].
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Search-tree nodes visited so far.
    pub nodes: u64,
    /// LPs solved so far.
    pub lps: u64,
    /// Depth of the node being processed.
    pub depth: usize,
    /// Wall time since the start.
    pub elapsed: Duration,
    /// Total work units (nodes) when known in advance, for an estimate of the remaining work.
    pub total: Option<u64>,
}

/// Receives progress reports from long runs (about ten per second at most). Implementations
/// must be cheap; the CLI renders them on stderr.
pub trait Observer: Send + Sync {
    /// Called periodically during a search.
    fn progress(&self, progress: &Progress);
}

/// How to solve.
#[derive(Clone, Default)]
pub struct SolveSettings {
    /// Which algorithm.
    pub algorithm: Algorithm,
    /// ExactFit's sign class; `None` lets `Auto` try both and ExactFit default to convex.
    pub signs: Option<Signs>,
    /// Stop with [`Outcome::Unknown`] after this much wall time.
    pub time_limit: Option<Duration>,
    /// Worker threads for ExactFit's subtrees (0 or 1: sequential).
    pub threads: usize,
    /// Compute the exact least error instead of deciding `error <= gamma` (the enumeration;
    /// the pattern search for the `abs` and `max` losses).
    pub optimize: bool,
    /// Stop with [`Outcome::Unknown`] instead of letting a solver's memory grow past this
    /// many bytes (`None`: [`default_memory_limit`]).
    pub memory_limit: Option<usize>,
    /// Set to `true` from anywhere (e.g. a Ctrl-C handler) to stop with `Unknown`.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Progress callback.
    pub observer: Option<Arc<dyn Observer>>,
    /// Skip re-checking LP certificates with [`crate::lp::check()`] (default `false`: every
    /// certificate is checked; switch off only to measure the cost of certification).
    pub skip_lp_checks: bool,
    /// Use only the exact simplex (no float-guided basis); for measurements.
    pub exact_lp_only: bool,
    /// Run ExactFit with exactly the paper's tests (Algorithm 2's lower-bound LPs), without
    /// the additional upper-bound test and the evaluation shortcuts (fixed pieces, single-
    /// point polyhedra); for measurements and cross-checks.
    pub paper_rules_only: bool,
}

impl SolveSettings {
    /// Settings for `algorithm`, everything else default.
    pub fn new(algorithm: Algorithm) -> Self {
        SolveSettings {
            algorithm,
            ..Default::default()
        }
    }

    /// Whether LP certificates are re-checked (the default).
    pub fn checked(&self) -> bool {
        !self.skip_lp_checks
    }
}

impl fmt::Debug for SolveSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SolveSettings")
            .field("algorithm", &self.algorithm)
            .field("signs", &self.signs)
            .field("time_limit", &self.time_limit)
            .field("threads", &self.threads)
            .field("optimize", &self.optimize)
            .field("memory_limit", &self.memory_limit)
            .field("skip_lp_checks", &self.skip_lp_checks)
            .field("exact_lp_only", &self.exact_lp_only)
            .field("paper_rules_only", &self.paper_rules_only)
            .finish_non_exhaustive()
    }
}

/// The default memory budget of a solver: half of the machine's physical memory (read from
/// `/proc/meminfo`), or 4 GiB where that cannot be read.
pub fn default_memory_limit() -> usize {
    let from_proc = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| {
        let line = t.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb.saturating_mul(1024) / 2)
    });
    from_proc.unwrap_or(4 << 30)
}

/// Statistics of a solver run (ExactFit's search tree; LP counts for the LP solvers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Search-tree nodes (calls of Algorithm 1).
    pub nodes: u64,
    /// LPs solved exactly.
    pub lps: u64,
    /// Lower-bound tests of Algorithm 2 settled by a stored feasible point instead of an LP.
    pub lps_avoided: u64,
    /// Points forced by Algorithm 2 (`mu = y`).
    pub forced_points: u64,
    /// Points forced because only one subset can reach `y` (upper-bound test).
    pub forced_by_upper_bound: u64,
    /// Nodes rejected because no subset can reach some `y` (upper-bound test).
    pub rejected_by_upper_bound: u64,
    /// Branches rejected by Algorithm 2 (`mu > y`, dual certificate).
    pub rejected_by_bound: u64,
    /// Nodes closed by an infeasible system (6) (Farkas certificate).
    pub closed_by_farkas: u64,
    /// Nodes decided by evaluation because the fit equations fix the parameters (the
    /// polyhedron is one point, proven by a nonsingular exact subsystem).
    pub decided_by_point: u64,
    /// Algorithm 2 decisions (forcing or rejecting) made without an LP because the piece's
    /// affine function is fixed by `d + 1` affinely independent assigned points.
    pub decided_by_piece: u64,
    /// Deepest node (root = 0); Theorem 11's proof bounds it by `k(d+1) + 1`.
    pub max_depth: usize,
    /// LPs whose float-guided certificate failed and went to the exact simplex.
    pub lp_fallbacks: u64,
    /// Time in the simplex (float twin, and exact simplex when used).
    pub lp_time: Duration,
    /// Time certifying: exact square solves for float-guided bases and re-checking every
    /// certificate in rationals.
    pub check_time: Duration,
    /// Total wall time.
    pub elapsed: Duration,
}

impl Stats {
    /// Add another run's counters (parallel subtrees); `max_depth` takes the maximum.
    pub fn merge(&mut self, o: &Stats) {
        self.nodes += o.nodes;
        self.lps += o.lps;
        self.lps_avoided += o.lps_avoided;
        self.forced_points += o.forced_points;
        self.forced_by_upper_bound += o.forced_by_upper_bound;
        self.rejected_by_upper_bound += o.rejected_by_upper_bound;
        self.rejected_by_bound += o.rejected_by_bound;
        self.closed_by_farkas += o.closed_by_farkas;
        self.decided_by_point += o.decided_by_point;
        self.decided_by_piece += o.decided_by_piece;
        self.lp_fallbacks += o.lp_fallbacks;
        self.max_depth = self.max_depth.max(o.max_depth);
        self.lp_time += o.lp_time;
        self.check_time += o.check_time;
    }
}

/// What [`super::solve_with`] returns: the outcome and how it was reached.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Fit, no fit, or unknown.
    pub outcome: Outcome,
    /// Counters and timings.
    pub stats: Stats,
}
