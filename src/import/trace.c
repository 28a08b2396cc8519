/*
 * trace.c — traces to demand series (ts_trace_import in tapscale_io.h): the
 * CSV formats here, the JSON ones in trace_json.c.
 *
 * Request logs (azure, csv, burstgpt; jsonl, mooncake) give one request per
 * row: its time, its tokens (output, input or both, per --tokens, or the
 * named field) and its model (a field, or --model). Requests are counted in
 * buckets of interval_s seconds aligned to the epoch (buckets.h); a
 * bucket's rate is tokens x 3600 / interval_s x scale tokens/hour.
 *   azure     TIMESTAMP (no time zone: UTC), ContextTokens, GeneratedTokens
 *   burstgpt  Timestamp (seconds from --start), Model, Request tokens,
 *             Response tokens, Total tokens (Log Type is not used)
 *   csv       --time-field (unit --time-unit s|ms|us|iso; numbers are
 *             seconds since the epoch, or since --start when given),
 *             --tokens-field, --model-field or --model
 *   mooncake  as CSV (a file not opening with '{'): timestamp or
 *             timestamp_ms (ms from --start), input_length, output_length
 * ServeGen gives windows: model,hour_offset,...,input_tokens_est,
 *   output_tokens_est (or window_offset_s, in seconds; input_tokens,
 *   output_tokens); the window is the least step between a model's
 *   offsets (hours; 1/6 for 10-minute windows), and a window's rate is its
 *   tokens / window hours x scale, at start + offset.
 * After TS_TRACE_MAX_ERRORS errors a file is read no further and the
 * message says how many rows were left unread.
 */
#include "import/buckets.h"
#include "import/trace_json.h"
#include "import/timewatch.h"
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A ServeGen window row, until the windows are known. */
typedef struct window_row {
    char *model;
    double offset_h;
    double tokens;
} window_row;

typedef struct trace_ctx {
    const char *file;
    const ts_trace_options *opt;
    ts_diags *d;
    int header_seen;
    int c_time, c_in, c_out, c_tok, c_model, c_total;
    const char *n_time, *n_in, *n_out;  /* the columns' names, for messages */
    ts_buckets b;
    window_row *w;
    size_t nw, wcap;
    size_t errors;
    int stopped_line;            /* the line reading stopped at, or 0 */
    double offset_hours;         /* ServeGen: hours per unit of the offset column */
    ts_row_errors seen;          /* the problems of the rows so far */
    ts_time_watch watch;         /* request logs: their times' order and units */
} trace_ctx;

double ts_trace_pick(ts_token_kind k, double input, double output)
{
    return k == TS_TOKENS_OUTPUT ? output : k == TS_TOKENS_INPUT ? input : input + output;
}

/* The message without what lies in double quotes. */
static void error_key(const char *msg, char *key, size_t size)
{
    size_t k = 0;
    int quoted = 0;
    for (const char *p = msg; *p && k + 1 < size; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted)
            key[k++] = *p;
    }
    key[k] = '\0';
}

bool ts_row_errors_first(ts_row_errors *e, const char *msg, int line)
{
    char key[sizeof e->kind[0].key];
    error_key(msg, key, sizeof key);
    for (size_t i = 0; i < e->n_kinds; i++)
        if (!strcmp(e->kind[i].key, key)) {
            e->kind[i].more++;
            return false;
        }
    if (e->n_kinds < TS_TRACE_MAX_ERRORS) {
        memcpy(e->kind[e->n_kinds].key, key, sizeof key);
        e->kind[e->n_kinds].line = line;
        e->kind[e->n_kinds++].more = 0;
    }
    return true;
}

void ts_row_errors_report(const ts_row_errors *e, const char *path, ts_diags *d)
{
    for (size_t i = 0; i < e->n_kinds; i++)
        if (e->kind[i].more)
            ts_err(d, path, 0, 0, "%zu more row%s with the problem of line %d (expected each row as the format has it)",
                   e->kind[i].more, e->kind[i].more == 1 ? "" : "s", e->kind[i].line);
}

/* An error of a row: reported when it is the first of its problem (one
 * more row of a problem is counted); distinct problems count against the
 * file's cap. */
static ts_status row_error(trace_ctx *c, int line, int col, const char *fmt, const char *a, const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b);
    if (!ts_row_errors_first(&c->seen, msg, line))
        return TS_OK;
    ts_err(c->d, c->file, line, col, "%s", msg);
    if (++c->errors >= TS_TRACE_MAX_ERRORS) {
        c->stopped_line = line;
        return TS_EINPUT;
    }
    return TS_OK;
}

ts_status ts_trace_time(const ts_trace_options *o, const char *s, int64_t *t)
{
    if (o->time_unit == TS_TIME_ISO) {
        double frac; /* within the second: buckets are whole seconds */
        return ts_parse_time(s, t, &frac);
    }
    double v;
    if (ts_parse_double(s, &v) != TS_OK || v < 0)
        return TS_EINPUT;
    static const double per_second[] = {[TS_TIME_S] = 1, [TS_TIME_MS] = 1e3, [TS_TIME_US] = 1e6};
    double secs = floor(v / per_second[o->time_unit]);
    if (!(secs < 9e15))
        return TS_EINPUT;
    *t = (int64_t)secs + (o->has_start ? o->start : 0);
    return TS_OK;
}

void ts_trace_warn_epoch(const ts_trace_options *o, const ts_buckets *b, const char *path, ts_diags *d)
{
    if (o->has_start || o->time_unit == TS_TIME_ISO || (o->format != TS_TRACE_CSV && o->format != TS_TRACE_JSONL) ||
        b->n == 0)
        return;
    int64_t first = b->e[0].bucket;
    for (size_t i = 1; i < b->n; i++)
        first = b->e[i].bucket < first ? b->e[i].bucket : first;
    first *= b->interval_s;
    if (first >= 100000000) /* 1973-03-03: the epoch times of any real trace lie later */
        return;
    static const char *const unit[] = {[TS_TIME_S] = "seconds", [TS_TIME_MS] = "milliseconds", [TS_TIME_US] = "microseconds"};
    char when[32];
    ts_fmt_time(first, when);
    ts_warn(d, path, 0, 0,
            "the requests begin at %s, read as %s since the epoch: offsets from the trace's start? (expected "
            "--start TIME, the time of offset 0, for a relative time axis)",
            when, unit[o->time_unit]);
}

static ts_status need_columns(trace_ctx *c, const ts_csv_row *row, const char *const *names, int *const *idx, int n,
                        const char *expect)
{
    int missing = 0;
    for (int i = 0; i < n; i++) {
        if (!names[i]) {
            *idx[i] = -1;
            continue;
        }
        *idx[i] = ts_csv_find(row, names[i]);
        if (*idx[i] < 0) {
            char hint[160];
            ts_csv_hint(row, names[i], hint, sizeof hint);
            ts_err(c->d, c->file, row->line[0], 1, "missing column %s (%sexpected %s)", names[i], hint, expect);
            missing = 1;
        }
    }
    return missing ? TS_EINPUT : TS_OK;
}

/* The columns of each request-log format. */
static ts_status request_header(trace_ctx *c, const ts_csv_row *row)
{
    const ts_trace_options *o = c->opt;
    c->header_seen = 1;
    c->c_in = c->c_out = c->c_tok = c->c_model = c->c_total = -1;
    c->n_time = o->time_field;
    if (o->format == TS_TRACE_AZURE) {
        c->n_time = "TIMESTAMP";
        c->n_in = "ContextTokens";
        c->n_out = "GeneratedTokens";
        const char *names[] = {"TIMESTAMP", "ContextTokens", "GeneratedTokens"};
        int *idx[] = {&c->c_time, &c->c_in, &c->c_out};
        return need_columns(c, row, names, idx, 3, "the header TIMESTAMP,ContextTokens,GeneratedTokens");
    }
    if (o->format == TS_TRACE_BURSTGPT) {
        c->n_time = "Timestamp";
        c->n_in = "Request tokens";
        c->n_out = "Response tokens";
        const char *names[] = {"Timestamp", "Model", "Request tokens", "Response tokens", "Total tokens"};
        int *idx[] = {&c->c_time, &c->c_model, &c->c_in, &c->c_out, &c->c_total};
        return need_columns(c, row, names, idx, 5,
                            "BurstGPT's header Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type");
    }
    if (o->format == TS_TRACE_MOONCAKE) { /* Mooncake's trace as CSV: its time in ms as timestamp or timestamp_ms */
        c->n_time = ts_csv_find(row, "timestamp_ms") >= 0 ? "timestamp_ms" : "timestamp";
        c->n_in = "input_length";
        c->n_out = "output_length";
        const char *names[] = {c->n_time, "input_length", "output_length"};
        int *idx[] = {&c->c_time, &c->c_in, &c->c_out};
        return need_columns(c, row, names, idx, 3,
                            "Mooncake's fields timestamp (or timestamp_ms), input_length, output_length");
    }
    const char *names[] = {o->time_field, o->tokens_field, o->model_field};
    int *idx[] = {&c->c_time, &c->c_tok, &c->c_model};
    return need_columns(c, row, names, idx, 3, "the fields named by --time-field, --tokens-field and --model-field");
}

static ts_status on_request(void *vctx, const ts_csv_row *row)
{
    trace_ctx *c = vctx;
    const ts_trace_options *o = c->opt;
    if (!c->header_seen)
        return request_header(c, row);
    int cols[] = {c->c_time, c->c_in, c->c_out, c->c_tok, c->c_model, c->c_total};
    for (int i = 0; i < 6; i++)
        if (cols[i] >= 0 && (size_t)cols[i] >= row->n) {
            char n[32], want[32];
            snprintf(n, sizeof n, "%zu", row->n);
            snprintf(want, sizeof want, "%d", cols[i] + 1);
            return row_error(c, row->line[0], row->col[0], "the row has %s fields (expected %s or more)", n, want);
        }
    int64_t t;
    double in = 0, out = 0, tokens;
    ts_trace_options ao = *o;
    if (o->format == TS_TRACE_AZURE)
        ao.time_unit = TS_TIME_ISO;
    if (o->format == TS_TRACE_BURSTGPT) {
        ao.time_unit = TS_TIME_S;
        ao.has_start = 1;
    }
    if (o->format == TS_TRACE_MOONCAKE) {
        ao.time_unit = TS_TIME_MS;
        ao.has_start = 1;
    }
    const char *ts = row->field[c->c_time];
    if (ts_trace_time(&ao, ts, &t) != 0) {
        char fmt[200];
        snprintf(fmt, sizeof fmt, "%s is \"%%s\" (expected %%s)", c->n_time);
        return row_error(c, row->line[c->c_time], row->col[c->c_time], fmt, ts,
                         ao.time_unit == TS_TIME_ISO ? "a time such as 2023-11-16 18:17:03.9799600"
                                                     : "a number of at least 0 in the time unit");
    }
    if (c->c_tok >= 0) {
        if (ts_parse_double(row->field[c->c_tok], &tokens) != 0 || tokens < 0)
            return row_error(c, row->line[c->c_tok], row->col[c->c_tok], "%s is \"%s\" (expected a count of at least 0)",
                             o->tokens_field, row->field[c->c_tok]);
    } else {
        int ci = c->c_in, co = c->c_out;
        if (ts_parse_double(row->field[ci], &in) != 0 || in < 0)
            return row_error(c, row->line[ci], row->col[ci], "%s is \"%s\" (expected a count of at least 0)", c->n_in,
                             row->field[ci]);
        if (ts_parse_double(row->field[co], &out) != 0 || out < 0)
            return row_error(c, row->line[co], row->col[co], "%s is \"%s\" (expected a count of at least 0)", c->n_out,
                             row->field[co]);
        tokens = ts_trace_pick(o->tokens, in, out);
    }
    const char *model = c->c_model >= 0 ? row->field[c->c_model] : o->model;
    if (o->select && c->c_model >= 0 && strcmp(model, o->select) != 0)
        return TS_OK;
    if (o->select && o->model)
        model = o->model;
    if (!model || !*model)
        return row_error(c, row->line[0], row->col[0], "the request names no model%s%s (expected a model, or --model)", "", "");
    if (ts_buckets_add(&c->b, model, t, tokens) != TS_OK) {
        return TS_ENOMEM; /* it stops the parse, which ends in it */
    }
    ts_time_watch_see(&c->watch, (double)(t - (ao.has_start ? ao.start : 0)), row->line[c->c_time]);
    return TS_OK;
}

static ts_status on_servegen(void *vctx, const ts_csv_row *row)
{
    trace_ctx *c = vctx;
    if (!c->header_seen) {
        c->header_seen = 1;
        /* the window's offset in hours, or in seconds (ServeGen's files of
         * other windows); the token estimates, or plain token counts */
        static const struct {
            const char *name;
            double hours_per_unit;
        } offsets[] = {{"hour_offset", 1.0}, {"window_offset_s", 1.0 / 3600.0}, {"offset_s", 1.0 / 3600.0}};
        const char *off = "hour_offset";
        c->offset_hours = 1.0;
        for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++)
            if (ts_csv_find(row, offsets[k].name) >= 0) {
                off = offsets[k].name;
                c->offset_hours = offsets[k].hours_per_unit;
                break;
            }
        const char *in = ts_csv_find(row, "input_tokens_est") < 0 && ts_csv_find(row, "input_tokens") >= 0
                             ? "input_tokens" : "input_tokens_est";
        const char *out = ts_csv_find(row, "output_tokens_est") < 0 && ts_csv_find(row, "output_tokens") >= 0
                              ? "output_tokens" : "output_tokens_est";
        c->n_time = off;
        const char *names[] = {"model", off, in, out};
        int *idx[] = {&c->c_model, &c->c_time, &c->c_in, &c->c_out};
        return need_columns(c, row, names, idx, 4,
                            "a header with model, hour_offset (or window_offset_s), input_tokens_est and "
                            "output_tokens_est (or input_tokens, output_tokens)");
    }
    int maxc = c->c_model;
    int cols[] = {c->c_time, c->c_in, c->c_out};
    for (int i = 0; i < 3; i++)
        maxc = cols[i] > maxc ? cols[i] : maxc;
    if (row->n <= (size_t)maxc) {
        char n[32], want[32];
        snprintf(n, sizeof n, "%zu", row->n);
        snprintf(want, sizeof want, "%d", maxc + 1);
        return row_error(c, row->line[0], row->col[0], "the row has %s fields (expected %s)", n, want);
    }
    const char *m = row->field[c->c_model];
    if (c->opt->select && strcmp(m, c->opt->select) != 0)
        return TS_OK;
    double h, in, outt;
    if (ts_parse_double(row->field[c->c_time], &h) != 0 || h < 0) {
        char fmt[200];
        snprintf(fmt, sizeof fmt, "%s is \"%%s\"%%s (expected a number of %s of at least 0)", c->n_time,
                 c->offset_hours == 1.0 ? "hours" : "seconds");
        return row_error(c, row->line[c->c_time], row->col[c->c_time], fmt, row->field[c->c_time], "");
    }
    h *= c->offset_hours;
    if (ts_parse_double(row->field[c->c_in], &in) != 0 || in < 0 || ts_parse_double(row->field[c->c_out], &outt) != 0 ||
        outt < 0)
        return row_error(c, row->line[c->c_in], row->col[c->c_in],
                         "token estimates are not numbers%s%s (expected counts of at least 0)", "", "");
    window_row *w = ts_grow(c->w, c->nw, &c->wcap, sizeof *w, 256);
    if (!w) {
        return TS_ENOMEM; /* it stops the parse, which ends in it */
    }
    c->w = w;
    const char *name = c->opt->model && c->opt->select ? c->opt->model : m;
    if (!(c->w[c->nw].model = ts_strdup(name))) {
        return TS_ENOMEM; /* it stops the parse, which ends in it */
    }
    c->w[c->nw].offset_h = h;
    c->w[c->nw].tokens = ts_trace_pick(c->opt->tokens, in, outt);
    c->nw++;
    return TS_OK;
}

/* ServeGen's rows, each at its window's rate: the window of a model is the
 * least positive step between its offsets (one hour with a single row). */
static void write_windows(trace_ctx *c, ts_buf *out)
{
    for (size_t i = 0; i < c->nw; i++) {
        double win = 0;
        for (size_t j = 0; j < c->nw; j++) {
            double step = c->w[j].offset_h - c->w[i].offset_h;
            if (step > 0 && !strcmp(c->w[j].model, c->w[i].model) && (win == 0 || step < win))
                win = step;
            step = -step;
            if (step > 0 && !strcmp(c->w[j].model, c->w[i].model) && (win == 0 || step < win))
                win = step;
        }
        if (win == 0)
            win = 1;
        int64_t t = c->opt->start + (int64_t)llround(c->w[i].offset_h * 3600.0);
        ts_series_row(out, t, c->w[i].model, c->w[i].tokens / win * c->opt->scale);
    }
}


static ts_status read_csv_trace(const char *path, const char *data, size_t len, const ts_trace_options *opt,
                                ts_buf *out, ts_diags *d)
{
    size_t before = d->n_errors;
    trace_ctx c;
    memset(&c, 0, sizeof c);
    c.file = path;
    c.opt = opt;
    c.d = d;
    c.b.interval_s = opt->interval_s;
    ts_csv_error err;
    int servegen = opt->format == TS_TRACE_SERVEGEN;
    ts_status parsed = ts_csv_parse(data, len, servegen ? on_servegen : on_request, &c, &err);
    if (ts_csv_report(parsed, &err, path, d) == TS_OK && !c.header_seen)
        ts_err(d, path, 1, 1, "the file is empty (expected a header line)");
    ts_row_errors_report(&c.seen, path, d);
    if (c.stopped_line) {
        size_t left = 0;
        for (size_t i = 0, l = 1; i < len; i++)
            if (data[i] == '\n' && ++l > (size_t)c.stopped_line && i + 1 < len)
                left++;
        ts_err(d, path, 0, 0, "%d errors: reading stopped at line %d, %zu rows left unread (expected a file in the format of --format)",
               TS_TRACE_MAX_ERRORS, c.stopped_line, left);
    }
    ts_status st = TS_OK;
    if (parsed == TS_ENOMEM)
        st = TS_ENOMEM;
    else if (d->n_errors > before)
        st = TS_EINPUT;
    else if (servegen) {
        if (c.nw == 0) {
            ts_err(d, path, 0, 0, "no rows%s (expected at least one row)", opt->select ? " of the selected model" : "");
            st = TS_EINPUT;
        } else {
            write_windows(&c, out);
        }
    } else if (c.b.n == 0) {
        ts_err(d, path, 0, 0, "no requests%s (expected at least one row)", opt->select ? " of the selected model" : "");
        st = TS_EINPUT;
    } else {
        ts_time_watch_report(&c.watch, path, c.n_time, d);
        ts_trace_warn_epoch(opt, &c.b, path, d);
        st = ts_buckets_write(&c.b, path, opt->scale, out, d);
    }
    for (size_t i = 0; i < c.nw; i++)
        free(c.w[i].model);
    free(c.w);
    ts_buckets_free(&c.b);
    return st;
}

ts_status ts_trace_import(const char *path, const ts_trace_options *opt, ts_buf *out, ts_diags *d)
{
    char *data = NULL;
    size_t len = 0;
    ts_read_failure why;
    ts_status e = ts_read_file(path, &data, &len, &why);
    if (e == TS_ENOMEM) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    if (e != TS_OK) {
        ts_err(d, path, 0, 0, "cannot read: %s (expected a readable trace file)", why.why);
        return TS_EINPUT;
    }
    int nl, nc;
    if (ts_find_nul(data, len, &nl, &nc)) {
        ts_err(d, path, nl, nc, "a NUL byte (expected a text file)");
        free(data);
        return TS_EINPUT;
    }
    if (opt->header)
        ts_buf_puts(out, "timestamp,model,demand_tokens_per_hour\n");
    ts_status st;
    size_t lead = 0;
    while (lead < len && (data[lead] == ' ' || data[lead] == '\t' || data[lead] == '\r' || data[lead] == '\n'))
        lead++;
    /* Mooncake's trace comes as JSON Lines or as CSV (its header first) */
    const int mooncake_csv = opt->format == TS_TRACE_MOONCAKE && lead < len && data[lead] != '{';
    if (opt->format == TS_TRACE_JSONL && lead < len && data[lead] != '{') {
        /* one error for the file, not one a line: it is not JSON Lines */
        const char *eol = memchr(data + lead, '\n', len - lead);
        int n = (int)((eol ? (size_t)(eol - data) : len) - lead), line = 1;
        for (size_t k = 0; k < lead; k++)
            line += data[k] == '\n';
        ts_err(d, path, line, 1, "the file is not JSON Lines: its first line is %.*s%s (expected one JSON object a line; a CSV "
                              "file is read by --format csv)",
               n > 120 ? 120 : n, data + lead, n > 120 ? "..." : "");
        free(data);
        return TS_EINPUT;
    }
    switch (mooncake_csv ? TS_TRACE_CSV : opt->format) {
    case TS_TRACE_JSONL:
    case TS_TRACE_MOONCAKE: st = ts_trace_jsonl(path, data, len, opt, out, d); break;
    case TS_TRACE_PROMETHEUS: st = ts_trace_prometheus(path, data, len, opt, out, d); break;
    default: st = read_csv_trace(path, data, len, opt, out, d); break;
    }
    free(data);
    if (st == TS_OK && out->oom)
        st = TS_ENOMEM;
    if (st == TS_ENOMEM)
        d->oom = 1;
    return st;
}

ts_status ts_parse_utc(const char *s, int64_t *secs)
{
    double frac;
    return ts_parse_time(s, secs, &frac) == 0 && frac == 0.0 ? TS_OK : TS_EINPUT;
}
