//! Exact rational linear algebra: Gauss-Jordan elimination, one-dimensional null spaces
//! (hyperplanes through points, affine dependences), consistency of `A a = y` and exact least
//! squares through the normal equations. Used by the geometry (dichotomies), the enumeration's
//! circuit bound and the threshold output layer.

use crate::num::Rational;

/// Bring the first `cols` columns of `m` to reduced row echelon form in place (rows may be
/// longer, e.g. an augmented right-hand side, and are transformed alongside). Returns the
/// pivots as `(row, column)`; rows below the last pivot are zero in the first `cols` columns.
pub fn rref(m: &mut [Vec<Rational>], cols: usize) -> Vec<(usize, usize)> {
    let mut pivots = Vec::new();
    let mut row = 0;
    for col in 0..cols {
        let Some(p) = (row..m.len()).find(|&r| m[r][col] != Rational::ZERO) else {
            continue;
        };
        m.swap(row, p);
        let inv = Rational::ONE / &m[row][col];
        for v in m[row].iter_mut() {
            *v = &*v * &inv;
        }
        let pivot_row = m[row].clone();
        for (r, other) in m.iter_mut().enumerate() {
            if r != row && other[col] != Rational::ZERO {
                let f = other[col].clone();
                for (v, p) in other.iter_mut().zip(&pivot_row) {
                    *v -= &f * p;
                }
            }
        }
        pivots.push((row, col));
        row += 1;
    }
    pivots
}

/// A non-zero vector `v` with `row . v = 0` for every row (`cols` columns), if the null space
/// is one-dimensional (rank `cols - 1`); `None` otherwise.
pub fn null_vector(mut m: Vec<Vec<Rational>>, cols: usize) -> Option<Vec<Rational>> {
    let pivots = rref(&mut m, cols);
    if pivots.len() + 1 != cols {
        return None;
    }
    let free = (0..cols).find(|c| !pivots.iter().any(|&(_, pc)| pc == *c))?;
    let mut v = vec![Rational::ZERO; cols];
    v[free] = Rational::ONE;
    for &(pr, pc) in &pivots {
        v[pc] = -m[pr][free].clone();
    }
    Some(v)
}

/// A solution of `rows . a = rhs` (free variables set to 0), or `None` if the system is
/// inconsistent. Gauss-Jordan elimination in rationals.
pub fn solve_consistent(
    rows: &[Vec<Rational>],
    rhs: &[Rational],
    cols: usize,
) -> Option<Vec<Rational>> {
    let mut m: Vec<Vec<Rational>> = rows
        .iter()
        .zip(rhs)
        .map(|(r, b)| {
            let mut v = r.clone();
            v.push(b.clone());
            v
        })
        .collect();
    let pivots = rref(&mut m, cols);
    let row = pivots.len();
    if m[row..].iter().any(|r| r[cols] != Rational::ZERO) {
        return None;
    }
    let mut a = vec![Rational::ZERO; cols];
    for &(r, c) in &pivots {
        a[c] = m[r][cols].clone();
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
