"""Reader comment threads after an article: records of author, timestamp and comment text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Callable, Iterable

from .. import patterns
from ..accel import c_function
from ..document import Decision
from ..shapes import ends_clause, word_count
from .base import DocView, Rule
from .prefilter import doc_text

#: A time of day ("09:15", "5:40 pm", "15.21 Uhr") or a numeric date ("17.02.2020",
#: "10/12/2020", "2020-04-22"): what a comment's timestamp line carries, in any language.
# Not inside a longer number. Written to open with its first digit (every form does, and
# ``(?<![\d.:]\d)`` after it is ``(?<![\d.:])`` before it): sre then scans to the next digit
# instead of trying the lookbehind and three forms at every character (the same matches:
# tests/test_fastpaths.py).
_STAMP = patterns.compile(
    r"\d(?<![\d.:]\d)(?:\d?[:.]\d{2}(?![\d.])(?!\.\d)|\d?[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)|\d{3}-\d{2}-\d{2})"
)
_MAX_STAMP_WORDS = 9  # "October 22, 2020 at 5:17 pm", "wtorek, 11 maja 2021, 23:13"
_MAX_NAME_WORDS = 4  # "Tom B", "Petra Meier sagt:", "maria lopez"
_MAX_NAME_CHARS = 40
_MIN_RECORDS = 3  # one or two dated name lines are a byline or a quote; three make a thread
_MAX_GAP = 40  # lines from one record's header to the next: longer is not one thread
_MIN_ARTICLE_WORDS = 50  # words of running text before the thread: the article it follows
_MIN_BODY_WORDS = 5
#: What every timestamp contains (each alternative of ``_STAMP`` has a digit, one of ":./-"
#: and a digit in a row): one cheap search over the document finds the lines worth testing.
# A digit, a separator, a digit (``\d[:./-]\d``), written to open with the separator: sre then
# skips to the next separator in a tight loop instead of trying a match at every character
# (the same lines, ~25% faster; tests/test_fastpaths.py compares the two).
_STAMP_HINT = patterns.compile(r"[:./-](?<=\d[:./-])\d")
_STAMP_HINT_LINES = c_function("stamp_hint_lines")  # its search of a page's lines in C (the regex its reference)
_DIGITS = patterns.compile(r"\d+")
_SKELETON = patterns.compile(r"\d+|[^\W\d_]+")


def _skeleton(text: str) -> str:
    """The line's shape: digit runs as ``0``, letter runs as ``a``, punctuation kept."""
    return " ".join(_SKELETON.sub(lambda m: "0" if m.group()[0].isdigit() else "a", text).split())


def _is_stamp(text: str) -> bool:
    """A comment's timestamp: a time of day or a numeric date, and three digit runs in all
    (a date, or a time with a day count: "3 days ago at 09:15"). A bare time ("12:45", "12:45
    GMT") is how a live blog marks its entries, which are the article: it is not enough."""
    return (
        word_count(text) <= _MAX_STAMP_WORDS
        and _STAMP.search(text) is not None
        and len(_DIGITS.findall(text)) >= 3
        and not text.rstrip().endswith((".", "!", "?"))
    )


def _is_name(text: str) -> bool:
    """A commenter's name line: one to four words, no sentence or clause end (a trailing
    colon allowed: "Anna says:"), no timestamp."""
    stripped = text.strip()
    if not stripped or len(stripped) > _MAX_NAME_CHARS or not 1 <= word_count(stripped) <= _MAX_NAME_WORDS:
        return False
    body = stripped[:-1] if stripped.endswith(":") else stripped
    return not ends_clause(body) and _STAMP.search(body) is None and any(ch.isalpha() for ch in body)


class CommentThread(Rule):
    """Remove a thread of reader comments that follows the article.

    Removes: from the first to the last record of a thread, every line (a line the main-content
    rule removed before is recorded as this rule's instead; other rules' reasons stand): each record is a
    commenter's name line (one to four words, no sentence end) next to a timestamp line (a
    time of day or a numeric date, at most nine words), followed by the comment's text. Three
    records or more whose timestamp lines have one shape (the same sequence of digit runs,
    letter runs and punctuation: one template), each at most 40 lines from the next, after
    at least 50 words of running text, make a thread. The last comment runs until the next
    line that is already removed, or as many lines as the longest comment before it.
    Why: comment threads are written as prose, so the main-content model keeps them; the
    repeated record template (name, timestamp, text) is what sets them apart from the
    article.
    Example: ``Tom B`` / ``3 days ago at 09:15 am`` / ``I think the plan ...`` three times
    after the article: the three comments go.
    False positives: an article made of dated entries that each open with a short name line
    (an interview transcript with time codes, a live blog whose entries carry a one- to
    four-word heading next to the time) after 50 words of introduction.
    """

    code = "M002"
    name = "comment-thread"
    summary = "Remove reader comment threads (name, timestamp and text, three times or more) after an article."
    keep = (
        "The council met on Monday and voted on the budget for the next year after a long debate.\n"
        "Anna Berg\n12:30\nThe meeting opened with a statement by the mayor about the schedule.",
        # A live blog: entries marked by a bare time of day are the article.
        "The summit opened this morning in the capital, and leaders of twelve countries are expected "
        "to speak before the final statement, which diplomats have negotiated for weeks. Follow the "
        "day with us here as it happens, with reports from our correspondents on the ground.\n"
        "Mayor speaks\n12:30\nThe mayor welcomed the delegations and thanked the police for their work.\n"
        "Talks begin\n13:05\nThe first session started behind closed doors, an hour late.\n"
        "Press conference\n14:40\nThe hosts said the talks were constructive and would go on tomorrow.",
    )
    cases = (
        (
            "The council met on Monday and voted on the budget for the next year after a long debate "
            "that ran late into the evening, and the members agreed to meet again in two weeks to settle "
            "the remaining questions about the schools and the roads. The mayor said she expects a "
            "vote before the end of the month.\n"
            "Anna\n3 days ago at 09:15 am\nI think this is a good decision for the town and its people.\n"
            "Ben K\n3 days ago at 10:02 am\nNobody asked the residents what they want, as usual here.\n"
            "carla99\n3 days ago at 11:02 pm\nThe roads have needed work for years and nothing happened.",
            "The council met on Monday and voted on the budget for the next year after a long debate "
            "that ran late into the evening, and the members agreed to meet again in two weeks to settle "
            "the remaining questions about the schools and the roads. The mayor said she expects a "
            "vote before the end of the month.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        segments = doc.segments()
        # A segment's input lines run to the line before the next segment's first live line (the
        # document's last line for the last one): a thread whose later records the main-content
        # rule has already removed is still a thread.
        ends = [nxt[0] - 1 for nxt in segments[1:]] + [len(doc.lines) - 1]
        for segment, end in zip(segments, ends):
            yield from self._check_segment(doc, segment, end)

    def _check_segment(self, doc: DocView, segment: list[int], end: int) -> Iterable[Decision]:
        first, last = segment[0], end
        if last - first + 1 < 3 * _MIN_RECORDS:  # name, timestamp and text, three times
            return
        # Headers are found among all the segment's input lines, removed ones included: the
        # main-content rule may already have taken a name or a timestamp line.
        stamps = [i for i in _lines_matching(doc, first, last, _STAMP_HINT, _STAMP_HINT_LINES) if _is_stamp(doc.text(i))]
        if len(stamps) < _MIN_RECORDS:
            return
        by_shape: dict[str, list[tuple[int, int]]] = {}
        for i in stamps:
            header = _header(doc, i, first, last)
            if header is not None:
                by_shape.setdefault(_skeleton(doc.text(i)), []).append(header)
        threads = [thread for headers in by_shape.values() for thread in _threads(headers)]
        if not threads:
            return
        # Words of the article's running lines (8 words or more) before each segment position,
        # counted once: each thread reads its count with one lookup, whatever their number.
        before = list(accumulate((n if (n := doc.word_count(i)) >= 8 else 0 for i in segment), initial=0))
        removed: set[int] = set()
        for thread in threads:
            start = thread[0][0]
            if before[bisect_left(segment, start)] < _MIN_ARTICLE_WORDS:
                continue
            stop = _thread_end(doc, last, thread)
            reason = f"reader comment thread ({len(thread)} comments with timestamps)"
            # every line of the thread, the ones the main-content rule removed before included:
            # the engine records this reason for them instead (and the over-deletion guard no
            # longer counts them as that rule's); lines other rules removed keep their reason
            for i in range(start, stop + 1):
                if i not in removed:  # threads of two shapes may overlap
                    removed.add(i)
                    yield self.remove(doc, i, reason)


def _thread_end(doc: DocView, last: int, thread: list[tuple[int, int]]) -> int:
    """The last line of a thread: its last comment runs until the next line already removed, or
    as many lines as the longest comment before it (never past ``last``, the segment's end)."""
    # lines from a header's end to the next header's start: the comment's lines, plus one
    longest = max(nxt[0] - end - 1 for (_, end), nxt in zip(thread, thread[1:]))
    stop = end = thread[-1][1]
    limit = min(last, end + longest)
    while stop < limit and doc.is_live(stop + 1):
        stop += 1
    return stop


def _lines_matching(
    doc: DocView, first: int, last: int, pattern: re.Pattern[str], c_lines: Callable[..., list[int]] | None = None
) -> list[int]:
    """Indices from ``first`` to ``last`` (live or not) whose text ``pattern`` matches: read off
    one search of the whole document (shared by its segments) instead of one per line. Every
    match of ``pattern`` holds a digit (the document's lines without one are not searched)."""
    found = doc_text(doc).lines_matching(pattern, digit=True, c_lines=c_lines)
    return found[bisect_left(found, first) : bisect_right(found, last)]


def _header(doc: DocView, stamp: int, first: int, last: int) -> tuple[int, int] | None:
    """(first line, last line) of a comment record's header around a timestamp line, when a
    name line sits next to it and comment text follows; None otherwise."""
    for lo, hi in ((stamp - 1, stamp), (stamp, stamp + 1)):
        name = lo if hi == stamp else hi
        if not first <= name <= last or not _is_name(doc.text(name)):
            continue
        body = hi + 1
        if body <= last and word_count(doc.text(body)) >= _MIN_BODY_WORDS:
            return lo, hi
    return None


def _threads(headers: list[tuple[int, int]]) -> Iterable[list[tuple[int, int]]]:
    """Runs of headers of one shape, each within ``_MAX_GAP`` lines of the next, of at least
    ``_MIN_RECORDS``."""
    run: list[tuple[int, int]] = []
    for header in headers:
        if run and header[0] - run[-1][1] > _MAX_GAP:
            if len(run) >= _MIN_RECORDS:
                yield run
            run = []
        if not run or header[0] > run[-1][1]:
            run.append(header)
    if len(run) >= _MIN_RECORDS:
        yield run
