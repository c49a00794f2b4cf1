//! Vertex-coloured graphs: the instances of MULTICOLORED CLIQUE.

use std::collections::HashMap;
use std::fmt;

/// Where an invalid graph is wrong: a vertex of a colour class or an edge, by position in
/// the lists given to [`Mcc::new`] (0-based), so that file readers can name the field or line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The colour classes as a whole (e.g. there are none).
    Colors,
    /// Colour class `c` (e.g. it is empty).
    Class(usize),
    /// Vertex `i` of colour class `c`.
    Vertex(usize, usize),
    /// Edge `e`.
    Edge(usize),
}

/// Why [`Mcc::new`] refuses its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// Where.
    pub place: Place,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An instance of MULTICOLORED CLIQUE: vertices (positive integers), each in exactly one of
/// `kappa >= 1` non-empty colour classes, and undirected edges. The question: is there a
/// *multicoloured clique*, one vertex of every class, pairwise adjacent?
///
/// The lists are kept as given (they are what files and messages refer to); an index built
/// once answers adjacency and colour queries. Edges inside one colour class are allowed but
/// can never be part of a multicoloured clique; a repeated edge counts once.
#[derive(Debug, Clone)]
pub struct Mcc {
    colors: Vec<Vec<u64>>,
    edges: Vec<[u64; 2]>,
    /// Vertex id -> (class, 1-based rank in the class).
    position: HashMap<u64, (usize, usize)>,
    /// `adjacent[v]`: the ids adjacent to `v` in *other* classes, sorted, without repeats.
    adjacent: HashMap<u64, Vec<u64>>,
    /// Number of distinct edges between different classes.
    cross_edges: usize,
}

impl PartialEq for Mcc {
    fn eq(&self, other: &Self) -> bool {
        self.colors == other.colors && self.edges == other.edges
    }
}

impl Eq for Mcc {}

impl Mcc {
    /// Build an instance. Refused, naming the place: no colour class, an empty class, vertex
    /// id 0, a vertex listed twice (in one class or in two), an edge with an endpoint in no
    /// class (an uncoloured vertex), a self-loop.
    pub fn new(colors: Vec<Vec<u64>>, edges: Vec<[u64; 2]>) -> Result<Mcc, GraphError> {
        let err = |place, message: String| GraphError { place, message };
        if colors.is_empty() {
            return Err(err(
                Place::Colors,
                "no colour classes: kappa must be at least 1".into(),
            ));
        }
        let mut position = HashMap::new();
        for (c, class) in colors.iter().enumerate() {
            if class.is_empty() {
                return Err(err(
                    Place::Class(c),
                    format!("colour class {} is empty", c + 1),
                ));
            }
            for (i, &v) in class.iter().enumerate() {
                if v == 0 {
                    return Err(err(
                        Place::Vertex(c, i),
                        "vertex 0: vertices are positive integers".into(),
                    ));
                }
                if let Some((c0, r0)) = position.insert(v, (c, i + 1)) {
                    return Err(err(
                        Place::Vertex(c, i),
                        format!(
                            "vertex {v} is already in colour class {} (position {}): every \
                             vertex lies in exactly one class",
                            c0 + 1,
                            r0
                        ),
                    ));
                }
            }
        }
        let mut adjacent: HashMap<u64, Vec<u64>> = HashMap::new();
        for (e, &[u, v]) in edges.iter().enumerate() {
            if u == v {
                return Err(err(Place::Edge(e), format!("self-loop at vertex {u}")));
            }
            for w in [u, v] {
                if !position.contains_key(&w) {
                    return Err(err(
                        Place::Edge(e),
                        format!("vertex {w} of edge {{{u}, {v}}} is in no colour class"),
                    ));
                }
            }
            if position[&u].0 != position[&v].0 {
                adjacent.entry(u).or_default().push(v);
                adjacent.entry(v).or_default().push(u);
            }
        }
        let mut cross_edges = 0;
        for list in adjacent.values_mut() {
            list.sort_unstable();
            list.dedup();
            cross_edges += list.len();
        }
        Ok(Mcc {
            colors,
            edges,
            position,
            adjacent,
            cross_edges: cross_edges / 2,
        })
    }

    /// The number of colour classes, `kappa`.
    pub fn kappa(&self) -> usize {
        self.colors.len()
    }

    /// The colour classes as given.
    pub fn colors(&self) -> &[Vec<u64>] {
        &self.colors
    }

    /// The edges as given.
    pub fn edges(&self) -> &[[u64; 2]] {
        &self.edges
    }

    /// Total number of vertices.
    pub fn num_vertices(&self) -> usize {
        self.position.len()
    }

    /// Number of distinct edges between different colour classes (the only ones that matter).
    pub fn num_cross_edges(&self) -> usize {
        self.cross_edges
    }

    /// `(class, rank)` of vertex `v` (class 0-based, rank 1-based in the class), if coloured.
    pub fn position(&self, v: u64) -> Option<(usize, usize)> {
        self.position.get(&v).copied()
    }

    /// The vertex of rank `rank` (1-based) in class `c`.
    pub fn vertex(&self, c: usize, rank: usize) -> u64 {
        self.colors[c][rank - 1]
    }

    /// Are `u` and `v` adjacent (and in different classes)?
    pub fn adjacent(&self, u: u64, v: u64) -> bool {
        self.adjacent
            .get(&u)
            .is_some_and(|list| list.binary_search(&v).is_ok())
    }

    /// The neighbours of `v` in other classes, sorted.
    pub fn neighbours(&self, v: u64) -> &[u64] {
        self.adjacent.get(&v).map_or(&[], Vec::as_slice)
    }

    /// Check that `clique` is a multicoloured clique: one vertex of every class (in any
    /// order), pairwise adjacent. The message says what fails (an uncoloured vertex, a class
    /// missing or repeated, a non-adjacent pair).
    pub fn check_clique(&self, clique: &[u64]) -> Result<(), crate::Malformed> {
        self.clique_rules(clique).map_err(crate::Malformed)
    }

    /// The checks of [`Self::check_clique`], first failure in words.
    fn clique_rules(&self, clique: &[u64]) -> Result<(), String> {
        let mut chosen: Vec<Option<u64>> = vec![None; self.kappa()];
        for &v in clique {
            let Some((c, _)) = self.position(v) else {
                return Err(format!("vertex {v} is in no colour class"));
            };
            if let Some(u) = chosen[c] {
                return Err(format!(
                    "vertices {u} and {v} are both in colour class {}",
                    c + 1
                ));
            }
            chosen[c] = Some(v);
        }
        if let Some(c) = chosen.iter().position(Option::is_none) {
            return Err(format!(
                "no vertex of colour class {} (a multicoloured clique has one vertex of each \
                 of the {} classes)",
                c + 1,
                self.kappa()
            ));
        }
        for (i, &u) in clique.iter().enumerate() {
            for &v in &clique[i + 1..] {
                if !self.adjacent(u, v) {
                    return Err(format!("vertices {u} and {v} are not adjacent"));
                }
            }
        }
        Ok(())
    }

    /// The clique's vertices ordered by colour class.
    ///
    /// # Panics
    /// If `clique` is not a multicoloured clique (check with [`Mcc::check_clique`]).
    pub fn by_class(&self, clique: &[u64]) -> Vec<u64> {
        let mut v = clique.to_vec();
        v.sort_by_key(|&x| self.position(x).expect("coloured vertex").0);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triangle() -> Mcc {
        Mcc::new(
            vec![vec![1, 2], vec![3], vec![4, 5]],
            vec![[1, 3], [3, 4], [1, 4], [2, 5], [1, 2], [3, 1]],
        )
        .unwrap()
    }

    #[test]
    fn index_and_cliques() {
        let g = triangle();
        assert_eq!(g.kappa(), 3);
        assert_eq!(g.num_vertices(), 5);
        assert_eq!(g.num_cross_edges(), 4);
        assert_eq!(g.position(5), Some((2, 2)));
        assert!(g.adjacent(4, 1) && !g.adjacent(1, 2));
        g.check_clique(&[4, 1, 3]).unwrap();
        assert_eq!(g.by_class(&[4, 1, 3]), vec![1, 3, 4]);
        for (bad, why) in [
            (vec![1, 3], "no vertex of colour class 3"),
            (vec![1, 2, 3, 4], "both in colour class 1"),
            (vec![2, 3, 5], "not adjacent"),
            (vec![9, 3, 4], "in no colour class"),
        ] {
            let e = g.check_clique(&bad).unwrap_err();
            assert!(e.0.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn invalid_graphs_name_the_place() {
        let cases = [
            (vec![], vec![], Place::Colors),
            (vec![vec![1], vec![]], vec![], Place::Class(1)),
            (vec![vec![1, 0]], vec![], Place::Vertex(0, 1)),
            (vec![vec![1], vec![2, 1]], vec![], Place::Vertex(1, 1)),
            (vec![vec![1], vec![2]], vec![[1, 2], [2, 2]], Place::Edge(1)),
            (vec![vec![1], vec![2]], vec![[1, 7]], Place::Edge(0)),
        ];
        for (colors, edges, place) in cases {
            assert_eq!(Mcc::new(colors, edges).unwrap_err().place, place);
        }
    }
}
