"""Regular expressions compiled once per installation instead of once per process.

sre's parser and compiler are written in Python: compiling the rules' regexes, and reading the
literals the prefilters need off their parse trees, was most of importing cleaner (0.5 of its
0.8 billion instructions; a ``clean < page.txt`` is mostly start-up). Like bytecode in
``__pycache__``, the results are kept in a file beside the package's bytecode,
``cleaner/__pycache__/patterns.<interpreter tag>.bin``:

* :func:`compile` keeps, for each ``(pattern, flags)``, the arguments sre's compiler hands
  ``_sre.compile`` (the code words, flags and groups); a later process builds the same
  ``re.Pattern`` from them directly. The stdlib's compiler is followed step by step, and
  ``tests/test_patterns.py`` checks that every pattern built so equals ``re.compile``'s
  (``Pattern.__eq__`` compares the code words). A case-insensitive pattern gets the code of
  :func:`case_sensitive`'s rewrite of it, which matches exactly what it matches without asking
  the Unicode database at each letter (proved test by test on every code point by the tests);
  its ``pattern`` and ``flags`` stay as written.
* :func:`persistent` memoises a function of patterns (the prefilters' literal analysis) under a
  digest of its module's source, so an edited analysis never reads an old result;
  ``@persistent(file=name)`` keeps a large value in a file of its own (the lower-cased
  stoplists of cleaner/content/features.py).
* :func:`store` is that file's table for values no pure function makes (cleaner/language.py
  keeps the C kernel's n-gram table in one, cleaner/content/features.py the C index of the
  stop-word vote: ``get`` and ``put`` under a key of what it was made from).

The file is stamped with the interpreter's exact version and sre's magic number; another
interpreter, a damaged or foreign file, or any failure falls back to ``re.compile`` and to
computing the value (a cache, never a source of results). It is written at exit by a process
that had to compute something, atomically (a temporary file renamed over it); a package
directory that cannot be written is left alone. ``CLEANER_PATTERN_CACHE=0`` in the environment
turns it off (nothing read, nothing written); ``CLEANER_PATTERN_CACHE=<directory>`` keeps it there
(an installation the user cannot write to). Its entries are trusted as bytecode is: whoever can
write there can write the package's code.
"""

from __future__ import annotations

import atexit
import copy
import marshal
import os
import re
import sys
import zlib
from _thread import allocate_lock  # threading.Lock itself: importing threading for it was 0.6 ms a process
from array import array
from typing import Any, Callable, TypeVar

from .accel import c_function

try:  # the stdlib's regex internals (stable across 3.11-3.13; anything else: no cache)
    import _sre
    from re import _compiler as _sre_compile
    from re import _parser as _sre_parse

    _STAMP: tuple | None = (
        "cleaner-patterns-2",
        sys.version,
        sys.hexversion,
        _sre.MAGIC,
        _sre.CODESIZE,
        _sre.MAXREPEAT,
        _sre.MAXGROUPS,
    )
except (ImportError, AttributeError):  # pragma: no cover - another interpreter
    _STAMP = None

#: "0": neither read nor write the cache; a directory: keep it there instead of in the package.
ENV = "CLEANER_PATTERN_CACHE"
#: More entries than this (patterns edited again and again in a checkout): the next write keeps
#: only those this process used.
MAX_ENTRIES = 4096

T = TypeVar("T")


#: The tag (module, name, source digest) of each :func:`persistent` function this process has
#: called: an entry of the same function under another tag is stale (its source changed).
_current_tags: dict[tuple[str, str], tuple] = {}


class _Store:
    """The cache file's table, loaded on first use; entries added are written at exit.

    ``shared``: the file holds entries of many modules (the patterns), and a process writes back
    those it did not use too (other processes need them); otherwise (a file of large values of
    one function) it writes only those it used, so an entry gone stale is dropped at once. Either
    way, results of a :func:`persistent` function whose source has changed since are dropped."""

    def __init__(self, path: str | None, shared: bool = True) -> None:
        self.path = path
        self.shared = shared
        self.table: dict | None = None
        self.used: set = set()
        self.added = False
        self.lock = allocate_lock()
        self.pid = os.getpid()

    def get(self, key: Any) -> Any:
        table = self.table if self.table is not None else self._load()
        value = table.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        if self.path is None:
            return
        try:
            marshal.dumps((key, value))
        except ValueError:  # pragma: no cover - not what marshal writes (an int subclass, ...)
            return
        with self.lock:
            if self.table is None:
                self._load()
            self.table[key] = value  # type: ignore[index]
            self.used.add(key)
            if not self.added:
                self.added = True
                atexit.register(self.save)

    def _load(self) -> dict:
        table: dict = {}
        if self.path is not None:
            try:
                with open(self.path, "rb") as f:
                    stamp, loaded = marshal.loads(f.read())
                if stamp == _STAMP and isinstance(loaded, dict):
                    table = loaded
            except Exception:  # absent, damaged, or written by something else: start afresh
                pass
        self.table = table
        return table

    def save(self) -> None:
        """Write the table (merged with what other processes wrote meanwhile), atomically; any
        failure (a read-only installation, a full disk) leaves the cache as it was."""
        if self.path is None or not self.added or os.getpid() != self.pid:
            return  # nothing new, or a forked child: its parent writes
        with self.lock:
            mine = self.table or {}
            current = mine
            if self.shared:
                current = self._load()  # on disk now: other processes may have added to it
                current.update(mine)
            if not self.shared or len(current) > MAX_ENTRIES:
                current = {k: v for k, v in mine.items() if k in self.used}
            current = {k: v for k, v in current.items() if not _stale(k)}
            self.table = current
            self.added = False
            _write_atomically(self.path, marshal.dumps((_STAMP, current)))


def _stale(key: Any) -> bool:
    """An entry of a :func:`persistent` function whose source has changed since it was made."""
    if key[0] != "fn":
        return False
    tag = key[1]
    current = _current_tags.get(tag[:2])
    return current is not None and current != tag


def _write_atomically(path: str, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file renamed over it, readable as the package's
    bytecode is; nothing changed when that fails (a read-only installation, a full disk)."""
    import tempfile  # (only a process that computed something writes: most never import it)

    tmp = None
    try:
        folder, name = os.path.split(path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=name + ".", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, os.stat(__file__).st_mode & 0o666)
        os.replace(tmp, path)
        tmp = None
    except Exception:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def cache_path(name: str = "patterns") -> str | None:
    """Where the cache file ``name`` is read and written: ``$CLEANER_PATTERN_CACHE`` when it names
    a directory, else the package's ``__pycache__``; None when it is ``0`` (or this interpreter's
    ``re`` is not the one followed here)."""
    if _STAMP is None:
        return None
    setting = os.environ.get(ENV, "").strip()
    if setting == "0":
        return None
    folder = setting or os.path.join(os.path.dirname(os.path.realpath(__file__)), "__pycache__")
    return os.path.join(folder, f"{name}.{sys.implementation.cache_tag}.bin")


_store = _Store(cache_path())


def _args_of(tree: Any, flags: int) -> tuple:
    """What sre's ``compile`` hands ``_sre.compile`` for a parsed pattern, after the pattern
    string itself (re/_compiler.py: ``compile``), with the code words as bytes; the code of a
    case-insensitive pattern is :func:`case_sensitive`'s when it has one (the flags stay)."""
    sensitive = case_sensitive(tree, flags)
    code = _sre_compile._code(tree, flags) if sensitive is None else _sre_compile._code(sensitive, 0)
    groupindex = dict(tree.state.groupdict)
    indexgroup = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    words = array("I", code)  # SRE_CODE: 32 bits (the stamp holds CODESIZE)
    return (flags | tree.state.flags, words.tobytes(), tree.state.groups - 1, groupindex, tuple(indexgroup))


def extra_cases() -> dict[int, tuple[int, ...]] | None:
    """The equivalences ``re.IGNORECASE`` adds to simple lower-casing (``re._casefix``: "ſ" and
    "s", "ς" and "σ", …), keyed by lower case; None on a Python without them. The case-sensitive
    rewrite below and the rules' literal prefilters (cleaner/rules/prefilter.py) both read them."""
    try:
        from re._casefix import _EXTRA_CASES
    except ImportError:  # pragma: no cover - another Python: no rewrite, no prefilter
        return None
    return _EXTRA_CASES


class _AsWritten(Exception):
    """A construct :func:`case_sensitive` leaves to sre's case-insensitive code."""


#: The character sets of more code points than this stay case-insensitive (their equivalent
#: sets would be long lists, and most such sets are categories or wide ranges anyway).
_MAX_SET = 2048


def case_sensitive(tree: Any, flags: int = 0) -> Any:
    """A case-sensitive parse tree that matches exactly what ``tree`` (compiled with ``flags``)
    matches, or None when there is none to make (nothing in it is case-insensitive, or it holds
    a construct this rewrite leaves alone: a case-insensitive backreference, a case-insensitive
    set holding a category, a wide range or a character beyond the BMP, ``re.ASCII`` or
    ``re.LOCALE``).

    Why: under ``re.IGNORECASE`` sre lower-cases the text's character at each test of a cased
    letter, a call into the Unicode database, and the rules' regexes are mostly
    case-insensitive alternations of words. Here a test of a cased letter becomes the set of
    the characters that pass it (``é``: ``[Éé]``), or sre's ASCII case folding, done inline,
    for a letter passed by itself and its ASCII capital only (see :func:`sensitive_test`).

    Why it is exact: sre's compiler (re/_compiler.py, ``_compile`` and ``_optimize_charset``)
    turns ``re.IGNORECASE`` into tests of a single character only: a cased letter ``c`` is
    passed by the characters whose simple lower case is ``lower(c)`` or one of the extra
    equivalents re lists for it (``re._casefix``); a set holding a cased letter, by those whose
    lower case is one of its members' lower cases or their extra equivalents; a set without a
    cased letter, and a letter without case, are compiled as they are. Each test of a cased
    letter is replaced by a test of the characters that pass it, found among every code point
    (:func:`_lower_preimages`); the structure of the tree, and so every match, group and
    lookbehind width, is unchanged. ``tests/test_patterns.py`` compares each test with its
    replacement on every code point, and the rewritten patterns' matches with re's."""
    flags |= tree.state.flags
    if flags & (_sre_parse.SRE_FLAG_ASCII | _sre_parse.SRE_FLAG_LOCALE) or not flags & _sre_parse.SRE_FLAG_UNICODE:
        return None
    state = copy.copy(tree.state)
    state.flags = flags & ~_sre_parse.SRE_FLAG_IGNORECASE
    rewrite = _Rewrite(state)
    try:
        sensitive = rewrite.tree(tree, flags, True)
    except _AsWritten:
        return None
    return sensitive if rewrite.changed else None


class _Rewrite:
    """One pattern's rewrite: its trees share ``state`` (re.IGNORECASE taken out of its flags);
    ``changed`` tells whether a test was replaced."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.changed = False

    def tree(self, tree: Any, flags: int, lead: bool = False) -> Any:
        """``tree`` rewritten; ``lead``: its first item can start a match or an alternative."""
        return _sre_parse.SubPattern(
            self.state, [self.item(op, av, flags, lead and k == 0) for k, (op, av) in enumerate(tree.data)]
        )

    def item(self, op: Any, av: Any, flags: int, lead: bool) -> tuple:
        c = _sre_parse  # (re's opcodes, as its parser names them)
        ignore = flags & c.SRE_FLAG_IGNORECASE
        if op is c.LITERAL or op is c.NOT_LITERAL or op is c.IN:
            return self.test(op, av, lead) if ignore else (op, av)
        if op is c.SUBPATTERN:
            group, add, remove, sub = av
            inner = _sre_compile._combine_flags(flags, add, remove)
            keep = ~c.SRE_FLAG_IGNORECASE
            self.changed |= (add | remove) & c.SRE_FLAG_IGNORECASE != 0
            return (op, (group, add & keep, remove & keep, self.tree(sub, inner, lead)))
        if op is c.MAX_REPEAT or op is c.MIN_REPEAT or op is c.POSSESSIVE_REPEAT:
            return (op, (av[0], av[1], self.tree(av[2], flags, lead)))
        if op is c.BRANCH:  # sre skips an alternative whose first test, a set or a literal, fails
            return (op, (av[0], [self.tree(sub, flags, True) for sub in av[1]]))
        if op is c.ASSERT or op is c.ASSERT_NOT:
            return (op, (av[0], self.tree(av[1], flags)))
        if op is c.ATOMIC_GROUP:
            return (op, self.tree(av, flags, lead))
        if op is c.GROUPREF_EXISTS:
            group, yes, no = av
            return (op, (group, self.tree(yes, flags), no and self.tree(no, flags)))
        if op is c.GROUPREF and ignore:
            raise _AsWritten  # a backreference compares a group's text ignoring case
        if op in (c.AT, c.ANY, c.GROUPREF, c.SUCCESS, c.FAILURE):
            return (op, av)
        raise _AsWritten  # an opcode of a later Python: not followed here

    def test(self, op: Any, av: Any, lead: bool) -> tuple:
        """A case-insensitive single-character test, replaced as :func:`sensitive_test` says."""
        c = _sre_parse
        key = (op, tuple(av) if op is c.IN else av, lead)  # (a pattern tests the same letters often)
        found = _test_memo.get(key)
        if found is None:
            found = _test_memo[key] = sensitive_test(op, av, lead)
        if isinstance(found, int):  # the test alone, under these flags: (?ai:x), or (?i:x) as written
            self.changed |= found != c.SRE_FLAG_IGNORECASE
            return (c.SUBPATTERN, (None, found, 0, _sre_parse.SubPattern(self.state, [(op, av)])))
        if found[0] is c.IN:
            found = (c.IN, list(found[1]))  # each tree its own list
        self.changed |= found != (op, av)
        return found


def sensitive_test(op: Any, av: Any, lead: bool = False) -> tuple | int:
    """The case-sensitive form of a single-character test (``LITERAL``, ``NOT_LITERAL`` or
    ``IN``) as sre compiles it under ``re.IGNORECASE``:

    * the test itself when it holds no cased letter;
    * ``re.IGNORECASE | re.ASCII``, the flags to compile it alone with, for a letter passed by
      itself and its ASCII capital only (``a``: ``A`` or ``a``): sre's ASCII case folding, a
      test of 2 code words where a set takes 7; not when the test can start a match or an
      alternative (``lead``), where sre checks a set before it tries the rest;
    * ``re.IGNORECASE``, the test kept as written, when the characters that pass it go beyond
      Latin-1 in more than two runs of code points (``i``: ``I``, ``i``, ``İ``, ``ı``; also
      ``k`` and ``s``): sre would make that set a table of 90 code words, for each such letter
      of every pattern;
    * else the set of the characters that pass it.

    Raises :class:`_AsWritten` for a set holding a cased letter and a category, a wide range
    or a character beyond the BMP."""
    c = _sre_parse
    iscased, lower = _sre.unicode_iscased, _sre.unicode_tolower
    if op is not c.IN:
        if not iscased(av):
            return (op, av)
        members = [av]
        negate = op is c.NOT_LITERAL
    else:
        members = []
        negate = category = False
        for item, value in av:
            if item is c.NEGATE:
                negate = True
            elif item is c.LITERAL:
                members.append(value)
            elif item is c.RANGE and value[1] - value[0] < _MAX_SET:
                members.extend(range(value[0], value[1] + 1))
            elif item is c.CATEGORY:
                category = True
            else:
                raise _AsWritten  # a wide range
        if not any(map(iscased, members)):
            return (op, av)  # compiled as a case-sensitive set by sre too
        if category:
            raise _AsWritten  # sre would test the category on the lower case
    extra = extra_cases()
    if extra is None:
        raise _AsWritten
    lowered = set(map(lower, members))
    for ch in list(lowered):
        lowered.update(extra.get(ch, ()))
    if max(lowered) > 0xFFFF or len(lowered) > _MAX_SET:
        raise _AsWritten  # sre tests such sets in ways of their own (RANGE_UNI_IGNORE)
    preimages = _lower_preimages()
    chars = sorted({ch for t in lowered for ch in preimages.get(t, ())} | {t for t in lowered if lower(t) == t})
    ascii_pair = len(chars) == 2 and ord("a") <= chars[1] <= ord("z") and chars[0] == chars[1] - 32  # "A", "a"
    if ascii_pair and op is not c.IN and not lead:
        return c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_ASCII
    if chars[-1] > 0xFF and sum(1 for a, b in zip(chars, chars[1:]) if b != a + 1) > 1:
        return c.SRE_FLAG_IGNORECASE
    return (c.IN, [(c.NEGATE, None)] * negate + [(c.LITERAL, ch) for ch in chars])


_preimages: dict[int, tuple[int, ...]] = {}
#: sensitive_test's answers by (op, argument, lead), worked out once per process
_test_memo: dict[tuple, Any] = {}


def _lower_preimages() -> dict[int, tuple[int, ...]]:
    """Each code point that is the simple lower case (sre's) of other code points: those others.
    Made on first use, in a process that compiles a pattern (the C accelerator's scan of every
    code point, or :func:`_lower_pairs_py`'s: 0.08 s); then kept in the cache's code words."""
    if not _preimages:
        scan = c_function("lower_pairs") or _lower_pairs_py
        found: dict[int, list[int]] = {}
        for ch, lo in scan():
            found.setdefault(lo, []).append(ch)
        _preimages.update((lo, tuple(chs)) for lo, chs in found.items())
    return _preimages


def _lower_pairs_py() -> list[tuple[int, int]]:
    """``(ch, lower)`` for each code point whose simple lower case is another, ascending (the
    reference of the C ``lower_pairs``)."""
    lower = _sre.unicode_tolower
    return [(ch, lo) for ch in range(sys.maxunicode + 1) if (lo := lower(ch)) != ch]


def build(pattern: str | None, args: tuple) -> re.Pattern[str]:
    """The pattern ``_sre.compile`` makes of :func:`args_of_tree`'s arguments."""
    flags, words, groups, groupindex, indexgroup = args
    return _sre.compile(pattern, flags, array("I", words).tolist(), groups, groupindex, indexgroup)


def args_of_tree(tree: Any, flags: int) -> tuple | None:
    """:func:`build`'s arguments for a tree (or subtree) sre's parser made, or None when this
    interpreter's internals are not the ones followed here."""
    if _STAMP is None:
        return None
    try:
        return _args_of(tree, int(flags))
    except Exception:  # pragma: no cover - another Python's internals
        return None


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, read from the cache when an earlier process compiled it."""
    flags = int(flags)
    if _store.path is None or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    key = ("re", pattern, flags)
    args = _store.get(key)
    if args is None:
        try:
            args = _args_of(_sre_parse.parse(pattern, flags), flags)
        except Exception:  # a bad pattern: re.compile raises its own error
            return re.compile(pattern, flags)
        _store.put(key, args)
    try:
        return build(pattern, args)
    except Exception:  # pragma: no cover - a damaged entry
        return re.compile(pattern, flags)


def _source_digest(fn: Callable) -> tuple:
    module = sys.modules.get(fn.__module__)
    try:
        with open(module.__file__, "rb") as f:  # type: ignore[union-attr,arg-type]
            source = f.read()
    except Exception:
        return (fn.__module__, fn.__qualname__, None)
    return (fn.__module__, fn.__qualname__, len(source), zlib.crc32(source))


def source_tag(fn: Callable) -> tuple:
    """What :func:`persistent` keeps ``fn``'s values under besides their arguments (its module's
    name and source digest): the part of the key of a cache of something made from them."""
    return _current_tags.get((fn.__module__, fn.__qualname__)) or _source_digest(fn)


def load_mapped(file: str, key: Any) -> tuple[Any, Any] | None:
    """The cache file ``file`` of one large blob, mapped into memory read only, when it was kept
    under ``key``: ``(extra, map)``, ``extra`` what :func:`keep_mapped` kept beside the blob and
    the map starting with the blob (a C module reads it where it lies: nothing copied, and only
    the pages read are read from the file); None when there is none, it was kept under another
    key, or it cannot be read.

    The file is the blob, then ``marshal`` of ``(key, extra)``, then that part's length (8 bytes,
    little-endian). It is only ever replaced (renamed over), never written in place: a process
    that has it mapped keeps the old file."""
    path = cache_path(file)
    if path is None:
        return None
    try:
        import mmap

        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        size = len(mapped)
        tail = int.from_bytes(mapped[size - 8 :], "little")
        kept, extra = marshal.loads(mapped[size - 8 - tail : size - 8])
    except Exception:  # absent, damaged, or written by something else
        return None
    return (extra, mapped) if kept == key else None


def keep_mapped(file: str, key: Any, blob: bytes, extra: Any) -> None:
    """``blob`` written as the cache file ``file`` for :func:`load_mapped` under ``key``, with
    ``extra`` (marshal's types) beside it."""
    path = cache_path(file)
    if path is not None:
        made = marshal.dumps((key, extra))
        _write_atomically(path, b"".join((blob, made, len(made).to_bytes(8, "little"))))


_named: dict[str, _Store] = {}


def store(file: str) -> _Store:
    """The table of the cache file ``file`` (``get(key)``, ``put(key, value)``: marshal's types,
    written at exit when something was put). Any file but "patterns" holds large values: a
    process writes back only the entries it read or put."""
    if file == "patterns":
        return _store
    named = _named.get(file)
    if named is None:
        named = _named.setdefault(file, _Store(cache_path(file), shared=False))
    return named


def persistent(fn: Callable[..., T] | None = None, *, file: str = "patterns") -> Any:
    """Memoise ``fn`` in the cache (and in the process): its arguments and result must be what
    ``marshal`` writes (None, numbers, strings, bytes, tuples, lists, sets, frozensets, dicts),
    and the result must depend only on the arguments, the interpreter and ``fn``'s module.
    ``@persistent(file=name)`` keeps it in a cache file of its own, read only by a process
    that calls it (a large value that most processes never need)."""
    if fn is None:
        return lambda f: persistent(f, file=file)
    memo: dict = {}
    tag: list[tuple] = []

    def wrapper(*args: Any) -> T:
        try:
            return memo[args]
        except KeyError:
            pass
        if not tag:
            tag.append(_source_digest(fn))
            _current_tags[tag[0][:2]] = tag[0]
        key = ("fn", tag[0], args)
        table = store(file)
        found = table.get(key)
        if isinstance(found, tuple) and len(found) == 1:
            value = found[0]
        else:
            value = fn(*args)
            if tag[0][2] is not None:
                table.put(key, (value,))
        memo[args] = value
        return value

    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper
