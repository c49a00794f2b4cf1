//! The integer fast path of the LP layer (`lp::int`, used by ExactFit): every answer is
//! compared with the generic rational path and every certificate it returns is re-checked
//! by `lp::check` / `lp::check_dual_bound` / `lp::check_feasible` on `IntLp::to_lp`; the
//! exact `i64` / `i128` square solves are verified against big-integer arithmetic.

mod support;

use relufit::lp::int::{self, IntComparison, IntLp, WarmStart};
use relufit::lp::{self, LpAnswer, Sense};
use relufit::num::{Int, Rational};
use support::{SmallDraws, SplitMix64};

/// Small, very degenerate integer LPs (many homogeneous rows, like ExactFit's region rows).
fn random_int_lp(rng: &mut SplitMix64) -> IntLp {
    let n = 1 + (rng.next_u64() % 5) as usize;
    let m = (rng.next_u64() % 12) as usize;
    let mut p = IntLp::new(n);
    for _ in 0..m {
        let a: Vec<i64> = (0..n).map(|_| rng.int_in(4)).collect();
        let sense = match rng.next_u64() % 5 {
            0 => Sense::Eq,
            1 | 2 => Sense::Le,
            _ => Sense::Ge,
        };
        let b = if rng.next_u64() % 2 == 0 {
            0
        } else {
            rng.int_in(5)
        };
        p.push(&a, sense, b);
    }
    p
}

fn dot(c: &[i64], x: &[Rational]) -> Rational {
    c.iter()
        .zip(x)
        .fold(Rational::ZERO, |s, (a, b)| s + Rational::from(*a) * b)
}

/// Check one fast-path comparison against the generic solve; returns its kind.
fn check_comparison(p: &IntLp, c: &[i64], t: i128, got: &IntComparison) -> &'static str {
    let feas = p.to_lp(None);
    let with_obj = p.to_lp(Some(c));
    let tq = Rational::from(Int::from(t));
    let full = lp::solve(&with_obj);
    lp::check(&with_obj, &full).expect("generic answer certified");
    match got {
        IntComparison::Below(pt) => {
            let q = pt.to_rationals();
            lp::check_feasible(&feas, &q).expect("point feasible");
            assert!(dot(c, &q) < tq);
            match &full {
                LpAnswer::Optimal { value, .. } => assert!(*value < tq),
                LpAnswer::Unbounded { .. } => {}
                other => panic!("fast path below, generic {other:?}"),
            }
            "below"
        }
        IntComparison::AtLeast { equal, dual } => {
            let bound = lp::check_dual_bound(&with_obj, &dual.to_dense(p.len()))
                .expect("dual bound certified");
            assert!(bound >= tq);
            assert_eq!(*equal, bound == tq);
            let LpAnswer::Optimal { value, .. } = &full else {
                panic!("fast path at-least, generic {full:?}");
            };
            assert!(*value >= bound);
            if *equal {
                "equal"
            } else {
                "above"
            }
        }
        IntComparison::Infeasible { farkas } => {
            let y = farkas.to_dense(p.len());
            lp::check(&feas, &LpAnswer::Infeasible { farkas: y }).expect("Farkas certified");
            assert!(matches!(full, LpAnswer::Infeasible { .. }), "{full:?}");
            "infeasible"
        }
    }
}

#[test]
fn int_compare_agrees_with_generic_and_certificates_check() {
    let mut rng = SplitMix64::new(5);
    let mut kinds = std::collections::BTreeMap::new();
    let mut misses = 0;
    let total = 1500;
    for _ in 0..total {
        let p = random_int_lp(&mut rng);
        let c: Vec<i64> = (0..p.num_vars()).map(|_| rng.int_in(3)).collect();
        let t = rng.int_in(6) as i128;
        match int::compare_min(&p, &c, t).0 {
            Some(got) => *kinds.entry(check_comparison(&p, &c, t, &got)).or_insert(0) += 1,
            None => misses += 1,
        }
    }
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    // The fast path must answer most LPs itself, or it is pointless.
    assert!(
        misses * 10 < total,
        "{misses} of {total} LPs missed the fast path"
    );
}

#[test]
fn warm_started_sequences_agree_with_cold_runs() {
    let mut rng = SplitMix64::new(17);
    let mut warm_answers = 0;
    for _ in 0..300 {
        let mut p = random_int_lp(&mut rng);
        let mut warm = WarmStart::default();
        for step in 0..8 {
            if step == 4 {
                // Rows may be appended between LPs (forced points in ExactFit).
                let a: Vec<i64> = (0..p.num_vars()).map(|_| rng.int_in(3)).collect();
                p.push(&a, Sense::Ge, 0);
            }
            let c: Vec<i64> = (0..p.num_vars()).map(|_| rng.int_in(3)).collect();
            let t = rng.int_in(6) as i128;
            let cold = int::compare_min(&p, &c, t).0;
            let hot = int::compare_min_warm(&p, &c, t, &mut warm).0;
            if let Some(h) = &hot {
                check_comparison(&p, &c, t, h);
                warm_answers += 1;
            }
            if let (Some(a), Some(b)) = (&cold, &hot) {
                // Same decision (the certificates may differ).
                let kind = |x: &IntComparison| match x {
                    IntComparison::Below(_) => 0,
                    IntComparison::AtLeast { equal: true, .. } => 1,
                    IntComparison::AtLeast { equal: false, .. } => 2,
                    IntComparison::Infeasible { .. } => 3,
                };
                assert_eq!(kind(a), kind(b));
            }
        }
    }
    assert!(warm_answers > 2000, "only {warm_answers} warm answers");
}

#[test]
fn retries_certify_what_a_wrong_first_guess_cannot() {
    // `certify_retrying` given the guess for the opposite objective (whose basis rarely
    // certifies `c`): the cold `f64` retry, then the cold double-double one, must rescue
    // such questions, every answer must check against the generic path, and the counters
    // must say which retries ran. On a double-double system only the double-double retry
    // runs.
    let mut rng = SplitMix64::new(17);
    let (mut first_failed, mut rescued) = (0u64, 0);
    let mut retries = int::Retries::default();
    let mut precise_retries = int::Retries::default();
    for _ in 0..1500 {
        let p = random_int_lp(&mut rng);
        let c: Vec<i64> = (0..p.num_vars()).map(|_| rng.int_in(3)).collect();
        let t = rng.int_in(6) as i128;
        let opposite: Vec<f64> = c.iter().map(|&x| -(x as f64)).collect();
        let wrong = int::guess_min(&p, &opposite, &mut WarmStart::default());
        let certify = |g: &int::Guess| int::certify_min(&p, &c, t, g);
        let alone = certify(&wrong);
        let got = int::certify_retrying(&p, &c, &wrong, &mut retries, certify);
        if let Some(got) = &got {
            check_comparison(&p, &c, t, got);
        }
        if alone.is_none() {
            first_failed += 1;
            rescued += usize::from(got.is_some());
        } else {
            assert_eq!(got, alone, "a certified first guess is kept");
        }
        let mut precise = p.clone();
        precise.make_precise();
        let wrong = int::guess_min(&precise, &opposite, &mut WarmStart::default());
        let certify = |g: &int::Guess| int::certify_min(&precise, &c, t, g);
        if let Some(got) =
            int::certify_retrying(&precise, &c, &wrong, &mut precise_retries, certify)
        {
            check_comparison(&p, &c, t, &got);
        }
    }
    assert_eq!(retries.cold, first_failed);
    // The cold `f64` guess does most of the rescuing; the double-double one is rarely
    // needed (a cold `f64` retry that did nothing would leave it all to the latter).
    assert!(retries.precise * 2 < retries.cold, "{retries:?}");
    assert!(rescued > 100, "{rescued} of {first_failed} rescued");
    assert_eq!(precise_retries.cold, 0);
    assert!(precise_retries.precise > 100, "{precise_retries:?}");
}

#[test]
fn unbounded_minima_step_from_a_known_point() {
    // `certify_min_from` with a point of the polyhedron steps from it along the recession
    // direction (no feasibility LP, no basis vertex); with a point outside, or something
    // that is not a point (no positive denominator, a missing coordinate), it takes the old
    // path. Every answer is re-checked against the generic path.
    let mut rng = SplitMix64::new(41);
    let (mut from_known, mut unbounded, mut violating) = (0, 0, 0);
    for _ in 0..1500 {
        let p = random_int_lp(&mut rng);
        let zero = vec![0.0; p.num_vars()];
        let feasible = int::guess_min(&p, &zero, &mut WarmStart::default());
        let Some(Ok(point)) = int::certify_feasible(&p, &feasible) else {
            continue;
        };
        let Some(inside) = point.small().cloned() else {
            continue;
        };
        // Far along a diagonal: in the polyhedron (a cone, say) or outside it.
        let far = int::IntPoint {
            num: inside.num.iter().map(|x| x + 1_000 * inside.den).collect(),
            den: inside.den,
        };
        let malformed = [
            int::IntPoint {
                num: inside.num.iter().map(|x| -x).collect(),
                den: -inside.den,
            },
            int::IntPoint {
                num: inside.num.clone(),
                den: 0,
            },
            int::IntPoint {
                num: inside.num[1..].to_vec(),
                den: inside.den,
            },
        ];
        let c: Vec<i64> = (0..p.num_vars()).map(|_| rng.int_in(3)).collect();
        let t = rng.int_in(6) as i128;
        let cf: Vec<f64> = c.iter().map(|&x| x as f64).collect();
        let guess = int::guess_min(&p, &cf, &mut WarmStart::default());
        if !matches!(guess.kind(), int::GuessKind::Unbounded) {
            continue;
        }
        unbounded += 1;
        let plain = int::certify_min(&p, &c, t, &guess);
        for known in [&inside, &far] {
            let in_polyhedron = p.satisfies(known).expect("small values");
            let got = int::certify_min_from(&p, &c, t, &guess, Some(known));
            if !in_polyhedron {
                violating += 1;
                assert_eq!(got, plain);
            } else if let Some(got) = got {
                assert_eq!(check_comparison(&p, &c, t, &got), "below");
                if Some(&got) != plain.as_ref() {
                    from_known += 1;
                }
            }
        }
        for known in &malformed {
            assert_eq!(int::certify_min_from(&p, &c, t, &guess, Some(known)), plain);
        }
    }
    assert!(unbounded > 300, "only {unbounded} unbounded minima");
    assert!(violating > 100, "only {violating} points outside");
    // A known point other than the one the old path finds (the feasibility LP's vertex,
    // which `inside` is) changes the certified point: it is the start of the step.
    assert!(
        from_known > 100,
        "only {from_known} answers started from the known point"
    );
}

#[test]
fn int_feasibility_agrees_with_generic() {
    let mut rng = SplitMix64::new(29);
    let (mut yes, mut no) = (0, 0);
    for _ in 0..1500 {
        let p = random_int_lp(&mut rng);
        let feas = p.to_lp(None);
        let full = lp::solve(&feas);
        match int::feasible(&p).0 {
            Some(Ok(pt)) => {
                lp::check_feasible(&feas, &pt.to_rationals()).expect("point feasible");
                assert!(matches!(full, LpAnswer::Feasible { .. }));
                yes += 1;
            }
            Some(Err(farkas)) => {
                let y = farkas.to_dense(p.len());
                lp::check(&feas, &LpAnswer::Infeasible { farkas: y }).expect("Farkas");
                assert!(matches!(full, LpAnswer::Infeasible { .. }));
                no += 1;
            }
            None => {}
        }
    }
    assert!(yes > 500 && no > 100, "feasible {yes}, infeasible {no}");
}

/// `m x = rhs` checked in big integers.
fn verify_solution(n: usize, m: &[i128], rhs: &[i128], x: &int::IntPoint) {
    assert!(x.den > 0);
    for i in 0..n {
        let lhs = (0..n).fold(Int::ZERO, |s, j| {
            s + Int::from(m[i * n + j]) * Int::from(x.num[j])
        });
        assert_eq!(lhs, Int::from(rhs[i]) * Int::from(x.den));
    }
}

#[test]
fn square_solves_are_exact_in_i64_and_i128() {
    let mut rng = SplitMix64::new(41);
    let (mut solved, mut singular, mut overflow) = (0, 0, 0);
    for round in 0..3000 {
        let n = 1 + (rng.next_u64() % 9) as usize;
        // Small entries stay in i64; large ones force the i128 elimination (or overflow).
        let scale: i64 = match round % 3 {
            0 => 3,
            1 => 1 << 20,
            _ => 1 << 40,
        };
        let m: Vec<i128> = (0..n * n)
            .map(|_| {
                if rng.next_u64() % 3 == 0 {
                    0
                } else {
                    rng.int_in(scale) as i128
                }
            })
            .collect();
        let rhs: Vec<i128> = (0..n).map(|_| rng.int_in(scale) as i128).collect();
        match int::solve_square(n, &m, &rhs) {
            Some(Some(x)) => {
                verify_solution(n, &m, &rhs, &x);
                solved += 1;
            }
            Some(None) => {
                let rows: Vec<Vec<Int>> = (0..n)
                    .map(|i| (0..n).map(|j| Int::from(m[i * n + j])).collect())
                    .collect();
                assert!(!lp::basis::is_nonsingular(&rows), "reported singular");
                singular += 1;
            }
            None => {
                assert!(scale > 3, "overflow on tiny entries");
                overflow += 1;
            }
        }
    }
    assert!(
        solved > 1000 && singular > 50 && overflow > 0,
        "{solved} {singular} {overflow}"
    );
}
