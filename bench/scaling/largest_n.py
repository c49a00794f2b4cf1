#!/usr/bin/env python3
"""The largest n per (d, k) that relufit decides within a time limit (issue 12).

For each (d, k, negative) and n = 25, 50, 100, 200, 400, ... (doubling), planted instances
with mixed output signs are generated (`relufit gen planted --negative NEG`), once as a fit
and once as a near miss, for each seed; `relufit solve --algorithm auto --threads T` runs
with the time limit. The largest n at which every instance was decided (fit or certified
no) is reported, with the slowest time at that n and the peak memory; the doubling stops at
the first n with an "unknown".

Usage:
  largest_n.py RELUFIT_BINARY OUT.md [--time-limit 60] [--pairs D:K:NEG,...] [--seeds 1,2]
      [--threads 1] [--max-n 3200]

Peak memory (max RSS) from /usr/bin/time, which must be installed.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from timed import options, timed


def main():
    args = sys.argv[1:]
    relufit = args.pop(0)
    out_md = Path(args.pop(0))
    opts = options(args, {"--time-limit": "60", "--pairs": "2:2:1,2:3:1,2:4:2,3:3:1,3:4:2",
                          "--seeds": "1,2", "--threads": "1", "--max-n": "3200"}, __doc__)
    limit = opts["--time-limit"]
    seeds = [int(s) for s in opts["--seeds"].split(",")]
    pairs = [tuple(int(v) for v in p.split(":")) for p in opts["--pairs"].split(",")]
    max_n = int(opts["--max-n"])
    tmp = Path(tempfile.mkdtemp(prefix="relufit-largest-"))
    head = ("| d | k | negative | largest n decided | slowest at that n (s) | peak MB | "
            "first n not decided |")
    lines = [head, "|---|---|---|---|---|---|---|"]
    for (d, k, neg) in pairs:
        best, best_time, best_mb, failed = None, 0.0, 0.0, None
        n = 25
        while n <= max_n and failed is None:
            slowest, peak = 0.0, 0.0
            for seed in seeds:
                for kind in ("fit", "near-miss"):
                    path = tmp / f"p{d}_{k}_{neg}_{n}_{seed}_{kind}.json"
                    gen = [relufit, "gen", "planted", "-d", str(d), "-k", str(k), "-n", str(n),
                           "--negative", str(neg), "--seed", str(seed), "-o", str(path)]
                    if kind == "near-miss":
                        gen.append("--near-miss")
                    subprocess.run(gen, check=True, capture_output=True)
                    stdout, wall, mb, _ = timed([relufit, "solve", str(path), "--json",
                                            "--time-limit", limit, "--threads", opts["--threads"]])
                    outcome = json.loads(stdout)["outcome"]
                    print(f"d={d} k={k} neg={neg} n={n} seed={seed} {kind}: {outcome} "
                          f"{wall:.2f} s {mb:.0f} MB", flush=True)
                    slowest, peak = max(slowest, wall), max(peak, mb)
                    if outcome == "unknown":
                        failed = n
                        break
                if failed is not None:
                    break
            if failed is None:
                best, best_time, best_mb = n, slowest, peak
                n *= 2
        lines.append(f"| {d} | {k} | {neg} | {best if best is not None else '< 25'} | "
                     f"{best_time:.2f} | {best_mb:.0f} | "
                     f"{failed if failed is not None else f'> {max_n} (not tried)'} |")
    table = "\n".join(lines) + "\n"
    out_md.write_text(table)
    print(table)


if __name__ == "__main__":
    main()
