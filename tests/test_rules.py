"""Every rule: well formed, registered, documented, and its fixtures hold."""

import importlib
import inspect
import pkgutil

import pytest

import cleaner.rules as rules_pkg
from cleaner.registry import RULES, resolve, select
from cleaner.rules.base import DOC_SECTIONS, Rule
from cleaner.testing import engine_for

ALL = list(RULES)


def _defined_rules():
    found = []
    for mod in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"cleaner.rules.{mod.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_every_rule_module_is_registered():
    missing = [r.__name__ for r in _defined_rules() if r not in RULES]
    assert not missing, f"rules defined but not registered in cleaner/registry.py: {missing}"


def test_codes_and_names_are_unique():
    assert len({r.code for r in ALL}) == len(ALL)
    assert len({r.name for r in ALL}) == len(ALL)


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    for section in DOC_SECTIONS:
        assert section in rule.__doc__, f"{rule.code} docstring lacks {section}"
    assert rule.summary and len(rule.summary) < 120


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.code)
def test_rule_has_fixtures(rule):
    assert rule.keep, f"{rule.code} has no negative (keep) fixtures"
    assert rule.cases, f"{rule.code} has no cases with expected output"


def _cases():
    for rule in ALL:
        for k, (raw, expected) in enumerate(rule.cases):
            yield pytest.param(rule, raw, expected, id=f"{rule.code}-case{k}")


def _keeps():
    for rule in ALL:
        for k, raw in enumerate(rule.keep):
            yield pytest.param(rule, raw, id=f"{rule.code}-keep{k}")


@pytest.mark.parametrize("rule,raw,expected", list(_cases()))
def test_rule_case_gives_expected_output(rule, raw, expected):
    # Expected outputs are the body paragraphs (titles and metadata moved out), blank-line separated.
    result = engine_for(rule).clean(raw)
    assert "\n\n".join(p for a in result.articles for p in a.paragraphs) == expected


@pytest.mark.parametrize("rule,raw", list(_keeps()))
def test_rule_keeps_prose_that_looks_like_its_artifact(rule, raw):
    result = engine_for(rule).clean(raw)
    removed = [d for d in result.decisions if d.action.value in ("remove", "edit", "metadata", "title")]
    assert not removed, f"{rule.code} touched real prose: {[(d.reason, d.text) for d in removed]}"


@pytest.mark.parametrize("rule,raw", list(_keeps()))
def test_negatives_survive_the_whole_rule_set(rule, raw):
    """A rule's negative fixture, embedded in article text, also survives every other rule."""
    lead = "The council met on Tuesday evening to discuss the budget for the coming year in detail."
    tail = "Members agreed to meet again next month, after the auditors have reported on the accounts."
    result = engine_for(ALL).clean(f"{lead}\n\n{raw}\n\n{tail}")
    body = "\n".join(a.text for a in result.articles)
    for line in raw.split("\n"):
        if line.strip():
            assert line.strip() in body, f"{line!r} was removed by {[d.code for d in result.removed]}"


def test_selection_by_code_prefix_and_name():
    assert {r.code for r in resolve(["H"])} == {"H001", "H002"}
    assert {r.code for r in resolve(["teaser", "U001"])} == {"T001", "U001"}
    chosen = [r.code for r in select(None, ["H001"])]
    assert "H001" not in chosen and chosen == [r.code for r in ALL if r.code != "H001"]


def test_script_opened_mid_line_loses_its_body_but_not_the_text_before_it():
    raw = (
        "The council met on Tuesday evening to discuss the budget for the coming year. <script type=\"text/javascript\">\n"
        "var slot = ads.define('top');\n"
        "slot.display();\n"
        "</script>\n"
        "Members agreed to meet again next month, after the auditors have reported."
    )
    result = engine_for(ALL).clean(raw)
    body = [p for a in result.articles for p in a.paragraphs]
    assert body == [
        "The council met on Tuesday evening to discuss the budget for the coming year.",
        "Members agreed to meet again next month, after the auditors have reported.",
    ]
    by_code = {}
    for d in result.decisions:
        by_code.setdefault(d.code, []).append(d)
    assert [d.action.value for d in by_code["H001"]] == ["edit"]
    assert len(by_code["H002"]) == 3  # the body's two lines and the closing line
    again = engine_for(ALL).clean("\n\n".join(body))
    assert [p for a in again.articles for p in a.paragraphs] == body


_ARTICLE = (
    "The president spoke on Monday about the economy and the plans of his government.\n"
    "He said the plans would be published soon, and that the budget would follow.\n"
    "Critics said the plans were vague and that the budget would not add up.\n"
)
_DIALOGUE = (
    "Interview on the Economy: Site and Expert Discussion\n"
    "Editor (Site): Welcome to Site! Today we discuss the plans.\n"
    "Dr. Smith: Thank you for having me! It is a pleasure.\n"
    "Editor: What do you make of the plans?\n"
    "Dr. Smith: Great question. They are vague.\n"
    "Editor: Thank you for joining us today!\n"
)


@pytest.mark.parametrize(
    "raw",
    [
        # a repeated paragraph after the dialogue hides it until D001 removes the repeat
        _ARTICLE + _DIALOGUE + "He said the plans would be published soon, and that the budget would follow.\n",
        # footer links after the dialogue, section labels before it
        _ARTICLE + "Politics\nEconomy\n" + _DIALOGUE + "Home\nContact us\n",
    ],
    ids=["duplicate-after-dialogue", "links-around-dialogue"],
)
def test_what_one_rule_uncovers_at_an_article_end_is_judged_in_the_same_pass(raw):
    engine = engine_for(ALL)
    once = engine.clean(raw)
    assert [p for a in once.articles for p in a.paragraphs] == _ARTICLE.strip().split("\n")
    assert {d.code for d in once.removed} >= {"F001"}
    assert engine.clean(once.text).text == once.text


@pytest.mark.parametrize(
    "title,body",
    [
        # a two-word title reads like a section label
        ("Leasing Options", ["Anyone who wants a new car has several ways to pay for it, and leasing is one of them."]),
        # a name-like title over a dateline reads like a byline over a bio (a dateline without
        # a year: with a full date the line is a publication date, B003's metadata)
        ("Season Standings", ["Monza, Friday 22 October, 20:13", "Here you will always find the standings after the last race."]),
        # the lead paragraph contains the headline word for word
        (
            "Governor doubles down on the anti-drug campaign of the state",
            ["The governor doubles down on the anti-drug campaign of the state after weeks of mockery online."],
        ),
    ],
    ids=["short-title", "title-over-dateline", "lead-contains-title"],
)
def test_a_title_in_a_titles_place_survives_cleaning_again(title, body):
    output = title + "\n\n" + "\n\n".join(body)
    result = engine_for(ALL).clean(output)
    assert [a.title for a in result.articles] == [title]
    assert [p for a in result.articles for p in a.paragraphs] == body
    assert result.text == output


def test_a_body_line_repeating_the_title_goes_not_the_title():
    body = "Officials said the vessel was searched on Sunday and the cargo was seized by the agents."
    result = engine_for(ALL).clean(f"Vessel Intercepted By Federal Agents Near The Port\n\nVessel intercepted by federal agents near the port\n\n{body}")
    assert [a.title for a in result.articles] == ["Vessel Intercepted By Federal Agents Near The Port"]
    assert [p for a in result.articles for p in a.paragraphs] == [body]


def test_a_block_printed_three_times_is_not_a_refrain():
    question = "What is your favourite kitchen at home?"
    answer = "Italian, because of the pasta and the long evenings at the table."
    block = f"{question}\n{answer}"
    result = engine_for([r for r in ALL if r.code == "D001"]).clean("\n".join([block] * 3))
    assert [p for a in result.articles for p in a.paragraphs] == [question, answer]


def test_an_appended_interview_of_four_turns_goes_and_of_three_stays():
    """F001 acts on the fewest turns it asks for (_MIN_TURNS, 4), with two signs (generic
    speaker labels, pleasantries), and not on one turn fewer."""
    prose = [
        "The president spoke on Monday about the economy and the plans of his government.",
        "He said the plans would be published soon, and that the budget would follow.",
        "Critics said the plans were vague and that the budget would not add up.",
    ]
    turns = [
        "Interviewer: Welcome to the show, and thank you for coming today.",
        "Guest: Thank you for having me! It is a pleasure to be here.",
        "Interviewer: What do you make of the plans of the government?",
        "Guest: Great question. They are vague, and the budget does not add up.",
    ]
    rule = [r for r in ALL if r.code == "F001"]
    kept = [p for a in engine_for(rule).clean("\n".join(prose + turns)).articles for p in a.paragraphs]
    assert kept == prose
    kept = [p for a in engine_for(rule).clean("\n".join(prose + turns[1:])).articles for p in a.paragraphs]
    assert kept == prose + turns[1:]


def test_a_question_put_three_times_is_a_refrain_and_twice_a_duplicate():
    """D001 keeps a line repeated _MIN_REFRAIN (3) times, each time before a different answer,
    with nothing else repeated on the page; twice is a duplicate."""
    question = "What is your favourite kitchen at home?"
    answers = [
        "Italian, because of the pasta and the long evenings at the table.",
        "Japanese, for the care that goes into every small dish on the plate.",
        "Lebanese, since my grandmother cooked it every Sunday for the family.",
    ]
    rule = [r for r in ALL if r.code == "D001"]
    three = "\n".join(f"{question}\n{answer}" for answer in answers)
    kept = [p for a in engine_for(rule).clean(three).articles for p in a.paragraphs]
    assert kept == [line for answer in answers for line in (question, answer)]
    two = "\n".join(f"{question}\n{answer}" for answer in answers[:2])
    kept = [p for a in engine_for(rule).clean(two).articles for p in a.paragraphs]
    assert kept == [question, answers[0], answers[1]]


_BODY = [
    "The council met on Monday and voted on the budget for the next year after a long debate.",
    "The mayor said the vote was a good day for the town and thanked the members for their work.",
]


@pytest.mark.parametrize(
    "line,moved",
    [
        ("Published: 17 April 2012 | Updated: 18 April 2012", True),
        ("LinkNaija October 06, 2018", True),  # a site name and a date above the text
        ("Veröffentlicht am 2. Februar 2022 um 10:12 Uhr", True),
        ("Pubblicato il 19 Febbraio 2020 Ultima modifica 19 Febbraio 2020 12:02", True),
        ("12 May 2019 to 3 June 2020", False),  # a period, not a publication date
        ("The exhibition opened on 12 May 2019.", False),  # a sentence, not a date line
        ("April 2019", False),  # no full date
        ("Council elections in the town hall on 12 May 2019 for all districts", False),  # too many other words
    ],
)
def test_a_date_line_above_the_article_goes_to_metadata(line, moved):
    result = engine_for(ALL).clean("\n".join([line, *_BODY]))
    [article] = result.articles
    assert (article.metadata.get("date") == [line]) is moved
    # moved or left to the other rules (N001 takes a short label above the text)
    assert [d.code for d in result.decisions if d.text == line and d.code == "B003"] == (["B003"] if moved else [])
    if moved:
        assert line not in article.paragraphs


def test_an_unlabelled_date_inside_the_text_stays_a_labelled_one_goes():
    inside = "17 April 2012"
    labelled = "Updated 17 April 2012, 14:02"
    for line, moved in ((inside, False), (labelled, True)):
        result = engine_for(ALL).clean("\n".join([_BODY[0], line, _BODY[1]]))
        [article] = result.articles
        assert (line in article.paragraphs) is not moved
        assert [d.code for d in result.decisions if d.text == line] == (["B003"] if moved else [])


def test_engine_reads_its_rules_again_when_they_change():
    """The engine sorts its rules by stage once, not per document; a rule added to or removed
    from ``engine.rules`` afterwards still counts."""
    from cleaner.engine import Engine
    from cleaner.registry import select

    line = "The council approved the budget for the schools on Monday, after a long debate."
    raw = f"{line}\n\n{line}"
    engine = Engine(select(None, []))
    assert [a.paragraphs for a in engine.clean(raw).articles] == [[line]]
    engine.rules = [rule for rule in engine.rules if rule.code != "D001"]
    assert [a.paragraphs for a in engine.clean(raw).articles] == [[line, line]]
    engine.rules.extend(select(["D001"], []))
    assert [a.paragraphs for a in engine.clean(raw).articles] == [[line]]


def test_a_teaser_finds_the_article_it_opens():
    """T001 looks a teaser's first folded words up in the page's index of line openings
    (shapes.word_keys): the teaser's key must be made as the index's are, or every teaser reads
    as an orphan whose article never follows."""
    from cleaner.document import Action
    from cleaner.rules.teasers import Teaser

    text = ("Home\n"
            "Storm closes SCHOOLS across the whole region today as the snow […]\n"
            "Storm closes schools across the whole region today as the snow falls on three counties.\n"
            "Roads were icy and several flights were cancelled.")
    decisions = engine_for(Teaser).clean(text).decisions
    assert [(d.action, d.line, d.reason) for d in decisions] == [
        (Action.REMOVE, 2, "teaser of the article that follows (line 3)"),
        (Action.SPLIT, 3, "a teaser announced this article"),
    ]
