//! An exact solver for MULTICOLORED CLIQUE on small instances: depth-first search over the
//! colour classes, smallest class first, keeping for every class not yet chosen the
//! candidates adjacent to all vertices chosen so far; a class without candidates closes
//! the branch. Exhaustive, so "no clique" is exact. Exponential in `kappa` in the worst case
//! (that is the point of the problem): [`Limits`] bound the work, and a stopped search says
//! so instead of guessing.

use super::graph::Mcc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Bounds on a search: a node budget, a deadline and a cancellation flag (any may be absent),
/// and a progress callback (called with the number of nodes visited, about every 65536 nodes).
#[derive(Clone, Copy, Default)]
pub struct Limits<'a> {
    /// Stop after this many search nodes.
    pub max_nodes: Option<u64>,
    /// Stop at this instant.
    pub deadline: Option<Instant>,
    /// Stop when this flag is set.
    pub cancel: Option<&'a AtomicBool>,
    /// Told the number of nodes visited so far, about every 65536 nodes.
    pub progress: Option<&'a dyn Fn(u64)>,
}

impl std::fmt::Debug for Limits<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("max_nodes", &self.max_nodes)
            .field("deadline", &self.deadline)
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What a search established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A multicoloured clique, one vertex per class, in class order.
    Clique(Vec<u64>),
    /// The search was exhaustive and found none.
    NoClique,
    /// The search stopped before an answer; the reason.
    Stopped(String),
}

/// Work done by a search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Search nodes (partial cliques) visited.
    pub nodes: u64,
}

/// Find a multicoloured clique (no limits).
pub fn solve(g: &Mcc) -> Option<Vec<u64>> {
    match solve_with(g, &Limits::default()).0 {
        Answer::Clique(c) => Some(c),
        _ => None,
    }
}

/// Find a multicoloured clique within `limits`.
pub fn solve_with(g: &Mcc, limits: &Limits<'_>) -> (Answer, SearchStats) {
    let mut found = None;
    let (stopped, stats) = search(g, limits, &mut |c| {
        found = Some(c.to_vec());
        false
    });
    let answer = match (found, stopped) {
        (Some(c), _) => Answer::Clique(c),
        (None, Some(why)) => Answer::Stopped(why),
        (None, None) => Answer::NoClique,
    };
    (answer, stats)
}

/// Every multicoloured clique, at most `limit` of them (in class order each), and whether
/// the list is complete (`false` if the limit or `limits` stopped the search).
pub fn all_cliques(g: &Mcc, limit: usize, limits: &Limits<'_>) -> (Vec<Vec<u64>>, bool) {
    let mut out = Vec::new();
    let mut full = true;
    let (stopped, _) = search(g, limits, &mut |c| {
        if out.len() == limit {
            full = false;
            return false;
        }
        out.push(c.to_vec());
        true
    });
    (out, full && stopped.is_none())
}

/// Depth-first search; `visit` gets every multicoloured clique (in class order) and returns
/// whether to go on. Returns why it stopped early (limits), if it did.
fn search(
    g: &Mcc,
    limits: &Limits<'_>,
    visit: &mut dyn FnMut(&[u64]) -> bool,
) -> (Option<String>, SearchStats) {
    let kappa = g.kappa();
    let mut order: Vec<usize> = (0..kappa).collect();
    order.sort_by_key(|&c| (g.colors()[c].len(), c));
    let candidates: Vec<Vec<u64>> = order.iter().map(|&c| g.colors()[c].clone()).collect();
    let mut state = Search {
        g,
        order,
        limits,
        stats: SearchStats::default(),
        chosen: vec![0; kappa],
        stopped: None,
    };
    state.go(0, candidates, visit);
    (state.stopped, state.stats)
}

struct Search<'g, 'l> {
    g: &'g Mcc,
    order: Vec<usize>,
    limits: &'l Limits<'l>,
    stats: SearchStats,
    /// `chosen[c]`: the vertex chosen in class `c` (valid for classes already chosen).
    chosen: Vec<u64>,
    stopped: Option<String>,
}

impl Search<'_, '_> {
    /// `candidates[t]`: the vertices of class `order[depth + t]` adjacent to every chosen one.
    /// Returns whether to go on.
    fn go(
        &mut self,
        depth: usize,
        candidates: Vec<Vec<u64>>,
        visit: &mut dyn FnMut(&[u64]) -> bool,
    ) -> bool {
        self.stats.nodes += 1;
        if let Some(why) = self.limit_reached() {
            self.stopped = Some(why);
            return false;
        }
        if depth == self.order.len() {
            return visit(&self.chosen);
        }
        let (first, rest) = candidates.split_first().expect("a class left");
        for &v in first {
            let mut next = Vec::with_capacity(rest.len());
            let nb = self.g.neighbours(v);
            for list in rest {
                let kept: Vec<u64> = list
                    .iter()
                    .copied()
                    .filter(|u| nb.binary_search(u).is_ok())
                    .collect();
                if kept.is_empty() {
                    break;
                }
                next.push(kept);
            }
            if next.len() < rest.len() {
                continue;
            }
            self.chosen[self.order[depth]] = v;
            if !self.go(depth + 1, next, visit) {
                return false;
            }
        }
        true
    }

    fn limit_reached(&self) -> Option<String> {
        if self.limits.max_nodes.is_some_and(|m| self.stats.nodes > m) {
            return Some(format!(
                "node budget of {} exhausted",
                self.limits.max_nodes.unwrap_or(0)
            ));
        }
        if self.stats.nodes % 65536 == 0 {
            if let Some(report) = self.limits.progress {
                report(self.stats.nodes);
            }
        }
        if self.stats.nodes % 1024 == 0 {
            if self.limits.deadline.is_some_and(|d| Instant::now() >= d) {
                return Some("time limit reached".into());
            }
            if self
                .limits
                .cancel
                .is_some_and(|c| c.load(Ordering::Relaxed))
            {
                return Some("interrupted".into());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every choice of one vertex per class, checked directly.
    fn brute_force(g: &Mcc) -> Vec<Vec<u64>> {
        let mut out = vec![vec![]];
        for class in g.colors() {
            out = out
                .into_iter()
                .flat_map(|p: Vec<u64>| {
                    class.iter().map(move |&v| {
                        let mut q = p.clone();
                        q.push(v);
                        q
                    })
                })
                .collect();
        }
        out.retain(|c| g.check_clique(c).is_ok());
        out
    }

    #[test]
    fn agrees_with_brute_force_on_random_graphs() {
        for seed in 0..60 {
            let opts = super::super::generate::RandomOptions {
                kappa: 1 + (seed as usize % 4),
                class_size: 1 + (seed as usize % 3),
                density: (1 + seed % 3, 4),
                seed,
            };
            let g = super::super::generate::random_mcc(&opts).unwrap();
            let mut expect = brute_force(&g);
            let (mut got, complete) = all_cliques(&g, 1000, &Limits::default());
            assert!(complete);
            expect.sort();
            got.sort();
            assert_eq!(got, expect, "seed {seed}");
            assert_eq!(solve(&g).is_some(), !expect.is_empty());
        }
    }

    #[test]
    fn limits_stop_the_search() {
        let opts = super::super::generate::RandomOptions {
            kappa: 4,
            class_size: 6,
            density: (1, 2),
            seed: 3,
        };
        let g = super::super::generate::random_mcc(&opts).unwrap();
        let limits = Limits {
            max_nodes: Some(3),
            ..Limits::default()
        };
        let (answer, _) = solve_with(&g, &limits);
        assert!(matches!(answer, Answer::Stopped(_) | Answer::Clique(_)));
        let cancel = AtomicBool::new(true);
        let limits = Limits {
            cancel: Some(&cancel),
            ..Limits::default()
        };
        // Cancellation is polled every 1024 nodes; a tiny search may finish first.
        let (answer, stats) = solve_with(&g, &limits);
        assert!(stats.nodes <= 1024 || matches!(answer, Answer::Stopped(_)));
    }
}
