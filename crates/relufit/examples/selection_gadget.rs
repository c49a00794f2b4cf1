//! Write the selection gadget of Lemma 4 (Figure 2) as an instance file, for benchmarking
//! the solvers on the paper's own instance (`docs/patterns.md`).
//!
//! `selection_gadget SLOPES K OUT.json`, e.g. `selection_gadget -1,0,1 4 gadget.json` (the
//! slopes increasing; epsilon as in the tests: `min(1, 1 / (3 |s|))` over the outer slopes).
use relufit::io::instance_to_json;
use relufit::num::{parse_rational, Rational};
use relufit::reduce::poits::gadget::{largest_epsilon, selection_instance};

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
    let inst = selection_instance(&slopes, &largest_epsilon(&slopes), k);
    std::fs::write(&args[3], instance_to_json(&inst))?;
    Ok(())
}
