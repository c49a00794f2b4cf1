#!/usr/bin/env python3
"""The pattern search (relufit, exact, any output signs) versus a big-M MILP solved by HiGHS,
on the same planted instances with mixed output signs, in the same run.

Decision mode (gamma = 0): does a network of width k fit every point exactly? The MILP is what
a user without relufit would write, with free output signs (one binary per neuron) and one
binary per (point, neuron) for the ReLU phase:

    z_ij = w_j . x_i + b_j,  h_ij >= 0,  h_ij >= z_ij,  h_ij <= z_ij + M_ij (1 - s_ij),
    h_ij <= M_ij s_ij,  g_ij = sigma_j h_ij (g <= M sigma, g <= h, g >= h - M (1 - sigma)),
    sum_j (2 g_ij - h_ij) = y_i,   |w_jt| <= W,  |b_j| <= B,  M_ij = W ||x_i||_1 + B.

Optimum mode (--abs): the least sum |phi(x_i) - y_i| (t_i >= +-(phi_i - y_i), minimise sum t_i)
against `relufit solve --optimize`.

HiGHS works in floating point with tolerances: its "feasible" is a float answer and its
"infeasible" is relative to the weight box. relufit's answers are exact: a verified rational
network, or an exhausted search whose every branch was closed by a checked certificate, with
no bound on the weights.

Usage:
  milp_vs_patterns.py RELUFIT_BINARY OUT.md [--time-limit S] [--repeat R]
      [--cases D:K:N:NEG,...] [--seeds 1,2] [--abs] [--algorithm patterns] [--threads T]

relufit runs with `--threads T` (default 1, as HiGHS, which is set to one thread).

relufit runs R times (default 3; median wall time of the whole process and its own solve
time); HiGHS once, in a child process, so that both peak memories (max RSS, from
/usr/bin/time) are comparable; HiGHS's includes the Python interpreter (about 40 MB).
"""
import json
import statistics
from fractions import Fraction
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

MILP_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import highspy
import numpy as np
from milp_common import B_BOUND, W_BOUND, highs, load

path, time_limit, mode = sys.argv[2], float(sys.argv[3]), sys.argv[4]
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
nvar = i_t + (n if mode == "abs" else 0)
lower = [-W_BOUND] * nw + [-B_BOUND] * k + [0.0] * (2 * n * k) + [0.0] * (n * k) + [0.0] * k + [0.0] * (nvar - i_t)
upper = [W_BOUND] * nw + [B_BOUND] * k + [inf] * (2 * n * k) + [1.0] * (n * k) + [1.0] * k + [inf] * (nvar - i_t)
h.addVars(nvar, np.array(lower), np.array(upper))
ints = list(range(i_s, i_t))
h.changeColsIntegrality(len(ints), np.array(ints, dtype=np.int32),
                        np.array([highspy.HighsVarType.kInteger] * len(ints)))
if mode == "abs":
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
    if mode == "abs":
        t = i_t + i
        row(-Y[i], inf, [t] + phi_idx, [1.0] + [-v for v in phi_val])
        row(Y[i], inf, [t] + phi_idx, [1.0] + phi_val)
    else:
        row(Y[i], Y[i], phi_idx, phi_val)
start = time.perf_counter()
h.run()
elapsed = time.perf_counter() - start
status = h.modelStatusToString(h.getModelStatus())
obj = h.getInfo().objective_function_value if status == "Optimal" else None
print(json.dumps({"status": status, "objective": obj, "seconds": elapsed}))
"""


def timed(cmd):
    """Run cmd under /usr/bin/time: (stdout, wall seconds, peak RSS in MB)."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss_kb = int(out.stderr.strip().splitlines()[-1])
    return out.stdout, wall, rss_kb / 1024.0


def relufit_run(relufit, path, time_limit, algorithm, optimize, threads):
    cmd = [relufit, "solve", str(path), "--algorithm", algorithm, "--json",
           "--time-limit", str(time_limit), "--threads", str(threads)]
    if optimize:
        cmd.append("--optimize")
    stdout, wall, mb = timed(cmd)
    doc = json.loads(stdout)
    return doc["outcome"], doc.get("optimum"), doc["stats"]["seconds"], wall, mb


def milp_run(path, time_limit, mode):
    stdout, wall, mb = timed([sys.executable, "-c", MILP_CHILD, str(HERE), str(path),
                              str(time_limit), mode])
    doc = json.loads(stdout.strip().splitlines()[-1])  # HiGHS prints a banner first
    return doc["status"], doc["objective"], doc["seconds"], mb


def answer_of_milp(status, mode):
    if mode == "abs":
        return status
    return {"Optimal": "fit", "Infeasible": "no-fit"}.get(status, status)


def main():
    args = sys.argv[1:]
    relufit = args.pop(0)
    out_md = Path(args.pop(0))
    opts = {"--time-limit": "60", "--repeat": "3", "--cases": "2:3:50:1,2:3:100:1,2:3:200:1",
            "--seeds": "1,2", "--algorithm": "patterns", "--threads": "1"}
    mode = "decision"
    while args:
        a = args.pop(0)
        if a == "--abs":
            mode = "abs"
        else:
            opts[a] = args.pop(0)
    time_limit = float(opts["--time-limit"])
    repeat = int(opts["--repeat"])
    seeds = [int(s) for s in opts["--seeds"].split(",")]
    cases = [tuple(int(v) for v in c.split(":")) for c in opts["--cases"].split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="relufit-patterns-"))
    head = ("| d | k | n | neg | seed | kind | relufit answer | relufit solve (s) | relufit wall (s) "
            "| relufit peak MB | HiGHS status | HiGHS objective | HiGHS (s) | HiGHS peak MB "
            "| HiGHS / relufit wall | answers agree |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for (d, k, n, neg) in cases:
        for seed in seeds:
            kinds = ["noisy"] if mode == "abs" else ["fit", "near-miss"]
            for kind in kinds:
                path = tmp / f"p{d}_{k}_{n}_{neg}_{seed}_{kind}.json"
                gen = [relufit, "gen", "planted", "-d", str(d), "-k", str(k), "-n", str(n),
                       "--negative", str(neg), "--seed", str(seed), "-o", str(path)]
                if kind == "near-miss":
                    gen.append("--near-miss")
                subprocess.run(gen, check=True, capture_output=True)
                if mode == "abs":
                    doc = json.loads(path.read_text())
                    # Noise on every label: {-1, -1/2, 0, 1/2, 1} by a fixed pattern.
                    for t, p in enumerate(doc["points"]):
                        p["y"] = str(Fraction(p["y"]) + Fraction((t * 7 + seed) % 5 - 2, 2))
                    doc["loss"] = "abs"
                    path.write_text(json.dumps(doc))
                runs = [relufit_run(relufit, path, time_limit, opts["--algorithm"],
                                    mode == "abs", opts["--threads"]) for _ in range(repeat)]
                answers = {(r[0], r[1]) for r in runs}
                assert len(answers) == 1, answers
                outcome, optimum = runs[0][0], runs[0][1]
                secs = statistics.median(r[2] for r in runs)
                wall = statistics.median(r[3] for r in runs)
                mb = max(r[4] for r in runs)
                status, obj, mt, mmb = milp_run(path, time_limit, mode)
                rel = f"{outcome} {optimum}" if optimum is not None else outcome
                mans = answer_of_milp(status, mode)
                if outcome == "unknown":
                    ratio = "relufit unknown"
                elif status in ("Optimal", "Infeasible"):
                    ratio = f"{mt / wall:.0f}x"
                else:
                    ratio = f">= {mt / wall:.0f}x (limit)"
                # Both answered: do they agree? (HiGHS's "infeasible" is relative to its
                # weight box, its "feasible" is a float answer.)
                if outcome == "unknown" or status not in ("Optimal", "Infeasible"):
                    agree = ""
                elif mode == "abs":
                    agree = "yes" if abs(float(Fraction(optimum)) - obj) <= 1e-6 * max(1.0, abs(obj)) else "NO"
                else:
                    agree = "yes" if (outcome == "fit") == (status == "Optimal") else "NO"
                objs = "" if obj is None else f"{obj:.6g}"
                line = (f"| {d} | {k} | {n} | {neg} | {seed} | {kind} | {rel} | {secs:.3f} | "
                        f"{wall:.3f} | {mb:.0f} | {mans} | {objs} | {mt:.2f} | {mmb:.0f} | {ratio} | {agree} |")
                print(line, flush=True)
                lines.append(line)
    table = "\n".join(lines) + "\n"
    out_md.write_text(table)
    print(table)


if __name__ == "__main__":
    main()
