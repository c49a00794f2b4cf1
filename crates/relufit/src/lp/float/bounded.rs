//! The family's bounded-variable member: a primal simplex in `f64` for
//!
//! ```text
//! max c . z   s.t.   A z = b,   l <= z <= u     (l_j may be -inf, u_j may be +inf)
//! ```
//!
//! started from a feasible basis the caller supplies (typically artificial columns fixed at
//! `0`). A non-basic column sits at a bound, or at `0` strictly inside its bounds (every
//! column may start there); an entering column moves until a basic value reaches a bound or
//! it reaches its own opposite bound (a *bound flip*, no pivot). A column with `l = u` that
//! leaves the basis is fixed for good, which retires the artificial columns. Pricing is
//! Dantzig's rule, Bland's (smallest index) on request, for the caller to switch to after a
//! run of degenerate steps. The dual objective of the enumeration's `abs` leaves
//! (`solve/enumerate/l1/`) is its user: `p = k (d + 1)` rows and one column per
//! point and pattern constraint, where bounded variables keep the tableau at `p` rows.
//!
//! Like every member of the family it only *guesses*: the caller reads the final (or any
//! intermediate) basis off [`BoundedSimplex::basis`] and [`BoundedSimplex::position`] and
//! rebuilds its answer with the exact kernel, which checks it. The tableau shares the
//! family's pivot ([`super::Tab`]); the reduced costs are its last row.

use super::Tab;

/// Where a column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// Non-basic at its lower bound.
    Lower,
    /// Non-basic at its upper bound.
    Upper,
    /// Non-basic at `0`, strictly inside its bounds.
    Zero,
    /// In the basis.
    Basic,
    /// Fixed at `l = u` after leaving the basis; never enters again.
    Fixed,
}

/// The float run broke down: an entering column whose step is unbounded (the LP is
/// unbounded above, or rounding made it look so). The caller falls back to an exact path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Breakdown;

const PIVOT_TOL: f64 = 1e-9;
const COST_TOL: f64 = 1e-9;

/// The vectors of a [`BoundedSimplex`], kept per thread between LPs so that a run allocates
/// nothing in the steady state.
#[derive(Default)]
struct Buffers {
    t: Vec<f64>,
    basis: Vec<usize>,
    prow: Vec<f64>,
    xb: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    position: Vec<Position>,
    up: Vec<f64>,
    down: Vec<f64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// A bounded-variable primal simplex tableau (see the module documentation).
pub(crate) struct BoundedSimplex {
    /// Rows `0..p`: `B^-1 A`; row `p`: the reduced costs.
    tab: Tab<f64>,
    /// Basic values, per row.
    xb: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    position: Vec<Position>,
    /// `1.0` where the column may increase (resp. decrease), else `0.0`: branch-free pricing.
    up: Vec<f64>,
    down: Vec<f64>,
    /// Objective value, updated by every step.
    objective: f64,
}

impl Drop for BoundedSimplex {
    fn drop(&mut self) {
        let b = Buffers {
            t: std::mem::take(&mut self.tab.t),
            basis: std::mem::take(&mut self.tab.basis),
            prow: std::mem::take(&mut self.tab.prow),
            xb: std::mem::take(&mut self.xb),
            lower: std::mem::take(&mut self.lower),
            upper: std::mem::take(&mut self.upper),
            position: std::mem::take(&mut self.position),
            up: std::mem::take(&mut self.up),
            down: std::mem::take(&mut self.down),
        };
        SCRATCH.with(|s| *s.borrow_mut() = b);
    }
}

fn cleared<T: Clone>(mut v: Vec<T>, len: usize, fill: T) -> Vec<T> {
    v.clear();
    v.resize(len, fill);
    v
}

impl BoundedSimplex {
    /// An LP with `rows` equality rows and `cols` columns, every entry and cost `0`, every
    /// column fixed at `0` and no basis yet: fill it with [`Self::set_column`],
    /// [`Self::set_entry`] and [`Self::set_basic`].
    pub(crate) fn new(rows: usize, cols: usize) -> Self {
        let b = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        BoundedSimplex {
            tab: Tab {
                t: cleared(b.t, (rows + 1) * cols, 0.0),
                basis: cleared(b.basis, rows, usize::MAX),
                n: rows,
                w: cols,
                prow: b.prow,
                pivots: 0,
            },
            xb: cleared(b.xb, rows, 0.0),
            lower: cleared(b.lower, cols, 0.0),
            upper: cleared(b.upper, cols, 0.0),
            position: cleared(b.position, cols, Position::Fixed),
            up: cleared(b.up, cols, 0.0),
            down: cleared(b.down, cols, 0.0),
            objective: 0.0,
        }
    }

    /// Column `c`'s cost, bounds and starting position (`Lower`, `Upper` or `Zero`; the
    /// value it stands at must be consistent with the basic values given to
    /// [`Self::set_basic`]).
    pub(crate) fn set_column(&mut self, c: usize, cost: f64, lower: f64, upper: f64, at: Position) {
        debug_assert!(
            lower <= upper && matches!(at, Position::Lower | Position::Upper | Position::Zero)
        );
        self.tab.t[self.tab.n * self.tab.w + c] = cost;
        self.lower[c] = lower;
        self.upper[c] = upper;
        self.set_position(c, at);
    }

    /// Entry `A[r][c]`.
    pub(crate) fn set_entry(&mut self, r: usize, c: usize, v: f64) {
        self.tab.t[r * self.tab.w + c] = v;
    }

    /// Column `c` is basic in row `r` with value `value`. The tableau must already be in
    /// canonical form for the starting basis (column `c` is the unit vector `e_r` and has
    /// cost `0`), which holds for artificial columns.
    pub(crate) fn set_basic(&mut self, r: usize, c: usize, value: f64) {
        self.tab.basis[r] = c;
        self.xb[r] = value;
        self.set_position(c, Position::Basic);
    }

    /// The basic column of each row.
    pub(crate) fn basis(&self) -> &[usize] {
        &self.tab.basis
    }

    /// Where column `c` is.
    pub(crate) fn position(&self, c: usize) -> Position {
        self.position[c]
    }

    /// The objective value (in floats) of the current basic solution.
    pub(crate) fn objective(&self) -> f64 {
        self.objective
    }

    fn cols(&self) -> usize {
        self.tab.w
    }

    fn cost(&self, c: usize) -> f64 {
        self.tab.t[self.tab.n * self.tab.w + c]
    }

    fn set_position(&mut self, c: usize, at: Position) {
        self.position[c] = at;
        let (up, down) = match at {
            Position::Lower => (1.0, 0.0),
            Position::Upper => (0.0, 1.0),
            Position::Zero => (1.0, 1.0),
            Position::Basic | Position::Fixed => (0.0, 0.0),
        };
        self.up[c] = up;
        self.down[c] = down;
    }

    /// Value of non-basic column `c`.
    fn nonbasic_value(&self, c: usize) -> f64 {
        match self.position[c] {
            Position::Lower => self.lower[c],
            Position::Upper => self.upper[c],
            _ => 0.0,
        }
    }

    /// Entering column: an improving reduced cost (Dantzig's largest, or Bland's smallest
    /// index) and its direction (`+1` up, `-1` down).
    fn entering(&self, bland: bool) -> Option<(usize, f64)> {
        let costs = &self.tab.t[self.tab.n * self.tab.w..];
        // Improvement rate of each column in its allowed direction (branch-free).
        let rate = |c: usize| (costs[c] * self.up[c]).max(-costs[c] * self.down[c]);
        let pick = if bland {
            (0..self.cols()).find(|&c| rate(c) > COST_TOL)?
        } else {
            let (mut best, mut best_rate) = (0, COST_TOL);
            for c in 0..self.cols() {
                let r = rate(c);
                if r > best_rate {
                    best = c;
                    best_rate = r;
                }
            }
            if best_rate == COST_TOL {
                return None;
            }
            best
        };
        Some((pick, if costs[pick] > 0.0 { 1.0 } else { -1.0 }))
    }

    /// One step (a pivot or a bound flip). `Ok(false)` at optimality.
    pub(crate) fn step(&mut self, bland: bool) -> Result<bool, Breakdown> {
        let Some((s, dir)) = self.entering(bland) else {
            return Ok(false);
        };
        let (p, w) = (self.tab.n, self.tab.w);
        let start = self.nonbasic_value(s);
        // Bound flip of the entering column: the distance to its bound in direction `dir`.
        let mut limit = if dir > 0.0 {
            self.upper[s] - start
        } else {
            start - self.lower[s]
        };
        // Basic variables move by -dir * T_is * t.
        let mut leave: Option<(usize, Position)> = None;
        for i in 0..p {
            let entry = self.tab.t[i * w + s];
            let delta = -dir * entry;
            let b = self.tab.basis[i];
            let (t, to) = if delta < -PIVOT_TOL {
                (
                    (self.xb[i] - self.lower[b]).max(0.0) / -delta,
                    Position::Lower,
                )
            } else if delta > PIVOT_TOL && self.upper[b].is_finite() {
                (
                    (self.upper[b] - self.xb[i]).max(0.0) / delta,
                    Position::Upper,
                )
            } else {
                continue;
            };
            let better = match leave {
                None => t < limit,
                Some((l, _)) => {
                    t < limit
                        || (t == limit
                            && if bland {
                                b < self.tab.basis[l]
                            } else {
                                entry.abs() > self.tab.t[l * w + s].abs()
                            })
                }
            };
            if better {
                limit = t;
                leave = Some((i, to));
            }
        }
        if !limit.is_finite() {
            return Err(Breakdown);
        }
        self.objective += self.cost(s).abs() * limit;
        for i in 0..p {
            self.xb[i] -= dir * self.tab.t[i * w + s] * limit;
        }
        match leave {
            None => self.set_position(
                s,
                if dir > 0.0 {
                    Position::Upper
                } else {
                    Position::Lower
                },
            ),
            Some((r, to)) => {
                let out = self.tab.basis[r];
                let to = if self.lower[out] == self.upper[out] {
                    Position::Fixed
                } else {
                    to
                };
                self.set_position(out, to);
                self.set_position(s, Position::Basic);
                self.tab.pivot(r, s);
                self.xb[r] = start + dir * limit;
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `max x + y` s.t. `x + 2y = s` (the slack `s` in `[0, 4]`), `x in [0, 3]`, `y in [0, 1]`:
    /// optimum `x = 3`, `y = 1/2` (value `3.5`), reached through a bound flip of `x`.
    #[test]
    fn solves_a_box_with_a_bound_flip() {
        // Columns: x, y, s, artificial a. Row: x + 2y - s + a = 0.
        let mut lp = BoundedSimplex::new(1, 4);
        lp.set_column(0, 1.0, 0.0, 3.0, Position::Lower);
        lp.set_column(1, 1.0, 0.0, 1.0, Position::Lower);
        lp.set_column(2, 0.0, 0.0, 4.0, Position::Lower);
        lp.set_column(3, 0.0, 0.0, 0.0, Position::Lower);
        lp.set_entry(0, 0, 1.0);
        lp.set_entry(0, 1, 2.0);
        lp.set_entry(0, 2, -1.0);
        lp.set_entry(0, 3, 1.0);
        lp.set_basic(0, 3, 0.0);
        let mut steps = 0;
        while lp.step(false).expect("bounded") {
            steps += 1;
            assert!(steps < 10, "cycling");
        }
        assert!((lp.objective() - 3.5).abs() < 1e-12, "{}", lp.objective());
        assert_eq!(lp.position(0), Position::Upper);
        assert_eq!(lp.position(3), Position::Fixed);
        // The slack is at its upper bound 4 = 3 + 2y, and y is basic at 1/2.
        assert_eq!(lp.position(2), Position::Upper);
        assert_eq!(lp.basis(), &[1]);
    }

    #[test]
    fn an_unbounded_column_is_a_breakdown() {
        // max z s.t. z - s + a = 0, z and s unbounded above.
        let mut lp = BoundedSimplex::new(1, 3);
        lp.set_column(0, 1.0, 0.0, f64::INFINITY, Position::Lower);
        lp.set_column(1, 0.0, 0.0, f64::INFINITY, Position::Lower);
        lp.set_column(2, 0.0, 0.0, 0.0, Position::Lower);
        lp.set_entry(0, 0, 1.0);
        lp.set_entry(0, 1, -1.0);
        lp.set_entry(0, 2, 1.0);
        lp.set_basic(0, 2, 0.0);
        let mut result = Ok(true);
        for _ in 0..10 {
            result = lp.step(false);
            if result != Ok(true) {
                break;
            }
        }
        assert_eq!(result, Err(Breakdown));
    }
}
