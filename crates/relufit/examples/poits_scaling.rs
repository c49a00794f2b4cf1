//! Scaling of the Theorem 1 / Corollary 8 pipeline on planted formulas: time and memory to
//! reduce, lift and verify, and the bytes of the instance JSON.
//!
//! `cargo run --release -p relufit --example poits_scaling -- [relu|threshold] SIZE...`
//! (default: relu 100 1000). Each SIZE is m = n. Prints one table row per size.
#![allow(clippy::print_stdout)]

use relufit::io::{instance_to_json, network_to_json};
use relufit::reduce::poits::{self, PoitsOptions};
use relufit::sat;
use relufit::verify::verify;
use relufit::Activation;
use std::time::Instant;

/// Peak resident memory of this process so far, from /proc (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let activation = match args.first().map(String::as_str) {
        Some("threshold") => {
            args.remove(0);
            Activation::Threshold
        }
        Some("relu") => {
            args.remove(0);
            Activation::Relu
        }
        _ => Activation::Relu,
    };
    let sizes: Vec<usize> = if args.is_empty() {
        vec![100, 1000]
    } else {
        args.iter()
            .map(|s| s.parse().expect("sizes are integers"))
            .collect()
    };
    println!("| m = n | points | k | reduce | lift | verify | pairs/s | instance JSON | network JSON | peak RSS |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for size in sizes {
        let (formula, assignment) = sat::planted_formula(size, size, 2026).expect("planted");
        let opts = PoitsOptions {
            activation,
            ..PoitsOptions::default()
        };
        let t = Instant::now();
        let inst = poits::reduce(&formula, &opts).expect("reduce");
        let reduce = t.elapsed();
        let t = Instant::now();
        let net = poits::lift(&inst, &assignment, None).expect("lift");
        let lift = t.elapsed();
        let t = Instant::now();
        let report = verify(&inst, &net).expect("verify");
        let verify_time = t.elapsed();
        assert!(report.passes(), "the planted solution must fit");
        let json = instance_to_json(&inst).len();
        let net_json = network_to_json(&net).len();
        let pairs = report.stats.pairs as f64;
        println!(
            "| {size} | {} | {} | {:.3} s | {:.3} s | {:.1} s | {:.0} M | {:.1} MB | {:.2} MB | {:.0} MiB |",
            inst.len(),
            inst.k,
            reduce.as_secs_f64(),
            lift.as_secs_f64(),
            verify_time.as_secs_f64(),
            pairs / verify_time.as_secs_f64() / 1e6,
            json as f64 / 1e6,
            net_json as f64 / 1e6,
            peak_rss_mib().unwrap_or(f64::NAN),
        );
    }
}
