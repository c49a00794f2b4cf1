//! The reduction itself ([`reduce`]), the forward map ([`lift`]: a multicoloured clique ->
//! the canonical network, verified) and the backward map ([`decode`]: any network with error
//! `<= gamma` -> a multicoloured clique, checked).
//!
//! Width `k = 1`: the points of [`super::construction`], `k = 1`, loss `l^p`,
//! `gamma = sum_c (n_c - 1)`. Width `k > 1`: the same points at `z = 0` plus a witness ladder
//! ([`crate::reduce::ladder`]) with `k - 1` gadget windows, centred at the anchor, `eps =
//! 1/(2N^2)` (`N` the largest class), one free window for the neuron of the construction
//! (which gets the `z`-weight `-1/2`), and `gamma 4^p + 1` (threshold) or `gamma 8^p + 1`
//! (ReLU) copies of every ladder point (`docs/corollary9-mcc.md`, section 6).

use super::construction::{
    self, canonical_neuron, check_size, core_points, gamma, multiplicities, CoreTag,
};
use super::source::Source;
use crate::error::{Error, Result};
use crate::model::{Activation, Instance, LossSpec, Network, Point};
use crate::num::{int, ratio, Rational};
use crate::reduce::ladder::{Affine, Ladder, LadderSpec, LadderTag, Window};
use crate::verify::{evaluate, verify, Report};
use serde_json::{json, Value};
use std::fmt;

/// The name recorded in `meta.reduction`.
pub const REDUCTION: &str = "mcc-corollary9";

/// Options of [`reduce`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McOptions {
    /// Threshold (Corollary 9) or ReLU (JAIR 2022).
    pub activation: Activation,
    /// The exponent `p` of the `l^p` loss (0 counts non-zero residuals).
    pub p: u32,
    /// The width `k >= 1`; `k > 1` adds the witness ladder.
    pub width: usize,
}

impl Default for McOptions {
    fn default() -> Self {
        McOptions {
            activation: Activation::Threshold,
            p: 1,
            width: 1,
        }
    }
}

/// What a point of a reduced instance is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// A point of the construction (at `z = 0` when padded).
    Core(CoreTag),
    /// A point of the witness ladder.
    Ladder(LadderTag),
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::Core(t) => t.fmt(f),
            Tag::Ladder(t) => t.fmt(f),
        }
    }
}

/// The tolerance exponent base of the ladder copies: a ladder point misfit by `delta` costs
/// `delta^p` per copy, with `delta = 1/4` (threshold) or `1/8` (ReLU).
fn ladder_base(activation: Activation) -> u64 {
    match activation {
        Activation::Threshold => 4,
        Activation::Relu => 8,
    }
}

/// The ladder of a padded instance (`width > 1`) over the core points.
fn ladder(g: &crate::mcc::Mcc, opts: &McOptions, core: &[Point]) -> Result<Option<Ladder>> {
    if opts.width <= 1 {
        return Ok(None);
    }
    let d = construction::dimension(g.kappa());
    let n_max = g.colors().iter().map(Vec::len).max().unwrap_or(1) as i64;
    let copies = (ladder_base(opts.activation))
        .checked_pow(opts.p)
        .and_then(|b| b.checked_mul(gamma(g) as u64))
        .and_then(|x| x.checked_add(1))
        .filter(|&r| r <= crate::limits::MAX_POINTS as u64)
        .ok_or_else(|| {
            Error::input(
                "--p",
                "the padded l^p construction needs gamma b^p + 1 copies of every ladder point \
                 (b = 4 for threshold, 8 for ReLU), beyond the point limit: use a smaller p",
            )
        })? as usize;
    let (free, free_gaps) = match opts.activation {
        Activation::Threshold => (
            Window {
                samples: vec![ratio(3, 2), int(4)],
                neurons: 1,
            },
            vec![Affine::constant(int(1)), Affine::constant(int(0))],
        ),
        Activation::Relu => (
            Window {
                samples: vec![int(-3), int(-1), int(4), int(6)],
                neurons: 1,
            },
            vec![
                Affine {
                    alpha: int(1),
                    beta: ratio(-1, 2),
                },
                Affine::constant(int(0)),
            ],
        ),
    };
    let spec = LadderSpec {
        activation: opts.activation,
        base: vec![Rational::ZERO; d],
        eps: ratio(1, 2 * n_max * n_max),
        free: vec![free],
        free_gaps,
        free_on_perturbed: false,
        extra: opts.width - 1,
        copies,
    };
    Ladder::new(spec, core).map(Some)
}

/// The `z`-weight of the construction's neuron in a padded canonical network.
fn data_z_weight() -> Rational {
    ratio(-1, 2)
}

/// Everything [`reduce`] builds, in instance order.
struct Built {
    tags: Vec<Tag>,
    points: Vec<Point>,
    gamma: usize,
    ladder: Option<Ladder>,
    mult: construction::Multiplicities,
}

fn build(g: &crate::mcc::Mcc, opts: &McOptions) -> Result<Built> {
    if opts.width == 0 {
        return Err(Error::input("--width", "the width must be at least 1"));
    }
    if opts.p > crate::limits::MAX_LOSS_EXPONENT {
        return Err(Error::input(
            "--p",
            format!(
                "p = {} exceeds the limit of {}",
                opts.p,
                crate::limits::MAX_LOSS_EXPONENT
            ),
        ));
    }
    let mult = multiplicities(g, opts.p)?;
    check_size(g, &mult, 0)?;
    let core = core_points(g, &mult);
    let core_only: Vec<Point> = core.iter().map(|(_, p)| p.clone()).collect();
    let ladder = ladder(g, opts, &core_only)?;
    let (mut tags, mut points): (Vec<Tag>, Vec<Point>) =
        core.into_iter().map(|(t, p)| (Tag::Core(t), p)).unzip();
    if let Some(l) = &ladder {
        check_size(g, &mult, l.size())?;
        for p in &mut points {
            p.x.push(Rational::ZERO);
        }
        for (t, p) in l.points() {
            tags.push(Tag::Ladder(t));
            points.push(p);
        }
    }
    Ok(Built {
        tags,
        points,
        gamma: gamma(g),
        ladder,
        mult,
    })
}

/// Build the training instance for `source`: `k = opts.width`, loss `l^p`,
/// `gamma = sum_c (n_c - 1)`. It has a network with error `<= gamma` iff the source has a
/// multicoloured clique (`docs/corollary9-mcc.md`). `meta` records the source graph and the
/// parameters, so that [`lift`] and [`decode`] work from the instance alone.
pub fn reduce(source: &Source, opts: &McOptions) -> Result<Instance> {
    let g = source.mcc()?;
    let b = build(&g, opts)?;
    let counts = |f: &dyn Fn(&Tag) -> bool| b.tags.iter().filter(|t| f(t)).count();
    let meta = json!({
        "reduction": REDUCTION,
        "activation": opts.activation.name(),
        "p": opts.p,
        "graph": source.to_json(),
        "gamma": b.gamma,
        "multiplicities": { "anchor": b.mult.anchor, "tangents": b.mult.tangents },
        "points": {
            "anchor": counts(&|t| matches!(t, Tag::Core(CoreTag::Anchor))),
            "tangents": counts(&|t| matches!(t, Tag::Core(CoreTag::Tangent { .. }))),
            "selections": counts(&|t| matches!(t, Tag::Core(CoreTag::Selection { .. }))),
            "non_edges": counts(&|t| matches!(t, Tag::Core(CoreTag::NonEdge { .. }))),
            "ladder": counts(&|t| matches!(t, Tag::Ladder(_))),
        },
        "width": opts.width,
        "ladder": b.ladder.as_ref().map_or(Value::Null, Ladder::to_json),
    });
    let mut inst = Instance {
        activation: opts.activation,
        k: opts.width,
        gamma: int(b.gamma as i64),
        loss: crate::model::Loss::Abs,
        lp: None,
        points: b.points,
        meta,
    };
    inst.set_loss(LossSpec::lp(opts.p));
    inst.validate()?;
    Ok(inst)
}

/// An MCC instance read back: its source, options and point tags, checked against the points.
pub struct Parsed {
    /// The source graph.
    pub source: Source,
    /// Its coloured graph.
    pub graph: crate::mcc::Mcc,
    /// The options it was built with.
    pub opts: McOptions,
    /// Every point's tag.
    pub tags: Vec<Tag>,
    /// The ladder, if padded.
    pub ladder: Option<Ladder>,
}

/// Parse `inst.meta` and check that the instance is exactly the construction it records.
pub fn parse(inst: &Instance) -> Result<Parsed> {
    let bad = |m: String| Error::input("instance meta", m);
    let meta = &inst.meta;
    if meta.get("reduction").and_then(Value::as_str) != Some(REDUCTION) {
        return Err(bad(format!(
            "`reduction` is not \"{REDUCTION}\": the instance was not made by `reduce mcc`"
        )));
    }
    let p = meta
        .get("p")
        .and_then(Value::as_u64)
        .filter(|&p| p <= crate::limits::MAX_LOSS_EXPONENT as u64)
        .ok_or_else(|| bad("missing or invalid `p`".into()))? as u32;
    let width = meta
        .get("width")
        .and_then(Value::as_u64)
        .filter(|&w| w >= 1 && w as usize <= crate::limits::MAX_WIDTH)
        .ok_or_else(|| bad("missing or invalid `width`".into()))? as usize;
    let graph_value = meta
        .get("graph")
        .ok_or_else(|| bad("missing `graph`".into()))?;
    let source = Source::from_json(graph_value, "instance meta: graph")?;
    let opts = McOptions {
        activation: inst.activation,
        p,
        width,
    };
    let graph = source.mcc()?;
    let b = build(&graph, &opts)?;
    let mismatch = |what: String| {
        Err(Error::Invalid(format!(
            "the instance is not the MCC construction its meta records: {what}"
        )))
    };
    if inst.loss_spec() != LossSpec::lp(p) {
        return mismatch(format!(
            "meta says l^{p}, the instance has the {} loss",
            inst.loss_spec()
        ));
    }
    if inst.gamma != int(b.gamma as i64) {
        return mismatch(format!(
            "gamma = {}, the construction has {}",
            inst.gamma, b.gamma
        ));
    }
    if inst.k < width {
        return mismatch(format!("k = {}, the construction has k = {width}", inst.k));
    }
    if inst.points.len() != b.points.len() {
        return mismatch(format!(
            "{} points, the construction has {}",
            inst.points.len(),
            b.points.len()
        ));
    }
    if let Some(i) = b.points.iter().zip(&inst.points).position(|(e, p)| e != p) {
        return mismatch(format!(
            "points[{i}] differs from the construction's {}",
            b.tags[i]
        ));
    }
    Ok(Parsed {
        source,
        graph,
        opts,
        tags: b.tags,
        ladder: b.ladder,
    })
}

/// The tag of every point of an MCC instance (for messages and plots).
pub fn point_tags(inst: &Instance) -> Result<Vec<Tag>> {
    Ok(parse(inst)?.tags)
}

/// The canonical network of a multicoloured clique given as ranks (class order).
fn canonical(parsed: &Parsed, ranks: &[usize]) -> Network {
    let core = Network::new(parsed.opts.activation, vec![canonical_neuron(ranks)]);
    match &parsed.ladder {
        None => core,
        Some(l) => l.pad_network(&core, &[data_z_weight()]),
    }
}

/// The canonical network of `clique` (vertices in the source's terms: the coloured graph's
/// vertices, or `kappa` vertices of the DIMACS graph), for the instance `inst` made by
/// [`reduce`]: one neuron (`b = 1`, `u = 1`, `s_c = nu_c`, `t_c = nu_c^2`), plus the ladder's
/// neurons when padded. Refused when `clique` is not one vertex per class; a set that is not
/// a clique gives a network the verifier rejects (the caller reports it).
pub fn lift(inst: &Instance, clique: &[u64]) -> Result<Network> {
    let parsed = parse(inst)?;
    let chosen = match parsed.source.to_mcc_clique(&parsed.graph, clique) {
        Ok(c) => c,
        Err(e) => {
            // Not a clique: still build the network if there is one vertex per class, so that
            // the verifier can show where it fails.
            let per_class = one_per_class(&parsed, clique).ok_or_else(|| {
                Error::input("--clique", format!("not a multicoloured clique: {e}"))
            })?;
            per_class
        }
    };
    let ranks: Vec<usize> = chosen
        .iter()
        .map(|&v| parsed.graph.position(v).expect("coloured").1)
        .collect();
    Ok(canonical(&parsed, &ranks))
}

/// One vertex per class (class order) if `clique` names one, in source terms.
fn one_per_class(parsed: &Parsed, clique: &[u64]) -> Option<Vec<u64>> {
    let g = &parsed.graph;
    let mapped: Vec<u64> = match &parsed.source {
        Source::Colored(_) => clique.to_vec(),
        Source::Copies { graph, kappa } => {
            if clique.len() != *kappa || clique.iter().any(|&v| v == 0 || v as usize > graph.n) {
                return None;
            }
            let mut sorted = clique.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() != clique.len() {
                return None;
            }
            crate::mcc::clique_in_copies(graph.n, &sorted)
        }
    };
    let mut per: Vec<Option<u64>> = vec![None; g.kappa()];
    for &v in &mapped {
        let (c, _) = g.position(v)?;
        if per[c].replace(v).is_some() {
            return None;
        }
    }
    per.into_iter().collect()
}

/// The result of [`decode`].
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The multicoloured clique in the source's terms (for a DIMACS source: the `kappa`
    /// vertices of the graph, ascending).
    pub clique: Vec<u64>,
    /// One vertex per colour class of the coloured graph, in class order.
    pub chosen: Vec<u64>,
    /// The canonical network of the decoded clique (rebuilt by [`lift`]).
    pub canonical: Network,
    /// The verifier's report on the given network.
    pub report: Report,
    /// The verifier's report on the canonical network (it passes).
    pub canonical_report: Report,
}

/// Decode a network with error `<= gamma` on an instance made by [`reduce`] into a
/// multicoloured clique, whatever its parametrisation: the network is verified, then `phi`
/// is evaluated at the selection points, and the active one (`phi != 0`) of every class is
/// the chosen vertex (`docs/corollary9-mcc.md`, section 5: exactly one per class, and the
/// chosen vertices are pairwise adjacent). Both facts are checked; the canonical network of
/// the clique is rebuilt and verified.
pub fn decode(inst: &Instance, net: &Network) -> Result<Decoded> {
    let parsed = parse(inst)?;
    let report = verify(inst, net).map_err(|e| Error::Invalid(e.to_string()))?;
    if !report.passes() {
        return Err(Error::Invalid(format!(
            "the network does not solve the instance (width {} vs k = {}, error {} vs gamma = \
             {}); decoding needs a network with error <= gamma",
            report.width, report.k, report.error, report.gamma
        )));
    }
    let beyond = if report.width > parsed.opts.width {
        format!(
            " (note: the network has {} neurons, more than the construction's {}, so the \
             theorem does not cover it)",
            report.width, parsed.opts.width
        )
    } else {
        String::new()
    };
    let g = &parsed.graph;
    let mut chosen = Vec::with_capacity(g.kappa());
    for c in 0..g.kappa() {
        let active: Vec<usize> = parsed
            .tags
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match t {
                Tag::Core(CoreTag::Selection { class, rank }) if *class == c => {
                    (report.values[i] != Rational::ZERO).then_some(*rank)
                }
                _ => None,
            })
            .collect();
        if active.len() != 1 {
            return Err(Error::Invalid(format!(
                "the network has error <= gamma but phi is non-zero at {} selection points of \
                 colour class {} (ranks {active:?}), not exactly one, contradicting section 4 of \
                 docs/corollary9-mcc.md{beyond}",
                active.len(),
                c + 1
            )));
        }
        chosen.push(g.vertex(c, active[0]));
    }
    if let Err(e) = g.check_clique(&chosen) {
        return Err(Error::Invalid(format!(
            "the network has error <= gamma but the vertices it selects ({chosen:?}) are not a \
             multicoloured clique: {e}; this contradicts section 4 of \
             docs/corollary9-mcc.md{beyond}"
        )));
    }
    let ranks: Vec<usize> = chosen
        .iter()
        .map(|&v| g.position(v).expect("coloured").1)
        .collect();
    let canonical = canonical(&parsed, &ranks);
    let canonical_report = if canonical == *net {
        report.clone()
    } else {
        verify(inst, &canonical).map_err(|e| Error::Invalid(e.to_string()))?
    };
    if !canonical_report.passes() {
        return Err(Error::Invalid(format!(
            "internal error: the canonical network of the decoded clique has error {} > gamma",
            canonical_report.error
        )));
    }
    Ok(Decoded {
        clique: parsed.source.from_mcc_clique(&chosen),
        chosen,
        canonical,
        report,
        canonical_report,
    })
}

/// `phi` of `net` at the selection points, per class (rank order): what [`decode`] reads.
pub fn selection_values(inst: &Instance, net: &Network) -> Result<Vec<Vec<Rational>>> {
    let parsed = parse(inst)?;
    let mut out = vec![Vec::new(); parsed.graph.kappa()];
    let xs: Vec<&[Rational]> = parsed
        .tags
        .iter()
        .zip(&inst.points)
        .filter(|(t, _)| matches!(t, Tag::Core(CoreTag::Selection { .. })))
        .map(|(_, p)| p.x.as_slice())
        .collect();
    let values = evaluate(net, &xs).values;
    let mut it = values.into_iter();
    for t in &parsed.tags {
        if let Tag::Core(CoreTag::Selection { class, .. }) = t {
            out[*class].push(it.next().expect("one value per selection"));
        }
    }
    Ok(out)
}
