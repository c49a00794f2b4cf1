//! Seeded generators: random MULTICOLORED CLIQUE instances (with a planted multicoloured
//! clique, or certified to have none), and graphs of two families of the DIMACS clique
//! benchmarks, built from their definitions.
//!
//! **Benchmark families** (second DIMACS implementation challenge, 1992-93; D. S. Johnson and
//! M. A. Trick (eds.), *Cliques, Coloring, and Satisfiability*, DIMACS Series 26, AMS 1996;
//! the graphs were contributed by N. Sloane for coding theory):
//! - `hammingN-D`: the binary words of length `N`, adjacent iff their Hamming distance is at
//!   least `D` (`hamming6-2`: 64 vertices, 1824 edges, largest clique 32; `hamming6-4`: 64
//!   vertices, 704 edges, largest clique 4);
//! - `johnsonN-W-D`: the binary words of length `N` and weight `W`, adjacent iff their Hamming
//!   distance is at least `D` (`johnson8-2-4`: 28 vertices, 210 edges, largest clique 4;
//!   `johnson8-4-4`: 70 vertices, 1855 edges, largest clique 14).
//!
//! The vertex numbering follows the words in increasing binary order, so the graphs are
//! isomorphic to the benchmark files (whose numbering may differ); the vertex and edge
//! counts are those of the published files (checked by the tests).

use super::dimacs::Graph;
use super::graph::Mcc;
use super::solver::{solve_with, Answer, Limits};
use crate::error::{Error, Result};
use crate::limits::{MAX_GRAPH_EDGES, MAX_GRAPH_VERTICES};
use crate::rng::Rng;

/// Parameters of a random instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomOptions {
    /// Number of colour classes `kappa >= 1`.
    pub kappa: usize,
    /// Vertices per class (`>= 1`); class `c` (0-based) holds `c * size + 1 ..= (c + 1) * size`.
    pub class_size: usize,
    /// Probability `num / den` of each edge between vertices of different classes.
    pub density: (u64, u64),
    /// Seed.
    pub seed: u64,
}

impl RandomOptions {
    fn check(&self) -> Result<()> {
        if self.kappa == 0 || self.class_size == 0 {
            return Err(Error::Invalid(
                "a random instance needs kappa >= 1 classes of at least one vertex".into(),
            ));
        }
        let (num, den) = self.density;
        if den == 0 || num > den {
            return Err(Error::Invalid(format!(
                "the edge density must be a probability num/den in [0, 1], got {num}/{den}"
            )));
        }
        let vertices = self.kappa.checked_mul(self.class_size);
        let pairs = vertices.and_then(|v| v.checked_mul(v));
        if vertices.is_none_or(|v| v > MAX_GRAPH_VERTICES)
            || pairs.is_none_or(|p| p / 2 > MAX_GRAPH_EDGES)
        {
            return Err(Error::Invalid(format!(
                "{} classes of {} vertices exceed the limits of a graph ({MAX_GRAPH_VERTICES} \
                 vertices, {MAX_GRAPH_EDGES} possible edges)",
                self.kappa, self.class_size
            )));
        }
        Ok(())
    }
}

/// A random instance: `kappa` classes of `class_size` vertices, every pair of vertices in
/// different classes joined with probability `density` (independently, exactly: a draw
/// below `num` out of `den`).
pub fn random_mcc(opts: &RandomOptions) -> Result<Mcc> {
    opts.check()?;
    let mut rng = Rng::new(opts.seed);
    let size = opts.class_size as u64;
    let colors: Vec<Vec<u64>> = (0..opts.kappa as u64)
        .map(|c| (1..=size).map(|i| c * size + i).collect())
        .collect();
    let mut edges = Vec::new();
    for c in 0..opts.kappa {
        for c2 in c + 1..opts.kappa {
            for &u in &colors[c] {
                for &v in &colors[c2] {
                    if rng.below(opts.density.1) < opts.density.0 {
                        edges.push([u, v]);
                    }
                }
            }
        }
    }
    Mcc::new(colors, edges).map_err(|e| Error::Invalid(format!("internal error: {e}")))
}

/// A random instance with a planted multicoloured clique: [`random_mcc`], then one vertex per
/// class drawn uniformly and all pairs among them made edges. Returns the clique (in class
/// order).
pub fn planted_mcc(opts: &RandomOptions) -> Result<(Mcc, Vec<u64>)> {
    let g = random_mcc(opts)?;
    let mut rng = Rng::new(opts.seed ^ 0x9e37_79b9_7f4a_7c15);
    let clique: Vec<u64> = g
        .colors()
        .iter()
        .map(|class| class[rng.below_usize(class.len())])
        .collect();
    let mut edges = g.edges().to_vec();
    for (i, &u) in clique.iter().enumerate() {
        for &v in &clique[i + 1..] {
            if !g.adjacent(u, v) {
                edges.push([u, v]);
            }
        }
    }
    let g = Mcc::new(g.colors().to_vec(), edges)
        .map_err(|e| Error::Invalid(format!("internal error: {e}")))?;
    debug_assert!(g.check_clique(&clique).is_ok());
    Ok((g, clique))
}

/// A random instance certified to have no multicoloured clique: [`random_mcc`], then, while
/// the exact solver finds a multicoloured clique, one of its edges (drawn uniformly) is
/// removed. Ends with an exhaustive "no" of the solver. `max_nodes` bounds the searches
/// together (an error says so when it runs out).
pub fn clique_free_mcc(opts: &RandomOptions, max_nodes: u64) -> Result<Mcc> {
    let mut g = random_mcc(opts)?;
    let mut rng = Rng::new(opts.seed ^ 0x5851_f42d_4c95_7f2d);
    let mut budget = max_nodes;
    loop {
        let limits = Limits {
            max_nodes: Some(budget),
            ..Limits::default()
        };
        let (answer, stats) = solve_with(&g, &limits);
        budget = budget.saturating_sub(stats.nodes);
        match answer {
            Answer::NoClique => return Ok(g),
            Answer::Stopped(why) => {
                return Err(Error::Invalid(format!(
                    "could not certify a clique-free instance: {why} (use smaller classes)"
                )))
            }
            Answer::Clique(c) => {
                if c.len() < 2 {
                    return Err(Error::Invalid(
                        "with kappa = 1 every vertex is a multicoloured clique".into(),
                    ));
                }
                let i = rng.below_usize(c.len());
                let j = (i + 1 + rng.below_usize(c.len() - 1)) % c.len();
                let (u, v) = (c[i], c[j]);
                let edges: Vec<[u64; 2]> = g
                    .edges()
                    .iter()
                    .copied()
                    .filter(|&[a, b]| !((a == u && b == v) || (a == v && b == u)))
                    .collect();
                g = Mcc::new(g.colors().to_vec(), edges)
                    .map_err(|e| Error::Invalid(format!("internal error: {e}")))?;
            }
        }
    }
}

/// Most vertices of a benchmark graph built by [`benchmark_graph`] (so that its edges stay
/// within [`MAX_GRAPH_EDGES`]).
pub const MAX_BENCHMARK_VERTICES: usize = 4096;

/// The benchmark families this module builds (module docs), by name: `hammingN-D`,
/// `johnsonN-W-D`, with `N <= 16` and at most [`MAX_BENCHMARK_VERTICES`] vertices.
pub fn benchmark_graph(name: &str) -> Result<Graph> {
    let bad = || {
        Error::input(
            "--family",
            format!(
                "`{}` is not a benchmark family name: expected hammingN-D or johnsonN-W-D with \
                 N <= 16 (e.g. hamming6-2, johnson8-2-4)",
                crate::limits::shorten(name)
            ),
        )
    };
    let numbers = |rest: &str| -> Result<Vec<u32>> {
        rest.split('-')
            .map(|t| t.parse::<u32>().map_err(|_| bad()))
            .collect()
    };
    let (words, d): (Vec<u32>, u32) = if let Some(rest) = name.strip_prefix("hamming") {
        match numbers(rest)?.as_slice() {
            &[n, d] if (1..=16).contains(&n) => ((0..1u32 << n).collect(), d),
            _ => return Err(bad()),
        }
    } else if let Some(rest) = name.strip_prefix("johnson") {
        match numbers(rest)?.as_slice() {
            &[n, w, d] if (1..=16).contains(&n) && w <= n => {
                ((0..1u32 << n).filter(|x| x.count_ones() == w).collect(), d)
            }
            _ => return Err(bad()),
        }
    } else {
        return Err(bad());
    };
    if words.len() > MAX_BENCHMARK_VERTICES {
        return Err(Error::input(
            "--family",
            format!(
                "{name} has {} vertices; at most {MAX_BENCHMARK_VERTICES} are built (every pair is \
                 examined)",
                words.len()
            ),
        ));
    }
    let mut edges = Vec::new();
    for (i, &a) in words.iter().enumerate() {
        for (j, &b) in words.iter().enumerate().skip(i + 1) {
            if (a ^ b).count_ones() >= d {
                edges.push([i as u64 + 1, j as u64 + 1]);
            }
        }
    }
    Ok(Graph {
        n: words.len(),
        edges,
        header_line: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_graphs_have_the_published_sizes() {
        for (name, n, m) in [
            ("hamming6-2", 64, 1824),
            ("hamming6-4", 64, 704),
            ("johnson8-2-4", 28, 210),
            ("johnson8-4-4", 70, 1855),
        ] {
            let g = benchmark_graph(name).unwrap();
            assert_eq!((g.n, g.edges.len()), (n, m), "{name}");
        }
        assert!(benchmark_graph("petersen").is_err());
        assert!(benchmark_graph("hamming40-2").is_err());
        assert!(benchmark_graph("hamming16-2").is_err());
    }

    #[test]
    fn johnson8_2_4_has_a_4_clique_and_no_5_clique() {
        let g = benchmark_graph("johnson8-2-4").unwrap();
        let four = super::super::dimacs::kappa_copies(&g, 4, "j").unwrap();
        assert!(super::super::solver::solve(&four).is_some());
        let five = super::super::dimacs::kappa_copies(&g, 5, "j").unwrap();
        assert!(super::super::solver::solve(&five).is_none());
    }

    #[test]
    fn generators_are_seeded_and_do_what_they_say() {
        let opts = RandomOptions {
            kappa: 3,
            class_size: 4,
            density: (1, 3),
            seed: 7,
        };
        assert_eq!(random_mcc(&opts).unwrap(), random_mcc(&opts).unwrap());
        let (g, c) = planted_mcc(&opts).unwrap();
        g.check_clique(&c).unwrap();
        let free = clique_free_mcc(
            &RandomOptions {
                density: (3, 4),
                ..opts
            },
            1 << 20,
        )
        .unwrap();
        assert!(super::super::solver::solve(&free).is_none());
        assert!(random_mcc(&RandomOptions { kappa: 0, ..opts }).is_err());
        assert!(random_mcc(&RandomOptions {
            density: (2, 1),
            ..opts
        })
        .is_err());
    }
}
