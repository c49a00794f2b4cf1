//! Figure 6 of the paper for `d = 2`: `Q` (big, dark) and `P` (big, light), the added points
//! `r_qp` (small, dark) and `s_qp` (small, light), the breaklines of the network (thin), the
//! two separating lines (thick) and the circle of radius `eps` around the first point of `Q`
//! (dashed).
//!
//! Self-contained minimal SVG (the shared `plot` module was not available on this branch);
//! `f64` is used for drawing only, never for decisions.

use super::problem::Hyperplane;
use super::reduction::Layout;
use crate::error::{Error, Result};
use crate::model::{Activation, Instance, Network};
use crate::num::{to_f64, Rational};
use std::fmt::Write as _;

/// Options of [`figure6_svg`].
#[derive(Debug, Clone)]
pub struct FigureOptions {
    /// Width and height of the drawing in pixels.
    pub size: f64,
    /// Title drawn at the top (empty: none).
    pub title: String,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            size: 600.0,
            title: "Figure 6: 2-hyperplane separability -> 4 ReLUs".into(),
        }
    }
}

struct View {
    x0: f64,
    y0: f64,
    span: f64,
    size: f64,
}

impl View {
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        let m = 30.0;
        let s = (self.size - 2.0 * m) / self.span;
        (m + (x - self.x0) * s, self.size - m - (y - self.y0) * s)
    }
    fn scale(&self) -> f64 {
        (self.size - 60.0) / self.span
    }
    /// The segment of `a x + b y + c = 0` inside the view box, if any.
    fn clip(&self, a: f64, b: f64, c: f64) -> Option<((f64, f64), (f64, f64))> {
        let (x1, y1) = (self.x0 + self.span, self.y0 + self.span);
        let mut pts: Vec<(f64, f64)> = Vec::new();
        if b.abs() > 1e-300 {
            for x in [self.x0, x1] {
                let y = -(a * x + c) / b;
                if y >= self.y0 - 1e-12 && y <= y1 + 1e-12 {
                    pts.push((x, y));
                }
            }
        }
        if a.abs() > 1e-300 {
            for y in [self.y0, y1] {
                let x = -(b * y + c) / a;
                if x >= self.x0 - 1e-12 && x <= x1 + 1e-12 {
                    pts.push((x, y));
                }
            }
        }
        let first = *pts.first()?;
        let far = pts.iter().copied().max_by(|p, q| {
            let dp = (p.0 - first.0).hypot(p.1 - first.1);
            let dq = (q.0 - first.0).hypot(q.1 - first.1);
            dp.total_cmp(&dq)
        })?;
        Some((first, far))
    }
}

fn line(s: &mut String, v: &View, w: &[Rational], b: &Rational, style: &str) {
    let (a, bb, c) = (to_f64(&w[0]), to_f64(&w[1]), to_f64(b));
    if let Some(((xa, ya), (xb, yb))) = v.clip(a, bb, c) {
        let (p, q) = (v.px(xa, ya), v.px(xb, yb));
        let _ = writeln!(
            s,
            r#"  <line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" {style}/>"#,
            p.0, p.1, q.0, q.1
        );
    }
}

/// Draw Figure 6 for a reduced instance in `d = 2` (from [`super::reduce`]), with the
/// breaklines of `network` (if given) and the separating lines `pair` (if given).
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
    let span0 = (hi_x - lo_x).max(hi_y - lo_y).max(1e-9);
    let pad = 0.1 * span0;
    let span = span0 + 2.0 * pad;
    let view = View {
        x0: (lo_x + hi_x) / 2.0 - span / 2.0,
        y0: (lo_y + hi_y) / 2.0 - span / 2.0,
        span,
        size: opts.size,
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{0}" viewBox="0 0 {0} {0}">"#,
        opts.size
    );
    let _ = writeln!(s, r#"  <rect width="100%" height="100%" fill="white"/>"#);
    if !opts.title.is_empty() {
        let _ = writeln!(
            s,
            r#"  <text x="{:.1}" y="18" font-family="sans-serif" font-size="13" text-anchor="middle">{}</text>"#,
            opts.size / 2.0,
            opts.title.replace('&', "&amp;").replace('<', "&lt;")
        );
    }
    if let Some(hs) = pair {
        let _ = writeln!(s, r#"  <g id="separating-lines">"#);
        for h in hs {
            if h.h.len() == 2 {
                line(
                    &mut s,
                    &view,
                    &h.h,
                    &h.o,
                    r#"stroke="black" stroke-width="3" stroke-opacity="0.6""#,
                );
            }
        }
        let _ = writeln!(s, "  </g>");
    }
    if let Some(net) = network {
        let _ = writeln!(s, r#"  <g id="breaklines">"#);
        for (j, n) in net.neurons.iter().enumerate() {
            if n.w.len() == 2 && n.w.iter().any(|a| *a != Rational::ZERO) {
                let color = if n.a > Rational::ZERO {
                    "#1f77b4"
                } else {
                    "#d62728"
                };
                let _ = write!(s, "  <!-- neuron {j} -->");
                line(
                    &mut s,
                    &view,
                    &n.w,
                    &n.b,
                    &format!(r#"stroke="{color}" stroke-width="1""#),
                );
            }
        }
        let _ = writeln!(s, "  </g>");
    }
    if let Some(&(cx, cy)) = xs.first() {
        let (px, py) = view.px(cx, cy);
        let r = to_f64(&layout.eps) * view.scale();
        let _ = writeln!(
            s,
            r#"  <circle id="eps" cx="{px:.2}" cy="{py:.2}" r="{r:.4}" fill="none" stroke="black" stroke-dasharray="4 3"/>"#
        );
    }
    let nm = layout.num_q + layout.num_p;
    let _ = writeln!(s, r#"  <g id="points">"#);
    for (i, &(x, y)) in xs.iter().enumerate() {
        let (px, py) = view.px(x, y);
        let label_one = core[i].y == Rational::ONE;
        let fill = if label_one { "#404040" } else { "#c8c8c8" };
        let opacity = if i < nm { 0.55 } else { 1.0 };
        let (radius, kind) = if i < layout.num_q {
            (6.0, "q")
        } else if i < nm {
            (6.0, "p")
        } else if layout.activation == Activation::Relu && (i - nm) % 2 == 0 {
            (2.5, "r")
        } else {
            (2.5, "s")
        };
        let _ = writeln!(
            s,
            r#"  <circle class="{kind}" cx="{px:.2}" cy="{py:.2}" r="{radius}" fill="{fill}" fill-opacity="{opacity}" stroke="black" stroke-width="0.6"/>"#
        );
    }
    let _ = writeln!(s, "  </g>");
    let _ = writeln!(
        s,
        r#"  <text x="8" y="{:.1}" font-family="sans-serif" font-size="11">eps = {} (dashed circle around q[0]); blue: a &gt; 0, red: a &lt; 0</text>"#,
        opts.size - 8.0,
        layout.eps
    );
    s.push_str("</svg>\n");
    Ok(s)
}
