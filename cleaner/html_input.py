"""HTML input: whether a document or a file is an HTML page, and the engine that extracts pages.

What every run needs of HTML input, apart from the extraction itself: :func:`looks_like_html`
and :func:`bytes_look_like_html` decide that an input is a page, and :class:`HtmlAwareEngine`
(what the CLI cleans with) sends pages to :mod:`cleaner.html` and text to the text engine. A run
over text dumps, the common case, never imports :mod:`cleaner.html`: its import makes four
dataclasses and its regexes (13 million instructions of a run's start-up). :mod:`cleaner.html`
re-exports everything here.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from . import patterns
from .document import Result
from .engine import _oversize
from .rules.base import Options
from .textio import decode

MAX_BYTES = Options.max_bytes  # the size guard's default (cleaner.api.clean)

_HTML_START = patterns.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)

#: Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bytes_look_like_html(data: bytes) -> bool:
    """:func:`looks_like_html` for undecoded bytes (any ASCII-compatible charset, or UTF-16/32 with a mark)."""
    head = data[:8192]
    for bom, name in _BOMS:
        if head.startswith(bom):
            return looks_like_html(head[len(bom) :].decode(name, errors="ignore"))
    return looks_like_html(head.decode("latin-1"))


def decode_input(data: bytes, mode: str = "auto", strict: bool = False) -> tuple[str, list[str]]:
    """The CLI's decoding of one file: an HTML page (``mode`` ``"html"``, or ``"auto"`` and the
    bytes are clearly a page) by :func:`decode_html`, anything else by the text policy
    (:func:`cleaner.textio.decode`)."""
    if mode == "html" or (mode == "auto" and bytes_look_like_html(data)):
        from .html import decode_html

        return decode_html(data, strict=strict)
    return decode(data, strict=strict)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is clearly an HTML page: it opens with markup and declares html/head/body early.

    Text dumps with leftover tags inside (which the H001 rule repairs) do not
    qualify: the first non-blank character must be ``<`` and a doctype,
    ``<html>``, ``<head>`` or ``<body>`` tag must appear in the first 4096 characters.
    """
    head = text[:4096].lstrip("\ufeff \t\r\n")
    return head.startswith("<") and _HTML_START.search(head) is not None


@dataclass
class HtmlAwareEngine:
    """What the CLI cleans with: HTML pages (forced, or detected) are extracted first.

    ``engine`` cleans text input; ``mode`` is ``"auto"`` (clearly-HTML input is
    extracted, see :func:`looks_like_html`), ``"html"`` (every input is treated as
    HTML) or ``"text"`` (never). The rule options are those the engine was made with.
    """

    engine: Any
    mode: str = "auto"
    enable: Sequence[str] | None = None
    disable: Sequence[str] = ()
    favor: str = "balanced"
    language: bool = True
    max_bytes: int | None = MAX_BYTES

    def is_html(self, text: str) -> bool:
        return self.mode == "html" or (self.mode == "auto" and looks_like_html(text))

    def clean(self, text: str, warnings: Iterable[str] = ()) -> Result:
        # A page over the size guard is passed through like any other document.
        if not self.is_html(text) or _oversize(text, self.max_bytes):
            return self.engine.clean(text, warnings)
        from .html import clean_extraction, engine_for, extract

        extraction = extract(text, self.favor)
        engine = engine_for(extraction, self.enable, self.disable, self.favor, self.language, self.max_bytes)
        return clean_extraction(extraction, engine, warnings)


def source_text(raw: str, result: Result) -> str:
    """The text ``result``'s decisions are positioned in: the extraction's for an HTML page, else ``raw``."""
    extraction = getattr(result, "extraction", None)
    return extraction.text if extraction is not None else raw
