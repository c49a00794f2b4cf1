//! The one fraction-free linear solve of the kernel: Gauss-Jordan elimination with Edmonds'
//! integer pivoting, written once over [`ExactInt`] and run at the narrowest width that
//! holds every intermediate (`i64`, then `i128`, then big integers).
//!
//! Every update `T_ij <- (p T_ij - f T_pj) / d` divides exactly (the stored entries are
//! minors of the input), so the numbers never grow beyond the input's minors and no gcd is
//! ever needed during elimination.

use super::modular;
use super::unit_pivots::UnitPivots;
use super::width::ExactInt;
use crate::num::{Int, Rational};

/// A value did not fit the width; re-run at the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// A rational vector `num / den` with `den > 0` (reduced by the gcd of all entries when made
/// by the kernel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntVector<T> {
    /// Numerators.
    pub num: Vec<T>,
    /// The common positive denominator.
    pub den: T,
}

impl<T: ExactInt> IntVector<T> {
    /// The vector as rationals.
    pub fn to_rationals(&self) -> Vec<Rational> {
        let den = self.den.to_int();
        self.num
            .iter()
            .map(|x| Rational::from_parts_signed(x.to_int(), den.clone()))
            .collect()
    }

    /// The same vector at width `U`, if it fits.
    pub fn to_width<U: ExactInt>(&self) -> Option<IntVector<U>> {
        Some(IntVector {
            num: self
                .num
                .iter()
                .map(|x| U::from_int(&x.to_int()))
                .collect::<Option<_>>()?,
            den: U::from_int(&self.den.to_int())?,
        })
    }

    /// `num / den` with the sign moved into the numerators and every entry divided by the gcd.
    pub fn normalized(mut num: Vec<T>, mut den: T) -> Result<Self, Overflow> {
        if den.is_negative() {
            den = den.neg().ok_or(Overflow)?;
            for x in num.iter_mut() {
                *x = x.neg().ok_or(Overflow)?;
            }
        }
        let g = num.iter().fold(den.clone(), |g, x| g.gcd(x));
        if !g.is_zero() && g != T::one() {
            num.iter_mut().for_each(|x| *x = x.div_exact(&g));
            den = den.div_exact(&g);
        }
        Ok(IntVector { num, den })
    }
}

/// Gauss-Jordan elimination with fraction-free pivoting on the row-major `rows x w` matrix
/// `t`, on its first `cols` columns (the columns beyond are carried along, e.g. right-hand
/// sides). A column with no non-zero entry below the pivots so far is skipped; with
/// `full_rank` the run stops there instead (`Ok(None)`, the square solve's "singular").
///
/// Afterwards the pivot columns hold `D` times unit vectors (rows `0..rank`) and every other
/// entry is `D` times the entry of the reduced row echelon form, where `D` is the last pivot
/// (a `rank x rank` minor of the input): every stored value is a minor, so each step
/// `T_ij <- (p T_ij - f T_pj) / d` divides exactly. Returns the pivots `(row, column)`, `D`
/// and the parity of the row swaps; the pivots are pushed onto `pivots` when given (the
/// square solve, whose pivots are the diagonal, passes `None` and allocates nothing).
fn echelon_in<T: ExactInt>(
    rows: usize,
    w: usize,
    cols: usize,
    t: &mut [T],
    full_rank: bool,
    mut pivots: Option<&mut Vec<(usize, usize)>>,
) -> Result<Option<(T, bool)>, Overflow> {
    let mut d = T::one();
    let mut div = d.divisor();
    let mut prow: Vec<T> = Vec::with_capacity(w);
    let mut rank = 0;
    let mut odd = false;
    for col in 0..cols {
        let top = rank;
        let Some(r) = (top..rows).find(|&r| !t[r * w + col].is_zero()) else {
            if full_rank {
                return Ok(None);
            }
            continue;
        };
        if r != top {
            for j in 0..w {
                t.swap(r * w + j, top * w + j);
            }
            odd = !odd;
        }
        prow.clear();
        prow.extend_from_slice(&t[top * w..(top + 1) * w]);
        let p = prow[col].clone();
        for i in 0..rows {
            if i == top {
                continue;
            }
            let row = &mut t[i * w..(i + 1) * w];
            let f = row[col].clone();
            if f.is_zero() {
                if p != d {
                    for x in row.iter_mut() {
                        if !x.is_zero() {
                            *x = T::rescale(&p, x, &div).ok_or(Overflow)?;
                        }
                    }
                }
                continue;
            }
            for (x, pr) in row.iter_mut().zip(&prow) {
                if pr.is_zero() && x.is_zero() {
                    continue;
                }
                *x = T::bareiss(&p, x, &f, pr, &div).ok_or(Overflow)?;
            }
        }
        if let Some(pivots) = pivots.as_deref_mut() {
            pivots.push((top, col));
        }
        rank += 1;
        d = p;
        div = d.divisor();
    }
    Ok(Some((d, odd)))
}

/// [`echelon_in`] on a square left block (`n x w`, `w >= n`) that must be nonsingular: the
/// left block becomes `D I`; `Ok(Some((D, odd)))`, `Ok(None)` if singular.
fn eliminate<T: ExactInt>(n: usize, w: usize, t: &mut [T]) -> Result<Option<(T, bool)>, Overflow> {
    echelon_in(n, w, n, t, true, None)
}

/// The reduced row echelon form of an integer matrix, scaled to stay integral: see
/// [`echelon`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Echelon {
    /// `D` times the reduced row echelon form (row-major, the input's width).
    pub scaled: Vec<Int>,
    /// The width of a row.
    pub width: usize,
    /// The pivots `(row, column)`, in order: the rank is their number.
    pub pivots: Vec<(usize, usize)>,
    /// The common scale `D > 0`.
    pub scale: Int,
}

impl Echelon {
    /// Entry `(r, c)` of the reduced row echelon form.
    pub(crate) fn entry(&self, r: usize, c: usize) -> Rational {
        Rational::from_parts_signed(self.scaled[r * self.width + c].clone(), self.scale.clone())
    }

    /// Is entry `(r, c)` zero?
    pub(crate) fn is_zero(&self, r: usize, c: usize) -> bool {
        self.scaled[r * self.width + c] == Int::ZERO
    }
}

/// The reduced row echelon form of the integer rows `m` (each of the same width), eliminated
/// on the first `cols` columns (the others, e.g. right-hand sides, transformed alongside), by
/// the kernel's one fraction-free elimination at the narrowest width that holds it (`i64`,
/// `i128`, big integers). Rank-revealing: columns without a pivot are skipped.
pub(crate) fn echelon(m: &[Vec<Int>], cols: usize) -> Echelon {
    fn at<T: ExactInt>(m: &[Vec<Int>], width: usize, cols: usize) -> Option<Echelon> {
        let mut t: Vec<T> = Vec::with_capacity(m.len() * width);
        for row in m {
            for x in row {
                t.push(T::from_int(x)?);
            }
        }
        let mut pivots = Vec::with_capacity(m.len().min(cols));
        let (d, _) = echelon_in(m.len(), width, cols, &mut t, false, Some(&mut pivots)).ok()??;
        let (mut scaled, mut scale): (Vec<Int>, Int) =
            (t.iter().map(T::to_int).collect(), d.to_int());
        if scale < Int::ZERO {
            scale = -scale;
            scaled.iter_mut().for_each(|x| *x = -&*x);
        }
        Some(Echelon {
            scaled,
            width,
            pivots,
            scale,
        })
    }
    let width = m.first().map_or(cols, Vec::len);
    assert!(
        m.iter().all(|r| r.len() == width) && cols <= width,
        "echelon: rows of one width, at least `cols`"
    );
    at::<i64>(m, width, cols)
        .or_else(|| at::<i128>(m, width, cols))
        .or_else(|| at::<Int>(m, width, cols))
        .expect("big integers do not overflow")
}

/// Solve `m x = rhs` (`m` row-major `n x n`) at width `T`: `Ok(Some(x))`, `Ok(None)` if `m`
/// is singular, `Err(Overflow)` if `T` is too narrow.
pub(crate) fn solve_square_in<T: ExactInt>(
    n: usize,
    m: &[T],
    rhs: &[T],
) -> Result<Option<IntVector<T>>, Overflow> {
    let w = n + 1;
    let mut t = Vec::with_capacity(n * w);
    for i in 0..n {
        t.extend_from_slice(&m[i * n..(i + 1) * n]);
        t.push(rhs[i].clone());
    }
    let Some((d, _)) = eliminate(n, w, &mut t)? else {
        return Ok(None);
    };
    let num = (0..n).map(|i| t[i * w + n].clone()).collect();
    IntVector::normalized(num, d).map(Some)
}

/// The determinant of `m` (row-major `n x n`) at width `T`.
pub(crate) fn determinant_in<T: ExactInt>(n: usize, m: &[T]) -> Result<T, Overflow> {
    if n == 0 {
        return Ok(T::one());
    }
    let mut t = m.to_vec();
    match eliminate(n, n, &mut t)? {
        None => Ok(T::zero()),
        Some((d, odd)) => {
            if odd {
                d.neg().ok_or(Overflow)
            } else {
                Ok(d)
            }
        }
    }
}

/// Values of `v` as `i64`, if all fit.
fn narrow(v: &[i128]) -> Option<Vec<i64>> {
    v.iter().map(|&x| i64::try_from(x).ok()).collect()
}

/// The values as `i128`s, if all fit.
fn to_i128s<T: ExactInt>(v: &[T]) -> Option<Vec<i128>> {
    match T::as_i128s(v) {
        Some(s) => Some(s.to_vec()),
        None => v.iter().map(|x| i128::try_from(&x.to_int()).ok()).collect(),
    }
}

/// A solution of [`solve_data`], at the width it was computed in.
enum Computed {
    /// By elimination in `i64`.
    Small(IntVector<i64>),
    /// By the modular solve.
    Big(IntVector<Int>),
}

/// The kernel's one route for `i128` data: fraction-free elimination in `i64` when Hadamard's
/// bound says every minor fits (beyond it, it usually overflows after most of the work),
/// otherwise Cramer's rule modulo word primes ([`super::modular`]). `Err(Overflow)` only when
/// the determinants exceed the prime table (the caller eliminates with big integers).
fn solve_data(n: usize, m: Vec<i128>, rhs: Vec<i128>) -> Result<Option<Computed>, Overflow> {
    let bound = modular::hadamard_bits(n, &m, &rhs);
    if bound.is_none_or(|b| b <= 62.0) {
        if let (Some(m64), Some(r64)) = (narrow(&m), narrow(&rhs)) {
            if let Ok(r) = solve_square_in::<i64>(n, &m64, &r64) {
                return Ok(r.map(Computed::Small));
            }
        }
    }
    Ok(solve_modular_cached(n, m, rhs, bound)?.map(Computed::Big))
}

/// Solve `m x = rhs` exactly and return the result at width `T` (`Err(Overflow)` if it does
/// not fit `T`): elimination in `i64` when every minor fits, otherwise Cramer's rule modulo
/// word primes ([`super::modular`]); big-integer elimination only for data beyond `i128` or
/// determinants beyond the prime table.
pub(crate) fn solve_square<T: ExactInt>(
    n: usize,
    m: &[T],
    rhs: &[T],
) -> Result<Option<IntVector<T>>, Overflow> {
    let Some(pivots) = UnitPivots::find(n, m, rhs)? else {
        return solve_reduced(n, m, rhs);
    };
    match solve_reduced(pivots.size(), &pivots.m, &pivots.rhs)? {
        None => Ok(None),
        Some(y) => pivots.expand(m, rhs, y).map(Some),
    }
}

/// [`solve_square`] after its unit pivots.
fn solve_reduced<T: ExactInt>(
    n: usize,
    m: &[T],
    rhs: &[T],
) -> Result<Option<IntVector<T>>, Overflow> {
    if n == 0 {
        return Ok(Some(IntVector {
            num: Vec::new(),
            den: T::one(),
        }));
    }
    let (Some(m128), Some(r128)) = (to_i128s(m), to_i128s(rhs)) else {
        return solve_square_in::<T>(n, m, rhs);
    };
    match solve_data(n, m128, r128) {
        Ok(None) => Ok(None),
        Ok(Some(Computed::Small(x))) => Ok(Some(IntVector {
            num: x.num.into_iter().map(T::from_i64).collect(),
            den: T::from_i64(x.den),
        })),
        Ok(Some(Computed::Big(x))) => x.to_width::<T>().ok_or(Overflow).map(Some),
        Err(Overflow) => solve_square_in::<T>(n, m, rhs),
    }
}

/// The modular solve, remembering the last system per thread: the certifiers try a
/// certificate at width `i128` first and repeat it with big integers when the solution does
/// not fit, which would otherwise solve the same system twice.
fn solve_modular_cached(
    n: usize,
    m: Vec<i128>,
    rhs: Vec<i128>,
    bound: Option<f64>,
) -> Result<Option<IntVector<Int>>, Overflow> {
    type Entry = (Vec<i128>, Vec<i128>, Option<IntVector<Int>>);
    thread_local! {
        static LAST: std::cell::RefCell<Option<Entry>> = const { std::cell::RefCell::new(None) };
    }
    let hit = LAST.with(|c| match &*c.borrow() {
        Some((cm, cr, x)) if *cm == m && *cr == rhs => Some(x.clone()),
        _ => None,
    });
    if let Some(x) = hit {
        return Ok(x);
    }
    let x = modular::solve_within_bound(n, &m, &rhs, bound)?;
    LAST.with(|c| *c.borrow_mut() = Some((m, rhs, x.clone())));
    Ok(x)
}

/// Solve `m x = rhs` over `i128` data at the narrowest width that works: `i64` when the data
/// fit, else `i128`. `Ok(None)`: singular; `Err(Overflow)`: the solution needs big integers
/// ([`solve_square_wide`]).
pub(crate) fn solve_square_small(
    n: usize,
    m: &[i128],
    rhs: &[i128],
) -> Result<Option<IntVector<i128>>, Overflow> {
    solve_square::<i128>(n, m, rhs)
}

/// A solution at the width it needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Solved {
    /// Fits `i128`.
    Small(IntVector<i128>),
    /// Needed big integers.
    Big(IntVector<Int>),
}

impl Solved {
    /// The solution as rationals.
    #[cfg(test)]
    pub(crate) fn to_rationals(&self) -> Vec<Rational> {
        match self {
            Solved::Small(v) => v.to_rationals(),
            Solved::Big(v) => v.to_rationals(),
        }
    }
}

/// Solve `m x = rhs` exactly whatever the size of the numbers, reported at the narrowest
/// width that holds the solution. `None` if `m` is singular.
pub(crate) fn solve_square_wide(n: usize, m: &[i128], rhs: &[i128]) -> Option<Solved> {
    let x = match solve_data(n, m.to_vec(), rhs.to_vec()) {
        Ok(x) => x?,
        Err(Overflow) => {
            let mb: Vec<Int> = m.iter().map(|&x| Int::from(x)).collect();
            let rb: Vec<Int> = rhs.iter().map(|&x| Int::from(x)).collect();
            Computed::Big(
                solve_square_in::<Int>(n, &mb, &rb).expect("big integers do not overflow")?,
            )
        }
    };
    Some(match x {
        Computed::Small(x) => Solved::Small(x.to_width::<i128>().expect("i64 values fit i128")),
        Computed::Big(x) => match x.to_width::<i128>() {
            Some(small) => Solved::Small(small),
            None => Solved::Big(x),
        },
    })
}

/// Solve `m x = rhs` for big-integer data, exactly, at the narrowest width that works.
/// `None` if `m` is singular.
pub(crate) fn solve_square_int(n: usize, m: &[Int], rhs: &[Int]) -> Option<Vec<Rational>> {
    solve_square::<Int>(n, m, rhs)
        .expect("big integers do not overflow")
        .map(|x| x.to_rationals())
}

/// The determinant of an `i128` matrix, exactly (big integers when needed).
#[cfg(test)]
pub(crate) fn determinant(n: usize, m: &[i128]) -> Int {
    if let Some(m64) = narrow(m) {
        if let Ok(d) = determinant_in::<i64>(n, &m64) {
            return Int::from(d);
        }
    }
    match determinant_in::<i128>(n, m) {
        Ok(d) => Int::from(d),
        Err(Overflow) => {
            let mb: Vec<Int> = m.iter().map(|&x| Int::from(x)).collect();
            determinant_in::<Int>(n, &mb).expect("big integers do not overflow")
        }
    }
}

/// Is the square big-integer matrix `m` (row-major `n x n`) nonsingular?
pub(crate) fn is_nonsingular(n: usize, m: &[Int]) -> bool {
    let zeros = vec![Int::ZERO; n];
    solve_square_int(n, m, &zeros).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n: usize, m: &[i128], rhs: &[i128], x: &[Rational]) {
        for i in 0..n {
            let lhs = (0..n).fold(Rational::ZERO, |acc, j| {
                acc + Rational::from(m[i * n + j]) * &x[j]
            });
            assert_eq!(lhs, Rational::from(rhs[i]));
        }
    }

    #[test]
    fn every_width_solves_and_agrees() {
        let m = [2i128, 1, 0, 1, -1, 3, 0, 4, 1];
        let rhs = [5i128, 1, -2];
        let a = solve_square_in::<i64>(3, &[2, 1, 0, 1, -1, 3, 0, 4, 1], &[5, 1, -2])
            .unwrap()
            .unwrap();
        let b = solve_square_in::<i128>(3, &m, &rhs).unwrap().unwrap();
        let mb: Vec<Int> = m.iter().map(|&x| Int::from(x)).collect();
        let rb: Vec<Int> = rhs.iter().map(|&x| Int::from(x)).collect();
        let c = solve_square_in::<Int>(3, &mb, &rb).unwrap().unwrap();
        assert_eq!(a.to_rationals(), b.to_rationals());
        assert_eq!(b.to_rationals(), c.to_rationals());
        check(3, &m, &rhs, &a.to_rationals());
        // Singular.
        assert_eq!(solve_square_in::<i128>(2, &[1, 2, 2, 4], &[1, 2]), Ok(None));
        // Needs a row swap; determinant sign.
        assert_eq!(determinant(2, &[0, 1, 1, 0]), Int::from(-1));
        assert_eq!(determinant(3, &m), Int::from(-27));
    }

    /// `echelon` against the definition of the reduced row echelon form, on random matrices
    /// of planted rank (products `B C`), with entries small, near `2^40` (past `i64`) and near
    /// `2^70` (past `i128`).
    #[test]
    fn echelon_is_the_reduced_row_echelon_form() {
        let mut rng = crate::rng::Rng::new(11);
        for case in 0..150 {
            let (rows, width) = (1 + rng.below_usize(6), 1 + rng.below_usize(7));
            let rank = rng.below_usize(rows.min(width) + 1);
            let scale = Int::from(1u8) << [0usize, 40, 70][case % 3];
            let mut entry = || Int::from(rng.range_inclusive(-3, 3));
            let b: Vec<Vec<Int>> = (0..rows)
                .map(|_| (0..rank).map(|_| entry()).collect())
                .collect();
            let c: Vec<Vec<Int>> = (0..rank)
                .map(|_| (0..width).map(|_| entry()).collect())
                .collect();
            let m: Vec<Vec<Int>> = (0..rows)
                .map(|i| {
                    (0..width)
                        .map(|j| {
                            let dot = (0..rank).fold(Int::ZERO, |acc, t| acc + &b[i][t] * &c[t][j]);
                            dot * &scale
                        })
                        .collect()
                })
                .collect();
            let cols = width - rng.below_usize(2).min(width - 1);
            let e = echelon(&m, cols);
            assert!(e.scale > Int::ZERO);
            let r = e.pivots.len();
            // Pivots in increasing rows and columns; each pivot column a unit vector.
            for (q, &(pr, pc)) in e.pivots.iter().enumerate() {
                assert_eq!(pr, q);
                assert!(q == 0 || e.pivots[q - 1].1 < pc);
                for i in 0..rows {
                    let want = if i == pr {
                        Rational::ONE
                    } else {
                        Rational::ZERO
                    };
                    assert_eq!(e.entry(i, pc), want, "case {case}");
                }
                // Left of its pivot, a row is zero.
                for j in 0..pc {
                    assert!(e.is_zero(pr, j), "case {case}");
                }
            }
            // Rows past the rank are zero on the eliminated columns.
            for i in r..rows {
                for j in 0..cols {
                    assert!(e.is_zero(i, j), "case {case}");
                }
            }
            // On the eliminated columns, every input row is the combination of the pivot rows
            // given by its pivot entries (so the row spaces agree there).
            for row in &m {
                for (j, x) in row.iter().enumerate().take(cols) {
                    let comb = e.pivots.iter().fold(Rational::ZERO, |acc, &(pr, pc)| {
                        acc + Rational::from(row[pc].clone()) * e.entry(pr, j)
                    });
                    assert_eq!(comb, Rational::from(x.clone()), "case {case}");
                }
            }
        }
    }

    #[test]
    fn widening_reaches_big_integers() {
        // Entries near 2^40 overflow i64 products; near 2^100, i128 ones.
        for big in [1i128 << 40, 1i128 << 100] {
            let m = [big, 1, 1, big];
            let rhs = [3 * big + 1, big + 3];
            let s = solve_square_wide(2, &m, &rhs).expect("nonsingular");
            assert_eq!(s.to_rationals(), vec![Rational::from(3), Rational::ONE]);
            // The solution is small whatever the minors were.
            assert!(matches!(s, Solved::Small(_)));
            // x = (big, -1) / (big^2 - 1): a denominator beyond i128 when big = 2^100.
            let s = solve_square_wide(2, &m, &[1, 0]).expect("nonsingular");
            let den = Int::from(big) * Int::from(big) - Int::ONE;
            assert_eq!(
                s.to_rationals(),
                vec![
                    Rational::from_parts_signed(Int::from(big), den.clone()),
                    Rational::from_parts_signed(Int::from(-1), den)
                ]
            );
            assert_eq!(matches!(s, Solved::Big(_)), big > (1i128 << 62));
        }
        assert_eq!(
            solve_square_in::<i64>(2, &[1 << 40, 1, 1, 1 << 40], &[1, 1]).map(|_| ()),
            Err(Overflow)
        );
    }
}
