//! Figure 6 of the paper for `d = 2`: `Q` (big, dark) and `P` (big, light), the added points
//! `r_qp` (small, dark) and `s_qp` (small, light), the breaklines of the network (classified
//! exactly, as in every plot of the crate), the two separating lines (thick) and the circle
//! of radius `eps` around the first point of `Q` (dashed).
//!
//! Drawn with the crate's one SVG writer and its primitives ([`crate::plot`]); `f64` is used
//! for drawing only, never for decisions.

use super::problem::Hyperplane;
use super::reduction::Layout;
use crate::error::{Error, Result};
use crate::model::{Activation, Instance, Network};
use crate::num::{to_f64, Rational};
use crate::plot::breaklines;
use crate::plot::panel::{check_network, draw_breaklines};
use crate::plot::svg::{Anchor, Frame, Stroke, Svg};

/// Options of [`figure6_svg`].
#[derive(Debug, Clone)]
pub struct FigureOptions {
    /// Width and height of the drawing in pixels (at least 100 is used).
    pub size: u32,
    /// Title drawn at the top (empty: none).
    pub title: String,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            size: 600,
            title: "Figure 6: 2-hyperplane separability -> 4 ReLUs".into(),
        }
    }
}

/// Draw Figure 6 for a reduced instance in `d = 2` (from [`super::reduce`]), with the
/// breaklines of `network` (if given) and the separating lines `pair` (if given).
///
/// # Errors
/// [`Error::Invalid`] if `inst` is not a separability instance (its `meta` is read by
/// [`Layout::from_meta`]), is not two-dimensional, or `network` has another dimension.
pub fn figure6_svg(
    inst: &Instance,
    network: Option<&Network>,
    pair: Option<&[Hyperplane]>,
    opts: &FigureOptions,
) -> Result<String> {
    let layout = Layout::from_meta(inst)?;
    if inst.dim() != 2 {
        return Err(Error::Invalid(format!(
            "Figure 6 is drawn for d = 2 only, the instance has d = {}",
            inst.dim()
        )));
    }
    if let Some(net) = network {
        check_network(net, 2)?;
    }
    let core = &inst.points[..layout.num_core];
    let xs: Vec<(f64, f64)> = core
        .iter()
        .map(|p| (to_f64(&p.x[0]), to_f64(&p.x[1])))
        .collect();
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in &xs {
        lo_x = lo_x.min(x);
        hi_x = hi_x.max(x);
        lo_y = lo_y.min(y);
        hi_y = hi_y.max(y);
    }
    // A square window around the points with a 10% margin, on a square canvas with a
    // 30-pixel border.
    let span0 = (hi_x - lo_x).max(hi_y - lo_y).max(1e-9);
    let span = 1.2 * span0;
    let (x0, y0) = ((lo_x + hi_x - span) / 2.0, (lo_y + hi_y - span) / 2.0);
    let mut svg = Svg::new(opts.size.max(100), opts.size.max(100));
    let size = svg.width();
    let frame = Frame {
        left: 30.0,
        top: 30.0,
        width: size - 60.0,
        height: size - 60.0,
        window: [x0, x0 + span, y0, y0 + span],
    };
    if !opts.title.is_empty() {
        svg.text(size / 2.0, 18.0, 13.0, Anchor::Middle, &opts.title);
    }
    if let Some(hs) = pair {
        svg.begin_group(r#"id="separating-lines" stroke-opacity="0.6""#);
        for h in hs.iter().filter(|h| h.h.len() == 2) {
            let (w1, w2, b) = (to_f64(&h.h[0]), to_f64(&h.h[1]), to_f64(&h.o));
            if let Some((p, q)) = frame.clip_line(w1, w2, b) {
                let thick = Stroke::solid("#000000", 3.0);
                svg.line(frame.screen(p), frame.screen(q), &thick, "separating-line");
            }
        }
        svg.end_group();
    }
    if let Some(net) = network {
        svg.begin_group(r#"id="breaklines""#);
        draw_breaklines(&mut svg, &frame, &breaklines(net));
        svg.end_group();
    }
    if let Some(&first) = xs.first() {
        let (cx, cy) = frame.screen(first);
        let r = to_f64(&layout.eps) * frame.kx();
        let stroke = Stroke::solid("#000000", 1.0);
        svg.circle(
            cx,
            cy,
            r,
            "none",
            &stroke,
            "eps",
            r#"id="eps" stroke-dasharray="4 3""#,
        );
    }
    let nm = layout.num_q + layout.num_p;
    let outline = Stroke::solid("#000000", 0.6);
    svg.begin_group(r#"id="points""#);
    for (i, &at) in xs.iter().enumerate() {
        let (px, py) = frame.screen(at);
        let fill = if core[i].y == Rational::ONE {
            "#404040"
        } else {
            "#c8c8c8"
        };
        let (radius, kind, opacity) = if i < layout.num_q {
            (6.0, "q", "0.55")
        } else if i < nm {
            (6.0, "p", "0.55")
        } else if layout.activation == Activation::Relu && (i - nm) % 2 == 0 {
            (2.5, "r", "1")
        } else {
            (2.5, "s", "1")
        };
        let extra = format!(r#"fill-opacity="{opacity}""#);
        svg.circle(px, py, radius, fill, &outline, kind, &extra);
    }
    svg.end_group();
    let lines = match network.map(|n| n.activation) {
        Some(Activation::Relu) => "; breaklines: convex solid red, concave dashed blue",
        Some(Activation::Threshold) => "; steps: up solid green, down dashed purple",
        None => "",
    };
    let note = format!("eps = {} (dashed circle around q[0]){lines}", layout.eps);
    svg.text(8.0, size - 8.0, 11.0, Anchor::Start, &note);
    Ok(svg.finish())
}
