/*
 * buckets.c — tokens per model and time bucket; see buckets.h.
 */
#include "import/buckets.h"
#include "tapscale_io.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ts_series_row(ts_buf *b, int64_t t, const char *model, double rate)
{
    char ts[32];
    ts_fmt_time(t, ts);
    ts_buf_puts(b, ts);
    ts_buf_putc(b, ',');
    ts_buf_csv_field(b, model);
    ts_buf_putc(b, ',');
    ts_buf_double(b, rate);
    ts_buf_putc(b, '\n');
}

static long find_model(const ts_buckets *b, const char *model)
{
    for (size_t i = b->n_models; i-- > 0;)
        if (!strcmp(b->models[i], model))
            return (long)i;
    return TS_NOT_FOUND;
}

ts_status ts_buckets_add(ts_buckets *b, const char *model, int64_t t, double tokens)
{
    long m = b->n_models && !strcmp(b->models[b->n_models - 1], model) ? (long)b->n_models - 1 : find_model(b, model);
    if (m < 0) {
        char **p = ts_grow(b->models, b->n_models, &b->models_cap, sizeof *p, 8);
        if (!p)
            return TS_ENOMEM;
        b->models = p;
        if (!(b->models[b->n_models] = ts_strdup(model)))
            return TS_ENOMEM;
        m = (long)b->n_models++;
    }
    ts_bucket_entry *e = ts_grow(b->e, b->n, &b->cap, sizeof *e, 4096);
    if (!e)
        return TS_ENOMEM;
    b->e = e;
    int64_t iv = b->interval_s; /* floor division: times before 1970 too */
    int64_t bucket = t >= 0 ? t / iv : -((-t + iv - 1) / iv);
    b->e[b->n++] = (ts_bucket_entry){(uint32_t)m, bucket, tokens};
    return TS_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

ts_status ts_buckets_write(ts_buckets *b, const char *file, double scale, ts_buf *out, ts_diags *d)
{
    /* models by id */
    char ***order = ts_malloc((b->n_models ? b->n_models : 1) * sizeof *order);
    if (!order)
        return TS_ENOMEM;
    for (size_t i = 0; i < b->n_models; i++)
        order[i] = &b->models[i];
    qsort(order, b->n_models, sizeof *order, cmp_name);
    ts_status st = TS_OK;
    for (size_t k = 0; k < b->n_models && st == TS_OK; k++) {
        uint32_t m = (uint32_t)(order[k] - b->models);
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (size_t i = 0; i < b->n; i++)
            if (b->e[i].model == m) {
                if (b->e[i].bucket < lo)
                    lo = b->e[i].bucket;
                if (b->e[i].bucket > hi)
                    hi = b->e[i].bucket;
            }
        if (lo == INT64_MAX)
            continue;
        if (hi - lo >= TS_TRACE_MAX_BUCKETS) {
            char t0[32], t1[32];
            ts_fmt_time(lo * b->interval_s, t0);
            ts_fmt_time(hi * b->interval_s, t1);
            ts_err(d, file, 0, 0,
                   "model %s spans %s to %s: %lld buckets of %lld s (expected at most %d: a wider --interval, or the stray timestamp removed)",
                   *order[k], t0, t1, (long long)(hi - lo + 1), (long long)b->interval_s, TS_TRACE_MAX_BUCKETS);
            st = TS_EINPUT;
            break;
        }
        size_t nb = (size_t)(hi - lo + 1);
        double *tok = ts_calloc(nb, sizeof *tok);
        if (!tok) {
            st = TS_ENOMEM;
            break;
        }
        for (size_t i = 0; i < b->n; i++)
            if (b->e[i].model == m)
                tok[b->e[i].bucket - lo] += b->e[i].tokens;
        for (size_t i = 0; i < nb; i++)
            ts_series_row(out, (lo + (int64_t)i) * b->interval_s, *order[k],
                          tok[i] * 3600.0 / (double)b->interval_s * scale);
        free(tok);
    }
    free(order);
    return st != TS_OK ? st : out->oom ? TS_ENOMEM : TS_OK;
}

void ts_buckets_free(ts_buckets *b)
{
    for (size_t i = 0; i < b->n_models; i++)
        free(b->models[i]);
    free(b->models);
    free(b->e);
    memset(b, 0, sizeof *b);
}
