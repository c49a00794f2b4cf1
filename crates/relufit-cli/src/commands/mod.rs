//! One module per command; `run` dispatches.

mod convert;
pub(crate) mod decode_mcc;
mod decode_poits;
pub(crate) mod decode_separability;
mod demo;
pub(crate) mod gen_mcc;
pub(crate) mod gen_planted;
mod gen_poits;
pub(crate) mod gen_separability;
pub(crate) mod lift_mcc;
mod lift_poits;
pub(crate) mod lift_separability;
mod mcc_input;
pub(crate) mod mcc_solve;
mod merge;
mod plot;
mod poits_input;
pub(crate) mod reduce_mcc;
mod reduce_poits;
pub(crate) mod reduce_separability;
mod sat;
pub(crate) mod separability;
pub(crate) mod separability_check;
pub(crate) mod separability_decide;
pub(crate) mod separability_figure;
mod separability_input;
mod solve;
mod verify;

use crate::args::{Cli, Command, DecodeCommand, GenCommand, LiftCommand, ReduceCommand};
use crate::output::{self, Status};
use relufit::io;
use relufit::{Error, Instance, Network, Rational};
use std::path::Path;

/// Result of a command: a status (exit 0 or 1) or an error (exit 2).
pub(crate) type CmdResult = Result<Status, Error>;

/// Run the parsed command line.
pub(crate) fn run(cli: Cli) -> CmdResult {
    match cli.command {
        Command::Verify(a) => verify::run(&a),
        Command::Solve(a) => solve::run(&a),
        Command::Convert(a) => convert::run(&a),
        Command::Demo(a) => demo::run(&a),
        Command::Reduce(ReduceCommand::Poits(a)) => reduce_poits::run(&a),
        Command::Lift(LiftCommand::Poits(a)) => lift_poits::run(&a),
        Command::Decode(DecodeCommand::Poits(a)) => decode_poits::run(&a),
        Command::Gen(GenCommand::Poits(a)) => gen_poits::run(&a),
        Command::Sat(a) => sat::run(&a),
        Command::Plot(a) => plot::plot(&a),
        Command::Figures(a) => plot::figures(&a),
        Command::Reduce(ReduceCommand::Separability(a)) => reduce_separability::run(&a),
        Command::Lift(LiftCommand::Separability(a)) => lift_separability::run(&a),
        Command::Decode(DecodeCommand::Separability(a)) => decode_separability::run(&a),
        Command::Gen(GenCommand::Separability(a)) => gen_separability::run(&a),
        Command::Separability(c) => separability::run(&c),
        Command::Gen(GenCommand::Planted(a)) => gen_planted::run(&a),
        Command::Merge(a) => merge::run(&a),
        Command::Reduce(ReduceCommand::Mcc(a)) => reduce_mcc::run(&a),
        Command::Lift(LiftCommand::Mcc(a)) => lift_mcc::run(&a),
        Command::Decode(DecodeCommand::Mcc(a)) => decode_mcc::run(&a),
        Command::Gen(GenCommand::Mcc(a)) => gen_mcc::run(&a),
        Command::Mcc(mcc_solve::MccCmd::Solve(a)) => mcc_solve::run(&a),
    }
}

/// Check a command's outputs before it reads or computes anything: none may be one of its
/// inputs (same file), each must be writable ([`relufit::io::check_outputs`]). When an
/// output is standard output (`-`), the summary goes to stderr from now on.
pub(crate) fn check_outputs(inputs: &[&Path], outputs: &[Option<&Path>]) -> Result<(), Error> {
    let outs: Vec<&Path> = outputs.iter().flatten().copied().collect();
    io::check_outputs(inputs, &outs)?;
    if outs.iter().any(|p| p.as_os_str() == "-") {
        output::summary_to_stderr();
    }
    Ok(())
}

/// Put the file name in front of an error about its content: `instance meta: x` becomes
/// `FILE: instance meta: x`, a bare message `m` becomes `FILE: m` (errors that name a flag
/// or the file already are kept).
pub(crate) fn in_file(path: &Path) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Input { location, message }
            if !location.starts_with(&*path.to_string_lossy()) && !location.starts_with("--") =>
        {
            Error::input(format!("{}: {location}", path.display()), message)
        }
        Error::Invalid(message) => Error::input(path.display().to_string(), message),
        other => other,
    }
}

/// Read and parse an instance file.
pub(crate) fn load_instance(path: &Path) -> Result<Instance, Error> {
    let text = io::read_text(path)?;
    io::instance_from_json(&text, &path.display().to_string())
}

/// Read and parse a network file.
pub(crate) fn load_network(path: &Path) -> Result<Network, Error> {
    let text = io::read_text(path)?;
    io::network_from_json(&text, &path.display().to_string())
}

/// Parse a rational given on the command line as `--name`.
pub(crate) fn parse_arg_number(name: &str, text: &str) -> Result<Rational, Error> {
    relufit::num::parse_rational(text).map_err(|e| Error::input(format!("--{name}"), e.to_string()))
}

/// A target error `--gamma`: an exact rational `>= 0`.
pub(crate) fn parse_gamma(text: &str) -> Result<Rational, Error> {
    let g = parse_arg_number("gamma", text)?;
    if g < Rational::ZERO {
        return Err(Error::input(
            "--gamma",
            format!("the target error must be >= 0, got {g}"),
        ));
    }
    Ok(g)
}

/// A margin `--eps`: an exact rational `> 0`.
pub(crate) fn parse_eps(text: &str) -> Result<Rational, Error> {
    let e = parse_arg_number("eps", text)?;
    if e <= Rational::ZERO {
        return Err(Error::input(
            "--eps",
            format!("the margin must be positive, got {e}"),
        ));
    }
    Ok(e)
}

/// One-line summary of an instance.
pub(crate) fn describe_instance(inst: &Instance) -> String {
    format!(
        "{}, d = {}, n = {}, k = {}, loss {}, gamma {}",
        inst.activation,
        inst.dim(),
        inst.len(),
        inst.k,
        inst.loss_spec(),
        inst.gamma
    )
}

/// `(a, b, c)` for a vector of rationals.
pub(crate) fn tuple(v: &[relufit::Rational]) -> String {
    let parts: Vec<String> = v.iter().map(|q| q.to_string()).collect();
    format!("({})", parts.join(", "))
}
