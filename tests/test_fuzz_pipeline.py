"""Fuzzing the whole pipeline with hypothesis, and every rule with inputs built to backtrack.

* Properties of the default pipeline over arbitrary Unicode, arbitrary bytes, real article
  paragraphs from the seeds' golden outputs with noise and hostile formatting injected around
  them, and arbitrary JSON Lines: no exception, full accounting, idempotence, survival, one
  output line per input line.
* Linear time, rule by rule (iterating ``cleaner.registry.RULES``): each rule runs on adversarial
  inputs derived from its own regular expressions (each bounded or unbounded repetition of each
  pattern pumped thousands of times, with and without a failing suffix), from its fixtures
  repeated, and from runs of single characters. Unit tests carry no timing assertions, so the
  bound is a budget far above what a linear rule needs: every input gets 10 s of CPU time per
  64 KB (156 ms per KB) -- a 16 KB input must finish within a quarter of it, then the same attack
  at 64 KB within all of it (run only when the 16 KB time leaves room for even cubic growth to
  exceed the budget). The rules need at most 2 s for 64 KB (the main-content model, on 32,000
  one-character lines; the others well under 0.5 s); a quadratic blow-up needs
  minutes (and an exponential one never ends: a 60 s watchdog interrupts it). CPU time, not
  wall-clock time, so a busy machine does not make the test flaky.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import signal
import time

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import clean
from cleaner.cli import process_jsonl
from cleaner.engine import Engine
from cleaner.registry import RULES
from cleaner.rules.base import Options
from cleaner.shapes import is_prose
from cleaner.testing import NOISE, check_accounting, check_removal_only

ENGINE = Engine([r() for r in RULES], Options(language=False))
SETTINGS = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _idempotent(text: str) -> str:
    once = ENGINE.clean(text).text
    assert ENGINE.clean(once).text == once, f"not idempotent on {text[:200]!r}"
    return once


# -- arbitrary Unicode and bytes ------------------------------------------------------------------

# Everything, surrogates and control characters included, with the characters the policies treat
# specially drawn more often than chance would.
_SPECIAL = "\x00\x07\x0b\x0c\r\n\t \x85\x9b\u00a0\u200b\u200d\u200e\u200f\u202e\u2028\u2029\ufeff\ufffd\ud800\udfff<>&;#/\"'…[]()@%:"
_CHARS = st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(_SPECIAL))


@SETTINGS
@given(st.text(_CHARS, max_size=400))
def test_arbitrary_unicode(text):
    result = ENGINE.clean(text)
    check_accounting(ENGINE, text, result)
    check_removal_only(ENGINE, text, result)
    json.dumps(result.to_dict(explain=True), ensure_ascii=False).encode("utf-8")
    result.text.encode("utf-8")  # no lone surrogate reaches the output
    _idempotent(text)


@SETTINGS
@given(st.lists(st.text(_CHARS, max_size=60), max_size=30))
def test_arbitrary_lines(lines):
    text = "\n".join(lines)
    result = ENGINE.clean(text)
    check_accounting(ENGINE, text, result)
    _idempotent(text)


@SETTINGS
@given(st.binary(max_size=600))
def test_arbitrary_bytes(data):
    result = clean(data, language=False)
    result.text.encode("utf-8")
    once = result.text
    assert clean(once.encode("utf-8"), language=False).text == once


# -- real article paragraphs with noise and hostile formatting around them -----------------------


def _golden_paragraphs() -> list[str]:
    """Prose paragraphs of the reviewed golden outputs (the canonical articles of the seeds)."""
    out: list[str] = []
    for path in sorted((ROOT / "golden").glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            if block != "\f" and is_prose(block) and "\n" not in block and block not in out:
                out.append(block)
    return out


PARAGRAPHS = _golden_paragraphs()
_HOSTILE_ENDS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "  \n", "\t\n", "\x00\n", "\u2028", "\n\u200b\n"])


@st.composite
def noisy_real_dumps(draw):
    start = draw(st.integers(0, len(PARAGRAPHS) - 4))
    paras = PARAGRAPHS[start : start + draw(st.integers(3, 6))]
    parts: list[str] = []
    for p in paras:
        parts.extend(draw(st.lists(st.sampled_from(NOISE), max_size=2)))
        parts.append(p)
    parts.extend(draw(st.lists(st.sampled_from(NOISE), max_size=2)))
    text = "".join(part + draw(_HOSTILE_ENDS) for part in parts)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, paras


def test_there_are_golden_paragraphs_to_fuzz_with():
    assert len(PARAGRAPHS) >= 20


@settings(SETTINGS, max_examples=60)
@given(noisy_real_dumps())
def test_real_paragraphs_survive_noise_and_hostile_formatting(dump_and_paras):
    dump, paras = dump_and_paras
    result = ENGINE.clean(dump)
    kept = {p for a in result.articles for p in a.paragraphs} | {a.title for a in result.articles if a.title}
    missing = [p for p in paras if p not in kept]
    assert not missing, f"article paragraphs lost: {missing!r}"
    check_accounting(ENGINE, dump, result)
    _idempotent(dump)


# -- JSON Lines: one output line per input line, in order ----------------------------------------

_RECORD_TEXT = st.one_of(st.text(_CHARS, max_size=80), st.sampled_from(PARAGRAPHS), st.sampled_from(NOISE))
_VALID = st.builds(lambda k, t: json.dumps({"id": k, "text": t}).encode(), st.integers(0, 10**6), _RECORD_TEXT)
_BROKEN = st.one_of(
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
    st.sampled_from([b"", b"   ", b"[1, 2]", b'"text"', b"null", b'{"text": 3}', b'{"other": "x"}', b'{"text": "cut',
                     b"\xef\xbb\xbf{\"text\": \"bom\"}", b'{"text": "caf\xe9 au lait"}', b'{"n": 1' + b"0" * 5000 + b"}",
                     b"[" * 50_000, b'{"text": "\\ud800 lone"}', b'{"text": NaN}']),
)


@settings(SETTINGS, max_examples=60)
@given(st.lists(st.one_of(_VALID, _BROKEN), max_size=12), st.booleans(), st.booleans())
def test_jsonl_gives_one_object_per_line_in_order(lines, final_newline, strict):
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    source = io.BytesIO(data).readlines()
    produced = list(process_jsonl(source, ENGINE, "text", explain=False, strict=strict))
    assert len(produced) == len(source)
    for number, (raw, (line, failed)) in enumerate(zip(source, produced), 1):
        assert line.endswith(b"\n") and b"\n" not in line[:-1]
        record = json.loads(line.decode("utf-8"))  # UTF-8, strictly
        assert isinstance(record, dict)
        if failed:
            assert "error" in record
            assert record.get("line", number) == number
        else:
            assert "articles" in record and "error" not in record
    valid = [json.loads(raw)["id"] for raw in source if raw.strip().startswith(b'{"id"')]
    echoed = [record["id"] for record in (json.loads(line) for line, failed in produced if not failed) if "id" in record]
    assert echoed == valid  # nothing lost, nothing reordered


# -- linear time, rule by rule -------------------------------------------------------------------

import re._constants as _C  # noqa: E402
import re._parser as _P  # noqa: E402

BUDGET_CPU_S = 10.0  # per 64 KB input
SIZES = (16 * 1024, 64 * 1024)
WATCHDOG_S = 60
_CAT = {
    _C.CATEGORY_SPACE: " ", _C.CATEGORY_NOT_SPACE: "a", _C.CATEGORY_DIGIT: "1", _C.CATEGORY_NOT_DIGIT: "a",
    _C.CATEGORY_WORD: "a", _C.CATEGORY_NOT_WORD: " ", _C.CATEGORY_LINEBREAK: "\n", _C.CATEGORY_NOT_LINEBREAK: "a",
}
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", _C.MAX_REPEAT))


def _class_char(items) -> str:
    if any(op is _C.NEGATE for op, _ in items):
        excluded = {chr(av) for op, av in items if op is _C.LITERAL}
        return next((c for c in "a x1.-" if c not in excluded), "z")
    for op, av in items:
        if op is _C.LITERAL:
            return chr(av)
        if op is _C.RANGE:
            return chr(av[0])
        if op is _C.CATEGORY:
            return _CAT.get(av, "a")
    return "a"


def _witness(seq, target=None, k=0) -> tuple[str, bool]:
    """A string the sequence matches; at repetition ``target`` its body is repeated ``k`` times and
    the string stops there (the prefix-plus-pump of a backtracking attack)."""
    out: list[str] = []
    for op, av in seq:
        sub = None
        if op is _C.LITERAL:
            out.append(chr(av))
        elif op is _C.NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op is _C.ANY:
            out.append("a")
        elif op is _C.IN:
            out.append(_class_char(av))
        elif op is _C.BRANCH:
            sub = av[1][0]
        elif op is _C.SUBPATTERN:
            sub = av[3]
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            sub = av
        elif op in _REPEATS:
            lo, hi, body = av
            if id(av) == target:
                out.append(_witness(body)[0] * k)
                return "".join(out), True
            for _ in range(max(lo, 1) if hi else 0):
                text, stop = _witness(body, target, k)
                out.append(text)
                if stop:
                    return "".join(out), True
        if sub is not None:
            text, stop = _witness(sub, target, k)
            out.append(text)
            if stop:
                return "".join(out), True
    return "".join(out), False


def _repeat_nodes(seq, acc: list[int]) -> list[int]:
    for op, av in seq:
        if op in _REPEATS:
            if av[1] > 1:
                acc.append(id(av))
            _repeat_nodes(av[2], acc)
        elif op is _C.BRANCH:
            for alt in av[1]:
                _repeat_nodes(alt, acc)
        elif op is _C.SUBPATTERN:
            _repeat_nodes(av[3], acc)
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            _repeat_nodes(av, acc)
    return acc


MAX_ALTERNATIVES = 8  # of one alternation (word lists: the first few stand for the rest)


def _alternatives(seq):
    """The sequence, and for a top-level alternation (possibly in a group) its first alternatives."""
    yield seq
    for op, av in seq:
        if op is _C.BRANCH:
            for alt in av[1][1:MAX_ALTERNATIVES]:
                yield list(seq[: seq.index((op, av))]) + list(alt)
        elif op is _C.SUBPATTERN and any(o is _C.BRANCH for o, _ in av[3]):
            for o, a in av[3]:
                if o is _C.BRANCH:
                    for alt in a[1][1:MAX_ALTERNATIVES]:
                        yield list(alt)


def pattern_pumps(pattern: re.Pattern, size: int) -> list[str]:
    try:
        tree = list(_P.parse(pattern.pattern, pattern.flags))
    except Exception:  # pragma: no cover - a pattern the parser of this Python cannot read
        return []
    out: list[str] = []
    for seq in _alternatives(tree):
        base = _witness(seq)[0]
        for node in _repeat_nodes(seq, []):
            prefix = _witness(seq, node, 0)[0]
            one = _witness(seq, node, 1)[0]
            pump = one[len(prefix) :]
            if not pump:
                continue
            pumped = prefix + pump * max(1, (size - len(prefix)) // len(pump))
            out += [pumped, pumped + "\u00a7"]  # the pump, then a character nothing expects
        if base:
            out.append(base * max(1, size // len(base)))
            out.append("\n".join([base] * max(1, size // (len(base) + 1))))
    return out


def _patterns_of(rule) -> list[re.Pattern]:
    """The regular expressions a rule's module uses: its own and those of the cleaner modules it imports from."""
    module = importlib.import_module(rule.__module__)
    modules = {module, importlib.import_module("cleaner.shapes")}
    for value in vars(module).values():
        owner = getattr(value, "__module__", None)
        if isinstance(owner, str) and owner.startswith("cleaner."):
            modules.add(importlib.import_module(owner))
    found: list[re.Pattern] = []
    for mod in sorted(modules, key=lambda m: m.__name__):
        for value in vars(mod).values():
            values = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else (value,)
            found.extend(v for v in values if isinstance(v, re.Pattern) and v not in found)
    return found


_GENERIC = [" ", "a", "A", "1", ".", "-", "<", ">", "&", "#", ";", "(", ")", "[", "]", "@", "/", ":", "%", "…", "—",
            "\t", "é", "Я", "_", ",", "'", "’", "\"", "\u200b", "a ", "A ", "1 ", "a.", "<a ", "<a x=", "&amp;",
            "<!--", "(@", "1%", "A: ", "By ", "[…]", "... "]


def adversarial_inputs(rule, size: int) -> list[str]:
    inputs: list[str] = []
    for pattern in _patterns_of(rule):
        inputs += pattern_pumps(pattern, size)
    for text in list(rule.keep) + [case[0] for case in rule.cases]:
        inputs.append("\n".join([text] * max(1, size // (len(text) + 1))))
        first = text.split("\n")[0]
        inputs.append(" ".join([first] * max(1, size // (len(first) + 1))))
    for unit in _GENERIC:
        inputs.append(unit * (size // len(unit)))
        inputs.append("\n".join([unit * 20] * max(1, size // (20 * len(unit) + 1))))
    seen: set[str] = set()
    return [t for t in inputs if not (t in seen or seen.add(t))]


class _Watchdog(Exception):
    pass


def _run_bounded(engine: Engine, text: str) -> float:
    """CPU seconds ``engine.clean(text)`` took; a 60 s wall-clock watchdog stops a runaway."""
    def fire(*_):
        raise _Watchdog

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG_S)
    try:
        start = time.process_time()
        engine.clean(text)
        return time.process_time() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_attack_builder_pumps_the_repetition_that_backtracks():
    # A classic catastrophic pattern: its pumped inputs hold 'a' repeated to the size asked for.
    pumps = pattern_pumps(re.compile(r"^(a+)+$"), 1000)
    assert any(p.startswith("a" * 1000) and p.endswith("\u00a7") for p in pumps)
    assert any(p.count(" ") >= 900 for p in pattern_pumps(re.compile(r"^\w+\s*:\s+\S"), 1000))


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_runs_in_linear_time_on_adversarial_input(rule):
    engine = Engine([rule()], Options(language=False))
    engine.clean("Warm up: models and tables a rule loads on first use are loaded now, untimed.")
    small, large = SIZES
    small_inputs = adversarial_inputs(rule, small)
    large_inputs = adversarial_inputs(rule, large)
    assert len(small_inputs) == len(large_inputs)  # the same attacks, at two sizes
    for short, long in zip(small_inputs, large_inputs):
        try:
            spent = _run_bounded(engine, short)
        except _Watchdog:
            pytest.fail(f"{rule.code}: no result after {WATCHDOG_S} s on {len(short)} chars: {short[:80]!r}")
        budget = BUDGET_CPU_S * small / large
        assert spent <= budget, f"{rule.code}: {spent:.2f} s CPU for {len(short)} chars (budget {budget:.2f} s): {short[:80]!r}"
        # From 16 KB to 64 KB even cubic growth multiplies the time by 64: below this, the large
        # run could not exceed its budget, so it is only run when it could.
        if spent <= BUDGET_CPU_S / 64:
            continue
        try:
            spent = _run_bounded(engine, long)
        except _Watchdog:
            pytest.fail(f"{rule.code}: no result after {WATCHDOG_S} s on {len(long)} chars: {long[:80]!r}")
        assert spent <= BUDGET_CPU_S, f"{rule.code}: {spent:.2f} s CPU for {len(long)} chars (budget {BUDGET_CPU_S} s): {long[:80]!r}"
