"""What the rules of one document share through ``DocCache`` never changes a decision.

Three things are shared between the views the engine hands to successive rules: the live lines
joined by newlines (``DocView.joined``: reused by the next view given the very same ``live``
list, dropped after a repair rule, which may change texts), its lower case
(``DocView.joined_lower``: reused for the very same joined string) and the whole document's
text with the lines holding each prefilter's and the teaser candidates' literals
(``DocCache.text``: one C search for all of them, made again after a repair rule), and the lines
the repair rules edited (``DocCache.edited``, recorded by the engine). The line-wide searches
gated by the lines holding their own literals (``LiteralPrefilter.line_set``) are run ungated. The engine's decisions with the
sharing must equal those of an engine where every view computes everything itself, on the
seeds, on the benchmark dumps when present, and on generated pages that the repair rules edit.
"""

from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.api import make_engine
from cleaner.engine import assemble
from cleaner.rules import comments, credits, main_content, prefilter, prompts, related, teasers
from cleaner.rules.base import DocCache, DocView, Options, lower_keeping_offsets
from cleaner.textio import prepare
from conftest import SEEDS, bench_pages


def _unshared_joined(self):
    if self._joined is None:
        texts = [self._texts[i] for i in self.live]
        offsets = list(accumulate((len(t) + 1 for t in texts), initial=0))
        self._joined = ("\n".join(texts), offsets)
    return self._joined


def _decide(raw, engine):
    prepared = prepare(raw)
    decisions, flags = engine.decide(prepared)
    return [d.to_dict() for d in decisions], flags, [a.to_dict() for a in assemble(prepared, decisions)]


def _compare(raws, monkeypatch):
    engine = make_engine(language=False)
    shared = [_decide(raw, engine) for raw in raws]
    with monkeypatch.context() as m:
        m.setattr(DocView, "_joined_and_offsets", _unshared_joined)
        m.setattr(DocView, "joined_lower", lambda self: lower_keeping_offsets(self.joined()))
        # every prefilter searches the document on its own, one literal set per search
        m.setattr(prefilter, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        m.setattr(prompts, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        m.setattr(teasers, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        m.setattr(main_content, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        m.setattr(comments, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        m.setattr(credits, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        m.setattr(related, "doc_text", lambda doc: prefilter.DocText(doc.texts))
        # the edited lines found by comparing each line's text with its own, not as recorded
        m.setattr(DocView, "edited", lambda self: [
            i for i, (line, text) in enumerate(zip(self.lines, self.texts)) if line.text != text])
        m.setattr(prefilter, "_group_lines", None)
        # every line-wide search of K001, K002 and I002 runs on every candidate line, ungated
        m.setattr(prefilter.LiteralPrefilter, "line_set", lambda self, text: prefilter.EVERY_LINE)
        plain = [_decide(raw, engine) for raw in raws]
    assert shared == plain


def test_a_view_reuses_the_joined_text_of_the_same_live_list_only():
    prepared = prepare("One line\nTwo lines\nThree lines\n")
    lines = prepared.lines
    texts = [line.text for line in lines]
    alive = [True] * len(lines)
    cache = DocCache()
    live = [0, 1, 2]
    first = DocView(lines, texts, alive, set(), Options(), live, cache)
    assert first.joined() == "One line\nTwo lines\nThree lines"
    same = DocView(lines, texts, alive, set(), Options(), live, cache)
    assert same.joined() is first.joined()  # the very same list: shared
    alive[1] = False
    other = DocView(lines, texts, alive, set(), Options(), [0, 2], cache)
    assert other.joined() == "One line\nThree lines"
    assert other.positions_containing("Three") == [1]
    texts[0] = "Edited"
    cache.texts_changed()  # what the engine does after a repair rule
    again = DocView(lines, texts, alive, set(), Options(), [0, 2], cache)
    assert again.joined() == "Edited\nThree lines"
    assert again.joined_lower() == "edited\nthree lines"
    assert DocView(lines, texts, alive, set(), Options(), [0, 2], cache).joined_lower() == "edited\nthree lines"
    assert same.joined_lower() == "one line\ntwo lines\nthree lines"  # another joined string: its own


def test_seeds_shared_equals_unshared(monkeypatch):
    _compare([seed.read_text(encoding="utf-8") for seed in SEEDS], monkeypatch)


@pytest.mark.bench
def test_bench_shared_equals_unshared(monkeypatch):
    _compare([raw for _, raw in bench_pages()], monkeypatch)


_LINES = st.sampled_from([
    "Home", "News", "Share", "Read more", "Advertisement", "pic.twitter.com/abc", "50% yes", "Subscribe to our newsletter",
    "<p>Share</p>", "<b>Advertisement</b>", "<script>var x = 1;</script>", "&nbsp;", "<div class=\"a\">Read also:</div>",
    "The committee published its report on Thursday, after two years of hearings and many witnesses.",
    "Lawmakers have advanced legislation that would ban organized trips, citing […]",
    "Lawmakers have advanced legislation that would ban organized trips to the region, citing potential risk.",
    "Did you know you can save? If you're interested, your plan […]", "", "İmpressum", "ſubscribe", "***",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_LINES, min_size=1, max_size=30).map("\n".join), min_size=1, max_size=3))
def test_generated_pages_shared_equals_unshared(raws):
    import _pytest.monkeypatch

    mp = _pytest.monkeypatch.MonkeyPatch()
    try:
        _compare(raws, mp)
    finally:
        mp.undo()
