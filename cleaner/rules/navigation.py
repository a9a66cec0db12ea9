"""Navigation labels and footer links at the edges of an article."""

from __future__ import annotations

from typing import Iterable

from ..document import Decision
from ..shapes import ends_sentence, is_headline_shaped, word_count, words
from .base import HEADLINE_MAX_WORDS, DocView, Rule

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
    and a short sign-off line after the article. A short line that opens the dump or an
    article, set apart by a blank line and followed by body text (not by another
    headline), is in a title's place: it stays.
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
            for k, i in enumerate(segment):
                text = doc.text(i)
                if word_count(text) >= _MIN_ARTICLE_WORDS or ends_sentence(text):
                    break
                if k == 0 and len(segment) > 1 and doc.heads_input_article(i) and not _headline_follows(doc, segment):
                    continue  # a short headline in a title's place, not a section label
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


def _headline_follows(doc: DocView, segment: list[int]) -> bool:
    """The line after an article's first is a headline (headline-shaped, two thirds of its
    words made of letters: not a dateline): the first is a label above it."""
    if len(segment) < 2:
        return False
    text = doc.text(segment[1])
    if not is_headline_shaped(text, HEADLINE_MAX_WORDS):
        return False
    tokens = words(text)
    return 3 * sum(1 for w in tokens if w.isalpha()) >= 2 * len(tokens)
