//! End-to-end tests of the `relufit` binary: exit codes, messages naming the place of bad
//! input, and the happy paths of verify, solve and convert.

mod common;

use common::{relufit, s, scratch};
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// `relufit gen planted ARGS -o DIR/p.json`, checked; the instance's path.
fn planted(dir: &Path, args: &[&str]) -> PathBuf {
    let inst = dir.join("p.json");
    let r = relufit(&[&["gen", "planted"], args, &["-o", s(&inst)]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    inst
}

const INSTANCE: &str = r#"{
  "format": "relufit-instance/1",
  "activation": "relu",
  "k": 2,
  "gamma": "0",
  "loss": "squared",
  "points": [
    { "x": ["0", "1"], "y": "1" },
    { "x": ["2", "-1/3"], "y": "0" }
  ]
}"#;

#[test]
fn verify_pass_and_fail_exit_codes() {
    let inst = examples().join("levee-h0.instance.json");
    let good = relufit(&[
        "verify",
        s(&inst),
        s(&examples().join("levee-slope0.network.json")),
    ]);
    assert_eq!(good.code, 0, "{}{}", good.stdout, good.stderr);
    assert!(good.stdout.contains("PASS"));
    let bad = relufit(&[
        "verify",
        s(&inst),
        s(&examples().join("levee-wrong.network.json")),
    ]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stdout.contains("FAIL") && bad.stdout.contains("point 11: x = (0, 3)"),
        "{}",
        bad.stdout
    );
    let json = relufit(&[
        "verify",
        "--json",
        s(&inst),
        s(&examples().join("levee-wrong.network.json")),
    ]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(v["passes"], false);
    assert_eq!(v["error"], "1/2");
    assert_eq!(v["worst_points"][0]["index"], 11);
}

#[test]
fn solve_interpolates_and_the_network_verifies() {
    let dir = scratch("solve");
    let inst = dir.join("i.json");
    std::fs::write(&inst, INSTANCE).unwrap();
    let net = dir.join("n.json");
    let r = relufit(&["solve", s(&inst), "-o", s(&net)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FIT"));
    assert_eq!(relufit(&["verify", s(&inst), s(&net)]).code, 0);
    // k = 1, gamma = 0: the single-neuron LP decides it.
    std::fs::write(&inst, INSTANCE.replace("\"k\": 2", "\"k\": 1")).unwrap();
    let r = relufit(&["solve", s(&inst)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // k = 1, gamma > 0, squared loss: the enumeration (exact QP per leaf) decides it.
    std::fs::write(
        &inst,
        INSTANCE
            .replace("\"k\": 2", "\"k\": 1")
            .replace("\"gamma\": \"0\"", "\"gamma\": \"1/10\""),
    )
    .unwrap();
    let r = relufit(&["solve", s(&inst)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // ReLU, zero-one loss, gamma > 0: no exact solver, exit 2.
    std::fs::write(
        &inst,
        INSTANCE
            .replace("\"k\": 2", "\"k\": 1")
            .replace("\"gamma\": \"0\"", "\"gamma\": \"1/10\"")
            .replace("\"squared\"", "\"zero-one\""),
    )
    .unwrap();
    let r = relufit(&["solve", s(&inst)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no solver available"), "{}", r.stderr);
    // Conflicting duplicates: the least error is known exactly and exceeds gamma = 0: exit 1.
    std::fs::write(
        &inst,
        INSTANCE.replace("\"x\": [\"2\", \"-1/3\"]", "\"x\": [\"0\", \"1\"]"),
    )
    .unwrap();
    let r = relufit(&["solve", "--json", s(&inst)]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outcome"], "no-fit");
    assert_eq!(v["optimum"], "1/2");
}

#[test]
fn convert_round_trips_and_exports_npy() {
    let dir = scratch("convert");
    let csv = dir.join("d.csv");
    std::fs::write(&csv, "x1,x2,y\n0,1,1\n2,-1/3,0.5\n").unwrap();
    let json = dir.join("d.json");
    let r = relufit(&["convert", s(&csv), s(&json), "--k", "3", "--loss", "abs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(text.contains("\"-1/3\"") && text.contains("\"1/2\"") && text.contains("\"abs\""));
    let back = dir.join("back.csv");
    assert_eq!(relufit(&["convert", s(&json), s(&back)]).code, 0);
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "x1,x2,y\n0,1,1\n2,-1/3,1/2\n"
    );
    let npy = dir.join("d.npy");
    assert_eq!(relufit(&["convert", s(&json), s(&npy)]).code, 0);
    let bytes = std::fs::read(&npy).unwrap();
    assert!(bytes.starts_with(b"\x93NUMPY"));
    assert_eq!(bytes.len(), 128 + 2 * 3 * 8);
}

#[test]
fn help_documents_every_command() {
    let r = relufit(&["--help"]);
    assert_eq!(r.code, 0);
    for cmd in ["verify", "solve", "convert"] {
        assert!(r.stdout.contains(cmd), "{cmd} missing from --help");
    }
}

/// The catalogue of bad inputs: each exits with 2 and names the place.
#[test]
fn bad_inputs_exit_2_and_name_the_place() {
    let dir = scratch("bad");
    let net = dir.join("net.json");
    std::fs::write(
        &net,
        r#"{"format": "relufit-network/1", "activation": "relu", "neurons": [{"w": ["1", "0"], "b": "0", "a": "1"}]}"#,
    )
    .unwrap();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("malformed.json", INSTANCE.replace("},\n    {", "}\n    {"), vec!["malformed.json:9:", "malformed JSON"]),
        ("format.json", INSTANCE.replace("instance/1", "instance/2"), vec!["format.json: format", "unsupported"]),
        ("dim.json", INSTANCE.replace("[\"2\", \"-1/3\"]", "[\"2\"]"), vec!["dim.json", "points[1].x", "dimension"]),
        ("nan.json", INSTANCE.replace("\"-1/3\"", "\"NaN\""), vec!["nan.json: points[1].x[1]", "NaN"]),
        ("div.json", INSTANCE.replace("\"-1/3\"", "\"1/0\""), vec!["div.json: points[1].x[1]", "division by zero"]),
        ("gamma.json", INSTANCE.replace("\"gamma\": \"0\"", "\"gamma\": \"-1/2\""), vec!["gamma.json", "gamma", ">= 0"]),
        ("k0.json", INSTANCE.replace("\"k\": 2", "\"k\": 0"), vec!["k0.json", "k:", "at least 1"]),
        (
            "empty.json",
            INSTANCE.replace(
                "{ \"x\": [\"0\", \"1\"], \"y\": \"1\" },\n    { \"x\": [\"2\", \"-1/3\"], \"y\": \"0\" }",
                "",
            ),
            vec!["empty.json", "points", "at least one"],
        ),
        ("emptystr.json", INSTANCE.replace("\"y\": \"0\"", "\"y\": \"\""), vec!["points[1].y", "empty"]),
    ];
    for (name, text, expect) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let r = relufit(&["verify", s(&path), s(&net)]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        for e in expect {
            assert!(
                r.stderr.contains(e),
                "{name}: expected `{e}` in `{}`",
                r.stderr
            );
        }
    }
    // Network whose dimension differs from the data.
    let inst = dir.join("ok.json");
    std::fs::write(&inst, INSTANCE).unwrap();
    let net3 = dir.join("net3.json");
    std::fs::write(
        &net3,
        r#"{"format": "relufit-network/1", "activation": "relu", "neurons": [{"w": ["1", "0", "0"], "b": "0", "a": "1"}]}"#,
    )
    .unwrap();
    let r = relufit(&["verify", s(&inst), s(&net3)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("net3.json") && r.stderr.contains("dimension 3"),
        "{}",
        r.stderr
    );
    // Missing file.
    let r = relufit(&["verify", s(&dir.join("nope.json")), s(&net)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.json"), "{}", r.stderr);
    // CSV: non-numeric cell, ragged row, missing --k.
    let csv = dir.join("bad.csv");
    std::fs::write(&csv, "x,y\n1,2\n3,oops\n").unwrap();
    let r = relufit(&["convert", s(&csv), s(&dir.join("o.json")), "--k", "1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.csv:3") && r.stderr.contains("column 2"),
        "{}",
        r.stderr
    );
    std::fs::write(&csv, "1,2\n3,4,5\n").unwrap();
    let r = relufit(&["convert", s(&csv), s(&dir.join("o.json")), "--k", "1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.csv:2") && r.stderr.contains("columns"),
        "{}",
        r.stderr
    );
    let r = relufit(&["convert", s(&csv), s(&dir.join("o.json"))]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--k"), "{}", r.stderr);
    // Unwritable output: a directory that does not exist, and an existing directory in the
    // way; nothing is created or lost.
    let target = dir.join("missing-dir").join("o.csv");
    let r = relufit(&["convert", s(&inst), s(&target)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing-dir"), "{}", r.stderr);
    let blocker = dir.join("blocker.csv");
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("keep.txt"), "precious").unwrap();
    let r = relufit(&["convert", s(&inst), s(&blocker)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("blocker.csv"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(blocker.join("keep.txt")).unwrap(),
        "precious"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn gen_planted_then_exactfit_fit_no_and_unknown() {
    let dir = scratch("exactfit");
    let inst = planted(&dir, &["-d", "2", "-k", "2", "-n", "20", "--seed", "3"]);
    let net = dir.join("n.json");
    let r = relufit(&["solve", s(&inst), "--algorithm", "exactfit", "-o", s(&net)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FIT") && r.stdout.contains("nodes"));
    assert_eq!(relufit(&["verify", s(&inst), s(&net)]).code, 0);
    // Concave class on convex data: a definite, restricted "no" (exit 1).
    let r = relufit(&[
        "solve",
        s(&inst),
        "--algorithm",
        "exactfit",
        "--signs",
        "concave",
        "--json",
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outcome"], "no-fit");
    assert_eq!(v["restricted_to"], "concave");
    // A zero time limit: unknown, exit 3.
    let r = relufit(&[
        "solve",
        s(&inst),
        "--algorithm",
        "exactfit",
        "--time-limit",
        "0",
        "--json",
    ]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outcome"], "unknown");
}

const XOR_ABS: &str = r#"{
  "format": "relufit-instance/1",
  "activation": "relu",
  "k": 1,
  "gamma": "0",
  "loss": "abs",
  "points": [
    { "x": ["0", "0"], "y": "0" },
    { "x": ["1", "1"], "y": "0" },
    { "x": ["1", "0"], "y": "1" },
    { "x": ["0", "1"], "y": "1" }
  ]
}"#;

/// An `--optimize` run stopped by its limit still hands over its incumbent: `-o` writes it,
/// the JSON gives its error, and the verifier agrees with that error (it is an upper bound
/// on the least error, not an optimum). A decision run writes nothing.
#[test]
fn optimize_stopped_early_writes_the_best_network_so_far() {
    let dir = scratch("optimize-unknown");
    let inst = dir.join("xor.json");
    std::fs::write(&inst, XOR_ABS).unwrap();
    for algorithm in ["auto", "enumerate", "patterns"] {
        let net = dir.join(format!("best-{algorithm}.json"));
        let r = relufit(&[
            "solve",
            s(&inst),
            "--algorithm",
            algorithm,
            "--optimize",
            "--time-limit",
            "0",
            "--json",
            "-o",
            s(&net),
        ]);
        assert_eq!(r.code, 3, "{algorithm}: {}{}", r.stdout, r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["outcome"], "unknown", "{algorithm}");
        assert_eq!(v["network"], s(&net), "{algorithm}");
        let claimed = v["best_error"].as_str().expect("best_error").to_string();
        let check = relufit(&["verify", s(&inst), s(&net), "--json"]);
        let c: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
        assert_eq!(
            c["error"],
            claimed.as_str(),
            "{algorithm}: {}",
            check.stdout
        );
        // The optimum of XOR with one neuron is 1, so the incumbent's error is at least 1.
        let (num, den) = claimed.split_once('/').unwrap_or((&claimed, "1"));
        let (num, den): (i64, i64) = (num.parse().unwrap(), den.parse().unwrap());
        assert!(
            num >= den,
            "{algorithm}: incumbent error {claimed} below the optimum 1"
        );
    }
    let net = dir.join("decision.json");
    let r = relufit(&["solve", s(&inst), "--time-limit", "0", "-o", s(&net)]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        !net.exists(),
        "a decision run stopped early wrote a network"
    );
}

#[test]
fn enumerate_shards_merge_to_the_unsharded_optimum() {
    let dir = scratch("enumerate");
    let inst = dir.join("xor.json");
    std::fs::write(&inst, XOR_ABS).unwrap();
    let whole = relufit(&[
        "solve",
        s(&inst),
        "--algorithm",
        "enumerate",
        "--optimize",
        "--json",
    ]);
    // --optimize established the optimum (1 > gamma = 0): a success, exit 0.
    assert_eq!(whole.code, 0, "{}{}", whole.stdout, whole.stderr);
    let v: serde_json::Value = serde_json::from_str(&whole.stdout).unwrap();
    assert_eq!(v["outcome"], "no-fit");
    assert_eq!(v["optimum"], "1");
    let mut files = Vec::new();
    for i in 0..3 {
        let f = dir.join(format!("shard{i}.json"));
        let shard = format!("{i}/3");
        let r = relufit(&[
            "solve",
            s(&inst),
            "--algorithm",
            "enumerate",
            "--optimize",
            "--shard",
            &shard,
            "-o",
            s(&f),
        ]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        files.push(f);
    }
    let mut args = vec!["merge", "--json"];
    args.extend(files.iter().map(|f| s(f)));
    let r = relufit(&args);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let m: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(m["optimum"], "1");
    // Without shard 0 there is no definite answer (exit 3).
    let r = relufit(&["merge", s(&files[1]), s(&files[2])]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    // Two neurons fit XOR; the decision version finds it (exit 0).
    std::fs::write(&inst, XOR_ABS.replace("\"k\": 1", "\"k\": 2")).unwrap();
    let net = dir.join("net.json");
    let r = relufit(&["solve", s(&inst), "--algorithm", "enumerate", "-o", s(&net)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(relufit(&["verify", s(&inst), s(&net)]).code, 0);
}

/// `--memory-limit` turns a blow-up (the enumeration's dichotomies of 50 points in
/// dimension 3) into "unknown" (exit 3) with a reason that names the limit once, says what
/// needed how much, and points at the flag.
#[test]
fn memory_limit_gives_unknown_with_one_clear_reason() {
    let dir = scratch("memory");
    let inst = planted(
        &dir,
        &[
            "-d",
            "3",
            "-k",
            "3",
            "-n",
            "50",
            "--negative",
            "1",
            "--seed",
            "1",
            "--near-miss",
        ],
    );
    let r = relufit(&[
        "solve",
        s(&inst),
        "--algorithm",
        "enumerate",
        "--memory-limit",
        "1M",
        "--time-limit",
        "60",
        "--json",
    ]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outcome"], "unknown");
    assert_eq!(v["stop"], "memory_limit");
    let reason = v["reason"].as_str().unwrap();
    assert!(reason.starts_with("memory limit: "), "{reason}");
    assert_eq!(reason.matches("memory limit").count(), 1, "{reason}");
    assert!(reason.contains("would need about") && reason.contains("(--memory-limit)"));
}

/// A run longer than a second reports its progress on stderr also when stderr is not a
/// terminal (a log): whole lines, not redrawn ones; `--json` keeps stderr free of them.
#[test]
fn long_runs_write_progress_lines_to_a_log() {
    let dir = scratch("progress");
    let inst = planted(
        &dir,
        &[
            "-d",
            "4",
            "-k",
            "4",
            "-n",
            "50",
            "--negative",
            "0",
            "--seed",
            "1",
            "--near-miss",
        ],
    );
    let args = ["solve", s(&inst), "--signs", "convex", "--time-limit", "3"];
    let r = relufit(&args);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("progress: search: "))
        .collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].contains("elapsed") && !r.stderr.contains('\r'));
    let r = relufit(&[&args[..], &["--json"]].concat());
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("progress"), "{}", r.stderr);
}
