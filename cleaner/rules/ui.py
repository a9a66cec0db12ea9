"""Page-furniture lines: share, print, rate and language-switch controls, vote counts."""

from __future__ import annotations

import re
from itertools import compress
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
_VOCABULARY = _CONTROLS | _FILLER | _LANGUAGES | _READ
_FIRST_TOKEN = patterns.compile(r"[^\w+-]*([\w+-]*)")  # the first _WORD token of a line ("" when none)


def _first_token_may_pass(token: str) -> bool:
    """The first token (``_FIRST_TOKEN``'s group) allows a furniture line: empty once stripped of
    "+"/"-", a number, or a vocabulary word. (Otherwise only a vote count can be furniture.)"""
    first = token.casefold().strip("-+")
    return not first or first in _VOCABULARY or first.isdigit()


class _TokenVerdicts(dict):
    """``_first_token_may_pass`` as a table filled on first use (a pure function of the token:
    shared by every page). Only tokens of at most 40 characters are kept, 65,536 at most, so a
    page of hostile text cannot grow it further: past that the answer is computed each time."""

    __slots__ = ()

    def __missing__(self, token: str) -> bool:
        ok = _first_token_may_pass(token)
        if len(token) <= 40 and len(self) < 65_536:
            self[token] = ok
        return ok


_TOKEN_VERDICTS = _TokenVerdicts()
#: The first _WORD token of the first line of a text, and of every line preceded by "\n":
#: ``_FIRST_TOKEN`` whose class also refuses "\n", so each token is read inside its own line.
_FIRST_TOKEN_OF_TEXT = patterns.compile(r"[^\w+\-\n]*([\w+-]*)")
_FIRST_TOKENS = patterns.compile(r"\n[^\w+\-\n]*([\w+-]*)")


def first_tokens_py(text: str) -> list[str]:
    """The first ``_WORD`` token of each line of ``text`` ("" for a line with none): one a line,
    ``1 + text.count("\n")``. The reference of the C ``first_tokens`` (tests/test_speedups.py)."""
    return [_FIRST_TOKEN_OF_TEXT.match(text)[1], *_FIRST_TOKENS.findall(text)]


#: One C pass over a page (the two regexes above without the accelerator).
first_tokens = c_function("first_tokens") or first_tokens_py
#: The second _WORD token of a line ("" when it has fewer than two): the runs are maximal, as
#: _WORD's, since every part is greedy and may be empty (the first try succeeds).
_SECOND_TOKEN = patterns.compile(r"[^\w+-]*[\w+-]*[^\w+-]*([\w+-]*)")
#: The lines that may be a vote count: every _VOTES match holds one of its vote words.
_VOTES_PREFILTER = LiteralPrefilter(_VOTES)


def furniture_reason(text: str) -> str | None:
    """Why ``text`` is a furniture line, or None when it is not one."""
    if len(text) > 120:
        return None
    if _VOTES.match(text):
        return "vote or rating count"
    tokens = [t.casefold().strip("-+") for t in _WORD.findall(text)]
    tokens = [t for t in tokens if t and not t.isdigit()]
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
        found = _candidates(doc)
        if found is not None:
            candidates, votes = found
            live = doc.live
            texts = doc.texts
            verdicts = _TOKEN_VERDICTS
            second = _SECOND_TOKEN.match
            for k in candidates:
                text = texts[live[k]]
                if len(text) > 120:
                    continue
                # Unless _VOTES may match (``votes``: a superset), every token must pass as the
                # first one did, for furniture_reason to name a reason: the second one first.
                if k not in votes and not verdicts[second(text)[1]]:
                    continue
                reason = furniture_reason(text)
                if reason:
                    yield self.remove(doc, live[k], reason)
            return
        # Any line may be a vote count (a character the literal search cannot vouch for, or a
        # line holding a newline of its own): each line is checked.
        texts = doc.texts
        first_token = _FIRST_TOKEN.match
        verdicts: dict[str, bool] = {}  # first token -> _first_token_may_pass, once per token
        for i in doc.live:
            text = texts[i]
            if len(text) > 120:
                continue
            # Fast exact pre-check: unless the line is a vote count, its first token (dropped
            # when empty or a number) must belong to the vocabulary for the line to be furniture.
            token = first_token(text)[1]
            may = verdicts.get(token)
            if may is None:
                may = verdicts[token] = _first_token_may_pass(token)
            if not may and not _VOTES.match(text):
                continue
            reason = furniture_reason(text)
            if reason:
                yield self.remove(doc, i, reason)


def _candidates(doc: DocView) -> tuple[list[int], set[int]] | None:
    """Positions in ``doc.live`` that the per-line loop below would hand to ``furniture_reason``
    (and maybe more), ascending; None when they cannot be found this way. A line goes there when
    its first token may pass (``_first_token_may_pass``) or ``_VOTES`` matches it: the first
    tokens of all lines come from one pass over the document's shared text (:func:`first_tokens`:
    the same token as ``_FIRST_TOKEN`` on the line, since a line holds no "\n"), the live
    lines' verdicts from a table; the vote counts from the literal prefilter of ``_VOTES`` (a
    superset), which comes second in the result."""
    votes = _VOTES_PREFILTER.positions(doc)
    if votes is None:
        return None
    live = doc.live
    if not live:
        return [], votes
    # every line's first token, dead lines included, from the document's shared text (no copy
    # of the live lines joined)
    page = doc_text(doc)
    tokens = first_tokens(page.joined)
    if len(tokens) != len(page.offsets) - 1:  # a line holds a newline of its own
        return None
    may = compress(range(len(live)), map(_TOKEN_VERDICTS.__getitem__, map(tokens.__getitem__, live)))
    if not votes:
        return list(may), votes
    return sorted(votes.union(may)), votes
