//! Planted 2-HYPERPLANE SEPARABILITY instances in the restricted form (3)-(5) of Section 4.
//!
//! Two hyperplanes `H_1, H_2` with small integer coefficients are drawn first; then points
//! on a grid of spacing `1 / denominator` in the box `[-range, range]^d` are drawn and kept
//! only if they fall in the intended cell (for `Q`: `h_1 . x + o_1 > 0 > h_2 . x + o_2`; for
//! `P`: alternately the two neighbouring cells `(+, +)` and `(-, -)`) and satisfy the margin
//! (5) exactly, `(h_i . x + o_i)^2 > eps^2 ||h_i||^2`, with `eps = m^-3` unless set. Points
//! are distinct. Seeded by [`crate::rng::Rng`], so the output is reproducible.

use super::check::check_restricted;
use super::problem::{Hyperplane, SeparabilityInstance};
use crate::error::{Error, Result};
use crate::num::{signum, Rational};
use crate::rng::Rng;
use std::collections::HashSet;

/// Parameters of [`planted`].
#[derive(Debug, Clone)]
pub struct PlantedOptions {
    /// Dimension `d >= 1`.
    pub dim: usize,
    /// `|Q| >= 1`.
    pub num_q: usize,
    /// `|P|`.
    pub num_p: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// Coordinates lie in `[-range, range]` (integer, `>= 1`).
    pub range: i64,
    /// Coordinates are multiples of `1 / denominator` (`>= 1`).
    pub denominator: i64,
    /// Margin of (5); `None` means the paper's `m^-3` with `m = |Q| + |P|`.
    pub eps: Option<Rational>,
}

impl Default for PlantedOptions {
    fn default() -> Self {
        PlantedOptions {
            dim: 2,
            num_q: 4,
            num_p: 6,
            seed: 1,
            range: 10,
            denominator: 1,
            eps: None,
        }
    }
}

/// A planted instance with the hyperplanes it was built around.
#[derive(Debug, Clone)]
pub struct Planted {
    /// The instance (`Q` and `P`).
    pub instance: SeparabilityInstance,
    /// `H_1, H_2`, satisfying (3)-(5) with margin [`Planted::eps`] (checked exactly).
    pub hyperplanes: [Hyperplane; 2],
    /// The margin used.
    pub eps: Rational,
}

const TRIES_PER_POINT: usize = 2000;

fn random_hyperplane(rng: &mut Rng, d: usize, range: i64) -> Hyperplane {
    loop {
        let h: Vec<Rational> = (0..d)
            .map(|_| Rational::from(rng.range_inclusive(-3, 3)))
            .collect();
        if h.iter().any(|a| *a != Rational::ZERO) {
            let o = Rational::from(rng.range_inclusive(-(range / 4), range / 4));
            return Hyperplane::new(h, o);
        }
    }
}

/// Generate a planted instance (see the module documentation). Fails with a clear error if
/// the parameters admit no such instance in reasonable time (e.g. a margin too large for
/// the grid, or more points requested than the cells hold).
pub fn planted(opts: &PlantedOptions) -> Result<Planted> {
    if opts.dim == 0 || opts.num_q == 0 || opts.range < 1 || opts.denominator < 1 {
        return Err(Error::Invalid(
            "planted instances need dim >= 1, |Q| >= 1, range >= 1 and denominator >= 1".into(),
        ));
    }
    let m = opts.num_q + opts.num_p;
    let eps = opts.eps.clone().unwrap_or_else(|| {
        let m3 = (m as u64).pow(3);
        Rational::from_parts(1u8.into(), m3.into())
    });
    let eps_sq = &eps * &eps;
    let mut rng = Rng::new(opts.seed);
    let den = Rational::from(opts.denominator);
    let grid = opts.range * opts.denominator;
    // A few attempts at the hyperplanes: a draw may leave a cell (almost) empty.
    for _ in 0..20 {
        let hs = [
            random_hyperplane(&mut rng, opts.dim, opts.range),
            random_hyperplane(&mut rng, opts.dim, opts.range),
        ];
        let bounds: Vec<Rational> = hs.iter().map(|h| &eps_sq * h.norm_sq()).collect();
        let mut seen: HashSet<Vec<Rational>> = HashSet::new();
        let mut draw = |rng: &mut Rng, cell: (i8, i8)| -> Option<Vec<Rational>> {
            for _ in 0..TRIES_PER_POINT {
                let x: Vec<Rational> = (0..opts.dim)
                    .map(|_| Rational::from(rng.range_inclusive(-grid, grid)) / &den)
                    .collect();
                let v: Vec<Rational> = hs.iter().map(|h| h.value(&x)).collect();
                let ok = signum(&v[0]) == cell.0
                    && signum(&v[1]) == cell.1
                    && (0..2).all(|i| &v[i] * &v[i] > bounds[i]);
                if ok && !seen.contains(&x) {
                    seen.insert(x.clone());
                    return Some(x);
                }
            }
            None
        };
        let q: Option<Vec<_>> = (0..opts.num_q).map(|_| draw(&mut rng, (1, -1))).collect();
        let p: Option<Vec<_>> = (0..opts.num_p)
            .map(|i| draw(&mut rng, if i % 2 == 0 { (1, 1) } else { (-1, -1) }))
            .collect();
        if let (Some(q), Some(p)) = (q, p) {
            let instance = SeparabilityInstance::new(q, p);
            check_restricted(&instance, &hs, &eps).map_err(|e| {
                Error::Invalid(format!("internal error: planted instance fails: {e}"))
            })?;
            return Ok(Planted {
                instance,
                hyperplanes: hs,
                eps,
            });
        }
    }
    Err(Error::Invalid(format!(
        "could not plant {} + {} points with margin {eps} in [-{r}, {r}]^{d} (grid 1/{den}); \
         use a larger range or finer grid",
        opts.num_q,
        opts.num_p,
        r = opts.range,
        d = opts.dim,
        den = opts.denominator
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_instances_are_reproducible_and_restricted() {
        let opts = PlantedOptions {
            dim: 3,
            num_q: 5,
            num_p: 7,
            seed: 9,
            ..PlantedOptions::default()
        };
        let a = planted(&opts).unwrap();
        let b = planted(&opts).unwrap();
        assert_eq!(a.instance, b.instance);
        assert_eq!(a.instance.q.len(), 5);
        assert_eq!(a.instance.p.len(), 7);
        assert_eq!(a.eps, Rational::from_parts(1u8.into(), 1728u16.into()));
        assert!(check_restricted(&a.instance, &a.hyperplanes, &a.eps).is_ok());
        let c = planted(&PlantedOptions { seed: 10, ..opts }).unwrap();
        assert_ne!(a.instance, c.instance);
    }
}
