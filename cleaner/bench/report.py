"""Per-page diagnosis: which blocks of text cost the most.

For scrapinghub (shingle metric) the output and the truth are aligned on word
4-grams exactly as the metric counts them (multiset, in reading order):
a *false-positive block* is a run of consecutive output lines whose words are
mostly in no 4-gram of the truth; a *false-negative block* is the same for
truth lines against the output. Blocks are ranked by the number of unmatched
words, which is what they cost in the metric.

For trafilatura-dev (snippet metric) the evidence is the snippets themselves:
``without`` snippets found in the output (leaked, with the output line that
holds them) and ``with`` snippets missing from it, flagged when the raw dump
does not contain them either (no text cleaner can recover those).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from cleaner.bench.data import Page
from cleaner.bench.metrics import PageScore, SnippetCounts, normalise_space, shingle_page, shingles

_WORD = re.compile(r"\w+")
NGRAM = 4


@dataclass(frozen=True)
class Block:
    """Consecutive lines of one text that the other text does not account for."""

    first_line: int  # 1-based line number in the text it comes from
    lines: tuple[str, ...]
    unmatched_words: int

    def preview(self, width: int) -> str:
        return shorten(" ⏎ ".join(line.strip() for line in self.lines), width)

    def as_dict(self) -> dict[str, Any]:
        return {"first_line": self.first_line, "lines": list(self.lines), "unmatched_words": self.unmatched_words}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def shorten(text: str, width: int) -> str:
    text = normalise_space(text)
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def unmatched_blocks(text: str, reference: str, n: int = NGRAM) -> list[Block]:
    """Runs of lines of ``text`` mostly not covered by ``reference``'s ``n``-grams.

    A word is covered when it belongs to an ``n``-gram of ``text`` matched
    against ``reference`` (each reference ``n``-gram matches once, first come
    first served, as in the metric's multiset intersection). A line is
    unmatched when more than half of its words are uncovered; lines without
    words neither start nor break a block. Sorted by unmatched words, then
    position.
    """
    lines = text.splitlines()
    words: list[str] = []
    line_of_word: list[int] = []
    for number, line in enumerate(lines):
        found = _WORD.findall(line)
        words.extend(found)
        line_of_word.extend([number] * len(found))

    available = shingles(reference, n)
    covered = [False] * len(words)
    for i in range(len(words) - n + 1):
        gram = tuple(words[i : i + n])
        if available[gram] > 0:
            available[gram] -= 1
            covered[i : i + n] = [True] * n

    total = Counter(line_of_word)
    uncovered = Counter(line for line, hit in zip(line_of_word, covered) if not hit)

    blocks: list[Block] = []
    current: list[int] = []
    for number in range(len(lines)):
        if total[number] == 0:
            if current:
                current.append(number)
            continue
        if 2 * uncovered[number] > total[number]:
            current.append(number)
        elif current:
            blocks.append(_block(lines, current, total, uncovered))
            current = []
    if current:
        blocks.append(_block(lines, current, total, uncovered))
    blocks.sort(key=lambda block: (-block.unmatched_words, block.first_line))
    return blocks


def _block(lines: Sequence[str], numbers: list[int], total: Counter[int], uncovered: Counter[int]) -> Block:
    while total[numbers[-1]] == 0:
        numbers = numbers[:-1]  # trailing word-less lines (a block starts with a worded line)
    kept = tuple(lines[i] for i in numbers if lines[i].strip())
    return Block(numbers[0] + 1, kept, sum(uncovered[i] for i in numbers))


# ---------------------------------------------------------------- page reports


@dataclass(frozen=True)
class ShinglePageReport:
    page: Page
    score: PageScore
    raw_recall: float | None  # the ceiling a pure line filter can reach on this page
    false_positives: tuple[Block, ...]
    false_negatives: tuple[Block, ...]

    def as_dict(self, blocks: int) -> dict[str, Any]:
        return {
            "id": self.page.id,
            "url": self.page.url,
            "f1": self.score.f1,
            "precision": self.score.precision,
            "recall": self.score.recall,
            "raw_recall": self.raw_recall,
            "false_positive_words": sum(b.unmatched_words for b in self.false_positives),
            "false_negative_words": sum(b.unmatched_words for b in self.false_negatives),
            "false_positive_blocks": [b.as_dict() for b in self.false_positives[:blocks]],
            "false_negative_blocks": [b.as_dict() for b in self.false_negatives[:blocks]],
        }


@dataclass(frozen=True)
class Leak:
    snippet: str
    line: str  # the output line that holds it ("" when it spans lines)


@dataclass(frozen=True)
class Miss:
    snippet: str
    in_raw: bool


@dataclass(frozen=True)
class SnippetPageReport:
    page: Page
    counts: SnippetCounts
    leaks: tuple[Leak, ...]
    misses: tuple[Miss, ...]

    @property
    def fixable_misses(self) -> int:
        return sum(miss.in_raw for miss in self.misses)

    def as_dict(self, blocks: int) -> dict[str, Any]:
        return {
            "id": self.page.id,
            "url": self.page.url,
            "tp": self.counts.tp,
            "fn": self.counts.fn,
            "fp": self.counts.fp,
            "fn_not_in_raw": len(self.misses) - self.fixable_misses,
            "leaked": [{"snippet": x.snippet, "line": x.line} for x in self.leaks],
            "missed": [{"snippet": x.snippet, "in_raw": x.in_raw} for x in self.misses],
        }


PageReport = ShinglePageReport | SnippetPageReport


def shingle_report(page: Page, output: str, score: PageScore) -> ShinglePageReport:
    truth = page.truth or ""
    raw_recall = shingle_page(page.raw, truth).recall
    return ShinglePageReport(
        page,
        score,
        raw_recall,
        tuple(unmatched_blocks(output, truth)),
        tuple(unmatched_blocks(truth, output)),
    )


def snippet_report(page: Page, output: str, counts: SnippetCounts) -> SnippetPageReport:
    raw = normalise_space(page.raw)
    out_lines = [normalise_space(line) for line in output.splitlines()]
    leaks = []
    for snippet in counts.leaked:
        needle = normalise_space(snippet)
        line = next((line for line in out_lines if needle in line), "")
        leaks.append(Leak(snippet, line))
    misses = tuple(Miss(snippet, normalise_space(snippet) in raw) for snippet in counts.missed)
    return SnippetPageReport(page, counts, tuple(leaks), misses)


def worst_pages(
    pages: Sequence[Page], outputs: Sequence[str], scores: Sequence[PageScore | SnippetCounts], n: int
) -> list[PageReport]:
    """The ``n`` pages with the most to gain, worst first (ties broken by id).

    Shingle pages rank by F1 (every page weighs the same in the averages);
    snippet pages by errors a cleaner could fix (leaks plus misses present in
    the raw dump), then by all misses.
    """
    if n <= 0:
        return []
    triples = list(zip(pages, outputs, scores))
    if not triples:
        return []
    if isinstance(scores[0], PageScore):
        ranked = sorted(triples, key=lambda t: (t[2].f1, t[0].id))  # type: ignore[union-attr]
        return [shingle_report(p, o, s) for p, o, s in ranked[:n]]  # type: ignore[arg-type]
    reports = [snippet_report(p, o, s) for p, o, s in triples]  # type: ignore[arg-type]
    reports.sort(key=lambda r: (-(r.counts.fp + r.fixable_misses), -r.counts.fn, r.page.id))
    return [r for r in reports[:n] if r.counts.fp or r.counts.fn]


def format_report(report: PageReport, rank: int, blocks: int = 3, width: int = 160) -> list[str]:
    """Readable lines for one page of the worst-pages report."""
    page = report.page
    lines: list[str] = []
    if isinstance(report, ShinglePageReport):
        s = report.score
        p = "—" if s.precision is None else f"{s.precision:.3f}"
        r = "—" if s.recall is None else f"{s.recall:.3f}"
        raw_r = "—" if report.raw_recall is None else f"{report.raw_recall:.3f}"
        lines.append(f"#{rank}  F1 {s.f1:.3f}  (P {p}, R {r}; raw dump R {raw_r})  {page.id[:16]}  {page.url}")
        for title, found in (
            ("false positives (output lines not in the truth)", report.false_positives),
            ("false negatives (truth lines missing from the output)", report.false_negatives),
        ):
            words = sum(block.unmatched_words for block in found)
            lines.append(f"    {title}: {_plural(len(found), 'block')}, {_plural(words, 'word')}")
            for block in found[:blocks]:
                head = f"      [{block.unmatched_words} w, {len(block.lines)} l, L{block.first_line}] "
                lines.append(head + block.preview(max(width - len(head), 20)))
        return lines
    c = report.counts
    not_in_raw = len(report.misses) - report.fixable_misses
    lines.append(
        f"#{rank}  tp {c.tp}  fn {c.fn}"
        + (f" ({not_in_raw} not in raw dump)" if not_in_raw else "")
        + f"  fp {c.fp}  {page.id[:16]}  {page.url}"
    )
    if report.leaks:
        lines.append("    leaked boilerplate ('without' snippets in the output):")
        for leak in report.leaks[:blocks]:
            text = f"      - {shorten(leak.snippet, 60)!r}"
            if leak.line and normalise_space(leak.snippet) != leak.line:
                text += f"  in line: {shorten(leak.line, max(width - len(text) - 11, 20))}"
            lines.append(text)
        if len(report.leaks) > blocks:
            lines.append(f"      … {len(report.leaks) - blocks} more")
    if report.misses:
        lines.append("    missing text ('with' snippets not in the output):")
        for miss in report.misses[:blocks]:
            flag = "" if miss.in_raw else "  [not in raw dump]"
            lines.append(f"      - {shorten(miss.snippet, width - 10 - len(flag))!r}{flag}")
        if len(report.misses) > blocks:
            lines.append(f"      … {len(report.misses) - blocks} more")
    return lines
