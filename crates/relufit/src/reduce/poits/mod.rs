//! Positive 1-in-3 SAT (POITS) and its reduction to 2-D training (Theorem 1, Corollary 8).

mod formula;

pub use formula::{Assignment, Formula};
pub mod decode;
pub mod gadget;
pub mod layout;
pub mod meta;
pub mod pad;
pub mod reduction;
pub mod relu;
pub mod threshold;
pub use decode::{decode, Decoded};
pub use reduction::{lift, point_tags, reduce, Construction, PoitsOptions};
