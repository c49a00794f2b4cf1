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
use super::system::Problem;
use crate::lp::{self, Lp, LpAnswer};
use crate::num::Rational;
use crate::solve::settings::{Progress, SolveSettings, Stats};
use std::cmp::Ordering;
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
    pub pool: Vec<Vec<Rational>>,
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

enum Lower {
    Below(Vec<Rational>),
    Equal,
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
    fn feasible_point(&mut self, assign: &[Option<u32>]) -> Result<Option<Vec<Rational>>, String> {
        let lp = self.prob.system(assign);
        match self.solve_lp(&lp) {
            LpAnswer::Feasible { point } => Ok(Some(point)),
            LpAnswer::Infeasible { .. } => Ok(None),
            LpAnswer::CertificationFailed { reason } => Err(reason),
            other => Err(format!("unexpected LP answer {}", other.kind())),
        }
    }

    /// `lower-bound` of Algorithm 2, compared exactly with `y`.
    fn lower_bound(
        &mut self,
        assign: &[Option<u32>],
        i: usize,
        mask: u32,
    ) -> Result<Lower, String> {
        let mut lp = self.prob.system(assign);
        let c = self.prob.sum_coeffs(i, mask);
        lp.minimize(c.clone());
        let y = &self.prob.ys[i];
        match self.solve_lp(&lp) {
            LpAnswer::Optimal { point, value, .. } => Ok(match value.cmp(y) {
                Ordering::Less => Lower::Below(point),
                Ordering::Equal => Lower::Equal,
                Ordering::Greater => Lower::Above,
            }),
            LpAnswer::Unbounded { point, ray } => {
                // Walk along the ray until the objective is below y (exactly).
                let f0 = dot(&c, &point);
                let fr = dot(&c, &ray);
                let t = if f0 < *y {
                    Rational::ZERO
                } else {
                    (&f0 - y) / (-fr) + Rational::ONE
                };
                let q = point.iter().zip(&ray).map(|(p, r)| p + &t * r).collect();
                Ok(Lower::Below(q))
            }
            LpAnswer::Infeasible { .. } => Ok(Lower::Empty),
            LpAnswer::CertificationFailed { reason } => Err(reason),
            other => Err(format!("unexpected LP answer {}", other.kind())),
        }
    }

    fn witnessed(&self, pool: &[Vec<Rational>], i: usize, mask: u32) -> bool {
        let y = &self.prob.ys[i];
        pool.iter().any(|q| {
            let mut s = Rational::ZERO;
            for j in 0..self.prob.k {
                if mask >> j & 1 == 1 {
                    s += self.prob.preact(q, i, j);
                }
            }
            s < *y
        })
    }

    /// Algorithm 2 on `node` (in place). `Ok(false)`: the node is rejected.
    fn check_forced_points(&mut self, node: &mut Node) -> Result<bool, String> {
        loop {
            if node.pool.is_empty() {
                match self.feasible_point(&node.assign)? {
                    Some(p) => node.pool.push(p),
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
                for &mask in &masks {
                    if self.witnessed(&node.pool, i, mask) {
                        self.stats.lps_avoided += 1;
                        continue;
                    }
                    match self.lower_bound(&node.assign, i, mask)? {
                        Lower::Below(q) => {
                            if node.pool.len() >= POOL_CAP {
                                node.pool.remove(0);
                            }
                            node.pool.push(q);
                        }
                        Lower::Equal => {
                            forced = Some((i, mask));
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
            match forced {
                None => return Ok(true),
                Some((i, mask)) => {
                    self.stats.forced_points += 1;
                    node.assign[i] = Some(mask);
                    let prob = self.prob;
                    node.pool.retain(|q| prob.satisfies(q, i, mask));
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
            return Err(NodeResult::Fit(node.pool[0].clone()));
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
            .filter(|q| self.prob.satisfies(q, i, mask))
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
