//! Rendering for the terminal: the only place that prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// How a command ended (errors are separate and exit with 2; an interrupted run exits with
/// 3 from the signal handler, `crate::interrupt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Success: fit found / verification passed / file written.
    Success,
    /// A definite negative answer: no fit / verification failed.
    Negative,
    /// Nothing definite (time limit, interrupted): exit code 3.
    Unknown,
}

impl Status {
    /// The process exit code.
    pub(crate) fn exit_code(self) -> std::process::ExitCode {
        match self {
            Status::Success => std::process::ExitCode::SUCCESS,
            Status::Negative => std::process::ExitCode::from(1),
            Status::Unknown => std::process::ExitCode::from(3),
        }
    }
}

/// Set when an output file is standard output (`-o -`): the summary lines then go to
/// stderr, so that stdout carries the data alone.
static SUMMARY_TO_STDERR: AtomicBool = AtomicBool::new(false);

/// Send the summary to stderr from now on (standard output carries an output file).
pub(crate) fn summary_to_stderr() {
    SUMMARY_TO_STDERR.store(true, Ordering::SeqCst);
}

/// Print an error to stderr.
pub(crate) fn error(e: &dyn Display) {
    eprintln!("error: {e}");
}

/// Print a line to stdout. A closed stdout (e.g. `relufit demo | head`) is not an error
/// worth a panic: the output is simply dropped.
pub(crate) fn line(s: impl Display) {
    if SUMMARY_TO_STDERR.load(Ordering::SeqCst) {
        let _ = writeln!(std::io::stderr().lock(), "{s}");
    } else {
        let _ = writeln!(std::io::stdout().lock(), "{s}");
    }
}

/// Print a JSON value to stdout, pretty.
pub(crate) fn json(v: &serde_json::Value) {
    line(serde_json::to_string_pretty(v).unwrap_or_default());
}
