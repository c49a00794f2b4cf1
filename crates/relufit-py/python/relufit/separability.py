"""2-hyperplane separability -> training data with k = 4 ReLUs (Theorem 7) or k = 2
threshold neurons (Corollary 10), with the solution maps both ways and an exact decision
procedure for small instances.

Two hyperplanes strictly separate point sets Q and P when every open segment between a
point of Q and a point of P meets one of them and no point lies on either::

    inst = relufit.separability.reduce(Q, P)          # Q, P: arrays of shape (m, d)
    net = relufit.separability.lift(inst, [h1, h2])   # hyperplanes in restricted form
    dec = relufit.separability.decode(inst, net)      # any fitting network -> hyperplanes
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _relufit
from ._relufit import Instance, Network

__all__ = [
    "Decoding",
    "Hyperplane",
    "Separation",
    "decide",
    "decode",
    "lift",
    "reduce",
    "sets",
]

Number = Union[int, float, Fraction, str]


class Hyperplane(NamedTuple):
    """The hyperplane ``{x : h . x + o = 0}`` with exact ``h`` and ``o``."""

    h: Tuple[Fraction, ...]
    o: Fraction

    def value(self, x: Sequence[Number]) -> Fraction:
        """``h . x + o`` exactly (its sign is the side of ``x``)."""
        return sum(
            (hi * _relufit.exact(xi) for hi, xi in zip(self.h, x)), self.o
        )

    def to_numpy(self) -> Tuple[Any, float]:
        """``(h, o)`` as a float64 array and a float (nearest doubles)."""
        import numpy as np

        return np.array([float(v) for v in self.h]), float(self.o)


def _hyperplanes(raw: List[Tuple[List[Fraction], Fraction]]) -> List[Hyperplane]:
    return [Hyperplane(tuple(h), o) for h, o in raw]


@dataclass(frozen=True)
class Decoding:
    """Two hyperplanes read off a fitting network."""

    hyperplanes: List[Hyperplane]
    """They strictly separate Q and P (checked exactly)."""
    restricted: bool
    """They are in the restricted form (3)-(4) of Section 4."""
    origin: str
    """``"positive"`` / ``"negative"`` (the ReLUs with a > 0 / a < 0, Theorem 7),
    ``"search"`` (wide networks) or ``"threshold"`` (Corollary 10)."""


@dataclass(frozen=True)
class Separation:
    """The answer of :func:`decide` when Q and P are separable."""

    hyperplanes: List[Hyperplane]
    restricted: bool


def reduce(
    Q: Any,
    P: Any,
    *,
    activation: str = "relu",
    eps: Optional[Number] = None,
    gamma: Number = 0,
    loss: str = "squared",
) -> Instance:
    """The instance of Theorem 7 (``activation="relu"``, k = 4) or Corollary 10
    (``"threshold"``, k = 2) for point sets ``Q`` and ``P`` (shape ``(m, d)`` each):
    points of Q labelled 1, of P labelled 0, plus (ReLU) the pairs r_qp, s_qp near every
    segment; ``eps`` is the margin of condition (5) (default m^-3); ``gamma > 0`` adds
    padding points. Every entry is converted exactly."""
    return _relufit._separability_reduce(
        Q, P, activation=activation, eps=eps, gamma=gamma, loss=loss
    )


def sets(instance: Instance, *, exact: bool = False) -> Tuple[Any, Any]:
    """``(Q, P)`` of a separability instance as numpy arrays (float64, or object arrays
    of ``Fraction`` with ``exact=True``)."""
    import numpy as np

    q, p = _relufit._separability_sets(instance)
    d = instance.d

    def arr(rows: List[List[Fraction]]) -> Any:
        if exact:
            a = np.empty((len(rows), d), dtype=object)
            for i, r in enumerate(rows):
                a[i, :] = r
            return a
        return np.array([[float(v) for v in r] for r in rows], dtype=float).reshape(
            len(rows), d
        )

    return arr(q), arr(p)


def lift(instance: Instance, hyperplanes: Sequence[Tuple[Any, Number]]) -> Network:
    """The forward map: two hyperplanes ``[(h1, o1), (h2, o2)]`` in the restricted form
    (3)-(5) -> the network of the proof of Theorem 7 (four ReLUs) or Corollary 10 (two
    threshold neurons), verified exactly on the instance. Raises ``InputError`` naming the
    first condition that fails."""
    return _relufit._separability_lift(instance, [(h, o) for h, o in hyperplanes])


def decode(instance: Instance, network: Network) -> Decoding:
    """The backward map: any network that fits the instance -> two hyperplanes that
    strictly separate Q and P (checked exactly)."""
    hs, restricted, origin = _relufit._separability_decode(instance, network)
    return Decoding(hyperplanes=_hyperplanes(hs), restricted=restricted, origin=origin)


def decide(Q: Any, P: Any) -> Optional[Separation]:
    """Decide 2-hyperplane separability exactly (enumeration of the dichotomies; at most
    128 points): two separating hyperplanes, or ``None`` if there are none."""
    r = _relufit._separability_decide(Q, P)
    if r is None:
        return None
    hs, restricted = r
    return Separation(hyperplanes=_hyperplanes(hs), restricted=restricted)
