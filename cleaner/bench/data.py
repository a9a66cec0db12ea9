"""Locate and load the development benchmarks (see ``../shared/bench/README.md``).

The data never lives in this repository: it is found through ``--bench-dir``,
the ``CLEANER_BENCH_DIR`` environment variable, or ``../shared/bench`` next to
the repository (relative to the package's parent directory, then to the
current directory). Pages are returned sorted by id so every run is
deterministic.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

ENV_VAR = "CLEANER_BENCH_DIR"

#: Dev set name -> file stem in the bench directory.
SET_FILES: dict[str, str] = {
    "scrapinghub": "scrapinghub-dev",
    "trafilatura": "trafilatura-dev",
}
SET_NAMES: tuple[str, ...] = tuple(SET_FILES)

_REPO_ROOT = Path(__file__).resolve().parents[2]  # <repo>/cleaner/bench/data.py
_RELATIVE_DEFAULT = Path("..") / "shared" / "bench"


class BenchDataError(Exception):
    """The benchmark data cannot be found or read (reported, never a traceback)."""


@dataclass(frozen=True)
class Page:
    """One benchmark page.

    ``truth`` is set for scrapinghub (shingle metric); ``with_`` / ``without``
    for trafilatura (snippet metric).
    """

    set_name: str
    id: str
    url: str
    raw: str
    truth: str | None = None
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()


def candidate_dirs(env: Mapping[str, str] | None = None, cwd: Path | None = None) -> list[Path]:
    """Where the bench directory is looked for, in order."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return [Path(env[ENV_VAR]).expanduser()]
    cwd = Path.cwd() if cwd is None else cwd
    candidates = [(_REPO_ROOT / _RELATIVE_DEFAULT).resolve(), (cwd / _RELATIVE_DEFAULT).resolve()]
    return list(dict.fromkeys(candidates))  # de-duplicated, order kept


def _looks_like_bench(path: Path) -> bool:
    return path.is_dir() and any((path / f"{stem}.jsonl").is_file() for stem in SET_FILES.values())


def find_bench_dir(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Return the bench directory or raise :class:`BenchDataError` saying where it looked."""
    if explicit is not None:
        candidates = [Path(explicit).expanduser()]
        origin = "--bench-dir"
    else:
        candidates = candidate_dirs(env)
        origin = f"${ENV_VAR}" if (os.environ if env is None else env).get(ENV_VAR) else "default location"
    for path in candidates:
        if _looks_like_bench(path):
            return path
    looked = ", ".join(str(p) for p in candidates)
    raise BenchDataError(
        f"benchmark data not found ({origin}: {looked}); expected a directory holding "
        f"{' / '.join(f'{s}.jsonl' for s in SET_FILES.values())}. "
        f"Point --bench-dir or ${ENV_VAR} at the shared bench folder."
    )


def set_file(bench_dir: Path, set_name: str) -> Path:
    return bench_dir / f"{SET_FILES[set_name]}.jsonl"


def html_path(bench_dir: Path, set_name: str, page_id: str) -> Path:
    return bench_dir / f"{SET_FILES[set_name]}-html" / f"{page_id}.html.gz"


def load_set(bench_dir: Path, set_name: str) -> tuple[Page, ...]:
    """All pages of one dev set, sorted by id (cached per resolved path)."""
    if set_name not in SET_FILES:
        raise BenchDataError(f"unknown set {set_name!r} (known: {', '.join(SET_NAMES)})")
    return _load_set_cached(set_file(bench_dir, set_name).resolve(), set_name)


@lru_cache(maxsize=None)
def _load_set_cached(path: Path, set_name: str) -> tuple[Page, ...]:
    if not path.is_file():
        raise BenchDataError(f"{path} is missing")
    pages: list[Page] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pages.append(_page_from_row(set_name, row))
            except (ValueError, KeyError, TypeError) as exc:
                raise BenchDataError(f"{path}:{number}: unreadable record ({exc})") from None
    pages.sort(key=lambda page: page.id)
    return tuple(pages)


def _page_from_row(set_name: str, row: dict[str, object]) -> Page:
    page_id, url, raw = str(row["id"]), str(row.get("url") or ""), str(row["raw"])
    if set_name == "scrapinghub":
        return Page(set_name, page_id, url, raw, truth=str(row["truth"]))
    with_, without = row["with"], row["without"]
    if not isinstance(with_, list) or not isinstance(without, list):
        raise TypeError("'with' and 'without' must be lists")
    return Page(set_name, page_id, url, raw, with_=tuple(map(str, with_)), without=tuple(map(str, without)))




def decode_html(data: bytes) -> str:
    """Bytes of a page to text, as the CLI decodes an HTML file (:func:`cleaner.html.decode_html`:
    byte-order mark, then the declared charset, then UTF-8, then Windows-1252)."""
    from ..html import decode_html as decode

    return decode(data)[0]


def read_html(path: Path) -> str:
    try:
        with gzip.open(path, "rb") as handle:
            return decode_html(handle.read())
    except OSError as exc:
        raise BenchDataError(f"cannot read {path}: {exc}") from None


def load_html(bench_dir: Path, set_name: str, pages: tuple[Page, ...]) -> tuple[str, ...]:
    """The original HTML of each page, decoded, in the order of ``pages``."""
    return tuple(read_html(html_path(bench_dir, set_name, page.id)) for page in pages)
