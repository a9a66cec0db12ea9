"""Clean corpora with Dask: bags of JSON Lines, bags of dumps, dataframe columns.

Install with ``pip install 'cleaner[dask]'`` (``dask[bag]`` and ``distributed``; dataframes
also need pandas). Every function is lazy, like Dask itself: it returns a new collection and
nothing runs until ``.compute()`` / ``.to_textfiles()``. Each partition builds its engine once
(per process: engines are cached), so a partition of many records pays the set-up once.

    import dask.bag as db
    from dask.distributed import Client, LocalCluster
    from cleaner.adapters.dask import clean_jsonl_bag

    client = Client(LocalCluster(n_workers=4, threads_per_worker=1))
    lines = db.read_text("dumps/*.jsonl.gz", blocksize=None)          # one element per line
    clean_jsonl_bag(lines, text_field="raw").to_textfiles("clean/*.jsonl")

``clean_jsonl_bag`` gives, line for line, exactly what ``clean --jsonl`` writes (same contract:
one output line per input line, in order, input fields kept, ``articles`` added, ``error`` on a
record that cannot be processed). Use processes (the default of ``LocalCluster``), not threads:
the cleaner is pure Python, so threads share one core.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

try:
    import dask.bag as _db
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("cleaner.adapters.dask needs Dask: pip install 'cleaner[dask]'") from exc

__all__ = ["clean_bag", "clean_jsonl_bag", "clean_series", "clean_dataframe"]


def _selection(enable: Sequence[str] | None, disable: Sequence[str]) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """The rule selection as tuples, which Dask ships to the workers and hashes in task keys."""
    return (tuple(enable) if enable else None), tuple(disable)


def _engine(enable: Sequence[str] | None, disable: Sequence[str], favor: str, language: bool) -> Any:
    from cleaner.api import make_engine

    return make_engine(list(enable) if enable else None, list(disable), favor, language)


def _jsonl_partition(
    lines: Iterable[str | bytes], text_field: str, explain: bool, enable: Any, disable: Any, favor: str, language: bool
) -> list[str]:
    from cleaner.cli import process_jsonl

    engine = _engine(enable, disable, favor, language)
    raw = [line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line for line in lines]
    return [out.decode("utf-8").rstrip("\n") for out, _ in process_jsonl(raw, engine, text_field, explain)]


def clean_jsonl_bag(
    lines: "_db.Bag",
    text_field: str = "text",
    *,
    explain: bool = False,
    enable: Sequence[str] | None = None,
    disable: Sequence[str] = (),
    favor: str = "balanced",
    language: bool = False,
) -> "_db.Bag":
    """A bag of JSON Lines lines (str or bytes, e.g. from ``db.read_text``) -> a bag of output
    lines (str, without newline), record for record what ``clean --jsonl`` writes.

    ``language`` is off by default, as in ``clean --jsonl``. Note: the ``line`` of an error
    record counts from 1 within each partition.
    """
    return lines.map_partitions(_jsonl_partition, text_field, explain, *_selection(enable, disable), favor, language)


def _dump_partition(
    items: Iterable[Any], text_field: str, explain: bool, enable: Any, disable: Any, favor: str, language: bool
) -> list[dict[str, Any]]:
    engine = _engine(enable, disable, favor, language)
    out: list[dict[str, Any]] = []
    for item in items:
        record: dict[str, Any] = dict(item) if isinstance(item, dict) else {}
        text = item.get(text_field) if isinstance(item, dict) else item
        if isinstance(text, bytes):
            from cleaner.textio import decode

            text, _ = decode(text)
        if not isinstance(text, str):
            record["error"] = f"field {text_field!r} is {'missing' if text is None else 'not a string'}"
            out.append(record)
            continue
        try:
            record.update(engine.clean(text).to_dict(explain=explain))
        except Exception as exc:  # a bug in a rule must not lose the record
            record["error"] = f"internal error: {type(exc).__name__}: {exc}"
        out.append(record)
    return out


def clean_bag(
    items: "_db.Bag",
    text_field: str = "text",
    *,
    explain: bool = False,
    enable: Sequence[str] | None = None,
    disable: Sequence[str] = (),
    favor: str = "balanced",
    language: bool = False,
) -> "_db.Bag":
    """A bag of dumps (str/bytes) or of records (dicts with the dump in ``text_field``) -> a bag
    of dicts: the record's fields plus ``articles`` (and ``removed`` with ``explain``), or an
    ``error``."""
    return items.map_partitions(_dump_partition, text_field, explain, *_selection(enable, disable), favor, language)


def _series_partition(series: Any, explain: bool, enable: Any, disable: Any, favor: str, language: bool) -> Any:
    from cleaner.output import json_text  # (json.dumps' text, as clean --jsonl writes it)

    engine = _engine(enable, disable, favor, language)

    def one(text: Any) -> str:
        if not isinstance(text, str):
            return json.dumps({"error": "not a string"})
        try:
            return json_text(engine.clean(text).to_dict(explain=explain))
        except Exception as exc:  # pragma: no cover - a bug in a rule
            return json.dumps({"error": f"internal error: {type(exc).__name__}: {exc}"})

    return series.map(one)


def clean_series(
    series: Any, *, explain: bool = False, enable: Sequence[str] | None = None, disable: Sequence[str] = (),
    favor: str = "balanced", language: bool = False,
) -> Any:
    """A Dask series of dumps -> a series of JSON strings ``{"articles": [...]}`` (needs pandas)."""
    return series.map_partitions(
        _series_partition, explain, *_selection(enable, disable), favor, language, meta=(series.name, "object")
    )


def clean_dataframe(df: Any, column: str = "text", output: str = "articles", **kwargs: Any) -> Any:
    """``df`` with a column ``output`` holding the JSON of each row's cleaned ``column`` (needs pandas)."""
    return df.assign(**{output: clean_series(df[column], **kwargs)})
