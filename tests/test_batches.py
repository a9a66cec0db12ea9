"""Bulk removals (``Rule.removals`` / ``Removals``) decide and apply exactly what one removal at a
time does: the same Decision records, in the same order, the same articles.

M001 returns its page's removals as one batch; here the same rule's decisions are also fed to the
engine one at a time through a plain generator (the path every other rule takes), and the two
runs must agree on the seeds, on the benchmark dumps when present, and on generated pages.
"""

import dataclasses
import gc
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.accel import c_function
from cleaner.api import make_engine
from cleaner.document import Action, Decision, Line
from cleaner.rules import base as B
from cleaner.engine import Engine, assemble
from cleaner.rules.base import Removals
from cleaner.rules.main_content import _score_reasons_py
from cleaner.textio import prepare
from conftest import SEEDS, bench_pages


class _OneByOne:
    """A rule whose check hands its decisions over one at a time (a generator, no batch)."""

    def __init__(self, rule):
        self.rule = rule

    def __getattr__(self, name):
        return getattr(self.rule, name)

    def check(self, doc):
        yield from self.rule.check(doc)


def _engines(favor: str = "balanced"):
    base = make_engine(language=False, favor=favor)
    plain = Engine([_OneByOne(r) if r.code == "M001" else r for r in base.rules], base.options)
    return base, plain


def _same(raw: str, engines) -> None:
    base, plain = engines
    prepared = prepare(raw)
    got, flags = base.decide(prepared)
    want, want_flags = plain.decide(prepared)
    assert [d.to_dict() for d in got] == [d.to_dict() for d in want]
    assert [type(d) for d in got] == [type(d) for d in want]
    assert flags == want_flags
    assert [a.to_dict() for a in assemble(prepared, got)] == [a.to_dict() for a in assemble(prepared, want)]


def _m001_and_view(raw: str):
    """The default engine's M001 and a view of ``raw`` with every line alive."""
    from cleaner.rules.base import DocView, Options

    rule = next(r for r in make_engine(language=False).rules if r.code == "M001")
    lines = prepare(raw).lines
    return rule, DocView(lines, [line.text for line in lines], [True] * len(lines), set(), Options())


def test_removals_are_the_removes_they_batch():
    rule, doc = _m001_and_view("Home\nNews\n\nA line of text here.\nAnother one.\n")
    items = [(0, "a"), (3, "b"), (1, "c")]
    batch = rule.removals(doc, items)
    assert type(batch) is Removals
    assert batch.indices == [0, 3, 1]
    assert batch == [rule.remove(doc, i, reason) for i, reason in items]
    assert [_fields(d) for d in batch] == [_fields(rule.remove(doc, i, reason)) for i, reason in items]


def test_remove_reads_a_negative_index_as_lines_does():
    rule, doc = _m001_and_view("Home\nNews\n\nA line of text here.\n")
    assert rule.remove(doc, -1, "r") == rule.remove(doc, len(doc.lines) - 1, "r")
    with pytest.raises(IndexError):
        rule.remove(doc, len(doc.lines), "r")


def test_m001_returns_a_batch_on_a_page():
    rule, doc = _m001_and_view(SEEDS[0].read_text(encoding="utf-8"))
    found = rule.check(doc)
    assert type(found) is Removals or found == ()


@pytest.mark.parametrize("favor", ["balanced", "recall", "precision"])
def test_seeds_batch_equals_one_by_one(favor):
    engines = _engines(favor)
    for seed in SEEDS:
        _same(seed.read_text(encoding="utf-8"), engines)


@pytest.mark.bench
def test_bench_batch_equals_one_by_one():
    pages = bench_pages()
    engines = _engines()
    for _, raw in pages:
        _same(raw, engines)


_LINES = st.sampled_from([
    "Home", "News", "Sport", "Contact", "Privacy policy", "© 2024 Example", "Share", "Read more",
    "The committee published its report on Thursday, after two years of hearings and many witnesses.",
    "It found that the agency had ignored repeated warnings about the dam, and its managers misled the public.",
    "Officials said they would respond within a month.", "", "İmpressum", "ſubscribe", "***",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=40).map("\n".join))
def test_generated_pages_batch_equals_one_by_one(raw):
    _same(raw, _ENGINES)


_ENGINES = _engines()


# -- the C builder of a batch against its Python reference ---------------------------------------

_C_BATCH = c_function("removal_batch")
needs_c = pytest.mark.skipif(_C_BATCH is None, reason="C accelerator not built or disabled (CLEANER_PURE_PYTHON)")


def _fields(d) -> list:
    """Each field's name, value and the value's type (``==`` alone equates 1 and True)."""
    return [(f.name, getattr(d, f.name), type(getattr(d, f.name))) for f in dataclasses.fields(d)]


def test_decisions_have_slots_not_a_dict():
    d = Decision(Action.REMOVE, "M001", "main-content", 1, 0, 4, "text", "why")
    assert not hasattr(d, "__dict__")  # 10 slots: tens of thousands of decisions on a page set
    assert pickle.loads(pickle.dumps(d)) == d


#: Decision's fields in a frozen dataclass with a __dict__ (no slots): the C batch stores them by setattr.
_DictDecision = dataclasses.make_dataclass(
    "_DictDecision",
    [(f.name, f.type) if f.default is dataclasses.MISSING else (f.name, f.type, dataclasses.field(default=f.default))
     for f in dataclasses.fields(Decision)],
    frozen=True,
)


class _SubDecision(Decision):
    """A subclass (with a __dict__ of its own): its slots are Decision's, at the same places."""


class _Shadowed(Decision):
    """A subclass whose ``text`` is a property: no slot to store into, so setattr is used (and fails)."""

    @property
    def text(self):
        return "shadowed"


def _lines(n: int) -> list[Line]:
    return [Line(k + 1, 10 * k, 10 * k + 7, "x" * 7, k % 2 == 0) for k in range(n)]


@needs_c
@settings(max_examples=200, deadline=None)
@given(st.data())
def test_c_batch_is_the_python_batch(data):
    n = data.draw(st.integers(1, 30))
    lines = _lines(n)
    texts = data.draw(st.lists(st.text(max_size=12), min_size=n, max_size=n))
    indices = data.draw(st.lists(st.integers(0, n - 1), max_size=40))
    reasons = data.draw(st.lists(st.text(max_size=8), min_size=len(indices), max_size=len(indices)))
    args = (Decision, Action.REMOVE, "M001", "main-content", lines, texts, indices, reasons)
    got, want = _C_BATCH(*args), B._removal_batch_py(*args)
    assert type(got) is list and [type(d) for d in got] == [Decision] * len(want)
    assert got == want
    assert [_fields(d) for d in got] == [_fields(d) for d in want]  # the same values, not only equal ones
    assert [d.to_dict() for d in got] == [d.to_dict() for d in want]
    assert [hash(d) for d in got] == [hash(d) for d in want]  # (fields are hashable here)
    # the same objects in every other way a caller may use them
    assert [pickle.loads(pickle.dumps(d)) for d in got] == want
    assert [dataclasses.replace(d, reason="r") for d in got] == [dataclasses.replace(d, reason="r") for d in want]


@needs_c
@pytest.mark.parametrize("cls", [Decision, _SubDecision, _DictDecision])
def test_c_batch_fills_any_class_with_the_fields(cls):
    args = (cls, Action.REMOVE, "M001", "main-content", _lines(3), ["a", "b", "c"], [2, 0], ["x", "y"])
    got, want = _C_BATCH(*args), B._removal_batch_py(*args)
    assert [type(d) for d in got] == [cls, cls]
    assert [_fields(d) for d in got] == [_fields(d) for d in want]
    assert got == want


@needs_c
def test_c_batch_leaves_to_the_collector_only_what_could_be_in_a_cycle():
    """A decision of str, int and None fields, whose class has no room for anything else, is in
    no reference cycle and never will be: the collector does not track it. One with a __dict__
    (a subclass), or holding something other than a str as its text or reason, it still tracks."""
    lines, texts = _lines(2), ["a", "b"]
    plain = _C_BATCH(Decision, Action.REMOVE, "M001", "main-content", lines, texts, [0, 1], ["x", "y"])
    assert [gc.is_tracked(d) for d in plain] == [False, False]
    sub = _C_BATCH(_SubDecision, Action.REMOVE, "M001", "main-content", lines, texts, [0], ["x"])
    assert gc.is_tracked(sub[0])
    held = _C_BATCH(Decision, Action.REMOVE, "M001", "main-content", lines, texts, [0], [["a", "list"]])
    assert gc.is_tracked(held[0])
    # untracked, they are the reference's decisions all the same
    assert plain == B._removal_batch_py(Decision, Action.REMOVE, "M001", "main-content", lines, texts, [0, 1], ["x", "y"])


@needs_c
def test_c_batch_does_not_write_past_a_shadowed_field():
    with pytest.raises(AttributeError):
        _C_BATCH(_Shadowed, Action.REMOVE, "M001", "main-content", _lines(1), ["a"], [0], ["x"])


@needs_c
def test_c_batch_objects_stay_frozen():
    d = _C_BATCH(Decision, Action.REMOVE, "M001", "main-content", _lines(2), ["a", "b"], [1], ["why"])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.reason = "other"
    assert (d.line, d.start, d.end, d.text, d.reason, d.replacement, d.field) == (2, 10, 17, "b", "why", None, None)


@needs_c
@pytest.mark.parametrize("indices, reasons, error", [
    ([2], ["r"], IndexError),        # past the last line
    ([-1], ["r"], IndexError),       # no indexing from the end: the Python loop would, silently
    ([0, 1], ["r"], ValueError),     # one reason short
    (["0"], ["r"], TypeError),       # not an index
])
def test_c_batch_refuses_bad_input(indices, reasons, error):
    with pytest.raises(error):
        _C_BATCH(Decision, Action.REMOVE, "M001", "main-content", _lines(2), ["a", "b"], indices, reasons)


def test_removal_batch_checks_lengths_on_both_paths():
    rule, doc = _m001_and_view("Home\nNews\n")
    with pytest.raises(ValueError):
        rule.removal_batch(doc, [0, 1], ["only one"])


_C_REASONS = c_function("score_reasons")


@pytest.mark.skipif(_C_REASONS is None, reason="C accelerator not built or disabled (CLEANER_PURE_PYTHON)")
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_c_score_reasons_are_the_python_ones(data):
    n = data.draw(st.integers(1, 20))
    labels = data.draw(st.lists(st.none() | st.text(max_size=10), min_size=n, max_size=n))
    # every rounding case of ".2f": ties, tiny and huge values, -0.0, nan and inf
    scores = data.draw(st.lists(
        st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.005, 0.015, 0.125, 0.995, -0.0, 0.0])
        | st.integers(-5, 5).map(lambda k: k / 200), min_size=n, max_size=n))
    indices = data.draw(st.lists(st.integers(0, n - 1), max_size=30))
    assert _C_REASONS(indices, labels, scores) == _score_reasons_py(indices, labels, scores)


@pytest.mark.skipif(_C_REASONS is None, reason="C accelerator not built or disabled (CLEANER_PURE_PYTHON)")
def test_c_score_reasons_round_as_format_at_every_boundary():
    """Scores in [0, 1] are formatted from their hundredths in C when the rounding is certain:
    every value within a few ulps of each rounding boundary k/200 (ties included), the ends,
    and a spread of others, under several labels (None, shared and equal-but-distinct str)."""
    import math

    scores = [0.0, -0.0, 1.0, 5e-324, -5e-324, math.nextafter(1.0, 2.0), math.nan, math.inf]
    for k in range(201):
        x = k / 200
        for _ in range(4):
            scores += [x, -x]
            x = math.nextafter(x, 2.0)
        x = k / 200
        for _ in range(4):
            x = math.nextafter(x, -1.0)
            scores.append(x)
    scores += [j / 9973 for j in range(9974)]
    labels = [None, "boilerplate", "footer", "".join(["foot", "er"])] * (len(scores) // 4 + 1)
    labels = labels[: len(scores)]
    indices = list(range(len(scores))) * 2  # each twice: the second from the call's memo
    assert _C_REASONS(indices, labels, scores) == _score_reasons_py(indices, labels, scores)


@pytest.mark.skipif(_C_REASONS is None, reason="C accelerator not built or disabled (CLEANER_PURE_PYTHON)")
def test_c_score_reasons_refuse_an_index_past_the_end():
    with pytest.raises(IndexError):
        _C_REASONS([1], ["footer"], [0.5])


def _replay_line_by_line(prepared, decisions):
    """The articles of ``decisions``, replayed one line at a time: what ``assemble`` computes by
    article and by comprehension (the reference it is checked against)."""
    from cleaner.document import Article

    lines = prepared.lines
    index = {line.number: i for i, line in enumerate(lines)}
    texts = [line.text for line in lines]
    fate, starts = {}, set(prepared.hard_starts)
    for d in decisions:
        if d.action is Action.SPLIT:
            starts.add(index[d.line])
        elif d.action in (Action.REMOVE, Action.METADATA, Action.TITLE):
            fate[index[d.line]] = d
    articles, current = [], None
    for i, line in enumerate(lines):
        if current is None or i in starts:
            if current is not None:
                articles.append(current)
            current = Article(title=None, paragraphs=[])
        d = fate.get(i)
        if d is None:
            if texts[i]:
                current.paragraphs.append(texts[i])
                current.lines.append(line.number)
        elif d.action is Action.TITLE:
            current.title = texts[i]
        elif d.action is Action.METADATA:
            current.metadata.setdefault(d.field or "metadata", []).append(texts[i])
    if current is not None:
        articles.append(current)
    return [a for a in articles if a.paragraphs]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_assemble_is_the_line_by_line_replay(data):
    """Random decisions (several on one line: the last fate stands; splits, titles, metadata
    under two fields and none, flags) on a dump with blank-line starts."""
    n = data.draw(st.integers(1, 25))
    raw = "\n".join(data.draw(st.sampled_from(["Line of text.", "", "Another", "x"])) + f" {k}" for k in range(n))
    prepared = prepare(raw)
    lines = prepared.lines
    decisions = []
    for _ in range(data.draw(st.integers(0, 30))):
        line = lines[data.draw(st.integers(0, len(lines) - 1))]
        action = data.draw(st.sampled_from([Action.REMOVE, Action.METADATA, Action.TITLE, Action.SPLIT, Action.FLAG]))
        field = data.draw(st.sampled_from([None, "byline", "author_bio"])) if action is Action.METADATA else None
        decisions.append(Decision(action, "X001", "x", line.number, line.start, line.end, line.text, "r", None, field))
    assert assemble(prepared, decisions) == _replay_line_by_line(prepared, decisions)
