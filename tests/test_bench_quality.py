"""The benchmark harness (``python -m cleaner.bench quality``) on a tiny hand-made bench.

No shared data and no real engine needed: a fake cleaner module is injected.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleaner.bench import peers
from cleaner.bench.__main__ import main
from cleaner.bench.data import ENV_VAR, BenchDataError, decode_html, find_bench_dir, load_set
from cleaner.bench.peers import INSTALL_HINT, PeerUnavailable
from cleaner.bench.quality import evaluate, format_table, run_system
from cleaner.bench.report import unmatched_blocks
from cleaner.bench.systems import System, build_system

REPO = Path(__file__).resolve().parents[1]

ARTICLE = "The council approved the new budget on Monday after a long debate."
ARTICLE2 = "Residents will see lower fees for waste collection from next year."
NAV = "Home | News | Sport | Weather"
SHARE = "Share this article on Facebook and Twitter now"

SH_ROWS = [
    {"id": "bbb", "url": "https://b.example/2", "raw": f"{NAV}\nBudget passes\n{ARTICLE}\n{SHARE}",
     "truth": ARTICLE},
    {"id": "aaa", "url": "https://a.example/1", "raw": f"{NAV}\nFees fall\n{ARTICLE2}\n{ARTICLE}",
     "truth": f"{ARTICLE2}\n{ARTICLE}"},
]  # fmt: skip
TR_ROWS = [
    {"id": "t2", "url": "https://c.example/", "raw": f"{NAV}\n{ARTICLE}\nCookie settings",
     "with": ["approved the new budget"], "without": ["Cookie settings", "Sport"]},
    {"id": "t1", "url": "https://d.example/", "raw": f"{ARTICLE2}\n{SHARE}",
     "with": ["lower fees", "not in the dump"], "without": ["on Facebook"]},
]  # fmt: skip


def _write_bench(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for stem, rows in (("scrapinghub-dev", SH_ROWS), ("trafilatura-dev", TR_ROWS)):
        (root / f"{stem}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        html_dir = root / f"{stem}-html"
        html_dir.mkdir(exist_ok=True)
        for row in rows:
            body = "".join(f"<p>{line}</p>" for line in str(row["raw"]).splitlines())
            with gzip.open(html_dir / f"{row['id']}.html.gz", "wb") as handle:
                handle.write(f"<html><body>{body}</body></html>".encode())
    return root


@pytest.fixture()
def bench(tmp_path: Path) -> Path:
    return _write_bench(tmp_path / "bench")


@dataclass
class FakeArticle:
    title: str | None
    text: str


def _keep_long_lines(raw: str) -> list[str]:
    return [line for line in raw.splitlines() if len(line.split()) >= 8 and "Share" not in line]


def fake_cleaner() -> SimpleNamespace:
    """Keeps lines of 8+ words without "Share"; the title is the 2nd line."""

    def clean(raw: str) -> SimpleNamespace:
        title = raw.splitlines()[1] if len(raw.splitlines()) > 1 else None
        return SimpleNamespace(articles=[FakeArticle(title, "\n".join(_keep_long_lines(raw)))])

    def clean_text(raw: str) -> str:
        article = clean(raw).articles[0]
        return "\n".join(x for x in (article.title, article.text) if x)

    def clean_html_text(html: str) -> str:
        return html.replace("<p>", "\n").replace("</p>", "")

    return SimpleNamespace(clean=clean, clean_text=clean_text, clean_html_text=clean_html_text)


# ---------------------------------------------------------------- data


def test_find_bench_dir_explicit_env_and_absent(bench: Path, tmp_path: Path) -> None:
    assert find_bench_dir(bench) == bench
    assert find_bench_dir(env={ENV_VAR: str(bench)}) == bench
    with pytest.raises(BenchDataError, match="not found"):
        find_bench_dir(tmp_path / "nowhere")
    with pytest.raises(BenchDataError, match=ENV_VAR):
        find_bench_dir(env={ENV_VAR: str(tmp_path / "nowhere")})


def test_pages_are_sorted_by_id(bench: Path) -> None:
    assert [p.id for p in load_set(bench, "scrapinghub")] == ["aaa", "bbb"]
    tr = load_set(bench, "trafilatura")
    assert [p.id for p in tr] == ["t1", "t2"]
    assert tr[0].with_ == ("lower fees", "not in the dump") and tr[0].truth is None


def test_decode_html() -> None:
    assert decode_html("é".encode()) == "é"
    assert decode_html(b"\xef\xbb\xbf<p>x</p>") == "<p>x</p>"
    latin = '<meta charset="ISO-8859-1"><p>caf\xe9 \x93q\x94</p>'.encode("latin-1")
    assert decode_html(latin) == '<meta charset="ISO-8859-1"><p>café “q”</p>'  # read as cp1252
    assert decode_html('<meta charset="koi8-r">Мир'.encode("koi8-r")).endswith("Мир")


# ---------------------------------------------------------------- systems


def test_cleaner_scores_body_without_title_on_scrapinghub() -> None:
    fake = fake_cleaner()
    raw = SH_ROWS[0]["raw"]
    assert build_system("cleaner", "scrapinghub", "text", fake).fn(raw) == ARTICLE  # type: ignore[misc]
    assert build_system("cleaner", "trafilatura", "text", fake).fn(raw) == f"Budget passes\n{ARTICLE}"  # type: ignore[misc]


def test_cleaner_falls_back_to_clean_text_when_clean_is_missing() -> None:
    fake = SimpleNamespace(clean_text=fake_cleaner().clean_text)
    system = build_system("cleaner", "scrapinghub", "text", fake)
    assert system.available and "title included" in system.note


def test_missing_cleaner_functions_make_rows_unavailable() -> None:
    empty = SimpleNamespace()
    text = build_system("cleaner", "trafilatura", "text", empty)
    assert not text.available and "clean_text" in text.unavailable
    html = build_system("cleaner", "scrapinghub", "html", empty)
    assert not html.available and "HTML mode is unavailable" in html.unavailable


def test_unknown_system_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown system"):
        build_system("c4", "scrapinghub", "html")


def test_missing_peer_library_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datatrove", None)  # import now raises ImportError
    monkeypatch.setitem(sys.modules, "datatrove.data", None)
    with pytest.raises(PeerUnavailable, match=r"pip install \.\[bench\]"):
        peers.c4_line_filter()
    system = build_system("c4", "scrapinghub", "text")
    assert not system.available and system.unavailable.startswith(INSTALL_HINT)


def test_run_system_records_errors_or_raises_when_strict() -> None:
    def flaky(text: str) -> str:
        if text == "boom":
            raise RuntimeError("bad page")
        return text.upper()

    system = System("x", "x", flaky)
    run = run_system(system, ["ok", "boom"], ["p1", "p2"])
    assert run.outputs == ("OK", "") and run.errors == (("p2", "RuntimeError: bad page"),)
    with pytest.raises(RuntimeError):
        run_system(system, ["ok", "boom"], ["p1", "p2"], strict=True)


def test_evaluate_with_fake_cleaner(bench: Path) -> None:
    systems = [build_system(n, "scrapinghub", "text", fake_cleaner()) for n in ("none", "cleaner")]
    result = evaluate(bench, "scrapinghub", "text", systems)
    raw, cleaned = result.runs
    assert cleaned.score is not None and raw.score is not None
    assert cleaned.score.f1 == 1.0  # the fake keeps exactly the article lines here
    assert raw.score.recall == 1.0 and raw.score.precision < 1.0
    table = "\n".join(format_table(result))
    assert "no cleaning (raw)" in table and "cleaner" in table


def test_c4_peer_drops_short_and_unpunctuated_lines() -> None:
    pytest.importorskip("datatrove", reason="datatrove is not installed (pip install '.[datatrove]')")
    c4 = peers.c4_line_filter()
    assert c4(f"{NAV}\n{ARTICLE}\nno final stop here\nOk.") == ARTICLE
    assert c4("Lorem ipsum dolor sit amet.") == ""  # page-level drop: empty output


# ---------------------------------------------------------------- report


def test_unmatched_blocks_find_extra_lines_in_order_of_cost() -> None:
    output = f"{NAV}\n{ARTICLE}\n\n{SHARE}\nRead more stories"
    blocks = unmatched_blocks(output, ARTICLE)
    assert [b.lines for b in blocks] == [(SHARE, "Read more stories"), (NAV,)]
    assert [b.first_line for b in blocks] == [4, 1]
    assert unmatched_blocks(ARTICLE, output) == []  # nothing of the truth is missing


def test_unmatched_blocks_respect_multiset_counts() -> None:
    blocks = unmatched_blocks(f"{ARTICLE}\n{ARTICLE}", ARTICLE)  # the repeat is a false positive
    assert [(b.first_line, b.unmatched_words) for b in blocks] == [(2, 12)]


# ---------------------------------------------------------------- command line


def test_cli_text_with_fake_cleaner_and_json(bench: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_json = tmp_path / "out.json"
    argv = ["quality", "--bench-dir", str(bench), "--systems", "none,cleaner", "--worst", "2", "--json", str(out_json)]
    assert main(argv, cleaner_module=fake_cleaner()) == 0
    text = capsys.readouterr().out
    assert "scrapinghub-dev: 2 pages" in text and "trafilatura-dev: 2 pages" in text
    assert "worst" in text and "[not in raw dump]" in text  # t1 misses a snippet absent from its dump
    data = json.loads(out_json.read_text())
    assert [s["set"] for s in data["sets"]] == ["scrapinghub", "trafilatura"]
    tr = data["sets"][1]
    cleaner_row = next(s for s in tr["systems"] if s["name"] == "cleaner")
    assert [p["id"] for p in cleaner_row["pages"]] == ["t1", "t2"]
    # t1: "lower fees" kept, "not in the dump" missed, its title (2nd line) leaks "on Facebook"; t2: 1 tp
    assert (cleaner_row["f1"], cleaner_row["precision"], cleaner_row["recall"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert tr["worst"]["pages"][0]["id"] == "t1"


def test_cli_html_mode(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["quality", "--bench-dir", str(bench), "--input", "html", "--systems", "cleaner", "--set", "trafilatura"]
    assert main(argv, cleaner_module=fake_cleaner()) == 0
    assert "cleaner HTML mode" in capsys.readouterr().out
    assert main(argv, cleaner_module=SimpleNamespace()) == 0
    assert "HTML mode is unavailable" in capsys.readouterr().out


def test_cli_only_filters_pages(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["quality", "--bench-dir", str(bench), "--systems", "none", "--only", "aa", "--set", "scrapinghub"]
    assert main(argv) == 0
    assert "scrapinghub-dev: 1 pages" in capsys.readouterr().out


def test_cli_errors_exit_2(bench: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quality", "--bench-dir", str(tmp_path / "nowhere")]) == 2
    assert "benchmark data not found" in capsys.readouterr().err
    assert main(["quality", "--bench-dir", str(bench), "--input", "html", "--systems", "c4"]) == 2
    assert "unknown system" in capsys.readouterr().err


def test_cli_absent_bench_is_one_clean_message(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", ENV_VAR: str(tmp_path / "nowhere")}
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner.bench", "quality"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "benchmark data not found" in proc.stderr


def test_cli_page_errors_are_reported_and_exit_1(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def clean_text(raw: str) -> str:
        if "Fees fall" in raw:
            raise ValueError("engine bug")
        return raw

    argv = ["quality", "--bench-dir", str(bench), "--systems", "cleaner", "--set", "trafilatura"]
    assert main(argv, cleaner_module=SimpleNamespace(clean_text=clean_text)) == 0
    argv[-1] = "scrapinghub"
    assert main(argv, cleaner_module=SimpleNamespace(clean_text=clean_text)) == 1
    out = capsys.readouterr().out
    assert "1 pages raised (first aaa: ValueError: engine bug)" in out
    assert "raised: ValueError: engine bug" in out
