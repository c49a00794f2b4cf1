//! The paper's figures of Section 3, drawn from the library's own construction
//! ([`crate::reduce::poits::layout`], [`crate::reduce::poits::gadget`]) rather than from
//! copied numbers:
//!
//! - [`figure2`]: the selection gadget with `l = 3`, slopes `-1, 0, 1` (Figure 2);
//! - [`figure3`]: the cross-section of the levee along `h_0` (Figure 3, right);
//! - [`figure5`]: the global layout for `(v5 v v4 v v3)(v4 v v3 v v2)(v5 v v2 v v1)` with the
//!   solution `{v1, v3}` (Figure 5), and [`poits_layout`] for any formula.

use super::instance::{
    auto_window, draw_legend, draw_panel, draw_points, kind_counts, label_colour, line_stroke,
    LabelScale, LegendSpec, PlanePoint,
};
use super::lines::{breaklines, LineKind};
use super::svg::{axes, grid, Anchor, Frame, Stroke, Svg};
use crate::model::{Activation, Network};
use crate::num::{int, to_f64, Rational};
use crate::reduce::poits::gadget::{levee_neurons, selection_gadget, GadgetPoint, GadgetPointRole};
use crate::reduce::poits::layout::{gadget_epsilon, Gadget, GadgetRole, Layout};
use crate::reduce::poits::{Assignment, Formula};
use crate::verify::evaluate;
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
    for ((x2, kind), v) in knots.iter().zip(&values) {
        let Some(kind) = kind else { continue };
        let at = frame.screen((to_f64(x2), to_f64(v)));
        let base = frame.screen((to_f64(x2), -0.15));
        let stroke = line_stroke(*kind);
        svg.line(
            at,
            base,
            &Stroke::dashed(&stroke.color, 1.0, "3 3"),
            &format!("breakpoint-guide {}", kind.name()),
        );
        svg.square(
            at,
            5.0,
            &stroke.color,
            &format!("breakpoint {}", kind.name()),
        );
    }
    let pts: Vec<PlanePoint> = h0
        .iter()
        .map(|p| PlanePoint {
            at: (to_f64(&p.x[1]), to_f64(&p.y)),
            y: p.y.clone(),
        })
        .collect();
    let scale = LabelScale::of(&pts);
    draw_points(&mut svg, &frame, &pts, &scale, 5.0);
    // Name the nine points p_1..p_9 that every line h_{-eps}, h_0, h_eps carries.
    let mut k = 0;
    for p in &h0 {
        if p.x[1].denominator() == &crate::num::Natural::ONE {
            k += 1;
            let (x, y) = frame.screen((to_f64(&p.x[1]), to_f64(&p.y)));
            svg.text(x, y - 10.0, 11.0, Anchor::Middle, &format!("p{k}"));
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
    svg.text(690.0, 260.0, 11.0, Anchor::Start, "squares: breakpoints");
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
/// (Section 3, "Global Construction"), drawn by [`poits_layout`].
pub fn figure5() -> String {
    let f = figure5_formula();
    let a = Assignment::from_true_vars(f.num_vars, &[1, 3]);
    poits_layout(&f, Some(&a)).expect("{1, 3} solves the Figure 5 formula")
}

/// The slope chosen in a gadget under a solution: clause `j` takes `s_{r_j}` for its true
/// literal `r_j`, variable `v_i` takes -1 if true and +1 if false.
fn chosen_slope(g: &Gadget, choices: &[usize], a: &Assignment) -> Rational {
    match g.role {
        GadgetRole::Clause(j) => g.slopes[choices[j - 1] - 1].clone(),
        GadgetRole::Variable(i) => Layout::variable_slope(a.get(i)),
    }
}

/// The global layout of the Theorem 1 reduction for any formula (Figure 5 for the paper's
/// formula): an overview (gadgets as squares on the `x_2`-axis, every candidate levee's
/// centre-line in light grey, the points `p_{j,r}` as circles, and, for a solution, the
/// chosen levees in black), plus zoomed panels of clause gadget `C_1` and variable gadget
/// `v_1` with all their data points, the candidate levees' centre-lines, and the chosen
/// levee shaded with its breaklines.
///
/// # Errors
/// [`Error::Invalid`] if the formula is invalid or has no clauses, or if `assignment` is not
/// a 1-in-3 solution of it.
pub fn poits_layout(formula: &Formula, assignment: Option<&Assignment>) -> Result<String> {
    formula
        .validate()
        .map_err(|e| Error::Invalid(format!("plot: {e}")))?;
    if formula.clauses.is_empty() {
        return Err(Error::Invalid(
            "plot: the layout figure needs at least one clause".into(),
        ));
    }
    let choices = match assignment {
        Some(a) => Some(formula.chosen_literals(a).ok_or_else(|| {
            Error::Invalid(format!(
                "plot: the assignment with true variables {:?} is not a 1-in-3 solution",
                a.true_vars()
            ))
        })?),
        None => None,
    };
    let layout = Layout::new(formula);
    let p_points = layout.p_points();
    // The chosen levees as one network (Theorem 1's canonical network).
    let chosen: Option<Network> = match (&choices, assignment) {
        (Some(c), Some(a)) => Some(Network::new(
            Activation::Relu,
            layout
                .gadgets
                .iter()
                .flat_map(|g| levee_neurons(&g.centre, &chosen_slope(g, c, a)))
                .collect(),
        )),
        _ => None,
    };

    let mut svg = Svg::new(1240, 850);
    let title = match assignment {
        Some(a) => format!(
            "Figure 5: layout for {} clauses, {} variables (Delta = {}), solution: true = {:?}",
            layout.m,
            layout.n,
            layout.big_delta,
            a.true_vars()
        ),
        None => format!(
            "Layout for {} clauses, {} variables (Delta = {})",
            layout.m, layout.n, layout.big_delta
        ),
    };
    svg.text(620.0, 24.0, 15.0, Anchor::Middle, &title);

    // Overview.
    let mut extent: Vec<(f64, f64)> = p_points
        .iter()
        .map(|p| (to_f64(&p.x[0]), to_f64(&p.x[1])))
        .collect();
    for g in &layout.gadgets {
        let z = to_f64(&g.centre);
        extent.push((0.0, z - 6.0));
        extent.push((0.0, z + 6.0));
    }
    let mut window = auto_window(&extent);
    window[0] = window[0].min(-0.1 * (window[1] - window[0]));
    let overview = Frame {
        left: 70.0,
        top: 60.0,
        width: 600.0,
        height: 730.0,
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
    if let Some((p, q)) = overview.clip_line(1.0, 0.0, 0.0) {
        svg.line(
            overview.screen(p),
            overview.screen(q),
            &Stroke::dashed("#555555", 1.0, "2 3"),
            "x2-axis",
        );
    }
    let centre_line = |g: &Gadget, s: &Rational| (-to_f64(s), 1.0, -to_f64(&g.centre));
    for g in &layout.gadgets {
        for s in &g.slopes {
            let (w1, w2, b) = centre_line(g, s);
            if let Some((p, q)) = overview.clip_line(w1, w2, b) {
                svg.line(
                    overview.screen(p),
                    overview.screen(q),
                    &Stroke::solid("#c4c4c4", 1.2),
                    "candidate-levee",
                );
            }
        }
    }
    if let (Some(c), Some(a)) = (&choices, assignment) {
        for g in &layout.gadgets {
            let (w1, w2, b) = centre_line(g, &chosen_slope(g, c, a));
            if let Some((p, q)) = overview.clip_line(w1, w2, b) {
                svg.line(
                    overview.screen(p),
                    overview.screen(q),
                    &Stroke::solid("#000000", 1.6),
                    "chosen-levee",
                );
            }
        }
    }
    svg.end_group();
    for g in &layout.gadgets {
        let at = overview.screen((0.0, to_f64(&g.centre)));
        svg.square(at, 4.5, "#000000", "gadget");
        svg.text(at.0 - 9.0, at.1 + 4.0, 11.0, Anchor::End, &g.role.label());
    }
    let p_color = label_colour(1.0, 0.0, 1.0);
    for p in &p_points {
        let at = overview.screen((to_f64(&p.x[0]), to_f64(&p.x[1])));
        svg.circle(
            at.0,
            at.1,
            4.5,
            &p_color,
            &Stroke::solid("#222222", 0.8),
            "pt lab-hi p-point",
            r#"data-y="1""#,
        );
        svg.text(
            at.0 + 7.0,
            at.1 - 5.0,
            10.0,
            Anchor::Start,
            &format!("p{},{} (v{})", p.clause, p.r, p.var),
        );
    }
    axes(&mut svg, &overview, "x1", "x2");

    // Zoomed panels: clause gadget C_1 whole (its q-points lie 4/delta = 8m away from the
    // x_2-axis), the core of C_1 around h_0, and variable gadget v_1.
    let c1 = layout.clause(1);
    let z1 = to_f64(&c1.centre);
    let zooms: [(&Gadget, Option<[f64; 4]>, &str); 3] = [
        (c1, None, ""),
        (c1, Some([-2.5, 2.5, z1 - 5.0, z1 + 5.0]), " core"),
        (layout.variable(1), None, ""),
    ];
    let mut y = 60.0;
    let mut scale_for_legend = None;
    for (g, window, what) in zooms {
        let pts = plane(&selection_gadget(&g.centre, &g.slopes, &layout.epsilon));
        let window =
            window.unwrap_or_else(|| auto_window(&pts.iter().map(|p| p.at).collect::<Vec<_>>()));
        let frame = Frame {
            left: 750.0,
            top: y,
            width: 300.0,
            height: 200.0,
            window,
        };
        let slopes: Vec<String> = g.slopes.iter().map(|s| s.to_string()).collect();
        panel_title(
            &mut svg,
            &frame,
            &format!(
                "gadget {}{what} (slopes {})",
                g.role.label(),
                slopes.join(", ")
            ),
        );
        let guides: Vec<[f64; 3]> = g
            .slopes
            .iter()
            .map(|s| {
                let (w1, w2, b) = centre_line(g, s);
                [w1, w2, b]
            })
            .collect();
        let scale = LabelScale::of(&pts);
        draw_panel(
            &mut svg,
            &frame,
            &pts,
            &scale,
            chosen.as_ref(),
            chosen.is_some(),
            3.0,
            &guides,
        );
        scale_for_legend = Some(scale);
        y += 265.0;
    }
    let scale = scale_for_legend.expect("three zoom panels");
    let spec = LegendSpec {
        labels: Some(&scale),
        lines: if chosen.is_some() {
            vec![(LineKind::Convex, 2), (LineKind::Concave, 2)]
        } else {
            Vec::new()
        },
        lines_title: "chosen levee (zooms)",
        shade: chosen.as_ref().map(|_| (scale.lo(), scale.hi())),
    };
    draw_legend(&mut svg, 1080.0, 60.0, 150.0, &spec);
    let notes = [
        "overview:",
        "black square: gadget",
        "grey line: candidate levee",
        "black line: chosen levee",
        "circle: p(j,r), label 1",
        "zooms: grey line =",
        "candidate centre-line",
    ];
    for (k, note) in notes.iter().enumerate() {
        svg.text(1080.0, 330.0 + 16.0 * k as f64, 11.0, Anchor::Start, note);
    }
    Ok(svg.finish())
}
