//! Width padding (the paper's "Number of ReLUs" paragraph, `docs/width-padding.md`):
//! Theorem 7 for every `k >= 4`, Corollary 10 for every `k >= 2`, Corollary 9 for every
//! `k >= 1`. Lifted networks verify; decoding recovers a source solution from the lifted
//! network and from permuted, rescaled and split copies; a small "no" instance stays "no"
//! when padded (decided by an exact brute force for threshold networks of width 3).

use relufit::mcc::Mcc;
use relufit::num::{int, ratio, Rational};
use relufit::reduce::mcc::{self as mcc_reduce, McOptions, Source};
use relufit::reduce::separability::{
    check_strict, decode, dichotomies, lift, planted, reduce, Hyperplane, Layout, PlantedOptions,
    ReduceOptions, SeparabilityInstance,
};
use relufit::rng::Rng;
use relufit::verify::verify;
use relufit::{Activation, Instance, Network, Neuron};

const ACTIVATIONS: [Activation; 2] = [Activation::Threshold, Activation::Relu];

/// Permuted, rescaled (positive factor on `(w, b)`, moved into `a` for ReLU) and split (two
/// copies with `a/2`, on a copy of the instance with a larger `k`) versions of `net`.
fn equivalents(net: &Network, rng: &mut Rng) -> Vec<Network> {
    let mut perm = net.clone();
    rng.shuffle(&mut perm.neurons);
    let mut scaled = net.clone();
    for (j, n) in scaled.neurons.iter_mut().enumerate() {
        let lam = ratio(2 + j as i64, 5);
        n.w = n.w.iter().map(|a| a * &lam).collect();
        n.b = &n.b * &lam;
        if net.activation == Activation::Relu {
            n.a = &n.a / &lam;
        }
    }
    let mut split = perm.clone();
    split.neurons = perm
        .neurons
        .iter()
        .flat_map(|n| {
            let half = Neuron::new(n.w.clone(), n.b.clone(), &n.a / int(2));
            [half.clone(), half]
        })
        .collect();
    vec![net.clone(), perm, scaled, split]
}

fn widened(inst: &Instance, k: usize) -> Instance {
    Instance {
        k: inst.k.max(k),
        ..inst.clone()
    }
}

#[test]
fn padded_separability_instances_lift_verify_and_decode() {
    let mut rng = Rng::new(7);
    for act in ACTIVATIONS {
        let k0 = if act == Activation::Relu { 4 } else { 2 };
        for (dim, seed) in [(2, 5), (3, 11), (4, 2)] {
            let pl = planted(&PlantedOptions {
                dim,
                num_q: 3,
                num_p: 4,
                seed,
                range: 8,
                denominator: 2,
                eps: None,
            })
            .unwrap();
            for extra in [1, 2] {
                let opts = ReduceOptions {
                    activation: act,
                    width: Some(k0 + extra),
                    ..ReduceOptions::default()
                };
                let inst = reduce(&pl.instance, &opts).unwrap();
                assert_eq!(inst.k, k0 + extra);
                assert_eq!(inst.dim(), dim + 1);
                let layout = Layout::from_meta(&inst).unwrap();
                assert_eq!(layout.source(&inst), pl.instance);
                let net = lift(&inst, &pl.hyperplanes).unwrap();
                assert_eq!(net.width(), k0 + extra);
                assert!(verify(&inst, &net).unwrap().passes());
                for candidate in equivalents(&net, &mut rng) {
                    let wide = widened(&inst, candidate.width());
                    let d = decode(&wide, &candidate)
                        .unwrap_or_else(|e| panic!("{act} d {dim} +{extra}: {e}"));
                    assert_eq!(check_strict(&pl.instance, &d.pair), Ok(()));
                }
                // The unpadded construction's network misses the ladder.
                let bare = ReduceOptions {
                    width: None,
                    ..opts.clone()
                };
                let small = reduce(&pl.instance, &bare).unwrap();
                assert_eq!(small.k, k0);
                let core = lift(&small, &pl.hyperplanes).unwrap();
                let padded_core = core.padded_to(dim + 1);
                let w = widened(&inst, padded_core.width());
                assert!(!verify(&w, &padded_core).unwrap().passes());
            }
        }
    }
}

#[test]
fn width_below_the_construction_and_missing_margin_are_refused() {
    let src = SeparabilityInstance::new(vec![vec![int(0)]], vec![vec![int(-1)], vec![int(1)]]);
    let thin = ReduceOptions {
        activation: Activation::Relu,
        width: Some(3),
        ..ReduceOptions::default()
    };
    assert!(reduce(&src, &thin)
        .unwrap_err()
        .to_string()
        .contains("k >= 4"));
    let inst = reduce(
        &src,
        &ReduceOptions {
            activation: Activation::Threshold,
            width: Some(3),
            ..ReduceOptions::default()
        },
    )
    .unwrap();
    // Hyperplanes through 1/100 and -1/100 separate, but too close to q0 = 0 for the ladder.
    let close = [
        Hyperplane::new(vec![int(1)], ratio(1, 100)),
        Hyperplane::new(vec![int(1)], ratio(-1, 100)),
    ];
    let e = lift(&inst, &close).unwrap_err().to_string();
    assert!(e.contains("margin"), "{e}");
    let far = [
        Hyperplane::new(vec![int(1)], ratio(1, 2)),
        Hyperplane::new(vec![int(1)], ratio(-1, 2)),
    ];
    assert!(verify(&inst, &lift(&inst, &far).unwrap()).unwrap().passes());
}

/// Exact brute force for threshold networks of width 3 and error 0: every neuron's activation
/// set on the data is a strict affine dichotomy (or empty / everything), so a fit exists iff
/// three dichotomies admit output weights with `sum_j a_j [x in D_j] = y`; for every triple
/// the points are grouped by their pattern, every group must have one label, the empty
/// pattern label 0, and the 3-unknown linear system must be consistent (exact elimination).
/// Returns a fitting network (the dichotomies' rational witnesses) if there is one.
fn threshold3_fit(inst: &Instance) -> Option<Network> {
    let n = inst.len();
    assert!(n <= 64);
    let xs: Vec<Vec<Rational>> = inst.points.iter().map(|p| p.x.clone()).collect();
    let mut dich: Vec<(u64, Hyperplane)> = dichotomies(&SeparabilityInstance::new(xs, Vec::new()))
        .unwrap()
        .into_iter()
        .map(|d| (d.positive as u64, d.witness))
        .collect();
    dich.sort_by_key(|d| d.0);
    dich.dedup_by_key(|d| d.0);
    let full = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut values: Vec<Rational> = inst.points.iter().map(|p| p.y.clone()).collect();
    values.sort();
    values.dedup();
    let label_mask: Vec<u64> = values
        .iter()
        .map(|v| {
            inst.points
                .iter()
                .enumerate()
                .filter(|(_, p)| &p.y == v)
                .fold(0u64, |m, (i, _)| m | 1 << i)
        })
        .collect();
    let label_of = |i: usize| values.iter().position(|v| *v == inst.points[i].y).unwrap();
    for (i1, (d1, _)) in dich.iter().enumerate() {
        for (i2, (d2, _)) in dich.iter().enumerate().skip(i1) {
            for (i3, (d3, _)) in dich.iter().enumerate().skip(i2) {
                let masks = [*d1, *d2, *d3];
                let mut eqs: Vec<([i64; 3], Rational)> = Vec::new();
                let mut ok = true;
                for pat in 0..8usize {
                    let mut s = full;
                    for (j, m) in masks.iter().enumerate() {
                        s &= if pat >> j & 1 == 1 { *m } else { !*m };
                    }
                    if s == 0 {
                        continue;
                    }
                    let l = label_of(s.trailing_zeros() as usize);
                    if s & !label_mask[l] != 0 {
                        ok = false;
                        break;
                    }
                    eqs.push((
                        [
                            (pat & 1) as i64,
                            (pat >> 1 & 1) as i64,
                            (pat >> 2 & 1) as i64,
                        ],
                        values[l].clone(),
                    ));
                }
                if ok {
                    if let Some(a) = solve3(&eqs) {
                        let neurons = [i1, i2, i3]
                            .iter()
                            .zip(a)
                            .map(|(&i, aj)| {
                                Neuron::new(dich[i].1.h.clone(), dich[i].1.o.clone(), aj)
                            })
                            .collect();
                        return Some(Network::new(Activation::Threshold, neurons));
                    }
                }
            }
        }
    }
    None
}

/// Exact solution of `coeffs . a = rhs` (coefficients 0/1, three unknowns) if consistent.
fn solve3(eqs: &[([i64; 3], Rational)]) -> Option<[Rational; 3]> {
    let mut rows: Vec<(Vec<Rational>, Rational)> = eqs
        .iter()
        .map(|(c, r)| (c.iter().map(|&x| int(x)).collect(), r.clone()))
        .collect();
    let mut pivots = Vec::new();
    let mut row = 0;
    for col in 0..3 {
        let Some(p) = (row..rows.len()).find(|&r| rows[r].0[col] != Rational::ZERO) else {
            continue;
        };
        rows.swap(row, p);
        let (pc, pr) = rows[row].clone();
        for (r, (coeffs, rhs)) in rows.iter_mut().enumerate() {
            if r != row && coeffs[col] != Rational::ZERO {
                let f = &coeffs[col] / &pc[col];
                for (x, p) in coeffs.iter_mut().zip(&pc) {
                    *x = &*x - &f * p;
                }
                *rhs = &*rhs - &f * &pr;
            }
        }
        pivots.push((row, col));
        row += 1;
    }
    if rows[row..].iter().any(|(_, r)| *r != Rational::ZERO) {
        return None;
    }
    let mut a = [Rational::ZERO, Rational::ZERO, Rational::ZERO];
    for (r, c) in pivots {
        a[c] = &rows[r].1 / &rows[r].0[c];
    }
    Some(a)
}

#[test]
fn a_small_no_instance_stays_no_when_padded_and_a_yes_instance_decodes_any_fit() {
    // Corollary 10 in d = 1, padded to k = 3. Q = {0, 2} and P = {-1, 1, 3} alternate: no two
    // points of the line separate them, so the unpadded instance has no fit with k = 2, and
    // the padded one none with k = 3.
    let no = SeparabilityInstance::new(
        vec![vec![int(0)], vec![int(2)]],
        vec![vec![int(-1)], vec![int(1)], vec![int(3)]],
    );
    let yes = SeparabilityInstance::new(vec![vec![int(0)]], vec![vec![int(-1)], vec![int(1)]]);
    let opts = ReduceOptions {
        activation: Activation::Threshold,
        width: Some(3),
        ..ReduceOptions::default()
    };
    let no_inst = reduce(&no, &opts).unwrap();
    assert!(threshold3_fit(&no_inst).is_none());
    let yes_inst = reduce(&yes, &opts).unwrap();
    let fit = threshold3_fit(&yes_inst).expect("the separable instance has a fit");
    assert!(verify(&yes_inst, &fit).unwrap().passes());
    // Whatever fit the brute force found, it decodes to a separation.
    let d = decode(&yes_inst, &fit).unwrap();
    assert_eq!(check_strict(&yes, &d.pair), Ok(()));
}

#[test]
fn padded_mcc_instances_lift_verify_and_decode() {
    let mut rng = Rng::new(3);
    let g = Mcc::new(
        vec![vec![1, 2], vec![3, 4, 5], vec![6, 7]],
        vec![[2, 5], [5, 7], [2, 7], [1, 3], [4, 6]],
    )
    .unwrap();
    let source = Source::Colored(g);
    for act in ACTIVATIONS {
        for width in [2, 3] {
            for p in [0, 1, 2] {
                let opts = McOptions {
                    activation: act,
                    p,
                    width,
                };
                let inst = mcc_reduce::reduce(&source, &opts).unwrap();
                assert_eq!(inst.k, width);
                let net = mcc_reduce::lift(&inst, &[2, 5, 7]).unwrap();
                let report = verify(&inst, &net).unwrap();
                assert!(report.passes(), "{act} k {width} p {p}: {}", report.error);
                assert_eq!(report.error, inst.gamma);
                for candidate in equivalents(&net, &mut rng) {
                    let wide = widened(&inst, candidate.width());
                    let d = mcc_reduce::decode(&wide, &candidate)
                        .unwrap_or_else(|e| panic!("{act} k {width} p {p}: {e}"));
                    assert_eq!(d.chosen, vec![2, 5, 7]);
                }
                let wrong = mcc_reduce::lift(&inst, &[1, 3, 6]).unwrap();
                assert!(!verify(&inst, &wrong).unwrap().passes());
            }
        }
    }
}
