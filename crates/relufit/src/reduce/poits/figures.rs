//! The paper's figures of Section 3, drawn from the library's own construction
//! ([`super::layout`], [`super::gadget`]) rather than from copied numbers, with the drawing
//! primitives of [`crate::plot`]:
//!
//! - [`figure2`]: the selection gadget with `l = 3`, slopes `-1, 0, 1` (Figure 2);
//! - [`figure3`]: the cross-section of the levee along `h_0` (Figure 3, right);
//! - [`figure5`]: the global layout for `(v5 v v4 v v3)(v4 v v3 v v2)(v5 v v2 v v1)` with the
//!   solution `{v1, v3}` (Figure 5), [`poits_layout`] for any formula and assignment, and
//!   [`poits_figure`] for any POITS instance (from [`reduce`]) with any network.

use super::gadget::{levee_neurons, selection_gadget, GadgetPoint, GadgetPointRole};
use super::layout::{gadget_epsilon, Gadget, GadgetRole, PointTag};
use super::{lift, meta, point_tags, reduce, PoitsOptions};
use crate::model::{Activation, Instance, Network};
use crate::num::{int, to_f64, Rational};
use crate::plot::panel::{
    auto_window, check_network, draw_legend, draw_panel, draw_points, kind_counts, label_colour,
    line_stroke, plane_points, LabelScale, LegendSpec, PlanePoint,
};
use crate::plot::svg::{axes, grid, Anchor, Frame, Stroke, Svg};
use crate::plot::{breaklines, LineKind};
use crate::sat::{Assignment, Formula};
use crate::verify::{evaluate, verify};
use crate::{Error, Result};

fn plane(points: &[GadgetPoint]) -> Vec<PlanePoint> {
    points
        .iter()
        .map(|p| PlanePoint {
            at: (to_f64(&p.x[0]), to_f64(&p.x[1])),
            y: p.y.clone(),
        })
        .collect()
}

/// The gadget of Figure 2: centre 0, slopes `-1, 0, 1`, `epsilon = min(1/(3|s_1|),
/// 1/(3|s_l|)) = 1/3` (the condition of Section 3, "Selection Gadget").
fn figure2_gadget() -> (Vec<Rational>, Rational, Vec<GadgetPoint>) {
    let slopes = vec![int(-1), int(0), int(1)];
    let epsilon = gadget_epsilon(&slopes).expect("slopes -1 and 1 give a finite epsilon");
    let points = selection_gadget(&int(0), &slopes, &epsilon);
    (slopes, epsilon, points)
}

/// The network of the levees `f_s(x_1, x_2 - z)` for the given slopes, four ReLUs each
/// (Observation 3).
fn levees(centre: &Rational, slopes: &[Rational]) -> Network {
    Network::new(
        Activation::Relu,
        slopes
            .iter()
            .flat_map(|s| levee_neurons(centre, s))
            .collect(),
    )
}

fn panel_title(svg: &mut Svg, frame: &Frame, title: &str) {
    svg.text(
        frame.left + frame.width / 2.0,
        frame.top - 10.0,
        13.0,
        Anchor::Middle,
        title,
    );
}

/// Figure 2: the selection gadget with `l = 3` and slopes `s_1 = -1, s_2 = 0, s_3 = 1`
/// (Section 3, "Selection Gadget"; Lemma 4). Left: all `13 + 9 + 9 + 4 = 35` data points and
/// the breaklines of the three levees that fit them. Right: the same, the three levees' lines
/// in grey, and the levee with slope `s_2 = 0` shaded with its two convex and two concave
/// breaklines.
pub fn figure2() -> String {
    let (slopes, _epsilon, points) = figure2_gadget();
    let pts = plane(&points);
    let scale = LabelScale::of(&pts);
    let mut svg = Svg::new(1190, 560);
    svg.text(
        595.0,
        22.0,
        15.0,
        Anchor::Middle,
        "Figure 2: selection gadget, l = 3, slopes -1, 0, 1, epsilon = 1/3",
    );
    let window = [-5.0, 5.0, -5.0, 5.0];
    let left = Frame {
        left: 62.0,
        top: 62.0,
        width: 440.0,
        height: 440.0,
        window,
    };
    let right = Frame {
        left: 577.0,
        ..left
    };
    let all = levees(&int(0), &slopes);
    let chosen = levees(&int(0), &slopes[1..2]);
    panel_title(&mut svg, &left, "data points and the three possible levees");
    draw_panel(&mut svg, &left, &pts, &scale, Some(&all), false, 4.0, &[]);
    // Right: the three levees' lines as grey guides, the chosen one classified and shaded.
    let guides: Vec<[f64; 3]> = breaklines(&all)
        .iter()
        .map(|l| [to_f64(&l.w[0]), to_f64(&l.w[1]), to_f64(&l.b)])
        .collect();
    panel_title(&mut svg, &right, "the levee with slope s2 = 0");
    draw_panel(
        &mut svg,
        &right,
        &pts,
        &scale,
        Some(&chosen),
        true,
        4.0,
        &guides,
    );
    let spec = LegendSpec {
        labels: Some(&scale),
        lines: kind_counts(&left, &breaklines(&all)),
        lines_title: "breaklines",
        shade: Some((scale.lo(), scale.hi())),
    };
    draw_legend(&mut svg, 1037.0, 62.0, 140.0, &spec);
    svg.finish()
}

/// Figure 3 (right): the cross-section of the levee `f_0` along `h_0` (`x_1 = 0`) for
/// `x_2` from -5 to 5, computed exactly from the four ReLUs; the 13 data points of `h_0`
/// (the nine `p_1..p_9` common to `h_{-eps}`, `h_0`, `h_eps`, plus the four that fix the
/// ramps), and the convex and concave breakpoints.
pub fn figure3() -> String {
    let (slopes, _epsilon, points) = figure2_gadget();
    let h0: Vec<&GadgetPoint> = points
        .iter()
        .filter(|p| p.role == GadgetPointRole::H0)
        .collect();
    let net = levees(&int(0), &slopes[1..2]);
    // Breakpoints on h_0 from the exact breaklines (w normalised so that w_2 = 1 when
    // w_2 != 0, so the line meets x_1 = 0 at x_2 = -b).
    let lines = breaklines(&net);
    let mut knots: Vec<(Rational, Option<LineKind>)> = vec![(int(-5), None), (int(5), None)];
    for l in &lines {
        if l.w[1] != Rational::ZERO && l.kind != LineKind::Cancelled {
            let x2 = -l.b.clone() / &l.w[1];
            if x2 > int(-5) && x2 < int(5) {
                knots.push((x2, Some(l.kind)));
            }
        }
    }
    knots.sort_by(|a, b| a.0.cmp(&b.0));
    let xs: Vec<[Rational; 2]> = knots.iter().map(|k| [int(0), k.0.clone()]).collect();
    let refs: Vec<&[Rational]> = xs.iter().map(|x| x.as_slice()).collect();
    let values = evaluate(&net, &refs).values;

    let mut svg = Svg::new(860, 460);
    svg.text(
        430.0,
        22.0,
        15.0,
        Anchor::Middle,
        "Figure 3: cross-section of the levee f_0 along h_0 (x1 = 0)",
    );
    let frame = Frame {
        left: 62.0,
        top: 46.0,
        width: 600.0,
        height: 350.0,
        window: [-5.0, 5.0, -0.15, 1.25],
    };
    grid(&mut svg, &frame);
    let curve: Vec<(f64, f64)> = knots
        .iter()
        .zip(&values)
        .map(|(k, v)| frame.screen((to_f64(&k.0), to_f64(v))))
        .collect();
    svg.polyline(&curve, &Stroke::solid("#333333", 2.0), "phi");
    let pts: Vec<PlanePoint> = h0
        .iter()
        .map(|p| PlanePoint {
            at: (to_f64(&p.x[1]), to_f64(&p.y)),
            y: p.y.clone(),
        })
        .collect();
    let scale = LabelScale::of(&pts);
    draw_points(&mut svg, &frame, &pts, &scale, 5.0);
    // Breakpoints on top of the points: hollow squares in the colour of their kind.
    for ((x2, kind), v) in knots.iter().zip(&values) {
        let Some(kind) = kind else { continue };
        let at = frame.screen((to_f64(x2), to_f64(v)));
        let base = frame.screen((to_f64(x2), -0.15));
        let stroke = line_stroke(*kind);
        svg.line(
            (at.0, at.1 + 8.0),
            base,
            &Stroke::dashed(&stroke.color, 1.0, "3 3"),
            &format!("breakpoint-guide {}", kind.name()),
        );
        svg.rect(
            at.0 - 8.0,
            at.1 - 8.0,
            16.0,
            16.0,
            "none",
            Some(&Stroke::solid(&stroke.color, 2.0)),
            &format!("breakpoint {}", kind.name()),
        );
    }
    // Name the nine points p_1..p_9 that every line h_{-eps}, h_0, h_eps carries.
    let mut k = 0;
    for p in &h0 {
        if p.x[1].denominator() == &crate::num::Natural::ONE {
            k += 1;
            let (x, y) = frame.screen((to_f64(&p.x[1]), to_f64(&p.y)));
            svg.text(x, y - 13.0, 11.0, Anchor::Middle, &format!("p{k}"));
        }
    }
    axes(&mut svg, &frame, "x2", "phi(0, x2)");
    let spec = LegendSpec {
        labels: Some(&scale),
        lines: vec![(LineKind::Convex, 2), (LineKind::Concave, 2)],
        lines_title: "breakpoints",
        shade: None,
    };
    draw_legend(&mut svg, 690.0, 46.0, 160.0, &spec);
    svg.text(
        690.0,
        260.0,
        11.0,
        Anchor::Start,
        "hollow squares: breakpoints",
    );
    svg.text(690.0, 276.0, 11.0, Anchor::Start, "solid curve: phi on h_0");
    svg.finish()
}

/// The formula of the paper's Figure 5: `(v5 v v4 v v3) (v4 v v3 v v2) (v5 v v2 v v1)`.
pub fn figure5_formula() -> Formula {
    Formula {
        num_vars: 5,
        clauses: vec![[5, 4, 3], [4, 3, 2], [5, 2, 1]],
    }
}

/// Figure 5: the global layout for [`figure5_formula`] with the solution `v1 = v3 = true`
/// (Section 3, "Global Construction"), drawn by [`poits_layout`] from the Theorem 1
/// instance and the network of equation (2).
///
/// # Panics
/// Only if the reduction itself is broken (the formula is fixed and valid).
pub fn figure5() -> String {
    let f = figure5_formula();
    let a = Assignment::from_true_vars(f.num_vars, &[1, 3]);
    poits_layout(&f, Some(&a)).expect("the Figure 5 formula reduces and lifts")
}

/// The Theorem 1 layout of any formula: the instance is built by [`reduce`] (ReLU, `d = 2`,
/// `gamma = 0`); with an assignment, the network of equation (2) by [`lift`] (each clause's
/// first true literal, or its first literal if none is true). Drawn by [`poits_figure`]; for
/// an assignment that is not a 1-in-3 solution the figure shows where the network misfits.
///
/// # Errors
/// Those of [`reduce`] (e.g. a formula without variables) and [`poits_figure`], and
/// [`Error::Invalid`] if the assignment does not have one value per variable.
pub fn poits_layout(formula: &Formula, assignment: Option<&Assignment>) -> Result<String> {
    let inst = reduce(formula, &PoitsOptions::default())?;
    let net = assignment.map(|a| lift(&inst, a, None)).transpose()?;
    poits_figure(&inst, net.as_ref())
}

/// The centre-line `x_2 = z + s x_1` as `(w_1, w_2, b)` with `w = (-s, 1)`, `b = -z`.
fn centre_line(g: &Gadget, s: &Rational) -> [f64; 3] {
    [-to_f64(s), 1.0, -to_f64(&g.centre)]
}

/// A POITS instance (from [`reduce`], any activation, padded or not) with an optional
/// network, in the style of the paper's Figure 5 (Section 3, "Global Construction"):
///
/// - overview: the gadgets as black squares on the `x_2`-axis, every candidate levee's
///   centre-line in light grey, the points `p_{j,r}` as circles, and the network's lines in
///   black (a levee shows as a black band of four lines);
/// - zooms: clause gadget `C_1` whole (its `q`-points lie `4/delta` from the axis) and around
///   `h_0`, and variable gadget `v_1`, with all data points there, the candidate centre-lines,
///   and the network's breaklines (classified exactly) over its shaded `phi`.
///
/// The network is judged by the exact verifier; the title says whether it fits, and every
/// misfit point is ringed in red.
///
/// # Errors
/// [`Error::Invalid`] / [`Error::Input`] if `inst` is not a POITS instance (its `meta` is
/// read by [`meta::from_instance`]), or the network does not match its dimension.
pub fn poits_figure(inst: &Instance, net: Option<&Network>) -> Result<String> {
    let record = meta::from_instance(inst)?;
    let layout = &record.layout;
    let tags = point_tags(inst)?;
    let points = plane_points(inst)?;
    if let Some(net) = net {
        check_network(net, inst.dim())?;
    }
    let report = match net {
        Some(net) => Some(verify(inst, net).map_err(|e| Error::Invalid(format!("plot: {e}")))?),
        None => None,
    };
    let misfits: Vec<usize> = report
        .as_ref()
        .map(|r| r.misfit_points(inst))
        .unwrap_or_default();
    let scale = LabelScale::of(&points);

    let mut svg = Svg::new(1240, 870);
    let formula_text: Vec<String> = record
        .formula
        .clauses
        .iter()
        .map(|c| format!("(v{} v{} v{})", c[0], c[1], c[2]))
        .collect();
    let title = format!(
        "{}: {} points, k = {}, Delta = {}, formula {}",
        record.reduction,
        inst.len(),
        inst.k,
        layout.big_delta,
        formula_text.join(" ")
    );
    svg.text(620.0, 22.0, 14.0, Anchor::Middle, &title);
    if let Some(r) = &report {
        let verdict = if r.passes() {
            format!(
                "network of width {}: fits exactly, error {}",
                r.width, r.error
            )
        } else {
            format!(
                "network of width {}: does not fit, error {} > gamma = {}; {} misfit points ringed",
                r.width,
                r.error,
                r.gamma,
                misfits.len()
            )
        };
        svg.text(620.0, 40.0, 12.0, Anchor::Middle, &verdict);
    }

    // Overview.
    let consistency: Vec<(usize, &PlanePoint, usize, usize, usize)> = tags
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            PointTag::Consistency { clause, r, var } => Some((i, &points[i], *clause, *r, *var)),
            _ => None,
        })
        .collect();
    let mut extent: Vec<(f64, f64)> = consistency.iter().map(|c| c.1.at).collect();
    for g in &layout.gadgets {
        let z = to_f64(&g.centre);
        extent.push((0.0, z - 6.0));
        extent.push((0.0, z + 6.0));
    }
    let mut window = auto_window(&extent);
    window[0] = window[0].min(-0.1 * (window[1] - window[0]));
    let overview = Frame {
        left: 70.0,
        top: 74.0,
        width: 600.0,
        height: 740.0,
        window,
    };
    panel_title(
        &mut svg,
        &overview,
        "overview: gadgets, candidate levees, points p(j,r)",
    );
    grid(&mut svg, &overview);
    let clip = svg.clip_rect(overview.left, overview.top, overview.width, overview.height);
    svg.begin_group(&format!(r#"clip-path="url(#{clip})""#));
    let axis_style = Stroke::dashed("#555555", 1.0, "2 3");
    if let Some((p, q)) = overview.clip_line(1.0, 0.0, 0.0) {
        svg.line(
            overview.screen(p),
            overview.screen(q),
            &axis_style,
            "x2-axis",
        );
    }
    for g in &layout.gadgets {
        for s in &g.slopes {
            let [w1, w2, b] = centre_line(g, s);
            if let Some((p, q)) = overview.clip_line(w1, w2, b) {
                let style = Stroke::solid("#c4c4c4", 1.2);
                svg.line(
                    overview.screen(p),
                    overview.screen(q),
                    &style,
                    "candidate-levee",
                );
            }
        }
    }
    if let Some(net) = net {
        for l in breaklines(net) {
            if l.kind == LineKind::Cancelled {
                continue;
            }
            let (w1, w2, b) = (to_f64(&l.w[0]), to_f64(&l.w[1]), to_f64(&l.b));
            if let Some((p, q)) = overview.clip_line(w1, w2, b) {
                let style = Stroke::solid("#000000", 0.9);
                svg.line(overview.screen(p), overview.screen(q), &style, "net-line");
            }
        }
    }
    svg.end_group();
    for g in &layout.gadgets {
        let at = overview.screen((0.0, to_f64(&g.centre)));
        svg.square(at, 4.5, "#000000", "gadget");
        svg.text(at.0 - 9.0, at.1 + 4.0, 11.0, Anchor::End, &g.role.label());
    }
    for &(_, p, clause, r, var) in &consistency {
        let at = overview.screen(p.at);
        svg.circle(
            at.0,
            at.1,
            4.5,
            &label_colour(to_f64(&p.y), scale.lo(), scale.hi()),
            &Stroke::solid("#222222", 0.8),
            "pt lab-hi p-point",
            &format!(r#"data-y="{}""#, p.y),
        );
        let name = format!("p{clause},{r} (v{var})");
        svg.text(at.0 + 7.0, at.1 - 5.0, 10.0, Anchor::Start, &name);
    }
    ring_misfits(&mut svg, &overview, &points, &misfits);
    axes(&mut svg, &overview, "x1", "x2");

    // Zoomed panels.
    let gadget_window = |role: GadgetRole| {
        let at: Vec<(f64, f64)> = tags
            .iter()
            .zip(&points)
            .filter(|(t, _)| matches!(t, PointTag::Gadget { gadget, .. } if *gadget == role))
            .map(|(_, p)| p.at)
            .collect();
        auto_window(&at)
    };
    let mut zooms: Vec<(&Gadget, [f64; 4], &str)> = Vec::new();
    if layout.m > 0 {
        let c1 = layout.clause(1);
        let z1 = to_f64(&c1.centre);
        zooms.push((c1, gadget_window(c1.role), ""));
        zooms.push((c1, [-2.5, 2.5, z1 - 5.0, z1 + 5.0], " near h_0"));
    }
    if layout.n > 0 {
        let v1 = layout.variable(1);
        zooms.push((v1, gadget_window(v1.role), ""));
    }
    let mut y = 74.0;
    for (g, window, what) in zooms {
        let frame = Frame {
            left: 750.0,
            top: y,
            width: 300.0,
            height: 200.0,
            window,
        };
        let slopes: Vec<String> = g.slopes.iter().map(|s| s.to_string()).collect();
        let name = format!(
            "gadget {}{what} (slopes {})",
            g.role.label(),
            slopes.join(", ")
        );
        panel_title(&mut svg, &frame, &name);
        let guides: Vec<[f64; 3]> = g.slopes.iter().map(|s| centre_line(g, s)).collect();
        draw_panel(
            &mut svg,
            &frame,
            &points,
            &scale,
            net,
            net.is_some(),
            3.0,
            &guides,
        );
        ring_misfits(&mut svg, &frame, &points, &misfits);
        y += 270.0;
    }
    let spec = LegendSpec {
        labels: Some(&scale),
        lines: match net {
            Some(n) if n.activation == Activation::Threshold => {
                vec![(LineKind::JumpUp, 1), (LineKind::JumpDown, 1)]
            }
            Some(_) => vec![(LineKind::Convex, 2), (LineKind::Concave, 2)],
            None => Vec::new(),
        },
        lines_title: "per chosen shape",
        shade: net.map(|_| (scale.lo(), scale.hi())),
    };
    draw_legend(&mut svg, 1080.0, 74.0, 150.0, &spec);
    let notes = [
        "overview:",
        "  black square: gadget",
        "  grey: candidate centre-line",
        "  black: network's lines",
        "  circle: p(j,r), label 1",
        "zooms:",
        "  dark grey: candidate",
        "  centre-lines",
        "red ring: misfit point",
    ];
    for (k, note) in notes.iter().enumerate() {
        svg.text(1080.0, 350.0 + 16.0 * k as f64, 11.0, Anchor::Start, note);
    }
    Ok(svg.finish())
}

/// Ring the misfit points that lie inside `frame`.
fn ring_misfits(svg: &mut Svg, frame: &Frame, points: &[PlanePoint], misfits: &[usize]) {
    let ring = Stroke::solid("#e00000", 2.0);
    for &i in misfits {
        if frame.contains(points[i].at) {
            let at = frame.screen(points[i].at);
            svg.circle(at.0, at.1, 8.0, "none", &ring, "misfit", "");
        }
    }
}
