//! Exact rational linear algebra for the threshold output layer: consistency of `A a = y`
//! and exact least squares through the normal equations.

use crate::num::Rational;

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
    let mut pivots: Vec<(usize, usize)> = Vec::new();
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
        let pr = m[row].clone();
        for (r, other) in m.iter_mut().enumerate() {
            if r != row && other[col] != Rational::ZERO {
                let f = other[col].clone();
                for (v, p) in other.iter_mut().zip(&pr) {
                    *v -= &f * p;
                }
            }
        }
        pivots.push((row, col));
        row += 1;
    }
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
