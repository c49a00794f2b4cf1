//! The paper's reductions with their solution maps: POITS (Theorem 1, Corollary 8) and
//! 2-hyperplane separability (Theorem 7, Corollary 10). The documented wrappers are in
//! Python (`relufit/reductions.py`).

use crate::adapter::{self, HyperplaneParts, Rational, ReduceSpec};
use crate::errors::{input_error, IntoPyResult};
use crate::instance::PyInstance;
use crate::network::PyNetwork;
use crate::numbers::{self, fraction, fractions};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// A clause: three variables (1-based).
type Clause = (usize, usize, usize);

fn clauses(py: Python<'_>, raw: Vec<Vec<i64>>) -> PyResult<Vec<[usize; 3]>> {
    raw.into_iter()
        .enumerate()
        .map(|(j, c)| {
            let bad = || {
                input_error(
                    py,
                    format!(
                        "clauses[{j}]: expected three positive literals (variables numbered \
                         from 1), got {c:?}"
                    ),
                )
            };
            if c.len() != 3 || c.iter().any(|&v| v < 1) {
                return Err(bad());
            }
            Ok([c[0] as usize, c[1] as usize, c[2] as usize])
        })
        .collect()
}

fn num_vars_of(given: Option<usize>, cs: &[[usize; 3]]) -> usize {
    given.unwrap_or_else(|| cs.iter().flatten().copied().max().unwrap_or(0))
}

fn spec(activation: &str, gamma: Option<&Bound<'_, PyAny>>, loss: &str) -> PyResult<ReduceSpec> {
    Ok(ReduceSpec {
        activation: activation.into(),
        gamma: numbers::optional(gamma, "gamma", adapter::number_zero())?,
        loss: loss.into(),
    })
}

/// Theorem 1 / Corollary 8: the instance of a Positive 1-in-3 SAT formula.
#[pyfunction]
#[pyo3(signature = (clauses_, num_vars = None, *, activation = "relu", dim = 2, gamma = None, loss = "squared"))]
pub fn _poits_reduce(
    py: Python<'_>,
    clauses_: Vec<Vec<i64>>,
    num_vars: Option<usize>,
    activation: &str,
    dim: usize,
    gamma: Option<&Bound<'_, PyAny>>,
    loss: &str,
) -> PyResult<PyInstance> {
    let cs = clauses(py, clauses_)?;
    let n = num_vars_of(num_vars, &cs);
    let spec = spec(activation, gamma, loss)?;
    py.detach(|| adapter::poits_reduce(n, cs, dim, spec))
        .py_err(py)
        .map(PyInstance::wrap)
}

/// The formula `(num_vars, clauses)` of a POITS instance.
#[pyfunction]
pub fn _poits_formula(
    py: Python<'_>,
    instance: PyRef<'_, PyInstance>,
) -> PyResult<(usize, Vec<Clause>)> {
    let (n, cs) = adapter::poits_formula(&instance.inner).py_err(py)?;
    Ok((n, cs.into_iter().map(|c| (c[0], c[1], c[2])).collect()))
}

/// The network of equation (2) for an assignment (true variables) and literal choices.
#[pyfunction]
#[pyo3(signature = (instance, true_vars, choices = None))]
pub fn _poits_lift(
    py: Python<'_>,
    instance: PyRef<'_, PyInstance>,
    true_vars: Vec<usize>,
    choices: Option<Vec<usize>>,
) -> PyResult<PyNetwork> {
    adapter::poits_lift(&instance.inner, &true_vars, choices.as_deref())
        .py_err(py)
        .map(PyNetwork::wrap)
}

/// A fitting network -> `(true_vars, choices, canonical network)`.
#[pyfunction]
pub fn _poits_decode(
    py: Python<'_>,
    instance: PyRef<'_, PyInstance>,
    network: PyRef<'_, PyNetwork>,
) -> PyResult<(Vec<usize>, Vec<usize>, PyNetwork)> {
    let (inst, net) = (&instance.inner, &network.inner);
    let d = py.detach(|| adapter::poits_decode(inst, net)).py_err(py)?;
    Ok((d.true_vars, d.choices, PyNetwork::wrap(d.canonical)))
}

/// A 1-in-3 solution (true variables) or `None`.
#[pyfunction]
#[pyo3(signature = (clauses_, num_vars = None))]
pub fn _poits_solve(
    py: Python<'_>,
    clauses_: Vec<Vec<i64>>,
    num_vars: Option<usize>,
) -> PyResult<Option<Vec<usize>>> {
    let cs = clauses(py, clauses_)?;
    let n = num_vars_of(num_vars, &cs);
    py.detach(|| adapter::poits_solve(n, cs)).py_err(py)
}

fn hyperplane_tuple<'py>(py: Python<'py>, h: &HyperplaneParts) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, [fractions(py, &h.0)?.into_any(), fraction(py, &h.1)?])
}

fn hyperplanes_list<'py>(py: Python<'py>, hs: &[HyperplaneParts]) -> PyResult<Bound<'py, PyList>> {
    let items = hs
        .iter()
        .map(|h| hyperplane_tuple(py, h))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Theorem 7 / Corollary 10: the instance of a 2-hyperplane separability problem.
#[pyfunction]
#[pyo3(signature = (Q, P, *, activation = "relu", eps = None, gamma = None, loss = "squared"))]
#[allow(non_snake_case)]
pub fn _separability_reduce(
    py: Python<'_>,
    Q: &Bound<'_, PyAny>,
    P: &Bound<'_, PyAny>,
    activation: &str,
    eps: Option<&Bound<'_, PyAny>>,
    gamma: Option<&Bound<'_, PyAny>>,
    loss: &str,
) -> PyResult<PyInstance> {
    let q = numbers::matrix(Q, "Q")?;
    let p = numbers::matrix(P, "P")?;
    let eps = match eps {
        Some(e) if !e.is_none() => Some(numbers::rational(e, &|| "eps".into())?),
        _ => None,
    };
    let spec = spec(activation, gamma, loss)?;
    py.detach(|| adapter::separability_reduce(q, p, eps, spec))
        .py_err(py)
        .map(PyInstance::wrap)
}

/// The sets `(Q, P)` of a separability instance, exactly (lists of rows of `Fraction`).
#[pyfunction]
pub fn _separability_sets<'py>(
    py: Python<'py>,
    instance: PyRef<'py, PyInstance>,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>)> {
    let (q, p) = adapter::separability_sets(&instance.inner).py_err(py)?;
    let rows = |m: &[Vec<Rational>]| -> PyResult<Bound<'py, PyList>> {
        let items = m
            .iter()
            .map(|r| fractions(py, r))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    };
    Ok((rows(&q)?, rows(&p)?))
}

/// Two hyperplanes `[(h, o), (h, o)]` in the restricted form -> the fitting network.
#[pyfunction]
pub fn _separability_lift(
    py: Python<'_>,
    instance: PyRef<'_, PyInstance>,
    hyperplanes: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
) -> PyResult<PyNetwork> {
    let pair = hyperplanes
        .iter()
        .enumerate()
        .map(|(i, (h, o))| {
            Ok((
                numbers::vector(h, &format!("hyperplanes[{i}].h"))?,
                numbers::rational(o, &|| format!("hyperplanes[{i}].o"))?,
            ))
        })
        .collect::<PyResult<Vec<_>>>()?;
    adapter::separability_lift(&instance.inner, pair)
        .py_err(py)
        .map(PyNetwork::wrap)
}

/// A fitting network -> `(hyperplanes, restricted, origin)`.
#[pyfunction]
pub fn _separability_decode<'py>(
    py: Python<'py>,
    instance: PyRef<'py, PyInstance>,
    network: PyRef<'py, PyNetwork>,
) -> PyResult<(Bound<'py, PyList>, bool, &'static str)> {
    let (inst, net) = (&instance.inner, &network.inner);
    let d = py
        .detach(|| adapter::separability_decode(inst, net))
        .py_err(py)?;
    Ok((
        hyperplanes_list(py, &d.hyperplanes)?,
        d.restricted,
        d.origin,
    ))
}

/// Decide separability exactly: `(hyperplanes, restricted)` or `None`.
#[pyfunction]
#[allow(non_snake_case)]
pub fn _separability_decide<'py>(
    py: Python<'py>,
    Q: &Bound<'py, PyAny>,
    P: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyList>, bool)>> {
    let q = numbers::matrix(Q, "Q")?;
    let p = numbers::matrix(P, "P")?;
    match py
        .detach(|| adapter::separability_decide(q, p))
        .py_err(py)?
    {
        None => Ok(None),
        Some((hs, restricted)) => Ok(Some((hyperplanes_list(py, &hs)?, restricted))),
    }
}
