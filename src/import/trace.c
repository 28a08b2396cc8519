/*
 * trace.c — request traces to demand series (ts_trace_import in
 * tapscale_io.h).
 *
 * azure: rows TIMESTAMP,ContextTokens,GeneratedTokens (one request each,
 *   fractional seconds, no time zone: read as UTC). Requests are counted in
 *   buckets of interval_s seconds aligned to the epoch, from the first
 *   request's bucket to the last one's; empty buckets are zero demand. A
 *   bucket's rate is tokens * 3600 / interval_s * scale tokens/hour.
 * servegen: rows model,hour_offset,...,input_tokens_est,output_tokens_est
 *   (hourly): the rate of hour h is its tokens * scale, at start + 3600*h.
 * Which tokens count: output (generated), input (context) or total.
 */
#include "tapscale_io.h"
#include "util/alloc.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/numfmt.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct req {
    int64_t bucket;
    double tokens;
} req;

typedef struct trace_ctx {
    const char *file;
    const ts_trace_options *opt;
    ts_diags *d;
    int header_seen;
    int c0, c1, c2, c3;
    req *r;
    size_t n, cap;
    /* servegen: current model */
    char model[256];
    ts_buf *out;
    int64_t next_offset;
} trace_ctx;

static double pick(ts_token_kind k, double input, double output)
{
    return k == TS_TOKENS_OUTPUT ? output : k == TS_TOKENS_INPUT ? input : input + output;
}

static int on_azure(void *vctx, const ts_csv_row *row)
{
    trace_ctx *c = vctx;
    if (!c->header_seen) {
        c->header_seen = 1;
        c->c0 = ts_csv_find(row, "TIMESTAMP");
        c->c1 = ts_csv_find(row, "ContextTokens");
        c->c2 = ts_csv_find(row, "GeneratedTokens");
        if (c->c0 < 0 || c->c1 < 0 || c->c2 < 0) {
            ts_err(c->d, c->file, row->line[0], 1, "missing column (expected the header TIMESTAMP,ContextTokens,GeneratedTokens)");
            return 1;
        }
        return 0;
    }
    if (row->n < 3) {
        ts_err(c->d, c->file, row->line[0], row->col[0], "the row has %zu fields (expected 3)", row->n);
        return 0;
    }
    int64_t secs;
    double frac, in, outt;
    int ok = 1;
    if (ts_parse_time(row->field[c->c0], &secs, &frac) != 0) {
        ts_err(c->d, c->file, row->line[c->c0], row->col[c->c0],
               "TIMESTAMP is \"%s\" (expected a time such as 2023-11-16 18:17:03.9799600)", row->field[c->c0]);
        ok = 0;
    }
    if (ts_parse_double(row->field[c->c1], &in) != 0 || in < 0) {
        ts_err(c->d, c->file, row->line[c->c1], row->col[c->c1], "ContextTokens is \"%s\" (expected a count of at least 0)",
               row->field[c->c1]);
        ok = 0;
    }
    if (ts_parse_double(row->field[c->c2], &outt) != 0 || outt < 0) {
        ts_err(c->d, c->file, row->line[c->c2], row->col[c->c2], "GeneratedTokens is \"%s\" (expected a count of at least 0)",
               row->field[c->c2]);
        ok = 0;
    }
    if (!ok)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        req *r = ts_realloc(c->r, cap * sizeof *r);
        if (!r) {
            c->d->oom = 1;
            return 1;
        }
        c->r = r;
        c->cap = cap;
    }
    int64_t iv = c->opt->interval_s;
    int64_t b = secs >= 0 ? secs / iv : -((-secs + iv - 1) / iv);
    c->r[c->n].bucket = b;
    c->r[c->n].tokens = pick(c->opt->tokens, in, outt);
    c->n++;
    return 0;
}

static void put_row(ts_buf *b, int64_t t, const char *model, double rate)
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

static int on_servegen(void *vctx, const ts_csv_row *row)
{
    trace_ctx *c = vctx;
    if (!c->header_seen) {
        c->header_seen = 1;
        c->c0 = ts_csv_find(row, "model");
        c->c1 = ts_csv_find(row, "hour_offset");
        c->c2 = ts_csv_find(row, "input_tokens_est");
        c->c3 = ts_csv_find(row, "output_tokens_est");
        if (c->c0 < 0 || c->c1 < 0 || c->c2 < 0 || c->c3 < 0) {
            ts_err(c->d, c->file, row->line[0], 1,
                   "missing column (expected a header with model,hour_offset,input_tokens_est,output_tokens_est)");
            return 1;
        }
        return 0;
    }
    int maxc = c->c0 > c->c1 ? c->c0 : c->c1;
    maxc = maxc > c->c2 ? maxc : c->c2;
    maxc = maxc > c->c3 ? maxc : c->c3;
    if (row->n <= (size_t)maxc) {
        ts_err(c->d, c->file, row->line[0], row->col[0], "the row has %zu fields (expected %d)", row->n, maxc + 1);
        return 0;
    }
    const char *m = row->field[c->c0];
    if (c->opt->select && strcmp(m, c->opt->select) != 0)
        return 0;
    int64_t h;
    double in, outt;
    if (ts_parse_int64(row->field[c->c1], &h) != 0 || h < 0) {
        ts_err(c->d, c->file, row->line[c->c1], row->col[c->c1], "hour_offset is \"%s\" (expected an integer of at least 0)",
               row->field[c->c1]);
        return 0;
    }
    if (ts_parse_double(row->field[c->c2], &in) != 0 || in < 0 || ts_parse_double(row->field[c->c3], &outt) != 0 ||
        outt < 0) {
        ts_err(c->d, c->file, row->line[c->c2], row->col[c->c2], "token estimates are not numbers (expected counts of at least 0)");
        return 0;
    }
    const char *name = c->opt->model && c->opt->select ? c->opt->model : m;
    put_row(c->out, c->opt->start + h * 3600, name, pick(c->opt->tokens, in, outt) * c->opt->scale);
    return 0;
}

ts_status ts_trace_import(const char *path, const ts_trace_options *opt, ts_buf *out, ts_diags *d)
{
    size_t before = d->n_errors;
    char *data = NULL;
    size_t len = 0;
    int e = ts_read_file(path, &data, &len);
    if (e == ENOMEM) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    if (e) {
        ts_err(d, path, 0, 0, "cannot read: %s (expected a readable trace file)", strerror(e));
        return TS_EINPUT;
    }
    trace_ctx c;
    memset(&c, 0, sizeof c);
    c.file = path;
    c.opt = opt;
    c.d = d;
    c.out = out;
    if (opt->header)
        ts_buf_puts(out, "timestamp,model,demand_tokens_per_hour\n");
    int el = 0, ec = 0;
    int rc = ts_csv_parse(data, len, opt->format == TS_TRACE_AZURE ? on_azure : on_servegen, &c, &el, &ec);
    if (rc == -1)
        ts_err(d, path, el, ec, "malformed CSV: a stray quote (expected RFC 4180 quoting)");
    if (!c.header_seen && rc >= 0)
        ts_err(d, path, 1, 1, "the file is empty (expected a header line)");
    if (opt->format == TS_TRACE_AZURE && d->n_errors == before && !d->oom) {
        if (c.n == 0) {
            ts_err(d, path, 0, 0, "no requests (expected at least one row)");
        } else {
            int64_t lo = c.r[0].bucket, hi = c.r[0].bucket;
            for (size_t i = 1; i < c.n; i++) {
                if (c.r[i].bucket < lo)
                    lo = c.r[i].bucket;
                if (c.r[i].bucket > hi)
                    hi = c.r[i].bucket;
            }
            size_t nb = (size_t)(hi - lo + 1);
            double *tok = ts_calloc(nb, sizeof *tok);
            if (!tok) {
                d->oom = 1;
            } else {
                for (size_t i = 0; i < c.n; i++)
                    tok[c.r[i].bucket - lo] += c.r[i].tokens;
                for (size_t i = 0; i < nb; i++)
                    put_row(out, (lo + (int64_t)i) * opt->interval_s, opt->model,
                            tok[i] * 3600.0 / (double)opt->interval_s * opt->scale);
                free(tok);
            }
        }
    }
    free(c.r);
    free(data);
    if (d->oom || out->oom || rc == -2) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    return d->n_errors > before ? TS_EINPUT : TS_OK;
}
