"""Shape tests on single lines shared by several rules (length, punctuation, case).

These are language-neutral where possible: they look at words, letters and
punctuation, not at vocabulary.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import patterns
from .accel import c_function

WORD = patterns.compile(r"\w+")
#: Sentence-final punctuation, including closing quotes/brackets after it and CJK full stops.
SENTENCE_END = patterns.compile(r"[.!?。！？…]['\"’”»)\]]*\s*$")
#: Terminal punctuation of any kind that ends a clause (used to tell headlines from sentences).
CLAUSE_END = patterns.compile(r"[.!?。！？…:;,]['\"’”»)\]]*\s*$")
OPEN_QUOTE = patterns.compile(r"^\s*[\"“„«‘'‹「『]")
#: Truncation markers that end teasers: "[…]", "[...]", "(…)", a trailing ellipsis.
TRUNCATED_BRACKET = patterns.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\))\s*$")
TRUNCATED_ELLIPSIS = patterns.compile(r"(?:…|\.\.\.)\s*$")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def folded_words(text: str) -> list[str]:
    """The case-folded ``\\w+`` words of ``text`` (what rules compare texts by)."""
    return WORD.findall(text.casefold())


def word_count_py(text: str) -> int:
    """The number of ``\\w+`` words of ``text``: the reference of the C ``_speedups.word_count``
    (tests/test_speedups.py compares them)."""
    return len(WORD.findall(text))


#: ``len(WORD.findall(text))``: in C when the accelerator is built (no list of words is made).
word_count: Callable[[str], int] = c_function("word_count") or word_count_py


def word_keys_py(texts: Sequence[str], indices: Sequence[int], min_words: int, shortest: int, max_chars: int,
                 max_words: int) -> list[str | None]:
    """The word key of each line ``texts[i]``, ``i`` in ``indices``: the folded ``\\w+`` words of
    its first ``max_chars`` characters, the first ``max_words`` of them, joined by single spaces
    (equal keys: equal words; a space is never in a word); None when the fold is shorter than
    ``shortest`` characters or holds fewer than ``min_words`` words (-1: no limit). D001's keys
    and T001's and A001's line openings; the reference of the C ``word_keys``
    (tests/test_speedups.py compares them)."""
    keys: list[str | None] = []
    for i in indices:
        text = texts[i]
        folded = (text if max_chars < 0 else text[:max_chars]).casefold()
        if len(folded) < shortest:
            keys.append(None)
            continue
        words = WORD.findall(folded)
        if max_words >= 0:
            words = words[:max_words]
        keys.append(" ".join(words) if len(words) >= min_words else None)
    return keys


#: :func:`word_keys_py`, in C when the accelerator is built (one str a line: none per fold or word).
word_keys: Callable[..., list] = c_function("word_keys") or word_keys_py


#: SENTENCE_END's and CLAUSE_END's parts: the closers after the mark, the marks themselves.
_CLOSERS = "'\"’”»)]"
_SENTENCE_MARK_CHARS = ".!?。！？…"
_SENTENCE_MARKS = frozenset(_SENTENCE_MARK_CHARS)
_CLAUSE_MARKS = frozenset(".!?。！？…:;,")


def ends_sentence(text: str) -> bool:
    """``SENTENCE_END.search(text) is not None``, read from the end of the line: a mark, closers,
    then whitespace (three disjoint sets, so the split of the tail is unique), without sre
    trying the pattern at every mark of a long line."""
    core = text.rstrip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in _SENTENCE_MARKS


def ends_clause(text: str) -> bool:
    """``CLAUSE_END.search(text) is not None`` (see :func:`ends_sentence`)."""
    core = text.rstrip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in _CLAUSE_MARKS


def is_headline_shaped(text: str, max_words: int = 25) -> bool:
    """A short line that does not end like a sentence or clause and is not a quotation."""
    n = word_count(text)
    if n == 0 or n > max_words:
        return False
    if ends_clause(text):
        return False
    if OPEN_QUOTE.match(text):
        return False
    return any(ch.isalpha() for ch in text)


def is_prose(text: str, min_words: int = 12) -> bool:
    """A line that reads like running text: enough words and sentence-final punctuation."""
    return ends_sentence(text) and word_count(text) >= min_words  # the cheap test first


def prose_position_py(texts: Sequence[str], indices: list[int], min_words: int = 12, reverse: bool = False) -> int:
    """The first position ``k`` of ``indices`` whose line ``texts[indices[k]]`` is prose
    (:func:`is_prose`), the last one with ``reverse``; -1 when none is. The reference of the C
    ``prose_position`` (tests/test_speedups.py compares them)."""
    order = range(len(indices) - 1, -1, -1) if reverse else range(len(indices))
    return next((k for k in order if is_prose(texts[indices[k]], min_words)), -1)


_prose_position_c = c_function("prose_position")


def prose_position(texts: Sequence[str], indices: list[int], min_words: int = 12, reverse: bool = False) -> int:
    """:func:`prose_position_py`, in one C loop when the accelerator is built (the rules that walk
    an article's lines to its first or last prose line: B001, B002, B003)."""
    if _prose_position_c is None:
        return prose_position_py(texts, indices, min_words, reverse)
    return _prose_position_c(texts, indices, min_words, reverse, _CLOSERS, _SENTENCE_MARK_CHARS)


def strip_truncation(text: str) -> str | None:
    """The text without its trailing truncation marker, or None when it has none."""
    m = TRUNCATED_BRACKET.search(text, max(0, len(text) - 12))  # the marker is at the very end
    if m:
        return text[: m.start()].rstrip()
    return None


def _fold(ch: str) -> str:
    # Upper then lower: maps every character ``re.IGNORECASE`` equates with a letter to that
    # letter's lower case, including "ſ", "ı", the Kelvin sign and the old Cyrillic variants
    # that ``str.lower`` alone leaves alone.
    return ch.upper().lower()


def initials(*groups: str) -> frozenset[str]:
    """The key set for :func:`may_start_with`, from the lower-case letters a case-insensitive
    regex anchored at the start can begin with (checked over all of Unicode in
    tests/test_fastpaths.py)."""
    out = {key for group in groups for ch in group for key in (ch, ch.lower(), _fold(ch))}
    if "i" in out:
        out.add(_fold("\u0130"))  # "İ" matches "i" under re.IGNORECASE; it folds to "i̇"
    return frozenset(out)


def may_start_with(text: str, first: frozenset[str]) -> bool:
    """A necessary condition for a case-insensitive regex anchored at the start of ``text`` to
    match: its first character is one the regex can begin with."""
    return bool(text) and text[0].upper().lower() in first


class CharTable(dict):
    """A predicate of one character as a table: ``table[ch] == fn(ch)``, computed by ``fn`` on
    first use. Used with ``text[:1]`` as the key for the first-letter pre-checks of A001, I002,
    R001 and S001 (which run on every line of a page): a dict subscript instead of a function
    call and two case mappings per line, the same answers by construction. At most ``LIMIT``
    characters are remembered (a page of hostile Unicode cannot grow it further: past the limit
    the answer is computed each time).
    """

    __slots__ = ("fn",)
    LIMIT = 4096

    def __init__(self, fn: Callable[[str], bool]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, ch: str) -> bool:
        ok = bool(self.fn(ch))
        if len(self) < self.LIMIT:
            self[ch] = ok
        return ok


def first_chars(first: frozenset[str]) -> CharTable:
    """:func:`may_start_with` as a table of first characters:
    ``first_chars(first)[text[:1]] == may_start_with(text, first)`` for every ``text``
    (``""`` included: ``may_start_with`` reads only the first character)."""
    return CharTable(lambda ch: may_start_with(ch, first))


def normalise_for_compare(text: str) -> str:
    """Case-folded words joined by single spaces: the key used to compare paragraphs."""
    return " ".join(folded_words(text))
