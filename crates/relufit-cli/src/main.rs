//! `relufit`: the command-line face of the relufit library.
//!
//! Exit codes: 0 success (a fit exists / verification passed), 1 a definite negative answer
//! (no fit, verification failed), 2 bad input or internal error.

mod args;
mod commands;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(status) => status.exit_code(),
        Err(e) => {
            output::error(&e);
            ExitCode::from(2)
        }
    }
}
