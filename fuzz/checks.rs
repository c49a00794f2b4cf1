//! What each fuzz target checks, shared by the fuzz targets (`fuzz_targets/*.rs`, nightly)
//! and by the regression test that replays the committed corpus and every crash reproducer
//! on stable (`crates/relufit-cli/tests/fuzz_corpus.rs`). Each function must return without
//! panicking for every input; what parses must print back to itself.
#![allow(dead_code)] // each fuzz target uses one function

use relufit::io::{
    instance_from_csv, instance_from_json, instance_to_csv, instance_to_json, network_from_json,
    network_to_json, CsvOptions,
};
use relufit::reduce::separability as sep;
use relufit::sat::{parse_assignment, parse_dimacs, to_dimacs};
use relufit::{Activation, Loss, Rational};

/// The exact number parser, and the command-line parsers of counts and durations.
pub fn number(text: &str) {
    if let Ok(q) = relufit::num::parse_rational(text) {
        let back = relufit::num::parse_rational(&q.to_string()).expect("display parses");
        assert_eq!(back, q);
    }
    let _ = relufit::limits::parse_seconds(text);
    let _ = relufit::limits::parse_count(text, 1, relufit::limits::MAX_WIDTH);
}

/// `relufit-instance/1` JSON.
pub fn instance_json(text: &str) {
    if let Ok(inst) = instance_from_json(text, "fuzz.json") {
        let back = instance_from_json(&instance_to_json(&inst), "back.json").expect("round trip");
        assert_eq!(back.points, inst.points);
    }
}

/// `relufit-network/1` JSON.
pub fn network_json(text: &str) {
    if let Ok(net) = network_from_json(text, "fuzz.json") {
        let back = network_from_json(&network_to_json(&net), "back.json").expect("round trip");
        assert_eq!(back, net);
    }
}

/// `relufit-separability/1` JSON.
pub fn separability_json(text: &str) {
    if let Ok(inst) = sep::separability_from_json(text, "fuzz.json") {
        let back = sep::separability_from_json(&sep::separability_to_json(&inst), "back.json")
            .expect("round trip");
        assert_eq!(back, inst);
    }
}

/// `relufit-hyperplanes/1` JSON.
pub fn hyperplanes_json(text: &str) {
    if let Ok(hs) = sep::hyperplanes_from_json(text, "fuzz.json") {
        let back = sep::hyperplanes_from_json(&sep::hyperplanes_to_json(&hs), "back.json")
            .expect("round trip");
        assert_eq!(back, hs);
    }
}

/// Shard result files as `relufit merge` reads them: `check_shard_json`, then
/// `ShardResult::from_json`.
pub fn shard_json(text: &str) {
    if relufit::io::check_shard_json(text, "fuzz.json").is_ok() {
        let _ = relufit::solve::shard::ShardResult::from_json(text, "fuzz.json");
    }
}

/// CSV data (instances, with `.npy` export, and separability sets).
pub fn csv(text: &str) {
    let opts = CsvOptions {
        activation: Activation::Relu,
        k: 1,
        gamma: Rational::ZERO,
        loss: Loss::Abs,
    };
    if let Ok(inst) = instance_from_csv(text, "fuzz.csv", &opts) {
        let back =
            instance_from_csv(&instance_to_csv(&inst), "back.csv", &opts).expect("round trip");
        assert_eq!(back.points, inst.points);
        let _ = relufit::io::instance_to_npy(&inst);
    }
    let _ = sep::separability_from_csv(text, "fuzz.csv");
}

/// DIMACS formulas and assignments.
pub fn dimacs(text: &str) {
    if let Ok(f) = parse_dimacs(text, "fuzz.cnf") {
        let back = parse_dimacs(&to_dimacs(&f, &[]), "back.cnf").expect("round trip");
        assert_eq!(back, f);
    }
    let _ = parse_assignment(text, 64, "fuzz.txt");
}

/// MULTICOLORED CLIQUE inputs: `relufit-mcc/1` JSON, DIMACS graphs (and their copies),
/// clique lists, and loss names (`lp:P`).
pub fn mcc(text: &str) {
    use relufit::mcc;
    if let Ok(g) = mcc::mcc_from_json(text, "fuzz.json") {
        let back = mcc::mcc_from_json(&mcc::mcc_to_json(&g), "back.json").expect("round trip");
        assert_eq!(back, g);
    }
    if let Ok(g) = mcc::parse_dimacs_graph(text, "fuzz.clq") {
        let back = mcc::parse_dimacs_graph(&mcc::graph_to_dimacs(&g, &[]), "back.clq")
            .expect("round trip");
        assert_eq!(back.edges, g.edges);
        if g.n <= 1000 {
            let _ = mcc::kappa_copies(&g, 2, "fuzz.clq");
        }
    }
    let _ = mcc::parse_clique(text, "--clique");
    if let Ok(spec) = text.parse::<relufit::model::LossSpec>() {
        let back: relufit::model::LossSpec = spec.to_string().parse().expect("round trip");
        assert_eq!(back, spec);
    }
}

/// The command line, one argument per line, through the CLI's clap definition and every
/// value parser. Nothing is run.
pub fn cli_args(text: &str) {
    let args = std::iter::once("relufit").chain(text.split('\n'));
    let _ = relufit_cli::parse_args(args);
}

/// The check of the target named `name`.
pub fn by_name(name: &str) -> Option<fn(&str)> {
    Some(match name {
        "number" => number,
        "instance_json" => instance_json,
        "network_json" => network_json,
        "separability_json" => separability_json,
        "hyperplanes_json" => hyperplanes_json,
        "shard_json" => shard_json,
        "csv" => csv,
        "dimacs" => dimacs,
        "mcc" => mcc,
        "cli_args" => cli_args,
        _ => return None,
    })
}
