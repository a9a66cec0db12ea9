"""Edge cases of the two benchmark metrics, on tiny inputs with hand-computed numbers.

Words are single letters so the 4-grams can be listed by hand.
"""

from __future__ import annotations

from collections import Counter

import pytest

from cleaner.bench.metrics import (
    PageScore,
    SnippetCounts,
    normalise_space,
    shingle_f1,
    shingle_page,
    shingles,
    snippet_f1,
    snippet_page,
)

approx = pytest.approx

# ---------------------------------------------------------------- shingles


def test_shingles_are_consecutive_word_4grams() -> None:
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})


def test_fewer_than_four_words_have_no_shingle() -> None:
    assert shingles("a b c") == Counter()
    assert shingles("") == Counter()


def test_tokens_are_unicode_words_punctuation_and_layout_ignored() -> None:
    assert shingles("Ça  va,\ntrès—bien!") == Counter({("Ça", "va", "très", "bien"): 1})


def test_tokens_are_case_sensitive() -> None:
    score = shingle_page("ça va très bien", "Ça va très bien")
    assert (score.tp, score.fp, score.fn) == (0.0, 0.5, 0.5)


# ---------------------------------------------------------------- one page


def test_perfect_match() -> None:
    score = shingle_page("a b c d e f", "a b c d e f")
    assert (score.tp, score.fp, score.fn) == (1.0, 0.0, 0.0)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_layout_does_not_matter() -> None:
    assert shingle_page("a b\n\nc, d. e", "a b c d e").f1 == 1.0


def test_empty_prediction_recall_zero_precision_left_out() -> None:
    score = shingle_page("", "a b c d e")  # truth: 2 shingles, all missed
    assert (score.tp, score.fp, score.fn) == (0.0, 0.0, 1.0)
    assert score.precision is None  # tp + fp = 0: out of the precision mean
    assert score.recall == 0.0
    assert score.f1 == 0.0


def test_empty_truth_precision_zero_recall_left_out() -> None:
    score = shingle_page("a b c d e", "")
    assert (score.tp, score.fp, score.fn) == (0.0, 1.0, 0.0)
    assert score.precision == 0.0
    assert score.recall is None  # tp + fn = 0: out of the recall mean
    assert score.f1 == 0.0


def test_both_empty_is_perfect() -> None:
    # fp = fn = 0, so precision and recall are 1 by the README's rule
    score = shingle_page("", "")
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    # same when both are too short to have any 4-gram
    assert shingle_page("a b c", "x y").f1 == 1.0


def test_partial_overlap() -> None:
    # prediction: abcd bcde cdef ; truth: abcd bcde cdex dexy -> tp 2, fp 1, fn 2 (sum 5)
    score = shingle_page("a b c d e f", "a b c d e x y")
    assert (score.tp, score.fp, score.fn) == approx((0.4, 0.2, 0.4))
    assert score.precision == approx(2 / 3)
    assert score.recall == approx(1 / 2)
    assert score.f1 == approx(4 / 7)


def test_multiset_counts_missing_repeat_is_a_false_negative() -> None:
    # truth "a b c d a b c d": abcd x2, bcda, cdab, dabc (5); prediction: abcd x1
    score = shingle_page("a b c d", "a b c d a b c d")
    assert (score.tp, score.fp, score.fn) == approx((0.2, 0.0, 0.8))
    assert score.precision == 1.0
    assert score.recall == approx(0.2)
    assert score.f1 == approx(1 / 3)


def test_multiset_counts_extra_repeat_is_a_false_positive() -> None:
    score = shingle_page("a b c d a b c d", "a b c d")
    assert (score.tp, score.fp, score.fn) == approx((0.2, 0.8, 0.0))
    assert score.precision == approx(0.2)
    assert score.recall == 1.0


def test_order_matters_only_inside_a_shingle() -> None:
    # the two 5-word paragraphs swapped: abcde fghij vs fghij abcde
    # prediction: abcd bcde cdef defg efgh fghi ghij ; truth: fghi ghij hija ijab jabc abcd bcde
    score = shingle_page("a b c d e f g h i j", "f g h i j a b c d e")
    assert (score.tp, score.fp, score.fn) == approx((0.4, 0.3, 0.3))  # tp 4, fp 3, fn 3 (sum 10)
    assert score.f1 == approx(4 / 7)


# ---------------------------------------------------------------- averaging pages


def test_average_excludes_undefined_precision_and_recall() -> None:
    pages = [
        shingle_page("a b c d", "a b c d a b c d"),  # P 1, R 0.2
        shingle_page("", "a b c d e"),  # P left out, R 0
        shingle_page("a b c d e", ""),  # P 0, R left out
    ]
    score = shingle_f1(pages)
    assert score.precision == approx(0.5)  # (1 + 0) / 2
    assert score.recall == approx(0.1)  # (0.2 + 0) / 2
    assert score.f1 == approx(1 / 6)  # 2 * 0.5 * 0.1 / 0.6


def test_f1_is_harmonic_mean_of_the_averages_not_mean_of_page_f1() -> None:
    pages = [PageScore(0.5, 0.5, 0.0), PageScore(0.5, 0.0, 0.5)]  # (P 0.5, R 1) and (P 1, R 0.5)
    score = shingle_f1(pages)
    assert (score.precision, score.recall) == approx((0.75, 0.75))
    assert score.f1 == approx(0.75)  # while each page's F1 is 2/3


def test_no_page_gives_zero() -> None:
    assert tuple(shingle_f1([]).__dict__.values()) == (0.0, 0.0, 0.0)


def test_pages_with_only_excluded_values_give_zero() -> None:
    score = shingle_f1([shingle_page("", "a b c d")])  # precision mean empty, recall 0
    assert (score.f1, score.precision, score.recall) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------- snippets


def test_normalise_space() -> None:
    assert normalise_space("  a \t b\n\n c  ") == "a b c"
    assert normalise_space("a\u00a0b") == "a b"  # no-break space is white space too


def test_snippet_whitespace_is_normalised_on_both_sides() -> None:
    output = "Hello   world\n\nfoo\tbar"
    counts = snippet_page(output, with_=["Hello world", "world foo", "foo\n bar"], without=[])
    assert (counts.tp, counts.fn, counts.fp) == (3, 0, 0)


def test_snippet_with_found_missing_and_without_leaked() -> None:
    counts = snippet_page("Title\nThe body text.\nShare this", with_=["The body", "Lost"], without=[" Share ", "Menu"])
    assert (counts.tp, counts.fn, counts.fp) == (1, 1, 1)
    assert counts.missed == ("Lost",)
    assert counts.leaked == (" Share ",)


def test_snippet_match_is_a_plain_substring() -> None:
    # no word boundaries: "cat" is found inside "concatenate"; case matters
    counts = snippet_page("concatenate", with_=["cat", "Cat"], without=[])
    assert (counts.tp, counts.fn) == (1, 1)


def test_snippet_empty_output() -> None:
    counts = snippet_page("", with_=["a", "b"], without=["c"])
    assert (counts.tp, counts.fn, counts.fp) == (0, 2, 0)


def test_snippet_f1_pools_all_pages() -> None:
    pages = [SnippetCounts(tp=2, fn=1, fp=1), SnippetCounts(tp=0, fn=1, fp=0)]
    score = snippet_f1(pages)  # tp 2, fn 2, fp 1
    assert score.precision == approx(2 / 3)
    assert score.recall == approx(1 / 2)
    assert score.f1 == approx(4 / 7)


def test_snippet_f1_without_counts_is_zero() -> None:
    score = snippet_f1([SnippetCounts(0, 0, 0)])
    assert (score.f1, score.precision, score.recall) == (0.0, 0.0, 0.0)
