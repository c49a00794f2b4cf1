//! The exact number parser and the command-line parsers of counts and durations.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::number(text));
