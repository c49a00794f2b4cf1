//! The questions the pattern search asks its LP, each answered so that only what matters is
//! exact: "possible" answers (a pre-activation can be positive, a pattern looks feasible)
//! only ever create branches and may rest on the float twin; "impossible" answers (a neuron
//! is forced, a pattern is empty, the node is empty) prune and are always backed by a
//! checked certificate: a dual bound or a Farkas vector from [`crate::lp::int`], or, when
//! that fast path cannot certify, the generic exact LP ([`crate::lp::compare_min`],
//! [`crate::lp::solve`]).

use super::search::Stop;
use crate::lp::int::{self, GuessKind, IntComparison, IntLp, WarmStart};
use crate::lp::{self, LpAnswer, MinComparison};
use crate::num::{Int, Rational};
use std::time::{Duration, Instant};

/// Counters of the LP work of one search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LpCounters {
    /// Float LPs (guesses) run.
    pub guesses: u64,
    /// Exact certificates built and checked on the integer fast path.
    pub certificates: u64,
    /// Questions the fast path could not certify, decided by the generic exact LP.
    pub fallbacks: u64,
    /// Time in the float twin.
    pub float_time: Duration,
    /// Time building and checking certificates (fast path and generic fallback).
    pub exact_time: Duration,
}

/// Answer to "can `c . theta < 0` on `P`?" (the sign probes).
#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    /// Possibly (float evidence or a checked point); the float vertex, if one was found.
    Possible(Option<Vec<f64>>),
    /// No: a checked dual bound proves `c . theta >= 0` on `P`.
    Impossible,
    /// `P` is empty (checked Farkas vector).
    Empty,
}

/// Answer to "is `P` (with extra rows) non-empty?".
#[derive(Debug, Clone, PartialEq)]
pub enum Feasibility {
    /// Looks non-empty; the float vertex, if any.
    Possible(Option<Vec<f64>>),
    /// Empty (checked Farkas vector).
    Empty,
}

/// Is the guessed minimum clearly below zero? `scale` is the size of the objective.
fn clearly_negative(v: f64, scale: f64) -> bool {
    v < -1e-9 * (1.0 + scale)
}

/// The LP side of the search, with its counters and the run's limits.
pub struct Oracle {
    /// Counters.
    pub counters: LpCounters,
    start: Instant,
    limit: Option<Duration>,
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl Oracle {
    pub fn new(
        start: Instant,
        limit: Option<Duration>,
        cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    ) -> Self {
        Oracle {
            counters: LpCounters::default(),
            start,
            limit,
            cancel,
        }
    }

    /// The time limit or cancellation, checked before every LP.
    pub fn check(&self) -> Result<(), Stop> {
        if let Some(limit) = self.limit {
            if self.start.elapsed() >= limit {
                return Err(Stop::TimeLimit);
            }
        }
        if let Some(c) = &self.cancel {
            if c.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(Stop::Cancelled);
            }
        }
        Ok(())
    }

    fn guess(&mut self, lp: &IntLp, c: &[f64], warm: &mut WarmStart) -> int::Guess {
        let t = Instant::now();
        let g = int::guess_min(lp, c, warm);
        self.counters.guesses += 1;
        self.counters.float_time += t.elapsed();
        g
    }

    /// Can `c . theta < 0` on `P = {lp}`? `c` in integers; the warm start is `P`'s.
    pub fn probe(&mut self, lp: &IntLp, c: &[i64], warm: &mut WarmStart) -> Result<Probe, Stop> {
        self.check()?;
        let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
        let scale = cf.iter().map(|x| x.abs()).sum::<f64>();
        let g = self.guess(lp, &cf, warm);
        match g.kind() {
            GuessKind::Optimal(v) if clearly_negative(v, scale) => {
                return Ok(Probe::Possible(g.point(lp)))
            }
            GuessKind::Unbounded => return Ok(Probe::Possible(None)),
            _ => {}
        }
        // The float run says "no" (or failed): that prunes, so it must be certified.
        let t = Instant::now();
        let certified = match g.kind() {
            GuessKind::Infeasible => int::certify_feasible(lp, &g).map(|r| match r {
                Ok(_) => Probe::Possible(None),
                Err(_) => Probe::Empty,
            }),
            GuessKind::Optimal(_) => int::certify_min(lp, c, 0, &g).map(|r| match r {
                IntComparison::Below(_) => Probe::Possible(g.point(lp)),
                IntComparison::AtLeast { .. } => Probe::Impossible,
                IntComparison::Infeasible { .. } => Probe::Empty,
            }),
            _ => None,
        };
        let answer = match certified {
            Some(a) => {
                self.counters.certificates += 1;
                a
            }
            None => {
                self.counters.fallbacks += 1;
                self.generic_probe(lp, c)?
            }
        };
        self.counters.exact_time += t.elapsed();
        Ok(answer)
    }

    /// [`Oracle::probe`] by the generic certified LP on rationals.
    fn generic_probe(&mut self, lp: &IntLp, c: &[i64]) -> Result<Probe, Stop> {
        let glp = lp.to_lp(Some(c));
        let mut timer = lp::LpTimer::default();
        match lp::compare_min(&glp, &Rational::ZERO, &mut timer) {
            Ok(MinComparison::Below { .. }) => Ok(Probe::Possible(None)),
            Ok(MinComparison::AtLeast { .. }) => Ok(Probe::Impossible),
            Ok(MinComparison::Infeasible { .. }) => Ok(Probe::Empty),
            Err(reason) => Err(Stop::Certificate(reason)),
        }
    }

    /// Is `P` non-empty? (`lp` may carry extra rows beyond those `warm` was made for.)
    pub fn feasible(&mut self, lp: &IntLp, warm: &mut WarmStart) -> Result<Feasibility, Stop> {
        self.check()?;
        let g = self.guess(lp, &vec![0.0; lp.num_vars()], warm);
        match g.kind() {
            GuessKind::Optimal(_) | GuessKind::Unbounded => {
                return Ok(Feasibility::Possible(g.point(lp)))
            }
            GuessKind::Infeasible | GuessKind::Failed => {}
        }
        let t = Instant::now();
        let answer = match int::certify_feasible(lp, &g) {
            Some(r) => {
                self.counters.certificates += 1;
                match r {
                    Ok(_) => Feasibility::Possible(None),
                    Err(_) => Feasibility::Empty,
                }
            }
            None => {
                self.counters.fallbacks += 1;
                match lp::solve(&lp.to_lp(None)) {
                    LpAnswer::Feasible { .. } => Feasibility::Possible(None),
                    LpAnswer::Infeasible { .. } => Feasibility::Empty,
                    other => return Err(Stop::Certificate(format!("{other:?}"))),
                }
            }
        };
        self.counters.exact_time += t.elapsed();
        Ok(answer)
    }

    /// An exact point of `P` (checked against every row), or `None` if `P` is empty
    /// (checked Farkas vector).
    pub fn exact_point(
        &mut self,
        lp: &IntLp,
        warm: &mut WarmStart,
    ) -> Result<Option<Vec<Rational>>, Stop> {
        self.check()?;
        let g = self.guess(lp, &vec![0.0; lp.num_vars()], warm);
        let t = Instant::now();
        let answer = match int::certify_feasible(lp, &g) {
            Some(r) => {
                self.counters.certificates += 1;
                r.ok().map(|p| p.to_rationals())
            }
            None => {
                self.counters.fallbacks += 1;
                match lp::solve(&lp.to_lp(None)) {
                    LpAnswer::Feasible { point } => Some(point),
                    LpAnswer::Infeasible { .. } => None,
                    other => return Err(Stop::Certificate(format!("{other:?}"))),
                }
            }
        };
        self.counters.exact_time += t.elapsed();
        Ok(answer)
    }

    /// An exact point of `P` other than `p` in the direction that decreases `c` (checked
    /// against every row), if `c . theta < c . p` somewhere on `P`.
    pub fn point_below(
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
            Err(reason) => Err(Stop::Certificate(reason)),
        }
    }
}

/// Do the equation rows of `lp` pin `P` to at most one point? Proven exactly: `N` equation
/// rows chosen in floats whose `N x N` matrix is nonsingular in exact integer arithmetic.
pub fn equations_pin_point(lp: &IntLp) -> bool {
    let n = lp.num_vars();
    let mut basis: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut chosen: Vec<i128> = Vec::with_capacity(n * n);
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
            chosen.extend(a.iter().map(|&x| x as i128));
            if basis.len() == n {
                let rhs = vec![0i128; n];
                if let Some(r) = int::solve_square(n, &chosen, &rhs) {
                    return r.is_some();
                }
                // Overflow: decide with big integers.
                let rows: Vec<Vec<Int>> = chosen
                    .chunks(n)
                    .map(|row| row.iter().map(|&x| Int::from(x)).collect())
                    .collect();
                return lp::simplex::is_nonsingular(&rows);
            }
        }
    }
    false
}
