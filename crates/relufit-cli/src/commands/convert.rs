//! `relufit convert INPUT OUTPUT`.

use super::{load_instance, parse_arg_number, CmdResult};
use crate::args::ConvertArgs;
use crate::output::{self, Status};
use relufit::io::{
    self, instance_to_csv, instance_to_json, instance_to_npy, write_atomic, CsvOptions,
};
use relufit::{Activation, Error, Instance, Loss};
use std::path::Path;

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub fn run(args: &ConvertArgs) -> CmdResult {
    let inst = match extension(&args.input).as_str() {
        "json" => load_instance(&args.input)?,
        "csv" => read_csv(args)?,
        other => {
            return Err(Error::input(
                args.input.display().to_string(),
                format!("unknown input extension `.{other}` (expected .json or .csv)"),
            ))
        }
    };
    let bytes = match extension(&args.output).as_str() {
        "json" => instance_to_json(&inst).into_bytes(),
        "csv" => instance_to_csv(&inst).into_bytes(),
        "npy" => instance_to_npy(&inst),
        other => {
            return Err(Error::input(
                args.output.display().to_string(),
                format!("unknown output extension `.{other}` (expected .json, .csv or .npy)"),
            ))
        }
    };
    write_atomic(&args.output, &bytes)?;
    output::line(format!(
        "wrote {} ({} points, d = {}, {} bytes)",
        args.output.display(),
        inst.len(),
        inst.dim(),
        bytes.len()
    ));
    Ok(Status::Success)
}

fn read_csv(args: &ConvertArgs) -> Result<Instance, Error> {
    let p = &args.csv;
    let k =
        p.k.ok_or_else(|| Error::input("--k", "reading CSV needs the width: pass --k K"))?;
    let opts = CsvOptions {
        activation: p
            .activation
            .parse::<Activation>()
            .map_err(|e| Error::input("--activation", e))?,
        k,
        gamma: parse_arg_number("gamma", &p.gamma)?,
        loss: p
            .loss
            .parse::<Loss>()
            .map_err(|e| Error::input("--loss", e))?,
    };
    let text = io::read_text(&args.input)?;
    io::instance_from_csv(&text, &args.input.display().to_string(), &opts)
}
