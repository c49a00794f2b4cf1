//! The POITS reduction (Theorem 1 for ReLU, Corollary 8 for threshold) and the forward map
//! from a truth assignment to a network.
//!
//! # Two constructions, one interface
//!
//! Both constructions share the [`Layout`] (gadget centres, slopes, `Delta`, `delta`,
//! `epsilon`, the points `p_{j,r}`) and differ in their gadget points and in the shape placed
//! on each gadget (a levee of four ReLUs, a stripe of two threshold neurons). Each one is a
//! [`Construction`]:
//!
//! - [`Construction::points`]: the 2-D data points with their [`PointTag`]s;
//! - [`Construction::network`]: the 2-D network for an assignment and literal choices (the
//!   analogue of equation (2));
//! - [`Construction::decode_choices`]: read the assignment and the choices back from the
//!   values of `phi` at the probe points [`super::decode::probe_points`] (a default is
//!   provided, valid for any construction whose fitting functions are sums of one 0/1 shape
//!   per gadget that is 1 on the shape's centre line and 0 at vertical distance >= 2 from
//!   it; see [`mod@super::decode`]).
//!
//! Padding ([`super::pad`]), the `meta` record ([`super::meta`]), [`reduce`], [`lift`] and
//! [`super::decode()`] are shared. The Theorem 1 construction is
//! `super::relu::ReluConstruction`; the Corollary 8 construction is
//! [`super::threshold::ThresholdConstruction`] (its gadget and correctness argument:
//! `docs/corollary8-threshold.md`).

use super::decode::{probe_points, read_probes};
use super::layout::{Layout, PointTag};
use super::meta::{self, PoitsMeta};
use super::pad::pad;
use super::relu::ReluConstruction;
use super::threshold::ThresholdConstruction;
use crate::error::{Error, Result};
use crate::limits::RunLimits;
use crate::model::{Activation, Instance, Loss, Network, Point};
use crate::num::Rational;
use crate::sat::{Assignment, Formula};

/// A POITS construction on the common [`Layout`] (see the module docs).
pub trait Construction: Sync {
    /// The name recorded in `meta.reduction` (`poits-theorem1`, `poits-corollary8`).
    fn name(&self) -> &'static str;

    /// The hidden activation of its networks.
    fn activation(&self) -> Activation;

    /// The width `k` (4(m + n) for Theorem 1, 2(m + n) for Corollary 8).
    fn width(&self, layout: &Layout) -> usize;

    /// The 2-D data points with their tags, in instance order.
    fn points(&self, layout: &Layout) -> Vec<(PointTag, Point)>;

    /// The 2-D network for assignment `a` (`n` values) and literal choices `choices`
    /// (`m` entries in `1..=3`), one shape per gadget, in gadget order. Callers check the
    /// lengths and ranges.
    fn network(&self, layout: &Layout, a: &Assignment, choices: &[usize]) -> Network;

    /// Read the assignment and the literal choices from `values`, the values of a fitting
    /// network's `phi` at [`probe_points`] (in that order). The default applies the probe
    /// argument of [`mod@super::decode`]. The message of an error says which probe had an
    /// impossible value.
    fn decode_choices(
        &self,
        layout: &Layout,
        values: &[Rational],
    ) -> std::result::Result<(Assignment, Vec<usize>), String> {
        read_probes(layout, values)
    }
}

/// Options of the POITS reduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoitsOptions {
    /// ReLU (Theorem 1) or threshold (Corollary 8).
    pub activation: Activation,
    /// Input dimension `d >= 2` (padding by zeros, [`super::pad`]).
    pub dim: usize,
    /// Target error `gamma >= 0` (padding by incompatible pairs, [`super::pad`]).
    pub gamma: Rational,
    /// The loss.
    pub loss: Loss,
}

impl Default for PoitsOptions {
    /// ReLU, `d = 2`, `gamma = 0`, squared loss: the instance of Theorem 1 itself.
    fn default() -> Self {
        PoitsOptions {
            activation: Activation::Relu,
            dim: 2,
            gamma: Rational::ZERO,
            loss: Loss::Squared,
        }
    }
}

/// The Corollary 8 (threshold) construction.
pub fn threshold_construction() -> Result<&'static dyn Construction> {
    Ok(&ThresholdConstruction)
}

/// The construction for `activation`.
pub fn construction_for(activation: Activation) -> Result<&'static dyn Construction> {
    match activation {
        Activation::Relu => Ok(&ReluConstruction),
        Activation::Threshold => threshold_construction(),
    }
}

/// The construction named in `meta.reduction`.
fn construction_named(name: &str) -> Result<&'static dyn Construction> {
    for act in [Activation::Relu, Activation::Threshold] {
        if let Ok(c) = construction_for(act) {
            if c.name() == name {
                return Ok(c);
            }
        }
    }
    Err(Error::input(
        "instance meta: reduction",
        format!("unknown or unavailable POITS construction `{name}`"),
    ))
}

/// Why [`reduce`] refuses the max loss with `gamma > 0`.
pub const MAX_LOSS_REFUSAL: &str = "refused: under the max loss the padding for gamma > 0 is \
    not equivalent to the formula. A solution gives error exactly gamma, but the converse fails: \
    the unsatisfiable formula `p cnf 4 4` / `1 2 3` / `1 2 4` / `1 3 4` / `2 3 4` gets a padded \
    instance that a network fits with max error gamma (the all-false canonical network with its \
    output weights scaled by 1 - gamma, for gamma = 1/3), because a max-loss error <= gamma \
    allows residuals on the construction's points. Use gamma = 0 (any loss) or the squared, \
    abs or zero-one loss";

/// Refuse a formula whose instance would exceed [`crate::limits::MAX_POINTS`] points or
/// [`crate::limits::MAX_NUMBERS`] numbers, before anything is built.
fn check_size(f: &Formula, opts: &PoitsOptions) -> Result<()> {
    use crate::limits::{check_numbers, MAX_POINTS};
    // 38m + 33n bounds both constructions (Corollary 8 has 32m + 25n), plus the pairs.
    let pairs = super::pad::label_pairs(&opts.gamma, opts.loss)?.len();
    let points = f
        .num_clauses()
        .checked_mul(38)
        .and_then(|a| a.checked_add(f.num_vars.checked_mul(33)?))
        .and_then(|a| a.checked_add(pairs.checked_mul(2)?))
        .filter(|&p| p <= MAX_POINTS)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "a formula with n = {} variables and m = {} clauses gives more than \
                 {MAX_POINTS} points (38m + 33n), the limit of a reduction",
                f.num_vars,
                f.num_clauses()
            ))
        })?;
    check_numbers(
        "--dim",
        &format!("{points} points of dimension {}", opts.dim),
        points,
        opts.dim.saturating_add(1),
    )
}

/// Build the training instance of Theorem 1 (or Corollary 8) for `f`, padded to
/// `opts.dim` and `opts.gamma`. Refused: the max loss with `gamma > 0`
/// ([`MAX_LOSS_REFUSAL`]) and instances beyond the [`crate::limits`].
///
/// For ReLU, `d = 2`, `gamma = 0`: `38m + 33n` points, `k = 4(m + n)`, and the instance has a
/// network with error 0 iff `f` has a 1-in-3 solution (Theorem 1). `meta` records the
/// formula, the layout and the padding, so that [`lift`] and [`super::decode()`] work from
/// the instance alone.
pub fn reduce(f: &Formula, opts: &PoitsOptions) -> Result<Instance> {
    reduce_within(f, opts, &RunLimits::none())
}

/// [`reduce`] under run-time limits (checked between the steps: points, padding, meta):
/// [`Error::Stopped`] when they stop it.
pub fn reduce_within(f: &Formula, opts: &PoitsOptions, limits: &RunLimits) -> Result<Instance> {
    f.validate()?;
    if f.num_vars == 0 {
        return Err(Error::Invalid(
            "the formula has no variables: the construction would have no data points".into(),
        ));
    }
    if opts.loss == Loss::Max && opts.gamma > Rational::ZERO {
        return Err(Error::input(
            "--loss max with --gamma > 0",
            MAX_LOSS_REFUSAL,
        ));
    }
    check_size(f, opts)?;
    let c = construction_for(opts.activation)?;
    let layout = Layout::new(f);
    limits.check()?;
    let base = c.points(&layout);
    limits.check()?;
    let gadget_points = base
        .iter()
        .filter(|(t, _)| matches!(t, PointTag::Gadget { .. }))
        .count();
    let (tagged, padding) = pad(base, opts.dim, &opts.gamma, opts.loss)?;
    limits.check()?;
    let meta = meta::to_json(
        c.name(),
        c.activation().name(),
        f,
        &layout,
        &padding,
        gadget_points,
    );
    Ok(Instance {
        activation: c.activation(),
        k: c.width(&layout),
        gamma: opts.gamma.clone(),
        loss: opts.loss,
        lp: None,
        points: tagged.into_iter().map(|(_, p)| p).collect(),
        meta,
    })
}

/// A POITS instance read back: its meta and construction, checked against the instance.
pub(super) struct Parsed {
    pub meta: PoitsMeta,
    pub construction: &'static dyn Construction,
    pub width: usize,
    pub tags: Vec<PointTag>,
}

/// Parse `inst.meta` and check that the instance is exactly the construction it records
/// (same activation, dimension, gamma, loss and points, and a width `k` at least the
/// construction's).
///
/// A copy with a *larger* `k` is accepted (it is useful to test reparametrisations that
/// use more neurons, such as a neuron split in two); Lemma 5, and with it the guarantee
/// that every fitting network decodes, then covers only networks of at most the
/// construction's width. [`super::decode()`] checks its result in any case.
pub(super) fn parse(inst: &Instance) -> Result<Parsed> {
    let meta = meta::from_instance(inst)?;
    let construction = construction_named(&meta.reduction)?;
    let mismatch = |what: String| {
        Err(Error::Invalid(format!(
            "the instance is not the POITS construction its meta records: {what}"
        )))
    };
    if construction.activation() != inst.activation {
        return mismatch(format!(
            "meta says {}, the instance asks for {} networks",
            construction.activation(),
            inst.activation
        ));
    }
    let k = construction.width(&meta.layout);
    if inst.k < k {
        return mismatch(format!("k = {}, the construction has k = {k}", inst.k));
    }
    if meta.padding.dim != inst.dim()
        || meta.padding.gamma != inst.gamma
        || meta.padding.loss != inst.loss
    {
        return mismatch(format!(
            "meta padding is for d = {}, gamma = {}, {} loss; the instance has d = {}, gamma = {}, {} loss",
            meta.padding.dim,
            meta.padding.gamma,
            meta.padding.loss,
            inst.dim(),
            inst.gamma,
            inst.loss
        ));
    }
    let (expected, padding) = pad(
        construction.points(&meta.layout),
        inst.dim(),
        &inst.gamma,
        inst.loss,
    )?;
    if padding != meta.padding {
        return mismatch("meta.padding differs from the padding the parameters give".into());
    }
    if expected.len() != inst.points.len() {
        return mismatch(format!(
            "{} points, the construction has {}",
            inst.points.len(),
            expected.len()
        ));
    }
    if let Some(i) = expected
        .iter()
        .zip(&inst.points)
        .position(|((_, e), p)| e != p)
    {
        return mismatch(format!(
            "points[{i}] differs from the construction's {}",
            expected[i].0
        ));
    }
    Ok(Parsed {
        meta,
        construction,
        width: k,
        tags: expected.into_iter().map(|(t, _)| t).collect(),
    })
}

/// The tag of every data point of a POITS instance (gadget point, `p_{j,r}`, padding pair),
/// for messages and plots. Fails like [`lift`] if the instance is not a POITS instance.
pub fn point_tags(inst: &Instance) -> Result<Vec<PointTag>> {
    Ok(parse(inst)?.tags)
}

/// Default literal choices for an assignment: in each clause the first true literal, or 1
/// if none is true. For a solution these are the true literals (Theorem 1); otherwise the
/// resulting network does not fit, and the verifier shows where.
pub fn default_choices(f: &Formula, a: &Assignment) -> Vec<usize> {
    f.clauses
        .iter()
        .map(|c| c.iter().position(|&v| a.get(v)).map_or(1, |r| r + 1))
        .collect()
}

/// The network of equation (2) for the instance `inst` (built by [`reduce`]), assignment `a`
/// and literal choices (`choices[j - 1]` = r in 1..=3 for clause `j`; `None`: see
/// [`default_choices`]), padded to the instance's dimension. Width `k` of the instance.
///
/// If `a` is a 1-in-3 solution and the choices are its true literals, the network fits
/// exactly (error `gamma`; Theorem 1 and [`super::pad`]); otherwise it does not.
pub fn lift(inst: &Instance, a: &Assignment, choices: Option<&[usize]>) -> Result<Network> {
    let parsed = parse(inst)?;
    let f = &parsed.meta.formula;
    if a.values.len() != f.num_vars {
        return Err(Error::Invalid(format!(
            "the assignment has {} values, the formula has {} variables",
            a.values.len(),
            f.num_vars
        )));
    }
    let choices = match choices {
        Some(c) => {
            if c.len() != f.num_clauses() {
                return Err(Error::Invalid(format!(
                    "{} literal choices given, the formula has {} clauses",
                    c.len(),
                    f.num_clauses()
                )));
            }
            if let Some(j) = c.iter().position(|r| !(1..=3).contains(r)) {
                return Err(Error::Invalid(format!(
                    "literal choice {} for clause {} is not in 1..=3",
                    c[j],
                    j + 1
                )));
            }
            c.to_vec()
        }
        None => default_choices(f, a),
    };
    let net = parsed
        .construction
        .network(&parsed.meta.layout, a, &choices);
    Ok(net.padded_to(inst.dim()))
}

/// The probe points of [`probe_points`] padded to dimension `dim`.
pub(super) fn padded_probes(layout: &Layout, dim: usize) -> Vec<Vec<Rational>> {
    probe_points(layout)
        .into_iter()
        .map(|p| {
            let mut x = p.to_vec();
            x.resize(dim, Rational::ZERO);
            x
        })
        .collect()
}
