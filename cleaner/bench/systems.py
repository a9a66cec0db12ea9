"""The systems a benchmark run compares: a name, a label and a ``str -> str`` callable.

The cleaner is reached through its public contract only:

* text input: ``cleaner.clean_text(raw) -> str`` (title line when detected, then
  paragraphs). scrapinghub scores the article body without the title, so there
  the harness uses ``cleaner.clean(raw).articles`` and joins each article's
  ``.text`` with ``"\\n"``; trafilatura-dev scores title and text together, so
  ``clean_text`` is used as is.
* HTML input: ``cleaner.clean_html_text(html) -> str``; on scrapinghub (title not
  scored) ``cleaner.clean_html(html).articles``' ``.text`` joined with ``"\n"``.

Functions may not exist yet while the engine is being written: a missing one
makes the row "unavailable" instead of failing. Tests inject a fake module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from cleaner.bench import peers
from cleaner.bench.peers import PeerUnavailable, TextFn

TEXT_SYSTEMS: tuple[str, ...] = ("none", "cleaner", "c4", "justext", "trafilatura-text")
HTML_SYSTEMS: tuple[str, ...] = ("trafilatura", "cleaner")
SYSTEMS_BY_INPUT: dict[str, tuple[str, ...]] = {"text": TEXT_SYSTEMS, "html": HTML_SYSTEMS}

LABELS: dict[tuple[str, str], str] = {
    ("text", "none"): "no cleaning (raw)",
    ("text", "cleaner"): "cleaner",
    ("text", "c4"): "C4 line filter (datatrove)",
    ("text", "justext"): "jusText, lines as <p>",
    ("text", "trafilatura-text"): "trafilatura, lines as <p>",
    ("html", "trafilatura"): "trafilatura alone",
    ("html", "cleaner"): "cleaner HTML mode",
}


@dataclass(frozen=True)
class System:
    """One row of the table. ``fn`` is None when the system is unavailable."""

    name: str
    label: str
    fn: TextFn | None
    unavailable: str = ""  # why ``fn`` is None
    note: str = ""  # caveat printed next to the scores

    @property
    def available(self) -> bool:
        return self.fn is not None


def _identity(text: str) -> str:
    return text


def cleaner_lookup(attribute: str, module: Any | None = None) -> tuple[Callable[..., Any] | None, str]:
    """``(module.attribute, "")``, or ``(None, why)`` when it is missing or fails to import.

    ``module=None`` means the real ``cleaner`` package; tests pass a fake one.
    """
    try:
        if module is None:
            module = importlib.import_module("cleaner")
        value = getattr(module, attribute, None)
    except ImportError as exc:
        return None, f"importing cleaner.{attribute} failed ({type(exc).__name__}: {exc})"
    if not callable(value):
        return None, f"cleaner.{attribute} is not importable yet"
    return value, ""


def cleaner_function(attribute: str, module: Any | None = None) -> Callable[..., Any] | None:
    """``module.attribute`` or None (see :func:`cleaner_lookup`)."""
    return cleaner_lookup(attribute, module)[0]


def cleaner_text_system(set_name: str, module: ModuleType | Any | None = None) -> System:
    """The cleaner on raw text, adapted to what ``set_name``'s metric scores."""
    label = LABELS["text", "cleaner"]
    clean_text, why = cleaner_lookup("clean_text", module)
    if set_name == "scrapinghub":
        clean, why_clean = cleaner_lookup("clean", module)
        if clean is not None:

            def body_only(raw: str) -> str:
                return "\n".join(article.text for article in clean(raw).articles)

            return System("cleaner", label, body_only)
        if clean_text is not None:
            return System("cleaner", label, clean_text, note=f"scored clean_text, title included: {why_clean}")
    elif clean_text is not None:
        return System("cleaner", label, clean_text)
    return System("cleaner", label, None, unavailable=f"unavailable: {why}")


def cleaner_html_system(module: ModuleType | Any | None = None, set_name: str = "") -> System:
    """The cleaner on HTML; on scrapinghub (body scored without the title) the articles' text only."""
    label = LABELS["html", "cleaner"]
    clean_html_text, why = cleaner_lookup("clean_html_text", module)
    if set_name == "scrapinghub":
        clean_html, _ = cleaner_lookup("clean_html", module)
        if clean_html is not None:

            def body_only(page_html: str) -> str:
                return "\n".join(article.text for article in clean_html(page_html, language=False).articles)

            return System("cleaner", label, body_only)
    if clean_html_text is None:
        return System("cleaner", label, None, unavailable=f"the cleaner's HTML mode is unavailable: {why}")
    return System("cleaner", label, clean_html_text)


def _peer(name: str, input_kind: str, build: Callable[[], TextFn]) -> System:
    label = LABELS[input_kind, name]
    try:
        return System(name, label, build())
    except PeerUnavailable as exc:
        return System(name, label, None, unavailable=str(exc))


def build_system(name: str, set_name: str, input_kind: str, cleaner_module: Any | None = None) -> System:
    """The system ``name`` as it runs on ``set_name`` with ``input_kind`` input."""
    if name not in SYSTEMS_BY_INPUT[input_kind]:
        known = ", ".join(SYSTEMS_BY_INPUT[input_kind])
        raise ValueError(f"unknown system {name!r} for {input_kind} input (known: {known})")
    if name == "cleaner":
        if input_kind == "html":
            return cleaner_html_system(cleaner_module, set_name)
        return cleaner_text_system(set_name, cleaner_module)
    if input_kind == "html":  # trafilatura
        return _peer(name, input_kind, peers.trafilatura_html)
    if name == "none":
        return System(name, LABELS[input_kind, name], _identity)
    if name == "c4":
        return _peer(name, input_kind, peers.c4_line_filter)
    if name == "justext":
        language = peers.DEFAULT_STOPLIST if set_name == "scrapinghub" else None
        return _peer(name, input_kind, lambda: peers.justext_lines(language))
    return _peer(name, input_kind, peers.trafilatura_lines)
