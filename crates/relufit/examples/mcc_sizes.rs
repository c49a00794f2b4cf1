//! Sizes and times of the Corollary 9 reduction (docs/corollary9-sizes.md).
//!
//!     cargo run --release -p relufit --example mcc_sizes
//!
//! For DIMACS clique-benchmark graphs built from their definitions (`hamming6-4`,
//! `johnson8-2-4`, `hamming6-2`, `johnson8-4-4`) with `kappa` copies, and for random
//! coloured graphs: the instance size (points, distinct inputs, dimension, numbers, bits,
//! JSON bytes) against the formulas of docs/corollary9-mcc.md, section 6, and the time to find
//! a clique, reduce, lift and verify, and decode. Prints markdown tables.

#![allow(clippy::print_stdout)]

use relufit::io::instance_to_json;
use relufit::mcc::{self, Mcc, RandomOptions};
use relufit::model::Activation;
use relufit::num::bit_size;
use relufit::reduce::mcc::{construction, decode, lift, reduce, McOptions, Source};
use relufit::verify::verify;
use std::time::Instant;

/// `(points, distinct inputs, d)` by the formulas of section 6 (and section 8 of
/// docs/width-padding.md is not included: width 1).
fn formula(g: &Mcc, p: u32) -> (usize, usize, usize) {
    let gamma = construction::gamma(g);
    let pow = 3usize.pow(p);
    let ne = construction::non_edges(g);
    let nv = g.num_vertices();
    let points = gamma * pow
        + 1
        + g.colors()
            .iter()
            .map(|c| (c.len() + 1) * ((c.len() - 1) * pow + 1))
            .sum::<usize>()
        + nv
        + ne;
    (points, 1 + 2 * nv + g.kappa() + ne, 2 * g.kappa() + 1)
}

fn row(name: &str, source: &Source, p: u32, act: Activation, width: usize) {
    let g = source.mcc().unwrap();
    let t = Instant::now();
    let clique = mcc::solve(&g);
    let t_solve = t.elapsed();
    let opts = McOptions {
        activation: act,
        p,
        width,
    };
    let t = Instant::now();
    let inst = reduce(source, &opts).unwrap();
    let t_reduce = t.elapsed();
    let (points, distinct, d) = formula(&g, p);
    if width == 1 {
        assert_eq!(inst.len(), points, "{name}: points");
        assert_eq!(inst.distinct_inputs(), distinct, "{name}: distinct");
        assert_eq!(inst.dim(), d, "{name}: d");
    }
    let bits: usize = inst
        .points
        .iter()
        .map(|pt| pt.x.iter().map(bit_size).sum::<usize>() + bit_size(&pt.y))
        .sum();
    let bytes = instance_to_json(&inst).len();
    let (t_verify, t_decode, verdict) = match &clique {
        Some(c) => {
            let in_source = source.from_mcc_clique(c);
            let t = Instant::now();
            let net = lift(&inst, &in_source).unwrap();
            let report = verify(&inst, &net).unwrap();
            assert!(report.passes() && report.error == inst.gamma);
            let tv = t.elapsed();
            let t = Instant::now();
            let dd = decode(&inst, &net).unwrap();
            assert_eq!(dd.chosen, *c);
            (
                format!("{:.3}", tv.as_secs_f64()),
                format!("{:.3}", t.elapsed().as_secs_f64()),
                "clique",
            )
        }
        None => ("-".into(), "-".into(), "none"),
    };
    println!(
        "| {name} | {} | {} | {p} | {width} | {} | {} | {} | {} | {} | {} | {} | {:.3} | {:.3} | {t_verify} | {t_decode} |",
        g.kappa(),
        act,
        inst.len(),
        inst.distinct_inputs(),
        inst.dim(),
        inst.gamma,
        bits,
        bytes,
        verdict,
        t_solve.as_secs_f64(),
        t_reduce.as_secs_f64(),
    );
}

fn main() {
    println!(
        "| graph | kappa | activation | p | k | points | distinct | d | gamma | bits | JSON bytes | MCC | find clique (s) | reduce (s) | lift + verify (s) | decode (s) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (family, kappas) in [
        ("johnson8-2-4", &[3usize, 4, 5][..]),
        ("hamming6-4", &[4][..]),
        ("hamming6-2", &[4, 8][..]),
        ("johnson8-4-4", &[6][..]),
    ] {
        let graph = mcc::benchmark_graph(family).unwrap();
        for &kappa in kappas {
            let source = Source::Copies {
                graph: graph.clone(),
                kappa,
            };
            for p in [0, 1, 2] {
                row(family, &source, p, Activation::Threshold, 1);
            }
            row(family, &source, 2, Activation::Relu, 1);
        }
    }
    let graph = mcc::benchmark_graph("johnson8-2-4").unwrap();
    let source = Source::Copies { graph, kappa: 4 };
    for act in [Activation::Threshold, Activation::Relu] {
        row("johnson8-2-4", &source, 1, act, 2);
    }
    for (kappa, size) in [(3, 10), (6, 10), (10, 10), (6, 30)] {
        let (g, _) = mcc::planted_mcc(&RandomOptions {
            kappa,
            class_size: size,
            density: (1, 2),
            seed: 1,
        })
        .unwrap();
        let name = format!("planted {kappa} x {size}");
        row(&name, &Source::Colored(g), 1, Activation::Threshold, 1);
    }
}
