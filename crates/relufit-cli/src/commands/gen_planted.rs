//! `relufit gen planted`: random ReLU networks (convex, concave, or with mixed output signs)
//! and the data they label exactly, or near misses (one label nudged), for solver tests and
//! benchmarks.

use super::{check_outputs, CmdResult};
use crate::args::{count, grid, SignsArg};
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{instance_to_json, network_to_json, write_outputs};
use relufit::limits::{check_numbers, MAX_DIMENSION, MAX_POINTS, MAX_WIDTH};
use relufit::planted::{planted, PlantedSigns, PlantedSpec};
use std::path::PathBuf;

/// `relufit gen planted`.
#[derive(Debug, Args)]
pub struct PlantedArgs {
    /// Input dimension d (1..=10000).
    #[arg(short = 'd', long, default_value_t = 2, value_parser = count(1, MAX_DIMENSION))]
    pub dim: usize,
    /// Number of neurons k (1..=200000).
    #[arg(short, long, default_value_t = 2, value_parser = count(1, MAX_WIDTH))]
    pub k: usize,
    /// Number of data points n (1..=1000000).
    #[arg(short, long, default_value_t = 50, value_parser = count(1, MAX_POINTS))]
    pub n: usize,
    /// Sign class of the planted network.
    #[arg(long, value_enum, default_value_t = SignsArg::Convex)]
    pub signs: SignsArg,
    /// Mixed output signs instead: this many neurons get a_j = -1, the others +1
    /// (overrides --signs).
    #[arg(long, value_name = "COUNT")]
    pub negative: Option<usize>,
    /// Nudge one label by 1/7 (usually makes the instance infeasible).
    #[arg(long)]
    pub near_miss: bool,
    /// Coordinates are multiples of 1/DENOMINATOR in [-RANGE, RANGE] (1..=1000000000).
    #[arg(long, default_value_t = 10, value_parser = grid)]
    pub range: i64,
    /// Denominator of the coordinates (1..=1000000000).
    #[arg(long, default_value_t = 4, value_parser = grid)]
    pub denominator: i64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output instance file (JSON).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write the planted network here.
    #[arg(long)]
    pub network: Option<PathBuf>,
}

/// Run `relufit gen ...`.
pub(crate) fn run(a: &PlantedArgs) -> CmdResult {
    if let Some(n) = a.negative.filter(|&n| n > a.k) {
        return Err(relufit::Error::input(
            "--negative",
            format!("{n} negative neurons requested, but k = {}", a.k),
        ));
    }
    check_outputs(&[], &[Some(&a.output), a.network.as_deref()])?;
    check_numbers("-n, -d", "the instance", a.n, a.dim + 1)?;
    check_numbers("-k, -d", "the planted network", a.k, a.dim + 2)?;
    let spec = PlantedSpec {
        d: a.dim,
        k: a.k,
        n: a.n,
        signs: match (a.negative, a.signs) {
            (Some(negative), _) => PlantedSigns::Mixed { negative },
            (None, SignsArg::Convex) => PlantedSigns::Convex,
            (None, SignsArg::Concave) => PlantedSigns::Concave,
        },
        near_miss: a.near_miss,
        range: a.range,
        denominator: a.denominator,
        seed: a.seed,
    };
    let p = planted(&spec);
    let instance = instance_to_json(&p.instance);
    let network = network_to_json(&p.network);
    let mut outputs = vec![(a.output.as_path(), instance.as_bytes())];
    if let Some(path) = &a.network {
        outputs.push((path.as_path(), network.as_bytes()));
    }
    write_outputs(&outputs)?;
    output::line(format!(
        "wrote {} (d = {}, k = {}, n = {}, {}{})",
        a.output.display(),
        a.dim,
        a.k,
        a.n,
        spec.signs,
        match p.nudged {
            Some(i) => format!(", label of point {i} nudged by 1/7"),
            None => String::new(),
        }
    ));
    Ok(Status::Success)
}
