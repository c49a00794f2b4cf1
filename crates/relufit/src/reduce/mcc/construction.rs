//! The points of the Corollary 9 construction (MULTICOLORED CLIQUE -> one neuron, `l^p`
//! loss) and its canonical neuron. The argument is in `docs/corollary9-mcc.md`; this module
//! follows its section 1 and numbers.
//!
//! Input dimension `d = 2 kappa + 1`: coordinate 0 (weight `u`), and for every colour class
//! `c` (0-based) the coordinates `1 + 2c` (weight `s_c`) and `2 + 2c` (weight `t_c`). Class `c`
//! has `n_c` vertices, ranked `1..=n_c` in the order of the file. `gamma = sum_c (n_c - 1)`.
//!
//! | point | coordinates (others 0) | label | copies |
//! |---|---|---|---|
//! | anchor | `0` | 1 | `R_a = gamma 3^p + 1` |
//! | tangent `(c, k)`, `k = 0..=n_c` (`h = k + 1/2`) | `x_0 = -(2k+1)^2`, `x_{s_c} = 4(2k+1)`, `x_{t_c} = -4` | 0 | `R_c = (n_c - 1) 3^p + 1` |
//! | selection `(c, i)`, `i = 1..=n_c` | `x_0 = -8 i^2`, `x_{s_c} = 16 i`, `x_{t_c} = -8` | 1 | 1 |
//! | non-edge `(c, i; c', j)`, `c < c'`, vertices not adjacent | midpoint of selections `(c, i)` and `(c', j)` | 0 | 1 |
//!
//! The canonical neuron of a multicoloured clique with ranks `nu_c` has `b = 1`, `u = 1`,
//! `s_c = nu_c`, `t_c = nu_c^2` and output weight 1 (threshold or ReLU alike); its
//! pre-activation is `1 - 4 (h - nu_c)^2` at tangents, `1 - 8 (i - nu_c)^2` at selections and
//! `1 - 4 (i - nu_c)^2 - 4 (j - nu_c')^2` at non-edges, so it is 0 or 1 at every point.

use crate::error::{Error, Result};
use crate::limits::{MAX_NUMBERS, MAX_POINTS};
use crate::mcc::Mcc;
use crate::model::{Neuron, Point};
use crate::num::{int, Rational};
use std::fmt;

/// Scale of the tangent points (the paper-free constant `lambda` of the proof).
pub const TANGENT_SCALE: i64 = 4;
/// Scale of the selection points (`K` of the proof).
pub const SELECTION_SCALE: i64 = 8;

/// What a data point of the core construction is (0-based class, 1-based rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreTag {
    /// The origin, label 1.
    Anchor,
    /// Tangent point `(class, k)` at the half-integer `k + 1/2`, label 0.
    Tangent {
        /// Colour class.
        class: usize,
        /// `k` in `0..=n_c`.
        k: usize,
    },
    /// Selection point of vertex `rank` of `class`, label 1.
    Selection {
        /// Colour class.
        class: usize,
        /// Rank of the vertex.
        rank: usize,
    },
    /// Midpoint of two selections whose vertices are not adjacent, label 0.
    NonEdge {
        /// First class.
        class: usize,
        /// Rank in the first class.
        rank: usize,
        /// Second class (larger).
        other: usize,
        /// Rank in the second class.
        other_rank: usize,
    },
}

impl fmt::Display for CoreTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CoreTag::Anchor => f.write_str("anchor"),
            CoreTag::Tangent { class, k } => {
                write!(f, "tangent (class {}, h = {k}.5)", class + 1)
            }
            CoreTag::Selection { class, rank } => {
                write!(f, "selection (class {}, rank {rank})", class + 1)
            }
            CoreTag::NonEdge {
                class,
                rank,
                other,
                other_rank,
            } => write!(
                f,
                "non-edge (class {} rank {rank}, class {} rank {other_rank})",
                class + 1,
                other + 1
            ),
        }
    }
}

/// `d = 2 kappa + 1`.
pub fn dimension(kappa: usize) -> usize {
    2 * kappa + 1
}

/// `gamma = sum_c (n_c - 1)`: the error of every canonical neuron of a multicoloured clique
/// (one unit per inactive selection point), for every `p`.
pub fn gamma(g: &Mcc) -> usize {
    g.colors().iter().map(|c| c.len() - 1).sum()
}

/// How many copies of the anchor and of each tangent point (module table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multiplicities {
    /// `R_a = gamma 3^p + 1`.
    pub anchor: usize,
    /// `R_c = (n_c - 1) 3^p + 1`, one per class.
    pub tangents: Vec<usize>,
}

/// `3^p`, or `None` beyond `usize`.
fn three_pow(p: u32) -> Option<usize> {
    3usize.checked_pow(p)
}

/// The multiplicities for loss `l^p`; refused when they exceed the point limit.
pub fn multiplicities(g: &Mcc, p: u32) -> Result<Multiplicities> {
    let too_many = || {
        Error::input(
            "--p",
            format!(
                "the l^{p} construction needs (gamma 3^p + 1) copies of the anchor, more than \
                 the {MAX_POINTS} points of a reduction (gamma = {}): use a smaller p",
                gamma(g)
            ),
        )
    };
    let pow = three_pow(p).ok_or_else(too_many)?;
    let mult = |n: usize| n.checked_mul(pow).and_then(|x| x.checked_add(1));
    let anchor = mult(gamma(g))
        .filter(|&r| r <= MAX_POINTS)
        .ok_or_else(too_many)?;
    let tangents = g
        .colors()
        .iter()
        .map(|c| mult(c.len() - 1).filter(|&r| r <= MAX_POINTS))
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(too_many)?;
    Ok(Multiplicities { anchor, tangents })
}

/// Number of non-adjacent pairs of vertices in different classes.
pub fn non_edges(g: &Mcc) -> usize {
    let n: Vec<usize> = g.colors().iter().map(Vec::len).collect();
    let pairs: usize = (0..n.len())
        .flat_map(|c| (c + 1..n.len()).map(move |c2| (c, c2)))
        .map(|(c, c2)| n[c] * n[c2])
        .sum();
    pairs - g.num_cross_edges()
}

/// Number of points of the core construction (with copies), or `None` on overflow.
pub fn core_size(g: &Mcc, m: &Multiplicities) -> Option<usize> {
    let mut total = m.anchor;
    for (c, class) in g.colors().iter().enumerate() {
        total = total.checked_add((class.len() + 1).checked_mul(m.tangents[c])?)?;
    }
    total
        .checked_add(g.num_vertices())?
        .checked_add(non_edges(g))
}

/// Refuse a graph whose core construction exceeds [`MAX_POINTS`] points or
/// [`MAX_NUMBERS`] numbers (before anything is built).
pub fn check_size(g: &Mcc, m: &Multiplicities, extra_points: usize) -> Result<usize> {
    let d = dimension(g.kappa());
    let n = core_size(g, m)
        .and_then(|n| n.checked_add(extra_points))
        .filter(|&n| n <= MAX_POINTS)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "the graph (kappa = {}, {} vertices, {} non-edges between classes) gives more \
                 than {MAX_POINTS} points, the limit of a reduction",
                g.kappa(),
                g.num_vertices(),
                non_edges(g)
            ))
        })?;
    if n.checked_mul(d + 2).is_none_or(|x| x > MAX_NUMBERS) {
        return Err(Error::Invalid(format!(
            "{n} points of dimension {} exceed the limit of {MAX_NUMBERS} numbers",
            d + 1
        )));
    }
    Ok(n)
}

fn coords(d: usize, entries: &[(usize, i64)]) -> Vec<Rational> {
    let mut x = vec![Rational::ZERO; d];
    for &(i, v) in entries {
        x[i] = int(v);
    }
    x
}

/// The points of the core construction with their tags, in instance order: anchor copies,
/// tangents (class by class, `k` ascending, copies together), selections (class by class),
/// non-edges (`c < c'`, then ranks).
pub fn core_points(g: &Mcc, m: &Multiplicities) -> Vec<(CoreTag, Point)> {
    let d = dimension(g.kappa());
    let s = |c: usize| 1 + 2 * c;
    let t = |c: usize| 2 + 2 * c;
    let mut out = Vec::new();
    for _ in 0..m.anchor {
        out.push((CoreTag::Anchor, Point::new(vec![Rational::ZERO; d], int(1))));
    }
    for (c, class) in g.colors().iter().enumerate() {
        for k in 0..=class.len() {
            let odd = 2 * k as i64 + 1;
            let x = coords(
                d,
                &[
                    (0, -odd * odd),
                    (s(c), TANGENT_SCALE * odd),
                    (t(c), -TANGENT_SCALE),
                ],
            );
            for _ in 0..m.tangents[c] {
                out.push((
                    CoreTag::Tangent { class: c, k },
                    Point::new(x.clone(), int(0)),
                ));
            }
        }
    }
    for (c, class) in g.colors().iter().enumerate() {
        for i in 1..=class.len() as i64 {
            let x = coords(
                d,
                &[
                    (0, -SELECTION_SCALE * i * i),
                    (s(c), 2 * SELECTION_SCALE * i),
                    (t(c), -SELECTION_SCALE),
                ],
            );
            out.push((
                CoreTag::Selection {
                    class: c,
                    rank: i as usize,
                },
                Point::new(x, int(1)),
            ));
        }
    }
    let half = SELECTION_SCALE / 2;
    for c in 0..g.kappa() {
        for c2 in c + 1..g.kappa() {
            for (i0, &u) in g.colors()[c].iter().enumerate() {
                for (j0, &v) in g.colors()[c2].iter().enumerate() {
                    if g.adjacent(u, v) {
                        continue;
                    }
                    let (i, j) = (i0 as i64 + 1, j0 as i64 + 1);
                    let x = coords(
                        d,
                        &[
                            (0, -half * (i * i + j * j)),
                            (s(c), 2 * half * i),
                            (t(c), -half),
                            (s(c2), 2 * half * j),
                            (t(c2), -half),
                        ],
                    );
                    out.push((
                        CoreTag::NonEdge {
                            class: c,
                            rank: i as usize,
                            other: c2,
                            other_rank: j as usize,
                        },
                        Point::new(x, int(0)),
                    ));
                }
            }
        }
    }
    out
}

/// The canonical neuron of the clique with ranks `ranks` (one per class, 1-based): `b = 1`,
/// `u = 1`, `s_c = nu_c`, `t_c = nu_c^2`, `a = 1` (module docs).
pub fn canonical_neuron(ranks: &[usize]) -> Neuron {
    let mut w = vec![Rational::ONE];
    for &r in ranks {
        let r = r as i64;
        w.push(int(r));
        w.push(int(r * r));
    }
    Neuron::new(w, Rational::ONE, Rational::ONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::evaluate;

    #[test]
    fn canonical_values_are_zero_or_one_and_midpoints_are_midpoints() {
        let g = Mcc::new(
            vec![vec![1, 2, 3], vec![4, 5]],
            vec![[1, 4], [2, 5], [3, 4]],
        )
        .unwrap();
        let m = multiplicities(&g, 2).unwrap();
        assert_eq!(m.anchor, 3 * 9 + 1);
        assert_eq!(m.tangents, vec![19, 10]);
        let pts = core_points(&g, &m);
        assert_eq!(Some(pts.len()), core_size(&g, &m));
        assert_eq!(non_edges(&g), 3);
        let neuron = canonical_neuron(&[1, 1]);
        let net = crate::model::Network::new(crate::model::Activation::Relu, vec![neuron]);
        let xs: Vec<&[Rational]> = pts.iter().map(|(_, p)| p.x.as_slice()).collect();
        let values = evaluate(&net, &xs).values;
        let mut misfits = 0;
        for ((tag, p), v) in pts.iter().zip(&values) {
            assert!(*v == int(0) || *v == int(1), "{tag}: {v}");
            if *v != p.y {
                misfits += 1;
                assert!(matches!(tag, CoreTag::Selection { .. }), "{tag}");
            }
        }
        assert_eq!(misfits, gamma(&g));
        let sel = |c: usize, r: usize| {
            pts.iter()
                .find(|(t, _)| *t == CoreTag::Selection { class: c, rank: r })
                .unwrap()
                .1
                .x
                .clone()
        };
        for (tag, p) in &pts {
            if let CoreTag::NonEdge {
                class,
                rank,
                other,
                other_rank,
            } = *tag
            {
                let (a, b) = (sel(class, rank), sel(other, other_rank));
                let mid: Vec<Rational> = a.iter().zip(&b).map(|(x, y)| (x + y) / int(2)).collect();
                assert_eq!(mid, p.x);
            }
        }
    }
}
