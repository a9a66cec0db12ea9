"""A datatrove pipeline step that cleans each document's text.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.adapters.datatrove import CleanerStep

    LocalPipelineExecutor(pipeline=[
        JsonlReader("dumps/", text_key="raw"),
        CleanerStep(),                       # doc.text becomes the cleaned text
        JsonlWriter("clean/"),
    ], tasks=8).run()

``doc.text`` becomes the cleaner's text output (title line, blank line, paragraphs separated by
blank lines, articles separated by a form-feed line). ``doc.metadata["cleaner"]`` records the
number of articles, the characters removed and, per rule code, the characters each rule took
out; with ``keep_articles=True`` it also holds the articles (title, text, byline, credits, ...).
The step's stats (``stats.json`` of the executor) count documents, articles, dropped documents
and, per rule code, ``removed_chars_<code>`` and ``removed_lines_<code>``. A document in which
nothing is left is dropped (``drop_empty=False`` keeps it with empty text).
"""

from __future__ import annotations

from typing import Any, Sequence

try:
    from datatrove.pipeline.base import PipelineStep
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("cleaner.adapters.datatrove needs datatrove: pip install datatrove") from exc

from cleaner.document import Action

__all__ = ["CleanerStep"]


class CleanerStep(PipelineStep):
    """Clean ``doc.text`` with the cleaner's rules; record what was removed."""

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        enable: Sequence[str] | None = None,
        disable: Sequence[str] = (),
        favor: str = "balanced",
        language: bool = False,
        drop_empty: bool = True,
        keep_articles: bool = False,
        metadata_key: str = "cleaner",
    ) -> None:
        super().__init__()
        self.enable = tuple(enable) if enable else None
        self.disable = tuple(disable)
        self.favor = favor
        self.language = language
        self.drop_empty = drop_empty
        self.keep_articles = keep_articles
        self.metadata_key = metadata_key
        self._engine: Any = None

    @property
    def engine(self) -> Any:
        if self._engine is None:  # built in the worker, not pickled with the step
            from cleaner.api import make_engine

            self._engine = make_engine(list(self.enable) if self.enable else None, list(self.disable), self.favor, self.language)
        return self._engine

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_engine"] = None
        return state

    def clean_document(self, doc: Any) -> bool:
        """Clean ``doc`` in place; returns whether it keeps any article."""
        result = self.engine.clean(doc.text if isinstance(doc.text, str) else str(doc.text or ""))
        removed: dict[str, int] = {}
        lines: dict[str, set[int]] = {}
        for d in result.decisions:
            if d.action is Action.SPLIT or d.action is Action.FLAG:
                continue
            chars = max(0, len(d.text) - len(d.replacement or "")) if d.action is Action.EDIT else len(d.text)
            removed[d.code] = removed.get(d.code, 0) + chars
            if d.action is not Action.EDIT:
                lines.setdefault(d.code, set()).add(d.line)
        before = len(doc.text or "")
        doc.text = result.text
        info: dict[str, Any] = {
            "articles": len(result.articles),
            "removed_chars": max(0, before - len(doc.text)),
            "removed_by_rule": dict(sorted(removed.items())),
        }
        if result.flags:
            info["flags"] = list(result.flags)
        if self.keep_articles:
            info["articles_data"] = [a.to_dict() for a in result.articles]
        doc.metadata[self.metadata_key] = info
        self.stat_update("articles", value=len(result.articles))
        for code, chars in removed.items():
            self.stat_update(f"removed_chars_{code}", value=chars)
        for code, seen in lines.items():
            self.stat_update(f"removed_lines_{code}", value=len(seen))
        return bool(result.articles)

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                kept = self.clean_document(doc)
            if kept or not self.drop_empty:
                self.stat_update("forwarded")
                self.update_doc_stats(doc)
                yield doc
            else:
                self.stat_update("dropped_no_article")
