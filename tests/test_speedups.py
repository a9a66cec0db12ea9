"""Differential tests of the optional C accelerator (cleaner/_speedups.c) against the
pure-Python reference (cleaner/content/features.py, cleaner/content/model.py).

Every float must be bit-for-bit identical (compared by its IEEE bytes), every other value
equal and of the same type, on the benchmark dumps, the seeds and generated hostile text.
Skipped when the extension is not built (no compiler) or disabled (CLEANER_PURE_PYTHON=1).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import random
import struct
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.content import ContentModel, split_dump
from cleaner.content import features as F
from cleaner.content import model as M
from cleaner.rules.prefilter import DocText

from conftest import ROOT, SEEDS, bench_dir, bench_pages

C = F.speedups
pytestmark = pytest.mark.skipif(
    C is None,
    reason="C accelerator not built or disabled (build: pip install -e . with a C compiler; "
           "CLEANER_PURE_PYTHON unset)",
)


def same(a, b) -> bool:
    """Equal values of the same types; floats compared bit for bit."""
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is type(b) and struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def first_difference(py_rows, c_rows, names) -> str:
    for i, (a, b) in enumerate(zip(py_rows, c_rows)):
        if not same(a, b):
            cols = [f"{names[k]}: {x!r} != {y!r}" for k, (x, y) in enumerate(zip(a, b)) if not same(x, y)]
            return f"row {i}: " + "; ".join(cols[:5])
    return f"{len(py_rows)} rows != {len(c_rows)} rows"


@contextlib.contextmanager
def pure_python():
    """Run the model's pure-Python path (the reference) inside the block."""
    saved = F.speedups
    F.speedups = None
    try:
        yield
    finally:
        F.speedups = saved


MODEL = ContentModel.default()


def check_page(lines: list[str], blank: list[bool], stop) -> None:
    """Feature rows, stats, both passes, smoothing and verdicts: C == Python."""
    py_rows, py_stats = F.line_features(lines, blank, stop)
    c_rows, c_stats = C.line_features(lines, blank, stop)
    assert same(py_rows, c_rows), first_difference(py_rows, c_rows, F.LINE_FEATURES)
    assert same(py_stats, c_stats), [k for k in py_stats if not same(py_stats[k], c_stats.get(k))]
    # a shipped stoplist handed to C as its number in the vote index: the same rows
    number = F.stop_language(_code_of(stop))
    if number is not None:
        n_rows, n_stats = C.line_features(lines, blank, number)
        assert same(py_rows, n_rows), first_difference(py_rows, n_rows, F.LINE_FEATURES)
        assert same(py_stats, n_stats)
    if not lines:
        return
    p1 = [MODEL.pass1.prob(r) for r in py_rows]
    py_ctx = F.context_features(p1, py_stats, py_stats["nwords"])
    c_ctx = C.context_features(p1, py_stats, py_stats["nwords"])
    assert same(py_ctx, c_ctx), first_difference(py_ctx, c_ctx, F.CONTEXT_FEATURES)
    lang = F.detect_language(lines)
    with pure_python():
        py_p, py_s = MODEL.scores(lines, blank, lang)
    c_p, c_s = MODEL.scores(lines, blank, lang)
    assert same(py_p, c_p)
    assert same(py_s, c_s)
    # the lines' lower case read off a text holding them (M001 hands over the document's shared
    # one): the same results; and so where some lines' texts there are others (a repair rule
    # edited them), which are then lowered on their own
    assert same((c_p, c_s), MODEL.scores(lines, blank, lang, (DocText(lines), set())))
    edited = set(range(1, len(lines), 3))
    for edit in (lambda line: f"{line.upper()}İΣ", lambda line: "x" * len(line)):
        others = [edit(line) if i in edited else line for i, line in enumerate(lines)]
        assert same((c_p, c_s), MODEL.scores(lines, blank, lang, (DocText(others), edited)))
    for penalty in (0.0, 0.7, 2.0, MODEL.switch_penalty):  # the smoothing at other strengths too
        args = (lines, py_p, py_s["nwords"], py_s["sent"], py_s["stop"], MODEL.threshold, penalty, MODEL.region_gap,
                MODEL.region_keep, MODEL.prose_guard, MODEL.prose_guard_lines, MODEL.prose_guard_all, 2.0)
        assert M._decide_keep_py(*args) == C.decide_keep(*args)
    # classify() = scores() (compared above) + decide(): compare the verdicts of both paths
    for favor in ("precision", "balanced", "recall"):
        t = MODEL.threshold_for(favor)
        with pure_python():
            py_v = MODEL.decide(lines, py_p, py_s, t)
        assert py_v == MODEL.decide(lines, c_p, c_s, t)


STOPS = [None, frozenset(), frozenset({"the", "a", "of", "und", "die", "ſ", "i̇"}), "en", "tr", "el"]
STOPS = [F.stoplists().get(s) if isinstance(s, str) else s for s in STOPS]  # shipped lists too


def _code_of(stop):
    """The code of the shipped stoplist ``stop`` is (the very object), or None."""
    return next((code for code, words in F.stoplists().items() if words is stop), None)


def stop_for(lines: list[str]):
    lang = F.detect_language(lines)
    return F.stoplists().get(lang) if lang else None


# ---------------------------------------------------------------------------------------------
# (a) every benchmark dump


_bench_pages = bench_pages  # (id, raw) of the dev sets' pages; the test skips when absent


@pytest.mark.bench
def test_bench_dumps_identical():
    pages = _bench_pages()
    for page_id, raw in pages:
        lines, blank = split_dump(raw)
        try:
            check_page(lines, blank, stop_for(lines))
        except AssertionError as exc:
            raise AssertionError(f"page {page_id}: {exc}") from None


@pytest.mark.bench
def test_bench_dumps_mutated_identical():
    """The dumps again, with each page's lines in another language's stoplist, lower- and
    upper-cased, reversed, and without blank lines: other paths through the same code."""
    pages = _bench_pages()
    de = F.stoplists().get("de")
    for k, (page_id, raw) in enumerate(pages[::7]):
        lines, blank = split_dump(raw)
        variants = [
            (lines, blank, de),
            ([s.upper() for s in lines], blank, None),
            ([s.lower() for s in lines], [True] * len(lines), stop_for(lines)),
            (lines[::-1], blank[::-1], stop_for(lines)),
        ]
        for v in variants:
            try:
                check_page(*v)
            except AssertionError as exc:
                raise AssertionError(f"page {page_id} (variant): {exc}") from None


# ---------------------------------------------------------------------------------------------
# (c) the seeds


def test_seeds_identical():
    assert SEEDS, "no seeds found"
    for path in SEEDS:
        lines, blank = split_dump(path.read_text(encoding="utf-8"))
        for stop in (stop_for(lines), None):
            check_page(lines, blank, stop)


# ---------------------------------------------------------------------------------------------
# (b) generated hostile text

# Characters where Unicode semantics differ from the naive ones: dotted capital I (lower() is two
# characters), long s, Kelvin sign, final sigma, titlecase digraphs, combining marks, non-BMP
# letters and digits, digits that are not decimal (superscripts, circled), other scripts'
# decimal digits, whitespace that str.split knows (NBSP, U+1C..1F, line/paragraph separators)
# and what it does not (zero-width space), and every character the features look for.
@functools.cache
def _every_char() -> list[str]:
    """Every code point of Unicode but the surrogates, as one-character strings (made once)."""
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


HOSTILE = (
    "İıſKΣσςǅǄǆßẞﬁ\u0301\u0308\u200b\u200d\ufeff\u00a0\u2028\u2029\x1c\x1d\x1e\x1f\x85\u3000\t\x0b\x0c"
    "𝐀𝐚𝟙𝟘𐐀𐐨😀²³½①٣۵߁०๓\uff10\uff19_"
    "©@:;,.!?…。！？\"'”’»)](|›•·/>-–—*▪►#"
    "aAzZ09 "
)
TOKENS = [
    "the", "and", "of", "Cookie", "cookies", "Newsletter", "Datenschutzerklärung", "Kommentare",
    "Reply", "says", "schreibt", "3 days ago", "vor 2 Stunden", "il y a 5", "hace 3", "10:42 pm",
    "12.05.2021", "1/2/99", "2024", "1999", "20:15", "http://x.example", "www.", ".com", " - ",
    "...", "[…]", "[...]", "- ", "1. ", "2) ", "• ", "© 2020", "IMPRESSUM", "Home", "MENÜ",
    "Share", "İstanbul", "ſtraße", "KELVIN", "ΣΟΦΊΑ", "Ὀδυσσεύς", "東京", "𝐁𝐨𝐥𝐝",
    # the URL marks in lines of two-byte characters, and the characters (lower case) one of whose
    # bytes is a mark's first letter: "ɨ" (U+0268) for "h", "ŷ" (U+0177) for "w", U+032E for "."
    "HTTPS://X.ORG", "ɨttp", "ɨhttp", "ŷww.", "WŷWW.", "\u032ecom", ".CŎM", "Ũ.com",
]
_piece = st.one_of(st.text(alphabet=HOSTILE, max_size=12), st.sampled_from(TOKENS))
_line = st.lists(_piece, max_size=14).map(" ".join)
_any_line = st.one_of(_line, st.text(max_size=40), st.just(""), _line.map(lambda s: s * 400))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(_any_line, min_size=0, max_size=30),
    blanks=st.lists(st.booleans(), min_size=30, max_size=30),
    stop_k=st.integers(0, len(STOPS)),
)
def test_generated_pages_identical(lines, blanks, stop_k):
    stop = stop_for(lines) if stop_k == len(STOPS) else STOPS[stop_k]
    check_page(lines, blanks[: len(lines)], stop)


_prob = st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0, 0.5, 1e-5, 0.99995]))


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_generated_decisions_identical(data):
    """decide_keep and drop_labels against their Python references, with every parameter of the
    decoding varied (smoothing on and off, narrow region gaps, the prose guard and the lead rule
    firing or not), where the model's own parameters only reach some of the branches."""
    n = data.draw(st.integers(1, 25))
    lines = data.draw(st.lists(_any_line, min_size=n, max_size=n))
    p = data.draw(st.lists(_prob, min_size=n, max_size=n))
    nwords = data.draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    sent = data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n))
    stopd = data.draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))
    t = data.draw(_prob)
    params = (
        t,
        data.draw(st.sampled_from([0.0, 0.5, 2.0, 7.0])),  # switch penalty
        data.draw(st.sampled_from([0, 1, 3, 10**9])),  # region gap
        data.draw(_prob),  # region keep
        data.draw(st.sampled_from([0.0, 0.5, 0.9, 2.0])),  # prose guard
        data.draw(st.sampled_from([0, 2, 10**9])),  # prose guard lines
        data.draw(st.sampled_from([0.0, 0.95, 2.0])),  # prose guard, all lines
        data.draw(st.sampled_from([t, 0.7, 2.0])),  # lead (above 1: off)
    )
    args = (lines, p, nwords, sent, stopd, *params)
    keep, span = C.decide_keep(*args)
    assert (keep, span) == M._decide_keep_py(*args)
    assert all(type(k) is bool for k in keep)
    furn = data.draw(st.lists(st.sampled_from(["", "p", "f", "c", "s"]), min_size=n, max_size=n))
    short_run = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    footer_lines = data.draw(st.none() | st.sets(st.integers(0, n - 1)))
    bs, be = span if span is not None else (0, -1)
    label_args = (lines, keep, nwords, furn, short_run, footer_lines, M._FOOTER.search, span is not None, bs, be)
    assert C.drop_labels(*label_args) == M._drop_labels_py(*label_args)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="_*\u200b -a1é²", max_size=6), min_size=1, max_size=12),
       st.lists(_prob, min_size=12, max_size=12))
def test_lines_without_a_letter_or_digit_are_dropped_alike(lines, p):
    """decide_keep drops a kept line holding no [^\\W_] character ("___", "***", a lone "\u200b"):
    the C test of that class against the regex's."""
    n = len(lines)
    for penalty in (0.0, 2.0):
        args = (lines, p[:n], [3] * n, [0.0] * n, [0.0] * n, 0.5, penalty, 10**9, 0.0, 2.0, 0, 2.0, 2.0)
        assert C.decide_keep(*args) == M._decide_keep_py(*args)


def test_decisions_bad_input_is_an_exception():
    with pytest.raises(ValueError):  # a statistic shorter than the page
        C.decide_keep(["a", "b"], [0.5, 0.5], [1, 1], [0.0], [0.0, 0.0], 0.5, 0.0, 3, 0.9, 0.9, 1, 0.9, 2.0)
    with pytest.raises(TypeError):
        C.decide_keep([b"bytes"], [0.5], [1], [0.0], [0.0], 0.5, 0.0, 3, 0.9, 0.9, 1, 0.9, 2.0)
    with pytest.raises(IndexError):
        C.drop_labels(["a", "b"], [False], [1, 1], ["", ""], [0, 0], None, M._FOOTER.search, False, 0, -1)
    with pytest.raises(TypeError):  # footer lines as a list
        C.drop_labels(["a"], [False], [1], [""], [0], [0], M._FOOTER.search, False, 0, -1)


def test_the_c_table_holds_a_word_of_255_stoplists_with_each_of_its_languages():
    """A word of 255 stoplists (the most a byte counts), and words shared by a few: each counts
    once for each of its languages (the build lists a word's languages as it meets them, then
    lays each word's list out in one array)."""
    texts = ("shared\nthe",) + ("shared",) * 253 + ("shared\nthe\nlast",)
    try:
        counts = C.stop_texts(texts)
        assert counts == [2] + [1] * 253 + [3]
        assert C.vote(["shared"], 1, 255) == [1] * 255
        assert C.vote(["the last"], 2, 255) == [1] + [0] * 253 + [2]
    finally:
        F._reset_vote_index()
        assert F._c_vote_index()  # the shipped table back for the other tests


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789./-: 19 20 ٣۵𝟙²①x", max_size=20), min_size=1, max_size=8))
def test_date_and_digit_shapes_identical(lines):
    # the date feature is computed in C without the regex: digit-heavy lines probe it
    check_page(lines, [False] * len(lines), None)


def test_the_reference_adds_the_products_left_to_right_in_every_python():
    """The model's reference adds its products left to right from 0.0, as the C scorer does:
    builtins.sum compensates the rounding of floats since Python 3.12, which made the reference
    differ from C in the last bits there. Left to right, 1 + 1e100 loses the 1, and the sum
    is 0.0 (probability 0.5); compensated, it would be 2.0."""
    linear = M._Linear({"features": ["a", "b", "c", "d"], "coef": [1.0, 1e100, 1.0, -1e100], "intercept": 0.0},
                       ["a", "b", "c", "d"])
    assert linear.prob([1.0, 1.0, 1.0, 1.0]) == 0.5


# Short lines with a digit, made of the comment cues (" ago", "vor ", "il y a", "hace ", "am", "pm")
# in pieces, times and characters of each string kind: C finds the cues in one pass over the line
_CUED = st.lists(st.sampled_from(["3", "12:30", " ago", "ago", "vor ", "vor", "il y a", "il y", "hace ", "am", "pm",
                                  "a", "m", " ", "é", "Ж", "😀", "hours", "Stunden", "p.m."]), min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CUED, min_size=1, max_size=8))
def test_comment_cues_identical(lines):
    check_page(lines, [False] * len(lines), None)


def test_comment_cues_are_read_where_the_reference_reads_them():
    """A short line with a digit is a comment line's shape when it holds a cue and the time
    pattern: the cue anywhere in the line, at its start or end, in each string kind."""
    rows, _ = C.line_features(["3 hours ago", "vor 2 Stunden", "Posted 12 pm", "pm 12:30", "Room 12",
                               "12:30 Ж pm", "Ж 3 hours ago"], [False] * 7, None)
    py_rows, _ = F.line_features(["3 hours ago", "vor 2 Stunden", "Posted 12 pm", "pm 12:30", "Room 12",
                                  "12:30 Ж pm", "Ж 3 hours ago"], [False] * 7, None)
    column = F.LINE_FEATURES.index("comment_shape")
    assert [r[column] for r in rows] == [r[column] for r in py_rows]
    assert rows[4][column] == 0.0 and rows[0][column] == rows[6][column] == 1.0  # no cue; a cue in each kind


_DASHED = st.lists(st.sampled_from(["a", "-", "--", "a-a", "é", "€", ""]), min_size=1, max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_DASHED, min_size=1, max_size=8))
def test_separator_dashes_identical(lines):
    # " - " counted as str.count counts it (leftmost first, none overlapping), in every string kind
    check_page(lines, [False] * len(lines), None)


def test_marks_read_in_two_byte_lines_where_a_byte_of_another_character_is_theirs():
    """The URL marks and " - " are looked for in lines of two-byte characters by the bytes of
    their first character: a character one of whose bytes is that one ("ɨ" U+0268 for "h", "ŷ"
    U+0177 for "w", U+032E for ".", "ĭ" U+012D for "-") just before or among them; and marks
    short of their last character, in both kinds."""
    lines = ["ɨhttp xx yy", "ŷwww. aa", "a \u032e.com b", "ɨttp ŷw. \u032ecom", "a ĭ - b", "ĭ- ĭ -ĭ - - ĭ",
             "htt: wwwx .co ŷ", "htt: wwwx .co"]
    rows = _marks_identical(lines)
    assert [r[F.LINE_FEATURES.index("urlish")] for r in rows] == [1.0, 1.0, 1.0] + [0.0] * 5
    check_page(lines, [False] * len(lines), None)


def _marks_identical(lines: list[str]) -> list:
    """The C line features of ``lines``, once their "urlish" and "separators" columns are
    checked against the Python reference's."""
    rows, _ = C.line_features(lines, [False] * len(lines), None)
    py_rows, _ = F.line_features(lines, [False] * len(lines), None)
    for name in ("urlish", "separators"):
        column = F.LINE_FEATURES.index(name)
        assert [r[column] for r in rows] == [r[column] for r in py_rows], name
    return rows


# The marks, pieces of them, and characters of two bytes one of whose bytes is a mark's first
# character: the low byte ("ɨ" U+0268 "h", "ŷ" U+0177 "w", U+032E ".", "ĭ" U+012D "-") or the
# high byte (U+6800 "h", U+7700 "w", U+2E00 ".", U+2D00 "-"), and of four bytes (U+10068 "h",
# U+16800 "h" in its second byte). Nothing else that sets "urlish" ("@", a digit run): a line
# is one only by its marks, so a search that takes a byte for a character shows in the feature.
_MARK_PIECES = ["http", "www.", ".com", "ttp", "ww.", "com", "h", "w", ".", "-", " - ", " ", "x", "é",
                "ɨ", "ŷ", "\u032e", "ĭ", "\u6800", "\u7700", "\u2e00", "\u2d00",
                "\U00010068", "\U00016800"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_MARK_PIECES), max_size=12).map("".join), min_size=1, max_size=8))
def test_generated_mark_lines_identical(lines):
    _marks_identical(lines)


def test_lines_longer_than_a_run_of_packed_counts():
    """The line loop adds its counts up in 12-bit fields a run of 4,095 characters at a time: a
    line of letters, digits, commas and dots many runs long (each count past a field's 4,095)."""
    for unit in ("Ab1, c. ", "x" * 4095, "1," * 3000, ".", "é1 ,"):
        line = (unit * (15_000 // len(unit) + 1))[:15_000 + len(unit) % 7]
        check_page([line, "A short line.", line[:4095], line[:4096]], [False] * 4, None)


def test_ascii_predicates_match_python():
    """The C code inlines the ASCII range of the character predicates and reads those of Latin-1
    from a table: the same answers."""
    one = [chr(c) for c in range(256) if chr(c) not in "\r\n\x85"]
    lines = [f"x{c}y {c}{c}{c} {c}" for c in one] + one
    check_page(lines, [False] * len(lines), None)
    # single characters of every Unicode category, one per line
    cats = {}
    for cp in range(0x110000):
        cats.setdefault(unicodedata.category(chr(cp)), []).append(chr(cp))
    sample = [chars[k] for chars in cats.values() for k in range(0, len(chars), max(1, len(chars) // 40))]
    lines = [f"{c}{c} a{c}b {c}1 1{c}" for c in sample if c not in "\r\n"]
    check_page(lines, [False] * len(lines), None)


def test_longest_lines_is_heapq_nlargests_choice():
    """The C sample of detect_language: the k longest lines, the first of equal lengths, ascending."""
    rng = random.Random(11)
    for _ in range(3000):
        lines = ["x" * rng.randint(0, rng.choice([1, 3, 40])) + "é" * rng.randint(0, 1) for _ in range(rng.randint(0, 90))]
        for k in (0, 1, 2, 12, rng.randint(0, 100), 200, -1):
            assert C.longest_lines(lines, k) == F.longest_lines(lines, k), (lines, k)
    assert C.longest_lines(["b", "aa", "c", "dd", "ee"], 2) == [1, 3]  # of equal lengths, the first
    with pytest.raises(TypeError):
        C.longest_lines(["a", b"b"], 1)


def test_the_c_vote_counts_what_the_python_vote_counts():
    """The language vote in C (words looked up in place in the handed-over index) against the
    Python count of the same words, on hostile lines and on every seed."""
    assert F._c_vote_index(), "the C vote index is not in use"
    codes = F._stop_codes()
    index = F._stop_index()
    samples = [["The cat and the dog", "İstanbul ΟΔΟΣ der und die ſo", "x" * 50], ["", "   ", "12 34"], []]
    for path in SEEDS:
        samples.append(split_dump(path.read_text(encoding="utf-8"))[0])
    for lines in samples:
        for max_words in (0, 1, 7, 400, 10_000):
            words = [w for line in lines for w in F._WORD.findall(line.lower())][:max_words]
            ballot = b"".join(index.get(w, b"") for w in words)
            assert C.vote(lines, max_words, len(codes)) == [ballot.count(k) for k in range(len(codes))]


def test_the_c_table_holds_every_word_of_the_index_with_its_languages():
    """Built from the stoplists in C, the table gives every word of _stop_index() exactly its
    languages (a one-word vote counts each once). Only words a vote can meet: one word-character run,
    its own lower case (a stoplist's "suid-afrikaanse" is two words of any line)."""
    assert F._c_vote_index()
    codes = F._stop_codes()
    checked = 0
    for word, langs in F._stop_index().items():
        if not F._WORD.fullmatch(word) or word.lower() != word:
            continue
        checked += 1
        votes = C.vote([word], 1, len(codes))
        assert votes == [langs.count(k) for k in range(len(codes))], word
    assert checked > 80_000
    # and no other word: each language's count of distinct words is its stoplist's
    lists = F.stoplists()
    assert F._c_vote_index() == {code: len(lists[code]) for code in codes}


def test_a_languages_own_table_follows_the_index_in_use():
    """The stop-word density looks a page's words up in a table of its language's words alone,
    made from the index on first use: a new index (stop_texts, stop_load) makes them anew."""
    lines = ["alpha beta gamma delta", "gamma gamma", "nothing here"]
    try:
        C.stop_texts(("alpha\nbeta", "gamma"))
        rows, _ = C.line_features(lines, [False] * 3, 0)
        assert [r[F.LINE_FEATURES.index("stop_density")] for r in rows] == [0.5, 0.0, 0.0]
        rows, _ = C.line_features(lines, [False] * 3, 1)
        assert [r[F.LINE_FEATURES.index("stop_density")] for r in rows] == [0.25, 1.0, 0.0]
        C.stop_texts(("gamma\nnothing", "alpha"))
        rows, _ = C.line_features(lines, [False] * 3, 0)
        assert [r[F.LINE_FEATURES.index("stop_density")] for r in rows] == [0.25, 1.0, 0.5]
    finally:
        F._reset_vote_index()
        assert F._c_vote_index()  # the shipped table back for the other tests


def test_the_c_table_reads_a_stoplist_text_as_the_python_stoplists_do():
    """stop_texts splits at "\n" only, strips what str.strip strips (Unicode spaces, "\r",
    "\x1c"), skips blank lines and counts a word once per language however often it is listed."""
    texts = ("the\n  and \r\n\n\u3000of\u2003\nthe\n\x1cder\x1c\n\n", "der\nla\vle\n", "")
    try:
        counts = C.stop_texts(texts)
        expected = [frozenset(map(str.strip, t.split("\n"))) - {""} for t in texts]
        assert counts == [len(words) for words in expected] == [4, 2, 0]
        for word in ("the", "and", "of", "der", "la", "le", "x"):
            assert C.vote([word], 1, 3) == [int(word in words) for words in expected], word
        assert "la\vle" in expected[1]  # one entry, which no line's words can meet
        assert C.vote(["The DER"], 2, 3) == [2, 1, 0]  # lines are looked up lower-cased
    finally:
        F._reset_vote_index()
        assert F._c_vote_index()  # the shipped table back for the other tests


def _votes_on_the_seeds() -> list[list[int]]:
    codes = F._stop_codes()
    samples = [["The cat and the dog", "İstanbul ΟΔΟΣ der und die ſo"]]
    samples += [split_dump(path.read_text(encoding="utf-8"))[0] for path in SEEDS]
    return [C.vote(lines, 400, len(codes)) for lines in samples]


def _stop_sum(blob: bytes) -> int:
    """The checksum in stop_table()'s header (the C stop_sum): the header's first 40 bytes in one
    lane, what follows the 48-byte header in four (word k in lane k % 4), 64 bits a step, then
    the other lanes folded into the first."""

    def step(h: int, x: int) -> int:
        h = ((h ^ x) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        return h ^ (h >> 32)

    lanes = [0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89]
    for (x,) in struct.iter_unpack("<Q", blob[:40]):
        lanes[0] = step(lanes[0], x)
    for k, (x,) in enumerate(struct.iter_unpack("<Q", blob[48:])):
        lanes[k % 4] = step(lanes[k % 4], x)
    for h in lanes[1:]:
        lanes[0] = step(lanes[0], h)
    return lanes[0]


def test_the_vote_index_written_and_read_back_is_the_same_index():
    """stop_table() and stop_load(): the index a process keeps for the next ones (the start-up
    cache of features._c_vote_index) votes as the one built from the stoplists."""
    assert F._c_vote_index()
    blob = C.stop_table()
    assert blob[:8] == b"clstop3\0" and len(blob) % 8 == 0
    assert struct.unpack_from("<QQ", blob, 32) == (len(blob), _stop_sum(blob))  # its size, its checksum
    counts = [F._c_vote_index()[code] for code in F._stop_codes()]
    before = _votes_on_the_seeds()
    try:
        assert C.stop_texts(("other\nwords",)) == [2]  # another index in use
        assert C.vote(["the other words"], 10, 1) == [2]
        assert C.stop_load(blob) == counts
        assert _votes_on_the_seeds() == before
        assert C.stop_table() == blob
        # the blob at the start of a file, with what the cache keeps after it
        assert C.stop_load(blob + b"what it was built from") == counts
        assert _votes_on_the_seeds() == before and C.stop_table() == blob
        with pytest.raises(TypeError):  # a buffer that could change under the index
            C.stop_load(bytearray(blob))
    finally:
        F._reset_vote_index()
        assert F._c_vote_index()


def damaged_indexes(blob: bytes) -> list[bytes]:
    """stop_table()'s bytes with one thing wrong each. The layout: a 48-byte header (magic, byte
    order, languages, capacity, words, size, checksum), each language's count (8 bytes), the
    table of 16-byte entries (hash, offset of the word's characters, length, kind, number of
    languages; offset 0: an empty slot), the bloom filter, then each word's characters and
    languages. Most are given the right checksum, to reach the checks behind it."""
    nl, cap, words, size = struct.unpack_from("<IQQQ", blob, 12)
    table = 48 + 8 * nl
    entries = [(table + 16 * s, *struct.unpack_from("<IHBB", blob, table + 16 * s + 8)) for s in range(cap)]
    used = [e for e in entries if e[1]]
    first = min(off for _, off, _, _, _ in used)
    last = max(used, key=lambda e: e[1])
    wide = next(e for e in used if e[3] == 2)  # a word stored two bytes a character

    def patched(offset: int, fmt: str, value, resum: bool = True) -> bytes:
        out = bytearray(blob)
        struct.pack_into(fmt, out, offset, value)
        if resum:
            struct.pack_into("<Q", out, 40, _stop_sum(bytes(out)))
        return bytes(out)

    at = used[0][0]  # an entry
    full = bytearray(blob)  # every empty slot given a copy of it: a probe for a missing word would not end
    for pos, off, _, _, _ in entries:
        if not off:
            full[pos : pos + 16] = blob[at : at + 16]
    struct.pack_into("<Q", full, 24, cap)
    struct.pack_into("<Q", full, 40, _stop_sum(bytes(full)))
    return [
        bytes(full),
        b"", blob[:47], blob[:-8], blob[:-1],  # cut short (the last: its size a multiple of 8 no more)
        memoryview(b"\0" + blob)[1:],  # the right bytes, where an 8-byte word does not start
        patched(0, "<B", ord("x")), patched(8, "<I", 0x04030201),  # magic, byte order
        patched(12, "<I", nl + 1), patched(12, "<I", 300),  # languages
        patched(16, "<Q", cap * 2), patched(16, "<Q", cap + 1), patched(16, "<Q", 8),  # capacity
        patched(24, "<Q", words + 1), patched(24, "<Q", cap),  # words: miscounted, or no slot left empty
        patched(32, "<Q", size + 8), patched(32, "<Q", size - 8),  # size
        patched(40, "<Q", 0, resum=False),  # the checksum
        patched(len(blob) - 9, "<B", blob[-9] ^ 1, resum=False),  # a character (the checksum tells)
        patched(48, "<q", -1),  # a count below zero
        patched(at + 8, "<I", 0),  # a word's slot emptied: the words miscounted
        patched(at + 8, "<I", 48),  # a word in the header
        patched(at + 8, "<I", first - 8),  # a word in the bloom filter
        patched(last[0] + 8, "<I", size),  # a word beyond the blob
        patched(wide[0] + 8, "<I", wide[1] + 1),  # two-byte characters at an odd offset
        patched(at + 12, "<H", 0),  # an empty word
        patched(last[0] + 12, "<H", 0xFFFF),  # a word running out of the blob
        patched(at + 14, "<B", 3),  # a kind of characters no str has
        patched(at + 15, "<B", 0),  # a word of no language
    ]


def test_a_damaged_vote_index_is_refused_and_the_index_in_use_kept():
    assert F._c_vote_index()
    blob = C.stop_table()
    before = _votes_on_the_seeds()
    for k, bad in enumerate(damaged_indexes(blob)):
        with pytest.raises(ValueError):
            C.stop_load(bad)
            pytest.fail(f"damaged index {k} was loaded")
        assert _votes_on_the_seeds() == before, k


@settings(max_examples=300, deadline=None)
@given(st.lists(_any_line, max_size=6), st.integers(0, 60))
def test_generated_votes_identical(lines, max_words):
    codes = F._stop_codes()
    index = F._stop_index()
    words = [w for line in lines for w in F._WORD.findall(line.lower())][:max_words]
    ballot = b"".join(index.get(w, b"") for w in words)
    assert C.vote(lines, max_words, len(codes)) == [ballot.count(k) for k in range(len(codes))]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=HOSTILE + "\n\f \u3000\u2003", max_size=12) | _line, max_size=12).map("\n".join))
def test_generated_line_splits_identical(text):
    """prepare()'s loop in C: the same Line records (type, numbers, offsets, texts, blank flags)
    and the same article starts as the Python loop."""
    from cleaner.document import Line
    from cleaner.textio import _split_lines_py

    c_lines, c_hard = C.split_lines(text, Line, "\f")
    py_lines, py_hard = _split_lines_py(text, Line, "\f")
    assert c_lines == py_lines and c_hard == py_hard
    assert all(type(line) is Line and type(line.blank_before) is bool for line in c_lines)
    assert all(text[line.start:line.end] == line.text for line in c_lines)
    # tuples of ints, a str and a bool: in no reference cycle, left untracked by the collector
    assert not any(gc.is_tracked(line) for line in c_lines)


def test_split_lines_leaves_tracked_a_line_type_with_room_for_more():
    """A tuple subclass with a __dict__ could come to hold a cycle: its lines stay tracked."""

    class Roomy(tuple):
        pass

    lines, _ = C.split_lines("a\nb", Roomy, "\f")
    assert [type(line) for line in lines] == [Roomy, Roomy] and all(gc.is_tracked(line) for line in lines)
    plain, _ = C.split_lines("a\nb", tuple, "\f")
    assert not any(gc.is_tracked(line) for line in plain)


@pytest.mark.bench
def test_bench_line_splits_identical():
    from cleaner.document import Line
    from cleaner.textio import _split_lines_py, normalise

    pages = _bench_pages()
    for page_id, raw in pages:
        text = normalise(raw)[0]
        assert C.split_lines(text, Line, "\f") == _split_lines_py(text, Line, "\f"), page_id


def test_configure_refuses_a_table_with_other_keys_and_keeps_its_own():
    args = [F._FURN, F._FURN_PREFIX, F._COMMENT_FIRST, F._COMMENT_SAYS, tuple(F._COMMENT_CUES), F._COMMENT_TIME.search,
            F._DATE.search, F._SENT_END, F._CLOSERS, F._BULLET_CHARS, F._SEP_CHARS, tuple(F._TEASER_ENDS), F.SHORT_WORDS]
    lines = ["Share", "Comments", "The council met on Monday and voted."]
    before = C.line_features(lines, [False] * 3, None)
    for k, bad in ((0, {**F._FURN, 7: "n"}), (3, frozenset({"says", b"bytes"}))):
        with pytest.raises(TypeError):
            C.configure(*args[:k], bad, *args[k + 1:])
        assert C.line_features(lines, [False] * 3, None) == before  # the tables in use were kept


def test_bad_input_is_an_exception_not_a_crash():
    with pytest.raises(TypeError):
        C.split_lines("a", tuple(), "\f")
    with pytest.raises(TypeError):
        C.split_lines("a", dict, "\f")
    with pytest.raises(ValueError):
        C.split_lines("a", tuple, "ab")
    assert C.split_lines("", tuple, "\f") == ([], [])
    assert C.split_lines("\f\n\nx\n\f\ny", tuple, "\f") == ([(3, 3, 4, "x", True), (5, 7, 8, "y", True)], [1])
    assert F._c_vote_index()  # the index handed over (the vote refuses to run without it)
    with pytest.raises(TypeError):
        C.vote([b"bytes"], 10, 3)
    with pytest.raises(ValueError):
        C.vote(["a"], 10, 257)
    with pytest.raises(TypeError):
        C.stop_texts(("word", b"bytes"))
    with pytest.raises(TypeError):
        C.stop_texts(["word"])
    with pytest.raises(ValueError):
        C.stop_texts(("x" * 70_000,))
    with pytest.raises(ValueError):  # a word's languages are counted in a byte
        C.stop_texts(("word",) * 256)
    assert F._c_vote_index() and C.vote(["the"], 1, 1) is not None  # a failed build kept the table
    with pytest.raises(ValueError):
        C.line_features(["a"], [False], 256)
    with pytest.raises(TypeError):
        C.line_features([b"bytes"], [False], None)
    with pytest.raises(TypeError):
        C.line_features(["a"], [False], ["not", "a", "set"])
    with pytest.raises(IndexError):
        C.line_features(["a", "b"], [False], None)
    with pytest.raises(ValueError):
        C.scores(["a"], [False], None, [1.0], 0.0, [1.0], 0.0)
    # the lines' lower case handed over: a text, one offset more than the lines, a set of indices
    model = (MODEL.pass1.coef, MODEL.pass1.intercept, MODEL.pass2.coef, MODEL.pass2.intercept)
    assert same(C.scores(["Ab", "c"], [False] * 2, None, *model, "ab\nc", [0, 3, 5], set()),
                C.scores(["Ab", "c"], [False] * 2, None, *model))
    for low, offsets, changed in (("ab\nc", [0, 3], None), ("ab\nc", (0, 3, 5), None), (b"ab\nc", [0, 3, 5], None),
                                  ("ab\nc", [0, 3, 5], [0])):
        with pytest.raises(TypeError):
            C.scores(["Ab", "c"], [False] * 2, None, *model, low, offsets, changed)
    for offsets in ([0, 2, 4], [0, 3, 9], [-1, 3, 5]):  # where the lines are not
        with pytest.raises(ValueError):
            C.scores(["Ab", "c"], [False] * 2, None, *model, "ab\nc", offsets, None)
    with pytest.raises(TypeError):
        C.scores(["Ab", "c"], [False] * 2, None, *model, "ab\nc", [0, 3, 5], {"0"})
    with pytest.raises(IndexError):
        C.context_features([0.5, 0.5], {"block_id": [3, 0]}, [1, 1])
    with pytest.raises(KeyError):
        C.context_features([0.5], {}, [1])
    assert C.line_features([], [], None) == ([], {})


_DIGEST = """
import hashlib, json, sys
from cleaner.api import make_engine
engine = make_engine(language=False)
digest = hashlib.sha256()
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            result = engine.clean(json.loads(line)["raw"])
            digest.update(json.dumps(result.to_dict(explain=True), sort_keys=True).encode())
print(digest.hexdigest())
"""


@pytest.mark.bench
def test_the_whole_engine_decides_alike_with_and_without_the_accelerator():
    """Every C fast path at once (the scorer, the vote table, the shared literal search, the line
    split, the shingles): the same decisions, flags and articles, with their explanations, on
    both dev sets as with CLEANER_PURE_PYTHON=1."""
    folder = bench_dir()
    if folder is None:
        pytest.skip("benchmark data not found (../shared/bench or $CLEANER_BENCH_DIR)")
    paths = [str(folder / f"{name}.jsonl") for name in ("scrapinghub-dev", "trafilatura-dev")]
    digests = []
    for value in ("", "1"):
        env = dict(os.environ, CLEANER_PURE_PYTHON=value, PYTHONPATH=str(ROOT))
        out = subprocess.run([sys.executable, "-c", _DIGEST, *paths], env=env, capture_output=True, text=True,
                             check=True)
        digests.append(out.stdout.strip())
    assert len(digests[0]) == 64 and digests[0] == digests[1]


def test_environment_forces_pure_python():
    env = dict(os.environ, CLEANER_PURE_PYTHON="1", PYTHONPATH=str(ROOT))
    code = ("from cleaner.content import features as F; from cleaner.rules import prefilter as P; "
            "print(F.BACKEND, F.speedups, P._find_any)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["Python", "None", "None"]
    env["CLEANER_PURE_PYTHON"] = ""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "C"


def test_version_names_the_backend(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for value, expected, language in (("", "C accelerator", "C kernel"), ("1", "pure Python", "langdetect")):
        env["CLEANER_PURE_PYTHON"] = value
        out = subprocess.run([sys.executable, "-m", "cleaner.cli", "--version"], env=env,
                             capture_output=True, text=True, check=True)
        assert out.stdout.startswith("clean ")
        assert f"(main-content features: {expected}; language detection: {language}; start-up caches: " in out.stdout
    for value, where in (("0", "off)"), (str(tmp_path / "caches"), f"{tmp_path / 'caches'})")):
        env["CLEANER_PATTERN_CACHE"] = value
        out = subprocess.run([sys.executable, "-m", "cleaner.cli", "--version"], env=env,
                             capture_output=True, text=True, check=True)
        assert out.stdout.rstrip("\n").endswith(f"start-up caches: {where}")


# ---------------------------------------------------------------------------------------------
# (d) find_any: the literal prefilter's one-pass search (cleaner/rules/prefilter.py)

def _prefilters():
    from cleaner.rules import prompts

    return [prompts._PROMPT_PREFILTER, prompts._NOTICE_PREFILTER, M._FOOTER_PREFILTER]


@contextlib.contextmanager
def _no_c_search():
    from cleaner.rules import prefilter

    with _patched(prefilter, "_find_any", None), _patched(prefilter, "_group_lines", None):
        yield


@contextlib.contextmanager
def _patched(module, name, value):
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def test_find_any_is_the_c_search():
    from cleaner.rules import prefilter

    assert prefilter._find_any is C.find_any


@pytest.mark.bench
def test_bench_find_any_identical():
    from cleaner.rules.base import DocView, Options
    from cleaner.rules.prefilter import _find_any_py
    from cleaner.textio import prepare

    pages = _bench_pages()
    prefilters = _prefilters()
    for page_id, raw in pages:
        prepared = prepare(raw)
        lines = prepared.lines
        texts = [line.text for line in lines]
        low = "\n".join(texts).lower()
        for pf in prefilters:
            assert C.find_any(low, pf._literal_tuple) == _find_any_py(low, pf._literal_tuple), page_id
            doc = DocView(lines, texts, [True] * len(lines), set(), Options())
            with_c = (pf.positions(doc), pf.lines_holding(texts))
            with _no_c_search():
                doc = DocView(lines, texts, [True] * len(lines), set(), Options())
                plain = (pf.positions(doc), pf.lines_holding(texts))
            assert with_c == plain, page_id


_LITERAL = st.one_of(st.text(alphabet=HOSTILE, min_size=1, max_size=4), st.sampled_from(TOKENS).map(str.lower))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=HOSTILE + "\n", max_size=60) | st.lists(_piece, max_size=10).map(" ".join),
       st.lists(_LITERAL, min_size=0, max_size=12).map(tuple))
def test_generated_find_any_identical(text, literals):
    from cleaner.rules.prefilter import _find_any_py

    assert C.find_any(text, literals) == _find_any_py(text, literals)
    low = text.lower()
    assert C.find_any(low, literals) == _find_any_py(low, literals)
    if all(literals):  # the chains built once (what a prefilter hands over) find the same
        chains = C.literal_set(literals)
        assert C.find_any(text, chains) == C.find_any(text, chains) == _find_any_py(text, literals)
        assert C.find_any(low, chains) == _find_any_py(low, literals)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=HOSTILE + "\n", max_size=60) | st.lists(_piece, max_size=10).map(" ".join),
       st.lists(_LITERAL, min_size=0, max_size=12).map(tuple))
def test_generated_literals_in_identical(text, literals):
    """Which literals a text holds: every one of a position (literals that share a start, one
    inside another), each once, from the chains built once or from the tuple."""
    literals = tuple(lit for lit in literals if lit)
    for t in (text, text.lower(), "".join(literals) + text):
        want = [k for k, lit in enumerate(literals) if lit in t]
        assert C.literals_in(t, literals) == want
        assert C.literals_in(t, C.literal_set(literals)) == want


def test_literals_in_examples_and_bad_input():
    lits = ("like this", "like", "this", "it with", "share it", "e", "zz")
    assert C.literals_in("share it with a friend, like this", lits) == [0, 1, 2, 3, 4, 5]
    assert C.literals_in("", lits) == [] and C.literals_in("abc", ()) == []
    with pytest.raises(TypeError):
        C.literals_in("abc", ["a"])
    with pytest.raises(ValueError):
        C.literals_in("abc", ("a", ""))
    with pytest.raises(TypeError):
        C.literals_in("abc", ("a", b"b"))


def test_branch_search_finds_the_branches_of_the_literals_a_line_holds():
    """K001's stock phrases searched branch by branch, the literals found by the C scan or by a
    substring search each: the same answers as the whole regex."""
    from cleaner.rules import prompts

    bs = prompts._PHRASE_BRANCHES
    lines = ["Like this story? Share it with a friend!", "Thanks for subscribing.", "The story was liked.",
             "Already a subscriber? Log in", "We may earn an affiliate commission.", "nothing here", ""]
    for text in lines:
        want = prompts._PHRASE.search(text) is not None
        assert bs.search(text, text.lower()) == want, text
        with _patched(bs, "_literal_chains", None):
            assert bs.search(text, text.lower()) == want, text


@settings(max_examples=300, deadline=None)
@given(st.lists(_line, min_size=0, max_size=12))
def test_generated_prefilter_lines_identical(lines):
    for pf in _prefilters():
        with_c = pf.lines_holding(lines)
        with _no_c_search():
            plain = pf.lines_holding(lines)
        assert with_c == plain


def test_lower_text_is_lower_keeping_offsets_on_every_code_point():
    """The C lower case (each character's simple mapping) against str.lower with "İ" as "i":
    every code point alone, then in a Latin-1, a two-byte and a four-byte text, with and
    without "Σ" (str.lower's final sigma decides those)."""
    from cleaner.rules.base import _lower_keeping_offsets_py

    for c in range(0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        ch = chr(c)
        assert C.lower_text(ch) == _lower_keeping_offsets_py(ch), hex(c)
    assert all(ord(chr(c).lower()) >= 128 for c in range(128, 256))  # Latin-1 stays non-ASCII
    for text in ("Àb", "ÀΩK", "ΟΔΟΣ ΣΑΣ", "İSTANBUL Σ", "𐐀Σ a", "x" * 10 + "ſK" + "😀", "", "abc", "\u212aÅ", "Жx"):
        got = C.lower_text(text)
        assert got == _lower_keeping_offsets_py(text) and len(got) == len(text), text
    # the two-byte texts (lowered from a table of the plane): all of it in one text, and in blocks
    plane = [chr(c) for c in range(256, 0x10000) if not 0xD800 <= c < 0xE000 and c != 0x3A3]
    for text in ["".join(plane)] + ["".join(plane[k : k + 64]) for k in range(0, len(plane), 64)]:
        assert C.lower_text(text) == _lower_keeping_offsets_py(text)


def test_lower_text_lowers_ascii_blocks_whole():
    """The C lower case lowers eight ASCII characters at once in a text of one byte a character,
    four in a text of two: every ASCII character at every place of such a block, in an ASCII, a
    Latin-1, a two-byte and a four-byte text, against the reference."""
    from cleaner.rules.base import _lower_keeping_offsets_py

    ascii = "".join(map(chr, range(128)))
    for other in ("", "é", "Ā", "K", "😀"):  # "K" (Kelvin) lowers to ASCII "k"
        for shift in range(8):
            text = "x" * shift + ascii + other + ascii[::-1] + ascii[shift:]
            assert C.lower_text(text) == _lower_keeping_offsets_py(text), (other, shift)


def test_lower_text_takes_each_final_sigma_from_its_line():
    """str.lower's final sigma ("Σ" as "ς" after a cased letter and not before one, case-ignorable
    characters between skipped) decided line by line (a line break ends the context): every code
    point before and after a "Σ", in texts of one and of several lines, two- and four-byte."""
    from cleaner.rules.base import _lower_keeping_offsets_py

    for c in range(0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        ch = chr(c)
        for text in (f"A{ch}Σ", f"AΣ{ch}b", f"x\nA{ch}Σ\nb", f"Σ{ch}\nAΣ\n{ch}Σ😀"):
            assert C.lower_text(text) == _lower_keeping_offsets_py(text), (hex(c), text)
    for text in ("ΟΔΟΣ\nΣΑΣ ΣΑΣ.\nΣ", "İΣ\nİSTANBUL Σ", "AΣ\u0301\n", "\n\nΣ\n\n", "aΣ'\nb"):
        assert C.lower_text(text) == _lower_keeping_offsets_py(text), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=HOSTILE + "ΣσςΑΒ𐐀Ωé\n", max_size=40) | _line)
def test_generated_lower_text_identical(text):
    from cleaner.rules.base import _lower_keeping_offsets_py

    assert C.lower_text(text) == _lower_keeping_offsets_py(text)


def test_find_any_bad_input_is_an_exception():
    with pytest.raises(ValueError):
        C.literal_set(("a", ""))
    with pytest.raises(TypeError):
        C.literal_set(["a"])
    with pytest.raises(ValueError):  # a capsule of something else
        C.find_any("abc", __import__("datetime").datetime_CAPI)
    with pytest.raises(ValueError):
        C.find_any("abc", ("a", ""))
    with pytest.raises(TypeError):
        C.find_any("abc", ("a", b"b"))
    with pytest.raises(TypeError):
        C.find_any("abc", ["a"])
    with pytest.raises(TypeError):
        C.find_any(b"abc", ("a",))
    assert C.find_any("", ("a",)) == [] and C.find_any("abc", ()) == []
    # every kind of string against every other, overlapping and at the very end
    for text in ("aaa", "ſſſ", "😀😀😀", "aſ😀aſ😀"):
        for lits in (("aa",), ("ſ😀", "a"), ("😀",), ("😀a", "😀aſ😀x")):
            from cleaner.rules.prefilter import _find_any_py

            assert C.find_any(text, lits) == _find_any_py(text, lits)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=HOSTILE, max_size=30) | _line, max_size=8),
       st.lists(st.tuples(_LITERAL, st.integers(0, 2**5 - 1)), max_size=12),
       st.integers(0, 5))
def test_generated_group_lines_identical(lines, literal_masks, ngroups):
    """The one-pass search of several literal sets against one search per set."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _group_lines_py

    literals = tuple(lit for lit, _ in literal_masks)
    masks = tuple(mask for _, mask in literal_masks)
    for text in ("\n".join(lines), "\n".join(lines).lower()):
        offsets = line_offsets(text.split("\n"))
        assert C.group_lines(text, offsets, literals, masks, ngroups) == \
            _group_lines_py(text, offsets, literals, masks, ngroups)


def test_group_lines_finds_every_group_of_a_line_and_each_line_once():
    from cleaner.rules.base import line_offsets

    lines = ["subscribe to the newsletter", "nothing here", "newsletter newsletter", "", "sub"]
    offsets = line_offsets(lines)
    text = "\n".join(lines)
    # group 0: "newsletter"; group 1: "sub" and "newsletter"; group 2: "absent"
    got = C.group_lines(text, offsets, ("newsletter", "sub", "absent"), (0b011, 0b010, 0b100), 3)
    assert got == [[0, 2], [0, 2, 4], []]
    # a line holding a newline of its own: the offsets, not the newlines, say where lines start
    lines = ["a\nsub", "newsletter"]
    assert C.group_lines("\n".join(lines), line_offsets(lines), ("sub", "newsletter"), (1, 2), 2) == [[0], [1]]


def test_group_lines_every_kind_of_text_and_literal():
    """One-, two- and longer literals of Latin-1 and wider characters, in text of each storage
    kind, overlapping and at the very end: the C scan (one loop per kind, with its pair and
    trigram rejects) against the reference."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _group_lines_py

    literals = ("aa", "ſ😀", "a", "😀", "😀a", "😀aſ😀x", "éa", "aé", "ſa", "aaa", "é", "abĀ", "Āab")
    for lines in (["aaa", "éa"], ["ſſſ", "xaé"], ["😀😀😀", "x😀a"], ["aſ😀aſ😀x", "abĀ"], ["Āab", "ſa"]):
        text = "\n".join(lines)
        offsets = line_offsets(lines)
        for k in range(len(literals)):
            for chosen in (literals[k:k + 1], literals[:k + 1]):
                masks = tuple(1 << (j % 3) for j in range(len(chosen)))
                assert C.group_lines(text, offsets, chosen, masks, 3) == \
                    _group_lines_py(text, offsets, chosen, masks, 3), (lines, chosen)


@pytest.mark.parametrize("alphabet, count, length", [
    ("abcdefghijklmnopqrstuvwxyz", 2_000, 20),  # 38,000-odd states: numbered in 32 bits
    ("".join(map(chr, range(0x400, 0x600))), 3_000, 10),  # 512 classes: no table, the chains
], ids=["wide-states", "chains"])
def test_group_lines_with_more_literals_than_the_small_table_holds(alphabet, count, length):
    """The automaton's table numbers its states in 16 bits up to 32,767 of them, then in 32; past
    four million cells (states times distinct characters) it is not made and the literals'
    chains are searched instead. Each way finds what the reference finds."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _group_lines_py

    rng = random.Random(count)
    literals = tuple(sorted({"".join(rng.choice(alphabet) for _ in range(length)) for _ in range(count)}))
    masks = tuple(rng.randrange(1, 32) for _ in literals)
    lines = []
    for k in range(60):
        words = [rng.choice(literals)[rng.randrange(3):] for _ in range(rng.randrange(4))]  # some cut
        if k % 3 == 0:
            words.append(rng.choice(literals))
        lines.append(" ".join(words) + "".join(rng.choice(alphabet) for _ in range(rng.randrange(30))))
    text, offsets = "\n".join(lines), line_offsets(lines)
    got = C.group_lines(text, offsets, literals, masks, 5)
    assert got == _group_lines_py(text, offsets, literals, masks, 5)
    assert all(got) and all(len(found) < len(lines) for found in got)


def test_group_lines_walks_the_text_in_four_parts_as_line_by_line():
    """The table walks the text as four parts cut at line starts, in step, then what is left of
    each: literals at every place of a line, on lines at and around the cuts, in parts of unequal
    length (one line longer than the rest together, empty lines, a text of one line) are found on
    the lines the reference finds them on."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _group_lines_py

    literals = ("ab", "b", "abc", "cab", "zz")
    masks = (1, 2, 4, 1, 2)
    rng = random.Random(4)
    for trial in range(300):
        lines = ["".join(rng.choice("abcz ") for _ in range(rng.choice((0, 1, 2, 5, 20, 60))))
                 for _ in range(rng.randrange(1, 14))]
        if trial % 5 == 0:
            lines.insert(rng.randrange(len(lines) + 1), "cab " * rng.randrange(30, 90))
        text = "\n".join(lines)
        for t in (text, text.replace("a", "\u0101").replace("b", "\u0101b")):
            offs = line_offsets(t.split("\n"))
            assert C.group_lines(t, offs, literals, masks, 3) == _group_lines_py(t, offs, literals, masks, 3), lines


def test_group_lines_reuses_what_it_built_only_for_the_same_literals_and_masks():
    """group_lines keeps the tables of the last literals and masks it was given (the same tuples
    come with every document); other tuples, or another number of groups, are built anew."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _group_lines_py

    lines = ["subscribe now", "the newsletter", "nothing", "news"]
    text, offsets = "\n".join(lines), line_offsets(lines)
    a, b = ("news", "subscribe"), ("nothing", "the")
    masks_a, masks_b, masks_c = (1, 2), (1, 1), (2, 1)
    for lits, masks, ngroups in ((a, masks_a, 2), (a, masks_a, 2), (b, masks_b, 2), (a, masks_a, 2), (a, masks_c, 2),
                                 (a, masks_c, 1), (a, masks_c, 2)):
        assert C.group_lines(text, offsets, lits, masks, ngroups) == _group_lines_py(text, offsets, lits, masks, ngroups)


def test_opening_keys_identical():
    """T001's and A001's line openings in C (``word_keys``, as teasers.opening_index calls it)
    against the reference: the first k folded words of the first characters, with folds that
    grow a character ("ß", "ﬁ", "İ"), words of digits and "_", characters beyond the BMP, and
    words cut by the character limit."""
    from cleaner.shapes import word_keys_py

    def opening_keys(keys, texts, indices, max_chars, k):
        return keys(texts, indices, k, 0, max_chars, k)

    rng = random.Random(6)
    pieces = ["Straße", "ﬁnal", "İstanbul", "ΣΊΣΥΦΟΣ", "x_1", "42", "😀", "𝔘𝔫𝔦", " ", ", ", "—", "a", "Ǆemal", "ŉ"]
    texts = ["", " ", "one", "A B C D E F G H", "x" * 250 + " tail"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(60))) for _ in range(200)]
    indices = list(range(len(texts)))
    for max_chars, k in ((200, 6), (0, 6), (3, 2), (50, 0), (1000, 40)):
        assert opening_keys(C.word_keys, texts, indices, max_chars, k) == opening_keys(word_keys_py, texts, indices,
                                                                                       max_chars, k)
    some = indices[::3]
    assert opening_keys(C.word_keys, texts, some, 200, 6) == opening_keys(word_keys_py, texts, some, 200, 6)
    assert opening_keys(word_keys_py, ["A B C D E F G H", "a b"], [0, 1], 200, 6) == ["a b c d e f", None]
    with pytest.raises(IndexError):
        opening_keys(C.word_keys, texts, [len(texts)], 200, 6)
    with pytest.raises(TypeError):
        opening_keys(C.word_keys, ["a", b"b"], [1], 200, 6)


_KEY_TEXT = st.lists(st.sampled_from(["Straße", "ﬁ", "İ", "Σ", "x_1", "42", "😀", " ", ", ", "a", "B"]),
                     max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_KEY_TEXT, min_size=1, max_size=6), st.integers(0, 8), st.integers(0, 12), st.integers(-1, 20),
       st.integers(-1, 8))
def test_generated_word_keys_identical(texts, min_words, shortest, max_chars, max_words):
    """``word_keys`` in C against its reference, over every limit: D001's form (-1, -1) and the
    openings' among them."""
    from cleaner.shapes import word_keys_py

    indices = list(range(len(texts)))[::-1]
    assert C.word_keys(texts, indices, min_words, shortest, max_chars, max_words) == word_keys_py(
        texts, indices, min_words, shortest, max_chars, max_words)


def test_column_identical():
    """The lines' texts (the engine's, M001's) and their number -> index table in C against the
    reference, on the lines of the seeds and on tuples of other kinds; a row that is no tuple, or
    too short, is a TypeError."""
    from cleaner.rules.base import _column_py
    from cleaner.textio import prepare

    tables = [prepare(seed.read_text(encoding="utf-8")).lines for seed in SEEDS]
    tables += [(), [(1, "a"), (2, "b"), (1, "c")], [("x",), (None,), ((1, 2),)]]
    for rows in tables:
        for k in range(min(map(len, rows), default=1)):
            assert C.column(rows, k) == _column_py(rows, k)
            assert C.column(rows, k, True) == _column_py(rows, k, True)
    assert C.column([(1,), (1,)], 0, True) == {1: 1}  # the last row of a key, as the dict display
    for bad in ([(1,), [2]], [(1,), ()]):
        for positions in (False, True):
            with pytest.raises(TypeError):
                C.column(bad, 0, positions)
    with pytest.raises(TypeError):
        C.column([([],)], 0, True)  # an unhashable key
    with pytest.raises(ValueError):
        C.column([(1,)], -1)


def test_line_offsets_identical():
    """The C line offsets against the reference, on texts of every storage kind, empty texts, no
    text, and any iterable of str; anything else is a TypeError."""
    from cleaner.rules.base import _line_offsets_py

    rng = random.Random(5)
    pieces = ["", "a", "ab c", "é" * 3, "ſ😀", "\u2028", "x" * 300]
    cases = [[], [""], ["", ""], pieces] + [[rng.choice(pieces) for _ in range(rng.randrange(40))] for _ in range(50)]
    for texts in cases:
        assert C.line_offsets(texts) == _line_offsets_py(texts)
        assert C.line_offsets(tuple(texts)) == C.line_offsets(iter(texts)) == _line_offsets_py(texts)
        assert C.line_offsets(texts)[-1] == (len("\n".join(texts)) + 1 if texts else 0)
    with pytest.raises(TypeError):
        C.line_offsets(["a", b"b"])
    with pytest.raises(TypeError):
        C.line_offsets(3)


def test_still_live_identical():
    """The C still_live against the reference: after random removals, from any list that holds
    every line alive (the whole page, or the lines alive before); the very int objects of
    ``live``; anything but a list of ints within ``alive`` and a list of bools is an error."""
    from cleaner.rules.base import _still_live_py, live_indices

    rng = random.Random(7)
    for n in (0, 1, 2, 5, 300, 1000):
        alive = [True] * n
        known = list(range(n))
        for _ in range(6):
            for i in rng.sample(range(n), min(n, rng.randrange(0, n // 3 + 2))):
                alive[i] = False
            assert C.still_live(known, alive) == _still_live_py(known, alive) == live_indices(alive)
            assert C.still_live(list(range(n)), alive) == live_indices(alive)
            got = C.still_live(known, alive)
            assert all(a is b for a, b in zip(got, _still_live_py(known, alive)))
            known = got
    assert C.still_live([1, 3], [False, True, True, True]) == [1, 3]  # only the lines asked about
    for live, alive, error in (
        ([0, 4], [True] * 4, IndexError),
        ([-1], [True], IndexError),
        (["0"], [True], TypeError),
        ([0], [1], TypeError),
        ((0,), [True], TypeError),
        ([0], (True,), TypeError),
        ([2**70], [True], IndexError),
    ):
        with pytest.raises(error):
            C.still_live(live, alive)


def test_apply_removals_identical():
    """The C apply_removals against the reference: random batches (lines asked twice, lines dead
    already, decisions and indices of unequal length) leave the same ``alive`` and the same
    decisions, the very objects, in order; anything but lists, ints within ``alive`` and bools is
    an error."""
    from cleaner.engine import _apply_batch_py

    rng = random.Random(11)
    for n in (0, 1, 2, 7, 300):
        for _ in range(20):
            alive = [rng.random() < 0.7 for _ in range(n)]
            indices = [rng.randrange(n) for _ in range(rng.randrange(0, 2 * n + 1))] if n else []
            found = [object() for _ in range(len(indices) + rng.choice((0, 0, 1, -1)))]
            alive_c, out_c = alive.copy(), ["before"]
            alive_py, out_py = alive.copy(), ["before"]
            killed = C.apply_removals(indices, found, alive_c, out_c)
            assert killed == _apply_batch_py(indices, found, alive_py, out_py)
            assert alive_c == alive_py and all(a is b for a, b in zip(alive_c, alive_py))
            assert len(out_c) == len(out_py) == killed + 1 and all(a is b for a, b in zip(out_c, out_py))
    for indices, alive, error in (
        ([1], [True], IndexError),
        ([-1], [True], IndexError),
        (["0"], [True], TypeError),
        ([0], [1], TypeError),
        ((0,), [True], TypeError),
        ([0], (True,), TypeError),
    ):
        with pytest.raises(error):
            C.apply_removals(indices, ["d"], alive, [])


_JSON_TEXT = st.text(st.sampled_from(["a", "é", "…", "😀", "\n", "\t", '"', "\\", "/", "\x00", "\x1f", "\x7f",
                                      "\u2028", "\ud83d", "\ude00", "\ufeff", " ", "1"]), max_size=12)
_JSON_SCALAR = st.one_of(_JSON_TEXT, st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                         st.none())
_JSON_NESTED = st.one_of(st.lists(st.one_of(st.integers(), _JSON_TEXT), max_size=3),
                        st.dictionaries(_JSON_TEXT, st.one_of(_JSON_SCALAR, st.lists(_JSON_TEXT, max_size=2)), max_size=3))
_JSON_RECORD = st.lists(st.tuples(_JSON_TEXT, st.one_of(_JSON_SCALAR, _JSON_NESTED)), max_size=5)


def _json_loads_line(line: bytes):
    """What process_jsonl's own path reads from a line: the record, or the error's type."""
    from cleaner.textio import decode

    try:
        text, warnings = decode(line)
        return json.loads(text.strip()), warnings
    except (ValueError, RecursionError) as exc:
        return type(exc), []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON_RECORD, st.booleans(), st.sampled_from([(", ", ": "), (",", ":"), (" ,\t", " :\r\n")]),
       st.sampled_from(["", " ", "\r\n", "\t \n"]), st.data())
def test_generated_json_record_identical(pairs, ascii_only, separators, around, data):
    """The C reader of --jsonl lines against json.loads of the decoded, stripped line: on records
    written every way json writes them (escaped or not, any separators and white space, keys given
    twice, lone surrogates, numbers of every size, nested objects and arrays holding strings with
    brackets and quotes), and on the same lines cut short or with a byte changed. Where it
    answers, it gives json's record exactly (types, order, -0.0); it leaves a line to json only
    when the line is not UTF-8, not an object, holds a lone surrogate outside a nested value, or
    is not JSON."""
    body = "{" + separators[0].join(
        json.dumps(k, ensure_ascii=ascii_only) + separators[1] + json.dumps(v, ensure_ascii=ascii_only)
        for k, v in pairs
    ) + "}"
    line = (around + body + around).encode("utf-8", "surrogatepass")
    variants = [line]
    if line:
        cut = data.draw(st.integers(0, len(line) - 1))
        variants += [line[:cut], line[:cut] + bytes([data.draw(st.integers(0, 255))]) + line[cut + 1:]]
    for raw in variants:
        got = C.json_record(raw)
        want, warnings = _json_loads_line(raw)
        if got is not None:
            assert not warnings and isinstance(want, dict), raw
            assert repr(got) == repr(want), raw
    lone = any(0xD800 <= ord(c) <= 0xDFFF for k, v in pairs for c in k + (v if isinstance(v, str) else ""))
    nested_lone = any(0xD800 <= ord(c) <= 0xDFFF for _, v in pairs if isinstance(v, (list, dict)) for c in json.dumps(v, ensure_ascii=False))
    if not lone and not nested_lone:
        assert repr(C.json_record(line)) == repr(_json_loads_line(line)[0])  # read here, not left to json


def test_json_record_examples_and_bad_input():
    assert C.json_record(b'{"id": 1, "raw": "a\\nb \\u00e9\\ud83d\\ude00", "x": null}\n') == {
        "id": 1, "raw": "a\nb \u00e9\U0001F600", "x": None}
    # the last low surrogate pairs too; a high one before another escape stays apart (left to json)
    assert C.json_record(b'{"a": "\\ud83d\\udfff", "b": 1.5e-3}') == {"a": "\U0001F7FF", "b": 0.0015}
    assert C.json_record(b'{"a": "\\ud83d\\u0041"}') is None
    # nested values, read by json: brackets and quotes inside their strings do not end them
    assert C.json_record(b'{"m": {"k": ["]}", "\\"{"]}, "t": "x", "l": [[], {}]}') == {
        "m": {"k": ["]}", '"{']}, "t": "x", "l": [[], {}]}
    for line in (b"", b"[]", b'{"a": [1}', b'{"a": {"b": 1]}', b'{"a": [1, 2', b'{"a": {"b": NaN}} x', b'{"a": NaN}', b'{"a": -Infinity}', b'{"a": "\\ud800"}', b'{"a": 01}',
                 b'{"a": 1,}', b'{"a": 1} x', b'\xef\xbb\xbf{}', b'{"a": "\xff"}', b'{"a": "\t"}',
                 b'{"a": "\x01n"}', b'{"a": 1.e5}', b'{"a": 1.}', b'{"a": -}', b'{"a": "\\x"}', b'{"a": "\\u12g4"}',
                 b'{"a": 1' + b"0" * 5000 + b"}"):
        assert C.json_record(line) is None, line
    with pytest.raises(TypeError):
        C.json_record('{"a": 1}')


def test_number_list_identical():
    """The C number_list against the reference: a list indexed by number where the numbers are
    dense enough (with None where no line has one, the last line of a number winning), None where
    they are negative, too sparse or too large for a machine int; number_index then gives
    ``column``'s dict, the same table."""
    from cleaner.engine import _number_list_py, number_index

    rng = random.Random(5)
    for n in (0, 1, 2, 10, 300):
        for gap in (1, 2, 5, 40):
            numbers = sorted(rng.sample(range(gap * n + 3), n)) if n else []
            if n > 2 and gap == 5:
                numbers[1] = numbers[2]  # a number given twice
            lines = tuple((number, "text") for number in numbers)
            for spare in (0, 8, 1024):
                got, want = C.number_list(lines, spare), _number_list_py(lines, spare)
                assert got == want
                table = got if got is not None else {line[0]: i for i, line in enumerate(lines)}
                assert all(table[number] == max(i for i, m in enumerate(numbers) if m == number) for number in numbers)
            assert all(number_index(lines)[number] == max(i for i, m in enumerate(numbers) if m == number)
                       for number in numbers)
    assert C.number_list(((3, "a"), (1, "b")), 0) == [None, 1, None, 0]
    # at most ``spare`` + 4 numbers a line: a list; one more, none
    assert C.number_list(((4, "a"),), 0) == [None, None, None, None, 0]
    assert C.number_list(((5, "a"),), 0) is None and C.number_list(((7, "a"),), 3) == [None] * 7 + [0]
    assert C.number_list(((3, "a"), (1, "b")), 0) == _number_list_py(((3, "a"), (1, "b")), 0)
    assert C.number_list([(1, "a")], 0) == [None, 0]  # any sequence of rows
    for lines in (((-1, "a"),), ((10, "a"),), ((2**70, "a"), (1, "b"))):
        assert C.number_list(lines, 0) is None and _number_list_py(lines, 0) is None
    for lines in (((-1, "a"),), ((5000, "a"),), ((2**70, "a"), (1, "b"))):  # past number_index's spare
        assert number_index(lines) == {line[0]: i for i, line in enumerate(lines)}
    for lines, error in ((((),), TypeError), ((("1", "a"),), TypeError), (3, TypeError)):
        with pytest.raises(error):
            C.number_list(lines, 0)


def test_group_lines_bad_input_is_an_exception():
    with pytest.raises(ValueError):
        C.group_lines("abc", [0, 4], ("a", ""), (1, 1), 1)
    with pytest.raises(ValueError):
        C.group_lines("abc", [0, 4], ("a",), (1, 1), 1)  # a mask per literal
    with pytest.raises(ValueError):
        C.group_lines("abc", [0, 4], ("a",), (1,), 65)
    with pytest.raises(ValueError):
        C.group_lines("a\nb", [0, 2, 1], ("a",), (1,), 1)  # offsets must ascend
    with pytest.raises(ValueError):
        C.group_lines("a\nb", [-1, 2, 4], ("a",), (1,), 1)  # ... from 0 or more
    with pytest.raises(ValueError):
        C.group_lines("ab\nc", [0, 1, 4], ("b",), (1,), 1)  # a line that does not follow a newline
    with pytest.raises(TypeError):
        C.group_lines("abc", [0, 4], ("a", b"b"), (1, 1), 1)
    with pytest.raises(TypeError):
        C.group_lines("abc", (0, 4), ("a",), (1,), 1)
    assert C.group_lines("", [0, 1], ("a",), (1,), 1) == [[]]
    assert C.group_lines("abc", [0, 4], (), (), 2) == [[], []]


# ---------------------------------------------------------------------------------------------
# (e) dup_shingles: D001's tokenizer and shingles (cleaner/rules/duplicates.py)

def _words_py(folded: str):
    from cleaner.shapes import WORD

    return tuple(WORD.findall(folded))


def _check_dup_shingles(folded: str, grams_seen: dict | None = None) -> None:
    """C's key, word count and shingle hashes against the Python tokenizer's word tuple."""
    from cleaner.rules import duplicates as D

    toks = _words_py(folded)
    got = C.dup_shingles(folded, D._MIN_EXACT_WORDS, D._MIN_NEAR_WORDS, D._SHINGLE)
    if len(toks) < D._MIN_EXACT_WORDS:
        assert got is None, folded
        return
    key, n, grams = got
    assert type(key) is str and key == " ".join(toks) and n == len(toks), folded
    if n < D._MIN_NEAR_WORDS:
        assert grams is None
        return
    tuples = list(zip(*(toks[j:] for j in range(D._SHINGLE))))
    mine = [C.dup_shingles(" ".join(t), 1, 1, D._SHINGLE)[2] for t in tuples]
    assert all(len(m) == 1 for m in mine)
    hashes = [next(iter(m)) for m in mine]
    assert set(hashes) == grams  # each gram's hash is a function of its words alone
    assert len(grams) == len(set(tuples)), folded  # no two grams of the line share a hash
    if grams_seen is not None:
        for h, t in zip(hashes, tuples):
            assert grams_seen.setdefault(h, t) == t, ("hash collision", t, grams_seen[h])


@pytest.mark.bench
def test_bench_dup_shingles_identical_and_collision_free():
    """Every line of both dev sets: the same words; and no two different 4-grams of the whole
    corpus (a superset of any page) share a C hash, nor a Python hash in this process."""
    from cleaner.textio import prepare

    pages = _bench_pages()
    c_seen: dict = {}
    py_seen: dict = {}
    for page_id, raw in pages:
        for line in prepare(raw).lines:
            folded = line.text.casefold()
            _check_dup_shingles(folded, c_seen)
            toks = _words_py(folded)
            for t in zip(*(toks[j:] for j in range(4))):
                assert py_seen.setdefault(hash(t), t) == t
    assert len(c_seen) > 100_000  # the check covered the corpus


@settings(max_examples=500, deadline=None)
@given(st.one_of(_line, st.text(max_size=60), st.text(alphabet=HOSTILE, max_size=80)))
def test_generated_dup_shingles_identical(text):
    _check_dup_shingles(text.casefold())
    _check_dup_shingles(text)


def test_dup_shingles_bad_input_is_an_exception():
    with pytest.raises(TypeError):
        C.dup_shingles(b"abc", 1, 1, 4)
    with pytest.raises(ValueError):
        C.dup_shingles("abc", 1, 1, 0)
    assert C.dup_shingles("", 0, 0, 4) == ("", 0, set())
    assert C.dup_shingles("...", 1, 1, 4) is None


def test_casefold_is_str_casefold_on_all_of_unicode():
    """Every character folded alone and all of them in one text (folds that expand, such as
    "ß" and "ΐ", and characters of four bytes included), and the same characters again: the
    second time each fold comes from the table."""
    chars = _every_char()
    for _ in range(2):
        assert [C.casefold(c) for c in chars] == [c.casefold() for c in chars]
        whole = "".join(chars)
        assert C.casefold(whole) == whole.casefold()
        bmp = "".join(c for c in chars if ord(c) < 0x10000)
        assert C.casefold(bmp) == bmp.casefold()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=HOSTILE, max_size=60), st.text(max_size=60))
def test_generated_casefold(hostile, text):
    for t in (hostile, text, hostile + text, text.encode("latin-1", "ignore").decode("latin-1")):
        assert C.casefold(t) == t.casefold()


def test_word_keys_bad_input_is_an_exception():
    with pytest.raises(TypeError):
        C.word_keys(["one two three four five"], (0,), 5, 9, -1, -1)
    with pytest.raises(TypeError):
        C.word_keys([b"one two three four five"], [0], 5, 9, -1, -1)
    with pytest.raises(IndexError):
        C.word_keys(["one two three four five"], [1], 5, 9, -1, -1)
    with pytest.raises(IndexError):
        C.word_keys(["one two three four five"], [-1], 5, 9, -1, -1)
    with pytest.raises(ValueError):
        C.word_keys(["one two three four five"], [0], 5, 9, -2, -1)
    with pytest.raises(ValueError):
        C.word_keys(["one two three four five"], [0], 5, 9, -1, -2)
    with pytest.raises(TypeError):
        C.casefold(b"abc")
    assert C.word_keys([], [], 5, 9, -1, -1) == []
    # the words of the fold ("ß" folds to "ss", the combining ypogegrammeni to a letter "ι"),
    # None under five words; the lines in the segment's order
    texts = ["A b C d ß", "a b c d", "x\u0345 b c d e", "Straße und Maße sind hier"]
    from cleaner.shapes import word_keys_py

    for keys in (C.word_keys, word_keys_py):
        assert keys(texts, [3, 0, 1, 2], 5, 9, -1, -1) == ["strasse und masse sind hier", "a b c d ss", None, "xι b c d e"]
        # the limits: at most 3 words of the first 9 characters ("Straße un": a word cut short)
        assert keys(texts, [3, 0], 2, 0, 9, 3) == ["strasse un", "a b c"]
        # ``shortest`` counts the fold's characters: "A b C d ß" has 9, its fold 10
        assert keys(texts, [3, 0], 0, 10, -1, 0) == ["", ""]
        assert keys(texts, [0], 0, 11, -1, 0) == [None]


def _d001_decisions(raws):
    from cleaner.api import make_engine
    from cleaner.textio import prepare

    engine = make_engine(language=False)
    out = []
    for raw in raws:
        decisions, _ = engine.decide(prepare(raw))
        out.append([d.to_dict() for d in decisions])
    return out


@contextlib.contextmanager
def _dup_python():
    """D001 on its Python path: the Python tokenizer and the Python loop."""
    from cleaner.rules import duplicates

    with _patched(duplicates, "_dup_scan", None):  # (the Python loop tokenizes with _words_of)
        yield


def _d001_on(raw: str) -> list:
    from cleaner.rules.base import DocView, Options
    from cleaner.rules.duplicates import DuplicateParagraph
    from cleaner.textio import prepare

    prepared = prepare(raw)
    lines = prepared.lines
    doc = DocView(lines, [line.text for line in lines], [True] * len(lines), set(prepared.hard_starts), Options())
    return [d.to_dict() for d in DuplicateParagraph().check(doc)]


_DUP_SENTENCES = (
    "The council approved the new budget for the city schools on Monday after a long debate",
    "The council approved the new budget for the city schools on Monday after a debate.",
    "the COUNCIL approved the new budget for the city schools on monday, after a long debate.",
    "Officials said the plan would cut waiting times at the hospital by half within two years.",
    "Officials said the plan would cut waiting times at the hospital by half within",
    "What did you think of the show?", "Tell us more about the show and the band tonight",
    "Residents were asked to leave their homes before the storm reached the coast on Friday night",
    "A B C D E F G H I J K L M", "a b c d e f g h i j k l m n o p.", "x",
    # one phrase shared by lines that are not near-duplicates: its gram's postings fill up
    "In a statement the mayor said that the bridge would reopen in the spring of next year.",
    "In a statement the mayor said that police had arrested two men near the old harbour.",
    "In a statement the mayor said that the museum will stay closed until the repairs end.",
    "In a statement the mayor said that taxes would not rise before the election in May.",
    "In a statement the mayor said that the bridge would reopen in the spring, officials confirmed.",
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DUP_SENTENCES), st.sampled_from(["\n", "\n\n", "\n\f\n"])),
                min_size=1, max_size=14))
def test_generated_d001_scan_identical(parts):
    """D001's scan in C against its Python loop on articles made of repeated, near-repeated,
    truncated and refrain lines (headlines, article breaks): the same removals, in order."""
    raw = "".join(text + sep for text, sep in parts)
    got = _d001_on(raw)
    with _dup_python():
        assert got == _d001_on(raw)


def test_d001_scan_lists_a_gram_in_its_first_four_lines_only():
    """A phrase that opens five paragraphs (too little of each to make them near-duplicates):
    its grams list the first four (D001's bound on the work per gram). A near-duplicate of the
    fourth is found through the phrase and its own words, in C as in Python."""
    phrase = "In a statement on Monday evening the mayor said"
    tails = ["the bridge over the wide river would reopen in the spring of next year",
             "police had arrested two young men near the old harbour late on Sunday",
             "the museum in the old town will stay closed until its roof is repaired",
             "the council would vote on the new budget for the schools next Thursday",
             "the city had hired three hundred more nurses for its hospitals this winter"]
    # the fourth's phrase and first six words, then words of its own: a near-duplicate of the
    # fourth only through the phrase's grams
    lines = [f"{phrase} {t}." for t in tails] + [f"{phrase} the council would vote on the river banks and roads."]
    got = _d001_on("\n\n".join(lines))
    with _dup_python():
        assert got == _d001_on("\n\n".join(lines))
    assert [(d["line"], d["reason"]) for d in got] == [(11, "near-duplicate of line 7")]


def test_d001_scan_bad_input_is_an_exception():
    with pytest.raises(ValueError):
        C.dup_scan(["a b"], [], -1, bool, 12, 4, 0.6, 4)
    with pytest.raises(ValueError):
        C.dup_scan(["a b"], [False], -1, bool, 12, 4, 0.6, 5)
    with pytest.raises(TypeError):
        C.dup_scan([b"a b"], [False], -1, bool, 12, 4, 0.6, 4)
    with pytest.raises(ZeroDivisionError):  # an error of ``complete`` reaches the caller
        C.dup_scan(["a b c d", "a b c e"], [False] * 2, -1, lambda p: 1 / 0, 1, 1, 0.6, 4)
    assert C.dup_scan([None, "a b c d e", "a b c d e"], [False] * 3, -1, bool, 12, 4, 0.6, 4) == [(0, 2, 1)]


@pytest.mark.bench
def test_bench_d001_decisions_identical():
    """The whole engine's decisions (D001's included) with D001's C tokenizer and without."""
    pages = _bench_pages()
    raws = [raw for _, raw in pages]
    with_c = _d001_decisions(raws)
    with _dup_python():
        plain = _d001_decisions(raws)
    assert with_c == plain
    assert sum(d["code"] == "D001" for page in with_c for d in page) > 50


_PARA = st.sampled_from([
    "The committee published its report on Thursday after two years of hearings and witnesses.",
    "the committee published its report on thursday, after two years of hearings and witnesses",
    "The committee published its report on Thursday after two years of hearings",
    "İt found that the agency had ignored repeated warnings about the state of the dam for years.",
    "It found that the agency had ignored repeated warnings about the ſtate of the dam for years",
    "Officials said they would respond within a month and name the managers in the report soon.",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PARA, _line), min_size=1, max_size=12))
def test_generated_d001_decisions_identical(paras):
    raws = ["\n".join(paras), "\n\n".join(paras)]
    with_c = _d001_decisions(raws)
    with _dup_python():
        plain = _d001_decisions(raws)
    assert with_c == plain


# ---------------------------------------------------------------------------------------------
# (e) word_count: the number of \w+ words (cleaner/shapes.py), counted without a list of words

def test_word_count_is_the_c_count():
    from cleaner import shapes

    assert shapes.word_count is C.word_count


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=HOSTILE + "\n", max_size=80) | st.lists(_piece, max_size=10).map(" ".join)
       | st.text(max_size=40))
def test_generated_word_count_identical(text):
    from cleaner.shapes import word_count_py

    assert C.word_count(text) == word_count_py(text)


def test_word_count_over_all_of_unicode():
    from cleaner.shapes import word_count_py

    chars = _every_char()
    # every character alone, and every character between two word characters and two spaces
    assert [C.word_count(ch) for ch in chars] == [word_count_py(ch) for ch in chars]
    text = " ".join(chars)
    assert C.word_count(text) == word_count_py(text)
    assert C.word_count("a".join(chars)) == word_count_py("a".join(chars))


@pytest.mark.bench
def test_bench_word_count_identical():
    from cleaner.shapes import word_count_py

    pages = _bench_pages()
    for page_id, raw in pages:
        for line in raw.split("\n"):
            assert C.word_count(line) == word_count_py(line), (page_id, line)


# ---------------------------------------------------------------------------------------------
# (f) furniture_lines: U001's lines of vocabulary words (cleaner/rules/ui.py)

def test_furniture_lines_is_the_c_pass():
    from cleaner.rules import ui

    assert ui.furniture_lines is C.furniture_lines


def _check_furniture_lines(texts, vocabulary=None, max_len=120, max_words=8):
    from cleaner.rules import ui
    from cleaner.rules.base import line_offsets

    vocabulary = ui._VOCABULARY if vocabulary is None else vocabulary
    joined = "\n".join(texts)
    offsets = line_offsets(texts)
    live = list(range(len(texts)))[::-1][::2] + list(range(len(texts)))[1::2]  # any order, some lines
    got = C.furniture_lines(joined, offsets, live, vocabulary, max_len, max_words)
    assert got == ui.furniture_lines_py(joined, offsets, live, vocabulary, max_len, max_words)
    return got


_FURNITURE_PIECES = st.sampled_from(
    ["Share", "SHARE", "ſhare", "print", "Drucken", "DRUCKEN", "Teilen", "Читать", "русском", "English", "in",
     "this", "article", "+", "-", "--", "+1", "12", "٣", "²", "①", "2024", "_", "·", "|", " ", "  ", "\n", "\t",
     "(", ")", "votes", "hello", "ß", "STRASSE", "İ", "K", "e-mail", "E-Mail", "ﬁ", "𝐀", "x" * 121, "Share-",
     "-print+", "+-Teilen-+", "12-", "-٣"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_FURNITURE_PIECES, max_size=10).map(" ".join) | st.text(alphabet=HOSTILE + "\n+-_ ", max_size=40),
                max_size=8),
       st.integers(0, 130), st.integers(0, 9))
def test_generated_furniture_lines_identical(texts, max_len, max_words):
    _check_furniture_lines(texts)
    _check_furniture_lines(texts, None, max_len, max_words)
    # another vocabulary (its table is made again), with words that fold or hold digits
    _check_furniture_lines(texts, frozenset({"strasse", "ss", "i̇", "k", "12a", "e-mail", "fi"}), max_len, max_words)


def test_furniture_lines_over_all_of_unicode():
    """Every character alone on a line, and between vocabulary words: its fold, whether it is
    a word character and whether it is a digit decide as in the reference."""
    chars = _every_char()
    vocabulary = frozenset(["share", "print", *(c.casefold() for c in chars[::97])])
    _check_furniture_lines(chars, vocabulary)
    _check_furniture_lines([f"share{c}print {c}" for c in chars], vocabulary)


def test_furniture_lines_examples_and_bad_input():
    texts = ["Share this article", "Print", "Read in English", "The vote was close.", "Share 12 + -", "12 34",
             "Share " * 30, "ſHARE", "Teilen · Drucken", "--Share-- +print+", "share-print"]
    # positions in live, which holds lines 10, 8, 6, 4, 2, 0, 1, 3, 5, 7, 9: all but the token
    # "share-print" (10), which no stripping of its ends makes a word of the vocabulary, the line
    # over 120 characters (6), the sentence (3) and the numbers alone (5)
    assert _check_furniture_lines(texts) == [1, 3, 4, 5, 6, 9, 10]
    with pytest.raises(IndexError):
        C.furniture_lines("a", [0, 2], [1], frozenset(), 120, 8)
    with pytest.raises(ValueError):
        C.furniture_lines("a", [0, 5], [0], frozenset(), 120, 8)
    with pytest.raises(TypeError):
        C.furniture_lines("a", [0, 2], [0], ["a"], 120, 8)
    with pytest.raises(TypeError):
        C.furniture_lines("a", [0, 2], [0], frozenset([b"a"]), 120, 8)


@pytest.mark.bench
def test_bench_furniture_lines_identical():
    from cleaner.textio import prepare

    found = 0
    for page_id, raw in _bench_pages():
        texts = [line.text for line in prepare(raw).lines]
        found += len(_check_furniture_lines(texts))
    assert found > 1000


# ---------------------------------------------------------------------------------------------
# (f2) name_shaped: B001's name line (credits._NAME) in one pass

def _check_name(text: str) -> bool:
    from cleaner.rules import credits

    want = credits._NAME.match(text) is not None
    assert C.name_shaped(text) is want, repr(text)
    assert credits._name_shaped_py(text) is want, repr(text)
    return want


_NAME_PARTS = st.sampled_from(
    ["Maria", "Lopez", "M.", "Jane", "O'Neil", "D’Arc", "Jean-Luc", "Ана", "Ёж", "Élan", "Þór", "×", "de", "von",
     "x", "A", "Z.", "1", "_", " ", "  ", "\t", "\u00a0", "\u2028", "\n", ".", "..", "'", "-", "(", ")", "é", "ß", "İ",
     "Ǆ", "𝐀", "Ǳa"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_NAME_PARTS, max_size=12).map("".join), st.lists(_NAME_PARTS, max_size=8).map(" ".join))
def test_generated_name_shaped_identical(glued, spaced):
    _check_name(glued)
    _check_name(spaced)
    _check_name(spaced + "\n")


def test_name_shaped_over_all_of_unicode():
    """Each character opening a name, inside its words, and between them (the regex alone is
    the reference here: the first-letter table is checked over Unicode by test_fastpaths)."""
    from cleaner.rules import credits

    match = credits._NAME.match
    found = 0
    for c in _every_char():
        for text in (f"{c}aria Lopez", f"Maria Lo{c}ez", f"Maria{c}Lopez"):
            want = match(text) is not None
            assert C.name_shaped(text) is want, repr(text)
            found += want
    assert found > 1000


def test_name_shaped_examples_and_bad_input():
    assert [C.name_shaped(t) for t in ("Maria Lopez", "Jane M. Doe", "A B C D", "A B C D E", "Maria", "Maria lopez",
                                       "Maria Lopez\n", "Maria Lopez \n", "", "Ana Souza.")] == [
        True, True, True, False, False, False, True, False, False, True]
    with pytest.raises(TypeError):
        C.name_shaped(b"Maria Lopez")


_BYLINE_PIECES = st.sampled_from(
    ["By", "by", "BY", "Von", "Par", "Maria", "Lopez", "Jane", "M.", "Doe", "de", "About", "Privacy", "Politics",
     "Ana", "İ", "ı", "Ж", "é", " ", "  ", "\t", ",", "(", ")", ".", "x" * 40, "\u00a0", "’", "-"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_BYLINE_PIECES, max_size=8).map("".join), max_size=10), st.data())
def test_generated_byline_candidates_identical(texts, data):
    """B001's candidate lines in C against the reference: lines that may open with a byline's
    preposition or are name-shaped, with or without a comma or bracket in the line under them, of
    every length around the limit, from any end, over an index list that skips and repeats lines."""
    from cleaner.rules import credits

    indices = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=12)) if texts else []
    end = data.draw(st.integers(-1, len(indices) + 1))
    max_len = data.draw(st.integers(0, 90))
    got = C.byline_candidates(texts, indices, end, max_len, credits._BY_FIRST)
    assert got == credits._byline_candidates_py(texts, indices, end, max_len, credits._BY_FIRST)


def test_byline_candidates_examples_and_bad_input():
    from cleaner.rules import credits

    texts = ["Maria Lopez", "Minister, Council", "Home Page", "News", "By Jane Doe", "x" * 81, "Jane Doe", "(retired)"]
    # a name over a comma, a "By" line, a name over a bracket; not a name over a line without
    # either, nor the last line (nothing under it), nor a line over the limit
    assert C.byline_candidates(texts, list(range(8)), 8, 80, credits._BY_FIRST) == [0, 4, 6]
    assert C.byline_candidates(texts, [2, 1], 2, 80, credits._BY_FIRST) == [0]  # the line under, by index
    assert C.byline_candidates(texts, list(range(8)), 4, 80, credits._BY_FIRST) == [0]
    # the line under the last one read may lie past ``end`` (the first prose line can be a bio's)
    assert C.byline_candidates(texts, list(range(8)), 1, 80, credits._BY_FIRST) == [0]
    # a line of exactly ``max_len`` characters is read, one more is not
    assert C.byline_candidates(texts, list(range(8)), 8, len("Maria Lopez"), credits._BY_FIRST) == [0, 4, 6]
    assert C.byline_candidates(texts, list(range(8)), 8, len("Maria Lopez") - 1, credits._BY_FIRST) == [6]
    for args, error in (
        ((texts, [9], 1, 80, credits._BY_FIRST), IndexError),
        ((texts, ["0"], 1, 80, credits._BY_FIRST), TypeError),
        ((["a", b"b"], [1], 1, 80, credits._BY_FIRST), TypeError),
        ((tuple(texts), [0], 1, 80, credits._BY_FIRST), TypeError),
    ):
        with pytest.raises(error):
            C.byline_candidates(*args)


@pytest.mark.bench
def test_bench_name_shaped_identical():
    assert sum(_check_name(line.strip()) for _, raw in _bench_pages() for line in raw.split("\n")) > 100


# ---------------------------------------------------------------------------------------------
# (g) prose_position: the first (or last) prose line of an article (cleaner/shapes.py)

_PROSE_PIECES = st.sampled_from(
    ["word", "The", "ends", "here", ".", "!", "?", "。", "…", ":", ",", "'", '"', "’", "”", "»", ")", "]", "(",
     " ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\u0085", "\x1c", "\n", "١٢", "_", "-", "é", "ß", "Ж"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_PROSE_PIECES, max_size=30).map("".join), max_size=8), st.data())
def test_generated_prose_position_identical(texts, data):
    from cleaner.shapes import _CLOSERS, _SENTENCE_MARK_CHARS, prose_position_py

    indices = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=10)) if texts else []
    for min_words in (1, 3, 12):
        for reverse in (False, True):
            want = prose_position_py(texts, indices, min_words, reverse)
            assert C.prose_position(texts, indices, min_words, reverse, _CLOSERS, _SENTENCE_MARK_CHARS) == want


def test_prose_position_reads_every_space_and_mark():
    """Characters as the line's last (after twelve words): every whitespace character of
    Unicode, every mark and closer, and every 97th code point besides, alone, after a mark and
    after a mark and a closer, as is_prose reads them."""
    from cleaner import shapes
    from cleaner.shapes import prose_position_py

    body = "one two three four five six seven eight nine ten eleven twelve"
    every = _every_char()
    chars = [ch for ch in every if ch.isspace()] + list(shapes._CLOSERS + shapes._SENTENCE_MARK_CHARS) + every[::97]
    texts = [body + ch for ch in chars] + [body + "." + ch for ch in chars] + [body + ".)" + ch for ch in chars]
    for k in range(len(texts)):
        assert shapes.prose_position(texts, [k]) == prose_position_py(texts, [k]), hex(ord(texts[k][-1]))


@pytest.mark.bench
def test_bench_prose_position_identical():
    from cleaner import shapes
    from cleaner.shapes import prose_position_py

    for page_id, raw in _bench_pages():
        lines = raw.split("\n")
        every = list(range(len(lines)))
        for start in range(0, len(lines), 7):  # every seventh line on: the first prose line of each tail
            tail = every[start:]
            assert shapes.prose_position(lines, tail) == prose_position_py(lines, tail), page_id
            assert shapes.prose_position(lines, tail, 8, True) == prose_position_py(lines, tail, 8, True), page_id


# ---------------------------------------------------------------------------------------------
# (h) date_hint_lines / stamp_hint_lines: B003's and M002's digit searches of a page

_HINT_PIECES = st.sampled_from(
    ["1", "2", "9", "0", "19", "20", "1999", "2024", "12", ".", "/", "-", ":", " ", "x", "\n", "١", "٢", "٠", "٩",
     "１", "²", "½", "Ⅻ", "a1", "Jan", "—", "::"]
)


def _hint_cases():
    from cleaner.rules import comments, credits

    return [(credits._DATE_HINT, C.date_hint_lines), (comments._STAMP_HINT, C.stamp_hint_lines)]


def _hint_lines_py(lines, pattern):
    from cleaner.rules.prefilter import DocText

    return DocText(lines).lines_matching(pattern, digit=True)


def _hint_lines_c(lines, pattern, c_lines):
    from cleaner.rules.prefilter import DocText

    return DocText(lines).lines_matching(pattern, digit=True, c_lines=c_lines)


def test_hint_searches_are_the_rules_c_searches():
    from cleaner.rules import comments, credits

    assert credits._DATE_HINT_LINES is C.date_hint_lines and comments._STAMP_HINT_LINES is C.stamp_hint_lines


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_HINT_PIECES, max_size=12).map("".join), min_size=1, max_size=8))
def test_generated_hint_lines_identical(lines):
    lines = [line for text in lines for line in text.split("\n")]  # one line a str, as a page's
    for pattern, c_lines in _hint_cases():
        assert _hint_lines_c(lines, pattern, c_lines) == _hint_lines_py(lines, pattern), pattern.pattern


def test_hint_lines_over_every_decimal_digit():
    """Every character between and around digits and separators: the digits of every script
    (\\d), and the characters before a line (the lookbehind reads the joining "\\n")."""
    every = _every_char()
    odd = [ch for ch in every if ch.isdecimal() or ch.isdigit() or ch.isnumeric()] + list(".:/-\n ") + every[::211]
    lines = []
    for ch in odd:
        lines += [f"1{ch}2", f"{ch}.5", f"1{ch}99", f"2{ch}1", f"{ch}9{ch}{ch}", f"{ch}:{ch}", f"19{ch}0"]
    for pattern, c_lines in _hint_cases():
        assert _hint_lines_c(lines, pattern, c_lines) == _hint_lines_py(lines, pattern), pattern.pattern


@pytest.mark.bench
def test_bench_hint_lines_identical():
    for page_id, raw in _bench_pages():
        lines = raw.split("\n")
        for pattern, c_lines in _hint_cases():
            assert _hint_lines_c(lines, pattern, c_lines) == _hint_lines_py(lines, pattern), page_id


# What JSON escapes, and characters of each storage width (one, two and four bytes a character)
_JSON_CHARS = st.sampled_from('"\\/\n\r\t\b\f\x00\x01\x1f\x20\x7f~aé\xff\u0100\u2028\ud800\udfff\U0001d54f')


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_JSON_CHARS | st.characters(), max_size=40) | _any_line)
def test_json_string_writes_what_json_writes(text):
    """--jsonl's string encoder: json.encoder.encode_basestring's text (ensure_ascii=False), lone
    surrogates included, whatever the string's width and wherever its escapes fall."""
    import json.encoder

    assert C.json_string(text) == json.encoder.encode_basestring(text)


def test_json_string_finds_each_escape_at_every_place_of_a_block():
    """Each character JSON escapes, alone at each place of the sixteen-byte blocks json_string
    reads (two of them and a tail), in strings one, two and four bytes a character wide."""
    import json.encoder

    escaped = [chr(c) for c in range(0x20)] + ['"', "\\"]
    for width in ("", "\xe9", "\u0100", "\U0001d54f"):
        for ch in escaped:
            for k in range(36):
                text = width + "a" * k + ch + "b" * (35 - k)
                assert C.json_string(text) == json.encoder.encode_basestring(text), (width, ch, k)
        assert C.json_string(width + "x" * 40) == json.encoder.encode_basestring(width + "x" * 40)


def test_jsonl_lines_use_the_c_string_encoder():
    """With the accelerator, the JSON lines (output.json_text) go through json's C encoder with
    json_string (the fallback, json.dumps, would hide a Python whose json encoder changed its
    arguments)."""
    import json

    from cleaner import output

    encode = output._json_encoder()
    assert not isinstance(encode, functools.partial)
    record = {"raw": 'a "quoted"\nline\t\x00', "n": [1, 2.5, None, True], "é": {"k": "\ud800"}}
    assert encode(record) == json.dumps(record, ensure_ascii=False)
    with pytest.raises(TypeError):
        C.json_string(b"bytes")


def test_lower_pairs_are_the_python_scan_of_every_code_point():
    """The pairs the case-sensitive rewrite of patterns finds its sets from (cleaner/patterns.py)."""
    from cleaner import patterns

    assert C.lower_pairs() == patterns._lower_pairs_py()
    assert (0x212A, ord("k")) in C.lower_pairs()  # the Kelvin sign lowers to k
