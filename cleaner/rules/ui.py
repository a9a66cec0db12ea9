"""Page-furniture lines: share, print, rate and language-switch controls, vote counts."""

from __future__ import annotations

import re
from typing import Iterable

from .. import patterns
from ..accel import c_function
from ..document import Decision
from .base import DocView, Rule
from .prefilter import LiteralPrefilter, doc_text

# Vocabulary of the whole class, in the languages of the benchmark pages. A line is furniture
# only when EVERY word in it belongs here and at least one is a "control" word, so real prose
# ("Share prices fell.", "She will print it.") never matches.
_CONTROLS = frozenset(
    """share shares sharing print printer tweet retweet email e-mail facebook twitter whatsapp telegram
    linkedin pinterest reddit xing flipboard messenger vk ok rate rating ratings votes vote bookmark
    pdf permalink embed copy teilen drucken teile twittern merken bewerten bewertung stimmen partager
    imprimer partagez imprimez noter compartir imprimir valorar votos condividi stampa
    condividere deel delen printen afdrukken udostępnij drukuj dela skriv ut поделиться печать
    распечатать версия оценка оценить голосов голоса голос fb""".split()
)
_FILLER = frozenset(
    """this the a an on via to us our with by in of per article story post page link text font size
    increase decrease reset send friend tell save read listen more now here version print-friendly
    printable link copied copy-link diesen artikel den dem die der auf per seite beitrag cet
    article la le les sur par ce esta este artículo el en la por questo articolo su dit artikel op
    deze via этой статьей статью на в по mit with friends freunden freunde amis amigos social media
    sozialen medien netzwerken réseaux sociaux redes sociales na w z""".split()
)
# Language names as switchers write them (in their own script), for "Read in Russian" lines.
_LANGUAGES = frozenset(
    """english deutsch français francais español espanol italiano português portugues nederlands polski
    русский русском русская українська украинском türkçe العربية 中文 日本語 한국어 русская-версия
    english-version en de fr es it ru ua zh ja""".split()
)
_READ = frozenset("read читать lesen lire leer leggi ler lees czytaj".split())
_WORD = patterns.compile(r"[\w+-]+")
_VOTES = patterns.compile(
    r"""^[\s(\[]*(?:
        (?:votes?|ratings?|rating|stimmen|bewertungen?|голос(?:ов|а)?|оценка|avis|votos)\s*:?\s*[\d.,]+
        (?:\s*[,;/]\s*(?:votes?|ratings?|rating|stimmen|bewertungen?|голос(?:ов|а)?|оценка|avis|votos)\s*:?\s*[\d.,]+)*
      | [\d.,]+\s*(?:votes?|ratings?|stimmen|bewertungen|голос(?:ов|а)?|avis|votos)
    )[\s)\]]*$""",
    re.I | re.X,
)
_MAX_WORDS = 8
_MAX_CHARS = 120
_VOCABULARY = _CONTROLS | _FILLER | _LANGUAGES | _READ
#: The lines that may be a vote count: every _VOTES match holds one of its vote words.
_VOTES_PREFILTER = LiteralPrefilter(_VOTES)


def _words(text: str) -> list[str]:
    """The words furniture_reason judges: each ``_WORD`` token folded and stripped of "+" and
    "-", the empty ones and the numbers left out."""
    tokens = [t.casefold().strip("-+") for t in _WORD.findall(text)]
    return [t for t in tokens if t and not t.isdigit()]


def furniture_lines_py(joined: str, offsets: list[int], live: list[int], vocabulary: frozenset[str] = _VOCABULARY,
                       max_len: int = _MAX_CHARS, max_words: int = _MAX_WORDS) -> list[int]:
    """The positions ``k`` of ``live`` whose line (``joined[offsets[i]:offsets[i + 1] - 1]``, i =
    live[k]) has at most ``max_len`` characters and 1 to ``max_words`` words (:func:`_words`),
    each in ``vocabulary``: the lines furniture_reason may call a control or a language switch.
    The reference of the C ``furniture_lines`` (tests/test_speedups.py compares them)."""
    found = []
    for k, i in enumerate(live):
        a, b = offsets[i], offsets[i + 1] - 1
        if b - a > max_len:
            continue
        words = _words(joined[a:b])
        if words and len(words) <= max_words and all(w in vocabulary for w in words):
            found.append(k)
    return found


#: One C pass over a page's live lines, the words folded from a table (the loop above without it).
furniture_lines = c_function("furniture_lines") or furniture_lines_py


def furniture_reason(text: str) -> str | None:
    """Why ``text`` is a furniture line, or None when it is not one."""
    if len(text) > _MAX_CHARS:
        return None
    if _VOTES.match(text):
        return "vote or rating count"
    tokens = _words(text)
    if not tokens or len(tokens) > _MAX_WORDS:
        return None
    control = language = read = False
    for t in tokens:
        if t in _CONTROLS:
            control = True
        elif t in _LANGUAGES:
            language = True
        elif t in _READ:
            read = True
        elif t not in _FILLER:
            return None
    if control:
        return "share/print/rate control"
    if language and (read or len(tokens) == 1 or all(t in _LANGUAGES for t in tokens)):
        return "language switch"
    return None


class PageFurniture(Rule):
    """Remove share, print, rate and language-switch lines and vote counts.

    Removes: lines made only of control words (``Share this article``, ``Print``,
    ``Tweet``, ``Drucken``, ``Partager``), language switchers (``Read in
    English``, ``Читать на русском``, ``Deutsch``) and vote/rating counts
    (``(votes: 4, rating: 4.75)``, ``(4 votes)``).
    Why: they are buttons of the page, not text of the article.
    Example: ``Print Читать на русском`` goes.
    False positives: a line whose every word is a control or filler word, such as a
    one-word paragraph "Share." in a story; sentences with any other word survive.
    """

    code = "U001"
    name = "page-furniture"
    summary = "Remove share/print/rate/language-switch lines and vote counts."
    keep = (
        "Share prices fell sharply on Monday.",
        "She asked the printer to print the report in English.",
        "Read the article in full before you vote.",
        "Votes were counted overnight.",
    )
    cases = (
        ("Print Читать на русском\nRate this article\n(votes: 4, rating: 4.75)\n (4 votes)\nShare this article\nThe meeting took place on Monday.", "The meeting took place on Monday."),
        ("Teilen\nDrucken\nDer Artikel beginnt hier mit einem Satz.", "Der Artikel beginnt hier mit einem Satz."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        texts = doc.texts
        live = doc.live
        votes = _VOTES_PREFILTER.positions(doc)
        if votes is None:
            # Any line may be a vote count (a character the literal search cannot vouch for):
            # each line is judged.
            for i in live:
                reason = furniture_reason(texts[i])
                if reason:
                    yield self.remove(doc, i, reason)
            return
        # The lines furniture_reason may name a reason for: those whose every word is one of
        # the vocabulary (found in one pass over the page's shared text) and those _VOTES may
        # match (a superset, from its literals).
        page = doc_text(doc)
        shaped = furniture_lines(page.joined, page.offsets, live, _VOCABULARY, _MAX_CHARS, _MAX_WORDS)
        for k in sorted(votes.union(shaped)) if votes else shaped:
            reason = furniture_reason(texts[live[k]])
            if reason:
                yield self.remove(doc, live[k], reason)
