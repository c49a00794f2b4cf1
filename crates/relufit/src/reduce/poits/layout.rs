//! The global layout of the Theorem 1 construction (Section 3, "Global Construction"), shared
//! by the ReLU reduction (Theorem 1) and the threshold reduction (Corollary 8).
//!
//! For a formula with `m` clauses and `n` variables:
//!
//! - `delta = 1/(2m)` is the smallest difference of two consecutive slopes in any gadget, the
//!   largest absolute slope is `S = 1`, and the gadget centres are `Delta = 8S/delta + 6 =
//!   16m + 6` apart, exactly the separation Lemma 5 asks for (it is met with equality at some
//!   points: do not shrink it);
//! - clause `C_j` (1-based) has a selection gadget centred at `(0, j*Delta)` with the slopes
//!   `s_r = (2j - 3 + r)*delta - 1`, `r = 1..3` (the paper's `(2j-2)delta - 1`,
//!   `(2j-1)delta - 1`, `2j*delta - 1`); choosing slope `s_r` means "the r-th literal is the
//!   true one";
//! - variable `v_i` has a selection gadget centred at `(0, -i*Delta)` with slopes `-1` (true)
//!   and `+1` (false);
//! - `epsilon = min over gadgets of min(1/(3|s_1|), 1/(3|s_l|))`, where a slope 0 (the last
//!   clause has `s_3 = 0`) contributes `1/0 = +infinity`; overall `epsilon = 1/3`;
//! - for each clause `j` and position `r` with `v_i` the r-th literal, the point
//!   `p_{j,r} = (X, X - i*Delta)` with `X = Delta*(i + j)/(1 - s_r)` and label 1: the crossing
//!   of the centre line of clause `j`'s levee with slope `s_r` and the centre line of the
//!   *false* (slope +1) levee of `v_i` (Lemma 6).
//!
//! A formula without clauses (`m = 0`) is laid out as if `m = 1` (`delta = 1/2`,
//! `Delta = 22`): only variable gadgets exist then, whose slopes differ by 2, so Lemma 5 still
//! applies.
//!
//! Note that `s_3` of clause `j` equals `s_1` of clause `j + 1`: slopes are not globally
//! distinct, only within a gadget.

use crate::num::{abs, int, ratio, Rational};
use crate::sat::{Assignment, Formula};

/// What a selection gadget encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GadgetRole {
    /// The gadget of clause `C_j` (1-based): which literal is the true one.
    Clause(usize),
    /// The gadget of variable `v_i` (1-based): its truth value (slope -1 true, +1 false).
    Variable(usize),
}

impl GadgetRole {
    /// A short label such as `C2` or `v5`.
    pub fn label(&self) -> String {
        match self {
            GadgetRole::Clause(j) => format!("C{j}"),
            GadgetRole::Variable(i) => format!("v{i}"),
        }
    }
}

/// One selection gadget: its centre `(0, centre)` on the `x_2`-axis and its allowed slopes
/// `s_1 < ... < s_l` (Section 3, "Selection Gadget").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gadget {
    /// Clause or variable gadget.
    pub role: GadgetRole,
    /// The offset `z` (the gadget is centred at `(0, z)`).
    pub centre: Rational,
    /// The allowed slopes, strictly increasing.
    pub slopes: Vec<Rational>,
}

/// A consistency point `p_{j,r}` (Section 3, "Global Construction"; Lemma 6), label 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PPoint {
    /// Clause index `j` (1-based).
    pub clause: usize,
    /// Literal position `r` in `1..=3`.
    pub r: usize,
    /// The variable `i` (1-based) that is the r-th literal of clause `j`.
    pub var: usize,
    /// The input `(X, X - i*Delta)`.
    pub x: [Rational; 2],
}

/// What a data point of a POITS instance is, for error messages and plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PointTag {
    /// Point number `index` (0-based, in the construction's order) of a selection gadget;
    /// `part` names the part of the gadget (`h0`, `h-eps`, `h+eps`, `q-minus`, `q-plus` for
    /// Theorem 1).
    Gadget {
        /// The gadget.
        gadget: GadgetRole,
        /// The part of the gadget.
        part: &'static str,
        /// Position inside the gadget's point list.
        index: usize,
    },
    /// The consistency point `p_{j,r}` (label 1) where `v_var` is the r-th literal of `C_j`.
    Consistency {
        /// Clause `j` (1-based).
        clause: usize,
        /// Literal position `r` in `1..=3`.
        r: usize,
        /// The variable (1-based).
        var: usize,
    },
    /// Point `which` (0 or 1) of padding pair `pair` (0-based), added for `gamma > 0`.
    Padding {
        /// The pair.
        pair: usize,
        /// First or second point of the pair.
        which: usize,
    },
}

impl std::fmt::Display for PointTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PointTag::Gadget {
                gadget,
                part,
                index,
            } => write!(f, "gadget {} point {index} ({part})", gadget.label()),
            PointTag::Consistency { clause, r, var } => {
                write!(f, "p_{{{clause},{r}}} (literal {r} of C{clause} is v{var})")
            }
            PointTag::Padding { pair, which } => {
                write!(f, "padding pair {pair} point {which}")
            }
        }
    }
}

/// The global parameters of the Theorem 1 / Corollary 8 constructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Number of clauses `m`.
    pub m: usize,
    /// Number of variables `n`.
    pub n: usize,
    /// Gadget spacing `Delta = 16m + 6` (Lemma 5 with `S = 1`, `delta = 1/(2m)`).
    pub big_delta: Rational,
    /// Smallest slope gap `delta = 1/(2m)`.
    pub delta: Rational,
    /// The common `epsilon` of all gadgets (= 1/3).
    pub epsilon: Rational,
    /// All gadgets: clauses `1..=m` first, then variables `1..=n`.
    pub gadgets: Vec<Gadget>,
    /// The clauses (1-based variable indices), needed for the points `p_{j,r}`.
    pub clauses: Vec<[usize; 3]>,
}

/// `epsilon` bound of one gadget: `min(1/(3|s_1|), 1/(3|s_l|))` with `1/0 = +infinity`
/// (`None` means infinity).
pub fn gadget_epsilon(slopes: &[Rational]) -> Option<Rational> {
    let ends = [slopes.first(), slopes.last()];
    ends.into_iter()
        .flatten()
        .filter(|s| **s != Rational::ZERO)
        .map(|s| Rational::ONE / (int(3) * abs(s)))
        .min()
}

impl Layout {
    /// The layout for formula `f` (whose literals must lie in `1..=num_vars`; see
    /// [`Formula::validate`]).
    pub fn new(f: &Formula) -> Layout {
        let m = f.num_clauses();
        let n = f.num_vars;
        let m_eff = m.max(1) as i64;
        let delta = ratio(1, 2 * m_eff);
        let big_delta = int(16 * m_eff + 6);
        let mut gadgets = Vec::with_capacity(m + n);
        for j in 1..=m {
            gadgets.push(Gadget {
                role: GadgetRole::Clause(j),
                centre: &big_delta * int(j as i64),
                slopes: (1..=3).map(|r| clause_slope(&delta, j, r)).collect(),
            });
        }
        for i in 1..=n {
            gadgets.push(Gadget {
                role: GadgetRole::Variable(i),
                centre: -(&big_delta * int(i as i64)),
                slopes: vec![int(-1), int(1)],
            });
        }
        let epsilon = gadgets
            .iter()
            .filter_map(|g| gadget_epsilon(&g.slopes))
            .min()
            .unwrap_or_else(|| ratio(1, 3));
        Layout {
            m,
            n,
            big_delta,
            delta,
            epsilon,
            gadgets,
            clauses: f.clauses.clone(),
        }
    }

    /// The gadget of clause `j` (1-based).
    pub fn clause(&self, j: usize) -> &Gadget {
        assert!((1..=self.m).contains(&j), "clause {j} out of range");
        &self.gadgets[j - 1]
    }

    /// The gadget of variable `i` (1-based).
    pub fn variable(&self, i: usize) -> &Gadget {
        assert!((1..=self.n).contains(&i), "variable {i} out of range");
        &self.gadgets[self.m + i - 1]
    }

    /// The slope every gadget takes in the network of equation (2), in gadget order: clause
    /// `C_j` takes `s_{r_j}` for its literal choice `r_j = choices[j - 1]`, variable `v_i`
    /// takes `-1` if `a` makes it true and `+1` otherwise. Both constructions (levees for
    /// Theorem 1, stripes for Corollary 8) place one shape per gadget at these slopes.
    ///
    /// # Panics
    /// If `a` or `choices` has the wrong length or a choice is outside `1..=3` (callers
    /// validate user input first).
    pub fn chosen_slopes<'a>(
        &'a self,
        a: &'a Assignment,
        choices: &'a [usize],
    ) -> impl Iterator<Item = (&'a Gadget, Rational)> + 'a {
        assert_eq!(a.values.len(), self.n, "assignment length");
        assert_eq!(choices.len(), self.m, "one choice per clause");
        self.gadgets.iter().map(move |g| {
            let slope = match g.role {
                GadgetRole::Clause(j) => {
                    let r = choices[j - 1];
                    assert!((1..=3).contains(&r), "literal choice {r} out of 1..=3");
                    g.slopes[r - 1].clone()
                }
                GadgetRole::Variable(i) => Layout::variable_slope(a.get(i)),
            };
            (g, slope)
        })
    }

    /// Slope of the true (`-1`) or false (`+1`) levee of a variable gadget.
    pub fn variable_slope(value: bool) -> Rational {
        if value {
            int(-1)
        } else {
            int(1)
        }
    }

    /// The `3m` consistency points `p_{j,r}`, clause by clause, `r = 1..3` (Section 3).
    pub fn p_points(&self) -> Vec<PPoint> {
        let mut out = Vec::with_capacity(3 * self.m);
        for (jj, clause) in self.clauses.iter().enumerate() {
            let j = jj + 1;
            for (rr, &i) in clause.iter().enumerate() {
                let r = rr + 1;
                let s = &self.clause(j).slopes[rr];
                let x = &self.big_delta * int((i + j) as i64) / (Rational::ONE - s);
                let x2 = &x - &self.big_delta * int(i as i64);
                out.push(PPoint {
                    clause: j,
                    r,
                    var: i,
                    x: [x, x2],
                });
            }
        }
        out
    }

    /// Width `k = 4(m + n)` of the Theorem 1 instance (four ReLUs per levee, Observation 3).
    pub fn relu_width(&self) -> usize {
        4 * (self.m + self.n)
    }
}

/// Slope `s_r = (2j - 3 + r)*delta - 1` of clause `j` (1-based), literal `r` in `1..=3`.
pub fn clause_slope(delta: &Rational, j: usize, r: usize) -> Rational {
    delta * int(2 * j as i64 - 3 + r as i64) - Rational::ONE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure5() -> Formula {
        Formula {
            num_vars: 5,
            clauses: vec![[5, 4, 3], [4, 3, 2], [5, 2, 1]],
        }
    }

    #[test]
    fn figure5_parameters() {
        let l = Layout::new(&figure5());
        assert_eq!(l.big_delta, int(54));
        assert_eq!(l.delta, ratio(1, 6));
        assert_eq!(l.epsilon, ratio(1, 3));
        assert_eq!(l.gadgets.len(), 8);
        assert_eq!(
            l.clause(1).slopes,
            vec![int(-1), ratio(-5, 6), ratio(-2, 3)]
        );
        assert_eq!(l.clause(3).slopes[2], int(0));
        assert_eq!(l.clause(2).centre, int(108));
        assert_eq!(l.variable(5).centre, int(-270));
        // p_{1,1}: v5, X = 54*6/2 = 162.
        let p = &l.p_points()[0];
        assert_eq!((p.clause, p.r, p.var), (1, 1, 5));
        assert_eq!(p.x, [int(162), int(162 - 270)]);
        // It lies on the centre line of clause 1's levee with slope s_1 = -1.
        assert_eq!(&p.x[1], &(int(54) - &p.x[0]));
    }

    #[test]
    fn epsilon_ignores_zero_slopes() {
        assert_eq!(gadget_epsilon(&[int(-1), int(0)]), Some(ratio(1, 3)));
        assert_eq!(gadget_epsilon(&[int(0)]), None);
        assert_eq!(gadget_epsilon(&[ratio(-1, 2), int(2)]), Some(ratio(1, 6)));
    }
}
