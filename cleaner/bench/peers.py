"""Peer systems the cleaner is compared with, and the README's reference figures.

Every peer is optional: its library is imported only when the peer is built,
and a missing library becomes :class:`PeerUnavailable` (shown as
"not installed (pip install .[bench])"), never an import error at start-up.

Text-input peers (they see the same raw dump as the cleaner):

* ``c4``: datatrove's ``C4QualityFilter`` used as a line filter. Its line rules
  are kept as shipped (terminal punctuation, at least 3 words, no
  "javascript", no cookie/terms-of-use lines, no 1000-char words, citation
  markers removed). Two page-level drops are switched off: the "at least 5
  sentences" page filter (it needs NLTK's punkt model, which is downloaded at
  run time) and the "page contains ``{``" drop (html-text dumps of real pages
  carry inline scripts and JSON, so it would empty pages for reasons unrelated
  to line quality). The "lorem ipsum" page drop stays. A dropped page is an
  empty output. This setup reproduces the README's figures to within 0.003 F1.
* ``justext``: jusText with each non-blank line as a ``<p>``; English stoplist
  for scrapinghub (an English set), the langdetect language (seed 0) for the
  multilingual trafilatura set, English when detection fails or jusText has
  no stoplist for the language.
* ``trafilatura-text``: ``trafilatura.extract`` on the lines wrapped as ``<p>``.

HTML-input peer:

* ``trafilatura``: ``trafilatura.extract`` on the page's HTML with default
  settings, ``deduplicate=False``, ``include_comments=False``, plain text.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any, Callable

from ..html import quiet_extractor_logs

TextFn = Callable[[str], str]

INSTALL_HINT = "not installed (pip install .[bench])"


class PeerUnavailable(Exception):
    """A peer's library is missing; the message is shown in place of its scores."""


def _missing(exc: ImportError) -> PeerUnavailable:
    return PeerUnavailable(f"{INSTALL_HINT}; {type(exc).__name__}: {exc}")


def lines_as_paragraphs(raw: str) -> str:
    """The raw dump as HTML, each non-blank line one ``<p>`` (escaped)."""
    body = "".join(f"<p>{html.escape(line.strip())}</p>" for line in raw.splitlines() if line.strip())
    return f"<html><body>{body}</body></html>"


# ---------------------------------------------------------------- C4 (datatrove)


def c4_line_filter() -> TextFn:
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters.c4_filters import C4QualityFilter
    except ImportError as exc:
        raise _missing(exc) from None

    return _c4_runner(C4QualityFilter(min_num_sentences=-1, filter_curly_bracket=False), Document)


def _c4_runner(c4: Any, document: Any) -> TextFn:
    """The text a C4 filter leaves of a raw dump: its lines filtered, or nothing when it drops the
    whole document."""

    def run(raw: str) -> str:
        doc = document(text=raw, id="page")
        result = c4.filter(doc)
        kept = result[0] if isinstance(result, tuple) else bool(result)
        return doc.text if kept else ""

    return run


def c4_default_filter() -> TextFn:
    """datatrove's ``C4QualityFilter`` with its defaults, the configuration datatrove pipelines run.

    Its sentence count (``min_num_sentences=5``) splits every line into sentences with a spacy
    tokenizer, which is most of its cost; the line filter above turns that count off. This row
    is the one issue 5's "C4 line filter 0.29 MB/s" refers to. spacy is not in the ``bench``
    extra (it is large): without it the row says so.
    """
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters.c4_filters import C4QualityFilter
    except ImportError as exc:
        raise _missing(exc) from None

    c4 = C4QualityFilter()
    try:  # the tokenizer is loaded on the first document
        c4.filter(Document(text="A first sentence here. A second one follows it.", id="probe"))
    except ImportError as exc:
        raise PeerUnavailable(f"needs spacy (pip install spacy); {type(exc).__name__}: {exc}") from None
    return _c4_runner(c4, Document)


# ---------------------------------------------------------------- jusText

#: langdetect language code -> jusText stoplist name (languages jusText covers).
LANGDETECT_TO_JUSTEXT: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "kn": "Kannada", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip
DEFAULT_STOPLIST = "English"


@lru_cache(maxsize=None)
def _stoplist(name: str) -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist(name))


def justext_lines(language: str | None = DEFAULT_STOPLIST) -> TextFn:
    """jusText, lines as paragraphs; ``language=None`` picks the stoplist per page."""
    quiet_extractor_logs()
    try:
        import justext
    except ImportError as exc:
        raise _missing(exc) from None
    detect: Callable[[str], str] | None = None
    if language is None:
        try:
            from langdetect import DetectorFactory
            from langdetect import detect as _detect
            from langdetect.lang_detect_exception import LangDetectException
        except ImportError as exc:
            raise _missing(exc) from None
        DetectorFactory.seed = 0

        def detect(text: str) -> str:
            DetectorFactory.seed = 0  # deterministic whatever ran before
            try:
                code = _detect(text)
            except LangDetectException:
                return DEFAULT_STOPLIST
            return LANGDETECT_TO_JUSTEXT.get(code, DEFAULT_STOPLIST)

    def run(raw: str) -> str:
        if not raw.strip():
            return ""
        name = detect(raw) if detect is not None else language or DEFAULT_STOPLIST
        paragraphs = justext.justext(lines_as_paragraphs(raw), _stoplist(name))
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


# ---------------------------------------------------------------- trafilatura


def _trafilatura_extract() -> Callable[..., str | None]:
    quiet_extractor_logs()
    try:
        from trafilatura import extract
    except ImportError as exc:
        raise _missing(exc) from None
    return extract


def trafilatura_lines() -> TextFn:
    extract = _trafilatura_extract()

    def run(raw: str) -> str:
        if not raw.strip():
            return ""
        return extract(lines_as_paragraphs(raw), deduplicate=False, include_comments=False) or ""

    return run


def trafilatura_html() -> TextFn:
    extract = _trafilatura_extract()

    def run(page_html: str) -> str:
        if not page_html.strip():
            return ""
        return extract(page_html, deduplicate=False, include_comments=False, output_format="txt") or ""

    return run


# ---------------------------------------------------------------- reference figures

#: (set, input, system) -> (F1, precision, recall), from ../shared/bench/README.md.
REFERENCE: dict[tuple[str, str, str], tuple[float, float, float]] = {
    ("scrapinghub", "text", "none"): (0.673, 0.509, 0.996),
    ("scrapinghub", "text", "c4"): (0.819, 0.800, 0.839),
    ("scrapinghub", "text", "justext"): (0.750, 0.743, 0.757),
    ("scrapinghub", "text", "trafilatura-text"): (0.703, 0.544, 0.993),
    ("scrapinghub", "html", "trafilatura"): (0.956, 0.942, 0.970),
    ("trafilatura", "text", "none"): (0.690, 0.530, 0.990),
    ("trafilatura", "text", "c4"): (0.776, 0.768, 0.784),
    ("trafilatura", "text", "trafilatura-text"): (0.690, 0.532, 0.983),
    # the README's 0.917 for trafilatura on HTML is over all 990 pages, not this dev split
}
