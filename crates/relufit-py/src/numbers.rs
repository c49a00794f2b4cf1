//! Python numbers and arrays <-> exact rationals.
//!
//! Every finite float is a dyadic rational and is taken exactly (`0.1` becomes
//! `3602879701896397 / 2^55`, the value `float.as_integer_ratio()` gives); ints of any
//! size, `fractions.Fraction`, `decimal.Decimal`, numpy scalars and strings in the file
//! formats' syntax (`"-7/3"`, `"0.1"` = 1/10) are accepted too. NaN and infinities are
//! refused with the file parser's messages. Arrays come as nested sequences or anything
//! with `tolist()` (numpy, PyTorch, JAX).

use crate::adapter::{self, NumberParts, Rational};
use crate::errors::input_error;
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

static FRACTION: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static NUMPY_ASARRAY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// An exact rational from a Python number; `at` names the place for error messages.
pub fn rational(obj: &Bound<'_, PyAny>, at: &dyn Fn() -> String) -> PyResult<Rational> {
    let py = obj.py();
    let fail = |m: String| input_error(py, format!("{}: {m}", at()));
    if let Ok(f) = obj.cast::<PyFloat>() {
        return adapter::number_from_f64(f.value()).map_err(fail);
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return integer(i).map_err(fail);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return adapter::number_from_text(&s.to_cow()?).map_err(fail);
    }
    if obj.cast::<PyBytes>().is_ok() {
        return Err(type_error(obj, at));
    }
    // numpy integers and other integer types.
    if obj.hasattr(intern!(py, "__index__"))? {
        let i = obj.call_method0(intern!(py, "__index__"))?;
        return integer(i.cast::<PyInt>()?).map_err(fail);
    }
    // numpy floats of every width, Decimal, Fraction: exact through as_integer_ratio.
    if obj.hasattr(intern!(py, "as_integer_ratio"))? {
        return match obj.call_method0(intern!(py, "as_integer_ratio")) {
            Ok(pair) => {
                let (n, d): (Bound<'_, PyInt>, Bound<'_, PyInt>) = pair.extract()?;
                ratio(&n, &d).map_err(fail)
            }
            // NaN or an infinity: say which, as the parser does.
            Err(_) => match obj.extract::<f64>() {
                Ok(v) => adapter::number_from_f64(v).map_err(fail),
                Err(_) => Err(fail(format!(
                    "`{}` is not a finite rational number",
                    obj.str()?.to_cow()?
                ))),
            },
        };
    }
    // Other rationals (numbers.Rational).
    if obj.hasattr(intern!(py, "numerator"))? && obj.hasattr(intern!(py, "denominator"))? {
        let n = obj.getattr(intern!(py, "numerator"))?;
        let d = obj.getattr(intern!(py, "denominator"))?;
        if let (Ok(n), Ok(d)) = (n.cast::<PyInt>(), d.cast::<PyInt>()) {
            return ratio(n, d).map_err(fail);
        }
    }
    Err(type_error(obj, at))
}

fn type_error(obj: &Bound<'_, PyAny>, at: &dyn Fn() -> String) -> PyErr {
    let name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    PyTypeError::new_err(format!(
        "{}: expected a number (int, float, fractions.Fraction, or a string such as \"-7/3\"), \
         got {name}",
        at()
    ))
}

fn integer(i: &Bound<'_, PyInt>) -> Result<Rational, String> {
    if let Ok(v) = i.extract::<i64>() {
        return Ok(adapter::number_from_i64(v));
    }
    adapter::number_from_hex_ratio(&hex(i).map_err(|e| e.to_string())?, "1")
}

fn ratio(n: &Bound<'_, PyInt>, d: &Bound<'_, PyInt>) -> Result<Rational, String> {
    if let (Ok(a), Ok(b)) = (n.extract::<i64>(), d.extract::<i64>()) {
        return adapter::number_from_ratio(a, b);
    }
    let (a, b) = (
        hex(n).map_err(|e| e.to_string())?,
        hex(d).map_err(|e| e.to_string())?,
    );
    adapter::number_from_hex_ratio(&a, &b)
}

/// `format(i, "x")`: hexadecimal text has no digit limit (decimal `str(int)` does).
fn hex(i: &Bound<'_, PyInt>) -> PyResult<String> {
    let py = i.py();
    let text = py
        .import(intern!(py, "builtins"))?
        .call_method1(intern!(py, "format"), (i, "x"))?;
    Ok(text.cast::<PyString>()?.to_cow()?.into_owned())
}

/// The rational as a `fractions.Fraction`.
pub fn fraction<'py>(py: Python<'py>, q: &Rational) -> PyResult<Bound<'py, PyAny>> {
    let class = FRACTION.import(py, "fractions", "Fraction")?;
    match adapter::number_parts(q) {
        NumberParts::Small(n, d) => class.call1((n, d)),
        NumberParts::Hex(n, d) => {
            let int = INT.import(py, "builtins", "int")?;
            class.call1((int.call1((n, 16))?, int.call1((d, 16))?))
        }
    }
}

/// A list of `Fraction`s.
pub fn fractions<'py>(py: Python<'py>, qs: &[Rational]) -> PyResult<Bound<'py, PyList>> {
    let items = qs
        .iter()
        .map(|q| fraction(py, q))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// `numpy.asarray(data, dtype)`.
pub fn numpy_array<'py>(
    py: Python<'py>,
    data: Bound<'py, PyAny>,
    dtype: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let asarray = NUMPY_ASARRAY.get_or_try_init(py, || {
        py.import("numpy")?.getattr("asarray").map(|f| f.unbind())
    })?;
    asarray.bind(py).call1((data, dtype))
}

/// A float64 (nearest doubles) or object (exact `Fraction`) numpy vector.
pub fn vector_out<'py>(
    py: Python<'py>,
    qs: &[Rational],
    exact: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if exact {
        numpy_array(py, fractions(py, qs)?.into_any(), "object")
    } else {
        let fs: Vec<f64> = qs.iter().map(adapter::number_to_f64).collect();
        numpy_array(py, PyList::new(py, fs)?.into_any(), "float64")
    }
}

/// A float64 or object numpy matrix of shape `(rows.len(), cols)` (`cols` matters when
/// there are no rows).
pub fn matrix_out<'py>(
    py: Python<'py>,
    rows: &[&[Rational]],
    cols: usize,
    exact: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let dtype = if exact { "object" } else { "float64" };
    let list = PyList::empty(py);
    for row in rows {
        if exact {
            list.append(fractions(py, row)?)?;
        } else {
            let fs: Vec<f64> = row.iter().map(adapter::number_to_f64).collect();
            list.append(PyList::new(py, fs)?)?;
        }
    }
    let arr = numpy_array(py, list.into_any(), dtype)?;
    if rows.is_empty() {
        return arr.call_method1("reshape", ((0usize, cols),));
    }
    Ok(arr)
}

/// numpy arrays, tensors, DataFrames -> nested Python lists (floats widen exactly).
fn listify<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        return Ok(obj.clone());
    }
    if obj.hasattr(intern!(py, "detach"))? && obj.hasattr(intern!(py, "cpu"))? {
        // PyTorch tensors: tolist() works on CPU tensors without gradient tracking.
        let t = obj
            .call_method0(intern!(py, "detach"))?
            .call_method0(intern!(py, "cpu"))?;
        return t.call_method0(intern!(py, "tolist"));
    }
    if obj.hasattr(intern!(py, "tolist"))? {
        return obj.call_method0(intern!(py, "tolist"));
    }
    if obj.hasattr(intern!(py, "to_numpy"))? {
        return obj
            .call_method0(intern!(py, "to_numpy"))?
            .call_method0(intern!(py, "tolist"));
    }
    Ok(obj.clone())
}

/// The items of a sequence-like value (not a string, not a number), or `None`.
fn items<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    if obj.cast::<PyString>().is_ok() || obj.cast::<PyBytes>().is_ok() {
        return Ok(None);
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return Ok(Some(l.iter().collect()));
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return Ok(Some(t.iter().collect()));
    }
    let py = obj.py();
    if obj.cast::<PyFloat>().is_ok()
        || obj.cast::<PyInt>().is_ok()
        || obj.hasattr(intern!(py, "__index__"))?
        || obj.hasattr(intern!(py, "as_integer_ratio"))?
    {
        return Ok(None);
    }
    match obj.try_iter() {
        Ok(it) => Ok(Some(it.collect::<PyResult<Vec<_>>>()?)),
        Err(_) => Ok(None),
    }
}

/// A one-dimensional array of exact numbers (shape `(n,)`; a single row `(1, n)` or
/// column `(n, 1)` is accepted as well, as PyTorch shapes output weights and targets).
pub fn vector(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<Rational>> {
    let py = obj.py();
    let listed = listify(obj)?;
    let Some(mut elems) = items(&listed)? else {
        return Err(input_error(
            py,
            format!("{name}: expected a one-dimensional array (shape (n,)), got a single value"),
        ));
    };
    let nested: Vec<Option<Vec<Bound<'_, PyAny>>>> =
        elems.iter().map(items).collect::<PyResult<_>>()?;
    if nested.iter().any(Option::is_some) {
        if nested.len() == 1 {
            elems = nested.into_iter().next().flatten().unwrap_or_default();
        } else if nested
            .iter()
            .all(|r| r.as_ref().is_some_and(|r| r.len() == 1))
        {
            elems = nested
                .into_iter()
                .filter_map(|r| r.and_then(|r| r.into_iter().next()))
                .collect();
        } else {
            return Err(input_error(
                py,
                format!(
                    "{name}: expected a one-dimensional array (shape (n,)), got nested rows; \
                     use {name}.ravel() if that is what you mean"
                ),
            ));
        }
    }
    elems
        .iter()
        .enumerate()
        .map(|(i, e)| rational(e, &|| format!("{name}[{i}]")))
        .collect()
}

/// A two-dimensional array of exact numbers, shape `(n, d)`, all rows of one length.
pub fn matrix(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<Vec<Rational>>> {
    let py = obj.py();
    let listed = listify(obj)?;
    let Some(rows) = items(&listed)? else {
        return Err(input_error(
            py,
            format!("{name}: expected a two-dimensional array (shape (n, d)), got a single value"),
        ));
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut width: Option<usize> = None;
    for (i, row) in rows.iter().enumerate() {
        let Some(cells) = items(row)? else {
            return Err(input_error(
                py,
                format!(
                    "{name}: expected a two-dimensional array (shape (n, d)), but {name}[{i}] is \
                     a single value (for one feature use {name}.reshape(-1, 1))"
                ),
            ));
        };
        match width {
            None => width = Some(cells.len()),
            Some(w) if w != cells.len() => {
                return Err(input_error(
                    py,
                    format!(
                        "{name}[{i}]: row has {} entries but {name}[0] has {w}",
                        cells.len()
                    ),
                ))
            }
            _ => {}
        }
        let row: Vec<Rational> = cells
            .iter()
            .enumerate()
            .map(|(j, c)| rational(c, &|| format!("{name}[{i}, {j}]")))
            .collect::<PyResult<_>>()?;
        out.push(row);
    }
    Ok(out)
}

/// An optional exact number (`None` -> `default`).
pub fn optional(
    obj: Option<&Bound<'_, PyAny>>,
    name: &str,
    default: Rational,
) -> PyResult<Rational> {
    match obj {
        None => Ok(default),
        Some(o) if o.is_none() => Ok(default),
        Some(o) => rational(o, &|| name.to_string()),
    }
}

/// A count `>= min` from a Python int (messages name the argument).
pub fn count(obj: &Bound<'_, PyAny>, name: &str, min: usize, what: &str) -> PyResult<usize> {
    let py = obj.py();
    let bad = || input_error(py, format!("{name}: {what}, got {}", show(obj)));
    if obj.cast::<PyFloat>().is_ok() || obj.cast::<PyString>().is_ok() {
        return Err(bad());
    }
    let q = rational(obj, &|| name.to_string())?;
    match adapter::number_to_usize(&q) {
        Some(v) if v >= min => Ok(v),
        _ => Err(bad()),
    }
}

fn show(obj: &Bound<'_, PyAny>) -> String {
    obj.repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".into())
}
