//! Text formats of the source problem of Theorem 1: POITS formulas in DIMACS CNF and
//! assignments as lists of true variables.
//!
//! A POITS file is ordinary DIMACS CNF restricted to what Positive 1-in-3 SAT allows:
//!
//! ```text
//! c comment lines start with `c`
//! p cnf 5 3
//! 5 4 3 0
//! 4 3 2 0
//! 5 2 1 0
//! ```
//!
//! Every clause holds exactly three positive literals (a variable may repeat inside a
//! clause) and ends with `0`. As DIMACS allows, a clause may span lines and a line may hold
//! several clauses. Anything else is rejected with an [`Error::Input`] whose location is
//! `source:line`.

use super::formula::{Assignment, Formula};
use crate::error::{Error, Result};
use crate::limits::{MAX_CLAUSES, MAX_VARIABLES};

/// Parse a POITS formula from DIMACS CNF text. `source` (usually the file name) prefixes the
/// location of every error, e.g. `formula.cnf:7`.
///
/// Rejected, naming the offending line: a missing or repeated `p cnf N M` header, clauses
/// before the header, tokens that are not integers, negative literals, variables outside
/// `1..=N`, clauses with fewer or more than three literals (including an empty clause), a
/// last clause not terminated by `0`, a clause count different from `M`, and header counts
/// beyond [`MAX_VARIABLES`] or [`MAX_CLAUSES`].
pub fn parse_dimacs(text: &str, source: &str) -> Result<Formula> {
    let at = |line: usize, msg: String| Error::input(format!("{source}:{line}"), msg);
    // (line of the header, N, M)
    let mut header: Option<(usize, usize, usize)> = None;
    let mut clauses: Vec<[usize; 3]> = Vec::new();
    let mut current: Vec<usize> = Vec::with_capacity(3);
    let mut current_start = 0usize;
    let mut last_line = 0usize;

    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        last_line = line;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('c') {
            continue;
        }
        if trimmed.starts_with('p') {
            if let Some((first, _, _)) = header {
                return Err(at(
                    line,
                    format!("second `p` header line (the header is already on line {first})"),
                ));
            }
            let (n, m) = parse_header(trimmed).map_err(|msg| at(line, msg))?;
            header = Some((line, n, m));
            continue;
        }
        let Some((header_line, n, m)) = header else {
            return Err(at(
                line,
                "clause data before the `p cnf N M` header".to_string(),
            ));
        };
        for tok in trimmed.split_whitespace() {
            let lit = parse_literal(tok).map_err(|msg| at(line, msg))?;
            if lit == 0 {
                if current.is_empty() {
                    return Err(at(
                        line,
                        "empty clause (`0` with no literals before it); every clause needs \
                         exactly three positive literals"
                            .to_string(),
                    ));
                }
                if current.len() < 3 {
                    return Err(at(
                        current_start,
                        format!(
                            "clause has {} literal{} ({}); every clause needs exactly three \
                             positive literals",
                            current.len(),
                            if current.len() == 1 { "" } else { "s" },
                            join(&current)
                        ),
                    ));
                }
                if clauses.len() == m {
                    return Err(at(
                        current_start,
                        format!(
                            "more clauses than the {m} declared in the header on line \
                             {header_line}"
                        ),
                    ));
                }
                clauses.push([current[0], current[1], current[2]]);
                current.clear();
            } else if lit < 0 {
                return Err(at(
                    line,
                    format!(
                        "negative literal {lit}; Positive 1-in-3 SAT allows positive literals \
                         only"
                    ),
                ));
            } else {
                let v = lit as u64;
                if v > n as u64 {
                    return Err(at(
                        line,
                        format!(
                            "variable {v} exceeds the {n} variable{} declared in the header on \
                             line {header_line}",
                            if n == 1 { "" } else { "s" }
                        ),
                    ));
                }
                if current.len() == 3 {
                    return Err(at(
                        line,
                        format!(
                            "clause has more than three literals ({} {v}); is the `0` after \
                             the third literal missing?",
                            join(&current)
                        ),
                    ));
                }
                if current.is_empty() {
                    current_start = line;
                }
                current.push(v as usize);
            }
        }
    }

    if !current.is_empty() {
        return Err(at(
            current_start,
            format!(
                "clause `{}` starting on this line is not terminated by `0`",
                join(&current)
            ),
        ));
    }
    let Some((header_line, n, m)) = header else {
        return Err(at(
            last_line.max(1),
            "missing `p cnf N M` header (end of input reached without one)".to_string(),
        ));
    };
    if clauses.len() != m {
        return Err(at(
            header_line,
            format!(
                "the header declares {m} clause{} but the file holds {}",
                if m == 1 { "" } else { "s" },
                clauses.len()
            ),
        ));
    }
    Ok(Formula {
        num_vars: n,
        clauses,
    })
}

/// `p cnf N M` -> (N, M), or a message saying what is wrong (also for counts beyond
/// [`MAX_VARIABLES`] and [`MAX_CLAUSES`], refused before anything is allocated for them).
fn parse_header(line: &str) -> std::result::Result<(usize, usize), String> {
    let toks: Vec<&str> = line.split_whitespace().collect();
    let shape = "expected a header `p cnf N M` with N variables and M clauses";
    if toks.first() != Some(&"p") {
        return Err(format!("{shape}, found `{line}`"));
    }
    match toks.get(1) {
        Some(&"cnf") => {}
        Some(other) => {
            return Err(format!(
                "unsupported format `{other}` in the header; {shape}"
            ))
        }
        None => return Err(format!("{shape}, found `{line}`")),
    }
    if toks.len() != 4 {
        return Err(format!("{shape}, found `{line}`"));
    }
    let count = |tok: &str, what: &str, max: usize| {
        crate::limits::parse_count(tok, 0, max)
            .map_err(|e| format!("the number of {what} in the header: {e}"))
    };
    Ok((
        count(toks[2], "variables", MAX_VARIABLES)?,
        count(toks[3], "clauses", MAX_CLAUSES)?,
    ))
}

/// One integer token of clause data.
fn parse_literal(tok: &str) -> std::result::Result<i64, String> {
    tok.parse::<i64>().map_err(|e| {
        use std::num::IntErrorKind::{NegOverflow, PosOverflow};
        match e.kind() {
            PosOverflow | NegOverflow => format!("literal `{tok}` is out of range"),
            _ => format!("`{tok}` is not an integer literal"),
        }
    })
}

fn join(vars: &[usize]) -> String {
    vars.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Write `f` as DIMACS CNF: each entry of `comments` as `c` lines (an entry with line breaks
/// becomes several lines), then the header and one clause per line. [`parse_dimacs`] reads
/// the result back to `f`.
pub fn to_dimacs(f: &Formula, comments: &[String]) -> String {
    let mut out = String::new();
    for comment in comments {
        if comment.is_empty() {
            out.push_str("c\n");
        }
        for line in comment.lines() {
            if line.is_empty() {
                out.push_str("c\n");
            } else {
                out.push_str("c ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str(&format!("p cnf {} {}\n", f.num_vars, f.clauses.len()));
    for c in &f.clauses {
        out.push_str(&format!("{} {} {} 0\n", c[0], c[1], c[2]));
    }
    out
}

/// Parse an assignment given as the list of its true variables (1-based), separated by
/// whitespace and/or commas, e.g. `1 3` or `1,3`; the empty text is the all-false
/// assignment. `#` starts a comment that runs to the end of the line. Rejected with the
/// line: tokens that are not positive integers, variables outside `1..=num_vars`, and a
/// variable listed twice.
pub fn parse_assignment(text: &str, num_vars: usize, source: &str) -> Result<Assignment> {
    let mut values = vec![false; num_vars];
    for (idx, raw) in text.lines().enumerate() {
        let line = idx + 1;
        let at = |msg: String| Error::input(format!("{source}:{line}"), msg);
        let data = raw.split('#').next().unwrap_or("");
        for tok in data
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
        {
            let v: usize = tok.parse().map_err(|_| {
                at(format!(
                    "`{tok}` is not a variable number; an assignment lists its true variables \
                     as integers in 1..={num_vars}"
                ))
            })?;
            if v == 0 || v > num_vars {
                return Err(at(format!(
                    "variable {v} is outside 1..={num_vars} (the formula has {num_vars} \
                     variable{})",
                    if num_vars == 1 { "" } else { "s" }
                )));
            }
            if values[v - 1] {
                return Err(at(format!("variable {v} is listed twice")));
            }
            values[v - 1] = true;
        }
    }
    Ok(Assignment { values })
}

/// The text form of `a` read by [`parse_assignment`]: its true variables, ascending,
/// separated by single spaces (empty for the all-false assignment).
pub fn format_assignment(a: &Assignment) -> String {
    join(&a.true_vars())
}
