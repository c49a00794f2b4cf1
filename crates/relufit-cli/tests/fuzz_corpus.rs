//! The fuzz corpus as a regression test on stable: every committed input of every fuzz
//! target (`fuzz/corpus/TARGET/`) and every crash reproducer found by fuzzing
//! (`fuzz/regressions/TARGET/`) goes through the same check as the fuzz target
//! (`fuzz/checks.rs`) and must not panic. How to fuzz: docs/fuzzing.md.

#[path = "../../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

#[test]
fn the_fuzz_corpus_and_crash_reproducers_pass_their_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut replayed = 0;
    for kind in ["corpus", "regressions"] {
        let Ok(targets) = std::fs::read_dir(root.join(kind)) else {
            continue;
        };
        for target in targets {
            let target = target.unwrap().path();
            let name = target.file_name().unwrap().to_string_lossy().into_owned();
            let check = checks::by_name(&name)
                .unwrap_or_else(|| panic!("{kind}/{name}: no fuzz target of that name"));
            for input in std::fs::read_dir(&target).unwrap() {
                let input = input.unwrap().path();
                let bytes = std::fs::read(&input).unwrap();
                // The targets take &str: libFuzzer skips inputs that are not UTF-8.
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    check(text);
                    replayed += 1;
                }
            }
        }
    }
    assert!(replayed >= 9, "only {replayed} inputs replayed");
}
