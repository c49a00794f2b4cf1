//! Exact combinatorial geometry of point sets: affine hulls and the affine dichotomies that
//! hyperplanes cut out of a finite point set.

mod affine;
mod dichotomy;

pub use affine::{affine_hull, AffineHull};
pub use dichotomy::{
    candidate_count, cover_count, dichotomies, dichotomies_within, dichotomy_bytes, Dichotomy,
};
