"""Coverage-guided fuzzing of the whole pipeline with atheris (libFuzzer).

Run for a fixed time budget (seconds)::

    pip install -e '.[fuzz]'
    python fuzz/fuzz_clean.py -max_total_time=60

Any other libFuzzer flag works too (``-runs=N``, ``-jobs=N``, ``-max_len=N``). Without a corpus
directory on the command line the fuzzer starts from a temporary corpus holding the seed dumps
(``seeds/*.txt``) and the noise lines of :data:`cleaner.testing.NOISE`, and uses the token
dictionary ``fuzz/clean.dict``; with ``-timeout`` unset, an input that takes more than 10 s is
reported as a finding (a hang or super-linear blow-up). A finding is written to
``crash-…``/``timeout-…`` in the current directory; replay it with
``python fuzz/fuzz_clean.py crash-…``.

Each input is cleaned as bytes (the decoding policy included) with options picked from its first
byte, and these invariants are checked — a violation is a finding like a crash:

* no exception, whatever the bytes;
* the result serialises to JSON (``to_dict``) and gives text;
* idempotence: cleaning the text output again gives the same text (``CLEAN_FUZZ_IDEMPOTENCE=0``
  turns this check off; ``CLEAN_FUZZ_DISABLE=M001,N001`` leaves rules out, to triage);
* removal only: every output paragraph is an input line, or an input line with the recorded
  HTML repairs applied (checked through the replay of the decisions);
* JSON Lines: the same bytes read as JSON Lines give exactly one output line per input line,
  each a JSON object, in order.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from cleaner.api import make_engine
    from cleaner.cli import process_jsonl
    from cleaner.document import Action
    from cleaner.engine import assemble
    from cleaner.output import format_text
    from cleaner.textio import decode, prepare

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FAVORS = ("balanced", "precision", "recall")
#: CLEAN_FUZZ_IDEMPOTENCE=0 skips the idempotence check (to hunt crashes and hangs past a known
#: idempotence finding: libFuzzer stops at the first finding).
IDEMPOTENCE = os.environ.get("CLEAN_FUZZ_IDEMPOTENCE", "1") != "0"
#: CLEAN_FUZZ_DISABLE=M001,N001 fuzzes the pipeline without those rules (to triage a finding).
DISABLE = tuple(code for code in os.environ.get("CLEAN_FUZZ_DISABLE", "").split(",") if code.strip())


def check(data: bytes) -> None:
    if not data:
        flags = 0
    else:
        flags, data = data[0], data[1:]
    engine = make_engine(disable=DISABLE, favor=FAVORS[flags % 3], language=bool(flags & 4))
    text, _ = decode(data)
    result = engine.clean(text)
    json.dumps(result.to_dict(explain=True), ensure_ascii=False)
    out = result.text

    # Removal only / full accounting: replaying the decisions on the input gives the output, and
    # every kept paragraph is its input line (or that line with recorded edits applied).
    prepared = prepare(text)
    if format_text(assemble(prepared, result.decisions)) != out:
        raise AssertionError("replaying the decisions does not give the output")
    by_number = {line.number: line.text for line in prepared.lines}
    edited = {d.line for d in result.decisions if d.action is Action.EDIT}
    for article in result.articles:
        for number, para in zip(article.lines, article.paragraphs):
            if number not in edited and by_number.get(number) != para:
                raise AssertionError(f"paragraph of line {number} was rewritten: {para!r}")

    if IDEMPOTENCE:
        again = engine.clean(out).text
        if again != out:
            raise AssertionError(f"not idempotent:\n{out!r}\n---\n{again!r}")

    if flags & 8:
        lines = io.BytesIO(data).readlines()
        produced = list(process_jsonl(lines, engine, "text", bool(flags & 16)))
        if len(produced) != len(lines):
            raise AssertionError(f"{len(lines)} JSON Lines in, {len(produced)} out")
        for line, _bad in produced:
            if not line.endswith("\n") or "\n" in line[:-1]:
                raise AssertionError(f"output record is not one line: {line!r}")
            if not isinstance(json.loads(line), dict):
                raise AssertionError(f"output record is not an object: {line!r}")


def _default_corpus() -> str:
    from cleaner.testing import NOISE

    corpus = tempfile.mkdtemp(prefix="clean-fuzz-")
    seeds = os.path.join(ROOT, "seeds")
    samples: list[bytes] = []
    if os.path.isdir(seeds):
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), "rb") as fh:
                samples.append(b"\x00" + fh.read())
    samples.extend(b"\x00" + n.encode("utf-8") for n in NOISE)
    samples.append(b"\x08" + json.dumps({"text": "Body.\n" + "\n".join(NOISE)}).encode() + b"\n[1]\n{\"text\": 3}\n")
    for k, sample in enumerate(samples):
        with open(os.path.join(corpus, f"seed-{k:03d}"), "wb") as fh:
            fh.write(sample)
    return corpus


def main(argv: list[str]) -> None:
    args = list(argv)
    flags = [a for a in args[1:] if a.startswith("-")]
    paths = [a for a in args[1:] if not a.startswith("-")]
    if not any(a.startswith("-dict=") for a in flags):
        args.append(f"-dict={os.path.join(HERE, 'clean.dict')}")
    if not any(a.startswith("-timeout=") for a in flags):
        args.append("-timeout=10")
    if not paths:
        args.append(_default_corpus())
    atheris.Setup(args, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
