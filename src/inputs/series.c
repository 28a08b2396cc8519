/*
 * series.c — demand time-series files; see series.h.
 */
#include "inputs/series.h"
#include "inputs/files.h"
#include "util/alloc.h"
#include "util/chunkread.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/limits.h"
#include "util/fileio.h"
#include "util/ids.h"
#include "util/numfmt.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <errno.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

typedef struct csv_ctx {
    const char *file;
    ts_diags *d;
    ts_series_set *set;
    size_t first_new;       /* index of the first model added by this file */
    int header_seen;
    int ct, cm, cr;         /* column indexes */
    size_t n_header;        /* fields of the header */
    size_t rows;            /* data rows */
    size_t extra_rows;      /* rows with more fields than the header */
    int extra_line, extra_col;
    size_t last;            /* cache of the last model's index */
    int stop;
    int fast_ok;            /* the header is the three columns alone: rows may take series_fast_line */
    unsigned char *dup;     /* series of earlier files this file repeats (marked bad once the file is read) */
    size_t *index;          /* open addressing: 1 + index of each model added by this file, or 0 */
    size_t index_cap;
    ts_csv_stream *stream;
    int over;               /* the stream is done (a stop or an error): the rest is only read */
    char day[10];           /* the date of the last canonical timestamp read, and its midnight */
    int64_t day_secs;
    int day_valid;
} csv_ctx;

/* The model named by the n bytes at s among those this file added, or NULL. */
static ts_series_acc *find_new(csv_ctx *c, const char *s, size_t n)
{
    if (!c->index_cap)
        return NULL;
    for (size_t h = ts_hash_bytes(s, n) & (c->index_cap - 1);; h = (h + 1) & (c->index_cap - 1)) {
        size_t i = c->index[h];
        if (!i)
            return NULL;
        ts_series_acc *a = &c->set->s[i - 1];
        if (a->model_len == n && memcmp(a->model, s, n) == 0)
            return a;
    }
}

/* Adds series i (added by this file) to the index. Returns TS_OK, or
 * TS_ENOMEM. */
static ts_status index_add(csv_ctx *c, size_t i)
{
    size_t added = i - c->first_new + 1;
    if (2 * added > c->index_cap) {
        size_t cap = c->index_cap ? 2 * c->index_cap : 64;
        size_t *ix = ts_calloc(cap, sizeof *ix);
        if (!ix)
            return TS_ENOMEM;
        free(c->index);
        c->index = ix;
        c->index_cap = cap;
        for (size_t k = c->first_new; k < i; k++)
            (void)index_add(c, k); /* TS_OK: the new table has room for them */
    }
    const ts_series_acc *a = &c->set->s[i];
    size_t h = ts_hash_bytes(a->model, a->model_len) & (c->index_cap - 1);
    while (c->index[h])
        h = (h + 1) & (c->index_cap - 1);
    c->index[h] = i + 1;
    return TS_OK;
}

static ts_series_acc *find_series(csv_ctx *c, const char *model)
{
    ts_series_set *set = c->set;
    if (c->last < set->n && strcmp(set->s[c->last].model, model) == 0)
        return &set->s[c->last];
    ts_series_acc *a = find_new(c, model, strlen(model));
    if (a) {
        c->last = (size_t)(a - set->s);
        return a;
    }
    for (size_t i = 0; i < c->first_new; i++)
        if (strcmp(set->s[i].model, model) == 0) {
            c->last = i;
            return &set->s[i];
        }
    return NULL;
}

/* The header row: the three columns. Returns 1 (stop) when one is missing. */
static ts_status series_header(csv_ctx *c, const ts_csv_row *row)
{
    c->header_seen = 1;
    c->n_header = row->n;
    c->ct = ts_csv_find(row, "timestamp");
    c->cm = ts_csv_find(row, "model");
    c->cr = ts_csv_find(row, "demand_tokens_per_hour");
    static const char *const need[] = {"timestamp", "model", "demand_tokens_per_hour"};
    int idx[] = {c->ct, c->cm, c->cr};
    for (int i = 0; i < 3; i++)
        if (idx[i] < 0) {
            char hint[160];
            ts_csv_hint(row, need[i], hint, sizeof hint);
            ts_err(c->d, c->file, row->line[0], 1,
                   "missing column %s (%sexpected the header timestamp,model,demand_tokens_per_hour)", need[i], hint);
        }
    c->fast_ok = row->n == 3 && c->ct >= 0 && c->cm >= 0 && c->cr >= 0;
    return (c->ct < 0 || c->cm < 0 || c->cr < 0) ? TS_EINPUT : TS_OK;
}

/* The timestamp and rate cells of a row: TS_OK when both are valid, else
 * TS_EINPUT with an error for each that is not. */
static ts_status series_cells(csv_ctx *c, const ts_csv_row *row, int64_t *t, double *rate)
{
    const char *ts = row->field[c->ct], *rs = row->field[c->cr];
    double frac;
    int ok = 1;
    if (ts_parse_time(ts, t, &frac) != 0) {
        ts_err(c->d, c->file, row->line[c->ct], row->col[c->ct],
               "timestamp is \"%s\" (expected an ISO 8601 UTC time such as 2025-01-01T00:00:00Z)", ts);
        ok = 0;
    } else if (frac != 0.0) {
        ts_err(c->d, c->file, row->line[c->ct], row->col[c->ct],
               "timestamp %s has a fraction of a second (expected whole seconds)", ts);
        ok = 0;
    }
    if (ts_parse_double(rs, rate) != 0 || *rate < 0 || *rate > TS_MAX_TOKENS_PER_HOUR) {
        ts_err(c->d, c->file, row->line[c->cr], row->col[c->cr],
               "demand_tokens_per_hour is \"%s\" (expected a number from 0 to 1e18)", rs);
        ok = 0;
    }
    return ok ? TS_OK : TS_EINPUT;
}

/* A model new to the set, first seen at row. NULL when out of memory. */
static ts_series_acc *add_series(csv_ctx *c, const char *model, const ts_csv_row *row)
{
    ts_series_set *set = c->set;
    ts_series_acc *grown = ts_grow(set->s, set->n, &set->cap, sizeof *set->s, 8);
    if (!grown)
        return NULL;
    set->s = grown;
    ts_series_acc *a = &set->s[set->n];
    memset(a, 0, sizeof *a);
    a->model = ts_strdup(model);
    a->file = ts_strdup(c->file);
    if (!a->model || !a->file) {
        free(a->model);
        free(a->file);
        return NULL;
    }
    a->model_len = strlen(model);
    a->line = row->line[0];
    a->col = row->col[0];
    a->tau = -1;
    c->last = set->n++;
    if (index_add(c, c->last) != TS_OK)
        return NULL; /* set->n counts it: freed with the set */
    return a;
}

/* Appends (t, rate) to a's values. Returns TS_OK, or TS_ENOMEM. */
static ts_status push(ts_series_acc *a, int64_t t, double rate)
{
    double *r = ts_grow(a->rate, a->n, &a->cap, sizeof *a->rate, 256);
    if (!r)
        return TS_ENOMEM;
    a->rate = r;
    a->rate[a->n++] = rate;
    a->t_prev = t;
    return TS_OK;
}

/* Appends (t, rate) to a model's series, checking order and interval.
 * Returns TS_OK, TS_EINPUT after an error (the series is marked bad), or
 * TS_ENOMEM. */
static ts_status series_append(csv_ctx *c, ts_series_acc *a, const ts_csv_row *row, int64_t t, double rate)
{
    const char *ts = row->field[c->ct];
    if (a->n > 0) {
        int64_t step = t - a->t_prev;
        if (step <= 0) {
            ts_err(c->d, c->file, row->line[c->ct], row->col[c->ct],
                   "timestamp %s is not after the previous row of model %s (expected rows of a model in increasing time)",
                   ts, a->model);
            a->bad = 1;
            return TS_EINPUT;
        }
        if (a->tau < 0) {
            a->tau = step;
        } else if (step != a->tau) {
            ts_err(c->d, c->file, row->line[c->ct], row->col[c->ct],
                   "irregular interval: %lld s after the previous row of model %s (expected %lld s, the interval of its first two rows)",
                   (long long)step, a->model, (long long)a->tau);
            a->bad = 1;
            a->irregular = 1;
            a->t_prev = t;
            return TS_EINPUT;
        }
    } else {
        a->start = t;
    }
    return push(a, t, rate);
}

static ts_status on_series_row(void *vctx, const ts_csv_row *row)
{
    csv_ctx *c = vctx;
    ts_diags *d = c->d;
    if (!c->header_seen)
        return series_header(c, row);
    c->rows++;
    if (row->n > c->n_header && c->extra_rows++ == 0) {
        c->extra_line = row->line[c->n_header];
        c->extra_col = row->col[c->n_header];
    }
    size_t need = (size_t)(c->ct > c->cm ? (c->ct > c->cr ? c->ct : c->cr) : (c->cm > c->cr ? c->cm : c->cr)) + 1;
    if (row->n < need) {
        ts_err(d, c->file, row->line[0], row->col[0], "the row has %zu fields (expected at least %zu)", row->n, need);
        return TS_OK;
    }
    const char *model = row->field[c->cm];
    int64_t t;
    double rate;
    int ok = series_cells(c, row, &t, &rate) == TS_OK;
    char why[160];
    if (!model[0]) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm], "model is empty (expected a model id)");
        return TS_OK;
    }
    if (!ts_id_valid(model, why, sizeof why)) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm], "%s", why);
        return TS_OK;
    }
    ts_series_acc *a = find_series(c, model);
    if (a && (size_t)(a - c->set->s) < c->first_new) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm],
               "model %s already has a series in %s (expected one series per model)", model, a->file);
        if (!c->dup && !(c->dup = ts_calloc(c->first_new, 1))) {
            d->oom = 1;
            return TS_ENOMEM;
        }
        c->dup[a - c->set->s] = 1;
        return TS_OK;
    }
    if (!a && !(a = add_series(c, model, row))) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    if (ok && a->irregular && !a->order_said) {
        /* rows out of time order show first as an irregular interval */
        if (t <= a->t_prev) {
            ts_err(d, c->file, row->line[c->ct], row->col[c->ct],
                   "timestamp %s is not after the previous row of model %s: its rows are out of time order, which "
                   "also explains the irregular interval above (expected rows of a model in increasing time)",
                   row->field[c->ct], model);
            a->order_said = 1;
        }
        a->t_prev = t;
    }
    if (!ok || a->bad) {
        a->bad = 1;
        return TS_OK;
    }
    if (series_append(c, a, row, t, rate) == TS_ENOMEM) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    return TS_OK; /* an error was said: the series is marked bad */
}

/* Whether the line [s, s + len) is three plain fields: true with the two
 * commas at at[], false when the line has another count of commas, a quote, a
 * carriage return, a space or a tab (fields that are trimmed or quoted,
 * left to the generic path). Whole blocks of 16 bytes are compared at
 * once, in place (a copy just written would stall the wide loads). */
static bool two_commas(const char *s, size_t len, size_t at[2])
{
    int n = 0;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                  sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)));
        if (_mm_movemask_epi8(bad))
            return false;
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)); m; m &= m - 1) {
            if (n == 2)
                return false;
            at[n++] = i + (size_t)__builtin_ctz(m);
        }
    }
#endif
    for (; i < len; i++) {
        char ch = s[i];
        if (ch == '"' || ch == '\r' || ch == ' ' || ch == '\t')
            return false;
        if (ch == ',') {
            if (n == 2)
                return false;
            at[n++] = i;
        }
    }
    return n == 2;
}

/* Whether the n bytes at a and at b are the same, compared eight at a
 * time (a model id or a date: a call to memcmp costs more than that). */
static int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Whether s starts with two digits: true with their value in *v. */
static bool two_digits(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

/* ts_parse_time's seconds of the n-byte timestamp s when it is whole
 * seconds: a canonical YYYY-MM-DDTHH:MM:SSZ whose date is the last one's
 * is read from its time alone (the date was checked with the last one).
 * Returns TS_OK, or TS_EINPUT where ts_parse_time refuses it or finds a
 * fraction. */
static ts_status fast_time(csv_ctx *c, const char *s, size_t n, int64_t *t)
{
    int canonical = n == 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z';
    int h, mi, se;
    if (canonical && c->day_valid && same_bytes(s, c->day, 10)) {
        if (!two_digits(s + 11, &h) || !two_digits(s + 14, &mi) || !two_digits(s + 17, &se) || h > 23 || mi > 59 ||
            se > 59)
            return TS_EINPUT;
        *t = c->day_secs + h * 3600 + mi * 60 + se;
        return TS_OK;
    }
    char z[64];
    double frac;
    if (n >= sizeof z)
        return TS_EINPUT;
    memcpy(z, s, n);
    z[n] = '\0';
    if (ts_parse_time(z, t, &frac) != TS_OK || frac != 0.0)
        return TS_EINPUT;
    if (canonical && two_digits(s + 11, &h) && two_digits(s + 14, &mi) && two_digits(s + 17, &se)) {
        memcpy(c->day, s, 10);
        c->day_secs = *t - (h * 3600 + mi * 60 + se);
        c->day_valid = 1;
    }
    return TS_OK;
}

/* A row of a model this file already holds, whose cells are valid and
 * whose time is the next at its interval: appended at once, with exactly
 * what on_series_row would do. Anything else (a new model, a bad cell, a
 * gap, spaces or quotes) is left to on_series_row, which says what is
 * wrong. Sets *took (1 taken, 0 left); returns TS_OK, or TS_ENOMEM (a
 * line taken and lost: stop). */
static ts_status series_fast_line(void *vctx, const char *s, const char *e, int line, int *took)
{
    csv_ctx *c = vctx;
    (void)line;
    *took = 0;
    size_t len = (size_t)(e - s), at[2];
    if (!c->fast_ok || !two_commas(s, len, at))
        return TS_OK;
    const char *f[3] = {s, s + at[0] + 1, s + at[1] + 1};
    size_t fl[3] = {at[0], at[1] - at[0] - 1, len - at[1] - 1};
    ts_series_acc *a = NULL;
    const ts_series_set *set = c->set;
    if (c->last < set->n && c->last >= c->first_new && set->s[c->last].model_len == fl[c->cm] &&
        same_bytes(set->s[c->last].model, f[c->cm], fl[c->cm]))
        a = &c->set->s[c->last];
    else if ((a = find_new(c, f[c->cm], fl[c->cm])) != NULL)
        c->last = (size_t)(a - set->s);
    if (!a || a->bad || a->n == 0)
        return TS_OK;
    int64_t t;
    double rate;
    if (fast_time(c, f[c->ct], fl[c->ct], &t) != TS_OK || ts_parse_double_n(f[c->cr], fl[c->cr], &rate) != TS_OK ||
        rate < 0 || rate > TS_MAX_TOKENS_PER_HOUR)
        return TS_OK;
    int64_t step = t - a->t_prev;
    if (step <= 0 || (a->tau >= 0 && step != a->tau))
        return TS_OK;
    if (a->tau < 0)
        a->tau = step;
    c->rows++;
    *took = 1;
    if (push(a, t, rate) != TS_OK) {
        c->d->oom = 1;
        return TS_ENOMEM;
    }
    return TS_OK;
}

/* Feeds a piece of the file to the parse; once the parse is over the rest
 * is only read (hashed and searched for a NUL byte, as a whole file). */
static ts_status on_chunk(void *vctx, const char *data, size_t len)
{
    csv_ctx *c = vctx;
    if (!c->over)
        c->over = ts_csv_stream_feed(c->stream, data, len);
    return c->d->oom ? TS_ENOMEM : TS_OK;
}

/* What a file read to its end leaves: its record, the file-wide checks,
 * the marks on earlier series it repeats, and its series trimmed to their
 * length. */
static void series_commit(ts_inputs *in, csv_ctx *c, const char *sha, ts_status parsed, const ts_csv_error *err)
{
    ts_diags *d = c->d;
    ts_series_set *set = c->set;
    const char *path = c->file;
    if (ts_inputs_record(in, path, sha, d) != TS_OK)
        return;
    if (ts_csv_report(parsed, err, path, d) == TS_OK) {
        if (!c->header_seen)
            ts_err(d, path, 1, 1, "the file is empty (expected the header timestamp,model,demand_tokens_per_hour)");
        else if (c->rows == 0)
            ts_err(d, path, 1, 1, "the file has a header and no rows (expected at least two rows per model)");
    }
    if (c->extra_rows)
        ts_warn(&in->warnings, path, c->extra_line, c->extra_col,
                "%zu row(s) have more fields than the header's %zu, this one first; the extra fields are ignored",
                c->extra_rows, c->n_header);
    for (size_t i = 0; c->dup && i < c->first_new; i++)
        if (c->dup[i])
            set->s[i].bad = 1;
    for (size_t i = c->first_new; i < set->n; i++) {
        ts_series_acc *a = &set->s[i];
        if (!a->bad && a->n < 2) {
            ts_err(d, path, a->line, a->col, "model %s has one row (expected at least two rows to fix the interval)",
                   a->model);
            a->bad = 1;
        }
        if (a->n && a->n < a->cap) { /* the growth's slack back */
            double *r = ts_realloc(a->rate, a->n * sizeof *r);
            if (!r) {
                d->oom = 1;
                return;
            }
            a->rate = r;
            a->cap = a->n;
        }
    }
}

/* Undoes what the parse of a file that could not be read whole did: its
 * diagnostics and its series. */
static void series_undo(csv_ctx *c, size_t n_diags)
{
    ts_series_set *set = c->set;
    ts_diags_truncate(c->d, n_diags);
    for (size_t i = c->first_new; i < set->n; i++) {
        free(set->s[i].model);
        free(set->s[i].file);
        free(set->s[i].rate);
    }
    set->n = c->first_new;
}

void ts_series_read_file(ts_inputs *in, const char *path, ts_series_set *set, ts_diags *d)
{
    csv_ctx c;
    memset(&c, 0, sizeof c);
    c.file = path;
    c.d = d;
    c.set = set;
    c.first_new = set->n;
    c.last = (size_t)-1;
    size_t n_diags = d->n;
    if (!(c.stream = ts_csv_stream_new(on_series_row, series_fast_line, &c))) {
        d->oom = 1;
        return;
    }
    ts_chunk_result res;
    ts_status e = ts_read_chunks(path, in->threads, on_chunk, &c, &res);
    ts_csv_error err;
    ts_status parsed = ts_csv_stream_finish(c.stream, &err);
    if (e == TS_OK && !res.has_nul) {
        series_commit(in, &c, res.sha256, parsed, &err);
    } else {
        series_undo(&c, n_diags);
        if (res.has_nul)
            ts_err(d, path, res.nul_line, res.nul_col, "a NUL byte (expected a text file)");
        else if (e == TS_EINPUT)
            ts_err(d, path, 0, 0, "cannot read: %s (expected a readable file)", res.failure.why);
        else
            d->oom = 1;
    }
    free(c.dup);
    free(c.index);
}

void ts_series_set_free(ts_series_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->s[i].model);
        free(set->s[i].file);
        free(set->s[i].rate);
    }
    free(set->s);
    set->s = NULL;
    set->n = set->cap = 0;
}
