//! `relufit plot` and `relufit figures`.

use super::{check_outputs, in_file, load_instance, load_network, CmdResult};
use crate::args::{FiguresArgs, PlotArgs};
use crate::output::{self, Status};
use relufit::io::{write_output, write_outputs};
use relufit::plot::{plot_instance, PlotOptions};
use relufit::reduce::poits::figures;
use relufit::Error;
use std::path::{Path, PathBuf};

fn parse_window(text: &str) -> Result<[f64; 4], Error> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|s| relufit::num::parse_rational(s).map(|q| relufit::num::to_f64(&q)))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::input("--window", e.to_string()))?;
    if parts.iter().any(|v| !v.is_finite()) {
        return Err(Error::input(
            "--window",
            "a value lies beyond the float range of a picture (about 1.8e308)",
        ));
    }
    match parts[..] {
        [a, b, c, d] if a < b && c < d => Ok([a, b, c, d]),
        _ => Err(Error::input(
            "--window",
            "expected x1min,x1max,x2min,x2max with min < max",
        )),
    }
}

pub(super) fn plot(args: &PlotArgs) -> CmdResult {
    let mut inputs = vec![args.instance.as_path()];
    inputs.extend(args.network.as_deref());
    check_outputs(&inputs, &[Some(&args.output)])?;
    let inst = load_instance(&args.instance)?;
    let net = args.network.as_deref().map(load_network).transpose()?;
    let opts = PlotOptions {
        width: args.width,
        height: args.height,
        window: args.window.as_deref().map(parse_window).transpose()?,
        shade: args.shade,
        title: args.title.clone(),
    };
    let svg = plot_instance(&inst, net.as_ref(), &opts).map_err(in_file(&args.instance))?;
    write_output(&args.output, svg.as_bytes())?;
    output::line(format!(
        "wrote {} ({} bytes)",
        args.output.display(),
        svg.len()
    ));
    Ok(Status::Success)
}

/// Write the paper's figures into `dir` as one step ([`write_outputs`]); returns the files
/// written.
pub(super) fn write_figures(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.into(),
        source,
    })?;
    let figures = [
        ("figure2.svg", figures::figure2()),
        ("figure3.svg", figures::figure3()),
        ("figure5.svg", figures::figure5()),
        ("corollary9.svg", relufit::reduce::mcc::figure::example()),
    ];
    let paths: Vec<PathBuf> = figures.iter().map(|(name, _)| dir.join(name)).collect();
    let outputs: Vec<(&Path, &[u8])> = paths
        .iter()
        .zip(&figures)
        .map(|(p, (_, svg))| (p.as_path(), svg.as_bytes()))
        .collect();
    write_outputs(&outputs)?;
    Ok(paths)
}

pub(super) fn figures(args: &FiguresArgs) -> CmdResult {
    for p in write_figures(&args.output)? {
        output::line(format!("wrote {}", p.display()));
    }
    Ok(Status::Success)
}
