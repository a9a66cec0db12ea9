"""Poll and survey widgets: a question, its options and their vote counts."""

from __future__ import annotations

from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import word_count
from .base import DocView, Rule

# "33 (31%)", "31%", "33 votes (31 %)", "(31%)": the count line that follows each option.
_COUNT = patterns.compile(r"^\(?\s*\d[\d.,\s]*(?:\w{1,12}\s*)?(?:\(\s*\d[\d.,]*\s*%\s*\)|%)?\s*\)?$")
_PERCENT = patterns.compile(r"\d\s*%")
# "1. In your opinion, what ...?" / "Question 2: ...?"
_QUESTION = patterns.compile(r"\?\s*$")
_MAX_HEADER_WORDS = 4
_MAX_OPTION_WORDS = 30


def _is_count(text: str) -> bool:
    # Length first: _COUNT's adjacent runs of digits and spaces backtrack quadratically on a long line.
    return len(text) <= 40 and bool(_COUNT.match(text))


class Poll(Rule):
    """Remove poll widgets: header, question, options and their counts.

    Removes: a run of at least two (option, count) pairs, where a count line is a
    number with a percentage (``33 (31%)``, ``24%``), together with the question
    (a line ending in "?") just before the first option and a short header line
    before the question (``Poll conducted``, ``Umfrage``).
    Why: polls are interactive widgets; their options and tallies are not article text.
    Example: ``Poll conducted`` / ``1. What are the US goals?`` / ``Partnership`` / ``33 (31%)`` /
    ``Deterrence`` / ``30 (28%)`` all go.
    False positives: an article listing results as alternating label and percentage
    lines ("Yes" / "52%"): they are removed, together with the question before them.
    """

    code = "P001"
    name = "poll"
    summary = "Remove poll widgets: header, question, options and vote counts."
    keep = (
        "Turnout was 31% (up from 28%).",
        "What does this mean for voters? Analysts disagree on the answer.",
    )
    cases = (
        (
            "The summit ended.\nPoll conducted\n1. What are the goals?\nPartnership\n33 (31%)\nDeterrence\n30 (28%)\nFor business",
            "The summit ended.\n\nFor business",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        live = doc.live
        n = len(live)
        # A run of at least two pairs needs count lines with a percentage at k + 1 and k + 3;
        # a percentage needs a "%". Only such k are tried: the others give fewer than two pairs.
        pct = {m for m in doc.positions_containing("%") if _is_count(doc.text(live[m])) and _PERCENT.search(doc.text(live[m]))}
        candidates = sorted(m - 1 for m in pct if m >= 1 and m + 2 in pct)
        k = 0
        for k0 in candidates:
            if k0 < k:
                continue
            k = k0
            # find a run of (option, count) pairs starting at k
            j = k
            pairs = 0
            while (
                j + 1 < n
                and word_count(doc.text(live[j])) <= _MAX_OPTION_WORDS
                and not _is_count(doc.text(live[j]))
                and _is_count(doc.text(live[j + 1]))
                and _PERCENT.search(doc.text(live[j + 1]))
            ):
                pairs += 1
                j += 2
            if pairs < 2:
                continue
            first = k
            if first > 0 and _QUESTION.search(doc.text(live[first - 1])):
                first -= 1
                if first > 0 and word_count(doc.text(live[first - 1])) <= _MAX_HEADER_WORDS and not _QUESTION.search(
                    doc.text(live[first - 1])
                ) and not doc.text(live[first - 1]).endswith("."):
                    first -= 1
            for m in range(first, j):
                i = live[m]
                kind = "vote count" if m >= k and (m - k) % 2 == 1 else ("poll option" if m >= k else "poll question or header")
                yield self.remove(doc, i, kind)
            k = j
