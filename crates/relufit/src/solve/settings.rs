//! Settings, statistics, progress observation and the solution type of [`super::solve_with`].

use super::{Algorithm, Outcome};
pub(crate) use crate::limits::progress::Reporter;
pub use crate::limits::progress::{Observer, Progress};
use crate::limits::RunLimits;
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// How to solve.
#[derive(Clone, Default)]
pub struct SolveSettings {
    /// Which algorithm.
    pub algorithm: Algorithm,
    /// ExactFit's sign class; `None` lets `Auto` try both and ExactFit default to convex.
    pub signs: Option<Signs>,
    /// Stop with [`Outcome::Unknown`] after this much wall time.
    pub time_limit: Option<Duration>,
    /// When the time limit started to count (`None`: when the solver starts). A caller that
    /// did other work first (reading the input, another solver) sets it, so that the limit
    /// holds for the whole run.
    pub started: Option<Instant>,
    /// Worker threads for the subtrees of ExactFit and the pattern search and for the
    /// enumeration (0 or 1: sequential).
    pub threads: usize,
    /// Compute the exact least error instead of deciding `error <= gamma`: the enumeration,
    /// or the pattern search's branch and bound for the `abs` and `max` losses
    /// ([`Algorithm::Patterns`], and [`Algorithm::Auto`] for `k >= 3` in `d >= 2`; otherwise
    /// `Auto` decides first whether a network fits exactly, the optimum 0 when one does).
    pub optimize: bool,
    /// List every distinct fitting function instead of stopping at the first fit (ReLU,
    /// `gamma = 0`, the pattern search): the list is in [`Solution::all_fits`], the outcome
    /// is a fit (the first function found), a "no" (an empty, complete list) or unknown.
    pub list_all: bool,
    /// Which part of a sharded search to run (`None`, the default: all of it). With a shard
    /// (even `0/1`, which owns everything but still writes a shard result),
    /// [`crate::solve::solve_with`] searches only that part and returns its result in
    /// [`Solution::shard`]; [`crate::solve::shard::merge`] combines the parts.
    pub shard: Option<crate::solve::shard::Shard>,
    /// Stop with [`Outcome::Unknown`] instead of letting a solver's memory grow past this
    /// many bytes (`None`: [`default_memory_limit`], half of the machine).
    pub memory_limit: Option<usize>,
    /// Set to `true` from anywhere (e.g. a Ctrl-C handler) to stop with `Unknown`.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Progress callback.
    pub observer: Option<Arc<dyn Observer>>,
    /// Skip re-checking LP certificates with [`crate::lp::check()`] (default `false`: every
    /// certificate is checked; switch off only to measure the cost of certification).
    pub skip_lp_checks: bool,
    /// Use only the exact simplex (no float-guided basis); for measurements. ExactFit then
    /// also skips the tests that need the integer fast path (cap test, sign probes) and
    /// branches in input order, so its tree differs from the default one.
    pub exact_lp_only: bool,
    /// Run ExactFit with exactly the paper's tests (Algorithm 2's lower-bound LPs), without
    /// the additional tests (upper-bound and cap tests, sign probes at the branching
    /// point, a sibling's rejecting bound first), the evaluation shortcuts (fixed pieces,
    /// single-point polyhedra) and the most-constrained branching point (input order
    /// instead); for measurements and cross-checks.
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

    /// The run-time limits of these settings: `time_limit` counted from `started` (or from
    /// now), `cancel` and `memory_limit` ([`RunLimits`]).
    pub fn run_limits(&self) -> RunLimits {
        let limits =
            RunLimits::new(self.time_limit, self.cancel.clone()).with_memory(self.memory_limit);
        match self.started {
            Some(t) => limits.started_at(t),
            None => limits,
        }
    }

    /// The same settings with the time limit counted from the start of `limits` (for a
    /// solver run after another within one run, so that the limit holds for the whole run).
    pub fn within(&self, limits: &RunLimits) -> SolveSettings {
        SolveSettings {
            started: Some(limits.started()),
            ..self.clone()
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
            .field("started", &self.started)
            .field("threads", &self.threads)
            .field("optimize", &self.optimize)
            .field("memory_limit", &self.memory_limit)
            .field("shard", &self.shard)
            .field("skip_lp_checks", &self.skip_lp_checks)
            .field("exact_lp_only", &self.exact_lp_only)
            .field("paper_rules_only", &self.paper_rules_only)
            .finish_non_exhaustive()
    }
}

pub use crate::limits::run::default_memory_limit;

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
    /// ExactFit nodes rejected by the cap test: no parameters of `P` keep every
    /// `f_I(x) <= y` at some unassigned point (Farkas certificate).
    pub rejected_by_cap: u64,
    /// ExactFit children dropped by a neuron's sign proven on the parent's polyhedron at the
    /// branching point (dual bound).
    pub pruned_by_sign: u64,
    /// ExactFit nodes rejected (counted in `rejected_by_bound` too) by the lower bound that
    /// had rejected an earlier sibling, tested first.
    pub rejected_like_sibling: u64,
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
    /// LPs whose warm-started float guess gave no certificate and were guessed again in
    /// `f64` from scratch ([`crate::lp::int::certify_retrying`]).
    pub cold_guesses: u64,
    /// LPs guessed again in double-double from scratch after the `f64` guesses gave no
    /// certificate ([`crate::lp::int::certify_retrying`]).
    pub precise_guesses: u64,
    /// LPs whose float-guided certificate failed and went to the exact simplex.
    pub lp_fallbacks: u64,
    /// Time in the simplex (float twin, and exact simplex when used).
    pub lp_time: Duration,
    /// Time certifying: exact square solves for float-guided bases and re-checking every
    /// certificate in rationals, and the float guesses of the retries when a first guess
    /// does not certify ([`crate::lp::int::certify_retrying`]).
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
        self.rejected_by_cap += o.rejected_by_cap;
        self.pruned_by_sign += o.pruned_by_sign;
        self.rejected_like_sibling += o.rejected_like_sibling;
        self.closed_by_farkas += o.closed_by_farkas;
        self.decided_by_point += o.decided_by_point;
        self.decided_by_piece += o.decided_by_piece;
        self.cold_guesses += o.cold_guesses;
        self.precise_guesses += o.precise_guesses;
        self.lp_fallbacks += o.lp_fallbacks;
        self.max_depth = self.max_depth.max(o.max_depth);
        self.lp_time += o.lp_time;
        self.check_time += o.check_time;
    }
}

/// One algorithm's run and its own counters (see [`Solution::runs`]).
#[derive(Debug, Clone)]
pub enum RunStats {
    /// The interpolation (no search).
    Interpolation,
    /// The single-neuron LPs.
    SingleNeuron {
        /// LPs solved.
        lps: u64,
    },
    /// ExactFit (Theorem 11) for one sign class.
    ExactFit {
        /// The class.
        signs: Signs,
        /// Its counters.
        stats: Stats,
    },
    /// The activation-pattern search (or its branch and bound), all sign classes it ran.
    Patterns(super::patterns::SearchStats),
    /// The enumeration over activation patterns.
    Enumeration(super::enumerate::EnumStats),
}

/// What [`super::solve_with`] returns: the outcome and how it was reached.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Fit, no fit, or unknown.
    pub outcome: Outcome,
    /// Counters and timings, summed over the algorithms that ran (in ExactFit's terms; see
    /// `runs` for each algorithm's own).
    pub stats: Stats,
    /// Each algorithm that ran, in order, with its own counters (`auto` may run several:
    /// ExactFit for the convex and the concave class, then the pattern search).
    pub runs: Vec<RunStats>,
    /// When the settings asked for one shard of a search: its result, to be written out
    /// and combined with the other shards by [`crate::solve::shard::merge`].
    pub shard: Option<super::shard::ShardResult>,
    /// When the settings asked for every fitting function ([`SolveSettings::list_all`]):
    /// the list and whether it is complete.
    pub all_fits: Option<super::patterns::AllFits>,
}

impl Solution {
    /// The answer of one or more solver runs: the outcome, the summed counters and each
    /// run's own (no shard, no list of fits).
    pub(crate) fn of_runs(outcome: Outcome, stats: Stats, runs: Vec<RunStats>) -> Self {
        Solution {
            outcome,
            stats,
            runs,
            shard: None,
            all_fits: None,
        }
    }
}
