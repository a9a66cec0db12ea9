"""Writing articles out: the text format and JSON records.

Text format: for each article, its title line (when there is one) and a blank
line, then its body paragraphs separated by one blank line. Articles are
separated by a line holding a single form feed character (``\\f``, the page
break of plain text), which the reader recognises again, so cleaning the text
output gives the same output.
"""

from __future__ import annotations

from typing import Sequence

from .document import Article
from .textio import ARTICLE_SEPARATOR


def format_article(article: Article) -> str:
    blocks = ([article.title] if article.title else []) + list(article.paragraphs)
    return "\n\n".join(blocks)


def format_text(articles: Sequence[Article]) -> str:
    """The text output of a dump (no trailing newline; empty when there is no article)."""
    return f"\n\n{ARTICLE_SEPARATOR}\n\n".join(format_article(a) for a in articles)
