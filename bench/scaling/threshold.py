#!/usr/bin/env python3
"""The pattern search on planted linear-threshold instances (Section 5 of the paper).

`relufit gen planted` makes ReLU instances only, so this script plants threshold networks
itself: for each (d, k, n) and seed, n distinct points with coordinates in multiples of 1/4
in [-10, 10]; k neurons with integer weights in [-3, 3] (a zero weight becomes 1) whose
hyperplane passes 1/8 beside a random data point, and output weights in {-3, -2, -1, 1, 2, 3};
labels phi(x) = sum_j a_j [w_j . x + b_j > 0]. Each instance is solved once as planted (a
fit exists) and once with one label nudged by 1/7 (a near miss), with
`relufit solve --json --threads T --time-limit S` (`auto`: the pattern search). One Markdown
row per instance: the answer, the solver's seconds, the nodes and the peak memory.

Usage:
  threshold.py RELUFIT_BINARY OUT.md [--cases D:K:N,...] [--seeds 1,2] [--time-limit 60]
      [--threads 1]

Peak memory (max RSS) from /usr/bin/time, which must be installed.
"""
import json
import random
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from timed import options, solve_summary


def planted(d, k, n, seed, near_miss):
    rng = random.Random(seed)
    points, seen = [], set()
    while len(points) < n:
        x = tuple(Fraction(rng.randint(-40, 40), 4) for _ in range(d))
        if x not in seen:
            seen.add(x)
            points.append(x)
    neurons = []
    for _ in range(k):
        w = [Fraction(rng.randint(-3, 3)) or Fraction(1) for _ in range(d)]
        c = points[rng.randrange(n)]
        b = -sum(wi * ci for wi, ci in zip(w, c)) + Fraction(1, 8)
        neurons.append((w, b, Fraction(rng.choice([-3, -2, -1, 1, 2, 3]))))

    def phi(x):
        return sum(a for (w, b, a) in neurons if sum(wi * xi for wi, xi in zip(w, x)) + b > 0)

    ys = [phi(x) for x in points]
    if near_miss:
        ys[n // 2] += Fraction(1, 7)
    return {
        "format": "relufit-instance/1",
        "activation": "threshold",
        "k": k,
        "gamma": "0",
        "loss": "squared",
        "points": [{"x": [str(v) for v in x], "y": str(y)} for x, y in zip(points, ys)],
    }


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    binary, out_md = args[0], Path(args[1])
    opts = options(args[2:], {"--cases": "2:3:50,2:3:200,2:4:200,3:3:100,3:4:50",
                              "--seeds": "1,2", "--time-limit": "60", "--threads": "1"},
                   __doc__)
    tmp = Path(tempfile.mkdtemp(prefix="relufit-threshold-"))
    lines = ["| d | k | n | seed | kind | answer | solver s | nodes | peak MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for case in opts["--cases"].split(","):
        d, k, n = (int(v) for v in case.split(":"))
        for seed in (int(s) for s in opts["--seeds"].split(",")):
            for near_miss in (False, True):
                kind = "near miss" if near_miss else "fit"
                path = tmp / f"t{d}_{k}_{n}_{seed}_{'nm' if near_miss else 'fit'}.json"
                path.write_text(json.dumps(planted(d, k, n, seed, near_miss)))
                answer, secs, nodes, mb = solve_summary(binary, path, opts["--time-limit"],
                                                        opts["--threads"])
                row = f"| {d} | {k} | {n} | {seed} | {kind} | {answer} | {secs} | {nodes} | {mb} |"
                print(row, flush=True)
                lines.append(row)
    out_md.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
