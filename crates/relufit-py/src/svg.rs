//! `Svg`: a picture from the library's plot module, shown inline by Jupyter.

use crate::adapter::{self, PlotSpec};
use crate::errors::{input_error, IntoPyResult};
use pyo3::prelude::*;
use std::path::PathBuf;

/// An SVG picture (Jupyter shows it inline); `str(svg)` is the SVG text.
#[pyclass(module = "relufit", name = "Svg", frozen)]
pub struct PySvg {
    text: String,
}

impl PySvg {
    /// Wrap SVG text.
    pub fn new(text: String) -> Self {
        PySvg { text }
    }
}

#[pymethods]
impl PySvg {
    /// The SVG text.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// Write the SVG to `path` (atomically).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        adapter::write_file(&path, self.text.as_bytes()).py_err(py)
    }

    fn _repr_svg_(&self) -> &str {
        &self.text
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!("<relufit.Svg, {} bytes>", self.text.len())
    }
}

/// Plot options from the keyword arguments shared by every `plot` method.
pub fn spec(
    py: Python<'_>,
    shade: bool,
    window: Option<Vec<f64>>,
    width: u32,
    height: u32,
    title: Option<String>,
) -> PyResult<PlotSpec> {
    let window = match window {
        None => None,
        Some(w) => Some(<[f64; 4]>::try_from(w.as_slice()).map_err(|_| {
            input_error(
                py,
                format!(
                    "window: expected four numbers (x1min, x1max, x2min, x2max), got {}",
                    w.len()
                ),
            )
        })?),
    };
    Ok(PlotSpec {
        width,
        height,
        window,
        shade,
        title,
    })
}
