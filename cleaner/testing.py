"""A test harness for rules, public so that users can check the rules they write.

Strategies (hypothesis) build article paragraphs and inject noise around them;
checks assert the contract every rule must keep:

* **idempotence** — cleaning the text output again changes nothing;
* **removal only** — every output paragraph is an input line, or an input line
  with recorded HTML repairs applied;
* **full accounting** — every input line is either kept, moved (title,
  metadata) or covered by a removal decision, and replaying the decisions on
  the input gives exactly the output;
* **survival** — article paragraphs survive when noise is injected around them;
* **robustness** — no exception on arbitrary Unicode.

Typical use, in a user's test module::

    from cleaner.testing import check_rule
    from mypackage.rules import MyRule

    def test_my_rule_properties():
        check_rule(MyRule)             # runs every property with hypothesis

Requires the ``test`` extra (``pip install cleaner[test]``) for hypothesis.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .document import Action, Result
from .engine import Engine, assemble
from .output import format_text
from .rules.base import Options, Rule
from .textio import prepare

# -- strategies ------------------------------------------------------------------------------

_WORDS = (
    "the government said on monday that talks with its neighbours would resume after a long pause "
    "officials in the capital expected progress while critics warned that the plan lacked detail and "
    "funding for schools hospitals and roads had been cut twice since the election of the new council "
    "die regierung erklärte dass die gespräche fortgesetzt werden le gouvernement a déclaré que les "
    "négociations reprendraient el gobierno dijo que las conversaciones continuarían"
).split()

#: Noise lines of every artifact class the default rules remove.
NOISE = (
    "Share this article",
    "Print",
    "Rate this article",
    "(votes: 12, rating: 4.5)",
    "(7 votes)",
    "Читать на русском",
    "Advertisement",
    "Anzeige",
    "IMG_2041.JPG",
    "hero-image_1200x800.webp",
    "Photo: Reuters",
    "At the summit on Monday. (Photo: AFP)",
    "He denied it all. pic.twitter.com/AbCdEf1234",
    "— Jane Doe (@janedoe) March 1, 2025",
    "Read also:\nA headline about another story",
    "Poll\nWhat do you think?\nYes\n52 (52%)\nNo\n48 (48%)",
    '<a href="https://example.test/x" title="broken“>',
    "<script>var tracking = 1;</script>",
)


@st.composite
def sentences(draw: st.DrawFn, min_words: int = 8, max_words: int = 30) -> str:
    n = draw(st.integers(min_words, max_words))
    ws = draw(st.lists(st.sampled_from(_WORDS), min_size=n, max_size=n))
    ws[0] = ws[0].capitalize()
    punct = draw(st.sampled_from(".!?"))
    return " ".join(ws) + punct


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """An article paragraph: one to four sentences of at least 12 words in all."""
    return " ".join(draw(st.lists(sentences(), min_size=1, max_size=4)))


@st.composite
def articles(draw: st.DrawFn, min_paragraphs: int = 3, max_paragraphs: int = 8) -> list[str]:
    """Distinct article paragraphs."""
    paras = draw(st.lists(paragraphs(), min_size=min_paragraphs, max_size=max_paragraphs, unique=True))
    # Make every paragraph distinct in its words too (duplicate detection compares words).
    return [f"{p[:-1]} (part {k + 1}){p[-1]}" for k, p in enumerate(paras)]


def real_articles(pool: Sequence[str], min_paragraphs: int = 3, max_paragraphs: int = 8) -> st.SearchStrategy[list[str]]:
    """Articles made of distinct paragraphs drawn, in order, from ``pool`` (real article text)."""
    pool = list(dict.fromkeys(p for p in pool if p.strip()))
    return (
        st.lists(st.integers(0, len(pool) - 1), min_size=min_paragraphs, max_size=max_paragraphs, unique=True)
        .map(sorted)
        .map(lambda idx: [pool[i] for i in idx])
    )


@st.composite
def noisy_dumps(
    draw: st.DrawFn, noise: Sequence[str] = NOISE, article: st.SearchStrategy[list[str]] | None = None
) -> tuple[str, list[str]]:
    """A dump of article paragraphs with noise lines injected around them; returns (dump, paragraphs).

    ``article`` draws the paragraphs (default: :func:`articles`, generated sentences). Statistical
    rules that judge language, such as the main-content model, are better checked on real
    paragraphs: pass e.g. ``real_articles(paragraphs_of_some_articles)``.
    """
    paras = draw(article if article is not None else articles())
    blocks: list[str] = []
    for p in paras:
        blocks.extend(draw(st.lists(st.sampled_from(noise), max_size=2)))
        blocks.append(p)
    blocks.extend(draw(st.lists(st.sampled_from(noise), max_size=2)))
    sep = draw(st.sampled_from(["\n", "\n\n"]))
    return sep.join(blocks), paras


# -- checks -------------------------------------------------------------------------------------


def engine_for(rules: Iterable[type[Rule]] | type[Rule], options: Options | None = None) -> Engine:
    if isinstance(rules, type):
        rules = [rules]
    return Engine([r() for r in rules], options or Options(language=False))


def check_idempotent(engine: Engine, text: str) -> None:
    once = engine.clean(text).text
    twice = engine.clean(once).text
    assert twice == once, f"not idempotent:\n--- once\n{once!r}\n--- twice\n{twice!r}"


def check_accounting(engine: Engine, text: str, result: Result | None = None) -> None:
    """Every line is kept, moved or removed by a decision, and replaying the decisions gives the output."""
    result = result or engine.clean(text)
    prepared = prepare(text)
    covered = {d.line for d in result.decisions if d.action in (Action.REMOVE, Action.METADATA, Action.TITLE)}
    edited = {d.line for d in result.decisions if d.action is Action.EDIT}
    kept = {n for a in result.articles for n in a.lines}
    for line in prepared.lines:
        fates = (line.number in covered) + (line.number in kept)
        if fates == 0:
            assert line.number in edited, f"line {line.number} vanished without a decision: {line.text!r}"
        assert fates <= 1, f"line {line.number} is both kept and removed"
    removed_texts = {d.line: d.text for d in result.decisions if d.action is Action.REMOVE}
    for line in prepared.lines:
        if line.number in removed_texts and line.number not in edited:
            assert removed_texts[line.number] == line.text, f"decision text differs from line {line.number}"
    replayed = format_text(assemble(prepared, result.decisions))
    assert replayed == result.text, "replaying the decisions does not give the output"


def check_removal_only(engine: Engine, text: str, result: Result | None = None) -> None:
    """Output paragraphs are input lines, or input lines with their recorded edits applied."""
    result = result or engine.clean(text)
    prepared = prepare(text)
    by_number = {line.number: line for line in prepared.lines}
    edited = {d.line for d in result.decisions if d.action is Action.EDIT}
    for article in result.articles:
        for number, para in zip(article.lines, article.paragraphs):
            if number in edited:
                continue  # checked by the replay in check_accounting
            assert para == by_number[number].text, f"paragraph from line {number} was rewritten: {para!r}"


def check_survival(engine: Engine, dump: str, paragraphs: Sequence[str]) -> None:
    out = engine.clean(dump)
    body = {p for a in out.articles for p in a.paragraphs} | {a.title for a in out.articles if a.title}
    missing = [p for p in paragraphs if p not in body]
    assert not missing, f"article paragraphs lost: {missing!r}"


#: The properties :func:`check_rule` can check; accounting and removal-only are always checked.
PROPERTIES = ("accounting", "removal-only", "idempotence", "survival")


def check_rule(
    rule: type[Rule],
    max_examples: int = 60,
    with_rules: Sequence[type[Rule]] = (),
    article: st.SearchStrategy[list[str]] | None = None,
    properties: Sequence[str] = PROPERTIES,
) -> None:
    """Run the ``properties`` on ``rule`` (alone, or after ``with_rules``) with hypothesis.

    ``article`` draws the article paragraphs noise is injected around (see :func:`noisy_dumps`).
    ``properties`` names the checks (all of :data:`PROPERTIES` by default); a rule that does
    not promise one (a statistical rule is not idempotent on every input) leaves it out and
    says so in its documentation.
    """
    unknown = set(properties) - set(PROPERTIES)
    if unknown:
        raise ValueError(f"unknown properties {sorted(unknown)}; choose from {PROPERTIES}")
    engine = engine_for([*with_rules, rule])
    common = settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                      derandomize=True)

    @common
    @given(noisy_dumps(article=article))
    def _contract(dump_and_paras: tuple[str, list[str]]) -> None:
        dump, paras = dump_and_paras
        result = engine.clean(dump)
        check_accounting(engine, dump, result)
        check_removal_only(engine, dump, result)
        if "idempotence" in properties:
            check_idempotent(engine, dump)
        if "survival" in properties:
            check_survival(engine, dump, paras)

    @common
    @given(st.text(max_size=300))
    def _unicode(text: str) -> None:
        result = engine.clean(text)
        check_accounting(engine, text, result)
        if "idempotence" in properties:
            check_idempotent(engine, text)

    _contract()
    _unicode()
