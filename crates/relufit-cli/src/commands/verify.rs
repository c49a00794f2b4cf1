//! `relufit verify INSTANCE NETWORK`.

use super::{describe_instance, load_instance, load_network, tuple, CmdResult};
use crate::args::VerifyArgs;
use crate::output::{self, Status};
use relufit::model::InstanceIssue;
use relufit::verify::{verify_within, Report, VerifyError};
use relufit::{Error, Instance};
use serde_json::json;

pub(super) fn run(args: &VerifyArgs) -> CmdResult {
    let limits = crate::interrupt::limits(args.limit.time_limit, None);
    let inst = load_instance(&args.instance)?;
    let net = load_network(&args.network)?;
    let report = judge(&inst, &net, &args.instance, &args.network, &limits)?;
    crate::interrupt::answer_ready();
    let worst = report.worst_points(&inst, args.worst);
    if args.json {
        output::json(&report_json(&inst, &report, &worst));
    } else {
        output::line(format!(
            "instance: {} ({})",
            args.instance.display(),
            describe_instance(&inst)
        ));
        output::line(format!(
            "network:  {} ({} neurons)",
            args.network.display(),
            net.width()
        ));
        for issue in inst.issues() {
            let InstanceIssue::ConflictingDuplicate { first, second } = issue;
            output::line(format!(
                "note: points {first} and {second} have the same input but different labels"
            ));
        }
        print_report(&inst, &report, &worst);
    }
    Ok(if report.passes() {
        Status::Success
    } else {
        Status::Negative
    })
}

/// [`verify_within`] for a command: a stop becomes [`Error::Stopped`] (exit 3), a mismatch
/// an input error naming both files.
pub(super) fn judge(
    inst: &Instance,
    net: &relufit::Network,
    instance: &std::path::Path,
    network: &std::path::Path,
    limits: &relufit::limits::RunLimits,
) -> Result<Report, Error> {
    verify_within(inst, net, limits).map_err(|e| match e {
        VerifyError::Stopped(s) => Error::Stopped(s),
        e => Error::input(
            format!("{} vs {}", instance.display(), network.display()),
            e.to_string(),
        ),
    })
}

/// Human-readable verdict plus the worst points.
pub(super) fn print_report(inst: &Instance, report: &Report, worst: &[usize]) {
    output::line(format!(
        "error:    {} ({} loss, exact)",
        report.error,
        inst.loss_spec()
    ));
    let misfits = report.misfit_points(inst).len();
    if report.passes() {
        output::line(format!(
            "result:   PASS (error {} <= gamma {}, width {} <= k {})",
            report.error, report.gamma, report.width, report.k
        ));
    } else if report.too_wide() {
        output::line(format!(
            "result:   FAIL (the network has {} neurons but k = {})",
            report.width, report.k
        ));
    } else {
        output::line(format!(
            "result:   FAIL (error {} > gamma {})",
            report.error, report.gamma
        ));
    }
    if misfits > 0 {
        output::line(format!(
            "{misfits} of {} points are not fitted exactly; worst first:",
            inst.len()
        ));
        for &i in worst {
            let p = &inst.points[i];
            output::line(format!(
                "  point {i}: x = {}, y = {}, phi = {}, phi - y = {}",
                tuple(&p.x),
                p.y,
                report.values[i],
                report.residual(inst, i)
            ));
        }
    }
}

/// The JSON form of a verification report.
pub(super) fn report_json(inst: &Instance, report: &Report, worst: &[usize]) -> serde_json::Value {
    json!({
        "passes": report.passes(),
        "error": report.error.to_string(),
        "gamma": report.gamma.to_string(),
        "loss": inst.loss_spec().to_string(),
        "width": report.width,
        "k": report.k,
        "misfit_count": report.misfit_points(inst).len(),
        "worst_points": worst.iter().map(|&i| json!({
            "index": i,
            "x": inst.points[i].x.iter().map(|q| q.to_string()).collect::<Vec<_>>(),
            "y": inst.points[i].y.to_string(),
            "phi": report.values[i].to_string(),
        })).collect::<Vec<_>>(),
        "filter": {
            "pairs": report.stats.pairs,
            "float_decided": report.stats.float_decided,
            "exact_computed": report.stats.exact_computed,
        },
    })
}
