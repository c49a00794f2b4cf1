//! `relufit._relufit`: the native module of the `relufit` Python package (PyO3).
//!
//! Layout: [`adapter`] is the only module that calls the relufit library; [`numbers`]
//! converts Python numbers and arrays exactly; [`run`] runs solvers off the GIL with
//! Ctrl-C, stop requests and progress; the other modules are the Python classes and
//! functions. The documented Python API is in `python/relufit/`.

mod adapter;
mod errors;
mod instance;
mod network;
mod numbers;
mod reduce;
mod report;
mod run;
mod solve;
mod svg;

use pyo3::prelude::*;

/// `fractions.Fraction` of the exact value of a number: floats exactly (`0.1` ->
/// `3602879701896397/36028797018963968`), strings as the file formats read them (`"0.1"` ->
/// 1/10, `"-7/3"`), ints, `Fraction`, `Decimal`, numpy scalars.
#[pyfunction]
fn exact<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let q = numbers::rational(value, &|| "value".into())?;
    numbers::fraction(value.py(), &q)
}

#[pymodule]
fn _relufit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<instance::PyInstance>()?;
    m.add_class::<network::PyNetwork>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<solve::PyShard>()?;
    m.add_class::<run::PyProgress>()?;
    m.add_class::<svg::PySvg>()?;
    m.add_function(wrap_pyfunction!(exact, m)?)?;
    m.add_function(wrap_pyfunction!(report::verify, m)?)?;
    m.add_function(wrap_pyfunction!(solve::_solve, m)?)?;
    m.add_function(wrap_pyfunction!(solve::_all_fits, m)?)?;
    m.add_function(wrap_pyfunction!(solve::check_shardable, m)?)?;
    m.add_function(wrap_pyfunction!(solve::solve_shard, m)?)?;
    m.add_function(wrap_pyfunction!(solve::_merge, m)?)?;
    m.add_function(wrap_pyfunction!(solve::_shard_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(instance::_instance_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(network::_network_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_poits_reduce, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_poits_formula, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_poits_lift, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_poits_decode, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_poits_solve, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_separability_reduce, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_separability_sets, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_separability_lift, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_separability_decode, m)?)?;
    m.add_function(wrap_pyfunction!(reduce::_separability_decide, m)?)?;
    Ok(())
}
