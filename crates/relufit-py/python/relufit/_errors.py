"""Exceptions raised by relufit.

Every message is the library's own text (the CLI prints the same), naming the place at
fault: ``points[3].x[1]: `nan` is not an exact rational number: NaN is not a number``.
File errors are the built-in ``OSError`` subclasses (``FileNotFoundError``, ...) with the
message ``path: reason``.
"""


class RelufitError(Exception):
    """Base class of relufit's own exceptions."""


class InputError(RelufitError, ValueError):
    """Malformed input or an invalid request (bad number, wrong shape, unknown loss, an
    algorithm that does not apply to the instance, ...)."""


class NoSolverError(RelufitError, ValueError):
    """No algorithm of this build decides the instance as asked (for example zero-one loss
    with gamma > 0, or sharding an algorithm the library cannot shard yet)."""


class SolverError(RelufitError, RuntimeError):
    """An internal check failed (a solver's network did not pass the exact verifier): a
    bug in relufit, reported loudly instead of returning a wrong answer."""
