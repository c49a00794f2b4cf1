//! The source problem of Section 4: 2-HYPERPLANE SEPARABILITY instances `(Q, P)` and pairs of
//! hyperplanes, with their file formats (`relufit-separability/1`, `relufit-hyperplanes/1`
//! JSON, and a CSV form with a `1`/`0` set column).

use crate::error::{Error, Result};
use crate::io::json::Doc;
use crate::model::{Activation, Loss};
use crate::num::Rational;
use std::fmt::Write as _;

/// Format tag of separability instance files.
pub const FORMAT_SEPARABILITY: &str = "relufit-separability/1";
/// Format tag of hyperplane files.
pub const FORMAT_HYPERPLANES: &str = "relufit-hyperplanes/1";

/// An instance of 2-HYPERPLANE SEPARABILITY (Section 4): point sets `Q` and `P` in `Q^d`.
/// The question: are there two hyperplanes that strictly separate `Q` and `P`, i.e. every
/// open segment `qp` meets one of them and no point of `Q u P` lies on either?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeparabilityInstance {
    /// The set `Q` (label 1 in the reductions).
    pub q: Vec<Vec<Rational>>,
    /// The set `P` (label 0 in the reductions).
    pub p: Vec<Vec<Rational>>,
}

impl SeparabilityInstance {
    /// An instance from its two point sets.
    pub fn new(q: Vec<Vec<Rational>>, p: Vec<Vec<Rational>>) -> Self {
        SeparabilityInstance { q, p }
    }

    /// Dimension `d` (of the first point; 0 if both sets are empty).
    pub fn dim(&self) -> usize {
        self.q.first().or(self.p.first()).map_or(0, Vec::len)
    }

    /// `m = |Q| + |P|` (the paper's `m := |Q u P|`, counting listed points).
    pub fn m(&self) -> usize {
        self.q.len() + self.p.len()
    }

    /// All points, `Q` first, then `P`.
    pub fn points(&self) -> impl Iterator<Item = &Vec<Rational>> {
        self.q.iter().chain(self.p.iter())
    }

    /// Check that there is at least one point and that all points have one dimension `>= 1`.
    pub fn validate(&self) -> Result<(), crate::Malformed> {
        self.rules().map_err(crate::Malformed)
    }

    /// The checks of [`Self::validate`], first failure in words.
    fn rules(&self) -> Result<(), String> {
        let d = self.dim();
        if self.m() == 0 {
            return Err("q, p: the instance needs at least one point".into());
        }
        if d == 0 {
            return Err("points must have dimension at least 1".into());
        }
        for (name, set) in [("q", &self.q), ("p", &self.p)] {
            for (i, x) in set.iter().enumerate() {
                if x.len() != d {
                    return Err(format!(
                        "{name}[{i}]: dimension {} differs from the first point (dimension {d})",
                        x.len()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The paper's default margin `eps = m^-3` (Section 4, condition (5)).
    pub fn default_eps(&self) -> Rational {
        let m = self.m().max(1) as u64;
        Rational::from_parts(1u8.into(), (m * m * m).into())
    }
}

/// A hyperplane `{x : h . x + o = 0}` (the paper's `h_i . x + o_i = 0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hyperplane {
    /// Normal vector `h` (must be non-zero to be a hyperplane).
    pub h: Vec<Rational>,
    /// Offset `o`.
    pub o: Rational,
}

impl Hyperplane {
    /// A hyperplane from its normal and offset.
    pub fn new(h: Vec<Rational>, o: Rational) -> Self {
        Hyperplane { h, o }
    }

    /// The affine value `h . x + o` (its sign says the side of `x`).
    pub fn value(&self, x: &[Rational]) -> Rational {
        let mut t = self.o.clone();
        for (a, b) in self.h.iter().zip(x) {
            if *a != Rational::ZERO && *b != Rational::ZERO {
                t += a * b;
            }
        }
        t
    }

    /// `||h||_2^2`, exactly.
    pub fn norm_sq(&self) -> Rational {
        self.h.iter().fold(Rational::ZERO, |acc, a| acc + a * a)
    }

    /// True if `h = 0` (then the set is empty or everything, not a hyperplane).
    pub fn is_degenerate(&self) -> bool {
        self.h.iter().all(|a| *a == Rational::ZERO)
    }

    /// The same set with the opposite orientation (`-h, -o`).
    pub fn negated(&self) -> Hyperplane {
        Hyperplane {
            h: self.h.iter().map(|a| -a.clone()).collect(),
            o: -self.o.clone(),
        }
    }
}

/// Parse a `relufit-separability/1` document.
pub fn separability_from_json(text: &str, source: &str) -> Result<SeparabilityInstance> {
    let (doc, v) = Doc::parse(text, source)?;
    doc.check_format(&v, FORMAT_SEPARABILITY)?;
    let mut sets = Vec::new();
    for name in ["q", "p"] {
        let raw = doc.array(doc.field(&v, "", name)?, name)?;
        let mut pts = Vec::with_capacity(raw.len());
        for (i, x) in raw.iter().enumerate() {
            pts.push(doc.vector(x, &format!("{name}[{i}]"))?);
        }
        sets.push(pts);
    }
    let p = sets.pop().unwrap_or_default();
    let q = sets.pop().unwrap_or_default();
    let inst = SeparabilityInstance { q, p };
    inst.validate().map_err(|e| Error::input(source, e))?;
    Ok(inst)
}

fn vector_json(v: &[Rational]) -> String {
    let items: Vec<String> = v.iter().map(|q| format!("\"{q}\"")).collect();
    format!("[{}]", items.join(", "))
}

/// Serialise a `relufit-separability/1` document, one point per line.
pub fn separability_to_json(inst: &SeparabilityInstance) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{{\n  \"format\": \"{FORMAT_SEPARABILITY}\",");
    for (name, set, last) in [("q", &inst.q, false), ("p", &inst.p, true)] {
        let _ = write!(s, "  \"{name}\": [");
        for (i, x) in set.iter().enumerate() {
            let sep = if i + 1 < set.len() { "," } else { "" };
            let _ = write!(s, "\n    {}{sep}", vector_json(x));
        }
        let close = if set.is_empty() { "]" } else { "\n  ]" };
        let _ = writeln!(s, "{close}{}", if last { "" } else { "," });
    }
    s.push_str("}\n");
    s
}

/// Parse a `relufit-hyperplanes/1` document (any number of hyperplanes, all of one
/// dimension).
pub fn hyperplanes_from_json(text: &str, source: &str) -> Result<Vec<Hyperplane>> {
    let (doc, v) = Doc::parse(text, source)?;
    doc.check_format(&v, FORMAT_HYPERPLANES)?;
    let raw = doc.array(doc.field(&v, "", "hyperplanes")?, "hyperplanes")?;
    let mut out: Vec<Hyperplane> = Vec::with_capacity(raw.len());
    for (i, hv) in raw.iter().enumerate() {
        let path = format!("hyperplanes[{i}]");
        let h = doc.vector(doc.field(hv, &path, "h")?, &format!("{path}.h"))?;
        let o = doc.number(doc.field(hv, &path, "o")?, &format!("{path}.o"))?;
        if let Some(first) = out.first() {
            if first.h.len() != h.len() {
                return Err(doc.err(
                    &format!("{path}.h"),
                    format!(
                        "dimension {} differs from hyperplanes[0] (dimension {})",
                        h.len(),
                        first.h.len()
                    ),
                ));
            }
        }
        out.push(Hyperplane { h, o });
    }
    Ok(out)
}

/// Serialise hyperplanes as `relufit-hyperplanes/1`.
pub fn hyperplanes_to_json(hs: &[Hyperplane]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{{\n  \"format\": \"{FORMAT_HYPERPLANES}\",\n  \"hyperplanes\": ["
    );
    for (i, hp) in hs.iter().enumerate() {
        let sep = if i + 1 < hs.len() { "," } else { "" };
        let _ = writeln!(
            s,
            "    {{ \"h\": {}, \"o\": \"{}\" }}{sep}",
            vector_json(&hp.h),
            hp.o
        );
    }
    s.push_str("  ]\n}\n");
    s
}

/// Read the CSV form: rows `x1,...,xd,set` with `set` = `1` for `Q` and `0` for `P`
/// (optional header; `#` comments). Errors name `source:line`.
pub fn separability_from_csv(text: &str, source: &str) -> Result<SeparabilityInstance> {
    let opts = crate::io::CsvOptions {
        activation: Activation::Relu,
        k: 1,
        gamma: Rational::ZERO,
        loss: Loss::Squared,
    };
    let data = crate::io::instance_from_csv(text, source, &opts)?;
    let mut inst = SeparabilityInstance::new(Vec::new(), Vec::new());
    for (i, pt) in data.points.into_iter().enumerate() {
        if pt.y == Rational::ONE {
            inst.q.push(pt.x);
        } else if pt.y == Rational::ZERO {
            inst.p.push(pt.x);
        } else {
            return Err(Error::input(
                format!("{source}: data row {}", i + 1),
                format!("the last column must be 1 (Q) or 0 (P), got {}", pt.y),
            ));
        }
    }
    inst.validate().map_err(|e| Error::input(source, e))?;
    Ok(inst)
}

/// Write the CSV form (header `x1,...,xd,set`; `Q` rows have set 1, `P` rows 0).
pub fn separability_to_csv(inst: &SeparabilityInstance) -> String {
    let d = inst.dim();
    let mut s = String::new();
    let header: Vec<String> = (1..=d).map(|i| format!("x{i}")).collect();
    let _ = writeln!(s, "{},set", header.join(","));
    for (set, label) in [(&inst.q, 1), (&inst.p, 0)] {
        for x in set {
            let cells: Vec<String> = x.iter().map(|v| v.to_string()).collect();
            let _ = writeln!(s, "{},{label}", cells.join(","));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    #[test]
    fn json_and_csv_round_trip() {
        let inst = SeparabilityInstance::new(
            vec![vec![int(0), ratio(1, 3)]],
            vec![vec![int(3), ratio(-1, 2)], vec![int(-2), int(5)]],
        );
        let back = separability_from_json(&separability_to_json(&inst), "t").unwrap();
        assert_eq!(back, inst);
        let back = separability_from_csv(&separability_to_csv(&inst), "t").unwrap();
        assert_eq!(back, inst);
        let hs = vec![Hyperplane::new(vec![int(1), int(0)], ratio(-1, 2))];
        assert_eq!(
            hyperplanes_from_json(&hyperplanes_to_json(&hs), "t").unwrap(),
            hs
        );
        assert_eq!(inst.default_eps(), ratio(1, 27));
    }

    #[test]
    fn rejects_bad_documents() {
        let e = separability_from_json(
            r#"{"format":"relufit-separability/1","q":[["1","2"]],"p":[["1"]]}"#,
            "f.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("p[0]"), "{e}");
        let e = separability_from_json(r#"{"format":"relufit-separability/2","q":[],"p":[]}"#, "f")
            .unwrap_err();
        assert!(e.to_string().contains("unsupported format"), "{e}");
        let e = separability_from_csv("1,2,3\n", "f.csv").unwrap_err();
        assert!(e.to_string().contains("1 (Q) or 0 (P)"), "{e}");
    }
}
