//! The search tree of Algorithm 1 (ExactFit) with Algorithm 2 (check-forced-points).
//!
//! A node holds the assignment of points to subsets (`S_1, ..., S_{2^k}`) and a pool of
//! exact points of the polyhedron `P` of system (6). Processing a node:
//!
//! 1. make sure `P` is non-empty (an LP; "infeasible" closes the node with a Farkas
//!    certificate); before that, the lower bound that rejected the last rejected node at
//!    this depth (usually a sibling) is tried first, since siblings share all rows but one
//!    point's ([`Searcher::sibling_rejection_holds`]);
//! 2. Algorithm 2: for every unassigned point `(x, y)` and every subset `I` (one per
//!    symmetry orbit), decide `mu = min_P f_I(x)`, `f_I(x) = sum_{j in I} (w_j . x + b_j)`,
//!    against `y`. A pool point with value `< y` proves `mu < y` without an LP; otherwise
//!    [`crate::lp::compare_min`] decides it with one certificate: a point below `y` (added
//!    to the pool), or a dual bound `>= y`: `= y` forces the point into `S_I` (the paper's
//!    `mu = y`; forcing is sound whenever `mu >= y`), `> y` rejects the node; then the pass
//!    restarts;
//! 3. upper-bound test (an addition, sound): for convex `phi`, `phi(x) = max_I f_I(x)`, so
//!    some subset must reach `y`. If no pool point reaches `y` for any subset, LPs decide
//!    `max_P f_I(x)` against `y`: if no subset can reach it the node is rejected (dual
//!    bounds), if exactly one subset with a trivial symmetry orbit can, then
//!    `f_I(x) = phi(x)` at every fit, which by the paper's exchange argument puts `x` in
//!    `R_I`: the point is forced. It catches labels that lie *above* every fit, which the
//!    lower bounds never do. [`SolveSettings::paper_rules_only`] switches it off, with
//!    the other additions of this list. The cap test (also an addition, sound; `k <= 6`):
//!    at a fit `phi(x) = y`, so every subset has `f_I(x) <= y` *at once*; `P` with the
//!    `2^k - 1` rows `f_I(x_i) <= y_i` of an unassigned point must be non-empty (a pool
//!    point or float vertex with
//!    `phi(x_i) <= y_i` answers without an LP; an empty system rejects the node with a
//!    checked Farkas vector). For `y >= 0`, with the upper-bound test, this decides
//!    exactly whether the point has any feasible child (`P` is convex and `phi(x_i)`
//!    continuous on it; for `y < 0` the empty subset's bound `0 > y` rejects already);
//!    Algorithm 2 alone tests each subset separately;
//! 4. shortcuts without LPs: a subset whose assigned inputs span `R^{d+1}` (as `(x, 1)`)
//!    has a fixed affine piece on `P`, so its `mu` is an evaluation; a polyhedron proven to
//!    be a single point decides every remaining point by evaluation; forced points of one
//!    pass are applied together (a proven `mu >= y` stays valid when `P` shrinks);
//! 5. all points assigned: any pool point is a fit; otherwise branch on one point over the
//!    canonical subsets (Algorithm 1, lines 4-10). The point is the one with the fewest
//!    children its witnesses leave possible (most constrained first,
//!    [`Searcher::branch_point`]); sign probes there drop the children whose subset
//!    contradicts a neuron sign proven on `P` by a checked dual bound
//!    ([`Searcher::prune_by_signs`]).
//!
//! Forcing and rejecting more than the paper never deepens the tree, so the proof's bound
//! `k(d+1) + 1` on the depth still holds (the tests assert it).

use super::symmetry::{canonical_masks, classes};
use crate::limits::RunLimits;
use crate::lp::int::{IntComparison, IntLp, IntPoint};
use crate::lp::{self, Lp, LpAnswer, MinComparison};
use crate::num::Int;
use crate::num::Rational;
use crate::solve::progress::{self, SearchTotals, TotalsShare};
use crate::solve::settings::{Progress, SolveSettings, Stats};
use crate::solve::system::{FitRows, PoolPoint, Problem};
use crate::solve::StopReason;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtOrd};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Cap on stored pool points per node.
const POOL_CAP: usize = 64;

/// Largest width for the cap test ([`Searcher::cap_test`] adds `2^k - 1` rows).
const MAX_CAP_K: usize = 6;

/// Result of a subtree.
#[derive(Debug, Clone)]
pub(crate) enum NodeResult {
    /// A parameter vector satisfying (6) with every point assigned.
    Fit(Vec<Rational>),
    /// The subtree is exhausted; every leaf was closed by a checked certificate.
    No,
    /// Stopped: time limit, cancellation or a failed certificate (the reason).
    Stopped(StopReason),
}

/// One search-tree node's state.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Subset (bit mask) of each assigned point.
    pub assign: Vec<Option<u32>>,
    /// Exact points of the node's polyhedron `P`.
    pub pool: Vec<PoolPoint>,
    /// Depth (root = 0).
    pub depth: usize,
    /// System (6) of `assign` in the integer fast-path form, when already built (children
    /// get their parent's system plus their own rows instead of rebuilding it).
    pub int: Option<IntLp>,
    /// Float state after the parent's last LP (a warm start for this node's first).
    pub warm: lp::int::WarmStart,
}

impl Node {
    /// Bytes this node holds (an upper estimate: its assignment, its system's rows and its
    /// pool points with their tables, shared ones counted too).
    pub(crate) fn estimated_bytes(&self, prob: &Problem) -> u64 {
        let (n, k, vars) = (prob.len() as u64, prob.k as u64, prob.num_vars() as u64);
        let rows = self.int.as_ref().map_or(0, |lp| lp.len() as u64);
        let pool = self.pool.len() as u64 * (n * (k + 1) * 16 + vars * 48 + 64);
        256 + n * 8 + rows * (vars + 2) * 16 + pool
    }
}

/// A sequential searcher (one per thread).
pub(crate) struct Searcher<'a> {
    /// The problem.
    pub prob: &'a Problem,
    /// Settings (observer, checks).
    pub settings: &'a SolveSettings,
    /// Time limit, cancellation and memory budget of the run.
    pub limits: &'a RunLimits,
    /// Set when some thread found a fit or stopped: others stop early.
    pub done: &'a AtomicBool,
    /// Bytes of the nodes alive in all threads ([`Node::estimated_bytes`]).
    pub live: &'a AtomicU64,
    /// Counters.
    pub stats: Stats,
    /// Children generated and not yet entered (this thread's open nodes).
    open: u64,
    last_report: Duration,
    /// Per level of the current path: (children finished, children) of the branching there.
    path: Vec<(usize, usize)>,
    /// With parallel subtrees: the jobs finished by every thread and the number of jobs.
    jobs: Option<ParallelProgress<'a>>,
    /// With parallel subtrees: the nodes and LPs of every thread.
    totals: Option<TotalsShare>,
    /// When this searcher started (run time), for the estimate of the time left.
    started: Duration,
    /// Per depth: the lower bound (point, subset) that last rejected a node there.
    rejections: Vec<Option<(usize, u32)>>,
    /// Float vertices of the current node's `P` from its last pass of Algorithm 2 (for the
    /// choice of the branching point only).
    vertices: Vec<Vec<f64>>,
}

/// The parallel subtrees' share of the progress line: how many every thread has finished.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ParallelProgress<'a> {
    /// Subtrees finished by every thread.
    pub finished: &'a AtomicU64,
    /// Subtrees in all.
    pub total: u64,
}

enum Upper {
    Reaches(Found),
    Below,
    Empty,
}

/// Keep what an LP found: an exact point in the pool, a float vertex among the floats (each
/// list capped, oldest out).
fn keep(pool: &mut Vec<PoolPoint>, floats: &mut Vec<Vec<f64>>, found: Found) {
    match found {
        Found::Exact(p) => {
            if pool.len() >= POOL_CAP {
                pool.remove(0);
            }
            pool.push(p);
        }
        Found::Float(f) => {
            if floats.len() >= POOL_CAP {
                floats.remove(0);
            }
            floats.push(f);
        }
        Found::Nothing => {}
    }
}

/// Is `mask` alone in its orbit (each class entirely in or entirely out)?
fn orbit_is_trivial(classes: &[Vec<usize>], mask: u32) -> bool {
    classes.iter().all(|c| {
        let inside = c.iter().filter(|&&j| mask >> j & 1 == 1).count();
        inside == 0 || inside == c.len()
    })
}

/// A point of `P` an LP found below (or reaching) a threshold: exact and checked, or only
/// the float twin's vertex. A float vertex is evidence for "possible" claims alone (a point
/// *may* be below `y`, a subset *may* reach it), which never prune: if the float run was
/// wrong, a bound that would have forced or rejected is simply not used, so the search stays
/// complete and every pruning step keeps its checked certificate.
enum Found {
    Exact(PoolPoint),
    /// The float vertex's scaled pre-activations ([`Problem::float_scaled`]).
    Float(Vec<f64>),
    Nothing,
}

enum Lower {
    Below(Found),
    /// `mu >= y` proven with bound `y`; a point of `P` attaining it, when known.
    Equal(Option<PoolPoint>),
    Above,
    Empty,
}

/// A comparison `min c . v` vs `t`, points already in pool form: certified, except that
/// `Below` may rest on the float twin alone ([`Found::Float`]).
enum Cmp {
    Below(Found),
    AtLeast {
        equal: bool,
        point: Option<PoolPoint>,
    },
    Infeasible,
}

/// The node's system (6): the `i64` fast-path form when the data allow it, and the
/// generic rational [`Lp`], built only when some LP needs the generic path.
struct Sys {
    int: Option<IntLp>,
    /// Unassigned data points (their pre-activations are tabulated in new pool points).
    free: Vec<bool>,
    rows: Vec<(usize, u32)>,
    generic: Option<Lp>,
    /// Final float basis of the last LP over these rows (warm start of the next).
    warm: lp::int::WarmStart,
    /// An exact point of the node's pool, believed in `P` (the kernel checks it before
    /// stepping from it: see [`lp::int::certify_min_from`]); dropped when rows are added.
    known: Option<lp::int::IntPoint>,
}

impl Sys {
    fn new(
        prob: &Problem,
        assign: &[Option<u32>],
        int: Option<IntLp>,
        warm: lp::int::WarmStart,
    ) -> Self {
        Sys {
            int: int.or_else(|| prob.int_system(assign)),
            free: assign.iter().map(Option::is_none).collect(),
            rows: assign
                .iter()
                .enumerate()
                .filter_map(|(i, a)| a.map(|m| (i, m)))
                .collect(),
            generic: None,
            warm,
            known: None,
        }
    }

    fn push(&mut self, prob: &Problem, i: usize, mask: u32) {
        if let Some(int) = self.int.as_mut() {
            prob.push_int_rows(int, i, mask);
        }
        if let Some(lp) = self.generic.as_mut() {
            prob.push_rows(lp, i, mask);
        }
        self.rows.push((i, mask));
        self.free[i] = false;
        self.known = None;
    }

    fn generic(&mut self, prob: &Problem) -> &mut Lp {
        self.generic.get_or_insert_with(|| {
            let mut assign = vec![None; prob.len()];
            for &(i, m) in &self.rows {
                assign[i] = Some(m);
            }
            prob.system(&assign)
        })
    }
}

impl<'a> Searcher<'a> {
    /// A searcher with zeroed statistics.
    pub(crate) fn new(
        prob: &'a Problem,
        settings: &'a SolveSettings,
        limits: &'a RunLimits,
        done: &'a AtomicBool,
        live: &'a AtomicU64,
    ) -> Self {
        // The tests added to Algorithm 2 (cap rows, sign probes) assume the convex problem
        // of [`super::problem`]: all output weights +1, ReLU, exact fit rows.
        debug_assert!(prob.neg == 0 && !prob.threshold && prob.fit == FitRows::Exact);
        Searcher {
            prob,
            settings,
            limits,
            done,
            live,
            stats: Stats::default(),
            open: 0,
            last_report: Duration::ZERO,
            path: Vec::new(),
            jobs: None,
            totals: None,
            started: limits.elapsed(),
            rejections: Vec::new(),
            vertices: Vec::new(),
        }
    }

    /// This searcher works on one of several parallel subtrees (for the progress line).
    pub(crate) fn with_jobs(
        mut self,
        shared: ParallelProgress<'a>,
        totals: Arc<SearchTotals>,
    ) -> Self {
        self.jobs = Some(shared);
        self.totals = Some(TotalsShare::new(totals));
        self
    }

    /// The nodes and LPs of the whole run: this searcher's, or with parallel subtrees every
    /// thread's (this one's added to the shared totals now).
    fn progress_counts(&mut self) -> (u64, u64) {
        let (nodes, lps) = (self.stats.nodes, self.stats.lps);
        match &mut self.totals {
            None => (nodes, lps),
            Some(share) => share.publish(nodes, lps),
        }
    }

    /// The estimate of the time left ([`progress::time_left`]): the finished share of this
    /// searcher's tree, and with parallel subtrees of all of them.
    fn remaining(&self, elapsed: Duration) -> Option<Duration> {
        let mut share = progress::finished_share(self.path.iter().copied());
        if let Some(shared) = self.jobs {
            share =
                (shared.finished.load(AtOrd::Relaxed) as f64 + share) / shared.total.max(1) as f64;
        }
        progress::time_left(elapsed.saturating_sub(self.started), share)
    }

    fn stop_reason(&mut self, depth: usize) -> Option<StopReason> {
        let elapsed = self.limits.elapsed();
        if let Some(obs) = &self.settings.observer {
            if elapsed >= self.last_report + Duration::from_millis(100) {
                self.last_report = elapsed;
                let (nodes, lps) = self.progress_counts();
                obs.progress(&Progress {
                    stage: "search",
                    nodes,
                    lps,
                    depth,
                    elapsed,
                    open: self.open,
                    remaining: self.remaining(elapsed),
                    ..Progress::default()
                });
            }
        }
        if let Err(s) = self.limits.check() {
            return Some(s.into());
        }
        if self.done.load(AtOrd::Relaxed) {
            // Another worker finished: this one's answer is no longer needed.
            return Some(StopReason::Cancelled);
        }
        None
    }

    /// The time limit and cancellation, checked before every LP (an LP of Algorithm 2 is
    /// short, but a node may need `n 2^k` of them).
    fn check_limits(&self) -> Result<(), StopReason> {
        self.limits.check().map_err(StopReason::from)
    }

    /// One LP, certified, by the LP layer's one route ([`lp::solve_timed`]): float guess
    /// (`lp_time`), exact certificate and check (`check_time`), the exact simplex when that
    /// fails (`lp_fallbacks`).
    fn solve_lp(&mut self, lp: &Lp) -> LpAnswer {
        self.stats.lps += 1;
        let route = lp::LpRoute {
            float_guess: !self.settings.exact_lp_only,
            check_exact: self.settings.checked(),
        };
        let mut timer = lp::LpTimer::default();
        let (answer, _) = lp::solve_timed(lp, route, &mut timer);
        self.stats.lp_time += timer.solve;
        self.stats.check_time += timer.certify;
        self.stats.lp_fallbacks += timer.fallbacks;
        answer
    }

    /// A point of `P`, or `None` if `P` is empty (Farkas-certified).
    fn feasible_point(&mut self, sys: &mut Sys) -> Result<Option<PoolPoint>, StopReason> {
        self.check_limits()?;
        if let Some(int) = sys.int.as_ref().filter(|_| !self.settings.exact_lp_only) {
            self.stats.lps += 1;
            let zero = vec![0i64; int.num_vars()];
            let t0 = Instant::now();
            let guess = lp::int::guess_min(int, &vec![0.0; int.num_vars()], &mut sys.warm);
            let t1 = Instant::now();
            self.stats.lp_time += t1 - t0;
            let r =
                self.certify_retrying(int, &zero, &guess, |g| lp::int::certify_feasible(int, g));
            self.stats.check_time += t1.elapsed();
            if let Some(r) = r {
                return Ok(r.ok().map(|p| self.prob.pool_point_int(p, &sys.free)));
            }
            // The fast path could not certify: the generic path decides (counted).
            self.stats.lp_fallbacks += 1;
            self.stats.lps -= 1;
        }
        let lp = sys.generic(self.prob);
        match self.solve_lp(lp) {
            LpAnswer::Feasible { point } => Ok(Some(self.prob.pool_point(point, &sys.free))),
            LpAnswer::Infeasible { .. } => Ok(None),
            LpAnswer::CertificationFailed { reason } => Err(StopReason::Uncertified(reason)),
            other => Err(StopReason::Uncertified(format!(
                "unexpected LP answer {}",
                other.kind()
            ))),
        }
    }

    /// Decide `min_P (+/-) f_I(x_i) < (+/-) y_i` (`upper` negates both) over the node's
    /// system, certified: the integer fast path ([`lp::int::compare_min`]) when the data
    /// fit `i64`, else (or when it cannot certify) the generic [`lp::compare_min`] on
    /// rationals.
    fn compare(
        &mut self,
        sys: &mut Sys,
        i: usize,
        mask: u32,
        upper: bool,
    ) -> Result<Cmp, StopReason> {
        self.check_limits()?;
        self.stats.lps += 1;
        let sg = if upper { -1 } else { 1 };
        if self.prob.int_ready() && !self.settings.exact_lp_only {
            let (mut c, t) = self.prob.int_objective(i, mask);
            c.iter_mut().for_each(|x| *x *= sg);
            let t = t * sg as i128;
            if let Some(int) = sys.int.as_ref() {
                let known = sys.known.as_ref();
                let free = &sys.free;
                if let Some(cmp) = self.compare_int(int, &mut sys.warm, (&c, t), free, true, known)
                {
                    return Ok(cmp);
                }
                // The fast path could not certify: the generic path decides (counted).
                self.stats.lp_fallbacks += 1;
            }
            let c: Vec<Rational> = c.into_iter().map(Rational::from).collect();
            let t = Rational::from(Int::from(t));
            let free = sys.free.clone();
            let lp = sys.generic(self.prob);
            return self.compare_generic(lp, c, &t, &free);
        }
        let mut c = self.prob.sum_coeffs(i, mask);
        let mut t = self.prob.ys[i].clone();
        if upper {
            c.iter_mut().for_each(|x| *x = -&*x);
            t = -t;
        }
        let free = sys.free.clone();
        let lp = sys.generic(self.prob);
        self.compare_generic(lp, c, &t, &free)
    }

    /// The integer fast path of a comparison `min c . v` vs `t` over `int`: the float guess
    /// (from `warm`), then a checked certificate. A minimum clearly below `t` is taken from
    /// the float run uncertified (a "possible" answer, see [`Found`]; its vertex is kept
    /// when `vertex`). `None` when the guess leads to no checked certificate.
    fn compare_int(
        &mut self,
        int: &IntLp,
        warm: &mut lp::int::WarmStart,
        (c, t): (&[i64], i128),
        free: &[bool],
        vertex: bool,
        known: Option<&lp::int::IntPoint>,
    ) -> Option<Cmp> {
        let t0 = Instant::now();
        let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
        let guess = lp::int::guess_min(int, &cf, warm);
        if let lp::int::GuessKind::Optimal(v) = guess.kind() {
            let tf = t as f64;
            if v < tf - 1e-7 * tf.abs().max(1.0) {
                let point = if vertex { guess.point(int) } else { None };
                let found =
                    point.map_or(Found::Nothing, |q| Found::Float(self.prob.float_scaled(&q)));
                self.stats.lp_time += t0.elapsed();
                return Some(Cmp::Below(found));
            }
        }
        let t1 = Instant::now();
        self.stats.lp_time += t1 - t0;
        let r = self.certify_retrying(int, c, &guess, |g| {
            lp::int::certify_min_from(int, c, t, g, known)
        });
        self.stats.check_time += t1.elapsed();
        Some(match r? {
            IntComparison::Below(p) => Cmp::Below(Found::Exact(self.prob.pool_point_int(p, free))),
            IntComparison::AtLeast { equal, .. } => Cmp::AtLeast { equal, point: None },
            IntComparison::Infeasible { .. } => Cmp::Infeasible,
        })
    }

    /// The kernel's certificate from `guess` (`certify`), retried from cold guesses when it
    /// fails ([`lp::int::certify_retrying`], counted in `cold_guesses` and
    /// `precise_guesses`); `None` when no guess certifies.
    fn certify_retrying<T>(
        &mut self,
        int: &IntLp,
        c: &[i64],
        guess: &lp::int::Guess,
        certify: impl Fn(&lp::int::Guess) -> Option<T>,
    ) -> Option<T> {
        let mut retries = lp::int::Retries::default();
        let r = lp::int::certify_retrying(int, c, guess, &mut retries, certify);
        self.stats.cold_guesses += retries.cold;
        self.stats.precise_guesses += retries.precise;
        r
    }

    /// [`Searcher::compare`] on a generic rational LP.
    fn compare_generic(
        &mut self,
        lp: &mut Lp,
        c: Vec<Rational>,
        t: &Rational,
        free: &[bool],
    ) -> Result<Cmp, StopReason> {
        lp.minimize(c);
        let result = if self.settings.exact_lp_only {
            let answer = self.solve_lp(lp);
            self.stats.lps -= 1;
            let c = lp.objective.as_ref().expect("objective");
            lp::comparison_from_answer(answer, c, t)
        } else {
            let mut timer = lp::LpTimer::default();
            let r = lp::compare_min(lp, t, &mut timer);
            self.stats.lp_time += timer.solve;
            self.stats.check_time += timer.certify;
            self.stats.lp_fallbacks += timer.fallbacks;
            r
        };
        lp.objective = None;
        Ok(
            match result.map_err(|e| StopReason::Uncertified(e.to_string()))? {
                MinComparison::Below { point } => {
                    Cmp::Below(Found::Exact(self.prob.pool_point(point, free)))
                }
                MinComparison::AtLeast { bound, point, .. } => Cmp::AtLeast {
                    equal: bound == *t,
                    point: point.map(|q| self.prob.pool_point(q, free)),
                },
                MinComparison::Infeasible { .. } => Cmp::Infeasible,
            },
        )
    }

    /// `lower-bound` of Algorithm 2, compared exactly with `y`. `mu >= y` proven by a dual
    /// bound equal to `y` counts as `Equal`: forcing is sound whenever `mu >= y` (the
    /// paper's exchange argument only uses `phi(x) >= f_I(x) >= y`).
    fn lower_bound(&mut self, sys: &mut Sys, i: usize, mask: u32) -> Result<Lower, StopReason> {
        Ok(match self.compare(sys, i, mask, false)? {
            Cmp::Below(p) => Lower::Below(p),
            Cmp::AtLeast { equal: true, point } => Lower::Equal(point),
            Cmp::AtLeast { equal: false, .. } => Lower::Above,
            Cmp::Infeasible => Lower::Empty,
        })
    }

    /// `max_P sum_{j in mask} (w_j . x_i + b_j)` compared exactly with `y_i`.
    fn upper_bound(&mut self, sys: &mut Sys, i: usize, mask: u32) -> Result<Upper, StopReason> {
        Ok(match self.compare(sys, i, mask, true)? {
            Cmp::Below(p) => Upper::Reaches(p),
            // max <= y, and = y may be attained: counts as reaching (never prunes).
            Cmp::AtLeast { equal: true, point } => {
                Upper::Reaches(point.map_or(Found::Nothing, Found::Exact))
            }
            Cmp::AtLeast { equal: false, .. } => Upper::Below,
            Cmp::Infeasible => Upper::Empty,
        })
    }

    /// Is the node's polyhedron the single point `p`? Proven exactly: the rows tight at `p`
    /// contain a nonsingular `N x N` subsystem (checked in integers), and no direction keeps
    /// the tight rows feasible while leaving one of the tight inequalities (an LP over the
    /// cone of feasible directions, decided with a checked dual bound).
    fn single_point(&mut self, sys: &mut Sys, p: &PoolPoint) -> Result<bool, StopReason> {
        if let (Some(int), Some(ip)) = (sys.int.as_ref(), p.small_point()) {
            if !self.settings.exact_lp_only {
                if let Some(r) = self.single_point_int(int, &ip) {
                    return r;
                }
            }
        }
        let n = self.prob.num_vars();
        let (num, den) = p.integers();
        let mut tight: Vec<(Vec<Int>, lp::Sense)> = Vec::new();
        let lp = sys.generic(self.prob);
        for c in &lp.constraints {
            let row: Vec<Int> = c.coeffs.iter().map(|a| a.numerator().clone()).collect();
            if c.coeffs
                .iter()
                .any(|a| *a.denominator() != crate::num::Natural::ONE)
            {
                return Ok(false);
            }
            let lhs = row
                .iter()
                .zip(num)
                .fold(Int::ZERO, |acc, (a, x)| acc + a * x);
            if c.rhs.denominator() != &crate::num::Natural::ONE {
                return Ok(false);
            }
            if lhs == c.rhs.numerator() * den {
                tight.push((row, c.sense));
            }
        }
        if !self.prob_rank_full(&tight, n) {
            return Ok(false);
        }
        let mut cone = Lp::new(n);
        let mut obj = vec![Rational::ZERO; n];
        for (row, sense) in &tight {
            let coeffs: Vec<Rational> = row.iter().map(|x| Rational::from(x.clone())).collect();
            match sense {
                lp::Sense::Eq => cone.push(coeffs, lp::Sense::Eq, Rational::ZERO),
                lp::Sense::Ge => {
                    for (o, a) in obj.iter_mut().zip(&coeffs) {
                        *o -= a;
                    }
                    cone.push(coeffs.clone(), lp::Sense::Ge, Rational::ZERO);
                    cone.push(coeffs, lp::Sense::Le, Rational::ONE);
                }
                lp::Sense::Le => {
                    for (o, a) in obj.iter_mut().zip(&coeffs) {
                        *o += a;
                    }
                    cone.push(coeffs.clone(), lp::Sense::Le, Rational::ZERO);
                    cone.push(coeffs, lp::Sense::Ge, -Rational::ONE);
                }
            }
        }
        self.stats.lps += 1;
        Ok(matches!(
            self.compare_generic(&mut cone, obj, &Rational::ZERO, &[])?,
            Cmp::AtLeast { .. }
        ))
    }

    /// [`Searcher::single_point`] on the `i64` rows, without an LP: `P` is the single
    /// point `p` when the *equations* tight at `p` (all of them are: `p` is in `P`) have
    /// rank `N` (checked exactly), since they alone cut `R^N` down to `p`. A point pinned
    /// only by inequalities is not detected (measured: the cone LP this saves decided
    /// nothing on the benchmark instances that this test misses). `None` on overflow.
    fn single_point_int(&mut self, int: &IntLp, p: &IntPoint) -> Option<Result<bool, StopReason>> {
        let n = int.num_vars();
        let mut eqs: Vec<(Vec<Int>, lp::Sense)> = Vec::new();
        for r in 0..int.len() {
            let (a, b, eq) = int.row(r);
            if !eq {
                continue;
            }
            let mut lhs: i128 = 0;
            for (&x, &v) in a.iter().zip(&p.num) {
                lhs = lhs.checked_add((x as i128).checked_mul(v)?)?;
            }
            if lhs != (b as i128).checked_mul(p.den)? {
                // p is a checked point of P, so this cannot happen; be safe.
                return Some(Ok(false));
            }
            eqs.push((a.iter().map(|&x| Int::from(x)).collect(), lp::Sense::Eq));
        }
        Some(Ok(self.prob_rank_full(&eqs, n)))
    }

    /// Do the inputs of the points assigned to `mask` span `R^{d+1}` as vectors `(x, 1)`?
    fn piece_determined(&self, assign: &[Option<u32>], mask: u32) -> bool {
        let rows: Vec<(Vec<Int>, lp::Sense)> = assign
            .iter()
            .enumerate()
            .filter(|(_, a)| **a == Some(mask))
            .map(|(i, _)| (self.prob.homogeneous_input(i), lp::Sense::Eq))
            .collect();
        rows.len() > self.prob.d && self.prob_rank_full(&rows, self.prob.d + 1)
    }

    /// Do the rows span `Q^n`? Rows picked in floats, confirmed by an exact determinant.
    fn prob_rank_full(&self, rows: &[(Vec<Int>, lp::Sense)], n: usize) -> bool {
        let mut basis: Vec<(usize, Vec<f64>)> = Vec::new();
        let mut chosen: Vec<Vec<Int>> = Vec::new();
        for (row, _) in rows {
            let mut f: Vec<f64> = row.iter().map(|x| x.to_f64().value()).collect();
            let norm = f.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (p, b) in &basis {
                let factor = f[*p] / b[*p];
                if factor != 0.0 {
                    for (x, y) in f.iter_mut().zip(b) {
                        *x -= factor * y;
                    }
                    f[*p] = 0.0;
                }
            }
            let (p, v) = f
                .iter()
                .enumerate()
                .map(|(p, v)| (p, v.abs()))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0));
            if v > 1e-9 * norm.max(1.0) {
                basis.push((p, f));
                chosen.push(row.clone());
                if chosen.len() == n {
                    return lp::basis::is_nonsingular(&chosen);
                }
            }
        }
        false
    }

    /// Algorithm 2 on `node` (in place). `Ok(false)`: the node is rejected.
    fn check_forced_points(&mut self, node: &mut Node) -> Result<bool, StopReason> {
        self.vertices.clear();
        let mut sys = Sys::new(
            self.prob,
            &node.assign,
            node.int.take(),
            std::mem::take(&mut node.warm),
        );
        // Test "P is one point" on entry once enough points are assigned, and after every
        // pass that forced points (that is when P collapses).
        let assigned = node.assign.iter().filter(|a| a.is_some()).count();
        let mut try_point = assigned >= self.prob.num_vars();
        if !self.settings.paper_rules_only && self.sibling_rejection_holds(node, &mut sys)? {
            return Ok(false);
        }
        loop {
            if node.pool.is_empty() {
                match self.feasible_point(&mut sys)? {
                    Some(p) => node.pool.push(p),
                    None => {
                        self.stats.closed_by_farkas += 1;
                        return Ok(false);
                    }
                }
            }
            if try_point
                && !self.settings.paper_rules_only
                && self.single_point(&mut sys, &node.pool[0].clone())?
            {
                // P is the single point q (exact): every decision is an evaluation.
                self.stats.decided_by_point += 1;
                let q = node.pool[0].clone();
                for i in 0..self.prob.len() {
                    if node.assign[i].is_some() {
                        continue;
                    }
                    // The active set at q and phi(x) = f_active(x) vs y (scaled integers).
                    let mask = self.prob.scaled(&q, i).active_mask(self.prob.neg);
                    if !self.prob.pool_satisfies(&q, i, mask) {
                        return Ok(false);
                    }
                    node.assign[i] = Some(mask);
                }
                return Ok(true);
            }
            let cls = classes(self.prob.k, node.assign.iter().flatten().copied());
            let masks = canonical_masks(&cls);
            // Points forced in this pass; a pass does not restart on a forced point: bounds
            // mu >= y proven for P stay valid for every smaller polyhedron.
            let mut forced: Vec<(usize, u32)> = Vec::new();
            // Pieces whose affine function is fixed on P: the points assigned to subset I
            // span R^{d+1} (as (x, 1)), so f_I(x) is the same at every point of P and
            // mu = f_I(x) at any pool point, exactly, without an LP.
            let determined: Vec<bool> = (0..1u32 << self.prob.k)
                .map(|m| {
                    m != 0
                        && !self.settings.paper_rules_only
                        && self.piece_determined(&node.assign, m)
                })
                .collect();
            let q0 = node.pool[0].clone();
            sys.known = q0.small_point();
            // Float vertices of P found in this pass (see [`Found`]); dropped when P shrinks.
            let mut floats: Vec<Vec<f64>> = Vec::new();
            'points: for i in 0..self.prob.len() {
                if node.assign[i].is_some() {
                    continue;
                }
                for &mask in &masks {
                    if determined[mask as usize] {
                        // f_I(x) vs y at q0, from its cached scaled pre-activations.
                        match self.prob.scaled(&q0, i).cmp_sum(mask) {
                            std::cmp::Ordering::Less => {}
                            std::cmp::Ordering::Equal => {
                                self.stats.forced_points += 1;
                                self.stats.decided_by_piece += 1;
                                forced.push((i, mask));
                                continue 'points;
                            }
                            std::cmp::Ordering::Greater => {
                                self.stats.rejected_by_bound += 1;
                                self.stats.decided_by_piece += 1;
                                return Ok(false);
                            }
                        }
                        continue;
                    }
                    // Scaled pre-activations of point i under the pool points (integers), or
                    // under the float vertices (evidence for "below" only).
                    let witnessed =
                        node.pool.iter().any(|p| {
                            self.prob.scaled(p, i).cmp_sum(mask) == std::cmp::Ordering::Less
                        }) || floats.iter().any(|f| self.prob.float_sum(f, i, mask) < 0.0);
                    if witnessed {
                        self.stats.lps_avoided += 1;
                        continue;
                    }
                    match self.lower_bound(&mut sys, i, mask)? {
                        Lower::Below(found) => keep(&mut node.pool, &mut floats, found),
                        Lower::Equal(point) => {
                            self.stats.forced_points += 1;
                            forced.push((i, mask));
                            // Kept if it also satisfies the forced rows (checked below).
                            if let Some(p) = point {
                                node.pool.push(p);
                            }
                            continue 'points;
                        }
                        Lower::Above => {
                            self.stats.rejected_by_bound += 1;
                            self.remember_rejection(node.depth, i, mask);
                            return Ok(false);
                        }
                        Lower::Empty => {
                            self.stats.closed_by_farkas += 1;
                            return Ok(false);
                        }
                    }
                }
            }
            if forced.is_empty() && !self.settings.paper_rules_only {
                // Second pass, after the lower bounds (whose vertices enrich the pool).
                'upper: for i in 0..self.prob.len() {
                    if node.assign[i].is_some() {
                        continue;
                    }
                    // Upper-bound test (an addition to Algorithm 2, see the module docs):
                    // phi(x) = max_I f_I(x), so some subset must reach y.
                    let prob = self.prob;
                    let reached = |pool: &[PoolPoint], floats: &[Vec<f64>], mask: u32| {
                        pool.iter()
                            .any(|p| prob.scaled(p, i).cmp_sum(mask) != std::cmp::Ordering::Less)
                            || floats.iter().any(|f| prob.float_sum(f, i, mask) >= 0.0)
                    };
                    if masks.iter().any(|&m| reached(&node.pool, &floats, m)) {
                        continue;
                    }
                    let mut reaching = Vec::new();
                    for &mask in &masks {
                        match self.upper_bound(&mut sys, i, mask)? {
                            Upper::Reaches(found) => {
                                reaching.push(mask);
                                keep(&mut node.pool, &mut floats, found);
                                // Neither rejection nor forcing is possible any more.
                                if reaching.len() >= 2 || !orbit_is_trivial(&cls, mask) {
                                    break;
                                }
                            }
                            Upper::Below => {}
                            Upper::Empty => {
                                self.stats.closed_by_farkas += 1;
                                return Ok(false);
                            }
                        }
                    }
                    match reaching.as_slice() {
                        [] => {
                            self.stats.rejected_by_upper_bound += 1;
                            return Ok(false);
                        }
                        [m] if orbit_is_trivial(&cls, *m) => {
                            self.stats.forced_by_upper_bound += 1;
                            forced.push((i, *m));
                            continue 'upper;
                        }
                        _ => {}
                    }
                }
                if forced.is_empty() && !self.cap_test(node, &mut sys, &mut floats)? {
                    return Ok(false);
                }
            }
            if forced.is_empty() {
                node.int = sys.int.take();
                node.warm = std::mem::take(&mut sys.warm);
                self.vertices = floats;
                return Ok(true);
            }
            try_point = true;
            for (i, mask) in forced {
                node.assign[i] = Some(mask);
                sys.push(self.prob, i, mask);
                let prob = self.prob;
                node.pool.retain(|p| prob.pool_satisfies(p, i, mask));
            }
        }
    }

    /// The cap test (an addition to Algorithm 2, sound): at every fit `phi(x) = y`, and for
    /// convex `phi = max_I f_I`, so *every* subset has `f_I(x) <= y` at once. Algorithm 2's
    /// lower bounds test each subset alone; here `P` with all `2^k - 1` rows
    /// `f_I(x_i) <= y_i` added must be non-empty, for each unassigned point. A pool point or
    /// float vertex with `phi(x_i) <= y_i` answers without an LP; an empty system rejects the
    /// node with a checked Farkas vector. `Ok(false)`: rejected.
    fn cap_test(
        &mut self,
        node: &mut Node,
        sys: &mut Sys,
        floats: &mut Vec<Vec<f64>>,
    ) -> Result<bool, StopReason> {
        let prob = self.prob;
        if prob.k > MAX_CAP_K || self.settings.exact_lp_only {
            return Ok(true);
        }
        let Some(int) = sys.int.as_mut() else {
            return Ok(true);
        };
        let below_cap = |pool: &[PoolPoint], floats: &[Vec<f64>], i: usize| {
            pool.iter().any(|p| {
                let s = prob.scaled(p, i);
                s.cmp_sum(s.active_mask(prob.neg)) != std::cmp::Ordering::Greater
            }) || floats
                .iter()
                .any(|f| prob.float_sum(f, i, prob.float_active_mask(f, i)) <= 0.0)
        };
        for i in 0..prob.len() {
            if node.assign[i].is_some() || below_cap(&node.pool, floats, i) {
                continue;
            }
            self.check_limits()?;
            self.stats.lps += 1;
            let len = int.len();
            for mask in 1..1u32 << prob.k {
                let (c, t) = prob.int_objective(i, mask);
                int.push(&c, lp::Sense::Le, t as i64);
            }
            let t0 = Instant::now();
            let mut warm = sys.warm.clone();
            let guess = lp::int::guess_min(int, &vec![0.0; int.num_vars()], &mut warm);
            let t1 = Instant::now();
            self.stats.lp_time += t1 - t0;
            // Non-empty by the float run: a "possible" answer, its vertex kept as a witness;
            // otherwise the kernel certifies emptiness (a Farkas vector) or a point.
            let rejected = if let lp::int::GuessKind::Optimal(_) = guess.kind() {
                if let Some(q) = guess.point(int) {
                    keep(&mut node.pool, floats, Found::Float(prob.float_scaled(&q)));
                }
                false
            } else {
                let zero = vec![0i64; int.num_vars()];
                let r = self
                    .certify_retrying(int, &zero, &guess, |g| lp::int::certify_feasible(int, g));
                self.stats.check_time += t1.elapsed();
                match r {
                    Some(Err(_farkas)) => true,
                    Some(Ok(p)) => {
                        let p = prob.pool_point_int(p, &sys.free);
                        keep(&mut node.pool, floats, Found::Exact(p));
                        false
                    }
                    None => false,
                }
            };
            int.truncate(len);
            if rejected {
                self.stats.rejected_by_cap += 1;
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Remember the lower bound `mu > y` (point `i`, subset `mask`) that rejected a node at
    /// `depth`, for its next siblings ([`Searcher::sibling_rejection_holds`]).
    fn remember_rejection(&mut self, depth: usize, i: usize, mask: u32) {
        if self.rejections.len() <= depth {
            self.rejections.resize(depth + 1, None);
        }
        self.rejections[depth] = Some((i, mask));
    }

    /// Siblings share all but one point's rows, so the lower bound that rejected the last
    /// rejected node at this depth often rejects this one too: test it first, before the
    /// node's feasible point (which a rejected node never needs). The test is Algorithm 2's
    /// own (`mu_I(x) > y` proves `phi(x) >= f_I(x) > y` at every parameter of `P`, for any
    /// subset `I`); its answer "below" adds a pool point, "infeasible" closes the node by
    /// its Farkas vector. `Ok(true)`: the node is rejected.
    fn sibling_rejection_holds(
        &mut self,
        node: &mut Node,
        sys: &mut Sys,
    ) -> Result<bool, StopReason> {
        let Some(&Some((i, mask))) = self.rejections.get(node.depth) else {
            return Ok(false);
        };
        if node.assign[i].is_some() || !node.pool.is_empty() {
            return Ok(false);
        }
        Ok(match self.lower_bound(sys, i, mask)? {
            Lower::Above => {
                self.stats.rejected_by_bound += 1;
                self.stats.rejected_like_sibling += 1;
                true
            }
            Lower::Empty => {
                self.stats.closed_by_farkas += 1;
                true
            }
            Lower::Below(Found::Exact(p)) => {
                node.pool.push(p);
                false
            }
            Lower::Below(_) | Lower::Equal(_) => false,
        })
    }

    /// Sign probes at the branching point `x_i` (an addition, sound): for one neuron `j`
    /// of each class of interchangeable neurons, is its pre-activation `>= 0` on all of `P`,
    /// or `<= 0`? A pool point with the other sign answers "no" without an LP; otherwise a
    /// float LP guesses `min (+/-) pre_j(x_i)` and a checked dual bound proves it `>= 0`.
    /// Proven `<= 0` (for the whole class, `P` being invariant under permutations inside a
    /// class): the children whose subset contains the class are dropped, since a fit with
    /// `pre_j(x_i) = 0` lies in the child without `j` as well (the region rows allow `0`
    /// both ways and `f_I(x_i)` does not change). Proven `>= 0`: the children that leave the
    /// class out are dropped, by the same argument. One certificate removes up to half of
    /// the children, each of which would otherwise cost a node and its own certificate.
    fn prune_by_signs(
        &mut self,
        node: &mut Node,
        i: usize,
        cls: &[Vec<usize>],
        mut masks: Vec<u32>,
    ) -> Result<Vec<u32>, StopReason> {
        let prob = self.prob;
        if self.settings.paper_rules_only || self.settings.exact_lp_only || !prob.int_ready() {
            return Ok(masks);
        }
        let Some(int) = node.int.as_ref() else {
            return Ok(masks);
        };
        let free: Vec<bool> = node.assign.iter().map(Option::is_none).collect();
        let probe = |this: &mut Self, warm: &mut _, pool: &mut _, s| {
            this.pre_proven_nonnegative(int, warm, i, s, pool, &free)
        };
        for class in cls {
            if masks.len() <= 1 {
                break;
            }
            let j = class[0];
            let bits = class.iter().fold(0u32, |m, &j| m | 1 << j);
            let seen = |sign| node.pool.iter().any(|p| prob.scaled(p, i).sign(j) == sign);
            let (pos, negv) = (
                seen(std::cmp::Ordering::Greater),
                seen(std::cmp::Ordering::Less),
            );
            let before = masks.len();
            if !pos && probe(self, &mut node.warm, &mut node.pool, (j, -1))? {
                masks.retain(|&m| m & bits == 0);
            } else if !negv && probe(self, &mut node.warm, &mut node.pool, (j, 1))? {
                masks.retain(|&m| m & bits == bits);
            }
            self.stats.pruned_by_sign += (before - masks.len()) as u64;
        }
        Ok(masks)
    }

    /// Is `s pre_j(x_i) >= 0` on all of `P`? `true` only with a checked dual bound; a point
    /// of `P` below `0` that the kernel certified joins the pool.
    fn pre_proven_nonnegative(
        &mut self,
        int: &IntLp,
        warm: &mut lp::int::WarmStart,
        i: usize,
        (j, s): (usize, i64),
        pool: &mut Vec<PoolPoint>,
        free: &[bool],
    ) -> Result<bool, StopReason> {
        self.check_limits()?;
        self.stats.lps += 1;
        let c = self.prob.int_neuron_objective(i, j, s);
        let known = pool.first().and_then(PoolPoint::small_point);
        Ok(
            match self.compare_int(int, warm, (&c, 0), free, false, known.as_ref()) {
                Some(Cmp::AtLeast { .. }) => true,
                Some(Cmp::Below(found)) => {
                    keep(pool, &mut Vec::new(), found);
                    false
                }
                _ => false,
            },
        )
    }

    /// Process `node` up to (not including) its children. `Ok(Err(result))` when the node is
    /// decided on its own; `Ok(Ok((point, masks)))` gives the branching point and subsets.
    pub(crate) fn expand(&mut self, node: &mut Node) -> Result<(usize, Vec<u32>), NodeResult> {
        self.stats.nodes += 1;
        self.stats.max_depth = self.stats.max_depth.max(node.depth);
        if let Some(reason) = self.stop_reason(node.depth) {
            return Err(NodeResult::Stopped(reason));
        }
        match self.check_forced_points(node) {
            Err(reason) => return Err(NodeResult::Stopped(reason)),
            Ok(false) => return Err(NodeResult::No),
            Ok(true) => {}
        }
        let cls = classes(self.prob.k, node.assign.iter().flatten().copied());
        let Some(i) = self.branch_point(node, &cls) else {
            return Err(NodeResult::Fit(node.pool[0].q().clone()));
        };
        let masks = canonical_masks(&cls)
            .into_iter()
            // The empty subset gives phi(x) = 0: impossible for y != 0 (exactly).
            .filter(|&m| m != 0 || self.prob.ys[i] == Rational::ZERO)
            .collect();
        match self.prune_by_signs(node, i, &cls, masks) {
            Ok(masks) => Ok((i, masks)),
            Err(reason) => Err(NodeResult::Stopped(reason)),
        }
    }

    /// The child of `node` with point `i` put into subset `mask`.
    pub(crate) fn child(&self, node: &Node, i: usize, mask: u32) -> Node {
        let mut assign = node.assign.clone();
        assign[i] = Some(mask);
        let pool = node
            .pool
            .iter()
            .filter(|p| self.prob.pool_satisfies(p, i, mask))
            .cloned()
            .collect();
        let int = node.int.as_ref().map(|lp| {
            let mut lp = lp.clone();
            self.prob.push_int_rows(&mut lp, i, mask);
            lp
        });
        Node {
            assign,
            pool,
            depth: node.depth + 1,
            int,
            warm: node.warm.clone(),
        }
    }

    /// [`Searcher::child`] for the last child: moves the parent's system and float state
    /// instead of copying them.
    fn last_child(&self, node: &mut Node, i: usize, mask: u32) -> Node {
        let int = node.int.take();
        let warm = std::mem::take(&mut node.warm);
        let mut child = self.child(node, i, mask);
        child.int = int.map(|mut lp| {
            self.prob.push_int_rows(&mut lp, i, mask);
            lp
        });
        child.warm = warm;
        child
    }

    /// Depth-first search of the subtree at `node`, within the memory budget: the nodes
    /// alive in all threads ([`Node::estimated_bytes`], counted when a node is entered) may
    /// not exceed it.
    pub(crate) fn search(&mut self, node: Node) -> NodeResult {
        let bytes = node.estimated_bytes(self.prob);
        let live = self.live.fetch_add(bytes, AtOrd::Relaxed) + bytes;
        let result = match self.limits.reserve(
            || format!("the open nodes of ExactFit's search (depth {})", node.depth),
            live,
        ) {
            Ok(()) => self.search_within(node),
            Err(s) => NodeResult::Stopped(s.into()),
        };
        self.live.fetch_sub(bytes, AtOrd::Relaxed);
        result
    }

    fn search_within(&mut self, mut node: Node) -> NodeResult {
        let (i, masks) = match self.expand(&mut node) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let last = masks.len().saturating_sub(1);
        self.open += masks.len() as u64;
        self.path.push((0, masks.len()));
        let mut result = NodeResult::No;
        for (idx, mask) in masks.iter().copied().enumerate() {
            if let Some(level) = self.path.last_mut() {
                level.0 = idx;
            }
            let child = if idx == last {
                self.last_child(&mut node, i, mask)
            } else {
                self.child(&node, i, mask)
            };
            self.open -= 1;
            match self.search(child) {
                NodeResult::No => {}
                other => {
                    result = other;
                    self.open -= (last - idx) as u64;
                    break;
                }
            }
        }
        self.path.pop();
        result
    }

    /// Branching point: the point with the fewest *apparent* children, the most constrained
    /// one (ties: input order). No LP is spent on the choice, which never affects
    /// correctness: the witnesses of `P` (pool points and the float vertices of the last
    /// pass of Algorithm 2) show which signs each class of interchangeable neurons takes at
    /// `x_i` and on which sides of `f_I(x_i) = y_i` each subset `I` lies; a child looks
    /// possible when its signs and both sides have been seen. A point whose signs are seen
    /// one way is typically one whose sign probes ([`Searcher::prune_by_signs`]) then prove
    /// that way, so its branching is narrow. Measured against input order, the rule of the
    /// previous releases, on convex near misses with `k = 4` (docs/benchmarks-exactfit.md,
    /// "Branching"): several times fewer nodes. The measurement modes
    /// (`paper_rules_only`, `exact_lp_only`) keep input order.
    fn branch_point(&self, node: &Node, cls: &[Vec<usize>]) -> Option<usize> {
        let first = node.assign.iter().position(Option::is_none)?;
        if self.settings.paper_rules_only || self.settings.exact_lp_only {
            // The measurement modes keep the paper's plain rule (any point: the first).
            return Some(first);
        }
        let prob = self.prob;
        let masks = canonical_masks(cls);
        let pool = &node.pool;
        let vertices = &self.vertices;
        let seen = |i: usize, j: usize, sign: std::cmp::Ordering| {
            pool.iter().any(|p| prob.scaled(p, i).sign(j) == sign)
                || vertices.iter().any(|f| {
                    let z = prob.float_pre(f, i, j);
                    match sign {
                        std::cmp::Ordering::Greater => z > 1e-9,
                        _ => z < -1e-9,
                    }
                })
        };
        let side = |i: usize, m: u32, sign: std::cmp::Ordering| {
            pool.iter()
                .any(|p| prob.scaled(p, i).cmp_sum(m) != sign.reverse())
                || vertices.iter().any(|f| {
                    let gap = prob.float_sum(f, i, m);
                    match sign {
                        std::cmp::Ordering::Greater => gap >= -1e-9,
                        _ => gap <= 1e-9,
                    }
                })
        };
        let mut best = (usize::MAX, first);
        for i in first..prob.len() {
            if node.assign[i].is_some() {
                continue;
            }
            // Classes seen with both signs (free), and seen only positive (on).
            let (mut free, mut on, mut count) = (0u32, 0u32, 1usize);
            for class in cls {
                let bits = class.iter().fold(0u32, |m, &j| m | 1 << j);
                let pos = seen(i, class[0], std::cmp::Ordering::Greater);
                if pos && seen(i, class[0], std::cmp::Ordering::Less) {
                    count *= class.len() + 1;
                    free |= bits;
                } else if pos {
                    on |= bits;
                }
            }
            if count > 1 {
                count = 0;
                for &m in &masks {
                    if m & !free != on || (m == 0 && prob.ys[i] != Rational::ZERO) {
                        continue;
                    }
                    if side(i, m, std::cmp::Ordering::Greater)
                        && side(i, m, std::cmp::Ordering::Less)
                    {
                        count += 1;
                        if count >= best.0 {
                            break;
                        }
                    }
                }
            }
            if count < best.0 {
                best = (count, i);
            }
        }
        Some(best.1)
    }
}
