//! The selection gadget and the levee of Section 3 (Definition 2, Observation 3, Lemma 4).
//!
//! A selection gadget with centre `z`, slopes `s_1 < ... < s_l` and a global `epsilon <=
//! min(1/(3|s_1|), 1/(3|s_l|))` consists of `13 + 9 + 9 + 2(l - 1)` data points: 13 on the
//! line `h_0` (`x_1 = 0`), 9 each on `h_{-eps}` and `h_{+eps}`, and the pairs `q_i^-`, `q_i^+`
//! between consecutive slopes. By Lemma 4 the only functions with four breaklines that fit
//! them are the levees `f_{s_i}(x_1, x_2 - z)`.

use crate::model::{Activation, Instance, Loss, Neuron, Point};
use crate::num::{int, ratio, Rational};

/// Where a gadget point sits, so that plots can draw the parts of the gadget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GadgetPointRole {
    /// One of the 13 points on `h_0` (`x_1 = 0`).
    H0,
    /// One of the 9 points on `h_{-eps}` (`x_1 = -epsilon`).
    HMinusEps,
    /// One of the 9 points on `h_{+eps}` (`x_1 = +epsilon`).
    HPlusEps,
    /// `q_i^-` for slopes `s_i, s_{i+1}` (`i` 1-based), label 0.
    QMinus(usize),
    /// `q_i^+` for slopes `s_i, s_{i+1}` (`i` 1-based), label 0.
    QPlus(usize),
}

impl GadgetPointRole {
    /// The role's name in files and plots: `h0`, `h-eps`, `h+eps`, `q-minus`, `q-plus`.
    pub fn name(&self) -> &'static str {
        match self {
            GadgetPointRole::H0 => "h0",
            GadgetPointRole::HMinusEps => "h-eps",
            GadgetPointRole::HPlusEps => "h+eps",
            GadgetPointRole::QMinus(_) => "q-minus",
            GadgetPointRole::QPlus(_) => "q-plus",
        }
    }
}

/// One data point of a selection gadget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GadgetPoint {
    /// Which part of the gadget it belongs to.
    pub role: GadgetPointRole,
    /// The input `(x_1, x_2)`.
    pub x: [Rational; 2],
    /// The label.
    pub y: Rational,
}

/// The `x_2`-offsets and labels of the 13 points on `h_0` (Section 3, first table).
pub fn h0_profile() -> Vec<(Rational, Rational)> {
    vec![
        (int(-4), int(0)),
        (int(-3), int(0)),
        (int(-2), int(0)),
        (ratio(-5, 3), ratio(1, 3)),
        (ratio(-4, 3), ratio(2, 3)),
        (int(-1), int(1)),
        (int(0), int(1)),
        (int(1), int(1)),
        (ratio(4, 3), ratio(2, 3)),
        (ratio(5, 3), ratio(1, 3)),
        (int(2), int(0)),
        (int(3), int(0)),
        (int(4), int(0)),
    ]
}

/// The data points of the selection gadget with centre `(0, centre)`, strictly increasing
/// `slopes` (at least one) and the given `epsilon` (Section 3, "Selection Gadget").
///
/// Order: `h_0` bottom to top, `h_{-eps}` bottom to top, `h_{+eps}` bottom to top, then
/// `q_1^-, q_1^+, q_2^-, q_2^+, ...`.
///
/// # Panics
/// If `slopes` is empty or not strictly increasing (a programming error).
pub fn selection_gadget(
    centre: &Rational,
    slopes: &[Rational],
    epsilon: &Rational,
) -> Vec<GadgetPoint> {
    assert!(!slopes.is_empty(), "a selection gadget needs a slope");
    assert!(
        slopes.windows(2).all(|w| w[0] < w[1]),
        "gadget slopes must increase strictly"
    );
    let s1 = &slopes[0];
    let sl = &slopes[slopes.len() - 1];
    let e_s1 = epsilon * s1;
    let e_sl = epsilon * sl;
    let zero = int(0);
    let one = int(1);
    let mut out = Vec::with_capacity(31 + 2 * (slopes.len() - 1));
    let mut push = |role, x1: Rational, dx2: Rational, y: &Rational| {
        out.push(GadgetPoint {
            role,
            x: [x1, centre + dx2],
            y: y.clone(),
        })
    };
    for (dx2, y) in h0_profile() {
        push(GadgetPointRole::H0, int(0), dx2, &y);
    }
    // h_{-eps}: -4 - e s_l, -3 - e s_l, -2 - e s_l | -1 - e s_1, 0, 1 - e s_l | 2 - e s_1, ...
    let minus: [(Rational, &Rational); 9] = [
        (int(-4) - &e_sl, &zero),
        (int(-3) - &e_sl, &zero),
        (int(-2) - &e_sl, &zero),
        (int(-1) - &e_s1, &one),
        (int(0), &one),
        (int(1) - &e_sl, &one),
        (int(2) - &e_s1, &zero),
        (int(3) - &e_s1, &zero),
        (int(4) - &e_s1, &zero),
    ];
    for (dx2, y) in minus {
        push(GadgetPointRole::HMinusEps, -epsilon.clone(), dx2, y);
    }
    // h_{+eps}: -4 + e s_1, -3 + e s_1, -2 + e s_1 | -1 + e s_l, 0, 1 + e s_1 | 2 + e s_l, ...
    let plus: [(Rational, &Rational); 9] = [
        (int(-4) + &e_s1, &zero),
        (int(-3) + &e_s1, &zero),
        (int(-2) + &e_s1, &zero),
        (int(-1) + &e_sl, &one),
        (int(0), &one),
        (int(1) + &e_s1, &one),
        (int(2) + &e_sl, &zero),
        (int(3) + &e_sl, &zero),
        (int(4) + &e_sl, &zero),
    ];
    for (dx2, y) in plus {
        push(GadgetPointRole::HPlusEps, epsilon.clone(), dx2, y);
    }
    for (i, w) in slopes.windows(2).enumerate() {
        let gap = &w[1] - &w[0];
        let qx = int(4) / &gap;
        let qy = int(2) * (&w[0] + &w[1]) / &gap;
        push(
            GadgetPointRole::QMinus(i + 1),
            -qx.clone(),
            -qy.clone(),
            &zero,
        );
        push(GadgetPointRole::QPlus(i + 1), qx, qy, &zero);
    }
    out
}

/// The largest `epsilon` the selection gadget allows for `slopes`, at most 1:
/// `min(1/(3|s_1|), 1/(3|s_l|), 1)`, where a zero outer slope imposes nothing.
pub fn largest_epsilon(slopes: &[Rational]) -> Rational {
    let third = |s: &Rational| (*s != int(0)).then(|| int(1) / (int(3) * crate::num::abs(s)));
    [
        slopes.first().and_then(third),
        slopes.last().and_then(third),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(int(1))
    .min(int(1))
}

/// The selection gadget centred at the origin as a training instance: ReLU networks of
/// width `k`, `gamma = 0` (an exact fit), squared loss. By Lemma 4 it has a fit for
/// `k = 4` (the levees) and none for `k = 3`.
///
/// # Panics
/// As [`selection_gadget`].
pub fn selection_instance(slopes: &[Rational], epsilon: &Rational, k: usize) -> Instance {
    let points = selection_gadget(&int(0), slopes, epsilon)
        .into_iter()
        .map(|g| Point::new(g.x.to_vec(), g.y))
        .collect();
    Instance {
        activation: Activation::Relu,
        k,
        gamma: int(0),
        loss: Loss::Squared,
        lp: None,
        points,
        meta: serde_json::Value::Null,
    }
}

/// Number of points of a selection gadget with `l` slopes: `13 + 9 + 9 + 2(l - 1)`.
pub fn gadget_size(l: usize) -> usize {
    31 + 2 * (l - 1)
}

/// The levee `f_s(x_1, x_2 - z)` of Definition 2 evaluated directly from equation (1), with
/// `u = x_2 - z - s x_1`: 0 for `|u| >= 2`, 1 for `|u| <= 1`, `2 - |u|` in between.
pub fn levee_value(centre: &Rational, slope: &Rational, x: &[Rational; 2]) -> Rational {
    let u = &x[1] - centre - slope * &x[0];
    let au = crate::num::abs(&u);
    if au >= int(2) {
        int(0)
    } else if au <= int(1) {
        int(1)
    } else {
        int(2) - au
    }
}

/// The levee `f_s(x_1, x_2 - z)` as four ReLUs (Observation 3): with `u = x_2 - z - s x_1`,
/// `[u + 2]_+ - [u + 1]_+ - [u - 1]_+ + [u - 2]_+`, i.e. weights `w = (-s, 1)`, biases
/// `(2 - z, 1 - z, -1 - z, -2 - z)` and output weights `(+1, -1, -1, +1)`.
pub fn levee_neurons(centre: &Rational, slope: &Rational) -> [Neuron; 4] {
    let w = vec![-slope.clone(), int(1)];
    let n = |off: i64, a: i64| Neuron::new(w.clone(), int(off) - centre, int(a));
    [n(2, 1), n(1, -1), n(-1, -1), n(-2, 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_epsilon_is_a_third_of_the_inverse_outer_slopes_at_most_one() {
        assert_eq!(largest_epsilon(&[int(-1), int(0), int(1)]), ratio(1, 3));
        assert_eq!(largest_epsilon(&[ratio(1, 6), int(2)]), ratio(1, 6));
        assert_eq!(largest_epsilon(&[int(-4), int(0)]), ratio(1, 12));
        assert_eq!(largest_epsilon(&[int(0)]), int(1));
        assert_eq!(largest_epsilon(&[ratio(1, 10)]), int(1));
    }

    #[test]
    fn sizes() {
        let e = ratio(1, 3);
        assert_eq!(selection_gadget(&int(0), &[int(-1), int(1)], &e).len(), 33);
        assert_eq!(gadget_size(2), 33);
        let s = [int(-1), ratio(-5, 6), ratio(-2, 3)];
        assert_eq!(selection_gadget(&int(54), &s, &e).len(), 35);
        assert_eq!(gadget_size(3), 35);
    }

    #[test]
    fn every_levee_of_the_gadget_fits_it() {
        let e = ratio(1, 3);
        let slopes = [int(-1), ratio(-5, 6), ratio(-2, 3)];
        let z = int(54);
        for s in &slopes {
            for p in selection_gadget(&z, &slopes, &e) {
                assert_eq!(levee_value(&z, s, &p.x), p.y, "{:?} slope {s}", p);
            }
        }
    }

    #[test]
    fn four_relus_equal_definition_2() {
        use crate::model::{Activation, Network};
        let z = int(-54);
        let s = ratio(-5, 6);
        let net = Network::new(Activation::Relu, levee_neurons(&z, &s).to_vec());
        let pts = selection_gadget(&z, &[int(-1), s.clone(), int(1)], &ratio(1, 3));
        let xs: Vec<&[Rational]> = pts.iter().map(|p| p.x.as_slice()).collect();
        let vals = crate::verify::evaluate(&net, &xs).values;
        for (p, v) in pts.iter().zip(vals) {
            assert_eq!(v, levee_value(&z, &s, &p.x));
        }
    }

    #[test]
    fn a_slope_between_allowed_ones_misfits() {
        let e = ratio(1, 3);
        let slopes = [int(-1), int(1)];
        let pts = selection_gadget(&int(0), &slopes, &e);
        let bad = pts
            .iter()
            .filter(|p| levee_value(&int(0), &int(0), &p.x) != p.y)
            .count();
        assert!(bad > 0);
    }
}
