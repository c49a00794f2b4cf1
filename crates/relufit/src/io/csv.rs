//! CSV data: one row per point, columns `x1,...,xd,y`, optional header line. The width `k`,
//! target error, loss and activation are not part of the CSV; they come from [`CsvOptions`]
//! (on the command line). Empty lines and lines starting with `#` are skipped.

use crate::error::{Error, Result};
use crate::limits::{MAX_DOCUMENT_BITS, MAX_VALUES};
use crate::model::{Activation, Instance, Loss, Point};
use crate::num::{bit_size, parse_rational, Rational};
use std::fmt::Write as _;

/// The parts of an instance that a CSV file does not hold.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Hidden activation.
    pub activation: Activation,
    /// Width.
    pub k: usize,
    /// Target error.
    pub gamma: Rational,
    /// Loss.
    pub loss: Loss,
}

fn cells(line: &str) -> Vec<&str> {
    line.split(',')
        .map(|c| c.trim().trim_matches('"').trim())
        .collect()
}

/// Read an instance from CSV text; errors name `source:line` and the column.
pub fn instance_from_csv(text: &str, source: &str, opts: &CsvOptions) -> Result<Instance> {
    let mut points = Vec::new();
    let mut width: Option<(usize, usize)> = None; // (columns, line of first data row)
    let mut first_content_line = true;
    let (mut cells_seen, mut bits) = (0usize, 0u64);
    for (idx, raw) in text.lines().enumerate() {
        let lineno = idx + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let row = cells(line);
        cells_seen += row.len();
        if cells_seen > MAX_VALUES {
            return Err(Error::input(
                format!("{source}:{lineno}"),
                format!("the file holds more than {MAX_VALUES} cells (the limit for one file)"),
            ));
        }
        let parsed: Vec<_> = row.iter().map(|c| parse_rational(c)).collect();
        let is_first = std::mem::replace(&mut first_content_line, false);
        if is_first && parsed.iter().any(|p| p.is_err()) && row.iter().all(|c| looks_like_name(c)) {
            continue; // header
        }
        if row.len() < 2 {
            return Err(Error::input(
                format!("{source}:{lineno}"),
                "a row needs at least two columns (x1,...,xd,y)",
            ));
        }
        match width {
            None => width = Some((row.len(), lineno)),
            Some((w, first)) if w != row.len() => {
                return Err(Error::input(
                    format!("{source}:{lineno}"),
                    format!("row has {} columns but line {first} has {w}", row.len()),
                ))
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(row.len());
        for (col, p) in parsed.into_iter().enumerate() {
            let at = || format!("{source}:{lineno}");
            let q = p.map_err(|e| Error::input(at(), format!("column {}: {e}", col + 1)))?;
            bits += bit_size(&q) as u64;
            if bits > MAX_DOCUMENT_BITS {
                return Err(Error::input(
                    at(),
                    format!(
                        "column {}: the numbers of this file hold more than {MAX_DOCUMENT_BITS} \
                         bits together (the limit for one file)",
                        col + 1
                    ),
                ));
            }
            values.push(q);
        }
        let y = values.pop().expect("at least two columns");
        points.push(Point { x: values, y });
    }
    let inst = Instance {
        activation: opts.activation,
        k: opts.k,
        gamma: opts.gamma.clone(),
        loss: opts.loss,
        lp: None,
        points,
        meta: serde_json::json!({ "source": source }),
    };
    inst.validate().map_err(|e| Error::input(source, e))?;
    Ok(inst)
}

/// A header cell: starts with a letter or underscore and is not a number keyword.
fn looks_like_name(cell: &str) -> bool {
    let lower = cell.to_ascii_lowercase();
    let first = cell.chars().next();
    matches!(first, Some(c) if c.is_alphabetic() || c == '_')
        && !lower.starts_with("nan")
        && !lower.starts_with("inf")
}

/// Write an instance's data as CSV with header `x1,...,xd,y` and exact values.
pub fn instance_to_csv(inst: &Instance) -> String {
    let mut s = String::new();
    let header: Vec<String> = (1..=inst.dim()).map(|i| format!("x{i}")).collect();
    let _ = writeln!(s, "{},y", header.join(","));
    for p in &inst.points {
        let row: Vec<String> = p.x.iter().map(|v| v.to_string()).collect();
        let _ = writeln!(s, "{},{}", row.join(","), p.y);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    fn opts() -> CsvOptions {
        CsvOptions {
            activation: Activation::Relu,
            k: 1,
            gamma: int(0),
            loss: Loss::Squared,
        }
    }

    #[test]
    fn reads_with_and_without_header() {
        let a =
            instance_from_csv("x1,x2,y\n0,1/3,2\n# c\n\n0.5,-1,1e-3\n", "a.csv", &opts()).unwrap();
        let b = instance_from_csv("0,1/3,2\n0.5,-1,1e-3\n", "b.csv", &opts()).unwrap();
        assert_eq!(a.points, b.points);
        assert_eq!(a.points[1].x, vec![ratio(1, 2), int(-1)]);
        let back = instance_from_csv(&instance_to_csv(&a), "c.csv", &opts()).unwrap();
        assert_eq!(back.points, a.points);
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = instance_from_csv("x,y\n1,2\n3,abc\n", "d.csv", &opts())
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.csv:3") && e.contains("column 2"), "{e}");
        let e = instance_from_csv("1,2\n3,4,5\n", "d.csv", &opts())
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.csv:2") && e.contains("3 columns"), "{e}");
        let e = instance_from_csv("1,NaN\n", "d.csv", &opts())
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.csv:1") && e.contains("NaN"), "{e}");
        let e = instance_from_csv("x,y\n", "d.csv", &opts())
            .unwrap_err()
            .to_string();
        assert!(e.contains("at least one"), "{e}");
    }
}
