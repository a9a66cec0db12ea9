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
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Iterator, Sequence

from ..document import Action, Decision, Line

_CODE = re.compile(r"^[A-Z]{1,2}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("Removes:", "Why:", "Example:", "False positives:")
STAGES = ("repair", "line", "structure")


@dataclass(frozen=True)
class Options:
    """Knobs rules may read. ``favor`` trades precision against recall."""

    favor: str = "balanced"  # "precision" | "balanced" | "recall"
    language: bool = True  # detect each article's language (metadata only)
    content_threshold: float | None = None  # overrides the main-content model threshold


class DocView:
    """A read-only view of the document as it stands when a rule runs.

    ``live`` lists the indices (into ``lines``) of lines still in the body, in
    order; ``text(i)`` is the current text of line ``i`` (after HTML repair);
    ``starts`` holds the indices where an article is known to start.
    """

    __slots__ = ("lines", "_texts", "_alive", "starts", "options", "_live_cache")

    def __init__(
        self,
        lines: Sequence[Line],
        texts: list[str],
        alive: list[bool],
        starts: set[int],
        options: Options,
    ) -> None:
        self.lines = lines
        self._texts = texts
        self._alive = alive
        self.starts = starts
        self.options = options
        self._live_cache: list[int] | None = None

    @property
    def live(self) -> list[int]:
        if self._live_cache is None:
            self._live_cache = [i for i, a in enumerate(self._alive) if a]
        return self._live_cache

    def text(self, i: int) -> str:
        return self._texts[i]

    def is_live(self, i: int) -> bool:
        return self._alive[i]

    def segments(self) -> list[list[int]]:
        """Live line indices grouped by article (split at ``starts``)."""
        out: list[list[int]] = []
        for i in self.live:
            if not out or i in self.starts:
                out.append([])
            out[-1].append(i)
        return out


class Rule:
    """Base class of every rule. Subclasses are registered in :mod:`cleaner.registry`."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    stage: ClassVar[str] = "line"
    #: Whether the over-deletion guard may revert this rule's removals (fuzzy, statistical rules).
    revertible: ClassVar[bool] = False
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
        return self._decision(doc, Action.REMOVE, i, reason)

    def to_metadata(self, doc: DocView, i: int, field_name: str, reason: str) -> Decision:
        return self._decision(doc, Action.METADATA, i, reason, field=field_name)

    def split(self, doc: DocView, i: int, reason: str) -> Decision:
        line = doc.lines[i]
        return self._decision(doc, Action.SPLIT, i, reason, end=line.start, text="")

    def title(self, doc: DocView, i: int, reason: str) -> Decision:
        return self._decision(doc, Action.TITLE, i, reason)

    def edit(self, doc: DocView, i: int, start: int, end: int, replacement: str, reason: str) -> Decision:
        """Replace ``text(i)[start:end]`` (offsets within the ORIGINAL line) by ``replacement``."""
        line = doc.lines[i]
        return self._decision(
            doc,
            Action.EDIT,
            i,
            reason,
            start=line.start + start,
            end=line.start + end,
            text=line.text[start:end],
            replacement=replacement,
        )


@dataclass
class RuleInfo:
    code: str
    name: str
    summary: str
    stage: str
    extra: dict[str, Any] = field(default_factory=dict)


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
