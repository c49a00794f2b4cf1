//! The enumeration (Arora et al. for ReLU, Khalife-Basu for threshold): random networks,
//! planted fits, XOR, shards, threads, the circuit bound, the fast `abs` leaf, and a brute
//! force for the threshold output layer under every loss. Agreement with the oracle and the
//! other algorithms on small instances: `tests/agreement.rs`.

mod support;

use relufit::linalg::solve_consistent;
use relufit::model::{Activation, Instance, Loss};
use relufit::num::{int, ratio, Rational};
use relufit::solve::enumerate::{self, EnumerateOptions};
use relufit::solve::shard::{merge, Shard, ShardResult};
use relufit::solve::{Algorithm, Outcome, SolveSettings};
use relufit::verify::{training_error, verify};
use support::build::{distinct_inputs, instance, ints, labels, points, random_network};
use support::{SmallDraws, SplitMix64};

fn settings(threads: usize) -> SolveSettings {
    SolveSettings {
        algorithm: Algorithm::Enumerate,
        threads,
        ..Default::default()
    }
}

/// Least error found by a full (optimisation) enumeration, with checks of the certificate.
fn optimum(i: &Instance, threads: usize) -> Rational {
    let sol = enumerate::solve(i, &settings(threads), true).expect("enumeration applies");
    match sol.outcome {
        Outcome::Fit {
            network,
            report,
            optimum,
        } => {
            assert_eq!(verify(i, &network).unwrap().error, report.error);
            optimum.expect("optimisation runs know the optimum")
        }
        Outcome::NoFit { optimum, best, .. } => {
            let (net, rep) = best.expect("best network");
            assert_eq!(verify(i, &net).unwrap().error, rep.error);
            let o = optimum.expect("optimum");
            assert_eq!(o, rep.error);
            o
        }
        Outcome::Unknown { reason, .. } => panic!("unknown: {reason}"),
    }
}

fn decides_fit(i: &Instance) -> bool {
    match enumerate::solve(i, &settings(1), false).unwrap().outcome {
        Outcome::Fit { report, .. } => {
            assert!(report.passes());
            true
        }
        Outcome::NoFit { .. } => false,
        Outcome::Unknown { reason, .. } => panic!("unknown: {reason}"),
    }
}

fn xor(act: Activation, k: usize, loss: Loss) -> Instance {
    let xs: Vec<Vec<Rational>> = [[0, 0], [1, 1], [1, 0], [0, 1]]
        .iter()
        .map(|x| ints(x))
        .collect();
    let ys = [int(0), int(0), int(1), int(1)];
    instance(act, k, loss, Rational::ZERO, points(&xs, &ys))
}

#[test]
fn xor_needs_two_neurons() {
    for act in [Activation::Relu, Activation::Threshold] {
        assert!(!decides_fit(&xor(act, 1, Loss::Squared)), "{act} k = 1");
        assert!(decides_fit(&xor(act, 2, Loss::Squared)), "{act} k = 2");
        // The least abs error of one neuron is positive, and exact.
        let o = optimum(&xor(act, 1, Loss::Abs), 1);
        assert!(o > Rational::ZERO);
        assert_eq!(o, int(1), "{act}");
    }
}

#[test]
fn planted_networks_are_found() {
    let mut rng = SplitMix64::new(11);
    for t in 0..12 {
        let act = if t % 2 == 0 {
            Activation::Relu
        } else {
            Activation::Threshold
        };
        let d = 1 + t % 2;
        let xs = distinct_inputs(&mut rng, 7, d, 3, 1);
        let net = random_network(&mut rng, act, 2, d);
        let ys = labels(&net, &xs);
        let i = instance(act, 2, Loss::Squared, Rational::ZERO, points(&xs, &ys));
        assert!(decides_fit(&i), "planted {act} instance {t} not found");
    }
}

#[test]
fn optimum_beats_random_networks() {
    let mut rng = SplitMix64::new(3);
    for t in 0..6 {
        let act = if t % 2 == 0 {
            Activation::Relu
        } else {
            Activation::Threshold
        };
        let loss = if t % 3 == 0 { Loss::Max } else { Loss::Abs };
        let d = 1 + t % 2;
        let xs = distinct_inputs(&mut rng, 6, d, 3, 1);
        let ys: Vec<Rational> = xs.iter().map(|_| ratio(rng.int_in(8), 2)).collect();
        let i = instance(act, 2, loss, Rational::ZERO, points(&xs, &ys));
        let opt = optimum(&i, 1);
        for _ in 0..300 {
            let net = random_network(&mut rng, act, 2, d);
            let e = verify(&i, &net).unwrap().error;
            assert!(
                opt <= e,
                "{act} {loss}: optimum {opt} > random network's {e}"
            );
        }
    }
}

#[test]
fn shards_agree_with_the_whole_search() {
    let mut rng = SplitMix64::new(8);
    for t in 0..4 {
        let act = if t % 2 == 0 {
            Activation::Relu
        } else {
            Activation::Threshold
        };
        let xs = distinct_inputs(&mut rng, 6, 2, 3, 1);
        let ys: Vec<Rational> = xs.iter().map(|_| int(rng.int_in(3))).collect();
        for (optimize, gamma) in [(true, Rational::ZERO), (false, ratio(1, 2))] {
            let i = instance(act, 2, Loss::Abs, gamma.clone(), points(&xs, &ys));
            let whole = enumerate::solve(&i, &settings(2), optimize)
                .unwrap()
                .outcome;
            for count in [1, 2, 7] {
                let shards: Vec<ShardResult> = (0..count)
                    .map(|index| {
                        let opts = EnumerateOptions {
                            shard: Shard { index, count },
                            optimize,
                            ..EnumerateOptions::default()
                        };
                        let r = enumerate::search(&i, &settings(1), &opts).unwrap();
                        let sr = ShardResult::new(opts.shard, &i, optimize, &r);
                        // Round-trip through the file format.
                        ShardResult::from_json(&sr.to_json(), "shard").unwrap()
                    })
                    .collect();
                let (_, merged) = merge(&shards).unwrap();
                match (&whole, &merged.outcome) {
                    (
                        Outcome::Fit { optimum: a, .. },
                        Outcome::Fit {
                            optimum: b, report, ..
                        },
                    ) => {
                        assert!(report.passes());
                        if optimize {
                            assert_eq!(a, b);
                        }
                    }
                    (Outcome::NoFit { optimum: a, .. }, Outcome::NoFit { optimum: b, .. }) => {
                        assert_eq!(a, b)
                    }
                    (w, m) => panic!("whole {w:?} vs merged {m:?} ({count} shards)"),
                }
                if count > 1 && optimize {
                    // Missing shard: no definite "no", and the optimum is not claimed.
                    let (_, part) = merge(&shards[1..]).unwrap();
                    match part.outcome {
                        Outcome::Fit { optimum, .. } => {
                            assert!(optimum.is_none() || optimum == Some(Rational::ZERO))
                        }
                        Outcome::Unknown { .. } => {}
                        Outcome::NoFit { .. } => panic!("a no from incomplete shards"),
                    }
                }
            }
        }
    }
}

/// Brute force for threshold networks in d = 1: all ordered k-tuples of sets {x > t} and
/// {x < t}, and per tuple the output layer by enumerating basic solutions.
fn threshold_brute_force(xs: &[i64], ys: &[Rational], k: usize, loss: Loss) -> Rational {
    let n = xs.len();
    let mut sets: Vec<Vec<bool>> = Vec::new();
    for &t in xs.iter().chain([&i64::MIN]) {
        for above in [true, false] {
            let s: Vec<bool> = xs
                .iter()
                .map(|&x| if above { x > t } else { x < t && t != i64::MIN })
                .collect();
            if !sets.contains(&s) {
                sets.push(s);
            }
        }
    }
    let mut best: Option<Rational> = None;
    let mut tuple = vec![0usize; k];
    loop {
        let rows: Vec<Vec<Rational>> = (0..n)
            .map(|i| {
                tuple
                    .iter()
                    .map(|&s| if sets[s][i] { int(1) } else { int(0) })
                    .collect()
            })
            .collect();
        let e = brute_output(&rows, ys, k, loss);
        if best.as_ref().is_none_or(|b| e < *b) {
            best = Some(e);
        }
        let mut p = 0;
        while p < k {
            tuple[p] += 1;
            if tuple[p] < sets.len() {
                break;
            }
            tuple[p] = 0;
            p += 1;
        }
        if p == k {
            break;
        }
    }
    best.unwrap()
}

fn values(rows: &[Vec<Rational>], a: &[Rational]) -> Vec<Rational> {
    rows.iter()
        .map(|r| r.iter().zip(a).fold(int(0), |s, (m, v)| s + m * v))
        .collect()
}

fn brute_output(rows: &[Vec<Rational>], ys: &[Rational], k: usize, loss: Loss) -> Rational {
    let n = rows.len();
    let mut best: Option<Rational> = None;
    let mut consider = |a: Vec<Rational>| {
        let e = training_error(loss, ys.iter(), &values(rows, &a));
        if best.as_ref().is_none_or(|b| e < *b) {
            best = Some(e);
        }
    };
    match loss {
        // Optima of these are attained where some points are hit exactly: try every subset.
        Loss::Abs | Loss::ZeroOne => {
            for mask in 0u32..(1 << n) {
                let sel: Vec<usize> = (0..n).filter(|i| mask >> i & 1 == 1).collect();
                let r: Vec<Vec<Rational>> = sel.iter().map(|&i| rows[i].clone()).collect();
                let y: Vec<Rational> = sel.iter().map(|&i| ys[i].clone()).collect();
                if let Some(a) = solve_consistent(&r, &y, k) {
                    consider(a);
                }
            }
        }
        // Chebyshev: equioscillation, (A a)_i - y_i = s_i t on a subset, any signs.
        Loss::Max => {
            for mask in 0u32..(1 << n) {
                for signs in 0u32..(1 << n) {
                    if signs & !mask != 0 {
                        continue;
                    }
                    let sel: Vec<usize> = (0..n).filter(|i| mask >> i & 1 == 1).collect();
                    let r: Vec<Vec<Rational>> = sel
                        .iter()
                        .map(|&i| {
                            let mut row = rows[i].clone();
                            row.push(if signs >> i & 1 == 1 { int(-1) } else { int(1) });
                            row
                        })
                        .collect();
                    let y: Vec<Rational> = sel.iter().map(|&i| ys[i].clone()).collect();
                    if let Some(mut a) = solve_consistent(&r, &y, k + 1) {
                        a.pop();
                        consider(a);
                    }
                }
            }
        }
        // Squared: project y onto the column space by Gram-Schmidt (a different route than
        // the solver's normal equations); the error is the squared residual.
        Loss::Squared => {
            let cols: Vec<Vec<Rational>> = (0..k)
                .map(|j| rows.iter().map(|r| r[j].clone()).collect())
                .collect();
            let dot = |u: &[Rational], v: &[Rational]| {
                u.iter().zip(v).fold(int(0), |s, (a, b)| s + a * b)
            };
            let mut basis: Vec<Vec<Rational>> = Vec::new();
            for c in cols {
                let mut v = c.clone();
                for q in &basis {
                    let f = dot(&c, q) / dot(q, q);
                    for (vi, qi) in v.iter_mut().zip(q) {
                        *vi -= &f * qi;
                    }
                }
                if v.iter().any(|x| *x != int(0)) {
                    basis.push(v);
                }
            }
            let mut r = ys.to_vec();
            for q in &basis {
                let f = dot(ys, q) / dot(q, q);
                for (ri, qi) in r.iter_mut().zip(q) {
                    *ri -= &f * qi;
                }
            }
            return dot(&r, &r);
        }
    }
    best.unwrap()
}

#[test]
fn threshold_agrees_with_brute_force_for_every_loss() {
    let mut rng = SplitMix64::new(17);
    for t in 0..8 {
        let n = 4 + t % 2;
        let k = 1 + t % 2;
        let mut xs: Vec<i64> = Vec::new();
        while xs.len() < n {
            let x = rng.int_in(5);
            if !xs.contains(&x) {
                xs.push(x);
            }
        }
        let ys: Vec<Rational> = (0..n).map(|_| int(rng.int_in(2))).collect();
        let inputs: Vec<Vec<Rational>> = xs.iter().map(|&x| vec![int(x)]).collect();
        for loss in Loss::ALL {
            let i = instance(
                Activation::Threshold,
                k,
                loss,
                Rational::ZERO,
                points(&inputs, &ys),
            );
            let got = optimum(&i, 1);
            let want = threshold_brute_force(&xs, &ys, k, loss);
            assert_eq!(got, want, "case {t}, {loss}, k = {k}, xs {xs:?}, ys {ys:?}");
        }
    }
}

#[test]
fn threads_give_the_same_optimum() {
    let mut rng = SplitMix64::new(99);
    let xs = distinct_inputs(&mut rng, 7, 2, 3, 1);
    let ys: Vec<Rational> = xs.iter().map(|_| int(rng.int_in(4))).collect();
    let i = instance(
        Activation::Relu,
        2,
        Loss::Abs,
        Rational::ZERO,
        points(&xs, &ys),
    );
    assert_eq!(optimum(&i, 1), optimum(&i, 2));
}

#[test]
fn zero_one_relu_with_positive_gamma_is_refused() {
    let mut i = xor(Activation::Relu, 1, Loss::ZeroOne);
    i.gamma = int(1);
    assert!(enumerate::solve(&i, &settings(1), false).is_err());
}

#[test]
fn squared_relu_optimum_is_exact() {
    // XOR with one ReLU: positive (no fit), at most 1 ([x1 - x2]_+ misses one point by 1).
    let i = xor(Activation::Relu, 1, Loss::Squared);
    let o = optimum(&i, 1);
    assert!(o > int(0) && o <= int(1), "{o}");
    let mut rng = SplitMix64::new(4);
    let mut best_random = int(100);
    for t in 0..6 {
        let d = 1 + t % 2;
        let xs = distinct_inputs(&mut rng, 5, d, 3, 1);
        let ys: Vec<Rational> = xs.iter().map(|_| ratio(rng.int_in(6), 2)).collect();
        let k = 1 + t % 2;
        let i = instance(
            Activation::Relu,
            k,
            Loss::Squared,
            Rational::ZERO,
            points(&xs, &ys),
        );
        let opt = optimum(&i, 1);
        for _ in 0..300 {
            let net = random_network(&mut rng, Activation::Relu, i.k, d);
            let e = verify(&i, &net).unwrap().error;
            assert!(opt <= e, "squared optimum {opt} > random network's {e}");
            if e < best_random {
                best_random = e;
            }
        }
        // The optimum is at most the abs-free single-neuron bound: the zero network.
        assert!(opt <= pts_sq(&i));
    }
}

fn pts_sq(i: &Instance) -> Rational {
    i.points.iter().fold(int(0), |s, p| s + &p.y * &p.y)
}

#[test]
fn circuit_bound_never_changes_the_optimum() {
    let mut rng = SplitMix64::new(31);
    let mut cuts = 0;
    for t in 0..6 {
        let loss = if t % 2 == 0 { Loss::Abs } else { Loss::Max };
        let d = 1 + t % 2;
        let xs = distinct_inputs(&mut rng, 7, d, 3, 1);
        let ys: Vec<Rational> = xs.iter().map(|_| ratio(rng.int_in(9), 2)).collect();
        let i = instance(
            Activation::Relu,
            1 + t % 2,
            loss,
            Rational::ZERO,
            points(&xs, &ys),
        );
        let run = |circuit_bound| {
            let opts = EnumerateOptions {
                optimize: true,
                circuit_bound,
                ..EnumerateOptions::default()
            };
            enumerate::search(&i, &settings(1), &opts).unwrap()
        };
        let (with, without) = (run(true), run(false));
        assert!(with.exhaustive && without.exhaustive);
        assert_eq!(with.best_error, without.best_error, "case {t} ({loss})");
        assert_eq!(without.stats.cut_by_circuits, 0);
        cuts += with.stats.cut_by_circuits;
    }
    assert!(cuts > 0, "the circuit bound never fired");
}

/// The fast `abs` leaf (a float-guided dual simplex with exact certificates, `l1.rs`) and
/// the generic certified LP give the same leaf answers: the same optimum, and the same
/// cut/no-cut decision against cutoffs just below, at and above it. Rational inputs too.
#[test]
fn fast_abs_leaf_agrees_with_the_generic_lp() {
    use relufit::solve::enumerate::l1::{abs_leaf, IntData, L1Answer};
    use relufit::solve::enumerate::leaf::{relu_leaf, Data, Goal, LeafAnswer};
    let mut rng = SplitMix64::new(2024);
    let (mut optima, mut fast_optima, mut cuts, mut exact_fits) = (0, 0, 0, 0);
    for trial in 0..30 {
        let d = 1 + trial % 3;
        let k = 1 + (trial / 2) % 2;
        let n = 5 + (trial / 3) % 3; // d = 1 has only 7 distinct inputs in [-3, 3]
        let xs = distinct_inputs(&mut rng, n, d, 3, 1);
        let ys: Vec<Rational> = if trial % 2 == 1 {
            // Labels of a network, so that some leaves fit exactly.
            labels(&random_network(&mut rng, Activation::Relu, 1, d), &xs)
        } else {
            (0..n)
                .map(|_| ratio(rng.int_in(12), 1 + rng.below(3) as i64))
                .collect()
        };
        let mut i = instance(Activation::Relu, k, Loss::Abs, int(0), points(&xs, &ys));
        if trial % 3 == 0 {
            // Rational inputs: every coordinate divided by a small number.
            for p in &mut i.points {
                for v in &mut p.x {
                    *v = &*v / int(1 + trial as i64 % 4);
                }
            }
        }
        let (items, _) = enumerate::items(&i, None, &relufit::limits::RunLimits::none()).unwrap();
        let xs: Vec<Vec<Rational>> = i.points.iter().map(|p| p.x.clone()).collect();
        let ys: Vec<Rational> = i.points.iter().map(|p| p.y.clone()).collect();
        let ints = IntData::new(&xs, &ys).expect("small data");
        let generic = Data {
            xs: xs.clone(),
            ys: ys.clone(),
            d,
            k,
            ints: None,
        };
        let fast = Data {
            ints: Some(ints.clone()),
            ..generic.clone()
        };
        for _ in 0..12 {
            let leaf: Vec<&relufit::solve::enumerate::leaf::Item> =
                (0..k).map(|_| &items[rng.below(items.len())]).collect();
            let mut lps = 0;
            let value = match relu_leaf(&generic, &leaf, Goal::Minimize(Loss::Abs), None, &mut lps)
            {
                LeafAnswer::Best { value, network } => {
                    assert_eq!(verify(&i, &network).unwrap().error, value);
                    value
                }
                other => panic!("generic leaf: {other:?}"),
            };
            optima += 1;
            // The fast path alone (no fallback) finds the optimum on these small leaves.
            let constant = ints.uncovered_cost(&leaf);
            match abs_leaf(&ints, d, &leaf, None) {
                Some(L1Answer::Optimum { value: v, .. }) => {
                    assert_eq!(&v + &constant, value);
                    fast_optima += 1;
                }
                Some(L1Answer::Cut) => panic!("a cut without a cutoff"),
                None => {}
            }
            match relu_leaf(&fast, &leaf, Goal::Minimize(Loss::Abs), None, &mut lps) {
                LeafAnswer::Best { value: v, .. } => assert_eq!(v, value),
                other => panic!("fast leaf: {other:?}"),
            }
            // gamma = 0: both paths decide "error 0 possible" exactly when the optimum is 0.
            for data in [&generic, &fast] {
                match relu_leaf(data, &leaf, Goal::Exact, None, &mut lps) {
                    LeafAnswer::Best { network, value: v } => {
                        assert_eq!(v, Rational::ZERO);
                        assert_eq!(value, Rational::ZERO);
                        assert_eq!(verify(&i, &network).unwrap().error, Rational::ZERO);
                        exact_fits += 1;
                    }
                    LeafAnswer::Infeasible => assert!(value > Rational::ZERO),
                    other => panic!("exact leaf: {other:?}"),
                }
            }
            for t in [
                &value - ratio(1, 1000),
                value.clone(),
                &value + ratio(1, 1000),
            ] {
                let cut = |data: &Data| {
                    let mut lps = 0;
                    match relu_leaf(data, &leaf, Goal::Minimize(Loss::Abs), Some(&t), &mut lps) {
                        LeafAnswer::Cut => true,
                        LeafAnswer::Best { value: v, .. } => {
                            assert_eq!(v, value);
                            false
                        }
                        other => panic!("leaf with cutoff: {other:?}"),
                    }
                };
                let expected = value >= t;
                assert_eq!(cut(&generic), expected, "generic, cutoff {t}");
                assert_eq!(cut(&fast), expected, "fast, cutoff {t}");
                cuts += usize::from(expected);
            }
        }
    }
    assert!(fast_optima * 10 >= optima * 9, "{fast_optima} of {optima}");
    assert!(cuts > 0);
    assert!(exact_fits > 0);
}
