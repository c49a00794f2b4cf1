//! Pictures as SVG: instances with networks, and the paper's figures (Section 3).
//!
//! Everything here returns SVG text built by hand (no plotting dependency). Geometry that
//! decides what is drawn (which neurons share a line, whether a line is convex or concave)
//! is exact ([`breaklines`]); coordinates on the canvas are `f64`, drawing only.

pub mod figures;
mod instance;
mod lines;
mod shade;
mod svg;

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
