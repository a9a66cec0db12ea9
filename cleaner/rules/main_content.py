"""Main-content detection: which lines of a full-page dump belong to the article.

The statistical part lives in :mod:`cleaner.content` (features, a small shipped
model, region smoothing); this rule turns its verdicts into decisions.
"""

from __future__ import annotations

from functools import cache
from itertools import compress
from operator import gt
from typing import Any, Callable, Iterable

from ..accel import c_function
from ..document import Decision
from ..shapes import is_headline_shaped, word_count
from .base import LINE_BLANK_BEFORE, LINE_TEXT, DocView, Rule, column
from .prefilter import doc_text

_HEADLINE_MIN_WORDS = 3
_HEADLINE_MAX_WORDS = 20


class MainContent(Rule):
    """Remove the page around the article: menus, link lists, footers, comments, prompts.

    Removes: lines that the main-content model scores as outside the article, judged
    on the whole page (line shape, punctuation, function-word density in the page's
    language, runs of short similar lines, position relative to the densest prose
    region) — menus, section and headline lists of other stories, footers, comment
    threads, cookie and newsletter prompts.
    Why: most scrapers keep the whole page as plain lines; only the article is text.
    Example: a WSJ page's 300 lines of section menus above the story go, the story stays.
    A numbered list whose first items the model keeps, below kept prose, is kept to its end
    (``cleaner.content.model.continue_numbered_lists``: the model judges lines one by one and
    tends to drop a long list's second half).
    False positives: short article lines far from the prose (a lone subheading at the
    end, a list of facts) may go; ``--favor recall`` keeps more. The over-deletion
    guard undoes this rule when it would leave almost nothing of a prose-like dump.
    """

    code = "M001"
    name = "main-content"
    summary = "Remove page boilerplate around the article (menus, link lists, footers, comments)."
    revertible = True
    keep = (
        "The committee published its report on Thursday, after two years of hearings.\n"
        "It found that the agency had ignored repeated warnings about the dam.\n"
        "Officials said they would respond within a month.",
    )
    cases = (
        (
            "Home\nNews\nSport\nWeather\nContact\n\n"
            "The committee published its report on Thursday, after two years of hearings and more than "
            "two hundred witnesses, and its conclusions are severe.\n\n"
            "It found that the agency had ignored repeated warnings about the state of the dam, and that "
            "its managers had misled the public about the risks for years.\n\n"
            "Officials said they would respond within a month, and that the managers named in the report "
            "had already left the agency.\n\n"
            "About us\nPrivacy policy\nTerms of use\nCookie settings\n© 2024 Example Media",
            "The committee published its report on Thursday, after two years of hearings and more than "
            "two hundred witnesses, and its conclusions are severe.\n\n"
            "It found that the agency had ignored repeated warnings about the state of the dam, and that "
            "its managers had misled the public about the risks for years.\n\n"
            "Officials said they would respond within a month, and that the managers named in the report "
            "had already left the agency.",
        ),
    )

    def check(self, doc: DocView) -> Iterable[Decision]:
        ContentModel, footer_lines = _content()
        model = doc.options.content_model or ContentModel.default()
        # The model was trained on whole dumps: it sees every line as the scraper kept it, so
        # its context features match training; only lines still alive are removed.
        lines = column(doc.lines, LINE_TEXT)
        if not lines or _is_article_dump(doc):
            return ()
        blank = column(doc.lines, LINE_BLANK_BEFORE)
        threshold = doc.options.content_threshold
        if threshold is None:
            threshold = model.threshold_for(doc.options.favor)
        # the footer label's literal search and the lines' lower case, read off the document's
        # shared text (of the current texts; the model classifies the lines as read, so a line
        # a repair rule edited is searched and lowered on its own)
        text = doc_text(doc)
        edited = set(doc.edited())
        footer = footer_lines(text, [(i, lines[i]) for i in edited])
        keep, labels, scores = model.classify_labels(lines, blank, threshold, footer, (text, edited))
        headline = _headline_above(lines, keep)
        alive = doc.alive  # doc.is_live(i), read without a call per line
        # the page's removals in one batch (the same decisions, made without a generator step each):
        # the lines alive the model does not keep (alive > keep: True > False), found without a
        # Python step a line, but the headline (the first line, when _headline_above keeps it)
        dropped = list(compress(range(len(keep)), map(gt, alive, keep)))
        if dropped and dropped[0] == headline:
            del dropped[0]
        return self.removal_batch(doc, dropped, score_reasons(dropped, labels, scores))


@cache
def _content() -> tuple[Any, Callable]:
    """The content model's class and its footer search, imported on the first page rather than at
    start-up (a process that cleans nothing, ``clean --list-rules``, does not load the model's
    modules). Once, not a page: an import statement in ``check`` cost every page two trips through
    the import system."""
    from ..content import ContentModel
    from ..content.model import footer_lines

    return ContentModel, footer_lines


def _score_reasons_py(indices: list[int], labels: list[str | None], scores: list[float]) -> list[str]:
    """The reason of each removal of the lines ``indices``: their label and score (the reference
    of the C ``score_reasons``, which tests/test_batches.py compares with it)."""
    return [f"{labels[i]} (content score {scores[i]:.2f})" for i in indices]


score_reasons = c_function("score_reasons") or _score_reasons_py



def _is_article_dump(doc: DocView) -> bool:
    """A dump already in article form: every line is a block of its own.

    Every line is set apart by a blank line: the shape of the text output (and of article
    dumps), where page dumps keep menus, link lists and footers as runs of lines with no blank
    line between (350 of the 352 benchmark dumps). The rule abstains there. This is what makes
    the pipeline idempotent: on its own output the model would judge again lines it kept on the
    page (a results table, a list of links), now without the page around them, and drop some.
    A scraper that separates every line with a blank line gets no main-content cleaning; join
    its lines with single newlines.
    """
    lines = doc.lines
    return all(line.blank_before for line in lines[1:])


def _headline_above(lines: list[str], keep: list[bool]) -> int | None:
    """The dump's first line, when it is a headline standing above kept article text.

    The model is trained to score body text (one benchmark's truth leaves headlines out),
    so it drops headlines. A dump that opens with a headline-shaped line (an article
    dump's headline, a page dump's <title>) keeps it, and the headline rule can then
    take it as the title. Lines just above the body are not protected: on page dumps
    they are as often bylines, dates and category lists as headlines.
    """
    if not lines or not any(keep) or keep[0]:
        return None
    if word_count(lines[0]) >= _HEADLINE_MIN_WORDS and is_headline_shaped(lines[0], _HEADLINE_MAX_WORDS):
        return 0
    return None
