"""Sharded solving on a Dask cluster (``pip install "dask[distributed]"``).

The search of a shardable algorithm is split into N deterministic shards (shard ``i/N``
owns the leaves whose rank is ``i mod N``); each shard is one Dask task that calls the one
Rust entry point :func:`relufit.solve_shard`, and the results are combined by the Rust
merge (:func:`relufit.merge`) into one certified answer::

    from dask.distributed import Client
    import relufit, relufit.distributed

    client = Client("tcp://scheduler:8786")          # or Client() for a local cluster
    result = relufit.distributed.solve(inst, client, optimize=True)

Nothing here knows which algorithm runs: a new shardable algorithm of the library needs no
change in this module. Algorithms that cannot be sharded yet are refused up front with
``NoSolverError``.

The tasks are over-decomposed (by default 4 shards per worker thread) so that uneven
shards balance out. A decision run stops as soon as one shard's network reaches gamma:
the remaining tasks are cancelled (queued ones are dropped, running ones see a Dask
``Event`` within ``poll_interval`` seconds and stop). A worker that dies mid-shard is
handled by Dask: the scheduler re-runs its tasks elsewhere, and as shards are
deterministic the answer is the same.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Dict, Optional

from . import _relufit
from ._relufit import Instance, ShardResult
from ._solve import SolveResult

__all__ = ["ShardProgress", "solve"]


@dataclass(frozen=True)
class ShardProgress:
    """Progress of a sharded solve, handed to the ``progress`` callback after each shard."""

    done: int
    """Shards finished."""
    total: int
    """Shards submitted."""
    best_error: Optional[Fraction]
    """The least error of a network found so far (exact)."""
    decided: bool
    """A shard decided the problem; the rest are being cancelled."""
    elapsed: float
    """Seconds since the submission."""


def _run_shard(
    instance: Instance,
    index: int,
    count: int,
    algorithm: str,
    optimize: bool,
    deadline: Optional[float],
    threads: int,
    cancel_event: Optional[str],
    poll_interval: float,
) -> ShardResult:
    """One Dask task: shard ``index/count``, stopping when the run's Event is set."""
    poll: Optional[Callable[[], bool]] = None
    time_limit = None if deadline is None else max(0.0, deadline - time.time())
    if cancel_event is not None:
        from distributed import Event

        event = Event(cancel_event)
        poll = event.is_set
        if event.is_set():
            time_limit = 0.0  # decided already: return a stopped shard at once
    return _relufit.solve_shard(
        instance,
        index,
        count,
        algorithm=algorithm,
        optimize=optimize,
        time_limit=time_limit,
        threads=threads,
        poll=poll,
        poll_interval=poll_interval,
    )


def _worker_threads(client: Any) -> int:
    return max(1, sum(client.nthreads().values()))


def solve(
    instance: Instance,
    client: Any,
    shards: Optional[int] = None,
    *,
    algorithm: str = "auto",
    optimize: bool = False,
    time_limit: Optional[float] = None,
    threads_per_shard: int = 1,
    progress: Optional[Callable[[ShardProgress], Any]] = None,
    poll_interval: float = 0.5,
    retries: int = 0,
) -> SolveResult:
    """Solve ``instance`` as ``shards`` Dask tasks on ``client`` and merge the results
    into one certified answer (the same answer as :func:`relufit.solve` with the same
    algorithm and ``optimize``; a fit's network may differ).

    Parameters
    ----------
    instance:
        The instance.
    client:
        A ``dask.distributed.Client``.
    shards:
        Number of shards N (default: 4 per worker thread of the cluster, for load balance).
    algorithm:
        A shardable algorithm: ``"enumerate"``, or ``"auto"`` (the library's shardable
        search for the instance). Others raise ``NoSolverError`` before anything is
        submitted.
    optimize:
        Compute the exact least error (every shard runs to the end).
    time_limit:
        Seconds for the whole run; shards still running then stop and the answer is
        ``"unknown"`` unless a decision was reached.
    threads_per_shard:
        Threads each task uses (match the workers' ``threads_per_worker`` budget).
    progress:
        Called with a :class:`ShardProgress` after every finished shard.
    poll_interval:
        Seconds between a running shard's checks of the cancellation Event.
    retries:
        Dask retries of a shard task that raised (a dead worker's tasks are re-run by the
        scheduler anyway).

    Ctrl-C while waiting cancels every shard and returns status ``"unknown"``.
    """
    from distributed import Event, as_completed

    _relufit.check_shardable(instance, algorithm=algorithm, optimize=optimize)
    count = int(shards) if shards is not None else 4 * _worker_threads(client)
    if count < 1:
        raise _relufit_input_error(f"shards: need at least 1 shard, got {count}")
    token = uuid.uuid4().hex
    event_name = f"relufit-cancel-{token}"
    cancel = Event(event_name, client=client)
    start = time.time()
    deadline = None if time_limit is None else start + time_limit
    # The instance as a task (not scattered data): if the worker holding it dies, the
    # scheduler recomputes it from the graph instead of forgetting the shards.
    shared = client.submit(
        _relufit._instance_from_json,
        instance.to_json(),
        key=f"relufit-instance-{token}",
        pure=False,
    )
    futures = [
        client.submit(
            _run_shard,
            shared,
            i,
            count,
            algorithm,
            optimize,
            deadline,
            threads_per_shard,
            event_name,
            poll_interval,
            key=f"relufit-shard-{token}-{i}-of-{count}",
            pure=False,
            retries=retries,
        )
        for i in range(count)
    ]
    results: Dict[int, ShardResult] = {}
    decided = False
    interrupted = False
    best: Optional[Fraction] = None
    try:
        for fut in as_completed(futures):
            r: ShardResult = fut.result()
            results[r.index] = r
            best = r.best_error if best is None else min(best, r.best_error)
            decided = r.decisive
            if progress is not None:
                progress(
                    ShardProgress(
                        done=len(results),
                        total=count,
                        best_error=best,
                        decided=decided,
                        elapsed=time.time() - start,
                    )
                )
            if decided:
                break
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if len(results) < count:
            cancel.set()
            client.cancel([f for f in futures if not f.done()])
        client.cancel([shared])
    if not results:
        return SolveResult(
            status="unknown",
            network=None,
            report=None,
            optimum=None,
            evidence=None,
            reason=f"cancelled before any of the {count} shards finished",
            restricted_to=None,
            stats={},
            interrupted=interrupted,
        )
    _inst, d = _relufit._merge(list(results.values()))
    d["interrupted"] = interrupted
    return SolveResult._from_dict(d)


def _relufit_input_error(message: str) -> Exception:
    from ._errors import InputError

    return InputError(message)
