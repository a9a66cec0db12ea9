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
