//! Tiny exact linear algebra over the rationals (rank, null space, dot products) for the
//! decision procedure. Dimensions are small (`d + 1`), so plain Gaussian elimination.

use crate::num::Rational;

/// `u . v`, exactly.
pub(crate) fn dot(u: &[Rational], v: &[Rational]) -> Rational {
    let mut t = Rational::ZERO;
    for (a, b) in u.iter().zip(v) {
        if *a != Rational::ZERO && *b != Rational::ZERO {
            t += a * b;
        }
    }
    t
}

/// Reduced row echelon form of `rows` (each of length `n`); returns the non-zero rows and
/// their pivot columns.
fn rref(rows: &[&[Rational]], n: usize) -> (Vec<Vec<Rational>>, Vec<usize>) {
    let mut m: Vec<Vec<Rational>> = rows.iter().map(|r| r.to_vec()).collect();
    let mut pivots = Vec::new();
    let mut row = 0;
    for col in 0..n {
        let Some(piv) = (row..m.len()).find(|&i| m[i][col] != Rational::ZERO) else {
            continue;
        };
        m.swap(row, piv);
        let inv = Rational::ONE / &m[row][col];
        for entry in m[row][col..n].iter_mut() {
            *entry = &*entry * &inv;
        }
        let pivot_row = m[row].clone();
        for (i, other) in m.iter_mut().enumerate() {
            if i != row && other[col] != Rational::ZERO {
                let f = other[col].clone();
                for (entry, p) in other[col..n].iter_mut().zip(&pivot_row[col..n]) {
                    *entry -= p * &f;
                }
            }
        }
        pivots.push(col);
        row += 1;
        if row == m.len() {
            break;
        }
    }
    m.truncate(row);
    (m, pivots)
}

/// Rank of the vectors `rows` in `Q^n`.
pub(crate) fn rank(rows: &[&[Rational]], n: usize) -> usize {
    rref(rows, n).1.len()
}

/// A basis of `{u in Q^n : u . r = 0 for every r in rows}`.
pub(crate) fn null_space(rows: &[&[Rational]], n: usize) -> Vec<Vec<Rational>> {
    let (m, pivots) = rref(rows, n);
    let mut basis = Vec::new();
    for free in (0..n).filter(|c| !pivots.contains(c)) {
        let mut u = vec![Rational::ZERO; n];
        u[free] = Rational::ONE;
        for (r, &pc) in pivots.iter().enumerate() {
            u[pc] = -m[r][free].clone();
        }
        basis.push(u);
    }
    basis
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    #[test]
    fn null_space_is_orthogonal_and_complementary() {
        let a = [int(1), int(2), int(3)];
        let b = [int(2), int(4), int(7)];
        let rows: Vec<&[Rational]> = vec![&a, &b];
        assert_eq!(rank(&rows, 3), 2);
        let ns = null_space(&rows, 3);
        assert_eq!(ns.len(), 1);
        assert_eq!(dot(&ns[0], &a), Rational::ZERO);
        assert_eq!(dot(&ns[0], &b), Rational::ZERO);
        assert_ne!(ns[0], vec![Rational::ZERO; 3]);
        let c = [int(3), int(6), int(9)];
        assert_eq!(rank(&[&a[..], &c[..]], 3), 1);
    }
}
