"""``python -m cleaner.bench quality``: the cleaner against its peers on the dev sets.

Exit codes: 0 done; 1 done but some system raised on some pages (listed in the
table); 2 benchmark data not found or bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from cleaner.bench.data import ENV_VAR, SET_NAMES, BenchDataError, find_bench_dir, load_set
from cleaner.bench.quality import SetResult, evaluate_set, inputs_for, print_result, result_dict
from cleaner.bench import speed
from cleaner.bench.systems import SYSTEMS_BY_INPUT, build_system


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cleaner.bench", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    q = commands.add_parser(
        "quality",
        help="F1 / precision / recall of the cleaner and its peers on the dev sets",
        description="Score the cleaner and its peers on the dev benchmarks (see docs/benchmark.md).",
    )
    q.add_argument(
        "--bench-dir",
        metavar="PATH",
        help=f"folder with the dev sets (default: ${ENV_VAR}, else ../shared/bench beside the repo or the cwd)",
    )
    q.add_argument("--set", dest="set_name", choices=[*SET_NAMES, "all"], default="all", help="dev set (default all)")
    q.add_argument("--input", dest="input_kind", choices=["text", "html"], default="text", help="what systems read")
    q.add_argument(
        "--systems",
        metavar="LIST",
        help="comma-separated; text input: " + ",".join(SYSTEMS_BY_INPUT["text"])
        + "; html input: " + ",".join(SYSTEMS_BY_INPUT["html"]) + " (default: all of them)",
    )  # fmt: skip
    q.add_argument("--worst", type=int, default=5, metavar="N", help="per-page report of the N worst pages (0: none)")
    q.add_argument("--worst-system", default="cleaner", metavar="NAME", help="system the report is about (cleaner)")
    q.add_argument("--blocks", type=int, default=3, metavar="K", help="blocks / snippets shown per page and kind (3)")
    q.add_argument("--width", type=int, default=160, metavar="CHARS", help="width of report lines (160)")
    q.add_argument("--only", metavar="IDS", help="comma-separated page id prefixes: score those pages only")
    q.add_argument("--json", dest="json_path", metavar="FILE", help="also write all scores and the report as JSON")
    speed.add_parser(commands, ENV_VAR)
    return parser


def _systems(arg: str | None, input_kind: str) -> list[str]:
    known = SYSTEMS_BY_INPUT[input_kind]
    if not arg:
        return list(known)
    names = list(dict.fromkeys(name.strip() for name in arg.split(",") if name.strip()))
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ValueError(f"unknown system(s) for {input_kind} input: {', '.join(unknown) or '(none given)'}; "
                         f"known: {', '.join(known)}")  # fmt: skip
    return names


def main(argv: Sequence[str] | None = None, cleaner_module: Any | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "speed":
        try:
            speed.run(args)
        except (BenchDataError, ValueError, RuntimeError) as exc:
            print(f"cleaner.bench: {exc}", file=sys.stderr)
            return 2
        return 0
    try:
        systems = _systems(args.systems, args.input_kind)
        bench_dir = find_bench_dir(args.bench_dir)
        set_names = list(SET_NAMES) if args.set_name == "all" else [args.set_name]
        prefixes = [p.strip() for p in (args.only or "").split(",") if p.strip()]
        print(f"bench: {bench_dir}  input: {args.input_kind}  systems: {','.join(systems)}\n")
        results: list[SetResult] = []
        for set_name in set_names:
            pages = load_set(bench_dir, set_name)
            if prefixes:
                pages = tuple(p for p in pages if any(p.id.startswith(prefix) for prefix in prefixes))
                if not pages:
                    print(f"{set_name}: no page id starts with {', '.join(prefixes)}\n")
                    continue
            inputs = inputs_for(bench_dir, set_name, args.input_kind, pages)
            runnable = [build_system(name, set_name, args.input_kind, cleaner_module) for name in systems]
            result = evaluate_set(set_name, args.input_kind, runnable, pages, inputs)
            print_result(result, args.worst_system, args.worst, sys.stdout, args.blocks, args.width)
            sys.stdout.flush()
            results.append(result)
    except (BenchDataError, ValueError) as exc:
        print(f"cleaner.bench: {exc}", file=sys.stderr)
        return 2
    if args.json_path:
        payload = {
            "bench_dir": str(bench_dir),
            "input": args.input_kind,
            "sets": [result_dict(r, args.worst_system, args.worst, args.blocks) for r in results],
        }
        Path(args.json_path).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json_path}")
    return 1 if any(run.errors for result in results for run in result.runs) else 0


if __name__ == "__main__":
    sys.exit(main())
