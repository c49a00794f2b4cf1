//! The library's one error type: bad input, failed I/O, a run stopped by its limits, and
//! (with `From` conversions, so that `?` works across the layers) the solver's, the
//! verifier's, the number parser's and the lifts' errors. Outcomes such as "no fit" are
//! not errors; they are values of the solver and verifier types.
//!
//! ```
//! use relufit::io::instance_from_json;
//! use relufit::solve::{solve_with, Outcome, SolveSettings};
//! use relufit::verify::verify;
//!
//! // Parsing, solving and verifying in one function returning the library's `Result`.
//! fn least_error(text: &str) -> relufit::Result<Option<relufit::Rational>> {
//!     let inst = instance_from_json(text, "data.json")?; // Error::Input
//!     let solution = solve_with(&inst, &SolveSettings::default())?; // SolveError
//!     Ok(match solution.outcome {
//!         Outcome::Fit { network, .. } => Some(verify(&inst, &network)?.error), // VerifyError
//!         _ => None,
//!     })
//! }
//! let text = r#"{"format": "relufit-instance/1", "activation": "relu", "k": 2,
//!   "gamma": "0", "loss": "squared",
//!   "points": [{"x": ["0"], "y": "0"}, {"x": ["1"], "y": "1"}, {"x": ["2"], "y": "0"}]}"#;
//! assert_eq!(least_error(text)?, Some(relufit::Rational::ZERO));
//! assert!(matches!(least_error("{"), Err(relufit::Error::Input { .. })));
//! # Ok::<(), relufit::Error>(())
//! ```

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
    /// A solver could not run on the instance, or (a bug, reported loudly) produced a
    /// network the verifier rejected.
    #[error(transparent)]
    Solve(#[from] crate::solve::SolveError),
    /// The verifier could not judge a network against an instance (activation or dimension
    /// mismatch).
    #[error(transparent)]
    Verify(crate::verify::VerifyError),
    /// A text is not an exact rational number (parsers with a file and field at hand report
    /// [`Error::Input`] instead).
    #[error(transparent)]
    Number(#[from] crate::num::NumberError),
}

impl From<crate::verify::VerifyError> for Error {
    fn from(e: crate::verify::VerifyError) -> Self {
        match e {
            crate::verify::VerifyError::Stopped(s) => Error::Stopped(s),
            other => Error::Verify(other),
        }
    }
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

/// Why a value (an instance, a network, a loss, a formula, a set of points) is not well
/// formed: the first rule it breaks, naming the field (`points[3].x: ...`). What the
/// `validate` methods return; converts into [`Error::Invalid`] (with `?`) and into its
/// message (`String`), for callers that add a file or line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

impl From<Malformed> for String {
    fn from(m: Malformed) -> String {
        m.0
    }
}

impl From<Malformed> for Error {
    fn from(m: Malformed) -> Error {
        Error::Invalid(m.0)
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
