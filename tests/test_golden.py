"""The seeds clean to their reviewed golden files, exactly."""

import difflib
import json

import pytest
from conftest import ROOT, SEEDS
from golden_tool import comparable

from cleaner import clean

GOLDEN = ROOT / "golden"


def _diff(expected: str, actual: str, name: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        fromfile=f"golden/{name}", tofile="cleaner output", n=1,
    )
    return "".join(lines)


def test_every_seed_has_golden_files():
    assert len(SEEDS) == 5
    for seed in SEEDS:
        assert (GOLDEN / f"{seed.stem}.txt").exists(), seed.name
        assert (GOLDEN / f"{seed.stem}.json").exists(), seed.name


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_text_output_matches_golden(seed):
    expected = (GOLDEN / f"{seed.stem}.txt").read_text(encoding="utf-8")
    actual = clean(seed.read_text(encoding="utf-8")).text + "\n"
    assert actual == expected, "\n" + _diff(expected, actual, f"{seed.stem}.txt")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_articles_and_metadata_match_golden(seed):
    expected = json.loads((GOLDEN / f"{seed.stem}.json").read_text(encoding="utf-8"))
    actual = comparable(clean(seed.read_text(encoding="utf-8")).to_dict())
    e = json.dumps(expected, ensure_ascii=False, indent=2)
    a = json.dumps(actual, ensure_ascii=False, indent=2)
    assert a == e, "\n" + _diff(e, a, f"{seed.stem}.json")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_cleaning_the_output_again_changes_nothing(seed):
    once = clean(seed.read_text(encoding="utf-8")).text
    assert clean(once).text == once


def test_seed_003_is_nine_articles():
    result = clean((ROOT / "seeds" / "003_c17df665f48eee7d.txt").read_text(encoding="utf-8"))
    assert len(result.articles) == 9
    assert all(a.title is None for a in result.articles)
