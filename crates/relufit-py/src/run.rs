//! Running a solver without holding the GIL, while the calling thread watches for Ctrl-C,
//! a caller's stop request and progress.
//!
//! The solver runs on a scoped worker thread. The calling thread waits for it in slices of
//! [`TICK`] with the GIL released; between slices it (1) runs Python's signal handlers
//! (`py.check_signals()`): a `KeyboardInterrupt` sets the library's cancel flag, and the
//! solver then returns "unknown" with what it established (as Ctrl-C does in the CLI);
//! (2) calls the optional `poll()` (true: cancel; used by the Dask workers, whose tasks run
//! off the main thread where signals do not arrive); (3) hands the latest progress snapshot
//! to the optional callback. An exception other than `KeyboardInterrupt` raised by a
//! signal handler, `poll` or the callback cancels the solve and is re-raised once the
//! solver has stopped.

use crate::adapter::{Control, ProgressInfo};
use crate::errors::to_py;
use pyo3::exceptions::PyKeyboardInterrupt;
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How often the calling thread looks for signals, stop requests and progress.
pub const TICK: Duration = Duration::from_millis(50);

/// Stack of the solver thread (the searches recurse along their depth).
const STACK_BYTES: usize = 64 << 20;

/// A progress snapshot handed to Python callbacks.
#[pyclass(module = "relufit", name = "Progress", frozen, get_all)]
#[derive(Clone)]
pub struct PyProgress {
    /// Search nodes so far (enumeration: leaves solved).
    pub nodes: u64,
    /// LPs so far.
    pub lps: u64,
    /// Depth of the current node.
    pub depth: usize,
    /// Seconds since the start of the search.
    pub elapsed: f64,
    /// Total work units (enumeration: leaves of the shard) when known, else `None`.
    pub total: Option<u64>,
}

#[pymethods]
impl PyProgress {
    fn __repr__(&self) -> String {
        format!(
            "Progress(nodes={}, lps={}, depth={}, elapsed={:.3}, total={})",
            self.nodes,
            self.lps,
            self.depth,
            self.elapsed,
            self.total.map_or("None".into(), |t| t.to_string())
        )
    }
}

impl From<ProgressInfo> for PyProgress {
    fn from(p: ProgressInfo) -> Self {
        PyProgress {
            nodes: p.nodes,
            lps: p.lps,
            depth: p.depth,
            elapsed: p.elapsed,
            total: p.total,
        }
    }
}

/// The optional Python hooks of a run.
pub struct Hooks<'py> {
    /// Called with a [`PyProgress`] about every [`TICK`] while the search reports progress.
    pub progress: Option<Bound<'py, PyAny>>,
    /// Called without arguments every `poll_interval`; a true result cancels the solve.
    pub poll: Option<Bound<'py, PyAny>>,
    /// Seconds between calls of `poll`.
    pub poll_interval: Duration,
}

impl<'py> Hooks<'py> {
    /// Hooks from optional Python callables (`None` values are dropped).
    pub fn new(
        progress: Option<Bound<'py, PyAny>>,
        poll: Option<Bound<'py, PyAny>>,
        poll_interval: f64,
    ) -> Self {
        let some = |o: Option<Bound<'py, PyAny>>| o.filter(|o| !o.is_none());
        Hooks {
            progress: some(progress),
            poll: some(poll),
            poll_interval: Duration::from_secs_f64(poll_interval.clamp(0.0, 3600.0)),
        }
    }
}

/// What happened around the solver while it ran.
pub struct Ran<T> {
    /// The solver's answer.
    pub value: T,
    /// Ctrl-C arrived during the run (the solver was cancelled).
    pub interrupted: bool,
}

/// Run `work` on a worker thread with the GIL released; see the module documentation.
pub fn detached<T, F>(
    py: Python<'_>,
    control: &Control,
    hooks: &Hooks<'_>,
    work: F,
) -> PyResult<Ran<T>>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    let (tx, rx) = channel::<Result<T, String>>();
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("relufit-solve".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, move || {
                let r = catch_unwind(AssertUnwindSafe(work)).map_err(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "unknown panic".into())
                });
                let _ = tx.send(r);
            });
        if let Err(e) = spawned {
            return Err(to_py(
                py,
                crate::adapter::Failure::Internal(format!("cannot start the solver thread: {e}")),
            ));
        }
        watch(py, control, hooks, rx)
    })
}

fn watch<T: Send>(
    py: Python<'_>,
    control: &Control,
    hooks: &Hooks<'_>,
    mut rx: Receiver<Result<T, String>>,
) -> PyResult<Ran<T>> {
    let mut interrupted = false;
    let mut pending: Option<PyErr> = None;
    let mut last_poll = Instant::now();
    loop {
        let (got, back) = py.detach(move || {
            let r = rx.recv_timeout(TICK);
            (r, rx)
        });
        rx = back;
        match got {
            Ok(Ok(value)) => {
                return match pending {
                    Some(e) => Err(e),
                    None => Ok(Ran { value, interrupted }),
                }
            }
            Ok(Err(panic)) => {
                return Err(to_py(
                    py,
                    crate::adapter::Failure::Internal(format!(
                        "internal error: the solver panicked ({panic})"
                    )),
                ))
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(to_py(
                    py,
                    crate::adapter::Failure::Internal(
                        "internal error: the solver thread stopped without an answer".into(),
                    ),
                ))
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        if let Err(e) = py.check_signals() {
            control.cancel();
            if e.is_instance_of::<PyKeyboardInterrupt>(py) {
                interrupted = true;
            } else {
                pending.get_or_insert(e);
            }
        }
        if let Some(poll) = &hooks.poll {
            if !control.is_cancelled() && last_poll.elapsed() >= hooks.poll_interval {
                last_poll = Instant::now();
                match poll.call0().and_then(|v| v.is_truthy()) {
                    Ok(true) => control.cancel(),
                    Ok(false) => {}
                    Err(e) => {
                        control.cancel();
                        pending.get_or_insert(e);
                    }
                }
            }
        }
        if let Some(callback) = &hooks.progress {
            if let Some(p) = control.take_progress() {
                if pending.is_none() {
                    if let Err(e) = callback.call1((PyProgress::from(p),)) {
                        control.cancel();
                        pending = Some(e);
                    }
                }
            }
        }
    }
}
