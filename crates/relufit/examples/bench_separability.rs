//! Sizes and times of the Theorem 7 / Corollary 10 reductions: planted instances with
//! m = |Q| + |P| in {10, 100, 1000}, d in {2, 10}; times for reduce, lift (which includes one
//! exact verification), a separate verify, and decode (which verifies again); bit sizes of
//! the coordinates. Prints a Markdown table.
//!
//! Run: `cargo run --release -p relufit --example bench_separability [max_m]`.
#![allow(clippy::print_stdout)]

use relufit::num::{bit_size, Rational};
use relufit::reduce::separability::{decode, lift, planted, reduce, PlantedOptions, ReduceOptions};
use relufit::verify::verify;
use relufit::Activation;
use std::time::Instant;

fn bits(values: impl Iterator<Item = Rational>) -> (usize, f64) {
    let (mut max, mut sum, mut n) = (0usize, 0usize, 0usize);
    for v in values {
        let b = bit_size(&v);
        max = max.max(b);
        sum += b;
        n += 1;
    }
    (max, sum as f64 / n.max(1) as f64)
}

fn main() {
    let max_m: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    println!("| act | d | m | |X| | reduce | lift (+verify) | verify | decode | coord bits max / mean | net bits max |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for act in [Activation::Relu, Activation::Threshold] {
        for d in [2usize, 10] {
            for m in [10usize, 100, 1000] {
                if m > max_m {
                    continue;
                }
                let pl = planted(&PlantedOptions {
                    dim: d,
                    num_q: m / 2,
                    num_p: m - m / 2,
                    seed: (m * 31 + d) as u64,
                    range: 100,
                    denominator: 7,
                    eps: None,
                })
                .expect("planting");
                let opts = ReduceOptions {
                    activation: act,
                    ..ReduceOptions::default()
                };
                let t = Instant::now();
                let inst = reduce(&pl.instance, &opts).expect("reduce");
                let t_reduce = t.elapsed();
                let t = Instant::now();
                let net = lift(&inst, &pl.hyperplanes).expect("lift");
                let t_lift = t.elapsed();
                let t = Instant::now();
                let rep = verify(&inst, &net).expect("verify");
                let t_verify = t.elapsed();
                assert!(rep.passes());
                let t = Instant::now();
                let dec = decode(&inst, &net).expect("decode");
                let t_decode = t.elapsed();
                assert!(dec.restricted);
                let (cmax, cmean) = bits(inst.points.iter().flat_map(|p| p.x.iter().cloned()));
                let (nmax, _) = bits(
                    net.neurons
                        .iter()
                        .flat_map(|n| n.w.iter().cloned().chain([n.b.clone(), n.a.clone()])),
                );
                println!(
                    "| {act} | {d} | {m} | {} | {:.3} s | {:.3} s | {:.3} s | {:.3} s | {cmax} / {cmean:.1} | {nmax} |",
                    inst.len(),
                    t_reduce.as_secs_f64(),
                    t_lift.as_secs_f64(),
                    t_verify.as_secs_f64(),
                    t_decode.as_secs_f64(),
                );
            }
        }
    }
}
