//! Dichotomy enumeration: Cover's count in general position, exact witnesses, degenerate
//! inputs (collinear, repeated, grids), and agreement with a brute-force search.

use proptest::prelude::*;
use relufit::geometry::{cover_count, dichotomies, Dichotomy};
use relufit::num::{int, ratio, Rational};
use std::collections::BTreeSet;

fn refs(points: &[Vec<Rational>]) -> Vec<&[Rational]> {
    points.iter().map(|p| p.as_slice()).collect()
}

/// Each witness realises exactly its set, and no set appears twice.
fn check_witnesses(points: &[Vec<Rational>], ds: &[Dichotomy]) {
    let mut sets = BTreeSet::new();
    for dch in ds {
        let inside: Vec<usize> = (0..points.len())
            .filter(|&i| {
                dch.w
                    .iter()
                    .zip(&points[i])
                    .fold(dch.b.clone(), |acc, (w, x)| acc + w * x)
                    > Rational::ZERO
            })
            .collect();
        assert_eq!(inside, dch.inside, "witness does not realise its set");
        assert!(sets.insert(dch.inside.clone()), "duplicate dichotomy");
    }
}

fn moment_curve(n: usize, d: usize) -> Vec<Vec<Rational>> {
    (0..n)
        .map(|t| (1..=d).map(|k| int((t as i64 - 3).pow(k as u32))).collect())
        .collect()
}

#[test]
fn cover_count_in_general_position() {
    for d in 1..=3 {
        for n in 1..=9 {
            let pts = moment_curve(n, d);
            let ds = dichotomies(&refs(&pts));
            check_witnesses(&pts, &ds);
            assert_eq!(ds.len() as u128, cover_count(n, d), "n = {n}, d = {d}");
        }
    }
    assert_eq!(cover_count(10, 2), 10 * 10 - 10 + 2);
}

#[test]
fn degenerate_inputs() {
    // n distinct collinear points in the plane: like d = 1, 2n dichotomies.
    let line: Vec<Vec<Rational>> = (0..7).map(|t| vec![int(t), ratio(2 * t + 1, 3)]).collect();
    let ds = dichotomies(&refs(&line));
    check_witnesses(&line, &ds);
    assert_eq!(ds.len(), 14);
    // One point repeated: nothing or everything.
    let same = vec![vec![int(1), int(2)]; 4];
    assert_eq!(dichotomies(&refs(&same)).len(), 2);
    // Duplicates keep the count and stay together.
    let mut pts = moment_curve(6, 2);
    pts.push(pts[2].clone());
    pts.push(pts[4].clone());
    let ds = dichotomies(&refs(&pts));
    check_witnesses(&pts, &ds);
    assert_eq!(ds.len() as u128, cover_count(6, 2));
    for dch in &ds {
        assert_eq!(dch.inside.contains(&2), dch.inside.contains(&6));
        assert_eq!(dch.inside.contains(&4), dch.inside.contains(&7));
    }
    // Points in a plane inside Q^3: counted as in d = 2.
    let flat: Vec<Vec<Rational>> = moment_curve(6, 2)
        .into_iter()
        .map(|p| vec![p[0].clone(), int(5), p[1].clone()])
        .collect();
    assert_eq!(dichotomies(&refs(&flat)).len() as u128, cover_count(6, 2));
}

/// Every set realised by a brute-force family of small integer hyperplanes is found.
fn brute_force(points: &[Vec<Rational>]) -> BTreeSet<Vec<usize>> {
    let mut found = BTreeSet::new();
    for w1 in -6i64..=6 {
        for w2 in -6i64..=6 {
            for b12 in -120i64..=120 {
                let b = ratio(b12, 12);
                let inside: Vec<usize> = (0..points.len())
                    .filter(|&i| {
                        int(w1) * &points[i][0] + int(w2) * &points[i][1] + &b > Rational::ZERO
                    })
                    .collect();
                found.insert(inside);
            }
        }
    }
    found
}

#[test]
fn grid_matches_brute_force() {
    let grid: Vec<Vec<Rational>> = (0..3)
        .flat_map(|a| (0..3).map(move |b| vec![int(a), int(b)]))
        .collect();
    let ds = dichotomies(&refs(&grid));
    check_witnesses(&grid, &ds);
    let ours: BTreeSet<Vec<usize>> = ds.into_iter().map(|d| d.inside).collect();
    assert_eq!(ours, brute_force(&grid));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn small_integer_sets_contain_brute_force(raw in prop::collection::vec((0i64..4, 0i64..4), 1..7)) {
        let pts: Vec<Vec<Rational>> = raw.iter().map(|&(a, b)| vec![int(a), int(b)]).collect();
        let ds = dichotomies(&refs(&pts));
        check_witnesses(&pts, &ds);
        let ours: BTreeSet<Vec<usize>> = ds.iter().map(|d| d.inside.clone()).collect();
        prop_assert!(brute_force(&pts).is_subset(&ours));
        // The complement of a dichotomy is a dichotomy (perturb off the points, negate).
        for s in &ours {
            let comp: Vec<usize> = (0..pts.len()).filter(|i| !s.contains(i)).collect();
            prop_assert!(ours.contains(&comp));
        }
    }
}
