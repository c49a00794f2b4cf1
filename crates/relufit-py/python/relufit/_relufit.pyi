"""Type stubs of the native module ``relufit._relufit`` (PyO3). The public API re-exports
the classes and functions documented here from ``relufit``."""

from fractions import Fraction
from os import PathLike
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

Number = Union[int, float, Fraction, str, Any]
"""A number taken exactly: int, float (its exact dyadic value), Fraction, Decimal, numpy
scalar, or a string such as ``"-7/3"`` or ``"0.1"`` (= 1/10)."""

ArrayLike = Any
"""A numpy array, a tensor (anything with ``tolist()``) or nested sequences of numbers."""

StrPath = Union[str, "PathLike[str]"]

def exact(value: Number) -> Fraction:
    """The exact value of a number as a ``Fraction`` (floats exactly, strings as the file
    formats read them)."""

class Instance:
    """A training instance: data ``X`` (n, d) and ``y`` (n,) with exact rational entries,
    width ``k``, activation, loss and target error ``gamma``."""

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        k: int,
        *,
        activation: str = "relu",
        loss: str = "squared",
        gamma: Optional[Number] = None,
        meta: Optional[Dict[str, Any]] = None,
    ) -> None: ...
    @property
    def n(self) -> int:
        """Number of data points."""
    @property
    def d(self) -> int:
        """Input dimension."""
    @property
    def k(self) -> int:
        """Width (hidden neurons allowed)."""
    @property
    def activation(self) -> str:
        """``"relu"`` or ``"threshold"``."""
    @property
    def loss(self) -> str:
        """``"squared"``, ``"abs"``, ``"max"`` or ``"zero-one"``."""
    @property
    def gamma(self) -> Fraction:
        """Target error."""
    @property
    def meta(self) -> Optional[Dict[str, Any]]:
        """Provenance; reductions record here what decoding needs."""
    @property
    def X(self) -> npt.NDArray[np.float64]:
        """Inputs, float64 of shape (n, d) (nearest doubles)."""
    @property
    def y(self) -> npt.NDArray[np.float64]:
        """Labels, float64 of shape (n,)."""
    @property
    def distinct_inputs(self) -> int:
        """Number of distinct inputs."""
    def to_numpy(self, *, exact: bool = False) -> Tuple[np.ndarray, np.ndarray]:
        """``(X, y)``: float64, or object arrays of ``Fraction`` with ``exact=True``."""
    def replace(
        self,
        *,
        k: Optional[int] = None,
        activation: Optional[str] = None,
        loss: Optional[str] = None,
        gamma: Optional[Number] = None,
    ) -> "Instance":
        """A copy with other parameters."""
    def conflicting_duplicates(self) -> List[Tuple[int, int]]:
        """Pairs of points with one input and different labels."""
    def to_json(self) -> str:
        """``relufit-instance/1`` JSON text."""
    @staticmethod
    def from_json(text: str, source: str = "<string>") -> "Instance":
        """Parse ``relufit-instance/1`` JSON."""
    def to_csv(self) -> str:
        """CSV text ``x1,...,xd,y`` with exact values."""
    @staticmethod
    def from_csv(
        text: str,
        k: int,
        *,
        activation: str = "relu",
        loss: str = "squared",
        gamma: Optional[Number] = None,
        source: str = "<string>",
    ) -> "Instance":
        """Read CSV text."""
    @staticmethod
    def load(
        path: StrPath,
        *,
        k: Optional[int] = None,
        activation: Optional[str] = None,
        loss: Optional[str] = None,
        gamma: Optional[Number] = None,
    ) -> "Instance":
        """Read a ``.json`` or ``.csv`` file (CSV needs ``k``)."""
    def save(self, path: StrPath) -> None:
        """Write ``.json``, ``.csv`` or ``.npy`` (atomically)."""
    def plot(
        self,
        network: Optional["Network"] = None,
        *,
        shade: bool = False,
        window: Optional[Sequence[float]] = None,
        width: int = 720,
        height: int = 560,
        title: Optional[str] = None,
    ) -> "Svg":
        """SVG plot of a two-dimensional instance with an optional network."""
    def _repr_svg_(self) -> Optional[str]: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...

class Network:
    """A two-layer network with exact rational weights ``W`` (k, d), ``b`` (k,), ``a`` (k,)."""

    def __init__(
        self, W: ArrayLike, b: ArrayLike, a: ArrayLike, *, activation: str = "relu"
    ) -> None: ...
    @staticmethod
    def from_arrays(
        W: ArrayLike, b: ArrayLike, a: ArrayLike, *, activation: str = "relu"
    ) -> "Network":
        """The network with hidden weights ``W``, biases ``b`` and output weights ``a``."""
    def to_arrays(self, *, exact: bool = False) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(W, b, a)``: float64, or object arrays of ``Fraction`` with ``exact=True``."""
    @property
    def width(self) -> int:
        """Number of hidden neurons."""
    @property
    def d(self) -> int:
        """Input dimension."""
    @property
    def activation(self) -> str:
        """``"relu"`` or ``"threshold"``."""
    @property
    def breaking_hyperplanes(self) -> Optional[int]:
        """Distinct breaking hyperplanes of a ReLU network's function."""
    def evaluate(self, X: ArrayLike) -> List[Fraction]:
        """``phi`` at every row of ``X``, exactly."""
    def predict(self, X: ArrayLike) -> npt.NDArray[np.float64]:
        """``phi`` at every row of ``X`` as float64."""
    def normalize(self) -> "Network":
        """Output weights +1 / -1 (ReLU), the same function."""
    def same_function(self, other: "Network") -> bool:
        """Whether two ReLU networks compute the same function on all of R^d."""
    def to_json(self) -> str:
        """``relufit-network/1`` JSON text."""
    @staticmethod
    def from_json(text: str, source: str = "<string>") -> "Network":
        """Parse ``relufit-network/1`` JSON."""
    @staticmethod
    def load(path: StrPath) -> "Network":
        """Read a network file."""
    def save(self, path: StrPath) -> None:
        """Write a network file (atomically)."""
    def plot(
        self,
        instance: Optional[Instance] = None,
        *,
        shade: Optional[bool] = None,
        window: Optional[Sequence[float]] = None,
        width: int = 720,
        height: int = 560,
        title: Optional[str] = None,
    ) -> "Svg":
        """SVG plot of a network with two inputs (over an instance, or alone, shaded)."""
    def _repr_svg_(self) -> Optional[str]: ...
    def __eq__(self, other: object) -> bool: ...

class Report:
    """The verifier's exact judgement of a network on an instance."""

    @property
    def error(self) -> Fraction:
        """The exact training error."""
    @property
    def gamma(self) -> Fraction:
        """The instance's target error."""
    @property
    def passes(self) -> bool:
        """Width <= k and error <= gamma."""
    @property
    def too_wide(self) -> bool:
        """More neurons than k."""
    @property
    def width(self) -> int: ...
    @property
    def k(self) -> int: ...
    @property
    def values(self) -> List[Fraction]:
        """``phi(x_i)`` for every point, exactly."""
    @property
    def residuals(self) -> List[Fraction]:
        """``phi(x_i) - y_i``, exactly."""
    @property
    def filter(self) -> Dict[str, int]:
        """How signs were decided: pairs, float_decided, exact_computed."""
    def to_numpy(self) -> npt.NDArray[np.float64]:
        """``phi(x_i)`` as float64."""
    def misfit_points(self) -> List[int]:
        """Points with phi != y."""
    def worst_points(self, limit: int = 10) -> List[int]:
        """The worst misfit points, largest |phi - y| first."""
    def __bool__(self) -> bool: ...

def verify(instance: Instance, network: Network) -> Report:
    """Judge ``network`` on ``instance`` exactly."""

class Progress:
    """A snapshot of a running search."""

    nodes: int
    lps: int
    depth: int
    elapsed: float
    total: Optional[int]

class Svg:
    """An SVG picture; Jupyter shows it inline, ``str(svg)`` is the text."""

    @property
    def text(self) -> str: ...
    def save(self, path: StrPath) -> None: ...
    def _repr_svg_(self) -> str: ...

class ShardResult:
    """One shard's result (``relufit-shard/1``), exchangeable with the CLI."""

    @property
    def index(self) -> int: ...
    @property
    def count(self) -> int: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def exhaustive(self) -> bool: ...
    @property
    def decisive(self) -> bool: ...
    @property
    def stopped(self) -> Optional[str]: ...
    @property
    def best_error(self) -> Fraction: ...
    @property
    def optimize(self) -> bool: ...
    @property
    def stats(self) -> Dict[str, Union[int, float]]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str, source: str = "<string>") -> "ShardResult": ...
    @staticmethod
    def load(path: StrPath) -> "ShardResult": ...
    def save(self, path: StrPath) -> None: ...

def check_shardable(
    instance: Instance,
    *,
    algorithm: str = "auto",
    signs: Optional[str] = None,
    optimize: bool = False,
) -> None:
    """Raise ``NoSolverError`` unless the algorithm can be sharded for the instance."""

def solve_shard(
    instance: Instance,
    index: int,
    count: int,
    *,
    algorithm: str = "auto",
    optimize: bool = False,
    time_limit: Optional[float] = None,
    threads: int = 1,
    memory_limit: Optional[int] = None,
    progress: Optional[Callable[[Progress], Any]] = None,
    poll: Optional[Callable[[], bool]] = None,
    poll_interval: float = 0.5,
) -> ShardResult:
    """Search shard ``index/count`` (the entry point of sharded solving)."""

def _solve(instance: Instance, **kwargs: Any) -> Dict[str, Any]: ...
def _all_fits(instance: Instance, **kwargs: Any) -> Dict[str, Any]: ...
def _merge(shards: List[ShardResult]) -> Tuple[Instance, Dict[str, Any]]: ...
def _instance_from_json(text: str) -> Instance: ...
def _network_from_json(text: str) -> Network: ...
def _shard_from_json(text: str) -> ShardResult: ...
def _poits_reduce(
    clauses: List[List[int]], num_vars: Optional[int] = None, **kwargs: Any
) -> Instance: ...
def _poits_formula(instance: Instance) -> Tuple[int, List[Tuple[int, int, int]]]: ...
def _poits_lift(
    instance: Instance, true_vars: List[int], choices: Optional[List[int]] = None
) -> Network: ...
def _poits_decode(
    instance: Instance, network: Network
) -> Tuple[List[int], List[int], Network]: ...
def _poits_solve(
    clauses: List[List[int]], num_vars: Optional[int] = None
) -> Optional[List[int]]: ...
def _separability_reduce(Q: ArrayLike, P: ArrayLike, **kwargs: Any) -> Instance: ...
def _separability_sets(
    instance: Instance,
) -> Tuple[List[List[Fraction]], List[List[Fraction]]]: ...
def _separability_lift(instance: Instance, hyperplanes: List[Tuple[Any, Any]]) -> Network: ...
def _separability_decode(
    instance: Instance, network: Network
) -> Tuple[List[Tuple[List[Fraction], Fraction]], bool, str]: ...
def _separability_decide(
    Q: ArrayLike, P: ArrayLike
) -> Optional[Tuple[List[Tuple[List[Fraction], Fraction]], bool]]: ...
