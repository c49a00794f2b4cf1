//! Integer widths of the exact kernel: `i64`, `i128` (overflow-checked) and big integers.
//!
//! Every algorithm of the kernel is written once over [`ExactInt`] and run at the narrowest
//! width first; an operation that would overflow returns `None`, and the caller re-runs at
//! the next width. Big integers never overflow.

use crate::num::Int;

/// An integer type the exact kernel computes in.
pub trait ExactInt: Clone + PartialEq + Eq + PartialOrd + Ord + std::fmt::Debug {
    /// A divisor prepared for many exact divisions by the same value.
    type Divisor: Clone;
    /// `0`.
    fn zero() -> Self;
    /// `1`.
    fn one() -> Self;
    /// From an `i64` (always fits).
    fn from_i64(v: i64) -> Self;
    /// From an `i128`, if it fits.
    fn from_i128(v: i128) -> Option<Self>;
    /// From a big integer, if it fits.
    fn from_int(v: &Int) -> Option<Self>;
    /// As a big integer.
    fn to_int(&self) -> Int;
    /// `== 0`.
    fn is_zero(&self) -> bool;
    /// `< 0`.
    fn is_negative(&self) -> bool;
    /// `self + o`, `None` on overflow.
    fn add(&self, o: &Self) -> Option<Self>;
    /// `self - o`, `None` on overflow.
    fn sub(&self, o: &Self) -> Option<Self>;
    /// `self * o`, `None` on overflow.
    fn mul(&self, o: &Self) -> Option<Self>;
    /// `self * a` for a small factor, `None` on overflow.
    fn mul_i64(&self, a: i64) -> Option<Self>;
    /// `-self`, `None` on overflow.
    fn neg(&self) -> Option<Self>;
    /// Greatest common divisor of `|self|` and `|o|` (`gcd(0, 0) = 0`).
    fn gcd(&self, o: &Self) -> Self;
    /// `self / g` where `g` divides `self` exactly.
    fn div_exact(&self, g: &Self) -> Self;
    /// Prepare exact divisions by `self` (`self != 0`).
    fn divisor(&self) -> Self::Divisor;
    /// `(p x - f r) / d` where the division is exact (a fraction-free elimination step);
    /// `None` if an intermediate or the result does not fit.
    fn bareiss(p: &Self, x: &Self, f: &Self, r: &Self, d: &Self::Divisor) -> Option<Self>;
    /// `p x / d` where the division is exact; `None` if it does not fit.
    fn rescale(p: &Self, x: &Self, d: &Self::Divisor) -> Option<Self>;
    /// The values as `i128`s, when that is this width (a hook for unchecked fast loops whose
    /// magnitudes the caller has bounded).
    fn as_i128s(v: &[Self]) -> Option<&[i128]> {
        let _ = v;
        None
    }
}

/// Exact division by a fixed nonzero `d` without a hardware divide: `v / d` for `v` a
/// multiple of `d` is `(v >> s) * inv` modulo `2^128`, with `d = 2^s d'`, `d'` odd and
/// `inv` its inverse modulo `2^128` (the quotient fits, so the wrapped product is it).
/// Only valid for exact divisions, which fraction-free elimination guarantees; every result
/// of the kernel is verified afterwards anyway.
#[derive(Clone, Copy, Debug)]
pub struct ExactDiv {
    shift: u32,
    inv: i128,
    one: bool,
}

impl ExactDiv {
    /// Prepare divisions by `d != 0`.
    pub fn new(d: i128) -> Self {
        debug_assert!(d != 0);
        let shift = d.trailing_zeros();
        let odd = d >> shift;
        // Newton's iteration doubles the correct low bits: 3 -> 6 -> ... -> 192 >= 128.
        let mut inv = odd;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2i128.wrapping_sub(odd.wrapping_mul(inv)));
        }
        ExactDiv {
            shift,
            inv,
            one: d == 1,
        }
    }

    /// `v / d` for a multiple `v` of `d` whose quotient fits `i64` (one 64-bit
    /// multiplication: the low half of the inverse is the inverse modulo `2^64`).
    #[inline]
    fn apply_i64(self, v: i64) -> i64 {
        if self.one {
            v
        } else {
            (v >> self.shift).wrapping_mul(self.inv as i64)
        }
    }

    /// `v / d` for a multiple `v` of `d`.
    #[inline]
    fn apply(self, v: i128) -> i128 {
        if self.one {
            v
        } else {
            (v >> self.shift).wrapping_mul(self.inv)
        }
    }
}

fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl ExactInt for i64 {
    type Divisor = ExactDiv;
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    fn from_i64(v: i64) -> Self {
        v
    }
    fn from_i128(v: i128) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_int(v: &Int) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn to_int(&self) -> Int {
        Int::from(*self)
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn is_negative(&self) -> bool {
        *self < 0
    }
    fn add(&self, o: &Self) -> Option<Self> {
        self.checked_add(*o)
    }
    fn sub(&self, o: &Self) -> Option<Self> {
        self.checked_sub(*o)
    }
    fn mul(&self, o: &Self) -> Option<Self> {
        self.checked_mul(*o)
    }
    fn mul_i64(&self, a: i64) -> Option<Self> {
        self.checked_mul(a)
    }
    fn neg(&self) -> Option<Self> {
        self.checked_neg()
    }
    fn gcd(&self, o: &Self) -> Self {
        gcd_u128(self.unsigned_abs() as u128, o.unsigned_abs() as u128) as i64
    }
    fn div_exact(&self, g: &Self) -> Self {
        self / g
    }
    fn divisor(&self) -> ExactDiv {
        ExactDiv::new(*self as i128)
    }
    #[inline]
    fn bareiss(p: &Self, x: &Self, f: &Self, r: &Self, d: &ExactDiv) -> Option<Self> {
        // In i64 when nothing overflows (then the quotient fits too), else through i128
        // (products of i64 values cannot overflow it).
        match p
            .checked_mul(*x)
            .zip(f.checked_mul(*r))
            .and_then(|(a, b)| a.checked_sub(b))
        {
            Some(v) => Some(d.apply_i64(v)),
            None => i64::try_from(d.apply(*p as i128 * *x as i128 - *f as i128 * *r as i128)).ok(),
        }
    }
    #[inline]
    fn rescale(p: &Self, x: &Self, d: &ExactDiv) -> Option<Self> {
        i64::try_from(d.apply(*p as i128 * *x as i128)).ok()
    }
}

impl ExactInt for i128 {
    type Divisor = ExactDiv;
    fn zero() -> Self {
        0
    }
    fn one() -> Self {
        1
    }
    fn from_i64(v: i64) -> Self {
        v as i128
    }
    fn from_i128(v: i128) -> Option<Self> {
        Some(v)
    }
    fn from_int(v: &Int) -> Option<Self> {
        i128::try_from(v).ok()
    }
    fn to_int(&self) -> Int {
        Int::from(*self)
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
    fn is_negative(&self) -> bool {
        *self < 0
    }
    fn add(&self, o: &Self) -> Option<Self> {
        self.checked_add(*o)
    }
    fn sub(&self, o: &Self) -> Option<Self> {
        self.checked_sub(*o)
    }
    fn mul(&self, o: &Self) -> Option<Self> {
        self.checked_mul(*o)
    }
    fn mul_i64(&self, a: i64) -> Option<Self> {
        self.checked_mul(a as i128)
    }
    fn neg(&self) -> Option<Self> {
        self.checked_neg()
    }
    fn gcd(&self, o: &Self) -> Self {
        gcd_u128(self.unsigned_abs(), o.unsigned_abs()) as i128
    }
    fn div_exact(&self, g: &Self) -> Self {
        self / g
    }
    fn divisor(&self) -> ExactDiv {
        ExactDiv::new(*self)
    }
    #[inline]
    fn bareiss(p: &Self, x: &Self, f: &Self, r: &Self, d: &ExactDiv) -> Option<Self> {
        Some(d.apply(p.checked_mul(*x)?.checked_sub(f.checked_mul(*r)?)?))
    }
    #[inline]
    fn rescale(p: &Self, x: &Self, d: &ExactDiv) -> Option<Self> {
        Some(d.apply(p.checked_mul(*x)?))
    }
    fn as_i128s(v: &[Self]) -> Option<&[i128]> {
        Some(v)
    }
}

impl ExactInt for Int {
    type Divisor = Int;
    fn zero() -> Self {
        Int::ZERO
    }
    fn one() -> Self {
        Int::ONE
    }
    fn from_i64(v: i64) -> Self {
        Int::from(v)
    }
    fn from_i128(v: i128) -> Option<Self> {
        Some(Int::from(v))
    }
    fn from_int(v: &Int) -> Option<Self> {
        Some(v.clone())
    }
    fn to_int(&self) -> Int {
        self.clone()
    }
    fn is_zero(&self) -> bool {
        *self == Int::ZERO
    }
    fn is_negative(&self) -> bool {
        *self < Int::ZERO
    }
    fn add(&self, o: &Self) -> Option<Self> {
        Some(self + o)
    }
    fn sub(&self, o: &Self) -> Option<Self> {
        Some(self - o)
    }
    fn mul(&self, o: &Self) -> Option<Self> {
        Some(self * o)
    }
    fn mul_i64(&self, a: i64) -> Option<Self> {
        Some(self * Int::from(a))
    }
    fn neg(&self) -> Option<Self> {
        Some(-self)
    }
    fn gcd(&self, o: &Self) -> Self {
        use dashu_int::ops::{Gcd, UnsignedAbs};
        Int::from(Gcd::gcd(&self.unsigned_abs(), &o.unsigned_abs()))
    }
    fn div_exact(&self, g: &Self) -> Self {
        self / g
    }
    fn divisor(&self) -> Int {
        self.clone()
    }
    fn bareiss(p: &Self, x: &Self, f: &Self, r: &Self, d: &Int) -> Option<Self> {
        Some((p * x - f * r) / d)
    }
    fn rescale(p: &Self, x: &Self, d: &Int) -> Option<Self> {
        Some(p * x / d)
    }
}
