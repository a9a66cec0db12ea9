"""HTML input: trafilatura extracts the article, then the cleaner's rules clean what it kept.

Two stages, both recorded:

1. **Extraction** (:func:`extract`). trafilatura (``deduplicate=False``: its
   deduplication cache is global and would make one page's output depend on the
   pages seen before; no comments) turns the page into blocks (headings,
   paragraphs, list items, quotes, table rows), one paragraph per line. The
   page's metadata (title, author, date, declared language, URL, site name) is
   read too. Then a few structural steps on trafilatura's blocks, each recorded
   as an ``E`` decision:

   * ``E001 html-extraction``: a line of the page's visible text that is not in
     trafilatura's output (menus, footers, sidebars, ...): the extractor dropped it;
   * ``E002 html-title``: the page's headline (a heading matching the page title)
     leaves the body and becomes the article's title;
   * ``E003 html-above-title``: blocks trafilatura kept above that headline
     (kickers, breadcrumbs, teasers of other stories);
   * ``E004 html-heading-tail``: short blocks led by headings after the article's
     last paragraph (teaser cards of other stories, newsletter and paywall boxes).
   * ``E006 html-popup``: hover cards nested in a paragraph (a person's card, links to
     other stories, shown only on hover), taken out of the page before extraction so
     they are not glued into the sentence (:func:`_popup_cards`).

   Two steps put text back, each recorded as an ``E005 html-restored`` decision
   (action ``flag``): the article's lead, when trafilatura dropped it and it is the
   page's meta description (:func:`_restore_lead`), and paragraphs of prose written in
   the article's own template (same tags and classes from the root) that trafilatura
   dropped (:func:`_restore_siblings`). When trafilatura's extraction is under 100
   words, its recall mode is asked for a second opinion and the longer one is used.

   When trafilatura finds nothing, the page's visible text is used instead
   (``fallback: visible-text`` flag): the text pipeline then does all the work; when
   no usable tree can be parsed, the text between the tags (``fallback: markup-stripped``).
   Input that is not markup at all is cleaned as text (``fallback: not-html`` flag).

2. **Rules**: the ordinary engine runs on the extracted text (one block a line),
   so teasers, captions, social embeds, duplicates, furniture and the like that
   trafilatura kept are removed with the usual decisions — all rules but those that
   judge a whole-page dump (:data:`PAGE_RULES`), which run on the fallbacks only.

Figures, fallbacks and design notes: ``docs/html.md``.

``E`` decisions concern text that never reached the rules: their ``line``,
``start`` and ``end`` are 0; they come first in :attr:`HtmlResult.removed`.
Every other decision is positioned in :attr:`Extraction.text`.

Nothing is cached between documents: cleaning page A then page B gives for B
exactly what cleaning B alone gives.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

from . import patterns
from .document import Action, Article, Decision, Result
from .engine import _oversize
# (detecting pages and dispatching them: a module of its own, which text runs import alone; its
# public names are this module's too)
from .html_input import _BOMS, MAX_BYTES, HtmlAwareEngine, bytes_look_like_html, decode_input, looks_like_html, source_text  # noqa: F401
from .shapes import ends_sentence, folded_words, is_prose


_EXTRACTOR_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


@lru_cache(maxsize=None)  # once a process
def quiet_extractor_logs() -> None:
    """Give trafilatura and its helpers' loggers a handler that drops their records: without one,
    Python's last-resort handler prints their warnings ("discarding data") on standard error.
    Called before they are imported, so that a run on text never imports ``logging`` (~30 M
    instructions with concurrent.futures, which imports it too, of a process's start-up)."""
    import logging

    for name in _EXTRACTOR_LOGGERS:
        logging.getLogger(name).addHandler(logging.NullHandler())


EXTRACTION = ("E001", "html-extraction")
TITLE = ("E002", "html-title")
ABOVE_TITLE = ("E003", "html-above-title")
HEADING_TAIL = ("E004", "html-heading-tail")
RESTORED = ("E005", "html-restored")
POPUP = ("E006", "html-popup")

#: Flags a Result may carry in HTML mode.
FLAG_FALLBACK = "fallback: visible-text (trafilatura found no article; the page's visible text was cleaned)"
FLAG_NOT_HTML = "fallback: not-html (the input holds no markup; it was cleaned as text)"
FLAG_STRIPPED = "fallback: markup-stripped (the page could not be parsed into a usable tree; the text between its tags was cleaned)"
FLAG_EMPTY = "empty: the page holds no visible text"
FLAG_RECALL = "second-opinion: trafilatura's extraction was under 100 words; its recall mode found more and was used"

#: Extractions shorter than this (words) get a second opinion: trafilatura's recall mode.
SECOND_OPINION_BELOW = 100

#: Pages larger than this (characters of HTML) use trafilatura's fast mode: its second
#: opinions (readability, jusText) grow faster than linearly with the page.
FAST_ABOVE = 2_000_000

_SPACE = patterns.compile(r"\s+")
_CONTROL = patterns.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MARKUP = patterns.compile(r"<[A-Za-z!/?]")
_LANG = patterns.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")

#: HTML elements whose content is not visible text.
_INVISIBLE = frozenset(
    "script style noscript template head title meta link svg math iframe object embed canvas "
    "select option datalist audio video map area base param source track".split()
)
#: HTML elements that start a new line of visible text.
_HTML_BLOCKS = frozenset(
    """address article aside blockquote body br button caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr html
    label legend li main menu nav noframes ol p pre section summary table tbody td tfoot th thead tr
    ul""".split()
)
#: trafilatura's output elements that hold one line each, and the kind of line they make.
_KINDS = {"p": "paragraph", "head": "heading", "item": "item", "quote": "quote", "row": "row", "code": "code"}
_HEADING_LEVEL = patterns.compile(r"^h([1-6])$")


@dataclass(frozen=True)
class Block:
    """One line of the extraction: its text and what trafilatura made of it."""

    kind: str  # "heading", "paragraph", "item", "quote", "row", "code", "text", "lead"
    text: str
    level: int = 0  # heading level (1 for <h1>), 0 for other kinds


@dataclass
class Extraction:
    """What the extraction stage made of a page.

    ``text`` is what the rules read: one block a line (a blank line after a
    heading). ``blocks`` are those lines with their kinds. ``dropped`` holds the
    ``E`` decisions: text of the page that did not reach the rules, and why.
    ``visible_lines`` counts the lines of the page's visible text; ``method`` is
    ``"trafilatura"``, ``"visible-text"`` or ``"markup-stripped"`` (the fallbacks) or
    ``"text"`` (no markup: the input is cleaned as a dump). ``restored`` holds lines of
    the page put back after trafilatura dropped them (the lead, see :func:`_restore_lead`).
    """

    text: str
    blocks: tuple[Block, ...] = ()
    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    url: str | None = None
    sitename: str | None = None
    description: str | None = None
    dropped: tuple[Decision, ...] = ()
    visible_lines: int = 0
    method: str = "trafilatura"
    restored: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def metadata(self) -> dict[str, str]:
        """The page's metadata that was found (only the keys with a value)."""
        keys = ("title", "author", "date", "language", "url", "sitename")
        return {k: getattr(self, k) for k in keys if getattr(self, k)}


@dataclass
class HtmlResult(Result):
    """A :class:`~cleaner.document.Result` that also records the extraction stage.

    ``removed`` lists the extraction's ``E`` decisions first, then the rules'
    decisions; ``to_dict`` adds an ``html`` object (the page's metadata, the
    extraction method, and counts).
    """

    extraction: Extraction | None = None

    @property
    def dropped(self) -> list[Decision]:
        return list(self.extraction.dropped) if self.extraction else []

    @property
    def removed(self) -> list[Decision]:
        return [*self.dropped, *super().removed]

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        out = super().to_dict(explain=explain)
        if self.extraction is not None:
            ext = self.extraction
            info: dict[str, Any] = {"method": ext.method, **ext.metadata}
            info["visible_lines"] = ext.visible_lines
            info["dropped"] = sum(1 for d in ext.dropped if d.code == EXTRACTION[0])
            out["html"] = info
        return out


# ---------------------------------------------------------------- input

#: How far into the page a charset declaration is looked for (browsers look at the first 1024
#: bytes; pages with long heads declare it later).
_DECLARATION_SPAN = 16384
_DECLARED = (
    patterns.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([^\s"'/>;]*)""", re.I),  # <meta charset>, http-equiv
    patterns.compile(rb"""<\?xml\s[^>]*?encoding\s*=\s*["']\s*([^\s"'?>]*)""", re.I),  # an XHTML page's XML declaration
)
#: Labels whose bytes browsers decode with a superset (the WHATWG Encoding standard): a page that
#: says "iso-8859-1" is read as Windows-1252, and so on.
_SUPERSETS = {
    "ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252",
    "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
    # A page cannot declare UTF-16/32 in ASCII markup it is encoded in: browsers read such a page as UTF-8.
    "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
    "utf-32": "utf-8", "utf-32-le": "utf-8", "utf-32-be": "utf-8",
}
#: Labels the Python codecs spell differently.
_ALIASES = {"x-sjis": "cp932", "x-cp1252": "cp1252", "iso-8859-8-i": "iso8859-8", "x-mac-roman": "mac-roman",
            "x-mac-cyrillic": "mac-cyrillic", "unicode-1-1-utf-8": "utf-8", "x-gbk": "gb18030"}
#: What a page that is neither valid in its declared charset nor UTF-8 is decoded as, with a warning.
FALLBACK_ENCODING = "cp1252"


def declared_charset(data: bytes) -> tuple[str | None, str | None]:
    """The charset the page declares (``<meta charset>``, ``http-equiv`` content type, XML
    declaration), as a Python codec name, and the label as written.

    ``(None, label)`` when the declaration names no text encoding Python knows (a typo,
    ``charset=base64``, an empty value); ``(None, None)`` when the page declares none.
    """
    head = data[:_DECLARATION_SPAN]
    for pattern in _DECLARED:
        m = pattern.search(head)
        if m is None:
            continue
        label = m.group(1).decode("latin-1").strip().strip("\"'").lower()
        try:
            info = codecs.lookup(_ALIASES.get(label, label))
        except (LookupError, ValueError):
            return None, label
        if not getattr(info, "_is_text_encoding", True):  # base64, rot13 … are codecs, not charsets
            return None, label
        return _SUPERSETS.get(info.name, info.name), label
    return None, None


def decode_html(data: bytes, strict: bool = False) -> tuple[str, list[str]]:
    """Bytes of a page to text, as a browser would, and warnings.

    In order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else the charset
    the page declares (:func:`declared_charset`; labels read as browsers read them,
    "iso-8859-1" as Windows-1252), when the bytes are valid in it; else UTF-8 when
    valid; else the declared charset, or Windows-1252 when none or an unknown one is
    declared, with undecodable bytes replaced by U+FFFD, and a warning. One exception
    to the declaration: a page that declares a single-byte charset but whose bytes are
    valid UTF-8 with non-ASCII characters is UTF-8 mislabelled (read as declared, it
    would be mojibake: "cafÃ©"), and is decoded as UTF-8 with a warning.
    ``strict`` refuses (:class:`~cleaner.textio.InputError`) what would be a guess:
    bytes valid neither in the declared charset nor in UTF-8.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), []
            except UnicodeDecodeError:
                if name != "utf-8":  # "\xff\xfe" that is not UTF-16 after all: read on
                    continue
                data = data[len(bom) :]
                break
    warnings: list[str] = []
    name, label = declared_charset(data)
    if label is not None and name is None:
        warnings.append(f"the page declares an unknown charset {label[:40]!r}; ignored")
    mislabelled = f"the page declares {label} but its bytes are UTF-8; decoded as UTF-8"
    if name is not None and name != "utf-8":
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            pass
        else:
            if _single_byte(name) and not data.isascii() and _valid_utf8(data):
                return data.decode("utf-8"), [*warnings, mislabelled]
            return text, warnings
    try:
        text = data.decode("utf-8")
        return text, [*warnings, mislabelled] if name is not None and name != "utf-8" else warnings
    except UnicodeDecodeError as exc:
        if strict:
            from .textio import InputError

            where = f"{label} nor UTF-8" if name and name != "utf-8" else "UTF-8"
            raise InputError(f"the page is neither valid {where} (byte {exc.start})") from None
    fallback = name if name and name != "utf-8" else FALLBACK_ENCODING
    text = data.decode(fallback, errors="replace")
    return text, [*warnings, f"the page is not valid {'UTF-8' if fallback == FALLBACK_ENCODING else label}; decoded as {fallback}, invalid bytes replaced"]


def _single_byte(name: str) -> bool:
    """Whether the codec maps each byte to one character (Latin-1, Windows-125x, KOI8 …)."""
    try:
        return len(bytes(range(128, 256)).decode(name, errors="replace")) == 128
    except (LookupError, UnicodeError):
        return False


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# ---------------------------------------------------------------- parsing


def _parse(html: str) -> Any:
    """An lxml tree of ``html``, or None. Never raises."""
    quiet_extractor_logs()
    try:
        from trafilatura.utils import load_html
    except ImportError:  # pragma: no cover - trafilatura is a base dependency
        return None
    try:
        tree = load_html(html)
        if tree is None and _MARKUP.search(html[:65536]):
            # trafilatura refuses fragments ("<p>x</p>" alone): give them a document around them.
            tree = load_html(f"<html><body>{html}</body></html>")
        if tree is not None:
            from lxml import etree

            # Comments hide nothing but themselves: their tails are text (lxml's walker skips them).
            etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
        return tree
    except Exception:  # lxml refuses some inputs outright (encoding declarations, depth)
        return None


def visible_lines(tree: Any) -> list[str]:
    """The page's visible text, one line per block element, white space collapsed.

    Iterative (no recursion), so deeply nested pages cannot exhaust the stack.
    """
    return [text for text, _ in _visible(tree)]


def _walk(tree: Any) -> Iterator[tuple[str, Any, str]]:
    """(event, element, tag) of lxml's start/end walk over ``tree``; the tag is "" for comments
    and processing instructions. Nothing when lxml refuses the tree."""
    from lxml import etree

    try:
        walker = etree.iterwalk(tree, events=("start", "end"))
    except Exception:
        return
    for event, el in walker:
        yield event, el, (el.tag if isinstance(el.tag, str) else "")


def _visible(tree: Any) -> list[tuple[str, Any]]:
    """:func:`visible_lines` with, for each line, the block element that holds it (None at the top)."""
    lines: list[tuple[str, Any]] = []
    buf: list[str] = []
    open_blocks: list[Any] = []

    def flush() -> None:
        if buf:
            text = _normalise("".join(buf))
            if text:
                lines.append((text, open_blocks[-1] if open_blocks else None))
            buf.clear()

    skip_depth = 0
    for event, el, tag in _walk(tree):
        name = tag.lower().rpartition("}")[2]
        if event == "start":
            if skip_depth:
                skip_depth += 1
                continue
            if not tag or name in _INVISIBLE or el.get("hidden") is not None or _hidden_style(el):
                skip_depth = 1
                continue
            if name in _HTML_BLOCKS:
                flush()
                open_blocks.append(el)
            if el.text:
                buf.append(el.text)
        else:
            if skip_depth:
                skip_depth -= 1
                if skip_depth:
                    continue
            elif name in _HTML_BLOCKS:
                flush()
                open_blocks.pop()
            if el.tail and el is not tree:
                buf.append(el.tail)
    flush()
    return lines


_STRIP_OPEN = patterns.compile(r"<!--|<(script|style|noscript|template|svg|head|title)\b", re.I)
_STRIP_BREAK = patterns.compile(
    r"</?(?:p|div|br|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|section|article|header|footer|nav|aside|"
    r"blockquote|pre|figure|figcaption|main|form|hr|body|html)\b[^<>]*>",
    re.I,
)
_STRIP_TAG = patterns.compile(r"<[^<>]*>")


def strip_markup(html: str) -> list[str]:
    """The text between the tags of ``html``, one line per block tag (regular expressions only).

    The last resort when no parser could make a tree of the page: linear, no recursion.
    """
    import html as html_module

    text = "\n".join(_outside_invisible(html))
    text = _STRIP_BREAK.sub("\n", text)
    text = _STRIP_TAG.sub("", text)
    text = html_module.unescape(text)
    return [line for line in (_normalise(raw) for raw in text.split("\n")) if line]


def _outside_invisible(html: str) -> Iterator[str]:
    """``html`` without comments and script/style/… elements: one forward scan (an unclosed
    element runs to the end of the page, as in a browser)."""
    lower = html.lower()
    pos = 0
    while True:
        m = _STRIP_OPEN.search(html, pos)
        if m is None:
            yield html[pos:]
            return
        yield html[pos : m.start()]
        close = "-->" if m.group(1) is None else f"</{m.group(1).lower()}"
        end = lower.find(close, m.end())
        if end < 0:
            return
        gt = lower.find(">", end + len(close) - 1)
        pos = len(html) if gt < 0 else gt + 1


#: Class names of elements shown only on hover or click (people cards, link previews, tooltips).
_POPUP_CLASS = patterns.compile(r"tooltip|popup|pop-up|popover|rollover|hover-?card", re.I)
#: A hover card holds at least this many links and no text of its own.
_POPUP_MIN_LINKS = 2


def _popup_cards(tree: Any) -> list[Any]:
    """Hover cards nested in the page's paragraphs, in page order.

    A hover card is an element inside a ``<p>`` whose class names say it pops up
    (tooltip, popup, popover, rollover, hover card) — the innermost such element, not a
    link itself — and which holds at least two links and no text outside them: the
    person card or list of related stories a site shows when the reader hovers over a
    name. Stylesheets hide it, so it is no text of the paragraph, but extractors glue it
    into the sentence ("Gov. Jane DoeJane Ann DoeOther story headline … MORE (R) said").
    A tooltip holding a definition (text of its own) or a single link is left alone.
    """
    cards: list[Any] = []
    try:  # most pages have no such class inside a paragraph: one XPath query says so
        if not any(_POPUP_CLASS.search(el.get("class") or "") for el in tree.xpath("//p//*[@class]")):
            return cards
    except Exception:
        return cards
    # One walk, bottom-up: for each open element, whether its class says it pops up and whether
    # an element below it does (then only the inner one is judged). Linear however deep the page.
    stack: list[list[bool]] = []
    in_paragraph = 0
    for event, el, tag in _walk(tree):
        if event == "start":
            if tag == "p":
                in_paragraph += 1
            pops = bool(in_paragraph) and tag not in ("", "a", "p") and _POPUP_CLASS.search(el.get("class") or "") is not None
            stack.append([pops, False])
            continue
        pops, inner = stack.pop() if stack else (False, False)
        if tag == "p":
            in_paragraph -= 1
        if pops and not inner and _is_link_card(el):
            cards.append(el)  # innermost cards are disjoint: end order is page order
        if stack and (pops or inner):
            stack[-1][1] = True
    return cards


def _is_link_card(el: Any) -> bool:
    """At least two links, and no words outside them."""
    links = [a for a in el.iter("a") if _normalise("".join(a.itertext()))]
    if len(links) < _POPUP_MIN_LINKS:
        return False
    in_links = sum(len(folded_words("".join(a.itertext()))) for a in links)
    return in_links >= len(folded_words(" ".join(el.itertext())))


def _remove_popups(tree: Any) -> list[str]:
    """Remove :func:`_popup_cards` from ``tree`` (their tails stay) and return their texts."""
    texts: list[str] = []
    for el in _popup_cards(tree):
        parent = el.getparent()
        if parent is None:
            continue
        text = _normalise(" ".join(el.itertext()))
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
        if text:
            texts.append(text)
    return texts


def _hidden_style(el: Any) -> bool:
    style = el.get("style")
    return bool(style) and "display" in style and re.search(r"display\s*:\s*none", style) is not None


# ---------------------------------------------------------------- trafilatura


def _trafilatura(tree: Any, favor: str, fast: bool = False) -> Any:
    """trafilatura's Document for ``tree`` (metadata and body), or None. Never raises."""
    quiet_extractor_logs()
    try:
        from trafilatura import bare_extraction
    except ImportError:  # pragma: no cover
        return None
    try:
        return bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,  # the dedup cache is process-global: it would leak between documents
            # The publication date, from the page's markup only: the "extensive" search parses
            # dates in the text with dateparser, which more than doubles the extraction's time.
            date_extraction_params={"extensive_search": False, "original_date": True},
            favor_precision=favor == "precision",
            favor_recall=favor == "recall",
            fast=fast,
        )
    except Exception:  # trafilatura bugs, RecursionError on pathological trees: fall back
        return None


def blocks_from_body(body: Any) -> list[Block]:
    """trafilatura's output tree as lines: one per paragraph, heading, list item, quote, table row.

    A ``<lb/>`` (line break) inside a block starts a new line of the same kind.
    Table cells of a row are joined with `` | ``.
    """
    from lxml import etree

    blocks: list[Block] = []
    buf: list[str] = []
    stack: list[tuple[str, int]] = []  # kinds of the open line-holding elements

    def flush() -> None:
        if buf:
            text = _normalise("".join(buf))
            if text and stack:
                kind, level = stack[-1]
                blocks.append(Block(kind, text, level))
            elif text:
                blocks.append(Block("text", text))
            buf.clear()

    if body is None:
        return blocks
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _KINDS:
                flush()
                level = 0
                if tag == "head":
                    m = _HEADING_LEVEL.match(el.get("rend") or "")
                    level = int(m.group(1)) if m else 2
                stack.append((_KINDS[tag], level))
            elif tag in ("list", "table", "lb", "graphic"):
                flush()
            elif tag == "cell" and buf and "".join(buf).strip():
                buf.append(" | ")
            if el.text and tag != "graphic":
                buf.append(el.text)
        else:
            if tag in _KINDS:
                flush()
                stack.pop()
            elif tag in ("list", "table"):
                flush()
            elif tag == "cell":
                buf.append(" ")
            if el.tail and el is not body:
                buf.append(el.tail)
    flush()
    return blocks


def _meta(value: Any) -> str | None:
    if isinstance(value, str):
        value = _normalise(value)
        return value or None
    return None


def _declared_language(tree: Any) -> str | None:
    """The page's declared language (``<html lang>``, ``content-language``, ``og:locale``)."""
    candidates: list[str] = []
    try:
        root = tree.getroottree().getroot()
        candidates.append(root.get("lang") or root.get("xml:lang") or "")
        for meta in root.iter("meta"):
            key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
            if key in ("content-language", "og:locale", "language", "dc.language"):
                candidates.append(meta.get("content") or "")
    except Exception:
        return None
    for value in candidates:
        m = _LANG.match(value.strip())
        if m:
            return m.group(0).lower()
    return None


# ---------------------------------------------------------------- structure


def _same_title(heading: str, title: str) -> bool:
    """Whether a heading is the page's title (``title`` may carry the site name around it)."""
    h, t = folded_words(heading), folded_words(title)
    if not h or not t:
        return False
    if h == t:
        return True
    hs, ts = " ".join(h), " ".join(t)
    if len(h) >= 3 and hs in ts and len(h) >= 0.5 * len(t):
        return True
    return len(t) >= 3 and ts in hs and len(t) >= 0.6 * len(h)


_TITLE_SEPARATOR = patterns.compile(r"\s+(?:[-|–—·»/]|::)\s+")


def _site_names(sitename: str | None, url: str | None) -> set[str]:
    """The site's name as titles print it: its declared name and its host name, squeezed."""
    names = set()
    if sitename:
        names.add("".join(folded_words(sitename)))
    if url:
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I).split("/")[0].split(":")[0].lower()
        labels = [x for x in host.split(".") if x and x != "www"]
        if labels:
            names.add("".join(labels))
            if len(labels) >= 2:
                names.add(labels[-2])
                names.add("".join(labels[:-1]))
    return {n for n in names if n}


def strip_site_name(title: str, sitename: str | None, url: str | None) -> str:
    """``title`` without the site's name before or after a separator ("Story - Site" -> "Story")."""
    names = _site_names(sitename, url)
    if not names:
        return title
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title

    def is_site(part: str) -> bool:
        return "".join(folded_words(part)) in names

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(folded_words(" ".join(parts))) < 2:
        return title
    # Rebuild from the original text so separators inside the kept part stay as they were.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else title


#: How far into trafilatura's blocks the page's headline is looked for.
_TITLE_LOOKAHEAD = 5


def _find_title(blocks: Sequence[Block], title: str | None) -> int | None:
    """Index of the block that is the page's headline, or None."""
    if not title:
        return None
    for k, block in enumerate(blocks[:_TITLE_LOOKAHEAD]):
        if block.kind == "heading" and _same_title(block.text, title):
            return k
    return None


def _extraction_decision(code: tuple[str, str], text: str, reason: str, action: Action = Action.REMOVE) -> Decision:
    return Decision(action, code[0], code[1], 0, 0, 0, text, reason)


def _dropped_flags(visible: Sequence[str], kept: Sequence[str]) -> list[bool]:
    """For each visible line, whether it is missing from the extraction (approximate, linear time).

    A line of four words or more counts as kept when at least half of its word
    4-grams occur in the extraction; a shorter line when it is a line of the
    extraction (same words).
    """
    grams: set[tuple[str, ...]] = set()
    short: set[tuple[str, ...]] = set()
    for line in kept:
        w = folded_words(line)
        short.add(tuple(w))
        grams.update(tuple(w[i : i + 4]) for i in range(len(w) - 3))
    out = []
    for line in visible:
        w = folded_words(line)
        if not w:
            out.append(False)  # punctuation or symbols only: nothing worth recording
        elif len(w) < 4:
            out.append(tuple(w) not in short)
        else:
            own = [tuple(w[i : i + 4]) for i in range(len(w) - 3)]
            out.append(sum(1 for g in own if g in grams) * 2 < len(own))
    return out


_TAIL_MAX_WORDS = 25
_TAIL_MIN_HEADINGS = 3
_TAIL_HEADING_SHARE = 0.4


def _heading_tail(blocks: Sequence[Block]) -> int:
    """Where a tail of teaser cards starts in ``blocks`` (``len(blocks)`` when there is none).

    The tail is the run of short blocks (at most 25 words; a sentence of 15 words or
    more in a paragraph ends it) after the article's last paragraph, when at least
    three of them, and at least 40 %, are headings: the cards of other stories,
    newsletter and paywall boxes that extractors keep after an article.
    """
    k = len(blocks)
    while k > 0:
        block = blocks[k - 1]
        n = len(folded_words(block.text))
        if n > _TAIL_MAX_WORDS:
            break
        if block.kind in ("paragraph", "text", "quote", "lead") and n >= 15 and ends_sentence(block.text):
            break
        k -= 1
    tail = blocks[k:]
    headings = sum(1 for b in tail if b.kind == "heading")
    if k == 0 or headings < _TAIL_MIN_HEADINGS or headings < _TAIL_HEADING_SHARE * len(tail):
        return len(blocks)
    return k


#: How many lines above the first extracted block the page's lead is looked for.
_LEAD_LOOKBACK = 50
_MIN_LEAD_WORDS = 6


def _is_description(line: str, description: str | None) -> bool:
    """Whether a visible line is the page's declared summary (its meta description).

    The description may be cut short ("…") or the line may be longer than it: the
    words they share from the start must be at least six and all of the shorter one.
    """
    if not description:
        return False
    lw, dw = folded_words(line), folded_words(description)
    if description.rstrip().endswith(("...", "…")) and dw:
        dw = dw[:-1]  # the last word may be cut
    n = min(len(lw), len(dw))
    return n >= _MIN_LEAD_WORDS and lw[:n] == dw[:n]


def _restore_lead(visible: Sequence[str], dropped: Sequence[bool], blocks: Sequence[Block], description: str | None) -> int | None:
    """Index in ``visible`` of a lead paragraph the extractor dropped, or None.

    The lead is a dropped line shortly above the first extracted block that is
    the page's meta description: the page's own summary, shown above the body
    (a standfirst or the first paragraph), which the policy keeps.
    """
    if not blocks or not description:
        return None
    first = folded_words(blocks[0].text)[:_MIN_LEAD_WORDS]
    if len(first) < 2:
        return None
    for f, line in enumerate(visible):
        if not dropped[f] and folded_words(line)[: len(first)] == first:
            break
    else:
        return None
    for i in range(max(0, f - _LEAD_LOOKBACK), f):
        if dropped[i] and _is_description(visible[i], description):
            return i
    return None


#: A dropped line is put back as a sibling paragraph when it has this many words at least and
#: ends a sentence, and its place in the page's markup is that of this many kept paragraphs.
_SIBLING_MIN_WORDS = 15
_SIBLING_MIN_KEPT = 2
_DIGITS = patterns.compile(r"\d+")


class _Templates:
    """Where elements sit in the page: the tags and classes of an element and of all its
    ancestors (digits in class names ignored: "col-3" and "col-4" are the same place), as a
    number (equal numbers, equal paths). Ids are left out: they name one element, not a kind
    of element. Each element is numbered once from its parent's number, so the time is linear
    in the elements however deep the page nests."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int, str, str], int] = {}
        self.of: dict[Any, int] = {}  # the elements stay referenced: lxml keeps their proxies

    def __call__(self, el: Any) -> int:
        chain = []
        while el is not None and el not in self.of:
            chain.append(el)
            el = el.getparent()
        number = self.of[el] if el is not None else 0
        for node in reversed(chain):
            tag = node.tag if isinstance(node.tag, str) else "?"
            classes = " ".join(sorted(_DIGITS.sub("#", c) for c in (node.get("class") or "").split()))
            number = self.ids.setdefault((number, tag, classes), len(self.ids) + 1)
            self.of[node] = number
        return number


def _restore_siblings(lines: Sequence[tuple[str, Any]], gone: Sequence[bool]) -> list[int]:
    """Indices of dropped lines that are paragraphs of the article trafilatura kept (ascending).

    A paragraph of prose (15 words or more, ending a sentence) that the extractor dropped is
    put back when it sits in the page's markup exactly where at least two paragraphs of prose
    it kept sit (same tags and classes from the root down, :class:`_Templates`): the article's
    own paragraph template. Extractors cut articles that are split into several containers
    (an advertisement or a pull quote between them) and keep one part; menus, comments,
    teasers and footers are not made of the article's paragraphs.
    """
    template = _Templates()
    kept: dict[int, int] = {}
    for (text, el), out in zip(lines, gone):
        if not out and el is not None and is_prose(text, _SIBLING_MIN_WORDS):
            key = template(el)
            kept[key] = kept.get(key, 0) + 1
    if not kept:
        return []
    return [
        i
        for i, ((text, el), out) in enumerate(zip(lines, gone))
        if out and el is not None and is_prose(text, _SIBLING_MIN_WORDS) and kept.get(template(el), 0) >= _SIBLING_MIN_KEPT
    ]


def _insert_restored(blocks: list[Block], visible: Sequence[str], gone: Sequence[bool], restored: Sequence[int]) -> list[Block]:
    """``blocks`` with the visible lines ``restored`` put back in page order: each after the block
    that holds the nearest kept line above it (first when there is none)."""
    from bisect import bisect_left

    # Where each kept visible line is in the blocks: matched in order, by its first words
    # (up to eight) against the blocks' first words (an index, so the time stays linear).
    starts: dict[tuple[str, ...], list[int]] = {}
    for j, block in enumerate(blocks):
        w = folded_words(block.text)[:8]
        for n in range(1, len(w) + 1):
            starts.setdefault(tuple(w[:n]), []).append(j)
    position: dict[int, int] = {}
    k = 0
    for i, (line, out) in enumerate(zip(visible, gone)):
        candidates = None if out else starts.get(tuple(folded_words(line)[:8]))
        if candidates:
            at = bisect_left(candidates, k)
            if at < len(candidates):
                position[i] = k = candidates[at]
    after: dict[int, list[str]] = {}
    wanted = set(restored)
    last = -1
    for i in range(len(visible)):
        if i in position:
            last = position[i]
        elif i in wanted:
            after.setdefault(last, []).append(visible[i])
    out = [Block("paragraph", text) for text in after.get(-1, [])]
    for j, block in enumerate(blocks):
        out.append(block)
        out.extend(Block("paragraph", text) for text in after.get(j, []))
    return out


def extract(html: str | bytes, favor: str = "balanced") -> Extraction:
    """Extract the article of an HTML page (see the module documentation). Never raises."""
    warnings: list[str] = []
    if isinstance(html, bytes):
        html, warnings = decode_html(html)
    if not isinstance(html, str):
        raise TypeError(f"extract() takes str or bytes, not {type(html).__name__}")
    if html.startswith("\ufeff"):
        html = html[1:]
    if _CONTROL.search(html):
        html = _CONTROL.sub("", html)
    if not html.strip():
        return Extraction("", method="text", flags=(FLAG_EMPTY,), warnings=tuple(warnings))
    if not _MARKUP.search(html):
        return Extraction(html, method="text", flags=(FLAG_NOT_HTML,), warnings=tuple(warnings))

    tree = _parse(html)
    popups = [
        _extraction_decision(POPUP, text, "a hover card (popup) inside a paragraph: hidden until hovered, not the paragraph's text")
        for text in (_remove_popups(tree) if tree is not None else [])
    ]
    located = _visible(tree) if tree is not None else []
    visible = [text for text, _ in located]
    doc = _trafilatura(tree, favor, fast=len(html) > FAST_ABOVE) if tree is not None else None
    language = _declared_language(tree) if tree is not None else None

    body = getattr(doc, "body", None) if doc is not None else None
    blocks = blocks_from_body(body) if body is not None else []
    flags: list[str] = []
    if doc is not None and favor != "recall" and _word_count(blocks) < SECOND_OPINION_BELOW:
        # A few words out of a whole page: trafilatura chose the wrong container (a slogan, a
        # caption). Its recall mode is asked too (on a fresh tree: extraction prunes the one it
        # reads), and the longer extraction is kept.
        fresh = _parse(html)
        if fresh is not None:
            _remove_popups(fresh)
        second = _trafilatura(fresh, "recall", fast=len(html) > FAST_ABOVE)
        more = blocks_from_body(second.body) if getattr(second, "body", None) is not None else []
        if _word_count(more) > _word_count(blocks):
            blocks = more
            flags.append(FLAG_RECALL)
    title = _meta(getattr(doc, "title", None))
    if title:
        title = strip_site_name(title, _meta(getattr(doc, "sitename", None)), _meta(getattr(doc, "url", None)))
    meta = {
        "title": title,
        "author": _meta(getattr(doc, "author", None)),
        "date": _meta(getattr(doc, "date", None)),
        "language": language,
        "url": _meta(getattr(doc, "url", None)),
        "sitename": _meta(getattr(doc, "sitename", None)),
        "description": _meta(getattr(doc, "description", None)),
    }

    if not blocks:
        # trafilatura found nothing: the rules get the page's visible text, or, when the parser
        # could not build a usable tree (pathological nesting), the text between the tags.
        method, flag = "visible-text", FLAG_FALLBACK
        lines = visible
        if not lines:
            method, flag = "markup-stripped", FLAG_STRIPPED
            lines = strip_markup(html)
        if not lines:
            return Extraction("", method=method, dropped=tuple(popups), flags=(FLAG_EMPTY,), warnings=tuple(warnings), **meta)
        return Extraction(
            "\n".join(lines), tuple(Block("text", line) for line in lines), dropped=tuple(popups),
            visible_lines=len(visible), method=method, flags=(flag,), warnings=tuple(warnings), **meta,
        )  # fmt: skip

    gone = _dropped_flags(visible, [b.text for b in blocks])
    dropped: list[Decision] = []
    k = _find_title(blocks, title)
    if k is not None:
        for block in blocks[:k]:
            dropped.append(_extraction_decision(ABOVE_TITLE, block.text, "above the page's headline"))
        heading = blocks[k]
        dropped.append(_extraction_decision(TITLE, heading.text, "the page's headline", Action.TITLE))
        meta["title"] = heading.text
        blocks = blocks[k + 1 :]
    if meta["title"]:
        # The headline printed again as the body's first lines (a paragraph, a second heading):
        # the article starts after it (cleaning the text output again would find it twice).
        title_words = folded_words(meta["title"])
        for j, block in enumerate(blocks[:_TITLE_LOOKAHEAD]):
            if folded_words(block.text) == title_words:
                dropped.append(_extraction_decision(TITLE, block.text, "repeats the page's headline"))
                blocks = blocks[:j] + blocks[j + 1 :]
                break
    tail = _heading_tail(blocks)
    for block in blocks[tail:]:
        dropped.append(_extraction_decision(HEADING_TAIL, block.text, "short blocks led by headings after the article"))
    blocks = blocks[:tail]
    restored: list[str] = []
    provenance: list[Decision] = []
    lead = _restore_lead(visible, gone, blocks, meta["description"])
    if lead is not None and meta["title"] and folded_words(visible[lead]) == folded_words(meta["title"]):
        lead = None  # the description is the headline again, not a lead
    if lead is not None:
        gone[lead] = False
        restored.append(visible[lead])
        provenance.append(_extraction_decision(RESTORED, visible[lead], "the article's lead (the page's description), which trafilatura dropped", Action.FLAG))
        blocks = [Block("lead", visible[lead]), *blocks]
    siblings = _restore_siblings(located, gone) if blocks else []
    if siblings:
        blocks = _insert_restored(blocks, visible, gone, siblings)
        for i in siblings:
            gone[i] = False
            restored.append(visible[i])
            provenance.append(_extraction_decision(RESTORED, visible[i], "a paragraph of the article's own template, which trafilatura dropped", Action.FLAG))
    dropped[:0] = [
        *popups,
        *(
            _extraction_decision(EXTRACTION, line, "not in trafilatura's extraction of the page")
            for line, out in zip(visible, gone)
            if out
        ),
        *provenance,
    ]

    return Extraction(
        _text_of(blocks), tuple(blocks), dropped=tuple(dropped), visible_lines=len(visible),
        method="trafilatura", restored=tuple(restored), flags=tuple(flags), warnings=tuple(warnings), **meta,
    )  # fmt: skip


def _word_count(blocks: Iterable[Block]) -> int:
    return sum(len(folded_words(b.text)) for b in blocks)


def _text_of(blocks: Iterable[Block]) -> str:
    """The engine's input: one block a line; a heading is followed by a blank line."""
    parts: list[str] = []
    for block in blocks:
        parts.append(block.text)
        parts.append("\n\n" if block.kind == "heading" else "\n")
    return "".join(parts).rstrip("\n")


# ---------------------------------------------------------------- cleaning


#: Rules that judge a whole-page dump (which lines are the article). After trafilatura has
#: chosen the article they would judge it a second time with a model made for full pages, and
#: they remove article text (measured in docs/html.md): they run only on the fallbacks.
PAGE_RULES = ("main-content",)


def _page_rules() -> list[str]:
    from .registry import RULES

    return [rule.name for rule in RULES if rule.name in PAGE_RULES]


def engine_for(extraction: Extraction, enable: Sequence[str] | None = None, disable: Sequence[str] = (),
               favor: str = "balanced", language: bool = True, max_bytes: int | None = MAX_BYTES) -> Any:  # fmt: skip
    """The engine that cleans ``extraction``: without :data:`PAGE_RULES` when trafilatura chose the article."""
    from .api import make_engine

    if extraction.method == "trafilatura":
        disable = [*disable, *_page_rules()]
    return make_engine(enable, disable, favor, language, max_bytes)


def clean_html(
    html: str | bytes,
    *,
    enable: Sequence[str] | None = None,
    disable: Sequence[str] = (),
    favor: str = "balanced",
    language: bool = True,
    max_bytes: int | None = MAX_BYTES,
) -> Result:
    """Clean one HTML page (str, or bytes in the page's declared charset): extraction, then the rules.

    Options are those of :func:`cleaner.clean`; ``favor`` also picks trafilatura's mode
    (``favor_precision``/``favor_recall``). Returns an :class:`HtmlResult`. Never raises
    on bad input: unparseable pages fall back to their visible text (flagged). A page over
    ``max_bytes`` (UTF-8) is not extracted: like any document over the size guard, it is
    passed through uncleaned and flagged (a plain :class:`~cleaner.document.Result`).
    """
    if isinstance(html, str) and _oversize(html, max_bytes):
        from .api import make_engine

        return make_engine(enable, disable, favor, language, max_bytes).clean(html)
    extraction = extract(html, favor)
    return clean_extraction(extraction, engine_for(extraction, enable, disable, favor, language, max_bytes))


def clean_extraction(extraction: Extraction, engine: Any, warnings: Iterable[str] = ()) -> HtmlResult:
    """Run ``engine`` on an extraction and attach the page's metadata to the articles."""
    base = engine.clean(extraction.text, [*warnings, *extraction.warnings])
    flags = [*extraction.flags, *base.flags]
    if extraction.method == "trafilatura" and not extraction.text.strip():
        flags.append("no-article: the extraction holds no body text")
    result = HtmlResult(base.articles, base.decisions, flags, base.warnings, extraction)
    _attach_metadata(result.articles, extraction)
    return result


def _attach_metadata(articles: list[Article], ext: Extraction) -> None:
    if not articles or ext.method == "text":
        return
    for article in articles:
        if ext.url:
            article.metadata.setdefault("url", ext.url)
        if ext.sitename:
            article.metadata.setdefault("sitename", ext.sitename)
        if ext.language and "language" not in article.metadata:
            article.metadata["language"] = ext.language
    if len(articles) > 1:
        return  # a listing page: its title, author and date are not any one article's
    article = articles[0]
    if ext.title and not article.title:
        article.title = ext.title
    if ext.author:
        byline = article.metadata.setdefault("byline", [])
        known = " ".join(byline).casefold()
        for name in (n.strip() for n in ext.author.split(";")):
            if name and name.casefold() not in known:
                byline.append(name)
    if ext.date:
        article.metadata.setdefault("date", ext.date)


def clean_html_text(html: str | bytes, **kwargs: Any) -> str:
    """Clean one HTML page and return the text output (title line, paragraphs, separators)."""
    kwargs.setdefault("language", False)
    return clean_html(html, **kwargs).text


__all__ = [
    "Block",
    "Extraction",
    "HtmlAwareEngine",
    "HtmlResult",
    "clean_html",
    "clean_html_text",
    "decode_html",
    "extract",
    "looks_like_html",
    "source_text",
    "strip_markup",
    "visible_lines",
]
