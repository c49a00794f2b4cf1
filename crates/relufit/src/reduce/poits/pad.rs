//! Padding a POITS instance to any input dimension `d >= 2` and any target error
//! `gamma >= 0` (paper, Section 1, "Implications and Limitations").
//!
//! # Dimension
//!
//! Every input is extended by `d - 2` zeros. A network for the plane is lifted by appending
//! zero weights ([`crate::model::Network::padded_to`]); conversely a `d`-dimensional network
//! restricted to the plane `x_3 = ... = x_d = 0` is a 2-D network of the same width (its
//! weights on the first two coordinates), and it fits the padded points iff the restriction
//! fits the original ones. So decoding evaluates `phi` only at points of that plane.
//!
//! # Target error
//!
//! For `gamma > 0` we add *incompatible pairs*: two points with the same input, the origin
//! `0 in Q^d`, and different labels. The origin is not a data point of the construction (the
//! points on `h_0`, `h_{+-eps}` have `|x_2 - z| <= 4 + 1/3` with `|z| >= Delta >= 22`; the
//! `q` points of variable gadgets are `(+-2, z)`, those of clause gadgets have `x_1 = +-8m`;
//! every `p_{j,r}` has `x_1 > 0`; [`pad`] also checks it at run time) and every network of equation (2) is 0 there: every gadget centre `z` has
//! `|z| >= Delta > 2`, so `u = -z` is outside every levee (and every stripe of
//! Corollary 8, which is non-zero only for `|u| <= 1`). Moreover, *every* network that fits
//! the construction's points is of the form (2) (Lemma 5), hence 0 at the origin.
//!
//! The labels are chosen so that `phi(0) = 0` minimises the pairs' loss and the minimum is
//! exactly `gamma`:
//!
//! | loss       | pairs                                   | forced error of the pairs          |
//! |------------|-----------------------------------------|------------------------------------|
//! | squared    | `(+c_t, -c_t)`, `t = 1..T`              | `sum_t 2 c_t^2 + 2T phi(0)^2`, min `gamma` |
//! | abs        | one pair `(+gamma/2, -gamma/2)`         | `max(gamma, 2|phi(0)|)`, min `gamma` |
//! | max        | one pair `(+gamma, -gamma)`             | `gamma + |phi(0)|`, min `gamma`     |
//! | zero-one   | `gamma` pairs `(0, 1)` (integer gamma)  | at least 1 per pair                |
//!
//! For the squared loss `sqrt(gamma/2)` is irrational in general. Writing `gamma/2 = a/b` in
//! lowest terms, `gamma/2 = (ab)/b^2` and we write the integer `ab` as a sum of squares
//! `n_1^2 + ... + n_T^2` greedily (take the largest square that fits, repeat); then
//! `c_t = n_t / b` and `sum 2 c_t^2 = gamma` exactly. The remainder after a greedy step is at
//! most `2 sqrt(N)`, so `T` is tiny (a handful even for huge numbers). Labels `(0, c)` would
//! be wrong for the squared loss: that pair's minimum is `c^2/2` at `phi = c/2`.
//!
//! # Why the padded instance has error `<= gamma` iff the formula is satisfiable
//!
//! For the *additive* losses (squared, abs, zero-one) the total error is the construction's
//! error plus the pairs' error; the pairs contribute at least `gamma` whatever the network,
//! so error `<= gamma` forces the construction's error to be 0, i.e. an exact fit, which
//! exists iff the formula is satisfiable (Theorem 1); conversely the network of (2) for a
//! solution is 0 at the origin and fits the construction, so its error is exactly `gamma`.
//! The width stays `k = 4(m + n)`: the pairs need no neurons.
//!
//! For the **max loss** the padding is *not* an equivalence, and [`super::reduce`] refuses
//! `gamma > 0` with it ([`super::MAX_LOSS_REFUSAL`]). A solution still gives error exactly
//! `gamma`, but the converse is false: a network with max error `<= gamma` may leave
//! residuals up to `gamma` on the construction's points, which Lemmas 4 and 5 (stated for
//! exact fits) do not cover. Counterexample (kept as the test
//! `max_loss_padding_admits_a_network_for_an_unsatisfiable_formula` in
//! `tests/poits_relu.rs`): the formula `p cnf 4 4` / `1 2 3` / `1 2 4` / `1 3 4` / `2 3 4`
//! is unsatisfiable (with one true variable the clause of the other three has none, and any
//! two true variables share a clause), yet with `gamma = 1/3` the all-false canonical network
//! with every output weight multiplied by `2/3` has max error exactly `1/3` on the padded
//! instance, for ReLU and threshold alike (checked exactly by the test).
//! [`pad`] itself still builds max-loss pairs (the test needs them);
//! [`super::decode::decode`] insists on an exact fit of the construction's points.

use super::layout::PointTag;
use crate::error::{Error, Result};
use crate::model::{Loss, Point};
use crate::num::{int, Int, Natural, Rational};
use dashu_int::ops::SquareRootRem;

/// Largest `gamma` accepted for the zero-one loss (one pair of points per unit).
pub const MAX_ZERO_ONE_PAIRS: usize = 1_000_000;

/// The padding applied to an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Padding {
    /// Input dimension `d >= 2`.
    pub dim: usize,
    /// Target error `gamma >= 0`.
    pub gamma: Rational,
    /// The loss the pairs were chosen for.
    pub loss: Loss,
    /// Number of construction points (before the pairs).
    pub base_points: usize,
    /// The label pairs, all placed at the origin.
    pub pairs: Vec<[Rational; 2]>,
}

/// The label pairs whose minimal total loss is exactly `gamma` (see the module docs).
pub fn label_pairs(gamma: &Rational, loss: Loss) -> Result<Vec<[Rational; 2]>> {
    if *gamma < Rational::ZERO {
        return Err(Error::Invalid(format!("gamma must be >= 0, got {gamma}")));
    }
    if *gamma == Rational::ZERO {
        return Ok(Vec::new());
    }
    Ok(match loss {
        Loss::Squared => squared_pairs(gamma)
            .into_iter()
            .map(|c| [c.clone(), -c])
            .collect(),
        Loss::Abs => {
            let c = gamma / int(2);
            vec![[c.clone(), -c]]
        }
        Loss::Max => vec![[gamma.clone(), -gamma.clone()]],
        Loss::ZeroOne => {
            if gamma.denominator() != &Natural::ONE {
                return Err(Error::Invalid(format!(
                    "the zero-one loss counts misfit points, so gamma must be a whole number, got {gamma}"
                )));
            }
            let g = usize::try_from(gamma.numerator())
                .ok()
                .filter(|&g| g <= MAX_ZERO_ONE_PAIRS)
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "gamma = {gamma} would need that many padding pairs (at most {MAX_ZERO_ONE_PAIRS})"
                    ))
                })?;
            vec![[int(0), int(1)]; g]
        }
    })
}

/// Positive rationals `c_1..c_T` with `sum 2 c_t^2 = gamma` (`gamma > 0`), greedily.
fn squared_pairs(gamma: &Rational) -> Vec<Rational> {
    let half = gamma / int(2);
    let a: Natural = half.numerator().unsigned_abs_natural();
    let b: Natural = half.denominator().clone();
    let mut rest = &a * &b;
    let mut out = Vec::new();
    while rest != Natural::ZERO {
        let (root, rem) = rest.sqrt_rem();
        out.push(Rational::from_parts(Int::from(root), b.clone()));
        rest = rem;
    }
    out
}

trait UnsignedAbsNatural {
    fn unsigned_abs_natural(&self) -> Natural;
}

impl UnsignedAbsNatural for Int {
    fn unsigned_abs_natural(&self) -> Natural {
        use dashu_int::ops::UnsignedAbs;
        self.clone().unsigned_abs()
    }
}

/// The smallest possible loss of the pairs over all values `phi(0)`: exactly `gamma` for
/// pairs from [`label_pairs`] (for the max loss, the pairs' own maximum).
pub fn pairs_minimum(pairs: &[[Rational; 2]], loss: Loss) -> Rational {
    // phi(0) = 0 is a minimiser for every loss (module docs), so evaluate there.
    let zero = Rational::ZERO;
    let labels: Vec<Rational> = pairs.iter().flat_map(|p| p.iter().cloned()).collect();
    let values = vec![zero; labels.len()];
    crate::verify::training_error(loss, labels.iter(), &values)
}

/// Pad 2-D construction points (with their tags) to dimension `dim` and add the pairs for
/// `gamma` under `loss` at the origin.
pub fn pad(
    base: Vec<(PointTag, Point)>,
    dim: usize,
    gamma: &Rational,
    loss: Loss,
) -> Result<(Vec<(PointTag, Point)>, Padding)> {
    if dim < 2 {
        return Err(Error::Invalid(format!(
            "the POITS construction lives in the plane: the dimension must be at least 2, got {dim}"
        )));
    }
    let pairs = label_pairs(gamma, loss)?;
    let origin = vec![Rational::ZERO; dim];
    let base_points = base.len();
    let mut out: Vec<(PointTag, Point)> = base
        .into_iter()
        .map(|(tag, mut p)| {
            p.x.resize(dim, Rational::ZERO);
            (tag, p)
        })
        .collect();
    if !pairs.is_empty() {
        if let Some(i) = out.iter().position(|(_, p)| p.x == origin) {
            return Err(Error::Invalid(format!(
                "cannot pad: the origin is data point {i}; the padding pairs need a free location"
            )));
        }
    }
    for (t, pair) in pairs.iter().enumerate() {
        for (which, y) in pair.iter().enumerate() {
            out.push((
                PointTag::Padding { pair: t, which },
                Point::new(origin.clone(), y.clone()),
            ));
        }
    }
    Ok((
        out,
        Padding {
            dim,
            gamma: gamma.clone(),
            loss,
            base_points,
            pairs,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::ratio;

    #[test]
    fn squared_pairs_sum_exactly() {
        for g in [
            ratio(1, 3),
            ratio(2, 1),
            ratio(7, 5),
            ratio(123456789, 1000),
            ratio(1, 2),
        ] {
            let pairs = label_pairs(&g, Loss::Squared).unwrap();
            assert!(
                !pairs.is_empty() && pairs.len() <= 8,
                "{g}: {}",
                pairs.len()
            );
            assert_eq!(pairs_minimum(&pairs, Loss::Squared), g);
        }
        // gamma/2 a rational square: one pair.
        assert_eq!(label_pairs(&ratio(8, 9), Loss::Squared).unwrap().len(), 1);
    }

    #[test]
    fn other_losses() {
        let g = ratio(5, 7);
        for loss in [Loss::Abs, Loss::Max] {
            let pairs = label_pairs(&g, loss).unwrap();
            assert_eq!(pairs.len(), 1);
            assert_eq!(pairs_minimum(&pairs, loss), g);
        }
        assert!(label_pairs(&g, Loss::ZeroOne).is_err());
        let pairs = label_pairs(&int(3), Loss::ZeroOne).unwrap();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs_minimum(&pairs, Loss::ZeroOne), int(3));
        assert!(label_pairs(&int(-1), Loss::Abs).is_err());
        assert!(label_pairs(&int(0), Loss::Squared).unwrap().is_empty());
    }
}
