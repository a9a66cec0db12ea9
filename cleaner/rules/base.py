"""What a rule is: metadata, a pure ``check`` returning decisions, fixtures.

A rule subclasses :class:`Rule`, sets ``code``, ``name``, ``summary`` and
``stage``, documents itself (what it removes, why it is noise, an example, its
false-positive risk), lists fixtures (``keep``: real prose that looks like the
artifact and must stay; ``cases``: inputs with their expected cleaned output),
and implements ``check(doc)`` which reads a :class:`DocView` and yields
:class:`~cleaner.document.Decision` records. Rules never mutate the document;
the engine applies their decisions and records them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, compress
from typing import Any, Callable, ClassVar, Iterable, Iterator, Sequence

from .. import patterns
from ..accel import c_function
from ..document import EDIT, METADATA, REMOVE, SPLIT, TITLE, Action, Decision, Line
from ..shapes import folded_words, is_headline_shaped, word_count

_CODE = patterns.compile(r"^[A-Z]{1,2}\d{3}$")
_NAME = patterns.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("Removes:", "Why:", "Example:", "False positives:")
STAGES = ("repair", "line", "structure")


@dataclass(frozen=True)
class Options:
    """Knobs rules may read. ``favor`` trades precision against recall."""

    favor: str = "balanced"  # "precision" | "balanced" | "recall"
    language: bool = True  # detect each article's language (metadata only)
    content_threshold: float | None = None  # overrides the main-content model threshold
    #: A :class:`cleaner.content.ContentModel` for the main-content rule (M001) instead of the
    #: shipped one (None). Used by ``bench/train_content.py`` to run the whole cleaner with a
    #: cross-validation fold's model; compared by identity, so engines are cached per model.
    content_model: Any = None
    #: The size guard: a document whose UTF-8 size exceeds this many bytes is passed through
    #: uncleaned and flagged (None: no limit). Read by the engine, not by rules.
    max_bytes: int | None = 50_000_000


class DocCache:
    """Per-document memo of pure functions of a line's text, shared by the rules of one run.

    Several rules ask the same question of the same line (its words, its word
    count, whether it is a teaser); the engine makes one cache per document and
    every :class:`DocView` of that document carries it. Results are keyed by the
    line's text, so an edited line never sees a stale answer, and nothing
    survives from one document to the next.
    """

    __slots__ = ("_tables", "joined", "lowered", "text", "edited")

    def __init__(self) -> None:
        self._tables: dict[Any, dict[str, Any]] = {}
        #: The last ``(live, (joined text, offsets))`` a view built (see
        #: :meth:`DocView.joined`): the next view handed the very same ``live`` list reuses it.
        #: The engine passes one list from rule to rule until a line dies, and drops this after
        #: a repair rule (the only ones that change texts).
        self.joined: tuple[list[int], tuple[str, list[int]]] | None = None
        #: The last ``(joined text, its str.lower())`` (see :meth:`DocView.joined_lower`).
        self.lowered: tuple[str, str] | None = None
        #: The whole document's text, lower case and literal searches
        #: (:class:`cleaner.rules.prefilter.DocText`), made on first use.
        self.text: Any = None
        #: The lines a repair rule edited (their text is no longer the line's own), recorded by
        #: the engine as it applies the edits; None for a cache the engine does not keep (a view
        #: made by hand), where :meth:`DocView.edited` compares the texts instead.
        self.edited: set[int] | None = None

    def texts_changed(self) -> None:
        """Forget what was read off the line texts as a whole (the engine calls this after a
        repair rule, the only kind that edits texts); the per-text memos stay valid."""
        self.joined = None
        self.text = None

    def get(self, fn: Any, text: str) -> Any:
        """``fn(text)``, computed once per document for each distinct text."""
        table = self._tables.get(fn)
        if table is None:
            table = self._tables[fn] = {}
        try:
            return table[text]
        except KeyError:
            value = table[text] = fn(text)
            return value


def _casefolded_words(text: str) -> tuple[str, ...]:
    return tuple(folded_words(text))


def _lower_keeping_offsets_py(text: str) -> str:
    """``text.lower()`` with "İ" (U+0130, the one character str.lower makes two characters long)
    lowered to "i", as re.IGNORECASE's case folding does: same length as ``text``. The reference
    of the C ``_speedups.lower_text`` (tests/test_speedups.py compares them)."""
    return text.replace("\u0130", "i").lower() if "\u0130" in text else text.lower()


#: :func:`_lower_keeping_offsets_py`, in C when the accelerator is built (each character's simple
#: lower case, which is str.lower's but for "İ" and the final sigma; the lines holding a "Σ"
#: are lowered by str.lower): what DocText lowers every page with.
lower_keeping_offsets: Callable[[str], str] = c_function("lower_text") or _lower_keeping_offsets_py


#: Where a Line holds its number, its text and whether a blank line precedes it: the items
#: :func:`column` reads.
LINE_NUMBER = Line._fields.index("number")
LINE_TEXT = Line._fields.index("text")
LINE_BLANK_BEFORE = Line._fields.index("blank_before")


def _column_py(rows: Sequence[tuple], k: int, positions: bool = False) -> list | dict:
    """``[row[k] for row in rows]``, or with ``positions`` ``{row[k]: i for i, row in
    enumerate(rows)}``: the reference of the C ``column`` (tests/test_speedups.py)."""
    if positions:
        return {row[k]: i for i, row in enumerate(rows)}
    return [row[k] for row in rows]


#: An item of every line (``column(lines, LINE_TEXT)``: their texts), or the lines' number ->
#: index table, made in C when the accelerator is built (one loop over the tuples, where a
#: comprehension took a Python step per line, and ``map(attrgetter(...))`` a call).
column: Callable[..., Any] = c_function("column") or _column_py


def live_indices(alive: Sequence[bool]) -> list[int]:
    """The indices of the lines still alive, ascending (``[i for i, a in enumerate(alive) if a]``,
    without a Python step per line)."""
    return list(compress(range(len(alive)), alive))


def _still_live_py(live: list[int], alive: Sequence[bool]) -> list[int]:
    """The lines of ``live`` (indices, ascending) whose ``alive`` entry is true: ``live_indices``
    once a rule has removed lines, when ``live`` holds every line still alive; read off ``live``
    instead of every line of the page. The reference of the C ``still_live``
    (tests/test_speedups.py compares them)."""
    return list(compress(live, map(alive.__getitem__, live)))


#: :func:`_still_live_py`, in C when the accelerator is built (the same int objects, none made).
still_live: Callable[[list[int], Sequence[bool]], list[int]] = c_function("still_live") or _still_live_py


def _line_offsets_py(texts: Sequence[str]) -> list[int]:
    """Where each of ``texts`` starts in ``"\n".join(texts)``, and one past the end, last: the
    reference of the C ``line_offsets`` (tests/test_speedups.py compares them)."""
    return list(accumulate(map((1).__add__, map(len, texts)), initial=0))


#: :func:`_line_offsets_py`, in C when the accelerator is built: one loop over the lengths (the
#: benchmark's 67,000 lines in 2-3 ms, where the chain of iterators took 7-8 ms).
line_offsets: Callable[[Sequence[str]], list[int]] = c_function("line_offsets") or _line_offsets_py


def lines_matching(joined: str, offsets: list[int], pattern: re.Pattern[str]) -> list[int]:
    """:func:`lines_containing` for a regex that matches within one line: the ``k`` whose line
    holds a match, in order; the search resumes at the next line after each one found."""
    out: list[int] = []
    search = pattern.search
    m = search(joined)
    while m is not None:
        k = bisect_right(offsets, m.start()) - 1
        out.append(k)
        m = search(joined, offsets[k + 1])
    return out


def lines_containing(joined: str, offsets: list[int], needle: str) -> list[int]:
    """The ``k`` whose line ``joined[offsets[k]:offsets[k + 1] - 1]`` holds ``needle``, in order
    (``joined``: lines joined by newlines; ``needle`` without a newline). One ``str.find`` per
    line found, which resumes at the next line."""
    out: list[int] = []
    find = joined.find
    pos = find(needle)
    while pos >= 0:
        k = bisect_right(offsets, pos) - 1
        out.append(k)
        pos = find(needle, offsets[k + 1])  # next line
    return out


@cache
def _doc_text() -> Callable[["DocView"], Any]:
    """:func:`cleaner.rules.prefilter.doc_text` (prefilter imports this module, so it is imported
    on first use; once: an import statement in a method cost each call a trip through the import
    system)."""
    from .prefilter import doc_text

    return doc_text


def lines_holding_chars(joined: str, offsets: list[int], chars: Sequence[str]) -> set[int]:
    """The ``k`` whose line holds one of ``chars`` (single characters, none a newline): the lines
    a lower-cased literal search cannot vouch for, which the prefilters hand to the regexes."""
    out: set[int] = set()
    for ch in chars:
        if ch in joined:
            out.update(lines_containing(joined, offsets, ch))
    return out


#: The longest headline, in words (the headline rule's limit).
HEADLINE_MAX_WORDS = 20


class DocView:
    """A read-only view of the document as it stands when a rule runs.

    ``live`` lists the indices (into ``lines``) of lines still in the body, in
    order; ``text(i)`` is the current text of line ``i`` (after HTML repair);
    ``starts`` holds the indices where an article is known to start; ``cache``
    memoises per-line computations for the whole document (see :class:`DocCache`).
    """

    __slots__ = ("lines", "_texts", "_alive", "starts", "options", "_live_cache", "_live_hint", "cache", "_joined")

    def __init__(
        self,
        lines: Sequence[Line],
        texts: list[str],
        alive: list[bool],
        starts: set[int],
        options: Options,
        live: list[int] | None = None,
        cache: DocCache | None = None,
    ) -> None:
        self.lines = lines
        self._texts = texts
        self._alive = alive
        self.starts = starts
        self.options = options
        self._live_cache: list[int] | None = None
        # The engine passes the live indices it already knows; it drops the hint as soon as
        # a line dies, so ``live`` is always what it would be if computed on first access.
        self._live_hint = live
        self.cache = cache if cache is not None else DocCache()
        self._joined: tuple[str, list[int]] | None = None

    @property
    def live(self) -> list[int]:
        if self._live_cache is None:
            hint = self._live_hint
            self._live_cache = hint if hint is not None else live_indices(self._alive)
        return self._live_cache

    def text(self, i: int) -> str:
        return self._texts[i]

    @property
    def texts(self) -> Sequence[str]:
        """The current text of every line, by index: what ``text(i)`` reads, for loops that read
        many lines (one attribute lookup instead of a call per line). Read it, never modify it."""
        return self._texts

    def offsets(self) -> list[int]:
        """Start of each live line's text in :meth:`joined` (and one past the end, last)."""
        return self._joined_and_offsets()[1]

    def is_live(self, i: int) -> bool:
        return self._alive[i]

    @property
    def alive(self) -> Sequence[bool]:
        """``is_live(i)`` for every line, by index, for loops over all lines. Read it only."""
        return self._alive

    def word_count(self, i: int) -> int:
        """``shapes.word_count(text(i))``, memoised for the document."""
        return self.cache.get(word_count, self._texts[i])

    def words(self, i: int) -> tuple[str, ...]:
        """The case-folded ``\\w+`` words of ``text(i)``, memoised for the document."""
        return self.cache.get(_casefolded_words, self._texts[i])

    def joined(self) -> str:
        """The texts of the live lines joined by newlines (as of the first call)."""
        return self._joined_and_offsets()[0]

    def joined_lower(self) -> str:
        """``joined().lower()``, computed once for all the views that share one joined text (for
        page-wide searches of the live lines; the literal prefilters search the whole document's
        lower case, ``prefilter.doc_text``). "İ", the one
        character whose lower case is two characters long, becomes "i", as re.IGNORECASE sees
        it: the lower case keeps :meth:`offsets`."""
        joined = self._joined_and_offsets()[0]
        shared = self.cache.lowered
        if shared is not None and shared[0] is joined:  # the same string object: the same text
            return shared[1]
        low = lower_keeping_offsets(joined)
        self.cache.lowered = (joined, low)
        return low

    def _joined_and_offsets(self) -> tuple[str, list[int]]:
        if self._joined is None:
            live = self.live
            shared = self.cache.joined
            if shared is not None and shared[0] is live:  # the previous rule's view of these lines
                self._joined = shared[1]
            else:
                texts = list(map(self._texts.__getitem__, live))
                self._joined = ("\n".join(texts), line_offsets(texts))
                self.cache.joined = (live, self._joined)
        return self._joined

    def positions_containing(self, needle: str, haystack: str | None = None) -> list[int]:
        """Positions ``k`` in ``live`` whose text contains ``needle`` (no newline in it), in order.

        One substring search over the document's shared text (every line's text, joined once per
        document: ``prefilter.doc_text``) instead of one per line: the fast path of rules whose
        every match needs a rare character or word. ``haystack`` may be a same-length transform
        of :meth:`joined` (``joined().lower()`` when that keeps the length): then it is searched.
        """
        if haystack is not None:
            joined, offsets = self._joined_and_offsets()
            if len(haystack) != len(joined):
                raise ValueError("haystack must have the length of joined()")
            return lines_containing(haystack, offsets, needle)
        text = _doc_text()(self)
        return self.live_positions(lines_containing(text.joined, text.offsets, needle))

    def edited(self) -> Iterable[int]:
        """The indices of the lines whose text is no longer the line's own (a repair rule edited
        it): as the engine recorded them, or found by comparing the texts."""
        edited = self.cache.edited
        if edited is not None:
            return edited
        return [i for i, (line, text) in enumerate(zip(self.lines, self._texts)) if line.text != text]

    def live_positions(self, indices: Iterable[int]) -> list[int]:
        """The positions in ``live`` of the live lines among ``indices`` (line indices, ascending)."""
        alive = self._alive
        live = self.live
        return [bisect_left(live, i) for i in indices if alive[i]]

    def heads_input_article(self, i: int) -> bool:
        """Line ``i`` heads an article in the input: the dump's first line, or the first after an
        article separator or split, headline-shaped and set apart by a blank line.

        That is the shape of a title in the text output, so cleaning the output again finds the
        title there: rules that would take such a line for a duplicate or a byline leave it
        to the headline rule. (Lines that only become first once others are removed are not
        protected: on page dumps they are as often bylines and labels as headlines.)
        """
        lines = self.lines
        return (
            (i == 0 or i in self.starts)
            and i + 1 < len(lines)
            and lines[i + 1].blank_before
            and is_headline_shaped(self._texts[i], HEADLINE_MAX_WORDS)
        )

    def segments(self) -> list[list[int]]:
        """Live line indices grouped by article (split at ``starts``)."""
        out: list[list[int]] = []
        starts = self.starts
        if not starts:
            live = self.live
            return [list(live)] if live else []
        for i in self.live:
            if not out or i in starts:
                out.append([])
            out[-1].append(i)
        return out


def _new_decision(cls: type, action: Action, code: str, rule: str, line: Line, text: str, reason: str) -> Decision:
    """A ``cls`` (Decision) of ``line`` with no replacement and no field."""
    number, start, end, _, _ = line  # a Line: one unpacking for its three fields
    return cls(action, code, rule, number, start, end, text, reason)


def _removal_batch_py(cls: type, action: Action, code: str, rule: str, lines: Sequence[Line], texts: Sequence[str],
                      indices: list[int], reasons: list[str]) -> list[Decision]:
    """The decisions of :meth:`Rule.removal_batch`: the reference of the C ``removal_batch``
    (tests/test_batches.py compares them)."""
    return [_new_decision(cls, action, code, rule, lines[i], texts[i], reason) for i, reason in zip(indices, reasons)]


#: One C call for a batch of decisions (the Python loop above without the accelerator).
_removal_batch = c_function("removal_batch") or _removal_batch_py


class Removals(list):
    """A batch of REMOVE decisions made by :meth:`Rule.removals`, with the index (into the
    document's lines) of each decision's line in ``indices``: the engine applies it without
    looking the line numbers up."""

    __slots__ = ("indices",)

    def __init__(self, decisions: Iterable[Decision] = ()) -> None:
        super().__init__(decisions)
        self.indices: list[int] = []


class Rule:
    """Base class of every rule. Subclasses are registered in :mod:`cleaner.registry`."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    stage: ClassVar[str] = "line"
    #: Whether the over-deletion guard may revert this rule's removals (fuzzy, statistical rules).
    revertible: ClassVar[bool] = False
    #: Whether the rule judges an article by its edges (what it starts or ends with). The
    #: engine runs the edge rules again, together, until a round removes nothing: a removal by
    #: one uncovers a new edge for another, and cleaning the output again must change nothing.
    edge: ClassVar[bool] = False
    #: Real prose that looks like the artifact; each must come out unchanged.
    keep: ClassVar[Sequence[str]] = ()
    #: (input, expected cleaned text) pairs, cleaned with this rule alone.
    cases: ClassVar[Sequence[tuple[str, str]]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        problems = []
        if not _CODE.match(getattr(cls, "code", "")):
            problems.append("code must look like 'H001'")
        if not _NAME.match(getattr(cls, "name", "")):
            problems.append("name must be kebab-case")
        if not getattr(cls, "summary", "").strip():
            problems.append("summary is empty")
        if cls.stage not in STAGES:
            problems.append(f"stage must be one of {STAGES}")
        doc = cls.__doc__ or ""
        for section in DOC_SECTIONS:
            if section not in doc:
                problems.append(f"docstring lacks {section!r}")
        if problems:
            raise TypeError(f"rule {cls.__name__}: " + "; ".join(problems))

    def check(self, doc: DocView) -> Iterable[Decision]:
        raise NotImplementedError

    # -- helpers that build decisions -------------------------------------------------
    def _decision(self, doc: DocView, action: Action, i: int, reason: str, **kw: Any) -> Decision:
        line = doc.lines[i]
        return Decision(
            action=action,
            code=self.code,
            rule=self.name,
            line=line.number,
            start=kw.pop("start", line.start),
            end=kw.pop("end", line.end),
            text=kw.pop("text", doc.text(i)),
            reason=reason,
            **kw,
        )

    def remove(self, doc: DocView, i: int, reason: str) -> Decision:
        if i < 0:  # as doc.lines[i] reads it
            i += len(doc.lines)
        # a batch of one: with the accelerator, the decision's slots are filled in C
        return _removal_batch(Decision, REMOVE, self.code, self.name, doc.lines, doc._texts, [i], [reason])[0]

    def removals(self, doc: DocView, items: Iterable[tuple[int, str]]) -> "Removals":
        """``[self.remove(doc, i, reason) for i, reason in items]``, as a :class:`Removals` batch.

        For a rule that decides many removals of distinct live lines at once (M001: tens of
        thousands on a page set): the same Decision records, built in one loop, and applied by
        the engine in one loop. The rule must not depend on seeing its own removals while it
        makes them (a batch is decided before any of it is applied).
        """
        indices: list[int] = []
        reasons: list[str] = []
        for i, reason in items:
            indices.append(i)
            reasons.append(reason)
        return self.removal_batch(doc, indices, reasons)

    def removal_batch(self, doc: DocView, indices: list[int], reasons: list[str]) -> "Removals":
        """:meth:`removals` of the lines ``indices`` with the ``reasons`` at the same positions
        (two lists, which the batch keeps: the caller must not change them afterwards)."""
        if len(indices) != len(reasons):
            raise ValueError("indices and reasons differ in length")
        out = Removals(_removal_batch(Decision, REMOVE, self.code, self.name, doc.lines, doc._texts,
                                      indices, reasons))
        out.indices = indices
        return out

    def to_metadata(self, doc: DocView, i: int, field_name: str, reason: str) -> Decision:
        return self._decision(doc, METADATA, i, reason, field=field_name)

    def split(self, doc: DocView, i: int, reason: str) -> Decision:
        line = doc.lines[i]
        return self._decision(doc, SPLIT, i, reason, end=line.start, text="")

    def title(self, doc: DocView, i: int, reason: str) -> Decision:
        return self._decision(doc, TITLE, i, reason)

    def edit(self, doc: DocView, i: int, start: int, end: int, replacement: str, reason: str) -> Decision:
        """Replace ``text(i)[start:end]`` (offsets within the ORIGINAL line) by ``replacement``."""
        line = doc.lines[i]
        return self._decision(
            doc,
            EDIT,
            i,
            reason,
            start=line.start + start,
            end=line.start + end,
            text=line.text[start:end],
            replacement=replacement,
        )


def runs(indices: Sequence[int], pred: Any) -> Iterator[list[int]]:
    """Maximal runs of consecutive items of ``indices`` for which ``pred(i)`` holds."""
    run: list[int] = []
    for i in indices:
        if pred(i):
            run.append(i)
        elif run:
            yield run
            run = []
    if run:
        yield run
