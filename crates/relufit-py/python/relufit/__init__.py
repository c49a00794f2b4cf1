"""relufit: exact training of two-layer ReLU and threshold networks, from numpy.

``phi(x) = sum_j a_j act(w_j . x + b_j)`` with ``act`` ReLU or the linear threshold,
after Froese & Hertrich, *Training Neural Networks is NP-Hard in Fixed Dimension*.
Everything is exact rational arithmetic: a float in your data is the dyadic rational it
is, a "fit" is a network the independent verifier checked exactly, and a "no fit" says
what backs it.

Quick start::

    import numpy as np, relufit

    X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
    y = np.array([0, 1, 1, 0])
    inst = relufit.Instance(X, y, k=2, loss="abs")
    res = relufit.solve(inst, optimize=True)      # certified least error
    res.status, res.optimum                       # ('fit', Fraction(0, 1))
    W, b, a = res.network.to_arrays()             # float arrays for PyTorch / numpy
    relufit.verify(inst, relufit.Network(W, b, a)).error

Modules: :mod:`relufit.poits` and :mod:`relufit.separability` (the paper's reductions),
:mod:`relufit.distributed` (sharded solving on Dask). See ``docs/python.md``.
"""

from . import _relufit
from ._errors import InputError, NoSolverError, RelufitError, SolverError
from ._relufit import (
    Instance,
    Network,
    Progress,
    Report,
    ShardResult,
    Svg,
    check_shardable,
    exact,
    solve_shard,
    verify,
)
from ._solve import (
    ALGORITHMS,
    AllFits,
    FoundFunction,
    SolveResult,
    all_fits,
    merge,
    solve,
)
from . import poits, separability

__all__ = [
    "ALGORITHMS",
    "AllFits",
    "FoundFunction",
    "InputError",
    "Instance",
    "Network",
    "NoSolverError",
    "Progress",
    "RelufitError",
    "Report",
    "ShardResult",
    "SolveResult",
    "SolverError",
    "Svg",
    "all_fits",
    "check_shardable",
    "exact",
    "merge",
    "poits",
    "separability",
    "solve",
    "solve_shard",
    "verify",
]

try:
    from importlib.metadata import version as _version

    __version__ = _version("relufit")
except Exception:  # pragma: no cover - running from a source tree without metadata
    __version__ = "0.0.0"

