"""The ``clean`` command unattended in a pipeline: failure modes are boring and documented.

Exit statuses, one-line errors, atomic output files, quiet broken pipes, Ctrl-C and SIGTERM,
JSON Lines that never lose or reorder a record, determinism across processes. Signals and pipes
are tested with real subprocesses.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import cli, output

CLEAN = [str(Path(sys.executable).with_name("clean"))]
if not Path(CLEAN[0]).exists():  # pragma: no cover - an environment without the console script
    CLEAN = [sys.executable, "-c", "from cleaner.cli import entry; entry()"]
HAS_JOBS = "--jobs" in cli.build_parser().format_help()
ONE_JOB = ["--jobs", "1"] if HAS_JOBS else []

P1 = "The council approved the budget for the coming year after a long debate on Monday evening."
P2 = "Officials said the new schools would open in September if the builders kept to the plan."
BOILERPLATE = "Home\nAll news\nShare this article\nPrint\nAdvertisement\n"


def run(*args: str, stdin: bytes | None = b"", env: dict | None = None, cwd: Path | None = None, timeout: float = 120):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*CLEAN, *args], input=stdin, capture_output=True, env=full_env, cwd=cwd, timeout=timeout)


def one_line_error(proc) -> str:
    """The process's standard error, checked to be exactly one line and no traceback."""
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    return err.rstrip("\n")


def jsonl(*records) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records)


# -- help, flags, exit statuses -------------------------------------------------------------------


def test_help_documents_exit_statuses_and_guards():
    proc = run("--help")
    assert proc.returncode == 0
    out = proc.stdout.decode()
    for needle in ("exit status", "2 bad arguments", "3 unreadable input", "4 input refused", "5 output",
                   "70 internal error", "130 interrupted", "143 terminated", "--max-bytes", "--strict"):
        assert needle in out, needle


@pytest.mark.parametrize("columns", [60, 120])
def test_help_is_formatted_for_the_terminals_width(columns, monkeypatch):
    # (the parser is built with a fixed width, which it must not keep for the help it prints)
    monkeypatch.setenv("COLUMNS", str(columns))
    usage = cli.build_parser().format_help().split("\n\n")[0].splitlines()  # the usage block
    assert usage[0].startswith("usage: clean") and len(usage) > 2
    assert max(map(len, usage)) <= columns - 2
    assert max(map(len, usage)) > columns - 30  # filled up to the width, not wrapped at 80


@pytest.mark.parametrize(
    "args",
    [["--no-such-flag"], ["--format", "xml"], ["--max-bytes", "lots"], ["--favor"], ["--max-bytes", "-5"]],
)
def test_bad_flags_exit_2_with_usage_and_one_error_line(args):
    proc = run(*args)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "Traceback" not in err and proc.stdout == b""
    assert err.startswith("usage: clean")
    assert err.rstrip("\n").splitlines()[-1].startswith("clean: error: ")


def test_unknown_rule_is_exit_2_in_one_line():
    proc = run("--disable", "Q999", stdin=P1.encode())
    assert proc.returncode == 2
    assert one_line_error(proc) == "clean: unknown rule 'Q999' (see `clean --list-rules`)"


def test_missing_file_is_exit_3_in_one_line(tmp_path):
    proc = run(str(tmp_path / "nope.txt"))
    assert proc.returncode == 3
    assert one_line_error(proc) == f"clean: {tmp_path / 'nope.txt'}: no such file"


@pytest.mark.parametrize("mode", [[], ["--jsonl"]])
def test_a_directory_given_as_a_file_is_exit_3_in_one_line(tmp_path, mode):
    proc = run(*mode, str(tmp_path))
    assert proc.returncode == 3
    assert one_line_error(proc) == f"clean: {tmp_path}: is a directory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_exit_3_in_one_line(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(P1)
    path.chmod(0)
    proc = run(str(path))
    assert proc.returncode == 3
    assert one_line_error(proc) == f"clean: {path}: permission denied"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_file_that_cannot_be_opened_is_exit_3_in_one_line(tmp_path):
    # A Unix socket exists but cannot be opened (ENXIO), even by root: the generic read error.
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        proc = run(str(path))
    finally:
        server.close()
    assert proc.returncode == 3
    assert one_line_error(proc).startswith(f"clean: {path}: cannot read (")


def test_the_first_bad_file_stops_the_run_before_any_output(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(P1)
    proc = run(str(good), str(tmp_path / "missing.txt"))
    assert proc.returncode == 3 and proc.stdout == b""


def test_strict_refuses_non_utf8_with_exit_4_and_otherwise_warns():
    raw = "Café crème is sold at the market on every Sunday morning, the owner said.".encode("latin-1")
    strict = run("--strict", "--no-language", stdin=raw)
    assert strict.returncode == 4 and strict.stdout == b""
    assert one_line_error(strict) == "clean: <stdin>: input is not valid UTF-8 (byte 3)"
    lenient = run("--no-language", stdin=raw)
    assert lenient.returncode == 0
    assert lenient.stdout.decode() == "Café crème is sold at the market on every Sunday morning, the owner said.\n"
    assert one_line_error(lenient) == "clean: <stdin>: warning: 1 line(s) were not valid UTF-8 and were decoded as Windows-1252"


def test_control_characters_are_reported_on_stderr():
    proc = run("--no-language", stdin=(P1[:10] + "\x00\x07" + P1[10:]).encode())
    assert proc.returncode == 0 and proc.stdout.decode() == P1 + "\n"
    assert one_line_error(proc) == "clean: <stdin>: warning: 2 control character(s) were dropped"


@pytest.mark.parametrize("stdin", [b"", b"  \n\n\t\n", BOILERPLATE.encode()])
def test_no_article_is_exit_0_empty_output_and_a_message(stdin):
    proc = run("--no-language", stdin=stdin)
    assert proc.returncode == 0 and proc.stdout == b""
    assert one_line_error(proc) == "clean: <stdin>: no article found"


def test_an_internal_error_is_one_line_and_exit_70(monkeypatch, capsys):
    class Broken:
        rules = ()

        def clean(self, text, warnings=()):
            raise RuntimeError("rule exploded\nsecond line of the message")

    monkeypatch.setattr(cli, "make_engine", lambda *a, **k: Broken())
    monkeypatch.delenv("CLEAN_DEBUG", raising=False)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by pytest's capture teardown
    status = cli.main([*ONE_JOB, "--no-language", str(SEEDS[0])])
    captured = capsys.readouterr()
    assert status == cli.EXIT_INTERNAL == 70
    assert captured.out == ""
    assert captured.err == "clean: internal error: RuntimeError: rule exploded (CLEAN_DEBUG=1 shows the traceback)\n"


# -- the size guard through the CLI ----------------------------------------------------------------


def test_max_bytes_passes_a_document_through_with_a_warning():
    dump = f"All news\n{P1}\nShare this article\n"
    proc = run("--max-bytes", "20", "--no-language", stdin=dump.encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == f"All news\n\n{P1}\n\nShare this article\n"
    size = len(dump.encode())
    assert one_line_error(proc) == (
        f"clean: <stdin>: warning: oversize: the document is {size} bytes, over the limit of 20 (--max-bytes); "
        "it was passed through uncleaned"
    )
    as_json = json.loads(run("--max-bytes", "20", "--no-language", "--format", "json", stdin=dump.encode()).stdout)
    assert as_json["flags"][0].startswith("oversize:")
    normal = run("--max-bytes", "1K", "--no-language", stdin=dump.encode())
    assert normal.stdout.decode() == P1 + "\n" and normal.stderr == b""


# -- JSON Lines: one output line per input line, nothing lost, nothing reordered ---------------------


def _jsonl_input() -> tuple[bytes, int]:
    records = [
        {"id": 0, "text": P1},
        b"this is not json",
        {"id": 2, "text": BOILERPLATE},
        {"id": 3},  # no text
        {"id": 4, "text": ["a", "list"]},
        b"[1, 2, 3]",
        b"",
        {"id": 7, "text": (P2 + " ") * 12_000},  # a 1 MB record: one huge line
        b'{"id": 8, "text": "caf\xe9 ' + P1.encode() + b'"}',  # not UTF-8
        b'{"id": 9, "text": "\\ud800 ' + P2.encode() + b'"}',  # a lone surrogate escape
        b'{"id": 10, "n": 1' + b"0" * 5000 + b"}",  # an integer too long for Python
        b"[" * 100_000,  # nested too deep
        {"id": 12, "text": P2},
    ]
    data = jsonl(*records) + b'{"id": 13, "text": "trunc'  # the last line is cut off
    return data, len(records) + 1


@pytest.mark.parametrize("strict", [False, True])
def test_jsonl_keeps_every_record_in_order_and_fails_only_at_the_end_with_strict(strict):
    data, count = _jsonl_input()
    proc = run("--jsonl", "--no-language", *ONE_JOB, *(["--strict"] if strict else []), stdin=data)
    lines = proc.stdout.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == count
    out = [json.loads(line) for line in lines[:-1]]
    assert [o["id"] if "id" in o else o["line"] - 1 for o in out] == list(range(count))  # ids are 0-based, lines 1-based
    failed = {k for k, o in enumerate(out) if "error" in o}
    assert failed == ({1, 3, 4, 5, 6, 10, 11, 13} | ({8} if strict else set()))
    assert out[0]["articles"][0]["text"] == P1
    assert out[2]["articles"] == []
    assert out[7]["articles"][0]["text"] == ((P2 + " ") * 12_000).strip()
    assert out[9]["articles"][0]["text"] == "\ufffd " + P2
    assert out[12]["articles"][0]["text"] == P2
    assert out[13]["raw"] == '{"id": 13, "text": "trunc'
    if not strict:
        assert out[8]["articles"][0]["text"] == "café " + P1
        assert out[8]["warnings"] == ["1 line(s) were not valid UTF-8 and were decoded as Windows-1252"]
    assert proc.returncode == (4 if strict else 0)
    assert one_line_error(proc) == f"clean: {len(failed)} record(s) could not be processed (see their 'error' field)"


@pytest.mark.skipif(not HAS_JOBS, reason="no --jobs option")
def test_jsonl_output_with_two_jobs_is_byte_identical_to_one(tmp_path):
    # More than two chunks of records (so that workers really run), bad records among them.
    data, _ = _jsonl_input()
    short = [jsonl({"id": k, "text": f"{P1[:-1]} ({k}).\n{BOILERPLATE}"}) for k in range(150)]
    path = tmp_path / "in.jsonl"
    path.write_bytes(data.rsplit(b"\n", 1)[0] + b"\n" + b"{broken\n".join(short) + data)
    one = run("--jsonl", "--no-language", "--jobs", "1", str(path))
    two = run("--jsonl", "--no-language", "--jobs", "2", str(path))
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == len(path.read_bytes().split(b"\n"))


# -- determinism across processes -------------------------------------------------------------------


def test_output_is_identical_across_hash_seeds():
    outputs = {run("--format", "json", "--explain", *map(str, SEEDS), env={"PYTHONHASHSEED": seed}).stdout
               for seed in ("0", "1", "4242")}
    assert len(outputs) == 1
    assert len(next(iter(outputs)).splitlines()) == len(SEEDS)


def test_cleaning_the_output_through_a_pipe_changes_nothing():
    for seed in SEEDS:
        once = run("--no-language", str(seed)).stdout
        assert run("--no-language", stdin=once).stdout == once


# -- pipes and signals --------------------------------------------------------------------------------


def _reader_of_one_line() -> list[str]:
    head = shutil.which("head")
    return [head, "-n", "1"] if head else [sys.executable, "-c", "import sys; sys.stdout.write(sys.stdin.readline())"]


@pytest.mark.parametrize("mode", ["text", "jsonl"])
def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path, mode):
    path = tmp_path / "big.in"
    if mode == "text":
        path.write_text("\n".join(f"Paragraph {k}: {P1}" for k in range(20_000)), encoding="utf-8")
        args = ["--no-language", str(path)]
    else:
        path.write_bytes(jsonl(*({"id": k, "text": f"{P1}\n{P2} ({k})"} for k in range(3_000))))
        args = ["--jsonl", "--no-language", *ONE_JOB, str(path)]
    producer = subprocess.Popen([*CLEAN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader = subprocess.Popen(_reader_of_one_line(), stdin=producer.stdout, stdout=subprocess.PIPE)
    producer.stdout.close()  # the reader holds the pipe's only read end now
    first, _ = reader.communicate(timeout=120)
    err = producer.stderr.read()
    status = producer.wait(timeout=120)
    assert first.count(b"\n") == 1
    assert err == b"", err.decode("utf-8", "replace")
    assert status == 0


def _wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _long_jsonl(tmp_path: Path, records: int = 4_000) -> Path:
    path = tmp_path / "long.jsonl"
    text = SEEDS[0].read_text(encoding="utf-8")
    path.write_bytes(jsonl(*({"id": k, "text": text} for k in range(records))))
    return path


@pytest.mark.parametrize("jobs", [["--jobs", "1"], ["--jobs", "2"]] if HAS_JOBS else [[]])
def test_ctrl_c_ends_quietly_with_status_130(tmp_path, jobs):
    path = _long_jsonl(tmp_path)
    proc = subprocess.Popen([*CLEAN, "--jsonl", "--no-language", *jobs, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        first = proc.stdout.readline()  # it is past start-up and cleaning records
        assert first.startswith(b'{"id": 0')
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == b"clean: interrupted\n"
    assert len((first + rest).splitlines()) < 4_000  # it really was interrupted


@pytest.mark.parametrize("sig, status, message", [(signal.SIGINT, 130, b"clean: interrupted\n"),
                                                  (signal.SIGTERM, 143, b"clean: terminated\n")])
def test_a_signal_leaves_neither_the_output_nor_a_temporary_file(tmp_path, sig, status, message):
    path = _long_jsonl(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "cleaned.jsonl"
    proc = subprocess.Popen([*CLEAN, "--jsonl", "--no-language", *ONE_JOB, "-o", str(target), str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: any(out_dir.iterdir()), "the temporary output file")
        time.sleep(0.3)  # let it write some records
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == status
    assert err == message and out == b""
    assert list(out_dir.iterdir()) == []


# -- atomic output files ----------------------------------------------------------------------------


def test_a_failing_run_leaves_no_output_and_no_temporary_file(tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = run("-o", str(out_dir / "cleaned.txt"), str(tmp_path / "missing.txt"))
    assert proc.returncode == 3
    assert list(out_dir.iterdir()) == []


def test_a_failing_run_leaves_an_existing_output_untouched(tmp_path):
    target = tmp_path / "cleaned.txt"
    target.write_text("previous output\n")
    proc = run("--strict", "-o", str(target), stdin=b"caf\xe9")
    assert proc.returncode == 4
    assert target.read_text() == "previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cleaned.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_output_to_a_named_pipe_is_written_into_it_not_renamed_over_it(tmp_path):
    """``-o`` names a pipe (or a device: ``-o /dev/null``): the output goes into it; renaming a
    temporary file over it would leave the reader waiting (and, as root, replace a device)."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run("--no-language", "-o", str(fifo), stdin=P1.encode(), timeout=60)
    reader.join(30)
    assert proc.returncode == 0, proc.stderr
    assert got == [(P1 + "\n").encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left beside it


def test_a_successful_run_writes_the_output_with_the_usual_permissions(tmp_path):
    target = tmp_path / "cleaned.txt"
    proc = run("--no-language", "-o", str(target), stdin=P1.encode())
    assert proc.returncode == 0 and proc.stdout == b""
    assert target.read_text(encoding="utf-8") == P1 + "\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["cleaned.txt"]


def test_an_output_that_cannot_be_written_is_exit_5_in_one_line(tmp_path):
    proc = run("-o", str(tmp_path / "no" / "such" / "dir" / "out.txt"), stdin=P1.encode())
    assert proc.returncode == 5
    assert one_line_error(proc).startswith(f"clean: {tmp_path / 'no' / 'such' / 'dir' / 'out.txt'}: cannot write (")


# -- encodings of the environment --------------------------------------------------------------------


def test_output_is_utf8_whatever_the_locale():
    line = "Le café est fermé le lundi, mais il ouvre tôt le mardi matin pour tous les habitants."
    proc = run("--no-language", stdin=line.encode(), env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == line + "\n"


def test_seed_files_are_where_the_tests_expect_them():
    assert SEEDS and all(p.is_relative_to(ROOT) for p in SEEDS)


# -- start-up -------------------------------------------------------------------------------------


def test_a_run_on_one_core_imports_no_module_only_other_runs_need(tmp_path):
    # What a process imports is most of what `clean < page.txt` costs: the pool's machinery,
    # logging (for the HTML extractor's loggers), gzip, the temporary files of -o and the HTML
    # extraction (cleaner.html: a text dump is told from a page by cleaner.html_input) are
    # imported by the runs that use them, not by every run. (bz2 and lzma: argparse imports
    # shutil, which imports them.)
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"text": f"Home\n\n{P1}\n\n{P2}"}) + "\n", encoding="utf-8")
    probe = (
        "import sys, io, contextlib\n"
        "from cleaner.cli import main\n"
        f"sys.argv = ['clean', '--jsonl', '--jobs', '1', {str(corpus)!r}]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = main()\n"
        "assert code == 0 and out.getvalue().count('\\n') == 1, (code, out.getvalue())\n"
        "late = ('logging', 'tempfile', 'gzip', 'concurrent.futures', 'multiprocessing', 'cleaner.html')\n"
        "print(' '.join(m for m in late if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def _cleaned(lines: list[bytes], field: str = "text") -> list[bytes]:
    from cleaner.api import make_engine

    return [out for out, _ in cli.process_jsonl(lines, make_engine(language=False), field, False)]


def test_jsonl_reads_standard_input_with_a_files_buffer_and_leaves_it_open(monkeypatch, tmp_path):
    """--jsonl reads its standard input through a reader of its own with READ_BUFFER (not
    sys.stdin's 8 kB buffer), which does not close the descriptor; a standard input without a
    descriptor is read as it is."""
    import io

    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "a"}\n{"text": "b"}\n')
    with open(path, "rb") as fh:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(fh))
        reader = cli._stdin_records()
        assert reader is not sys.stdin.buffer and reader.fileno() == fh.fileno()
        assert list(reader) == [b'{"text": "a"}\n', b'{"text": "b"}\n']
        reader.close()
        os.fstat(fh.fileno())  # still open
    fake = io.TextIOWrapper(io.BytesIO(b'{"text": "c"}\n'))
    monkeypatch.setattr(sys, "stdin", fake)
    assert cli._stdin_records() is fake.buffer


def test_jsonl_keeps_a_records_fields_as_the_input_writes_them():
    """A record's own fields are the input line's bytes, not json's reading of them written again:
    numbers json reads as floats (an infinity, 20 digits), escapes, spacing and key order stay
    as they were; the new fields follow, and the line is the merged record."""
    article = "The council approved the budget on Monday after a long debate about the schools."
    line = b'{ "id":1e400,"n" : 12345678901234567890.5, "t\\u00e9":"caf\\u00e9\\ud800", "text":"' + article.encode() + b'" }'
    out = _cleaned([line + b"\r\n"])[0]
    assert out.startswith(line[:-1]) and out.endswith(b"}\n")
    assert b"Infinity" not in out and b"12345678901234567890.5" in out
    record = json.loads(out)
    assert list(record) == ["id", "n", "t\u00e9", "text", "articles"]
    assert record["t\u00e9"] == "caf\u00e9\ud800" and record["articles"][0]["text"] == article
    # an empty object gets the fields alone; a record with no text field keeps its own as well
    assert json.loads(_cleaned([b"{}"], field="x")[0]) == {"error": "field 'x' is missing"}
    missing = _cleaned([b'{"n": 1.50}'], field="x")[0]
    assert missing == b'{"n": 1.50, "error": "field \'x\' is missing"}\n'


def test_jsonl_writes_the_record_anew_when_the_line_is_not_its_text_or_has_the_field():
    """The merged record is written by json, as dict.update merges it, when the input line is not
    the record's UTF-8 text (a byte-order mark, Windows-1252, a non-ASCII space around it) or
    already holds a field the cleaner adds (which then takes its place, not a second key)."""
    article = "The council approved the budget on Monday after a long debate about the schools."
    record = {"articles": "old", "id": 3, "text": article}
    for line in (b"\xef\xbb\xbf" + json.dumps({"id": 3, "text": article}).encode(),
                 json.dumps({"id": 3, "text": article + " caf\u00e9"}, ensure_ascii=False).encode("cp1252"),
                 json.dumps({"id": 3, "text": article}).encode() + "\u00a0".encode(),
                 json.dumps(record).encode()):
        out = _cleaned([line])[0]
        merged = json.loads(line.decode("utf-8", "replace").strip("\ufeff\u00a0").replace("\ufffd", "\u00e9"))
        got = json.loads(out.decode("utf-8"))
        assert list(got) == list(merged) + [key for key in got if key not in merged], line  # in place
        assert out == (json.dumps(got, ensure_ascii=False) + "\n").encode(), line


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
                       st.text(max_size=8), max_size=5),
       st.sampled_from([(", ", ": "), (",", ":"), (" ,  ", " : ")]), st.booleans(),
       st.text(max_size=60))
def test_jsonl_output_is_the_input_record_merged_with_the_cleaners_fields(record, separators, ascii, text):
    """Whatever the input's spacing and escapes, the output line read as JSON is the input record
    read as JSON with the cleaner's fields merged in (as dict.update does)."""
    from cleaner.api import make_engine

    record = {**record, "text": text}
    line = json.dumps(record, separators=separators, ensure_ascii=ascii).encode("utf-8", "surrogatepass")
    out = _cleaned([line])[0]
    got = json.loads(out.decode("utf-8"))
    if not ascii and any("\ud800" <= ch <= "\udfff" for ch in line.decode("utf-8", "surrogatepass")):
        return  # an encoded lone surrogate is not UTF-8: the line is read as Windows-1252
    merged = dict(json.loads(line))
    merged.update(make_engine(language=False).clean(text).to_dict())
    assert got == merged


_json_text = st.text(alphabet=st.sampled_from('"\\\n\t\x00\x1fa é\u2028\ud800\U0001d54f') | st.characters(), max_size=12)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _json_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_json_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_json_text, _json_values, max_size=6))
def test_jsonl_output_lines_are_json_dumps_text(record):
    """The --jsonl writer's encoder writes what json.dumps(ensure_ascii=False) writes, and a record
    holding a lone surrogate falls back to ASCII escapes."""
    assert output.json_text(record) == json.dumps(record, ensure_ascii=False)
    surrogate = any("\ud800" <= ch <= "\udfff" for ch in json.dumps(record, ensure_ascii=False))
    assert cli._dumps(record) == json.dumps(record, ensure_ascii=surrogate) + "\n"
