//! MULTICOLORED CLIQUE inputs: relufit-mcc/1 JSON, DIMACS graphs, clique lists, loss names
//! (see ../checks.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|text: &str| checks::mcc(text));
