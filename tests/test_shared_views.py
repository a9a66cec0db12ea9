"""What the rules of one document share through ``DocCache`` never changes a decision.

Three things are shared between the views the engine hands to successive rules: the live lines
joined by newlines (``DocView.joined``: reused by the next view given the very same ``live``
list, dropped after a repair rule, which may change texts), its lower case
(``DocView.joined_lower``: reused for the very same joined string) and the whole document's
text with the lines holding each prefilter's and the teaser candidates' literals
(``DocCache.text``: one C search for all of them, made again after a repair rule that edits a
line; the repair rule HTML markup finds its lines there), and the lines
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
from cleaner.rules import comments, credits, html, main_content, prefilter, prompts, related, teasers
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
        m.setattr(html, "doc_text", lambda doc: prefilter.DocText(doc.texts))
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


def test_the_shared_text_is_made_again_after_a_repair_rule_only_when_it_edits_a_line():
    """A repair rule that edits no line leaves the document's shared text (``DocCache.text``) to
    the line rules; after one that edits a line, they search a text made again, with the edit."""
    from cleaner.engine import Engine
    from cleaner.rules.base import Rule

    seen = []

    class Repair(Rule):
        """Test-only: replace "xyz" with "needle".

        Removes: nothing; edits "xyz".
        Why: to change a line's text in the repair stage.
        Example: "with xyz in it" becomes "with needle in it".
        False positives: none meant.
        """

        code, name, stage, summary = "Z901", "test-repair", "repair", "Replace xyz (test only)."

        def check(self, doc):
            seen.append(prefilter.doc_text(doc))
            for i in doc.live:
                k = doc.text(i).find("xyz")
                if k >= 0:
                    yield self.edit(doc, i, k, k + 3, "needle", "test edit")

    class Needle(Rule):
        """Test-only: remove the lines holding "needle", found in the shared text.

        Removes: lines holding "needle".
        Why: to read the shared text after the repair stage.
        Example: "with needle in it" goes.
        False positives: none meant.
        """

        code, name, stage, summary = "Z902", "test-needle", "line", "Remove needles (test only)."

        def check(self, doc):
            page = prefilter.doc_text(doc)
            seen.append(page)
            for i in page.lines(("needle",)):
                yield self.remove(doc, i, "holds a needle")

    engine = Engine([Repair(), Needle()])
    result = engine.clean("A first line.\nA line with xyz in it.\nA last line.")
    assert sorted(d.code for d in result.decisions) == ["Z901", "Z902"]  # the edit, then the removal it led to
    assert seen[0] is not seen[1] and seen[1].joined == "A first line.\nA line with needle in it.\nA last line."
    seen.clear()
    result = engine.clean("A first line.\nA line without it.")
    assert result.decisions == [] and seen[0] is seen[1]


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
