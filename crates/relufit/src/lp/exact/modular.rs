//! The kernel's solve for systems whose minors outgrow 64 bits: Cramer's rule computed
//! modulo word-sized primes and put together by the Chinese remainder theorem.
//!
//! For `m x = rhs` with `m` nonsingular, `x_i = det(m_i) / det(m)` where `m_i` is `m` with
//! column `i` replaced by `rhs` (Cramer). Every one of these `n + 1` determinants is bounded by
//! Hadamard's inequality, `|det| <= H = prod_r ||(m_r, rhs_r)||_2` (row norms of the augmented
//! matrix bound the rows of every `m_i`). Modulo a prime `p` one Gaussian elimination gives
//! `det(m) mod p` and `x mod p`, hence `det(m_i) = x_i det(m) mod p`. Once the product of the
//! primes exceeds `2 H`, the symmetric residues *are* the integers: no guess, no rational
//! reconstruction, and nothing to re-check (the callers check the certificates anyway).
//!
//! A shortcut comes first: determinants are usually far larger than the reduced solution
//! (the bases of the searches: 100-140 bits against 20-30), so after the first prime the
//! small fractions the residues stand for are reconstructed (Wang's rational reconstruction)
//! and accepted only if they solve the system exactly, checked in `i128`; a solution of a
//! nonsingular system is the solution. Otherwise the primes continue up to the bound.
//!
//! A prime that divides `det(m)` shows the matrix singular modulo `p` and is skipped; when the
//! primes that did so multiply to more than `H`, `det(m)` is divisible by a number larger than
//! its own bound, so it is `0` and the matrix is singular (proven, not guessed).
//!
//! This replaces big-integer Bareiss elimination (one big multiplication and one big division
//! per entry per pivot) by word arithmetic: for the `16 x 16` bases of a `d = 3, k = 4` search
//! three primes of 61 bits suffice, each an elimination in Montgomery form.

use super::solve::{IntVector, Overflow};
use crate::num::Int;
use std::sync::OnceLock;

/// How many primes the table holds: enough for determinants of about 7,800 bits; larger
/// systems fall back to big-integer elimination.
const PRIMES: usize = 128;

/// The primes used, all in `(2^61, 2^62)`, found once by a deterministic Miller-Rabin test.
fn primes() -> &'static [u64] {
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::with_capacity(PRIMES);
        let mut c = (1u64 << 62) - 1;
        while out.len() < PRIMES {
            if is_prime(c) {
                out.push(c);
            }
            c -= 2;
        }
        out
    })
}

fn mul_mod(a: u64, b: u64, p: u64) -> u64 {
    ((a as u128 * b as u128) % p as u128) as u64
}

fn pow_mod(mut a: u64, mut e: u64, p: u64) -> u64 {
    let mut r = 1u64;
    a %= p;
    while e > 0 {
        if e & 1 == 1 {
            r = mul_mod(r, a, p);
        }
        a = mul_mod(a, a, p);
        e >>= 1;
    }
    r
}

/// Deterministic Miller-Rabin for `u64` (these twelve bases are exact below `3.3 * 10^24`).
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    for &b in &BASES {
        if n % b == 0 {
            return n == b;
        }
    }
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    'bases: for &b in &BASES {
        let mut x = pow_mod(b, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

/// Arithmetic modulo an odd prime `p < 2^62` in Montgomery form (`a` stored as `a 2^64 mod p`),
/// so that a product costs two word multiplications and no division.
#[derive(Clone, Copy)]
struct Montgomery {
    p: u64,
    /// `-p^{-1} mod 2^64`.
    neg_inv: u64,
    /// `2^128 mod p`, to enter the form.
    r2: u64,
    /// `2^192 mod p`, to enter a value of up to 126 bits by one reduction.
    r3: u64,
}

impl Montgomery {
    fn new(p: u64) -> Self {
        debug_assert!(p % 2 == 1 && p < 1 << 62);
        // Newton's iteration for p^{-1} mod 2^64: 5 -> 10 -> ... -> 80 >= 64 correct bits.
        let mut inv = p;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p.wrapping_mul(inv)));
        }
        let r1 = ((1u128 << 64) % p as u128) as u64;
        let r2 = mul_mod(r1, r1, p);
        Montgomery {
            p,
            neg_inv: inv.wrapping_neg(),
            r2,
            r3: mul_mod(r2, r1, p),
        }
    }

    #[inline]
    fn reduce(self, t: u128) -> u64 {
        let m = (t as u64).wrapping_mul(self.neg_inv);
        let u = ((t + m as u128 * self.p as u128) >> 64) as u64;
        if u >= self.p {
            u - self.p
        } else {
            u
        }
    }

    #[inline]
    fn mul(self, a: u64, b: u64) -> u64 {
        self.reduce(a as u128 * b as u128)
    }

    /// `a b - c d` with one reduction instead of two: `a b + (p^2 - c d) < 2 p^2 < p 2^64`
    /// (as `p < 2^62`), within what [`Self::reduce`] takes.
    #[inline]
    fn mul_sub(self, a: u64, b: u64, c: u64, d: u64) -> u64 {
        let p2 = self.p as u128 * self.p as u128;
        self.reduce(a as u128 * b as u128 + (p2 - c as u128 * d as u128))
    }

    #[inline]
    fn sub(self, a: u64, b: u64) -> u64 {
        if a >= b {
            a - b
        } else {
            a + self.p - b
        }
    }

    /// `v mod p` in Montgomery form, without a division: values in `(-p, p)` (most entries
    /// of the bases) by one product with `2^128`; larger ones (the bases of `d = 4`
    /// searches hold entries beyond `2^63`) by a Montgomery reduction of `|v|` (which
    /// divides by `2^64`) and a product with `2^192`; beyond `p 2^64` by a division.
    #[inline]
    fn enter(self, v: i128) -> u64 {
        let p = self.p as i128;
        if (0..p).contains(&v) {
            return self.mul(v as u64, self.r2);
        }
        if (-p..0).contains(&v) {
            return self.mul((v + p) as u64, self.r2);
        }
        let u = v.unsigned_abs();
        let r = if u < (self.p as u128) << 64 {
            // reduce(u) = u 2^-64, times 2^192 and reduced again: u 2^64 mod p.
            self.mul(self.reduce(u), self.r3)
        } else {
            self.mul((u % self.p as u128) as u64, self.r2)
        };
        if v < 0 {
            self.sub(0, r)
        } else {
            r
        }
    }

    /// Back to the plain residue.
    fn leave(self, a: u64) -> u64 {
        self.reduce(a as u128)
    }

    /// The inverse of a nonzero element, `a^(p-2)` (Fermat): about ninety products and no
    /// division, cheaper than extended Euclid's sixty-odd 64-bit divisions.
    fn inverse(self, a: u64) -> u64 {
        let mut e = self.p - 2;
        let mut base = a;
        let mut r = self.enter(1);
        while e > 0 {
            if e & 1 == 1 {
                r = self.mul(r, base);
            }
            base = self.mul(base, base);
            e >>= 1;
        }
        r
    }
}

/// What one prime says about `m x = rhs`: `det(m) mod p`, the Cramer numerators
/// `det(m_i) mod p` and the solution `x_i mod p` (all plain residues).
struct Residues {
    det: u64,
    num: Vec<u64>,
    x: Vec<u64>,
}

/// [`Residues`] modulo `p`, or `None` when `p` divides `det(m)`. `t` is scratch for the
/// `n x (n + 1)` augmented matrix.
fn residues(n: usize, m: &[i128], rhs: &[i128], p: u64, t: &mut Vec<u64>) -> Option<Residues> {
    let mg = Montgomery::new(p);
    let w = n + 1;
    t.clear();
    for i in 0..n {
        t.extend(m[i * n..(i + 1) * n].iter().map(|&v| mg.enter(v)));
        t.push(mg.enter(rhs[i]));
    }
    // Division-free forward elimination: row_i <- p row_i - f row_col scales row i by the
    // pivot p, so det(U) = +-det(m) * scale. One inversion per prime (of all pivots and the
    // scale at once, Montgomery's batch trick) instead of one per pivot.
    let mut negate = false;
    let mut scale = mg.enter(1);
    for col in 0..n {
        let r = (col..n).find(|&r| t[r * w + col] != 0)?;
        if r != col {
            for j in col..w {
                t.swap(r * w + j, col * w + j);
            }
            negate = !negate;
        }
        let pivot = t[col * w + col];
        for i in col + 1..n {
            let f = t[i * w + col];
            if f == 0 {
                continue;
            }
            for j in col + 1..w {
                let (x, pj) = (t[i * w + j], t[col * w + j]);
                t[i * w + j] = match (x == 0, pj == 0) {
                    (true, true) => 0,
                    (false, true) => mg.mul(pivot, x),
                    _ => mg.mul_sub(pivot, x, f, pj),
                };
            }
            t[i * w + col] = 0;
            scale = mg.mul(scale, pivot);
        }
    }
    // prefix[i] = d_0 ... d_i over the diagonal.
    let mut prefix = Vec::with_capacity(n);
    let mut acc = mg.enter(1);
    for i in 0..n {
        acc = mg.mul(acc, t[i * w + i]);
        prefix.push(acc);
    }
    let inv_all = mg.inverse(mg.mul(acc, scale));
    // 1 / (d_0 ... d_{n-1}) and 1 / scale from the one inverse.
    let mut running = mg.mul(inv_all, scale);
    let inv_scale = mg.mul(inv_all, acc);
    let mut inv_diag = vec![0u64; n];
    for i in (0..n).rev() {
        inv_diag[i] = if i > 0 {
            mg.mul(running, prefix[i - 1])
        } else {
            running
        };
        running = mg.mul(running, t[i * w + i]);
    }
    let mut det = mg.mul(acc, inv_scale);
    if negate {
        det = mg.sub(0, det);
    }
    // Back substitution: x_i = (b_i - sum_{j > i} u_ij x_j) / u_ii.
    let mut x = vec![0u64; n];
    for i in (0..n).rev() {
        let mut v = t[i * w + n];
        for j in i + 1..n {
            if t[i * w + j] != 0 && x[j] != 0 {
                v = mg.sub(v, mg.mul(t[i * w + j], x[j]));
            }
        }
        x[i] = mg.mul(v, inv_diag[i]);
    }
    Some(Residues {
        det: mg.leave(det),
        num: x.iter().map(|&xi| mg.leave(mg.mul(xi, det))).collect(),
        x: x.iter().map(|&xi| mg.leave(xi)).collect(),
    })
}

/// An upper bound on `log2 H`, Hadamard's bound for every determinant Cramer's rule needs
/// (`None` if a row is zero: then `m` is singular).
pub(crate) fn hadamard_bits(n: usize, m: &[i128], rhs: &[i128]) -> Option<f64> {
    let mut bits = 0.0f64;
    for i in 0..n {
        let s: f64 = m[i * n..(i + 1) * n]
            .iter()
            .chain(std::iter::once(&rhs[i]))
            .map(|&v| {
                let f = approx_abs_f64(v);
                f * f
            })
            .sum();
        if s == 0.0 {
            return None;
        }
        bits += 0.5 * s.log2();
    }
    // Float rounding: each conversion is within a relative 2^-51, each sum of n squares and
    // the log2 within about (n + 5) 2^-53; one bit (a factor 2) absorbs that with room for
    // any n the kernel sees.
    Some(bits + 1.0)
}

/// `|v|` as an `f64` within a relative `2^-51` (`i128 -> f64` is a slow library call; this
/// is native conversions: of `v` itself when it fits `i64`, else of the high and the low 64
/// bits of `|v|`, both non-negative, so nothing cancels).
#[inline]
fn approx_abs_f64(v: i128) -> f64 {
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    match i64::try_from(v) {
        Ok(s) => (s as f64).abs(),
        Err(_) => {
            let u = v.unsigned_abs();
            ((u >> 64) as u64 as f64) * TWO_64 + (u as u64) as f64
        }
    }
}

/// Garner's mixed-radix reconstruction of one value from its residues, as the symmetric
/// residue modulo the product of the primes.
fn reconstruct(res: &[u64], primes: &[u64], inv: &[Vec<u64>], modulus: &Int, half: &Int) -> Int {
    let k = res.len();
    let mut digits = Vec::with_capacity(k);
    for j in 0..k {
        let p = primes[j];
        let mut t = res[j];
        for (i, &d) in digits.iter().enumerate() {
            let d: u64 = d;
            let diff = (t as u128 + p as u128 - (d % p) as u128) % p as u128;
            t = mul_mod(diff as u64, inv[i][j], p);
        }
        digits.push(t);
    }
    let mut acc = Int::ZERO;
    for j in (0..k).rev() {
        acc = acc * Int::from(primes[j]) + Int::from(digits[j]);
    }
    if &acc > half {
        acc - modulus
    } else {
        acc
    }
}

/// Solve `m x = rhs` (`m` row-major `n x n`, entries `i128`) exactly with multi-modular
/// arithmetic. `Ok(Some(x))` reduced, `Ok(None)` if `m` is (provably) singular, `Err` if the
/// determinants exceed what the prime table can represent (the caller eliminates with big
/// integers instead).
#[cfg(test)]
pub(crate) fn solve_square_modular(
    n: usize,
    m: &[i128],
    rhs: &[i128],
) -> Result<Option<IntVector<Int>>, Overflow> {
    solve_within_bound(n, m, rhs, hadamard_bits(n, m, rhs))
}

/// [`solve_square_modular`] given `bound = hadamard_bits(n, m, rhs)`.
pub(crate) fn solve_within_bound(
    n: usize,
    m: &[i128],
    rhs: &[i128],
    bound: Option<f64>,
) -> Result<Option<IntVector<Int>>, Overflow> {
    if n == 0 {
        return Ok(Some(IntVector {
            num: Vec::new(),
            den: Int::ONE,
        }));
    }
    match bound {
        Some(bound) => solve_with_primes(n, m, rhs, bound, primes()),
        // A zero row.
        None => Ok(None),
    }
}

fn solve_with_primes(
    n: usize,
    m: &[i128],
    rhs: &[i128],
    bound: f64,
    table: &[u64],
) -> Result<Option<IntVector<Int>>, Overflow> {
    let mut scratch = Vec::with_capacity(n * (n + 1));
    let mut used: Vec<u64> = Vec::new();
    let mut dets: Vec<u64> = Vec::new();
    let mut nums: Vec<Vec<u64>> = Vec::new();
    let mut first_x: Vec<u64> = Vec::new();
    let (mut good_bits, mut singular_bits) = (0.0f64, 0.0f64);
    for &p in table {
        // Each prime counts for the bits below it, never more.
        let p_bits = (63 - p.leading_zeros()) as f64;
        match residues(n, m, rhs, p, &mut scratch) {
            Some(r) => {
                used.push(p);
                dets.push(r.det);
                nums.push(r.num);
                good_bits += p_bits;
                // The product exceeds 2 H: the symmetric residues are the integers.
                if good_bits > bound + 1.0 {
                    return Ok(Some(combine(n, &used, &dets, &nums)?));
                }
                // Below the bound: after the first prime, try the small fraction the residues
                // point to. One that solves the system exactly is the solution (`m` is
                // nonsingular: its determinant is non-zero modulo `p`). The bases of the
                // searches have determinants of 100 bits and more but solutions with
                // numerators and denominators of 20-30 bits, so one prime usually does.
                // After the second prime, fractions of up to 60 bits (about half the
                // `d = 4` bases that one prime does not answer) are reconstructed the same
                // way modulo the product of the two, saving the third prime and the
                // big-integer Chinese remaindering.
                let candidate = match used.len() {
                    1 => {
                        let c = small_fractions(p, &r.x);
                        first_x = r.x;
                        c
                    }
                    2 => small_fractions_two([used[0], p], [&first_x, &r.x]),
                    _ => None,
                };
                if let Some(x) = candidate {
                    if solves(n, m, rhs, &x) {
                        return Ok(Some(IntVector::normalized(
                            x.num.into_iter().map(Int::from).collect(),
                            Int::from(x.den),
                        )?));
                    }
                }
            }
            None => {
                singular_bits += p_bits;
                // det(m) is divisible by a product of primes larger than H >= |det(m)|.
                if singular_bits > bound {
                    return Ok(None);
                }
            }
        }
    }
    Err(Overflow)
}

/// Largest numerator and denominator [`small_fractions`] reconstructs: `2 B^2 < p` for
/// every prime of the table (`p > 2^61`), so a fraction within the bounds is unique.
const FRACTION_BOUND: i128 = 1 << 29;

/// [`FRACTION_BOUND`] for two primes: `2 B^2 < p q` for any two primes of the table
/// (`p q > 2^122`).
const WIDE_FRACTION_BOUND: i128 = 1 << 60;

/// The fraction `a / b` with `|a|, b <= bound`, `b > 0` and `a = b r (mod modulus)`, if
/// there is one (Wang's rational reconstruction by the extended Euclidean algorithm;
/// `modulus < 2^126`, so every remainder and cofactor fits `i128`).
fn fraction(r: u128, modulus: u128, bound: i128) -> Option<(i128, i128)> {
    let (mut r0, mut r1) = (modulus as i128, r as i128);
    let (mut t0, mut t1) = (0i128, 1i128);
    while r1 > bound {
        let q = r0 / r1;
        (r0, r1) = (r1, r0 - q * r1);
        (t0, t1) = (t1, t0 - q * t1);
    }
    if t1 == 0 || t1.abs() > bound {
        return None;
    }
    Some(if t1 < 0 { (-r1, -t1) } else { (r1, t1) })
}

/// The small fractions `x_i` stand for, over one common denominator `den`: `scaled(i, den)`
/// is `den x_i` modulo `modulus` (`< 2^126`); an entry whose symmetric residue is within
/// `bound` is an integer over `den`, otherwise Wang's reconstruction widens `den` (up to
/// `den_cap`). `None` when some entry is no such fraction. Only a candidate: [`solves`]
/// decides.
fn over_common_denominator(
    n: usize,
    modulus: u128,
    (bound, den_cap): (i128, i128),
    mut scaled: impl FnMut(usize, i128) -> u128,
) -> Option<IntVector<i128>> {
    let mut den: i128 = 1;
    let mut out: Vec<i128> = Vec::with_capacity(n);
    for i in 0..n {
        let v = scaled(i, den);
        let sym = if v > modulus / 2 {
            v as i128 - modulus as i128
        } else {
            v as i128
        };
        if sym.abs() <= bound {
            out.push(sym);
            continue;
        }
        // x_i = a / (b den): widen the common denominator by b.
        let (a, b) = fraction(v, modulus, bound)?;
        den = den.checked_mul(b).filter(|d| *d <= den_cap)?;
        for o in out.iter_mut() {
            *o = o.checked_mul(b)?;
        }
        out.push(a);
    }
    Some(IntVector { num: out, den })
}

/// A candidate solution from the solution's residues `x_i mod p` modulo one prime
/// ([`over_common_denominator`] with [`FRACTION_BOUND`], in Montgomery arithmetic).
fn small_fractions(p: u64, xs: &[u64]) -> Option<IntVector<i128>> {
    let mg = Montgomery::new(p);
    // den in Montgomery form, entered again only when it changes.
    let mut den_m = (1, mg.enter(1));
    let bounds = (FRACTION_BOUND, FRACTION_BOUND * FRACTION_BOUND);
    over_common_denominator(xs.len(), p as u128, bounds, |i, den| {
        if den_m.0 != den {
            den_m = (den, mg.enter(den));
        }
        // A plain residue times a Montgomery one: the plain product.
        mg.mul(xs[i], den_m.1) as u128
    })
}

/// A candidate solution from the solution's residues modulo two primes `p` and `q`
/// ([`over_common_denominator`] modulo `p q` with [`WIDE_FRACTION_BOUND`]): each `den x_i`
/// put together from its two residues by Garner's step in `u128`.
fn small_fractions_two(ps: [u64; 2], xs: [&[u64]; 2]) -> Option<IntVector<i128>> {
    let [p, q] = ps;
    let (mp, mq) = (Montgomery::new(p), Montgomery::new(q));
    // p^-1 mod q in Montgomery form: mq.mul(v, p_inv) = v p^-1 mod q.
    let p_inv = mq.inverse(mq.enter((p % q) as i128));
    let mut den_m = (1, mp.enter(1), mq.enter(1));
    let bounds = (WIDE_FRACTION_BOUND, WIDE_FRACTION_BOUND);
    over_common_denominator(xs[0].len(), p as u128 * q as u128, bounds, |i, den| {
        if den_m.0 != den {
            den_m = (den, mp.enter(den), mq.enter(den));
        }
        // den x_i modulo p and modulo q, then v = a + p ((b - a) p^-1 mod q).
        let a = mp.mul(xs[0][i], den_m.1);
        let b = mq.mul(xs[1][i], den_m.2);
        let a_mod_q = if a >= q { a % q } else { a };
        let t = mq.mul(mq.sub(b, a_mod_q), p_inv);
        a as u128 + p as u128 * t as u128
    })
}

/// Does `x = num / den` solve `m x = rhs`, i.e. `m num = den rhs`, exactly? (In
/// overflow-checked `i128`; an overflow answers no.)
fn solves(n: usize, m: &[i128], rhs: &[i128], x: &IntVector<i128>) -> bool {
    (0..n).all(|i| {
        let mut acc: i128 = 0;
        for (a, v) in m[i * n..(i + 1) * n].iter().zip(&x.num) {
            match a.checked_mul(*v).and_then(|t| acc.checked_add(t)) {
                Some(s) => acc = s,
                None => return false,
            }
        }
        rhs[i].checked_mul(x.den) == Some(acc)
    })
}

fn combine(
    n: usize,
    used: &[u64],
    dets: &[u64],
    nums: &[Vec<u64>],
) -> Result<IntVector<Int>, Overflow> {
    let k = used.len();
    let mut inv = vec![vec![0u64; k]; k];
    for i in 0..k {
        for j in i + 1..k {
            let mg = Montgomery::new(used[j]);
            inv[i][j] = mg.leave(mg.inverse(mg.enter((used[i] % used[j]) as i128)));
        }
    }
    let modulus = used.iter().fold(Int::ONE, |acc, &p| acc * Int::from(p));
    let half = &modulus >> 1;
    let den = reconstruct(dets, used, &inv, &modulus, &half);
    let mut res = vec![0u64; k];
    let num = (0..n)
        .map(|i| {
            for (r, row) in res.iter_mut().zip(nums) {
                *r = row[i];
            }
            reconstruct(&res, used, &inv, &modulus, &half)
        })
        .collect();
    IntVector::normalized(num, den)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::exact::solve::solve_square_in;
    use crate::rng::SplitMix64;

    fn big(v: &[i128]) -> Vec<Int> {
        v.iter().map(|&x| Int::from(x)).collect()
    }

    #[test]
    fn the_table_holds_distinct_primes_in_range() {
        let t = primes();
        assert_eq!(t.len(), PRIMES);
        assert!(t.iter().all(|&p| p > 1 << 61 && p < 1 << 62 && is_prime(p)));
        assert!(t.windows(2).all(|w| w[0] > w[1]));
        assert!(is_prime((1u64 << 61) - 1) && !is_prime(3215031751));
    }

    #[test]
    fn agrees_with_big_integer_elimination() {
        let mut rng = SplitMix64::new(7);
        for trial in 0..300 {
            let n = 1 + trial % 17;
            let scale = [10i128, 1 << 20, 1 << 40, 1 << 60][trial % 4];
            let mut m: Vec<i128> = (0..n * n)
                .map(|_| (rng.next_u64() % (2 * scale as u64)) as i128 - scale)
                .collect();
            let rhs: Vec<i128> = (0..n)
                .map(|_| (rng.next_u64() % (2 * scale as u64)) as i128 - scale)
                .collect();
            if trial % 5 == 0 && n > 1 {
                // Make the last row a combination of the first two: singular.
                for j in 0..n {
                    m[(n - 1) * n + j] = 3 * m[j] - m[(n.min(2) - 1) * n + j];
                }
            }
            let expect = solve_square_in::<Int>(n, &big(&m), &big(&rhs)).unwrap();
            let got = solve_square_modular(n, &m, &rhs).unwrap();
            assert_eq!(got, expect, "trial {trial}");
        }
    }

    /// A random value of `trial % 127` bits, negative for odd `trial`.
    fn random_of_bits(rng: &mut SplitMix64, trial: usize) -> i128 {
        let raw = ((rng.next_u64() as u128) << 64 | rng.next_u64() as u128) >> (127 - trial % 127);
        if trial % 2 == 0 {
            raw as i128
        } else {
            -(raw as i128)
        }
    }

    /// Entering values of every size into Montgomery form and leaving again gives `v mod p`:
    /// the small (`|v| < p`), the reduced (`|v| < p 2^64`) and the divided paths.
    #[test]
    fn values_of_every_size_enter_montgomery_form() {
        let mut rng = SplitMix64::new(11);
        for &p in &primes()[..4] {
            let mg = Montgomery::new(p);
            for trial in 0..4000 {
                let v = random_of_bits(&mut rng, trial);
                for v in [v, i128::MAX - trial as i128, i128::MIN + trial as i128] {
                    let expect = v.rem_euclid(p as i128) as u64;
                    assert_eq!(mg.leave(mg.enter(v)), expect, "v = {v}, p = {p}");
                }
            }
        }
    }

    /// `a b - c d` with one reduction equals the two products reduced apart, also at the
    /// extremes (`p - 1` everywhere, zeros).
    #[test]
    fn one_reduction_products_agree_with_two() {
        let mut rng = SplitMix64::new(15);
        for &p in &primes()[..4] {
            let mg = Montgomery::new(p);
            for trial in 0..4000 {
                let mut v = [0u64; 4];
                for x in v.iter_mut() {
                    *x = match trial % 3 {
                        0 => rng.next_u64() % p,
                        1 => p - 1 - rng.next_u64() % 3,
                        _ => rng.next_u64() % 2,
                    };
                }
                // As given (every residue below p is valid input) and in Montgomery form.
                for [a, b, c, d] in [v, v.map(|x| mg.enter(x as i128))] {
                    let expect = mg.sub(mg.mul(a, b), mg.mul(c, d));
                    assert_eq!(mg.mul_sub(a, b, c, d), expect, "{v:?} mod {p}");
                }
            }
        }
    }

    #[test]
    fn absolute_values_convert_to_f64_closely() {
        let mut rng = SplitMix64::new(12);
        for trial in 0..4000 {
            let v = random_of_bits(&mut rng, trial);
            let exact = v.unsigned_abs() as f64;
            let got = approx_abs_f64(v);
            assert!(
                (got - exact).abs() <= exact * 2f64.powi(-51),
                "v = {v}: {got} vs {exact}"
            );
        }
        assert_eq!(approx_abs_f64(i128::MIN), 2f64.powi(127));
        assert_eq!(approx_abs_f64(-1), 1.0);
    }

    /// Entries far beyond `2^63` (the bases of `d = 4` searches hold such): the same answer
    /// as big-integer elimination.
    #[test]
    fn systems_with_huge_entries_agree_with_big_integer_elimination() {
        let mut rng = SplitMix64::new(13);
        for trial in 0..200 {
            let n = 1 + trial % 7;
            let shift = 60 + trial % 40;
            let entry = |rng: &mut SplitMix64| {
                let v = (rng.next_u64() as i128) << (shift - 60);
                if rng.next_u64() % 2 == 0 {
                    v
                } else {
                    -v
                }
            };
            let m: Vec<i128> = (0..n * n).map(|_| entry(&mut rng)).collect();
            let rhs: Vec<i128> = (0..n).map(|_| entry(&mut rng)).collect();
            let expect = solve_square_in::<Int>(n, &big(&m), &big(&rhs)).unwrap();
            let got = solve_square_modular(n, &m, &rhs).unwrap();
            assert_eq!(got, expect, "trial {trial}");
        }
    }

    /// Systems with large determinants and small solutions (`rhs = m num / den` for a
    /// planted fraction vector): answered after one prime by rational reconstruction (then
    /// checked exactly), and equal to big-integer elimination; with a large planted
    /// denominator the reconstruction fails and the primes up to Hadamard's bound decide.
    #[test]
    fn small_solutions_of_large_systems() {
        let mut rng = SplitMix64::new(9);
        for trial in 0..200 {
            let n = 2 + trial % 19;
            let scale = 1i128 << (10 + trial % 30);
            let m: Vec<i128> = (0..n * n)
                .map(|_| (rng.next_u64() % (2 * scale as u64)) as i128 - scale)
                .collect();
            // x = num / den with den dividing every m num entry: num multiples of den.
            let den: i128 = if trial % 8 == 7 {
                // Beyond two primes' reconstruction: the Chinese remaindering decides.
                (1 << 61) + 15
            } else if trial % 4 == 3 {
                (1 << 40) + 15
            } else {
                1 + (rng.next_u64() % 1000) as i128
            };
            let num: Vec<i128> = (0..n)
                .map(|_| (rng.next_u64() % 2001) as i128 - 1000)
                .collect();
            let rhs: Vec<i128> = (0..n)
                .map(|i| (0..n).map(|j| m[i * n + j] * num[j]).sum::<i128>())
                .collect();
            // m (num / den) = rhs / den: scale so that the solution is num / den.
            let m_scaled: Vec<i128> = m.iter().map(|v| v * den).collect();
            let expect = solve_square_in::<Int>(n, &big(&m_scaled), &big(&rhs)).unwrap();
            let got = solve_square_modular(n, &m_scaled, &rhs).unwrap();
            assert_eq!(got, expect, "trial {trial}");
            if let Some(x) = got {
                assert_eq!(
                    x.to_rationals(),
                    IntVector::normalized(big(&num), Int::from(den))
                        .unwrap()
                        .to_rationals()
                );
            }
        }
    }

    #[test]
    fn fractions_are_reconstructed_from_one_residue() {
        let p = primes()[0];
        for &(a, b) in &[
            (0i128, 1i128),
            (1, 1),
            (-7, 3),
            (123_456, 789),
            (-(1 << 28), (1 << 29) - 1),
        ] {
            let inv_b = pow_mod(b as u64, p - 2, p);
            let a_mod = (a.rem_euclid(p as i128)) as u64;
            let r = mul_mod(a_mod, inv_b, p);
            let (x, y) = fraction(r as u128, p as u128, FRACTION_BOUND).expect("small");
            assert_eq!(x * b, a * y, "{a}/{b}");
        }
    }

    /// One prime recovers planted fractions of up to 29 bits over a common denominator
    /// (several entries widen it), never one beyond; `solves` rejects a candidate that is
    /// off by one in a single entry.
    #[test]
    fn small_fractions_from_one_residue_and_wrong_candidates_rejected() {
        let p = primes()[0];
        let frac = [(3i128, 7i128), (-5, 11), (1, 77), (0, 1), (-(1 << 20), 13)];
        let xs: Vec<u64> = frac
            .iter()
            .map(|&(a, b)| {
                mul_mod(
                    a.rem_euclid(p as i128) as u64,
                    pow_mod(b as u64, p - 2, p),
                    p,
                )
            })
            .collect();
        let x = small_fractions(p, &xs).expect("small fractions");
        for (&got, &(a, b)) in x.num.iter().zip(&frac) {
            assert_eq!(got * b, a * x.den);
        }
        assert_eq!(x.den, 7 * 11 * 13);
        // A fraction beyond the bound cannot come back as itself (a small fraction with the
        // same residue may: that candidate is wrong, and `solves` is what rejects it).
        let big_den = (1i128 << 40) + 15;
        let beyond = mul_mod(1, pow_mod((big_den % p as i128) as u64, p - 2, p), p);
        if let Some(c) = small_fractions(p, &[xs[0], beyond]) {
            assert_ne!(
                c.num[1] * big_den,
                c.den,
                "a 41-bit denominator from one prime"
            );
        }
        // m x = rhs for x = (3/7, -5/11): the right candidate passes, a neighbour does not.
        let m = [7i128, 0, 0, 11];
        let rhs_den = 77;
        let rhs = [3, -5];
        let right = IntVector {
            num: vec![3 * 11, -5 * 7],
            den: rhs_den,
        };
        assert!(solves(2, &m, &rhs, &right));
        let wrong = IntVector {
            num: vec![3 * 11 + 1, -5 * 7],
            den: rhs_den,
        };
        assert!(!solves(2, &m, &rhs, &wrong));
    }

    /// Solutions with numerators and a denominator of 30-60 bits: one prime cannot
    /// reconstruct them, two can (checked directly on the residues), and the solve agrees
    /// with big-integer elimination.
    #[test]
    fn fractions_of_sixty_bits_are_reconstructed_from_two_residues() {
        let mut rng = SplitMix64::new(14);
        let (p, q) = (primes()[0], primes()[1]);
        for trial in 0..300 {
            let n = 1 + trial % 12;
            let bits = 31 + trial % 29;
            let den = ((rng.next_u64() >> (64 - bits)) | 1) as i128;
            let num: Vec<i128> = (0..n)
                .map(|_| (rng.next_u64() >> (64 - bits)) as i128 * [1, -1][trial % 2])
                .collect();
            // The solution's residues, as residues() gives them: num_i / den modulo p.
            let residues = |p: u64| -> Vec<u64> {
                let inv = pow_mod((den % p as i128) as u64, p - 2, p);
                num.iter()
                    .map(|&a| mul_mod(a.rem_euclid(p as i128) as u64, inv, p))
                    .collect()
            };
            let (xp, xq) = (residues(p), residues(q));
            let x = small_fractions_two([p, q], [&xp, &xq]).expect("within 60 bits");
            for (got, &want) in x.num.iter().zip(&num) {
                assert_eq!(got * den, want * x.den, "trial {trial}");
            }
            // The whole solve on a system with that solution: rhs = m num, matrix m den.
            let m: Vec<i128> = (0..n * n)
                .map(|_| (rng.next_u64() % 2001) as i128 - 1000)
                .collect();
            let rhs: Vec<i128> = (0..n)
                .map(|i| (0..n).map(|j| m[i * n + j] * num[j]).sum::<i128>())
                .collect();
            let m_den: Vec<i128> = m.iter().map(|v| v * den).collect();
            let expect = solve_square_in::<Int>(n, &big(&m_den), &big(&rhs)).unwrap();
            assert_eq!(solve_square_modular(n, &m_den, &rhs).unwrap(), expect);
        }
    }

    #[test]
    fn skips_primes_that_divide_the_determinant() {
        // det [[3, 0], [0, 101 * 103]] = 3 * 10403; with the primes 101 and 103 first, both are
        // singular modulo them, and the answer still comes from the others.
        let m = [3i128, 0, 0, 101 * 103];
        let rhs = [6i128, 2 * 101 * 103 + 1];
        let table = [101u64, 103, 1_000_003, 1_000_033, 1_000_037];
        let got = solve_with_primes(2, &m, &rhs, hadamard_bits(2, &m, &rhs).unwrap(), &table)
            .unwrap()
            .unwrap();
        let expect = solve_square_in::<Int>(2, &big(&m), &big(&rhs))
            .unwrap()
            .unwrap();
        assert_eq!(got, expect);
        // A singular matrix is proven singular once the failing primes outweigh H.
        assert_eq!(
            solve_with_primes(
                2,
                &[2, 4, 1, 2],
                &[1, 1],
                hadamard_bits(2, &[2, 4, 1, 2], &[1, 1]).unwrap(),
                &table
            ),
            Ok(None)
        );
        // Too few primes for the bound: the caller must fall back.
        let huge = [1i128 << 100, 1, 1, 1 << 100];
        assert_eq!(
            solve_with_primes(
                2,
                &huge,
                &[1, 1],
                hadamard_bits(2, &huge, &[1, 1]).unwrap(),
                &table
            ),
            Err(Overflow)
        );
    }
}
