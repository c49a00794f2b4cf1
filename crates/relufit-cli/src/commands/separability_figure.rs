//! `relufit separability figure`: Figure 6 of a reduced instance as SVG.

use super::separability_input::{check_dimension, load_hyperplanes};
use super::{check_outputs, in_file, load_instance, load_network, CmdResult};
use crate::output::{self, Status};
use clap::Args;
use relufit::io::write_output;
use relufit::reduce::separability as sep;
use std::path::PathBuf;

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

/// `relufit separability figure`.
pub(crate) fn run(a: &FigureArgs) -> CmdResult {
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
