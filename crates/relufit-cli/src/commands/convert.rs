//! `relufit convert INPUT OUTPUT`.

use super::{check_outputs, in_file, parse_gamma, CmdResult};
use crate::args::ConvertArgs;
use crate::output::{self, Status};
use relufit::io::{self, instance_to_csv, instance_to_json, instance_to_npy, CsvOptions};
use relufit::{Activation, Error, Instance, Loss};
use std::path::Path;

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// What an extension means, for messages.
fn describe_extension(ext: &str) -> String {
    if ext.is_empty() {
        "has no file extension".into()
    } else {
        format!("has the unknown extension `.{ext}`")
    }
}

pub(super) fn run(args: &ConvertArgs) -> CmdResult {
    check_outputs(&[&args.input], &[Some(&args.output)])?;
    let out_ext = extension(&args.output);
    if !matches!(out_ext.as_str(), "json" | "csv" | "npy") {
        return Err(Error::input(
            args.output.display().to_string(),
            format!(
                "{} (expected .json, .csv or .npy)",
                describe_extension(&out_ext)
            ),
        ));
    }
    let text = io::read_text(&args.input)?;
    let source = args.input.display().to_string();
    let inst = match extension(&args.input).as_str() {
        "json" => io::instance_from_json(&text, &source)?,
        "csv" => read_csv(args, &text)?,
        other => {
            return Err(Error::input(
                source,
                format!("{} (expected .json or .csv)", describe_extension(other)),
            ))
        }
    };
    let bytes = match out_ext.as_str() {
        "json" => instance_to_json(&inst).into_bytes(),
        "csv" => instance_to_csv(&inst).into_bytes(),
        _ => instance_to_npy(&inst).map_err(in_file(&args.input))?,
    };
    io::write_output(&args.output, &bytes)?;
    output::line(format!(
        "wrote {} ({} points, d = {}, {} bytes)",
        args.output.display(),
        inst.len(),
        inst.dim(),
        bytes.len()
    ));
    Ok(Status::Success)
}

fn read_csv(args: &ConvertArgs, text: &str) -> Result<Instance, Error> {
    let p = &args.csv;
    let k =
        p.k.ok_or_else(|| Error::input("--k", "reading CSV needs the width: pass --k K"))?;
    let opts = CsvOptions {
        activation: p
            .activation
            .parse::<Activation>()
            .map_err(|e| Error::input("--activation", e))?,
        k,
        gamma: parse_gamma(&p.gamma)?,
        loss: p
            .loss
            .parse::<Loss>()
            .map_err(|e| Error::input("--loss", e))?,
    };
    io::instance_from_csv(text, &args.input.display().to_string(), &opts)
}
