//! `relufit demo`: the paper's Figure 5 formula end to end (Theorem 1 and Corollary 8).
//!
//! Solve the formula (both solutions), build the ReLU and threshold instances, lift each
//! solution to its network, verify exactly, decode back from a disguised copy of the network,
//! show that a wrong assignment fails and where, and write files and figures.

use super::plot::write_figures;
use super::CmdResult;
use crate::args::DemoArgs;
use crate::output::{self, Status};
use relufit::io::{instance_to_json, network_to_json, write_output};
use relufit::num::Rational;
use relufit::plot::{plot_instance, PlotOptions};
use relufit::reduce::poits::{self, PoitsOptions};
use relufit::sat::{self, parse_dimacs, Assignment, Formula};
use relufit::verify::verify;
use relufit::{Activation, Error, Instance, Network};
use std::path::Path;

/// The formula of the paper's Figure 5.
const FIGURE5_CNF: &str = "c The instance of Figure 5 of Froese & Hertrich:
c (v5 or v4 or v3) and (v4 or v3 or v2) and (v5 or v2 or v1)
p cnf 5 3
5 4 3 0
4 3 2 0
5 2 1 0
";

/// Fail the demo loudly: a broken expectation is a bug, not a user error.
fn check(ok: bool, what: impl Into<String>) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "demo check failed: {}",
            what.into()
        )))
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8], written: &mut Vec<String>) -> Result<(), Error> {
    write_output(&dir.join(name), bytes)?;
    written.push(name.to_string());
    Ok(())
}

/// The same function as `net`, written differently: neurons in reverse order and each
/// neuron's (w, b) scaled by a different positive factor (a compensates for ReLU; threshold
/// units are invariant under positive scaling). Decoding must not care.
fn disguise(net: &Network) -> Network {
    let mut neurons = net.neurons.clone();
    neurons.reverse();
    for (j, n) in neurons.iter_mut().enumerate() {
        let c = Rational::from(j as i64 + 2) / Rational::from(3);
        n.w = n.w.iter().map(|v| v * &c).collect();
        n.b = &n.b * &c;
        if net.activation == Activation::Relu {
            n.a = &n.a / &c;
        }
    }
    Network::new(net.activation, neurons)
}

fn curly(a: &Assignment) -> String {
    let vars: Vec<String> = a.true_vars().iter().map(|v| v.to_string()).collect();
    format!("{{{}}}", vars.join(","))
}

pub(super) fn run(args: &DemoArgs) -> CmdResult {
    let dir = &args.output;
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let mut written = Vec::new();
    let formula = parse_dimacs(FIGURE5_CNF, "figure5.cnf")?;
    write(dir, "figure5.cnf", FIGURE5_CNF.as_bytes(), &mut written)?;

    output::line(
        "relufit demo: Froese & Hertrich, Theorem 1 and Corollary 8 on the Figure 5 formula",
    );
    output::line("");
    output::line(
        "1. The formula  (v5 | v4 | v3) & (v4 | v3 | v2) & (v5 | v2 | v1)  (Positive 1-in-3 SAT)",
    );
    let mut solutions = sat::enumerate_solutions(&formula, 16);
    solutions.sort_by_key(|a| a.true_vars());
    let count = sat::count_solutions(&formula);
    check(
        count == 2 && solutions.len() == 2,
        "the Figure 5 formula has exactly two solutions",
    )?;
    for a in &solutions {
        let choices = formula.chosen_literals(a).expect("a solution");
        output::line(format!(
            "   solution {}  (true literal of each clause: {:?})",
            curly(a),
            choices
        ));
    }

    for activation in [Activation::Relu, Activation::Threshold] {
        section(&formula, &solutions, activation, dir, &mut written)?;
    }

    output::line("");
    output::line("4. Pictures");
    for p in write_figures(dir)? {
        written.push(
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
    }
    output::line("   figure2.svg  selection gadget, l = 3, slopes -1, 0, 1, with its three levees (Figure 2)");
    output::line("   figure3.svg  cross-section of phi along h_0 (Figure 3)");
    output::line("   figure5.svg  global layout with the solution {1,3}, overview and zoomed gadgets (Figure 5)");
    output::line(
        "   figure5-relu-clause1.svg  the instance around clause gadget C1 with the lifted network",
    );
    output::line("");
    output::line(format!(
        "Files in {}/: {}",
        dir.display(),
        written.join(", ")
    ));
    output::line("Every number above was computed and checked in exact rational arithmetic.");
    Ok(Status::Success)
}

/// Steps 2 (ReLU) or 3 (threshold): reduce, lift, verify, decode, and a wrong assignment.
fn section(
    formula: &Formula,
    solutions: &[Assignment],
    activation: Activation,
    dir: &Path,
    written: &mut Vec<String>,
) -> Result<(), Error> {
    let (step, name, result, unit) = match activation {
        Activation::Relu => ("2", "relu", "Theorem 1", "ReLUs"),
        Activation::Threshold => ("3", "threshold", "Corollary 8", "threshold units"),
    };
    let opts = PoitsOptions {
        activation,
        ..PoitsOptions::default()
    };
    let inst = poits::reduce(formula, &opts)?;
    let file = format!("figure5-{name}.instance.json");
    write(dir, &file, instance_to_json(&inst).as_bytes(), written)?;
    output::line("");
    output::line(format!(
        "{step}. {result}: {} points in Q^2 with labels, k = {} {unit}, gamma = 0  -> {file}",
        inst.len(),
        inst.k
    ));
    for a in solutions {
        let net = poits::lift(&inst, a, None)?;
        let report = verify(&inst, &net).map_err(|e| Error::Invalid(e.to_string()))?;
        check(
            report.passes() && report.error == Rational::ZERO,
            format!("{name}: solution {} fits", curly(a)),
        )?;
        let file = format!(
            "figure5-{name}-solution-{}.network.json",
            a.true_vars()
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join("-")
        );
        write(dir, &file, network_to_json(&net).as_bytes(), written)?;
        let decoded = poits::decode(&inst, &disguise(&net))?;
        check(
            &decoded.assignment == a,
            format!("{name}: decode returns {}", curly(a)),
        )?;
        output::line(format!(
            "   lift {} -> {} neurons, exact error {} (PASS)  -> {file}",
            curly(a),
            net.width(),
            report.error
        ));
        output::line(format!(
            "   decode (neurons reversed and rescaled, read off phi at probe points) -> {}, canonical network re-verified",
            curly(&decoded.assignment)
        ));
        if activation == Activation::Relu && a == &solutions[0] {
            plot_clause(&inst, &net, dir, written)?;
        }
    }
    // A wrong assignment: flip the last true variable of the first solution.
    let mut wrong = solutions[0].clone();
    let flip = *solutions[0].true_vars().last().expect("a true variable");
    wrong.values[flip - 1] = false;
    let net = poits::lift(&inst, &wrong, None)?;
    let report = verify(&inst, &net).map_err(|e| Error::Invalid(e.to_string()))?;
    check(
        !report.passes(),
        format!("{name}: the wrong assignment {} fails", curly(&wrong)),
    )?;
    let misfits = report.misfit_points(&inst);
    let tags = poits::point_tags(&inst)?;
    output::line(format!(
        "   wrong assignment {} (v{flip} set to false): exact error {} (FAIL), {} of {} points missed:",
        curly(&wrong),
        report.error,
        misfits.len(),
        inst.len()
    ));
    for &i in misfits.iter().take(4) {
        output::line(format!(
            "     point {i} = {}: label {}, phi = {}",
            tags[i], inst.points[i].y, report.values[i]
        ));
    }
    Ok(())
}

/// The instance around clause gadget C1 with the lifted network's breaklines and phi.
fn plot_clause(
    inst: &Instance,
    net: &Network,
    dir: &Path,
    written: &mut Vec<String>,
) -> Result<(), Error> {
    let centre = relufit::num::to_f64(&poits::meta::from_instance(inst)?.layout.clause(1).centre);
    let opts = PlotOptions {
        window: Some([-8.0, 8.0, centre - 8.0, centre + 8.0]),
        shade: true,
        title: Some("Theorem 1 instance near clause gadget C1, solution {1,3}".into()),
        ..PlotOptions::default()
    };
    let svg = plot_instance(inst, Some(net), &opts)?;
    write(dir, "figure5-relu-clause1.svg", svg.as_bytes(), written)
}
