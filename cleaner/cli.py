"""The ``clean`` command.

Exit status: 0 success; 2 bad arguments or unknown rule; 3 an input file cannot be read
(missing, unreadable, a directory); 4 input refused by ``--strict`` (not UTF-8, or a JSON Lines
record that could not be processed); 130 interrupted. Every error is one line on standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from typing import IO, Any, Iterable, Iterator, Sequence

from . import __version__
from .api import make_engine
from .document import Result
from .output import format_text
from .registry import RULES, UnknownRule, resolve
from .textio import ARTICLE_SEPARATOR, InputError, decode

EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_STRICT, EXIT_INTERRUPTED = 0, 2, 3, 4, 130

EPILOG = """\
input:
  FILE arguments are read in order; '-' or no FILE reads standard input.
  Text that is not UTF-8 is decoded line by line as Windows-1252 with a warning
  on standard error (--strict refuses it instead).

output formats:
  text   title line, blank line, paragraphs separated by blank lines; articles
         separated by a line holding a single form feed (\\f). Idempotent.
  json   {"articles": [{"title": ..., "text": ..., "byline": [...], ...}]}
         (one object per input file, one per line when several files are given)
  --jsonl  one output object per input line, input fields kept, "articles" added;
         a record that cannot be processed gets an "error" field instead.

exit status:
  0 success, 2 bad arguments or unknown rule, 3 unreadable input file,
  4 input refused under --strict, 130 interrupted.
"""


class CliError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clean",
        description="Strip boilerplate and scraping noise from raw text dumps of articles.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="input dumps (default: standard input)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--jsonl", action="store_true", help="input is JSON Lines: one raw dump per object")
    p.add_argument("--text-field", default="text", metavar="NAME", help="JSON Lines field holding the dump (default: text)")
    p.add_argument("--explain", action="store_true", help="show every removal with its rule, reason and position")
    p.add_argument("--enable", "--select", dest="enable", default=None, metavar="RULES",
                   help="comma-separated rule codes, code prefixes or names to run (default: all)")
    p.add_argument("--disable", "--ignore", dest="disable", default="", metavar="RULES",
                   help="comma-separated rule codes, code prefixes or names to skip")
    p.add_argument("--list-rules", action="store_true", help="list the rules with their one-line summaries and exit")
    p.add_argument("--favor", choices=("precision", "balanced", "recall"), default="balanced",
                   help="trade precision (remove more) against recall (keep more) (default: balanced)")
    p.add_argument("--no-language", action="store_true", help="do not detect each article's language")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH atomically instead of standard output")
    p.add_argument("--strict", action="store_true",
                   help="refuse input that is not UTF-8 and exit 4 when a JSON Lines record fails")
    p.add_argument("--version", action="version", version=f"clean {__version__}")
    return p


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v.strip()]


def list_rules(out: IO[str]) -> None:
    for rule in RULES:
        out.write(f"{rule.code}  {rule.name:<22} {rule.summary}\n")


def read_input(path: str, strict: bool) -> tuple[str, list[str]]:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        if os.path.isdir(path):
            raise CliError(f"clean: {path}: is a directory", EXIT_INPUT)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise CliError(f"clean: {path}: no such file", EXIT_INPUT) from None
        except PermissionError:
            raise CliError(f"clean: {path}: permission denied", EXIT_INPUT) from None
        except OSError as exc:
            raise CliError(f"clean: {path}: cannot read ({exc.strerror or exc})", EXIT_INPUT) from None
    try:
        return decode(data, strict=strict)
    except InputError as exc:
        raise CliError(f"clean: {path if path != '-' else '<stdin>'}: {exc}", EXIT_STRICT) from None


def explain_lines(result: Result, source: str) -> Iterator[str]:
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


def process_jsonl(lines: Iterable[bytes], engine: Any, field: str, explain: bool) -> Iterator[tuple[str, bool]]:
    """One output line per input line, in order; the flag says whether the record failed."""
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not stripped:
            yield json.dumps({"line": number, "error": "empty line"}) + "\n", True
            continue
        try:
            record = json.loads(stripped)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            text = raw.decode("utf-8", errors="replace").rstrip("\n")
            yield json.dumps({"line": number, "error": f"invalid JSON: {exc}", "raw": text}, ensure_ascii=False) + "\n", True
            continue
        if not isinstance(record, dict):
            yield json.dumps({"line": number, "error": "record is not a JSON object", "raw": record}, ensure_ascii=False) + "\n", True
            continue
        value = record.get(field)
        if not isinstance(value, str):
            what = "missing" if value is None else f"not a string ({type(value).__name__})"
            out = dict(record)
            out["error"] = f"field {field!r} is {what}"
            yield json.dumps(out, ensure_ascii=False) + "\n", True
            continue
        try:
            result = engine.clean(value)
        except Exception as exc:  # a bug in a rule must not lose the record or stop the run
            out = dict(record)
            out["error"] = f"internal error: {type(exc).__name__}: {exc}"
            yield json.dumps(out, ensure_ascii=False) + "\n", True
            continue
        out = dict(record)
        out.update(result.to_dict(explain=explain))
        yield json.dumps(out, ensure_ascii=False) + "\n", False


class AtomicOutput:
    """Write to a temporary file beside ``path`` and rename it into place on success."""

    def __init__(self, path: str) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        fd, self.tmp = tempfile.mkstemp(prefix=".clean-", suffix=".tmp", dir=directory)
        self.path = path
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


def run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.list_rules:
        list_rules(out)
        return EXIT_OK
    try:
        resolve(_split(args.enable))
        resolve(_split(args.disable))
    except UnknownRule as exc:
        raise CliError(f"clean: {exc}", EXIT_USAGE) from None
    engine = make_engine(_split(args.enable) or None, _split(args.disable), args.favor, not args.no_language)
    files = args.files or ["-"]
    status = EXIT_OK

    if args.jsonl:
        failed = 0
        for path in files:
            for line, bad in process_jsonl(_jsonl_source(path), engine, args.text_field, args.explain):
                failed += bad
                out.write(line)
        if failed:
            err.write(f"clean: {failed} record(s) could not be processed (see their 'error' field)\n")
            if args.strict:
                status = EXIT_STRICT
        return status

    texts = []
    for path in files:
        text, warnings = read_input(path, args.strict)
        for w in warnings:
            err.write(f"clean: {path if path != '-' else '<stdin>'}: warning: {w}\n")
        texts.append((path, text))
    results = [(path, engine.clean(text)) for path, text in texts]
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
        if not result.articles:
            err.write(f"clean: {path if path != '-' else '<stdin>'}: no article found\n")
    return status


def _jsonl_source(path: str) -> Iterator[bytes]:
    if path == "-":
        yield from sys.stdin.buffer
        return
    if os.path.isdir(path):
        raise CliError(f"clean: {path}: is a directory", EXIT_INPUT)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise CliError(f"clean: {path}: no such file", EXIT_INPUT) from None
    except OSError as exc:
        raise CliError(f"clean: {path}: cannot read ({exc.strerror or exc})", EXIT_INPUT) from None
    with fh:
        yield from fh


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    sink: AtomicOutput | None = None
    try:
        if args.output:
            try:
                sink = AtomicOutput(args.output)
            except OSError as exc:
                raise CliError(f"clean: {args.output}: cannot write ({exc.strerror or exc})", EXIT_INPUT) from None
        out = sink.fh if sink else sys.stdout
        status = run(args, out, sys.stderr)
        if sink:
            sink.commit()
            sink = None
        else:
            sys.stdout.flush()
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
    finally:
        if sink:
            sink.abort()


def entry() -> None:  # console script
    sys.exit(main())


if __name__ == "__main__":
    entry()
