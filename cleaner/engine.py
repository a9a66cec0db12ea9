"""The engine: runs the registered rules over a dump and assembles the articles.

Stages, in order:

1. ``repair`` rules edit spans inside lines (HTML tags, entities). They all see
   the original line text; overlapping edits keep the first.
2. ``line`` rules remove lines, move them to metadata or mark article starts.
   Each sees the lines still alive after the rules before it.
3. The over-deletion guard: when the rules would remove nearly all of a dump
   that reads like prose, the removals of statistical (``revertible``) rules
   are undone and the document is flagged.
4. ``structure`` rules pick headlines.
5. Assembly: lines are grouped into articles at article starts; each article
   gets its title, body paragraphs (one per surviving line) and metadata.

Every step is a function of the input and the decisions so far: no state
survives from one document to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .document import Action, Article, Decision, Result
from .rules.base import DocView, Options, Rule
from .textio import Prepared, prepare

#: The guard acts when less than this share of a prose-like dump's characters would survive.
GUARD_MIN_KEPT = 0.15
#: A dump "looks like prose" when at least this share of its characters sit in prose lines.
GUARD_PROSE_SHARE = 0.5


@dataclass
class Engine:
    """An ordered set of rule instances and the options they read."""

    rules: Sequence[Rule]
    options: Options = field(default_factory=Options)

    def clean(self, text: str, warnings: Iterable[str] = ()) -> Result:
        prepared = prepare(text)
        decisions, flags = self.decide(prepared)
        articles = assemble(prepared, decisions)
        if self.options.language:
            from .language import tag_languages

            tag_languages(articles)
        if not articles and prepared.lines:
            flags.append("no-article: every line was judged boilerplate")
        return Result(articles, decisions, flags, [*warnings, *prepared.warnings])

    def decide(self, prepared: Prepared) -> tuple[list[Decision], list[str]]:
        lines = prepared.lines
        texts = [line.text for line in lines]
        alive = [True] * len(lines)
        starts = set(prepared.hard_starts)
        decisions: list[Decision] = []
        flags: list[str] = []

        stages = ("repair", "line")
        for stage in stages:
            for rule in self.rules:
                if rule.stage != stage:
                    continue
                view = DocView(lines, texts, alive, starts, self.options)
                if stage == "repair":
                    _apply_edits(rule.check(view), lines, texts, alive, decisions)
                else:
                    _apply(rule.check(view), lines, alive, starts, decisions)

        self._guard(prepared, texts, alive, decisions, flags)

        for rule in self.rules:
            if rule.stage == "structure":
                view = DocView(lines, texts, alive, starts, self.options)
                _apply(rule.check(view), lines, alive, starts, decisions)
        decisions.sort(key=lambda d: (d.start, d.end))
        return decisions, flags

    def _guard(
        self,
        prepared: Prepared,
        texts: list[str],
        alive: list[bool],
        decisions: list[Decision],
        flags: list[str],
    ) -> None:
        from .shapes import is_prose

        total = sum(len(t) for t in texts)
        if not total:
            return
        kept = sum(len(t) for t, a in zip(texts, alive) if a)
        if kept >= GUARD_MIN_KEPT * total:
            return
        prose = sum(len(t) for t in texts if is_prose(t))
        if prose < GUARD_PROSE_SHARE * total:
            return
        revertible = {r.code for r in self.rules if r.revertible}
        index = {line.number: i for i, line in enumerate(prepared.lines)}
        undone = [d for d in decisions if d.code in revertible and d.action is Action.REMOVE]
        if not undone:
            return
        for d in undone:
            alive[index[d.line]] = True
        decisions[:] = [d for d in decisions if not (d.code in revertible and d.action is Action.REMOVE)]
        message = (
            f"over-deletion guard: rules {sorted({d.code for d in undone})} would have left "
            f"{kept / total:.0%} of a prose-like dump; their {len(undone)} removal(s) were undone"
        )
        flags.append(message)
        first = prepared.lines[0]
        decisions.append(
            Decision(Action.FLAG, "G001", "over-deletion-guard", first.number, first.start, first.start, "", message)
        )


def _apply_edits(
    found: Iterable[Decision], lines: Sequence, texts: list[str], alive: list[bool], decisions: list[Decision]
) -> None:
    by_line: dict[int, list[Decision]] = {}
    index = {line.number: i for i, line in enumerate(lines)}
    for d in found:
        if d.action is not Action.EDIT:
            raise ValueError(f"repair rule {d.code} returned a {d.action.value} decision")
        by_line.setdefault(index[d.line], []).append(d)
    for i, edits in by_line.items():
        if not alive[i]:
            continue
        base = lines[i].start
        current = texts[i]
        # Edits are expressed on the original line; keep non-overlapping ones, apply right to left.
        # A line edited by an earlier repair rule keeps those edits: later rules may only touch
        # lines whose text is still the original.
        if current != lines[i].text:
            continue
        chosen: list[Decision] = []
        last_end = -1
        for d in sorted(edits, key=lambda d: (d.start, d.end)):
            if d.start >= last_end:
                chosen.append(d)
                last_end = d.end
        for d in reversed(chosen):
            current = current[: d.start - base] + (d.replacement or "") + current[d.end - base :]
        stripped = current.strip()
        texts[i] = stripped
        decisions.extend(chosen)
        if not stripped:
            alive[i] = False


def _apply(
    found: Iterable[Decision], lines: Sequence, alive: list[bool], starts: set[int], decisions: list[Decision]
) -> None:
    index: dict[int, int] | None = None
    for d in found:
        if index is None:
            index = {line.number: i for i, line in enumerate(lines)}
        i = index[d.line]
        if d.action is Action.SPLIT:
            if i not in starts:
                starts.add(i)
                decisions.append(d)
        elif d.action is Action.FLAG:
            decisions.append(d)
        elif d.action is Action.EDIT:
            raise ValueError(f"line rule {d.code} returned an edit")
        elif alive[i]:
            alive[i] = False
            decisions.append(d)


def assemble(prepared: Prepared, decisions: Sequence[Decision]) -> list[Article]:
    """Build the articles from the lines and the decisions alone (a replay of them)."""
    lines = prepared.lines
    index = {line.number: i for i, line in enumerate(lines)}
    texts = [line.text for line in lines]
    edits: dict[int, list[Decision]] = {}
    fate: dict[int, Decision] = {}
    starts = set(prepared.hard_starts)
    for d in decisions:
        i = index[d.line]
        if d.action is Action.EDIT:
            edits.setdefault(i, []).append(d)
        elif d.action is Action.SPLIT:
            starts.add(i)
        elif d.action in (Action.REMOVE, Action.METADATA, Action.TITLE):
            fate[i] = d
    for i, ds in edits.items():
        current = texts[i]
        base = lines[i].start
        for d in sorted(ds, key=lambda d: d.start, reverse=True):
            current = current[: d.start - base] + (d.replacement or "") + current[d.end - base :]
        texts[i] = current.strip()

    articles: list[Article] = []
    current_art: Article | None = None
    for i, line in enumerate(lines):
        if current_art is None or i in starts:
            if current_art is not None:
                articles.append(current_art)
            current_art = Article(title=None, paragraphs=[])
        d = fate.get(i)
        if d is None:
            if texts[i]:
                current_art.paragraphs.append(texts[i])
                current_art.lines.append(line.number)
        elif d.action is Action.TITLE:
            current_art.title = texts[i]
        elif d.action is Action.METADATA:
            current_art.metadata.setdefault(d.field or "metadata", []).append(texts[i])
    if current_art is not None:
        articles.append(current_art)
    return [a for a in articles if a.paragraphs]
