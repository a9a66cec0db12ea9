"""Turning bytes or str into the normalised text the engine works on.

Policy (documented in the README, section "Bad input"):

* Bytes are decoded as UTF-8. A line that is not valid UTF-8 is decoded as
  Windows-1252 (a superset of the printable Latin-1 range; the five bytes
  cp1252 leaves undefined map to the Latin-1 control characters, so decoding
  never fails) and a warning is recorded. With ``strict=True`` the input is
  refused instead (:class:`InputError`). Input that starts with a UTF-16
  byte-order mark is decoded as UTF-16 (strict or not) when it is valid UTF-16.
  Mojibake (UTF-8 read as Latin-1 upstream: ``Ã©``) is not guessed at: it is
  text, and stays as it is.
* A leading byte-order mark is dropped. CRLF and lone CR become LF, and so do
  the other line breaks Unicode defines (NEL U+0085, LINE SEPARATOR U+2028,
  PARAGRAPH SEPARATOR U+2029): one input line is one paragraph.
* NUL and the other C0/C1 control characters except TAB, LF and FF are
  dropped, with a warning. Lone surrogates (only a ``str`` can hold them) become
  U+FFFD, with a warning: they cannot be written as UTF-8. Zero-width and bidi
  characters are kept: they carry meaning in several scripts.
* A line holding only a form feed (``\\f``) separates articles: it is the
  marker the text output writes between articles, so cleaning cleaned output
  gives the same articles back.
"""

from __future__ import annotations

from typing import NamedTuple

from . import patterns
from .accel import c_function
from .document import Line

ARTICLE_SEPARATOR = "\f"
_CONTROL = patterns.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_NEWLINES = patterns.compile("\r\n?|[\x85\u2028\u2029]")
_SURROGATE = patterns.compile("[\ud800-\udfff]")
# either of the two: one scan of a clean text instead of two
_CONTROL_OR_SURROGATE = patterns.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class InputError(ValueError):
    """Input that cannot be used as it is (shown to the user as a one-line message)."""


def decode(data: bytes, strict: bool = False) -> tuple[str, list[str]]:
    """Decode ``data`` by the policy above; returns the text and warnings."""
    if data.startswith(_UTF16_BOMS) and not data.startswith(b"\xff\xfe\x00\x00"):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the bytes go through the policy below
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark, even when a later line is not UTF-8
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
    except UnicodeDecodeError:
        # One of the five bytes cp1252 leaves undefined: that byte alone becomes its Latin-1
        # control character (dropped later, with a warning); the rest of the line stays cp1252.
        return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in chunk)


_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


class Prepared(NamedTuple):
    """A document made ready for the rules. A named tuple, not a frozen dataclass: making that
    was 0.6 ms of every process's start-up, and its ``__init__`` set each field through
    ``object.__setattr__``."""

    text: str  # the normalised input: offsets in decisions refer to it
    lines: tuple[Line, ...]
    hard_starts: frozenset[int]  # indices of lines that follow an article separator
    warnings: tuple[str, ...]


def normalise(text: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = _NEWLINES.sub("\n", text)
    if not _holds_control(text):
        return text, warnings
    text, surrogates, controls = _scrub(text)
    if surrogates:
        warnings.append(f"{surrogates} lone surrogate(s) were replaced by U+FFFD")
    if controls:
        warnings.append(f"{controls} control character(s) were dropped")
    return text, warnings


def _scrub_py(text: str) -> tuple[str, int, int]:
    """``text`` with each lone surrogate replaced by U+FFFD and each control character dropped,
    and how many of each: the reference of the C ``scrub``, which does it in one pass instead of
    the regexes' six (tests/test_robustness.py compares them)."""
    surrogates = len(_SURROGATE.findall(text))
    if surrogates:
        text = _SURROGATE.sub("\ufffd", text)
    controls = len(_CONTROL.findall(text))
    if controls:
        text = _CONTROL.sub("", text)
    return text, surrogates, controls


def prepare(text: str) -> Prepared:
    """Normalise ``text`` and split it into non-empty lines with their offsets.

    ``Line.number`` is the real 1-based input line number (blank lines count).
    """
    text, warnings = normalise(text)
    lines, hard = (_split_lines_py if _split_lines is None else _split_lines)(text, Line, ARTICLE_SEPARATOR)
    return Prepared(text, tuple(lines), frozenset(hard), tuple(warnings))


def _split_lines_py(text: str, line_type: type, separator: str) -> tuple[list[Line], list[int]]:
    """The lines of ``text`` (split at "\n", stripped, the empty ones dropped) and the indices of
    the lines after a blank line holding ``separator`` (the first line excepted): the reference
    of the C ``_speedups.split_lines`` (tests/test_speedups.py compares them)."""
    lines: list[Line] = []
    append = lines.append
    make = tuple.__new__  # Line is a named tuple: build it without the keyword-argument layer
    hard: list[int] = []
    pos = 0
    number = 0
    blank = False
    separator_seen = False
    for raw in text.split("\n"):
        number += 1
        stripped = raw.strip()
        if stripped:
            # str.strip returns the very same object when there is nothing to strip.
            start = pos if stripped is raw else pos + len(raw) - len(raw.lstrip())
            if separator_seen:
                if lines:
                    hard.append(len(lines))
                separator_seen = False
            append(make(line_type, (number, start, start + len(stripped), stripped, blank)))
            blank = False
        else:
            blank = True
            if separator in raw:
                separator_seen = True
        pos += len(raw) + 1
    return lines, hard


#: The C loop (None: the Python one).
_split_lines = c_function("split_lines")
#: normalise()'s repair of a text holding controls or lone surrogates: one C pass when built.
_scrub = c_function("scrub") or _scrub_py
#: Whether a text holds a character normalise() replaces or drops: one C pass when the accelerator
#: is built (tests/test_robustness.py compares it with the class over every code point).
_holds_control = c_function("holds_control") or (lambda text: _CONTROL_OR_SURROGATE.search(text) is not None)


def _holds_surrogate_py(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (which UTF-8 cannot encode): the reference of the
    C ``holds_surrogate`` (tests/test_robustness.py compares them over every code point)."""
    return _SURROGATE.search(text) is not None


#: What each JSON output line asks (:func:`_holds_surrogate_py`); the C pass reads a text stored
#: two bytes a character eight characters at a time, and answers for one stored a byte a
#: character without reading it.
holds_surrogate = c_function("holds_surrogate") or _holds_surrogate_py
