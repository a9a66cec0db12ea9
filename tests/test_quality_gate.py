"""Quality gate: the cleaner (raw text input) must keep its F1 on both dev sets.

Floors live in ``cleaner/bench/floors.py``. Skipped when the benchmark data
(``../shared/bench`` or ``$CLEANER_BENCH_DIR``) is absent or when
``cleaner.clean_text`` is not importable yet. Run alone with
``pytest -m bench``; see the worst pages with ``python -m cleaner.bench quality``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.bench.data import SET_FILES, BenchDataError, find_bench_dir, load_set
from cleaner.bench.floors import FLOORS
from cleaner.bench.quality import evaluate_set
from cleaner.bench.systems import build_system, cleaner_lookup

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def bench_dir() -> Path:
    try:
        return find_bench_dir()
    except BenchDataError as exc:
        pytest.skip(f"benchmark data absent: {exc}")


@pytest.mark.parametrize("set_name", sorted(FLOORS))
def test_cleaner_f1_not_below_floor(bench_dir: Path, set_name: str) -> None:
    clean_text, why = cleaner_lookup("clean_text")
    if clean_text is None:
        pytest.skip(f"cleaner not ready: {why}")
    try:
        pages = load_set(bench_dir, set_name)
    except BenchDataError as exc:
        pytest.skip(f"{SET_FILES[set_name]} absent: {exc}")
    system = build_system("cleaner", set_name, "text")
    result = evaluate_set(set_name, "text", [system], pages, [p.raw for p in pages], strict=True)
    score = result.runs[0].score
    assert score is not None
    floor = FLOORS[set_name]
    assert score.f1 >= floor, (
        f"{SET_FILES[set_name]}: cleaner F1 {score.f1:.4f} is below the floor {floor:.4f} "
        f"(P {score.precision:.4f}, R {score.recall:.4f}); "
        f"see `python -m cleaner.bench quality --set {set_name} --systems none,cleaner`"
    )


@pytest.mark.parametrize("set_name", sorted(FLOORS))
def test_cleaning_the_output_again_changes_nothing_on_real_pages(bench_dir: Path, set_name: str) -> None:
    from cleaner.api import make_engine

    try:
        pages = load_set(bench_dir, set_name)
    except BenchDataError as exc:
        pytest.skip(f"{SET_FILES[set_name]} absent: {exc}")
    engine = make_engine()
    changed = []
    for page in pages:
        once = engine.clean(page.raw).text
        if engine.clean(once).text != once:
            changed.append(page.id)
    assert not changed, f"{len(changed)} of {len(pages)} pages change when cleaned twice: {changed[:5]}"
