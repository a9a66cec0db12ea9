"""M002 comment-thread: what makes a thread, and where its last comment ends."""

from cleaner.api import clean
from cleaner.rules.base import DocView, Options
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
    # all the input lines, and only the live ones are removed again.
    prepared = prepare(ARTICLE + "\n" + _thread(COMMENTS))
    lines = prepared.lines
    names = {i for i, line in enumerate(lines) if line.text in {c[0] for c in COMMENTS}}
    alive = [i not in names for i in range(len(lines))]
    view = DocView(lines, [line.text for line in lines], alive, set(), Options())
    removed = [d.text for d in CommentThread().check(view)]
    assert removed == [line for c in COMMENTS for line in c[1:]]


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
