"""Which lines of a document may match a regex, found with a few substring searches.

Rules that run case-insensitive alternations (``re.I``) over every line pay for a regex search
from every position of every line. :class:`LiteralPrefilter` derives from the regexes the
literal words one of which every match must contain (``"newsletter"``, ``"subscribe"``, …),
lower-cases the document once, and finds the lines holding one of them with ``str.find``: a
*superset* of the lines the regexes can match. The rule then runs its exact test on those lines
only, so its decisions do not change::

    _PREFILTER = LiteralPrefilter(_PHRASE, _IMPERATIVE)      # the regexes the test needs
    ...
    for i in _PREFILTER.live_candidates(doc):                 # live lines a regex may match
        ...                                                   # the exact test, unchanged

Only list regexes at least one of which must match for the rule to act on a line: the
prefilter is exact for "any of these regexes matches", nothing more.

Why lower-casing is exact: under ``re.IGNORECASE`` a pattern letter matches a text character
when their simple lower cases agree (``_sre.unicode_tolower``), or through the few extra
equivalences of ``re._casefix`` ("ſ"/"s", "ς"/"σ", "ᲃ"/"с", …). ``str.lower`` agrees with the
simple lower case everywhere except on "İ" (and "Σ", whose lower case depends on context); a
document holding any of these characters, or of the extra equivalences, skips the prefilter
(``positions`` returns None). ``tests/test_fastpaths.py`` checks these sets over all of Unicode.
"""

from __future__ import annotations

import re
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from bisect import bisect_left, bisect_right
from re import _parser as _sre_parse  # the stdlib's own regex parser (stable across 3.11–3.13)
from typing import TYPE_CHECKING, Callable, Container, Iterable, NamedTuple, Sequence

from ..accel import c_function
from ..patterns import args_of_tree, build, extra_cases, persistent
from .base import line_offsets, lines_containing, lines_holding_chars, lines_matching, lower_keeping_offsets

if TYPE_CHECKING:  # pragma: no cover
    from .base import DocView

#: A document holding "İ" is always searched line by line: its lower case is two characters.
#: Everywhere else str.lower gives the simple lower case re.IGNORECASE compares (the final
#: sigma aside, which only matters through the σ/ς equivalence handled below).
_ALWAYS_UNSAFE = "\u0130"


def required_literals(pattern: re.Pattern[str] | str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains (as written in the pattern), or
    None when no such set can be read off the pattern (a match may be made of classes only)."""
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    return _required_of(pattern, int(flags))


@persistent
def _required_of(pattern: str, flags: int) -> frozenset[str] | None:
    # memoised, and kept across processes (cleaner.patterns): a prefilter of several regexes
    # (K001's, K002's) parses again the regexes that have prefilters of their own, and every
    # process would parse them all at start-up
    return _required(list(_sre_parse.parse(pattern, flags)))


def _required(seq: list) -> frozenset[str] | None:
    options: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in seq:
        if op is _sre_parse.LITERAL:
            run.append(chr(av))
            continue
        flush()
        found: frozenset[str] | None = None
        if op is _sre_parse.SUBPATTERN:
            found = _required(list(av[-1]))
        elif op is _sre_parse.ATOMIC_GROUP:
            found = _required(list(av))
        elif op is _sre_parse.BRANCH:
            branches = [_required(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, _sre_parse.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                found = _required(list(av[2]))
        if found:
            options.append(found)
    flush()
    options = [o for o in options if all(s and "\n" not in s for s in o)]
    if not options:
        return None
    # The most selective requirement: longest shortest string, then fewest strings.
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


def _find_any_py(text: str, literals: Sequence[str]) -> list[int]:
    """The positions of ``text`` where one of ``literals`` starts, ascending, each once: the
    reference of the C ``_speedups.find_any`` (tests/test_speedups.py compares them)."""
    hits: set[int] = set()
    for literal in literals:
        if not literal:
            raise ValueError("find_any: empty literal")
        find = text.find
        pos = find(literal)
        while pos >= 0:
            hits.add(pos)
            pos = find(literal, pos + 1)
    return sorted(hits)


#: The C one-pass search (None: each literal is searched with ``str.find``).
_find_any = c_function("find_any")
#: A literal tuple's search structures built once, for find_any's calls on one line at a time.
_literal_set = c_function("literal_set")
#: Which literals of such a set a text holds, in one C scan (None: a substring search for each).
_literals_in = c_function("literals_in")
#: The lines holding a decimal digit, in one C pass (None: DocText searches the whole text).
_digit_lines = c_function("digit_lines")
#: Whether the literal searches run in C. Without it a prefilter of many literals (I002's and
#: R001's 31) costs more than the per-line loop it saves, and those rules keep the loop.
C_SEARCH = _find_any is not None


def _lines_holding(low: str, offsets: list[int], literals: Sequence[str]) -> set[int]:
    """The ``k`` whose text ``low[offsets[k]:offsets[k + 1] - 1]`` holds one of ``literals``
    (``low``: texts joined by newlines, no literal holding a newline)."""
    found: set[int] = set()
    if _find_any is not None:
        last_end = -1
        for pos in _find_any(low, literals):
            if pos < last_end:
                continue  # a line already found
            k = bisect_right(offsets, pos) - 1
            found.add(k)
            last_end = offsets[k + 1]
        return found
    for literal in literals:
        found.update(lines_containing(low, offsets, literal))
    return found


def _group_lines_py(text: str, offsets: list[int], literals: Sequence[str], masks: Sequence[int],
                    ngroups: int) -> list[list[int]]:
    """The reference of the C ``_speedups.group_lines``: for each group ``g < ngroups``, the
    ascending ``k`` whose line ``text[offsets[k]:offsets[k + 1] - 1]`` holds a literal whose mask
    has bit ``g`` (tests/test_speedups.py compares them)."""
    out: list[list[int]] = []
    for g in range(ngroups):
        mine = tuple(lit for lit, mask in zip(literals, masks) if mask >> g & 1)
        out.append(sorted(_lines_holding(text, offsets, mine)) if mine else [])
    return out


#: The C one-pass search of several literal sets (None: one search per set).
_group_lines = c_function("group_lines")

class _Groups(NamedTuple):
    """The literal sets asked for on whole documents (a :func:`doc_text`'s ``lines``), in the
    order first asked for: each document's first request searches the lines of all of them in
    one pass of the C search (a group is a bit of a 64-bit mask: the first 64 sets share the
    pass). Replaced whole when a set is registered, never changed (but for ``memo``, filled
    once): a thread reads one consistent snapshot while another registers."""

    bit: dict[tuple[str, ...], int]  # each set's bit
    sets: tuple[tuple[str, ...], ...]  # the sets in bit order
    memo: list[tuple[tuple[str, ...], tuple[int, ...]]]  # union(), once computed
    #: id(set) -> its bit, for the sets of ``sets`` (which keeps them, so the ids stay theirs): a
    #: prefilter asks with its own tuple, whose hash is made again at each lookup (up to 78 strings)
    ids: dict[int, int]

    def union(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Every literal of the sets (sorted), and each literal's mask of groups."""
        if not self.memo:
            masks: dict[str, int] = {}
            for g, group in enumerate(self.sets):
                for lit in group:
                    masks[lit] = masks.get(lit, 0) | 1 << g
            ordered = tuple(sorted(masks))
            self.memo.append((ordered, tuple(masks[lit] for lit in ordered)))  # twice at worst: the same
        return self.memo[0]


_MAX_GROUPS = 64
_groups = _Groups({}, (), [], {})
_registering = allocate_lock()


#: Every character registered as unsafe (sorted): what :meth:`DocText.plain` looks for; and the
#: registered tuples by identity (id -> the tuple, kept so that its id stays its own). Both
#: replaced whole when a tuple is registered, never changed.
_unsafe_seen: tuple[str, ...] = ()
_unsafe_sets: dict[int, tuple[str, ...]] = {}


def register_unsafe(chars: tuple[str, ...]) -> None:
    """Register ``chars`` (single characters), the tuple a caller will hand :meth:`DocText.forced`
    and :meth:`DocText.holds_any`: on a plain page they then answer it without a search (the
    prefilters register theirs when made, teasers.py at import). An unregistered tuple is
    answered by searching, as before."""
    global _unsafe_seen, _unsafe_sets
    with _registering:
        if _unsafe_sets.get(id(chars)) is not chars:
            # the characters first: a thread that finds the tuple registered finds them looked for
            _unsafe_seen = tuple(sorted(set(chars).union(_unsafe_seen)))
            _unsafe_sets = {**_unsafe_sets, id(chars): chars}


def _register(literals: tuple[str, ...]) -> _Groups:
    """The groups with ``literals`` among them (unless 64 are registered already)."""
    global _groups
    with _registering:
        groups = _groups
        if literals not in groups.bit and len(groups.sets) < _MAX_GROUPS:
            n = len(groups.sets)
            _groups = _Groups({**groups.bit, literals: n}, groups.sets + (literals,), [], {**groups.ids, id(literals): n})
        return _groups


class DocText:
    """A document's current line texts (dead lines included) joined by newlines, the lower case
    of that ("İ" as "i": same offsets), where each line starts, and the lines holding the literal
    sets asked for. One per document (``DocCache.text``), made again after a repair rule edits.

    Whether a line holds a literal depends on its text alone (no literal holds a newline, and
    lower-casing never looks across one), so lines found here are the lines the same search
    finds over the live lines only; the callers drop the dead ones."""

    __slots__ = ("joined", "offsets", "low", "shared", "_found", "_searched", "_forced", "_matching", "_digits",
                 "_held", "_plain", "_plain_for")

    def __init__(self, texts: Sequence[str], shared: bool = False) -> None:
        #: Whether every prefilter will ask (a document's DocText, :func:`doc_text`): then the
        #: first request searches all the registered literal sets in one pass; else each set
        #: is searched when asked for.
        self.shared = shared
        self.joined = "\n".join(texts)
        self.offsets = line_offsets(texts)
        self.low = lower_keeping_offsets(self.joined)
        #: The shared pass's groups and each group's lines (None: not made yet).
        self._searched: tuple[_Groups, list[list[int]]] | None = None
        #: The sets searched on their own: id(literals) -> (literals, their lines), by identity
        #: (the tuple is kept, so its id stays its own) as ``_Groups.ids``.
        self._found: dict[int, tuple[tuple[str, ...], list[int]]] = {}
        self._forced: dict[tuple[str, ...], set[int]] = {}
        #: id(pattern) -> (pattern, its lines): by identity, since re.Pattern's hash reads all of
        #: its code at each call (the pattern is kept, so its id stays its own)
        self._matching: dict[int, tuple[re.Pattern[str], list[int]]] = {}
        self._digits: list[int] | None = None
        self._held: dict[str, bool] = {}  # character -> whether the lower case holds it
        self._plain = False
        self._plain_for: tuple[str, ...] | None = None  # the registered characters _plain is about

    def plain(self) -> bool:
        """Whether the page holds no "İ", and its lower case none of the characters registered as
        unsafe (:func:`register_unsafe`): then :meth:`forced` and :meth:`holds_any` answer every
        registered tuple without a search (351 of the 352 benchmark dumps are plain). Looked for
        once a page, and again only when characters were registered since."""
        seen = _unsafe_seen
        if self._plain_for is not seen:
            self._plain = _ALWAYS_UNSAFE not in self.joined and not holds_any(self.low, seen)
            self._plain_for = seen
        return self._plain

    def holds(self, char: str) -> bool:
        """Whether the lower case holds ``char``: looked for once a document, however many
        prefilters, rules and edge rounds ask."""
        found = self._held.get(char)
        if found is None:
            found = self._held[char] = char in self.low
        return found

    def _plain_for_registered(self, chars: Sequence[str]) -> bool:
        """Whether ``chars`` is a registered tuple and the page is plain: then it holds none of
        them, and no line is forced by them (``plain()`` read without a call once answered)."""
        return _unsafe_sets.get(id(chars)) is chars and (
            self._plain if self._plain_for is _unsafe_seen else self.plain())

    def holds_any(self, chars: Sequence[str]) -> bool:
        """Whether the lower case holds one of ``chars`` (single characters)."""
        if self._plain_for_registered(chars):
            return False
        return any(map(self.holds, chars))

    def lines_matching(
        self, pattern: re.Pattern[str], digit: bool = False, c_lines: Callable[..., list[int]] | None = None
    ) -> list[int]:
        """The indices (into the document's lines, dead ones included) whose text ``pattern``
        matches, ascending: one search of the document per pattern, however many rules or edge
        rounds ask. ``pattern`` must not match across a newline (no match may hold one).
        ``digit``: every match of ``pattern`` holds a decimal digit (what ``\\d`` matches), so
        only the lines holding one are searched (found in one C pass; an eighth of a page's).
        ``c_lines``: with ``digit``, a C function doing that search for this pattern
        (``c_lines(joined, offsets, lines)``: the lines of ``lines`` it matches), or None."""
        known = self._matching.get(id(pattern))
        if known is not None:
            return known[1]
        if digit and _digit_lines is not None:
            if self._digits is None:
                self._digits = _digit_lines(self.joined, self.offsets)
            joined, offsets = self.joined, self.offsets
            if c_lines is not None:
                found = c_lines(joined, offsets, self._digits)
            else:
                search = pattern.search
                found = [k for k in self._digits if search(joined, offsets[k], offsets[k + 1] - 1)]
        else:
            found = lines_matching(self.joined, self.offsets, pattern)
        self._matching[id(pattern)] = (pattern, found)
        return found

    def lines(self, literals: tuple[str, ...]) -> list[int]:
        """The indices (into the document's lines) whose lower case holds one of ``literals``
        (non-empty, no newline), ascending."""
        searched = self._searched
        if searched is not None:
            bit = searched[0].ids.get(id(literals))
            if bit is not None:
                return searched[1][bit]
        known = self._found.get(id(literals))
        if known is not None and known[0] is literals:
            return known[1]
        groups = _groups
        if self.shared and literals not in groups.bit and len(groups.sets) < _MAX_GROUPS:
            groups = _register(literals)
        if not self.shared or _group_lines is None or literals not in groups.bit or searched is not None:
            # a text searched for one set, no C search, a set past the shared pass, or one first
            # asked for after this document's shared pass (or another tuple of a set in it):
            # searched on its own
            found = sorted(_lines_holding(self.low, self.offsets, literals))
            self._found[id(literals)] = (literals, found)
            return found
        union, masks = groups.union()
        found_all = _group_lines(self.low, self.offsets, union, masks, len(groups.sets))
        self._searched = (groups, found_all)
        return found_all[groups.bit[literals]]

    def forced(self, unsafe: tuple[str, ...]) -> set[int]:
        """The lines the lower-cased search cannot vouch for: those holding "İ", or holding in
        lower case one of ``unsafe`` (a prefilter's case variants)."""
        if self._plain_for_registered(unsafe):
            return _NO_LINES
        forced = self._forced.get(unsafe)
        if forced is None:
            dotted = self._forced.get(())  # the lines holding "İ", found once for every set
            if dotted is None:
                dotted = self._forced[()] = lines_holding_chars(self.joined, self.offsets, (_ALWAYS_UNSAFE,))
            # (the lower case searched for each character once a document: most sets share "ı" and "ſ")
            held = list(filter(self.holds, unsafe))
            forced = self._forced[unsafe] = dotted | lines_holding_chars(self.low, self.offsets, held) if held else dotted
        return forced


def doc_text(doc: "DocView") -> DocText:
    """The document's :class:`DocText`, shared by every rule until a repair rule edits a line."""
    cache = doc.cache
    text = cache.text
    if text is None:
        text = cache.text = DocText(doc.texts, shared=True)
    return text


def holds_any(text: str, chars: Sequence[str]) -> bool:
    """Whether ``text`` holds one of ``chars`` (single characters): ``re.search("[chars]", text)``."""
    return any(map(text.__contains__, chars))


def _fold(text: str) -> str:
    import _sre

    return "".join(chr(_sre.unicode_tolower(ord(ch))) for ch in text)


def _case_variants(literals: Iterable[str], extra: dict[int, tuple[int, ...]]) -> set[str]:
    """The characters re.IGNORECASE equates with a letter of ``literals`` beyond lower-casing
    (``extra``: :func:`cleaner.patterns.extra_cases`): a line holding one is left to the regexes."""
    return {chr(v) for ch in set("".join(literals)) for v in extra.get(ord(ch), ())}


class _Every:
    """Every line: what a prefilter without literals lets through."""

    def __contains__(self, item: object) -> bool:
        return True


EVERY_LINE: Container[int] = _Every()
#: No line (what ``forced`` gives on a plain page).
_NO_LINES: frozenset[int] = frozenset()


class _LinesHolding:
    """The lines of a :class:`DocText` that a prefilter lets through (its :meth:`text_lines`),
    each line tested when asked: its lower case holds a literal, or the line is one the lower
    case cannot vouch for."""

    __slots__ = ("_holds", "_low", "_offsets", "_forced")

    def __init__(self, prefilter: "LiteralPrefilter", text: DocText) -> None:
        self._holds = prefilter.holds_literal
        self._low = text.low
        self._offsets = text.offsets
        self._forced = text.forced(prefilter._unsafe_chars)

    def __contains__(self, i: object) -> bool:
        if i in self._forced:
            return True
        offsets = self._offsets
        return self._holds(self._low[offsets[i] : offsets[i + 1] - 1])  # type: ignore[index,operator]


@persistent
def _literal_analysis(specs: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """What a :class:`LiteralPrefilter` of the regexes ``specs`` (pattern, flags) searches for:
    its literals, folded and sorted, and the characters that make a lower case unsafe for them;
    None when some regex can match without a literal (or this Python's ``re`` is not the one
    followed here). Kept across processes (cleaner.patterns): it is a pure function of the
    patterns and the interpreter."""
    extra = extra_cases()
    if extra is None:
        return None
    literals: set[str] = set()
    for pattern, flags in specs:
        found = _required_of(pattern, flags)
        if found is None:
            return None
        literals.update(_fold(s) for s in found)
    # Drop literals that contain a shorter one: a line with the longer has the shorter.
    kept = {s for s in literals if not any(o != s and o in s for o in literals)}
    # A document whose lower case holds a character that re.IGNORECASE equates with a letter
    # of a literal beyond lower-casing ("ſ" for "s", "ı" for "i", "ᲃ" for "с", "ς" for "σ",
    # "θ" for "ϑ", ...) is searched line by line. Looked for in the lower-cased text, so
    # that every character lowering to such a variant is caught too.
    return tuple(sorted(kept)), tuple(sorted(_case_variants(kept, extra)))


class LiteralPrefilter:
    """Lines of a document that may match any of ``patterns`` (see the module docstring)."""

    def __init__(self, *patterns: re.Pattern[str]) -> None:
        self.patterns = patterns
        self.literals: frozenset[str] | None = None
        found = _literal_analysis(tuple((p.pattern, int(p.flags)) for p in patterns))
        if found is None:
            return  # some pattern can match without any literal: no prefilter
        kept, variants = found
        self.literals = frozenset(kept)
        self._literal_tuple = kept  # a fixed order for the C search
        # what holds_literal hands find_any: the tuple's chains, built once (not once a line)
        self._literal_chains = self._literal_tuple if _literal_set is None else _literal_set(self._literal_tuple)
        # The unsafe characters, looked for with a few single-character searches (``in``: a
        # memchr-like scan each, and none at all for a character wider than the text's storage),
        # ~40x cheaper on a page than a regex character class, which sre tries at every position.
        self._unsafe_chars = variants
        register_unsafe(variants)

    def may_match(self, text: str) -> bool:
        """Whether one of the patterns may match ``text`` (False: none can); for a single string."""
        if self.literals is None or _ALWAYS_UNSAFE in text:
            return True
        low = text.lower()
        if holds_any(low, self._unsafe_chars):
            return True
        for literal in self.literals:
            if literal in low:
                return True
        return False

    def safe_for(self, low: str) -> bool:
        """Whether :meth:`holds_literal` may be asked about the parts of ``low``, the lower case of
        a text without "İ" (of the same length): the literals are known and ``low`` holds no
        character re.IGNORECASE equates with a letter of theirs beyond lower-casing."""
        return self.literals is not None and not holds_any(low, self._unsafe_chars)

    def safe_for_page(self, page: DocText) -> bool:
        """:meth:`safe_for` of a document's whole lower case (``page.low``), read off what the
        document has already been searched for."""
        return self.literals is not None and not page.holds_any(self._unsafe_chars)

    def holds_literal(self, low_part: str) -> bool:
        """:meth:`may_match` of a line whose lower case ``low_part`` this prefilter is
        :meth:`safe_for` (checked once for a page that holds the line, or for the line itself)."""
        if _find_any is not None:
            return bool(_find_any(low_part, self._literal_chains))
        return any(map(low_part.__contains__, self._literal_tuple))

    def lines_holding(self, texts: Sequence[str]) -> set[int] | None:
        """Indices of ``texts`` that may match; None when any may. The result of :meth:`may_match`
        on each text, found with a few substring searches over the joined texts instead (none of
        the literals holds a newline, so a match never spans two texts; a text holding a newline
        of its own only widens the candidates of the text it belongs to)."""
        if self.literals is None:
            return None
        lines = self.text_lines(DocText(texts))
        return None if lines is None else set(lines)

    def text_lines(self, text: DocText) -> list[int] | None:
        """The lines of a :class:`DocText`, dead ones included, that may match, ascending: those
        holding a literal, and those holding a character the lower-cased search cannot vouch
        for (left to the regexes: what makes a line unsafe stays within it, since no literal
        holds a newline); None when any line may (no literals)."""
        if self.literals is None:
            return None
        found = text.lines(self._literal_tuple)
        forced = text.forced(self._unsafe_chars)
        return sorted(forced.union(found)) if forced else found

    def line_set(self, text: DocText) -> Container[int]:
        """:meth:`text_lines` for membership tests: a set read off the page's shared search (the C
        search), each line tested when asked (without it: a page-wide search of every literal in
        Python costs more than the few lines a rule asks about), or every line (no literals)."""
        if self.literals is None:
            return EVERY_LINE
        if C_SEARCH:
            return set(self.text_lines(text))
        return _LinesHolding(self, text)

    def doc_lines(self, doc: "DocView") -> list[int] | None:
        """The live lines (indices into ``doc.lines``, ascending) that may match; None when any
        line may (no literals). Found over the whole document's text once for every prefilter
        (:class:`DocText`), then restricted to the live lines."""
        lines = self.text_lines(doc_text(doc))
        if lines is None:
            return None
        alive = doc.alive
        return [i for i in lines if alive[i]]

    def positions(self, doc: "DocView") -> set[int] | None:
        """Positions in ``doc.live`` whose line may match; None when any line may (no literals)."""
        lines = self.doc_lines(doc)
        if lines is None:
            return None
        live = doc.live
        return {bisect_left(live, i) for i in lines}  # every line found is live: found exactly

    def live_candidates(self, doc: "DocView") -> list[int]:
        """The live line indices (into ``doc.lines``) whose line may match, in order (every live
        line when the patterns have no literals). Read it only."""
        lines = self.doc_lines(doc)
        return doc.live if lines is None else lines


def top_branches(pattern: re.Pattern[str]) -> list[tuple[re.Pattern[str], frozenset[str] | None]] | None:
    """Each alternative of ``pattern``'s top-level alternation (``a|b|c``) as a regex of its own,
    compiled from the tree sre parsed the whole pattern into (so it is exactly that alternative),
    with the literals one of which its every match holds (None: none are known). None when the
    pattern has no such alternation (sre factored a common prefix out, or made the branches a
    character class) or has groups (a branch could refer to another's)."""
    if pattern.groups or not isinstance(pattern.pattern, str):
        return None
    parts = _branch_parts(pattern.pattern, pattern.flags)
    if parts is None:
        return None
    try:
        return [(build(None, args), literals) for args, literals in parts]
    except Exception:  # pragma: no cover - another Python's internals: the plain search instead
        return None


@persistent
def _branch_parts(pattern: str, flags: int) -> list[tuple[tuple, frozenset[str] | None]] | None:
    """:func:`top_branches`' branches as :func:`cleaner.patterns.build`'s arguments, with their
    literals (kept across processes: parsing K001's alternation is most of its start-up)."""
    try:
        whole = list(_sre_parse.parse(pattern, flags))
        if len(whole) != 1 or whole[0][0] is not _sre_parse.BRANCH:
            return None
        parts = []
        for branch in whole[0][1][1]:
            args = args_of_tree(branch, flags)
            if args is None:
                return None
            parts.append((args, _required(list(branch))))
        return parts
    except Exception:  # pragma: no cover - another Python's internals: the plain search instead
        return None


class BranchSearch:
    """``pattern.search(text) is not None`` for a regex whose top level is a long alternation
    (K001's stock phrases): each branch is searched on its own, and only on a line whose lower
    case holds one of that branch's literals (a branch with none is always searched).

    Exact: the alternation matches somewhere iff one of its branches does (it has no groups),
    and a branch can match only a line holding one of its literals, on a page the prefilters'
    lower case can vouch for (:meth:`safe_for`, as :meth:`LiteralPrefilter.safe_for`). sre
    tries every branch at every position of the line; here a line tries the one or two branches
    its words call for (K001: ~6x fewer CPU seconds on its candidate lines).
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._branches: list[re.Pattern[str]] | None = None
        found = top_branches(pattern)
        extra = extra_cases()
        if found is None or extra is None:
            return
        # a branch's literals as the prefilters fold them; a line is unsafe when it holds a
        # character re.IGNORECASE equates with a letter of any of them (as LiteralPrefilter)
        folded = [None if literals is None else sorted({_fold(s) for s in literals}) for _, literals in found]
        self._always = tuple(branch.search for (branch, _), lits in zip(found, folded) if lits is None)
        by_literal: dict[str, list[int]] = {}
        for k, lits in enumerate(folded):
            for literal in lits or ():
                by_literal.setdefault(literal, []).append(k)
        self._literals = tuple((literal, tuple(ks)) for literal, ks in sorted(by_literal.items()))
        self._literal_chains = None if _literals_in is None else _literal_set(tuple(lit for lit, _ in self._literals))
        self._unsafe_chars = tuple(sorted(_case_variants(by_literal, extra)))
        register_unsafe(self._unsafe_chars)
        self._branches = [branch for branch, _ in found]
        self._search = tuple(branch.search for branch in self._branches)

    def safe_for(self, low: str) -> bool:
        """Whether :meth:`search` may be given parts of ``low`` (see :meth:`LiteralPrefilter.safe_for`)."""
        return self._branches is not None and not holds_any(low, self._unsafe_chars)

    def safe_for_page(self, page: DocText) -> bool:
        """:meth:`safe_for` of a document's whole lower case (see :meth:`LiteralPrefilter.safe_for_page`)."""
        return self._branches is not None and not page.holds_any(self._unsafe_chars)

    def search(self, text: str, low: str) -> bool:
        """Whether ``pattern`` matches in ``text``, whose lower case ``low`` ("İ" as "i") this search
        is :meth:`safe_for` (checked for a page that holds the line, or for the line itself)."""
        if self._branches is None:
            return self.pattern.search(text) is not None
        for search in self._always:
            if search(text):
                return True
        hit: set[int] = set()
        if self._literal_chains is not None:
            literals = self._literals
            for j in _literals_in(low, self._literal_chains):
                hit.update(literals[j][1])
        else:
            for literal, ks in self._literals:
                if literal in low:
                    hit.update(ks)
        search = self._search
        return any(search[k](text) for k in hit)
