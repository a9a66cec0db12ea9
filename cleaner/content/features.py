"""Per-line features for main-content detection, computed from text alone.

Everything here is pure Python (stdlib only) and shared verbatim by the
training script (``bench/train_content.py``) and by inference
(:mod:`cleaner.content.model`), so the two can never drift apart.

Two feature sets:

* :func:`line_features` -- first pass: what a line looks like (length,
  punctuation, letters/digits, stopword density in the page's language),
  where it sits (relative position, blank lines around it, its block, runs
  of short lines, repetitions) and a page-level "prose region" estimate.
* :func:`context_features` -- second pass: the first-pass probabilities of
  the neighbours (windows of ±1..±10 lines, the block, the article span),
  like jusText's context revision but learned.
"""

from __future__ import annotations

import heapq
import importlib.util
import math
import os
import sys
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from collections import Counter
from functools import lru_cache

from .. import patterns
from ..patterns import persistent

# --------------------------------------------------------------------------
# stoplists (jusText's, read straight from its package directory: importing
# ``justext`` itself may fail when lxml's html cleaner is not installed)

# ISO 639-1 codes for the jusText stoplist names we report a language for.
_LANG_CODES = {
    "Afrikaans": "af", "Albanian": "sq", "Arabic": "ar", "Armenian": "hy",
    "Azerbaijani": "az", "Basque": "eu", "Belarusian": "be", "Bengali": "bn",
    "Bosnian": "bs", "Breton": "br", "Bulgarian": "bg", "Catalan": "ca",
    "Croatian": "hr", "Czech": "cs", "Danish": "da", "Dutch": "nl",
    "English": "en", "Esperanto": "eo", "Estonian": "et", "Finnish": "fi",
    "French": "fr", "Galician": "gl", "Georgian": "ka", "German": "de",
    "Greek": "el", "Gujarati": "gu", "Hebrew": "he", "Hindi": "hi",
    "Hungarian": "hu", "Icelandic": "is", "Indonesian": "id", "Irish": "ga",
    "Italian": "it", "Kannada": "kn", "Kazakh": "kk", "Korean": "ko",
    "Kurdish": "ku", "Latin": "la", "Latvian": "lv", "Lithuanian": "lt",
    "Luxembourgish": "lb", "Macedonian": "mk", "Malay": "ms",
    "Malayalam": "ml", "Marathi": "mr", "Nepali": "ne",
    "Norwegian_Bokmal": "no", "Norwegian_Nynorsk": "nn", "Persian": "fa",
    "Polish": "pl", "Portuguese": "pt", "Romanian": "ro", "Russian": "ru",
    "Serbian": "sr", "Slovak": "sk", "Slovenian": "sl", "Spanish": "es",
    "Swahili": "sw", "Swedish": "sv", "Tagalog": "tl", "Tamil": "ta",
    "Telugu": "te", "Turkish": "tr", "Ukrainian": "uk", "Urdu": "ur",
    "Vietnamese": "vi", "Welsh": "cy",
}


@lru_cache(maxsize=1)
def _stoplist_files() -> tuple[str, tuple[tuple[str, str, int, int], ...]] | None:
    """jusText's stoplist folder and its file of each language in ``_LANG_CODES`` there (name,
    code, size, time); None without jusText."""
    try:
        spec = importlib.util.find_spec("justext")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(list(spec.submodule_search_locations)[0], "stoplists")
    files = []
    for name, code in _LANG_CODES.items():
        try:
            st = os.stat(os.path.join(folder, name + ".txt"))
        except OSError:
            continue
        files.append((name, code, st.st_size, st.st_mtime_ns))
    return folder, tuple(files)


@lru_cache(maxsize=1)
def _stoplist_texts() -> dict[str, str]:
    """The lower-cased text of jusText's stoplist file of each language in ``_LANG_CODES``, keyed
    by ISO code: one word a line (the C vote index is built from these texts themselves)."""
    found = _stoplist_files()
    return _read_stoplists(*found) if found is not None else {}


@persistent(file="stoplists")
def _read_stoplists(folder: str, files: tuple[tuple[str, str, int, int], ...]) -> dict[str, str]:
    """:func:`_stoplist_texts` of the files (name, code, size, time) in ``folder``; kept across
    processes (cleaner.patterns: reading and lower-casing 1.1 million characters was most of
    what a process spent before its first page), and read again when a file changes."""
    out: dict[str, str] = {}
    for name, code, _, _ in files:
        try:
            with open(os.path.join(folder, name + ".txt"), encoding="utf-8") as fh:
                out[code] = _in_own_script(fh.read().lower())
        except OSError:
            continue
    return out


def _script(word: str) -> str:
    """The script of ``word``'s first letter (the first word of its Unicode name: "LATIN",
    "DEVANAGARI", ...), or "" when it has none."""
    import unicodedata  # (only when the stoplists are read: the start-up caches keep them)

    for ch in word:
        if ch.isalpha():
            return unicodedata.name(ch, "").split(" ", 1)[0]
    return ""


def _in_own_script(text: str) -> str:
    """A stoplist (one word a line) without its words in another script than three quarters or
    more of them. jusText's lists were counted on Wikipedia, whose pages in Marathi quote English:
    331 of the Marathi list's 2,482 words are Latin ("american", "british", "data", ...), and
    such words voted for Marathi on English pages. A list whose words are less evenly of one
    script (a language written in two) is kept whole."""
    words = text.split("\n")
    scripts = list(map(_script, words))
    counts = Counter(filter(None, scripts))
    total = sum(counts.values())
    main = max(counts, key=lambda script: (counts[script], script), default="")
    if not main or counts[main] == total or counts[main] * 4 < total * 3:
        return text
    return "\n".join(w for w, script in zip(words, scripts) if script in ("", main))


@lru_cache(maxsize=1)
def stoplists() -> dict[str, frozenset[str]]:
    """jusText stoplists of the languages in ``_LANG_CODES``, keyed by ISO code: each file's
    non-blank lines in its own script (:func:`_in_own_script`), stripped and lower-cased
    (lower-casing never makes or unmakes whitespace, so lowering the whole text first is the
    same)."""
    out: dict[str, frozenset[str]] = {}
    for code, text in _stoplist_texts().items():
        words = frozenset(map(str.strip, text.split("\n")))
        out[code] = words - {""} if "" in words else words
    return out


@lru_cache(maxsize=1)
def _stop_codes() -> tuple[str, ...]:
    """The codes of the stoplists, sorted: language ``k`` of the vote index is ``_stop_codes()[k]``
    (the C index's, which an earlier process may have kept: made from these files' texts)."""
    index = _c_vote_index() if speedups is not None else {}
    return tuple(index) if index else _text_codes()


def _text_codes() -> tuple[str, ...]:
    codes = tuple(sorted(_stoplist_texts()))
    if len(codes) > 256:  # pragma: no cover - jusText ships 100-odd lists; one byte each
        raise ValueError("more than 256 stoplists: the vote index stores a language in a byte")
    return codes


@lru_cache(maxsize=1)
def _stop_index() -> dict[str, bytes]:
    """word -> the languages whose stoplist has it, one byte each (``k`` for ``_stop_codes()[k]``,
    ascending): the votes of a sample are the byte counts of its words' values joined."""
    index: dict[str, bytes] = {}
    lists = stoplists()
    for k, code in enumerate(_stop_codes()):
        words = lists[code]
        one = bytes((k,))
        common = words & index.keys()  # set operations: built at start-up by every process
        for w in common:
            index[w] += one
        index.update(dict.fromkeys(words - common, one))
    return index


_WORD = patterns.compile(r"\w+")


def detect_language(lines: list[str], sample_lines: int = 12, max_words: int = 400) -> str | None:
    """Detect the page language by a stopword vote on its longest lines.

    Deterministic and ~50x faster than langdetect: every word of a sample of
    the longest lines votes for the languages whose jusText stoplist contains
    it; the language with most votes wins (ties broken by code). Returns None
    when nothing votes (no stoplist words: e.g. Chinese, or a numbers page),
    or when the winner has fewer than 3 votes.
    """
    if not lines:
        return None
    chosen = (longest_lines if speedups is None else speedups.longest_lines)(lines, sample_lines)
    if speedups is not None and _c_vote_index():
        # the same count in C: the words found and looked up in place, none made a str
        return _winner(speedups.vote([lines[i] for i in chosen], max_words, len(_stop_codes())))
    index = _stop_index()
    words: list[str] = []
    for i in chosen:
        words.extend(_WORD.findall(lines[i].lower()))
        if len(words) >= max_words:
            break
    # every stoplist word's languages as bytes, in word order (filter(None) drops exactly the
    # words no stoplist has); a language's votes are the count of its byte: one C-level count
    # per language, where counting the votes one by one cost as much as the rest of the vote
    ballot = b"".join(filter(None, map(index.get, words[:max_words])))
    if not ballot:
        return None
    votes = list(map(ballot.count, range(len(_stop_codes()))))
    return _winner(votes)


def longest_lines(lines: list[str], k: int) -> list[int]:
    """The indices of the ``k`` longest lines (of equal lengths, the first), ascending: the
    reference of the C ``longest_lines`` (tests/test_speedups.py compares them)."""
    # (keys read with C-level callables: the same keys, so the same lines, ties included)
    return sorted(heapq.nlargest(k, range(len(lines)), key=list(map(len, lines)).__getitem__))


def _winner(votes: list[int]) -> str | None:
    """The language of the most votes (the first code of a tie), or None under 3 votes."""
    best = max(votes, default=0)
    if best < 3:
        return None
    return _stop_codes()[votes.index(best)]  # the first of the codes with most votes: the least


# --------------------------------------------------------------------------
# line features

_SENT_END = frozenset(".!?…。！？")
#: The first characters of a numbered list's item ("3. Title", "#3 Title"): the page statistics'
#: "items" are the lines opening with one (what the model's numbered lists are looked for in).
ITEM_FIRST = frozenset("#0123456789")
_CLOSERS = "\"'”’»)]"

# Page furniture vocabulary in several languages, matched on word prefixes
# (so German compounds such as "Datenschutzerklärung" match "datenschutz").
# One weak feature among many (the model learns its weight), not the main
# signal. Category: p = prompt (cookie/newsletter/subscribe/login),
# f = footer (legal), c = comments, s = share/social, n = navigation/other.
_FURNITURE_WORDS = {
    "p": "cookie cookies newsletter subscribe subscription abonnieren abonnement abonnez abonn "
         "anmelden registrieren login logout einloggen connexion inscrivez inscription "
         "suscríbete suscribirse iscriviti accedi signup",
    "f": "copyright impressum datenschutz datenschutzerklärung privacy imprint agb "
         "mentions cgu nutzungsbedingungen disclaimer haftungsausschluss terms",
    "c": "comment comments kommentar kommentare kommentieren commentaire commentaires "
         "comentario comentarios commenti commento reply antworten répondre responder",
    "s": "share teilen partager compartir condividi facebook twitter instagram whatsapp "
         "linkedin pinterest youtube xing telegram tweet e-mail email mail drucken print imprimer",
    "n": "menu menü startseite home accueil inicio search suche recherche buscar cerca "
         "weiterlesen more mehr plus tags tag related ähnliche advertisement anzeige werbung "
         "publicité pubblicità publicidad kontakt contact sitemap top zurück back next weiter",
}
_FURN: dict[str, str] = {}
for _cat, _words in _FURNITURE_WORDS.items():
    for _w in _words.split():
        _FURN.setdefault(_w, _cat)
_FURN_PREFIX = {w[:7]: c for w, c in _FURN.items() if len(w) >= 7 and w != "impressum"}  # compounds, plurals

_DATE = patterns.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}|(?:19|20)\d\d")
_NON_ALPHA = patterns.compile(r"[\W\d_]+")
_NON_DIGIT = patterns.compile(r"\D+")
_BULLET_CHARS = frozenset("-–—•*·▪►")
_TEASER_ENDS = ("...", "…", "»", "›", ">", "[…]", "[...]")
_SEP_CHARS = "|»›•·/>"

SHORT_WORDS = 4  # a line with at most this many words is "short"

# Comment-thread shapes: "X says:", a lone "Reply", "3 days ago", "at 10:42 pm",
# in several languages. Only tried on short lines (<= 12 words); word-set checks
# first, the regex only on lines with a digit and a cue substring.
_COMMENT_FIRST = frozenset("reply antworten répondre responder rispondi report melden like flag permalink".split())
_COMMENT_SAYS = frozenset("says said wrote schreibt schrieb sagt dice escribió écrit".split())
_COMMENT_CUES = (" ago", "vor ", "il y a", "hace ", "am", "pm")
# "3 days ago", "at 10:42 pm", "vor 2 Tagen", "il y a 3", "hace 3". Only whether a line matches
# is asked, so the branches that open with digits open with the last of them (a line holds
# "12 days ago" or "10:42 pm" where it holds "2 days ago" or "0:42 pm"), sharing it, and the
# others share their word boundary: sre tries every position of the line, and rejects one by a
# character test before a branch opening with one, where a boundary is a full attempt (twice
# the speed of the branches as first written: tests/test_content.py compares the two).
_COMMENT_TIME = patterns.compile(
    r"\d(?:\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b|:\d{2}\s*(?:am|pm)\b)|"
    r"\b(?:vor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)\b|il y a \d+|hace \d+)"
)


def comment_shape(lower: str, words: list[str], has_digit: bool) -> bool:
    """Does a short line look like comment-thread furniture (author/date/reply line)?"""
    if not words:
        return False
    if words[0] in _COMMENT_FIRST or words[-1] in _COMMENT_SAYS:
        return True
    if has_digit:
        for cue in _COMMENT_CUES:
            if cue in lower:
                return _COMMENT_TIME.search(lower) is not None
    return False


def furniture_category(words: list[str]) -> str:
    """'' or the category letter of the first furniture word (lower-cased ``\\w+`` words)."""
    get = _FURN.get
    pget = _FURN_PREFIX.get
    for w in words:
        c = get(w)
        if c:
            return c
        if len(w) > 7:
            c = pget(w[:7])
            if c:
                return c
    return ""


LINE_FEATURES = (
    "log_words", "log_chars", "sent_end", "colon_end", "teaser_end", "commas",
    "inner_punct", "alpha", "digits", "title_words", "all_caps", "stop_density",
    "log_stops", "avg_word_len", "separators", "furniture", "furniture_short",
    "furn_prompt", "furn_footer", "furn_comments", "furn_share",
    "date", "urlish", "bullet", "blank_before", "blank_after", "rel_pos",
    "rel_pos_sq", "log_repeat", "after_comments", "log_short_run", "in_short_run",
    "block_log_lines", "block_log_words_per_line", "block_sent_frac", "rel_words_to_max",
    "in_region", "log_dist_region", "prose_cdf", "prose_cdf_edge", "page_log_lines",
    "page_prose_frac", "has_stoplist", "prev_log_words", "next_log_words", "prev_sent_end",
    "next_sent_end", "prev_stop", "next_stop", "win5_log_words", "win5_stop",
    "win5_sent", "is_first",
    "title_sim", "after_headline", "log_dist_headline", "comment_shape",
    "log_comment_before", "log_comment_after", "log_prose_up", "log_prose_down",
    "log_prose_near", "log_prose_far", "prose_win5", "bias",
)


def _clip(x: float, hi: float) -> float:
    return x if x < hi else hi


def best_span(values: list[float]) -> tuple[int, int] | None:
    """(first, last) index of the run of ``values`` with the largest positive sum (Kadane), or
    None when no value is positive. The prose region, the article span of the context features
    and the model's article span are all this run, over different line weights."""
    best = cur = 0.0
    start = bs = be = 0
    found = False
    for i, v in enumerate(values):
        if cur <= 0.0:
            cur = v
            start = i
        else:
            cur += v
        if cur > best:
            best, bs, be, found = cur, start, i, True
    return (bs, be) if found else None


def line_features(lines: list[str], blank_before: list[bool], stop: frozenset[str] | None):
    """First-pass feature rows (lists of floats, order of ``LINE_FEATURES``).

    Also returns the per-line raw statistics used by the region finder, by
    :func:`context_features` and by the verdict labelling: a dict.
    """
    n = len(lines)
    if n == 0:
        return [], {}
    stop = stop or frozenset()
    has_stop = 1.0 if stop else 0.0
    contains = stop.__contains__
    log1p = math.log1p
    nwords = [0] * n
    sent = [0.0] * n
    stopd = [0.0] * n
    logw = [0.0] * n
    furn = [""] * n
    base = []
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    comments_seen = 0.0
    inv_n1 = 1.0 / (n - 1) if n > 1 else 0.0
    # the dump's first line is usually the page <title>: lines repeating it are headlines
    title_words = frozenset(_WORD.findall(lines[0].lower()))
    tsim = [0.0] * n
    cshape = [0] * n
    headline = -1
    for i, line in enumerate(lines):
        toks = line.split()
        nw = len(toks)
        nc = len(line)
        nwords[i] = nw
        lw = log1p(nw)
        logw[i] = lw
        core = line.rstrip(_CLOSERS)
        last = core[-1:]
        s_end = 1.0 if last in _SENT_END and last else 0.0
        sent[i] = s_end
        lower = line.lower()
        words = _WORD.findall(lower)
        nwd = len(words) or 1
        nstop = sum(map(contains, words)) if stop else 0
        sd = nstop / nwd
        stopd[i] = sd
        alpha = sum(map(str.isalpha, line))
        title = sum(map(str.isupper, "".join([t[0] for t in toks])))
        commas = line.count(",")
        inner = commas + line.count(";") + line.count(".") + line.count("?") + line.count("!")
        cat = furniture_category(words) if nw <= 12 else ""
        digits = len(_NON_DIGIT.sub("", line))
        if nw <= 12 and comment_shape(lower, words, digits > 0):
            cshape[i] = 1
        if i and 3 <= nw <= 30 and title_words:
            hits = sum(map(title_words.__contains__, words))
            ts = hits / nwd
            tsim[i] = ts
            if ts >= 0.8 and headline < 0 and hits >= 3:
                headline = i
        furn[i] = cat
        is_furn = 1.0 if cat else 0.0
        if cat == "c" and nw <= 6:
            comments_seen = 1.0
        seps = 0
        for ch in _SEP_CHARS:
            if ch in line:
                seps += line.count(ch)
        if " - " in line:
            seps += line.count(" - ")
        first = line[:1]
        inv_nc = 1.0 / nc if nc else 0.0
        base.append([
            lw,
            log1p(nc),
            s_end,
            1.0 if last == ":" else 0.0,
            1.0 if line.endswith(_TEASER_ENDS) else 0.0,
            _clip(commas / nwd, 1.0),
            _clip(inner / nwd, 1.0),
            alpha * inv_nc,
            digits * inv_nc,
            title / nw if nw else 0.0,
            1.0 if alpha > 3 and line.upper() == line else 0.0,
            sd,
            log1p(nstop),
            _clip(alpha / nwd, 15.0) / 15.0,
            _clip(seps / nwd, 1.0),
            is_furn,
            is_furn if nw <= 4 else 0.0,
            1.0 if cat == "p" else 0.0,
            1.0 if cat == "f" or "©" in line else 0.0,
            1.0 if cat == "c" else 0.0,
            1.0 if cat == "s" else 0.0,
            1.0 if digits and _DATE.search(line) else 0.0,
            1.0 if ("http" in lower or "www." in lower or "@" in line or ".com" in lower) else 0.0,
            1.0 if (first in _BULLET_CHARS and line[1:2] == " ") or (first.isdigit() and line[1:3] in (". ", ") ")) else 0.0,
            1.0 if blank_before[i] else 0.0,
            1.0 if i + 1 == n or blank_before[i + 1] else 0.0,
            i * inv_n1,
            math.log(counts[line]),
            comments_seen,
        ])

    # runs of consecutive short lines (menus, link lists)
    short_run = [0] * n
    i = 0
    while i < n:
        if nwords[i] <= SHORT_WORDS:
            j = i
            while j < n and nwords[j] <= SHORT_WORDS:
                j += 1
            for k in range(i, j):
                short_run[k] = j - i
            i = j
        else:
            i += 1

    # blocks = maximal groups of lines without a blank line between them
    block_id = [0] * n
    b = -1
    for i in range(n):
        if i == 0 or blank_before[i]:
            b += 1
        block_id[i] = b
    nb = b + 1
    b_lines = [0] * nb
    b_words = [0] * nb
    b_sent = [0.0] * nb
    for i in range(n):
        bi = block_id[i]
        b_lines[bi] += 1
        b_words[bi] += nwords[i]
        b_sent[bi] += sent[i]

    # prose region: the window maximising sum(prose mass - cost per line)
    mass = [0.0] * n
    for i in range(n):
        nw = nwords[i]
        if nw >= 8 and (sent[i] or stopd[i] >= 0.2):
            mass[i] = float(nw)
    total_mass = sum(mass)
    cost = 2.0
    span = best_span([m - cost for m in mass])
    bs, be = span if span is not None else (0, n - 1)
    max_words = max(nwords) or 1
    cdf = 0.0
    page_log_lines = log1p(n) / 8.0
    prose_frac = total_mass / (sum(nwords) or 1)
    inv_mass = 1.0 / total_mass if total_mass else 0.0

    # distance to the nearest prose line above / below (prose = mass > 0)
    far = n + 1
    up = [far] * n
    down = [far] * n
    last = -1
    for i in range(n):
        if last >= 0:
            up[i] = i - last
        if mass[i]:
            last = i
    last = -1
    for i in range(n - 1, -1, -1):
        if last >= 0:
            down[i] = last - i
        if mass[i]:
            last = i
    pm = [0] * (n + 1)
    pc = [0] * (n + 1)
    for i in range(n):
        pm[i + 1] = pm[i] + (1 if mass[i] else 0)
        pc[i + 1] = pc[i] + cshape[i]
    total_c = pc[n]

    # ±2 window sums via prefix sums
    pw = [0.0] * (n + 1)
    ps = [0.0] * (n + 1)
    pe = [0.0] * (n + 1)
    for i in range(n):
        pw[i + 1] = pw[i] + logw[i]
        ps[i + 1] = ps[i] + stopd[i]
        pe[i + 1] = pe[i] + sent[i]

    rows = []
    for i in range(n):
        row = base[i]
        row.insert(27, row[26] * row[26])  # rel_pos_sq
        run = short_run[i]
        bi = block_id[i]
        nbl = b_lines[bi]
        if i < bs:
            dist = bs - i
        elif i > be:
            dist = i - be
        else:
            dist = 0
        if total_mass:
            before = cdf * inv_mass
            cdf += mass[i]
            c = 0.5 * (before + cdf * inv_mass)
        else:
            c = 0.5
        lo = i - 2 if i >= 2 else 0
        hi = i + 3 if i + 3 <= n else n
        inv = 1.0 / (hi - lo)
        lo5 = i - 5 if i >= 5 else 0
        hi5 = i + 6 if i + 6 <= n else n
        lu = log1p(up[i])
        ld = log1p(down[i])
        if headline >= 0:
            after_h = 1.0 if i > headline else 0.0
            dist_h = log1p(abs(i - headline)) / 5.0
        else:
            after_h = 0.5
            dist_h = 0.0
        row += (
            log1p(run),
            1.0 if run >= 3 else 0.0,
            log1p(nbl),
            log1p(b_words[bi] / nbl),
            b_sent[bi] / nbl,
            nwords[i] / max_words,
            1.0 if dist == 0 else 0.0,
            log1p(dist),
            c,
            c if c < 0.5 else 1.0 - c,
            page_log_lines,
            prose_frac,
            has_stop,
            logw[i - 1] if i > 0 else 0.0,
            logw[i + 1] if i + 1 < n else 0.0,
            sent[i - 1] if i > 0 else 0.0,
            sent[i + 1] if i + 1 < n else 0.0,
            stopd[i - 1] if i > 0 else 0.0,
            stopd[i + 1] if i + 1 < n else 0.0,
            (pw[hi] - pw[lo]) * inv,
            (ps[hi] - ps[lo]) * inv,
            (pe[hi] - pe[lo]) * inv,
            1.0 if i == 0 else 0.0,
            tsim[i],
            after_h,
            dist_h,
            float(cshape[i]),
            log1p(pc[i]),
            log1p(total_c - pc[i + 1]),
            lu,
            ld,
            lu if lu < ld else ld,
            lu if lu > ld else ld,
            (pm[hi5] - pm[lo5]) / (hi5 - lo5),
            1.0,
        )
        rows.append(row)
    stats = {
        "nwords": nwords, "sent": sent, "stop": stopd, "furniture": furn,
        "short_run": short_run, "block_id": block_id, "region": (bs, be),
        "mass": mass, "items": [i for i, line in enumerate(lines) if line[:1] in ITEM_FIRST],
    }
    return rows, stats


CONTEXT_FEATURES = (
    "logit_self", "mean_pm1", "mean_pm2", "mean_pm3", "mean_pm6", "mean_pm10",
    "max_prev3", "max_next3", "min_pm1", "block_mean", "block_max",
    "prev_logit", "next_logit", "span_in", "span_log_dist", "frac_pos_before",
    "frac_pos_after", "page_mean", "page_max",
)


def _logit(p: float) -> float:
    p = 1e-4 if p < 1e-4 else (0.9999 if p > 0.9999 else p)
    return math.log(p / (1.0 - p))


def context_features(p1: list[float], stats: dict, words: list[int]):
    """Second-pass feature rows from first-pass probabilities ``p1``."""
    n = len(p1)
    if n == 0:
        return []
    pre = [0.0] * (n + 1)
    pos = [0] * (n + 1)
    for i, p in enumerate(p1):
        pre[i + 1] = pre[i] + p
        pos[i + 1] = pos[i] + (1 if p >= 0.5 else 0)
    total_pos = pos[n]
    inv_pos = 1.0 / total_pos if total_pos else 0.0
    block_id = stats["block_id"]
    nb = block_id[-1] + 1
    b_sum = [0.0] * nb
    b_cnt = [0] * nb
    b_max = [0.0] * nb
    for i, p in enumerate(p1):
        bi = block_id[i]
        b_sum[bi] += p
        b_cnt[bi] += 1
        if p > b_max[bi]:
            b_max[bi] = p
    # article span: window maximising sum(weight * (p - 0.5))
    log1p = math.log1p
    span = best_span([(p - 0.5) * (1.0 + log1p(w)) for p, w in zip(p1, words)])
    bs, be = span if span is not None else (0, n - 1)
    page_mean = pre[n] / n
    page_max = max(p1)
    logits = [_logit(p) for p in p1]
    ext = [0.0, 0.0, 0.0] + p1 + [0.0, 0.0, 0.0]  # padded for max windows

    rows = []
    for i in range(n):
        bi = block_id[i]
        if i < bs:
            dist = bs - i
        elif i > be:
            dist = i - be
        else:
            dist = 0
        row = [logits[i]]
        for k in (1, 2, 3, 6, 10):
            lo = i - k if i >= k else 0
            hi = i + k + 1 if i + k + 1 <= n else n
            row.append((pre[hi] - pre[lo]) / (hi - lo))
        prv = p1[i - 1] if i > 0 else None
        nxt = p1[i + 1] if i + 1 < n else None
        if prv is None:
            mn = nxt if nxt is not None else 0.0
        elif nxt is None:
            mn = prv
        else:
            mn = prv if prv < nxt else nxt
        row += (
            max(ext[i:i + 3]),
            max(ext[i + 4:i + 7]),
            mn,
            b_sum[bi] / b_cnt[bi],
            b_max[bi],
            logits[i - 1] / 5.0 if i > 0 else -2.0,
            logits[i + 1] / 5.0 if i + 1 < n else -2.0,
            1.0 if dist == 0 else 0.0,
            log1p(dist),
            pos[i] * inv_pos,
            (total_pos - pos[i + 1]) * inv_pos,
            page_mean,
            page_max,
        )
        rows.append(row)
    return rows


# --------------------------------------------------------------------------
# optional C accelerator (cleaner/_speedups.c): the functions above stay the
# reference and the fallback; the C code computes the same rows bit for bit
# (tests/test_speedups.py compares the two).


def _load_speedups():
    """The configured C module, or None (not built, disabled, or out of step with this file)."""
    if os.environ.get("CLEANER_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        from .. import _speedups as mod
    except ImportError:
        return None
    # The C code computes exactly these columns: any change to them here disables it.
    if mod.N_LINE_FEATURES != len(LINE_FEATURES) or mod.N_CONTEXT_FEATURES != len(CONTEXT_FEATURES):
        return None
    if mod.PATTERNS != {"word": _WORD.pattern, "non_digit": _NON_DIGIT.pattern, "date": _DATE.pattern}:
        return None
    mod.configure(
        _FURN, _FURN_PREFIX, _COMMENT_FIRST, _COMMENT_SAYS, tuple(_COMMENT_CUES),
        _COMMENT_TIME.search, _DATE.search, _SENT_END, _CLOSERS, _BULLET_CHARS, _SEP_CHARS,
        tuple(_TEASER_ENDS), SHORT_WORDS,
    )
    return mod


#: The C module when it runs (None: pure Python). ``CLEANER_PURE_PYTHON=1`` forces Python.
speedups = _load_speedups()


def _c_vote_index() -> dict[str, int]:
    """The number of words of each language's stoplist in the C module's vote index, put in use
    on first use (empty: the C index is not in use). Then C votes, and the scorer looks a page's
    stop words up in it (:func:`stop_language`). Callers check ``speedups`` first (tests swap it
    for None to run the Python reference). Its keys, in order, are :func:`_stop_codes`.

    Once per process, under a lock: threads reaching it first at once must not put a second
    index in place of the first while another thread reads it (a page's C scorer holds the
    index's per-language table across allocations, which may switch threads)."""
    global _vote_index
    index = _vote_index
    if index is None:
        with _vote_index_lock:
            if _vote_index is None:
                _vote_index = _new_vote_index()
            index = _vote_index
    return index


_vote_index: dict[str, int] | None = None
_vote_index_lock = allocate_lock()


def _reset_vote_index() -> None:
    """Forget the index in use (tests that put another in place bring the shipped one back)."""
    global _vote_index
    _vote_index = None


def _new_vote_index() -> dict[str, int]:
    global vote_index_source
    if speedups is None:
        return {}
    key = _vote_index_key()
    kept = _load_kept_vote_index(key) if key is not None else None
    if kept is not None:
        vote_index_source = "kept"
        return dict(zip(*kept))
    # built in C from the stoplist files' text: the same table as from _stop_index(), without
    # building that dict, or the sets of stoplists(), in every process (the Python vote, the
    # reference, still does); then kept for the next processes
    codes = _text_codes()
    if not codes:
        return {}
    texts = _stoplist_texts()
    counts = speedups.stop_texts(tuple(texts[code] for code in codes))
    vote_index_source = "built"
    if key is not None:
        patterns.keep_mapped(VOTE_INDEX_CACHE, key, speedups.stop_table(), codes)
    return dict(zip(codes, counts))


#: Where this process's C vote index came from: "kept" (the cache file) or "built" (from the
#: stoplists); None before it is first used.
vote_index_source: str | None = None

#: The start-up cache file of the C vote index (cleaner.patterns.load_mapped: the index's blob,
#: the C ``stop_table()``, mapped into memory and looked up where it lies, its languages kept
#: beside it): building it from the stoplists' 1.1 million characters was a fifth of what a
#: process spent before its first page (40 M instructions, and 20 M to read the texts).
VOTE_INDEX_CACHE = "stop-index"


def _vote_index_key() -> tuple | None:
    """What a kept vote index was built from: the stoplist files (folder, names, sizes, times),
    the code that reads them (its module's source) and the C module's build (its index's
    layout); None when they cannot be read."""
    found = _stoplist_files()
    if found is None:
        return None
    try:
        built = os.stat(speedups.__file__)
    except (OSError, AttributeError, TypeError):
        return None
    reader = patterns.source_tag(_read_stoplists.__wrapped__)
    return (sys.byteorder, speedups.__file__, built.st_size, built.st_mtime_ns, found, reader)


def _load_kept_vote_index(key: tuple) -> tuple[tuple[str, ...], list[int]] | None:
    """The vote index an earlier process kept under ``key``, put in use in the C module: its codes
    and the number of words of each; None when none is kept for these stoplists and this build,
    or it is damaged (the C module checks its checksum and every offset; a refused index leaves
    the one in use, and one whose counts do not match its codes is then built again)."""
    kept = patterns.load_mapped(VOTE_INDEX_CACHE, key)
    if kept is None:
        return None
    codes, mapped = kept
    if not isinstance(codes, tuple) or not all(isinstance(c, str) for c in codes):
        return None
    try:
        counts = speedups.stop_load(mapped)  # (the blob at the file's start; the index holds the map)
    except Exception:  # not what this code writes, or damaged
        return None
    if len(counts) != len(codes):
        return None
    return codes, counts


def stop_language(lang: str | None) -> int | None:
    """The C scorer's ``stop`` for the stoplist of ``lang``: its number in the vote index (the
    same words, looked up without a str each), or None when the C index is not in use or the
    stoplist is missing or empty (the caller passes the frozenset, or None, instead)."""
    if lang is None or speedups is None or not _c_vote_index().get(lang):
        return None
    return _stop_numbers()[lang]


@lru_cache(maxsize=1)
def _stop_numbers() -> dict[str, int]:
    return {code: k for k, code in enumerate(_stop_codes())}
#: Which implementation computes the main-content features: "C" or "Python".
BACKEND = "C" if speedups is not None else "Python"
