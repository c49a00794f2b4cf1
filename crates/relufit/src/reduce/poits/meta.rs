//! The `meta` record of a POITS instance: what decoding needs, written by
//! [`super::reduce`] and read back (with errors naming the field) by [`super::lift`] and
//! [`super::decode()`].
//!
//! ```json
//! { "reduction": "poits-theorem1", "activation": "relu",
//!   "formula": { "num_vars": 5, "clauses": [[5,4,3], [4,3,2], [5,2,1]] },
//!   "layout": { "Delta": "54", "delta": "1/6", "epsilon": "1/3",
//!               "gadgets": [{ "role": "clause", "index": 1, "centre": "54",
//!                             "slopes": ["-1", "-5/6", "-2/3"] }, ...] },
//!   "padding": { "dim": 2, "gamma": "0", "loss": "squared", "location": "origin",
//!                "base_points": 279, "pairs": [] },
//!   "points": { "gadgets": 270, "consistency": 9, "padding": 0 } }
//! ```
//!
//! Numbers are exact strings. The layout is recomputed from the formula on reading and must
//! agree with the record: a disagreement means the file was edited or corrupted.

use super::layout::{GadgetRole, Layout};
use super::pad::Padding;
use crate::error::{Error, Result};
use crate::io::json::Doc;
use crate::model::{Instance, Loss};
use crate::sat::Formula;
use serde_json::{json, Value};

/// What a POITS instance's `meta` records.
#[derive(Debug, Clone)]
pub struct PoitsMeta {
    /// The construction's name (`poits-theorem1`, `poits-corollary8`).
    pub reduction: String,
    /// The source formula.
    pub formula: Formula,
    /// Its layout (recomputed and checked against the record).
    pub layout: Layout,
    /// The padding applied.
    pub padding: Padding,
}

/// Where meta errors point.
const SOURCE: &str = "instance meta";

fn role_json(role: GadgetRole) -> (&'static str, usize) {
    match role {
        GadgetRole::Clause(j) => ("clause", j),
        GadgetRole::Variable(i) => ("variable", i),
    }
}

/// The `meta` value for an instance built by `reduction` from `f`.
pub fn to_json(
    reduction: &str,
    activation: &str,
    f: &Formula,
    layout: &Layout,
    padding: &Padding,
    gadget_points: usize,
) -> Value {
    let gadgets: Vec<Value> = layout
        .gadgets
        .iter()
        .map(|g| {
            let (role, index) = role_json(g.role);
            json!({
                "role": role,
                "index": index,
                "centre": g.centre.to_string(),
                "slopes": g.slopes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let pairs: Vec<Value> = padding
        .pairs
        .iter()
        .map(|p| json!([p[0].to_string(), p[1].to_string()]))
        .collect();
    json!({
        "reduction": reduction,
        "activation": activation,
        "formula": { "num_vars": f.num_vars, "clauses": f.clauses },
        "layout": {
            "Delta": layout.big_delta.to_string(),
            "delta": layout.delta.to_string(),
            "epsilon": layout.epsilon.to_string(),
            "gadgets": gadgets,
        },
        "padding": {
            "dim": padding.dim,
            "gamma": padding.gamma.to_string(),
            "loss": padding.loss.name(),
            "location": "origin",
            "base_points": padding.base_points,
            "pairs": pairs,
        },
        "points": {
            "gadgets": gadget_points,
            "consistency": 3 * layout.m,
            "padding": 2 * padding.pairs.len(),
        },
    })
}

/// Read the POITS record from `inst.meta`; errors name the missing or inconsistent field.
pub fn from_instance(inst: &Instance) -> Result<PoitsMeta> {
    if inst.meta.is_null() {
        return Err(Error::input(
            SOURCE,
            "the instance has no `meta`: it was not made by the POITS reduction (decoding needs the formula recorded there)",
        ));
    }
    let text = inst.meta.to_string();
    let (doc, v) = Doc::parse(&text, SOURCE)?;
    let reduction = doc
        .string(doc.field(&v, "", "reduction")?, "reduction")?
        .to_string();
    if !reduction.starts_with("poits-") {
        return Err(doc.err(
            "reduction",
            format!("`{reduction}` is not a POITS reduction"),
        ));
    }
    let fv = doc.field(&v, "", "formula")?;
    let num_vars = doc.count(doc.field(fv, "formula", "num_vars")?, "formula.num_vars")?;
    let cv = doc.array(doc.field(fv, "formula", "clauses")?, "formula.clauses")?;
    let mut clauses = Vec::with_capacity(cv.len());
    for (j, c) in cv.iter().enumerate() {
        let path = format!("formula.clauses[{j}]");
        let lits = doc.array(c, &path)?;
        if lits.len() != 3 {
            return Err(doc.err(&path, format!("expected 3 literals, got {}", lits.len())));
        }
        let mut clause = [0usize; 3];
        for (r, l) in lits.iter().enumerate() {
            clause[r] = doc.count(l, &format!("{path}[{r}]"))?;
        }
        clauses.push(clause);
    }
    let formula = Formula { num_vars, clauses };
    formula.validate().map_err(|e| doc.err("formula", e))?;
    if num_vars == 0 {
        return Err(doc.err("formula.num_vars", "the formula has no variables"));
    }
    let layout = Layout::new(&formula);
    check_layout(&doc, &v, &layout)?;
    let padding = read_padding(&doc, &v)?;
    Ok(PoitsMeta {
        reduction,
        formula,
        layout,
        padding,
    })
}

fn check_layout(doc: &Doc<'_>, v: &Value, layout: &Layout) -> Result<()> {
    let lv = doc.field(v, "", "layout")?;
    for (name, want) in [
        ("Delta", &layout.big_delta),
        ("delta", &layout.delta),
        ("epsilon", &layout.epsilon),
    ] {
        let path = format!("layout.{name}");
        let got = doc.number(doc.field(lv, "layout", name)?, &path)?;
        if &got != want {
            return Err(doc.err(
                &path,
                format!("recorded {got}, but the formula gives {want} (edited or corrupt meta)"),
            ));
        }
    }
    let gv = doc.array(doc.field(lv, "layout", "gadgets")?, "layout.gadgets")?;
    if gv.len() != layout.gadgets.len() {
        return Err(doc.err(
            "layout.gadgets",
            format!(
                "{} gadgets recorded, but the formula needs {}",
                gv.len(),
                layout.gadgets.len()
            ),
        ));
    }
    for (t, (g, want)) in gv.iter().zip(&layout.gadgets).enumerate() {
        let path = format!("layout.gadgets[{t}]");
        let role = doc.string(doc.field(g, &path, "role")?, &format!("{path}.role"))?;
        let index = doc.count(doc.field(g, &path, "index")?, &format!("{path}.index"))?;
        let centre = doc.number(doc.field(g, &path, "centre")?, &format!("{path}.centre"))?;
        let slopes = doc.vector(doc.field(g, &path, "slopes")?, &format!("{path}.slopes"))?;
        let (want_role, want_index) = role_json(want.role);
        if role != want_role
            || index != want_index
            || centre != want.centre
            || slopes != want.slopes
        {
            return Err(doc.err(
                &path,
                format!(
                    "recorded {role} {index} at {centre}, but the formula gives {want_role} {want_index} at {} with slopes {:?} (edited or corrupt meta)",
                    want.centre,
                    want.slopes.iter().map(|s| s.to_string()).collect::<Vec<_>>()
                ),
            ));
        }
    }
    Ok(())
}

fn read_padding(doc: &Doc<'_>, v: &Value) -> Result<Padding> {
    let pv = doc.field(v, "", "padding")?;
    let dim = doc.count(doc.field(pv, "padding", "dim")?, "padding.dim")?;
    let gamma = doc.number(doc.field(pv, "padding", "gamma")?, "padding.gamma")?;
    let loss_name = doc.string(doc.field(pv, "padding", "loss")?, "padding.loss")?;
    let loss: Loss = loss_name
        .parse()
        .map_err(|e: String| doc.err("padding.loss", e))?;
    let base_points = doc.count(
        doc.field(pv, "padding", "base_points")?,
        "padding.base_points",
    )?;
    let arr = doc.array(doc.field(pv, "padding", "pairs")?, "padding.pairs")?;
    let mut pairs = Vec::with_capacity(arr.len());
    for (t, p) in arr.iter().enumerate() {
        let path = format!("padding.pairs[{t}]");
        let labels = doc.vector(p, &path)?;
        let [a, b]: [_; 2] = labels
            .try_into()
            .map_err(|_| doc.err(&path, "expected two labels"))?;
        pairs.push([a, b]);
    }
    Ok(Padding {
        dim,
        gamma,
        loss,
        base_points,
        pairs,
    })
}
