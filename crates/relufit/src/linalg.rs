//! Exact rational linear algebra on top of the exact kernel: one-dimensional null spaces
//! (hyperplanes through points, affine dependences), consistency of `A a = y` and exact least
//! squares through the normal equations. Used by the geometry (dichotomies), the enumeration's
//! circuit bound and the threshold output layer. Every elimination is the kernel's one
//! fraction-free Gauss-Jordan (`crate::lp::exact::echelon`): each rational row is scaled to
//! integers first (which changes neither its null space nor the solutions).

use crate::lp::exact::{echelon, Echelon};
use crate::num::{common_denominator, Int, Rational};

/// `row` times the lcm of its denominators: the same equation in integers.
fn integral(row: &[Rational]) -> Vec<Int> {
    let l = common_denominator(row.iter());
    row.iter()
        .map(|q| q.numerator() * Int::from(&l / q.denominator()))
        .collect()
}

/// The reduced row echelon form of the rational rows `m` on their first `cols` columns.
fn rref(m: &[Vec<Rational>], cols: usize) -> Echelon {
    let ints: Vec<Vec<Int>> = m.iter().map(|r| integral(r)).collect();
    echelon(&ints, cols)
}

/// A non-zero vector `v` with `row . v = 0` for every row (`cols` columns), if the null space
/// is one-dimensional (rank `cols - 1`); `None` otherwise. The free coordinate of `v` is `1`.
pub fn null_vector(m: Vec<Vec<Rational>>, cols: usize) -> Option<Vec<Rational>> {
    let e = rref(&m, cols);
    if e.pivots.len() + 1 != cols {
        return None;
    }
    let free = (0..cols).find(|c| !e.pivots.iter().any(|&(_, pc)| pc == *c))?;
    let mut v = vec![Rational::ZERO; cols];
    v[free] = Rational::ONE;
    for &(pr, pc) in &e.pivots {
        v[pc] = -e.entry(pr, free);
    }
    Some(v)
}

/// A solution of `rows . a = rhs` (free variables set to 0), or `None` if the system is
/// inconsistent.
pub fn solve_consistent(
    rows: &[Vec<Rational>],
    rhs: &[Rational],
    cols: usize,
) -> Option<Vec<Rational>> {
    let m: Vec<Vec<Rational>> = rows
        .iter()
        .zip(rhs)
        .map(|(r, b)| {
            let mut v = r.clone();
            v.push(b.clone());
            v
        })
        .collect();
    if m.is_empty() {
        return Some(vec![Rational::ZERO; cols]);
    }
    let e = rref(&m, cols);
    if (e.pivots.len()..m.len()).any(|r| !e.is_zero(r, cols)) {
        return None;
    }
    let mut a = vec![Rational::ZERO; cols];
    for &(r, c) in &e.pivots {
        a[c] = e.entry(r, cols);
    }
    Some(a)
}

/// An exact minimiser of `||A a - y||^2` (`A` given by its rows): a solution of the normal
/// equations `A^T A a = A^T y`, which are always consistent.
pub fn least_squares(rows: &[Vec<Rational>], y: &[Rational], cols: usize) -> Vec<Rational> {
    let mut ata = vec![vec![Rational::ZERO; cols]; cols];
    let mut aty = vec![Rational::ZERO; cols];
    for (r, yi) in rows.iter().zip(y) {
        for p in 0..cols {
            if r[p] == Rational::ZERO {
                continue;
            }
            aty[p] += &r[p] * yi;
            for q in 0..cols {
                if r[q] != Rational::ZERO {
                    ata[p][q] += &r[p] * &r[q];
                }
            }
        }
    }
    solve_consistent(&ata, &aty, cols).expect("normal equations are consistent")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    #[test]
    fn null_vectors() {
        // The line through (0, 1) and (2, 3) in homogeneous form: x1 - x2 + 1 = 0.
        let rows = vec![vec![int(0), int(1), int(1)], vec![int(2), int(3), int(1)]];
        let v = null_vector(rows, 3).unwrap();
        assert_eq!(&v[0] * int(2) + &v[1] * int(3) + &v[2], int(0));
        assert_eq!(&v[1] + &v[2], int(0));
        // Two equal rows leave a two-dimensional null space.
        let rows = vec![vec![int(1), int(1), int(1)], vec![int(1), int(1), int(1)]];
        assert_eq!(null_vector(rows, 3), None);
    }

    #[test]
    fn consistent_and_inconsistent() {
        let rows = vec![
            vec![int(1), int(0)],
            vec![int(1), int(1)],
            vec![int(0), int(1)],
        ];
        assert_eq!(
            solve_consistent(&rows, &[int(1), int(3), int(2)], 2),
            Some(vec![int(1), int(2)])
        );
        assert_eq!(solve_consistent(&rows, &[int(1), int(4), int(2)], 2), None);
    }

    #[test]
    fn least_squares_projects() {
        // Fit a constant to 1, 2, 6: the mean 3.
        let rows = vec![vec![int(1)], vec![int(1)], vec![int(1)]];
        assert_eq!(
            least_squares(&rows, &[int(1), int(2), int(6)], 1),
            vec![int(3)]
        );
        // Dependent columns: still a minimiser.
        let rows = vec![vec![int(1), int(1)], vec![int(1), int(1)]];
        let a = least_squares(&rows, &[int(0), int(4)], 2);
        assert_eq!(&a[0] + &a[1], int(2));
    }
}
