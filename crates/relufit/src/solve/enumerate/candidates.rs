//! The leaves that survive the bit-set bound, handed out in increasing `(bound, rank)` order,
//! in memory bounded by a fixed number of entries.
//!
//! The order is a total order (ranks are distinct), so the surviving leaves split into
//! *windows* of consecutive keys: a pass over the leaf space (the `pass` module) collects the
//! keys `> lower` into per-thread [`Collector`]s of at most `cap` entries each. When a
//! collector overflows it keeps its smallest half and from then on refuses every key above
//! the largest key kept (`upper`), so at the end of the pass every collector holds exactly
//! its keys in `(lower, upper]`. [`Candidates::new`] merges them, cut at the smallest
//! `upper` of any collector: all keys of the window `(lower, upper]`, none missing. The next
//! window starts at `upper`. When everything fits (the usual case) there is one window and
//! one pass, as without a bound on memory. A collector never allocates more than `cap + 1`
//! entries, and the merged window at most the sum of the collectors: a window of `w` keys
//! needs at most `2 w` entries of memory while it is merged, `w` afterwards.
//!
//! Within a window the search consumes entries in order and stops as soon as a bound reaches
//! the incumbent, which usually happens after a small fraction of them. So they are not
//! sorted up front: each request beyond the sorted prefix selects the next chunk of smallest
//! entries (`select_nth_unstable`, linear) and sorts only that chunk (the first chunk is a
//! sixteenth of all entries, then the size doubles). When bounds and ranks are small enough
//! an entry is packed into one `u64` (`bound << RANK_BITS | rank`), which orders exactly like
//! the pair.

use std::sync::RwLock;

/// Bits of the rank in a packed entry.
const RANK_BITS: u32 = 40;

/// Entries sorted per request at least (the first chunk).
const FIRST_CHUNK: usize = 1 << 16;

/// A leaf's key: its bit-set bound and its rank.
pub(crate) type Key = (i128, u64);

/// Bytes of one entry, packed or not.
pub(crate) fn entry_bytes(packed: bool) -> u64 {
    if packed {
        8
    } else {
        std::mem::size_of::<(i128, u64)>() as u64
    }
}

fn pack(key: Key) -> u64 {
    (key.0 as u64) << RANK_BITS | key.1
}

fn unpack(e: u64) -> Key {
    (i128::from(e >> RANK_BITS), e & ((1 << RANK_BITS) - 1))
}

/// Whether keys with bounds in `0..=max_bound` and ranks below `leaves` can be packed.
pub(crate) fn packable(max_bound: i128, leaves: u64) -> bool {
    (0..1i128 << (64 - RANK_BITS)).contains(&max_bound) && leaves <= 1u64 << RANK_BITS
}

/// Per-thread collection of the keys of one window during a pass.
#[derive(Debug)]
pub(crate) struct Collector {
    packed: Vec<u64>,
    wide: Vec<Key>,
    pack: bool,
    cap: usize,
    /// Keys `<= lower` belong to earlier windows.
    lower: Option<Key>,
    lower_packed: Option<u64>,
    /// Keys `> upper` are refused (set when the collector overflowed).
    upper: Option<Key>,
    upper_packed: u64,
}

impl Collector {
    /// A collector of the keys `> lower` (all keys when `None`), keeping at most `cap` of
    /// them; `pack` from [`packable`].
    pub(crate) fn new(pack: bool, lower: Option<Key>, cap: usize) -> Collector {
        Collector {
            packed: Vec::new(),
            wide: Vec::new(),
            pack,
            cap: cap.max(2),
            lower,
            lower_packed: lower.map(pack_lower),
            upper: None,
            upper_packed: u64::MAX,
        }
    }

    /// Record a leaf (ignored when outside the window).
    #[inline]
    pub(crate) fn push(&mut self, bound: i128, rank: u64) {
        if self.pack {
            let e = pack((bound, rank));
            if self.lower_packed.is_some_and(|l| e <= l) || e > self.upper_packed {
                return;
            }
            push_capped(&mut self.packed, e, self.cap);
            if self.packed.len() > self.cap {
                let keep = self.cap / 2;
                self.packed.select_nth_unstable(keep - 1);
                self.packed.truncate(keep);
                let top = self.packed.iter().copied().max().unwrap_or(0);
                self.upper_packed = top;
                self.upper = Some(unpack(top));
            }
        } else {
            let key = (bound, rank);
            if self.lower.is_some_and(|l| key <= l) || self.upper.is_some_and(|u| key > u) {
                return;
            }
            push_capped(&mut self.wide, key, self.cap);
            if self.wide.len() > self.cap {
                let keep = self.cap / 2;
                self.wide.select_nth_unstable(keep - 1);
                self.wide.truncate(keep);
                self.upper = self.wide.iter().copied().max();
            }
        }
    }

    /// Number of keys held.
    pub(crate) fn len(&self) -> usize {
        self.packed.len() + self.wide.len()
    }
}

/// Push onto `v`, which never holds more than `cap + 1` entries: it grows by doubling up
/// to that capacity and no further, so a collector's memory is its capacity, not twice it.
#[inline]
fn push_capped<T>(v: &mut Vec<T>, x: T, cap: usize) {
    if v.len() == v.capacity() {
        let more = v.capacity().max(1024).min(cap + 1 - v.len());
        v.reserve_exact(more.max(1));
    }
    v.push(x);
}

/// The packed form of a lower end (a key that may not itself be packable: then every
/// packable key compares as it would with the pair).
fn pack_lower(key: Key) -> u64 {
    if key.0 < 0 {
        // Below every packed key; never happens (bounds are non-negative), kept exact.
        return 0;
    }
    if key.0 >= 1i128 << (64 - RANK_BITS) {
        return u64::MAX;
    }
    pack(key)
}

#[derive(Debug)]
enum Entries {
    Packed(Vec<u64>),
    Wide(Vec<Key>),
}

#[derive(Debug)]
struct Store {
    entries: Entries,
    /// `entries[..sorted]` are the smallest entries, in order.
    sorted: usize,
}

/// The candidate leaves of one window, sorted lazily (see the module docs). Safe to share
/// between workers.
#[derive(Debug)]
pub(crate) struct Candidates {
    store: RwLock<Store>,
    len: usize,
    /// The window's upper end: `None` when it reaches the end of the keys.
    upper: Option<Key>,
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
    /// The window collected by `parts` (from one pass, with the same `lower`): every key
    /// up to the smallest `upper` of the parts.
    pub(crate) fn new(parts: Vec<Collector>) -> Candidates {
        let upper = parts.iter().filter_map(|p| p.upper).min();
        let keep = |k: &Key| upper.is_none_or(|u| *k <= u);
        let pack = parts.iter().all(|p| p.wide.is_empty());
        let entries = if pack {
            let up = upper.map_or(u64::MAX, pack_lower);
            let len = parts.iter().map(|p| p.packed.len()).sum();
            let mut v = Vec::with_capacity(len);
            for p in parts {
                v.extend(p.packed.into_iter().filter(|&e| e <= up));
            }
            Entries::Packed(v)
        } else {
            let len = parts.iter().map(Collector::len).sum();
            let mut v = Vec::with_capacity(len);
            for p in parts {
                v.extend(p.wide.into_iter().filter(keep));
                v.extend(p.packed.into_iter().map(unpack).filter(keep));
            }
            Entries::Wide(v)
        };
        let len = match &entries {
            Entries::Packed(v) => v.len(),
            Entries::Wide(v) => v.len(),
        };
        Candidates {
            store: RwLock::new(Store { entries, sorted: 0 }),
            len,
            upper,
        }
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The window's upper end (the next window's lower end); `None` for the last window.
    pub(crate) fn upper(&self) -> Option<Key> {
        self.upper
    }

    /// The `idx`-th smallest `(bound, rank)`, or `None` past the end.
    pub(crate) fn get(&self, idx: usize) -> Option<Key> {
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
    fn at(&self, idx: usize) -> Key {
        match &self.entries {
            Entries::Packed(v) => unpack(v[idx]),
            Entries::Wide(v) => v[idx],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collect `all` in windows of parts with capacity `cap` (three collectors, keys dealt
    /// round robin) and check that the windows hand out every key once, in order.
    fn check(max_bound: i128, n: usize, cap: usize) -> usize {
        let mut rng = crate::rng::Rng::new(n as u64);
        let mut all = Vec::new();
        for i in 0..n {
            let b = rng.below(max_bound as u64 + 1) as i128;
            all.push((b, (i as u64 * 7919) % (1 << 30)));
        }
        let pack = packable(max_bound, 1 << 30);
        let mut lower = None;
        let mut out = Vec::new();
        let mut windows = 0;
        loop {
            let mut parts: Vec<Collector> =
                (0..3).map(|_| Collector::new(pack, lower, cap)).collect();
            for (i, &(b, r)) in all.iter().rev().enumerate() {
                parts[i % 3].push(b, r);
            }
            assert!(parts.iter().all(|p| p.len() <= cap));
            let cands = Candidates::new(parts);
            windows += 1;
            for i in 0..cands.len() {
                out.push(cands.get(i).unwrap());
            }
            assert_eq!(cands.get(cands.len()), None);
            match cands.upper() {
                Some(u) => lower = Some(u),
                None => break,
            }
        }
        all.sort_unstable();
        assert_eq!(out, all);
        windows
    }

    #[test]
    fn hands_out_entries_in_order_packed_and_wide() {
        assert_eq!(check(1000, 300_000, usize::MAX / 4), 1);
        assert_eq!(check(1 << 40, 3000, usize::MAX / 4), 1);
    }

    #[test]
    fn bounded_windows_hand_out_every_entry_once_in_order() {
        assert!(check(1000, 100_000, 5_000) > 5);
        assert!(check(5, 20_000, 1_000) > 10);
        assert!(check(1 << 40, 3000, 64) > 10);
    }
}
