"""Credit lines and bylines: they describe the article, so they move to its metadata."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable

from .. import patterns
from ..accel import c_function
from ..document import Decision
from ..shapes import CharTable, ends_sentence, first_chars, initials, is_prose, prose_position, word_count, words
from .base import DocView, Rule
from .prefilter import C_SEARCH, LiteralPrefilter, doc_text

_CREDIT = patterns.compile(
    r"^(?:translated (?:and edited )?by|translation by|this (?:article|story|piece) (?:was|is) (?:first |originally )?"
    r"(?:published|posted|written)|(?:first|originally) (?:published|appeared)|republished (?:with permission )?(?:from|by)|"
    r"übersetzt (?:von|aus)|übersetzung:|aus dem \w+ (?:übersetzt|von)|traduit (?:de l'\w+ )?par|traduction\s*:|"
    r"traducido por|traducción\s*:|tradotto da|traduzione di|перевод\s*:?|переведено)\b|"
    # wire-service credits and source lines: "(Reporting by …; Editing by …)", "SOURCE: Al Jazeera News"
    r"^(?:\(?(?:additional )?reporting by\b|\(?(?:writing|editing) by\b|(?:source|quelle|fuente|fonte|источник)\s*:)",
    re.I,
)
_MAX_CREDIT_WORDS = 40

_CREDIT_PREFILTER = LiteralPrefilter(_CREDIT)
# The runs of word characters are possessive (``*+``, ``++``): what follows a run (a space, a full
# stop, the end) is never one of its characters, so giving some back cannot make a match, and
# sre no longer tries to, character by character, on the lines that fail (most: a menu of
# capitalised words). tests/test_fastpaths.py compares them with the backtracking forms.
_BY = patterns.compile(r"^(?:by|von|par|por|di|door|av|af|przez|автор:?)\s+[A-ZÀ-ÞА-ЯЁ][\w.'’-]*+(?:\s+[\w.'’-]++){0,5}$", re.I)
_BY_INITIALS = initials("bvpda", "а")  # first letters of the _BY alternatives
# The closed-class words (prepositions, determiners but the definite articles, pronouns,
# subordinators) of the benchmark languages that never stand in a name. A "By …" line whose name
# place holds one is a heading or a phrase that opens with the preposition ("By Any Means
# Necessary", "Von Tunis nach Teheran", "Par les temps qui courent"), not a byline. Definite
# articles and name particles (de, da, di, van, von, der, la, le, del, dos, du, zu, al ...) are not
# here: "By The Editors", "By Jose de la Cruz"; nor are words that are also names, initials or
# particles in another language (an, bei, chi, da, den, des, do, fra, lei, na, no, til, till, a, w).
_NOT_IN_NAMES = frozenset(
    (
        # English
        "any some all every each this that these those what which who whom whose how when where why if "
        "of in on at to for from with without into onto over under about after before between through "
        "against not my your his her its our their me him us them it we they you she "
        # German
        "ein eine einen einem einer eines kein keine jede jeder jedes alle dieser diese dieses was wer wie "
        "wo wenn als ob nach bis auf aus mit seit zur zum über unter vor für gegen ohne um wegen durch am im "
        "vom ins nicht noch ich er sie es wir ihr uns euch anderen andere "
        # French
        "un une ce cet cette ces quel quelle qui que quoi dont où si quand comment pas ne à au aux dans sur "
        "sous pour avec sans chez vers entre contre depuis pendant je il elle nous vous ils elles "
        # Spanish, Portuguese, Italian
        "una unos unas este esta estos estas ese esa cuando como donde quien cual con sin sobre para hacia "
        "desde hasta por yo tú él ella nosotros ellos um uma uns umas isto isso quando onde quem com sem até "
        "uno questo questa quello quella cosa dove perché senza tra per io lui noi "
        # Dutch, Swedish, Danish and Norwegian, Polish, Russian
        "een deze dit wat waar hoe op aan met voor naar uit bij niet ik jij hij zij wij "
        "en ett det som när hur var med för från utan inte jag hvad hvor hvordan uden ikke jeg "
        "ze dla przy bez nie kto co gdzie kiedy на по из для от до при без не как кто что где когда"
    ).split()
)
# The definite articles a byline's name place may open with ("By The Editors").
_DEFINITE_ARTICLES = frozenset("the der die das le la les el los las il lo gli i o os de het".split())
_BY_FIRST = first_chars(_BY_INITIALS)  # shapes.may_start_with(text, _BY_INITIALS) as a table
# "Maria Lopez", "Jane M. Doe": two to four capitalised words, nothing else.
_CAPITAL = "[A-ZÀ-ÞА-ЯЁ]"
_NAME = patterns.compile(rf"^{_CAPITAL}[\w'’-]*+\.?(?:\s+{_CAPITAL}[\w'’-]*+\.?){{1,3}}$")
_NAME_FIRST = CharTable(patterns.compile(_CAPITAL).match)  # whether _NAME may match a line, by its first character


def _name_shaped_py(text: str) -> bool:
    """Whether _NAME matches ``text`` (the first-letter table first): the reference of the C
    ``name_shaped``, one pass over the line (tests/test_speedups.py compares them)."""
    return bool(_NAME_FIRST[text[:1]] and _NAME.match(text))


#: _NAME's test of a line in C (B001 asks it of ~18,000 lines a pass of the dev sets)
_name_shaped = c_function("name_shaped") or _name_shaped_py
_MAX_BIO_WORDS = 40
_MAX_BYLINE_CHARS = 80  # a byline or a name line is no longer
# A sentence ending inside a line ("… verheimlichen. Dann …"): a bio line is one description, a
# lead paragraph runs on ("Dr. Smith" does not count: one lower-case letter before the stop).
_SENTENCE_BREAK = patterns.compile(r"[a-zß-ÿа-яё]{2,}[.!?]\s+[A-ZÀ-ÞА-ЯЁ]")
# A separator line: three or more rule characters and nothing else ("______", "* * *", "----").
_SEPARATOR = patterns.compile(r"^(?=(?:\s*[-_*=~•·#—–]){3})[-_*=~•·#—–\s]+$")
# "Jane Doe is our deal curator …", "J. Doe writes about …": a name, then what the author is or does.
_CLOSING_BIO = patterns.compile(
    r"^[A-ZÀ-ÞА-ЯЁ][\w'’-]*\.?(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’-]*\.?){1,3}\s+(?:is|was|has been|writes|covers|reports)\s"
)
# An "about" box after the article: "Sobre Ana Souza", "About the author", "Über den Autor".
_ABOUT = patterns.compile(
    r"^(?:about|über|ueber|sobre|à propos de|a propos de|acerca de|informazioni su|o|об|про)\s+(.{1,50}?)\s*:?$", re.I
)
# Who the box is about when it is not named: the author. ("About us" is left alone: on a
# site's own "about us" page that text is the article.)
_ABOUT_AUTHOR = patterns.compile(
    r"^(?:(?:the|den|die|dem|der|l'|l’|o|a|el|la)\s*)?(?:author|writer|autor|autorin|auteur|autrice|autora|autore|autorze|"
    r"autorce|авторе|автора)\b.*",
    re.I,
)
_MAX_ABOUT_WORDS = 100
# A bio closing the article without a heading: "Jane Roe is a personal finance writer who …",
# "Max Muster ist Gründer und Chefredakteur …", "Die Autorin ist Yogalehrerin …".
_BIO_SUBJECT = patterns.compile(
    r"^(?:(?P<name>[A-ZÀ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÞА-ЯЁ][\w'’.-]*){1,2})|(?:the|der|die|l'|l’|el|la|il)\s+"
    r"(?:author|writer|autor|autorin|auteur|autrice|autora|autore))\s+"
    r"(?:is|was|has been|ist|war|est|était|es|fue|è|lehrt|schreibt|writes|covers|teaches|arbeitet|works)\s",
    re.I,
)
# What an author bio says the person is, in the benchmark languages.
_BIO_ROLE = patterns.compile(
    r"\b(?:author|writer|journalist|reporter|editor|correspondent|columnist|contributor|professor|lecturer|"
    r"co-?founder|founder|expert|blogger|autor(?:in)?|mitautor(?:in)?|journalist(?:in)?|redakteur(?:in)?|"
    r"chefredakteur(?:in)?|korrespondent(?:in)?|kolumnist(?:in)?|professor(?:in)?|gründer(?:in)?|bloggerin|"
    r"auteur|autrice|journaliste|rédact(?:eur|rice)|professeur|fondat(?:eur|rice)|chroniqueur|"
    r"autora|periodista|redactor(?:a)?|profesor(?:a)?|fundador(?:a)?|autore|giornalista|redattore|professore)\b",
    re.I,
)
# The posts a bio under an author's name names besides a writer's trade (an op-ed's author is often
# an institution's president, director or minister), and the Russian and Polish trades. Only for
# that short line under a name: a paragraph closing an article names a president as its subject
# far more often than as its author's post.
_BIO_POST = patterns.compile(
    r"\b(?:(?:vice-?)?president|chair(?:man|woman|person)?|ambassador|secretary|fellow|researcher|scholar|"
    r"economist|historian|scientist|adviser|advisor|analyst|"
    r"präsident(?:in)?|direktor(?:in)?|leiter(?:in)?|vorsitzende[rn]?|minister(?:in)?|botschafter(?:in)?|"
    r"forscher(?:in)?|wissenschaftler(?:in)?|analystin|historiker(?:in)?|berater(?:in)?|"
    r"présidente?|directeur|directrice|ministre|ambassad(?:eur|rice)|chercheu(?:r|se)|analyste|historien(?:ne)?|"
    r"conseill(?:er|ère)|presidente|director(?:a)?|diretor(?:a)?|direttore|direttrice|ministr[oa]|"
    r"embajador(?:a)?|embaixador(?:a)?|ambasciatore|investigador(?:a)?|pesquisador(?:a)?|ricercat(?:ore|rice)|"
    r"analista|historiador(?:a)?|президент|директор|министр|посол|председатель|руководитель|профессор|"
    r"журналист|редактор|корреспондент|автор|эксперт|аналитик|prezes|dyrektor|ambasador|dziennikarz|"
    r"redaktor|ekspert)\b",
    re.I,
)
_MAX_CLOSING_BIO_WORDS = 80
_BIO_TAIL = 3  # the bio is among the article's last three lines (a share line or a note may follow)
_MIN_ABOUT_ARTICLE_WORDS = 50


class CreditLine(Rule):
    """Move credit lines ("Translated by …", "This article was first published by …") to metadata.

    Removes: from the body, a line of at most 40 words opening with a credit formula
    in one of the benchmark languages (translation, first publication, wire-service
    ``(Reporting by …)``, a ``Source: …`` line); it is kept in the article's ``credits`` metadata.
    Why: credits describe how the article reached the page; they are not its text.
    Example: ``Translated by the foreign desk`` → metadata ``credits: ["Translated by the foreign desk"]``.
    False positives: a sentence of the story that starts with such a formula
    ("Translated by volunteers, the book sold well.") moves to metadata.
    """

    code = "C001"
    name = "credit-line"
    summary = "Move translation, first-publication, wire-service and source credit lines to metadata."
    keep = ("The book was translated into twelve languages by volunteers.",)
    cases = (("Body of the article.\nTranslated by the foreign desk", "Body of the article."),)

    def check(self, doc: DocView) -> Iterable[Decision]:
        # only the lines holding one of _CREDIT's words ("published", "source", "translated", ...)
        # can match it: found by the document's shared literal search (cleaner/rules/prefilter.py)
        for i in _CREDIT_PREFILTER.live_candidates(doc) if C_SEARCH else doc.live:
            text = doc.text(i)
            if len(text) < 400 and _CREDIT.match(text) and word_count(text) <= _MAX_CREDIT_WORDS:
                yield self.to_metadata(doc, i, "credits", "credit line")


class Byline(Rule):
    """Move the byline and the author's bio line above an article to metadata.

    Removes: from the body, before the article's first prose paragraph, a ``By Name``
    line (in the benchmark languages: "von", "par", "por" …) whose first two words after the
    preposition and a definite article are neither a closed-class word ("By Any Means
    Necessary", "Von Tunis nach Teheran") nor both in lower case, or a line that is only a
    person's name followed by a bio line (a description
    with a comma or bracket and no final full stop that names the person's trade or post:
    author, editor, professor, president, director, minister …, in the benchmark
    languages); they go to the ``byline`` and ``author_bio`` metadata. (A bio closing the
    article is B002's.)
    Why: bylines and bios describe the author, not the story.
    Example: ``Maria Lopez`` / ``President of the Council (WAC), Minister of Foreign Affairs (1998–2004)``.
    Without the trade or post, a Title Case line above a comma-bearing line is a section
    heading, a menu or a headline far more often than a name and its bio: on the benchmark
    dumps, none of the 51 such pairs was ("Things To Do" / "Restaurants, Food and Drink",
    "Fantasy Football" / "November 08, 2023", "Jetzt Aktivieren" / "Nein, danke").
    False positives: a two- to four-word Title Case headline directly followed by a
    comma-bearing standfirst that names a post ("Council Vote" / "Mayor, director and
    minister disagree") without a final full stop (not when the headline opens the dump or an
    article and is set apart by a blank line: that is a title's place).
    """

    code = "B001"
    name = "byline"
    summary = "Move bylines and author bio lines above the article to metadata."
    keep = (
        "Das Louis-Ferdinand Museum\nZuerst dachte ich, ich könnte es verschweigen. Dann kam alles anders, weil",
        "By the end of the year, the plan had failed.",
        "Maria Schmidt said the talks had failed.",
        # a section heading above a menu, and one above a date line: no trade or post named
        "Things To Do\nRestaurants, Food and Drink\nThe long-awaited meeting between the two presidents has finally "
        "happened, after years.",
        "Fantasy Football\nNovember 08, 2023\nThe long-awaited meeting between the two presidents has finally "
        "happened, after years.",
        # headings and phrases that open with the preposition: a closed-class word, or two words in
        # lower case, where the name would be
        "By Any Means Necessary\nThe long-awaited meeting between the two presidents has finally happened, after years.",
        "Von Tunis nach Teheran\nDas lange erwartete Treffen der beiden Präsidenten hat nach Jahren stattgefunden.",
        "PAR LES TEMPS QUI COURENT\nLa rencontre tant attendue entre les deux présidents a enfin eu lieu, après des années.",
        "von da an wie oben\nDas lange erwartete Treffen der beiden Präsidenten hat nach Jahren stattgefunden.",
    )
    cases = (
        (
            "Maria Lopez\nPresident of the Council (WAC), Minister of Foreign Affairs (1998–2004)\nThe long-awaited meeting between the two presidents has finally happened, after years.",
            "The long-awaited meeting between the two presidents has finally happened, after years.",
        ),
        ("By Jane Doe\nThe long-awaited meeting between the two presidents has finally happened, after years.", "The long-awaited meeting between the two presidents has finally happened, after years."),
        # the name's place is its first two words: what follows may hold anything
        (
            "By Jane Doe on 12 May 2022\nThe long-awaited meeting between the two presidents has finally "
            "happened, after years.",
            "The long-awaited meeting between the two presidents has finally happened, after years.",
        ),
        (
            "Anna Berger\nDirektorin des Instituts für Osteuropastudien, Berlin\nDas lange erwartete Treffen der beiden "
            "Präsidenten hat nach Jahren endlich stattgefunden.",
            "Das lange erwartete Treffen der beiden Präsidenten hat nach Jahren endlich stattgefunden.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        for segment in doc.segments():
            yield from self._byline_above(doc, segment)

    def _byline_above(self, doc: DocView, segment: list[int]) -> Iterable[Decision]:
        texts = doc.texts
        first_prose = prose_position(texts, segment)  # the lines above it are read
        # the lines of at most 80 characters that may open with "By", or are name-shaped above a
        # line with a comma or a bracket: most lines above an article are neither, and nothing
        # below is asked of them
        end = first_prose if first_prose >= 0 else len(segment)
        for k in _byline_candidates(texts, segment, end, _MAX_BYLINE_CHARS, _BY_FIRST):
            i = segment[k]
            text = texts[i]
            byline = _BY_FIRST[text[:1]] and _BY.match(text)
            if k == 0 and not byline and doc.heads_input_article(i):
                continue  # a headline, which a name line followed by a dateline resembles
            if byline and _names_someone(text):
                yield self.to_metadata(doc, i, "byline", "byline")
                continue
            if _name_shaped(text) and k + 1 < len(segment):
                bio = doc.text(segment[k + 1])
                if (
                    ("," in bio or "(" in bio)  # the cheapest test first: most lines under a name fail it
                    and word_count(bio) <= _MAX_BIO_WORDS
                    and not ends_sentence(bio)
                    and _SENTENCE_BREAK.search(bio) is None
                    and (_BIO_ROLE.search(bio) or _BIO_POST.search(bio))  # what the person is or does
                ):
                    yield self.to_metadata(doc, i, "byline", "author name above the article")
                    yield self.to_metadata(doc, segment[k + 1], "author_bio", "author bio line")
                    break


def _byline_candidates_py(texts: list[str], indices: list[int], end: int, max_len: int, first: CharTable) -> list[int]:
    """The positions ``k < end`` whose line ``texts[indices[k]]`` is at most ``max_len`` characters
    long and opens with a character ``first`` is true of, or is name-shaped with a line under it
    holding "," or "(" (what a bio line holds): the reference of the C ``byline_candidates``
    (tests/test_speedups.py compares them)."""
    out = []
    for k in range(min(end, len(indices))):
        text = texts[indices[k]]
        if len(text) <= max_len and (first[text[:1]] or (
            k + 1 < len(indices) and _name_shaped(text) and ("," in (under := texts[indices[k + 1]]) or "(" in under)
        )):
            out.append(k)
    return out


#: B001's lines to read, in one C loop over the lines above the article.
_byline_candidates = c_function("byline_candidates") or _byline_candidates_py


def _names_someone(byline: str) -> bool:
    """Whether a line _BY matches holds a name where the name goes: its first two words after
    the preposition (after a leading definite article: "By The Editors", "Par les temps qui
    courent") are not closed-class words, nor both in lower case (a name of two words or more is
    capitalised, a user name of one may not be: "von da an wie oben", but "von flerche"). What
    follows the name may be anything ("By Jane Doe on 12 May 2022", "By Tom Smith for the Courier")."""
    name = byline.split()[1:]
    if name and name[0].lower() in _DEFINITE_ARTICLES:
        name = name[1:]
    place = name[:2]
    if len(place) == 2 and place[0][:1].islower() and place[1][:1].islower():
        return False
    return not any(word.lower() in _NOT_IN_NAMES for word in place)


def _describes(about: str, description: str) -> bool:
    """``description`` is what an "about ``about``" box holds: a short text under a heading about
    the author, or naming the person the heading names."""
    n = word_count(description)
    if n < 8 or n > _MAX_ABOUT_WORDS:
        return False
    if _ABOUT_AUTHOR.match(about):
        return True
    names = [w for w in re.findall(r"\w+", about) if w[:1].isupper() and len(w) >= 3]
    return bool(names) and sum(1 for w in names if w in description) >= min(2, len(names))


class AboutBox(Rule):
    """Move an "about the author" box at the end of an article to metadata.

    Removes: after at least 50 words of the article's prose, a heading of at most 60
    characters that opens with "about" in a benchmark language (``About the author``,
    ``Sobre Ana Souza``, ``Über den Autor``, ``À propos de …``) and the line under it (8
    to 100 words), when the heading is about the author or the description names the person
    the heading names, and no prose paragraph follows: the heading goes, the description goes
    to ``author_bio``. "About us" boxes stay: on a site's own "about us" page they are the
    article. Also, among the article's last three lines, a bio without a heading: a person
    (or "the author") who is a writer, editor, professor, founder … (``Anna Berg is a reporter
    at the Courier …``, ``Die Autorin ist …``), at most 80 words, whose surname the article
    above does not mention; or the article's last line when it is a short bio (a name, then
    "is", "writes" …, at most 40 words) under a separator line (``______``, ``* * *``), which
    goes with it.
    Why: author boxes close many blog and news pages; they describe the writer, not the story.
    Example: ``Sobre Ana Souza`` / ``Mãe de dois filhos, Ana Souza é professora ...``
    at the end of a post.
    False positives: a closing section of the article headed "About the study" whose one
    paragraph names what the heading names, when nothing follows it; a closing line on a
    writer or professor the article has not named before.
    """

    code = "B002"
    name = "about-box"
    summary = "Move an 'about the author' box or bio line at the end of an article to metadata."
    edge = True
    keep = (
        "The council met on Monday and voted on the budget for the next year after a long debate that ran "
        "late into the evening, and the members agreed to meet again in two weeks to settle the remaining "
        "questions about the schools, the roads and the new library that the town has wanted for years.\nAbout the schools\nThe schools will get new roofs and more teachers, "
        "the council said.\nThe mayor said the vote was a good day for the town and its children, and thanked them.",
        # A site's own "about us" page: the description is the article.
        "Our studio was founded in 1995 and has made films, series and games for children and adults "
        "ever since, with teams in three cities and partners in many countries around the world today.\n"
        "About us\nThe studio offers original, creative formats for television, cinema, the web and live events.",
        # The article ends on the person it is about: named before, so not the author's bio.
        "The university named Maria Schmidt to lead the new institute on Monday, after a search that took "
        "two years and drew more than eighty candidates from around the world, officials said.\n"
        "Maria Schmidt is a professor of history and the author of two books on the city.",
        "The council met on Monday and approved the plan for the new bridge after a long debate.\nJane Doe is the new mayor.",
    )
    cases = (
        (
            "The council met on Monday and voted on the budget for the next year after a long debate that ran "
            "late into the evening, and the members agreed to meet again in two weeks to settle the remaining "
            "questions about the schools, the roads and the new library that the town has wanted for years.\nAbout the author\nAnna Berg has covered the town council for "
            "ten years and writes about schools.",
            "The council met on Monday and voted on the budget for the next year after a long debate that ran "
            "late into the evening, and the members agreed to meet again in two weeks to settle the remaining "
            "questions about the schools, the roads and the new library that the town has wanted for years.",
        ),
        (
            "The council met on Monday and voted on the budget for the next year after a long debate that ran "
            "late into the evening, and the members agreed to meet again in two weeks to settle the remaining "
            "questions about the schools, the roads and the new library that the town has wanted for years.\n"
            "Anna Berg is a reporter at the Courier and writes about schools and local politics.",
            "The council met on Monday and voted on the budget for the next year after a long debate that ran "
            "late into the evening, and the members agreed to meet again in two weeks to settle the remaining "
            "questions about the schools, the roads and the new library that the town has wanted for years.",
        ),
        (
            "The meeting between the two presidents has finally happened in the capital, after years of talks.\n______\nJane Doe is our diplomatic correspondent.",
            "The meeting between the two presidents has finally happened in the capital, after years of talks.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        # An edge rule runs in rounds: each round reads only the segment's head (until 50 words
        # of prose) and its tail (from the last prose line), not every line.
        for segment in doc.segments():
            prose_from = _after_prose_words(doc, segment, 1)
            if prose_from is None:
                continue  # no article text at all
            start = _after_prose_words(doc, segment, _MIN_ABOUT_ARTICLE_WORDS)
            if start is not None and (box := self._about_box(doc, segment, start)):
                yield from box
                continue
            article = start is not None and start <= len(segment) - 1
            for k in range(max(1, len(segment) - _BIO_TAIL), len(segment)):
                separator = _separator_above(doc, segment, k) if k >= prose_from else None
                if separator is not None or (article and _closing_bio(doc, segment, k)):
                    if separator is not None and doc.is_live(separator):
                        yield self.remove(doc, separator, "separator before the author's bio")
                    yield self.to_metadata(doc, segment[k], "author_bio", "author bio closing the article")
                    break

    def _about_box(self, doc: DocView, segment: list[int], start: int) -> list[Decision]:
        """An "about" heading and its description closing the segment, as decisions ([] if none)."""
        last_prose = prose_position(doc.texts, segment, reverse=True)
        # A heading at k is followed by its description and then by no prose: k >= last_prose - 1.
        for k in range(max(start, last_prose - 1, 0), len(segment) - 1):
            text = doc.text(segment[k])
            if len(text) <= 60 and (m := _ABOUT.match(text)) and _describes(m.group(1), doc.text(segment[k + 1])):
                return [
                    self.remove(doc, segment[k], "heading of an 'about' box after the article"),
                    self.to_metadata(doc, segment[k + 1], "author_bio", "'about' box after the article"),
                ]
        return []

def _after_prose_words(doc: DocView, segment: list[int], words: int) -> int | None:
    """The first position k whose lines before it, ``segment[:k]``, hold ``words`` words of prose
    (lines that read like running text); None when the segment never does."""
    total = 0
    for k, i in enumerate(segment):
        if total >= words:
            return k
        text = doc.text(i)
        if is_prose(text):
            total += word_count(text)
    return len(segment) if total >= words else None


def _closing_bio(doc: DocView, segment: list[int], k: int) -> bool:
    """Line ``segment[k]`` is a bio of the author: a person (or "the author") who is a writer,
    editor, professor … (at most 80 words), whose name the article above does not mention: an
    article that ends on a person it is about names that person before."""
    text = doc.text(segment[k])
    m = _BIO_SUBJECT.match(text)
    if m is None or word_count(text) > _MAX_CLOSING_BIO_WORDS or not _BIO_ROLE.search(text):
        return False
    name = m.group("name")
    if name is None:
        return True
    surname = name.split()[-1]
    return not any(surname in doc.text(i) for i in segment[:k])


def _separator_above(doc: DocView, segment: list[int], k: int) -> int | None:
    """The separator line (``______``, ``* * *``; live or already removed) right above the
    segment's last line when that line is a short author bio (a name, then "is", "writes" …, at
    most 40 words); None otherwise."""
    i = segment[k]
    if k != len(segment) - 1 or i == 0:
        return None
    bio = doc.text(i)
    if len(bio) >= 400 or not _CLOSING_BIO.match(bio) or word_count(bio) > _MAX_BIO_WORDS:
        return None
    return i - 1 if _SEPARATOR.match(doc.text(i - 1)) else None


# -- publication date lines ---------------------------------------------------------------------

# Month names (and the usual abbreviations) in the benchmark languages.
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|"
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    "januari|februari|maart|mei|augustus"
)
# A full date: numeric (17.04.2012, 2012-04-17, 4/17/12) or with a month name and a year
# ("17 April 2012", "2. Februar 2022", "19 de mayo de 2020", "April 17, 2012").
# The three forms that open with a digit are written after that digit (``\d{1,2}`` as ``\d\d?``,
# ``(?:19|20)`` as a digit that is 1 then 9 or 2 then 0), so that a search can open on ``\d``.
_AFTER_FIRST_DIGIT = (
    r"(?:\d?[./-]\d{1,2}[./-](?:19|20)?\d\d(?!\d)|(?:(?<=1)9|(?<=2)0)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|"
    rf"\d?(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?(?:19|20)\d\d(?!\d))"
)
_MONTH_FIRST = rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d(?!\d)"
_FULL_DATE = rf"(?:\d{_AFTER_FIRST_DIGIT}|{_MONTH_FIRST})"
_DATE = patterns.compile(rf"(?<!\w){_FULL_DATE}", re.I)
# Whether _DATE finds a date, in parts sre scans through faster: a date opening with a digit
# (``(?<!\w\d)`` after the digit is ``(?<!\w)`` before it), searched by a scan for digits; a
# date opening with a month, whose ~80 names _DATE tries at every word, only on a line holding
# what every such date ends with (" 17, 2012", " 17th 2012"). _date_found compares them.
_DIGIT_FIRST_DATE = patterns.compile(rf"\d(?<!\w\d){_AFTER_FIRST_DIGIT}", re.I)
_MONTH_FIRST_DATE = patterns.compile(rf"(?<!\w){_MONTH_FIRST}", re.I)
_MONTH_FIRST_TAIL = patterns.compile(r"\s\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d(?!\d)", re.I)


def _date_found(text: str) -> bool:
    """Whether ``_DATE.search(text)`` finds a date (tests/test_fastpaths.py compares them)."""
    return bool(
        _DIGIT_FIRST_DATE.search(text) or (_MONTH_FIRST_TAIL.search(text) and _MONTH_FIRST_DATE.search(text))
    )


# What every full date holds: a year (19xx, 20xx) or digits around a date separator.
# A year or a numeric date (``(?:19|20)\d\d|\d[./-]\d``), written to open with its digit: sre
# then skips to the next digit instead of trying both branches at every character (the same
# lines, ~2.5x faster; tests/test_fastpaths.py compares the two).
_DATE_HINT = patterns.compile(r"\d(?:(?<=1)9\d\d|(?<=2)0\d\d|[./-]\d)")
_DATE_HINT_LINES = c_function("date_hint_lines")  # its search of a page's lines in C (the regex its reference)
# What else a date line may hold: times of day, weekdays, and the labels of publication and update.
_TIME = r"\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?|uhr|hrs?|h|gmt|utc|cet|cest|[a-z]st|[a-z]dt)?(?!\w)"
_WEEKDAY = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|"
    r"sabato|domenica|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)
_PUBLICATION_LABEL = (
    r"published|updated|posted|last (?:updated|modified)|modified|created|"
    r"veröffentlicht|veröffentlichung|aktualisiert|zuletzt (?:aktualisiert|geändert)|geändert|erstellt|stand|"
    r"publié|mis à jour|modifié|créé|publicado|actualizado|atualizado|modificado|"
    r"pubblicato|aggiornato|ultima modifica|gepubliceerd|bijgewerkt|opublikowano|zaktualizowano"
)
_LABEL = patterns.compile(rf"(?<!\w)(?:{_PUBLICATION_LABEL})(?!\w)", re.I)
_TIME_OF_DAY = patterns.compile(rf"(?<!\w){_TIME}", re.I)
_DATE_PARTS = patterns.compile(
    rf"(?<!\w)(?:{_FULL_DATE}|{_TIME}|(?:{_WEEKDAY})\.?|(?:{_PUBLICATION_LABEL})|"
    r"on|at|am|um|uhr|le|à|el|il|alle|ore|de|del|às|em|op|om|a las|date|datum|fecha|data)(?!\w)",
    re.I,
)
_BULLETS = frozenset("•▪●◦‣∙·*-–—")
# the words that join a name to a date line: "by Jane Doe", "von Max Muster", "des Artikels"
_NAME_LINKS = frozenset({"by", "from", "von", "des", "der", "par", "du", "por", "di", "da", "door", "av", "af"})
_MAX_DATE_LINE_CHARS = 160
_MAX_OTHER_WORDS = 3  # besides the date: a site or author name, a comment count ("LinkNaija", "91 comments")
_MAX_OTHER_WORDS_LABELLED = 5  # "New Delhi, News Nation Bureau | Updated : 19 November 2019, 09:01 AM"


class DateLine(Rule):
    """Move publication and update date lines to metadata.

    Removes: from the body, a line of at most 160 characters that holds a full date
    (``17.04.2012``, ``2012-04-17``, ``17 April 2012``, ``2. Februar 2022``, ``April 17,
    2012``) and, besides dates, times of day, weekdays and the words around them ("on",
    "am", "le" …), at most three other words (a site or author name, a comment count) —
    above the article's first prose paragraph or below its last; anywhere when it carries
    a time of day or a publication label ("Published", "Updated", "Veröffentlicht", "Mis
    à jour", "Pubblicato" …), then with at most five other words. Not a list item (a line
    opening with a bullet), not a period (two different dates, unlabelled), not a sentence
    (two lower-case words besides "by", "von" …, or a final full stop when unlabelled). The
    line goes to the article's ``date`` metadata. An edge rule: it runs after the main-content
    and duplicate rules (the dates of other stories' teasers went with the page) and judges
    where the article's text starts and ends as they left it.
    Why: the publication date describes the article, like the byline; it is not its text.
    Example: ``17 April 2012 • 2:54pm`` above the story → metadata ``date``.
    False positives: a line of dates inside the article's text before its first
    paragraph or after its last (a list of event dates closing the article); a labelled
    date line in the body ("Updated: 17 April 2012" notes inside a live blog).
    """

    code = "B003"
    name = "date-line"
    summary = "Move publication and update date lines (a date, a time, a label, a name at most) to metadata."
    edge = True  # where the article's text starts and ends is known once the other rules have run
    keep = (
        "The council met on Monday, 17 April 2012, and voted on the budget after a long debate.",
        "The first vote took place on 17 April 2012.\nA second one followed a year later, on a Monday.\n"
        "17 April 2012 to 20 May 2013\nThe results were published in the autumn, after the summer break.",
        "The event runs on Sunday 5 May 2019 at the town hall.",
        "The band played in twelve cities on its last tour, more than ever before.\n"
        "• 12 May 2019 Berlin\n• 14 May 2019 Hamburg\nThe tour ended in Munich a week later, after a long rest.",
    )
    cases = (
        (
            "17 April 2012 • 2:54pm\nThe council met on Monday and voted on the budget after a long debate.",
            "The council met on Monday and voted on the budget after a long debate.",
        ),
        (
            "The council met on Monday and voted on the budget after a long debate that ran late.\n"
            "Veröffentlicht am 16.08.2019 um 10:12 Uhr\nThe mayor said the vote was a good day for the town.",
            "The council met on Monday and voted on the budget after a long debate that ran late.\n\n"
            "The mayor said the vote was a good day for the town.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        # a year or a numeric date, found in one pass over the document (shared by the edge
        # rounds); the full date regex (month names in nine languages) then runs on those short
        # live lines only
        texts = doc.texts
        alive = doc.alive
        candidates = [
            i for i in doc_text(doc).lines_matching(_DATE_HINT, digit=True, c_lines=_DATE_HINT_LINES)
            if alive[i] and len(texts[i]) <= _MAX_DATE_LINE_CHARS and _date_found(texts[i])
        ]
        if not candidates:
            return
        # each candidate's article (the segment starting last at or before it), in one pass
        segments = doc.segments()
        heads = [segment[0] for segment in segments]
        by_segment: dict[int, list[int]] = {}
        for i in candidates:
            by_segment.setdefault(bisect_right(heads, i) - 1, []).append(i)
        for s, mine in by_segment.items():
            segment = segments[s]
            k = prose_position(doc.texts, segment)
            first = segment[k] if k >= 0 else None
            last = segment[prose_position(doc.texts, segment, reverse=True)] if k >= 0 else None
            for i in mine:
                text = doc.text(i)
                if text[:1] in _BULLETS:
                    continue  # an item of a list of dates (tour dates, a chronology)
                labelled = _LABEL.search(text) is not None or _TIME_OF_DAY.search(_DATE.sub(" ", text)) is not None
                if not labelled and (
                    (first is not None and first <= i <= last)  # a date inside the article's text
                    or len({m.casefold() for m in _DATE.findall(text)}) > 1  # a period: "12 May 2019 to 3 June 2020"
                ):
                    continue
                if not labelled and ends_sentence(text):
                    continue  # "The exhibition opened on 12 May 2019."
                other = words(_DATE_PARTS.sub(" ", text))
                # a name, a site, a section, a count: capitalised words and numbers; two lower-case
                # words make a sentence ("the exhibition opened at 10:00 on 12 May 2019")
                running = sum(1 for w in other if w[:1].islower() and w.casefold() not in _NAME_LINKS)
                if len(other) <= (_MAX_OTHER_WORDS_LABELLED if labelled else _MAX_OTHER_WORDS) and running < 2:
                    yield self.to_metadata(doc, i, "date", "publication date line")
