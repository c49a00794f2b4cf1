//! Development aid: run the pattern search on an instance file and print its counters.
//!
//! `patterns_probe INSTANCE [SECONDS] [optimize]`
use relufit::solve::patterns;
use relufit::solve::{Algorithm, SolveSettings};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read");
    let inst = relufit::io::instance_from_json(&text, &args[1]).expect("parse");
    let limit = args
        .get(2)
        .map(|s| s.parse::<f64>().expect("seconds"))
        .unwrap_or(60.0);
    let settings = SolveSettings {
        algorithm: Algorithm::Patterns,
        time_limit: Some(Duration::from_secs_f64(limit)),
        optimize: args.get(3).is_some_and(|a| a == "optimize"),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let sol = patterns::solve_detailed(&inst, &settings).expect("applies");
    let kind = match sol.outcome {
        relufit::solve::Outcome::Fit { .. } => "fit",
        relufit::solve::Outcome::NoFit { .. } => "no-fit",
        relufit::solve::Outcome::Unknown { .. } => "unknown",
    };
    #[allow(clippy::print_stdout)]
    {
        println!("{kind} in {:.3} s", t.elapsed().as_secs_f64());
        println!("{:#?}", sol.stats);
    }
}
