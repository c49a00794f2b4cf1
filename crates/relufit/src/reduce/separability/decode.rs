//! The backward solution map: a network that fits a reduced instance (error `<= gamma`) ->
//! two hyperplanes that strictly separate `Q` and `P`, checked exactly.
//!
//! ReLU (proof of Theorem 7): after the normalisation `a_j in {-1, 0, +1}` and dropping
//! neurons with `a = 0` or `w = 0` (they are affine), every open segment `qp` is crossed
//! transversally by the breakline of a neuron in `I+` and by one in `I-`. The side with at
//! most two distinct breaklines is taken (`I+` first if both qualify); with `k = 4` one side
//! always qualifies. For wider networks (or if both sides have more), every set of at most
//! two candidate breaklines is tried. Threshold (Corollary 10): the neurons' own hyperplanes.
//!
//! A chosen hyperplane may contain a data point, which strict separation forbids; its
//! offset is moved by `-mu/2`, `mu` the least non-zero `|w . x + b|` over `Q u P`. That keeps
//! every non-zero sign and makes the zeros negative, so a segment crossed transversally
//! stays crossed (ReLU), and the threshold pattern `1{w . x + b > 0}` on the data is
//! unchanged (threshold). A side with one hyperplane is completed by a copy of it.

use super::check::{check_strict, orient};
use super::problem::{Hyperplane, SeparabilityInstance};
use super::reduction::Layout;
use crate::error::{Error, Result};
use crate::limits::RunLimits;
use crate::model::{Activation, Instance, Network};
use crate::num::{abs, signum, Rational};
use crate::verify::{verify_within, VerifyError};

/// Which breaklines the decoded hyperplanes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The neurons with `a > 0` (`I+`, Theorem 7).
    Positive,
    /// The neurons with `a < 0` (`I-`, Theorem 7).
    Negative,
    /// A search over all breaklines (wide networks where neither side has at most two).
    Search,
    /// The threshold neurons' hyperplanes (Corollary 10).
    Threshold,
}

/// The result of [`decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Two hyperplanes strictly separating `Q` and `P` (checked by [`check_strict`]);
    /// re-oriented into (3)-(4) when possible.
    pub pair: [Hyperplane; 2],
    /// True if `pair` satisfies (3)-(4) (margin (5) not implied).
    pub restricted: bool,
    /// Where they came from.
    pub origin: Origin,
}

/// Shift `h` off every point of `src` by `-mu/2` (see the module documentation).
pub fn shift_off_points(src: &SeparabilityInstance, h: &Hyperplane) -> Hyperplane {
    let mu = src
        .points()
        .map(|x| abs(&h.value(x)))
        .filter(|v| *v != Rational::ZERO)
        .min()
        .unwrap_or(Rational::from(2u8));
    Hyperplane::new(h.h.clone(), &h.o - mu / Rational::from(2u8))
}

/// Canonical key of a hyperplane up to positive scaling (`oriented`) or any non-zero scaling:
/// divide by `|first non-zero entry of h|` (resp. by that entry).
fn key(h: &Hyperplane, oriented: bool) -> Vec<Rational> {
    let first =
        h.h.iter()
            .find(|a| **a != Rational::ZERO)
            .cloned()
            .unwrap_or(Rational::ONE);
    let s = if oriented { abs(&first) } else { first };
    h.h.iter()
        .chain(std::iter::once(&h.o))
        .map(|a| a / &s)
        .collect()
}

fn distinct(hs: Vec<Hyperplane>, oriented: bool) -> Vec<Hyperplane> {
    let mut out: Vec<Hyperplane> = Vec::new();
    let mut keys: Vec<Vec<Rational>> = Vec::new();
    for h in hs {
        let k = key(&h, oriented);
        if !keys.contains(&k) {
            keys.push(k);
            out.push(h);
        }
    }
    out
}

/// Shift the (one or two) hyperplanes off the points and check strict separation.
fn try_set(src: &SeparabilityInstance, set: &[&Hyperplane]) -> Option<[Hyperplane; 2]> {
    let shifted: Vec<Hyperplane> = set.iter().map(|h| shift_off_points(src, h)).collect();
    let pair = match shifted.as_slice() {
        [a] => [a.clone(), a.clone()],
        [a, b] => [a.clone(), b.clone()],
        _ => return None,
    };
    check_strict(src, &pair).is_ok().then_some(pair)
}

fn search(
    src: &SeparabilityInstance,
    cands: &[Hyperplane],
    limits: &RunLimits,
) -> Result<Option<[Hyperplane; 2]>> {
    for i in 0..cands.len() {
        for j in i..cands.len() {
            limits.check()?;
            let set: Vec<&Hyperplane> = if i == j {
                vec![&cands[i]]
            } else {
                vec![&cands[i], &cands[j]]
            };
            if let Some(p) = try_set(src, &set) {
                return Ok(Some(p));
            }
        }
    }
    Ok(None)
}

/// Decode a network that reaches error `<= gamma` on a reduced instance (from
/// [`super::reduce`]) into two hyperplanes strictly separating the source `(Q, P)`. The
/// network is first judged by [`crate::verify::verify`] (and the core points must be fitted exactly, which
/// the padding guarantees); the answer is checked by [`check_strict`].
pub fn decode(inst: &Instance, net: &Network) -> Result<Decoded> {
    decode_within(inst, net, &RunLimits::none())
}

/// [`decode`] under run-time limits (the verification and the search over breaklines check
/// them): [`Error::Stopped`] when they stop it.
pub fn decode_within(inst: &Instance, net: &Network, limits: &RunLimits) -> Result<Decoded> {
    let layout = Layout::from_meta(inst)?;
    let src = layout.source(inst);
    let report = verify_within(inst, net, limits).map_err(|e| match e {
        VerifyError::Stopped(s) => Error::Stopped(s),
        e => Error::Invalid(e.to_string()),
    })?;
    if !report.passes() {
        return Err(Error::Invalid(format!(
            "the network does not solve the instance (width {} vs k = {}, error {} vs gamma = {}); \
             decoding needs a fitting network",
            report.width, report.k, report.error, report.gamma
        )));
    }
    if let Some(i) = (0..layout.num_fitted()).find(|&i| report.values[i] != inst.points[i].y) {
        return Err(Error::Invalid(format!(
            "internal error: the network passes but misfits point {i} (core or width ladder); \
             the padding argument failed"
        )));
    }
    // A padded instance: on the original points (z = 0) only the neurons whose hyperplane
    // separates two of them matter; the ladder's neurons are constant (threshold) or affine
    // (ReLU) there (docs/width-padding.md, section 6).
    let restricted;
    let net = if layout.ladder.is_some() {
        restricted = separating_neurons(&src, &crate::reduce::ladder::restrict(net));
        &restricted
    } else {
        net
    };
    if src.q.is_empty() || src.p.is_empty() {
        // Nothing to separate: any hyperplane off the points will do.
        let far = super::decide::far_hyperplane(&src, false);
        return finish(&src, [far.clone(), far], Origin::Search);
    }
    let as_plane = |n: &crate::model::Neuron| Hyperplane::new(n.w.clone(), n.b.clone());
    let live = |n: &&crate::model::Neuron| {
        n.a != Rational::ZERO && n.w.iter().any(|a| *a != Rational::ZERO)
    };
    match net.activation {
        Activation::Threshold => {
            let cands = distinct(
                net.neurons.iter().filter(live).map(as_plane).collect(),
                true,
            );
            if cands.len() <= 2 {
                let set: Vec<&Hyperplane> = cands.iter().collect();
                if let Some(p) = try_set(&src, &set) {
                    return finish(&src, p, Origin::Threshold);
                }
            }
            match search(&src, &cands, limits)? {
                Some(p) => finish(&src, p, Origin::Search),
                None => Err(no_pair(cands.len())),
            }
        }
        Activation::Relu => {
            let side = |s: i8| -> Vec<Hyperplane> {
                distinct(
                    net.neurons
                        .iter()
                        .filter(live)
                        .filter(|n| signum(&n.a) == s)
                        .map(as_plane)
                        .collect(),
                    false,
                )
            };
            let (plus, minus) = (side(1), side(-1));
            for (cands, origin) in [(&plus, Origin::Positive), (&minus, Origin::Negative)] {
                if !cands.is_empty() && cands.len() <= 2 {
                    let set: Vec<&Hyperplane> = cands.iter().collect();
                    if let Some(p) = try_set(&src, &set) {
                        return finish(&src, p, origin);
                    }
                }
            }
            let all = distinct(plus.into_iter().chain(minus).collect(), false);
            match search(&src, &all, limits)? {
                Some(p) => finish(&src, p, Origin::Search),
                None => Err(no_pair(all.len())),
            }
        }
    }
}

/// The neurons of `net` whose hyperplane separates two points of `Q u P` (threshold: the
/// activation differs; ReLU: strictly opposite signs, i.e. the open segment is crossed).
fn separating_neurons(src: &SeparabilityInstance, net: &Network) -> Network {
    let keep = |n: &crate::model::Neuron| {
        let signs: Vec<i8> = src
            .points()
            .map(|x| {
                let v =
                    n.w.iter()
                        .zip(x)
                        .fold(n.b.clone(), |acc, (a, b)| acc + a * b);
                signum(&v)
            })
            .collect();
        match net.activation {
            Activation::Threshold => signs.iter().any(|&s| s > 0) && signs.iter().any(|&s| s <= 0),
            Activation::Relu => signs.contains(&1) && signs.contains(&-1),
        }
    };
    Network::new(
        net.activation,
        net.neurons.iter().filter(|n| keep(n)).cloned().collect(),
    )
}

fn no_pair(n: usize) -> Error {
    Error::Invalid(format!(
        "no one or two of the network's {n} distinct breaklines strictly separate Q and P \
         (possible only for networks wider than the reduction's k)"
    ))
}

fn finish(src: &SeparabilityInstance, pair: [Hyperplane; 2], origin: Origin) -> Result<Decoded> {
    check_strict(src, &pair).map_err(|e| {
        Error::Invalid(format!(
            "internal error: decoded hyperplanes fail the check: {e}"
        ))
    })?;
    let (pair, restricted) = match orient(src, &pair) {
        Some(o) => (o, true),
        None => (pair, false),
    };
    Ok(Decoded {
        pair,
        restricted,
        origin,
    })
}
