import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def bench_dir() -> Path | None:
    env = os.environ.get("CLEANER_BENCH_DIR")
    path = Path(env) if env else ROOT.parent / "shared" / "bench"
    return path if (path / "scrapinghub-dev.jsonl").exists() else None


def bench_pages() -> list[tuple[str, str]]:
    """(id, raw dump) of every page of both dev sets, in file order; skips the calling test, with
    the reason, when the benchmark data is absent."""
    import json

    folder = bench_dir()
    if folder is None:
        pytest.skip("benchmark data not found (../shared/bench or $CLEANER_BENCH_DIR)")
    pages = []
    for name in ("scrapinghub-dev", "trafilatura-dev"):
        with open(folder / f"{name}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                pages.append((record["id"], record["raw"]))
    return pages

