"""Turning bytes or str into the normalised text the engine works on.

Policy (documented in the README, section "Bad input"):

* Bytes are decoded as UTF-8. A line that is not valid UTF-8 is decoded as
  Windows-1252 (a superset of the printable Latin-1 range; the five bytes
  cp1252 leaves undefined map to the Latin-1 control characters, so decoding
  never fails) and a warning is recorded. With ``strict=True`` the input is
  refused instead (:class:`InputError`).
* A leading byte-order mark is dropped. CRLF and lone CR become LF.
* NUL and the other C0/C1 control characters except TAB, LF and FF are
  dropped, with a warning. Zero-width and bidi characters are kept: they carry
  meaning in several scripts.
* A line holding only a form feed (``\\f``) separates articles: it is the
  marker the text output writes between articles, so cleaning cleaned output
  gives the same articles back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Line

ARTICLE_SEPARATOR = "\f"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?")


class InputError(ValueError):
    """Input that cannot be used as it is (shown to the user as a one-line message)."""


def decode(data: bytes, strict: bool = False) -> tuple[str, list[str]]:
    """Decode ``data`` by the policy above; returns the text and warnings."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        if strict:
            raise InputError(f"input is not valid UTF-8 (byte {exc.start})") from None
    parts: list[str] = []
    bad = 0
    for chunk in data.splitlines(keepends=True):
        try:
            parts.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            bad += 1
            parts.append(_cp1252(chunk))
    return "".join(parts), [f"{bad} line(s) were not valid UTF-8 and were decoded as Windows-1252"]


def _cp1252(chunk: bytes) -> str:
    try:
        return chunk.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return chunk.decode("latin-1")


@dataclass(frozen=True)
class Prepared:
    text: str  # the normalised input: offsets in decisions refer to it
    lines: tuple[Line, ...]
    hard_starts: frozenset[int]  # indices of lines that follow an article separator
    warnings: tuple[str, ...]


def normalise(text: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if _CONTROL.search(text):
        count = len(_CONTROL.findall(text))
        text = _CONTROL.sub("", text)
        warnings.append(f"{count} control character(s) were dropped")
    return text, warnings


def prepare(text: str) -> Prepared:
    """Normalise ``text`` and split it into non-empty lines with their offsets."""
    text, warnings = normalise(text)
    lines: list[Line] = []
    hard: set[int] = set()
    pos = 0
    blank = False
    separator_seen = False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            blank = True
            if ARTICLE_SEPARATOR in raw:
                separator_seen = True
        else:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            if separator_seen and lines:
                hard.add(len(lines))
            separator_seen = False
            lines.append(Line(len(lines) + 1, start, start + len(stripped), stripped, blank))
            blank = False
        pos += len(raw) + 1
    # Line numbers above count non-empty lines; give real 1-based input line numbers instead.
    numbered = _renumber(text, lines)
    return Prepared(text, numbered, frozenset(hard), tuple(warnings))


def _renumber(text: str, lines: list[Line]) -> tuple[Line, ...]:
    out = []
    line_no = 1
    last = 0
    for line in lines:
        line_no += text.count("\n", last, line.start)
        last = line.start
        out.append(Line(line_no, line.start, line.end, line.text, line.blank_before))
    return tuple(out)
