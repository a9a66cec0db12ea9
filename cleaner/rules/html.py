"""Leftover HTML in a text dump: tags, broken anchors, entities, script and style bodies."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .. import patterns
from ..document import Decision
from .base import DocView, Rule, lines_holding_chars
from .prefilter import doc_text

# A tag: "<", an optional "/", a known-looking tag name, then anything but angle brackets up to
# ">". Attribute quotes are not trusted (scrapers break them), so a tag ends at the first ">".
# Bounded repetition keeps the match linear on hostile input.
# No two adjacent quantifiers may match the same characters (``[^<>]{0,2000}\s*`` did: quadratic
# backtracking on a long run of spaces), so a failed attempt costs at most the distance to the next
# angle bracket.
_TAG = patterns.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,20}(?:\s[^<>]{0,2000})?>")
# A tag cut off at the end of a line: "<a href=..." with no closing ">". It can only start at the
# line's last "<"; see :func:`_cut_off_tail`.
_OPEN_TAG_AT_END = patterns.compile(r"<[A-Za-z][A-Za-z0-9:-]{0,20}\s+[A-Za-z-]{1,30}\s*=[^<>]{0,2000}$")
_COMMENT_MAX = 2000  # characters between "<!--" and "-->"
# An entity, or an escaped entity ("&amp;lt;", "&amp;amp;#39;"): the whole chain decodes at once.
_ENTITY = patterns.compile(r"&(?:amp;)*(#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NAME_AT = patterns.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)")
#: Rounds of repair per line: markup that only appears once other markup is gone
#: ("&lt;p&gt;", "<<b>p>") is repaired in the same pass, so cleaning the output again changes nothing.
_MAX_ROUNDS = 16
# <script>, <style> and <noscript> are not in this list: their bodies go with them (an element
# inside a line is one edit here; a block of lines is ScriptBlocks').
_BLOCK_OPEN = patterns.compile(r"^\s*<(script|style|noscript)\b[^>]{0,2000}>", re.I)
_BLOCK_OPEN_ANY = patterns.compile(r"<(script|style|noscript)\b[^<>]{0,2000}>", re.I)
_BLOCK_CLOSE = {
    "script": patterns.compile(r"</script\s*>", re.I),
    "style": patterns.compile(r"</style\s*>", re.I),
    "noscript": patterns.compile(r"</noscript\s*>", re.I),
}
_TAG_NAMES = frozenset(
    """a abbr address article aside audio b bdi bdo big blockquote body br button caption center cite
    code col colgroup data dd del details dfn div dl dt em embed figcaption figure font footer form
    h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main mark
    meta nav object ol optgroup option output p param picture pre q s samp section
    select small source span strike strong sub summary sup svg table tbody td template textarea
    tfoot th thead time title tr track tt u ul var video wbr""".split()
)


def _tag_name(tag: str) -> str:
    m = _NAME_AT.match(tag)
    return m.group(1).lower() if m else ""


def _comments(text: str) -> Iterator[tuple[int, int]]:
    """Spans of ``<!-- … -->`` comments (at most 2000 characters inside), left to right.

    A scan with ``str.find`` rather than a lazy regex: the first "-->" after a position only moves
    forward, so the whole line is read a bounded number of times however many "<!--" it holds.
    """
    pos = 0
    close = -1
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            return
        if close < start + 4:
            close = text.find("-->", start + 4)
            if close < 0:
                return
        if close - (start + 4) <= _COMMENT_MAX:
            yield start, close + 3
            pos = close + 3
        else:
            pos = start + 1


def _cut_off_tail(text: str) -> int | None:
    """Where the tags cut off at the end of ``text`` begin, or None when it ends with none.

    Removing one cut-off tag can leave another at the new end ("<a x=1 <a y=2"); the whole chain
    goes at once, each link found from the line's end backwards (linear time).
    """
    cut = None
    end = len(text)
    while True:
        lt = text.rfind("<", 0, end)
        if lt < 0:
            return cut
        m = _OPEN_TAG_AT_END.match(text, lt, end)
        if not m or _tag_name(m.group()) not in _TAG_NAMES:
            return cut
        cut = lt
        end = lt
        while end and text[end - 1].isspace():
            end -= 1


def _inline_blocks(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """``<script>``/``<style>``/``<noscript>`` elements opened in ``text``, left to right.

    Yields (start, end, name, closed): an element closed on the same line spans its open tag, body
    and close tag; one left open runs to the end of the line (its body goes on in the next lines,
    which :class:`ScriptBlocks` removes).
    """
    pos = 0
    while True:
        m = _BLOCK_OPEN_ANY.search(text, pos)
        if not m:
            return
        name = m.group(1).lower()
        close = _BLOCK_CLOSE[name].search(text, m.end())
        if close is None:
            yield m.start(), len(text), name, False
            return
        yield m.start(), close.end(), name, True
        pos = close.end()


def _markup_edits(text: str) -> list[tuple[int, int, str, str]]:
    """One round of repairs of ``text``: non-overlapping (start, end, replacement, reason), in order."""
    found: list[tuple[int, int, str, str]] = []
    if "<" in text and ("<s" in text or "<S" in text or "<n" in text or "<N" in text):
        # Code in the middle of a line; a block opening the line is ScriptBlocks' (a whole-line removal).
        lead = len(text) - len(text.lstrip())
        for start, end, name, closed in _inline_blocks(text):
            if start == lead and not closed:
                break
            reason = f"<{name}> element" if closed else f"<{name}> element running past the end of the line"
            if start > lead and text[start - 1] == " " and (end == len(text) or text[end].isspace()):
                start -= 1  # "text <script>…</script> more": one space stays, not two
            found.append((start, end, "", reason))
    if "<!--" in text:
        found.extend((s, e, "", "HTML comment") for s, e in _comments(text))
    if "<" in text:
        for m in _TAG.finditer(text):
            name = _tag_name(m.group())
            if name in _TAG_NAMES:
                found.append((m.start(), m.end(), "", f"HTML tag <{name}>"))
        cut = _cut_off_tail(text)
        if cut is not None:
            found.append((cut, len(text), "", "HTML tag cut off at the end of the line"))
    if "&" in text:
        from html import unescape  # (its 2,200 entity names are read when a page has an entity)

        for m in _ENTITY.finditer(text):
            decoded = unescape(f"&{m.group(1)};")
            if decoded != m.group():
                found.append((m.start(), m.end(), decoded, "HTML entity"))
    # The engine keeps the first of overlapping edits; keep the same ones here.
    chosen: list[tuple[int, int, str, str]] = []
    last_end = -1
    for edit in sorted(found, key=lambda e: (e[0], e[1])):
        if edit[0] >= last_end:
            chosen.append(edit)
            last_end = edit[1]
    return chosen


def _apply(text: str, edits: list[tuple[int, int, str, str]]) -> str:
    parts: list[str] = []
    pos = 0
    for start, end, replacement, _ in edits:
        parts.append(text[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(text[pos:])
    return "".join(parts).strip()


class HtmlMarkup(Rule):
    """Strip HTML tags and decode entities, keeping the text the markup wrapped.

    Removes: opening/closing tags of HTML elements (``<a href=… title=…>``, ``</p>``,
    ``<br/>``), HTML comments, and tags cut off at the end of a line; decodes
    entities (``&amp;`` → ``&``), escaped ones too (``&amp;lt;`` → ``<``). Markup
    that only appears once other markup is gone (``&lt;p&gt;``) goes in the same pass.
    Why: scrapers leak markup when a page's HTML is broken; tags are never prose.
    Anchors keep their text, even when the tag's own quotes are broken.
    Example: ``in the resort of <a href="https://x.test/a" title="“Storm“>Marbella.``
    → ``in the resort of Marbella.``
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
            'The minister spoke in the resort of <a href="https://example.test/storm/" title="“Storm” hits“>Marbella.',
            "The minister spoke in the resort of Marbella.",
        ),
        ("Read <b>this</b> &amp; that.", "Read this & that."),
        ("<p>Hello world.</p>", "Hello world."),
        ("Body text <script>var a = '<b>';</script> goes on.", "Body text goes on."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        texts = doc.texts
        alive = doc.alive
        # the lines holding "<" or "&", found over the document's shared text (a few searches
        # for two rare characters, not two per line); the text stays shared with the line
        # rules when no line is edited here
        page = doc_text(doc)
        for i in sorted(lines_holding_chars(page.joined, page.offsets, "<&")):
            if not alive[i]:
                continue
            text = texts[i]
            edits = _markup_edits(text)
            if not edits:
                continue
            # Repair again what the repairs revealed ("&lt;p&gt;" becomes "<p>", a tag), up to a
            # fixed point. In the usual case the first round is all, and each edit is its own
            # decision; otherwise one decision covers the span from the first to the last change.
            final = _apply(text, edits)
            rounds = 1
            while rounds < _MAX_ROUNDS and ("<" in final or "&" in final):
                more = _markup_edits(final)
                if not more:
                    break
                final = _apply(final, more)
                rounds += 1
            if rounds == 1:
                for start, end, replacement, reason in edits:
                    yield self.edit(doc, i, start, end, replacement, reason)
                continue
            head = 0
            limit = min(len(text), len(final))
            while head < limit and text[head] == final[head]:
                head += 1
            tail = 0
            while tail < limit - head and text[-1 - tail] == final[-1 - tail]:
                tail += 1
            yield self.edit(
                doc, i, head, len(text) - tail, final[head : len(final) - tail],
                f"HTML markup revealed by other repairs ({rounds} rounds)",
            )




class ScriptBlocks(Rule):
    """Remove ``<script>``, ``<style>`` and ``<noscript>`` blocks that leaked into a dump.

    Removes: every line from a line that opens such an element up to the line that closes it;
    when the element opens in the middle of a line, the lines after it up to the closing line
    (:class:`HtmlMarkup` cuts the opening line at the open tag).
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
        live = doc.live
        texts = doc.texts
        # Outside an element only a line holding "<" (in its text, or in its original text before
        # the repairs) can open one: the loop jumps from one such line to the next, and walks
        # line by line while inside an element (the lines it removes).
        opening = _may_open(doc)
        n = len(live)
        k = 0
        c = 0
        while True:
            if inside is None:
                while c < len(opening) and opening[c] < k:
                    c += 1
                if c == len(opening):
                    return
                k = opening[c]
            if k >= n:
                return
            i = live[k]
            k += 1
            text = texts[i]
            if inside is None:
                m = _BLOCK_OPEN.match(text)
                if not m:
                    original = doc.lines[i].text
                    if "<" in original:
                        # Opened in the middle of the line: HtmlMarkup cut the line at the open
                        # tag; the body goes on in the next lines.
                        for _, _, name, closed in _inline_blocks(original):
                            if not closed:
                                inside = name
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


def _may_open(doc: DocView) -> list[int]:
    """Positions in ``doc.live`` whose text or original text holds "<", ascending: the only lines
    ScriptBlocks acts on while outside an element (``_BLOCK_OPEN`` needs a "<", and so does the
    original text for an element opened inside the line)."""
    found = doc.positions_containing("<")
    # a line's original text is its text but where a repair rule edited it
    lines = doc.lines
    opened = sorted(i for i in doc.edited() if "<" in lines[i].text)
    if not opened:
        return found
    return sorted(set(found).union(doc.live_positions(opened)))
