//! The loss of an instance by name, including the `l^p` losses of Corollary 9.
//!
//! Section 5 of the paper defines `l^p(y_hat, y) = |y_hat - y|^p`, summed over the points,
//! with `l^0` counting the non-zero residuals. Three members of the family were in relufit
//! before under their own names and keep them: `zero-one` is `l^0`, `abs` is `l^1`,
//! `squared` is `l^2`. The others are written `lp:P` (`lp:3`, `lp:4`, ...). `lp:0`, `lp:1`
//! and `lp:2` are accepted as synonyms and written back under the old names, so every file
//! that older versions wrote or read keeps its meaning.
//!
//! Only integer `p` is supported: for a rational residual `r` and a non-integer `p`, `|r|^p`
//! is in general irrational, and relufit computes every error exactly. Exponents are
//! limited to [`MAX_LOSS_EXPONENT`].
//!
//! In an [`super::Instance`], `l^p` for `p >= 3` is stored as [`Loss::Abs`] together with
//! the exponent in [`super::Instance::lp`] (the solvers of this build read only
//! [`super::Instance::loss`] and do not handle `p >= 3`; see `docs/corollary9-mcc.md`).

use super::Loss;
use crate::limits::MAX_LOSS_EXPONENT;
use std::fmt;
use std::str::FromStr;

/// A loss as named in files and on the command line: one of the four [`Loss`]es, or `l^p`
/// for an integer `p >= 3` (`loss` is then [`Loss::Abs`], raised to the power `lp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LossSpec {
    /// The named loss (`Abs` for `lp:P`, `P >= 3`).
    pub loss: Loss,
    /// `Some(p)` with `3 <= p <=` [`MAX_LOSS_EXPONENT`]: the loss is `sum |phi - y|^p`.
    pub lp: Option<u32>,
}

impl LossSpec {
    /// One of the four named losses.
    pub fn named(loss: Loss) -> LossSpec {
        LossSpec { loss, lp: None }
    }

    /// The `l^p` loss: `zero-one` for `p = 0`, `abs` for 1, `squared` for 2, `lp:P` beyond.
    ///
    /// # Panics
    /// If `p >` [`MAX_LOSS_EXPONENT`] (callers parse `p` with [`LossSpec::from_str`] or check
    /// it first).
    pub fn lp(p: u32) -> LossSpec {
        assert!(p <= MAX_LOSS_EXPONENT, "l^p exponent {p} beyond the limit");
        match p {
            0 => LossSpec::named(Loss::ZeroOne),
            1 => LossSpec::named(Loss::Abs),
            2 => LossSpec::named(Loss::Squared),
            p => LossSpec {
                loss: Loss::Abs,
                lp: Some(p),
            },
        }
    }

    /// The exponent `p` if this is an `l^p` loss (every loss but `max`).
    pub fn exponent(&self) -> Option<u32> {
        match (self.lp, self.loss) {
            (Some(p), _) => Some(p),
            (None, Loss::ZeroOne) => Some(0),
            (None, Loss::Abs) => Some(1),
            (None, Loss::Squared) => Some(2),
            (None, Loss::Max) => None,
        }
    }

    /// Check the invariant of the two fields (an exponent `3..=MAX` goes with `Abs`); the
    /// message names what is wrong.
    pub fn validate(&self) -> Result<(), crate::Malformed> {
        self.rules().map_err(crate::Malformed)
    }

    /// The checks of [`Self::validate`], first failure in words.
    fn rules(&self) -> Result<(), String> {
        match self.lp {
            None => Ok(()),
            Some(p) if !(3..=MAX_LOSS_EXPONENT).contains(&p) => Err(format!(
                "the l^p exponent must lie in 3..={MAX_LOSS_EXPONENT} (p = 0, 1, 2 are the losses \
                 zero-one, abs, squared), got {p}"
            )),
            Some(_) if self.loss != Loss::Abs => Err(format!(
                "an l^p exponent goes with the abs loss, not with {}",
                self.loss
            )),
            Some(_) => Ok(()),
        }
    }
}

impl fmt::Display for LossSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lp {
            Some(p) => write!(f, "lp:{p}"),
            None => f.write_str(self.loss.name()),
        }
    }
}

impl FromStr for LossSpec {
    type Err = String;
    /// `squared`, `abs`, `max`, `zero-one`, or `lp:P` for a whole number
    /// `0 <= P <=` [`MAX_LOSS_EXPONENT`].
    fn from_str(s: &str) -> Result<Self, String> {
        let expected = "expected squared, abs, max, zero-one or lp:P for a whole number P";
        if let Some(p) = s.strip_prefix("lp:") {
            let p = crate::limits::parse_count(p, 0, MAX_LOSS_EXPONENT as usize).map_err(|e| {
                format!(
                    "loss `{}`: {e}; only whole exponents are supported (|r|^p of a rational \
                     r is irrational in general for other p, and errors are computed exactly)",
                    crate::limits::shorten(s)
                )
            })?;
            return Ok(LossSpec::lp(p as u32));
        }
        match s {
            "squared" | "abs" | "max" | "zero-one" => Ok(LossSpec::named(s.parse()?)),
            other => Err(format!(
                "unknown loss `{}` ({expected})",
                crate::limits::shorten(other)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_old_names_stay() {
        for name in ["squared", "abs", "max", "zero-one", "lp:3", "lp:17"] {
            let spec: LossSpec = name.parse().unwrap();
            assert_eq!(spec.to_string(), name);
            spec.validate().unwrap();
        }
        assert_eq!("lp:0".parse::<LossSpec>().unwrap().to_string(), "zero-one");
        assert_eq!("lp:1".parse::<LossSpec>().unwrap().to_string(), "abs");
        assert_eq!("lp:2".parse::<LossSpec>().unwrap().to_string(), "squared");
        assert_eq!("lp:2".parse::<Loss>().unwrap(), Loss::Squared);
        let e = "lp:3".parse::<Loss>().unwrap_err();
        assert!(e.contains("reduce mcc"), "{e}");
        assert_eq!(LossSpec::lp(5).exponent(), Some(5));
        assert_eq!(LossSpec::named(Loss::Max).exponent(), None);
    }

    #[test]
    fn bad_names_say_why() {
        for (bad, why) in [
            ("lp:1.5", "whole exponents"),
            ("lp:-1", "whole exponents"),
            ("lp:1000", "at most"),
            ("lp:", "whole"),
            ("hinge", "unknown loss"),
        ] {
            let e = bad.parse::<LossSpec>().unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        let bad = LossSpec {
            loss: Loss::Squared,
            lp: Some(3),
        };
        assert!(bad.validate().is_err());
        let bad = LossSpec {
            loss: Loss::Abs,
            lp: Some(2),
        };
        assert!(bad.validate().is_err());
    }
}
