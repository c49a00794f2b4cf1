//! The questions the pattern search asks its LP, each answered so that only what matters is
//! exact: "possible" answers (a pre-activation can be positive, a pattern looks feasible)
//! only ever create branches and may rest on the float twin; "impossible" answers (a neuron
//! is forced, a pattern is empty, the node is empty) prune and are always backed by a
//! checked certificate: a dual bound or a Farkas vector from [`crate::lp::int`], or, when
//! that fast path cannot certify, the generic exact LP ([`crate::lp::compare_min`],
//! [`crate::lp::solve`]).

use super::search::Stop;
use crate::limits::RunLimits;
use crate::lp::int::{self, GuessKind, IntComparison, IntLp, WarmStart};
use crate::lp::{self, LpAnswer, MinComparison};
use crate::num::Rational;
use std::time::{Duration, Instant};

/// Counters of the LP work of one search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LpCounters {
    /// Float LPs (guesses) run, not counting the retries below.
    pub guesses: u64,
    /// Exact certificates built and checked on the integer fast path.
    pub certificates: u64,
    /// Questions whose first guess did not certify, guessed again
    /// ([`int::certify_retrying`]).
    pub retries: int::Retries,
    /// Questions no guess could certify, decided by the generic exact LP.
    pub fallbacks: u64,
    /// Time of the search outside the exact certificates (float LPs, pool tests,
    /// bookkeeping).
    pub float_time: Duration,
    /// Time building and checking certificates (fast path and generic fallback).
    pub exact_time: Duration,
}

/// What a "possible" guess found, in floats: evidence for later questions.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Witness {
    /// Nothing reusable.
    Nothing,
    /// A vertex of `P` (approximately).
    Point(Vec<f64>),
    /// A recession direction of `P` (approximately): `p + t r` stays in `P` for `t >= 0`.
    Ray(Vec<f64>),
}

/// The float twin's answer to "can `c . theta < 0` on `P`?" (a sign probe): evidence only.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Guess {
    /// Yes, with what the float run found.
    Possible(Witness),
    /// The float run finds no such point (to be certified before it prunes anything).
    Impossible,
    /// The float run finds `P` empty (to be certified before it closes anything).
    Empty,
}

/// A certified answer to "is `c . theta >= 0` on all of `P`?".
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Certified {
    /// Yes: a checked dual bound, on these rows.
    Holds(Vec<usize>),
    /// No: a checked point with `c . theta < 0` (the float guess was wrong), in floats.
    Fails(Option<Vec<f64>>),
    /// `P` is empty: a checked Farkas vector, on these rows.
    Empty(Vec<usize>),
}

/// A certified answer to "is `P` empty?".
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Emptiness {
    /// Empty: a checked Farkas vector, on these rows.
    Empty(Vec<usize>),
    /// Not empty: a checked point, in floats.
    NonEmpty(Option<Vec<f64>>),
}

fn floats(p: &[Rational]) -> Vec<f64> {
    p.iter().map(crate::num::to_f64).collect()
}

/// The rows with a nonzero entry of a dense multiplier vector.
fn dense_support(y: &[Rational]) -> Vec<usize> {
    y.iter()
        .enumerate()
        .filter(|(_, v)| **v != Rational::ZERO)
        .map(|(r, _)| r)
        .collect()
}

/// A certified answer to "is `min c . theta < t` on `P`?".
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bounded {
    /// Yes: a checked point below `t` (in floats).
    Below(Option<Vec<f64>>),
    /// No: a checked dual bound `>= t` (`equal`: the bound is exactly `t`), on these rows.
    AtLeast {
        /// The proven bound equals `t`.
        equal: bool,
        /// The rows of the dual certificate.
        rows: Vec<usize>,
    },
    /// `P` is empty: a checked Farkas vector on these rows.
    Empty(Vec<usize>),
}

/// A certified optimum: the optimal point and the least value.
pub(super) type Optimum = (Vec<Rational>, Rational);

/// Is the guessed minimum clearly below zero? `scale` is the size of the objective.
fn clearly_negative(v: f64, scale: f64) -> bool {
    v < -1e-9 * (1.0 + scale)
}

/// The LP side of the search, with its counters and the run's limits.
pub(super) struct Oracle {
    /// Counters.
    pub counters: LpCounters,
    calls: u32,
    limits: RunLimits,
}

impl Oracle {
    pub(super) fn new(limits: RunLimits) -> Self {
        Oracle {
            counters: LpCounters::default(),
            calls: 0,
            limits,
        }
    }

    /// The time limit or cancellation, checked before every LP (the clock itself every
    /// 16th call: an LP takes microseconds, so the limit is still met within a millisecond).
    pub(super) fn check(&mut self) -> Result<(), Stop> {
        if self.limits.cancelled() {
            return Err(Stop::Cancelled);
        }
        self.calls = self.calls.wrapping_add(1);
        if self.calls % 16 == 0 {
            return self.limits.check().map_err(|s| match s {
                crate::limits::Stopped::Cancelled => Stop::Cancelled,
                crate::limits::Stopped::TimeLimit(_) => Stop::TimeLimit,
                other => Stop::Memory(other.detail()),
            });
        }
        Ok(())
    }

    /// The run's whole memory budget (a thread's searcher may have a share of it).
    pub(super) fn memory_budget(&self) -> usize {
        self.limits.memory_budget()
    }

    /// One float guess (counted; its time is the search's time minus the exact part).
    fn guess(&mut self, lp: &IntLp, c: &[f64], warm: &mut WarmStart) -> int::Guess {
        self.counters.guesses += 1;
        int::guess_min(lp, c, warm)
    }

    /// Whether the `f64` guesses fail their certificates often enough (over a fifth of at
    /// least 64) that the search should guess in double-double from now on. Only the
    /// failures of the cold `f64` guess count: those of a warm one are rounding that a cold
    /// guess repairs ([`int::certify_retrying`]).
    pub(super) fn wants_precision(&self) -> bool {
        let retries = self.counters.retries.precise;
        let total = self.counters.certificates + retries;
        total >= 64 && retries * 5 > total
    }

    /// The one shape of every exact answer here: a warm-started guess for the objective
    /// `c`; the kernel's certificate from it (`certify`), retried from cold guesses if that
    /// fails ([`int::certify_retrying`]); and only if all fail, the generic exact LP
    /// (`fallback`). Counted (`certificates` / `fallbacks`) and timed (`exact_time`).
    fn certified<T>(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        warm: &mut WarmStart,
        certify: impl Fn(&int::Guess) -> Option<T>,
        fallback: impl FnOnce() -> Result<T, Stop>,
    ) -> Result<T, Stop> {
        self.check()?;
        let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
        let g = self.guess(lp, &cf, warm);
        let t = Instant::now();
        let answer = match int::certify_retrying(lp, c, &g, &mut self.counters.retries, certify) {
            Some(a) => {
                self.counters.certificates += 1;
                Ok(a)
            }
            None => {
                self.counters.fallbacks += 1;
                fallback()
            }
        };
        self.counters.exact_time += t.elapsed();
        answer
    }

    /// The float twin's answer to "can `c . theta < 0` on `P = {lp}`?" (`warm` is `P`'s).
    pub(super) fn guess_negative(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        warm: &mut WarmStart,
    ) -> Result<Guess, Stop> {
        self.check()?;
        let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
        let scale = cf.iter().map(|x| x.abs()).sum::<f64>();
        let g = self.guess(lp, &cf, warm);
        Ok(match g.kind() {
            GuessKind::Optimal(v) if clearly_negative(v, scale) => {
                Guess::Possible(g.point(lp).map_or(Witness::Nothing, Witness::Point))
            }
            GuessKind::Unbounded => {
                Guess::Possible(g.ray(lp, &cf).map_or(Witness::Nothing, Witness::Ray))
            }
            GuessKind::Infeasible => Guess::Empty,
            // Failed runs count as "impossible": the certification decides.
            GuessKind::Optimal(_) | GuessKind::Failed => Guess::Impossible,
        })
    }

    /// The float twin's answer to "is `P` (with extra rows) non-empty?".
    pub(super) fn guess_feasible(
        &mut self,
        lp: &IntLp,
        warm: &mut WarmStart,
    ) -> Result<Guess, Stop> {
        self.check()?;
        let g = self.guess(lp, &vec![0.0; lp.num_vars()], warm);
        Ok(match g.kind() {
            GuessKind::Optimal(_) | GuessKind::Unbounded => {
                Guess::Possible(g.point(lp).map_or(Witness::Nothing, Witness::Point))
            }
            GuessKind::Infeasible | GuessKind::Failed => Guess::Empty,
        })
    }

    /// Certify "`c . theta >= 0` on all of `P`" (`strict`: "`> 0`") exactly (dual bound), or
    /// its failure (a checked point, or a dual bound of exactly `0` when `strict`), or that
    /// `P` is empty (Farkas).
    pub(super) fn certify_nonnegative(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        strict: bool,
        warm: &mut WarmStart,
    ) -> Result<Certified, Stop> {
        let certify = |g: &int::Guess| match g.kind() {
            GuessKind::Infeasible => int::certify_feasible(lp, g).map(|r| match r {
                Ok(p) => Certified::Fails(Some(floats(&p.to_rationals()))),
                Err(farkas) => Certified::Empty(farkas.support()),
            }),
            _ => int::certify_min(lp, c, 0, g).map(|r| match r {
                IntComparison::Below(p) => Certified::Fails(Some(floats(&p.to_rationals()))),
                IntComparison::AtLeast { equal: true, .. } if strict => Certified::Fails(None),
                IntComparison::AtLeast { dual, .. } => Certified::Holds(dual.support()),
                IntComparison::Infeasible { farkas } => Certified::Empty(farkas.support()),
            }),
        };
        self.certified(lp, c, warm, certify, || {
            let mut timer = lp::LpTimer::default();
            Ok(
                match lp::compare_min(&lp.to_lp(Some(c)), &Rational::ZERO, &mut timer) {
                    Ok(MinComparison::Below { point }) => Certified::Fails(Some(floats(&point))),
                    Ok(MinComparison::AtLeast { bound, .. })
                        if strict && bound == Rational::ZERO =>
                    {
                        Certified::Fails(None)
                    }
                    Ok(MinComparison::AtLeast { dual, .. }) => {
                        Certified::Holds(dense_support(&dual))
                    }
                    Ok(MinComparison::Infeasible { farkas }) => {
                        Certified::Empty(dense_support(&farkas))
                    }
                    Err(reason) => return Err(Stop::Certificate(reason.to_string())),
                },
            )
        })
    }

    /// The float twin's minimum of `c . theta` on `P` (`-inf` when unbounded), or `None`
    /// when it finds `P` empty or fails.
    pub(super) fn guess_value(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        warm: &mut WarmStart,
    ) -> Result<(Option<f64>, Witness), Stop> {
        self.check()?;
        let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
        let g = self.guess(lp, &cf, warm);
        Ok(match g.kind() {
            GuessKind::Optimal(v) => (
                Some(v),
                g.point(lp).map_or(Witness::Nothing, Witness::Point),
            ),
            GuessKind::Unbounded => (
                Some(f64::NEG_INFINITY),
                g.ray(lp, &cf).map_or(Witness::Nothing, Witness::Ray),
            ),
            GuessKind::Infeasible | GuessKind::Failed => (None, Witness::Nothing),
        })
    }

    /// Certify whether `min c . theta < t` on `P` (with extra rows beyond `warm`'s).
    pub(super) fn certify_below(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        t: i128,
        warm: &mut WarmStart,
    ) -> Result<Bounded, Stop> {
        let certify = |g: &int::Guess| {
            int::certify_min(lp, c, t, g).map(|r| match r {
                IntComparison::Below(p) => Bounded::Below(Some(floats(&p.to_rationals()))),
                IntComparison::AtLeast { equal, dual } => Bounded::AtLeast {
                    equal,
                    rows: dual.support(),
                },
                IntComparison::Infeasible { farkas } => Bounded::Empty(farkas.support()),
            })
        };
        self.certified(lp, c, warm, certify, || {
            let tq = Rational::from(crate::num::Int::from(t));
            let mut timer = lp::LpTimer::default();
            Ok(match lp::compare_min(&lp.to_lp(Some(c)), &tq, &mut timer) {
                Ok(MinComparison::Below { point }) => Bounded::Below(Some(floats(&point))),
                Ok(MinComparison::AtLeast { dual, bound, .. }) => Bounded::AtLeast {
                    equal: bound == tq,
                    rows: dense_support(&dual),
                },
                Ok(MinComparison::Infeasible { farkas }) => Bounded::Empty(dense_support(&farkas)),
                Err(reason) => return Err(Stop::Certificate(reason.to_string())),
            })
        })
    }

    /// The certified minimum of `c . theta` on `P`: an optimal point and the value, or the
    /// rows of a Farkas vector when `P` is empty.
    pub(super) fn optimum(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        warm: &mut WarmStart,
    ) -> Result<Result<Optimum, Vec<usize>>, Stop> {
        let certify = |g: &int::Guess| match g.kind() {
            GuessKind::Infeasible => int::certify_feasible(lp, g).and_then(|r| match r {
                Ok(_) => None,
                Err(farkas) => Some(Err(farkas.support())),
            }),
            _ => int::certify_optimum(lp, c, g).map(|(p, v)| Ok((p.to_rationals(), v))),
        };
        self.certified(lp, c, warm, certify, || {
            match lp::solve(&lp.to_lp(Some(c))) {
                LpAnswer::Optimal { point, value, .. } => Ok(Ok((point, value))),
                LpAnswer::Infeasible { farkas } => Ok(Err(dense_support(&farkas))),
                other => Err(Stop::Certificate(format!("{other:?}"))),
            }
        })
    }

    /// Certify whether `P` (with extra rows beyond `warm`'s) is empty.
    pub(super) fn certify_empty(
        &mut self,
        lp: &IntLp,
        warm: &mut WarmStart,
    ) -> Result<Emptiness, Stop> {
        let certify = |g: &int::Guess| {
            int::certify_feasible(lp, g).map(|r| match r {
                Ok(p) => Emptiness::NonEmpty(Some(floats(&p.to_rationals()))),
                Err(farkas) => Emptiness::Empty(farkas.support()),
            })
        };
        let zero = vec![0i64; lp.num_vars()];
        self.certified(lp, &zero, warm, certify, || {
            match lp::solve(&lp.to_lp(None)) {
                LpAnswer::Feasible { point } => Ok(Emptiness::NonEmpty(Some(floats(&point)))),
                LpAnswer::Infeasible { farkas } => Ok(Emptiness::Empty(dense_support(&farkas))),
                other => Err(Stop::Certificate(format!("{other:?}"))),
            }
        })
    }

    /// An exact point of `P` (checked against every row), or the rows of a checked Farkas
    /// vector if `P` is empty.
    pub(super) fn exact_point(
        &mut self,
        lp: &IntLp,
        warm: &mut WarmStart,
    ) -> Result<Result<Vec<Rational>, Vec<usize>>, Stop> {
        let certify = |g: &int::Guess| {
            int::certify_feasible(lp, g).map(|r| {
                r.map(|p| p.to_rationals())
                    .map_err(|farkas| farkas.support())
            })
        };
        let zero = vec![0i64; lp.num_vars()];
        self.certified(lp, &zero, warm, certify, || {
            match lp::solve(&lp.to_lp(None)) {
                LpAnswer::Feasible { point } => Ok(Ok(point)),
                LpAnswer::Infeasible { farkas } => Ok(Err(dense_support(&farkas))),
                other => Err(Stop::Certificate(format!("{other:?}"))),
            }
        })
    }

    /// An exact point of `P` other than `p` in the direction that decreases `c` (checked
    /// against every row), if `c . theta < c . p` somewhere on `P`.
    pub(super) fn point_below(
        &mut self,
        lp: &IntLp,
        c: &[i64],
        p: &[Rational],
    ) -> Result<Option<Vec<Rational>>, Stop> {
        self.check()?;
        // Decide min c . theta < c . p exactly (generic path: rare, used by `--all`).
        let cp = c
            .iter()
            .zip(p)
            .fold(Rational::ZERO, |acc, (&a, x)| acc + Rational::from(a) * x);
        let mut glp = lp.to_lp(None);
        glp.minimize(c.iter().map(|&x| Rational::from(x)).collect());
        let t = Instant::now();
        let mut timer = lp::LpTimer::default();
        let r = lp::compare_min(&glp, &cp, &mut timer);
        self.counters.guesses += 1;
        self.counters.certificates += 1;
        self.counters.exact_time += t.elapsed();
        match r {
            Ok(MinComparison::Below { point }) => Ok(Some(point)),
            Ok(_) => Ok(None),
            Err(reason) => Err(Stop::Certificate(reason.to_string())),
        }
    }
}

/// Do the equation rows of `lp` pin `P` to at most one point? Proven exactly: `N` equation
/// rows chosen in floats whose `N x N` matrix is nonsingular in exact integer arithmetic.
/// Returns those rows.
pub(super) fn equations_pin_point(lp: &IntLp) -> Option<Vec<usize>> {
    let n = lp.num_vars();
    let mut basis: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut chosen: Vec<i128> = Vec::with_capacity(n * n);
    let mut rows: Vec<usize> = Vec::with_capacity(n);
    for r in 0..lp.len() {
        let (a, _, eq) = lp.row(r);
        if !eq {
            continue;
        }
        let mut f: Vec<f64> = a.iter().map(|&x| x as f64).collect();
        let norm = f.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for (p, b) in &basis {
            let factor = f[*p] / b[*p];
            if factor != 0.0 {
                for (x, y) in f.iter_mut().zip(b) {
                    *x -= factor * y;
                }
                f[*p] = 0.0;
            }
        }
        let (p, v) = f
            .iter()
            .enumerate()
            .map(|(p, v)| (p, v.abs()))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        if v > 1e-9 * norm.max(1.0) {
            basis.push((p, f));
            rows.push(r);
            chosen.extend(a.iter().map(|&x| x as i128));
            if basis.len() == n {
                let rhs = vec![0i128; n];
                return crate::lp::exact::solve_square_wide(n, &chosen, &rhs).map(|_| rows);
            }
        }
    }
    None
}
