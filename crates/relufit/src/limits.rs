//! The documented limits on every input-sized quantity (the standards: "every allocation
//! sized by input is checked first").
//!
//! Each count that sizes an allocation or a loop (header counts of a formula, dimensions,
//! numbers of points and neurons, picture sizes, threads, the digits and exponents of
//! numbers, the size of a file) is checked against one of these constants *before* anything
//! is allocated, and a value beyond it is bad input: an [`Error::Input`] naming the field
//! (file, flag or header) and the limit. `docs/limits.md` lists them for users.
//!
//! The limits are far beyond what the exact algorithms can solve, so no useful instance is
//! refused; they exist so that a typo (`-n 1e12`, `p cnf 1000000000000 3`) ends with a clear
//! message instead of exhausting memory.
//!
//! The limits of a *run* (time limit, cancellation, memory budget) are in [`run`].

pub mod progress;
pub mod run;

pub use progress::{Observer, Progress};
pub use run::{RunLimits, Stopped};

use crate::error::{Error, Malformed, Result};
use std::time::Duration;

/// Largest input file read, in bytes (256 MiB).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Most values (numbers, strings, arrays, objects) in one JSON document, and most cells in
/// one CSV file.
pub const MAX_VALUES: usize = 10_000_000;

/// Most numbers in one instance or network, counted as `points x (d + 1)` or
/// `neurons x (d + 2)`: what the generators and reductions may produce.
pub const MAX_NUMBERS: usize = 10_000_000;

/// Largest input dimension `d`.
pub const MAX_DIMENSION: usize = 10_000;

/// Most data points a generator or reduction may produce.
pub const MAX_POINTS: usize = 1_000_000;

/// Largest width `k` (hidden neurons) of an instance or generator. The POITS reductions
/// stay below it for every formula within [`MAX_POINTS`] (`k = 4(m + n)` with
/// `38m + 33n <= 10^6` gives `k < 121,213`); a solver may build a network of width `k`
/// (the enumeration pads its answer to `k` neurons: about 800 MB at `k = 10^6`).
pub const MAX_WIDTH: usize = 200_000;

/// Most variables of a Positive 1-in-3 SAT formula (DIMACS header, `gen poits --vars`).
pub const MAX_VARIABLES: usize = 1_000_000;

/// Most vertices of a graph (DIMACS `p edge N M` header, a `relufit-mcc/1` file, the
/// `kappa` copies of a DIMACS graph, `gen mcc`).
pub const MAX_GRAPH_VERTICES: usize = 1_000_000;

/// Most edges of a graph (DIMACS header, the `kappa` copies of a DIMACS graph, `gen mcc`).
pub const MAX_GRAPH_EDGES: usize = 10_000_000;

/// Most clauses of a Positive 1-in-3 SAT formula (DIMACS header, `gen poits --clauses`).
pub const MAX_CLAUSES: usize = 1_000_000;

/// Most digits in the numerator and in the denominator of one number, as written (an
/// integer, a fraction) or, for a decimal, once its exponent is applied (`1e10000` has 10,001;
/// `1e-5` a denominator of 6). 20,000 digits is about 66,000 bits. Whatever relufit parses
/// it can therefore write and read back.
pub const MAX_NUMBER_DIGITS: usize = 20_000;

/// Largest decimal exponent, in absolute value (`1e10000` is accepted, `1e10001` is not).
pub const MAX_DECIMAL_EXPONENT: u64 = 10_000;

/// Most bits that the numbers of one file may hold together (numerators plus
/// denominators, 2^28 bits = 32 MiB, about 80 million decimal digits). Without it a small
/// file of `"1e9999"` entries (7 characters each, 33,000 bits each) would take gigabytes.
pub const MAX_DOCUMENT_BITS: u64 = 1 << 28;

/// Largest exponent `p` of an `l^p` loss (`lp:P`, `reduce mcc --p`): `|r|^p` multiplies the
/// size of a residual's digits by `p`.
pub const MAX_LOSS_EXPONENT: u32 = 64;

/// Most worker threads (`--threads`).
pub const MAX_THREADS: usize = 256;

/// The default number of threads is the number of available cores, at most this.
pub const DEFAULT_THREADS_CAP: usize = 64;

/// Largest picture side in pixels (`plot --width`, `--height`).
pub const MAX_PICTURE_SIDE: usize = 20_000;

/// Largest time limit in seconds (about 31 years); longer limits are refused, not clipped.
pub const MAX_TIME_LIMIT_SECONDS: u64 = 1_000_000_000;

/// Largest memory budget accepted (`--memory-limit`): 1 PiB. Smallest: 1 MiB.
pub const MAX_MEMORY_LIMIT: u64 = 1 << 50;

/// Smallest memory budget accepted (`--memory-limit`): 1 MiB.
pub const MIN_MEMORY_LIMIT: u64 = 1 << 20;

/// Most shards of a sharded search (`solve --shard i/N`, shard files read by `merge`).
pub const MAX_SHARDS: usize = 1_000_000;

/// Most solutions or points listed on request (`sat --enumerate N`, `verify --worst N`).
pub const MAX_LISTED: usize = 1_000_000;

/// Largest coordinate range and denominator of the generators (`--range`, `--denominator`):
/// their product stays far inside `i64`.
pub const MAX_GRID: usize = 1_000_000_000;

/// The default number of worker threads: the available cores
/// ([`std::thread::available_parallelism`]), at most [`DEFAULT_THREADS_CAP`]; 1 if unknown.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, DEFAULT_THREADS_CAP)
}

/// Parse a count `min <= n <= max` (a command-line value): plain decimal digits only. The
/// message says what is wrong and the allowed range (the caller names the flag).
///
/// ```
/// use relufit::limits::parse_count;
/// assert_eq!(parse_count("12", 1, 100), Ok(12));
/// assert!(parse_count("1e8", 1, 100).unwrap_err().0.contains("not a whole number"));
/// assert!(parse_count("1000", 1, 100).unwrap_err().0.contains("at most 100"));
/// ```
pub fn parse_count(text: &str, min: usize, max: usize) -> std::result::Result<usize, Malformed> {
    count_in(text, min, max).map_err(Malformed)
}

fn count_in(text: &str, min: usize, max: usize) -> std::result::Result<usize, String> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "`{}` is not a whole number (expected {min}..={max}, digits only)",
            shorten(text)
        ));
    }
    let digits = t.trim_start_matches('0');
    let value = if digits.len() > 19 {
        None
    } else {
        digits
            .parse::<u64>()
            .ok()
            .or(Some(0).filter(|_| digits.is_empty()))
    };
    match value.and_then(|v| usize::try_from(v).ok()) {
        Some(v) if (min..=max).contains(&v) => Ok(v),
        Some(v) if v < min => Err(format!("{v} is too small (at least {min})")),
        _ => Err(format!("{} is too large (at most {max})", shorten(t))),
    }
}

/// Parse a duration in seconds (a command-line value): a number `>= 0` written as an
/// integer, a decimal or a fraction (`30`, `0.5`, `1e3`, `1/4`), at most
/// [`MAX_TIME_LIMIT_SECONDS`]. NaN, infinities, negative values and longer limits are refused
/// with a message; nothing panics.
pub fn parse_seconds(text: &str) -> std::result::Result<Duration, Malformed> {
    seconds_in(text).map_err(Malformed)
}

fn seconds_in(text: &str) -> std::result::Result<Duration, String> {
    let q = crate::num::parse_rational(text).map_err(|e| e.to_string())?;
    if q < crate::num::Rational::ZERO {
        return Err(format!("{q} is negative (expected seconds >= 0)"));
    }
    if q > crate::num::Rational::from(MAX_TIME_LIMIT_SECONDS) {
        return Err(format!(
            "{} seconds is too long (at most {MAX_TIME_LIMIT_SECONDS} s, about 31 years)",
            shorten(text.trim())
        ));
    }
    // In range, so the float is finite and below 2^30: from_secs_f64 cannot panic.
    Ok(Duration::from_secs_f64(crate::num::to_f64(&q)))
}

/// Parse a number of bytes (a command-line value): digits with an optional binary suffix
/// `K`, `M`, `G` or `T` (powers of 1024, optionally followed by `B` or `iB`, any case), such
/// as `512M`, `4G`, `1.5G` or `1073741824`, between [`MIN_MEMORY_LIMIT`] and
/// [`MAX_MEMORY_LIMIT`].
///
/// ```
/// use relufit::limits::parse_bytes;
/// assert_eq!(parse_bytes("512M"), Ok(512 << 20));
/// assert_eq!(parse_bytes("1.5GiB"), Ok(3 << 29));
/// assert!(parse_bytes("12 parsecs").is_err());
/// ```
pub fn parse_bytes(text: &str) -> std::result::Result<u64, Malformed> {
    bytes_in(text).map_err(Malformed)
}

fn bytes_in(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits_end);
    let shift = match suffix.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "`{}` is not a size (expected bytes with an optional suffix K, M, G or T, \
                 e.g. 512M or 4G)",
                shorten(text)
            ))
        }
    };
    let q = crate::num::parse_rational(number).map_err(|e| format!("`{}`: {e}", shorten(text)))?;
    let value = q * crate::num::Rational::from(1u64 << shift);
    let range = format!("{}..={} bytes", MIN_MEMORY_LIMIT, MAX_MEMORY_LIMIT);
    if value < crate::num::Rational::from(MIN_MEMORY_LIMIT) {
        return Err(format!("{} is too small (expected {range})", shorten(t)));
    }
    if value > crate::num::Rational::from(MAX_MEMORY_LIMIT) {
        return Err(format!("{} is too large (expected {range})", shorten(t)));
    }
    // In range, so the floor fits a u64.
    u64::try_from(value.floor()).map_err(|_| format!("{} is not a size", shorten(t)))
}

/// Check `value <= max` for the field `location` (a flag, a header, a file and field).
pub fn check_at_most(location: &str, what: &str, value: usize, max: usize) -> Result<()> {
    if value > max {
        return Err(Error::input(
            location,
            format!("{what} {value} exceeds the limit of {max}"),
        ));
    }
    Ok(())
}

/// Check that `rows x cols` numbers stay within [`MAX_NUMBERS`] (without overflow), for the
/// field `location`; `what` says what they are (e.g. "50 points of dimension 3").
pub fn check_numbers(location: &str, what: &str, rows: usize, cols: usize) -> Result<()> {
    match rows.checked_mul(cols) {
        Some(n) if n <= MAX_NUMBERS => Ok(()),
        _ => Err(Error::input(
            location,
            format!(
                "{what} would hold {rows} x {cols} numbers, more than the limit of {MAX_NUMBERS}"
            ),
        )),
    }
}

/// At most 60 characters of `text`, for messages.
pub(crate) fn shorten(text: &str) -> String {
    let mut shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_range_checked_without_overflow() {
        assert_eq!(parse_count("7", 1, 10), Ok(7));
        assert_eq!(parse_count("0010", 1, 10), Ok(10));
        assert!(parse_count("0", 1, 10)
            .unwrap_err()
            .0
            .contains("at least 1"));
        assert!(parse_count("11", 1, 10)
            .unwrap_err()
            .0
            .contains("at most 10"));
        for bad in ["", "-1", "1e8", "1.5", "+3", "ten"] {
            assert!(parse_count(bad, 0, 10).is_err(), "{bad}");
        }
        let huge = "9".repeat(100);
        assert!(parse_count(&huge, 0, 10)
            .unwrap_err()
            .0
            .contains("too large"));
        assert_eq!(parse_count("000", 0, 10), Ok(0));
    }

    #[test]
    fn seconds_never_panic() {
        assert_eq!(parse_seconds("1/4"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds("0"), Ok(Duration::ZERO));
        for (bad, why) in [
            ("1e30", "too long"),
            ("-1", "negative"),
            ("NaN", "NaN"),
            ("inf", "infinity"),
            ("", "empty"),
            ("1e99999999", "exponent too large"),
        ] {
            let e = parse_seconds(bad).unwrap_err();
            assert!(e.0.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn byte_sizes_parse_with_suffixes() {
        assert_eq!(parse_bytes("4G"), Ok(4 << 30));
        assert_eq!(parse_bytes("4 gb"), Ok(4 << 30));
        assert_eq!(parse_bytes("2097152"), Ok(2 << 20));
        assert_eq!(parse_bytes("1T"), Ok(1 << 40));
        for (bad, why) in [
            ("1K", "too small"),
            ("2P", "not a size"),
            ("-5M", "not a size"),
            ("", ""),
            ("9999999T", "too large"),
            ("1e3M", "not a size"),
        ] {
            let e = parse_bytes(bad).unwrap_err();
            assert!(e.0.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn products_are_checked() {
        assert!(check_numbers("-n", "points", usize::MAX, 3).is_err());
        assert!(check_numbers("-n", "points", 1000, 3).is_ok());
        assert!(check_at_most("--dim", "dimension", 10_001, MAX_DIMENSION).is_err());
    }

    #[test]
    fn default_threads_are_capped() {
        let t = default_threads();
        assert!((1..=DEFAULT_THREADS_CAP).contains(&t));
    }
}
