"""Shared pieces of the MILP comparison scripts: the weight box, reading a relufit
instance into floats (for HiGHS only; relufit keeps the exact values), and a quiet
single-threaded HiGHS with a time limit."""

import json
from fractions import Fraction
from pathlib import Path

import highspy
import numpy as np

W_BOUND = 10.0
B_BOUND = 200.0


def load(path):
    """(k, X, Y) of a relufit-instance/1 file, as float arrays."""
    doc = json.loads(Path(path).read_text())
    pts = doc["points"]
    xs = [[float(Fraction(str(v))) for v in p["x"]] for p in pts]
    ys = [float(Fraction(str(p["y"]))) for p in pts]
    return doc["k"], np.array(xs), np.array(ys)


def highs(time_limit):
    """A silent, single-threaded HiGHS instance that stops after `time_limit` seconds."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    return h
