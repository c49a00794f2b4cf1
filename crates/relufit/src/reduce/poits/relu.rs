//! The Theorem 1 construction for ReLU networks in the plane: data points and the network of
//! equation (2).
//!
//! Points, in instance order: the selection gadget of every clause `C_1..C_m`, then of every
//! variable `v_1..v_n` (35 resp. 33 points each, see [`super::gadget::selection_gadget`]),
//! then the `3m` consistency points `p_{j,r}` (clause by clause, `r = 1..3`, label 1). In total
//! `38m + 33n` points; the width is `k = 4(m + n)`.
//!
//! The network of equation (2) has one levee per gadget (Observation 3, four ReLUs each), in
//! the same gadget order: for clause `j` the levee with slope `s_{r_j}` centred at `j*Delta`,
//! for variable `i` the levee with slope `-1` (true) or `+1` (false) centred at `-i*Delta`.

use super::gadget::{levee_neurons, selection_gadget};
use super::layout::{Layout, PointTag};
use super::reduction::Construction;
use crate::model::{Activation, Network, Point};
use crate::num::int;
use crate::sat::Assignment;

/// The name recorded in `meta.reduction` for the Theorem 1 construction.
pub(crate) const NAME: &str = "poits-theorem1";

/// The 2-D data points of the Theorem 1 instance with their tags (Section 3).
pub(crate) fn points(layout: &Layout) -> Vec<(PointTag, Point)> {
    let mut out = Vec::with_capacity(38 * layout.m + 33 * layout.n);
    for g in &layout.gadgets {
        for (index, p) in selection_gadget(&g.centre, &g.slopes, &layout.epsilon)
            .into_iter()
            .enumerate()
        {
            let tag = PointTag::Gadget {
                gadget: g.role,
                part: p.role.name(),
                index,
            };
            out.push((tag, Point::new(p.x.to_vec(), p.y)));
        }
    }
    for p in layout.p_points() {
        let tag = PointTag::Consistency {
            clause: p.clause,
            r: p.r,
            var: p.var,
        };
        out.push((tag, Point::new(p.x.to_vec(), int(1))));
    }
    out
}

/// The network of equation (2) in the plane for assignment `a` and literal choices
/// `choices[j - 1] = r_j` (each in `1..=3`): `4(m + n)` ReLUs, four per levee.
///
/// # Panics
/// If `a` has not `n` values or `choices` has not `m` entries in `1..=3` (callers check).
pub(crate) fn network(layout: &Layout, a: &Assignment, choices: &[usize]) -> Network {
    let mut neurons = Vec::with_capacity(layout.relu_width());
    for (g, slope) in layout.chosen_slopes(a, choices) {
        neurons.extend(levee_neurons(&g.centre, &slope));
    }
    Network::new(Activation::Relu, neurons)
}

/// The Theorem 1 construction as a [`Construction`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ReluConstruction;

impl Construction for ReluConstruction {
    fn name(&self) -> &'static str {
        NAME
    }

    fn activation(&self) -> Activation {
        Activation::Relu
    }

    fn width(&self, layout: &Layout) -> usize {
        layout.relu_width()
    }

    fn points(&self, layout: &Layout) -> Vec<(PointTag, Point)> {
        points(layout)
    }

    fn network(&self, layout: &Layout, a: &Assignment, choices: &[usize]) -> Network {
        network(layout, a, choices)
    }
}
