//! Property tests of the verifier: the filtered exact evaluator agrees with a plain
//! all-rational evaluator written independently (`support::build::phi`), including on points exactly on
//! breaklines and at extreme magnitudes, and the interpolation fits every instance.

mod support;

use proptest::prelude::*;
use relufit::num::{int, ratio, Int, Rational};
use relufit::solve::interpolate::interpolate;
use relufit::verify::{evaluate, verify};
use relufit::{Activation, Instance, Loss, Network, Neuron, Point};
use support::build::{instance, phi};
use support::paper::{h0_points, h0_table, levee};

/// Small rationals: integers and fractions with small denominators, sometimes scaled to
/// extreme magnitudes so that the float filter must step aside.
fn rational() -> impl Strategy<Value = Rational> {
    prop_oneof![
        4 => (-20i64..=20).prop_map(Rational::from),
        4 => (-50i64..=50, 1i64..=12).prop_map(|(n, d)| ratio(n, d)),
        1 => (-9i64..=9, 0usize..3).prop_map(|(n, e)| {
            let big = Int::from(10u8).pow(200 * e + 100);
            Rational::from_parts_signed(Int::from(n), big)
        }),
        1 => (-9i64..=9).prop_map(|n| Rational::from(Int::from(n) * Int::from(10u8).pow(170))),
    ]
}

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![Just(Activation::Relu), Just(Activation::Threshold)]
}

/// A network and points, some of which are moved exactly onto a neuron's breakline.
fn net_and_points() -> impl Strategy<Value = (Network, Vec<Vec<Rational>>)> {
    (1usize..=3, 1usize..=4, 1usize..=8, activation()).prop_flat_map(|(d, k, n, act)| {
        let neuron = (prop::collection::vec(rational(), d), rational(), rational())
            .prop_map(|(w, b, a)| Neuron::new(w, b, a));
        (
            prop::collection::vec(neuron, k),
            prop::collection::vec(prop::collection::vec(rational(), d), n),
            prop::collection::vec(any::<bool>(), n),
        )
            .prop_map(move |(mut neurons, points, on_line)| {
                // Put a point on the breakline of neuron (i mod k): set that neuron's bias.
                for (i, flag) in on_line.iter().enumerate() {
                    if *flag && i < neurons.len() {
                        let x = &points[i];
                        let n = &mut neurons[i];
                        let wx =
                            n.w.iter()
                                .zip(x)
                                .fold(Rational::ZERO, |acc, (w, xi)| acc + w * xi);
                        n.b = -wx;
                    }
                }
                (Network::new(act, neurons), points)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn filtered_evaluation_is_exact((net, points) in net_and_points()) {
        let xs: Vec<&[Rational]> = points.iter().map(|p| p.as_slice()).collect();
        let eval = evaluate(&net, &xs);
        for (x, v) in points.iter().zip(&eval.values) {
            prop_assert_eq!(v, &phi(&net, x));
        }
        prop_assert_eq!(eval.stats.pairs as usize, points.len() * net.width());
    }

    #[test]
    fn interpolation_fits_distinct_inputs(
        d in 1usize..=3,
        raw in prop::collection::vec((prop::collection::vec(rational(), 3), rational()), 1..10),
        act in activation(),
    ) {
        let mut points: Vec<Point> = raw.into_iter().map(|(x, y)| Point::new(x[..d].to_vec(), y)).collect();
        points.sort_by(|a, b| a.x.cmp(&b.x));
        points.dedup_by(|a, b| a.x == b.x);
        let inst = Instance {
            activation: act,
            k: points.len(),
            gamma: Rational::ZERO,
            loss: Loss::Squared,
            lp: None,
            points,
            meta: serde_json::Value::Null,
        };
        let fit = interpolate(&inst).expect("k = n");
        let report = verify(&inst, &fit.network).expect("same shape");
        prop_assert!(report.passes());
        prop_assert_eq!(report.error, Rational::ZERO);
        if act == Activation::Relu {
            for n in &fit.network.neurons {
                prop_assert!(n.a == Rational::ONE || n.a == -Rational::ONE);
            }
        }
    }

    #[test]
    fn interpolation_is_optimal_with_repeated_inputs(
        labels in prop::collection::vec(prop::collection::vec(-6i64..=6, 1..5), 1..5),
        loss in prop_oneof![Just(Loss::Squared), Just(Loss::Abs), Just(Loss::Max), Just(Loss::ZeroOne)],
    ) {
        // Group g sits at x = g with the given labels; the least error is computed here
        // by brute force over candidate constants per group (labels and midpoints cover
        // every optimum of these piecewise polynomial losses; the squared optimum is the mean).
        let mut points = Vec::new();
        for (g, ys) in labels.iter().enumerate() {
            for &y in ys {
                points.push(Point::new(vec![Rational::from(g as i64)], Rational::from(y)));
            }
        }
        let inst = Instance {
            activation: Activation::Relu,
            k: labels.len(),
            gamma: Rational::ZERO,
            loss,
            lp: None,
            points,
            meta: serde_json::Value::Null,
        };
        let fit = interpolate(&inst).expect("k = groups");
        let mut expected_parts = Vec::new();
        for ys in &labels {
            let mut candidates: Vec<Rational> = Vec::new();
            for &a in ys {
                for &b in ys {
                    candidates.push(ratio(a + b, 2));
                }
            }
            let mean = ratio(ys.iter().sum::<i64>(), ys.len() as i64);
            candidates.push(mean);
            let group_loss = |c: &Rational| -> Rational {
                let rs: Vec<Rational> = ys.iter().map(|&y| c - Rational::from(y)).collect();
                match loss {
                    Loss::Squared => rs.iter().fold(Rational::ZERO, |s, r| s + r * r),
                    Loss::Abs => rs.iter().fold(Rational::ZERO, |s, r| s + relufit::num::abs(r)),
                    Loss::Max => rs.iter().map(relufit::num::abs).max().unwrap(),
                    Loss::ZeroOne => Rational::from(rs.iter().filter(|r| **r != Rational::ZERO).count()),
                }
            };
            expected_parts.push(candidates.iter().map(group_loss).min().unwrap());
        }
        let expected = match loss {
            Loss::Max => expected_parts.into_iter().max().unwrap(),
            _ => expected_parts.into_iter().fold(Rational::ZERO, |s, p| s + p),
        };
        prop_assert_eq!(&fit.optimum, &expected);
        let report = verify(&inst, &fit.network).unwrap();
        prop_assert_eq!(report.error, expected);
    }
}

/// Observation 3: the levee f_0 realised by four ReLUs, at the 13 points of the selection
/// gadget's line h_0 (Section 3), gives exactly the labels listed in the paper.
#[test]
fn levee_on_h0_matches_the_papers_labels() {
    let net = levee(&Rational::ZERO);
    let inst = instance(Activation::Relu, 4, Loss::Max, Rational::ZERO, h0_points());
    let report = verify(&inst, &net).unwrap();
    let labels: Vec<Rational> = h0_table().into_iter().map(|(_, y)| y).collect();
    assert_eq!(report.values, labels);
    assert!(report.passes());
    // Five of the 13 points lie exactly on a breakline (x2 = -2, -1, 1, 2 and, for the
    // outer neurons, nothing else): the filter must have handed those to exact arithmetic.
    assert!(report.stats.exact_computed >= 4);
}

/// Output weights whose common denominator is enormous take the plain rational path; it
/// must agree with the reference too.
#[test]
fn huge_output_denominators_take_the_plain_path() {
    let tiny =
        |p: u8| Rational::from_parts(Int::from(1), Int::from(p).pow(1500).try_into().unwrap());
    for act in [Activation::Relu, Activation::Threshold] {
        let net = Network::new(
            act,
            vec![
                Neuron::new(vec![int(1), int(-2)], int(1), tiny(2)),
                Neuron::new(vec![ratio(1, 3), int(1)], int(0), -tiny(3)),
                Neuron::new(vec![int(0), int(1)], int(-1), tiny(5)),
            ],
        );
        let pts: Vec<Vec<Rational>> = vec![
            vec![int(0), int(0)],
            vec![int(3), int(1)],
            vec![ratio(-1, 2), int(4)],
            vec![int(1), int(1)],
        ];
        let xs: Vec<&[Rational]> = pts.iter().map(|p| p.as_slice()).collect();
        let eval = evaluate(&net, &xs);
        for (x, v) in pts.iter().zip(&eval.values) {
            assert_eq!(v, &phi(&net, x));
        }
    }
}
