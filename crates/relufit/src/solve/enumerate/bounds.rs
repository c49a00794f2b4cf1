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
pub struct Costs {
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
    pub fn new(loss: Loss, ys: &[Rational]) -> Costs {
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
        Costs {
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
    pub fn bound(&self, pos: &[u64], neg: &[u64]) -> i128 {
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

    /// Number of points.
    pub fn n(&self) -> usize {
        self.none.len()
    }

    /// Like [`Costs::bound`], counting only the points in `only` (single-word sets,
    /// `n <= 64`).
    pub fn bound_masked(&self, pos: &[u64], neg: &[u64], only: u64) -> i128 {
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
    pub fn cut_above(&self, t: &Rational) -> i128 {
        let v = (t * &self.scale).floor();
        i128::try_from(v).unwrap_or(i128::MAX)
    }

    /// The largest integer bound `v` with `v / scale < t` (bounds above it prove the leaf
    /// cannot beat error `t`).
    pub fn cut_below(&self, t: &Rational) -> i128 {
        let v = (t * &self.scale).ceil() - Int::ONE;
        i128::try_from(v).unwrap_or(i128::MAX)
    }

    /// The scale: bound value `v` stands for the error `v / scale`.
    pub fn scale(&self) -> &Rational {
        &self.scale
    }

    /// The error that bound value `v` stands for.
    pub fn value(&self, v: i128) -> Rational {
        Rational::from(Int::from(v)) / &self.scale
    }
}

/// A point set as bits.
pub fn bits(members: &[usize], words: usize) -> Vec<u64> {
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
                let slow = Costs {
                    planes: None,
                    ..fast.clone()
                };
                for _ in 0..200 {
                    let mask = |r: u64| if n == 64 { r } else { r & ((1 << n) - 1) };
                    let p = [mask(rng.next_u64() & rng.next_u64())];
                    let q = [mask(rng.next_u64() & rng.next_u64())];
                    assert_eq!(fast.bound(&p, &q), slow.bound(&p, &q));
                }
            }
        }
    }
}
