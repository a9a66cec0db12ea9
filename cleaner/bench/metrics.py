"""The two benchmark metrics, exactly as ``../shared/bench/README.md`` defines them.

* **Shingle F1** (scrapinghub-dev): tokenise with ``\\w+`` (Unicode), take the
  multiset of consecutive word 4-grams of truth and prediction; per page
  tp = multiset intersection, fp = predicted beyond truth, fn = truth beyond
  prediction, each divided by their sum. Precision and recall are computed per
  page (1 when fp = fn = 0, 0 when tp = fp = 0, likewise recall), averaged over
  pages (pages with tp + fp = 0 left out of the precision mean, tp + fn = 0 out
  of the recall mean); F1 is the harmonic mean of the two averages.
* **Snippet F1** (trafilatura-dev): normalise white space in output and
  snippets; a ``with`` snippet found in the output is a true positive, missing a
  false negative; a ``without`` snippet found is a false positive. Precision,
  recall and F1 over all snippets of all pages together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter:
    """Multiset of consecutive word ``n``-grams of ``text``."""
    words = _WORD.findall(text)
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class PageScore:
    """Per-page shingle counts, already normalised to sum to one."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp + self.fp == 0:
            return None  # left out of the precision mean
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp + self.fn == 0:
            return None  # left out of the recall mean
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def shingle_page(prediction: str, truth: str) -> PageScore:
    return score_shingles(shingles(prediction), shingles(truth))


def score_shingles(pred: Counter, gold: Counter) -> PageScore:
    """Per-page score from the two shingle multisets (callers may cache the truth's)."""
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def shingle_f1(pages: Iterable[PageScore]) -> Score:
    """Average per-page precision and recall; F1 of the two averages."""
    precisions, recalls = [], []
    for page in pages:
        if page.precision is not None:
            precisions.append(page.precision)
        if page.recall is not None:
            recalls.append(page.recall)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(_harmonic(p, r), p, r)


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class SnippetCounts:
    tp: int
    fn: int
    fp: int
    missed: tuple[str, ...] = ()
    leaked: tuple[str, ...] = ()


def snippet_page(output: str, with_: Sequence[str], without: Sequence[str]) -> SnippetCounts:
    out = normalise_space(output)
    tp = fn = fp = 0
    missed, leaked = [], []
    for snippet in with_:
        if normalise_space(snippet) in out:
            tp += 1
        else:
            fn += 1
            missed.append(snippet)
    for snippet in without:
        if normalise_space(snippet) in out:
            fp += 1
            leaked.append(snippet)
    return SnippetCounts(tp, fn, fp, tuple(missed), tuple(leaked))


def snippet_f1(pages: Iterable[SnippetCounts]) -> Score:
    tp = fn = fp = 0
    for page in pages:
        tp, fn, fp = tp + page.tp, fn + page.fn, fp + page.fp
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return Score(_harmonic(p, r), p, r)
