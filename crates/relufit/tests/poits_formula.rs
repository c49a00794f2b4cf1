//! The POITS source-problem layer: DIMACS and assignment formats, the exact solver (checked
//! against the conformance corpus and brute force), and the seeded generators.

mod support;

use proptest::prelude::*;
use relufit::sat::{
    count_solutions, count_solutions_big, count_with_limit, count_with_stats, enumerate_solutions,
    format_assignment, parse_assignment, parse_dimacs, planted_formula, random_formula, solve,
    solve_with_stats, to_dimacs, Assignment, Formula,
};
use relufit::Error;
use std::path::{Path, PathBuf};
use support::paper::{brute_force_solutions, formula_with_repeats};
use support::{SmallDraws, SplitMix64};

/// The conformance corpus carried by the repository (`tests/data/poits/README.md`).
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/poits");

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(CORPUS);
    let mut files = vec![root.join("figure5.cnf")];
    let mut qibo: Vec<PathBuf> = std::fs::read_dir(root.join("qibo"))
        .unwrap_or_else(|e| panic!("conformance corpus {}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "cnf"))
        .collect();
    qibo.sort();
    files.extend(qibo);
    files
}

/// The value after `prefix` in the file's comment lines.
fn comment_value<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .map(str::trim)
}

#[test]
fn corpus_counts_and_known_solutions() {
    let files = corpus_files();
    assert_eq!(files.len(), 52, "figure5 + 51 qibo instances");
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let f = parse_dimacs(&text, &name).unwrap();
        let expected: u128 = comment_value(&text, "c number of solutions:")
            .unwrap_or_else(|| panic!("{name}: no solution count"))
            .parse()
            .unwrap();
        assert_eq!(count_solutions(&f), expected, "{name}");
        let all = enumerate_solutions(&f, 1000);
        assert_eq!(all.len() as u128, expected, "{name}");
        assert!(all.windows(2).all(|w| w[0] < w[1]), "{name}: sorted");
        assert!(all.iter().all(|a| f.is_solution(a)), "{name}");
        let found = solve(&f).unwrap_or_else(|| panic!("{name}: no solution found"));
        assert!(f.is_solution(&found), "{name}");
        assert!(all.contains(&found), "{name}");
        if let Some(known) = comment_value(&text, "c known solution (true variables):") {
            let a = parse_assignment(known, f.num_vars, &name).unwrap();
            assert!(f.is_solution(&a), "{name}: known solution rejected");
            assert!(all.contains(&a), "{name}: known solution not enumerated");
        }
    }
}

#[test]
fn figure5_has_exactly_two_solutions() {
    let text = std::fs::read_to_string(Path::new(CORPUS).join("figure5.cnf")).unwrap();
    let f = parse_dimacs(&text, "figure5.cnf").unwrap();
    assert_eq!(f.num_vars, 5);
    assert_eq!(f.clauses, vec![[5, 4, 3], [4, 3, 2], [5, 2, 1]]);
    let mut sets: Vec<Vec<usize>> = enumerate_solutions(&f, 10)
        .iter()
        .map(Assignment::true_vars)
        .collect();
    sets.sort();
    assert_eq!(sets, vec![vec![1, 3], vec![1, 4]]);
    assert_eq!(count_solutions(&f), 2);
}

#[test]
fn solver_agrees_with_brute_force() {
    let mut rng = SplitMix64::new(2024);
    let mut nonzero = 0;
    let mut zero = 0;
    for round in 0..3000 {
        let n = 1 + rng.below(11);
        let m = rng.below(9);
        let f = if round % 2 == 0 {
            formula_with_repeats(&mut rng, n, m)
        } else if n >= 3 {
            random_formula(n, m, rng.next_u64()).unwrap()
        } else {
            formula_with_repeats(&mut rng, n, m)
        };
        let reference = brute_force_solutions(&f);
        let count = count_solutions(&f);
        assert_eq!(count, reference.len() as u128, "{f:?}");
        assert_eq!(
            enumerate_solutions(&f, usize::MAX),
            reference,
            "enumeration of {f:?}"
        );
        let limit = 1 + rng.below(4);
        let first: Vec<Assignment> = reference.iter().take(limit).cloned().collect();
        assert_eq!(
            enumerate_solutions(&f, limit),
            first,
            "limit {limit}: {f:?}"
        );
        match solve(&f) {
            Some(a) => assert!(f.is_solution(&a) && count > 0, "{f:?}"),
            None => assert_eq!(count, 0, "{f:?}"),
        }
        if count > 0 {
            nonzero += 1;
        } else {
            zero += 1;
        }
    }
    // The sample exercises both outcomes.
    assert!(nonzero > 300 && zero > 300, "{nonzero} sat, {zero} unsat");
}

#[test]
fn larger_counts_agree_with_brute_force_at_n12() {
    // Denser formulas near the satisfiability threshold, where components and backtracking
    // matter.
    for seed in 0..40 {
        let f = random_formula(12, 5 + (seed % 5) as usize, seed).unwrap();
        assert_eq!(
            count_solutions(&f),
            brute_force_solutions(&f).len() as u128,
            "{f:?}"
        );
    }
}

#[test]
fn cached_counts_agree_with_enumeration() {
    // Medium formulas with many solutions and repeated sub-components, where the component
    // cache of the counter is exercised; enumeration does not use it.
    let mut cached_work = 0;
    for seed in 0..30 {
        let n = 24 + (seed % 3) as usize * 4;
        let f = random_formula(n, n / 2, seed).unwrap();
        let all = enumerate_solutions(&f, 1 << 20);
        let (count, stats) = count_with_stats(&f);
        assert_eq!(count, dashu_int::UBig::from(all.len()), "{f:?}");
        cached_work += stats.decisions;
    }
    assert!(cached_work > 100, "the sample should need some search");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn proptest_count_matches_brute_force(
        n in 1usize..=9,
        raw in prop::collection::vec((0usize..9, 0usize..9, 0usize..9), 0..8),
    ) {
        let clauses: Vec<[usize; 3]> =
            raw.iter().map(|&(a, b, c)| [a % n + 1, b % n + 1, c % n + 1]).collect();
        let f = Formula { num_vars: n, clauses };
        prop_assert_eq!(count_solutions(&f), brute_force_solutions(&f).len() as u128);
    }

    #[test]
    fn proptest_dimacs_round_trip(
        n in 1usize..=50,
        raw in prop::collection::vec((0usize..50, 0usize..50, 0usize..50), 0..20),
    ) {
        let clauses: Vec<[usize; 3]> =
            raw.iter().map(|&(a, b, c)| [a % n + 1, b % n + 1, c % n + 1]).collect();
        let f = Formula { num_vars: n, clauses };
        let text = to_dimacs(&f, &["generated".to_string()]);
        prop_assert_eq!(parse_dimacs(&text, "rt.cnf").unwrap(), f);
    }
}

#[test]
fn planted_formulas_are_solved() {
    for &(n, m) in &[
        (3, 1),
        (3, 10),
        (4, 4),
        (10, 10),
        (30, 40),
        (100, 100),
        (1000, 1000),
    ] {
        for seed in 0..5 {
            let (f, planted) = planted_formula(n, m, seed).unwrap();
            assert_eq!((f.num_vars, f.num_clauses()), (n, m));
            assert!(f.validate().is_ok());
            assert!(f.is_solution(&planted), "planted n={n} m={m} seed={seed}");
            let t = planted.true_vars().len();
            assert!(t >= 1 && n - t >= 2);
            assert!(t.abs_diff(n / 3) <= 1, "about a third true: {t} of {n}");
            for c in &f.clauses {
                assert_ne!(c[0], c[1]);
                assert_ne!(c[0], c[2]);
                assert_ne!(c[1], c[2]);
            }
            let found = solve(&f).expect("a planted formula is satisfiable");
            assert!(f.is_solution(&found));
            if n <= 12 {
                let all = brute_force_solutions(&f);
                assert!(all.contains(&planted));
                assert_eq!(count_solutions(&f), all.len() as u128);
            }
        }
    }
}

#[test]
fn planted_large_is_solved() {
    // Clause/variable ratio 1 is a hard-ish regime (see the `timings` test); n = 4000 stays
    // in the tens of milliseconds.
    for seed in 0..3 {
        let (f, planted) = planted_formula(4000, 4000, seed).unwrap();
        assert!(f.is_solution(&planted));
        let (found, stats) = solve_with_stats(&f);
        assert!(f.is_solution(&found.unwrap()));
        assert!(stats.conflicts < 100_000, "{stats:?}");
    }
}

#[test]
fn generators_are_deterministic_and_checked() {
    assert_eq!(
        random_formula(50, 30, 9).unwrap(),
        random_formula(50, 30, 9).unwrap()
    );
    assert_ne!(
        random_formula(50, 30, 9).unwrap(),
        random_formula(50, 30, 10).unwrap()
    );
    assert_eq!(
        planted_formula(50, 30, 9).unwrap(),
        planted_formula(50, 30, 9).unwrap()
    );
    assert_ne!(
        planted_formula(50, 30, 9).unwrap().0,
        planted_formula(50, 30, 10).unwrap().0
    );
    let f = random_formula(5, 200, 1).unwrap();
    for c in &f.clauses {
        assert!(c.iter().all(|&v| (1..=5).contains(&v)));
        assert!(c[0] != c[1] && c[0] != c[2] && c[1] != c[2]);
    }
    // Every variable gets drawn: a crude uniformity check.
    let f = random_formula(10, 3000, 2).unwrap();
    let mut hist = [0usize; 10];
    for c in &f.clauses {
        for &v in c {
            hist[v - 1] += 1;
        }
    }
    assert!(hist.iter().all(|&h| (800..1000).contains(&h)), "{hist:?}");

    assert!(matches!(random_formula(2, 1, 0), Err(Error::Invalid(_))));
    assert!(random_formula(2, 0, 0).unwrap().clauses.is_empty());
    assert!(matches!(planted_formula(2, 1, 0), Err(Error::Invalid(_))));
    let (f, a) = planted_formula(0, 0, 0).unwrap();
    assert!(f.is_solution(&a));
}

#[test]
fn counts_beyond_u128_are_exact_in_big() {
    // 200 free variables and one clause: 3 * 2^197.
    let f = Formula {
        num_vars: 200,
        clauses: vec![[1, 2, 3]],
    };
    let (big, _) = count_with_stats(&f);
    assert_eq!(big, count_solutions_big(&f));
    assert_eq!(
        big.to_string(),
        (dashu_int::UBig::from(3u8) << 197).to_string()
    );
    assert_eq!(count_solutions(&f), u128::MAX);
}

#[test]
fn deep_chain_counts_fibonacci() {
    // (1 2 3) (3 4 5) ... (2m-1 2m 2m+1): each branch peels about one clause, so the
    // counting search is over a thousand levels deep (it runs on its own large stack) and
    // only the component cache keeps it from being exponential. With (c0, c1) the counts with the last shared
    // variable false/true, one clause maps (c0, c1) to (c0 + c1, c0), from (2, 1).
    let m = 1500;
    let clauses: Vec<[usize; 3]> = (0..m).map(|j| [2 * j + 1, 2 * j + 2, 2 * j + 3]).collect();
    let f = Formula {
        num_vars: 2 * m + 1,
        clauses,
    };
    let (mut c0, mut c1) = (dashu_int::UBig::from(2u8), dashu_int::UBig::ONE);
    for _ in 1..m {
        let next0 = &c0 + &c1;
        c1 = std::mem::replace(&mut c0, next0);
    }
    assert_eq!(count_solutions_big(&f), c0 + c1);
    assert!(f.is_solution(&solve(&f).unwrap()));
}

#[test]
fn counting_budget() {
    let f = random_formula(300, 180, 3).unwrap();
    let (full, stats) = count_with_stats(&f);
    assert!(stats.decisions > 10, "{stats:?}");
    assert_eq!(count_with_limit(&f, u64::MAX).0, Some(full.clone()));
    assert_eq!(count_with_limit(&f, stats.decisions).0, Some(full));
    assert_eq!(count_with_limit(&f, stats.decisions / 2).0, None);
}

#[test]
fn dimacs_round_trip_and_layout() {
    let f = Formula {
        num_vars: 6,
        clauses: vec![[1, 2, 3], [4, 4, 5], [6, 1, 2]],
    };
    let text = to_dimacs(&f, &["first".to_string(), "two\nlines".to_string()]);
    assert_eq!(
        text,
        "c first\nc two\nc lines\np cnf 6 3\n1 2 3 0\n4 4 5 0\n6 1 2 0\n"
    );
    assert_eq!(parse_dimacs(&text, "x.cnf").unwrap(), f);

    // Clauses spanning lines, several per line, blank lines, comments after the header.
    let loose = "c hello\n\np cnf 6 3\n1 2\n3 0 4 4 5 0\nc mid\n  6 1\t2 0\n\n";
    assert_eq!(parse_dimacs(loose, "loose.cnf").unwrap(), f);

    let empty = Formula {
        num_vars: 0,
        clauses: vec![],
    };
    assert_eq!(
        parse_dimacs(&to_dimacs(&empty, &[]), "e.cnf").unwrap(),
        empty
    );
}

#[test]
fn bad_dimacs_files_name_the_line() {
    // (text, line, words the message must contain)
    let cases: &[(&str, usize, &str)] = &[
        ("c only comments\n", 1, "missing `p cnf N M` header"),
        ("", 1, "missing"),
        ("1 2 3 0\np cnf 3 1\n", 1, "before the `p cnf N M` header"),
        ("p cnf 3 1\np cnf 3 1\n1 2 3 0\n", 2, "second `p` header"),
        ("p cnf 3\n1 2 3 0\n", 1, "expected a header `p cnf N M`"),
        ("p sat 3 1\n1 2 3 0\n", 1, "unsupported format `sat`"),
        ("p cnf x 1\n1 2 3 0\n", 1, "number of variables"),
        ("p cnf 3 -1\n1 2 3 0\n", 1, "number of clauses"),
        ("c\np cnf 3 1\n1 -2 3 0\n", 3, "negative literal -2"),
        ("p cnf 3 1\n1 2 3 0 0\n", 2, "empty clause"),
        ("p cnf 3 1\n0\n", 2, "empty clause"),
        ("p cnf 3 1\n1 2 0\n", 2, "clause has 2 literals"),
        ("p cnf 3 1\n1\n0\n", 2, "clause has 1 literal ("),
        ("p cnf 4 1\n1 2 3 4 0\n", 2, "more than three literals"),
        ("p cnf 3 1\n1 2\n3\n1 0\n", 4, "more than three literals"),
        (
            "p cnf 3 1\n1 2 4 0\n",
            2,
            "variable 4 exceeds the 3 variables",
        ),
        (
            "p cnf 3 2\n1 2 3 0\n",
            1,
            "declares 2 clauses but the file holds 1",
        ),
        (
            "p cnf 3 1\n1 2 3 0\n\n1 2 3 0\n",
            4,
            "more clauses than the 1 declared",
        ),
        ("p cnf 3 1\n1 2 a 0\n", 2, "`a` is not an integer"),
        ("p cnf 3 1\n1 2 3.0 0\n", 2, "`3.0` is not an integer"),
        ("p cnf 3 1\n1 2 99999999999999999999 0\n", 2, "out of range"),
        ("p cnf 3 1\n1 2 3 0\n%\n0\n", 3, "`%` is not an integer"),
        ("p cnf 3 2\n1 2 3 0\n2\n3\n", 3, "not terminated by `0`"),
    ];
    for &(text, line, words) in cases {
        match parse_dimacs(text, "bad.cnf") {
            Err(Error::Input { location, message }) => {
                assert_eq!(location, format!("bad.cnf:{line}"), "{text:?}: {message}");
                assert!(
                    message.contains(words),
                    "{text:?}: {message:?} lacks {words:?}"
                );
            }
            other => panic!("{text:?} should be rejected, got {other:?}"),
        }
    }
}

#[test]
fn assignment_round_trip_and_errors() {
    let a = Assignment::from_true_vars(5, &[1, 3]);
    assert_eq!(format_assignment(&a), "1 3");
    assert_eq!(parse_assignment("1 3", 5, "a").unwrap(), a);
    assert_eq!(parse_assignment("3,1\n", 5, "a").unwrap(), a);
    assert_eq!(
        parse_assignment(" 1 ,\n 3 # comment 4\n", 5, "a").unwrap(),
        a
    );
    let none = parse_assignment("", 4, "a").unwrap();
    assert_eq!(
        none,
        Assignment {
            values: vec![false; 4]
        }
    );
    assert_eq!(format_assignment(&none), "");
    let mut rng = SplitMix64::new(5);
    for _ in 0..200 {
        let n = rng.below(40);
        let values: Vec<bool> = (0..n).map(|_| rng.below(2) == 1).collect();
        let a = Assignment { values };
        assert_eq!(
            parse_assignment(&format_assignment(&a), n, "rt").unwrap(),
            a
        );
    }
    let bad: &[(&str, usize, &str)] = &[
        ("0", 1, "outside 1..=5"),
        ("1\n6", 2, "variable 6 is outside 1..=5"),
        ("1 x", 1, "`x` is not a variable number"),
        ("-1", 1, "not a variable number"),
        ("2 2", 1, "listed twice"),
    ];
    for &(text, line, words) in bad {
        match parse_assignment(text, 5, "asg.txt") {
            Err(Error::Input { location, message }) => {
                assert_eq!(location, format!("asg.txt:{line}"), "{text:?}");
                assert!(message.contains(words), "{text:?}: {message:?}");
            }
            other => panic!("{text:?} should be rejected, got {other:?}"),
        }
    }
}

/// Timings for the report (`cargo test -p relufit --test poits_formula -- --ignored
/// --nocapture`).
#[test]
#[ignore]
#[allow(clippy::print_stdout)]
fn timings() {
    use dashu_int::ops::BitTest;
    use std::time::Instant;
    let show = |c: &dashu_int::UBig| {
        if c.bit_len() > 64 {
            format!("~2^{}", c.bit_len() - 1)
        } else {
            c.to_string()
        }
    };
    let budget = 20_000;
    let mut cases: Vec<(String, Formula)> = Vec::new();
    for &n in &[100usize, 1000, 10_000] {
        for seed in 0..3 {
            let f = planted_formula(n, n, seed).unwrap().0;
            cases.push((format!("planted n=m={n} seed={seed}"), f));
        }
    }
    for seed in 0..5 {
        let f = random_formula(1000, 620, seed).unwrap();
        cases.push((format!("random n=1000 m=620 seed={seed}"), f));
    }
    for (name, f) in cases {
        let t = Instant::now();
        let (a, s) = solve_with_stats(&f);
        let ts = t.elapsed();
        if let Some(a) = &a {
            assert!(f.is_solution(a));
        }
        let t = Instant::now();
        let (c, cs) = count_with_limit(&f, budget);
        let tc = t.elapsed();
        let count = match &c {
            Some(c) => show(c),
            None => format!("gave up after {budget} decisions"),
        };
        println!(
            "{name}: solve {ts:.2?} sat={} ({} conflicts); count {tc:.2?} = {count} ({} decisions)",
            a.is_some(),
            s.conflicts,
            cs.decisions
        );
    }
}
