//! One test body over every algorithm (good_lp style): each algorithm of the table
//! [`ALGORITHMS`] runs on the same generated instances and must agree with the brute-force
//! oracle of `support::oracle` (every activation pattern of every neuron and every sign
//! vector, one certified LP per leaf, no pruning, no symmetry).
//!
//! Instances: ReLU and threshold, `d = 1, 2`, `k = 1, 2`, integer and rational data; planted
//! fits (mixed, convex and concave output signs), near misses (one label nudged), planted
//! fits with points exactly on breaklines, random labels, and over-parameterised data
//! (`k >=` distinct inputs, a repeated input with two labels). Each is run with `gamma = 0`
//! and, where the optimum is positive, with `gamma` at the optimum (a fit on the boundary)
//! and at half of it (no fit). The loss is `abs`, so that optima are LP values.
//!
//! The rules: an algorithm must decide every instance its row says it applies to; outside
//! that it must refuse (`NotApplicable` / `NoSolver`) or still be right. A fit's network is
//! re-evaluated here (error `<= gamma`, width `<= k`, output signs of its class); a "no"
//! must name the class it covers (`restricted_to`) and the oracle must find no network of
//! that class within `gamma`; every optimum reported must be the oracle's, and rows marked
//! [`Answers::Optimum`] must report one.
//!
//! Adding an algorithm is one line in [`ALGORITHMS`].

mod support;

use relufit::num::{int, ratio, Rational};
use relufit::solve::enumerate;
use relufit::solve::{solve_with, Algorithm, Outcome, Signs, SolveError, SolveSettings};
use relufit::{Activation, Instance, Loss, Network};
use support::build::{
    abs_error, distinct_inputs, instance, labels, on_breakline, points, random_network,
};
use support::oracle::{optima, Optima};
use support::{SmallDraws, SplitMix64};

use Signs::{Concave, Convex};

/// What an algorithm reports besides fit / no fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answers {
    /// The decision `error <= gamma` (an optimum only when it happens to know it).
    Decision,
    /// The exact least `abs` error, on every instance it decides.
    Optimum,
}
use Answers::{Decision, Optimum};

/// One row of the table.
struct Algo {
    /// Shown in failure messages.
    name: &'static str,
    /// The networks its answers are about: `None` all of width `k`, `Some(s)` one sign class.
    class: Option<Signs>,
    answers: Answers,
    /// The instances it must decide.
    applies: fn(&Instance) -> bool,
    run: fn(&Instance) -> Result<Outcome, SolveError>,
}

const fn algo(
    name: &'static str,
    class: Option<Signs>,
    answers: Answers,
    applies: fn(&Instance) -> bool,
    run: fn(&Instance) -> Result<Outcome, SolveError>,
) -> Algo {
    Algo {
        name,
        class,
        answers,
        applies,
        run,
    }
}

#[rustfmt::skip]
const ALGORITHMS: &[Algo] = &[
    algo("interpolate", None, Optimum, k_covers_inputs, |i| with(i, Algorithm::Interpolate, None)),
    algo("single", None, Decision, relu_exact_k1, |i| with(i, Algorithm::Single, None)),
    algo("exactfit convex", Some(Convex), Decision, relu_exact, |i| with(i, Algorithm::ExactFit, Some(Convex))),
    algo("exactfit concave", Some(Concave), Decision, relu_exact, |i| with(i, Algorithm::ExactFit, Some(Concave))),
    algo("exactfit convex, paper's rules only", Some(Convex), Decision, relu_exact, exactfit_paper_rules),
    algo("exactfit concave, exact simplex only", Some(Concave), Decision, relu_exact, exactfit_exact_lps),
    algo("enumerate", None, Decision, always, |i| enumerated(i, None, false)),
    algo("enumerate --optimize", None, Optimum, always, |i| enumerated(i, None, true)),
    algo("enumerate convex --optimize", Some(Convex), Optimum, relu, |i| enumerated(i, Some(Convex), true)),
    algo("enumerate concave", Some(Concave), Decision, relu, |i| enumerated(i, Some(Concave), false)),
    algo("patterns", None, Decision, always, |i| with(i, Algorithm::Patterns, None)),
    algo("patterns --optimize", None, Optimum, always, |i| optimized(i, Algorithm::Patterns)),
    algo("patterns convex", Some(Convex), Decision, relu_exact, |i| with(i, Algorithm::Patterns, Some(Convex))),
    algo("patterns concave", Some(Concave), Decision, relu_exact, |i| with(i, Algorithm::Patterns, Some(Concave))),
    algo("auto", None, Decision, always, |i| with(i, Algorithm::Auto, None)),
];

// ---- how each row is run (the only place that knows the solver API) ----

fn with(
    inst: &Instance,
    algorithm: Algorithm,
    signs: Option<Signs>,
) -> Result<Outcome, SolveError> {
    let settings = SolveSettings {
        algorithm,
        signs,
        ..SolveSettings::default()
    };
    solve_with(inst, &settings).map(|s| s.outcome)
}

fn optimized(inst: &Instance, algorithm: Algorithm) -> Result<Outcome, SolveError> {
    let settings = SolveSettings {
        algorithm,
        optimize: true,
        ..SolveSettings::default()
    };
    solve_with(inst, &settings).map(|s| s.outcome)
}

fn exactfit_paper_rules(inst: &Instance) -> Result<Outcome, SolveError> {
    let settings = SolveSettings {
        algorithm: Algorithm::ExactFit,
        signs: Some(Convex),
        paper_rules_only: true,
        ..SolveSettings::default()
    };
    solve_with(inst, &settings).map(|s| s.outcome)
}

fn exactfit_exact_lps(inst: &Instance) -> Result<Outcome, SolveError> {
    let settings = SolveSettings {
        algorithm: Algorithm::ExactFit,
        signs: Some(Concave),
        exact_lp_only: true,
        ..SolveSettings::default()
    };
    solve_with(inst, &settings).map(|s| s.outcome)
}

fn enumerated(
    inst: &Instance,
    signs: Option<Signs>,
    optimize: bool,
) -> Result<Outcome, SolveError> {
    let settings = SolveSettings {
        algorithm: Algorithm::Enumerate,
        signs,
        ..SolveSettings::default()
    };
    enumerate::solve(inst, &settings, optimize).map(|s| s.outcome)
}

// ---- where each row applies ----

fn always(_: &Instance) -> bool {
    true
}

fn relu(inst: &Instance) -> bool {
    inst.activation == Activation::Relu
}

fn relu_exact(inst: &Instance) -> bool {
    relu(inst) && inst.gamma == Rational::ZERO
}

fn relu_exact_k1(inst: &Instance) -> bool {
    relu_exact(inst) && inst.k == 1
}

fn k_covers_inputs(inst: &Instance) -> bool {
    inst.k >= inst.distinct_inputs()
}

// ---- the one test body ----

/// How often each row gave each kind of answer.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    fits: usize,
    no_fits: usize,
    optima: usize,
    refused: usize,
}

/// Run `algo` on `inst` and check its answer against the oracle's `opt`.
fn agree(algo: &Algo, case: &str, inst: &Instance, opt: &Optima, tally: &mut Tally) {
    let name = algo.name;
    let gamma = &inst.gamma;
    let applies = (algo.applies)(inst);
    let outcome = match (algo.run)(inst) {
        Ok(outcome) => outcome,
        Err(SolveError::NotApplicable(_) | SolveError::NoSolver(_)) if !applies => {
            tally.refused += 1;
            return;
        }
        Err(e) => panic!("{name}: {case}: {e}"),
    };
    match outcome {
        Outcome::Fit {
            network, optimum, ..
        } => {
            // Outside its domain a row's class request may be ignored: judge the fit alone.
            let class = algo.class.filter(|_| applies);
            check_network(&network, inst, class, &format!("{name}: {case}"));
            assert!(
                opt.of(class) <= gamma,
                "{name}: {case}: a fit, but the oracle's least error is {}",
                opt.of(class)
            );
            check_optimum(algo, case, optimum.as_ref(), opt.of(class), applies, tally);
            tally.fits += 1;
        }
        Outcome::NoFit {
            optimum,
            restricted_to,
            ..
        } => {
            if applies {
                assert_eq!(restricted_to, algo.class, "{name}: {case}: class of the no");
            }
            let least = opt.of(restricted_to);
            assert!(
                least > gamma,
                "{name}: {case}: no fit claimed for {restricted_to:?}, but the oracle reaches {least}"
            );
            check_optimum(algo, case, optimum.as_ref(), least, applies, tally);
            tally.no_fits += 1;
        }
        Outcome::Unknown { reason, .. } => {
            panic!("{name}: {case}: unknown without a limit: {reason}")
        }
    }
}

/// A fit's network, judged here: the instance's activation, width `<= k`, output signs of
/// the class (of the neurons that are not zero everywhere), and `abs` error `<= gamma` by
/// the reference evaluator.
fn check_network(net: &Network, inst: &Instance, class: Option<Signs>, what: &str) {
    assert_eq!(net.activation, inst.activation, "{what}: activation");
    assert!(net.width() <= inst.k, "{what}: width {} > k", net.width());
    // The class is the function's: a neuron that is zero everywhere (`w = 0`, `b <= 0`)
    // may carry any output weight (the solvers fill unused neurons with `a = 1`).
    let mut live = net
        .neurons
        .iter()
        .filter(|n| n.b > Rational::ZERO || n.w.iter().any(|w| *w != Rational::ZERO));
    let signs_ok = match class {
        None => true,
        Some(Convex) => live.all(|n| n.a >= Rational::ZERO),
        Some(Concave) => live.all(|n| n.a <= Rational::ZERO),
    };
    assert!(
        signs_ok,
        "{what}: output weights outside the class {class:?}: {net:?}"
    );
    let error = abs_error(net, inst);
    assert!(
        error <= inst.gamma,
        "{what}: the network's error is {error}"
    );
}

fn check_optimum(
    algo: &Algo,
    case: &str,
    reported: Option<&Rational>,
    oracle: &Rational,
    applies: bool,
    tally: &mut Tally,
) {
    match reported {
        Some(o) => {
            assert_eq!(o, oracle, "{}: {case}: optimum", algo.name);
            tally.optima += 1;
        }
        None => assert!(
            !(applies && algo.answers == Optimum),
            "{}: {case}: no optimum reported",
            algo.name
        ),
    }
}

/// Every row on every instance of `family` (and its `gamma > 0` variants).
fn run_family(family: Vec<(String, Instance)>) -> Vec<Tally> {
    let mut tallies = vec![Tally::default(); ALGORITHMS.len()];
    for (case, inst) in family {
        let opt = optima(&inst);
        let mut variants = vec![(case.clone(), inst.clone())];
        if opt.any > Rational::ZERO {
            for (what, gamma) in [("at", opt.any.clone()), ("below", &opt.any / int(2))] {
                let mut v = inst.clone();
                v.gamma = gamma;
                variants.push((format!("{case}, gamma {what} the optimum"), v));
            }
        }
        for (case, inst) in &variants {
            for (algo, tally) in ALGORITHMS.iter().zip(&mut tallies) {
                agree(algo, case, inst, &opt, tally);
            }
        }
    }
    tallies
}

/// Every row must have been exercised: on fits and on no-fits, and optimum rows with
/// optima.
fn assert_exercised(tallies: &[Tally]) {
    for (algo, t) in ALGORITHMS.iter().zip(tallies) {
        assert!(
            t.fits > 0 && t.no_fits > 0,
            "{}: needs instances of both answers: {t:?}",
            algo.name
        );
        if algo.answers == Optimum {
            assert!(t.optima > 0, "{}: no optimum checked: {t:?}", algo.name);
        }
    }
}

// ---- the instances ----

/// What a generated instance is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Labels of a random network (`signs`: its output weights' class, `None` mixed).
    Planted(Option<Signs>),
    /// A planted instance with one label moved by `1/2`.
    NearMiss(Option<Signs>),
    /// A planted instance with every other input on one of the network's breaklines.
    OnBreaklines(Option<Signs>),
    /// Random labels in `[-2, 2]`, steps of `1/2`.
    RandomLabels,
}

/// A random network with output weights of `signs` (ReLU; threshold keeps its own).
fn planted_network(
    rng: &mut SplitMix64,
    act: Activation,
    k: usize,
    d: usize,
    signs: Option<Signs>,
) -> Network {
    let mut net = random_network(rng, act, k, d);
    for n in &mut net.neurons {
        if n.a == Rational::ZERO {
            n.a = int(1);
        }
        let magnitude = if n.a < Rational::ZERO {
            -&n.a
        } else {
            n.a.clone()
        };
        match signs {
            Some(Convex) => n.a = magnitude,
            Some(Concave) => n.a = -magnitude,
            None => {}
        }
    }
    net
}

fn generate(
    rng: &mut SplitMix64,
    act: Activation,
    d: usize,
    k: usize,
    n: usize,
    den: i64,
    kind: Kind,
) -> Instance {
    let mut xs = distinct_inputs(rng, n, d, 3, den);
    let signs = match kind {
        Kind::Planted(s) | Kind::NearMiss(s) | Kind::OnBreaklines(s) => s,
        Kind::RandomLabels => None,
    };
    let net = planted_network(rng, act, k, d, signs);
    if let Kind::OnBreaklines(_) = kind {
        for i in (0..n).step_by(2) {
            if let Some(x) = on_breakline(rng, &net.neurons[i % k], 3) {
                if !xs.contains(&x) {
                    xs[i] = x;
                }
            }
        }
    }
    let mut ys = labels(&net, &xs);
    match kind {
        Kind::NearMiss(_) => {
            let i = rng.below(n);
            ys[i] += ratio(1, 2);
        }
        Kind::RandomLabels => {
            for y in &mut ys {
                *y = ratio(rng.int_in(4), 2);
            }
        }
        _ => {}
    }
    instance(act, k, Loss::Abs, Rational::ZERO, points(&xs, &ys))
}

/// The generated instances of one activation, dimension and width, named.
fn family(act: Activation, d: usize, k: usize, seed: u64) -> Vec<(String, Instance)> {
    let mut rng = SplitMix64::new(seed);
    // The oracle enumerates 2^(n k) leaves (ReLU: times 2^k sign vectors).
    let sizes: &[usize] = match (act, k) {
        (Activation::Relu, 1) => &[3, 5, 6],
        (Activation::Relu, _) => &[3, 4, 5],
        (Activation::Threshold, 1) => &[4, 6],
        (Activation::Threshold, _) => &[4, 5],
    };
    let kinds = [
        Kind::Planted(None),
        Kind::Planted(Some(Convex)),
        Kind::Planted(Some(Concave)),
        Kind::NearMiss(None),
        Kind::NearMiss(Some(Convex)),
        Kind::OnBreaklines(None),
        Kind::OnBreaklines(Some(Concave)),
        Kind::RandomLabels,
    ];
    let mut out = Vec::new();
    for (s, &n) in sizes.iter().enumerate() {
        // The largest sizes (over 2048 leaves) get every other kind only, to keep the time.
        let leaves = 1usize << (n * k + if act == Activation::Relu { k } else { 0 });
        let step = if leaves > 2048 { 2 } else { 1 };
        for (t, &kind) in kinds.iter().enumerate().step_by(step) {
            // Integer data and data with denominators 2 and 3, in turn.
            let den = 1 + ((s + t) % 3) as i64;
            let inst = generate(&mut rng, act, d, k, n, den, kind);
            out.push((
                format!("{act} d = {d} k = {k} n = {n} den {den} {kind:?}"),
                inst,
            ));
        }
    }
    // Over-parameterised: k distinct inputs, one of them twice with two labels, and the
    // same without the conflict.
    let xs = distinct_inputs(&mut rng, k, d, 3, 2);
    let mut all = xs.clone();
    all.push(xs[0].clone());
    let ys: Vec<Rational> = (0..=k).map(|_| ratio(rng.int_in(4), 2)).collect();
    let mut consistent = ys.clone();
    consistent[k] = consistent[0].clone();
    for (what, ys) in [("conflicting", ys), ("repeated", consistent)] {
        let inst = instance(act, k, Loss::Abs, Rational::ZERO, points(&all, &ys));
        out.push((
            format!("{act} d = {d} k = {k}: {k} inputs, one {what}"),
            inst,
        ));
    }
    out
}

/// Every row of [`ALGORITHMS`] on every generated instance: ReLU and threshold, `d = 1, 2`,
/// `k = 1, 2` (one thread per family).
#[test]
fn every_algorithm_agrees_with_the_oracle() {
    let mut families = Vec::new();
    for act in [Activation::Relu, Activation::Threshold] {
        for d in 1..=2 {
            for k in 1..=2 {
                families.push((act, d, k, families.len() as u64));
            }
        }
    }
    let per_family: Vec<Vec<Tally>> = std::thread::scope(|scope| {
        let workers: Vec<_> = families
            .iter()
            .map(|&(act, d, k, seed)| scope.spawn(move || run_family(family(act, d, k, seed))))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a family failed (see its message above)"))
            .collect()
    });
    let mut total = vec![Tally::default(); ALGORITHMS.len()];
    for tallies in &per_family {
        for (t, u) in total.iter_mut().zip(tallies) {
            t.fits += u.fits;
            t.no_fits += u.no_fits;
            t.optima += u.optima;
            t.refused += u.refused;
        }
    }
    assert_exercised(&total);
}

/// The oracle itself on instances whose answer is known: XOR needs two neurons of either
/// activation, its least `abs` error with one is 1, and `|x_1 - x_2|` (two ReLUs with output
/// weight +1) fits it, so it is convex but not concave; the labels of a planted network are
/// an exact fit for its class.
#[test]
fn oracle_knows_xor_and_planted_fits() {
    let xor: Vec<Vec<Rational>> = [[0, 0], [1, 1], [1, 0], [0, 1]]
        .iter()
        .map(|x| support::build::ints(x))
        .collect();
    let ys = [int(0), int(0), int(1), int(1)];
    for act in [Activation::Relu, Activation::Threshold] {
        let one = instance(act, 1, Loss::Abs, Rational::ZERO, points(&xor, &ys));
        assert_eq!(optima(&one).any, int(1), "{act} k = 1");
        let two = Instance { k: 2, ..one };
        assert_eq!(optima(&two).any, int(0), "{act} k = 2");
    }
    let relu2 = instance(
        Activation::Relu,
        2,
        Loss::Abs,
        Rational::ZERO,
        points(&xor, &ys),
    );
    let o = optima(&relu2);
    assert_eq!(o.convex, Some(int(0)));
    assert!(
        o.concave.expect("ReLU") > int(0),
        "XOR's labels are not concave"
    );
    let mut rng = SplitMix64::new(7);
    for signs in [Some(Concave), None] {
        let net = planted_network(&mut rng, Activation::Relu, 2, 2, signs);
        let xs = distinct_inputs(&mut rng, 5, 2, 3, 2);
        let inst = instance(
            Activation::Relu,
            2,
            Loss::Abs,
            Rational::ZERO,
            points(&xs, &labels(&net, &xs)),
        );
        assert_eq!(
            optima(&inst).of(signs),
            &Rational::ZERO,
            "planted {signs:?}"
        );
    }
}
