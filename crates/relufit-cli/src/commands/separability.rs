//! 2-HYPERPLANE SEPARABILITY commands (Theorem 7 / Corollary 10):
//! `relufit reduce separability`, `relufit lift separability`, `relufit decode separability`,
//! `relufit gen separability`, and `relufit separability decide|check|figure`.
//!
//! The clap structures live here; `args.rs` only nests the `Separability(...)` variants of
//! [`ReduceCmd`], [`LiftCmd`], [`DecodeCmd`], [`GenCmd`] under the top-level commands.

use super::{
    check_outputs, describe_instance, in_file, load_instance, load_network, parse_eps, parse_gamma,
    CmdResult,
};
use crate::args::{count, grid, TimeLimitArg};
use crate::output::{self, Status};
use clap::{Args, Subcommand};
use relufit::io::{instance_to_json, network_to_json, read_text, write_output, write_outputs};
use relufit::limits::{self, MAX_POINTS};
use relufit::reduce::separability as sep;
use relufit::{Activation, Error, Loss};
use serde_json::json;
use std::path::{Path, PathBuf};

/// `relufit separability ...`: tools for the source problem.
#[derive(Debug, Subcommand)]
pub enum SeparabilityCmd {
    /// Decide 2-hyperplane separability exactly (small instances, d <= 3 recommended).
    Decide(DecideArgs),
    /// Check hyperplanes: strict separation, restricted form (3)-(5), exact margin.
    Check(CheckArgs),
    /// Draw Figure 6 (d = 2) for a reduced instance as SVG.
    Figure(FigureArgs),
}

/// `relufit reduce separability`.
#[derive(Debug, Args)]
pub struct ReduceArgs {
    /// Source instance: relufit-separability/1 JSON, or CSV `x1,...,xd,set` (set 1 = Q, 0 = P).
    pub sets: PathBuf,
    /// Activation: relu (Theorem 7, k = 4) or threshold (Corollary 10, k = 2).
    #[arg(long, default_value = "relu")]
    pub activation: String,
    /// Margin eps > 0 (exact rational); default m^-3 with m = |Q| + |P|.
    #[arg(long)]
    pub eps: Option<String>,
    /// Target error gamma >= 0; > 0 adds padding points (squared, abs, zero-one losses).
    #[arg(long, default_value = "0")]
    pub gamma: String,
    /// Loss: squared, abs, max or zero-one.
    #[arg(long, default_value = "squared")]
    pub loss: String,
    /// Width k (default 4 for relu, 2 for threshold); a larger k pads the instance with the
    /// witness ladder (one more input coordinate), 1..=200000.
    #[arg(long, value_parser = count(1, limits::MAX_WIDTH))]
    pub width: Option<usize>,
    /// Output instance file (relufit-instance/1 JSON).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit lift separability`.
#[derive(Debug, Args)]
pub struct LiftArgs {
    /// Reduced instance (from `relufit reduce separability`).
    pub instance: PathBuf,
    /// Two hyperplanes (relufit-hyperplanes/1 JSON).
    pub hyperplanes: PathBuf,
    /// Output network file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit decode separability`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Reduced instance (from `relufit reduce separability`).
    pub instance: PathBuf,
    /// A network fitting it (relufit-network/1 JSON).
    pub network: PathBuf,
    /// Write the two hyperplanes here (relufit-hyperplanes/1 JSON).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

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

/// `relufit separability decide`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Source instance (JSON or CSV).
    pub sets: PathBuf,
    /// Write the two separating hyperplanes here when they exist.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Time limit (and Ctrl-C): see `TimeLimitArg`.
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// `relufit separability check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Source instance (JSON or CSV).
    pub sets: PathBuf,
    /// Hyperplanes (relufit-hyperplanes/1 JSON).
    pub hyperplanes: PathBuf,
    /// Margin eps > 0 for (5); default m^-3.
    #[arg(long)]
    pub eps: Option<String>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit separability figure`.
#[derive(Debug, Args)]
pub struct FigureArgs {
    /// Reduced instance in d = 2.
    pub instance: PathBuf,
    /// Network whose breaklines to draw.
    #[arg(long)]
    pub network: Option<PathBuf>,
    /// Separating lines to draw (relufit-hyperplanes/1 JSON).
    #[arg(long)]
    pub hyperplanes: Option<PathBuf>,
    /// Output SVG file.
    #[arg(short, long)]
    pub output: PathBuf,
}

fn load_sets(path: &Path) -> Result<sep::SeparabilityInstance, Error> {
    let text = read_text(path)?;
    let name = path.display().to_string();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        sep::separability_from_csv(&text, &name)
    } else {
        sep::separability_from_json(&text, &name)
    }
}

fn load_hyperplanes(path: &Path) -> Result<Vec<sep::Hyperplane>, Error> {
    let text = read_text(path)?;
    sep::hyperplanes_from_json(&text, &path.display().to_string())
}

/// Hyperplanes must live in the dimension of the points they are checked or drawn with.
fn check_dimension(hs: &[sep::Hyperplane], dim: usize, path: &Path) -> Result<(), Error> {
    match hs.iter().position(|h| h.h.len() != dim) {
        Some(i) => Err(Error::input(
            format!("{}: hyperplanes[{i}].h", path.display()),
            format!(
                "dimension {} differs from the points' dimension {dim}",
                hs[i].h.len()
            ),
        )),
        None => Ok(()),
    }
}

fn hyperplanes_json(hs: &[sep::Hyperplane]) -> serde_json::Value {
    serde_json::from_str(&sep::hyperplanes_to_json(hs)).unwrap_or_default()
}

/// `relufit reduce separability`.
pub fn run_reduce(a: &ReduceArgs) -> CmdResult {
    let limits = crate::interrupt::limits(a.limit.time_limit, None);
    check_outputs(&[&a.sets], &[Some(&a.output)])?;
    let src = load_sets(&a.sets)?;
    let activation: Activation = a
        .activation
        .parse()
        .map_err(|e: String| Error::input("--activation", e))?;
    let loss: Loss = a
        .loss
        .parse()
        .map_err(|e: String| Error::input("--loss", e))?;
    let eps = a.eps.as_deref().map(parse_eps).transpose()?;
    let opts = sep::ReduceOptions {
        activation,
        eps,
        gamma: parse_gamma(&a.gamma)?,
        loss,
        width: a.width,
    };
    let inst = sep::reduce_within(&src, &opts, &limits).map_err(in_file(&a.sets))?;
    let text = instance_to_json(&inst);
    limits.check()?;
    write_output(&a.output, text.as_bytes())?;
    output::line(format!(
        "{} (|Q| = {}, |P| = {}) -> {} ({})",
        a.sets.display(),
        src.q.len(),
        src.p.len(),
        a.output.display(),
        describe_instance(&inst)
    ));
    Ok(Status::Success)
}

/// `relufit lift separability`.
pub fn run_lift(a: &LiftArgs) -> CmdResult {
    let limits = crate::interrupt::limits(a.limit.time_limit, None);
    check_outputs(&[&a.instance, &a.hyperplanes], &[Some(&a.output)])?;
    let inst = load_instance(&a.instance)?;
    let hs = load_hyperplanes(&a.hyperplanes)?;
    // A padded instance has one more coordinate than the source's points.
    let dim = sep::Layout::from_meta(&inst)
        .map(|l| l.source(&inst).dim())
        .unwrap_or(inst.dim());
    check_dimension(&hs, dim, &a.hyperplanes)?;
    match sep::lift_within(&inst, &hs, &limits) {
        Ok(net) => {
            write_output(&a.output, network_to_json(&net).as_bytes())?;
            output::line(format!(
                "network with {} neurons written to {} (verified exactly: fits {})",
                net.width(),
                a.output.display(),
                a.instance.display()
            ));
            Ok(Status::Success)
        }
        Err(sep::LiftError::Restricted(why)) => {
            output::line(format!(
                "refused: the hyperplanes are not in the restricted form (3)-(5): {why}"
            ));
            Ok(Status::Negative)
        }
        Err(sep::LiftError::Other(e)) => Err(in_file(&a.instance)(e)),
    }
}

/// `relufit decode separability`.
pub fn run_decode(a: &DecodeArgs) -> CmdResult {
    let limits = crate::interrupt::limits(a.limit.time_limit, None);
    check_outputs(&[&a.instance, &a.network], &[a.output.as_deref()])?;
    let inst = load_instance(&a.instance)?;
    let net = load_network(&a.network)?;
    let report = super::verify::judge(&inst, &net, &a.instance, &a.network, &limits)?;
    if !report.passes() {
        output::line(format!(
            "the network does not solve the instance (width {} vs k = {}, error {} vs gamma = {}); nothing to decode",
            report.width, report.k, report.error, report.gamma
        ));
        return Ok(Status::Negative);
    }
    let d = sep::decode_within(&inst, &net, &limits).map_err(in_file(&a.instance))?;
    if let Some(p) = &a.output {
        write_output(p, sep::hyperplanes_to_json(&d.pair).as_bytes())?;
    }
    if a.json {
        output::json(&json!({
            "hyperplanes": hyperplanes_json(&d.pair),
            "restricted": d.restricted,
            "origin": format!("{:?}", d.origin),
        }));
    } else {
        for (i, h) in d.pair.iter().enumerate() {
            output::line(format!(
                "H{}: h = {}, o = {}",
                i + 1,
                super::tuple(&h.h),
                h.o
            ));
        }
        output::line(format!(
            "strictly separate Q and P (checked exactly){}; from {:?}",
            if d.restricted {
                ", in restricted form (3)-(4)"
            } else {
                ""
            },
            d.origin
        ));
    }
    Ok(Status::Success)
}

/// `relufit gen separability`.
pub fn run_gen(a: &GenArgs) -> CmdResult {
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

/// `relufit separability ...`.
pub fn run_tools(cmd: &SeparabilityCmd) -> CmdResult {
    match cmd {
        SeparabilityCmd::Decide(a) => {
            let limits = crate::interrupt::limits(a.limit.time_limit, None);
            check_outputs(&[&a.sets], &[a.output.as_deref()])?;
            let src = load_sets(&a.sets)?;
            match sep::decide_within(&src, &limits).map_err(in_file(&a.sets))? {
                sep::Decision::Separable { pair, restricted } => {
                    if let Some(p) = &a.output {
                        write_output(p, sep::hyperplanes_to_json(&pair).as_bytes())?;
                    }
                    if a.json {
                        output::json(&json!({
                            "separable": true, "restricted": restricted,
                            "hyperplanes": hyperplanes_json(&pair),
                        }));
                    } else {
                        output::line(format!(
                            "SEPARABLE by two hyperplanes (checked exactly){}",
                            if restricted {
                                ", restricted form (3)-(4)"
                            } else {
                                ""
                            }
                        ));
                        for (i, h) in pair.iter().enumerate() {
                            output::line(format!(
                                "H{}: h = {}, o = {}",
                                i + 1,
                                super::tuple(&h.h),
                                h.o
                            ));
                        }
                    }
                    Ok(Status::Success)
                }
                sep::Decision::NotSeparable => {
                    if a.json {
                        output::json(&json!({ "separable": false }));
                    } else {
                        output::line(
                            "NOT SEPARABLE by two hyperplanes (exhaustive over all dichotomies)",
                        );
                    }
                    Ok(Status::Negative)
                }
            }
        }
        SeparabilityCmd::Check(a) => {
            let src = load_sets(&a.sets)?;
            let hs = load_hyperplanes(&a.hyperplanes)?;
            check_dimension(&hs, src.dim(), &a.hyperplanes)?;
            let eps = match &a.eps {
                Some(t) => parse_eps(t)?,
                None => src.default_eps(),
            };
            let strict = sep::check_strict(&src, &hs);
            let restricted = sep::check_restricted(&src, &hs, &eps);
            let margin = sep::margin_sq(&src, &hs);
            if a.json {
                output::json(&json!({
                    "strict": strict.as_ref().err().map(|e| e.to_string()),
                    "restricted": restricted.as_ref().err().map(|e| e.to_string()),
                    "eps": eps.to_string(),
                    "margin_sq": margin.as_ref().map(|m| m.to_string()),
                }));
            } else {
                match &strict {
                    Ok(()) => output::line("strict separation: yes"),
                    Err(e) => output::line(format!("strict separation: NO ({e})")),
                }
                match &restricted {
                    Ok(_) => output::line(format!("restricted form (3)-(5) with eps = {eps}: yes")),
                    Err(e) => output::line(format!("restricted form (3)-(5): NO ({e})")),
                }
                if let Some(m) = margin {
                    output::line(format!(
                        "margin: min squared distance point-hyperplane = {m} (about {:.3e})",
                        relufit::num::to_f64(&m)
                    ));
                }
            }
            Ok(if strict.is_ok() {
                Status::Success
            } else {
                Status::Negative
            })
        }
        SeparabilityCmd::Figure(a) => {
            let mut inputs = vec![a.instance.as_path()];
            inputs.extend(a.network.as_deref());
            inputs.extend(a.hyperplanes.as_deref());
            check_outputs(&inputs, &[Some(&a.output)])?;
            let inst = load_instance(&a.instance)?;
            let net = a.network.as_deref().map(load_network).transpose()?;
            let hs = a.hyperplanes.as_deref().map(load_hyperplanes).transpose()?;
            if let (Some(hs), Some(path)) = (&hs, &a.hyperplanes) {
                check_dimension(hs, inst.dim(), path)?;
            }
            let svg = sep::figure6_svg(
                &inst,
                net.as_ref(),
                hs.as_deref(),
                &sep::FigureOptions::default(),
            )
            .map_err(in_file(&a.instance))?;
            write_output(&a.output, svg.as_bytes())?;
            output::line(format!("figure written to {}", a.output.display()));
            Ok(Status::Success)
        }
    }
}
