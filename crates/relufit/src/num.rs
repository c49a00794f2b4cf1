//! Exact numbers: arbitrary-precision rationals and integers.
//!
//! relufit works over the rationals `Q` throughout (the exactness contract, `docs/exactness.md`). The
//! number type is [`Rational`] (dashu's `RBig`, always in lowest terms) and [`Int`]
//! (dashu's `IBig`). This module adds the one thing dashu does not do the way relufit's file
//! formats need: a strict parser for the textual forms users write, where a decimal is read
//! exactly (`0.1` is 1/10, `1e-3` is 1/1000), fractions are allowed (`-7/3`), and anything
//! that is not a finite rational (`NaN`, `inf`, `1/0`, the empty string) is rejected with a
//! message that says why.

use crate::limits::{MAX_DECIMAL_EXPONENT, MAX_NUMBER_DIGITS};
use std::fmt;

pub use dashu_int::{IBig as Int, UBig as Natural};
pub use dashu_ratio::RBig as Rational;

/// Why a piece of text is not an exact rational number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError {
    /// The offending text (shortened when very long).
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an exact rational number: {}",
            self.text, self.reason
        )
    }
}

impl std::error::Error for NumberError {}

fn number_error(text: &str, reason: &'static str) -> NumberError {
    NumberError {
        text: crate::limits::shorten(text),
        reason,
    }
}

/// Parse an exact rational from text: an integer (`-12`), a decimal with optional exponent
/// (`-0.25`, `.5`, `1e-3`, `2.5E+4`) or a fraction of two integers (`-7/3`, `6/-4`).
///
/// Surrounding whitespace is ignored. NaN, infinities, zero denominators, empty strings and
/// anything else are rejected. Sizes are limited ([`crate::limits`]): at most
/// [`MAX_NUMBER_DIGITS`] digits in the numerator and in the denominator (for a decimal, with
/// its exponent applied, so that every number parsed prints back to text that parses) and an
/// exponent of at most [`MAX_DECIMAL_EXPONENT`] in absolute value (`1e100000` is seven
/// characters but a 330,000-bit integer: almost surely a mistake), each refused with its own
/// reason.
///
/// ```
/// use relufit::num::{parse_rational, ratio};
/// assert_eq!(parse_rational("0.1").unwrap(), ratio(1, 10));
/// assert_eq!(parse_rational(" 6/-4 ").unwrap(), ratio(-3, 2));
/// assert_eq!(parse_rational("1e-3").unwrap(), ratio(1, 1000));
/// let e = parse_rational("1e99999").unwrap_err();
/// assert!(e.to_string().contains("exponent too large"));
/// assert!(parse_rational("NaN").is_err());
/// ```
pub fn parse_rational(text: &str) -> Result<Rational, NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(number_error(text, "empty string"));
    }
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if unsigned.starts_with("nan") {
        return Err(number_error(text, "NaN is not a number"));
    }
    if unsigned.starts_with("inf") {
        return Err(number_error(text, "infinity is not a finite rational"));
    }
    if let Some((num, den)) = t.split_once('/') {
        let n = parse_integer(num.trim())
            .map_err(|why| number_error(text, why.unwrap_or("numerator is not an integer")))?;
        let d = parse_integer(den.trim())
            .map_err(|why| number_error(text, why.unwrap_or("denominator is not an integer")))?;
        if d == Int::ZERO {
            return Err(number_error(text, "division by zero"));
        }
        return Ok(Rational::from_parts_signed(n, d));
    }
    parse_decimal(t).map_err(|why| {
        number_error(
            text,
            why.unwrap_or(
                "expected an integer, a decimal such as -0.25 or 1e-3, or a fraction such as -7/3",
            ),
        )
    })
}

const TOO_MANY_DIGITS: &str =
    "too many digits (at most 20000 in the numerator and in the denominator, exponents applied)";
const EXPONENT_TOO_LARGE: &str = "exponent too large (at most 10000 in absolute value)";

/// An optionally signed run of ASCII digits. `Err(None)`: not an integer; `Err(Some(why))`:
/// an integer beyond the limits.
fn parse_integer(t: &str) -> Result<Int, Option<&'static str>> {
    let (negative, digits) = split_sign(t);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(None);
    }
    if digits.len() > MAX_NUMBER_DIGITS {
        return Err(Some(TOO_MANY_DIGITS));
    }
    let magnitude: Int = digits.parse().map_err(|_| None)?;
    Ok(if negative { -magnitude } else { magnitude })
}

fn split_sign(t: &str) -> (bool, &str) {
    match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    }
}

/// `[sign] digits [. digits] [e|E [sign] digits]`, at least one digit in the mantissa.
/// `Err(None)`: not a decimal; `Err(Some(why))`: a decimal beyond the limits.
fn parse_decimal(t: &str) -> Result<Rational, Option<&'static str>> {
    let (negative, rest) = split_sign(t);
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(pos) => (&rest[..pos], Some(&rest[pos + 1..])),
        None => (rest, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
        return Err(None);
    }
    let mut exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (eneg, edigits) = split_sign(e);
            if edigits.is_empty() || !all_digits(edigits) {
                return Err(None);
            }
            let significant = edigits.trim_start_matches('0');
            let v: u64 = if significant.len() > 6 {
                u64::MAX
            } else {
                significant.parse().unwrap_or(0)
            };
            if v > MAX_DECIMAL_EXPONENT {
                return Err(Some(EXPONENT_TOO_LARGE));
            }
            if eneg {
                -(v as i64)
            } else {
                v as i64
            }
        }
    };
    // The value is M * 10^e with M of `written` digits: its numerator has at most
    // `written + e` digits (e >= 0), its denominator at most `1 - e` (e < 0).
    let written = int_part.len() + frac_part.len();
    if written > MAX_NUMBER_DIGITS {
        return Err(Some(TOO_MANY_DIGITS));
    }
    exp -= frac_part.len() as i64;
    let expanded = if exp >= 0 {
        written as u64 + exp.unsigned_abs()
    } else {
        1 + exp.unsigned_abs()
    };
    if expanded > MAX_NUMBER_DIGITS as u64 {
        return Err(Some(TOO_MANY_DIGITS));
    }
    let digits = format!("{int_part}{frac_part}");
    let magnitude: Int = digits.parse().map_err(|_| None)?;
    let signed = if negative { -magnitude } else { magnitude };
    let scale = Int::from(10u8).pow(exp.unsigned_abs() as usize);
    Ok(if exp >= 0 {
        Rational::from(signed * scale)
    } else {
        Rational::from_parts_signed(signed, scale)
    })
}

/// Convenience constructor for a rational `n / d` from machine integers.
///
/// # Panics
/// If `d == 0` (a programming error, never reachable from user input).
pub fn ratio(n: i64, d: i64) -> Rational {
    assert!(d != 0, "ratio with zero denominator");
    Rational::from_parts_signed(Int::from(n), Int::from(d))
}

/// The rational `n`.
pub fn int(n: i64) -> Rational {
    Rational::from(n)
}

/// Exact absolute value.
pub fn abs(q: &Rational) -> Rational {
    if q.numerator() < &Int::ZERO {
        -q.clone()
    } else {
        q.clone()
    }
}

/// Sign of `q` as -1, 0 or 1.
pub fn signum(q: &Rational) -> i8 {
    let n = q.numerator();
    if n > &Int::ZERO {
        1
    } else if n < &Int::ZERO {
        -1
    } else {
        0
    }
}

/// Least common multiple of two positive integers.
pub fn lcm(a: &Natural, b: &Natural) -> Natural {
    use dashu_int::ops::Gcd;
    if a == &Natural::ONE {
        return b.clone();
    }
    if b == &Natural::ONE {
        return a.clone();
    }
    a / &a.gcd(b) * b
}

/// The least common multiple of the denominators of `qs` (1 for none): multiplying by it
/// turns every `q` into an integer. The basis of the integer ("denominators cleared")
/// arithmetic in the verifier, the LP layer and the geometry.
pub fn common_denominator<'a>(qs: impl IntoIterator<Item = &'a Rational>) -> Natural {
    qs.into_iter()
        .fold(Natural::ONE, |acc, q| lcm(&acc, q.denominator()))
}

/// A nearby `f64` for display, plots and float exports (never used to decide anything).
pub fn to_f64(q: &Rational) -> f64 {
    q.to_f64_fast()
}

/// Bits needed for numerator plus denominator: the size of `q` as written.
pub fn bit_size(q: &Rational) -> usize {
    use dashu_int::ops::{BitTest, UnsignedAbs};
    let n: &Int = q.numerator();
    n.unsigned_abs().bit_len() + q.denominator().bit_len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Rational {
        parse_rational(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn parses_integers_decimals_fractions_exactly() {
        assert_eq!(p("-12"), int(-12));
        assert_eq!(p("+7"), int(7));
        assert_eq!(p("-0.25"), ratio(-1, 4));
        assert_eq!(p("1e-3"), ratio(1, 1000));
        assert_eq!(p("2.5E+4"), int(25000));
        assert_eq!(p(".5"), ratio(1, 2));
        assert_eq!(p("5."), int(5));
        assert_eq!(p("0.1"), ratio(1, 10));
        assert_eq!(p("-7/3"), ratio(-7, 3));
        assert_eq!(p("6/-4"), ratio(-3, 2));
        assert_eq!(p(" 3 / 9 "), ratio(1, 3));
        assert_eq!(p("-0"), int(0));
    }

    #[test]
    fn rejects_non_numbers_with_reasons() {
        for (s, why) in [
            ("", "empty"),
            ("   ", "empty"),
            ("NaN", "NaN"),
            ("-inf", "infinity"),
            ("Infinity", "infinity"),
            ("1/0", "division by zero"),
            ("1/", "denominator"),
            ("/2", "numerator"),
            ("1.5/2", "numerator"),
            ("abc", "expected"),
            ("1e", "expected"),
            ("1e99999999", "exponent too large"),
            ("1e10001", "exponent too large"),
            ("1e-10001", "exponent too large"),
            ("1e999999999999999999999999", "exponent too large"),
            ("1e+", "expected"),
            ("--1", "expected"),
            ("1.2.3", "expected"),
            (".", "expected"),
            ("0x10", "expected"),
        ] {
            let e = parse_rational(s).expect_err(s);
            assert!(e.to_string().contains(why), "{s}: {e}");
        }
    }

    #[test]
    fn sizes_are_limited_with_their_own_reasons() {
        assert_eq!(p("1e10000"), Rational::from(Int::from(10u8).pow(10_000)));
        assert_eq!(p("1e0000000000000000000003"), int(1000));
        let max = "9".repeat(MAX_NUMBER_DIGITS);
        assert!(parse_rational(&max).is_ok());
        let long = "9".repeat(MAX_NUMBER_DIGITS + 1);
        let half = "9".repeat(MAX_NUMBER_DIGITS / 2 + 1);
        for text in [
            long.clone(),
            format!("-{long}"),
            format!("{long}/3"),
            format!("3/{long}"),
            format!("0.{long}"),
            format!("{long}e-5"),
            format!("{half}e{}", MAX_NUMBER_DIGITS / 2),
            format!("0.{}1e-10000", "0".repeat(MAX_NUMBER_DIGITS - 10_000)),
        ] {
            let e = parse_rational(&text).expect_err("too long");
            assert!(e.to_string().contains("too many digits"), "{e}");
            assert!(e.to_string().len() < 300, "the message shortens the text");
        }
        // Every number parsed prints back to text that parses (the limit is on the value).
        for text in [
            "1e10000".to_string(),
            "-1e-10000".to_string(),
            format!("{}e-10000", "7".repeat(MAX_NUMBER_DIGITS)),
            format!("0.{}", "3".repeat(MAX_NUMBER_DIGITS - 1)),
            format!("{}e{}", "3".repeat(10_000), MAX_NUMBER_DIGITS - 10_000),
        ] {
            let q = p(&text);
            assert_eq!(p(&q.to_string()), q, "{}", &text[..20]);
        }
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "-7/3",
            "0",
            "5",
            "1/1000",
            "-123456789012345678901234567890/7",
        ] {
            assert_eq!(p(&p(s).to_string()), p(s));
        }
        assert_eq!(ratio(-7, 3).to_string(), "-7/3");
    }
}
