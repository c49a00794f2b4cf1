//! Theorem 7 (ReLU, k = 4) and Corollary 10 (threshold, k = 2): the reductions from
//! 2-HYPERPLANE SEPARABILITY, both solution maps, the exact decision procedure (against an
//! independent Fourier-Motzkin brute force), padding and Figure 6.

use relufit::io::{instance_from_json, instance_to_json};
use relufit::num::{int, ratio, Rational};
use relufit::reduce::separability::{
    check_restricted, check_strict, decide, decode, dichotomies, figure6_svg, lift, planted,
    reduce, Decision, FigureOptions, Hyperplane, LiftError, Origin, PlantedOptions, ReduceOptions,
    SeparabilityInstance,
};
use relufit::rng::Rng;
use relufit::verify::verify;
use relufit::{Activation, Instance, Loss, Network, Neuron};

fn opts(act: Activation) -> ReduceOptions {
    ReduceOptions {
        activation: act,
        ..ReduceOptions::default()
    }
}

fn planted_in(dim: usize, seed: u64) -> relufit::reduce::separability::Planted {
    planted(&PlantedOptions {
        dim,
        num_q: 4,
        num_p: 5,
        seed,
        range: 12,
        denominator: 3,
        eps: None,
    })
    .unwrap()
}

fn widened(inst: &Instance, k: usize) -> Instance {
    Instance { k, ..inst.clone() }
}

/// Equivalent rewritings of a network: permuted, rescaled (ReLU: positive factor moved
/// between (w, b) and a; threshold: positive factor on (w, b)), and split into two positive
/// copies (a/2 each).
fn equivalents(net: &Network, rng: &mut Rng) -> Vec<Network> {
    let mut out = Vec::new();
    let mut perm = net.clone();
    rng.shuffle(&mut perm.neurons);
    out.push(perm);
    let mut scaled = net.clone();
    for (j, n) in scaled.neurons.iter_mut().enumerate() {
        let lam = ratio(3 + j as i64, 7);
        n.w = n.w.iter().map(|a| a * &lam).collect();
        n.b = &n.b * &lam;
        if net.activation == Activation::Relu {
            n.a = &n.a / &lam;
        }
    }
    out.push(scaled);
    let mut split = net.clone();
    split.neurons = net
        .neurons
        .iter()
        .flat_map(|n| {
            let half = Neuron::new(n.w.clone(), n.b.clone(), &n.a / int(2));
            [half.clone(), half]
        })
        .collect();
    out.push(split);
    out
}

fn assert_decodes(inst: &Instance, net: &Network) {
    let wide = widened(inst, inst.k.max(net.width()));
    let d = decode(&wide, net).unwrap_or_else(|e| panic!("decode failed: {e}"));
    let layout = relufit::reduce::separability::Layout::from_meta(inst).unwrap();
    let src = layout.source(inst);
    assert_eq!(check_strict(&src, &d.pair), Ok(()));
}

#[test]
fn planted_instances_lift_and_decode_in_d_2_3_5() {
    let mut rng = Rng::new(42);
    for (dim, seed) in [(2, 1), (2, 2), (3, 3), (5, 4)] {
        let pl = planted_in(dim, seed);
        for act in [Activation::Relu, Activation::Threshold] {
            let inst = reduce(&pl.instance, &opts(act)).unwrap();
            let (nq, np) = (pl.instance.q.len(), pl.instance.p.len());
            let expected = match act {
                Activation::Relu => nq + np + 2 * nq * np,
                Activation::Threshold => nq + np,
            };
            assert_eq!(inst.len(), expected);
            assert_eq!(inst.k, if act == Activation::Relu { 4 } else { 2 });
            let net = lift(&inst, &pl.hyperplanes).unwrap();
            let report = verify(&inst, &net).unwrap();
            assert!(report.passes() && report.error == Rational::ZERO);
            let d = decode(&inst, &net).unwrap();
            assert_eq!(check_strict(&pl.instance, &d.pair), Ok(()));
            assert!(
                d.restricted,
                "the proof's network decodes to a restricted pair"
            );
            assert_eq!(
                d.origin,
                if act == Activation::Relu {
                    Origin::Positive
                } else {
                    Origin::Threshold
                }
            );
            for eq in equivalents(&net, &mut rng) {
                let wide = widened(&inst, eq.width());
                assert!(
                    verify(&wide, &eq).unwrap().passes(),
                    "rewriting changed phi"
                );
                assert_decodes(&inst, &eq);
            }
        }
    }
}

#[test]
fn decoding_survives_cancelling_extra_neurons_and_json_round_trip() {
    let pl = planted_in(3, 11);
    let inst = reduce(&pl.instance, &opts(Activation::Relu)).unwrap();
    let inst = instance_from_json(&instance_to_json(&inst), "rt.json").unwrap();
    let net = lift(&inst, &pl.hyperplanes).unwrap();
    // Add a cancelling pair on an arbitrary hyperplane to both I+ and I-: each side now has
    // three distinct breaklines and the decoder must search.
    let mut wide = net.clone();
    for (w, b) in [
        (vec![int(1), int(-2), int(5)], int(3)),
        (vec![int(2), int(1), int(0)], int(-1)),
    ] {
        wide.neurons.push(Neuron::new(w.clone(), b.clone(), int(2)));
        wide.neurons.push(Neuron::new(w, b, int(-2)));
    }
    // Neurons with w = 0 (constants that cancel) and with a = 0 must be ignored.
    wide.neurons
        .push(Neuron::new(vec![int(0); 3], int(5), int(1)));
    wide.neurons
        .push(Neuron::new(vec![int(0); 3], int(5), int(-1)));
    wide.neurons
        .push(Neuron::new(vec![int(7), int(0), int(1)], int(2), int(0)));
    let big = widened(&inst, wide.width());
    assert!(verify(&big, &wide).unwrap().passes());
    let d = decode(&big, &wide).unwrap();
    assert_eq!(d.origin, Origin::Search);
    assert_eq!(check_strict(&pl.instance, &d.pair), Ok(()));
}

fn pts(v: &[(i64, i64)]) -> Vec<Vec<Rational>> {
    v.iter().map(|&(a, b)| vec![int(a), int(b)]).collect()
}

/// Alternating colours on a convex hexagon: every hull edge must be crossed, a line crosses
/// at most two, so three lines are needed.
fn hexagon() -> SeparabilityInstance {
    SeparabilityInstance::new(
        pts(&[(2, 0), (-1, 2), (-1, -2)]),
        pts(&[(-2, 0), (1, -2), (1, 2)]),
    )
}

/// The raw network of the proof built from any oriented pair (no checks), as a
/// "network from any source we can construct".
fn raw_network(inst: &Instance, num_core: usize, pair: &[Hyperplane; 2]) -> Network {
    let scale = |h: &Hyperplane| {
        let min = inst.points[..num_core]
            .iter()
            .map(|p| relufit::num::abs(&h.value(&p.x)))
            .filter(|v| *v != Rational::ZERO)
            .min()
            .unwrap_or(Rational::ONE);
        Rational::ONE / min
    };
    let mut neurons = Vec::new();
    for (i, h) in pair.iter().enumerate() {
        let c = scale(h);
        let sgn = if i == 0 { int(1) } else { int(-1) };
        let w: Vec<Rational> = h.h.iter().map(|a| a * &c).collect();
        let b = &h.o * &c;
        match inst.activation {
            Activation::Relu => {
                neurons.push(Neuron::new(w.clone(), b.clone(), sgn.clone()));
                neurons.push(Neuron::new(w, b - int(1), -sgn));
            }
            Activation::Threshold => neurons.push(Neuron::new(w, b, sgn)),
        }
    }
    Network::new(inst.activation, neurons)
}

#[test]
fn non_separable_instances_are_refused_and_no_constructed_network_fits() {
    refuse_everything(&hexagon(), 1);
    // Non-separable instances found by the decision procedure among random small ones.
    let mut rng = Rng::new(99);
    let mut found = 0;
    for trial in 0..400 {
        let dim = if trial % 2 == 0 { 2 } else { 3 };
        let src = random_small(&mut rng, dim, 3, 3);
        let distinct = src.q.iter().all(|q| !src.p.contains(q));
        if distinct && decide(&src).unwrap() == Decision::NotSeparable {
            refuse_everything(&src, 9);
            found += 1;
            if found == 4 {
                break;
            }
        }
    }
    assert_eq!(found, 4, "expected some random non-separable instances");
}

/// The decision procedure says no; the forward map refuses every pair of dichotomy witnesses
/// (every `stride`-th pair), and the network of the proof built from them without checks
/// does not fit, so decoding fails too.
fn refuse_everything(src: &SeparabilityInstance, stride: usize) {
    assert_eq!(decide(src).unwrap(), Decision::NotSeparable);
    let dich = dichotomies(src).unwrap();
    for act in [Activation::Relu, Activation::Threshold] {
        let inst = reduce(src, &opts(act)).unwrap();
        let layout = relufit::reduce::separability::Layout::from_meta(&inst).unwrap();
        for (i, a) in dich.iter().enumerate() {
            for (j, b) in dich.iter().enumerate() {
                if (i * dich.len() + j) % stride != 0 {
                    continue;
                }
                for pair in [
                    [a.witness.clone(), b.witness.clone()],
                    [a.witness.clone(), b.witness.negated()],
                ] {
                    match lift(&inst, &pair) {
                        Err(LiftError::Restricted(_)) => {}
                        other => panic!("lift must refuse a non-separable instance: {other:?}"),
                    }
                    let net = raw_network(&inst, layout.num_core, &pair);
                    assert!(!verify(&inst, &net).unwrap().passes());
                    assert!(decode(&inst, &net).is_err());
                }
            }
        }
    }
}

#[test]
fn lift_names_the_failing_condition() {
    let pl = planted_in(2, 5);
    let inst = reduce(&pl.instance, &opts(Activation::Relu)).unwrap();
    // Move H_1 onto q[0]: condition (3) (or (5)) must name q[0]; never a bad network.
    let q0 = &pl.instance.q[0];
    let mut h1 = pl.hyperplanes[0].clone();
    h1.o = &h1.o - h1.value(q0);
    let err = lift(&inst, &[h1, pl.hyperplanes[1].clone()]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("q[0]"), "{msg}");
    // A tiny eps-violation: margin condition (5).
    let src = SeparabilityInstance::new(pts(&[(0, 0)]), pts(&[(4, 0), (-4, 0)]));
    let inst = reduce(
        &src,
        &ReduceOptions {
            eps: Some(ratio(1, 2)),
            ..opts(Activation::Relu)
        },
    )
    .unwrap();
    let close = [
        Hyperplane::new(vec![int(1), int(0)], ratio(1, 3)),
        Hyperplane::new(vec![int(1), int(0)], int(-1)),
    ];
    match lift(&inst, &close) {
        Err(LiftError::Restricted(
            relufit::reduce::separability::RestrictedFailure::Condition5 {
                index: 0,
                hyperplane: 0,
                ..
            },
        )) => {}
        other => panic!("expected condition (5) at q[0]: {other:?}"),
    }
    let far = [
        Hyperplane::new(vec![int(1), int(0)], int(1)),
        Hyperplane::new(vec![int(1), int(0)], int(-1)),
    ];
    assert!(lift(&inst, &far).is_ok());
}

// ---- independent brute force: Fourier-Motzkin feasibility of s_i (h . x_i + o) >= 1 ----

/// Is `{ z : a . z >= c for all (a, c) }` non-empty? Exact Fourier-Motzkin elimination.
fn fm_feasible(mut rows: Vec<(Vec<Rational>, Rational)>, n: usize) -> bool {
    for var in 0..n {
        let (mut pos, mut neg, mut rest) = (Vec::new(), Vec::new(), Vec::new());
        for (a, c) in rows {
            if a[var] > Rational::ZERO {
                pos.push((a, c));
            } else if a[var] < Rational::ZERO {
                neg.push((a, c));
            } else {
                rest.push((a, c));
            }
        }
        for (ap, cp) in &pos {
            for (an, cn) in &neg {
                let fp = Rational::ONE / &ap[var];
                let fneg = -(Rational::ONE / &an[var]);
                let a: Vec<Rational> = ap
                    .iter()
                    .zip(an)
                    .map(|(x, y)| x * &fp + y * &fneg)
                    .collect();
                let c = cp * &fp + cn * &fneg;
                if !rest.contains(&(a.clone(), c.clone())) {
                    rest.push((a, c));
                }
            }
        }
        rows = rest;
    }
    rows.iter().all(|(_, c)| *c <= Rational::ZERO)
}

fn separable_by_fm(points: &[Vec<Rational>], positive: u128) -> bool {
    let d = points[0].len();
    let rows = points
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let s = if positive >> i & 1 == 1 {
                int(1)
            } else {
                int(-1)
            };
            let mut a: Vec<Rational> = x.iter().map(|v| v * &s).collect();
            a.push(s);
            (a, Rational::ONE)
        })
        .collect();
    fm_feasible(rows, d + 1)
}

fn random_small(rng: &mut Rng, dim: usize, nq: usize, np: usize) -> SeparabilityInstance {
    let mut pt =
        || -> Vec<Rational> { (0..dim).map(|_| int(rng.range_inclusive(-2, 2))).collect() };
    let q = (0..nq).map(|_| pt()).collect();
    let p = (0..np).map(|_| pt()).collect();
    SeparabilityInstance::new(q, p)
}

#[test]
fn decision_procedure_agrees_with_fourier_motzkin_brute_force() {
    let mut rng = Rng::new(7);
    let mut seen_no = 0;
    let mut seen_yes = 0;
    for trial in 0..60 {
        let (dim, nq, np) = if trial % 3 == 2 { (3, 2, 3) } else { (2, 3, 3) };
        let src = random_small(&mut rng, dim, nq, np);
        let all: Vec<Vec<Rational>> = src.points().cloned().collect();
        let m = all.len();
        let brute: Vec<u128> = (0..1u128 << m)
            .filter(|&mask| separable_by_fm(&all, mask))
            .collect();
        let mut ours: Vec<u128> = dichotomies(&src)
            .unwrap()
            .iter()
            .map(|d| d.positive)
            .collect();
        ours.sort();
        assert_eq!(ours, brute, "dichotomies differ on {src:?}");
        for d in dichotomies(&src).unwrap() {
            for (i, x) in all.iter().enumerate() {
                let v = d.witness.value(x);
                assert!(v != Rational::ZERO && (v > Rational::ZERO) == (d.positive >> i & 1 == 1));
            }
        }
        let qm: u128 = (1 << nq) - 1;
        let pm: u128 = ((1 << m) - 1) & !qm;
        let brute_yes = brute.iter().any(|&a| {
            brute.iter().any(|&b| {
                [a & b, a & !b, !a & b, !a & !b]
                    .iter()
                    .all(|&c| c & qm == 0 || c & pm == 0)
            })
        });
        match decide(&src).unwrap() {
            Decision::Separable { pair, .. } => {
                assert!(brute_yes);
                assert_eq!(check_strict(&src, &pair), Ok(()));
                seen_yes += 1;
            }
            Decision::NotSeparable => {
                assert!(
                    !brute_yes,
                    "decide says no but brute force separates {src:?}"
                );
                seen_no += 1;
            }
        }
    }
    assert!(seen_no > 0 && seen_yes > 0, "{seen_yes} yes / {seen_no} no");
}

#[test]
fn decided_pairs_in_restricted_form_with_margin_lift() {
    // Whenever the decision procedure returns a restricted pair that also meets the margin,
    // the forward map must produce a fitting network and decode it back.
    let mut rng = Rng::new(3);
    let mut lifted = 0;
    for _ in 0..30 {
        let src = random_small(&mut rng, 2, 2, 3);
        if let Decision::Separable {
            pair,
            restricted: true,
        } = decide(&src).unwrap()
        {
            let eps = src.default_eps();
            if check_restricted(&src, &pair, &eps).is_ok() {
                for act in [Activation::Relu, Activation::Threshold] {
                    let inst = reduce(&src, &opts(act)).unwrap();
                    let net = lift(&inst, &pair).unwrap();
                    assert!(verify(&inst, &net).unwrap().passes());
                    assert_decodes(&inst, &net);
                }
                lifted += 1;
            }
        }
    }
    assert!(lifted > 0);
}

#[test]
fn padding_adds_exactly_gamma_and_keeps_both_maps() {
    let pl = planted_in(2, 8);
    for act in [Activation::Relu, Activation::Threshold] {
        for (loss, gamma) in [
            (Loss::Squared, ratio(7, 3)),
            (Loss::Squared, int(1)),
            (Loss::Abs, ratio(5, 2)),
            (Loss::ZeroOne, int(3)),
        ] {
            // Also on top of the width padding (docs/width-padding.md): the ladder points
            // are fitted exactly like the core.
            let k0 = if act == Activation::Relu { 4 } else { 2 };
            let width = Some(k0 + usize::from(loss == Loss::Abs));
            let o = ReduceOptions {
                activation: act,
                eps: None,
                gamma: gamma.clone(),
                loss,
                width,
            };
            let inst = reduce(&pl.instance, &o).unwrap();
            let net = lift(&inst, &pl.hyperplanes).unwrap();
            let rep = verify(&inst, &net).unwrap();
            assert_eq!(rep.error, gamma, "{act} {loss}");
            assert_decodes(&inst, &net);
            // Any change of phi at the anchor costs more than gamma.
            let mut bumped = net.clone();
            let anchor = inst.points[0].x.clone();
            // A neuron that is positive only very near the anchor is awkward to build in
            // general; instead scale the output: phi -> 2 phi changes phi(anchor) = 1 to 2.
            for n in &mut bumped.neurons {
                n.a = &n.a * int(2);
            }
            let rep = verify(&inst, &bumped).unwrap();
            assert!(rep.error > gamma, "{act} {loss}: {anchor:?}");
        }
    }
    let err = reduce(
        &pl.instance,
        &ReduceOptions {
            gamma: int(1),
            loss: Loss::Max,
            ..opts(Activation::Relu)
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("max loss"));
}

#[test]
fn figure6_draws_all_elements() {
    let src = SeparabilityInstance::new(
        pts(&[(0, 0), (1, 1), (0, 2)]),
        pts(&[(4, 1), (-4, 0), (5, 3)]),
    );
    let inst = reduce(
        &src,
        &ReduceOptions {
            eps: Some(ratio(1, 2)),
            ..opts(Activation::Relu)
        },
    )
    .unwrap();
    let pair = [
        Hyperplane::new(vec![int(1), int(0)], int(2)),
        Hyperplane::new(vec![int(1), int(0)], int(-2)),
    ];
    let net = lift(&inst, &pair).unwrap();
    let svg = figure6_svg(&inst, Some(&net), Some(&pair), &FigureOptions::default()).unwrap();
    assert_eq!(svg.matches("<line").count(), 6);
    assert_eq!(svg.matches(r#"class="q""#).count(), 3);
    assert_eq!(svg.matches(r#"class="r""#).count(), 9);
    assert!(svg.contains(r#"id="eps""#));
}

#[test]
fn one_sided_instances_decode_to_hyperplanes_off_the_points() {
    let src = SeparabilityInstance::new(pts(&[(0, 0), (1, 1)]), Vec::new());
    for act in [Activation::Relu, Activation::Threshold] {
        let inst = reduce(&src, &opts(act)).unwrap();
        assert_eq!(inst.len(), 2);
        // phi = 1 everywhere: a constant neuron.
        let b = if act == Activation::Relu {
            int(1)
        } else {
            int(5)
        };
        let net = Network::new(act, vec![Neuron::new(vec![int(0), int(0)], b, int(1))]);
        assert!(verify(&inst, &net).unwrap().passes());
        let d = decode(&inst, &net).unwrap();
        assert_eq!(check_strict(&src, &d.pair), Ok(()));
    }
}

/// An exact solver for threshold networks with k = 2 and gamma = 0 on small data: every
/// neuron's activation set `{x : w . x + b > 0}` on the data is a strictly realizable
/// dichotomy (shift `b` down by half the least positive value) or trivial (w = 0), so a fit
/// exists iff some pair of dichotomies admits output weights `a1, a2` with
/// `a1 [x in D1] + a2 [x in D2] = y` for all points: a 2-unknown linear system, solved here
/// by grouping the points by their pattern.
fn threshold2_fits(inst: &Instance) -> bool {
    let xs: Vec<Vec<Rational>> = inst.points.iter().map(|p| p.x.clone()).collect();
    let all = SeparabilityInstance::new(xs, Vec::new());
    let dich = dichotomies(&all).unwrap();
    for a in &dich {
        for b in &dich {
            // label per pattern (u, v); None = unused.
            let mut label: [Option<Rational>; 4] = [None, None, None, None];
            let mut ok = true;
            for (i, p) in inst.points.iter().enumerate() {
                let pat = ((a.positive >> i & 1) * 2 + (b.positive >> i & 1)) as usize;
                match &label[pat] {
                    None => label[pat] = Some(p.y.clone()),
                    Some(y) if *y != p.y => ok = false,
                    _ => {}
                }
            }
            if !ok || label[0].as_ref().is_some_and(|y| *y != Rational::ZERO) {
                continue;
            }
            // patterns: 0 = (0,0), 1 = (0,1) -> a2, 2 = (1,0) -> a1, 3 = (1,1) -> a1 + a2.
            if let (Some(a1), Some(a2), Some(s)) = (&label[2], &label[1], &label[3]) {
                if &(a1 + a2) != s {
                    continue;
                }
            }
            return true;
        }
    }
    false
}

#[test]
fn threshold_reduction_agrees_with_an_exact_k2_solver_on_small_cases() {
    // Corollary 10: a threshold network with k = 2 fits the reduced instance => Q and P are
    // 2-separable (decode; so decide must say yes), and a restricted separation => a fit.
    // Instances that are separable only with Q in two opposite cells may have no fit: the
    // reduction relies on the promise (3)-(4), which such instances break.
    let mut rng = Rng::new(2024);
    let (mut fit, mut nofit_no, mut nofit_unrestricted) = (0, 0, 0);
    for _ in 0..40 {
        let src = random_small(&mut rng, 2, 3, 3);
        let inst = reduce(&src, &opts(Activation::Threshold)).unwrap();
        let fits = threshold2_fits(&inst);
        match decide(&src).unwrap() {
            Decision::NotSeparable => {
                assert!(!fits, "a fit would decode to a separation: {src:?}");
                nofit_no += 1;
            }
            Decision::Separable { restricted, .. } => {
                if restricted {
                    assert!(fits, "restricted separation must lift: {src:?}");
                    fit += 1;
                } else if !fits {
                    nofit_unrestricted += 1;
                }
            }
        }
    }
    // The promise matters: this instance is 2-separable (p = (1,-1) is the midpoint of the
    // Q points (0,0) and (2,-2), so Q cannot lie in one convex cell), yet no threshold
    // network with k = 2 fits its Corollary 10 instance.
    let src = SeparabilityInstance::new(
        pts(&[(2, -2), (0, 0), (-2, 1)]),
        pts(&[(1, -1), (0, 2), (0, -1)]),
    );
    assert!(matches!(
        decide(&src).unwrap(),
        Decision::Separable {
            restricted: false,
            ..
        }
    ));
    assert!(!threshold2_fits(
        &reduce(&src, &opts(Activation::Threshold)).unwrap()
    ));
    assert!(nofit_unrestricted > 0);
    assert!(
        fit > 0 && nofit_no > 0,
        "{fit} fits, {nofit_no} non-separable, {nofit_unrestricted} unrestricted-only"
    );
}

/// The largest `k / 2^30` whose square is below `v` (exact binary search).
fn sqrt_below(v: &Rational) -> Rational {
    let scale = Rational::from(1u64 << 30);
    let (mut lo, mut hi) = (0i64, 1i64 << 40);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        let x = Rational::from(mid) / &scale;
        if &(&x * &x) < v {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Rational::from(lo) / scale
}

#[test]
fn tight_margins_still_lift_and_looser_ones_are_refused() {
    // eps just below the true margin of the planted hyperplanes: the added points r/s come
    // as close to the hyperplanes as the rational delta allows, and the network must still
    // fit exactly. eps at or above the margin: lift must name condition (5).
    for (dim, seed) in [(2, 21), (3, 22), (5, 23)] {
        let pl = planted_in(dim, seed);
        let m2 = relufit::reduce::separability::margin_sq(&pl.instance, &pl.hyperplanes).unwrap();
        let tight = sqrt_below(&m2);
        assert!(&tight * &tight < m2 && tight > Rational::ZERO);
        for act in [Activation::Relu, Activation::Threshold] {
            let o = ReduceOptions {
                eps: Some(tight.clone()),
                ..opts(act)
            };
            let inst = reduce(&pl.instance, &o).unwrap();
            let net = lift(&inst, &pl.hyperplanes).unwrap();
            assert!(verify(&inst, &net).unwrap().passes());
            assert_decodes(&inst, &net);
        }
        let too_big = &tight + Rational::from_parts(1u8.into(), (1u64 << 29).into());
        let inst = reduce(
            &pl.instance,
            &ReduceOptions {
                eps: Some(too_big),
                ..opts(Activation::Relu)
            },
        )
        .unwrap();
        assert!(matches!(
            lift(&inst, &pl.hyperplanes),
            Err(LiftError::Restricted(
                relufit::reduce::separability::RestrictedFailure::Condition5 { .. }
            ))
        ));
    }
}

/// `decide_within` reports its progress to the observer of its limits (the dichotomies,
/// counted against the top-level candidates `C(m, d)`, never beyond them) and stops on a
/// cancellation set from inside a report.
#[test]
fn the_decision_reports_progress_and_stops_when_cancelled_from_a_report() {
    use relufit::limits::{Observer, Progress, RunLimits};
    use relufit::reduce::separability::decide_within;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    struct CancelOnFirst {
        cancel: Arc<AtomicBool>,
        seen: Mutex<Vec<(&'static str, u64, Option<u64>)>>,
    }
    impl Observer for CancelOnFirst {
        fn progress(&self, p: &Progress) {
            self.seen.lock().unwrap().push((p.stage, p.nodes, p.total));
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
    // 30 points in general position (on a parabola): C(30, 2) = 435 top-level candidates.
    let points: Vec<(i64, i64)> = (0..30).map(|i| (i, i * i)).collect();
    let src = SeparabilityInstance::new(pts(&points[..15]), pts(&points[15..]));
    let cancel = Arc::new(AtomicBool::new(false));
    let observer = Arc::new(CancelOnFirst {
        cancel: cancel.clone(),
        seen: Mutex::new(Vec::new()),
    });
    let limits = RunLimits::new(None, Some(cancel))
        .with_observer(Some(observer.clone() as Arc<dyn Observer>));
    let r = decide_within(&src, &limits);
    assert!(
        matches!(
            r,
            Err(relufit::Error::Stopped(relufit::limits::Stopped::Cancelled))
        ),
        "{r:?}"
    );
    let seen = observer.seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (stage, done, total) = seen[0];
    assert_eq!((stage, total), ("dichotomies", Some(435)));
    assert!(done > 0 && done <= 435, "{done}");
    // Without the observer the same instance is decided.
    assert!(decide_within(&src, &RunLimits::none()).is_ok());
}
