//! Pictures as SVG: instances with networks ([`plot_instance`]), and the drawing primitives
//! the paper's figures are built from.
//!
//! Everything here returns SVG text built by hand (no plotting dependency) by one writer
//! (`svg`). Geometry that decides what is drawn (which neurons share a line, whether a line
//! is convex or concave) is exact ([`breaklines`]); coordinates on the canvas are `f64`,
//! drawing only.
//!
//! `plot` sits below `reduce` in the layers (see `DESIGN.md`) and knows nothing of the
//! reductions: the figures of the paper's constructions live with them
//! (`reduce::poits::figures` for Figures 2, 3 and 5, `reduce::separability::figure` for
//! Figure 6) and draw with `plot::panel` and `plot::svg` (crate-internal).

mod instance;
mod lines;
pub(crate) mod panel;
mod shade;
pub(crate) mod svg;

pub use instance::plot_instance;
pub use lines::{breaklines, Breakline, LineKind};

/// How to draw an instance.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    /// Canvas width in pixels (at least 200 is used).
    pub width: u32,
    /// Canvas height in pixels (at least 150 is used).
    pub height: u32,
    /// World window `[x1min, x1max, x2min, x2max]`; `None`: the points' bounding box with a
    /// margin. Points outside the window are not drawn.
    pub window: Option<[f64; 4]>,
    /// Shade the map of `phi` (grey, white = lowest label, dark = highest) when a network is
    /// given.
    pub shade: bool,
    /// Title above the plot.
    pub title: Option<String>,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            width: 720,
            height: 560,
            window: None,
            shade: false,
            title: None,
        }
    }
}
