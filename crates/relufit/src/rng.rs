//! A small deterministic pseudo-random number generator for the instance generators.
//!
//! Generated formulas and data sets must be reproducible from a seed on every platform and
//! across versions of this crate, so the generator is fixed here rather than borrowed from a
//! crate whose streams may change: xoshiro256** (Blackman and Vigna), with its 256-bit state
//! expanded from a `u64` seed by SplitMix64, as its authors recommend. It is not
//! cryptographic. All derived operations ([`Rng::below`], [`Rng::shuffle`],
//! [`Rng::sample_distinct`]) are exact and unbiased; none uses floating point.

/// SplitMix64: a one-word generator, used to expand a seed into xoshiro state.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// xoshiro256**: the generator every seeded construction in this crate draws from.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded with `seed` (state expanded by [`SplitMix64`]). Equal seeds give
    /// equal streams.
    pub fn new(seed: u64) -> Self {
        let mut sm = SplitMix64::new(seed);
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        Rng { s }
    }

    /// A generator with the raw xoshiro state `s` (for reference tests). The all-zero state
    /// is a fixed point of xoshiro, so it is replaced by the state of [`Rng::new`]`(0)`.
    pub fn from_state(s: [u64; 4]) -> Self {
        if s == [0; 4] {
            Rng::new(0)
        } else {
            Rng { s }
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform integer in `0..n` (Lemire's multiply-and-reject method, unbiased).
    ///
    /// # Panics
    /// If `n == 0` (the range is empty).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below: empty range 0..0");
        let threshold = n.wrapping_neg() % n; // 2^64 mod n
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform index in `0..n`, see [`Rng::below`].
    ///
    /// # Panics
    /// If `n == 0`.
    pub fn below_usize(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// A uniform integer in `lo..=hi`.
    ///
    /// # Panics
    /// If `lo > hi`.
    pub fn range_inclusive(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "Rng::range_inclusive: empty range {lo}..={hi}");
        let span = hi.wrapping_sub(lo) as u64;
        let offset = if span == u64::MAX {
            self.next_u64()
        } else {
            self.below(span + 1)
        };
        lo.wrapping_add(offset as i64)
    }

    /// A fair coin.
    pub fn next_bool(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }

    /// Shuffle `items` uniformly in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below_usize(i + 1);
            items.swap(i, j);
        }
    }

    /// `k` distinct indices drawn uniformly from `0..n`, in the order drawn (a uniformly
    /// random `k`-permutation). Uses `O(k)` memory when `k` is small compared to `n`.
    ///
    /// # Panics
    /// If `k > n`.
    pub fn sample_distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        assert!(
            k <= n,
            "Rng::sample_distinct: {k} distinct values from 0..{n}"
        );
        if k <= 8 {
            // Rejection: cheap for the tiny samples the generators need.
            let mut out: Vec<usize> = Vec::with_capacity(k);
            while out.len() < k {
                let x = self.below_usize(n);
                if !out.contains(&x) {
                    out.push(x);
                }
            }
            out
        } else {
            // Partial Fisher-Yates over a virtual identity array.
            let mut swapped = std::collections::HashMap::new();
            let mut out = Vec::with_capacity(k);
            for i in 0..k {
                let j = i + self.below_usize(n - i);
                let vj = *swapped.get(&j).unwrap_or(&j);
                let vi = *swapped.get(&i).unwrap_or(&i);
                swapped.insert(j, vi);
                out.push(vj);
            }
            out
        }
    }

    /// A uniformly chosen element of `items`, or `None` if it is empty.
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below_usize(items.len())])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference() {
        // First output of SplitMix64 from seed 0 (reference implementation).
        assert_eq!(SplitMix64::new(0).next_u64(), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn xoshiro_reference() {
        // Reference vector of xoshiro256** from state (1, 2, 3, 4).
        let mut r = Rng::from_state([1, 2, 3, 4]);
        let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(got, vec![11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn deterministic_and_seed_sensitive() {
        let a: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::new(43);
            (0..8).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_in_range_and_roughly_uniform() {
        let mut r = Rng::new(7);
        let mut hist = [0usize; 6];
        for _ in 0..60_000 {
            let x = r.below(6);
            hist[x as usize] += 1;
        }
        for h in hist {
            assert!((9_000..11_000).contains(&h), "{hist:?}");
        }
        assert_eq!(r.below(1), 0);
        for _ in 0..1000 {
            let x = r.range_inclusive(-3, 2);
            assert!((-3..=2).contains(&x));
        }
        let _ = r.range_inclusive(i64::MIN, i64::MAX);
    }

    #[test]
    fn shuffle_is_permutation() {
        let mut r = Rng::new(1);
        let mut v: Vec<usize> = (0..100).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn sample_distinct_distinct() {
        let mut r = Rng::new(3);
        for &(n, k) in &[(3, 3), (10, 2), (1000, 50), (20, 20)] {
            let mut s = r.sample_distinct(n, k);
            assert_eq!(s.len(), k);
            assert!(s.iter().all(|&x| x < n));
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), k);
        }
    }
}
