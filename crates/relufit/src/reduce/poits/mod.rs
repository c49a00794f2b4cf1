//! The reduction from Positive 1-in-3 SAT to 2-D training (Theorem 1, ReLU; Corollary 8,
//! linear threshold), with its solution maps both ways and the paper's figures of Section 3.
//! The source problem itself (formulas, DIMACS, generators, solver) is [`crate::sat`].

pub mod decode;
pub mod figures;
pub mod gadget;
pub mod layout;
pub mod meta;
pub mod pad;
pub mod reduction;
pub(crate) mod relu;
pub mod threshold;
pub use decode::{decode, decode_within, Decoded};
pub use reduction::{
    lift, point_tags, reduce, reduce_within, Construction, PoitsOptions, MAX_LOSS_REFUSAL,
};
