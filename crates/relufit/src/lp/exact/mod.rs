//! The exact kernel: every exact answer of relufit's solvers comes from here.
//!
//! **Floats guess, the kernel certifies.** A float simplex ([`crate::lp::float`], and the
//! bounded-variable dual of the enumeration's `abs` leaves) only proposes a basis. From it
//! the kernel builds a certificate by one fraction-free square solve ([`solve`]) and
//! re-checks it against the original integer rows with the one checker ([`check`]):
//!
//! | answer        | certificate                                   | check                      |
//! |---------------|-----------------------------------------------|----------------------------|
//! | feasible      | a point `num / den`                           | [`check::satisfies`]       |
//! | `min >= t`    | multipliers combining the rows to `c`         | [`check::combine`], bound  |
//! | infeasible    | Farkas multipliers combining the rows to `0`  | [`check::combine`], `> 0`  |
//! | unbounded     | a point and a ray                             | both with [`check::satisfies`] |
//!
//! A certificate that does not check is never reported: the caller falls back to the exact
//! simplex ([`crate::lp::float::solve_exact`], the same simplex in exact rationals), whose answers are checked the same way. So a wrong
//! float guess can cost time, never correctness.
//!
//! All integer work is written once over [`width::ExactInt`] and runs at the narrowest width
//! that holds it: `i64`, then overflow-checked `i128`, then big integers. Square solves whose
//! minors outgrow `i64` run as Cramer's rule modulo word primes ([`modular`]), exact by
//! Hadamard's bound, instead of big-integer elimination.

pub(crate) mod check;
pub(crate) mod modular;
pub(crate) mod solve;
mod unit_pivots;
pub(crate) mod width;

pub(crate) use check::{combine, satisfies_bounded, Rejected, Row};
pub(crate) use solve::{
    echelon, is_nonsingular, solve_square, solve_square_int, solve_square_small, solve_square_wide,
    Echelon, IntVector, Overflow,
};
pub(crate) use width::ExactInt;
