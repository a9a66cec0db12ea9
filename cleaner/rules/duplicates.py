"""Duplicated paragraphs: exact repeats and near-duplicates (pull quotes, repeated leads)."""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable

from ..document import Decision
from ..shapes import WORD, ends_sentence, word_keys
from ..accel import c_function
from .base import DocView, Rule

_MIN_EXACT_WORDS = 5  # shorter repeated lines (menu items) are left to other rules
_MIN_NEAR_WORDS = 12
_SHINGLE = 4
_NEAR_CONTAINMENT = 0.6  # share of the shorter paragraph's shingles found in the other
_MAX_POSTINGS = 4  # bound the work per shingle: linear time even on repetitive pages
_MIN_REFRAIN = 3  # a line repeated this often, each time before different text, is a refrain
#: The C scan of an article (None: the Python loop of _check_segment, its reference). It takes the
#: lines' word keys (shapes.word_keys: each line's folded words as one space-joined key) and
#: hashes their 4-grams with deterministic hashes of its own (those of ``dup_shingles``, which
#: tests/test_speedups.py checks): the rule compares them only for equality, so its decisions are
#: the Python path's.
_dup_scan = c_function("dup_scan")


class DuplicateParagraph(Rule):
    """Remove repeated paragraphs, keeping one copy.

    Removes: within one article, a paragraph whose words (case-folded) repeat an earlier paragraph's, and
    a near-duplicate: a paragraph of which at least 60% of the word 4-grams of the
    shorter of the two occur in the other. Of two near-duplicates the complete one
    (ending like a sentence) stays; when both or neither are complete, the first stays.
    Why: scrapers duplicate leads and captions, and pull quotes repeat a quote the
    body gives in full.
    Example: a lead paragraph printed twice stays once; a pull quote
    ``"The Americans have to take that into consideration…," X said`` goes when the body
    has ``"The Americans have to take that into consideration…," X added.``
    Kept: a refrain, a line repeated at least three times with a different line after each
    (the same question put to each guest of an interview).
    False positives: repeated legal formulas in an article; paragraphs under five words are
    never compared.
    """

    code = "D001"
    name = "duplicate-paragraph"
    summary = "Remove exact and near-duplicate paragraphs, keeping the complete copy."
    keep = (
        "The vote was close.\nThe vote was close, but the result stood after a recount.",
        "He said yes.\nHe said yes.",
        # a refrain: the same question to each guest, each time before a different answer
        "What is your favourite kitchen at home?\nItalian, because of the pasta.\n"
        "What is your favourite kitchen at home?\nJapanese food, for the fish.\n"
        "What is your favourite kitchen at home?\nMy mother's cooking, always.",
    )
    cases = (
        (
            "The long-awaited meeting has finally happened after years of waiting.\n"
            "The long-awaited meeting has finally happened after years of waiting.\n"
            "We could argue for a long time about why.",
            "The long-awaited meeting has finally happened after years of waiting.\n\nWe could argue for a long time about why.",
        ),
        (
            '"We have to take that into consideration and understand the security concerns of everyone involved," Jane Doe, an analyst, said\n'
            "The summit was a step forward.\n"
            '"We have to take that into consideration and understand the security concerns of everyone involved," Doe added.',
            'The summit was a step forward.\n\n"We have to take that into consideration and understand the security concerns of everyone involved," Doe added.',
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        # Each article keeps its own text whole: duplicates are looked for within an article.
        for segment in doc.segments():
            yield from self._check_segment(doc, segment)

    def _check_segment(self, doc: DocView, segment: list[int]) -> Iterable[Decision]:
        if _dup_scan is not None:
            yield from self._check_segment_c(doc, segment)
            return
        # the words of each line seen
        seen: dict[tuple[str, ...], int] = {}
        # Postings of each shingle hash: the first line that has it in ``first``, up to
        # _MAX_POSTINGS - 1 later ones in ``more`` (together: the first _MAX_POSTINGS lines).
        first_posting: dict[int, int] = {}
        more: dict[int, list[int]] = {}
        sizes: dict[int, int] = {}
        gone: set[int] = set()
        has = first_posting.__contains__
        # The headline is never the copy that goes: a body line repeating it does, and a
        # paragraph that merely contains it is not its duplicate.
        headline = segment[0] if segment and doc.heads_input_article(segment[0]) else None
        texts = doc.texts
        found = [_words_of(texts[i]) for i in segment]
        refrains = _refrains(found, lambda k: doc.text(segment[k]))
        for i, key in zip(segment, found):
            if key is None:
                continue
            if key in refrains:
                continue
            first = seen.get(key)
            if first is not None and first not in gone:
                gone.add(i)
                yield self.remove(doc, i, f"repeats line {doc.lines[first].number}")
                continue
            seen.setdefault(key, i)
            if len(key) < _MIN_NEAR_WORDS:
                continue
            # hash() of each word 4-gram (the tuple key[j:j + 4]), built without a Python loop.
            grams = set(map(hash, zip(*(key[j:] for j in range(_SHINGLE)))))
            common = list(filter(has, grams))
            match = None
            if common:
                overlap: Counter[int] = Counter(map(first_posting.__getitem__, common))
                for g in common:
                    others = more.get(g)
                    if others:
                        overlap.update(others)
                for other, shared in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
                    if other in gone:
                        continue
                    if shared >= _NEAR_CONTAINMENT * min(len(grams), sizes[other]):
                        match = other
                        break
            if match is not None:
                # Keep the complete copy; on a tie keep the first.
                complete = ends_sentence(doc.text(i))
                if match == headline and complete:
                    pass  # a paragraph that contains the headline: both stay
                elif complete and match != headline and not ends_sentence(doc.text(match)):
                    gone.add(match)
                    yield self.remove(doc, match, f"incomplete near-duplicate of line {doc.lines[i].number}")
                else:
                    gone.add(i)
                    yield self.remove(doc, i, f"near-duplicate of line {doc.lines[match].number}")
                    continue
            sizes[i] = len(grams)
            if common:
                for g in common:
                    bucket = more.get(g)
                    if bucket is None:
                        more[g] = [i]
                    elif len(bucket) < _MAX_POSTINGS - 1:
                        bucket.append(i)
                first_posting.update(dict.fromkeys(grams.difference(common), i))
            else:
                first_posting.update(dict.fromkeys(grams, i))


    def _check_segment_c(self, doc: DocView, segment: list[int]) -> Iterable[Decision]:
        """:meth:`_check_segment` with its loop in C (``_dup_scan``): the same removals, in order."""
        texts = doc.texts
        headline = 0 if segment and doc.heads_input_article(segment[0]) else -1
        keys = _keys_of_lines(texts, segment)
        refrains = _refrains(keys, lambda k: doc.text(segment[k]))
        skip = [key in refrains for key in keys] if refrains else [False] * len(keys)
        events = _dup_scan(keys, skip, headline, lambda p: ends_sentence(texts[segment[p]]), _MIN_NEAR_WORDS,
                           _SHINGLE, _NEAR_CONTAINMENT, _MAX_POSTINGS)
        lines = doc.lines
        for what, p, other in events:
            i, j = segment[p], segment[other]
            if what == 0:
                yield self.remove(doc, i, f"repeats line {lines[j].number}")
            elif what == 1:
                yield self.remove(doc, i, f"incomplete near-duplicate of line {lines[j].number}")
            else:
                yield self.remove(doc, i, f"near-duplicate of line {lines[j].number}")


def _words_of(text: str) -> tuple[str, ...] | None:
    """The case-folded words of a line (the Python loop's key); None under five words."""
    folded = text.casefold()
    # Five \w+ words need at least nine characters: shorter lines skip the tokenizer.
    if len(folded) < 2 * _MIN_EXACT_WORDS - 1:
        return None
    toks = tuple(WORD.findall(folded))
    return toks if len(toks) >= _MIN_EXACT_WORDS else None


def _keys_of_lines(texts: list[str], segment: list[int]) -> list[str | None]:
    """The word key of each line of ``segment``: its case-folded words joined by single
    spaces (``" ".join(_words_of(text))``), or None when the fold is under nine characters (five
    words need as many) or holds under five words."""
    return word_keys(texts, segment, _MIN_EXACT_WORDS, 2 * _MIN_EXACT_WORDS - 1, -1, -1)


def _refrains(keys: list, text: Callable[[int], str]) -> frozenset:
    """Lines repeated through the article as a refrain: the same question put to each guest of a
    survey interview, a recurring heading. A line (its word key ``keys[k]``) is one when it
    occurs at least _MIN_REFRAIN times and each occurrence is followed by a different line (``text(k)``) that
    occurs once: a scraper's doubled block repeats what follows too, and stays a duplicate."""
    present = list(filter(None, keys))  # (a key is None or a non-empty str)
    # A key occurring _MIN_REFRAIN times is _MIN_REFRAIN - 1 repeats among the keys: with fewer
    # repeats (nearly every page) nothing is counted.
    if len(present) - len(set(present)) < _MIN_REFRAIN - 1:
        return frozenset()
    counts = Counter(present)
    if max(counts.values()) < _MIN_REFRAIN:
        return frozenset()
    after: dict = {}
    for k in range(len(keys) - 1):
        if keys[k] is not None and counts[keys[k]] >= _MIN_REFRAIN:
            after.setdefault(keys[k], []).append(k + 1)
    return frozenset(
        key
        for key, follow in after.items()
        if len(follow) == counts[key]
        and len({text(f).casefold() for f in follow}) == len(follow)
        and all(keys[f] is None or counts[keys[f]] == 1 for f in follow)
    )
