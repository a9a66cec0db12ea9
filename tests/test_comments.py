"""M002 comment-thread: what makes a thread, and where its last comment ends."""

from cleaner.api import clean
from cleaner.engine import Engine
from cleaner.rules.base import DocView, Options, Rule
from cleaner.rules.comments import CommentThread
from cleaner.textio import prepare

ARTICLE = (
    "The council met on Monday and voted on the budget for the next year after a long debate "
    "that ran late into the evening, and the members agreed to meet again in two weeks to settle "
    "the remaining questions about the schools and the roads. The mayor said she expects a vote "
    "before the end of the month."
)
COMMENTS = [
    ("Anna", "3 days ago at 09:15 am", "I think this is a good decision for the town and its people."),
    ("Ben K", "3 days ago at 10:02 am", "Nobody asked the residents what they want, as usual here."),
    ("carla99", "3 days ago at 11:02 pm", "The roads have needed work for years and nothing happened."),
]


def _removed_by_m002(raw, rules=("M002",)):
    result = clean(raw, enable=list(rules), language=False)
    return [d.text for d in result.decisions if d.code == "M002"]


def _thread(comments, after_each=()):
    return "\n".join(line for c in comments for line in (*c, *after_each))


def test_three_records_of_one_shape_after_the_article_go():
    removed = _removed_by_m002(ARTICLE + "\n" + _thread(COMMENTS))
    assert removed == [line for c in COMMENTS for line in c]


def test_two_records_are_not_a_thread():
    assert _removed_by_m002(ARTICLE + "\n" + _thread(COMMENTS[:2])) == []


def test_timestamps_of_different_shapes_are_not_one_thread():
    mixed = [COMMENTS[0], COMMENTS[1], ("carla99", "17.11.2019", COMMENTS[2][2])]
    assert _removed_by_m002(ARTICLE + "\n" + _thread(mixed)) == []


def test_records_before_the_article_are_not_a_comment_thread():
    # Dated records with no 50 words of running text before them open the page: not comments.
    assert _removed_by_m002(_thread(COMMENTS) + "\n" + ARTICLE) == []


def test_the_last_comment_ends_at_the_next_removed_line():
    # U001 removes each comment's vote count; the last comment ends there, and the prose after
    # it (not part of any record) stays for the other rules to judge.
    after = "Our newsroom has reported on the town since 1921 and is owned by its readers."
    raw = ARTICLE + "\n" + _thread(COMMENTS, after_each=("Rating: 5 Votes",)) + "\n" + after
    result = clean(raw, enable=["U001", "M002"], language=False)
    assert any(d.code == "U001" for d in result.decisions), "fixture needs U001 to remove the vote lines"
    removed = [d.text for d in result.decisions if d.code == "M002"]
    assert removed == [line for c in COMMENTS for line in c]
    assert after in result.text


def test_headers_removed_by_an_earlier_rule_still_mark_the_thread():
    # The main-content model often takes the short name lines first; the records are found among
    # all the input lines, and the thread names all of them (the engine removes each line once).
    prepared = prepare(ARTICLE + "\n" + _thread(COMMENTS))
    lines = prepared.lines
    names = {i for i, line in enumerate(lines) if line.text in {c[0] for c in COMMENTS}}
    alive = [i not in names for i in range(len(lines))]
    view = DocView(lines, [line.text for line in lines], alive, set(), Options())
    removed = [d.text for d in CommentThread().check(view)]
    assert removed == [line for c in COMMENTS for line in c]


class _TakesNames(Rule):
    """A statistical (revertible) rule that removes the commenters' name lines, as the
    main-content model often does, before M002 runs.

    Removes: the name lines of ``COMMENTS``.
    Why: a stand-in for the main-content model in these tests.
    Example: ``Anna``.
    False positives: none outside these tests.
    """

    code = "Z910"
    name = "takes-names"
    summary = "test rule"
    revertible = True

    def check(self, doc):
        for i in doc.live:
            if doc.text(i) in {c[0] for c in COMMENTS}:
                yield self.remove(doc, i, "statistical verdict")


def test_the_thread_rule_takes_over_what_a_statistical_rule_removed_inside_the_thread():
    raw = ARTICLE + "\n" + _thread(COMMENTS) + "\nThe council will publish the minutes next week."
    result = Engine([_TakesNames(), CommentThread()], Options(language=False)).clean(raw)
    by_text = {d.text: d.code for d in result.decisions}
    # every line of the thread is the thread rule's, the name lines included; each once
    assert all(by_text[line] == "M002" for c in COMMENTS for line in c)
    lines = [d.line for d in result.decisions]
    assert len(lines) == len(set(lines))
    assert "Z910" not in by_text.values()
    assert result.text.startswith(ARTICLE)


def test_a_precise_rule_keeps_its_reason_inside_a_thread():
    class _TakesNamesPrecisely(_TakesNames):
        __doc__ = _TakesNames.__doc__.replace("A statistical (revertible)", "A precise")
        code = "Z911"
        revertible = False

    raw = ARTICLE + "\n" + _thread(COMMENTS)
    result = Engine([_TakesNamesPrecisely(), CommentThread()], Options(language=False)).clean(raw)
    by_text = {d.text: d.code for d in result.decisions}
    assert all(by_text[c[0]] == "Z911" for c in COMMENTS)
    assert all(by_text[line] == "M002" for c in COMMENTS for line in c[1:])


def test_many_threads_on_one_page_are_each_removed_once():
    # Threads further apart than 40 lines are separate; each is judged with one lookup of the
    # article words before it (no rescan of the page per thread), and no line is removed twice.
    filler = [f"Paragraph {k} of the report says the council will decide on the plan next week." for k in range(45)]
    blocks = []
    for t in range(60):
        blocks.extend(line for c in COMMENTS for line in (f"{c[0]}{t}", c[1], c[2]))
        blocks.extend(filler)
    result = clean(ARTICLE + "\n" + "\n".join(blocks), enable=["M002"], language=False)
    removed = [d.line for d in result.decisions if d.code == "M002"]
    assert len(removed) == len(set(removed)) == 60 * 9
    assert result.text.count("Paragraph 44 of the report") == 60
