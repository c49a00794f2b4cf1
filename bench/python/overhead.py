#!/usr/bin/env python3
"""Overhead of the Python call vs the CLI on small instances.

    python bench/python/overhead.py target/release/relufit [REPEATS]

For each instance: the median wall time and the median CPU time (user + system, all
threads; less disturbed by other load on a shared machine) of `relufit.solve(inst)`
in-process, of `Instance.load(path)` + solve (what the CLI also does), and of the CLI
`relufit solve FILE --json` as a subprocess. Prints a Markdown table.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import relufit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "crates" / "relufit-py" / "tests"))
from conftest import noisy, planted_fit, random_labels  # noqa: E402


def median_time(f, repeats, children=False):
    """Median wall and CPU seconds of f() (CPU of child processes with children=True)."""
    import resource

    def cpu():
        if children:
            r = resource.getrusage(resource.RUSAGE_CHILDREN)
            return r.ru_utime + r.ru_stime
        return time.process_time()

    walls, cpus = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), cpu()
        f()
        walls.append(time.perf_counter() - t)
        cpus.append(cpu() - c)
    return statistics.median(walls), statistics.median(cpus)


def ms(pair):
    return f"{pair[0] * 1e3:.2f} / {pair[1] * 1e3:.2f} ms"


def main():
    cli = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    cases = [
        ("interpolation, n = 4 (k >= n)", relufit.Instance([[0], [1], [2], [3]], [0, 1, 0, 1], k=4), {}, []),
        ("planted fit, n = 12, k = 2 (auto)", planted_fit(), {}, []),
        ("random labels, n = 9, k = 2 (no fit)", random_labels(), {}, []),
        ("abs optimum, n = 12, k = 2", noisy(), {"optimize": True}, ["--optimize"]),
        ("abs optimum, n = 20, k = 2", noisy(n=20), {"optimize": True}, ["--optimize"]),
    ]
    print("wall / CPU time, medians of", repeats, "runs")
    print()
    print("| instance | Python `solve` | Python load + solve | CLI `relufit solve` (process) | Python answer = CLI |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name, inst, kw, flags in cases:
            path = Path(d) / "i.json"
            inst.save(path)
            py = median_time(lambda: relufit.solve(inst, **kw), repeats)
            py_load = median_time(lambda: relufit.solve(relufit.Instance.load(path), **kw), repeats)
            cmd = [cli, "solve", str(path), "--json", *flags]
            out = subprocess.run(cmd, capture_output=True, text=True).stdout
            cli_t = median_time(lambda: subprocess.run(cmd, capture_output=True), repeats, children=True)
            import json

            same = json.loads(out)["outcome"].replace("-", "_") == relufit.solve(inst, **kw).status
            print(f"| {name} | {ms(py)} | {ms(py_load)} | {ms(cli_t)} | {same} |")


if __name__ == "__main__":
    main()
