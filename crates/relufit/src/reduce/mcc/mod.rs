//! MULTICOLORED CLIQUE -> training one neuron (linear threshold: Corollary 9; ReLU: the
//! result of Froese, Hertrich and Niedermeier, JAIR 2022, it rests on) under the `l^p` loss,
//! with dimension `2 kappa + 1` and a target error `gamma` that is the same for every `p`;
//! padded to any width `k >= 1` by the witness ladder ([`super::ladder`]). The construction
//! and its proof: `docs/corollary9-mcc.md`. The source problem is [`crate::mcc`].

pub mod construction;
pub mod figure;
pub mod reduction;
pub mod source;

pub use reduction::{
    decode, lift, parse, point_tags, reduce, selection_values, Decoded, McOptions, Tag, REDUCTION,
};
pub use source::Source;
