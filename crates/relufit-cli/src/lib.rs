//! `relufit`: the command-line face of the relufit library.
//!
//! Exit codes (also in every command's `--help` and the README): 0 success (a fit exists,
//! verification passed, files written), 1 a definite negative answer (no fit, verification
//! failed, not separable, unsatisfiable), 2 bad input or internal error (also usage errors),
//! 3 unknown: the time limit or the memory limit was reached or the run was interrupted (SIGINT,
//! SIGTERM) before an answer.
//!
//! A library target only so that the argument types can be fuzzed (`fuzz/`,
//! [`parse_args`]); the binary is `src/main.rs`.

// Items inside crate-private modules say so (`pub(crate)`), so that `pub` means public.
#![warn(unreachable_pub)]

pub mod args;
mod commands;
mod interrupt;
mod output;
mod progress;

use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::process::ExitCode;

/// The exit codes, appended to the help of the program and of every command.
pub const EXIT_CODES: &str = "Exit codes: 0 success (fit found, verification passed, files \
written); 1 definite negative answer (no fit, verification failed, not separable, \
unsatisfiable); 2 bad input or internal error (also a bad command line); 3 unknown: the time \
limit was reached or the run was interrupted (SIGINT, SIGTERM) before an answer, or going on \
would have exceeded the memory limit.";

/// The clap command with [`EXIT_CODES`] after the help of every (sub)command.
pub fn command() -> clap::Command {
    fn with_exit_codes(cmd: clap::Command) -> clap::Command {
        cmd.after_help(EXIT_CODES).mut_subcommands(with_exit_codes)
    }
    with_exit_codes(args::Cli::command())
}

/// Parse a command line (`args[0]` is the program name) without exiting: every flag value
/// is checked against its limits here ([`relufit::limits`]).
pub fn parse_args<I, T>(args: I) -> Result<args::Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command().try_get_matches_from(args)?;
    args::Cli::from_arg_matches(&matches)
}

/// Run `relufit` with the process's arguments and return its exit code.
pub fn main() -> ExitCode {
    let cli = parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    interrupt::install();
    match commands::run(cli) {
        Ok(status) => status.exit_code(),
        // Stopped by the time limit, a signal or the memory budget: "unknown", nothing
        // written.
        Err(e @ relufit::Error::Stopped(_)) => {
            output::error(&format!("{e}; nothing was written"));
            output::Status::Unknown.exit_code()
        }
        Err(e) => {
            output::error(&e);
            ExitCode::from(2)
        }
    }
}
