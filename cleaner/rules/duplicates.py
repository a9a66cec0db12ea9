"""Duplicated paragraphs: exact repeats and near-duplicates (pull quotes, repeated leads)."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from ..document import Decision
from ..shapes import WORD, ends_sentence
from ..accel import c_function
from .base import DocView, Rule

_MIN_EXACT_WORDS = 5  # shorter repeated lines (menu items) are left to other rules
_MIN_NEAR_WORDS = 12
_SHINGLE = 4
_NEAR_CONTAINMENT = 0.6  # share of the shorter paragraph's shingles found in the other
_MAX_POSTINGS = 4  # bound the work per shingle: linear time even on repetitive pages
#: The C tokenizer and shingler (None: the Python path below). It gives each line's words as one
#: space-joined key and its 4-grams as hashes of its own, deterministic ones: the rule compares
#: both only for equality, so its decisions are the Python path's (tests/test_speedups.py).
_dup_shingles = c_function("dup_shingles")


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
    False positives: refrains and repeated legal formulas in an article; paragraphs
    under five words are never compared.
    """

    code = "D001"
    name = "duplicate-paragraph"
    summary = "Remove exact and near-duplicate paragraphs, keeping the complete copy."
    keep = (
        "The vote was close.\nThe vote was close, but the result stood after a recount.",
        "He said yes.\nHe said yes.",
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
        # the words of each line seen (a tuple, or with the C tokenizer the words joined by spaces)
        seen: dict[tuple[str, ...] | str, int] = {}
        # Postings of each shingle hash: the first line that has it in ``first``, up to
        # _MAX_POSTINGS - 1 later ones in ``more`` (together: the first _MAX_POSTINGS lines).
        first_posting: dict[int, int] = {}
        more: dict[int, list[int]] = {}
        sizes: dict[int, int] = {}
        gone: set[int] = set()
        has = first_posting.__contains__
        findall = WORD.findall
        shingles = _dup_shingles
        # The headline is never the copy that goes: a body line repeating it does, and a
        # paragraph that merely contains it is not its duplicate.
        headline = segment[0] if segment and doc.heads_input_article(segment[0]) else None
        for i in segment:
            folded = doc.text(i).casefold()
            # Five \w+ words need at least nine characters: shorter lines skip the tokenizer.
            if len(folded) < 2 * _MIN_EXACT_WORDS - 1:
                continue
            if shingles is not None:
                found = shingles(folded, _MIN_EXACT_WORDS, _MIN_NEAR_WORDS, _SHINGLE)
                if found is None:
                    continue
                key, ntoks, grams = found
            else:
                key = toks = tuple(findall(folded))
                ntoks = len(toks)
                if ntoks < _MIN_EXACT_WORDS:
                    continue
            first = seen.get(key)
            if first is not None and first not in gone:
                gone.add(i)
                yield self.remove(doc, i, f"repeats line {doc.lines[first].number}")
                continue
            seen.setdefault(key, i)
            if ntoks < _MIN_NEAR_WORDS:
                continue
            if shingles is None:
                # hash() of each word 4-gram (the tuple toks[j:j + 4]), built without a Python loop.
                grams = set(map(hash, zip(*(toks[j:] for j in range(_SHINGLE)))))
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
