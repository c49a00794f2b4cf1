"""Solving: ``solve``, ``all_fits``, ``merge`` and their result types."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

from . import _relufit
from ._relufit import Instance, Network, Progress, Report, ShardResult

__all__ = [
    "ALGORITHMS",
    "AllFits",
    "FoundFunction",
    "SolveResult",
    "all_fits",
    "merge",
    "solve",
]

#: The algorithms (the CLI's ``--algorithm`` values).
ALGORITHMS = ("auto", "interpolate", "exactfit", "single", "enumerate", "patterns")


@dataclass(frozen=True)
class SolveResult:
    """What a solve established.

    ``status`` is ``"fit"`` (``network`` has error <= gamma, checked by the exact
    verifier: ``report``), ``"no_fit"`` (no network of the width reaches gamma;
    ``evidence`` says what backs it, ``network`` is the best one found if any) or
    ``"unknown"`` (time limit or Ctrl-C; ``reason`` says what was established;
    with ``optimize=True``, ``network`` is the best one found so far if any: verified,
    its error an upper bound on the least error, not proven optimal).
    ``optimum`` is the exact least error when the solver knows it (``optimize=True``,
    interpolation, or an exact fit with error 0).
    """

    status: str
    network: Optional[Network]
    report: Optional[Report]
    optimum: Optional[Fraction]
    evidence: Optional[str]
    reason: Optional[str]
    restricted_to: Optional[str]
    stats: Dict[str, Union[int, float]] = field(repr=False)
    interrupted: bool = field(default=False, repr=False)

    @property
    def fit(self) -> bool:
        """``status == "fit"``."""
        return self.status == "fit"

    @property
    def error(self) -> Optional[Fraction]:
        """The exact error of ``network`` (``None`` without a network)."""
        return None if self.report is None else self.report.error

    def summary(self) -> str:
        """A few lines in the words of ``relufit solve``."""
        lines = []
        if self.status == "fit":
            assert self.network is not None and self.report is not None
            lines.append(
                f"outcome:  FIT with {self.network.width} neurons (verified exactly)"
            )
            if self.optimum is not None:
                lines.append(
                    f"optimum:  {self.optimum} (the least error any network reaches)"
                )
            lines.append(f"error:    {self.report.error} (exact)")
        elif self.status == "no_fit":
            scope = f" {self.restricted_to.upper()}" if self.restricted_to else ""
            lines.append(f"outcome:  NO{scope} FIT")
            if self.optimum is not None:
                lines.append(f"optimum:  {self.optimum}")
            lines.append(f"evidence: {self.evidence}")
        else:
            lines.append("outcome:  UNKNOWN")
            lines.append(f"reason:   {self.reason}")
            if self.report is not None:
                lines.append(
                    f"best:     error {self.report.error} (verified exactly; not proven optimal)"
                )
        return "\n".join(lines)

    @classmethod
    def _from_dict(cls, d: Dict[str, Any]) -> "SolveResult":
        return cls(**d)


def _check_progress(progress: Optional[Callable[[Progress], Any]]) -> None:
    if progress is not None and not callable(progress):
        raise TypeError("progress: expected a callable taking a relufit.Progress")


def solve(
    instance: Instance,
    algorithm: str = "auto",
    *,
    signs: Optional[str] = None,
    optimize: bool = False,
    time_limit: Optional[float] = None,
    threads: Optional[int] = None,
    memory_limit: Optional[int] = None,
    progress: Optional[Callable[[Progress], Any]] = None,
) -> SolveResult:
    """Solve the training problem of ``instance`` exactly.

    Parameters
    ----------
    instance:
        The data, width, loss, activation and target error.
    algorithm:
        ``"auto"`` (interpolation when k >= the number of distinct inputs; for ReLU with
        gamma = 0 the single-ReLU LP for k = 1, else ExactFit for convex then concave
        networks and the pattern search for mixed signs (threshold: the pattern search);
        the enumeration otherwise),
        ``"interpolate"``, ``"single"``, ``"exactfit"`` (Theorem 11, with ``signs``),
        ``"enumerate"`` (any signs, both activations, every loss with gamma = 0 and
        squared/abs/max for any gamma) or ``"patterns"`` (the pattern search for any
        output signs, ReLU and threshold, gamma = 0; with ``optimize`` the branch and
        bound for the abs and max losses).
    signs:
        ``"convex"`` or ``"concave"``: ExactFit's sign class (``None``: auto tries both).
    optimize:
        Compute the exact least error (the enumeration, or with ``algorithm="patterns"``
        the pattern search's branch and bound for abs and max), not only whether it is
        <= gamma.
    time_limit:
        Seconds before the solver stops with status ``"unknown"``.
    threads:
        Worker threads for the search trees of ExactFit and the pattern search and for the
        enumeration (default: the
        available cores, at most 64, as the CLI; 1 to 256).
    memory_limit:
        Bytes a solver may use before it stops with ``"unknown"`` (default: half the
        machine's memory).
    progress:
        Called with a :class:`relufit.Progress` about every 50 ms during long searches.

    The GIL is released while the solver runs. Ctrl-C (``KeyboardInterrupt``) cancels the
    solve, which returns status ``"unknown"`` with what it had established.

    Raises ``InputError`` (a ``ValueError``) for an invalid request (unknown algorithm, an
    algorithm that does not apply), ``NoSolverError`` when no algorithm of this build
    decides the instance.
    """
    _check_progress(progress)
    d = _relufit._solve(
        instance,
        algorithm=algorithm,
        signs=signs,
        optimize=optimize,
        time_limit=time_limit,
        threads=threads,
        memory_limit=memory_limit,
        progress=progress,
    )
    return SolveResult._from_dict(d)


@dataclass(frozen=True)
class FoundFunction:
    """One distinct fitting function of :func:`all_fits`."""

    network: Network
    """A network computing it (verified exactly)."""
    sign_class: str
    """The output-sign class it was first found in, e.g. ``"1 positive, 1 negative"``."""
    leaves: int
    """Leaves of the search that gave this function."""
    breaking_hyperplanes: int
    """Number of distinct breaking hyperplanes of the function."""
    unresolved: bool
    """A leaf of it may hold further functions (its polyhedron is not a single point)."""


@dataclass(frozen=True)
class AllFits:
    """Every distinct function (up to neuron order, splits and flips) of an exactly
    fitting network, and whether the list is complete.

    ``completeness`` is ``"complete"`` (these are all), ``"continuum"`` (some leaf holds a
    continuum of fitting functions: one representative per leaf is listed),
    ``"undetermined"`` (finiteness not proven) or ``"partial"`` (the search stopped:
    time limit or Ctrl-C); ``note`` says it in words.
    """

    functions: List[FoundFunction]
    completeness: str
    note: str
    stats: Dict[str, int] = field(repr=False)
    interrupted: bool = field(default=False, repr=False)

    def __len__(self) -> int:
        return len(self.functions)

    def __iter__(self) -> Iterator[FoundFunction]:
        return iter(self.functions)

    @property
    def networks(self) -> List[Network]:
        """One network per function."""
        return [f.network for f in self.functions]


def all_fits(
    instance: Instance,
    *,
    signs: Optional[str] = None,
    time_limit: Optional[float] = None,
    memory_limit: Optional[int] = None,
    progress: Optional[Callable[[Progress], Any]] = None,
) -> AllFits:
    """List every distinct function of an exactly fitting ReLU network (gamma = 0), over
    all output-sign classes (or only ``signs="convex"`` / ``"concave"``), by the pattern
    search (``relufit solve --algorithm patterns --all``). Every listed network passed the
    exact verifier. An empty list with ``completeness == "complete"`` proves that no
    network of width k fits.
    """
    _check_progress(progress)
    d = _relufit._all_fits(
        instance,
        signs=signs,
        time_limit=time_limit,
        memory_limit=memory_limit,
        progress=progress,
    )
    functions = [FoundFunction(**f) for f in d.pop("functions")]
    stats = {k: d.pop(k) for k in ("nodes", "lps", "certificates")}
    return AllFits(functions=functions, stats=stats, **d)


PathLike = Union[str, "os.PathLike[str]"]


def merge(shards: Sequence[Union[ShardResult, PathLike]]) -> SolveResult:
    """Combine shard results into one certified answer (``relufit merge``).

    ``shards`` are :class:`ShardResult` objects (from :func:`relufit.solve_shard`) or paths
    of shard files (from :meth:`ShardResult.save` or ``relufit solve --shard i/N -o FILE``).
    Every shard's network is re-verified. The answer is a fit as soon as one shard's
    network reaches gamma; "no fit" (and the optimum of an ``optimize`` run) only when all
    N shards are present and exhaustive; otherwise ``"unknown"`` saying which shards are
    missing or stopped.
    """
    loaded = [s if isinstance(s, ShardResult) else ShardResult.load(s) for s in shards]
    _instance, d = _relufit._merge(loaded)
    return SolveResult._from_dict(d)
