"""The reductions from Python: POITS (Theorem 1, Corollary 8) and 2-hyperplane
separability (Theorem 7, Corollary 10), with lift and decode, against the CLI too."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction

import numpy as np
import pytest

import relufit
from relufit import InputError, poits, separability

CLAUSES = [(1, 2, 3), (2, 3, 4)]


def test_poits_round_trip_relu_and_threshold():
    solution = poits.solve(CLAUSES)
    assert solution is not None
    for activation in ("relu", "threshold"):
        inst = poits.reduce(CLAUSES, activation=activation)
        m, n = 2, 4
        assert inst.k == (4 if activation == "relu" else 2) * (m + n)
        assert poits.formula(inst) == (4, CLAUSES)
        net = poits.lift(inst, solution)
        assert relufit.verify(inst, net).passes
        decoded = poits.decode(inst, net)
        assert decoded.true_vars == sorted(solution)
        assert all(c in (1, 2, 3) for c in decoded.choices) and len(decoded.choices) == 2
        assert relufit.verify(inst, decoded.canonical).passes
        assert decoded.assignment(4) == [v in solution for v in range(1, 5)]
        # A wrong assignment lifts to a network that does not fit.
        wrong = poits.lift(inst, [1, 2])  # clause 1 has two true literals
        assert not relufit.verify(inst, wrong).passes


def test_poits_padding_and_unsatisfiable_formulas():
    inst = poits.reduce([(1, 2, 3)], dim=3, gamma="1/2", loss="abs")
    assert inst.d == 3 and inst.gamma == Fraction(1, 2)
    assert relufit.verify(inst, poits.lift(inst, [2])).error == Fraction(1, 2)
    assert poits.solve([(1, 1, 1)]) is None
    assert poits.solve([(1, 2, 3)], num_vars=5) in ([1], [2], [3])


def test_poits_reduce_equals_the_cli(cli, tmp_path):
    cnf = tmp_path / "f.cnf"
    cnf.write_text("p cnf 4 2\n1 2 3 0\n2 3 4 0\n")
    out = tmp_path / "i.json"
    p = subprocess.run([cli, "reduce", "poits", str(cnf), "-o", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    ours = poits.reduce(CLAUSES)
    theirs = relufit.Instance.load(out)
    assert ours.to_numpy(exact=True)[0].tolist() == theirs.to_numpy(exact=True)[0].tolist()
    assert ours.to_numpy(exact=True)[1].tolist() == theirs.to_numpy(exact=True)[1].tolist()
    assert (ours.k, ours.loss, ours.gamma) == (theirs.k, theirs.loss, theirs.gamma)
    assert poits.formula(theirs) == poits.formula(ours)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: poits.reduce([(1, 2)]), r"clauses\[0\]: expected three positive literals"),
        (lambda: poits.reduce([(0, 1, 2)]), r"clauses\[0\]: expected three positive literals"),
        (lambda: poits.reduce([(1, 2, 3)], num_vars=2), "clauses: clause 1: variable 3 is outside 1..=2"),
        (lambda: poits.reduce([(1, 2, 3)], dim=1), "dimension"),
        (lambda: poits.lift(poits.reduce([(1, 2, 3)]), [7]), "true_vars"),
        (lambda: poits.lift(poits.reduce([(1, 2, 3)]), [1], [4]), "literal choice 4 for clause 1 is not in 1..=3"),
        (lambda: poits.lift(relufit.Instance([[0, 0]], [0], k=1), [1]), "meta"),
    ],
)
def test_poits_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_poits_decode_of_a_network_that_does_not_fit():
    inst = poits.reduce([(1, 2, 3)])
    with pytest.raises(InputError):
        poits.decode(inst, poits.lift(inst, [1, 2]))


def fig6(repo):
    sets = json.loads((repo / "examples" / "separability-fig6.sets.json").read_text())
    hyp = json.loads((repo / "examples" / "separability-fig6.hyperplanes.json").read_text())
    pair = [(h["h"], h["o"]) for h in hyp["hyperplanes"]]
    return sets["q"], sets["p"], pair


def test_separability_round_trip(repo):
    Q, P, pair = fig6(repo)
    for activation, k in (("relu", 4), ("threshold", 2)):
        inst = separability.reduce(Q, P, activation=activation)
        assert inst.k == k
        q, p = separability.sets(inst, exact=True)
        assert q.tolist() == [[Fraction(v) for v in row] for row in Q]
        assert separability.sets(inst)[1].shape == (4, 2)
        net = separability.lift(inst, pair)
        assert relufit.verify(inst, net).passes
        dec = separability.decode(inst, net)
        assert len(dec.hyperplanes) == 2 and dec.origin in ("positive", "negative", "threshold")
        # Every Q-P segment is cut: the decoded pair separates strictly.
        for qx in Q:
            for px in P:
                assert any(
                    (h.value(qx) > 0) != (h.value(px) > 0) for h in dec.hyperplanes
                )
        h, o = dec.hyperplanes[0].to_numpy()
        assert h.shape == (2,) and isinstance(o, float)
    sep = separability.decide(Q, P)
    assert sep is not None and len(sep.hyperplanes) == 2


def test_separability_decides_a_non_separable_instance():
    assert separability.decide([[0], [2], [4]], [[1], [3]]) is None


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda Q, P, pair: separability.reduce([], [], activation="relu"), "at least one point"),
        (lambda Q, P, pair: separability.reduce([[0, 1]], [[1]]), r"dimension 1 differs"),
        (lambda Q, P, pair: separability.lift(separability.reduce(Q, P), pair[:1]), "expected two hyperplanes, got 1"),
        (
            lambda Q, P, pair: separability.lift(separability.reduce(Q, P), [([1, 0, 0], 1), ([0, 1, 0], 2)]),
            r"hyperplanes\[0\]: the normal has dimension 3",
        ),
        (
            lambda Q, P, pair: separability.lift(separability.reduce(Q, P), [([1, 0], 100), ([0, 1], 100)]),
            "the hyperplanes are not in the restricted form",
        ),
        (lambda Q, P, pair: separability.sets(relufit.Instance([[0]], [0], k=1)), "meta"),
    ],
)
def test_separability_errors(repo, call, message):
    Q, P, pair = fig6(repo)
    with pytest.raises(InputError, match=message):
        call(Q, P, pair)
