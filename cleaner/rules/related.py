"""Related-article widgets dropped into the body: an author's name and another headline."""

from __future__ import annotations

import re
from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import CharTable, first_chars, initials, is_headline_shaped, may_start_with, word_count
from .base import DocView, Rule, lines_containing
from .prefilter import C_SEARCH, LiteralPrefilter, doc_text

# "Lena Hartmann:" — two to four capitalised words (initials allowed) and a colon, nothing else.
_NAME_COLON = patterns.compile(r"^(?:[A-ZÀ-ÞА-ЯЁ][\w'’.-]*\s+){1,3}[A-ZÀ-ÞА-ЯЁ][\w'’.-]*\s*:$")
# "Related:", "Read also:", "See also", "Lesen Sie auch:", "À lire aussi", "Читайте также:"
_LABEL_WORDS = (
    r"(?:(?:related(?: articles?| stories| posts?| content| news| coverage)?|read (?:also|more|next)|see also|"
    r"more on this(?: topic| story)?|you (?:may|might) also (?:like|enjoy)|recommended(?: for you| stories| articles)?|"
    r"lesen sie auch|auch lesen|mehr zum thema|mehr themen|weitere artikel(?: zum thema)?|auch interessant|"
    r"empfohlene (?:beiträge|artikel)|à lire aussi|lire aussi|sur le même sujet|leer también|lee también|"
    r"lea también|lea más|vea también|notas relacionadas|te puede interesar|leggi anche|czytaj (?:też|także|również)|"
    r"читайте также|по теме|top stories|most read|meistgelesen|top-themen|explore further|"
    r"das könnte (?:sie|dich) auch interessieren|empfohlener redaktioneller inhalt|"
    r"(?:ça|cela) pourrait (?:vous|aussi vous) intéresser|potrebbe interessarti anche|también te puede interesar)"
    # "Mehr zum Thema auf example.de", "Top stories on Example"
    r"(?:\s+(?:auf|bei|on|at|from|von|sur|en|su)\s+[\w.-]+(?:\s+[\w.-]+){0,3})?"
    # "Also on example.com", "Auch auf example.de"
    r"|(?:also|auch) (?:on|auf|bei) [\w-]+(?:\.[\w-]+)+)"
)
# "Related:", "Read also:", "See also", "Lesen Sie auch:", "À lire aussi", "Читайте также:", "You may also like..."
_LABEL = patterns.compile(rf"^{_LABEL_WORDS}\s*(?::|\.\.\.|…)?$", re.I)
# The label and the other story's headline on one line: "Read more: Tencent profit falls as …",
# "[Related: …]", "Also on example.com Journalists threatened with arrest".
# Spanish imperatives that label a link to another story only when a colon and the headline
# follow ("Lea: …", "Mire: …", "Vea: …"); alone on a line "Lea" may be a name.
_INLINE_ONLY = r"(?:lea|mire|vea)"
_INLINE = patterns.compile(
    rf"^\[?\s*(?:(?:{_LABEL_WORDS}|{_INLINE_ONLY})\s*[:：]|(?:also|auch) (?:on|auf|bei) [\w-]+(?:\.[\w-]+)+\s*:?)\s*(?P<headline>[^\[\]]+?)\s*\]?$",
    re.I,
)
# First letters of the _LABEL_WORDS alternatives (tests/test_fastpaths.py reads them off the
# regex and checks every case-insensitive variant over all of Unicode): a line opening with any
# other character cannot match _LABEL, nor _INLINE unless it opens with "[" or a space.
_LABEL_INITIALS = initials("acdelmnprstvwyàç", "пч")
_LABEL_FIRST = first_chars(_LABEL_INITIALS)  # shapes.may_start_with(text, _LABEL_INITIALS) as a table
_MAX_HEADLINE_WORDS = 16
_MAX_LISTED_WORDS = 20  # headlines listed under a label may be longer
_MAX_INLINE_WORDS = 25
_MAX_LIST = 12  # headlines a label may head


class RelatedWidget(Rule):
    """Remove related-article widgets: a name or label plus another story's headline.

    Removes: a line that is only a person's name and a colon (``Lena Hartmann:``)
    followed by a headline-shaped line (short, no final punctuation); a
    ``Related:``/``Read also:``/``Lesen Sie auch:``/``You may also like…`` label with the
    run of headline-shaped lines after it (at most 12); and a label with the other
    story's headline on the same line (``Read more: Tencent profit falls as …``,
    ``[Related: …]``, ``Lea también: …``, ``Lea: …``, ``Also on example.com …``); such a label on the
    text's last line, whose list is gone.
    Why: sites drop links to other stories into the body; the headline belongs to
    another article.
    Example: ``Lena Hartmann:`` / ``Trade, tariffs and the harbour`` go.
    False positives: an interview answer introduced by the speaker's name on its
    own line and a one-line answer without final punctuation; a subheading of the
    article right after a related-story label and its headline.
    """

    code = "R001"
    name = "related-widget"
    summary = "Remove related-article widgets (name or 'Read also' label plus a headline)."
    keep = (
        "Lena Hartmann: the relationship will not improve soon.",
        "Related matters were discussed on Tuesday.",
        "Read more: the report is published on the ministry's website and runs to 400 pages.",
        "Lea: Ich finde das Konzept gut, weil es die Stadt voranbringt.",
    )
    cases = (
        (
            "Body paragraph one.\nLena Hartmann:\nTrade, tariffs and the harbour\nBody paragraph two.",
            "Body paragraph one.\n\nBody paragraph two.",
        ),
        ("Body paragraph one.\nRead also:\nA headline about something else\nBody paragraph two.", "Body paragraph one.\n\nBody paragraph two."),
        ("Body paragraph one.\nRead more: Profits fall as the economy weakens\nBody paragraph two.", "Body paragraph one.\n\nBody paragraph two."),
        (
            "Body paragraph one.\nYou may also like...\nA headline about something else\nAnother headline of a story\nBody paragraph two.",
            "Body paragraph one.\n\nBody paragraph two.",
        ),
        ("Body paragraph one.\nBody paragraph two.\nYou may also like:", "Body paragraph one.\n\nBody paragraph two."),
        ("Body paragraph one.\nMire: El consejo aborda la crisis de las oficinas\nBody paragraph two.", "Body paragraph one.\n\nBody paragraph two."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        live = doc.live
        gone: set[int] = set()
        texts = doc.texts
        inline_first = _INLINE_FIRST
        # Only a line that _INLINE, _LABEL or _NAME_COLON matches does anything below (every
        # other one reaches a ``continue`` untouched): visiting just the candidate positions, in
        # order, gives the same decisions.
        for k in _candidates(doc):
            if live[k] in gone:
                continue
            text = texts[live[k]]
            inline = _INLINE.match(text) if len(text) <= 250 and inline_first[text[:1]] else None
            if inline and _is_linked_headline(inline.group("headline")):
                gone.add(live[k])
                yield self.remove(doc, live[k], "related-article widget: label and another story's headline")
                continue
            if len(text) > 80:
                continue
            if k + 1 >= len(live):
                # A label closing the text: the list it headed is gone (the extractor or the
                # scraper dropped the links), the label alone is left ("You may also like:").
                if _LABEL_FIRST[text[:1]] and _LABEL.match(text):
                    yield self.remove(doc, live[k], "related-article widget: label with no list after it")
                continue
            label = _LABEL.match(text) if _LABEL_FIRST[text[:1]] else None
            if not (label or (":" in text and _NAME_COLON.match(text))):
                continue
            nxt = texts[live[k + 1]]
            limit = _MAX_LISTED_WORDS if label else _MAX_HEADLINE_WORDS
            # Right after a label, a headline may be a question ("Who will make the Hall of Fame?").
            first = nxt.rstrip("?!… ") if label else nxt
            if is_headline_shaped(first, limit) and word_count(nxt) >= 2:
                what = "label" if label else "author name"
                gone.add(live[k])
                yield self.remove(doc, live[k], f"related-article widget: {what}")
                # A label heads a list of headlines; a name introduces one.
                last = min(len(live), k + 1 + (_MAX_LIST if label else 1))
                for m in range(k + 1, last):
                    nxt = doc.text(live[m])
                    if m > k + 1 and not (is_headline_shaped(nxt, limit) and word_count(nxt) >= 2):
                        break
                    gone.add(live[m])
                    yield self.remove(doc, live[m], "related-article widget: headline of another story")


#: Every match of _LABEL or _INLINE holds one of their literals (a superset of their lines).
_LABEL_PREFILTER = LiteralPrefilter(_LABEL, _INLINE)


def _candidates(doc: DocView) -> Iterable[int]:
    """Positions in ``doc.live`` whose line _INLINE, _LABEL or _NAME_COLON may match, ascending:
    the lines holding a literal of the first two, and the lines ending in ":" (``_NAME_COLON``
    ends in ``:$``), found as ":\n" in the document's shared text, where every line but the
    document's last is followed by "\n" (the last live line is only tried with _LABEL, whose
    lines are all in the first set: finding it or not changes nothing)."""
    labels = _LABEL_PREFILTER.positions(doc) if C_SEARCH else None
    if labels is None:
        return range(len(doc.live))
    text = doc_text(doc)
    colons = doc.live_positions(lines_containing(text.joined, text.offsets, ":\n"))
    if not colons:
        return sorted(labels)
    return sorted(labels.union(colons))


def _may_open_inline(text: str) -> bool:
    """A necessary condition for _INLINE: "[", a space, or a label's first letter opens the line."""
    first = text[:1]
    return first == "[" or first.isspace() or may_start_with(text, _LABEL_INITIALS)


#: ``_may_open_inline(text)`` as a table of first characters (it reads only ``text[:1]``).
_INLINE_FIRST = CharTable(_may_open_inline)


def _is_linked_headline(text: str) -> bool:
    """A headline as related-story widgets print it: short, not a sentence ("?" and "!" allowed)."""
    n = word_count(text)
    if not 2 <= n <= _MAX_INLINE_WORDS:
        return False
    return is_headline_shaped(text.rstrip("?!… "), _MAX_INLINE_WORDS)
