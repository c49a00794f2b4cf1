//! `relufit reduce|lift|decode|gen poits` and `relufit sat`: Theorem 1 / Corollary 8 on the
//! command line.

use super::verify::{print_report, report_json};
use super::{
    check_outputs, describe_instance, in_file, load_instance, load_network, parse_gamma, CmdResult,
};
use crate::args::{
    AssignmentArgs, DecodePoitsArgs, GenPoitsArgs, LiftPoitsArgs, ReducePoitsArgs, SatArgs,
};
use crate::output::{self, Status};
use relufit::io::{self, instance_to_json, network_to_json, write_output};
use relufit::reduce::poits::{self, PoitsOptions};
use relufit::sat::{
    self, format_assignment, parse_assignment, parse_dimacs, to_dimacs, Assignment, Formula,
};
use relufit::verify::{verify_within, VerifyError};
use relufit::{Error, Instance};
use serde_json::json;
use std::path::Path;

/// Read a DIMACS formula file.
pub fn load_formula(path: &Path) -> Result<Formula, Error> {
    let text = io::read_text(path)?;
    parse_dimacs(&text, &path.display().to_string())
}

pub fn reduce(args: &ReducePoitsArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    check_outputs(&[&args.formula], &[Some(&args.output)])?;
    let formula = load_formula(&args.formula)?;
    let opts = PoitsOptions {
        activation: args
            .activation
            .parse()
            .map_err(|e: String| Error::input("--activation", e))?,
        dim: args.dim,
        gamma: parse_gamma(&args.gamma)?,
        loss: args
            .loss
            .parse()
            .map_err(|e: String| Error::input("--loss", e))?,
    };
    let inst = poits::reduce_within(&formula, &opts, &limits).map_err(in_file(&args.formula))?;
    let text = instance_to_json(&inst);
    limits.check()?;
    write_output(&args.output, text.as_bytes())?;
    if args.json {
        output::json(&json!({
            "instance": args.output.display().to_string(),
            "activation": inst.activation.name(),
            "points": inst.len(),
            "dim": inst.dim(),
            "k": inst.k,
            "gamma": inst.gamma.to_string(),
            "loss": inst.loss.name(),
            "bytes": text.len(),
        }));
    } else {
        output::line(format!(
            "formula:  {} (n = {} variables, m = {} clauses)",
            args.formula.display(),
            formula.num_vars,
            formula.num_clauses()
        ));
        output::line(format!(
            "instance: {} ({})",
            args.output.display(),
            describe_instance(&inst)
        ));
        output::line(format!("          {} bytes", text.len()));
    }
    Ok(Status::Success)
}

/// The assignment and literal choices given on the command line, for `formula`.
fn read_assignment(
    a: &AssignmentArgs,
    formula: &Formula,
) -> Result<(Assignment, Option<Vec<usize>>), Error> {
    let assignment = match (&a.true_vars, &a.assignment) {
        (Some(text), _) => parse_assignment(text, formula.num_vars, "--true")?,
        (None, Some(path)) => parse_assignment(
            &io::read_text(path)?,
            formula.num_vars,
            &path.display().to_string(),
        )?,
        (None, None) => {
            return Err(Error::input(
                "--true",
                "give the true variables with --true \"1 3\" or --assignment FILE",
            ))
        }
    };
    let choices = match &a.choices {
        None => None,
        Some(text) => {
            let parsed: Result<Vec<usize>, _> = text
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::parse::<usize>)
                .collect();
            let c = parsed.map_err(|_| {
                Error::input(
                    "--choices",
                    format!("`{text}` is not a list of literal positions 1..3"),
                )
            })?;
            if c.len() != formula.num_clauses() || c.iter().any(|&r| !(1..=3).contains(&r)) {
                return Err(Error::input(
                    "--choices",
                    format!(
                        "need one position in 1..3 for each of the {} clauses",
                        formula.num_clauses()
                    ),
                ));
            }
            Some(c)
        }
    };
    Ok((assignment, choices))
}

fn formula_of(inst: &Instance, source: &Path) -> Result<Formula, Error> {
    poits::meta::from_instance(inst)
        .map(|m| m.formula)
        .map_err(|e| Error::input(source.display().to_string(), e.to_string()))
}

pub fn lift(args: &LiftPoitsArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    let mut inputs = vec![args.instance.as_path()];
    inputs.extend(args.assignment.assignment.as_deref());
    check_outputs(&inputs, &[args.output.as_deref()])?;
    let inst = load_instance(&args.instance)?;
    let formula = formula_of(&inst, &args.instance)?;
    let (assignment, choices) = read_assignment(&args.assignment, &formula)?;
    let net =
        poits::lift(&inst, &assignment, choices.as_deref()).map_err(in_file(&args.instance))?;
    let report = verify_within(&inst, &net, &limits).map_err(|e| match e {
        VerifyError::Stopped(s) => Error::Stopped(s),
        e => Error::Invalid(format!("internal error: {e}")),
    })?;
    if let Some(path) = &args.output {
        write_output(path, network_to_json(&net).as_bytes())?;
    }
    let worst = report.worst_points(&inst, 10);
    let is_solution = formula.is_solution(&assignment);
    if args.json {
        output::json(&json!({
            "assignment": assignment.true_vars(),
            "is_1in3_solution": is_solution,
            "network": args.output.as_ref().map(|p| p.display().to_string()),
            "verification": report_json(&inst, &report, &worst),
        }));
    } else {
        output::line(format!(
            "instance:   {} ({})",
            args.instance.display(),
            describe_instance(&inst)
        ));
        output::line(format!(
            "assignment: true variables {{{}}} ({})",
            format_assignment(&assignment),
            if is_solution {
                "a 1-in-3 solution"
            } else {
                "NOT a 1-in-3 solution"
            }
        ));
        output::line(format!(
            "network:    {} neurons (equation (2))",
            net.width()
        ));
        print_report(&inst, &report, &worst);
        if let Some(p) = &args.output {
            output::line(format!("network written to {}", p.display()));
        }
    }
    Ok(if report.passes() {
        Status::Success
    } else {
        Status::Negative
    })
}

pub fn decode(args: &DecodePoitsArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    check_outputs(&[&args.instance, &args.network], &[args.output.as_deref()])?;
    let inst = load_instance(&args.instance)?;
    let net = load_network(&args.network)?;
    let report = super::verify::judge(&inst, &net, &args.instance, &args.network, &limits)?;
    if !report.passes() {
        // A definite negative about this network: it does not fit, so it encodes nothing.
        let worst = report.worst_points(&inst, 10);
        if args.json {
            output::json(
                &json!({ "decoded": false, "verification": report_json(&inst, &report, &worst) }),
            );
        } else {
            output::line(
                "the network does not fit the instance exactly, so it encodes no solution:",
            );
            print_report(&inst, &report, &worst);
        }
        return Ok(Status::Negative);
    }
    let decoded = poits::decode_within(&inst, &net, &limits).map_err(in_file(&args.instance))?;
    if let Some(path) = &args.output {
        write_output(path, network_to_json(&decoded.canonical).as_bytes())?;
    }
    if args.json {
        output::json(&json!({
            "decoded": true,
            "assignment": decoded.assignment.true_vars(),
            "choices": decoded.choices,
            "canonical_network": args.output.as_ref().map(|p| p.display().to_string()),
            "canonical_passes": decoded.canonical_report.passes(),
        }));
    } else {
        output::line(format!(
            "network:    {} fits exactly (error {})",
            args.network.display(),
            report.error
        ));
        output::line(format!(
            "decoded:    true variables {{{}}}, clause literals {:?}",
            format_assignment(&decoded.assignment),
            decoded.choices
        ));
        output::line(format!(
            "canonical network rebuilt and re-verified: {}",
            if decoded.canonical_report.passes() {
                "PASS"
            } else {
                "FAIL"
            }
        ));
    }
    Ok(Status::Success)
}

pub fn gen(args: &GenPoitsArgs) -> CmdResult {
    check_outputs(&[], &[Some(&args.output)])?;
    let as_vars_flag = |e: Error| match e {
        Error::Invalid(m) => Error::input("--vars", m),
        other => other,
    };
    let (formula, comments) = if args.planted {
        let (f, a) =
            sat::planted_formula(args.vars, args.clauses, args.seed).map_err(as_vars_flag)?;
        let c = vec![
            format!("planted Positive 1-in-3 SAT formula, seed {}", args.seed),
            format!(
                "planted solution (true variables): {}",
                format_assignment(&a)
            ),
        ];
        (f, c)
    } else {
        let f = sat::random_formula(args.vars, args.clauses, args.seed).map_err(as_vars_flag)?;
        (
            f,
            vec![format!(
                "uniform random Positive 1-in-3 SAT formula, seed {}",
                args.seed
            )],
        )
    };
    write_output(&args.output, to_dimacs(&formula, &comments).as_bytes())?;
    output::line(format!(
        "wrote {} (n = {}, m = {})",
        args.output.display(),
        formula.num_vars,
        formula.num_clauses()
    ));
    Ok(Status::Success)
}

pub fn sat(args: &SatArgs) -> CmdResult {
    let formula = load_formula(&args.formula)?;
    let solution = sat::solve(&formula);
    let count = args.count.then(|| sat::count_solutions_big(&formula));
    let listed = args
        .enumerate
        .map(|limit| sat::enumerate_solutions(&formula, limit));
    if args.json {
        output::json(&json!({
            "satisfiable": solution.is_some(),
            "solution": solution.as_ref().map(|a| a.true_vars()),
            "count": count.as_ref().map(|c| c.to_string()),
            "solutions": listed.as_ref().map(|l| l.iter().map(|a| a.true_vars()).collect::<Vec<_>>()),
        }));
    } else {
        match &solution {
            Some(a) => output::line(format!(
                "SATISFIABLE: true variables {{{}}}",
                format_assignment(a)
            )),
            None => output::line("UNSATISFIABLE (exhaustive DPLL search)"),
        }
        if let Some(c) = &count {
            output::line(format!("solutions: {c}"));
        }
        for a in listed.iter().flatten() {
            output::line(format!("  {{{}}}", format_assignment(a)));
        }
    }
    Ok(if solution.is_some() {
        Status::Success
    } else {
        Status::Negative
    })
}
