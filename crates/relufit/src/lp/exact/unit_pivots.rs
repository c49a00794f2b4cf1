//! Unit pivots before a square solve: rows and columns of `m` with a single nonzero entry
//! `+-1` are solved by hand, and only the rest of the system goes to the elimination.
//!
//! The bases the kernel solves are often mostly such rows. A basis row of an artificial
//! column is a unit row (its variable is zero), and so is a row `e >= 0` of an error
//! variable of the pattern search's branch and bound: at `d = 2, k = 3, n = 20` about 20 of
//! the 29 rows of a basis. The vertex (`B p = b`) sees them as singleton rows, the dual
//! multipliers (`B^T y = c`) as singleton columns. Eliminating them first shrinks the
//! elimination (cubic in the size) from `29 x 29` to about `10 x 10` there.
//!
//! The result is the same vector (the solution is unique, and it is normalised the same
//! way); a singular `m` stays singular (`m` is block triangular with `+-1` pivots around
//! the reduced system, so their determinants agree up to sign).

use super::solve::{IntVector, Overflow};
use super::width::ExactInt;

/// Where the unit pivots of a system are and what is left after them.
pub(super) struct UnitPivots<T> {
    n: usize,
    /// Singleton rows: `(row, column, coefficient)`, the unknown fixed to `coefficient *
    /// rhs[row]`.
    fixed: Vec<(usize, usize, i64)>,
    /// Singleton columns of what the rows leave (each among the rows still open when it
    /// was found): `(row, column, coefficient)`, the unknown solved from its row after the
    /// others.
    last: Vec<(usize, usize, i64)>,
    /// Rows and columns of the reduced system.
    rows: Vec<usize>,
    cols: Vec<usize>,
    /// The reduced system `(rows x cols, rhs)`, the fixed unknowns moved to the right.
    pub(super) m: Vec<T>,
    pub(super) rhs: Vec<T>,
}

/// `+1` / `-1` for an entry equal to one of them.
fn unit<T: ExactInt>(x: &T) -> Option<i64> {
    if *x == T::one() {
        Some(1)
    } else if x.neg().is_some_and(|y| y == T::one()) {
        Some(-1)
    } else {
        None
    }
}

impl<T: ExactInt> UnitPivots<T> {
    /// The unit pivots of `m x = rhs` (`m` row-major `n x n`); `Ok(None)` if there are none
    /// (solve the system as it is).
    pub(super) fn find(n: usize, m: &[T], rhs: &[T]) -> Result<Option<Self>, Overflow> {
        let at = |r: usize, c: usize| &m[r * n + c];
        let mut row_used = vec![false; n];
        let mut col_used = vec![false; n];
        let mut fixed = Vec::new();
        for (r, used) in row_used.iter_mut().enumerate() {
            let mut nonzero = (0..n).filter(|&c| !at(r, c).is_zero());
            let (Some(c), None) = (nonzero.next(), nonzero.next()) else {
                continue;
            };
            // A second singleton row in the same column makes `m` singular: left to the
            // elimination, which finds that.
            if let (Some(s), false) = (unit(at(r, c)), col_used[c]) {
                *used = true;
                col_used[c] = true;
                fixed.push((r, c, s));
            }
        }
        let mut last = Vec::new();
        for (c, used) in col_used.iter_mut().enumerate() {
            if *used {
                continue;
            }
            let mut nonzero = (0..n).filter(|&r| !row_used[r] && !at(r, c).is_zero());
            let (Some(r), None) = (nonzero.next(), nonzero.next()) else {
                continue;
            };
            if let Some(s) = unit(at(r, c)) {
                row_used[r] = true;
                *used = true;
                last.push((r, c, s));
            }
        }
        if fixed.is_empty() && last.is_empty() {
            return Ok(None);
        }
        let rows: Vec<usize> = (0..n).filter(|&r| !row_used[r]).collect();
        let cols: Vec<usize> = (0..n).filter(|&c| !col_used[c]).collect();
        let mut red = Vec::with_capacity(rows.len() * cols.len());
        let mut red_rhs = Vec::with_capacity(rows.len());
        for &r in &rows {
            red.extend(cols.iter().map(|&c| at(r, c).clone()));
            let mut b = rhs[r].clone();
            for &(fr, fc, s) in &fixed {
                let a = at(r, fc);
                if !a.is_zero() {
                    let x = rhs[fr].mul_i64(s).ok_or(Overflow)?;
                    b = b.sub(&a.mul(&x).ok_or(Overflow)?).ok_or(Overflow)?;
                }
            }
            red_rhs.push(b);
        }
        Ok(Some(UnitPivots {
            n,
            fixed,
            last,
            rows,
            cols,
            m: red,
            rhs: red_rhs,
        }))
    }

    /// Size of the reduced system.
    pub(super) fn size(&self) -> usize {
        self.rows.len()
    }

    /// The solution of the whole system from the reduced one's (`y`, over the reduced
    /// columns), normalised.
    pub(super) fn expand(
        &self,
        m: &[T],
        rhs: &[T],
        y: IntVector<T>,
    ) -> Result<IntVector<T>, Overflow> {
        let n = self.n;
        let den = y.den;
        let mut num = vec![T::zero(); n];
        for (&c, v) in self.cols.iter().zip(y.num) {
            num[c] = v;
        }
        for &(r, c, s) in &self.fixed {
            num[c] = rhs[r]
                .mul_i64(s)
                .and_then(|x| x.mul(&den))
                .ok_or(Overflow)?;
        }
        // A row of `last` may hold the columns found after its own (their rows were still
        // open when it was found), never those before: solve them last to first.
        for &(r, c, s) in self.last.iter().rev() {
            // s x_c = rhs_r - sum_{u != c} m_ru x_u, times den.
            let mut acc = rhs[r].mul(&den).ok_or(Overflow)?;
            for u in (0..n).filter(|&u| u != c) {
                let a = &m[r * n + u];
                if !a.is_zero() && !num[u].is_zero() {
                    acc = acc.sub(&a.mul(&num[u]).ok_or(Overflow)?).ok_or(Overflow)?;
                }
            }
            num[c] = acc.mul_i64(s).ok_or(Overflow)?;
        }
        IntVector::normalized(num, den)
    }
}

#[cfg(test)]
mod tests {
    use super::super::solve::{solve_square, solve_square_in};
    use crate::rng::Rng;

    /// A random system whose rows and columns are partly unit rows and columns (as in the
    /// bases of the branch and bound), permuted, sometimes singular.
    fn system(rng: &mut Rng, n: usize) -> (Vec<i128>, Vec<i128>) {
        let mut m = vec![0i128; n * n];
        for x in m.iter_mut() {
            if rng.below(3) == 0 {
                *x = rng.range_inclusive(-9, 9) as i128;
            }
        }
        for _ in 0..rng.below_usize(n + 1) {
            let (r, c) = (rng.below_usize(n), rng.below_usize(n));
            let s = if rng.next_bool() { 1 } else { -1 };
            if rng.next_bool() {
                // A unit row.
                (0..n).for_each(|u| m[r * n + u] = 0);
            } else {
                // A unit column.
                (0..n).for_each(|u| m[u * n + c] = 0);
            }
            m[r * n + c] = s;
        }
        let rhs = (0..n)
            .map(|_| rng.range_inclusive(-50, 50) as i128)
            .collect();
        (m, rhs)
    }

    #[test]
    fn unit_pivots_give_the_solution_of_the_whole_system() {
        let mut rng = Rng::new(12);
        let (mut reduced, mut singular) = (0, 0);
        for round in 0..3000 {
            let n = 1 + round % 9;
            let (m, rhs) = system(&mut rng, n);
            let whole = solve_square_in::<i128>(n, &m, &rhs).expect("small data fit i128");
            let with_pivots = solve_square::<i128>(n, &m, &rhs).expect("small data fit i128");
            assert_eq!(with_pivots, whole, "n = {n}, m = {m:?}, rhs = {rhs:?}");
            reduced += usize::from(super::UnitPivots::find(n, &m, &rhs).unwrap().is_some());
            singular += usize::from(whole.is_none());
        }
        // The rounds exercise both the reduction and singular matrices.
        assert!(
            reduced > 1000 && singular > 100,
            "{reduced} reduced, {singular} singular"
        );
    }
}
