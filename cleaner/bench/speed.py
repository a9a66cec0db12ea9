"""``python -m cleaner.bench speed``: throughput, linearity and memory of the cleaner and its peers.

Input: the ``raw`` dumps of the dev sets (scrapinghub-dev.jsonl and trafilatura-dev.jsonl in
the bench folder: ``--bench-dir``, else ``$CLEANER_BENCH_DIR``, else ``../shared/bench``).
One run prints:

* MB of input per CPU-second and per wall-second, and documents per second, for the cleaner in
  this process on one core (with and without language detection, each the median of
  ``--repeat`` passes, the two in turns; and, without, on the smallest and on the largest
  quarter of the dumps), end to end through ``clean --jsonl`` in a subprocess
  (``--jobs 1``, with ``--language``, and all cores; each the median of ``--repeat`` runs), and
  for the peers when they are installed (datatrove's C4 line filter, jusText and trafilatura on
  the text);
* linearity: the CPU time of 1× and 6× the corpus (in process and end to end), and of one
  document made of many dumps against one six times its size (cost per document must be
  O(N)); each of these passes is the median of ``--repeat`` runs (3), the 1× and 6× runs in
  turns, since a single pass of a few CPU seconds moves by ±20 % on a loaded machine and so did
  the ratio (the best of the runs favoured the short passes);
* peak memory (``ru_maxrss`` of the ``clean --jsonl`` subprocesses, workers included) at 1×
  and 6×: streaming keeps it flat;
* start-up: the CPU time of ``clean page.txt`` in a new process for one page (the dump of
  median size), with the start-up caches of cleaner/patterns.py read, written (the first run of
  an installation) and off;
* optionally (``--profile N``) the top N functions of a cProfile of the in-process run.

CPU time is the figure to compare on a shared machine: wall time includes whatever else runs.
Exit status: 0 done; 2 benchmark data not found or bad arguments.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

SCALE = 6  # the linearity check runs the corpus this many times over


@dataclass
class Figure:
    name: str
    documents: int
    mbytes: float  # MB of input (UTF-8)
    cpu: float  # CPU seconds (user + system, children included for subprocesses)
    wall: float
    peak_rss_mb: float | None = None
    note: str = ""

    @property
    def mb_per_cpu_s(self) -> float:
        return self.mbytes / self.cpu if self.cpu > 0 else float("inf")

    @property
    def mb_per_wall_s(self) -> float:
        return self.mbytes / self.wall if self.wall > 0 else float("inf")

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall if self.wall > 0 else float("inf")

    def row(self) -> str:
        rss = f"{self.peak_rss_mb:8.0f}" if self.peak_rss_mb is not None else f"{'':8}"
        return (
            f"{self.name:<44} {self.mb_per_cpu_s:9.2f} {self.mb_per_wall_s:9.2f} {self.docs_per_s:9.1f} "
            f"{self.cpu:8.2f} {self.wall:8.2f} {rss}  {self.note}"
        )


HEADER = (
    f"{'system':<44} {'MB/cpu-s':>9} {'MB/wall-s':>9} {'docs/s':>9} {'cpu s':>8} {'wall s':>8} {'rss MB':>8}"
)


def load_dumps(bench_dir: Path) -> list[str]:
    from cleaner.bench.data import SET_NAMES, load_set

    dumps: list[str] = []
    for set_name in SET_NAMES:
        try:
            dumps.extend(page.raw for page in load_set(bench_dir, set_name))
        except Exception as exc:  # a missing set: the others still count
            from cleaner.bench.data import BenchDataError

            if not isinstance(exc, BenchDataError):
                raise
    return dumps


def _mb(texts: Sequence[str]) -> float:
    return sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6


def time_in_process(name: str, fn: Callable[[str], Any], dumps: Sequence[str], note: str = "",
                    warm: bool = True) -> Figure:
    if warm:
        fn(dumps[0])  # warm up: imports, engine, caches
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for dump in dumps:
        fn(dump)
    return Figure(name, len(dumps), _mb(dumps), time.process_time() - cpu0, time.perf_counter() - wall0, note=note)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_clean(name: str, args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """``clean`` with ``args`` in a subprocess: (CPU s of it and its workers, wall s, peak RSS in MB).
    A fresh interpreter per run, so ru_maxrss (the max over reaped descendants) is this run's."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.call(sys.argv[1:])\n"
        "wall = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(rc, wall, u.ru_utime + u.ru_stime, u.ru_maxrss)\n"
    )
    argv = [sys.executable, "-c", code, sys.executable, "-m", "cleaner.cli", *args]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    try:
        rc, wall, cpu, maxrss = proc.stdout.split()
    except ValueError:
        raise RuntimeError(f"{name}: the subprocess failed: {proc.stderr.strip()[-500:]}") from None
    if int(rc) != 0:
        raise RuntimeError(f"{name}: clean exited {rc}: {proc.stderr.strip()[-500:]}")
    return float(cpu), float(wall), int(maxrss) / 1024


def run_clean_jsonl(name: str, path: Path, documents: int, mbytes: float, jobs: int, extra: Sequence[str] = ()) -> Figure:
    """``clean --jsonl`` end to end in a subprocess; CPU and peak memory of it and its workers."""
    out = path.with_suffix(".out")
    cpu, wall, rss = _run_clean(name, ["--jsonl", "--text-field", "raw", "--jobs", str(jobs), "-o", str(out), *extra,
                                       str(path)])  # fmt: skip
    out.unlink(missing_ok=True)
    return Figure(name, documents, mbytes, cpu, wall, peak_rss_mb=rss)


def start_up(page: Path, folder: Path, repeat: int) -> dict[str, float]:
    """CPU seconds of ``clean page.txt`` (text input: language detection on, the default), the
    median of ``repeat`` runs each: without the start-up caches (``CLEANER_PATTERN_CACHE=0``), on
    the first run of an installation (an empty cache directory each time: it computes and writes
    them), and on later runs (reading them)."""
    out = page.with_suffix(".out")

    def cpu(cache: str) -> float:
        env = {**os.environ, "CLEANER_PATTERN_CACHE": cache}
        return _run_clean("clean page.txt", ["-o", str(out), str(page)], env)[0]

    times: dict[str, list[float]] = {"off": [], "first": [], "later": []}
    for k in range(repeat):
        cache = folder / f"start-up-cache-{k}"
        times["off"].append(cpu("0"))
        times["first"].append(cpu(str(cache)))
        times["later"].append(cpu(str(cache)))
    out.unlink(missing_ok=True)
    return {key: _median(values, float) for key, values in times.items()}


def _median(items: Sequence[Any], key: Callable[[Any], float] = lambda f: f.cpu) -> Any:
    """The item of median ``key`` (the lower middle one of an even number): by default, the pass
    of median CPU time."""
    return sorted(items, key=key)[(len(items) - 1) // 2]


def _alternating(small: Callable[[], Figure], large: Callable[[], Figure], repeat: int) -> tuple[Figure, Figure]:
    """The median pass of ``repeat`` runs of each, run in turns: small, large, small, ...

    Not the best: on a machine whose speed moves by +-20 % from second to second, the best of a
    few 1-second passes catches a fast moment while a 6-second pass averages over several, and
    the ratio of the two read 7-8x for work whose instruction count is 6.0x."""
    pairs = [(small(), large()) for _ in range(repeat)]
    return _median([a for a, _ in pairs]), _median([b for _, b in pairs])


def write_jsonl(path: Path, dumps: Sequence[str], times: int = 1) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for copy in range(times):
            for k, dump in enumerate(dumps):
                fh.write(json.dumps({"id": f"{copy}-{k}", "raw": dump}, ensure_ascii=False) + "\n")


def peers() -> list[tuple[str, Callable[[str], Any] | None, str]]:
    from cleaner.bench import peers as p

    out: list[tuple[str, Callable[[str], Any] | None, str]] = []
    for name, build in (
        ("C4 line filter (datatrove C4QualityFilter)", p.c4_line_filter),
        ("C4 filter, datatrove defaults (spacy sentences)", p.c4_default_filter),
        ("jusText (lines as <p>, English stoplist)", lambda: p.justext_lines(p.DEFAULT_STOPLIST)),
        ("trafilatura on text (lines as <p>)", p.trafilatura_lines),
    ):
        try:
            out.append((name, build(), ""))
        except p.PeerUnavailable as exc:
            out.append((name, None, str(exc)))
    return out


def profile_top(dumps: Sequence[str], top: int) -> str:
    from cleaner.api import make_engine

    engine = make_engine(language=False)
    engine.clean(dumps[0])
    profiler = cProfile.Profile()
    profiler.enable()
    for dump in dumps:
        engine.clean(dump)
    profiler.disable()
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    start = text.find("   ncalls")
    return text[start:] if start >= 0 else text


def rule_times(dumps: Sequence[str]) -> list[tuple[str, str, float]]:
    """CPU seconds spent in each rule's ``check`` (and in preparing and assembling) over ``dumps``."""
    from cleaner.api import make_engine
    from cleaner.engine import Engine, assemble
    from cleaner.rules.base import Removals
    from cleaner.textio import prepare

    base = make_engine(language=False)
    spent: dict[str, float] = {}
    names: dict[str, str] = {}

    class Timed:
        def __init__(self, rule: Any) -> None:
            self.rule = rule

        def __getattr__(self, name: str) -> Any:
            return getattr(self.rule, name)

        def check(self, doc: Any) -> Any:
            t = time.process_time()
            found = self.rule.check(doc)
            if type(found) is not Removals:  # a batch is already a list, applied by the engine as one
                found = list(found)
            spent[self.rule.code] = spent.get(self.rule.code, 0.0) + time.process_time() - t
            names[self.rule.code] = self.rule.name
            return found

    engine = Engine([Timed(r) for r in base.rules], base.options)  # type: ignore[misc]
    for dump in dumps:
        t = time.process_time()
        prepared = prepare(dump)
        spent["prepare"] = spent.get("prepare", 0.0) + time.process_time() - t
        decisions, _ = engine.decide(prepared)
        t = time.process_time()
        assemble(prepared, decisions)
        spent["assemble"] = spent.get("assemble", 0.0) + time.process_time() - t
    names.update(prepare="(text normalisation, lines)", assemble="(articles from decisions)")
    return sorted(((code, names[code], secs) for code, secs in spent.items()), key=lambda row: -row[2])


#: The smallest document of the one-document linearity run (characters).
_ONE_DOCUMENT_MIN = 500_000


def _concatenated(dumps: Sequence[str], target_chars: int) -> str:
    parts: list[str] = []
    size = 0
    k = 0
    while size < target_chars:
        parts.append(dumps[k % len(dumps)] if k < len(dumps) else f"Copy {k}.\n" + dumps[k % len(dumps)])
        size += len(parts[-1]) + 1
        k += 1
    return "\n".join(parts)


def run(args: argparse.Namespace, out: Any = None) -> dict[str, Any]:
    from cleaner.api import make_engine
    from cleaner.bench.data import find_bench_dir
    from cleaner.parallel import default_jobs

    out = out or sys.stdout
    bench_dir = find_bench_dir(args.bench_dir)
    dumps = load_dumps(bench_dir)
    if args.limit:
        dumps = dumps[: args.limit]
    if not dumps:
        raise ValueError(f"no dumps found in {bench_dir}")
    jobs = args.jobs or default_jobs()
    mbytes = _mb(dumps)
    print(f"bench: {bench_dir}: {len(dumps)} dumps, {mbytes:.2f} MB; {os.cpu_count()} CPU(s), jobs {jobs}", file=out)
    print("MB/cpu-s: MB of input per CPU-second (user+system, worker processes included)\n", file=out)
    print(HEADER, file=out)
    figures: dict[str, Figure] = {}

    def show(key: str, fig: Figure) -> Figure:
        figures[key] = fig
        print(fig.row(), file=out)
        out.flush()
        return fig

    # The in-process rows are each the median of ``repeat`` passes, with and without language
    # detection in turns: a single pass moves by +-20 % here, and the first one of a process
    # (which grows its heap) read up to 25 % slower than the next.
    repeat = max(1, args.repeat)
    engine = make_engine(language=False)
    note = f"no language detection; median of {repeat}"

    def plain() -> Figure:
        return time_in_process("cleaner, 1 core, in process", engine.clean, dumps, note)

    if args.quick:
        base = show("cleaner", _median([plain() for _ in range(repeat)]))
    else:
        with_lang = make_engine(language=True)
        base, lang = _alternating(plain, lambda: time_in_process("cleaner, 1 core, in process, + language",
                                                                 with_lang.clean, dumps, f"median of {repeat}"), repeat)
        show("cleaner", base)
        show("cleaner+language", lang)
    # Short and long documents: what a document costs is not its length alone (each rule's first
    # steps; a line's cost to the model, whatever its length: the smallest dumps are mostly short
    # lines of menus and lists), which the corpus's MB/s hides; web corpora hold many short ones.
    by_size = sorted(dumps, key=len)
    quarter = max(1, len(by_size) // 4)
    for key, part, which in (("cleaner-smallest", by_size[:quarter], "smallest"),
                             ("cleaner-largest", by_size[-quarter:], "largest")):  # fmt: skip
        kb = len(part[len(part) // 2].encode("utf-8", "surrogatepass")) / 1e3
        show(key, _median([time_in_process(f"cleaner, in process, {which} quarter", engine.clean, part,
                                           f"dumps of median {kb:.1f} kB; median of {repeat}")
                           for _ in range(repeat)]))  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        one = Path(tmp) / "corpus-1x.jsonl"
        write_jsonl(one, dumps)
        # Start-up: one page (the dump of median size) cleaned by a new process, as `clean < page.txt`.
        page = Path(tmp) / "page.txt"
        page.write_text(sorted(dumps, key=len)[len(dumps) // 2], encoding="utf-8")
        startup = start_up(page, Path(tmp), repeat)
        print(f"{'clean page.txt (start-up, one page)':<44} CPU s: {startup['later']:.3f} "
              f"(first run of an installation {startup['first']:.3f}; start-up caches off {startup['off']:.3f}); "
              f"median of {repeat}", file=out)  # fmt: skip
        def said_median(fig: Figure) -> Figure:
            fig.note = f"median of {repeat}"
            return fig

        def end_to_end(name: str, jobs_n: int, extra: Sequence[str] = ()) -> Figure:
            # the median of ``repeat`` runs, as the rows above: one run read 0.65 CPU s where the
            # same command's median read 0.54
            return said_median(_median([run_clean_jsonl(name, one, len(dumps), mbytes, jobs_n, extra)
                                        for _ in range(repeat)]))  # fmt: skip

        # The --jobs 1 row is the 1x side of the end-to-end linearity pass (below): the median of
        # ``repeat`` runs, in turns with the SCALEx corpus, measured once for both.
        scaled = list(dumps) * args.scale
        many = Path(tmp) / f"corpus-{args.scale}x.jsonl"
        write_jsonl(many, dumps, args.scale)
        e2e_1, e2e_n = _alternating(
            lambda: run_clean_jsonl("clean --jsonl --jobs 1 (end to end)", one, len(dumps), mbytes, 1),
            lambda: run_clean_jsonl(f"clean --jsonl --jobs 1, {args.scale}x corpus", many, len(scaled),
                                    mbytes * args.scale, 1),
            repeat,
        )
        show("clean-jsonl-j1", said_median(e2e_1))
        figures[f"clean-jsonl-j1-{args.scale}x"] = e2e_n
        if not args.quick:  # the profiles' loading included, once per process
            show("clean-jsonl-j1+language", end_to_end("clean --jsonl --jobs 1 --language", 1, ["--language"]))
        if jobs > 1:
            show("clean-jsonl-jN", end_to_end(f"clean --jsonl --jobs {jobs} (end to end)", jobs))
        c4: dict[str, Figure] = {}
        if not args.no_peers:
            for name, fn, why in peers():
                if fn is None:
                    print(f"{name:<44} unavailable: {why}", file=out)
                    continue
                fig = show(name, time_in_process(name, fn, dumps))
                if name.startswith("C4"):
                    c4[name.split(" (")[0]] = fig
        print(file=out)
        for label, fig in c4.items():
            print(f"cleaner / {label} (MB per CPU-second): in process {base.mb_per_cpu_s / fig.mb_per_cpu_s:.1f}x, "
                  f"end to end {e2e_1.mb_per_cpu_s / fig.mb_per_cpu_s:.1f}x", file=out)  # fmt: skip

        # Linearity: the corpus SCALE times over, in process and end to end; memory at both sizes.
        # Every pass of the ratios is the median of ``repeat``: a single pass moves by +-20 % on a
        # loaded machine, and so did the ratios. The 1x and the SCALEx passes alternate (1x,
        # SCALEx, 1x, SCALEx, ...), so that a machine that changes speed during the run (a
        # virtual machine does) slows both sides of a ratio alike; the in-process rows above, timed
        # minutes earlier, are not among them (the end-to-end --jobs 1 row is: measured above).
        base_1x, big = _alternating(
            lambda: time_in_process(base.name, engine.clean, dumps),
            lambda: time_in_process(f"cleaner in process, {args.scale}x corpus", engine.clean, scaled),
            repeat,
        )
        figures[f"cleaner-{args.scale}x"] = big
        # One document made of many dumps, and one SCALE times its size: cost per document is O(N).
        # Both past the size (~0.4 MB of concatenated pages) from which the main-content rule keeps
        # one page's article and the over-deletion guard undoes it: the two take the same path
        # (a 0.2 MB document below it and a 1.3 MB one above it compared two different paths).
        small_doc = _concatenated(dumps, max(_ONE_DOCUMENT_MIN, int(mbytes * 1e6) // (4 * args.scale)))
        large_doc = _concatenated(dumps, len(small_doc) * args.scale)
        guard: dict[int, str] = {}  # document size -> whether the over-deletion guard acted, noted while timed

        def clean_noting_guard(doc: str) -> None:
            flags = engine.clean(doc).flags
            guard[len(doc)] = "acts" if any(f.startswith("over-deletion guard") for f in flags) else "idle"

        # One clean of each per pass, not warmed up on the same document: a document cleaned right
        # after itself finds its whole working set in the CPU caches when it is small enough (the
        # 0.5 MB one is, the 3 MB one is not), which a stream of different documents never does;
        # that read 8-12x for work whose instruction count is 6.1x. The engine is warm by now.
        t_small, t_large = _alternating(
            lambda: time_in_process("one document", clean_noting_guard, [small_doc], warm=False),
            lambda: time_in_process("one document, scaled", clean_noting_guard, [large_doc], warm=False),
            repeat,
        )
    ratios = {
        "in_process": big.cpu / base_1x.cpu,
        "end_to_end": e2e_n.cpu / e2e_1.cpu,
        "one_document": (t_large.cpu / t_small.cpu) / (len(large_doc) / len(small_doc)) * args.scale,
    }
    print(f"linearity ({args.scale}x the input; {args.scale * 1.1:.1f} allowed; every pass the median of {repeat}, "
          f"1x and {args.scale}x in turns):", file=out)  # fmt: skip
    print(f"  in process  {base_1x.cpu:7.2f} -> {big.cpu:7.2f} CPU s: {ratios['in_process']:.2f}x", file=out)
    print(f"  end to end  {e2e_1.cpu:7.2f} -> {e2e_n.cpu:7.2f} CPU s: {ratios['end_to_end']:.2f}x "
          f"(fixed start-up cost included)", file=out)  # fmt: skip
    print(f"  one document of {len(small_doc) / 1e6:.2f} MB -> {len(large_doc) / 1e6:.2f} MB: "
          f"{t_small.cpu:.2f} -> {t_large.cpu:.2f} CPU s: {ratios['one_document']:.2f}x per {args.scale}x size "
          f"(over-deletion guard: {guard[len(small_doc)]} / {guard[len(large_doc)]})", file=out)  # fmt: skip
    print(f"peak memory of clean --jsonl --jobs 1: {e2e_1.peak_rss_mb:.0f} MB at 1x, {e2e_n.peak_rss_mb:.0f} MB at "
          f"{args.scale}x (streaming: flat)", file=out)  # fmt: skip
    if args.rules:
        rows = rule_times(dumps)
        total = sum(secs for _, _, secs in rows) or 1.0
        print("\nCPU time per rule (in process, rules' checks consuming their decisions eagerly):", file=out)
        for code, name, secs in rows:
            print(f"  {code:<9} {name:<28} {secs:7.2f} s  {100 * secs / total:5.1f}%", file=out)
    if args.profile:
        print(f"\nprofile of the in-process run (top {args.profile} by own time):", file=out)
        print(profile_top(dumps, args.profile), file=out)
    result = {
        "bench_dir": str(bench_dir),
        "documents": len(dumps),
        "mbytes": mbytes,
        "jobs": jobs,
        "figures": {k: {**asdict(v), "mb_per_cpu_s": v.mb_per_cpu_s, "mb_per_wall_s": v.mb_per_wall_s,
                        "docs_per_s": v.docs_per_s} for k, v in figures.items()},  # fmt: skip
        "linearity": ratios,
        "linearity_repeat": repeat,
        "start_up_cpu_s": startup,
        "one_document_cpu_s": {"small": t_small.cpu, "large": t_large.cpu},
    }
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_path}", file=out)
    return result


def add_parser(commands: Any, env_var: str) -> argparse.ArgumentParser:
    s = commands.add_parser(
        "speed",
        help="MB/s and documents/s of the cleaner and its peers, linearity, peak memory",
        description=__doc__.split("\n\n")[0],
    )
    s.add_argument("--bench-dir", metavar="PATH",
                   help=f"folder with the dev sets (default: ${env_var}, else ../shared/bench beside the repo or the cwd)")
    s.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes of the all-cores run (default: all cores)")
    s.add_argument("--scale", type=int, default=SCALE, metavar="K", help=f"the linearity run repeats the corpus K times ({SCALE})")
    s.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="each pass of the linearity ratios is the median of N runs (3)")
    s.add_argument("--limit", type=int, default=0, metavar="N", help="use only the first N dumps (0: all)")
    s.add_argument("--no-peers", action="store_true", help="skip the peers (C4, jusText, trafilatura)")
    s.add_argument("--quick", action="store_true", help="skip the run with language detection")
    s.add_argument("--rules", action="store_true", help="also print the CPU time spent in each rule")
    s.add_argument("--profile", type=int, default=0, metavar="N", help="also print the top N functions of a profile")
    s.add_argument("--json", dest="json_path", metavar="FILE", help="also write the figures as JSON")
    return s
