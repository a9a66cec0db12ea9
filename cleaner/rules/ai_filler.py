"""AI-generated "interview" filler appended after an article.

Content farms append a machine-written dialogue to scraped articles: a heading
("Interview on …: Site and Expert Discussion") and alternating turns of two
invented speakers ("Editor (Site): …", "Dr. X: …") that rehash the article.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import is_headline_shaped, is_prose
from .base import DocView, Rule

# "Editor (Site): Welcome…", "Dr. Lang: Thank you…": a speaker label of one to four
# words, an optional parenthetical, a colon, then the turn.
# (The optional parenthetical carries its own leading spaces: two adjacent "\s*" would backtrack
# quadratically on a long run of spaces.)
_TURN = patterns.compile(r"^(?P<label>[A-ZÀ-ÞА-ЯЁ][\w.'’-]*(?:\s+[\w.'’&-]+){0,3})(?:\s*(?P<paren>\([^()]{1,40}\)))?\s*:\s+\S")
_HEADING = patterns.compile(r"\b(?:interview|discussion|conversation|q\s*&\s*a|dialogue|entretien|gespräch|entrevista|intervista|интервью)\b", re.I)
_ROLE = patterns.compile(r"^(?:editor|interviewer|host|moderator|reporter|journalist|expert|guest|analyst|q|a|question|answer)\b", re.I)
_PLEASANTRY = patterns.compile(
    r"\b(?:welcome to|thank(?:s| you) for (?:having me|joining us|being here)|great question|before we wrap up|"
    r"it'?s been (?:a pleasure|enlightening)|pleasure to discuss)\b",
    re.I,
)
_MIN_TURNS = 4
_MIN_PROSE_BEFORE = 3


def _label(text: str) -> tuple[str, bool] | None:
    m = _TURN.match(text)
    if not m:
        return None
    return m.group("label").casefold().strip(), m.group("paren") is not None


class AiInterviewFiller(Rule):
    """Remove machine-written "interview" dialogues appended after an article.

    Removes: a run of at least four speaker turns alternating between two or three
    speakers that runs to the end of the article, after at least three paragraphs of
    ordinary prose, together with its heading, when at least two signs of filler
    agree: an interview heading just before the turns, generic or site-branded
    speaker labels (``Editor (Site):``, ``Interviewer:``), and stock pleasantries
    (``Welcome to…``, ``Thank you for having me``, ``Great question``).
    Why: the dialogue is generated filler that rehashes the article; it is not reporting.
    Example: ``Interview on U.S.-Russia Relations: Site and Expert Discussion`` /
    ``Editor (Site): Welcome to Site! …`` / ``Dr. X: Thank you for having me! …`` … go.
    False positives: a genuine interview introduced by a few paragraphs and run to the
    end of the article, with generic labels and pleasantries; an article that is a
    dialogue from its start is never touched.
    """

    code = "F001"
    name = "ai-interview-filler"
    summary = "Remove AI-generated interview dialogues appended after an article."
    edge = True
    keep = (
        "Q: When did you start?\nA: In 1998, after university.\nQ: Why?\nA: Because I loved it.\nQ: And now?\nA: I still do.",
    )
    cases = (
        (
            "The president spoke on Monday about the economy and the plans of his government.\n"
            "He said the plans would be published soon, and that the budget would follow.\n"
            "Critics said the plans were vague and that the budget would not add up.\n"
            "Interview on the Economy: Site and Expert Discussion\n"
            "Editor (Site): Welcome to Site! Today we discuss the plans.\n"
            "Dr. Smith: Thank you for having me! It is a pleasure.\n"
            "Editor: What do you make of the plans?\n"
            "Dr. Smith: Great question. They are vague.\n"
            "Editor: Thank you for joining us today!",
            "The president spoke on Monday about the economy and the plans of his government.\n\n"
            "He said the plans would be published soon, and that the budget would follow.\n\n"
            "Critics said the plans were vague and that the budget would not add up.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        for segment in doc.segments():
            yield from self._check_segment(doc, segment)

    def _check_segment(self, doc: DocView, segment: list[int]) -> Iterable[Decision]:
        # Walk back from the end of the article over speaker turns.
        k = len(segment)
        labels: list[tuple[str, bool]] = []
        while k > 0:
            found = _label(doc.text(segment[k - 1]))
            if found is None:
                break
            labels.append(found)
            k -= 1
        if len(labels) < _MIN_TURNS:  # (the turns are some of these: too few, whatever they are)
            return
        labels.reverse()
        counts = Counter(name for name, _ in labels)
        # Leading turns whose "speaker" never speaks again are a heading ("Interview on X: …").
        lead = 0
        while lead < len(labels) and counts[labels[lead][0]] == 1:
            lead += 1
        turns = labels[lead:]
        speakers = {name for name, _ in turns}
        if len(turns) < _MIN_TURNS or not 2 <= len(speakers) <= 3:
            return
        alternations = sum(1 for a, b in zip(turns, turns[1:]) if a[0] != b[0])
        if alternations < len(turns) - 2:
            return
        first_turn = k + lead
        heading = first_turn - 1 if first_turn > 0 else None
        if heading is not None and not (is_headline_shaped(doc.text(segment[heading]), 20) or lead):
            heading = None
        body_end = heading if heading is not None else first_turn
        prose_before = sum(1 for i in segment[:body_end] if is_prose(doc.text(i), 8))
        if prose_before < _MIN_PROSE_BEFORE:
            return
        signs = 0
        if heading is not None and _HEADING.search(doc.text(segment[heading])):
            signs += 1
        if any(paren for _, paren in turns) or any(_ROLE.match(name) for name in speakers):
            signs += 1
        turn_texts = [doc.text(i) for i in segment[first_turn:]]
        if any(_PLEASANTRY.search(t) for t in turn_texts[:2] + turn_texts[-2:]):
            signs += 1
        if signs < 2:
            return
        if heading is not None:
            yield self.remove(doc, segment[heading], "heading of an appended AI-generated interview")
        for i in segment[first_turn:]:
            yield self.remove(doc, i, "turn of an appended AI-generated interview")
