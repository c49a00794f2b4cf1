//! The library's error type: bad input, failed I/O, and a run stopped by its limits.
//! Outcomes such as "no fit" are not errors; they are values of the solver and verifier
//! types.

use std::path::PathBuf;

/// An error that stops an operation: malformed input, an invalid request, or failed I/O.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Input text is malformed. `location` names the place: `file.json: points[3].x[1]`,
    /// `data.csv:12`, `formula.cnf:7`.
    #[error("{location}: {message}")]
    Input {
        /// File and field, or file and line.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// A request that cannot be carried out as asked (e.g. a width that a construction does
    /// not support); the message says what and why.
    #[error("{0}")]
    Invalid(String),
    /// The operation was stopped by its run-time limits ([`crate::limits::RunLimits`]: time
    /// limit, cancellation, memory budget) before it finished; nothing was produced.
    #[error("stopped: {0}")]
    Stopped(#[from] crate::limits::Stopped),
}

impl Error {
    /// An [`Error::Input`] at `location`.
    pub fn input(location: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
