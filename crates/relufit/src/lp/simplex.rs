//! The default exact LP backend: a two-phase simplex on the dual standard form with integer
//! (fraction-free) pivoting.
//!
//! For the primal `min c . v` subject to rows `a_r . v >= b_r` (rows `<=` are negated, rows
//! `=` give a free dual variable, split in two columns), the dual is
//! `max sum_r z_r b_r` subject to `sum_r z_r a_r = c`, `z >= 0`: a standard-form LP with
//! only `n = num_vars` equations. Its tableau has `n + 1` rows, so every pivot costs
//! `O(n * rows)` exact operations.
//!
//! Rows and objective are scaled to integers (denominators cleared per row). Pivoting is
//! Edmonds' integer pivoting: the stored tableau `T` equals `D * B^-1 A` with `D` the
//! determinant of the current basis, and every update
//! `T_ij <- (T_rs T_ij - T_is T_rj) / D` divides exactly, so numbers stay minors of the
//! input (no fraction blow-up, no gcds). The pivot rule is Dantzig's largest reduced cost,
//! switching to Bland's rule (which cannot cycle) after a run of degenerate pivots.
//!
//! Reading the answer: at a dual optimum the simplex multipliers are the primal optimum
//! (their reduced costs on the artificial columns); dual unboundedness gives a Farkas vector
//! for the primal; phase-1 infeasibility of the dual gives a primal ray. Nothing here is
//! trusted: [`super::solve`] re-checks every certificate with [`super::check()`].

// Tableau code indexes rows and columns together; index loops read best.
#![allow(clippy::needless_range_loop)]

use super::{Lp, LpAnswer, Sense};
use crate::num::{common_denominator, Int, Natural, Rational};

/// Iteration cap (never reached in practice thanks to Bland's rule; a guard against bugs).
const MAX_PIVOTS: usize = 1_000_000;

struct Scaled {
    /// Integer rows `a'_r` (`>=` form) and right-hand sides `b'_r`.
    rows: Vec<(Vec<Int>, Int)>,
    /// Per row: sign (+1, or -1 for `<=`) times the positive scale factor.
    factor: Vec<Int>,
    /// Integer objective `c' = s_c * c` and `s_c`.
    c: Vec<Int>,
    c_scale: Int,
}

fn scale(qs: &[Rational], l: &Natural) -> Vec<Int> {
    qs.iter()
        .map(|q| {
            let f = l / q.denominator();
            q.numerator() * Int::from(f)
        })
        .collect()
}

fn scaled(lp: &Lp) -> Scaled {
    scaled_rows(lp, |_| true)
}

/// Scale the rows selected by `keep` (others are left empty: callers must not read them).
fn scaled_rows(lp: &Lp, keep: impl Fn(usize) -> bool) -> Scaled {
    let mut rows = Vec::with_capacity(lp.constraints.len());
    let mut factor = Vec::with_capacity(lp.constraints.len());
    for (r, c) in lp.constraints.iter().enumerate() {
        if !keep(r) {
            rows.push((Vec::new(), Int::ZERO));
            factor.push(Int::ZERO);
            continue;
        }
        let l = common_denominator(c.coeffs.iter().chain(std::iter::once(&c.rhs)));
        let mut a = scale(&c.coeffs, &l);
        let mut b = scale(std::slice::from_ref(&c.rhs), &l)
            .pop()
            .unwrap_or_default();
        let mut f = Int::from(l);
        if c.sense == Sense::Le {
            a.iter_mut().for_each(|x| *x = -&*x);
            b = -b;
            f = -f;
        }
        rows.push((a, b));
        factor.push(f);
    }
    let (c, c_scale) = match &lp.objective {
        Some(c) => {
            let l = common_denominator(c.iter());
            (scale(c, &l), Int::from(l))
        }
        None => (vec![Int::ZERO; lp.num_vars], Int::ONE),
    };
    Scaled {
        rows,
        factor,
        c,
        c_scale,
    }
}

/// The integer tableau with its basis and determinant.
struct Tableau {
    t: Vec<Vec<Int>>,
    d: Int,
    basis: Vec<usize>,
    /// Structural columns: (row index, +1/-1).
    cols: Vec<(usize, i8)>,
    n: usize,
    pivots: usize,
}

impl Tableau {
    fn width(&self) -> usize {
        self.cols.len() + self.n + 1
    }
    fn rhs(&self) -> usize {
        self.width() - 1
    }
    fn art(&self, i: usize) -> usize {
        self.cols.len() + i
    }
    /// Sign of the real entry `T_ij / D`.
    fn sign(&self, i: usize, j: usize) -> i8 {
        let s = self.t[i][j].signum();
        let ds = self.d.signum();
        if s == Int::ZERO {
            0
        } else if s == ds {
            1
        } else {
            -1
        }
    }
    fn pivot(&mut self, r: usize, s: usize) {
        let prow = self.t[r].clone();
        let p = prow[s].clone();
        let d = self.d.clone();
        for (i, row) in self.t.iter_mut().enumerate() {
            if i == r {
                continue;
            }
            let f = row[s].clone();
            if f == Int::ZERO {
                if p != d {
                    for x in row.iter_mut() {
                        if *x != Int::ZERO {
                            *x = &p * &*x / &d;
                        }
                    }
                }
            } else {
                for (x, pr) in row.iter_mut().zip(&prow) {
                    *x = (&p * &*x - &f * pr) / &d;
                }
            }
        }
        self.d = p;
        self.basis[r] = s;
        self.pivots += 1;
    }

    /// Entering column: among `0..limit` with positive real reduced cost; Dantzig's largest
    /// or, with `bland`, the smallest index.
    fn entering(&self, limit: usize, bland: bool) -> Option<usize> {
        let obj = self.n;
        let mut best: Option<usize> = None;
        for j in 0..limit {
            if self.sign(obj, j) > 0 {
                if bland {
                    return Some(j);
                }
                match best {
                    None => best = Some(j),
                    Some(b) => {
                        // Same D for all entries: compare magnitudes directly.
                        if self.t[obj][j].clone() * self.d.signum()
                            > self.t[obj][b].clone() * self.d.signum()
                        {
                            best = Some(j)
                        }
                    }
                }
            }
        }
        best
    }

    /// Leaving row by the minimum-ratio test (ties: smallest basic index, as Bland needs).
    fn leaving(&self, s: usize) -> Option<usize> {
        let rhs = self.rhs();
        let mut best: Option<usize> = None;
        for i in 0..self.n {
            if self.sign(i, s) <= 0 {
                continue;
            }
            match best {
                None => best = Some(i),
                Some(b) => {
                    // rhs_i / T_is  vs  rhs_b / T_bs, both T positive in real terms and
                    // of the same sign as D, so cross-multiplying keeps the order.
                    let lhs = &self.t[i][rhs] * &self.t[b][s];
                    let rhs_b = &self.t[b][rhs] * &self.t[i][s];
                    if lhs < rhs_b || (lhs == rhs_b && self.basis[i] < self.basis[b]) {
                        best = Some(i);
                    }
                }
            }
        }
        best
    }

    /// Run simplex iterations on the current objective row over columns `0..limit`.
    /// Returns `Ok(None)` at optimality, `Ok(Some(s))` if column `s` proves unboundedness.
    fn run(&mut self, limit: usize) -> Result<Option<usize>, String> {
        let mut bland = false;
        let mut degenerate = 0usize;
        loop {
            if self.pivots > MAX_PIVOTS {
                return Err("simplex iteration limit reached".into());
            }
            let Some(s) = self.entering(limit, bland) else {
                return Ok(None);
            };
            let Some(r) = self.leaving(s) else {
                return Ok(Some(s));
            };
            if self.t[r][self.rhs()] == Int::ZERO {
                degenerate += 1;
                if degenerate > 2 * self.n + 2 {
                    bland = true;
                }
            } else {
                degenerate = 0;
            }
            self.pivot(r, s);
        }
    }
}

fn rat(n: &Int, d: &Int) -> Rational {
    Rational::from_parts_signed(n.clone(), d.clone())
}

/// Solve `lp` exactly (no final check; [`super::solve`] adds it).
pub fn solve(lp: &Lp) -> LpAnswer {
    match solve_inner(lp) {
        Ok(a) => a,
        Err(reason) => LpAnswer::CertificationFailed { reason },
    }
}

fn solve_inner(lp: &Lp) -> Result<LpAnswer, String> {
    let n = lp.num_vars;
    let sc = scaled(lp);
    let mut cols: Vec<(usize, i8)> = Vec::new();
    for (r, c) in lp.constraints.iter().enumerate() {
        cols.push((r, 1));
        if c.sense == Sense::Eq {
            cols.push((r, -1));
        }
    }
    let ncols = cols.len();
    let width = ncols + n + 1;
    let flip: Vec<bool> = sc.c.iter().map(|x| *x < Int::ZERO).collect();
    let mut t = vec![vec![Int::ZERO; width]; n + 1];
    for (j, &(r, sg)) in cols.iter().enumerate() {
        let a = &sc.rows[r].0;
        for i in 0..n {
            let mut v = a[i].clone();
            if (sg < 0) != flip[i] {
                v = -v;
            }
            t[i][j] = v;
        }
    }
    for i in 0..n {
        t[i][ncols + i] = Int::ONE;
        t[i][width - 1] = if flip[i] { -&sc.c[i] } else { sc.c[i].clone() };
    }
    // Phase 1 objective row: minimise the sum of artificials.
    for j in 0..width {
        if j >= ncols && j < width - 1 {
            continue;
        }
        let mut s = Int::ZERO;
        for row in t.iter().take(n) {
            s += &row[j];
        }
        t[n][j] = s;
    }
    let mut tab = Tableau {
        t,
        d: Int::ONE,
        basis: (ncols..ncols + n).collect(),
        cols,
        n,
        pivots: 0,
    };
    let limit = tab.width() - 1; // phase 1: artificials may enter too
    tab.run(limit)?;
    let rhs = tab.rhs();
    if tab.sign(n, rhs) > 0 {
        // The dual is infeasible: pi = reduced costs of artificials + 1 gives a primal ray.
        let ray: Vec<Rational> = (0..n)
            .map(|i| {
                let pi = rat(&tab.t[n][tab.art(i)], &tab.d) + Rational::ONE;
                if flip[i] {
                    pi
                } else {
                    -pi
                }
            })
            .collect();
        let mut feas = lp.clone();
        feas.objective = None;
        return Ok(match solve_inner(&feas)? {
            LpAnswer::Feasible { point } => LpAnswer::Unbounded { point, ray },
            other => other,
        });
    }
    // Drive artificials out of the basis where possible (they are at level zero).
    for i in 0..n {
        if tab.basis[i] >= ncols {
            if let Some(j) = (0..ncols).find(|&j| tab.t[i][j] != Int::ZERO) {
                tab.pivot(i, j);
            }
        }
    }
    // Phase 2: minimise -b . z over structural columns.
    let cost = |j: usize, tab: &Tableau| -> Int {
        if j < ncols {
            let (r, sg) = tab.cols[j];
            let b = &sc.rows[r].1;
            if sg > 0 {
                -b
            } else {
                b.clone()
            }
        } else {
            Int::ZERO
        }
    };
    let costs_b: Vec<Int> = (0..n).map(|i| cost(tab.basis[i], &tab)).collect();
    for j in 0..width {
        let mut s = Int::ZERO;
        for (i, cb) in costs_b.iter().enumerate() {
            if *cb != Int::ZERO {
                s += cb * &tab.t[i][j];
            }
        }
        if j < width - 1 {
            s -= cost(j, &tab) * &tab.d;
        }
        tab.t[n][j] = s;
    }
    let unbounded_col = tab.run(ncols)?;
    let m = lp.constraints.len();
    if let Some(s) = unbounded_col {
        // Dual ray: z_s = 1, z_basic(i) = -T_is / D. It is a Farkas vector for the primal.
        let mut zr = vec![Rational::ZERO; m];
        let mut add = |col: usize, val: Rational| {
            if col < ncols {
                let (r, sg) = tab.cols[col];
                if sg > 0 {
                    zr[r] += val;
                } else {
                    zr[r] -= val;
                }
            }
        };
        add(s, Rational::ONE);
        for i in 0..n {
            if tab.t[i][s] != Int::ZERO {
                add(tab.basis[i], -rat(&tab.t[i][s], &tab.d));
            }
        }
        let farkas = zr
            .into_iter()
            .zip(&sc.factor)
            .map(|(z, f)| z * Rational::from(f.clone()))
            .collect();
        return Ok(LpAnswer::Infeasible { farkas });
    }
    // Optimal: primal point from the multipliers, dual from the basic values.
    let point: Vec<Rational> = (0..n)
        .map(|i| {
            let pi = rat(&tab.t[n][tab.art(i)], &tab.d);
            if flip[i] {
                pi
            } else {
                -pi
            }
        })
        .collect();
    match &lp.objective {
        None => Ok(LpAnswer::Feasible { point }),
        Some(c) => {
            let mut dual = vec![Rational::ZERO; m];
            for i in 0..n {
                let col = tab.basis[i];
                if col < ncols && tab.t[i][rhs] != Int::ZERO {
                    let (r, sg) = tab.cols[col];
                    let v = rat(&tab.t[i][rhs], &tab.d);
                    if sg > 0 {
                        dual[r] += v;
                    } else {
                        dual[r] -= v;
                    }
                }
            }
            let dual = dual
                .into_iter()
                .zip(&sc.factor)
                .map(|(z, f)| z * rat(f, &sc.c_scale))
                .collect();
            let value = c
                .iter()
                .zip(&point)
                .fold(Rational::ZERO, |acc, (a, b)| acc + a * b);
            Ok(LpAnswer::Optimal { point, value, dual })
        }
    }
}

/// Is the square integer matrix `a` nonsingular? (The kernel's exact solve.)
pub fn is_nonsingular(a: &[Vec<Int>]) -> bool {
    let flat: Vec<Int> = a.iter().flatten().cloned().collect();
    super::exact::is_nonsingular(a.len(), &flat)
}

/// Solve the square integer system `a x = rhs` exactly with the kernel's one fraction-free
/// solve ([`super::exact::solve_square_int`]); `None` if singular.
fn int_solve(a: Vec<Vec<Int>>, rhs: Vec<Int>) -> Option<Vec<Rational>> {
    let flat: Vec<Int> = a.iter().flatten().cloned().collect();
    super::exact::solve_square_int(a.len(), &flat, &rhs)
}

/// Turn a basis guessed by the float twin ([`super::float`]) into an exact answer by exact
/// square solves. `None` if the basis is singular; the caller must still [`super::check()`]
/// the answer (a wrong guess gives a certificate that fails the check).
pub fn from_basis(
    lp: &Lp,
    basis: &[usize],
    status: &super::float::FloatStatus,
) -> Option<LpAnswer> {
    from_basis_parts(lp, basis, status, true, true)
}

/// Like [`from_basis`] for an optimal basis, computing only the parts asked for: the primal
/// point (`want_primal`) and/or the dual multipliers (`want_dual`). Missing parts are left
/// empty in the returned `Optimal` (its `value` is then meaningless). One exact square solve
/// per part.
pub fn from_basis_parts(
    lp: &Lp,
    basis: &[usize],
    status: &super::float::FloatStatus,
    want_primal: bool,
    want_dual: bool,
) -> Option<LpAnswer> {
    use super::float::FloatStatus;
    let n = lp.num_vars;
    let mut cols: Vec<(usize, i8)> = Vec::new();
    for (r, c) in lp.constraints.iter().enumerate() {
        cols.push((r, 1));
        if c.sense == Sense::Eq {
            cols.push((r, -1));
        }
    }
    let ncols = cols.len();
    if basis.len() != n || basis.iter().any(|&j| j >= ncols + n) {
        return None;
    }
    // Only the rows of basic columns (and an unbounded column) are ever read.
    let mut needed = vec![false; lp.constraints.len()];
    for &j in basis {
        if j < ncols {
            needed[cols[j].0] = true;
        }
    }
    if let FloatStatus::DualUnbounded(s) = status {
        if *s >= ncols {
            return None;
        }
        needed[cols[*s].0] = true;
    }
    let sc = scaled_rows(lp, |r| needed[r]);
    let flip: Vec<bool> = sc.c.iter().map(|x| *x < Int::ZERO).collect();
    let column = |j: usize| -> Vec<Int> {
        if j < ncols {
            let (r, sg) = cols[j];
            (0..n)
                .map(|i| {
                    let v = sc.rows[r].0[i].clone();
                    if (sg < 0) != flip[i] {
                        -v
                    } else {
                        v
                    }
                })
                .collect()
        } else {
            let mut e = vec![Int::ZERO; n];
            e[j - ncols] = Int::ONE;
            e
        }
    };
    let bcols: Vec<Vec<Int>> = basis.iter().map(|&j| column(j)).collect();
    // B[row][k] = bcols[k][row]; B^T[k][row] = bcols[k][row].
    let b_mat: Vec<Vec<Int>> = (0..n)
        .map(|row| (0..n).map(|k| bcols[k][row].clone()).collect())
        .collect();
    let bt_mat: Vec<Vec<Int>> = bcols.clone();
    let add_multiplier = |zr: &mut [Rational], col: usize, val: Rational| {
        if col < ncols {
            let (r, sg) = cols[col];
            if sg > 0 {
                zr[r] += val;
            } else {
                zr[r] -= val;
            }
        }
    };
    let m = lp.constraints.len();
    let point_from = |pi: Vec<Rational>| -> Vec<Rational> {
        pi.into_iter()
            .zip(&flip)
            .map(|(p, &f)| if f { p } else { -p })
            .collect()
    };
    match status {
        FloatStatus::Optimal => {
            let cost = |j: usize| -> Int {
                if j < ncols {
                    let (r, sg) = cols[j];
                    if sg > 0 {
                        -&sc.rows[r].1
                    } else {
                        sc.rows[r].1.clone()
                    }
                } else {
                    Int::ZERO
                }
            };
            let point = if want_primal || lp.objective.is_none() {
                let cb: Vec<Int> = basis.iter().map(|&j| cost(j)).collect();
                point_from(int_solve(bt_mat, cb)?)
            } else {
                Vec::new()
            };
            match &lp.objective {
                None => Some(LpAnswer::Feasible { point }),
                Some(_) if !want_dual => Some(LpAnswer::Optimal {
                    point,
                    value: Rational::ZERO,
                    dual: Vec::new(),
                }),
                Some(c) => {
                    let cflip: Vec<Int> =
                        sc.c.iter()
                            .map(|x| if *x < Int::ZERO { -x } else { x.clone() })
                            .collect();
                    let zb = int_solve(b_mat, cflip)?;
                    let mut zr = vec![Rational::ZERO; m];
                    for (k, &j) in basis.iter().enumerate() {
                        add_multiplier(&mut zr, j, zb[k].clone());
                    }
                    let dual = zr
                        .into_iter()
                        .zip(&sc.factor)
                        .map(|(z, f)| {
                            if z == Rational::ZERO {
                                z
                            } else {
                                z * rat(f, &sc.c_scale)
                            }
                        })
                        .collect();
                    let value = if point.is_empty() {
                        Rational::ZERO
                    } else {
                        c.iter()
                            .zip(&point)
                            .fold(Rational::ZERO, |acc, (a, b)| acc + a * b)
                    };
                    Some(LpAnswer::Optimal { point, value, dual })
                }
            }
        }
        FloatStatus::DualUnbounded(s) => {
            let ms = column(*s);
            let db = int_solve(b_mat, ms)?;
            let mut zr = vec![Rational::ZERO; m];
            add_multiplier(&mut zr, *s, Rational::ONE);
            for (k, &j) in basis.iter().enumerate() {
                add_multiplier(&mut zr, j, -db[k].clone());
            }
            let farkas = zr
                .into_iter()
                .zip(&sc.factor)
                .map(|(z, f)| {
                    if z == Rational::ZERO {
                        z
                    } else {
                        z * Rational::from(f.clone())
                    }
                })
                .collect();
            Some(LpAnswer::Infeasible { farkas })
        }
        FloatStatus::DualInfeasible => {
            let c1: Vec<Int> = basis
                .iter()
                .map(|&j| if j >= ncols { Int::ONE } else { Int::ZERO })
                .collect();
            let pi = int_solve(bt_mat, c1)?;
            let ray = point_from(pi);
            Some(LpAnswer::Unbounded {
                point: Vec::new(),
                ray,
            })
        }
        FloatStatus::Failed | FloatStatus::PrimalRay(_) => None,
    }
}
