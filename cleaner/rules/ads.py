"""Advertising: ad labels and sponsored copy addressed to the reader."""

from __future__ import annotations

import re
from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import first_chars, initials
from .base import DocView, Rule
from .prefilter import LiteralPrefilter
from .teasers import cached_teaser_body, find_article_start, opening_index, teaser_candidates

_LABEL = patterns.compile(
    r"^(?:advertisement|advertising|advert|ad|ads|sponsored(?: content| post| by .{1,40})?|paid (?:content|post|partnership)|"
    r"promoted(?: content)?|partner content|anzeige|werbung|gesponsert|publicité|publicite|contenu sponsorisé|"
    r"publicidad|patrocinado|pubblicità|sponsorizzato|advertentie|reklama|реклама|спонсорский материал)\s*[:.]?$",
    re.I,
)
# Second-person address, the voice of advertising copy, in the benchmark languages.
_YOU = patterns.compile(
    r"\b(?:you|your|yours|you're|you’re|you'll|you’ll|dein|deine|deinen|euch|vous|votre|vos|tu|ton|ta|tes|"
    r"usted|ustedes|tú|tu|vuestro|ваш|ваша|ваши|вы|вам|вас)\b",
    re.I,
)
_MIN_YOU = 2
_LABEL_INITIALS = initials("aspwgcr", "рс")  # first letters of the _LABEL alternatives
_LABEL_FIRST = first_chars(_LABEL_INITIALS)  # shapes.may_start_with(text, _LABEL_INITIALS) as a table
#: Every _LABEL match holds one of its literals (a superset of its lines).
_LABEL_PREFILTER = LiteralPrefilter(_LABEL)


class Advertising(Rule):
    """Remove advertising labels and sponsored copy.

    Removes: lines that are only an ad label (``Advertisement``, ``Anzeige``,
    ``Publicité``, ``Sponsored content``), and truncated promotional teasers that
    address the reader (two or more "you/your/vous/Sie…" words) and announce no
    article present in the dump.
    Why: ads are unrelated to the article; on listing pages they pose as teasers.
    Example: ``Did you know the path to citizenship can start with a visa? If you're interested, […]`` goes.
    False positives: a truncated teaser of a real article written in the second
    person whose article is missing from the dump (it would go as an orphan teaser anyway).
    """

    code = "A001"
    name = "advertising"
    summary = "Remove ad labels and sponsored teaser copy addressed to the reader."
    keep = (
        "Advertising revenue fell by a third last year, the company said.",
        "“You will need to be patient,” she told reporters.",
    )
    cases = (
        ("Body of the article.\nAdvertisement\nMore body.", "Body of the article.\n\nMore body."),
        (
            "Body of the article.\nNo matter the size of your business, if you want to grow, you will need a plan. Therefore, it […]",
            "Body of the article.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        index = None
        candidates = teaser_candidates(doc)
        live = doc.live
        texts = doc.texts
        labels = _LABEL_PREFILTER.positions(doc)
        # A line does something below only if _LABEL matches it or it is a teaser candidate:
        # those positions, in order (every position when the labels' literals are unknown).
        if labels is None:
            positions: Iterable[int] = range(len(live))
        else:
            positions = sorted(labels.union(candidates))
        for k in positions:
            i = live[k]
            text = texts[i]
            if len(text) <= 60 and _LABEL_FIRST[text[:1]] and _LABEL.match(text):
                yield self.remove(doc, i, "advertising label")
                continue
            if candidates is not None and k not in candidates:
                continue
            body = cached_teaser_body(doc, i)
            if body is None or len(_YOU.findall(body)) < _MIN_YOU:
                continue
            if index is None:
                index = opening_index(doc)
            if find_article_start(doc, k, body, index) is None:
                yield self.remove(doc, i, "sponsored copy addressed to the reader, announcing no article")
