#!/usr/bin/env python3
"""Benchmark a training algorithm against the certified global optimum.

1. Make noisy data from a planted two-layer ReLU network (2 inputs, width 2, one positive
   and one negative output weight). Labels are rounded to multiples of 1/8, so they are
   exact binary fractions and exact arithmetic stays small.
2. Train networks of the same width by plain (sub)gradient descent on the absolute loss,
   from several random starts: PyTorch where it is installed, numpy otherwise.
3. Compute the exact training error of every trained float network (relufit.verify takes
   the float weights as the exact rationals they are) and the certified least error any
   width-2 network reaches (relufit.solve with optimize=True: the enumeration over
   activation patterns, every leaf closed by a checked certificate).
4. Report the gap, and plot the data with the best trained and the optimal network
   (matplotlib if installed, else relufit's own SVG plots).

    pip install ./crates/relufit-py          # from the repository root
    python examples/python/train_vs_optimum.py --out train-vs-optimum

Runs in a few seconds (n = 20 points by default).
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

import relufit


def planted_data(n: int, seed: int):
    """Integer inputs in [-4, 4]^2, labels phi*(x) + noise, rounded to multiples of 1/8."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-4, 5, size=(n, 2)).astype(np.float64)
    W = np.array([[1.0, 0.5], [-0.5, 1.0]])
    b = np.array([0.5, -1.0])
    a = np.array([1.0, -1.0])
    clean = np.maximum(X @ W.T + b, 0.0) @ a
    y = np.round((clean + rng.normal(scale=0.5, size=n)) * 8) / 8
    return X, y


def train_numpy(X, y, k, steps, lr, seed):
    """Full-batch subgradient descent on mean |phi(x) - y|, all parameters (W, b, a)."""
    rng = np.random.default_rng(seed)
    n, d = X.shape
    W = rng.normal(scale=1.0, size=(k, d))
    b = rng.normal(scale=0.5, size=k)
    a = rng.normal(scale=1.0, size=k)
    for t in range(steps):
        pre = X @ W.T + b  # (n, k)
        act = np.maximum(pre, 0.0)
        r = act @ a - y
        g = np.sign(r) / n  # d loss / d phi
        ga = act.T @ g
        gpre = np.outer(g, a) * (pre > 0)
        gW = gpre.T @ X
        gb = gpre.sum(axis=0)
        step = lr / np.sqrt(1.0 + t / 100.0)
        W -= step * gW
        b -= step * gb
        a -= step * ga
    return W, b, a


def train_torch(X, y, k, steps, lr, seed):
    """The same in PyTorch: nn.Linear(2, k) -> ReLU -> nn.Linear(k, 1, bias=False), SGD."""
    import torch

    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], k, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.Linear(k, 1, bias=False, dtype=torch.float64),
    )
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1.0 / np.sqrt(1.0 + t / 100.0))
    Xt = torch.tensor(X)
    yt = torch.tensor(y)
    for _ in range(steps):
        opt.zero_grad()
        loss = (model(Xt).squeeze(1) - yt).abs().mean()
        loss.backward()
        opt.step()
        sched.step()
    first, last = model[0], model[2]
    # The float tensors are taken exactly: no rounding between PyTorch and the verifier.
    return first.weight, first.bias, last.weight


def backend_of(choice: str) -> str:
    if choice != "auto":
        return choice
    try:
        import torch  # noqa: F401

        return "torch"
    except ImportError:
        return "numpy"


def plot(out: Path, inst, trained, optimal, title_trained, title_optimal) -> list:
    """Side-by-side maps of phi; matplotlib if installed, else relufit's SVG plots."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        files = []
        for name, net, title in (
            ("trained", trained, title_trained),
            ("optimal", optimal, title_optimal),
        ):
            path = out / f"{name}.svg"
            inst.plot(net, shade=True, title=title).save(path)
            files.append(path)
        return files
    X, y = inst.to_numpy()
    lo, hi = X.min(axis=0) - 1, X.max(axis=0) + 1
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), constrained_layout=True)
    vmin, vmax = y.min(), y.max()
    for ax, net, title in ((axes[0], trained, title_trained), (axes[1], optimal, title_optimal)):
        Z = net.predict(grid).reshape(g1.shape)
        cs = ax.contourf(g1, g2, Z, levels=20, cmap="viridis", vmin=vmin, vmax=vmax)
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="viridis", vmin=vmin, vmax=vmax, edgecolors="k")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
    fig.colorbar(cs, ax=axes, label="phi(x)  (points: labels y)")
    path = out / "train_vs_optimum.png"
    fig.savefig(path, dpi=110)
    return [path]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=20, help="data points (default 20)")
    p.add_argument("--k", type=int, default=2, help="width (default 2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--restarts", type=int, default=8, help="random starts of training")
    p.add_argument("--steps", type=int, default=4000, help="gradient steps per start")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--backend", choices=["auto", "numpy", "torch"], default="auto")
    p.add_argument("--out", type=Path, default=Path("train-vs-optimum"))
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    backend = backend_of(args.backend)
    train = train_torch if backend == "torch" else train_numpy

    X, y = planted_data(args.n, args.seed)
    inst = relufit.Instance(X, y, k=args.k, loss="abs")
    inst.save(args.out / "instance.json")
    print(f"data: n = {inst.n}, d = {inst.d}, width k = {inst.k}, loss = {inst.loss}")

    t0 = time.perf_counter()
    errors = []
    best = None
    for r in range(args.restarts):
        net = relufit.Network.from_arrays(*train(X, y, args.k, args.steps, args.lr, args.seed + 1 + r))
        err = relufit.verify(inst, net).error  # exact error of the float network
        errors.append(err)
        if best is None or err < best[0]:
            best = (err, net)
    train_s = time.perf_counter() - t0
    best_err, best_net = best
    best_net.save(args.out / "trained.network.json")

    t0 = time.perf_counter()
    res = relufit.solve(inst, "enumerate", optimize=True)
    solve_s = time.perf_counter() - t0
    optimum = res.optimum
    assert optimum is not None, res.reason
    optimal = res.network
    assert relufit.verify(inst, optimal).error == optimum
    optimal.save(args.out / "optimal.network.json")

    gap = best_err - optimum
    assert gap >= 0, "a trained network beat the certified optimum: impossible"
    print(
        f"training ({backend}, {args.restarts} starts x {args.steps} steps, {train_s:.2f} s): "
        f"best abs error {float(best_err):.6f}, median {float(np.median([float(e) for e in errors])):.6f}"
    )
    print(f"certified optimum: {optimum} = {float(optimum):.6f} ({solve_s:.2f} s, {res.stats['nodes']} leaves solved)")
    print(f"gap: best trained - optimum = {float(gap):.6f} ({float(gap / optimum) * 100 if optimum else 0:.1f}% above the optimum)")
    hits = sum(1 for e in errors if e == optimum)
    print(f"starts that reached the optimum exactly: {hits} of {len(errors)}")
    W, b, a = optimal.to_arrays()
    print("optimal network (w_j, b_j, a_j):")
    for j in range(optimal.width):
        print(f"  w = {W[j]}, b = {b[j]:.6g}, a = {a[j]:.6g}")
    if backend == "torch":
        import torch

        model = torch.nn.Sequential(
            torch.nn.Linear(2, args.k, dtype=torch.float64),
            torch.nn.ReLU(),
            torch.nn.Linear(args.k, 1, bias=False, dtype=torch.float64),
        )
        # The certified optimum in PyTorch, two lines:
        with torch.no_grad():
            model[0].weight.copy_(torch.tensor(W)), model[0].bias.copy_(torch.tensor(b))
            model[2].weight.copy_(torch.tensor(a)[None, :])
        loss = (model(torch.tensor(X)).squeeze(1) - torch.tensor(y)).abs().sum().item()
        print(f"optimum loaded into PyTorch: abs loss {loss:.6f} in float64")
    files = plot(
        args.out,
        inst,
        best_net,
        optimal,
        f"best of {args.restarts} trained ({backend}): error {float(best_err):.4f}",
        f"certified optimum: error {float(optimum):.4f}",
    )
    print("wrote " + ", ".join(str(f) for f in files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
