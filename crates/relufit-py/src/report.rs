//! `relufit.Report` and `relufit.verify`: the exact judgement of a network on an instance.

use crate::adapter::{self, Report};
use crate::errors::IntoPyResult;
use crate::instance::PyInstance;
use crate::network::PyNetwork;
use crate::numbers::{self, fraction, fractions};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// The verifier's exact judgement of a network on an instance: `phi(x_i)` at every point
/// and the training error, computed in exact rational arithmetic (a float filter decides
/// the easy signs with a rigorous error bound, exact integers the rest).
#[pyclass(module = "relufit", name = "Report", frozen)]
pub struct PyReport {
    report: Report,
    instance: Py<PyInstance>,
}

impl PyReport {
    /// A report on `instance`.
    pub fn new(report: Report, instance: Py<PyInstance>) -> Self {
        PyReport { report, instance }
    }
}

#[pymethods]
impl PyReport {
    /// The exact training error under the instance's loss (`Fraction`).
    #[getter]
    fn error<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        fraction(py, self.report.error())
    }

    /// The instance's target error (`Fraction`).
    #[getter]
    fn gamma<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        fraction(py, self.report.gamma())
    }

    /// The network is a witness: width `<= k` and error `<= gamma`.
    #[getter]
    fn passes(&self) -> bool {
        self.report.passes()
    }

    /// The network has more neurons than the instance's `k`.
    #[getter]
    fn too_wide(&self) -> bool {
        self.report.too_wide()
    }

    /// Number of neurons of the network.
    #[getter]
    fn width(&self) -> usize {
        self.report.width()
    }

    /// The instance's width bound `k`.
    #[getter]
    fn k(&self) -> usize {
        self.report.k()
    }

    /// `phi(x_i)` for every point, exactly (list of `Fraction`).
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        fractions(py, self.report.values())
    }

    /// Residuals `phi(x_i) - y_i`, exactly (list of `Fraction`).
    #[getter]
    fn residuals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let inst = &self.instance.get().inner;
        let rs: Vec<adapter::Rational> = self
            .report
            .values()
            .iter()
            .enumerate()
            .map(|(i, v)| v - inst.y(i))
            .collect();
        fractions(py, &rs)
    }

    /// `phi(x_i)` as a float64 array (each exact value rounded once).
    fn to_numpy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        numbers::vector_out(py, self.report.values(), false)
    }

    /// Indices of the points with `phi(x_i) != y_i`.
    fn misfit_points(&self) -> Vec<usize> {
        self.report.misfit_points(&self.instance.get().inner)
    }

    /// Up to `limit` misfit points, the largest `|phi - y|` first.
    #[pyo3(signature = (limit = 10))]
    fn worst_points(&self, limit: usize) -> Vec<usize> {
        self.report.worst_points(&self.instance.get().inner, limit)
    }

    /// How the signs were decided: `pairs`, `float_decided`, `exact_computed`.
    #[getter]
    fn filter<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (pairs, float_decided, exact) = self.report.filter_counts();
        let d = PyDict::new(py);
        d.set_item("pairs", pairs)?;
        d.set_item("float_decided", float_decided)?;
        d.set_item("exact_computed", exact)?;
        Ok(d)
    }

    fn __bool__(&self) -> bool {
        self.report.passes()
    }

    fn __repr__(&self) -> String {
        format!(
            "Report(passes={}, error={}, gamma={}, width={}, k={})",
            if self.report.passes() {
                "True"
            } else {
                "False"
            },
            self.report.error(),
            self.report.gamma(),
            self.report.width(),
            self.report.k()
        )
    }
}

/// Judge `network` on `instance` exactly: the training error as a `Fraction`, `phi` at
/// every point, and whether the network passes (width `<= k`, error `<= gamma`).
///
/// Raises `InputError` (a `ValueError`) when the network's activation or input dimension
/// does not match the instance's.
#[pyfunction]
pub fn verify(
    py: Python<'_>,
    instance: &Bound<'_, PyInstance>,
    network: PyRef<'_, PyNetwork>,
) -> PyResult<PyReport> {
    let report = adapter::verify(&instance.get().inner, &network.inner).py_err(py)?;
    Ok(PyReport::new(report, instance.clone().unbind()))
}
