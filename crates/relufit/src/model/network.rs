//! Two-layer networks `phi(x) = sum_j a_j act(w_j . x + b_j)`.

use super::Activation;
use crate::num::{abs, signum, Rational};

/// One hidden neuron: weights `w`, bias `b`, output weight `a`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Neuron {
    /// Input weights `w_j` in `Q^d`.
    pub w: Vec<Rational>,
    /// Bias `b_j`.
    pub b: Rational,
    /// Output weight `a_j`.
    pub a: Rational,
}

impl Neuron {
    /// A neuron from its parts.
    pub fn new(w: Vec<Rational>, b: Rational, a: Rational) -> Self {
        Neuron { w, b, a }
    }

    /// The neuron that is identically zero in dimension `d` (`w = 0, b = 0, a = 1`).
    pub fn zero(d: usize) -> Self {
        Neuron {
            w: vec![Rational::ZERO; d],
            b: Rational::ZERO,
            a: Rational::ONE,
        }
    }
}

/// A two-layer network with exact rational parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// Hidden activation.
    pub activation: Activation,
    /// The hidden neurons, in order.
    pub neurons: Vec<Neuron>,
}

impl Network {
    /// A network from its parts.
    pub fn new(activation: Activation, neurons: Vec<Neuron>) -> Self {
        Network {
            activation,
            neurons,
        }
    }

    /// Width `k`.
    pub fn width(&self) -> usize {
        self.neurons.len()
    }

    /// Input dimension (of the first neuron; 0 for an empty network).
    pub fn dim(&self) -> usize {
        self.neurons.first().map_or(0, |n| n.w.len())
    }

    /// Check that every neuron has the same input dimension; names the offending neuron.
    pub fn validate(&self) -> Result<(), crate::Malformed> {
        self.rules().map_err(crate::Malformed)
    }

    /// The checks of [`Self::validate`], first failure in words.
    fn rules(&self) -> Result<(), String> {
        let d = self.dim();
        for (j, n) in self.neurons.iter().enumerate() {
            if n.w.len() != d {
                return Err(format!(
                    "neurons[{j}].w: dimension {} differs from neurons[0].w (dimension {d})",
                    n.w.len()
                ));
            }
        }
        Ok(())
    }

    /// The paper's normalisation (Section 1, footnote to the problem definition): for ReLU,
    /// `a [w.x + b]_+ = sign(a) [|a| w.x + |a| b]_+`, so every output weight becomes +1 or -1
    /// without changing the function. Neurons with `a = 0` become the zero neuron.
    /// Threshold networks are returned unchanged (the rescaling does not apply there).
    pub fn normalize(&self) -> Network {
        if self.activation == Activation::Threshold {
            return self.clone();
        }
        let neurons = self
            .neurons
            .iter()
            .map(|n| {
                let s = signum(&n.a);
                if s == 0 {
                    return Neuron::zero(n.w.len());
                }
                let m = abs(&n.a);
                Neuron {
                    w: n.w.iter().map(|wi| wi * &m).collect(),
                    b: &n.b * &m,
                    a: Rational::from(s),
                }
            })
            .collect();
        Network {
            activation: self.activation,
            neurons,
        }
    }

    /// The same network with every input padded by zeros to dimension `d` (`d >= dim()`).
    pub fn padded_to(&self, d: usize) -> Network {
        let neurons = self
            .neurons
            .iter()
            .map(|n| {
                let mut w = n.w.clone();
                w.resize(d.max(w.len()), Rational::ZERO);
                Neuron {
                    w,
                    b: n.b.clone(),
                    a: n.a.clone(),
                }
            })
            .collect();
        Network {
            activation: self.activation,
            neurons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{int, ratio};

    #[test]
    fn normalize_pulls_magnitude_into_weights() {
        let net = Network::new(
            Activation::Relu,
            vec![
                Neuron::new(vec![int(1), ratio(-1, 3)], int(2), ratio(-3, 2)),
                Neuron::new(vec![int(5)], int(1), int(0)),
            ],
        );
        let n = net.normalize();
        assert_eq!(n.neurons[0].w, vec![ratio(3, 2), ratio(-1, 2)]);
        assert_eq!(n.neurons[0].b, int(3));
        assert_eq!(n.neurons[0].a, int(-1));
        assert_eq!(n.neurons[1], Neuron::zero(1));
    }
}
