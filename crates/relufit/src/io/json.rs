//! JSON instances (`relufit-instance/1`) and networks (`relufit-network/1`), the formats
//! described in the README. Numbers are strings holding an integer, decimal or fraction;
//! plain JSON numbers are accepted and read exactly from their text. Unknown fields are
//! ignored; unknown `format` tags and keys repeated inside an object are rejected.

use crate::error::{Error, Result};
use crate::limits::{MAX_DOCUMENT_BITS, MAX_VALUES};
use crate::model::{Activation, Instance, LossSpec, Network, Neuron, Point};
use crate::num::{bit_size, parse_rational, Rational};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::Value;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt::Write as _;

/// Format tag of instance files.
pub const FORMAT_INSTANCE: &str = "relufit-instance/1";
/// Format tag of network files.
pub const FORMAT_NETWORK: &str = "relufit-network/1";

/// A JSON document being read, with the source name used in error messages.
///
/// Public so that other formats built on JSON (reductions' source problems, shard files)
/// report errors the same way: `source: field.path: message`.
///
/// [`Doc::parse`] checks more than JSON syntax: a key repeated inside one object is refused
/// (naming the object and the line), and so is a document of more than
/// [`MAX_VALUES`] values; [`Doc::number`] keeps the numbers of one document within
/// [`MAX_DOCUMENT_BITS`] bits together.
pub struct Doc<'a> {
    source: &'a str,
    bits: Cell<u64>,
}

impl<'a> Doc<'a> {
    /// Parse `text`; a syntax error names the line and column, a repeated key the object.
    pub fn parse(text: &str, source: &'a str) -> Result<(Doc<'a>, Value)> {
        let located = |e: serde_json::Error| {
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = e.to_string();
            let message = message
                .strip_suffix(&position)
                .unwrap_or(&message)
                .to_string();
            let place = format!("{source}:{}:{}", e.line(), e.column());
            match e.classify() {
                Category::Data => Error::input(place, message),
                _ if !looks_like_json(text) => Error::input(
                    source,
                    if text.lines().next().is_some_and(|l| l.contains(',')) {
                        "not a JSON document (relufit's JSON files start with `{`); this looks \
                         like CSV data: convert it first, e.g. `relufit convert data.csv \
                         data.json --k K`"
                    } else {
                        "not a JSON document (relufit's JSON files start with `{`)"
                    },
                ),
                _ => Error::input(place, format!("malformed JSON: {message}")),
            }
        };
        let count = Cell::new(0usize);
        let mut scan = serde_json::Deserializer::from_str(text);
        Scan {
            at: At::ROOT,
            count: &count,
        }
        .deserialize(&mut scan)
        .and_then(|()| scan.end())
        .map_err(located)?;
        let value: Value = serde_json::from_str(text).map_err(located)?;
        Ok((
            Doc {
                source,
                bits: Cell::new(0),
            },
            value,
        ))
    }

    /// An error at `path` inside this document.
    pub fn err(&self, path: &str, message: impl Into<String>) -> Error {
        Error::input(format!("{}: {path}", self.source), message)
    }

    /// Require `value` to be an object and return field `name` (path `path.name`).
    pub fn field<'v>(&self, value: &'v Value, path: &str, name: &str) -> Result<&'v Value> {
        let obj = value
            .as_object()
            .ok_or_else(|| self.err(path_or_root(path), "expected a JSON object"))?;
        obj.get(name)
            .ok_or_else(|| self.err(&join(path, name), "missing field"))
    }

    /// Check the `format` field against `expected`.
    pub fn check_format(&self, value: &Value, expected: &str) -> Result<()> {
        let f = self.field(value, "", "format")?;
        match f.as_str() {
            Some(s) if s == expected => Ok(()),
            Some(s) => Err(self.err(
                "format",
                format!("unsupported format `{s}` (expected `{expected}`)"),
            )),
            None => Err(self.err("format", "expected a string")),
        }
    }

    /// An exact rational from a JSON string or number.
    pub fn number(&self, value: &Value, path: &str) -> Result<Rational> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(self.err(
                    path,
                    "expected a number (a string such as \"-7/3\" or a JSON number)",
                ))
            }
        };
        let q = parse_rational(&text).map_err(|e| self.err(path, e.to_string()))?;
        let bits = self.bits.get() + bit_size(&q) as u64;
        if bits > MAX_DOCUMENT_BITS {
            return Err(self.err(
                path,
                format!(
                    "the numbers of this file hold more than {MAX_DOCUMENT_BITS} bits together \
                     (the limit for one file)"
                ),
            ));
        }
        self.bits.set(bits);
        Ok(q)
    }

    /// An array of exact rationals.
    pub fn vector(&self, value: &Value, path: &str) -> Result<Vec<Rational>> {
        let arr = self.array(value, path)?;
        arr.iter()
            .enumerate()
            .map(|(i, v)| self.number(v, &format!("{path}[{i}]")))
            .collect()
    }

    /// Require an array.
    pub fn array<'v>(&self, value: &'v Value, path: &str) -> Result<&'v Vec<Value>> {
        value
            .as_array()
            .ok_or_else(|| self.err(path, "expected an array"))
    }

    /// Require a string.
    pub fn string<'v>(&self, value: &'v Value, path: &str) -> Result<&'v str> {
        value
            .as_str()
            .ok_or_else(|| self.err(path, "expected a string"))
    }

    /// A non-negative integer from a JSON number or a string.
    pub fn count(&self, value: &Value, path: &str) -> Result<usize> {
        let q = self.number(value, path)?;
        if q.denominator() != &crate::num::Natural::ONE || q < Rational::ZERO {
            return Err(self.err(path, format!("expected a non-negative integer, got {q}")));
        }
        usize::try_from(q.numerator()).map_err(|_| self.err(path, "integer too large"))
    }
}

/// True if the first non-blank character could start a JSON document.
fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start().chars().next(),
        Some('{' | '[' | '"' | '-' | '0'..='9' | 't' | 'f' | 'n')
    )
}

/// One step of a path inside a document.
#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// Where a value sits in a document: a chain of steps, rendered (`points[3].x`) only for a
/// message.
#[derive(Clone, Copy)]
struct At<'a> {
    step: Step<'a>,
    parent: Option<&'a At<'a>>,
}

impl At<'_> {
    const ROOT: At<'static> = At {
        step: Step::Root,
        parent: None,
    };

    fn render(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(a) = at {
            steps.push(a.step);
            at = a.parent;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    let _ = write!(out, ".{k}");
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        if out.is_empty() {
            "(top level)".into()
        } else {
            out
        }
    }
}

/// The first pass of [`Doc::parse`]: walks the document without building it, refusing a key
/// repeated inside one object (`serde_json` would keep the last silently) and a document of
/// more than [`MAX_VALUES`] values (before the second pass allocates them). Nesting depth is
/// limited by `serde_json` itself (128).
struct Scan<'a, 'c> {
    at: At<'a>,
    count: &'c Cell<usize>,
}

impl Scan<'_, '_> {
    fn tick<E: de::Error>(&self) -> std::result::Result<(), E> {
        let n = self.count.get() + 1;
        self.count.set(n);
        if n > MAX_VALUES {
            return Err(E::custom(format!(
                "{}: the document holds more than {MAX_VALUES} values (the limit for one file)",
                self.at.render()
            )));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Scan<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        self.tick()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        self.tick()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        self.tick()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        self.tick()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<(), E> {
        self.tick()
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        self.tick()
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        self.tick()?;
        let mut i = 0;
        loop {
            let at = At {
                step: Step::Index(i),
                parent: Some(&self.at),
            };
            let child = Scan {
                at,
                count: self.count,
            };
            if seq.next_element_seed(child)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        self.tick()?;
        let mut keys = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                return Err(de::Error::custom(format!(
                    "{}: duplicate key `{}` (each key may appear once in an object)",
                    self.at.render(),
                    crate::limits::shorten(&key)
                )));
            }
            let at = At {
                step: Step::Key(&key),
                parent: Some(&self.at),
            };
            map.next_value_seed(Scan {
                at,
                count: self.count,
            })?;
            keys.insert(key);
        }
        Ok(())
    }
}

fn path_or_root(path: &str) -> &str {
    if path.is_empty() {
        "(top level)"
    } else {
        path
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Parse an instance file. `source` prefixes error messages (use the file path).
pub fn instance_from_json(text: &str, source: &str) -> Result<Instance> {
    let (doc, v) = Doc::parse(text, source)?;
    doc.check_format(&v, FORMAT_INSTANCE)?;
    let activation: Activation = doc
        .string(doc.field(&v, "", "activation")?, "activation")?
        .parse()
        .map_err(|e: String| doc.err("activation", e))?;
    let k = doc.count(doc.field(&v, "", "k")?, "k")?;
    let gamma = doc.number(doc.field(&v, "", "gamma")?, "gamma")?;
    let loss: LossSpec = doc
        .string(doc.field(&v, "", "loss")?, "loss")?
        .parse()
        .map_err(|e: String| doc.err("loss", e))?;
    let raw_points = doc.array(doc.field(&v, "", "points")?, "points")?;
    let mut points = Vec::with_capacity(raw_points.len());
    for (i, p) in raw_points.iter().enumerate() {
        let path = format!("points[{i}]");
        let x = doc.vector(doc.field(p, &path, "x")?, &format!("{path}.x"))?;
        let y = doc.number(doc.field(p, &path, "y")?, &format!("{path}.y"))?;
        points.push(Point { x, y });
    }
    let meta = v.get("meta").cloned().unwrap_or(Value::Null);
    let inst = Instance {
        activation,
        k,
        gamma,
        loss: loss.loss,
        lp: loss.lp,
        points,
        meta,
    };
    inst.validate().map_err(|e| Error::input(source, e))?;
    Ok(inst)
}

/// Parse a network file. `source` prefixes error messages.
pub fn network_from_json(text: &str, source: &str) -> Result<Network> {
    let (doc, v) = Doc::parse(text, source)?;
    doc.check_format(&v, FORMAT_NETWORK)?;
    let activation: Activation = doc
        .string(doc.field(&v, "", "activation")?, "activation")?
        .parse()
        .map_err(|e: String| doc.err("activation", e))?;
    let raw = doc.array(doc.field(&v, "", "neurons")?, "neurons")?;
    let mut neurons = Vec::with_capacity(raw.len());
    for (j, n) in raw.iter().enumerate() {
        let path = format!("neurons[{j}]");
        let w = doc.vector(doc.field(n, &path, "w")?, &format!("{path}.w"))?;
        let b = doc.number(doc.field(n, &path, "b")?, &format!("{path}.b"))?;
        let a = doc.number(doc.field(n, &path, "a")?, &format!("{path}.a"))?;
        neurons.push(Neuron { w, b, a });
    }
    let net = Network {
        activation,
        neurons,
    };
    net.validate().map_err(|e| Error::input(source, e))?;
    Ok(net)
}

fn quoted(q: &Rational) -> String {
    format!("\"{q}\"")
}

fn vector_json(v: &[Rational]) -> String {
    let items: Vec<String> = v.iter().map(quoted).collect();
    format!("[{}]", items.join(", "))
}

/// Serialise an instance: one point per line, numbers as exact strings.
pub fn instance_to_json(inst: &Instance) -> String {
    let mut s = String::new();
    s.push_str("{\n");
    let _ = writeln!(s, "  \"format\": \"{FORMAT_INSTANCE}\",");
    let _ = writeln!(s, "  \"activation\": \"{}\",", inst.activation);
    let _ = writeln!(s, "  \"k\": {},", inst.k);
    let _ = writeln!(s, "  \"gamma\": {},", quoted(&inst.gamma));
    let _ = writeln!(s, "  \"loss\": \"{}\",", inst.loss_spec());
    s.push_str("  \"points\": [\n");
    for (i, p) in inst.points.iter().enumerate() {
        let sep = if i + 1 < inst.points.len() { "," } else { "" };
        let _ = writeln!(
            s,
            "    {{ \"x\": {}, \"y\": {} }}{sep}",
            vector_json(&p.x),
            quoted(&p.y)
        );
    }
    s.push_str("  ]");
    if !inst.meta.is_null() {
        let meta = serde_json::to_string_pretty(&inst.meta).unwrap_or_else(|_| "null".into());
        let _ = write!(s, ",\n  \"meta\": {}", meta.replace('\n', "\n  "));
    }
    s.push_str("\n}\n");
    s
}

/// Serialise a network: one neuron per line.
pub fn network_to_json(net: &Network) -> String {
    let mut s = String::new();
    s.push_str("{\n");
    let _ = writeln!(s, "  \"format\": \"{FORMAT_NETWORK}\",");
    let _ = writeln!(s, "  \"activation\": \"{}\",", net.activation);
    s.push_str("  \"neurons\": [\n");
    for (j, n) in net.neurons.iter().enumerate() {
        let sep = if j + 1 < net.neurons.len() { "," } else { "" };
        let _ = writeln!(
            s,
            "    {{ \"w\": {}, \"b\": {}, \"a\": {} }}{sep}",
            vector_json(&n.w),
            quoted(&n.b),
            quoted(&n.a)
        );
    }
    s.push_str("  ]\n}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    const SAMPLE: &str = r#"{
      "format": "relufit-instance/1", "activation": "relu", "k": 2, "gamma": "0",
      "loss": "squared", "extra": true,
      "points": [ { "x": ["0", "-4"], "y": "0" }, { "x": [0.1, "-7/3"], "y": 1e-3 } ],
      "meta": { "source": "test" } }"#;

    #[test]
    fn reads_exact_numbers_and_round_trips() {
        let inst = instance_from_json(SAMPLE, "s.json").unwrap();
        assert_eq!(inst.points[1].x, vec![ratio(1, 10), ratio(-7, 3)]);
        assert_eq!(inst.points[1].y, ratio(1, 1000));
        assert_eq!(inst.points[0].x, vec![int(0), int(-4)]);
        let back = instance_from_json(&instance_to_json(&inst), "back.json").unwrap();
        assert_eq!(back, inst);
    }

    #[test]
    fn errors_name_file_and_field() {
        let cases = [
            (
                SAMPLE.replace("relufit-instance/1", "relufit-instance/9"),
                "s.json: format",
            ),
            (
                SAMPLE.replace("\"-7/3\"", "\"1/0\""),
                "s.json: points[1].x[1]",
            ),
            (
                SAMPLE.replace("\"-7/3\"", "\"NaN\""),
                "s.json: points[1].x[1]",
            ),
            (SAMPLE.replace("\"k\": 2", "\"k\": 0"), "k:"),
            (SAMPLE.replace("\"k\": 2", "\"k\": -1"), "s.json: k"),
            (
                SAMPLE.replace("\"gamma\": \"0\"", "\"gamma\": \"-1\""),
                "gamma",
            ),
            (
                SAMPLE.replace("[\"0\", \"-4\"]", "[\"0\"]"),
                "points[1].x: dimension",
            ),
            (
                SAMPLE.replace("\"loss\": \"squared\"", "\"loss\": \"hinge\""),
                "s.json: loss",
            ),
            (
                SAMPLE.replace("\"y\": \"0\"", "\"z\": \"0\""),
                "s.json: points[0].y: missing",
            ),
            (SAMPLE.replace("}, {", "} {"), "s.json:4:"),
            (
                SAMPLE.replace("\"k\": 2,", "\"k\": 2, \"k\": 3,"),
                "(top level): duplicate key `k`",
            ),
            (
                SAMPLE.replace("\"y\": \"0\"", "\"y\": \"0\", \"y\": \"1\""),
                "points[0]: duplicate key `y`",
            ),
            (
                SAMPLE.replace("\"source\": \"test\"", "\"a\": [{\"b\": 1, \"b\": 2}]"),
                "meta.a[0]: duplicate key `b`",
            ),
            (
                "x1,x2,y\n0,1,2\n".to_string(),
                "s.json: not a JSON document",
            ),
            ("x1,x2,y\n0,1,2\n".to_string(), "looks like CSV"),
            (
                SAMPLE.replace("\"-7/3\"", "\"1e99999\""),
                "points[1].x[1]: `1e99999` is not an exact rational number: exponent too large",
            ),
        ];
        for (text, expected) in cases {
            let e = instance_from_json(&text, "s.json").unwrap_err().to_string();
            assert!(e.contains(expected), "expected `{expected}` in `{e}`");
        }
        let empty = SAMPLE.replace(
            r#"{ "x": ["0", "-4"], "y": "0" }, { "x": [0.1, "-7/3"], "y": 1e-3 }"#,
            "",
        );
        let e = instance_from_json(&empty, "s.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at least one"), "{e}");
    }

    #[test]
    fn nesting_and_total_size_are_limited() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = instance_from_json(&deep, "d.json").unwrap_err().to_string();
        assert!(e.contains("recursion limit"), "{e}");
        let big = format!(
            "{{\"format\": \"relufit-instance/1\", \"activation\": \"relu\", \"k\": 1, \
             \"gamma\": \"0\", \"loss\": \"abs\", \"points\": [{}]}}",
            vec!["{\"x\": [\"1e9999\"], \"y\": \"1e9999\"}"; 5_000].join(",")
        );
        let e = instance_from_json(&big, "b.json").unwrap_err().to_string();
        assert!(e.contains("bits together"), "{e}");
        assert!(e.starts_with("b.json: points["), "{e}");
    }

    #[test]
    fn lp_losses_round_trip_and_old_names_are_kept() {
        let inst = instance_from_json(&SAMPLE.replace("squared", "lp:3"), "s.json").unwrap();
        assert_eq!(inst.lp, Some(3));
        assert_eq!(inst.loss, crate::model::Loss::Abs);
        let text = instance_to_json(&inst);
        assert!(text.contains("\"loss\": \"lp:3\""), "{text}");
        assert_eq!(instance_from_json(&text, "back.json").unwrap(), inst);
        let two = instance_from_json(&SAMPLE.replace("squared", "lp:2"), "s.json").unwrap();
        assert!(instance_to_json(&two).contains("\"loss\": \"squared\""));
        let e = instance_from_json(&SAMPLE.replace("squared", "lp:2.5"), "s.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("s.json: loss") && e.contains("whole"), "{e}");
    }

    #[test]
    fn network_round_trip() {
        let net = Network::new(
            Activation::Threshold,
            vec![Neuron::new(vec![int(1), ratio(-1, 3)], int(2), ratio(5, 7))],
        );
        assert_eq!(network_from_json(&network_to_json(&net), "n").unwrap(), net);
    }
}
