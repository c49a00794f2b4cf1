//! Rendering for the terminal: the only place that prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Display;

/// How a command ended (errors are separate and exit with 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success: fit found / verification passed / file written.
    Success,
    /// A definite negative answer: no fit / verification failed.
    Negative,
    /// Nothing definite (time limit, interrupted): exit code 3.
    Unknown,
}

impl Status {
    /// The process exit code.
    pub fn exit_code(self) -> std::process::ExitCode {
        match self {
            Status::Success => std::process::ExitCode::SUCCESS,
            Status::Negative => std::process::ExitCode::from(1),
            Status::Unknown => std::process::ExitCode::from(3),
        }
    }
}

/// Print an error to stderr.
pub fn error(e: &dyn Display) {
    eprintln!("error: {e}");
}

/// Print a line to stdout.
pub fn line(s: impl Display) {
    println!("{s}");
}

/// Print a JSON value to stdout, pretty.
pub fn json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}
