//! The number types the simplex ([`super::float`]) runs in: `f64`, double-double [`Dd`]
//! (about 106 bits) for ill-conditioned systems where the `f64` guess did not lead to a
//! certificate, and exact [`Rational`]s (no tolerance) as the fallback that always finds the
//! right basis. The simplex is written once over [`Real`]; nothing it returns is trusted
//! before the exact kernel has checked it.

use crate::num::Rational;
use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A floating-point number type for the guessing simplex.
pub(crate) trait Real:
    Clone
    + PartialEq
    + PartialOrd
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
{
    /// `0`.
    const ZERO: Self;
    /// `1`.
    const ONE: Self;
    /// Pivot and reduced-cost tolerance.
    const EPS: Self;
    /// Looser tolerance: phase-1 objective (relative) and artificial pivots.
    const LOOSE: Self;
    /// From an `f64` (exact).
    fn from_f64(v: f64) -> Self;
    /// From an `i64` (exact for [`Dd`], rounded for `f64`).
    fn from_i64(v: i64) -> Self;
    /// Rounded to `f64`.
    fn to_f64(&self) -> f64;
    /// `|self|`.
    fn abs(&self) -> Self {
        if *self < Self::ZERO {
            -self.clone()
        } else {
            self.clone()
        }
    }
    /// The larger of the two.
    fn max(&self, o: &Self) -> Self {
        if o > self {
            o.clone()
        } else {
            self.clone()
        }
    }
    /// The smaller of the two.
    fn min(&self, o: &Self) -> Self {
        if o < self {
            o.clone()
        } else {
            self.clone()
        }
    }
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const EPS: f64 = 1e-9;
    const LOOSE: f64 = 1e-7;
    fn from_f64(v: f64) -> f64 {
        v
    }
    fn from_i64(v: i64) -> f64 {
        v as f64
    }
    fn to_f64(&self) -> f64 {
        *self
    }
}

/// A double-double number `hi + lo` with `|lo| <= ulp(hi) / 2`: about 106 bits of precision
/// from pairs of `f64` (error-free transformations, fused multiply-add).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Dd {
    hi: f64,
    lo: f64,
}

/// `a + b = s + e` exactly (Knuth's two-sum).
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// `a + b = s + e` exactly when `|a| >= |b|`.
#[inline]
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

impl Dd {
    #[inline]
    fn new(hi: f64, lo: f64) -> Dd {
        let (hi, lo) = quick_two_sum(hi, lo);
        Dd { hi, lo }
    }
}

impl PartialEq for Dd {
    fn eq(&self, o: &Dd) -> bool {
        self.hi == o.hi && self.lo == o.lo
    }
}

impl PartialOrd for Dd {
    fn partial_cmp(&self, o: &Dd) -> Option<std::cmp::Ordering> {
        match self.hi.partial_cmp(&o.hi) {
            Some(std::cmp::Ordering::Equal) => self.lo.partial_cmp(&o.lo),
            other => other,
        }
    }
}

impl Add for Dd {
    type Output = Dd;
    #[inline]
    fn add(self, o: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, o.hi);
        let (t, f) = two_sum(self.lo, o.lo);
        let (s, e) = quick_two_sum(s, e + t);
        Dd::new(s, e + f)
    }
}

impl Neg for Dd {
    type Output = Dd;
    #[inline]
    fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl Sub for Dd {
    type Output = Dd;
    #[inline]
    fn sub(self, o: Dd) -> Dd {
        self + (-o)
    }
}

impl Mul for Dd {
    type Output = Dd;
    #[inline]
    fn mul(self, o: Dd) -> Dd {
        let p = self.hi * o.hi;
        let e = self.hi.mul_add(o.hi, -p);
        Dd::new(p, e + (self.hi * o.lo + self.lo * o.hi))
    }
}

impl Div for Dd {
    type Output = Dd;
    #[inline]
    fn div(self, o: Dd) -> Dd {
        let q1 = self.hi / o.hi;
        let r = self - o * Dd::from_f64(q1);
        let q2 = r.hi / o.hi;
        let r = r - o * Dd::from_f64(q2);
        let q3 = r.hi / o.hi;
        Dd::new(q1, q2) + Dd::from_f64(q3)
    }
}

impl AddAssign for Dd {
    fn add_assign(&mut self, o: Dd) {
        *self = *self + o;
    }
}

impl SubAssign for Dd {
    fn sub_assign(&mut self, o: Dd) {
        *self = *self - o;
    }
}

impl Real for Dd {
    const ZERO: Dd = Dd { hi: 0.0, lo: 0.0 };
    const ONE: Dd = Dd { hi: 1.0, lo: 0.0 };
    const EPS: Dd = Dd { hi: 1e-24, lo: 0.0 };
    const LOOSE: Dd = Dd { hi: 1e-20, lo: 0.0 };
    fn from_f64(v: f64) -> Dd {
        Dd { hi: v, lo: 0.0 }
    }
    fn from_i64(v: i64) -> Dd {
        let hi = v as f64;
        // v - hi is exact in i128 and fits f64 exactly (|v - hi| < 2^11).
        let lo = (v as i128 - hi as i128) as f64;
        Dd::new(hi, lo)
    }
    fn to_f64(&self) -> f64 {
        self.hi + self.lo
    }
}

/// Exact rationals: the same simplex with every tolerance zero. This is the exact fallback
/// ([`super::float::solve_exact`]): it ends on an exactly optimal (or exactly infeasible, or
/// exactly unbounded) basis, which the kernel then certifies like any guess. Bland's rule,
/// which the simplex switches to after a run of degenerate pivots, guarantees termination.
impl Real for Rational {
    const ZERO: Rational = Rational::ZERO;
    const ONE: Rational = Rational::ONE;
    const EPS: Rational = Rational::ZERO;
    const LOOSE: Rational = Rational::ZERO;
    fn from_f64(v: f64) -> Rational {
        // Every finite f64 is a rational; the simplex never produces non-finite ones here.
        Rational::try_from(v).unwrap_or(Rational::ZERO)
    }
    fn from_i64(v: i64) -> Rational {
        Rational::from(v)
    }
    fn to_f64(&self) -> f64 {
        crate::num::to_f64(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_double_keeps_what_f64_loses() {
        let big = Dd::from_i64((1 << 60) + 1);
        assert_eq!((big - Dd::from_i64(1 << 60)).to_f64(), 1.0);
        let third = Dd::ONE / Dd::from_i64(3);
        let back = third * Dd::from_i64(3) - Dd::ONE;
        assert!(back.abs().to_f64() < 1e-30);
        // (1 + 2^-30)^2 - 1 - 2^-29 = 2^-60, lost in f64 (it needs 60 bits).
        let x = Dd::ONE + Dd::from_f64(2f64.powi(-30));
        let r = x * x - Dd::ONE - Dd::from_f64(2f64.powi(-29));
        assert_eq!(r.to_f64(), 2f64.powi(-60));
        let xf = 1.0 + 2f64.powi(-30);
        assert_eq!(xf * xf - 1.0 - 2f64.powi(-29), 0.0);
        assert!(Dd::from_f64(1.0) < Dd::new(1.0, 1e-20));
    }
}
