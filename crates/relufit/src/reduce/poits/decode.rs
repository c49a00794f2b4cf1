//! The backward map of Theorem 1: from a network that fits a POITS instance to a 1-in-3
//! solution, read off the *function* by probing, whatever the parametrisation.
//!
//! # Why probing is valid for every fitting network
//!
//! Let `phi` be computed by at most `k = 4(m + n)` ReLUs and fit the construction's points
//! exactly (restricted to the plane if `d > 2`, see [`super::pad`]). `phi` is continuous
//! piecewise linear with at most `k` breaklines, so by Lemma 5 (applied to the `m + n`
//! gadgets, whose spacing `Delta = 8S/delta + 6` is the lemma's bound) it is a sum (2) of one
//! levee per gadget: clause `j` with some slope `s_{r_j}` centred at `j*Delta`, variable `i`
//! with slope `-1` or `+1` centred at `-i*Delta`. The probes are placed where exactly one
//! of those levees can be non-zero, so their values are 0 or 1 and name the choice. A levee
//! with centre `z` and slope `s` is 1 where `|u| <= 1` and 0 where `|u| >= 2`, with
//! `u = x_2 - z - s x_1` (Definition 2).
//!
//! - **Variable probe** `(1, 1 - i*Delta)`: for `v_i`'s own levee `u = 1 - s`, which is 0
//!   (value 1) for `s = +1` (false) and 2 (value 0) for `s = -1` (true). Another variable
//!   `i'`: `|u| >= Delta - 2 > 2`. A clause `j`: `|u| >= (i + j) Delta - 2 > 2`.
//! - **Clause probe** `(4m, j*Delta + 4m s_r)` (`4m = 2/delta`): for clause `j`'s levee with
//!   slope `s_{r'}`, `u = 4m (s_r - s_{r'}) = 2 (r - r')`, so the value is 1 iff `r' = r` and
//!   0 otherwise. Another clause `j'`: slopes lie in `[-1, 0]`, so
//!   `|u| >= Delta - 4m = 12m + 6 > 2`. A variable `i`: slopes differ by at most 2, so
//!   `|u| >= (i + j) Delta - 8m >= 24m + 12 > 2`.
//!
//! So `phi(1, 1 - i*Delta) = 1` iff `v_i` is false, and `phi(4m, j*Delta + 4m s_r) = 1` iff
//! literal `r` is chosen in clause `j` — exactly as for the canonical network, hence for
//! every network that fits. By the proof of Theorem 1 (with Lemma 6) the decoded assignment
//! is a 1-in-3 solution and the choices are its true literals. [`decode`] checks all of this
//! at run time anyway: a violation would mean Lemma 5 or Lemma 6 fails, and is reported as an
//! error naming the probe, never silently repaired. The same probes work for the threshold
//! stripes of Corollary 8 (1 on the centre line, 0 at vertical distance `>= 2`).

use super::layout::{Layout, PointTag};
use super::reduction::{padded_probes, parse};
use crate::error::{Error, Result};
use crate::limits::RunLimits;
use crate::model::{Instance, Network};
use crate::num::{int, Rational};
use crate::sat::Assignment;
use crate::verify::{evaluate_within, verify_within, Report, VerifyError};

/// The result of decoding a fitting network.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The 1-in-3 solution read off the network.
    pub assignment: Assignment,
    /// The true literal `r_j` (1..=3) of every clause.
    pub choices: Vec<usize>,
    /// The canonical network of equation (2) for the decoded choices (padded like the
    /// instance), rebuilt with [`super::lift`].
    pub canonical: Network,
    /// The verifier's report on the given network.
    pub report: Report,
    /// The verifier's report on the canonical network (it passes).
    pub canonical_report: Report,
}

/// The probe points in the plane: `(1, 1 - i*Delta)` for `i = 1..n`, then
/// `(4m, j*Delta + 4m s_r)` for `j = 1..m`, `r = 1..3` (module docs).
pub fn probe_points(layout: &Layout) -> Vec<[Rational; 2]> {
    let mut out = Vec::with_capacity(layout.n + 3 * layout.m);
    for i in 1..=layout.n {
        out.push([int(1), int(1) - &layout.big_delta * int(i as i64)]);
    }
    let x1 = int(2) / &layout.delta;
    for j in 1..=layout.m {
        let g = layout.clause(j);
        for s in &g.slopes {
            out.push([x1.clone(), &g.centre + &x1 * s]);
        }
    }
    out
}

/// Read the assignment and the literal choices from `values = phi(probe_points)`.
pub(crate) fn read_probes(
    layout: &Layout,
    values: &[Rational],
) -> std::result::Result<(Assignment, Vec<usize>), String> {
    if values.len() != layout.n + 3 * layout.m {
        return Err(format!(
            "{} probe values for {} probes",
            values.len(),
            layout.n + 3 * layout.m
        ));
    }
    let (vars, clauses) = values.split_at(layout.n);
    let mut assignment = Vec::with_capacity(layout.n);
    for (i, v) in vars.iter().enumerate() {
        if *v == Rational::ZERO {
            assignment.push(true);
        } else if *v == Rational::ONE {
            assignment.push(false);
        } else {
            return Err(format!(
                "phi = {v} at the probe of variable v{}, expected 0 (true) or 1 (false)",
                i + 1
            ));
        }
    }
    let mut choices = Vec::with_capacity(layout.m);
    for (j, vals) in clauses.chunks(3).enumerate() {
        let ones: Vec<usize> = (0..3).filter(|&r| vals[r] == Rational::ONE).collect();
        let zeros = vals.iter().filter(|v| **v == Rational::ZERO).count();
        if ones.len() != 1 || zeros != 2 {
            return Err(format!(
                "phi = ({}, {}, {}) at the three probes of clause C{}, expected one 1 and two 0",
                vals[0],
                vals[1],
                vals[2],
                j + 1
            ));
        }
        choices.push(ones[0] + 1);
    }
    Ok((Assignment { values: assignment }, choices))
}

/// Describe up to five misfit points, the worst first, with their tags.
fn describe_misfits(inst: &Instance, report: &Report, tags: &[PointTag], only: &[usize]) -> String {
    let shown: Vec<String> = only
        .iter()
        .take(5)
        .map(|&i| {
            format!(
                "points[{i}] = {} (phi = {}, y = {})",
                tags[i], report.values[i], inst.points[i].y
            )
        })
        .collect();
    let more = if only.len() > 5 {
        format!(", and {} more", only.len() - 5)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join("; "))
}

/// Decode a network that fits the POITS instance `inst` (made by [`super::reduce`]).
///
/// Steps: (1) verify `net` exactly: it must have width `<= k`, error `<= gamma`, and fit
/// every construction point exactly (else an error naming the misfit points); (2) evaluate
/// `phi` at [`probe_points`] in the plane and read the assignment and the literal choices
/// (module docs); (3) check that they form a 1-in-3 solution with its true literals — this
/// cannot fail if Lemmas 5 and 6 hold, and is an error if it does; (4) rebuild the
/// canonical network with [`super::lift`] and verify it.
pub fn decode(inst: &Instance, net: &Network) -> Result<Decoded> {
    decode_within(inst, net, &RunLimits::none())
}

/// [`decode`] under run-time limits (checked between the steps and throughout both
/// verifications and the probes): [`Error::Stopped`] when they stop it.
pub fn decode_within(inst: &Instance, net: &Network, limits: &RunLimits) -> Result<Decoded> {
    let judge = |net: &Network| {
        verify_within(inst, net, limits).map_err(|e| match e {
            VerifyError::Stopped(s) => Error::Stopped(s),
            e => Error::Invalid(e.to_string()),
        })
    };
    let parsed = parse(inst)?;
    limits.check()?;
    let layout = &parsed.meta.layout;
    let base = parsed.meta.padding.base_points;
    let report = judge(net)?;
    if report.too_wide() {
        return Err(Error::Invalid(format!(
            "the network has {} neurons but the instance allows k = {}",
            report.width, report.k
        )));
    }
    let misfit_base: Vec<usize> = report
        .worst_points(inst, usize::MAX)
        .into_iter()
        .filter(|&i| i < base)
        .collect();
    if !report.passes() {
        return Err(Error::Invalid(format!(
            "the network does not fit: error {} > gamma = {}; misfit construction points: {}",
            report.error,
            report.gamma,
            if misfit_base.is_empty() {
                "none (only the padding pairs are off their minimum)".to_string()
            } else {
                describe_misfits(inst, &report, &parsed.tags, &misfit_base)
            }
        )));
    }
    if !misfit_base.is_empty() {
        return Err(Error::Invalid(format!(
            "the network meets gamma = {} under the {} loss but does not fit the construction's points exactly, \
             which decoding needs (Lemmas 4 and 5 are about exact fits; see the padding docs): {}",
            inst.gamma,
            inst.loss,
            describe_misfits(inst, &report, &parsed.tags, &misfit_base)
        )));
    }
    let probes = padded_probes(layout, inst.dim());
    let refs: Vec<&[Rational]> = probes.iter().map(|p| p.as_slice()).collect();
    let values = evaluate_within(net, &refs, limits)?.values;
    let beyond = if report.width > parsed.width {
        format!(
            " (note: the network has {} neurons, more than the construction's {}, so Lemma 5 does not apply to it)",
            report.width, parsed.width
        )
    } else {
        String::new()
    };
    let (assignment, choices) = parsed
        .construction
        .decode_choices(layout, &values)
        .map_err(|e| {
            Error::Invalid(format!(
                "the network fits but its function is not a sum of one levee (stripe) per gadget, contradicting Lemma 5 (or its Corollary 8 analogue): {e}{beyond}"
            ))
        })?;
    let f = &parsed.meta.formula;
    if f.chosen_literals(&assignment).as_deref() != Some(choices.as_slice()) {
        return Err(Error::Invalid(format!(
            "the network fits but the decoded assignment (true variables {:?}) with literal choices {:?} \
             is not a 1-in-3 solution with those true literals, contradicting Lemma 6 / Theorem 1{beyond}",
            assignment.true_vars(),
            choices
        )));
    }
    limits.check()?;
    let canonical = parsed
        .construction
        .network(layout, &assignment, &choices)
        .padded_to(inst.dim());
    // Decoding the canonical network itself (the common case) needs no second verification.
    let canonical_report = if canonical == *net {
        report.clone()
    } else {
        judge(&canonical)?
    };
    if !canonical_report.passes()
        || canonical_report
            .misfit_points(inst)
            .into_iter()
            .any(|i| i < base)
    {
        return Err(Error::Invalid(format!(
            "the canonical network of the decoded solution does not fit (error {}), contradicting Theorem 1",
            canonical_report.error
        )));
    }
    Ok(Decoded {
        assignment,
        choices,
        canonical,
        report,
        canonical_report,
    })
}
