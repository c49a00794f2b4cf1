//! End-to-end tests of the POITS commands and the demo: gen -> sat -> reduce -> lift ->
//! verify -> decode, wrong assignments, bad formulas, plot, figures.

mod common;

use common::{relufit_in, scratch};

const FIGURE5: &str = "c Figure 5\np cnf 5 3\n5 4 3 0\n4 3 2 0\n5 2 1 0\n";

#[test]
fn reduce_lift_verify_decode_round_trip() {
    let dir = scratch("roundtrip");
    std::fs::write(dir.join("f.cnf"), FIGURE5).unwrap();
    let r = relufit_in(&dir, &["sat", "f.cnf", "--count", "--enumerate", "5"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("solutions: 2"), "{}", r.stdout);
    for activation in ["relu", "threshold"] {
        let r = relufit_in(
            &dir,
            &[
                "reduce",
                "poits",
                "f.cnf",
                "--activation",
                activation,
                "-o",
                "i.json",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let expected = if activation == "relu" {
            "n = 279, k = 32"
        } else {
            "n = 221, k = 16"
        };
        assert!(r.stdout.contains(expected), "{}", r.stdout);
        let r = relufit_in(
            &dir,
            &["lift", "poits", "i.json", "--true", "1 3", "-o", "n.json"],
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert_eq!(relufit_in(&dir, &["verify", "i.json", "n.json"]).code, 0);
        let r = relufit_in(&dir, &["decode", "poits", "i.json", "n.json", "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["assignment"], serde_json::json!([1, 3]));
        assert_eq!(v["choices"], serde_json::json!([3, 2, 3]));
        // A wrong assignment fits nowhere near: exit 1, the failing points named by role.
        let r = relufit_in(
            &dir,
            &["lift", "poits", "i.json", "--true", "1", "-o", "bad.json"],
        );
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(
            r.stdout.contains("NOT a 1-in-3 solution") && r.stdout.contains("FAIL"),
            "{}",
            r.stdout
        );
        let r = relufit_in(&dir, &["decode", "poits", "i.json", "bad.json"]);
        assert_eq!(r.code, 1);
        assert!(r.stdout.contains("does not fit"), "{}", r.stdout);
        // A wrong literal choice for a right assignment also fails.
        let r = relufit_in(
            &dir,
            &[
                "lift",
                "poits",
                "i.json",
                "--true",
                "1 3",
                "--choices",
                "1 2 3",
            ],
        );
        assert_eq!(r.code, 1, "{}", r.stdout);
    }
    // Padding: d = 3 and gamma = 1/2 under abs loss; the lifted network has error exactly 1/2.
    let r = relufit_in(
        &dir,
        &[
            "reduce", "poits", "f.cnf", "--dim", "3", "--gamma", "1/2", "--loss", "abs", "-o",
            "p.json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = relufit_in(
        &dir,
        &["lift", "poits", "p.json", "--true", "1 4", "--json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["verification"]["error"], "1/2");
}

#[test]
fn gen_and_bad_formulas() {
    let dir = scratch("gen");
    let r = relufit_in(
        &dir,
        &[
            "gen",
            "poits",
            "--vars",
            "30",
            "--clauses",
            "20",
            "--planted",
            "--seed",
            "7",
            "-o",
            "g.cnf",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.join("g.cnf")).unwrap();
    assert!(text.contains("planted solution"));
    assert_eq!(relufit_in(&dir, &["sat", "g.cnf"]).code, 0);
    // Unsatisfiable: (1 1 1) cannot have exactly one true literal.
    std::fs::write(dir.join("u.cnf"), "p cnf 1 1\n1 1 1 0\n").unwrap();
    let r = relufit_in(&dir, &["sat", "u.cnf"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("UNSATISFIABLE"));
    // A negative literal is not Positive 1-in-3 SAT: exit 2, line named.
    std::fs::write(dir.join("neg.cnf"), "p cnf 3 2\n1 2 3 0\n1 -2 3 0\n").unwrap();
    let r = relufit_in(&dir, &["reduce", "poits", "neg.cnf", "-o", "x.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("neg.cnf:3"), "{}", r.stderr);
    assert!(!dir.join("x.json").exists());
    let r = relufit_in(&dir, &["lift", "poits", "missing.json", "--true", "1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.json"));
}

#[test]
fn demo_plot_and_figures_write_their_files() {
    let dir = scratch("demo");
    let r = relufit_in(&dir, &["demo"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("Theorem 1: 279 points") && r.stdout.contains("Corollary 8: 221 points")
    );
    for f in [
        "figure5.cnf",
        "figure5-relu.instance.json",
        "figure5-relu-solution-1-3.network.json",
        "figure5-threshold-solution-1-4.network.json",
        "figure2.svg",
        "figure3.svg",
        "figure5.svg",
        "figure5-relu-clause1.svg",
    ] {
        assert!(dir.join("relufit-demo").join(f).exists(), "{f} missing");
    }
    let demo = dir.join("relufit-demo");
    let r = relufit_in(
        &demo,
        &[
            "plot",
            "figure5-relu.instance.json",
            "--network",
            "figure5-relu-solution-1-3.network.json",
            "--shade",
            "-o",
            "p.svg",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(demo.join("p.svg"))
        .unwrap()
        .starts_with("<svg"));
    let r = relufit_in(
        &demo,
        &[
            "plot",
            "figure5-relu.instance.json",
            "--window",
            "1,0,0,1",
            "-o",
            "q.svg",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--window"));
    let r = relufit_in(&dir, &["figures", "-o", "figs"]);
    assert_eq!(r.code, 0);
    assert!(dir.join("figs/figure5.svg").exists());
    assert!(dir.join("figs/corollary9.svg").exists());
}
