//! ExactFit on planted convex instances (the sizes of issue 4): fits and near-miss "no"s.
//!
//! Criterion's minimum of 10 samples makes the n = 200 cases slow (seconds per run); they
//! run only with `RELUFIT_BENCH_LARGE=1`. Node and LP counts are printed once per instance
//! (they are deterministic). The MILP comparison is `bench/compare/milp_vs_exactfit.py`.

#![allow(missing_docs, clippy::print_stderr)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use relufit::planted::{planted, PlantedSpec};
use relufit::solve::{solve_with, Algorithm, Outcome, Signs, SolveSettings};
use std::time::Duration;

fn bench_exactfit(c: &mut Criterion) {
    let large = std::env::var_os("RELUFIT_BENCH_LARGE").is_some();
    let mut cases = vec![(2, 3, 50), (2, 3, 100), (3, 2, 100)];
    if large {
        cases.push((2, 3, 200));
    }
    let mut group = c.benchmark_group("exactfit");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (d, k, n) in cases {
        for near_miss in [false, true] {
            let p = planted(&PlantedSpec {
                d,
                k,
                n,
                near_miss,
                seed: 1,
                ..Default::default()
            });
            let settings = SolveSettings {
                algorithm: Algorithm::ExactFit,
                signs: Some(Signs::Convex),
                ..Default::default()
            };
            let sol = solve_with(&p.instance, &settings).expect("applies");
            let kind = match sol.outcome {
                Outcome::Fit { .. } => "fit",
                Outcome::NoFit { .. } => "no",
                Outcome::Unknown { .. } => "unknown",
            };
            let id = format!(
                "d{d}k{k}/{}",
                if near_miss { "near-miss" } else { "planted" }
            );
            eprintln!(
                "{id} n={n}: {kind}, {} nodes, {} LPs, max depth {}",
                sol.stats.nodes, sol.stats.lps, sol.stats.max_depth
            );
            group.bench_with_input(BenchmarkId::new(id, n), &p.instance, |b, inst| {
                b.iter(|| solve_with(inst, &settings).expect("applies"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_exactfit);
criterion_main!(benches);
