//! End-to-end tests of the separability commands (Theorem 7 / Corollary 10): gen, reduce,
//! lift, decode, separability decide/check/figure, with their exit codes.

mod common;

use common::{s, scratch};
use std::path::Path;

/// Exit code and stdout + stderr of one run.
fn relufit(args: &[&str]) -> (i32, String) {
    let r = common::relufit(args);
    (r.code, format!("{}{}", r.stdout, r.stderr))
}

#[test]
fn gen_reduce_lift_verify_decode_round_trip() {
    let dir = scratch("rt");
    let (sets, hp, inst, net, dec) = (
        dir.join("sets.json"),
        dir.join("hp.json"),
        dir.join("inst.json"),
        dir.join("net.json"),
        dir.join("dec.json"),
    );
    for act in ["relu", "threshold"] {
        let (c, out) = relufit(&[
            "gen",
            "separability",
            "--dim",
            "3",
            "--num-q",
            "3",
            "--num-p",
            "4",
            "--seed",
            "2",
            "-o",
            s(&sets),
            "--hyperplanes",
            s(&hp),
        ]);
        assert_eq!(c, 0, "{out}");
        let (c, out) = relufit(&[
            "reduce",
            "separability",
            s(&sets),
            "--activation",
            act,
            "--gamma",
            "1/2",
            "-o",
            s(&inst),
        ]);
        assert_eq!(c, 0, "{out}");
        let (c, out) = relufit(&["lift", "separability", s(&inst), s(&hp), "-o", s(&net)]);
        assert_eq!(c, 0, "{out}");
        let (c, out) = relufit(&["verify", s(&inst), s(&net)]);
        assert_eq!(c, 0, "{out}");
        let (c, out) = relufit(&["decode", "separability", s(&inst), s(&net), "-o", s(&dec)]);
        assert_eq!(c, 0, "{out}");
        assert!(out.contains("strictly separate"), "{out}");
        let (c, out) = relufit(&["separability", "check", s(&sets), s(&dec)]);
        assert_eq!(c, 0, "{out}");
        assert!(out.contains("strict separation: yes"), "{out}");
    }
}

#[test]
fn non_separable_sets_give_exit_code_1() {
    let dir = scratch("hex");
    let sets = dir.join("hex.csv");
    std::fs::write(
        &sets,
        "x1,x2,set\n2,0,1\n-1,2,1\n-1,-2,1\n-2,0,0\n1,-2,0\n1,2,0\n",
    )
    .unwrap();
    let (c, out) = relufit(&["separability", "decide", s(&sets)]);
    assert_eq!(c, 1, "{out}");
    assert!(out.contains("NOT SEPARABLE"), "{out}");
    let inst = dir.join("inst.json");
    let (c, out) = relufit(&["reduce", "separability", s(&sets), "-o", s(&inst)]);
    assert_eq!(c, 0, "{out}");
    let hp = dir.join("hp.json");
    std::fs::write(
        &hp,
        r#"{"format":"relufit-hyperplanes/1","hyperplanes":[{"h":["1","0"],"o":"3/2"},{"h":["1","0"],"o":"-3/2"}]}"#,
    )
    .unwrap();
    let (c, out) = relufit(&[
        "lift",
        "separability",
        s(&inst),
        s(&hp),
        "-o",
        s(&dir.join("n.json")),
    ]);
    assert_eq!(c, 1, "{out}");
    assert!(out.contains("condition"), "{out}");
}

#[test]
fn figure_is_written() {
    let dir = scratch("fig");
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let inst = dir.join("inst.json");
    let net = dir.join("net.json");
    let svg = dir.join("fig.svg");
    let sets = ex.join("separability-fig6.sets.json");
    let hp = ex.join("separability-fig6.hyperplanes.json");
    assert_eq!(
        relufit(&[
            "reduce",
            "separability",
            s(&sets),
            "--eps",
            "1/3",
            "-o",
            s(&inst)
        ])
        .0,
        0
    );
    assert_eq!(
        relufit(&["lift", "separability", s(&inst), s(&hp), "-o", s(&net)]).0,
        0
    );
    let (c, out) = relufit(&[
        "separability",
        "figure",
        s(&inst),
        "--network",
        s(&net),
        "--hyperplanes",
        s(&hp),
        "-o",
        s(&svg),
    ]);
    assert_eq!(c, 0, "{out}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches("<line").count(), 6);
}
