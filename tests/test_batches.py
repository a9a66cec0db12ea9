"""Bulk removals (``Rule.removals`` / ``Removals``) decide and apply exactly what one removal at a
time does: the same Decision records, in the same order, the same articles.

M001 returns its page's removals as one batch; here the same rule's decisions are also fed to the
engine one at a time through a plain generator (the path every other rule takes), and the two
runs must agree on the seeds, on the benchmark dumps when present, and on generated pages.
"""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.api import make_engine
from cleaner.engine import Engine, assemble
from cleaner.rules.base import Removals
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


def test_removals_are_the_removes_they_batch():
    base = make_engine(language=False)
    rule = next(r for r in base.rules if r.code == "M001")
    from cleaner.rules.base import DocView, Options

    prepared = prepare("Home\nNews\n\nA line of text here.\nAnother one.\n")
    lines = prepared.lines
    texts = [line.text for line in lines]
    doc = DocView(lines, texts, [True] * len(lines), set(), Options())
    items = [(0, "a"), (3, "b"), (1, "c")]
    batch = rule.removals(doc, items)
    assert type(batch) is Removals
    assert batch.indices == [0, 3, 1]
    assert batch == [rule.remove(doc, i, reason) for i, reason in items]
    assert [d.__dict__ for d in batch] == [rule.remove(doc, i, reason).__dict__ for i, reason in items]


def test_m001_returns_a_batch_on_a_page():
    base = make_engine(language=False)
    rule = next(r for r in base.rules if r.code == "M001")
    from cleaner.rules.base import DocView, Options

    raw = SEEDS[0].read_text(encoding="utf-8")
    prepared = prepare(raw)
    lines = prepared.lines
    doc = DocView(lines, [line.text for line in lines], [True] * len(lines), set(), Options())
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
