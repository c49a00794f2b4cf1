//! Exact lower bounds on the error of a whole leaf (a tuple of patterns), computed from
//! bit sets without solving anything; they let the search skip most leaves.
//!
//! At a point `x_i` covered by no pattern every neuron is inactive, so `phi(x_i) = 0` and the
//! point costs exactly its label. For ReLU a point covered only by neurons with output weight
//! `+1` has `phi(x_i) >= 0` (closed constraints: the pre-activations are `>= 0` there), so it
//! costs at least `[-y_i]_+`; covered only by `-1` neurons it costs at least `[y_i]_+`.
//! Summed (or maximised, for `max`) over the points, this is a lower bound on the leaf's
//! optimum. Labels are scaled to integers by the common denominator `L`, so the bound is an
//! exact `i128` in units of `1/L` (`1/L^2` for `squared`).

use crate::model::Loss;
use crate::num::{Int, Natural, Rational};

/// Per-point costs for the three coverage cases, in integer units.
#[derive(Debug, Clone)]
pub(crate) struct Costs {
    loss: Loss,
    /// Cost when no neuron covers the point.
    none: Vec<i128>,
    /// Cost when only `+1` neurons cover it.
    pos: Vec<i128>,
    /// Cost when only `-1` neurons cover it.
    neg: Vec<i128>,
    /// Bound value `v` stands for the error `v / scale`.
    scale: Rational,
    /// Number of 64-bit words of a point set.
    pub words: usize,
    /// For `n <= 64` and sums of small costs: the costs as bit planes (`none`, `pos`,
    /// `neg`; plane `b` holds bit `b` of every point's cost), so a bound is a few popcounts.
    planes: Option<[Vec<u64>; 3]>,
    /// For pairs of ReLU neurons (see [`Costs::pair_bound`]): the sum of `none`, and bit
    /// planes of `none - pos`, `none - neg` and `none - pos - neg` (all non-negative).
    pair: Option<PairPlanes>,
}

#[derive(Debug, Clone)]
struct PairPlanes {
    total: i128,
    both_pos: Vec<u64>,
    both_neg: Vec<u64>,
    mixed: Vec<u64>,
}

/// Bit planes of non-negative costs below `2^16` (`None` otherwise).
fn bit_planes(costs: &[i128]) -> Option<Vec<u64>> {
    if costs.len() > 64 || costs.iter().any(|&c| !(0..1 << 16).contains(&c)) {
        return None;
    }
    let top = costs.iter().copied().max().unwrap_or(0);
    let nplanes = 128 - top.leading_zeros() as usize;
    Some(
        (0..nplanes)
            .map(|b| {
                costs
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c >> b & 1 == 1)
                    .fold(0u64, |m, (i, _)| m | 1 << i)
            })
            .collect(),
    )
}

fn plane_sum(planes: &[u64], set: u64) -> i128 {
    planes
        .iter()
        .enumerate()
        .map(|(b, &p)| i128::from((p & set).count_ones()) << b)
        .sum()
}

fn to_i128(v: &Int) -> Option<i128> {
    i128::try_from(v.clone()).ok()
}

impl Costs {
    /// The costs for labels `ys` under `loss`. If the scaled labels do not fit comfortably in
    /// `i128`, all costs are 0 (no pruning; still exact).
    pub(crate) fn new(loss: Loss, ys: &[Rational]) -> Costs {
        use dashu_int::ops::Gcd;
        let n = ys.len();
        let words = n.div_ceil(64).max(1);
        let lcm = ys.iter().fold(Natural::ONE, |acc, v| {
            let g = (&acc).gcd(v.denominator());
            &acc / &g * v.denominator()
        });
        let ints: Option<Vec<i128>> = ys
            .iter()
            .map(|v| {
                let s = v.numerator() * Int::from(&lcm / v.denominator());
                to_i128(&s).filter(|x| x.unsigned_abs() < (1u128 << 50))
            })
            .collect();
        let zeros = || Costs {
            loss,
            none: vec![0; n],
            pos: vec![0; n],
            neg: vec![0; n],
            scale: Rational::ONE,
            words,
            planes: None,
            pair: None,
        };
        let Some(ints) = ints else { return zeros() };
        let l = Rational::from(Int::from(lcm));
        let f = |t: i128| -> i128 {
            match loss {
                Loss::Squared => t * t,
                Loss::Abs | Loss::Max => t,
                Loss::ZeroOne => i128::from(t != 0),
            }
        };
        let none: Vec<i128> = ints.iter().map(|&y| f(y.abs())).collect();
        let pos: Vec<i128> = ints.iter().map(|&y| f((-y).max(0))).collect();
        let neg: Vec<i128> = ints.iter().map(|&y| f(y.max(0))).collect();
        let planes = if loss == Loss::Max {
            None
        } else {
            match (bit_planes(&none), bit_planes(&pos), bit_planes(&neg)) {
                (Some(a), Some(b), Some(c)) => Some([a, b, c]),
                _ => None,
            }
        };
        let pair = if loss == Loss::Max {
            None
        } else {
            let diff = |f: &dyn Fn(usize) -> i128| -> Vec<i128> { (0..n).map(f).collect() };
            let planes = (
                bit_planes(&diff(&|i| none[i] - pos[i])),
                bit_planes(&diff(&|i| none[i] - neg[i])),
                bit_planes(&diff(&|i| none[i] - pos[i] - neg[i])),
            );
            match planes {
                (Some(both_pos), Some(both_neg), Some(mixed)) => Some(PairPlanes {
                    total: none.iter().sum(),
                    both_pos,
                    both_neg,
                    mixed,
                }),
                _ => None,
            }
        };
        Costs {
            pair,
            loss,
            none,
            pos,
            neg,
            scale: match loss {
                Loss::Squared => &l * &l,
                Loss::Abs | Loss::Max => l,
                Loss::ZeroOne => Rational::ONE,
            },
            words,
            planes,
        }
    }

    /// The bound for a leaf whose `+1` patterns cover `pos` and `-1` patterns cover `neg`
    /// (threshold networks: pass the union as both).
    pub(crate) fn bound(&self, pos: &[u64], neg: &[u64]) -> i128 {
        let n = self.none.len();
        if let Some([none, pc, nc]) = &self.planes {
            let valid = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
            let (p, q) = (pos[0], neg[0]);
            return plane_sum(none, !(p | q) & valid)
                + plane_sum(pc, p & !q & valid)
                + plane_sum(nc, q & !p & valid);
        }
        let mut total: i128 = 0;
        for w in 0..self.words {
            let valid = if (w + 1) * 64 <= n {
                u64::MAX
            } else {
                (1u64 << (n - w * 64)) - 1
            };
            let (p, q) = (pos[w], neg[w]);
            for (mask, costs) in [
                (!(p | q) & valid, &self.none),
                (p & !q & valid, &self.pos),
                (q & !p & valid, &self.neg),
            ] {
                let mut m = mask;
                while m != 0 {
                    let i = w * 64 + m.trailing_zeros() as usize;
                    m &= m - 1;
                    let c = costs[i];
                    if self.loss == Loss::Max {
                        total = total.max(c);
                    } else {
                        total += c;
                    }
                }
            }
        }
        total
    }

    /// Whether [`Costs::pair_bound`] is available (sums of small costs, `n <= 64`).
    pub(crate) fn has_pair_bound(&self) -> bool {
        self.pair.is_some()
    }

    /// `sum_{i in set} (c_i - none_i)` with `c = pos` (`sign > 0`) or `neg`: what covering
    /// `set` by one ReLU of that sign changes in the bound (single-word sets).
    pub(crate) fn item_partial(&self, set: u64, sign: i8) -> i128 {
        let c = if sign > 0 { &self.pos } else { &self.neg };
        let mut m = set;
        let mut total = 0;
        while m != 0 {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            total += c[i] - self.none[i];
        }
        total
    }

    /// [`Costs::bound`] of a pair of ReLU neurons `A`, `B` from their
    /// [`Costs::item_partial`]s and the intersection `inter = A & B`. With `w` the costs,
    /// the bound is `sum none + partial(A) + partial(B) + sum_{A & B} corr`, where the
    /// correction adds back what the intersection counted twice: `none - pos` (both `+1`),
    /// `none - neg` (both `-1`) or `none - pos - neg` (mixed: covered by both signs costs 0).
    /// Requires [`Costs::has_pair_bound`].
    pub(crate) fn pair_bound(
        &self,
        partial_a: i128,
        sign_a: i8,
        partial_b: i128,
        sign_b: i8,
        inter: u64,
    ) -> i128 {
        let pp = self.pair.as_ref().expect("pair bound available");
        let corr = match (sign_a > 0, sign_b > 0) {
            (true, true) => &pp.both_pos,
            (false, false) => &pp.both_neg,
            _ => &pp.mixed,
        };
        pp.total + partial_a + partial_b + plane_sum(corr, inter)
    }

    /// Number of points.
    pub(crate) fn n(&self) -> usize {
        self.none.len()
    }

    /// Like [`Costs::bound`], counting only the points in `only` (single-word sets,
    /// `n <= 64`).
    pub(crate) fn bound_masked(&self, pos: &[u64], neg: &[u64], only: u64) -> i128 {
        let (p, q) = (pos[0] & only, neg[0] & only);
        let mut total: i128 = 0;
        for (mask, costs) in [
            (!(p | q) & only, &self.none),
            (p & !q, &self.pos),
            (q & !p, &self.neg),
        ] {
            let mut m = mask;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                m &= m - 1;
                if self.loss == Loss::Max {
                    total = total.max(costs[i]);
                } else {
                    total += costs[i];
                }
            }
        }
        total
    }

    /// The largest integer bound `v` with `v / scale <= t` (bounds above it prove the leaf
    /// cannot reach error `<= t`).
    pub(crate) fn cut_above(&self, t: &Rational) -> i128 {
        let v = (t * &self.scale).floor();
        i128::try_from(v).unwrap_or(i128::MAX)
    }

    /// The largest integer bound `v` with `v / scale < t` (bounds above it prove the leaf
    /// cannot beat error `t`).
    pub(crate) fn cut_below(&self, t: &Rational) -> i128 {
        let v = (t * &self.scale).ceil() - Int::ONE;
        i128::try_from(v).unwrap_or(i128::MAX)
    }

    /// The scale: bound value `v` stands for the error `v / scale`.
    pub(crate) fn scale(&self) -> &Rational {
        &self.scale
    }

    /// The error that bound value `v` stands for.
    #[cfg(test)]
    pub(crate) fn value(&self, v: i128) -> Rational {
        Rational::from(Int::from(v)) / &self.scale
    }
}

/// A point set as bits.
pub(crate) fn bits(members: &[usize], words: usize) -> Vec<u64> {
    let mut out = vec![0u64; words];
    for &i in members {
        out[i / 64] |= 1 << (i % 64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    #[test]
    fn bound_cases() {
        let ys = [int(2), ratio(-1, 2), int(0), int(3)];
        let c = Costs::new(Loss::Abs, &ys);
        // Nothing covered: 2 + 1/2 + 0 + 3.
        let none = vec![0u64];
        assert_eq!(c.value(c.bound(&none, &none)), ratio(11, 2));
        // Points 0 and 1 covered by +: point 1 still costs 1/2; point 3 uncovered costs 3.
        let p = bits(&[0, 1], 1);
        assert_eq!(c.value(c.bound(&p, &none)), ratio(7, 2));
        assert_eq!(c.cut_above(&ratio(7, 2)), 7);
        assert_eq!(c.cut_below(&ratio(7, 2)), 6);
        let z = Costs::new(Loss::ZeroOne, &ys);
        assert_eq!(z.bound(&p, &p), 1);
        let m = Costs::new(Loss::Max, &ys);
        assert_eq!(m.value(m.bound(&none, &none)), int(3));
    }

    #[test]
    fn bit_planes_agree_with_the_point_loop() {
        let mut rng = crate::rng::Rng::new(5);
        for n in [1usize, 7, 40, 64] {
            let ys: Vec<Rational> = (0..n)
                .map(|_| ratio(rng.below(401) as i64 - 200, 1 + rng.below(4) as i64))
                .collect();
            for loss in [Loss::Abs, Loss::Squared, Loss::ZeroOne] {
                let fast = Costs::new(loss, &ys);
                assert!(fast.planes.is_some() || loss == Loss::Squared);
                assert!(fast.has_pair_bound() || loss == Loss::Squared);
                let slow = Costs {
                    planes: None,
                    pair: None,
                    ..fast.clone()
                };
                for _ in 0..200 {
                    let mask = |r: u64| if n == 64 { r } else { r & ((1 << n) - 1) };
                    let p = [mask(rng.next_u64() & rng.next_u64())];
                    let q = [mask(rng.next_u64() & rng.next_u64())];
                    assert_eq!(fast.bound(&p, &q), slow.bound(&p, &q));
                    // Pairs of ReLUs: A, B with signs; p/q are the unions by sign.
                    let (a, b) = (p[0], q[0]);
                    for (sa, sb) in [(1i8, 1i8), (1, -1), (-1, 1), (-1, -1)] {
                        let by_sign = |s: i8, set: u64| if s > 0 { (set, 0) } else { (0, set) };
                        let (ap, aq) = by_sign(sa, a);
                        let (bp, bq) = by_sign(sb, b);
                        let expected = slow.bound(&[ap | bp], &[aq | bq]);
                        if fast.has_pair_bound() {
                            let got = fast.pair_bound(
                                fast.item_partial(a, sa),
                                sa,
                                fast.item_partial(b, sb),
                                sb,
                                a & b,
                            );
                            assert_eq!(got, expected, "signs {sa} {sb}");
                        }
                    }
                }
            }
        }
    }
}
