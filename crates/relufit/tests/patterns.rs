//! The pattern search (any output signs, gamma = 0): the paper's selection gadget (Lemma 4)
//! and its counts of fitting functions.

use relufit::model::{Activation, Instance, Loss, Point};
use relufit::num::{int, ratio, Rational};
use relufit::reduce::poits::gadget::selection_gadget;
use relufit::solve::patterns::{self, Completeness};
use relufit::solve::{solve_with, Algorithm, Outcome, SolveSettings};
use std::time::Duration;

/// The selection gadget of Figure 2 / Lemma 4 centred at the origin with `slopes` and the
/// largest epsilon the lemma allows.
fn gadget(slopes: &[Rational], k: usize) -> Instance {
    let third = |s: &Rational| {
        if *s == Rational::ZERO {
            None
        } else {
            Some(int(1) / (int(3) * relufit::num::abs(s)))
        }
    };
    let eps = [third(&slopes[0]), third(&slopes[slopes.len() - 1])]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(int(1))
        .min(int(1));
    let points = selection_gadget(&Rational::ZERO, slopes, &eps)
        .into_iter()
        .map(|g| Point::new(g.x.to_vec(), g.y))
        .collect();
    Instance {
        activation: Activation::Relu,
        k,
        gamma: Rational::ZERO,
        loss: Loss::Squared,
        lp: None,
        points,
        meta: serde_json::Value::Null,
    }
}

fn settings() -> SolveSettings {
    SolveSettings {
        algorithm: Algorithm::Patterns,
        time_limit: Some(Duration::from_secs(120)),
        ..Default::default()
    }
}

#[test]
fn figure2_gadget_fits_with_four_relus() {
    let inst = gadget(&[int(-1), int(0), int(1)], 4);
    let sol = solve_with(&inst, &settings()).expect("applies");
    assert!(
        matches!(sol.outcome, Outcome::Fit { .. }),
        "{:?}",
        sol.outcome
    );
}

#[test]
fn figure2_gadget_has_no_fit_with_three_relus() {
    let inst = gadget(&[int(-1), int(0), int(1)], 3);
    let sol = solve_with(&inst, &settings()).expect("applies");
    match &sol.outcome {
        Outcome::NoFit {
            restricted_to,
            evidence,
            ..
        } => {
            assert!(restricted_to.is_none());
            assert!(evidence.contains("exhausted 4 sign class"), "{evidence}");
        }
        other => panic!("expected no fit, got {other:?}"),
    }
}

#[test]
fn lemma4_counts_fitting_functions() {
    for slopes in [
        vec![int(-1), int(1)],
        vec![int(-1), int(0), int(1)],
        vec![ratio(-1, 2), int(0), ratio(1, 3), int(2)],
    ] {
        let inst = gadget(&slopes, 4);
        let all = patterns::all_fits(&inst, &settings()).expect("applies");
        assert_eq!(all.completeness, Completeness::Complete);
        assert_eq!(all.functions.len(), slopes.len());
    }
}
