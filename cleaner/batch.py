"""``clean --input-dir DIR --output-dir OUT``: many files at once, mirrored file for file.

Every regular file under DIR (recursively, in sorted order; names starting with "." are
skipped, as are files inside OUT when OUT lies under DIR) is cleaned into the file of the same
relative name under OUT. Each output is written to a temporary file and renamed into place,
so an output file is either complete or absent. A compressed input (gzip or Zstandard,
recognised by its first bytes) gives an output compressed the same way; the gzip header of an
output carries no time stamp, so equal text gives equal bytes.

With ``--jsonl`` each file is JSON Lines, streamed in chunks through the worker pool (chunks of
consecutive files share the pool); otherwise each file is one dump. A file that cannot be read
is reported on standard error, gets no output, and the run goes on; the exit status is then 3.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any, Iterator

from . import parallel
from .streams import AtomicFile, StreamError, iter_lines, kind_of, read_all, write_utf8
from .textio import InputError, decode


def list_inputs(input_dir: str, output_dir: str) -> list[str]:
    """Relative paths of the files to clean, sorted."""
    out_real = os.path.realpath(output_dir)
    found: list[str] = []
    for root, dirs, files in os.walk(input_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and os.path.realpath(os.path.join(root, d)) != out_real)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if os.path.isfile(path):
                found.append(os.path.relpath(path, input_dir))
    return found


def _kind(path: str) -> str | None:
    with open(path, "rb") as fh:
        return kind_of(fh.read(4))


def run_dir(
    args: Any, err: IO[str], engine: Any, pool: parallel.WorkerPool | None, stats: parallel.RunStats,
    progress: parallel.Progress, report: Any = None,
) -> int:
    from .cli import EXIT_INPUT, EXIT_OK, EXIT_STRICT, EXIT_USAGE, CliError, explain_lines
    from .output import format_text

    if not (args.input_dir and args.output_dir):
        raise CliError("clean: --input-dir and --output-dir go together", EXIT_USAGE)
    if args.files or args.output:
        raise CliError("clean: --input-dir cannot be combined with FILE arguments or -o", EXIT_USAGE)
    if not os.path.isdir(args.input_dir):
        raise CliError(f"clean: {args.input_dir}: not a directory", EXIT_INPUT)
    if os.path.realpath(args.input_dir) == os.path.realpath(args.output_dir):
        raise CliError("clean: --output-dir must differ from --input-dir (outputs would replace inputs)", EXIT_USAGE)
    try:
        os.makedirs(args.output_dir, exist_ok=True)
    except OSError as exc:
        raise CliError(f"clean: {args.output_dir}: cannot create ({exc.strerror or exc})", EXIT_INPUT) from None

    names = list_inputs(args.input_dir, args.output_dir)
    status = EXIT_OK
    unreadable = 0

    def target(name: str) -> str:
        return os.path.join(args.output_dir, name)

    if args.jsonl:
        bad_sources: dict[int, str] = {}

        def source(index: int, name: str) -> Iterator[bytes]:
            path = os.path.join(args.input_dir, name)
            try:
                with open(path, "rb") as fh:
                    yield from iter_lines(fh)
            except (OSError, StreamError) as exc:
                bad_sources[index] = str(getattr(exc, "strerror", None) or exc)

        sources = [lambda i=i, n=n: source(i, n) for i, n in enumerate(names)]
        options = parallel.JsonlRun(
            args.text_field, args.explain, pool.jobs if pool else 1, report is not None, args.stats, args.strict
        )
        sink: AtomicFile | None = None
        current = -1
        try:
            for index, done in parallel.clean_jsonl(sources, options, pool, engine):
                if index != current:
                    current = index
                    sink = AtomicFile(target(names[index]), _safe_kind(os.path.join(args.input_dir, names[index])))
                if done is not None:
                    assert sink is not None
                    write_utf8(sink.fh, done.data)
                    if report is not None:
                        for number, record, text, result in done.results or ():
                            report.add(f"{names[index]}:{number}", text, result)
                        for _ in range(done.stats.failed):
                            report.add_failure()
                    stats.merge(done.stats)
                    progress.update(stats)
                    continue
                assert sink is not None
                if index in bad_sources:  # the stream broke: no (partial) output for it
                    sink.abort()
                    unreadable += 1
                    err.write(f"clean: {os.path.join(args.input_dir, names[index])}: cannot read ({bad_sources[index]})\n")
                else:
                    sink.commit()
                sink = None
        finally:
            if sink is not None:
                sink.abort()
        progress.close(stats)
        if args.stats:
            err.write(stats.summary(pool.jobs if pool else 1))
        if stats.failed:
            err.write(f"clean: {stats.failed} record(s) could not be processed (see their 'error' field)\n")
            if args.strict:
                status = EXIT_STRICT
    else:
        texts: list[tuple[str, str]] = []
        for name in names:
            path = os.path.join(args.input_dir, name)
            try:
                with open(path, "rb") as fh:
                    data = read_all(fh)
                text, warnings = _decode(data, args.strict, getattr(engine, "mode", "text"))
            except (OSError, StreamError) as exc:
                unreadable += 1
                err.write(f"clean: {path}: cannot read ({getattr(exc, 'strerror', None) or exc})\n")
                continue
            except InputError as exc:
                err.write(f"clean: {path}: {exc}\n")
                status = EXIT_STRICT
                continue
            for w in warnings:
                err.write(f"clean: {path}: warning: {w}\n")
            texts.append((name, text))
        cleaned = parallel.clean_texts([t for _, t in texts], engine, pool)
        for (name, text), result in zip(texts, cleaned):
            path = os.path.join(args.input_dir, name)
            if isinstance(result, BaseException):
                unreadable += 1
                err.write(f"clean: {path}: {result}\n")
                continue
            sink = AtomicFile(target(name), _safe_kind(path))
            try:
                if args.format == "json":
                    sink.fh.write(json.dumps(result.to_dict(explain=args.explain), ensure_ascii=False, indent=2) + "\n")
                elif args.explain:
                    sink.fh.writelines(explain_lines(result, path))
                else:
                    body = format_text(result.articles)
                    if body:
                        sink.fh.write(body + "\n")
                sink.commit()
            except BaseException:
                sink.abort()
                raise
            if report is not None:
                report.add(name, text, result)
            if not result.articles:
                err.write(f"clean: {path}: no article found\n")
            stats.input_bytes += len(text.encode("utf-8", "surrogatepass"))
            stats.add(result, args.stats)
            progress.update(stats)
        progress.close(stats)
        if args.stats:
            err.write(stats.summary(pool.jobs if pool and len(texts) > 1 else 1))
    if unreadable:
        err.write(f"clean: {unreadable} file(s) could not be read and have no output\n")
        return EXIT_INPUT
    return status


def _safe_kind(path: str) -> str | None:
    try:
        return _kind(path)
    except OSError:
        return None


def _decode(data: bytes, strict: bool, html_mode: str) -> tuple[str, list[str]]:
    """A file's text: HTML pages by their byte-order mark or declared charset (see docs/html.md)."""
    if html_mode != "text":
        from .html_input import decode_input

        return decode_input(data, html_mode, strict)
    return decode(data, strict=strict)
