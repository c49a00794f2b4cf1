//! Corollary 9 (threshold) and the single-ReLU result it rests on: the reduction from
//! MULTICOLORED CLIQUE to one neuron under the `l^p` loss (`docs/corollary9-mcc.md`), both
//! solution maps, the equivalence decided by the library's exact solvers, and the sizes.

use relufit::io::{instance_from_json, instance_to_json};
use relufit::mcc::{self, Mcc, RandomOptions};
use relufit::model::{Activation, Instance, LossSpec, Network, Neuron};
use relufit::num::{int, ratio, Rational};
use relufit::reduce::mcc::{decode, lift, reduce, McOptions, Source};
use relufit::solve::{self, enumerate, Algorithm, Outcome, SolveSettings};
use relufit::verify::verify;

const ACTIVATIONS: [Activation; 2] = [Activation::Threshold, Activation::Relu];

fn opts(activation: Activation, p: u32, width: usize) -> McOptions {
    McOptions {
        activation,
        p,
        width,
    }
}

fn colored(colors: Vec<Vec<u64>>, edges: Vec<[u64; 2]>) -> Source {
    Source::Colored(Mcc::new(colors, edges).unwrap())
}

/// Every choice of one vertex per class.
fn choices(g: &Mcc) -> Vec<Vec<u64>> {
    let mut out = vec![vec![]];
    for class in g.colors() {
        out = out
            .into_iter()
            .flat_map(|p: Vec<u64>| {
                class.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    out
}

#[test]
fn canonical_networks_fit_exactly_the_cliques_with_error_gamma_for_every_p() {
    for seed in 0..12u64 {
        let g = mcc::random_mcc(&RandomOptions {
            kappa: 1 + seed as usize % 3,
            class_size: 1 + seed as usize % 3,
            density: (1, 2),
            seed,
        })
        .unwrap();
        let gamma = int(relufit::reduce::mcc::construction::gamma(&g) as i64);
        for act in ACTIVATIONS {
            for p in [0, 1, 2, 3] {
                let inst = reduce(&Source::Colored(g.clone()), &opts(act, p, 1)).unwrap();
                assert_eq!(inst.gamma, gamma);
                assert_eq!(inst.loss_spec(), LossSpec::lp(p));
                for choice in choices(&g) {
                    let net = lift(&inst, &choice).unwrap();
                    let report = verify(&inst, &net).unwrap();
                    let is_clique = g.check_clique(&choice).is_ok();
                    assert_eq!(
                        report.passes(),
                        is_clique,
                        "seed {seed} {act} p {p} {choice:?}"
                    );
                    if is_clique {
                        // Residuals 0 or 1: the error is the number of inactive selections.
                        assert_eq!(report.error, gamma);
                        for i in report.misfit_points(&inst) {
                            assert_eq!(report.residual(&inst, i), int(-1));
                        }
                        let d = decode(&inst, &net).unwrap();
                        assert_eq!(d.chosen, g.by_class(&choice));
                    } else {
                        assert!(report.error > gamma);
                    }
                }
            }
        }
    }
}

/// Does some single ReLU reach `l^0` error `<= gamma`? Brute force: drop groups of equal
/// points of total weight `<= gamma` and ask the single-ReLU LP (Algorithm::Single, `gamma =
/// 0`) to fit the rest exactly. A neuron with at most `gamma` non-zero residuals fits the rest
/// exactly, and conversely.
fn relu_l0_fits(inst: &Instance) -> Option<Network> {
    let mut groups: Vec<(Vec<Rational>, Rational, usize)> = Vec::new();
    for p in &inst.points {
        match groups.iter_mut().find(|(x, y, _)| *x == p.x && *y == p.y) {
            Some(g) => g.2 += 1,
            None => groups.push((p.x.clone(), p.y.clone(), 1)),
        }
    }
    let budget = usize::try_from(inst.gamma.numerator()).unwrap();
    let light: Vec<usize> = (0..groups.len())
        .filter(|&i| groups[i].2 <= budget)
        .collect();
    let mut best = None;
    let mut subsets = vec![vec![]];
    for &i in &light {
        let more: Vec<Vec<usize>> = subsets
            .iter()
            .filter(|s: &&Vec<usize>| {
                s.iter().map(|&j| groups[j].2).sum::<usize>() + groups[i].2 <= budget
            })
            .map(|s| {
                let mut t = s.clone();
                t.push(i);
                t
            })
            .collect();
        subsets.extend(more);
    }
    for dropped in subsets {
        let mut sub = inst.clone();
        sub.points = groups
            .iter()
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i))
            .flat_map(|(_, (x, y, m))| {
                std::iter::repeat_n(relufit::Point::new(x.clone(), y.clone()), *m)
            })
            .collect();
        sub.gamma = int(0);
        sub.meta = serde_json::Value::Null;
        if let Ok(Outcome::Fit { network, .. }) = solve::solve(&sub, Algorithm::Single) {
            best = Some(network);
            break;
        }
    }
    best
}

/// Decide the instance with the library's exact solvers: the enumeration (threshold: every
/// loss; ReLU: abs and squared), the brute force above for ReLU with `l^0`.
fn exact_decision(inst: &Instance) -> Option<Network> {
    if inst.activation == Activation::Relu && inst.loss_spec() == LossSpec::lp(0) {
        return relu_l0_fits(inst);
    }
    let settings = SolveSettings {
        algorithm: Algorithm::Enumerate,
        threads: 2,
        ..Default::default()
    };
    match enumerate::solve(inst, &settings, false).unwrap().outcome {
        Outcome::Fit {
            network, report, ..
        } => {
            assert!(report.passes());
            Some(network)
        }
        Outcome::NoFit { .. } => None,
        Outcome::Unknown { reason, .. } => panic!("unknown: {reason}"),
    }
}

#[test]
fn exact_single_neuron_solvers_agree_with_the_clique_solver() {
    let graphs = [
        // kappa = 2: a clique {1, 4}; none.
        colored(vec![vec![1, 2], vec![3, 4]], vec![[1, 4]]),
        colored(vec![vec![1, 2], vec![3, 4]], vec![]),
        // kappa = 3: {1, 2, 4}; the triangle is broken.
        colored(
            vec![vec![1], vec![2], vec![3, 4]],
            vec![[1, 2], [2, 4], [1, 4], [1, 3]],
        ),
        colored(
            vec![vec![1], vec![2], vec![3, 4]],
            vec![[1, 2], [2, 4], [1, 3]],
        ),
    ];
    let mut seen = [0usize; 2];
    for source in &graphs {
        let g = source.mcc().unwrap();
        let has_clique = mcc::solve(&g).is_some();
        for act in ACTIVATIONS {
            for p in [0, 1, 2] {
                let inst = reduce(source, &opts(act, p, 1)).unwrap();
                let found = exact_decision(&inst);
                assert_eq!(
                    found.is_some(),
                    has_clique,
                    "{act}, p = {p}, graph {:?}",
                    g.colors()
                );
                if let Some(net) = found {
                    // Whatever neuron the solver found (not the canonical one in general)
                    // decodes to a multicoloured clique.
                    let d = decode(&inst, &net).unwrap();
                    g.check_clique(&d.chosen).unwrap();
                }
                seen[usize::from(has_clique)] += 1;
            }
        }
    }
    assert!(seen[0] > 0 && seen[1] > 0);
}

#[test]
fn decode_reads_the_function_not_the_parameters() {
    let source = colored(
        vec![vec![1, 2], vec![3, 4, 5], vec![6, 7]],
        vec![[2, 5], [5, 7], [2, 7], [1, 3], [4, 6]],
    );
    for act in ACTIVATIONS {
        let inst = reduce(&source, &opts(act, 2, 1)).unwrap();
        let net = lift(&inst, &[7, 2, 5]).unwrap();
        let n = &net.neurons[0];
        // Rescaled: (w, b) by 5/3 (ReLU: output weight by 3/5).
        let lam = ratio(5, 3);
        let scaled = Neuron::new(
            n.w.iter().map(|x| x * &lam).collect(),
            &n.b * &lam,
            if act == Activation::Relu {
                &n.a / &lam
            } else {
                n.a.clone()
            },
        );
        // Split into two halves (on a copy with k = 2: outside the theorem, still decoded
        // and checked).
        let half = Neuron::new(n.w.clone(), n.b.clone(), &n.a / int(2));
        let wide = Instance {
            k: 2,
            ..inst.clone()
        };
        for (instance, candidate) in [
            (&inst, Network::new(act, vec![scaled])),
            (&wide, Network::new(act, vec![half.clone(), half])),
        ] {
            let d = decode(instance, &candidate).unwrap();
            assert_eq!(d.chosen, vec![2, 5, 7]);
            assert!(d.canonical_report.passes());
        }
        // A non-clique does not decode.
        let wrong = lift(&inst, &[1, 3, 6]).unwrap();
        assert!(decode(&inst, &wrong).is_err());
        // JSON round trip keeps everything decodable.
        let back = instance_from_json(&instance_to_json(&inst), "back.json").unwrap();
        assert_eq!(decode(&back, &net).unwrap().chosen, vec![2, 5, 7]);
    }
}

#[test]
fn dimacs_sources_use_kappa_copies_and_report_graph_vertices() {
    let graph = mcc::parse_dimacs_graph(
        "p edge 5 7\ne 1 2\ne 1 3\ne 2 3\ne 3 4\ne 4 5\ne 3 5\ne 2 4\n",
        "g.clq",
    )
    .unwrap();
    for (kappa, clique, yes) in [(3, vec![3, 4, 5], true), (4, vec![1, 2, 3, 4], false)] {
        let source = Source::Copies {
            graph: graph.clone(),
            kappa,
        };
        let inst = reduce(&source, &opts(Activation::Threshold, 1, 1)).unwrap();
        let net = lift(&inst, &clique).unwrap();
        assert_eq!(verify(&inst, &net).unwrap().passes(), yes);
        if yes {
            assert_eq!(decode(&inst, &net).unwrap().clique, vec![3, 4, 5]);
        }
    }
}

#[test]
fn edited_instances_are_refused() {
    let source = colored(vec![vec![1, 2], vec![3, 4]], vec![[1, 4]]);
    let inst = reduce(&source, &opts(Activation::Relu, 1, 1)).unwrap();
    let mut moved = inst.clone();
    moved.points[3].y = int(5);
    assert!(lift(&moved, &[1, 4])
        .unwrap_err()
        .to_string()
        .contains("points[3] differs"));
    let mut other_p = inst.clone();
    other_p.set_loss(LossSpec::lp(3));
    assert!(lift(&other_p, &[1, 4]).is_err());
    let mut no_meta = inst.clone();
    no_meta.meta = serde_json::Value::Null;
    assert!(lift(&no_meta, &[1, 4])
        .unwrap_err()
        .to_string()
        .contains("reduce mcc"));
    assert!(lift(&inst, &[1, 2])
        .unwrap_err()
        .to_string()
        .contains("--clique"));
}

#[test]
fn lp_losses_beyond_two_are_verified_exactly() {
    let source = colored(vec![vec![1, 2], vec![3, 4, 5]], vec![[2, 5]]);
    for act in ACTIVATIONS {
        let inst = reduce(&source, &opts(act, 5, 1)).unwrap();
        assert!(instance_to_json(&inst).contains("\"loss\": \"lp:5\""));
        let net = lift(&inst, &[2, 5]).unwrap();
        let report = verify(&inst, &net).unwrap();
        assert_eq!(report.error, int(3));
        // A neuron whose output weight is off by 1/2 pays (1/2)^5 at every active point.
        let mut off = net.clone();
        off.neurons[0].a = ratio(3, 2);
        if act == Activation::Threshold {
            let e = verify(&inst, &off).unwrap().error;
            assert!(e > int(3), "{e}");
        }
    }
}

#[test]
fn sizes_follow_the_formulas_of_section_6() {
    use relufit::reduce::mcc::construction::{gamma, non_edges};
    for seed in 0..20u64 {
        let g = mcc::random_mcc(&RandomOptions {
            kappa: 1 + seed as usize % 5,
            class_size: 1 + seed as usize % 4,
            density: (1 + seed % 3, 4),
            seed,
        })
        .unwrap();
        let n_max = g.colors().iter().map(Vec::len).max().unwrap();
        for p in [0u32, 1, 2, 3] {
            let inst = reduce(
                &Source::Colored(g.clone()),
                &opts(Activation::Threshold, p, 1),
            )
            .unwrap();
            let pow = 3usize.pow(p);
            let nv = g.num_vertices();
            let ne = non_edges(&g);
            let points = gamma(&g) * pow
                + 1
                + g.colors()
                    .iter()
                    .map(|c| (c.len() + 1) * ((c.len() - 1) * pow + 1))
                    .sum::<usize>()
                + nv
                + ne;
            assert_eq!(inst.len(), points);
            assert_eq!(inst.distinct_inputs(), 1 + 2 * nv + g.kappa() + ne);
            assert_eq!(inst.dim(), 2 * g.kappa() + 1);
            assert_eq!(inst.gamma, int((nv - g.kappa()) as i64));
            let bound = int((9 * n_max * n_max).max(16 * n_max) as i64);
            for pt in &inst.points {
                for v in &pt.x {
                    assert!(v.denominator() == &relufit::num::Natural::ONE);
                    assert!(relufit::num::abs(v) <= bound);
                }
            }
        }
    }
}

#[test]
fn the_figure_draws_every_point_of_every_class() {
    let svg = relufit::reduce::mcc::figure::example();
    // Classes of 3, 2, 2 vertices: 4 + 3 + 3 tangents, 7 selections, one zero line each.
    assert_eq!(svg.matches(r#"class="tangent""#).count(), 10);
    assert_eq!(svg.matches(r#"class="selection""#).count(), 7);
    assert_eq!(svg.matches(r#"class="zero""#).count(), 3);
    assert!(svg.contains("colour class 1 (vertices [1, 2, 3])"));
}
