//! Drawing primitives of every picture in the crate: data points coloured by label,
//! breaklines drawn by kind (exactly grouped and classified, see [`super::lines`]), the
//! shaded map of `phi`, legends, and whole panels. [`super::plot_instance`] and the
//! reductions' figures (`reduce::poits::figures`, `reduce::separability::figure`) are built
//! from them, on the canvas of [`super::svg`].

use super::lines::{breaklines, Breakline, LineKind};
use super::shade::{shade, GREYS};
use super::svg::{axes, escape, grid, mix, num, Anchor, Frame, Stroke, Svg};
use crate::model::{Instance, Network};
use crate::num::{signum, to_f64, Rational};
use crate::{Error, Result};

/// Label colours: blue (low) through pale yellow to red (high).
const LABEL_COLOURS: [(f64, [u8; 3]); 3] = [
    (0.0, [44, 123, 182]),
    (0.5, [255, 255, 191]),
    (1.0, [215, 25, 28]),
];

/// Colour of a label on the scale `[lo, hi]`.
pub(crate) fn label_colour(y: f64, lo: f64, hi: f64) -> String {
    let t = if hi > lo { (y - lo) / (hi - lo) } else { 0.0 };
    mix(&LABEL_COLOURS, t)
}

/// Stroke of a drawn breakline of the given kind.
pub(crate) fn line_stroke(kind: LineKind) -> Stroke {
    match kind {
        LineKind::Convex => Stroke::solid("#c0392b", 1.8),
        LineKind::Concave => Stroke::dashed("#1f5fa8", 1.8, "7 4"),
        LineKind::JumpUp => Stroke::solid("#1e8449", 1.8),
        LineKind::JumpDown => Stroke::dashed("#8e44ad", 1.8, "7 4"),
        LineKind::Cancelled => Stroke::dashed("#aaaaaa", 0.8, "2 3"),
    }
}

fn kind_description(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Convex => "convex",
        LineKind::Concave => "concave",
        LineKind::JumpUp => "step up",
        LineKind::JumpDown => "step down",
        LineKind::Cancelled => "cancelled",
    }
}

/// A data point in the plotting plane.
#[derive(Debug, Clone)]
pub(crate) struct PlanePoint {
    /// Position `(x1, x2)` for drawing.
    pub at: (f64, f64),
    /// Exact label.
    pub y: Rational,
}

/// The labels' colour scale: the exact extreme labels and their `f64` values.
#[derive(Debug, Clone)]
pub(crate) struct LabelScale {
    lo: Rational,
    hi: Rational,
    /// Distinct labels, ascending (for a discrete legend).
    distinct: Vec<Rational>,
}

impl LabelScale {
    /// The scale of a set of labels (a single label `c` gets the scale `[c, c + 1]`).
    pub(crate) fn of(points: &[PlanePoint]) -> Self {
        let mut distinct: Vec<Rational> = points.iter().map(|p| p.y.clone()).collect();
        distinct.sort();
        distinct.dedup();
        let lo = distinct.first().cloned().unwrap_or(Rational::ZERO);
        let hi = distinct.last().cloned().unwrap_or(Rational::ONE);
        let hi = if hi == lo { &lo + Rational::ONE } else { hi };
        LabelScale { lo, hi, distinct }
    }

    /// Low end as `f64`.
    pub(crate) fn lo(&self) -> f64 {
        to_f64(&self.lo)
    }

    /// High end as `f64`.
    pub(crate) fn hi(&self) -> f64 {
        to_f64(&self.hi)
    }

    fn colour(&self, y: &Rational) -> String {
        label_colour(to_f64(y), self.lo(), self.hi())
    }

    /// `lab-lo` for the lowest label, `lab-hi` for the highest, `lab-mid` otherwise.
    fn class(&self, y: &Rational) -> &'static str {
        if *y == self.lo {
            "lab-lo"
        } else if *y == self.hi {
            "lab-hi"
        } else {
            "lab-mid"
        }
    }
}

/// The data points of `inst` in the plane of its first two coordinates; `d = 2`, or
/// `d > 2` with every further coordinate zero (a padded instance, Section 1).
pub(crate) fn plane_points(inst: &Instance) -> Result<Vec<PlanePoint>> {
    inst.validate()?;
    let d = inst.dim();
    if d < 2 {
        return Err(Error::Invalid(format!(
            "plot: only two-dimensional data can be drawn, this instance has dimension {d}"
        )));
    }
    if d > 2 {
        if let Some((i, k)) = inst.points.iter().enumerate().find_map(|(i, p)| {
            p.x[2..]
                .iter()
                .position(|v| signum(v) != 0)
                .map(|k| (i, k + 2))
        }) {
            return Err(Error::Invalid(format!(
                "plot: only two-dimensional data can be drawn; this instance has dimension {d} \
                 and points[{i}].x[{k}] is non-zero, so it is not a padded two-dimensional instance"
            )));
        }
    }
    Ok(inst
        .points
        .iter()
        .map(|p| PlanePoint {
            at: (to_f64(&p.x[0]), to_f64(&p.x[1])),
            y: p.y.clone(),
        })
        .collect())
}

/// Check a network against the data dimension.
pub(crate) fn check_network(net: &Network, d: usize) -> Result<()> {
    net.validate()?;
    if !net.neurons.is_empty() && net.dim() != d {
        return Err(Error::Invalid(format!(
            "plot: the network has input dimension {} but the data has dimension {d}",
            net.dim()
        )));
    }
    Ok(())
}

/// Bounding box of the points with a margin of 8% of the span (at least 1 if degenerate).
pub(crate) fn auto_window(points: &[(f64, f64)]) -> [f64; 4] {
    let mut w = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for &(x, y) in points {
        w[0] = w[0].min(x);
        w[1] = w[1].max(x);
        w[2] = w[2].min(y);
        w[3] = w[3].max(y);
    }
    if !w[0].is_finite() {
        return [-1.0, 1.0, -1.0, 1.0];
    }
    for (lo, hi) in [(0, 1), (2, 3)] {
        let span = w[hi] - w[lo];
        let m = if span > 0.0 { 0.08 * span } else { 1.0 };
        w[lo] -= m;
        w[hi] += m;
    }
    w
}

/// Draw the breaklines of `lines` clipped to `frame`; returns how many were visible.
pub(crate) fn draw_breaklines(svg: &mut Svg, frame: &Frame, lines: &[Breakline]) -> usize {
    let mut shown = 0;
    for (index, line) in lines.iter().enumerate() {
        if line.kind == LineKind::Cancelled {
            continue;
        }
        let (w1, w2, b) = (to_f64(&line.w[0]), to_f64(&line.w[1]), to_f64(&line.b));
        let Some((p, q)) = frame.clip_line(w1, w2, b) else {
            continue;
        };
        shown += 1;
        let (sp, sq) = (frame.screen(p), frame.screen(q));
        svg.line(
            sp,
            sq,
            &line_stroke(line.kind),
            &format!("breakline {}", line.kind.name()),
        );
        if matches!(line.kind, LineKind::JumpUp | LineKind::JumpDown) {
            // Arrow from the midpoint towards the side where phi is higher.
            let mut dir = (w1 / frame.kx(), -w2 / frame.ky());
            let len = dir.0.hypot(dir.1);
            dir = (dir.0 / len, dir.1 / len);
            if line.kind == LineKind::JumpDown {
                dir = (-dir.0, -dir.1);
            }
            // Stagger the arrows along the lines so that parallel lines' arrows do not meet.
            let t = [0.2, 0.35, 0.65, 0.8][index % 4];
            let m = (sp.0 + t * (sq.0 - sp.0), sp.1 + t * (sq.1 - sp.1));
            let tip = (m.0 + 16.0 * dir.0, m.1 + 16.0 * dir.1);
            let stroke = line_stroke(line.kind);
            svg.line(m, tip, &Stroke::solid(&stroke.color, 1.6), "step-arrow");
            let (px, py) = (-dir.1, dir.0);
            let head = [
                (tip.0 + 6.0 * dir.0, tip.1 + 6.0 * dir.1),
                (tip.0 + 4.5 * px, tip.1 + 4.5 * py),
                (tip.0 - 4.5 * px, tip.1 - 4.5 * py),
            ];
            svg.polygon(&head, &stroke.color, "step-arrow");
        }
    }
    shown
}

/// Draw the data points inside `frame`; returns how many were drawn.
pub(crate) fn draw_points(
    svg: &mut Svg,
    frame: &Frame,
    points: &[PlanePoint],
    scale: &LabelScale,
    radius: f64,
) -> usize {
    let stroke = Stroke::solid("#222222", 0.8);
    let mut drawn = 0;
    svg.begin_group(r#"class="points""#);
    for p in points {
        if !frame.contains(p.at) {
            continue;
        }
        drawn += 1;
        let (x, y) = frame.screen(p.at);
        svg.circle(
            x,
            y,
            radius,
            &scale.colour(&p.y),
            &stroke,
            &format!("pt {}", scale.class(&p.y)),
            &format!(r#"data-y="{}""#, escape(&p.y.to_string())),
        );
    }
    svg.end_group();
    drawn
}

/// What a legend shows.
pub(crate) struct LegendSpec<'a> {
    /// The label scale (if data points are shown).
    pub labels: Option<&'a LabelScale>,
    /// Line kinds shown, with counts.
    pub lines: Vec<(LineKind, usize)>,
    /// Heading of the line entries (`breaklines`, `breakpoints`).
    pub lines_title: &'static str,
    /// Shading range of phi, if shaded.
    pub shade: Option<(f64, f64)>,
}

fn short(text: &str) -> String {
    if text.chars().count() <= 16 {
        text.into()
    } else {
        let mut s: String = text.chars().take(15).collect();
        s.push('…');
        s
    }
}

/// Draw a legend with its top-left corner at `(x, y)`, `width` wide.
pub(crate) fn draw_legend(svg: &mut Svg, x: f64, y: f64, width: f64, spec: &LegendSpec<'_>) {
    let mut y = y;
    let row = 18.0;
    svg.begin_group(r#"class="legend""#);
    if let Some(scale) = spec.labels {
        svg.text(x, y + 10.0, 12.0, Anchor::Start, "label y");
        y += row;
        let stroke = Stroke::solid("#222222", 0.8);
        if scale.distinct.len() <= 8 {
            for v in &scale.distinct {
                svg.circle(
                    x + 6.0,
                    y + 5.0,
                    5.0,
                    &scale.colour(v),
                    &stroke,
                    "legend-swatch",
                    "",
                );
                svg.text(
                    x + 18.0,
                    y + 9.0,
                    11.0,
                    Anchor::Start,
                    &short(&v.to_string()),
                );
                y += row;
            }
        } else {
            colour_bar(
                svg,
                x,
                y,
                width - 10.0,
                scale.lo(),
                scale.hi(),
                &LABEL_COLOURS,
            );
            y += 34.0;
        }
        y += 6.0;
    }
    if !spec.lines.is_empty() {
        svg.text(x, y + 10.0, 12.0, Anchor::Start, spec.lines_title);
        y += row;
        for &(kind, count) in &spec.lines {
            svg.line(
                (x, y + 5.0),
                (x + 26.0, y + 5.0),
                &line_stroke(kind),
                "legend-line",
            );
            let what = kind_description(kind);
            svg.text(
                x + 32.0,
                y + 9.0,
                11.0,
                Anchor::Start,
                &format!("{} ({count})", short(what)),
            );
            y += row;
        }
        y += 6.0;
    }
    if let Some((lo, hi)) = spec.shade {
        svg.text(x, y + 10.0, 12.0, Anchor::Start, "phi (shading)");
        y += row;
        colour_bar(svg, x, y, width - 10.0, lo, hi, &GREYS);
    }
    svg.end_group();
}

fn colour_bar(
    svg: &mut Svg,
    x: f64,
    y: f64,
    width: f64,
    lo: f64,
    hi: f64,
    stops: &[(f64, [u8; 3])],
) {
    let id = svg.fresh_id("bar");
    let stop_markup: String = stops
        .iter()
        .map(|(t, _)| {
            format!(
                r#"<stop offset="{}" stop-color="{}"/>"#,
                num(*t),
                mix(stops, *t)
            )
        })
        .collect();
    svg.def(&format!(
        r#"<linearGradient id="{id}" x1="0" y1="0" x2="1" y2="0">{stop_markup}</linearGradient>"#
    ));
    svg.rect(
        x,
        y,
        width,
        12.0,
        &format!("url(#{id})"),
        Some(&Stroke::solid("#555555", 0.6)),
        "colour-bar",
    );
    svg.text(x, y + 25.0, 10.0, Anchor::Start, &num(lo));
    svg.text(x + width, y + 25.0, 10.0, Anchor::End, &num(hi));
}

/// Counts of visible line kinds, in a fixed order.
pub(crate) fn kind_counts(frame: &Frame, lines: &[Breakline]) -> Vec<(LineKind, usize)> {
    let mut out = Vec::new();
    for kind in [
        LineKind::Convex,
        LineKind::Concave,
        LineKind::JumpUp,
        LineKind::JumpDown,
    ] {
        let count = lines
            .iter()
            .filter(|l| l.kind == kind)
            .filter(|l| {
                frame
                    .clip_line(to_f64(&l.w[0]), to_f64(&l.w[1]), to_f64(&l.b))
                    .is_some()
            })
            .count();
        if count > 0 {
            out.push((kind, count));
        }
    }
    out
}

/// A full panel: grid, optional shading, light grey guide lines `w1 x1 + w2 x2 + b = 0`,
/// the network's breaklines, the points, axes. Returns the number of points drawn.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_panel(
    svg: &mut Svg,
    frame: &Frame,
    points: &[PlanePoint],
    scale: &LabelScale,
    net: Option<&Network>,
    shaded: bool,
    radius: f64,
    guides: &[[f64; 3]],
) -> usize {
    let clip = svg.clip_rect(frame.left, frame.top, frame.width, frame.height);
    grid(svg, frame);
    if let (Some(net), true) = (net, shaded) {
        svg.begin_group(&format!(r#"clip-path="url(#{clip})""#));
        shade(svg, frame, net, scale.lo(), scale.hi());
        svg.end_group();
    }
    svg.begin_group(&format!(r#"clip-path="url(#{clip})""#));
    let guide = Stroke::solid("#707070", 0.9);
    for &[w1, w2, b] in guides {
        if let Some((p, q)) = frame.clip_line(w1, w2, b) {
            svg.line(frame.screen(p), frame.screen(q), &guide, "guide");
        }
    }
    if let Some(net) = net {
        draw_breaklines(svg, frame, &breaklines(net));
    }
    svg.end_group();
    let drawn = draw_points(svg, frame, points, scale, radius);
    axes(svg, frame, "x1", "x2");
    drawn
}
