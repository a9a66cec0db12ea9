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

import importlib.util
import math
import os
import re
from functools import lru_cache

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
def stoplists() -> dict[str, frozenset[str]]:
    """jusText stoplists of the languages in ``_LANG_CODES``, keyed by ISO code."""
    out: dict[str, frozenset[str]] = {}
    try:
        spec = importlib.util.find_spec("justext")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return out
    folder = os.path.join(list(spec.submodule_search_locations)[0], "stoplists")
    for name, code in _LANG_CODES.items():
        path = os.path.join(folder, name + ".txt")
        try:
            with open(path, encoding="utf-8") as fh:
                words = frozenset(w.strip().lower() for w in fh if w.strip())
        except OSError:
            continue
        out[code] = words
    return out


@lru_cache(maxsize=1)
def _stop_index() -> dict[str, tuple[str, ...]]:
    """word -> languages whose stoplist has it (for the fast language vote)."""
    index: dict[str, list[str]] = {}
    for code, words in sorted(stoplists().items()):
        for w in words:
            index.setdefault(w, []).append(code)
    return {w: tuple(c) for w, c in index.items()}


_WORD = re.compile(r"\w+")


def detect_language(lines: list[str], sample_lines: int = 12, max_words: int = 400) -> str | None:
    """Detect the page language by a stopword vote on its longest lines.

    Deterministic and ~50x faster than langdetect: every word of a sample of
    the longest lines votes for the languages whose jusText stoplist contains
    it; the language with most votes wins (ties broken by code). Returns None
    when nothing votes (no stoplist words: e.g. Chinese, or a numbers page).
    """
    if not lines:
        return None
    longest = sorted(range(len(lines)), key=lambda i: (-len(lines[i]), i))[:sample_lines]
    index = _stop_index()
    votes: dict[str, int] = {}
    n = 0
    for i in sorted(longest):
        for w in _WORD.findall(lines[i].lower()):
            langs = index.get(w)
            if langs:
                for c in langs:
                    votes[c] = votes.get(c, 0) + 1
            n += 1
            if n >= max_words:
                break
        if n >= max_words:
            break
    if not votes:
        return None
    best = max(votes.values())
    if best < 3:
        return None
    return min(c for c, v in votes.items() if v == best)


# --------------------------------------------------------------------------
# line features

_SENT_END = frozenset(".!?…。！？")
_CLOSERS = "\"'”’»)]"
# short lines that are typical page furniture in many languages; one weak
# feature among many (the model learns its weight), not the main signal
_FURNITURE = re.compile(
    r"cookie|newsletter|subscri|abonn|sign.?in|sign.?up|log.?in|log.?out|registr|anmeld|"
    r"connexion|inscri|share|teilen|partag|compart|condivid|print|drucken|imprim|"
    r"comment|kommentar|read more|weiterlesen|lire la suite|leer m[aá]s|mehr zum|"
    r"advertis|anzeige|werbung|publicit|pubblicit|privacy|datenschutz|impressum|"
    r"copyright|rights reserved|droits r[ée]serv|rechte vorbehalten|terms|"
    r"contact|kontakt|follow us|folge|suivez|facebook|twitter|instagram|whatsapp|"
    r"linkedin|pinterest|youtube|e-?mail|menu|men[üu]|search|suche|recherch|buscar|"
    r"home|startseite|accueil|inicio|mehr|more|plus|tags?\b|related|[äa]hnliche",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}:\d{2}\b|\b(19|20)\d\d\b")
_SEPARATORS = re.compile(r"[|»›•·/>]|\s-\s")
_NON_ALPHA = re.compile(r"[\W\d_]+")
_NON_DIGIT = re.compile(r"\D+")
_BULLET = re.compile(r"^(?:[-–—•*·▪►]|\d{1,3}[.)])\s")
_URLISH = re.compile(r"https?:|www\.|\.com\b|\.de\b|@\w")
_TEASER_END = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\]|»|›|>)$")

SHORT_WORDS = 4  # a line with at most this many words is "short"

LINE_FEATURES = (
    "log_words", "log_chars", "sent_end", "colon_end", "teaser_end", "commas",
    "inner_punct", "alpha", "digits", "title_words", "all_caps", "stop_density",
    "log_stops", "avg_word_len", "separators", "furniture", "furniture_short",
    "date", "urlish", "bullet", "blank_before", "blank_after", "rel_pos",
    "rel_pos_sq", "log_repeat", "log_short_run", "in_short_run", "block_log_lines",
    "block_log_words_per_line", "block_sent_frac", "rel_words_to_max", "in_region",
    "log_dist_region", "prose_cdf", "prose_cdf_edge", "page_log_lines", "page_prose_frac",
    "has_stoplist", "prev_log_words", "next_log_words", "prev_sent_end",
    "next_sent_end", "prev_stop", "next_stop", "win5_log_words", "win5_stop",
    "win5_sent", "is_first", "bias",
)


def _clip(x: float, hi: float) -> float:
    return x if x < hi else hi


def line_features(lines: list[str], blank_before: list[bool], stop: frozenset[str] | None):
    """First-pass feature rows (lists of floats, order of ``LINE_FEATURES``).

    Also returns the per-line raw statistics used by the region finder and by
    :func:`context_features` / the verdict labelling: a dict of lists.
    """
    n = len(lines)
    if n == 0:
        return [], {}
    stop = stop or frozenset()
    has_stop = 1.0 if stop else 0.0
    nwords = [0] * n
    sent = [0.0] * n
    stopd = [0.0] * n
    furn = [0.0] * n
    base = []
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    for i, line in enumerate(lines):
        toks = line.split()
        nw = len(toks)
        nc = len(line)
        nwords[i] = nw
        core = line.rstrip(_CLOSERS)
        last = core[-1:] if core else ""
        s_end = 1.0 if last in _SENT_END else 0.0
        sent[i] = s_end
        words = _WORD.findall(line.lower())
        nwd = len(words) or 1
        nstop = 0
        if stop:
            for w in words:
                if w in stop:
                    nstop += 1
        sd = nstop / nwd
        stopd[i] = sd
        alpha = len(_NON_ALPHA.sub("", line))
        digits = len(_NON_DIGIT.sub("", line))
        title = 0
        for t in toks:
            if t[:1].isupper():
                title += 1
        commas = line.count(",")
        inner = commas + line.count(";") + line.count(".") + line.count("?") + line.count("!")
        is_furn = 1.0 if nw <= 12 and _FURNITURE.search(line) else 0.0
        furn[i] = is_furn
        base.append([
            math.log1p(nw),
            math.log1p(nc),
            s_end,
            1.0 if last == ":" else 0.0,
            1.0 if _TEASER_END.search(line) else 0.0,
            _clip(commas / nwd, 1.0),
            _clip(inner / nwd, 1.0),
            alpha / nc if nc else 0.0,
            digits / nc if nc else 0.0,
            title / nw if nw else 0.0,
            1.0 if alpha > 3 and line.upper() == line else 0.0,
            sd,
            math.log1p(nstop),
            _clip(alpha / nwd, 15.0) / 15.0,
            _clip(len(_SEPARATORS.findall(line)) / nwd, 1.0),
            is_furn,
            is_furn if nw <= 4 else 0.0,
            1.0 if _DATE.search(line) else 0.0,
            1.0 if _URLISH.search(line) else 0.0,
            1.0 if _BULLET.match(line) else 0.0,
            1.0 if blank_before[i] else 0.0,
            1.0 if (i + 1 < n and blank_before[i + 1]) or i + 1 == n else 0.0,
            i / (n - 1) if n > 1 else 0.0,
            0.0,  # rel_pos_sq, below
            math.log(counts[line]),
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
    best = cur = 0.0
    start = bs = be = 0
    found = False
    for i in range(n):
        v = mass[i] - cost
        if cur <= 0.0:
            cur = v
            start = i
        else:
            cur += v
        if cur > best:
            best, bs, be, found = cur, start, i, True
    if not found:
        bs, be = 0, n - 1
    max_words = max(nwords) or 1
    cdf = 0.0
    page_log_lines = math.log1p(n) / 8.0
    prose_frac = total_mass / (sum(nwords) or 1)

    rows = []
    for i in range(n):
        row = base[i]
        row[23] = row[22] * row[22]
        run = short_run[i]
        bi = block_id[i]
        nbl = b_lines[bi]
        if i < bs:
            dist = bs - i
        elif i > be:
            dist = i - be
        else:
            dist = 0
        before = cdf / total_mass if total_mass else 0.5
        cdf += mass[i]
        after = cdf / total_mass if total_mass else 0.5
        c = 0.5 * (before + after)
        lo = max(0, i - 2)
        hi = min(n, i + 3)
        span = hi - lo
        w5 = 0.0
        s5 = 0.0
        e5 = 0.0
        for k in range(lo, hi):
            w5 += base[k][0]
            s5 += stopd[k]
            e5 += sent[k]
        row.extend([
            math.log1p(run),
            1.0 if run >= 3 else 0.0,
            math.log1p(nbl),
            math.log1p(b_words[bi] / nbl),
            b_sent[bi] / nbl,
            nwords[i] / max_words,
            1.0 if dist == 0 else 0.0,
            math.log1p(dist),
            c,
            min(c, 1.0 - c),
            page_log_lines,
            prose_frac,
            has_stop,
            base[i - 1][0] if i > 0 else 0.0,
            base[i + 1][0] if i + 1 < n else 0.0,
            sent[i - 1] if i > 0 else 0.0,
            sent[i + 1] if i + 1 < n else 0.0,
            stopd[i - 1] if i > 0 else 0.0,
            stopd[i + 1] if i + 1 < n else 0.0,
            w5 / span,
            s5 / span,
            e5 / span,
            1.0 if i == 0 else 0.0,
            1.0,
        ])
        rows.append(row)
    stats = {
        "nwords": nwords, "sent": sent, "stop": stopd, "furniture": furn,
        "short_run": short_run, "block_id": block_id, "region": (bs, be),
        "mass": mass,
    }
    return rows, stats


CONTEXT_FEATURES = (
    "logit_self", "mean_pm1", "mean_pm2", "mean_pm3", "mean_pm6", "mean_pm10",
    "max_prev3", "max_next3", "min_pm1", "block_mean", "block_max",
    "prev_logit", "next_logit", "span_in", "span_log_dist", "frac_pos_before",
    "frac_pos_after", "page_mean", "page_max",
)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def context_features(p1: list[float], stats: dict, words: list[int]):
    """Second-pass feature rows from first-pass probabilities ``p1``."""
    n = len(p1)
    if n == 0:
        return []
    # prefix sums for window means
    pre = [0.0] * (n + 1)
    for i, p in enumerate(p1):
        pre[i + 1] = pre[i] + p
    # prefix of "confident content" counts for before/after fractions
    pos = [0] * (n + 1)
    for i, p in enumerate(p1):
        pos[i + 1] = pos[i] + (1 if p >= 0.5 else 0)
    total_pos = pos[n]
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
    best = cur = 0.0
    start = bs = be = 0
    found = False
    for i in range(n):
        v = (p1[i] - 0.5) * (1.0 + math.log1p(words[i]))
        if cur <= 0.0:
            cur = v
            start = i
        else:
            cur += v
        if cur > best:
            best, bs, be, found = cur, start, i, True
    if not found:
        bs, be = 0, n - 1
    page_mean = pre[n] / n
    page_max = max(p1)

    def mean(lo: int, hi: int) -> float:
        lo = max(lo, 0)
        hi = min(hi, n)
        return (pre[hi] - pre[lo]) / (hi - lo)

    rows = []
    for i in range(n):
        p = p1[i]
        prev3 = p1[max(0, i - 3):i]
        next3 = p1[i + 1:i + 4]
        bi = block_id[i]
        if i < bs:
            dist = bs - i
        elif i > be:
            dist = i - be
        else:
            dist = 0
        nbr = []
        if i > 0:
            nbr.append(p1[i - 1])
        if i + 1 < n:
            nbr.append(p1[i + 1])
        rows.append([
            _logit(p),
            mean(i - 1, i + 2),
            mean(i - 2, i + 3),
            mean(i - 3, i + 4),
            mean(i - 6, i + 7),
            mean(i - 10, i + 11),
            max(prev3) if prev3 else 0.0,
            max(next3) if next3 else 0.0,
            min(nbr) if nbr else 0.0,
            b_sum[bi] / b_cnt[bi],
            b_max[bi],
            _logit(p1[i - 1]) / 5.0 if i > 0 else -2.0,
            _logit(p1[i + 1]) / 5.0 if i + 1 < n else -2.0,
            1.0 if dist == 0 else 0.0,
            math.log1p(dist),
            pos[i] / total_pos if total_pos else 0.0,
            (total_pos - pos[i + 1]) / total_pos if total_pos else 0.0,
            page_mean,
            page_max,
        ])
    return rows
