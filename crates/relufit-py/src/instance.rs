//! `relufit.Instance`: training data with width, loss, activation and target error.

use crate::adapter::{self, Instance, InstanceSpec};
use crate::errors::{input_error, IntoPyResult};
use crate::network::PyNetwork;
use crate::numbers::{self, fraction};
use crate::svg::{self, PySvg};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::{Path, PathBuf};

/// A training instance: data points `(x_i, y_i)` with exact rational entries, the width
/// `k`, the activation (`"relu"` or `"threshold"`), the loss (`"squared"`, `"abs"`, `"max"`,
/// `"zero-one"`) and the target error `gamma`.
///
/// `Instance(X, y, k, activation="relu", loss="squared", gamma=0, meta=None)` takes `X` of
/// shape `(n, d)` and `y` of shape `(n,)` as numpy arrays, tensors or nested lists. Every
/// entry is converted exactly: a float is the dyadic rational it is (`0.1` is
/// `3602879701896397/36028797018963968`, as `float.as_integer_ratio()` says), a string is
/// read like the file formats read numbers (`"0.1"` is 1/10, `"-7/3"`), `Fraction`, `int`,
/// `Decimal` and numpy scalars are taken as they are. NaN and infinities are refused.
///
/// Instances are immutable; `replace(...)` returns a changed copy.
#[pyclass(module = "relufit", name = "Instance", frozen)]
pub struct PyInstance {
    /// The library's instance.
    pub inner: Instance,
}

impl PyInstance {
    /// Wrap an instance.
    pub fn wrap(inner: Instance) -> Self {
        PyInstance { inner }
    }

    fn rows(&self) -> Vec<&[adapter::Rational]> {
        (0..self.inner.len()).map(|i| self.inner.x(i)).collect()
    }

    fn labels(&self) -> Vec<adapter::Rational> {
        (0..self.inner.len())
            .map(|i| self.inner.y(i).clone())
            .collect()
    }
}

/// Largest instance Jupyter draws by itself (every point is an SVG element).
const REPR_SVG_MAX_POINTS: usize = 20_000;

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn meta_text(py: Python<'_>, meta: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match meta {
        None => Ok(None),
        Some(m) if m.is_none() => Ok(None),
        Some(m) => Ok(Some(
            py.import("json")?
                .call_method1("dumps", (m,))?
                .extract::<String>()?,
        )),
    }
}

#[pymethods]
impl PyInstance {
    #[new]
    #[pyo3(signature = (X, y, k, *, activation = "relu", loss = "squared", gamma = None, meta = None))]
    #[allow(non_snake_case, clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        X: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        k: &Bound<'_, PyAny>,
        activation: &str,
        loss: &str,
        gamma: Option<&Bound<'_, PyAny>>,
        meta: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let xs = numbers::matrix(X, "X")?;
        let ys = numbers::vector(y, "y")?;
        let spec = InstanceSpec {
            xs,
            ys,
            k: numbers::count(k, "k", 1, "the width must be at least 1")?,
            activation: activation.into(),
            loss: loss.into(),
            gamma: numbers::optional(gamma, "gamma", adapter::number_zero())?,
            meta_json: meta_text(py, meta)?,
        };
        Instance::new(spec).py_err(py).map(Self::wrap)
    }

    /// Number of data points `n`.
    #[getter]
    fn n(&self) -> usize {
        self.inner.len()
    }

    /// Input dimension `d`.
    #[getter]
    fn d(&self) -> usize {
        self.inner.dim()
    }

    /// Width `k` (number of hidden neurons allowed).
    #[getter]
    fn k(&self) -> usize {
        self.inner.k()
    }

    /// `"relu"` or `"threshold"`.
    #[getter]
    fn activation(&self) -> &'static str {
        self.inner.activation()
    }

    /// `"squared"`, `"abs"`, `"max"`, `"zero-one"`, or `"lp:P"` (the `l^p` loss, `P >= 3`,
    /// read from a file; no solver handles it).
    #[getter]
    fn loss(&self) -> String {
        self.inner.loss()
    }

    /// Target error `gamma` (exact).
    #[getter]
    fn gamma<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        fraction(py, self.inner.gamma())
    }

    /// Provenance (a dict, or `None`); reductions record here what decoding needs.
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.inner.meta_json(),))
    }

    /// Inputs as a float64 array of shape `(n, d)` (nearest doubles; `to_numpy(exact=True)`
    /// gives the exact values).
    #[getter]
    #[allow(non_snake_case)]
    fn X<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        numbers::matrix_out(py, &self.rows(), self.inner.dim(), false)
    }

    /// Labels as a float64 array of shape `(n,)`.
    #[getter]
    fn y<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        numbers::vector_out(py, &self.labels(), false)
    }

    /// `(X, y)` as numpy arrays: float64 (nearest doubles, the default) or, with
    /// `exact=True`, object arrays of `fractions.Fraction`.
    #[pyo3(signature = (*, exact = false))]
    fn to_numpy<'py>(&self, py: Python<'py>, exact: bool) -> PyResult<Bound<'py, PyTuple>> {
        let x = numbers::matrix_out(py, &self.rows(), self.inner.dim(), exact)?;
        let y = numbers::vector_out(py, &self.labels(), exact)?;
        PyTuple::new(py, [x, y])
    }

    /// A copy with other parameters (arguments left out are kept).
    #[pyo3(signature = (*, k = None, activation = None, loss = None, gamma = None))]
    fn replace(
        &self,
        py: Python<'_>,
        k: Option<&Bound<'_, PyAny>>,
        activation: Option<&str>,
        loss: Option<&str>,
        gamma: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let k = match k {
            Some(k) if !k.is_none() => {
                Some(numbers::count(k, "k", 1, "the width must be at least 1")?)
            }
            _ => None,
        };
        let gamma = match gamma {
            Some(g) if !g.is_none() => Some(numbers::rational(g, &|| "gamma".into())?),
            _ => None,
        };
        self.inner
            .with_params(k, activation, loss, gamma)
            .py_err(py)
            .map(Self::wrap)
    }

    /// Number of distinct inputs (with `k` at least this, interpolation fits optimally).
    #[getter]
    fn distinct_inputs(&self) -> usize {
        self.inner.distinct_inputs()
    }

    /// Pairs `(i, j)` of points with the same input but different labels (no network fits
    /// both exactly).
    fn conflicting_duplicates(&self) -> Vec<(usize, usize)> {
        self.inner.conflicting_duplicates()
    }

    /// The `relufit-instance/1` JSON text (numbers as exact strings).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Parse `relufit-instance/1` JSON; `source` names the text in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, source = "<string>"))]
    fn from_json(py: Python<'_>, text: &str, source: &str) -> PyResult<Self> {
        Instance::from_json(text, source).py_err(py).map(Self::wrap)
    }

    /// CSV text: header `x1,...,xd,y`, one row per point, exact values.
    fn to_csv(&self) -> String {
        self.inner.to_csv()
    }

    /// Read CSV text (`x1,...,xd,y`, optional header); CSV holds no width, loss,
    /// activation or gamma, so they are given here.
    #[staticmethod]
    #[pyo3(signature = (text, k, *, activation = "relu", loss = "squared", gamma = None, source = "<string>"))]
    fn from_csv(
        py: Python<'_>,
        text: &str,
        k: &Bound<'_, PyAny>,
        activation: &str,
        loss: &str,
        gamma: Option<&Bound<'_, PyAny>>,
        source: &str,
    ) -> PyResult<Self> {
        let k = numbers::count(k, "k", 1, "the width must be at least 1")?;
        let gamma = numbers::optional(gamma, "gamma", adapter::number_zero())?;
        Instance::from_csv(text, source, k, activation, loss, gamma)
            .py_err(py)
            .map(Self::wrap)
    }

    /// Read an instance file: `.json` (`relufit-instance/1`) or `.csv` (then `k` is
    /// required; `activation`, `loss`, `gamma` default to relu, squared, 0). For JSON, the
    /// parameters given here replace the file's.
    #[staticmethod]
    #[pyo3(signature = (path, *, k = None, activation = None, loss = None, gamma = None))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        k: Option<&Bound<'_, PyAny>>,
        activation: Option<&str>,
        loss: Option<&str>,
        gamma: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let source = path.display().to_string();
        match extension(&path).as_str() {
            "json" => {
                let text = adapter::read_text(&path).py_err(py)?;
                let inst = Self::wrap(Instance::from_json(&text, &source).py_err(py)?);
                if k.is_none() && activation.is_none() && loss.is_none() && gamma.is_none() {
                    Ok(inst)
                } else {
                    inst.replace(py, k, activation, loss, gamma)
                }
            }
            "csv" => {
                let Some(k) = k.filter(|k| !k.is_none()) else {
                    return Err(input_error(py, "k: reading CSV needs the width: pass k=K"));
                };
                let text = adapter::read_text(&path).py_err(py)?;
                Self::from_csv(
                    py,
                    &text,
                    k,
                    activation.unwrap_or("relu"),
                    loss.unwrap_or("squared"),
                    gamma,
                    &source,
                )
            }
            other => Err(input_error(
                py,
                format!("{source}: unknown input extension `.{other}` (expected .json or .csv)"),
            )),
        }
    }

    /// Write the instance (atomically): `.json` (exact, everything), `.csv` (data only,
    /// exact) or `.npy` (float64 array of shape `(n, d + 1)`, columns `x1..xd, y`).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let bytes = match extension(&path).as_str() {
            "json" => self.inner.to_json().into_bytes(),
            "csv" => self.inner.to_csv().into_bytes(),
            "npy" => self.inner.to_npy().py_err(py)?,
            other => {
                return Err(input_error(
                    py,
                    format!(
                        "{}: unknown output extension `.{other}` (expected .json, .csv or .npy)",
                        path.display()
                    ),
                ))
            }
        };
        adapter::write_file(&path, &bytes).py_err(py)
    }

    /// Plot a two-dimensional instance (points coloured by label) with an optional
    /// network (its breaklines; `shade=True` shades the map of `phi`).
    #[pyo3(signature = (network = None, *, shade = false, window = None, width = 720, height = 560, title = None))]
    #[allow(clippy::too_many_arguments)]
    fn plot(
        &self,
        py: Python<'_>,
        network: Option<PyRef<'_, PyNetwork>>,
        shade: bool,
        window: Option<Vec<f64>>,
        width: u32,
        height: u32,
        title: Option<String>,
    ) -> PyResult<PySvg> {
        let spec = svg::spec(py, shade, window, width, height, title)?;
        adapter::plot(&self.inner, network.as_ref().map(|n| &n.inner), spec)
            .py_err(py)
            .map(PySvg::new)
    }

    /// Jupyter: the plot of a two-dimensional instance (`None` for other dimensions, and
    /// above [`REPR_SVG_MAX_POINTS`] points, where `plot()` still works).
    fn _repr_svg_(&self, py: Python<'_>) -> Option<String> {
        if self.inner.len() > REPR_SVG_MAX_POINTS {
            return None;
        }
        let spec = svg::spec(py, false, None, 720, 560, None).ok()?;
        adapter::plot(&self.inner, None, spec).ok()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> String {
        format!(
            "Instance(n={}, d={}, k={}, activation='{}', loss='{}', gamma={})",
            self.inner.len(),
            self.inner.dim(),
            self.inner.k(),
            self.inner.activation(),
            self.inner.loss(),
            self.inner.gamma()
        )
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let f = py
            .import("relufit._relufit")?
            .getattr("_instance_from_json")?;
        PyTuple::new(
            py,
            [f, PyTuple::new(py, [self.inner.to_json()])?.into_any()],
        )
    }
}

/// Unpickling: an instance from its JSON text.
#[pyfunction]
pub fn _instance_from_json(py: Python<'_>, text: &str) -> PyResult<PyInstance> {
    Instance::from_json(text, "<pickle>")
        .py_err(py)
        .map(PyInstance::wrap)
}
