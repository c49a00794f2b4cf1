//! Which pattern rows an `abs` leaf needs: in the plane, the rows of points inside the convex
//! hull of the other points of their side are implied by those points' rows.

use super::IntData;

/// Orientation of the triangle `(o, a, b)` of points `h = L (x, 1)` in the plane: the sign
/// of the cross product `(a - o) x (b - o)`; `None` on overflow.
fn orient(o: &[i128], a: &[i128], b: &[i128]) -> Option<i128> {
    // a - o = (a_t L_o - o_t L_a) / (L_a L_o); both products share the denominator
    // L_a L_b L_o^2 > 0, so the sign is that of the integer expression below.
    let (lo, la, lb) = (o[2], a[2], b[2]);
    let d =
        |p: &[i128], lp: i128, t: usize| p[t].checked_mul(lo)?.checked_sub(o[t].checked_mul(lp)?);
    let first = d(a, la, 0)?.checked_mul(d(b, lb, 1)?)?;
    let second = d(a, la, 1)?.checked_mul(d(b, lb, 0)?)?;
    Some((first.checked_sub(second)?).signum())
}

/// Hull vertices (exact, `d = 2`) of the points `idx`: every other point of the set is a
/// convex combination of them (or a repeat). Monotone chain; `None` on overflow.
fn hull_vertices(data: &IntData, idx: &[usize]) -> Option<Vec<usize>> {
    let h = &data.h;
    let mut pts: Vec<usize> = idx.to_vec();
    // Lexicographic order of x = h / L: compare h_a L_b with h_b L_a.
    let key = |a: usize, b: usize, t: usize| -> Option<std::cmp::Ordering> {
        Some(
            h[a][t]
                .checked_mul(h[b][2])?
                .cmp(&h[b][t].checked_mul(h[a][2])?),
        )
    };
    for &a in &pts {
        key(a, a, 0)?;
        key(a, a, 1)?;
    }
    pts.sort_by(|&a, &b| {
        key(a, b, 0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(key(a, b, 1).unwrap_or(std::cmp::Ordering::Equal))
    });
    pts.dedup_by(|a, b| {
        key(*a, *b, 0) == Some(std::cmp::Ordering::Equal)
            && key(*a, *b, 1) == Some(std::cmp::Ordering::Equal)
    });
    if pts.len() <= 2 {
        return Some(pts);
    }
    let chain = |order: &mut dyn Iterator<Item = usize>| -> Option<Vec<usize>> {
        let mut out: Vec<usize> = Vec::new();
        for p in order {
            while out.len() >= 2
                && orient(&h[out[out.len() - 2]], &h[out[out.len() - 1]], &h[p])? <= 0
            {
                out.pop();
            }
            out.push(p);
        }
        out.pop();
        Some(out)
    };
    let mut hull = chain(&mut pts.iter().copied())?;
    hull.extend(chain(&mut pts.iter().rev().copied())?);
    Some(hull)
}

/// The points whose rows `w . x_i + b >= 0` (inside) / `<= 0` (outside) are not implied by
/// the others, for the pattern `inside` on planar data: the hull vertices of each side (a
/// row of a point in the convex hull of other points of its side is a convex combination
/// of theirs). Sorted; `None` (use every point) for `d != 2` or on overflow. Dropping rows
/// only relaxes the LP, so the dual bounds stay valid whatever this returns; exactness of
/// the optimum relies on the hull being exact, and the caller re-checks it anyway.
pub fn pattern_support(data: &IntData, inside: &[usize]) -> Option<Vec<usize>> {
    if data.h.first().is_none_or(|r| r.len() != 3) {
        return None;
    }
    let mut is_in = vec![false; data.h.len()];
    for &i in inside {
        is_in[i] = true;
    }
    let outside: Vec<usize> = (0..data.h.len()).filter(|&i| !is_in[i]).collect();
    let mut s = hull_vertices(data, inside)?;
    s.extend(hull_vertices(data, &outside)?);
    s.sort_unstable();
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio, Rational};

    #[test]
    fn support_keeps_exactly_the_hull_vertices_of_each_side() {
        // Inside: a square (0..2)^2 with its centre, an edge midpoint and a repeated corner;
        // outside: a triangle with one point on an edge. Halves keep x rational.
        let pts = [
            (0, 0),
            (2, 0),
            (2, 2),
            (0, 2),
            (1, 1),
            (1, 0),
            (0, 0),
            (5, 0),
            (7, 0),
            (6, 3),
            (6, 0),
        ];
        let xs: Vec<Vec<Rational>> = pts
            .iter()
            .map(|&(a, b)| vec![ratio(a, 2), ratio(b, 2)])
            .collect();
        let data = IntData::new(&xs, &vec![int(0); xs.len()]).unwrap();
        let support = pattern_support(&data, &[0, 1, 2, 3, 4, 5, 6]).unwrap();
        assert_eq!(support, vec![0, 1, 2, 3, 7, 8, 9]);
        // Collinear outside points: only the two ends.
        let line: Vec<Vec<Rational>> = (0..5).map(|t| vec![int(t), int(2 * t)]).collect();
        let data = IntData::new(&line, &vec![int(0); 5]).unwrap();
        assert_eq!(pattern_support(&data, &[]).unwrap(), vec![0, 4]);
    }
}
