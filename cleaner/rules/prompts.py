"""Prompts addressed to the reader: newsletter and subscription boxes, follow-us invitations.

Pages surround (and interrupt) articles with calls to action: "Sign up for our
newsletter", "Follow us on Twitter", "Like this story? Share it with a friend!",
paywall notices ("To view the full story, please subscribe"), and affiliate
disclosures. They talk to the reader about the site, not about the story.
"""

from __future__ import annotations

import re
from typing import Container, Iterable

from .. import patterns
from ..document import Decision
from ..shapes import ends_sentence, word_count
from .base import DocView, Rule
from .prefilter import BranchSearch, LiteralPrefilter, doc_text

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
_VERB_FIRST = rf"{_VERB}\b[^.!?]{{0,80}}?\b{_CHANNEL}\b"
# the channel first: "We have a Telegram channel? Join from your phone"
_CHANNEL_FIRST = rf"\b{_CHANNEL}\b[^.!?]{{0,60}}[.!?]\s*[¡¿]?\s*{_VERB}\b"
_IMPERATIVE = patterns.compile(rf"{_SENTENCE_START}{_VERB_FIRST}|{_CHANNEL_FIRST}", re.I)
# "Join our …", "Follow us …", "Support us": an imperative with the site as its object.
_US_BODY = (
    r"(?:join|follow|support|contact|subscribe to|sign up for|folgen sie|folge|unterstützen sie|"
    r"unterstütze|suivez|soutenez|síguenos|apóyanos|seguici|sostienici)\s+(?:us|our|uns|unser\w*|nous|notre|nos|"
    r"nuestro|nuestra|nostro|nostra)\b"
)
_US = patterns.compile(rf"{_SENTENCE_START}{_US_BODY}", re.I)

# The same searches in parts that sre skips through (whether they match, not where): a regex
# opening on a character class is searched by a scan for that class, where _SENTENCE_START's
# "^" alternative, and the channel-first branch's word boundary, try every position.
# _SENTENCE_START is "^" (a match at 0) or a closing mark and its spaces:
_AFTER_END = r"[.!?…¡¿](?:(?<=[¡¿])\s*|\s+)"
_VERB_FIRST_AT_START = patterns.compile(_VERB_FIRST, re.I)
_VERB_FIRST_AFTER_END = patterns.compile(rf"{_AFTER_END}{_VERB_FIRST}", re.I)
_CHANNEL_FIRST_RX = patterns.compile(_CHANNEL_FIRST, re.I)
# every match of _CHANNEL_FIRST ends with one of this (searched first: the channel-first branch
# runs only on the 4 % of lines that hold one)
_VERB_AFTER_MARK = patterns.compile(rf"[.!?]\s*[¡¿]?\s*{_VERB}\b", re.I)
_US_AT_START = patterns.compile(_US_BODY, re.I)
_US_AFTER_END = patterns.compile(rf"{_AFTER_END}{_US_BODY}", re.I)


def _imperative(text: str) -> bool:
    """Whether ``_IMPERATIVE.search(text)`` finds a match (tests/test_fastpaths.py compares them)."""
    return bool(
        _VERB_FIRST_AT_START.match(text)
        or _VERB_FIRST_AFTER_END.search(text)
        or (_VERB_AFTER_MARK.search(text) and _CHANNEL_FIRST_RX.search(text))
    )


def _us(text: str) -> bool:
    """Whether ``_US.search(text)`` finds a match (tests/test_fastpaths.py compares them)."""
    return bool(_US_AT_START.match(text) or _US_AFTER_END.search(text))


# Stock phrases of prompts, paywalls and subscription widgets.
_PHRASE = patterns.compile(
    r"\b(?:like|liked|enjoy|enjoyed|love|loved) (?:this|the) (?:story|article|post)\s*\?|"
    r"share (?:it|this(?: story| article)?) with (?:a|your) friends?|tell us what you think|"
    r"thanks? (?:you )?for (?:signing up|subscribing)|we(?:'|’)?d (?:like|love) to hear (?:what you think|from you)|error processing your subscription|"
    r"keep an eye on your inbox|already an? (?:subscriber|member)|please (?:subscribe|log\s?in|sign\s?in|register)\b|"
    r"to (?:view|read|continue reading|access) (?:the|this) (?:full|whole|entire|rest of the) (?:story|article)|"
    r"subscribe (?:now|today)\b|click here\b|tap here\b|sign up (?:here|now|today|for (?:our|free))|"
    r"download (?:the|our) [^.!?]{0,40}\bapps?\b|"
    r"(?:may|might|will) (?:get|earn|receive|collect) (?:a )?(?:small )?(?:share|commission|portion)\b[^.!?]{0,30}\b(?:sales?|purchases?)|"
    r"\baffiliate links?\b|as an amazon associate|"
    # the site discloses what it earns from links: "we may earn an affiliate commission",
    # "erhalten wir eine Provision", "nous pouvons percevoir une commission"
    r"\bwe (?:may |might |could |will )?(?:get|earn|receive|be paid|collect)\b[^.!?]{0,25}\b(?:commissions?|compensation|fees?)\b|"
    r"\b(?:erhalten|bekommen) wir\b[^.!?]{0,30}\bprovision|\bwir (?:erhalten|bekommen)\b[^.!?]{0,30}\bprovision|"
    r"\bnous (?:pouvons |pourrions )?(?:percevoir|recevoir|toucher)\b[^.!?]{0,25}\bcommission|"
    r"\b(?:podemos|podríamos) (?:recibir|ganar|obtener)\b[^.!?]{0,25}\bcomisi[oó]n|"
    # ... or in the third person: "Für Links auf dieser Seite erhält das Portal ggf. eine Provision",
    # and the standard disclosure of Amazon's programme ("… is a participant in the Amazon
    # Services LLC Associates Program, an affiliate advertising program …")
    r"\blinks?\b[^!?]{0,60}\b(?:erhält|erhalten|bekommt|bekommen|verdient|verdienen)\b[^!?]{0,40}\bprovision|"
    r"\bamazon services llc associates program|\baffiliate advertising program|"
    # browser push-notification prompts: "Click here to turn on notifications", "Benachrichtigung
    # aktivieren", "Erlauben Sie … Ihnen Benachrichtigungen zu schicken"
    r"\bpush[- ]?(?:notifications?|benachrichtigung\w*|mitteilungen)\b|\b(?:turn on|enable|allow) (?:browser |push |desktop )?notifications\b|"
    r"\bbenachrichtigung(?:en)? (?:zu )?(?:aktivieren|erlauben|schicken|senden)\b|\bbenachrichtigungen (?:erfolgreich )?aktiviert\b|"
    r"\bactive[rz] les notifications\b|\bactiva(?:r)? las notificaciones\b|"
    r"newsletter abonnieren|jetzt abonnieren|gefällt (?:dir|ihnen) (?:unser|unsere|dieser|diese)\b|"
    r"hat (?:dir|ihnen) (?:der|dieser) (?:artikel|beitrag) gefallen|"
    r"avez-vous apprécié cet article|abonnez-vous\b|inscrivez-vous à (?:notre|la) newsletter|"
    r"suscríbete a (?:nuestro|nuestra|el|la)\b|ti è piaciuto (?:questo|l') articolo",
    re.I,
)
_MAX_WORDS = 45
# Newsletter boxes that speak to the reader without an imperative at a sentence start: "You can
# unsubscribe whenever you like", "Mit unserem Newsletter sind Sie immer informiert", "jeden
# Morgen direkt in dein Postfach", "Ihre E-Mail-Adresse, um den Blog zu abonnieren". The
# newsletter vocabulary (not "subscribe" or "subscription", which deal and review articles use
# for services) with a word addressing the reader.
_NEWSLETTER = patterns.compile(
    r"\b(?:newsletters?|unsubscribe\w*|abbestell\w*|infolettres?|boletín|abonnieren|abonniere|"
    r"(?:delivered|straight|directly|right) (?:to|into|in) your inbox|(?:direkt )?in (?:dein|deinen|ihr|ihren) "
    r"(?:postfach|posteingang))\b",
    re.I,
)
#: A word addressing the reader (second person, formal or not), in the benchmark languages.
_READER = patterns.compile(
    r"\b(?:you|your|sie|ihnen|ihr\w*|du|dein\w*|dich|dir|vous|votre|vos|tu|tus|usted\w*|te|ti|voi|vostr\w*|"
    r"państw\w*)\b",
    re.I,
)


def prompt_reason(text: str) -> str | None:
    """Why ``text`` is a prompt addressed to the reader, or None."""
    if len(text) > 400 or word_count(text) > _MAX_WORDS:
        return None
    # each regex runs only when the line holds one of its own literals (a necessary condition:
    # a regex skipped here cannot match, so the first regex that matches is the same)
    return _reason(
        text,
        _PHRASE_PRE.may_match(text),
        _IMPERATIVE_PRE.may_match(text),
        _US_PRE.may_match(text),
        _NEWSLETTER_PRE.may_match(text),
    )


_PHRASE_REASON = "prompt addressed to the reader (subscription, sharing, paywall or affiliate notice)"
_IMPERATIVE_REASON = "call to action (subscribe, follow, download) addressed to the reader"
_US_REASON = "call to action inviting the reader to join or follow the site"
_NEWSLETTER_REASON = "newsletter box addressed to the reader"


def _reason(text: str, phrase: bool, imperative: bool, us: bool, newsletter: bool) -> str | None:
    """prompt_reason's regexes on a line of at most 400 characters and 45 words, each only when
    its flag says the line may hold a match (False only when the regex cannot match)."""
    if phrase and _PHRASE.search(text):
        return _PHRASE_REASON
    if imperative and _imperative(text):
        return _IMPERATIVE_REASON
    if us and _us(text):
        return _US_REASON
    if newsletter and _NEWSLETTER.search(text) and _addresses_reader(text):
        return _NEWSLETTER_REASON
    return None


_PHRASE_PRE = LiteralPrefilter(_PHRASE)
_IMPERATIVE_PRE = LiteralPrefilter(_IMPERATIVE)
_US_PRE = LiteralPrefilter(_US)
# Both branches of _IMPERATIVE hold a _VERB and a _CHANNEL (in either order), matched under the
# same flags: every match of _IMPERATIVE contains a match of each, so a line that may match it
# holds a literal of the verbs AND one of the channels (_IMPERATIVE_PRE alone asks for either).
# Used by ReaderPrompt.check: 3,900 lines of the dev sets hold one, 700 both.
_VERB_PRE = LiteralPrefilter(patterns.compile(_VERB, re.I))
_CHANNEL_PRE = LiteralPrefilter(patterns.compile(_CHANNEL, re.I))
_NEWSLETTER_PRE = LiteralPrefilter(_NEWSLETTER)
#: _PHRASE's 41 stock phrases, each searched only on a line holding one of its words.
_PHRASE_BRANCHES = BranchSearch(_PHRASE)
_LINE_PREFILTERS = (_PHRASE_PRE, _VERB_PRE, _CHANNEL_PRE, _US_PRE, _NEWSLETTER_PRE, _PHRASE_BRANCHES)


def _addresses_reader(text: str) -> bool:
    """A word that speaks to the reader (you, Sie, du, vous, …): a condition on top of a regex."""
    return _READER.search(text) is not None


#: Every regex prompt_reason returns a reason on (tests/test_fastpaths.py checks the list).
_PROMPT_PREFILTER = LiteralPrefilter(_PHRASE, _IMPERATIVE, _US, _NEWSLETTER)


class ReaderPrompt(Rule):
    """Remove prompts addressed to the reader: newsletter, follow-us, share and paywall notices.

    Removes: a line of at most 45 words that holds a call to action — an imperative
    (``Subscribe``, ``Follow``, ``Sign up``, ``Download``, ``Abonnieren Sie``,
    ``Suivez``, ``Síguenos`` …) opening a sentence with a channel (newsletter, inbox,
    Twitter, app …) soon after it, an imperative whose object is the site (``Join our
    …``, ``Follow us``), or a stock phrase of subscription widgets, paywalls and
    affiliate notices (``Like this story?``, ``Thanks for signing up!``, ``already a
    subscriber``, ``To view the full story, please subscribe``, ``affiliate links``,
    ``Für Links auf dieser Seite erhält … eine Provision``, the Amazon Associates
    disclosure) and browser push-notification prompts (``turn on notifications``,
    ``Benachrichtigung aktivieren``).
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
        "Brokers earn a commission on every trade, the regulator said, and we found the fees were high.",
        "If you sign up for the bundle, you pay only $12.99; to subscribe to all three costs more.",
        "The newspaper's newsletter reached a million readers last year, its editor said.",
        "Der Makler erhält für den Verkauf eine Provision von drei Prozent, sagte die Verbraucherzentrale.",
        "You can still sign up for notifications, and the shop will email you when the cards are back in stock.",
    )
    cases = (
        (
            "The council approved the budget on Monday.\nGet the latest updates right in your inbox. Subscribe to our newsletters.\nThe vote was close.",
            "The council approved the budget on Monday.\n\nThe vote was close.",
        ),
        ("The council approved the budget on Monday.\nLike this story? Share it with a friend!", "The council approved the budget on Monday."),
        ("Der Rat hat den Haushalt beschlossen.\nFolgen Sie uns auf Twitter und Facebook.", "Der Rat hat den Haushalt beschlossen."),
        (
            "The council approved the budget on Monday.\nOne email a week. You can unsubscribe whenever you like.",
            "The council approved the budget on Monday.",
        ),
        (
            "The council approved the budget on Monday.\nWhen you purchase through links on our site, we may earn an affiliate commission.",
            "The council approved the budget on Monday.",
        ),
        (
            "Der Rat hat den Haushalt beschlossen.\nFür Links auf dieser Seite erhält das Portal ggf. eine Provision vom Händler.",
            "Der Rat hat den Haushalt beschlossen.",
        ),
        ("The council approved the budget on Monday.\nClick here to turn on notifications.", "The council approved the budget on Monday."),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        # Only lines holding a word one of prompt_reason's regexes needs can be prompts
        # (cleaner/rules/prefilter.py); the others are not searched. Same decisions, ~4x faster.
        # On those lines each regex runs only when the line holds one of its own literals (as in
        # prompt_reason, but read off the page's lower case), and the imperative only when the
        # line holds a verb AND a channel literal. A line holding a character the lower case
        # cannot vouch for ("ı", "ſ", "µ", ...: checked per line only when the page holds one)
        # is judged by prompt_reason itself; the page's other lines keep the fast path.
        candidates = _PROMPT_PREFILTER.live_candidates(doc)
        if not candidates:  # (a short or clean article often has none: then nothing below is needed)
            return
        page = doc_text(doc)  # the whole document's lower case, searched by every prefilter
        low = page.low
        safe_page = all(p.safe_for_page(page) for p in _LINE_PREFILTERS)
        offsets = page.offsets
        texts = doc.texts
        # the lines holding each regex's literals, read off the page's one shared search (a line
        # the lower case cannot vouch for is among them, and is judged by the regex: the same answer)
        phrase, verb, channel, us, newsletter = (
            p.line_set(page) for p in (_PHRASE_PRE, _VERB_PRE, _CHANNEL_PRE, _US_PRE, _NEWSLETTER_PRE)
        )
        for i in candidates:
            text = texts[i]
            if len(text) > 400 or word_count(text) > _MAX_WORDS:
                continue
            line = low[offsets[i] : offsets[i + 1] - 1]  # text.lower(), "İ" as "i" (as re.IGNORECASE)
            if not safe_page and not all(p.safe_for(line) for p in _LINE_PREFILTERS):
                reason = prompt_reason(text)
            elif i in phrase and _PHRASE_BRANCHES.search(text, line):
                reason = _PHRASE_REASON  # _reason's first test, branch by branch
            else:
                reason = _reason(text, False, i in verb and i in channel, i in us, i in newsletter)
            if reason:
                yield self.remove(doc, i, reason)


# "© 2020 Vox Media, LLC. All rights reserved.", "Copyright ⓒ Example.co.kr", "copyright Example 2019 - ISSN …"
_COPYRIGHT_MARK = patterns.compile(r"^(?:©|ⓒ|\(c\)\s*\d{4}|copyright\s*(?:©|ⓒ|\(c\)|\d{4}))", re.I)
_COPYRIGHT_WORD = patterns.compile(r"^copyright\s+\S", re.I)
_RIGHTS = patterns.compile(
    r"\b(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"tutti i diritti riservati|todos os direitos reservados|wszelkie prawa zastrzeżone|все права защищены)\b|무단전재",
    re.I,
)
# "Reading time: 3 minutes", "Lesezeit: ca. 4 Min.", "5 min read", "Tempo de leitura: 1 minuto"
_READING_TIME = patterns.compile(
    r"^(?:(?:estimated )?reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo de leitura|"
    r"tempo di lettura|czas czytania|время (?:на )?чтения)\s*[:：]?\s*(?:ca\.?\s*|~\s*)?\d+(?:[-–]\d+)?\s*[\w.]{0,10}$|"
    r"^(?:ca\.?\s*|~\s*)?\d+(?:[-–]\d+)?\s*(?:min(?:ute)?s?\.?|minuten|minutos|minuti)\s*"
    r"(?:read|reading|lesezeit|lesen|de lecture|de lectura|de leitura|di lettura)$",
    re.I,
)
# Comment-moderation notices: "Comments … will not be approved by the moderator."
_MODERATION = patterns.compile(
    r"\b(?:comments?|comentários?|comentarios?|commentaires?|kommentare?|commenti)\b.{0,160}?"
    r"\b(?:moderat\w*|modérat\w*|moderiert\w*|aprovad\w*|aprobad\w*|approv\w*|freigeschaltet|publicad\w*)",
    re.I,
)
# Notices of the comment and sign-up forms' anti-spam and consent widgets: "This site uses Akismet
# to reduce spam", "This site is protected by reCAPTCHA …", "Ich bin mit der Verarbeitung meiner
# Daten nach Datenschutzerklärung einverstanden", "I agree to the privacy policy".
_FORM_NOTICE = patterns.compile(
    r"\b(?:akismet|recaptcha)\b|"
    r"\bich bin mit der (?:verarbeitung|speicherung|nutzung) meiner (?:\w+ )?daten\b|"
    r"\bi (?:agree|consent) to (?:the |your )?(?:privacy|processing|terms|storage)\b|"
    r"\bj['’]accepte (?:les conditions|la politique de confidentialité)|\bacepto (?:la política de privacidad|los términos)",
    re.I,
)
# Notices that the page needs JavaScript: "Please enable JavaScript to view the comments", "This
# slideshow requires JavaScript", "Sie haben Javascript für Ihren Browser deaktiviert".
_SCRIPT_NOTICE = patterns.compile(
    r"\bjava\s?script\b[^.!?]{0,80}?\b(?:requires?d?|needs?|enabled?|disabled|activated?|aktivier\w*|deaktiviert|"
    r"einschalten|eingeschaltet|activ\w*|désactivé|habilit\w*|deshabilitado|attiv\w*|disattivato)\b|"
    r"\b(?:requires?|needs?|enable|activate|aktivieren sie|aktiviere|schalten sie|activez|habilita|attiva)\b[^.!?]{0,40}?"
    r"\bjava\s?script\b",
    re.I,
)
# ... said to the reader (_addresses_reader), of the browser or of what the page cannot show: not a
# sentence of a story about JavaScript ("the engine runs JavaScript twice as fast and needs less memory")
_SCRIPT_CONTEXT = patterns.compile(
    r"\b(?:browser\w*|navigateur|navegador|please|bitte|veuillez|por favor|per favore|"
    r"to (?:view|use|see|load|run|comment)|um|zur anzeige)\b|\brequires? java\s?script|"
    r"\bjava\s?script (?:is |ist )?(?:required|disabled|deaktiviert)",
    re.I,
)
_MAX_NOTICE_WORDS = 30
# Editorial disclaimers: "The views expressed … do not necessarily reflect those of …", "Les
# opinions exprimées … n'engagent que leurs auteurs", "Dieser Beitrag gibt die Meinung des Autors
# wieder", "… does not offer medical advice", "The advertising disclaimer below …". The views or
# opinions must be the subject, so that a news sentence ("his comments do not reflect …") stays.
_DISCLAIMER = patterns.compile(
    r"\b(?:views?|opinions?|opiniones|opinioni|meinungen?)\b[^.!?]{0,80}?(?:\b(?:do|does) not (?:necessarily )?"
    r"(?:reflect|represent)|\b(?:nicht|keineswegs) (?:notwendigerweise|unbedingt|zwingend)|\bn['’]engagent que|"
    r"\bno (?:necesariamente )?(?:refleja|representa)n?|\bnon (?:riflett|rappresent)\w*)|"
    r"\b(?:gibt|geben|spiegelt|spiegeln) (?:ausschließlich )?die meinung de[rs] (?:autors|autorin|verfasser\w*)|"
    r"\b(?:does not|do not|doesn['’]t) (?:offer|provide|give|constitute) (?:medical|legal|financial|investment|tax) advice|"
    r"\bthe (?:advertising )?disclaimer below\b",
    re.I,
)
_MAX_DISCLAIMER_WORDS = 60
# A word every branch of _DISCLAIMER holds: the prefilter's literals (" not " would be most lines).
_DISCLAIMER_LEAD = patterns.compile(r"views?|opinions?|opiniones|opinioni|meinung|advice|disclaimer", re.I)
# …and it speaks of the publication: a news sentence ("her views do not reflect the party line")
# names no article, blog, site or author.
_DISCLAIMER_SUBJECT = patterns.compile(
    r"\b(?:article|post|blog\w*|column|site|website|publication|editor\w*|author\w*|contributor\w*|beitrag\w*|"
    r"artikel\w*|redaktion\w*|autor\w*|verfasser\w*|auteurs?|rédaction|articles?|columna|autores?|redacción|"
    r"articolo|autori|redazione|disclaimer)\b",
    re.I,
)
# Cookie-consent banners: "We use cookies ... on our site", "Diese Website verwendet Cookies",
# "Nous utilisons des cookies ... sur notre site". "cookie" is the word of the class in every
# benchmark language; the line must also speak of the site, of using or consenting, and to the
# reader (or of "this site"), so that a news story about cookies and a recipe are not taken.
_COOKIE = patterns.compile(r"\bcookies?\b", re.I)
_COOKIE_WEB = patterns.compile(
    r"\b(?:web\s?sites?|webseiten?|sites?|seiten?|internet\w*|sito|siti|sitio|página|pagina|strona|serwis\w*|"
    r"services?|dienste?|brows\w*|navig\w*|tracking|trackers?|traceurs?|settings|einstellung\w*|preferences|"
    r"préférences|paramètres|paramétr\w*|datenschutz\w*|privacy|confidentialité|privacidad|données|daten|data)\b",
    re.I,
)
_COOKIE_CONSENT = patterns.compile(
    r"\b(?:uses?|using|consent\w*|accept\w*|akzept\w*|acept\w*|accett\w*|agree\w*|einverst\w*|einwillig\w*|"
    r"zustimm\w*|stimm\w*|zgod\w*|utilis\w*|utiliz\w*|verwende\w*|nutz\w*|benutz\w*|genutzt|usamos|usiamo|"
    r"click\w*|klick\w*|cliqu\w*|refus\w*|reject\w*|ablehn\w*|opt[- ]?out)\b",
    re.I,
)
# The site speaking of itself (first person plural, or "this site"): a banner's other voice.
_SITE_VOICE = patterns.compile(
    r"\b(?:we|our|us|wir|unser\w*|uns|nous|notre|nos|nosotros|nuestr\w*|noi|nostr\w*|nasz\w*|"
    r"this (?:web\s?)?site|diese (?:web)?seite|diese website|ce site|questo sito|este sitio|esta página|ten serwis)\b",
    re.I,
)
_MAX_COOKIE_WORDS = 150
_MAX_SINGLE_COOKIE_WORDS = 60  # longer lines must name cookies twice: a banner's subject


def _is_disclaimer(text: str) -> bool:
    return (  # the count first: one C pass, where _DISCLAIMER's lazy gap tries each start
        word_count(text) <= _MAX_DISCLAIMER_WORDS
        and _DISCLAIMER.search(text) is not None
        and _DISCLAIMER_SUBJECT.search(text) is not None
    )


def _is_script_notice(text: str) -> bool:
    """The page needs JavaScript, said to the reader (_NOTICE_PREFILTER holds _SCRIPT_NOTICE)."""
    return _SCRIPT_NOTICE.search(text) is not None and (
        _SCRIPT_CONTEXT.search(text) is not None or _addresses_reader(text)
    )


def _is_cookie_notice(text: str) -> bool:
    mentions = len(_COOKIE.findall(text))
    if mentions == 0:
        return False
    n = word_count(text)
    if n > _MAX_COOKIE_WORDS or (mentions == 1 and n > _MAX_SINGLE_COOKIE_WORDS):
        return False
    return bool(
        _COOKIE_WEB.search(text) and _COOKIE_CONSENT.search(text) and (_SITE_VOICE.search(text) or _addresses_reader(text))
    )



def notice_reason(text: str, may: Container[re.Pattern[str]] | None = None) -> str | None:
    """Why ``text`` is a notice of the site (cookies, copyright, reading time, moderation), or None.
    ``may``: the regexes of :data:`_NOTICE_GATES` that can match ``text`` (K002 reads them off the
    document's shared literal search), best a tuple (see :data:`_NOTICE_GATED`); the others are
    not run. None: any may."""
    if may is None:
        may = _NOTICE_GATED
    if _COOKIE in may and _is_cookie_notice(text):  # it searches _COOKIE first
        return "cookie-consent notice"
    if _DISCLAIMER_LEAD in may and _DISCLAIMER_LEAD.search(text) and _is_disclaimer(text):
        return "editorial disclaimer"
    if len(text) > 300:
        return None
    n = word_count(text)
    if _READING_TIME.match(text):
        return "reading-time line"
    if n > _MAX_NOTICE_WORDS:
        return None
    if _COPYRIGHT_MARK.match(text) or (_RIGHTS in may and _RIGHTS.search(text)):
        return "copyright notice"
    if _COPYRIGHT_WORD.match(text) and not (n >= 6 and ends_sentence(text)):
        return "copyright notice"
    if _MODERATION in may and _MODERATION.search(text):
        return "comment-moderation notice"
    if _FORM_NOTICE in may and _FORM_NOTICE.search(text):
        return "comment or sign-up form notice (anti-spam, consent)"
    if _SCRIPT_NOTICE in may and _is_script_notice(text):
        return "browser notice (JavaScript needed)"
    return None


#: Every regex notice_reason returns a reason on (tests/test_fastpaths.py checks the list).
_NOTICE_PREFILTER = LiteralPrefilter(
    _READING_TIME, _COPYRIGHT_MARK, _RIGHTS, _COPYRIGHT_WORD, _MODERATION, _COOKIE, _DISCLAIMER_LEAD, _FORM_NOTICE, _SCRIPT_NOTICE
)
#: The searches of notice_reason that scan a whole line (the anchored matches fail at once), each
#: with a prefilter of its own: a line tries only those whose literals it holds.
_NOTICE_GATES = tuple((rx, LiteralPrefilter(rx)) for rx in (_COOKIE, _DISCLAIMER_LEAD, _RIGHTS, _MODERATION,
                                                             _FORM_NOTICE, _SCRIPT_NOTICE))
#: notice_reason's default: every search runs. ``may`` is a tuple, not a set: ``in`` finds a
#: regex by identity, where a set hashes it (re.Pattern's hash reads all of its code, each time).
_NOTICE_GATED = tuple(rx for rx, _ in _NOTICE_GATES)


class SiteNotice(Rule):
    """Remove notices of the site: cookie banners, copyright, reading-time, comment-moderation lines.

    Removes: a line of at most 30 words that opens with a copyright mark (``© 2020 Example
    Media``, ``Copyright 2018``, ``Copyright ⓒ example.com``) or says "all rights reserved"
    in a benchmark language; a reading-time line (``Reading time: 3 minutes``, ``5 min
    read``, ``Lesezeit: 4 Min.``); a notice on how comments are moderated; a cookie-consent
    banner line (at most 150 words; past 60, it names cookies twice) that names cookies, the
    site (web site, browsing, tracking, settings, privacy) and using or consenting, and speaks
    to the reader or of "this site" (``We use cookies to improve your browsing experience``,
    ``Diese Website verwendet Cookies. Durch die weitere Nutzung ... stimmen Sie zu``); an
    editorial disclaimer of at most 60 words that names the article, blog, site or author
    (``The views expressed in this article do not necessarily reflect …``, ``Dieser Beitrag
    gibt die Meinung des Autors wieder``, ``… n'engagent que leurs auteurs``); a notice of at
    most 30 words that the page needs JavaScript (``Please enable JavaScript to view the
    comments``, ``Sie haben Javascript für Ihren Browser deaktiviert``).
    Why: they are the site's furniture, printed around every article.
    Example: ``© 2020 Vox Media, LLC. All rights reserved.`` goes.
    False positives: a short line of a story that opens with "Copyright" and a name and does
    not end like a sentence; a sentence about the moderation of comments (≤ 30 words); a
    quotation in a story about tracking ("We use cookies on our site," the company said).
    """

    code = "K002"
    name = "site-notice"
    summary = "Remove cookie banners, copyright notices, disclaimers, reading-time and comment-moderation lines."
    keep = (
        "Copyright law was changed in 2019 to protect authors, and the change took effect in the spring.",
        "Copyright Office officials said the rule would change next year, after a long consultation.",
        "The museum holds the copyright to the photographs, which were taken in the 1930s.",
        "He spent 5 minutes reading the statement aloud to the members of the council.",
        "The company said it used cookies to track visitors across websites, and regulators fined it.",
        "Bake the cookies for twelve minutes, then let them cool on the tray before you use the icing.",
        "Her views do not necessarily reflect the party line, critics said on Tuesday.",
        "I agree to the plan, the minister said, but the privacy rules must change first.",
        "Bloomberg said in a statement that the comments do not reflect his commitment to the city.",
        "The new engine runs JavaScript twice as fast as the old one, the developers said on Monday, and needs less memory.",
    )
    cases = (
        ("The council approved the budget on Monday.\n© 2020 Example Media, LLC. All rights reserved.", "The council approved the budget on Monday."),
        ("Reading time: 3 minutes\nThe council approved the budget on Monday.", "The council approved the budget on Monday."),
        (
            "The council approved the budget on Monday.\nDiese Website verwendet Cookies. Durch die weitere "
            "Nutzung der Webseite stimmen Sie der Verwendung von Cookies zu.",
            "The council approved the budget on Monday.",
        ),
        (
            "The council approved the budget on Monday.\nThe views expressed in this article do not necessarily "
            "reflect those of the publisher.",
            "The council approved the budget on Monday.",
        ),
        (
            "The council approved the budget on Monday.\nATENÇÃO: Comentários ofensivos não serão aprovados pelo moderador.",
            "The council approved the budget on Monday.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        candidates = _NOTICE_PREFILTER.live_candidates(doc)  # as in ReaderPrompt.check
        if not candidates:
            return
        page = doc_text(doc)
        gates = [(rx, pre.line_set(page)) for rx, pre in _NOTICE_GATES]
        for i in candidates:
            reason = notice_reason(doc.text(i), tuple([rx for rx, lines in gates if i in lines]))
            if reason:
                yield self.remove(doc, i, reason)
