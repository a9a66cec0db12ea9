"""Throughput plumbing: --jobs (byte-identical to one process), chunking, bounded in-flight
work, worker death, --stats, the progress meter, --input-dir/--output-dir, compressed inputs.

No test here measures time: speed is measured by ``python -m cleaner.bench speed``.
"""

import gzip
import io
import json
import os

import pytest
from conftest import SEEDS

from cleaner import cli, parallel
from cleaner.streams import AtomicFile, StreamError, iter_lines, read_all

NOISE = ["Share this article", "Print", "Advertisement", "IMG_2041.JPG", "Photo: Reuters", "(7 votes)"]


def _records(n: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    out = []
    for k in range(n):
        text = seeds[k % len(seeds)]
        lines = text.split("\n")
        cut = lines[: 5 + (k * 7) % max(1, len(lines) - 5)]
        cut.insert(k % len(cut), NOISE[k % len(NOISE)])
        out.append(json.dumps({"id": k, "raw": "\n".join(cut)}, ensure_ascii=False))
    out.insert(7, "this is not json")
    out.insert(12, "")
    out.insert(20, json.dumps({"id": "no-field"}))
    out.insert(30, json.dumps([1, 2, 3]))
    return out


@pytest.fixture()
def jsonl_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(_records(60)) + "\n", encoding="utf-8")
    return path


def _run(argv, capsys=None):
    status = cli.main([str(a) for a in argv])
    return status


def test_jobs_output_is_byte_identical_to_one_process(tmp_path, jsonl_file, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_RECORDS", 4)  # many chunks, so the pool really runs
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    assert _run(["--jsonl", "--text-field", "raw", "--jobs", "1", "-o", one, jsonl_file]) == 0
    assert _run(["--jsonl", "--text-field", "raw", "--jobs", "2", "-o", many, jsonl_file]) == 0
    assert one.read_bytes() == many.read_bytes()
    lines = one.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(jsonl_file.read_text(encoding="utf-8").splitlines())
    errors = [json.loads(line) for line in lines if "error" in json.loads(line)]
    assert [e.get("line") for e in errors if "line" in e] == [8, 13, 31]  # numbering survives chunking


def test_jobs_with_explain_and_several_files_is_identical(tmp_path, jsonl_file, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_RECORDS", 3)
    second = tmp_path / "second.jsonl"
    second.write_text("\n".join(_records(9)) + "\n", encoding="utf-8")
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    base = ["--jsonl", "--text-field", "raw", "--explain", "--favor", "precision"]
    assert _run([*base, "--jobs", "1", "-o", one, jsonl_file, second]) == 0
    assert _run([*base, "--jobs", "2", "-o", many, jsonl_file, second]) == 0
    assert one.read_bytes() == many.read_bytes()


def test_jobs_for_text_files_is_identical(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_TEXTS", 0)  # use the pool even for the small seeds
    one, many = tmp_path / "one.json", tmp_path / "many.json"
    assert _run(["--format", "json", "--jobs", "1", "-o", one, *SEEDS]) == 0
    assert _run(["--format", "json", "--jobs", "2", "-o", many, *SEEDS]) == 0
    assert one.read_bytes() == many.read_bytes()


def test_chunks_are_bounded_and_numbered():
    lines = [b"x" * 10 + b"\n"] * 150 + [b"y" * (parallel.CHUNK_BYTES + 5) + b"\n"] + [b"z\n"] * 3
    chunks = list(parallel.chunk_lines(lines, start=1))
    assert sum(len(c) for _, c in chunks) == len(lines)
    assert all(len(c) <= parallel.CHUNK_RECORDS for _, c in chunks)
    starts = [s for s, _ in chunks]
    assert starts[0] == 1 and all(b - a == len(c) for (a, c), b in zip(chunks, starts[1:]))
    big = [c for _, c in chunks if any(len(x) > parallel.CHUNK_BYTES for x in c)]
    assert len(big) == 1 and len(big[0]) <= 1 + (parallel.CHUNK_RECORDS - 1)


def test_in_flight_work_is_bounded():
    pulled = []

    def source():
        for k in range(100):
            pulled.append(k)
            yield k

    pool = parallel.WorkerPool(parallel.EngineSpec(None, (), "balanced", False), jobs=2)
    try:
        results = pool.ordered(abs, source(), on_lost=lambda t: None)
        first = next(results)
        assert first == 0
        # After one result, at most limit + 1 tasks have been pulled from the source.
        assert len(pulled) <= parallel.IN_FLIGHT_PER_JOB * 2 + 1
        assert list(results) == list(range(1, 100))
    finally:
        pool.close()


def _die_on_three(k):
    if k == 3:
        os._exit(1)  # the worker process dies abruptly
    return k * 10


def test_a_dying_worker_loses_no_task():
    pool = parallel.WorkerPool(parallel.EngineSpec(None, (), "balanced", False), jobs=2)
    try:
        out = list(pool.ordered(_die_on_three, range(8), on_lost=lambda k: ("lost", k)))
    finally:
        pool.close()
    assert out == [0, 10, 20, ("lost", 3), 40, 50, 60, 70]


class _RefusingExecutor:
    """Runs each task at once; its ``refuse``-th submit raises BrokenProcessPool, as a real pool
    does once a worker has died while earlier results were being collected."""

    def __init__(self, refuse: int | None):
        self.calls = 0
        self.refuse = refuse

    def submit(self, fn, task):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        self.calls += 1
        if self.calls == self.refuse:
            raise BrokenProcessPool("a child process terminated abruptly")
        future = Future()
        future.set_result(fn(task))
        return future

    def shutdown(self, **_):
        pass


def test_a_task_a_broken_pool_refuses_is_retried_in_its_turn():
    pool = parallel.WorkerPool(parallel.EngineSpec(None, (), "balanced", False), jobs=1)
    executors = iter([_RefusingExecutor(3), _RefusingExecutor(None)])

    def fake_pool():
        if pool._executor is None:
            pool._executor = next(executors)
        return pool._executor

    pool._pool = fake_pool
    out = list(pool.ordered(lambda k: k * 10, range(12), on_lost=lambda k: ("lost", k)))
    assert out == [k * 10 for k in range(12)]  # no error escapes, nothing lost, order kept


def test_lost_chunk_gives_one_error_line_per_record():
    task = parallel.JsonlTask(10, (b"{}\n", b"{}\n"), "text", False, False, False)
    done = parallel._lost_jsonl(task)
    assert [json.loads(line)["line"] for line in done.data.splitlines()] == [10, 11]
    assert done.stats.failed == 2


def test_stats_summary_on_stderr(tmp_path, jsonl_file, capsys):
    out = tmp_path / "out.jsonl"
    assert _run(["--jsonl", "--text-field", "raw", "--stats", "--jobs", "1", "-o", out, jsonl_file]) == 0
    err = capsys.readouterr().err
    assert "document(s)" in err and "MB/s" in err and "documents/s" in err
    assert "D001" in err or "U001" in err or "A001" in err  # at least one rule removed something
    assert "\r" not in err  # no progress meter when standard error is not a terminal


def test_stats_counts_what_rules_removed():
    stats = parallel.RunStats()
    result = cli.make_engine(None, [], "balanced", False).clean("Share this article\nThe meeting took place on Monday.")
    stats.add(result)
    assert stats.documents == 1 and stats.articles == 1
    assert stats.rules["U001"][1:] == [1, 1, len("Share this article")]
    merged = parallel.RunStats()
    merged.merge(stats)
    merged.merge(stats)
    assert merged.rules["U001"][1:] == [2, 2, 2 * len("Share this article")]


def test_progress_meter_only_on_a_terminal():
    buf = io.StringIO()
    stats = parallel.RunStats(documents=3, input_bytes=2_000_000)
    parallel.Progress(buf).update(stats, force=True)  # StringIO is not a terminal
    assert buf.getvalue() == ""
    meter = parallel.Progress(buf, enabled=True)
    meter.update(stats, force=True)
    meter.close(stats)
    text = buf.getvalue()
    assert text.startswith("\r") and "docs/s" in text and "MB/s" in text and text.endswith("\n")


def test_bad_jobs_value_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--jobs", "-2"])
    assert exc.value.code == 2


# -- compressed inputs ------------------------------------------------------------------------


def test_gzip_inputs_read_as_streams(tmp_path, jsonl_file, capsys):
    gz = tmp_path / "in.jsonl.gz"
    gz.write_bytes(gzip.compress(jsonl_file.read_bytes()))
    plain, packed = tmp_path / "plain.jsonl", tmp_path / "packed.jsonl"
    assert _run(["--jsonl", "--text-field", "raw", "--jobs", "1", "-o", plain, jsonl_file]) == 0
    assert _run(["--jsonl", "--text-field", "raw", "--jobs", "1", "-o", packed, gz]) == 0
    assert plain.read_bytes() == packed.read_bytes()
    seed_gz = tmp_path / "seed.txt.gz"
    seed_gz.write_bytes(gzip.compress(SEEDS[0].read_bytes()))
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    assert _run(["-o", a, SEEDS[0]]) == 0 and _run(["-o", b, seed_gz]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_zstd_inputs_read_as_streams(tmp_path, jsonl_file):
    zstandard = pytest.importorskip("zstandard", reason="the zstd extra is not installed")
    zst = tmp_path / "in.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(jsonl_file.read_bytes()))
    plain, packed = tmp_path / "plain.jsonl", tmp_path / "packed.jsonl"
    assert _run(["--jsonl", "--text-field", "raw", "--jobs", "1", "-o", plain, jsonl_file]) == 0
    assert _run(["--jsonl", "--text-field", "raw", "--jobs", "1", "-o", packed, zst]) == 0
    assert plain.read_bytes() == packed.read_bytes()


def test_missing_zstandard_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_zstd(name, *args, **kwargs):
        if name == "zstandard":
            raise ImportError("no zstandard here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zstd)
    path = tmp_path / "in.txt.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    assert cli.main([str(path)]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert "zstandard" in err and "pip install" in err and "Traceback" not in err


def test_corrupt_gzip_is_one_line_and_exit_3(tmp_path, capsys):
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "hello world"}\n' * 50)[:40])
    assert cli.main(["--jsonl", str(path)]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert "cannot read" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_plain_bytes_are_never_taken_for_compressed():
    assert read_all(io.BytesIO(b"plain text\n")) == b"plain text\n"
    assert list(iter_lines(io.BytesIO(b"a\nb\n"))) == [b"a\n", b"b\n"]
    with pytest.raises(StreamError):
        list(iter_lines(io.BytesIO(gzip.compress(b"a\n" * 100)[:-12])))


def test_atomic_gzip_output_is_deterministic(tmp_path):
    paths = [tmp_path / "a.gz", tmp_path / "b.gz"]
    for path in paths:
        sink = AtomicFile(str(path), "gzip")
        sink.fh.write("héllo\n")
        sink.commit()
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert gzip.decompress(paths[0].read_bytes()) == "héllo\n".encode()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clean-")]


# -- directories ------------------------------------------------------------------------------


def test_input_dir_mirrors_files_atomically(tmp_path, jsonl_file, monkeypatch, capsys):
    monkeypatch.setattr(parallel, "CHUNK_RECORDS", 5)
    src, dst = tmp_path / "src", tmp_path / "dst"
    (src / "sub").mkdir(parents=True)
    data = jsonl_file.read_bytes()
    (src / "a.jsonl").write_bytes(data)
    (src / "sub" / "b.jsonl.gz").write_bytes(gzip.compress(data[: len(data) // 2].rsplit(b"\n", 1)[0] + b"\n"))
    (src / "empty.jsonl").write_bytes(b"")
    (src / ".hidden").write_bytes(b"{}")
    (src / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08garbage")
    status = cli.main(["--jsonl", "--text-field", "raw", "--jobs", "2", "--input-dir", str(src), "--output-dir", str(dst)])
    assert status == cli.EXIT_INPUT  # one file could not be read; the others are done
    assert "broken.jsonl.gz" in capsys.readouterr().err
    names = sorted(str(p.relative_to(dst)) for p in dst.rglob("*") if p.is_file())
    assert names == ["a.jsonl", "empty.jsonl", os.path.join("sub", "b.jsonl.gz")]
    single = tmp_path / "single.jsonl"
    assert cli.main(["--jsonl", "--text-field", "raw", "--jobs", "1", "-o", str(single), str(src / "a.jsonl")]) == 0
    assert (dst / "a.jsonl").read_bytes() == single.read_bytes()
    b_out = gzip.decompress((dst / "sub" / "b.jsonl.gz").read_bytes()).decode()
    assert len(b_out.splitlines()) == len(gzip.decompress((src / "sub" / "b.jsonl.gz").read_bytes()).splitlines())
    assert (dst / "empty.jsonl").read_bytes() == b""


def test_input_dir_of_text_dumps(tmp_path, capsys):
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    for seed in SEEDS:
        (src / seed.name).write_bytes(seed.read_bytes())
    assert cli.main(["--jobs", "2", "--input-dir", str(src), "--output-dir", str(dst)]) == 0
    for seed in SEEDS:
        single = tmp_path / "single.txt"
        assert cli.main(["-o", str(single), str(seed)]) == 0
        assert (dst / seed.name).read_bytes() == single.read_bytes()


@pytest.mark.parametrize(
    "extra",
    [
        ["--output-dir", "OUT"],  # without --input-dir
        ["--input-dir", "SRC"],  # without --output-dir
        ["--input-dir", "SRC", "--output-dir", "SRC"],  # outputs would replace inputs
    ],
)
def test_directory_arguments_are_checked(tmp_path, extra, capsys):
    (tmp_path / "SRC").mkdir()
    argv = [str(tmp_path / a) if a in ("SRC", "OUT") else a for a in extra]
    assert cli.main(argv) == cli.EXIT_USAGE
    assert "Traceback" not in capsys.readouterr().err


def test_threads_sharing_one_engine_from_a_fresh_process_agree_with_one_thread(tmp_path):
    """The C accelerator's tables (stop words, literal plans, langdetect's profiles) are built
    lazily and process-wide: threads reaching them first at once, with the interpreter switching
    threads as often as it can, must give the results of one thread (a fresh process, so that
    nothing is built before the threads start)."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from cleaner.api import make_engine\n"
        "sys.setswitchinterval(1e-6)\n"
        "texts = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "engine = make_engine(language=True)\n"
        "run = lambda t: json.dumps(engine.clean(t).to_dict(explain=True), sort_keys=True)\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    together = list(pool.map(run, texts))\n"
        "print(len(texts), together == [run(t) for t in texts])\n"
    )
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] * 4
    texts += [json.loads(r)["raw"] for r in _records(40) if '"raw"' in r]
    path = tmp_path / "texts.json"
    path.write_text(json.dumps(texts), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == [str(len(texts)), "True"]
