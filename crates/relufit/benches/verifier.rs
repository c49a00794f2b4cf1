//! Verifier throughput (points x neurons per second): the filtered exact evaluator against a
//! plain all-rational evaluator, on (a) random dense data and (b) data with every point
//! exactly on some neuron's breakline (where the float filter cannot decide).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use relufit::num::{ratio, Rational};
use relufit::rng::SplitMix64;
use relufit::verify::evaluate;
use relufit::{Activation, Network, Neuron};

/// A rational `m / q` with `|m| <= 1000`, `1 <= q <= 97`, from the crate's SplitMix64 (so
/// the data is the same on every run).
fn rational(rng: &mut SplitMix64) -> Rational {
    let n = (rng.next_u64() % 2001) as i64 - 1000;
    let d = (rng.next_u64() % 97) as i64 + 1;
    ratio(n, d)
}

fn network(rng: &mut SplitMix64, k: usize, d: usize) -> Network {
    let neurons = (0..k)
        .map(|j| {
            let w = (0..d).map(|_| rational(rng)).collect();
            let a = if j % 2 == 0 {
                Rational::ONE
            } else {
                -Rational::ONE
            };
            Neuron::new(w, rational(rng), a)
        })
        .collect();
    Network::new(Activation::Relu, neurons)
}

/// Every point on the breakline of neuron `i mod k`: pick x1.., solve for the last coordinate.
fn points_on_lines(rng: &mut SplitMix64, net: &Network, n: usize) -> Vec<Vec<Rational>> {
    (0..n)
        .map(|i| {
            let nrn = &net.neurons[i % net.width()];
            let d = nrn.w.len();
            let mut x: Vec<Rational> = (0..d).map(|_| rational(rng)).collect();
            if nrn.w[d - 1] != Rational::ZERO {
                let rest = (0..d - 1).fold(nrn.b.clone(), |acc, t| acc + &nrn.w[t] * &x[t]);
                x[d - 1] = -rest / &nrn.w[d - 1];
            }
            x
        })
        .collect()
}

fn reference(net: &Network, xs: &[Vec<Rational>]) -> Vec<Rational> {
    xs.iter()
        .map(|x| {
            net.neurons.iter().fold(Rational::ZERO, |acc, n| {
                let t = n.w.iter().zip(x).fold(n.b.clone(), |s, (w, xi)| s + w * xi);
                if t > Rational::ZERO {
                    acc + &n.a * t
                } else {
                    acc
                }
            })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let (n, k, d) = (1000, 32, 2);
    let mut rng = SplitMix64::new(7);
    let net = network(&mut rng, k, d);
    let dense: Vec<Vec<Rational>> = (0..n)
        .map(|_| (0..d).map(|_| rational(&mut rng)).collect())
        .collect();
    let on_lines = points_on_lines(&mut rng, &net, n);
    let mut group = c.benchmark_group("verifier");
    group.throughput(Throughput::Elements((n * k) as u64));
    group.sample_size(10);
    for (name, data) in [("dense", &dense), ("on-breaklines", &on_lines)] {
        let refs: Vec<&[Rational]> = data.iter().map(|x| x.as_slice()).collect();
        assert_eq!(evaluate(&net, &refs).values, reference(&net, data));
        group.bench_with_input(BenchmarkId::new("filtered", name), &refs, |b, xs| {
            b.iter(|| evaluate(&net, xs))
        });
        group.bench_with_input(BenchmarkId::new("all-rational", name), data, |b, xs| {
            b.iter(|| reference(&net, xs))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
