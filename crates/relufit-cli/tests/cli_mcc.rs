//! End-to-end tests of the MULTICOLORED CLIQUE commands (Corollary 9): gen -> mcc solve ->
//! reduce -> lift -> verify -> decode, for JSON and DIMACS sources, padded widths, `lp:P`
//! losses, and `reduce separability --width`.

mod common;

use common::{relufit_in, scratch};

const GRAPH: &str = r#"{"format": "relufit-mcc/1", "colors": [[1, 2, 3], [4, 5], [6, 7]],
  "edges": [[1, 4], [4, 6], [1, 6], [2, 5], [3, 7]]}"#;

const DIMACS: &str =
    "c five vertices\np edge 5 7\ne 1 2\ne 1 3\ne 2 3\ne 3 4\ne 4 5\ne 3 5\ne 2 4\n";

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn solve_reduce_lift_verify_decode_round_trip() {
    let dir = scratch("mcc-roundtrip");
    std::fs::write(dir.join("g.json"), GRAPH).unwrap();
    let r = relufit_in(&dir, &["mcc", "solve", "g.json", "--all", "10", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["clique"], serde_json::json!([1, 4, 6]));
    assert_eq!(v["complete"], serde_json::json!(true));
    for (activation, p, width) in [
        ("threshold", "0", "1"),
        ("relu", "2", "1"),
        ("threshold", "3", "2"),
        ("relu", "1", "2"),
    ] {
        let r = relufit_in(
            &dir,
            &[
                "reduce",
                "mcc",
                "g.json",
                "--activation",
                activation,
                "--p",
                p,
                "--width",
                width,
                "-o",
                "i.json",
                "--json",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v = json(&r.stdout);
        assert_eq!(v["gamma"], "4");
        assert_eq!(v["k"].as_u64().unwrap().to_string(), width);
        let r = relufit_in(
            &dir,
            &["lift", "mcc", "i.json", "--clique", "6 1 4", "-o", "n.json"],
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("PASS"), "{}", r.stdout);
        assert_eq!(relufit_in(&dir, &["verify", "i.json", "n.json"]).code, 0);
        let r = relufit_in(&dir, &["decode", "mcc", "i.json", "n.json", "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(json(&r.stdout)["clique"], serde_json::json!([1, 4, 6]));
        // Not a clique: the canonical network exceeds gamma (exit 1); it decodes to nothing.
        let r = relufit_in(
            &dir,
            &[
                "lift", "mcc", "i.json", "--clique", "2 5 7", "-o", "bad.json",
            ],
        );
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(
            r.stdout.contains("NOT a multicoloured clique"),
            "{}",
            r.stdout
        );
        assert_eq!(
            relufit_in(&dir, &["decode", "mcc", "i.json", "bad.json"]).code,
            1
        );
    }
    // The solver refuses l^p for p >= 3 (exit 2, naming the loss), verify computes it.
    relufit_in(
        &dir,
        &["reduce", "mcc", "g.json", "--p", "3", "-o", "i3.json"],
    );
    let r = relufit_in(&dir, &["solve", "i3.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("i3.json: loss") && r.stderr.contains("lp:3"),
        "{}",
        r.stderr
    );
}

#[test]
fn dimacs_graphs_use_kappa_copies() {
    let dir = scratch("mcc-dimacs");
    std::fs::write(dir.join("g.clq"), DIMACS).unwrap();
    let r = relufit_in(&dir, &["mcc", "solve", "g.clq", "--kappa", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("MULTICOLOURED CLIQUE"), "{}", r.stdout);
    let r = relufit_in(&dir, &["mcc", "solve", "g.clq", "--kappa", "4"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = relufit_in(
        &dir,
        &["reduce", "mcc", "g.clq", "--kappa", "3", "-o", "i.json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = relufit_in(
        &dir,
        &["lift", "mcc", "i.json", "--clique", "5 3 4", "-o", "n.json"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = relufit_in(&dir, &["decode", "mcc", "i.json", "n.json", "--json"]);
    assert_eq!(json(&r.stdout)["clique"], serde_json::json!([3, 4, 5]));
    let r = relufit_in(&dir, &["reduce", "mcc", "g.clq", "-o", "x.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--kappa"), "{}", r.stderr);
}

#[test]
fn generators_write_what_they_say() {
    let dir = scratch("mcc-gen");
    let r = relufit_in(
        &dir,
        &[
            "gen",
            "mcc",
            "--kappa",
            "3",
            "--size",
            "3",
            "--planted",
            "-o",
            "p.json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(relufit_in(&dir, &["mcc", "solve", "p.json"]).code, 0);
    let r = relufit_in(
        &dir,
        &[
            "gen",
            "mcc",
            "--kappa",
            "3",
            "--size",
            "3",
            "--density",
            "3/4",
            "--no-clique",
            "-o",
            "n.json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(relufit_in(&dir, &["mcc", "solve", "n.json"]).code, 1);
    let r = relufit_in(
        &dir,
        &["gen", "mcc", "--family", "johnson8-2-4", "-o", "j.clq"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("28 vertices, 210 edges"), "{}", r.stdout);
    assert_eq!(
        relufit_in(&dir, &["mcc", "solve", "j.clq", "--kappa", "4"]).code,
        0
    );
    assert_eq!(
        relufit_in(&dir, &["mcc", "solve", "j.clq", "--kappa", "5"]).code,
        1
    );
}

#[test]
fn separability_width_pads_the_instance() {
    let dir = scratch("sep-width");
    std::fs::write(
        dir.join("s.json"),
        r#"{"format": "relufit-separability/1", "q": [["0"]], "p": [["-1"], ["1"]]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("h.json"),
        r#"{"format": "relufit-hyperplanes/1", "hyperplanes": [{"h": ["1"], "o": "1/2"}, {"h": ["1"], "o": "-1/2"}]}"#,
    )
    .unwrap();
    for (activation, width) in [("threshold", "3"), ("relu", "6")] {
        let r = relufit_in(
            &dir,
            &[
                "reduce",
                "separability",
                "s.json",
                "--activation",
                activation,
                "--width",
                width,
                "-o",
                "i.json",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("d = 2, "), "{}", r.stdout);
        assert!(r.stdout.contains(&format!("k = {width}")), "{}", r.stdout);
        let r = relufit_in(
            &dir,
            &["lift", "separability", "i.json", "h.json", "-o", "n.json"],
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let r = relufit_in(&dir, &["decode", "separability", "i.json", "n.json"]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("strictly separate"), "{}", r.stdout);
    }
}
