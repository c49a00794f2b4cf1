"""Shared fixtures: planted instances made here with a seeded numpy generator (the tests
need nothing outside the repository), the repository's example files, and the CLI binary
for the comparison tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import relufit

REPO = Path(__file__).resolve().parents[3]


def relu_net(W, b, a, X):
    """phi(X) in exact integer arithmetic for integer parameters and inputs."""
    pre = X @ W.T + b
    return (np.maximum(pre, 0) * a).sum(axis=1)


def planted_fit(seed: int = 1, n: int = 12, d: int = 2) -> relufit.Instance:
    """Integer data labelled exactly by a planted mixed-sign network of width 2: a fit."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-6, 7, size=(n, d))
    W = rng.integers(-3, 4, size=(2, d))
    b = rng.integers(-3, 4, size=2)
    a = np.array([1, -1])
    return relufit.Instance(X, relu_net(W, b, a, X), k=2)


def random_labels(seed: int = 2, n: int = 9, k: int = 2) -> relufit.Instance:
    """Random labels on random inputs: no network of width 2 fits (checked by solving)."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-6, 7, size=(n, 2))
    y = rng.integers(-5, 6, size=n)
    return relufit.Instance(X, y, k=k)


def noisy(seed: int = 3, n: int = 12, k: int = 2, loss: str = "abs") -> relufit.Instance:
    """Planted labels plus noise in steps of 1/4: an optimisation instance."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-6, 7, size=(n, 2))
    W = rng.integers(-3, 4, size=(k, 2))
    b = rng.integers(-3, 4, size=k)
    a = np.where(np.arange(k) % 2 == 0, 1, -1)
    y = relu_net(W, b, a, X) + rng.integers(-4, 5, size=n) / 4
    return relufit.Instance(X, y, k=k, loss=loss)


@pytest.fixture
def fit_instance() -> relufit.Instance:
    return planted_fit()


@pytest.fixture
def no_fit_instance() -> relufit.Instance:
    return random_labels()


@pytest.fixture
def optimum_instance() -> relufit.Instance:
    return noisy()


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def cli() -> str:
    """The `relufit` binary: $RELUFIT_CLI, else target/release/relufit of this repository,
    else one on PATH. CI sets RELUFIT_CLI; elsewhere the comparison tests are skipped when
    no binary has been built."""
    candidates = [os.environ.get("RELUFIT_CLI"), str(REPO / "target" / "release" / "relufit")]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    found = shutil.which("relufit")
    if found:
        return found
    if os.environ.get("RELUFIT_REQUIRE_CLI"):
        pytest.fail("RELUFIT_REQUIRE_CLI is set but no relufit binary was found")
    pytest.skip("no relufit binary (cargo build --release -p relufit-cli, or set RELUFIT_CLI)")
