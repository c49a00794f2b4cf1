//! The one simplex of relufit (on the dual standard form; Dantzig's rule, Bland's after a run
//! of degenerate pivots; warm starts and a dual simplex for the search nodes). It only ever
//! produces a final *basis*; the exact kernel turns the basis into an answer by exact square
//! solves ([`super::basis::from_basis`]) and re-checks it. If that fails, the caller guesses
//! again in double-double precision ([`super::real::Dd`], for ill-conditioned systems) and
//! finally runs the same simplex in exact rationals ([`solve_exact`]), whose basis is right
//! by construction. Floats never decide.
//!
//! The simplex is written once over [`Real`]: `f64` for speed, [`super::real::Dd`] for
//! precision, [`crate::num::Rational`] for the exact fallback.

// Tableau code indexes rows and columns together; index loops read best.
#![allow(clippy::needless_range_loop)]

pub(crate) mod bounded;

use super::real::Real;
use super::{Lp, Sense};
use crate::num::to_f64;

/// How the float run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FloatStatus {
    /// Dual optimum (primal optimum / feasible point).
    Optimal,
    /// Dual unbounded along structural column `s` (primal infeasible).
    DualUnbounded(usize),
    /// Dual infeasible (primal unbounded or infeasible).
    DualInfeasible,
    /// Primal unbounded, found by the dual simplex of a warm start: the basis is
    /// structural and dual-feasible, and its row `r` cannot be repaired, so row `r` of the
    /// inverse basis is a recession ray of the primal (only from [`solve_rows_cached`]).
    PrimalRay(usize),
    /// Numerical trouble or iteration limit.
    Failed,
}

/// Final basis (column index per tableau row, artificials at `ncols + i`) and status.
#[derive(Debug, Clone)]
pub(crate) struct FloatResult {
    /// Basic column per row.
    pub basis: Vec<usize>,
    /// Outcome.
    pub status: FloatStatus,
    /// Approximate optimal value of the primal (meaningful for `Optimal` only).
    pub value: f64,
}

const MAX_PIVOTS: usize = 50_000;

#[derive(Clone)]
struct Tab<R> {
    /// Row-major `(n + 1) x w` tableau (objective row last).
    t: Vec<R>,
    basis: Vec<usize>,
    n: usize,
    w: usize,
    /// Scratch copy of the pivot row.
    prow: Vec<R>,
    /// Pivots made so far.
    pivots: usize,
}

impl<R: Real> Tab<R> {
    #[inline]
    fn at(&self, i: usize, j: usize) -> R {
        self.t[i * self.w + j].clone()
    }

    fn pivot(&mut self, r: usize, s: usize) {
        let w = self.w;
        let p = self.t[r * w + s].clone();
        for x in self.t[r * w..(r + 1) * w].iter_mut() {
            *x = x.clone() / p.clone();
        }
        self.prow.clear();
        self.prow.extend_from_slice(&self.t[r * w..(r + 1) * w]);
        for i in 0..=self.n {
            if i == r {
                continue;
            }
            let row = &mut self.t[i * w..(i + 1) * w];
            let f = row[s].clone();
            if f != R::ZERO {
                for (x, pr) in row.iter_mut().zip(&self.prow) {
                    *x -= f.clone() * pr.clone();
                }
                row[s] = R::ZERO;
            }
        }
        self.basis[r] = s;
        self.pivots += 1;
    }

    fn run(&mut self, limit: usize) -> Result<Option<usize>, ()> {
        let n = self.n;
        let rhs = self.w - 1;
        let mut bland = false;
        let mut degenerate = 0;
        for _ in 0..MAX_PIVOTS {
            let obj = &self.t[n * self.w..(n + 1) * self.w];
            let mut s = None;
            let mut best = R::EPS;
            for (j, v) in obj.iter().enumerate().take(limit) {
                if *v > best {
                    s = Some(j);
                    if bland {
                        break;
                    }
                    best = v.clone();
                }
            }
            let Some(s) = s else { return Ok(None) };
            let mut r: Option<usize> = None;
            let mut rbest = R::ZERO;
            for i in 0..n {
                let a = self.at(i, s);
                if a > R::EPS {
                    let ratio = self.at(i, rhs).max(&R::ZERO) / a;
                    let better = match r {
                        None => true,
                        Some(b) => {
                            ratio < rbest.clone() - R::EPS
                                || (ratio <= rbest.clone() + R::EPS
                                    && self.basis[i] < self.basis[b])
                        }
                    };
                    if better {
                        r = Some(i);
                        rbest = ratio;
                    }
                }
            }
            let Some(r) = r else { return Ok(Some(s)) };
            if rbest <= R::EPS {
                degenerate += 1;
                if degenerate > 2 * n + 2 {
                    bland = true;
                }
            } else {
                degenerate = 0;
            }
            self.pivot(r, s);
        }
        Err(())
    }
}

/// Run the float dual simplex on `lp`.
pub(crate) fn solve(lp: &Lp) -> FloatResult {
    let n = lp.num_vars;
    let m = lp.constraints.len();
    let mut a = Vec::with_capacity(m * n);
    let mut b = Vec::with_capacity(m);
    let mut eq = Vec::with_capacity(m);
    for c in &lp.constraints {
        let sg = if c.sense == Sense::Le { -1.0 } else { 1.0 };
        // Normalise rows to unit max-norm for stability (positive scaling is harmless).
        let start = a.len();
        a.extend(c.coeffs.iter().map(|q| sg * to_f64(q)));
        let rhs = sg * to_f64(&c.rhs);
        let mx = a[start..]
            .iter()
            .fold(rhs.abs(), |mx, x| mx.max(x.abs()))
            .max(1e-300);
        a[start..].iter_mut().for_each(|x| *x /= mx);
        b.push(rhs / mx);
        eq.push(c.sense == Sense::Eq);
    }
    let c: Vec<f64> = match &lp.objective {
        Some(c) => c.iter().map(to_f64).collect(),
        None => vec![0.0; n],
    };
    solve_rows(n, &a, &b, &eq, &c)
}

/// The same simplex in exact rational arithmetic (every tolerance zero): the exact fallback.
/// Its basis is exactly optimal (or proves infeasibility or unboundedness exactly); like any
/// guess it is turned into a certificate by [`super::basis::from_basis`] and checked.
/// `Failed` only at the pivot limit.
pub(crate) fn solve_exact(lp: &Lp) -> FloatResult {
    use crate::num::Rational;
    let n = lp.num_vars;
    let mut a: Vec<Rational> = Vec::with_capacity(lp.constraints.len() * n);
    let mut b = Vec::with_capacity(lp.constraints.len());
    let mut eq = Vec::with_capacity(lp.constraints.len());
    for c in &lp.constraints {
        let le = c.sense == Sense::Le;
        a.extend(
            c.coeffs
                .iter()
                .map(|q| if le { -q.clone() } else { q.clone() }),
        );
        b.push(if le { -c.rhs.clone() } else { c.rhs.clone() });
        eq.push(c.sense == Sense::Eq);
    }
    let c: Vec<Rational> = match &lp.objective {
        Some(c) => c.clone(),
        None => vec![Rational::ZERO; n],
    };
    solve_rows_in(n, &a, &b, &eq, &c)
}

/// The float dual simplex on rows given directly in floats: row `r` is
/// `a[r n .. (r+1) n] . v >= b[r]` (or `=` when `eq[r]`), best normalised to unit max-norm;
/// objective `min c . v` (all zeros for feasibility). The column layout (one column per
/// row, a second, negated one for each `=` row, then the artificials) is the one
/// [`super::basis::from_basis`] expects. Used by [`solve`] and by the integer fast path
/// ([`super::int`]), which keeps a float copy of its rows so nothing is converted per LP.
pub(crate) fn solve_rows(n: usize, a: &[f64], b: &[f64], eq: &[bool], c: &[f64]) -> FloatResult {
    solve_rows_in(n, a, b, eq, c)
}

/// [`solve_rows`] in any [`Real`] type (double-double for ill-conditioned systems).
pub(crate) fn solve_rows_in<R: Real>(
    n: usize,
    a: &[R],
    b: &[R],
    eq: &[bool],
    c: &[R],
) -> FloatResult {
    let (mut tab, cols) = build(n, a, b, eq, c);
    cold(&mut tab, &cols, b, c)
}

/// Both phases from the artificial basis.
fn cold<R: Real>(tab: &mut Tab<R>, cols: &[(usize, f64)], b: &[R], c: &[R]) -> FloatResult {
    let n = tab.n;
    let ncols = cols.len();
    let w = tab.w;
    let fail = |tab: &Tab<R>| FloatResult {
        basis: tab.basis.clone(),
        status: FloatStatus::Failed,
        value: f64::NAN,
    };
    if tab.run(w - 1).is_err() {
        return fail(tab);
    }
    let scale = c.iter().fold(R::ONE, |m, x| m.max(&x.abs()));
    if tab.at(n, w - 1) > R::LOOSE * scale {
        return FloatResult {
            basis: tab.basis.clone(),
            status: FloatStatus::DualInfeasible,
            value: f64::NAN,
        };
    }
    for i in 0..n {
        if tab.basis[i] >= ncols {
            let mut best = None;
            let mut bv = R::LOOSE;
            for j in 0..ncols {
                if tab.at(i, j).abs() > bv {
                    bv = tab.at(i, j).abs();
                    best = Some(j);
                }
            }
            if let Some(j) = best {
                tab.pivot(i, j);
            }
        }
    }
    phase2_objective(tab, cols, b);
    match tab.run(ncols) {
        Err(()) => fail(tab),
        Ok(Some(s)) => FloatResult {
            basis: tab.basis.clone(),
            status: FloatStatus::DualUnbounded(s),
            value: f64::NAN,
        },
        Ok(None) => FloatResult {
            value: -tab.at(n, w - 1).to_f64(),
            basis: tab.basis.clone(),
            status: FloatStatus::Optimal,
        },
    }
}

/// The initial tableau (artificial basis, phase-1 objective row) and the column layout.
fn build<R: Real>(n: usize, a: &[R], b: &[R], eq: &[bool], c: &[R]) -> (Tab<R>, Vec<(usize, f64)>) {
    let mut cols: Vec<(usize, f64)> = Vec::with_capacity(b.len() * 2);
    for (r, &e) in eq.iter().enumerate() {
        cols.push((r, 1.0));
        if e {
            cols.push((r, -1.0));
        }
    }
    let row = |r: usize| &a[r * n..(r + 1) * n];
    let ncols = cols.len();
    let w = ncols + n + 1;
    let flip: Vec<bool> = c.iter().map(|x| *x < R::ZERO).collect();
    let mut t = vec![R::ZERO; w * (n + 1)];
    for (j, &(r, sg)) in cols.iter().enumerate() {
        let rr = row(r);
        for i in 0..n {
            let v = if sg < 0.0 {
                -rr[i].clone()
            } else {
                rr[i].clone()
            };
            t[i * w + j] = if flip[i] { -v } else { v };
        }
    }
    for i in 0..n {
        t[i * w + ncols + i] = R::ONE;
        t[i * w + w - 1] = c[i].abs();
    }
    for j in 0..w {
        if j >= ncols && j < w - 1 {
            continue;
        }
        let mut s = R::ZERO;
        for i in 0..n {
            s += t[i * w + j].clone();
        }
        t[n * w + j] = s;
    }
    let tab = Tab {
        t,
        basis: (ncols..ncols + n).collect(),
        n,
        w,
        prow: Vec::with_capacity(w),
        pivots: 0,
    };
    (tab, cols)
}

/// Phase-2 objective row (maximise `b . z`, as reduced costs) for the current basis.
fn phase2_objective<R: Real>(tab: &mut Tab<R>, cols: &[(usize, f64)], b: &[R]) {
    let (n, w) = (tab.n, tab.w);
    let ncols = cols.len();
    let cost = |j: usize| -> R {
        if j < ncols {
            let (r, sg) = cols[j];
            if sg < 0.0 {
                b[r].clone()
            } else {
                -b[r].clone()
            }
        } else {
            R::ZERO
        }
    };
    let cb: Vec<R> = (0..n).map(|i| cost(tab.basis[i])).collect();
    for j in 0..w {
        let mut s = R::ZERO;
        for i in 0..n {
            s += cb[i].clone() * tab.at(i, j);
        }
        if j < w - 1 {
            s -= cost(j);
        }
        tab.t[n * w + j] = s;
    }
}

/// A float tableau kept between LPs over the same rows (see [`solve_rows_cached`]).
#[derive(Clone)]
pub(crate) struct WarmTableau<R = f64> {
    tab: Tab<R>,
    cols: Vec<(usize, f64)>,
    /// Row signs the tableau was built with (`-1` where the objective was negative).
    sign: Vec<f64>,
    /// Number of constraint rows it was built for.
    rows: usize,
    /// Pivots since it was built (rebuilt after many, against drift).
    pivots: usize,
}

impl<R> std::fmt::Debug for WarmTableau<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WarmTableau({} rows)", self.rows)
    }
}

/// Rebuild the cached tableau after this many pivots (bounds accumulated rounding).
const WARM_PIVOT_BUDGET: usize = 400;

/// [`solve_rows`] for a sequence of LPs over the same rows with different objectives (the
/// LPs of one ExactFit node). With a cached final tableau for the same rows, only the
/// right-hand side changes (`B^-1 c`, read off the artificial columns), the old basis stays
/// dual-feasible and the dual simplex repairs it: no rebuild, usually a few pivots. With
/// only a previous basis `start` (rows appended since), that basis is pivoted into a fresh
/// tableau first. Otherwise, or if any of that fails, the cold two-phase run. The final
/// tableau is cached when it is an optimum on structural columns. Like everything here,
/// the result is only a guess for the exact side to certify.
pub(crate) fn solve_rows_cached<R: Real>(
    n: usize,
    a: &[R],
    b: &[R],
    eq: &[bool],
    c: &[R],
    cache: &mut Option<WarmTableau<R>>,
    start: &[usize],
) -> FloatResult {
    if let Some(mut wt) = cache.take() {
        if wt.rows <= b.len() && wt.pivots < WARM_PIVOT_BUDGET {
            let mut ok = true;
            if wt.rows < b.len() {
                match extend(&mut wt, a, b, eq) {
                    Extended::Ready => {}
                    Extended::Empty(fr) => return fr,
                    Extended::Failed => ok = false,
                }
            }
            if ok {
                if let Some(fr) = resolve(&mut wt, b, c) {
                    *cache = Some(wt);
                    return fr;
                }
            }
        }
    }
    let (mut tab, cols) = build(n, a, b, eq, c);
    let sign: Vec<f64> = c
        .iter()
        .map(|x| if *x < R::ZERO { -1.0 } else { 1.0 })
        .collect();
    let mut fr = None;
    if !start.is_empty() {
        fr = warm_from_basis(&mut tab, &cols, b, start);
        if fr.is_none() {
            tab = build(n, a, b, eq, c).0;
        }
    }
    let fr = match fr {
        Some(fr) => fr,
        None => cold(&mut tab, &cols, b, c),
    };
    let ncols = cols.len();
    let dual_feasible = matches!(fr.status, FloatStatus::Optimal | FloatStatus::PrimalRay(_));
    if dual_feasible && tab.basis.iter().all(|&j| j < ncols) {
        *cache = Some(WarmTableau {
            tab,
            cols,
            sign,
            rows: b.len(),
            pivots: 0,
        });
    }
    fr
}

enum Extended {
    /// Optimal again for the previous objective, over all rows.
    Ready,
    /// The rows are infeasible (dual unbounded): the answer for any objective.
    Empty(FloatResult),
    /// Give up on the cached tableau.
    Failed,
}

/// `s * x` for a sign `s` of `+-1.0`.
#[inline]
fn signed<R: Real>(s: f64, x: R) -> R {
    if s < 0.0 {
        -x
    } else {
        x
    }
}

/// Append the columns of rows `wt.rows..` to a cached optimal tableau (`B^-1` times the
/// new columns, read off the artificial columns, and their reduced costs), then restore
/// optimality for the previous objective with the primal simplex (the right-hand side is
/// unchanged, so the basis stays primal-feasible).
fn extend<R: Real>(wt: &mut WarmTableau<R>, a: &[R], b: &[R], eq: &[bool]) -> Extended {
    let n = wt.tab.n;
    let old_w = wt.tab.w;
    let old_ncols = wt.cols.len();
    let mut cols = wt.cols.clone();
    for r in wt.rows..b.len() {
        cols.push((r, 1.0));
        if eq[r] {
            cols.push((r, -1.0));
        }
    }
    let ncols = cols.len();
    let w = ncols + n + 1;
    if (0..n).any(|i| wt.tab.at(i, old_w - 1) < -R::EPS) {
        // Last LP ended on a ray: the basis is not primal-feasible.
        return Extended::Failed;
    }
    let mut t = vec![R::ZERO; w * (n + 1)];
    for i in 0..=n {
        let old = &wt.tab.t[i * old_w..(i + 1) * old_w];
        let new = &mut t[i * w..(i + 1) * w];
        new[..old_ncols].clone_from_slice(&old[..old_ncols]);
        new[ncols..].clone_from_slice(&old[old_ncols..]);
    }
    // Column of (r, sg) in the original system: sign_k * sg * a_rk; times B^-1.
    for (j, &(r, sg)) in cols.iter().enumerate().skip(old_ncols) {
        let ar = &a[r * n..(r + 1) * n];
        let col: Vec<R> = (0..n)
            .map(|k| signed(wt.sign[k] * sg, ar[k].clone()))
            .collect();
        for i in 0..n {
            let mut v = R::ZERO;
            for k in 0..n {
                v += t[i * w + ncols + k].clone() * col[k].clone();
            }
            t[i * w + j] = v;
        }
    }
    let cost = |j: usize| -> R {
        let (r, sg) = cols[j];
        signed(-sg, b[r].clone())
    };
    for j in old_ncols..ncols {
        let mut rc = R::ZERO;
        for i in 0..n {
            rc += cost(wt.tab.basis[i]) * t[i * w + j].clone();
        }
        t[n * w + j] = rc - cost(j);
    }
    // Basis indices: structural ones are unchanged (the cache holds no artificials).
    wt.tab.t = t;
    wt.tab.w = w;
    wt.cols = cols;
    wt.rows = b.len();
    let before = wt.tab.pivots;
    let r = wt.tab.run(ncols);
    wt.pivots += wt.tab.pivots - before;
    match r {
        Ok(None) => Extended::Ready,
        Ok(Some(s)) => Extended::Empty(FloatResult {
            basis: wt.tab.basis.clone(),
            status: FloatStatus::DualUnbounded(s),
            value: f64::NAN,
        }),
        Err(()) => Extended::Failed,
    }
}

/// New objective `c` on a cached optimal tableau: new right-hand side, then the dual simplex.
fn resolve<R: Real>(wt: &mut WarmTableau<R>, b: &[R], c: &[R]) -> Option<FloatResult> {
    let n = wt.tab.n;
    let w = wt.tab.w;
    let ncols = wt.cols.len();
    let rhs = w - 1;
    // The artificial columns hold B^-1 (of the system with the old row signs): the basic
    // solution for the new objective is B^-1 (sign * c).
    let y: Vec<R> = (0..n).map(|k| signed(wt.sign[k], c[k].clone())).collect();
    for i in 0..n {
        let mut v = R::ZERO;
        for k in 0..n {
            v += wt.tab.at(i, ncols + k) * y[k].clone();
        }
        wt.tab.t[i * w + rhs] = v;
    }
    let cost = |j: usize| -> R {
        let (r, sg) = wt.cols[j];
        signed(-sg, b[r].clone())
    };
    let mut obj = R::ZERO;
    for i in 0..n {
        obj += cost(wt.tab.basis[i]) * wt.tab.at(i, rhs);
    }
    wt.tab.t[n * w + rhs] = obj;
    let before = wt.tab.pivots;
    let r = dual_simplex(&mut wt.tab, ncols);
    wt.pivots += wt.tab.pivots - before;
    r
}

/// Pivot the structural columns `start` into a fresh tableau, then continue (dual simplex
/// when the basis is dual-feasible, primal simplex when it is primal-feasible).
fn warm_from_basis<R: Real>(
    tab: &mut Tab<R>,
    cols: &[(usize, f64)],
    b: &[R],
    start: &[usize],
) -> Option<FloatResult> {
    let n = tab.n;
    let ncols = cols.len();
    let rhs = tab.w - 1;
    if start.len() != n || start.iter().any(|&j| j >= ncols) {
        return None;
    }
    for &s in start {
        // Pivot column s into a row still held by an artificial (largest entry).
        let mut best: Option<usize> = None;
        let mut bv = R::LOOSE;
        for i in 0..n {
            if tab.basis[i] >= ncols && tab.at(i, s).abs() > bv {
                bv = tab.at(i, s).abs();
                best = Some(i);
            }
        }
        tab.pivot(best?, s);
    }
    phase2_objective(tab, cols, b);
    let dual_feasible = (0..ncols).all(|j| tab.at(n, j) <= R::EPS);
    if !dual_feasible {
        if (0..n).any(|i| tab.at(i, rhs) < -R::EPS) {
            return None;
        }
        return match tab.run(ncols) {
            Ok(None) => Some(FloatResult {
                value: -tab.at(n, rhs).to_f64(),
                basis: tab.basis.clone(),
                status: FloatStatus::Optimal,
            }),
            Ok(Some(s)) => Some(FloatResult {
                value: f64::NAN,
                basis: tab.basis.clone(),
                status: FloatStatus::DualUnbounded(s),
            }),
            Err(()) => None,
        };
    }
    dual_simplex(tab, ncols)
}

/// Dual simplex on a dual-feasible tableau (all reduced costs `<= 0`): a basic variable
/// below zero leaves; the entering column keeps every reduced cost `<= 0` (minimum ratio).
/// `None` if it finds no entering column or runs too long.
fn dual_simplex<R: Real>(tab: &mut Tab<R>, ncols: usize) -> Option<FloatResult> {
    let n = tab.n;
    let rhs = tab.w - 1;
    for _ in 0..(20 * n + 20) {
        let mut r = None;
        let mut most = -R::EPS;
        for i in 0..n {
            let v = tab.at(i, rhs);
            if v < most {
                most = v;
                r = Some(i);
            }
        }
        let Some(r) = r else {
            return Some(FloatResult {
                value: -tab.at(n, rhs).to_f64(),
                basis: tab.basis.clone(),
                status: FloatStatus::Optimal,
            });
        };
        let mut s = None;
        let mut best = R::ZERO;
        for j in 0..ncols {
            let arj = tab.at(r, j);
            if arj < -R::EPS {
                let ratio = tab.at(n, j).min(&R::ZERO) / arj;
                if s.is_none() || ratio < best {
                    best = ratio;
                    s = Some(j);
                }
            }
        }
        let Some(s) = s else {
            return Some(FloatResult {
                value: f64::NAN,
                basis: tab.basis.clone(),
                status: FloatStatus::PrimalRay(r),
            });
        };
        tab.pivot(r, s);
    }
    None
}
