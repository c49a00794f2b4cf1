//! `relufit gen planted`: random ReLU networks (convex, concave, or with mixed output signs)
//! and the data they label exactly, or near misses (one label nudged), for solver tests and
//! benchmarks.

use super::CmdResult;
use crate::args::SignsArg;
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{instance_to_json, network_to_json, write_atomic};
use relufit::planted::{planted, PlantedSigns, PlantedSpec};
use std::path::PathBuf;

/// `relufit gen planted`.
#[derive(Debug, Args)]
pub struct PlantedArgs {
    /// Input dimension d.
    #[arg(short = 'd', long, default_value_t = 2)]
    pub dim: usize,
    /// Number of neurons k.
    #[arg(short, long, default_value_t = 2)]
    pub k: usize,
    /// Number of data points n.
    #[arg(short, long, default_value_t = 50)]
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
    /// Coordinates are multiples of 1/DENOMINATOR in [-RANGE, RANGE].
    #[arg(long, default_value_t = 10)]
    pub range: i64,
    /// Denominator of the coordinates.
    #[arg(long, default_value_t = 4)]
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
pub fn run(a: &PlantedArgs) -> CmdResult {
    if let Some(n) = a.negative.filter(|&n| n > a.k) {
        return Err(relufit::Error::input(
            "--negative",
            format!("{n} negative neurons requested, but k = {}", a.k),
        ));
    }
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
    write_atomic(&a.output, instance_to_json(&p.instance).as_bytes())?;
    if let Some(path) = &a.network {
        write_atomic(path, network_to_json(&p.network).as_bytes())?;
    }
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
