"""Prompts addressed to the reader: newsletter and subscription boxes, follow-us invitations.

Pages surround (and interrupt) articles with calls to action: "Sign up for our
newsletter", "Follow us on Twitter", "Like this story? Share it with a friend!",
paywall notices ("To view the full story, please subscribe"), and affiliate
disclosures. They talk to the reader about the site, not about the story.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..document import Decision
from ..shapes import ends_sentence, word_count
from .base import DocView, Rule
from .prefilter import LiteralPrefilter

# Where a prompt sends the reader.
_CHANNEL = (
    r"(?:newsletters?|inbox|e-?mails?|twitter|facebook|instagram|youtube|telegram|whatsapp|tiktok|linkedin|"
    r"pinterest|podcasts?|apps?|rss|notifications?|subscriptions?|subscribers?|letters? to the editor|"
    r"abonnements?|abos?|rundbrief|infolettres?|boletín|boletim|canal|kanal|newsletter-abo|e-paper)"
)
# Imperatives that open a call to action, in the benchmark languages.
_VERB = (
    r"(?:subscribe|sign\s?up|join|follow|download|get|click|tap|share|like|register|log\s?in|sign\s?in|submit|"
    r"send|tell|keep|stay|don'?t miss|never miss|receive|"
    r"abonniere|abonnieren sie|abonniert|melde dich|melden sie sich|folge|folgen sie|folgt|teile|teilen sie|"
    r"lade|laden sie|registriere|registrieren sie|hol dir|holen sie sich|verpasse|verpassen sie|"
    r"abonnez-vous|abonne-toi|inscrivez-vous|inscris-toi|suivez|suis-nous|téléchargez|partagez|rejoignez|recevez|"
    r"suscríbete|suscríbase|suscribite|síguenos|siganos|sigue|únete|unete|descarga|descargue|comparte|recibe|"
    r"regístrate|mira|mirá|iscriviti|seguici|segui|scarica|condividi|ricevi|abbonati|assine|inscreva-se|siga|baixe|"
    r"compartilhe|receba|zapisz się|obserwuj|subskrybuj|pobierz|udostępnij|подпишитесь|подписывайтесь|"
    r"следите|скачайте|поделитесь)"
)
_SENTENCE_START = r"(?:^|[.!?…]\s+|[¡¿]\s*)"
# "Follow The Gleaner on Twitter", "Get the latest updates right in your inbox", "Click here to subscribe".
_IMPERATIVE = re.compile(
    rf"{_SENTENCE_START}{_VERB}\b[^.!?]{{0,80}}?\b{_CHANNEL}\b|"
    # the channel first: "We have a Telegram channel? Join from your phone"
    rf"\b{_CHANNEL}\b[^.!?]{{0,60}}[.!?]\s*[¡¿]?\s*{_VERB}\b",
    re.I,
)
# "Join our …", "Follow us …", "Support us": an imperative with the site as its object.
_US = re.compile(
    rf"{_SENTENCE_START}(?:join|follow|support|contact|subscribe to|sign up for|folgen sie|folge|unterstützen sie|"
    r"unterstütze|suivez|soutenez|síguenos|apóyanos|seguici|sostienici)\s+(?:us|our|uns|unser\w*|nous|notre|nos|"
    r"nuestro|nuestra|nostro|nostra)\b",
    re.I,
)
# Stock phrases of prompts, paywalls and subscription widgets.
_PHRASE = re.compile(
    r"\b(?:like|liked|enjoy|enjoyed|love|loved) (?:this|the) (?:story|article|post)\s*\?|"
    r"share (?:it|this(?: story| article)?) with (?:a|your) friends?|tell us what you think|"
    r"thanks? (?:you )?for (?:signing up|subscribing)|we(?:'|’)?d (?:like|love) to hear (?:what you think|from you)|error processing your subscription|"
    r"keep an eye on your inbox|already an? (?:subscriber|member)|please (?:subscribe|log\s?in|sign\s?in|register)\b|"
    r"to (?:view|read|continue reading|access) (?:the|this) (?:full|whole|entire|rest of the) (?:story|article)|"
    r"subscribe (?:now|today)\b|click here\b|tap here\b|sign up (?:here|now|today|for (?:our|free))|"
    r"download (?:the|our) [^.!?]{0,40}\bapps?\b|"
    r"(?:may|might|will) (?:get|earn|receive|collect) (?:a )?(?:small )?(?:share|commission|portion)\b[^.!?]{0,30}\b(?:sales?|purchases?)|"
    r"\baffiliate links?\b|as an amazon associate|"
    r"newsletter abonnieren|jetzt abonnieren|gefällt (?:dir|ihnen) (?:unser|unsere|dieser|diese)\b|"
    r"hat (?:dir|ihnen) (?:der|dieser) (?:artikel|beitrag) gefallen|"
    r"avez-vous apprécié cet article|abonnez-vous\b|inscrivez-vous à (?:notre|la) newsletter|"
    r"suscríbete a (?:nuestro|nuestra|el|la)\b|ti è piaciuto (?:questo|l') articolo",
    re.I,
)
_MAX_WORDS = 45


def prompt_reason(text: str) -> str | None:
    """Why ``text`` is a prompt addressed to the reader, or None."""
    if len(text) > 400 or word_count(text) > _MAX_WORDS:
        return None
    # each regex runs only when the line holds one of its own literals (a necessary condition:
    # a regex skipped here cannot match, so the first regex that matches is the same)
    return _reason(text, _PHRASE_PRE.may_match(text), _IMPERATIVE_PRE.may_match(text), _US_PRE.may_match(text))


_PHRASE_REASON = "prompt addressed to the reader (subscription, sharing, paywall or affiliate notice)"
_IMPERATIVE_REASON = "call to action (subscribe, follow, download) addressed to the reader"
_US_REASON = "call to action inviting the reader to join or follow the site"


def _reason(text: str, phrase: bool, imperative: bool, us: bool) -> str | None:
    """prompt_reason's regexes on a line of at most 400 characters and 45 words, each only when
    its flag says the line may hold a match (False only when the regex cannot match)."""
    if phrase and _PHRASE.search(text):
        return _PHRASE_REASON
    if imperative and _IMPERATIVE.search(text):
        return _IMPERATIVE_REASON
    if us and _US.search(text):
        return _US_REASON
    return None


_PHRASE_PRE = LiteralPrefilter(_PHRASE)
_IMPERATIVE_PRE = LiteralPrefilter(_IMPERATIVE)
_US_PRE = LiteralPrefilter(_US)
# Both branches of _IMPERATIVE hold a _VERB and a _CHANNEL (in either order), matched under the
# same flags: every match of _IMPERATIVE contains a match of each, so a line that may match it
# holds a literal of the verbs AND one of the channels (_IMPERATIVE_PRE alone asks for either).
# Used by ReaderPrompt.check: 3,900 lines of the dev sets hold one, 700 both.
_VERB_PRE = LiteralPrefilter(re.compile(_VERB, re.I))
_CHANNEL_PRE = LiteralPrefilter(re.compile(_CHANNEL, re.I))
_LINE_PREFILTERS = (_PHRASE_PRE, _VERB_PRE, _CHANNEL_PRE, _US_PRE)


#: Every regex prompt_reason returns a reason on (tests/test_fastpaths.py checks the list).
_PROMPT_PREFILTER = LiteralPrefilter(_PHRASE, _IMPERATIVE, _US)


class ReaderPrompt(Rule):
    """Remove prompts addressed to the reader: newsletter, follow-us, share and paywall notices.

    Removes: a line of at most 45 words that holds a call to action — an imperative
    (``Subscribe``, ``Follow``, ``Sign up``, ``Download``, ``Abonnieren Sie``,
    ``Suivez``, ``Síguenos`` …) opening a sentence with a channel (newsletter, inbox,
    Twitter, app …) soon after it, an imperative whose object is the site (``Join our
    …``, ``Follow us``), or a stock phrase of subscription widgets, paywalls and
    affiliate notices (``Like this story?``, ``Thanks for signing up!``, ``already a
    subscriber``, ``To view the full story, please subscribe``, ``affiliate links``).
    Why: they speak to the reader about the site, not about the story.
    Example: ``Get the latest updates right in your inbox. Subscribe to our newsletters.`` goes.
    False positives: a short paragraph of a story about social media that opens a
    sentence with such an imperative (``Follow the money on Twitter, she said.``); a
    sentence that merely mentions a newsletter or an app is kept.
    """

    code = "K001"
    name = "reader-prompt"
    summary = "Remove newsletter, follow-us, share, paywall and affiliate prompts addressed to the reader."
    keep = (
        "The newspaper launched a newsletter for subscribers in 2019, its editor said.",
        "He asked his followers to share the video on Twitter, and thousands did.",
        "Follow the money, the investigators were told.",
        "Users who click on the link are taken to a fake login page.",
        "The app was downloaded ten million times in its first month.",
    )
    cases = (
        (
            "The council approved the budget on Monday.\nGet the latest updates right in your inbox. Subscribe to our newsletters.\nThe vote was close.",
            "The council approved the budget on Monday.\n\nThe vote was close.",
        ),
        ("The council approved the budget on Monday.\nLike this story? Share it with a friend!", "The council approved the budget on Monday."),
        ("Der Rat hat den Haushalt beschlossen.\nFolgen Sie uns auf Twitter und Facebook.", "Der Rat hat den Haushalt beschlossen."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        # Only lines holding a word one of prompt_reason's regexes needs can be prompts
        # (cleaner/rules/prefilter.py); the others are not searched. Same decisions, ~4x faster.
        # On those lines each regex runs only when the line holds one of its own literals (as in
        # prompt_reason, but read off the page's lower case, whose safety is checked once for the
        # page), and the imperative only when the line holds a verb AND a channel literal.
        candidates = _PROMPT_PREFILTER.positions(doc)
        low = doc.joined_lower() if candidates is not None else ""
        if candidates is None or not all(p.safe_for(low) for p in _LINE_PREFILTERS):
            for i in _PROMPT_PREFILTER.live_candidates(doc):  # a page the searches cannot vouch for
                reason = prompt_reason(doc.text(i))
                if reason:
                    yield self.remove(doc, i, reason)
            return
        offsets = doc._joined_and_offsets()[1]
        live = doc.live
        texts = doc._texts
        for k in sorted(candidates):
            text = texts[live[k]]
            if len(text) > 400 or word_count(text) > _MAX_WORDS:
                continue
            line = low[offsets[k] : offsets[k + 1] - 1]  # text.lower(): same length, no "İ"
            reason = _reason(
                text,
                _PHRASE_PRE.holds_literal(line),
                _VERB_PRE.holds_literal(line) and _CHANNEL_PRE.holds_literal(line),
                _US_PRE.holds_literal(line),
            )
            if reason:
                yield self.remove(doc, live[k], reason)


# "© 2020 Vox Media, LLC. All rights reserved.", "Copyright ⓒ Example.co.kr", "copyright Example 2019 - ISSN …"
_COPYRIGHT_MARK = re.compile(r"^(?:©|ⓒ|\(c\)\s*\d{4}|copyright\s*(?:©|ⓒ|\(c\)|\d{4}))", re.I)
_COPYRIGHT_WORD = re.compile(r"^copyright\s+\S", re.I)
_RIGHTS = re.compile(
    r"\b(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"tutti i diritti riservati|todos os direitos reservados|wszelkie prawa zastrzeżone|все права защищены)\b|무단전재",
    re.I,
)
# "Reading time: 3 minutes", "Lesezeit: ca. 4 Min.", "5 min read", "Tempo de leitura: 1 minuto"
_READING_TIME = re.compile(
    r"^(?:(?:estimated )?reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo de leitura|"
    r"tempo di lettura|czas czytania|время (?:на )?чтения)\s*[:：]?\s*(?:ca\.?\s*|~\s*)?\d+(?:[-–]\d+)?\s*[\w.]{0,10}$|"
    r"^(?:ca\.?\s*|~\s*)?\d+(?:[-–]\d+)?\s*(?:min(?:ute)?s?\.?|minuten|minutos|minuti)\s*"
    r"(?:read|reading|lesezeit|lesen|de lecture|de lectura|de leitura|di lettura)$",
    re.I,
)
# Comment-moderation notices: "Comments … will not be approved by the moderator."
_MODERATION = re.compile(
    r"\b(?:comments?|comentários?|comentarios?|commentaires?|kommentare?|commenti)\b.{0,160}?"
    r"\b(?:moderat\w*|modérat\w*|moderiert\w*|aprovad\w*|aprobad\w*|approv\w*|freigeschaltet|publicad\w*)",
    re.I,
)
_MAX_NOTICE_WORDS = 30



def notice_reason(text: str) -> str | None:
    """Why ``text`` is a notice of the site (copyright, reading time, moderation), or None."""
    if len(text) > 300:
        return None
    n = word_count(text)
    if _READING_TIME.match(text):
        return "reading-time line"
    if n > _MAX_NOTICE_WORDS:
        return None
    if _COPYRIGHT_MARK.match(text) or _RIGHTS.search(text):
        return "copyright notice"
    if _COPYRIGHT_WORD.match(text) and not (n >= 6 and ends_sentence(text)):
        return "copyright notice"
    if _MODERATION.search(text):
        return "comment-moderation notice"
    return None


#: Every regex notice_reason returns a reason on (tests/test_fastpaths.py checks the list).
_NOTICE_PREFILTER = LiteralPrefilter(_READING_TIME, _COPYRIGHT_MARK, _RIGHTS, _COPYRIGHT_WORD, _MODERATION)


class SiteNotice(Rule):
    """Remove notices of the site: copyright lines, reading-time lines, comment-moderation rules.

    Removes: a line of at most 30 words that opens with a copyright mark (``© 2020 Example
    Media``, ``Copyright 2018``, ``Copyright ⓒ example.com``) or says "all rights reserved"
    in a benchmark language; a reading-time line (``Reading time: 3 minutes``, ``5 min
    read``, ``Lesezeit: 4 Min.``); a notice on how comments are moderated.
    Why: they are the site's furniture, printed around every article.
    Example: ``© 2020 Vox Media, LLC. All rights reserved.`` goes.
    False positives: a short line of a story that opens with "Copyright" and a name and does
    not end like a sentence; a sentence about the moderation of comments (≤ 30 words).
    """

    code = "K002"
    name = "site-notice"
    summary = "Remove copyright notices, reading-time lines and comment-moderation notices."
    keep = (
        "Copyright law was changed in 2019 to protect authors, and the change took effect in the spring.",
        "Copyright Office officials said the rule would change next year, after a long consultation.",
        "The museum holds the copyright to the photographs, which were taken in the 1930s.",
        "He spent 5 minutes reading the statement aloud to the members of the council.",
    )
    cases = (
        ("The council approved the budget on Monday.\n© 2020 Example Media, LLC. All rights reserved.", "The council approved the budget on Monday."),
        ("Reading time: 3 minutes\nThe council approved the budget on Monday.", "The council approved the budget on Monday."),
        (
            "The council approved the budget on Monday.\nATENÇÃO: Comentários ofensivos não serão aprovados pelo moderador.",
            "The council approved the budget on Monday.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        for i in _NOTICE_PREFILTER.live_candidates(doc):  # as in ReaderPrompt.check
            reason = notice_reason(doc.text(i))
            if reason:
                yield self.remove(doc, i, reason)
