//! The paper's hardness reductions as instance generators, with solution maps both ways.
//!
//! - [`poits`]: Positive 1-in-3 SAT -> 2-D data (Theorem 1, ReLU; Corollary 8, threshold).
//! - [`separability`]: 2-hyperplane separability -> k = 4 ReLU / k = 2 threshold data
//!   (Theorem 7, Corollary 10);
//! - [`mcc`]: MULTICOLORED CLIQUE -> one neuron under the `l^p` loss (Corollary 9, and the
//!   single-ReLU result of Froese, Hertrich and Niedermeier it rests on);
//! - [`ladder`]: width padding for all three (the "Number of ReLUs" paragraph).

pub mod ladder;
pub mod mcc;
pub mod poits;
pub mod separability;
