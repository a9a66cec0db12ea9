"""Shape tests on single lines shared by several rules (length, punctuation, case).

These are language-neutral where possible: they look at words, letters and
punctuation, not at vocabulary.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
#: Sentence-final punctuation, including closing quotes/brackets after it and CJK full stops.
SENTENCE_END = re.compile(r"[.!?。！？…]['\"’”»)\]]*\s*$")
#: Terminal punctuation of any kind that ends a clause (used to tell headlines from sentences).
CLAUSE_END = re.compile(r"[.!?。！？…:;,]['\"’”»)\]]*\s*$")
OPEN_QUOTE = re.compile(r"^\s*[\"“„«‘'‹「『]")
#: Truncation markers that end teasers: "[…]", "[...]", "(…)", a trailing ellipsis.
TRUNCATED_BRACKET = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\))\s*$")
TRUNCATED_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def ends_sentence(text: str) -> bool:
    return SENTENCE_END.search(text) is not None


def is_headline_shaped(text: str, max_words: int = 25) -> bool:
    """A short line that does not end like a sentence or clause and is not a quotation."""
    n = word_count(text)
    if n == 0 or n > max_words:
        return False
    if CLAUSE_END.search(text):
        return False
    if OPEN_QUOTE.match(text):
        return False
    return any(ch.isalpha() for ch in text)


def is_prose(text: str, min_words: int = 12) -> bool:
    """A line that reads like running text: enough words and sentence-final punctuation."""
    return word_count(text) >= min_words and ends_sentence(text)


def strip_truncation(text: str) -> str | None:
    """The text without its trailing truncation marker, or None when it has none."""
    m = TRUNCATED_BRACKET.search(text, max(0, len(text) - 12))  # the marker is at the very end
    if m:
        return text[: m.start()].rstrip()
    return None


def normalise_for_compare(text: str) -> str:
    """Case-folded words joined by single spaces: the key used to compare paragraphs."""
    return " ".join(WORD.findall(text.casefold()))
