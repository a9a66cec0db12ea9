"""Related-article widgets dropped into the body: an author's name and another headline."""

from __future__ import annotations

import re
from typing import Iterable

from ..document import Decision
from ..shapes import is_headline_shaped, word_count
from .base import DocView, Rule

# "Andrey Kortunov:" — two to four capitalised words (initials allowed) and a colon, nothing else.
_NAME_COLON = re.compile(r"^(?:[A-ZÀ-ÞА-ЯЁ][\w'’.-]*\s+){1,3}[A-ZÀ-ÞА-ЯЁ][\w'’.-]*\s*:$")
# "Related:", "Read also:", "See also", "Lesen Sie auch:", "À lire aussi", "Читайте также:"
_LABEL = re.compile(
    r"^(?:related(?: articles?| stories| posts| content| news)?|read (?:also|more|next)|see also|more on this(?: topic)?|"
    r"you (?:may|might) also like|recommended(?: for you)?|lesen sie auch|mehr zum thema|auch interessant|"
    r"à lire aussi|lire aussi|sur le même sujet|leer también|lee también|te puede interesar|leggi anche|"
    r"читайте также|по теме)\s*:?$",
    re.I,
)
_MAX_HEADLINE_WORDS = 16


class RelatedWidget(Rule):
    """Remove related-article widgets: a name or label plus another story's headline.

    Removes: a line that is only a person's name and a colon (``Andrey Kortunov:``)
    followed by a headline-shaped line (short, no final punctuation), and a
    ``Related:``/``Read also:``/``Lesen Sie auch:`` label with the headline after it.
    Why: sites drop links to other stories into the body; the headline belongs to
    another article.
    Example: ``Andrey Kortunov:`` / ``Trump, Putin and China`` go.
    False positives: an interview answer introduced by the speaker's name on its
    own line and a one-line answer without final punctuation.
    """

    code = "R001"
    name = "related-widget"
    summary = "Remove related-article widgets (name or 'Read also' label plus a headline)."
    keep = (
        "Andrey Kortunov: the relationship will not improve soon.",
        "Related matters were discussed on Tuesday.",
    )
    cases = (
        (
            "Body paragraph one.\nAndrey Kortunov:\nTrump, Putin and China\nBody paragraph two.",
            "Body paragraph one.\n\nBody paragraph two.",
        ),
        ("Body paragraph one.\nRead also:\nA headline about something else\nBody paragraph two.", "Body paragraph one.\n\nBody paragraph two."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        live = doc.live
        for k in range(len(live) - 1):
            text = doc.text(live[k])
            if len(text) > 80:
                continue
            nxt = doc.text(live[k + 1])
            label = _LABEL.match(text)
            if not (label or _NAME_COLON.match(text)):
                continue
            if is_headline_shaped(nxt, _MAX_HEADLINE_WORDS) and word_count(nxt) >= 2:
                what = "label" if label else "author name"
                yield self.remove(doc, live[k], f"related-article widget: {what}")
                yield self.remove(doc, live[k + 1], "related-article widget: headline of another story")
