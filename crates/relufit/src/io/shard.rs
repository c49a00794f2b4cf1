//! Checks on a shard result file (`relufit-shard/1`, written by `relufit solve --shard i/N`)
//! before it is read: the shared JSON checks of [`Doc::parse`] (repeated keys, size), a shard
//! count within [`MAX_SHARDS`] (merging allocates one entry per shard) and a run time
//! `stats.seconds` that is a number of seconds a duration can hold. The file is then read by
//! `relufit::solve::shard::ShardResult::from_json`.

use super::json::Doc;
use crate::error::Result;
use crate::limits::{parse_count, MAX_SHARDS, MAX_TIME_LIMIT_SECONDS};
use crate::num::Rational;

/// Check a shard file's text; errors name `source` and the field.
pub fn check_shard_json(text: &str, source: &str) -> Result<()> {
    let (doc, v) = Doc::parse(text, source)?;
    if let Some(shard) = v.get("shard").and_then(|s| s.as_str()) {
        if let Some((_, count)) = shard.split_once('/') {
            parse_count(count, 1, MAX_SHARDS)
                .map_err(|e| doc.err("shard", format!("the shard count: {e}")))?;
        }
    }
    if let Some(seconds) = v.get("stats").and_then(|s| s.get("seconds")) {
        if seconds.is_number() {
            let s = doc.number(seconds, "stats.seconds")?;
            if s < Rational::ZERO || s > Rational::from(MAX_TIME_LIMIT_SECONDS) {
                return Err(doc.err(
                    "stats.seconds",
                    format!("expected seconds in 0..={MAX_TIME_LIMIT_SECONDS}, got {s}"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_the_reader_cannot_hold() {
        let ok = r#"{"format": "relufit-shard/1", "shard": "0/2", "stats": {"seconds": 1.5}}"#;
        check_shard_json(ok, "s.json").unwrap();
        for (text, expected) in [
            (
                ok.replace("0/2", "0/1000000000000"),
                "s.json: shard: the shard count",
            ),
            (ok.replace("1.5", "-1"), "s.json: stats.seconds"),
            (ok.replace("1.5", "1e400"), "s.json: stats.seconds"),
            (
                ok.replace("\"0/2\"", "\"0/2\", \"shard\": \"1/2\""),
                "duplicate key `shard`",
            ),
        ] {
            let e = check_shard_json(&text, "s.json").unwrap_err().to_string();
            assert!(e.contains(expected), "{expected}: {e}");
        }
    }
}
