//! The one certificate checker of the kernel, written over [`ExactInt`]: every certificate
//! any solver reports (a primal point, a dual bound, a Farkas vector) is re-checked by these
//! two functions against the original integer rows, independently of how it was found.
//!
//! - [`satisfies`]: a point `num / den` satisfies every row `a . v >= b` / `a . v = b`;
//! - [`combine`]: multipliers `y_r` (`>= 0` on inequality rows, free on equations) combine
//!   the rows to a target vector, `sum_r y_r a_r = target`; the returned `sum_r y_r b_r` is
//!   then a proven lower bound on `target . v` over the polyhedron (weak duality), and with
//!   target `0` and a positive result the multipliers are a Farkas proof that the polyhedron
//!   is empty.
//!
//! Rows may hold `i64`, `i128` or big-integer coefficients ([`Coeff`]); the arithmetic runs
//! at the width of the certificate and reports [`Overflow`] instead of wrapping.

use super::solve::{IntVector, Overflow};
use super::width::ExactInt;
use crate::num::Int;

/// A row coefficient the checker can multiply into a width `T`.
pub(crate) trait Coeff {
    /// `self * x`, `None` on overflow.
    fn times<T: ExactInt>(&self, x: &T) -> Option<T>;
    /// `== 0`.
    fn is_zero(&self) -> bool;
}

impl Coeff for i64 {
    fn times<T: ExactInt>(&self, x: &T) -> Option<T> {
        x.mul_i64(*self)
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
}

impl Coeff for i128 {
    fn times<T: ExactInt>(&self, x: &T) -> Option<T> {
        T::from_i128(*self)?.mul(x)
    }
    fn is_zero(&self) -> bool {
        *self == 0
    }
}

impl Coeff for Int {
    fn times<T: ExactInt>(&self, x: &T) -> Option<T> {
        T::from_int(self)?.mul(x)
    }
    fn is_zero(&self) -> bool {
        *self == Int::ZERO
    }
}

/// One row `coeffs . v >= rhs` (or `= rhs` when `eq`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a, C> {
    /// Coefficients, one per variable.
    pub coeffs: &'a [C],
    /// Right-hand side.
    pub rhs: &'a C,
    /// An equation (else `>=`).
    pub eq: bool,
}

/// Why a certificate was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejected {
    /// The certificate is wrong (the reason).
    Wrong(String),
    /// A value did not fit the width; check again at a wider one.
    Overflow,
}

impl From<Overflow> for Rejected {
    fn from(_: Overflow) -> Self {
        Rejected::Overflow
    }
}

fn ovf<X>(v: Option<X>) -> Result<X, Overflow> {
    v.ok_or(Overflow)
}

/// `coeffs . x` at width `T`.
pub(crate) fn dot<C: Coeff, T: ExactInt>(coeffs: &[C], x: &[T]) -> Result<T, Overflow> {
    let mut s = T::zero();
    for (a, v) in coeffs.iter().zip(x) {
        if !a.is_zero() && !v.is_zero() {
            s = ovf(s.add(&ovf(a.times(v))?))?;
        }
    }
    Ok(s)
}

/// Does the point `p` satisfy every row? `Ok(Some(r))` names the first violated row.
pub(crate) fn first_violated<'a, C: Coeff + 'a, T: ExactInt>(
    rows: impl IntoIterator<Item = Row<'a, C>>,
    p: &IntVector<T>,
) -> Result<Option<usize>, Overflow> {
    for (r, row) in rows.into_iter().enumerate() {
        let lhs = dot(row.coeffs, &p.num)?;
        let rhs = ovf(row.rhs.times(&p.den))?;
        let ok = if row.eq { lhs == rhs } else { lhs >= rhs };
        if !ok {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// Does the point `p` satisfy every row?
pub(crate) fn satisfies<'a, C: Coeff + 'a, T: ExactInt>(
    rows: impl IntoIterator<Item = Row<'a, C>>,
    p: &IntVector<T>,
) -> Result<bool, Overflow> {
    Ok(first_violated(rows, p)?.is_none())
}

/// [`satisfies`] for `i64` rows whose coefficients and right-hand sides are at most `amax`
/// in magnitude (`n` variables). For an `i128` point, when the magnitudes prove that no
/// product or sum can overflow, the same comparisons run unchecked in `i64` or `i128`;
/// otherwise (and at other widths) every operation is checked.
pub(crate) fn satisfies_bounded<'a, T: ExactInt>(
    rows: impl IntoIterator<Item = Row<'a, i64>>,
    n: usize,
    amax: u64,
    p: &IntVector<T>,
) -> Result<bool, Overflow> {
    let (Some(num), Some(den)) = (
        T::as_i128s(&p.num),
        T::as_i128s(std::slice::from_ref(&p.den)),
    ) else {
        return satisfies(rows, p);
    };
    let den = den[0];
    // |sum_t a_t x_t| <= n amax xmax and |b den| <= amax den.
    let xmax = num
        .iter()
        .fold(den.unsigned_abs(), |m, x| m.max(x.unsigned_abs()));
    let bits = |v: u128| 128 - v.leading_zeros();
    let need = bits(amax as u128) + bits(xmax) + bits(n as u128 + 1);
    if need < 62 {
        // Everything fits i64 (one machine multiplication per term).
        let x: Vec<i64> = num.iter().map(|&v| v as i64).collect();
        let den = den as i64;
        for row in rows {
            let lhs: i64 = row.coeffs.iter().zip(&x).map(|(&a, &v)| a * v).sum();
            let rhs = row.rhs * den;
            if !(if row.eq { lhs == rhs } else { lhs >= rhs }) {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if need < 126 {
        for row in rows {
            let mut lhs: i128 = 0;
            for (&a, &v) in row.coeffs.iter().zip(num) {
                lhs += a as i128 * v;
            }
            let rhs = *row.rhs as i128 * den;
            if !(if row.eq { lhs == rhs } else { lhs >= rhs }) {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    satisfies(rows, p)
}

/// Check multipliers `y_r = num_r / den` on `rows` (`den > 0`; each entry names its row):
/// signs (`>= 0` on inequality rows) and `sum_r y_r a_r = target` (an `n`-vector, compared
/// as `sum_r num_r a_r = den * target`). Returns `sum_r num_r b_r` (the bound times `den`).
pub(crate) fn combine<'a, C: Coeff + 'a, T: ExactInt + 'a>(
    n: usize,
    terms: impl IntoIterator<Item = (Row<'a, C>, &'a T)>,
    den: &T,
    target: &[T],
) -> Result<T, Rejected> {
    if den.is_negative() || den.is_zero() {
        return Err(Rejected::Wrong(
            "the multipliers' denominator is not positive".into(),
        ));
    }
    let mut sum = vec![T::zero(); n];
    let mut bound = T::zero();
    for (k, (row, y)) in terms.into_iter().enumerate() {
        if y.is_zero() {
            continue;
        }
        if !row.eq && y.is_negative() {
            return Err(Rejected::Wrong(format!(
                "multiplier {k} is negative on an inequality row"
            )));
        }
        for (s, a) in sum.iter_mut().zip(row.coeffs) {
            if !a.is_zero() {
                *s = ovf(s.add(&ovf(a.times(y))?))?;
            }
        }
        bound = ovf(bound.add(&ovf(row.rhs.times(y))?))?;
    }
    for (s, t) in sum.iter().zip(target) {
        if *s != ovf(t.mul(den))? {
            return Err(Rejected::Wrong(
                "the multipliers do not combine the rows to the required vector".into(),
            ));
        }
    }
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_combinations() {
        // x >= 1, y >= 0, x + y = 3.
        let rows: Vec<(Vec<i64>, i64, bool)> = vec![
            (vec![1, 0], 1, false),
            (vec![0, 1], 0, false),
            (vec![1, 1], 3, true),
        ];
        let view = || {
            rows.iter().map(|(a, b, e)| Row {
                coeffs: a,
                rhs: b,
                eq: *e,
            })
        };
        let p = IntVector {
            num: vec![5i128, 1],
            den: 2,
        };
        assert_eq!(satisfies(view(), &p), Ok(true));
        let q = IntVector {
            num: vec![1i128, 1],
            den: 2,
        };
        assert_eq!(first_violated(view(), &q), Ok(Some(0)));
        // min x: y_0 = 1 on x >= 1 proves x >= 1.
        let y = [1i128, 0, 0];
        let bound = combine(2, view().zip(y.iter()), &1, &[1, 0]).unwrap();
        assert_eq!(bound, 1);
        // min x over the polyhedron is also >= 3 - y >= ... : -1 * (y >= 0) + 1 * (x + y = 3).
        let y = [0i128, 1, 1];
        // sum = (0,1) + (1,1) = (1, 2) != (1, 0): rejected.
        assert!(matches!(
            combine(2, view().zip(y.iter()), &1, &[1, 0]),
            Err(Rejected::Wrong(_))
        ));
        // A negative multiplier on an inequality is rejected.
        let y = [-1i128, 0, 0];
        assert!(matches!(
            combine(2, view().zip(y.iter()), &1, &[-1, 0]),
            Err(Rejected::Wrong(_))
        ));
        // Overflow is reported, not wrapped.
        let p = IntVector {
            num: vec![i128::MAX, 0],
            den: 1,
        };
        let big = [(vec![i64::MAX, 0], 0i64, false)];
        let rows_big = big.iter().map(|(a, b, e)| Row {
            coeffs: a,
            rhs: b,
            eq: *e,
        });
        assert_eq!(satisfies(rows_big, &p), Err(Overflow));
    }
}
