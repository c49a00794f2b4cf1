//! The command line through the CLI's clap definition and value parsers (see ../checks.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::cli_args(text));
