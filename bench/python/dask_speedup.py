#!/usr/bin/env python3
"""Speed-up of relufit.distributed.solve with 1 vs 2 Dask worker processes.

    python bench/python/dask_speedup.py [SHARDS] [REPEATS]

The instance: an abs-loss optimum, n = 18 points in the plane, width 3 (the planted noisy
data of the test suite), 16-30 s unsharded on one core. Each configuration runs the same
N shards (default 8) on a LocalCluster of 1 or 2 single-threaded worker processes; the
answer must equal the unsharded one. Every configuration runs REPEATS times (default 2) and
the fastest run counts (the least disturbed by other load on a shared machine). Also
reports the CPU time of the N shards run one after another, against the unsharded CPU time
(what splitting costs). Prints a Markdown table.
"""

import logging
import os
import sys
import time
from pathlib import Path

import distributed

import relufit
import relufit.distributed

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "crates" / "relufit-py" / "tests"))
from conftest import noisy  # noqa: E402


def fastest(f, repeats):
    best = None
    for _ in range(repeats):
        t = time.perf_counter()
        r = f()
        dt = time.perf_counter() - t
        best = (dt, r) if best is None or dt < best[0] else best
    return best


def main():
    shards = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    inst = noisy(n=18, k=3)
    print(f"load average at the start: {os.getloadavg()}")
    c = time.process_time()
    whole = relufit.solve(inst, optimize=True, threads=1)
    cpu_whole = time.process_time() - c
    c = time.process_time()
    parts = [relufit.solve_shard(inst, i, shards, optimize=True) for i in range(shards)]
    cpu_shards = time.process_time() - c
    assert relufit.merge(parts).optimum == whole.optimum
    print(f"CPU: unsharded {cpu_whole:.1f} s, {shards} shards one after another {cpu_shards:.1f} s "
          f"({(cpu_shards / cpu_whole - 1) * 100:+.0f}%)")
    t_whole, whole = fastest(lambda: relufit.solve(inst, optimize=True, threads=1), repeats)
    rows = [("unsharded, in-process, 1 thread", t_whole, whole.optimum)]
    for workers in (1, 2):
        with distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.CRITICAL,
        ) as cluster, distributed.Client(cluster) as client:
            dt, res = fastest(
                lambda: relufit.distributed.solve(inst, client, shards=shards, optimize=True),
                repeats,
            )
            rows.append((f"Dask, {workers} worker(s), {shards} shards", dt, res.optimum))
            assert res.optimum == whole.optimum, (res.optimum, whole.optimum)
    print(f"load average at the end: {os.getloadavg()}")
    print("| run | wall time | optimum |")
    print("|---|---|---|")
    for name, secs, opt in rows:
        print(f"| {name} | {secs:.1f} s | {opt} |")
    print(f"speed-up 1 -> 2 workers: {rows[1][1] / rows[2][1]:.2f}x")


if __name__ == "__main__":
    main()
