#!/usr/bin/env python3
"""Enumeration (relufit, exact) versus a big-M MILP solved by HiGHS, on the same instances:
d = 2, k = 2, abs loss, any output signs, noisy planted data.

The MILP is what a user without relufit would write (one binary per point and neuron for
the ReLU phase, one binary per neuron for the output sign, weights bounded):

    z_ij = w_j . x_i + b_j,  h_ij >= 0,  h_ij >= z_ij,  h_ij <= z_ij + M_ij (1 - s_ij),
    h_ij <= M_ij s_ij,  g_ij = sigma_j h_ij  (g <= M sigma, g <= h, g >= h - M (1 - sigma)),
    phi_i = sum_j (2 g_ij - h_ij),  t_i >= |phi_i - y_i|,  minimise sum_i t_i,
    |w_jt| <= W,  |b_j| <= B,  M_ij = W ||x_i||_1 + B.

HiGHS works in floating point with tolerances, and its optimum is relative to the weight
box; relufit's optimum is exact (a verified rational network and an exhausted, certified
search over all networks, no bound on the weights).

Usage: milp_vs_enumerate.py RELUFIT_BINARY INSTANCE.json... [--time-limit S] [--out OUT.md]
(the instances are written by `cargo run --release -p relufit --example enumerate_bench`).
relufit's times are medians of 3 runs with 1 and with 2 threads (its own solve time; the
whole-process wall time is reported too); HiGHS runs once with 1 thread.
"""
import json
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import highspy
import numpy as np

from milp_common import B_BOUND, W_BOUND, highs, load

def milp(path, time_limit):
    k, X, Y = load(path)
    n, d = X.shape
    h = highs(time_limit)
    inf = highspy.kHighsInf
    nw = k * d
    i_b = nw
    i_h = i_b + k
    i_g = i_h + n * k
    i_s = i_g + n * k
    i_sig = i_s + n * k
    i_t = i_sig + k
    nvar = i_t + n
    lower = [-W_BOUND] * nw + [-B_BOUND] * k + [0.0] * (2 * n * k) + [0.0] * (n * k) + [0.0] * k + [0.0] * n
    upper = [W_BOUND] * nw + [B_BOUND] * k + [inf] * (2 * n * k) + [1.0] * (n * k) + [1.0] * k + [inf] * n
    h.addVars(nvar, np.array(lower), np.array(upper))
    ints = list(range(i_s, i_t))
    h.changeColsIntegrality(len(ints), np.array(ints, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * len(ints)))
    cost = np.zeros(nvar)
    cost[i_t:] = 1.0
    h.changeColsCost(nvar, np.arange(nvar, dtype=np.int32), cost)

    def row(lo, hi, idx, val):
        h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))

    for i in range(n):
        x = X[i]
        big = W_BOUND * float(np.abs(x).sum()) + B_BOUND
        phi_idx, phi_val = [], []
        for j in range(k):
            wi = [j * d + t for t in range(d)] + [i_b + j]
            wv = list(x) + [1.0]
            hij, gij, sij, sg = i_h + i * k + j, i_g + i * k + j, i_s + i * k + j, i_sig + j
            row(0.0, inf, [hij] + wi, [1.0] + [-v for v in wv])
            row(-inf, big, [hij] + wi + [sij], [1.0] + [-v for v in wv] + [big])
            row(-inf, 0.0, [hij, sij], [1.0, -big])
            row(-inf, 0.0, [gij, sg], [1.0, -big])
            row(-inf, 0.0, [gij, hij], [1.0, -1.0])
            row(-big, inf, [gij, hij, sg], [1.0, -1.0, -big])
            phi_idx += [gij, hij]
            phi_val += [2.0, -1.0]
        t = i_t + i
        # t >= phi - y  and  t >= y - phi
        row(-Y[i], inf, [t] + phi_idx, [1.0] + [-v for v in phi_val])
        row(Y[i], inf, [t] + phi_idx, [1.0] + phi_val)
    start = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - start
    status = h.modelStatusToString(h.getModelStatus())
    obj = h.getInfo().objective_function_value if status == "Optimal" else float("nan")
    return status, obj, elapsed


RUNS = 3


def relufit_opt(relufit, path, time_limit, threads):
    start = time.perf_counter()
    out = subprocess.run(
        [relufit, "solve", str(path), "--algorithm", "enumerate", "--optimize", "--json",
         "--threads", str(threads), "--time-limit", str(time_limit)],
        capture_output=True, text=True)
    wall = time.perf_counter() - start
    doc = json.loads(out.stdout)
    return doc["outcome"], doc.get("optimum"), doc["stats"]["seconds"], wall


def main():
    args = sys.argv[1:]
    relufit = args.pop(0)
    time_limit = 600.0
    out_md = None
    if "--time-limit" in args:
        i = args.index("--time-limit")
        time_limit = float(args[i + 1])
        del args[i:i + 2]
    if "--out" in args:
        i = args.index("--out")
        out_md = Path(args[i + 1])
        del args[i:i + 2]
    lines = [
        "| instance | relufit optimum (exact) | relufit 1 thread (s) | whole process (s) | relufit 2 threads (s) | HiGHS status | HiGHS objective | HiGHS time (s) | HiGHS / relufit (1 thread) | HiGHS / relufit (2 threads) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in args:
        name = Path(path).stem
        # relufit: median of RUNS runs (the shared machine is noisy); HiGHS: one run.
        runs1 = [relufit_opt(relufit, path, time_limit, 1) for _ in range(RUNS)]
        runs2 = [relufit_opt(relufit, path, time_limit, 2) for _ in range(RUNS)]
        assert len({r[1] for r in runs1 + runs2}) == 1, [r[1] for r in runs1 + runs2]
        outcome, opt, _, _ = runs1[0]
        secs = statistics.median(r[2] for r in runs1)
        wall = statistics.median(r[3] for r in runs1)
        secs2 = statistics.median(r[2] for r in runs2)
        status, obj, mt = milp(path, time_limit)
        ratio = mt / secs if secs > 0 else float("nan")
        ratio2 = mt / secs2 if secs2 > 0 else float("nan")
        opt_s = f"{opt} = {float(Fraction(opt)):.6g}" if opt else outcome
        line = (f"| {name} | {opt_s} | {secs:.2f} | {wall:.2f} | {secs2:.2f} | {status} | {obj:.6g} "
                f"| {mt:.2f} | {ratio:.1f} | {ratio2:.1f} |")
        print(line, flush=True)
        lines.append(line)
    table = "\n".join(lines) + "\n"
    if out_md:
        out_md.write_text(table)
    print(table)


if __name__ == "__main__":
    main()
