//! Positive 1-in-3 SAT (POITS) and its reduction to 2-D training (Theorem 1, Corollary 8).

mod formula;

pub use formula::{Assignment, Formula};
pub mod gadget;
pub mod layout;
pub mod threshold;
