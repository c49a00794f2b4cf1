//! Instance builders and helpers: instances from points, random distinct inputs, random
//! networks and their labels, points on breaklines, and a plain reference evaluator of `phi`.

use super::{SmallDraws, SplitMix64};
use relufit::num::{int, ratio, Rational};
use relufit::verify::verify;
use relufit::{Activation, Instance, Loss, Network, Neuron, Point};

/// An instance from its parts (no `meta`).
pub fn instance(
    activation: Activation,
    k: usize,
    loss: Loss,
    gamma: Rational,
    points: Vec<Point>,
) -> Instance {
    Instance {
        activation,
        k,
        gamma,
        loss,
        lp: None,
        points,
        meta: serde_json::Value::Null,
    }
}

/// Points from inputs and labels.
pub fn points(xs: &[Vec<Rational>], ys: &[Rational]) -> Vec<Point> {
    assert_eq!(xs.len(), ys.len());
    xs.iter()
        .zip(ys)
        .map(|(x, y)| Point::new(x.clone(), y.clone()))
        .collect()
}

/// An integer vector as rationals.
pub fn ints(v: &[i64]) -> Vec<Rational> {
    v.iter().map(|&x| int(x)).collect()
}

/// `n` distinct inputs in `[-range, range]^d` with coordinates `m / den` (`den = 1`: integer
/// data), drawn coordinate by coordinate.
pub fn distinct_inputs(
    rng: &mut SplitMix64,
    n: usize,
    d: usize,
    range: i64,
    den: i64,
) -> Vec<Vec<Rational>> {
    let mut out: Vec<Vec<Rational>> = Vec::new();
    while out.len() < n {
        let x: Vec<Rational> = (0..d)
            .map(|_| ratio(rng.int_in(range * den), den))
            .collect();
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// A random network: weights in `[-3, 3]`, biases in `[-3, 3]` in steps of `1/2`, output
/// weights in `[-3, 3]` (ReLU networks are normalised by the solvers, not here).
pub fn random_network(rng: &mut SplitMix64, act: Activation, k: usize, d: usize) -> Network {
    Network::new(
        act,
        (0..k)
            .map(|_| {
                Neuron::new(
                    (0..d).map(|_| int(rng.int_in(3))).collect(),
                    ratio(rng.int_in(6), 2),
                    int(rng.int_in(3)),
                )
            })
            .collect(),
    )
}

/// A point on the breakline `w . x + b = 0` of `neuron` (`d <= 2`), the other coordinate
/// drawn from `[-range, range]`; `None` if the neuron has `w = 0`.
pub fn on_breakline(rng: &mut SplitMix64, neuron: &Neuron, range: i64) -> Option<Vec<Rational>> {
    let w = &neuron.w;
    let free = ratio(rng.int_in(2 * range), 2);
    match w.len() {
        1 if w[0] != Rational::ZERO => Some(vec![-&neuron.b / &w[0]]),
        2 if w[1] != Rational::ZERO => {
            let x2 = -(&neuron.b + &w[0] * &free) / &w[1];
            Some(vec![free, x2])
        }
        2 if w[0] != Rational::ZERO => Some(vec![-&neuron.b / &w[0], free]),
        _ => None,
    }
}

/// `phi(x)` computed the obvious way, in rationals, with no filter and no integer tricks.
pub fn phi(net: &Network, x: &[Rational]) -> Rational {
    let mut sum = Rational::ZERO;
    for n in &net.neurons {
        let mut t = n.b.clone();
        for (w, xi) in n.w.iter().zip(x) {
            t += w * xi;
        }
        let act = match net.activation {
            Activation::Relu if t > Rational::ZERO => t,
            Activation::Threshold if t > Rational::ZERO => Rational::ONE,
            _ => Rational::ZERO,
        };
        sum += &n.a * act;
    }
    sum
}

/// The labels `phi(x)` of the inputs under `net`, by [`phi`].
pub fn labels(net: &Network, xs: &[Vec<Rational>]) -> Vec<Rational> {
    xs.iter().map(|x| phi(net, x)).collect()
}

/// The `abs` error `sum_i |phi(x_i) - y_i|` of `net` on `inst`, by [`phi`].
pub fn abs_error(net: &Network, inst: &Instance) -> Rational {
    inst.points.iter().fold(Rational::ZERO, |s, p| {
        let r = phi(net, &p.x) - &p.y;
        s + if r < Rational::ZERO { -r } else { r }
    })
}

/// Does `net` pass the library's verifier on `inst` (error `<= gamma`, width `<= k`)?
pub fn fits(inst: &Instance, net: &Network) -> bool {
    verify(inst, net).expect("dimensions match").passes()
}
