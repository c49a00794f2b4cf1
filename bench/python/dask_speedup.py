#!/usr/bin/env python3
"""Speed-up of relufit.distributed.solve with 1 vs 2 Dask worker processes.

    python bench/python/dask_speedup.py [SHARDS]

The instance: an abs-loss optimum, n = 18 points in the plane, width 3 (the planted noisy
data of the test suite), about 30 s unsharded on one core. Each configuration runs the same
N shards (default 8) on a LocalCluster of 1 or 2 single-threaded worker processes; the
answer must equal the unsharded one. Prints a Markdown table.
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


def main():
    shards = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    inst = noisy(n=18, k=3)
    t = time.perf_counter()
    whole = relufit.solve(inst, optimize=True)
    t_whole = time.perf_counter() - t
    rows = [("unsharded, in-process", t_whole, whole.optimum)]
    for workers in (1, 2):
        with distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.CRITICAL,
        ) as cluster, distributed.Client(cluster) as client:
            t = time.perf_counter()
            res = relufit.distributed.solve(inst, client, shards=shards, optimize=True)
            rows.append((f"Dask, {workers} worker(s), {shards} shards", time.perf_counter() - t, res.optimum))
            assert res.optimum == whole.optimum, (res.optimum, whole.optimum)
    print(f"load average before/after: {os.getloadavg()}")
    print("| run | wall time | optimum |")
    print("|---|---|---|")
    for name, secs, opt in rows:
        print(f"| {name} | {secs:.1f} s | {opt} |")
    print(f"speed-up 1 -> 2 workers: {rows[1][1] / rows[2][1]:.2f}x")


if __name__ == "__main__":
    main()
