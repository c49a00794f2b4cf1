//! The depth-first search over activation patterns for one sign vector.
//!
//! A node assigns some data points a *pattern* (the set of neurons active there) and keeps
//! the polyhedron `P` of parameters `theta` satisfying their constraints (the system of
//! [`crate::solve::system`]). Processing a node propagates to a fixpoint:
//!
//! 1. `P` empty (checked Farkas vector): the node is closed;
//! 2. the equations pin `P` to one point (exact rank): every other point is decided by
//!    exact evaluation at that point;
//! 3. *sign probes*: for every unassigned point and neuron (one per class of interchangeable
//!    neurons), can the pre-activation be `> 0` on `P`, can it be `< 0`? A float vertex of
//!    `P` from the pool answers most "yes" questions for free; a "no" is certified by a dual
//!    bound and *forces* the neuron (inactive, or active: a pre-activation that is `>= 0` on
//!    all of `P` may be counted as active, since at `0` both patterns give the same value);
//!    forced statuses are inherited by the children (`P` only shrinks);
//! 4. candidate patterns: one per orbit of the neuron symmetry (a prefix of each class),
//!    consistent with the forced neurons, not already proven empty. For the points with the
//!    fewest candidates (most constrained first), each candidate is tested: a pool vertex
//!    that fits it, or a float LP, says "possible"; "empty" is certified by a Farkas vector
//!    (and remembered for the whole orbit, inherited by the children). A point with no
//!    possible pattern closes the node; a point with exactly one is assigned without a
//!    branch, and propagation restarts;
//! 5. otherwise the node branches on the point with the fewest possible patterns.
//!
//! Every pruning step rests on a checked certificate, and every "possible" only adds a
//! branch, so the search is complete: a "no" means every branch was closed by a checked
//! certificate. A leaf (every point assigned) yields an exact point of `P`, which fits every
//! point by construction and is handed to the exact verifier by the caller.
//!
//! Memory is the path from the root: one node (its system, warm start and pool) per level,
//! so `O(depth x LP size)`, never proportional to the size of the tree.

use super::probe::{equations_pin_point, Feasibility, LpCounters, Oracle, Probe};
use crate::lp::int::{IntLp, WarmStart};
use crate::num::{to_f64, Rational};
use crate::solve::exactfit::symmetry::{canonical_masks, classes};
use crate::solve::settings::{Observer, Progress};
use crate::solve::system::Problem;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a search stopped without an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The time limit was reached.
    TimeLimit,
    /// Cancelled (Ctrl-C).
    Cancelled,
    /// The memory budget would be exceeded.
    Memory(String),
    /// A certificate failed its exact check even on the generic path (a bug).
    Certificate(String),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::TimeLimit => f.write_str("time limit reached"),
            Stop::Cancelled => f.write_str("interrupted"),
            Stop::Memory(m) => write!(f, "memory limit: {m}"),
            Stop::Certificate(r) => write!(f, "a certificate failed its exact check: {r}"),
        }
    }
}

/// Counters of one search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Nodes processed.
    pub nodes: u64,
    /// Deepest node (root = 0).
    pub max_depth: usize,
    /// Nodes closed because `P` is empty (checked Farkas vector).
    pub closed_empty: u64,
    /// Nodes closed because some point has no possible pattern left (each one excluded by
    /// a checked certificate).
    pub closed_no_pattern: u64,
    /// Nodes decided by evaluation at the single point of `P` (exact rank of the
    /// equations): closed when some point misfits there.
    pub closed_by_point: u64,
    /// Points assigned without a branch (exactly one possible pattern).
    pub forced_points: u64,
    /// Neuron statuses forced by checked dual bounds (counting class members).
    pub forced_neurons: u64,
    /// Patterns proven empty by checked Farkas vectors.
    pub pruned_patterns: u64,
    /// Sign probes and pattern tests answered by a pool vertex instead of an LP.
    pub answered_by_pool: u64,
    /// Leaves reached with a fitting parameter vector.
    pub fits: u64,
    /// LP work.
    pub lp: LpCounters,
}

impl SearchStats {
    /// Add another search's counters (`max_depth` takes the maximum).
    pub fn merge(&mut self, o: &SearchStats) {
        self.nodes += o.nodes;
        self.max_depth = self.max_depth.max(o.max_depth);
        self.closed_empty += o.closed_empty;
        self.closed_no_pattern += o.closed_no_pattern;
        self.closed_by_point += o.closed_by_point;
        self.forced_points += o.forced_points;
        self.forced_neurons += o.forced_neurons;
        self.pruned_patterns += o.pruned_patterns;
        self.answered_by_pool += o.answered_by_pool;
        self.fits += o.fits;
        self.lp.guesses += o.lp.guesses;
        self.lp.certificates += o.lp.certificates;
        self.lp.fallbacks += o.lp.fallbacks;
        self.lp.float_time += o.lp.float_time;
        self.lp.exact_time += o.lp.exact_time;
    }
}

/// A leaf of the search: an exact parameter vector `theta` fitting every point, and whether
/// the equations pin the leaf's polyhedron to that single point.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// `theta` (see [`crate::solve::system`]).
    pub theta: Vec<Rational>,
    /// `P` is exactly `{theta}` (proven by the rank of its equations).
    pub single_point: bool,
    /// The leaf's system, for callers that explore `P` further (`--all`).
    pub system: IntLp,
}

/// One node of the search tree.
#[derive(Clone)]
struct Node {
    /// The pattern of each assigned point.
    assign: Vec<Option<u32>>,
    /// Per point: (neurons proven active on `P`, neurons proven inactive on `P`).
    forced: Vec<(u32, u32)>,
    /// Per point, `words` words: the patterns proven empty on `P`.
    pruned: Vec<u64>,
    /// System of the assigned points.
    lp: IntLp,
    /// Float state of the last LP over `lp`'s rows.
    warm: WarmStart,
    /// Float vertices of (approximately) `P`: witnesses for "possible".
    pool: Vec<Vec<f64>>,
    depth: usize,
}

/// Most float vertices kept per node.
const POOL_CAP: usize = 24;

enum Step {
    Closed,
    Leaf(Leaf),
    Branch(usize, Vec<u32>),
}

/// What the driver does with a leaf: `true` to go on searching (listing all fits).
pub type OnLeaf<'a> = dyn FnMut(Leaf) -> bool + 'a;

/// A sequential search for one sign vector.
pub struct Searcher<'a> {
    prob: &'a Problem,
    k: usize,
    words: usize,
    /// `(x_i, 1)` in floats.
    inputs: Vec<Vec<f64>>,
    ys: Vec<f64>,
    /// `+1.0` / `-1.0` per neuron.
    signs: Vec<f64>,
    oracle: Oracle,
    /// Counters.
    pub stats: SearchStats,
    observer: Option<Arc<dyn Observer>>,
    start: Instant,
    last_report: Duration,
    /// Bytes the path from the root may use.
    memory_budget: usize,
}

impl<'a> Searcher<'a> {
    /// A searcher for `prob` (which must be [`Problem::int_ready`]).
    pub fn new(
        prob: &'a Problem,
        start: Instant,
        limit: Option<Duration>,
        cancel: Option<Arc<std::sync::atomic::AtomicBool>>,
        observer: Option<Arc<dyn Observer>>,
        memory_budget: usize,
    ) -> Self {
        let inputs = prob
            .xs
            .iter()
            .map(|x| x.iter().map(to_f64).chain(std::iter::once(1.0)).collect())
            .collect();
        Searcher {
            prob,
            k: prob.k,
            words: (1usize << prob.k).div_ceil(64),
            inputs,
            ys: prob.ys.iter().map(to_f64).collect(),
            signs: (0..prob.k)
                .map(|j| if prob.neg >> j & 1 == 1 { -1.0 } else { 1.0 })
                .collect(),
            oracle: Oracle::new(start, limit, cancel),
            stats: SearchStats::default(),
            observer,
            start,
            last_report: Duration::ZERO,
            memory_budget,
        }
    }

    fn sign(&self, j: usize) -> i64 {
        if self.prob.neg >> j & 1 == 1 {
            -1
        } else {
            1
        }
    }

    /// `theta_j . (x_i, 1)` at a float vertex, and the size of its terms.
    fn term(&self, theta: &[f64], i: usize, j: usize) -> (f64, f64) {
        let h = &self.inputs[i];
        let base = j * h.len();
        let mut v = 0.0;
        let mut size = 0.0;
        for (t, x) in theta[base..base + h.len()].iter().zip(h) {
            v += t * x;
            size += (t * x).abs();
        }
        (v, size)
    }

    /// Does the float vertex satisfy the constraints of pattern `mask` at point `i`, within
    /// a relative tolerance? (Only ever used as evidence for "possible".)
    fn fits_float(&self, theta: &[f64], i: usize, mask: u32) -> bool {
        let mut sum = 0.0;
        let mut size = self.ys[i].abs();
        for j in 0..self.k {
            let (v, s) = self.term(theta, i, j);
            let tol = 1e-9 * (1.0 + s);
            let pre = self.signs[j] * v;
            if mask >> j & 1 == 1 {
                if pre < -tol {
                    return false;
                }
                sum += v;
                size += s;
            } else if pre > tol {
                return false;
            }
        }
        (sum - self.ys[i]).abs() <= 1e-9 * (1.0 + size)
    }

    fn add_to_pool(&self, node: &mut Node, point: Option<Vec<f64>>) {
        if let Some(p) = point {
            if node.pool.len() >= POOL_CAP {
                node.pool.remove(0);
            }
            node.pool.push(p);
        }
    }

    /// The root node.
    fn root(&self) -> Node {
        let n = self.prob.len();
        Node {
            assign: vec![None; n],
            forced: vec![(0, 0); n],
            pruned: vec![0; n * self.words],
            lp: IntLp::new(self.prob.num_vars()),
            warm: WarmStart::default(),
            pool: Vec::new(),
            depth: 0,
        }
    }

    /// Assign pattern `mask` to point `i` (rows appended, pool filtered).
    fn assign(&self, node: &mut Node, i: usize, mask: u32) {
        node.assign[i] = Some(mask);
        self.prob.push_int_rows(&mut node.lp, i, mask);
        node.pool.retain(|p| self.fits_float(p, i, mask));
    }

    fn is_pruned(&self, node: &Node, i: usize, mask: u32) -> bool {
        let m = mask as usize;
        node.pruned[i * self.words + m / 64] >> (m % 64) & 1 == 1
    }

    /// Mark `mask` and its whole orbit under the symmetry `cls` as empty for point `i`
    /// (`P` is invariant under permutations inside a class, so the orbit shares the proof).
    fn prune_orbit(&mut self, node: &mut Node, i: usize, mask: u32, cls: &[Vec<usize>]) {
        let counts: Vec<usize> = cls
            .iter()
            .map(|c| c.iter().filter(|&&j| mask >> j & 1 == 1).count())
            .collect();
        for m in 0..1u32 << self.k {
            let same = cls
                .iter()
                .zip(&counts)
                .all(|(c, &n)| c.iter().filter(|&&j| m >> j & 1 == 1).count() == n);
            if same {
                let mu = m as usize;
                node.pruned[i * self.words + mu / 64] |= 1 << (mu % 64);
            }
        }
        self.stats.pruned_patterns += 1;
    }

    /// Progress report and limits; called once per node and before every LP.
    fn tick(&mut self, depth: usize) -> Result<(), Stop> {
        self.oracle.check()?;
        let elapsed = self.start.elapsed();
        if let Some(obs) = &self.observer {
            if elapsed >= self.last_report + Duration::from_millis(100) {
                self.last_report = elapsed;
                obs.progress(&Progress {
                    nodes: self.stats.nodes,
                    lps: self.stats.lp.guesses,
                    depth,
                    elapsed,
                    total: None,
                });
            }
        }
        Ok(())
    }

    /// Classes of interchangeable neurons: equal output sign and equal membership in every
    /// assigned pattern.
    fn classes(&self, node: &Node) -> Vec<Vec<usize>> {
        classes(
            self.k,
            node.assign
                .iter()
                .flatten()
                .copied()
                .chain(std::iter::once(self.prob.neg)),
        )
    }

    /// Sign probes for point `i` (one neuron per class); `Ok(false)` if `P` is empty.
    fn probe_statuses(
        &mut self,
        node: &mut Node,
        i: usize,
        cls: &[Vec<usize>],
    ) -> Result<bool, Stop> {
        for class in cls {
            let j = class[0];
            let (act, inact) = node.forced[i];
            if (act | inact) >> j & 1 == 1 {
                continue;
            }
            let class_bits = class.iter().fold(0u32, |m, &c| m | 1 << c);
            let s = self.signs[j];
            let mut can_pos = false;
            let mut can_neg = false;
            for p in &node.pool {
                let (v, size) = self.term(p, i, j);
                let pre = s * v;
                let tol = 1e-7 * (1.0 + size);
                can_pos |= pre > tol;
                can_neg |= pre < -tol;
            }
            if can_pos {
                self.stats.answered_by_pool += 1;
            } else {
                // min of -pre < 0 ?
                let c = self.prob.int_neuron_objective(i, j, -self.sign(j));
                match self.oracle.probe(&node.lp, &c, &mut node.warm)? {
                    Probe::Possible(p) => self.add_to_pool(node, p),
                    Probe::Impossible => {
                        node.forced[i].1 |= class_bits;
                        node.forced[i].0 &= !class_bits;
                        self.stats.forced_neurons += class.len() as u64;
                        continue;
                    }
                    Probe::Empty => return Ok(false),
                }
            }
            if can_neg {
                self.stats.answered_by_pool += 1;
            } else {
                let c = self.prob.int_neuron_objective(i, j, self.sign(j));
                match self.oracle.probe(&node.lp, &c, &mut node.warm)? {
                    Probe::Possible(p) => self.add_to_pool(node, p),
                    Probe::Impossible => {
                        node.forced[i].0 |= class_bits;
                        self.stats.forced_neurons += class.len() as u64;
                    }
                    Probe::Empty => return Ok(false),
                }
            }
        }
        Ok(true)
    }

    /// Canonical patterns for point `i`: consistent with its forced neurons, not proven
    /// empty.
    fn candidates(&self, node: &Node, i: usize, cls: &[Vec<usize>]) -> Vec<u32> {
        let (act, inact) = node.forced[i];
        canonical_masks(cls)
            .into_iter()
            .filter(|&m| m & act == act && m & inact == 0 && !self.is_pruned(node, i, m))
            .collect()
    }

    /// Is pattern `mask` possible for point `i` on `P`? "No" is certified (and remembered).
    fn pattern_possible(
        &mut self,
        node: &mut Node,
        i: usize,
        mask: u32,
        cls: &[Vec<usize>],
    ) -> Result<bool, Stop> {
        if node.pool.iter().any(|p| self.fits_float(p, i, mask)) {
            self.stats.answered_by_pool += 1;
            return Ok(true);
        }
        let len = node.lp.len();
        self.prob.push_int_rows(&mut node.lp, i, mask);
        let mut warm = node.warm.clone();
        let r = self.oracle.feasible(&node.lp, &mut warm);
        node.lp.truncate(len);
        match r? {
            Feasibility::Possible(p) => {
                self.add_to_pool(node, p);
                Ok(true)
            }
            Feasibility::Empty => {
                self.prune_orbit(node, i, mask, cls);
                Ok(false)
            }
        }
    }

    /// `P` is the single point `theta` (exact): decide every unassigned point by exact
    /// evaluation there.
    fn decide_at_point(&mut self, node: &Node, theta: Vec<Rational>) -> Step {
        let neg = self.prob.neg;
        for i in 0..self.prob.len() {
            if node.assign[i].is_some() {
                continue;
            }
            let active = (0..self.k)
                .filter(|&j| {
                    let z = self.prob.preact(&theta, i, j);
                    if neg >> j & 1 == 1 {
                        z < Rational::ZERO
                    } else {
                        z > Rational::ZERO
                    }
                })
                .fold(0u32, |m, j| m | 1 << j);
            if !self.prob.satisfies(&theta, i, active) {
                self.stats.closed_by_point += 1;
                return Step::Closed;
            }
        }
        Step::Leaf(Leaf {
            theta,
            single_point: true,
            system: node.lp.clone(),
        })
    }

    /// Propagate at `node` to a fixpoint and decide what to do with it.
    fn process(&mut self, node: &mut Node) -> Result<Step, Stop> {
        let mut pin_checked_rows = usize::MAX;
        loop {
            self.tick(node.depth)?;
            if node.pool.is_empty() {
                match self.oracle.feasible(&node.lp, &mut node.warm)? {
                    Feasibility::Possible(p) => self.add_to_pool(node, p),
                    Feasibility::Empty => {
                        self.stats.closed_empty += 1;
                        return Ok(Step::Closed);
                    }
                }
            }
            let unassigned: Vec<usize> = (0..self.prob.len())
                .filter(|&i| node.assign[i].is_none())
                .collect();
            if unassigned.is_empty() {
                return Ok(match self.oracle.exact_point(&node.lp, &mut node.warm)? {
                    Some(theta) => Step::Leaf(Leaf {
                        theta,
                        single_point: equations_pin_point(&node.lp),
                        system: node.lp.clone(),
                    }),
                    None => {
                        self.stats.closed_empty += 1;
                        Step::Closed
                    }
                });
            }
            if node.lp.len() != pin_checked_rows {
                pin_checked_rows = node.lp.len();
                if equations_pin_point(&node.lp) {
                    return Ok(match self.oracle.exact_point(&node.lp, &mut node.warm)? {
                        Some(theta) => self.decide_at_point(node, theta),
                        None => {
                            self.stats.closed_empty += 1;
                            Step::Closed
                        }
                    });
                }
            }
            let cls = self.classes(node);
            let mut order: Vec<(usize, usize, Vec<u32>)> = Vec::with_capacity(unassigned.len());
            for &i in &unassigned {
                if !self.probe_statuses(node, i, &cls)? {
                    self.stats.closed_empty += 1;
                    return Ok(Step::Closed);
                }
                let c = self.candidates(node, i, &cls);
                if c.is_empty() {
                    self.stats.closed_no_pattern += 1;
                    return Ok(Step::Closed);
                }
                order.push((c.len(), i, c));
            }
            order.sort_by_key(|(n, i, _)| (*n, *i));
            let mut best: Option<(usize, Vec<u32>)> = None;
            let mut forced: Option<(usize, u32)> = None;
            for (count, i, cands) in order {
                if best.as_ref().is_some_and(|(_, b)| count > b.len()) {
                    break;
                }
                let mut possible = Vec::with_capacity(cands.len());
                for m in cands {
                    self.tick(node.depth)?;
                    if self.pattern_possible(node, i, m, &cls)? {
                        possible.push(m);
                    }
                }
                match possible.len() {
                    0 => {
                        self.stats.closed_no_pattern += 1;
                        return Ok(Step::Closed);
                    }
                    1 => {
                        forced = Some((i, possible[0]));
                        break;
                    }
                    n => {
                        if best.as_ref().is_none_or(|(_, b)| n < b.len()) {
                            best = Some((i, possible));
                        }
                    }
                }
            }
            if let Some((i, m)) = forced {
                self.stats.forced_points += 1;
                self.assign(node, i, m);
                continue;
            }
            let (i, masks) = best.expect("at least one point was evaluated");
            return Ok(Step::Branch(i, masks));
        }
    }

    /// Bytes held by a node (its system, float state and tables), for the memory budget.
    fn node_bytes(&self, node: &Node) -> usize {
        let rows = node.lp.len();
        let vars = self.prob.num_vars();
        // i64 + f64 copies of the rows, the float tableau (vars + 1 rows, ~rows + vars
        // columns), the per-point tables and the pool.
        rows * vars * 16
            + (vars + 1) * (rows * 2 + vars + 1) * 8
            + node.assign.len() * (16 + 8 * self.words)
            + node.pool.len() * vars * 8
    }

    /// Depth-first search from the root. `on_leaf` receives every leaf and says whether to
    /// go on. Returns `Ok(true)` when the tree was exhausted, `Ok(false)` when `on_leaf`
    /// stopped it.
    pub fn run(&mut self, on_leaf: &mut OnLeaf<'_>) -> Result<bool, Stop> {
        // Pending branches: (parent, point, patterns still to explore, in order).
        let mut stack: Vec<(Node, usize, std::vec::IntoIter<u32>)> = Vec::new();
        let mut path_bytes: Vec<usize> = Vec::new();
        let mut current = Some(self.root());
        loop {
            if let Some(mut node) = current.take() {
                self.stats.nodes += 1;
                self.stats.max_depth = self.stats.max_depth.max(node.depth);
                match self.process(&mut node)? {
                    Step::Closed => {}
                    Step::Leaf(leaf) => {
                        self.stats.fits += 1;
                        if !on_leaf(leaf) {
                            return Ok(false);
                        }
                    }
                    Step::Branch(i, masks) => {
                        let bytes = self.node_bytes(&node);
                        let total: usize = path_bytes.iter().sum::<usize>() + bytes;
                        if total > self.memory_budget {
                            return Err(Stop::Memory(format!(
                                "the search path would hold about {} MB at depth {} (budget {} MB)",
                                total >> 20,
                                node.depth,
                                self.memory_budget >> 20
                            )));
                        }
                        path_bytes.push(bytes);
                        stack.push((node, i, masks.into_iter()));
                    }
                }
            }
            let Some((parent, i, rest)) = stack.last_mut() else {
                return Ok(true);
            };
            let i = *i;
            let Some(mask) = rest.next() else {
                stack.pop();
                path_bytes.pop();
                continue;
            };
            let mut child = if rest.len() == 0 {
                // The last child takes the parent's state instead of a copy.
                let (parent, _, _) = stack.pop().expect("non-empty");
                path_bytes.pop();
                parent
            } else {
                parent.clone()
            };
            child.depth += 1;
            self.assign(&mut child, i, mask);
            current = Some(child);
        }
    }

    /// The LP counters collected so far (into [`SearchStats::lp`]).
    pub fn finish(&mut self) -> SearchStats {
        self.stats.lp = self.oracle.counters.clone();
        self.stats.clone()
    }
}
