//! A picture of the Corollary 9 construction (`docs/corollary9-mcc.md`): the instance lives in
//! `d = 2 kappa + 1` dimensions, but for each colour class `c` the neuron's pre-activation at
//! the class's points depends on one real parameter only: `b + 4 V_c(h)` at the tangent points
//! (`h = 1/2, 3/2, ...`, label 0) and `b + 8 V_c(i)` at the selection points (`i = 1, ..., n_c`,
//! label 1), with `V_c(h) = 2h s_c - t_c - h^2 u` a quadratic in `h`. One panel per class
//! shows both parabolas, the points on them and the zero line: a point is active iff it lies
//! above the line. For the canonical neuron of a clique the tangents touch zero around the
//! chosen vertex and only its selection point reaches 1 (Lemma 1 of the proof).
//!
//! Drawn with the crate's one SVG writer ([`crate::plot`]); `f64` only for drawing.

use super::construction::{SELECTION_SCALE, TANGENT_SCALE};
use super::reduction::{lift, parse, reduce, McOptions};
use super::source::Source;
use crate::error::{Error, Result};
use crate::mcc::Mcc;
use crate::model::{Activation, Instance, Network};
use crate::num::to_f64;
use crate::plot::svg::{Anchor, Frame, Stroke, Svg};

/// Panels for every class of `inst` (made by [`reduce`]), for the first neuron of `net`
/// (the `z`-weight of a padded instance is ignored: the points lie at `z = 0`).
pub fn profile_svg(inst: &Instance, net: &Network, title: &str) -> Result<String> {
    let parsed = parse(inst)?;
    let g = &parsed.graph;
    let neuron = net
        .neurons
        .first()
        .ok_or_else(|| Error::Invalid("the network has no neuron to draw".into()))?;
    let d = super::construction::dimension(g.kappa());
    if neuron.w.len() < d {
        return Err(Error::Invalid(format!(
            "the network has dimension {}, the construction {d}",
            neuron.w.len()
        )));
    }
    let (b, u) = (to_f64(&neuron.b), to_f64(&neuron.w[0]));
    let panel_h = 230.0;
    let width = 640.0;
    let mut svg = Svg::new(width as u32, (40.0 + panel_h * g.kappa() as f64) as u32);
    svg.text(width / 2.0, 22.0, 14.0, Anchor::Middle, title);
    for (c, class) in g.colors().iter().enumerate() {
        let (s, t) = (to_f64(&neuron.w[1 + 2 * c]), to_f64(&neuron.w[2 + 2 * c]));
        let v = |h: f64| 2.0 * h * s - t - h * h * u;
        let n = class.len() as f64;
        let frame = Frame {
            left: 60.0,
            top: 40.0 + panel_h * c as f64 + 20.0,
            width: width - 90.0,
            height: panel_h - 60.0,
            window: [0.0, n + 1.0, -9.0, 2.0],
        };
        let clamp = |y: f64| y.clamp(-9.0, 2.0);
        let axis = Stroke::solid("#000000", 1.0);
        svg.line(
            frame.screen((0.0, 0.0)),
            frame.screen((n + 1.0, 0.0)),
            &axis,
            "zero",
        );
        svg.text(
            frame.left - 6.0,
            frame.sy(0.0) + 4.0,
            11.0,
            Anchor::End,
            "0",
        );
        svg.text(
            frame.left - 6.0,
            frame.sy(1.0) + 4.0,
            11.0,
            Anchor::End,
            "1",
        );
        svg.text(
            frame.left,
            frame.top - 6.0,
            12.0,
            Anchor::Start,
            &format!("colour class {} (vertices {:?})", c + 1, class),
        );
        for (scale, color, class_name) in [
            (TANGENT_SCALE as f64, "#9a9a9a", "tangent-curve"),
            (SELECTION_SCALE as f64, "#303030", "selection-curve"),
        ] {
            let pts: Vec<(f64, f64)> = (0..=200)
                .map(|k| {
                    let h = (n + 1.0) * k as f64 / 200.0;
                    frame.screen((h, clamp(b + scale * v(h))))
                })
                .collect();
            svg.polyline(&pts, &Stroke::solid(color, 1.2), class_name);
        }
        let outline = Stroke::solid("#000000", 0.6);
        for k in 0..=class.len() {
            let h = k as f64 + 0.5;
            let at = frame.screen((h, clamp(b + TANGENT_SCALE as f64 * v(h))));
            svg.square(at, 4.0, "#d0d0d0", "tangent");
        }
        for (i, vertex) in class.iter().enumerate() {
            let h = i as f64 + 1.0;
            let y = b + SELECTION_SCALE as f64 * v(h);
            let at = frame.screen((h, clamp(y)));
            svg.circle(at.0, at.1, 5.0, "#202020", &outline, "selection", "");
            svg.text(
                at.0,
                frame.top + frame.height + 14.0,
                11.0,
                Anchor::Middle,
                &format!("{vertex}"),
            );
        }
    }
    svg.text(
        8.0,
        f64::from(svg.height() as u32) - 6.0,
        10.0,
        Anchor::Start,
        "squares: tangents (label 0) on b + 4V(h); discs: selections (label 1) on b + 8V(i); \
         active above the zero line; values below -9 drawn at -9",
    );
    Ok(svg.finish())
}

/// The figure for a small example: three classes, the canonical threshold neuron of the
/// clique `{2, 5, 7}`.
pub fn example() -> String {
    let g = Mcc::new(
        vec![vec![1, 2, 3], vec![4, 5], vec![6, 7]],
        vec![[2, 5], [5, 7], [2, 7], [1, 4], [3, 6]],
    )
    .expect("a valid example graph");
    let inst = reduce(
        &Source::Colored(g),
        &McOptions {
            activation: Activation::Threshold,
            p: 1,
            width: 1,
        },
    )
    .expect("the example reduces");
    let net = lift(&inst, &[2, 5, 7]).expect("the example lifts");
    profile_svg(
        &inst,
        &net,
        "Corollary 9: the canonical neuron of the clique {2, 5, 7}, class by class",
    )
    .expect("the example draws")
}
