"""Navigation labels and footer links at the edges of an article."""

from __future__ import annotations

from typing import Iterable

from ..document import Decision
from ..shapes import ends_sentence, word_count
from .base import DocView, Rule

_MAX_LABEL_WORDS = 3  # "All news", "Home", "World"
_MAX_FOOTER_WORDS = 4  # "For business", "Terms of use"
_MIN_ARTICLE_WORDS = 6


class EdgeNavigation(Rule):
    """Remove section labels before an article and runs of short link lines after it.

    Removes: lines of at most three words without final punctuation that come before
    the article's first line of six or more words (``All news``, ``World``), and, after
    the article's last sentence, a trailing run of lines of at most four words without
    final punctuation (``For business`` / ``For researchers`` / ``For students``).
    Why: they are menu and footer links that the scraper kept around the article.
    Example: ``All news`` above a headline goes.
    False positives: a one- to three-word kicker above the headline ("Exclusive"),
    and a short sign-off line after the article.
    """

    code = "N001"
    name = "edge-navigation"
    summary = "Remove section labels above the article and footer link runs after it."
    revertible = True
    edge = True
    keep = ("The article starts here and it has a sentence.\nIt ends with a short line.",)
    cases = (
        ("All news\nUS needs to consider concerns in restoring relations — expert\nBody sentence of the article goes here.", "US needs to consider concerns in restoring relations — expert\n\nBody sentence of the article goes here."),
        ("The article has a body sentence that ends.\nFor business\nFor researchers\nFor students", "The article has a body sentence that ends."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        for segment in doc.segments():
            for i in segment:
                text = doc.text(i)
                if word_count(text) >= _MIN_ARTICLE_WORDS or ends_sentence(text):
                    break
                if word_count(text) <= _MAX_LABEL_WORDS:
                    yield self.remove(doc, i, "navigation label above the article")
            tail: list[int] = []
            for i in reversed(segment):
                text = doc.text(i)
                if word_count(text) > _MAX_FOOTER_WORDS or ends_sentence(text):
                    break
                tail.append(i)
            if len(tail) < len(segment):
                if len(tail) >= 2:
                    for i in reversed(tail):
                        yield self.remove(doc, i, "footer link after the article")
