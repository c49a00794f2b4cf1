"""Positive 1-in-3 SAT -> two-dimensional training data (Theorem 1 for ReLU, Corollary 8
for threshold networks), with the solution maps both ways.

A formula is a list of clauses, each three positive literals (variables numbered from 1,
a variable may repeat inside a clause)::

    clauses = [(1, 2, 3), (2, 3, 4)]
    inst = relufit.poits.reduce(clauses)            # k = 4(m + n), 38m + 33n points
    net = relufit.poits.lift(inst, true_vars=[2])   # the network of equation (2)
    assert relufit.verify(inst, net).passes
    sol = relufit.poits.decode(inst, net)           # back to the 1-in-3 solution
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import List, Optional, Sequence, Tuple, Union

from . import _relufit
from ._relufit import Instance, Network

__all__ = ["PoitsSolution", "decode", "formula", "lift", "reduce", "solve"]

Clause = Sequence[int]
Number = Union[int, float, Fraction, str]


@dataclass(frozen=True)
class PoitsSolution:
    """A 1-in-3 solution read off a fitting network."""

    true_vars: List[int]
    """The true variables (1-based); all others are false."""
    choices: List[int]
    """The true literal (1, 2 or 3) of every clause."""
    canonical: Network
    """The canonical network of equation (2) for this solution (it fits exactly)."""

    def assignment(self, num_vars: int) -> List[bool]:
        """Truth values of variables ``1..num_vars`` (index 0 is variable 1)."""
        chosen = set(self.true_vars)
        return [v in chosen for v in range(1, num_vars + 1)]


def _clauses(clauses: Sequence[Clause]) -> List[List[int]]:
    return [[int(v) for v in c] for c in clauses]


def reduce(
    clauses: Sequence[Clause],
    num_vars: Optional[int] = None,
    *,
    activation: str = "relu",
    dim: int = 2,
    gamma: Number = 0,
    loss: str = "squared",
) -> Instance:
    """The training instance of Theorem 1 (``activation="relu"``: k = 4(m + n),
    38m + 33n points) or Corollary 8 (``"threshold"``: k = 2(m + n)), padded to input
    dimension ``dim >= 2`` and target error ``gamma >= 0``. It has a network with error
    <= gamma exactly when the formula has a 1-in-3 solution. ``num_vars`` defaults to the
    largest variable in the clauses. The instance's ``meta`` records what ``lift`` and
    ``decode`` need.
    """
    return _relufit._poits_reduce(
        _clauses(clauses),
        num_vars,
        activation=activation,
        dim=dim,
        gamma=gamma,
        loss=loss,
    )


def formula(instance: Instance) -> Tuple[int, List[Tuple[int, int, int]]]:
    """``(num_vars, clauses)`` of the formula a POITS instance was built from."""
    return _relufit._poits_formula(instance)


def lift(
    instance: Instance,
    true_vars: Sequence[int],
    choices: Optional[Sequence[int]] = None,
) -> Network:
    """The network of equation (2) for the assignment whose true variables are
    ``true_vars`` (1-based) and the literal ``choices`` (1..3 per clause; default: the
    first true literal of each clause). It fits exactly (error gamma) iff the assignment
    is a 1-in-3 solution and the choices are its true literals; check with
    :func:`relufit.verify`.
    """
    return _relufit._poits_lift(
        instance,
        [int(v) for v in true_vars],
        None if choices is None else [int(c) for c in choices],
    )


def decode(instance: Instance, network: Network) -> PoitsSolution:
    """The backward map of Theorem 1: read the 1-in-3 solution off any network that fits
    the instance (by probing its function, whatever its parameters), rebuild the canonical
    network and re-verify it. Raises ``InputError`` if the network does not fit."""
    true_vars, choices, canonical = _relufit._poits_decode(instance, network)
    return PoitsSolution(true_vars=true_vars, choices=choices, canonical=canonical)


def solve(clauses: Sequence[Clause], num_vars: Optional[int] = None) -> Optional[List[int]]:
    """An exact 1-in-3 solution of the formula (its true variables), or ``None`` if there
    is none (exhaustive DPLL)."""
    return _relufit._poits_solve(_clauses(clauses), num_vars)
