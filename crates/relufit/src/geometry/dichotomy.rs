//! All strict affine dichotomies of a finite point set, exactly.
//!
//! A *dichotomy* of points `x_1..x_n` in `Q^d` is a set `{i : w . x_i + b > 0}` for some
//! `(w, b)`. These are the activation patterns a single neuron can realise on the data; the
//! Arora et al. enumeration and its threshold analogue (Khalife and Basu) iterate over them.
//!
//! # Algorithm
//!
//! In parameter space `(w, b)` every point gives a hyperplane `x^_i . (w, b) = 0` with
//! `x^_i = (x_i, 1)`. A strict dichotomy is the plus-set of a *full-dimensional cell* of this
//! central arrangement (a parameter on a lower-dimensional face can be moved into the cell
//! where its zero signs become negative, by lowering `b`). After projecting the points onto
//! coordinates that parametrise their affine hull (dimension `e`), the arrangement is
//! essential, so every cell is a pointed cone and has an extreme ray `r`, which lies on `e`
//! hyperplanes with independent normals: `r` is a hyperplane through `e` affinely
//! independent data points. Near `r` the cells are exactly: the signs of `r` on the points
//! off that hyperplane, combined with any strict dichotomy of the points `O` on it (a cell of
//! the local arrangement, i.e. a dichotomy of `O` in its own hull, of dimension `< e`).
//! Hence
//!
//! `dich(X) = { pos(r) ∪ T : r hyperplane through e independent points (both orientations),
//! T in dich(O_r) }`
//!
//! with `dich` of a single (possibly repeated) point being `{∅, all}`. Every emitted set comes
//! with a witness `(w, b) = r + eps * v` (`v` the witness of `T`, `eps` small enough to keep
//! the signs off the hyperplane), so each dichotomy is certified by an exact `(w, b)`.
//!
//! The work is `O(n^e)` candidate hyperplanes (deduplicated, so degenerate inputs with many
//! points on a hyperplane are not slower) times `O(n)` sign evaluations. For points in
//! general position the count equals Cover's `2 * sum_{i=0..d} C(n-1, i)`.

use super::affine::affine_hull;
use crate::linalg::null_vector;
use crate::num::{common_denominator, Int, Natural, Rational};
use std::collections::{BTreeMap, HashMap};

/// One strict dichotomy with an exact witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dichotomy {
    /// Indices (into the input slice) of the points with `w . x + b > 0`, ascending.
    pub inside: Vec<usize>,
    /// Witness weights.
    pub w: Vec<Rational>,
    /// Witness bias.
    pub b: Rational,
}

/// Cover's count of dichotomies of `n` points in general position in `Q^d`:
/// `2 * sum_{i=0..d} C(n-1, i)` (`n^2 - n + 2` for `d = 2`).
pub fn cover_count(n: usize, d: usize) -> u128 {
    if n == 0 {
        return 1;
    }
    let mut total: u128 = 0;
    let mut c: u128 = 1; // C(n-1, i)
    for i in 0..=d.min(n - 1) {
        if i > 0 {
            c = c * (n - i) as u128 / i as u128;
        }
        total += c;
    }
    2 * total
}

/// All strict affine dichotomies of `points` (each of dimension `d`), with witnesses, sorted
/// by their member lists. Repeated points are always on the same side.
pub fn dichotomies(points: &[&[Rational]]) -> Vec<Dichotomy> {
    if points.is_empty() {
        return vec![Dichotomy {
            inside: vec![],
            w: vec![],
            b: -Rational::ONE,
        }];
    }
    let d = points[0].len();
    let idx: Vec<usize> = (0..points.len()).collect();
    let mut found = Enumerator {
        points,
        d,
        memo: HashMap::new(),
    }
    .run(&idx);
    found.sort_by(|a, b| a.inside.cmp(&b.inside));
    found
}

struct Enumerator<'a> {
    points: &'a [&'a [Rational]],
    d: usize,
    memo: HashMap<Vec<usize>, Vec<Dichotomy>>,
}

impl Enumerator<'_> {
    fn run(&mut self, idx: &[usize]) -> Vec<Dichotomy> {
        if let Some(done) = self.memo.get(idx) {
            return done.clone();
        }
        let result = self.compute(idx);
        self.memo.insert(idx.to_vec(), result.clone());
        result
    }

    fn compute(&mut self, idx: &[usize]) -> Vec<Dichotomy> {
        let pts: Vec<&[Rational]> = idx.iter().map(|&i| self.points[i]).collect();
        let hull = affine_hull(&pts);
        let e = hull.dim;
        if e == 0 {
            return vec![
                Dichotomy {
                    inside: vec![],
                    w: vec![Rational::ZERO; self.d],
                    b: -Rational::ONE,
                },
                Dichotomy {
                    inside: idx.to_vec(),
                    w: vec![Rational::ZERO; self.d],
                    b: Rational::ONE,
                },
            ];
        }
        // Homogeneous projected points (y_i, 1) in Q^{e+1}, and their distinct values.
        let hom: Vec<Vec<Rational>> = pts
            .iter()
            .map(|x| {
                hull.columns
                    .iter()
                    .map(|&c| x[c].clone())
                    .chain([Rational::ONE])
                    .collect()
            })
            .collect();
        let mut distinct: Vec<&Vec<Rational>> = hom.iter().collect();
        distinct.sort();
        distinct.dedup();
        let mut out: BTreeMap<Vec<usize>, (Vec<Rational>, Rational)> = BTreeMap::new();
        let mut seen_planes = std::collections::HashSet::new();
        let mut chosen = Vec::with_capacity(e);
        for_each_subset(distinct.len(), e, &mut chosen, &mut |subset| {
            let rows: Vec<&Vec<Rational>> = subset.iter().map(|&s| distinct[s]).collect();
            let Some(r) = null_vector(rows.iter().map(|r| r.to_vec()).collect(), e + 1) else {
                return;
            };
            let key = primitive(&r);
            if !seen_planes.insert(key) {
                return;
            }
            let s: Vec<Rational> = hom.iter().map(|h| dot(&r, h)).collect();
            let on: Vec<usize> = (0..idx.len())
                .filter(|&t| s[t] == Rational::ZERO)
                .map(|t| idx[t])
                .collect();
            let subs = self.run(&on);
            for sign in [Rational::ONE, -Rational::ONE] {
                let r_signed: Vec<Rational> = r.iter().map(|v| v * &sign).collect();
                let s_signed: Vec<Rational> = s.iter().map(|v| v * &sign).collect();
                let positive: Vec<usize> = (0..idx.len())
                    .filter(|&t| s_signed[t] > Rational::ZERO)
                    .map(|t| idx[t])
                    .collect();
                // r as an affine function on Q^d: weights on the hull columns, bias last.
                let mut rw = vec![Rational::ZERO; self.d];
                for (k, &c) in hull.columns.iter().enumerate() {
                    rw[c] = r_signed[k].clone();
                }
                let rb = r_signed[e].clone();
                for sub in &subs {
                    let mut inside: Vec<usize> =
                        positive.iter().chain(&sub.inside).copied().collect();
                    inside.sort_unstable();
                    if out.contains_key(&inside) {
                        continue;
                    }
                    let eps = self.safe_step(idx, &s_signed, sub);
                    let w: Vec<Rational> =
                        rw.iter().zip(&sub.w).map(|(a, v)| a + &eps * v).collect();
                    let b = &rb + &eps * &sub.b;
                    out.insert(inside, (w, b));
                }
            }
        });
        out.into_iter()
            .map(|(inside, (w, b))| Dichotomy { inside, w, b })
            .collect()
    }

    /// A step `eps > 0` with `sign(s_t + eps * v(x_t)) = sign(s_t)` wherever `s_t != 0`.
    fn safe_step(&self, idx: &[usize], s: &[Rational], sub: &Dichotomy) -> Rational {
        let mut eps = Rational::ONE;
        for (t, &i) in idx.iter().enumerate() {
            if s[t] == Rational::ZERO {
                continue;
            }
            let v = sub
                .w
                .iter()
                .zip(self.points[i])
                .fold(sub.b.clone(), |acc, (a, x)| acc + a * x);
            if v != Rational::ZERO {
                let bound = crate::num::abs(&s[t]) / (crate::num::abs(&v) * Rational::from(2));
                if bound < eps {
                    eps = bound;
                }
            }
        }
        eps
    }
}

/// Call `f` on every `k`-subset of `0..n` (as ascending indices).
fn for_each_subset(n: usize, k: usize, chosen: &mut Vec<usize>, f: &mut impl FnMut(&[usize])) {
    if chosen.len() == k {
        f(chosen);
        return;
    }
    let start = chosen.last().map_or(0, |&l| l + 1);
    let remaining = k - chosen.len();
    for i in start..n.saturating_sub(remaining - 1) {
        chosen.push(i);
        for_each_subset(n, k, chosen, f);
        chosen.pop();
    }
}

fn dot(a: &[Rational], b: &[Rational]) -> Rational {
    a.iter()
        .zip(b)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}

/// The primitive integer vector on the same line as `r` (sign normalised): a hashable key
/// identifying a hyperplane.
fn primitive(r: &[Rational]) -> Vec<Int> {
    use dashu_int::ops::{Gcd, UnsignedAbs};
    let lcm = common_denominator(r);
    let ints: Vec<Int> = r
        .iter()
        .map(|v| v.numerator() * Int::from(&lcm / v.denominator()))
        .collect();
    let mut g = Natural::ZERO;
    for v in ints.iter().filter(|v| **v != Int::ZERO) {
        g = if g == Natural::ZERO {
            v.unsigned_abs()
        } else {
            (&g).gcd(&v.unsigned_abs())
        };
    }
    let first_negative = ints
        .iter()
        .find(|v| **v != Int::ZERO)
        .is_some_and(|v| *v < Int::ZERO);
    let g = Int::from(g);
    ints.into_iter()
        .map(|v| if first_negative { -(v / &g) } else { v / &g })
        .collect()
}
