"""Social-media embeds: the text of a post pasted into the article by an embed widget."""

from __future__ import annotations

import re
from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import first_chars, initials
from .base import DocView, Rule
from .prefilter import LiteralPrefilter

# Links that only embed widgets print as text.
_EMBED_LINK = patterns.compile(r"\bpic\.twitter\.com/\w+|\b(?:twitter|x)\.com/\w{1,30}/status/\d+|\binstagram\.com/p/[\w-]+|\bt\.co/\w{6,}", re.I)
# "— Jane Doe (@janedoe) March 1, 2025", the signature line of an embedded tweet.
_SIGNATURE = patterns.compile(r"[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s+\w+\.?\s+\d{1,2},?\s+\d{4}\s*$")
# "A post shared by Jane (@jane)" and its equivalents (Instagram's caption line).
_SHARED_BY = patterns.compile(r"^(?:a post shared by|ein beitrag geteilt von|une publication partagée par|una publicación compartida por)\b", re.I)
_MAX_EMBED_CHARS = 600
_SHARED_BY_INITIALS = initials("aeu")  # first letters of the _SHARED_BY alternatives
_SHARED_BY_FIRST = first_chars(_SHARED_BY_INITIALS)  # shapes.may_start_with as a table
#: Every match of the three regexes holds one of their literals (a superset of their lines).
_PREFILTER = LiteralPrefilter(_EMBED_LINK, _SIGNATURE, _SHARED_BY)


class SocialEmbed(Rule):
    """Remove the text of embedded social-media posts.

    Removes: a short line carrying an embed link (``pic.twitter.com/…``,
    ``twitter.com/<user>/status/…``, ``instagram.com/p/…``), a tweet's signature line
    (``— Name (@handle) March 1, 2025``) and Instagram's ``A post shared by …``.
    Why: the embed repeats a post beside the article; it is not the article's text.
    Example: ``The minister responds to the demand, reiterates he will not resign. pic.twitter.com/aMp8zBKOUx`` goes.
    False positives: an article that quotes a post and keeps its link in the same
    line; the line goes with the link (lines over 600 characters are kept).
    """

    code = "S001"
    name = "social-embed"
    summary = "Remove embedded social-media posts (pic.twitter.com links, tweet signatures)."
    keep = (
        "The senator said on Twitter that she would vote against the bill.",
        "Posts shared by the account were removed on Monday.",
    )
    cases = (
        (
            "Fox News host pressed him on the question.\nHe reiterates he will not resign. pic.twitter.com/aMp8zBKOUx\n“I was always ready,” he said.",
            "Fox News host pressed him on the question.\n\n“I was always ready,” he said.",
        ),
        ("Body text here.\n— Jane Doe (@janedoe) March 1, 2025\nMore body text.", "Body text here.\n\nMore body text."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        texts = doc.texts
        # Each branch below needs a match of one of the three regexes: only the lines holding
        # one of their literals are visited (in order, as before).
        for i in _PREFILTER.live_candidates(doc):
            text = texts[i]
            if len(text) > _MAX_EMBED_CHARS:
                continue
            if "/" in text and _EMBED_LINK.search(text):
                yield self.remove(doc, i, "embedded social-media post (embed link)")
            elif "(@" in text and _SIGNATURE.search(text):
                yield self.remove(doc, i, "signature line of an embedded post")
            elif _SHARED_BY_FIRST[text[:1]] and _SHARED_BY.match(text):
                yield self.remove(doc, i, "caption of an embedded post")
