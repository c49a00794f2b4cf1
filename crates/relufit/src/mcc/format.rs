//! The `relufit-mcc/1` JSON format and cliques written as lists of vertices.
//!
//! ```json
//! { "format": "relufit-mcc/1",
//!   "colors": [[1, 2, 3], [4, 5], [6, 7]],
//!   "edges": [[1, 4], [4, 6], [1, 6], [2, 5]] }
//! ```
//!
//! Vertices are positive integers (JSON numbers or strings of digits), each in exactly one
//! colour class; `kappa` is the number of classes. Edges are unordered pairs. Errors name the
//! field: `g.json: colors[1][0]: ...`, `g.json: edges[3]: ...`.

use super::graph::{Mcc, Place};
use crate::error::{Error, Result};
use crate::io::json::Doc;
use crate::limits::{MAX_GRAPH_EDGES, MAX_GRAPH_VERTICES};
use std::fmt::Write as _;

/// Format tag of MULTICOLORED CLIQUE files.
pub const FORMAT_MCC: &str = "relufit-mcc/1";

/// The JSON path of a [`Place`].
pub fn place_path(place: Place) -> String {
    match place {
        Place::Colors => "colors".into(),
        Place::Class(c) => format!("colors[{c}]"),
        Place::Vertex(c, i) => format!("colors[{c}][{i}]"),
        Place::Edge(e) => format!("edges[{e}]"),
    }
}

/// Parse a `relufit-mcc/1` document; `source` prefixes every error.
pub fn mcc_from_json(text: &str, source: &str) -> Result<Mcc> {
    let (doc, v) = Doc::parse(text, source)?;
    doc.check_format(&v, FORMAT_MCC)?;
    let vertex = |x: &serde_json::Value, path: &str| -> Result<u64> {
        let n = doc.count(x, path)?;
        if n == 0 {
            return Err(doc.err(path, "vertex 0: vertices are positive integers"));
        }
        Ok(n as u64)
    };
    let raw_colors = doc.array(doc.field(&v, "", "colors")?, "colors")?;
    let mut colors = Vec::with_capacity(raw_colors.len());
    let mut total = 0usize;
    for (c, class) in raw_colors.iter().enumerate() {
        let path = format!("colors[{c}]");
        let items = doc.array(class, &path)?;
        total += items.len();
        if total > MAX_GRAPH_VERTICES {
            return Err(doc.err(
                &path,
                format!("more than {MAX_GRAPH_VERTICES} vertices (the limit of a graph)"),
            ));
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, x) in items.iter().enumerate() {
            out.push(vertex(x, &format!("{path}[{i}]"))?);
        }
        colors.push(out);
    }
    let raw_edges = doc.array(doc.field(&v, "", "edges")?, "edges")?;
    if raw_edges.len() > MAX_GRAPH_EDGES {
        return Err(doc.err(
            "edges",
            format!("more than {MAX_GRAPH_EDGES} edges (the limit of a graph)"),
        ));
    }
    let mut edges = Vec::with_capacity(raw_edges.len());
    for (e, pair) in raw_edges.iter().enumerate() {
        let path = format!("edges[{e}]");
        let ends = doc.array(pair, &path)?;
        if ends.len() != 2 {
            return Err(doc.err(
                &path,
                format!("an edge has two endpoints, got {}", ends.len()),
            ));
        }
        edges.push([
            vertex(&ends[0], &format!("{path}[0]"))?,
            vertex(&ends[1], &format!("{path}[1]"))?,
        ]);
    }
    Mcc::new(colors, edges).map_err(|e| doc.err(&place_path(e.place), e.message))
}

/// Write `g` as `relufit-mcc/1` (one class and one edge per line); [`mcc_from_json`] reads it
/// back to `g`.
pub fn mcc_to_json(g: &Mcc) -> String {
    let join = |v: &[u64]| {
        v.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = String::new();
    let _ = writeln!(s, "{{\n  \"format\": \"{FORMAT_MCC}\",\n  \"colors\": [");
    for (c, class) in g.colors().iter().enumerate() {
        let sep = if c + 1 < g.kappa() { "," } else { "" };
        let _ = writeln!(s, "    [{}]{sep}", join(class));
    }
    s.push_str("  ],\n  \"edges\": [");
    for (e, [u, v]) in g.edges().iter().enumerate() {
        let sep = if e + 1 < g.edges().len() { "," } else { "" };
        let _ = write!(s, "\n    [{u}, {v}]{sep}");
    }
    s.push_str(if g.edges().is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    s
}

/// Parse a clique given as a list of vertices (`1 4 6` or `1,4,6`); `source` names the flag
/// or file. Rejected: tokens that are not positive integers, a vertex listed twice.
pub fn parse_clique(text: &str, source: &str) -> Result<Vec<u64>> {
    let mut out: Vec<u64> = Vec::new();
    for tok in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let v = crate::limits::parse_count(tok, 1, MAX_GRAPH_VERTICES.saturating_mul(64))
            .map_err(|e| Error::input(source, format!("vertex `{tok}`: {e}")))?
            as u64;
        if out.contains(&v) {
            return Err(Error::input(source, format!("vertex {v} is listed twice")));
        }
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = r#"{"format": "relufit-mcc/1", "colors": [[1, 2, 3], [4, 5], ["6", 7]],
        "edges": [[1, 4], [4, 6], [1, 6], [2, 5]]}"#;

    #[test]
    fn round_trip() {
        let g = mcc_from_json(G, "g.json").unwrap();
        assert_eq!(g.kappa(), 3);
        g.check_clique(&[1, 4, 6]).unwrap();
        let back = mcc_from_json(&mcc_to_json(&g), "back.json").unwrap();
        assert_eq!(back, g);
        let empty = Mcc::new(vec![vec![1]], vec![]).unwrap();
        assert_eq!(mcc_from_json(&mcc_to_json(&empty), "e").unwrap(), empty);
    }

    #[test]
    fn errors_name_the_field() {
        for (text, expect) in [
            (G.replace("[2, 5]", "[2, 2]"), "g.json: edges[3]: self-loop"),
            (G.replace("[2, 5]", "[2, 9]"), "g.json: edges[3]: vertex 9"),
            (
                G.replace("[4, 5]", "[4, 0]"),
                "g.json: colors[1][1]: vertex 0",
            ),
            (
                G.replace("[4, 5]", "[4, 1]"),
                "g.json: colors[1][1]: vertex 1 is already",
            ),
            (
                G.replace("[4, 5]", "[]"),
                "g.json: colors[1]: colour class 2 is empty",
            ),
            (
                G.replace("[2, 5]", "[2, 5, 6]"),
                "g.json: edges[3]: an edge has two",
            ),
            (G.replace("[2, 5]", "[2, -5]"), "g.json: edges[3][1]"),
            (G.replace("mcc/1", "mcc/2"), "g.json: format"),
        ] {
            let e = mcc_from_json(&text, "g.json").unwrap_err().to_string();
            assert!(e.contains(expect), "expected `{expect}` in `{e}`");
        }
    }

    #[test]
    fn cliques_parse() {
        assert_eq!(parse_clique("1 4, 6", "--clique").unwrap(), vec![1, 4, 6]);
        assert!(parse_clique("1 1", "--clique")
            .unwrap_err()
            .to_string()
            .contains("twice"));
        assert!(parse_clique("1 x", "--clique")
            .unwrap_err()
            .to_string()
            .contains("--clique: vertex `x`"));
        assert!(parse_clique("0", "--clique").is_err());
    }
}
