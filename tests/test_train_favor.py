"""The ``--favor`` thresholds of the main-content model are chosen by F-beta on CV scores."""

from __future__ import annotations

import importlib.util
import sys
from collections import namedtuple
from pathlib import Path

import pytest

_WHY = "the training script needs numpy and scikit-learn (pip install '.[bench]')"
pytest.importorskip("numpy", reason=_WHY)
pytest.importorskip("sklearn", reason=_WHY)

_PATH = Path(__file__).resolve().parent.parent / "bench" / "train_content.py"


@pytest.fixture(scope="module")
def tc():
    spec = importlib.util.spec_from_file_location("train_content_under_test", _PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


S = namedtuple("S", "precision recall")


def _pair(p: float, r: float):
    return (S(p, r), S(p, r))


def test_fbeta_weights(tc):
    # beta 2 prefers the recall-heavy point, beta 0.5 the precision-heavy one, F1 is symmetric
    assert tc.fbeta(0.6, 0.9, 2.0) > tc.fbeta(0.9, 0.6, 2.0)
    assert tc.fbeta(0.9, 0.6, 0.5) > tc.fbeta(0.6, 0.9, 0.5)
    assert tc.fbeta(0.9, 0.6, 1.0) == pytest.approx(tc.fbeta(0.6, 0.9, 1.0))
    assert tc.fbeta(0.0, 0.0, 2.0) == 0.0


def test_pick_favor_sides_and_flat_maximum(tc):
    by_t = {
        0.02: _pair(0.70, 0.990),
        0.05: _pair(0.80, 0.985),  # F2 maximum
        0.10: _pair(0.80, 0.984),  # within tolerance of it, closer to balanced
        0.20: _pair(0.88, 0.950),  # balanced
        0.50: _pair(0.92, 0.930),
        0.80: _pair(0.95, 0.800),
    }
    rec = tc.pick_favor(by_t, 0.20, 2.0, -1, tol=0.002)
    prec = tc.pick_favor(by_t, 0.20, 0.5, +1, tol=0.002)
    assert rec == 0.10  # the flat maximum resolves towards the balanced threshold
    assert tc.pick_favor(by_t, 0.20, 2.0, -1, tol=0.0) == 0.05  # the strict maximum
    assert prec == 0.50
    assert rec < 0.20 < prec
    assert tc.pick_favor({0.2: _pair(0.9, 0.9)}, 0.2, 2.0, -1) == 0.2  # no candidate: balanced
