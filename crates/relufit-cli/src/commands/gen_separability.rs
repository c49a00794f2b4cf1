//! `relufit gen separability`: a planted 2-hyperplane separability instance.

use super::{check_outputs, parse_eps, CmdResult};
use crate::args::{count, grid};
use crate::output::{self, Status};
use clap::Args;
use relufit::io::write_outputs;
use relufit::limits::{self, MAX_POINTS};
use relufit::reduce::separability as sep;
use std::path::PathBuf;

/// `relufit gen separability`.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Dimension d (1..=10000).
    #[arg(long, default_value_t = 2, value_parser = count(1, limits::MAX_DIMENSION))]
    pub dim: usize,
    /// |Q| (1..=1000000).
    #[arg(long = "num-q", default_value_t = 4, value_parser = count(1, MAX_POINTS))]
    pub num_q: usize,
    /// |P| (0..=1000000).
    #[arg(long = "num-p", default_value_t = 6, value_parser = count(0, MAX_POINTS))]
    pub num_p: usize,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Coordinates lie in [-range, range] (1..=1000000000).
    #[arg(long, default_value_t = 10, value_parser = grid)]
    pub range: i64,
    /// Coordinates are multiples of 1/denominator (1..=1000000000).
    #[arg(long, default_value_t = 1, value_parser = grid)]
    pub denominator: i64,
    /// Margin eps > 0 of (5); default m^-3.
    #[arg(long)]
    pub eps: Option<String>,
    /// Output: relufit-separability/1 JSON (or CSV if the name ends in .csv).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write the planted hyperplanes here (relufit-hyperplanes/1 JSON).
    #[arg(long)]
    pub hyperplanes: Option<PathBuf>,
}

/// `relufit gen separability`.
pub(crate) fn run(a: &GenArgs) -> CmdResult {
    check_outputs(&[], &[Some(&a.output), a.hyperplanes.as_deref()])?;
    let eps = a.eps.as_deref().map(parse_eps).transpose()?;
    limits::check_numbers(
        "--num-q, --num-p, --dim",
        "the instance",
        a.num_q + a.num_p,
        a.dim,
    )?;
    let pl = sep::planted(&sep::PlantedOptions {
        dim: a.dim,
        num_q: a.num_q,
        num_p: a.num_p,
        seed: a.seed,
        range: a.range,
        denominator: a.denominator,
        eps,
    })?;
    let csv = a
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let text = if csv {
        sep::separability_to_csv(&pl.instance)
    } else {
        sep::separability_to_json(&pl.instance)
    };
    let planes = sep::hyperplanes_to_json(&pl.hyperplanes);
    let mut outputs = vec![(a.output.as_path(), text.as_bytes())];
    if let Some(h) = &a.hyperplanes {
        outputs.push((h.as_path(), planes.as_bytes()));
    }
    write_outputs(&outputs)?;
    output::line(format!(
        "planted instance (d = {}, |Q| = {}, |P| = {}, eps = {}) written to {}",
        a.dim,
        a.num_q,
        a.num_p,
        pl.eps,
        a.output.display()
    ));
    Ok(Status::Success)
}
