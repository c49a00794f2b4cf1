//! Symmetry breaking over interchangeable neurons.
//!
//! Two neurons are interchangeable in a search state when every assigned point has both in
//! its subset or neither: swapping them maps the system (6) to itself. The subsets a new
//! point may join then form orbits under permutations within each class, and an orbit is
//! fixed by how many members of each class the subset contains. Exploring one
//! representative per orbit (the subset taking a *prefix* of each class) is complete, and
//! the same holds for the forced-point test of Algorithm 2 (both `mu < y` witnesses and
//! rejections carry over along the symmetry).

/// Classes of interchangeable neurons (each sorted ascending) for the assigned masks.
pub(crate) fn classes(k: usize, assigned: impl Iterator<Item = u32>) -> Vec<Vec<usize>> {
    // Signature of neuron j: the bit column of j over the distinct assigned masks.
    let mut masks: Vec<u32> = assigned.collect();
    masks.sort_unstable();
    masks.dedup();
    let mut classes: Vec<(Vec<bool>, Vec<usize>)> = Vec::new();
    for j in 0..k {
        let sig: Vec<bool> = masks.iter().map(|m| m >> j & 1 == 1).collect();
        match classes.iter_mut().find(|(s, _)| *s == sig) {
            Some((_, members)) => members.push(j),
            None => classes.push((sig, vec![j])),
        }
    }
    classes.into_iter().map(|(_, m)| m).collect()
}

/// One representative subset per orbit: for each class, a prefix of it.
pub(crate) fn canonical_masks(classes: &[Vec<usize>]) -> Vec<u32> {
    let mut out = vec![0u32];
    for class in classes {
        let mut next = Vec::with_capacity(out.len() * (class.len() + 1));
        for &m in &out {
            let mut mask = m;
            next.push(mask);
            for &j in class {
                mask |= 1 << j;
                next.push(mask);
            }
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orbit_representatives() {
        let c = classes(3, std::iter::empty());
        assert_eq!(c, vec![vec![0, 1, 2]]);
        assert_eq!(canonical_masks(&c), vec![0, 1, 3, 7]);
        let c = classes(3, [0b001u32].into_iter());
        assert_eq!(c, vec![vec![0], vec![1, 2]]);
        let mut m = canonical_masks(&c);
        m.sort_unstable();
        assert_eq!(m, vec![0, 1, 2, 3, 6, 7]);
        let c = classes(3, [0b001u32, 0b010].into_iter());
        assert_eq!(canonical_masks(&c).len(), 8);
    }
}
