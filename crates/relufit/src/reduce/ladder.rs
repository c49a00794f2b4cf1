//! Width padding ("Number of ReLUs" in Section 1 of the paper): a *witness ladder* that
//! makes every extra neuron of a wider network sit on a far-away hyperplane where it cannot
//! help with the original points. The argument is in `docs/width-padding.md`; this module
//! builds the points and the canonical extra neurons, and checks the numerical facts the
//! argument uses.
//!
//! The padded instance has one more input coordinate `z` (the last). The original points
//! keep `z = 0`. A *line* is `{(x, z) : z in R}` for a fixed `x`: the centre line at the base
//! point `b0`, and the perturbed lines at `b0 +- eps e_i` for every original coordinate `i`.
//! Along a line the samples come in *gaps*; between consecutive gaps lies a *window*, where
//! the labels change their formula (threshold: the value; ReLU: the affine function), so some
//! neuron's hyperplane must cross the line inside the window (`r = 2` neurons for a ramp
//! between parallel formulas). The lowest windows ("free windows") are crossed by the
//! original construction's neurons, given a `z`-weight; above them lie the `e` gadget
//! windows, centred at `Z_g = Z_1 4^(g-1)`, each crossed by one extra neuron
//! (`1{z > Z_g}` or `[z - Z_g]_+`) in the canonical network.
//!
//! Sample layout of a window (2 samples for threshold: `lo, hi`; 4 for ReLU:
//! `a3 < a4 < b1 < b2`): the lower samples (`lo`; `a3, a4`) end the gap below, the upper
//! ones (`hi`; `b1, b2`) start the gap above. The lowest gap adds one (threshold: `lo - 1`)
//! or two (ReLU: `a3 - 4, a3 - 2`) samples below, the top gap as many above.

use crate::error::{Error, Result};
use crate::model::{Activation, Network, Neuron, Point};
use crate::num::{abs, int, Rational};
use serde_json::{json, Value};
use std::fmt;

/// An affine label formula `alpha + beta z` along a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affine {
    /// Value at `z = 0`.
    pub alpha: Rational,
    /// Slope in `z`.
    pub beta: Rational,
}

impl Affine {
    /// The constant `c`.
    pub fn constant(c: Rational) -> Affine {
        Affine {
            alpha: c,
            beta: Rational::ZERO,
        }
    }

    /// The value at `z`.
    pub fn at(&self, z: &Rational) -> Rational {
        &self.alpha + &self.beta * z
    }
}

/// A window: its samples (threshold `[lo, hi]`, ReLU `[a3, a4, b1, b2]`) and how many neurons
/// must cross inside (1, or 2 for a ReLU ramp between parallel formulas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The samples, increasing.
    pub samples: Vec<Rational>,
    /// Neurons that must cross inside.
    pub neurons: usize,
}

impl Window {
    fn lower(&self) -> &[Rational] {
        &self.samples[..self.samples.len() / 2]
    }
    fn upper(&self) -> &[Rational] {
        &self.samples[self.samples.len() / 2..]
    }
    /// The interval the crossing neurons must meet: `[lo, hi]` (threshold) or `(a3, b2)`.
    pub fn span(&self) -> (&Rational, &Rational) {
        (&self.samples[0], &self.samples[self.samples.len() - 1])
    }
}

/// What the original construction tells the ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LadderSpec {
    /// The activation of the instance.
    pub activation: Activation,
    /// The base point `b0` (original dimension `d`).
    pub base: Vec<Rational>,
    /// The perturbation `eps > 0` of the perturbed lines.
    pub eps: Rational,
    /// The free windows, bottom up (crossed by the original neurons).
    pub free: Vec<Window>,
    /// The label formulas of the gaps below, between and above the free windows
    /// (`free.len() + 1` of them).
    pub free_gaps: Vec<Affine>,
    /// `true`: the perturbed lines carry the whole ladder; `false`: only the part above the
    /// free windows (where the original neurons' values are known for every solution).
    pub free_on_perturbed: bool,
    /// Number `e >= 1` of extra neurons (gadget windows).
    pub extra: usize,
    /// Copies of every ladder point.
    pub copies: usize,
}

/// Which line a ladder point lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Through `b0`.
    Centre,
    /// Through `b0 + eps e_i`.
    Plus(usize),
    /// Through `b0 - eps e_i`.
    Minus(usize),
}

/// Tag of a ladder point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LadderTag {
    /// Its line.
    pub line: Line,
    /// Its gap (0 = lowest).
    pub gap: usize,
}

impl fmt::Display for LadderTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = match self.line {
            Line::Centre => "centre line".to_string(),
            Line::Plus(i) => format!("line b0 + eps e_{i}"),
            Line::Minus(i) => format!("line b0 - eps e_{i}"),
        };
        write!(f, "ladder ({line}, gap {})", self.gap)
    }
}

/// A built ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    /// What it was built from.
    pub spec: LadderSpec,
    /// `Z_1`, the centre of the lowest gadget window.
    pub z1: Rational,
    /// All windows, bottom up: the free ones, then the gadget windows.
    pub windows: Vec<Window>,
    /// All gap formulas (`windows.len() + 1`).
    pub gaps: Vec<Affine>,
}

fn q(n: i64) -> Rational {
    int(n)
}

/// Half-width of a gadget window: 1 (threshold) or 4 (ReLU).
fn gadget_half_width(act: Activation) -> Rational {
    match act {
        Activation::Threshold => q(1),
        Activation::Relu => q(4),
    }
}

/// The samples of the gadget window centred at `z`.
fn gadget_window(act: Activation, z: &Rational) -> Window {
    let samples = match act {
        Activation::Threshold => vec![z - q(1), z + q(1)],
        Activation::Relu => vec![z - q(4), z - q(2), z + q(2), z + q(4)],
    };
    Window {
        samples,
        neurons: 1,
    }
}

impl Ladder {
    /// Build the ladder for `spec` around the original points `core` (to keep every gadget
    /// hyperplane above them): `Z_1` is the least integer above
    /// `8W + 2T + W (1 + 2 D / eps)`, with `W` the gadget half-width, `T` the top of the free
    /// windows and `D` the largest 1-norm distance from `b0` to an original point.
    pub fn new(spec: LadderSpec, core: &[Point]) -> Result<Ladder> {
        if spec.extra == 0 {
            return Err(Error::Invalid(
                "a ladder needs at least one extra neuron".into(),
            ));
        }
        if spec.eps <= Rational::ZERO {
            return Err(Error::Invalid("the ladder's eps must be positive".into()));
        }
        let w = gadget_half_width(spec.activation);
        let top = spec
            .free
            .iter()
            .map(|f| f.span().1.clone())
            .max()
            .unwrap_or(Rational::ZERO);
        let dist = core
            .iter()
            .map(|p| {
                p.x.iter()
                    .zip(&spec.base)
                    .fold(Rational::ZERO, |acc, (a, b)| acc + abs(&(a - b)))
            })
            .max()
            .unwrap_or(Rational::ZERO);
        let bound = &w * q(8) + &top * q(2) + &w * (q(1) + q(2) * &dist / &spec.eps);
        let z1 = Rational::from(bound.floor() + crate::num::Int::ONE);
        let mut windows = spec.free.clone();
        let mut gaps = spec.free_gaps.clone();
        let mut z = z1.clone();
        for _ in 0..spec.extra {
            windows.push(gadget_window(spec.activation, &z));
            let prev = gaps.last().cloned().expect("a gap below");
            gaps.push(match spec.activation {
                Activation::Threshold => Affine {
                    alpha: prev.alpha + q(1),
                    beta: prev.beta,
                },
                Activation::Relu => Affine {
                    alpha: prev.alpha - &z,
                    beta: prev.beta + q(1),
                },
            });
            z *= q(4);
        }
        let ladder = Ladder {
            spec,
            z1,
            windows,
            gaps,
        };
        ladder.check()?;
        Ok(ladder)
    }

    /// Centres `Z_g` of the gadget windows.
    pub fn centres(&self) -> Vec<Rational> {
        let mut z = self.z1.clone();
        (0..self.spec.extra)
            .map(|_| {
                let c = z.clone();
                z = &z * q(4);
                c
            })
            .collect()
    }

    /// The samples of gap `j` (heights, increasing).
    pub fn gap_samples(&self, j: usize) -> Vec<Rational> {
        let relu = self.spec.activation == Activation::Relu;
        let mut out = Vec::new();
        if j == 0 {
            let a = &self.windows[0].samples[0];
            if relu {
                out.extend([a - q(4), a - q(2)]);
            } else {
                out.push(a - q(1));
            }
        } else {
            out.extend(self.windows[j - 1].upper().iter().cloned());
        }
        if j < self.windows.len() {
            out.extend(self.windows[j].lower().iter().cloned());
        } else {
            let b = self.windows[j - 1].samples.last().expect("samples");
            if relu {
                out.extend([b + q(2), b + q(4)]);
            } else {
                out.push(b + q(1));
            }
        }
        out
    }

    /// The first gap present on the perturbed lines.
    pub fn perturbed_from(&self) -> usize {
        if self.spec.free_on_perturbed {
            0
        } else {
            self.spec.free.len()
        }
    }

    /// The `x` of a line (original dimension).
    pub fn line_x(&self, line: Line) -> Vec<Rational> {
        let mut x = self.spec.base.clone();
        match line {
            Line::Centre => {}
            Line::Plus(i) => x[i] += &self.spec.eps,
            Line::Minus(i) => x[i] -= &self.spec.eps,
        }
        x
    }

    /// All lines: the centre, then `+eps e_i`, `-eps e_i` for every coordinate.
    pub fn lines(&self) -> Vec<Line> {
        let mut v = vec![Line::Centre];
        for i in 0..self.spec.base.len() {
            v.push(Line::Plus(i));
            v.push(Line::Minus(i));
        }
        v
    }

    /// Number of ladder points (copies included).
    pub fn size(&self) -> usize {
        let per_gap: Vec<usize> = (0..self.gaps.len())
            .map(|j| self.gap_samples(j).len())
            .collect();
        let centre: usize = per_gap.iter().sum();
        let perturbed: usize = per_gap[self.perturbed_from()..].iter().sum();
        (centre + 2 * self.spec.base.len() * perturbed) * self.spec.copies
    }

    /// The ladder points (dimension `d + 1`) with their tags.
    pub fn points(&self) -> Vec<(LadderTag, Point)> {
        let mut out = Vec::with_capacity(self.size());
        for line in self.lines() {
            let from = if line == Line::Centre {
                0
            } else {
                self.perturbed_from()
            };
            let x = self.line_x(line);
            for j in from..self.gaps.len() {
                for z in self.gap_samples(j) {
                    let mut p = x.clone();
                    p.push(z.clone());
                    let y = self.gaps[j].at(&z);
                    for _ in 0..self.spec.copies {
                        out.push((LadderTag { line, gap: j }, Point::new(p.clone(), y.clone())));
                    }
                }
            }
        }
        out
    }

    /// The canonical extra neurons (`1{z > Z_g}` or `[z - Z_g]_+`), dimension `d + 1`.
    pub fn gadget_neurons(&self) -> Vec<Neuron> {
        let d = self.spec.base.len();
        self.centres()
            .into_iter()
            .map(|z| {
                let mut w = vec![Rational::ZERO; d + 1];
                w[d] = Rational::ONE;
                Neuron::new(w, -z, Rational::ONE)
            })
            .collect()
    }

    /// The padded canonical network: the original neurons with `z`-weights `z_weights` (one
    /// per neuron), then the gadget neurons.
    pub fn pad_network(&self, core: &Network, z_weights: &[Rational]) -> Network {
        let mut neurons: Vec<Neuron> = core
            .neurons
            .iter()
            .zip(z_weights)
            .map(|(n, c)| {
                let mut w = n.w.clone();
                w.push(c.clone());
                Neuron::new(w, n.b.clone(), n.a.clone())
            })
            .collect();
        neurons.extend(self.gadget_neurons());
        Network::new(core.activation, neurons)
    }

    /// Check the facts the argument uses (`docs/width-padding.md`, section 2): samples
    /// strictly increasing along every line; consecutive gap formulas different; for ReLU
    /// four samples per gap and ramps (two neurons) exactly between parallel formulas; the
    /// height of the gadget windows. A failure is an internal error.
    pub fn check(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Invalid(format!("internal error: ladder: {m}")));
        let relu = self.spec.activation == Activation::Relu;
        let mut all: Vec<(Rational, Rational)> = Vec::new();
        for j in 0..self.gaps.len() {
            for z in self.gap_samples(j) {
                all.push((z.clone(), self.gaps[j].at(&z)));
            }
        }
        if all.windows(2).any(|p| p[0].0 >= p[1].0) {
            return bad("samples not increasing".into());
        }
        for (j, win) in self.windows.iter().enumerate() {
            let (lo, hi) = (&self.gaps[j], &self.gaps[j + 1]);
            if lo == hi {
                return bad(format!("window {j} joins equal formulas"));
            }
            let parallel = lo.beta == hi.beta;
            let expect = if relu && parallel { 2 } else { 1 };
            if win.neurons != expect {
                return bad(format!("window {j} needs {expect} neurons"));
            }
        }
        if relu && (0..self.gaps.len()).any(|j| self.gap_samples(j).len() != 4) {
            return bad("a ReLU gap needs four samples".into());
        }
        let w = gadget_half_width(self.spec.activation);
        let top = self
            .spec
            .free
            .iter()
            .map(|f| f.span().1.clone())
            .max()
            .unwrap_or(Rational::ZERO);
        if self.z1 <= &w * q(8) + &top * q(2) {
            return bad("Z_1 too low".into());
        }
        Ok(())
    }

    /// The record written into an instance's `meta` (everything needed to rebuild it).
    pub fn to_json(&self) -> Value {
        let s = |v: &[Rational]| v.iter().map(|q| q.to_string()).collect::<Vec<_>>();
        json!({
            "extra": self.spec.extra,
            "base": s(&self.spec.base),
            "eps": self.spec.eps.to_string(),
            "z1": self.z1.to_string(),
            "copies": self.spec.copies,
            "free_windows": self.spec.free.iter().map(|w| s(&w.samples)).collect::<Vec<_>>(),
            "points": self.size(),
        })
    }
}

/// The `z`-coordinate index of a padded point or weight vector of original dimension `d`.
pub fn z_index(d: usize) -> usize {
    d
}

/// Restrict a padded network to the original points' plane `z = 0` (drop the `z` weights).
pub fn restrict(net: &Network) -> Network {
    let neurons = net
        .neurons
        .iter()
        .map(|n| {
            let mut w = n.w.clone();
            w.pop();
            Neuron::new(w, n.b.clone(), n.a.clone())
        })
        .collect();
    Network::new(net.activation, neurons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::evaluate;

    #[test]
    fn gadget_neurons_fit_the_gadget_part_of_the_ladder() {
        for act in [Activation::Threshold, Activation::Relu] {
            let free = match act {
                Activation::Threshold => Window {
                    samples: vec![crate::num::ratio(3, 2), q(4)],
                    neurons: 1,
                },
                Activation::Relu => Window {
                    samples: vec![q(-3), q(-1), q(4), q(6)],
                    neurons: 1,
                },
            };
            let gaps = match act {
                Activation::Threshold => vec![Affine::constant(q(1)), Affine::constant(q(0))],
                Activation::Relu => vec![
                    Affine {
                        alpha: q(1),
                        beta: crate::num::ratio(-1, 2),
                    },
                    Affine::constant(q(0)),
                ],
            };
            let spec = LadderSpec {
                activation: act,
                base: vec![q(0), q(0)],
                eps: crate::num::ratio(1, 4),
                free: vec![free],
                free_gaps: gaps,
                free_on_perturbed: false,
                extra: 3,
                copies: 2,
            };
            let core = vec![Point::new(vec![q(5), q(-5)], q(0))];
            let ladder = Ladder::new(spec, &core).unwrap();
            let pts = ladder.points();
            assert_eq!(pts.len(), ladder.size());
            // The data neuron 1{1 - z/2 > 0} (or [1 - z/2]_+) plus the gadgets fits all.
            let core_net = Network::new(act, vec![Neuron::new(vec![q(0), q(0)], q(1), q(1))]);
            let net = ladder.pad_network(&core_net, &[crate::num::ratio(-1, 2)]);
            let xs: Vec<&[Rational]> = pts.iter().map(|(_, p)| p.x.as_slice()).collect();
            let values = evaluate(&net, &xs).values;
            for ((tag, p), v) in pts.iter().zip(values) {
                assert_eq!(v, p.y, "{act}: {tag} at {:?}", p.x);
            }
        }
    }
}
