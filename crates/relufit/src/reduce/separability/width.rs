//! Width padding of Theorem 7 (ReLU, any `k >= 4`) and Corollary 10 (threshold, any
//! `k >= 2`): the witness ladder of [`crate::reduce::ladder`] through the first point `q0` of
//! `Q`, with free windows for the original neurons (which get a `z`-weight) and `k - 4`
//! (`k - 2`) gadget windows. The argument: `docs/width-padding.md`, section 6.
//!
//! Along the centre line (through `q0`) and the perturbed lines (through `q0 +- eps e_i`,
//! `eps` half the instance's margin), the canonical network is constant between windows:
//!
//! | | gap 0 | window 1 | gap 1 | window 2 | gap 2 | gadget windows |
//! |---|---|---|---|---|---|---|
//! | threshold | 1 (`z = 1, 2`) | `[2, 8]`: `1{g_1 > 0}` turns off | 0 (`z = 8, 12`) | `[12, 64]`: `1{g_2 > 0}` turns on | -1 | `+1` each |
//! | ReLU | 1 (`z = -5/2, -1/2, 3/2, 2`) | `(3/2, 40)`: the step of `h_1` ramps down | 0 | `(48, 288)`: the step of `h_2` ramps up | -1 | slope `+1` each |
//!
//! The lifted network gives the original neurons the `z`-weights that put these crossings at
//! `z = 4` and `32` (threshold) or ramps ending at `16` and starting at `128` (ReLU) on the
//! centre line; on a perturbed line the crossing moves by the factor `g(q0 +- eps e_i) /
//! g(q0)`, which lies in `(1/2, 3/2)` when `eps |h_i| < |g(q0)| / 2`, i.e. when the margin
//! `eps_instance max_i |h_i| < |g(q0)|` holds at `q0` (checked by the lift).

use crate::error::{Error, Result};
use crate::model::{Activation, Network, Point};
use crate::num::{abs, int, ratio, Rational};
use crate::reduce::ladder::{Affine, Ladder, LadderSpec, Window};

/// The construction's own width: 4 (ReLU, Theorem 7) or 2 (threshold, Corollary 10).
pub(crate) fn base_width(activation: Activation) -> usize {
    match activation {
        Activation::Relu => 4,
        Activation::Threshold => 2,
    }
}

/// The ladder for `width > base_width` around the core points (the first of which is `q0`);
/// `None` for the construction's own width.
pub(crate) fn ladder(
    activation: Activation,
    core: &[Point],
    eps: &Rational,
    width: usize,
    num_q: usize,
) -> Result<Option<Ladder>> {
    let k0 = base_width(activation);
    if width < k0 {
        return Err(Error::input(
            "--width",
            format!(
                "the {} construction needs width k >= {k0}, got {width}",
                if activation == Activation::Relu {
                    "Theorem 7"
                } else {
                    "Corollary 10"
                }
            ),
        ));
    }
    if width == k0 {
        return Ok(None);
    }
    if num_q == 0 {
        return Err(Error::Invalid(
            "width padding needs a point in Q (the ladder is built through the first one)".into(),
        ));
    }
    let constant = |c: i64| Affine::constant(int(c));
    let (free, free_gaps) = match activation {
        Activation::Threshold => (
            vec![
                Window {
                    samples: vec![int(2), int(8)],
                    neurons: 1,
                },
                Window {
                    samples: vec![int(12), int(64)],
                    neurons: 1,
                },
            ],
            vec![constant(1), constant(0), constant(-1)],
        ),
        Activation::Relu => (
            vec![
                Window {
                    samples: vec![ratio(3, 2), int(2), int(32), int(40)],
                    neurons: 2,
                },
                Window {
                    samples: vec![int(48), int(56), int(256), int(288)],
                    neurons: 2,
                },
            ],
            vec![constant(1), constant(0), constant(-1)],
        ),
    };
    let spec = LadderSpec {
        activation,
        base: core[0].x.clone(),
        eps: eps / int(2),
        free,
        free_gaps,
        free_on_perturbed: true,
        extra: width - k0,
        copies: 1,
    };
    Ladder::new(spec, core).map(Some)
}

/// The `z`-weights of the lifted core network (neurons in the order of
/// [`super::lift()`]: ReLU `T1+, T1-, T2-, T2+`; threshold `h1, h2`), given their values at
/// `q0`. Errors when a pre-activation at `q0` has the wrong sign.
pub(crate) fn z_weights(
    core: &Network,
    q0: &[Rational],
) -> std::result::Result<Vec<Rational>, String> {
    let pre = |j: usize| {
        let n = &core.neurons[j];
        n.w.iter()
            .zip(q0)
            .fold(n.b.clone(), |acc, (a, b)| acc + a * b)
    };
    match core.activation {
        Activation::Threshold => {
            let (p1, p2) = (pre(0), pre(1));
            if p1 <= Rational::ZERO || p2 >= Rational::ZERO {
                return Err(
                    "q0 is not on the positive side of h1 and the negative side of h2".into(),
                );
            }
            Ok(vec![-p1 / int(4), -p2 / int(32)])
        }
        Activation::Relu => {
            let (p1, p2) = (pre(0), pre(2));
            if p1 < int(4) || p2 > int(-4) {
                return Err("the scaled hyperplanes are not at least 4 away from q0".into());
            }
            let k1 = -p1 / int(16);
            let k2 = -p2 / int(128);
            Ok(vec![k1.clone(), k1, k2.clone(), k2])
        }
    }
}

/// The margin the padded lift needs at `q0`: `eps |h_i| < |g(q0)| / 2` for every coordinate
/// (`eps` the ladder's perturbation), for both hyperplanes. The message names the failure.
pub(crate) fn check_base_margin(
    pair: &[super::problem::Hyperplane],
    q0: &[Rational],
    ladder_eps: &Rational,
) -> std::result::Result<(), String> {
    for (i, h) in pair.iter().enumerate() {
        let g = abs(&h.value(q0));
        let worst = h.h.iter().map(abs).max().unwrap_or(Rational::ZERO);
        if ladder_eps * &worst * int(2) >= g {
            return Err(format!(
                "hyperplane {} passes within the ladder's perturbation of q0 ({ladder_eps} times \
                 its largest coefficient is not below half of |h . q0 + o| = {g}): the padded \
                 instance needs the margin (5) at q0",
                i + 1
            ));
        }
    }
    Ok(())
}
