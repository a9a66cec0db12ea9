"""Language tagging of articles with langdetect, seeded and on a bounded sample.

langdetect's Detector runs three Python loops per text (its n-gram extraction, its random
trials and their normalisations), and its factory builds a table of 87,598 n-grams x 55
languages as Python lists (0.3-0.5 s and ~45 MB per process). ``cleaner/_langdetect.c`` builds
that table sparse (184,129 pairs, ~6 MB) from the profiles read one at a time, and runs the
three loops in C with langdetect's exact result: the same ``langprob`` list bit for bit (see
that file). The kernel is used only for the
langdetect release it mirrors, and only after detections through it have matched langdetect's
own at start-up; otherwise (and without the C build) langdetect runs as it is.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from typing import Any, Iterator, Sequence

from .accel import c_module
from .document import Article
from .patterns import keep_mapped, load_mapped, source_tag

SAMPLE_CHARS = 600
SEED = 0  # langdetect is slow: sample the longest paragraphs, once per article
#: langdetect's random trials (its default is 7). On the 352 benchmark articles 3 trials give the
#: same language as 7 for every article, at half the cost; the n-gram extraction is the rest.
TRIALS = 3
#: The langdetect release whose Detector the C kernel mirrors (its last, from 2021).
KERNEL_FOR = "1.0.9"
#: The start-up cache file (cleaner.patterns.keep_mapped) of the kernel's table: the table, then
#: its languages, checksum and size; a process maps it and the kernel reads the table in place.
TABLE_CACHE = "langdetect-table"
#: The start-up check of the kernel against langdetect: several scripts, capitals, a URL, a
#: Vietnamese combining mark, runs of spaces (and a short prefix of it).
_CHECK_TEXT = (
    "Die Regierung hat am Dienstag  neue Regeln beschlossen, sagte ein Sprecher in BERLIN. "
    "Правительство объявило о новых правилах. Chính phủ đã công bố quy định mới. "
    "政府は新しい規則を発表した。 See https://example.org/a?b=c or mail a.b@example.org now."
)


class _Backend:
    """This process's langdetect: a DetectorFactory (its languages; its n-gram table too when
    langdetect runs as it is), the configured C kernel, or None for langdetect's own loops, and
    one Detector for what does not change from text to text (its parameters, the ranking of
    probabilities): read only, so shared by every detection (a new Detector also seeds a random
    generator from the system)."""

    def __init__(self, factory: Any, kernel: Any) -> None:
        self.factory = factory
        self.kernel = kernel
        self.reader = _detector(factory)


_backend: _Backend | None = None
_loading = allocate_lock()


def backend() -> _Backend | None:
    """Loaded once per process (read-only after); None without langdetect. The factory is
    cleaner's own, so langdetect's global one is left alone."""
    global _backend
    if _backend is None:
        with _loading:  # threads cleaning at once: one loads (the kernel's table is process-wide)
            if _backend is None:
                try:
                    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
                except ImportError:  # pragma: no cover - langdetect is a base dependency
                    return None
                factory = DetectorFactory()
                kernel = _kernel_on_profiles(factory, PROFILES_DIRECTORY)
                if kernel is None:
                    factory = DetectorFactory()
                    factory.load_profile(PROFILES_DIRECTORY)
                _backend = _Backend(factory, kernel)
    return _backend


def detect(paragraphs: Sequence[str]) -> str | None:
    """The language code of ``paragraphs`` (deterministic), or None when undecidable."""
    sample = sample_of(paragraphs)
    if not _has_letters(sample, 20):
        return None
    chosen = backend()
    if chosen is None:  # pragma: no cover - langdetect is a base dependency
        return None
    if chosen.kernel is None:
        probs = _langdetect_probs(_detector(chosen.factory), sample)  # (a Detector reads one text)
    else:
        probs = _kernel_probs(chosen.kernel, chosen.reader, sample)
    if probs is None:
        return None
    ranked = chosen.reader._sort_probability(probs)  # Detector.detect: the first of get_probabilities()
    return ranked[0].lang if ranked else chosen.reader.UNKNOWN_LANG


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


def _detector(factory: Any) -> Any:
    # Each detector owns its random generator; seeding it makes the result deterministic
    # without touching langdetect's global factory state.
    detector = factory.create()
    detector.seed = SEED
    detector.n_trial = TRIALS
    return detector


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
    """The C kernel's ``langprob`` for ``text`` (Detector.append's substitutions done here), or
    None when it finds no n-gram."""
    from langdetect.utils.ngram import NGram

    text = detector.URL_RE.sub(" ", text)
    text = detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    return kernel.detect(text, detector.n_trial, detector.alpha, detector.ALPHA_WIDTH, detector.ITERATION_LIMIT,
                         detector.CONV_THRESHOLD, detector.BASE_FREQ, detector.max_text_length)


def kernel_module() -> Any:
    """cleaner._langdetect when it is built, enabled and made for the installed langdetect."""
    kernel = c_module("_langdetect")
    if kernel is None:
        return None
    return kernel if _langdetect_version() == KERNEL_FOR else None


def _langdetect_version() -> str | None:
    """The installed langdetect's version: read off its one ``.dist-info`` directory beside the
    package (importing importlib.metadata costs 20-30 ms a process), else from importlib.metadata."""
    import langdetect

    root = os.path.dirname(os.path.dirname(os.path.abspath(langdetect.__file__)))
    try:
        found = [name for name in os.listdir(root) if name.startswith("langdetect-") and name.endswith(".dist-info")]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0][len("langdetect-"):-len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("langdetect")
    except PackageNotFoundError:  # pragma: no cover - langdetect is a base dependency
        return None


def iter_profiles(directory: str, names: list[str], probes: dict[str, dict[int, float]] | None = None,
                  ) -> Iterator[tuple[dict, list]]:
    """The (freq, n_words) of langdetect's profiles, read one at a time in the order
    DetectorFactory.load_profile adds them, each language appended to ``names``; ValueError for
    anything it would not load as expected. ``probes``: n-grams whose probability in each profile
    holding them is recorded, computed as DetectorFactory.add_profile computes it."""
    for filename in os.listdir(directory):
        path = os.path.join(directory, filename)
        if filename.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: not a profile langdetect loads as expected")
        name, freq, n_words = data.pop("name", None), data.pop("freq", None), data.pop("n_words", None)
        if data or name in names or not isinstance(freq, dict) or not isinstance(n_words, list):
            raise ValueError(f"{path}: not a profile langdetect loads as expected")
        for word, found in (probes or {}).items():
            if word in freq:
                found[len(names)] = 1.0 * freq[word] / n_words[len(word) - 1]
        names.append(name)
        yield freq, n_words


def _probe_grams() -> set[str]:
    """Every 1-3 character piece of the check text's words, lower case, alone and after a space."""
    grams = set()
    for word in _CHECK_TEXT.lower().split():
        for a in range(len(word)):
            for n in (1, 2, 3):
                if a + n <= len(word):
                    grams.add(word[a:a + n])
                    if n < 3:
                        grams.add(" " + word[a:a + n])
    return grams


class _TableRows:
    """langdetect's ``word_lang_prob_map`` read from the kernel's table: a Detector given it
    runs langdetect's own code on the kernel's floats (the start-up check)."""

    def __init__(self, kernel: Any) -> None:
        self.row = kernel.row

    def __contains__(self, word: object) -> bool:
        return self.row(word) is not None

    def __getitem__(self, word: str) -> list[float]:
        row = self.row(word)
        if row is None:
            raise KeyError(word)
        return row


def _kernel_on_profiles(factory: Any, directory: str) -> Any:
    """The C kernel configured with langdetect's profiles in ``directory`` and checked against
    langdetect; ``factory`` gets their languages. None (factory untouched) without the kernel,
    for profiles it does not expect, or when a check detection differs.

    The table built from the profiles (0.13 s of JSON and hashing) is kept in a start-up cache
    file (cleaner.patterns.keep_mapped), keyed by the profile files, langdetect's version, the
    kernel's build and this module's source, with a checksum; later processes map the file and
    the kernel reads the table where it lies (its layout is the one it has in memory: nothing is
    copied or hashed again; reading it out of a marshal file and building the hash table took
    8-10 ms a process). A table is checked when it is built: its floats against
    add_profile's, and the check detections against langdetect's own. A loaded one is not run
    against langdetect again (12 ms a process): its key holds all it was built from, the
    checksum finds damage, and the kernel checks its structure on loading (else the profiles
    are read again). Like the patterns' cache, it is trusted as bytecode is."""
    kernel = kernel_module()
    if kernel is None:
        return None
    import random  # (not at import: it costs every process ~15 million instructions)

    from langdetect.utils.ngram import NGram

    state = random.Random(SEED).getstate()
    key = _table_key(kernel, directory)
    names = _load_table(kernel, load_mapped(TABLE_CACHE, key) if key is not None else None, NGram.normalize, state)
    if names is None:
        names = _build_table(kernel, directory, NGram.normalize, state)
        if names is None or not _agrees_with_langdetect(kernel, names):
            return None
        if key is not None:
            table = kernel.table()
            keep_mapped(TABLE_CACHE, key, table, (names, zlib.crc32(table), len(table)))
    factory.langlist = names
    return kernel


def _build_table(kernel: Any, directory: str, normalize: Any, state: Any) -> list[str] | None:
    """The languages of the table built into ``kernel`` from the profiles, checked against the
    floats DetectorFactory.add_profile computes for the check text's n-grams; None when the
    profiles are not what the kernel expects or a row differs."""
    names: list[str] = []
    probes: dict[str, dict[int, float]] = {gram: {} for gram in _probe_grams()}
    try:
        kernel.configure(iter_profiles(directory, names, probes), normalize, state)
    except (OSError, ValueError, TypeError, ZeroDivisionError, OverflowError, RuntimeError):
        return None
    for gram, found in probes.items():
        row = [0.0] * len(names)
        for index, prob in found.items():
            row[index] = prob
        if kernel.row(gram) != (row if found else None):
            return None
    return names


def _agrees_with_langdetect(kernel: Any, names: list[str]) -> bool:
    """langdetect's own Detector, run on the kernel's table, gives the kernel's probabilities on
    the check text and a prefix of it."""
    from langdetect.detector_factory import DetectorFactory

    reference = DetectorFactory()
    reference.langlist = names
    reference.word_lang_prob_map = _TableRows(kernel)
    return all(
        _kernel_probs(kernel, _detector(reference), text) == _langdetect_probs(_detector(reference), text)
        for text in (_CHECK_TEXT, _CHECK_TEXT[:40])
    )


def _table_key(kernel: Any, directory: str) -> tuple | None:
    """What a cached table must have been built from: the profile files in the order langdetect
    reads them, their sizes and times; langdetect's version; the kernel's build; the code that
    builds it (its module's source). None when they cannot be read."""
    try:
        files = tuple((name, st.st_size, st.st_mtime_ns) for name in os.listdir(directory)
                      for st in (os.stat(os.path.join(directory, name)),))
        built = os.stat(kernel.__file__)
    except (OSError, AttributeError, TypeError):
        return None
    return (KERNEL_FOR, _langdetect_version(), sys.byteorder, kernel.__file__, built.st_size, built.st_mtime_ns,
            os.path.abspath(directory), files, source_tag(_build_table))


def _load_table(kernel: Any, kept: Any, normalize: Any, state: Any) -> list[str] | None:
    """The languages of the kept table (``((languages, checksum, size), map)``, the map starting
    with the table) loaded into ``kernel``, which reads it where it lies; None: nothing kept, a
    damaged file, or a table whose rows are not one float per language (the caller then
    configures the kernel from the profiles)."""
    try:
        (names, crc, size), mapped = kept
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return None
        table = memoryview(mapped)[:size]
        if crc != zlib.crc32(table):
            return None  # damaged on disk
        kernel.load_table(table, normalize, state)
    except Exception:  # nothing cached, or not what this code writes
        return None
    rows = [kernel.row(gram) for gram in ("a", "e", "o")]
    if not any(rows) or any(row is not None and len(row) != len(names) for row in rows):
        return None
    return names


def tag_languages(articles: Sequence[Article]) -> None:
    for article in articles:
        lang = detect(article.paragraphs)
        if lang:
            article.metadata["language"] = lang
