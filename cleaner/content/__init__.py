"""Main-content detection from text alone: which lines of a page dump are the article.

    from cleaner.content import ContentModel, LineVerdict
    model = ContentModel.default()
    verdicts = model.classify(lines, blank_before)          # list[LineVerdict]
    verdicts = model.classify(lines, blank_before, threshold=model.threshold_for("precision"))

See docs/main-content.md.
"""

from .model import ContentModel, LineVerdict, split_dump

__all__ = ["ContentModel", "LineVerdict", "split_dump"]
