//! Plot a two-dimensional instance with an optional network: data points coloured by
//! label, the network's breaklines (exactly grouped and classified, see [`super::lines`])
//! and optionally the shaded map of `phi`.

use super::lines::breaklines;
use super::panel::{
    auto_window, check_network, draw_legend, draw_panel, kind_counts, plane_points, LabelScale,
    LegendSpec,
};
use super::svg::{Anchor, Frame, Svg};
use super::PlotOptions;
use crate::model::{Instance, Network};
use crate::{Error, Result};

fn check_window(w: [f64; 4]) -> Result<()> {
    if w.iter().all(|v| v.is_finite()) && w[0] < w[1] && w[2] < w[3] {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "plot: the window must be [x1min, x1max, x2min, x2max] with min < max, got {w:?}"
        )))
    }
}

/// Plot a two-dimensional instance (or a padded one: `d > 2` with all further coordinates
/// zero) with an optional network.
///
/// Points are coloured by label (blue = lowest, red = highest; class `lab-lo`, `lab-mid`,
/// `lab-hi`, exact label in `data-y`). The network's breaklines are grouped and
/// classified exactly ([`super::breaklines`]): convex ones solid red, concave ones dashed
/// blue; for threshold networks steps with an arrow towards the higher side. With
/// `opts.shade` the map of `phi` is shaded in grey. Lines of Observation 3's levee show as
/// two convex and two concave lines.
///
/// # Errors
/// [`Error::Invalid`] if the data is not two-dimensional (or padded two-dimensional), the
/// network's dimension differs from the data's, or the window is empty.
pub fn plot_instance(inst: &Instance, net: Option<&Network>, opts: &PlotOptions) -> Result<String> {
    let points = plane_points(inst)?;
    if let Some(net) = net {
        check_network(net, inst.dim())?;
    }
    let window = match opts.window {
        Some(w) => w,
        None => auto_window(&points.iter().map(|p| p.at).collect::<Vec<_>>()),
    };
    check_window(window)?;
    let mut svg = Svg::new(opts.width.max(200), opts.height.max(150));
    let (w, h) = (svg.width(), svg.height());
    let legend_width = 170.0;
    let top = if opts.title.is_some() { 34.0 } else { 14.0 };
    let frame = Frame {
        left: 62.0,
        top,
        width: (w - 62.0 - legend_width - 16.0).max(40.0),
        height: (h - top - 48.0).max(40.0),
        window,
    };
    if let Some(title) = &opts.title {
        svg.text(w / 2.0, 22.0, 15.0, Anchor::Middle, title);
    }
    let scale = LabelScale::of(&points);
    let radius = if points.len() > 400 { 2.5 } else { 4.0 };
    draw_panel(
        &mut svg,
        &frame,
        &points,
        &scale,
        net,
        opts.shade,
        radius,
        &[],
    );
    let lines = net.map(breaklines).unwrap_or_default();
    let spec = LegendSpec {
        labels: Some(&scale),
        lines: kind_counts(&frame, &lines),
        lines_title: "breaklines",
        shade: (opts.shade && net.is_some()).then(|| (scale.lo(), scale.hi())),
    };
    draw_legend(
        &mut svg,
        frame.left + frame.width + 16.0,
        top,
        legend_width - 16.0,
        &spec,
    );
    Ok(svg.finish())
}
