"""The Python API: ``clean`` returns the article set, ``clean_text`` plain text."""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from .document import Result
from .engine import Engine
from .registry import select
from .rules.base import Options
from .textio import decode


@lru_cache(maxsize=32)
def _engine(enable: tuple[str, ...] | None, disable: tuple[str, ...], options: Options) -> Engine:
    # Engines are immutable (rules are stateless), so sharing one per configuration is safe.
    return Engine(select(list(enable) if enable else None, list(disable)), options)


def make_engine(
    enable: Sequence[str] | None = None,
    disable: Sequence[str] = (),
    favor: str = "balanced",
    language: bool = True,
    max_bytes: int | None = Options.max_bytes,
) -> Engine:
    options = Options(favor=favor, language=language, max_bytes=max_bytes)
    return _engine(tuple(enable) if enable else None, tuple(disable), options)


def clean(
    raw: str | bytes,
    *,
    enable: Sequence[str] | None = None,
    disable: Sequence[str] = (),
    favor: str = "balanced",
    language: bool = True,
    max_bytes: int | None = Options.max_bytes,
) -> Result:
    """Clean one raw dump; returns a :class:`~cleaner.document.Result` (articles + decisions).

    A dump over ``max_bytes`` (UTF-8 size; None: no limit) is passed through uncleaned and flagged.
    """
    warnings: list[str] = []
    if isinstance(raw, bytes):
        raw, warnings = decode(raw)
    return make_engine(enable, disable, favor, language, max_bytes).clean(raw, warnings)


def clean_text(raw: str | bytes, **kwargs) -> str:
    """Clean one raw dump and return the text output (title, paragraphs, article separators)."""
    kwargs.setdefault("language", False)
    return clean(raw, **kwargs).text
