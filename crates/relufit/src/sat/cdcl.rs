//! Conflict-driven search for one POITS solution: the DPLL search of [`super::solver`] with
//! clause learning, non-chronological backjumping, activity-based branching and restarts,
//! used by [`super::solve`] because plain chronological DPLL thrashes on large formulas
//! (planted `n = m = 5000` already takes seconds).
//!
//! The exactly-one clauses keep their direct propagation; each propagated value records its
//! reason as a CNF clause implied by the formula: `(not u or not v)` when `u` is the true
//! literal of a clause holding `v`, and `(a or b or c)` when the two other literals of
//! `(a b c)` are false. A conflict is either such a clause or a learned one. First-UIP
//! analysis over these reasons yields a learned CNF clause, watched by two literals. Learned
//! clauses are implied by the formula, so they never remove a solution: the search is
//! complete, and an answer of "unsatisfiable" is exact.
//!
//! Around that core, the usual machinery of CDCL solvers (MiniSat, Glucose), kept small:
//! failed-literal probing at level 0 before the search; VSIDS-style activities in an indexed
//! heap with saved phases (false first: two thirds of the variables of a solution are false
//! when every clause has one true literal of three); local minimisation of learned clauses;
//! Luby restarts; and, at restarts, forgetting the worse half of the learned clauses by
//! literal block distance. Activities are floating point, but they only order the branching;
//! no answer depends on them.

use super::formula::{Assignment, Formula};
use super::solver::{ClauseIndex, SolverStats};

const UNSET: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;

/// A literal: `2 v` is "variable v (0-based) is true", `2 v + 1` is "v is false".
type Lit = u32;

fn lit(v: u32, positive: bool) -> Lit {
    2 * v + u32::from(!positive)
}

/// Whether literal `l` has value `want` (TRUE or FALSE) under `val`.
fn lit_is(val: &[u8], l: Lit, want: u8) -> bool {
    match val[var(l) as usize] {
        UNSET => false,
        x => ((x == TRUE) == (l & 1 == 0)) == (want == TRUE),
    }
}

fn var(l: Lit) -> u32 {
    l >> 1
}

/// Why a variable has its value.
#[derive(Debug, Clone, Copy)]
enum Reason {
    /// A decision, or a fact at level 0.
    None,
    /// False because variable `u` is the true literal of a clause holding it.
    AtMostOne(u32),
    /// True because the other two literals of exactly-one clause `c` are false.
    AtLeastOne(u32),
    /// Implied by learned clause `i`.
    Learned(u32),
}

/// An indexed max-heap of variables keyed by activity.
struct VarHeap {
    heap: Vec<u32>,
    pos: Vec<u32>,
}

const ABSENT: u32 = u32::MAX;

/// Conflicts before the first clean-up of learned clauses, and growth of the gap.
const REDUCE_FIRST: u64 = 2000;
const REDUCE_INCREMENT: u64 = 300;

/// Passes of failed-literal probing before the search.
const PROBE_ROUNDS: usize = 3;

impl VarHeap {
    fn new(n: usize) -> Self {
        VarHeap {
            heap: Vec::with_capacity(n),
            pos: vec![ABSENT; n],
        }
    }

    fn contains(&self, v: u32) -> bool {
        self.pos[v as usize] != ABSENT
    }

    fn insert(&mut self, v: u32, act: &[f64]) {
        if self.contains(v) {
            return;
        }
        self.pos[v as usize] = self.heap.len() as u32;
        self.heap.push(v);
        self.up(self.heap.len() - 1, act);
    }

    fn pop(&mut self, act: &[f64]) -> Option<u32> {
        let top = *self.heap.first()?;
        let last = self.heap.pop().expect("non-empty heap");
        self.pos[top as usize] = ABSENT;
        if !self.heap.is_empty() {
            self.heap[0] = last;
            self.pos[last as usize] = 0;
            self.down(0, act);
        }
        Some(top)
    }

    /// Restore the heap order after the activity of `v` grew.
    fn increased(&mut self, v: u32, act: &[f64]) {
        if self.contains(v) {
            self.up(self.pos[v as usize] as usize, act);
        }
    }

    fn up(&mut self, mut i: usize, act: &[f64]) {
        let v = self.heap[i];
        while i > 0 {
            let p = (i - 1) / 2;
            let pv = self.heap[p];
            if act[pv as usize] >= act[v as usize] {
                break;
            }
            self.heap[i] = pv;
            self.pos[pv as usize] = i as u32;
            i = p;
        }
        self.heap[i] = v;
        self.pos[v as usize] = i as u32;
    }

    fn down(&mut self, mut i: usize, act: &[f64]) {
        let v = self.heap[i];
        let n = self.heap.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && act[self.heap[r] as usize] > act[self.heap[l] as usize] {
                r
            } else {
                l
            };
            let cv = self.heap[c];
            if act[cv as usize] <= act[v as usize] {
                break;
            }
            self.heap[i] = cv;
            self.pos[cv as usize] = i as u32;
            i = c;
        }
        self.heap[i] = v;
        self.pos[v as usize] = i as u32;
    }
}

/// The CDCL search state.
struct Cdcl {
    eo: Vec<[u32; 3]>,
    occ: Vec<Vec<u32>>,
    in_clause: Vec<bool>,
    n_true: Vec<u8>,
    n_false: Vec<u8>,
    learned: Vec<Vec<Lit>>,
    /// Literal block distance (number of decision levels) of each learned clause.
    lbd: Vec<u32>,
    /// Learned clauses to visit when the literal becomes false, each with a blocker: another
    /// literal of the clause whose truth lets the visit skip the clause.
    watches: Vec<Vec<(u32, Lit)>>,
    val: Vec<u8>,
    level: Vec<u32>,
    reason: Vec<Reason>,
    phase: Vec<bool>,
    trail: Vec<u32>,
    trail_lim: Vec<usize>,
    qhead: usize,
    act: Vec<f64>,
    act_inc: f64,
    heap: VarHeap,
    seen: Vec<bool>,
    stats: SolverStats,
}

/// Find one solution of `f` by conflict-driven search (see the module docs).
pub(super) fn solve(f: &Formula) -> (Option<Assignment>, SolverStats) {
    let mut s = Cdcl::new(f);
    let sat = s.init(f) && s.search();
    let result = sat.then(|| Assignment {
        values: s.val.iter().map(|&x| x == TRUE).collect(),
    });
    (result, s.stats)
}

/// The `i`-th term (0-based) of the Luby sequence 1 1 2 1 1 2 4 ...
fn luby(mut i: u64) -> u64 {
    let mut size = 1u64;
    let mut seq = 0u32;
    while size < i + 1 {
        seq += 1;
        size = 2 * size + 1;
    }
    while size - 1 != i {
        size = (size - 1) >> 1;
        seq -= 1;
        i %= size;
    }
    1u64 << seq
}

impl Cdcl {
    fn new(f: &Formula) -> Self {
        let n = f.num_vars;
        Cdcl {
            eo: Vec::new(),
            occ: Vec::new(),
            in_clause: Vec::new(),
            n_true: Vec::new(),
            n_false: Vec::new(),
            learned: Vec::new(),
            lbd: Vec::new(),
            watches: vec![Vec::new(); 2 * n],
            val: vec![UNSET; n],
            level: vec![0; n],
            reason: vec![Reason::None; n],
            phase: vec![false; n],
            trail: Vec::with_capacity(n),
            trail_lim: Vec::new(),
            qhead: 0,
            act: vec![0.0; n],
            act_inc: 1.0,
            heap: VarHeap::new(n),
            seen: vec![false; n],
            stats: SolverStats::default(),
        }
    }

    /// Load the clauses and settle those with a repeated variable; false if unsatisfiable.
    fn init(&mut self, f: &Formula) -> bool {
        let ClauseIndex {
            clauses,
            occ,
            in_clause,
            units,
            ok,
        } = ClauseIndex::new(f);
        self.n_true = vec![0; clauses.len()];
        self.n_false = vec![0; clauses.len()];
        self.eo = clauses;
        self.occ = occ;
        self.in_clause = in_clause;
        for v in 0..f.num_vars as u32 {
            if self.in_clause[v as usize] {
                self.heap.insert(v, &self.act);
            }
        }
        if !ok {
            return false;
        }
        for (v, value) in units {
            match self.val[v as usize] {
                UNSET => self.assign(lit(v, value), Reason::None),
                x if (x == TRUE) == value => {}
                _ => return false,
            }
        }
        self.propagate().is_none()
    }

    fn decision_level(&self) -> u32 {
        self.trail_lim.len() as u32
    }

    /// Make literal `l` true (its variable must be unassigned).
    fn assign(&mut self, l: Lit, reason: Reason) {
        let v = var(l) as usize;
        let value = l & 1 == 0;
        debug_assert_eq!(self.val[v], UNSET);
        self.val[v] = if value { TRUE } else { FALSE };
        self.level[v] = self.decision_level();
        self.reason[v] = reason;
        self.trail.push(v as u32);
        for &c in &self.occ[v] {
            if value {
                self.n_true[c as usize] += 1;
            } else {
                self.n_false[c as usize] += 1;
            }
        }
    }

    /// Propagate pending assignments; on a conflict return a clause of false literals.
    fn propagate(&mut self) -> Option<Vec<Lit>> {
        while self.qhead < self.trail.len() {
            let v = self.trail[self.qhead];
            self.qhead += 1;
            if let Some(conflict) = self.propagate_eo(v) {
                return Some(conflict);
            }
            let false_lit = lit(v, self.val[v as usize] != TRUE);
            if let Some(conflict) = self.propagate_learned(false_lit) {
                return Some(conflict);
            }
        }
        None
    }

    fn propagate_eo(&mut self, v: u32) -> Option<Vec<Lit>> {
        for k in 0..self.occ[v as usize].len() {
            let c = self.occ[v as usize][k] as usize;
            let (t, fls) = (self.n_true[c], self.n_false[c]);
            let vars = self.eo[c];
            if t > 1 {
                let trues: Vec<u32> = vars
                    .into_iter()
                    .filter(|&u| self.val[u as usize] == TRUE)
                    .collect();
                return Some(vec![lit(trues[0], false), lit(trues[1], false)]);
            }
            if fls == 3 {
                return Some(vars.map(|u| lit(u, true)).to_vec());
            }
            if t == 1 && fls < 2 {
                let u = vars
                    .into_iter()
                    .find(|&u| self.val[u as usize] == TRUE)
                    .expect("one true literal");
                for w in vars {
                    if self.val[w as usize] == UNSET {
                        self.assign(lit(w, false), Reason::AtMostOne(u));
                        self.stats.propagations += 1;
                    }
                }
            } else if t == 0 && fls == 2 {
                for w in vars {
                    if self.val[w as usize] == UNSET {
                        self.assign(lit(w, true), Reason::AtLeastOne(c as u32));
                        self.stats.propagations += 1;
                    }
                }
            }
        }
        None
    }

    fn propagate_learned(&mut self, false_lit: Lit) -> Option<Vec<Lit>> {
        let mut ws = std::mem::take(&mut self.watches[false_lit as usize]);
        let mut keep = 0;
        let mut i = 0;
        let mut conflict = None;
        while i < ws.len() {
            let (ci, blocker) = ws[i];
            i += 1;
            if lit_is(&self.val, blocker, TRUE) {
                ws[keep] = (ci, blocker);
                keep += 1;
                continue;
            }
            let cl = &mut self.learned[ci as usize];
            if cl[0] == false_lit {
                cl.swap(0, 1);
            }
            let first = cl[0];
            if first != blocker && lit_is(&self.val, first, TRUE) {
                ws[keep] = (ci, first);
                keep += 1;
                continue;
            }
            let mut moved = false;
            for k in 2..cl.len() {
                if !lit_is(&self.val, cl[k], FALSE) {
                    cl.swap(1, k);
                    self.watches[cl[1] as usize].push((ci, first));
                    moved = true;
                    break;
                }
            }
            if moved {
                continue;
            }
            ws[keep] = (ci, first);
            keep += 1;
            if lit_is(&self.val, first, FALSE) {
                conflict = Some(self.learned[ci as usize].clone());
                while i < ws.len() {
                    ws[keep] = ws[i];
                    keep += 1;
                    i += 1;
                }
                break;
            }
            self.assign(first, Reason::Learned(ci));
            self.stats.propagations += 1;
        }
        ws.truncate(keep);
        self.watches[false_lit as usize] = ws;
        conflict
    }

    /// Add a learned clause (at least two literals, the first unassigned, the second false
    /// at the backjump level), watch its first two literals and assert the first.
    fn add_learned(&mut self, learnt: Vec<Lit>) {
        let i = self.learned.len() as u32;
        self.watches[learnt[0] as usize].push((i, learnt[1]));
        self.watches[learnt[1] as usize].push((i, learnt[0]));
        let mut levels: Vec<u32> = learnt
            .iter()
            .map(|&l| self.level[var(l) as usize])
            .collect();
        levels.sort_unstable();
        levels.dedup();
        self.lbd.push(levels.len() as u32);
        let first = learnt[0];
        self.learned.push(learnt);
        self.assign(first, Reason::Learned(i));
    }

    /// At decision level 0, forget the worse half of the learned clauses (by literal block
    /// distance, then length), keeping all with LBD <= 2. Level-0 values never enter conflict
    /// analysis, so no reason is lost; dropping implied clauses keeps the search complete.
    fn reduce_learned(&mut self) {
        debug_assert_eq!(self.decision_level(), 0);
        for &v in &self.trail {
            self.reason[v as usize] = Reason::None;
        }
        let mut order: Vec<usize> = (0..self.learned.len()).collect();
        order.sort_by_key(|&i| (self.lbd[i], self.learned[i].len(), i));
        let keep_n = order.len() / 2;
        let mut keep = vec![false; self.learned.len()];
        for (rank, &i) in order.iter().enumerate() {
            keep[i] = rank < keep_n || self.lbd[i] <= 2;
        }
        let learned = std::mem::take(&mut self.learned);
        let lbd = std::mem::take(&mut self.lbd);
        for (i, (cl, l)) in learned.into_iter().zip(lbd).enumerate() {
            if keep[i] {
                self.learned.push(cl);
                self.lbd.push(l);
            }
        }
        for w in &mut self.watches {
            w.clear();
        }
        for (i, cl) in self.learned.iter().enumerate() {
            self.watches[cl[0] as usize].push((i as u32, cl[1]));
            self.watches[cl[1] as usize].push((i as u32, cl[0]));
        }
    }

    /// The clause of literals that forced variable `v` (containing `v`'s true literal).
    fn reason_clause(&self, v: u32) -> Vec<Lit> {
        match self.reason[v as usize] {
            Reason::None => unreachable!("decisions have no reason clause"),
            Reason::AtMostOne(u) => vec![lit(u, false), lit(v, false)],
            Reason::AtLeastOne(c) => self.eo[c as usize].map(|u| lit(u, true)).to_vec(),
            Reason::Learned(i) => self.learned[i as usize].clone(),
        }
    }

    fn bump(&mut self, v: u32) {
        self.act[v as usize] += self.act_inc;
        if self.act[v as usize] > 1e100 {
            for a in &mut self.act {
                *a *= 1e-100;
            }
            self.act_inc *= 1e-100;
        }
        self.heap.increased(v, &self.act);
    }

    /// First-UIP analysis: the learned clause (asserting literal first, a literal of the
    /// backjump level second) and the level to backjump to.
    fn analyze(&mut self, conflict: Vec<Lit>) -> (Vec<Lit>, u32) {
        let current = self.decision_level();
        let mut learnt: Vec<Lit> = vec![0];
        let mut pending = 0usize;
        let mut clause = conflict;
        let mut skip: Option<u32> = None;
        let mut idx = self.trail.len();
        let uip = loop {
            for &q in &clause {
                let v = var(q);
                if Some(v) == skip || self.seen[v as usize] || self.level[v as usize] == 0 {
                    continue;
                }
                self.seen[v as usize] = true;
                self.bump(v);
                if self.level[v as usize] == current {
                    pending += 1;
                } else {
                    learnt.push(q);
                }
            }
            loop {
                idx -= 1;
                if self.seen[self.trail[idx] as usize] {
                    break;
                }
            }
            let p = self.trail[idx];
            self.seen[p as usize] = false;
            pending -= 1;
            if pending == 0 {
                break p;
            }
            clause = self.reason_clause(p);
            skip = Some(p);
        };
        learnt[0] = lit(uip, self.val[uip as usize] != TRUE);
        // Local minimisation: drop a literal whose reason lies inside the clause.
        let all = learnt.clone();
        learnt.retain(|&q| {
            let v = var(q);
            if v == uip {
                return true;
            }
            match self.reason[v as usize] {
                Reason::None => true,
                _ => !self.reason_clause(v).iter().all(|&l| {
                    let u = var(l) as usize;
                    u == v as usize || self.seen[u] || self.level[u] == 0
                }),
            }
        });
        for &q in &all[1..] {
            self.seen[var(q) as usize] = false;
        }
        let mut bt = 0;
        if learnt.len() > 1 {
            let mut best = 1;
            for k in 2..learnt.len() {
                if self.level[var(learnt[k]) as usize] > self.level[var(learnt[best]) as usize] {
                    best = k;
                }
            }
            learnt.swap(1, best);
            bt = self.level[var(learnt[1]) as usize];
        }
        (learnt, bt)
    }

    /// Undo all assignments above decision level `target`.
    fn backtrack(&mut self, target: u32) {
        if self.decision_level() <= target {
            return;
        }
        let mark = self.trail_lim[target as usize];
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
            self.phase[v] = was_true;
            self.val[v] = UNSET;
            self.reason[v] = Reason::None;
            self.heap.insert(v as u32, &self.act);
        }
        self.trail_lim.truncate(target as usize);
        self.qhead = mark;
    }

    /// Failed-literal probing at level 0: a value whose propagation conflicts is refuted, so
    /// its variable takes the other value. Repeats while it learns something (at most
    /// `rounds` passes); false if the formula is found unsatisfiable.
    fn probe(&mut self, rounds: usize) -> bool {
        debug_assert_eq!(self.decision_level(), 0);
        for _ in 0..rounds {
            let mut changed = false;
            for v in 0..self.val.len() as u32 {
                if !self.in_clause[v as usize] {
                    continue;
                }
                for value in [true, false] {
                    if self.val[v as usize] != UNSET {
                        break;
                    }
                    self.trail_lim.push(self.trail.len());
                    self.assign(lit(v, value), Reason::None);
                    let failed = self.propagate().is_some();
                    self.backtrack(0);
                    if failed {
                        changed = true;
                        self.assign(lit(v, !value), Reason::None);
                        if self.propagate().is_some() {
                            return false;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        true
    }

    fn search(&mut self) -> bool {
        if !self.probe(PROBE_ROUNDS) {
            return false;
        }
        let mut restarts = 0u64;
        let mut reduce_gap = REDUCE_FIRST;
        let mut next_reduce = REDUCE_FIRST;
        let mut budget = 100 * luby(0);
        loop {
            if let Some(conflict) = self.propagate() {
                self.stats.conflicts += 1;
                if self.decision_level() == 0 {
                    return false;
                }
                let (learnt, bt) = self.analyze(conflict);
                self.backtrack(bt);
                if learnt.len() == 1 {
                    self.assign(learnt[0], Reason::None);
                } else {
                    self.add_learned(learnt);
                }
                self.act_inc /= 0.95;
                budget -= 1;
                if budget == 0 {
                    restarts += 1;
                    budget = 100 * luby(restarts);
                    self.backtrack(0);
                    if self.stats.conflicts >= next_reduce {
                        self.reduce_learned();
                        reduce_gap += REDUCE_INCREMENT;
                        next_reduce = self.stats.conflicts + reduce_gap;
                    }
                }
            } else {
                let next = loop {
                    match self.heap.pop(&self.act) {
                        None => break None,
                        Some(v) if self.val[v as usize] == UNSET => break Some(v),
                        Some(_) => {}
                    }
                };
                let Some(v) = next else {
                    return true;
                };
                self.stats.decisions += 1;
                self.trail_lim.push(self.trail.len());
                let value = self.phase[v as usize];
                self.assign(lit(v, value), Reason::None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luby_sequence() {
        let got: Vec<u64> = (0..15).map(luby).collect();
        assert_eq!(got, vec![1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]);
    }

    #[test]
    fn literals() {
        assert_eq!(lit(3, true), 6);
        assert_eq!(lit(3, false), 7);
        assert_eq!(var(7), 3);
    }
}
