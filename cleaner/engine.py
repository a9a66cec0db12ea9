"""The engine: runs the registered rules over a dump and assembles the articles.

Stages, in order:

1. ``repair`` rules edit spans inside lines (HTML tags, entities). They all see
   the original line text; overlapping edits keep the first.
2. ``line`` rules remove lines, move them to metadata or mark article starts.
   Each sees the lines still alive after the rules before it.
3. The over-deletion guard: when the statistical (``revertible``) rules would
   remove nearly all of the text they judged (what the precise rules left) and
   that text reads like prose, the document is decided again without the rules
   that removed the most (as few as leave enough), and it is flagged.
4. ``structure`` rules pick headlines.
5. Assembly: lines are grouped into articles at article starts; each article
   gets its title, body paragraphs (one per surviving line) and metadata.

Every step is a function of the input and the decisions so far: no state
survives from one document to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import Iterable, Sequence

from .accel import c_function
from .document import EDIT, FLAG, METADATA, REMOVE, SPLIT, TITLE, Article, Decision, Result
from .rules.base import (
    LINE_NUMBER,
    LINE_TEXT,
    DocCache,
    DocView,
    Options,
    Removals,
    Rule,
    column,
    live_indices,
    still_live,
)
from .shapes import is_prose
from .textio import Prepared, prepare

#: The decisions' order, by start, then end: sorted by end, then stably by start (the same order
#: as by the tuple (start, end), ties kept as they came; int keys compare faster than tuples).
_START = attrgetter("start")
_END = attrgetter("end")
#: The guard acts when less than this share of a prose-like dump's characters would survive.
GUARD_MIN_KEPT = 0.15
#: At most this many rounds of the edge rules (``Rule.edge``); each round after the first only
#: runs when the one before removed a line, and real dumps settle in two.
EDGE_ROUNDS = 4
#: A dump "looks like prose" when at least this share of its characters sit in prose lines.
GUARD_PROSE_SHARE = 0.5


class _Plan:
    """The engine's rules by stage, read once for a sequence of rules (not for every document)."""

    __slots__ = ("rules", "repair", "line", "edge", "structure", "revertible")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.repair = [rule for rule in rules if rule.stage == "repair"]
        self.line = [rule for rule in rules if rule.stage == "line" and not rule.edge]
        self.edge = [rule for rule in rules if rule.stage == "line" and rule.edge]
        self.structure = [rule for rule in rules if rule.stage == "structure"]
        self.revertible = frozenset(rule.code for rule in rules if rule.revertible)


@dataclass
class Engine:
    """An ordered set of rule instances and the options they read."""

    rules: Sequence[Rule]
    options: Options = field(default_factory=Options)
    _plan: _Plan | None = field(default=None, init=False, repr=False, compare=False)

    def _stages(self) -> _Plan:
        """The rules by stage; read again when ``rules`` no longer holds the same rules."""
        rules = tuple(self.rules)
        plan = self._plan
        if plan is None or plan.rules != rules:
            plan = self._plan = _Plan(rules)
        return plan

    def clean(self, text: str, warnings: Iterable[str] = ()) -> Result:
        prepared = prepare(text)
        notes: list[str] = []
        size = _oversize(text, self.options.max_bytes)
        index = _LineIndex(prepared.lines)  # one table for deciding and assembling
        if size is None:
            decisions, flags = self._decide(prepared, index)
        else:
            decisions, flags = _pass_through(prepared, size, self.options.max_bytes or 0)
            notes.extend(flags)
        articles = assemble(prepared, decisions, index.mapping())
        if self.options.language:
            from .language import tag_languages

            tag_languages(articles)
        if not articles and prepared.lines:
            flags.append("no-article: every line was judged boilerplate")
        return Result(articles, decisions, flags, [*warnings, *prepared.warnings, *notes])

    def decide(self, prepared: Prepared) -> tuple[list[Decision], list[str]]:
        return self._decide(prepared, _LineIndex(prepared.lines))

    def _decide(self, prepared: Prepared, index: _LineIndex) -> tuple[list[Decision], list[str]]:
        lines = prepared.lines
        texts = column(lines, LINE_TEXT)
        alive = [True] * len(lines)
        starts = set(prepared.hard_starts)
        decisions: list[Decision] = []
        flags: list[str] = []
        cache = DocCache()  # per-document memo shared by the rules (word counts, teaser shapes, ...)
        cache.edited = set()  # the lines the repair rules edit, recorded as they apply
        # ``live``: the lines alive, None once a rule has removed some; ``known``: the lines alive as
        # last listed, which holds every line alive since (lines only die, but where the guard
        # below brings some back), so that the next list is read off it
        live: list[int] | None = list(range(len(lines)))
        known = live
        plan = self._stages()
        revertible = plan.revertible

        for rule in plan.repair:
            view = DocView(lines, texts, alive, starts, self.options, live, cache)
            edited = len(cache.edited)  # a line is edited once at most: the set grows with each change
            if _apply_edits(rule.check(view), lines, texts, alive, decisions, index, cache.edited):
                live = known = still_live(known, alive)
            if len(cache.edited) != edited:
                cache.texts_changed()  # no view may reuse a joined text of the texts before
        live = None
        # One view of the lines alive for the rules in turn, made again once one removes a line
        # (``_apply`` then drops its live hint) or ``live`` is listed anew: a rule reads it as a
        # view of its own would show it (rules never change it).
        view = None

        line_rules = plan.line
        edge_rules = plan.edge
        # The state before each revertible rule ran (position in line_rules; len(line_rules): before
        # the edge rounds): where the over-deletion guard resumes without the rules it undoes.
        checkpoints: dict[int, tuple[list[bool], set[int], list[Decision]]] = {}
        skip: frozenset[str] = frozenset()
        resume = 0
        while True:
            for k in range(resume, len(line_rules)):
                rule = line_rules[k]
                if rule.code in skip:
                    continue
                if rule.revertible and k not in checkpoints:
                    checkpoints[k] = (alive.copy(), set(starts), decisions.copy())
                if live is None:
                    live = known = still_live(known, alive)
                if view is None or view._live_hint is not live:
                    view = DocView(lines, texts, alive, starts, self.options, live, cache)
                if _apply(rule.check(view), lines, alive, starts, decisions, index, view, revertible):
                    live = None
            # The edge rules, after every other line rule, in rounds until one removes nothing.
            edges = [rule for rule in edge_rules if rule.code not in skip]
            if len(line_rules) not in checkpoints and any(rule.revertible for rule in edges):
                checkpoints[len(line_rules)] = (alive.copy(), set(starts), decisions.copy())
            for _ in range(EDGE_ROUNDS if edges else 0):
                removed = 0
                for rule in edges:
                    if live is None:
                        live = known = still_live(known, alive)
                    if view is None or view._live_hint is not live:
                        view = DocView(lines, texts, alive, starts, self.options, live, cache)
                    killed = _apply(rule.check(view), lines, alive, starts, decisions, index, view, revertible)
                    if killed:
                        live = None
                        removed += killed
                if not removed:
                    break
            guard = self._guard(texts, alive, decisions, index)
            if guard is None:
                break
            # Undo the over-deleting rules by deciding again without them, from the state before
            # the first of them ran: the rules after them (duplicates, edge rules) then judge every
            # line the output will hold, so cleaning the output again changes nothing.
            message, drop = guard
            flags.append(message)
            skip |= drop
            resume = min((k for k, rule in enumerate(line_rules) if rule.code in drop), default=len(line_rules))
            saved_alive, saved_starts, saved_decisions = checkpoints[resume]
            alive[:] = saved_alive
            starts.clear()
            starts.update(saved_starts)
            decisions[:] = saved_decisions
            for k in [k for k in checkpoints if k > resume]:
                del checkpoints[k]  # taken after the restored state: stale
            live = known = live_indices(alive)  # lines came back: listed anew
        first = prepared.lines[0] if flags else None
        for message in flags:
            decisions.append(
                Decision(FLAG, "G001", "over-deletion-guard", first.number, first.start, first.start, "", message)
            )
        live = None

        for rule in plan.structure:
            if live is None:
                live = known = still_live(known, alive)
            if view is None or view._live_hint is not live:
                view = DocView(lines, texts, alive, starts, self.options, live, cache)
            if _apply(rule.check(view), lines, alive, starts, decisions, index, view):
                live = None
        decisions.sort(key=_END)
        decisions.sort(key=_START)
        return decisions, flags

    def _guard(
        self,
        texts: list[str],
        alive: list[bool],
        decisions: list[Decision],
        index: "_LineIndex",
    ) -> tuple[str, frozenset[str]] | None:
        """When the revertible rules would leave almost nothing of a prose-like dump: the flag
        message and the codes of the rules to run the document again without (the rules that
        removed the most text, as few as bring what is left back over ``GUARD_MIN_KEPT``)."""
        lengths = list(map(len, texts))
        kept = sum(compress(lengths, alive))
        # The text judged below is part of the whole: when what is kept is enough of the whole,
        # it is enough of that part (the commonest case, decided without reading the decisions).
        if kept >= GUARD_MIN_KEPT * sum(lengths):
            return None
        revertible = self._stages().revertible
        undone = [d for d in decisions if d.code in revertible and d.action is REMOVE]
        if not undone:
            return None
        # Judge only the text the revertible rules judged: the lines still alive and the lines
        # they removed. Lines that precise rules removed or moved do not count, so the verdict on
        # the output is the verdict on the input (cleaning the output again changes nothing).
        # (A removed line is dead and removed once: the two parts do not overlap.)
        where = index.mapping()
        undone_lines = [where[d.line] for d in undone]
        total = kept + sum(map(lengths.__getitem__, undone_lines))
        if not total:
            return None
        if kept >= GUARD_MIN_KEPT * total:
            return None
        judged = live_indices(alive) + undone_lines
        prose = sum(len(texts[i]) for i in judged if is_prose(texts[i]))
        if prose < GUARD_PROSE_SHARE * total:
            return None
        removed_by: dict[str, int] = {}
        for d, i in zip(undone, undone_lines):
            removed_by[d.code] = removed_by.get(d.code, 0) + len(texts[i])
        drop: list[str] = []
        back = kept
        for code in sorted(removed_by, key=lambda c: (-removed_by[c], c)):
            drop.append(code)
            back += removed_by[code]
            if back >= GUARD_MIN_KEPT * total:
                break
        count = sum(1 for d in undone if d.code in drop)
        message = (
            f"over-deletion guard: rules {sorted(drop)} would have left "
            f"{kept / total:.0%} of a prose-like dump; their {count} removal(s) were undone"
        )
        return message, frozenset(drop)


def _oversize(text: str, limit: int | None) -> int | None:
    """The UTF-8 size of ``text`` when it exceeds ``limit`` bytes, else None (cheap when far below)."""
    if limit is None or len(text) * 4 <= limit:
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return size if size > limit else None


def _pass_through(prepared: Prepared, size: int, limit: int) -> tuple[list[Decision], list[str]]:
    """The size guard's fallback: no rule runs; every line stays a paragraph, and the document is flagged."""
    message = (
        f"oversize: the document is {size} bytes, over the limit of {limit} (--max-bytes); "
        "it was passed through uncleaned"
    )
    decisions: list[Decision] = []
    if prepared.lines:
        first = prepared.lines[0]
        decisions.append(Decision(FLAG, "G002", "size-guard", first.number, first.start, first.start, "", message))
    return decisions, [message]


#: How many line numbers beyond four a line :func:`number_index` gives a list for (a dump's blank
#: lines have numbers too); a document numbered more sparsely gets a dict.
_SPARE_NUMBERS = 1024


def _number_list_py(lines: Sequence, spare: int = _SPARE_NUMBERS) -> list[int | None] | None:
    """Line number -> index into ``lines`` as a list indexed by number (None where no line has the
    number), when the numbers run from 0 to at most ``spare`` + 4 per line; else None. The
    reference of the C ``number_list`` (tests/test_speedups.py compares them)."""
    numbers = column(lines, LINE_NUMBER)
    if min(numbers, default=0) < 0 or max(numbers, default=0) > spare + 4 * len(numbers):
        return None
    table: list[int | None] = [None] * (max(numbers, default=-1) + 1)
    for i, number in enumerate(numbers):
        table[number] = i
    return table


_number_list = c_function("number_list") or _number_list_py


def number_index(lines: Sequence) -> list[int | None] | dict[int, int]:
    """Line number -> index into ``lines``: a list indexed by number, where a dict takes an int's
    hash and a probe for each line and each lookup; the dict (``column``'s table of positions)
    when the numbers are too sparse for a list (two lines among millions of blank ones) or
    negative."""
    table = _number_list(lines, _SPARE_NUMBERS)
    return table if table is not None else column(lines, LINE_NUMBER, True)


class _LineIndex:
    """Line number -> index into ``lines``, built on first use (once per document)."""

    __slots__ = ("_lines", "_map")

    def __init__(self, lines: Sequence) -> None:
        self._lines = lines
        self._map: list[int | None] | dict[int, int] | None = None

    def __getitem__(self, number: int) -> int:
        return self.mapping()[number]  # type: ignore[return-value]

    def mapping(self) -> list[int | None] | dict[int, int]:
        """The whole table, for loops over many decisions (a lookup instead of a call each):
        indexed by line number (:func:`number_index`)."""
        if self._map is None:
            self._map = number_index(self._lines)
        return self._map


def _apply_edits(
    found: Iterable[Decision],
    lines: Sequence,
    texts: list[str],
    alive: list[bool],
    decisions: list[Decision],
    index: _LineIndex | None = None,
    edited: set[int] | None = None,
) -> int:
    """Apply a repair rule's edits; returns the number of lines the edits emptied. ``edited``
    gets the index of each line whose text the edits changed."""
    by_line: dict[int, list[Decision]] = {}
    where = (index or _LineIndex(lines)).mapping()
    for d in found:
        if d.action is not EDIT:
            raise ValueError(f"repair rule {d.code} returned a {d.action.value} decision")
        by_line.setdefault(where[d.line], []).append(d)
    killed = 0
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
        current = _splice(current, base, chosen)
        stripped = current.strip()
        texts[i] = stripped
        if edited is not None:
            edited.add(i)
        decisions.extend(chosen)
        if not stripped:
            alive[i] = False
            killed += 1
    return killed


def _splice(text: str, base: int, edits: Sequence[Decision]) -> str:
    """``text`` (which starts at offset ``base``) with non-overlapping ``edits``, sorted by start, applied.

    Built in one join: linear in the line's length however many edits it has (a line of 100,000
    nested tags has 200,000).
    """
    parts: list[str] = []
    pos = 0
    for d in edits:
        parts.append(text[pos : d.start - base])
        parts.append(d.replacement or "")
        pos = d.end - base
    parts.append(text[pos:])
    return "".join(parts)


def _apply(
    found: Iterable[Decision],
    lines: Sequence,
    alive: list[bool],
    starts: set[int],
    decisions: list[Decision],
    index: _LineIndex | None = None,
    view: DocView | None = None,
    revertible: frozenset[str] = frozenset(),
) -> int:
    """Apply a line or structure rule's decisions as they come; returns the number of lines removed.

    A removal of a line a statistical (``revertible``) rule has already removed, made by a
    precise rule, replaces that rule's decision: the precise reason is the one recorded, and the
    over-deletion guard no longer counts the line as the statistical rule's (a comment thread the
    main-content rule half removed is still the thread rule's)."""
    if type(found) is Removals:
        return _apply_removals(found, alive, decisions, view)
    line_of: list[int | None] | dict[int, int] | None = None  # line number -> index, read on the first decision
    killed = 0
    where: dict[int, int] | None = None  # line number -> position of its removal, built on first need
    for d in found:
        if line_of is None:
            line_of = (index or _LineIndex(lines)).mapping()
        i = line_of[d.line]
        if d.action is SPLIT:
            if i not in starts:
                starts.add(i)
                decisions.append(d)
        elif d.action is FLAG:
            decisions.append(d)
        elif d.action is EDIT:
            raise ValueError(f"line rule {d.code} returned an edit")
        elif alive[i]:
            alive[i] = False
            decisions.append(d)
            killed += 1
            if view is not None:
                view._live_hint = None  # a rule reading ``live`` from now on sees this line gone
            if where is not None:
                where[d.line] = len(decisions) - 1
        elif revertible and d.action is REMOVE and d.code not in revertible:
            # the line's removal by a revertible rule gives way (another precise rule's stands);
            # the positions are found in one pass, once per call: linear in the decisions
            if where is None:
                where = {x.line: k for k, x in enumerate(decisions) if x.action is REMOVE}
            k = where.get(d.line)
            if k is not None and decisions[k].code in revertible:
                decisions[k] = d
    return killed


def _apply_removals(found: Removals, alive: list[bool], decisions: list[Decision], view: DocView | None) -> int:
    """:func:`_apply` of a :class:`Removals` batch: every decision a removal of the line at
    ``found.indices[k]``; the same effect, in one loop (in C when the accelerator is built)."""
    killed = _apply_batch(found.indices, found, alive, decisions)
    if killed and view is not None:
        view._live_hint = None
    return killed


def _apply_batch_py(indices: list[int], found: list[Decision], alive: list[bool], decisions: list[Decision]) -> int:
    """Each ``found[k]`` appended to ``decisions`` when the line ``indices[k]`` is alive, which it
    then no longer is; the number of lines removed. The reference of the C ``apply_removals``
    (tests/test_speedups.py compares them)."""
    killed = 0
    append = decisions.append
    for i, d in zip(indices, found):
        if alive[i]:
            alive[i] = False
            append(d)
            killed += 1
    return killed


#: :func:`_apply_batch_py` in C when the accelerator is built (M001 removes a page's lines in one
#: batch: tens of thousands of them on a long page).
_apply_batch = c_function("apply_removals") or _apply_batch_py


#: The actions that decide where a line goes (body, title, metadata): the last one stands.
_FATES = frozenset((REMOVE, METADATA, TITLE))


def assemble(
    prepared: Prepared, decisions: Sequence[Decision], where: list[int | None] | dict[int, int] | None = None
) -> list[Article]:
    """Build the articles from the lines and the decisions alone (a replay of them). ``where``:
    the line number -> line index table of ``prepared.lines``, when the caller has it."""
    lines = prepared.lines
    index = where if where is not None else number_index(lines)
    texts = column(lines, LINE_TEXT)
    n = len(lines)
    edits: dict[int, list[Decision]] = {}
    # Per line, the decision that decides where it goes (the last one), in a list read by index
    # (no hashing, and the body read off it with compress); and the lines a title or metadata
    # decision took (a later removal may take some of them again), sorted alone.
    fate: list[Decision | None] = [None] * n
    placed: list[int] = []
    starts = set(prepared.hard_starts)
    for d in decisions:
        action = d.action
        if action is REMOVE:
            fate[index[d.line]] = d
        elif action is EDIT:
            edits.setdefault(index[d.line], []).append(d)
        elif action is SPLIT:
            starts.add(index[d.line])
        elif action in _FATES:
            i = index[d.line]
            fate[i] = d
            placed.append(i)
    emptied: set[int] = set()
    for i, ds in edits.items():
        current = _splice(texts[i], lines[i].start, sorted(ds, key=lambda d: d.start)).strip()
        texts[i] = current
        if not current:
            emptied.add(i)

    # An article from line 0 and from each start on; its body the lines no decision took and
    # whose text is not empty (only an edit empties one), its title and metadata the lines a
    # TITLE or METADATA decision took, in line order (a later title replaces an earlier one).
    # Articles without a body go.
    bounds = sorted({0, *(i for i in starts if 0 < i < n)}) if n else []
    taken = sorted({i for i in placed if fate[i].action is not REMOVE})  # type: ignore[union-attr]
    numbers = column(lines, LINE_NUMBER)
    articles: list[Article] = []
    k = 0
    for a, b in zip(bounds, bounds[1:] + [n]):
        body = list(compress(range(a, b), map(is_, fate[a:b], repeat(None))))  # the lines no decision took
        if emptied:
            body = [i for i in body if i not in emptied]
        article = Article(title=None, paragraphs=[texts[i] for i in body], lines=[numbers[i] for i in body])
        while k < len(taken) and taken[k] < b:
            i = taken[k]
            d = fate[i]
            if d.action is TITLE:  # type: ignore[union-attr]
                article.title = texts[i]
            else:
                article.metadata.setdefault(d.field or "metadata", []).append(texts[i])  # type: ignore[union-attr]
            k += 1
        if body:
            articles.append(article)
    return articles
