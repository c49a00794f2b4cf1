//! `relufit reduce mcc`: MULTICOLORED CLIQUE -> one neuron under the `l^p` loss
//! (Corollary 9 for threshold, the JAIR 2022 result for ReLU), padded to `--width K`.

use super::mcc_input::load_source;
use super::{check_outputs, describe_instance, in_file, CmdResult};
use crate::args::count;
use crate::output::{self, Status};
use clap::Args;
use relufit::io::{instance_to_json, write_output};
use relufit::limits::{MAX_GRAPH_VERTICES, MAX_LOSS_EXPONENT, MAX_WIDTH};
use relufit::reduce::mcc::{reduce, McOptions};
use relufit::Error;
use serde_json::json;
use std::path::PathBuf;

/// `relufit reduce mcc`.
#[derive(Debug, Args)]
pub struct ReduceMccArgs {
    /// The graph: relufit-mcc/1 JSON, or a DIMACS graph (`p edge N M`) with --kappa.
    pub graph: PathBuf,
    /// Clique size for a DIMACS graph (its K copies are the colour classes); for JSON, the
    /// number of colour classes (checked).
    #[arg(long, value_parser = count(1, MAX_GRAPH_VERTICES))]
    pub kappa: Option<usize>,
    /// Activation: threshold (Corollary 9) or relu (JAIR 2022).
    #[arg(long, default_value = "threshold")]
    pub activation: String,
    /// The exponent p of the l^p loss (0 counts non-zero residuals; 0..=64).
    #[arg(long, default_value_t = 1, value_parser = count(0, MAX_LOSS_EXPONENT as usize))]
    pub p: usize,
    /// Width k >= 1; above 1 the instance is padded with the witness ladder.
    #[arg(long, default_value_t = 1, value_parser = count(1, MAX_WIDTH))]
    pub width: usize,
    /// Output instance file (JSON, written atomically; `-` for stdout).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `relufit reduce mcc`.
pub(crate) fn run(a: &ReduceMccArgs) -> CmdResult {
    check_outputs(&[&a.graph], &[Some(&a.output)])?;
    let activation = a
        .activation
        .parse()
        .map_err(|e: String| Error::input("--activation", e))?;
    let source = load_source(&a.graph, a.kappa)?;
    let opts = McOptions {
        activation,
        p: a.p as u32,
        width: a.width,
    };
    let inst = reduce(&source, &opts).map_err(in_file(&a.graph))?;
    let text = instance_to_json(&inst);
    write_output(&a.output, text.as_bytes())?;
    if a.json {
        output::json(&json!({
            "instance": a.output.display().to_string(),
            "activation": inst.activation.name(),
            "points": inst.len(),
            "distinct_inputs": inst.distinct_inputs(),
            "dim": inst.dim(),
            "k": inst.k,
            "gamma": inst.gamma.to_string(),
            "loss": inst.loss_spec().to_string(),
            "bytes": text.len(),
        }));
    } else {
        output::line(format!(
            "graph:    {} ({})",
            a.graph.display(),
            source.describe()
        ));
        output::line(format!(
            "instance: {} ({})",
            a.output.display(),
            describe_instance(&inst)
        ));
        output::line(format!(
            "          {} distinct inputs, {} bytes",
            inst.distinct_inputs(),
            text.len()
        ));
    }
    Ok(Status::Success)
}
