//! ExactFit (Theorem 11): planted fits, degenerate data, certificates of near misses, limits,
//! and the proof's depth bound k(d+1)+1 on every run. Agreement with the brute-force oracle
//! and the other algorithms on small instances: `tests/agreement.rs`.

mod support;

use relufit::model::{Activation, Instance, Loss, Point};
use relufit::num::{int, ratio, Rational};
use relufit::planted::{planted, PlantedSpec};
use relufit::solve::{
    solve_with, Algorithm, Evidence, Outcome, Signs, Solution, SolveSettings, StopReason,
};
use relufit::verify::verify;
use support::build;

/// A ReLU instance with `gamma = 0` (ExactFit's regime).
fn instance(k: usize, pts: &[(Vec<Rational>, Rational)]) -> Instance {
    let points = pts
        .iter()
        .map(|(x, y)| Point::new(x.clone(), y.clone()))
        .collect();
    build::instance(Activation::Relu, k, Loss::Squared, Rational::ZERO, points)
}

fn exactfit(inst: &Instance, signs: Signs, threads: usize) -> Solution {
    let settings = SolveSettings {
        algorithm: Algorithm::ExactFit,
        signs: Some(signs),
        threads,
        ..Default::default()
    };
    let sol = solve_with(inst, &settings).expect("ExactFit applies");
    // The paper's rules alone (no upper-bound test) and the exact simplex alone (no
    // float-guided bases) must reach the same decision.
    for (paper, exact) in [(true, false), (false, true)] {
        let alt = SolveSettings {
            paper_rules_only: paper,
            exact_lp_only: exact,
            ..settings.clone()
        };
        let other = solve_with(inst, &alt).expect("ExactFit applies");
        assert_eq!(
            matches!(other.outcome, Outcome::Fit { .. }),
            matches!(sol.outcome, Outcome::Fit { .. }),
            "paper_rules_only={paper} exact_lp_only={exact}"
        );
        if exact {
            assert_eq!(other.stats.lp_fallbacks, 0);
        }
        assert!(other.stats.max_depth <= inst.k * (inst.dim() + 1) + 1);
    }
    let bound = inst.k * (inst.dim() + 1) + 1;
    assert!(
        sol.stats.max_depth <= bound,
        "depth {} exceeds k(d+1)+1 = {bound}",
        sol.stats.max_depth
    );
    if let Outcome::Fit { network, .. } = &sol.outcome {
        let r = verify(inst, network).unwrap();
        assert!(r.passes() && r.error == Rational::ZERO);
        let want = if signs == Signs::Convex {
            int(1)
        } else {
            int(-1)
        };
        assert!(network.neurons.iter().all(|n| n.a == want));
    }
    sol
}

fn is_fit(s: &Solution) -> bool {
    match &s.outcome {
        Outcome::Fit { .. } => true,
        Outcome::NoFit { restricted_to, .. } => {
            assert!(restricted_to.is_some());
            false
        }
        Outcome::Unknown { reason, .. } => panic!("unknown: {reason}"),
    }
}

#[test]
fn planted_instances_always_fit() {
    for d in 1..=3 {
        for k in 1..=3 {
            for signs in [Signs::Convex, Signs::Concave] {
                let spec = PlantedSpec {
                    d,
                    k,
                    n: 6 + 2 * d + 2 * k,
                    signs: signs.into(),
                    seed: (d * 10 + k) as u64,
                    ..Default::default()
                };
                let p = planted(&spec);
                let sol = exactfit(&p.instance, signs, 1);
                assert!(is_fit(&sol), "d={d} k={k} {signs}: {:?}", sol.outcome);
            }
        }
    }
}

#[test]
fn parallel_search_agrees() {
    for seed in 0..3 {
        for near_miss in [false, true] {
            let spec = PlantedSpec {
                d: 2,
                k: 2,
                n: 12,
                near_miss,
                seed,
                ..Default::default()
            };
            let p = planted(&spec);
            let a = is_fit(&exactfit(&p.instance, Signs::Convex, 1));
            let b = is_fit(&exactfit(&p.instance, Signs::Convex, 2));
            assert_eq!(a, b, "seed {seed} near_miss {near_miss}");
            if !near_miss {
                assert!(a);
            }
        }
    }
}

fn pt(x: &[Rational], y: Rational) -> (Vec<Rational>, Rational) {
    (x.to_vec(), y)
}

#[test]
fn degenerate_data() {
    // d = 1, points exactly on the breakpoints of phi(x) = [x]_+ + [x - 1]_+ , repeated and
    // collinear points.
    let f = |x: Rational| {
        let a = if x > int(0) { x.clone() } else { int(0) };
        let b = if x > int(1) { x - int(1) } else { int(0) };
        a + b
    };
    let xs = [
        int(-2),
        int(0),
        int(0),
        int(1),
        int(1),
        ratio(1, 2),
        int(3),
        int(3),
        int(-1),
    ];
    let pts: Vec<_> = xs
        .iter()
        .map(|x| pt(std::slice::from_ref(x), f(x.clone())))
        .collect();
    let inst = instance(2, &pts);
    assert!(is_fit(&exactfit(&inst, Signs::Convex, 1)));
    // With one neuron the kink at 1 cannot be made.
    let inst1 = instance(1, &pts);
    assert!(!is_fit(&exactfit(&inst1, Signs::Convex, 1)));
    assert!(!is_fit(&exactfit(&inst, Signs::Concave, 1)));

    // All points on one line in d = 2 (collinear inputs) with breakpoints on the data.
    let pts2: Vec<_> = xs
        .iter()
        .map(|x| pt(&[x.clone(), int(2) * x], f(x.clone())))
        .collect();
    assert!(is_fit(&exactfit(&instance(2, &pts2), Signs::Convex, 1)));

    // Repeated input with conflicting labels: never fits.
    let mut bad = pts.clone();
    bad.push(pt(&[int(3)], int(7)));
    assert!(!is_fit(&exactfit(&instance(2, &bad), Signs::Convex, 1)));

    // All-zero labels: the zero network; negative label: no convex fit.
    let zeros = vec![pt(&[int(1), int(2)], int(0)), pt(&[int(0), int(0)], int(0))];
    assert!(is_fit(&exactfit(&instance(2, &zeros), Signs::Convex, 1)));
    let neg = vec![pt(&[int(1)], int(-1))];
    assert!(!is_fit(&exactfit(&instance(3, &neg), Signs::Convex, 1)));
    assert!(is_fit(&exactfit(&instance(3, &neg), Signs::Concave, 1)));

    // Points on the breakline of a planted d = 2 network (x2 = x1 for w = (1, -1), b = 0).
    let g = |x: &[Rational]| {
        let z = &x[0] - &x[1];
        let z2 = &x[0] + &x[1] - int(1);
        (if z > int(0) { z } else { int(0) }) + (if z2 > int(0) { z2 } else { int(0) })
    };
    let grid: Vec<_> = (-2..=2)
        .flat_map(|a| (-2..=2).map(move |b| vec![int(a), int(b)]))
        .map(|x| {
            let y = g(&x);
            (x, y)
        })
        .collect();
    assert!(is_fit(&exactfit(&instance(2, &grid), Signs::Convex, 1)));
    assert!(!is_fit(&exactfit(&instance(1, &grid), Signs::Convex, 1)));
}

#[test]
fn near_misses_are_refuted_with_certificates() {
    let mut refuted = 0;
    for seed in 0..6 {
        let p = planted(&PlantedSpec {
            d: 2,
            k: 2,
            n: 16,
            near_miss: true,
            seed,
            ..Default::default()
        });
        let sol = exactfit(&p.instance, Signs::Convex, 1);
        if let Outcome::NoFit { evidence, .. } = &sol.outcome {
            refuted += 1;
            assert!(matches!(evidence, Evidence::ExactFit { .. }), "{evidence}");
            assert!(evidence.to_string().contains("Farkas"));
            assert!(sol.stats.closed_by_farkas + sol.stats.rejected_by_bound > 0);
        }
        assert!(sol.stats.lps > 0 && sol.stats.nodes > 0);
    }
    assert!(refuted >= 4, "only {refuted} of 6 near misses refuted");
}

#[test]
fn time_limit_and_cancel_give_unknown() {
    let p = planted(&PlantedSpec {
        d: 2,
        k: 3,
        n: 40,
        near_miss: true,
        seed: 3,
        ..Default::default()
    });
    let settings = SolveSettings {
        algorithm: Algorithm::ExactFit,
        time_limit: Some(std::time::Duration::ZERO),
        ..Default::default()
    };
    let sol = solve_with(&p.instance, &settings).unwrap();
    assert!(matches!(sol.outcome, Outcome::Unknown { .. }));
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let settings = SolveSettings {
        algorithm: Algorithm::ExactFit,
        cancel: Some(flag),
        ..Default::default()
    };
    let sol = solve_with(&p.instance, &settings).unwrap();
    match sol.outcome {
        Outcome::Unknown { reason, .. } => assert_eq!(reason, StopReason::Cancelled),
        other => panic!("{other:?}"),
    }
}

/// The progress line of a long ExactFit run: with two threads the reported nodes are the
/// sum over the threads (never decreasing from report to report), and once a hundredth of
/// the tree is finished the report estimates the time left. The run is stopped by its time
/// limit (an instance too large to finish), so the assertion is on the reports, not a time.
#[test]
fn parallel_progress_counts_every_thread_and_estimates_the_rest() {
    use relufit::solve::{Observer, Progress};
    use std::sync::{Arc, Mutex};
    #[derive(Default)]
    struct Reports(Mutex<Vec<Progress>>);
    impl Observer for Reports {
        fn progress(&self, p: &Progress) {
            self.0.lock().unwrap().push(p.clone());
        }
    }
    let p = planted(&PlantedSpec {
        d: 4,
        k: 4,
        n: 50,
        signs: Signs::Convex.into(),
        near_miss: true,
        seed: 1,
        ..Default::default()
    });
    let reports = Arc::new(Reports::default());
    let settings = SolveSettings {
        algorithm: Algorithm::ExactFit,
        signs: Some(Signs::Convex),
        threads: 2,
        // About 2 s on an idle 2-core machine until a hundredth of the tree is finished.
        time_limit: Some(std::time::Duration::from_secs(6)),
        observer: Some(reports.clone()),
        ..Default::default()
    };
    let sol = solve_with(&p.instance, &settings).unwrap();
    assert!(
        matches!(sol.outcome, Outcome::Unknown { .. }),
        "{:?}",
        sol.outcome
    );
    let reports = reports.0.lock().unwrap();
    let search: Vec<&Progress> = reports.iter().filter(|r| r.stage == "search").collect();
    assert!(search.len() >= 5, "{} search reports", search.len());
    for pair in search.windows(2) {
        assert!(
            pair[0].nodes <= pair[1].nodes,
            "{} > {}",
            pair[0].nodes,
            pair[1].nodes
        );
    }
    // The last report's count is the run's (up to the last 100 ms of each thread).
    let last = search.last().unwrap();
    assert!(last.nodes <= sol.stats.nodes && last.nodes * 2 >= sol.stats.nodes);
    assert!(search.iter().any(|r| r.remaining.is_some()));
}

#[test]
fn auto_uses_both_signs() {
    let p = planted(&PlantedSpec {
        d: 1,
        k: 2,
        n: 10,
        signs: Signs::Concave.into(),
        seed: 4,
        ..Default::default()
    });
    let sol = solve_with(&p.instance, &SolveSettings::default()).unwrap();
    match sol.outcome {
        Outcome::Fit { network, .. } => assert!(network.neurons.iter().all(|n| n.a == int(-1))),
        other => panic!("{other:?}"),
    }
}

/// The cap test (every `f_I(x) <= y` at once, a Farkas certificate when impossible) closes
/// nodes that Algorithm 2's one-subset-at-a-time lower bounds leave open, and the decisions
/// agree with the paper's rules alone (checked inside `exactfit`).
#[test]
fn cap_test_closes_nodes_and_agrees_with_the_paper_rules() {
    let mut closed = 0;
    // The cap test closes a node only where the other tests did not: rare, and which
    // instances depend on the pool points the search happens to find (a change of the
    // certified points moved it from (1, 15) to (1, 12)), so several instances are tried.
    for (seed, n) in [(1, 8), (1, 12), (1, 15), (5, 8)] {
        let p = planted(&PlantedSpec {
            d: 2,
            k: 3,
            n,
            signs: relufit::planted::PlantedSigns::Mixed { negative: 0 },
            near_miss: true,
            seed,
            ..Default::default()
        });
        let sol = exactfit(&p.instance, Signs::Convex, 1);
        closed += sol.stats.rejected_by_cap;
        if let Outcome::NoFit { evidence, .. } = &sol.outcome {
            assert!(evidence.to_string().contains("(cap test)"), "{evidence}");
        }
    }
    assert!(closed > 0, "the cap test closed no node");
}

/// The sign probes at the branching point drop children (each drop rests on a checked dual
/// bound), the lower bound that rejected a sibling is tried first, and the answers agree
/// with the paper's rules alone and with the exact simplex alone (checked in `exactfit`,
/// whose measurement modes branch in input order).
#[test]
fn sign_probes_and_sibling_bounds_agree_with_the_paper_rules() {
    let (mut dropped, mut like_sibling, mut refuted) = (0, 0, 0);
    for seed in 0..4 {
        let p = planted(&PlantedSpec {
            d: 2,
            k: 3,
            n: 14,
            near_miss: true,
            seed,
            ..Default::default()
        });
        let sol = exactfit(&p.instance, Signs::Convex, 1);
        dropped += sol.stats.pruned_by_sign;
        like_sibling += sol.stats.rejected_like_sibling;
        if let Outcome::NoFit { evidence, .. } = &sol.outcome {
            refuted += 1;
            assert!(evidence.to_string().contains("(sign probes)"), "{evidence}");
        }
    }
    assert!(dropped > 0, "the sign probes dropped no child");
    assert!(like_sibling > 0, "no sibling's bound was reused");
    assert!(refuted > 0, "no near miss was refuted");
}
