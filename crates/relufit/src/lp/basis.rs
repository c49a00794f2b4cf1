//! Exact answers from a basis: the kernel's side of "floats guess, the kernel certifies" for
//! the rational [`Lp`] type.
//!
//! The simplex (`super::float`, in `f64`, double-double or exact rationals) works on the
//! dual standard form: for the primal `min c . v` subject to rows `a_r . v >= b_r` (rows `<=`
//! are negated, rows `=` give a free dual variable, split in two columns), the dual is
//! `max sum_r z_r b_r` subject to `sum_r z_r a_r = c`, `z >= 0`, with `n = num_vars`
//! equations. It returns a final basis and how it ended. [`from_basis`] scales the rows it
//! needs to integers (denominators cleared per row) and reads the answer off the basis with
//! the kernel's exact square solves: at a dual optimum the simplex multipliers are the primal
//! optimum, dual unboundedness gives a Farkas vector for the primal, phase-1 infeasibility of
//! the dual gives a primal ray. Nothing here is trusted: [`super::solve`] re-checks every
//! certificate with [`super::check()`].

// Tableau code indexes rows and columns together; index loops read best.
#![allow(clippy::needless_range_loop)]

use super::{Lp, LpAnswer, Sense};
use crate::num::{common_denominator, Int, Natural, Rational};

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

fn rat(n: &Int, d: &Int) -> Rational {
    Rational::from_parts_signed(n.clone(), d.clone())
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

/// Turn a basis guessed by the float twin (`super::float`) into an exact answer by exact
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
