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
# A separator line: three or more rule characters and nothing else ("______", "* * *", "----").
_SEPARATOR = re.compile(r"^(?=(?:\s*[-_*=~•·#—–]){3})[-_*=~•·#—–\s]+$")
# "Jane Doe is our deal curator …", "J. Doe writes about …": a name, then what the author is or does.
_CLOSING_BIO = re.compile(
    r"^[A-ZÀ-ÞА-ЯЁ][\w'’-]*\.?(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]*\.?){1,3}\s+(?:is|was|has been|writes|covers|reports)\s"
)


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
    """Move the byline and the author's bio line above an article (or closing it, after a separator) to metadata.

    Removes: from the body, before the article's first prose paragraph, a ``By Name``
    line, or a line that is only a person's name followed by a bio line (a role
    description with a comma or bracket and no final full stop); they go to the
    ``byline`` and ``author_bio`` metadata. Also the article's last line when it is an
    author's bio (at most 40 words: a name, then "is", "was", "writes" …) set apart by a
    separator line (``______``, ``* * *``), which goes with it.
    Why: bylines and bios describe the author, not the story.
    Example: ``Maria Lopez`` / ``President of the Council (WAC), Minister of Foreign Affairs (1998–2004)``.
    False positives: a two- to four-word Title Case headline directly followed by a
    comma-bearing standfirst without a final full stop (not when the headline opens the dump
    or an article and is set apart by a blank line: that is a title's place).
    """

    code = "B001"
    name = "byline"
    summary = "Move bylines and author bio lines above the article to metadata."
    keep = (
        "By the end of the year, the plan had failed.",
        "Maria Schmidt said the talks had failed.",
        "The council met on Monday and approved the plan for the new bridge after a long debate.\nJane Doe is the new mayor.",
    )
    cases = (
        (
            "Maria Lopez\nPresident of the Council (WAC), Minister of Foreign Affairs (1998–2004)\nThe long-awaited meeting between the two presidents has finally happened, after years.",
            "The long-awaited meeting between the two presidents has finally happened, after years.",
        ),
        ("By Jane Doe\nThe long-awaited meeting between the two presidents has finally happened, after years.", "The long-awaited meeting between the two presidents has finally happened, after years."),
        (
            "The meeting between the two presidents has finally happened in the capital, after years of talks.\n______\nJane Doe is our diplomatic correspondent.",
            "The meeting between the two presidents has finally happened in the capital, after years of talks.",
        ),
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
            if len(segment) >= 2:
                # The separator is the input line above the bio, live or already removed as furniture.
                last = segment[-1]
                separator = last - 1
                bio = doc.text(last)
                if (
                    separator >= 0
                    and len(bio) < 400
                    and _CLOSING_BIO.match(bio)
                    and word_count(bio) <= _MAX_BIO_WORDS
                    and _SEPARATOR.match(doc.text(separator))
                    and any(is_prose(doc.text(i)) for i in segment[:-1] if i != separator)
                ):
                    if doc.is_live(separator):
                        yield self.remove(doc, separator, "separator before the author's bio")
                    yield self.to_metadata(doc, last, "author_bio", "author bio line after the article")
