"""Teasers: truncated summaries of an article, on listing pages and above article bodies.

A teaser is a line cut short with a truncation marker (``[…]``, ``[...]``, ``(…)``) or
closed by a "read more" link. When the article it announces follows in the dump, the
teaser goes and the article starts there (this is how a listing page becomes several
articles). When its article never follows, the teaser is an orphan and goes too.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..document import Decision
from ..shapes import WORD, strip_truncation
from .base import DocView, Rule

_READ_MORE = re.compile(
    r"(?:\s*[-–—|»›>]*\s*)(?:read more|continue reading|read the full (?:story|article)|full story|"
    r"weiterlesen|mehr lesen|lire la suite|en savoir plus|leer más|seguir leyendo|continua a leggere|"
    r"leia mais|lees meer|czytaj dalej|читать далее|подробнее)\s*[.…»›>]*\s*$",
    re.I,
)
_TAIL_CHARS = 60  # a "read more" link sits in the last characters of a teaser
_KEY_WORDS = 6  # words that index a line's opening
_MIN_MATCH_WORDS = 8  # a teaser must share at least this many opening words with its article
_LOOKAHEAD_LINES = 4  # an article opening may spread over this many lines (standfirst, lead)


def teaser_body(text: str) -> str | None:
    """The teaser's text without its truncation marker or "read more" link; None if not a teaser."""
    body = strip_truncation(text)
    if body is None:
        # Only the tail can hold the link: searching it alone keeps this linear in the line length.
        offset = max(0, len(text) - _TAIL_CHARS)
        m = _READ_MORE.search(text, offset)
        if not m or m.start() == 0:
            return None
        body = text[: m.start()].rstrip()
    return body


def _words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def find_article_start(doc: DocView, k: int, body: str, index: dict[tuple[str, ...], list[int]]) -> int | None:
    """Position in ``doc.live`` after ``k`` where the article announced by ``body`` begins."""
    words = _words(body)
    if words:
        words = words[:-1]  # the last word may be cut mid-word
    if len(words) < _MIN_MATCH_WORDS:
        return None
    live = doc.live
    for m in index.get(tuple(words[:_KEY_WORDS]), ()):
        if m <= k or teaser_body(doc.text(live[m])) is not None:
            continue
        following: list[str] = []
        for q in range(m, min(len(live), m + _LOOKAHEAD_LINES)):
            following.extend(_words(doc.text(live[q])))
            if len(following) >= len(words):
                break
        if following[: len(words)] == words:
            return m
    return None


def opening_index(doc: DocView) -> dict[tuple[str, ...], list[int]]:
    index: dict[tuple[str, ...], list[int]] = {}
    for m, i in enumerate(doc.live):
        key = tuple(_words(doc.text(i)[:200])[:_KEY_WORDS])
        if len(key) == _KEY_WORDS:
            index.setdefault(key, []).append(m)
    return index


class Teaser(Rule):
    """Remove truncated teasers; start a new article where a teaser's article follows.

    Removes: lines ending in ``[…]``/``[...]``/``(…)`` or in a "read more" link
    (``Weiterlesen``, ``Lire la suite``) — both those whose article follows
    (the article starts at the line that continues the teaser's words) and
    orphans whose article never appears.
    Why: a teaser repeats the opening of an article that follows, or announces one
    that is not there; either way it is not article text.
    Example: ``Latvian lawmakers have cited potential risk … Latvian lawmakers have advanced legislation […]``
    followed by the standfirst and the body: the teaser goes, an article starts at the standfirst.
    False positives: a paragraph that really ends with an editorial ellipsis in brackets
    (``… and so on […]``) is removed; a plain trailing "…" is never treated as a teaser.
    """

    code = "T001"
    name = "teaser"
    summary = "Remove truncated teasers; split listing pages into articles where teasers' articles follow."
    keep = (
        "He paused… and then spoke again.",
        "The list went on and on...",
        "Read more about the plan in the report published on Monday.",
    )
    cases = (
        (
            "Lawmakers have cited risk to safety Lawmakers have advanced legislation that would ban organized trips to the region, citing […]\n"
            "Lawmakers have cited risk to safety\n"
            "Lawmakers have advanced legislation that would ban organized trips to the region, citing potential risk.\n"
            "The parliament approved it.",
            "Lawmakers have cited risk to safety\n\nLawmakers have advanced legislation that would ban organized trips to the region, citing potential risk.\n\nThe parliament approved it.",
        ),
        ("Body of the article.\nAn unrelated story about a storm that hit the coast last night and left many homes without […]", "Body of the article."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        live = doc.live
        index: dict[tuple[str, ...], list[int]] | None = None
        for k, i in enumerate(live):
            body = teaser_body(doc.text(i))
            if body is None:
                continue
            if index is None:
                index = opening_index(doc)
            start = find_article_start(doc, k, body, index)
            if start is None:
                yield self.remove(doc, i, "teaser whose article never follows")
            else:
                yield self.remove(doc, i, f"teaser of the article that follows (line {doc.lines[live[start]].number})")
                if k > 0:
                    yield self.split(doc, live[start], "a teaser announced this article")
