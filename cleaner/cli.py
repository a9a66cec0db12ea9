"""The ``clean`` command.

Exit status: 0 success; 2 bad arguments or unknown rule; 3 an input file cannot be read
(missing, unreadable, a directory); 4 input refused by ``--strict`` (not UTF-8, or a JSON Lines
record that could not be processed); 5 the output cannot be written; 70 internal error (a bug);
130 interrupted; 143 terminated. Every error is one line on standard error (docs/robustness.md).
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import signal
import sys
from typing import IO, Any, Iterable, Iterator, Sequence

from . import __version__
from .accel import c_function
from .api import make_engine
from .document import Result
from .output import format_text, json_text
from .rules.base import Options
from . import parallel
from .registry import RULES, UnknownRule, resolve
from .streams import READ_BUFFER, AtomicFile, StreamError, iter_lines, read_all, write_utf8
from .textio import InputError, decode, holds_surrogate

EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_STRICT, EXIT_INTERRUPTED = 0, 2, 3, 4, 130
EXIT_OUTPUT = 5  # the output (-o, --report) cannot be written
EXIT_TERMINATED = 143  # SIGTERM
EXIT_INTERNAL = 70  # a bug: reported in one line, never as a traceback (CLEAN_DEBUG=1 shows it)

EPILOG = """\
input:
  FILE arguments are read in order; '-' or no FILE reads standard input.
  Text that is not UTF-8 is decoded line by line as Windows-1252 with a warning
  on standard error (--strict refuses it instead). gzip and Zstandard inputs
  (.zst needs the zstd extra) are recognised by their first bytes and read as
  streams. --input-dir DIR --output-dir OUT cleans every file under DIR into
  the same relative name under OUT (atomically, compressed like the input).

throughput:
  --jobs N worker processes (default: all cores) clean --jsonl chunks and
  files; the output is the same bytes, in the same order, as with --jobs 1.
  --jsonl skips language detection unless --language is given. --stats sums up
  documents, MB/s and what each rule removed on standard error; a progress
  line shows only when standard error is a terminal. See docs/performance.md.

output formats:
  text   title line, blank line, paragraphs separated by blank lines; articles
         separated by a line holding a single form feed (\\f). Idempotent.
  json   {"articles": [{"title": ..., "text": ..., "byline": [...], ...}]}
         (one object per input file, one per line when several files are given)
  --jsonl  one output object per input line, input fields kept, "articles" added;
         a record that cannot be processed gets an "error" field instead.

HTML input:
  a document that is clearly an HTML page (it opens with markup and has a
  doctype, <html>, <head> or <body> tag early) is extracted with trafilatura
  first, then cleaned; --html forces this for every input (also each --jsonl
  record), --no-html-detect turns detection off. An HTML file is decoded by its
  byte-order mark, then the charset it declares (<meta charset>, http-equiv,
  XML declaration), then UTF-8, then Windows-1252 with a warning. --explain
  lists what the extraction dropped and put back (E codes) before the rules'
  decisions. See docs/html.md.

size guard:
  a document over --max-bytes (UTF-8 size; default 50000000, 0: no limit) is
  passed through uncleaned: every line kept, flagged "oversize" in JSON and
  --explain, with a warning on standard error. Never dropped.

exit status:
  0 success, 2 bad arguments or unknown rule, 3 unreadable input file (missing,
  permission denied, a directory, corrupt compressed data), 4 input refused
  under --strict (not UTF-8; with --jsonl, a record that failed), 5 output
  cannot be written, 70 internal error (a bug), 130 interrupted (Ctrl-C),
  143 terminated (SIGTERM). Errors are one line on standard error, never a
  traceback; an output file (-o) is only in place when the run succeeded.
"""


class CliError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    # argparse makes a help formatter at each add_argument (to check the metavar), and a formatter
    # made without a width imports shutil and asks the terminal for its size: a width given while
    # the arguments are added spares every run that prints no help (most of them) both; the help
    # is formatted for the terminal as before.
    p = argparse.ArgumentParser(
        prog="clean",
        description="Strip boilerplate and scraping noise from raw text dumps of articles.",
        epilog=EPILOG,
        formatter_class=functools.partial(argparse.RawDescriptionHelpFormatter, width=80),
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="input dumps (default: standard input)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--jsonl", action="store_true", help="input is JSON Lines: one raw dump per object")
    p.add_argument("--text-field", default="text", metavar="NAME", help="JSON Lines field holding the dump (default: text)")
    p.add_argument("--html", action="store_true",
                   help="input is HTML: extract the article with trafilatura, then clean it (see docs/html.md)")
    p.add_argument("--no-html-detect", action="store_true",
                   help="never treat input as HTML unless --html (default: a document that is clearly an "
                        "HTML page is extracted first)")
    p.add_argument("--explain", action="store_true", help="show every removal with its rule, reason and position")
    p.add_argument("--enable", "--select", dest="enable", default=None, metavar="RULES",
                   help="comma-separated rule codes, code prefixes or names to run (default: all)")
    p.add_argument("--disable", "--ignore", dest="disable", default="", metavar="RULES",
                   help="comma-separated rule codes, code prefixes or names to skip")
    p.add_argument("--list-rules", action="store_true", help="list the rules with their one-line summaries and exit")
    p.add_argument("--favor", choices=("precision", "balanced", "recall"), default="balanced",
                   help="trade precision (remove more) against recall (keep more) (default: balanced)")
    p.add_argument("--no-language", action="store_true", help="do not detect each article's language")
    p.add_argument("--language", action="store_true",
                   help="with --jsonl: detect each article's language too (off by default there, so records "
                        "gain no field unasked; it adds about a tenth to the CPU time, and loading langdetect's "
                        "table: 0.13 s once per installation, under 0.01 s a process after; see docs/performance.md)")
    p.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="worker processes for --jsonl and for many files (default: all cores; 1: no workers)")
    p.add_argument("--stats", action="store_true",
                   help="print documents, articles, MB/s and what each rule removed on standard error")
    p.add_argument("--input-dir", metavar="DIR",
                   help="clean every file under DIR (recursively; .gz/.zst read as streams) into --output-dir")
    p.add_argument("--output-dir", metavar="DIR",
                   help="with --input-dir: write each output to the same relative name here, atomically")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH atomically instead of standard output")
    p.add_argument("--report", metavar="PATH",
                   help="also write an HTML explain report to PATH (atomically; batches are sampled)")
    p.add_argument("--strict", action="store_true",
                   help="refuse input that is not UTF-8 and exit 4 when a JSON Lines record fails")
    p.add_argument("--max-bytes", type=_size, default=Options.max_bytes or 0, metavar="N",
                   help="pass documents over N bytes (UTF-8; suffixes K, M, G) through uncleaned, "
                        "flagged (default: 50M; 0: no limit)")
    p.add_argument("--version", action=_VersionAction, help="show the version and the C or Python backends, and exit")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    return p


class _VersionAction(argparse.Action):
    """``--version``: the version, which implementation computes M001's features (the C
    accelerator, or pure Python when it is not built or ``CLEANER_PURE_PYTHON=1``), which runs
    language detection (cleaner's C kernel of langdetect, or langdetect itself), and where the
    start-up caches are kept (cleaner/patterns.py; "off" with ``CLEANER_PATTERN_CACHE=0``)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option_string: str | None = None) -> None:
        from .content.features import BACKEND
        from .language import backend as language_backend
        from .patterns import cache_path

        backend = "C accelerator" if BACKEND == "C" else "pure Python"
        chosen = language_backend()  # loads the profiles and checks the kernel, as a run would
        language = "C kernel" if chosen is not None and chosen.kernel is not None else "langdetect"
        cache = cache_path()
        caches = "off" if cache is None else os.path.dirname(cache)
        sys.stdout.write(f"clean {__version__} (main-content features: {backend}; language detection: {language}; "
                         f"start-up caches: {caches})\n")
        parser.exit()


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return n


def _size(value: str) -> int:
    """A byte count for --max-bytes: digits with an optional K, M or G (powers of 1000)."""
    text = value.strip().upper().removesuffix("B")
    scale = {"K": 10**3, "M": 10**6, "G": 10**9}.get(text[-1:], 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (bytes, or a number with K, M or G)")
    return int(digits) * scale


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v.strip()]


def list_rules(out: IO[str]) -> None:
    for rule in RULES:
        out.write(f"{rule.code}  {rule.name:<22} {rule.summary}\n")


def read_input(path: str, strict: bool, html_mode: str = "text") -> tuple[str, list[str]]:
    """The text of one input file and the decoding's warnings. An HTML page (``html_mode``
    ``"html"``, or ``"auto"`` and the bytes are clearly a page) is decoded as a browser would
    (byte-order mark, declared charset, UTF-8: :func:`cleaner.html.decode_html`), other input
    by the text policy (:func:`cleaner.textio.decode`)."""
    name = path if path != "-" else "<stdin>"
    try:
        if path == "-":
            data = read_all(sys.stdin.buffer)  # gzip / zstd are recognised by their first bytes
        else:
            if os.path.isdir(path):
                raise CliError(f"clean: {path}: is a directory", EXIT_INPUT)
            with open(path, "rb") as fh:
                data = read_all(fh)
    except FileNotFoundError:
        raise CliError(f"clean: {path}: no such file", EXIT_INPUT) from None
    except PermissionError:
        raise CliError(f"clean: {path}: permission denied", EXIT_INPUT) from None
    except StreamError as exc:
        raise CliError(f"clean: {name}: cannot read ({exc})", EXIT_INPUT) from None
    except OSError as exc:
        raise CliError(f"clean: {name}: cannot read ({exc.strerror or exc})", EXIT_INPUT) from None
    try:
        if html_mode != "text":
            from .html_input import decode_input

            return decode_input(data, html_mode, strict)
        return decode(data, strict=strict)
    except InputError as exc:
        raise CliError(f"clean: {name}: {exc}", EXIT_STRICT) from None


def explain_lines(result: Result, source: str) -> Iterator[str]:
    # HTML pages: first what the extraction took out (E codes; not positioned in the text the
    # rules read, hence no line or offsets), then the rules' decisions on the extracted text.
    for d in getattr(result, "dropped", ()):
        text = d.text if len(d.text) <= 100 else d.text[:97] + "..."
        yield f"{source}: {d.code} {d.rule} {d.action.value}: {d.reason} | {text}\n"
    for d in result.decisions:
        if d.action.value == "split":
            yield f"{source}:{d.line}: {d.code} {d.rule} split: {d.reason}\n"
            continue
        text = d.text if len(d.text) <= 100 else d.text[:97] + "..."
        extra = f" -> {d.replacement!r}" if d.replacement is not None else ""
        extra += f" [{d.field}]" if d.field else ""
        yield f"{source}:{d.line}:{d.start}-{d.end}: {d.code} {d.rule} {d.action.value}{extra}: {d.reason} | {text}\n"
    for flag in result.flags:
        yield f"{source}: flag: {flag}\n"
    kept = sum(len(a.text) + len(a.title or "") for a in result.articles)
    yield f"{source}: {len(result.articles)} article(s), {len(result.removed)} decision(s), {kept} characters kept\n"


def _dumps(obj: Any) -> str:
    """One JSON output line. Lone surrogates (from "\\ud800" escapes in the input) cannot be
    written as UTF-8: such a record is written with ASCII escapes instead, still valid JSON."""
    text = json_text(obj)
    if holds_surrogate(text):
        text = json.dumps(obj)
    return text + "\n"


def _line(obj: Any) -> bytes:
    """:func:`_dumps` in UTF-8: an output line as it is written."""
    return _dumps(obj).encode("utf-8")


def _with_fields(raw: bytes, warnings: list[str], record: dict, added: dict) -> bytes:
    """The output line of a cleaned record: its input line's JSON object as written, byte for
    byte, with the fields of ``added`` after its own. The record's fields are not decoded and
    written again: their text stays the input's (escapes, spacing, numbers json would read as
    floats or infinities), and the raw text is not encoded a second time. The merged record is
    written anew instead when the line is not that object's UTF-8 text (it was decoded with a
    warning, or holds a byte-order mark or other non-ASCII space around it), or when it already
    has one of ``added``'s fields (then replaced in place, as ``dict.update`` does)."""
    body = raw.strip()
    if warnings or body[:1] != b"{" or body[-1:] != b"}" or not added.keys().isdisjoint(record):
        out = dict(record)
        out.update(added)
        return _line(out)
    if not added:
        return body + b"\n"
    tail = _line(added)  # b'{"articles": ...}\n'
    return b"".join((body[:-1], b", " if record else b"", tail[1:]))


#: A --jsonl line's record read off its bytes in C: what json.loads gives for the line decoded and
#: stripped, or None for a line it leaves to them (tests/test_speedups.py compares the two).
_json_record = c_function("json_record")


def process_jsonl(
    lines: Iterable[bytes],
    engine: Any,
    field: str,
    explain: bool,
    on_result: Any = None,
    start: int = 1,
    strict: bool = False,
) -> Iterator[tuple[bytes, bool]]:
    """One output line per input line (UTF-8, ending in a newline), in order; the flag says
    whether the record failed. A record's own fields are written as the input line has them
    (:func:`_with_fields`).

    Each line is decoded by the input policy (:func:`cleaner.textio.decode`): a line that is not
    UTF-8 is read as Windows-1252 and its record gets a warning, or, with ``strict``, an error.
    ``on_result(number, record, text, result)`` is called for each record cleaned (the report).
    """
    for number, raw in enumerate(lines, start):
        # the usual record (a UTF-8 object) read in one C pass, its nested values by json; any
        # other line is decoded by the policy and read by json, which then also words its errors
        record = None if _json_record is None else _json_record(raw)
        warnings: list[str] = []
        if record is None:
            try:
                line, warnings = decode(raw, strict=strict)
            except InputError as exc:
                text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                yield _line({"line": number, "error": f"refused: {exc}", "raw": text}), True
                continue
            stripped = line.strip()
            if not stripped:
                yield _line({"line": number, "error": "empty line"}), True
                continue
            try:
                record = json.loads(stripped)
            except (ValueError, RecursionError) as exc:  # bad JSON, too many digits, nested too deep
                yield _line({"line": number, "error": f"invalid JSON: {exc}", "raw": line.rstrip("\r\n")}), True
                continue
        if not isinstance(record, dict):
            yield _line({"line": number, "error": "record is not a JSON object", "raw": record}), True
            continue
        value = record.get(field)
        if not isinstance(value, str):
            what = "missing" if value is None else f"not a string ({type(value).__name__})"
            yield _with_fields(raw, warnings, record, {"error": f"field {field!r} is {what}"}), True
            continue
        try:
            result = engine.clean(value, warnings)
        except Exception as exc:  # a bug in a rule must not lose the record or stop the run
            yield _with_fields(raw, warnings, record, {"error": f"internal error: {type(exc).__name__}: {exc}"}), True
            continue
        if on_result is not None:
            on_result(number, record, value, result)
        yield _with_fields(raw, warnings, record, result.to_dict(explain=explain)), False


def run(args: argparse.Namespace, out: IO[str], err: IO[str], report: Any = None) -> int:
    """Clean the inputs to ``out``; ``report`` (a :class:`cleaner.report.ReportBuilder`) sees each document."""
    if args.list_rules:
        list_rules(out)
        return EXIT_OK
    try:
        resolve(_split(args.enable))
        resolve(_split(args.disable))
    except UnknownRule as exc:
        raise CliError(f"clean: {exc}", EXIT_USAGE) from None
    max_bytes = getattr(args, "max_bytes", Options.max_bytes) or None
    # Language detection is on for dumps and off for JSON Lines corpora unless --language asks for it.
    language = not args.no_language and (args.language or not args.jsonl)
    engine = make_engine(_split(args.enable) or None, _split(args.disable), args.favor, language, max_bytes)
    html_mode = "html" if getattr(args, "html", False) else "text" if getattr(args, "no_html_detect", False) else "auto"
    if html_mode != "text":
        from .html_input import HtmlAwareEngine

        engine = HtmlAwareEngine(engine, html_mode, _split(args.enable) or None, _split(args.disable), args.favor,
                                 language, max_bytes)  # fmt: skip
    files = args.files or ["-"]
    status = EXIT_OK
    spec = parallel.EngineSpec(tuple(_split(args.enable)) or None, tuple(_split(args.disable)), args.favor, language,
                               max_bytes, html_mode)
    jobs = args.jobs or parallel.default_jobs()
    pool = parallel.WorkerPool(spec, jobs) if jobs > 1 else None
    stats = parallel.RunStats()
    progress = parallel.Progress(err)
    try:
        if args.input_dir or args.output_dir:
            from .batch import run_dir

            return run_dir(args, err, engine, pool, stats, progress, report)
        if args.jsonl:
            options = parallel.JsonlRun(args.text_field, args.explain, jobs, report is not None, args.stats, args.strict)
            sources = [functools.partial(_jsonl_source, path) for path in files]
            for index, done in parallel.clean_jsonl(sources, options, pool, engine):
                if done is None:
                    continue
                if report is not None:
                    noted = _report_record(report, files[index])
                    for number, record, text, result in done.results or ():
                        noted(number, record, text, result)
                    for _ in range(done.stats.failed):
                        report.add_failure()
                write_utf8(out, done.data)
                stats.merge(done.stats)
                progress.update(stats)
            progress.close(stats)
            if args.stats:
                err.write(stats.summary(jobs if pool else 1))
            if stats.failed:
                err.write(f"clean: {stats.failed} record(s) could not be processed (see their 'error' field)\n")
                if args.strict:
                    status = EXIT_STRICT
            return status

        texts = []
        for path in files:
            text, warnings = read_input(path, args.strict, html_mode)
            for w in warnings:
                err.write(f"clean: {path if path != '-' else '<stdin>'}: warning: {w}\n")
            texts.append((path, text))
        results = []
        for (path, text), result in zip(texts, parallel.clean_texts([t for _, t in texts], engine, pool)):
            if isinstance(result, BaseException):
                raise CliError(f"clean: {path}: {result}", EXIT_INPUT)
            results.append((path, result))
            stats.input_bytes += len(text.encode("utf-8", "surrogatepass"))
            stats.add(result, args.stats)
            progress.update(stats)
        progress.close(stats)
        if args.stats:
            err.write(stats.summary(jobs if pool and len(texts) > 1 else 1))
    finally:
        if pool is not None:
            # Normal end: wait for the workers (their CPU time is then accounted to this process);
            # an error or Ctrl-C: stop them at once.
            pool.close(cancel=sys.exc_info()[0] is not None)
    if report is not None:
        from .html_input import source_text

        for (path, text), (_, result) in zip(texts, results):
            report.add(path if path != "-" else "<stdin>", source_text(text, result), result)
    if args.format == "json":
        for path, result in results:
            doc = result.to_dict(explain=args.explain)
            if len(results) > 1:
                doc = {"source": path, **doc}
            out.write(json.dumps(doc, ensure_ascii=False, indent=None if len(results) > 1 else 2) + "\n")
    elif args.explain:
        for path, result in results:
            out.writelines(explain_lines(result, path if path != "-" else "<stdin>"))
    else:
        articles = [a for _, result in results for a in result.articles]
        text = format_text(articles)
        if text:
            out.write(text + "\n")
    for path, result in results:
        for w in result.warnings:  # the engine's own (control characters, the size guard)
            err.write(f"clean: {path if path != '-' else '<stdin>'}: warning: {w}\n")
        if not result.articles:
            err.write(f"clean: {path if path != '-' else '<stdin>'}: no article found\n")
    return status


def _report_record(report: Any, path: str) -> Any:
    """The ``on_result`` callback that adds a JSON Lines record to the report, named ``file:line``."""
    source = path if path != "-" else "<stdin>"

    def note(number: int, record: dict, text: str, result: Result) -> None:
        ident = record.get("id")
        suffix = f" (id {ident})" if isinstance(ident, (str, int)) and not isinstance(ident, bool) else ""
        from .html_input import source_text

        report.add(f"{source}:{number}{suffix}", source_text(text, result), result)

    return note


def _stdin_records() -> IO[bytes]:
    """Standard input read with a file's buffer (READ_BUFFER): sys.stdin's 8 kB one reads each
    record of 10 kB or more in pieces. The descriptor stays open when this reader goes. A
    standard input without a descriptor (replaced by a test, an embedding) is read as it is."""
    try:
        return open(sys.stdin.fileno(), "rb", buffering=READ_BUFFER, closefd=False)
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return sys.stdin.buffer


def _jsonl_source(path: str) -> Iterator[bytes]:
    if path == "-":
        try:
            yield from iter_lines(_stdin_records())
        except StreamError as exc:
            raise CliError(f"clean: <stdin>: cannot read ({exc})", EXIT_INPUT) from None
        return
    if os.path.isdir(path):
        raise CliError(f"clean: {path}: is a directory", EXIT_INPUT)
    try:
        fh = open(path, "rb", buffering=READ_BUFFER)
    except FileNotFoundError:
        raise CliError(f"clean: {path}: no such file", EXIT_INPUT) from None
    except OSError as exc:
        raise CliError(f"clean: {path}: cannot read ({exc.strerror or exc})", EXIT_INPUT) from None
    with fh:
        try:
            yield from iter_lines(fh)  # gzip / zstd are recognised by their first bytes
        except StreamError as exc:
            raise CliError(f"clean: {path}: cannot read ({exc})", EXIT_INPUT) from None


class Terminated(BaseException):
    """SIGTERM arrived: stop like Ctrl-C (no traceback, no half-written output left behind)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    if os.getpid() != _MAIN_PID:  # a forked worker: die as the signal says, quietly
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Terminated


_MAIN_PID = os.getpid()


def _utf8_stdout() -> None:
    """Output is UTF-8 whatever the locale (LANG=C, PYTHONIOENCODING=ascii would fail on 'é')."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    sink: AtomicFile | None = None
    report_sink: AtomicFile | None = None
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    previous_term = None
    try:
        previous_term = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        _utf8_stdout()
        builder = None
        if args.report:
            if args.output and os.path.abspath(args.output) == os.path.abspath(args.report):
                raise CliError("clean: --report and --output name the same file", EXIT_USAGE)
            try:
                report_sink = AtomicFile(args.report, make_dirs=False)
            except OSError as exc:
                raise CliError(f"clean: {args.report}: cannot write ({exc.strerror or exc})", EXIT_OUTPUT) from None
            from .report import ReportBuilder

            builder = ReportBuilder()
        if args.output:
            try:
                sink = AtomicFile(args.output, make_dirs=False)
            except OSError as exc:
                raise CliError(f"clean: {args.output}: cannot write ({exc.strerror or exc})", EXIT_OUTPUT) from None
        out = sink.fh if sink else sys.stdout
        status = run(args, out, sys.stderr, builder)
        if sink:
            try:
                sink.commit()
            except OSError as exc:
                raise CliError(f"clean: {args.output}: cannot write ({exc.strerror or exc})", EXIT_OUTPUT) from None
            sink = None
        else:
            sys.stdout.flush()
        if report_sink and builder is not None:
            try:
                report_sink.fh.write(builder.render())
                report_sink.commit()
            except OSError as exc:
                raise CliError(f"clean: {args.report}: cannot write ({exc.strerror or exc})", EXIT_OUTPUT) from None
            report_sink = None
        return status
    except CliError as exc:
        sys.stderr.write(str(exc).rstrip("\n") + "\n")
        return exc.status
    except BrokenPipeError:
        # The reader went away (`clean … | head -1`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("clean: interrupted\n")
        return EXIT_INTERRUPTED
    except Terminated:
        sys.stderr.write("clean: terminated\n")
        return EXIT_TERMINATED
    except OSError as exc:  # writing the output failed (disk full, ...): input errors are CliErrors
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"clean: {where}I/O error ({exc.strerror or exc})\n")
        return EXIT_OUTPUT
    except Exception as exc:  # a bug: one line, never a traceback, unless CLEAN_DEBUG is set
        if os.environ.get("CLEAN_DEBUG"):
            raise
        message = str(exc).splitlines()[0] if str(exc) else ""
        sys.stderr.write(f"clean: internal error: {type(exc).__name__}: {message} (CLEAN_DEBUG=1 shows the traceback)\n")
        return EXIT_INTERNAL
    finally:
        if sink:
            sink.abort()
        if report_sink:
            report_sink.abort()
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


def entry() -> None:  # console script
    # What importing made lives as long as the process: out of the collector's sight, a full
    # collection no longer walks it (25 M of the 4 billion instructions of a `clean --jsonl`
    # over the benchmark), and forked workers do not copy the pages it sits on (the gc
    # module's advice for processes that fork). The youngest generation is collected every
    # 5,000 allocations instead of 700: most of a document's objects are gone by then, so
    # fewer are walked (31 M more; peak memory unchanged, 38 MB). Only the command does this:
    # a program that imports cleaner keeps its collector as it was.
    gc.freeze()
    gc.set_threshold(5000, *gc.get_threshold()[1:])
    status = main()
    if status in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        # Worker processes were stopped mid-task; the exit hook of concurrent.futures could then
        # wait forever for a queue feeder writing to them. All is cleaned up: flush and leave now.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # a closed pipe: nothing more to say
                pass
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    entry()
