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
//! general position the count equals Cover's `2 * sum_{i=0..d} C(n-1, i)`, which bounds it
//! for any points ([`cover_count`]).
//!
//! [`dichotomies_within`] honours run-time limits: the time limit and cancellation are
//! checked between candidate hyperplanes, and so is the memory of the dichotomies found so
//! far ([`dichotomy_bytes`]; Cover's bound would refuse instances whose points are far from
//! general position, which have far fewer dichotomies).

use super::affine::affine_hull;
use crate::limits::{RunLimits, Stopped};
use crate::linalg::null_vector;
use crate::num::{common_denominator, Int, Natural, Rational};
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;

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
/// by their member lists. Repeated points are always on the same side. No limits: see
/// [`dichotomies_within`].
pub fn dichotomies(points: &[&[Rational]]) -> Vec<Dichotomy> {
    let Ok(found) = enumerate(points, &mut |_, _| Ok::<(), Infallible>(()));
    found
}

/// Bytes one dichotomy of `members` points in dimension `d` takes while the dichotomies are
/// enumerated (its member list held twice, in the memo and in the result, and a witness of
/// `d + 1` rationals): the unit of the memory accounting of [`dichotomies_within`].
pub fn dichotomy_bytes(members: usize, d: usize) -> u64 {
    (2 * 8 * members as u64) + 64 * (d as u64 + 1) + 128
}

/// [`dichotomies`] under run-time limits: `Err` if the time limit passes or the run is
/// cancelled while enumerating, or once the dichotomies found so far
/// ([`dichotomy_bytes`] each) would exceed the memory budget. Checked every 64 candidate
/// hyperplanes: between two checks the count can pass the budget by the dichotomies those
/// candidates add (each up to twice the dichotomies of the points on its hyperplane).
/// `progress` is called at every check with the number of top-level candidate hyperplanes
/// examined so far ([`candidate_count`] in all).
pub fn dichotomies_within(
    points: &[&[Rational]],
    limits: &RunLimits,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Dichotomy>, Stopped> {
    let (n, d) = (points.len(), points.first().map_or(0, |p| p.len()));
    enumerate(points, &mut |held, examined| {
        progress(examined);
        limits.reserve(
            || format!("the dichotomies of {n} points in dimension {d} found so far"),
            held,
        )?;
        limits.check()
    })
}

/// The number of candidate hyperplanes of `n` points in dimension `d` at the top level of
/// the enumeration (`C(n, d)`, hyperplanes through `d` points), for progress reports.
pub fn candidate_count(n: usize, d: usize) -> u64 {
    let (n, d) = (n as u128, d.min(n) as u128);
    let mut c: u128 = 1;
    for i in 0..d {
        c = c.saturating_mul(n - i) / (i + 1);
    }
    u64::try_from(c).unwrap_or(u64::MAX)
}

/// All dichotomies; `check` is called every 64 candidate hyperplanes with the bytes held so
/// far ([`dichotomy_bytes`] per dichotomy found) and the top-level candidates examined so
/// far (of [`candidate_count`]), and ends the enumeration when it fails.
fn enumerate<E>(
    points: &[&[Rational]],
    check: &mut dyn FnMut(u64, u64) -> Result<(), E>,
) -> Result<Vec<Dichotomy>, E> {
    if points.is_empty() {
        return Ok(vec![Dichotomy {
            inside: vec![],
            w: vec![],
            b: -Rational::ONE,
        }]);
    }
    let idx: Vec<usize> = (0..points.len()).collect();
    let mut found = Enumerator {
        points,
        d: points[0].len(),
        memo: HashMap::new(),
        check,
        steps: 0,
        held: 0,
        top_examined: 0,
    }
    .run(&idx)?;
    found.sort_by(|a, b| a.inside.cmp(&b.inside));
    Ok(found)
}

struct Enumerator<'a, E> {
    points: &'a [&'a [Rational]],
    d: usize,
    memo: HashMap<Vec<usize>, Vec<Dichotomy>>,
    check: &'a mut dyn FnMut(u64, u64) -> Result<(), E>,
    /// Candidate hyperplanes since the last check.
    steps: u32,
    /// Candidate hyperplanes of the top level (through points of the whole set) examined.
    top_examined: u64,
    /// Bytes of the dichotomies found so far ([`dichotomy_bytes`]).
    held: u64,
}

impl<E> Enumerator<'_, E> {
    fn run(&mut self, idx: &[usize]) -> Result<Vec<Dichotomy>, E> {
        if let Some(done) = self.memo.get(idx) {
            return Ok(done.clone());
        }
        let result = self.compute(idx)?;
        self.memo.insert(idx.to_vec(), result.clone());
        Ok(result)
    }

    /// Check every 64 candidate hyperplanes (each costs `O(n)` exact products).
    fn tick(&mut self) -> Result<(), E> {
        self.steps += 1;
        if self.steps >= 64 {
            self.steps = 0;
            (self.check)(self.held, self.top_examined)?;
        }
        Ok(())
    }

    fn compute(&mut self, idx: &[usize]) -> Result<Vec<Dichotomy>, E> {
        let pts: Vec<&[Rational]> = idx.iter().map(|&i| self.points[i]).collect();
        let hull = affine_hull(&pts);
        let e = hull.dim;
        if e == 0 {
            return Ok(vec![
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
            ]);
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
        let top = idx.len() == self.points.len();
        for_each_subset(distinct.len(), e, &mut chosen, &mut |subset| {
            if top {
                self.top_examined += 1;
            }
            self.tick()?;
            let rows: Vec<&Vec<Rational>> = subset.iter().map(|&s| distinct[s]).collect();
            let Some(r) = null_vector(rows.iter().map(|r| r.to_vec()).collect(), e + 1) else {
                return Ok(());
            };
            let key = primitive(&r);
            if !seen_planes.insert(key) {
                return Ok(());
            }
            let s: Vec<Rational> = hom.iter().map(|h| dot(&r, h)).collect();
            let on: Vec<usize> = (0..idx.len())
                .filter(|&t| s[t] == Rational::ZERO)
                .map(|t| idx[t])
                .collect();
            let subs = self.run(&on)?;
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
                    self.held = self
                        .held
                        .saturating_add(dichotomy_bytes(inside.len(), self.d));
                    out.insert(inside, (w, b));
                }
            }
            Ok(())
        })?;
        Ok(out
            .into_iter()
            .map(|(inside, (w, b))| Dichotomy { inside, w, b })
            .collect())
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

/// Call `f` on every `k`-subset of `0..n` (as ascending indices), until `f` fails.
fn for_each_subset<E>(
    n: usize,
    k: usize,
    chosen: &mut Vec<usize>,
    f: &mut impl FnMut(&[usize]) -> Result<(), E>,
) -> Result<(), E> {
    if chosen.len() == k {
        return f(chosen);
    }
    let start = chosen.last().map_or(0, |&l| l + 1);
    let remaining = k - chosen.len();
    for i in start..n.saturating_sub(remaining - 1) {
        chosen.push(i);
        for_each_subset(n, k, chosen, f)?;
        chosen.pop();
    }
    Ok(())
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
