"""Leftover HTML in a text dump: tags, broken anchors, entities, script and style bodies."""

from __future__ import annotations

import html
import re
from typing import Iterable

from ..document import Decision
from .base import DocView, Rule

# A tag: "<", an optional "/", a known-looking tag name, then anything but angle brackets up to
# ">". Attribute quotes are not trusted (scrapers break them), so a tag ends at the first ">".
# Bounded repetition keeps the match linear on hostile input.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,20}(?:\s[^<>]{0,2000})?\s*/?>")
# A tag cut off at the end of a line: "<a href=..." with no closing ">".
_OPEN_TAG_AT_END = re.compile(r"<[A-Za-z][A-Za-z0-9:-]{0,20}\s+[A-Za-z-]{1,30}\s*=[^<>]{0,2000}$")
_COMMENT = re.compile(r"<!--.{0,2000}?-->")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# <script>, <style> and <noscript> are left for ScriptBlocks, which removes their bodies too.
_TAG_NAMES = frozenset(
    """a abbr address article aside audio b bdi bdo big blockquote body br button caption center cite
    code col colgroup data dd del details dfn div dl dt em embed figcaption figure font footer form
    h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main mark
    meta nav object ol optgroup option output p param picture pre q s samp section
    select small source span strike strong sub summary sup svg table tbody td template textarea
    tfoot th thead time title tr track tt u ul var video wbr""".split()
)


def _tag_name(tag: str) -> str:
    m = re.match(r"</?([A-Za-z][A-Za-z0-9:-]*)", tag)
    return m.group(1).lower() if m else ""


class HtmlMarkup(Rule):
    """Strip HTML tags and decode entities, keeping the text the markup wrapped.

    Removes: opening/closing tags of HTML elements (``<a href=… title=…>``, ``</p>``,
    ``<br/>``), HTML comments, and tags cut off at the end of a line; decodes
    entities (``&amp;`` → ``&``).
    Why: scrapers leak markup when a page's HTML is broken; tags are never prose.
    Anchors keep their text, even when the tag's own quotes are broken.
    Example: ``in the resort of <a href="https://x.test/a" title="“Storm“>Sochi.``
    → ``in the resort of Sochi.``
    False positives: prose that talks about HTML (``use the <p> element``) loses
    the tag; only names of real HTML elements are recognised, so ``a <b`` or
    ``x < y > z`` stay.
    """

    code = "H001"
    name = "html-markup"
    summary = "Strip leftover HTML tags (keeping anchor text) and decode entities."
    stage = "repair"
    keep = (
        "If x < 3 and y > 4 the test fails.",
        "The <Ctrl> key and the <Enter> key.",
        "Prices rose 5% in Q3 & Q4 combined.",
    )
    cases = (
        (
            'Putin spoke in the resort of <a href="https://example.test/storm/" title="“Storm” hits“>Sochi.',
            "Putin spoke in the resort of Sochi.",
        ),
        ("Read <b>this</b> &amp; that.", "Read this & that."),
        ("<p>Hello world.</p>", "Hello world."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        for i in doc.live:
            text = doc.text(i)
            if "<" not in text and "&" not in text:
                continue
            for m in _COMMENT.finditer(text):
                yield self.edit(doc, i, m.start(), m.end(), "", "HTML comment")
            for m in _TAG.finditer(text):
                if _tag_name(m.group()) in _TAG_NAMES:
                    yield self.edit(doc, i, m.start(), m.end(), "", f"HTML tag <{_tag_name(m.group())}>")
            m = _OPEN_TAG_AT_END.search(text)
            if m and _tag_name(m.group()) in _TAG_NAMES:
                yield self.edit(doc, i, m.start(), m.end(), "", "HTML tag cut off at the end of the line")
            if "&" in text:
                for m in _ENTITY.finditer(text):
                    decoded = html.unescape(m.group())
                    if decoded != m.group():
                        yield self.edit(doc, i, m.start(), m.end(), decoded, "HTML entity")


_BLOCK_OPEN = re.compile(r"^\s*<(script|style|noscript)\b[^>]{0,2000}>", re.I)
_BLOCK_CLOSE = {
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
    "noscript": re.compile(r"</noscript\s*>", re.I),
}


class ScriptBlocks(Rule):
    """Remove ``<script>``, ``<style>`` and ``<noscript>`` blocks that leaked into a dump.

    Removes: every line from a line that opens such an element up to the line that closes it.
    Why: code and style sheets are never article text.
    Example: ``<script>var x = 1;`` / ``dataLayer.push(x);`` / ``</script>`` all go.
    False positives: an article quoting a script element in a code listing loses that listing.
    """

    code = "H002"
    name = "script-blocks"
    summary = "Remove <script>, <style> and <noscript> blocks and their bodies."
    keep = ("Use a script to automate the task.", "Her style is unusual <3.")
    cases = (
        ("Intro sentence here.\n<script type='text/javascript'>\nvar a = 1;\n</script>\nBody text.", "Intro sentence here.\n\nBody text."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        inside: str | None = None
        for i in doc.live:
            text = doc.text(i)
            if inside is None:
                m = _BLOCK_OPEN.match(text)
                if not m:
                    continue
                inside = m.group(1).lower()
                rest = text[m.end() :]
                yield self.remove(doc, i, f"<{inside}> element")
                if _BLOCK_CLOSE[inside].search(rest):
                    inside = None
            else:
                yield self.remove(doc, i, f"body of a <{inside}> element")
                if _BLOCK_CLOSE[inside].search(text):
                    inside = None
