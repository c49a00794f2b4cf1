//! An exact solver for Positive 1-in-3 SAT, the source problem of Theorem 1 and
//! Corollary 8: decide, count and enumerate the assignments that make exactly one literal of
//! every clause true.
//!
//! It is a small DPLL search of our own rather than a general SAT solver from a crate, for
//! three reasons: counting and enumerating *all* solutions (needed to check that the
//! reduction has exactly as many canonical networks as the formula has solutions) is native
//! to it, whereas a CNF solver needs blocking clauses and cannot count; the exactly-one
//! constraint propagates directly, without an encoding into `1 + 3` CNF clauses; and the
//! library gains no dependency.
//!
//! Propagation is clause-driven. For a clause `(a b c)`:
//! - a true literal makes the other two variables false;
//! - two false literals make the third true;
//! - two true or three false literals are a conflict.
//!
//! A variable repeated in a clause counts once per occurrence, so in `(v v w)` a true `v`
//! would give two true literals: `v` is false and `w` true. `(v v v)` is unsatisfiable.
//! These clauses are settled before the search starts.
//!
//! Counting and enumeration branch on a variable of a not-yet-decided clause (one with no
//! true literal), preferring clauses with a false literal, where the branch is a binary
//! choice. Variables that occur in no clause are free: [`solve`] sets them false,
//! [`count_solutions`] doubles the count for each, and [`enumerate_solutions`] lists both
//! values. Counting splits the undecided clauses into connected components (clauses sharing
//! an unassigned variable) and multiplies their counts, so independent parts of a formula
//! are never enumerated jointly, and caches the count of every component it meets (keyed by
//! its undecided clauses and unassigned variables), as #SAT solvers do. An unsatisfiable
//! formula is refuted by the conflict-driven search first. Counting is still exponential in
//! the worst case: [`count_with_limit`] bounds the work. The search recurses once per nested
//! branch and runs on a thread with a stack sized to the formula; each level holds its
//! component, so memory grows with depth times component size (long chains of clauses with
//! tens of thousands of clauses are out of reach).
//!
//! [`solve`] needs only one solution and must scale to large formulas, where chronological
//! DPLL thrashes (planted formulas with `n = m = 5000` already take seconds). It uses the
//! same propagation inside a conflict-driven search with clause learning (module `cdcl`);
//! every solution it returns is checked with [`Formula::is_solution`], and an answer of
//! "unsatisfiable" is exact because learned clauses are implied by the formula.
//!
//! Clause/variable ratio matters: near `m/n = 0.62` (the satisfiability threshold of random
//! formulas) and for planted formulas around `m/n = 1` the problem is at its hardest; planted
//! `n = m = 10^4` takes from a fraction of a second to a few seconds, about what general
//! CDCL solvers need on the usual CNF encoding.

use super::formula::{Assignment, Formula};
use dashu_int::UBig;
use std::collections::HashMap;

/// Bound on the total key length (in `u32` words) of the component cache: 32 Mi words,
/// 128 MiB of keys.
const CACHE_WORDS: usize = 1 << 25;

/// Work done by a search: a cheap measure of how hard an instance was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SolverStats {
    /// Branching decisions (each value tried at a branch counts once).
    pub decisions: u64,
    /// Values set by propagation.
    pub propagations: u64,
    /// Conflicts met (dead ends of the search).
    pub conflicts: u64,
}

/// A satisfying assignment of `f`, or `None` if there is none. Free variables (in no clause)
/// are set false.
///
/// # Panics
/// If `f` names a variable outside `1..=f.num_vars` (see [`Formula::validate`]).
pub fn solve(f: &Formula) -> Option<Assignment> {
    solve_with_stats(f).0
}

/// [`solve`], also returning the work done.
///
/// # Panics
/// As [`solve`].
pub fn solve_with_stats(f: &Formula) -> (Option<Assignment>, SolverStats) {
    if let Err(msg) = f.validate() {
        panic!("POITS solver given an invalid formula: {msg}");
    }
    let (result, stats) = super::cdcl::solve(f);
    if let Some(a) = &result {
        assert!(f.is_solution(a), "CDCL returned a non-solution");
    }
    (result, stats)
}

/// The number of satisfying assignments of `f`, saturating at `u128::MAX` (use
/// [`count_solutions_big`] for formulas with more than 127 free variables or otherwise huge
/// counts).
///
/// # Panics
/// As [`solve`].
pub fn count_solutions(f: &Formula) -> u128 {
    u128::try_from(&count_solutions_big(f)).unwrap_or(u128::MAX)
}

/// The exact number of satisfying assignments of `f`, as an unbounded integer.
///
/// # Panics
/// As [`solve`].
pub fn count_solutions_big(f: &Formula) -> UBig {
    count_with_stats(f).0
}

/// [`count_solutions_big`], also returning the work done.
///
/// # Panics
/// As [`solve`].
pub fn count_with_stats(f: &Formula) -> (UBig, SolverStats) {
    let (count, stats) = count_with_limit(f, u64::MAX);
    (count.expect("an unlimited count completes"), stats)
}

/// [`count_solutions_big`] with a budget: `None` if the search needs more than
/// `max_decisions` branching decisions (counting is exponential in the worst case; large
/// formulas near the satisfiability threshold can have astronomically many solutions spread
/// over one connected component). Also returns the work done.
///
/// # Panics
/// As [`solve`].
pub fn count_with_limit(f: &Formula, max_decisions: u64) -> (Option<UBig>, SolverStats) {
    // The counting search recurses once per nested branch, which can be as deep as the
    // formula is long (a chain of clauses): run it on a thread with a matching stack.
    let stack = (COUNT_STACK_MIN).max(f.clauses.len().saturating_mul(COUNT_STACK_PER_CLAUSE));
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("poits-count".to_string())
            .stack_size(stack)
            .spawn_scoped(scope, || count_on_this_thread(f, max_decisions))
            .expect("cannot start the counting thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Stack for the counting thread: at least 64 MiB, and 1 KiB per clause.
const COUNT_STACK_MIN: usize = 64 << 20;
const COUNT_STACK_PER_CLAUSE: usize = 1 << 10;

fn count_on_this_thread(f: &Formula, max_decisions: u64) -> (Option<UBig>, SolverStats) {
    let mut e = Engine::new(f);
    if !e.root_ok {
        return (Some(UBig::ZERO), e.stats);
    }
    // Refuting an unsatisfiable formula is the conflict-driven solver's strength; the
    // counting search has no clause learning.
    let (found, cdcl_stats) = super::cdcl::solve(f);
    if found.is_none() {
        return (Some(UBig::ZERO), cdcl_stats);
    }
    e.budget = max_decisions;
    let all: Vec<u32> = (0..e.clauses.len() as u32).collect();
    let inner = e.count_in(&all);
    if e.aborted {
        return (None, e.stats);
    }
    let free = e.in_clause.iter().filter(|&&used| !used).count();
    (Some(inner << free), e.stats)
}

/// The first `limit` satisfying assignments of `f` in ascending order of [`Assignment`]'s
/// `Ord` (lexicographic in `v_1, v_2, ...` with false before true); all of them if there are
/// at most `limit`. Deterministic. The search branches on variables in index order (false
/// first) with the exactly-one propagation and no learning, which yields solutions in
/// order; it suits the small formulas whose solutions one wants to list.
///
/// # Panics
/// As [`solve`].
pub fn enumerate_solutions(f: &Formula, limit: usize) -> Vec<Assignment> {
    let mut e = Engine::new(f);
    if !e.root_ok || limit == 0 {
        return Vec::new();
    }
    e.enumerate(limit)
}

const UNSET: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;

/// Search state: current partial assignment, per-clause counters, trail for undoing.
struct Engine {
    /// Clauses with three distinct variables (0-based); clauses with a repeated variable are
    /// turned into unit facts at construction.
    clauses: Vec<[u32; 3]>,
    /// Clauses in which each variable occurs.
    occ: Vec<Vec<u32>>,
    /// Variable occurs in some clause of the input (including clauses with repeats).
    in_clause: Vec<bool>,
    val: Vec<u8>,
    n_true: Vec<u8>,
    n_false: Vec<u8>,
    /// Assigned variables in order; `trail[..qhead]` have been propagated.
    trail: Vec<u32>,
    qhead: usize,
    /// Scratch for component splitting (union-find parents and group labels), kept at
    /// identity / `u32::MAX` between uses.
    uf: Vec<u32>,
    group: Vec<u32>,
    /// False if the formula was found unsatisfiable before any search.
    root_ok: bool,
    /// Decision budget of a count, and whether it ran out (the count is then meaningless).
    budget: u64,
    aborted: bool,
    /// Counts of components already met (component caching, as in #SAT solvers), and the
    /// total length of their keys, bounded by [`CACHE_WORDS`].
    cache: HashMap<Vec<u32>, UBig>,
    cache_words: usize,
    stats: SolverStats,
}

impl Engine {
    fn new(f: &Formula) -> Self {
        if let Err(msg) = f.validate() {
            panic!("POITS solver given an invalid formula: {msg}");
        }
        let n = f.num_vars;
        assert!(n < u32::MAX as usize, "too many variables for the solver");
        let ClauseIndex {
            clauses,
            occ,
            in_clause,
            units,
            ok,
        } = ClauseIndex::new(f);
        let mut e = Engine {
            n_true: vec![0; clauses.len()],
            n_false: vec![0; clauses.len()],
            clauses,
            occ,
            in_clause,
            val: vec![UNSET; n],
            trail: Vec::with_capacity(n),
            qhead: 0,
            uf: (0..n as u32).collect(),
            group: vec![u32::MAX; n],
            root_ok: ok,
            budget: u64::MAX,
            aborted: false,
            cache: HashMap::new(),
            cache_words: 0,
            stats: SolverStats::default(),
        };
        if e.root_ok {
            for (v, value) in units {
                if !e.assign(v, value) {
                    e.root_ok = false;
                    break;
                }
            }
        }
        if e.root_ok && !e.propagate() {
            e.root_ok = false;
        }
        e
    }

    /// Set `v` to `value`; false if it already holds the opposite value.
    fn assign(&mut self, v: u32, value: bool) -> bool {
        let vi = v as usize;
        let code = if value { TRUE } else { FALSE };
        if self.val[vi] != UNSET {
            return self.val[vi] == code;
        }
        self.val[vi] = code;
        self.trail.push(v);
        for &c in &self.occ[vi] {
            if value {
                self.n_true[c as usize] += 1;
            } else {
                self.n_false[c as usize] += 1;
            }
        }
        true
    }

    /// Propagate all pending assignments; false on a conflict.
    fn propagate(&mut self) -> bool {
        while self.qhead < self.trail.len() {
            let v = self.trail[self.qhead] as usize;
            self.qhead += 1;
            for k in 0..self.occ[v].len() {
                let c = self.occ[v][k] as usize;
                let (t, fls) = (self.n_true[c], self.n_false[c]);
                if t > 1 || fls == 3 {
                    self.stats.conflicts += 1;
                    return false;
                }
                if t == 1 && fls < 2 {
                    for u in self.clauses[c] {
                        if self.val[u as usize] == UNSET {
                            self.assign(u, false);
                            self.stats.propagations += 1;
                        }
                    }
                } else if t == 0 && fls == 2 {
                    for u in self.clauses[c] {
                        if self.val[u as usize] == UNSET {
                            self.assign(u, true);
                            self.stats.propagations += 1;
                        }
                    }
                }
            }
        }
        true
    }

    /// Undo every assignment made after the trail had length `mark`.
    fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            let v = self.trail.pop().expect("non-empty trail") as usize;
            let was_true = self.val[v] == TRUE;
            for &c in &self.occ[v] {
                if was_true {
                    self.n_true[c as usize] -= 1;
                } else {
                    self.n_false[c as usize] -= 1;
                }
            }
            self.val[v] = UNSET;
        }
        self.qhead = mark;
    }

    /// A branching variable from an undecided clause among `among`: prefer a clause with a
    /// false literal (binary choice); within it the unassigned variable with most
    /// occurrences, tried true first.
    fn pick(&self, among: &[u32]) -> Option<(u32, bool)> {
        let mut best: Option<usize> = None;
        for &c in among {
            let c = c as usize;
            if self.n_true[c] == 0 {
                if self.n_false[c] >= 1 {
                    best = Some(c);
                    break;
                }
                if best.is_none() {
                    best = Some(c);
                }
            }
        }
        let c = best?;
        let v = self.clauses[c]
            .into_iter()
            .filter(|&u| self.val[u as usize] == UNSET)
            .max_by_key(|&u| (self.occ[u as usize].len(), std::cmp::Reverse(u)))
            .expect("an undecided clause has an unassigned variable");
        Some((v, true))
    }

    /// Backtrack to the most recent branch with an untried value and try it; false if the
    /// search space is exhausted. Stack entries: (trail mark, variable, value, second try).
    fn backtrack(&mut self, stack: &mut Vec<(usize, u32, bool, bool)>) -> bool {
        while let Some((mark, v, value, second)) = stack.pop() {
            self.undo(mark);
            if !second {
                self.stats.decisions += 1;
                stack.push((mark, v, !value, true));
                self.assign(v, !value);
                return true;
            }
        }
        false
    }

    /// Number of ways to complete the current (propagated, consistent) assignment on the
    /// clauses `among`, assuming no clause outside `among` shares an unassigned variable
    /// with them.
    fn count_in(&mut self, among: &[u32]) -> UBig {
        let undecided: Vec<u32> = among
            .iter()
            .copied()
            .filter(|&c| self.n_true[c as usize] == 0)
            .collect();
        if undecided.is_empty() {
            return UBig::ONE;
        }
        let comps = self.components(&undecided);
        drop(undecided);
        let mut total = UBig::ONE;
        for comp in comps {
            // The key is rebuilt after the recursion (the assignment is the same again)
            // rather than held across it: deep searches would otherwise hold one key per
            // level.
            let cached = self.cache.get(&self.component_key(&comp)).cloned();
            let k = match cached {
                Some(k) => k,
                None => {
                    let k = self.count_component(&comp);
                    if self.aborted {
                        return UBig::ZERO;
                    }
                    let key = self.component_key(&comp);
                    if self.cache_words + key.len() <= CACHE_WORDS {
                        self.cache_words += key.len();
                        self.cache.insert(key, k.clone());
                    }
                    k
                }
            };
            if k == UBig::ZERO {
                return UBig::ZERO;
            }
            total *= k;
        }
        total
    }

    /// What determines the count of a component: its undecided clauses and its unassigned
    /// variables (each undecided clause needs exactly one of its unassigned variables true).
    fn component_key(&self, comp: &[u32]) -> Vec<u32> {
        let mut vars: Vec<u32> = comp
            .iter()
            .flat_map(|&c| self.clauses[c as usize])
            .filter(|&u| self.val[u as usize] == UNSET)
            .collect();
        vars.sort_unstable();
        vars.dedup();
        let mut key = comp.to_vec();
        key.sort_unstable();
        key.push(u32::MAX);
        key.extend(vars);
        key
    }

    /// Count a connected set of undecided clauses by branching on one variable.
    fn count_component(&mut self, comp: &[u32]) -> UBig {
        let (v, first) = self.pick(comp).expect("component has an undecided clause");
        let mut total = UBig::ZERO;
        for value in [first, !first] {
            if self.aborted || self.stats.decisions >= self.budget {
                self.aborted = true;
                return UBig::ZERO;
            }
            self.stats.decisions += 1;
            let mark = self.trail.len();
            self.assign(v, value);
            if self.propagate() {
                total += self.count_in(comp);
            }
            self.undo(mark);
        }
        total
    }

    /// Split undecided clauses into groups connected through unassigned variables, in order
    /// of first appearance.
    fn components(&mut self, undecided: &[u32]) -> Vec<Vec<u32>> {
        fn find(uf: &mut [u32], mut x: u32) -> u32 {
            while uf[x as usize] != x {
                let p = uf[x as usize];
                uf[x as usize] = uf[p as usize];
                x = p;
            }
            x
        }
        let mut touched: Vec<u32> = Vec::new();
        let mut first_var: Vec<u32> = Vec::with_capacity(undecided.len());
        for &c in undecided {
            let mut root: Option<u32> = None;
            for u in self.clauses[c as usize] {
                if self.val[u as usize] != UNSET {
                    continue;
                }
                touched.push(u);
                let ru = find(&mut self.uf, u);
                match root {
                    None => root = Some(ru),
                    Some(r) if r != ru => self.uf[ru as usize] = r,
                    Some(_) => {}
                }
            }
            first_var.push(root.expect("undecided clause has an unassigned variable"));
        }
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for (i, &c) in undecided.iter().enumerate() {
            let r = find(&mut self.uf, first_var[i]) as usize;
            if self.group[r] == u32::MAX {
                self.group[r] = groups.len() as u32;
                touched.push(r as u32);
                groups.push(Vec::new());
            }
            groups[self.group[r] as usize].push(c);
        }
        for u in touched {
            self.uf[u as usize] = u;
            self.group[u as usize] = u32::MAX;
        }
        groups
    }

    /// Depth-first search in lexicographic order, collecting up to `limit` solutions.
    fn enumerate(&mut self, limit: usize) -> Vec<Assignment> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        loop {
            match self.val.iter().position(|&x| x == UNSET) {
                None => {
                    out.push(self.assignment());
                    if out.len() == limit || !self.backtrack(&mut stack) {
                        return out;
                    }
                }
                Some(v) => {
                    self.stats.decisions += 1;
                    stack.push((self.trail.len(), v as u32, false, false));
                    self.assign(v as u32, false);
                }
            }
            while !self.propagate() {
                if !self.backtrack(&mut stack) {
                    return out;
                }
            }
        }
    }

    /// The current assignment, unassigned variables false.
    fn assignment(&self) -> Assignment {
        Assignment {
            values: self.val.iter().map(|&x| x == TRUE).collect(),
        }
    }
}

/// The clauses of a formula as both engines load them (variables 0-based): the
/// exactly-one clauses with their occurrence lists, the unit assignments forced by clauses
/// with a repeated variable, and which variables occur at all.
pub(super) struct ClauseIndex {
    /// Clauses of three distinct variables, exactly one of which is true.
    pub(super) clauses: Vec<[u32; 3]>,
    /// For every variable, the indices of the exactly-one clauses it occurs in.
    pub(super) occ: Vec<Vec<u32>>,
    /// Whether the variable occurs in any clause (others are free).
    pub(super) in_clause: Vec<bool>,
    /// Assignments forced by `(v v w)` clauses.
    pub(super) units: Vec<(u32, bool)>,
    /// False if some clause is `(v v v)`, which no assignment satisfies.
    pub(super) ok: bool,
}

impl ClauseIndex {
    /// Index the clauses of `f` (a validated formula).
    pub(super) fn new(f: &Formula) -> ClauseIndex {
        let n = f.num_vars;
        let mut index = ClauseIndex {
            clauses: Vec::with_capacity(f.clauses.len()),
            occ: vec![Vec::new(); n],
            in_clause: vec![false; n],
            units: Vec::new(),
            ok: true,
        };
        for c in &f.clauses {
            for v in c {
                index.in_clause[v - 1] = true;
            }
            match ClauseShape::of(c) {
                ClauseShape::Impossible => index.ok = false,
                ClauseShape::Forced(forced) => index.units.extend(forced),
                ClauseShape::ExactlyOne(vars) => {
                    let j = index.clauses.len() as u32;
                    index.clauses.push(vars);
                    for v in vars {
                        index.occ[v as usize].push(j);
                    }
                }
            }
        }
        index
    }
}

/// How a POITS clause enters an exactly-one search (variables 0-based).
pub(super) enum ClauseShape {
    /// `(v v v)`: one true `v` gives three true literals, none gives zero.
    Impossible,
    /// `(v v w)`: `v` true would give two true literals, so `v` is false and `w` true.
    Forced([(u32, bool); 2]),
    /// Three distinct variables: exactly one of them is true.
    ExactlyOne([u32; 3]),
}

impl ClauseShape {
    /// The shape of a clause of 1-based variables.
    pub(super) fn of(c: &[usize; 3]) -> ClauseShape {
        let [a, b, d] = c.map(|v| (v - 1) as u32);
        if a == b && b == d {
            ClauseShape::Impossible
        } else if a == b || a == d || b == d {
            let (rep, other) = if a == b {
                (a, d)
            } else if a == d {
                (a, b)
            } else {
                (b, a)
            };
            ClauseShape::Forced([(rep, false), (other, true)])
        } else {
            ClauseShape::ExactlyOne([a, b, d])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formula(n: usize, clauses: &[[usize; 3]]) -> Formula {
        Formula {
            num_vars: n,
            clauses: clauses.to_vec(),
        }
    }

    #[test]
    fn figure5() {
        let f = formula(5, &[[5, 4, 3], [4, 3, 2], [5, 2, 1]]);
        assert_eq!(count_solutions(&f), 2);
        let all = enumerate_solutions(&f, 10);
        assert_eq!(
            all,
            vec![
                Assignment::from_true_vars(5, &[1, 4]),
                Assignment::from_true_vars(5, &[1, 3])
            ]
        );
        assert!(f.is_solution(&solve(&f).unwrap()));
    }

    #[test]
    fn repeated_variables() {
        assert_eq!(count_solutions(&formula(1, &[[1, 1, 1]])), 0);
        assert!(solve(&formula(1, &[[1, 1, 1]])).is_none());
        let f = formula(3, &[[1, 1, 2]]);
        assert_eq!(count_solutions(&f), 2); // v1 = F, v2 = T, v3 free
        assert_eq!(
            enumerate_solutions(&f, 5),
            vec![
                Assignment::from_true_vars(3, &[2]),
                Assignment::from_true_vars(3, &[2, 3])
            ]
        );
        // (v1 v1 v2) forces v2 true; (v2 v2 v3) forces v2 false.
        assert_eq!(count_solutions(&formula(3, &[[1, 1, 2], [2, 3, 2]])), 0);
    }

    #[test]
    fn free_variables_multiply() {
        let f = formula(130, &[[1, 2, 3]]);
        assert_eq!(count_solutions_big(&f), UBig::from(3u8) << 127);
        assert_eq!(count_solutions(&f), u128::MAX);
        assert_eq!(count_solutions(&formula(0, &[])), 1);
        assert_eq!(count_solutions(&formula(4, &[])), 16);
    }

    #[test]
    fn components_multiply() {
        // Two disjoint copies of a 3-solution clause, plus a shared-free check.
        let f = formula(6, &[[1, 2, 3], [4, 5, 6]]);
        assert_eq!(count_solutions(&f), 9);
        assert_eq!(enumerate_solutions(&f, 100).len(), 9);
        assert_eq!(enumerate_solutions(&f, 4).len(), 4);
    }
}
