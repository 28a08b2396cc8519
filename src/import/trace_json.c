/*
 * trace_json.c — JSON Lines request logs and Prometheus results; see
 * trace_json.h. JSON is parsed by jansson.
 *
 * jsonl: one object per line; --time-field, --tokens-field, --model-field
 *   as for csv. mooncake: timestamp (ms from --start), input_length,
 *   output_length (--tokens chooses).
 * prometheus: the JSON of /api/v1/query_range: data.result[] of
 *   {metric: {LABEL: model, ...}, values: [[unix_seconds, "value"], ...]},
 *   one series per model (the label is --label, default model_name). The
 *   series' step is its least gap between samples; rows come out at that
 *   step. A rate (the default) is taken as tokens per second. A counter
 *   (--counter) becomes a rate by Prometheus' own reset rule: a value
 *   below the previous one means the counter restarted from zero, so the
 *   increase is the new value itself. Gaps: a missing sample of a rate is
 *   no demand; across missing samples of a counter the increase is spread
 *   evenly. "NaN" and "+Inf" values count as missing. Each is noted in a
 *   warning with its count.
 */
#include "import/buckets.h"
#include "import/trace_json.h"
#include "import/timewatch.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/numfmt.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A field's value as text (a string, or a number printed exactly). */
static const char *field_text(json_t *v, char *buf, size_t size)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        ts_fmt_double(json_real_value(v), buf);
        return buf;
    }
    return NULL;
}

/* One JSONL object as a request: its time, tokens and model (NULL when
 * --select leaves it out). Returns NULL, or why it is not one (in msg). */
static const char *jsonl_request(json_t *obj, const ts_trace_options *o, const ts_trace_options *ao, int64_t *t,
                                 double *tokens, const char **model, char *msg, size_t size)
{
    char tb[64], kb[64];
    const char *ts = field_text(json_object_get(obj, ao->time_field), tb, sizeof tb);
    if (!ts || ts_trace_time(ao, ts, t) != 0) {
        snprintf(msg, size, "%s is %s (expected a time in the time unit)", ao->time_field, ts ? ts : "missing");
        return msg;
    }
    if (o->format == TS_TRACE_MOONCAKE) {
        json_t *a = json_object_get(obj, "input_length"), *b = json_object_get(obj, "output_length");
        if (!json_is_number(a) || !json_is_number(b) || json_number_value(a) < 0 || json_number_value(b) < 0) {
            snprintf(msg, size, "input_length or output_length is missing or negative (expected counts)");
            return msg;
        }
        *tokens = ts_trace_pick(o->tokens, json_number_value(a), json_number_value(b));
    } else {
        const char *tk = field_text(json_object_get(obj, ao->tokens_field), kb, sizeof kb);
        if (!tk || ts_parse_double(tk, tokens) != 0 || *tokens < 0) {
            snprintf(msg, size, "%s is %s (expected a count of at least 0)", ao->tokens_field, tk ? tk : "missing");
            return msg;
        }
    }
    if (ao->model_field) {
        *model = json_string_value(json_object_get(obj, ao->model_field));
        if (!*model) {
            snprintf(msg, size, "%s is missing (expected the model's name)", ao->model_field);
            return msg;
        }
        if (o->select && strcmp(*model, o->select) != 0)
            *model = NULL;
        else if (o->select && o->model)
            *model = o->model;
    }
    return NULL;
}

ts_status ts_trace_jsonl(const char *path, const char *data, size_t len, const ts_trace_options *o, ts_buf *out,
                         ts_diags *d)
{
    size_t before = d->n_errors, errors = 0;
    ts_buckets b;
    memset(&b, 0, sizeof b);
    b.interval_s = o->interval_s;
    ts_trace_options ao = *o;
    int mooncake = o->format == TS_TRACE_MOONCAKE;
    if (mooncake) {
        ao.time_field = "timestamp";
        ao.time_unit = TS_TIME_MS;
        ao.has_start = 1;
        ao.model_field = NULL;
    }
    ts_row_errors *seen = ts_calloc(1, sizeof *seen);
    if (!seen)
        return TS_ENOMEM;
    ts_time_watch watch = {0};
    int line = 0, stopped = 0, oom = 0;
    size_t left = 0;
    for (const char *s = data, *end = data + len; s < end && !oom;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        line++;
        const char *next = nl ? nl + 1 : end;
        if (stopped) {
            left += n > 0;
            s = next;
            continue;
        }
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k == n) {
            s = next;
            continue;
        }
        json_error_t je;
        json_t *obj = json_loadb(s, n, 0, &je);
        char msg[600];
        int64_t t = 0;
        double tokens = 0;
        const char *model = o->model;
        const char *why = NULL;
        if (!obj || !json_is_object(obj)) {
            snprintf(msg, sizeof msg, "not a JSON object: %s (expected one object per line)", obj ? "another value" : je.text);
            why = msg;
        } else {
            why = jsonl_request(obj, o, &ao, &t, &tokens, &model, msg, sizeof msg);
        }
        if (why) {
            if (ts_row_errors_first(seen, why, line)) { /* else one more row of a problem reported */
                ts_err(d, path, line, 1, "%s", why);
                if (++errors >= TS_TRACE_MAX_ERRORS)
                    stopped = line;
            }
        } else if (model && ts_buckets_add(&b, model, t, tokens) != TS_OK) {
            oom = 1;
        } else {
            ts_time_watch_see(&watch, (double)(t - (ao.has_start ? ao.start : 0)), line);
        }
        json_decref(obj);
        s = next;
    }
    ts_row_errors_report(seen, path, d);
    free(seen);
    if (stopped)
        ts_err(d, path, 0, 0, "%d errors: reading stopped at line %d, %zu rows left unread (expected a file in the format of --format)",
               TS_TRACE_MAX_ERRORS, stopped, left);
    ts_status st = TS_OK;
    if (oom)
        st = TS_ENOMEM;
    else if (d->n_errors > before)
        st = TS_EINPUT;
    else if (b.n == 0) {
        ts_err(d, path, 0, 0, "no requests (expected at least one line)");
        st = TS_EINPUT;
    } else {
        ts_time_watch_report(&watch, path, ao.time_field, d);
        ts_trace_warn_epoch(o, &b, path, d);
        st = ts_buckets_write(&b, path, o->scale, out, d);
    }
    ts_buckets_free(&b);
    return st;
}

/* One sample of a series. */
typedef struct sample {
    int64_t t;
    double v;          /* NaN: missing */
} sample;

/* Whether the k samples of s (NaNs aside) look like a counter, as a rate
 * seldom does: they rise at two thirds of their steps or more (two at
 * least), and fall (a counter's restart) at one step in ten at most, or
 * once. */
static bool looks_like_counter(const sample *s, size_t k)
{
    size_t rises = 0, falls = 0, steps = 0;
    double prev = NAN;
    for (size_t i = 0; i < k; i++) {
        if (isnan(s[i].v))
            continue;
        if (!isnan(prev)) {
            rises += s[i].v > prev;
            falls += s[i].v < prev;
            steps++;
        }
        prev = s[i].v;
    }
    return rises >= 2 && 3 * rises >= 2 * steps && falls <= (steps / 10 > 1 ? steps / 10 : 1);
}

/* The warnings of a series read: a rate that looks like a counter, its
 * gaps and NaNs, a counter's restarts. */
static void series_notes(const char *path, const char *model, const sample *s, size_t k, size_t gaps, size_t bad,
                         size_t resets, const ts_trace_options *o, ts_diags *d)
{
    if (!o->counter && looks_like_counter(s, k))
        ts_warn(d, path, 0, 0,
                "the series of %s grows at most of its %zu samples (from %g to %g): a counter such as "
                "vllm:generation_tokens_total? Read as a rate it is taken as tokens per second (expected --counter to "
                "take its increase per step as the rate)",
                model, k, s[0].v, s[k - 1].v);
    if (gaps || bad)
        ts_warn(d, path, 0, 0, "the series of %s has %zu missing and %zu NaN samples: %s", model, gaps, bad,
                o->counter ? "the counter's increase is spread over them" : "taken as no demand");
    if (resets)
        ts_warn(d, path, 0, 0, "the counter of %s restarted %zu times: each increase taken from zero", model, resets);
}

/* Writes one Prometheus series as rows at its step. */
static ts_status prom_series(const char *path, int idx, const char *model, json_t *values, const ts_trace_options *o,
                             ts_buf *out, ts_diags *d)
{
    size_t n = json_array_size(values);
    sample *s = ts_malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return TS_ENOMEM;
    size_t k = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(values, i);
        json_t *tv = json_array_get(p, 0), *vv = json_array_get(p, 1);
        double v;
        if (!json_is_number(tv) || !json_is_string(vv)) {
            ts_err(d, path, 0, 0, "data.result[%d].values[%zu] is not [unix_seconds, \"value\"] (expected a query_range result)",
                   idx, i);
            free(s);
            return TS_EINPUT;
        }
        const char *vs = json_string_value(vv);
        if (ts_parse_double(vs, &v) != 0 || !isfinite(v)) {
            v = NAN;
            bad++;
        }
        s[k++] = (sample){(int64_t)llround(json_number_value(tv)), v};
    }
    if (k < 2) {
        ts_err(d, path, 0, 0, "the series of %s has %zu samples (expected at least two, to know its step)", model, k);
        free(s);
        return TS_EINPUT;
    }
    int64_t step = 0;
    for (size_t i = 1; i < k; i++) {
        int64_t g = s[i].t - s[i - 1].t;
        if (g <= 0) {
            ts_err(d, path, 0, 0, "the series of %s goes back in time at sample %zu (expected increasing timestamps)",
                   model, i);
            free(s);
            return TS_EINPUT;
        }
        if (step == 0 || g < step)
            step = g;
    }
    /* query_range samples lie on one grid; a gap off it, or a span of more
     * rows than any trace may have, is not such a result */
    for (size_t i = 1; i < k; i++)
        if ((s[i].t - s[i - 1].t) % step != 0) {
            ts_err(d, path, 0, 0,
                   "the series of %s has sample %zu %lld s after the previous one, not a multiple of its step of "
                   "%lld s (expected evenly spaced samples, as query_range returns them)",
                   model, i, (long long)(s[i].t - s[i - 1].t), (long long)step);
            free(s);
            return TS_EINPUT;
        }
    int64_t rows = (s[k - 1].t - s[0].t) / step + 1;
    if (rows > TS_TRACE_MAX_BUCKETS) {
        char t0[32], t1[32];
        ts_fmt_time(s[0].t, t0);
        ts_fmt_time(s[k - 1].t, t1);
        ts_err(d, path, 0, 0,
               "the series of %s spans %s to %s: %lld samples of %lld s (expected at most %d: a query over a shorter "
               "range or a longer step)",
               model, t0, t1, (long long)rows, (long long)step, TS_TRACE_MAX_BUCKETS);
        free(s);
        return TS_EINPUT;
    }
    size_t gaps = 0, resets = 0;
    double prev = NAN;
    int64_t prev_t = s[0].t;
    if (!o->counter)
        ts_series_row(out, s[0].t, model, (isnan(s[0].v) ? 0 : s[0].v) * 3600.0 * o->scale);
    else
        prev = s[0].v;
    for (size_t i = 1; i < k; i++) {
        int64_t missing = (s[i].t - s[i - 1].t) / step - 1;
        gaps += (size_t)missing;
        if (!o->counter) {
            for (int64_t m = 1; m <= missing; m++)
                ts_series_row(out, s[i - 1].t + m * step, model, 0.0);
            ts_series_row(out, s[i].t, model, (isnan(s[i].v) ? 0 : s[i].v) * 3600.0 * o->scale);
            continue;
        }
        if (isnan(s[i].v))
            continue; /* spread over with the next valid sample */
        double inc = isnan(prev) ? 0.0 : s[i].v >= prev ? s[i].v - prev : s[i].v;
        resets += !isnan(prev) && s[i].v < prev;
        int64_t steps = (s[i].t - prev_t) / step;
        for (int64_t m = 1; m <= steps; m++)
            ts_series_row(out, prev_t + m * step, model, inc / (double)(steps * step) * 3600.0 * o->scale);
        prev = s[i].v;
        prev_t = s[i].t;
    }
    series_notes(path, model, s, k, gaps, bad, resets, o, d);
    free(s);
    return TS_OK;
}

ts_status ts_trace_prometheus(const char *path, const char *data, size_t len, const ts_trace_options *o,
                              ts_buf *out, ts_diags *d)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, 0, &je);
    if (!root) {
        ts_err(d, path, je.line, je.column, "invalid JSON: %s (expected the JSON of a Prometheus query_range call)",
               je.text);
        return TS_EINPUT;
    }
    const char *label = o->label ? o->label : "model_name";
    json_t *result = json_object_get(json_object_get(root, "data"), "result");
    ts_status st = TS_OK;
    if (!json_is_array(result)) {
        ts_err(d, path, 0, 0, "no data.result list (expected the JSON of a Prometheus query_range call)");
        st = TS_EINPUT;
    }
    size_t written = 0;
    for (size_t i = 0; st == TS_OK && i < json_array_size(result); i++) {
        json_t *r = json_array_get(result, i);
        const char *model = json_string_value(json_object_get(json_object_get(r, "metric"), label));
        if (!model) {
            ts_err(d, path, 0, 0, "data.result[%zu] has no label %s (expected the model's name in it; --label names another)",
                   i, label);
            st = TS_EINPUT;
            break;
        }
        if (o->select && strcmp(model, o->select) != 0)
            continue;
        st = prom_series(path, (int)i, o->select && o->model ? o->model : model, json_object_get(r, "values"), o, out, d);
        written++;
    }
    if (st == TS_OK && written == 0) {
        ts_err(d, path, 0, 0, "no series%s (expected at least one in data.result)", o->select ? " of the selected model" : "");
        st = TS_EINPUT;
    }
    json_decref(root);
    return st;
}
