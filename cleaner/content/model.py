"""Pure-Python inference of the main-content line classifier.

Pipeline for one page (its non-empty, stripped lines in order):

1. detect the page language once (stopword vote on the longest lines) and
   pick its jusText stoplist;
2. first pass: a logistic model over :data:`features.LINE_FEATURES` gives
   each line a probability of being article content;
3. second pass: a logistic model over the line's own features plus the
   first-pass probabilities of its neighbourhood
   (:data:`features.CONTEXT_FEATURES`) revises it;
4. document level: lines far outside the best-scoring article span are
   dropped unless very confident, and on pages that are already mostly prose
   (a clean article) prose lines are always kept.

The weights live in ``model.json`` next to this file (written by
``bench/train_content.py``). No numpy at runtime.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from dataclasses import dataclass
from functools import reduce
from itertools import chain, compress
from operator import add, mul
from typing import Any, ClassVar, Iterable, Sequence

from .. import patterns
from ..rules.prefilter import LiteralPrefilter
from ..shapes import is_prose
from . import features as F

_WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json")


@dataclass(frozen=True)
class LineVerdict:
    keep: bool
    score: float  # probability that the line is article content
    label: str  # "content" when kept, else a short reason for removal


_FOOTER = patterns.compile(
    r"copyright|rights reserved|droits r[ée]serv|rechte vorbehalten|impressum|"
    r"datenschutz|privacy|imprint|mentions l[ée]gales|aviso legal|terms of|agb\b",
    re.IGNORECASE,
)


# _FOOTER's literals, found by substring search: the regex runs only on lines holding one
_FOOTER_PREFILTER = LiteralPrefilter(_FOOTER)
#: decide_labels' default ``footer_lines``: it searches the lines for the footer literals itself.
FIND_FOOTERS = object()


def footer_lines(text: Any, changed: Iterable[tuple[int, str]] = ()) -> set[int] | None:
    """:meth:`ContentModel.decide_labels`' ``footer_lines``, read off a document's shared text (a
    :class:`cleaner.rules.prefilter.DocText` of the document's current texts). ``changed``: the
    ``(index, text)`` of each line classified with another text than the shared text's (a repair
    rule edited it since): those lines are tested one by one, instead of searching a second
    joined copy of the whole page (for a 3 MB page, 74 MB at the peak)."""
    found = _FOOTER_PREFILTER.text_lines(text)
    if found is None:
        return None
    out = set(found)
    may_match = _FOOTER_PREFILTER.may_match
    for i, line in changed:
        out.discard(i)
        if may_match(line):
            out.add(i)
    return out

_ALNUM = patterns.compile(r"[^\W_]")


# The products of a row added left to right from 0.0, as the C scorer adds them, in every Python:
# builtins.sum does so before Python 3.12 (and is the faster), and compensates the rounding of
# floats from 3.12 on (its last bits differ), where functools.reduce adds as the C scorer does.
if sys.version_info >= (3, 12):

    def _dot(coef: Sequence[float], row: Sequence[float]) -> float:
        return reduce(add, map(mul, coef, row), 0.0)

else:

    def _dot(coef: Sequence[float], row: Sequence[float]) -> float:
        return sum(map(mul, coef, row))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class _Linear:
    """A logistic model with the feature standardisation folded in."""

    __slots__ = ("coef", "intercept")

    def __init__(self, spec: dict, names: Sequence[str]):
        if list(spec["features"]) != list(names):
            raise ValueError("model.json features do not match the code's feature list")
        self.coef = tuple(float(c) for c in spec["coef"])
        self.intercept = float(spec["intercept"])

    def prob(self, row: Sequence[float]) -> float:
        return _sigmoid(self.intercept + _dot(self.coef, row))


class ContentModel:
    """Line-level main-content classifier. Read-only after construction."""

    _default: ClassVar["ContentModel | None"] = None

    def __init__(self, params: dict):
        self.params = params
        self.pass1 = _Linear(params["pass1"], F.LINE_FEATURES)
        self.pass2 = _Linear(params["pass2"], F.LINE_FEATURES + F.CONTEXT_FEATURES)
        post = params.get("post", {})
        self.threshold = float(post.get("threshold", 0.5))
        self.favor = dict(post.get("favor", {}))
        self.region_gap = int(post.get("region_gap", 10**9))
        self.region_keep = float(post.get("region_keep", 1.0))
        self.prose_guard = float(post.get("prose_guard", 2.0))
        # at most this many other lines with a prose share of ``prose_guard`` (weights files
        # written before: no limit), or any number with ``prose_guard_all`` (before: off)
        self.prose_guard_lines = int(post.get("prose_guard_lines", 10**9))
        self.prose_guard_all = float(post.get("prose_guard_all", 2.0))
        self.switch_penalty = float(post.get("switch_penalty", 0.0))
        # above 1: off (weights files written before the rule existed)
        self.lead_prose = float(post.get("lead_prose", 2.0))
        # the C scorer computes exactly the two passes over these columns
        self._fused = (len(self.pass1.coef) == len(F.LINE_FEATURES)
                       and len(self.pass2.coef) == len(F.LINE_FEATURES) + len(F.CONTEXT_FEATURES))

    @classmethod
    def default(cls) -> "ContentModel":
        """The shipped model (loaded once, cached on the class: it is read-only)."""
        if cls._default is None:
            with open(_WEIGHTS, encoding="utf-8") as fh:
                cls._default = cls(json.load(fh))
        return cls._default

    def threshold_for(self, favor: str) -> float:
        """Threshold for ``favor`` in {"precision", "balanced", "recall"}."""
        if favor == "balanced":
            return self.threshold
        return float(self.favor[favor])

    # ------------------------------------------------------------------
    def language(self, lines: list[str]) -> str | None:
        """ISO 639-1 code of the page language (stopword vote), or None."""
        return F.detect_language(lines)

    def scores(self, lines: list[str], blank_before: list[bool], lang: str | None = None, lowered: Any = None):
        """Second-pass probabilities and the page statistics. ``lowered``: a text holding the
        lines and its lower case (a :class:`cleaner.rules.prefilter.DocText` of the document's
        current texts), and the indices of the lines whose text there is another (a repair rule
        edited it since), as ``(text, changed)``: the C scorer reads the lines' lower case off it
        instead of lowering each line again (the same results)."""
        if lang is None:
            lang = F.detect_language(lines)
        if F.speedups is not None and self._fused:
            # the same computation in C (cleaner/_speedups.c), bit for bit; the stoplist as its
            # number in the C vote index when there is one (the same words, looked up in place)
            number = F.stop_language(lang)
            stop = number if number is not None else F.stoplists().get(lang) if lang else None
            args = (lines, blank_before, stop, self.pass1.coef, self.pass1.intercept, self.pass2.coef,
                    self.pass2.intercept)
            if lowered is not None:
                text, changed = lowered
                args += (text.low, text.offsets, changed)
            return F.speedups.scores(*args)
        stop = F.stoplists().get(lang) if lang else None
        rows, stats = F.line_features(lines, blank_before, stop)
        p1 = [self.pass1.prob(r) for r in rows]
        ctx = F.context_features(p1, stats, stats["nwords"])
        p2 = [self.pass2.prob(r + c) for r, c in zip(rows, ctx)]
        stats["p1"] = p1
        return p2, stats

    def decide(self, lines: list[str], p: list[float], stats: dict, threshold: float | None = None) -> list[LineVerdict]:
        """Turn probabilities into verdicts (document-level rules included)."""
        keep, labels = self.decide_labels(lines, p, stats, threshold)
        return _verdicts(keep, p, labels)

    def decide_labels(self, lines: list[str], p: list[float], stats: dict, threshold: float | None = None,
                      footer_lines: Any = FIND_FOOTERS) -> tuple[list[bool], list[str | None]]:
        """:meth:`decide` as two lists, ``keep`` and the label of each dropped line (None where
        kept): the same verdicts without an object per line (what M001 reads).
        ``footer_lines``: ``_FOOTER_PREFILTER.lines_holding(lines)`` when the caller has it (M001
        reads it off the document's shared literal search); searched here when not given."""
        n = len(lines)
        if n == 0:
            return [], []
        t = self.threshold if threshold is None else float(threshold)
        nwords = stats["nwords"]
        keep, span = _decide_keep(lines, p, nwords, stats["sent"], stats["stop"], t, self.switch_penalty,
                                  self.region_gap, self.region_keep, self.prose_guard, self.prose_guard_lines,
                                  self.prose_guard_all, max(t, self.lead_prose))
        continue_numbered_lists(lines, keep, stats.get("items"))
        # the lines _FOOTER may match, found once for the page (None: any line may)
        if footer_lines is FIND_FOOTERS:
            footer_lines = _FOOTER_PREFILTER.lines_holding(lines)
        bs, be = span if span is not None else (0, -1)
        labels = _drop_labels(lines, keep, nwords, stats["furniture"], stats["short_run"], footer_lines,
                              _FOOTER.search, span is not None, bs, be)
        return keep, labels

    def classify_labels(self, lines: list[str], blank_before: list[bool], threshold: float | None = None,
                        footer_lines: Any = FIND_FOOTERS,
                        lowered: Any = None) -> tuple[list[bool], list[str | None], list[float]]:
        """:meth:`classify` as three lists: ``keep``, the label of each dropped line (None where
        kept) and the score of each line (``footer_lines``: see :meth:`decide_labels`;
        ``lowered``: see :meth:`scores`)."""
        if len(lines) != len(blank_before):
            raise ValueError("lines and blank_before differ in length")
        if not lines:
            return [], [], []
        lines = list(lines)
        p, stats = self.scores(lines, list(blank_before), lowered=lowered)
        keep, labels = self.decide_labels(lines, p, stats, threshold, footer_lines)
        return keep, labels, p

    def classify(self, lines: list[str], blank_before: list[bool], threshold: float | None = None) -> list[LineVerdict]:
        """Verdict for each of the page's non-empty, stripped ``lines``.

        ``blank_before[i]`` tells whether one or more blank lines preceded
        line ``i`` in the dump. ``threshold`` (a probability) overrides the
        default cut-off: higher favours precision, lower recall.
        """
        keep, labels, p = self.classify_labels(lines, blank_before, threshold)
        return _verdicts(keep, p, labels)


#: A line of running text: at least this many words, and it ends a sentence.
_LEAD_PROSE_WORDS = 15


def keep_prose_above_span_end(keep: list[bool], p: list[float], nwords: list[float], sent: list[float],
                              end: int, strong: float) -> None:
    """Keep the prose lines, up to the end of the article span, that the model itself keeps.

    The sequence smoothing and the region rule judge a line by its neighbours: a lead or
    standfirst set apart from the body by a picture credit, a byline or a share bar, or a
    paragraph between two ads, is dropped with the furniture around it although its own score
    says article (``p >= strong``, at least the threshold). A line of running text (at least
    ``_LEAD_PROSE_WORDS`` words, ending a sentence) above or inside the span keeps the model's
    own verdict. Below the span the neighbours' verdict stands: there, prose is as often the
    teaser of another story or a comment as the article's (measured on both dev sets).
    """
    for i in range(min(end + 1, len(keep))):
        if not keep[i] and p[i] >= strong and nwords[i] >= _LEAD_PROSE_WORDS and sent[i] > 0:
            keep[i] = True


def _decide_keep_py(lines: list[str], p: list[float], nwords: list[int], sent: list[float], stopd: list[float],
                    t: float, penalty: float, region_gap: int, region_keep: float, prose_guard: float,
                    prose_guard_lines: int, prose_guard_all: float, lead: float) -> tuple[list[bool], tuple[int, int] | None]:
    """Which lines :meth:`ContentModel.decide_labels` keeps before numbered lists are continued,
    and the article span (None: no line scores above ``t``). ``lead``: the score above which
    :func:`keep_prose_above_span_end` keeps a line (above 1: off). The reference of the C
    ``decide_keep`` (tests/test_speedups.py compares them)."""
    n = len(lines)
    if penalty > 0.0:
        keep = _smooth(p, t, penalty)
        # lines without a letter or digit (a lone "\u200b", "***") carry no text; kept
        # at the low thresholds smoothing allows, they flip on a second run (idempotence)
        alnum = _ALNUM.search
        for i in compress(range(n), keep):  # the kept lines (keep[i] is read before it changes)
            if not alnum(lines[i]):
                keep[i] = False
    else:
        keep = [pi >= t for pi in p]
    # article span: window maximising sum(weight * (p - t))
    log1p = math.log1p
    span = F.best_span([(pi - t) * (1.0 + log1p(nw)) for pi, nw in zip(p, nwords)])
    if span is not None:
        bs, be = span
        # only the lines more than ``region_gap`` lines outside the span
        for i in chain(range(min(n, max(0, bs - region_gap))), range(max(0, be + region_gap + 1), n)):
            if keep[i] and p[i] < region_keep:
                keep[i] = False
    # guard: a dump that is already an article keeps its prose: nearly all of its text in
    # prose lines (``prose_guard_all``), or most of it with a handful of other lines (a share
    # bar, a credit). Not a long page whose article is most of its text: there the prose the
    # model drops is author bios, other stories' teasers and comments.
    prose = [nw >= 12 and (se > 0 or sd >= 0.25) for nw, se, sd in zip(nwords, sent, stopd)]
    total = sum(map(len, lines)) or 1
    prose_chars = sum(map(len, compress(lines, prose)))
    share = prose_chars / total
    if share >= prose_guard_all or (share >= prose_guard and n - sum(prose) <= prose_guard_lines):
        for i in range(n):
            if prose[i]:
                keep[i] = True
    if span is not None and lead <= 1.0:
        keep_prose_above_span_end(keep, p, nwords, sent, span[1], lead)
    if not any(keep):
        # the decoding never empties a page the model scores content on: on a dump of a few
        # lines (one sentence under a share line) the switch penalty outweighs any one line
        alnum = _ALNUM.search
        keep = [pi >= t and alnum(line) is not None for pi, line in zip(p, lines)]
    return keep, span


def _decide_keep(*args: Any) -> tuple[list[bool], tuple[int, int] | None]:
    c = F.speedups  # read at each call: tests swap it for None to run the reference
    return (_decide_keep_py if c is None else c.decide_keep)(*args)


def _drop_labels(*args: Any) -> list[str | None]:
    c = F.speedups
    return (_drop_labels_py if c is None else c.drop_labels)(*args)


def _drop_labels_py(lines: list[str], keep: list[bool], nwords: list[int], furn: list[str], short_run: list[int],
                    footer_lines: set[int] | None, footer: Any, found: bool, bs: int, be: int) -> list[str | None]:
    """The label of each line :meth:`ContentModel.decide_labels` drops (None where kept):
    ``furn``/``short_run`` the page statistics, ``footer_lines`` the lines ``footer`` (the
    footer regex's search) may match (None: any), ``bs``/``be`` the article span when ``found``.
    The reference of the C ``drop_labels`` (tests/test_speedups.py compares them)."""
    labels: list[str | None] = [None] * len(lines)
    for i in range(len(lines)):
        if keep[i]:
            continue
        cat = furn[i]
        if cat == "p":
            label = "prompt"
        elif cat == "f" or (nwords[i] <= 25 and (
                "©" in lines[i]
                or ((footer_lines is None or i in footer_lines) and footer(lines[i]) is not None))):
            label = "footer"
        elif cat == "c":
            label = "comments"
        elif short_run[i] >= 3:
            label = "navigation" if (found and i < bs) else "link-list"
        elif found and (i < bs or i > be):
            label = "outside-article"
        else:
            label = "boilerplate"
        labels[i] = label
    return labels


#: A numbered list item: "3) Title", "3. Title", "#3 Title" (number and marker are its key).
_NUMBERED = patterns.compile(r"(?:#([0-9]{1,3})|([0-9]{1,3})[.)])\s+\S")
_MAX_ITEM_GAP = 8  # lines from one item to the next: an item's text, a link, a picture credit
_MIN_LIST_ITEMS = 3


def continue_numbered_lists(lines: list[str], keep: list[bool], items: list[int] | None = None) -> None:
    """Keep the rest of a numbered list whose first item the model keeps.

    A list article ("22 gifts for ...", "13 ideas") numbers its items 1, 2, 3, ...; the model
    judges each line on its own and, past the prose, takes a run of short items for a link
    list and drops the list's second half. Items that continue a kept item's numbering (the
    next number, the same marker, within ``_MAX_ITEM_GAP`` lines) belong to the same list:
    they are kept, with the lines between them and, after the last item, as many lines as
    the list usually puts after an item. Numbering that starts outside the article (a
    "most read" list the model drops from its first item, or a list with no kept prose line
    above it) is left to the model. ``items``: the lines opening with "#" or a digit, ascending
    (the page statistics' "items", found in the features' pass over the lines); None: found here.
    """
    if items is None:
        items = [i for i, text in enumerate(lines) if text[:1] in F.ITEM_FIRST]  # (lines are stripped)
    run: list[tuple[int, int]] = []  # (line index, number) of one list
    marker = ""
    for i in items:
        text = lines[i]
        m = _NUMBERED.match(text)
        if m is None:
            continue
        number = int(m.group(1) or m.group(2))
        kind = "#" if m.group(1) else text[len(m.group(2))]
        if run and kind == marker and number == run[-1][1] + 1 and i - run[-1][0] <= _MAX_ITEM_GAP:
            run.append((i, number))
            continue
        _keep_list_tail(run, lines, keep)
        run, marker = [(i, number)], kind
    _keep_list_tail(run, lines, keep)


def _keep_list_tail(run: list[tuple[int, int]], lines: list[str], keep: list[bool]) -> None:
    if len(run) < _MIN_LIST_ITEMS or not keep[run[0][0]]:
        return
    first = run[0][0]
    if not any(keep[i] and is_prose(lines[i]) for i in range(first)):
        return  # no article text above the list: nothing tells it is the article's
    first_dropped = next((k for k, (i, _) in enumerate(run) if not keep[i]), None)
    if first_dropped is None:
        return
    gaps = sorted(b[0] - a[0] for a, b in zip(run, run[1:]))
    stride = gaps[(len(gaps) - 1) // 2]  # the lower median (statistics.median_low, without its import)
    start = run[first_dropped - 1][0]
    end = min(len(lines) - 1, run[-1][0] + stride - 1)
    for i in range(start, end + 1):
        keep[i] = True


def _verdicts(keep: list[bool], p: list[float], labels: list[str | None]) -> list[LineVerdict]:
    return [LineVerdict(k, pi, "content" if k else label) for k, pi, label in zip(keep, p, labels)]


def _smooth(p: list[float], t: float, penalty: float) -> list[bool]:
    """Keep/drop sequence maximising sum(kept log-odds vs ``t``) - penalty * switches.

    A two-state Viterbi: articles are mostly contiguous, so a lone line just
    under the threshold between kept lines is kept, and a lone line just over
    it among dropped lines is dropped, unless its score outweighs ``penalty``
    (in logit units; each log-odds is clipped to +-6).
    """
    t = 1e-4 if t < 1e-4 else (0.9999 if t > 0.9999 else t)
    lt = math.log(t / (1.0 - t))
    n = len(p)
    back_k = [False] * n  # best predecessor of "keep at i" was "keep"
    back_d = [False] * n  # best predecessor of "drop at i" was "keep"
    k = d = 0.0
    for i in range(n):
        pi = p[i]
        pi = 1e-4 if pi < 1e-4 else (0.9999 if pi > 0.9999 else pi)
        s = math.log(pi / (1.0 - pi)) - lt
        s = 6.0 if s > 6.0 else (-6.0 if s < -6.0 else s)
        if i == 0:
            k, d = s, 0.0
            continue
        kk = k >= d - penalty
        nk = (k if kk else d - penalty) + s
        dk = k - penalty > d
        nd = k - penalty if dk else d
        back_k[i] = kk
        back_d[i] = dk
        k, d = nk, nd
    keep = [False] * n
    state = k >= d
    for i in range(n - 1, -1, -1):
        keep[i] = state
        state = back_k[i] if state else back_d[i]
    return keep


def split_dump(text: str) -> tuple[list[str], list[bool]]:
    """Non-empty stripped lines of a text dump and their ``blank_before`` flags."""
    lines: list[str] = []
    blank: list[bool] = []
    pending = False
    for raw in text.splitlines():
        s = raw.strip()
        if not s:
            pending = True
            continue
        lines.append(s)
        blank.append(pending)
        pending = False
    return lines, blank
