//! The exact LP layer: every answer is re-checked in rationals by `lp::check`, on hand-made
//! cases with known answers and on many small random (often degenerate) LPs.

mod support;

use relufit::lp::{self, Lp, LpAnswer, Sense};
use relufit::num::{int, ratio};
use support::build::ints;
use support::{SmallDraws, SplitMix64};

fn solved(lp: &Lp) -> LpAnswer {
    let a = lp::solve_unchecked(lp);
    lp::check(lp, &a).unwrap_or_else(|e| panic!("certificate rejected: {e}\n{lp:?}\n{a:?}"));
    a
}

#[test]
fn known_optimum_with_fractions() {
    // min -x - y  s.t. x + 2y <= 4, 3x + y <= 6, x, y >= 0  -> (8/5, 6/5), value -14/5.
    let mut p = Lp::new(2);
    p.push(ints(&[1, 2]), Sense::Le, int(4));
    p.push(ints(&[3, 1]), Sense::Le, int(6));
    p.push(ints(&[1, 0]), Sense::Ge, int(0));
    p.push(ints(&[0, 1]), Sense::Ge, int(0));
    p.minimize(ints(&[-1, -1]));
    match solved(&p) {
        LpAnswer::Optimal { point, value, .. } => {
            assert_eq!(point, vec![ratio(8, 5), ratio(6, 5)]);
            assert_eq!(value, ratio(-14, 5));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn infeasible_unbounded_and_feasible() {
    let mut p = Lp::new(2);
    p.push(ints(&[1, 1]), Sense::Ge, int(2));
    p.push(ints(&[1, 1]), Sense::Le, int(1));
    assert!(matches!(solved(&p), LpAnswer::Infeasible { .. }));
    p.objective = Some(ints(&[1, 0]));
    assert!(matches!(solved(&p), LpAnswer::Infeasible { .. }));

    let mut q = Lp::new(2);
    q.push(ints(&[1, 0]), Sense::Ge, int(0));
    q.minimize(ints(&[0, 1]));
    assert!(matches!(solved(&q), LpAnswer::Unbounded { .. }));
    q.objective = None;
    assert!(matches!(solved(&q), LpAnswer::Feasible { .. }));

    // Equality with rational data, free variables, lineality (y unconstrained).
    let mut e = Lp::new(3);
    e.push(
        vec![ratio(1, 3), int(0), ratio(-2, 7)],
        Sense::Eq,
        ratio(5, 11),
    );
    e.minimize(vec![int(1), int(0), ratio(-3, 2)]);
    let a = solved(&e);
    assert!(matches!(
        a,
        LpAnswer::Optimal { .. } | LpAnswer::Unbounded { .. }
    ));
    // x/3 - 2z/7 = 5/11: x = 15/11 + 6z/7, objective 15/11 + 6z/7 - 3z/2 -> unbounded.
    assert!(matches!(a, LpAnswer::Unbounded { .. }));
}

#[test]
fn trivial_rows_and_zero_variables() {
    let mut p = Lp::new(0);
    p.push(vec![], Sense::Ge, int(1));
    assert!(matches!(solved(&p), LpAnswer::Infeasible { .. }));
    let mut q = Lp::new(0);
    q.push(vec![], Sense::Le, int(1));
    assert!(matches!(solved(&q), LpAnswer::Feasible { .. }));
    let mut r = Lp::new(2);
    r.push(ints(&[0, 0]), Sense::Eq, int(3));
    assert!(matches!(solved(&r), LpAnswer::Infeasible { .. }));
    let mut s = Lp::new(2);
    s.minimize(ints(&[0, 0]));
    assert!(matches!(solved(&s), LpAnswer::Optimal { .. }));
}

/// A small random LP, often degenerate: many zero right-hand sides (homogeneous systems like
/// ExactFit's), every kind of answer.
fn random_lp(rng: &mut SplitMix64) -> Lp {
    let n = 1 + (rng.next_u64() % 4) as usize;
    let m = (rng.next_u64() % 9) as usize;
    let mut p = Lp::new(n);
    for _ in 0..m {
        let coeffs = (0..n)
            .map(|_| ratio(rng.int_in(3), 1 + (rng.next_u64() % 3) as i64))
            .collect();
        let sense = match rng.next_u64() % 5 {
            0 => Sense::Eq,
            1 | 2 => Sense::Le,
            _ => Sense::Ge,
        };
        let rhs = if rng.next_u64() % 2 == 0 {
            int(0)
        } else {
            int(rng.int_in(4))
        };
        p.push(coeffs, sense, rhs);
    }
    if rng.next_u64() % 4 != 0 {
        p.minimize((0..n).map(|_| int(rng.int_in(2))).collect());
    }
    p
}

#[test]
fn float_guided_and_exact_backends_agree() {
    let mut rng = SplitMix64::new(11);
    let mut float_used = 0;
    for _ in 0..1500 {
        let p = random_lp(&mut rng);
        let (a, backend) = lp::solve_with_backend(&p);
        lp::check(&p, &a).unwrap_or_else(|e| panic!("{e}: {p:?} {a:?}"));
        let exact = solved(&p);
        assert_eq!(a.kind(), exact.kind(), "{p:?}");
        if let (LpAnswer::Optimal { value: v1, .. }, LpAnswer::Optimal { value: v2, .. }) =
            (&a, &exact)
        {
            assert_eq!(v1, v2);
        }
        if backend == lp::Backend::FloatBasis {
            float_used += 1;
        }
    }
    // The float guess must be right most of the time, or the fast path is pointless.
    assert!(
        float_used > 1200,
        "float basis certified only {float_used} times"
    );
}

#[test]
fn random_small_lps_all_certified() {
    let mut rng = SplitMix64::new(7);
    let mut kinds = std::collections::BTreeMap::new();
    for _ in 0..1500 {
        let p = random_lp(&mut rng);
        let a = solved(&p);
        *kinds.entry(a.kind()).or_insert(0) += 1;
    }
    // The generator must exercise every kind of answer.
    for k in ["feasible", "optimal", "infeasible", "unbounded"] {
        assert!(kinds.get(k).copied().unwrap_or(0) > 10, "{kinds:?}");
    }
}

#[test]
fn checker_rejects_wrong_certificates() {
    let mut p = Lp::new(1);
    p.push(ints(&[1]), Sense::Ge, int(1));
    p.minimize(ints(&[1]));
    let good = solved(&p);
    assert_eq!(
        good,
        LpAnswer::Optimal {
            point: ints(&[1]),
            value: int(1),
            dual: ints(&[1])
        }
    );
    let bad = [
        LpAnswer::Optimal {
            point: ints(&[2]),
            value: int(2),
            dual: ints(&[1]),
        },
        LpAnswer::Optimal {
            point: ints(&[1]),
            value: int(1),
            dual: ints(&[2]),
        },
        LpAnswer::Infeasible { farkas: ints(&[1]) },
        LpAnswer::Unbounded {
            point: ints(&[1]),
            ray: ints(&[1]),
        },
        LpAnswer::Feasible { point: ints(&[0]) },
    ];
    for b in bad {
        assert!(lp::check(&p, &b).is_err(), "{b:?}");
    }
    assert!(matches!(
        lp::certified(
            &p,
            LpAnswer::Infeasible {
                farkas: ints(&[-1])
            }
        ),
        LpAnswer::CertificationFailed { .. }
    ));
}

#[test]
fn compare_min_agrees_with_full_solves() {
    let mut rng = SplitMix64::new(23);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..1500 {
        let mut p = random_lp(&mut rng);
        if p.objective.is_none() {
            p.minimize((0..p.num_vars).map(|_| int(rng.int_in(2))).collect());
        }
        let t = ratio(rng.int_in(6), 1 + (rng.next_u64() % 2) as i64);
        let mut timer = lp::LpTimer::default();
        let got = lp::compare_min(&p, &t, &mut timer).expect("certified");
        let full = solved(&p);
        let c = p.objective.clone().unwrap();
        match (&got, &full) {
            (lp::MinComparison::Below { point }, LpAnswer::Optimal { value, .. }) => {
                assert!(*value < t);
                lp::check_feasible(&p, point).unwrap();
                let f = c.iter().zip(point).fold(int(0), |a, (x, y)| a + x * y);
                assert!(f < t);
                seen.insert("below");
            }
            (lp::MinComparison::Below { point }, LpAnswer::Unbounded { .. }) => {
                lp::check_feasible(&p, point).unwrap();
                seen.insert("below-unbounded");
            }
            (
                lp::MinComparison::AtLeast { dual, bound, point },
                LpAnswer::Optimal { value, .. },
            ) => {
                assert!(*value >= t && *bound >= t && bound <= value);
                if let Some(q) = point {
                    assert_eq!(*bound, t);
                    lp::check_feasible(&p, q).unwrap();
                    let f = c.iter().zip(q).fold(int(0), |a, (x, y)| a + x * y);
                    assert_eq!(f, t);
                    seen.insert("attained");
                }
                assert_eq!(lp::check_dual_bound(&p, dual).unwrap(), *bound);
                seen.insert("at-least");
            }
            (lp::MinComparison::Infeasible { farkas }, LpAnswer::Infeasible { .. }) => {
                lp::check(
                    &p,
                    &LpAnswer::Infeasible {
                        farkas: farkas.clone(),
                    },
                )
                .unwrap();
                seen.insert("infeasible");
            }
            other => panic!("disagreement {other:?}\n{p:?} t = {t}"),
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
}
