//! Corollary 8: the threshold version of the Theorem 1 reduction, with *stripes* instead of
//! levees (Section 5). The paper only sketches it; the gadget and its correctness argument
//! are in `docs/corollary8-threshold.md`.
//!
//! A stripe with centre `z` and slope `s` is `1{u + 1 > 0} - 1{u - 1 > 0}` with
//! `u = x_2 - z - s x_1`: value 1 for `-1 < u <= 1`, else 0. It takes two threshold neurons,
//! so the instance has width `k = 2(m + n)`.
//!
//! The global layout (gadget centres `j*Delta` and `-i*Delta`, slopes, `epsilon`, the points
//! `p_{j,r}`) is the one of Theorem 1 ([`Layout`]). Each selection gadget with centre `z` and
//! slopes `s_1 < ... < s_l` (smallest gap `delta_g`) gets, with the arm length
//! `L = 3/delta_g` ([`arm_length`]) and the margin `eta` ([`margin`]):
//!
//! - on `x_1 = 0` (7 points): `z-4 -> 0`, `z-1-eta -> 0`, `z-1+eta -> 1`, `z -> 1`,
//!   `z+1-eta -> 1`, `z+1+eta -> 0`, `z+4 -> 0`;
//! - on `x_1 = t` for `t = -epsilon, +epsilon` (5 points each), with `lo`/`hi` the min/max of
//!   `t*s_1` and `t*s_l`: `z-1+lo-eta -> 0`, `z-1+hi+eta -> 1`, `z -> 1`, `z+1+lo-eta -> 1`,
//!   `z+1+hi+eta -> 0`;
//! - on `x_1 = t` for `t = -L, +L` (`2l` points each): for every allowed slope `s`,
//!   `z+t*s-1-eta -> 0` and `z+t*s+1+eta -> 0`.
//!
//! That is `17 + 4l` points per gadget and `32m + 25n` points in all.

use super::formula::{Assignment, Formula};
use super::layout::{Gadget, GadgetRole, Layout};
use crate::error::{Error, Result};
use crate::model::{Activation, Instance, Loss, Network, Neuron, Point};
use crate::num::{int, Rational};
use crate::verify;

/// A data point of the construction with a name saying where it comes from, such as
/// `C2 x1=0 z-1-eta` or `p(1,3) v4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPoint {
    /// Where the point comes from (gadget, line, offset).
    pub name: String,
    /// The point and its label.
    pub point: Point,
}

/// The discrete choices of a canonical network: one slope per gadget.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Choices {
    /// For each clause `C_j`, the position `r_j` in `1..=3` of the literal chosen true
    /// (the stripe with slope `s_{r_j}`).
    pub literals: Vec<usize>,
    /// The truth value of every variable (`true`: slope -1, `false`: slope +1).
    pub values: Assignment,
}

/// What [`decode`] reads off a fitting network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The satisfying 1-in-3 assignment.
    pub assignment: Assignment,
    /// The literal chosen in each clause (1-based positions), equal to
    /// [`Formula::chosen_literals`] of the assignment.
    pub literals: Vec<usize>,
}

/// The arm length `L = 3/delta_g` of a gadget, `delta_g` its smallest slope gap: the
/// distance from the `x_2`-axis of the lines carrying the slope-pinning points. For a single
/// slope (not used by the reduction) it is 1.
pub fn arm_length(g: &Gadget) -> Rational {
    let gap = g.slopes.windows(2).map(|w| &w[1] - &w[0]).min();
    match gap {
        Some(d) => int(3) / d,
        None => Rational::ONE,
    }
}

/// The largest `|x_1|` of any point `p_{j,r}`: `X = Delta * (n + m)` (as `1 - s_r >= 1`).
pub fn x_bound(layout: &Layout) -> Rational {
    &layout.big_delta * int((layout.n + layout.m) as i64)
}

/// The margin `eta = 1 / (4 (1 + 2X / L_min))` of the gadget windows, with `X` from
/// [`x_bound`] and `L_min` the smallest [`arm_length`]. It makes every stripe line of a
/// fitting network deviate by at most 1/4 from its canonical position for `|x_1| <= X`
/// (docs/corollary8-threshold.md, step 5).
pub fn margin(layout: &Layout) -> Rational {
    let l_min = layout
        .gadgets
        .iter()
        .map(arm_length)
        .min()
        .unwrap_or(Rational::ONE);
    let x = x_bound(layout);
    Rational::ONE / (int(4) * (Rational::ONE + int(2) * x / l_min))
}

/// Width `k = 2(m + n)` of the Corollary 8 instance (two threshold neurons per stripe).
pub fn width(layout: &Layout) -> usize {
    2 * (layout.m + layout.n)
}

fn named(name: String, x1: &Rational, x2: Rational, y: i64) -> NamedPoint {
    NamedPoint {
        name,
        point: Point::new(vec![x1.clone(), x2], int(y)),
    }
}

/// The `17 + 4l` points of one stripe selection gadget (see the module documentation),
/// named with the gadget's label.
pub fn gadget_points(g: &Gadget, epsilon: &Rational, eta: &Rational) -> Vec<NamedPoint> {
    let tag = g.role.label();
    let z = &g.centre;
    let one = Rational::ONE;
    let zero = Rational::ZERO;
    let mut out = Vec::with_capacity(17 + 4 * g.slopes.len());
    // x1 = 0: the four window points pin one line per window; z-4, z, z+4 are redundant
    // for the argument but kept (they cost nothing and mirror the ReLU gadget).
    let h0: [(&str, Rational, i64); 7] = [
        ("z-4", z - int(4), 0),
        ("z-1-eta", z - &one - eta, 0),
        ("z-1+eta", z - &one + eta, 1),
        ("z", z.clone(), 1),
        ("z+1-eta", z + &one - eta, 1),
        ("z+1+eta", z + &one + eta, 0),
        ("z+4", z + int(4), 0),
    ];
    for (what, x2, y) in h0 {
        out.push(named(format!("{tag} x1=0 {what}"), &zero, x2, y));
    }
    let first = g.slopes.first().expect("a gadget has a slope");
    let last = g.slopes.last().expect("a gadget has a slope");
    for (side, t) in [("-eps", -epsilon.clone()), ("+eps", epsilon.clone())] {
        let (a, b) = (&t * first, &t * last);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let pts: [(&str, Rational, i64); 5] = [
            ("z-1+lo-eta", z - &one + &lo - eta, 0),
            ("z-1+hi+eta", z - &one + &hi + eta, 1),
            ("z", z.clone(), 1),
            ("z+1+lo-eta", z + &one + &lo - eta, 1),
            ("z+1+hi+eta", z + &one + &hi + eta, 0),
        ];
        for (what, x2, y) in pts {
            out.push(named(format!("{tag} x1={side} {what}"), &t, x2, y));
        }
    }
    let arm = arm_length(g);
    for (side, t) in [("-L", -arm.clone()), ("+L", arm)] {
        for (r, s) in g.slopes.iter().enumerate() {
            let centre = z + &t * s;
            let below = &centre - &one - eta;
            let above = &centre + &one + eta;
            out.push(named(
                format!("{tag} x1={side} s{} -1-eta", r + 1),
                &t,
                below,
                0,
            ));
            out.push(named(
                format!("{tag} x1={side} s{} +1+eta", r + 1),
                &t,
                above,
                0,
            ));
        }
    }
    out
}

/// All `32m + 25n` points of the Corollary 8 instance: the gadgets in layout order (clauses,
/// then variables), then the consistency points `p_{j,r}` (label 1).
pub fn named_points(layout: &Layout) -> Vec<NamedPoint> {
    let eta = margin(layout);
    let mut out: Vec<NamedPoint> = layout
        .gadgets
        .iter()
        .flat_map(|g| gadget_points(g, &layout.epsilon, &eta))
        .collect();
    for p in layout.p_points() {
        let [x1, x2] = p.x;
        out.push(NamedPoint {
            name: format!("p({},{}) v{}", p.clause, p.r, p.var),
            point: Point::new(vec![x1, x2], Rational::ONE),
        });
    }
    out
}

/// The Corollary 8 instance of a formula: threshold activation, `k = 2(m + n)`, `gamma = 0`,
/// squared loss (any loss with `L(x, y) = 0` iff `x = y` gives the same answer). `meta`
/// records the formula and the point names.
pub fn reduce(f: &Formula) -> Result<Instance> {
    f.validate()
        .map_err(|e| Error::Invalid(format!("formula: {e}")))?;
    let layout = Layout::new(f);
    let named = named_points(&layout);
    let names: Vec<&str> = named.iter().map(|p| p.name.as_str()).collect();
    let meta = serde_json::json!({
        "reduction": "poits",
        "theorem": "Corollary 8 (threshold, stripes)",
        "num_vars": f.num_vars,
        "clauses": f.clauses,
        "eta": margin(&layout).to_string(),
        "point_names": names,
    });
    Ok(Instance {
        activation: Activation::Threshold,
        k: width(&layout),
        gamma: Rational::ZERO,
        loss: Loss::Squared,
        points: named.into_iter().map(|p| p.point).collect(),
        meta,
    })
}

/// The two threshold neurons of the stripe with centre `z` and slope `s`:
/// `w = (-s, 1)`, `b = 1 - z`, `a = +1` and `w = (-s, 1)`, `b = -1 - z`, `a = -1`.
pub fn stripe_neurons(centre: &Rational, slope: &Rational) -> [Neuron; 2] {
    let w = vec![-slope.clone(), Rational::ONE];
    [
        Neuron::new(w.clone(), Rational::ONE - centre, Rational::ONE),
        Neuron::new(w, -Rational::ONE - centre, -Rational::ONE),
    ]
}

/// The stripe's value at `x`: 1 if `-1 < x_2 - z - s x_1 <= 1`, else 0.
pub fn stripe_value(centre: &Rational, slope: &Rational, x: &[Rational; 2]) -> Rational {
    let u = &x[1] - centre - slope * &x[0];
    if u > -Rational::ONE && u <= Rational::ONE {
        Rational::ONE
    } else {
        Rational::ZERO
    }
}

/// The slope chosen in every gadget (layout order) by `choices`.
fn chosen_slopes(layout: &Layout, choices: &Choices) -> Result<Vec<Rational>> {
    if choices.literals.len() != layout.m || choices.values.values.len() != layout.n {
        return Err(Error::Invalid(format!(
            "choices: expected {} literal positions and {} variable values, got {} and {}",
            layout.m,
            layout.n,
            choices.literals.len(),
            choices.values.values.len()
        )));
    }
    let mut out = Vec::with_capacity(layout.gadgets.len());
    for (jj, &r) in choices.literals.iter().enumerate() {
        if !(1..=3).contains(&r) {
            return Err(Error::Invalid(format!(
                "choices: clause {} literal position {r} is outside 1..=3",
                jj + 1
            )));
        }
        out.push(layout.clause(jj + 1).slopes[r - 1].clone());
    }
    for &v in &choices.values.values {
        out.push(Layout::variable_slope(v));
    }
    Ok(out)
}

/// The canonical network of `choices` (Corollary 8, analogue of equation (2)): one stripe
/// per gadget with the chosen slope, `2(m + n)` neurons, clauses first. It fits the
/// instance exactly iff the choices come from a 1-in-3 solution
/// (docs/corollary8-threshold.md, steps 6 and 7).
pub fn canonical_network(f: &Formula, choices: &Choices) -> Result<Network> {
    let layout = Layout::new(f);
    let slopes = chosen_slopes(&layout, choices)?;
    let neurons = layout
        .gadgets
        .iter()
        .zip(&slopes)
        .flat_map(|(g, s)| stripe_neurons(&g.centre, s))
        .collect();
    Ok(Network::new(Activation::Threshold, neurons))
}

/// Lift a 1-in-3 solution to the fitting network (the "if" direction of Corollary 8).
/// Errors if `a` is not a solution of `f`.
pub fn lift(f: &Formula, a: &Assignment) -> Result<Network> {
    let literals = f.chosen_literals(a).ok_or_else(|| {
        Error::Invalid(format!(
            "assignment {:?} (true variables) is not a 1-in-3 solution of the formula",
            a.true_vars()
        ))
    })?;
    canonical_network(
        f,
        &Choices {
            literals,
            values: a.clone(),
        },
    )
}

/// The probe points of one gadget: `(L, z + L*s)` for every allowed slope `s`. For any
/// network fitting the instance with `2(m + n)` neurons, `phi` is 1 at the probe of the
/// chosen slope and 0 at the others (docs/corollary8-threshold.md, "Decoding").
pub fn probes(g: &Gadget) -> Vec<[Rational; 2]> {
    let arm = arm_length(g);
    g.slopes
        .iter()
        .map(|s| [arm.clone(), &g.centre + &arm * s])
        .collect()
}

/// Read the slope chosen in every gadget off the *function* of `net` by probing it at
/// [`probes`]; errors if some gadget does not show exactly one probe at 1 and the others at 0.
pub fn decode_choices(f: &Formula, net: &Network) -> Result<Choices> {
    let layout = Layout::new(f);
    let all: Vec<Vec<[Rational; 2]>> = layout.gadgets.iter().map(probes).collect();
    let flat: Vec<&[Rational]> = all.iter().flatten().map(|p| p.as_slice()).collect();
    let values = verify::evaluate(net, &flat).values;
    let mut at = 0;
    let mut picked = Vec::with_capacity(layout.gadgets.len());
    for (g, ps) in layout.gadgets.iter().zip(&all) {
        let vals = &values[at..at + ps.len()];
        at += ps.len();
        let ones: Vec<usize> = (0..vals.len())
            .filter(|&i| vals[i] == Rational::ONE)
            .collect();
        let zeros = vals.iter().filter(|v| **v == Rational::ZERO).count();
        if ones.len() != 1 || zeros != vals.len() - 1 {
            let shown: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
            return Err(Error::Invalid(format!(
                "gadget {}: phi at the probes (L, z + L*s) is [{}], expected one 1 and zeros \
                 otherwise",
                g.role.label(),
                shown.join(", ")
            )));
        }
        picked.push((g.role, ones[0]));
    }
    let mut literals = vec![0; layout.m];
    let mut values = vec![false; layout.n];
    for (role, idx) in picked {
        match role {
            GadgetRole::Clause(j) => literals[j - 1] = idx + 1,
            // Slopes of a variable gadget are (-1, +1): index 0 is "true".
            GadgetRole::Variable(i) => values[i - 1] = idx == 0,
        }
    }
    Ok(Choices {
        literals,
        values: Assignment { values },
    })
}

/// Decode a network that fits the Corollary 8 instance of `f` into a 1-in-3 solution (the
/// "only if" direction). The network must fit every point exactly (its width is not
/// checked: a wider network whose function a `2(m + n)`-neuron network also represents
/// decodes too). The decoded choices are checked to be a solution whose chosen literals
/// match, so a wrong answer is never returned.
pub fn decode(f: &Formula, net: &Network) -> Result<Decoded> {
    let inst = reduce(f)?;
    let report = verify::verify(&inst, net).map_err(|e| Error::Invalid(e.to_string()))?;
    let misfit = report.misfit_points(&inst);
    if !misfit.is_empty() {
        let names = point_names(&inst);
        let shown: Vec<String> = misfit
            .iter()
            .take(5)
            .map(|&i| format!("#{i} {}", names.get(i).map_or("?", |s| s.as_str())))
            .collect();
        return Err(Error::Invalid(format!(
            "the network does not fit the instance: {} point(s) misfit, e.g. {}",
            misfit.len(),
            shown.join("; ")
        )));
    }
    let choices = decode_choices(f, net)?;
    match f.chosen_literals(&choices.values) {
        Some(lits) if lits == choices.literals => Ok(Decoded {
            assignment: choices.values,
            literals: lits,
        }),
        _ => Err(Error::Invalid(format!(
            "the network fits, but its choices (literals {:?}, true variables {:?}) are not a \
             consistent 1-in-3 solution; this cannot happen for width <= 2(m + n)",
            choices.literals,
            choices.values.true_vars()
        ))),
    }
}

/// The point names recorded in `inst.meta["point_names"]` by [`reduce`] (empty if absent).
pub fn point_names(inst: &Instance) -> Vec<String> {
    inst.meta
        .get("point_names")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}
