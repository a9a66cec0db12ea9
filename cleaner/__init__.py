"""cleaner: strip boilerplate and scraping noise from raw text dumps of articles.

>>> from cleaner import clean, clean_text
>>> result = clean("All news\\n\\nA headline here\\n\\nThe body of the story, which is prose.")
>>> result.articles[0].title, result.articles[0].text
('A headline here', 'The body of the story, which is prose.')
"""

from .api import clean, clean_text, make_engine
from .document import Action, Article, Decision, Result

__all__ = ["clean", "clean_text", "clean_html", "clean_html_text", "make_engine", "Action", "Article", "Decision", "Result"]
__version__ = "0.1.0"


def __getattr__(name: str):  # PEP 562: the HTML entry points load cleaner.html on first use
    if name in ("clean_html", "clean_html_text"):
        from . import html

        return getattr(html, name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
