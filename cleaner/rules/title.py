"""The headline of each article."""

from __future__ import annotations

from typing import Iterable

from ..document import Decision
from ..shapes import is_headline_shaped
from .base import HEADLINE_MAX_WORDS, DocView, Rule


class Headline(Rule):
    """Take an article's first line as its headline when it is set apart like one.

    Removes: nothing from the article; the first line of each article moves from the
    body to the ``title`` field when it is headline-shaped (at most 20 words, no
    final punctuation, not a quotation), a blank line separates it from what
    follows, and body text follows it.
    Why: canonical articles carry the headline apart from the body.
    Example: ``Russia and the US seek a stable relationship`` followed by a blank line and the lead.
    False positives: a standfirst without final punctuation set apart by a blank line
    becomes the title (the text output is the same: title line, blank line, body).
    """

    code = "X001"
    name = "headline"
    summary = "Take a headline-shaped first line set apart by a blank line as the title."
    stage = "structure"
    keep = ("The first line ends like a sentence.\n\nThe body follows.",)
    cases = (("Russia and the US seek a stable relationship\n\nThe body of the article follows here.", "The body of the article follows here."),)

    def check(self, doc: DocView) -> Iterable[Decision]:
        for segment in doc.segments():
            if len(segment) < 2:
                continue
            i = segment[0]
            if i + 1 >= len(doc.lines) or not doc.lines[i + 1].blank_before:
                continue
            if is_headline_shaped(doc.text(i), HEADLINE_MAX_WORDS):
                yield self.title(doc, i, "headline-shaped first line set apart by a blank line")
