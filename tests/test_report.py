"""The HTML explain report (``clean --report``): escaping, counts, sampling, and a real browser.

The browser tests open the report in headless Chromium (``--dump-dom`` gives the DOM after the
page's script ran; ``--screenshot`` saves ``test-artifacts/report-003.png``) and skip with a
message when no Chromium is installed. Every expected number is computed here from
``cleaner.clean``'s decisions, independently of ``cleaner.report``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import clean
from cleaner.cli import main
from cleaner.document import Action
from cleaner.report import ReportBuilder, esc, render_report
from cleaner.textio import prepare

SEED_003 = ROOT / "seeds" / "003_c17df665f48eee7d.txt"
ARTIFACTS = ROOT / "test-artifacts"
SPAN_ACTIONS = {Action.REMOVE, Action.EDIT, Action.METADATA, Action.TITLE}
XSS = (
    "Evil <script>document.body.setAttribute('data-pwned', '1'); alert(1)</script> headline\n\n"
    "<script>alert(1)</script>\n\n"
    "A <b>bold</b> sentence opens the body of this article, and it is long enough to be read as prose.\n\n"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', '2')\"> and the story goes on for a while.\n\n"
    "Share on Facebook\n"
)


# --------------------------------------------------------------------------- helpers


class Dom(HTMLParser):
    """Elements of a report page: highlighted spans (with their text), table rows, start tags."""

    VOID = {"meta", "br", "img", "input", "hr", "link"}

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.spans: list[dict] = []  # attributes of each .hl span, with "text"
        self.scripts: list[str] = []
        self._open: list[tuple[str, dict | None]] = []
        self._script: list[str] | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script = []
        if tag in self.VOID:
            return
        span = None
        if tag == "span" and "hl" in (a.get("class") or "").split() and "demo" not in (a.get("class") or ""):
            span = {**a, "text": ""}
            self.spans.append(span)
        self._open.append((tag, span))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        for _, span in self._open:
            if span is not None:
                span["text"] += data

    def find(self, tag: str, **attrs: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def expected_rules(result) -> dict[str, dict[str, int]]:
    """Per rule: decisions, distinct lines, characters covered, spans shown (text-covering ones)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"decisions": 0, "chars": 0, "spans": 0})
    lines: dict[str, set[int]] = defaultdict(set)
    for d in result.decisions:
        if d.action not in SPAN_ACTIONS:
            continue
        out[d.code]["decisions"] += 1
        out[d.code]["chars"] += d.end - d.start
        out[d.code]["spans"] += d.end > d.start
        lines[d.code].add(d.line)
    for code in out:
        out[code]["lines"] = len(lines[code])
    return dict(out)


def expected_shares(raw: str, result) -> dict[str, int]:
    text = prepare(raw).text
    content = sum(len(line.text) for line in prepare(raw).lines)
    removed, moved = set(), set()
    for d in result.decisions:
        if d.action in (Action.REMOVE, Action.EDIT):
            removed.update(range(d.start, d.end))
        elif d.action in (Action.METADATA, Action.TITLE):
            moved.update(range(d.start, d.end))
    moved -= removed
    assert max(removed | moved, default=0) <= len(text)
    return {"content": content, "removed": len(removed), "moved": len(moved), "kept": content - len(removed) - len(moved)}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the page, without a browser


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_decision_is_one_highlighted_span_holding_its_text(seed):
    raw = read(seed)
    result = clean(raw)
    dom = Dom(render_report([(seed.name, raw, result)]))
    text = prepare(raw).text
    shown = Counter((s["data-code"], s["data-action"], int(s["data-start"]), int(s["data-end"])) for s in dom.spans)
    wanted = Counter((d.code, d.action.value, d.start, d.end) for d in result.decisions
                     if d.action in SPAN_ACTIONS and d.end > d.start)
    assert shown == wanted
    for span in dom.spans:
        assert span["text"] == text[int(span["data-start"]):int(span["data-end"])]
        assert span["data-code"] in span["title"] and span["title"].strip()
    # Kept text is plain: a line no decision touched is in the page as it is, in no span.
    page = render_report([(seed.name, raw, result)])
    touched = {d.line for d in result.decisions if d.action in SPAN_ACTIONS}
    plain = [line for line in prepare(raw).lines if line.number not in touched]
    assert plain
    for line in plain:
        assert f'<span class="tx">{html.escape(line.text)}</span>' in page


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_counts_match_the_decisions(seed):
    raw = read(seed)
    result = clean(raw)
    dom = Dom(render_report([(seed.name, raw, result)]))
    rules = {a["data-rule"]: a for t, a in dom.tags if t == "tr" and "data-rule" in a}
    expected = expected_rules(result)
    assert set(rules) == set(expected)
    for code, want in expected.items():
        row = rules[code]
        assert int(row["data-decisions"]) == want["decisions"], code
        assert int(row["data-lines"]) == want["lines"], code
        assert int(row["data-chars"]) == want["chars"], code
        assert int(row["data-documents"]) == 1
    (doc_row,) = [a for t, a in dom.tags if t == "tr" and "data-doc" in a]
    shares = expected_shares(raw, result)
    for key, value in shares.items():
        assert int(doc_row[f"data-{key}"]) == value, key


def test_articles_and_titles_are_marked():
    raw = read(SEED_003)
    result = clean(raw)
    dom = Dom(render_report([("003", raw, result)]))
    markers = [a for t, a in dom.tags if t == "div" and "art" in (a.get("class") or "").split() and "data-article" in a]
    assert [int(m["data-article"]) for m in markers] == list(range(1, len(result.articles) + 1))
    splits = sorted(d.line for d in result.decisions if d.action is Action.SPLIT)
    for marker, article in zip(markers, result.articles):
        line = int(marker["data-line"])
        assert line <= article.lines[0]
        # An article starts at the dump's top or at a split decision, and no split lies in between.
        assert line == 1 or line in splits
        assert not [s for s in splits if line < s <= article.lines[0]]
    seed0 = SEEDS[0]
    raw0 = read(seed0)
    result0 = clean(raw0)
    page = render_report([(seed0.name, raw0, result0)])
    assert result0.articles[0].title and f'<span class="t">{result0.articles[0].title}</span>' in page
    titles = [s for s in Dom(page).spans if s["data-action"] == "title"]
    assert [t["text"] for t in titles] == [result0.articles[0].title]


def test_the_dump_is_escaped_never_markup():
    name = '<img src=x onerror="alert(3)">&amp;.txt'
    result = clean(XSS)
    page = render_report([(name, XSS, result)])
    dom = Dom(page)
    # One script element: the page's own. No image, no event handler attribute anywhere.
    assert [t for t, _ in dom.tags].count("script") == 1
    assert "img" not in [t for t, _ in dom.tags]
    assert not [k for _, a in dom.tags for k in a if k.startswith("on")]
    assert "alert" not in dom.scripts[0] and "pwned" not in dom.scripts[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(3)&quot;&gt;&amp;amp;.txt" in page
    # The text, once the browser decodes it, is the dump's own.
    text = prepare(XSS).text
    for span in dom.spans:
        assert span["text"] == text[int(span["data-start"]):int(span["data-end"])]


def test_odd_text_never_breaks_the_page():
    raw = "Title\ud800 with a lone surrogate\n\n\f\n\nbody \x0c text\tand tabs, enough words to be prose here.\n"
    result = clean(raw)
    page = render_report([("odd\x1b\ud800name", raw, result)])
    page.encode("utf-8")  # writable as UTF-8
    assert "\x1b" not in page and "\ud800" not in page


def test_empty_inputs():
    page = render_report([])
    assert "No documents." in page and page.startswith("<!DOCTYPE html>")
    for raw in ("", "   \n\n  \n"):
        page = render_report([("empty.txt", raw, clean(raw))])
        assert "This dump is empty." in page
        assert "No rule removed anything." in page
        assert Dom(page).spans == []
    everything_removed = "Share on Facebook\n\nPrint\n"
    result = clean(everything_removed)
    assert not result.articles
    page = render_report([("all-noise.txt", everything_removed, result)])
    assert 'data-article="' not in page
    assert "no-article" in page  # the flag the engine raises is listed


def test_flags_are_listed_and_escaped():
    raw = read(SEEDS[0])
    result = dataclasses.replace(clean(raw), flags=["over-deletion guard: <b>N001</b> undone"])
    page = render_report([("flagged.txt", raw, result)])
    assert "over-deletion guard: &lt;b&gt;N001&lt;/b&gt; undone" in page
    assert "Flags <small>(1 document)</small>" in page


def test_the_page_is_deterministic_and_self_contained():
    docs = [(p.name, read(p), clean(read(p))) for p in SEEDS]
    page = render_report(docs)
    assert page == render_report(docs)
    dom = Dom(page)
    for tag, attrs in dom.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, attrs)
    assert "@import" not in page and "url(" not in page
    # Navigation between documents: one option and one anchor per document.
    options = [a["value"] for t, a in dom.tags if t == "option" and a.get("value")]
    assert options == [f"doc-{i}" for i in range(1, len(SEEDS) + 1)]
    assert [a["id"] for t, a in dom.tags if t == "section"] == options


def small_dump(i: int) -> str:
    noise = "\n\nShare on Facebook" * (i % 5)
    return f"Paragraph {i} of a small article, long enough to be read as prose by the cleaner, it says.{noise}\n"


def test_large_batches_are_sampled_deterministically():
    builder = ReportBuilder(limit=20, top=3)
    results = []
    for i in range(90):
        raw = small_dump(i)
        result = clean(raw, language=False)
        results.append(result)
        builder.add(f"doc{i}", raw, result)
        assert len(builder._sample) <= 20  # memory stays bounded while streaming
    page = builder.render()
    sections = [int(a["data-doc"]) - 1 for t, a in Dom(page).tags if t == "section"]
    sample = [i for i in range(90) if i % 8 == 0]  # 90 documents, at most 20: every 8th
    removed = [sum(d.end - d.start for d in r.decisions if d.action is Action.REMOVE) for r in results]
    top = sorted(range(90), key=lambda i: (-removed[i], i))[:3]
    assert sections == sorted(set(sample) | set(top))
    assert "Sampled: showing" in page and "of 90 documents" in page and "every 8th document" in page
    assert 'data-documents="90"' in page
    # The counts cover every document, not only those shown.
    total = sum(1 for r in results for d in r.decisions if d.code == "U001")
    (row,) = [a for t, a in Dom(page).tags if t == "tr" and a.get("data-rule") == "U001"]
    assert int(row["data-decisions"]) == total
    # Most removed: the top three, most first.
    listed = [int(a["data-doc"]) - 1 for t, a in Dom(page).tags if t == "li" and "data-removed" in a]
    assert listed == top
    again = ReportBuilder(limit=20, top=3)
    for i in range(90):
        again.add(f"doc{i}", small_dump(i), results[i])
    assert again.render() == page


def test_a_small_batch_is_shown_whole():
    docs = [(f"d{i}", small_dump(i), clean(small_dump(i), language=False)) for i in range(12)]
    page = render_report(docs)
    assert "Sampled" not in page
    assert len([1 for t, _ in Dom(page).tags if t == "section"]) == 12


# --------------------------------------------------------------------------- the command line


def test_cli_writes_the_report_beside_the_normal_output(tmp_path, capsys):
    report = tmp_path / "report.html"
    assert main([str(SEED_003)]) == 0
    plain = capsys.readouterr().out
    assert main(["--report", str(report), str(SEED_003)]) == 0
    assert capsys.readouterr().out == plain
    page = read(report)
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_cli_report_of_a_jsonl_batch(tmp_path, capsys):
    batch = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": p.stem, "text": read(p)}) for p in SEEDS[:2]] + ["not json", json.dumps({"text": 5})]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = tmp_path / "r.html"
    assert main(["--jsonl", "--report", str(report), str(batch)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4
    page = read(report)
    assert f"batch.jsonl:1 (id {SEEDS[0].stem})" in page and f"batch.jsonl:2 (id {SEEDS[1].stem})" in page
    assert 'data-failures="2"' in page
    assert len([1 for t, _ in Dom(page).tags if t == "section"]) == 2


def test_cli_report_errors_are_one_line(tmp_path, capsys):
    assert main(["--report", str(tmp_path / "missing" / "r.html"), str(SEED_003)]) == 5  # output cannot be written
    assert main(["-o", str(tmp_path / "x"), "--report", str(tmp_path / "x"), str(SEED_003)]) == 2
    assert main(["--report", str(tmp_path), str(SEED_003)]) == 5
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("clean: ") for line in err)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clean-")]


# --------------------------------------------------------------------------- in a real browser


_BROWSER: dict[str, str] = {}


def _browser() -> str:
    """A Chromium that runs headless here; skips (with the reason) when there is none."""
    if "path" not in _BROWSER:
        found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
        if found is None:
            _BROWSER["skip"] = "no Chromium browser installed (apt-get install chromium): the in-browser checks are skipped"
        else:
            tmp = Path(tempfile.mkdtemp(prefix="report-browser-"))
            try:
                page = tmp / "probe.html"
                page.write_text("<!DOCTYPE html><p id=probe>ok</p><script>document.body.dataset.ran = 1</script>")
                out = _launch(found, tmp / "profile", "--dump-dom", page.as_uri())
                if 'data-ran="1"' not in out:
                    _BROWSER["skip"] = f"{found} is installed but does not run a page headless here"
            except (OSError, subprocess.SubprocessError, AssertionError) as exc:
                _BROWSER["skip"] = f"{found} is installed but cannot run headless here: {str(exc)[-300:]}"
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        _BROWSER["path"] = found or ""
    if "skip" in _BROWSER:
        pytest.skip(_BROWSER["skip"])
    return _BROWSER["path"]


def _launch(browser: str, profile: Path, *args: str) -> str:
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", *args,
    ]
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "LANG": "C.UTF-8"})
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}"
    return done.stdout


def run_browser(browser: str, tmp_path: Path, *args: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"  # a fresh profile each run
    try:
        return _launch(browser, profile, *args)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{browser} did not finish within 180 s ({' '.join(args)})")


@pytest.fixture(scope="module")
def report_003(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    page = tmp / "report-003.html"
    assert main(["--report", str(page), "-o", str(tmp / "out.txt"), str(SEED_003)]) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(page, ARTIFACTS / "report-003.html")
    return page


def test_browser_renders_the_report_of_seed_003(report_003, tmp_path):
    browser = _browser()
    dom = Dom(run_browser(browser, tmp_path, "--dump-dom", report_003.as_uri()))
    result = clean(read(SEED_003))
    expected = expected_rules(result)
    # The page's script ran and counted what the browser shows.
    (state,) = dom.find("div", id="report-state")
    assert state["data-filter"] == ""
    assert int(state["data-highlighted"]) == sum(e["spans"] for e in expected.values()) > 0
    assert int(state["data-plain"]) == 0
    rows = {a["data-rule"]: a for t, a in dom.tags if t == "tr" and "data-rule" in a}
    assert set(rows) == set(expected)
    for code, want in expected.items():
        row = rows[code]
        assert int(row["data-dom-spans"]) == want["spans"], code  # spans the browser found
        assert int(row["data-dom-chars"]) == want["chars"], code  # characters the browser holds in them
        assert int(row["data-decisions"]) == want["decisions"], code
        assert int(row["data-lines"]) == want["lines"], code
    text = prepare(read(SEED_003)).text
    assert {(s["data-code"], int(s["data-start"]), int(s["data-end"])) for s in dom.spans} == {
        (d.code, d.start, d.end) for d in result.decisions if d.action in SPAN_ACTIONS
    }
    for span in dom.spans:
        assert span["text"] == text[int(span["data-start"]):int(span["data-end"])]
    markers = [a for t, a in dom.tags if t == "div" and "data-article" in a]
    assert len(markers) == len(result.articles) == 9


def test_browser_filter_from_the_url_shows_one_rule(report_003, tmp_path):
    browser = _browser()
    dom = Dom(run_browser(browser, tmp_path, "--dump-dom", report_003.as_uri() + "#rule=T001"))
    expected = expected_rules(clean(read(SEED_003)))
    (body,) = [a for t, a in dom.tags if t == "body"]
    assert "only-r-T001" in body["class"].split()
    (state,) = dom.find("div", id="report-state")
    assert state["data-filter"] == "T001"
    # Computed styles: T001's spans keep their highlight, every other rule's span is plain.
    assert int(state["data-highlighted"]) == expected["T001"]["spans"]
    assert int(state["data-plain"]) == sum(e["spans"] for c, e in expected.items() if c != "T001")
    pressed = [a["data-rule"] for t, a in dom.tags if t == "button" and a.get("aria-pressed") == "true"]
    assert pressed == ["T001"]
    # An unknown rule in the URL falls back to showing every rule.
    dom = Dom(run_browser(browser, tmp_path, "--dump-dom", report_003.as_uri() + "#rule=Z999"))
    (state,) = dom.find("div", id="report-state")
    assert state["data-filter"] == "" and int(state["data-plain"]) == 0


def test_browser_runs_no_script_from_the_dump(tmp_path):
    browser = _browser()
    page = tmp_path / "xss.html"
    page.write_text(render_report([('<img src=x onerror="alert(3)">', XSS, clean(XSS))]), encoding="utf-8")
    dom = Dom(run_browser(browser, tmp_path, "--dump-dom", page.as_uri()))
    (body,) = [a for t, a in dom.tags if t == "body"]
    assert "data-pwned" not in body
    assert [t for t, _ in dom.tags].count("script") == 1 and "img" not in [t for t, _ in dom.tags]
    # The markup is there as text, in the spans of the rules that removed it.
    texts = {s["text"] for s in dom.spans}
    assert "<script>alert(1)</script>" in texts
    assert "<img src=x onerror=\"document.body.setAttribute('data-pwned', '2')\">" in texts


def test_browser_screenshot_of_the_report(report_003, tmp_path):
    browser = _browser()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-003.png"
    if shot.exists():
        shot.unlink()
    run_browser(browser, tmp_path, f"--screenshot={shot}", "--window-size=1400,1000", report_003.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "Share on Facebook", "<b>bold</b> words of a sentence that goes on for a while, as prose does.",
    "<script>alert(1)</script>", "\f", "", "   ", "Read more", "A headline", "photo.jpg",
    "Plain prose sentence of an article that is long enough to count as a paragraph here.",
]) | st.text(max_size=40), max_size=12).map("\n".join))
def test_any_dump_gives_a_page_whose_spans_hold_their_text(raw):
    result = clean(raw, language=False)
    page = render_report([("any", raw, result)])
    page.encode("utf-8")
    dom = Dom(page)
    assert [t for t, _ in dom.tags].count("script") == 1
    text = prepare(raw).text
    for span in dom.spans:
        assert span["text"] == _browser_text(text[int(span["data-start"]):int(span["data-end"])])


def _browser_text(s: str) -> str:
    """What an HTML parser gives back for text the report escaped (replaced characters aside)."""
    return html.unescape(esc(s))
