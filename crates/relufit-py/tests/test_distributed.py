"""relufit.distributed on a Dask LocalCluster with two worker processes: sharded answers
equal unsharded ones (fit, no fit, optimum), early cancellation, and a worker killed
mid-run whose shard is re-run with the answer unchanged."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import pytest

import relufit
import relufit.distributed
from conftest import noisy, planted_fit, random_labels

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_fit_sharded_equals_unsharded(client):
    inst = planted_fit()
    whole = relufit.solve(inst, "enumerate")
    seen = []
    sharded = relufit.distributed.solve(inst, client, shards=8, progress=seen.append)
    assert whole.status == sharded.status == "fit"
    assert relufit.verify(inst, sharded.network).passes
    # A fit decides the problem: the run stopped at the first decisive shard.
    assert seen and seen[-1].decided and seen[-1].total == 8
    assert seen[-1].best_error == 0


def test_a_decisive_shard_cancels_the_others(client):
    # gamma = 7: every shard of this instance finds a network within about 1 s, while the
    # 24 shards would take ~10 s on two workers: the first result decides.
    inst = noisy(n=18, k=3).replace(gamma=7)
    seen = []
    start = time.monotonic()
    res = relufit.distributed.solve(inst, client, shards=24, progress=seen.append, poll_interval=0.2)
    assert res.status == "fit" and relufit.verify(inst, res.network).passes
    assert seen[-1].decided and seen[-1].done <= 2 < seen[-1].total == 24
    # Queued shards were dropped and the running one stopped: the cluster is idle.
    deadline = time.monotonic() + 10
    while any(
        "relufit-shard" in str(k) for keys in client.processing().values() for k in keys
    ):
        assert time.monotonic() < deadline, "shards still running after the decision"
        time.sleep(0.05)
    assert time.monotonic() - start < 8


def test_no_fit_sharded_equals_unsharded(client):
    inst = random_labels()
    whole = relufit.solve(inst, "enumerate")
    sharded = relufit.distributed.solve(inst, client, shards=6)
    assert whole.status == sharded.status == "no_fit"
    assert "all 6 shards searched exhaustively" in sharded.evidence


def test_optimum_sharded_equals_unsharded(client):
    inst = noisy(n=20)
    whole = relufit.solve(inst, optimize=True)
    seen = []
    sharded = relufit.distributed.solve(inst, client, optimize=True, progress=seen.append)
    assert sharded.optimum == whole.optimum is not None
    assert sharded.status == whole.status
    assert sharded.error == whole.optimum  # the merged network attains the optimum
    assert [p.done for p in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].total == 8  # default: 4 shards per worker thread


def test_pattern_search_shards_decide_a_near_miss(client):
    # gamma = 0 without optimize: auto shards with the pattern search.
    inst = random_labels()
    whole = relufit.solve(inst)
    shard = relufit.solve_shard(inst, 0, 3)
    assert shard.algorithm == "patterns"
    sharded = relufit.distributed.solve(inst, client, shards=3)
    assert sharded.status == whole.status


def test_unshardable_algorithms_are_refused_before_submitting(client):
    with pytest.raises(relufit.NoSolverError, match="ExactFit cannot be sharded"):
        relufit.distributed.solve(planted_fit(), client, algorithm="exactfit")
    with pytest.raises(relufit.InputError, match="shards: need at least 1 shard"):
        relufit.distributed.solve(planted_fit(), client, shards=0)


def test_time_limit_stops_every_shard(client):
    start = time.monotonic()
    res = relufit.distributed.solve(noisy(n=18, k=3), client, shards=4, optimize=True, time_limit=1.0)
    assert time.monotonic() - start < 20
    assert res.status == "unknown" and "time limit" in res.reason


def test_killed_worker_is_retried_and_the_answer_is_unchanged(client):
    inst = noisy(n=16, k=3)  # 4 shards of about 1.5 s each
    whole = relufit.merge([relufit.solve_shard(inst, i, 4, optimize=True) for i in range(4)])
    pids = client.run(os.getpid)
    killed = {}

    def kill_when_busy():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not killed:
            for addr, keys in client.processing().items():
                if any("relufit-shard" in str(k) for k in keys) and addr in pids:
                    time.sleep(0.3)  # mid-shard
                    os.kill(pids[addr], signal.SIGKILL)
                    killed[addr] = pids[addr]
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    res = relufit.distributed.solve(inst, client, shards=4, optimize=True)
    killer.join()
    assert killed, "no shard was seen running"
    assert res.status == whole.status and res.optimum == whole.optimum is not None
    assert "all 4 shards searched exhaustively" in res.evidence
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker
