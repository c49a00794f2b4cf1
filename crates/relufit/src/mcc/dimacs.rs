//! Plain graphs in the DIMACS format of the clique benchmarks, and the standard reduction
//! from CLIQUE to MULTICOLORED CLIQUE by `kappa` copies.
//!
//! ```text
//! c comment lines start with `c`
//! p edge 4 5
//! e 1 2
//! e 2 3
//! ...
//! ```
//!
//! The header is `p edge N M` (`p col N M` is accepted too); every edge line is `e U V` with
//! `1 <= U, V <= N`, `U != V`. The number of edge lines must be `M`; a repeated edge counts
//! once. Anything else is rejected with an [`Error::Input`] at `source:line`.
//!
//! **`kappa` copies.** The graph `G = (V, E)` and a number `kappa` give the MULTICOLORED
//! CLIQUE instance with colour classes `V x {i}` for `i = 1..kappa` and an edge between
//! `(u, i)` and `(v, j)` iff `i != j` and `uv` is in `E`. A multicoloured clique
//! `(v_1, 1), ..., (v_kappa, kappa)` has pairwise adjacent, hence distinct, `v_i`: a clique of
//! size `kappa` in `G`; conversely a `kappa`-clique, in any order, is one. Copy `(v, i)` is the
//! vertex `(i - 1) N + v`.

use super::graph::Mcc;
use crate::error::{Error, Result};
use crate::limits::{MAX_GRAPH_EDGES, MAX_GRAPH_VERTICES};

/// An undirected graph on the vertices `1..=n`, as read from a DIMACS file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Number of vertices `n`.
    pub n: usize,
    /// The edges, as listed (`1 <= u, v <= n`, `u != v`).
    pub edges: Vec<[u64; 2]>,
    /// The line of the `p` header in the file it was read from (1 if built in memory).
    pub header_line: usize,
}

impl Graph {
    /// Is `clique` a clique of `g` (distinct vertices in `1..=n`, pairwise adjacent)? The
    /// message names the first failure.
    pub fn check_clique(&self, clique: &[u64]) -> std::result::Result<(), crate::Malformed> {
        self.clique_rules(clique).map_err(crate::Malformed)
    }

    /// The checks of [`Self::check_clique`], first failure in words.
    fn clique_rules(&self, clique: &[u64]) -> std::result::Result<(), String> {
        let set: std::collections::HashSet<(u64, u64)> = self
            .edges
            .iter()
            .flat_map(|&[u, v]| [(u, v), (v, u)])
            .collect();
        for (i, &u) in clique.iter().enumerate() {
            if u == 0 || u as usize > self.n {
                return Err(format!("vertex {u} is outside 1..={}", self.n));
            }
            for &v in &clique[i + 1..] {
                if u == v {
                    return Err(format!("vertex {u} is listed twice"));
                }
                if !set.contains(&(u, v)) {
                    return Err(format!("vertices {u} and {v} are not adjacent"));
                }
            }
        }
        Ok(())
    }
}

/// Parse a DIMACS graph (`p edge N M`, `e U V` lines); errors name `source:line`.
///
/// Rejected, naming the line: a missing or repeated header, edges before the header, a
/// header other than `p edge N M` / `p col N M`, counts beyond [`MAX_GRAPH_VERTICES`] or
/// [`MAX_GRAPH_EDGES`], an edge line without exactly two integers, a vertex outside `1..=N`
/// (0 included), a self-loop `e V V`, an unknown line type, and an edge count other than `M`.
pub fn parse_dimacs_graph(text: &str, source: &str) -> Result<Graph> {
    let at = |line: usize, msg: String| Error::input(format!("{source}:{line}"), msg);
    let mut header: Option<(usize, usize, usize)> = None;
    let mut edges: Vec<[u64; 2]> = Vec::new();
    let mut last = 0;
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        last = line;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('c') {
            continue;
        }
        let toks: Vec<&str> = t.split_whitespace().collect();
        match toks[0] {
            "p" => {
                if let Some((first, _, _)) = header {
                    return Err(at(
                        line,
                        format!("second `p` header line (the header is already on line {first})"),
                    ));
                }
                let shape = "expected a header `p edge N M` with N vertices and M edges";
                if toks.len() != 4 || !matches!(toks[1], "edge" | "col") {
                    return Err(at(
                        line,
                        format!("{shape}, found `{}`", crate::limits::shorten(t)),
                    ));
                }
                let count = |tok: &str, what: &str, max: usize| {
                    crate::limits::parse_count(tok, 0, max)
                        .map_err(|e| at(line, format!("the number of {what} in the header: {e}")))
                };
                let n = count(toks[2], "vertices", MAX_GRAPH_VERTICES)?;
                let m = count(toks[3], "edges", MAX_GRAPH_EDGES)?;
                edges.reserve(m.min(1 << 20));
                header = Some((line, n, m));
            }
            "e" => {
                let Some((header_line, n, m)) = header else {
                    return Err(at(line, "edge before the `p edge N M` header".into()));
                };
                if toks.len() != 3 {
                    return Err(at(
                        line,
                        format!(
                            "expected an edge line `e U V`, found `{}`",
                            crate::limits::shorten(t)
                        ),
                    ));
                }
                let mut ends = [0u64; 2];
                for (k, tok) in toks[1..].iter().enumerate() {
                    let v = tok.parse::<u64>().map_err(|_| {
                        at(
                            line,
                            format!("`{}` is not a vertex number", crate::limits::shorten(tok)),
                        )
                    })?;
                    if v == 0 || v > n as u64 {
                        return Err(at(
                            line,
                            format!(
                                "vertex {v} is outside 1..={n} (the {n} vertices declared in the \
                                 header on line {header_line})"
                            ),
                        ));
                    }
                    ends[k] = v;
                }
                if ends[0] == ends[1] {
                    return Err(at(line, format!("self-loop `e {0} {0}`", ends[0])));
                }
                if edges.len() == m {
                    return Err(at(
                        line,
                        format!(
                            "more edges than the {m} declared in the header on line {header_line}"
                        ),
                    ));
                }
                edges.push(ends);
            }
            other => {
                return Err(at(
                    line,
                    format!(
                        "unknown line type `{}` (a DIMACS graph has `c`, `p` and `e` lines)",
                        crate::limits::shorten(other)
                    ),
                ))
            }
        }
    }
    let Some((header_line, n, m)) = header else {
        return Err(at(
            last.max(1),
            "missing `p edge N M` header (end of input reached without one)".into(),
        ));
    };
    if edges.len() != m {
        return Err(at(
            header_line,
            format!(
                "the header declares {m} edge{} but the file holds {}",
                if m == 1 { "" } else { "s" },
                edges.len()
            ),
        ));
    }
    Ok(Graph {
        n,
        edges,
        header_line,
    })
}

/// Write `g` in DIMACS: the `comments` as `c` lines, the header, one `e` line per edge.
pub fn graph_to_dimacs(g: &Graph, comments: &[String]) -> String {
    let mut out = String::new();
    for c in comments {
        for line in c.lines() {
            out.push_str(&format!("c {line}\n"));
        }
    }
    out.push_str(&format!("p edge {} {}\n", g.n, g.edges.len()));
    for [u, v] in &g.edges {
        out.push_str(&format!("e {u} {v}\n"));
    }
    out
}

/// The MULTICOLORED CLIQUE instance of `kappa` copies of `g` (module docs). Refused: `kappa`
/// of 0, `kappa` larger than the number of vertices (no `kappa`-clique can exist; the message
/// names the header line), and copies beyond the graph limits.
pub fn kappa_copies(g: &Graph, kappa: usize, source: &str) -> Result<Mcc> {
    if kappa == 0 {
        return Err(Error::input("--kappa", "kappa must be at least 1"));
    }
    if kappa > g.n {
        return Err(Error::input(
            format!("{source}:{}", g.header_line),
            format!(
                "--kappa {kappa} exceeds the {} vertices declared in this header: a clique of \
                 {kappa} vertices (one per colour class) cannot exist",
                g.n
            ),
        ));
    }
    let vertices = g.n.checked_mul(kappa).filter(|&v| v <= MAX_GRAPH_VERTICES);
    let edges = g
        .edges
        .len()
        .checked_mul(kappa * (kappa - 1))
        .filter(|&e| e <= MAX_GRAPH_EDGES);
    if vertices.is_none() || edges.is_none() {
        return Err(Error::input(
            "--kappa",
            format!(
                "{kappa} copies of a graph with {} vertices and {} edges exceed the limits of a \
                 graph ({MAX_GRAPH_VERTICES} vertices, {MAX_GRAPH_EDGES} edges)",
                g.n,
                g.edges.len()
            ),
        ));
    }
    let n = g.n as u64;
    let colors: Vec<Vec<u64>> = (0..kappa as u64)
        .map(|i| (1..=n).map(|v| i * n + v).collect())
        .collect();
    let mut out = Vec::with_capacity(edges.unwrap_or(0));
    for &[u, v] in &g.edges {
        for i in 0..kappa as u64 {
            for j in 0..kappa as u64 {
                if i != j {
                    out.push([i * n + u, j * n + v]);
                }
            }
        }
    }
    Mcc::new(colors, out).map_err(|e| Error::Invalid(format!("internal error: {e}")))
}

/// The multicoloured clique of the copies for a clique of `g` given in any order: the
/// vertices sorted, the `i`-th taken in copy `i`.
pub fn clique_in_copies(n: usize, clique: &[u64]) -> Vec<u64> {
    let mut v = clique.to_vec();
    v.sort_unstable();
    v.iter()
        .enumerate()
        .map(|(i, &x)| i as u64 * n as u64 + x)
        .collect()
}

/// The vertex of `g` behind a copy `(i - 1) n + v`.
pub fn original_vertex(n: usize, copy: u64) -> u64 {
    (copy - 1) % n as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const K4_MINUS: &str = "c four vertices\np edge 4 5\ne 1 2\ne 1 3\ne 2 3\ne 2 4\ne 3 4\n";

    #[test]
    fn parse_and_copies() {
        let g = parse_dimacs_graph(K4_MINUS, "g.clq").unwrap();
        assert_eq!(g.n, 4);
        assert_eq!(g.header_line, 2);
        assert_eq!(
            parse_dimacs_graph(&graph_to_dimacs(&g, &["x".into()]), "b")
                .unwrap()
                .edges,
            g.edges
        );
        let m = kappa_copies(&g, 3, "g.clq").unwrap();
        assert_eq!(m.kappa(), 3);
        assert_eq!(m.num_vertices(), 12);
        assert_eq!(m.num_cross_edges(), 5 * 6);
        let c = clique_in_copies(4, &[3, 1, 2]);
        m.check_clique(&c).unwrap();
        assert_eq!(
            c.iter().map(|&x| original_vertex(4, x)).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert!(m.check_clique(&clique_in_copies(4, &[1, 2, 4])).is_err());
        g.check_clique(&[2, 3, 4]).unwrap();
        assert!(g.check_clique(&[1, 4]).is_err());
    }

    #[test]
    fn bad_graphs_name_the_line() {
        for (text, expect) in [
            ("p edge 3 1\ne 2 2\n", "g:2: self-loop"),
            ("p edge 3 1\ne 1 4\n", "g:2: vertex 4 is outside 1..=3"),
            ("p edge 3 1\ne 0 1\n", "g:2: vertex 0"),
            ("e 1 2\n", "g:1: edge before"),
            ("p edge 3 2\ne 1 2\n", "g:1: the header declares 2 edges"),
            ("p edge 3 1\ne 1 2\ne 2 3\n", "g:3: more edges"),
            ("p edge 3 1\ne 1\n", "g:2: expected an edge line"),
            ("p edge 3 1\ne 1 x\n", "g:2: `x` is not a vertex"),
            ("p cnf 3 1\n", "g:1: expected a header"),
            ("p edge 3 1\np edge 3 1\n", "g:2: second"),
            ("p edge 10000000000 1\n", "g:1: the number of vertices"),
            ("p edge 3 1\nn 1 5\n", "g:2: unknown line type"),
            ("c only\n", "g:1: missing"),
        ] {
            let e = parse_dimacs_graph(text, "g").unwrap_err().to_string();
            assert!(e.contains(expect), "expected `{expect}` in `{e}`");
        }
        let g = parse_dimacs_graph(K4_MINUS, "g.clq").unwrap();
        let e = kappa_copies(&g, 5, "g.clq").unwrap_err().to_string();
        assert!(
            e.contains("g.clq:2: --kappa 5 exceeds the 4 vertices"),
            "{e}"
        );
        assert!(kappa_copies(&g, 0, "g.clq").is_err());
    }
}
