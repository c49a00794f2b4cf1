//! The reductions themselves: 2-HYPERPLANE SEPARABILITY -> 2L-ReLU-NN-Train with `k = 4`
//! (proof of Theorem 7) and -> 2L-LT-NN-Train with `k = 2` (Corollary 10), plus the
//! target-error padding of Section 1 ("Implications and Limitations: Target Error").
//!
//! # Layout of the produced instance (recorded in `meta`)
//!
//! 1. `(q, 1)` for every `q` in `Q`, in order;
//! 2. `(p, 0)` for every `p` in `P`, in order;
//! 3. ReLU only: for every pair `(q, p)` in row-major order (`q` outer), `(r_qp, 1)` then
//!    `(s_qp, 0)` with `r_qp = (1 - delta) q + delta p`, `s_qp = delta q + (1 - delta) p` and
//!    the rational `delta_qp = min(eps / (2 ||q - p||_1), 1/4)` (see
//!    `docs/theorem7-rational.md`: `||.||_1 >= ||.||_2`, so `r_qp` lies within `eps/2` of
//!    `q`, and `delta <= 1/4` keeps the order `q, r, s, p`);
//! 4. padding points for `gamma > 0` ([`padding_points`]).
//!
//! `meta` holds `reduction` (`"separability"`), `theorem` (`"Theorem 7"` or
//! `"Corollary 10"`), `num_q`, `num_p`, `num_core` (points before padding), `eps` and the
//! padding description; [`Layout::from_meta`] reads it back for the solution maps.

use super::problem::SeparabilityInstance;
use crate::error::{Error, Result};
use crate::limits::{RunLimits, MAX_POINTS};
use crate::model::{Activation, Instance, Loss, Point};
use crate::num::{abs, Int, Natural, Rational};
use crate::reduce::ladder::Ladder;
use serde_json::{json, Value};

/// Options of [`reduce`].
#[derive(Debug, Clone)]
pub struct ReduceOptions {
    /// ReLU (Theorem 7, `k = 4`) or threshold (Corollary 10, `k = 2`).
    pub activation: Activation,
    /// The margin `eps`; `None` means the paper's `m^-3`.
    pub eps: Option<Rational>,
    /// Target error `gamma >= 0`; `gamma > 0` adds padding points ([`padding_points`]).
    pub gamma: Rational,
    /// The loss recorded in the instance.
    pub loss: Loss,
    /// The width `k`; `None` is the construction's own (4 for ReLU, 2 for threshold), a
    /// larger one adds the witness ladder (`super::width`).
    pub width: Option<usize>,
}

impl Default for ReduceOptions {
    fn default() -> Self {
        ReduceOptions {
            activation: Activation::Relu,
            eps: None,
            gamma: Rational::ZERO,
            loss: Loss::Squared,
            width: None,
        }
    }
}

/// What the solution maps need to know about a reduced instance (read from its `meta`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// ReLU (Theorem 7) or threshold (Corollary 10).
    pub activation: Activation,
    /// `|Q|`.
    pub num_q: usize,
    /// `|P|`.
    pub num_p: usize,
    /// Number of points before the padding.
    pub num_core: usize,
    /// The margin used for `delta` (Theorem 7) and required by (5).
    pub eps: Rational,
    /// The width `k` of the construction (its own, or padded).
    pub width: usize,
    /// The witness ladder of a padded instance (points `num_core..num_core + size`), whose
    /// core points carry an extra coordinate `z = 0`.
    pub ladder: Option<Ladder>,
}

impl Layout {
    /// Read the layout from an instance produced by [`reduce`]; errors say what is missing.
    pub fn from_meta(inst: &Instance) -> Result<Layout> {
        let meta = &inst.meta;
        let bad = |m: &str| {
            Error::Invalid(format!(
                "instance meta: {m} (not made by `reduce separability`?)"
            ))
        };
        if meta.get("reduction").and_then(Value::as_str) != Some("separability") {
            return Err(bad("`reduction` is not \"separability\""));
        }
        let count = |name: &str| -> Result<usize> {
            meta.get(name)
                .and_then(Value::as_u64)
                .map(|v| v as usize)
                .ok_or_else(|| bad(&format!("missing or invalid `{name}`")))
        };
        let eps_text = meta
            .get("eps")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("missing `eps`"))?;
        let eps = crate::num::parse_rational(eps_text).map_err(|e| bad(&e.to_string()))?;
        let k0 = super::width::base_width(inst.activation);
        let width = match meta.get("width") {
            None | Some(Value::Null) => k0,
            Some(_) => count("width")?,
        };
        let mut layout = Layout {
            activation: inst.activation,
            num_q: count("num_q")?,
            num_p: count("num_p")?,
            num_core: count("num_core")?,
            eps,
            width,
            ladder: None,
        };
        let expected = core_points(layout.activation, layout.num_q, layout.num_p);
        if expected != Some(layout.num_core) || layout.num_core > inst.len() {
            return Err(bad("point counts do not match the layout"));
        }
        if width > k0 {
            let core: Vec<Point> = inst.points[..layout.num_core]
                .iter()
                .map(|p| {
                    let mut x = p.x.clone();
                    x.pop();
                    Point::new(x, p.y.clone())
                })
                .collect();
            if inst.points[..layout.num_core]
                .iter()
                .any(|p| p.x.last() != Some(&Rational::ZERO))
            {
                return Err(bad("a padded instance has its core points at z = 0"));
            }
            let ladder =
                super::width::ladder(inst.activation, &core, &layout.eps, width, layout.num_q)?
                    .ok_or_else(|| bad("width without a ladder"))?;
            let pts = ladder.points();
            let end = layout.num_core + pts.len();
            if end > inst.len()
                || pts
                    .iter()
                    .zip(&inst.points[layout.num_core..end])
                    .any(|((_, a), b)| a != b)
            {
                return Err(bad(
                    "the ladder points differ from the ones the meta records",
                ));
            }
            layout.ladder = Some(ladder);
        }
        if inst.k < width {
            return Err(bad(&format!(
                "k = {} below the construction's width {width}",
                inst.k
            )));
        }
        Ok(layout)
    }

    /// Number of points that must be fitted exactly: the core and the ladder (the target-error
    /// padding follows them).
    pub fn num_fitted(&self) -> usize {
        self.num_core + self.ladder.as_ref().map_or(0, Ladder::size)
    }

    /// The source instance `(Q, P)`: the first `|Q| + |P|` points (without `z` if padded).
    pub fn source(&self, inst: &Instance) -> SeparabilityInstance {
        let pts = &inst.points;
        let strip = |p: &Point| {
            let mut x = p.x.clone();
            if self.ladder.is_some() {
                x.pop();
            }
            x
        };
        SeparabilityInstance::new(
            pts[..self.num_q].iter().map(strip).collect(),
            pts[self.num_q..self.num_q + self.num_p]
                .iter()
                .map(strip)
                .collect(),
        )
    }
}

/// The number of points of the construction before padding, `|Q| + |P| + 2 |Q| |P|` (ReLU)
/// or `|Q| + |P|` (threshold); `None` on overflow.
fn core_points(activation: Activation, num_q: usize, num_p: usize) -> Option<usize> {
    let m = num_q.checked_add(num_p)?;
    match activation {
        Activation::Relu => m.checked_add(num_q.checked_mul(num_p)?.checked_mul(2)?),
        Activation::Threshold => Some(m),
    }
}

/// `delta_qp = min(eps / (2 ||q - p||_1), 1/4)` (the rational stand-in for the paper's
/// `eps / (2 ||q - p||)`; `1/4` when `q = p`).
pub fn delta(q: &[Rational], p: &[Rational], eps: &Rational) -> Rational {
    let quarter = Rational::from_parts(Int::ONE, Natural::from(4u8));
    let l1 = q
        .iter()
        .zip(p)
        .fold(Rational::ZERO, |acc, (a, b)| acc + abs(&(a - b)));
    if l1 == Rational::ZERO {
        return quarter;
    }
    let d = eps / (l1 * Rational::from(2u8));
    if d < quarter {
        d
    } else {
        quarter
    }
}

/// Build the training instance of Theorem 7 (ReLU, `k = 4`) or Corollary 10 (threshold,
/// `k = 2`) from `(Q, P)`, in the layout described in the module documentation.
pub fn reduce(src: &SeparabilityInstance, opts: &ReduceOptions) -> Result<Instance> {
    reduce_within(src, opts, &RunLimits::none())
}

/// [`reduce`] under run-time limits (checked every 1024 pairs `(q, p)`): [`Error::Stopped`]
/// when they stop it.
pub fn reduce_within(
    src: &SeparabilityInstance,
    opts: &ReduceOptions,
    limits: &RunLimits,
) -> Result<Instance> {
    src.validate()?;
    let eps = opts.eps.clone().unwrap_or_else(|| src.default_eps());
    if eps <= Rational::ZERO {
        return Err(Error::Invalid(format!("eps must be positive, got {eps}")));
    }
    let core = core_points(opts.activation, src.q.len(), src.p.len())
        .filter(|&n| n <= MAX_POINTS)
        .ok_or_else(|| {
            Error::Invalid(format!(
                "|Q| = {} and |P| = {} would give a {} instance of more than {MAX_POINTS} points \
                 (the limit of a reduction)",
                src.q.len(),
                src.p.len(),
                opts.activation
            ))
        })?;
    crate::limits::check_numbers(
        "reduce separability",
        "the reduced instance",
        core,
        src.dim() + 1,
    )?;
    let mut points: Vec<Point> = Vec::with_capacity(core);
    points.extend(src.q.iter().map(|q| Point::new(q.clone(), Rational::ONE)));
    points.extend(src.p.iter().map(|p| Point::new(p.clone(), Rational::ZERO)));
    let (k, theorem) = match opts.activation {
        Activation::Relu => {
            let mut tick = limits.ticker(1024);
            for q in &src.q {
                for p in &src.p {
                    tick.tick()?;
                    let dl = delta(q, p, &eps);
                    let one_minus = Rational::ONE - &dl;
                    let r: Vec<Rational> = q
                        .iter()
                        .zip(p)
                        .map(|(a, b)| &one_minus * a + &dl * b)
                        .collect();
                    let s: Vec<Rational> = q
                        .iter()
                        .zip(p)
                        .map(|(a, b)| &dl * a + &one_minus * b)
                        .collect();
                    points.push(Point::new(r, Rational::ONE));
                    points.push(Point::new(s, Rational::ZERO));
                }
            }
            (4, "Theorem 7")
        }
        Activation::Threshold => (2, "Corollary 10"),
    };
    let num_core = points.len();
    let width = opts.width.unwrap_or(k);
    let ladder = super::width::ladder(opts.activation, &points, &eps, width, src.q.len())?;
    if let Some(l) = &ladder {
        if num_core.saturating_add(l.size()) > MAX_POINTS {
            return Err(Error::Invalid(format!(
                "the padded instance would have more than {MAX_POINTS} points"
            )));
        }
        crate::limits::check_numbers(
            "reduce separability --width",
            "the padded instance",
            num_core + l.size(),
            src.dim() + 2,
        )?;
        for p in &mut points {
            p.x.push(Rational::ZERO);
        }
        points.extend(l.points().into_iter().map(|(_, p)| p));
    }
    let anchor = points[0].clone();
    let (padding, padding_meta) = padding_points(opts.loss, &opts.gamma, &anchor)?;
    points.extend(padding);
    let meta = json!({
        "reduction": "separability",
        "theorem": theorem,
        "num_q": src.q.len(),
        "num_p": src.p.len(),
        "num_core": num_core,
        "eps": eps.to_string(),
        "layout": "Q (label 1), P (label 0), then for ReLU per (q, p) row-major r_qp (1), s_qp (0), then the width ladder, then padding",
        "padding": padding_meta,
        "width": width,
        "ladder": ladder.as_ref().map_or(Value::Null, Ladder::to_json),
    });
    Ok(Instance {
        activation: opts.activation,
        k: width,
        gamma: opts.gamma.clone(),
        loss: opts.loss,
        lp: None,
        points,
        meta,
    })
}

/// Points that raise the least achievable error by exactly `gamma` without changing which
/// networks are optimal (Section 1, "Target Error"). They are placed at the input of an
/// existing data point `anchor = (x, y)`, which every exactly fitting network maps to `y`:
///
/// - `squared`: pairs `y + t_i`, `y - t_i` with `2 sum t_i^2 = gamma` (a rational
///   four-squares decomposition of `gamma / 2`); at `x` the total loss is
///   `(1 + 2N)(phi - y)^2 + gamma`, minimal exactly at `phi = y`;
/// - `abs`: the pair `y + gamma/2`, `y - gamma/2`; at `x` the loss is
///   `|phi - y| + |phi - y - c| + |phi - y + c| >= 2c = gamma`, equality iff `phi = y`;
/// - `zero-one` (`gamma` a whole number `g`): `g` copies of `(x, y)` and `g` of `(x, y + 1)`;
///   at `x` the count is `g` iff `phi = y` and at least `g + 1` otherwise;
/// - `max`: refused (a maximum cannot add a fixed amount).
///
/// So a network reaches error `<= gamma` on the padded instance iff it fits every original
/// point exactly (argument in `docs/theorem7-rational.md`).
pub fn padding_points(loss: Loss, gamma: &Rational, anchor: &Point) -> Result<(Vec<Point>, Value)> {
    if *gamma < Rational::ZERO {
        return Err(Error::Invalid(format!("gamma must be >= 0, got {gamma}")));
    }
    if *gamma == Rational::ZERO {
        return Ok((Vec::new(), Value::Null));
    }
    let x = &anchor.x;
    let y = &anchor.y;
    let at = |label: Rational| Point::new(x.clone(), label);
    let mut pts = Vec::new();
    match loss {
        Loss::Squared => {
            let half = gamma / Rational::from(2u8);
            for t in four_squares(&half)? {
                if t != Rational::ZERO {
                    pts.push(at(y + &t));
                    pts.push(at(y - &t));
                }
            }
        }
        Loss::Abs => {
            let c = gamma / Rational::from(2u8);
            pts.push(at(y + &c));
            pts.push(at(y - &c));
        }
        Loss::ZeroOne => {
            if gamma.denominator() != &Natural::ONE {
                return Err(Error::Invalid(format!(
                    "with the zero-one loss gamma must be a whole number, got {gamma}"
                )));
            }
            let g = usize::try_from(gamma.numerator())
                .map_err(|_| Error::Invalid("gamma too large".into()))?;
            for _ in 0..g {
                pts.push(at(y.clone()));
                pts.push(at(y + Rational::ONE));
            }
        }
        Loss::Max => {
            return Err(Error::Invalid(
                "gamma > 0 cannot be padded under the max loss: a maximum does not add a fixed \
                 error, so it cannot force the other points to be fitted exactly"
                    .into(),
            ))
        }
    }
    let meta = json!({
        "anchor": 0,
        "num_points": pts.len(),
        "rule": "labels around the anchor's label at the anchor's input; see padding_points",
    });
    Ok((pts, meta))
}

/// Rationals `t_1..t_4` with `sum t_i^2 = v` (`v > 0`), from Lagrange's four-square theorem
/// applied to `num * den` (then `t_i = s_i / den`). Searches greedily with backtracking;
/// refuses numbers beyond 2^100.
fn four_squares(v: &Rational) -> Result<Vec<Rational>> {
    let n_big = v.numerator() * Int::from(v.denominator().clone());
    let n: u128 = u128::try_from(n_big)
        .ok()
        .filter(|n| *n < (1u128 << 100))
        .ok_or_else(|| {
            Error::Invalid(format!(
                "gamma too large or too finely divided for padding: {v}"
            ))
        })?;
    let den = Rational::from(v.denominator().clone());
    let s = squares4(n)
        .ok_or_else(|| Error::Invalid(format!("could not decompose {n} into four squares")))?;
    Ok(s.iter().map(|&si| Rational::from(si) / &den).collect())
}

fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    let mut x = (n as f64).sqrt() as u128;
    while x * x > n {
        x -= 1;
    }
    while (x + 1) * (x + 1) <= n {
        x += 1;
    }
    x
}

fn squares4(n: u128) -> Option<[u128; 4]> {
    let a_max = isqrt(n);
    for a in (0..=a_max).rev().take(2000) {
        let n1 = n - a * a;
        for b in (0..=isqrt(n1)).rev().take(2000) {
            let n2 = n1 - b * b;
            let c_max = isqrt(n2);
            let mut c = c_max;
            while c * c * 2 >= n2 {
                let r = n2 - c * c;
                let d = isqrt(r);
                if d * d == r {
                    return Some([a, b, c, d]);
                }
                if c == 0 {
                    break;
                }
                c -= 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    #[test]
    fn four_squares_sum_exactly() {
        for v in [
            ratio(1, 2),
            int(7),
            ratio(15, 7),
            ratio(123456789, 1000),
            int(1),
        ] {
            let t = four_squares(&v).unwrap();
            let s = t.iter().fold(Rational::ZERO, |a, x| a + x * x);
            assert_eq!(s, v);
        }
    }

    #[test]
    fn delta_is_capped_and_uses_the_one_norm() {
        let q = vec![int(0), int(0)];
        let p = vec![int(3), int(-4)];
        assert_eq!(delta(&q, &p, &ratio(1, 10)), ratio(1, 140));
        assert_eq!(delta(&q, &p, &int(100)), ratio(1, 4));
        assert_eq!(delta(&q, &q, &ratio(1, 10)), ratio(1, 4));
    }
}
