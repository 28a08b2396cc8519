/*
 * series.c — demand time-series files; see series.h.
 */
#include "inputs/series.h"
#include "inputs/files.h"
#include "util/alloc.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/limits.h"
#include "util/fileio.h"
#include "util/ids.h"
#include "util/numfmt.h"
#include "util/timeutil.h"

#include <stdlib.h>
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
} csv_ctx;

static ts_series_acc *find_series(ts_series_set *set, const char *model, size_t *hint)
{
    if (*hint < set->n && strcmp(set->s[*hint].model, model) == 0)
        return &set->s[*hint];
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->s[i].model, model) == 0) {
            *hint = i;
            return &set->s[i];
        }
    return NULL;
}

/* The header row: the three columns. Returns 1 (stop) when one is missing. */
static int series_header(csv_ctx *c, const ts_csv_row *row)
{
    c->header_seen = 1;
    c->n_header = row->n;
    c->ct = ts_csv_find(row, "timestamp");
    c->cm = ts_csv_find(row, "model");
    c->cr = ts_csv_find(row, "demand_tokens_per_hour");
    static const char *const need[] = {"timestamp", "model", "demand_tokens_per_hour"};
    int idx[] = {c->ct, c->cm, c->cr};
    for (int i = 0; i < 3; i++)
        if (idx[i] < 0)
            ts_err(c->d, c->file, row->line[0], 1,
                   "missing column %s (expected the header timestamp,model,demand_tokens_per_hour)", need[i]);
    return c->ct < 0 || c->cm < 0 || c->cr < 0;
}

/* The timestamp and rate cells of a row; 0 when both are valid. */
static int series_cells(csv_ctx *c, const ts_csv_row *row, int64_t *t, double *rate)
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
    return ok ? 0 : -1;
}

/* A model new to the set, first seen at row. NULL when out of memory. */
static ts_series_acc *add_series(csv_ctx *c, const char *model, const ts_csv_row *row)
{
    ts_series_set *set = c->set;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 8;
        ts_series_acc *s = ts_realloc(set->s, cap * sizeof *s);
        if (!s)
            return NULL;
        set->s = s;
        set->cap = cap;
    }
    ts_series_acc *a = &set->s[set->n];
    memset(a, 0, sizeof *a);
    a->model = ts_strdup(model);
    a->file = ts_strdup(c->file);
    if (!a->model || !a->file) {
        free(a->model);
        free(a->file);
        return NULL;
    }
    a->line = row->line[0];
    a->col = row->col[0];
    a->tau = -1;
    c->last = set->n++;
    return a;
}

/* Appends (t, rate) to a model's series, checking order and interval.
 * Returns 0, -1 after an error (the series is marked bad), -2 when out of
 * memory. */
static int series_append(csv_ctx *c, ts_series_acc *a, const ts_csv_row *row, int64_t t, double rate)
{
    const char *ts = row->field[c->ct];
    if (a->n > 0) {
        int64_t step = t - a->t_prev;
        if (step <= 0) {
            ts_err(c->d, c->file, row->line[c->ct], row->col[c->ct],
                   "timestamp %s is not after the previous row of model %s (expected rows of a model in increasing time)",
                   ts, a->model);
            a->bad = 1;
            return -1;
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
            return -1;
        }
    } else {
        a->start = t;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        double *r = ts_realloc(a->rate, cap * sizeof *r);
        if (!r)
            return -2;
        a->rate = r;
        a->cap = cap;
    }
    a->rate[a->n++] = rate;
    a->t_prev = t;
    return 0;
}

static int on_series_row(void *vctx, const ts_csv_row *row)
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
        return 0;
    }
    const char *model = row->field[c->cm];
    int64_t t;
    double rate;
    int ok = series_cells(c, row, &t, &rate) == 0;
    char why[160];
    if (!model[0]) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm], "model is empty (expected a model id)");
        return 0;
    }
    if (ts_id_check(model, why, sizeof why) != 0) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm], "%s", why);
        return 0;
    }
    ts_series_acc *a = find_series(c->set, model, &c->last);
    if (a && (size_t)(a - c->set->s) < c->first_new) {
        ts_err(d, c->file, row->line[c->cm], row->col[c->cm],
               "model %s already has a series in %s (expected one series per model)", model, a->file);
        a->bad = 1;
        return 0;
    }
    if (!a && !(a = add_series(c, model, row))) {
        d->oom = 1;
        return 1;
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
        return 0;
    }
    if (series_append(c, a, row, t, rate) == -2) {
        d->oom = 1;
        return 1;
    }
    return 0;
}

void ts_series_read_file(ts_inputs *in, const char *path, ts_series_set *set, ts_diags *d)
{
    size_t len;
    char *data = ts_inputs_read_file(in, path, &len, 0, d);
    if (!data)
        return;
    csv_ctx c;
    memset(&c, 0, sizeof c);
    c.file = path;
    c.d = d;
    c.set = set;
    c.first_new = set->n;
    int el = 0, ec = 0;
    int rc = ts_csv_parse(data, len, on_series_row, &c, &el, &ec);
    if (ts_csv_report(rc, path, el, ec, d) >= 0) {
        if (!c.header_seen)
            ts_err(d, path, 1, 1, "the file is empty (expected the header timestamp,model,demand_tokens_per_hour)");
        else if (c.rows == 0)
            ts_err(d, path, 1, 1, "the file has a header and no rows (expected at least two rows per model)");
    }
    if (c.extra_rows)
        ts_warn(&in->warnings, path, c.extra_line, c.extra_col,
                "%zu row(s) have more fields than the header's %zu, this one first; the extra fields are ignored",
                c.extra_rows, c.n_header);
    for (size_t i = c.first_new; i < set->n; i++)
        if (!set->s[i].bad && set->s[i].n < 2) {
            ts_err(d, path, set->s[i].line, set->s[i].col,
                   "model %s has one row (expected at least two rows to fix the interval)", set->s[i].model);
            set->s[i].bad = 1;
        }
    free(data);
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
