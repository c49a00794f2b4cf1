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
//!    `P` from the pool answers most "yes" questions for free, the float LP the others. A
//!    "no" *claims* the neuron forced (inactive, or active: a pre-activation that is `>= 0`
//!    on all of `P` may be counted as active, since at `0` both patterns give the same
//!    value);
//! 4. candidate patterns: one per orbit of the neuron symmetry (a prefix of each class),
//!    consistent with the forced neurons, not claimed empty. For the points with the fewest
//!    candidates (most constrained first), each candidate is tested: a pool vertex that
//!    fits it, or a float LP, says "possible"; "empty" is a claim again;
//! 5. the decision: a point with no possible pattern closes the node, a point with exactly
//!    one is assigned without a branch (and propagation restarts), otherwise the node
//!    branches on the point with the fewest possible patterns.
//!
//! **Floats guess, the kernel certifies, and only what is used.** Claims are made by the
//! float twin and cost nothing to keep; only the claims about the one point the decision is
//! about are certified before the decision is taken: forced neurons by checked dual bounds,
//! empty patterns by checked Farkas vectors (remembered for the whole orbit). A claim that
//! fails its certificate is refuted by the checked point it yields, and propagation goes on.
//! Certified facts are inherited by the children (`P` only shrinks), and so are the claims
//! (they are certified where they are used).
//!
//! So every pruning step rests on a checked certificate, and every "possible" only adds a
//! branch: the search is complete, and a "no" means every branch was closed by a checked
//! certificate. A leaf (every point assigned) yields an exact point of `P`, which fits every
//! point by construction and is handed to the exact verifier by the caller.
//!
//! Memory is the path from the root: one node (its system, warm start and pool) per level,
//! so `O(depth x LP size)`, never proportional to the size of the tree.

use super::parallel::SharedBound;
use super::probe::{
    equations_pin_point, Bounded, Certified, Emptiness, Guess, LpCounters, Oracle, Witness,
};
use crate::limits::RunLimits;
use crate::lp::int::{IntLp, WarmStart};
use crate::num::{to_f64, Int, Rational};
use crate::solve::exactfit::symmetry::{canonical_masks, classes};
use crate::solve::progress::{self, SearchTotals, TotalsShare};
use crate::solve::settings::{Observer, Progress};
use crate::solve::system::{FitRows, Problem};
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

impl From<Stop> for crate::solve::StopReason {
    fn from(s: Stop) -> Self {
        use crate::solve::StopReason;
        match s {
            Stop::TimeLimit => StopReason::TimeLimit,
            Stop::Cancelled => StopReason::Cancelled,
            Stop::Memory(m) => StopReason::MemoryLimit(m),
            Stop::Certificate(r) => StopReason::Uncertified(r),
        }
    }
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
    /// Float claims (a forced neuron, an empty pattern) refuted by a checked point when a
    /// decision needed them certified.
    pub refuted_claims: u64,
    /// Sign probes and pattern tests answered by a pool vertex instead of an LP.
    pub answered_by_pool: u64,
    /// Float LPs of sign probes.
    pub probe_lps: u64,
    /// Float LPs of pattern tests.
    pub pattern_lps: u64,
    /// Leaves reached with a fitting parameter vector.
    pub fits: u64,
    /// Failures whose proof did not involve the latest branching decision: the remaining
    /// siblings were skipped with it (conflict-directed backjumping).
    pub backjumps: u64,
    /// Subtrees (pending sibling branches) skipped by backjumps.
    pub skipped_branches: u64,
    /// Nodes pruned because the certified least loss of their assigned points cannot beat
    /// the bound (branch and bound).
    pub closed_by_bound: u64,
    /// Improvements of the incumbent found by the search.
    pub incumbents: u64,
    /// Nodes switched to double-double guesses (ill-conditioned data: the `f64` guesses
    /// failed their certificates too often).
    pub precise_nodes: u64,
    /// Subtrees given to another thread (work sharing).
    pub shared_subtrees: u64,
    /// Decisions "no pattern left" found by trying first the point that had none at the last
    /// node closed at the same depth, before probing the other points (each certified like
    /// any other decision; most become `closed_no_pattern`).
    pub closed_like_sibling: u64,
    /// LP work.
    pub lp: LpCounters,
}

impl SearchStats {
    /// The counters a "no" of this search quotes as its evidence.
    pub fn counts(&self) -> crate::solve::PatternCounts {
        crate::solve::PatternCounts {
            nodes: self.nodes,
            closed_empty: self.closed_empty,
            closed_no_pattern: self.closed_no_pattern,
            pruned_patterns: self.pruned_patterns,
            forced_neurons: self.forced_neurons,
            closed_by_point: self.closed_by_point,
            closed_by_bound: self.closed_by_bound,
            incumbents: self.incumbents,
        }
    }

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
        self.refuted_claims += o.refuted_claims;
        self.answered_by_pool += o.answered_by_pool;
        self.probe_lps += o.probe_lps;
        self.pattern_lps += o.pattern_lps;
        self.fits += o.fits;
        self.backjumps += o.backjumps;
        self.skipped_branches += o.skipped_branches;
        self.precise_nodes += o.precise_nodes;
        self.closed_by_bound += o.closed_by_bound;
        self.incumbents += o.incumbents;
        self.shared_subtrees += o.shared_subtrees;
        self.closed_like_sibling += o.closed_like_sibling;
        self.lp.guesses += o.lp.guesses;
        self.lp.certificates += o.lp.certificates;
        self.lp.fallbacks += o.lp.fallbacks;
        self.lp.retries.cold += o.lp.retries.cold;
        self.lp.retries.precise += o.lp.retries.precise;
        self.lp.float_time += o.lp.float_time;
        self.lp.exact_time += o.lp.exact_time;
    }
}

/// A leaf of the search: an exact parameter vector `theta` fitting every point, and whether
/// the equations pin the leaf's polyhedron to that single point.
#[derive(Debug, Clone)]
pub(super) struct Leaf {
    /// `theta` (see [`crate::solve::system`]).
    pub theta: Vec<Rational>,
    /// `P` is exactly `{theta}` (proven by the rank of its equations).
    pub single_point: bool,
    /// The leaf's system, for callers that explore `P` further (`--all`).
    pub system: IntLp,
    /// With a loss bound: the leaf's certified least loss (attained at `theta`).
    pub loss: Option<Rational>,
}

/// Per point: a pair of neuron bit sets, (active, inactive).
type Pair = (u32, u32);

/// A set of data points (bits), for the reasons of certified facts and conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PointSet(Box<[u64]>);

impl PointSet {
    fn new(n: usize) -> Self {
        PointSet(vec![0; n.div_ceil(64).max(1)].into_boxed_slice())
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn remove(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    fn union_with(&mut self, o: &PointSet) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter()) {
            *a |= b;
        }
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            (0..64)
                .filter(move |b| bits >> b & 1 == 1)
                .map(move |b| w * 64 + b)
        })
    }
}

/// One node of the search tree.
#[derive(Clone)]
struct Node {
    /// The pattern of each assigned point.
    assign: Vec<Option<u32>>,
    /// Per point: neurons proven active / inactive on `P` (checked certificates; inherited).
    forced: Vec<Pair>,
    /// Per point: neurons the float twin claims active / inactive on `P` (not yet certified;
    /// inherited, certified where used).
    claimed: Vec<Pair>,
    /// Per point: claims refuted at this node by a checked point (not inherited).
    refuted: Vec<Pair>,
    /// Per point: neurons seen able to be active / inactive on the current `P` (float
    /// evidence; cleared whenever `P` shrinks).
    seen: Vec<Pair>,
    /// Patterns seen possible on the current `P` (float evidence; cleared when `P` shrinks).
    seen_possible: Vec<u64>,
    /// A checked point of the current `P` is known (cleared when `P` shrinks): float
    /// answers claiming `P` empty are then known to be wrong and count for nothing.
    nonempty: bool,
    /// Per point, `words` words each: patterns proven empty on `P` (inherited).
    pruned: Vec<u64>,
    /// Patterns the float twin claims empty (inherited, certified where used).
    claimed_empty: Vec<u64>,
    /// Empty-pattern claims refuted at this node (not inherited).
    refuted_empty: Vec<u64>,
    /// System of the assigned points.
    lp: IntLp,
    /// The point each row of `lp` belongs to.
    row_owner: Vec<u32>,
    /// Per assigned point: the level (depth of the node) and the sequence number of its
    /// assignment.
    when: Vec<(u32, u32)>,
    /// Per assigned point: for an assignment forced by propagation, the points whose rows
    /// prove that no other pattern orbit is possible (`None`: a branching decision).
    reason: Vec<Option<PointSet>>,
    /// Per point, neuron and direction (`2 (i k + j) + 0` active, `+ 1` inactive): the
    /// points whose rows prove a certified status.
    status_why: Vec<Option<PointSet>>,
    /// Per point: the points whose rows prove each pattern proven empty.
    pruned_why: Vec<Vec<(u32, PointSet)>>,
    /// Next sequence number.
    next_seq: u32,
    /// Float state of the last LP over `lp`'s rows.
    warm: WarmStart,
    /// Float vertices of (approximately) `P`: witnesses for "possible".
    pool: Vec<Vec<f64>>,
    /// Float recession directions of (approximately) `P`: with any point of `P`, witnesses
    /// for "possible" in every direction in which they increase without bound.
    rays: Vec<Vec<f64>>,
    depth: usize,
}

/// A bit set of patterns, `words` words per point.
#[derive(Clone, Copy)]
struct MaskSets {
    words: usize,
}

impl MaskSets {
    fn get(self, v: &[u64], i: usize, m: u32) -> bool {
        let m = m as usize;
        v[i * self.words + m / 64] >> (m % 64) & 1 == 1
    }
    fn set(self, v: &mut [u64], i: usize, m: u32, on: bool) {
        let m = m as usize;
        let w = &mut v[i * self.words + m / 64];
        if on {
            *w |= 1 << (m % 64);
        } else {
            *w &= !(1 << (m % 64));
        }
    }
}

/// The best branching point so far: the point, its possible patterns, and the float least
/// losses its pattern tests computed (branch and bound).
type BranchCandidate = (usize, Vec<u32>, Vec<(u32, f64)>);

/// What propagation decided about one point.
enum Decision {
    /// No possible pattern: close the node.
    Close(usize),
    /// Exactly one: assign it.
    Force(usize, u32),
    /// Branch over these patterns.
    Branch(usize, Vec<u32>),
}

/// Outcome of certifying the claims about one point.
enum Certification {
    /// Every claim about the point holds (checked).
    Holds,
    /// Some claim failed (refuted by a checked point): propagate again.
    Changed,
    /// `P` is empty (checked Farkas vector on the rows of these points).
    NodeEmpty(PointSet),
}

/// How a finished subtree ended, for its parent.
enum Subtree {
    /// No fit in it; the assigned points whose rows prove that (resolved to the parent's
    /// level).
    Failed(PointSet),
    /// It held a leaf (listing all fits).
    Succeeded,
}

/// What conflict resolution needs of a node: when and why each point was assigned.
struct Trail {
    depth: usize,
    when: Vec<(u32, u32)>,
    reason: Vec<Option<PointSet>>,
}

fn trail(node: &Node) -> Trail {
    Trail {
        depth: node.depth,
        when: node.when.clone(),
        reason: node.reason.clone(),
    }
}

/// A node whose children are being explored.
struct Frame {
    /// The node (moved into its last child).
    node: Option<Node>,
    trail: Trail,
    /// The branching point.
    point: usize,
    /// Patterns still to explore.
    rest: std::vec::IntoIter<u32>,
    /// Number of patterns branched on.
    children: usize,
    /// What the finished children (and the excluded patterns) have established.
    acc: Subtree,
}

/// A shard's share of a search tree ([`crate::solve::shard`]): the nodes at depth `depth`
/// are numbered in depth-first order (the numbering continues over the runs of one search),
/// and the shard searches the subtrees whose number it owns.
///
/// Every shard must number the same nodes, so above `depth` the tree is searched alike by
/// all shards: a node's processing depends only on its path (its system, claims, warm start
/// and pool are inherited from its parent), conflict-directed backjumping never skips
/// siblings above `depth` (an owned subtree's conflict may not prune another shard's nodes
/// from the numbering), and the switch to double-double guesses, which depends on the
/// history of the whole run, happens only at or below `depth`. A subtree a shard does not
/// own counts as closed in that shard only; its "no" covers its own subtrees.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// The shard.
    pub shard: crate::solve::shard::Shard,
    /// Depth of the numbered nodes (the root has depth 0).
    pub depth: usize,
    /// Number of the next node at `depth`.
    pub next: u64,
    /// Subtrees left to the other shards.
    pub skipped: u64,
}

impl Split {
    /// The start of the numbering for `shard`: subtrees at depth `ceil(log2(8 count))`, so
    /// that a tree whose nodes branch at least twice has at least 8 subtrees per shard.
    pub fn new(shard: crate::solve::shard::Shard) -> Self {
        let units = shard.count.saturating_mul(8).max(2);
        Split {
            shard,
            depth: (usize::BITS - (units - 1).leading_zeros()) as usize,
            next: 0,
            skipped: 0,
        }
    }
}

/// Subtrees handed between the threads of one search (work sharing): a busy searcher
/// gives away a not yet started child of its shallowest open node whenever another thread
/// is idle and the queue is short; an idle thread searches it from there.
///
/// A searcher that gives a child away closes it *for itself* with the most conservative
/// explanation (every point assigned at the parent), so its own backjumps never rest on the
/// given-away subtree; the search as a whole is exhausted only when every thread finished
/// and the queue is empty.
pub(super) struct Sharing {
    queue: std::sync::Mutex<Vec<Node>>,
    /// Threads waiting for work.
    idle: std::sync::atomic::AtomicUsize,
    /// Threads searching a subtree.
    busy: std::sync::atomic::AtomicUsize,
    /// Most subtrees waiting in the queue.
    capacity: usize,
}

impl Sharing {
    /// Sharing between `threads` threads, starting with the root of the search of `searcher`.
    pub(super) fn new(threads: usize, searcher: &Searcher<'_>) -> Self {
        Sharing {
            queue: std::sync::Mutex::new(vec![searcher.root()]),
            idle: std::sync::atomic::AtomicUsize::new(0),
            busy: std::sync::atomic::AtomicUsize::new(0),
            capacity: threads.max(1),
        }
    }

    /// Whether a thread waits and the queue has room (a cheap test, made before every child).
    fn wanted(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.idle.load(Relaxed) > 0 && self.queue.lock().is_ok_and(|q| q.len() < self.capacity)
    }

    fn give(&self, node: Node) {
        if let Ok(mut q) = self.queue.lock() {
            q.push(node);
        }
    }

    /// The next subtree to search, waiting while other threads may still give one away;
    /// `None` once the queue is empty and no thread is busy (or `stop` says so).
    fn take(&self, stop: &dyn Fn() -> bool) -> Option<Node> {
        use std::sync::atomic::Ordering::SeqCst;
        self.idle.fetch_add(1, SeqCst);
        let got = loop {
            if stop() {
                break None;
            }
            {
                let Ok(mut q) = self.queue.lock() else {
                    break None;
                };
                if let Some(node) = q.pop() {
                    // Counted busy under the lock, so "queue empty and nobody busy" is final.
                    self.busy.fetch_add(1, SeqCst);
                    break Some(node);
                }
                if self.busy.load(SeqCst) == 0 {
                    break None;
                }
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        self.idle.fetch_sub(1, SeqCst);
        got
    }

    fn done(&self) {
        self.busy.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The share of the tree finished, estimated from the path: at each level the finished
/// children of the frame, each standing for an equal share of its parent's share. Called
/// between children: every frame but the top one has a child in progress (the next frame).
fn finished_share(stack: &[Frame]) -> f64 {
    progress::finished_share(stack.iter().enumerate().map(|(level, frame)| {
        let in_progress = usize::from(level + 1 < stack.len());
        (
            frame
                .children
                .saturating_sub(frame.rest.len() + in_progress),
            frame.children,
        )
    }))
}

/// The owner recorded for a budget row: it involves every assigned point.
const BUDGET_ROW: u32 = u32::MAX;

/// The owner recorded for a row of the root (valid at every node: it involves no point).
const ROOT_ROW: u32 = u32::MAX - 1;

/// Most float vertices kept per node.
const POOL_CAP: usize = 24;

enum Step {
    /// Closed: the assigned points whose rows prove it (before resolution).
    Closed(PointSet),
    Leaf(Box<Leaf>),
    /// Branch on a point over patterns; the points whose rows exclude its other patterns.
    Branch(usize, Vec<u32>, PointSet),
}

/// A search bounded by the loss instead of an exact fit (`abs` / `max`, the rows of
/// [`crate::solve::system::FitRows`]): a node is pruned when the certified minimum of its
/// assigned points' loss cannot beat the bound.
#[derive(Debug, Clone)]
pub(super) struct ErrorGoal {
    /// Minimize (prune at `loss >= upper`, lower `upper` at every better leaf) or decide
    /// `loss <= upper` (prune at `loss > upper`, stop at the first leaf).
    pub minimize: bool,
    /// The bound: the incumbent's error, or `gamma`.
    pub upper: Rational,
    /// Objective weight of each point's error variable (`abs`; unused for `max`).
    pub weights: Vec<i64>,
    /// The objective is `scale` times the loss.
    pub scale: i64,
}

/// What the driver does with a leaf: `true` to go on searching (listing all fits).
pub(super) type OnLeaf<'a> = dyn FnMut(Leaf) -> bool + 'a;

/// A sequential search for one sign vector.
pub(super) struct Searcher<'a> {
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
    /// When this search started, relative to `start`.
    started_at: Duration,
    ticks: u32,
    /// Index of the first output weight among the variables (threshold neurons).
    a0: usize,
    /// The loss bound of an `abs` / `max` search (`None`: exact fit).
    error: Option<ErrorGoal>,
    /// Float values of the loss bound of the patterns just tested (child order).
    child_values: Vec<(u32, f64)>,
    /// This searcher's share of a sharded search (`None`: the whole tree).
    split: Option<Split>,
    /// Branches generated but not yet explored (for progress reports).
    open: u64,

    /// Estimated fraction of the tree finished: the finished siblings of each node on the
    /// path, each level weighted by the share of its parent (for progress reports).
    finished_share: f64,
    /// The counters of all threads of a parallel search, for the progress line.
    totals: Option<TotalsShare>,
    /// Per depth: the point that had no pattern left at the last node closed there.
    closed_at: Vec<Option<usize>>,
    /// The incumbent shared with the other threads of a branch and bound, and the version
    /// of it last read.
    shared_bound: Option<(Arc<SharedBound>, u64)>,
}

impl<'a> Searcher<'a> {
    /// A searcher for `prob` (which must be [`Problem::int_ready`]).
    pub(super) fn new(
        prob: &'a Problem,
        limits: &RunLimits,
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
            oracle: Oracle::new(limits.clone()),
            stats: SearchStats::default(),
            observer,
            start: limits.started(),
            last_report: Duration::ZERO,
            memory_budget,
            started_at: limits.elapsed(),
            ticks: 0,
            a0: prob.k * (prob.d + 1),
            error: None,
            child_values: Vec::new(),
            split: None,
            open: 0,
            finished_share: 0.0,
            totals: None,
            closed_at: Vec::new(),
            shared_bound: None,
        }
    }

    /// Prune against `bound`, shared with the other threads of a branch and bound, and
    /// lower it at every better leaf.
    pub(super) fn with_shared_bound(mut self, bound: Arc<SharedBound>) -> Self {
        self.shared_bound = Some((bound, u64::MAX));
        self
    }

    /// Take a better incumbent found by another thread.
    fn sync_bound(&mut self) {
        let (Some((bound, seen)), Some(g)) = (&mut self.shared_bound, &mut self.error) else {
            return;
        };
        if let Some(u) = bound.newer(seen) {
            if g.minimize && u < g.upper {
                g.upper = u;
            }
        }
    }

    /// Add this searcher's nodes and LPs to `totals` as it goes, and report those in the
    /// progress line instead of its own (a parallel search).
    pub(super) fn with_totals(mut self, totals: Arc<SearchTotals>) -> Self {
        self.totals = Some(TotalsShare::new(totals));
        self
    }

    /// Publish the counters to the shared totals; the (nodes, LPs) to report.
    fn progress_counts(&mut self) -> (u64, u64) {
        let (nodes, lps) = (self.stats.nodes, self.oracle.counters.guesses);
        match &mut self.totals {
            None => (nodes, lps),
            Some(share) => share.publish(nodes, lps),
        }
    }

    /// Search with a loss bound instead of exact fits (the problem must have error rows).
    pub(super) fn with_error_goal(mut self, goal: ErrorGoal) -> Self {
        self.error = Some(goal);
        self
    }

    /// Search only `split`'s share of the tree (a shard).
    pub(super) fn with_split(mut self, split: Split) -> Self {
        self.split = Some(split);
        self
    }

    /// The share of the tree and its numbering so far (to continue it in the next run).
    pub(super) fn split(&self) -> Option<Split> {
        self.split
    }

    /// Whether a frame at `depth` must explore all its children (above a split's depth).
    fn keeps_siblings(&self, depth: usize) -> bool {
        self.split.is_some_and(|s| depth < s.depth)
    }

    /// The loss objective over the assigned points (and `extra`): weighted error variables
    /// (`abs`) or the one error variable (`max`).
    fn objective(&self, node: &Node, extra: Option<usize>) -> Vec<i64> {
        let mut c = vec![0i64; self.prob.num_vars()];
        let p = self.prob.params();
        match (&self.error, self.prob.fit) {
            (Some(g), FitRows::Abs) => {
                for (i, a) in node.assign.iter().enumerate() {
                    if a.is_some() || extra == Some(i) {
                        c[p + i] = g.weights[i];
                    }
                }
            }
            (Some(_), FitRows::Max) => c[p] = 1,
            _ => {}
        }
        c
    }

    /// The bound as an integer comparison `(m c) . v < t` for the objective `c`: `upper =
    /// a / b` gives `m = b`, `t = scale a`. `None` if it does not fit (then nothing is
    /// pruned against it: weaker, still exact).
    fn bound_threshold(&self, c: &[i64]) -> Option<(Vec<i64>, i128)> {
        let g = self.error.as_ref()?;
        let a = i128::try_from(g.upper.numerator()).ok()?;
        let b = i64::try_from(Int::from(g.upper.denominator().clone())).ok()?;
        let t = a.checked_mul(g.scale as i128)?;
        let mc: Option<Vec<i64>> = c.iter().map(|&x| x.checked_mul(b)).collect();
        Some((mc?, t))
    }

    /// Does the float value `v` of the objective clearly beat the bound?
    fn clearly_below(&self, v: f64) -> bool {
        let Some(g) = &self.error else { return true };
        let u = to_f64(&g.upper) * g.scale as f64;
        v < u - 1e-9 * (1.0 + u.abs())
    }

    /// Does a certified `min >= t` (`equal`: exactly `t`) prune?
    fn prunes(&self, equal: bool) -> bool {
        self.error.as_ref().is_some_and(|g| g.minimize || !equal)
    }

    /// Append the budget row "loss of the assigned points `<= upper`" (a valid cut for every
    /// node below: only networks within the bound matter). Skipped when it does not fit.
    fn push_budget(&self, node: &mut Node) {
        let c = self.objective(node, None);
        let Some((mc, t)) = self.bound_threshold(&c) else {
            return;
        };
        let Ok(t) = i64::try_from(t) else { return };
        if mc.iter().all(|&x| x == 0) {
            return;
        }
        node.lp.push(&mc, crate::lp::Sense::Le, t);
        node.row_owner.resize(node.lp.len(), BUDGET_ROW);
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
    /// a relative tolerance? (Only ever used as evidence for "possible".) With `label`
    /// false, the homogeneous constraints (for recession directions).
    fn fits_float_with(&self, theta: &[f64], i: usize, mask: u32, label: bool) -> bool {
        // With error variables the label is no constraint: only the region signs are.
        let label_rows = self.error.is_none();
        let y = if label { self.ys[i] } else { 0.0 };
        let mut sum = 0.0;
        let mut size = y.abs();
        for j in 0..self.k {
            let (v, s) = self.term(theta, i, j);
            let tol = 1e-9 * (1.0 + s);
            let pre = self.signs[j] * v;
            if mask >> j & 1 == 1 {
                if pre < -tol {
                    return false;
                }
                let out = self.output(theta, j, v);
                sum += out;
                size += out.abs().max(s);
            } else if pre > tol {
                return false;
            }
        }
        !label_rows || (sum - y).abs() <= 1e-9 * (1.0 + size)
    }

    /// The contribution of active neuron `j` to the fit equation at a float vertex, given
    /// `theta_j . (x, 1) = v`: `v` for a ReLU, the output weight `a_j` for a threshold neuron.
    fn output(&self, theta: &[f64], j: usize, v: f64) -> f64 {
        if self.prob.threshold {
            theta[self.a0 + j]
        } else {
            v
        }
    }

    /// The loss objective (the LP's: `scale` times the `abs` loss, or the `max` loss) at the
    /// float vertex `theta`, over the assigned points and `extra` (a point and its pattern),
    /// each point's output taken with its pattern. If `theta` lies in `P` this bounds the
    /// least loss on `P` from above (float evidence only).
    fn float_loss(&self, node: &Node, theta: &[f64], extra: Option<(usize, u32)>) -> f64 {
        let assigned = node
            .assign
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.map(|m| (i, m)));
        let errors = assigned.chain(extra).map(|(i, mask)| {
            let out: f64 = (0..self.k)
                .filter(|&j| mask >> j & 1 == 1)
                .map(|j| self.output(theta, j, self.term(theta, i, j).0))
                .sum();
            (out - self.ys[i]).abs()
        });
        match (&self.error, self.prob.fit) {
            (_, FitRows::Max) => errors.fold(0.0, f64::max),
            (Some(g), _) => errors.sum::<f64>() * g.scale as f64,
            (None, _) => 0.0,
        }
    }

    fn fits_float(&self, theta: &[f64], i: usize, mask: u32) -> bool {
        self.fits_float_with(theta, i, mask, true)
    }

    fn add_to_pool(&self, node: &mut Node, witness: Witness) {
        let (list, v) = match witness {
            Witness::Nothing => return,
            Witness::Point(p) => (&mut node.pool, p),
            Witness::Ray(r) => (&mut node.rays, r),
        };
        if list.len() >= POOL_CAP {
            list.remove(0);
        }
        list.push(v);
    }

    /// Renew a list of float witnesses for the new constraints of point `i` with pattern
    /// `mask` (see [`Searcher::assign`]); `label`: points (else recession directions).
    fn renew(&self, old: Vec<Vec<f64>>, i: usize, mask: u32, label: bool) -> Vec<Vec<f64>> {
        let y = if label { self.ys[i] } else { 0.0 };
        let residual = |p: &[f64]| -> f64 {
            (0..self.k)
                .filter(|&j| mask >> j & 1 == 1)
                .map(|j| self.output(p, j, self.term(p, i, j).0))
                .sum::<f64>()
                - y
        };
        let res: Vec<f64> = old.iter().map(|p| residual(p)).collect();
        let mut kept: Vec<Vec<f64>> = old
            .iter()
            .filter(|p| self.fits_float_with(p, i, mask, label))
            .cloned()
            .collect();
        'pairs: for a in 0..old.len() {
            for b in a + 1..old.len() {
                if kept.len() >= POOL_CAP {
                    break 'pairs;
                }
                let (ra, rb) = (res[a], res[b]);
                if !(ra < 0.0 && rb > 0.0 || ra > 0.0 && rb < 0.0) {
                    continue;
                }
                let t = ra / (ra - rb);
                let p: Vec<f64> = old[a]
                    .iter()
                    .zip(&old[b])
                    .map(|(x, y)| x + t * (y - x))
                    .collect();
                if self.fits_float_with(&p, i, mask, label) {
                    kept.push(p);
                }
            }
        }
        kept
    }

    /// The root node. With error variables it holds the rows `e >= 0` for each of them
    /// (implied by the error rows of an assigned point, and harmless for the others): every
    /// variable then appears in some row, so the float simplex can end on a basis without
    /// artificial columns, which is what its warm starts keep and reuse between the LPs of
    /// a node. (Without them every LP of the branch and bound ran cold.)
    fn root(&self) -> Node {
        let mut node = self.bare_root();
        let params = self.prob.params();
        let vars = self.prob.num_vars();
        let mut row = vec![0i64; vars];
        for v in params..vars {
            row[v] = 1;
            node.lp.push(&row, crate::lp::Sense::Ge, 0);
            row[v] = 0;
        }
        node.row_owner.resize(node.lp.len(), ROOT_ROW);
        node
    }

    /// The root node without rows.
    fn bare_root(&self) -> Node {
        let n = self.prob.len();
        Node {
            assign: vec![None; n],
            forced: vec![(0, 0); n],
            claimed: vec![(0, 0); n],
            refuted: vec![(0, 0); n],
            seen: vec![(0, 0); n],
            seen_possible: vec![0; n * self.words],
            nonempty: false,
            pruned: vec![0; n * self.words],
            claimed_empty: vec![0; n * self.words],
            refuted_empty: vec![0; n * self.words],
            lp: IntLp::new(self.prob.num_vars()),
            row_owner: Vec::new(),
            when: vec![(u32::MAX, u32::MAX); n],
            reason: vec![None; n],
            status_why: vec![None; 2 * n * self.k],
            pruned_why: vec![Vec::new(); n],
            next_seq: 0,
            warm: WarmStart::default(),
            pool: Vec::new(),
            rays: Vec::new(),
            depth: 0,
        }
    }

    /// The child of `node` (moved in) with point `i` assigned `mask`: certified facts and
    /// claims are inherited, refutations are not (they are points of the parent's `P`).
    fn child(&mut self, mut node: Node, i: usize, mask: u32) -> Node {
        node.depth += 1;
        // `node.depth` is already the child's depth: a child above the split depth is
        // processed by every shard, so it must guess as in every shard.
        let shared_level = self.split.is_some_and(|s| node.depth < s.depth);
        if !node.lp.is_precise() && !shared_level && self.oracle.wants_precision() {
            // Ill-conditioned data: the float twin guesses in double-double from here on.
            node.lp.make_precise();
            node.warm = WarmStart::default();
            self.stats.precise_nodes += 1;
        }
        node.refuted.iter_mut().for_each(|r| *r = (0, 0));
        node.refuted_empty.iter_mut().for_each(|w| *w = 0);
        self.assign(&mut node, i, mask, None);
        if self.error.is_some() {
            self.push_budget(&mut node);
        }
        node
    }

    /// Assign pattern `mask` to point `i` (rows appended, witnesses renewed).
    ///
    /// The fit equation of the new point is a hyperplane, so most pool vertices leave `P`.
    /// Where two of them lie on opposite sides of it, the point where the segment between
    /// them crosses it is in the old `P` (convexity) and on the hyperplane; if it also meets
    /// the new region rows, it is a witness for the smaller `P` at the cost of a few dot
    /// products instead of an LP. Recession directions are renewed the same way against the
    /// homogeneous rows.
    fn assign(&self, node: &mut Node, i: usize, mask: u32, reason: Option<PointSet>) {
        node.assign[i] = Some(mask);
        self.prob.push_int_rows(&mut node.lp, i, mask);
        node.row_owner.resize(node.lp.len(), i as u32);
        node.when[i] = (node.depth as u32, node.next_seq);
        node.next_seq += 1;
        node.reason[i] = reason;
        node.seen.iter_mut().for_each(|p| *p = (0, 0));
        node.seen_possible.iter_mut().for_each(|w| *w = 0);
        node.nonempty = false;
        node.pool = self.renew(std::mem::take(&mut node.pool), i, mask, true);
        node.rays = self.renew(std::mem::take(&mut node.rays), i, mask, false);
    }

    fn sets(&self) -> MaskSets {
        MaskSets { words: self.words }
    }

    /// Every mask in the orbit of `mask` under the symmetry `cls` (permutations inside a
    /// class: `P` is invariant under them, so the orbit shares every proof about `P`).
    fn orbit(&self, mask: u32, cls: &[Vec<usize>]) -> Vec<u32> {
        let count = |m: u32, c: &[usize]| c.iter().filter(|&&j| m >> j & 1 == 1).count();
        let counts: Vec<usize> = cls.iter().map(|c| count(mask, c)).collect();
        (0..1u32 << self.k)
            .filter(|&m| cls.iter().zip(&counts).all(|(c, &n)| count(m, c) == n))
            .collect()
    }

    /// Progress report and limits; called once per node and before every LP (the clock is
    /// read every 64th call).
    fn tick(&mut self, depth: usize) -> Result<(), Stop> {
        self.oracle.check()?;
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks % 64 != 0 {
            return Ok(());
        }
        let (nodes, lps) = self.progress_counts();
        if let Some(obs) = &self.observer {
            let elapsed = self.start.elapsed();
            if elapsed >= self.last_report + Duration::from_millis(100) {
                self.last_report = elapsed;
                let remaining = progress::time_left(elapsed, self.finished_share);
                obs.progress(&Progress {
                    stage: "search",
                    nodes,
                    lps,
                    depth,
                    elapsed,
                    total: None,
                    open: self.open,
                    remaining,
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

    /// The objective whose minimum decides a sign probe: `-pre` ("can the pre-activation
    /// of neuron `j` at point `i` be `> 0`?") or `pre` ("can it be `< 0`?"), in `theta`.
    fn probe_objective(&self, i: usize, j: usize, positive: bool) -> Vec<i64> {
        let s = if positive {
            -self.sign(j)
        } else {
            self.sign(j)
        };
        self.prob.int_neuron_objective(i, j, s)
    }

    /// Float sign probes for point `i` (one neuron per class), recording claims.
    /// `Ok(false)`: the float twin finds `P` empty.
    fn probe_statuses(
        &mut self,
        node: &mut Node,
        i: usize,
        cls: &[Vec<usize>],
    ) -> Result<bool, Stop> {
        for class in cls {
            let j = class[0];
            let known = node.forced[i].0 | node.forced[i].1 | node.claimed[i].0 | node.claimed[i].1;
            if known >> j & 1 == 1 {
                continue;
            }
            let bits = class.iter().fold(0u32, |m, &c| m | 1 << c);
            let s = self.signs[j];
            let mut can_pos = (node.refuted[i].1 | node.seen[i].0) >> j & 1 == 1;
            let mut can_neg = (node.refuted[i].0 | node.seen[i].1) >> j & 1 == 1;
            for p in node.pool.iter().chain(&node.rays) {
                let (v, size) = self.term(p, i, j);
                let pre = s * v;
                let tol = 1e-10 * (1.0 + size);
                can_pos |= pre > tol;
                can_neg |= pre < -tol;
            }
            for (positive, known_possible) in [(true, can_pos), (false, can_neg)] {
                if known_possible {
                    self.stats.answered_by_pool += 1;
                    continue;
                }
                let c = self.probe_objective(i, j, positive);
                self.stats.probe_lps += 1;
                match self.oracle.guess_negative(&node.lp, &c, &mut node.warm)? {
                    Guess::Possible(p) => {
                        if positive {
                            node.seen[i].0 |= bits;
                        } else {
                            node.seen[i].1 |= bits;
                        }
                        self.add_to_pool(node, p)
                    }
                    Guess::Impossible if positive => {
                        node.claimed[i].1 |= bits;
                        break;
                    }
                    Guess::Impossible => node.claimed[i].0 |= bits,
                    // P is known non-empty: a wrong float answer, taken as no claim.
                    Guess::Empty if node.nonempty => {}
                    Guess::Empty => return Ok(false),
                }
            }
        }
        Ok(true)
    }

    /// Neurons active / inactive at point `i` as far as known (certified or claimed); a
    /// neuron both ways (pre-activation `0` on all of `P`) counts as inactive.
    fn apparent(&self, node: &Node, i: usize) -> (u32, u32) {
        let inact = node.forced[i].1 | node.claimed[i].1;
        let act = (node.forced[i].0 | node.claimed[i].0) & !inact;
        (act, inact)
    }

    /// Canonical patterns for point `i` consistent with `(act, inact)`, minus those in the
    /// given excluded sets.
    fn canonical(&self, cls: &[Vec<usize>], act: u32, inact: u32) -> Vec<u32> {
        canonical_masks(cls)
            .into_iter()
            .filter(|&m| m & act == act && m & inact == 0)
            .collect()
    }

    /// Is pattern `mask` possible for point `i` on `P`, as far as the floats tell? "No" is a
    /// claim, recorded for the orbit.
    fn pattern_possible(
        &mut self,
        node: &mut Node,
        i: usize,
        mask: u32,
        cls: &[Vec<usize>],
    ) -> Result<bool, Stop> {
        let sets = self.sets();
        if sets.get(&node.refuted_empty, i, mask)
            || sets.get(&node.seen_possible, i, mask)
            || (self.error.is_none() && node.pool.iter().any(|p| self.fits_float(p, i, mask)))
        {
            self.stats.answered_by_pool += 1;
            return Ok(true);
        }
        if self.error.is_some() {
            // A pool vertex with the pattern whose loss beats the bound shows the child's
            // least loss does too (float evidence, as from the LP below).
            let witnessed = node.pool.iter().any(|p| {
                self.fits_float(p, i, mask)
                    && self.clearly_below(self.float_loss(node, p, Some((i, mask))))
            });
            if witnessed {
                self.stats.answered_by_pool += 1;
                sets.set(&mut node.seen_possible, i, mask, true);
                return Ok(true);
            }
            // With a loss bound: can the child's loss still beat it?
            let (value, witness) = self.guess_child_loss(node, i, mask)?;
            return Ok(match value {
                Some(v) if self.clearly_below(v) => {
                    sets.set(&mut node.seen_possible, i, mask, true);
                    self.add_to_pool(node, witness);
                    self.child_values.push((mask, v));
                    true
                }
                _ => {
                    for m in self.orbit(mask, cls) {
                        sets.set(&mut node.claimed_empty, i, m, true);
                    }
                    false
                }
            });
        }
        let len = node.lp.len();
        self.prob.push_int_rows(&mut node.lp, i, mask);
        let mut warm = node.warm.clone();
        self.stats.pattern_lps += 1;
        let r = self.oracle.guess_feasible(&node.lp, &mut warm);
        node.lp.truncate(len);
        match r? {
            Guess::Possible(p) => {
                sets.set(&mut node.seen_possible, i, mask, true);
                self.add_to_pool(node, p);
                Ok(true)
            }
            _ => {
                for m in self.orbit(mask, cls) {
                    sets.set(&mut node.claimed_empty, i, m, true);
                }
                Ok(false)
            }
        }
    }

    /// The float least loss of the child of `node` with point `i` assigned `mask` (`None`:
    /// it looks empty), and the vertex that attains it.
    fn guess_child_loss(
        &mut self,
        node: &mut Node,
        i: usize,
        mask: u32,
    ) -> Result<(Option<f64>, Witness), Stop> {
        let len = node.lp.len();
        self.prob.push_int_rows(&mut node.lp, i, mask);
        let mut warm = node.warm.clone();
        self.stats.pattern_lps += 1;
        let c = self.objective(node, Some(i));
        let r = self.oracle.guess_value(&node.lp, &c, &mut warm);
        node.lp.truncate(len);
        r
    }

    /// Branch and bound: the children of point `i` in order of their float least loss
    /// (best first within the depth-first order finds good incumbents early). `values`
    /// holds those the pattern tests computed; the others (answered by a pool vertex) are
    /// computed here, for the branching point only.
    fn best_first(
        &mut self,
        node: &mut Node,
        i: usize,
        masks: &mut [u32],
        mut values: Vec<(u32, f64)>,
    ) -> Result<(), Stop> {
        for &m in masks.iter() {
            if values.iter().all(|&(c, _)| c != m) {
                self.tick(node.depth)?;
                let (value, witness) = self.guess_child_loss(node, i, m)?;
                self.add_to_pool(node, witness);
                values.push((m, value.unwrap_or(f64::INFINITY)));
            }
        }
        let value = |m: u32| {
            values
                .iter()
                .find(|(c, _)| *c == m)
                .map_or(0.0, |(_, v)| *v)
        };
        masks.sort_by(|&a, &b| value(a).total_cmp(&value(b)));
        Ok(())
    }

    /// Certify every claim about point `i` that a decision on it rests on: its claimed
    /// neuron statuses (dual bounds), then the claimed-empty patterns among those consistent
    /// with its certified statuses (Farkas vectors). A failed claim is refuted.
    fn certify_point(
        &mut self,
        node: &mut Node,
        i: usize,
        cls: &[Vec<usize>],
    ) -> Result<Certification, Stop> {
        let mut changed = false;
        for class in cls {
            let j = class[0];
            let bits = class.iter().fold(0u32, |m, &c| m | 1 << c);
            for positive in [true, false] {
                // positive: the claim "inactive" (cannot be > 0); else "active".
                let (claimed, forced) = if positive {
                    (node.claimed[i].1, node.forced[i].1)
                } else {
                    (node.claimed[i].0, node.forced[i].0 | node.forced[i].1)
                };
                if claimed >> j & 1 == 0 || forced >> j & 1 == 1 {
                    continue;
                }
                self.tick(node.depth)?;
                let c = self.probe_objective(i, j, positive);
                // A threshold neuron is active only where its pre-activation is > 0.
                let strict = self.prob.threshold && !positive;
                match self
                    .oracle
                    .certify_nonnegative(&node.lp, &c, strict, &mut node.warm)?
                {
                    Certified::Holds(rows) => {
                        self.stats.forced_neurons += class.len() as u64;
                        let why = self.owners(node, &rows, i);
                        let dir = usize::from(positive);
                        for &c in class {
                            node.status_why[2 * (i * self.k + c) + dir] = Some(why.clone());
                        }
                        if positive {
                            node.forced[i].1 |= bits;
                            node.forced[i].0 &= !bits;
                        } else {
                            node.forced[i].0 |= bits;
                        }
                    }
                    Certified::Fails(p) => {
                        self.stats.refuted_claims += 1;
                        if positive {
                            node.claimed[i].1 &= !bits;
                            node.refuted[i].1 |= bits;
                        } else {
                            node.claimed[i].0 &= !bits;
                            node.refuted[i].0 |= bits;
                        }
                        self.add_to_pool(node, p.map_or(Witness::Nothing, Witness::Point));
                        changed = true;
                    }
                    Certified::Empty(rows) => {
                        return Ok(Certification::NodeEmpty(self.owners(node, &rows, i)))
                    }
                }
            }
        }
        if changed {
            return Ok(Certification::Changed);
        }
        let sets = self.sets();
        let (act, inact) = node.forced[i];
        for m in self.canonical(cls, act & !inact, inact) {
            if !sets.get(&node.claimed_empty, i, m) || sets.get(&node.pruned, i, m) {
                continue;
            }
            self.tick(node.depth)?;
            let len = node.lp.len();
            self.prob.push_int_rows(&mut node.lp, i, m);
            let mut warm = node.warm.clone();
            let r = if self.error.is_some() {
                self.certify_bound(node, Some(i), &mut warm)
            } else {
                self.oracle.certify_empty(&node.lp, &mut warm)
            };
            node.lp.truncate(len);
            match r? {
                Emptiness::Empty(rows) => {
                    self.stats.pruned_patterns += 1;
                    let why = self.owners(node, &rows, i);
                    for o in self.orbit(m, cls) {
                        sets.set(&mut node.pruned, i, o, true);
                        node.pruned_why[i].push((o, why.clone()));
                    }
                }
                Emptiness::NonEmpty(p) => {
                    self.stats.refuted_claims += 1;
                    for o in self.orbit(m, cls) {
                        sets.set(&mut node.claimed_empty, i, o, false);
                        sets.set(&mut node.refuted_empty, i, o, true);
                    }
                    self.add_to_pool(node, p.map_or(Witness::Nothing, Witness::Point));
                    changed = true;
                }
            }
        }
        Ok(if changed {
            Certification::Changed
        } else {
            Certification::Holds
        })
    }

    /// The loss bound certified on the node's system (as it stands, with `extra`'s error
    /// variable counted): `Empty` (the rows of the proof) when the loss cannot beat the
    /// bound or the system is empty, `NonEmpty` (a checked point) otherwise.
    fn certify_bound(
        &mut self,
        node: &Node,
        extra: Option<usize>,
        warm: &mut WarmStart,
    ) -> Result<Emptiness, Stop> {
        let c = self.objective(node, extra);
        let Some((mc, t)) = self.bound_threshold(&c) else {
            return Ok(Emptiness::NonEmpty(None));
        };
        Ok(match self.oracle.certify_below(&node.lp, &mc, t, warm)? {
            Bounded::Below(p) => Emptiness::NonEmpty(p),
            Bounded::AtLeast { equal, rows } if self.prunes(equal) => Emptiness::Empty(rows),
            Bounded::AtLeast { .. } => Emptiness::NonEmpty(None),
            Bounded::Empty(rows) => Emptiness::Empty(rows),
        })
    }

    /// Can the loss of the node's assigned points still beat the bound? The float value
    /// decides "yes"; "no" is certified (the points of the proof's rows).
    fn bound_prunes(&mut self, node: &mut Node) -> Result<Option<PointSet>, Stop> {
        let c = self.objective(node, None);
        let (value, witness) = self.oracle.guess_value(&node.lp, &c, &mut node.warm)?;
        if value.is_some_and(|v| self.clearly_below(v)) {
            self.add_to_pool(node, witness);
            return Ok(None);
        }
        let mut warm = node.warm.clone();
        Ok(match self.certify_bound(node, None, &mut warm)? {
            Emptiness::Empty(rows) => {
                self.stats.closed_by_bound += 1;
                Some(self.owners(node, &rows, usize::MAX))
            }
            Emptiness::NonEmpty(p) => {
                self.add_to_pool(node, p.map_or(Witness::Nothing, Witness::Point));
                None
            }
        })
    }

    /// `P` is the single point `theta` (exact): decide every unassigned point by exact
    /// evaluation there.
    fn decide_at_point(&mut self, node: &Node, theta: Vec<Rational>, pin: &[usize]) -> Step {
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
                return Step::Closed(self.owners(node, pin, i));
            }
        }
        Step::Leaf(Box::new(Leaf {
            theta,
            single_point: true,
            system: node.lp.clone(),
            loss: None,
        }))
    }

    /// `P` looks empty to the float twin: certify (the points of the Farkas vector's rows)
    /// or refute (a point for the pool).
    fn empty_or_point(&mut self, node: &mut Node) -> Result<Option<PointSet>, Stop> {
        match self.oracle.certify_empty(&node.lp, &mut node.warm)? {
            Emptiness::Empty(rows) => {
                self.stats.closed_empty += 1;
                Ok(Some(self.owners(node, &rows, usize::MAX)))
            }
            Emptiness::NonEmpty(p) => {
                node.nonempty = true;
                self.add_to_pool(node, p.map_or(Witness::Nothing, Witness::Point));
                Ok(None)
            }
        }
    }

    /// The assigned points owning `rows` of the node's system (rows beyond it are the
    /// tested point's own, as is `skip`).
    fn owners(&self, node: &Node, rows: &[usize], skip: usize) -> PointSet {
        let mut set = PointSet::new(self.prob.len());
        for &r in rows {
            match node.row_owner.get(r) {
                Some(&BUDGET_ROW) => {
                    for (q, a) in node.assign.iter().enumerate() {
                        if a.is_some() && q != skip {
                            set.insert(q);
                        }
                    }
                }
                Some(&ROOT_ROW) => {}
                Some(&o) if o as usize != skip => set.insert(o as usize),
                _ => {}
            }
        }
        set
    }

    /// The points whose rows exclude pattern `m` of point `i`: a certified status it
    /// contradicts, or its emptiness proof. Every assigned point if none is recorded (never
    /// expected; conservative).
    fn exclusion(&self, node: &Node, i: usize, m: u32) -> PointSet {
        let (act, inact) = node.forced[i];
        let act = act & !inact;
        let status = (0..self.k).find_map(|j| {
            let dir = if m >> j & 1 == 1 && inact >> j & 1 == 1 {
                1
            } else if m >> j & 1 == 0 && act >> j & 1 == 1 {
                0
            } else {
                return None;
            };
            node.status_why[2 * (i * self.k + j) + dir].as_ref()
        });
        if let Some(why) = status {
            return why.clone();
        }
        if let Some((_, why)) = node.pruned_why[i].iter().find(|(o, _)| *o == m) {
            return why.clone();
        }
        let mut all = PointSet::new(self.prob.len());
        for (q, a) in node.assign.iter().enumerate() {
            if a.is_some() {
                all.insert(q);
            }
        }
        all
    }

    /// The points whose rows exclude every canonical pattern of point `i` but `keep`.
    fn exclusions(&self, node: &Node, i: usize, cls: &[Vec<usize>], keep: &[u32]) -> PointSet {
        let mut why = PointSet::new(self.prob.len());
        for m in canonical_masks(cls) {
            if !keep.contains(&m) {
                why.union_with(&self.exclusion(node, i, m));
            }
        }
        why
    }

    /// Resolve a conflict at a node's level: replace every point forced at that level by the
    /// points of its reason, latest first (so the neuron symmetry its forcing used fixes
    /// every other point still in the set).
    fn resolve(&self, node: &Trail, mut conflict: PointSet) -> PointSet {
        let level = node.depth as u32;
        loop {
            let latest = conflict
                .iter()
                .filter(|&q| node.when[q].0 == level && node.reason[q].is_some())
                .max_by_key(|&q| node.when[q].1);
            let Some(q) = latest else {
                return conflict;
            };
            conflict.remove(q);
            conflict.union_with(node.reason[q].as_ref().expect("forced"));
        }
    }

    /// Canonical patterns for point `i` that are not excluded by what is known (certified
    /// or claimed statuses and empty patterns). `canon` is [`canonical_masks`] of the
    /// node's classes, computed once per decision (not once per point).
    fn apparent_candidates<'c>(
        &self,
        node: &'c Node,
        i: usize,
        canon: &'c [u32],
    ) -> impl Iterator<Item = u32> + 'c {
        let sets = self.sets();
        let (act, inact) = self.apparent(node, i);
        canon.iter().copied().filter(move |&m| {
            m & act == act
                && m & inact == 0
                && !sets.get(&node.pruned, i, m)
                && !sets.get(&node.claimed_empty, i, m)
        })
    }

    /// The decision at `node` from the float claims: the most constrained point.
    ///
    /// Every unassigned point is probed (statuses forced on all of `P` are what makes most
    /// points forced, measured: probing only the most promising points grew the trees
    /// sixfold); the patterns themselves are tested lazily, in order of the number of
    /// candidates left by the statuses, only while that number can still beat the best point.
    fn decide(
        &mut self,
        node: &mut Node,
        unassigned: &[usize],
        cls: &[Vec<usize>],
    ) -> Result<Option<Decision>, Stop> {
        let canon = canonical_masks(cls);
        // Siblings share all rows but one point's: the point that had no pattern left at the
        // last node closed at this depth is tried first, and if it has none here either the
        // node closes without probing the other points. (Only the order changes: the
        // decision is certified like any other.)
        if let Some(&Some(k)) = self.closed_at.get(node.depth) {
            if node.assign[k].is_none() {
                if !self.probe_statuses(node, k, cls)? {
                    return Ok(None);
                }
                let mut possible = false;
                let candidates: Vec<u32> = self.apparent_candidates(node, k, &canon).collect();
                for m in candidates {
                    self.tick(node.depth)?;
                    if self.pattern_possible(node, k, m, cls)? {
                        possible = true;
                        break;
                    }
                }
                if !possible {
                    self.stats.closed_like_sibling += 1;
                    return Ok(Some(Decision::Close(k)));
                }
            }
        }
        let mut order: Vec<(usize, usize)> = Vec::with_capacity(unassigned.len());
        for &i in unassigned {
            if !self.probe_statuses(node, i, cls)? {
                return Ok(None);
            }
            let count = self.apparent_candidates(node, i, &canon).count();
            if count == 0 {
                self.remember_closing(node.depth, i);
                return Ok(Some(Decision::Close(i)));
            }
            order.push((count, i));
        }
        order.sort_unstable();
        let mut best: Option<BranchCandidate> = None;
        for (count, i) in order {
            if best.as_ref().is_some_and(|(_, b, _)| count > b.len()) {
                break;
            }
            let mut possible = Vec::with_capacity(count);
            self.child_values.clear();
            let candidates: Vec<u32> = self.apparent_candidates(node, i, &canon).collect();
            for m in candidates {
                self.tick(node.depth)?;
                if self.pattern_possible(node, i, m, cls)? {
                    possible.push(m);
                }
            }
            match possible.len() {
                0 => {
                    self.remember_closing(node.depth, i);
                    return Ok(Some(Decision::Close(i)));
                }
                1 => return Ok(Some(Decision::Force(i, possible[0]))),
                n => {
                    if best.as_ref().is_none_or(|(_, b, _)| n < b.len()) {
                        best = Some((i, possible, std::mem::take(&mut self.child_values)));
                    }
                }
            }
        }
        let Some((i, mut masks, values)) = best else {
            return Ok(None);
        };
        if self.error.is_some() {
            self.best_first(node, i, &mut masks, values)?;
        }
        Ok(Some(Decision::Branch(i, masks)))
    }

    /// Remember that point `i` had no pattern left at a node at `depth` (see [`Self::decide`]).
    fn remember_closing(&mut self, depth: usize, i: usize) {
        if self.closed_at.len() <= depth {
            self.closed_at.resize(depth + 1, None);
        }
        self.closed_at[depth] = Some(i);
    }

    /// Propagate at `node` to a fixpoint and decide what to do with it.
    fn process(&mut self, node: &mut Node) -> Result<Step, Stop> {
        let mut pin_checked_rows = usize::MAX;
        loop {
            self.tick(node.depth)?;
            if node.pool.is_empty() {
                match self.oracle.guess_feasible(&node.lp, &mut node.warm)? {
                    Guess::Possible(p) => self.add_to_pool(node, p),
                    _ => {
                        if let Some(why) = self.empty_or_point(node)? {
                            return Ok(Step::Closed(why));
                        }
                    }
                }
            }
            if self.error.is_some() {
                if let Some(why) = self.bound_prunes(node)? {
                    return Ok(Step::Closed(why));
                }
            }
            let unassigned: Vec<usize> = (0..self.prob.len())
                .filter(|&i| node.assign[i].is_none())
                .collect();
            if unassigned.is_empty() && self.error.is_some() {
                let c = self.objective(node, None);
                return Ok(match self.oracle.optimum(&node.lp, &c, &mut node.warm)? {
                    Ok((theta, value)) => {
                        let scale = self.error.as_ref().map_or(1, |g| g.scale);
                        Step::Leaf(Box::new(Leaf {
                            theta,
                            single_point: false,
                            system: node.lp.clone(),
                            loss: Some(value / Rational::from(scale)),
                        }))
                    }
                    Err(rows) => {
                        self.stats.closed_empty += 1;
                        Step::Closed(self.owners(node, &rows, usize::MAX))
                    }
                });
            }
            if unassigned.is_empty() {
                return Ok(match self.oracle.exact_point(&node.lp, &mut node.warm)? {
                    Ok(theta) => Step::Leaf(Box::new(Leaf {
                        theta,
                        single_point: equations_pin_point(&node.lp).is_some(),
                        system: node.lp.clone(),
                        loss: None,
                    })),
                    Err(rows) => {
                        self.stats.closed_empty += 1;
                        Step::Closed(self.owners(node, &rows, usize::MAX))
                    }
                });
            }
            if self.error.is_none() && node.lp.len() != pin_checked_rows {
                pin_checked_rows = node.lp.len();
                if let Some(pin) = equations_pin_point(&node.lp) {
                    return Ok(match self.oracle.exact_point(&node.lp, &mut node.warm)? {
                        Ok(theta) => self.decide_at_point(node, theta, &pin),
                        Err(rows) => {
                            self.stats.closed_empty += 1;
                            Step::Closed(self.owners(node, &rows, usize::MAX))
                        }
                    });
                }
            }
            let cls = self.classes(node);
            let Some(decision) = self.decide(node, &unassigned, &cls)? else {
                // The float twin finds P empty.
                if let Some(why) = self.empty_or_point(node)? {
                    return Ok(Step::Closed(why));
                }
                continue;
            };
            let i = match &decision {
                Decision::Close(i) | Decision::Force(i, _) | Decision::Branch(i, _) => *i,
            };
            match self.certify_point(node, i, &cls)? {
                Certification::NodeEmpty(why) => {
                    self.stats.closed_empty += 1;
                    return Ok(Step::Closed(why));
                }
                Certification::Changed => continue,
                Certification::Holds => {}
            }
            match decision {
                Decision::Close(i) => {
                    self.stats.closed_no_pattern += 1;
                    return Ok(Step::Closed(self.exclusions(node, i, &cls, &[])));
                }
                Decision::Force(i, m) => {
                    self.stats.forced_points += 1;
                    let why = self.exclusions(node, i, &cls, &[m]);
                    self.assign(node, i, m, Some(why));
                }
                Decision::Branch(i, masks) => {
                    let why = self.exclusions(node, i, &cls, &masks);
                    return Ok(Step::Branch(i, masks, why));
                }
            }
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
            + node.assign.len() * (48 + 24 * self.words)
            + node.pool.len() * vars * 8
    }

    /// Depth-first search from the root. `on_leaf` receives every leaf and says whether to
    /// go on. Returns `Ok(true)` when the tree was exhausted, `Ok(false)` when `on_leaf`
    /// stopped it.
    ///
    /// Conflict-directed backjumping: a closed node reports the assigned points whose rows
    /// prove it (resolved down to branching decisions at its own level). If that set does not
    /// contain the point its parent branched on, the proof holds in the parent itself, so the
    /// remaining siblings are skipped and the parent fails with the same set. Otherwise the
    /// set minus the branching point joins the parent's own, which, with the proofs that
    /// excluded the patterns not branched on, is the parent's reason when all its children
    /// have failed. (Sound with the neuron symmetry: a set only ever holds points assigned
    /// before the symmetry it is used with, whose patterns that symmetry fixes.)
    pub(super) fn run(&mut self, on_leaf: &mut OnLeaf<'_>) -> Result<bool, Stop> {
        let root = self.root();
        self.run_from(root, None, on_leaf)
    }

    /// One thread of a shared search: search the subtrees taken from `sharing` until none
    /// is left (`Ok(true)`), a leaf callback says stop (`Ok(false)`), or the limits stop it.
    /// `stop` is polled while waiting for work (another thread found a leaf or stopped).
    pub(super) fn run_shared(
        &mut self,
        sharing: &Sharing,
        stop: &dyn Fn() -> bool,
        on_leaf: &mut OnLeaf<'_>,
    ) -> Result<bool, Stop> {
        while let Some(node) = sharing.take(stop) {
            let r = self.run_from(node, Some(sharing), on_leaf);
            sharing.done();
            match r {
                Ok(true) => {}
                other => return other,
            }
        }
        Ok(true)
    }

    /// The depth-first search of the subtree below `start`, giving subtrees away to
    /// `sharing` when other threads wait.
    fn run_from(
        &mut self,
        start: Node,
        sharing: Option<&Sharing>,
        on_leaf: &mut OnLeaf<'_>,
    ) -> Result<bool, Stop> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut path_bytes: Vec<usize> = Vec::new();
        let mut current = Some(start);
        let mut finished: Option<Subtree> = None;
        loop {
            if let Some(mut node) = current.take() {
                self.stats.nodes += 1;
                self.stats.max_depth = self.stats.max_depth.max(node.depth);
                self.sync_bound();
                match self.process(&mut node)? {
                    Step::Closed(why) => {
                        finished = Some(Subtree::Failed(self.resolve(&trail(&node), why)))
                    }
                    Step::Leaf(leaf) => {
                        self.stats.fits += 1;
                        let loss = leaf.loss.clone();
                        if !on_leaf(*leaf) {
                            return Ok(false);
                        }
                        // A better leaf lowers the bound of a minimisation.
                        if let (Some(g), Some(l)) = (self.error.as_mut(), loss) {
                            if g.minimize && l < g.upper {
                                if let Some((bound, _)) = &self.shared_bound {
                                    bound.offer(&l);
                                }
                                g.upper = l;
                                self.stats.incumbents += 1;
                            }
                        }
                        finished = Some(Subtree::Succeeded);
                    }
                    Step::Branch(point, masks, excluded) => {
                        let bytes = self.node_bytes(&node);
                        let total: usize = path_bytes.iter().sum::<usize>() + bytes;
                        if total > self.memory_budget {
                            return Err(Stop::Memory(
                                crate::limits::Stopped::Memory {
                                    what: if self.memory_budget < self.oracle.memory_budget() {
                                        format!(
                                            "the search path of one thread (each thread has an \
                                             equal share of the budget) at depth {}",
                                            node.depth
                                        )
                                    } else {
                                        format!("the search path at depth {}", node.depth)
                                    },
                                    needed: total as u64,
                                    budget: self.memory_budget as u64,
                                }
                                .detail(),
                            ));
                        }
                        path_bytes.push(bytes);
                        self.open += masks.len() as u64;
                        stack.push(Frame {
                            trail: trail(&node),
                            node: Some(node),
                            point,
                            children: masks.len(),
                            rest: masks.into_iter(),
                            acc: Subtree::Failed(excluded),
                        });
                    }
                }
            }
            // Hand a finished subtree to its parent.
            while let Some(done) = finished.take() {
                let Some(top) = stack.last_mut() else {
                    return Ok(true);
                };
                match done {
                    Subtree::Succeeded => top.acc = Subtree::Succeeded,
                    Subtree::Failed(why) => {
                        let keep = self.keeps_siblings(top.trail.depth);
                        if let Subtree::Failed(acc) = &mut top.acc {
                            if why.contains(top.point) || keep {
                                let mut why = why;
                                why.remove(top.point);
                                acc.union_with(&why);
                            } else {
                                // The proof does not use the branch: the parent fails.
                                let frame = stack.pop().expect("non-empty");
                                path_bytes.pop();
                                self.stats.backjumps += 1;
                                self.stats.skipped_branches += frame.rest.len() as u64;
                                self.open = self.open.saturating_sub(frame.rest.len() as u64);
                                finished = Some(Subtree::Failed(self.resolve(&frame.trail, why)));
                                continue;
                            }
                        }
                    }
                }
            }
            self.finished_share = finished_share(&stack);
            if let Some(sharing) = sharing {
                if sharing.wanted() {
                    self.give_away(&mut stack, sharing);
                }
            }
            let Some(top) = stack.last_mut() else {
                return Ok(true);
            };
            match top.rest.next() {
                Some(mask) => {
                    self.open = self.open.saturating_sub(1);
                    let point = top.point;
                    let depth = top.trail.depth + 1;
                    let owned = match &mut self.split {
                        Some(s) if depth == s.depth => {
                            let number = s.next;
                            s.next += 1;
                            let own = s.shard.owns(number);
                            s.skipped += u64::from(!own);
                            own
                        }
                        _ => true,
                    };
                    if !owned {
                        // Another shard's subtree: closed here, for this shard only.
                        if top.rest.len() == 0 {
                            top.node = None;
                        }
                        let mut why = PointSet::new(self.prob.len());
                        why.insert(point);
                        finished = Some(Subtree::Failed(why));
                        continue;
                    }
                    // The last child takes the node instead of a copy.
                    let base = if top.rest.len() == 0 {
                        top.node.take()
                    } else {
                        top.node.clone()
                    };
                    current = Some(self.child(base.expect("the node of a frame"), point, mask));
                }
                None => {
                    let frame = stack.pop().expect("non-empty");
                    path_bytes.pop();
                    finished = Some(match frame.acc {
                        Subtree::Succeeded => Subtree::Succeeded,
                        Subtree::Failed(why) => Subtree::Failed(self.resolve(&frame.trail, why)),
                    });
                }
            }
        }
    }

    /// Give the last child not yet started of the shallowest frame that has one (the largest
    /// subtree at hand) to `sharing`, closing it here with the explanation "every point
    /// assigned at the frame" (so no backjump of this thread rests on it).
    fn give_away(&mut self, stack: &mut [Frame], sharing: &Sharing) {
        let Some(frame) = stack.iter_mut().find(|f| f.rest.len() > 0) else {
            return;
        };
        let Some(mask) = frame.rest.next_back() else {
            return;
        };
        let base = if frame.rest.len() == 0 {
            frame.node.take()
        } else {
            frame.node.clone()
        };
        let Some(base) = base else {
            return;
        };
        let child = self.child(base, frame.point, mask);
        if let Subtree::Failed(acc) = &mut frame.acc {
            for (i, when) in frame.trail.when.iter().enumerate() {
                if when.0 != u32::MAX {
                    acc.insert(i);
                }
            }
        }
        self.open = self.open.saturating_sub(1);
        self.stats.shared_subtrees += 1;
        sharing.give(child);
    }

    /// The LP counters collected so far (into [`SearchStats::lp`]).
    pub(super) fn finish(&mut self) -> SearchStats {
        self.stats.lp = self.oracle.counters.clone();
        self.stats.lp.float_time = self
            .start
            .elapsed()
            .saturating_sub(self.stats.lp.exact_time + self.started_at);
        self.stats.clone()
    }
}
