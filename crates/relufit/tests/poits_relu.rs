//! The Theorem 1 reduction POITS -> 2-D ReLU training: construction, lift (equation (2)),
//! decode by probing, padding.

mod support;

use relufit::io::{instance_from_json, instance_to_json};
use relufit::num::{int, ratio, Rational};
use relufit::reduce::poits::gadget::{h0_profile, levee_neurons, selection_gadget};
use relufit::reduce::poits::layout::{GadgetRole, Layout, PointTag};
use relufit::reduce::poits::pad::{pad, pairs_minimum};
use relufit::reduce::poits::{decode, lift, point_tags, reduce, PoitsOptions};
use relufit::sat::{count_solutions, parse_dimacs, Assignment, Formula};
use relufit::verify::{evaluate, verify};
use relufit::{Activation, Instance, Loss, Network, Neuron};
use std::collections::BTreeSet;
use support::build::fits;
use support::paper::{
    all_assignments, brute_force_solutions, figure5_formula, formula_with_repeats, h0_table,
};
use support::{SmallDraws, SplitMix64};

fn reduce_default(f: &Formula) -> Instance {
    reduce(f, &PoitsOptions::default()).expect("reduce")
}

/// `fits`, rejecting quickly when one of the `3m` points `p_{j,r}` (the last points of an
/// unpadded instance) misfits; otherwise the full verification decides.
fn fits_fast(inst: &Instance, net: &Network, m: usize) -> bool {
    let start = inst.points.len() - 3 * m;
    let xs: Vec<&[Rational]> = inst.points[start..]
        .iter()
        .map(|p| p.x.as_slice())
        .collect();
    let vals = evaluate(net, &xs).values;
    if vals
        .iter()
        .zip(&inst.points[start..])
        .any(|(v, p)| *v != p.y)
    {
        return false;
    }
    fits(inst, net)
}

#[test]
fn figure5_instance_and_both_solutions() {
    let f = figure5_formula();
    let inst = reduce_default(&f);
    assert_eq!(inst.points.len(), 279);
    assert_eq!(inst.points.len(), 38 * 3 + 33 * 5);
    assert_eq!(inst.k, 32);
    assert_eq!(inst.dim(), 2);
    assert_eq!(inst.gamma, int(0));
    assert_eq!(inst.activation, Activation::Relu);
    assert_eq!(inst.meta["reduction"], "poits-theorem1");
    assert_eq!(inst.meta["layout"]["Delta"], "54");
    assert_eq!(inst.meta["layout"]["epsilon"], "1/3");
    let sols = brute_force_solutions(&f);
    assert_eq!(sols.len(), 2);
    for (true_vars, choices) in [(vec![1, 3], vec![3, 2, 3]), (vec![1, 4], vec![2, 1, 3])] {
        let a = Assignment::from_true_vars(5, &true_vars);
        assert!(sols.contains(&a));
        assert_eq!(f.chosen_literals(&a), Some(choices.clone()));
        let net = lift(&inst, &a, Some(&choices)).unwrap();
        assert_eq!(net, lift(&inst, &a, None).unwrap());
        assert_eq!(net.width(), 32);
        let report = verify(&inst, &net).unwrap();
        assert_eq!(report.error, int(0));
        assert!(report.passes());
        let d = decode(&inst, &net).unwrap();
        assert_eq!(d.assignment, a);
        assert_eq!(d.choices, choices);
        assert_eq!(d.canonical, net);
        assert_eq!(d.canonical_report.error, int(0));
    }
    // Exactly two canonical networks fit (all 3^3 * 2^5 choice combinations).
    let mut fitting = 0;
    for a in all_assignments(5) {
        for c in 0..27 {
            let choices = [c % 3 + 1, c / 3 % 3 + 1, c / 9 + 1];
            if fits_fast(&inst, &lift(&inst, &a, Some(&choices)).unwrap(), 3) {
                fitting += 1;
                assert_eq!(f.chosen_literals(&a).as_deref(), Some(&choices[..]));
            }
        }
    }
    assert_eq!(fitting, 2);
}

#[test]
fn observation3_levee_on_h0_gives_the_paper_labels() {
    let paper = h0_table();
    assert_eq!(h0_profile(), paper);
    for (z, s) in [
        (int(0), int(0)),
        (int(54), ratio(-5, 6)),
        (int(-270), int(1)),
        (ratio(7, 3), ratio(-1, 7)),
    ] {
        let net = Network::new(Activation::Relu, levee_neurons(&z, &s).to_vec());
        let xs: Vec<Vec<Rational>> = paper.iter().map(|(x2, _)| vec![int(0), &z + x2]).collect();
        let refs: Vec<&[Rational]> = xs.iter().map(|x| x.as_slice()).collect();
        let vals = evaluate(&net, &refs).values;
        let labels: Vec<Rational> = paper.iter().map(|(_, y)| y.clone()).collect();
        assert_eq!(vals, labels, "levee z = {z}, s = {s}");
        // And the gadget's own h0 points carry the same labels.
        let g = selection_gadget(&z, std::slice::from_ref(&s), &ratio(1, 3));
        let h0: Vec<Rational> = g.iter().take(13).map(|p| p.y.clone()).collect();
        assert_eq!(h0, labels);
    }
}

/// The p-points that misfit under the canonical network of `(a, choices)`: value
/// `[r == r_j] + [v false]` must be 1.
fn expected_p_misfits(f: &Formula, a: &Assignment, choices: &[usize]) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for (jj, c) in f.clauses.iter().enumerate() {
        for (rr, &v) in c.iter().enumerate() {
            let value = usize::from(choices[jj] == rr + 1) + usize::from(!a.get(v));
            if value != 1 {
                out.insert((jj + 1, rr + 1));
            }
        }
    }
    out
}

fn misfit_tags(inst: &Instance, net: &Network) -> Vec<PointTag> {
    let tags = point_tags(inst).unwrap();
    let report = verify(inst, net).unwrap();
    report
        .misfit_points(inst)
        .into_iter()
        .map(|i| tags[i])
        .collect()
}

#[test]
fn wrong_assignments_and_choices_misfit_exactly_where_expected() {
    let f = figure5_formula();
    let inst = reduce_default(&f);
    let sol = Assignment::from_true_vars(5, &[1, 3]);
    // Flip one variable (default choices: first true literal or 1).
    for i in 1..=5 {
        let mut a = sol.clone();
        a.values[i - 1] = !a.values[i - 1];
        let net = lift(&inst, &a, None).unwrap();
        let choices: Vec<usize> = f
            .clauses
            .iter()
            .map(|c| c.iter().position(|&v| a.get(v)).map_or(1, |r| r + 1))
            .collect();
        let got: BTreeSet<(usize, usize)> = misfit_tags(&inst, &net)
            .into_iter()
            .map(|t| match t {
                PointTag::Consistency { clause, r, .. } => (clause, r),
                other => panic!("flip v{i}: a gadget point misfits: {other}"),
            })
            .collect();
        let want = expected_p_misfits(&f, &a, &choices);
        assert!(!want.is_empty(), "flipping v{i} must break something");
        assert_eq!(got, want, "flip v{i}");
        let err = decode(&inst, &net).unwrap_err().to_string();
        assert!(err.contains("does not fit"), "{err}");
        assert!(err.contains("p_{"), "{err}");
    }
    // Right assignment, wrong literal in clause 2 (true literal is r = 2, v3).
    let net = lift(&inst, &sol, Some(&[3, 1, 3])).unwrap();
    let got: Vec<String> = misfit_tags(&inst, &net)
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        got,
        vec![
            "p_{2,1} (literal 1 of C2 is v4)".to_string(),
            "p_{2,2} (literal 2 of C2 is v3)".to_string()
        ]
    );
    // A levee of clause 1 at a slope between two allowed ones: the gadget itself misfits.
    let mut net = lift(&inst, &sol, None).unwrap();
    let layout = Layout::new(&f);
    let g = layout.clause(1);
    let mid = (&g.slopes[0] + &g.slopes[1]) / int(2);
    net.neurons[0..4].clone_from_slice(&levee_neurons(&g.centre, &mid));
    let tags = misfit_tags(&inst, &net);
    assert!(tags.iter().any(|t| matches!(
        t,
        PointTag::Gadget {
            gadget: GadgetRole::Clause(1),
            ..
        }
    )));
    for t in &tags {
        assert!(
            matches!(
                t,
                PointTag::Gadget {
                    gadget: GadgetRole::Clause(1),
                    ..
                } | PointTag::Consistency { clause: 1, .. }
            ),
            "unexpected misfit {t}"
        );
    }
}

#[test]
fn decode_is_invariant_under_reparametrisation() {
    let f = figure5_formula();
    let inst = reduce_default(&f);
    for true_vars in [vec![1, 3], vec![1, 4]] {
        let a = Assignment::from_true_vars(5, &true_vars);
        let base = lift(&inst, &a, None).unwrap();
        let check = |inst: &Instance, net: &Network, what: &str| {
            let d = decode(inst, net).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(d.assignment, a, "{what}");
            assert_eq!(d.canonical, base, "{what}");
        };
        // Permuted neurons.
        let mut rng = SplitMix64::new(0x9E37_79B9_7F4A_7C15 ^ true_vars[1] as u64);
        let mut perm = base.clone();
        for i in (1..perm.neurons.len()).rev() {
            perm.neurons.swap(i, rng.below(i + 1));
        }
        assert_ne!(perm, base);
        check(&inst, &perm, "permuted");
        // (w, b, a) -> (c w, c b, a / c) with c > 0 varying per neuron.
        let mut scaled = base.clone();
        for (t, n) in scaled.neurons.iter_mut().enumerate() {
            let c = ratio(t as i64 + 2, 3);
            n.w = n.w.iter().map(|w| w * &c).collect();
            n.b = &n.b * &c;
            n.a = &n.a / &c;
        }
        check(&inst, &scaled, "rescaled");
        // Sign-flipped levee: all four neurons of gadget 2 (w, b) -> (-w, -b), same a.
        let mut flipped = base.clone();
        for n in &mut flipped.neurons[4..8] {
            n.w = n.w.iter().map(|w| -w.clone()).collect();
            n.b = -n.b.clone();
        }
        check(&inst, &flipped, "sign-flipped levee");
        // A neuron split into two halves needs width k + 1: use an instance copy.
        let mut wide = inst.clone();
        wide.k += 1;
        let mut split = base.clone();
        let n0 = split.neurons[0].clone();
        let half = Neuron::new(n0.w.clone(), n0.b.clone(), &n0.a / int(2));
        split.neurons[0] = half.clone();
        split.neurons.push(half);
        assert!(verify(&inst, &split).unwrap().too_wide());
        assert!(decode(&inst, &split).is_err());
        check(&wide, &split, "split neuron");
        // Everything at once.
        let mut all = flipped.clone();
        all.neurons.reverse();
        check(&inst, &all, "flipped and reversed");
    }
}

#[test]
fn random_formulas_round_trip_and_unsat_has_no_canonical_fit() {
    let mut rng = SplitMix64::new(0x1234_5678_9ABC_DEF1);
    let (mut sat, mut unsat) = (0, 0);
    for _ in 0..40 {
        let n = 1 + rng.below(4);
        let m = 1 + rng.below(3);
        let f = formula_with_repeats(&mut rng, n, m);
        let inst = reduce_default(&f);
        assert_eq!(inst.points.len(), 38 * m + 33 * n);
        assert_eq!(inst.k, 4 * (m + n));
        let sols = brute_force_solutions(&f);
        for a in &sols {
            let net = lift(&inst, a, None).unwrap();
            assert!(fits(&inst, &net), "{f:?} {a:?}");
            let d = decode(&inst, &net).unwrap();
            assert_eq!(&d.assignment, a);
            assert_eq!(Some(d.choices), f.chosen_literals(a));
        }
        if n <= 3 && m <= 3 {
            // Over all 3^m 2^n canonical networks, exactly the solutions fit.
            let mut fitting = 0;
            for a in all_assignments(n) {
                for c in 0..3usize.pow(m as u32) {
                    let choices: Vec<usize> =
                        (0..m).map(|j| c / 3usize.pow(j as u32) % 3 + 1).collect();
                    if fits_fast(&inst, &lift(&inst, &a, Some(&choices)).unwrap(), m) {
                        fitting += 1;
                        assert_eq!(f.chosen_literals(&a), Some(choices));
                    }
                }
            }
            assert_eq!(fitting, sols.len(), "{f:?}");
        }
        if sols.is_empty() {
            unsat += 1;
        } else {
            sat += 1;
        }
    }
    assert!(sat >= 5 && unsat >= 5, "sat {sat}, unsat {unsat}");
}

#[test]
fn formula_without_clauses_and_with_repeated_literals() {
    // m = 0: laid out as if m = 1; every assignment is a solution.
    let f = Formula {
        num_vars: 2,
        clauses: vec![],
    };
    let inst = reduce_default(&f);
    assert_eq!((inst.points.len(), inst.k), (66, 8));
    for a in all_assignments(2) {
        let net = lift(&inst, &a, None).unwrap();
        assert!(fits(&inst, &net));
        assert_eq!(decode(&inst, &net).unwrap().assignment, a);
    }
    // (v1 v1 v2): the only solution is v2 alone.
    let f = Formula {
        num_vars: 2,
        clauses: vec![[1, 1, 2]],
    };
    let inst = reduce_default(&f);
    let sols = brute_force_solutions(&f);
    assert_eq!(sols, vec![Assignment::from_true_vars(2, &[2])]);
    let d = decode(&inst, &lift(&inst, &sols[0], None).unwrap()).unwrap();
    assert_eq!(d.choices, vec![3]);
    assert!(!fits(
        &inst,
        &lift(&inst, &Assignment::from_true_vars(2, &[1]), None).unwrap()
    ));
}

#[test]
fn padding_dimension_and_gamma_for_every_loss() {
    let f = figure5_formula();
    let a = Assignment::from_true_vars(5, &[1, 4]);
    for (loss, gamma, pairs) in [
        (Loss::Squared, ratio(7, 5), None),
        (Loss::Squared, ratio(8, 9), Some(1)),
        (Loss::Abs, ratio(3, 4), Some(1)),
        (Loss::ZeroOne, int(2), Some(2)),
    ] {
        let opts = PoitsOptions {
            activation: Activation::Relu,
            dim: 3,
            gamma: gamma.clone(),
            loss,
        };
        let inst = reduce(&f, &opts).unwrap();
        assert_eq!(inst.dim(), 3);
        assert_eq!(inst.k, 32);
        let extra = inst.points.len() - 279;
        assert!(extra >= 2 && extra % 2 == 0);
        if let Some(p) = pairs {
            assert_eq!(extra, 2 * p, "{loss}");
        }
        let net = lift(&inst, &a, None).unwrap();
        assert_eq!(net.dim(), 3);
        let report = verify(&inst, &net).unwrap();
        assert_eq!(report.error, gamma, "{loss}");
        assert!(report.passes());
        let d = decode(&inst, &net).unwrap();
        assert_eq!(d.assignment, a);
        // A wrong network exceeds gamma.
        let bad = lift(&inst, &Assignment::from_true_vars(5, &[1]), None).unwrap();
        assert!(verify(&inst, &bad).unwrap().error > gamma, "{loss}");
        // A network with a non-zero third weight is decoded in the plane.
        let mut tilted = net.clone();
        for n in &mut tilted.neurons {
            n.w[2] = ratio(5, 7);
        }
        assert_eq!(decode(&inst, &tilted).unwrap().assignment, a);
        // JSON round trip keeps everything decoding needs.
        let back = instance_from_json(&instance_to_json(&inst), "mem").unwrap();
        assert_eq!(decode(&back, &net).unwrap().assignment, a);
    }
}

/// The counterexample of issue 10: under the max loss the gamma padding is not an
/// equivalence, which is why `reduce` refuses it. The formula (all four 3-subsets of
/// {1, 2, 3, 4}) is unsatisfiable, yet the padded instance, built here with the padding
/// function itself, has a fitting network: the all-false canonical network with its output
/// weights scaled by 2/3 has max error exactly gamma = 1/3 (ReLU and threshold).
#[test]
fn max_loss_padding_admits_a_network_for_an_unsatisfiable_formula() {
    let f = parse_dimacs("p cnf 4 4\n1 2 3 0\n1 2 4 0\n1 3 4 0\n2 3 4 0\n", "k4.cnf").unwrap();
    assert_eq!(count_solutions(&f), 0, "the formula is unsatisfiable");
    let gamma = ratio(1, 3);
    for activation in [Activation::Relu, Activation::Threshold] {
        // What reduce would build: the construction's points, padded by `pad`.
        let opts = PoitsOptions {
            activation,
            dim: 2,
            gamma: gamma.clone(),
            loss: Loss::Max,
        };
        let refused = reduce(&f, &opts).unwrap_err().to_string();
        assert!(
            refused.contains("refused") && refused.contains("1 2 3"),
            "{refused}"
        );
        let base = reduce(
            &f,
            &PoitsOptions {
                gamma: int(0),
                ..opts.clone()
            },
        )
        .unwrap();
        let tagged = point_tags(&base)
            .unwrap()
            .into_iter()
            .zip(base.points.iter().cloned())
            .collect();
        let (padded_points, padding) = pad(tagged, 2, &gamma, Loss::Max).unwrap();
        assert_eq!(padding.pairs.len(), 1);
        assert_eq!(pairs_minimum(&padding.pairs, Loss::Max), gamma);
        let padded = Instance {
            gamma: gamma.clone(),
            loss: Loss::Max,
            lp: None,
            points: padded_points.into_iter().map(|(_, p)| p).collect(),
            meta: serde_json::Value::Null,
            ..base.clone()
        };
        // The all-false canonical network, output weights times 1 - gamma = 2/3.
        let all_false = Assignment::from_true_vars(4, &[]);
        let mut net = lift(&base, &all_false, None).unwrap();
        assert!(
            !verify(&base, &net).unwrap().passes(),
            "no exact fit exists"
        );
        for n in &mut net.neurons {
            n.a = &n.a * ratio(2, 3);
        }
        let report = verify(&padded, &net).unwrap();
        assert!(report.passes(), "{activation}: error {}", report.error);
        assert_eq!(report.error, gamma, "{activation}");
    }
}

#[test]
fn max_loss_with_gamma_is_refused_and_gamma_zero_is_not() {
    let f = figure5_formula();
    let opts = PoitsOptions {
        activation: Activation::Relu,
        dim: 2,
        gamma: ratio(1, 2),
        loss: Loss::Max,
    };
    let err = reduce(&f, &opts).unwrap_err().to_string();
    assert!(
        err.contains("--loss max") && err.contains("not equivalent"),
        "{err}"
    );
    let exact = PoitsOptions {
        gamma: int(0),
        ..opts
    };
    let inst = reduce(&f, &exact).unwrap();
    let net = lift(&inst, &Assignment::from_true_vars(5, &[1, 3]), None).unwrap();
    assert!(verify(&inst, &net).unwrap().passes());
}

#[test]
fn option_and_meta_errors() {
    let f = figure5_formula();
    let bad_dim = PoitsOptions {
        dim: 1,
        ..PoitsOptions::default()
    };
    assert!(reduce(&f, &bad_dim)
        .unwrap_err()
        .to_string()
        .contains("at least 2"));
    let bad_gamma = PoitsOptions {
        gamma: ratio(1, 2),
        loss: Loss::ZeroOne,
        ..PoitsOptions::default()
    };
    assert!(reduce(&f, &bad_gamma)
        .unwrap_err()
        .to_string()
        .contains("whole number"));
    let bad_formula = Formula {
        num_vars: 2,
        clauses: vec![[1, 2, 3]],
    };
    assert!(reduce(&bad_formula, &PoitsOptions::default()).is_err());
    match reduce(
        &f,
        &PoitsOptions {
            activation: Activation::Threshold,
            ..PoitsOptions::default()
        },
    ) {
        Err(e) => assert!(e.to_string().contains("threshold reduction not available")),
        Ok(inst) => assert_eq!(inst.activation, Activation::Threshold),
    }

    let inst = reduce_default(&f);
    let a = Assignment::from_true_vars(5, &[1, 3]);
    let net = lift(&inst, &a, None).unwrap();
    assert!(lift(&inst, &Assignment::from_true_vars(4, &[1]), None).is_err());
    assert!(lift(&inst, &a, Some(&[1, 2])).is_err());
    assert!(lift(&inst, &a, Some(&[1, 2, 4])).is_err());

    let mut no_meta = inst.clone();
    no_meta.meta = serde_json::Value::Null;
    assert!(decode(&no_meta, &net)
        .unwrap_err()
        .to_string()
        .contains("no `meta`"));
    let mut corrupt = inst.clone();
    corrupt.meta["layout"]["Delta"] = "55".into();
    let e = decode(&corrupt, &net).unwrap_err().to_string();
    assert!(e.contains("layout.Delta"), "{e}");
    let mut corrupt = inst.clone();
    corrupt.meta["formula"]["clauses"][1] = serde_json::json!([1, 2]);
    let e = lift(&corrupt, &a, None).unwrap_err().to_string();
    assert!(e.contains("formula.clauses[1]"), "{e}");
    let mut moved = inst.clone();
    moved.points[5].y = int(7);
    let e = decode(&moved, &net).unwrap_err().to_string();
    assert!(e.contains("points[5]"), "{e}");
    let mut narrower = inst.clone();
    narrower.k = 31;
    let e = decode(&narrower, &net).unwrap_err().to_string();
    assert!(e.contains("k = 31"), "{e}");
}

/// Satisfiable formula with `m` clauses over `n` variables: clause `j` holds one true and two
/// false variables of a fixed assignment (v_i true iff i % 3 == 0).
fn planted(n: usize, m: usize, seed: u64) -> (Formula, Assignment) {
    let a = Assignment {
        values: (1..=n).map(|i| i % 3 == 0).collect(),
    };
    let trues: Vec<usize> = (1..=n).filter(|&i| a.get(i)).collect();
    let falses: Vec<usize> = (1..=n).filter(|&i| !a.get(i)).collect();
    let mut rng = SplitMix64::new(seed);
    let clauses = (0..m)
        .map(|_| {
            let mut c = [
                trues[rng.below(trues.len())],
                falses[rng.below(falses.len())],
                falses[rng.below(falses.len())],
            ];
            c.rotate_left(rng.below(3));
            c
        })
        .collect();
    (
        Formula {
            num_vars: n,
            clauses,
        },
        a,
    )
}

#[test]
fn planted_medium_formula_round_trips() {
    let (f, a) = planted(20, 20, 7);
    assert!(f.is_solution(&a));
    let inst = reduce_default(&f);
    let net = lift(&inst, &a, None).unwrap();
    assert!(fits(&inst, &net));
    assert_eq!(decode(&inst, &net).unwrap().assignment, a);
}

/// Timing of reduce + lift + verify for planted formulas (run with `--ignored --nocapture`).
#[test]
#[ignore]
#[allow(clippy::print_stdout)] // a measurement meant to be read with --nocapture
fn measure_large_planted() {
    for size in [100usize, 1000] {
        let (f, a) = planted(size, size, 11);
        let t0 = std::time::Instant::now();
        let inst = reduce_default(&f);
        let t1 = std::time::Instant::now();
        let net = lift(&inst, &a, None).unwrap();
        let t2 = std::time::Instant::now();
        let report = verify(&inst, &net).unwrap();
        let t3 = std::time::Instant::now();
        assert_eq!(report.error, int(0));
        let json = instance_to_json(&inst);
        let t4 = std::time::Instant::now();
        let d = decode(&inst, &net).unwrap();
        let t5 = std::time::Instant::now();
        assert_eq!(d.assignment, a);
        println!(
            "m = n = {size}: {} points, k = {}; reduce {:?}, lift {:?}, verify {:?}, json {:?} ({} bytes), decode {:?}; exact evaluations {} of {} pairs",
            inst.points.len(),
            inst.k,
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            json.len(),
            t5 - t4,
            report.stats.exact_computed,
            report.stats.pairs,
        );
    }
}
