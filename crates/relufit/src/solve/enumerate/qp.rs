//! An exact primal active-set method (Nocedal and Wright, Algorithm 16.3) for the small
//! convex QP of a ReLU leaf under the squared loss:
//!
//! `min ||A v - y||^2  subject to  c_r . v >= 0 for every r`
//!
//! (the closed pattern constraints form a cone, so `v = 0` is a feasible start). Every
//! linear system is solved in exact rationals, and the answer is only returned with its
//! certificate re-checked exactly: primal feasibility, multipliers `mu >= 0` on the working
//! set (whose constraints are tight), and stationarity `2 A^T (A v - y) = sum mu_r c_r`.
//! These KKT conditions are sufficient for a convex QP, so the value is the exact optimum.
//! Bland's rule (smallest index) guards against cycling; an iteration cap turns a
//! non-terminating run into an error instead of a guess.

use crate::linalg::solve_consistent;
use crate::num::Rational;

fn dot(a: &[Rational], b: &[Rational]) -> Rational {
    a.iter()
        .zip(b)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}

/// `2 A^T (A v - y)`.
fn gradient(a: &[Vec<Rational>], y: &[Rational], v: &[Rational]) -> Vec<Rational> {
    let mut g = vec![Rational::ZERO; v.len()];
    for (row, yi) in a.iter().zip(y) {
        let r = dot(row, v) - yi;
        if r == Rational::ZERO {
            continue;
        }
        let r2 = &r + &r;
        for (gj, aj) in g.iter_mut().zip(row) {
            if *aj != Rational::ZERO {
                *gj += &r2 * aj;
            }
        }
    }
    g
}

fn objective(a: &[Vec<Rational>], y: &[Rational], v: &[Rational]) -> Rational {
    a.iter().zip(y).fold(Rational::ZERO, |acc, (row, yi)| {
        let r = dot(row, v) - yi;
        acc + &r * &r
    })
}

/// The minimiser of `||A v - y||^2` subject to `c_r . v = 0` for `r` in `work` (some
/// minimiser when it is not unique).
fn equality_qp(
    a: &[Vec<Rational>],
    y: &[Rational],
    cons: &[Vec<Rational>],
    work: &[usize],
) -> Vec<Rational> {
    let nv = cons
        .first()
        .map_or_else(|| a.first().map_or(0, Vec::len), Vec::len);
    let m = work.len();
    // [2 A^T A   C_W^T] [v ]   [2 A^T y]
    // [C_W        0   ] [-mu] = [0      ]
    let mut rows = vec![vec![Rational::ZERO; nv + m]; nv + m];
    let mut rhs = vec![Rational::ZERO; nv + m];
    for (row, yi) in a.iter().zip(y) {
        for p in 0..nv {
            if row[p] == Rational::ZERO {
                continue;
            }
            rhs[p] += Rational::from(2) * &row[p] * yi;
            for q in 0..nv {
                if row[q] != Rational::ZERO {
                    rows[p][q] += Rational::from(2) * &row[p] * &row[q];
                }
            }
        }
    }
    for (t, &r) in work.iter().enumerate() {
        for p in 0..nv {
            rows[p][nv + t] = cons[r][p].clone();
            rows[nv + t][p] = cons[r][p].clone();
        }
    }
    let mut sol = solve_consistent(&rows, &rhs, nv + m).expect("KKT system of a convex QP");
    sol.truncate(nv);
    sol
}

/// Exact optimum `(v, ||A v - y||^2)` of the QP, or why none was certified.
pub(crate) fn solve(
    a: &[Vec<Rational>],
    y: &[Rational],
    cons: &[Vec<Rational>],
    nv: usize,
) -> Result<(Vec<Rational>, Rational), String> {
    let mut v = vec![Rational::ZERO; nv];
    let mut work: Vec<usize> = Vec::new();
    let cap = 50 * (nv + cons.len()) + 100;
    for _ in 0..cap {
        let target = equality_qp(a, y, cons, &work);
        let p: Vec<Rational> = target.iter().zip(&v).map(|(t, x)| t - x).collect();
        let stationary = p.iter().all(|x| *x == Rational::ZERO)
            || objective(a, y, &target) == objective(a, y, &v);
        if stationary {
            // Multipliers: C_W^T mu = grad (unique: the working set is independent).
            let g = gradient(a, y, &v);
            let ct: Vec<Vec<Rational>> = (0..nv)
                .map(|p| work.iter().map(|&r| cons[r][p].clone()).collect())
                .collect();
            let Some(mu) = solve_consistent(&ct, &g, work.len()) else {
                return Err("active-set QP: no multipliers at a stationary point".into());
            };
            match (0..work.len())
                .filter(|&t| mu[t] < Rational::ZERO)
                .min_by_key(|&t| work[t])
            {
                None => {
                    check_kkt(a, y, cons, &v, &work, &mu)?;
                    let value = objective(a, y, &v);
                    return Ok((v, value));
                }
                Some(t) => {
                    work.remove(t);
                }
            }
            continue;
        }
        // Ratio test over the constraints not in the working set.
        let mut alpha = Rational::ONE;
        let mut block: Option<usize> = None;
        for (r, c) in cons.iter().enumerate() {
            if work.contains(&r) {
                continue;
            }
            let cp = dot(c, &p);
            if cp < Rational::ZERO {
                let step = -dot(c, &v) / &cp;
                if step < alpha || (step == alpha && block.is_some_and(|b| r < b)) {
                    if step < alpha {
                        alpha = step;
                    }
                    block = Some(r);
                }
            }
        }
        for (x, d) in v.iter_mut().zip(&p) {
            *x += &alpha * d;
        }
        if let Some(r) = block {
            if alpha < Rational::ONE || dot(&cons[r], &v) == Rational::ZERO {
                work.push(r);
                work.sort_unstable();
            }
        }
    }
    Err(format!(
        "active-set QP did not terminate within {cap} iterations"
    ))
}

/// Re-check the KKT certificate exactly.
fn check_kkt(
    a: &[Vec<Rational>],
    y: &[Rational],
    cons: &[Vec<Rational>],
    v: &[Rational],
    work: &[usize],
    mu: &[Rational],
) -> Result<(), String> {
    for (r, c) in cons.iter().enumerate() {
        if dot(c, v) < Rational::ZERO {
            return Err(format!("QP certificate: constraint {r} violated"));
        }
    }
    let mut g = gradient(a, y, v);
    for (t, &r) in work.iter().enumerate() {
        if mu[t] < Rational::ZERO || dot(&cons[r], v) != Rational::ZERO {
            return Err(format!("QP certificate: multiplier of constraint {r}"));
        }
        for (gj, cj) in g.iter_mut().zip(&cons[r]) {
            *gj -= &mu[t] * cj;
        }
    }
    if g.iter().any(|x| *x != Rational::ZERO) {
        return Err("QP certificate: stationarity fails".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::int;

    #[test]
    fn projects_onto_a_cone() {
        // min (v - 3)^2 + (v + 1)^2 ... with one variable: A = [1; 1], y = (3, -1):
        // unconstrained optimum v = 1; with v <= 0 (i.e. -v >= 0): v = 0, value 10.
        let a = vec![vec![int(1)], vec![int(1)]];
        let y = vec![int(3), int(-1)];
        assert_eq!(solve(&a, &y, &[], 1).unwrap(), (vec![int(1)], int(8)));
        assert_eq!(
            solve(&a, &y, &[vec![int(-1)]], 1).unwrap(),
            (vec![int(0)], int(10))
        );
        // Two variables, rank-deficient A (only v1 + v2 matters), v1 >= 0, v2 >= 0.
        let a = vec![vec![int(1), int(1)]];
        let (v, val) = solve(
            &a,
            &[int(-2)],
            &[vec![int(1), int(0)], vec![int(0), int(1)]],
            2,
        )
        .unwrap();
        assert_eq!(val, int(4));
        assert_eq!(v, vec![int(0), int(0)]);
    }
}
