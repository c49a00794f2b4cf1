//! A stronger exact leaf bound for the `abs` and `max` losses (ReLU, `n <= 64`), from
//! *circuits*: `d + 2` data points with an affine dependence `sum_i lambda_i (x_i, 1) = 0`.
//!
//! Inside one activation class of a leaf (the points where the same neurons are active)
//! `phi` is affine, so `sum_i lambda_i phi(x_i) = 0` for a circuit in the class and the
//! residuals `r_i = phi(x_i) - y_i` satisfy `sum_i lambda_i r_i = -lambda . y`. Hence
//! `sum_i |r_i| >= |lambda . y| / max_i |lambda_i|` and `max_i |r_i| >= |lambda . y| /
//! sum_i |lambda_i|`. Disjoint circuits in a class add up (abs); classes are disjoint, so
//! per class the larger of this and the sign bound of [`super::bounds`] may be summed.

use crate::linalg::null_vector;
use crate::model::Loss;
use crate::num::{abs, Rational};

/// One circuit: its points as a bit mask and its bound value.
#[derive(Debug, Clone)]
pub struct Circuit {
    /// The points with non-zero coefficient.
    pub mask: u64,
    /// `|lambda . y| / max |lambda_i|` (abs) or `/ sum |lambda_i|` (max).
    pub value: Rational,
}

/// Up to `keep` circuits with the largest values (`d + 2`-subsets with a one-dimensional
/// affine dependence, scanning at most `scan` subsets in lexicographic order).
pub fn circuits(
    xs: &[Vec<Rational>],
    ys: &[Rational],
    loss: Loss,
    scan: usize,
    keep: usize,
) -> Vec<Circuit> {
    let n = xs.len();
    let d = xs.first().map_or(0, Vec::len);
    let m = d + 2;
    if n > 64 || n < m {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..m).collect();
    let mut scanned = 0;
    loop {
        scanned += 1;
        if let Some(c) = circuit(xs, ys, &idx, loss) {
            out.push(c);
        }
        // Next m-subset.
        let mut p = m;
        while p > 0 && idx[p - 1] == n - m + p - 1 {
            p -= 1;
        }
        if p == 0 || scanned >= scan {
            break;
        }
        idx[p - 1] += 1;
        for q in p..m {
            idx[q] = idx[q - 1] + 1;
        }
    }
    out.sort_by(|a, b| b.value.cmp(&a.value));
    out.truncate(keep);
    out
}

fn circuit(xs: &[Vec<Rational>], ys: &[Rational], idx: &[usize], loss: Loss) -> Option<Circuit> {
    // Columns (x_i, 1) for i in idx: a (d+1) x (d+2) matrix; its null space.
    let d = xs[0].len();
    let rows: Vec<Vec<Rational>> = (0..=d)
        .map(|r| {
            idx.iter()
                .map(|&i| {
                    if r < d {
                        xs[i][r].clone()
                    } else {
                        Rational::ONE
                    }
                })
                .collect()
        })
        .collect();
    let lambda = null_vector(rows, idx.len())?;
    let ly = lambda
        .iter()
        .zip(idx)
        .fold(Rational::ZERO, |acc, (l, &i)| acc + l * &ys[i]);
    if ly == Rational::ZERO {
        return None;
    }
    let denom = match loss {
        Loss::Max => lambda.iter().fold(Rational::ZERO, |acc, l| acc + abs(l)),
        _ => lambda.iter().map(abs).max()?,
    };
    let mask = idx
        .iter()
        .zip(&lambda)
        .filter(|(_, l)| **l != Rational::ZERO)
        .fold(0u64, |m, (&i, _)| m | 1 << i);
    Some(Circuit {
        mask,
        value: abs(&ly) / denom,
    })
}

/// The circuit bound of one activation class `class` (bit mask): greedy disjoint circuits
/// (abs: their sum; max: the largest).
pub fn class_bound(circuits: &[Circuit], class: u64, loss: Loss) -> Rational {
    let mut used = 0u64;
    let mut total = Rational::ZERO;
    for c in circuits {
        if c.mask & !class != 0 {
            continue;
        }
        if loss == Loss::Max {
            return c.value.clone();
        }
        if c.mask & used == 0 {
            used |= c.mask;
            total += &c.value;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    #[test]
    fn collinear_points_bound_non_affine_labels() {
        // x = 0, 1, 2 on a line in d = 1 (circuits of 3 points): labels 0, 1, 0 are not
        // affine; lambda = (1, -2, 1), lambda . y = -2, so sum |r| >= 2 / 2 = 1.
        let xs = vec![vec![int(0)], vec![int(1)], vec![int(2)]];
        let ys = vec![int(0), int(1), int(0)];
        let c = circuits(&xs, &ys, Loss::Abs, 100, 10);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].value, int(1));
        assert_eq!(class_bound(&c, 0b111, Loss::Abs), int(1));
        assert_eq!(class_bound(&c, 0b011, Loss::Abs), int(0));
        let c = circuits(&xs, &ys, Loss::Max, 100, 10);
        assert_eq!(c[0].value, Rational::from(2) / Rational::from(4));
    }
}
