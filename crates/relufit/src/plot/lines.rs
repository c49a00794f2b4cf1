//! The breaklines of a network restricted to the plane `x_3 = ... = x_d = 0`, computed
//! exactly: neurons that induce the same line are grouped and the line is classified by the
//! exact sign of its combined kink (ReLU) or jump (threshold).
//!
//! For a ReLU neuron `a [w.x + b]_+`, the directional derivative jumps by `a |w|` when the
//! line `w.x + b = 0` is crossed in the direction of `w`; flipping the sign of `(w, b)`
//! changes the function only by an affine term, so the kink is the same. Grouping neurons
//! by their line, `phi` is convex along the line's normal iff `sum_j a_j |w_j| > 0`
//! (Observation 3 calls the levee's lines convex and concave in exactly this sense). For
//! threshold neurons `a 1{w.x + b > 0}` the value jumps by `a` when crossing in the
//! direction of `w`.

use crate::model::{Activation, Network};
use crate::num::{abs, signum, Rational};
use std::collections::hash_map::{Entry, HashMap};

/// How `phi` behaves across a breakline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// ReLU: the slope of `phi` across the line increases (convex kink).
    Convex,
    /// ReLU: the slope of `phi` across the line decreases (concave kink).
    Concave,
    /// Threshold: `phi` jumps up when the line is crossed along the normal `w` (see
    /// [`Breakline::w`], oriented to point "up": `w_2 > 0`, or `w_1 > 0` if `w_2 = 0`).
    JumpUp,
    /// Threshold: `phi` jumps down when crossed along the normal `w`.
    JumpDown,
    /// Neurons on this line cancel exactly: `phi` has no kink or jump there.
    Cancelled,
}

impl LineKind {
    /// Short name, used as the SVG class of the drawn line.
    pub fn name(self) -> &'static str {
        match self {
            LineKind::Convex => "convex",
            LineKind::Concave => "concave",
            LineKind::JumpUp => "jump-up",
            LineKind::JumpDown => "jump-down",
            LineKind::Cancelled => "cancelled",
        }
    }
}

/// One line `w_1 x_1 + w_2 x_2 + b = 0` in the plane, with the neurons that induce it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakline {
    /// Normalised normal: `(w_1 / w_2, 1)` if `w_2 != 0`, else `(1, 0)`.
    pub w: [Rational; 2],
    /// Bias, normalised with the same factor as `w`.
    pub b: Rational,
    /// The combined kink `sum_j a_j |c_j|` (ReLU) or jump `sum_j a_j sign(c_j)`
    /// (threshold), where `c_j` is the factor with `(w_j, b_j) = c_j (w, b)`. Its sign gives
    /// [`Breakline::kind`]; for ReLU the true kink is this times the length of `w`.
    pub strength: Rational,
    /// Convex / concave / jump up / jump down / cancelled.
    pub kind: LineKind,
    /// Indices of the neurons inducing this line, ascending.
    pub neurons: Vec<usize>,
}

/// The distinct breaklines of `net` in the plane of the first two coordinates (all other
/// coordinates zero), in order of first appearance. Neurons with `a = 0` or with
/// `(w_1, w_2) = 0` induce no line and are skipped; networks of input dimension below 2
/// give an empty list.
pub fn breaklines(net: &Network) -> Vec<Breakline> {
    let mut out: Vec<Breakline> = Vec::new();
    let mut index: HashMap<([Rational; 2], Rational), usize> = HashMap::new();
    for (j, n) in net.neurons.iter().enumerate() {
        if n.w.len() < 2 || signum(&n.a) == 0 {
            continue;
        }
        let (w1, w2) = (&n.w[0], &n.w[1]);
        let c = if signum(w2) != 0 {
            w2.clone()
        } else if signum(w1) != 0 {
            w1.clone()
        } else {
            continue;
        };
        let w = [w1 / &c, w2 / &c];
        let b = &n.b / &c;
        let contribution = match net.activation {
            Activation::Relu => &n.a * abs(&c),
            Activation::Threshold => &n.a * Rational::from(signum(&c)),
        };
        match index.entry((w, b)) {
            Entry::Occupied(e) => {
                let line = &mut out[*e.get()];
                line.strength += contribution;
                line.neurons.push(j);
            }
            Entry::Vacant(e) => {
                let (w, b) = e.key().clone();
                e.insert(out.len());
                out.push(Breakline {
                    w,
                    b,
                    strength: contribution,
                    kind: LineKind::Cancelled,
                    neurons: vec![j],
                });
            }
        }
    }
    for line in &mut out {
        line.kind = match (net.activation, signum(&line.strength)) {
            (_, 0) => LineKind::Cancelled,
            (Activation::Relu, 1) => LineKind::Convex,
            (Activation::Relu, _) => LineKind::Concave,
            (Activation::Threshold, 1) => LineKind::JumpUp,
            (Activation::Threshold, _) => LineKind::JumpDown,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Neuron;
    use crate::num::{int, ratio};

    #[test]
    fn opposite_orientations_share_a_line() {
        // [x2 - 1]_+ and -1/2 [-2 x2 + 2]_+ lie on x2 = 1; kinks 1*1 and (-1/2)*2 cancel.
        let net = Network::new(
            Activation::Relu,
            vec![
                Neuron::new(vec![int(0), int(1)], int(-1), int(1)),
                Neuron::new(vec![int(0), int(-2)], int(2), ratio(-1, 2)),
            ],
        );
        let lines = breaklines(&net);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].kind, LineKind::Cancelled);
        assert_eq!(lines[0].neurons, vec![0, 1]);
    }

    #[test]
    fn threshold_jumps_follow_the_normal() {
        // 1{x2 + 1 > 0} - 1{x2 - 1 > 0}: up at x2 = -1, down at x2 = 1.
        let net = Network::new(
            Activation::Threshold,
            vec![
                Neuron::new(vec![int(0), int(1)], int(1), int(1)),
                Neuron::new(vec![int(0), int(-1)], int(1), int(1)),
            ],
        );
        let lines = breaklines(&net);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].kind, LineKind::JumpUp);
        // 1{-x2 + 1 > 0} = 1{x2 < 1}: going up in x2 it jumps down.
        assert_eq!(lines[1].kind, LineKind::JumpDown);
        assert_eq!(lines[1].b, int(-1));
    }
}
