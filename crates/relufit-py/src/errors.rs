//! Library failures as Python exceptions.
//!
//! The exception classes live in Python (`relufit/_errors.py`) so that they can derive from
//! both `RelufitError` and the matching built-in (`ValueError`, `RuntimeError`); the
//! messages are the library's, the same text the CLI prints.

use crate::adapter::Failure;
use pyo3::exceptions::{
    PyFileExistsError, PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyPermissionError,
    PyRuntimeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use std::io::ErrorKind;

static INPUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static NO_SOLVER_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SOLVER_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// An instance of the Python exception class `relufit._errors.<name>` with `message`; falls
/// back to `fallback` if the module cannot be imported (never in an installed package).
fn raise(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    message: String,
    fallback: fn(String) -> PyErr,
) -> PyErr {
    match cell.import(py, "relufit._errors", name) {
        Ok(class) => PyErr::from_type(class.clone(), message),
        Err(_) => fallback(message),
    }
}

/// `InputError` (a `ValueError`): malformed input or an invalid request.
pub fn input_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(py, &INPUT_ERROR, "InputError", message.into(), |m| {
        PyValueError::new_err(m)
    })
}

/// The Python exception for a library failure.
pub fn to_py(py: Python<'_>, failure: Failure) -> PyErr {
    match failure {
        Failure::Input(m) => input_error(py, m),
        Failure::NoSolver(m) => raise(py, &NO_SOLVER_ERROR, "NoSolverError", m, |m| {
            PyValueError::new_err(m)
        }),
        Failure::Internal(m) => raise(py, &SOLVER_ERROR, "SolverError", m, |m| {
            PyRuntimeError::new_err(m)
        }),
        Failure::Io { kind, message, .. } => match kind {
            ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
            ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
            ErrorKind::AlreadyExists => PyFileExistsError::new_err(message),
            ErrorKind::IsADirectory => PyIsADirectoryError::new_err(message),
            _ => PyOSError::new_err(message),
        },
    }
}

/// `Result<T, Failure>` -> `PyResult<T>`.
pub trait IntoPyResult<T> {
    /// Convert the failure into its Python exception.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Failure> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|f| to_py(py, f))
    }
}
