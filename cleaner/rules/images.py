"""Images that leaked into a dump as text: file names, captions and photo credits."""

from __future__ import annotations

import re
from typing import Iterable

from .. import patterns
from ..document import Decision
from ..shapes import first_chars, initials, word_count
from .base import DocView, Rule
from .prefilter import C_SEARCH, EVERY_LINE, LiteralPrefilter, doc_text

_EXT = r"(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)"
# A line that is only a file name or image URL: "portrait-2m.jpg", "IMG_2041.JPG", "https://x/y.png?w=300"
_FILENAME = patterns.compile(rf"^(?:\S*/)?[\w%().,+-]{{1,200}}\.{_EXT}(?:[?#]\S*)?(?:\s+\d{{2,4}}\s*[x×]\s*\d{{2,4}})?$", re.I)
# Photo credit vocabulary across languages.
_CREDIT_WORDS = r"(?:photo|photos|foto|fotos|image|images|picture|pic|credit|credits|crédit|crédits|bild|bildquelle|illustration|фото|снимок|zdjęcie|imagen|immagine|photograph|photography|getty|reuters|ap|afp|epa|shutterstock|istock|dpa)"
# "(Photo: AFP)", "[Foto: dpa]", "Photo: Reuters", "Image credit: Getty Images", "© AFP", and the
# photographer before the agency: "(jdoe / iStock.com)", "(Jane Doe | Getty Images)"
_CREDIT_TAIL = patterns.compile(
    rf"[(\[]\s*(?:[^()\[\]/|]{{1,40}}?\s[/|]\s*)?{_CREDIT_WORDS}\b[^()\[\]]{{0,80}}[)\]]\s*\.?$", re.I
)
_CREDIT_LINE = patterns.compile(rf"^(?:{_CREDIT_WORDS}(?:\s+\w+)?\s*[:|/]\s*\S.{{0,80}}|©\s*\S.{{0,80}}|\(c\)\s*\S.{{0,80}})$", re.I)
# A caption whose credit follows it unbracketed, after a sentence end or a separator:
# "The harbour in winter, 1960. Photo: City Archive/Agency", "… beim Training. © Verlag",
# "Zwei alte Freunde beim Turnier. | © Golf Archive", "Windpark / Foto: Agentur".
_CREDIT_AFTER = patterns.compile(
    rf"(?:[.!?…)\]\"”“»]\s+(?:[|/–—]\s+)?|\s[|/–—]\s+)(?:©|\(c\)|{_CREDIT_WORDS}(?:\s+{_CREDIT_WORDS})?\s*:)\s*(\S.{{0,80}})$",
    re.I,
)
# A caption that opens with a numbered figure label: "Abbildung 4: Aufbau der Messung.",
# "Figure 2. Rainfall since 1990", "Fig. 3 –", "Рис. 1."
_FIGURE_LABEL = patterns.compile(
    r"^(?:figure|fig\.|abbildung|abb\.|grafik|illustration|figura|imagen|immagine|rysunek|rys\.|рисунок|рис\.)"
    r"\s*\d{1,3}[a-z]?\s*[:.–—-]\s*\S",
    re.I,
)
# A caption that places the people in the picture: a name, then "(l.)", "(r.)", "(M.)", "(v. l.)",
# "(left)", "(links)", "(rechts)", "(à gauche)" … ("Maria Muster (l.) und Max Muster …"). A
# letter without its full stop is not one: "Gov. Jane Roe (R)" is a party. The name's run is
# possessive: a space follows it, never one of its characters (see credits._NAME).
_POSITION_MARKS = (
    r"\((?:(?:l|r|m|li|re|v\.\s?l|v\.\s?r)\.|left|right|cent(?:er|re)|from left|links|rechts|"
    r"mitte|von links|à gauche|à droite|au centre|izquierda|derecha|sinistra|destra)\)"
)
_POSITION_MARK = patterns.compile(rf"\b[A-ZÀ-Þ][\w’'-]++\s{_POSITION_MARKS}", re.I)
#: The parenthesised mark alone, which every _POSITION_MARK match ends with: searched first, it
#: opens on "(" and sre skips to each one, where _POSITION_MARK's word boundary tries every
#: position (of the 4,100 dev-set lines holding "(" and a mark's literal, 7 hold a mark).
_POSITION_MARK_TAIL = patterns.compile(_POSITION_MARKS, re.I)
_FIGURE_LABEL_INITIALS = initials("fagir", "р")
_FIGURE_LABEL_FIRST = first_chars(_FIGURE_LABEL_INITIALS)  # may_start_with(text, _FIGURE_LABEL_INITIALS) as a table
_MAX_CREDIT_SOURCE_WORDS = 8  # "City Archive/Agency", "Jane M. Doe/Picture Agency Images"
_CREDIT_AFTER_TAIL = 200  # separator and whitespace, the longest credit phrase, a colon, 81 characters
_MAX_CAPTION_WORDS = 45
#: The characters a _CREDIT_LINE match can begin with: the credit words' first letters, "©", "("
#: (a necessary condition checked before the regex; tests/test_fastpaths.py checks it over Unicode).
_CREDIT_LINE_INITIALS = initials("pficbzgraesd", "фс", "©(")
_CREDIT_LINE_FIRST = first_chars(_CREDIT_LINE_INITIALS)  # shapes.may_start_with as a table


class ImageFilename(Rule):
    """Remove lines that are only an image file name or image URL.

    Removes: ``portrait-2m.jpg``, ``IMG_2041.JPG``, ``https://cdn.test/a/b.png?w=300``.
    Why: alt text fallbacks and lazy-loading placeholders leak file names; they are never prose.
    Example: ``portrait-2m.jpg`` goes.
    False positives: a line that is only a file name in an article about files.
    """

    code = "I001"
    name = "image-filename"
    summary = "Remove lines that are only an image file name or URL."
    keep = ("The file report.jpg was attached to the email.", "Save it as a PNG.")
    cases = (("First paragraph of text.\nportrait-2m.jpg\nSecond paragraph of text.", "First paragraph of text.\n\nSecond paragraph of text."),)

    def check(self, doc: DocView) -> Iterable[Decision]:
        texts = doc.texts
        match = _FILENAME.match
        # only the lines holding an extension's letters can match (the document's shared literal
        # search, cleaner/rules/prefilter.py): 120 of the dev sets' 10,000 lines that hold a "."
        for i in _FILENAME_PREFILTER.live_candidates(doc) if C_SEARCH else doc.live:
            text = texts[i]
            if len(text) < 300 and "." in text and match(text):
                yield self.remove(doc, i, "image file name")


_FILENAME_PREFILTER = LiteralPrefilter(_FILENAME)


class ImageCaption(Rule):
    """Remove image captions and photo credits.

    Removes: lines that end with a bracketed photo credit (``… summit. (Photo: AFP)``,
    ``[Foto: dpa]``) or with an unbracketed one after a sentence end or a separator, in the line's
    last 200 characters (``…
    winter, 1960. Photo: City Archive/Agency``, ``… Turnier. | © Golf Archive``), and
    short credit lines (``Photo: Reuters``, ``© AFP``, ``Bild: Keystone``), and captions that
    open with a numbered figure label (``Figure 2: …``, ``Abbildung 4: …``, ``Рис. 1.``), and
    captions (≤ 45 words) that place the people in the picture: a name followed by ``(l.)``,
    ``(r.)``, ``(v. l.)``, ``(left)``, ``(links)``, ``(à gauche)`` ….
    Why: captions describe pictures the dump no longer has; credits are not article text.
    Example: ``At the online meeting between the two presidents. (Photo: AFP)`` goes.
    False positives: a paragraph ending with a bracketed source note such as
    ``(Photo: see appendix)``; limited by requiring a short line (≤ 45 words).
    """

    code = "I002"
    name = "image-caption"
    summary = "Remove image captions with photo credits and bare credit lines."
    keep = (
        "The photo was taken in 1945 and shows the city in ruins.",
        "Photography has changed a great deal since the smartphone arrived.",
        "The museum bought the picture in 1990. Image: that is what the curator called it, she said, and more.",
        "She thanked the photographers. Photo agencies, she said: they kept the archive alive for decades.",
        "Figures 3 and 4 of the report show the same trend, the authors said.",
        "Turn the dial to the left (clockwise on older models) and wait for the click.",
        "Gov. Jane Roe (R) is defending the state's new campaign against drugs, her office said on Monday.",
    )
    cases = (
        (
            "Lead paragraph of the article.\nAt the online meeting between the two leaders. (Photo: AFP)\nBody paragraph.",
            "Lead paragraph of the article.\n\nBody paragraph.",
        ),
        ("Body paragraph.\nPhoto: Reuters", "Body paragraph."),
        ("Body paragraph.\nDas Hermelin ist im Winter gut getarnt. (Max Muster / iStock.com)", "Body paragraph."),
        ("Body paragraph.\nThe harbour in winter, 1960. Photo: City Archive/Agency", "Body paragraph."),
        ("Body paragraph.\nDie Spieler beim Training am Montag. | © Max Muster/Agentur", "Body paragraph."),
        ("Body paragraph.\nAbbildung 4: Aufbau der Messung am Hang.", "Body paragraph."),
        ("Body paragraph.\nMaria Muster (l.) und Max Muster bei der Übergabe am Montag.", "Body paragraph."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        texts = doc.texts
        # Each branch below needs a match of one of the four regexes: only the lines holding one
        # of their literals are visited (in order, as before).
        if C_SEARCH:
            candidates = _CAPTION_PREFILTER.live_candidates(doc)
            if not candidates:  # (a short or clean article often has none: then no line set is needed)
                return
            page = doc_text(doc)
            tail, after, position = (p.line_set(page) for p in (_TAIL_PRE, _AFTER_PRE, _POSITION_PRE))
        else:
            candidates = iter(doc.live)
            tail = after = position = EVERY_LINE
        for i in candidates:
            text = texts[i]
            if len(text) > 400:
                continue
            # _CREDIT_TAIL ends in ")" or "]": lines with neither are not searched
            if (
                i in tail and (")" in text or "]" in text) and _CREDIT_TAIL.search(text)
                and word_count(text) <= _MAX_CAPTION_WORDS
            ):
                yield self.remove(doc, i, "image caption with photo credit")
            elif _CREDIT_LINE_FIRST[text[:1]] and _CREDIT_LINE.match(text):
                yield self.remove(doc, i, "photo credit line")
            elif i in after and (":" in text or "©" in text or "(" in text) and _has_credit_after(text):
                yield self.remove(doc, i, "image caption with photo credit")
            elif (
                _FIGURE_LABEL_FIRST[text[:1]]
                and _FIGURE_LABEL.match(text)
                and word_count(text) <= _MAX_CAPTION_WORDS
            ):
                yield self.remove(doc, i, "figure caption (numbered figure label)")
            elif (
                # "(" first: a substring test is cheaper than the call of even a search that opens on it
                i in position and "(" in text and _POSITION_MARK_TAIL.search(text) and _POSITION_MARK.search(text)
                and word_count(text) <= _MAX_CAPTION_WORDS
            ):
                yield self.remove(doc, i, "image caption placing the people in the picture")


#: Every branch of ImageCaption.check needs a match of one of these (``_has_credit_after`` is
#: False without a _CREDIT_AFTER match).
_CAPTION_PREFILTER = LiteralPrefilter(_CREDIT_TAIL, _CREDIT_LINE, _CREDIT_AFTER, _FIGURE_LABEL, _POSITION_MARK)
#: The line-wide searches' own prefilters (the two anchored matches fail at once without one).
_TAIL_PRE = LiteralPrefilter(_CREDIT_TAIL)
_AFTER_PRE = LiteralPrefilter(_CREDIT_AFTER)
_POSITION_PRE = LiteralPrefilter(_POSITION_MARK)


def _has_credit_after(text: str) -> bool:
    """A short line (a caption) ending with an unbracketed credit: a credit word and a colon, or
    "©", after a sentence end or a separator, then a source of at most eight words."""
    if "©" not in text and ":" not in text and not ("(" in text and "(c)" in text.lower()):
        return False
    # The match ends the line and its source is at most 81 characters: it starts in the tail.
    m = _CREDIT_AFTER.search(text, max(0, len(text) - _CREDIT_AFTER_TAIL))
    return (
        m is not None
        and word_count(m.group(1)) <= _MAX_CREDIT_SOURCE_WORDS
        and word_count(text[: m.start()]) >= 2
        and word_count(text) <= _MAX_CAPTION_WORDS
    )
