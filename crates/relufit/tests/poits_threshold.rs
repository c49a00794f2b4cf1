//! Corollary 8 (threshold networks, stripes): the reduction checked exactly on the Figure 5
//! formula and on small formulas, lifting and decoding both ways.

use relufit::model::{Activation, Instance, Network, Neuron};
use relufit::num::{int, ratio, Rational};
use relufit::reduce::poits::decode::probe_points;
use relufit::reduce::poits::layout::{GadgetRole, Layout, PointTag};
use relufit::reduce::poits::threshold::{margin, ThresholdConstruction};
use relufit::reduce::poits::{
    decode, lift, point_tags, reduce, Assignment, Construction, Formula, PoitsOptions,
};
use relufit::verify::{evaluate, verify};
use std::collections::BTreeSet;

fn threshold_opts() -> PoitsOptions {
    PoitsOptions {
        activation: Activation::Threshold,
        ..PoitsOptions::default()
    }
}

fn reduce_t(f: &Formula) -> Instance {
    reduce(f, &threshold_opts()).expect("reduce")
}

/// A literal/value choice: literal positions per clause and the variable values.
#[derive(Debug, Clone)]
struct Choices {
    literals: Vec<usize>,
    values: Assignment,
}

/// The canonical network of arbitrary choices, through the shared `lift`.
fn canonical(inst: &Instance, ch: &Choices) -> Network {
    lift(inst, &ch.values, Some(&ch.literals)).expect("lift")
}

/// Read a POITS formula in DIMACS CNF (test-local; every clause three positive literals).
fn read_cnf(text: &str) -> Formula {
    let mut num_vars = 0;
    let mut lits: Vec<usize> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('c') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("p cnf") {
            num_vars = rest.split_whitespace().next().unwrap().parse().unwrap();
            continue;
        }
        for tok in line.split_whitespace() {
            let v: usize = tok.parse().unwrap();
            if v != 0 {
                lits.push(v);
            }
        }
    }
    assert_eq!(lits.len() % 3, 0);
    Formula {
        num_vars,
        clauses: lits.chunks(3).map(|c| [c[0], c[1], c[2]]).collect(),
    }
}

/// The Figure 5 formula, as in `tests/data/poits/figure5.cnf`.
const FIGURE5_CNF: &str = "c (v5 or v4 or v3) and (v4 or v3 or v2) and (v5 or v2 or v1)
p cnf 5 3
5 4 3 0
4 3 2 0
5 2 1 0
";

fn figure5() -> Formula {
    let f = read_cnf(FIGURE5_CNF);
    assert_eq!(f.num_vars, 5);
    assert_eq!(f.clauses, vec![[5, 4, 3], [4, 3, 2], [5, 2, 1]]);
    f
}

fn names_of(inst: &Instance) -> Vec<String> {
    point_tags(inst)
        .unwrap()
        .iter()
        .map(|t| t.to_string())
        .collect()
}

fn fits(inst: &Instance, net: &Network) -> bool {
    verify(inst, net).unwrap().passes()
}

/// Every literal/value choice (3^m 2^n of them), in a fixed order.
fn all_choices(f: &Formula) -> Vec<Choices> {
    let m = f.num_clauses();
    let n = f.num_vars;
    let mut out = Vec::new();
    for code in 0..3usize.pow(m as u32) {
        let mut c = code;
        let literals: Vec<usize> = (0..m)
            .map(|_| {
                let r = c % 3 + 1;
                c /= 3;
                r
            })
            .collect();
        for bits in 0..(1usize << n) {
            let values = (0..n).map(|i| bits >> i & 1 == 1).collect();
            out.push(Choices {
                literals: literals.clone(),
                values: Assignment { values },
            });
        }
    }
    out
}

fn solutions(f: &Formula) -> Vec<Assignment> {
    (0..(1usize << f.num_vars))
        .map(|bits| Assignment {
            values: (0..f.num_vars).map(|i| bits >> i & 1 == 1).collect(),
        })
        .filter(|a| f.is_solution(a))
        .collect()
}

#[test]
fn figure5_instance_shape() {
    let f = figure5();
    let inst = reduce_t(&f);
    let (m, n) = (3, 5);
    assert_eq!(inst.points.len(), 32 * m + 25 * n);
    assert_eq!(inst.k, 2 * (m + n));
    assert_eq!(inst.k, 16);
    assert_eq!(inst.gamma, Rational::ZERO);
    assert!(inst.issues().is_empty(), "no conflicting duplicates");
    assert_eq!(inst.distinct_inputs(), inst.points.len());
    assert_eq!(names_of(&inst).len(), inst.points.len());
    assert_eq!(inst.activation, Activation::Threshold);
    assert_eq!(inst.meta["reduction"], "poits-corollary8");
    // eta = 1/(4(1 + 2X/L_min)) with X = 54*8 = 432, L_min = 3/2.
    assert_eq!(margin(&Layout::new(&f)), ratio(1, 4 * (1 + 576)));
}

#[test]
fn figure5_exactly_the_two_canonical_networks_fit() {
    let f = figure5();
    let inst = reduce_t(&f);
    let mut fitting = BTreeSet::new();
    for ch in all_choices(&f) {
        let net = canonical(&inst, &ch);
        assert_eq!(net.width(), 16);
        if fits(&inst, &net) {
            fitting.insert((ch.values.true_vars(), ch.literals.clone()));
        }
    }
    let expected: BTreeSet<(Vec<usize>, Vec<usize>)> =
        [(vec![1, 3], vec![3, 2, 3]), (vec![1, 4], vec![2, 1, 3])]
            .into_iter()
            .collect();
    assert_eq!(fitting, expected);
}

#[test]
fn figure5_solutions_lift_verify_and_decode() {
    let f = figure5();
    let inst = reduce_t(&f);
    for (vars, lits) in [(vec![1, 3], vec![3, 2, 3]), (vec![1, 4], vec![2, 1, 3])] {
        let a = Assignment::from_true_vars(5, &vars);
        let net = lift(&inst, &a, None).unwrap();
        let report = verify(&inst, &net).unwrap();
        assert!(report.passes());
        assert_eq!(report.error, Rational::ZERO);
        let d = decode(&inst, &net).unwrap();
        assert_eq!(d.assignment, a);
        assert_eq!(d.choices, lits);
    }
    // Not a solution: its lift (first true literal per clause) does not fit, decode refuses.
    let net = lift(&inst, &Assignment::from_true_vars(5, &[2]), None).unwrap();
    assert!(!fits(&inst, &net));
    assert!(decode(&inst, &net).is_err());
}

#[test]
fn wrong_choices_fail_and_name_points() {
    let f = figure5();
    let inst = reduce_t(&f);
    let tags = point_tags(&inst).unwrap();
    // Solution {1,3} with v3 flipped to false: clause 1 (5 4 3) has no true literal but
    // still picks r = 3, so p(1,3) (on v3's false stripe and clause 1's chosen stripe) is 2.
    let ch = Choices {
        literals: vec![3, 2, 3],
        values: Assignment::from_true_vars(5, &[1]),
    };
    let net = canonical(&inst, &ch);
    let report = verify(&inst, &net).unwrap();
    assert!(!report.passes());
    let bad: Vec<PointTag> = report
        .misfit_points(&inst)
        .iter()
        .map(|&i| tags[i])
        .collect();
    let p13 = PointTag::Consistency {
        clause: 1,
        r: 3,
        var: 3,
    };
    assert!(bad.contains(&p13), "misfits: {bad:?}");
    assert!(
        bad.iter()
            .all(|t| matches!(t, PointTag::Consistency { .. })),
        "misfits: {bad:?}"
    );
    let err = decode(&inst, &net).unwrap_err().to_string();
    assert!(err.contains(&p13.to_string()), "{err}");
    assert!(names_of(&inst).contains(&p13.to_string()));
    // A non-solution assignment with consistent-looking literals: {2} true.
    let ch = Choices {
        literals: vec![1, 3, 2],
        values: Assignment::from_true_vars(5, &[2]),
    };
    let net = canonical(&inst, &ch);
    assert!(!fits(&inst, &net));
}

fn figure5_net() -> (Formula, Network, Assignment) {
    let f = figure5();
    let a = Assignment::from_true_vars(5, &[1, 4]);
    let net = lift(&reduce_t(&f), &a, None).unwrap();
    (f, net, a)
}

/// Decode from the function alone: evaluate `phi` at the shared probe points and read them
/// with the construction (no width check, so it also applies to wider networks).
fn probe_decode(f: &Formula, net: &Network) -> Result<(Assignment, Vec<usize>), String> {
    let layout = Layout::new(f);
    let probes = probe_points(&layout);
    let refs: Vec<&[Rational]> = probes.iter().map(|p| p.as_slice()).collect();
    let values = evaluate(net, &refs).values;
    ThresholdConstruction.decode_choices(&layout, &values)
}

#[test]
fn decode_is_invariant_under_neuron_permutation() {
    let (f, net, a) = figure5_net();
    let inst = reduce_t(&f);
    let k = net.neurons.len();
    for shift in [1, 5, 11] {
        let mut neurons = net.neurons.clone();
        neurons.rotate_left(shift);
        neurons.swap(0, k - 1);
        let p = Network::new(net.activation, neurons);
        assert!(fits(&inst, &p));
        assert_eq!(decode(&inst, &p).unwrap().assignment, a);
    }
    let mut rev = net.clone();
    rev.neurons.reverse();
    assert_eq!(decode(&inst, &rev).unwrap().assignment, a);
}

#[test]
fn decode_survives_split_neurons() {
    let (f, net, a) = figure5_net();
    let mut inst = reduce_t(&f);
    inst.k += 2;
    let mut neurons = net.neurons.clone();
    for j in [0usize, 7] {
        let n = neurons[j].clone();
        let a1 = &n.a * ratio(1, 3);
        let a2 = &n.a - &a1;
        neurons[j] = Neuron::new(n.w.clone(), n.b.clone(), a1);
        neurons.push(Neuron::new(n.w, n.b, a2));
    }
    let split = Network::new(net.activation, neurons);
    assert_eq!(split.width(), 18);
    assert!(fits(&inst, &split));
    // The original instance (k = 16) rejects it as too wide; on the wider copy it fits and
    // decodes to the same solution (the function is that of a 16-neuron fitting network).
    assert!(!fits(&reduce_t(&f), &split));
    assert!(decode(&reduce_t(&f), &split).is_err());
    let d = decode(&inst, &split).unwrap();
    assert_eq!(d.assignment, a);
    assert_eq!(d.choices, vec![2, 1, 3]);
    let (got, lits) = probe_decode(&f, &split).unwrap();
    assert_eq!(got, a);
    assert_eq!(lits, vec![2, 1, 3]);
}

#[test]
fn decode_survives_positive_rescaling_and_small_shifts() {
    let (f, net, a) = figure5_net();
    let inst = reduce_t(&f);
    // Positive rescaling of (w, b): 1{c t > 0} = 1{t > 0} for c > 0.
    let scaled = Network::new(
        net.activation,
        net.neurons
            .iter()
            .enumerate()
            .map(|(j, n)| {
                let c = ratio(j as i64 + 2, 3);
                Neuron::new(n.w.iter().map(|w| w * &c).collect(), &n.b * &c, n.a.clone())
            })
            .collect(),
    );
    assert!(fits(&inst, &scaled));
    assert_eq!(decode(&inst, &scaled).unwrap().assignment, a);
    // A non-canonical fitting network: every line moved up by eta/2 (allowed by the windows).
    let eta = margin(&Layout::new(&f));
    let shifted = Network::new(
        net.activation,
        net.neurons
            .iter()
            .map(|n| Neuron::new(n.w.clone(), &n.b - &eta * ratio(1, 2), n.a.clone()))
            .collect(),
    );
    assert!(fits(&inst, &shifted));
    assert_eq!(decode(&inst, &shifted).unwrap().assignment, a);
    // Tilt every lower line by eta / (2 L_max) (L_max = 6m = 18): still fits, same decoding.
    let tilt = &eta / int(36);
    let tilted = Network::new(
        net.activation,
        net.neurons
            .iter()
            .map(|n| {
                let mut n = n.clone();
                if n.a == Rational::ONE {
                    n.w[0] = &n.w[0] - &tilt;
                }
                n
            })
            .collect(),
    );
    assert!(fits(&inst, &tilted));
    assert_eq!(decode(&inst, &tilted).unwrap().assignment, a);
    // Moving a line by 2*eta breaks a window point.
    let mut broken = net.clone();
    broken.neurons[0].b = &broken.neurons[0].b - &eta * int(2);
    assert!(!fits(&inst, &broken));
    assert!(decode(&inst, &broken).is_err());
}

/// A tiny deterministic generator (no external randomness in tests).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % bound as u64) as usize
    }
}

fn random_formula(rng: &mut Lcg, max_m: usize, max_n: usize) -> Formula {
    let n = 1 + rng.next(max_n);
    let m = 1 + rng.next(max_m);
    let clauses = (0..m)
        .map(|_| [1 + rng.next(n), 1 + rng.next(n), 1 + rng.next(n)])
        .collect();
    Formula {
        num_vars: n,
        clauses,
    }
}

#[test]
fn unsatisfiable_tiny_formulas_have_no_fitting_canonical_network() {
    let mut fixed = vec![
        Formula {
            num_vars: 1,
            clauses: vec![[1, 1, 1]],
        },
        Formula {
            num_vars: 2,
            clauses: vec![[1, 1, 2], [2, 2, 1]],
        },
        Formula {
            num_vars: 3,
            clauses: vec![[1, 2, 2], [1, 1, 2], [1, 2, 3]],
        },
    ];
    let mut rng = Lcg(7);
    while fixed.len() < 8 {
        let f = random_formula(&mut rng, 3, 3);
        if solutions(&f).is_empty() {
            fixed.push(f);
        }
    }
    for f in &fixed {
        assert!(solutions(f).is_empty(), "{f:?} is satisfiable");
        let inst = reduce_t(f);
        for ch in all_choices(f) {
            let net = canonical(&inst, &ch);
            assert!(!fits(&inst, &net), "{f:?}: {ch:?} fits");
        }
    }
}

#[test]
fn random_satisfiable_formulas_round_trip() {
    let mut rng = Lcg(2026);
    let mut done = 0;
    while done < 10 {
        let f = random_formula(&mut rng, 3, 4);
        let sols = solutions(&f);
        if sols.is_empty() {
            continue;
        }
        done += 1;
        let inst = reduce_t(&f);
        let (m, n) = (f.num_clauses(), f.num_vars);
        assert_eq!(inst.points.len(), 32 * m + 25 * n);
        assert_eq!(inst.k, 2 * (m + n));
        // Exactly the canonical networks of solutions fit.
        let mut fitting = BTreeSet::new();
        for ch in all_choices(&f) {
            if fits(&inst, &canonical(&inst, &ch)) {
                fitting.insert(ch.values.values.clone());
                assert_eq!(f.chosen_literals(&ch.values), Some(ch.literals.clone()));
            }
        }
        let expected: BTreeSet<Vec<bool>> = sols.iter().map(|a| a.values.clone()).collect();
        assert_eq!(fitting, expected, "{f:?}");
        for a in &sols {
            let net = lift(&inst, a, None).unwrap();
            assert!(fits(&inst, &net));
            let d = decode(&inst, &net).unwrap();
            assert_eq!(&d.assignment, a);
            let (got, lits) = probe_decode(&f, &net).unwrap();
            assert_eq!(got, *a);
            assert_eq!(Some(lits), f.chosen_literals(a));
        }
    }
}

/// The layout facts (L1)-(L7) of docs/corollary8-threshold.md, section 2, checked exactly.
fn check_layout_facts(f: &Formula) {
    use relufit::num::abs;
    use relufit::reduce::poits::threshold::{arm_length, x_bound};
    let layout = Layout::new(f);
    let eta = margin(&layout);
    let eps = &layout.epsilon;
    let big = &layout.big_delta;
    let x = x_bound(&layout);
    let l_max = layout.gadgets.iter().map(arm_length).max().unwrap();
    let one = Rational::ONE;
    assert!(eta < ratio(1, 4));
    for g in &layout.gadgets {
        let l = arm_length(g);
        // (L1)
        for s in &g.slopes {
            assert!(abs(s) <= one && eps * abs(s) <= ratio(1, 3));
        }
        // (L5): evenly spaced, L * gap = 3.
        for w in g.slopes.windows(2) {
            assert_eq!(&l * (&w[1] - &w[0]), int(3));
        }
        // (L3) band separation and (L4).
        assert!(*big > int(2) + &eta * int(2) + &l * (int(2) + &eta * int(6)));
        assert!(eta < one.clone() / (int(3) * &l));
        // (L2)
        for h in &layout.gadgets {
            if h.role != g.role {
                assert!(abs(&(&g.centre - &h.centre)) >= *big);
            }
        }
    }
    // (L3), Lemma A1 form.
    let reach = std::cmp::max(int(4), &one + &eta + &l_max);
    assert!(*big > &one + &l_max + reach);
    // (L6), (L7).
    for p in layout.p_points() {
        assert!(p.x[0] > Rational::ZERO && p.x[0] <= x);
        for g in &layout.gadgets {
            for s in &g.slopes {
                let u = &p.x[1] - &g.centre - s * &p.x[0];
                let passing = match g.role {
                    GadgetRole::Clause(j) => j == p.clause && *s == g.slopes[p.r - 1],
                    GadgetRole::Variable(i) => i == p.var && *s == one,
                };
                if passing {
                    assert_eq!(u, Rational::ZERO);
                } else {
                    assert!(abs(&u) >= int(2), "{p:?} {:?} {s}", g.role);
                }
            }
        }
    }
}

#[test]
fn layout_facts_hold() {
    check_layout_facts(&figure5());
    let mut rng = Lcg(99);
    for _ in 0..20 {
        check_layout_facts(&random_formula(&mut rng, 6, 8));
    }
    check_layout_facts(&Formula {
        num_vars: 3,
        clauses: vec![],
    });
}

#[test]
fn padded_threshold_instances_lift_and_decode() {
    use relufit::io::{instance_from_json, instance_to_json};
    use relufit::model::Loss;
    let f = figure5();
    let a = Assignment::from_true_vars(5, &[1, 3]);
    for (loss, gamma) in [
        (Loss::Squared, ratio(8, 9)),
        (Loss::Abs, ratio(3, 4)),
        (Loss::ZeroOne, int(2)),
    ] {
        let opts = PoitsOptions {
            activation: Activation::Threshold,
            dim: 3,
            gamma: gamma.clone(),
            loss,
        };
        let inst = reduce(&f, &opts).unwrap();
        assert_eq!(inst.activation, Activation::Threshold);
        assert_eq!(inst.dim(), 3);
        assert_eq!(inst.k, 16);
        assert!(inst.points.len() > 221);
        assert_eq!(inst.meta["reduction"], "poits-corollary8");
        let net = lift(&inst, &a, None).unwrap();
        let report = verify(&inst, &net).unwrap();
        assert!(report.passes(), "{loss}");
        assert_eq!(report.error, gamma, "{loss}");
        // A non-zero third weight: decoded in the plane.
        let mut tilted = net.clone();
        for n in &mut tilted.neurons {
            n.w[2] = ratio(5, 7);
        }
        let d = decode(&inst, &tilted).unwrap();
        assert_eq!(d.assignment, a);
        assert_eq!(d.choices, vec![3, 2, 3]);
        let bad = lift(&inst, &Assignment::from_true_vars(5, &[1]), None).unwrap();
        assert!(verify(&inst, &bad).unwrap().error > gamma, "{loss}");
        let back = instance_from_json(&instance_to_json(&inst), "mem").unwrap();
        assert_eq!(decode(&back, &net).unwrap().assignment, a);
    }
}

/// Step 6 of the doc: a stripe whose two lines have different allowed slopes, or a common
/// slope between two allowed ones, cannot fit its gadget (all other stripes canonical).
#[test]
fn mixed_or_intermediate_slopes_do_not_fit() {
    use relufit::reduce::poits::threshold::stripe_neurons;
    let (f, net, _) = figure5_net();
    let inst = reduce_t(&f);
    assert!(fits(&inst, &net));
    let layout = Layout::new(&f);
    let mut tried = 0;
    for (gi, g) in layout.gadgets.iter().enumerate() {
        for (ia, sa) in g.slopes.iter().enumerate() {
            for (ib, sb) in g.slopes.iter().enumerate() {
                // lower line with slope sa, upper line with slope sb.
                let lower = stripe_neurons(&g.centre, sa)[0].clone();
                let upper = stripe_neurons(&g.centre, sb)[1].clone();
                let mut neurons = net.neurons.clone();
                neurons[2 * gi] = lower;
                neurons[2 * gi + 1] = upper;
                let candidate = Network::new(net.activation, neurons);
                if ia != ib {
                    assert!(!fits(&inst, &candidate), "{:?} {sa} {sb}", g.role);
                    tried += 1;
                }
                if ib == ia + 1 {
                    let mid = (sa + sb) * ratio(1, 2);
                    let mut neurons = net.neurons.clone();
                    let [lo, up] = stripe_neurons(&g.centre, &mid);
                    neurons[2 * gi] = lo;
                    neurons[2 * gi + 1] = up;
                    assert!(!fits(&inst, &Network::new(net.activation, neurons)));
                    tried += 1;
                }
            }
        }
    }
    assert_eq!(tried, 3 * (6 + 2) + 5 * (2 + 1));
}
