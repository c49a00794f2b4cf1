//! The pattern search (issue 12): the paper's selection gadget (Figure 2, Lemma 4), planted
//! mixed-sign instances (`gamma = 0`, fits and near misses) and `abs` optima by the branch
//! and bound, one thread each.
//!
//! Node and LP counts are printed once per case (deterministic with one thread). The MILP
//! comparison is `bench/compare/milp_vs_patterns.py`. The larger cases (`d = 3, k = 3,
//! n = 50` near miss, `abs` optimum `d = 2, k = 3, n = 20`: seconds per run) run only with
//! `RELUFIT_BENCH_LARGE=1`.

#![allow(missing_docs, clippy::print_stderr)]

use criterion::{criterion_group, criterion_main, Criterion};
use relufit::model::{Instance, Loss};
use relufit::num::{int, ratio};
use relufit::planted::{planted, PlantedSigns, PlantedSpec};
use relufit::reduce::poits::gadget::{largest_epsilon, selection_instance};
use relufit::solve::{solve_with, Algorithm, Outcome, SolveSettings};
use std::time::Duration;

/// The selection gadget of Figure 2 with slopes `-1, 0, 1` at the origin (`epsilon = 1/3`).
fn gadget(k: usize) -> Instance {
    let slopes = [int(-1), int(0), int(1)];
    selection_instance(&slopes, &largest_epsilon(&slopes), k)
}

/// A planted instance with `negative` neurons of output sign `-1` (and its near miss).
fn mixed(d: usize, k: usize, n: usize, negative: usize, near_miss: bool) -> Instance {
    planted(&PlantedSpec {
        d,
        k,
        n,
        signs: PlantedSigns::Mixed { negative },
        near_miss,
        seed: 1,
        ..Default::default()
    })
    .instance
}

/// The `--abs` recipe of `milp_vs_patterns.py`: a planted instance, noise in
/// `{-1, -1/2, 0, 1/2, 1}` on every label, the `abs` loss.
fn noisy_abs(d: usize, k: usize, n: usize) -> Instance {
    let mut inst = mixed(d, k, n, 1, false);
    for (t, p) in inst.points.iter_mut().enumerate() {
        p.y += ratio(((t * 7 + 1) % 5) as i64 - 2, 2);
    }
    inst.loss = Loss::Abs;
    inst
}

fn bench_patterns(c: &mut Criterion) {
    let large = std::env::var_os("RELUFIT_BENCH_LARGE").is_some();
    let mut cases: Vec<(String, Instance, bool)> = vec![
        ("gadget-k4-fit".into(), gadget(4), false),
        ("gadget-k3-no".into(), gadget(3), false),
        ("d2k3n50-fit".into(), mixed(2, 3, 50, 1, false), false),
        ("d2k3n50-near-miss".into(), mixed(2, 3, 50, 1, true), false),
        (
            "d2k4n100-near-miss".into(),
            mixed(2, 4, 100, 2, true),
            false,
        ),
        ("abs-d2k3n12".into(), noisy_abs(2, 3, 12), true),
    ];
    if large {
        cases.push(("d3k3n50-near-miss".into(), mixed(3, 3, 50, 1, true), false));
        cases.push(("abs-d2k3n20".into(), noisy_abs(2, 3, 20), true));
    }
    let mut group = c.benchmark_group("patterns");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (id, inst, optimize) in cases {
        let settings = SolveSettings {
            algorithm: Algorithm::Patterns,
            optimize,
            threads: 1,
            ..Default::default()
        };
        let sol = solve_with(&inst, &settings).expect("applies");
        let kind = match &sol.outcome {
            Outcome::Fit { .. } => "fit",
            Outcome::NoFit { .. } => "no",
            Outcome::Unknown { .. } => "unknown",
        };
        eprintln!(
            "{id}: {kind}, {} nodes, {} LPs, max depth {}",
            sol.stats.nodes, sol.stats.lps, sol.stats.max_depth
        );
        group.bench_function(id, |b| {
            b.iter(|| solve_with(&inst, &settings).expect("applies"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_patterns);
criterion_main!(benches);
