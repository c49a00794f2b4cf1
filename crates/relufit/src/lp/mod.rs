//! A small exact linear-programming layer, the workhorse of the convex/concave solver
//! (Theorem 11: `check-feasibility` and `lower-bound` of Algorithms 1 and 2) and of the
//! single-ReLU fit.
//!
//! The model is deliberately tiny: free variables `v in Q^n`, linear constraints
//! `a . v (>=, <=, =) b` with rational data, and an optional objective `min c . v`. Every
//! answer carries a certificate that [`check()`] re-verifies in exact rational arithmetic,
//! independently of how the answer was found:
//!
//! - [`LpAnswer::Feasible`]: a point satisfying every constraint;
//! - [`LpAnswer::Optimal`]: a feasible point and dual multipliers `y` (sign-constrained by
//!   the constraint senses) with `sum_r y_r a_r = c` and `sum_r y_r b_r = c . point` (weak
//!   duality makes the value a proven minimum);
//! - [`LpAnswer::Infeasible`]: a Farkas vector `y` with `sum_r y_r a_r = 0` and
//!   `sum_r y_r b_r > 0`;
//! - [`LpAnswer::Unbounded`]: a feasible point and a ray `r` of the recession cone with
//!   `c . r < 0`;
//! - [`LpAnswer::CertificationFailed`]: the backend produced something the checker rejected
//!   (a bug; never silently trusted).
//!
//! There is one simplex (`float`): a two-phase simplex on the *dual* standard form (the LPs
//! of exact training have few variables, `k(d+1)`, and many rows, so the dual tableau has
//! only `k(d+1)` rows), written once over `real::Real`. It runs in `f64` (then
//! double-double) to guess a basis, and the exact kernel builds the certificate from the
//! basis ([`basis::from_basis`]); if that fails, the same simplex runs in exact rationals,
//! whose basis is right by construction. See `docs/lp.md` for the design discussion.

pub mod basis;
pub mod check;
pub(crate) mod exact;
pub(crate) mod float;
pub mod int;
pub(crate) mod real;

pub use check::{check, check_dual_bound, check_feasible, CertificateError};

use crate::num::Rational;

/// The relation of a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sense {
    /// `a . v >= b`
    Ge,
    /// `a . v <= b`
    Le,
    /// `a . v = b`
    Eq,
}

/// One linear constraint `coeffs . v (sense) rhs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// Coefficients, one per variable.
    pub coeffs: Vec<Rational>,
    /// The relation.
    pub sense: Sense,
    /// Right-hand side.
    pub rhs: Rational,
}

/// A linear program over free rational variables: `min objective . v` subject to the
/// constraints (a pure feasibility problem when `objective` is `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lp {
    /// Number of variables.
    pub num_vars: usize,
    /// The constraints.
    pub constraints: Vec<Constraint>,
    /// The objective to minimise, if any.
    pub objective: Option<Vec<Rational>>,
}

impl Lp {
    /// An LP with `num_vars` free variables, no constraints and no objective.
    pub fn new(num_vars: usize) -> Self {
        Lp {
            num_vars,
            constraints: Vec::new(),
            objective: None,
        }
    }

    /// Add the constraint `coeffs . v (sense) rhs`.
    pub fn push(&mut self, coeffs: Vec<Rational>, sense: Sense, rhs: Rational) {
        debug_assert_eq!(coeffs.len(), self.num_vars);
        self.constraints.push(Constraint { coeffs, sense, rhs });
    }

    /// Set the objective `min c . v`.
    pub fn minimize(&mut self, c: Vec<Rational>) {
        debug_assert_eq!(c.len(), self.num_vars);
        self.objective = Some(c);
    }
}

/// An exact, certified answer about an [`Lp`]. See the module documentation for what each
/// certificate proves; [`check()`] re-verifies them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LpAnswer {
    /// No objective: a point satisfying all constraints.
    Feasible {
        /// The feasible point.
        point: Vec<Rational>,
    },
    /// The minimum is attained at `point` and equals `value`.
    Optimal {
        /// An optimal point.
        point: Vec<Rational>,
        /// The exact optimal value.
        value: Rational,
        /// Dual multipliers, one per constraint: `>= 0` for `Ge`, `<= 0` for `Le`, free for
        /// `Eq`; `sum y_r a_r = c` and `sum y_r b_r = value`.
        dual: Vec<Rational>,
    },
    /// No point satisfies the constraints.
    Infeasible {
        /// Farkas multipliers (same sign rules as [`LpAnswer::Optimal::dual`]) with
        /// `sum y_r a_r = 0` and `sum y_r b_r > 0`.
        farkas: Vec<Rational>,
    },
    /// The objective is unbounded below.
    Unbounded {
        /// A feasible point.
        point: Vec<Rational>,
        /// A direction keeping every constraint satisfied along which `c . v` decreases.
        ray: Vec<Rational>,
    },
    /// The backend's answer failed exact certification.
    CertificationFailed {
        /// What the checker rejected.
        reason: String,
    },
}

impl LpAnswer {
    /// Short name of the answer kind.
    pub fn kind(&self) -> &'static str {
        match self {
            LpAnswer::Feasible { .. } => "feasible",
            LpAnswer::Optimal { .. } => "optimal",
            LpAnswer::Infeasible { .. } => "infeasible",
            LpAnswer::Unbounded { .. } => "unbounded",
            LpAnswer::CertificationFailed { .. } => "certification-failed",
        }
    }
}

/// Which backend produced an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Float simplex guessed the basis; exact square solves built the certificate.
    FloatBasis,
    /// The simplex in exact rational arithmetic (`float::solve_exact`).
    Exact,
}

/// Solve `lp` exactly with the default backend and re-check the certificate with [`check()`];
/// a certificate the checker rejects becomes [`LpAnswer::CertificationFailed`].
pub fn solve(lp: &Lp) -> LpAnswer {
    solve_with_backend(lp).0
}

/// Like [`solve`], also telling which backend produced the (checked) answer. The float
/// path is tried first; any basis that is singular or whose certificate fails [`check()`]
/// falls back to the exact simplex, whose answer is checked too.
pub fn solve_with_backend(lp: &Lp) -> (LpAnswer, Backend) {
    solve_timed(lp, LpRoute::default(), &mut LpTimer::default())
}

/// Which halves of [`solve_timed`] run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LpRoute {
    /// Guess a basis with the `f64` simplex first (else straight to the exact simplex).
    pub float_guess: bool,
    /// Re-check the exact simplex's answer with [`check()`] (a float guess is always checked).
    pub check_exact: bool,
}

impl Default for LpRoute {
    fn default() -> Self {
        LpRoute {
            float_guess: true,
            check_exact: true,
        }
    }
}

/// The one route of a full LP solve, timed: the `f64` simplex guesses a basis (time in
/// `timer.solve`), the kernel reads the answer off it and [`check()`] re-verifies it
/// (`timer.certify`); if that fails, the simplex runs in exact rationals (counted in
/// `timer.fallbacks`) and its answer is checked too (unless `route.check_exact` is off, for
/// measurements). [`solve`] and [`solve_with_backend`] are this with the default route.
pub fn solve_timed(lp: &Lp, route: LpRoute, timer: &mut LpTimer) -> (LpAnswer, Backend) {
    use std::time::Instant;
    if route.float_guess {
        let t0 = Instant::now();
        let fr = float::solve(lp);
        let t1 = Instant::now();
        timer.solve += t1 - t0;
        let guess = answer_from_result(lp, &fr, float::solve);
        let checked = guess.filter(|a| check(lp, a).is_ok());
        timer.certify += t1.elapsed();
        if let Some(a) = checked {
            return (a, Backend::FloatBasis);
        }
        timer.fallbacks += 1;
    }
    let t = Instant::now();
    let answer = solve_unchecked(lp);
    timer.solve += t.elapsed();
    if !route.check_exact {
        return (answer, Backend::Exact);
    }
    let t = Instant::now();
    let answer = certified(lp, answer);
    timer.certify += t.elapsed();
    (answer, Backend::Exact)
}

/// The float-guided answer (unchecked), or `None` if the float run or the exact solves
/// failed. An unbounded answer gets its feasible point from a (float-guided) feasibility LP.
pub fn float_basis_answer(lp: &Lp) -> Option<LpAnswer> {
    answer_from_result(lp, &float::solve(lp), float::solve)
}

/// The answer read off the final basis `fr` of `simplex` (one of [`float::solve`] and
/// [`float::solve_exact`]) on `lp`; an unbounded answer gets its feasible point from the same
/// simplex on the feasibility LP. `None` if the run failed or the basis was singular.
fn answer_from_result(
    lp: &Lp,
    fr: &float::FloatResult,
    simplex: fn(&Lp) -> float::FloatResult,
) -> Option<LpAnswer> {
    let a = basis::from_basis(lp, &fr.basis, &fr.status)?;
    match a {
        LpAnswer::Unbounded { ray, .. } => {
            let mut feas = lp.clone();
            feas.objective = None;
            let fr2 = simplex(&feas);
            match basis::from_basis(&feas, &fr2.basis, &fr2.status)? {
                LpAnswer::Feasible { point } => Some(LpAnswer::Unbounded { point, ray }),
                other => Some(other),
            }
        }
        other => Some(other),
    }
}

/// The exact simplex alone (`float::solve_exact` and the basis read exactly), without the
/// final [`check()`] (for measurements and tests).
pub fn solve_unchecked(lp: &Lp) -> LpAnswer {
    answer_from_result(lp, &float::solve_exact(lp), float::solve_exact).unwrap_or_else(|| {
        LpAnswer::CertificationFailed {
            reason: "the exact simplex reached its pivot limit".into(),
        }
    })
}

/// Pass `answer` through [`check()`], turning a rejected certificate into
/// [`LpAnswer::CertificationFailed`].
pub fn certified(lp: &Lp, answer: LpAnswer) -> LpAnswer {
    if let LpAnswer::CertificationFailed { .. } = answer {
        return answer;
    }
    match check(lp, &answer) {
        Ok(()) => answer,
        Err(reason) => LpAnswer::CertificationFailed {
            reason: format!("{} answer rejected: {reason}", answer.kind()),
        },
    }
}

/// The answer to "is `min c . v` below `t`?" with just the certificate that decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinComparison {
    /// A feasible point with objective `< t` (checked).
    Below {
        /// The point.
        point: Vec<Rational>,
    },
    /// Dual multipliers proving `min >= bound >= t` (checked with [`check_dual_bound`]).
    AtLeast {
        /// The multipliers.
        dual: Vec<Rational>,
        /// The proven lower bound.
        bound: Rational,
        /// When `bound == t`: a feasible point attaining it, if one was found (checked).
        point: Option<Vec<Rational>>,
    },
    /// The LP is infeasible (checked Farkas vector).
    Infeasible {
        /// The Farkas multipliers.
        farkas: Vec<Rational>,
    },
}

/// Time and fallback counters of [`compare_min`] and [`solve_timed`].
#[derive(Debug, Clone, Default)]
pub struct LpTimer {
    /// Float simplex (and exact simplex when it runs).
    pub solve: std::time::Duration,
    /// Exact reconstruction and checking of certificates.
    pub certify: std::time::Duration,
    /// LPs that needed the exact simplex.
    pub fallbacks: u64,
}

fn dot(a: &[Rational], b: &[Rational]) -> Rational {
    a.iter()
        .zip(b)
        .fold(Rational::ZERO, |acc, (x, y)| acc + x * y)
}

/// Decide `min c . v < t` for `lp` (which must have an objective `c`) with one exact square
/// solve in the common case: the float twin's value says which side to certify (a primal
/// point below `t`, or dual multipliers with bound `>= t`); if that certificate fails, the
/// other side is tried, then the exact simplex. Every returned certificate is checked.
pub fn compare_min(
    lp: &Lp,
    t: &Rational,
    timer: &mut LpTimer,
) -> Result<MinComparison, CertificateError> {
    use std::time::Instant;
    let c = lp.objective.as_ref().ok_or(CertificateError::WrongKind(
        "compare_min needs an objective",
    ))?;
    let t0 = Instant::now();
    let fr = float::solve(lp);
    let t1 = Instant::now();
    timer.solve += t1 - t0;
    let primal = || -> Option<MinComparison> {
        let a = basis::from_basis_parts(lp, &fr.basis, &fr.status, true, false)?;
        let LpAnswer::Optimal { point, .. } = a else {
            return None;
        };
        (check_feasible(lp, &point).is_ok() && dot(c, &point) < *t)
            .then_some(MinComparison::Below { point })
    };
    let dual = || -> Option<MinComparison> {
        let a = basis::from_basis_parts(lp, &fr.basis, &fr.status, false, true)?;
        let LpAnswer::Optimal { dual, .. } = a else {
            return None;
        };
        let bound = check_dual_bound(lp, &dual).ok()?;
        if bound < *t {
            return None;
        }
        let point = if bound == *t {
            match basis::from_basis_parts(lp, &fr.basis, &fr.status, true, false) {
                Some(LpAnswer::Optimal { point, .. })
                    if check_feasible(lp, &point).is_ok() && dot(c, &point) == bound =>
                {
                    Some(point)
                }
                _ => None,
            }
        } else {
            None
        };
        Some(MinComparison::AtLeast { dual, bound, point })
    };
    if fr.status == float::FloatStatus::Optimal {
        let tf = crate::num::to_f64(t);
        let below = fr.value < tf - 1e-9 * tf.abs().max(1.0);
        let first = if below { primal() } else { dual() };
        let got = first.or_else(|| if below { dual() } else { primal() });
        if let Some(g) = got {
            timer.certify += t1.elapsed();
            return Ok(g);
        }
    }
    // Everything else (infeasible, unbounded, failed guesses): a full certified answer.
    let (answer, backend) = match fr.status {
        float::FloatStatus::Optimal | float::FloatStatus::Failed => {
            timer.fallbacks += 1;
            let ts = Instant::now();
            let a = solve_unchecked(lp);
            timer.solve += ts.elapsed();
            (certified(lp, a), Backend::Exact)
        }
        _ => solve_with_backend(lp),
    };
    if backend == Backend::Exact
        && !matches!(
            fr.status,
            float::FloatStatus::Optimal | float::FloatStatus::Failed
        )
    {
        timer.fallbacks += 1;
    }
    timer.certify += t1.elapsed();
    comparison_from_answer(answer, c, t)
}

/// Turn a certified answer to `min c . v` into the comparison with `t`: an optimum below `t`
/// (or an unbounded ray, stepped far enough along) gives a point below, an optimum `>= t` its
/// dual bound, an infeasible LP its Farkas vector. Used by [`compare_min`] and by callers
/// that solved the LP another way (e.g. the exact simplex alone).
pub fn comparison_from_answer(
    answer: LpAnswer,
    c: &[Rational],
    t: &Rational,
) -> Result<MinComparison, CertificateError> {
    match answer {
        LpAnswer::Optimal { point, value, dual } => Ok(if value < *t {
            MinComparison::Below { point }
        } else {
            let point = (value == *t).then_some(point);
            MinComparison::AtLeast {
                dual,
                bound: value,
                point,
            }
        }),
        LpAnswer::Unbounded { point, ray } => {
            let f0 = dot(c, &point);
            let fr = dot(c, &ray);
            let step = if f0 < *t {
                Rational::ZERO
            } else {
                (&f0 - t) / (-fr) + Rational::ONE
            };
            let point = point.iter().zip(&ray).map(|(p, r)| p + &step * r).collect();
            Ok(MinComparison::Below { point })
        }
        LpAnswer::Infeasible { farkas } => Ok(MinComparison::Infeasible { farkas }),
        LpAnswer::CertificationFailed { reason } => Err(CertificateError::Missing(reason)),
        LpAnswer::Feasible { .. } => Err(CertificateError::WrongKind(
            "a feasibility answer to an LP with an objective",
        )),
    }
}
