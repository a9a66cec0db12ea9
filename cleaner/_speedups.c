/*
 * Optional C accelerator for the main-content classifier (rule M001) and its stop-word
 * language vote, and, at the end of this file, helpers of the rules: find_any, group_lines and
 * digit_lines (the literal and digit searches of cleaner/rules/prefilter.py), dup_shingles and
 * dup_scan (D001's tokenizer and article scan, cleaner/rules/duplicates.py), word_count and
 * split_lines (cleaner/shapes.py, cleaner/textio.py).
 *
 * Computes exactly what cleaner/content/features.py (line_features,
 * context_features) and the logistic passes of cleaner/content/model.py
 * compute, bit for bit: the same float operations in the same order, libm
 * log/log1p/exp as CPython's math module uses them, and the same Unicode
 * character predicates CPython's str methods and the `re` module use
 * (Py_UNICODE_ISALPHA/ISUPPER/ISDECIMAL/ISDIGIT/ISALNUM/ISSPACE). What is hard
 * to mirror (str.lower, str.upper on non-ASCII text, the comment-time and date
 * regexes) is done by calling the Python method or pattern from C.
 *
 * The pure-Python code stays the reference and the fallback; tests/test_speedups.py
 * compares the two on the benchmark dumps, the seeds and generated hostile text.
 * Build: setup.py (optional extension, -ffp-contract=off so no FMA contraction).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h> /* T_OBJECT_EX, READONLY: the slots removal_batch fills */
#include <math.h>
#include <string.h>

#define NLF 65 /* len(LINE_FEATURES) */
#define NCF 19 /* len(CONTEXT_FEATURES) */

/* ------------------------------------------------------------------------ */
/* configuration handed over once by features.py (its own constants)        */

static int configured = 0;
/* held for the span tables built from them (st_furn ... below), which borrow their keys and values */
static PyObject *cfg_furn = NULL;          /* dict word -> category */
static PyObject *cfg_furn_prefix = NULL;   /* dict 7-char prefix -> category */
static PyObject *cfg_comment_first = NULL; /* frozenset */
static PyObject *cfg_comment_says = NULL;  /* frozenset */
static PyObject *cfg_comment_cues = NULL;  /* tuple of str */
static PyObject *cfg_comment_time = NULL;  /* bound method pattern.search */
static PyObject *cfg_date = NULL;          /* bound method pattern.search */
static PyObject *cfg_teaser_ends = NULL;   /* tuple of str */
static PyObject *cfg_empty = NULL;         /* "" */
static PyObject *s_dash = NULL;
static PyObject *s_lower = NULL, *s_upper = NULL, *s_casefold = NULL;
static PyObject *k_nwords, *k_sent, *k_stop, *k_furniture, *k_short_run, *k_block_id, *k_region, *k_mass, *k_items,
    *k_p1;
static long cfg_short_words = 4;
/* the comment cues' chains (find_any's search, defined below), built by configure */
static int cues_build(PyObject *cues);
static int cues_in(PyObject *lower);

#define MAXCH 32
static Py_UCS4 sent_end[MAXCH]; static int n_sent_end = 0;
static Py_UCS4 closers[MAXCH]; static int n_closers = 0;
static Py_UCS4 bullets[MAXCH]; static int n_bullets = 0;
static Py_UCS4 sepch[MAXCH]; static int n_sepch = 0;

static int
in_set(const Py_UCS4 *set, int n, Py_UCS4 ch)
{
    for (int k = 0; k < n; k++)
        if (set[k] == ch)
            return 1;
    return 0;
}

/* chars of a str, or of the 1-char strs of an iterable, into a UCS4 array */
static int
load_chars(PyObject *obj, Py_UCS4 *out, int *n, const char *what)
{
    PyObject *seq = PySequence_Fast(obj, what);
    if (seq == NULL)
        return -1;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    /* sort-insensitive: a frozenset's order does not matter for membership */
    if (m > MAXCH) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s: too many characters", what);
        return -1;
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *s = items[k];
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) != 1) {
            Py_DECREF(seq);
            PyErr_Format(PyExc_ValueError, "%s: expected single characters", what);
            return -1;
        }
        out[k] = PyUnicode_READ_CHAR(s, 0);
    }
    *n = (int)m;
    Py_DECREF(seq);
    return 0;
}

static void
set_ref(PyObject **slot, PyObject *value)
{
    Py_XINCREF(value);
    Py_XSETREF(*slot, value);
}

/* 1 when ``arg`` is a str, else 0 with a TypeError naming the function ``what`` */
static int
is_str_arg(PyObject *arg, const char *what)
{
    if (PyUnicode_Check(arg))
        return 1;
    PyErr_Format(PyExc_TypeError, "%s: a str is needed", what);
    return 0;
}

/* The character predicates of the line loop. */
enum { CF_SPACE = 1, CF_UPPER = 2, CF_ALPHA = 4, CF_DECIMAL = 8, CF_SEP = 16 };

/* What the line loop adds up for each character, in fields of SC_BITS bits of one word: letters,
 * decimal digits, separators, then (Latin-1 only) commas and dots. A run of SC_RUN characters
 * cannot carry one field into the next, so the loop adds a run's words, then unpacks them. The
 * word of a Latin-1 character (latin1_counts) also holds, above the fields, whether it is a
 * space, an upper-case letter, and one of latin1_mark's marks: what the loop reads of it, with
 * one load (the bits pile up above the fields when the words are added, and are not read). */
#define SC_BITS 12
#define SC_RUN ((1 << SC_BITS) - 1)
enum { SC_ALPHA, SC_DIGIT, SC_SEP, SC_COMMA, SC_DOT, SC_FIELDS };
#define SC_SPACE_BIT 60
#define SC_UPPER_BIT 61
#define SC_MARK_BIT 62
static uint64_t latin1_counts[256]; /* filled by configure() (fill_latin1_flags), once the separators are known */
static unsigned char latin1_mark[256]; /* filled by fill_latin1_mark */

/* the word of a character of flags ``f``: its letter, digit and separator counts, and whether
 * it is a space or an upper-case letter */
static inline uint64_t
flag_counts(unsigned f)
{
    return (uint64_t)((f & CF_ALPHA) != 0) << (SC_ALPHA * SC_BITS) |
           (uint64_t)((f & CF_DECIMAL) != 0) << (SC_DIGIT * SC_BITS) |
           (uint64_t)((f & CF_SEP) != 0) << (SC_SEP * SC_BITS) | (uint64_t)((f & CF_SPACE) != 0) << SC_SPACE_BIT |
           (uint64_t)((f & CF_UPPER) != 0) << SC_UPPER_BIT;
}
static void fill_latin1_flags(void);
static PyObject *int_list(const Py_ssize_t *v, Py_ssize_t n);

#define SW8_ONES 0x0101010101010101ull
#define SW8_HIGHS 0x8080808080808080ull
/* whether a byte of ``x`` is below ``n`` (n <= 0x80); exact as a test of the eight */
#define SW8_HAS_LESS(x, n) (((x) - SW8_ONES * (n)) & ~(x) & SW8_HIGHS)

/* Four two-byte characters at a time (SWAR on 16-bit lanes, "bit twiddling hacks"): whether one
 * of the characters in ``x`` (eight bytes of a two-byte text) is below ``n`` (n <= 0x8000), above
 * ``n`` (n <= 0x7FFF), or strictly between ``m`` and ``n`` (m <= 0x7FFF, n <= 0x8000). Exact as
 * tests of the four; a caller that needs the character reads the four again. Most pages are
 * stored two bytes a character (one curly quote is enough), so their scans read them this way. */
#define SW16_ONES 0x0001000100010001ull
#define SW16_HIGHS 0x8000800080008000ull
#define SW16_LOW15 0x7FFF7FFF7FFF7FFFull
#define SW16_HAS_LESS(x, n) (((x) - SW16_ONES * (n)) & ~(x) & SW16_HIGHS)
#define SW16_HAS_MORE(x, n) ((((x) + SW16_ONES * (0x7FFF - (n))) | (x)) & SW16_HIGHS)
#define SW16_HAS_BETWEEN(x, m, n)                                                                          \
    ((SW16_ONES * (0x7FFF + (n)) - ((x) & SW16_LOW15)) & ~(x) & (((x) & SW16_LOW15) + SW16_ONES * (0x7FFF - (m))) & \
     SW16_HIGHS)

static inline uint64_t
load4_ucs2(const Py_UCS2 *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* ASCII's lower case of eight one-byte or four two-byte characters at once, when every one of
 * them is ASCII (below 0x80: no sum below carries out of its lane): 0x20 is added to each of
 * "A"-"Z", the lanes at or above "A" and not above "Z" found by two additions. */
static inline uint64_t
ascii_lower8(uint64_t x)
{
    return x | ((x + SW8_ONES * (0x80 - 'A')) & ~(x + SW8_ONES * (0x80 - 'Z' - 1)) & SW8_HIGHS) >> 2;
}

static inline uint64_t
ascii_lower16(uint64_t x)
{
    return x | ((x + SW16_ONES * (0x8000 - 'A')) & ~(x + SW16_ONES * (0x8000 - 'Z' - 1)) & SW16_HIGHS) >> 10;
}

#define SW8_ASCII(x) (((x) & SW8_HIGHS) == 0)
#define SW16_ASCII(x) (((x) & (SW16_ONES * 0xFF80)) == 0)

/* Lower case without str.lower's per-character full case mapping: the simple mapping of
 * every character (Py_UNICODE_TOLOWER, what re.IGNORECASE compares). The two agree on every
 * code point but "İ" (U+0130, "i" here, "i̇" for str.lower; tests/test_speedups.py checks
 * all of Unicode), and in context on "Σ" (str.lower's final sigma, "ς" at a word's end): the
 * lines holding a "Σ" are lowered by str.lower too (fix_sigmas). ``keep_offsets``: "İ" becomes
 * "i" (the result has the text's length, base.lower_keeping_offsets); else a text holding "İ"
 * is lowered by str.lower. A new reference, or NULL with an exception. */
static Py_UCS1 latin1_lower[256]; /* Py_UNICODE_TOLOWER of each Latin-1 character (filled at init) */

static inline Py_UCS4
lower_of(Py_UCS4 ch)
{
    return ch < 256 ? latin1_lower[ch] : Py_UNICODE_TOLOWER(ch);
}

/* lower_of every character of the Basic Multilingual Plane (128 kB), made on the first text of
 * two-byte characters lowered; NULL until then, or when some character of the plane lowers out
 * of it (none does in the Unicode of CPython 3.11-3.13: the table is then not used). */
static Py_UCS2 *bmp_lower = NULL;
static int bmp_lower_tried = 0;

static void
make_bmp_lower(void)
{
    bmp_lower_tried = 1;
    Py_UCS2 *t = PyMem_Malloc(0x10000 * sizeof(Py_UCS2));
    if (t == NULL)
        return; /* not an error: the characters are lowered one by one */
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) {
        const Py_UCS4 lo = lower_of(ch);
        if (lo > 0xFFFF) {
            PyMem_Free(t);
            return;
        }
        t[ch] = (Py_UCS2)lo;
    }
    bmp_lower = t;
}

/* lower_of(ch), read from the plane's table when there is one */
static inline Py_UCS4
lower_in_plane(Py_UCS4 ch)
{
    return ch < 0x10000 && bmp_lower != NULL ? bmp_lower[ch] : lower_of(ch);
}

/* lower_of each of the n bytes of a Latin-1 text ``in`` into ``o``: eight at a time where they
 * are ASCII */
static void
lower_bytes(const Py_UCS1 *in, Py_UCS1 *o, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    for (uint64_t x; i + 8 <= n; i += 8) {
        memcpy(&x, in + i, 8);
        if (SW8_ASCII(x)) {
            x = ascii_lower8(x);
            memcpy(o + i, &x, 8);
        } else
            for (int k = 0; k < 8; k++)
                o[i + k] = latin1_lower[in[i + k]];
    }
    for (; i < n; i++)
        o[i] = latin1_lower[in[i]];
}

/* str.lower of ``s``; with ``keep_offsets``, of ``s`` with "İ" replaced by "i" */
static PyObject *
str_lower(PyObject *s, int keep_offsets)
{
    if (keep_offsets) {
        PyObject *i_dot = PyUnicode_FromOrdinal(0x130), *i = PyUnicode_FromOrdinal('i');
        PyObject *plain = i_dot && i ? PyUnicode_Replace(s, i_dot, i, -1) : NULL;
        Py_XDECREF(i_dot);
        Py_XDECREF(i);
        if (plain == NULL)
            return NULL;
        PyObject *low = PyObject_CallMethodNoArgs(plain, s_lower);
        Py_DECREF(plain);
        return low;
    }
    return PyObject_CallMethodNoArgs(s, s_lower);
}

/* The final sigma: str.lower makes "Σ" "ς" or "σ" by its context, which a line break ends (it is
 * neither cased nor case-ignorable: both of the context's scans stop there). ``out`` is ``s``
 * lowered a character at a time ("Σ" as "σ"); each line of ``s`` holding a "Σ" is lowered again
 * by str_lower, and its sigmas taken from that. 0; 1 when a line's lower case is not as long as
 * the line (the caller lowers the whole text by str_lower); or -1 with an exception. */
static int
fix_sigmas(PyObject *s, PyObject *out, int keep_offsets)
{
    const int kind = PyUnicode_KIND(s), okind = PyUnicode_KIND(out);
    const void *data = PyUnicode_DATA(s);
    void *odata = PyUnicode_DATA(out);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyUnicode_READ(kind, data, i) != 0x3A3)
            continue;
        Py_ssize_t a = i, b = i + 1;
        while (a > 0 && PyUnicode_READ(kind, data, a - 1) != '\n')
            a--;
        while (b < n && PyUnicode_READ(kind, data, b) != '\n')
            b++;
        PyObject *line = PyUnicode_Substring(s, a, b);
        PyObject *low = line != NULL ? str_lower(line, keep_offsets) : NULL;
        Py_XDECREF(line);
        if (low == NULL)
            return -1;
        if (PyUnicode_GET_LENGTH(low) != b - a) {
            Py_DECREF(low);
            return 1;
        }
        for (Py_ssize_t k = i; k < b; k++)
            if (PyUnicode_READ(kind, data, k) == 0x3A3)
                PyUnicode_WRITE(okind, odata, k, PyUnicode_READ_CHAR(low, k - a));
        Py_DECREF(low);
        i = b; /* the line break, or the end */
    }
    return 0;
}

static PyObject *
fast_lower(PyObject *s, int keep_offsets)
{
    const int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (PyUnicode_IS_ASCII(s)) {
        /* ASCII lowers to ASCII, one character each (without str.lower's method call) */
        PyObject *out = PyUnicode_New(n, 127);
        if (out == NULL)
            return NULL;
        lower_bytes(data, PyUnicode_1BYTE_DATA(out), n);
        return out;
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        /* a Latin-1 text: no "Σ" nor "İ", and its lower case is Latin-1 with a non-ASCII
         * character still (no character of 128-255 lowers into ASCII: tested) */
        PyObject *out = PyUnicode_New(n, 255);
        if (out == NULL)
            return NULL;
        lower_bytes(data, PyUnicode_1BYTE_DATA(out), n);
        return out;
    }
    PyObject *out;
    int sigma = 0; /* a "Σ" in the text: fix_sigmas */
    if (kind == PyUnicode_2BYTE_KIND && !bmp_lower_tried)
        make_bmp_lower();
    if (kind == PyUnicode_2BYTE_KIND && bmp_lower != NULL) {
        /* the same two passes, each character read from the table; eight ASCII characters at
         * once (they lower to ASCII: no "Σ", no "İ", and the kind of the result is that of the
         * other characters' largest lower case, the only ones the first pass reads) */
        const Py_UCS2 *in = data;
        Py_UCS2 maxchar = 0, dotted = 0;
        for (Py_ssize_t i = 0; i < n;) {
            while (i + 8 <= n && SW16_ASCII(load4_ucs2(in + i) | load4_ucs2(in + i + 4)))
                i += 8;
            for (const Py_ssize_t end = i + 8 <= n ? i + 8 : n; i < end; i++) {
                const Py_UCS2 ch = in[i], lo = bmp_lower[ch];
                sigma |= ch == 0x3A3;
                dotted |= ch == 0x130;
                maxchar = lo > maxchar ? lo : maxchar;
            }
        }
        if (dotted && !keep_offsets)
            goto by_str_lower;
        out = PyUnicode_New(n, maxchar);
        if (out == NULL)
            return NULL;
        const int narrow = PyUnicode_KIND(out) == PyUnicode_1BYTE_KIND;
        Py_UCS1 *o1 = narrow ? PyUnicode_1BYTE_DATA(out) : NULL;
        Py_UCS2 *o2 = narrow ? NULL : PyUnicode_2BYTE_DATA(out);
        Py_ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            Py_UCS2 low[8];
            uint64_t x = load4_ucs2(in + i), y = load4_ucs2(in + i + 4);
            if (SW16_ASCII(x | y)) {
                x = ascii_lower16(x);
                y = ascii_lower16(y);
                memcpy(low, &x, 8);
                memcpy(low + 4, &y, 8);
            } else
                for (int k = 0; k < 8; k++)
                    low[k] = bmp_lower[in[i + k]];
            if (narrow)
                for (int k = 0; k < 8; k++)
                    o1[i + k] = (Py_UCS1)low[k];
            else
                memcpy(o2 + i, low, 16);
        }
        for (; i < n; i++) {
            if (narrow)
                o1[i] = (Py_UCS1)bmp_lower[in[i]];
            else
                o2[i] = bmp_lower[in[i]];
        }
        goto sigmas;
    }
    /* four bytes a character (or no table): the characters of the plane from the table too */
    if (!bmp_lower_tried)
        make_bmp_lower();
    Py_UCS4 maxchar = 0;
    int dotted = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        sigma |= ch == 0x3A3;
        dotted |= ch == 0x130;
        const Py_UCS4 lo = lower_in_plane(ch);
        if (lo > maxchar)
            maxchar = lo;
    }
    if (dotted && !keep_offsets)
        goto by_str_lower;
    out = PyUnicode_New(n, maxchar);
    if (out == NULL)
        return NULL;
    const int okind = PyUnicode_KIND(out);
    void *odata = PyUnicode_DATA(out);
    for (Py_ssize_t i = 0; i < n; i++)
        PyUnicode_WRITE(okind, odata, i, lower_in_plane(PyUnicode_READ(kind, data, i)));
sigmas:
    if (sigma) {
        const int r = fix_sigmas(s, out, keep_offsets);
        if (r != 0) {
            Py_DECREF(out);
            if (r < 0)
                return NULL;
            goto by_str_lower;
        }
    }
    return out;
by_str_lower:
    return str_lower(s, keep_offsets);
}

/* lower_text(text) -> base.lower_keeping_offsets(text): text.lower() with "İ" as "i" */
static PyObject *
sp_lower_text(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "lower_text"))
        return NULL;
    return fast_lower(arg, 1);
}

/* A set (or dict) of str looked up by a span of a text, without making a str of the span:
 * open addressing on span_hash() of the key's code points (see the stop-word table below). */
typedef struct {
    uint64_t h;
    PyObject *key;   /* borrowed from the set or dict the table was built from */
    PyObject *value; /* borrowed: the dict's value, Py_True for a set */
} SEntry;
typedef struct {
    SEntry *e;
    size_t mask;
} SpanTable;
static int st_build(SpanTable *t, PyObject *keys);
static void st_free(SpanTable *t);
/* the tables of the configured dicts and sets (they keep the keys and values alive) */
static SpanTable st_furn = {0}, st_furn_prefix = {0}, st_comment_first = {0}, st_comment_says = {0};

static PyObject *
sp_configure(PyObject *self, PyObject *args)
{
    PyObject *furn, *furn_prefix, *cfirst, *csays, *ccues, *ctime, *date;
    PyObject *sent, *clos, *bull, *seps, *teaser;
    long short_words;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!OOOOOOO!l:configure",
                          &PyDict_Type, &furn, &PyDict_Type, &furn_prefix,
                          &PyFrozenSet_Type, &cfirst, &PyFrozenSet_Type, &csays,
                          &PyTuple_Type, &ccues, &ctime, &date,
                          &sent, &clos, &bull, &seps, &PyTuple_Type, &teaser, &short_words))
        return NULL;
    if (!PyCallable_Check(ctime) || !PyCallable_Check(date)) {
        PyErr_SetString(PyExc_TypeError, "configure: regex search methods expected");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(ccues); k++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(ccues, k))) {
            PyErr_SetString(PyExc_TypeError, "configure: comment cues must be str");
            return NULL;
        }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(teaser); k++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(teaser, k))) {
            PyErr_SetString(PyExc_TypeError, "configure: teaser ends must be str");
            return NULL;
        }
    if (load_chars(sent, sent_end, &n_sent_end, "sent_end") < 0 ||
        load_chars(clos, closers, &n_closers, "closers") < 0 ||
        load_chars(bull, bullets, &n_bullets, "bullets") < 0 ||
        load_chars(seps, sepch, &n_sepch, "separators") < 0)
        return NULL;
    SpanTable t_furn = {0}, t_prefix = {0}, t_first = {0}, t_says = {0};
    /* the cue chains are put in use last: they borrow ``ccues``, which cfg_comment_cues then holds */
    if (st_build(&t_furn, furn) < 0 || st_build(&t_prefix, furn_prefix) < 0 || st_build(&t_first, cfirst) < 0 ||
        st_build(&t_says, csays) < 0 || cues_build(ccues) < 0) {
        st_free(&t_furn);
        st_free(&t_prefix);
        st_free(&t_first);
        st_free(&t_says);
        return NULL;
    }
    st_free(&st_furn);
    st_free(&st_furn_prefix);
    st_free(&st_comment_first);
    st_free(&st_comment_says);
    st_furn = t_furn;
    st_furn_prefix = t_prefix;
    st_comment_first = t_first;
    st_comment_says = t_says;
    set_ref(&cfg_furn, furn);
    set_ref(&cfg_furn_prefix, furn_prefix);
    set_ref(&cfg_comment_first, cfirst);
    set_ref(&cfg_comment_says, csays);
    set_ref(&cfg_comment_cues, ccues);
    set_ref(&cfg_comment_time, ctime);
    set_ref(&cfg_date, date);
    set_ref(&cfg_teaser_ends, teaser);
    cfg_short_words = short_words;
    fill_latin1_flags();
    configured = 1;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------ */
/* helpers                                                                   */

/* Character predicates: the Unicode database's answer, with the ASCII range inlined (in the
 * database the only ASCII letters are A-Z a-z, the only decimal/digit characters 0-9, the
 * only upper-case letters A-Z; tests/test_speedups.py checks these against str methods). */
static inline int
is_alpha(Py_UCS4 ch)
{
    if (ch < 128)
        return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
    return Py_UNICODE_ISALPHA(ch);
}

static inline int
is_decimal(Py_UCS4 ch)
{
    /* what `\d` matches in a str pattern (sre's SRE_UNI_IS_DIGIT) */
    if (ch < 128)
        return ch >= '0' && ch <= '9';
    return Py_UNICODE_ISDECIMAL(ch);
}

static inline int
is_upper(Py_UCS4 ch)
{
    if (ch < 128)
        return ch >= 'A' && ch <= 'Z';
    return Py_UNICODE_ISUPPER(ch);
}

/* sre's SRE_UNI_IS_WORD: what `\w` matches in a str pattern without re.ASCII */
static inline int
word_char_of(Py_UCS4 ch)
{
    if (ch < 128)
        return ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    return Py_UNICODE_ISALNUM(ch);
}

static unsigned char latin1_word[256]; /* word_char_of each Latin-1 character (filled at init) */

/* word_char_of, read from a table for the Latin-1 characters (the words of most pages) */
static inline int
is_word_char(Py_UCS4 ch)
{
    return ch < 256 ? latin1_word[ch] : Py_UNICODE_ISALNUM(ch);
}

/* The next `\w+` run of ``data[*i:n]``: 1, with the run at ``[*start, *i)`` (``*i`` moved past
 * it), or 0 when there is none. */
static inline int
next_word(int kind, const void *data, Py_ssize_t n, Py_ssize_t *i, Py_ssize_t *start)
{
    Py_ssize_t k = *i;
    while (k < n && !is_word_char(PyUnicode_READ(kind, data, k)))
        k++;
    if (k >= n) {
        *i = n;
        return 0;
    }
    *start = k;
    while (k < n && is_word_char(PyUnicode_READ(kind, data, k)))
        k++;
    *i = k;
    return 1;
}

/* the line loop's predicates of ``ch`` (CF_*; the separators: configure()'s) */
static inline unsigned
char_flags(Py_UCS4 ch)
{
    return (Py_UNICODE_ISSPACE(ch) ? CF_SPACE : 0) | (is_upper(ch) ? CF_UPPER : 0) | (is_alpha(ch) ? CF_ALPHA : 0) |
           (is_decimal(ch) ? CF_DECIMAL : 0) | (in_set(sepch, n_sepch, ch) ? CF_SEP : 0);
}

/* latin1_counts: each Latin-1 character's word, from the predicates themselves */
static void
fill_latin1_flags(void)
{
    for (Py_UCS4 ch = 0; ch < 256; ch++)
        latin1_counts[ch] = flag_counts(char_flags(ch)) | (uint64_t)(ch == ',') << (SC_COMMA * SC_BITS) |
                            (uint64_t)(ch == '.') << (SC_DOT * SC_BITS) |
                            (uint64_t)(latin1_mark[ch] != 0) << SC_MARK_BIT;
}

static inline int
is_date_sep(Py_UCS4 ch)
{
    return ch == '.' || ch == '/' || ch == '-';
}

/* _DATE.search(line) is not None, for
 *   \d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}|(?:19|20)\d\d
 * A search succeeds where some start position matches; the variable-width heads only widen
 * the choice of start, so it is enough to find one digit before a separator (or colon) and
 * the fixed shapes after it. */
static int
date_search(int kind, const void *data, Py_ssize_t n)
{
#define CH(k) PyUnicode_READ(kind, data, (k))
#define DEC(k) ((k) < n && is_decimal(CH(k)))
#define SEP(k) ((k) < n && is_date_sep(CH(k)))
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 ch = CH(k);
        if (is_date_sep(ch)) {
            if (k > 0 && is_decimal(CH(k - 1)) && DEC(k + 1)) {
                if (SEP(k + 2) && DEC(k + 3) && DEC(k + 4))
                    return 1;
                if (DEC(k + 2) && SEP(k + 3) && DEC(k + 4) && DEC(k + 5))
                    return 1;
            }
        } else if (ch == ':') {
            if (k > 0 && is_decimal(CH(k - 1)) && DEC(k + 1) && DEC(k + 2))
                return 1;
        } else if (ch == '1' || ch == '2') {
            if (k + 1 < n && CH(k + 1) == (ch == '1' ? '9' : '0') && DEC(k + 2) && DEC(k + 3))
                return 1;
        }
    }
    return 0;
#undef CH
#undef DEC
#undef SEP
}

/* ------------------------------------------------------------------------------------------
 * The stop-word vote index of features.py (word -> the languages whose stoplist holds it, one
 * byte each, ascending), as an open-addressing table keyed by a hash of the word's code points:
 * a word of a line is looked up from its span of the text, without making a str of it.
 *
 * The index is one blob of bytes (its layout: StopHeader below), looked up where it lies: the
 * blob stop_texts(texts) makes from the stoplist files' text itself (no set of str is made), or
 * the one an earlier process kept, which stop_load() takes as it is (a file mapped in memory:
 * nothing copied, nothing built, and only the pages a lookup reads are read from the file).
 */
typedef struct {
    uint64_t h;
    uint32_t off;      /* where the word's characters start in the blob (0: an empty slot); its
                        * languages, a byte each, follow them */
    uint16_t len;      /* its length in characters */
    uint8_t kind;      /* PyUnicode kind of its characters */
    uint8_t nlangs;    /* number of its languages */
} WEntry;
static const char *wt_base = NULL;      /* the blob in use */
static const WEntry *wt = NULL;         /* its table */
static size_t wt_mask = 0;
static Py_buffer wt_blob;               /* what holds the blob (wt_blob.obj: bytes, a mapped file) */
static PyObject *wt_counts = NULL;      /* the words of each language: what stop_texts() returned */
/* One bit per hash (its high bits) of the table's words, in the blob: 256 kB that stay in cache,
 * where the 4 MB table does not. Most words of a page that no stoplist holds stop here, without
 * the cache miss of a probe. */
#define WT_BLOOM_BITS 21
#define WT_BLOOM_WORDS ((size_t)1 << (WT_BLOOM_BITS - 6))
static const uint64_t *wt_bloom = NULL;
#define WT_BLOOM_BIT(h) ((h) >> (64 - WT_BLOOM_BITS))

/* the characters and the languages of a word of the blob in use */
static inline const void *
wt_chars(const WEntry *e)
{
    return wt_base + e->off;
}
static inline const unsigned char *
wt_langs(const WEntry *e)
{
    return (const unsigned char *)wt_base + e->off + (size_t)e->len * e->kind;
}

static inline uint64_t
mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint64_t
span_hash(int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (Py_ssize_t k = i; k < j; k++)
        h = (h ^ (uint64_t)PyUnicode_READ(kind, data, k)) * 0x100000001b3ull;
    return mix64(h ^ (uint64_t)(j - i));
}

/* next_word and span_hash in one pass: the next word's span, and its span_hash in ``*h`` */
static inline int
next_word_hashed(int kind, const void *data, Py_ssize_t n, Py_ssize_t *i, Py_ssize_t *start, uint64_t *h)
{
    Py_ssize_t k = *i;
    Py_UCS4 ch = 0;
    while (k < n && !is_word_char(ch = PyUnicode_READ(kind, data, k)))
        k++;
    if (k >= n) {
        *i = n;
        return 0;
    }
    *start = k;
    uint64_t f = 0xcbf29ce484222325ull;
    do {
        f = (f ^ (uint64_t)ch) * 0x100000001b3ull;
        k++;
    } while (k < n && is_word_char(ch = PyUnicode_READ(kind, data, k)));
    *i = k;
    *h = mix64(f ^ (uint64_t)(k - *start));
    return 1;
}

/* the slot of ``table`` (mask ``mask``; a table of words of the blob in use) holding the span
 * text[i:j] (hash ``h``), or the empty slot where it would go */
static inline const WEntry *
wt_slot(const WEntry *table, size_t mask, uint64_t h, int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    for (size_t slot = (size_t)h & mask;; slot = (slot + 1) & mask) {
        const WEntry *e = &table[slot];
        if (e->off == 0)
            return e;
        if (e->h != h || e->len != j - i)
            continue;
        const void *w = wt_chars(e);
        Py_ssize_t k = 0;
        while (k < j - i && PyUnicode_READ(e->kind, w, k) == PyUnicode_READ(kind, data, i + k))
            k++;
        if (k == j - i)
            return e;
    }
}

/* One language's stoplist as a table of its own, made on first use (lang_stop_of): the words of
 * a page, looked up for its stop-word density, probe its language's words (a few kB) instead of
 * the index of every language's (6 MB: a cache miss a word). Made from lang_slots, the slots of
 * each language's words in the index, listed in one pass over it when the first is needed. */
typedef struct {
    WEntry *table;
    size_t mask;
} LangStop;
static LangStop lang_stop[256];
static uint32_t *lang_slots = NULL; /* language k's words: lang_slots[lang_first[k] .. lang_first[k + 1]] */
static size_t lang_first[257];

/* forget the tables made of the index (it is being replaced) */
static void
lang_stop_clear(void)
{
    for (int k = 0; k < 256; k++)
        PyMem_Free(lang_stop[k].table);
    memset(lang_stop, 0, sizeof(lang_stop));
    PyMem_Free(lang_slots);
    lang_slots = NULL;
}

/* the table of language ``lang``'s words, or NULL with an exception (no memory) */
static const LangStop *
lang_stop_of(int lang)
{
    LangStop *ls = &lang_stop[lang];
    if (ls->table != NULL)
        return ls;
    if (lang_slots == NULL) {
        size_t total = 0;
        memset(lang_first, 0, sizeof(lang_first));
        for (size_t s = 0; s <= wt_mask; s++)
            if (wt[s].off != 0)
                for (int q = 0; q < wt[s].nlangs; q++)
                    lang_first[wt_langs(&wt[s])[q] + 1]++;
        for (int k = 0; k < 256; k++)
            lang_first[k + 1] += lang_first[k];
        total = lang_first[256];
        lang_slots = PyMem_Malloc(sizeof(uint32_t) * (total + 1));
        if (lang_slots == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        size_t fill[256];
        memcpy(fill, lang_first, sizeof(fill));
        for (size_t s = 0; s <= wt_mask; s++)
            if (wt[s].off != 0)
                for (int q = 0; q < wt[s].nlangs; q++)
                    lang_slots[fill[wt_langs(&wt[s])[q]]++] = (uint32_t)s;
    }
    const size_t n = lang_first[lang + 1] - lang_first[lang];
    size_t cap = 16;
    while (cap < n + n / 2 + 2) /* at most 2/3 full */
        cap <<= 1;
    WEntry *table = PyMem_Calloc(cap, sizeof(WEntry));
    if (table == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (size_t k = lang_first[lang]; k < lang_first[lang + 1]; k++) {
        const WEntry *e = &wt[lang_slots[k]];
        *(WEntry *)wt_slot(table, cap - 1, e->h, e->kind, wt_chars(e), 0, e->len) = *e; /* (table is ours) */
    }
    ls->table = table;
    ls->mask = cap - 1;
    return ls;
}

/* whether the word text[i:j] (``h``: its span_hash) is in ``ls``, a language's stoplist */
static inline int
is_stop_h(const LangStop *ls, uint64_t h, int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    return j - i <= UINT16_MAX && wt_slot(ls->table, ls->mask, h, kind, data, i, j)->off != 0;
}

/* the blob stop_check() accepted put in place of the last one (``blob`` is taken over: released
 * when another index replaces it) */
static void
wt_install(Py_buffer *blob, const char *table, size_t mask, const char *bloom, PyObject *counts)
{
    lang_stop_clear();
    if (wt_blob.obj != NULL)
        PyBuffer_Release(&wt_blob);
    wt_blob = *blob;
    wt_base = blob->buf;
    wt = (const WEntry *)table;
    wt_mask = mask;
    wt_bloom = (const uint64_t *)bloom;
    set_ref(&wt_counts, counts);
}

/* st_build(t, keys): the table of a set of str (values Py_True) or a dict with str keys; 0, or
 * -1 with an exception (a key that is not a str). The set or dict must outlive the table. */
static int
st_build(SpanTable *t, PyObject *keys)
{
    const int is_dict = PyDict_Check(keys);
    if (!is_dict && !PyAnySet_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "a set or dict of str is needed");
        return -1;
    }
    const Py_ssize_t n = is_dict ? PyDict_GET_SIZE(keys) : PySet_GET_SIZE(keys);
    size_t cap = 8;
    while (cap < (size_t)n * 2 + 2) /* at most half full */
        cap <<= 1;
    SEntry *e = PyMem_Calloc(cap, sizeof(SEntry));
    if (e == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    /* a set's items in a list (the set holds them; its iterator has no borrowing form) */
    PyObject *items = is_dict ? NULL : PySequence_List(keys);
    if (!is_dict && items == NULL) {
        PyMem_Free(e);
        return -1;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value = Py_True;
    for (;;) {
        if (is_dict) {
            if (!PyDict_Next(keys, &pos, &key, &value))
                break;
        } else {
            if (pos >= PyList_GET_SIZE(items))
                break;
            key = PyList_GET_ITEM(items, pos++);
        }
        if (!PyUnicode_Check(key)) {
            Py_XDECREF(items);
            PyMem_Free(e);
            PyErr_SetString(PyExc_TypeError, "the keys must be str");
            return -1;
        }
        const Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        const uint64_t h = span_hash(PyUnicode_KIND(key), PyUnicode_DATA(key), 0, len);
        size_t slot = (size_t)h & (cap - 1);
        while (e[slot].key != NULL) /* keys of a set or dict are distinct */
            slot = (slot + 1) & (cap - 1);
        e[slot].h = h;
        e[slot].key = key;
        e[slot].value = value;
    }
    Py_XDECREF(items);
    t->e = e;
    t->mask = cap - 1;
    return 0;
}

static void
st_free(SpanTable *t)
{
    PyMem_Free(t->e);
    t->e = NULL;
    t->mask = 0;
}

/* the value (borrowed) of the key text[i:j] (``h``: its span_hash), or NULL when absent */
static inline PyObject *
st_get(const SpanTable *t, uint64_t h, int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    for (size_t slot = (size_t)h & t->mask;; slot = (slot + 1) & t->mask) {
        const SEntry *e = &t->e[slot];
        if (e->key == NULL)
            return NULL;
        if (e->h != h || PyUnicode_GET_LENGTH(e->key) != j - i)
            continue;
        const int kk = PyUnicode_KIND(e->key);
        const void *kd = PyUnicode_DATA(e->key);
        Py_ssize_t k = 0;
        while (k < j - i && PyUnicode_READ(kk, kd, k) == PyUnicode_READ(kind, data, i + k))
            k++;
        if (k == j - i)
            return e->value;
    }
}

/* The line of a text that starts at ``pos``: its end (the next "\n", or the text's end) is
 * returned, and [*s, *e) is the line stripped of whitespace as str.strip strips it. */
static inline Py_ssize_t
stripped_line(int kind, const void *data, Py_ssize_t n, Py_ssize_t pos, Py_ssize_t *s, Py_ssize_t *e)
{
    Py_ssize_t end = pos;
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *nl = pos < n ? memchr((const char *)data + pos, '\n', (size_t)(n - pos)) : NULL;
        end = nl != NULL ? nl - (const char *)data : n;
    } else {
        if (kind == PyUnicode_2BYTE_KIND) /* past the four characters that hold no "\n" */
            while (end + 4 <= n && !SW16_HAS_LESS(load4_ucs2((const Py_UCS2 *)data + end) ^ SW16_ONES * '\n', 1))
                end += 4;
        while (end < n && PyUnicode_READ(kind, data, end) != '\n')
            end++;
    }
    Py_ssize_t a = pos, b = end;
    while (a < b && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)))
        a++;
    while (b > a && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1)))
        b--;
    *s = a;
    *e = b;
    return end;
}

/* The words of a stoplist file's text: its "\n"-separated lines stripped of whitespace (as
 * str.strip does), the empty ones skipped. Calls visit(word span) for each; returns how many
 * words visit accepted (it returns 1 for a new word of the language, else 0). */
typedef int (*word_visitor)(void *ctx, int kind, const void *data, Py_ssize_t a, Py_ssize_t b);
static Py_ssize_t
stoplist_words(PyObject *text, word_visitor visit, void *ctx)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t accepted = 0, a = 0;
    while (a <= n) {
        Py_ssize_t s, e;
        const Py_ssize_t b = stripped_line(kind, data, n, a, &s, &e);
        if (e > s)
            accepted += visit(ctx, kind, data, s, e);
        a = b + 1;
    }
    return accepted;
}

/* how many times ``ch`` occurs in ``s`` */
static Py_ssize_t
count_char(PyObject *s, Py_UCS4 ch)
{
    const int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t c = 0;
    for (Py_ssize_t k = 0, n = PyUnicode_GET_LENGTH(s); k < n; k++)
        c += PyUnicode_READ(kind, data, k) == ch;
    return c;
}

/* The blob of an index: a header, each language's number of words (8 bytes each), the table
 * (cap entries), the bloom filter (WT_BLOOM_WORDS words), then each word's characters (aligned to
 * their size) followed by its languages, in this machine's byte order. The header holds a
 * checksum of the whole (of the rest of the header, and of what follows it). */
typedef struct {
    char magic[8];     /* "clstop3" */
    uint32_t order;    /* STOP_ORDER as written */
    uint32_t nl;       /* languages */
    uint64_t cap;      /* the table's size, a power of two */
    uint64_t n_words;  /* entries */
    uint64_t size;     /* bytes of the blob, a multiple of 8 */
    uint64_t sum;      /* stop_sum() of the blob */
} StopHeader;

#define STOP_MAGIC "clstop3"
#define STOP_ORDER 0x01020304u
/* an offset ``x`` aligned to ``kind`` bytes (a power of two) */
#define STOP_AT(x, kind) (((x) + (kind) - 1) & ~(size_t)((kind) - 1))
/* where the table, the bloom filter and the words start in a blob of ``nl`` languages */
#define STOP_TABLE_AT(nl) (sizeof(StopHeader) + (size_t)(nl) * sizeof(int64_t))
#define STOP_BLOOM_AT(nl, cap) (STOP_TABLE_AT(nl) + (size_t)(cap) * sizeof(WEntry))
#define STOP_WORDS_AT(nl, cap) (STOP_BLOOM_AT(nl, cap) + WT_BLOOM_WORDS * sizeof(uint64_t))

/* one step of a lane of the checksum: 64 bits more */
static inline uint64_t
stop_step(uint64_t h, const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    h = (h ^ x) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
}

/* the checksum of a whole blob of ``size`` bytes (a multiple of 8): its header but the checksum
 * in one lane, then what follows the header in four lanes, word k in lane k % 4 (four chains of
 * multiplications that the processor runs side by side), the lanes folded into the first */
static uint64_t
stop_sum(const char *blob, size_t size)
{
    uint64_t h[4] = {0x243F6A8885A308D3ull, 0x13198A2E03707344ull, 0xA4093822299F31D0ull, 0x082EFA98EC4E6C89ull};
    for (size_t k = 0; k < offsetof(StopHeader, sum); k += 8)
        h[0] = stop_step(h[0], blob + k);
    const char *p = blob + sizeof(StopHeader);
    const size_t n = (size - sizeof(StopHeader)) / 8;
    size_t k = 0;
    for (; k + 4 <= n; k += 4)
        for (int q = 0; q < 4; q++)
            h[q] = stop_step(h[q], p + 8 * (k + q));
    for (; k < n; k++)
        h[k % 4] = stop_step(h[k % 4], p + 8 * k);
    for (int q = 1; q < 4; q++)
        h[0] = stop_step(h[0], (const char *)&h[q]);
    return h[0];
}

/* stop_check(blob): the number of words of each language of the blob in ``view``, as a list
 * (a new reference); NULL with a ValueError when it is not a blob this module wrote, damaged or
 * foreign: the checksum, and every entry's place in the blob checked, so that no lookup reads
 * out of it (and no probe runs forever: a slot is left empty). */
static PyObject *
stop_check(const Py_buffer *view)
{
    const char *base = view->buf;
    const size_t size = (size_t)view->len;
    StopHeader h;
    if (size < sizeof(h) || ((uintptr_t)base & 7) != 0)
        goto bad;
    memcpy(&h, base, sizeof(h));
    if (memcmp(h.magic, STOP_MAGIC, sizeof(h.magic)) != 0 || h.order != STOP_ORDER || h.nl > 256 ||
        h.cap < 16 || (h.cap & (h.cap - 1)) != 0 || h.cap > ((uint64_t)1 << 32) || h.n_words >= h.cap ||
        h.size != size || size % 8 != 0 || h.cap > size / sizeof(WEntry) || STOP_WORDS_AT(h.nl, h.cap) > size ||
        h.sum != stop_sum(base, size))
        goto bad;
    int64_t words[256];
    memcpy(words, base + sizeof(h), (size_t)h.nl * sizeof(int64_t));
    for (uint32_t k = 0; k < h.nl; k++)
        if (words[k] < 0)
            goto bad;
    const size_t first = STOP_WORDS_AT(h.nl, h.cap);
    const WEntry *table = (const WEntry *)(base + STOP_TABLE_AT(h.nl));
    uint64_t found = 0;
    for (size_t s = 0; s < h.cap; s++) {
        const WEntry *e = &table[s];
        if (e->off == 0)
            continue;
        found++;
        const size_t end = (size_t)e->off + (size_t)e->len * e->kind;
        if ((e->kind != 1 && e->kind != 2 && e->kind != 4) || e->off < first || e->off % e->kind != 0 ||
            e->len == 0 || e->nlangs == 0 || end + e->nlangs > size)
            goto bad;
        /* (its languages are not read: a byte beyond the index's languages counts in a vote's
         * table of 256 and is not returned; the checksum tells a damaged one) */
    }
    if (found != h.n_words)
        goto bad;
    PyObject *counts = PyList_New(h.nl);
    for (uint32_t k = 0; counts != NULL && k < h.nl; k++) {
        PyObject *c = PyLong_FromLongLong(words[k]);
        if (c == NULL)
            Py_CLEAR(counts);
        else
            PyList_SET_ITEM(counts, k, c);
    }
    return counts;
bad:
    PyErr_SetString(PyExc_ValueError, "stop_load: not an index stop_table() wrote");
    return NULL;
}

/* stop_load(blob): the index of a blob stop_table() returned, used where it lies (``blob``: a
 * read-only buffer: bytes, or a file mapped in memory, whose start is the blob and which the
 * index holds); the number of words of each language, as stop_texts() returns it. A damaged or
 * foreign blob is a ValueError, and the index in use is kept. */
static PyObject *
sp_stop_load(PyObject *self, PyObject *blob)
{
    Py_buffer view;
    if (PyObject_GetBuffer(blob, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (!view.readonly) { /* a blob that could change under the index: its offsets checked once */
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "stop_load: a read-only buffer (bytes, a mapped file) is needed");
        return NULL;
    }
    if ((size_t)view.len >= sizeof(StopHeader)) { /* the header's size: the blob at the start of a file */
        uint64_t size;
        memcpy(&size, (const char *)view.buf + offsetof(StopHeader, size), sizeof(size));
        view.len = (Py_ssize_t)Py_MIN((uint64_t)view.len, size);
    }
    PyObject *counts = stop_check(&view);
    if (counts == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    const StopHeader *h = view.buf; /* (aligned: stop_check) */
    wt_install(&view, (const char *)view.buf + STOP_TABLE_AT(h->nl), (size_t)h->cap - 1,
               (const char *)view.buf + STOP_BLOOM_AT(h->nl, h->cap), counts);
    return counts;
}

/* stop_table(): the blob of the index in use, as bytes for stop_load() */
static PyObject *
sp_stop_table(PyObject *self, PyObject *unused)
{
    if (wt == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "stop_table: stop_texts() first");
        return NULL;
    }
    return PyBytes_FromStringAndSize(wt_base, wt_blob.len);
}

/* A word of a stoplist while the index is built: its characters in the stoplist's text. */
typedef struct {
    uint64_t h;
    const void *data;  /* NULL: an empty slot */
    uint32_t langs;    /* its newest node (stop_add) */
    uint16_t len;
    uint8_t kind;
    uint8_t nlangs;
} BuildEntry;

typedef struct {
    BuildEntry *table;
    size_t mask;
    /* each word's languages while building: a list of nodes, newest first (a word's entry holds
     * its newest node in ``langs``), laid out in ascending order in the blob (stop_blob) */
    uint32_t *next;           /* the node after node k (older), for k < nodes */
    unsigned char *node_lang; /* the language of node k */
    size_t nodes;             /* nodes made: at most one a line of the texts */
    int lang;
    int too_long;
} StopBuild;

/* the slot of the table being built holding text[i:j] (hash ``h``), or the empty slot where it goes */
static BuildEntry *
build_slot(const StopBuild *sb, uint64_t h, int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    for (size_t slot = (size_t)h & sb->mask;; slot = (slot + 1) & sb->mask) {
        BuildEntry *e = &sb->table[slot];
        if (e->data == NULL)
            return e;
        if (e->h != h || e->len != j - i)
            continue;
        Py_ssize_t k = 0;
        while (k < j - i && PyUnicode_READ(e->kind, e->data, k) == PyUnicode_READ(kind, data, i + k))
            k++;
        if (k == j - i)
            return e;
    }
}

/* the word's entry, made or found, and the language being read added to its languages, each
 * once (a language's words come together: a word twice in one stoplist has it as its newest) */
static int
stop_add(void *ctx, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    StopBuild *sb = ctx;
    if (b - a > UINT16_MAX) {
        sb->too_long = 1;
        return 0;
    }
    const uint64_t h = span_hash(kind, data, a, b);
    BuildEntry *e = build_slot(sb, h, kind, data, a, b);
    if (e->data == NULL) {
        e->h = h;
        e->data = (const char *)data + (size_t)a * (size_t)kind;
        e->len = (uint16_t)(b - a);
        e->kind = (uint8_t)kind;
        e->nlangs = 0;
    } else if (sb->node_lang[e->langs] == (unsigned char)sb->lang)
        return 0; /* twice in one stoplist */
    else if (e->nlangs == UINT8_MAX) {
        sb->too_long = 1; /* in more stoplists than a byte counts */
        return 0;
    }
    const size_t k = sb->nodes++;
    sb->next[k] = e->langs; /* (read only while the entry has older nodes) */
    sb->node_lang[k] = (unsigned char)sb->lang;
    e->langs = (uint32_t)k;
    e->nlangs++;
    return 1;
}

/* the blob of the table built (the words of each language: ``words``), as bytes; NULL with an
 * exception */
static PyObject *
stop_blob(const StopBuild *sb, const Py_ssize_t *words, Py_ssize_t nl)
{
    const size_t cap = sb->mask + 1;
    size_t size = STOP_WORDS_AT(nl, cap), n_words = 0;
    for (size_t s = 0; s < cap; s++) {
        const BuildEntry *e = &sb->table[s];
        if (e->data != NULL) {
            n_words++;
            size = STOP_AT(size, e->kind) + (size_t)e->len * e->kind + e->nlangs;
        }
    }
    size = STOP_AT(size, 8);
    if (size > UINT32_MAX) { /* the entries' offsets are 32 bits */
        PyErr_SetString(PyExc_ValueError, "stop_texts: too many words");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (out == NULL)
        return NULL;
    char *base = PyBytes_AS_STRING(out);
    memset(base, 0, size);
    for (Py_ssize_t k = 0; k < nl; k++) {
        const int64_t c = words[k];
        memcpy(base + sizeof(StopHeader) + (size_t)k * sizeof(c), &c, sizeof(c));
    }
    WEntry *table = (WEntry *)(base + STOP_TABLE_AT(nl));
    uint64_t *bloom = (uint64_t *)(base + STOP_BLOOM_AT(nl, cap));
    size_t at = STOP_WORDS_AT(nl, cap);
    for (size_t s = 0; s < cap; s++) {
        const BuildEntry *e = &sb->table[s];
        if (e->data == NULL)
            continue;
        at = STOP_AT(at, e->kind);
        table[s] = (WEntry){e->h, (uint32_t)at, e->len, e->kind, e->nlangs};
        memcpy(base + at, e->data, (size_t)e->len * e->kind);
        at += (size_t)e->len * e->kind;
        /* its languages, oldest (lowest) first */
        uint32_t node = e->langs;
        for (int j = e->nlangs - 1; j >= 0; j--) {
            base[at + (size_t)j] = (char)sb->node_lang[node];
            node = sb->next[node];
        }
        at += e->nlangs;
        const uint64_t bit = WT_BLOOM_BIT(e->h);
        bloom[bit >> 6] |= (uint64_t)1 << (bit & 63);
    }
    StopHeader h = {STOP_MAGIC, STOP_ORDER, (uint32_t)nl, cap, n_words, size, 0};
    memcpy(base, &h, sizeof(h));
    h.sum = stop_sum(base, size);
    memcpy(base, &h, sizeof(h));
    return out;
}

/* stop_texts(texts): the index of features._stop_index(), built from the stoplists' texts
 * (``texts[k]``: the lower-cased file of language ``k``; its words as features.stoplists()
 * reads them), and put in use. Returns the number of distinct words of each language. */
static PyObject *
sp_stop_texts(PyObject *self, PyObject *texts)
{
    if (!PyTuple_Check(texts) || PyTuple_GET_SIZE(texts) > 256) {
        PyErr_SetString(PyExc_TypeError, "stop_texts: a tuple of at most 256 str is needed");
        return NULL;
    }
    const Py_ssize_t nl = PyTuple_GET_SIZE(texts);
    Py_ssize_t lines = 0;
    for (Py_ssize_t k = 0; k < nl; k++) {
        PyObject *t = PyTuple_GET_ITEM(texts, k);
        if (!PyUnicode_Check(t)) {
            PyErr_SetString(PyExc_TypeError, "stop_texts: a tuple of at most 256 str is needed");
            return NULL;
        }
        lines += 1 + count_char(t, '\n');
    }
    size_t cap = 16;
    while (cap < (size_t)lines + (size_t)lines / 2 + 2) /* at most 2/3 full */
        cap <<= 1;
    if ((size_t)lines > UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "stop_texts: too many words");
        return NULL;
    }
    StopBuild sb = {0};
    sb.table = PyMem_Calloc(cap, sizeof(BuildEntry));
    sb.next = PyMem_Malloc(((size_t)lines + 1) * sizeof(uint32_t));
    sb.node_lang = PyMem_Malloc((size_t)lines + 1);
    sb.mask = cap - 1;
    PyObject *blob = NULL, *counts = NULL;
    Py_ssize_t words[256]; /* of each language */
    if (sb.table == NULL || sb.next == NULL || sb.node_lang == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < nl; k++) {
        sb.lang = (int)k;
        words[k] = stoplist_words(PyTuple_GET_ITEM(texts, k), stop_add, &sb);
    }
    if (sb.too_long) {
        PyErr_SetString(PyExc_ValueError, "stop_texts: a word of over 65,535 characters, or in over 255 stoplists");
        goto done;
    }
    blob = stop_blob(&sb, words, nl);
    if (blob != NULL)
        counts = sp_stop_load(self, blob); /* the blob checked and put in use as a kept one is */
done:
    PyMem_Free(sb.table);
    PyMem_Free(sb.next);
    PyMem_Free(sb.node_lang);
    Py_XDECREF(blob);
    return counts;
}

/* longest_lines(lines, k) -> the indices of the ``k`` longest str of ``lines``, ascending: the
 * lines heapq.nlargest(k, range(len(lines)), key=lengths) picks (of equal lengths, the first),
 * sorted (features.detect_language's sample; its reference is features.longest_lines). */
static PyObject *
sp_longest_lines(PyObject *self, PyObject *args)
{
    PyObject *lines;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "O!n:longest_lines", &PyList_Type, &lines, &k))
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(lines);
    if (k < 0)
        k = 0;
    if (k > n)
        k = n;
    /* the best so far by (length descending, index ascending): a later line enters only when
     * strictly longer than the last kept, and goes after every kept line as long as it */
    Py_ssize_t *len = PyMem_Malloc(2 * (size_t)(k ? k : 1) * sizeof(Py_ssize_t)), *idx = len + (k ? k : 1), m = 0;
    if (len == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n && k > 0; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        if (!PyUnicode_Check(line)) {
            PyMem_Free(len);
            PyErr_SetString(PyExc_TypeError, "longest_lines: lines must be str");
            return NULL;
        }
        const Py_ssize_t li = PyUnicode_GET_LENGTH(line);
        if (m == k && li <= len[m - 1])
            continue;
        Py_ssize_t at = m < k ? m : k - 1; /* the slot it takes, moved up past the shorter */
        while (at > 0 && len[at - 1] < li) {
            len[at] = len[at - 1];
            idx[at] = idx[at - 1];
            at--;
        }
        len[at] = li;
        idx[at] = i;
        if (m < k)
            m++;
    }
    /* ascending indices: an insertion sort (k is a dozen) */
    for (Py_ssize_t a = 1; a < m; a++) {
        const Py_ssize_t v = idx[a];
        Py_ssize_t b = a;
        for (; b > 0 && idx[b - 1] > v; b--)
            idx[b] = idx[b - 1];
        idx[b] = v;
    }
    PyObject *out = int_list(idx, m);
    PyMem_Free(len);
    return out;
}

/* The words of a vote, looked up a batch at a time: the bloom filter's words, then the index's
 * slots of the words it lets through, fetched for the whole batch before any is read, so that
 * their cache misses (the index is 6 MB) overlap instead of following one another. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif
#define VOTE_BATCH 32
typedef struct {
    uint64_t h[VOTE_BATCH];
    Py_ssize_t a[VOTE_BATCH], b[VOTE_BATCH]; /* the words' spans */
} VoteBatch;

static void
vote_batch(const VoteBatch *vb, Py_ssize_t m, int kind, const void *data, Py_ssize_t *counts)
{
    const WEntry *e[VOTE_BATCH];
    for (Py_ssize_t k = 0; k < m; k++)
        PREFETCH(&wt_bloom[WT_BLOOM_BIT(vb->h[k]) >> 6]);
    for (Py_ssize_t k = 0; k < m; k++) {
        const uint64_t bit = WT_BLOOM_BIT(vb->h[k]);
        e[k] = NULL;
        if (vb->b[k] - vb->a[k] <= UINT16_MAX && wt_bloom[bit >> 6] >> (bit & 63) & 1) {
            e[k] = &wt[vb->h[k] & wt_mask];
            PREFETCH(e[k]);
        }
    }
    for (Py_ssize_t k = 0; k < m; k++)
        if (e[k] != NULL) {
            e[k] = wt_slot(wt, wt_mask, vb->h[k], kind, data, vb->a[k], vb->b[k]);
            if (e[k]->off != 0)
                PREFETCH(wt_langs(e[k]));
        }
    for (Py_ssize_t k = 0; k < m; k++)
        if (e[k] != NULL && e[k]->off != 0) {
            const unsigned char *langs = wt_langs(e[k]);
            for (int q = 0; q < e[k]->nlangs; q++)
                counts[langs[q]]++;
        }
}

/* vote(lines, max_words, nlangs) -> the votes of each language: the first ``max_words`` `\w+`
 * words of the lines, lower-cased, in order, each voting for every language of stop_texts()'s
 * table that holds it (features.detect_language's count, without a str per word). */
static PyObject *
sp_vote(PyObject *self, PyObject *args)
{
    PyObject *lines;
    Py_ssize_t max_words;
    int nlangs;
    if (!PyArg_ParseTuple(args, "O!ni:vote", &PyList_Type, &lines, &max_words, &nlangs))
        return NULL;
    if (nlangs < 0 || nlangs > 256) {
        PyErr_SetString(PyExc_ValueError, "vote: between 0 and 256 languages");
        return NULL;
    }
    if (wt == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "vote: stop_texts() was not called");
        return NULL;
    }
    Py_ssize_t counts[256] = {0};
    Py_ssize_t total = 0;
    for (Py_ssize_t li = 0; li < PyList_GET_SIZE(lines) && total < max_words; li++) {
        PyObject *line = PyList_GET_ITEM(lines, li);
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "vote: lines must be str");
            return NULL;
        }
        PyObject *lower = fast_lower(line, 0);
        if (lower == NULL)
            return NULL;
        const int kind = PyUnicode_KIND(lower);
        const void *data = PyUnicode_DATA(lower);
        const Py_ssize_t n = PyUnicode_GET_LENGTH(lower);
        Py_ssize_t i = 0, a, m = 0;
        uint64_t h;
        VoteBatch vb;
        while (total < max_words && next_word_hashed(kind, data, n, &i, &a, &h)) {
            vb.h[m] = h;
            vb.a[m] = a;
            vb.b[m++] = i;
            total++;
            if (m == VOTE_BATCH) {
                vote_batch(&vb, m, kind, data, counts);
                m = 0;
            }
        }
        vote_batch(&vb, m, kind, data, counts);
        Py_DECREF(lower);
    }
    return int_list(counts, nlangs);
}

/* The `\w+` words of `s` (already lower-cased), as new str objects appended to `out`
 * (a list cleared first). Returns 0 or -1. */
static int
find_words(PyObject *s, PyObject *out)
{
    if (PyList_SetSlice(out, 0, PyList_GET_SIZE(out), NULL) < 0)
        return -1;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    Py_ssize_t i = 0, a;
    while (next_word(kind, data, n, &i, &a)) {
        PyObject *w = PyUnicode_Substring(s, a, i);
        if (w == NULL)
            return -1;
        int r = PyList_Append(out, w);
        Py_DECREF(w);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* Whether a line holds an ASCII lower-case letter. */
static int
has_ascii_lower(int kind, const void *data, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        if (ch >= 'a' && ch <= 'z')
            return 1;
    }
    return 0;
}

/* the first index k in [from, n) with s[k] == ch (an ASCII character), or -1: memchr to each byte
 * equal to ch (the low byte of that character, or a byte of another), then a compare of the
 * character holding it (in either byte order) */
static Py_ssize_t
ucs2_find(const Py_UCS2 *s, Py_ssize_t from, Py_ssize_t n, char ch)
{
    const char *base = (const char *)s, *end = base + 2 * n, *p = base + 2 * from;
    while (end - p >= 2 && (p = memchr(p, ch, (size_t)(end - p))) != NULL) {
        const Py_ssize_t k = (p - base) >> 1;
        if (s[k] == (Py_UCS1)ch)
            return k;
        p = base + 2 * (k + 1); /* the next character: ch is there or after */
    }
    return -1;
}

/* the first index k in [from, n) with data[k] == ch (an ASCII character), or -1: memchr (which
 * libc makes skip through many bytes at a time) in text of one or two bytes a character */
static inline Py_ssize_t
find_ascii(int kind, const void *data, Py_ssize_t from, Py_ssize_t n, char ch)
{
    if (from >= n)
        return -1;
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *hit = memchr((const char *)data + from, ch, (size_t)(n - from));
        return hit != NULL ? hit - (const char *)data : -1;
    }
    if (kind == PyUnicode_2BYTE_KIND)
        return ucs2_find(data, from, n, ch);
    for (Py_ssize_t k = from; k < n; k++)
        if (PyUnicode_READ(kind, data, k) == (Py_UCS1)ch)
            return k;
    return -1;
}

/* whether data[0:n] holds the four ASCII characters ``needle``: find_ascii to each of its
 * character ``a`` (the rarest in text: each one found costs a comparison and a new search), then
 * the other three around it */
static int
holds4(int kind, const void *data, Py_ssize_t n, const char *needle, int a)
{
    /* needle[a] at k, the needle at k - a: 0 <= k - a and k - a + 4 <= n */
    for (Py_ssize_t k = a; (k = find_ascii(kind, data, k, n - 3 + a, needle[a])) >= 0; k++) {
        const Py_ssize_t s = k - a;
        if (PyUnicode_READ(kind, data, s) == (Py_UCS1)needle[0] &&
            PyUnicode_READ(kind, data, s + 1) == (Py_UCS1)needle[1] &&
            PyUnicode_READ(kind, data, s + 2) == (Py_UCS1)needle[2] &&
            PyUnicode_READ(kind, data, s + 3) == (Py_UCS1)needle[3])
            return 1;
    }
    return 0;
}

/* "http" in lower or "www." in lower or ".com" in lower; each searched by its rarest character
 * in the benchmark's pages ("p" 1.4 % of the characters, "h" 2.9 %; "." 0.8 %, "w" 1.2 %) */
static int
holds_url_mark(int kind, const void *data, Py_ssize_t n)
{
    return holds4(kind, data, n, "http", 3) || holds4(kind, data, n, "www.", 3) || holds4(kind, data, n, ".com", 0);
}

/* non-overlapping count of " - " (what str.count does): from one "-" to the next, the same
 * matches, leftmost first, none overlapping */
static Py_ssize_t
count_dash(int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t c = 0, i = 0, p;
    while (i + 3 <= n && (p = find_ascii(kind, data, i + 1, n - 1, '-')) >= 0) {
        /* i + 1 <= p <= n - 2 */
        if (PyUnicode_READ(kind, data, p - 1) == ' ' && PyUnicode_READ(kind, data, p + 1) == ' ') {
            c++;
            i = p + 2;
        } else
            i = p;
    }
    return c;
}

static PyObject *furniture_of(uint64_t h, int kind, const void *data, Py_ssize_t i, Py_ssize_t j);

/* features.furniture_category of a list of words (str): the category of the first word that
 * has one (borrowed; "" when none; NULL on error) */
static PyObject *
furniture_category(PyObject *words)
{
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(words); k++) {
        PyObject *w = PyList_GET_ITEM(words, k);
        const int kind = PyUnicode_KIND(w);
        const void *data = PyUnicode_DATA(w);
        const Py_ssize_t n = PyUnicode_GET_LENGTH(w);
        PyObject *c = furniture_of(span_hash(kind, data, 0, n), kind, data, 0, n);
        if (c != cfg_empty)
            return c; /* a category, or NULL */
    }
    return cfg_empty;
}

static int comment_time_cue(PyObject *lower);

/* whether the str ``w`` is a key of ``t`` */
static int
word_in(const SpanTable *t, PyObject *w)
{
    const int kind = PyUnicode_KIND(w);
    const void *data = PyUnicode_DATA(w);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(w);
    return st_get(t, span_hash(kind, data, 0, n), kind, data, 0, n) != NULL;
}

/* features.comment_shape: -1 on error */
static int
comment_shape(PyObject *lower, PyObject *words, int has_digit)
{
    Py_ssize_t m = PyList_GET_SIZE(words);
    if (m == 0)
        return 0;
    if (word_in(&st_comment_first, PyList_GET_ITEM(words, 0)) || word_in(&st_comment_says, PyList_GET_ITEM(words, m - 1)))
        return 1;
    return has_digit ? comment_time_cue(lower) : 0;
}

/* comment_shape's last test (a line holding a digit): a time cue (any of them, found in one pass
 * over the line) and the time pattern; -1 on error */
static int
comment_time_cue(PyObject *lower)
{
    if (!cues_in(lower))
        return 0;
    PyObject *mt = PyObject_CallOneArg(cfg_comment_time, lower);
    if (mt == NULL)
        return -1;
    const int r = mt != Py_None;
    Py_DECREF(mt);
    return r;
}

/* ``c`` (a category, or NULL: none) when it is true, else ""; NULL on error */
static PyObject *
if_true(PyObject *c)
{
    if (c == NULL)
        return cfg_empty;
    const int t = PyObject_IsTrue(c);
    return t < 0 ? NULL : t ? c : cfg_empty;
}

/* furniture_category of one word, the span text[i:j] (``h``: its span_hash): its category, or
 * that of its first 7 characters, when true; else "" (borrowed; NULL on error) */
static PyObject *
furniture_of(uint64_t h, int kind, const void *data, Py_ssize_t i, Py_ssize_t j)
{
    PyObject *c = if_true(st_get(&st_furn, h, kind, data, i, j));
    if (c != cfg_empty || j - i <= 7)
        return c; /* a category, an error (NULL), or none and no prefix to try */
    return if_true(st_get(&st_furn_prefix, span_hash(kind, data, i, i + 7), kind, data, i, i + 7));
}

/* the letter of the category ``cat`` (a one-letter str: "p", "f", "c", "s" ...), or 0 for "" or
 * anything else: read once a line, and compared without a string compare */
static inline Py_UCS4
cat_letter(PyObject *cat)
{
    return PyUnicode_Check(cat) && PyUnicode_GET_LENGTH(cat) == 1 ? PyUnicode_READ_CHAR(cat, 0) : 0;
}

static inline double clip(double x, double hi) { return x < hi ? x : hi; }

/* features.best_span (Kadane): the run of the values fed in order with the largest positive
 * sum, as (bs, be) once ``found``; each caller feeds its own line weights */
typedef struct {
    double best, cur;
    Py_ssize_t start, bs, be;
    int found;
} Span;

static inline void
span_add(Span *s, Py_ssize_t i, double v)
{
    if (s->cur <= 0.0) {
        s->cur = v;
        s->start = i;
    } else
        s->cur += v;
    if (s->cur > s->best) {
        s->best = s->cur;
        s->bs = s->start;
        s->be = i;
        s->found = 1;
    }
}

/* log1p and log of a count: from tables of the first ILOG_TABLE values, filled with log1p and
 * log themselves (the same doubles), else computed. The scorer takes ~10 of these a line. */
#define ILOG_TABLE 4096
static double ilog1p_table[ILOG_TABLE], ilog_table[ILOG_TABLE]; /* filled by the module's init */
static inline double
ilog1p(Py_ssize_t k)
{
    if (k >= 0 && k < ILOG_TABLE)
        return ilog1p_table[k];
    return log1p((double)k);
}
static inline double
ilog(Py_ssize_t k)
{
    if (k >= 0 && k < ILOG_TABLE)
        return ilog_table[k];
    return log((double)k);
}
static void
fill_ilog_table(void)
{
    for (int k = 0; k < ILOG_TABLE; k++) {
        ilog1p_table[k] = log1p((double)k);
        ilog_table[k] = log((double)k);
    }
}

/* ------------------------------------------------------------------------ */
/* first pass: line features                                                 */

/* A row of line features is its first NHEAD columns, computed from the line's own text and kept
 * (head), and the others, computed from the page's arrays below when the row is needed (fill_row):
 * the n * NLF doubles of all the rows are never held at once (83 MB for a 3 MB page). */
#define NHEAD 30

typedef struct {
    Py_ssize_t n;
    double *head;         /* n * NHEAD */
    Py_ssize_t *nwords;
    double *sent, *stopd, *logw, *mass;
    PyObject **furn;      /* borrowed */
    Py_ssize_t *short_run, *block_id;
    Py_ssize_t *items, n_items; /* the lines opening with "#" or a digit (numbered list items' shape) */
    Py_ssize_t nb;        /* number of blocks */
    Py_ssize_t bs, be;    /* prose region */
    /* what fill_row computes the rest of a row from */
    Py_ssize_t *b_lines, *b_words; /* per block: lines, words */
    double *b_sent;                /* per block: sentence ends */
    Py_ssize_t *up, *down;         /* lines to the nearest prose line above, below */
    Py_ssize_t *pm, *pc;           /* prefix counts (n + 1): prose lines, comment shapes */
    double *pw, *ps, *pe, *pmass;  /* prefix sums (n + 1): log words, stop density, sentence ends, mass */
    char *cshape;
    double *tsim;
    Py_ssize_t max_words, total_c, headline;
    double inv_mass, page_log_lines, prose_frac, has_stop;
    int has_mass;
} Page;

static void
page_free(Page *pg)
{
    PyMem_Free(pg->head);
    PyMem_Free(pg->nwords);
    PyMem_Free(pg->sent);
    PyMem_Free(pg->stopd);
    PyMem_Free(pg->logw);
    PyMem_Free(pg->mass);
    PyMem_Free(pg->furn);
    PyMem_Free(pg->short_run);
    PyMem_Free(pg->block_id);
    PyMem_Free(pg->items);
    PyMem_Free(pg->b_lines);
    PyMem_Free(pg->b_words);
    PyMem_Free(pg->b_sent);
    PyMem_Free(pg->up);
    PyMem_Free(pg->down);
    PyMem_Free(pg->pm);
    PyMem_Free(pg->pc);
    PyMem_Free(pg->pw);
    PyMem_Free(pg->ps);
    PyMem_Free(pg->pe);
    PyMem_Free(pg->pmass);
    PyMem_Free(pg->cshape);
    PyMem_Free(pg->tsim);
    memset(pg, 0, sizeof(*pg));
}

/* frees what only fill_row reads (the page_stats' and the context's columns stay): for a page of
 * 56,000 lines ~19 MB, and the scorer's peak falls from 36 to 23 MB (tracemalloc) */
static void
page_free_rows(Page *pg)
{
#define FREE_ROW(field) do { PyMem_Free(pg->field); pg->field = NULL; } while (0)
    FREE_ROW(head);
    FREE_ROW(logw);
    FREE_ROW(b_lines);
    FREE_ROW(b_words);
    FREE_ROW(b_sent);
    FREE_ROW(up);
    FREE_ROW(down);
    FREE_ROW(pm);
    FREE_ROW(pc);
    FREE_ROW(pw);
    FREE_ROW(ps);
    FREE_ROW(pe);
    FREE_ROW(pmass);
    FREE_ROW(cshape);
    FREE_ROW(tsim);
#undef FREE_ROW
}

#define ALLOC(ptr, count) \
    do { (ptr) = PyMem_Calloc(((size_t)(count) != 0) ? (size_t)(count) : 1, sizeof(*(ptr))); \
         if ((ptr) == NULL) { PyErr_NoMemory(); goto error; } } while (0)

/* The marks the line loop counts, by the index latin1_mark gives them (0: none of them). */
enum { PM_NONE, PM_COMMA, PM_SEMI, PM_DOT, PM_QMARK, PM_EXCL, PM_COPYRIGHT, PM_AT, PM_COUNT };
/* latin1_mark, filled at init (all the marks are Latin-1): the rare ones, counted one by one; the
 * commas and dots are counted with the letters, in latin1_counts */
static void
fill_latin1_mark(void)
{
    latin1_mark[';'] = PM_SEMI;
    latin1_mark['?'] = PM_QMARK;
    latin1_mark['!'] = PM_EXCL;
    latin1_mark[0xA9] = PM_COPYRIGHT;
    latin1_mark['@'] = PM_AT;
}


/* what the line loop counts in one pass over a line's characters */
typedef struct {
    Py_ssize_t nw, title, alpha, digits, seps; /* split() tokens, those opening with a capital, ... */
    Py_ssize_t mark[PM_COUNT];                /* each mark of latin1_mark */
} LineChars;

/* one pass over the characters: split() tokens, their capitalised first letters, letters,
 * decimal digits, separators and marks (made for each kind, so that a character is read
 * without a switch on the kind; the counts added up in packed fields, and a token's start
 * found without a branch: a word boundary is no better predicted than a coin) */
static inline Py_ALWAYS_INLINE void
scan_chars(const int kind, const void *data, Py_ssize_t nc, LineChars *out)
{
    Py_ssize_t nw = 0, title = 0, sums[SC_FIELDS] = {0};
    Py_ssize_t mark[PM_COUNT] = {0};
    unsigned after_space = 1; /* the line's start, or a space before */
    for (Py_ssize_t k0 = 0; k0 < nc; k0 += SC_RUN) {
        const Py_ssize_t k1 = nc - k0 > SC_RUN ? k0 + SC_RUN : nc;
        uint64_t packed = 0;
        for (Py_ssize_t k = k0; k < k1; k++) {
            const Py_UCS4 ch = PyUnicode_READ(kind, data, k);
            uint64_t e;
            if (kind == PyUnicode_1BYTE_KIND || ch < 256) {
                /* the predicates of a Latin-1 character from a table made of the same predicates */
                e = latin1_counts[ch];
                if (e >> SC_MARK_BIT & 1) /* rare: no store to a counter for the other characters */
                    mark[latin1_mark[ch]]++;
            } else {
                e = flag_counts(char_flags(ch));
            }
            packed += e;
            const unsigned space = (unsigned)(e >> SC_SPACE_BIT) & 1, starts = after_space & (space ^ 1);
            nw += starts;
            title += starts & (unsigned)(e >> SC_UPPER_BIT);
            after_space = space;
        }
        for (int q = 0; q < SC_FIELDS; q++)
            sums[q] += (Py_ssize_t)(packed >> (q * SC_BITS) & SC_RUN);
    }
    out->nw = nw;
    out->title = title;
    out->alpha = sums[SC_ALPHA];
    out->digits = sums[SC_DIGIT];
    out->seps = sums[SC_SEP];
    memcpy(out->mark, mark, sizeof(mark));
    out->mark[PM_COMMA] = sums[SC_COMMA];
    out->mark[PM_DOT] = sums[SC_DOT];
}

/* A hash of a str's characters as stored (equal strs are stored alike: same kind, same bytes),
 * eight bytes at a time, keyed as str's own hash is by the process's hash secret (through the
 * str hashes of two constants, made at import: the secret itself is not public from 3.13 on),
 * so that a page's lines cannot be made to collide in advance: several times cheaper than str's
 * SipHash for the table of a page's lines below, whose strs are hashed nowhere else. */
static uint64_t stored_key0, stored_key1;

static uint64_t
stored_hash(PyObject *s)
{
    const unsigned char *p = PyUnicode_DATA(s);
    const size_t len = (size_t)PyUnicode_GET_LENGTH(s) * (size_t)PyUnicode_KIND(s);
    uint64_t h = stored_key0 ^ len, x;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&x, p + i, 8);
        h = (h ^ x) * 0x9FB21C651E98DF25ull;
        h ^= h >> 29;
    }
    if (i < len) {
        x = 0;
        memcpy(&x, p + i, len - i);
        h = (h ^ x) * 0x9FB21C651E98DF25ull;
    }
    return mix64(h ^ stored_key1);
}

/* first[i] = the first index of a line equal to lines[i] (a list of ``n`` str, compared by their
 * characters); 0, or -1 with an exception */
static int
first_lines(PyObject *lines, Py_ssize_t n, Py_ssize_t *first)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)n)
        cap <<= 1;
    Py_ssize_t *slot = PyMem_Malloc(cap * sizeof(Py_ssize_t));
    Py_hash_t *hash = PyMem_Malloc(((size_t)n + 1) * sizeof(Py_hash_t));
    if (slot == NULL || hash == NULL) {
        PyMem_Free(slot);
        PyMem_Free(hash);
        PyErr_NoMemory();
        return -1;
    }
    memset(slot, 0xFF, cap * sizeof(Py_ssize_t)); /* every slot -1: empty */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        const Py_hash_t h = (Py_hash_t)stored_hash(line);
        hash[i] = h;
        size_t at = (size_t)h & (cap - 1);
        for (;;) {
            const Py_ssize_t j = slot[at];
            if (j < 0) {
                slot[at] = first[i] = i;
                break;
            }
            PyObject *other = PyList_GET_ITEM(lines, j);
            if (hash[j] == h && PyUnicode_GET_LENGTH(other) == PyUnicode_GET_LENGTH(line) &&
                PyUnicode_KIND(other) == PyUnicode_KIND(line) &&
                memcmp(PyUnicode_DATA(other), PyUnicode_DATA(line),
                       (size_t)PyUnicode_GET_LENGTH(line) * PyUnicode_KIND(line)) == 0) {
                first[i] = j;
                break;
            }
            at = (at + 1) & (cap - 1);
        }
    }
    PyMem_Free(slot);
    PyMem_Free(hash);
    return 0;
}

/* The lower case of the lines, read off the lower case of a text that holds them (``low``, the
 * lines joined by newlines lowered with base.lower_keeping_offsets, line i at offsets[i]) instead
 * of made again line by line, but for the lines in ``changed`` (whose text there is another)
 * and the lines it does not lower as str.lower does: those holding "İ" (one character there,
 * two for str.lower). Elsewhere the two agree (lowering looks no further than the line's
 * newlines: tests/test_speedups.py compares them). */
typedef struct {
    PyObject *low;     /* NULL: every line lowered on its own */
    PyObject *offsets; /* list of ints: where each line starts in low */
    char *changed;     /* NULL, or a flag a line */
} Lowered;

/* whether line i's lower case may be read off lw->low (0, or -1 with an exception) */
static int
lowered_here(const Lowered *lw, PyObject *line, Py_ssize_t i, Py_ssize_t *at)
{
    if (lw->low == NULL || (lw->changed != NULL && lw->changed[i]))
        return 0;
    const Py_ssize_t start = PyLong_AsSsize_t(PyList_GET_ITEM(lw->offsets, i));
    const Py_ssize_t next = PyLong_AsSsize_t(PyList_GET_ITEM(lw->offsets, i + 1));
    if ((start == -1 || next == -1) && PyErr_Occurred())
        return -1;
    const Py_ssize_t nc = PyUnicode_GET_LENGTH(line);
    if (start < 0 || next - start != nc + 1 || next > PyUnicode_GET_LENGTH(lw->low) + 1) {
        PyErr_SetString(PyExc_ValueError, "scores: the offsets do not fit the lines");
        return -1;
    }
    const int kind = PyUnicode_KIND(line);
    if (kind != PyUnicode_1BYTE_KIND) { /* a Latin-1 line holds no "İ" */
        const void *data = PyUnicode_DATA(line);
        for (Py_ssize_t k = 0; k < nc; k++)
            if (PyUnicode_READ(kind, data, k) == 0x130)
                return 0;
    }
    *at = start;
    return 1;
}

/* lines: list of str; blank: sequence of truth values; stop: a set/frozenset or None; lowered:
 * see Lowered (its low NULL: none). */
static int
compute_lines(PyObject *lines, PyObject *blank_seq, PyObject *stop, const Lowered *lowered, Page *pg)
{
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject *blank = NULL, *words = NULL, *title_words = NULL, *lower = NULL;
    SpanTable title_table = {0}; /* title_words, looked up by span */
    char *blank_before = NULL;
    Py_ssize_t *cnt = NULL, *dup = NULL, *up = NULL, *down = NULL, *pm = NULL, *pc = NULL;
    Py_ssize_t *b_lines = NULL, *b_words = NULL;
    double *b_sent = NULL, *pw = NULL, *ps = NULL, *pe = NULL;
    char *cshape = NULL;
    double *tsim = NULL;

    memset(pg, 0, sizeof(*pg));
    pg->n = n;
    if (n == 0)
        return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyUnicode_Check(PyList_GET_ITEM(lines, i))) {
            PyErr_SetString(PyExc_TypeError, "lines must be str");
            return -1;
        }
    blank = PySequence_Fast(blank_seq, "blank_before must be a sequence");
    if (blank == NULL)
        return -1;
    if (PySequence_Fast_GET_SIZE(blank) < n) {
        PyErr_SetString(PyExc_IndexError, "blank_before is shorter than lines");
        goto error;
    }
    int has_stop_set = 0;
    int stop_lang = -1; /* stop given as a language of stop_texts()'s table ... */
    const LangStop *stop_words = NULL; /* ... whose words are these */
    if (PyLong_Check(stop)) {
        long k = PyLong_AsLong(stop);
        if (k == -1 && PyErr_Occurred())
            goto error;
        if (k < 0 || k > 255 || wt == NULL) {
            PyErr_SetString(PyExc_ValueError, "stop: a language number needs stop_texts() (0-255)");
            goto error;
        }
        stop_lang = (int)k;
        stop_words = lang_stop_of(stop_lang);
        if (stop_words == NULL)
            goto error;
        has_stop_set = 1; /* features.py hands over only languages with a non-empty stoplist */
    } else if (stop != Py_None) {
        if (!PyAnySet_Check(stop)) {
            PyErr_SetString(PyExc_TypeError, "stop must be a set, a language number or None");
            goto error;
        }
        has_stop_set = PySet_GET_SIZE(stop) > 0;
    }
    const double has_stop = has_stop_set ? 1.0 : 0.0;

    /* every column of every row is written by the line loop below: not zeroed first */
    pg->head = PyMem_Malloc((size_t)n * NHEAD * sizeof(double));
    if (pg->head == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    ALLOC(pg->nwords, n);
    ALLOC(pg->sent, n);
    ALLOC(pg->stopd, n);
    ALLOC(pg->logw, n);
    ALLOC(pg->mass, n);
    ALLOC(pg->furn, n);
    ALLOC(pg->short_run, n);
    ALLOC(pg->block_id, n);
    ALLOC(pg->items, n);
    ALLOC(blank_before, n);
    ALLOC(cnt, n);
    ALLOC(dup, n);
    ALLOC(cshape, n);
    ALLOC(tsim, n);

    for (Py_ssize_t i = 0; i < n; i++) {
        int t = PyObject_IsTrue(PySequence_Fast_GET_ITEM(blank, i));
        if (t < 0)
            goto error;
        blank_before[i] = (char)t;
    }

    /* counts[line]: first index of each distinct line, and how often it occurs (the lines by
     * stored_hash in an open-addressing table of first indices; equal when their characters
     * are) */
    if (first_lines(lines, n, dup) < 0)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++)
        cnt[dup[i]]++;

    words = PyList_New(0);
    if (words == NULL)
        goto error;
    /* title_words = frozenset(_WORD.findall(lines[0].lower())) */
    lower = fast_lower(PyList_GET_ITEM(lines, 0), 0);
    if (lower == NULL || find_words(lower, words) < 0)
        goto error;
    Py_CLEAR(lower);
    title_words = PyFrozenSet_New(words);
    if (title_words == NULL)
        goto error;
    const int has_title = PySet_GET_SIZE(title_words) > 0;
    if (st_build(&title_table, title_words) < 0)
        goto error;

    double comments_seen = 0.0;
    const double inv_n1 = n > 1 ? 1.0 / (double)(n - 1) : 0.0;
    Py_ssize_t headline = -1;

    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        const int kind = PyUnicode_KIND(line);
        const void *data = PyUnicode_DATA(line);
        const Py_ssize_t nc = PyUnicode_GET_LENGTH(line);
        double *row = pg->head + i * NHEAD;

        /* one pass over the characters: split() tokens, their capitalised first letters,
         * letters, decimal digits, punctuation counts, separators, '©', '@' */
        LineChars lc;
        if (kind == PyUnicode_1BYTE_KIND)
            scan_chars(PyUnicode_1BYTE_KIND, data, nc, &lc);
        else if (kind == PyUnicode_2BYTE_KIND)
            scan_chars(PyUnicode_2BYTE_KIND, data, nc, &lc);
        else
            scan_chars(PyUnicode_4BYTE_KIND, data, nc, &lc);
        const Py_ssize_t nw = lc.nw, title = lc.title, alpha = lc.alpha, digits = lc.digits;
        const Py_ssize_t commas = lc.mark[PM_COMMA], semis = lc.mark[PM_SEMI], dots = lc.mark[PM_DOT];
        const Py_ssize_t qmarks = lc.mark[PM_QMARK], excls = lc.mark[PM_EXCL];
        const int copyright = lc.mark[PM_COPYRIGHT] > 0, at = lc.mark[PM_AT] > 0;
        const Py_ssize_t seps = lc.seps + count_dash(kind, data, nc);

        pg->nwords[i] = nw;
        const double lw = ilog1p(nw);
        pg->logw[i] = lw;
        /* core = line.rstrip(_CLOSERS); last = core[-1:] */
        Py_ssize_t end = nc;
        while (end > 0 && in_set(closers, n_closers, PyUnicode_READ(kind, data, end - 1)))
            end--;
        const int has_last = end > 0;
        const Py_UCS4 last = has_last ? PyUnicode_READ(kind, data, end - 1) : 0;
        const double s_end = (has_last && in_set(sent_end, n_sent_end, last)) ? 1.0 : 0.0;
        pg->sent[i] = s_end;

        /* the line's lower case: lower[low_at:low_at + nc], from lowered->low or made here */
        Py_ssize_t low_at = 0;
        const int here = has_stop_set && stop_lang < 0 ? 0 : lowered_here(lowered, line, i, &low_at);
        if (here < 0)
            goto error;
        if (here)
            lower = Py_NewRef(lowered->low);
        else if ((lower = fast_lower(line, 0)) == NULL)
            goto error;
        const int lk = PyUnicode_KIND(lower);
        const void *ld = (const char *)PyUnicode_DATA(lower) + low_at * lk;
        const Py_ssize_t ln = here ? nc : PyUnicode_GET_LENGTH(lower);
        Py_ssize_t nwords_w = 0, nstop = 0, hits = 0;
        PyObject *cat = cfg_empty;
        const int want_furn = nw <= 12, want_title = i && 3 <= nw && nw <= 30 && has_title;
        if (has_stop_set && stop_lang < 0) {
            /* the stoplist as a set (the reference's form, which tests hand over): the words as str */
            if (find_words(lower, words) < 0)
                goto error;
            nwords_w = PyList_GET_SIZE(words);
            for (Py_ssize_t k = 0; k < nwords_w; k++) {
                int r = PySet_Contains(stop, PyList_GET_ITEM(words, k));
                if (r < 0)
                    goto error;
                nstop += r;
            }
            if (want_furn) {
                cat = furniture_category(words);
                if (cat == NULL)
                    goto error;
                int cs = comment_shape(lower, words, digits > 0);
                if (cs < 0)
                    goto error;
                cshape[i] = (char)cs;
            }
            for (Py_ssize_t k = 0; want_title && k < nwords_w; k++) {
                int r = PySet_Contains(title_words, PyList_GET_ITEM(words, k));
                if (r < 0)
                    goto error;
                hits += r;
            }
        } else {
            /* the words looked up from their spans of the lower case, each hashed once for
             * every table (the same answers as the str lookups above: tests/test_speedups.py) */
            Py_ssize_t b = 0, a;
            int first_cue = 0, last_cue = 0;
            uint64_t h;
            while (next_word_hashed(lk, ld, ln, &b, &a, &h)) {
                if (stop_lang >= 0)
                    nstop += is_stop_h(stop_words, h, lk, ld, a, b);
                if (want_furn) {
                    if (cat == cfg_empty) {
                        cat = furniture_of(h, lk, ld, a, b);
                        if (cat == NULL)
                            goto error;
                    }
                    if (nwords_w == 0)
                        first_cue = st_get(&st_comment_first, h, lk, ld, a, b) != NULL;
                    last_cue = st_get(&st_comment_says, h, lk, ld, a, b) != NULL;
                }
                if (want_title)
                    hits += st_get(&title_table, h, lk, ld, a, b) != NULL;
                nwords_w++;
            }
            if (want_furn) {
                int cs = nwords_w == 0 ? 0 : (first_cue || last_cue) ? 1 : 0;
                if (!cs && nwords_w && digits > 0) {
                    /* (the regex asks for a str of the line's own: rare) */
                    PyObject *own = here ? PyUnicode_Substring(lower, low_at, low_at + nc) : Py_NewRef(lower);
                    cs = own == NULL ? -1 : comment_time_cue(own);
                    Py_XDECREF(own);
                }
                if (cs < 0)
                    goto error;
                cshape[i] = (char)cs;
            }
        }
        const Py_ssize_t nwd = nwords_w ? nwords_w : 1;
        const double sd = (double)nstop / (double)nwd;
        pg->stopd[i] = sd;
        const Py_ssize_t inner = commas + semis + dots + qmarks + excls;
        if (want_title) {
            const double ts = (double)hits / (double)nwd;
            tsim[i] = ts;
            if (ts >= 0.8 && headline < 0 && hits >= 3)
                headline = i;
        }
        pg->furn[i] = cat;
        const int cat_nonempty = PyUnicode_Check(cat) ? PyUnicode_GET_LENGTH(cat) > 0 : 1;
        const double is_furn = cat_nonempty ? 1.0 : 0.0;
        const Py_UCS4 letter = cat_letter(cat);
        const int cat_c = letter == 'c';
        if (cat_c && nw <= 6)
            comments_seen = 1.0;
        const double inv_nc = nc ? 1.0 / (double)nc : 0.0;

        /* line.endswith(_TEASER_ENDS): an end longer than the line, or whose last character is
         * not the line's, is not compared */
        int teaser = 0;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(cfg_teaser_ends) && !teaser; k++) {
            PyObject *suffix = PyTuple_GET_ITEM(cfg_teaser_ends, k);
            const Py_ssize_t m = PyUnicode_GET_LENGTH(suffix);
            if (m > nc || (m > 0 && PyUnicode_READ_CHAR(suffix, m - 1) != PyUnicode_READ(kind, data, nc - 1)))
                continue;
            Py_ssize_t r = PyUnicode_Tailmatch(line, suffix, 0, PY_SSIZE_T_MAX, 1);
            if (r < 0)
                goto error;
            teaser = (int)r;
        }
        /* alpha > 3 and line.upper() == line */
        int all_caps = 0;
        if (alpha > 3) {
            if (PyUnicode_IS_ASCII(line)) {
                all_caps = 1;
                const Py_UCS1 *a = PyUnicode_1BYTE_DATA(line);
                for (Py_ssize_t k = 0; k < nc; k++)
                    if (a[k] >= 'a' && a[k] <= 'z') {
                        all_caps = 0;
                        break;
                    }
            } else if (!has_ascii_lower(kind, data, nc)) {
                /* an ASCII lower-case letter changes under upper(): only the others are made */
                PyObject *up_s = PyObject_CallMethodNoArgs(line, s_upper);
                if (up_s == NULL)
                    goto error;
                int eq = PyUnicode_Compare(up_s, line);
                Py_DECREF(up_s);
                if (eq == -1 && PyErr_Occurred())
                    goto error;
                all_caps = eq == 0;
            }
        }
        /* digits and _DATE.search(line) */
        const int date = digits ? date_search(kind, data, nc) : 0;
        /* "http" in lower or "www." in lower or "@" in line or ".com" in lower */
        const int urlish = at || holds_url_mark(lk, ld, ln);
        Py_CLEAR(lower);
        /* bullet; and the lines that may open a numbered list's item (features.ITEM_FIRST) */
        int bullet = 0;
        if (nc >= 1) {
            Py_UCS4 f0 = PyUnicode_READ(kind, data, 0);
            if (f0 == '#' || (f0 >= '0' && f0 <= '9'))
                pg->items[pg->n_items++] = i;
            if (in_set(bullets, n_bullets, f0) && nc >= 2 && PyUnicode_READ(kind, data, 1) == ' ')
                bullet = 1;
            else if (Py_UNICODE_ISDIGIT(f0) && nc >= 3) {
                Py_UCS4 c1 = PyUnicode_READ(kind, data, 1), c2 = PyUnicode_READ(kind, data, 2);
                if ((c1 == '.' || c1 == ')') && c2 == ' ')
                    bullet = 1;
            }
        }

        row[0] = lw;
        row[1] = ilog1p(nc);
        row[2] = s_end;
        row[3] = (has_last && last == ':') ? 1.0 : 0.0;
        row[4] = teaser ? 1.0 : 0.0;
        row[5] = clip((double)commas / (double)nwd, 1.0);
        row[6] = clip((double)inner / (double)nwd, 1.0);
        row[7] = (double)alpha * inv_nc;
        row[8] = (double)digits * inv_nc;
        row[9] = nw ? (double)title / (double)nw : 0.0;
        row[10] = all_caps ? 1.0 : 0.0;
        row[11] = sd;
        row[12] = ilog1p(nstop);
        row[13] = clip((double)alpha / (double)nwd, 15.0) / 15.0;
        row[14] = clip((double)seps / (double)nwd, 1.0);
        row[15] = is_furn;
        row[16] = nw <= 4 ? is_furn : 0.0;
        row[17] = letter == 'p' ? 1.0 : 0.0;
        row[18] = (letter == 'f' || copyright) ? 1.0 : 0.0;
        row[19] = cat_c ? 1.0 : 0.0;
        row[20] = letter == 's' ? 1.0 : 0.0;
        row[21] = date ? 1.0 : 0.0;
        row[22] = urlish ? 1.0 : 0.0;
        row[23] = bullet ? 1.0 : 0.0;
        row[24] = blank_before[i] ? 1.0 : 0.0;
        row[25] = (i + 1 == n || blank_before[i + 1]) ? 1.0 : 0.0;
        row[26] = (double)i * inv_n1;
        row[27] = row[26] * row[26];
        row[28] = ilog(cnt[dup[i]]);
        row[29] = comments_seen;
    }

    /* runs of consecutive short lines */
    {
        Py_ssize_t i = 0;
        while (i < n) {
            if (pg->nwords[i] <= cfg_short_words) {
                Py_ssize_t j = i;
                while (j < n && pg->nwords[j] <= cfg_short_words)
                    j++;
                for (Py_ssize_t k = i; k < j; k++)
                    pg->short_run[k] = j - i;
                i = j;
            } else
                i++;
        }
    }
    /* blocks */
    Py_ssize_t b = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i == 0 || blank_before[i])
            b++;
        pg->block_id[i] = b;
    }
    const Py_ssize_t nb = b + 1;
    pg->nb = nb;
    ALLOC(b_lines, nb);
    ALLOC(b_words, nb);
    ALLOC(b_sent, nb);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t bi = pg->block_id[i];
        b_lines[bi] += 1;
        b_words[bi] += pg->nwords[i];
        b_sent[bi] += pg->sent[i];
    }
    /* prose region */
    double total_mass = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t nw = pg->nwords[i];
        if (nw >= 8 && (pg->sent[i] != 0.0 || pg->stopd[i] >= 0.2))
            pg->mass[i] = (double)nw;
        total_mass += pg->mass[i];
    }
    {
        const double cost = 2.0;
        Span sp = {0};
        for (Py_ssize_t i = 0; i < n; i++)
            span_add(&sp, i, pg->mass[i] - cost);
        pg->bs = sp.found ? sp.bs : 0;
        pg->be = sp.found ? sp.be : n - 1;
    }
    Py_ssize_t max_words = 0, sum_words = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (pg->nwords[i] > max_words)
            max_words = pg->nwords[i];
        sum_words += pg->nwords[i];
    }
    if (max_words == 0)
        max_words = 1;
    const double page_log_lines = log1p((double)n) / 8.0;
    const double prose_frac = total_mass / (double)(sum_words ? sum_words : 1);
    const double inv_mass = total_mass != 0.0 ? 1.0 / total_mass : 0.0;

    const Py_ssize_t far = n + 1;
    ALLOC(up, n);
    ALLOC(down, n);
    {
        Py_ssize_t lastp = -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            up[i] = lastp >= 0 ? i - lastp : far;
            if (pg->mass[i] != 0.0)
                lastp = i;
        }
        lastp = -1;
        for (Py_ssize_t i = n - 1; i >= 0; i--) {
            down[i] = lastp >= 0 ? lastp - i : far;
            if (pg->mass[i] != 0.0)
                lastp = i;
        }
    }
    ALLOC(pm, n + 1);
    ALLOC(pc, n + 1);
    ALLOC(pw, n + 1);
    ALLOC(ps, n + 1);
    ALLOC(pe, n + 1);
    ALLOC(pg->pmass, n + 1);
    for (Py_ssize_t i = 0; i < n; i++) {
        pg->pmass[i + 1] = pg->pmass[i] + pg->mass[i]; /* the running sum of the mass, as added up in order */
        pm[i + 1] = pm[i] + (pg->mass[i] != 0.0 ? 1 : 0);
        pc[i + 1] = pc[i] + cshape[i];
        pw[i + 1] = pw[i] + pg->logw[i];
        ps[i + 1] = ps[i] + pg->stopd[i];
        pe[i + 1] = pe[i] + pg->sent[i];
    }
    const Py_ssize_t total_c = pc[n];

    pg->max_words = max_words;
    pg->total_c = total_c;
    pg->headline = headline;
    pg->has_mass = total_mass != 0.0;
    pg->inv_mass = inv_mass;
    pg->page_log_lines = page_log_lines;
    pg->prose_frac = prose_frac;
    pg->has_stop = has_stop;
    /* the arrays fill_row reads are the page's from now on (page_free frees them) */
    pg->cshape = cshape; pg->tsim = tsim;
    pg->b_lines = b_lines; pg->b_words = b_words; pg->b_sent = b_sent;
    pg->up = up; pg->down = down; pg->pm = pm; pg->pc = pc;
    pg->pw = pw; pg->ps = ps; pg->pe = pe;
    PyMem_Free(blank_before); PyMem_Free(cnt); PyMem_Free(dup);
    Py_DECREF(blank);
    Py_DECREF(words);
    st_free(&title_table);
    Py_DECREF(title_words);
    return 0;

error:
    PyMem_Free(blank_before); PyMem_Free(cnt); PyMem_Free(dup); PyMem_Free(cshape); PyMem_Free(tsim);
    PyMem_Free(b_lines); PyMem_Free(b_words); PyMem_Free(b_sent);
    PyMem_Free(up); PyMem_Free(down); PyMem_Free(pm); PyMem_Free(pc);
    PyMem_Free(pw); PyMem_Free(ps); PyMem_Free(pe);
    Py_XDECREF(blank);
    Py_XDECREF(words);
    st_free(&title_table);
    Py_XDECREF(title_words);
    Py_XDECREF(lower);
    page_free(pg);
    return -1;
}

/* row i of the line features: its head, and the columns from the page's arrays (what
 * features.line_features computes for the line) */
static void
fill_row(const Page *pg, Py_ssize_t i, double *row)
{
    const Py_ssize_t n = pg->n;
    memcpy(row, pg->head + i * NHEAD, NHEAD * sizeof(double));
    Py_ssize_t run = pg->short_run[i];
    Py_ssize_t bi = pg->block_id[i];
    Py_ssize_t nbl = pg->b_lines[bi];
    Py_ssize_t dist;
    if (i < pg->bs)
        dist = pg->bs - i;
    else if (i > pg->be)
        dist = i - pg->be;
    else
        dist = 0;
    /* the mass's cumulative share at the middle of the line */
    const double c = pg->has_mass ? 0.5 * (pg->pmass[i] * pg->inv_mass + pg->pmass[i + 1] * pg->inv_mass) : 0.5;
    Py_ssize_t lo = i >= 2 ? i - 2 : 0;
    Py_ssize_t hi = i + 3 <= n ? i + 3 : n;
    double inv = 1.0 / (double)(hi - lo);
    Py_ssize_t lo5 = i >= 5 ? i - 5 : 0;
    Py_ssize_t hi5 = i + 6 <= n ? i + 6 : n;
    double lu = ilog1p(pg->up[i]);
    double ld = ilog1p(pg->down[i]);
    double after_h, dist_h;
    const Py_ssize_t headline = pg->headline;
    if (headline >= 0) {
        after_h = i > headline ? 1.0 : 0.0;
        Py_ssize_t d = i - headline;
        dist_h = ilog1p(d < 0 ? -d : d) / 5.0;
    } else {
        after_h = 0.5;
        dist_h = 0.0;
    }
    row[30] = ilog1p(run);
    row[31] = run >= 3 ? 1.0 : 0.0;
    row[32] = ilog1p(nbl);
    row[33] = log1p((double)pg->b_words[bi] / (double)nbl);
    row[34] = pg->b_sent[bi] / (double)nbl;
    row[35] = (double)pg->nwords[i] / (double)pg->max_words;
    row[36] = dist == 0 ? 1.0 : 0.0;
    row[37] = ilog1p(dist);
    row[38] = c;
    row[39] = c < 0.5 ? c : 1.0 - c;
    row[40] = pg->page_log_lines;
    row[41] = pg->prose_frac;
    row[42] = pg->has_stop;
    row[43] = i > 0 ? pg->logw[i - 1] : 0.0;
    row[44] = i + 1 < n ? pg->logw[i + 1] : 0.0;
    row[45] = i > 0 ? pg->sent[i - 1] : 0.0;
    row[46] = i + 1 < n ? pg->sent[i + 1] : 0.0;
    row[47] = i > 0 ? pg->stopd[i - 1] : 0.0;
    row[48] = i + 1 < n ? pg->stopd[i + 1] : 0.0;
    row[49] = (pg->pw[hi] - pg->pw[lo]) * inv;
    row[50] = (pg->ps[hi] - pg->ps[lo]) * inv;
    row[51] = (pg->pe[hi] - pg->pe[lo]) * inv;
    row[52] = i == 0 ? 1.0 : 0.0;
    row[53] = pg->tsim[i];
    row[54] = after_h;
    row[55] = dist_h;
    row[56] = (double)pg->cshape[i];
    row[57] = ilog1p(pg->pc[i]);
    row[58] = ilog1p(pg->total_c - pg->pc[i + 1]);
    row[59] = lu;
    row[60] = ld;
    row[61] = lu < ld ? lu : ld;
    row[62] = lu > ld ? lu : ld;
    row[63] = (double)(pg->pm[hi5] - pg->pm[lo5]) / (double)(hi5 - lo5);
    row[64] = 1.0;
}

/* ------------------------------------------------------------------------ */
/* conversions                                                               */

/* 0.0 and 1.0, shared by the lists below: most of a page's sentence flags, stop-word densities
 * and masses are one or the other, and a float made for each cost an allocation and a free */
static PyObject *float_zero = NULL, *float_one = NULL; /* made at import */

static PyObject *
float_list(const double *v, Py_ssize_t n)
{
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        /* (-0.0 == 0.0: a zero with its sign bit set gets a float of its own) */
        PyObject *f = v[i] == 1.0 ? Py_NewRef(float_one)
                      : v[i] == 0.0 && !signbit(v[i]) ? Py_NewRef(float_zero)
                      : PyFloat_FromDouble(v[i]);
        if (f == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, f);
    }
    return out;
}

static PyObject *
int_list(const Py_ssize_t *v, Py_ssize_t n)
{
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = PyLong_FromSsize_t(v[i]);
        if (f == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, f);
    }
    return out;
}

static int
dict_put(PyObject *d, PyObject *key, PyObject *value)
{
    if (value == NULL)
        return -1;
    int r = PyDict_SetItem(d, key, value);
    Py_DECREF(value);
    return r;
}

/* the rows of features.line_features, made one at a time */
static PyObject *
page_rows(const Page *pg)
{
    PyObject *out = PyList_New(pg->n);
    if (out == NULL)
        return NULL;
    double row[NLF];
    for (Py_ssize_t i = 0; i < pg->n; i++) {
        fill_row(pg, i, row);
        PyObject *r = float_list(row, NLF);
        if (r == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, r);
    }
    return out;
}

/* the stats dict of features.line_features */
static PyObject *
page_stats(const Page *pg)
{
    Py_ssize_t n = pg->n;
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    PyObject *furn = PyList_New(n);
    if (furn == NULL)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(pg->furn[i]);
        PyList_SET_ITEM(furn, i, pg->furn[i]);
    }
    if (dict_put(d, k_nwords, int_list(pg->nwords, n)) < 0 ||
        dict_put(d, k_sent, float_list(pg->sent, n)) < 0 ||
        dict_put(d, k_stop, float_list(pg->stopd, n)) < 0 ||
        dict_put(d, k_furniture, furn) < 0 ||
        dict_put(d, k_short_run, int_list(pg->short_run, n)) < 0 ||
        dict_put(d, k_block_id, int_list(pg->block_id, n)) < 0 ||
        dict_put(d, k_region, Py_BuildValue("(nn)", pg->bs, pg->be)) < 0 ||
        dict_put(d, k_mass, float_list(pg->mass, n)) < 0 ||
        dict_put(d, k_items, int_list(pg->items, pg->n_items)) < 0)
        goto error;
    return d;
error:
    Py_DECREF(d);
    return NULL;
}

static int
check_configured(void)
{
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "cleaner._speedups is not configured");
        return -1;
    }
    return 0;
}

static PyObject *
sp_line_features(PyObject *self, PyObject *args)
{
    PyObject *lines, *blank, *stop;
    if (!PyArg_ParseTuple(args, "O!OO:line_features", &PyList_Type, &lines, &blank, &stop))
        return NULL;
    if (check_configured() < 0)
        return NULL;
    if (PyList_GET_SIZE(lines) == 0)
        return Py_BuildValue("([]{})");
    Page pg;
    const Lowered none = {NULL, NULL, NULL};
    if (compute_lines(lines, blank, stop, &none, &pg) < 0)
        return NULL;
    PyObject *rows = page_rows(&pg);
    PyObject *stats = rows ? page_stats(&pg) : NULL;
    page_free(&pg);
    if (stats == NULL) {
        Py_XDECREF(rows);
        return NULL;
    }
    PyObject *out = PyTuple_Pack(2, rows, stats);
    Py_DECREF(rows);
    Py_DECREF(stats);
    return out;
}

/* ------------------------------------------------------------------------ */
/* second pass: context features                                             */

static inline double
logit(double p)
{
    p = p < 1e-4 ? 1e-4 : (p > 0.9999 ? 0.9999 : p);
    return log(p / (1.0 - p));
}

/* What the context features of a page's lines are computed from (ctx_prepare), one line's row
 * at a time (ctx_row): the n * NCF doubles of all the rows are never held at once. */
typedef struct {
    Py_ssize_t n;
    const double *p1;
    const Py_ssize_t *block_id;
    double *pre;        /* prefix sums of p1 (n + 1) */
    Py_ssize_t *pos;    /* prefix counts of p1 >= 0.5 (n + 1) */
    double *b_sum, *b_max;
    Py_ssize_t *b_cnt;
    double *logits;
    double *ext;        /* p1 with three zeros on each side */
    Py_ssize_t total_pos, bs, be;
    double inv_pos, page_mean, page_max;
} Context;

static void
ctx_free(Context *c)
{
    PyMem_Free(c->pre); PyMem_Free(c->pos); PyMem_Free(c->b_sum); PyMem_Free(c->b_cnt);
    PyMem_Free(c->b_max); PyMem_Free(c->logits); PyMem_Free(c->ext);
    memset(c, 0, sizeof(*c));
}

/* the page's part of the context features, from p1, block ids and word counts (n > 0); the
 * Context borrows p1 and block_id */
static int
ctx_prepare(Context *c, const double *p1, const Py_ssize_t *block_id, const Py_ssize_t *words, Py_ssize_t n)
{
    memset(c, 0, sizeof(*c));
    c->n = n;
    c->p1 = p1;
    c->block_id = block_id;
    Py_ssize_t nb = block_id[n - 1] + 1;
    if (nb <= 0) {
        PyErr_SetString(PyExc_ValueError, "bad block ids");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (block_id[i] < 0 || block_id[i] >= nb) {
            /* Python would raise IndexError (or index from the end): refuse */
            PyErr_SetString(PyExc_IndexError, "block id out of range");
            return -1;
        }
    ALLOC(c->pre, n + 1);
    ALLOC(c->pos, n + 1);
    ALLOC(c->b_sum, nb);
    ALLOC(c->b_cnt, nb);
    ALLOC(c->b_max, nb);
    ALLOC(c->logits, n);
    ALLOC(c->ext, n + 6);
    double *pre = c->pre;
    Py_ssize_t *pos = c->pos;
    for (Py_ssize_t i = 0; i < n; i++) {
        pre[i + 1] = pre[i] + p1[i];
        pos[i + 1] = pos[i] + (p1[i] >= 0.5 ? 1 : 0);
    }
    c->total_pos = pos[n];
    c->inv_pos = c->total_pos ? 1.0 / (double)c->total_pos : 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t bi = block_id[i];
        c->b_sum[bi] += p1[i];
        c->b_cnt[bi] += 1;
        if (p1[i] > c->b_max[bi])
            c->b_max[bi] = p1[i];
    }
    Span sp = {0};
    for (Py_ssize_t i = 0; i < n; i++)
        span_add(&sp, i, (p1[i] - 0.5) * (1.0 + log1p((double)words[i])));
    c->bs = sp.found ? sp.bs : 0;
    c->be = sp.found ? sp.be : n - 1;
    c->page_mean = pre[n] / (double)n;
    double page_max = p1[0];
    for (Py_ssize_t i = 1; i < n; i++)
        if (p1[i] > page_max)
            page_max = p1[i];
    c->page_max = page_max;
    for (Py_ssize_t i = 0; i < n; i++) {
        c->logits[i] = logit(p1[i]);
        c->ext[i + 3] = p1[i];
    }
    return 0;
error:
    ctx_free(c);
    return -1;
}

/* the NCF context features of line i (features.context_features' row) */
static void
ctx_row(const Context *c, Py_ssize_t i, double *row)
{
    static const Py_ssize_t ks[5] = {1, 2, 3, 6, 10};
    const Py_ssize_t n = c->n;
    const double *p1 = c->p1, *pre = c->pre, *ext = c->ext, *logits = c->logits;
    Py_ssize_t bi = c->block_id[i];
    Py_ssize_t dist;
    if (i < c->bs)
        dist = c->bs - i;
    else if (i > c->be)
        dist = i - c->be;
    else
        dist = 0;
    row[0] = logits[i];
    for (int q = 0; q < 5; q++) {
        Py_ssize_t k = ks[q];
        Py_ssize_t lo = i >= k ? i - k : 0;
        Py_ssize_t hi = i + k + 1 <= n ? i + k + 1 : n;
        row[1 + q] = (pre[hi] - pre[lo]) / (double)(hi - lo);
    }
    double mn;
    if (i == 0)
        mn = i + 1 < n ? p1[i + 1] : 0.0;
    else if (i + 1 >= n)
        mn = p1[i - 1];
    else
        mn = p1[i - 1] < p1[i + 1] ? p1[i - 1] : p1[i + 1];
    /* max(ext[i:i+3]) and max(ext[i+4:i+7]): builtins.max keeps the first of equals */
    double m1 = ext[i];
    if (ext[i + 1] > m1) m1 = ext[i + 1];
    if (ext[i + 2] > m1) m1 = ext[i + 2];
    double m2 = ext[i + 4];
    if (ext[i + 5] > m2) m2 = ext[i + 5];
    if (ext[i + 6] > m2) m2 = ext[i + 6];
    row[6] = m1;
    row[7] = m2;
    row[8] = mn;
    row[9] = c->b_sum[bi] / (double)c->b_cnt[bi];
    row[10] = c->b_max[bi];
    row[11] = i > 0 ? logits[i - 1] / 5.0 : -2.0;
    row[12] = i + 1 < n ? logits[i + 1] / 5.0 : -2.0;
    row[13] = dist == 0 ? 1.0 : 0.0;
    row[14] = ilog1p(dist);
    row[15] = (double)c->pos[i] * c->inv_pos;
    row[16] = (double)(c->total_pos - c->pos[i + 1]) * c->inv_pos;
    row[17] = c->page_mean;
    row[18] = c->page_max;
}

/* PyNumber_AsSsize_t(o, exc): an exact int read directly (the general conversion is twice the
 * work), any other object, and an int too large, the general way, which also words the error */
static inline Py_ssize_t
as_ssize(PyObject *o, PyObject *exc)
{
    if (PyLong_CheckExact(o)) {
        const Py_ssize_t v = PyLong_AsSsize_t(o);
        if (v != -1 || !PyErr_Occurred())
            return v;
        PyErr_Clear();
    }
    return PyNumber_AsSsize_t(o, exc);
}

/* a sequence of numbers into a new C array of doubles (NULL on error) */
static double *
doubles_from(PyObject *obj, Py_ssize_t expect, const char *what)
{
    PyObject *seq = PySequence_Fast(obj, what);
    if (seq == NULL)
        return NULL;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(seq);
    if (expect >= 0 && m != expect) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s: expected %zd values, got %zd", what, expect, m);
        return NULL;
    }
    double *out = PyMem_Calloc(m ? (size_t)m : 1, sizeof(double));
    if (out == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        double v = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seq, i));
        if (v == -1.0 && PyErr_Occurred()) {
            PyMem_Free(out);
            Py_DECREF(seq);
            return NULL;
        }
        out[i] = v;
    }
    Py_DECREF(seq);
    return out;
}

static Py_ssize_t *
ssizes_from(PyObject *obj, Py_ssize_t expect, const char *what)
{
    PyObject *seq = PySequence_Fast(obj, what);
    if (seq == NULL)
        return NULL;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(seq);
    if (m < expect) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s: expected %zd values, got %zd", what, expect, m);
        return NULL;
    }
    Py_ssize_t *out = PyMem_Calloc(m ? (size_t)m : 1, sizeof(Py_ssize_t));
    if (out == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        Py_ssize_t v = as_ssize(PySequence_Fast_GET_ITEM(seq, i), PyExc_OverflowError);
        if (v == -1 && PyErr_Occurred()) {
            PyMem_Free(out);
            Py_DECREF(seq);
            return NULL;
        }
        out[i] = v;
    }
    Py_DECREF(seq);
    return out;
}

static PyObject *
sp_context_features(PyObject *self, PyObject *args)
{
    PyObject *p1o, *stats, *wordso;
    if (!PyArg_ParseTuple(args, "OO!O:context_features", &p1o, &PyDict_Type, &stats, &wordso))
        return NULL;
    Py_ssize_t n = PyObject_Length(p1o);
    if (n < 0)
        return NULL;
    if (n == 0)
        return PyList_New(0);
    PyObject *bido = PyDict_GetItemWithError(stats, k_block_id);
    if (bido == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, k_block_id);
        return NULL;
    }
    double *p1 = NULL;
    Py_ssize_t *bid = NULL, *words = NULL;
    PyObject *out = NULL;
    p1 = doubles_from(p1o, n, "p1");
    if (p1 == NULL)
        goto done;
    bid = ssizes_from(bido, n, "block_id");
    if (bid == NULL)
        goto done;
    words = ssizes_from(wordso, n, "words");
    if (words == NULL)
        goto done;
    Context c;
    if (ctx_prepare(&c, p1, bid, words, n) < 0)
        goto done;
    out = PyList_New(n);
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        double row[NCF];
        ctx_row(&c, i, row);
        PyObject *r = float_list(row, NCF);
        if (r == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, i, r);
    }
    ctx_free(&c);
done:
    PyMem_Free(p1);
    PyMem_Free(bid);
    PyMem_Free(words);
    return out;
}

/* ------------------------------------------------------------------------ */
/* the model's logistic passes                                               */

static inline double
sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

/* the products of coef[0:n] and a[0:n] added left to right to ``s`` (model._Linear.prob, the
 * reference, adds them so from 0.0, and its intercept after) */
static inline double
dot_from(double s, const double *coef, const double *a, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++)
        s += coef[k] * a[k];
    return s;
}

/* scores(lines, blank_before, stop, coef1, intercept1, coef2, intercept2[, low, offsets, changed])
 * -> (p2, stats): what ContentModel.scores computes (stats["p1"] included) when the model's
 * features are exactly LINE_FEATURES and LINE_FEATURES + CONTEXT_FEATURES. ``low``, ``offsets``
 * and ``changed`` (None, or all three): the lines' lower case read off a text that holds them
 * (see Lowered): a DocText's ``low`` and ``offsets``, and the indices of the lines whose text
 * there is not theirs. */
static PyObject *
sp_scores(PyObject *self, PyObject *args)
{
    PyObject *lines, *blank, *stop, *c1o, *c2o, *lowo = Py_None, *offo = Py_None, *chgo = Py_None;
    double b1, b2;
    if (!PyArg_ParseTuple(args, "O!OOOdOd|OOO:scores", &PyList_Type, &lines, &blank, &stop, &c1o, &b1, &c2o, &b2,
                          &lowo, &offo, &chgo))
        return NULL;
    if (check_configured() < 0)
        return NULL;
    double *c1 = NULL, *c2 = NULL, *p1 = NULL, *p2 = NULL;
    PyObject *out = NULL, *stats = NULL, *p1l = NULL, *p2l = NULL;
    Page pg;
    memset(&pg, 0, sizeof(pg));
    Lowered lw = {NULL, NULL, NULL};
    if (lowo != Py_None) {
        if (!PyUnicode_Check(lowo) || !PyList_Check(offo) || PyList_GET_SIZE(offo) < PyList_GET_SIZE(lines) + 1 ||
            (chgo != Py_None && !PyAnySet_Check(chgo))) {
            PyErr_SetString(PyExc_TypeError, "scores: low (str), offsets (a list, one more than the lines) and "
                                             "changed (a set or None) are needed together");
            return NULL;
        }
        lw.low = lowo;
        lw.offsets = offo;
        if (chgo != Py_None && PySet_GET_SIZE(chgo) > 0) {
            const Py_ssize_t n = PyList_GET_SIZE(lines);
            lw.changed = PyMem_Calloc(n ? (size_t)n : 1, 1);
            if (lw.changed == NULL)
                return PyErr_NoMemory();
            PyObject *it = PyObject_GetIter(chgo), *key;
            while (it != NULL && (key = PyIter_Next(it)) != NULL) {
                const Py_ssize_t k = PyNumber_AsSsize_t(key, PyExc_IndexError);
                Py_DECREF(key);
                if (k == -1 && PyErr_Occurred())
                    break;
                if (k >= 0 && k < n)
                    lw.changed[k] = 1;
            }
            Py_XDECREF(it);
            if (PyErr_Occurred()) {
                PyMem_Free(lw.changed);
                return NULL;
            }
        }
    }
    c1 = doubles_from(c1o, NLF, "coef1");
    if (c1 == NULL)
        goto done;
    c2 = doubles_from(c2o, NLF + NCF, "coef2");
    if (c2 == NULL)
        goto done;
    if (PyList_GET_SIZE(lines) == 0) {
        out = Py_BuildValue("([]{s:[]})", "p1");
        goto done;
    }
    if (compute_lines(lines, blank, stop, &lw, &pg) < 0)
        goto done;
    Py_ssize_t n = pg.n;
    p1 = PyMem_Calloc((size_t)n, sizeof(double));
    p2 = PyMem_Calloc((size_t)n, sizeof(double));
    if (p1 == NULL || p2 == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* A line's row feeds both passes: the second pass's sum over it is taken with the first's
     * and kept in p2 (a double, as the running sum is), to go on with the context features
     * once every p1 is known; the row is made once. */
    double row[NLF];
    for (Py_ssize_t i = 0; i < n; i++) {
        fill_row(&pg, i, row);
        p1[i] = sigmoid(b1 + dot_from(0.0, c1, row, NLF));
        p2[i] = dot_from(0.0, c2, row, NLF);
    }
    page_free_rows(&pg); /* the rows are made: half the page's memory goes before the rest is built */
    Context cx;
    if (ctx_prepare(&cx, p1, pg.block_id, pg.nwords, n) < 0)
        goto done;
    double crow[NCF];
    for (Py_ssize_t i = 0; i < n; i++) {
        ctx_row(&cx, i, crow);
        p2[i] = sigmoid(b2 + dot_from(p2[i], c2 + NLF, crow, NCF));
    }
    ctx_free(&cx);
    stats = page_stats(&pg);
    if (stats == NULL)
        goto done;
    p1l = float_list(p1, n);
    if (p1l == NULL || PyDict_SetItem(stats, k_p1, p1l) < 0)
        goto done;
    p2l = float_list(p2, n);
    if (p2l == NULL)
        goto done;
    out = PyTuple_Pack(2, p2l, stats);
done:
    PyMem_Free(lw.changed);
    page_free(&pg);
    PyMem_Free(c1);
    PyMem_Free(c2);
    PyMem_Free(p1);
    PyMem_Free(p2);
    Py_XDECREF(stats);
    Py_XDECREF(p1l);
    Py_XDECREF(p2l);
    return out;
}

/* model._smooth's keep/drop sequence of p[0:n] into keep (back_k, back_d: n bytes of room each) */
static void
smooth_into(const double *p, Py_ssize_t n, double t, double penalty, char *keep, char *back_k, char *back_d)
{
    t = t < 1e-4 ? 1e-4 : (t > 0.9999 ? 0.9999 : t);
    const double lt = log(t / (1.0 - t));
    double k = 0.0, d = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double pi = p[i];
        pi = pi < 1e-4 ? 1e-4 : (pi > 0.9999 ? 0.9999 : pi);
        double s = log(pi / (1.0 - pi)) - lt;
        s = s > 6.0 ? 6.0 : (s < -6.0 ? -6.0 : s);
        back_k[i] = back_d[i] = 0;
        if (i == 0) {
            k = s;
            d = 0.0;
            continue;
        }
        int kk = k >= d - penalty;
        double nk = (kk ? k : d - penalty) + s;
        int dk = k - penalty > d;
        double nd = dk ? k - penalty : d;
        back_k[i] = (char)kk;
        back_d[i] = (char)dk;
        k = nk;
        d = nd;
    }
    int state = k >= d;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        keep[i] = (char)state;
        state = state ? back_k[i] : back_d[i];
    }
}

static PyObject *
bool_list(const char *v, Py_ssize_t n)
{
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = v[i] ? Py_True : Py_False;
        Py_INCREF(b);
        PyList_SET_ITEM(out, i, b);
    }
    return out;
}

/* whether ``s`` holds a character of re's [^\W_] (what \w matches, but "_") */
static int
has_alnum(PyObject *s)
{
    const int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t k = 0, n = PyUnicode_GET_LENGTH(s); k < n; k++) {
        const Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        if (ch != '_' && is_word_char(ch))
            return 1;
    }
    return 0;
}

/* decide_keep(lines, p, nwords, sent, stopd, t, penalty, region_gap, region_keep, prose_guard,
 * prose_guard_lines, prose_guard_all, lead) -> (keep, span): model._decide_keep_py in C */
static PyObject *
sp_decide_keep(PyObject *self, PyObject *args)
{
    PyObject *lines, *po, *nwo, *sento, *stopo;
    double t, penalty, region_keep, prose_guard, prose_guard_all, lead;
    Py_ssize_t region_gap, prose_guard_lines;
    if (!PyArg_ParseTuple(args, "O!OOOOddnddndd:decide_keep", &PyList_Type, &lines, &po, &nwo, &sento, &stopo, &t,
                          &penalty, &region_gap, &region_keep, &prose_guard, &prose_guard_lines, &prose_guard_all,
                          &lead))
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(lines);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyUnicode_Check(PyList_GET_ITEM(lines, i))) {
            PyErr_SetString(PyExc_TypeError, "decide_keep: lines must be str");
            return NULL;
        }
    double *p = NULL, *sent = NULL, *stopd = NULL;
    Py_ssize_t *nwords = NULL;
    char *keep = NULL;
    PyObject *out = NULL, *keep_list = NULL, *span = NULL;
    p = doubles_from(po, n, "p");
    if (p == NULL)
        goto done;
    nwords = ssizes_from(nwo, n, "nwords");
    if (nwords == NULL)
        goto done;
    sent = doubles_from(sento, n, "sent");
    if (sent == NULL)
        goto done;
    stopd = doubles_from(stopo, n, "stop");
    if (stopd == NULL)
        goto done;
    keep = PyMem_Calloc(n ? (size_t)n * 3 : 1, 1);
    if (keep == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (penalty > 0.0) {
        smooth_into(p, n, t, penalty, keep, keep + n, keep + 2 * n);
        /* lines without a letter or digit carry no text (see _decide_keep_py) */
        for (Py_ssize_t i = 0; i < n; i++)
            if (keep[i] && !has_alnum(PyList_GET_ITEM(lines, i)))
                keep[i] = 0;
    } else {
        for (Py_ssize_t i = 0; i < n; i++)
            keep[i] = p[i] >= t;
    }
    /* the article span: features.best_span over (p - t) * (1 + log1p(words)) */
    Span sp = {0};
    for (Py_ssize_t i = 0; i < n; i++)
        span_add(&sp, i, (p[i] - t) * (1.0 + log1p((double)nwords[i])));
    const int found = sp.found;
    const Py_ssize_t bs = sp.bs, be = sp.be;
    if (found) {
        /* the lines more than region_gap lines outside the span (no overflow: clamped first) */
        const Py_ssize_t before = bs > region_gap ? bs - region_gap : 0;
        const Py_ssize_t after = n - be - 1 > region_gap ? be + region_gap + 1 : n;
        for (Py_ssize_t i = 0; i < n; i++)
            if ((i < before || i >= after) && keep[i] && p[i] < region_keep)
                keep[i] = 0;
    }
    /* the prose guard */
    char *prose = keep + n; /* the smoothing's room, free again */
    Py_ssize_t total = 0, prose_chars = 0, nprose = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_ssize_t len = PyUnicode_GET_LENGTH(PyList_GET_ITEM(lines, i));
        prose[i] = nwords[i] >= 12 && (sent[i] > 0 || stopd[i] >= 0.25);
        total += len;
        if (prose[i]) {
            prose_chars += len;
            nprose++;
        }
    }
    const double share = (double)prose_chars / (double)(total ? total : 1);
    if (share >= prose_guard_all || (share >= prose_guard && n - nprose <= prose_guard_lines))
        for (Py_ssize_t i = 0; i < n; i++)
            if (prose[i])
                keep[i] = 1;
    if (found && lead <= 1.0)
        /* keep_prose_above_span_end */
        for (Py_ssize_t i = 0; i <= be && i < n; i++)
            if (!keep[i] && p[i] >= lead && nwords[i] >= 15 && sent[i] > 0)
                keep[i] = 1;
    int any = 0;
    for (Py_ssize_t i = 0; i < n && !any; i++)
        any = keep[i];
    if (!any)
        for (Py_ssize_t i = 0; i < n; i++)
            keep[i] = p[i] >= t && has_alnum(PyList_GET_ITEM(lines, i));
    keep_list = bool_list(keep, n);
    if (keep_list == NULL)
        goto done;
    if (found)
        span = Py_BuildValue("(nn)", bs, be);
    else {
        span = Py_None;
        Py_INCREF(span);
    }
    if (span != NULL)
        out = PyTuple_Pack(2, keep_list, span);
done:
    PyMem_Free(p);
    PyMem_Free(nwords);
    PyMem_Free(sent);
    PyMem_Free(stopd);
    PyMem_Free(keep);
    Py_XDECREF(keep_list);
    Py_XDECREF(span);
    return out;
}

static PyObject *l_prompt, *l_footer, *l_comments, *l_navigation, *l_link_list, *l_outside, *l_boilerplate;

/* drop_labels(lines, keep, nwords, furn, short_run, footer_lines, footer, found, bs, be) -> labels:
 * model._drop_labels_py in C */
static PyObject *
sp_drop_labels(PyObject *self, PyObject *args)
{
    PyObject *lines, *keepo, *nwo, *furn, *runo, *footer_lines, *footer;
    int found;
    Py_ssize_t bs, be;
    if (!PyArg_ParseTuple(args, "O!O!OO!OOOpnn:drop_labels", &PyList_Type, &lines, &PyList_Type, &keepo, &nwo,
                          &PyList_Type, &furn, &runo, &footer_lines, &footer, &found, &bs, &be))
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(lines);
    if (PyList_GET_SIZE(keepo) < n || PyList_GET_SIZE(furn) < n) {
        PyErr_SetString(PyExc_IndexError, "drop_labels: keep or furn is shorter than lines");
        return NULL;
    }
    if (footer_lines != Py_None && !PyAnySet_Check(footer_lines)) {
        PyErr_SetString(PyExc_TypeError, "drop_labels: footer_lines must be a set or None");
        return NULL;
    }
    Py_ssize_t *nwords = ssizes_from(nwo, n, "nwords");
    Py_ssize_t *run = nwords == NULL ? NULL : ssizes_from(runo, n, "short_run");
    PyObject *out = run == NULL ? NULL : PyList_New(n);
    if (out == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *label = Py_None;
        const int kept = PyObject_IsTrue(PyList_GET_ITEM(keepo, i));
        if (kept < 0)
            goto error;
        if (!kept) {
            PyObject *cat = PyList_GET_ITEM(furn, i);
            PyObject *line = PyList_GET_ITEM(lines, i);
            const Py_UCS4 letter = cat_letter(cat);
            const int is_prompt = letter == 'p';
            int is_footer = letter == 'f';
            if (!is_prompt && !is_footer && nwords[i] <= 25) {
                if (!PyUnicode_Check(line)) {
                    PyErr_SetString(PyExc_TypeError, "drop_labels: lines must be str");
                    goto error;
                }
                is_footer = PyUnicode_FindChar(line, 0xA9, 0, PyUnicode_GET_LENGTH(line), 1) >= 0;
                if (!is_footer) {
                    int may = 1;
                    if (footer_lines != Py_None) {
                        PyObject *ix = PyLong_FromSsize_t(i);
                        may = ix == NULL ? -1 : PySet_Contains(footer_lines, ix);
                        Py_XDECREF(ix);
                        if (may < 0)
                            goto error;
                    }
                    if (may) {
                        PyObject *m = PyObject_CallOneArg(footer, line);
                        if (m == NULL)
                            goto error;
                        is_footer = m != Py_None;
                        Py_DECREF(m);
                    }
                }
            }
            if (is_prompt)
                label = l_prompt;
            else if (is_footer)
                label = l_footer;
            else if (letter == 'c')
                label = l_comments;
            else if (run[i] >= 3)
                label = found && i < bs ? l_navigation : l_link_list;
            else if (found && (i < bs || i > be))
                label = l_outside;
            else
                label = l_boilerplate;
        }
        Py_INCREF(label);
        PyList_SET_ITEM(out, i, label);
    }
    goto done;
error:
    Py_CLEAR(out);
done:
    PyMem_Free(nwords);
    PyMem_Free(run);
    return out;
}

/* ------------------------------------------------------------------------ */

/* the Latin-1 characters of textio._CONTROL_OR_SURROGATE: U+0000-0008, 000B, 000E-001F, 007F-009F */
static unsigned char latin1_control[256];

static void
fill_latin1_control(void)
{
    for (Py_UCS4 ch = 0; ch < 256; ch++)
        latin1_control[ch] = (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\f' && ch != '\r') || (ch >= 0x7F && ch <= 0x9F);
}

static inline int
control_or_surrogate(Py_UCS4 ch)
{
    return ch < 256 ? latin1_control[ch] : (ch >= 0xD800 && ch <= 0xDFFF);
}

/* holds_control(text) -> whether ``text`` holds a character of textio._CONTROL_OR_SURROGATE:
 * U+0000-0008, 000B, 000E-001F, 007F-009F or a surrogate (one pass, no regex) */
static PyObject *
sp_holds_control(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "holds_control"))
        return NULL;
    const int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    if (kind == PyUnicode_1BYTE_KIND) { /* no surrogate: the table alone, one byte at a time */
        const Py_UCS1 *b = data;
        for (Py_ssize_t i = 0; i < n; i++)
            if (latin1_control[b[i]])
                Py_RETURN_TRUE;
        Py_RETURN_FALSE;
    }
    Py_ssize_t i = 0;
    if (kind == PyUnicode_2BYTE_KIND) /* four characters at a time, read again when one is out of 0x20-0x7E */
        for (const Py_UCS2 *u = data; i + 4 <= n; i += 4)
            if (SW16_HAS_LESS(load4_ucs2(u + i), 0x20) | SW16_HAS_MORE(load4_ucs2(u + i), 0x7E))
                for (int j = 0; j < 4; j++)
                    if (control_or_surrogate(u[i + j]))
                        Py_RETURN_TRUE;
    for (; i < n; i++)
        if (control_or_surrogate(PyUnicode_READ(kind, data, i)))
            Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

/* scrub(text) -> (text, surrogates, controls): textio.normalise's repair of a text holding a
 * character of textio._CONTROL_OR_SURROGATE, in one pass: each lone surrogate replaced by U+FFFD,
 * each control character of textio._CONTROL dropped, and how many of each (``text`` itself when
 * there are none). Its reference is textio._scrub_py, the regexes' findall and sub. */
static PyObject *
sp_scrub(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "scrub"))
        return NULL;
    const int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    Py_ssize_t surrogates = 0, controls = 0;
    Py_UCS4 maxchar = 0; /* of what is kept */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch >= 0xD800 && ch <= 0xDFFF) {
            surrogates++;
            ch = 0xFFFD;
        } else if (ch < 256 && latin1_control[ch]) {
            controls++;
            continue;
        }
        if (ch > maxchar)
            maxchar = ch;
    }
    if (surrogates == 0 && controls == 0)
        return Py_BuildValue("(Onn)", arg, (Py_ssize_t)0, (Py_ssize_t)0);
    PyObject *out = PyUnicode_New(n - controls, maxchar);
    if (out == NULL)
        return NULL;
    const int okind = PyUnicode_KIND(out);
    void *odata = PyUnicode_DATA(out);
    Py_ssize_t w = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch >= 0xD800 && ch <= 0xDFFF)
            PyUnicode_WRITE(okind, odata, w++, 0xFFFD);
        else if (!(ch < 256 && latin1_control[ch]))
            PyUnicode_WRITE(okind, odata, w++, ch);
    }
    assert(w == n - controls);
    return Py_BuildValue("(Nnn)", out, surrogates, controls);
}

/* ------------------------------------------------------------------------------------------
 * json_string(text) -> text as a JSON string, quotes included, exactly as
 * json.encoder.encode_basestring writes it (the ensure_ascii=False form of json.dumps): '"' and
 * '\\' escaped by a backslash, \b \f \n \r \t by their letters, the other characters below
 * U+0020 as \u00XX (lowercase hex), every other character as itself. CPython's own encoder reads
 * and writes a character at a time; this one finds the characters to escape sixteen bytes at a
 * time and copies the runs between them. output.json_text hands it to json's C encoder for the
 * --jsonl lines.
 */
static unsigned char json_escape_len[128]; /* 0: written as itself, else the escape's length */

static void
fill_json_escape(void)
{
    for (int ch = 0; ch < 0x20; ch++)
        json_escape_len[ch] = 6;
    json_escape_len['\b'] = json_escape_len['\f'] = json_escape_len['\n'] = 2;
    json_escape_len['\r'] = json_escape_len['\t'] = json_escape_len['"'] = json_escape_len['\\'] = 2;
}

/* whether one of the characters in ``x`` (eight bytes of a one- or two-byte text) is one JSON
 * escapes: '"', '\\' or below U+0020 (exact as a test of them all) */
#define SW8_JSON(x) \
    (SW8_HAS_LESS(x, 0x20) | SW8_HAS_LESS((x) ^ (SW8_ONES * '"'), 1) | SW8_HAS_LESS((x) ^ (SW8_ONES * '\\'), 1))
#define SW16_JSON(x) \
    (SW16_HAS_LESS(x, 0x20) | SW16_HAS_LESS((x) ^ (SW16_ONES * '"'), 1) | SW16_HAS_LESS((x) ^ (SW16_ONES * '\\'), 1))

/* the position of the first character of [i, n) that JSON escapes, or n when there is none:
 * sixteen bytes tested at a time, then the eight that hold it, then their characters */
static Py_ssize_t
json_next_escape(int kind, const void *data, Py_ssize_t i, Py_ssize_t n)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *b = data;
        for (uint64_t x, y; i + 16 <= n; i += 16) {
            memcpy(&x, b + i, 8);
            memcpy(&y, b + i + 8, 8);
            if (SW8_JSON(x) | SW8_JSON(y)) {
                i += SW8_JSON(x) ? 0 : 8;
                break;
            }
        }
    } else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *u = data;
        for (uint64_t x, y; i + 8 <= n; i += 8) {
            x = load4_ucs2(u + i);
            y = load4_ucs2(u + i + 4);
            if (SW16_JSON(x) | SW16_JSON(y)) {
                i += SW16_JSON(x) ? 0 : 4;
                break;
            }
        }
    }
    for (; i < n; i++) {
        const Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 128 && json_escape_len[ch])
            break;
    }
    return i;
}

/* The text is read once: the places of its escapes are kept (on the stack for most strings),
 * then the output is sized and the runs between them copied. */
#define JSON_PLACES 64

static PyObject *
sp_json_string(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "json_string"))
        return NULL;
    const int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    Py_ssize_t on_stack[JSON_PLACES], *places = on_stack, cap = JSON_PLACES, count = 0;
    PyObject *out = NULL;
    Py_ssize_t size = n + 2;
    for (Py_ssize_t i = json_next_escape(kind, data, 0, n); i < n; i = json_next_escape(kind, data, i + 1, n)) {
        if (size > PY_SSIZE_T_MAX - 5) {
            PyErr_NoMemory();
            goto done;
        }
        if (count == cap) {
            Py_ssize_t *more = PyMem_Malloc(2 * (size_t)cap * sizeof(Py_ssize_t));
            if (more == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            memcpy(more, places, (size_t)count * sizeof(Py_ssize_t));
            if (places != on_stack)
                PyMem_Free(places);
            places = more;
            cap *= 2;
        }
        places[count++] = i;
        size += json_escape_len[PyUnicode_READ(kind, data, i)] - 1;
    }
    out = PyUnicode_New(size, PyUnicode_MAX_CHAR_VALUE(arg));
    if (out == NULL)
        goto done;
    void *o = PyUnicode_DATA(out);
    Py_ssize_t w = 0, i = 0;
    PyUnicode_WRITE(kind, o, w++, '"');
    for (Py_ssize_t k = 0;; k++) {
        const Py_ssize_t e = k < count ? places[k] : n;
        memcpy((char *)o + w * kind, (const char *)data + i * kind, (size_t)(e - i) * kind);
        w += e - i;
        if (e == n)
            break;
        const Py_UCS4 ch = PyUnicode_READ(kind, data, e);
        PyUnicode_WRITE(kind, o, w++, '\\');
        switch (ch) {
        case '"': case '\\': PyUnicode_WRITE(kind, o, w++, ch); break;
        case '\b': PyUnicode_WRITE(kind, o, w++, 'b'); break;
        case '\f': PyUnicode_WRITE(kind, o, w++, 'f'); break;
        case '\n': PyUnicode_WRITE(kind, o, w++, 'n'); break;
        case '\r': PyUnicode_WRITE(kind, o, w++, 'r'); break;
        case '\t': PyUnicode_WRITE(kind, o, w++, 't'); break;
        default:
            PyUnicode_WRITE(kind, o, w++, 'u');
            PyUnicode_WRITE(kind, o, w++, '0');
            PyUnicode_WRITE(kind, o, w++, '0');
            PyUnicode_WRITE(kind, o, w++, "0123456789abcdef"[ch >> 4]);
            PyUnicode_WRITE(kind, o, w++, "0123456789abcdef"[ch & 15]);
        }
        i = e + 1;
    }
    PyUnicode_WRITE(kind, o, w++, '"');
    assert(w == size);
done:
    if (places != on_stack)
        PyMem_Free(places);
    return out;
}

/* ------------------------------------------------------------------------------------------
 * json_record(line) -> the JSON object a --jsonl input line (bytes) holds, as json.loads reads
 * the line decoded as UTF-8 and stripped; or None when this reader leaves the line to that path:
 * a line that is not UTF-8, not an object, holds a lone surrogate, NaN or Infinity, or is not
 * valid JSON. The strings' contents are decoded from UTF-8 once, their escapes resolved in the
 * bytes (runs between them found sixteen bytes at a time): the line is neither decoded whole
 * nor read a character at a time. A nested value (an object or an array: a record's metadata)
 * is handed to json.loads on its own. tests/test_speedups.py compares it with json.loads.
 */
typedef struct {
    const unsigned char *p, *end;
} JsonIn;

static void
jr_space(JsonIn *in)
{
    while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r'))
        in->p++;
}

/* the four hex digits at ``p`` (p + 4 <= end), or -1 */
static long
jr_hex4(const unsigned char *p)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        const unsigned char c = p[k];
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* the string whose opening quote is at in->p, in->p then past its closing quote; NULL without an
 * exception when it is left to json (a control character, a bad or lone-surrogate escape, bytes
 * that are not UTF-8, no closing quote); NULL with an exception when out of memory */
static PyObject *
jr_string(JsonIn *in)
{
    const unsigned char *s = in->p + 1;
    const Py_ssize_t n = in->end - s;
    Py_ssize_t i = json_next_escape(PyUnicode_1BYTE_KIND, s, 0, n);
    if (i < n && s[i] == '"') { /* no escape: the bytes are the string's UTF-8 */
        in->p = s + i + 1;
        PyObject *out = PyUnicode_DecodeUTF8((const char *)s, i, NULL);
        if (out == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError))
            PyErr_Clear();
        return out;
    }
    /* with escapes: resolved into a buffer of UTF-8 (never longer than the escaped bytes) */
    unsigned char *buf = PyMem_Malloc(n ? (size_t)n : 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t w = 0, from = 0;
    PyObject *out = NULL;
    for (;;) {
        if (i >= n || s[i] < 0x20)
            goto leave; /* no closing quote, or a control character (json refuses both) */
        memcpy(buf + w, s + from, (size_t)(i - from));
        w += i - from;
        if (s[i] == '"')
            break;
        if (i + 1 >= n)
            goto leave;
        const unsigned char e = s[i + 1];
        if (e != 'u') {
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e == 0 || simple == NULL)
                goto leave;
            buf[w++] = (unsigned char)"\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            i += 2;
        } else {
            if (i + 6 > n)
                goto leave;
            long cp = jr_hex4(s + i + 2);
            if (cp < 0)
                goto leave;
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
                const long low = jr_hex4(s + i + 2);
                if (low < 0)
                    goto leave;
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10 | (low - 0xDC00));
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                goto leave; /* a lone surrogate: not UTF-8 (json keeps it: its path reads it) */
            if (cp < 0x80)
                buf[w++] = (unsigned char)cp;
            else if (cp < 0x800) {
                buf[w++] = (unsigned char)(0xC0 | cp >> 6);
                buf[w++] = (unsigned char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                buf[w++] = (unsigned char)(0xE0 | cp >> 12);
                buf[w++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
                buf[w++] = (unsigned char)(0x80 | (cp & 0x3F));
            } else {
                buf[w++] = (unsigned char)(0xF0 | cp >> 18);
                buf[w++] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
                buf[w++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
                buf[w++] = (unsigned char)(0x80 | (cp & 0x3F));
            }
        }
        from = i;
        i = json_next_escape(PyUnicode_1BYTE_KIND, s, i, n);
    }
    in->p = s + i + 1;
    out = PyUnicode_DecodeUTF8((const char *)buf, w, NULL);
    if (out == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError))
        PyErr_Clear();
leave:
    PyMem_Free(buf);
    return out;
}

static int
jr_digit(const JsonIn *in, const unsigned char *p)
{
    return p < in->end && *p >= '0' && *p <= '9';
}

/* the value at in->p (not a string), in->p then past it; NULL without an exception when it is
 * left to json (an object, an array, NaN, Infinity, an int json refuses, not JSON) */
static PyObject *
jr_scalar(JsonIn *in)
{
    const unsigned char *p = in->p;
    const Py_ssize_t left = in->end - p;
    if (left >= 4 && memcmp(p, "null", 4) == 0) {
        in->p += 4;
        Py_RETURN_NONE;
    }
    if (left >= 4 && memcmp(p, "true", 4) == 0) {
        in->p += 4;
        Py_RETURN_TRUE;
    }
    if (left >= 5 && memcmp(p, "false", 5) == 0) {
        in->p += 5;
        Py_RETURN_FALSE;
    }
    /* a number, as json's scanner reads it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
    const unsigned char *q = p;
    int is_float = 0;
    if (q < in->end && *q == '-')
        q++;
    if (!jr_digit(in, q))
        return NULL;
    if (*q++ != '0')
        while (jr_digit(in, q))
            q++;
    if (q < in->end && *q == '.' && jr_digit(in, q + 1)) {
        is_float = 1;
        q += 2;
        while (jr_digit(in, q))
            q++;
    }
    if (q < in->end && (*q == 'e' || *q == 'E')) {
        const unsigned char *e = q + 1;
        if (e < in->end && (*e == '-' || *e == '+'))
            e++;
        if (jr_digit(in, e)) {
            is_float = 1;
            q = e;
            while (jr_digit(in, q))
                q++;
        }
    }
    PyObject *text = PyUnicode_DecodeASCII((const char *)p, q - p, NULL);
    if (text == NULL)
        return NULL;
    PyObject *out = is_float ? PyFloat_FromString(text) : PyLong_FromUnicodeObject(text, 10);
    Py_DECREF(text);
    if (out == NULL && PyErr_ExceptionMatches(PyExc_ValueError))
        PyErr_Clear(); /* an int of more digits than int() reads: json raises, on its path */
    in->p = q;
    return out;
}

/* past the string whose opening quote is at ``p`` (its escapes skipped, not read), or NULL when
 * it has no closing quote */
static const unsigned char *
jr_skip_string(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *s = p + 1;
    while (s < end) {
        s += json_next_escape(PyUnicode_1BYTE_KIND, s, 0, end - s);
        if (s >= end)
            return NULL;
        if (*s == '"')
            return s + 1;
        s += *s == '\\' ? 2 : 1; /* an escape's two characters; a control character (json decides) */
    }
    return NULL;
}

/* json.loads, looked up once */
static PyObject *json_loads;

/* the object or array at in->p, in->p then past it: json.loads of its text, up to the bracket
 * that closes it (a record's nested values are small, its text is the big string: only the text
 * is read here); NULL without an exception when json refuses it (unclosed, say) or it is not UTF-8 */
static PyObject *
jr_nested(JsonIn *in)
{
    const unsigned char *p = in->p;
    Py_ssize_t depth = 0;
    while (p < in->end) {
        const unsigned char c = *p;
        if (c == '"') {
            p = jr_skip_string(p, in->end);
            if (p == NULL)
                return NULL;
            continue;
        }
        p++;
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            break;
    }
    if (json_loads == NULL) {
        PyObject *json = PyImport_ImportModule("json");
        if (json == NULL)
            return NULL;
        json_loads = PyObject_GetAttrString(json, "loads");
        Py_DECREF(json);
        if (json_loads == NULL)
            return NULL;
    }
    PyObject *text = PyUnicode_DecodeUTF8((const char *)in->p, p - in->p, NULL);
    PyObject *value = text == NULL ? NULL : PyObject_CallOneArg(json_loads, text);
    Py_XDECREF(text);
    if (value == NULL && (PyErr_ExceptionMatches(PyExc_ValueError) || PyErr_ExceptionMatches(PyExc_RecursionError)))
        PyErr_Clear(); /* (UnicodeDecodeError is a ValueError) json's own path reads, or refuses, the line */
    in->p = p;
    return value;
}

static PyObject *
sp_json_record(PyObject *self, PyObject *arg)
{
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "json_record: bytes are needed");
        return NULL;
    }
    JsonIn in = {(const unsigned char *)PyBytes_AS_STRING(arg),
                 (const unsigned char *)PyBytes_AS_STRING(arg) + PyBytes_GET_SIZE(arg)};
    jr_space(&in);
    if (in.p >= in.end || *in.p != '{')
        Py_RETURN_NONE;
    in.p++;
    PyObject *record = PyDict_New();
    if (record == NULL)
        return NULL;
    jr_space(&in);
    if (in.p < in.end && *in.p == '}')
        in.p++;
    else
        for (;;) {
            if (in.p >= in.end || *in.p != '"')
                goto leave;
            PyObject *key = jr_string(&in);
            if (key == NULL)
                goto leave;
            jr_space(&in);
            if (in.p >= in.end || *in.p != ':') {
                Py_DECREF(key);
                goto leave;
            }
            in.p++;
            jr_space(&in);
            PyObject *value = in.p >= in.end ? NULL
                              : *in.p == '"' ? jr_string(&in)
                              : *in.p == '{' || *in.p == '[' ? jr_nested(&in) : jr_scalar(&in);
            if (value == NULL) {
                Py_DECREF(key);
                goto leave;
            }
            const int r = PyDict_SetItem(record, key, value); /* a key given twice: the last value */
            Py_DECREF(key);
            Py_DECREF(value);
            if (r < 0)
                goto leave;
            jr_space(&in);
            if (in.p < in.end && *in.p == '}') {
                in.p++;
                break;
            }
            if (in.p >= in.end || *in.p != ',')
                goto leave;
            in.p++;
            jr_space(&in);
        }
    jr_space(&in);
    if (in.p == in.end)
        return record;
leave:
    Py_DECREF(record);
    if (PyErr_Occurred())
        return NULL; /* out of memory: not the line's fault */
    Py_RETURN_NONE;
}

/* whether one of the four characters in ``x`` (eight bytes of a two-byte text) is a surrogate,
 * U+D800-DFFF: a lane whose top five bits are 11011 (exact as a test of the four) */
#define SW16_SURROGATE(x) SW16_HAS_LESS(((x) & (SW16_ONES * 0xF800)) ^ (SW16_ONES * 0xD800), 1)

/* holds_surrogate(text) -> whether ``text`` holds a lone surrogate (which UTF-8 cannot encode).
 * A text stored one byte a character holds none: answered without reading it. */
static PyObject *
sp_holds_surrogate(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "holds_surrogate"))
        return NULL;
    const int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    Py_ssize_t i = 0;
    if (kind == PyUnicode_1BYTE_KIND)
        Py_RETURN_FALSE;
    if (kind == PyUnicode_2BYTE_KIND)
        for (const Py_UCS2 *u = data; i + 8 <= n; i += 8)
            if (SW16_SURROGATE(load4_ucs2(u + i)) | SW16_SURROGATE(load4_ucs2(u + i + 4)))
                Py_RETURN_TRUE;
    for (; i < n; i++) {
        const Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch >= 0xD800 && ch <= 0xDFFF)
            Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

/* lower_pairs() -> [(ch, lower), ...]: each code point whose simple lower case (sre's, which
 * re.IGNORECASE compares) is another code point, ascending; patterns._lower_preimages's scan of
 * the 1,114,112 code points, which takes 0.08 s in Python */
static PyObject *
sp_lower_pairs(PyObject *self, PyObject *unused)
{
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_UCS4 ch = 0; ch <= 0x10FFFF; ch++) {
        const Py_UCS4 lo = Py_UNICODE_TOLOWER(ch);
        if (lo == ch)
            continue;
        PyObject *pair = Py_BuildValue("(II)", (unsigned int)ch, (unsigned int)lo);
        if (pair == NULL || PyList_Append(out, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(pair);
    }
    return out;
}

/* list.append(v) for an integer v; 0, or -1 with an exception */
static int
append_ssize(PyObject *list, Py_ssize_t v)
{
    PyObject *o = PyLong_FromSsize_t(v);
    if (o == NULL)
        return -1;
    const int r = PyList_Append(list, o);
    Py_DECREF(o);
    return r;
}

/* ------------------------------------------------------------------------------------------
 * find_any(text, literals) -> list of the positions of ``text`` where one of ``literals`` (a
 * tuple of non-empty str) starts, ascending, each position once. One pass over ``text`` instead
 * of one ``str.find`` scan per literal: the literals are chained by a hash of their first two
 * characters (one-character literals by their only one), and each position of the text tries
 * the literals of its own two characters' chain. The pure-Python equivalent is
 * prefilter._find_any_py (the reference of tests/test_speedups.py).
 */
#define FA_BITS 12
#define FA_SIZE (1 << FA_BITS)
#define FA_HASH(a, b) ((((a) * 2654435761u) ^ ((b) * 40503u)) >> 7 & (FA_SIZE - 1))

/* The literals of find_any and group_lines, chained by a hash of their first two characters (the
 * one-character literals in a chain of their own), each chain in tuple order. */
typedef struct {
    PyObject *lits; /* the tuple (borrowed) */
    Py_ssize_t *next, *len, *head;
    Py_UCS4 *first, *second;
    Py_ssize_t single; /* chain of the one-character literals */
} Chains;

static void
chains_free(Chains *c)
{
    PyMem_Free(c->next);
    PyMem_Free(c->len);
    PyMem_Free(c->head);
    PyMem_Free(c->first);
    PyMem_Free(c->second);
    memset(c, 0, sizeof(*c));
}

/* 0, or -1 with an exception (``what``: the caller's name); ``c`` is freed by chains_free */
static int
chains_build(Chains *c, PyObject *lits, const char *what)
{
    const Py_ssize_t nl = PyTuple_GET_SIZE(lits);
    memset(c, 0, sizeof(*c));
    c->lits = lits;
    c->single = -1;
    c->next = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nl + 1));
    c->len = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nl + 1));
    c->first = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(nl + 1));
    c->second = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(nl + 1));
    c->head = PyMem_Malloc(sizeof(Py_ssize_t) * FA_SIZE);
    if (c->next == NULL || c->len == NULL || c->first == NULL || c->second == NULL || c->head == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t b = 0; b < FA_SIZE; b++)
        c->head[b] = -1;
    /* chained in reverse so that each chain lists its literals in tuple order */
    for (Py_ssize_t k = nl - 1; k >= 0; k--) {
        PyObject *lit = PyTuple_GET_ITEM(lits, k);
        if (!PyUnicode_Check(lit)) {
            PyErr_Format(PyExc_TypeError, "%s: literals must be str", what);
            return -1;
        }
        c->len[k] = PyUnicode_GET_LENGTH(lit);
        if (c->len[k] == 0) {
            PyErr_Format(PyExc_ValueError, "%s: empty literal", what);
            return -1;
        }
        c->first[k] = PyUnicode_READ_CHAR(lit, 0);
        if (c->len[k] == 1) {
            c->second[k] = 0;
            c->next[k] = c->single;
            c->single = k;
        } else {
            c->second[k] = PyUnicode_READ_CHAR(lit, 1);
            const Py_ssize_t h = FA_HASH(c->first[k], c->second[k]);
            c->next[k] = c->head[h];
            c->head[h] = k;
        }
    }
    return 0;
}

/* Whether literal ``k`` (of at least two characters, its first two those of the text at ``i``)
 * starts at position ``i`` of the text. */
static inline int
chains_match(const Chains *c, Py_ssize_t k, int tkind, const void *tdata, Py_ssize_t i, Py_ssize_t n)
{
    if (c->len[k] > n - i)
        return 0;
    PyObject *lit = PyTuple_GET_ITEM(c->lits, k);
    const int lkind = PyUnicode_KIND(lit);
    const void *ldata = PyUnicode_DATA(lit);
    Py_ssize_t j = 2;
    while (j < c->len[k] && PyUnicode_READ(lkind, ldata, j) == PyUnicode_READ(tkind, tdata, i + j))
        j++;
    return j == c->len[k];
}

/* Whether a literal of ``c`` starts at position ``i`` of the text (``ch``, ``c2``: the characters
 * at i and i + 1, c2 only read when i + 1 < n): the one-character literals' chain, then the chain
 * of the first two characters. */
static inline int
chains_at(const Chains *c, Py_UCS4 ch, Py_UCS4 c2, int tkind, const void *tdata, Py_ssize_t i, Py_ssize_t n)
{
    for (Py_ssize_t k = c->single; k >= 0; k = c->next[k])
        if (c->first[k] == ch)
            return 1;
    if (i + 1 < n)
        for (Py_ssize_t k = c->head[FA_HASH(ch, c2)]; k >= 0; k = c->next[k])
            if (c->first[k] == ch && c->second[k] == c2 && chains_match(c, k, tkind, tdata, i, n))
                return 1;
    return 0;
}

/* Whether one of the literals of ``c`` occurs in the text (``n`` characters) */
static int
chains_any(const Chains *c, int tkind, const void *tdata, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_UCS4 ch = PyUnicode_READ(tkind, tdata, i), c2 = i + 1 < n ? PyUnicode_READ(tkind, tdata, i + 1) : 0;
        if (chains_at(c, ch, c2, tkind, tdata, i, n))
            return 1;
    }
    return 0;
}

/* the comment cues' chains: put in use by configure (only when they are built: the ones in use
 * are kept otherwise), borrowing its tuple, which cfg_comment_cues holds */
static Chains cue_chains;
static int cue_chains_built = 0;

static int
cues_build(PyObject *cues)
{
    Chains c;
    if (chains_build(&c, cues, "configure") < 0) {
        chains_free(&c);
        return -1;
    }
    if (cue_chains_built)
        chains_free(&cue_chains);
    cue_chains = c;
    cue_chains_built = 1;
    return 0;
}

/* whether ``lower`` holds one of the comment cues (configure built their chains) */
static int
cues_in(PyObject *lower)
{
    return PyTuple_GET_SIZE(cfg_comment_cues) > 0 &&
           chains_any(&cue_chains, PyUnicode_KIND(lower), PyUnicode_DATA(lower), PyUnicode_GET_LENGTH(lower));
}

/* literal_set(literals) -> an opaque object holding the chains of ``literals`` (a tuple of str),
 * built once: find_any accepts it in place of the tuple. A prefilter asks find_any about one
 * line at a time, with the same literals each time; building the chains (a 32 kB table) for
 * every line cost more than the search. */
#define LITERAL_SET "cleaner._speedups.LiteralSet"
typedef struct {
    Chains c;
    PyObject *lits;
} LiteralSet;

static void
literal_set_free(PyObject *capsule)
{
    LiteralSet *set = PyCapsule_GetPointer(capsule, LITERAL_SET);
    if (set == NULL)
        return;
    chains_free(&set->c);
    Py_XDECREF(set->lits);
    PyMem_Free(set);
}

static PyObject *
sp_literal_set(PyObject *self, PyObject *lits)
{
    if (!PyTuple_Check(lits)) {
        PyErr_SetString(PyExc_TypeError, "literal_set: a tuple of str is needed");
        return NULL;
    }
    LiteralSet *set = PyMem_Calloc(1, sizeof(LiteralSet));
    if (set == NULL)
        return PyErr_NoMemory();
    if (chains_build(&set->c, lits, "literal_set") < 0) {
        chains_free(&set->c);
        PyMem_Free(set);
        return NULL;
    }
    set->lits = Py_NewRef(lits);
    PyObject *capsule = PyCapsule_New(set, LITERAL_SET, literal_set_free);
    if (capsule == NULL) {
        chains_free(&set->c);
        Py_DECREF(set->lits);
        PyMem_Free(set);
    }
    return capsule;
}

/* The literal_set() ``arg`` holds, or NULL with *lits the tuple ``arg`` is (its chains to build);
 * -1 with an exception when it is neither (``what``: the caller's name). */
static int
literal_set_of(PyObject *arg, const LiteralSet **set, PyObject **lits, const char *what)
{
    *set = NULL;
    *lits = arg;
    if (PyCapsule_CheckExact(arg)) {
        *set = PyCapsule_GetPointer(arg, LITERAL_SET);
        if (*set == NULL)
            return -1;
        *lits = (*set)->lits;
    } else if (!PyTuple_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "%s: a tuple of str or a literal_set() is needed", what);
        return -1;
    }
    return 0;
}

static PyObject *
sp_find_any(PyObject *self, PyObject *args)
{
    PyObject *text, *lits;
    const LiteralSet *set;
    if (!PyArg_ParseTuple(args, "UO:find_any", &text, &lits) || literal_set_of(lits, &set, &lits, "find_any") < 0)
        return NULL;
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const int tkind = PyUnicode_KIND(text);
    const void *tdata = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (PyTuple_GET_SIZE(lits) == 0 || n == 0)
        return out;
    Chains c;
    memset(&c, 0, sizeof(c));
    if (set != NULL)
        c = set->c; /* borrowed: not freed here */
    else if (chains_build(&c, lits, "find_any") < 0)
        goto fail;
    Py_UCS4 ch = PyUnicode_READ(tkind, tdata, 0);
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_UCS4 c2 = i + 1 < n ? PyUnicode_READ(tkind, tdata, i + 1) : 0;
        if (chains_at(&c, ch, c2, tkind, tdata, i, n) && append_ssize(out, i) < 0)
            goto fail;
        ch = c2;
    }
    if (set == NULL)
        chains_free(&c);
    return out;
fail:
    if (set == NULL)
        chains_free(&c);
    Py_DECREF(out);
    return NULL;
}

/* literals_in(text, literals) -> the indices (ascending) of the ``literals`` (a tuple of str or a
 * literal_set()) that occur in ``text``: find_any's scan, every literal of a position noted. For
 * prefilter.BranchSearch, which searches the branches of a line's literals only. */
static PyObject *
sp_literals_in(PyObject *self, PyObject *args)
{
    PyObject *text, *lits;
    const LiteralSet *set;
    if (!PyArg_ParseTuple(args, "UO:literals_in", &text, &lits) || literal_set_of(lits, &set, &lits, "literals_in") < 0)
        return NULL;
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text), nl = PyTuple_GET_SIZE(lits);
    const int tkind = PyUnicode_KIND(text);
    const void *tdata = PyUnicode_DATA(text);
    Chains c;
    memset(&c, 0, sizeof(c));
    char *found = PyMem_Calloc((size_t)nl + 1, 1);
    PyObject *out = NULL;
    if (found == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (set != NULL)
        c = set->c; /* borrowed: not freed here */
    else if (chains_build(&c, lits, "literals_in") < 0)
        goto done;
    for (Py_ssize_t i = 0; i < n && nl > 0; i++) {
        const Py_UCS4 ch = PyUnicode_READ(tkind, tdata, i);
        for (Py_ssize_t k = c.single; k >= 0; k = c.next[k])
            if (c.first[k] == ch)
                found[k] = 1;
        if (i + 1 < n) {
            const Py_UCS4 c2 = PyUnicode_READ(tkind, tdata, i + 1);
            for (Py_ssize_t k = c.head[FA_HASH(ch, c2)]; k >= 0; k = c.next[k])
                if (c.first[k] == ch && c.second[k] == c2 && chains_match(&c, k, tkind, tdata, i, n))
                    found[k] = 1;
        }
    }
    out = PyList_New(0);
    for (Py_ssize_t k = 0; out != NULL && k < nl; k++)
        if (found[k] && append_ssize(out, k) < 0)
            Py_CLEAR(out);
done:
    if (set == NULL)
        chains_free(&c);
    PyMem_Free(found);
    return out;
}

/* digit_lines(text, offsets) -> the k (ascending) whose line text[offsets[k]:offsets[k + 1]]
 * holds a decimal digit: a character `\d` matches in a str pattern (str.isdecimal; in Latin-1
 * text only 0-9). For DocText.lines_matching: a regex whose every match holds one. */
static PyObject *
sp_digit_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *offs;
    if (!PyArg_ParseTuple(args, "UO!:digit_lines", &text, &PyList_Type, &offs))
        return NULL;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text), nlines = PyList_GET_SIZE(offs) - 1;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t prev = 0;
    for (Py_ssize_t k = 0; k < nlines; k++) {
        Py_ssize_t a = PyLong_AsSsize_t(PyList_GET_ITEM(offs, k));
        Py_ssize_t b = PyLong_AsSsize_t(PyList_GET_ITEM(offs, k + 1));
        if ((a == -1 || b == -1) && PyErr_Occurred())
            goto fail;
        if (a < prev || b < a) {
            PyErr_SetString(PyExc_ValueError, "digit_lines: offsets must ascend");
            goto fail;
        }
        prev = a;
        if (b > n)
            b = n;
        int found = 0;
        if (kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *c = (const Py_UCS1 *)data;
            for (Py_ssize_t i = a; i < b && !found; i++)
                found = c[i] >= '0' && c[i] <= '9';
        } else {
            Py_ssize_t i = a;
            if (kind == PyUnicode_2BYTE_KIND) /* four characters at a time, read again when one is 0-9 or beyond Latin-1 */
                for (const Py_UCS2 *u = data; i + 4 <= b && !found; i += 4)
                    if (SW16_HAS_BETWEEN(load4_ucs2(u + i), '0' - 1, '9' + 1) | SW16_HAS_MORE(load4_ucs2(u + i), 0xFF))
                        for (int j = 0; j < 4 && !found; j++)
                            found = u[i + j] < 256 ? u[i + j] >= '0' && u[i + j] <= '9' : Py_UNICODE_ISDECIMAL(u[i + j]);
            for (; i < b && !found; i++) {
                /* no decimal digit in Latin-1 but 0-9: the database only beyond it */
                const Py_UCS4 ch = PyUnicode_READ(kind, data, i);
                found = ch < 256 ? ch >= '0' && ch <= '9' : Py_UNICODE_ISDECIMAL(ch);
            }
        }
        if (found && append_ssize(out, k) < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static Py_ssize_t index_below(PyObject *indices, Py_ssize_t k, Py_ssize_t limit, const char *what);

/* Whether ``\d`` (a decimal digit: is_decimal) is at ``i`` of a text that ends at ``b`` */
static inline int
decimal_at(int kind, const void *data, Py_ssize_t i, Py_ssize_t b)
{
    return i < b && is_decimal(PyUnicode_READ(kind, data, i));
}

/* Whether credits._DATE_HINT, \d(?:(?<=1)9\d\d|(?<=2)0\d\d|[./-]\d), matches at ``i`` (the text ends
 * at ``b``) */
static int
date_hint_at(int kind, const void *data, Py_ssize_t i, Py_ssize_t b)
{
    if (!decimal_at(kind, data, i, b) || i + 1 >= b)
        return 0;
    const Py_UCS4 c0 = PyUnicode_READ(kind, data, i), c1 = PyUnicode_READ(kind, data, i + 1);
    if (((c0 == '1' && c1 == '9') || (c0 == '2' && c1 == '0')) && decimal_at(kind, data, i + 2, b) &&
        decimal_at(kind, data, i + 3, b))
        return 1;
    return is_date_sep(c1) && decimal_at(kind, data, i + 2, b);
}

/* Whether comments._STAMP_HINT, [:./-](?<=\d[:./-])\d, matches at ``i``: its lookbehind reads the
 * character before, as sre's does (before a line of a joined text: the "\n" joining it) */
static int
stamp_hint_at(int kind, const void *data, Py_ssize_t i, Py_ssize_t b)
{
    const Py_UCS4 c = PyUnicode_READ(kind, data, i);
    return (c == ':' || is_date_sep(c)) && i > 0 && decimal_at(kind, data, i - 1, i) &&
           decimal_at(kind, data, i + 1, b);
}

/* The items k of ``lines`` (ascending, each < len(offsets) - 1) where ``at`` holds at some
 * position of text[offsets[k]:offsets[k + 1] - 1]: what pattern.search(text, offsets[k],
 * offsets[k + 1] - 1) finds for the pattern ``at`` reads (DocText.lines_matching's candidates) */
static PyObject *
hint_lines(PyObject *args, int (*at)(int, const void *, Py_ssize_t, Py_ssize_t), const char *format)
{
    PyObject *text, *offs, *lines;
    if (!PyArg_ParseTuple(args, format, &text, &PyList_Type, &offs, &PyList_Type, &lines))
        return NULL;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text), nlines = PyList_GET_SIZE(offs) - 1;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t m = 0; m < PyList_GET_SIZE(lines); m++) {
        const Py_ssize_t k = index_below(lines, m, nlines, "hint_lines");
        if (k < 0)
            goto fail;
        Py_ssize_t a = PyLong_AsSsize_t(PyList_GET_ITEM(offs, k));
        Py_ssize_t b = PyLong_AsSsize_t(PyList_GET_ITEM(offs, k + 1));
        if ((a == -1 || b == -1) && PyErr_Occurred())
            goto fail;
        b = b - 1 < n ? b - 1 : n;
        if (a < 0 || b < a) {
            PyErr_SetString(PyExc_ValueError, "hint_lines: offsets must ascend");
            goto fail;
        }
        for (Py_ssize_t i = a; i < b; i++)
            if (at(kind, data, i, b)) {
                if (append_ssize(out, k) < 0)
                    goto fail;
                break;
            }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* date_hint_lines(text, offsets, lines) -> the lines (of ``lines``) credits._DATE_HINT matches */
static PyObject *
sp_date_hint_lines(PyObject *self, PyObject *args)
{
    return hint_lines(args, date_hint_at, "UO!O!:date_hint_lines");
}

/* stamp_hint_lines(text, offsets, lines) -> the lines (of ``lines``) comments._STAMP_HINT matches */
static PyObject *
sp_stamp_hint_lines(PyObject *self, PyObject *args)
{
    return hint_lines(args, stamp_hint_at, "UO!O!:stamp_hint_lines");
}

/* ------------------------------------------------------------------------------------------
 * group_lines(text, offsets, literals, masks, ngroups) -> a list of ``ngroups`` lists: list ``g``
 * holds, ascending and each once, the ``k`` whose line ``text[offsets[k]:offsets[k + 1] - 1]``
 * holds a literal whose mask (``masks``, one int per literal, bit ``g`` set for each group the
 * literal belongs to) has bit ``g``. ``offsets`` ascend from 0 (prefilter.line_offsets); no
 * literal may hold a newline. The prefilters of every rule searched in one pass over a document;
 * the pure-Python equivalent is prefilter._group_lines_py (the reference of tests/test_speedups.py).
 */
/* group_lines' search is an Aho-Corasick automaton of the literals, made a full table (a DFA):
 * one table step a character. The literals' characters are its classes (1, 2, ...; 0: any other
 * character, a newline among them, which leads every state back to the root). The table is
 * read by class, then state: a class's column holds the states a text visits most (those of
 * short prefixes, numbered first) together, in 16 bits each unless there are too many states. */
typedef struct {
    PyObject *lits, *masks; /* the tuples it was built from (held: their identity is the key) */
    Py_ssize_t ngroups;
    Chains c;               /* when the table would be too large (see GL_MAX_CELLS): the literals' */
    uint64_t *mask;         /* chains and masks, searched position by position instead */
    Py_ssize_t nstates;
    int wide;               /* whether the states are numbered in 32 bits (else 16: half the table) */
    void *next;             /* next[c * nstates + s]: the state after s on class c, with the top bit
                             * set when literals end there */
    uint64_t *out;          /* the groups of the literals ending at each state */
    uint16_t *cls;          /* the class of each BMP character */
    Py_UCS4 *astral;        /* the literals' characters beyond the BMP, ascending ... */
    uint16_t *astral_cls;   /* ... and their classes */
    Py_ssize_t nastral;
} GLPlan;

static GLPlan *gl_last = NULL;
#define GL_OUT16 0x8000u
#define GL_OUT32 0x80000000u
/* the largest table made (states times classes: 8 MB of 16-bit states); more literals, or
 * literals of more distinct characters, are searched with their chains */
#define GL_MAX_CELLS ((Py_ssize_t)1 << 22)

static void
gl_plan_free(GLPlan *plan)
{
    if (plan == NULL)
        return;
    chains_free(&plan->c);
    PyMem_Free(plan->mask);
    PyMem_Free(plan->next);
    PyMem_Free(plan->out);
    PyMem_Free(plan->cls);
    PyMem_Free(plan->astral);
    PyMem_Free(plan->astral_cls);
    Py_XDECREF(plan->lits);
    Py_XDECREF(plan->masks);
    PyMem_Free(plan);
}

static int
cmp_ucs4(const void *a, const void *b)
{
    const Py_UCS4 x = *(const Py_UCS4 *)a, y = *(const Py_UCS4 *)b;
    return (x > y) - (x < y);
}

/* the class of ``ch`` */
static inline Py_ALWAYS_INLINE uint32_t
gl_class(const GLPlan *plan, Py_UCS4 ch)
{
    if (ch < 0x10000)
        return plan->cls[ch];
    Py_ssize_t lo = 0, hi = plan->nastral;
    while (lo < hi) {
        const Py_ssize_t mid = (lo + hi) / 2;
        if (plan->astral[mid] < ch)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < plan->nastral && plan->astral[lo] == ch ? plan->astral_cls[lo] : 0;
}

/* the plan of (lits, masks, ngroups): the last one when it was built from the same objects,
 * else a new one (which replaces it); NULL with an exception */
static GLPlan *
gl_plan(PyObject *lits, PyObject *masks_t, Py_ssize_t ngroups)
{
    if (gl_last != NULL && gl_last->lits == lits && gl_last->masks == masks_t && gl_last->ngroups == ngroups)
        return gl_last;
    const Py_ssize_t nl = PyTuple_GET_SIZE(lits);
    const uint64_t all = ngroups == 64 ? ~(uint64_t)0 : (((uint64_t)1 << ngroups) - 1);
    Py_UCS4 *chars = NULL;
    int32_t *go = NULL, *fail = NULL, *queue = NULL;
    uint64_t *out = NULL;
    GLPlan *plan = PyMem_Calloc(1, sizeof(GLPlan));
    if (plan == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    plan->lits = Py_NewRef(lits);
    plan->masks = Py_NewRef(masks_t);
    plan->ngroups = ngroups;
    /* the classes: the literals' distinct characters, ascending */
    Py_ssize_t total = 0;
    for (Py_ssize_t k = 0; k < nl; k++) {
        PyObject *lit = PyTuple_GET_ITEM(lits, k);
        if (!PyUnicode_Check(lit)) {
            PyErr_SetString(PyExc_TypeError, "group_lines: literals must be str");
            goto fail;
        }
        if (PyUnicode_GET_LENGTH(lit) == 0) {
            PyErr_SetString(PyExc_ValueError, "group_lines: empty literal");
            goto fail;
        }
        total += PyUnicode_GET_LENGTH(lit);
    }
    chars = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(total + 1));
    plan->cls = PyMem_Calloc(0x10000, sizeof(uint16_t));
    if (chars == NULL || plan->cls == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t nc = 0;
    for (Py_ssize_t k = 0; k < nl; k++) {
        PyObject *lit = PyTuple_GET_ITEM(lits, k);
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(lit); j++)
            chars[nc++] = PyUnicode_READ_CHAR(lit, j);
    }
    qsort(chars, (size_t)nc, sizeof(Py_UCS4), cmp_ucs4);
    Py_ssize_t ncls = 1;
    for (Py_ssize_t k = 0; k < nc; k++)
        if (k == 0 || chars[k] != chars[k - 1])
            chars[ncls++ - 1] = chars[k];
    /* chars[0 .. ncls - 2]: the distinct characters, of classes 1 .. ncls - 1 */
    if (ncls > UINT16_MAX) {
        PyErr_SetString(PyExc_ValueError, "group_lines: too many distinct characters in the literals");
        goto fail;
    }
    Py_ssize_t first_astral = ncls - 1;
    for (Py_ssize_t k = 0; k < ncls - 1; k++) {
        if (chars[k] >= 0x10000 && first_astral == ncls - 1)
            first_astral = k;
        if (chars[k] < 0x10000)
            plan->cls[chars[k]] = (uint16_t)(k + 1);
    }
    plan->nastral = ncls - 1 - first_astral;
    plan->astral = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(plan->nastral + 1));
    plan->astral_cls = PyMem_Malloc(sizeof(uint16_t) * (size_t)(plan->nastral + 1));
    if (plan->astral == NULL || plan->astral_cls == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k < plan->nastral; k++) {
        plan->astral[k] = chars[first_astral + k];
        plan->astral_cls[k] = (uint16_t)(first_astral + k + 1);
    }
    /* the trie: go[s * ncls + c] (-1: none), out[s] the groups of the literals ending at s */
    const Py_ssize_t max_states = total + 1;
    if (max_states > GL_MAX_CELLS / ncls) {
        plan->mask = PyMem_Malloc(sizeof(uint64_t) * (size_t)(nl + 1));
        if (plan->mask == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        for (Py_ssize_t k = 0; k < nl; k++) {
            plan->mask[k] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(masks_t, k)) & all;
            if (plan->mask[k] == (uint64_t)-1 && PyErr_Occurred())
                goto fail;
        }
        if (chains_build(&plan->c, lits, "group_lines") < 0)
            goto fail;
        goto done;
    }
    go = PyMem_Malloc(sizeof(int32_t) * (size_t)max_states * (size_t)ncls);
    out = PyMem_Calloc((size_t)max_states, sizeof(uint64_t));
    fail = PyMem_Calloc((size_t)max_states, sizeof(int32_t));
    queue = PyMem_Malloc(sizeof(int32_t) * (size_t)max_states);
    if (go == NULL || out == NULL || fail == NULL || queue == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    memset(go, 0xFF, sizeof(int32_t) * (size_t)max_states * (size_t)ncls);
    Py_ssize_t nstates = 1;
    for (Py_ssize_t k = 0; k < nl; k++) {
        PyObject *lit = PyTuple_GET_ITEM(lits, k);
        const uint64_t mask = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(masks_t, k)) & all;
        if (mask == (uint64_t)-1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t s = 0;
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(lit); j++) {
            const uint32_t c = gl_class(plan, PyUnicode_READ_CHAR(lit, j));
            if (go[s * ncls + c] < 0)
                go[s * ncls + c] = (int32_t)nstates++;
            s = go[s * ncls + c];
        }
        out[s] |= mask;
    }
    /* breadth first: each state's missing steps are its failure state's, and it holds the
     * groups of the literals ending at its failure state (the suffixes of its own text) */
    Py_ssize_t head = 0, tail = 0;
    for (Py_ssize_t c = 0; c < ncls; c++) {
        if (go[c] < 0)
            go[c] = 0;
        else {
            fail[go[c]] = 0;
            queue[tail++] = go[c];
        }
    }
    while (head < tail) {
        const int32_t s = queue[head++];
        for (Py_ssize_t c = 0; c < ncls; c++) {
            const int32_t t = go[s * ncls + c];
            if (t < 0)
                go[s * ncls + c] = go[fail[s] * ncls + c];
            else {
                fail[t] = go[fail[s] * ncls + c];
                out[t] |= out[fail[t]];
                queue[tail++] = t;
            }
        }
    }
    /* states numbered in breadth-first order (root 0, then the queue's order): the states a
     * text visits most, those of short prefixes, are the first of each class's column */
    int32_t *order = fail; /* fail[] is no longer needed: the new number of each state */
    order[0] = 0;
    for (Py_ssize_t k = 0; k < tail; k++)
        order[queue[k]] = (int32_t)(k + 1);
    plan->nstates = nstates;
    plan->wide = nstates > (Py_ssize_t)(GL_OUT16 - 1);
    plan->next = PyMem_Malloc((plan->wide ? sizeof(uint32_t) : sizeof(uint16_t)) * (size_t)nstates * (size_t)ncls);
    plan->out = PyMem_Malloc(sizeof(uint64_t) * (size_t)nstates);
    if (plan->next == NULL || plan->out == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t s = 0; s < nstates; s++) {
        plan->out[order[s]] = out[s];
        for (Py_ssize_t c = 0; c < ncls; c++) {
            const int32_t t = go[s * ncls + c];
            const Py_ssize_t at = c * nstates + order[s];
            if (plan->wide)
                ((uint32_t *)plan->next)[at] = (uint32_t)order[t] | (out[t] ? GL_OUT32 : 0);
            else
                ((uint16_t *)plan->next)[at] = (uint16_t)((uint32_t)order[t] | (out[t] ? GL_OUT16 : 0));
        }
    }
done:
    PyMem_Free(chars);
    PyMem_Free(go);
    PyMem_Free(out);
    PyMem_Free(fail);
    PyMem_Free(queue);
    gl_plan_free(gl_last);
    gl_last = plan;
    return plan;
fail:
    PyMem_Free(chars);
    PyMem_Free(go);
    PyMem_Free(out);
    PyMem_Free(fail);
    PyMem_Free(queue);
    gl_plan_free(plan);
    return NULL;
}

/* the groups of the literals of ``plan``'s chains found in text[a:b] (no table was made) */
static uint64_t
gl_chains(const GLPlan *plan, int tkind, const void *tdata, Py_ssize_t a, Py_ssize_t b)
{
    const Chains *c = &plan->c;
    uint64_t found = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        const Py_UCS4 ch = PyUnicode_READ(tkind, tdata, i);
        for (Py_ssize_t k = c->single; k >= 0; k = c->next[k])
            if (c->first[k] == ch)
                found |= plan->mask[k];
        if (i + 1 >= b)
            continue;
        const Py_UCS4 c2 = PyUnicode_READ(tkind, tdata, i + 1);
        for (Py_ssize_t k = c->head[FA_HASH(ch, c2)]; k >= 0; k = c->next[k])
            if (c->first[k] == ch && c->second[k] == c2 && (plan->mask[k] & ~found) && chains_match(c, k, tkind, tdata, i, b))
                found |= plan->mask[k];
    }
    return found;
}

/* one step of a gl_table walk: the state after ``s`` on text[i]; the groups of the literals
 * ending there go to found[line] (``line``: the walk's line, moved on to the one holding i) */
#define GL_STEP(s, i, line)                                                                     \
    do {                                                                                        \
        const Py_UCS4 ch_ = PyUnicode_READ(tkind, tdata, (i));                                  \
        const Py_ssize_t at_ =                                                                  \
            (tkind == PyUnicode_1BYTE_KIND || ch_ < 256                                         \
                 ? column[ch_]                                                                  \
                 : (tkind == PyUnicode_4BYTE_KIND ? gl_class(plan, ch_) : cls[ch_]) * nstates) + \
            (s);                                                                                \
        (s) = wide ? next32[at_] : next16[at_];                                                 \
        if ((s) & flag) { /* literals end here (a few characters in a hundred) */               \
            (s) &= ~flag;                                                                       \
            while (off[(line) + 1] <= (i))                                                      \
                (line)++;                                                                       \
            found[line] |= plan->out[s];                                                        \
        }                                                                                       \
    } while (0)

/* where a gl_table walk of a quarter of the lines begins (``at``: its first character; ``line``)
 * and ends (``end``), the lines from ``*k`` on: to the first line starting at ``cut`` or after */
static inline void
gl_quarter(const Py_ssize_t *off, Py_ssize_t nlines, Py_ssize_t total, Py_ssize_t cut, Py_ssize_t *k,
           Py_ssize_t *at, Py_ssize_t *end, Py_ssize_t *line)
{
    *line = *k;
    *at = off[*k] < total ? off[*k] : total;
    while (*k < nlines && off[*k] < cut)
        ++*k;
    *end = *k < nlines && off[*k] < total ? off[*k] : total;
}

/* found[ln] = the groups of the literals found on line ``ln`` (text[off[ln]:off[ln + 1] - 1])
 * by ``plan``'s table, for the ``nlines`` lines (``found`` zeroed). A newline leads every state
 * back to the root, so the lines can be walked as one text, or as parts that each begin at a
 * line's start: the text is cut into four parts of about equal length at line starts, walked in
 * step, so that each character's two dependent table reads (its class, then the next state)
 * overlap with the other parts' instead of waiting for each other. (``tkind`` and ``wide``:
 * constants where it is inlined.) */
static inline Py_ALWAYS_INLINE void
gl_table(const int tkind, const int wide, const GLPlan *plan, const void *tdata, Py_ssize_t n,
         const Py_ssize_t *off, Py_ssize_t nlines, uint64_t *found)
{
    const uint16_t *next16 = plan->next;
    const uint32_t *next32 = plan->next;
    const uint32_t flag = wide ? GL_OUT32 : GL_OUT16;
    const uint16_t *cls = plan->cls;
    const Py_ssize_t nstates = plan->nstates;
    const Py_ssize_t total = off[nlines] < n ? off[nlines] : n;
    /* where each Latin-1 character's column begins (most characters of any text: those read
     * without the class table's multiply, in a table that stays in the first-level cache) */
    uint32_t column[256];
    for (int c = 0; c < 256; c++)
        column[c] = (uint32_t)(cls[c] * nstates);
    Py_ssize_t k = 0, a0, a1, a2, a3, e0, e1, e2, e3, l0, l1, l2, l3;
    gl_quarter(off, nlines, total, total / 4, &k, &a0, &e0, &l0);
    gl_quarter(off, nlines, total, total / 2, &k, &a1, &e1, &l1);
    gl_quarter(off, nlines, total, total / 4 * 3, &k, &a2, &e2, &l2);
    gl_quarter(off, nlines, total, total, &k, &a3, &e3, &l3);
    uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    Py_ssize_t steps = e0 - a0;
    steps = e1 - a1 < steps ? e1 - a1 : steps;
    steps = e2 - a2 < steps ? e2 - a2 : steps;
    steps = e3 - a3 < steps ? e3 - a3 : steps;
    for (Py_ssize_t t = 0; t < steps; t++) {
        GL_STEP(s0, a0 + t, l0);
        GL_STEP(s1, a1 + t, l1);
        GL_STEP(s2, a2 + t, l2);
        GL_STEP(s3, a3 + t, l3);
    }
    for (Py_ssize_t i = a0 + steps; i < e0; i++)
        GL_STEP(s0, i, l0);
    for (Py_ssize_t i = a1 + steps; i < e1; i++)
        GL_STEP(s1, i, l1);
    for (Py_ssize_t i = a2 + steps; i < e2; i++)
        GL_STEP(s2, i, l2);
    for (Py_ssize_t i = a3 + steps; i < e3; i++)
        GL_STEP(s3, i, l3);
}
#undef GL_STEP

/* group_lines' scan of ``tdata`` (``table``: GL_CHAINS, GL_16 or GL_32, and ``tkind``,
 * constants where it is inlined): the groups found on each line, then each line's number
 * appended to the lists of its groups; 0, or -1 with an exception */
enum { GL_CHAINS, GL_16, GL_32 };
static inline Py_ALWAYS_INLINE int
gl_scan(const int tkind, const int table, const void *tdata, Py_ssize_t n, const GLPlan *plan, const Py_ssize_t *off,
        Py_ssize_t nlines, PyObject *out)
{
    uint64_t *found = PyMem_Calloc((size_t)nlines, sizeof(uint64_t));
    if (found == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (table == GL_CHAINS)
        for (Py_ssize_t ln = 0; ln < nlines; ln++)
            found[ln] = gl_chains(plan, tkind, tdata, off[ln], off[ln + 1] < n ? off[ln + 1] : n);
    else
        gl_table(tkind, table == GL_32, plan, tdata, n, off, nlines, found);
    for (Py_ssize_t ln = 0; ln < nlines; ln++) {
        if (found[ln]) {
            PyObject *lineno = PyLong_FromSsize_t(ln);
            if (lineno == NULL)
                goto fail;
            for (Py_ssize_t q = 0; q < plan->ngroups; q++)
                if (found[ln] >> q & 1 && PyList_Append(PyList_GET_ITEM(out, q), lineno) < 0) {
                    Py_DECREF(lineno);
                    goto fail;
                }
            Py_DECREF(lineno);
        }
    }
    PyMem_Free(found);
    return 0;
fail:
    PyMem_Free(found);
    return -1;
}

static PyObject *
sp_group_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *offs, *lits, *masks_t;
    Py_ssize_t ngroups;
    if (!PyArg_ParseTuple(args, "UO!O!O!n:group_lines", &text, &PyList_Type, &offs, &PyTuple_Type, &lits,
                          &PyTuple_Type, &masks_t, &ngroups))
        return NULL;
    if (ngroups < 0 || ngroups > 64) {
        PyErr_SetString(PyExc_ValueError, "group_lines: between 0 and 64 groups");
        return NULL;
    }
    const Py_ssize_t nl = PyTuple_GET_SIZE(lits);
    if (PyTuple_GET_SIZE(masks_t) != nl) {
        PyErr_SetString(PyExc_ValueError, "group_lines: one mask per literal");
        return NULL;
    }
    const Py_ssize_t nlines = PyList_GET_SIZE(offs) - 1;
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const int tkind = PyUnicode_KIND(text);
    const void *tdata = PyUnicode_DATA(text);
    Py_ssize_t *off = NULL;
    PyObject *out = PyList_New(ngroups);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t g = 0; g < ngroups; g++) {
        PyObject *lst = PyList_New(0);
        if (lst == NULL)
            goto fail;
        PyList_SET_ITEM(out, g, lst);
    }
    if (nl == 0 || n == 0 || nlines < 1)
        return out;
    const GLPlan *plan = gl_plan(lits, masks_t, ngroups);
    if (plan == NULL)
        goto fail;
    off = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nlines + 1));
    if (off == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k <= nlines; k++) {
        off[k] = PyLong_AsSsize_t(PyList_GET_ITEM(offs, k));
        if (off[k] == -1 && PyErr_Occurred())
            goto fail;
        if (k ? off[k] < off[k - 1] : off[k] < 0) {
            PyErr_SetString(PyExc_ValueError, "group_lines: offsets must ascend from 0 or more");
            goto fail;
        }
        /* the lines of a "\n".join: the table walks them as one text (gl_table) */
        if (k && k < nlines && off[k] > 0 && off[k] <= n && PyUnicode_READ(tkind, tdata, off[k] - 1) != '\n') {
            PyErr_SetString(PyExc_ValueError, "group_lines: each line but the first must follow a newline");
            goto fail;
        }
    }
    const int table = plan->next == NULL ? GL_CHAINS : plan->wide ? GL_32 : GL_16;
#define GL_SCAN(kind) (table == GL_CHAINS ? gl_scan(kind, GL_CHAINS, tdata, n, plan, off, nlines, out) \
                       : table == GL_16   ? gl_scan(kind, GL_16, tdata, n, plan, off, nlines, out)     \
                                          : gl_scan(kind, GL_32, tdata, n, plan, off, nlines, out))
    const int r = tkind == PyUnicode_1BYTE_KIND   ? GL_SCAN(PyUnicode_1BYTE_KIND)
                  : tkind == PyUnicode_2BYTE_KIND ? GL_SCAN(PyUnicode_2BYTE_KIND)
                                                  : GL_SCAN(PyUnicode_4BYTE_KIND);
#undef GL_SCAN
    if (r < 0)
        goto fail;
    PyMem_Free(off);
    return out;
fail:
    PyMem_Free(off);
    Py_DECREF(out);
    return NULL;
}

/* D001's words of a text: the runs of word characters (`\w+`), their spans and hashes (FNV-1a
 * over the code points, mixed by splitmix64 with the length); the number of words. ``start``,
 * ``end`` and ``wh`` hold (n + 1) / 2 entries; ``chars`` and ``maxchar`` (when not NULL) get
 * the words' total length and widest character. */
static Py_ssize_t
dup_words(int kind, const void *data, Py_ssize_t n, Py_ssize_t *start, Py_ssize_t *end, uint64_t *wh,
          Py_ssize_t *chars, Py_UCS4 *maxchar)
{
    Py_ssize_t nw = 0, i = 0;
    while (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_word_char(ch)) {
            i++;
            continue;
        }
        uint64_t h = 0xcbf29ce484222325ull;
        Py_ssize_t j = i;
        while (j < n && is_word_char(ch = PyUnicode_READ(kind, data, j))) {
            if (maxchar != NULL && ch > *maxchar)
                *maxchar = ch;
            h = (h ^ (uint64_t)ch) * 0x100000001b3ull;
            j++;
        }
        if (start != NULL) {
            start[nw] = i;
            end[nw] = j;
        }
        wh[nw] = mix64(h ^ (uint64_t)(j - i));
        nw++;
        if (chars != NULL)
            *chars += j - i;
        i = j;
    }
    return nw;
}

/* the hash of the k words whose hashes start at ``wh`` (a word k-gram) */
static inline uint64_t
gram_hash(const uint64_t *wh, Py_ssize_t k)
{
    uint64_t h = 0x84222325cbf29ce4ull;
    for (Py_ssize_t m = 0; m < k; m++)
        h = mix64(h ^ wh[m]);
    return h;
}

#define DUP_MAX_POSTINGS 4
typedef struct {
    uint64_t h;
    int32_t nmore;
    int32_t post[DUP_MAX_POSTINGS]; /* the first lines holding the gram: post[0], then nmore more */
} DupPost;

/* The grams of the lines kept so far: their postings in the order met (``dense``), found by an
 * open-addressing index of their positions (-1: an empty slot). Only the index is cleared at the
 * start, an eighth of what a table of the postings themselves would be. */
typedef struct {
    Py_ssize_t *index;
    DupPost *dense;
    Py_ssize_t n;
    size_t mask;
} DupTable;

typedef struct {
    Py_ssize_t pos, shared;
} DupOverlap;

static int
cmp_overlap(const void *a, const void *b)
{
    const DupOverlap *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared > y->shared ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* the slot of gram ``h`` in the index: its own, or the empty one where it would go */
static inline size_t
dup_slot(const DupTable *t, uint64_t h)
{
    size_t slot = (size_t)h & t->mask;
    while (t->index[slot] >= 0 && t->dense[t->index[slot]].h != h)
        slot = (slot + 1) & t->mask;
    return slot;
}

/* the postings of gram ``h``, or NULL when no line kept so far holds it */
static inline DupPost *
dup_find(const DupTable *t, uint64_t h)
{
    const Py_ssize_t at = t->index[dup_slot(t, h)];
    return at >= 0 ? &t->dense[at] : NULL;
}

/* out.append((what, p, other)); 0 or -1 */
static int
dup_event(PyObject *out, int what, Py_ssize_t p, Py_ssize_t other)
{
    PyObject *t = Py_BuildValue("(inn)", what, p, other);
    if (t == NULL)
        return -1;
    const int r = PyList_Append(out, t);
    Py_DECREF(t);
    return r;
}

/* bool(complete(p)): 0, 1, or -1 with an exception */
static int
dup_complete(PyObject *complete, Py_ssize_t p)
{
    PyObject *pp = PyLong_FromSsize_t(p);
    if (pp == NULL)
        return -1;
    PyObject *r = PyObject_CallOneArg(complete, pp);
    Py_DECREF(pp);
    if (r == NULL)
        return -1;
    const int t = PyObject_IsTrue(r);
    Py_DECREF(r);
    return t;
}

/* dup_scan(keys, skip, headline, complete, min_near, k, containment, max_postings): D001's scan
 * of one article (cleaner/rules/duplicates.py, DuplicateParagraph._check_segment, whose Python
 * loop is the reference). ``keys[p]``: the line's words joined by spaces, or None (too few
 * words); ``skip[p]``: the line is a refrain; ``headline``: the position of the headline or -1;
 * ``complete(p)``: whether line p ends a sentence (asked only of near-duplicates). Returns the
 * removals in order, as (what, p, other): 0 line p repeats line other, 1 line p is an incomplete
 * near-duplicate of line other, 2 line p is a near-duplicate of line other. */
static PyObject *
sp_dup_scan(PyObject *self, PyObject *args)
{
    PyObject *keys, *skip, *complete;
    Py_ssize_t headline, min_near, k, max_postings;
    double containment;
    if (!PyArg_ParseTuple(args, "O!O!nOnndn:dup_scan", &PyList_Type, &keys, &PyList_Type, &skip, &headline, &complete,
                          &min_near, &k, &containment, &max_postings))
        return NULL;
    const Py_ssize_t m = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(skip) != m || k < 1 || max_postings < 1 || max_postings > DUP_MAX_POSTINGS ||
        m > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "dup_scan: one skip flag per key, k >= 1, 1 <= max_postings <= 4");
        return NULL;
    }
    Py_ssize_t total = 0, longest = 0; /* the k-grams of all lines (at most), the longest line's words */
    for (Py_ssize_t p = 0; p < m; p++) {
        PyObject *key = PyList_GET_ITEM(keys, p);
        if (key == Py_None)
            continue;
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "dup_scan: keys must be str or None");
            return NULL;
        }
        /* a key's words are joined by single spaces; a word-less key counts one word too */
        const Py_ssize_t words = count_char(key, ' ') + 1;
        if (words >= min_near && words >= k)
            total += words - k + 1;
        if (words > longest)
            longest = words;
    }
    size_t cap = 16;
    while (cap < (size_t)total * 2)
        cap <<= 1;
    PyObject *out = PyList_New(0), *seen = PyDict_New();
    DupTable table = {PyMem_Malloc(cap * sizeof(Py_ssize_t)), PyMem_Malloc(((size_t)total + 1) * sizeof(DupPost)), 0,
                      cap - 1};
    if (table.index != NULL)
        memset(table.index, 0xFF, cap * sizeof(Py_ssize_t)); /* every slot -1 */
    char *gone = PyMem_Calloc((size_t)m + 1, 1);
    Py_ssize_t *sizes = PyMem_Calloc((size_t)m + 1, sizeof(Py_ssize_t));
    Py_ssize_t *count = PyMem_Calloc((size_t)m + 1, sizeof(Py_ssize_t));
    const size_t wcap = (size_t)(longest + 1);
    size_t lcap = 16;
    while (lcap < wcap * 2)
        lcap <<= 1;
    const size_t lmask = lcap - 1;
    uint64_t *lset = PyMem_Calloc(lcap, sizeof(uint64_t));
    size_t *lslot = PyMem_Malloc(sizeof(size_t) * wcap); /* the slots of lset in use */
    uint64_t *wh = PyMem_Malloc(sizeof(uint64_t) * wcap), *grams = PyMem_Malloc(sizeof(uint64_t) * wcap);
    DupPost **common = PyMem_Malloc(sizeof(DupPost *) * wcap);
    DupOverlap *over = PyMem_Malloc(sizeof(DupOverlap) * ((size_t)m + 1));
    if (out == NULL || seen == NULL || table.index == NULL || table.dense == NULL || gone == NULL || sizes == NULL || count == NULL || wh == NULL ||
        grams == NULL || common == NULL || over == NULL || lset == NULL || lslot == NULL) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t p = 0; p < m; p++) {
        PyObject *key = PyList_GET_ITEM(keys, p);
        if (key == Py_None)
            continue;
        const int sk = PyObject_IsTrue(PyList_GET_ITEM(skip, p));
        if (sk < 0)
            goto fail;
        if (sk)
            continue;
        /* an exact repeat of a line still there */
        PyObject *first = PyDict_GetItemWithError(seen, key);
        if (first == NULL && PyErr_Occurred())
            goto fail;
        if (first != NULL && !gone[PyLong_AsSsize_t(first)]) {
            gone[p] = 1;
            if (dup_event(out, 0, p, PyLong_AsSsize_t(first)) < 0)
                goto fail;
            continue;
        }
        if (first == NULL) {
            PyObject *pp = PyLong_FromSsize_t(p);
            if (pp == NULL || PyDict_SetItem(seen, key, pp) < 0) {
                Py_XDECREF(pp);
                goto fail;
            }
            Py_DECREF(pp);
        }
        const Py_ssize_t nw = dup_words(PyUnicode_KIND(key), PyUnicode_DATA(key), PyUnicode_GET_LENGTH(key), NULL, NULL,
                                        wh, NULL, NULL);
        if (nw < min_near)
            continue;
        /* its distinct k-grams, and those an earlier line holds */
        Py_ssize_t nd = 0; /* distinct grams, found with a set of the line's own (emptied after) */
        int zero = 0;      /* the set marks an empty slot with 0: a gram hashed to 0 is noted apart */
        for (Py_ssize_t w = 0; w + k <= nw; w++) {
            const uint64_t h = gram_hash(wh + w, k);
            if (h == 0) {
                if (!zero)
                    grams[nd++] = h;
                zero = 1;
                continue;
            }
            size_t slot = (size_t)h & lmask;
            while (lset[slot] != 0 && lset[slot] != h)
                slot = (slot + 1) & lmask;
            if (lset[slot] == 0) {
                lset[slot] = h;
                lslot[nd - zero] = slot;
                grams[nd++] = h;
            }
        }
        for (Py_ssize_t g = 0; g < nd - zero; g++)
            lset[lslot[g]] = 0;
        Py_ssize_t nc = 0, no = 0;
        for (Py_ssize_t g = 0; g < nd; g++) {
            DupPost *e = dup_find(&table, grams[g]);
            if (e == NULL)
                continue;
            common[nc++] = e;
            for (int32_t q = 0; q <= e->nmore; q++)
                if (count[e->post[q]]++ == 0)
                    over[no++].pos = e->post[q];
        }
        /* the earlier line sharing most of them (the first of those on a tie) still there,
         * when they are enough of the shorter line's */
        Py_ssize_t match = -1;
        for (Py_ssize_t q = 0; q < no; q++)
            over[q].shared = count[over[q].pos];
        qsort(over, (size_t)no, sizeof(DupOverlap), cmp_overlap);
        for (Py_ssize_t q = 0; q < no; q++) {
            const Py_ssize_t other = over[q].pos;
            count[other] = 0;
            if (match < 0 && !gone[other] &&
                (double)over[q].shared >= containment * (double)(nd < sizes[other] ? nd : sizes[other]))
                match = other;
        }
        if (match >= 0) {
            /* keep the complete copy; on a tie keep the first (a paragraph that contains the
             * headline stays beside it) */
            const int whole = dup_complete(complete, p);
            if (whole < 0)
                goto fail;
            if (!(match == headline && whole)) {
                const int other_whole = whole && match != headline ? dup_complete(complete, match) : 1;
                if (other_whole < 0)
                    goto fail;
                if (!other_whole) {
                    gone[match] = 1;
                    if (dup_event(out, 1, match, p) < 0)
                        goto fail;
                } else {
                    gone[p] = 1;
                    if (dup_event(out, 2, p, match) < 0)
                        goto fail;
                    continue;
                }
            }
        }
        /* the line stays: its grams' postings (an earlier line's gram lists it too, up to
         * max_postings lines; a new gram lists it first) */
        sizes[p] = nd;
        for (Py_ssize_t q = 0; q < nc; q++)
            if (common[q]->nmore < max_postings - 1)
                common[q]->post[++common[q]->nmore] = (int32_t)p;
        for (Py_ssize_t g = 0; g < nd; g++) {
            const size_t slot = dup_slot(&table, grams[g]);
            if (table.index[slot] < 0) {
                DupPost *e = &table.dense[table.n];
                e->h = grams[g];
                e->nmore = 0;
                e->post[0] = (int32_t)p;
                table.index[slot] = table.n++;
            }
        }
    }
    Py_DECREF(seen);
    PyMem_Free(table.index); PyMem_Free(table.dense); PyMem_Free(gone); PyMem_Free(sizes); PyMem_Free(count);
    PyMem_Free(wh); PyMem_Free(grams); PyMem_Free(common); PyMem_Free(over); PyMem_Free(lset); PyMem_Free(lslot);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(seen);
    PyMem_Free(table.index); PyMem_Free(table.dense); PyMem_Free(gone); PyMem_Free(sizes); PyMem_Free(count);
    PyMem_Free(wh); PyMem_Free(grams); PyMem_Free(common); PyMem_Free(over); PyMem_Free(lset); PyMem_Free(lslot);
    return NULL;
}

/* indices[k] (a list of ints), when it is in [0, limit); else -1 with an IndexError (or the
 * TypeError of an item that is no index) */
static inline Py_ssize_t
index_below(PyObject *indices, Py_ssize_t k, Py_ssize_t limit, const char *what)
{
    const Py_ssize_t i = as_ssize(PyList_GET_ITEM(indices, k), PyExc_IndexError);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0 || i >= limit) {
        PyErr_Format(PyExc_IndexError, "%s: a line index out of range", what);
        return -1;
    }
    return i;
}

/* texts[indices[k]] (lists), a str (borrowed), or NULL with an exception */
static PyObject *
indexed_str(PyObject *texts, PyObject *indices, Py_ssize_t k, const char *what)
{
    const Py_ssize_t i = index_below(indices, k, PyList_GET_SIZE(texts), what);
    if (i < 0)
        return NULL;
    PyObject *text = PyList_GET_ITEM(texts, i);
    return is_str_arg(text, what) ? text : NULL;
}

/* ------------------------------------------------------------------------------------------
 * str.casefold without its per-character lookups: the fold of each character of the Basic
 * Multilingual Plane is asked of str.casefold itself the first time a text holds it, and kept
 * (one to three characters: ß folds to "ss", ΐ to three). A character whose fold leaves the plane
 * or is longer (none in the Unicode of CPython 3.11-3.13), and every text of four-byte
 * characters, are folded by str.casefold. The fold is context-free (no final sigma), so a
 * text's fold is its characters' folds in order; tests/test_speedups.py checks all of Unicode.
 */
#define FOLD_OTHER 0xFF
static Py_UCS2 (*fold_chars)[3] = NULL; /* the fold of each BMP character ... */
static unsigned char *fold_len = NULL;   /* ... of this many characters (0: not asked yet) */

/* fold_len[ch] filled from str.casefold; 0, or -1 with an exception */
static int
fold_learn(Py_UCS4 ch)
{
    if (fold_len == NULL) {
        fold_chars = PyMem_Malloc(0x10000 * sizeof(*fold_chars));
        fold_len = PyMem_Calloc(0x10000, 1);
        if (fold_chars == NULL || fold_len == NULL) {
            PyMem_Free(fold_chars);
            PyMem_Free(fold_len);
            fold_chars = NULL;
            fold_len = NULL;
            PyErr_NoMemory();
            return -1;
        }
    }
    PyObject *c = PyUnicode_FromOrdinal((int)ch);
    if (c == NULL)
        return -1;
    PyObject *f = PyObject_CallMethodNoArgs(c, s_casefold);
    Py_DECREF(c);
    if (f == NULL)
        return -1;
    const Py_ssize_t m = PyUnicode_GET_LENGTH(f);
    unsigned char len = m >= 1 && m <= 3 ? (unsigned char)m : FOLD_OTHER;
    for (Py_ssize_t k = 0; len != FOLD_OTHER && k < m; k++) {
        const Py_UCS4 o = PyUnicode_READ_CHAR(f, k);
        if (o > 0xFFFF)
            len = FOLD_OTHER;
        else
            fold_chars[ch][k] = (Py_UCS2)o;
    }
    Py_DECREF(f);
    fold_len[ch] = len;
    return 0;
}

/* A growable buffer of code points. */
typedef struct {
    Py_UCS4 *v;
    Py_ssize_t cap;
} U4Buf;

static int
u4_reserve(U4Buf *b, Py_ssize_t n)
{
    if (n <= b->cap)
        return 0;
    Py_ssize_t cap = b->cap ? b->cap : 256;
    while (cap < n)
        cap *= 2;
    Py_UCS4 *v = PyMem_Realloc(b->v, (size_t)cap * sizeof(Py_UCS4));
    if (v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->v = v;
    b->cap = cap;
    return 0;
}

/* text[a:b].casefold() into ``out`` (its length, or -1 with an exception). */
static Py_ssize_t
casefold_span(PyObject *text, Py_ssize_t a, Py_ssize_t b, U4Buf *out)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = b - a;
    if (n <= 0)
        return 0; /* (an empty span: str.casefold's path below would hand over no buffer) */
    if (n > PY_SSIZE_T_MAX / 3 / (Py_ssize_t)sizeof(Py_UCS4) || u4_reserve(out, 3 * n) < 0) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return -1;
    }
    Py_UCS4 *o = out->v;
    if (PyUnicode_IS_ASCII(text)) {
        const Py_UCS1 *c = (const Py_UCS1 *)data + a;
        for (Py_ssize_t i = 0; i < n; i++)
            o[i] = latin1_lower[c[i]]; /* an ASCII character folds to its lower case */
        return n;
    }
    if (kind != PyUnicode_4BYTE_KIND) {
        Py_ssize_t m = 0;
        for (Py_ssize_t i = a; i < b; i++) {
            const Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch < 128) {
                o[m++] = latin1_lower[ch];
                continue;
            }
            if ((fold_len == NULL || fold_len[ch] == 0) && fold_learn(ch) < 0)
                return -1;
            const unsigned char len = fold_len[ch];
            if (len == FOLD_OTHER)
                goto by_str_casefold;
            for (unsigned char k = 0; k < len; k++)
                o[m++] = fold_chars[ch][k];
        }
        return m;
    }
by_str_casefold:;
    PyObject *part = PyUnicode_Substring(text, a, b);
    if (part == NULL)
        return -1;
    PyObject *f = PyObject_CallMethodNoArgs(part, s_casefold);
    Py_DECREF(part);
    if (f == NULL)
        return -1;
    const Py_ssize_t m = PyUnicode_GET_LENGTH(f);
    if (u4_reserve(out, m) < 0 || PyUnicode_AsUCS4(f, out->v, out->cap, 0) == NULL) {
        Py_DECREF(f);
        return -1;
    }
    Py_DECREF(f);
    return m;
}

static inline Py_ssize_t
casefold_into(PyObject *text, U4Buf *out)
{
    return casefold_span(text, 0, PyUnicode_GET_LENGTH(text), out);
}

/* furniture_lines(joined, offsets, live, vocabulary, max_len, max_words) -> the positions k of
 * ``live`` whose line joined[offsets[i]:offsets[i + 1] - 1] (i = live[k]) holds at most
 * ``max_len`` characters and 1 to ``max_words`` tokens, each a vocabulary word: the ``[\w+-]+``
 * runs, each folded (str.casefold) and stripped of "+" and "-", the empty ones and those of
 * digits (str.isdigit) not counted. U001's lines that may be controls or language switches
 * (ui.furniture_lines_py is the reference). ``vocabulary``: a set or frozenset of str, whose
 * lookup table is kept while the same set is handed over. */
static PyObject *vocab_set = NULL;
static SpanTable vocab_table = {0};

static inline int
is_token_char(Py_UCS4 ch)
{
    return ch == '+' || ch == '-' || is_word_char(ch);
}

static PyObject *
sp_furniture_lines(PyObject *self, PyObject *args)
{
    PyObject *joined, *offsets, *live, *vocabulary;
    Py_ssize_t max_len, max_words;
    if (!PyArg_ParseTuple(args, "UO!O!Onn:furniture_lines", &joined, &PyList_Type, &offsets, &PyList_Type, &live,
                          &vocabulary, &max_len, &max_words))
        return NULL;
    if (vocabulary != vocab_set) {
        SpanTable t = {0};
        if (st_build(&t, vocabulary) < 0)
            return NULL;
        st_free(&vocab_table);
        vocab_table = t;
        set_ref(&vocab_set, vocabulary);
    }
    const int kind = PyUnicode_KIND(joined);
    const void *data = PyUnicode_DATA(joined);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(joined), nlines = PyList_GET_SIZE(offsets) - 1;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    U4Buf fold = {0};
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(live); k++) {
        const Py_ssize_t i = index_below(live, k, nlines, "furniture_lines");
        if (i < 0)
            goto fail;
        const Py_ssize_t a = PyLong_AsSsize_t(PyList_GET_ITEM(offsets, i));
        const Py_ssize_t b = PyLong_AsSsize_t(PyList_GET_ITEM(offsets, i + 1)) - 1;
        if ((a == -1 || b == -2) && PyErr_Occurred())
            goto fail;
        if (a < 0 || b < a || b > n) {
            PyErr_SetString(PyExc_ValueError, "furniture_lines: offsets must ascend within the text");
            goto fail;
        }
        if (b - a > max_len)
            continue;
        Py_ssize_t count = 0, pos = a;
        int ok = 1;
        while (ok) {
            while (pos < b && !is_token_char(PyUnicode_READ(kind, data, pos)))
                pos++;
            if (pos >= b)
                break;
            const Py_ssize_t t0 = pos;
            while (pos < b && is_token_char(PyUnicode_READ(kind, data, pos)))
                pos++;
            const Py_ssize_t m = casefold_span(joined, t0, pos, &fold);
            if (m < 0)
                goto fail;
            Py_ssize_t s0 = 0, s1 = m; /* .strip("-+") */
            while (s0 < s1 && (fold.v[s0] == '+' || fold.v[s0] == '-'))
                s0++;
            while (s1 > s0 && (fold.v[s1 - 1] == '+' || fold.v[s1 - 1] == '-'))
                s1--;
            int digits = 1; /* .isdigit() of a token left non-empty */
            for (Py_ssize_t c = s0; c < s1 && digits; c++)
                digits = Py_UNICODE_ISDIGIT(fold.v[c]);
            if (s0 == s1 || digits)
                continue;
            if (++count > max_words ||
                st_get(&vocab_table, span_hash(PyUnicode_4BYTE_KIND, fold.v, s0, s1), PyUnicode_4BYTE_KIND, fold.v,
                       s0, s1) == NULL)
                ok = 0;
        }
        if (ok && count > 0 && append_ssize(out, k) < 0)
            goto fail;
    }
    PyMem_Free(fold.v);
    return out;
fail:
    PyMem_Free(fold.v);
    Py_DECREF(out);
    return NULL;
}

/* casefold(text) -> text.casefold(), from the table above (tests/test_speedups.py compares them) */
static PyObject *
sp_casefold(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "casefold"))
        return NULL;
    U4Buf b = {0};
    const Py_ssize_t m = casefold_into(arg, &b);
    PyObject *r = m < 0 ? NULL : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b.v, m);
    PyMem_Free(b.v);
    return r;
}

/* word_keys(texts, indices, min_words, shortest, max_chars, max_words) -> the word key of each line
 * texts[i], i in ``indices``: the `\w+` words of texts[i][:max_chars].casefold(), the first
 * ``max_words`` of them, joined by single spaces; None when that fold is shorter than ``shortest``
 * characters or holds fewer than ``min_words`` words (max_chars, max_words: -1 for no limit). A key
 * is one str, made without a str per fold or per word; equal keys <=> equal word sequences (a space
 * is never in a word). D001's keys and T001's and A001's line openings (shapes.word_keys_py is the
 * reference). */
static PyObject *
sp_word_keys(PyObject *self, PyObject *args)
{
    PyObject *texts, *indices;
    Py_ssize_t min_words, shortest, max_chars, max_words;
    if (!PyArg_ParseTuple(args, "O!O!nnnn:word_keys", &PyList_Type, &texts, &PyList_Type, &indices, &min_words,
                          &shortest, &max_chars, &max_words))
        return NULL;
    if (max_chars < -1 || max_words < -1) {
        PyErr_SetString(PyExc_ValueError, "word_keys: max_chars and max_words must be >= 0, or -1 for no limit");
        return NULL;
    }
    const Py_ssize_t m = PyList_GET_SIZE(indices);
    PyObject *out = PyList_New(m);
    if (out == NULL)
        return NULL;
    U4Buf fold = {0};
    for (Py_ssize_t p = 0; p < m; p++) {
        PyObject *text = indexed_str(texts, indices, p, "word_keys");
        if (text == NULL)
            goto fail;
        const Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        const Py_ssize_t n = casefold_span(text, 0, max_chars < 0 || len < max_chars ? len : max_chars, &fold);
        if (n < 0)
            goto fail;
        PyObject *key = NULL;
        if (n >= shortest) {
            /* the words, joined by single spaces, written over the fold itself (a word's
             * characters move left or stay) */
            Py_UCS4 *v = fold.v;
            Py_ssize_t nw = 0, w = 0, r = 0;
            while (r < n && nw != max_words) {
                if (!is_word_char(v[r])) {
                    r++;
                    continue;
                }
                if (nw++ > 0)
                    v[w++] = ' ';
                while (r < n && is_word_char(v[r]))
                    v[w++] = v[r++];
            }
            if (nw >= min_words) {
                key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, v, w);
                if (key == NULL)
                    goto fail;
            }
        }
        PyList_SET_ITEM(out, p, key != NULL ? key : Py_NewRef(Py_None));
    }
    PyMem_Free(fold.v);
    return out;
fail:
    PyMem_Free(fold.v);
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------------------------------
 * dup_shingles(folded, min_words, min_near, k) -> None | (key, n, grams | None), for D001
 * (cleaner/rules/duplicates.py): the `\w+` words of ``folded`` (a case-folded line) without a
 * str per word. None when there are fewer than ``min_words`` words; else ``key`` is the words
 * joined by single spaces (equal keys <=> equal word tuples: a space is never in a word), ``n``
 * the number of words, and ``grams`` (when n >= min_near) the set of 64-bit hashes of the
 * line's word k-grams. The hash is this file's own (FNV-1a over each word's code points, mixed
 * by splitmix64), the same in every process: the rule compares grams only for equality, so its
 * decisions are those of the Python path (which hashes the tuples with hash()) as long as
 * neither hash maps two different k-grams of a page to one value; tests/test_speedups.py
 * checks both, and the decisions, on the benchmark dumps.
 */
static PyObject *
sp_dup_shingles(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t min_words, min_near, k;
    if (!PyArg_ParseTuple(args, "Unnn:dup_shingles", &s, &min_words, &min_near, &k))
        return NULL;
    if (k < 1) {
        PyErr_SetString(PyExc_ValueError, "dup_shingles: k must be >= 1");
        return NULL;
    }
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    /* word spans: at most (n + 1) / 2 words */
    Py_ssize_t cap = n / 2 + 1;
    Py_ssize_t *start = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);
    Py_ssize_t *end = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);
    uint64_t *wh = PyMem_Malloc(sizeof(uint64_t) * (size_t)cap);
    PyObject *key = NULL, *grams = NULL, *result = NULL;
    if (start == NULL || end == NULL || wh == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t chars = 0;
    Py_UCS4 maxchar = 0;
    const Py_ssize_t nw = dup_words(kind, data, n, start, end, wh, &chars, &maxchar);
    if (nw < min_words) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    key = PyUnicode_New(chars + (nw > 0 ? nw - 1 : 0), nw > 1 && maxchar < ' ' ? ' ' : maxchar);
    if (key == NULL)
        goto done;
    {
        int kk = PyUnicode_KIND(key);
        void *kd = PyUnicode_DATA(key);
        Py_ssize_t pos = 0;
        for (Py_ssize_t w = 0; w < nw; w++) {
            if (w > 0)
                PyUnicode_WRITE(kk, kd, pos++, ' ');
            for (Py_ssize_t c = start[w]; c < end[w]; c++)
                PyUnicode_WRITE(kk, kd, pos++, PyUnicode_READ(kind, data, c));
        }
    }
    if (nw >= min_near) {
        grams = PySet_New(NULL);
        if (grams == NULL)
            goto done;
        for (Py_ssize_t w = 0; w + k <= nw; w++) {
            PyObject *g = PyLong_FromUnsignedLongLong(gram_hash(wh + w, k));
            if (g == NULL || PySet_Add(grams, g) < 0) {
                Py_XDECREF(g);
                goto done;
            }
            Py_DECREF(g);
        }
    }
    result = Py_BuildValue("(OnO)", key, nw, grams != NULL ? grams : Py_None);
done:
    PyMem_Free(start);
    PyMem_Free(end);
    PyMem_Free(wh);
    Py_XDECREF(key);
    Py_XDECREF(grams);
    return result;
}

/* word_count(text) -> len(re.findall(r"\w+", text)): the runs of word characters (shapes.py). */
static PyObject *
sp_word_count(PyObject *self, PyObject *arg)
{
    if (!is_str_arg(arg, "word_count"))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t count = 0, i = 0, start;
    while (next_word(kind, data, n, &i, &start))
        count++;
    return PyLong_FromSsize_t(count);
}

/* column(rows, k, positions=False) -> [row[k] for row in rows], ``rows`` tuples; with
 * ``positions``, {row[k]: i for i, row in enumerate(rows)} instead. An item of every line (the
 * engine's texts, M001's texts and blank-line flags) and the lines' number -> index table
 * (rules.base._column_py is the reference). */
static PyObject *
sp_column(PyObject *self, PyObject *args)
{
    PyObject *rows;
    Py_ssize_t k;
    int positions = 0;
    if (!PyArg_ParseTuple(args, "On|p:column", &rows, &k, &positions))
        return NULL;
    if (k < 0) {
        PyErr_SetString(PyExc_ValueError, "column: k must be >= 0");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(rows, "column: a sequence of tuples is needed");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *out = positions ? PyDict_New() : PyList_New(n);
    if (out == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = items[i];
        if (!PyTuple_Check(t) || k >= PyTuple_GET_SIZE(t)) {
            PyErr_Format(PyExc_TypeError, "column: tuples of more than %zd items are needed", k);
            goto fail;
        }
        PyObject *item = PyTuple_GET_ITEM(t, k);
        if (!positions) {
            PyList_SET_ITEM(out, i, Py_NewRef(item));
            continue;
        }
        PyObject *v = PyLong_FromSsize_t(i);
        if (v == NULL)
            goto fail;
        const int r = PyDict_SetItem(out, item, v);
        Py_DECREF(v);
        if (r < 0)
            goto fail;
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* number_list(lines, spare) -> each line's index by its number (a row's first item, an int), as a
 * list indexed by number (None at the numbers no line has), when the numbers run from 0 to at most
 * ``spare`` + 4 * len(lines); else None, and the caller makes the dict (engine.number_index;
 * engine._number_list_py is the reference) */
static PyObject *
sp_number_list(PyObject *self, PyObject *args)
{
    PyObject *rows;
    Py_ssize_t spare;
    if (!PyArg_ParseTuple(args, "On:number_list", &rows, &spare))
        return NULL;
    PyObject *seq = PySequence_Fast(rows, "number_list: a sequence of tuples is needed");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *out = NULL;
    Py_ssize_t top = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = items[i];
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) < 1 || !PyLong_Check(PyTuple_GET_ITEM(t, 0))) {
            PyErr_SetString(PyExc_TypeError, "number_list: rows whose first item is an int are needed");
            goto done;
        }
        const Py_ssize_t number = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 0));
        if (number == -1 && PyErr_Occurred())
            PyErr_Clear(); /* an int no Py_ssize_t holds: below, as a negative one */
        if (number < 0 || number > spare + 4 * n) {
            out = Py_NewRef(Py_None);
            goto done;
        }
        if (number > top)
            top = number;
    }
    out = PyList_New(top + 1);
    if (out == NULL)
        goto done;
    for (Py_ssize_t k = 0; k <= top; k++)
        PyList_SET_ITEM(out, k, Py_NewRef(Py_None));
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(i);
        if (v == NULL || PyList_SetItem(out, PyLong_AsSsize_t(PyTuple_GET_ITEM(items[i], 0)), v) < 0) {
            Py_CLEAR(out); /* (SetItem drops the None, or v) */
            break;
        }
    }
done:
    Py_DECREF(seq);
    return out;
}

/* whether the line indices[k] (an int within ``alive``, a list of bools) is alive: 1 or 0, with
 * its index in *i; -1 with a TypeError or an IndexError (what: the caller's name) */
static int
alive_at(PyObject *indices, Py_ssize_t k, PyObject *alive, const char *what, Py_ssize_t *i)
{
    if (!PyLong_Check(PyList_GET_ITEM(indices, k))) { /* (an int's value is read without running Python code) */
        PyErr_Format(PyExc_TypeError, "%s: line indices must be ints", what);
        return -1;
    }
    *i = index_below(indices, k, PyList_GET_SIZE(alive), what);
    if (*i < 0)
        return -1;
    PyObject *a = PyList_GET_ITEM(alive, *i);
    if (a == Py_True || a == Py_False)
        return a == Py_True;
    PyErr_Format(PyExc_TypeError, "%s: alive must hold bools", what);
    return -1;
}

/* still_live(live, alive) -> [i for i in live if alive[i]]: the lines of ``live`` (a list of line
 * indices) whose entry in ``alive`` (a list of bools) is True, the same int objects: the engine's
 * live lines after a rule removed some, read off the list before instead of every line of the page
 * (rules.base._still_live_py is the reference). */
static PyObject *
sp_still_live(PyObject *self, PyObject *args)
{
    PyObject *live, *alive;
    if (!PyArg_ParseTuple(args, "O!O!:still_live", &PyList_Type, &live, &PyList_Type, &alive))
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(live);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    Py_ssize_t m = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t i;
        const int is = alive_at(live, k, alive, "still_live", &i);
        if (is < 0)
            goto fail;
        if (is)
            PyList_SET_ITEM(out, m++, Py_NewRef(PyList_GET_ITEM(live, k)));
    }
    Py_SET_SIZE(out, m); /* the slots past m were never filled: NULL, as a new list's */
    return out;
fail:
    Py_SET_SIZE(out, m);
    Py_DECREF(out);
    return NULL;
}

/* apply_removals(indices, decisions, alive, out) -> the number of lines removed: for each k,
 * when alive[indices[k]] is True, it becomes False and decisions[k] is appended to ``out``
 * (engine._apply_batch_py, which tests/test_speedups.py compares with it; the pairs read as
 * zip reads them, to the shorter of the two lists). */
static PyObject *
sp_apply_removals(PyObject *self, PyObject *args)
{
    PyObject *indices, *decisions, *alive, *out;
    if (!PyArg_ParseTuple(args, "O!O!O!O!:apply_removals", &PyList_Type, &indices, &PyList_Type, &decisions,
                          &PyList_Type, &alive, &PyList_Type, &out))
        return NULL;
    Py_ssize_t killed = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(indices) && k < PyList_GET_SIZE(decisions); k++) {
        Py_ssize_t i;
        const int is = alive_at(indices, k, alive, "apply_removals", &i);
        if (is < 0)
            return NULL;
        if (is) {
            if (PyList_Append(out, PyList_GET_ITEM(decisions, k)) < 0)
                return NULL;
            PyObject *was = PyList_GET_ITEM(alive, i);
            PyList_SET_ITEM(alive, i, Py_NewRef(Py_False));
            Py_DECREF(was);
            killed++;
        }
    }
    return PyLong_FromSsize_t(killed);
}

/* line_offsets(texts) -> where each str of ``texts`` starts in "\n".join(texts), and one past the
 * end, last: rules.base.line_offsets (its pure-Python equivalent, _line_offsets_py). */
static PyObject *
sp_line_offsets(PyObject *self, PyObject *arg)
{
    PyObject *seq = PySequence_Fast(arg, "line_offsets: a sequence of str is needed");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    Py_ssize_t *off = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    PyObject *out = NULL;
    if (off == NULL)
        PyErr_NoMemory();
    else {
        off[0] = 0;
        Py_ssize_t k = 0;
        for (; k < n && PyUnicode_Check(items[k]); k++)
            off[k + 1] = off[k] + PyUnicode_GET_LENGTH(items[k]) + 1;
        if (k < n)
            PyErr_SetString(PyExc_TypeError, "line_offsets: a sequence of str is needed");
        else
            out = int_list(off, n + 1);
    }
    PyMem_Free(off);
    Py_DECREF(seq);
    return out;
}

/* Whether instances of ``type`` hold nothing beyond the ``basicsize`` bytes given (no __dict__,
 * no slot of a subclass): what a caller could fill later, and so bring into a reference cycle,
 * before the collector may be left not to track them. */
static inline int
no_room_beyond(const PyTypeObject *type, Py_ssize_t basicsize)
{
    return type->tp_dictoffset == 0 && type->tp_basicsize == basicsize;
}

/* split_lines(text, line_type, separator) -> (lines, hard): textio.prepare's loop. ``text`` split
 * at "\n"; each part stripped of whitespace (str.strip()); each non-empty part a ``line_type``
 * (a tuple subclass: Line) of (number, start, end, stripped text, blank_before), ``number`` the
 * 1-based part number, ``start``/``end`` the stripped text's offsets in ``text``; ``hard`` the
 * indices (into ``lines``) of the lines that follow a blank part holding ``separator`` (one
 * character), the first line excepted. The pure-Python equivalent is textio._split_lines_py. */
static PyObject *
sp_split_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *sep_obj;
    PyTypeObject *line_type;
    if (!PyArg_ParseTuple(args, "UO!U:split_lines", &text, &PyType_Type, &line_type, &sep_obj))
        return NULL;
    if (!PyType_IsSubtype(line_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "split_lines: line_type must be a tuple subclass");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(sep_obj) != 1) {
        PyErr_SetString(PyExc_ValueError, "split_lines: the separator is one character");
        return NULL;
    }
    const Py_UCS4 sep = PyUnicode_READ_CHAR(sep_obj, 0);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *lines = PyList_New(0), *hard = PyList_New(0);
    if (lines == NULL || hard == NULL)
        goto fail;
    Py_ssize_t pos = 0, number = 0;
    int blank = 0, separator_seen = 0;
    for (;;) {
        Py_ssize_t a, b;
        const Py_ssize_t end = stripped_line(kind, data, n, pos, &a, &b);
        number++;
        if (a < b) {
            if (separator_seen) {
                if (PyList_GET_SIZE(lines) > 0) {
                    PyObject *ix = PyLong_FromSsize_t(PyList_GET_SIZE(lines));
                    if (ix == NULL || PyList_Append(hard, ix) < 0) {
                        Py_XDECREF(ix);
                        goto fail;
                    }
                    Py_DECREF(ix);
                }
                separator_seen = 0;
            }
            PyObject *line = line_type->tp_alloc(line_type, 5);
            if (line == NULL)
                goto fail;
            PyObject *items[5] = {PyLong_FromSsize_t(number), PyLong_FromSsize_t(a), PyLong_FromSsize_t(b),
                                  PyUnicode_Substring(text, a, b), PyBool_FromLong(blank)};
            for (int k = 0; k < 5; k++) {
                if (items[k] == NULL) {
                    for (int m = 0; m < 5; m++)
                        Py_XDECREF(items[m]);
                    Py_DECREF(line);
                    goto fail;
                }
            }
            for (int k = 0; k < 5; k++)
                PyTuple_SET_ITEM(line, k, items[k]);
            /* a tuple of ints, a str and a bool is in no reference cycle: the collector untracks an
             * exact tuple of such items itself, but not a subclass's (Line), whose instances a
             * large page's collections walked, as many as it has lines. (Not a subclass with a
             * __dict__ or slots of its own, which a caller could fill.) */
            if (PyObject_IS_GC(line) && no_room_beyond(line_type, PyTuple_Type.tp_basicsize))
                PyObject_GC_UnTrack(line);
            int r = PyList_Append(lines, line);
            Py_DECREF(line);
            if (r < 0)
                goto fail;
            blank = 0;
        } else {
            blank = 1;
            for (Py_ssize_t k = pos; k < end && !separator_seen; k++)
                separator_seen = PyUnicode_READ(kind, data, k) == sep;
        }
        if (end >= n)
            break;
        pos = end + 1;
    }
    return Py_BuildValue("(NN)", lines, hard);
fail:
    Py_XDECREF(lines);
    Py_XDECREF(hard);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Rule.removals' batch of decisions                                          */

/* whether ``ch`` is a character of the str ``chars`` */
static inline int
char_in_str(PyObject *chars, Py_UCS4 ch)
{
    return PyUnicode_FindChar(chars, ch, 0, PyUnicode_GET_LENGTH(chars), 1) >= 0;
}

/* shapes.is_prose(text, min_words): text.rstrip().rstrip(end_closers) ends with one of ``marks``, and
 * text holds at least ``min_words`` \w+ words */
static int
is_prose_c(PyObject *text, Py_ssize_t min_words, PyObject *end_closers, PyObject *marks)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t end = n;
    while (end > 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)))
        end--;
    while (end > 0 && char_in_str(end_closers, PyUnicode_READ(kind, data, end - 1)))
        end--;
    if (end == 0 || !char_in_str(marks, PyUnicode_READ(kind, data, end - 1)))
        return 0;
    Py_ssize_t words = 0, i = 0, start;
    while (words < min_words && next_word(kind, data, n, &i, &start))
        words++;
    return words >= min_words;
}

/* name_shaped(text) -> whether credits._NAME matches ``text``: two to four words, each a capital
 * ([A-ZÀ-ÞА-ЯЁ]) then a run of word characters, "'", "’" and "-", and maybe a ".", separated by
 * whitespace, and nothing else (the end may be a final "\n", as for "$"). The regex reads
 * deterministically (its runs are possessive, and what follows each is never one of its
 * characters), so one pass decides; tests/test_speedups.py compares the two. B001 asks it of
 * every short line above an article. */
static inline int
name_capital(Py_UCS4 ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 0xC0 && ch <= 0xDE) || (ch >= 0x410 && ch <= 0x42F) || ch == 0x401;
}

/* whether credits._NAME matches the str ``text``, read from its kind and data */
static int
name_shaped(PyObject *text)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t i = 0, words = 0;
    for (;;) {
        if (i >= n || !name_capital(PyUnicode_READ(kind, data, i)))
            return 0;
        i++;
        Py_UCS4 ch;
        while (i < n && ((ch = PyUnicode_READ(kind, data, i)) == '\'' || ch == 0x2019 || ch == '-' || is_word_char(ch)))
            i++;
        if (i < n && PyUnicode_READ(kind, data, i) == '.')
            i++;
        words++;
        if (i == n || (i == n - 1 && PyUnicode_READ(kind, data, i) == '\n'))
            return words >= 2;
        if (words == 4 || !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            return 0;
        while (i < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            i++;
    }
}

static PyObject *
sp_name_shaped(PyObject *self, PyObject *text)
{
    if (!is_str_arg(text, "name_shaped"))
        return NULL;
    return PyBool_FromLong(name_shaped(text));
}

/* byline_candidates(texts, indices, end, max_len, first) -> the positions k < end whose line
 * texts[indices[k]] is at most max_len characters long and either opens with a character the
 * table ``first`` (a mapping: first[text[:1]], shapes.first_chars) is true of, or is name-shaped
 * with a line under it (texts[indices[k + 1]]) holding "," or "(": the only lines B001 can take
 * (credits._byline_candidates_py, which tests/test_speedups.py compares with it) */
static PyObject *
sp_byline_candidates(PyObject *self, PyObject *args)
{
    PyObject *texts, *indices, *first;
    Py_ssize_t end, max_len;
    if (!PyArg_ParseTuple(args, "O!O!nnO:byline_candidates", &PyList_Type, &texts, &PyList_Type, &indices, &end,
                          &max_len, &first))
        return NULL;
    if (end > PyList_GET_SIZE(indices))
        end = PyList_GET_SIZE(indices);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < end; k++) {
        PyObject *text = indexed_str(texts, indices, k, "byline_candidates");
        if (text == NULL)
            goto fail;
        if (PyUnicode_GET_LENGTH(text) > max_len)
            continue;
        PyObject *head = PyUnicode_Substring(text, 0, 1);
        if (head == NULL)
            goto fail;
        PyObject *opens = PyObject_GetItem(first, head);
        Py_DECREF(head);
        if (opens == NULL)
            goto fail;
        const int truth = PyObject_IsTrue(opens);
        Py_DECREF(opens);
        if (truth < 0)
            goto fail;
        int take = truth;
        if (!take && k + 1 < PyList_GET_SIZE(indices) && name_shaped(text)) {
            PyObject *under = indexed_str(texts, indices, k + 1, "byline_candidates");
            if (under == NULL)
                goto fail;
            const Py_ssize_t n = PyUnicode_GET_LENGTH(under);
            take = PyUnicode_FindChar(under, ',', 0, n, 1) >= 0 || PyUnicode_FindChar(under, '(', 0, n, 1) >= 0;
        }
        if (take) {
            PyObject *pos = PyLong_FromSsize_t(k);
            if (pos == NULL || PyList_Append(out, pos) < 0) {
                Py_XDECREF(pos);
                goto fail;
            }
            Py_DECREF(pos);
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* prose_position(texts, indices, min_words, reverse, end_closers, marks) -> the first position k
 * (the last with ``reverse``) whose line texts[indices[k]] is prose (is_prose_c), or -1 when none
 * is (shapes.prose_position_py) */
static PyObject *
sp_prose_position(PyObject *self, PyObject *args)
{
    PyObject *texts_o, *indices, *end_closers, *marks;
    Py_ssize_t min_words;
    int reverse;
    if (!PyArg_ParseTuple(args, "OO!npUU:prose_position", &texts_o, &PyList_Type, &indices, &min_words, &reverse,
                          &end_closers, &marks))
        return NULL;
    PyObject *texts = PySequence_Fast(texts_o, "prose_position: texts must be a sequence");
    if (texts == NULL)
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(indices), ntexts = PySequence_Fast_GET_SIZE(texts);
    Py_ssize_t found = -1;
    for (Py_ssize_t step = 0; step < n; step++) {
        const Py_ssize_t k = reverse ? n - 1 - step : step;
        const Py_ssize_t i = index_below(indices, k, ntexts, "prose_position");
        if (i < 0)
            goto error;
        PyObject *text = PySequence_Fast_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "prose_position: the texts must be str");
            goto error;
        }
        if (is_prose_c(text, min_words, end_closers, marks)) {
            found = k;
            break;
        }
    }
    Py_DECREF(texts);
    return PyLong_FromSsize_t(found);
error:
    Py_DECREF(texts);
    return NULL;
}

/* the field names of document.Decision, in the order removal_batch sets them */
static PyObject *f_action, *f_code, *f_rule, *f_line, *f_start, *f_end, *f_text, *f_reason, *f_replacement, *f_field;
#define N_DECISION_FIELDS 10

/* Whether every field of ``type`` (in that order) is a __slots__ member holding an object (a
 * dataclass with slots=True), and their offsets: removal_batch then stores the values in a fresh
 * object's slots directly; else (a field that is no such member) by PyObject_GenericSetAttr.
 * Read again at each call, so a class changed since is read as it is. */
static int
slot_offsets_of(PyTypeObject *type, Py_ssize_t *offsets)
{
    PyObject *names[N_DECISION_FIELDS] = {f_action, f_code, f_rule, f_line, f_start,
                                          f_end, f_text, f_reason, f_replacement, f_field};
    for (int k = 0; k < N_DECISION_FIELDS; k++) {
        PyObject *descr = _PyType_Lookup(type, names[k]); /* borrowed */
        if (descr == NULL || !Py_IS_TYPE(descr, &PyMemberDescr_Type) ||
            !PyType_IsSubtype(type, PyDescr_TYPE(descr)))
            return 0;
        const PyMemberDef *m = ((PyMemberDescrObject *)descr)->d_member;
        if (m->type != T_OBJECT_EX || (m->flags & READONLY) || m->offset < (Py_ssize_t)sizeof(PyObject) ||
            (size_t)m->offset + sizeof(PyObject *) > (size_t)type->tp_basicsize)
            return 0;
        offsets[k] = m->offset;
    }
    return 1;
}

/* removal_batch(cls, action, code, rule, lines, texts, indices, reasons) -> list: for each k, a
 * ``cls`` object made as object.__new__(cls) with the fields of Rule.removals' loop: action, code,
 * rule, line/start/end (the first three items of the tuple lines[indices[k]]), text
 * (texts[indices[k]]), reason (reasons[k]), replacement and field None. The attributes are
 * stored as object.__setattr__ stores them (a frozen dataclass's own __setattr__ is not called):
 * in their slots directly when slot_offsets_of finds them all. */
static PyObject *
sp_removal_batch(PyObject *self, PyObject *args)
{
    PyObject *cls, *action, *code, *rule, *lines_o, *texts_o, *indices, *reasons;
    if (!PyArg_ParseTuple(args, "O!OUUOOO!O!:removal_batch", &PyType_Type, &cls, &action, &code, &rule, &lines_o,
                          &texts_o, &PyList_Type, &indices, &PyList_Type, &reasons))
        return NULL;
    PyTypeObject *type = (PyTypeObject *)cls;
    const Py_ssize_t n = PyList_GET_SIZE(indices);
    if (PyList_GET_SIZE(reasons) != n) {
        PyErr_SetString(PyExc_ValueError, "removal_batch: indices and reasons differ in length");
        return NULL;
    }
    Py_ssize_t offsets[N_DECISION_FIELDS];
    const int direct = slot_offsets_of(type, offsets);
    PyObject *lines = PySequence_Fast(lines_o, "removal_batch: lines must be a sequence");
    if (lines == NULL)
        return NULL;
    PyObject *texts = PySequence_Fast(texts_o, "removal_batch: texts must be a sequence");
    if (texts == NULL) {
        Py_DECREF(lines);
        return NULL;
    }
    const Py_ssize_t nlines = PySequence_Fast_GET_SIZE(lines);
    const Py_ssize_t ntexts = PySequence_Fast_GET_SIZE(texts);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        goto error;
    for (Py_ssize_t k = 0; k < n; k++) {
        const Py_ssize_t i = index_below(indices, k, nlines < ntexts ? nlines : ntexts, "removal_batch");
        if (i < 0)
            goto error;
        PyObject *line = PySequence_Fast_GET_ITEM(lines, i);
        if (!PyTuple_Check(line) || PyTuple_GET_SIZE(line) < 3) {
            PyErr_SetString(PyExc_TypeError, "removal_batch: a line is not a tuple of (number, start, end, ...)");
            goto error;
        }
        PyObject *d = type->tp_alloc(type, 0);
        if (d == NULL)
            goto error;
        PyList_SET_ITEM(out, k, d);
        if (direct) {
            PyObject *values[N_DECISION_FIELDS] = {action, code, rule, PyTuple_GET_ITEM(line, 0),
                                                   PyTuple_GET_ITEM(line, 1), PyTuple_GET_ITEM(line, 2),
                                                   PySequence_Fast_GET_ITEM(texts, i), PyList_GET_ITEM(reasons, k),
                                                   Py_None, Py_None};
            for (int f = 0; f < N_DECISION_FIELDS; f++)
                *(PyObject **)((char *)d + offsets[f]) = Py_NewRef(values[f]); /* fresh: NULL before */
            /* In no reference cycle, and never to be: nothing holds it but the list, and nothing it
             * holds (its action, str, int, None) can come to hold it, when these ten slots are all
             * it has (no __dict__, no other slot a caller could fill). The collector need not
             * walk it, as it need not walk a tuple of such items: a large page's tens of thousands
             * of decisions were walked at each collection (3 % of a 3 MB page's instructions). */
            if (PyObject_IS_GC(d) &&
                no_room_beyond(type, (Py_ssize_t)(sizeof(PyObject) + N_DECISION_FIELDS * sizeof(PyObject *))) &&
                PyUnicode_CheckExact(values[6]) && PyUnicode_CheckExact(values[7]) && PyLong_CheckExact(values[3]) &&
                PyLong_CheckExact(values[4]) && PyLong_CheckExact(values[5]))
                PyObject_GC_UnTrack(d);
            continue;
        }
        if (PyObject_GenericSetAttr(d, f_action, action) < 0 || PyObject_GenericSetAttr(d, f_code, code) < 0 ||
            PyObject_GenericSetAttr(d, f_rule, rule) < 0 ||
            PyObject_GenericSetAttr(d, f_line, PyTuple_GET_ITEM(line, 0)) < 0 ||
            PyObject_GenericSetAttr(d, f_start, PyTuple_GET_ITEM(line, 1)) < 0 ||
            PyObject_GenericSetAttr(d, f_end, PyTuple_GET_ITEM(line, 2)) < 0 ||
            PyObject_GenericSetAttr(d, f_text, PySequence_Fast_GET_ITEM(texts, i)) < 0 ||
            PyObject_GenericSetAttr(d, f_reason, PyList_GET_ITEM(reasons, k)) < 0 ||
            PyObject_GenericSetAttr(d, f_replacement, Py_None) < 0 || PyObject_GenericSetAttr(d, f_field, Py_None) < 0)
            goto error;
    }
    Py_DECREF(lines);
    Py_DECREF(texts);
    return out;
error:
    Py_XDECREF(out);
    Py_DECREF(lines);
    Py_DECREF(texts);
    return NULL;
}

/* round(v, 2) * 100 as format(v, ".2f") gives it, for v in [0, 1] (0 to 100), when that is certain
 * from the double product v * 100 (within 2**-46 of the exact one: a fraction more than 1e-9 from
 * one half rounds the same either way); -1 otherwise (a tie, negative zero, a value outside, nan),
 * for PyOS_double_to_string to format. */
static long
hundredths(double v)
{
    if (!(v >= 0.0 && v <= 1.0) || signbit(v))
        return -1;
    const double x = v * 100.0, f = floor(x), frac = x - f;
    if (fabs(frac - 0.5) <= 1e-9)
        return -1;
    return (long)f + (frac > 0.5);
}

/* the labels a call of score_reasons keeps its reasons of (the rest are made each time) */
#define REASON_LABELS 8

static void
reasons_memo_free(PyObject **labels, PyObject *(*memo)[101], int n)
{
    for (int m = 0; m < n; m++) {
        Py_DECREF(labels[m]);
        for (int q = 0; q <= 100; q++)
            Py_XDECREF(memo[m][q]);
    }
}

/* score_reasons(indices, labels, scores) -> [f"{labels[i]} (content score {scores[i]:.2f})" for i in indices]:
 * M001's reasons (float.__format__ with ".2f" is PyOS_double_to_string(x, 'f', 2, 0)) */
static PyObject *
sp_score_reasons(PyObject *self, PyObject *args)
{
    PyObject *indices, *labels, *scores;
    if (!PyArg_ParseTuple(args, "O!O!O!:score_reasons", &PyList_Type, &indices, &PyList_Type, &labels, &PyList_Type,
                          &scores))
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(indices);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    /* A page's reasons repeat: a few labels, and scores in [0, 1] whose ".2f" is one of 101.
     * Each (label object, hundredths) is made once a call. */
    PyObject *memo_label[REASON_LABELS];
    PyObject *memo[REASON_LABELS][101];
    int nmemo = 0;
    memset(memo, 0, sizeof(memo));
    for (Py_ssize_t k = 0; k < n; k++) {
        const Py_ssize_t nl = PyList_GET_SIZE(labels), ns = PyList_GET_SIZE(scores);
        const Py_ssize_t i = index_below(indices, k, nl < ns ? nl : ns, "score_reasons");
        if (i < 0)
            goto error;
        PyObject *label = PyList_GET_ITEM(labels, i);
        const double v = PyFloat_AsDouble(PyList_GET_ITEM(scores, i));
        if (v == -1.0 && PyErr_Occurred())
            goto error;
        const long q = hundredths(v);
        int slot = -1;
        if (q >= 0) {
            for (int m = 0; m < nmemo && slot < 0; m++)
                if (memo_label[m] == label)
                    slot = m;
            if (slot < 0 && nmemo < REASON_LABELS) {
                slot = nmemo++;
                memo_label[slot] = Py_NewRef(label);
            }
            if (slot >= 0 && memo[slot][q] != NULL) {
                PyList_SET_ITEM(out, k, Py_NewRef(memo[slot][q]));
                continue;
            }
        }
        char digits[24];
        char *num = NULL;
        if (q >= 0)
            snprintf(digits, sizeof(digits), "%ld.%02ld", q / 100, q % 100);
        else if ((num = PyOS_double_to_string(v, 'f', 2, 0, NULL)) == NULL)
            goto error;
        PyObject *reason = PyUnicode_FromFormat("%S (content score %s)", label, num != NULL ? num : digits);
        PyMem_Free(num);
        if (reason == NULL)
            goto error;
        PyList_SET_ITEM(out, k, reason);
        if (slot >= 0)
            memo[slot][q] = Py_NewRef(reason);
    }
    reasons_memo_free(memo_label, memo, nmemo);
    return out;
error:
    reasons_memo_free(memo_label, memo, nmemo);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"configure", sp_configure, METH_VARARGS, "Hand over features.py's constants (called once by features.py)."},
    {"line_features", sp_line_features, METH_VARARGS, "features.line_features(lines, blank_before, stop), in C."},
    {"context_features", sp_context_features, METH_VARARGS, "features.context_features(p1, stats, words), in C."},
    {"scores", sp_scores, METH_VARARGS,
     "scores(lines, blank_before, stop, coef1, intercept1, coef2, intercept2[, low, offsets, changed]) -> (p2, stats)."},
    {"decide_keep", sp_decide_keep, METH_VARARGS,
     "decide_keep(lines, p, nwords, sent, stop, t, penalty, region_gap, region_keep, prose_guard, prose_guard_lines, "
     "prose_guard_all, lead) -> (keep, span): model._decide_keep_py, in C."},
    {"drop_labels", sp_drop_labels, METH_VARARGS,
     "drop_labels(lines, keep, nwords, furn, short_run, footer_lines, footer, found, bs, be): model._drop_labels_py, in C."},
    {"digit_lines", sp_digit_lines, METH_VARARGS, "digit_lines(text, offsets): the lines holding a decimal digit."},
    {"dup_scan", sp_dup_scan, METH_VARARGS, "dup_scan(keys, skip, headline, complete, min_near, k, containment, max_postings): D001's scan of an article."},
    {"word_keys", sp_word_keys, METH_VARARGS,
     "word_keys(texts, indices, min_words, shortest, max_chars, max_words) -> each line's folded words, joined "
     "(D001's keys, T001's openings)."},
    {"furniture_lines", sp_furniture_lines, METH_VARARGS,
     "furniture_lines(joined, offsets, live, vocabulary, max_len, max_words) -> U001's candidate positions (ui.py)."},
    {"casefold", sp_casefold, METH_O, "casefold(text) -> text.casefold(), from a table of the characters' folds."},
    {"dup_shingles", sp_dup_shingles, METH_VARARGS,
     "dup_shingles(folded, min_words, min_near, k) -> None | (key, n, grams | None) (duplicates.py)."},
    {"word_count", sp_word_count, METH_O, "word_count(text) -> len(re.findall(r'\\w+', text)) (shapes.py)."},
    {"column", sp_column, METH_VARARGS,
     "column(rows, k, positions=False) -> [row[k] for row in rows], or {row[k]: i} (rules/base.py)."},
    {"number_list", sp_number_list, METH_VARARGS,
     "number_list(lines, spare) -> each line's index by its number as a list, or None when too sparse (engine.py)."},
    {"still_live", sp_still_live, METH_VARARGS,
     "still_live(live, alive) -> [i for i in live if alive[i]] (engine.py)."},
    {"apply_removals", sp_apply_removals, METH_VARARGS,
     "apply_removals(indices, decisions, alive, out) -> lines removed: a batch of removals applied (engine.py)."},
    {"line_offsets", sp_line_offsets, METH_O,
     "line_offsets(texts) -> where each text starts in '\\n'.join(texts), and one past the end (rules/base.py)."},
    {"split_lines", sp_split_lines, METH_VARARGS,
     "split_lines(text, line_type, separator) -> (lines, hard starts): textio.prepare's loop."},
    {"stop_texts", sp_stop_texts, METH_O, "stop_texts(texts): the vote index built from the stoplists' texts; the number of words of each."},
    {"stop_table", sp_stop_table, METH_NOARGS, "stop_table(): the vote index as bytes, for stop_load()"},
    {"stop_load", sp_stop_load, METH_O,
     "stop_load(table): the vote index from stop_table()'s bytes (ValueError for any other); the number of words of each language"},
    {"longest_lines", sp_longest_lines, METH_VARARGS,
     "longest_lines(lines, k): the indices of the k longest lines, ascending (heapq.nlargest's choice)"},
    {"vote", sp_vote, METH_VARARGS, "vote(lines, max_words, nlangs) -> the stop-word votes of each language (features.py)."},
    {"group_lines", sp_group_lines, METH_VARARGS,
     "group_lines(text, offsets, literals, masks, ngroups) -> per group, the lines holding one of its literals."},
    {"holds_control", sp_holds_control, METH_O, "holds_control(text): whether text holds a control character or a surrogate."},
    {"holds_surrogate", sp_holds_surrogate, METH_O, "holds_surrogate(text): whether text holds a lone surrogate."},
    {"scrub", sp_scrub, METH_O, "scrub(text) -> (text, surrogates, controls): lone surrogates replaced, controls dropped."},
    {"lower_pairs", sp_lower_pairs, METH_NOARGS, "lower_pairs(): [(ch, lower)] of the code points whose simple lower case is another."},
    {"json_string", sp_json_string, METH_O, "json_string(text): text as a JSON string, as json.encoder.encode_basestring writes it."},
    {"json_record", sp_json_record, METH_O,
     "json_record(line) -> the flat JSON object a --jsonl line (bytes) holds, as json.loads reads it, or None."},
    {"name_shaped", sp_name_shaped, METH_O, "name_shaped(text) -> whether credits._NAME matches text (B001)."},
    {"byline_candidates", sp_byline_candidates, METH_VARARGS,
     "byline_candidates(texts, indices, end, max_len, first) -> the positions of the lines B001 can take."},
    {"prose_position", sp_prose_position, METH_VARARGS,
     "prose_position(texts, indices, min_words, reverse, closers, marks): the first (last) prose line's position, or -1."},
    {"date_hint_lines", sp_date_hint_lines, METH_VARARGS,
     "date_hint_lines(text, offsets, lines): the lines credits._DATE_HINT matches (B003)."},
    {"stamp_hint_lines", sp_stamp_hint_lines, METH_VARARGS,
     "stamp_hint_lines(text, offsets, lines): the lines comments._STAMP_HINT matches (M002)."},
    {"lower_text", sp_lower_text, METH_O, "lower_text(text): text.lower() with 'İ' as 'i' (the same length)."},
    {"literal_set", sp_literal_set, METH_O, "literal_set(literals): the literals' chains, built once for find_any."},
    {"removal_batch", sp_removal_batch, METH_VARARGS,
     "removal_batch(cls, action, code, rule, lines, texts, indices, reasons): Rule.removals' decisions."},
    {"score_reasons", sp_score_reasons, METH_VARARGS,
     "score_reasons(indices, labels, scores): M001's reasons, f\"{label} (content score {score:.2f})\"."},
    {"literals_in", sp_literals_in, METH_VARARGS,
     "literals_in(text, literals) -> the indices of the literals that occur in text (prefilter.BranchSearch)."},
    {"find_any", sp_find_any, METH_VARARGS,
     "find_any(text, literals) -> ascending positions where one of the literals starts (prefilter.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "cleaner._speedups",
    "C accelerator for the main-content classifier, the literal prefilters and D001 (see cleaner/_speedups.c).", -1,
    methods,
};

static int
intern(PyObject **slot, const char *s)
{
    *slot = PyUnicode_InternFromString(s);
    return *slot == NULL ? -1 : 0;
}

PyMODINIT_FUNC
PyInit__speedups(void)
{
    if (intern(&cfg_empty, "") < 0 || intern(&s_dash, " - ") < 0 || intern(&s_lower, "lower") < 0 ||
        intern(&s_upper, "upper") < 0 || intern(&s_casefold, "casefold") < 0 || intern(&k_nwords, "nwords") < 0 || intern(&k_sent, "sent") < 0 ||
        intern(&k_stop, "stop") < 0 || intern(&k_furniture, "furniture") < 0 ||
        intern(&k_short_run, "short_run") < 0 || intern(&k_block_id, "block_id") < 0 ||
        intern(&k_region, "region") < 0 || intern(&k_mass, "mass") < 0 || intern(&k_items, "items") < 0 ||
        intern(&k_p1, "p1") < 0 ||
        intern(&f_action, "action") < 0 || intern(&f_code, "code") < 0 || intern(&f_rule, "rule") < 0 ||
        intern(&f_line, "line") < 0 || intern(&f_start, "start") < 0 || intern(&f_end, "end") < 0 ||
        intern(&f_text, "text") < 0 || intern(&f_reason, "reason") < 0 || intern(&f_replacement, "replacement") < 0 ||
        intern(&f_field, "field") < 0 || intern(&l_prompt, "prompt") < 0 || intern(&l_footer, "footer") < 0 ||
        intern(&l_comments, "comments") < 0 || intern(&l_navigation, "navigation") < 0 ||
        intern(&l_link_list, "link-list") < 0 || intern(&l_outside, "outside-article") < 0 ||
        intern(&l_boilerplate, "boilerplate") < 0)
        return NULL;
    if ((float_zero = PyFloat_FromDouble(0.0)) == NULL || (float_one = PyFloat_FromDouble(1.0)) == NULL)
        return NULL;
    for (int k = 0; k < 2; k++) {
        PyObject *constant = PyUnicode_FromString(k ? "stored_hash key 1" : "stored_hash key 0");
        const Py_hash_t h = constant != NULL ? PyObject_Hash(constant) : -1;
        Py_XDECREF(constant);
        if (h == -1)
            return NULL;
        *(k ? &stored_key1 : &stored_key0) = (uint64_t)h;
    }
    fill_ilog_table();
    for (Py_UCS4 ch = 0; ch < 256; ch++) {
        latin1_lower[ch] = (Py_UCS1)Py_UNICODE_TOLOWER(ch);
        latin1_word[ch] = (unsigned char)word_char_of(ch);
    }
    fill_latin1_control();
    fill_json_escape();
    fill_latin1_mark();
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    /* the regexes of features.py this file implements itself (features.py checks them) */
    PyObject *pats = Py_BuildValue("{ssssss}", "word", "\\w+", "non_digit", "\\D+", "date",
                                   "\\d{1,4}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}:\\d{2}|(?:19|20)\\d\\d");
    if (pats == NULL || PyModule_AddObject(m, "PATTERNS", pats) < 0) {
        Py_XDECREF(pats);
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "N_LINE_FEATURES", NLF) < 0 ||
        PyModule_AddIntConstant(m, "N_CONTEXT_FEATURES", NCF) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
