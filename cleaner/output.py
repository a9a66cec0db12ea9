"""Writing articles out: the text format and JSON records (:func:`json_text`).

Text format: for each article, its title line (when there is one) and a blank
line, then its body paragraphs separated by one blank line. Articles are
separated by a line holding a single form feed character (``\\f``, the page
break of plain text), which the reader recognises again, so cleaning the text
output gives the same output.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable, Sequence

from .accel import c_function
from .document import Article
from .textio import ARTICLE_SEPARATOR


def format_article(article: Article) -> str:
    blocks = ([article.title] if article.title else []) + list(article.paragraphs)
    return "\n\n".join(blocks)


def format_text(articles: Sequence[Article]) -> str:
    """The text output of a dump (no trailing newline; empty when there is no article)."""
    return f"\n\n{ARTICLE_SEPARATOR}\n\n".join(format_article(a) for a in articles)


def json_text(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False)``, the same text faster: what ``clean --jsonl`` and the
    Dask adapter write for each record."""
    return _json_encoder()(obj)


@functools.cache
def _json_encoder() -> Callable[[Any], str]:
    """json's C encoder (the one ``json.dumps`` uses, ``json.encoder.c_make_encoder``) with the
    accelerator's string encoder (``json_string``) in place of CPython's, when both are there and
    the encoder takes the arguments of Python 3.11-3.13's; else ``json.dumps`` itself.
    tests/test_cli.py compares the two on generated records; tests/test_speedups.py checks that
    the fast one is in use."""
    quote = c_function("json_string")
    make = getattr(json.encoder, "c_make_encoder", None)
    if quote is not None and make is not None:
        try:  # markers, default, encoder, indent, separators, sort_keys, skipkeys, allow_nan
            chunks = make(None, json.JSONEncoder().default, quote, None, ": ", ", ", False, False, True)
        except TypeError:
            pass
        else:
            return lambda obj: "".join(chunks(obj, 0))
    return functools.partial(json.dumps, ensure_ascii=False)
