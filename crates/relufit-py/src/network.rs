//! `relufit.Network`: a two-layer network with exact rational parameters.

use crate::adapter::{self, Network};
use crate::errors::{input_error, IntoPyResult};
use crate::instance::PyInstance;
use crate::numbers;
use crate::svg::{self, PySvg};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::PathBuf;

/// A two-layer network `phi(x) = sum_j a_j act(w_j . x + b_j)` with exact rational
/// parameters, `act` ReLU `max(0, t)` or the threshold `1{t > 0}`.
///
/// `Network(W, b, a, activation="relu")` (the same as `Network.from_arrays`) takes `W` of
/// shape `(k, d)` (row `j` is `w_j`, as PyTorch's `nn.Linear(d, k).weight`), `b` of shape
/// `(k,)` and `a` of shape `(k,)` (`(1, k)`, PyTorch's `nn.Linear(k, 1).weight`, works
/// too). Every float is taken exactly, so a network trained in float32/float64 is verified
/// exactly as it is.
#[pyclass(module = "relufit", name = "Network", frozen)]
pub struct PyNetwork {
    /// The library's network.
    pub inner: Network,
}

impl PyNetwork {
    /// Wrap a network.
    pub fn wrap(inner: Network) -> Self {
        PyNetwork { inner }
    }
}

#[allow(non_snake_case)]
fn from_arrays(
    py: Python<'_>,
    W: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    a: &Bound<'_, PyAny>,
    activation: &str,
) -> PyResult<PyNetwork> {
    let ws = numbers::matrix(W, "W")?;
    let bs = numbers::vector(b, "b")?;
    let as_ = numbers::vector(a, "a")?;
    for (name, len) in [("b", bs.len()), ("a", as_.len())] {
        if len != ws.len() {
            return Err(input_error(
                py,
                format!(
                    "{name}: expected {} entries (one per row of W), got {len}",
                    ws.len()
                ),
            ));
        }
    }
    let neurons = ws
        .into_iter()
        .zip(bs)
        .zip(as_)
        .map(|((w, b), a)| (w, b, a))
        .collect();
    Network::new(activation, neurons)
        .py_err(py)
        .map(PyNetwork::wrap)
}

#[pymethods]
impl PyNetwork {
    #[new]
    #[pyo3(signature = (W, b, a, *, activation = "relu"))]
    #[allow(non_snake_case)]
    fn new(
        py: Python<'_>,
        W: &Bound<'_, PyAny>,
        b: &Bound<'_, PyAny>,
        a: &Bound<'_, PyAny>,
        activation: &str,
    ) -> PyResult<Self> {
        from_arrays(py, W, b, a, activation)
    }

    /// The network with hidden weights `W` (shape `(k, d)`), biases `b` (`(k,)`) and output
    /// weights `a` (`(k,)` or `(1, k)`), every float taken exactly.
    #[staticmethod]
    #[pyo3(signature = (W, b, a, *, activation = "relu"))]
    #[allow(non_snake_case)]
    fn from_arrays(
        py: Python<'_>,
        W: &Bound<'_, PyAny>,
        b: &Bound<'_, PyAny>,
        a: &Bound<'_, PyAny>,
        activation: &str,
    ) -> PyResult<Self> {
        from_arrays(py, W, b, a, activation)
    }

    /// `(W, b, a)` as numpy arrays of shapes `(k, d)`, `(k,)`, `(k,)`: float64 (nearest
    /// doubles, the default) or, with `exact=True`, object arrays of `fractions.Fraction`.
    #[pyo3(signature = (*, exact = false))]
    fn to_arrays<'py>(&self, py: Python<'py>, exact: bool) -> PyResult<Bound<'py, PyTuple>> {
        let parts = adapter::network_parts(&self.inner);
        let rows: Vec<&[adapter::Rational]> = parts.iter().map(|(w, _, _)| w.as_slice()).collect();
        let bs: Vec<adapter::Rational> = parts.iter().map(|(_, b, _)| b.clone()).collect();
        let as_: Vec<adapter::Rational> = parts.iter().map(|(_, _, a)| a.clone()).collect();
        PyTuple::new(
            py,
            [
                numbers::matrix_out(py, &rows, self.inner.dim(), exact)?,
                numbers::vector_out(py, &bs, exact)?,
                numbers::vector_out(py, &as_, exact)?,
            ],
        )
    }

    /// Number of hidden neurons.
    #[getter]
    fn width(&self) -> usize {
        self.inner.width()
    }

    /// Input dimension (0 for a network without neurons).
    #[getter]
    fn d(&self) -> usize {
        self.inner.dim()
    }

    /// `"relu"` or `"threshold"`.
    #[getter]
    fn activation(&self) -> &'static str {
        self.inner.activation()
    }

    /// `phi(x)` at every row of `X` (shape `(m, d)`), exactly, as `Fraction`s.
    #[allow(non_snake_case)]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        X: &Bound<'py, PyAny>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let xs = numbers::matrix(X, "X")?;
        let values = self.inner.evaluate(&xs).py_err(py)?;
        values.iter().map(|q| numbers::fraction(py, q)).collect()
    }

    /// `phi(x)` at every row of `X` as a float64 array (the exact values, rounded once).
    #[allow(non_snake_case)]
    fn predict<'py>(&self, py: Python<'py>, X: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let xs = numbers::matrix(X, "X")?;
        let values = self.inner.evaluate(&xs).py_err(py)?;
        numbers::vector_out(py, &values, false)
    }

    /// The paper's normalisation: for ReLU every output weight becomes +1 or -1 (the
    /// magnitude moves into `w` and `b`), the function unchanged.
    fn normalize(&self) -> Self {
        Self::wrap(self.inner.normalize())
    }

    /// Whether two ReLU networks compute the same function on all of `R^d` (compared by
    /// their canonical forms; neuron order, split neurons and flips do not matter).
    fn same_function(&self, py: Python<'_>, other: PyRef<'_, Self>) -> PyResult<bool> {
        self.inner.same_function(&other.inner).ok_or_else(|| {
            input_error(
                py,
                "same_function: defined for ReLU networks (threshold networks also differ on \
                 the hyperplanes themselves)",
            )
        })
    }

    /// Number of distinct breaking hyperplanes of a ReLU network's function (`None` for
    /// threshold networks).
    #[getter]
    fn breaking_hyperplanes(&self) -> Option<usize> {
        self.inner.breaking_hyperplanes()
    }

    /// The `relufit-network/1` JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Parse `relufit-network/1` JSON; `source` names the text in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, source = "<string>"))]
    fn from_json(py: Python<'_>, text: &str, source: &str) -> PyResult<Self> {
        Network::from_json(text, source).py_err(py).map(Self::wrap)
    }

    /// Read a `relufit-network/1` JSON file.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let text = adapter::read_text(&path).py_err(py)?;
        Network::from_json(&text, &path.display().to_string())
            .py_err(py)
            .map(Self::wrap)
    }

    /// Write the network as `relufit-network/1` JSON (atomically).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        adapter::write_file(&path, self.inner.to_json().as_bytes()).py_err(py)
    }

    /// Plot a network with two inputs: breaklines (convex solid red, concave dashed blue)
    /// over an instance's points, or alone with the shaded map of `phi`.
    #[pyo3(signature = (instance = None, *, shade = None, window = None, width = 720, height = 560, title = None))]
    #[allow(clippy::too_many_arguments)]
    fn plot(
        &self,
        py: Python<'_>,
        instance: Option<PyRef<'_, PyInstance>>,
        shade: Option<bool>,
        window: Option<Vec<f64>>,
        width: u32,
        height: u32,
        title: Option<String>,
    ) -> PyResult<PySvg> {
        let text = match instance {
            Some(inst) => {
                let spec = svg::spec(py, shade.unwrap_or(false), window, width, height, title)?;
                adapter::plot(&inst.inner, Some(&self.inner), spec)
            }
            None => {
                let spec = svg::spec(py, shade.unwrap_or(true), window, width, height, title)?;
                adapter::plot_network(&self.inner, spec)
            }
        };
        text.py_err(py).map(PySvg::new)
    }

    /// Jupyter: the plot of a network with two inputs (`None` otherwise).
    fn _repr_svg_(&self, py: Python<'_>) -> Option<String> {
        let spec = svg::spec(py, true, None, 720, 560, None).ok()?;
        adapter::plot_network(&self.inner, spec).ok()
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!(
            "Network(width={}, d={}, activation='{}')",
            self.inner.width(),
            self.inner.dim(),
            self.inner.activation()
        )
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let f = py
            .import("relufit._relufit")?
            .getattr("_network_from_json")?;
        PyTuple::new(
            py,
            [f, PyTuple::new(py, [self.inner.to_json()])?.into_any()],
        )
    }
}

/// Unpickling: a network from its JSON text.
#[pyfunction]
pub fn _network_from_json(py: Python<'_>, text: &str) -> PyResult<PyNetwork> {
    Network::from_json(text, "<pickle>")
        .py_err(py)
        .map(PyNetwork::wrap)
}
