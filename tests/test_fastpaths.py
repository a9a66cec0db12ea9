"""The fast paths in front of the rules' regexes never change a rule's verdict.

Each fast path is a cheap *necessary condition* of the regex it guards (a first letter, a line
ending, a character the match needs). These tests check the conditions where they could go
wrong: case-insensitive matching over all of Unicode, and random lines against the plain
regex. The golden files and tests/test_rules.py check the rules end to end.
"""

import functools
import re
from re import _parser as sre_parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import shapes
from cleaner.rules import ads, credits, social, teasers, ui
from cleaner.rules.base import DocView, Options
from cleaner.textio import prepare

ALL_CHARS = [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]


def _first_literals(pattern: re.Pattern) -> set[str]:
    """The characters a match of an anchored alternation of words can begin with."""
    parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    assert parsed[0] == (sre_parse.AT, sre_parse.AT_BEGINNING)

    def firsts(seq: list) -> set[str]:
        op, arg = seq[0]
        if op is sre_parse.LITERAL:
            return {chr(arg)}
        if op is sre_parse.BRANCH:
            return set().union(*(firsts(list(branch)) for branch in arg[1]))
        if op is sre_parse.SUBPATTERN:
            return firsts(list(arg[-1]))
        raise AssertionError(f"unexpected opcode {op}")

    return firsts(parsed[1:])


_VARIANTS: dict[frozenset[str], set[str]] = {}


def _case_variants(letters: set[str]) -> set[str]:
    """Every character that re.IGNORECASE matches with one of ``letters`` (one scan of Unicode
    for all the letters the tests ask about, then a filter)."""
    key = frozenset(letters)
    if key not in _VARIANTS:
        if not _VARIANTS:
            universe = set()
            for pattern in (ads._LABEL, social._SHARED_BY):
                universe |= _first_literals(pattern)
            universe |= {ch for phrase in teasers._READ_MORE_PHRASES for ch in phrase}
            klass = re.compile("[" + "".join(re.escape(ch) for ch in universe) + "]", re.I)
            _VARIANTS[frozenset()] = {ch for ch in ALL_CHARS if klass.fullmatch(ch)}
        klass = re.compile("[" + "".join(re.escape(ch) for ch in letters) + "]", re.I)
        _VARIANTS[key] = {ch for ch in _VARIANTS[frozenset()] if klass.fullmatch(ch)}
    return _VARIANTS[key]


def test_initials_cover_every_case_insensitive_variant():
    from cleaner.rules import images

    pairs = (
        (ads._LABEL, ads._LABEL_INITIALS),
        (social._SHARED_BY, social._SHARED_BY_INITIALS),
        (images._FIGURE_LABEL, images._FIGURE_LABEL_INITIALS),
        (credits._BY, credits._BY_INITIALS),
    )
    for pattern, first in pairs:
        letters = _first_literals(pattern)
        for ch in _case_variants(letters):
            assert shapes.may_start_with(ch + "rest", first), (pattern.pattern[:30], ch, hex(ord(ch)))


def test_name_first_letters_are_the_names_capitals():
    """B001: every character a _NAME line can begin with passes its first-letter table."""
    for ch in ALL_CHARS:
        if credits._NAME.match(ch + "ab Cd"):
            assert credits._NAME_FIRST[ch], hex(ord(ch))
    assert not credits._NAME_FIRST[""] and not credits._NAME_FIRST["m"]


def test_initials_reject_other_letters():
    first = shapes.initials("ab")
    assert not shapes.may_start_with("Zebra", first) and not shapes.may_start_with("", first)
    assert shapes.may_start_with("Ab", first) and shapes.may_start_with("ab", first)


def test_read_more_fold_is_one_character_for_one():
    letters = {ch for phrase in teasers._READ_MORE_PHRASES for ch in phrase if ch != " "}
    for letter in letters:
        klass = re.compile(re.escape(letter), re.I)
        for ch in _case_variants({letter}):
            if klass.fullmatch(ch) and ch != "\u0130":
                assert ch.upper().lower() == letter.upper().lower(), (letter, ch, hex(ord(ch)))


def test_lower_unsafe_lists_every_variant_lower_misses():
    letters = {ch for phrase in teasers._READ_MORE_PHRASES for ch in phrase if ch != " "}
    for letter in letters:
        for ch in _case_variants({letter}):
            if re.fullmatch(re.escape(letter), ch, re.I) and ch.lower() != letter.lower():
                assert teasers._LOWER_UNSAFE.search(ch), (letter, ch, hex(ord(ch)))


def _reference_teaser_body(text: str) -> str | None:
    """teaser_body without its fast pre-checks."""
    body = shapes.strip_truncation(text)
    if body is None:
        m = teasers._READ_MORE.search(text, max(0, len(text) - teasers._TAIL_CHARS))
        if not m or m.start() == 0:
            return None
        body = text[: m.start()].rstrip()
    return body


_PIECES = st.sampled_from(
    [*teasers._READ_MORE_PHRASES, "READ MORE", "Read More", "ReaD MoRe", "weiterleſen", "Lıre la suite", "İ",
     "[…]", "[...]", "(…)", "(...)", "[ … ]", "…", "...", " ", "  ", "\t", "\u00a0", ".", "»", "›", ">", "-", "—", "|",
     "word", "Story", "ß", "ẞ", "К", "\u1c83", "\n", "x"]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, min_size=0, max_size=12).map("".join))
def test_teaser_body_equals_its_reference(text):
    assert teasers.teaser_body(text) == _reference_teaser_body(text)


def _view(raw: str) -> DocView:
    prepared = prepare(raw)
    lines = prepared.lines
    texts = [line.text for line in lines]
    return DocView(lines, texts, [True] * len(lines), set(), Options())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=8).map("".join), min_size=1, max_size=8))
def test_teaser_candidates_hold_every_teaser(lines):
    doc = _view("\n".join(lines))
    candidates = teasers.teaser_candidates(doc)
    for k, i in enumerate(doc.live):
        if _reference_teaser_body(doc.text(i)) is not None:
            assert k in candidates


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab%/\n é…", max_size=12), min_size=1, max_size=10))
def test_positions_containing_is_a_line_search(lines):
    doc = _view("\n".join(lines))
    for needle in ("%", "/", "a b", "…"):
        assert doc.positions_containing(needle) == [k for k, i in enumerate(doc.live) if needle in doc.text(i)]


_FURNITURE_WORDS = st.sampled_from(
    [*sorted(ui._VOCABULARY)[:60], "Share", "PRINT", "votes", "(12 votes)", "Votes: 4", "4", "-", "+", "2024",
     "Читать", "English", "hello", "ſhare", "(", ")", "[", ":", ",", ".", "ratings: 4.5", "5votes"]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_FURNITURE_WORDS, min_size=1, max_size=10).map(" ".join))
def test_furniture_lines_hold_every_control_and_language_switch(text):
    """furniture_lines' condition is necessary: a line furniture_reason names a reason for is
    among them, or a vote count (which the rule reads from _VOTES' literals)."""
    reason = ui.furniture_reason(text)
    shaped = ui.furniture_lines_py(text, [0, len(text) + 1], [0]) == [0]
    if reason and reason != "vote or rating count":
        assert shaped, text
    if reason == "vote or rating count":
        assert ui._VOTES_PREFILTER.may_match(text)


_FURNITURE_LINES = st.lists(
    st.one_of(st.lists(_FURNITURE_WORDS, min_size=1, max_size=6).map(" ".join),
              st.lists(st.sampled_from(["Share", "hello", "\n", " ", "4 votes", "Print"]), max_size=5).map("".join),
              st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)),
    min_size=0, max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(_FURNITURE_LINES, st.data())
def test_furniture_rule_removes_exactly_the_furniture_lines(texts, data):
    """U001's candidate lines (its vocabulary lines and vote counts) hide nothing: it removes
    exactly the live lines of at most 120 characters that furniture_reason accepts, on pages of
    hostile text (newlines inside texts included) and with lines already gone."""
    from cleaner.document import Line

    lines = tuple(Line(k + 1, 0, len(t), t, False) for k, t in enumerate(texts))
    alive = [data.draw(st.booleans()) or k % 3 == 0 for k in range(len(texts))]
    doc = DocView(lines, list(texts), alive, set(), Options())
    removed = [d.line - 1 for d in ui.PageFurniture().check(doc)]
    assert removed == [i for i in doc.live if len(texts[i]) <= 120 and ui.furniture_reason(texts[i])]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_short_lines_have_fewer_than_five_words(text):
    folded = text.casefold()
    if len(folded) < 9:
        assert len(shapes.WORD.findall(folded)) < 5


# -- the literal prefilter (cleaner/rules/prefilter.py) -------------------------------------


def test_str_lower_is_re_lower_but_for_dotted_capital_i():
    import _sre

    differ = [ch for ch in ALL_CHARS if ch.lower() != chr(_sre.unicode_tolower(ord(ch)))]
    assert differ == ["\u0130"]


def test_required_literals_of_patterns():
    from cleaner.rules.prefilter import required_literals

    assert required_literals(re.compile(r"\bread (?:also|more)\b", re.I)) == frozenset({"read "})
    assert required_literals(re.compile(r"(?:foo|ba+r)x?")) in ({"foo", "b"}, {"foo", "a"}, {"foo", "r"})
    assert required_literals(re.compile(r"[a-z]+\d")) is None
    assert required_literals(re.compile(r"(?:news|)letter")) == frozenset({"letter"})


_PROMPT_WORDS = st.sampled_from(
    ["Subscribe", "SUBSCRIBE to our", "newsletter", "Newsletter", "follow", "Follow us", "on Twitter", "join", "our",
     "app", "Download", "the", "inbox", "Like this story?", "share it with a friend", "click here", "ſubscribe",
     "İnbox", "ınbox", "Σ", "ς", "ϴ", "ϑ", "К", "ᲃ", "Folgen Sie", "uns", "abonnez-vous", "·", ".", "!", "?", " ",
     "word", "\t", "ΣΑΣ", "ΟΔΟΣ", "you", "Sie", "dein", "unsubscribe", "unſubscribe", "ABONNIEREN",
     "in dein Postfach", "delivered to your inbox", "abbestellen"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_PROMPT_WORDS, min_size=1, max_size=9).map(" ".join), min_size=1, max_size=6))
def test_prompt_prefilter_keeps_every_line_a_regex_matches(lines):
    from cleaner.rules import prompts

    doc = _view("\n".join(lines))
    candidates = prompts._PROMPT_PREFILTER.positions(doc)
    if candidates is None:
        return
    for k, i in enumerate(doc.live):
        text = doc.text(i)
        if any(p.search(text) for p in prompts._PROMPT_PREFILTER.patterns):
            assert k in candidates, text


_NOTICE_WORDS = st.sampled_from(
    ["We use cookies", "cookies", "COOKIES", "on this website", "you agree", "privacy settings", "The views expressed",
     "in this article", "do not necessarily reflect", "Meinung", "des Autors", "All rights reserved", "Alle Rechte",
     "vorbehalten", "droits réservés", "Comments are moderated", "moderator", "will be approved", "spam",
     "Akismet", "reduce spam", "Please enable JavaScript", "javascript", "to view the comments", "browser",
     "© 2020", "Copyright", "Reading time", "5 min read", "ſ", "ı", "İ", "K", "Σ", "ς", "·", ".", " ", "word"]
)


def _notice_mays(doc):
    """What K002 hands notice_reason for each candidate line: the gates whose literals it holds."""
    from cleaner.rules import prompts
    from cleaner.rules.prefilter import DocText

    text = DocText(doc.texts)
    gates = [(rx, pre.text_lines(text)) for rx, pre in prompts._NOTICE_GATES]
    for i in doc.live:
        yield i, tuple(rx for rx, lines in gates if lines is None or i in lines)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_NOTICE_WORDS, min_size=1, max_size=9).map(" ".join), min_size=1, max_size=6))
def test_notice_gates_change_no_reason(lines):
    """K002 runs a notice search only on the lines holding that search's literals: every line's
    reason is the one notice_reason gives with every search run."""
    from cleaner.rules import prompts

    doc = _view("\n".join(lines))
    for i, may in _notice_mays(doc):
        assert prompts.notice_reason(doc.text(i), may) == prompts.notice_reason(doc.text(i)), doc.text(i)


@pytest.mark.bench
def test_notice_gates_change_no_reason_on_the_dev_sets():
    from cleaner.rules import prompts

    for raw in _dev_set_dumps():
        doc = _view(raw)
        for i, may in _notice_mays(doc):
            assert prompts.notice_reason(doc.text(i), may) == prompts.notice_reason(doc.text(i)), doc.text(i)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_NOTICE_WORDS | _PROMPT_WORDS, min_size=1, max_size=9).map(" ".join), min_size=1, max_size=6))
def test_line_sets_are_the_prefilters_lines_with_and_without_the_c_search(lines):
    """LiteralPrefilter.line_set: the page search's lines as a set (C), or each line tested when
    asked (pure Python): the same lines, those of text_lines, either way."""
    from cleaner.rules import prefilter, prompts
    from cleaner.rules.prefilter import DocText

    text = DocText(lines)
    for _, pre in prompts._NOTICE_GATES + tuple((None, p) for p in prompts._LINE_PREFILTERS[:5]):
        want = set(pre.text_lines(text))
        asked = prefilter._LinesHolding(pre, text)
        assert {i for i in range(len(lines)) if i in asked} == want
        assert {i for i in range(len(lines)) if i in pre.line_set(text)} == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aıſſbİK\u212a\u1c80 .\n", max_size=12), min_size=1, max_size=5))
def test_a_pages_safety_is_read_off_the_characters_it_was_searched_for(lines):
    """K001 asks each of its prefilters whether a page's lower case holds a character the lower
    case cannot vouch for, once a check and edge round: DocText remembers each character it was
    searched for, and answers as a search of the page would, in any order of asking."""
    from cleaner.rules import prompts
    from cleaner.rules.prefilter import DocText, holds_any

    page = DocText(lines)
    for pre in prompts._LINE_PREFILTERS * 2:
        assert pre.safe_for_page(page) == pre.safe_for(page.low)
    for chars in (("ı",), ("ſ", "b"), ("x",), (), ("\u1c80", "ı")):
        assert page.holds_any(chars) == holds_any(page.low, chars)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aıſſbİK\u212a\u1c80\u1c88ΣЉ .\n", max_size=12), min_size=1, max_size=5))
def test_a_plain_page_forces_no_line_on_any_prefilter(lines):
    """DocText.plain: the page holds no "İ" and its lower case none of the registered unsafe
    characters. forced() and holds_any(), which answer a registered tuple from it, give what a
    search of each line gives, and so do the prefilters' lines and safety."""
    from cleaner.rules import prefilter, prompts, teasers
    from cleaner.rules.prefilter import DocText, LiteralPrefilter

    page = DocText(lines)
    low, offsets = page.low, page.offsets
    registered = prefilter._unsafe_seen
    assert set(teasers._LOWER_UNSAFE_LOW) <= set(registered)
    assert page.plain() == ("\u0130" not in page.joined and not any(ch in low for ch in registered))

    def searched(chars):  # the lines holding "İ", or one of ``chars`` in lower case
        return {i for i, text in enumerate(lines)
                if "\u0130" in text or any(ch in low[offsets[i] : offsets[i + 1] - 1] for ch in chars)}

    for chars in [pre._unsafe_chars for pre in prompts._LINE_PREFILTERS] + [teasers._LOWER_UNSAFE_LOW]:
        assert prefilter._unsafe_sets.get(id(chars)) is chars  # registered: answered from plain()
        assert set(page.forced(chars)) == searched(chars)
        assert page.holds_any(chars) == any(ch in low for ch in chars)
    for pre in prompts._LINE_PREFILTERS:
        if isinstance(pre, LiteralPrefilter) and pre.literals is not None:
            want = sorted(searched(pre._unsafe_chars).union(page.lines(pre._literal_tuple)))
            assert pre.text_lines(page) == want


def test_a_page_is_plain_again_only_for_the_characters_registered_when_asked(monkeypatch):
    """A tuple no one registered is searched on a plain page; a character registered after a page
    answered plain() is looked for when it asks again."""
    from cleaner.rules import prefilter
    from cleaner.rules.prefilter import DocText

    monkeypatch.setattr(prefilter, "_unsafe_seen", prefilter._unsafe_seen)
    monkeypatch.setattr(prefilter, "_unsafe_sets", prefilter._unsafe_sets)
    page = DocText(["a line with a \u00b5 sign", "another line"])
    assert page.plain()
    assert page.forced(("\u00b5",)) == {0}  # a tuple no one registered: searched, plain or not
    micro = ("\u00b5",)
    prefilter.register_unsafe(micro)
    assert "\u00b5" in prefilter._unsafe_seen
    assert not page.plain()
    assert page.forced(micro) == {0} and page.holds_any(micro)


@pytest.mark.parametrize("kind", ["LiteralPrefilter", "BranchSearch"])
def test_a_new_prefilter_registers_its_unsafe_characters(monkeypatch, kind):
    """A prefilter made at any time registers the characters its lower-cased search cannot vouch
    for ("ϑ" for "θ"), so a page holding one is not plain and the regex's line is not missed."""
    from cleaner.rules import prefilter
    from cleaner.rules.prefilter import DocText

    monkeypatch.setattr(prefilter, "_unsafe_seen", prefilter._unsafe_seen)
    monkeypatch.setattr(prefilter, "_unsafe_sets", prefilter._unsafe_sets)
    assert "\u03d1" not in prefilter._unsafe_seen
    rx = re.compile("θέμα|σπα", re.I)
    pre = getattr(prefilter, kind)(rx)
    assert "\u03d1" in pre._unsafe_chars and "\u03d1" in prefilter._unsafe_seen
    lines = ["Το \u03d1έμα της ημέρας", "άλλη γραμμή"]
    assert rx.search(lines[0])
    page = DocText(lines)
    assert not page.plain()
    if kind == "LiteralPrefilter":
        assert pre.text_lines(page) == [0]
    else:
        assert not pre.safe_for_page(page)


def test_a_pages_lines_are_the_same_for_an_equal_set_of_literals(monkeypatch):
    """DocText.lines keeps each set's lines under the set's identity: a set equal to a registered
    one but another tuple finds the same lines (searched on its own), before or after it."""
    from cleaner.rules import prefilter
    from cleaner.rules.prefilter import DocText

    monkeypatch.setattr(prefilter, "_groups", prefilter._groups)  # the set registered here is the test's

    texts = ["Subscribe to our newsletter", "The council met on Monday.", "NEWSLETTER sign-up"]
    literals = ("newsletter", "subscribe")
    copy = tuple(list(literals))
    assert copy == literals and copy is not literals
    for first, second in ((literals, copy), (copy, literals)):
        page = DocText(texts, shared=True)
        assert page.lines(first) == page.lines(second) == [0, 2]


def test_notice_gates_are_the_line_searches_of_notice_reason():
    """Each gate is one of notice_reason's regexes, with a prefilter of that regex alone."""
    from cleaner.rules import prompts

    assert prompts._NOTICE_GATES
    for rx, pre in prompts._NOTICE_GATES:
        assert rx in prompts._NOTICE_PREFILTER.patterns and pre.patterns == (rx,) and pre.literals


@pytest.mark.parametrize("function, prefilter", [("_reason", "_PROMPT_PREFILTER"), ("notice_reason", "_NOTICE_PREFILTER")])
def test_prefilters_list_every_regex_their_test_uses(function, prefilter):
    """A regex added to prompt_reason / notice_reason must be added to its prefilter too."""
    from cleaner.rules import prompts

    code = getattr(prompts, function).__code__
    used = {getattr(prompts, n) for n in code.co_names if isinstance(getattr(prompts, n, None), re.Pattern)}
    assert used and used <= set(getattr(prompts, prefilter).patterns)


_TRICKY_PATTERNS = (
    re.compile(r"\bϑεσ|σας\b", re.I),
    re.compile(r"подписка|свет", re.I),
    re.compile(r"kiss|\bsign\s?up\b", re.I),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.text(alphabet="ϑθϴΘεϵΕσςΣαΑподпискаПОДСᲃᲂᲄсвет kisSIKKſıİ\u0307up\t.", max_size=14), min_size=1, max_size=5))
def test_prefilter_is_a_superset_under_every_case_equivalence(lines):
    from cleaner.rules.prefilter import LiteralPrefilter

    doc = _view("\n".join(lines))
    for pattern in _TRICKY_PATTERNS:
        candidates = LiteralPrefilter(pattern).positions(doc)
        if candidates is None:
            continue
        for k, i in enumerate(doc.live):
            if pattern.search(doc.text(i)):
                assert k in candidates, (pattern.pattern, doc.text(i))


_FOOTER_WORDS = st.sampled_from(
    ["Copyright", "COPYRIGHT", "All rights reserved", "Rights Reserved", "droits réservés", "Droits reserves",
     "Alle Rechte vorbehalten", "Impressum", "IMPRESSUM", "Datenschutz", "Privacy", "Imprint", "Mentions légales",
     "Aviso legal", "Terms of use", "AGB", "agbs", "ſ", "ı", "İ", "K", "\u0307", "priſacy", "termſ of", "ımprint",
     "İmpressum", "rıghts", "copyrıght", "word", " ", ".", "·", "\t"]
)


@settings(max_examples=800, deadline=None)
@given(st.lists(_FOOTER_WORDS, min_size=1, max_size=8), st.lists(_FOOTER_WORDS, max_size=4))
def test_footer_label_prefilter_is_exact(words, other):
    """M001's footer label: the page's substring search (``lines_holding``, what decide_labels
    asks) never hides a line the regex matches, whatever the other lines of the page hold."""
    from cleaner.content import model

    lines = [" ".join(words), " ".join(other)]
    found = model._FOOTER_PREFILTER.lines_holding(lines)
    for k, line in enumerate(lines):
        if model._FOOTER.search(line) is not None:
            assert found is None or k in found, line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_FOOTER_WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=6))
def test_footer_lines_read_off_the_shared_search_are_the_pages_own(lines):
    """M001 hands decide_labels the footer lines found by the document's shared literal search
    (``model.footer_lines`` of a DocText): the lines decide_labels would find itself."""
    from cleaner.content import model
    from cleaner.rules.prefilter import DocText

    assert model.footer_lines(DocText(lines)) == model._FOOTER_PREFILTER.lines_holding(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_FOOTER_WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=6),
       st.lists(st.lists(_FOOTER_WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=6),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_footer_lines_of_edited_lines_are_their_classified_texts(classified, others, edited):
    """A repair rule edited some lines: the shared search is of the current texts, the model
    classifies the lines as read. ``footer_lines(text, changed)`` must be the lines the search of
    the classified texts finds (what decide_labels found itself, on a second copy of the page)."""
    from cleaner.content import model
    from cleaner.rules.prefilter import DocText

    current = [other if edit else line for line, other, edit in zip(classified, others * 6, edited)]
    changed = [(i, line) for i, (line, cur) in enumerate(zip(classified, current)) if line != cur]
    assert model.footer_lines(DocText(current), changed) == model._FOOTER_PREFILTER.lines_holding(classified)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_footer_label_prefilter_is_exact_on_any_text(line):
    from cleaner.content import model

    if model._FOOTER.search(line) is not None:
        found = model._FOOTER_PREFILTER.lines_holding([line, "other words"])
        assert found is None or 0 in found, line


def _prompt_reason_plain(text):
    """prompt_reason without its per-regex prefilters (the reference)."""
    from cleaner.rules import prompts

    if len(text) > 400 or shapes.word_count(text) > prompts._MAX_WORDS:
        return None
    if prompts._PHRASE.search(text):
        return "prompt addressed to the reader (subscription, sharing, paywall or affiliate notice)"
    if prompts._IMPERATIVE.search(text):
        return "call to action (subscribe, follow, download) addressed to the reader"
    if prompts._US.search(text):
        return "call to action inviting the reader to join or follow the site"
    if prompts._NEWSLETTER.search(text) and prompts._addresses_reader(text):
        return "newsletter box addressed to the reader"
    return None


@settings(max_examples=800, deadline=None)
@given(st.lists(_PROMPT_WORDS, min_size=1, max_size=12).map(" ".join))
def test_prompt_reason_per_regex_prefilters_are_exact(line):
    from cleaner.rules import prompts

    assert prompts.prompt_reason(line) == _prompt_reason_plain(line), line
    if prompts._IMPERATIVE.search(line):  # K001's page-level condition for the imperative
        assert prompts._VERB_PRE.may_match(line) and prompts._CHANNEL_PRE.may_match(line), line


# pieces of K001's sentence-start and channel-first searches: closing marks, ¡¿, spaces of
# several kinds (none, one, many, a newline), verbs and channels in several cases
_SENTENCE_PIECES = st.sampled_from(
    [".", "!", "?", "…", "¡", "¿", "", " ", "  ", "\n", "\u00a0", "\t", "Join", "follow", "FOLLOW", "Get",
     "subscribe", "ſubscribe", "sign up", "Síguenos", "us", "our", "uns", "nous", "newsletter", "Telegram",
     "inbox", "İnbox", "app", "apps", "channel", "the", "word", "x", "a" * 70, ",", ";", "-", "_", "1"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=14).map("".join), st.lists(_SENTENCE_PIECES, max_size=14).map(" ".join))
def test_imperative_and_us_in_parts_find_what_the_whole_regexes_find(glued, spaced):
    from cleaner.rules import prompts

    for text in (glued, spaced, spaced + glued):
        assert prompts._imperative(text) == (prompts._IMPERATIVE.search(text) is not None), text
        assert prompts._us(text) == (prompts._US.search(text) is not None), text


@pytest.mark.bench
def test_imperative_and_us_in_parts_on_the_dev_sets():
    from cleaner.rules import prompts
    from cleaner.textio import prepare

    found = 0
    for raw in _dev_set_dumps():
        for line in prepare(raw).lines:
            text = line.text
            whole = prompts._IMPERATIVE.search(text) is not None
            assert prompts._imperative(text) == whole, text
            assert prompts._us(text) == (prompts._US.search(text) is not None), text
            found += whole
    assert found > 100  # the lines cover both branches' matches, not only misses


def _prompt_decisions_plain(doc):
    return [(i, _prompt_reason_plain(doc.text(i))) for i in doc.live if _prompt_reason_plain(doc.text(i))]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.lists(_PROMPT_WORDS, min_size=1, max_size=12).map(" ".join),
                          st.sampled_from(["ſubscribe to our newsletter", "İnbox", "Follow us", "x",
                                           "SUBSCRİBE to our newsletter", "LİKE THİS STORY?", "İ"])),
                min_size=1, max_size=10))
def test_reader_prompt_page_searches_decide_as_the_plain_regexes(lines):
    """K001 finds each regex's literals once per page (verb AND channel for the imperative):
    it removes exactly the lines the plain regexes give a reason for, with the same reason."""
    from cleaner.rules import prompts

    doc = _view("\n".join(lines))
    got = [(d.line, d.reason) for d in prompts.ReaderPrompt().check(doc)]
    assert got == [(doc.lines[i].number, r) for i, r in _prompt_decisions_plain(doc)]


def _dev_set_dumps():
    """The raw dumps of both dev sets, in file order; skips the test when the data is absent."""
    from conftest import bench_pages

    return [raw for _, raw in bench_pages()]


@pytest.mark.bench
def test_reader_prompt_page_searches_on_the_dev_sets():
    from cleaner.rules import prompts

    for raw in _dev_set_dumps():
        doc = _view(raw)
        got = [(d.line, d.reason) for d in prompts.ReaderPrompt().check(doc)]
        assert got == [(doc.lines[i].number, r) for i, r in _prompt_decisions_plain(doc)]


def test_top_branches_are_the_alternatives_sre_reads():
    from cleaner.rules import prompts
    from cleaner.rules.prefilter import top_branches

    found = top_branches(re.compile(r"[|]x|y\\|(?:b|c)d|[]|]e", re.I))
    assert [bool(b.fullmatch(t)) for (b, _), t in zip(found, ["|X", "y\\", "cD", "]e"])] == [True] * 4
    assert [lits for _, lits in found] == [{"|x"}, {"y\\"}, {"d"}, {"e"}]  # "[|]" is read as the literal "|"
    assert not found[0][0].search("yx") and not found[2][0].search("e")  # each is its own alternative
    assert top_branches(re.compile(r"(?:a|b)")) is None  # no top-level alternation
    assert top_branches(re.compile(r"ax|ay")) is None  # sre factors the prefix out
    assert top_branches(re.compile(r"a|b")) is None  # sre makes a class of it
    assert top_branches(re.compile(r"(a)x|b")) is None  # groups: a backreference may need one
    branches = top_branches(prompts._PHRASE)
    assert branches is not None and len(branches) == 41


def _branch_search_agrees(search, pattern, lines):
    from cleaner.rules.base import lower_keeping_offsets

    for line in lines:
        low = lower_keeping_offsets(line)
        if search.safe_for(low):
            assert search.search(line, low) == (pattern.search(line) is not None), line
        else:  # what K001 does then: every regex on its own
            assert holds_unsafe(low, pattern), line


def holds_unsafe(low, pattern):
    """A lower case the literal searches cannot vouch for holds a character re.IGNORECASE
    equates with a letter of the pattern's literals beyond lower-casing."""
    from cleaner.patterns import extra_cases

    extra = extra_cases()
    return any(ord(ch) in {v for vs in extra.values() for v in vs} for ch in low)


_PHRASE_PIECES = st.sampled_from(
    ["Like this story", "?", "share it with a friend", "click here", "CLICK HERE", "tap", "here", "subscribe now",
     "Subscribe", "today", "already a subscriber", "affiliate link", "we may earn a commission", "we", "may", "earn",
     "commission", "Links", "erhält", "Provision", "push notifications", "turn on notifications", "Jetzt abonnieren",
     "abonnez-vous", "download the app", "download our", "apps", "ſubscribe", "İ", "ı", "ς", " ", ".", "!", "x"]
)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.lists(_PHRASE_PIECES, min_size=1, max_size=10).map(" ".join), min_size=1, max_size=4))
def test_branch_search_is_the_alternation(lines):
    """K001's stock phrases searched branch by branch (each only on a line holding one of its
    words) match exactly the lines the whole alternation matches."""
    from cleaner.rules import prompts

    _branch_search_agrees(prompts._PHRASE_BRANCHES, prompts._PHRASE, lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
def test_branch_search_is_the_alternation_on_any_text(lines):
    from cleaner.rules import prompts

    _branch_search_agrees(prompts._PHRASE_BRANCHES, prompts._PHRASE, lines)


#: A line each branch of K001's _PHRASE matches, in branch order.
_ONE_PHRASE_EACH = (
    "Liked this article?", "Share this story with your friends", "Tell us what you think", "Thank you for signing up",
    "We'd love to hear from you", "Error processing your subscription", "Keep an eye on your inbox",
    "Already a member?", "Please log in", "To continue reading the full story", "Subscribe today",
    "Click here", "Tap here", "Sign up for free", "Download our free news app", "We may earn a small commission on sales",
    "Affiliate links", "As an Amazon Associate", "We may be paid fees", "Erhalten wir dafür eine Provision",
    "Wir erhalten eine Provision", "Nous pouvons percevoir une commission", "Podemos recibir una comisión",
    "Für Links erhält das Portal eine Provision", "Amazon Services LLC Associates Program",
    "Affiliate advertising program", "Push-Mitteilungen", "Turn on desktop notifications",
    "Benachrichtigungen zu aktivieren", "Benachrichtigungen erfolgreich aktiviert", "Activez les notifications",
    "Activar las notificaciones", "Newsletter abonnieren", "Jetzt abonnieren", "Gefällt Ihnen dieser",
    "Hat dir der Beitrag gefallen", "Avez-vous apprécié cet article", "Abonnez-vous",
    "Inscrivez-vous à la newsletter", "Suscríbete a nuestro", "Ti è piaciuto questo articolo",
)


def test_branch_search_finds_each_branch():
    """Each stock phrase on its own line, and inside a sentence: found by the branch search."""
    from cleaner.rules import prompts
    from cleaner.rules.prefilter import top_branches

    branches = [branch for branch, _ in top_branches(prompts._PHRASE)]
    assert len(_ONE_PHRASE_EACH) == len(branches)
    for k, (line, branch) in enumerate(zip(_ONE_PHRASE_EACH, branches)):
        assert branch.search(line), (k, line)
        for text in (line, f"So. {line.upper()}, then more."):
            low = text.lower()
            assert prompts._PHRASE_BRANCHES.safe_for(low) and prompts._PHRASE_BRANCHES.search(text, low), (k, text)
    _branch_search_agrees(prompts._PHRASE_BRANCHES, prompts._PHRASE, [" ".join(_ONE_PHRASE_EACH[k::7]) for k in range(7)])


def test_branch_search_without_branches_is_the_plain_search():
    from cleaner.rules.prefilter import BranchSearch

    plain = BranchSearch(re.compile(r"(a)b|c"))
    assert not plain.safe_for("ab") and plain.search("xab", "xab") and not plain.search("xa", "xa")


@pytest.mark.bench
def test_branch_search_is_the_alternation_on_the_dev_sets():
    from cleaner.rules import prompts

    for raw in _dev_set_dumps():
        lines = [line for line in raw.split("\n") if prompts._PHRASE_PRE.may_match(line)]
        _branch_search_agrees(prompts._PHRASE_BRANCHES, prompts._PHRASE, lines)


def test_related_label_initials_cover_every_case_insensitive_variant():
    from cleaner.rules import related

    letters = _first_literals(related._LABEL)
    klass = re.compile("[" + "".join(re.escape(ch) for ch in letters) + "]", re.I)
    for ch in ALL_CHARS:
        if klass.fullmatch(ch):
            assert shapes.may_start_with(ch + "rest", related._LABEL_INITIALS), hex(ord(ch))
            assert related._may_open_inline(ch + "rest"), hex(ord(ch))


_RELATED_PIECES = st.sampled_from(
    ["Related", "RELATED", "Read also", "read more", "See also", "Lesen Sie auch", "À lire aussi", "Читайте также",
     "По теме", "Top stories", "Also on example.com", "auch auf example.de", "You may also like", "Lena Hartmann",
     "Ёлка", "Lea", "MIRE", "vea", "[", "]", ":", "：", "...", "…", " ", "\t", "\u00a0", "ſee also", "ꞮNTERESTING", "K", "word", "A", "x"]
)


@settings(max_examples=800, deadline=None)
@given(st.lists(_RELATED_PIECES, min_size=1, max_size=8).map("".join))
def test_related_prechecks_never_hide_a_match(text):
    from cleaner.rules import related

    if related._INLINE.match(text):
        assert related._may_open_inline(text), text
    if related._LABEL.match(text):
        assert shapes.may_start_with(text, related._LABEL_INITIALS), text
    if related._NAME_COLON.match(text):
        assert ":" in text, text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_FOOTER_WORDS, min_size=0, max_size=5).map(" ".join), min_size=0, max_size=8))
def test_lines_holding_is_may_match_on_each_line(lines):
    """The page-level footer prefilter M001's labels use: the lines ``may_match`` holds for."""
    from cleaner.content import model

    prefilter = model._FOOTER_PREFILTER
    found = prefilter.lines_holding(lines)
    if found is None:  # "İ" or a case variant somewhere: every line is given to the regex
        return
    assert found == {i for i, line in enumerate(lines) if prefilter.may_match(line)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=0, max_size=6))
def test_lines_holding_never_hides_a_footer_on_any_text(lines):
    from cleaner.content import model

    found = model._FOOTER_PREFILTER.lines_holding(lines)
    for i, line in enumerate(lines):
        if model._FOOTER.search(line):
            assert found is None or i in found, (i, line)


def test_credit_line_initials_cover_every_case_insensitive_variant():
    """I002: every character _CREDIT_LINE can begin with (under re.IGNORECASE) passes the pre-check."""
    from cleaner.rules import images

    letters = _first_literals(images._CREDIT_LINE)
    assert {"p", "f", "ф", "©", "("} <= letters
    klass = re.compile("[" + "".join(re.escape(ch) for ch in letters) + "]", re.I)
    for ch in ALL_CHARS:
        if klass.fullmatch(ch):
            assert shapes.may_start_with(ch + "rest", images._CREDIT_LINE_INITIALS), hex(ord(ch))


_CREDIT_PIECES = st.sampled_from(
    ["Photo", "PHOTO", "Foto", "Image credit", "Bildquelle", "Фото", "снимок", "Zdjęcie", "Getty", "Reuters", "AP",
     "afp", "EPA", "Shutterstock", "iStock", "dpa", "Credit", "Crédits", "pic", "Illustration", "©", "(c)", "(C)", "ⓒ",
     "(", ")", "[", "]", ":", "|", "/", ".", " ", "  ", "\t", "ſhutterstock", "İmage", "ıllustration", "K", "word",
     "The caption", "x"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_CREDIT_PIECES, min_size=1, max_size=9).map("".join))
def test_image_caption_prechecks_never_hide_a_match(text):
    from cleaner.rules import images

    if images._CREDIT_TAIL.search(text):
        assert ")" in text or "]" in text, text
    if images._CREDIT_LINE.match(text):
        assert shapes.may_start_with(text, images._CREDIT_LINE_INITIALS), text
    if images._CREDIT_AFTER.search(text) and images.word_count(text) <= images._MAX_CAPTION_WORDS:
        assert "©" in text or ":" in text or "(c)" in text.lower(), text


def test_first_character_tables_answer_as_may_start_with_over_all_of_unicode():
    """The per-line pre-checks of A001, I002, R001 and S001 read a table of first characters
    (``shapes.CharTable``): it gives what ``may_start_with`` / ``_may_open_inline`` give, for
    every character, the empty text included, and past the table's size limit too."""
    from cleaner.rules import images, related

    pairs = [
        (ads._LABEL_FIRST, lambda t: shapes.may_start_with(t, ads._LABEL_INITIALS)),
        (social._SHARED_BY_FIRST, lambda t: shapes.may_start_with(t, social._SHARED_BY_INITIALS)),
        (images._CREDIT_LINE_FIRST, lambda t: shapes.may_start_with(t, images._CREDIT_LINE_INITIALS)),
        (images._FIGURE_LABEL_FIRST, lambda t: shapes.may_start_with(t, images._FIGURE_LABEL_INITIALS)),
        (related._LABEL_FIRST, lambda t: shapes.may_start_with(t, related._LABEL_INITIALS)),
        (related._INLINE_FIRST, related._may_open_inline),
    ]
    for table, reference in pairs:
        fresh = shapes.CharTable(table.fn)  # the shipped tables may already hold entries
        assert fresh[""] is False and reference("") is False
        for ch in ALL_CHARS:
            expected = reference(ch + "rest")
            assert fresh[ch] is expected, hex(ord(ch))
            assert table[ch] is expected, hex(ord(ch))
        assert len(fresh) == shapes.CharTable.LIMIT  # bounded: the rest was computed each time
        for ch in ALL_CHARS[:: 997]:  # remembered or not, the same answer the second time
            assert fresh[ch] is reference(ch), hex(ord(ch))


@functools.lru_cache(maxsize=1)
def _codes_index():
    """word -> the codes of the stoplists that hold it (the vote index, its bytes read as codes)."""
    from cleaner.content import features

    codes = features._stop_codes()
    return {w: [codes[k] for k in langs] for w, langs in features._stop_index().items()}


def _detect_language_plain(lines, sample_lines=12, max_words=400):
    """features.detect_language as first written (lambda key, generator filter): the reference."""
    import heapq
    from collections import Counter
    from itertools import chain

    from cleaner.content import features

    if not lines:
        return None
    longest = heapq.nlargest(sample_lines, range(len(lines)), key=lambda i: len(lines[i]))
    index = _codes_index()
    words = []
    for i in sorted(longest):
        words.extend(features._WORD.findall(lines[i].lower()))
        if len(words) >= max_words:
            break
    votes = Counter(chain.from_iterable(index[w] for w in words[:max_words] if w in index))
    if not votes:
        return None
    best = max(votes.values())
    if best < 3:
        return None
    return min(c for c, v in votes.items() if v == best)


_LANGUAGE_LINES = st.lists(
    st.lists(st.sampled_from(["the", "and", "der", "und", "le", "et", "el", "y", "и", "в", "x", "of", "die", "la", "de",
                              "Ünd", "DER", "İn", "123", "word", "ſo"]), max_size=9).map(" ".join),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(_LANGUAGE_LINES)
def test_language_vote_equals_its_reference(lines):
    """M001's language vote reads line lengths and stoplist words with C-level callables: the
    same lines (equal lengths included), the same votes, the same language."""
    from cleaner.content import features

    assert features.detect_language(lines) == _detect_language_plain(lines)
    assert features.detect_language(lines, sample_lines=3, max_words=7) == _detect_language_plain(lines, 3, 7)


@pytest.mark.bench
def test_language_vote_equals_its_reference_on_the_dev_sets():
    from cleaner.content import features

    for raw in _dev_set_dumps():
        lines = [line.text for line in prepare(raw).lines]
        assert features.detect_language(lines) == _detect_language_plain(lines)


def test_unsafe_character_searches_equal_their_classes():
    """The prefilters and the teaser candidates look for their 'unsafe' characters with one
    ``in`` per character instead of a regex character class: the same characters."""
    from cleaner.content import model
    from cleaner.rules import prompts
    from cleaner.rules.prefilter import LiteralPrefilter, holds_any

    assert [ch for ch in ALL_CHARS if teasers._LOWER_UNSAFE.search(ch)] == sorted(teasers._LOWER_UNSAFE_CHARS)
    prefilters = [v for m in (prompts, model) for v in vars(m).values() if isinstance(v, LiteralPrefilter)]
    assert len(prefilters) >= 8
    for p in prefilters:
        if p.literals is None:
            continue
        unsafe_low = re.compile("[" + re.escape("".join(p._unsafe_chars)) + "]") if p._unsafe_chars else None
        wanted = [ch for ch in ALL_CHARS if unsafe_low is not None and unsafe_low.search(ch)]
        assert list(p._unsafe_chars) == wanted
        for text in ("", "plain ascii", "ſ", "x ı y", "\u1c83", "İ", "ünïcödé"):
            assert holds_any(text, p._unsafe_chars) == bool(unsafe_low and unsafe_low.search(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PROMPT_WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=8),
       st.lists(st.booleans(), min_size=8, max_size=8), st.integers(0, 7), st.booleans())
def test_prefilter_lines_are_the_live_lines_that_may_match(lines, dead, edited, late):
    """The prefilters search the whole document's text once (dead lines included, as the repair
    rules left it) for all their literals: the lines they give are the live lines whose own text
    may match, as if each were asked alone, whichever rule asks first and whatever died since."""
    from cleaner.rules import prefilter, prompts, social, ui
    from cleaner.rules.base import DocCache

    prepared = prepare("\n".join(lines))
    texts = [line.text for line in prepared.lines]
    alive = [True] * len(texts)
    cache = DocCache()
    if edited < len(texts):  # a repair rule's edit, then the engine's notice
        before = DocView(prepared.lines, texts, alive, set(), Options(), None, cache)
        prompts._PROMPT_PREFILTER.doc_lines(before)  # the shared search of the text as it was
        texts[edited] = texts[edited].upper() + " follow us"
        cache.texts_changed()
    pfs = [prompts._PROMPT_PREFILTER, prompts._NOTICE_PREFILTER, social._PREFILTER, ui._VOTES_PREFILTER]
    if late:  # a set first asked for after the document's shared pass: searched on its own
        pfs.append(prefilter.LiteralPrefilter(re.compile(r"uns(?:ub)?|ſo+", re.I)))
    for round_ in range(2):
        if round_:
            for i, gone in enumerate(dead[: len(texts)]):
                alive[i] = alive[i] and not gone
        doc = DocView(prepared.lines, texts, alive, set(), Options(), None, cache)
        for pf in pfs:
            expected = [i for i in doc.live if pf.may_match(texts[i])]
            assert pf.doc_lines(doc) == expected
            assert list(pf.live_candidates(doc)) == expected
            assert pf.positions(doc) == {k for k, i in enumerate(doc.live) if pf.may_match(texts[i])}


def test_a_line_the_lower_cased_search_cannot_vouch_for_leaves_the_other_lines_prefiltered():
    # "ı" (dotless i, which re.IGNORECASE equates with "I") and "İ" (two characters in lower case)
    # used to send the whole page to the regexes, line by line: a 3 MB document holding one
    # Turkish word cost every rule its prefilter. Now only their own lines are.
    from cleaner.rules.prefilter import LiteralPrefilter

    prefilter = LiteralPrefilter(re.compile(r"\bsubscribe\b", re.I))
    lines = ["Plain text without the word.", "Please SUBSCRIBE now.", "Dış politika haberleri",
             "İstanbul'da yağmur", "Another plain line.", "subscrıbe in dotless spelling"]
    doc = _view("\n".join(lines))
    found = prefilter.positions(doc)
    assert found == {1, 2, 3, 5}
    # a superset of the lines the regex matches, as before
    assert {k for k, line in enumerate(lines) if prefilter.patterns[0].search(line)} <= found


def test_the_shared_lower_case_keeps_every_offset():
    # DocView.joined_lower is sliced with the offsets of the text itself (K001 reads each line's
    # lower case off it): one character for one over all of Unicode, "İ" as re.IGNORECASE folds it
    import _sre

    from cleaner.rules.base import lower_keeping_offsets

    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert len(lower_keeping_offsets(chars)) == len(chars)
    assert lower_keeping_offsets("İSTANBUL") == "istanbul" == "istanbul".lower()
    assert chr(_sre.unicode_tolower(ord("İ"))) == "i"


_DIGIT_TEXT = st.text(alphabet="0123456789١٢٩٠０９𝟙:./-–, 19 20 abc\n\t", max_size=40)


@settings(max_examples=1000, deadline=None)
@given(_DIGIT_TEXT)
def test_the_digit_hints_find_the_lines_of_their_plain_patterns(text):
    """M002's stamp hint and B003's date hint open with the character sre can skip to; the lines
    they find are those of the patterns as first written."""
    from cleaner.rules import comments, credits
    from cleaner.rules.base import line_offsets, lines_matching

    offsets = line_offsets(text.split("\n"))
    for plain, hint in ((r"\d[:./-]\d", comments._STAMP_HINT), (r"(?:19|20)\d\d|\d[./-]\d", credits._DATE_HINT)):
        plain = re.compile(plain)
        assert lines_matching(text, offsets, hint) == lines_matching(text, offsets, plain)
        assert (hint.search(text) is None) == (plain.search(text) is None)


@settings(max_examples=300, deadline=None)
@given(st.lists(_DIGIT_TEXT, max_size=8))
def test_the_documents_shared_regex_search_finds_each_lines_own_matches(texts):
    """DocText.lines_matching (B003's and M002's hints, one search per document) gives the lines
    whose own text matches, dead ones included, whatever the other lines hold."""
    from cleaner.rules import comments, credits
    from cleaner.rules.prefilter import DocText

    texts = [t.replace("\n", " ") for t in texts]  # one line each, as the engine's texts are
    for digit in (False, True):  # the whole text searched, or only the lines holding a digit
        page = DocText(texts)
        for pattern in (comments._STAMP_HINT, credits._DATE_HINT):
            assert page.lines_matching(pattern, digit) == [i for i, t in enumerate(texts) if pattern.search(t)]
            assert page.lines_matching(pattern, digit) is page.lines_matching(pattern, digit)  # searched once


def test_digit_lines_are_the_lines_where_backslash_d_matches():
    """The C pass behind DocText.lines_matching(digit=True): a line holds a character \\d matches,
    over every code point (one a line), in text stored one byte a character and wider."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _digit_lines

    if _digit_lines is None:
        pytest.skip("the C accelerator is not built")
    digit = re.compile(r"\d")
    for lines in ([chr(c) for c in range(256) if c != 10], [chr(c) for c in range(256, 0x110000) if not 0xD800 <= c < 0xE000],
                  ["", "abc", "a1", "x" * 50 + "٣", "", "Ｘ０"]):
        assert _digit_lines("\n".join(lines), line_offsets(lines)) == [k for k, t in enumerate(lines) if digit.search(t)]
    with pytest.raises(ValueError):
        _digit_lines("a\nb", [2, 0, 3])


_TAIL_PIECES = st.sampled_from(
    [".", "!", "?", "。", "！", "？", "…", ":", ";", ",", "'", '"', "’", "”", "»", ")", "]", "(", "[", "«", " ", "\t",
     "\n", "\u3000", "\u2028", "\x1c", "\x85", "\xa0", "a", "word", "Ω", "1", "-"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_TAIL_PIECES, max_size=10).map("".join))
def test_line_ends_read_from_the_end_are_the_regexes(text):
    """ends_sentence and ends_clause strip whitespace, then closers, and look at the mark: the
    answers of SENTENCE_END and CLAUSE_END searched over the line."""
    from cleaner import shapes

    assert shapes.ends_sentence(text) == (shapes.SENTENCE_END.search(text) is not None), repr(text)
    assert shapes.ends_clause(text) == (shapes.CLAUSE_END.search(text) is not None), repr(text)


def test_the_whitespace_str_strip_strips_is_what_backslash_s_matches():
    space = re.compile(r"\s")
    assert all(bool(space.match(chr(c))) == chr(c).isspace() for c in range(0x110000))



def _backtracking_forms():
    """(possessive pattern, its backtracking form, how it is used) for the regexes whose runs of
    word characters were made possessive: the same matches, with fewer steps."""
    from cleaner.rules import images

    return [
        (credits._NAME, re.compile(credits._NAME.pattern.replace("*+", "*")), "match"),
        (credits._BY, re.compile(credits._BY.pattern.replace("*+", "*").replace("++", "+"), re.I), "match"),
        (images._POSITION_MARK, re.compile(images._POSITION_MARK.pattern.replace("++", "+"), re.I), "search"),
    ]


def _same_matches(text: str) -> None:
    for fast, slow, how in _backtracking_forms():
        a, b = getattr(fast, how)(text), getattr(slow, how)(text)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (fast.pattern[:30], text)


_NAME_PIECES = st.sampled_from(
    ["Maria", "Lopez", "M.", "Jane", "O'Neil", "Jean-Luc", "Ана", "Ёж", "Élan", "×", "de", "by", "von", "автор:", "By",
     " ", "  ", "\t", "\u00a0", ".", "..", "'", "’", "-", "(", ")", "(l.)", "(left)", "(v. l.)", "(R)", "x", "1", "_"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=14).map("".join))
def test_possessive_runs_match_as_the_backtracking_forms(text):
    assert "*+" in credits._NAME.pattern and "++" in credits._BY.pattern  # the forms compared differ
    _same_matches(text)


@pytest.mark.bench
def test_possessive_runs_match_as_the_backtracking_forms_on_the_dev_sets():
    for raw in _dev_set_dumps():
        for line in raw.split("\n"):
            _same_matches(line.strip())


def _tail_is_necessary(text: str) -> bool:
    """images._POSITION_MARK_TAIL finds a mark wherever _POSITION_MARK finds a caption (the
    tail is searched first); returns whether the caption regex matched."""
    from cleaner.rules import images

    found = images._POSITION_MARK.search(text) is not None
    assert not found or images._POSITION_MARK_TAIL.search(text), text
    return found


@settings(max_examples=1500, deadline=None)
@given(st.lists(_NAME_PIECES | st.sampled_from(["(LEFT)", "(Links)", "(à droite)", "(v.l.)", "(M.)", "ſ"]),
                max_size=14).map("".join))
def test_position_mark_tail_is_in_every_caption(text):
    _tail_is_necessary(text)


@pytest.mark.bench
def test_position_mark_tail_is_in_every_caption_on_the_dev_sets():
    found = sum(_tail_is_necessary(line.strip()) for raw in _dev_set_dumps() for line in raw.split("\n"))
    assert found > 0


_FILE_PIECES = st.sampled_from(
    ["portrait-2m", "IMG_2041", ".JPG", ".jpg", ".jpeg", ".PnG", ".ſvg", ".SVG", ".tiff", ".heic", ".webp",
     "https://cdn.test/a/", "b", "?w=300", " 640x480", ".", "/", " ", "ſ", "K", "İ", "word", "jp", "g"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_FILE_PIECES, max_size=6).map("".join), min_size=1, max_size=8))
def test_image_filename_removes_what_its_plain_loop_removes(lines):
    """I001 reads its candidate lines off the page's literal search (an extension's letters):
    the lines it removes are those the regex matches, case variants ("ſvg", "K") included."""
    from cleaner.rules import images

    doc = _view("\n".join(lines))
    got = [d.line for d in images.ImageFilename().check(doc)]
    want = [doc.lines[i].number for i in doc.live
            if len(doc.text(i)) < 300 and "." in doc.text(i) and images._FILENAME.match(doc.text(i))]
    assert got == want


def test_image_filename_examples_through_the_literal_search():
    from cleaner.rules import images

    doc = _view("Intro words.\nportrait-2m.JPG\nlogo.ſvg\nhttps://cdn.test/a/b.png?w=300\nThe file report.jpg was sent.")
    assert [d.line for d in images.ImageFilename().check(doc)] == [2, 3, 4]


# B003's date regex as it was written before its digit-led forms were factored (the reference:
# the same matches), and its search in parts (_date_found)
_FULL_DATE_AS_WRITTEN = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d(?!\d)|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|"
    rf"\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?:{credits._MONTHS})\.?,?\s+(?:de\s+)?(?:19|20)\d\d(?!\d)|"
    rf"(?:{credits._MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d(?!\d))"
)
_DATE_AS_WRITTEN = re.compile(rf"(?<!\w){_FULL_DATE_AS_WRITTEN}", re.I)
# C001's timestamp as it was written before it was made to open with its first digit (the
# reference: the same matches)
_STAMP_AS_WRITTEN = re.compile(
    r"(?<![\d.:])(?:\d{1,2}[:.]\d{2}(?![\d.])(?!\.\d)|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2})"
)
_STAMP_PIECES = st.sampled_from(
    ["1", "12", "123", "2012", "٣", "0", ":", ".", "/", "-", " ", "a", "x1", "17:42", "5.30", "17.04.2012", "4/17/12",
     "2012-04-17", "1.2.3", "12:30.5", "pm", "::", ".."]
)
_DATE_PIECES = st.sampled_from(
    ["1", "2", "9", "0", "12", "19", "20", "2012", "1999", "٣", "²", ".", "/", "-", " ", "  ", "\t", ",", "st", "th",
     "er", "de", "April", "MAY", "mai", "Dezember", "août", "Sept", "x", "a", "_", "17.04.2012", "2012-04-17",
     "4/17/12", "17 April 2012", "April 17, 2012", "2. Februar 2022", "19 de mayo de 2020", "1999-04-17",
     "1998/12/31", "2001.1.2"]
)


def _rewritten(name: str):
    """(the regex as written before, the rewritten one, its pieces of text, the search in parts
    or None) of the regexes rewritten to open with a digit."""
    from cleaner.rules import comments

    if name == "date":
        return _DATE_AS_WRITTEN, credits._DATE, _DATE_PIECES, credits._date_found
    return _STAMP_AS_WRITTEN, comments._STAMP, _STAMP_PIECES, None


def _same_matches_as_written(name: str, text: str) -> bool:
    old_rx, new_rx, _, found = _rewritten(name)
    old = [m.span() for m in old_rx.finditer(text)]
    assert [m.span() for m in new_rx.finditer(text)] == old, (name, text)
    assert found is None or found(text) == bool(old), (name, text)
    return bool(old)


@pytest.mark.parametrize("name", ["date", "stamp"])
@settings(max_examples=1500, deadline=None)
@given(data=st.data())
def test_regexes_opening_with_a_digit_find_what_they_found_as_written(name, data):
    """B003's date (and its search in parts, _date_found) and C001's timestamp: the same matches."""
    pieces = _rewritten(name)[2]
    _same_matches_as_written(name, data.draw(st.lists(pieces, max_size=12).map("".join)))
    _same_matches_as_written(name, data.draw(st.lists(pieces, max_size=12).map(" ".join)))


@pytest.mark.bench
@pytest.mark.parametrize("name", ["date", "stamp"])
def test_regexes_opening_with_a_digit_on_the_dev_sets(name):
    found = sum(_same_matches_as_written(name, line.strip()) for raw in _dev_set_dumps() for line in raw.split("\n"))
    assert found > 500


def test_two_byte_scans_read_four_characters_at_a_time_and_miss_nothing():
    """holds_control, holds_surrogate, digit_lines and the line splitter read text stored two
    bytes a character four (or eight) characters at a time: each character of a sample around
    every range they test (and all of Latin-1) at every position of a block and of the tail,
    among fillers on both sides of those ranges, is found exactly where the regexes and
    str.split find it."""
    from cleaner.rules.base import line_offsets
    from cleaner.rules.prefilter import _digit_lines
    from cleaner.document import Line
    from cleaner.textio import _CONTROL_OR_SURROGATE, _SURROGATE, _holds_control, _split_lines, _split_lines_py
    from cleaner.textio import holds_surrogate

    if _digit_lines is None or _split_lines is None:
        pytest.skip("the C accelerator is not built")
    digit = re.compile(r"\d")
    sample = [*range(0x200), *range(0x7F00, 0x8100), *range(0xD7F0, 0xE010), 0x0660, 0x0669, 0x06F5, 0x0966,
              0xFF10, 0xFF19, 0x2028, 0x0085, 0xFFFF]
    for filler in ("abcdefgh’", "\u0100\u7fff\u8000\uffff" * 3, "\x7e\x20/:\u2019" * 3):
        lines = []
        for c in sample:
            for p in range(10):
                text = (filler[:p] + chr(c) + filler[p:])[:11]
                assert _holds_control(text) == (_CONTROL_OR_SURROGATE.search(text) is not None), (filler, c, p)
                assert holds_surrogate(text) == (_SURROGATE.search(text) is not None), (filler, c, p)
                if c != 10:
                    lines.append(text)
        joined = "\n".join(lines)
        assert _digit_lines(joined, line_offsets(lines)) == [k for k, t in enumerate(lines) if digit.search(t)]
        # the line splitter's scan for "\n": the same lines and offsets as its Python reference
        assert _split_lines(joined, Line, "\f") == _split_lines_py(joined, Line, "\f")
