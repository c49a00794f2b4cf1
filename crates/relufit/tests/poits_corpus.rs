//! The conformance corpus `tests/data/poits/` (provenance and licence in its README) end to end: for every formula and both
//! activations, every solution lifts to a network the verifier accepts, decode returns it,
//! and flipping any one variable of a solution gives a network that does not fit.

use relufit::reduce::poits::{self, PoitsOptions};
use relufit::sat::{self, parse_dimacs};
use relufit::verify::verify;
use relufit::Activation;
use std::path::PathBuf;

fn corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/poits"));
    let mut files = vec![root.join("figure5.cnf")];
    let mut qibo: Vec<PathBuf> = std::fs::read_dir(root.join("qibo"))
        .expect("the conformance corpus tests/data/poits is part of the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cnf"))
        .collect();
    qibo.sort();
    files.extend(qibo);
    files
}

#[test]
fn every_corpus_solution_lifts_verifies_and_decodes() {
    let files = corpus();
    assert_eq!(files.len(), 52, "figure5 plus 51 qibo instances");
    for path in files {
        let name = path.display().to_string();
        let formula = parse_dimacs(&std::fs::read_to_string(&path).unwrap(), &name).unwrap();
        let solutions = sat::enumerate_solutions(&formula, 64);
        assert!(!solutions.is_empty(), "{name}");
        for activation in [Activation::Relu, Activation::Threshold] {
            let opts = PoitsOptions {
                activation,
                ..PoitsOptions::default()
            };
            let inst = poits::reduce(&formula, &opts).unwrap();
            for a in &solutions {
                let net = poits::lift(&inst, a, None).unwrap();
                let report = verify(&inst, &net).unwrap();
                assert!(
                    report.passes(),
                    "{name} {activation}: solution {:?} must fit",
                    a.true_vars()
                );
                let decoded = poits::decode(&inst, &net).unwrap();
                assert_eq!(&decoded.assignment, a, "{name} {activation}");
                // Any single flip breaks the 1-in-3 property, so the lifted network must miss
                // some point, and the verifier names it.
                for v in 1..=formula.num_vars {
                    let mut wrong = a.clone();
                    wrong.values[v - 1] = !wrong.values[v - 1];
                    if formula.is_solution(&wrong) {
                        continue;
                    }
                    let report = verify(&inst, &poits::lift(&inst, &wrong, None).unwrap()).unwrap();
                    assert!(
                        !report.passes(),
                        "{name} {activation}: flipping v{v} must not fit"
                    );
                    assert!(!report.misfit_points(&inst).is_empty());
                }
            }
        }
    }
}
