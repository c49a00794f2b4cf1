//! Measurements for `docs/benchmarks-enumerate.md`: dichotomy enumeration speed, time to a
//! certified optimum (d = 2, k = 2, abs loss, noisy planted data with mixed output signs),
//! the gamma = 0 decision at n = 100, 1 vs 2 threads, and pruning statistics.
//!
//! `cargo run --release -p relufit --example enumerate_bench -- OUT_DIR [--quick]` writes the
//! instances to `OUT_DIR` (for `bench/compare/milp_vs_enumerate.py`) and prints Markdown.

#![allow(clippy::print_stdout)]

use relufit::geometry::{cover_count, dichotomies};
use relufit::io::instance_to_json;
use relufit::model::Instance;
use relufit::num::{ratio, Rational};
use relufit::solve::enumerate::{self, EnumerateOptions, SearchResult};
use relufit::solve::{Algorithm, SolveSettings};
use std::path::PathBuf;
use std::time::Instant;

use relufit::planted::mixed_signs as planted;

fn run(inst: &Instance, threads: usize, optimize: bool) -> (SearchResult, f64) {
    let settings = SolveSettings {
        algorithm: Algorithm::Enumerate,
        threads,
        ..Default::default()
    };
    let opts = EnumerateOptions {
        optimize,
        ..Default::default()
    };
    let t = Instant::now();
    let r = enumerate::search(inst, &settings, &opts).expect("enumeration applies");
    (r, t.elapsed().as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "enumerate_bench OUT_DIR [--quick]   write the instances to OUT_DIR, print the tables\n\
             enumerate_bench OUT_DIR --case N SEED THREADS   one abs-optimum case"
        );
        return;
    }
    let out = PathBuf::from(args.get(1).cloned().unwrap_or_else(|| "bench-out".into()));
    let quick = args.iter().any(|a| a == "--quick");
    std::fs::create_dir_all(&out).expect("output directory");
    if let Some(p) = args.iter().position(|a| a == "--case") {
        // One abs-loss case: `--case N SEED THREADS`.
        let num = |k: usize| {
            args.get(p + k)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(1)
        };
        let inst = planted(num(1) as usize, num(2), true);
        let (r, t) = run(&inst, num(3) as usize, true);
        println!("{t:.2} s, optimum {}, {:?}", r.best_error, r.stats);
        return;
    }

    println!("## Dichotomy enumeration (d = 2, random integer points)\n");
    println!("| n | dichotomies | Cover n^2-n+2 | seconds |");
    println!("|---|---|---|---|");
    for n in [15, 25, 40, 100] {
        let inst = planted(n, 7, false);
        let xs: Vec<&[Rational]> = inst.points.iter().map(|p| p.x.as_slice()).collect();
        let t = Instant::now();
        let d = dichotomies(&xs);
        println!(
            "| {n} | {} | {} | {:.3} |",
            d.len(),
            cover_count(n, 2),
            t.elapsed().as_secs_f64()
        );
    }

    println!("\n## Certified optimum, abs loss, d = 2, k = 2, noisy planted (mixed signs)\n");
    println!(
        "| instance | optimum | 1 thread (s) | 2 threads (s) | speed-up | naive 2^k D^k | \
         k-subsets | cut while enumerating | cut by incumbent | leaves compared (closed by dual bound; last improvement at) | LPs | \
         dichotomies (s) | bounds+sort (s) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    // Instances for the MILP comparison (n = 40 is measured there, with a time limit).
    for n in [15, 25, 40] {
        for seed in [1u64, 2] {
            let inst = planted(n, seed, true);
            let name = format!("noisy-n{n}-s{seed}");
            std::fs::write(out.join(format!("{name}.json")), instance_to_json(&inst))
                .expect("write instance");
        }
    }
    let cases: &[(usize, u64)] = if quick {
        &[(15, 1)]
    } else {
        &[(15, 1), (15, 2), (25, 1), (25, 2), (40, 1), (40, 2)]
    };
    for &(n, seed) in cases {
        {
            let inst = planted(n, seed, true);
            let name = format!("noisy-n{n}-s{seed}");
            let (r1, t1) = run(&inst, 1, true);
            let (r2, t2) = run(&inst, 2, true);
            assert!(r1.exhaustive && r2.exhaustive);
            assert_eq!(r1.best_error, r2.best_error);
            let s = &r1.stats;
            println!(
                "| {name} | {} | {t1:.2} | {t2:.2} | {:.2} | {} | {} | {} | {} | {} ({}; {}) | {} | {:.2} | {:.2} |",
                r1.best_error,
                t1 / t2,
                s.naive_leaves,
                s.leaves,
                s.cut_by_bound,
                s.cut_by_incumbent,
                s.solved,
                s.cut_by_dual_bound,
                s.last_improvement,
                s.lps,
                s.dichotomy_time.as_secs_f64(),
                s.bound_time.as_secs_f64(),
            );
        }
    }

    println!("\n## gamma = 0 decision (exact planted labels, mixed signs)\n");
    println!("| instance | answer | 1 thread (s) | 2 threads (s) | k-subsets | cut by bound | cut by pair test (LPs) | solved | LPs |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let sizes: &[usize] = if quick { &[40] } else { &[40, 100] };
    for &n in sizes {
        let inst = planted(n, 3, false);
        let name = format!("exact-n{n}");
        std::fs::write(out.join(format!("{name}.json")), instance_to_json(&inst))
            .expect("write instance");
        let (r1, t1) = run(&inst, 1, false);
        let (r2, t2) = run(&inst, 2, false);
        assert_eq!(r1.fit_found, r2.fit_found);
        let s = &r1.stats;
        println!(
            "| {name} | {} | {t1:.2} | {t2:.2} | {} | {} | {} ({}) | {} | {} |",
            if r1.fit_found {
                "fit (error 0)"
            } else {
                "no fit"
            },
            s.leaves,
            s.cut_by_bound,
            s.cut_by_pair_test,
            s.pair_test_lps,
            s.solved,
            s.lps
        );
        // A "no" instance: one label nudged off the planted network.
        let mut near = inst.clone();
        near.points[0].y += ratio(1, 7);
        let (r3, t3) = run(&near, 1, false);
        let (r4, t4) = run(&near, 2, false);
        assert_eq!(r3.fit_found, r4.fit_found);
        let s = &r3.stats;
        println!(
            "| {name}-nudged | {} | {t3:.2} | {t4:.2} | {} | {} | {} ({}) | {} | {} |",
            if r3.fit_found {
                "fit (error 0)"
            } else if r3.exhaustive {
                "no fit (exhaustive)"
            } else {
                "stopped"
            },
            s.leaves,
            s.cut_by_bound,
            s.cut_by_pair_test,
            s.pair_test_lps,
            s.solved,
            s.lps
        );
    }
}
