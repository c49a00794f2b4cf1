//! The leaves that survive the bit-set bound, handed out in increasing `(bound, rank)` order.
//!
//! The search consumes them in that order and stops as soon as a bound reaches the
//! incumbent, which usually happens after a small fraction of them. So they are not sorted up
//! front: each request beyond the sorted prefix selects the next chunk of smallest entries
//! (`select_nth_unstable`, linear) and sorts only that chunk (the first chunk is a sixteenth
//! of all entries, then the size doubles). When bounds and ranks are small enough an entry is
//! packed into one `u64` (`bound << RANK_BITS | rank`), which orders exactly like the pair.

use std::sync::RwLock;

/// Bits of the rank in a packed entry.
const RANK_BITS: u32 = 40;

/// Entries sorted per request at least (the first chunk).
const FIRST_CHUNK: usize = 1 << 16;

/// Per-thread collection of `(bound, rank)` pairs during the bound pass.
#[derive(Debug, Default)]
pub struct Collector {
    packed: Vec<u64>,
    wide: Vec<(i128, u64)>,
    pack: bool,
}

impl Collector {
    /// Record a leaf.
    pub fn push(&mut self, bound: i128, rank: u64) {
        if self.pack {
            self.packed.push((bound as u64) << RANK_BITS | rank);
        } else {
            self.wide.push((bound, rank));
        }
    }

    /// Number of leaves recorded.
    pub fn len(&self) -> usize {
        self.packed.len() + self.wide.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug)]
enum Entries {
    Packed(Vec<u64>),
    Wide(Vec<(i128, u64)>),
}

#[derive(Debug)]
struct Store {
    entries: Entries,
    /// `entries[..sorted]` are the smallest entries, in order.
    sorted: usize,
}

/// The candidate leaves of a search, sorted lazily (see the module docs). Safe to share
/// between workers.
#[derive(Debug)]
pub struct Candidates {
    store: RwLock<Store>,
    len: usize,
}

/// Make `v[start..end]` the next smallest entries of `v[start..]`, in order.
fn extend_sorted<T: Ord + Send>(v: &mut [T], start: usize, end: usize) {
    use rayon::slice::ParallelSliceMut;
    let rest = &mut v[start..];
    if end - start < rest.len() {
        rest.select_nth_unstable(end - start);
    }
    rest[..end - start].par_sort_unstable();
}

impl Candidates {
    /// A collector; entries are packed when every bound lies in `0..=max_bound` and every
    /// rank below `leaves`, and both fit their bit fields.
    pub fn collector(max_bound: i128, leaves: u64) -> Collector {
        Collector {
            pack: (0..1i128 << (64 - RANK_BITS)).contains(&max_bound)
                && leaves <= 1u64 << RANK_BITS,
            ..Collector::default()
        }
    }

    /// All collected entries (collectors must come from [`Candidates::collector`] with the
    /// same arguments).
    pub fn new(parts: Vec<Collector>) -> Candidates {
        let len = parts.iter().map(Collector::len).sum();
        let pack = parts.iter().all(|p| p.wide.is_empty());
        let entries = if pack {
            let mut v = Vec::with_capacity(len);
            for p in parts {
                v.extend(p.packed);
            }
            Entries::Packed(v)
        } else {
            let mut v = Vec::with_capacity(len);
            for p in parts {
                v.extend(p.wide);
                v.extend(
                    p.packed
                        .into_iter()
                        .map(|e| (i128::from(e >> RANK_BITS), e & ((1 << RANK_BITS) - 1))),
                );
            }
            Entries::Wide(v)
        };
        Candidates {
            store: RwLock::new(Store { entries, sorted: 0 }),
            len,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `idx`-th smallest `(bound, rank)`, or `None` past the end.
    pub fn get(&self, idx: usize) -> Option<(i128, u64)> {
        if idx >= self.len {
            return None;
        }
        {
            let s = self.store.read().expect("candidates");
            if idx < s.sorted {
                return Some(s.at(idx));
            }
        }
        let mut s = self.store.write().expect("candidates");
        while s.sorted <= idx {
            let start = s.sorted;
            // Chunks: 1/16 of all entries at least (usually enough), then doubling.
            let chunk = start.max(FIRST_CHUNK).max(self.len / 16);
            let end = (start + chunk).min(self.len);
            match &mut s.entries {
                Entries::Packed(v) => extend_sorted(v, start, end),
                Entries::Wide(v) => extend_sorted(v, start, end),
            }
            s.sorted = end;
        }
        Some(s.at(idx))
    }
}

impl Store {
    fn at(&self, idx: usize) -> (i128, u64) {
        match &self.entries {
            Entries::Packed(v) => (
                i128::from(v[idx] >> RANK_BITS),
                v[idx] & ((1 << RANK_BITS) - 1),
            ),
            Entries::Wide(v) => v[idx],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(max_bound: i128, n: usize) {
        let mut rng = crate::rng::Rng::new(n as u64);
        let mut all = Vec::new();
        let mut parts = Vec::new();
        for _ in 0..3 {
            let mut c = Candidates::collector(max_bound, 1 << 30);
            for _ in 0..n / 3 {
                let b = rng.below(max_bound as u64 + 1) as i128;
                let r = rng.below(1 << 30);
                c.push(b, r);
                all.push((b, r));
            }
            parts.push(c);
        }
        all.sort_unstable();
        let cands = Candidates::new(parts);
        assert_eq!(cands.len(), all.len());
        for (i, e) in all.iter().enumerate() {
            assert_eq!(cands.get(i), Some(*e));
        }
        assert_eq!(cands.get(all.len()), None);
    }

    #[test]
    fn hands_out_entries_in_order_packed_and_wide() {
        check(1000, 300_000);
        check(1 << 40, 3000);
    }
}
