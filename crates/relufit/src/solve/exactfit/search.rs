//! The search tree of Algorithm 1 (ExactFit) with Algorithm 2 (check-forced-points).
//!
//! A node holds the assignment of points to subsets (`S_1, ..., S_{2^k}`) and a pool of
//! exact points of the polyhedron `P` of system (6). Processing a node:
//!
//! 1. make sure `P` is non-empty (an LP; "infeasible" closes the node with a Farkas
//!    certificate);
//! 2. Algorithm 2: for every unassigned point `(x, y)` and every subset `I` (one per
//!    symmetry orbit), decide `mu = min_P sum_{j in I} (w_j . x + b_j)` against `y`. A pool
//!    point with value `< y` proves `mu < y` without an LP; otherwise the lower-bound LP is
//!    solved exactly: `mu < y` adds its optimal vertex to the pool, `mu = y` forces the
//!    point into `S_I` (then the pass restarts), `mu > y` rejects the node;
//! 3. all points assigned: any point of `P` is a fit; otherwise branch on one point over the
//!    canonical subsets (Algorithm 1, lines 4-10).

use super::symmetry::{canonical_masks, classes};
use super::system::{PoolPoint, Problem};
use crate::lp::{self, Lp, LpAnswer, MinComparison};
use crate::num::Int;
use crate::num::Rational;
use crate::solve::settings::{Progress, SolveSettings, Stats};
use std::sync::atomic::{AtomicBool, Ordering as AtOrd};
use std::time::{Duration, Instant};

/// Cap on stored pool points per node.
const POOL_CAP: usize = 64;

/// Result of a subtree.
#[derive(Debug, Clone)]
pub enum NodeResult {
    /// A parameter vector satisfying (6) with every point assigned.
    Fit(Vec<Rational>),
    /// The subtree is exhausted; every leaf was closed by a checked certificate.
    No,
    /// Stopped: time limit, cancellation or a failed certificate (the reason).
    Stopped(String),
}

/// One search-tree node's state.
#[derive(Debug, Clone)]
pub struct Node {
    /// Subset (bit mask) of each assigned point.
    pub assign: Vec<Option<u32>>,
    /// Exact points of the node's polyhedron `P`.
    pub pool: Vec<PoolPoint>,
    /// Depth (root = 0).
    pub depth: usize,
}

/// A sequential searcher (one per thread).
pub struct Searcher<'a> {
    /// The problem.
    pub prob: &'a Problem,
    /// Settings (time limit, cancel flag, observer, checks).
    pub settings: &'a SolveSettings,
    /// Start of the run.
    pub start: Instant,
    /// Set when some thread found a fit or stopped: others stop early.
    pub done: &'a AtomicBool,
    /// Counters.
    pub stats: Stats,
    last_report: Duration,
}

enum Upper {
    Reaches(Option<Vec<Rational>>),
    Below,
    Empty,
}

/// Is `mask` alone in its orbit (each class entirely in or entirely out)?
fn orbit_is_trivial(classes: &[Vec<usize>], mask: u32) -> bool {
    classes.iter().all(|c| {
        let inside = c.iter().filter(|&&j| mask >> j & 1 == 1).count();
        inside == 0 || inside == c.len()
    })
}

enum Lower {
    Below(Vec<Rational>),
    /// `mu >= y` proven with bound `y`; a point of `P` attaining it, when known.
    Equal(Option<Vec<Rational>>),
    Above,
    Empty,
}

impl<'a> Searcher<'a> {
    /// A searcher with zeroed statistics.
    pub fn new(
        prob: &'a Problem,
        settings: &'a SolveSettings,
        start: Instant,
        done: &'a AtomicBool,
    ) -> Self {
        Searcher {
            prob,
            settings,
            start,
            done,
            stats: Stats::default(),
            last_report: Duration::ZERO,
        }
    }

    fn stop_reason(&mut self, depth: usize) -> Option<String> {
        let elapsed = self.start.elapsed();
        if let Some(obs) = &self.settings.observer {
            if elapsed >= self.last_report + Duration::from_millis(100) {
                self.last_report = elapsed;
                obs.progress(&Progress {
                    nodes: self.stats.nodes,
                    lps: self.stats.lps,
                    depth,
                    elapsed,
                    total: None,
                });
            }
        }
        if let Some(limit) = self.settings.time_limit {
            if elapsed >= limit {
                return Some(format!(
                    "time limit of {:.3} s reached",
                    limit.as_secs_f64()
                ));
            }
        }
        if let Some(c) = &self.settings.cancel {
            if c.load(AtOrd::Relaxed) {
                return Some("interrupted".into());
            }
        }
        if self.done.load(AtOrd::Relaxed) {
            return Some("another worker finished".into());
        }
        None
    }

    /// One LP, certified: the float twin guesses a basis (`lp_time`), exact square solves
    /// build the certificate and [`lp::check`] re-verifies it (`check_time`); if that fails,
    /// the exact simplex solves it (counted in `lp_fallbacks`).
    fn solve_lp(&mut self, lp: &Lp) -> LpAnswer {
        self.stats.lps += 1;
        if !self.settings.exact_lp_only {
            let t0 = Instant::now();
            let fr = lp::float::solve(lp);
            let t1 = Instant::now();
            self.stats.lp_time += t1 - t0;
            let cand = match lp::simplex::from_basis(lp, &fr.basis, &fr.status) {
                Some(LpAnswer::Unbounded { .. }) => lp::float_basis_answer(lp),
                other => other,
            };
            let ok = cand.as_ref().is_some_and(|a| lp::check(lp, a).is_ok());
            self.stats.check_time += t1.elapsed();
            if ok {
                return cand.expect("checked answer");
            }
            self.stats.lp_fallbacks += 1;
        }
        let t = Instant::now();
        let answer = lp::solve_unchecked(lp);
        self.stats.lp_time += t.elapsed();
        if self.settings.checked() {
            let t = Instant::now();
            let answer = lp::certified(lp, answer);
            self.stats.check_time += t.elapsed();
            answer
        } else {
            answer
        }
    }

    /// A point of `P`, or `None` if `P` is empty (Farkas-certified).
    fn feasible_point(&mut self, lp: &Lp) -> Result<Option<Vec<Rational>>, String> {
        match self.solve_lp(lp) {
            LpAnswer::Feasible { point } => Ok(Some(point)),
            LpAnswer::Infeasible { .. } => Ok(None),
            LpAnswer::CertificationFailed { reason } => Err(reason),
            other => Err(format!("unexpected LP answer {}", other.kind())),
        }
    }

    /// `lower-bound` of Algorithm 2, compared exactly with `y`.
    /// Decide `min c . v < t` over the node's system, certified (see [`lp::compare_min`]).
    fn compare(
        &mut self,
        lp: &mut Lp,
        c: Vec<Rational>,
        t: &Rational,
    ) -> Result<MinComparison, String> {
        self.stats.lps += 1;
        lp.minimize(c);
        let result = if self.settings.exact_lp_only {
            let answer = self.solve_lp(lp);
            self.stats.lps -= 1;
            match answer {
                LpAnswer::Optimal { point, value, dual } => Ok(if value < *t {
                    MinComparison::Below { point }
                } else {
                    let point = (value == *t).then_some(point);
                    MinComparison::AtLeast {
                        dual,
                        bound: value,
                        point,
                    }
                }),
                LpAnswer::Unbounded { point, ray } => {
                    let c = lp.objective.as_ref().expect("objective");
                    let f0 = dot(c, &point);
                    let fr = dot(c, &ray);
                    let step = if f0 < *t {
                        Rational::ZERO
                    } else {
                        (&f0 - t) / (-fr) + Rational::ONE
                    };
                    Ok(MinComparison::Below {
                        point: point.iter().zip(&ray).map(|(p, r)| p + &step * r).collect(),
                    })
                }
                LpAnswer::Infeasible { farkas } => Ok(MinComparison::Infeasible { farkas }),
                LpAnswer::CertificationFailed { reason } => Err(reason),
                other => Err(format!("unexpected LP answer {}", other.kind())),
            }
        } else {
            let mut timer = lp::LpTimer::default();
            let r = lp::compare_min(lp, t, &mut timer);
            self.stats.lp_time += timer.solve;
            self.stats.check_time += timer.certify;
            self.stats.lp_fallbacks += timer.fallbacks;
            r
        };
        lp.objective = None;
        result
    }

    /// `lower-bound` of Algorithm 2, compared exactly with `y`. `mu >= y` proven by a dual
    /// bound equal to `y` counts as `Equal`: forcing is sound whenever `mu >= y` (the
    /// paper's exchange argument only uses `phi(x) >= f_I(x) >= y`).
    fn lower_bound(&mut self, lp: &mut Lp, i: usize, mask: u32) -> Result<Lower, String> {
        let c = self.prob.sum_coeffs(i, mask);
        let y = self.prob.ys[i].clone();
        Ok(match self.compare(lp, c, &y)? {
            MinComparison::Below { point } => Lower::Below(point),
            MinComparison::AtLeast { bound, point, .. } if bound == y => Lower::Equal(point),
            MinComparison::AtLeast { .. } => Lower::Above,
            MinComparison::Infeasible { .. } => Lower::Empty,
        })
    }

    /// `max_P sum_{j in mask} (w_j . x_i + b_j)` compared exactly with `y_i`.
    fn upper_bound(&mut self, lp: &mut Lp, i: usize, mask: u32) -> Result<Upper, String> {
        let c: Vec<Rational> = self.prob.sum_coeffs(i, mask).iter().map(|x| -x).collect();
        let t = -&self.prob.ys[i];
        Ok(match self.compare(lp, c, &t)? {
            MinComparison::Below { point } => Upper::Reaches(Some(point)),
            // max <= y, and = y may be attained: counts as reaching (never prunes).
            MinComparison::AtLeast { bound, point, .. } if bound == t => Upper::Reaches(point),
            MinComparison::AtLeast { .. } => Upper::Below,
            MinComparison::Infeasible { .. } => Upper::Empty,
        })
    }

    /// Algorithm 2 on `node` (in place). `Ok(false)`: the node is rejected.
    fn check_forced_points(&mut self, node: &mut Node) -> Result<bool, String> {
        let mut sys = self.prob.system(&node.assign);
        loop {
            if node.pool.is_empty() {
                match self.feasible_point(&sys)? {
                    Some(p) => node.pool.push(PoolPoint::new(p)),
                    None => {
                        self.stats.closed_by_farkas += 1;
                        return Ok(false);
                    }
                }
            }
            let cls = classes(self.prob.k, node.assign.iter().flatten().copied());
            let masks = canonical_masks(&cls);
            let mut forced = None;
            'points: for i in 0..self.prob.len() {
                if node.assign[i].is_some() {
                    continue;
                }
                // Scaled pre-activations of point i under every pool point (integers).
                let mut table: Vec<(Vec<Int>, Int)> = node
                    .pool
                    .iter()
                    .map(|p| self.prob.scaled_preacts(p, i))
                    .collect();
                for &mask in &masks {
                    let witnessed = table.iter().any(|(zs, t)| {
                        let mut sum = Int::ZERO;
                        for (j, z) in zs.iter().enumerate() {
                            if mask >> j & 1 == 1 {
                                sum += z;
                            }
                        }
                        sum < *t
                    });
                    if witnessed {
                        self.stats.lps_avoided += 1;
                        continue;
                    }
                    match self.lower_bound(&mut sys, i, mask)? {
                        Lower::Below(q) => {
                            if node.pool.len() >= POOL_CAP {
                                node.pool.remove(0);
                                table.remove(0);
                            }
                            let p = PoolPoint::new(q);
                            table.push(self.prob.scaled_preacts(&p, i));
                            node.pool.push(p);
                        }
                        Lower::Equal(point) => {
                            self.stats.forced_points += 1;
                            forced = Some((i, mask));
                            // Kept if it also satisfies the forced rows (checked below).
                            if let Some(q) = point {
                                node.pool.push(PoolPoint::new(q));
                            }
                            break 'points;
                        }
                        Lower::Above => {
                            self.stats.rejected_by_bound += 1;
                            return Ok(false);
                        }
                        Lower::Empty => {
                            self.stats.closed_by_farkas += 1;
                            return Ok(false);
                        }
                    }
                }
            }
            if forced.is_none() && !self.settings.paper_rules_only {
                // Second pass, after the lower bounds (whose vertices enrich the pool).
                'upper: for i in 0..self.prob.len() {
                    if node.assign[i].is_some() {
                        continue;
                    }
                    let mut table: Vec<(Vec<Int>, Int)> = node
                        .pool
                        .iter()
                        .map(|p| self.prob.scaled_preacts(p, i))
                        .collect();
                    // Upper-bound test (an addition to Algorithm 2, see the module docs):
                    // phi(x) = max_I f_I(x), so some subset must reach y.
                    let reached = |table: &[(Vec<Int>, Int)], mask: u32| {
                        table.iter().any(|(zs, t)| {
                            let mut sum = Int::ZERO;
                            for (j, z) in zs.iter().enumerate() {
                                if mask >> j & 1 == 1 {
                                    sum += z;
                                }
                            }
                            sum >= *t
                        })
                    };
                    if masks.iter().any(|&m| reached(&table, m)) {
                        continue;
                    }
                    let mut reaching = Vec::new();
                    for &mask in &masks {
                        match self.upper_bound(&mut sys, i, mask)? {
                            Upper::Reaches(q) => {
                                reaching.push(mask);
                                if let Some(q) = q {
                                    if node.pool.len() >= POOL_CAP {
                                        node.pool.remove(0);
                                        table.remove(0);
                                    }
                                    let p = PoolPoint::new(q);
                                    table.push(self.prob.scaled_preacts(&p, i));
                                    node.pool.push(p);
                                }
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
                            forced = Some((i, *m));
                            break 'upper;
                        }
                        _ => {}
                    }
                }
            }
            match forced {
                None => return Ok(true),
                Some((i, mask)) => {
                    node.assign[i] = Some(mask);
                    self.prob.push_rows(&mut sys, i, mask);
                    let prob = self.prob;
                    node.pool.retain(|p| prob.satisfies(&p.q, i, mask));
                }
            }
        }
    }

    /// Process `node` up to (not including) its children. `Ok(Err(result))` when the node is
    /// decided on its own; `Ok(Ok((point, masks)))` gives the branching point and subsets.
    pub fn expand(&mut self, node: &mut Node) -> Result<(usize, Vec<u32>), NodeResult> {
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
        let Some(i) = self.branch_point(node) else {
            return Err(NodeResult::Fit(node.pool[0].q.clone()));
        };
        let cls = classes(self.prob.k, node.assign.iter().flatten().copied());
        let masks = canonical_masks(&cls)
            .into_iter()
            // The empty subset gives phi(x) = 0: impossible for y != 0 (exactly).
            .filter(|&m| m != 0 || self.prob.ys[i] == Rational::ZERO)
            .collect();
        Ok((i, masks))
    }

    /// The child of `node` with point `i` put into subset `mask`.
    pub fn child(&self, node: &Node, i: usize, mask: u32) -> Node {
        let mut assign = node.assign.clone();
        assign[i] = Some(mask);
        let pool = node
            .pool
            .iter()
            .filter(|p| self.prob.satisfies(&p.q, i, mask))
            .cloned()
            .collect();
        Node {
            assign,
            pool,
            depth: node.depth + 1,
        }
    }

    /// Depth-first search of the subtree at `node`.
    pub fn search(&mut self, mut node: Node) -> NodeResult {
        let (i, masks) = match self.expand(&mut node) {
            Ok(b) => b,
            Err(r) => return r,
        };
        for mask in masks {
            let child = self.child(&node, i, mask);
            match self.search(child) {
                NodeResult::No => {}
                other => return other,
            }
        }
        NodeResult::No
    }

    /// Branching point: the first unassigned point in input order. Measured against
    /// "largest label" and "largest misfit of the current pool point" on planted
    /// instances, input order (random for planted data) gave the smallest trees
    /// (docs/lp.md).
    fn branch_point(&self, node: &Node) -> Option<usize> {
        node.assign.iter().position(Option::is_none)
    }
}

fn dot(a: &[Rational], b: &[Rational]) -> Rational {
    a.iter()
        .zip(b)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}
