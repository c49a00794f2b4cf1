//! Planted instances for the exact solvers: a random ReLU network with `k` neurons in `d`
//! dimensions (convex or concave for ExactFit, Theorem 11; or with mixed output signs for
//! the pattern search and the enumeration), `n` rational data points labelled exactly by
//! it, and optionally a "near miss" (one label nudged), which is usually not fittable and
//! exercises the "no" side.
//!
//! [`mixed_signs`] is the enumeration benchmark's family (any output signs, `abs` loss,
//! optional label noise; `docs/benchmarks-enumerate.md`).
//!
//! Randomness comes from the crate's SplitMix64 ([`crate::rng`]), deterministic per seed, so
//! instances are reproducible across platforms.

use crate::model::{Activation, Instance, Loss, Network, Neuron, Point};
use crate::num::{int, ratio, Rational};
use crate::solve::Signs;
use crate::verify::evaluate;
use serde_json::json;

pub use crate::rng::SplitMix64;

/// The two draws the planted generator needs, on the crate's [`SplitMix64`] (kept as
/// plain modulo draws so that seeds reproduce the instances of the published benchmarks).
pub trait SmallDraws {
    /// Integer in `[-r, r]`.
    fn int_in(&mut self, r: i64) -> i64;
    /// Index in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize;
}

impl SmallDraws for SplitMix64 {
    fn int_in(&mut self, r: i64) -> i64 {
        (self.next_u64() % (2 * r as u64 + 1)) as i64 - r
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Output signs of a planted network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlantedSigns {
    /// All `a_j = +1`.
    Convex,
    /// All `a_j = -1`.
    Concave,
    /// The last `negative` neurons have `a_j = -1`, the others `+1`.
    Mixed {
        /// How many neurons have `a_j = -1`.
        negative: usize,
    },
}

impl From<Signs> for PlantedSigns {
    fn from(s: Signs) -> Self {
        match s {
            Signs::Convex => PlantedSigns::Convex,
            Signs::Concave => PlantedSigns::Concave,
        }
    }
}

impl std::fmt::Display for PlantedSigns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlantedSigns::Convex => f.write_str("convex"),
            PlantedSigns::Concave => f.write_str("concave"),
            // No negative neuron: every output weight is +1 (a convex network).
            PlantedSigns::Mixed { negative: 0 } => f.write_str("0 negative (all +1, convex)"),
            PlantedSigns::Mixed { negative } => write!(f, "mixed ({negative} negative)"),
        }
    }
}

impl PlantedSigns {
    /// The output weight of neuron `j` of `k`.
    fn weight(self, j: usize, k: usize) -> Rational {
        let negative = match self {
            PlantedSigns::Convex => false,
            PlantedSigns::Concave => true,
            PlantedSigns::Mixed { negative } => j + negative >= k,
        };
        int(if negative { -1 } else { 1 })
    }
}

/// What to plant.
#[derive(Debug, Clone)]
pub struct PlantedSpec {
    /// Input dimension.
    pub d: usize,
    /// Neurons of the planted network (and the instance's width).
    pub k: usize,
    /// Number of data points.
    pub n: usize,
    /// Output signs.
    pub signs: PlantedSigns,
    /// Nudge one label by `1/7` after labelling (a "near miss").
    pub near_miss: bool,
    /// Coordinates are multiples of `1/denominator` in `[-range, range]`.
    pub range: i64,
    /// Denominator of the coordinates.
    pub denominator: i64,
    /// Seed.
    pub seed: u64,
}

impl Default for PlantedSpec {
    fn default() -> Self {
        PlantedSpec {
            d: 2,
            k: 2,
            n: 20,
            signs: PlantedSigns::Convex,
            near_miss: false,
            range: 10,
            denominator: 4,
            seed: 1,
        }
    }
}

/// A planted instance with the network that labels it.
#[derive(Debug, Clone)]
pub struct Planted {
    /// The instance (ReLU, `gamma = 0`, squared loss).
    pub instance: Instance,
    /// The planted network (fits the instance exactly unless a label was nudged).
    pub network: Network,
    /// Index of the nudged point, for near misses.
    pub nudged: Option<usize>,
}

/// Generate a planted instance (deterministic in `spec`).
pub fn planted(spec: &PlantedSpec) -> Planted {
    let mut rng = SplitMix64::new(spec.seed ^ 0x005E_ED0F_7E1A_0000);
    let den = spec.denominator.max(1);
    let coord = |rng: &mut SplitMix64| ratio(rng.int_in(spec.range * den), den);
    let neurons: Vec<Neuron> = (0..spec.k)
        .map(|j| {
            let mut w: Vec<Rational> = (0..spec.d).map(|_| int(rng.int_in(5))).collect();
            if w.iter().all(|x| *x == Rational::ZERO) && spec.d > 0 {
                w[0] = int(1);
            }
            // Breakline through a random point of the box, so every piece shows in the data.
            let c: Vec<Rational> = (0..spec.d).map(|_| coord(&mut rng)).collect();
            let b = -w
                .iter()
                .zip(&c)
                .fold(Rational::ZERO, |acc, (wi, ci)| acc + wi * ci);
            Neuron::new(w, b, spec.signs.weight(j, spec.k))
        })
        .collect();
    let network = Network::new(Activation::Relu, neurons);
    let xs: Vec<Vec<Rational>> = (0..spec.n)
        .map(|_| (0..spec.d).map(|_| coord(&mut rng)).collect())
        .collect();
    let refs: Vec<&[Rational]> = xs.iter().map(Vec::as_slice).collect();
    let ys = evaluate(&network, &refs).values;
    let mut points: Vec<Point> = xs
        .into_iter()
        .zip(ys)
        .map(|(x, y)| Point::new(x, y))
        .collect();
    let nudged = if spec.near_miss && !points.is_empty() {
        let i = rng.below(points.len());
        points[i].y += ratio(1, 7);
        Some(i)
    } else {
        None
    };
    let meta = json!({
        "generator": "planted",
        "signs": spec.signs.to_string(),
        "d": spec.d, "k": spec.k, "n": spec.n,
        "seed": spec.seed,
        "near_miss": nudged,
        "planted_network": crate::io::network_to_json(&network),
    });
    let instance = Instance {
        activation: Activation::Relu,
        k: spec.k,
        gamma: Rational::ZERO,
        loss: Loss::Squared,
        lp: None,
        points,
        meta,
    };
    Planted {
        instance,
        network,
        nudged,
    }
}

/// The enumeration benchmark's instances (`docs/benchmarks-enumerate.md`): `n` distinct
/// integer points in `[-10, 10]^2`, labelled by the planted network
/// `[x1 + 2 x2 + 1]_+ - [-2 x1 + x2 + 3]_+` (output weights `+1` and `-1`), plus, if `noisy`,
/// noise in `{-1, -1/2, 0, 1/2, 1}` on every label; `k = 2`, `abs` loss, `gamma = 0`.
pub fn mixed_signs(n: usize, seed: u64, noisy: bool) -> Instance {
    let mut rng = SplitMix64::new(seed);
    let mut xs: Vec<Vec<Rational>> = Vec::new();
    while xs.len() < n.min(441) {
        let x = vec![int(rng.int_in(10)), int(rng.int_in(10))];
        if !xs.contains(&x) {
            xs.push(x);
        }
    }
    let net = Network::new(
        Activation::Relu,
        vec![
            Neuron::new(vec![int(1), int(2)], int(1), int(1)),
            Neuron::new(vec![int(-2), int(1)], int(3), int(-1)),
        ],
    );
    let refs: Vec<&[Rational]> = xs.iter().map(|x| x.as_slice()).collect();
    let values = evaluate(&net, &refs).values;
    let points = xs
        .into_iter()
        .zip(values)
        .map(|(x, v)| {
            let noise = if noisy {
                ratio(rng.int_in(2), 2)
            } else {
                Rational::ZERO
            };
            Point::new(x, v + noise)
        })
        .collect();
    Instance {
        activation: Activation::Relu,
        k: 2,
        gamma: Rational::ZERO,
        loss: Loss::Abs,
        lp: None,
        points,
        meta: json!({"generator": "enumerate_bench", "n": n, "seed": seed, "noisy": noisy}),
    }
}
