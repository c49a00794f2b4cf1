//! Tests of the SVG plots: well-formed output, one circle per data point with the right
//! label class, exact breakline grouping and classification, clear errors, figure contents.

mod support;

use relufit::num::{int, ratio};
use relufit::plot::{breaklines, plot_instance, LineKind, PlotOptions};
use relufit::reduce::poits::figures;
use relufit::{Activation, Error, Instance, Loss, Network, Neuron, Point, Rational};
use support::build;
use support::paper::{h0_points, levee};

/// Check that the document is well-formed enough: balanced tags, quoted attributes, one
/// root `<svg>`. Returns the element names in document order.
fn check_well_formed(svg: &str) -> Vec<String> {
    let bytes = svg.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut i = 0;
    let mut roots = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            assert!(
                stack.last().is_some() || bytes[i].is_ascii_whitespace(),
                "text outside the root element at byte {i}"
            );
            i += 1;
            continue;
        }
        // Find the end of the tag, skipping quoted attribute values.
        let mut j = i + 1;
        let mut quote: Option<u8> = None;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'"') | (None, b'\'') => quote = Some(bytes[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'<') => panic!("`<` inside a tag at byte {j}"),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        assert!(j < bytes.len(), "unterminated tag at byte {i}");
        let tag = &svg[i + 1..j];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name.trim(), "mismatched closing tag");
        } else {
            let self_closing = tag.ends_with('/');
            let name: String = tag
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/')
                .collect();
            assert!(!name.is_empty(), "empty tag name at byte {i}");
            if stack.is_empty() {
                roots += 1;
                assert_eq!(name, "svg", "the root element must be <svg>");
            }
            names.push(name.clone());
            if !self_closing {
                stack.push(name);
            }
        }
        i = j + 1;
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    assert_eq!(roots, 1, "exactly one root element");
    names
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// Where to save the pictures for a visual check (set `RELUFIT_PLOT_DIR`).
fn save(name: &str, svg: &str) {
    if let Ok(dir) = std::env::var("RELUFIT_PLOT_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), svg).expect("write svg");
    }
}

/// A plotted instance: width 4 (one levee), `gamma = 0`.
fn instance(points: Vec<Point>, activation: Activation) -> Instance {
    build::instance(activation, 4, Loss::Squared, Rational::ZERO, points)
}

#[test]
fn one_circle_per_point_with_label_classes() {
    let inst = instance(h0_points(), Activation::Relu);
    let svg = plot_instance(&inst, None, &PlotOptions::default()).unwrap();
    check_well_formed(&svg);
    assert_eq!(count(&svg, "<circle class=\"pt "), 13);
    assert_eq!(
        count(&svg, "class=\"pt lab-lo\""),
        6,
        "six points with label 0"
    );
    assert_eq!(
        count(&svg, "class=\"pt lab-hi\""),
        3,
        "three points with label 1"
    );
    assert_eq!(count(&svg, "class=\"pt lab-mid\""), 4);
    assert_eq!(count(&svg, "data-y=\"2/3\""), 2);
    // Label 0 and label 1 get clearly different fills.
    let fill_of = |class: &str| -> String {
        let at = svg.find(&format!("class=\"pt {class}\"")).unwrap();
        let rest = &svg[at..];
        let f = rest.find("fill=\"").unwrap() + 6;
        rest[f..f + 7].to_string()
    };
    assert_ne!(fill_of("lab-lo"), fill_of("lab-hi"));
    assert!(!svg.contains("breakline"), "no network, no lines");
}

#[test]
fn levee_has_two_convex_and_two_concave_lines() {
    let net = levee(&int(0));
    let lines = breaklines(&net);
    let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        vec![
            LineKind::Convex,
            LineKind::Concave,
            LineKind::Concave,
            LineKind::Convex
        ]
    );
    let inst = instance(h0_points(), Activation::Relu);
    let opts = PlotOptions {
        shade: true,
        title: Some("levee, slope 0".into()),
        ..PlotOptions::default()
    };
    let svg = plot_instance(&inst, Some(&net), &opts).unwrap();
    check_well_formed(&svg);
    save("levee.svg", &svg);
    assert_eq!(count(&svg, "class=\"breakline convex\""), 2);
    assert_eq!(count(&svg, "class=\"breakline concave\""), 2);
    assert!(
        count(&svg, "<linearGradient") >= 2,
        "the two ramps are shaded"
    );
    assert!(svg.contains("levee, slope 0"));
}

#[test]
fn neurons_on_one_line_are_grouped_exactly() {
    // [x1 + x2 - 1]_+ and -1/2 [2 x1 + 2 x2 - 2]_+ share a line; kink 1 - 1 = 0: cancelled.
    // With a = -1/2 on (1/3)(w, b) the kink is 1 - 1/6 > 0: one convex line.
    let on_line = |c: Rational, a: Rational| Neuron::new(vec![c.clone(), c.clone()], -c, a);
    let cancelled = Network::new(
        Activation::Relu,
        vec![on_line(int(1), int(1)), on_line(int(2), ratio(-1, 2))],
    );
    let lines = breaklines(&cancelled);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].kind, LineKind::Cancelled);

    let convex = Network::new(
        Activation::Relu,
        vec![on_line(int(1), int(1)), on_line(ratio(-1, 3), ratio(-1, 2))],
    );
    let lines = breaklines(&convex);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].kind, LineKind::Convex);
    assert_eq!(lines[0].strength, ratio(5, 6));
    assert_eq!(lines[0].neurons, vec![0, 1]);

    let pts = vec![
        Point::new(vec![int(0), int(0)], int(0)),
        Point::new(vec![int(2), int(2)], int(1)),
    ];
    let inst = instance(pts, Activation::Relu);
    let svg = plot_instance(&inst, Some(&convex), &PlotOptions::default()).unwrap();
    check_well_formed(&svg);
    assert_eq!(count(&svg, "class=\"breakline "), 1);
    assert_eq!(count(&svg, "class=\"breakline convex\""), 1);
    let svg = plot_instance(&inst, Some(&cancelled), &PlotOptions::default()).unwrap();
    assert_eq!(
        count(&svg, "class=\"breakline "),
        0,
        "a cancelled line is no breakline"
    );
}

#[test]
fn threshold_steps_are_drawn_with_direction() {
    // The stripe 1{x2 + 1 > 0} - 1{x2 - 1 > 0} (Corollary 8's analogue of a levee).
    let net = Network::new(
        Activation::Threshold,
        vec![
            Neuron::new(vec![int(0), int(1)], int(1), int(1)),
            Neuron::new(vec![int(0), int(1)], int(-1), int(-1)),
        ],
    );
    let pts = vec![
        Point::new(vec![int(0), int(0)], int(1)),
        Point::new(vec![int(0), int(3)], int(0)),
        Point::new(vec![int(0), int(-3)], int(0)),
    ];
    let inst = instance(pts, Activation::Threshold);
    let opts = PlotOptions {
        shade: true,
        ..PlotOptions::default()
    };
    let svg = plot_instance(&inst, Some(&net), &opts).unwrap();
    check_well_formed(&svg);
    save("stripe.svg", &svg);
    assert_eq!(count(&svg, "class=\"breakline jump-up\""), 1);
    assert_eq!(count(&svg, "class=\"breakline jump-down\""), 1);
    assert_eq!(count(&svg, "<polygon class=\"step-arrow\""), 2);
    // phi is piecewise constant: no gradients, one flat cell of the darkest grey (phi = 1).
    assert_eq!(count(&svg, "<linearGradient id=\"g"), 0);
    assert_eq!(count(&svg, "<polygon class=\"cell\""), 1);
}

#[test]
fn wrong_dimensions_are_refused_clearly() {
    let pts = vec![Point::new(vec![int(1), int(2), int(3)], int(0))];
    let err = plot_instance(
        &instance(pts, Activation::Relu),
        None,
        &PlotOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert!(err.to_string().contains("dimension 3"), "{err}");
    assert!(err.to_string().contains("points[0].x[2]"), "{err}");

    let pts = vec![Point::new(vec![int(1)], int(0))];
    let err = plot_instance(
        &instance(pts, Activation::Relu),
        None,
        &PlotOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("dimension 1"), "{err}");

    // A padded instance (extra coordinates zero) is drawn in its plane.
    let pts = vec![
        Point::new(vec![int(1), int(2), int(0)], int(0)),
        Point::new(vec![int(-1), int(0), int(0)], int(1)),
    ];
    let inst = instance(pts, Activation::Relu);
    let svg = plot_instance(
        &inst,
        Some(&levee(&int(1)).padded_to(3)),
        &PlotOptions::default(),
    )
    .unwrap();
    assert_eq!(count(&svg, "<circle class=\"pt "), 2);
    // A network of the wrong dimension is refused.
    let err = plot_instance(&inst, Some(&levee(&int(1))), &PlotOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("network has input dimension 2"),
        "{err}"
    );

    // An empty window is refused.
    let opts = PlotOptions {
        window: Some([1.0, 1.0, 0.0, 1.0]),
        ..PlotOptions::default()
    };
    assert!(plot_instance(&inst, None, &opts).is_err());
}

#[test]
fn figure2_shows_the_whole_gadget_twice() {
    let svg = figures::figure2();
    check_well_formed(&svg);
    save("figure2.svg", &svg);
    // 13 + 9 + 9 + 4 = 35 points in each of the two panels.
    assert_eq!(count(&svg, "<circle class=\"pt "), 2 * 35);
    assert_eq!(count(&svg, "data-y=\"1/3\""), 2 * 2);
    // Left: the three levees' lines (3 x (2 convex + 2 concave)); right: one levee.
    assert_eq!(count(&svg, "class=\"breakline convex\""), 6 + 2);
    assert_eq!(count(&svg, "class=\"breakline concave\""), 6 + 2);
    assert!(
        svg.contains("<linearGradient"),
        "the chosen levee is shaded"
    );
}

#[test]
fn figure3_is_the_exact_cross_section() {
    let svg = figures::figure3();
    check_well_formed(&svg);
    save("figure3.svg", &svg);
    assert_eq!(count(&svg, "<circle class=\"pt "), 13);
    assert_eq!(count(&svg, "class=\"breakpoint convex\""), 2);
    assert_eq!(count(&svg, "class=\"breakpoint concave\""), 2);
    // The curve has the two ends and four breakpoints.
    let at = svg.find("<polyline class=\"phi\" points=\"").unwrap();
    let rest = &svg[at + 31..];
    let pts = &rest[..rest.find('"').unwrap()];
    assert_eq!(pts.split(' ').count(), 6);
    for k in 1..=9 {
        assert!(svg.contains(&format!(">p{k}</text>")));
    }
}

#[test]
fn figure5_shows_layout_and_zooms() {
    let svg = figures::figure5();
    check_well_formed(&svg);
    save("figure5.svg", &svg);
    assert!(svg.contains("279 points, k = 32, Delta = 54"), "title");
    assert!(
        svg.contains("fits exactly, error 0"),
        "the lifted network is verified"
    );
    assert_eq!(count(&svg, "class=\"misfit\""), 0);
    // 3 clause + 5 variable gadgets; 3*3 + 5*2 candidate levees; 8 levees of 4 lines each.
    assert_eq!(count(&svg, "class=\"gadget\""), 8);
    assert_eq!(count(&svg, "class=\"candidate-levee\""), 19);
    assert_eq!(count(&svg, "class=\"net-line\""), 32);
    // 9 points p_{j,r}, then the 35 points of C1, the 31 of its core (h_0, h_{+-eps}; the
    // q-points lie at x1 = +-24) and the 33 of v1 in the zooms.
    assert_eq!(count(&svg, "p-point\""), 9);
    assert_eq!(count(&svg, "<circle class=\"pt "), 9 + 35 + 31 + 33);
    // Each zoom shows one chosen levee: 2 convex + 2 concave lines.
    assert_eq!(count(&svg, "class=\"breakline convex\""), 6);
    assert_eq!(count(&svg, "class=\"breakline concave\""), 6);
}

#[test]
fn layout_figure_shows_misfits_of_a_non_solution() {
    let f = figures::figure5_formula();
    // v1 and v2 true: clause 3 (v5 v2 v1) has two true literals.
    let bad = relufit::sat::Assignment::from_true_vars(5, &[1, 2]);
    let svg = figures::poits_layout(&f, Some(&bad)).unwrap();
    check_well_formed(&svg);
    save("figure5-misfit.svg", &svg);
    assert!(svg.contains("does not fit"), "verdict in the title");
    assert!(count(&svg, "class=\"misfit\"") >= 1);
    // Without an assignment only the candidates are drawn.
    let svg = figures::poits_layout(&f, None).unwrap();
    check_well_formed(&svg);
    assert_eq!(count(&svg, "class=\"net-line\""), 0);
    assert_eq!(count(&svg, "class=\"breakline "), 0);
    // A hand-made instance is not a POITS instance.
    let inst = instance(h0_points(), Activation::Relu);
    assert!(figures::poits_figure(&inst, None).is_err());
}

#[test]
fn the_theorem1_instance_plots_with_its_network() {
    use relufit::reduce::poits::{lift, reduce, PoitsOptions};
    use relufit::sat::Assignment;
    let f = figures::figure5_formula();
    let inst = reduce(&f, &PoitsOptions::default()).unwrap();
    let net = lift(&inst, &Assignment::from_true_vars(5, &[1, 3]), None).unwrap();
    let opts = PlotOptions {
        shade: true,
        title: Some("Theorem 1 <instance> & network".into()),
        ..PlotOptions::default()
    };
    let svg = plot_instance(&inst, Some(&net), &opts).unwrap();
    check_well_formed(&svg);
    save("theorem1-instance.svg", &svg);
    assert!(svg.contains("Theorem 1 &lt;instance&gt; &amp; network"));
    assert_eq!(count(&svg, "<circle class=\"pt "), 279);
    // Eight levees, none sharing a line: 16 convex and 16 concave lines.
    assert_eq!(count(&svg, "class=\"breakline convex\""), 16);
    assert_eq!(count(&svg, "class=\"breakline concave\""), 16);

    // Padded to d = 3 it draws the same picture in the plane x3 = 0.
    let opts3 = PoitsOptions {
        dim: 3,
        ..PoitsOptions::default()
    };
    let inst3 = reduce(&f, &opts3).unwrap();
    let net3 = lift(&inst3, &Assignment::from_true_vars(5, &[1, 3]), None).unwrap();
    let svg3 = plot_instance(&inst3, Some(&net3), &opts).unwrap();
    assert_eq!(svg3, svg);
}

#[test]
fn many_lines_fall_back_to_a_raster_shading() {
    // 120 lines in general position give thousands of cells: the map is rasterised.
    let neurons: Vec<Neuron> = (0..120i64)
        .map(|i| {
            Neuron::new(
                vec![ratio(i, 7) - int(6), int(1)],
                ratio((i * 13) % 17 - 8, 3),
                ratio(if i % 2 == 0 { 1 } else { -1 }, 20),
            )
        })
        .collect();
    let net = Network::new(Activation::Relu, neurons);
    let pts = vec![
        Point::new(vec![int(-3), int(-3)], int(0)),
        Point::new(vec![int(3), int(3)], int(1)),
    ];
    let opts = PlotOptions {
        shade: true,
        ..PlotOptions::default()
    };
    let svg = plot_instance(&instance(pts, Activation::Relu), Some(&net), &opts).unwrap();
    check_well_formed(&svg);
    save("raster.svg", &svg);
    assert!(svg.contains("class=\"shade raster\""));
    assert!(count(&svg, "<rect class=\"cell\"") > 10);
    assert!(svg.len() < 3_000_000, "{} bytes", svg.len());
}
