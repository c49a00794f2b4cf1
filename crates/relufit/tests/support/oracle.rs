//! An independent brute-force oracle for small instances: the least `abs` error
//! `sum_i |phi(x_i) - y_i|` over all networks of the instance's width and activation, for
//! every sign class, found by trying every leaf of the naive search tree.
//!
//! A leaf fixes, for each neuron `j`, the set `S_j` of points on which it is active (any of
//! the `2^n` subsets, realisable or not: no pruning) and, for ReLU, its output weight
//! `a_j in {+1, -1}` (every sign vector: no symmetry breaking; a zero output weight is the
//! same as `w_j = 0, b_j = 0`). What remains is one LP, solved by the generic certified
//! `relufit::lp::solve`:
//!
//! - ReLU: `w_j . x_i + b_j >= 0` for `i in S_j`, `<= 0` otherwise; then
//!   `phi(x_i) = sum_{j : i in S_j} a_j (w_j . x_i + b_j)` is linear, and
//!   `min sum_i t_i` with `t_i >= +-(phi(x_i) - y_i)` is the leaf's least error. (At
//!   `w_j . x_i + b_j = 0` both expressions of the ReLU are 0, so the non-strict pattern is
//!   exact.)
//! - Threshold: `w_j . x_i + b_j >= 1` for `i in S_j` (strictly positive, scaled), `<= 0`
//!   otherwise, and free output weights `a_j`: `phi(x_i) = sum_{j : i in S_j} a_j`.
//!
//! Every network attains its error at the leaf of its own patterns, and every leaf's LP
//! point is a network, so the least leaf value is the optimum. Each improving leaf's network
//! is rebuilt from the LP point and evaluated by the plain reference evaluator
//! ([`super::build::phi`]), which must give the LP's value: the oracle checks itself.
//!
//! Cost: `2^(n k)` leaves (ReLU: times `2^k` sign vectors), so small instances only.

use super::build::abs_error;
use relufit::lp::{self, Lp, LpAnswer, Sense};
use relufit::num::{int, Rational};
use relufit::solve::Signs;
use relufit::{Activation, Instance, Network, Neuron};

/// The least `abs` errors of width-`k` networks on an instance, per class of output signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Optima {
    /// Over all networks of width `k`.
    pub any: Rational,
    /// ReLU only: over networks with every `a_j >= 0` (convex `phi`, Theorem 11).
    pub convex: Option<Rational>,
    /// ReLU only: over networks with every `a_j <= 0` (concave `phi`).
    pub concave: Option<Rational>,
}

impl Optima {
    /// The optimum of a class (`None`: all networks).
    ///
    /// # Panics
    /// For a sign class of a threshold instance (the classes are ReLU's).
    pub fn of(&self, class: Option<Signs>) -> &Rational {
        match class {
            None => &self.any,
            Some(Signs::Convex) => self.convex.as_ref().expect("a ReLU instance"),
            Some(Signs::Concave) => self.concave.as_ref().expect("a ReLU instance"),
        }
    }
}

/// Largest `n k` the oracle accepts (ReLU: `2^(n k + k)` LPs).
pub const MAX_LEAF_BITS: usize = 12;

/// The brute-force [`Optima`] of `inst` (its `k`, activation and points; loss and `gamma`
/// are ignored: the oracle always minimises `abs`).
///
/// # Panics
/// If `n k` exceeds [`MAX_LEAF_BITS`], or an LP answer fails its certificate or disagrees
/// with the reference evaluation of its network.
pub fn optima(inst: &Instance) -> Optima {
    let (n, k) = (inst.len(), inst.k);
    assert!(
        n * k <= MAX_LEAF_BITS,
        "the oracle enumerates 2^(n k) leaves: n = {n}, k = {k} is too large"
    );
    let mut best = Best::default();
    for patterns in 0..1u64 << (n * k) {
        let member = |j: usize, i: usize| patterns >> (j * n + i) & 1 == 1;
        match inst.activation {
            Activation::Relu => {
                for signs in 0..1u32 << k {
                    let a: Vec<i64> = (0..k)
                        .map(|j| if signs >> j & 1 == 1 { -1 } else { 1 })
                        .collect();
                    if let Some(value) = leaf(inst, &member, Some(&a)) {
                        best.offer(&value, None);
                        if signs == 0 {
                            best.offer(&value, Some(Signs::Convex));
                        }
                        if signs == (1 << k) - 1 {
                            best.offer(&value, Some(Signs::Concave));
                        }
                    }
                }
            }
            Activation::Threshold => {
                if let Some(value) = leaf(inst, &member, None) {
                    best.offer(&value, None);
                }
            }
        }
    }
    let relu = inst.activation == Activation::Relu;
    Optima {
        any: best.any.expect("the zero network is a leaf"),
        convex: best.convex.filter(|_| relu),
        concave: best.concave.filter(|_| relu),
    }
}

#[derive(Default)]
struct Best {
    any: Option<Rational>,
    convex: Option<Rational>,
    concave: Option<Rational>,
}

impl Best {
    fn offer(&mut self, value: &Rational, class: Option<Signs>) {
        let slot = match class {
            None => &mut self.any,
            Some(Signs::Convex) => &mut self.convex,
            Some(Signs::Concave) => &mut self.concave,
        };
        if slot.as_ref().is_none_or(|b| value < b) {
            *slot = Some(value.clone());
        }
    }
}

/// The least `abs` error of one leaf (`None`: infeasible, a threshold pattern that no
/// hyperplane cuts out). `a`: ReLU output weights; `None` for threshold (free weights).
fn leaf(
    inst: &Instance,
    member: &dyn Fn(usize, usize) -> bool,
    a: Option<&[i64]>,
) -> Option<Rational> {
    let (n, k, d) = (inst.len(), inst.k, inst.dim());
    let block = d + 1;
    // Variables: (w_j, b_j) for each neuron, then the threshold output weights, then t_i.
    let outputs = if a.is_none() { k } else { 0 };
    let t0 = k * block + outputs;
    let mut lp = Lp::new(t0 + n);
    for (i, p) in inst.points.iter().enumerate() {
        let mut value = vec![Rational::ZERO; t0 + n];
        for j in 0..k {
            let mut row = vec![Rational::ZERO; t0 + n];
            row[j * block..j * block + d].clone_from_slice(&p.x);
            row[j * block + d] = int(1);
            let inside = member(j, i);
            match (a, inside) {
                (Some(a), true) => {
                    for (v, r) in value.iter_mut().zip(&row) {
                        *v += r * int(a[j]);
                    }
                }
                (None, true) => value[k * block + j] = int(1),
                _ => {}
            }
            let (sense, rhs) = match (a.is_some(), inside) {
                (_, false) => (Sense::Le, int(0)),
                (true, true) => (Sense::Ge, int(0)),
                (false, true) => (Sense::Ge, int(1)),
            };
            lp.push(row, sense, rhs);
        }
        // t_i >= phi(x_i) - y_i and t_i >= y_i - phi(x_i).
        let mut above: Vec<Rational> = value.iter().map(|v| -v).collect();
        above[t0 + i] = int(1);
        lp.push(above, Sense::Ge, -&p.y);
        let mut below = value;
        below[t0 + i] = int(1);
        lp.push(below, Sense::Ge, p.y.clone());
    }
    let mut objective = vec![Rational::ZERO; t0 + n];
    for c in &mut objective[t0..] {
        *c = int(1);
    }
    lp.minimize(objective);
    match lp::solve(&lp) {
        LpAnswer::Optimal { point, value, .. } => {
            let net = network(inst, &point, a);
            assert_eq!(
                abs_error(&net, inst),
                value,
                "the leaf LP's network does not attain its value"
            );
            Some(value)
        }
        LpAnswer::Infeasible { .. } if a.is_none() => None,
        other => panic!("leaf LP: unexpected answer {other:?}"),
    }
}

/// The network of an LP point of [`leaf`].
fn network(inst: &Instance, point: &[Rational], a: Option<&[i64]>) -> Network {
    let (k, d) = (inst.k, inst.dim());
    let block = d + 1;
    let neurons = (0..k)
        .map(|j| {
            let w = point[j * block..j * block + d].to_vec();
            let b = point[j * block + d].clone();
            let out = match a {
                Some(a) => int(a[j]),
                None => point[k * block + j].clone(),
            };
            Neuron::new(w, b, out)
        })
        .collect();
    Network::new(inst.activation, neurons)
}
