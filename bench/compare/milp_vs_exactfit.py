#!/usr/bin/env python3
"""ExactFit (relufit) versus a big-M MILP solved by HiGHS, on the same planted instances.

The MILP is what a user without relufit would write: all output weights fixed to +1 (the
convex class ExactFit decides), weights bounded, one binary per (point, neuron):

    z_ij = w_j . x_i + b_j,   h_ij >= 0,  h_ij >= z_ij,
    h_ij <= z_ij + M_ij (1 - s_ij),  h_ij <= M_ij s_ij,   s_ij in {0, 1},
    sum_j h_ij = y_i,   |w_jt| <= W,  |b_j| <= B,  M_ij = W ||x_i||_1 + B.

HiGHS works in floating point with tolerances, so its "feasible" is a float answer and its
"infeasible" is relative to the weight box; relufit's answers are exact (a verified rational
network, or an exhausted tree of checked certificates, with no bound on the weights).

Usage: milp_vs_exactfit.py RELUFIT_BINARY OUT.md [--time-limit S] [--quick]
           [--seeds 1,2,...] [--cases DxKxN,...] [--repeat R]
Generates the instances with `relufit gen planted`, runs both solvers one after the other in
the same run, and writes a Markdown table. ExactFit (default settings) runs R times (default
5) and its median CPU and wall times are reported: at a few milliseconds per run, single
measurements on a shared machine vary by 2x. HiGHS runs once (its runs take seconds).
"""
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import highspy
import numpy as np

from milp_common import B_BOUND, W_BOUND, highs, load

def milp(path, time_limit):
    k, X, Y = load(path)
    n, d = X.shape
    h = highs(time_limit)
    inf = highspy.kHighsInf
    # Variables: w (k*d), b (k), h (n*k), s (n*k).
    nw = k * d
    idx_b = nw
    idx_h = nw + k
    idx_s = idx_h + n * k
    nvar = idx_s + n * k
    lower = [-W_BOUND] * nw + [-B_BOUND] * k + [0.0] * (n * k) + [0.0] * (n * k)
    upper = [W_BOUND] * nw + [B_BOUND] * k + [inf] * (n * k) + [1.0] * (n * k)
    h.addVars(nvar, np.array(lower), np.array(upper))
    h.changeColsIntegrality(
        n * k,
        np.arange(idx_s, nvar, dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * (n * k)),
    )

    def row(lo, hi, idx, val):
        h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))

    for i in range(n):
        x = X[i]
        big = W_BOUND * float(np.abs(x).sum()) + B_BOUND
        for j in range(k):
            wi = [j * d + t for t in range(d)] + [idx_b + j]
            wv = list(x) + [1.0]
            hij = idx_h + i * k + j
            sij = idx_s + i * k + j
            # h - z >= 0
            row(0.0, inf, [hij] + wi, [1.0] + [-v for v in wv])
            # h - z - M(1-s) <= 0  <=>  h - z + M s <= M
            row(-inf, big, [hij] + wi + [sij], [1.0] + [-v for v in wv] + [big])
            # h - M s <= 0
            row(-inf, 0.0, [hij, sij], [1.0, -big])
        row(Y[i], Y[i], [idx_h + i * k + j for j in range(k)], [1.0] * k)
    t = time.perf_counter()
    c = time.process_time()
    h.run()
    elapsed = time.perf_counter() - t
    cpu = time.process_time() - c
    status = h.modelStatusToString(h.getModelStatus())
    if status == "Optimal":
        answer = "fit (float)"
    elif status == "Infeasible":
        answer = "no (in weight box, float)"
    elif "limit" in status.lower():
        answer = "unknown (time limit)"
    else:
        answer = status
    return answer, elapsed, cpu


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def exactfit(relufit, path, time_limit, extra=()):
    c0 = children_cpu()
    out = subprocess.run(
        [relufit, "solve", str(path), "--algorithm", "exactfit", "--signs", "convex",
         "--json", "--time-limit", str(time_limit), *extra],
        capture_output=True, text=True)
    cpu = children_cpu() - c0
    doc = json.loads(out.stdout)
    st = doc["stats"]
    answer = {"fit": "fit (exact)", "no-fit": "no (exact)", "unknown": "unknown (time limit)"}[doc["outcome"]]
    return answer, st["seconds"], cpu, st


def main():
    relufit = sys.argv[1]
    out_md = Path(sys.argv[2])
    time_limit = 300.0
    if "--time-limit" in sys.argv:
        time_limit = float(sys.argv[sys.argv.index("--time-limit") + 1])
    quick = "--quick" in sys.argv
    repeat = 5
    if "--repeat" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1])
    cases = [(2, 3, 50), (2, 3, 100), (2, 3, 200), (3, 2, 100)]
    seeds = [1] if quick else [1, 2]
    if "--seeds" in sys.argv:
        seeds = [int(v) for v in sys.argv[sys.argv.index("--seeds") + 1].split(",")]
    if "--cases" in sys.argv:
        spec = sys.argv[sys.argv.index("--cases") + 1]
        cases = [tuple(int(v) for v in c.split("x")) for c in spec.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="relufit-compare-"))
    rows = []
    for (d, k, n) in cases:
        for seed in seeds:
            for near in (False, True):
                name = f"d{d}k{k}n{n}s{seed}{'-nearmiss' if near else ''}"
                path = tmp / f"{name}.json"
                cmd = [relufit, "gen", "planted", "-d", str(d), "-k", str(k), "-n", str(n),
                       "--seed", str(seed), "-o", str(path)]
                if near:
                    cmd.append("--near-miss")
                subprocess.run(cmd, check=True, capture_output=True)
                runs = [exactfit(relufit, path, time_limit) for _ in range(repeat)]
                assert len({r[0] for r in runs}) == 1, [r[0] for r in runs]
                ea, _, _, st = runs[0]
                et = statistics.median(r[1] for r in runs)
                ec = statistics.median(r[2] for r in runs)
                pa, pt, pc, pst = exactfit(relufit, path, time_limit, ["--paper-rules-only"])
                xa, xt, xc, xst = exactfit(relufit, path, time_limit, ["--exact-lp-only"])
                assert pa == ea or "unknown" in pa, (pa, ea)
                assert xa == ea or "unknown" in xa, (xa, ea)
                ma, mt, mc = milp(path, time_limit)
                ratio = mc / ec if ec > 0 else float("nan")
                cert = st["certificate_check_seconds"] / st["seconds"] if st["seconds"] > 0 else float("nan")
                rows.append((name, ea, et, ec, st["nodes"], st["lps"], cert, pc, pst["nodes"], xc, ma, mt, mc, ratio))
                print(f"{name}: exactfit {ea} wall {et:.3f}s cpu {ec:.3f}s ({st['nodes']} nodes, "
                      f"{st['lps']} LPs, cert {100*cert:.0f}%) | paper rules cpu {pc:.3f}s "
                      f"({pst['nodes']} nodes) | exact simplex cpu {xc:.3f}s | HiGHS {ma} wall "
                      f"{mt:.3f}s cpu {mc:.3f}s | cpu ratio {ratio:.1f}", flush=True)
    lines = [
        "| instance | ExactFit | wall (s) | CPU (s) | nodes | LPs | certification share | paper rules only: CPU (s) | nodes | exact simplex only: CPU (s) | HiGHS MILP | wall (s) | CPU (s) | MILP CPU / ExactFit CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]:.3f} | {r[4]} | {r[5]} | {100*r[6]:.0f}% | {r[7]:.3f} | {r[8]} | {r[9]:.3f} | {r[10]} | {r[11]:.3f} | {r[12]:.3f} | {r[13]:.1f} |")
    table = "\n".join(lines) + "\n"
    out_md.write_text(table)
    print(table)


if __name__ == "__main__":
    main()
