//! Integer LPs for the solvers' search trees (ExactFit's system (6) of Theorem 11, the
//! pattern search's system of any signs): rows of small integers, answered by the float
//! twin and certified by the exact kernel (`super::exact`).
//!
//! [`IntLp`] stores every row once as `i64` (in `>=` / `=` form: `<=` rows are negated when
//! pushed) together with a normalised `f64` copy, so an LP costs no rational-to-float
//! conversion. The float twin (`super::float::solve_rows`) guesses a basis (warm-started
//! across the LPs of a node: [`WarmStart`]); the certificate is rebuilt from that basis by
//! the kernel's one fraction-free square solve and re-checked by its one checker against
//! every original row:
//!
//! - a primal point `num / den` satisfies **every** row and its objective is compared with
//!   the threshold;
//! - dual multipliers `y` (one per basic row, `>= 0` on `>=` rows) combine the basic rows to
//!   the objective (`sum y_r a_r = c`, weak duality) and give the bound `sum y_r b_r`;
//! - a Farkas vector (same sign rules) combines the rows to `0` with `sum y_r b_r > 0`.
//!
//! The work runs in `i128` (the solve in `i64` first) and, when something does not fit, again
//! in big integers for the same basis: a certificate is never lost to overflow. A singular
//! basis or a failed check returns `None`, and the caller falls back to the generic exact path
//! ([`IntLp::to_lp`] with [`super::compare_min`] / [`super::solve`]): the fast path can only
//! be slower to answer, never wrong. `tests/lp_int.rs` compares both paths.

use super::exact::{self, ExactInt, IntVector, Overflow, Rejected, Row};
use super::float::{self, FloatStatus};
use super::real::{Dd, Real};
use super::{Lp, Sense};
use crate::num::{Int, Rational};

/// An LP `min c . v` over free variables with integer rows `a_r . v >= b_r` or
/// `a_r . v = b_r` (`<=` rows are stored negated). The objective is passed per call.
#[derive(Debug, Clone, Default)]
pub struct IntLp {
    n: usize,
    a: Vec<i64>,
    b: Vec<i64>,
    eq: Vec<bool>,
    fa: Vec<f64>,
    fb: Vec<f64>,
    /// Largest `|a_rt|` and `|b_r|` over all rows (bounds the products in exact checks).
    amax: u64,
    /// Row and sign of each structural column of the float layout.
    cols: Vec<(usize, i8)>,
    /// Double-double copies of the normalised rows, kept when the system is `precise`: the
    /// float twin then guesses in double-double (ill-conditioned systems).
    precise: Option<(Vec<Dd>, Vec<Dd>)>,
}

/// A point of `i128` numerators over a common positive denominator.
pub type IntPoint = IntVector<i128>;

/// An exact point, at the width its certificate needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactPoint {
    /// Fits `i128`.
    Small(IntPoint),
    /// Needed big integers.
    Big(IntVector<Int>),
}

impl ExactPoint {
    /// The point as rationals.
    pub fn to_rationals(&self) -> Vec<Rational> {
        match self {
            ExactPoint::Small(p) => p.to_rationals(),
            ExactPoint::Big(p) => p.to_rationals(),
        }
    }

    /// The `i128` point, if it fits.
    pub fn small(&self) -> Option<&IntPoint> {
        match self {
            ExactPoint::Small(p) => Some(p),
            ExactPoint::Big(_) => None,
        }
    }
}

/// Sparse row multipliers `y_r = num_k / den` on rows `rows_k` (all others zero), in the
/// sign convention of [`IntLp::to_lp`] (`>= 0` on inequality rows, free on equations):
/// a dual bound or a Farkas vector, already checked exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipliers<T = i128> {
    /// Row indices (may repeat: the entries add up).
    pub rows: Vec<usize>,
    /// Numerators, one per entry of `rows`.
    pub num: Vec<T>,
    /// Common positive denominator.
    pub den: T,
}

impl<T: ExactInt> Multipliers<T> {
    /// The dense multiplier vector over `m` rows, for [`super::check()`] on
    /// [`IntLp::to_lp`].
    pub fn to_dense(&self, m: usize) -> Vec<Rational> {
        let mut y = vec![Rational::ZERO; m];
        let den = self.den.to_int();
        for (&r, x) in self.rows.iter().zip(&self.num) {
            y[r] += Rational::from_parts_signed(x.to_int(), den.clone());
        }
        y
    }
}

/// Checked multipliers at the width their certificate needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactMultipliers {
    /// Fit `i128`.
    Small(Multipliers<i128>),
    /// Needed big integers.
    Big(Multipliers<Int>),
}

impl ExactMultipliers {
    /// The rows with a nonzero multiplier (the rows the certificate uses).
    pub fn support(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = match self {
            ExactMultipliers::Small(y) => y
                .rows
                .iter()
                .zip(&y.num)
                .filter(|(_, v)| **v != 0)
                .map(|(&r, _)| r)
                .collect(),
            ExactMultipliers::Big(y) => y
                .rows
                .iter()
                .zip(&y.num)
                .filter(|(_, v)| !v.is_zero())
                .map(|(&r, _)| r)
                .collect(),
        };
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// The dense multiplier vector over `m` rows.
    pub fn to_dense(&self, m: usize) -> Vec<Rational> {
        match self {
            ExactMultipliers::Small(y) => y.to_dense(m),
            ExactMultipliers::Big(y) => y.to_dense(m),
        }
    }
}

/// Answer of [`compare_min`]: is `min c . v` below the threshold `t`?
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntComparison {
    /// A point of the polyhedron with `c . v < t` (checked against every row).
    Below(ExactPoint),
    /// Checked dual multipliers prove `min >= bound >= t`.
    AtLeast {
        /// `bound == t` (the minimum may equal `t`); otherwise `min > t` is proven.
        equal: bool,
        /// The dual multipliers (`sum y_r a_r = c`, `sum y_r b_r >= t`).
        dual: ExactMultipliers,
    },
    /// A checked Farkas vector proves the polyhedron empty.
    Infeasible {
        /// The Farkas multipliers (`sum y_r a_r = 0`, `sum y_r b_r > 0`).
        farkas: ExactMultipliers,
    },
}

impl IntLp {
    /// An LP with `n` variables and no rows.
    pub fn new(n: usize) -> Self {
        IntLp {
            n,
            ..Default::default()
        }
    }

    /// Number of variables.
    pub fn num_vars(&self) -> usize {
        self.n
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.b.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.b.is_empty()
    }

    /// Add the row `a . v (sense) b`.
    pub fn push(&mut self, a: &[i64], sense: Sense, b: i64) {
        debug_assert_eq!(a.len(), self.n);
        let neg = sense == Sense::Le;
        let start = self.a.len();
        if neg {
            self.a.extend(a.iter().map(|x| -x));
            self.b.push(-b);
        } else {
            self.a.extend_from_slice(a);
            self.b.push(b);
        }
        self.eq.push(sense == Sense::Eq);
        let r = self.b.len() - 1;
        self.cols.push((r, 1));
        if sense == Sense::Eq {
            self.cols.push((r, -1));
        }
        let row = &self.a[start..];
        let bb = *self.b.last().expect("pushed");
        let mxi = row
            .iter()
            .fold(bb.unsigned_abs(), |m, x| m.max(x.unsigned_abs()))
            .max(1);
        self.amax = self.amax.max(mxi);
        let mx = mxi as f64;
        self.fa.extend(row.iter().map(|&x| x as f64 / mx));
        self.fb.push(bb as f64 / mx);
        if self.precise.is_some() {
            self.push_precise(r);
        }
    }

    /// Append the double-double copy of row `r`.
    fn push_precise(&mut self, r: usize) {
        let (row, rhs, _) = self.row(r);
        let mx = row
            .iter()
            .fold(rhs.unsigned_abs(), |m, x| m.max(x.unsigned_abs()))
            .clamp(1, i64::MAX as u64);
        let mx = Dd::from_i64(mx as i64);
        let da: Vec<Dd> = row.iter().map(|&x| Dd::from_i64(x) / mx).collect();
        let db = Dd::from_i64(rhs) / mx;
        let (pa, pb) = self.precise.as_mut().expect("precise");
        pa.extend(da);
        pb.push(db);
    }

    /// From now on, let the float twin guess in double-double precision (about 106 bits)
    /// for this system: for ill-conditioned rows, where `f64` guesses keep failing their
    /// certificates. The exact side is unchanged.
    pub fn make_precise(&mut self) {
        if self.precise.is_some() {
            return;
        }
        self.precise = Some((
            Vec::with_capacity(self.a.len()),
            Vec::with_capacity(self.len()),
        ));
        for r in 0..self.len() {
            self.push_precise(r);
        }
    }

    /// Whether the float twin guesses in double-double for this system.
    pub fn is_precise(&self) -> bool {
        self.precise.is_some()
    }

    /// Drop every row from `len` on (the rows pushed since the system had `len` rows).
    /// The magnitude bound used for overflow decisions stays as it was (still an upper
    /// bound). A [`WarmStart`] holding a tableau of the longer system must not be reused.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        self.a.truncate(len * self.n);
        self.b.truncate(len);
        self.eq.truncate(len);
        self.fa.truncate(len * self.n);
        self.fb.truncate(len);
        self.cols.retain(|&(r, _)| r < len);
        if let Some((pa, pb)) = self.precise.as_mut() {
            pa.truncate(len * self.n);
            pb.truncate(len);
        }
    }

    /// Every row, for the kernel's checker.
    fn kernel_rows(&self) -> impl Iterator<Item = Row<'_, i64>> + '_ {
        (0..self.len()).map(|r| Row {
            coeffs: &self.a[r * self.n..(r + 1) * self.n],
            rhs: &self.b[r],
            eq: self.eq[r],
        })
    }

    /// Does the point satisfy every row? `Err` on overflow (at width `T`).
    pub fn satisfies<T: ExactInt>(&self, p: &IntVector<T>) -> Result<bool, Overflow> {
        exact::satisfies_bounded(self.kernel_rows(), self.n, self.amax, p)
    }

    /// Row `r`: coefficients (`>=`/`=` form), right-hand side, is it an equation.
    pub fn row(&self, r: usize) -> (&[i64], i64, bool) {
        (&self.a[r * self.n..(r + 1) * self.n], self.b[r], self.eq[r])
    }

    /// The same LP as a generic rational [`Lp`] (for the fallback path), with objective
    /// `c` if given.
    pub fn to_lp(&self, c: Option<&[i64]>) -> Lp {
        let mut lp = Lp::new(self.n);
        for r in 0..self.len() {
            let (a, b, eq) = self.row(r);
            lp.push(
                a.iter().map(|&x| Rational::from(x)).collect(),
                if eq { Sense::Eq } else { Sense::Ge },
                Rational::from(b),
            );
        }
        if let Some(c) = c {
            lp.minimize(c.iter().map(|&x| Rational::from(x)).collect());
        }
        lp
    }

    fn float(&self, c: Option<&[i64]>) -> float::FloatResult {
        let cf: Vec<f64> = match c {
            Some(c) => c.iter().map(|&x| x as f64).collect(),
            None => vec![0.0; self.n],
        };
        float::solve_rows(self.n, &self.fa, &self.fb, &self.eq, &cf)
    }

    /// Row of structural column `j` (the float layout: one column per row, a second one
    /// for every equation), and the column's sign.
    fn column_rows(&self) -> &[(usize, i8)] {
        &self.cols
    }
}

/// Solve the square system `m x = rhs` (`m` row-major `n x n`) exactly in `i64`/`i128`
/// (the kernel's `exact::solve_square_small`). `Some(None)`: singular; `None`: the
/// solution needs big integers.
pub fn solve_square(n: usize, m: &[i128], rhs: &[i128]) -> Option<Option<IntPoint>> {
    exact::solve_square_small(n, m, rhs).ok()
}

/// The rows of the guessed basis: for each basis entry, `Row(r)` (structural) or `Unit(v)`
/// (an artificial, the unit vector of variable `v`).
#[derive(Clone, Copy)]
enum BasisRow {
    Row(usize),
    Unit(usize),
}

fn basis_rows(lp: &IntLp, basis: &[usize]) -> Option<Vec<BasisRow>> {
    let cols = lp.column_rows();
    let ncols = cols.len();
    if basis.len() != lp.n {
        return None;
    }
    basis
        .iter()
        .map(|&j| {
            if j < ncols {
                Some(BasisRow::Row(cols[j].0))
            } else if j < ncols + lp.n {
                Some(BasisRow::Unit(j - ncols))
            } else {
                None
            }
        })
        .collect()
}

/// Certification at one width: `Rejected::Overflow` asks for the next width,
/// `Rejected::Wrong` means the guess does not give a certificate.
type Ck<X> = Result<X, Rejected>;

fn wrong<X>(why: &str) -> Ck<X> {
    Err(Rejected::Wrong(why.into()))
}

fn ovf<X>(v: Option<X>) -> Ck<X> {
    v.ok_or(Rejected::Overflow)
}

/// `n x n` matrix of the basis rows (`transpose`: as columns) and the right-hand sides.
fn basis_system<T: ExactInt>(lp: &IntLp, rows: &[BasisRow], transpose: bool) -> (Vec<T>, Vec<T>) {
    let n = lp.n;
    let mut m = vec![T::zero(); n * n];
    let mut rhs = vec![T::zero(); n];
    for (k, br) in rows.iter().enumerate() {
        match *br {
            BasisRow::Row(r) => {
                let (a, b, _) = lp.row(r);
                for (t, &x) in a.iter().enumerate() {
                    let at = if transpose { t * n + k } else { k * n + t };
                    m[at] = T::from_i64(x);
                }
                rhs[k] = T::from_i64(b);
            }
            BasisRow::Unit(v) => {
                let at = if transpose { v * n + k } else { k * n + v };
                m[at] = T::one();
            }
        }
    }
    (m, rhs)
}

/// The kernel's solve at width `T`: singular is `Wrong`, overflow asks for the next width.
fn solve_at<T: ExactInt>(n: usize, m: &[T], rhs: &[T]) -> Ck<IntVector<T>> {
    match exact::solve_square(n, m, rhs) {
        Ok(Some(x)) => Ok(x),
        Ok(None) => wrong("singular basis"),
        Err(Overflow) => Err(Rejected::Overflow),
    }
}

/// The vertex of the basis: tight basic rows, artificial variables zero, checked against
/// every row.
fn primal_point<T: ExactInt>(lp: &IntLp, rows: &[BasisRow]) -> Ck<IntVector<T>> {
    let (m, rhs) = basis_system::<T>(lp, rows, false);
    let p = solve_at(lp.n, &m, &rhs)?;
    if lp.satisfies(&p)? {
        Ok(p)
    } else {
        wrong("the basis vertex violates a row")
    }
}

/// Multipliers `y` on the basic rows with `sum y_k a_k = target`, checked by the kernel's
/// checker (signs, combination; zero on artificials). Returns them with the bound
/// `sum y_k b_k` (times `y.den`).
fn multipliers<T: ExactInt>(
    lp: &IntLp,
    rows: &[BasisRow],
    target: &[T],
) -> Ck<(Multipliers<T>, T)> {
    let (mt, _) = basis_system::<T>(lp, rows, true);
    let y = solve_at(lp.n, &mt, target)?;
    let mut sparse = Multipliers {
        rows: Vec::with_capacity(rows.len()),
        num: Vec::with_capacity(rows.len()),
        den: y.den.clone(),
    };
    for (k, br) in rows.iter().enumerate() {
        if y.num[k].is_zero() {
            continue;
        }
        match *br {
            BasisRow::Unit(_) => return wrong("a multiplier on an artificial column"),
            BasisRow::Row(r) => {
                sparse.rows.push(r);
                sparse.num.push(y.num[k].clone());
            }
        }
    }
    let bound = check_multipliers(lp, &sparse, target)?;
    Ok((sparse, bound))
}

/// The kernel's checker on sparse multipliers: signs and `sum y_r a_r = target`; returns
/// `sum y_r b_r` (times `den`).
fn check_multipliers<T: ExactInt>(lp: &IntLp, y: &Multipliers<T>, target: &[T]) -> Ck<T> {
    let terms = y.rows.iter().zip(&y.num).map(|(&r, yr)| {
        let (a, _, eq) = lp.row(r);
        (
            Row {
                coeffs: a,
                rhs: &lp.b[r],
                eq,
            },
            yr,
        )
    });
    exact::combine(lp.n, terms, &y.den, target)
}

/// A Farkas certificate from the float run's dual-unbounded column `s`: multipliers on the
/// basic rows and on the row of `s`, checked (`sum y_r a_r = 0`, `sum y_r b_r > 0`, signs).
fn farkas<T: ExactInt>(lp: &IntLp, rows: &[BasisRow], s: usize) -> Ck<Multipliers<T>> {
    let cols = lp.column_rows();
    let Some(&(rs, sg)) = cols.get(s) else {
        return wrong("no such column");
    };
    let (a_s, _, eq_s) = lp.row(rs);
    // y_s = sg (an equation may enter with either sign; an inequality only with +1).
    if !eq_s && sg < 0 {
        return wrong("a negated inequality column");
    }
    let target: Vec<T> = a_s
        .iter()
        .map(|&x| ovf(T::from_i64(x).mul_i64(-(sg as i64))))
        .collect::<Ck<_>>()?;
    let (mut y, _) = multipliers(lp, rows, &target)?;
    // The basic multipliers combine to -sg a_s; with y_s = sg (scaled by den) the rows
    // combine to 0. A row of s that is also basic only adds up, so signs stay valid.
    y.rows.push(rs);
    y.num.push(ovf(y.den.mul_i64(sg as i64))?);
    let zero = vec![T::zero(); lp.n];
    let total = check_multipliers(lp, &y, &zero)?;
    if total.is_negative() || total.is_zero() {
        return wrong("the Farkas combination is not positive");
    }
    Ok(y)
}

/// `c . p` compared with `t` (as `c . num` against `t den`).
fn objective_cmp<T: ExactInt>(c: &[i64], p: &IntVector<T>, t: i128) -> Ck<std::cmp::Ordering> {
    let cp = exact::check::dot(c, &p.num)?;
    let td = ovf(ovf(T::from_i128(t))?.mul(&p.den))?;
    Ok(cp.cmp(&td))
}

/// Certified answers at one width.
enum Certified<T> {
    Below(IntVector<T>),
    AtLeast { equal: bool, dual: Multipliers<T> },
    Infeasible(Multipliers<T>),
}

/// Run a certification at `i128`, and again with big integers if something overflowed.
fn at_any_width<R>(small: impl FnOnce() -> Ck<R>, big: impl FnOnce() -> Ck<R>) -> Option<R> {
    match small() {
        Ok(r) => Some(r),
        Err(Rejected::Wrong(_)) => None,
        Err(Rejected::Overflow) => big().ok(),
    }
}

fn comparison_small(c: Certified<i128>) -> IntComparison {
    match c {
        Certified::Below(p) => IntComparison::Below(ExactPoint::Small(p)),
        Certified::AtLeast { equal, dual } => IntComparison::AtLeast {
            equal,
            dual: ExactMultipliers::Small(dual),
        },
        Certified::Infeasible(y) => IntComparison::Infeasible {
            farkas: ExactMultipliers::Small(y),
        },
    }
}

fn comparison_big(c: Certified<Int>) -> IntComparison {
    match c {
        Certified::Below(p) => IntComparison::Below(ExactPoint::Big(p)),
        Certified::AtLeast { equal, dual } => IntComparison::AtLeast {
            equal,
            dual: ExactMultipliers::Big(dual),
        },
        Certified::Infeasible(y) => IntComparison::Infeasible {
            farkas: ExactMultipliers::Big(y),
        },
    }
}

/// Decide `min c . v < t` over `lp` with one exact certificate: the float twin picks the
/// side, then a primal point (checked against every row) or dual multipliers (checked
/// combination, bound `>= t`); the other side if that fails. `None` when neither certifies
/// (unbounded, failed float run, wrong basis): the caller must use the generic path.
/// Returns the float time and the certification time too.
pub fn compare_min(
    lp: &IntLp,
    c: &[i64],
    t: i128,
) -> (
    Option<IntComparison>,
    std::time::Duration,
    std::time::Duration,
) {
    compare_min_warm(lp, c, t, &mut WarmStart::default())
}

/// Float state carried between the LPs of one system (rows may only be appended):
/// the last final tableau and basis, for `float::solve_rows_cached`.
#[derive(Debug, Default, Clone)]
pub struct WarmStart {
    tableau: Option<float::WarmTableau>,
    precise: Option<float::WarmTableau<Dd>>,
    basis: Vec<usize>,
}

impl WarmStart {
    /// The float run for objective `c` (in double-double when the system is precise), from
    /// the cached tableau or basis when possible; remembers the final basis when it is an
    /// optimum on structural columns.
    fn float(&mut self, lp: &IntLp, c: &[f64]) -> float::FloatResult {
        let fr = match &lp.precise {
            Some((pa, pb)) => {
                let cd: Vec<Dd> = c.iter().map(|&x| Dd::from_f64(x)).collect();
                float::solve_rows_cached(lp.n, pa, pb, &lp.eq, &cd, &mut self.precise, &self.basis)
            }
            None => float::solve_rows_cached(
                lp.n,
                &lp.fa,
                &lp.fb,
                &lp.eq,
                c,
                &mut self.tableau,
                &self.basis,
            ),
        };
        let ncols = lp.len() + lp.eq.iter().filter(|&&e| e).count();
        if fr.status == FloatStatus::Optimal && fr.basis.iter().all(|&j| j < ncols) {
            self.basis.clear();
            self.basis.extend_from_slice(&fr.basis);
        }
        fr
    }
}

/// [`compare_min`] with a warm start for the float run (see [`WarmStart`]). Only the
/// float guess changes; the certificate is built and checked exactly as in
/// [`compare_min`].
pub fn compare_min_warm(
    lp: &IntLp,
    c: &[i64],
    t: i128,
    warm: &mut WarmStart,
) -> (
    Option<IntComparison>,
    std::time::Duration,
    std::time::Duration,
) {
    let t0 = std::time::Instant::now();
    let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
    let guess = guess_min(lp, &cf, warm);
    let t1 = std::time::Instant::now();
    let r = certify_min(lp, c, t, &guess);
    (r, t1 - t0, t1.elapsed())
}

/// A float guess of `min c . v` over an [`IntLp`]: what the float twin believes, used only to
/// decide which certificate to build (or, by a search, which branches look empty). Nothing
/// in it is ever reported as an answer.
#[derive(Debug, Clone)]
pub struct Guess {
    fr: float::FloatResult,
}

/// What a [`Guess`] believes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GuessKind {
    /// The minimum is about this value.
    Optimal(f64),
    /// The polyhedron looks empty.
    Infeasible,
    /// The objective looks unbounded below.
    Unbounded,
    /// The float run failed (numerical trouble, iteration cap).
    Failed,
}

impl Guess {
    /// What the float run believes.
    pub fn kind(&self) -> GuessKind {
        match self.fr.status {
            FloatStatus::Optimal => GuessKind::Optimal(self.fr.value),
            FloatStatus::DualUnbounded(_) => GuessKind::Infeasible,
            FloatStatus::DualInfeasible | FloatStatus::PrimalRay(_) => GuessKind::Unbounded,
            FloatStatus::Failed => GuessKind::Failed,
        }
    }

    /// The float vertex of an optimal guess: the basic rows made tight (and the variables of
    /// artificial basis entries zero), solved in floats with partial pivoting. Approximately
    /// a point of the polyhedron; `None` unless optimal or when the basis looks singular.
    pub fn point(&self, lp: &IntLp) -> Option<Vec<f64>> {
        if self.fr.status != FloatStatus::Optimal {
            return None;
        }
        let n = lp.n;
        let rows = basis_rows(lp, &self.fr.basis)?;
        let w = n + 1;
        let mut m = vec![0.0f64; n * w];
        for (k, br) in rows.iter().enumerate() {
            match *br {
                BasisRow::Row(r) => {
                    m[k * w..k * w + n].copy_from_slice(&lp.fa[r * n..(r + 1) * n]);
                    m[k * w + n] = lp.fb[r];
                }
                BasisRow::Unit(v) => m[k * w + v] = 1.0,
            }
        }
        float_solve(n, &mut m)
    }
}

impl Guess {
    /// For an unbounded guess: a float recession direction of the polyhedron along which
    /// `c . v` decreases (the same construction as the exact certificate of an unbounded
    /// minimum, in floats). Approximate; `None` when the guess is not unbounded or the
    /// direction does not decrease `c`.
    pub fn ray(&self, lp: &IntLp, c: &[f64]) -> Option<Vec<f64>> {
        let n = lp.n;
        let rows = basis_rows(lp, &self.fr.basis)?;
        let w = n + 1;
        let mut m = vec![0.0f64; n * w];
        let mut fill = |k: usize, br: BasisRow, rhs: f64| match br {
            BasisRow::Row(r) => {
                m[k * w..k * w + n].copy_from_slice(&lp.fa[r * n..(r + 1) * n]);
                m[k * w + n] = rhs;
            }
            BasisRow::Unit(v) => {
                m[k * w + v] = 1.0;
                m[k * w + n] = rhs;
            }
        };
        match self.fr.status {
            FloatStatus::DualInfeasible => {
                for (k, &br) in rows.iter().enumerate() {
                    let rhs = match br {
                        BasisRow::Row(_) => 0.0,
                        BasisRow::Unit(v) => {
                            if c[v] < 0.0 {
                                1.0
                            } else {
                                -1.0
                            }
                        }
                    };
                    fill(k, br, rhs);
                }
            }
            FloatStatus::PrimalRay(r) => {
                let &(_, sign) = lp.column_rows().get(*self.fr.basis.get(r)?)?;
                for (k, &br) in rows.iter().enumerate() {
                    fill(k, br, if k == r { sign as f64 } else { 0.0 });
                }
            }
            _ => return None,
        }
        let u = float_solve(n, &mut m)?;
        let cu: f64 = c.iter().zip(&u).map(|(a, b)| a * b).sum();
        (cu < 0.0).then_some(u)
    }
}

/// Solve the `n x (n + 1)` augmented float system in place (partial pivoting).
fn float_solve(n: usize, m: &mut [f64]) -> Option<Vec<f64>> {
    let w = n + 1;
    for col in 0..n {
        let piv =
            (col..n).max_by(|&a, &b| m[a * w + col].abs().total_cmp(&m[b * w + col].abs()))?;
        if m[piv * w + col].abs() < 1e-12 {
            return None;
        }
        if piv != col {
            for j in 0..w {
                m.swap(piv * w + j, col * w + j);
            }
        }
        let p = m[col * w + col];
        for i in col + 1..n {
            let f = m[i * w + col] / p;
            if f != 0.0 {
                for j in col..w {
                    m[i * w + j] -= f * m[col * w + j];
                }
            }
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|j| m[i * w + j] * x[j]).sum();
        x[i] = (m[i * w + n] - s) / m[i * w + i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The float twin's guess of `min c . v` (`c` all zeros: feasibility), from the warm start
/// when possible (see [`WarmStart`]).
pub fn guess_min(lp: &IntLp, c: &[f64], warm: &mut WarmStart) -> Guess {
    Guess {
        fr: warm.float(lp, c),
    }
}

/// The float twin's guess of `min c . v` in double-double precision, cold (no warm start):
/// for ill-conditioned systems, where the `f64` guess did not lead to a certificate. Rows
/// are normalised to unit max-norm in double-double from their exact integers.
pub fn guess_min_precise(lp: &IntLp, c: &[i64]) -> Guess {
    let mut copy;
    let precise = match &lp.precise {
        Some(p) => p,
        None => {
            copy = lp.clone();
            copy.make_precise();
            copy.precise.as_ref().expect("made precise")
        }
    };
    let cd: Vec<Dd> = c.iter().map(|&x| Dd::from_i64(x)).collect();
    Guess {
        fr: float::solve_rows_in(lp.n, &precise.0, &precise.1, &lp.eq, &cd),
    }
}

/// How often [`certify_retrying`] needed its retries (a searcher's counters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retries {
    /// Questions the first (warm-started) guess could not certify, guessed again in `f64`
    /// from scratch.
    pub cold: u64,
    /// Questions no `f64` guess could certify (or whose double-double guess did not, on a
    /// double-double system), guessed again in double-double from scratch.
    pub precise: u64,
}

/// The one retry chain of the integer fast path: `certify` from `first` (the
/// warm-started guess for the objective `c`); if that gives no certificate, from a cold
/// `f64` guess (a warm tableau carries the rounding of its earlier pivots: on the `abs`
/// branch and bound at `d = 2, k = 3, n = 20` the cold guess certified 2,816 of the 2,817
/// questions the warm one could not); then from a cold double-double guess (an
/// ill-conditioned system can fool `f64` itself). On a double-double system the first guess
/// was already in double-double, and only the cold double-double guess follows. `None`
/// when no guess led to a checked certificate: the caller decides by the generic exact LP.
pub fn certify_retrying<T>(
    lp: &IntLp,
    c: &[i64],
    first: &Guess,
    retries: &mut Retries,
    certify: impl Fn(&Guess) -> Option<T>,
) -> Option<T> {
    certify(first)
        .or_else(|| {
            if lp.is_precise() {
                return None;
            }
            retries.cold += 1;
            let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
            certify(&guess_min(lp, &cf, &mut WarmStart::default()))
        })
        .or_else(|| {
            retries.precise += 1;
            certify(&guess_min_precise(lp, c))
        })
}

/// Certify `min c . v < t` exactly from a guess (see [`compare_min`]): `None` when the guess
/// does not lead to a checked certificate, and the caller must decide by the generic path.
pub fn certify_min(lp: &IntLp, c: &[i64], t: i128, guess: &Guess) -> Option<IntComparison> {
    certify_min_from(lp, c, t, guess, None)
}

/// [`certify_min`] given a point `known` believed to lie in the polyhedron (checked against
/// every row before use): when the float run finds the minimum unbounded, the certificate
/// steps from it along the basis's recession direction instead of solving a feasibility LP
/// for a start (a searcher's pool holds such points).
pub fn certify_min_from(
    lp: &IntLp,
    c: &[i64],
    t: i128,
    guess: &Guess,
    known: Option<&IntPoint>,
) -> Option<IntComparison> {
    let rows = basis_rows(lp, &guess.fr.basis)?;
    at_any_width(
        || certify_compare::<i128>(lp, c, t, &guess.fr, &rows, known).map(comparison_small),
        || certify_compare::<Int>(lp, c, t, &guess.fr, &rows, known).map(comparison_big),
    )
}

/// Certify the minimum of `c . v` exactly from an optimal guess: the basis vertex (checked
/// against every row) and dual multipliers on the basic rows (checked combination) whose
/// bound equals the vertex's objective, so the value is the proven minimum. Returns the
/// point and the value `num / den`; `None` when the guess does not certify.
pub fn certify_optimum(lp: &IntLp, c: &[i64], guess: &Guess) -> Option<(ExactPoint, Rational)> {
    if guess.fr.status != FloatStatus::Optimal {
        return None;
    }
    let rows = basis_rows(lp, &guess.fr.basis)?;
    fn optimum<T: ExactInt>(lp: &IntLp, c: &[i64], rows: &[BasisRow]) -> Ck<(IntVector<T>, T, T)> {
        let p = primal_point::<T>(lp, rows)?;
        let target: Vec<T> = c.iter().map(|&x| T::from_i64(x)).collect();
        let (y, bound) = multipliers(lp, rows, &target)?;
        // c . p / p.den == bound / y.den
        let cp = exact::check::dot(c, &p.num)?;
        if ovf(cp.mul(&y.den))? != ovf(bound.mul(&p.den))? {
            return wrong("the vertex and the dual bound differ");
        }
        Ok((p, cp, bound))
    }
    at_any_width(
        || {
            optimum::<i128>(lp, c, &rows).map(|(p, cp, _)| {
                let v = Rational::from_parts_signed(Int::from(cp), Int::from(p.den));
                (ExactPoint::Small(p), v)
            })
        },
        || {
            optimum::<Int>(lp, c, &rows).map(|(p, cp, _)| {
                let v = Rational::from_parts_signed(cp, p.den.clone());
                (ExactPoint::Big(p), v)
            })
        },
    )
}

/// Certify feasibility exactly from a guess of the feasibility LP: a point checked against
/// every row, or a checked Farkas vector; `None` when neither can be built.
pub fn certify_feasible(lp: &IntLp, guess: &Guess) -> Option<Result<ExactPoint, ExactMultipliers>> {
    let rows = basis_rows(lp, &guess.fr.basis)?;
    match guess.fr.status {
        FloatStatus::Optimal => at_any_width(
            || primal_point::<i128>(lp, &rows).map(|p| Ok(ExactPoint::Small(p))),
            || primal_point::<Int>(lp, &rows).map(|p| Ok(ExactPoint::Big(p))),
        ),
        FloatStatus::DualUnbounded(s) => at_any_width(
            || farkas::<i128>(lp, &rows, s).map(|y| Err(ExactMultipliers::Small(y))),
            || farkas::<Int>(lp, &rows, s).map(|y| Err(ExactMultipliers::Big(y))),
        ),
        _ => None,
    }
}

fn certify_compare<T: ExactInt>(
    lp: &IntLp,
    c: &[i64],
    t: i128,
    fr: &float::FloatResult,
    rows: &[BasisRow],
    known: Option<&IntPoint>,
) -> Ck<Certified<T>> {
    use std::cmp::Ordering;
    match fr.status {
        FloatStatus::Optimal => {
            let primal = || -> Ck<Certified<T>> {
                let p = primal_point::<T>(lp, rows)?;
                if objective_cmp(c, &p, t)? == Ordering::Less {
                    Ok(Certified::Below(p))
                } else {
                    wrong("the vertex is not below the threshold")
                }
            };
            let dual = || -> Ck<Certified<T>> {
                let target: Vec<T> = c.iter().map(|&x| T::from_i64(x)).collect();
                let (y, bound) = multipliers(lp, rows, &target)?;
                let tt = ovf(ovf(T::from_i128(t))?.mul(&y.den))?;
                match bound.cmp(&tt) {
                    Ordering::Less => wrong("the dual bound is below the threshold"),
                    // No point attaining t is computed: measured, the extra exact solve
                    // and row check cost more than a pool point saves.
                    ord => Ok(Certified::AtLeast {
                        equal: ord == Ordering::Equal,
                        dual: y,
                    }),
                }
            };
            let tf = t as f64;
            let below = fr.value < tf - 1e-9 * tf.abs().max(1.0);
            match if below { primal() } else { dual() } {
                Err(Rejected::Wrong(_)) if below => dual(),
                Err(Rejected::Wrong(_)) => primal(),
                other => other,
            }
        }
        FloatStatus::DualUnbounded(s) => farkas::<T>(lp, rows, s).map(Certified::Infeasible),
        FloatStatus::DualInfeasible => below_along_ray::<T>(lp, rows, c, t, known),
        FloatStatus::PrimalRay(r) => {
            let Some(&col) = fr.basis.get(r) else {
                return wrong("no such basis row");
            };
            below_along_row_ray::<T>(lp, rows, (r, col), c, t, known)
        }
        FloatStatus::Failed => wrong("the float run failed"),
    }
}

/// The float run says the minimum is unbounded: take the basis's recession direction
/// (basic rows tight and homogeneous, the remaining variables set by the phase-1 rule),
/// a feasible point (`known` if it satisfies every row, else from a feasibility LP), and
/// step along the direction until the objective is below `t`. The final point is checked
/// against every row; nothing else is trusted.
fn below_along_ray<T: ExactInt>(
    lp: &IntLp,
    rows: &[BasisRow],
    c: &[i64],
    t: i128,
    known: Option<&IntPoint>,
) -> Ck<Certified<T>> {
    let n = lp.n;
    let (m, _) = basis_system::<T>(lp, rows, false);
    let rhs: Vec<T> = rows
        .iter()
        .map(|br| match *br {
            BasisRow::Row(_) => T::zero(),
            BasisRow::Unit(v) => T::from_i64(if c[v] < 0 { 1 } else { -1 }),
        })
        .collect();
    let ray = solve_at(n, &m, &rhs)?;
    let cr = exact::check::dot(c, &ray.num)?;
    if !cr.is_negative() {
        return wrong("the ray does not decrease the objective");
    }
    if let Some(p) = known_in::<T>(lp, known)? {
        return step_below(lp, &p, &ray, &cr, c, t);
    }
    let fr = lp.float(None);
    let Some(frows) = basis_rows(lp, &fr.basis) else {
        return wrong("bad feasibility basis");
    };
    let p = match fr.status {
        FloatStatus::Optimal => primal_point::<T>(lp, &frows)?,
        FloatStatus::DualUnbounded(s) => {
            return farkas::<T>(lp, &frows, s).map(Certified::Infeasible);
        }
        _ => return wrong("the feasibility run failed"),
    };
    step_below(lp, &p, &ray, &cr, c, t)
}

/// The `known` point at width `T` if it is a point (one numerator per variable over a
/// positive denominator) and satisfies every row of `lp` (`Overflow` if it does not fit
/// `T`).
fn known_in<T: ExactInt>(lp: &IntLp, known: Option<&IntPoint>) -> Ck<Option<IntVector<T>>> {
    let Some(q) = known.filter(|q| q.den > 0 && q.num.len() == lp.n) else {
        return Ok(None);
    };
    let p = ovf(q.to_width::<T>())?;
    Ok(if lp.satisfies(&p)? { Some(p) } else { None })
}

/// The dual simplex ended on a dual-feasible structural basis whose basic row `r` cannot be
/// repaired: row `r` of the inverse basis is a recession direction `u` (`a_k . u = 0` on
/// the other basic rows, `= sign` on row `r`; every row keeps `a . u >= 0`, `c . u < 0`),
/// and the basis vertex is a point of the polyhedron. Step along `u` below `t` from `known`
/// if it satisfies every row (one exact solve fewer), else from the basis vertex; the final
/// point is checked against every row.
fn below_along_row_ray<T: ExactInt>(
    lp: &IntLp,
    rows: &[BasisRow],
    (r, col): (usize, usize),
    c: &[i64],
    t: i128,
    known: Option<&IntPoint>,
) -> Ck<Certified<T>> {
    let n = lp.n;
    if rows.iter().any(|br| matches!(br, BasisRow::Unit(_))) {
        return wrong("an artificial in the basis");
    }
    let (m, _) = basis_system::<T>(lp, rows, false);
    let Some(&(_, sign)) = lp.column_rows().get(col) else {
        return wrong("no such column");
    };
    let mut rhs = vec![T::zero(); n];
    rhs[r] = T::from_i64(sign as i64);
    let ray = solve_at(n, &m, &rhs)?;
    let cr = exact::check::dot(c, &ray.num)?;
    if !cr.is_negative() {
        return wrong("the ray does not decrease the objective");
    }
    let p = match known_in::<T>(lp, known)? {
        Some(p) => p,
        None => primal_point::<T>(lp, rows)?,
    };
    step_below(lp, &p, &ray, &cr, c, t)
}

/// `p + lambda ray` with the least integer `lambda >= 0` putting `c . v` below `t`, checked.
/// `cr = c . ray.num < 0`.
fn step_below<T: ExactInt>(
    lp: &IntLp,
    p: &IntVector<T>,
    ray: &IntVector<T>,
    cr: &T,
    c: &[i64],
    t: i128,
) -> Ck<Certified<T>> {
    // p + lambda ray = (num + lambda den ray) / den, lambda over ray.den folded in:
    // need c . num + lambda den cr < t den (ray's own denominator is positive, ignored).
    let cp = exact::check::dot(c, &p.num)?;
    let td = ovf(ovf(T::from_i128(t))?.mul(&p.den))?;
    let lambda = if cp < td {
        T::zero()
    } else {
        // lambda = floor((cp - td) / (den * -cr)) + 1, computed by exact integers.
        let step = ovf(p.den.mul(&ovf(cr.neg())?))?;
        let gap = ovf(cp.sub(&td))?;
        let q = gap.to_int() / step.to_int() + Int::ONE;
        ovf(T::from_int(&q))?
    };
    let scale = ovf(lambda.mul(&p.den))?;
    let num = p
        .num
        .iter()
        .zip(&ray.num)
        .map(|(x, r)| ovf(x.add(&ovf(scale.mul(r))?)))
        .collect::<Ck<Vec<T>>>()?;
    let q = IntVector {
        num,
        den: p.den.clone(),
    };
    if lp.satisfies(&q)? && objective_cmp(c, &q, t)? == std::cmp::Ordering::Less {
        Ok(Certified::Below(q))
    } else {
        wrong("the step along the ray did not certify")
    }
}

/// A point of the polyhedron (checked against every row), `Some(Err(farkas))` if it is
/// empty (checked Farkas vector), `None` if the fast path could not certify either. Returns
/// the float and certification times too.
pub fn feasible(
    lp: &IntLp,
) -> (
    Option<Result<ExactPoint, ExactMultipliers>>,
    std::time::Duration,
    std::time::Duration,
) {
    feasible_warm(lp, &mut WarmStart::default())
}

/// [`feasible`] with a warm start for the float run (see [`WarmStart`]; typically the
/// final basis of the parent node's last LP, whose rows are a prefix of these).
pub fn feasible_warm(
    lp: &IntLp,
    warm: &mut WarmStart,
) -> (
    Option<Result<ExactPoint, ExactMultipliers>>,
    std::time::Duration,
    std::time::Duration,
) {
    let t0 = std::time::Instant::now();
    let guess = guess_min(lp, &vec![0.0; lp.n], warm);
    let t1 = std::time::Instant::now();
    let r = certify_feasible(lp, &guess);
    (r, t1 - t0, t1.elapsed())
}
