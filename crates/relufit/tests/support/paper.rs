//! The paper's tables and small objects, typed in from the paper (not from the library), and
//! brute-force answers of the source problem.

use relufit::num::{int, ratio, Rational};
use relufit::sat::{Assignment, Formula};
use relufit::{Activation, Network, Neuron, Point};

/// The 13 data points on the line `h_0` (`x_1 = 0`) of the selection gadget (Section 3,
/// "Selection Gadget"), as `(x_2, y)` in the paper's order.
pub fn h0_table() -> Vec<(Rational, Rational)> {
    vec![
        (int(-4), int(0)),
        (int(-3), int(0)),
        (int(-2), int(0)),
        (ratio(-5, 3), ratio(1, 3)),
        (ratio(-4, 3), ratio(2, 3)),
        (int(-1), int(1)),
        (int(0), int(1)),
        (int(1), int(1)),
        (ratio(4, 3), ratio(2, 3)),
        (ratio(5, 3), ratio(1, 3)),
        (int(2), int(0)),
        (int(3), int(0)),
        (int(4), int(0)),
    ]
}

/// The [`h0_table`] as data points `((0, x_2), y)`.
pub fn h0_points() -> Vec<Point> {
    h0_table()
        .into_iter()
        .map(|(x2, y)| Point::new(vec![int(0), x2], y))
        .collect()
}

/// The levee `f_s` centred at the origin with four ReLUs (Observation 3):
/// `[u + 2]_+ - [u + 1]_+ - [u - 1]_+ + [u - 2]_+` with `u = x_2 - s x_1`.
pub fn levee(s: &Rational) -> Network {
    let w = vec![-s, int(1)];
    Network::new(
        Activation::Relu,
        [(2, 1), (1, -1), (-1, -1), (-2, 1)]
            .iter()
            .map(|&(b, a)| Neuron::new(w.clone(), int(b), int(a)))
            .collect(),
    )
}

/// The formula of Figure 5: `(v5 v v4 v v3) (v4 v v3 v v2) (v5 v v2 v v1)`.
pub fn figure5_formula() -> Formula {
    Formula {
        num_vars: 5,
        clauses: vec![[5, 4, 3], [4, 3, 2], [5, 2, 1]],
    }
}

/// Every assignment of `n` variables, in the order of the binary numbers `0..2^n` (bit
/// `i - 1` is `v_i`).
pub fn all_assignments(n: usize) -> impl Iterator<Item = Assignment> {
    assert!(n <= 20, "2^{n} assignments");
    (0..1u32 << n).map(move |bits| Assignment {
        values: (0..n).map(|i| bits >> i & 1 == 1).collect(),
    })
}

/// The solutions of `f` (exactly one true literal per clause, a repeated variable counted
/// per occurrence), by trying every assignment; sorted.
pub fn brute_force_solutions(f: &Formula) -> Vec<Assignment> {
    let mut out: Vec<Assignment> = all_assignments(f.num_vars)
        .filter(|a| {
            f.clauses
                .iter()
                .all(|c| c.iter().filter(|&&v| a.values[v - 1]).count() == 1)
        })
        .collect();
    out.sort();
    out
}

/// A random formula with `m` clauses over `n` variables whose literals are drawn
/// independently (so a variable may repeat inside a clause).
pub fn formula_with_repeats(rng: &mut super::SplitMix64, n: usize, m: usize) -> Formula {
    use super::SmallDraws;
    Formula {
        num_vars: n,
        clauses: (0..m)
            .map(|_| [1 + rng.below(n), 1 + rng.below(n), 1 + rng.below(n)])
            .collect(),
    }
}
