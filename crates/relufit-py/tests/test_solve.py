"""solve / all_fits / shards: the same answers as the CLI, limits, Ctrl-C, progress, and
every error path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from fractions import Fraction

import numpy as np
import pytest

import relufit
from conftest import noisy, planted_fit
from relufit import InputError, Instance, Network, NoSolverError


def long_instance() -> Instance:
    """An optimisation run of about 30 s (n = 18, k = 3): stopped long before its end."""
    return noisy(n=18, k=3)


def run_cli(cli, *args):
    p = subprocess.run([cli, *map(str, args)], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


CASES = [
    ("fit", planted_fit(), "auto", False),
    ("fit-enumerate", planted_fit(), "enumerate", False),
    ("fit-patterns", planted_fit(), "patterns", False),
    ("no-fit", None, "auto", False),
    ("optimum", noisy(), "enumerate", True),
    ("optimum-squared", noisy(n=9, loss="squared"), "auto", True),
    ("interpolate", noisy(n=6).replace(k=6), "auto", False),
    ("single", planted_fit(seed=4).replace(k=1), "auto", False),
    ("exactfit-convex", None, "exactfit", False),
    ("threshold", None, "enumerate", True),
]


def case_instance(name, inst):
    if inst is not None:
        return inst
    rng = np.random.default_rng(8)
    X = rng.integers(-5, 6, size=(9, 2))
    if name == "no-fit":
        return Instance(X, rng.integers(-4, 5, size=9), k=2)
    if name == "exactfit-convex":
        W = np.array([[1, 2], [-2, 1]])
        return Instance(X, np.maximum(X @ W.T + [1, -1], 0).sum(axis=1), k=2)
    return Instance(X, rng.integers(0, 2, size=9), k=2, activation="threshold", loss="zero-one")


@pytest.mark.parametrize("name, inst, algorithm, optimize", CASES, ids=[c[0] for c in CASES])
def test_solve_equals_the_cli(cli, tmp_path, name, inst, algorithm, optimize):
    inst = case_instance(name, inst)
    path = tmp_path / "inst.json"
    inst.save(path)
    # One thread on both sides: with more, which of several fits is found first and the
    # counters depend on timing.
    args = ["solve", path, "--algorithm", algorithm, "--threads", "1", "--json"]
    args += ["-o", tmp_path / "net.json"]
    if optimize:
        args.append("--optimize")
    code, out, err = run_cli(cli, *args)
    assert code in (0, 1), err
    expected = json.loads(out)
    res = relufit.solve(Instance.load(path), algorithm, optimize=optimize, threads=1)
    status = {"fit": "fit", "no-fit": "no_fit", "unknown": "unknown"}[expected["outcome"]]
    assert res.status == status
    opt = expected.get("optimum")
    assert res.optimum == (None if opt is None else Fraction(opt))
    if res.status == "fit":
        # Same library, same settings: the very same certificate network.
        assert res.network == Network.load(tmp_path / "net.json")
        assert res.report.passes
        assert str(res.error) == expected["verification"]["error"]
    else:
        assert res.evidence == expected["evidence"]
        if expected.get("best_error") is not None:
            assert str(res.error) == expected["best_error"]
    for key in ("nodes", "lps", "max_depth"):
        assert res.stats[key] == expected["stats"][key]


def test_solve_equals_the_cli_on_the_repository_example(cli, repo):
    path = repo / "examples" / "levee-h0.instance.json"
    code, out, _ = run_cli(cli, "solve", path, "--json")
    res = relufit.solve(Instance.load(path))
    assert res.status == {"fit": "fit", "no-fit": "no_fit"}[json.loads(out)["outcome"]]
    assert code == (0 if res.fit else 1)


def test_time_limit_gives_unknown_promptly():
    start = time.monotonic()
    res = relufit.solve(long_instance(), optimize=True, time_limit=0.5)
    assert time.monotonic() - start < 5
    assert res.status == "unknown" and "time limit" in res.reason
    assert res.optimum is None and not res.interrupted
    assert "UNKNOWN" in res.summary()
    # The incumbent of the optimisation comes back verified, its error an upper bound.
    assert res.network is not None and res.report is not None
    assert res.report.error == relufit.verify(long_instance(), res.network).error
    assert "not proven optimal" in res.summary()


def test_keyboard_interrupt_cancels_the_solve():
    """Ctrl-C while the solver runs (GIL released) -> the solve returns 'unknown'."""
    timer = threading.Timer(0.7, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.monotonic()
    try:
        res = relufit.solve(long_instance(), optimize=True, time_limit=60)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 10
    assert res.status == "unknown" and "interrupted" in res.reason
    assert res.interrupted


def test_the_gil_is_released_while_solving():
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=count)
    t.start()
    try:
        relufit.solve(long_instance(), optimize=True, time_limit=1.0)
    finally:
        stop.set()
        t.join()
    assert len(ticks) > 30  # the other thread kept running during the 1 s solve


def test_progress_callback_and_its_exceptions():
    seen = []
    # n = 120, k = 2: the enumeration reports progress from its first phase on and is solving
    # leaves well before the limit (about 8,000 of 52.8 million at 6 s on the 2-core CI
    # machine); the whole run takes far longer than the limit. (n = 70 took about 9 s in
    # all, too close to the limit: an idle machine once finished it within 6 s.)
    res = relufit.solve(noisy(n=120), optimize=True, time_limit=6, progress=seen.append)
    assert res.status == "unknown" and seen, res
    last = seen[-1]
    assert isinstance(last, relufit.Progress) and last.nodes > 0 and last.total > 0
    assert "Progress(nodes=" in repr(last)

    def boom(p):
        raise RuntimeError("stop here")

    start = time.monotonic()
    with pytest.raises(RuntimeError, match="stop here"):
        relufit.solve(long_instance(), optimize=True, time_limit=60, progress=boom)
    assert time.monotonic() - start < 10
    with pytest.raises(TypeError, match="progress: expected a callable"):
        relufit.solve(planted_fit(), progress=5)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"algorithm": "magic"}, InputError, "algorithm: unknown algorithm `magic`"),
        ({"algorithm": "exactfit", "optimize": True}, InputError, "optimize: needs algorithm=\"enumerate\""),
        ({"time_limit": -1}, InputError, "time_limit: must be a number of seconds >= 0"),
        ({"time_limit": float("nan")}, InputError, "time_limit: must be a number of seconds >= 0"),
        ({"signs": "both"}, InputError, "signs: unknown sign class `both`"),
        ({"time_limit": 1e30}, InputError, "time_limit: .* seconds is too long"),
        ({"threads": 0}, InputError, "threads: expected 1 to 256 worker threads, got 0"),
        ({"threads": 1000}, InputError, "threads: expected 1 to 256 worker threads"),
    ],
)
def test_solve_request_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        relufit.solve(planted_fit(), **kwargs)


def test_solver_errors_have_the_library_messages():
    zero_one = Instance([[0], [1], [2], [3]], [0, 1, 0, 1], k=1, loss="zero-one", gamma=1)
    with pytest.raises(NoSolverError, match="no solver available for this instance"):
        relufit.solve(zero_one)
    threshold = Instance([[0], [1]], [0, 1], k=1, activation="threshold")
    assert relufit.solve(threshold, "patterns").status == "fit"
    with pytest.raises(InputError, match="listing every fitting function needs ReLU"):
        relufit.all_fits(threshold)
    with pytest.raises(InputError, match="the pattern search decides exact fits"):
        relufit.all_fits(noisy().replace(gamma=1))


def test_pattern_branch_and_bound_optimum_equals_the_enumeration():
    inst = noisy(n=9)
    by_patterns = relufit.solve(inst, "patterns", optimize=True)
    by_enumeration = relufit.solve(inst, "enumerate", optimize=True)
    assert by_patterns.optimum is not None
    assert by_patterns.optimum == by_enumeration.optimum


def test_signs_restrict_exactfit():
    res = relufit.solve(planted_fit(), "exactfit", signs="concave")
    assert res.status in ("fit", "no_fit")
    if res.status == "no_fit":
        assert res.restricted_to == "concave" and "NO CONCAVE FIT" in res.summary()


def test_all_fits_lists_verified_distinct_functions():
    inst = Instance([[0], [1], [2], [3]], [0, 0, 1, 2], k=1)
    fits = relufit.all_fits(inst)
    assert fits.completeness == "complete" and len(fits) == 1
    (f,) = fits
    assert relufit.verify(inst, f.network).passes and f.breaking_hyperplanes == 1
    assert f.sign_class == "1 positive, 0 negative"
    none = relufit.all_fits(Instance([[0], [1], [2]], [0, 1, 0], k=1))
    assert none.completeness == "complete" and len(none) == 0
    two = relufit.all_fits(planted_fit(seed=6, n=8))
    assert all(relufit.verify(planted_fit(seed=6, n=8), n).passes for n in two.networks)
    for i, a in enumerate(two.networks):
        for b in two.networks[i + 1 :]:
            assert not a.same_function(b)


def test_shards_merge_to_the_unsharded_answer_and_interoperate_with_the_cli(cli, tmp_path):
    inst = noisy(n=14)
    whole = relufit.solve(inst, "enumerate", optimize=True)
    shards = [relufit.solve_shard(inst, i, 3, optimize=True) for i in range(3)]
    assert all(s.exhaustive and not s.decisive and s.count == 3 for s in shards)
    merged = relufit.merge(shards)
    assert (merged.status, merged.optimum) == (whole.status, whole.optimum)
    # Python shards -> files -> the CLI's merge.
    paths = []
    for s in shards:
        p = tmp_path / f"s{s.index}.json"
        s.save(p)
        paths.append(p)
    code, out, _ = run_cli(cli, "merge", *paths, "--json")
    assert Fraction(json.loads(out)["optimum"]) == whole.optimum
    # CLI shards -> Python merge (from paths).
    inst.save(tmp_path / "inst.json")
    cli_paths = []
    for i in range(3):
        p = tmp_path / f"c{i}.json"
        run_cli(cli, "solve", tmp_path / "inst.json", "--shard", f"{i}/3", "--optimize", "-o", p)
        cli_paths.append(p)
    assert relufit.merge(cli_paths).optimum == whole.optimum
    assert relufit.ShardResult.load(cli_paths[0]).stats["shard_leaves"] > 0


def test_shard_missing_is_unknown_and_decisive_shards_decide():
    inst = noisy(n=14)
    part = relufit.merge([relufit.solve_shard(inst, 0, 3, optimize=True)])
    assert part.status == "unknown" and "missing" in part.reason
    fit = planted_fit()
    shards = [relufit.solve_shard(fit, i, 4) for i in range(4)]
    decisive = [s for s in shards if s.decisive]
    assert decisive
    assert relufit.merge(decisive[:1]).status == "fit"


def test_shard_poll_cancels():
    calls = []

    def poll():
        calls.append(1)
        return len(calls) >= 2

    start = time.monotonic()
    s = relufit.solve_shard(long_instance(), 0, 1, optimize=True, poll=poll, poll_interval=0.1)
    assert time.monotonic() - start < 10
    assert not s.exhaustive and "interrupted" in s.stopped


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda i: relufit.check_shardable(i, algorithm="exactfit"), NoSolverError, "ExactFit cannot be sharded"),
        (lambda i: relufit.check_shardable(i.replace(gamma=1), algorithm="patterns"), InputError, "the pattern search (shards exact-fit decisions|decides exact fits)"),
        (lambda i: relufit.check_shardable(i, signs="convex"), InputError, "signs: shards search every output sign"),
        (lambda i: relufit.solve_shard(i, 3, 2), InputError, r"shard: shard 3/2: need 0 <= i < N"),
        (lambda i: relufit.solve_shard(i, 0, 0), InputError, r"shard: shard 0/0"),
        (lambda i: relufit.merge([]), InputError, "merge: no shard results given"),
        (
            lambda i: relufit.merge([relufit.solve_shard(i, 0, 2), relufit.solve_shard(i, 0, 2)]),
            InputError,
            "merge: shard 0/2 given twice",
        ),
        (
            lambda i: relufit.merge([relufit.solve_shard(i, 0, 2), relufit.solve_shard(noisy(), 1, 2)]),
            InputError,
            "is for a different instance",
        ),
        (lambda i: relufit.ShardResult.from_json("{}"), InputError, "format: expected"),
    ],
)
def test_shard_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(planted_fit())


@pytest.mark.parametrize(
    "text",
    [
        '{"format":"relufit-instance/1","activation":"relu","k":1,"gamma":"0","loss":"abs",'
        '"points":[{"x":["1","nan"],"y":"0"}]}',
        '{"format":"relufit-instance/1","activation":"relu","k":0,"gamma":"0","loss":"abs",'
        '"points":[{"x":["1"],"y":"0"}]}',
        '{"format":"relufit-instance/2"}',
        '{"format":"relufit-instance/1", "k": }',
        None,
    ],
)
def test_error_messages_are_the_clis(cli, tmp_path, text):
    path = tmp_path / "bad.json"
    if text is not None:
        path.write_text(text)
    code, _, err = run_cli(cli, "solve", path)
    assert code == 2
    with pytest.raises((InputError, FileNotFoundError)) as e:
        relufit.solve(Instance.load(path))
    assert err.strip() == f"error: {e.value}"
