"""The one ordered registry of rules: which rules exist and in what order they run.

Order matters: specific rules run first so that their precise reasons are the
ones recorded; the statistical main-content rule and the edge rules then judge
what is left; the headline is picked last.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .rules.ads import Advertising
from .rules.ai_filler import AiInterviewFiller
from .rules.base import Rule
from .rules.comments import CommentThread
from .rules.credits import AboutBox, Byline, CreditLine, DateLine
from .rules.duplicates import DuplicateParagraph
from .rules.html import HtmlMarkup, ScriptBlocks
from .rules.images import ImageCaption, ImageFilename
from .rules.main_content import MainContent
from .rules.navigation import EdgeNavigation
from .rules.polls import Poll
from .rules.prompts import ReaderPrompt, SiteNotice
from .rules.related import RelatedWidget
from .rules.social import SocialEmbed
from .rules.teasers import Teaser
from .rules.title import Headline
from .rules.ui import PageFurniture

RULES: tuple[type[Rule], ...] = (
    HtmlMarkup,
    ScriptBlocks,
    Advertising,
    Teaser,
    SocialEmbed,
    Poll,
    PageFurniture,
    ReaderPrompt,
    SiteNotice,
    ImageFilename,
    ImageCaption,
    RelatedWidget,
    CreditLine,
    Byline,
    MainContent,
    CommentThread,
    DuplicateParagraph,
    # Edge rules (``Rule.edge``): the engine runs them after every other line rule, in rounds,
    # so what one uncovers at an article's end the other judges in the same pass.
    DateLine,
    EdgeNavigation,
    AboutBox,
    AiInterviewFiller,
    Headline,
)


class UnknownRule(ValueError):
    pass


def _lookup() -> dict[str, type[Rule]]:
    table: dict[str, type[Rule]] = {}
    for rule in RULES:
        table[rule.code.upper()] = rule
        table[rule.name.lower()] = rule
    return table


def resolve(names: Iterable[str]) -> set[type[Rule]]:
    """Rule classes named by code (``H001``), code prefix (``H``) or name (``html-markup``)."""
    table = _lookup()
    out: set[type[Rule]] = set()
    for raw in names:
        key = raw.strip()
        if not key:
            continue
        if key.upper() in table:
            out.add(table[key.upper()])
        elif key.lower() in table:
            out.add(table[key.lower()])
        elif key.upper() == "ALL":
            out.update(RULES)
        else:
            prefixed = [r for r in RULES if r.code.startswith(key.upper())]
            if not prefixed:
                raise UnknownRule(f"unknown rule {raw!r} (see `clean --list-rules`)")
            out.update(prefixed)
    return out


def select(enable: Sequence[str] | None = None, disable: Sequence[str] = ()) -> list[Rule]:
    """Instances of the selected rules, in registry order."""
    chosen = resolve(enable) if enable else set(RULES)
    dropped = resolve(disable)
    return [rule() for rule in RULES if rule in chosen and rule not in dropped]
