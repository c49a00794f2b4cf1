//! Write the selection gadget of Lemma 4 (Figure 2) as an instance file, for benchmarking
//! the solvers on the paper's own instance (`docs/patterns.md`).
//!
//! `selection_gadget SLOPES K OUT.json`, e.g. `selection_gadget -1,0,1 4 gadget.json` (the
//! slopes increasing; epsilon as in the tests: `min(1, 1 / (3 |s|))` over the outer slopes).
use relufit::io::instance_to_json;
use relufit::model::{Activation, Instance, Loss, Point};
use relufit::num::{abs, parse_rational, Rational};
use relufit::reduce::poits::gadget::selection_gadget;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: selection_gadget SLOPES K OUT.json (SLOPES like -1,0,1)".into());
    }
    let slopes = args[1]
        .split(',')
        .map(parse_rational)
        .collect::<Result<Vec<Rational>, _>>()?;
    if slopes.is_empty() || slopes.windows(2).any(|w| w[0] >= w[1]) {
        return Err("SLOPES must increase strictly".into());
    }
    let k: usize = args[2].parse()?;
    let third =
        |s: &Rational| (*s != Rational::ZERO).then(|| Rational::ONE / (Rational::from(3) * abs(s)));
    let eps = [third(&slopes[0]), third(&slopes[slopes.len() - 1])]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(Rational::ONE)
        .min(Rational::ONE);
    let points = selection_gadget(&Rational::ZERO, &slopes, &eps)
        .into_iter()
        .map(|g| Point::new(g.x.to_vec(), g.y))
        .collect();
    let inst = Instance {
        activation: Activation::Relu,
        k,
        gamma: Rational::ZERO,
        loss: Loss::Squared,
        lp: None,
        points,
        meta: serde_json::Value::Null,
    };
    std::fs::write(&args[3], instance_to_json(&inst))?;
    Ok(())
}
