/*
 * Optional C kernel of langdetect 1.0.9's detection (cleaner/language.py uses it).
 *
 * langdetect's Detector spends its time in three Python loops: the n-gram extraction (one
 * NGram.add_char call per character), the random trials (55 multiplications per sampled
 * n-gram, in a Python loop) and the normalisations. This file runs the same three loops in C
 * and returns langdetect's `langprob` list, bit for bit:
 *
 *  - the space collapse of Detector.append, Detector.cleaning_text (whose block test compares
 *    an int with a str, so every character from U+0300 up counts as non-Latin), and the n-gram
 *    buffer of NGram.add_char, with NGram.normalize itself called back (once per BMP character,
 *    then remembered) and str.isupper as Py_UNICODE_ISUPPER, which is what it is for one
 *    character;
 *  - the trials of Detector._detect_block with CPython's own random generator: its Mersenne
 *    Twister state after seeding comes from random.Random(seed).getstate(); genrand_uint32,
 *    random(), getrandbits(k <= 32), Random._randbelow_with_getrandbits (choice) and
 *    Random.gauss (with its cached second value) are mirrored operation for operation, with
 *    libm's log/sqrt/cos/sin as CPython's math module calls them;
 *  - _update_lang_prob and _normalize_prob in the same float operations and order, with
 *    sum() as the running interpreter does it (plain left to right before 3.12, Neumaier
 *    compensated from 3.12 on).
 *
 * cleaner/language.py checks at configure time that langdetect is version 1.0.9 and that one
 * detection through this kernel equals langdetect's own; otherwise it uses langdetect. Tests
 * (tests/test_language.py) compare the two on the benchmark articles and on generated text of
 * many scripts. Build: setup.py, -ffp-contract=off (no fused multiply-adds).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* configuration (once per process)                                          */

#define MT_N 624
#define MT_M 397
#define MAX_LANGS 255

/* The profiles' n-gram table, sparse: langdetect's row of an n-gram (one float per language,
 * 0.0 where a language's profile lacks it) is the run of (language, probability) pairs at
 * [start, start + count) of pair_lang/pair_prob. Found by the n-gram's key, open addressing. */
typedef struct {
    uint64_t key; /* 0: empty */
    uint32_t start, count;
} GEntry;

typedef struct {
    PyObject *normalize;         /* NGram.normalize */
    Py_ssize_t n_langs;          /* 0: not configured */
    uint32_t seed_state[MT_N];   /* the generator after seed() */
    int seed_index;
    GEntry *gt;
    size_t gt_mask;
    unsigned char *pair_lang;
    double *pair_prob;
    /* NGram.normalize of each BMP character, filled on first sight; non-BMP characters call it */
    Py_UCS4 *norm_bmp;
    unsigned char *norm_known;
    /* load_table()'s buffer, which gt, pair_lang and pair_prob point into (read, never written);
     * view.obj NULL: the three are this configuration's own memory */
    Py_buffer view;
} Config;

/* The configuration in use. configure() builds a new one aside and swaps it in only when it is
 * complete, and refuses to run while another build or a detection is under way (both run
 * Python code: the profiles' iterator, NGram.normalize), so nothing in use is ever freed. */
static Config cfg = {0};
static int building = 0, detecting = 0;

static uint64_t
gram_key(const Py_UCS4 *g, int n)
{
    uint64_t key = 0;
    for (int k = 0; k < n; k++)
        key = (key << 21) | (uint64_t)(g[k] + 1);
    return key;
}

/* the slot where key's search starts in a table of mask + 1 slots */
static size_t
gram_home(uint64_t key, size_t mask)
{
    /* splitmix64's finaliser: every bit of the key moves the slot (a key's characters sit in
     * separate 21-bit fields, which a single multiplication would leave partly unmixed) */
    uint64_t h = key;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return (size_t)h & mask;
}

/* the entry of key in c's table, or the empty slot where it goes */
static GEntry *
gram_slot(const Config *c, uint64_t key)
{
    size_t i = gram_home(key, c->gt_mask);
    while (c->gt[i].key != key && c->gt[i].key != 0)
        i = (i + 1) & c->gt_mask;
    return &c->gt[i];
}

/* the key of a 1-3 character str, or 0 for any other object */
static uint64_t
word_key(PyObject *word)
{
    if (!PyUnicode_Check(word))
        return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    if (n < 1 || n > 3)
        return 0;
    Py_UCS4 g[3];
    for (Py_ssize_t k = 0; k < n; k++)
        g[k] = PyUnicode_READ_CHAR(word, k);
    return gram_key(g, (int)n);
}

static void
free_config(Config *c)
{
    Py_CLEAR(c->normalize);
    if (c->view.obj != NULL) {
        PyBuffer_Release(&c->view);
    } else {
        PyMem_Free(c->gt);
        PyMem_Free(c->pair_lang);
        PyMem_Free(c->pair_prob);
    }
    PyMem_Free(c->norm_bmp);
    PyMem_Free(c->norm_known);
    memset(c, 0, sizeof(*c));
}

static int
read_state(Config *c, PyObject *state)
{
    /* random.Random(seed).getstate(): (3, (624 words..., index), None) */
    if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) != 3) {
        PyErr_SetString(PyExc_ValueError, "expected random.Random().getstate()");
        return -1;
    }
    PyObject *words = PyTuple_GET_ITEM(state, 1);
    if (!PyTuple_Check(words) || PyTuple_GET_SIZE(words) != MT_N + 1 || PyTuple_GET_ITEM(state, 2) != Py_None) {
        PyErr_SetString(PyExc_ValueError, "unexpected Mersenne Twister state");
        return -1;
    }
    for (int i = 0; i <= MT_N; i++) {
        unsigned long v = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(words, i));
        if (v == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        if (i < MT_N)
            c->seed_state[i] = (uint32_t)v;
        else
            c->seed_index = (int)v;
    }
    if (c->seed_index < 0 || c->seed_index > MT_N) {
        PyErr_SetString(PyExc_ValueError, "unexpected Mersenne Twister index");
        return -1;
    }
    return 0;
}

/* a profile's (freq, n_words), with its three totals as floats; -1 with an exception set */
static int
read_profile(PyObject *item, PyObject **freq, double totals[3])
{
    PyObject *n_words;
    if (!PyArg_ParseTuple(item, "O!O!:profile", &PyDict_Type, freq, &PyList_Type, &n_words))
        return -1;
    if (PyList_GET_SIZE(n_words) < 3) {
        PyErr_SetString(PyExc_ValueError, "a profile's n_words needs three totals");
        return -1;
    }
    for (int k = 0; k < 3; k++) {
        totals[k] = PyFloat_AsDouble(PyList_GET_ITEM(n_words, k)); /* float / int converts the int so */
        if (totals[k] == -1.0 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

/* DetectorFactory.add_profile's probability of a word: 1.0 * count / n_words[len(word) - 1] */
static int
word_prob(PyObject *count, const double totals[3], int len, double *out)
{
    if (!PyLong_Check(count) && !PyFloat_Check(count)) {
        PyErr_SetString(PyExc_TypeError, "a profile's counts must be numbers");
        return -1;
    }
    double c = PyFloat_AsDouble(count); /* 1.0 * count converts an int the same way */
    if (c == -1.0 && PyErr_Occurred())
        return -1;
    if (totals[len - 1] == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "float division by zero");
        return -1;
    }
    *out = c / totals[len - 1];
    return 0;
}

/* The pairs while the table is built: appended profile after profile, each linked to the
 * n-gram's previous pair (its entry's start is the last one), compacted into runs at the end. */
typedef struct {
    unsigned char *lang;
    double *prob;
    uint32_t *prev; /* UINT32_MAX: the n-gram's first pair */
    size_t n, cap;
} Pairs;

static int
pairs_add(Pairs *p, GEntry *e, unsigned char lang, double prob)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 1 << 16;
        if (cap > UINT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "too many n-grams in the profiles");
            return -1;
        }
        unsigned char *l = PyMem_Realloc(p->lang, cap);
        if (l != NULL)
            p->lang = l;
        double *q = PyMem_Realloc(p->prob, cap * sizeof(double));
        if (q != NULL)
            p->prob = q;
        uint32_t *r = PyMem_Realloc(p->prev, cap * sizeof(uint32_t));
        if (r != NULL)
            p->prev = r;
        if (l == NULL || q == NULL || r == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        p->cap = cap;
    }
    p->lang[p->n] = lang;
    p->prob[p->n] = prob;
    p->prev[p->n] = e->count ? e->start : UINT32_MAX;
    e->start = (uint32_t)p->n++;
    e->count++;
    return 0;
}

/* c's table twice as large, its entries placed again; -1 with an exception */
static int
grow_table(Config *c)
{
    size_t old_cap = c->gt_mask + 1, cap = 2 * old_cap;
    GEntry *old = c->gt, *fresh = PyMem_Calloc(cap, sizeof(GEntry));
    if (fresh == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    c->gt = fresh;
    c->gt_mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key != 0)
            *gram_slot(c, old[i].key) = old[i];
    PyMem_Free(old);
    return 0;
}

/* one profile's n-grams into c's table (language ``index``) */
static int
add_profile(Config *c, PyObject *item, Py_ssize_t index, Pairs *pairs, size_t *entries)
{
    PyObject *freq, *word, *count;
    double totals[3];
    if (read_profile(item, &freq, totals) < 0)
        return -1;
    Py_ssize_t pos = 0;
    while (PyDict_Next(freq, &pos, &word, &count)) {
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "a profile's n-grams must be str");
            return -1;
        }
        uint64_t key = word_key(word);
        if (key == 0)
            continue; /* never an n-gram of a text: its row is never read */
        double p;
        if (word_prob(count, totals, (int)PyUnicode_GET_LENGTH(word), &p) < 0)
            return -1;
        GEntry *e = gram_slot(c, key);
        if (e->key == 0) {
            if (2 * (*entries + 1) > c->gt_mask + 1) {
                if (grow_table(c) < 0)
                    return -1;
                e = gram_slot(c, key);
            }
            e->key = key;
            ++*entries;
        }
        if (pairs_add(pairs, e, (unsigned char)index, p) < 0)
            return -1;
    }
    return 0;
}

/* c's table from the profiles, read one at a time from an iterator (so that a caller parsing
 * them lazily holds one at a time); the number of profiles, or -1 with an exception */
static Py_ssize_t
build_table(Config *c, PyObject *profiles)
{
    PyObject *it = PyObject_GetIter(profiles);
    if (it == NULL)
        return -1;
    Pairs pairs = {0};
    size_t entries = 0;
    Py_ssize_t index = 0;
    c->gt = PyMem_Calloc(1 << 16, sizeof(GEntry));
    if (c->gt == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    c->gt_mask = (1 << 16) - 1;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int err = index >= MAX_LANGS ? -1 : add_profile(c, item, index, &pairs, &entries);
        Py_DECREF(item);
        if (err < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "more than 255 profiles");
            goto fail;
        }
        index++;
    }
    if (PyErr_Occurred())
        goto fail;
    /* each n-gram's pairs as one run, in the order of the profiles */
    c->pair_lang = PyMem_Malloc(pairs.n + 1);
    c->pair_prob = PyMem_Malloc((pairs.n + 1) * sizeof(double));
    if (c->pair_lang == NULL || c->pair_prob == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    uint32_t at = 0;
    for (size_t i = 0; i <= c->gt_mask; i++) {
        GEntry *e = &c->gt[i];
        uint32_t k = e->start;
        for (uint32_t q = e->count; q-- > 0; k = pairs.prev[k]) {
            c->pair_lang[at + q] = pairs.lang[k];
            c->pair_prob[at + q] = pairs.prob[k];
        }
        e->start = at;
        at += e->count;
    }
    Py_DECREF(it);
    PyMem_Free(pairs.lang);
    PyMem_Free(pairs.prob);
    PyMem_Free(pairs.prev);
    return index;
fail:
    Py_DECREF(it);
    PyMem_Free(pairs.lang);
    PyMem_Free(pairs.prob);
    PyMem_Free(pairs.prev);
    return -1;
}

/* The table as bytes (table()) and back (load_table()), in the layout it has in memory, so
 * that a process reads a kept table where it lies (a file mapped into memory: nothing copied,
 * no hash table built again): a header; the open-addressing table's slots as they are (empty
 * ones included: key 0); the pairs' languages, padded to eight bytes; their probabilities. In
 * this machine's byte order (a cache of this machine's, cleaner/language.py; the header's
 * ``order`` word checks it). */
typedef struct {
    char magic[8];      /* "cldtab2" */
    uint32_t order;     /* TABLE_ORDER as written */
    uint32_t n_langs;
    uint64_t cap;       /* the open-addressing table's slots, a power of two */
    uint64_t n_entries; /* n-grams: the slots in use */
    uint64_t n_pairs;
} TableHeader;

#define TABLE_MAGIC "cldtab2"
#define TABLE_ORDER 0x01020304u
_Static_assert(sizeof(GEntry) == 16 && sizeof(TableHeader) == 40, "the table's layout on disk");

/* the bytes the pairs' languages take, padded so that the probabilities after them are aligned */
static uint64_t
langs_bytes(uint64_t n_pairs)
{
    return (n_pairs + 7) & ~(uint64_t)7;
}

/* table(): the configured table as bytes, for load_table() */
static PyObject *
ld_table(PyObject *self, PyObject *unused)
{
    if (cfg.n_langs == 0) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    const size_t cap = cfg.gt_mask + 1;
    size_t n_entries = 0, n_pairs = 0;
    for (size_t i = 0; i < cap; i++)
        if (cfg.gt[i].key != 0) {
            n_entries++;
            n_pairs += cfg.gt[i].count;
        }
    const size_t lb = (size_t)langs_bytes(n_pairs);
    const size_t size = sizeof(TableHeader) + cap * sizeof(GEntry) + lb + n_pairs * sizeof(double);
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (out == NULL)
        return NULL;
    char *at = PyBytes_AS_STRING(out);
    TableHeader h = {TABLE_MAGIC, TABLE_ORDER, (uint32_t)cfg.n_langs, cap, n_entries, n_pairs};
    memcpy(at, &h, sizeof(h));
    at += sizeof(h);
    memcpy(at, cfg.gt, cap * sizeof(GEntry));
    at += cap * sizeof(GEntry);
    memcpy(at, cfg.pair_lang, n_pairs);
    memset(at + n_pairs, 0, lb - n_pairs);
    memcpy(at + lb, cfg.pair_prob, n_pairs * sizeof(double));
    return out;
}

/* c's table pointed into table()'s bytes in ``view`` (which c then holds), every field checked
 * first (a damaged or foreign blob is a ValueError, never a read out of bounds nor a search
 * without end): the number of languages, or -1 with an exception (``view`` still the caller's).
 * Each n-gram must sit where the search for it finds it, so the table is the one table() wrote
 * and nothing is found twice; the probabilities, which no structure checks, are the caller's
 * checksum's. */
static Py_ssize_t
map_table(Config *c, Py_buffer *view)
{
    const char *data = view->buf;
    const uint64_t size = (uint64_t)view->len;
    TableHeader h;
    if (size < sizeof(h) || (uintptr_t)data % sizeof(double) != 0)
        goto bad;
    memcpy(&h, data, sizeof(h));
    if (memcmp(h.magic, TABLE_MAGIC, sizeof(h.magic)) != 0 || h.order != TABLE_ORDER || h.n_langs < 1 ||
        h.n_langs > MAX_LANGS || h.cap < 2 || (h.cap & (h.cap - 1)) != 0 || h.cap > size / sizeof(GEntry) ||
        h.n_entries > h.cap / 2 || h.n_pairs > UINT32_MAX ||
        size - sizeof(h) != h.cap * sizeof(GEntry) + langs_bytes(h.n_pairs) + h.n_pairs * sizeof(double))
        goto bad;
    const GEntry *gt = (const GEntry *)(data + sizeof(h));
    const unsigned char *langs = (const unsigned char *)(gt + h.cap);
    const size_t mask = (size_t)h.cap - 1;
    uint64_t found = 0, steps = 0;
    for (size_t i = 0; i <= mask; i++) {
        const GEntry e = gt[i];
        if (e.key == 0)
            continue; /* an empty slot: its start and count are never read */
        if (e.count == 0 || (uint64_t)e.start + e.count > h.n_pairs)
            goto bad;
        found++;
        /* from its home slot to here: no empty slot (the search would stop there) and not the
         * same key (found there first); a table the builder made (at most half full) walks a
         * slot or two an entry, a crafted one is refused past 64 steps an entry */
        for (size_t j = gram_home(e.key, mask); j != i; j = (j + 1) & mask)
            if (gt[j].key == 0 || gt[j].key == e.key || ++steps > 64 * h.cap)
                goto bad;
    }
    if (found != h.n_entries)
        goto bad;
    for (uint64_t k = 0; k < h.n_pairs; k++)
        if (langs[k] >= h.n_langs)
            goto bad;
    c->gt = (GEntry *)gt; /* read only: a loaded configuration is never built on */
    c->gt_mask = mask;
    c->pair_lang = (unsigned char *)langs;
    c->pair_prob = (double *)(data + sizeof(h) + h.cap * sizeof(GEntry) + langs_bytes(h.n_pairs));
    return (Py_ssize_t)h.n_langs;
bad:
    PyErr_SetString(PyExc_ValueError, "load_table: not a table this kernel wrote");
    return -1;
}

/* configure() and load_table(): a new configuration built aside from ``profiles`` (an
 * iterable of profiles), or pointed into ``view`` (table()'s bytes, which the configuration
 * then holds; released here if it is refused), and swapped in whole */
static PyObject *
configure_from(PyObject *profiles, Py_buffer *view, PyObject *norm, PyObject *state, const char *who)
{
    Config fresh = {0};
    if (!PyCallable_Check(norm)) {
        PyErr_Format(PyExc_TypeError, "%s: normalize must be callable", who);
        goto refused;
    }
    if (building || detecting) {
        PyErr_Format(PyExc_RuntimeError, "%s: a configuration or a detection is under way", who);
        goto refused;
    }
    fresh.norm_bmp = PyMem_Malloc(0x10000 * sizeof(Py_UCS4));
    fresh.norm_known = PyMem_Calloc(0x10000, 1);
    if (fresh.norm_bmp == NULL || fresh.norm_known == NULL) {
        PyErr_NoMemory();
        goto refused;
    }
    building = 1;
    Py_ssize_t langs = -1;
    if (read_state(&fresh, state) == 0)
        langs = view != NULL ? map_table(&fresh, view) : build_table(&fresh, profiles);
    building = 0;
    if (langs > 0 && view != NULL)
        fresh.view = *view; /* the table's arrays point into it: held until this configuration goes */
    if (langs == 0)
        PyErr_Format(PyExc_ValueError, "%s: no profile", who);
    if (langs <= 0)
        goto refused;
    fresh.normalize = Py_NewRef(norm);
    fresh.n_langs = langs;
    free_config(&cfg);
    cfg = fresh;
    Py_RETURN_NONE;
refused:
    if (view != NULL && fresh.view.obj == NULL)
        PyBuffer_Release(view);
    free_config(&fresh);
    return NULL;
}

static PyObject *
ld_configure(PyObject *self, PyObject *args)
{
    PyObject *profiles, *norm, *state;
    if (!PyArg_ParseTuple(args, "OOO:configure", &profiles, &norm, &state))
        return NULL;
    return configure_from(profiles, NULL, norm, state, "configure");
}

static PyObject *
ld_load_table(PyObject *self, PyObject *args)
{
    PyObject *norm, *state;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*OO:load_table", &view, &norm, &state))
        return NULL;
    return configure_from(NULL, &view, norm, state, "load_table");
}

/* row(word): the table's row of a word as langdetect's list of floats, or None */
static PyObject *
ld_row(PyObject *self, PyObject *word)
{
    if (cfg.n_langs == 0) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    uint64_t key = word_key(word);
    GEntry *e = key ? gram_slot(&cfg, key) : NULL;
    if (e == NULL || e->key == 0)
        Py_RETURN_NONE;
    PyObject *row = PyList_New(cfg.n_langs), *zero = PyFloat_FromDouble(0.0);
    if (row == NULL || zero == NULL) {
        Py_XDECREF(row);
        Py_XDECREF(zero);
        return NULL;
    }
    for (Py_ssize_t j = 0; j < cfg.n_langs; j++)
        PyList_SET_ITEM(row, j, Py_NewRef(zero));
    Py_DECREF(zero);
    for (uint32_t k = e->start; k < e->start + e->count; k++) {
        PyObject *f = PyFloat_FromDouble(cfg.pair_prob[k]);
        if (f == NULL) {
            Py_DECREF(row);
            return NULL;
        }
        Py_SETREF(PyList_GET_ITEM(row, cfg.pair_lang[k]), f);
    }
    return row;
}

/* NGram.normalize(ch), or (Py_UCS4)-1 with an exception set */
static Py_UCS4
norm_char(Py_UCS4 ch)
{
    if (ch < 0x10000 && cfg.norm_known[ch])
        return cfg.norm_bmp[ch];
    PyObject *s = PyUnicode_FromOrdinal((int)ch);
    if (s == NULL)
        return (Py_UCS4)-1;
    PyObject *r = PyObject_CallOneArg(cfg.normalize, s);
    Py_DECREF(s);
    if (r == NULL)
        return (Py_UCS4)-1;
    if (!PyUnicode_Check(r) || PyUnicode_GET_LENGTH(r) != 1) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_ValueError, "NGram.normalize must return one character");
        return (Py_UCS4)-1;
    }
    Py_UCS4 out = PyUnicode_READ_CHAR(r, 0);
    Py_DECREF(r);
    if (ch < 0x10000) {
        cfg.norm_bmp[ch] = out;
        cfg.norm_known[ch] = 1;
    }
    return out;
}

/* ------------------------------------------------------------------------ */
/* CPython's random module, mirrored (Modules/_randommodule.c, Lib/random.py) */

typedef struct {
    uint32_t mt[MT_N];
    int index;
    int has_gauss_next;
    double gauss_next;
} Rng;

static uint32_t
genrand_uint32(Rng *r)
{
    static const uint32_t mag01[2] = {0x0U, 0x9908b0dfU};
    uint32_t y;
    uint32_t *mt = r->mt;
    if (r->index >= MT_N) {
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 0x1U];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & 0x80000000U) | (mt[kk + 1] & 0x7fffffffU);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 0x1U];
        }
        y = (mt[MT_N - 1] & 0x80000000U) | (mt[0] & 0x7fffffffU);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 0x1U];
        r->index = 0;
    }
    y = mt[r->index++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

/* random.random() */
static double
rng_random(Rng *r)
{
    uint32_t a = genrand_uint32(r) >> 5, b = genrand_uint32(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* random.choice(seq) of a sequence of n items: _randbelow_with_getrandbits(n), n < 2**32 */
static Py_ssize_t
rng_below(Rng *r, Py_ssize_t n)
{
    int k = 0;
    for (Py_ssize_t m = n; m; m >>= 1)
        k++; /* n.bit_length() */
    uint32_t v = genrand_uint32(r) >> (32 - k);
    while ((Py_ssize_t)v >= n)
        v = genrand_uint32(r) >> (32 - k);
    return (Py_ssize_t)v;
}

/* random.gauss(0.0, 1.0) */
static double
rng_gauss(Rng *r)
{
    double z;
    if (r->has_gauss_next) {
        z = r->gauss_next;
        r->has_gauss_next = 0;
    }
    else {
        double x2pi = rng_random(r) * (2.0 * 3.141592653589793);
        double g2rad = sqrt(-2.0 * log(1.0 - rng_random(r)));
        z = cos(x2pi) * g2rad;
        r->gauss_next = sin(x2pi) * g2rad;
        r->has_gauss_next = 1;
    }
    return 0.0 + z * 1.0;
}

/* sum(prob) as the builtin adds a list of floats (started from the int 0) */
static double
py_sum(const double *p, Py_ssize_t n)
{
    double s = 0.0 + p[0];
#if PY_VERSION_HEX >= 0x030C0000
    double c = 0.0;
    for (Py_ssize_t i = 1; i < n; i++) {
        double x = p[i], t = s + x;
        if (fabs(s) >= fabs(x))
            c += (s - t) + x;
        else
            c += (x - t) + s;
        s = t;
    }
    if (c && isfinite(c))
        s += c;
#else
    for (Py_ssize_t i = 1; i < n; i++)
        s += p[i];
#endif
    return s;
}

/* ------------------------------------------------------------------------ */
/* detection                                                                 */

/* the text Detector.append keeps (runs of ' ' collapsed, cut at max_len) after cleaning_text */
static Py_UCS4 *
prepared_text(PyObject *text, Py_ssize_t max_len, Py_ssize_t *out_n)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    if (len > max_len)
        len = max_len;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 *buf = PyMem_Malloc((len + 1) * sizeof(Py_UCS4));
    if (buf == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t n = 0, latin = 0, non_latin = 0;
    Py_UCS4 pre = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch != ' ' || pre != ' ') {
            buf[n++] = ch;
            if (ch >= 'A' && ch <= 'z')
                latin++;
            else if (ch >= 0x300)
                non_latin++;
        }
        pre = ch;
    }
    if (latin * 2 < non_latin) {
        Py_ssize_t m = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            if (buf[i] < 'A' || buf[i] > 'z')
                buf[m++] = buf[i];
        n = m;
    }
    *out_n = n;
    return buf;
}

/* Detector._extract_ngrams: the table entries of the n-grams found, in order; -1 on error */
static Py_ssize_t
extract_rows(const Py_UCS4 *text, Py_ssize_t n, const GEntry **rows)
{
    Py_UCS4 g[3] = {' ', 0, 0};
    int glen = 1, capital = 0;
    Py_ssize_t found = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = norm_char(text[i]);
        if (ch == (Py_UCS4)-1)
            return -1;
        Py_UCS4 last = g[glen - 1];
        if (last == ' ') {
            g[0] = ' ';
            glen = 1;
            capital = 0;
            if (ch == ' ')
                continue;
        }
        else if (glen >= 3) {
            g[0] = g[1];
            g[1] = g[2];
            glen = 2;
        }
        g[glen++] = ch;
        if (Py_UNICODE_ISUPPER(ch)) {
            if (Py_UNICODE_ISUPPER(last))
                capital = 1;
        }
        else
            capital = 0;
        if (capital)
            continue;
        for (int k = 1; k <= 3 && k <= glen; k++) {
            if (k == 1 && ch == ' ')
                continue;
            const GEntry *e = gram_slot(&cfg, gram_key(g + glen - k, k));
            if (e->key != 0)
                rows[found++] = e;
        }
    }
    return found;
}

static double
normalize_prob(double *prob, Py_ssize_t n)
{
    double maxp = 0.0, sump = py_sum(prob, n);
    for (Py_ssize_t i = 0; i < n; i++) {
        double p = prob[i] / sump;
        if (maxp < p)
            maxp = p;
        prob[i] = p;
    }
    return maxp;
}

static PyObject *
ld_detect(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t n_trial, iteration_limit, max_len;
    double alpha0, alpha_width, conv, base_freq;
    if (!PyArg_ParseTuple(args, "Unddnddn:detect", &text, &n_trial, &alpha0, &alpha_width, &iteration_limit,
                          &conv, &base_freq, &max_len))
        return NULL;
    if (cfg.n_langs == 0) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    /* as langdetect: no trial for n_trial <= 0 (a langprob of zeros), no text for max_len < 0 */
    Py_ssize_t n;
    Py_UCS4 *chars = prepared_text(text, max_len < 0 ? 0 : max_len, &n);
    if (chars == NULL)
        return NULL;
    detecting++; /* NGram.normalize may run: configure() must wait */
    const GEntry **rows = PyMem_Malloc((3 * n + 1) * sizeof(GEntry *));
    double *prob = PyMem_Malloc(3 * cfg.n_langs * sizeof(double));
    Rng *rng = PyMem_Malloc(sizeof(Rng));
    PyObject *result = NULL;
    if (rows == NULL || prob == NULL || rng == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t found = extract_rows(chars, n, rows);
    if (found < 0)
        goto done;
    if (found == 0) {
        result = Py_NewRef(Py_None); /* langdetect: "No features in text." */
        goto done;
    }
    if ((uint64_t)found > UINT32_MAX) { /* rng_below draws at most 32 bits */
        PyErr_SetString(PyExc_OverflowError, "detect: over 2**32 n-grams");
        goto done;
    }
    memcpy(rng->mt, cfg.seed_state, sizeof(cfg.seed_state));
    rng->index = cfg.seed_index;
    rng->has_gauss_next = 0;
    double *langprob = prob + cfg.n_langs, *factor = prob + 2 * cfg.n_langs;
    for (Py_ssize_t j = 0; j < cfg.n_langs; j++)
        langprob[j] = 0.0;
    for (Py_ssize_t t = 0; t < n_trial; t++) {
        for (Py_ssize_t j = 0; j < cfg.n_langs; j++)
            prob[j] = 1.0 / (double)cfg.n_langs;
        double alpha = alpha0 + rng_gauss(rng) * alpha_width;
        for (Py_ssize_t i = 0;; i++) {
            const GEntry *e = rows[rng_below(rng, found)];
            double weight = alpha / base_freq;
            /* prob[j] *= weight + row[j], with the row's 0.0 where a profile lacks the n-gram */
            for (Py_ssize_t j = 0; j < cfg.n_langs; j++)
                factor[j] = weight + 0.0;
            for (uint32_t k = e->start; k < e->start + e->count; k++)
                factor[cfg.pair_lang[k]] = weight + cfg.pair_prob[k];
            for (Py_ssize_t j = 0; j < cfg.n_langs; j++)
                prob[j] *= factor[j];
            if (i % 5 == 0 && (normalize_prob(prob, cfg.n_langs) > conv || i >= iteration_limit))
                break;
        }
        for (Py_ssize_t j = 0; j < cfg.n_langs; j++)
            langprob[j] += prob[j] / (double)n_trial;
    }
    result = PyList_New(cfg.n_langs);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < cfg.n_langs; j++) {
        PyObject *f = PyFloat_FromDouble(langprob[j]);
        if (f == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, j, f);
    }
done:
    detecting--;
    PyMem_Free(chars);
    PyMem_Free(rows);
    PyMem_Free(prob);
    PyMem_Free(rng);
    return result;
}

static PyMethodDef methods[] = {
    {"configure", ld_configure, METH_VARARGS,
     "configure(profiles, normalize, random_state): langdetect's profiles, an iterable of (freq, n_words) in "
     "DetectorFactory.load_profile's order, NGram.normalize and random.Random(seed).getstate()"},
    {"table", ld_table, METH_NOARGS, "table(): the configured n-gram table as bytes, for load_table()"},
    {"load_table", ld_load_table, METH_VARARGS,
     "load_table(table, normalize, random_state): configure() from table()'s bytes, read where they lie (any "
     "buffer: bytes, a mapped file; held while the table is in use; ValueError for any other)"},
    {"row", ld_row, METH_O, "row(word): langdetect's word_lang_prob_map[word] from the table, or None"},
    {"detect", ld_detect, METH_VARARGS,
     "detect(text, n_trial, alpha, alpha_width, iteration_limit, conv_threshold, base_freq, max_text_length): "
     "langdetect's langprob list for text (the result of append's regex substitutions), or None without n-grams"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "cleaner._langdetect",
    "C kernel of langdetect 1.0.9's Detector (see cleaner/language.py)", -1, methods,
};

PyMODINIT_FUNC
PyInit__langdetect(void)
{
    return PyModule_Create(&moduledef);
}
