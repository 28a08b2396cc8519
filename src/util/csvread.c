/*
 * csvread.c — libcsv driven byte by byte to know where fields start; see
 * csvread.h.
 */
#include "util/csvread.h"
#include "util/alloc.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    /* the record being built */
    char **field;
    int *line, *col;
    size_t n, cap;
    /* where the next field starts */
    int next_line, next_col;
    int fired;      /* a callback ran while feeding the current byte */
    int stopped;    /* the user's callback asked to stop */
    int oom;
    ts_csv_row_fn fn;
    void *ctx;
} reader;

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    r->fired = 1;
    if (r->stopped || r->oom)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **f = ts_realloc(r->field, cap * sizeof *f);
        int *l = f ? ts_realloc(r->line, cap * sizeof *l) : NULL;
        int *c = l ? ts_realloc(r->col, cap * sizeof *c) : NULL;
        if (f)
            r->field = f;
        if (l)
            r->line = l;
        if (c)
            r->col = c;
        if (!c) {
            r->oom = 1;
            return;
        }
        for (size_t i = r->cap; i < cap; i++)
            r->field[i] = NULL;
        r->cap = cap;
    }
    char *copy = ts_malloc(len + 1);
    if (!copy) {
        r->oom = 1;
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
    if (!r->stopped && !r->oom && r->n) {
        ts_csv_row row = {r->n, r->field, r->line, r->col};
        if (r->fn(r->ctx, &row))
            r->stopped = 1;
    }
    clear_row(r);
}

int ts_csv_find(const ts_csv_row *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->field[i], name) == 0)
            return (int)i;
    return -1;
}

int ts_csv_parse(const char *data, size_t len, ts_csv_row_fn fn, void *ctx, int *err_line,
                 int *err_col)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return -2;
    reader r;
    memset(&r, 0, sizeof r);
    r.fn = fn;
    r.ctx = ctx;
    r.next_line = 1;
    r.next_col = 1;
    int line = 1, col = 1, rc = 0;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    int at_record_start = 1;
    size_t field_bytes = 0;
    for (; i < len && !r.stopped && !r.oom; i++) {
        unsigned char ch = (unsigned char)data[i];
        r.fired = 0;
        if (csv_parse(&p, &data[i], 1, on_field, on_record, &r) != 1) {
            *err_line = line;
            *err_col = col;
            rc = csv_error(&p) == CSV_ENOMEM ? -2 : -1;
            break;
        }
        if (ch == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        field_bytes = r.fired ? 0 : field_bytes + 1;
        if (field_bytes > TS_CSV_MAX_FIELD_BYTES) {
            *err_line = r.next_line;
            *err_col = r.next_col;
            rc = -3;
            break;
        }
        if (r.fired) {
            at_record_start = r.n == 0;
            r.next_line = line;
            r.next_col = col;
        } else if (at_record_start && r.n == 0 && (ch == '\n' || ch == '\r')) {
            r.next_line = line; /* a blank line: the record starts later */
            r.next_col = col;
        } else {
            at_record_start = 0;
        }
    }
    if (rc == 0 && !r.stopped && !r.oom && csv_fini(&p, on_field, on_record, &r) != 0) {
        *err_line = line;
        *err_col = col;
        rc = -1;
    }
    clear_row(&r);
    free(r.field);
    free(r.line);
    free(r.col);
    csv_free(&p);
    if (rc)
        return rc;
    if (r.oom)
        return -2;
    return r.stopped ? 1 : 0;
}
