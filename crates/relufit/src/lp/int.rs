//! Integer fast path for LPs whose data are small integers (ExactFit's system (6) of
//! Theorem 11, whose rows are data points scaled to integers).
//!
//! [`IntLp`] stores every row once as `i64` (in `>=` / `=` form: `<=` rows are negated when
//! pushed) together with a normalised `f64` copy, so an LP costs no rational-to-float
//! conversion. The float twin ([`super::float::solve_rows`]) guesses a basis; the
//! certificate is rebuilt from that basis by an exact `N x N` solve in overflow-checked
//! `i128` and verified here, exactly:
//!
//! - a primal point `num / den` is checked against **every** row in `i128`
//!   (`sum a_t num_t (>=, =) b den`) and its objective compared with the threshold;
//! - dual multipliers `y` (one per basic row, `>= 0` on `>=` rows) are checked to combine
//!   the basic rows to the objective (`sum y_r a_r = c`, weak duality) and give the bound
//!   `sum y_r b_r`;
//! - a Farkas vector (same sign rules) is checked to combine the rows to `0` with
//!   `sum y_r b_r > 0`.
//!
//! Every arithmetic step is overflow-checked; any overflow, singular basis or failed check
//! returns `None` and the caller falls back to the generic rational path
//! ([`IntLp::to_lp`] with [`super::compare_min`] / [`super::solve`]). So the fast path can
//! only ever be slower to answer, never wrong. `tests/lp.rs` compares both paths.

use super::float::{self, FloatStatus};
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
}

/// A rational vector `num / den` with `den > 0` (not necessarily in lowest terms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntPoint {
    /// Numerators.
    pub num: Vec<i128>,
    /// The common positive denominator.
    pub den: i128,
}

impl IntPoint {
    /// The point as rationals.
    pub fn to_rationals(&self) -> Vec<Rational> {
        self.num
            .iter()
            .map(|&x| Rational::from_parts_signed(Int::from(x), Int::from(self.den)))
            .collect()
    }
}

/// Sparse row multipliers `y_r = num_k / den` on rows `rows_k` (all others zero), in the
/// sign convention of [`IntLp::to_lp`] (`>= 0` on inequality rows, free on equations):
/// a dual bound or a Farkas vector, already checked exactly by the fast path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipliers {
    /// Row indices (may repeat: the entries add up).
    pub rows: Vec<usize>,
    /// Numerators, one per entry of `rows`.
    pub num: Vec<i128>,
    /// Common positive denominator.
    pub den: i128,
}

impl Multipliers {
    /// The dense multiplier vector over `m` rows, for [`super::check()`] on
    /// [`IntLp::to_lp`].
    pub fn to_dense(&self, m: usize) -> Vec<Rational> {
        let mut y = vec![Rational::ZERO; m];
        for (&r, &x) in self.rows.iter().zip(&self.num) {
            y[r] += Rational::from_parts_signed(Int::from(x), Int::from(self.den));
        }
        y
    }
}

/// Answer of [`compare_min`]: is `min c . v` below the threshold `t`?
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntComparison {
    /// A point of the polyhedron with `c . v < t` (checked against every row).
    Below(IntPoint),
    /// Checked dual multipliers prove `min >= bound >= t`.
    AtLeast {
        /// `bound == t` (the minimum may equal `t`); otherwise `min > t` is proven.
        equal: bool,
        /// The dual multipliers (`sum y_r a_r = c`, `sum y_r b_r >= t`).
        dual: Multipliers,
    },
    /// A checked Farkas vector proves the polyhedron empty.
    Infeasible {
        /// The Farkas multipliers (`sum y_r a_r = 0`, `sum y_r b_r > 0`).
        farkas: Multipliers,
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

    /// Does the point satisfy every row? `None` on overflow.
    pub fn satisfies_all(&self, p: &IntPoint) -> Option<bool> {
        // When every product and sum provably fits i128, skip the overflow checks:
        // |sum_t a_t x_t| <= n amax xmax and |b den| <= amax den.
        let xmax = p
            .num
            .iter()
            .fold(p.den.unsigned_abs(), |m, x| m.max(x.unsigned_abs()));
        let bits = |v: u128| 128 - v.leading_zeros();
        let nbits = bits(self.n as u128 + 1);
        if bits(self.amax as u128) + bits(xmax) + nbits < 62 {
            // Everything fits i64 (one machine multiplication per term).
            let x: Vec<i64> = p.num.iter().map(|&v| v as i64).collect();
            let den = p.den as i64;
            for r in 0..self.len() {
                let (a, b, eq) = self.row(r);
                let lhs: i64 = a.iter().zip(&x).map(|(&ai, &xi)| ai * xi).sum();
                let rhs = b * den;
                if !(if eq { lhs == rhs } else { lhs >= rhs }) {
                    return Some(false);
                }
            }
            return Some(true);
        }
        if bits(self.amax as u128) + bits(xmax) + nbits < 126 {
            for r in 0..self.len() {
                let (a, b, eq) = self.row(r);
                let mut lhs: i128 = 0;
                for (&ai, &xi) in a.iter().zip(&p.num) {
                    lhs += ai as i128 * xi;
                }
                let rhs = b as i128 * p.den;
                if !(if eq { lhs == rhs } else { lhs >= rhs }) {
                    return Some(false);
                }
            }
            return Some(true);
        }
        for r in 0..self.len() {
            let (a, b, eq) = self.row(r);
            let lhs = dot(a, &p.num)?;
            let rhs = (b as i128).checked_mul(p.den)?;
            let ok = if eq { lhs == rhs } else { lhs >= rhs };
            if !ok {
                return Some(false);
            }
        }
        Some(true)
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

/// `sum a_t x_t` in checked `i128`.
fn dot(a: &[i64], x: &[i128]) -> Option<i128> {
    let mut s: i128 = 0;
    for (&ai, &xi) in a.iter().zip(x) {
        if ai != 0 && xi != 0 {
            s = s.checked_add((ai as i128).checked_mul(xi)?)?;
        }
    }
    Some(s)
}

/// Greatest common divisor of `|a|` and `|b|` (`gcd(0, 0) = 0`).
pub(crate) fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// Solve the square system `m x = rhs` (`m` row-major `n x n`, `i128`) by fraction-free
/// Gauss-Jordan elimination (Edmonds): every division is exact. `Some(None)`: singular;
/// `None`: overflow. The result is reduced by the gcd of all its entries.
pub fn solve_square(n: usize, m: &[i128], rhs: &[i128]) -> Option<Option<IntPoint>> {
    // Most systems stay small: try 64-bit arithmetic first (several times cheaper).
    if let Some(r) = solve_square_i64(n, m, rhs) {
        return Some(r);
    }
    solve_square_i128(n, m, rhs)
}

/// [`solve_square`] in checked `i64` (`None` on overflow or input out of range).
fn solve_square_i64(n: usize, m: &[i128], rhs: &[i128]) -> Option<Option<IntPoint>> {
    let w = n + 1;
    let mut t = vec![0i64; n * w];
    for i in 0..n {
        for j in 0..n {
            t[i * w + j] = i64::try_from(m[i * n + j]).ok()?;
        }
        t[i * w + n] = i64::try_from(rhs[i]).ok()?;
    }
    let mut d: i64 = 1;
    let mut div = ExactDiv::new(1);
    let mut prow = vec![0i64; w];
    for col in 0..n {
        let Some(r) = (col..n).find(|&r| t[r * w + col] != 0) else {
            return Some(None);
        };
        if r != col {
            for j in 0..w {
                t.swap(r * w + j, col * w + j);
            }
        }
        prow.copy_from_slice(&t[col * w..(col + 1) * w]);
        let p = prow[col];
        for i in 0..n {
            if i == col {
                continue;
            }
            let row = &mut t[i * w..(i + 1) * w];
            let f = row[col];
            if f == 0 {
                if p != d {
                    for x in row.iter_mut() {
                        if *x != 0 {
                            *x = div.apply_wide(p as i128 * *x as i128)?;
                        }
                    }
                }
                continue;
            }
            for (x, &pr) in row.iter_mut().zip(&prow) {
                if pr == 0 && *x == 0 {
                    continue;
                }
                // In i64 when nothing overflows (then the quotient fits too), else through
                // i128 (products of i64 values cannot overflow it).
                let narrow = p
                    .checked_mul(*x)
                    .zip(f.checked_mul(pr))
                    .and_then(|(a, b)| a.checked_sub(b));
                *x = match narrow {
                    Some(v) => div.apply_narrow(v),
                    None => div.apply_wide(p as i128 * *x as i128 - f as i128 * pr as i128)?,
                };
            }
        }
        d = p;
        div = ExactDiv::new(d as i128);
    }
    let num: Vec<i128> = (0..n).map(|i| t[i * w + n] as i128).collect();
    Some(Some(normalized(num, d as i128)?))
}

/// Exact division by a fixed nonzero `d` without a hardware divide: `v / d` for `v` a
/// multiple of `d` is `(v >> s) * inv` modulo `2^64`, with `d = 2^s d'`, `d'` odd and
/// `inv` its inverse modulo `2^64` (the quotient fits `i64`, so the wrapped product is it).
/// Only valid for exact divisions, which fraction-free elimination guarantees; every
/// result is verified afterwards anyway (points against all rows, multipliers by
/// recombination).
#[derive(Clone, Copy)]
struct ExactDiv {
    shift: u32,
    inv: i128,
    one: bool,
}

impl ExactDiv {
    fn new(d: i128) -> Self {
        debug_assert!(d != 0);
        let shift = d.trailing_zeros();
        let odd = d >> shift;
        // Newton's iteration doubles the correct low bits: 3 -> 6 -> ... -> 192 >= 128.
        let mut inv = odd;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2i128.wrapping_sub(odd.wrapping_mul(inv)));
        }
        ExactDiv {
            shift,
            inv,
            one: d == 1,
        }
    }

    /// `v / d` for a multiple `v` of `d` that fits `i64` (so does the quotient: one
    /// 64-bit multiplication, the low half of the inverse is the inverse modulo `2^64`).
    #[inline]
    fn apply_narrow(self, v: i64) -> i64 {
        if self.one {
            v
        } else {
            (v >> self.shift).wrapping_mul(self.inv as i64)
        }
    }

    /// `v / d` for a multiple `v` of `d`, if the quotient fits `i64`.
    #[inline]
    fn apply_wide(self, v: i128) -> Option<i64> {
        i64::try_from(self.apply(v)).ok()
    }

    /// `v / d` for a multiple `v` of `d`.
    #[inline]
    fn apply(self, v: i128) -> i128 {
        if self.one {
            v
        } else {
            (v >> self.shift).wrapping_mul(self.inv)
        }
    }
}

/// `num / den` with `den > 0`, reduced by the gcd of all entries.
fn normalized(mut num: Vec<i128>, mut den: i128) -> Option<IntPoint> {
    if den < 0 {
        den = den.checked_neg()?;
        for x in num.iter_mut() {
            *x = x.checked_neg()?;
        }
    }
    let g = num.iter().fold(den, |g, &x| gcd(g, x));
    if g > 1 {
        num.iter_mut().for_each(|x| *x /= g);
        den /= g;
    }
    Some(IntPoint { num, den })
}

/// [`solve_square`] in checked `i128`.
fn solve_square_i128(n: usize, m: &[i128], rhs: &[i128]) -> Option<Option<IntPoint>> {
    let w = n + 1;
    let mut t = vec![0i128; n * w];
    for i in 0..n {
        t[i * w..i * w + n].copy_from_slice(&m[i * n..(i + 1) * n]);
        t[i * w + n] = rhs[i];
    }
    let mut d: i128 = 1;
    let mut div = ExactDiv::new(1);
    let mut prow = vec![0i128; w];
    for col in 0..n {
        let Some(r) = (col..n).find(|&r| t[r * w + col] != 0) else {
            return Some(None);
        };
        if r != col {
            for j in 0..w {
                t.swap(r * w + j, col * w + j);
            }
        }
        prow.copy_from_slice(&t[col * w..(col + 1) * w]);
        let p = prow[col];
        for i in 0..n {
            if i == col {
                continue;
            }
            let row = &mut t[i * w..(i + 1) * w];
            let f = row[col];
            if f == 0 {
                if p != d {
                    for x in row.iter_mut() {
                        if *x != 0 {
                            *x = div.apply(p.checked_mul(*x)?);
                        }
                    }
                }
                continue;
            }
            for (x, &pr) in row.iter_mut().zip(&prow) {
                let v = p.checked_mul(*x)?.checked_sub(f.checked_mul(pr)?)?;
                *x = div.apply(v);
            }
        }
        d = p;
        div = ExactDiv::new(d);
    }
    // Now t = d * I | d * x.
    let num: Vec<i128> = (0..n).map(|i| t[i * w + n]).collect();
    Some(Some(normalized(num, d)?))
}

/// The rows of the guessed basis: for each basis entry, `Some(row)` (structural) or
/// `None` with the artificial's variable index.
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

/// The vertex of the basis: tight basic rows, artificial variables zero. Checked against
/// every row; `None` if singular, infeasible or on overflow.
fn primal_point(lp: &IntLp, rows: &[BasisRow]) -> Option<IntPoint> {
    let n = lp.n;
    let mut m = vec![0i128; n * n];
    let mut rhs = vec![0i128; n];
    for (k, br) in rows.iter().enumerate() {
        match *br {
            BasisRow::Row(r) => {
                let (a, b, _) = lp.row(r);
                for (t, &x) in a.iter().enumerate() {
                    m[k * n + t] = x as i128;
                }
                rhs[k] = b as i128;
            }
            BasisRow::Unit(v) => m[k * n + v] = 1,
        }
    }
    let p = solve_square(n, &m, &rhs)??;
    lp.satisfies_all(&p)?.then_some(p)
}

/// Multipliers `y` on the basic rows with `sum y_k a_k = target`, sign-checked (`>= 0` on
/// inequality rows, zero on artificials) and re-verified; returns `(y, yden, rows)`.
fn multipliers(lp: &IntLp, rows: &[BasisRow], target: &[i128]) -> Option<IntPoint> {
    let n = lp.n;
    // Transposed system: sum_k y_k M_k = target, i.e. M^T y = target.
    let mut mt = vec![0i128; n * n];
    for (k, br) in rows.iter().enumerate() {
        match *br {
            BasisRow::Row(r) => {
                let (a, _, _) = lp.row(r);
                for (t, &x) in a.iter().enumerate() {
                    mt[t * n + k] = x as i128;
                }
            }
            BasisRow::Unit(v) => mt[v * n + k] = 1,
        }
    }
    let y = solve_square(n, &mt, target)??;
    // Re-verify the combination and the signs, exactly.
    let mut sum = vec![0i128; n];
    for (k, br) in rows.iter().enumerate() {
        let yk = y.num[k];
        if yk == 0 {
            continue;
        }
        match *br {
            BasisRow::Unit(_) => return None,
            BasisRow::Row(r) => {
                let (a, _, eq) = lp.row(r);
                if !eq && yk < 0 {
                    return None;
                }
                for (s, &x) in sum.iter_mut().zip(a) {
                    *s = s.checked_add(yk.checked_mul(x as i128)?)?;
                }
            }
        }
    }
    for (s, &t) in sum.iter().zip(target) {
        if *s != t.checked_mul(y.den)? {
            return None;
        }
    }
    Some(y)
}

/// The multipliers `y` on the basic rows as [`Multipliers`] (artificials carry zero).
fn sparse(rows: &[BasisRow], y: &IntPoint) -> Multipliers {
    let mut out = Multipliers {
        rows: Vec::with_capacity(rows.len()),
        num: Vec::with_capacity(rows.len()),
        den: y.den,
    };
    for (k, br) in rows.iter().enumerate() {
        if let (BasisRow::Row(r), true) = (br, y.num[k] != 0) {
            out.rows.push(*r);
            out.num.push(y.num[k]);
        }
    }
    out
}

/// `sum_k y_k b_{row k}` (the bound times `y.den`).
fn rhs_combination(lp: &IntLp, rows: &[BasisRow], y: &IntPoint) -> Option<i128> {
    let mut s: i128 = 0;
    for (k, br) in rows.iter().enumerate() {
        if let BasisRow::Row(r) = *br {
            if y.num[k] != 0 {
                s = s.checked_add(y.num[k].checked_mul(lp.row(r).1 as i128)?)?;
            }
        }
    }
    Some(s)
}

/// A Farkas certificate from the float run's dual-unbounded column `s`: multipliers on the
/// basic rows and on row of `s`, checked (`sum y_r a_r = 0`, `sum y_r b_r > 0`, signs).
fn farkas(lp: &IntLp, rows: &[BasisRow], s: usize) -> Option<Multipliers> {
    let cols = lp.column_rows();
    let &(rs, sg) = cols.get(s)?;
    let (a_s, b_s, eq_s) = lp.row(rs);
    // y_s = sg (an equation may enter with either sign; an inequality only with +1).
    if !eq_s && sg < 0 {
        return None;
    }
    let target: Vec<i128> = a_s.iter().map(|&x| -(sg as i128) * x as i128).collect();
    let u = multipliers(lp, rows, &target)?;
    // Total: y_s = sg * u.den (scaled), basic rows u. sum y b > 0?
    let bs = (sg as i128).checked_mul(b_s as i128)?.checked_mul(u.den)?;
    let total = rhs_combination(lp, rows, &u)?.checked_add(bs)?;
    // The basic multipliers combine to -sg a_s, so with y_s the rows combine to 0 (checked
    // in `multipliers`). A row of s that is also basic only adds up, so signs stay valid.
    if total <= 0 {
        return None;
    }
    let mut y = sparse(rows, &u);
    y.rows.push(rs);
    y.num.push((sg as i128).checked_mul(u.den)?);
    Some(y)
}

/// `c . p < t` / `== t` as an ordering of `c . num` against `t den`.
fn objective_cmp(c: &[i64], p: &IntPoint, t: i128) -> Option<std::cmp::Ordering> {
    Some(dot(c, &p.num)?.cmp(&t.checked_mul(p.den)?))
}

/// Decide `min c . v < t` over `lp` with one exact `i128` certificate: the float twin
/// picks the side, then a primal point (checked against every row) or dual multipliers
/// (checked combination, bound `>= t`); the other side if that fails. `None` when neither
/// certifies (unbounded, failed float run, overflow, wrong basis): the caller must use the
/// generic path. Returns the float time and the certification time too.
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
/// the last final tableau and basis, for [`float::solve_rows_cached`].
#[derive(Debug, Default, Clone)]
pub struct WarmStart {
    tableau: Option<float::WarmTableau>,
    basis: Vec<usize>,
}

impl WarmStart {
    /// The float run for objective `c`, from the cached tableau or basis when possible;
    /// remembers the final basis when it is an optimum on structural columns.
    fn float(&mut self, lp: &IntLp, c: &[f64]) -> float::FloatResult {
        let fr = float::solve_rows_cached(
            lp.n,
            &lp.fa,
            &lp.fb,
            &lp.eq,
            c,
            &mut self.tableau,
            &self.basis,
        );
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

/// Certify `min c . v < t` exactly from a guess (see [`compare_min`]): `None` when the guess
/// does not lead to a checked certificate, and the caller must decide by the generic path.
pub fn certify_min(lp: &IntLp, c: &[i64], t: i128, guess: &Guess) -> Option<IntComparison> {
    certify_compare(lp, c, t, &guess.fr)
}

/// Certify feasibility exactly from a guess of the feasibility LP: a point checked against
/// every row, or a checked Farkas vector; `None` when neither can be built.
pub fn certify_feasible(lp: &IntLp, guess: &Guess) -> Option<Result<IntPoint, Multipliers>> {
    let rows = basis_rows(lp, &guess.fr.basis)?;
    match guess.fr.status {
        FloatStatus::Optimal => Some(Ok(primal_point(lp, &rows)?)),
        FloatStatus::DualUnbounded(s) => Some(Err(farkas(lp, &rows, s)?)),
        _ => None,
    }
}

fn certify_compare(
    lp: &IntLp,
    c: &[i64],
    t: i128,
    fr: &float::FloatResult,
) -> Option<IntComparison> {
    use std::cmp::Ordering;
    let rows = basis_rows(lp, &fr.basis)?;
    match fr.status {
        FloatStatus::Optimal => {
            let primal = || -> Option<IntComparison> {
                let p = primal_point(lp, &rows)?;
                (objective_cmp(c, &p, t)? == Ordering::Less).then_some(IntComparison::Below(p))
            };
            let dual = || -> Option<IntComparison> {
                let target: Vec<i128> = c.iter().map(|&x| x as i128).collect();
                let y = multipliers(lp, &rows, &target)?;
                let bound = rhs_combination(lp, &rows, &y)?;
                let tt = t.checked_mul(y.den)?;
                match bound.cmp(&tt) {
                    Ordering::Less => None,
                    Ordering::Greater => Some(IntComparison::AtLeast {
                        equal: false,
                        dual: sparse(&rows, &y),
                    }),
                    // No point attaining t is computed: measured, the extra exact solve
                    // and row check cost more than the pool point saves.
                    Ordering::Equal => Some(IntComparison::AtLeast {
                        equal: true,
                        dual: sparse(&rows, &y),
                    }),
                }
            };
            let tf = t as f64;
            let below = fr.value < tf - 1e-9 * tf.abs().max(1.0);
            if below {
                primal().or_else(dual)
            } else {
                dual().or_else(primal)
            }
        }
        FloatStatus::DualUnbounded(s) => {
            let farkas = farkas(lp, &rows, s)?;
            Some(IntComparison::Infeasible { farkas })
        }
        FloatStatus::DualInfeasible => below_along_ray(lp, &rows, c, t),
        FloatStatus::PrimalRay(r) => below_along_row_ray(lp, &rows, r, *fr.basis.get(r)?, c, t),
        FloatStatus::Failed => None,
    }
}

/// The float run says the minimum is unbounded: take the basis's recession direction
/// (basic rows tight and homogeneous, the remaining variables set by the phase-1 rule),
/// a feasible point (a feasibility LP), and step along the direction until the objective
/// is below `t`. The final point is checked against every row; nothing else is trusted.
fn below_along_ray(lp: &IntLp, rows: &[BasisRow], c: &[i64], t: i128) -> Option<IntComparison> {
    let n = lp.n;
    let mut m = vec![0i128; n * n];
    let mut rhs = vec![0i128; n];
    for (k, br) in rows.iter().enumerate() {
        match *br {
            BasisRow::Row(r) => {
                for (x, &a) in m[k * n..(k + 1) * n].iter_mut().zip(lp.row(r).0) {
                    *x = a as i128;
                }
            }
            BasisRow::Unit(v) => {
                m[k * n + v] = 1;
                rhs[k] = if c[v] < 0 { 1 } else { -1 };
            }
        }
    }
    let ray = solve_square(n, &m, &rhs)??;
    let cr = dot(c, &ray.num)?;
    if cr >= 0 {
        return None;
    }
    let fr = lp.float(None);
    let frows = basis_rows(lp, &fr.basis)?;
    let p = match fr.status {
        FloatStatus::Optimal => primal_point(lp, &frows)?,
        FloatStatus::DualUnbounded(s) => {
            let farkas = farkas(lp, &frows, s)?;
            return Some(IntComparison::Infeasible { farkas });
        }
        _ => return None,
    };
    step_below(lp, &p, &ray, cr, c, t)
}

/// The dual simplex ended on a dual-feasible structural basis whose basic row `r` cannot be
/// repaired: row `r` of the inverse basis is a recession direction `u` (`a_k . u = 0` on
/// the other basic rows, `= sign` on row `r`; every row keeps `a . u >= 0`, `c . u < 0`),
/// and the basis vertex is a point of the polyhedron. Step along `u` below `t`; the final
/// point is checked against every row.
fn below_along_row_ray(
    lp: &IntLp,
    rows: &[BasisRow],
    r: usize,
    col: usize,
    c: &[i64],
    t: i128,
) -> Option<IntComparison> {
    let n = lp.n;
    let cols = lp.column_rows();
    let mut m = vec![0i128; n * n];
    let mut rhs = vec![0i128; n];
    for (k, br) in rows.iter().enumerate() {
        let BasisRow::Row(row) = *br else {
            return None;
        };
        for (x, &a) in m[k * n..(k + 1) * n].iter_mut().zip(lp.row(row).0) {
            *x = a as i128;
        }
    }
    rhs[r] = cols.get(col)?.1 as i128;
    let ray = solve_square(n, &m, &rhs)??;
    let cr = dot(c, &ray.num)?;
    if cr >= 0 {
        return None;
    }
    let p = primal_point(lp, rows)?;
    step_below(lp, &p, &ray, cr, c, t)
}

/// `p + lambda ray` with the least integer `lambda >= 0` putting `c . v` below `t`, checked.
fn step_below(
    lp: &IntLp,
    p: &IntPoint,
    ray: &IntPoint,
    cr: i128,
    c: &[i64],
    t: i128,
) -> Option<IntComparison> {
    // p + lambda ray = (num + lambda den ray) / den; need c . num + lambda den cr < t den.
    let cp = dot(c, &p.num)?;
    let td = t.checked_mul(p.den)?;
    let lambda: i128 = if cp < td {
        0
    } else {
        let step = p.den.checked_mul(-cr)?;
        (cp - td) / step + 1
    };
    let mut num = p.num.clone();
    for (x, r) in num.iter_mut().zip(&ray.num) {
        *x = x.checked_add(lambda.checked_mul(p.den)?.checked_mul(*r)?)?;
    }
    let q = IntPoint { num, den: p.den };
    (lp.satisfies_all(&q)? && objective_cmp(c, &q, t)? == std::cmp::Ordering::Less)
        .then_some(IntComparison::Below(q))
}

/// A point of the polyhedron (checked against every row), `Some(Err(farkas))` if it is
/// empty (checked Farkas vector), `None` if the fast path could not certify either. Returns the
/// float and certification times too.
pub fn feasible(
    lp: &IntLp,
) -> (
    Option<Result<IntPoint, Multipliers>>,
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
    Option<Result<IntPoint, Multipliers>>,
    std::time::Duration,
    std::time::Duration,
) {
    let t0 = std::time::Instant::now();
    let guess = guess_min(lp, &vec![0.0; lp.n], warm);
    let t1 = std::time::Instant::now();
    let r = certify_feasible(lp, &guess);
    (r, t1 - t0, t1.elapsed())
}
