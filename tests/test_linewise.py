"""Rules that visit only candidate lines decide as their plain per-line loops did (round 4b).

U001, R001, I002, S001, A001 and C001 no longer run their regexes on every live line: they visit the
positions a page-level search gives (the literal prefilters of their regexes, the lines ending in
":", the first tokens of all lines read by one ``findall``, the teaser candidates). Each test
below runs the rule and, beside it, the per-line loop the rule had before (copied here as the
reference, unchanged), on generated pages of hostile text (characters ``re.IGNORECASE`` equates
with letters beyond lower-casing, "İ", newlines inside texts, lines already gone) and on every
dev-set page, and compares the decisions: line and reason, in order.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Line
from cleaner.rules import ads, credits, images, related, social, teasers, ui
from cleaner.rules.base import DocView, Options
from cleaner.rules.prefilter import _find_any_py, _lines_holding
from cleaner.shapes import is_headline_shaped, word_count
from cleaner.textio import prepare

# -- the per-line loops of the rules before round 4b (commit 3f93ae3), as references ----------


def _related_plain(doc):
    live, texts, gone, out = doc.live, doc.texts, set(), []
    for k in range(len(live)):
        if live[k] in gone:
            continue
        text = texts[live[k]]
        inline = related._INLINE.match(text) if len(text) <= 250 and related._INLINE_FIRST[text[:1]] else None
        if inline and related._is_linked_headline(inline.group("headline")):
            gone.add(live[k])
            out.append((live[k], "related-article widget: label and another story's headline"))
            continue
        if len(text) > 80:
            continue
        if k + 1 >= len(live):
            if related._LABEL_FIRST[text[:1]] and related._LABEL.match(text):
                out.append((live[k], "related-article widget: label with no list after it"))
            continue
        label = related._LABEL.match(text) if related._LABEL_FIRST[text[:1]] else None
        if not (label or (":" in text and related._NAME_COLON.match(text))):
            continue
        nxt = texts[live[k + 1]]
        limit = related._MAX_LISTED_WORDS if label else related._MAX_HEADLINE_WORDS
        first = nxt.rstrip("?!… ") if label else nxt
        if is_headline_shaped(first, limit) and word_count(nxt) >= 2:
            gone.add(live[k])
            out.append((live[k], f"related-article widget: {'label' if label else 'author name'}"))
            last = min(len(live), k + 1 + (related._MAX_LIST if label else 1))
            for m in range(k + 1, last):
                nxt = texts[live[m]]
                if m > k + 1 and not (is_headline_shaped(nxt, limit) and word_count(nxt) >= 2):
                    break
                gone.add(live[m])
                out.append((live[m], "related-article widget: headline of another story"))
    return out


def _caption_plain(doc):
    out = []
    for i in doc.live:
        text = doc.text(i)
        if len(text) > 400:
            continue
        if (")" in text or "]" in text) and images._CREDIT_TAIL.search(text) and word_count(text) <= images._MAX_CAPTION_WORDS:
            out.append((i, "image caption with photo credit"))
        elif images._CREDIT_LINE_FIRST[text[:1]] and images._CREDIT_LINE.match(text):
            out.append((i, "photo credit line"))
        elif (":" in text or "©" in text or "(" in text) and images._has_credit_after(text):
            out.append((i, "image caption with photo credit"))
        elif (images._FIGURE_LABEL_FIRST[text[:1]] and images._FIGURE_LABEL.match(text)
              and word_count(text) <= images._MAX_CAPTION_WORDS):
            out.append((i, "figure caption (numbered figure label)"))
        elif images._POSITION_MARK.search(text) and word_count(text) <= images._MAX_CAPTION_WORDS:
            out.append((i, "image caption placing the people in the picture"))
    return out


def _social_plain(doc):
    out = []
    slashed = set(doc.positions_containing("/"))
    for k, i in enumerate(doc.live):
        text = doc.text(i)
        if len(text) > social._MAX_EMBED_CHARS:
            continue
        if k in slashed and social._EMBED_LINK.search(text):
            out.append((i, "embedded social-media post (embed link)"))
        elif "(@" in text and social._SIGNATURE.search(text):
            out.append((i, "signature line of an embedded post"))
        elif social._SHARED_BY_FIRST[text[:1]] and social._SHARED_BY.match(text):
            out.append((i, "caption of an embedded post"))
    return out


def _ads_plain(doc):
    out, index = [], None
    candidates = teasers.teaser_candidates(doc)
    for k, i in enumerate(doc.live):
        text = doc.text(i)
        if len(text) <= 60 and ads._LABEL_FIRST[text[:1]] and ads._LABEL.match(text):
            out.append((i, "advertising label"))
            continue
        if candidates is not None and k not in candidates:
            continue
        body = teasers.cached_teaser_body(doc, i)
        if body is None or len(ads._YOU.findall(body)) < ads._MIN_YOU:
            continue
        if index is None:
            index = teasers.opening_index(doc)
        if teasers.find_article_start(doc, k, body, index) is None:
            out.append((i, "sponsored copy addressed to the reader, announcing no article"))
    return out


def _furniture_plain(doc):
    return [(i, ui.furniture_reason(doc.text(i))) for i in doc.live
            if len(doc.text(i)) <= 120 and ui.furniture_reason(doc.text(i))]


def _teaser_candidates_plain(doc):
    """``teaser_candidates`` as it was: one substring search of the page per phrase."""
    joined = doc.joined()
    found = set()
    for marker in ("…", "..."):
        if marker in joined:
            found.update(doc.positions_containing(marker, joined))
    if any(ch in joined for ch in teasers._LOWER_UNSAFE_CHARS):
        return None
    low = doc.joined_lower()
    if len(low) != len(joined):
        return None
    for phrase in teasers._READ_MORE_KEYS:
        if phrase in low:
            found.update(doc.positions_containing(phrase, low))
    return frozenset(found)


def _credit_plain(doc):
    """C001's loop before it read the shared literal search: every live line."""
    return [(i, "credit line") for i in doc.live
            if len(doc.text(i)) < 400 and credits._CREDIT.match(doc.text(i))
            and word_count(doc.text(i)) <= credits._MAX_CREDIT_WORDS]


CASES = [
    (credits.CreditLine, _credit_plain),
    (related.RelatedWidget, _related_plain),
    (images.ImageCaption, _caption_plain),
    (social.SocialEmbed, _social_plain),
    (ads.Advertising, _ads_plain),
    (ui.PageFurniture, _furniture_plain),
]


def _decisions(rule, doc):
    # what the rule does to a line: remove it, or (C001) move it to metadata
    kind = "METADATA" if rule is credits.CreditLine else "REMOVE"
    return [(d.line, d.reason) for d in rule().check(doc) if d.action.name == kind]


def _assert_same(doc):
    for rule, plain in CASES:
        got = _decisions(rule, doc)
        want = [(doc.lines[i].number, reason) for i, reason in plain(doc)]
        assert got == want, rule.code
    found, plain = teasers.teaser_candidates(doc), _teaser_candidates_plain(doc)
    if plain is not None:
        assert found == plain
    else:
        # a page with "ſ", "ı", "İ" …: the old search gave up ("any line may be"); the new one
        # keeps every line holding such a character, and still every line that is a teaser
        low_safe = [k for k, i in enumerate(doc.live) if not any(ch in doc.text(i) for ch in teasers._LOWER_UNSAFE_CHARS)]
        assert all(teasers.teaser_body(doc.text(doc.live[k])) is None for k in low_safe if k not in found)
        assert all(k in found for k, i in enumerate(doc.live) if any(ch in doc.text(i) for ch in teasers._LOWER_UNSAFE_CHARS))


# -- generated pages ---------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "Related:", "Read also:", "READ MORE: ", "See also", "Lesen Sie auch:", "À lire aussi", "Читайте также:",
    "You may also like...", "[Related: ", "]", "Lea: ", "Mire: ", "Also on example.com ", "Lena Hartmann:",
    "Anna Maria Berg:", "Trade, tariffs and the harbour", "A headline about something else", "Who wins?",
    "Photo: Reuters", "(Photo: AFP)", "[Foto: dpa]", "© AFP", "(c) Agency", " | © Golf Archive",
    "The harbour in winter, 1960. Photo: City Archive/Agency", "Figure 2: Rainfall", "Abb. 3 –", "Рис. 1.",
    "pic.twitter.com/aMp8zBKOUx", "twitter.com/user/status/123", "instagram.com/p/abc-d", "t.co/abcdefg",
    "— Jane Doe (@janedoe) March 1, 2025", "A post shared by Jane (@jane)", "Advertisement", "Anzeige",
    "Sponsored by Example", "ADS", "ad", "Did you know your visa? If you're interested, you can […]",
    "Read more", "Weiterlesen", "…", "...", "[…]", "(…)", "Share", "Print", "votes: 4", "(4 votes)", "Teilen",
    "Share this article", "Read in English", "Deutsch", "4 Bewertungen", "12 avis", "Bewertungen: 3", "A post shared by Jane",
    "Ein Beitrag geteilt von Max", "The minister said", " ", ":", "/", "(", ")", "@",
    "Translated by ", "TRANSLATED BY", "This article was first published", "Source: ", "SOURCE:", "Quelle:",
    "(Reporting by Jane Doe; Editing by Max)", "Übersetzt von", "ÜBERSETZT AUS", "Перевод:", "traduit par",
    "Originally appeared", "Republished with permission from", "ſource:", "publiſhed",
    "ſ", "İ", "\u212a", "ı", "ᲃ", "ς", "ß", "\n", "\u2028", "\x85", "𝐀", "é", "1", "2024", "-", "+",
])
# Mostly whole pieces (a label, a name, a credit alone on its line), some run together.
_LINES = st.lists(st.one_of(_PIECES, _PIECES, st.lists(_PIECES, min_size=1, max_size=5).map("".join)),
                  min_size=0, max_size=14)


@settings(max_examples=400, deadline=None)
@given(_LINES, st.data())
def test_candidate_loops_decide_as_the_per_line_loops(texts, data):
    lines = tuple(Line(k + 1, 0, len(t), t, False) for k, t in enumerate(texts))
    alive = [data.draw(st.booleans()) or k % 3 == 0 for k in range(len(texts))]
    doc = DocView(lines, list(texts), alive, set(), Options())
    _assert_same(doc)


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_candidate_loops_on_prepared_pages(texts):
    prepared = prepare("\n".join(texts))
    lines = prepared.lines
    doc = DocView(lines, [line.text for line in lines], [True] * len(lines), set(), Options())
    _assert_same(doc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="readmoRE \nwitlsuf.…»İſ", max_size=20), max_size=8),
       st.lists(st.sampled_from(teasers._READ_MORE_KEYS + ("ab", "a", "re")), min_size=1, max_size=5))
def test_lines_holding_is_a_search_per_literal(texts, literals):
    from cleaner.rules.base import line_offsets, lines_containing

    texts = [t.replace("\n", " ") for t in texts]
    joined = "\n".join(texts)
    offsets = line_offsets(texts)
    want = set()
    for literal in literals:
        want.update(lines_containing(joined, offsets, literal))
    assert _lines_holding(joined, offsets, tuple(literals)) == want
    assert _find_any_py(joined, literals) == sorted({p for lit in literals for p in range(len(joined)) if joined.startswith(lit, p)})


@pytest.mark.bench
def test_candidate_loops_on_the_dev_sets():
    from test_fastpaths import _dev_set_dumps

    for raw in _dev_set_dumps():
        prepared = prepare(raw)
        lines = prepared.lines
        doc = DocView(lines, [line.text for line in lines], [True] * len(lines), set(), Options())
        _assert_same(doc)


# -- H002: jumps from one line holding "<" to the next while outside an element ---------------

from cleaner.engine import Engine  # noqa: E402
from cleaner.rules import html as html_rules  # noqa: E402


def _plain_script_blocks_check(self, doc):
    """ScriptBlocks.check with the per-line loop it had before (commit 3f93ae3)."""
    inside = None
    for i in doc.live:
        text = doc.text(i)
        if inside is None:
            m = html_rules._BLOCK_OPEN.match(text)
            if not m:
                original = doc.lines[i].text
                if "<" in original:
                    for _, _, name, closed in html_rules._inline_blocks(original):
                        if not closed:
                            inside = name
                continue
            inside = m.group(1).lower()
            rest = text[m.end():]
            yield self.remove(doc, i, f"<{inside}> element")
            if html_rules._BLOCK_CLOSE[inside].search(rest):
                inside = None
        else:
            yield self.remove(doc, i, f"body of a <{inside}> element")
            if html_rules._BLOCK_CLOSE[inside].search(text):
                inside = None


_HTML_PIECES = st.sampled_from([
    "<script>", "</script>", "<SCRIPT type='text/javascript'>", "<style>", "</style >", "<noscript>", "</noscript>",
    "&lt;script&gt;", "&lt;/script&gt;", "&amp;lt;style&amp;gt;", "var a = 1;", "Body text.", "<b>bold</b>", " ",
    "text <script>var a;", "<p>", "</p>", "&amp;", "<", ">", "<a href='x'>", "Advertisement", "\n", "İ",
])
_HTML_LINES = st.lists(st.one_of(_HTML_PIECES, st.lists(_HTML_PIECES, min_size=1, max_size=4).map("".join)),
                       max_size=14)
_REPAIRS = [html_rules.HtmlMarkup(), html_rules.ScriptBlocks(), ads.Advertising()]
_PLAIN_SCRIPT_BLOCKS = html_rules.ScriptBlocks()
_PLAIN_SCRIPT_BLOCKS.check = _plain_script_blocks_check.__get__(_PLAIN_SCRIPT_BLOCKS)
_REPAIRS_PLAIN = [html_rules.HtmlMarkup(), _PLAIN_SCRIPT_BLOCKS, ads.Advertising()]


def _engine_decisions(rules, raw):
    engine = Engine(rules, Options(language=False))
    decisions, _ = engine.decide(prepare(raw))
    return [(d.code, d.line, d.action, d.reason, d.start, d.end) for d in decisions]


@settings(max_examples=400, deadline=None)
@given(_HTML_LINES)
def test_script_blocks_jump_as_the_per_line_loop_decides(texts):
    raw = "\n".join(texts)
    assert _engine_decisions(_REPAIRS, raw) == _engine_decisions(_REPAIRS_PLAIN, raw)


@pytest.mark.bench
def test_script_blocks_on_the_dev_sets():
    from test_fastpaths import _dev_set_dumps

    for raw in _dev_set_dumps():
        assert _engine_decisions(_REPAIRS, raw) == _engine_decisions(_REPAIRS_PLAIN, raw)


# -- D001: the C tokenizer's keys, all lines of an article in one comprehension ----------------

from cleaner.rules import duplicates  # noqa: E402

needs_c = pytest.mark.skipif(duplicates._dup_scan is None, reason="the C accelerator is not built")


def _keys_py(texts, segment):
    return [None if (w := duplicates._words_of(texts[i])) is None else " ".join(w) for i in segment]


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab cD.,\u0130\u017f\u212aß\u03a3\u00e9") + ["𝐀", "ﬀ", "\n"]),
                        max_size=40), max_size=10))
def test_c_keys_are_the_words_of_each_line(texts):
    segment = list(range(len(texts)))[::-1][::2] + list(range(len(texts)))[1::2]
    assert duplicates._keys_of_lines(texts, segment) == _keys_py(texts, segment)


@needs_c
@pytest.mark.bench
def test_c_keys_on_the_dev_sets():
    from test_fastpaths import _dev_set_dumps

    for raw in _dev_set_dumps():
        texts = [line.text for line in prepare(raw).lines]
        segment = list(range(len(texts)))
        assert duplicates._keys_of_lines(texts, segment) == _keys_py(texts, segment)
