"""The C kernel of langdetect's detection (cleaner/_langdetect.c) against langdetect itself.

The kernel must return langdetect's ``langprob`` list bit for bit (floats compared by their
IEEE bytes) for the same text, trials and seed: on the articles of the benchmark dumps, the
seeds, and generated text of many scripts. Skipped when the extension is not built or is
disabled (CLEANER_PURE_PYTHON=1); the fallback tests run either way.
"""

from __future__ import annotations

import random
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import language as L
from cleaner.accel import c_module
from cleaner.api import make_engine

from conftest import SEEDS, bench_pages

langdetect = pytest.importorskip("langdetect")
from langdetect import detector_factory  # noqa: E402

KERNEL = c_module("_langdetect")
needs_kernel = pytest.mark.skipif(
    KERNEL is None,
    reason="langdetect C kernel not built or disabled (build: pip install -e . with a C compiler; "
           "CLEANER_PURE_PYTHON unset)",
)


def langdetect_factory():
    """langdetect's own factory, loaded by langdetect (the reference)."""
    if detector_factory._factory is None:
        detector_factory.init_factory()
    return detector_factory._factory


def detector(factory, trials: int = L.TRIALS, max_len: int | None = None):
    d = factory.create()
    d.seed, d.n_trial = L.SEED, trials
    if max_len is not None:
        d.max_text_length = max_len
    return d


def bits(probs):
    return None if probs is None else [struct.pack("<d", p) for p in probs]


def kernel():
    chosen = L.backend()
    assert chosen.kernel is not None, "the kernel failed its start-up check against langdetect"
    return chosen.kernel


def assert_same(text: str, trials: int = L.TRIALS, max_len: int | None = None) -> None:
    ours = L._kernel_probs(kernel(), detector(L.backend().factory, trials, max_len), text)
    theirs = L._langdetect_probs(detector(langdetect_factory(), trials, max_len), text)
    assert bits(ours) == bits(theirs), text[:200]


def samples(raws):
    engine = make_engine(language=False)
    out = []
    for raw in raws:
        for article in engine.clean(raw).articles:
            out.append(L.sample_of(article.paragraphs))
    return out


@needs_kernel
def test_the_kernels_table_is_langdetects():
    ours, theirs = L.backend().factory, langdetect_factory()
    assert ours.langlist == theirs.langlist
    table = theirs.word_lang_prob_map
    for word, row in table.items():
        if 1 <= len(word) <= 3:
            assert bits(kernel().row(word)) == bits(row), word
        else:  # never an n-gram of a text
            assert kernel().row(word) is None
    for absent in ("", "\x00", "zzzz", "\U0001f600", "q\U0001f600"):
        assert absent not in table and kernel().row(absent) is None


def test_detect_gives_langdetects_tag():
    """detect() ranks the probabilities with one shared Detector: the tag langdetect's own
    Detector.detect() gives for the same sample (or None where langdetect finds no n-gram)."""
    from langdetect.lang_detect_exception import LangDetectException

    engine = make_engine(language=False)
    articles = [a.paragraphs for p in SEEDS for a in engine.clean(p.read_text(encoding="utf-8")).articles]
    articles += [["Die Regierung hat am Dienstag neue Regeln beschlossen, sagte ein Sprecher."],
                 ["Правительство объявило о новых правилах для всех жителей страны."], ["1234 5678 " * 5 + "abcdefghijklmnopqrstu"],
                 # two languages over langdetect's 0.1 threshold: the ranking decides
                 ["Le gouvernement a annoncé de nouvelles règles. El gobierno anunció nuevas reglas el martes."],
                 ["Die Regierung hat neue Regeln. Het kabinet heeft nieuwe regels aangekondigd."]]
    assert len(articles) > 10
    for paragraphs in articles:
        reference = detector(langdetect_factory())
        reference.append(L.sample_of(paragraphs))
        try:
            expected = reference.detect()
        except LangDetectException:
            expected = None
        assert L.detect(paragraphs) == expected, paragraphs[:1]


@needs_kernel
def test_the_kernel_equals_langdetect_on_the_seeds():
    texts = samples(p.read_text(encoding="utf-8") for p in SEEDS)
    assert texts
    for text in texts:
        assert_same(text)


@needs_kernel
def test_the_kernel_equals_langdetect_on_the_benchmark_articles():
    texts = samples(raw for _, raw in bench_pages())
    assert len(texts) >= 300
    for text in texts:
        assert_same(text)
    # whole pages too: long texts, every kind of furniture, langdetect's 10,000-character cut
    for _, raw in bench_pages()[::25]:
        assert_same(raw[:30000])


#: Alphabets with every branch of NGram.normalize and cleaning_text: Basic Latin (letters,
#: capitals, punctuation, digits), Latin-1 (with excluded signs), Latin Extended-B (Romanian
#: commas), General Punctuation, Arabic (Farsi yeh), Latin Extended Additional (Vietnamese),
#: Hiragana, Katakana, Bopomofo, CJK (mapped and not), Hangul, Cyrillic, Greek, Devanagari,
#: combining marks, astral characters.
ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "  \n\t.,;:!?'\"()-[]\\^_`{|}~0123456789",
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ×÷¡¿«»°ßÀÉÖÜ", "șțȘȚǎǐ", "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022",
    "ابتثجحخدذرسشصضطظعغفقكلمنهوي\u06cc\u064a", "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ\u1e00\u1e9f",
    "あいうえおかきくけこ", "アイウエオカキクケコ", "ㄅㄆㄇㄈ", "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年",
    "한국어텍스트입니다", "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗ", "αβγδεζηθικλμνξοπρστυφχψωΑΒΓ",
    "हिन्दीभाषा", "\u0300\u0301\u0303\u0309\u0323", "😀🎉𝔘𝔫𝔦𠀀",
]


@st.composite
def scripts_text(draw):
    words = draw(st.lists(
        st.tuples(st.sampled_from(ALPHABETS), st.integers(1, 12)), min_size=1, max_size=40))
    pieces = []
    for alphabet, n in words:
        pieces.append("".join(draw(st.sampled_from(alphabet)) for _ in range(n)))
        pieces.append(draw(st.sampled_from([" ", "  ", "   ", "", "\n", ". "])))
    if draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(st.sampled_from(
            [" https://example.com/a-b?c=1 ", " mail.me@example.org ", " Ａ ", " NATO EU UN "])))
    return "".join(pieces)


@needs_kernel
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts_text(), st.sampled_from([1, 3, 7]), st.sampled_from([None, 1, 17, 200]))
def test_the_kernel_equals_langdetect_on_generated_text(text, trials, max_len):
    assert_same(text, trials, max_len)


@needs_kernel
@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_the_kernel_equals_langdetect_on_any_text(text):
    assert_same(text)


@needs_kernel
@pytest.mark.parametrize("text", [
    # cleaning_text counts every character from U+0300 up as non-Latin, Vietnamese letters
    # (Latin Extended Additional) included, and then drops the ASCII letters
    "ạảấ ầẩẫ ậắằ ẳẵặ ẹẻẽ ếềể abc de",
    "ạảấ ầẩẫ ậắằ abcdefgh ijk",
    "مرحبا بكم في الموقع abc NATO",
    "政府は新しい規則を発表した abc",
    # capitals: a run of two is skipped, a lone one is not
    "NATO and the EU met; Ab Cd EF gh IJK lmn O p",
])
def test_the_kernel_equals_langdetect_on_edge_texts(text):
    assert_same(text)


@needs_kernel
def test_the_kernel_finds_no_n_gram_where_langdetect_finds_none():
    for text in ("", "   ", "12345 !!! ...", "\u2013 \u2026 \u2014 2024 \U0001f600"):
        assert L._langdetect_probs(detector(langdetect_factory()), text) is None
        assert L._kernel_probs(kernel(), detector(L.backend().factory), text) is None


def fresh_backend(monkeypatch):
    """A backend loaded again (the process's own is restored after the test)."""
    monkeypatch.setattr(L, "_backend", None)
    return L.backend()


def test_the_version_read_beside_the_package_is_importlib_metadatas():
    from importlib.metadata import version

    assert L._langdetect_version() == version("langdetect")


@needs_kernel
def test_the_kernel_is_refused_for_another_langdetect(monkeypatch):
    monkeypatch.setattr(L, "_langdetect_version", lambda: "1.0.10")
    chosen = fresh_backend(monkeypatch)
    assert chosen.kernel is None and len(chosen.factory.word_lang_prob_map) == 87598


@needs_kernel
def test_the_kernel_is_refused_when_its_start_up_detection_differs(monkeypatch):
    real = L._kernel_probs

    def off_by_one_ulp(kernel, det, text):
        probs = real(kernel, det, text)
        return [probs[0] * (1 + 2 ** -52)] + probs[1:]

    monkeypatch.setattr(L, "_kernel_probs", off_by_one_ulp)
    # the check runs when the table is built (a kept table was checked when it was built, and
    # its key holds the code that made it): nothing kept here
    kept = []
    monkeypatch.setattr(L, "load_mapped", lambda name, key: None)
    monkeypatch.setattr(L, "keep_mapped", lambda name, key, blob, extra: kept.append(key))
    assert fresh_backend(monkeypatch).kernel is None
    assert kept == []  # nor is the table kept for the next process


@pytest.mark.parametrize("bad", [
    '3',  # not an object
    '{"name": "xx", "freq": {"a": 1}, "n_words": [1, 1, 1], "extra": 1}',  # LangProfile(**data) fails
    '{"name": "xx", "freq": [], "n_words": [1, 1, 1]}',
    '{"name": "en", "freq": {}, "n_words": [1, 1, 1]}',  # a language twice
])
def test_profiles_the_loader_does_not_expect_are_refused(tmp_path, bad):
    (tmp_path / "en").write_text('{"name": "en", "freq": {"a": 3, "ab": 1}, "n_words": [3, 1, 0]}', encoding="utf-8")
    (tmp_path / ".hidden").write_text(bad, encoding="utf-8")  # langdetect skips dot files too
    names = []
    assert list(L.iter_profiles(str(tmp_path), names)) == [({"a": 3, "ab": 1}, [3, 1, 0])] and names == ["en"]
    (tmp_path / "xx").write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError):
        list(L.iter_profiles(str(tmp_path), []))


@needs_kernel
@pytest.mark.parametrize("bad", ['{"name": "xx", "freq": {"a": 1}', '{"name": "xx", "freq": {"a": 1}, "n_words": [0, 1, 1]}'])
def test_a_kernel_refused_by_its_profiles_leaves_langdetect_to_load_them(monkeypatch, tmp_path, bad):
    """Not JSON, or a division by zero that langdetect's own loader would raise too."""
    (tmp_path / "xx").write_text(bad, encoding="utf-8")
    factory = detector_factory.DetectorFactory()
    try:
        assert L._kernel_on_profiles(factory, str(tmp_path)) is None
        assert factory.langlist == []
    finally:
        fresh_backend(monkeypatch)  # the kernel configured again for the tests after this one


@needs_kernel
@pytest.mark.parametrize("trials, max_len", [(0, None), (-1, None), (3, 0), (3, -1)])
def test_the_kernel_equals_langdetect_on_degenerate_parameters(trials, max_len):
    assert_same("Die Regierung hat am Dienstag neue Regeln beschlossen.", trials, max_len)


def configure_args(profiles):
    from langdetect.utils.ngram import NGram

    return profiles, NGram.normalize, random.Random(L.SEED).getstate()


@needs_kernel
def test_a_failed_configure_keeps_the_configuration_in_use(monkeypatch):
    text = "Правительство объявило о новых правилах, и в Москве обсуждают их."
    before = L._kernel_probs(kernel(), detector(L.backend().factory), text)
    with pytest.raises(ZeroDivisionError):
        kernel().configure(*configure_args([({"a": 1}, [0, 1, 1])]))
    with pytest.raises(TypeError):
        kernel().configure(*configure_args([({"a": 1}, "not a list")]))
    assert bits(L._kernel_probs(kernel(), detector(L.backend().factory), text)) == bits(before)
    assert_same(text)


@needs_kernel
def test_configure_refuses_to_run_inside_a_configuration_or_a_detection(monkeypatch):
    """Both run Python code (the profiles' iterator, NGram.normalize) while the kernel's tables
    are in use: a configure() from there (or from another thread then) must not free them."""
    from langdetect.utils.ngram import NGram

    refused = []

    def profiles():
        try:
            kernel().configure(*configure_args([({"a": 1}, [1, 1, 1])]))
        except RuntimeError as exc:
            refused.append(str(exc))
        yield {"a": 1}, [1, 1, 1]

    def normalize(ch):
        if ch == "\u2603":
            try:
                kernel().configure(*configure_args([({"a": 1}, [1, 1, 1])]))
            except RuntimeError as exc:
                refused.append(str(exc))
        return NGram.normalize(ch)

    try:
        kernel().configure(profiles(), NGram.normalize, random.Random(L.SEED).getstate())
        assert len(refused) == 1 and kernel().row("a") == [1.0]
        kernel().configure([({"ab": 2}, [1, 4, 1])], normalize, random.Random(L.SEED).getstate())
        assert kernel().detect("ab \u2603 ab", 3, 0.5, 0.05, 1000, 0.99999, 10000, 10000) is not None
        assert len(refused) == 2 and kernel().row("ab") == [0.5]
    finally:
        fresh_backend(monkeypatch)  # the real profiles again for the tests after this one
    assert "under way" in refused[0]


def test_without_the_kernel_detect_runs_langdetect(monkeypatch):
    text = ["Die Stadtverwaltung hat am Dienstag den neuen Haushalt beschlossen, nachdem die Debatte "
            "bis in die Nacht gedauert hatte, und die Opposition kündigte Widerstand an."]
    with_kernel = L.detect(text)
    monkeypatch.setenv("CLEANER_PURE_PYTHON", "1")
    assert c_module("_langdetect") is None
    assert fresh_backend(monkeypatch).kernel is None
    assert L.detect(text) == with_kernel == "de"


def test_threads_detecting_at_once_load_once_and_agree(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    articles = [[p.read_text(encoding="utf-8")[:3000]] for p in SEEDS] * 4
    expected = [L.detect(a) for a in articles]
    monkeypatch.setattr(L, "_backend", None)
    loads = []
    real = L._kernel_on_profiles
    monkeypatch.setattr(L, "_kernel_on_profiles", lambda *a: loads.append(1) or real(*a))
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(L.detect, articles)) == expected
    assert loads == [1]


# -- the kernel's table kept between processes (cleaner/language.py, cleaner/patterns.py) -------


def assert_rows_are_langdetects():
    for word, row in langdetect_factory().word_lang_prob_map.items():
        if 1 <= len(word) <= 3:
            assert bits(kernel().row(word)) == bits(row), word


@needs_kernel
def test_a_table_written_and_loaded_again_is_langdetects(monkeypatch):
    blob = kernel().table()
    try:
        kernel().configure(*configure_args([({"ab": 2}, [1, 4, 1])]))  # another table in use
        kernel().load_table(*configure_args(blob))
        assert_rows_are_langdetects()
        assert kernel().table() == blob
    finally:
        fresh_backend(monkeypatch)


def damaged_tables(blob: bytes) -> list[bytes]:
    """table()'s bytes with one thing wrong each (the layout: a 40-byte header of magic, byte
    order, languages, capacity, entries, pairs; the capacity's 16-byte slots of key, start,
    count, an empty one's key 0; then a byte a pair, padded to eight, and a double a pair)."""
    langs, cap, entries, pairs = struct.unpack_from("<IQQQ", blob, 12)
    used = [40 + 16 * i for i in range(cap) if struct.unpack_from("<Q", blob, 40 + 16 * i)[0]]
    first, second = used[:2]  # the first two n-grams' slots
    empty = max(set(range(40, 40 + 16 * cap, 16)) - set(used))  # the last empty slot: empty ones before it
    twice = next(u for u in used if u + 16 not in used and u + 16 < 40 + 16 * cap)  # a slot before an empty one
    langs_at = 40 + 16 * cap  # the pairs' languages

    def patched(offset: int, fmt: str, value) -> bytes:
        out = bytearray(blob)
        struct.pack_into(fmt, out, offset, value)
        return bytes(out)

    def moved(slot: int, to: int) -> bytes:
        out = bytearray(blob)
        out[to:to + 16], out[slot:slot + 16] = out[slot:slot + 16], bytes(16)
        return bytes(out)

    def copied(slot: int, to: int) -> bytes:
        out = bytearray(blob)
        out[to:to + 16] = out[slot:slot + 16]
        struct.pack_into("<Q", out, 24, entries + 1)  # the header counts it
        return bytes(out)

    return [
        b"", blob[:39], blob[:-1], blob + b"\0",
        patched(0, "<B", ord("x")),  # magic
        patched(8, "<I", 0x04030201),  # byte order
        patched(12, "<I", 0), patched(12, "<I", 256),  # languages
        patched(16, "<Q", cap + 1), patched(16, "<Q", 1 << 40), patched(16, "<Q", 2),  # capacity
        patched(24, "<Q", entries + 1), patched(32, "<Q", pairs - 1),  # counts that the size belies
        patched(first, "<Q", 0),  # an empty key
        patched(first + 8, "<I", pairs),  # a start beyond the pairs
        patched(first + 12, "<I", 0), patched(first + 12, "<I", pairs + 1),  # counts
        patched(second, "<Q", struct.unpack_from("<Q", blob, first)[0]),  # an n-gram twice
        copied(twice, twice + 16),  # the same, in the slot after it, where its search would go on
        moved(first, empty),  # an n-gram in a slot where its search does not find it
        patched(langs_at + pairs - 1, "<B", langs),  # a language beyond the table's
    ]


@needs_kernel
def test_a_damaged_table_is_refused_and_the_table_in_use_kept():
    blob = kernel().table()
    assert len(blob) > 40 and blob[:8] == b"cldtab2\0"
    before = kernel().row("the")
    for bad in damaged_tables(blob):
        with pytest.raises(ValueError):
            kernel().load_table(*configure_args(bad))
        assert kernel().row("the") == before
    with pytest.raises(ValueError):  # a table not aligned for its doubles (a file maps at a page)
        kernel().load_table(*configure_args(memoryview(b"\0" + blob)[1:]))
    assert kernel().row("the") == before
    with pytest.raises(TypeError):
        kernel().load_table(*configure_args("not a buffer"))


@needs_kernel
def test_a_table_is_read_where_it_lies_and_held_while_in_use(monkeypatch):
    """load_table reads any buffer in place (a kept table is a mapped file): the kernel holds
    it, so the memory its lookups read cannot be resized or freed under it."""
    copy = bytearray(kernel().table())
    try:
        kernel().load_table(*configure_args(copy))
        assert_rows_are_langdetects()
        with pytest.raises(BufferError):
            copy.extend(b"\0")  # held by the configuration in use
        kernel().load_table(*configure_args(bytes(copy)))
        copy.extend(b"\0")  # let go once another table replaced it
    finally:
        fresh_backend(monkeypatch)


CHILD = r"""
import json, sys
from cleaner import language as L
built = []
real = L.iter_profiles
L.iter_profiles = lambda *a: built.append(1) or real(*a)
texts = [open(p, encoding="utf-8").read()[:2000] for p in sys.argv[1:]]
texts += ["Правительство объявило о новых правилах для всех жителей страны.",
          "Le gouvernement a annoncé de nouvelles règles mardi soir."]
print(json.dumps({"kernel": L.backend().kernel is not None, "built": len(built),
                  "tags": [L.detect([t]) for t in texts]}))
"""


def child(cache: str) -> dict:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "CLEANER_PATTERN_CACHE": cache}
    proc = subprocess.run([sys.executable, "-c", CHILD, *map(str, SEEDS)], capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode("utf-8", "replace")
    return json.loads(proc.stdout)


@needs_kernel
def test_the_table_is_kept_under_the_code_that_builds_it(monkeypatch):
    """A table kept by a process whose builder was another (language.py edited) is not read:
    its key differs, as it does for other profiles or another kernel."""
    from cleaner import patterns

    key = L._table_key(KERNEL, detector_factory.PROFILES_DIRECTORY)
    assert key is not None and key == L._table_key(KERNEL, detector_factory.PROFILES_DIRECTORY)
    monkeypatch.setattr(patterns, "_current_tags", {})  # (what a persistent function was read under)
    monkeypatch.setattr(patterns, "_source_digest", lambda fn: (fn.__module__, fn.__qualname__, 0, 0))
    assert L._table_key(KERNEL, detector_factory.PROFILES_DIRECTORY) != key


@needs_kernel
def test_a_later_process_loads_the_table_and_detects_the_same(tmp_path):
    import marshal

    off = child("0")
    assert off["kernel"] and off["built"] == 1
    first, second = child(str(tmp_path)), child(str(tmp_path))
    assert (first["built"], second["built"]) == (1, 0)
    assert first["tags"] == second["tags"] == off["tags"] and "ru" in off["tags"]
    # the file (cleaner.patterns.keep_mapped): the table, then marshal of (what it was built
    # from, (languages, crc, size)), then that part's length
    path = next(tmp_path.glob(f"{L.TABLE_CACHE}.*.bin"))

    def read():
        data = path.read_bytes()
        tail = int.from_bytes(data[-8:], "little")
        key, (names, crc, size) = marshal.loads(data[-8 - tail:-8])
        assert size == len(data) - 8 - tail
        return key, names, crc, data[:size]

    def write(key, names, crc, table, extra=None):
        made = marshal.dumps((key, (names, crc, len(table)) if extra is None else extra))
        path.write_bytes(table + made + len(made).to_bytes(8, "little"))

    key, names, crc, table = read()

    # a table damaged on disk (its probabilities, which the kernel cannot check): built again
    pairs = struct.unpack_from("<Q", table, 32)[0]
    write(key, names, crc, table[: len(table) - 8 * pairs] + struct.pack("<d", 0.5) * pairs)
    again = child(str(tmp_path))
    assert again["built"] == 1 and again["tags"] == off["tags"]
    assert read() == (key, names, crc, table)  # rewritten from the profiles
    # a table kept for other profiles (or another langdetect, or another build) is not read,
    # and is replaced when the file is written again
    other = key[:-2] + ((), key[-1])  # (the profile files: none)
    write(other, names, crc, table)
    assert child(str(tmp_path))["built"] == 1
    assert read()[0] == key
    # neither is one whose languages are not one a float of its rows
    write(key, names[:-1], crc, table)
    assert child(str(tmp_path))["built"] == 1
    for garbage in (b"", b"not marshal", table + b"\xff" * 8, marshal.dumps({key: (names, crc, table)})):
        path.write_bytes(garbage)
        assert child(str(tmp_path))["built"] == 1
    for extra in ((names, crc), (names, crc, len(table) - 8)):  # not what this code keeps; a size the map belies
        write(key, names, crc, table, extra)
        assert child(str(tmp_path))["built"] == 1
    assert child(str(tmp_path))["built"] == 0
