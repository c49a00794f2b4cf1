//! Affine hulls of finite point sets, exactly.

use crate::num::Rational;

/// The affine hull of a point set, described by coordinates that parametrise it.
///
/// `columns` are `e` coordinate indices such that the projection onto them is injective on
/// the hull (an affine isomorphism from the hull onto `Q^e`), where `e` is the dimension of
/// the hull. Dichotomies, orders and affine functions on the points can therefore be
/// computed on the projected points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffineHull {
    /// Dimension `e` of the hull (0 for a single point, possibly repeated).
    pub dim: usize,
    /// The `e` coordinates that parametrise the hull.
    pub columns: Vec<usize>,
}

/// The affine hull of `points` (all of one dimension, at least one point): its dimension and
/// a set of parametrising coordinates, by exact row reduction of the differences
/// `x_i - x_0`.
pub fn affine_hull(points: &[&[Rational]]) -> AffineHull {
    let Some(first) = points.first() else {
        return AffineHull {
            dim: 0,
            columns: Vec::new(),
        };
    };
    let d = first.len();
    // Row-reduce the difference vectors incrementally; keep a reduced basis with pivots.
    let mut basis: Vec<(usize, Vec<Rational>)> = Vec::new(); // (pivot column, row)
    for p in &points[1..] {
        let mut row: Vec<Rational> = (0..d).map(|c| &p[c] - &first[c]).collect();
        for (pivot, b) in &basis {
            if row[*pivot] != Rational::ZERO {
                let f = &row[*pivot] / &b[*pivot];
                for c in 0..d {
                    if b[c] != Rational::ZERO {
                        row[c] -= &f * &b[c];
                    }
                }
            }
        }
        if let Some(pivot) = row.iter().position(|v| *v != Rational::ZERO) {
            basis.push((pivot, row));
            if basis.len() == d {
                break;
            }
        }
    }
    let mut columns: Vec<usize> = basis.iter().map(|(c, _)| *c).collect();
    columns.sort_unstable();
    AffineHull {
        dim: columns.len(),
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    #[test]
    fn dimensions_of_simple_sets() {
        let p = |v: &[i64]| v.iter().map(|&x| int(x)).collect::<Vec<_>>();
        let a = [p(&[1, 2, 3]), p(&[1, 2, 3])];
        let refs: Vec<&[Rational]> = a.iter().map(|v| v.as_slice()).collect();
        assert_eq!(affine_hull(&refs).dim, 0);
        let b = [p(&[0, 0, 5]), p(&[1, 2, 5]), p(&[2, 4, 5])];
        let refs: Vec<&[Rational]> = b.iter().map(|v| v.as_slice()).collect();
        assert_eq!(
            affine_hull(&refs),
            AffineHull {
                dim: 1,
                columns: vec![0]
            }
        );
        let c = [p(&[0, 0, 0]), p(&[0, 1, 1]), p(&[0, 2, 5])];
        let refs: Vec<&[Rational]> = c.iter().map(|v| v.as_slice()).collect();
        assert_eq!(
            affine_hull(&refs),
            AffineHull {
                dim: 2,
                columns: vec![1, 2]
            }
        );
    }
}
