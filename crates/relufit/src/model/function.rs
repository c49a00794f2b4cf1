//! The function a ReLU network computes, in a canonical form: two networks compute the same
//! function on all of `R^d` exactly when their canonical forms are equal.
//!
//! Every ReLU term `a [w . x + b]_+` with `w != 0` is written over its hyperplane's
//! canonical orientation `u = (w, b) / |w_t|` (`t` the first non-zero entry of `w`, so
//! `u_t = +1`): `a [w . x + b]_+ = a |w_t| [u . (x, 1)]_+` when `w_t > 0`, and, by
//! `[-s]_+ = [s]_+ - s` (the paper's "flip": a levee and the network with all four neurons
//! negated inside compute the same function), `a |w_t| [u . (x, 1)]_+ - a |w_t| u . (x, 1)`
//! when `w_t < 0`. Terms with `w = 0` are constants. Summing per hyperplane gives
//! `phi(x) = sum_H beta_H [u_H . (x, 1)]_+ + A . x + B`; dropping `beta_H = 0`, this form is
//! unique because the functions `[u_H . (x, 1)]_+` of distinct hyperplanes and the affine
//! functions are linearly independent (each `[u_H . (x, 1)]_+` is non-differentiable exactly
//! on its own hyperplane). Neuron order, neurons split into parallel copies and flips all
//! disappear in it.

use super::{Activation, Network};
use crate::num::Rational;
use std::collections::BTreeMap;

/// The canonical form of a ReLU network's function (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CanonicalFunction {
    /// `(u_H, beta_H)` with `beta_H != 0`, sorted by `u_H`; `u_H` has `d + 1` entries
    /// (weights then offset) and its first non-zero weight is `1`.
    pub kinks: Vec<(Vec<Rational>, Rational)>,
    /// The affine part: `d` weights then the constant.
    pub affine: Vec<Rational>,
}

impl CanonicalFunction {
    /// The canonical form of `net` (ReLU networks only; `None` for threshold networks,
    /// whose functions also differ on the hyperplanes themselves).
    pub fn of(net: &Network) -> Option<CanonicalFunction> {
        if net.activation != Activation::Relu {
            return None;
        }
        let d = net.dim();
        let mut affine = vec![Rational::ZERO; d + 1];
        let mut kinks: BTreeMap<Vec<Rational>, Rational> = BTreeMap::new();
        for n in &net.neurons {
            if n.a == Rational::ZERO {
                continue;
            }
            let Some(t) = n.w.iter().position(|x| *x != Rational::ZERO) else {
                // a [b]_+ is a constant.
                if n.b > Rational::ZERO {
                    affine[d] += &n.a * &n.b;
                }
                continue;
            };
            let lambda = crate::num::abs(&n.w[t]);
            let u: Vec<Rational> =
                n.w.iter()
                    .chain(std::iter::once(&n.b))
                    .map(|v| v / &lambda)
                    .map(|v| if n.w[t] < Rational::ZERO { -v } else { v })
                    .collect();
            let beta = &n.a * &lambda;
            if n.w[t] < Rational::ZERO {
                // a [-lambda u]_+ = a lambda [u]_+ - a lambda u . (x, 1)
                for (acc, ui) in affine.iter_mut().zip(&u) {
                    *acc -= &beta * ui;
                }
            }
            *kinks.entry(u).or_insert(Rational::ZERO) += beta;
        }
        Some(CanonicalFunction {
            kinks: kinks
                .into_iter()
                .filter(|(_, b)| *b != Rational::ZERO)
                .collect(),
            affine,
        })
    }

    /// Number of distinct breaking hyperplanes (breaklines for `d = 2`).
    pub fn hyperplanes(&self) -> usize {
        self.kinks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Neuron;

    fn q(s: &str) -> Rational {
        crate::num::parse_rational(s).expect("number")
    }

    fn relu(ns: &[(&[&str], &str, &str)]) -> Network {
        Network::new(
            Activation::Relu,
            ns.iter()
                .map(|(w, b, a)| Neuron::new(w.iter().map(|s| q(s)).collect(), q(b), q(a)))
                .collect(),
        )
    }

    #[test]
    fn levee_and_its_flip_are_one_function() {
        // Observation 3 with s = 0 (u = x2), and every neuron negated inside.
        let levee = relu(&[
            (&["0", "1"], "2", "1"),
            (&["0", "1"], "1", "-1"),
            (&["0", "1"], "-1", "-1"),
            (&["0", "1"], "-2", "1"),
        ]);
        let flipped = relu(&[
            (&["0", "-1"], "-2", "1"),
            (&["0", "-1"], "-1", "-1"),
            (&["0", "-1"], "1", "-1"),
            (&["0", "-1"], "2", "1"),
        ]);
        let f = CanonicalFunction::of(&levee).expect("relu");
        assert_eq!(f, CanonicalFunction::of(&flipped).expect("relu"));
        assert_eq!(f.hyperplanes(), 4);
        assert!(f.affine.iter().all(|v| *v == Rational::ZERO));
        // A different slope is a different function.
        let other = relu(&[
            (&["-1", "1"], "2", "1"),
            (&["-1", "1"], "1", "-1"),
            (&["-1", "1"], "-1", "-1"),
            (&["-1", "1"], "-2", "1"),
        ]);
        assert_ne!(f, CanonicalFunction::of(&other).expect("relu"));
    }

    #[test]
    fn order_splits_and_scaling_disappear() {
        let a = relu(&[(&["2", "0"], "1", "1"), (&["0", "1"], "0", "-1")]);
        let b = relu(&[
            (&["0", "3"], "0", "-1/3"),
            (&["1", "0"], "1/2", "1"),
            (&["1", "0"], "1/2", "1"),
        ]);
        assert_eq!(CanonicalFunction::of(&a), CanonicalFunction::of(&b));
        // Two opposite neurons on one hyperplane sum to an affine function: no kink left.
        let lin = relu(&[(&["1"], "0", "1"), (&["-1"], "0", "-1")]);
        let f = CanonicalFunction::of(&lin).expect("relu");
        assert_eq!(f.hyperplanes(), 0);
        assert_eq!(f.affine, vec![q("1"), q("0")]);
    }
}
