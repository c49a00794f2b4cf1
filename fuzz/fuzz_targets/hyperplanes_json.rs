//! relufit-hyperplanes/1 JSON (see ../checks.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::hyperplanes_json(text));
