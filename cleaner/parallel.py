"""Cleaning many documents on all cores: ordered, bounded, and byte-identical to one process.

JSON Lines input is cut into chunks of records (at most :data:`CHUNK_RECORDS` records or
:data:`CHUNK_BYTES` bytes, whichever comes first; a larger record is a chunk of its own).
Worker processes clean the chunks and serialise the output lines; the parent writes them in
input order. At most ``2 × jobs`` chunks are in flight, so memory stays bounded by a few
chunks (or by the largest single document) however long the stream is. Files given on the
command line are cleaned one file per task. An input that fits in one chunk, or ``--jobs 1``,
is cleaned in the calling process: starting workers would cost more than it saves.

A worker process that dies (killed, out of memory) does not lose records: its chunks are
retried in a fresh pool, and a chunk that kills a worker twice gives an ``error`` output line
for each of its records.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from .document import Action, Result

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Future, ProcessPoolExecutor

# The records of this module are named tuples and a class with slots, not dataclasses: `clean`
# imports it at start-up, and making its five dataclasses (their methods compiled from source)
# took 2.4 ms of every process's CPU, a tenth of importing cleaner; a named tuple takes 0.1 ms.
#
# The process pool's module (multiprocessing and its queues: ~45 M instructions to import) is
# imported by the pool itself, when a run needs one: a run on one core never pays for it; nor
# for concurrent.futures (and the logging it imports: ~30 M), which the pool's methods import.

#: A chunk holds at most this many JSON Lines records ...
CHUNK_RECORDS = 64
#: ... or this many bytes of them (a larger record makes a chunk of its own).
CHUNK_BYTES = 256 * 1024
#: Chunks in flight per worker process.
IN_FLIGHT_PER_JOB = 2


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class EngineSpec(NamedTuple):
    """What a worker needs to build the same engine as the parent (picklable)."""

    enable: tuple[str, ...] | None
    disable: tuple[str, ...]
    favor: str
    language: bool
    max_bytes: int | None = 50_000_000  # the size guard (cleaner.rules.base.Options.max_bytes)
    html: str = "text"  # HTML input: "text" (never), "auto" (detected), "html" (always); see cleaner.html

    def build(self) -> Any:
        from .api import make_engine

        enable = list(self.enable) if self.enable else None
        engine = make_engine(enable, list(self.disable), self.favor, self.language, self.max_bytes)
        if self.html == "text":
            return engine
        from .html_input import HtmlAwareEngine

        return HtmlAwareEngine(engine, self.html, enable, list(self.disable), self.favor, self.language, self.max_bytes)


# -- statistics -------------------------------------------------------------------------------


class RunStats:
    """Counts over a run: documents, articles, failed records, input bytes, and per rule code
    the decisions, input lines and characters it took out of the body (removals, edits,
    moves to metadata and titles)."""

    __slots__ = ("documents", "articles", "failed", "input_bytes", "rules", "started")

    def __init__(self, documents: int = 0, articles: int = 0, failed: int = 0, input_bytes: int = 0) -> None:
        self.documents = documents
        self.articles = articles
        self.failed = failed
        self.input_bytes = input_bytes
        self.rules: dict[str, list[Any]] = {}  # code -> [name, decisions, lines, chars]
        self.started = time.perf_counter()

    def add(self, result: Result, with_rules: bool = True) -> None:
        self.documents += 1
        self.articles += len(result.articles)
        if not with_rules:
            return
        lines: dict[str, set[int]] = {}
        for d in result.decisions:
            if d.action is Action.SPLIT or d.action is Action.FLAG:
                continue
            row = self.rules.get(d.code)
            if row is None:
                row = self.rules[d.code] = [d.rule, 0, 0, 0]
            row[1] += 1
            if d.action is Action.EDIT:
                row[3] += max(0, len(d.text) - len(d.replacement or ""))
            else:
                row[3] += len(d.text)
                lines.setdefault(d.code, set()).add(d.line)
        for code, seen in lines.items():
            self.rules[code][2] += len(seen)

    def merge(self, other: "RunStats") -> None:
        self.documents += other.documents
        self.articles += other.articles
        self.failed += other.failed
        self.input_bytes += other.input_bytes
        for code, (name, decisions, lines, chars) in other.rules.items():
            row = self.rules.setdefault(code, [name, 0, 0, 0])
            row[1] += decisions
            row[2] += lines
            row[3] += chars

    def elapsed(self) -> float:
        return max(time.perf_counter() - self.started, 1e-9)

    def summary(self, jobs: int) -> str:
        seconds = self.elapsed()
        mb = self.input_bytes / 1e6
        out = [
            f"clean: {self.documents} document(s), {self.articles} article(s), {self.failed} failed record(s); "
            f"{mb:.2f} MB in {seconds:.2f} s on {jobs} process(es): {mb / seconds:.2f} MB/s, "
            f"{self.documents / seconds:.1f} documents/s",
        ]
        if self.rules:
            out.append(f"clean: {'code':<5} {'rule':<22} {'decisions':>9} {'lines':>8} {'chars':>10}")
            for code in sorted(self.rules):
                name, decisions, lines, chars = self.rules[code]
                out.append(f"clean: {code:<5} {name:<22} {decisions:>9} {lines:>8} {chars:>10}")
        return "\n".join(out) + "\n"


class Progress:
    """A one-line progress meter (documents, MB, documents/s, MB/s) rewritten with ``\\r``,
    shown only when standard error is a terminal."""

    def __init__(self, err: IO[str], enabled: bool | None = None, interval: float = 0.5) -> None:
        if enabled is None:
            try:
                enabled = err.isatty()
            except (AttributeError, ValueError):
                enabled = False
        self.err = err
        self.enabled = enabled
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def update(self, stats: RunStats, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        seconds = stats.elapsed()
        mb = stats.input_bytes / 1e6
        self.err.write(
            f"\rclean: {stats.documents} docs, {mb:.1f} MB, {stats.documents / seconds:.0f} docs/s, {mb / seconds:.2f} MB/s "
        )
        self.err.flush()
        self._shown = True

    def close(self, stats: RunStats) -> None:
        if self._shown:
            self.update(stats, force=True)
            self.err.write("\n")
            self.err.flush()


# -- worker side ------------------------------------------------------------------------------

_ENGINE: Any = None


def _init_worker(spec: EngineSpec) -> None:
    # Ctrl-C is the parent's business: it stops the pool; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _ENGINE
    _ENGINE = spec.build()


class JsonlTask(NamedTuple):
    start: int  # input line number of the first record
    lines: tuple[bytes, ...]
    field: str
    explain: bool
    keep_results: bool  # send the Result objects back (the explain report needs them)
    rule_stats: bool
    strict: bool = False  # a line that is not UTF-8 is an error record, not a warning


class JsonlDone(NamedTuple):
    #: the chunk's output lines, as UTF-8: a worker sends them to the parent as bytes, which the
    #: parent writes as they are (str would be encoded to be pickled, decoded, and encoded again)
    data: bytes
    stats: RunStats  # ``failed``: the records that got an error record
    results: list[tuple[int, dict, str, Result]] | None


def run_jsonl_task(task: JsonlTask, engine: Any = None) -> JsonlDone:
    from .cli import process_jsonl  # the one implementation of the JSON Lines record contract

    stats = RunStats(input_bytes=sum(map(len, task.lines)))
    kept: list[tuple[int, dict, str, Result]] | None = [] if task.keep_results else None

    def note(number: int, record: dict, text: str, result: Result) -> None:
        stats.add(result, task.rule_stats)
        if kept is not None:
            kept.append((number, record, text, result))

    outputs = list(
        process_jsonl(
            task.lines, engine or _ENGINE, task.field, task.explain, on_result=note, start=task.start, strict=task.strict
        )
    )
    stats.failed = sum(bad for _, bad in outputs)
    return JsonlDone(b"".join([line for line, _ in outputs]), stats, kept)


def _clean_text(text: str) -> Result:
    return _ENGINE.clean(text)


# -- parent side ------------------------------------------------------------------------------


_WARM_UP = "Warm-up\nA first line of text, and a second one.\n\nThe last line, which is a sentence."


class WorkerPool:
    """A lazily started process pool with ordered, bounded submission and recovery from
    workers that die."""

    def __init__(self, spec: EngineSpec, jobs: int) -> None:
        self.spec = spec
        self.jobs = jobs
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            from concurrent.futures import ProcessPoolExecutor

            # Build the engine and whatever its rules load lazily (models, stop-word tables) here,
            # once: forked workers inherit it instead of each building its own.
            # The warm-up text is page-shaped (lines without a blank line between them) so that the
            # main-content rule runs its model and loads its stop-word tables (~0.25 CPU s a
            # process) when it is enabled; an article-shaped text would skip it.
            self.spec.build().clean(_WARM_UP)
            self._executor = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(self.spec,))
        return self._executor

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def close(self, cancel: bool = False) -> None:
        if self._executor is not None:
            if cancel:
                for proc in list(getattr(self._executor, "_processes", {}).values()):
                    proc.terminate()
            self._executor.shutdown(wait=not cancel, cancel_futures=cancel)
            self._executor = None

    def ordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any], on_lost: Callable[[Any], Any]) -> Iterator[Any]:
        """``fn(task)`` for each task, in order, with at most ``IN_FLIGHT_PER_JOB × jobs`` tasks
        submitted ahead; a task whose worker dies twice gives ``on_lost(task)`` instead."""
        from concurrent.futures import BrokenExecutor  # (a broken process pool raises its subclass)

        limit = IN_FLIGHT_PER_JOB * self.jobs
        source = iter(tasks)
        pending: deque[tuple[Any, Any]] = deque()

        def fill() -> None:
            while len(pending) < limit:
                try:
                    task = next(source)
                except StopIteration:
                    return
                pending.append((task, self._submit(fn, task)))

        fill()
        while pending:
            task, future = pending.popleft()
            try:
                value = future.result()
            except BrokenExecutor:
                self._restart()
                value = self._retry(fn, task, on_lost)
                # Everything else in flight died with the pool: submit it again, in order.
                pending = deque((t, self._submit(fn, t)) for t, _ in pending)
            yield value
            fill()

    def _submit(self, fn: Callable[[Any], Any], task: Any) -> Future:
        """``fn(task)`` submitted to the pool. A worker that died while the tasks ahead were being
        collected breaks the pool, and ``submit`` then raises at once: the task gets a future
        holding that error instead, so it is retried in its turn like the tasks the pool took
        with it (on_lost only for a task that breaks a fresh pool twice)."""
        from concurrent.futures import BrokenExecutor, Future

        try:
            return self._pool().submit(fn, task)
        except BrokenExecutor as exc:
            broken: Future = Future()
            broken.set_exception(exc)
            return broken

    def _retry(self, fn: Callable[[Any], Any], task: Any, on_lost: Callable[[Any], Any]) -> Any:
        from concurrent.futures import BrokenExecutor

        try:
            return self._pool().submit(fn, task).result()
        except BrokenExecutor:
            self._restart()
            return on_lost(task)


def _lost_jsonl(task: JsonlTask) -> JsonlDone:
    import json

    outputs = [
        json.dumps({"line": task.start + k, "error": "internal error: the worker process cleaning this record died"}) + "\n"
        for k in range(len(task.lines))
    ]
    stats = RunStats(failed=len(outputs), input_bytes=sum(map(len, task.lines)))
    return JsonlDone("".join(outputs).encode("utf-8"), stats, [] if task.keep_results else None)


def chunk_lines(lines: Iterable[bytes], start: int = 1) -> Iterator[tuple[int, tuple[bytes, ...]]]:
    """(first line number, lines) chunks of at most CHUNK_RECORDS lines / CHUNK_BYTES bytes."""
    batch: list[bytes] = []
    size = 0
    first = start
    number = start
    for raw in lines:
        batch.append(raw)
        size += len(raw)
        number += 1
        if len(batch) >= CHUNK_RECORDS or size >= CHUNK_BYTES:
            yield first, tuple(batch)
            batch, size, first = [], 0, number
    if batch:
        yield first, tuple(batch)


class JsonlRun(NamedTuple):
    """Options of a JSON Lines run shared by all its sources."""

    field: str
    explain: bool
    jobs: int
    keep_results: bool = False
    rule_stats: bool = False
    strict: bool = False


def clean_jsonl(
    sources: Sequence[Callable[[], Iterable[bytes]]], run: JsonlRun, pool: WorkerPool | None, engine: Any
) -> Iterator[tuple[int, JsonlDone | None]]:
    """Clean JSON Lines sources in order. Yields ``(source index, done chunk)`` in input order,
    and ``(source index, None)`` once each source is finished (also for an empty one).

    The sources are opened lazily, one after the other; chunks of consecutive sources share
    the pool, so many small files keep every worker busy.
    """

    def tasks() -> Iterator[tuple[int, JsonlTask | None]]:
        for index, open_source in enumerate(sources):
            for start, lines in chunk_lines(open_source()):
                yield index, JsonlTask(start, lines, run.field, run.explain, run.keep_results, run.rule_stats, run.strict)
            yield index, None

    stream = tasks()
    if pool is None or run.jobs <= 1:
        for index, task in stream:
            yield index, (run_jsonl_task(task, engine) if task is not None else None)
        return
    # Tiny input: when everything fits in one chunk, do it here.
    head: list[tuple[int, JsonlTask | None]] = []
    for item in stream:
        head.append(item)
        if sum(1 for _, t in head if t is not None) >= 2:
            break
    else:
        for index, task in head:
            yield index, (run_jsonl_task(task, engine) if task is not None else None)
        return

    def replay() -> Iterator[tuple[int, JsonlTask | None]]:
        yield from head
        yield from stream

    for index, done in pool.ordered(_run_item, replay(), _lost_item):
        yield index, done


def _run_item(item: tuple[int, JsonlTask | None]) -> tuple[int, JsonlDone | None]:
    index, task = item
    return index, (run_jsonl_task(task) if task is not None else None)


def _lost_item(item: tuple[int, JsonlTask | None]) -> tuple[int, JsonlDone | None]:
    index, task = item
    return index, (_lost_jsonl(task) if task is not None else None)


#: Below this many input characters in all, files are cleaned in the calling process.
SMALL_TEXTS = 512 * 1024


def clean_texts(texts: Sequence[str], engine: Any, pool: WorkerPool | None) -> Iterator[Result | BaseException]:
    """The Result of each text, in order (one task per text). A text whose worker died twice
    gives the exception instead of a Result."""
    if pool is None or pool.jobs <= 1 or len(texts) < 2 or sum(map(len, texts)) < SMALL_TEXTS:
        for text in texts:
            yield engine.clean(text)
        return
    yield from pool.ordered(_clean_text, texts, lambda text: RuntimeError("the worker process cleaning this file died"))

