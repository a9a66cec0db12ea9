"""cleaner: strip boilerplate and scraping noise from raw text dumps of articles.

>>> from cleaner import clean, clean_text
>>> result = clean("All news\\n\\nA headline here\\n\\nThe body of the story, which is prose.")
>>> result.articles[0].title, result.articles[0].text
('A headline here', 'The body of the story, which is prose.')
"""

from .api import clean, clean_text, make_engine
from .document import Action, Article, Decision, Result
from .html import clean_html, clean_html_text

__all__ = ["clean", "clean_text", "clean_html", "clean_html_text", "make_engine", "Action", "Article", "Decision", "Result"]
__version__ = "0.1.0"
