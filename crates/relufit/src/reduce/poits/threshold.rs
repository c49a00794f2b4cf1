//! Corollary 8: the threshold version of the Theorem 1 reduction, with *stripes* instead of
//! levees (Section 5). The paper only sketches it; the gadget and its correctness argument
//! are in `docs/corollary8-threshold.md`.
//!
//! A stripe with centre `z` and slope `s` is `1{u + 1 > 0} - 1{u - 1 > 0}` with
//! `u = x_2 - z - s x_1`: value 1 for `-1 < u <= 1`, else 0. It takes two threshold neurons,
//! so the instance has width `k = 2(m + n)`.
//!
//! The global layout (gadget centres `j*Delta` and `-i*Delta`, slopes, `epsilon`, the points
//! `p_{j,r}`) is the one of Theorem 1 ([`Layout`]). Each selection gadget with centre `z` and
//! slopes `s_1 < ... < s_l` (smallest gap `delta_g`) gets, with the arm length
//! `L = 3/delta_g` ([`arm_length`]) and the margin `eta` ([`margin`]):
//!
//! - on `x_1 = 0` (7 points): `z-4 -> 0`, `z-1-eta -> 0`, `z-1+eta -> 1`, `z -> 1`,
//!   `z+1-eta -> 1`, `z+1+eta -> 0`, `z+4 -> 0`;
//! - on `x_1 = t` for `t = -epsilon, +epsilon` (5 points each), with `lo`/`hi` the min/max of
//!   `t*s_1` and `t*s_l`: `z-1+lo-eta -> 0`, `z-1+hi+eta -> 1`, `z -> 1`, `z+1+lo-eta -> 1`,
//!   `z+1+hi+eta -> 0`;
//! - on `x_1 = t` for `t = -L, +L` (`2l` points each): for every allowed slope `s`,
//!   `z+t*s-1-eta -> 0` and `z+t*s+1+eta -> 0`.
//!
//! That is `17 + 4l` points per gadget and `32m + 25n` points in all.
//!
//! This module provides the points ([`points`]), the canonical network ([`network`]) and the
//! [`Construction`] ([`ThresholdConstruction`]); the shared [`super::reduce`] (with
//! `activation: threshold`), [`super::lift`] and [`super::decode()`] build the instance, lift a
//! solution and decode a fitting network (by probing `phi`, docs section 5).

use super::layout::{Gadget, Layout, PointTag};
use super::reduction::Construction;
use crate::model::{Activation, Network, Neuron, Point};
use crate::num::{int, Rational};
use crate::sat::Assignment;

/// The name recorded in `meta.reduction` for the Corollary 8 construction.
pub const NAME: &str = "poits-corollary8";

/// The arm length `L = 3/delta_g` of a gadget, `delta_g` its smallest slope gap: the
/// distance from the `x_2`-axis of the lines carrying the slope-pinning points. For a single
/// slope (not used by the reduction) it is 1.
pub fn arm_length(g: &Gadget) -> Rational {
    let gap = g.slopes.windows(2).map(|w| &w[1] - &w[0]).min();
    match gap {
        Some(d) => int(3) / d,
        None => Rational::ONE,
    }
}

/// The largest `|x_1|` of any point `p_{j,r}`: `X = Delta * (n + m)` (as `1 - s_r >= 1`).
pub fn x_bound(layout: &Layout) -> Rational {
    &layout.big_delta * int((layout.n + layout.m) as i64)
}

/// The margin `eta = 1 / (4 (1 + 2X / L_min))` of the gadget windows, with `X` from
/// [`x_bound`] and `L_min` the smallest [`arm_length`]. It makes every stripe line of a
/// fitting network deviate by at most 1/4 from its canonical position for `|x_1| <= X`
/// (docs/corollary8-threshold.md, section 4, step 7).
pub fn margin(layout: &Layout) -> Rational {
    let l_min = layout
        .gadgets
        .iter()
        .map(arm_length)
        .min()
        .unwrap_or(Rational::ONE);
    let x = x_bound(layout);
    Rational::ONE / (int(4) * (Rational::ONE + int(2) * x / l_min))
}

/// Width `k = 2(m + n)` of the Corollary 8 instance (two threshold neurons per stripe).
pub fn width(layout: &Layout) -> usize {
    2 * (layout.m + layout.n)
}

/// One gadget point: which part of the gadget it belongs to (used as the
/// [`PointTag::Gadget`] part), its input and its label.
fn gp(part: &'static str, x1: &Rational, x2: Rational, y: i64) -> (&'static str, Point) {
    (part, Point::new(vec![x1.clone(), x2], int(y)))
}

/// The `17 + 4l` points of one stripe selection gadget (see the module documentation), in
/// order: 7 on `x_1 = 0`, 5 on `x_1 = -epsilon`, 5 on `x_1 = +epsilon`, `2l` on `x_1 = -L`,
/// `2l` on `x_1 = +L` (for each slope `s_r` in turn the point below, then the point above).
/// Each comes with a short description such as `x1=0: z-1-eta`.
pub fn gadget_points(g: &Gadget, epsilon: &Rational, eta: &Rational) -> Vec<(&'static str, Point)> {
    let z = &g.centre;
    let one = Rational::ONE;
    let zero = Rational::ZERO;
    let mut out = Vec::with_capacity(17 + 4 * g.slopes.len());
    // x1 = 0: the four window points pin one line per window (z-4, z, z+4 are redundant for
    // the argument but kept, see the doc).
    out.push(gp("x1=0: z-4", &zero, z - int(4), 0));
    out.push(gp("x1=0: z-1-eta", &zero, z - &one - eta, 0));
    out.push(gp("x1=0: z-1+eta", &zero, z - &one + eta, 1));
    out.push(gp("x1=0: z", &zero, z.clone(), 1));
    out.push(gp("x1=0: z+1-eta", &zero, z + &one - eta, 1));
    out.push(gp("x1=0: z+1+eta", &zero, z + &one + eta, 0));
    out.push(gp("x1=0: z+4", &zero, z + int(4), 0));
    let first = g.slopes.first().expect("a gadget has a slope");
    let last = g.slopes.last().expect("a gadget has a slope");
    let sides: [([&'static str; 5], Rational); 2] = [
        (
            [
                "x1=-eps: z-1+lo-eta",
                "x1=-eps: z-1+hi+eta",
                "x1=-eps: z",
                "x1=-eps: z+1+lo-eta",
                "x1=-eps: z+1+hi+eta",
            ],
            -epsilon.clone(),
        ),
        (
            [
                "x1=+eps: z-1+lo-eta",
                "x1=+eps: z-1+hi+eta",
                "x1=+eps: z",
                "x1=+eps: z+1+lo-eta",
                "x1=+eps: z+1+hi+eta",
            ],
            epsilon.clone(),
        ),
    ];
    for (names, t) in sides {
        let (a, b) = (&t * first, &t * last);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        out.push(gp(names[0], &t, z - &one + &lo - eta, 0));
        out.push(gp(names[1], &t, z - &one + &hi + eta, 1));
        out.push(gp(names[2], &t, z.clone(), 1));
        out.push(gp(names[3], &t, z + &one + &lo - eta, 1));
        out.push(gp(names[4], &t, z + &one + &hi + eta, 0));
    }
    let arm = arm_length(g);
    let arms: [([&'static str; 2], Rational); 2] = [
        (["x1=-L: z-L*s-1-eta", "x1=-L: z-L*s+1+eta"], -arm.clone()),
        (["x1=+L: z+L*s-1-eta", "x1=+L: z+L*s+1+eta"], arm),
    ];
    for (names, t) in arms {
        for s in &g.slopes {
            let centre = z + &t * s;
            out.push(gp(names[0], &t, &centre - &one - eta, 0));
            out.push(gp(names[1], &t, &centre + &one + eta, 0));
        }
    }
    out
}

/// All `32m + 25n` points of the Corollary 8 instance in the plane with their tags: the
/// gadgets in layout order (clauses, then variables), then the consistency points `p_{j,r}`
/// (label 1), clause by clause.
pub fn points(layout: &Layout) -> Vec<(PointTag, Point)> {
    let eta = margin(layout);
    let mut out = Vec::with_capacity(32 * layout.m + 25 * layout.n);
    for g in &layout.gadgets {
        for (index, (part, p)) in gadget_points(g, &layout.epsilon, &eta)
            .into_iter()
            .enumerate()
        {
            let tag = PointTag::Gadget {
                gadget: g.role,
                part,
                index,
            };
            out.push((tag, p));
        }
    }
    for p in layout.p_points() {
        let tag = PointTag::Consistency {
            clause: p.clause,
            r: p.r,
            var: p.var,
        };
        out.push((tag, Point::new(p.x.to_vec(), Rational::ONE)));
    }
    out
}

/// The two threshold neurons of the stripe with centre `z` and slope `s`:
/// `w = (-s, 1)`, `b = 1 - z`, `a = +1` and `w = (-s, 1)`, `b = -1 - z`, `a = -1`.
pub fn stripe_neurons(centre: &Rational, slope: &Rational) -> [Neuron; 2] {
    let w = vec![-slope.clone(), Rational::ONE];
    [
        Neuron::new(w.clone(), Rational::ONE - centre, Rational::ONE),
        Neuron::new(w, -Rational::ONE - centre, -Rational::ONE),
    ]
}

/// The stripe's value at `x`: 1 if `-1 < x_2 - z - s x_1 <= 1`, else 0 (what
/// [`stripe_neurons`] compute).
pub fn stripe_value(centre: &Rational, slope: &Rational, x: &[Rational; 2]) -> Rational {
    let u = &x[1] - centre - slope * &x[0];
    if u > -Rational::ONE && u <= Rational::ONE {
        Rational::ONE
    } else {
        Rational::ZERO
    }
}

/// The canonical network in the plane (the analogue of equation (2)) for assignment `a` and
/// literal choices `choices[j - 1] = r_j` in `1..=3`: one stripe per gadget in layout order,
/// `2(m + n)` threshold neurons. It fits the construction's points iff `a` is a 1-in-3
/// solution and the choices are its true literals (docs/corollary8-threshold.md,
/// Proposition A).
///
/// # Panics
/// If `a` has not `n` values or `choices` has not `m` entries in `1..=3` (callers check).
pub fn network(layout: &Layout, a: &Assignment, choices: &[usize]) -> Network {
    let mut neurons = Vec::with_capacity(width(layout));
    for (g, slope) in layout.chosen_slopes(a, choices) {
        neurons.extend(stripe_neurons(&g.centre, &slope));
    }
    Network::new(Activation::Threshold, neurons)
}

/// The Corollary 8 construction as a [`Construction`]. Decoding uses the default (the
/// Theorem 1 probe points), which is valid for every fitting threshold network of width
/// `<= 2(m + n)` by docs/corollary8-threshold.md, section 5.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThresholdConstruction;

impl Construction for ThresholdConstruction {
    fn name(&self) -> &'static str {
        NAME
    }

    fn activation(&self) -> Activation {
        Activation::Threshold
    }

    fn width(&self, layout: &Layout) -> usize {
        width(layout)
    }

    fn points(&self, layout: &Layout) -> Vec<(PointTag, Point)> {
        points(layout)
    }

    fn network(&self, layout: &Layout, a: &Assignment, choices: &[usize]) -> Network {
        network(layout, a, choices)
    }
}
