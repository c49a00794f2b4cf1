//! The source instance of an MCC reduction: a vertex-coloured graph, or a plain (DIMACS)
//! graph with `kappa` copies (the reduction from CLIQUE). Cliques are given and reported in
//! the source's own terms: vertices of the coloured graph, or `kappa` vertices of the plain
//! graph.

use crate::error::Result;
use crate::mcc::{self, Graph, Mcc};
use serde_json::{json, Value};

/// Where the coloured graph of a reduction comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A `relufit-mcc/1` instance.
    Colored(Mcc),
    /// A plain graph and the clique size `kappa`: the instance is its `kappa` copies.
    Copies {
        /// The graph.
        graph: Graph,
        /// The clique size.
        kappa: usize,
    },
}

impl Source {
    /// The MULTICOLORED CLIQUE instance (for copies: built by [`mcc::kappa_copies`]).
    pub fn mcc(&self) -> Result<Mcc> {
        match self {
            Source::Colored(g) => Ok(g.clone()),
            Source::Copies { graph, kappa } => mcc::kappa_copies(graph, *kappa, "graph"),
        }
    }

    /// A clique in source terms -> the multicoloured clique (in class order), checked. The
    /// message says why it is not a (multicoloured) clique.
    pub fn to_mcc_clique(
        &self,
        g: &Mcc,
        clique: &[u64],
    ) -> std::result::Result<Vec<u64>, crate::Malformed> {
        let c = match self {
            Source::Colored(_) => clique.to_vec(),
            Source::Copies { graph, kappa } => {
                if clique.len() != *kappa {
                    return Err(crate::Malformed(format!(
                        "{} vertices given, a clique of size kappa = {kappa} is asked for",
                        clique.len()
                    )));
                }
                graph.check_clique(clique)?;
                mcc::clique_in_copies(graph.n, clique)
            }
        };
        g.check_clique(&c)?;
        Ok(g.by_class(&c))
    }

    /// One vertex per class (in class order) -> the vertex list in source terms.
    pub fn from_mcc_clique(&self, chosen: &[u64]) -> Vec<u64> {
        match self {
            Source::Colored(_) => chosen.to_vec(),
            Source::Copies { graph, .. } => {
                let mut v: Vec<u64> = chosen
                    .iter()
                    .map(|&x| mcc::original_vertex(graph.n, x))
                    .collect();
                v.sort_unstable();
                v
            }
        }
    }

    /// The record written into an instance's `meta`.
    pub fn to_json(&self) -> Value {
        match self {
            Source::Colored(g) => json!({ "colors": g.colors(), "edges": g.edges() }),
            Source::Copies { graph, kappa } => json!({
                "dimacs": { "n": graph.n, "edges": graph.edges },
                "kappa": kappa,
            }),
        }
    }

    /// Read the record back (`meta.graph`); errors name the field.
    pub fn from_json(v: &Value, source: &str) -> Result<Source> {
        let text = v.to_string();
        let (doc, v) = crate::io::json::Doc::parse(&text, source)?;
        let pairs = |value: &Value, path: &str| -> Result<Vec<[u64; 2]>> {
            let arr = doc.array(value, path)?;
            let mut out = Vec::with_capacity(arr.len());
            for (e, p) in arr.iter().enumerate() {
                let path = format!("{path}[{e}]");
                let ends = doc.array(p, &path)?;
                if ends.len() != 2 {
                    return Err(doc.err(&path, "expected two endpoints"));
                }
                out.push([
                    doc.count(&ends[0], &format!("{path}[0]"))? as u64,
                    doc.count(&ends[1], &format!("{path}[1]"))? as u64,
                ]);
            }
            Ok(out)
        };
        if let Some(dimacs) = v.get("dimacs") {
            let n = doc.count(doc.field(dimacs, "dimacs", "n")?, "dimacs.n")?;
            if n > crate::limits::MAX_GRAPH_VERTICES {
                return Err(doc.err("dimacs.n", "too many vertices"));
            }
            let edges = pairs(doc.field(dimacs, "dimacs", "edges")?, "dimacs.edges")?;
            if let Some(e) = edges
                .iter()
                .position(|&[a, b]| a == 0 || b == 0 || a == b || a.max(b) as usize > n)
            {
                return Err(doc.err(&format!("dimacs.edges[{e}]"), "not an edge of the graph"));
            }
            let kappa = doc.count(doc.field(&v, "", "kappa")?, "kappa")?;
            let graph = Graph {
                n,
                edges,
                header_line: 1,
            };
            mcc::kappa_copies(&graph, kappa, source)?;
            return Ok(Source::Copies { graph, kappa });
        }
        let raw = doc.array(doc.field(&v, "", "colors")?, "colors")?;
        let mut colors = Vec::with_capacity(raw.len());
        for (c, class) in raw.iter().enumerate() {
            let path = format!("colors[{c}]");
            let items = doc.array(class, &path)?;
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.iter().enumerate() {
                out.push(doc.count(x, &format!("{path}[{i}]"))? as u64);
            }
            colors.push(out);
        }
        let edges = pairs(doc.field(&v, "", "edges")?, "edges")?;
        let g = Mcc::new(colors, edges)
            .map_err(|e| doc.err(&crate::mcc::format::place_path(e.place), e.message))?;
        Ok(Source::Colored(g))
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match self {
            Source::Colored(g) => format!(
                "kappa = {}, {} vertices, {} edges between classes",
                g.kappa(),
                g.num_vertices(),
                g.num_cross_edges()
            ),
            Source::Copies { graph, kappa } => format!(
                "{kappa} copies of a graph with {} vertices and {} edges",
                graph.n,
                graph.edges.len()
            ),
        }
    }
}

impl From<Mcc> for Source {
    fn from(g: Mcc) -> Self {
        Source::Colored(g)
    }
}
