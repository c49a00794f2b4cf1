//! Solving from Python: `_solve`, `_all_fits`, the shard entry points `solve_shard` /
//! `check_shardable` / `_merge`, and `ShardResult`.
//!
//! The public, documented wrappers (`relufit.solve`, `relufit.all_fits`,
//! `relufit.merge`, `relufit.distributed.solve`) are in Python and turn the dicts returned
//! here into result objects.

use crate::adapter::{self, Algorithm, Control, Shard, SolveRequest, Solved, Stat, Status};
use crate::errors::IntoPyResult;
use crate::instance::PyInstance;
use crate::network::PyNetwork;
use crate::numbers::fraction;
use crate::report::PyReport;
use crate::run::{detached, Hooks};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::path::PathBuf;

fn request(
    py: Python<'_>,
    algorithm: &str,
    signs: Option<&str>,
    optimize: bool,
    time_limit: Option<f64>,
    threads: Option<usize>,
    memory_limit: Option<usize>,
) -> PyResult<SolveRequest> {
    Ok(SolveRequest {
        algorithm: Algorithm::parse(algorithm).py_err(py)?,
        convex: signs.map(adapter::parse_signs).transpose().py_err(py)?,
        optimize,
        time_limit,
        threads,
        memory_limit,
    })
}

fn stats_dict<'py>(
    py: Python<'py>,
    stats: &[(&'static str, Stat)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in stats {
        match v {
            Stat::Count(c) => d.set_item(k, c)?,
            Stat::Seconds(s) => d.set_item(k, s)?,
        }
    }
    Ok(d)
}

fn opt_fraction<'py>(
    py: Python<'py>,
    q: Option<&adapter::Rational>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    q.map(|q| fraction(py, q)).transpose()
}

/// A solve's answer as the dict `relufit.SolveResult` is built from.
fn solved_dict<'py>(
    py: Python<'py>,
    instance: &Bound<'py, PyInstance>,
    s: Solved,
    interrupted: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let status = match s.status {
        Status::Fit => "fit",
        Status::NoFit => "no_fit",
        Status::Unknown => "unknown",
    };
    d.set_item("status", status)?;
    d.set_item("network", s.network.map(PyNetwork::wrap))?;
    d.set_item(
        "report",
        s.report
            .map(|r| PyReport::new(r, instance.clone().unbind())),
    )?;
    d.set_item("optimum", opt_fraction(py, s.optimum.as_ref())?)?;
    d.set_item("evidence", s.evidence)?;
    d.set_item("reason", s.reason)?;
    d.set_item("restricted_to", s.restricted_to)?;
    d.set_item("stats", stats_dict(py, &s.stats)?)?;
    d.set_item("interrupted", interrupted)?;
    Ok(d)
}

/// Solve `instance` (see `relufit.solve`); returns the fields of a `SolveResult`.
#[pyfunction]
#[pyo3(signature = (instance, *, algorithm = "auto", signs = None, optimize = false, time_limit = None, threads = None, memory_limit = None, progress = None))]
#[allow(clippy::too_many_arguments)]
pub fn _solve<'py>(
    py: Python<'py>,
    instance: &Bound<'py, PyInstance>,
    algorithm: &str,
    signs: Option<&str>,
    optimize: bool,
    time_limit: Option<f64>,
    threads: Option<usize>,
    memory_limit: Option<usize>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let req = request(
        py,
        algorithm,
        signs,
        optimize,
        time_limit,
        threads,
        memory_limit,
    )?;
    let control = Control::new();
    let hooks = Hooks::new(progress, None, 0.0);
    let inst = &instance.get().inner;
    let ran = detached(py, &control, &hooks, || {
        adapter::solve(inst, &req, &control)
    })?;
    let solved = ran.value.py_err(py)?;
    solved_dict(py, instance, solved, ran.interrupted)
}

/// Every distinct fitting function (see `relufit.all_fits`).
#[pyfunction]
#[pyo3(signature = (instance, *, signs = None, time_limit = None, memory_limit = None, progress = None))]
pub fn _all_fits<'py>(
    py: Python<'py>,
    instance: &Bound<'py, PyInstance>,
    signs: Option<&str>,
    time_limit: Option<f64>,
    memory_limit: Option<usize>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let req = request(
        py,
        "patterns",
        signs,
        false,
        time_limit,
        Some(1),
        memory_limit,
    )?;
    let control = Control::new();
    let hooks = Hooks::new(progress, None, 0.0);
    let inst = &instance.get().inner;
    let ran = detached(py, &control, &hooks, || {
        adapter::all_fits(inst, &req, &control)
    })?;
    let list = ran.value.py_err(py)?;
    let functions = PyList::empty(py);
    for f in list.functions {
        let item = PyDict::new(py);
        item.set_item("network", PyNetwork::wrap(f.network))?;
        item.set_item("sign_class", f.class)?;
        item.set_item("leaves", f.leaves)?;
        item.set_item("breaking_hyperplanes", f.breaking_hyperplanes)?;
        item.set_item("unresolved", f.unresolved)?;
        functions.append(item)?;
    }
    let d = PyDict::new(py);
    d.set_item("functions", functions)?;
    d.set_item("completeness", list.completeness)?;
    d.set_item("note", list.note)?;
    d.set_item("nodes", list.nodes)?;
    d.set_item("lps", list.lps)?;
    d.set_item("certificates", list.certificates)?;
    d.set_item("interrupted", ran.interrupted)?;
    Ok(d)
}

/// One shard's result: the fixed part `index/count` of a search, with its best network and
/// whether it was searched exhaustively. The same data as the CLI's `relufit solve --shard
/// i/N -o FILE` (`relufit-shard/1` JSON): `save`/`load` exchange shards with the CLI and
/// `relufit merge`. Pickles as that JSON text.
#[pyclass(module = "relufit", name = "ShardResult", frozen)]
pub struct PyShard {
    inner: Shard,
}

#[pymethods]
impl PyShard {
    /// This shard's index (0-based).
    #[getter]
    fn index(&self) -> usize {
        self.inner.position().0
    }

    /// Number of shards of the search.
    #[getter]
    fn count(&self) -> usize {
        self.inner.position().1
    }

    /// Every leaf of the shard was solved or cut by an exact bound.
    #[getter]
    fn exhaustive(&self) -> bool {
        self.inner.exhaustive()
    }

    /// This shard alone decides the problem (a decision run whose network reaches gamma):
    /// the other shards need not run.
    #[getter]
    fn decisive(&self) -> bool {
        self.inner.decisive()
    }

    /// The search the shard ran: `"enumerate"` or `"patterns"`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm()
    }

    /// Why the shard stopped early (time limit, cancelled), or `None`.
    #[getter]
    fn stopped(&self) -> Option<&str> {
        self.inner.stopped()
    }

    /// The shard's best error (`Fraction`).
    #[getter]
    fn best_error<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        fraction(py, self.inner.best_error())
    }

    /// An optimisation run (exact least error) rather than a decision.
    #[getter]
    fn optimize(&self) -> bool {
        self.inner.optimize()
    }

    /// Counters of the shard.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        stats_dict(py, &self.inner.stats())
    }

    /// The `relufit-shard/1` JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Parse `relufit-shard/1` JSON.
    #[staticmethod]
    #[pyo3(signature = (text, source = "<string>"))]
    fn from_json(py: Python<'_>, text: &str, source: &str) -> PyResult<Self> {
        Shard::from_json(text, source)
            .py_err(py)
            .map(|inner| PyShard { inner })
    }

    /// Read a shard file (written by `save` or by `relufit solve --shard i/N -o FILE`).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let text = adapter::read_text(&path).py_err(py)?;
        Shard::from_json(&text, &path.display().to_string())
            .py_err(py)
            .map(|inner| PyShard { inner })
    }

    /// Write the shard file (atomically) for `relufit merge`.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        adapter::write_file(&path, self.inner.to_json().as_bytes()).py_err(py)
    }

    fn __repr__(&self) -> String {
        let (i, n) = self.inner.position();
        format!(
            "ShardResult({i}/{n}, exhaustive={}, decisive={}, best_error={})",
            if self.inner.exhaustive() {
                "True"
            } else {
                "False"
            },
            if self.inner.decisive() {
                "True"
            } else {
                "False"
            },
            self.inner.best_error()
        )
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let f = py.import("relufit._relufit")?.getattr("_shard_from_json")?;
        PyTuple::new(
            py,
            [f, PyTuple::new(py, [self.inner.to_json()])?.into_any()],
        )
    }
}

/// Unpickling: a shard result from its JSON text.
#[pyfunction]
pub fn _shard_from_json(py: Python<'_>, text: &str) -> PyResult<PyShard> {
    Shard::from_json(text, "<pickle>")
        .py_err(py)
        .map(|inner| PyShard { inner })
}

/// Raise unless `algorithm` (with these options) can be split into shards for `instance`
/// (`NoSolverError` for an algorithm the library cannot shard yet).
#[pyfunction]
#[pyo3(signature = (instance, *, algorithm = "auto", signs = None, optimize = false))]
pub fn check_shardable(
    py: Python<'_>,
    instance: &Bound<'_, PyInstance>,
    algorithm: &str,
    signs: Option<&str>,
    optimize: bool,
) -> PyResult<()> {
    let req = request(py, algorithm, signs, optimize, None, Some(1), None)?;
    adapter::check_shardable(&instance.get().inner, &req).py_err(py)
}

/// Search shard `index/count` of `instance` (the one Rust entry point of sharded solving:
/// `relufit.distributed` calls only this and `merge`). `poll()` is called every
/// `poll_interval` seconds; a true result cancels the shard (it then returns a
/// non-exhaustive result saying so). Ctrl-C cancels likewise.
#[pyfunction]
#[pyo3(signature = (instance, index, count, *, algorithm = "auto", optimize = false, time_limit = None, threads = 1, memory_limit = None, progress = None, poll = None, poll_interval = 0.5))]
#[allow(clippy::too_many_arguments)]
pub fn solve_shard<'py>(
    py: Python<'py>,
    instance: &Bound<'py, PyInstance>,
    index: usize,
    count: usize,
    algorithm: &str,
    optimize: bool,
    time_limit: Option<f64>,
    threads: usize,
    memory_limit: Option<usize>,
    progress: Option<Bound<'py, PyAny>>,
    poll: Option<Bound<'py, PyAny>>,
    poll_interval: f64,
) -> PyResult<PyShard> {
    let req = request(
        py,
        algorithm,
        None,
        optimize,
        time_limit,
        Some(threads),
        memory_limit,
    )?;
    let control = Control::new();
    let hooks = Hooks::new(progress, poll, poll_interval);
    let inst = &instance.get().inner;
    let ran = detached(py, &control, &hooks, || {
        adapter::solve_shard(inst, &req, index, count, &control)
    })?;
    ran.value.py_err(py).map(|inner| PyShard { inner })
}

/// Combine shard results into one certified answer; returns the instance and the fields of
/// a `SolveResult`.
#[pyfunction]
pub fn _merge<'py>(
    py: Python<'py>,
    shards: Vec<PyRef<'py, PyShard>>,
) -> PyResult<(Bound<'py, PyInstance>, Bound<'py, PyDict>)> {
    let owned: Vec<Shard> = shards.iter().map(|s| s.inner.clone()).collect();
    let (inst, solved) = py.detach(|| adapter::merge(&owned)).py_err(py)?;
    let instance = Bound::new(py, PyInstance::wrap(inst))?;
    let d = solved_dict(py, &instance, solved, false)?;
    Ok((instance, d))
}
