//! The enumeration (Arora et al.) on the benchmark family of `docs/benchmarks-enumerate.md`:
//! the certified `abs` optimum of noisy planted data (d = 2, k = 2) and the `gamma = 0`
//! decision, one thread. n = 40 takes seconds per run; it runs only with
//! `RELUFIT_BENCH_LARGE=1`. The MILP comparison is `bench/compare/milp_vs_enumerate.py`.

#![allow(missing_docs, clippy::print_stderr)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use relufit::planted::mixed_signs;
use relufit::solve::enumerate::{search, EnumerateOptions};
use relufit::solve::{Algorithm, SolveSettings};
use std::time::Duration;

fn bench_enumerate(c: &mut Criterion) {
    let large = std::env::var_os("RELUFIT_BENCH_LARGE").is_some();
    let settings = SolveSettings {
        algorithm: Algorithm::Enumerate,
        threads: 1,
        ..Default::default()
    };
    let mut group = c.benchmark_group("enumerate");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    let sizes: &[usize] = if large { &[15, 25, 40] } else { &[15, 25] };
    for &n in sizes {
        for (what, noisy, optimize) in [("abs-optimum", true, true), ("gamma0", false, false)] {
            let inst = mixed_signs(n, 1, noisy);
            let opts = EnumerateOptions {
                optimize,
                ..Default::default()
            };
            let r = search(&inst, &settings, &opts).expect("applies");
            eprintln!(
                "{what} n={n}: best error {}, {} leaves examined, {} LPs",
                r.best_error, r.stats.solved, r.stats.lps
            );
            group.bench_with_input(BenchmarkId::new(what, n), &inst, |b, inst| {
                b.iter(|| search(inst, &settings, &opts).expect("applies"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_enumerate);
criterion_main!(benches);
