"""Exact numbers, Instance and Network: numpy <-> Instance <-> JSON/CSV round trips."""

from __future__ import annotations

import json
import math
import pickle
import random
import struct
from pathlib import Path
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import relufit
from relufit import InputError, Instance, Network


def test_floats_are_their_exact_dyadic_values():
    rng = random.Random(7)
    samples = [0.1, -0.0, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308, 1 / 3]
    for _ in range(2000):
        # Random bit patterns cover subnormals, tiny and huge exponents.
        (v,) = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))
        if math.isfinite(v):
            samples.append(v)
    for v in samples:
        assert relufit.exact(v) == Fraction(*v.as_integer_ratio()), v
    assert relufit.exact(0.1) == Fraction(3602879701896397, 36028797018963968)


def test_other_number_types_are_exact():
    assert relufit.exact("0.1") == Fraction(1, 10)
    assert relufit.exact("-7/3") == Fraction(-7, 3)
    assert relufit.exact("1e-3") == Fraction(1, 1000)
    assert relufit.exact(Fraction(22, 7)) == Fraction(22, 7)
    assert relufit.exact(Decimal("0.1")) == Fraction(1, 10)
    assert relufit.exact(np.float32(0.1)) == Fraction(*float(np.float32(0.1)).as_integer_ratio())
    assert relufit.exact(np.int64(-5)) == -5
    assert relufit.exact(True) == 1
    big = 3**400  # beyond int64 and beyond Python's decimal-digit limit in int(str)
    assert relufit.exact(big) == big
    assert relufit.exact(Fraction(-(7**900), 3**500)) == Fraction(-(7**900), 3**500)
    assert relufit.exact(np.longdouble(1) / 3) == Fraction(*(np.longdouble(1) / 3).as_integer_ratio())


@pytest.mark.parametrize(
    "value, expected",
    [
        (float("nan"), "NaN is not a number"),
        (float("inf"), "infinity is not a finite rational"),
        (-float("inf"), "infinity is not a finite rational"),
        (np.float32("nan"), "NaN is not a number"),
        (Decimal("NaN"), "NaN is not a number"),
        ("1/0", "division by zero"),
        ("abc", "expected an integer, a decimal"),
        ("", "empty string"),
    ],
)
def test_non_numbers_are_refused_with_the_parsers_messages(value, expected):
    with pytest.raises(InputError, match=expected) as e:
        relufit.exact(value)
    assert isinstance(e.value, ValueError)


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="expected a number"):
        relufit.exact(object())
    with pytest.raises(TypeError, match=r"X\[0, 1\]: expected a number"):
        Instance([[1, None]], [0], k=1)


def test_numpy_instance_json_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    y = rng.normal(size=20)
    inst = Instance(X, y, k=3, loss="abs", gamma=Fraction(1, 3), meta={"run": 1})
    assert (inst.n, inst.d, inst.k, inst.loss, inst.activation) == (20, 3, 3, "abs", "relu")
    assert inst.gamma == Fraction(1, 3) and inst.meta == {"run": 1}
    # Floats survive exactly: back to numpy bit for bit.
    X2, y2 = inst.to_numpy()
    assert X2.dtype == np.float64 and np.array_equal(X2, X) and np.array_equal(y2, y)
    Xe, ye = inst.to_numpy(exact=True)
    assert Xe.dtype == object and Xe[3, 1] == Fraction(*X[3, 1].as_integer_ratio())
    # JSON text and files.
    back = Instance.from_json(inst.to_json())
    assert back == inst
    inst.save(tmp_path / "i.json")
    assert Instance.load(tmp_path / "i.json") == inst
    assert json.loads((tmp_path / "i.json").read_text())["format"] == "relufit-instance/1"
    # Pickle (what Dask ships to workers).
    assert pickle.loads(pickle.dumps(inst)) == inst
    # CSV keeps the data exactly; the parameters come from the caller.
    inst.save(tmp_path / "i.csv")
    from_csv = Instance.load(tmp_path / "i.csv", k=3, loss="abs", gamma="1/3")
    assert np.array_equal(from_csv.X, X) and from_csv.gamma == Fraction(1, 3)
    assert Instance.from_csv(inst.to_csv(), 3).to_numpy(exact=True)[1].tolist() == ye.tolist()
    # npy: float64 of shape (n, d + 1).
    inst.save(tmp_path / "i.npy")
    arr = np.load(tmp_path / "i.npy")
    assert arr.shape == (20, 4) and np.array_equal(arr[:, :-1], X) and np.array_equal(arr[:, -1], y)


def test_lists_fractions_strings_and_shapes():
    inst = Instance([["1/3", 0.5], [Fraction(2, 7), 1]], np.array([[1.0], [2.0]]), k=1)
    assert inst.to_numpy(exact=True)[0][0, 0] == Fraction(1, 3)
    assert inst.y.tolist() == [1.0, 2.0]  # a column (n, 1) is accepted as y
    assert len(inst) == 2 and inst.distinct_inputs == 2
    assert inst.replace(k=5, loss="max").k == 5 and inst.replace(gamma=0.25).gamma == Fraction(1, 4)
    assert "Instance(n=2, d=2, k=1" in repr(inst)
    dup = Instance([[0], [0], [1]], [1, 2, 3], k=1)
    assert dup.conflicting_duplicates() == [(0, 1)]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: Instance([1, 2, 3], [1, 2, 3], k=1), r"X: expected a two-dimensional array.*reshape"),
        (lambda: Instance([[1], [2]], [1], k=1), "X has 2 rows but y has 1 labels"),
        (lambda: Instance([[1, 2], [3]], [1, 2], k=1), r"X\[1\]: row has 1 entries but X\[0\] has 2"),
        (lambda: Instance([[1]], [[1, 2], [3, 4]], k=1), r"y: expected a one-dimensional array"),
        (lambda: Instance([[1]], [1], k=0), "k: the width must be at least 1"),
        (lambda: Instance([[1]], [1], k=-2), "k: the width must be at least 1"),
        (lambda: Instance([[1]], [1], k=1.5), "k: the width must be at least 1"),
        (lambda: Instance([[1]], [1], k=1, loss="hinge"), "loss: unknown loss `hinge`"),
        (lambda: Instance([[1]], [1], k=1, activation="tanh"), "activation: unknown activation"),
        (lambda: Instance([[1]], [1], k=1, gamma=-1), "gamma: the target error must be >= 0"),
        (lambda: Instance([], [], k=1), "points: the instance needs at least one data point"),
        (lambda: Instance([["x"]], [1], k=1), r"X\[0, 0\]: `x` is not an exact rational"),
        (lambda: Instance([[1]], [float("inf")], k=1), r"y\[0\]: `inf` is not an exact rational"),
    ],
)
def test_instance_input_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_file_errors_name_the_file(tmp_path, repo):
    with pytest.raises(FileNotFoundError, match="missing.json"):
        Instance.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    text = (repo / "examples" / "levee-h0.instance.json").read_text()
    bad.write_text(text.replace('"relu"', '"sigmoid"', 1))
    with pytest.raises(InputError, match=r"bad.json: activation: unknown activation `sigmoid`"):
        Instance.load(bad)
    bad.write_text(text.replace("relufit-instance/1", "relufit-instance/9"))
    with pytest.raises(InputError, match="bad.json: format: unsupported format"):
        Instance.load(bad)
    bad.write_text("{ not json")
    with pytest.raises(InputError, match=r"bad.json:1:3: malformed JSON"):
        Instance.load(bad)
    csv = tmp_path / "d.csv"
    csv.write_text("x,y\n1,2\n3,abc\n")
    with pytest.raises(InputError, match=r"d.csv:3: column 2: `abc`"):
        Instance.load(csv, k=1)
    with pytest.raises(InputError, match="k: reading CSV needs the width"):
        Instance.load(csv)
    with pytest.raises(InputError, match=r"unknown input extension `.txt`"):
        Instance.load(tmp_path / "d.txt")
    inst = Instance([[1]], [1], k=1)
    with pytest.raises(InputError, match=r"unknown output extension `.xlsx`"):
        inst.save(tmp_path / "d.xlsx")
    # The library names the missing directory (an input error of the output path).
    with pytest.raises((InputError, OSError), match="no-such-dir"):
        inst.save(tmp_path / "no-such-dir" / "x.json")


def test_network_arrays_round_trip_exactly(tmp_path):
    rng = np.random.default_rng(5)
    W = rng.normal(size=(3, 2)).astype(np.float32)
    b = rng.normal(size=3)
    a = rng.normal(size=(1, 3))  # PyTorch's output-layer weight shape
    net = Network.from_arrays(W, b, a)
    W2, b2, a2 = net.to_arrays()
    assert np.array_equal(W2, W.astype(np.float64)) and np.array_equal(b2, b)
    assert np.array_equal(a2, a.ravel())
    We, be, ae = net.to_arrays(exact=True)
    assert We[2, 1] == Fraction(*float(W[2, 1]).as_integer_ratio())
    assert net == Network(W, b, a) and net.width == 3 and net.d == 2
    assert Network.from_json(net.to_json()) == net
    net.save(tmp_path / "n.json")
    assert Network.load(tmp_path / "n.json") == net
    assert pickle.loads(pickle.dumps(net)) == net
    assert net.normalize().same_function(net)
    X = rng.normal(size=(6, 2))
    exact_values = net.evaluate(X)
    assert [float(v) for v in exact_values] == net.predict(X).tolist()
    th = Network([[1, 0]], [0], [2], activation="threshold")
    assert th.evaluate([[1, 5], [0, 5], [-1, 5]]) == [2, 0, 0]
    assert th.breaking_hyperplanes is None


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: Network([[1, 2]], [0, 1], [1]), r"b: expected 1 entries \(one per row of W\), got 2"),
        (lambda: Network([[1, 2]], [0], [1, 1]), r"a: expected 1 entries"),
        (lambda: Network([[1, 2]], [0], [1], activation="gelu"), "activation: unknown activation"),
        (lambda: Network([[1, float("nan")]], [0], [1]), r"W\[0, 1\]: `nan`"),
        (lambda: Network([[1, 2]], [0], [1]).evaluate([[1, 2, 3]]), r"X\[0\]: the network has input dimension 2"),
        (
            lambda: Network([[1]], [0], [1], activation="threshold").same_function(
                Network([[1]], [0], [1], activation="threshold")
            ),
            "same_function: defined for ReLU networks",
        ),
        (lambda: Network.from_json("{}"), r"<string>: format: missing field"),
    ],
)
def test_network_input_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_float_network_verified_exactly_and_one_ulp_fails():
    """A float network that fits float labels exactly passes; one ulp off fails."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(15, 2))
    W = rng.normal(size=(3, 2))
    b = rng.normal(size=3)
    a = np.array([1.0, -1.0, 0.5])
    net = Network(W, b, a)
    # Labels: phi(x) computed exactly and rounded to doubles, then the instance takes the
    # doubles exactly; a network hitting those doubles exactly is constructed by making the
    # output weights absorb nothing: use an instance whose labels are phi's exact values.
    exact_phi = net.evaluate(X)
    inst = Instance(X, exact_phi, k=3)
    report = relufit.verify(inst, net)
    assert report.passes and report.error == 0 and report
    assert report.values == exact_phi and all(r == 0 for r in report.residuals)
    # One ulp in one weight changes phi at some point: the error is no longer 0.
    W_off = W.copy()
    W_off[1, 0] = np.nextafter(W[1, 0], np.inf)
    off = relufit.verify(inst, Network(W_off, b, a))
    assert not off.passes and off.error > 0 and not off
    assert off.misfit_points() and off.worst_points(3)[0] in off.misfit_points()
    # Float labels: a network whose values at the points are doubles (integer inputs,
    # dyadic weights) fits the float-labelled instance exactly.
    Xi = rng.integers(-5, 6, size=(10, 2)).astype(np.float64)
    Wd = np.array([[0.5, -0.25], [1.125, 0.75]])
    bd = np.array([0.375, -1.0])
    ad = np.array([1.0, -1.0])
    y = np.maximum(Xi @ Wd.T + bd, 0) @ ad  # exact in float64: dyadic, few bits
    float_inst = Instance(Xi, y, k=2)
    assert relufit.verify(float_inst, Network(Wd, bd, ad)).passes
    Wu = Wd.copy()
    Wu[0, 0] = np.nextafter(Wu[0, 0], 1.0)
    assert not relufit.verify(float_inst, Network(Wu, bd, ad)).passes


def test_verify_errors_have_the_cli_messages():
    inst = Instance([[1, 2]], [0], k=1)
    with pytest.raises(InputError, match="the network has input dimension 3 but the data has dimension 2"):
        relufit.verify(inst, Network([[1, 2, 3]], [0], [1]))
    with pytest.raises(
        InputError, match="the network is a threshold network but the instance asks for relu"
    ):
        relufit.verify(inst, Network([[1, 2]], [0], [1], activation="threshold"))


def test_plots(tmp_path):
    inst = Instance([[0, 0], [1, 0], [0, 1]], [0, 1, 2], k=2)
    net = Network([[1, 0], [0, 1]], [0, 0], [1, 2])
    svg = inst._repr_svg_()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert net._repr_svg_().startswith("<svg")
    pic = inst.plot(net, shade=True, title="demo")
    assert "demo" in str(pic) and pic._repr_svg_() == pic.text
    pic.save(tmp_path / "p.svg")
    assert (tmp_path / "p.svg").read_text() == pic.text
    # Not two-dimensional: no inline picture, and plot() says why.
    flat = Instance([[0, 0, 1]], [0], k=1)
    assert flat._repr_svg_() is None
    with pytest.raises(InputError, match="plot: only two-dimensional data can be drawn"):
        flat.plot()
    with pytest.raises(InputError, match="window: expected four numbers"):
        inst.plot(window=[0, 1])
    with pytest.raises(InputError, match="plot: the window must be"):
        net.plot(window=[1, 0, 0, 1])


class FakeTensor:
    """What relufit uses of a PyTorch tensor (no torch on the CI machine): a tensor that
    requires grad must be detached and moved to the CPU before tolist()."""

    def __init__(self, data, detached=False):
        self.data = np.asarray(data, dtype=np.float32)
        self.detached = detached

    def detach(self):
        return FakeTensor(self.data, detached=True)

    def cpu(self):
        return self

    def tolist(self):
        assert self.detached, "tolist() on a tensor that requires grad"
        return self.data.tolist()


def test_tensors_are_read_exactly():
    rng = np.random.default_rng(9)
    W = rng.normal(size=(3, 2)).astype(np.float32)
    b = rng.normal(size=3).astype(np.float32)
    a = rng.normal(size=(1, 3)).astype(np.float32)
    net = Network(FakeTensor(W), FakeTensor(b), FakeTensor(a))
    assert net == Network(W, b, a)
    assert net.to_arrays(exact=True)[0][1, 1] == Fraction(*float(W[1, 1]).as_integer_ratio())
    inst = Instance(FakeTensor(rng.normal(size=(4, 2))), FakeTensor(rng.normal(size=(4, 1))), k=3)
    assert inst.n == 4 and inst.d == 2


def test_the_type_stub_declares_every_native_name():
    import ast
    import inspect

    import relufit._relufit as native

    stub = Path(inspect.getfile(relufit)).with_name("_relufit.pyi")
    tree = ast.parse(stub.read_text())
    declared = {
        n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))
    }
    public = {name for name in dir(native) if not name.startswith("__")}
    assert public <= declared, sorted(public - declared)
    for cls in ("Instance", "Network", "Report", "ShardResult"):
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        members = {m.name for m in node.body if isinstance(m, ast.FunctionDef)}
        native_members = {m for m in dir(getattr(native, cls)) if not m.startswith("__")}
        assert native_members <= members, (cls, sorted(native_members - members))
