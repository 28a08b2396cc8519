/*
 * csvread.c — CSV records with positions; see csvread.h. Lines without
 * quotes (nearly all of a demand series) are split directly; the others go
 * to libcsv byte by byte, so that every field's start is known.
 */
#include "util/csvread.h"
#include "util/keys.h"
#include "util/alloc.h"
#include "util/diag.h"

#include <csv.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

typedef struct reader {
    /* the record being built */
    char **field;
    int *line, *col;
    size_t n, cap;
    /* where the next field starts */
    int next_line, next_col;
    int fired;      /* a callback ran while feeding the current byte */
    /* TS_OK while the parse goes on; else what ended it: the status the
     * user's callback stopped it with, or TS_ENOMEM (libcsv's callbacks
     * return nothing, so theirs is kept here) */
    ts_status stop;
    ts_csv_row_fn fn;
    void *ctx;
    char *line_buf;  /* the plain line being split (split_line), reused */
    size_t line_cap;
} reader;

struct ts_csv_stream {
    struct csv_parser p;
    reader r;
    ts_csv_line_fn line_fn;
    int fast;              /* plain lines split directly (else all through libcsv) */
    int line, col;         /* where the next byte is */
    int boundary;          /* the next line starts a record */
    int fed;               /* libcsv has seen bytes: csv_fini completes its record */
    int bom_checked;
    size_t field_bytes;
    /* the syntax's verdict: TS_OK, TS_EINPUT with problem at err_*, or
     * TS_ENOMEM */
    ts_status status;
    ts_csv_problem problem;
    int err_line, err_col;
    char *carry;           /* the partial line at the end of the last piece */
    size_t carry_len, carry_cap;
};

/* Makes room for field n of the record. Returns TS_OK, or TS_ENOMEM (the
 * record's arrays are kept as they were). */
static ts_status grow(reader *r, size_t n)
{
    if (n < r->cap)
        return TS_OK;
    /* three arrays of one capacity: each grown from it, the capacity
     * moved on when all three are */
    size_t cf = r->cap, cl = r->cap, cc = r->cap;
    char **f = ts_grow(r->field, n, &cf, sizeof *f, 16);
    if (!f)
        return TS_ENOMEM;
    r->field = f;
    int *l = ts_grow(r->line, n, &cl, sizeof *l, 16);
    if (!l)
        return TS_ENOMEM;
    r->line = l;
    int *c = ts_grow(r->col, n, &cc, sizeof *c, 16);
    if (!c)
        return TS_ENOMEM;
    r->col = c;
    for (size_t i = r->cap; i < cc; i++)
        r->field[i] = NULL;
    r->cap = cc;
    return TS_OK;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    r->fired = 1;
    if (r->stop != TS_OK)
        return;
    if (grow(r, r->n) != TS_OK) {
        r->stop = TS_ENOMEM;
        return;
    }
    char *copy = ts_malloc(len + 1);
    if (!copy) {
        r->stop = TS_ENOMEM;
        return;
    }
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    r->field[r->n] = copy;
    r->line[r->n] = r->next_line;
    r->col[r->n] = r->next_col;
    r->n++;
}

static void clear_row(reader *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->field[i]);
        r->field[i] = NULL;
    }
    r->n = 0;
}

static void on_record(int c, void *data)
{
    reader *r = data;
    (void)c;
    r->fired = 1;
    if (r->stop == TS_OK && r->n) {
        ts_csv_row row = {r->n, r->field, r->line, r->col};
        r->stop = r->fn(r->ctx, &row);
    }
    clear_row(r);
}

int ts_csv_find(const ts_csv_row *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->field[i], name) == 0)
            return (int)i;
    return TS_NOT_FOUND;
}

void ts_csv_hint(const ts_csv_row *h, const char *name, char *buf, size_t size)
{
    char lower[64], field[64];
    size_t best_d = ts_near_limit(name);
    const char *best = NULL;
    snprintf(lower, sizeof lower, "%s", name);
    for (char *q = lower; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    for (size_t i = 0; i < h->n; i++) {
        snprintf(field, sizeof field, "%s", h->field[i]);
        for (char *q = field; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        size_t dist = ts_edit_distance(lower, field);
        if (dist < best_d) {
            best_d = dist;
            best = h->field[i];
        }
    }
    if (best)
        snprintf(buf, size, "did you mean %s? ", best);
    else if (size)
        buf[0] = '\0';
}

/* Whether line [s, e) (without its '\n') can be split without libcsv: no
 * quote, no carriage return but one at its end, and not blank or only
 * spaces (those libcsv decides). */
static int plain_line(const char *s, const char *e)
{
    if (e > s && e[-1] == '\r')
        e--;
    size_t n = (size_t)(e - s);
    if (memchr(s, '"', n) || memchr(s, '\r', n))
        return 0;
    for (const char *p = s; p < e; p++)
        if (*p != ' ' && *p != '\t')
            return 1;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits the plain line [s, e) at its commas into r's fields (trimmed of
 * spaces and tabs, as libcsv trims unquoted fields) and hands the record
 * to the callback. Returns TS_OK, TS_EINPUT at a field over the bound
 * (*problem and the position in err_*), or TS_ENOMEM. */
static ts_status split_line(reader *r, const char *s, const char *e, int line, ts_csv_problem *problem,
                            int *err_line, int *err_col)
{
    if (e > s && e[-1] == '\r')
        e--;
    size_t len = (size_t)(e - s);
    char *b = ts_reserve(r->line_buf, len + 1, &r->line_cap, 1, 256); /* grows with the longest line */
    if (!b)
        return TS_ENOMEM;
    r->line_buf = b;
    char *copy = r->line_buf;
    memcpy(copy, s, len);
    copy[len] = '\0';
    size_t n = 0, start = 0;
    for (;;) {
        const char *comma = memchr(copy + start, ',', len - start);
        size_t i = comma ? (size_t)(comma - copy) : len;
        if (i - start > TS_CSV_MAX_FIELD_BYTES) {
            *problem = TS_CSV_LONG_FIELD;
            *err_line = line;
            *err_col = (int)start + 1;
            return TS_EINPUT;
        }
        if (grow(r, n) != TS_OK)
            return TS_ENOMEM;
        size_t b = start, z = i;
        while (b < z && is_blank(copy[b]))
            b++;
        while (z > b && is_blank(copy[z - 1]))
            z--;
        copy[z] = '\0';
        r->field[n] = copy + b;
        r->line[n] = line;
        r->col[n] = (int)start + 1;
        n++;
        if (!comma)
            break;
        start = i + 1;
    }
    ts_csv_row row = {n, r->field, r->line, r->col};
    r->stop = r->fn(r->ctx, &row);
    for (size_t k = 0; k < n; k++)
        r->field[k] = NULL; /* they point into the line's buffer */
    return TS_OK;
}

/* Feeds line [s, e] (its '\n' included when there is one) to libcsv byte
 * by byte, stamping field positions. *line and *col follow the bytes;
 * *boundary says whether a record ended with the line. Returns TS_OK,
 * TS_EINPUT (a stray quote or a long field: *problem, err_* set), or
 * TS_ENOMEM. */
static ts_status feed_line(struct csv_parser *p, reader *r, const char *s, const char *e, int *line, int *col,
                           size_t *field_bytes, int *boundary, ts_csv_problem *problem, int *err_line, int *err_col)
{
    int at_record_start = *boundary;
    for (const char *q = s; q < e && r->stop == TS_OK; q++) {
        unsigned char ch = (unsigned char)*q;
        r->fired = 0;
        if (csv_parse(p, q, 1, on_field, on_record, r) != 1) {
            if (csv_error(p) == CSV_ENOMEM)
                return TS_ENOMEM;
            *problem = TS_CSV_STRAY_QUOTE;
            *err_line = *line;
            *err_col = *col;
            return TS_EINPUT;
        }
        if (ch == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
        *field_bytes = r->fired ? 0 : *field_bytes + 1;
        if (*field_bytes > TS_CSV_MAX_FIELD_BYTES) {
            *problem = TS_CSV_LONG_FIELD;
            *err_line = r->next_line;
            *err_col = r->next_col;
            return TS_EINPUT;
        }
        if (r->fired) {
            at_record_start = r->n == 0;
            r->next_line = *line;
            r->next_col = *col;
        } else if (at_record_start && r->n == 0 && (ch == '\n' || ch == '\r')) {
            r->next_line = *line; /* a blank line: the record starts later */
            r->next_col = *col;
        } else {
            at_record_start = 0;
        }
    }
    *boundary = at_record_start;
    return TS_OK;
}

/* One line [s, e) of the stream (has_nl: a '\n' follows at e): blank
 * lines at a record boundary are skipped; a plain line at a boundary is
 * offered to the line hook, then split directly; every other line goes
 * through libcsv. Both give the same records and positions (a unit test
 * compares them on random input). */
static void one_line(ts_csv_stream *st, const char *s, const char *e, int has_nl)
{
    reader *r = &st->r;
    if (!st->bom_checked) {
        st->bom_checked = 1;
        if (e - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
    }
    if (st->fast && st->boundary && (e == s || (e == s + 1 && *s == '\r'))) {
        st->line++; /* a blank line */
        return;
    }
    if (st->fast && st->boundary && st->line_fn) {
        int took = 0;
        ts_status h = st->line_fn(r->ctx, s, e, st->line, &took);
        if (h != TS_OK || took) {
            r->stop = h; /* a status that stops it: the hook has said why */
            st->line++;
            return;
        }
    }
    if (st->fast && st->boundary && plain_line(s, e)) {
        st->status = split_line(r, s, e, st->line, &st->problem, &st->err_line, &st->err_col);
        st->line++;
        return;
    }
    if (st->boundary) {
        r->next_line = st->line;
        r->next_col = 1;
    }
    st->col = 1;
    st->fed = 1;
    st->status = feed_line(&st->p, r, s, has_nl ? e + 1 : e, &st->line, &st->col, &st->field_bytes, &st->boundary,
                           &st->problem, &st->err_line, &st->err_col);
    if (!has_nl && st->status == TS_OK)
        st->boundary = 0; /* the last line's record is completed by csv_fini */
}

static int going(const ts_csv_stream *st)
{
    return st->status == TS_OK && st->r.stop == TS_OK;
}

ts_csv_stream *ts_csv_stream_new(ts_csv_row_fn fn, ts_csv_line_fn line_fn, void *ctx)
{
    ts_csv_stream *st = ts_malloc(sizeof *st);
    if (!st)
        return NULL;
    memset(st, 0, sizeof *st);
    if (csv_init(&st->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(st);
        return NULL;
    }
    st->r.fn = fn;
    st->r.ctx = ctx;
    st->line_fn = line_fn;
    st->line = 1;
    st->col = 1;
    st->boundary = 1;
    st->fast = 1;
    return st;
}

/* Appends [s, s + n) to the carried partial line. TS_OK, or TS_ENOMEM. */
static ts_status carry(ts_csv_stream *st, const char *s, size_t n)
{
    char *b = ts_reserve(st->carry, st->carry_len + n + 1, &st->carry_cap, 1, 256);
    if (!b)
        return TS_ENOMEM;
    st->carry = b;
    memcpy(st->carry + st->carry_len, s, n);
    st->carry_len += n;
    return TS_OK;
}

int ts_csv_stream_feed(ts_csv_stream *st, const char *data, size_t len)
{
    size_t i = 0;
    if (going(st) && st->carry_len) {
        const char *nl = memchr(data, '\n', len);
        size_t n = nl ? (size_t)(nl - data) + 1 : len; /* the '\n' too: libcsv is fed it */
        if (carry(st, data, n) != TS_OK)
            st->status = TS_ENOMEM;
        else if (nl) {
            one_line(st, st->carry, st->carry + st->carry_len - 1, 1);
            st->carry_len = 0;
        }
        i = n;
    }
    while (i < len && going(st)) {
        const char *s = data + i, *nl = memchr(s, '\n', len - i);
        if (!nl) {
            if (carry(st, s, len - i) != TS_OK)
                st->status = TS_ENOMEM;
            break;
        }
        one_line(st, s, nl, 1);
        i = (size_t)(nl - data) + 1;
    }
    return going(st) ? 0 : 1;
}

ts_status ts_csv_stream_finish(ts_csv_stream *st, ts_csv_error *err)
{
    reader *r = &st->r;
    if (going(st) && st->carry_len)
        one_line(st, st->carry, st->carry + st->carry_len, 0);
    if (going(st) && st->fed && csv_fini(&st->p, on_field, on_record, r) != 0) {
        st->status = TS_EINPUT;
        st->problem = TS_CSV_STRAY_QUOTE;
        st->err_line = st->line;
        st->err_col = st->col;
    }
    /* the syntax's verdict first, then what stopped the records */
    ts_status st_out = st->status != TS_OK ? st->status : r->stop;
    err->problem = st->status == TS_EINPUT ? st->problem : TS_CSV_FINE;
    err->line = st->err_line;
    err->col = st->err_col;
    clear_row(r);
    free(r->field);
    free(r->line);
    free(r->col);
    free(r->line_buf);
    free(st->carry);
    csv_free(&st->p);
    free(st);
    return st_out;
}

/* The parser behind ts_csv_parse and ts_csv_parse_libcsv: the whole text
 * fed to a stream at once. */
static ts_status parse(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, ts_csv_error *err, int fast)
{
    err->problem = TS_CSV_FINE;
    err->line = err->col = 0;
    ts_csv_stream *st = ts_csv_stream_new(fn, NULL, ctx);
    if (!st)
        return TS_ENOMEM;
    st->fast = fast;
    ts_csv_stream_feed(st, data, len);
    return ts_csv_stream_finish(st, err);
}

ts_status ts_csv_parse(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, ts_csv_error *err)
{
    return parse(data, len, fn, ctx, err, 1);
}

ts_status ts_csv_parse_libcsv(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, ts_csv_error *err)
{
    return parse(data, len, fn, ctx, err, 0);
}

ts_status ts_csv_report(ts_status st, const ts_csv_error *err, const char *path, ts_diags *d)
{
    if (err->problem == TS_CSV_STRAY_QUOTE)
        ts_err(d, path, err->line, err->col, "malformed CSV: a stray quote (expected RFC 4180 quoting)");
    else if (err->problem == TS_CSV_LONG_FIELD)
        ts_err(d, path, err->line, err->col, "a field longer than 1 MiB (expected CSV fields of at most 1048576 bytes)");
    else if (st == TS_ENOMEM)
        d->oom = 1;
    return err->problem != TS_CSV_FINE ? TS_EINPUT : st == TS_ENOMEM ? TS_ENOMEM : TS_OK;
}
