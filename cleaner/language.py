"""Language tagging of articles with langdetect, seeded and on a bounded sample.

langdetect's Detector runs three Python loops per text (its n-gram extraction, its random
trials and their normalisations); ``cleaner/_langdetect.c`` runs them in C with langdetect's
exact result, the same ``langprob`` list bit for bit (see that file). The kernel is used only
for the langdetect version it mirrors, and only after one detection through it has matched
langdetect's own at start-up; otherwise (and without the C build) langdetect runs as it is.
"""

from __future__ import annotations

import random
from typing import Any, Sequence

from .accel import c_module
from .document import Article

SAMPLE_CHARS = 600
SEED = 0  # langdetect is slow: sample the longest paragraphs, once per article
#: langdetect's random trials (its default is 7). On the 352 benchmark articles 3 trials give the
#: same language as 7 for every article, at half the cost; the n-gram extraction is the rest.
TRIALS = 3
#: The langdetect release whose Detector the C kernel mirrors (its last, from 2021).
KERNEL_FOR = "1.0.9"
#: The start-up check of the kernel against langdetect: several scripts, capitals, a URL, a
#: Vietnamese combining mark, runs of spaces.
_CHECK_TEXT = (
    "Die Regierung hat am Dienstag  neue Regeln beschlossen, sagte ein Sprecher in BERLIN. "
    "Правительство объявило о новых правилах. Chính phủ đã công bố quy định mới. "
    "政府は新しい規則を発表した。 See https://example.org/a?b=c or mail a.b@example.org now."
)

#: The configured C module, False when langdetect must run as it is, None before the first use.
_kernel: Any = None


def detect(paragraphs: Sequence[str]) -> str | None:
    """The language code of ``paragraphs`` (deterministic), or None when undecidable."""
    sample = sample_of(paragraphs)
    if not _has_letters(sample, 20):
        return None
    try:
        from langdetect import detector_factory
    except ImportError:  # pragma: no cover - langdetect is a base dependency
        return None
    if detector_factory._factory is None:
        detector_factory.init_factory()  # loads the language profiles once per process (read-only)
    detector = detector_factory._factory.create()
    # Each detector owns its random generator; seeding it makes the result deterministic
    # without touching langdetect's global factory state.
    detector.seed = SEED
    detector.n_trial = TRIALS
    kernel = _configured_kernel(detector_factory._factory)
    probs = _kernel_probs(kernel, detector, sample) if kernel else _langdetect_probs(detector, sample)
    if probs is None:
        return None
    detector.langprob = probs
    return detector.detect()


def sample_of(paragraphs: Sequence[str]) -> str:
    """What langdetect reads of an article: its longest paragraphs, up to SAMPLE_CHARS."""
    sample = ""
    for p in sorted(paragraphs, key=lambda p: (-len(p), p)):
        sample += p + "\n"
        if len(sample) >= SAMPLE_CHARS:
            break
    return sample[:SAMPLE_CHARS]


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters (``str.isalpha``)."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n == 0:
                return True
    return False


def _langdetect_probs(detector: Any, text: str) -> list[float] | None:
    """langdetect's own ``langprob`` for ``text``, or None when it finds no n-gram."""
    from langdetect.lang_detect_exception import LangDetectException

    detector.append(text)
    try:
        detector.get_probabilities()
    except LangDetectException:
        return None
    return list(detector.langprob)


def _kernel_probs(kernel: Any, detector: Any, text: str) -> list[float] | None:
    """The C kernel's ``langprob`` for ``text`` (Detector.append's substitutions done here)."""
    from langdetect.utils.ngram import NGram

    text = detector.URL_RE.sub(" ", text)
    text = detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    return kernel.detect(text, detector.n_trial, detector.alpha, detector.ALPHA_WIDTH, detector.ITERATION_LIMIT,
                         detector.CONV_THRESHOLD, detector.BASE_FREQ, detector.max_text_length)


def _configured_kernel(factory: Any) -> Any:
    global _kernel
    if _kernel is None:
        _kernel = _configure(factory) or False
    return _kernel


def _configure(factory: Any) -> Any:
    """The C kernel set up on ``factory``'s profiles, or None (not built, another langdetect, or
    its start-up detection differs from langdetect's)."""
    kernel = c_module("_langdetect")
    if kernel is None:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        if version("langdetect") != KERNEL_FOR:
            return None
    except PackageNotFoundError:  # pragma: no cover - imported above, so installed
        return None
    from langdetect.utils.ngram import NGram

    try:
        kernel.configure(factory.word_lang_prob_map, len(factory.langlist), NGram.normalize,
                         random.Random(SEED).getstate())
    except (ValueError, TypeError):
        return None
    fresh = factory.create
    for text in (_CHECK_TEXT, _CHECK_TEXT[:40]):
        ours, theirs = fresh(), fresh()
        for d in (ours, theirs):
            d.seed, d.n_trial = SEED, TRIALS
        if _kernel_probs(kernel, ours, text) != _langdetect_probs(theirs, text):
            return None
    return kernel


def tag_languages(articles: Sequence[Article]) -> None:
    for article in articles:
        lang = detect(article.paragraphs)
        if lang:
            article.metadata["language"] = lang
