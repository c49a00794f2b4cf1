//! The progress line of a tree search (ExactFit and the pattern search): the estimate of
//! the time left, from the finished share of a depth-first tree, and the nodes and LPs
//! summed over the threads of a parallel search (each thread adds the growth of its own
//! counters when it reports, so the line, printed by whichever thread reports, shows the
//! whole search).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

/// The share of a depth-first tree already finished, from the path to the current node,
/// given per level as (finished children, children): the finished children count fully,
/// each an equal part of the share its node stands for.
pub(crate) fn finished_share(path: impl IntoIterator<Item = (usize, usize)>) -> f64 {
    let mut share = 0.0;
    let mut weight = 1.0;
    for (finished, children) in path {
        let children = children.max(1) as f64;
        share += weight * finished as f64 / children;
        weight /= children;
    }
    share
}

/// The time left if the unfinished share of the tree costs what the finished `share` did
/// in `spent`: a rough estimate (subtrees differ widely in size), given only once a
/// hundredth of the tree is done.
pub(crate) fn time_left(spent: Duration, share: f64) -> Option<Duration> {
    (0.01..1.0)
        .contains(&share)
        .then(|| spent.mul_f64((1.0 - share) / share))
}

/// The shared sums.
#[derive(Debug, Default)]
pub(crate) struct SearchTotals {
    nodes: AtomicU64,
    lps: AtomicU64,
}

/// One thread's link to the [`SearchTotals`]: what it has added so far.
#[derive(Debug, Clone)]
pub(crate) struct TotalsShare {
    totals: Arc<SearchTotals>,
    published: (u64, u64),
}

impl TotalsShare {
    /// A thread that has added nothing yet.
    pub(crate) fn new(totals: Arc<SearchTotals>) -> Self {
        TotalsShare {
            totals,
            published: (0, 0),
        }
    }

    /// Add the growth of this thread's counters (`nodes`, `lps`: its totals so far) and
    /// return the sums over all threads.
    pub(crate) fn publish(&mut self, nodes: u64, lps: u64) -> (u64, u64) {
        let (dn, dl) = (nodes - self.published.0, lps - self.published.1);
        self.published = (nodes, lps);
        (
            self.totals.nodes.fetch_add(dn, Relaxed) + dn,
            self.totals.lps.fetch_add(dl, Relaxed) + dl,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_share_weighs_each_level_by_its_node() {
        assert_eq!(finished_share([]), 0.0);
        assert_eq!(finished_share([(1, 2)]), 0.5);
        // Half done at the top, and half of the second half's node.
        assert_eq!(finished_share([(1, 2), (1, 2)]), 0.75);
        // First of four at the top, three of four below it: 3/16.
        assert_eq!(finished_share([(0, 4), (3, 4)]), 0.1875);
    }

    #[test]
    fn time_left_needs_a_hundredth() {
        let spent = Duration::from_secs(10);
        assert_eq!(time_left(spent, 0.005), None);
        assert_eq!(time_left(spent, 1.0), None);
        assert_eq!(time_left(spent, 0.25), Some(Duration::from_secs(30)));
    }

    #[test]
    fn threads_add_only_their_growth() {
        let totals = Arc::new(SearchTotals::default());
        let (mut a, mut b) = (TotalsShare::new(totals.clone()), TotalsShare::new(totals));
        assert_eq!(a.publish(10, 100), (10, 100));
        assert_eq!(b.publish(5, 7), (15, 107));
        assert_eq!(a.publish(12, 100), (17, 107));
        assert_eq!(b.publish(5, 7), (17, 107));
    }
}
