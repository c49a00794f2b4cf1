//! Nodes and LPs summed over the threads of one parallel search, for the progress line: each
//! thread adds the growth of its own counters when it reports, so the line (printed by
//! whichever thread reports) shows the whole search. Used by ExactFit's parallel subtrees
//! and the pattern search's work sharing.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

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
    fn threads_add_only_their_growth() {
        let totals = Arc::new(SearchTotals::default());
        let (mut a, mut b) = (TotalsShare::new(totals.clone()), TotalsShare::new(totals));
        assert_eq!(a.publish(10, 100), (10, 100));
        assert_eq!(b.publish(5, 7), (15, 107));
        assert_eq!(a.publish(12, 100), (17, 107));
        assert_eq!(b.publish(5, 7), (17, 107));
    }
}
