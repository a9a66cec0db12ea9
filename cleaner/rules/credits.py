"""Credit lines and bylines: they describe the article, so they move to its metadata."""

from __future__ import annotations

import re
from typing import Iterable

from ..document import Decision
from ..shapes import ends_sentence, is_prose, word_count
from .base import DocView, Rule

_CREDIT = re.compile(
    r"^(?:translated (?:and edited )?by|translation by|this (?:article|story|piece) (?:was|is) (?:first |originally )?"
    r"(?:published|posted|written)|(?:first|originally) (?:published|appeared)|republished (?:with permission )?(?:from|by)|"
    r"übersetzt (?:von|aus)|übersetzung:|aus dem \w+ (?:übersetzt|von)|traduit (?:de l'\w+ )?par|traduction\s*:|"
    r"traducido por|traducción\s*:|tradotto da|traduzione di|перевод\s*:?|переведено)\b|"
    # wire-service credits and source lines: "(Reporting by …; Editing by …)", "SOURCE: Al Jazeera News"
    r"^(?:\(?(?:additional )?reporting by\b|\(?(?:writing|editing) by\b|(?:source|quelle|fuente|fonte|источник)\s*:)",
    re.I,
)
_MAX_CREDIT_WORDS = 40

_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af|przez|автор:?)\s+[A-ZÀ-ÞА-ЯЁ][\w.'’-]*(?:\s+[\w.'’-]+){0,5}$", re.I)
# "Maria Lopez", "Jane M. Doe": two to four capitalised words, nothing else.
_NAME = re.compile(r"^[A-ZÀ-ÞА-ЯЁ][\w'’-]*\.?(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]*\.?){1,3}$")
_MAX_BIO_WORDS = 40


class CreditLine(Rule):
    """Move credit lines ("Translated by …", "This article was first published by …") to metadata.

    Removes: from the body, a line of at most 40 words opening with a credit formula
    in one of the benchmark languages (translation, first publication, wire-service
    ``(Reporting by …)``, a ``Source: …`` line); it is kept in the article's ``credits`` metadata.
    Why: credits describe how the article reached the page; they are not its text.
    Example: ``Translated by the foreign desk`` → metadata ``credits: ["Translated by the foreign desk"]``.
    False positives: a sentence of the story that starts with such a formula
    ("Translated by volunteers, the book sold well.") moves to metadata.
    """

    code = "C001"
    name = "credit-line"
    summary = "Move translation, first-publication, wire-service and source credit lines to metadata."
    keep = ("The book was translated into twelve languages by volunteers.",)
    cases = (("Body of the article.\nTranslated by the foreign desk", "Body of the article."),)

    def check(self, doc: DocView) -> Iterable[Decision]:
        for i in doc.live:
            text = doc.text(i)
            if len(text) < 400 and _CREDIT.match(text) and word_count(text) <= _MAX_CREDIT_WORDS:
                yield self.to_metadata(doc, i, "credits", "credit line")


class Byline(Rule):
    """Move the byline and the author's bio line above an article to metadata.

    Removes: from the body, before the article's first prose paragraph, a ``By Name``
    line, or a line that is only a person's name followed by a bio line (a role
    description with a comma or bracket and no final full stop); they go to the
    ``byline`` and ``author_bio`` metadata.
    Why: bylines and bios describe the author, not the story.
    Example: ``Maria Lopez`` / ``President of the Council (WAC), Minister of Foreign Affairs (1998–2004)``.
    False positives: a two- to four-word Title Case headline directly followed by a
    comma-bearing standfirst without a final full stop (not when the headline opens the dump
    or an article and is set apart by a blank line: that is a title's place).
    """

    code = "B001"
    name = "byline"
    summary = "Move bylines and author bio lines above the article to metadata."
    keep = ("By the end of the year, the plan had failed.", "Maria Schmidt said the talks had failed.")
    cases = (
        (
            "Maria Lopez\nPresident of the Council (WAC), Minister of Foreign Affairs (1998–2004)\nThe long-awaited meeting between the two presidents has finally happened, after years.",
            "The long-awaited meeting between the two presidents has finally happened, after years.",
        ),
        ("By Jane Doe\nThe long-awaited meeting between the two presidents has finally happened, after years.", "The long-awaited meeting between the two presidents has finally happened, after years."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        for segment in doc.segments():
            for k, i in enumerate(segment):
                text = doc.text(i)
                if is_prose(text):
                    break
                if len(text) > 80:
                    continue
                if k == 0 and doc.heads_input_article(i) and not _BY.match(text):
                    continue  # a headline, which a name line followed by a dateline resembles
                if _BY.match(text):
                    yield self.to_metadata(doc, i, "byline", "byline")
                    continue
                if _NAME.match(text) and k + 1 < len(segment):
                    bio = doc.text(segment[k + 1])
                    if (
                        word_count(bio) <= _MAX_BIO_WORDS
                        and not ends_sentence(bio)
                        and ("," in bio or "(" in bio)
                    ):
                        yield self.to_metadata(doc, i, "byline", "author name above the article")
                        yield self.to_metadata(doc, segment[k + 1], "author_bio", "author bio line")
                        break
