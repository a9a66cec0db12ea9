"""The document model: lines of a dump, decisions about them, and the articles that result.

A raw dump is split into :class:`Line` records (one per non-empty line, with its
offsets in the normalised input). Rules never mutate anything: they return
:class:`Decision` records, and the engine applies them in order and keeps them
all, so that every character that leaves the input is accounted for by a
decision naming the rule that made it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Action(str, enum.Enum):
    """What a decision does to the text it covers."""

    REMOVE = "remove"  # the text goes: it is noise
    EDIT = "edit"  # part of a line is replaced (HTML repair); ``replacement`` holds the new text
    METADATA = "metadata"  # the line leaves the body and goes to the article's metadata ``field``
    SPLIT = "split"  # a new article starts at this line (covers no text)
    TITLE = "title"  # this line is the article's headline (leaves the body, kept as ``title``)
    FLAG = "flag"  # a note about the document (over-deletion guard, ...); covers no text


#: Action's members as module names, for the engine's loops over every decision: on Python 3.11 a
#: member read off its class goes through EnumType.__getattr__ (about 850 instructions a read;
#: 33,000 reads over the benchmark dumps), where a module name is a dictionary lookup.
REMOVE, EDIT, METADATA, SPLIT, TITLE, FLAG = (
    Action.REMOVE, Action.EDIT, Action.METADATA, Action.SPLIT, Action.TITLE, Action.FLAG
)


class Line(NamedTuple):
    """One non-empty line of the normalised input (immutable).

    ``number`` is 1-based, as editors show it; ``start``/``end`` are character
    offsets of the line's text (without its newline) in the normalised input;
    ``blank_before`` says whether one or more blank lines precede it.

    A named tuple rather than a frozen dataclass: a dump of a few hundred kB has
    tens of thousands of lines, and a tuple is several times cheaper to build.
    """

    number: int
    start: int
    end: int
    text: str
    blank_before: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """A typed verdict of one rule about one line (or a span of it).

    ``start``/``end`` are offsets in the normalised input of the text the
    decision covers; ``text`` is that text as the rule saw it (after earlier
    edits). For ``EDIT`` decisions ``replacement`` is the new text of the span.
    """

    action: Action
    code: str
    rule: str
    line: int
    start: int
    end: int
    text: str
    reason: str
    replacement: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "action": self.action.value,
            "code": self.code,
            "rule": self.rule,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
        }
        if self.replacement is not None:
            out["replacement"] = self.replacement
        if self.field is not None:
            out["field"] = self.field
        return out


@dataclass
class Article:
    """One canonical article: headline, body paragraphs, metadata."""

    title: str | None
    paragraphs: list[str]
    metadata: dict[str, Any] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)  # input line numbers of the body paragraphs

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "text": self.text}
        out.update(self.metadata)
        return out


@dataclass
class Result:
    """What cleaning one dump gives: the articles, every decision, and flags."""

    articles: list[Article]
    decisions: list[Decision]
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def removed(self) -> list[Decision]:
        """Decisions that took text out of the body (removals, edits, metadata, titles)."""
        return [d for d in self.decisions if d.action not in (Action.SPLIT, Action.FLAG)]

    @property
    def text(self) -> str:
        from .output import format_text

        return format_text(self.articles)

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"articles": [a.to_dict() for a in self.articles]}
        if self.flags:
            out["flags"] = list(self.flags)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if explain:
            out["removed"] = [d.to_dict() for d in self.removed]
        return out
