"""The explain report: one self-contained HTML page showing what was removed, by which rule, and why.

``render_report([(name, raw, result), ...])`` returns the page; ``clean --report PATH`` writes it.
The page needs no network access: CSS and script are inline, nothing is fetched.

* The dump is shown line by line (with input line numbers). Every span a decision covers is
  highlighted in its rule's colour, with the rule's code, name and reason on hover (``title``
  attribute); removals, edits (HTML repair), moves to metadata and titles each have their own
  style. Kept article text is plain. Article boundaries are marked, with the article's title.
* A side panel: per-rule counts (decisions, input lines touched, characters covered), per-document
  kept/removed/moved shares, the documents with the most removed, the over-deletion guard's flags
  (``Result.flags``), filters showing one rule at a time (also ``#rule=T001`` in the URL), and a
  list to jump between documents (``#doc-3``).
* Everything from the input (dump, names, decision texts and reasons) is escaped: a dump holding
  ``<script>`` is shown as text, never run.

Batches are sampled when large, deterministically: with more than ``limit`` documents the page
shows every k-th document in input order (k the smallest power of two that keeps at most ``limit``)
plus the ``top`` documents with the most characters removed. The panel's counts cover every
document; the page says so. :class:`ReportBuilder` does this in bounded memory, one document at a
time, so ``clean --jsonl --report`` can stream a batch of any size.

Counts, as the page defines them:

* per rule: ``decisions`` (removals, edits, metadata moves, titles), ``lines`` (distinct input
  lines its decisions cover), ``chars`` (the sum of ``end - start`` over its decisions: characters
  of the normalised input they cover; an edit inside a line another rule removed counts for both);
* per document: ``content`` (characters of its non-blank lines, without leading/trailing blanks),
  ``removed`` (characters covered by a removal or edit), ``moved`` (covered by a metadata move or a
  title, and not removed), ``kept`` (the rest: the article bodies).
"""

from __future__ import annotations

import bisect
import heapq
import html
import re
import zlib
from dataclasses import dataclass, field
from typing import Iterable

from .document import Action, Decision, Result
from .textio import prepare

#: At most this many documents of a batch are shown in full (the sample; see the module doc).
SAMPLE_LIMIT = 200
#: The documents with the most characters removed, listed (and shown) however large the batch.
TOP = 10
#: Flags kept for the panel (they are rare; a pathological batch must not grow without bound).
MAX_FLAGS = 500

_STYLE = {Action.REMOVE: "rm", Action.EDIT: "ed", Action.METADATA: "md", Action.TITLE: "ti"}
_BAD = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")


def esc(value: object) -> str:
    """``value`` as HTML text (quotes escaped, so also safe in attributes).

    Lone surrogates (possible from JSON ``\\ud800`` escapes) and control characters other than
    tab, newline and form feed become U+FFFD: one character for one, so offsets still hold.
    """
    return html.escape(_BAD.sub("\ufffd", str(value)), quote=True)


def _verb(d: Decision) -> str:
    if d.action is Action.EDIT:
        if d.replacement:
            shown = d.replacement if len(d.replacement) <= 40 else d.replacement[:39] + "…"
            return f"edited to {shown!r}"
        return "deleted (edit)"
    if d.action is Action.METADATA:
        return f"moved to {d.field or 'metadata'}"
    if d.action is Action.TITLE:
        return "moved to the title"
    return "removed"


def _tip(d: Decision) -> str:
    return f"{d.code} {d.rule} — {_verb(d)}\n{d.reason}\nline {d.line}, characters {d.start}–{d.end}"


# --------------------------------------------------------------------------- statistics


@dataclass
class RuleCount:
    code: str
    rule: str
    decisions: int = 0
    lines: int = 0
    chars: int = 0
    documents: int = 0


@dataclass
class DocSummary:
    index: int  # 0-based position in the input
    name: str
    content: int
    removed: int
    moved: int
    articles: int
    decisions: int
    flags: list[str]
    warnings: list[str]
    rules: dict[str, RuleCount]

    @property
    def kept(self) -> int:
        return max(self.content - self.removed - self.moved, 0)

    def share(self, part: int) -> float:
        return part / self.content if self.content else 0.0


def _spans(result: Result, length: int) -> list[Decision]:
    """The decisions that cover text, clipped to the input (a decision never lies, but be safe)."""
    return [d for d in result.decisions if d.action in _STYLE and min(d.end, length) > max(d.start, 0)]


def summarise(index: int, name: str, raw: str, result: Result) -> DocSummary:
    """The counts of one document (see the module doc for their definitions)."""
    prepared = prepare(raw)
    text = prepared.text
    spans = _spans(result, len(text))
    marks = bytearray(len(text))
    for d in spans:  # moved first, so that removed characters win where both apply
        if d.action in (Action.METADATA, Action.TITLE):
            s, e = max(d.start, 0), min(d.end, len(text))
            marks[s:e] = b"\x01" * (e - s)
    for d in spans:
        if d.action in (Action.REMOVE, Action.EDIT):
            s, e = max(d.start, 0), min(d.end, len(text))
            marks[s:e] = b"\x02" * (e - s)
    rules: dict[str, RuleCount] = {}
    touched: dict[str, set[int]] = {}
    for d in result.removed:
        count = rules.setdefault(d.code, RuleCount(d.code, d.rule))
        count.decisions += 1
        count.chars += max(d.end - d.start, 0)
        touched.setdefault(d.code, set()).add(d.line)
    for code, lines in touched.items():
        rules[code].lines = len(lines)
        rules[code].documents = 1
    return DocSummary(
        index=index,
        name=name,
        content=sum(len(line.text) for line in prepared.lines),
        removed=marks.count(2),
        moved=marks.count(1),
        articles=len(result.articles),
        decisions=len(result.removed),
        flags=list(result.flags),
        warnings=list(result.warnings),
        rules=rules,
    )


# --------------------------------------------------------------------------- collecting


@dataclass
class _Doc:
    summary: DocSummary
    raw: str
    result: Result


@dataclass
class ReportBuilder:
    """Collects documents one at a time (bounded memory) and renders the page."""

    limit: int = SAMPLE_LIMIT
    top: int = TOP
    count: int = 0
    stride: int = 1
    failures: int = 0
    totals: dict[str, RuleCount] = field(default_factory=dict)
    content: int = 0
    removed: int = 0
    moved: int = 0
    articles: int = 0
    flags: list[tuple[int, str, str]] = field(default_factory=list)
    flagged: int = 0
    _sample: list[_Doc] = field(default_factory=list)
    _top: list[tuple[int, int, _Doc]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.limit = max(self.limit, 1)
        self.top = max(self.top, 0)

    def add(self, name: str, raw: str, result: Result) -> None:
        summary = summarise(self.count, name, raw, result)
        doc = _Doc(summary, raw, result)
        self.count += 1
        for code, c in summary.rules.items():
            t = self.totals.setdefault(code, RuleCount(code, c.rule))
            t.decisions += c.decisions
            t.lines += c.lines
            t.chars += c.chars
            t.documents += 1
        self.content += summary.content
        self.removed += summary.removed
        self.moved += summary.moved
        self.articles += summary.articles
        if summary.flags:
            self.flagged += 1
            for flag in summary.flags:
                if len(self.flags) < MAX_FLAGS:
                    self.flags.append((summary.index, name, flag))
        # Systematic sample: every stride-th document; the stride doubles when the sample is full.
        if summary.index % self.stride == 0:
            self._sample.append(doc)
            while len(self._sample) > self.limit:
                self.stride *= 2
                self._sample = [d for d in self._sample if d.summary.index % self.stride == 0]
        # The most removed: a min-heap on (removed, -index), so ties keep the earlier document.
        if self.top > 0 and summary.removed > 0:
            heapq.heappush(self._top, (summary.removed, -summary.index, doc))
            if len(self._top) > self.top:
                heapq.heappop(self._top)

    def add_failure(self) -> None:
        """A batch record that could not be cleaned (it has an ``error`` in the output)."""
        self.failures += 1

    def most_removed(self) -> list[DocSummary]:
        return [doc.summary for _, _, doc in sorted(self._top, key=lambda t: (-t[0], -t[1]))]

    def shown(self) -> list[_Doc]:
        """The documents shown in full, in input order."""
        chosen = {d.summary.index: d for d in self._sample}
        for _, _, doc in self._top:
            chosen.setdefault(doc.summary.index, doc)
        return [chosen[i] for i in sorted(chosen)]

    def render(self) -> str:
        return _Page(self).render()


def render_report(documents: Iterable[tuple[str, str, Result]], limit: int = SAMPLE_LIMIT, top: int = TOP) -> str:
    """The explain report of ``(name, raw text, result)`` triples, as one self-contained HTML page.

    ``raw`` is the dump as it was given to :func:`cleaner.clean` (or its normalised text: the
    normalisation is idempotent); decision offsets refer to its normalised form.
    """
    builder = ReportBuilder(limit=limit, top=top)
    for name, raw, result in documents:
        builder.add(name, raw, result)
    return builder.render()


# --------------------------------------------------------------------------- colours


def _rule_order() -> dict[str, tuple[int, str]]:
    from .registry import RULES

    return {rule.code: (i, rule.summary) for i, rule in enumerate(RULES)}


#: Hand-picked (hue, saturation) per known rule, so that rules met together look different.
_PALETTE = {
    "H001": (28, 95), "H002": (18, 45), "A001": (350, 85), "T001": (212, 85), "F001": (280, 60),
    "S001": (186, 75), "P001": (52, 95), "U001": (225, 25), "I001": (75, 60), "I002": (110, 55),
    "R001": (318, 70), "C001": (258, 70), "B001": (238, 80), "D001": (40, 85), "N001": (160, 60),
    "X001": (0, 0),
}


def _colour(code: str) -> tuple[int, int]:
    """(hue, saturation %) of a rule: from the palette, or derived from the code (stable)."""
    if code in _PALETTE:
        return _PALETTE[code]
    return zlib.crc32(code.encode("utf-8")) % 360, 70


def _css_class(code: str) -> str:
    return "r-" + re.sub(r"[^A-Za-z0-9_-]", "_", code)


# --------------------------------------------------------------------------- the page


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0.0%"


def _bar(kept: int, removed: int, moved: int) -> str:
    whole = kept + removed + moved
    if not whole:
        return '<span class="bar empty" title="no text"></span>'
    parts = []
    for cls, n, label in (("k", kept, "kept"), ("x", removed, "removed"), ("m", moved, "moved")):
        if n:
            parts.append(f'<i class="{cls}" style="width:{100 * n / whole:.2f}%" title="{label}: {n} characters"></i>')
    return f'<span class="bar">{"".join(parts)}</span>'


class _Page:
    def __init__(self, builder: ReportBuilder) -> None:
        self.b = builder
        self.order = _rule_order()
        codes = set(builder.totals)
        self.shown = builder.shown()
        for doc in self.shown:
            codes.update(d.code for d in doc.result.removed)
        self.codes = sorted(codes, key=lambda c: (self.order.get(c, (len(self.order), ""))[0], c))
        self.names = {c: builder.totals[c].rule for c in builder.totals}
        for doc in self.shown:
            for d in doc.result.removed:
                self.names.setdefault(d.code, d.rule)

    # -- whole page ---------------------------------------------------------------
    def render(self) -> str:
        b = self.b
        parts = [
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            "<title>cleaner explain report</title>\n<style>\n",
            _CSS,
            self._rule_css(),
            "</style>\n</head>\n<body>\n<div class=\"layout\">\n<main>\n",
        ]
        if not b.count:
            parts.append('<p class="none">No documents.</p>\n')
        for doc in self.shown:
            parts.append(self._document(doc))
        parts.append("</main>\n")
        parts.append(self._panel())
        parts.append("</div>\n")
        parts.append('<div id="report-state" hidden data-filter="" data-highlighted="" data-plain=""></div>\n')
        parts.append("<script>\n" + _JS + "</script>\n</body>\n</html>\n")
        return "".join(parts)

    def _rule_css(self) -> str:
        out = []
        for code in self.codes:
            h, sat = _colour(code)
            cls = _css_class(code)
            out.append(
                f".{cls}{{--bg:hsl({h} {sat}% 87%);--fg:hsl({h} {max(sat - 15, 0)}% 32%);--soft:hsl({h} {sat}% 94%)}}\n"
            )
            out.append(f"body.only-{cls} main .hl:not(.{cls}){{background:none;box-shadow:none;outline:none;"
                       f"color:inherit;text-decoration:none;font-weight:inherit}}\n")
            out.append(f"body.only-{cls} .tag:not(.{cls}){{display:none}}\n")
        return "".join(out)

    # -- the side panel -------------------------------------------------------------
    def _panel(self) -> str:
        b = self.b
        out = ['<aside id="panel">\n<h1>cleaner explain report</h1>\n']
        kept = max(b.content - b.removed - b.moved, 0)
        out.append(
            f'<p class="totals" data-documents="{b.count}" data-shown="{len(self.shown)}">'
            f"{b.count} document{'s' if b.count != 1 else ''}, {b.articles} article{'s' if b.articles != 1 else ''}; "
            f"of {b.content} characters {_pct(kept, b.content)} kept, {_pct(b.removed, b.content)} removed, "
            f"{_pct(b.moved, b.content)} moved to titles and metadata.</p>\n"
        )
        out.append(_bar(kept, b.removed, b.moved) + "\n")
        if len(self.shown) < b.count:
            k = b.stride
            out.append(
                f'<p class="sample" id="sample-note">Sampled: showing {len(self.shown)} of {b.count} documents — '
                f"every {_ordinal(k)} document in input order (the 1st, {_ordinal(k + 1)}, {_ordinal(2 * k + 1)}, …) "
                f"and the {b.top} with the most removed. The counts in this panel cover all {b.count} documents.</p>\n"
            )
        if b.failures:
            out.append(
                f'<p class="warn" data-failures="{b.failures}">{b.failures} record(s) could not be processed '
                f"(see their <code>error</code> field in the output); they are not in this report.</p>\n"
            )
        out.append(self._legend())
        out.append(self._rules_table())
        if b.count > 1:
            out.append(self._navigation())
        out.append(self._documents_table())
        out.append(self._most_removed())
        out.append(self._flags())
        out.append('<div id="hover-info" class="hover">Hover a highlighted span for its rule and reason.</div>\n')
        out.append("</aside>\n")
        return "".join(out)

    def _legend(self) -> str:
        return (
            '<h2>Legend</h2>\n<p class="legend">'
            '<span class="hl rm demo">removed</span> '
            '<span class="hl ed demo">edited (HTML repair)</span> '
            '<span class="hl md demo">moved to metadata</span> '
            '<span class="hl ti demo">title</span> '
            "kept text is plain. Colour = rule.</p>\n"
        )

    def _rules_table(self) -> str:
        b = self.b
        rows = []
        for code in self.codes:
            t = b.totals.get(code, RuleCount(code, self.names.get(code, "")))
            summary = self.order.get(code, (0, ""))[1]
            cls = _css_class(code)
            rows.append(
                f'<tr class="{cls}" data-rule="{esc(code)}" data-decisions="{t.decisions}" data-lines="{t.lines}" '
                f'data-chars="{t.chars}" data-documents="{t.documents}">'
                f'<td><button type="button" class="filter {cls}" data-rule="{esc(cls[2:])}" aria-pressed="false" '
                f'title="{esc(summary or t.rule)} — show this rule only"><i class="sw"></i>{esc(code)} '
                f"<small>{esc(t.rule)}</small></button></td>"
                f'<td class="n">{t.decisions}</td><td class="n">{t.lines}</td><td class="n">{t.chars}</td>'
                f'<td class="n">{t.documents}</td></tr>\n'
            )
        if not rows:
            rows.append('<tr><td colspan="5" class="none">No rule removed anything.</td></tr>\n')
        return (
            '<h2>Rules</h2>\n<div class="filters"><button type="button" class="filter all" data-rule="" '
            'aria-pressed="true">All rules</button> <span class="hint">or pick one below</span></div>\n'
            '<table id="rules" class="counts"><thead><tr><th>rule</th><th title="decisions">dec.</th>'
            '<th title="input lines its decisions cover">lines</th><th title="characters of the input its '
            'decisions cover">chars</th><th title="documents">docs</th></tr></thead>\n<tbody>\n'
            + "".join(rows)
            + "</tbody></table>\n"
        )

    def _navigation(self) -> str:
        options = "".join(
            f'<option value="doc-{d.summary.index + 1}">{d.summary.index + 1}. {esc(_short(d.summary.name, 60))} '
            f"({_pct(d.summary.removed, d.summary.content)} removed)</option>\n"
            for d in self.shown
        )
        return (
            '<h2>Go to document</h2>\n<select id="jump" aria-label="Go to document">\n'
            f'<option value="">— choose one of {len(self.shown)} —</option>\n{options}</select>\n'
        )

    def _documents_table(self) -> str:
        rows = []
        for doc in self.shown:
            s = doc.summary
            rows.append(
                f'<tr data-doc="{s.index + 1}" data-content="{s.content}" data-kept="{s.kept}" '
                f'data-removed="{s.removed}" data-moved="{s.moved}"><td><a href="#doc-{s.index + 1}">'
                f"{s.index + 1}. {esc(_short(s.name, 36))}</a></td>"
                f'<td class="n">{_pct(s.kept, s.content)}</td><td class="n">{_pct(s.removed, s.content)}</td>'
                f'<td class="n">{_pct(s.moved, s.content)}</td></tr>\n'
            )
        if not rows:
            rows.append('<tr><td colspan="4" class="none">No documents.</td></tr>\n')
        return (
            '<h2>Documents</h2>\n<div class="scroll"><table id="documents" class="counts"><thead><tr>'
            "<th>document</th><th>kept</th><th>removed</th><th>moved</th></tr></thead>\n<tbody>\n"
            + "".join(rows)
            + "</tbody></table></div>\n"
        )

    def _most_removed(self) -> str:
        shown = {d.summary.index for d in self.shown}
        items = []
        for s in self.b.most_removed():
            name = f"{s.index + 1}. {esc(_short(s.name, 40))}"
            link = f'<a href="#doc-{s.index + 1}">{name}</a>' if s.index in shown else name
            items.append(
                f'<li data-doc="{s.index + 1}" data-removed="{s.removed}">{link} — {s.removed} characters '
                f"({_pct(s.removed, s.content)})</li>\n"
            )
        body = "".join(items) or '<li class="none">Nothing was removed.</li>\n'
        return f'<h2>Most removed</h2>\n<ol id="most-removed">\n{body}</ol>\n'

    def _flags(self) -> str:
        b = self.b
        items = [
            f'<li data-doc="{i + 1}"><a href="#doc-{i + 1}">{i + 1}. {esc(_short(name, 40))}</a>: {esc(flag)}</li>\n'
            for i, name, flag in b.flags
        ]
        total = b.flagged
        note = ""
        if len(b.flags) >= MAX_FLAGS:
            note = f'<p class="hint">Only the first {MAX_FLAGS} flags are listed.</p>\n'
        body = "".join(items) or '<li class="none">No flags: the over-deletion guard did not act.</li>\n'
        return f'<h2>Flags <small>({total} document{"s" if total != 1 else ""})</small></h2>\n<ul id="flags">\n{body}</ul>\n{note}'

    # -- one document -----------------------------------------------------------------
    def _document(self, doc: _Doc) -> str:
        s = doc.summary
        result = doc.result
        prepared = prepare(doc.raw)
        text = prepared.text
        spans = _spans(result, len(text))
        n = s.index + 1
        out = [
            f'<section class="doc" id="doc-{n}" data-doc="{n}" data-articles="{s.articles}">\n<header class="doc-head">'
            f"<h2><span class=\"num\">{n}</span> {esc(s.name)}</h2>\n"
            f'<p class="stats">{s.articles} article{"s" if s.articles != 1 else ""} · {s.decisions} decision'
            f'{"s" if s.decisions != 1 else ""} · {s.content} characters: kept {_pct(s.kept, s.content)}, '
            f"removed {_pct(s.removed, s.content)}, moved {_pct(s.moved, s.content)}</p>\n"
            + _bar(s.kept, s.removed, s.moved)
            + "\n"
        ]
        for flag in s.flags:
            out.append(f'<p class="flag">⚑ {esc(flag)}</p>\n')
        for w in s.warnings:
            out.append(f'<p class="warn">warning: {esc(w)}</p>\n')
        starts = self._article_starts(prepared, result)
        if len(starts) > 1:
            links = " ".join(f'<a href="#doc-{n}-art-{k}">{k}</a>' for k in sorted(v[0] for v in starts.values()))
            out.append(f'<p class="arts">Articles: {links}</p>\n')
        out.append("</header>\n<div class=\"dump\">\n")
        lines = text.split("\n") if text.strip() else []
        if lines and not lines[-1]:
            lines.pop()  # the final newline ends the last line; it opens no new one
        if not lines:
            out.append('<p class="none">This dump is empty.</p>\n')
        splits = {d.line: d for d in result.decisions if d.action is Action.SPLIT}
        bounds = []  # (start, end) of each input line
        pos = 0
        for raw_line in lines:
            bounds.append((pos, pos + len(raw_line)))
            pos += len(raw_line) + 1
        by_line: dict[int, list[Decision]] = {}  # 0-based line index -> the spans that meet it
        starts_at = [lo for lo, _ in bounds]
        for d in spans:
            i = max(bisect.bisect_right(starts_at, d.start) - 1, 0)
            while i < len(bounds) and bounds[i][0] < d.end:
                if d.start < bounds[i][1]:
                    by_line.setdefault(i, []).append(d)
                i += 1
        for number, raw_line in enumerate(lines, 1):
            lo, hi = bounds[number - 1]
            if number in starts:
                k, title = starts[number]
                split = splits.get(number)
                why = f' <span class="why">{esc(split.code)}: {esc(split.reason)}</span>' if split else ""
                shown_title = (
                    f'<span class="t">{esc(title)}</span>' if title else '<span class="untitled">(no title)</span>'
                )
                out.append(
                    f'<div class="art" id="doc-{n}-art-{k}" data-article="{k}" data-line="{number}">'
                    f"<b>Article {k}</b> {shown_title}{why}</div>\n"
                )
            elif number in splits:
                split = splits[number]
                out.append(
                    f'<div class="art gone" data-line="{number}"><b>Split</b> <span class="why">'
                    f"{esc(split.code)}: {esc(split.reason)} — no article text survived</span></div>\n"
                )
            here = by_line.get(number - 1, []) if lo < hi else []
            out.append(self._row(number, text, lo, hi, raw_line, here))
        out.append("</div>\n</section>\n")
        return "".join(out)

    def _article_starts(self, prepared, result: Result) -> dict[int, tuple[int, str | None]]:
        """Input line number where each article starts → (article number, title)."""
        lines = prepared.lines
        starts = set(prepared.hard_starts)
        index = {line.number: i for i, line in enumerate(lines)}
        for d in result.decisions:
            if d.action is Action.SPLIT and d.line in index:
                starts.add(index[d.line])
        group_of: dict[int, int] = {}  # line number -> index of the line starting its group
        current = 0
        for i, line in enumerate(lines):
            if i in starts:
                current = i
            group_of[line.number] = current
        out: dict[int, tuple[int, str | None]] = {}
        for k, article in enumerate(result.articles, 1):
            if not article.lines or article.lines[0] not in group_of:
                continue
            first = lines[group_of[article.lines[0]]].number
            out.setdefault(first, (k, article.title))
        return out

    def _row(self, number: int, text: str, lo: int, hi: int, raw_line: str, spans: list[Decision]) -> str:
        codes = []
        for d in spans:
            if d.code not in codes:
                codes.append(d.code)
        tags = "".join(
            f'<span class="tag {_css_class(c)}" title="{esc(c)} {esc(self.names.get(c, ""))}">{esc(c)}</span>'
            for c in codes
        )
        if not raw_line.strip():
            cls = "row blank sep" if "\f" in raw_line else "row blank"
            return f'<div class="{cls}" data-line="{number}"><span class="no">{number}</span><span class="tags"></span><span class="tx"></span></div>\n'
        first = lo + len(raw_line) - len(raw_line.lstrip())
        last = hi - (len(raw_line) - len(raw_line.rstrip()))
        # The whole line left the body (removed, moved to metadata or title): greyed a little.
        whole = any(d.action is not Action.EDIT and d.start <= first and d.end >= last for d in spans)
        cls = "row cut" if whole else "row"
        body = self._nest(text, lo, hi, spans)
        return (
            f'<div class="{cls}" data-line="{number}"><span class="no">{number}</span>'
            f'<span class="tags">{tags}</span><span class="tx">{body}</span></div>\n'
        )

    def _nest(self, text: str, lo: int, hi: int, spans: list[Decision]) -> str:
        """The text of ``[lo, hi)`` with the spans as nested elements (partial overlaps clipped)."""
        ordered = sorted(
            ((max(d.start, lo), min(d.end, hi), i, d) for i, d in enumerate(spans)),
            key=lambda t: (t[0], -t[1], t[2]),
        )
        root: list = []
        stack: list[tuple[int, list]] = []  # (end, children)
        for start, end, _, d in ordered:
            while stack and start >= stack[-1][0]:
                stack.pop()
            if stack:
                end = min(end, stack[-1][0])
            if end <= start:
                continue
            node = (start, end, d, [])
            (stack[-1][1] if stack else root).append(node)
            stack.append((end, node[3]))
        return self._emit(text, lo, hi, root)

    def _emit(self, text: str, lo: int, hi: int, nodes: list) -> str:
        out = []
        pos = lo
        for start, end, d, children in nodes:
            out.append(esc(text[pos:start]))
            cls = f"hl {_STYLE[d.action]} {_css_class(d.code)}"
            out.append(
                f'<span class="{cls}" data-code="{esc(d.code)}" data-action="{d.action.value}" '
                f'data-start="{d.start}" data-end="{d.end}" data-line="{d.line}" title="{esc(_tip(d))}">'
            )
            out.append(self._emit(text, start, end, children))
            out.append("</span>")
            pos = end
        out.append(esc(text[pos:hi]))
        return "".join(out)


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_CSS = """\
*{box-sizing:border-box}
html{scroll-padding-top:8px}
body{margin:0;font:14px/1.45 "DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f3f3f0}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 390px;min-height:100vh}
main{padding:16px 20px 40px;min-width:0}
aside{position:sticky;top:0;height:100vh;overflow-y:auto;overflow-x:hidden;background:#fff;border-left:1px solid #d8d8d2;padding:12px 16px 24px;font-size:12.5px}
aside h1{font-size:16px;margin:0 0 6px}
aside h2{font-size:13px;margin:16px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:#57606a}
aside h2 small{text-transform:none;letter-spacing:0;font-weight:normal}
.totals{margin:0 0 6px}
.sample{background:#fff8c5;border:1px solid #e5d37a;padding:6px 8px;border-radius:4px}
.warn{color:#8a4b00}
.none{color:#6e7781;font-style:italic}
.hint{color:#6e7781}
table.counts{border-collapse:collapse;width:100%}
table.counts th{font-weight:600;text-align:right;color:#57606a;border-bottom:1px solid #d8d8d2;padding:2px 4px}
table.counts th:first-child{text-align:left}
table.counts td{padding:2px 4px;border-bottom:1px solid #f0f0ec;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{max-height:240px;overflow-y:auto;overflow-x:hidden;border:1px solid #eee}
#documents{table-layout:fixed}
#documents th:not(:first-child){width:5.4em}
#documents td:first-child{overflow-wrap:anywhere}
button.filter{font:inherit;border:1px solid #c9c9c2;background:#fafaf8;border-radius:4px;padding:1px 6px;cursor:pointer;text-align:left;white-space:nowrap}
button.filter small{color:#57606a}
#rules button.filter{white-space:normal;max-width:100%}
#rules td:first-child{width:100%}
button.filter[aria-pressed=true]{background:#1f2328;color:#fff;border-color:#1f2328}
button.filter[aria-pressed=true] small{color:#ddd}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--bg);border:1px solid var(--fg);margin-right:5px;vertical-align:-1px}
select{width:100%;font:inherit;padding:3px}
ol,ul{padding-left:20px;margin:4px 0}
li{margin:2px 0}
a{color:#0550ae}
.legend .demo{padding:0 4px;white-space:nowrap;--bg:#e3e3de;--fg:#57606a;--soft:#f1f1ee}
.hover{position:sticky;bottom:-24px;margin-top:14px;background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:6px 8px;white-space:pre-wrap;min-height:3.2em}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:#eee;margin:4px 0;max-width:420px}
.bar i{display:block;height:100%}
.bar .k{background:#2da44e}.bar .x{background:#cf222e}.bar .m{background:#8250df}
.doc{background:#fff;border:1px solid #d8d8d2;border-radius:6px;margin:0 0 22px;overflow:hidden}
.doc-head{padding:10px 14px 8px;border-bottom:1px solid #e4e4de;background:#fbfbf9}
.doc-head h2{font-size:15px;margin:0 0 2px;overflow-wrap:anywhere}
.doc-head .num{display:inline-block;min-width:1.6em;text-align:center;background:#1f2328;color:#fff;border-radius:10px;font-size:12px;padding:0 6px;margin-right:4px}
.doc-head p{margin:2px 0}
.stats{color:#57606a;font-size:12.5px}
.flag{color:#8a4b00;background:#fff1e5;border:1px solid #f0c8a0;border-radius:4px;padding:3px 8px}
.arts a{margin-right:4px}
.dump{font:12.5px/1.6 "DejaVu Sans Mono",ui-monospace,Menlo,Consolas,monospace;padding:4px 0 8px}
.row{display:grid;grid-template-columns:3.2em 4.6em minmax(0,1fr);padding:1px 0}
.row .no{color:#8c959f;text-align:right;padding-right:8px;user-select:none;font-size:11px;line-height:1.6rem}
.row .tags{line-height:1.2}
.row .tx{white-space:pre-wrap;overflow-wrap:anywhere;padding-right:14px;min-width:0}
.row.blank{height:6px;overflow:hidden;padding:0}
.row.blank .no{visibility:hidden}
.row.sep{height:auto}
.row.sep .tx::before{content:"\\240C  form feed: article separator";color:#8c959f;font-style:italic}
.row.cut .tx{color:#57606a}
.tag{display:inline-block;font:600 10px/1.5 "DejaVu Sans",sans-serif;color:#fff;background:var(--fg);border-radius:3px;padding:0 4px;margin:3px 2px 0 0}
.hl{border-radius:2px}
.hl.rm{background:var(--bg);text-decoration:line-through;text-decoration-color:var(--fg);text-decoration-thickness:1px}
.hl.ed{background:var(--bg);outline:1.5px solid var(--fg);outline-offset:-1px;color:var(--fg);font-weight:600;text-decoration:none}
.hl.md{background:var(--soft);box-shadow:inset 0 -2px 0 var(--fg);font-style:italic;color:#1f2328}
.hl.ti{background:var(--soft);box-shadow:inset 0 -3px 0 var(--fg);font-weight:700;color:#1f2328}
.hl:hover{filter:brightness(.93)}
.art{margin:10px 0 4px;padding:5px 14px;border-top:2px solid #1f2328;background:#eef1f4;font:13px/1.4 "DejaVu Sans",sans-serif}
.art b{margin-right:6px}
.art .t{font-weight:600}
.art .untitled{color:#6e7781;font-style:italic}
.art .why{color:#57606a;font-size:12px;margin-left:8px}
.art.gone{border-top:1px dashed #8c959f;background:#f6f6f4}
@media (max-width:900px){.layout{grid-template-columns:1fr}aside{position:static;height:auto;border-left:0;border-top:1px solid #ddd}}
"""

_JS = r"""(function () {
  "use strict";
  var body = document.body;
  var state = document.getElementById("report-state");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.filter"));
  var spans = Array.prototype.slice.call(document.querySelectorAll("main .hl"));
  function clean(rule) { return /^[A-Za-z0-9_-]+$/.test(rule || "") ? rule : ""; }
  function highlighted(el) {
    var bg = getComputedStyle(el).backgroundColor;
    return !(bg === "transparent" || bg === "rgba(0, 0, 0, 0)");
  }
  function apply(rule) {
    rule = clean(rule);
    var known = rule && document.querySelector("button.filter[data-rule='" + rule + "']");
    if (!known) { rule = ""; }
    body.className = body.className.replace(/(^|\s)only(-\S+)?/g, " ").trim();
    if (rule) { body.classList.add("only"); body.classList.add("only-r-" + rule); }
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-rule") === rule)); });
    var on = 0, off = 0;
    spans.forEach(function (s) { if (highlighted(s)) { on++; } else { off++; } });
    state.setAttribute("data-filter", rule);
    state.setAttribute("data-highlighted", String(on));
    state.setAttribute("data-plain", String(off));
  }
  function fromHash() {
    var m = /(?:^#|&)rule=([^&]*)/.exec(location.hash);
    apply(m ? decodeURIComponent(m[1]) : "");
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var rule = b.getAttribute("data-rule");
      if (b.getAttribute("aria-pressed") === "true") { rule = ""; }
      apply(rule);
      if (history.replaceState) { history.replaceState(null, "", rule ? "#rule=" + rule : location.pathname); }
    });
  });
  var jump = document.getElementById("jump");
  if (jump) {
    jump.addEventListener("change", function () {
      var target = jump.value && document.getElementById(jump.value);
      if (target) { target.scrollIntoView(); }
    });
  }
  var info = document.getElementById("hover-info");
  document.addEventListener("mouseover", function (e) {
    var el = e.target;
    while (el && el.classList && !el.classList.contains("hl")) { el = el.parentNode; }
    if (el && el.classList && info) { info.textContent = el.getAttribute("title"); }
  });
  // The characters each rule's spans hold, as the browser sees them (code points), for checking.
  var chars = {};
  spans.forEach(function (s) {
    var code = s.getAttribute("data-code");
    chars[code] = (chars[code] || 0) + Array.from(s.textContent).length;
  });
  Array.prototype.forEach.call(document.querySelectorAll("#rules tr[data-rule]"), function (tr) {
    tr.setAttribute("data-dom-chars", String(chars[tr.getAttribute("data-rule")] || 0));
    tr.setAttribute("data-dom-spans", String(document.querySelectorAll("main .hl[data-code='" + tr.getAttribute("data-rule") + "']").length));
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
  var d = /(?:^#|&)doc=(\d+)/.exec(location.hash);
  if (d) { var el = document.getElementById("doc-" + d[1]); if (el) { el.scrollIntoView(); } }
})();
"""
