"""Teasers: truncated summaries of an article, on listing pages and above article bodies.

A teaser is a line cut short with a truncation marker (``[…]``, ``[...]``, ``(…)``) or
closed by a "read more" link. When the article it announces follows in the dump, the
teaser goes and the article starts there (this is how a listing page becomes several
articles). When its article never follows, the teaser is an orphan and goes too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import folded_words, strip_truncation, word_keys
from .base import DocView, Rule
from .prefilter import doc_text, register_unsafe

#: The "read more" links, in the order the regex tries them.
_READ_MORE_PHRASES = (
    "read more", "continue reading", "read the full story", "read the full article", "full story",
    "weiterlesen", "mehr lesen", "lire la suite", "en savoir plus", "leer más", "seguir leyendo", "continua a leggere",
    "leia mais", "lees meer", "czytaj dalej", "читать далее", "подробнее",
)  # fmt: skip
_READ_MORE = patterns.compile(
    r"(?:\s*[-–—|»›>]*\s*)(?:" + "|".join(map(re.escape, _READ_MORE_PHRASES)) + r")\s*[.…»›>]*\s*$",
    re.I,
)
_TAIL_CHARS = 60  # a "read more" link sits in the last characters of a teaser
_KEY_WORDS = 6  # words that index a line's opening
_MIN_MATCH_WORDS = 8  # a teaser must share at least this many opening words with its article
_LOOKAHEAD_LINES = 4  # an article opening may spread over this many lines (standfirst, lead)
#: Lines sharing a teaser's opening words that are tried as its article's start, nearest first.
#: Real pages have one or two; the cap keeps a dump of T teasers and L lines that all open with
#: the same words at O(T + L) instead of O(T x L).
_MAX_TRIED = 16


# Fast exact pre-checks (necessary conditions) in front of the two regexes, which cost far
# more than the checks when run on every line of a dump:
# - a bracket marker ends the right-stripped line with "]" or ")";
# - a "read more" link leaves, once the trailing [.…»›>] run and whitespace are stripped, a
#   line ending in one of the phrases, case-insensitively. Upper-then-lower folds every
#   character that ``re.IGNORECASE`` equates with a letter of the phrases to that letter, one
#   character for one, except "İ" (which becomes two): a tail holding it takes the regex path
#   (checked over all of Unicode in tests/test_fastpaths.py).
_READ_MORE_TRAIL = ".…»›>"
_READ_MORE_KEYS = tuple(p.upper().lower() for p in _READ_MORE_PHRASES)
_READ_MORE_LONGEST = max(map(len, _READ_MORE_PHRASES))


def _may_end_with_read_more(text: str) -> bool:
    tail = text.rstrip().rstrip(_READ_MORE_TRAIL).rstrip()[-_READ_MORE_LONGEST:]
    return "\u0130" in tail or tail.upper().lower().endswith(_READ_MORE_KEYS)


def teaser_body(text: str) -> str | None:
    """The teaser's text without its truncation marker or "read more" link; None if not a teaser."""
    tail = text.rstrip()
    body = strip_truncation(text) if tail.endswith(("]", ")")) else None
    if body is None:
        if not _may_end_with_read_more(tail):
            return None
        # Only the tail can hold the link: searching it alone keeps this linear in the line length.
        offset = max(0, len(text) - _TAIL_CHARS)
        m = _READ_MORE.search(text, offset)
        if not m or m.start() == 0:
            return None
        body = text[: m.start()].rstrip()
    return body


# Characters that re.IGNORECASE equates with a letter of the phrases while ``str.lower`` does
# not map them to it ("ſ", "ı", "İ" and old Cyrillic variants); see tests/test_fastpaths.py.
_LOWER_UNSAFE = patterns.compile("[\u017f\u0131\u0130\u1c80-\u1c88]")
#: The characters of _LOWER_UNSAFE, searched one by one over a page (``in`` is a memchr-like scan,
#: and free for a character wider than the page's storage; the class costs sre a try per position).
_LOWER_UNSAFE_CHARS = ("\u017f", "\u0131", "\u0130", *map(chr, range(0x1C80, 0x1C89)))


#: What a teaser line holds in lower case: a truncation marker (every bracket marker has one) or
#: a "read more" phrase; searched with the prefilters' literals (cleaner/rules/prefilter.py).
_TEASER_KEYS = ("…", "...", *_READ_MORE_KEYS)
#: _LOWER_UNSAFE_CHARS but "İ", as the prefilters' search looks for them in the lower case (a
#: line holds one of these iff its lower case does; "İ" is looked for in the text itself).
_LOWER_UNSAFE_LOW = tuple(ch for ch in _LOWER_UNSAFE_CHARS if ch != "\u0130")
register_unsafe(_LOWER_UNSAFE_LOW)  # (a plain page answers teaser_candidates' forced() without a search)


def teaser_candidates(doc: DocView) -> frozenset[int]:
    """Positions in ``doc.live`` whose line may be a teaser: a superset, read off the document's
    shared literal search (lines holding a character the lower-cased search cannot vouch for,
    such as "ſ" or "İ", are in it whatever they hold). Advertising and Teaser both ask."""
    text = doc_text(doc)
    lines = set(text.lines(_TEASER_KEYS)).union(text.forced(_LOWER_UNSAFE_LOW))
    alive = doc.alive
    live = doc.live
    return frozenset(bisect_left(live, i) for i in lines if alive[i])


def cached_teaser_body(doc: DocView, i: int) -> str | None:
    """``teaser_body(doc.text(i))``, memoised for the document (Teaser and Advertising both ask)."""
    return doc.cache.get(teaser_body, doc.text(i))


def find_article_start(doc: DocView, k: int, body: str, index: dict[str, list[int]]) -> int | None:
    """Position in ``doc.live`` after ``k`` where the article announced by ``body`` begins."""
    words = folded_words(body)
    if words:
        words = words[:-1]  # the last word may be cut mid-word
    if len(words) < _MIN_MATCH_WORDS:
        return None
    live = doc.live
    positions = index.get(" ".join(words[:_KEY_WORDS]), ())
    # Positions are in ascending order: skip those up to k at once rather than one by one.
    first = bisect_right(positions, k) if positions else 0
    for m in positions[first : first + _MAX_TRIED] if positions else ():
        if cached_teaser_body(doc, live[m]) is not None:
            continue
        following: list[str] = []
        for q in range(m, min(len(live), m + _LOOKAHEAD_LINES)):
            following.extend(folded_words(doc.text(live[q])))
            if len(following) >= len(words):
                break
        if following[: len(words)] == words:
            return m
    return None


#: A line's opening: its first _KEY_WORDS folded words, of its first _OPENING_CHARS characters.
_OPENING_CHARS = 200


def opening_index(doc: DocView) -> dict[str, list[int]]:
    """The positions in ``doc.live`` of the lines, by their opening (those of _KEY_WORDS words)."""
    index: dict[str, list[int]] = {}
    for m, key in enumerate(word_keys(doc.texts, doc.live, _KEY_WORDS, 0, _OPENING_CHARS, _KEY_WORDS)):
        if key is not None:
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
        index: dict[str, list[int]] | None = None
        candidates = teaser_candidates(doc)
        for k in sorted(candidates):  # the candidate positions, in order
            i = live[k]
            body = cached_teaser_body(doc, i)
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
