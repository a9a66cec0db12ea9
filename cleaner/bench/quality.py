"""Run systems over a dev set, score them, and print the comparison.

The pieces are separate so tests and the quality gate can use them directly:
:func:`run_system` takes any :class:`~cleaner.bench.systems.System` (hence any
``str -> str`` callable), :func:`score_outputs` applies the set's metric,
:func:`evaluate_set` does both for a list of systems.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO

from cleaner.bench import report as page_report
from cleaner.bench.data import SET_FILES, Page, load_html, load_set
from cleaner.bench.metrics import (
    PageScore,
    Score,
    SnippetCounts,
    shingle_f1,
    shingle_page,
    snippet_f1,
    snippet_page,
)
from cleaner.bench.peers import REFERENCE
from cleaner.bench.systems import System

PageResult = PageScore | SnippetCounts


@dataclass(frozen=True)
class SystemRun:
    """What one system produced on one set, and how it scored."""

    system: System
    outputs: tuple[str, ...] = ()
    page_scores: tuple[PageResult, ...] = ()
    score: Score | None = None
    seconds: float = 0.0
    errors: tuple[tuple[str, str], ...] = ()  # (page id, "ExceptionType: message")

    def mb_per_s(self, megabytes: float) -> float | None:
        return megabytes / self.seconds if self.seconds > 0 else None


@dataclass(frozen=True)
class SetResult:
    set_name: str
    input_kind: str
    pages: tuple[Page, ...]
    megabytes: float  # input size, UTF-8, 10**6 bytes
    runs: tuple[SystemRun, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return SET_FILES[self.set_name]

    def run(self, name: str) -> SystemRun | None:
        return next((r for r in self.runs if r.system.name == name), None)


def run_system(system: System, inputs: Sequence[str], page_ids: Sequence[str], strict: bool = False) -> SystemRun:
    """Call ``system.fn`` on every input, timing the calls only.

    A page that raises (or returns a non-string) gets an empty output and is
    listed in ``errors``; with ``strict=True`` the exception propagates.
    """
    if system.fn is None:
        return SystemRun(system)
    fn = system.fn
    outputs: list[str] = []
    errors: list[tuple[str, str]] = []
    start = time.perf_counter()
    for page_id, text in zip(page_ids, inputs, strict=True):
        try:
            output = fn(text)
            if not isinstance(output, str):
                raise TypeError(f"{system.name} returned {type(output).__name__}, not str")
        except Exception as exc:
            if strict:
                raise
            errors.append((page_id, f"{type(exc).__name__}: {exc}"))
            output = ""
        outputs.append(output)
    seconds = time.perf_counter() - start
    return SystemRun(system, tuple(outputs), seconds=seconds, errors=tuple(errors))


def score_outputs(pages: Sequence[Page], outputs: Sequence[str]) -> tuple[Score, tuple[PageResult, ...]]:
    """The set's metric: shingle F1 with a truth, snippet F1 with with/without lists."""
    if pages and pages[0].truth is not None:
        shingle_scores = tuple(shingle_page(out, page.truth or "") for page, out in zip(pages, outputs, strict=True))
        return shingle_f1(shingle_scores), shingle_scores
    snippet_scores = tuple(
        snippet_page(out, page.with_, page.without) for page, out in zip(pages, outputs, strict=True)
    )
    return snippet_f1(snippet_scores), snippet_scores


def scored(run: SystemRun, pages: Sequence[Page]) -> SystemRun:
    if run.system.fn is None:
        return run
    score, page_scores = score_outputs(pages, run.outputs)
    return SystemRun(run.system, run.outputs, page_scores, score, run.seconds, run.errors)


def inputs_for(bench_dir: Path, set_name: str, input_kind: str, pages: tuple[Page, ...]) -> tuple[str, ...]:
    if input_kind == "html":
        return load_html(bench_dir, set_name, pages)
    return tuple(page.raw for page in pages)


def evaluate_set(
    set_name: str,
    input_kind: str,
    systems: Sequence[System],
    pages: tuple[Page, ...],
    inputs: Sequence[str],
    strict: bool = False,
) -> SetResult:
    ids = [page.id for page in pages]
    megabytes = sum(len(text.encode("utf-8")) for text in inputs) / 1e6
    runs = tuple(scored(run_system(system, inputs, ids, strict), pages) for system in systems)
    return SetResult(set_name, input_kind, pages, megabytes, runs)


def evaluate(
    bench_dir: Path, set_name: str, input_kind: str, systems: Sequence[System], strict: bool = False
) -> SetResult:
    """Load the set (cached) and its inputs once, then run every system."""
    pages = load_set(bench_dir, set_name)
    return evaluate_set(set_name, input_kind, systems, pages, inputs_for(bench_dir, set_name, input_kind, pages), strict)


# ---------------------------------------------------------------- printing


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def format_table(result: SetResult) -> list[str]:
    pages = result.pages
    if pages and pages[0].truth is None:
        withs = sum(len(p.with_) for p in pages)
        withouts = sum(len(p.without) for p in pages)
        metric = f"snippet F1 over {withs} 'with' + {withouts} 'without' snippets, title and text"
    else:
        metric = "shingle F1, per-page P/R averaged, article text without title"
    lines = [
        f"{result.title}: {len(pages)} pages, {result.input_kind} input, {result.megabytes:.2f} MB — {metric}",
    ]
    width = max([len(run.system.label) for run in result.runs] + [len("system")])
    header = f"  {'system':<{width}}  {'F1':>5}  {'P':>5}  {'R':>5}  {'ref F1':>6}  {'seconds':>7}  {'MB/s':>7}"
    lines += [header, "  " + "-" * (len(header) - 2)]
    for run in result.runs:
        label = f"  {run.system.label:<{width}}  "
        if run.score is None:
            lines.append(label + (run.system.unavailable or "unavailable"))
            continue
        reference = REFERENCE.get((result.set_name, result.input_kind, run.system.name))
        speed = "—" if run.system.name == "none" else _fmt(run.mb_per_s(result.megabytes), 2)
        row = (
            f"{run.score.f1:5.3f}  {run.score.precision:5.3f}  {run.score.recall:5.3f}  "
            f"{_fmt(reference[0] if reference else None):>6}  {run.seconds:7.2f}  {speed:>7}"
        )
        notes = [run.system.note] if run.system.note else []
        if run.errors:
            page_id, message = run.errors[0]
            notes.append(f"{len(run.errors)} pages raised (first {page_id[:16]}: {message[:80]})")
        lines.append(label + row + ("  " + "; ".join(notes) if notes else ""))
    return lines


def worst_reports(result: SetResult, system_name: str, n: int) -> list[page_report.PageReport]:
    run = result.run(system_name)
    if run is None or run.score is None:
        return []
    return page_report.worst_pages(result.pages, run.outputs, run.page_scores, n)


def format_worst(result: SetResult, system_name: str, n: int, blocks: int = 3, width: int = 160) -> list[str]:
    if n <= 0:
        return []
    run = result.run(system_name)
    if run is None or run.score is None:
        why = "not run" if run is None else run.system.unavailable
        return [f"worst pages: skipped, system {system_name!r} {why}"]
    reports = worst_reports(result, system_name, n)
    lines = [f"worst {len(reports)} pages for {run.system.label} on {result.title}:"]
    errors = dict(run.errors)
    for rank, report in enumerate(reports, 1):
        page_lines = page_report.format_report(report, rank, blocks, width)
        if report.page.id in errors:  # its output was replaced by ""
            page_lines.insert(1, f"    raised: {page_report.shorten(errors[report.page.id], width - 12)}")
        lines += page_lines
    if not reports:
        lines.append("  (no page with an error)")
    return lines


def print_result(
    result: SetResult, worst_system: str, worst: int, out: TextIO, blocks: int = 3, width: int = 160
) -> None:
    for line in format_table(result):
        print(line, file=out)
    worst_lines = format_worst(result, worst_system, worst, blocks, width)
    if worst_lines:
        print(file=out)
        for line in worst_lines:
            print(line, file=out)
    print(file=out)


# ---------------------------------------------------------------- JSON


def _page_score_dict(page: Page, score: PageResult) -> dict[str, Any]:
    if isinstance(score, PageScore):
        return {"id": page.id, "f1": score.f1, "precision": score.precision, "recall": score.recall}
    return {"id": page.id, "tp": score.tp, "fn": score.fn, "fp": score.fp}


def result_dict(result: SetResult, worst_system: str, worst: int, blocks: int = 3) -> dict[str, Any]:
    systems = []
    for run in result.runs:
        entry: dict[str, Any] = {"name": run.system.name, "label": run.system.label, "available": run.score is not None}
        if run.score is None:
            entry["unavailable"] = run.system.unavailable
        else:
            reference = REFERENCE.get((result.set_name, result.input_kind, run.system.name))
            entry.update(
                f1=run.score.f1,
                precision=run.score.precision,
                recall=run.score.recall,
                reference_f1=reference[0] if reference else None,
                seconds=run.seconds,
                mb_per_s=run.mb_per_s(result.megabytes),
                note=run.system.note,
                errors=[{"id": i, "error": e} for i, e in run.errors],
                pages=[_page_score_dict(p, s) for p, s in zip(result.pages, run.page_scores)],
            )
        systems.append(entry)
    return {
        "set": result.set_name,
        "input": result.input_kind,
        "pages": len(result.pages),
        "megabytes": result.megabytes,
        "systems": systems,
        "worst": {
            "system": worst_system,
            "pages": [r.as_dict(blocks) for r in worst_reports(result, worst_system, worst)],
        },
    }
