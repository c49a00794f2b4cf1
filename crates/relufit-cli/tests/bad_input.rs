//! The bad-input catalogue (`docs/bad-input.md`): hostile inputs through the binary. Each
//! case runs in a fresh folder holding valid fixtures and pre-existing output files, and
//! must end with its documented exit code (2 for bad input), a message naming the place
//! (file and field or line, or the flag), no panic or abort, and every file in the folder
//! exactly as before (no output touched, no temporary file left).
//!
//! The table in `docs/bad-input.md` is generated from [`catalogue`]; after changing a case
//! run `UPDATE_BAD_INPUT_DOC=1 cargo test --release -p relufit-cli --test bad_input`.

mod common;

use common::{relufit_in, scratch};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One hostile input.
struct Case {
    /// Short unique name (the table's first column).
    id: &'static str,
    /// What is wrong, in words (the table's second column).
    what: &'static str,
    /// The command line (after `relufit`).
    args: Vec<String>,
    /// Extra files for this case: (name, content).
    files: Vec<(String, Vec<u8>)>,
    /// The expected exit code.
    code: i32,
    /// Substrings of stderr: the place named (and the reason).
    expect: Vec<&'static str>,
}

fn case(id: &'static str, what: &'static str, args: &str, expect: &[&'static str]) -> Case {
    Case {
        id,
        what,
        args: args.split_whitespace().map(str::to_string).collect(),
        files: Vec::new(),
        code: 2,
        expect: expect.to_vec(),
    }
}

impl Case {
    fn file(mut self, name: &str, content: impl Into<Vec<u8>>) -> Self {
        self.files.push((name.to_string(), content.into()));
        self
    }
}

const INSTANCE: &str = r#"{
  "format": "relufit-instance/1", "activation": "relu", "k": 2, "gamma": "0",
  "loss": "squared",
  "points": [ { "x": ["0", "1"], "y": "1" }, { "x": ["2", "-1/3"], "y": "0" } ]
}"#;

const NETWORK: &str = r#"{
  "format": "relufit-network/1", "activation": "relu",
  "neurons": [ { "w": ["1", "0"], "b": "0", "a": "1" } ]
}"#;

const SETS: &str = r#"{ "format": "relufit-separability/1",
  "q": [["0", "0"], ["2", "2"]], "p": [["0", "2"], ["2", "0"]] }"#;

const HYPERPLANES: &str = r#"{ "format": "relufit-hyperplanes/1",
  "hyperplanes": [ { "h": ["1", "0"], "o": "-1" }, { "h": ["0", "1"], "o": "-1" } ] }"#;

const FIGURE5: &str = "p cnf 5 3\n5 4 3 0\n4 3 2 0\n5 2 1 0\n";

const MCC: &str =
    r#"{"format": "relufit-mcc/1", "colors": [[1, 2], [3, 4]], "edges": [[1, 3], [2, 4]]}"#;

const GRAPH: &str = "p edge 5 4\ne 1 2\ne 2 3\ne 3 4\ne 4 5\n";

/// The fixtures every case finds in its folder, and the pre-existing outputs it must not
/// touch (`out.*`, `keep.*`).
fn fixtures(template: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = [
        ("inst.json", INSTANCE),
        ("net.json", NETWORK),
        ("sets.json", SETS),
        ("hp.json", HYPERPLANES),
        ("f.cnf", FIGURE5),
        ("g.json", MCC),
        ("g.clq", GRAPH),
        ("out.json", "precious output\n"),
        ("out.svg", "precious picture\n"),
        ("out.cnf", "c precious formula\n"),
        ("out.npy", "precious array\n"),
        ("keep.json", "precious second output\n"),
    ]
    .iter()
    .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
    .collect();
    for generated in ["poits.json", "sep.json", "shard.json", "mcc.json"] {
        v.push((
            generated.to_string(),
            std::fs::read(template.join(generated)).unwrap(),
        ));
    }
    v
}

/// Build the generated fixtures once: a POITS instance, a separability instance and a
/// shard result, by the binary itself.
fn template() -> PathBuf {
    let dir = scratch("bad-input-template");
    std::fs::write(dir.join("f.cnf"), FIGURE5).unwrap();
    std::fs::write(dir.join("sets.json"), SETS).unwrap();
    std::fs::write(dir.join("inst.json"), INSTANCE).unwrap();
    std::fs::write(dir.join("g.json"), MCC).unwrap();
    for args in [
        &["reduce", "mcc", "g.json", "-o", "mcc.json"][..],
        &["reduce", "poits", "f.cnf", "-o", "poits.json"],
        &["reduce", "separability", "sets.json", "-o", "sep.json"],
        &[
            "solve",
            "inst.json",
            "--algorithm",
            "enumerate",
            "--shard",
            "0/2",
            "-o",
            "shard.json",
        ],
    ] {
        let r = relufit_in(&dir, args);
        assert_eq!(r.code, 0, "{args:?}: {}{}", r.stdout, r.stderr);
    }
    dir
}

fn repeat(item: &str, n: usize, sep: &str) -> String {
    vec![item; n].join(sep)
}

fn instance_with(points: &str) -> String {
    format!(
        r#"{{"format": "relufit-instance/1", "activation": "relu", "k": 1, "gamma": "0",
        "loss": "abs", "points": [{points}]}}"#
    )
}

/// Every case of the catalogue.
fn catalogue() -> Vec<Case> {
    let huge_digits = "9".repeat(1_000_000);
    let many_big = instance_with(&repeat(r#"{"x": ["1e9999"], "y": "1e9999"}"#, 4_500, ","));
    let far_apart: String = (0..30)
        .map(|i| format!("[\"{i}\", \"{}\", \"{}\", \"{}\"]", i * i, i * i * i, i % 7))
        .collect::<Vec<_>>()
        .join(", ");
    let big_sets = format!(
        r#"{{"format": "relufit-separability/1", "q": [{far_apart}], "p": [{}]}}"#,
        far_apart.replace("[\"", "[\"-")
    );
    vec![
        // --- files: instances and networks ---
        case("verify-missing-instance", "instance file does not exist", "verify nope.json net.json", &["nope.json", "No such file"]),
        case("verify-directory", "a directory given as the instance", "verify . net.json", &[".: is a directory"]),
        case("verify-empty-file", "empty instance file", "verify empty.json net.json", &["empty.json"]).file("empty.json", ""),
        case("verify-not-utf8", "instance file is not UTF-8", "verify bin.json net.json", &["bin.json", "not UTF-8"]).file("bin.json", vec![0xff, 0xfe, 0x7b]),
        case("verify-malformed-json", "JSON syntax error", "verify bad.json net.json", &["bad.json:1:", "malformed JSON"]).file("bad.json", "{ \"format\": }"),
        case("verify-wrong-format", "unknown format version", "verify bad.json net.json", &["bad.json: format", "unsupported format"]).file("bad.json", INSTANCE.replace("instance/1", "instance/9")),
        case("verify-missing-field", "instance without `loss`", "verify bad.json net.json", &["bad.json: loss: missing field"]).file("bad.json", INSTANCE.replace("\"loss\": \"squared\",", "")),
        case("verify-k-zero", "width k = 0", "verify bad.json net.json", &["bad.json: k", "at least 1"]).file("bad.json", INSTANCE.replace("\"k\": 2", "\"k\": 0")),
        case("verify-k-huge", "width k = 10^18", "verify bad.json net.json", &["bad.json: k", "limit"]).file("bad.json", INSTANCE.replace("\"k\": 2", "\"k\": 1000000000000000000")),
        case("verify-k-fraction", "width k = 1/2", "verify bad.json net.json", &["bad.json: k", "non-negative integer"]).file("bad.json", INSTANCE.replace("\"k\": 2", "\"k\": \"1/2\"")),
        case("verify-gamma-negative", "gamma < 0", "verify bad.json net.json", &["bad.json", "gamma", ">= 0"]).file("bad.json", INSTANCE.replace("\"gamma\": \"0\"", "\"gamma\": \"-1\"")),
        case("verify-nan", "a coordinate NaN", "verify bad.json net.json", &["bad.json: points[1].x[1]", "NaN"]).file("bad.json", INSTANCE.replace("-1/3", "NaN")),
        case("verify-inf", "a label -inf", "verify bad.json net.json", &["bad.json: points[0].y", "infinity"]).file("bad.json", INSTANCE.replace("\"y\": \"1\"", "\"y\": \"-inf\"")),
        case("verify-zero-denominator", "a coordinate 1/0", "verify bad.json net.json", &["bad.json: points[1].x[1]", "division by zero"]).file("bad.json", INSTANCE.replace("-1/3", "1/0")),
        case("verify-huge-exponent", "a coordinate 1e999999999", "verify bad.json net.json", &["bad.json: points[1].x[1]", "exponent too large"]).file("bad.json", INSTANCE.replace("-1/3", "1e999999999")),
        case("verify-million-digits", "a coordinate with 10^6 digits", "verify bad.json net.json", &["bad.json: points[1].x[1]", "too many digits"]).file("bad.json", INSTANCE.replace("-1/3", &huge_digits)),
        case("verify-many-1e9999", "thousands of 1e9999 values (gigabytes once expanded)", "verify big.json net.json", &["big.json: points[", "bits together"]).file("big.json", many_big),
        case("verify-no-points", "an instance without points", "verify bad.json net.json", &["bad.json: points", "at least one"]).file("bad.json", instance_with("")),
        case("verify-ragged-points", "points of different dimensions", "verify bad.json net.json", &["bad.json: points[1].x: dimension"]).file("bad.json", INSTANCE.replace("[\"2\", \"-1/3\"]", "[\"2\"]")),
        case("verify-unknown-loss", "loss `hinge`", "verify bad.json net.json", &["bad.json: loss", "unknown loss"]).file("bad.json", INSTANCE.replace("squared", "hinge")),
        case("verify-unknown-activation", "activation `sigmoid`", "verify bad.json net.json", &["bad.json: activation", "unknown activation"]).file("bad.json", INSTANCE.replace("\"relu\"", "\"sigmoid\"")),
        case("verify-duplicate-key", "key `k` twice in the instance", "verify bad.json net.json", &["bad.json:", "(top level): duplicate key `k`"]).file("bad.json", INSTANCE.replace("\"k\": 2,", "\"k\": 2, \"k\": 3,")),
        case("verify-duplicate-nested-key", "key `y` twice in a point", "verify bad.json net.json", &["bad.json:", "points[0]: duplicate key `y`"]).file("bad.json", INSTANCE.replace("\"y\": \"1\"", "\"y\": \"1\", \"y\": \"5\"")),
        case("verify-deep-nesting", "100000 nested arrays", "verify deep.json net.json", &["deep.json:1:", "recursion limit"]).file("deep.json", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
        case("verify-csv-as-json", "a CSV file given where JSON is expected", "verify data.csv net.json", &["data.csv: not a JSON document", "looks like CSV"]).file("data.csv", "x1,x2,y\n0,1,2\n"),
        case("verify-network-format", "network file with an instance's format tag", "verify inst.json inst.json", &["inst.json: format", "relufit-network/1"]),
        case("verify-network-ragged", "neurons of different dimensions", "verify inst.json bad.json", &["bad.json: neurons[1].w: dimension"]).file("bad.json", NETWORK.replace("} ]", "}, { \"w\": [\"1\"], \"b\": \"0\", \"a\": \"1\" } ]")),
        case("verify-network-dimension", "network of dimension 3 for a 2-D instance", "verify inst.json bad.json", &["inst.json vs bad.json", "dimension"]).file("bad.json", NETWORK.replace("[\"1\", \"0\"]", "[\"1\", \"0\", \"0\"]")),
        case("verify-worst-huge", "--worst 10^19", "verify inst.json net.json --worst 10000000000000000000", &["--worst", "too large"]),
        // --- solve and merge ---
        case("solve-time-limit-1e30", "--time-limit 1e30", "solve inst.json --time-limit 1e30", &["--time-limit", "too long"]),
        case("solve-time-limit-negative", "--time-limit -1", "solve inst.json --time-limit=-1", &["--time-limit", "negative"]),
        case("solve-time-limit-nan", "--time-limit NaN", "solve inst.json --time-limit NaN", &["--time-limit", "NaN"]),
        case("solve-time-limit-text", "--time-limit soon", "solve inst.json --time-limit soon", &["--time-limit", "not an exact rational"]),
        case("solve-threads-100000", "--threads 100000", "solve inst.json --threads 100000", &["--threads", "at most 256"]),
        case("solve-threads-zero", "--threads 0", "solve inst.json --threads 0", &["--threads", "at least 1"]),
        case("solve-shard-index", "--shard 5/2", "solve inst.json --shard 5/2 -o out.json", &["--shard", "0 <= i < N"]),
        case("solve-shard-count", "--shard 0/10^12", "solve inst.json --shard 0/1000000000000 -o out.json", &["--shard", "limit"]),
        case("solve-shard-without-o", "--shard without -o", "solve inst.json --shard 0/2", &["--shard", "needs -o"]),
        case("solve-optimize-exactfit", "--optimize with ExactFit", "solve inst.json --optimize --algorithm exactfit -o out.json", &["--optimize", "enumerate"]),
        case("solve-csv", "a CSV file given to solve", "solve data.csv", &["data.csv", "looks like CSV"]).file("data.csv", "x1,x2,y\n0,1,2\n"),
        case("solve-output-is-input", "solve -o the instance itself", "solve inst.json -o inst.json", &["inst.json", "same file as the input"]),
        case("merge-missing", "a shard file that does not exist", "merge nope.json", &["nope.json", "No such file"]),
        case("merge-shard-count", "a shard file claiming 10^12 shards", "merge bad.json", &["bad.json: shard", "the shard count"]).file("bad.json", "{\"format\": \"relufit-shard/1\", \"shard\": \"0/1000000000000\"}"),
        case("merge-negative-seconds", "a shard file with stats.seconds = -1", "merge bad.json", &["bad.json: stats.seconds"]).file("bad.json", "{\"format\": \"relufit-shard/1\", \"shard\": \"0/2\", \"stats\": {\"seconds\": -1}}"),
        case("merge-huge-seconds", "a shard file with stats.seconds = 1e400", "merge bad.json", &["bad.json: stats.seconds"]).file("bad.json", "{\"format\": \"relufit-shard/1\", \"shard\": \"0/2\", \"stats\": {\"seconds\": 1e400}}"),
        case("merge-wrong-format", "an instance given as a shard file", "merge inst.json", &["inst.json", "relufit-shard/1"]),
        case("merge-output-is-input", "merge -o one of its shard files", "merge shard.json -o shard.json", &["shard.json", "same file as the input"]),
        // --- convert ---
        case("convert-directory", "a directory given to convert", "convert . out.json", &[".: is a directory"]),
        case("convert-unknown-input", "input extension .txt", "convert data.txt out.json", &["data.txt", "unknown extension `.txt`"]).file("data.txt", "1,2\n"),
        case("convert-no-extension", "output without an extension", "convert inst.json outfile", &["outfile", "no file extension"]),
        case("convert-unknown-output", "output extension .xlsx", "convert inst.json out.xlsx", &["out.xlsx", "unknown extension `.xlsx`"]),
        case("convert-csv-without-k", "CSV without --k", "convert data.csv out.json", &["--k"]).file("data.csv", "0,1,2\n"),
        case("convert-k-zero", "--k 0", "convert data.csv out.json --k 0", &["--k", "at least 1"]).file("data.csv", "0,1,2\n"),
        case("convert-csv-bad-cell", "a CSV cell `abc`", "convert data.csv out.json --k 1", &["data.csv:3", "column 2"]).file("data.csv", "x,y\n1,2\n3,abc\n"),
        case("convert-csv-ragged", "CSV rows of different lengths", "convert data.csv out.json --k 1", &["data.csv:2", "3 columns"]).file("data.csv", "1,2\n3,4,5\n"),
        case("convert-csv-gamma-negative", "--gamma -1 for CSV", "convert data.csv out.json --k 1 --gamma=-1", &["--gamma", ">= 0"]).file("data.csv", "0,1,2\n"),
        case("convert-csv-loss", "--loss hinge for CSV", "convert data.csv out.json --k 1 --loss hinge", &["--loss", "unknown loss"]).file("data.csv", "0,1,2\n"),
        case("convert-npy-overflow", ".npy export of a value beyond float64", "convert big.json out.npy", &["big.json: points[0].x[0]", "float64 range"]).file("big.json", instance_with(r#"{"x": ["1e400"], "y": "0"}"#)),
        case("convert-output-is-input", "convert a file onto itself", "convert inst.json inst.json", &["inst.json", "same file as the input"]),
        case("convert-output-hard-link", "convert onto a hard link of the input", "convert inst.json link.json", &["link.json", "same file as the input inst.json"]),
        // --- formulas ---
        case("sat-header-1e18", "DIMACS header `p cnf 10^18 1`", "sat big.cnf", &["big.cnf:1", "number of variables", "at most 1000000"]).file("big.cnf", "p cnf 1000000000000000000 1\n1 2 3 0\n"),
        case("sat-header-1e7-vars", "a header declaring 10^7 variables for 3 clauses", "sat big.cnf", &["big.cnf:1", "number of variables", "at most 1000000"]).file("big.cnf", "p cnf 10000000 3\n1 2 3 0\n1 2 4 0\n2 3 4 0\n"),
        case("sat-header-clauses", "a header declaring 10^12 clauses", "sat big.cnf", &["big.cnf:1", "number of clauses"]).file("big.cnf", "p cnf 3 1000000000000\n1 2 3 0\n"),
        case("sat-missing-header", "clauses without a header", "sat bad.cnf", &["bad.cnf:1", "before the `p cnf N M` header"]).file("bad.cnf", "1 2 3 0\n"),
        case("sat-negative-literal", "a negative literal", "sat bad.cnf", &["bad.cnf:2", "negative literal"]).file("bad.cnf", "p cnf 3 1\n1 -2 3 0\n"),
        case("sat-four-literals", "a clause of four literals", "sat bad.cnf", &["bad.cnf:2", "more than three literals"]).file("bad.cnf", "p cnf 4 1\n1 2 3 4 0\n"),
        case("sat-variable-range", "variable 9 in a 3-variable formula", "sat bad.cnf", &["bad.cnf:2", "variable 9 exceeds"]).file("bad.cnf", "p cnf 3 1\n1 2 9 0\n"),
        case("sat-clause-count", "fewer clauses than declared", "sat bad.cnf", &["bad.cnf:1", "declares 2 clauses"]).file("bad.cnf", "p cnf 3 2\n1 2 3 0\n"),
        case("sat-huge-literal", "a literal beyond i64", "sat bad.cnf", &["bad.cnf:2", "out of range"]).file("bad.cnf", "p cnf 3 1\n1 2 99999999999999999999 0\n"),
        case("sat-enumerate-zero", "--enumerate 0", "sat f.cnf --enumerate 0", &["--enumerate", "at least 1"]),
        case("gen-poits-clauses-1e18", "gen poits --clauses 10^18", "gen poits --vars 5 --clauses 1000000000000000000 -o out.cnf", &["--clauses", "at most 1000000"]),
        case("gen-poits-vars-1e18", "gen poits --vars 10^18", "gen poits --vars 1000000000000000000 --clauses 1 -o out.cnf", &["--vars", "at most 1000000"]),
        case("gen-poits-too-few-vars", "gen poits: 2 variables for clauses of three", "gen poits --vars 2 --clauses 1 -o out.cnf", &["--vars", "at least 3"]),
        case("gen-poits-missing-dir", "gen poits -o into a missing folder", "gen poits --vars 5 --clauses 1 -o nodir/f.cnf", &["nodir/f.cnf", "nodir"]),
        // --- POITS reduction, lift, decode ---
        case("reduce-poits-output-is-input", "reduce poits f.cnf -o f.cnf", "reduce poits f.cnf -o f.cnf", &["f.cnf", "same file as the input"]),
        case("reduce-poits-output-symlink-to-input", "-o a symbolic link to the input", "reduce poits f.cnf -o link.cnf", &["link.cnf", "same file as the input f.cnf"]),
        case("reduce-poits-dim-1e8", "--dim 1e8", "reduce poits f.cnf --dim 1e8 -o out.json", &["--dim", "not a whole number"]),
        case("reduce-poits-dim-100000000", "--dim 100000000", "reduce poits f.cnf --dim 100000000 -o out.json", &["--dim", "at most 10000"]),
        case("reduce-poits-dim-1", "--dim 1", "reduce poits f.cnf --dim 1 -o out.json", &["--dim", "at least 2"]),
        case(
            "reduce-poits-dim-numbers",
            "--dim 10000 for 1320 points: 13 million numbers",
            "reduce poits big.cnf --dim 10000 -o out.json",
            &["--dim", "limit of 10000000"],
        )
        .file("big.cnf", "p cnf 40 0\n"),
        case("reduce-poits-formula-size", "a formula whose instance has more than 10^6 points", "reduce poits big.cnf -o out.json", &["big.cnf", "more than 1000000 points"]).file("big.cnf", "p cnf 40000 0\n"),
        case("reduce-poits-gamma-negative", "--gamma -1", "reduce poits f.cnf --gamma=-1 -o out.json", &["--gamma", ">= 0"]),
        case("reduce-poits-gamma-text", "--gamma abc", "reduce poits f.cnf --gamma abc -o out.json", &["--gamma", "not an exact rational"]),
        case("reduce-poits-max-gamma-relu", "--loss max with gamma > 0 (ReLU): not an equivalence", "reduce poits f.cnf --loss max --gamma 1/3 -o out.json", &["--loss max with --gamma > 0", "converse fails"]),
        case("reduce-poits-max-gamma-threshold", "--loss max with gamma > 0 (threshold)", "reduce poits f.cnf --activation threshold --loss max --gamma 1/3 -o out.json", &["--loss max with --gamma > 0"]),
        case("reduce-poits-zero-one-fraction", "--loss zero-one with gamma 1/2", "reduce poits f.cnf --loss zero-one --gamma 1/2 -o out.json", &["f.cnf", "whole number"]),
        case("reduce-poits-activation", "--activation sigmoid", "reduce poits f.cnf --activation sigmoid -o out.json", &["--activation", "unknown activation"]),
        case("reduce-poits-output-dev-full", "-o /dev/full (a full device)", "reduce poits f.cnf -o /dev/full", &["/dev/full"]),
        case("lift-poits-output-is-input", "lift poits inst.json -o inst.json", "lift poits poits.json --true 1,3 -o poits.json", &["poits.json", "same file as the input"]),
        case("lift-poits-not-poits", "lift poits on an instance without POITS meta", "lift poits inst.json --true 1", &["inst.json", "meta"]),
        case("lift-poits-variable-zero", "--true 0", "lift poits poits.json --true 0 -o out.json", &["--true:1", "outside 1..=5"]),
        case("lift-poits-variable-range", "--true 9", "lift poits poits.json --true 9 -o out.json", &["--true:1", "outside 1..=5"]),
        case("lift-poits-variable-twice", "--true 1,1", "lift poits poits.json --true 1,1 -o out.json", &["--true:1", "listed twice"]),
        case("lift-poits-choices", "--choices 4 2 3", "lift poits poits.json --true 1,3 --choices 4,2,3 -o out.json", &["--choices", "1..3"]),
        case("lift-poits-choices-count", "--choices for 2 of 3 clauses", "lift poits poits.json --true 1,3 --choices 1,2 -o out.json", &["--choices", "each of the 3 clauses"]),
        case("decode-poits-output-is-network", "decode poits -o its network input", "decode poits poits.json net.json -o net.json", &["net.json", "same file as the input"]),
        case("decode-poits-dimension", "a 2-D instance with a 1-D network", "decode poits poits.json bad.json", &["poits.json vs bad.json", "dimension"]).file("bad.json", NETWORK.replace("[\"1\", \"0\"]", "[\"1\"]")),
        // --- MULTICOLORED CLIQUE (Corollary 9) ---
        case("mcc-dimacs-self-loop", "a self-loop in a DIMACS graph", "reduce mcc bad.clq --kappa 2 -o out.json", &["bad.clq:2", "self-loop"]).file("bad.clq", "p edge 3 1\ne 2 2\n"),
        case("mcc-dimacs-vertex-range", "vertex 4 in a 3-vertex DIMACS graph", "mcc solve bad.clq --kappa 2", &["bad.clq:3", "vertex 4 is outside 1..=3"]).file("bad.clq", "c x\np edge 3 1\ne 1 4\n"),
        case("mcc-dimacs-vertex-zero", "vertex 0 in a DIMACS graph", "reduce mcc bad.clq --kappa 2 -o out.json", &["bad.clq:2", "vertex 0"]).file("bad.clq", "p edge 3 1\ne 0 1\n"),
        case("mcc-dimacs-header-huge", "DIMACS header `p edge 10^10 1`", "reduce mcc bad.clq --kappa 2 -o out.json", &["bad.clq:1", "number of vertices"]).file("bad.clq", "p edge 10000000000 1\ne 1 2\n"),
        case("mcc-dimacs-edge-count", "fewer edges than the header declares", "mcc solve bad.clq --kappa 2", &["bad.clq:1", "declares 2 edges"]).file("bad.clq", "p edge 3 2\ne 1 2\n"),
        case("mcc-dimacs-line-type", "an unknown DIMACS line type", "mcc solve bad.clq --kappa 2", &["bad.clq:2", "unknown line type"]).file("bad.clq", "p edge 3 1\nn 1 5\ne 1 2\n"),
        case("mcc-dimacs-without-kappa", "a DIMACS graph without --kappa", "reduce mcc g.clq -o out.json", &["--kappa", "DIMACS"]),
        case("mcc-dimacs-kappa-too-large", "--kappa 9 for a 5-vertex graph", "reduce mcc g.clq --kappa 9 -o out.json", &["g.clq:1", "--kappa 9 exceeds the 5 vertices"]),
        case("mcc-kappa-zero", "--kappa 0", "mcc solve g.clq --kappa 0", &["--kappa", "at least 1"]),
        case("mcc-json-uncoloured", "an edge to a vertex in no colour class", "reduce mcc bad.json -o out.json", &["bad.json: edges[1]", "vertex 9", "no colour class"]).file("bad.json", MCC.replace("[2, 4]", "[2, 9]")),
        case("mcc-json-self-loop", "a self-loop in a relufit-mcc/1 file", "mcc solve bad.json", &["bad.json: edges[0]", "self-loop"]).file("bad.json", MCC.replace("[1, 3]", "[3, 3]")),
        case("mcc-json-vertex-twice", "a vertex in two colour classes", "mcc solve bad.json", &["bad.json: colors[1][1]", "already in colour class 1"]).file("bad.json", MCC.replace("[3, 4]", "[3, 1]")),
        case("mcc-json-empty-class", "an empty colour class", "reduce mcc bad.json -o out.json", &["bad.json: colors[1]", "empty"]).file("bad.json", MCC.replace("[3, 4]]", "[]]")),
        case("mcc-json-kappa-mismatch", "--kappa 5 for a file with 2 colour classes", "reduce mcc g.json --kappa 5 -o out.json", &["g.json: colors", "--kappa 5"]),
        case("mcc-json-wrong-format", "an instance file given as a graph", "mcc solve inst.json", &["inst.json: format", "relufit-mcc/1"]),
        case("reduce-mcc-p-huge", "reduce mcc --p 65", "reduce mcc g.json --p 65 -o out.json", &["--p", "at most 64"]),
        case("reduce-mcc-p-points", "reduce mcc --p 20: 3^20 copies exceed the point limit", "reduce mcc g.json --p 20 -o out.json", &["--p", "smaller p"]),
        case("reduce-mcc-width-zero", "reduce mcc --width 0", "reduce mcc g.json --width 0 -o out.json", &["--width", "at least 1"]),
        case("reduce-mcc-activation", "reduce mcc --activation sigmoid", "reduce mcc g.json --activation sigmoid -o out.json", &["--activation", "unknown activation"]),
        case("reduce-mcc-output-is-input", "reduce mcc -o its graph", "reduce mcc g.json -o g.json", &["g.json", "same file as the input"]),
        case("lift-mcc-clique-token", "--clique with a non-number", "lift mcc mcc.json --clique 1,x", &["--clique", "vertex `x`"]),
        case("lift-mcc-clique-classes", "--clique with two vertices of one class", "lift mcc mcc.json --clique 1,2", &["--clique", "not a multicoloured clique", "colour class 1"]),
        case("lift-mcc-clique-twice", "--clique listing a vertex twice", "lift mcc mcc.json --clique 1,1", &["--clique", "twice"]),
        case("lift-mcc-not-mcc", "lift mcc on an instance not made by reduce mcc", "lift mcc inst.json --clique 1,3", &["inst.json", "reduce mcc"]),
        case("decode-mcc-activation", "decode mcc with a ReLU network for a threshold instance", "decode mcc mcc.json net.json", &["mcc.json vs net.json", "relu network"]),
        case("gen-mcc-density", "gen mcc --density 3/2", "gen mcc --density 3/2 -o out.json", &["--density", "[0, 1]"]),
        case("gen-mcc-family", "gen mcc --family petersen", "gen mcc --family petersen -o out.clq", &["--family", "petersen"]),
        case("gen-mcc-size-huge", "gen mcc --size 10^12", "gen mcc --size 1000000000000 -o out.json", &["--size", "at most 1000000"]),
        case("gen-mcc-too-many-edges", "gen mcc with 10^6 vertices (10^12 possible edges)", "gen mcc --kappa 2 --size 500000 -o out.json", &["--kappa, --size", "limits of a graph"]),
        case("mcc-solve-time-limit", "mcc solve --time-limit -1", "mcc solve g.json --time-limit=-1", &["--time-limit", "negative"]),
        case("reduce-separability-width-small", "reduce separability --width 3 (ReLU needs 4)", "reduce separability sets.json --width 3 -o out.json", &["--width", "k >= 4"]),
        // --- the l^p loss ---
        case("verify-lp-fraction", "loss `lp:1.5` (only whole p)", "verify bad.json net.json", &["bad.json: loss", "whole"]).file("bad.json", INSTANCE.replace("\"squared\"", "\"lp:1.5\"")),
        case("verify-lp-huge", "loss `lp:100`", "verify bad.json net.json", &["bad.json: loss", "at most 64"]).file("bad.json", INSTANCE.replace("\"squared\"", "\"lp:100\"")),
        case("solve-lp3", "solve an instance with loss lp:3 (no solver handles it)", "solve bad.json", &["bad.json: loss", "lp:3"]).file("bad.json", INSTANCE.replace("\"squared\"", "\"lp:3\"")),
        // --- plots and figures ---
        case("plot-width-4e9", "plot --width 4000000000", "plot inst.json --width 4000000000 -o out.svg", &["--width", "at most 20000"]),
        case("plot-width-zero", "plot --width 0", "plot inst.json --width 0 -o out.svg", &["--width", "at least 1"]),
        case("plot-height-huge", "plot --height 100000", "plot inst.json --height 100000 -o out.svg", &["--height", "at most 20000"]),
        case("plot-window-short", "--window with two values", "plot inst.json --window 0,1 -o out.svg", &["--window", "x1min,x1max,x2min,x2max"]),
        case("plot-window-order", "--window with min > max", "plot inst.json --window 1,0,0,1 -o out.svg", &["--window", "min < max"]),
        case("plot-window-overflow", "--window 1e400 (beyond floats)", "plot inst.json --window -1e400,1e400,0,1 -o out.svg", &["--window", "float range"]),
        case("plot-output-directory", "plot -o a directory", "plot inst.json -o .", &[".: is a directory"]),
        case("plot-network-dimension", "plot with a 3-D network", "plot inst.json --network bad.json -o out.svg", &["inst.json", "dimension"]).file("bad.json", NETWORK.replace("[\"1\", \"0\"]", "[\"1\", \"0\", \"0\"]")),
        case("figures-output-is-file", "figures -o an existing file", "figures -o out.svg", &["out.svg"]),
        case("demo-output-is-file", "demo -o an existing file", "demo -o out.json", &["out.json"]),
        // --- separability ---
        case("decide-too-large", "separability decide, d = 4 and 60 points", "separability decide big.json", &["big.json", "too large for the exact decision"]).file("big.json", big_sets),
        case("decide-csv-set", "a CSV set column of 2", "separability decide sets.csv", &["sets.csv: data row 1", "1 (Q) or 0 (P)"]).file("sets.csv", "0,0,2\n1,1,0\n"),
        case("check-wrong-dimension", "check with 3-D hyperplanes for 2-D points", "separability check sets.json bad.json", &["bad.json: hyperplanes[0].h", "dimension 3"]).file("bad.json", HYPERPLANES.replace("[\"1\", \"0\"]", "[\"1\", \"0\", \"0\"]").replace("[\"0\", \"1\"]", "[\"0\", \"1\", \"0\"]")),
        case("check-eps-zero", "check --eps 0", "separability check sets.json hp.json --eps 0", &["--eps", "positive"]),
        case("check-hyperplanes-ragged", "hyperplanes of different dimensions", "separability check sets.json bad.json", &["bad.json: hyperplanes[1].h", "dimension"]).file("bad.json", HYPERPLANES.replace("[\"0\", \"1\"]", "[\"0\"]")),
        case("reduce-separability-eps", "reduce separability --eps -1", "reduce separability sets.json --eps=-1 -o out.json", &["--eps", "positive"]),
        case("reduce-separability-gamma", "reduce separability --gamma -1", "reduce separability sets.json --gamma=-1 -o out.json", &["--gamma", ">= 0"]),
        case("reduce-separability-max-gamma", "reduce separability --loss max --gamma 1", "reduce separability sets.json --loss max --gamma 1 -o out.json", &["sets.json", "max loss"]),
        case("reduce-separability-empty", "a separability instance without points", "reduce separability bad.json -o out.json", &["bad.json", "at least one point"]).file("bad.json", "{\"format\": \"relufit-separability/1\", \"q\": [], \"p\": []}"),
        case("lift-separability-dimension", "lift separability with 3-D hyperplanes", "lift separability sep.json bad.json -o out.json", &["bad.json: hyperplanes[0].h", "dimension 3"]).file("bad.json", HYPERPLANES.replace("[\"1\", \"0\"]", "[\"1\", \"0\", \"0\"]").replace("[\"0\", \"1\"]", "[\"0\", \"1\", \"0\"]")),
        case("lift-separability-output-is-input", "lift separability -o its hyperplanes", "lift separability sep.json hp.json -o hp.json", &["hp.json", "same file as the input"]),
        case("figure-hyperplane-dimension", "separability figure with 3-D hyperplanes", "separability figure sep.json --hyperplanes bad.json -o out.svg", &["bad.json: hyperplanes[0].h", "dimension 3"]).file("bad.json", HYPERPLANES.replace("[\"1\", \"0\"]", "[\"1\", \"0\", \"0\"]").replace("[\"0\", \"1\"]", "[\"0\", \"1\", \"0\"]")),
        case("gen-separability-bad-hyperplanes-path", "--hyperplanes into a missing folder: -o must stay", "gen separability --hyperplanes nodir/h.json -o out.json", &["nodir/h.json", "nodir"]),
        case("gen-separability-same-outputs", "-o and --hyperplanes the same file", "gen separability --hyperplanes out.json -o ./out.json", &["out.json", "same file as the output"]),
        case("gen-separability-range-zero", "gen separability --range 0", "gen separability --range 0 -o out.json", &["--range", "at least 1"]),
        case("gen-separability-denominator-zero", "gen separability --denominator 0", "gen separability --denominator 0 -o out.json", &["--denominator", "at least 1"]),
        case("gen-separability-dim-zero", "gen separability --dim 0", "gen separability --dim 0 -o out.json", &["--dim", "at least 1"]),
        case("gen-separability-num-q-zero", "gen separability --num-q 0", "gen separability --num-q 0 -o out.json", &["--num-q", "at least 1"]),
        case("gen-separability-eps-zero", "gen separability --eps 0", "gen separability --eps 0 -o out.json", &["--eps", "positive"]),
        case("gen-separability-size", "--num-q 1000000 --dim 10000", "gen separability --num-q 1000000 --dim 10000 -o out.json", &["--num-q, --num-p, --dim", "limit of 10000000"]),
        // --- planted instances ---
        case("gen-planted-k-1e18", "gen planted -k 10^18", "gen planted -k 1000000000000000000 -o out.json", &["--k", "at most 200000"]),
        case("gen-planted-n-1e12", "gen planted -n 1e12", "gen planted -n 1e12 -o out.json", &["--n", "not a whole number"]),
        case("gen-planted-n-10e12", "gen planted -n 10^12", "gen planted -n 1000000000000 -o out.json", &["--n", "at most 1000000"]),
        case("gen-planted-d-1e9", "gen planted -d 10^9", "gen planted -d 1000000000 -o out.json", &["--dim", "at most 10000"]),
        case("gen-planted-size", "gen planted -n 1000000 -d 10000", "gen planted -n 1000000 -d 10000 -o out.json", &["-n, -d", "limit of 10000000"]),
        case("gen-planted-k-zero", "gen planted -k 0", "gen planted -k 0 -o out.json", &["--k", "at least 1"]),
        case("gen-planted-n-zero", "gen planted -n 0", "gen planted -n 0 -o out.json", &["--n", "at least 1"]),
        case("gen-planted-d-zero", "gen planted -d 0", "gen planted -d 0 -o out.json", &["--dim", "at least 1"]),
        case("gen-planted-denominator-zero", "gen planted --denominator 0", "gen planted --denominator 0 -o out.json", &["--denominator", "at least 1"]),
        case("gen-planted-range-zero", "gen planted --range 0", "gen planted --range 0 -o out.json", &["--range", "at least 1"]),
        case("gen-planted-range-negative", "gen planted --range -5", "gen planted --range=-5 -o out.json", &["--range", "not a whole number"]),
        case("gen-planted-bad-network-path", "--network into a missing folder: -o must stay", "gen planted --network nodir/n.json -o out.json", &["nodir/n.json", "nodir"]),
        case("gen-planted-same-outputs", "-o and --network the same file", "gen planted --network out.json -o out.json", &["out.json", "same file as the output"]),
        case("gen-planted-two-stdout", "-o - and --network -", "gen planted --network - -o -", &["-:", "standard output"]),
        // --- the command line itself ---
        case("cli-unknown-command", "an unknown command", "frobnicate", &["unrecognized subcommand"]),
        case("cli-missing-output", "reduce poits without -o", "reduce poits f.cnf", &["--output <OUTPUT>"]),
    ]
}

/// Every regular file and link in `dir` with its content (read through links).
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).ok())
        })
        .collect()
}

#[test]
fn every_hostile_input_exits_with_its_code_names_the_place_and_touches_nothing() {
    let template = template();
    let fixtures = fixtures(&template);
    let cases = catalogue();
    let mut ids = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for c in &cases {
        assert!(ids.insert(c.id), "duplicate case id {}", c.id);
        let dir = scratch(&format!("bad-{}", c.id));
        for (name, content) in fixtures.iter().chain(&c.files) {
            std::fs::write(dir.join(name), content).unwrap();
        }
        std::fs::hard_link(dir.join("inst.json"), dir.join("link.json")).unwrap();
        std::os::unix::fs::symlink("f.cnf", dir.join("link.cnf")).unwrap();
        let before = snapshot(&dir);
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let r = relufit_in(&dir, &args);
        let after = snapshot(&dir);
        let mut problems = Vec::new();
        if r.code != c.code {
            problems.push(format!("exit code {} (expected {})", r.code, c.code));
        }
        if r.stderr.contains("panicked") || [101, 134, -1].contains(&r.code) {
            problems.push("panic or abort".to_string());
        }
        for e in &c.expect {
            if !r.stderr.contains(e) {
                problems.push(format!("stderr lacks `{e}`"));
            }
        }
        if before != after {
            let changed: Vec<&String> = after
                .keys()
                .chain(before.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .collect();
            problems.push(format!("files changed: {changed:?}"));
        }
        if problems.is_empty() {
            let _ = std::fs::remove_dir_all(&dir);
        } else {
            let shown: String = r.stderr.chars().take(400).collect();
            failures.push(format!(
                "{} ({}): {}\n    stderr: {shown}",
                c.id,
                c.args.join(" ").chars().take(120).collect::<String>(),
                problems.join("; ")
            ));
        }
    }
    assert!(cases.len() >= 80, "the catalogue has {} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(&template);
}

/// The table of `docs/bad-input.md`, generated from the catalogue.
fn table() -> String {
    let mut s = String::from("| # | case | what is wrong | command line | exit | stderr names |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for (i, c) in catalogue().iter().enumerate() {
        let mut line = c.args.join(" ");
        if line.len() > 90 {
            line = format!("{}…", line.chars().take(90).collect::<String>());
        }
        let expect: Vec<String> = c
            .expect
            .iter()
            .map(|e| format!("`{}`", e.replace('|', "\\|").replace('`', "'")))
            .collect();
        s.push_str(&format!(
            "| {} | {} | {} | `relufit {}` | {} | {} |\n",
            i + 1,
            c.id,
            c.what.replace('|', "\\|"),
            line.replace('|', "\\|").replace('`', "'"),
            c.code,
            expect.join(", ")
        ));
    }
    s
}

#[test]
fn the_documented_table_lists_every_case() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/bad-input.md");
    let text = std::fs::read_to_string(&doc).unwrap_or_default();
    let (begin, end) = ("<!-- catalogue:begin -->\n", "<!-- catalogue:end -->");
    let expected = table();
    if std::env::var_os("UPDATE_BAD_INPUT_DOC").is_some() {
        let start = text.find(begin).expect("begin marker") + begin.len();
        let stop = text.find(end).expect("end marker");
        let updated = format!("{}{expected}{}", &text[..start], &text[stop..]);
        std::fs::write(&doc, updated).unwrap();
        return;
    }
    assert!(
        text.contains(&format!("{begin}{expected}{end}")),
        "docs/bad-input.md is out of date: run UPDATE_BAD_INPUT_DOC=1 cargo test --release -p \
         relufit-cli --test bad_input"
    );
}
