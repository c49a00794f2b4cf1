//! One leaf of the enumeration: fixed patterns (and, for ReLU, output signs) for the
//! neurons, and the convex problem that remains.
//!
//! ReLU (Arora et al.): with the pattern `P_j` and sign `s_j` of every neuron fixed, the
//! constraints `w_j . x_i + b_j >= 0` (`i in P_j`) and `<= 0` (`i not in P_j`) are closed and
//! linear, and on them `phi(x_i) = sum_{j : i in P_j} s_j (w_j . x_i + b_j)` is linear in the
//! parameters (a point on a breakline contributes 0 either way). So `gamma = 0` is an LP
//! feasibility question and `abs`/`max` are LPs with auxiliary variables; every answer is an
//! exact certified [`crate::lp`] answer.
//!
//! Threshold (Khalife and Basu): the patterns are strict dichotomies with exact witnesses,
//! so the hidden layer is fixed exactly; the output weights `a` solve a linear problem in
//! `Q^k`: exact linear algebra (`gamma = 0`, `squared`), an LP (`abs`, `max`), or a finite
//! search over which signature classes hit which label (`zero-one`).

use crate::linalg::{least_squares, solve_consistent};
use crate::lp::{self, Lp, LpAnswer, Sense};
use crate::model::{Activation, Loss, Network, Neuron};
use crate::num::{abs, Rational};
use crate::verify::training_error;

/// One item of the search: a dichotomy with its witness and, for ReLU, an output sign.
#[derive(Debug, Clone)]
pub struct Item {
    /// Points strictly inside (ascending).
    pub inside: Vec<usize>,
    /// Membership as bits.
    pub bits: Vec<u64>,
    /// Output sign `+1`/`-1` (ReLU); `0` for threshold items.
    pub sign: i8,
    /// Exact witness weights of the dichotomy.
    pub w: Vec<Rational>,
    /// Exact witness bias.
    pub b: Rational,
    /// The points whose pattern rows are not implied by the others (`d = 2`: the hull
    /// vertices of both sides, [`super::l1::pattern_support`]); `None`: all points.
    pub support: Option<Vec<usize>>,
}

/// What to compute at a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Is there a network with error 0 (the same for every loss)?
    Exact,
    /// The least error under this loss.
    Minimize(Loss),
}

/// The answer at one leaf.
#[derive(Debug, Clone)]
pub enum LeafAnswer {
    /// The leaf's optimum `value` (`0` for [`Goal::Exact`]), attained by `network`.
    Best {
        /// A network attaining it (width `k`, padded with zero neurons).
        network: Network,
        /// Its exact error (LP optimum, certified).
        value: Rational,
    },
    /// No network with these patterns reaches error 0 (Farkas certificate or an
    /// inconsistent linear system).
    Infeasible,
    /// The leaf's optimum is at least the cutoff it was given (checked dual bound), so it
    /// cannot improve on the incumbent.
    Cut,
    /// An LP certificate failed its exact check.
    Failed(String),
}

/// The data of the instance in the form the leaves use.
#[derive(Debug, Clone)]
pub struct Data {
    /// Inputs.
    pub xs: Vec<Vec<Rational>>,
    /// Labels.
    pub ys: Vec<Rational>,
    /// Dimension.
    pub d: usize,
    /// Width of the networks to return.
    pub k: usize,
    /// The data in integers for the fast `abs` leaf ([`super::l1`]); `None` when the
    /// numbers are too large for it.
    pub ints: Option<super::l1::IntData>,
}

impl Data {
    fn pad(&self, activation: Activation, mut neurons: Vec<Neuron>) -> Network {
        while neurons.len() < self.k {
            neurons.push(Neuron::zero(self.d));
        }
        Network::new(activation, neurons)
    }
}

/// Solve the ReLU leaf with `items` (pattern, sign); `lps` counts LPs. With a `cutoff`
/// (the incumbent's error), an LP leaf whose optimum is provably `>= cutoff` is answered
/// [`LeafAnswer::Cut`] after one certified comparison ([`lp::compare_min`]) instead of a
/// full solve.
pub fn relu_leaf(
    data: &Data,
    items: &[&Item],
    goal: Goal,
    cutoff: Option<&Rational>,
    lps: &mut u64,
) -> LeafAnswer {
    let (d, n) = (data.d, data.xs.len());
    let kk = items.len();
    if let Some(ints) = &data.ints {
        let fast = match goal {
            Goal::Minimize(Loss::Abs) => {
                *lps += 1;
                fast_abs_leaf(data, ints, items, cutoff)
            }
            Goal::Exact => {
                *lps += 1;
                fast_exact_leaf(data, ints, items)
            }
            Goal::Minimize(_) => None,
        };
        if let Some(answer) = fast {
            return answer;
        }
    }
    let base = kk * (d + 1);
    // The rows phi(x_i) as coefficient vectors over the network parameters.
    let mut covered = vec![false; n];
    let mut phi: Vec<Vec<Rational>> = vec![vec![Rational::ZERO; base]; n];
    for (j, it) in items.iter().enumerate() {
        let s = Rational::from(it.sign);
        for &i in &it.inside {
            covered[i] = true;
            for t in 0..d {
                phi[i][j * (d + 1) + t] = &data.xs[i][t] * &s;
            }
            phi[i][j * (d + 1) + d] = s.clone();
        }
    }
    if goal == Goal::Minimize(Loss::Squared) {
        return relu_squared(data, items, &phi, &covered);
    }
    let aux = match goal {
        Goal::Exact => 0,
        Goal::Minimize(Loss::Abs) => covered.iter().filter(|&&c| c).count(),
        Goal::Minimize(Loss::Max) => 1,
        Goal::Minimize(other) => {
            return LeafAnswer::Failed(format!("no LP for the {other} loss"));
        }
    };
    let nv = base + aux;
    let mut lp = Lp::new(nv);
    for (j, it) in items.iter().enumerate() {
        let mut inside = vec![false; n];
        for &i in &it.inside {
            inside[i] = true;
        }
        for (x, &ins) in data.xs.iter().zip(&inside) {
            let mut row = vec![Rational::ZERO; nv];
            row[j * (d + 1)..j * (d + 1) + d].clone_from_slice(x);
            row[j * (d + 1) + d] = Rational::ONE;
            let sense = if ins { Sense::Ge } else { Sense::Le };
            lp.push(row, sense, Rational::ZERO);
        }
    }
    let mut constant = Rational::ZERO;
    let mut t = base;
    for i in 0..n {
        let y = &data.ys[i];
        if !covered[i] {
            match goal {
                Goal::Exact if *y != Rational::ZERO => return LeafAnswer::Infeasible,
                Goal::Minimize(Loss::Abs) => constant += abs(y),
                Goal::Minimize(Loss::Max) => {
                    let mut row = vec![Rational::ZERO; nv];
                    row[base] = Rational::ONE;
                    lp.push(row, Sense::Ge, abs(y));
                }
                _ => {}
            }
            continue;
        }
        let mut row = phi[i].clone();
        row.resize(nv, Rational::ZERO);
        match goal {
            Goal::Exact => lp.push(row, Sense::Eq, y.clone()),
            Goal::Minimize(_) => {
                // t >= phi - y and t >= y - phi.
                let mut lo = row.iter().map(|v| -v).collect::<Vec<_>>();
                lo[t] = Rational::ONE;
                lp.push(lo, Sense::Ge, -y);
                let mut hi = row;
                hi[t] = Rational::ONE;
                lp.push(hi, Sense::Ge, y.clone());
                if aux > 1 {
                    t += 1;
                }
            }
        }
    }
    if let Goal::Minimize(_) = goal {
        let mut c = vec![Rational::ZERO; nv];
        for v in c.iter_mut().skip(base) {
            *v = Rational::ONE;
        }
        lp.minimize(c);
    }
    if let (Some(t), Goal::Minimize(_)) = (cutoff, goal) {
        *lps += 1;
        let mut timer = lp::LpTimer::default();
        match lp::compare_min(&lp, &(t - &constant), &mut timer) {
            Ok(lp::MinComparison::AtLeast { .. }) => return LeafAnswer::Cut,
            Ok(lp::MinComparison::Infeasible { .. }) => return LeafAnswer::Infeasible,
            // Below the cutoff (or undecided): solve to optimality below.
            Ok(lp::MinComparison::Below { .. }) | Err(_) => {}
        }
    }
    *lps += 1;
    let (point, value) = match lp::solve(&lp) {
        LpAnswer::Feasible { point } => (point, Rational::ZERO),
        LpAnswer::Optimal { point, value, .. } => (point, value + constant),
        LpAnswer::Infeasible { .. } => return LeafAnswer::Infeasible,
        LpAnswer::CertificationFailed { reason } => return LeafAnswer::Failed(reason),
        LpAnswer::Unbounded { .. } => {
            return LeafAnswer::Failed(
                "a loss LP reported unbounded (impossible: loss >= 0)".into(),
            )
        }
    };
    LeafAnswer::Best {
        network: relu_network(data, items, &point),
        value,
    }
}

/// The `abs` leaf through [`super::l1`]: a checked dual bound closes it, or the optimal
/// basis gives a network whose exact error must equal the certified bound. `None`: use the
/// generic LP.
fn fast_abs_leaf(
    data: &Data,
    ints: &super::l1::IntData,
    items: &[&Item],
    cutoff: Option<&Rational>,
) -> Option<LeafAnswer> {
    let constant = ints.uncovered_cost(items);
    let lp_cutoff = cutoff.map(|t| t - &constant);
    match super::l1::abs_leaf(ints, data.d, items, lp_cutoff.as_ref())? {
        super::l1::L1Answer::Cut => Some(LeafAnswer::Cut),
        super::l1::L1Answer::Optimum { theta, value } => {
            let network = relu_network(data, items, &theta);
            let xs: Vec<&[Rational]> = data.xs.iter().map(|x| x.as_slice()).collect();
            let values = crate::verify::evaluate(&network, &xs).values;
            let error = training_error(Loss::Abs, data.ys.iter(), &values);
            (error == value + constant).then_some(LeafAnswer::Best {
                network,
                value: error,
            })
        }
    }
}

/// The `gamma = 0` leaf through [`super::l1`]: error 0 is possible exactly when the
/// leaf's `abs` optimum is 0, so any checked dual bound `> 0` (or a non-zero label outside
/// every pattern) closes it, and an optimum 0 gives the network (re-judged exactly).
/// `None`: use the generic LP.
fn fast_exact_leaf(data: &Data, ints: &super::l1::IntData, items: &[&Item]) -> Option<LeafAnswer> {
    if ints.uncovered_cost(items) > Rational::ZERO {
        return Some(LeafAnswer::Infeasible);
    }
    // Any positive cutoff: a checked bound reaching it proves the optimum is > 0.
    let tiny = Rational::from_parts(crate::num::Int::ONE, crate::num::Natural::ONE << 64);
    match super::l1::abs_leaf(ints, data.d, items, Some(&tiny))? {
        super::l1::L1Answer::Cut => Some(LeafAnswer::Infeasible),
        super::l1::L1Answer::Optimum { value, .. } if value > Rational::ZERO => {
            Some(LeafAnswer::Infeasible)
        }
        super::l1::L1Answer::Optimum { theta, .. } => {
            let network = relu_network(data, items, &theta);
            let xs: Vec<&[Rational]> = data.xs.iter().map(|x| x.as_slice()).collect();
            let values = crate::verify::evaluate(&network, &xs).values;
            (values == data.ys).then_some(LeafAnswer::Best {
                network,
                value: Rational::ZERO,
            })
        }
    }
}

/// The leaf's ReLU network from the solved parameters `(w_j, b_j)`, `d + 1` per item in item
/// order, with each item's output sign, padded to the instance's width.
fn relu_network(data: &Data, items: &[&Item], point: &[Rational]) -> Network {
    let d = data.d;
    let neurons = items
        .iter()
        .enumerate()
        .map(|(j, it)| {
            let o = j * (d + 1);
            Neuron::new(
                point[o..o + d].to_vec(),
                point[o + d].clone(),
                Rational::from(it.sign),
            )
        })
        .collect();
    data.pad(Activation::Relu, neurons)
}

/// The squared-loss ReLU leaf: the exact active-set QP of [`super::qp`].
fn relu_squared(
    data: &Data,
    items: &[&Item],
    phi: &[Vec<Rational>],
    covered: &[bool],
) -> LeafAnswer {
    let (d, n) = (data.d, data.xs.len());
    let nv = items.len() * (d + 1);
    let mut cons = Vec::new();
    for (j, it) in items.iter().enumerate() {
        let mut inside = vec![false; n];
        for &i in &it.inside {
            inside[i] = true;
        }
        for (x, &ins) in data.xs.iter().zip(&inside) {
            let sign = if ins { Rational::ONE } else { -Rational::ONE };
            let mut row = vec![Rational::ZERO; nv];
            for t in 0..d {
                row[j * (d + 1) + t] = &x[t] * &sign;
            }
            row[j * (d + 1) + d] = sign;
            cons.push(row);
        }
    }
    let mut a = Vec::new();
    let mut y = Vec::new();
    let mut constant = Rational::ZERO;
    for i in 0..n {
        if covered[i] {
            a.push(phi[i].clone());
            y.push(data.ys[i].clone());
        } else {
            constant += &data.ys[i] * &data.ys[i];
        }
    }
    match super::qp::solve(&a, &y, &cons, nv) {
        Ok((point, value)) => LeafAnswer::Best {
            network: relu_network(data, items, &point),
            value: value + constant,
        },
        Err(reason) => LeafAnswer::Failed(reason),
    }
}

/// Solve the threshold leaf with patterns `items`; `lps` counts LPs.
pub fn threshold_leaf(data: &Data, items: &[&Item], goal: Goal, lps: &mut u64) -> LeafAnswer {
    let n = data.xs.len();
    let kk = items.len();
    let mut rows = vec![vec![Rational::ZERO; kk]; n];
    for (j, it) in items.iter().enumerate() {
        for &i in &it.inside {
            rows[i][j] = Rational::ONE;
        }
    }
    let a = match goal {
        Goal::Exact => match solve_consistent(&rows, &data.ys, kk) {
            Some(a) => a,
            None => return LeafAnswer::Infeasible,
        },
        Goal::Minimize(Loss::Squared) => least_squares(&rows, &data.ys, kk),
        Goal::Minimize(Loss::ZeroOne) => zero_one(&rows, &data.ys, kk),
        Goal::Minimize(loss) => match output_lp(&rows, &data.ys, kk, loss, lps) {
            Ok(a) => a,
            Err(reason) => return LeafAnswer::Failed(reason),
        },
    };
    let values: Vec<Rational> = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&a)
                .filter(|(m, _)| **m != Rational::ZERO)
                .fold(Rational::ZERO, |acc, (_, v)| acc + v)
        })
        .collect();
    let loss = match goal {
        Goal::Exact => Loss::Max,
        Goal::Minimize(l) => l,
    };
    let value = training_error(loss, data.ys.iter(), &values);
    if goal == Goal::Exact && value != Rational::ZERO {
        return LeafAnswer::Failed("exact solve of the output layer left a residual".into());
    }
    let neurons = items
        .iter()
        .zip(a)
        .map(|(it, aj)| Neuron::new(it.w.clone(), it.b.clone(), aj))
        .collect();
    LeafAnswer::Best {
        network: data.pad(Activation::Threshold, neurons),
        value,
    }
}

/// `min sum |A a - y|` or `min max |A a - y|` as a certified LP; returns `a`.
fn output_lp(
    rows: &[Vec<Rational>],
    ys: &[Rational],
    kk: usize,
    loss: Loss,
    lps: &mut u64,
) -> Result<Vec<Rational>, String> {
    let n = rows.len();
    let aux = if loss == Loss::Abs { n } else { 1 };
    let nv = kk + aux;
    let mut lp = Lp::new(nv);
    for (i, (r, y)) in rows.iter().zip(ys).enumerate() {
        let t = if loss == Loss::Abs { kk + i } else { kk };
        let mut lo: Vec<Rational> = r.iter().map(|v| -v).collect();
        lo.resize(nv, Rational::ZERO);
        lo[t] = Rational::ONE;
        lp.push(lo, Sense::Ge, -y);
        let mut hi = r.clone();
        hi.resize(nv, Rational::ZERO);
        hi[t] = Rational::ONE;
        lp.push(hi, Sense::Ge, y.clone());
    }
    let mut c = vec![Rational::ZERO; nv];
    for v in c.iter_mut().skip(kk) {
        *v = Rational::ONE;
    }
    lp.minimize(c);
    *lps += 1;
    match lp::solve(&lp) {
        LpAnswer::Optimal { mut point, .. } => {
            point.truncate(kk);
            Ok(point)
        }
        LpAnswer::CertificationFailed { reason } => Err(reason),
        other => Err(format!("output-layer LP answered {}", other.kind())),
    }
}

/// A signature class: its 0/1 row, and its labels with multiplicities (most frequent first).
type Class = (Vec<Rational>, Vec<(Rational, usize)>);

/// Exact zero-one optimum of the output layer: points with the same activation signature
/// get the same value `sigma . a`; choose for some signature classes a label to hit so that
/// the chosen equations are consistent, maximising the number of hits (depth-first over the
/// at most `2^k` classes, pruned by the hits still possible).
fn zero_one(rows: &[Vec<Rational>], ys: &[Rational], kk: usize) -> Vec<Rational> {
    use std::collections::BTreeMap;
    let mut classes: BTreeMap<Vec<bool>, BTreeMap<Rational, usize>> = BTreeMap::new();
    for (r, y) in rows.iter().zip(ys) {
        let sig: Vec<bool> = r.iter().map(|v| *v != Rational::ZERO).collect();
        *classes
            .entry(sig)
            .or_default()
            .entry(y.clone())
            .or_insert(0) += 1;
    }
    // The all-zero signature always has value 0: it is not a choice.
    let mut cls: Vec<Class> = classes
        .into_iter()
        .filter(|(sig, _)| sig.iter().any(|&b| b))
        .map(|(sig, labels)| {
            let mut l: Vec<(Rational, usize)> = labels.into_iter().collect();
            l.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let row = sig
                .iter()
                .map(|&b| if b { Rational::ONE } else { Rational::ZERO })
                .collect();
            (row, l)
        })
        .collect();
    cls.sort_by(|a, b| b.1[0].1.cmp(&a.1[0].1));
    let suffix: Vec<usize> = {
        let mut s = vec![0; cls.len() + 1];
        for c in (0..cls.len()).rev() {
            s[c] = s[c + 1] + cls[c].1[0].1;
        }
        s
    };
    struct St<'a> {
        cls: &'a [Class],
        suffix: &'a [usize],
        kk: usize,
        best: usize,
        best_a: Vec<Rational>,
        eqs: Vec<Vec<Rational>>,
        rhs: Vec<Rational>,
    }
    fn dfs(st: &mut St<'_>, c: usize, hits: usize) {
        if hits + st.suffix[c] <= st.best && c > 0 {
            return;
        }
        if c == st.cls.len() {
            if let Some(a) = solve_consistent(&st.eqs, &st.rhs, st.kk) {
                if hits > st.best || st.best_a.is_empty() {
                    st.best = hits;
                    st.best_a = a;
                }
            }
            return;
        }
        let cls = st.cls;
        for (v, cnt) in &cls[c].1 {
            st.eqs.push(cls[c].0.clone());
            st.rhs.push(v.clone());
            if solve_consistent(&st.eqs, &st.rhs, st.kk).is_some() {
                dfs(st, c + 1, hits + cnt);
            }
            st.eqs.pop();
            st.rhs.pop();
        }
        dfs(st, c + 1, hits);
    }
    let mut st = St {
        cls: &cls,
        suffix: &suffix,
        kk,
        best: 0,
        best_a: Vec::new(),
        eqs: Vec::new(),
        rhs: Vec::new(),
    };
    dfs(&mut st, 0, 0);
    if st.best_a.is_empty() {
        vec![Rational::ZERO; kk]
    } else {
        st.best_a
    }
}
