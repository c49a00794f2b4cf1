"""The example users copy (examples/python/train_vs_optimum.py) runs and tells the truth."""

from __future__ import annotations

import re
import subprocess
import sys
from fractions import Fraction

import relufit


def test_train_vs_optimum_example(repo, tmp_path):
    script = repo / "examples" / "python" / "train_vs_optimum.py"
    out = tmp_path / "out"
    p = subprocess.run(
        [sys.executable, str(script), "--backend", "numpy", "--restarts", "3", "--steps", "1500", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    text = p.stdout
    assert "certified optimum:" in text and "gap: best trained - optimum" in text
    optimum = Fraction(re.search(r"certified optimum: (\S+) =", text).group(1))
    # Re-check the example's claims from its files.
    inst = relufit.Instance.load(out / "instance.json")
    optimal = relufit.Network.load(out / "optimal.network.json")
    trained = relufit.Network.load(out / "trained.network.json")
    assert relufit.verify(inst, optimal).error == optimum
    assert relufit.solve(inst, optimize=True).optimum == optimum
    assert relufit.verify(inst, trained).error >= optimum
    written = re.search(r"^wrote (.*)$", text, re.M).group(1).split(", ")
    assert written and all((out / p.split("/")[-1]).exists() for p in written)
