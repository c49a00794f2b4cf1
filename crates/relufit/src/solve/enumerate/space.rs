//! The search space of the enumeration: `k`-subsets of "items" (an item is a dichotomy, for
//! ReLU together with an output sign), ranked in lexicographic order so that a shard
//! `i/N` is the fixed set of leaves whose rank is `i mod N`.
//!
//! Why subsets suffice (symmetry between neurons, Arora et al.'s multisets made smaller):
//! the neurons of a network are interchangeable, so unordered tuples suffice; for ReLU the
//! zero parameter `(w, b) = 0` satisfies the closed constraints of every pattern, so a tuple
//! with a repeated item (whose two neurons add up to one neuron of the same pattern, the
//! constraints being a cone) or with an empty pattern is dominated by a tuple of distinct
//! non-empty items. For threshold networks a repeated pattern is one neuron with the summed
//! output weight, and the empty pattern contributes nothing.

/// `C(n, r)` in `u128`, saturating at `u128::MAX`.
pub(crate) fn binomial(n: u128, r: u128) -> u128 {
    if r > n {
        return 0;
    }
    // The small cases the pair search asks for most, without divisions.
    match r {
        0 => return 1,
        1 => return n,
        2 => return n.checked_mul(n - 1).map_or(u128::MAX, |v| v >> 1),
        _ => {}
    }
    let r = r.min(n - r);
    let mut acc: u128 = 1;
    for i in 0..r {
        // acc * (n - i) / (i + 1) stays integral at every step.
        match acc.checked_mul(n - i) {
            Some(v) => acc = v / (i + 1),
            None => return u128::MAX,
        }
    }
    acc
}

/// Number of `k`-subsets of `m` items (the leaves), or `None` if it exceeds `u64`.
pub(crate) fn leaf_count(m: usize, k: usize) -> Option<u64> {
    u64::try_from(binomial(m as u128, k as u128))
        .ok()
        .filter(|&c| c != u64::MAX)
}

/// The `k`-subset of `0..m` with lexicographic rank `rank`.
///
/// Position by position: the subsets whose next element lies in `c0..c` number
/// `C(m - c0, r + 1) - C(m - c, r + 1)` (`r` elements still to come; hockey-stick identity),
/// so the element is found by binary search in `O(log m)` binomials.
pub(crate) fn unrank(m: usize, k: usize, mut rank: u64) -> Vec<usize> {
    let mut out = Vec::with_capacity(k);
    let mut c0 = 0usize;
    for p in 0..k {
        let r = (k - 1 - p) as u128;
        let total = binomial((m - c0) as u128, r + 1);
        // Largest c in c0..m with total - C(m - c, r + 1) <= rank.
        let (mut lo, mut hi) = (c0, m - 1);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if total - binomial((m - mid) as u128, r + 1) <= rank as u128 {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        rank -= (total - binomial((m - lo) as u128, r + 1)) as u64;
        out.push(lo);
        c0 = lo + 1;
    }
    out
}

/// Rank of the first leaf whose smallest item is `first` (the leaves starting with `first`
/// have consecutive ranks).
pub(crate) fn first_rank(m: usize, k: usize, first: usize) -> u64 {
    (0..first)
        .map(|c| binomial((m - 1 - c) as u128, (k - 1) as u128) as u64)
        .sum()
}

/// Visit every `k`-subset of `0..m` whose smallest element is `first`, in lexicographic
/// order, with its rank. `f` receives the subset and returns whether to go on (`false` ends
/// the walk at once, and `for_each_with_first` returns `false`); `prefix_ok` is asked for
/// every proper prefix and may return `false` to skip the subtree below it.
pub(crate) fn for_each_with_first(
    m: usize,
    k: usize,
    first: usize,
    prefix_ok: &mut impl FnMut(&[usize]) -> bool,
    f: &mut impl FnMut(&[usize], u64) -> bool,
) -> bool {
    let mut chosen = vec![first];
    let base = first_rank(m, k, first);
    walk(m, k, &mut chosen, base, prefix_ok, f)
}

fn walk(
    m: usize,
    k: usize,
    chosen: &mut Vec<usize>,
    base: u64,
    prefix_ok: &mut impl FnMut(&[usize]) -> bool,
    f: &mut impl FnMut(&[usize], u64) -> bool,
) -> bool {
    if chosen.len() == k {
        return f(chosen, base);
    }
    let p = chosen.len();
    let start = chosen[p - 1] + 1;
    let mut rank = base;
    for c in start..m {
        let below = binomial((m - 1 - c) as u128, (k - 1 - p) as u128) as u64;
        if below == 0 {
            break;
        }
        chosen.push(c);
        let go_on =
            !(chosen.len() == k || prefix_ok(chosen)) || walk(m, k, chosen, rank, prefix_ok, f);
        chosen.pop();
        if !go_on {
            return false;
        }
        rank += below;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomials() {
        let rows: [(u128, u128, u128); 7] = [
            (5, 0, 1),
            (7, 1, 7),
            (50, 2, 1225),
            (1, 2, 0),
            (10, 3, 120),
            (2, 2, 1),
            (40, 4, 91390),
        ];
        for (n, r, c) in rows {
            assert_eq!(binomial(n, r), c, "C({n}, {r})");
        }
        assert_eq!(binomial(u128::MAX, 2), u128::MAX);
    }

    #[test]
    fn ranks_are_lexicographic_and_unrank_inverts() {
        for (m, k) in [
            (5, 1),
            (5, 2),
            (6, 3),
            (4, 4),
            (12, 2),
            (9, 3),
            (7, 7),
            (1, 1),
        ] {
            let mut all = Vec::new();
            for first in 0..m {
                assert!(for_each_with_first(
                    m,
                    k,
                    first,
                    &mut |_| true,
                    &mut |s, r| {
                        all.push((r, s.to_vec()));
                        true
                    }
                ));
            }
            assert_eq!(all.len() as u64, leaf_count(m, k).unwrap());
            for (i, (r, s)) in all.iter().enumerate() {
                assert_eq!(*r, i as u64);
                assert_eq!(&unrank(m, k, *r), s);
            }
            assert!(all.windows(2).all(|w| w[0].1 < w[1].1));
        }
    }
}
