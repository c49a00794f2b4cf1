//! The over-parameterised fit (`k >=` number of distinct inputs), after Zhang et al.,
//! "Understanding deep learning (still) requires rethinking generalization", Theorem 1 (the
//! paper's reference \[25\]): project the data onto a direction that separates all distinct
//! inputs, put one breakpoint between consecutive sorted projections, and solve the
//! (triangular) system for the output weights, all in exact rationals.
//!
//! When inputs repeat with different labels, each group of equal inputs is fitted to the
//! value that minimises the group's loss (mean for `squared`, a median for `abs`, the
//! mid-range for `max`, a most frequent label for `zero-one`). Groups are independent, so the
//! resulting error is the least error of *any* function on the data: the network is optimal
//! for every width `k >=` number of groups.

use crate::limits::{RunLimits, Stopped};
use crate::model::{Activation, Instance, Loss, Network, Neuron};
use crate::num::{int, Int, Rational};
use crate::verify::training_error;
use std::collections::BTreeMap;
use std::convert::Infallible;

/// The interpolating network and the (optimal) error it attains.
#[derive(Debug, Clone)]
pub struct Interpolation {
    /// The network, with `a_j` in {+1, -1} for ReLU.
    pub network: Network,
    /// Its exact training error, the least any function attains on the data.
    pub optimum: Rational,
}

/// Build the interpolating network. Fails if `k` is below the number of distinct inputs.
pub fn interpolate(inst: &Instance) -> Result<Interpolation, crate::solve::SolveError> {
    let Ok(fit) = interpolate_checked(inst, &mut || Ok::<(), Infallible>(()));
    fit
}

/// [`interpolate`] under run-time limits (checked between the candidate directions): the
/// outer `Err` says the limits stopped it, the inner one that it does not apply.
pub fn interpolate_within(
    inst: &Instance,
    limits: &RunLimits,
) -> Result<Result<Interpolation, crate::solve::SolveError>, Stopped> {
    interpolate_checked(inst, &mut || limits.check())
}

fn interpolate_checked<E>(
    inst: &Instance,
    check: &mut dyn FnMut() -> Result<(), E>,
) -> Result<Result<Interpolation, crate::solve::SolveError>, E> {
    check()?;
    let groups = group_targets(inst);
    if inst.k < groups.len() {
        return Ok(Err(crate::solve::SolveError::NotApplicable(format!(
            "interpolation needs k >= {} (the number of distinct inputs), but k = {}",
            groups.len(),
            inst.k
        ))));
    }
    let d = inst.dim();
    let xs: Vec<&Vec<Rational>> = groups.keys().collect();
    let direction = separating_direction(&xs, d, check)?;
    let mut line: Vec<(Rational, Rational)> = groups
        .iter()
        .map(|(x, target)| (dot(&direction, x), target.clone()))
        .collect();
    line.sort();
    let betas: Vec<Rational> = (0..line.len())
        .map(|i| {
            if i == 0 {
                &line[0].0 - int(1)
            } else {
                (&line[i - 1].0 + &line[i].0) / int(2)
            }
        })
        .collect();
    let mut neurons = Vec::new();
    match inst.activation {
        Activation::Threshold => {
            // phi(z_i) = sum_{j <= i} a_j, so a_i = t_i - t_{i-1}.
            let mut previous = Rational::ZERO;
            for (i, (_, t)) in line.iter().enumerate() {
                let a = t - &previous;
                previous = t.clone();
                if a != Rational::ZERO {
                    neurons.push(Neuron::new(direction.clone(), -betas[i].clone(), a));
                }
            }
        }
        Activation::Relu => {
            // Walk the spline: value v and slope s just after z_{i-1}; the new breakpoint at
            // beta_i changes the slope by a_i so that the value at z_i is t_i.
            let (mut v, mut s) = (Rational::ZERO, Rational::ZERO);
            let mut z_prev = betas[0].clone();
            for (i, (z, t)) in line.iter().enumerate() {
                let at_beta = &v + &s * (&betas[i] - &z_prev);
                let new_slope = (t - &at_beta) / (z - &betas[i]);
                let a = &new_slope - &s;
                if a != Rational::ZERO {
                    neurons.push(Neuron::new(direction.clone(), -betas[i].clone(), a));
                }
                s = new_slope;
                v = t.clone();
                z_prev = z.clone();
            }
        }
    }
    let network = Network::new(inst.activation, neurons).normalize();
    let labels: Vec<&Rational> = inst.points.iter().map(|p| &p.y).collect();
    let fitted: Vec<Rational> = inst.points.iter().map(|p| groups[&p.x].clone()).collect();
    let optimum = training_error(inst.loss, labels.into_iter(), &fitted);
    Ok(Ok(Interpolation { network, optimum }))
}

/// Each distinct input with the value that minimises its group's loss.
fn group_targets(inst: &Instance) -> BTreeMap<Vec<Rational>, Rational> {
    let mut labels: BTreeMap<Vec<Rational>, Vec<Rational>> = BTreeMap::new();
    for p in &inst.points {
        labels.entry(p.x.clone()).or_default().push(p.y.clone());
    }
    labels
        .into_iter()
        .map(|(x, ys)| (x, best_constant(inst.loss, ys)))
        .collect()
}

/// The constant that minimises `loss` over the labels `ys` (non-empty).
fn best_constant(loss: Loss, mut ys: Vec<Rational>) -> Rational {
    ys.sort();
    let n = ys.len();
    match loss {
        Loss::Squared => ys.iter().fold(Rational::ZERO, |a, y| a + y) / Rational::from(n),
        Loss::Abs => ys[(n - 1) / 2].clone(),
        Loss::Max => (&ys[0] + &ys[n - 1]) / int(2),
        Loss::ZeroOne => {
            let (mut best, mut best_count, mut i) = (ys[0].clone(), 0, 0);
            while i < n {
                let j = (i..n).find(|&j| ys[j] != ys[i]).unwrap_or(n);
                if j - i > best_count {
                    best_count = j - i;
                    best = ys[i].clone();
                }
                i = j;
            }
            best
        }
    }
}

fn dot(c: &[Rational], x: &[Rational]) -> Rational {
    c.iter()
        .zip(x)
        .fold(Rational::ZERO, |acc, (a, b)| acc + a * b)
}

/// An integer direction `(1, t, t^2, ...)` on which all `xs` (distinct) project to distinct
/// values. Two distinct points collide for at most `d - 1` values of `t`, so some
/// `t <= (d-1) C(n,2) + 1` works; in practice `t = 1` or `2` nearly always does.
fn separating_direction<E>(
    xs: &[&Vec<Rational>],
    d: usize,
    check: &mut dyn FnMut() -> Result<(), E>,
) -> Result<Vec<Rational>, E> {
    let mut t: i64 = 1;
    loop {
        check()?;
        let dir: Vec<Rational> = (0..d)
            .map(|k| Rational::from(Int::from(t).pow(k)))
            .collect();
        let mut z: Vec<Rational> = xs.iter().map(|x| dot(&dir, x)).collect();
        z.sort();
        if z.windows(2).all(|w| w[0] != w[1]) {
            return Ok(dir);
        }
        t += 1;
    }
}
