//! Temporary probe: ExactFit statistics on planted instances.
#![allow(clippy::print_stdout, missing_docs)]
use relufit::planted::{planted, PlantedSpec};
use relufit::solve::{solve_with, Algorithm, Outcome, Signs, SolveSettings};
fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let (d, k, n, nm, threads) = (args[0], args[1], args[2], args[3] == 1, args[4]);
    for seed in 0..args.get(5).copied().unwrap_or(1) as u64 {
        let p = planted(&PlantedSpec {
            d,
            k,
            n,
            near_miss: nm,
            seed,
            ..Default::default()
        });
        let s = SolveSettings {
            algorithm: Algorithm::ExactFit,
            signs: Some(Signs::Convex),
            threads,
            ..Default::default()
        };
        let sol = solve_with(&p.instance, &s).unwrap();
        let o = match sol.outcome {
            Outcome::Fit { .. } => "fit",
            Outcome::NoFit { .. } => "no",
            Outcome::Unknown { .. } => "unknown",
        };
        println!("d={d} k={k} n={n} nm={nm} seed={seed}: {o} {:?}", sol.stats);
    }
}
