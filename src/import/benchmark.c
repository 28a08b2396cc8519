/*
 * benchmark.c — latency profile points from the result files of benchmark
 * tools (ts_benchmark_read, benchmark.h).
 *
 * vLLM's `vllm bench serve --save-result` (vllm/benchmarks/serve.py) writes
 * one load point a file: `output_throughput` (output tokens/s),
 * `max_concurrency` or `request_rate` (the string "inf" when unbounded),
 * `total_input_tokens`, `total_output_tokens` and `completed` (so the mean
 * lengths), and per metric `median_<m>_ms` and `p<P>_<m>_ms` for the
 * percentiles asked (`--metric-percentiles`, default 99 alone) with m in
 * ttft, itl. GuideLLM's report (src/guidellm/benchmark/schemas) holds
 * `benchmarks[]`, each with `metrics.<name>.successful` statistics
 * (`mean`, `median`, `percentiles.p50/p95/p99`) for
 * `output_tokens_per_second`, `time_to_first_token_ms`,
 * `inter_token_latency_ms`, `request_concurrency` and
 * `requests_per_second`; older releases put the statistics directly under
 * the metric, which is read too.
 */
#include "import/benchmark.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A number field of o, or NAN. */
static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static ts_status add_point(ts_latency_point **pts, size_t *n, size_t *cap, const ts_latency_point *p,
                           const char *file, size_t index, ts_diags *d)
{
    ts_latency_point *g = ts_grow(*pts, *n, cap, sizeof *g, 8);
    if (g)
        *pts = g; /* grown: the caller's now, whatever follows */
    char src[1024];
    snprintf(src, sizeof src, index ? "%s (benchmark %zu)" : "%s", file, index);
    char *s = g ? ts_strdup(src) : NULL;
    if (!s) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    g[*n] = *p;
    g[*n].source = s;
    (*n)++;
    return TS_OK;
}

/* One vLLM result. */
static ts_status read_vllm(const json_t *o, const char *file, ts_latency_point **pts, size_t *n, size_t *cap,
                           ts_diags *d)
{
    ts_latency_point p = {.output_tps = num(o, "output_throughput")};
    double conc = num(o, "max_concurrency"), rate = num(o, "request_rate"), done = num(o, "completed");
    p.load = !isnan(conc) ? conc : !isnan(rate) ? rate : 0.0;
    if (done > 0) {
        double in = num(o, "total_input_tokens"), out = num(o, "total_output_tokens");
        p.input_len = isnan(in) ? 0.0 : in / done;
        p.output_len = isnan(out) ? 0.0 : out / done;
    }
    static const char *const metric[2] = {"ttft", "itl"};
    static const char *const pct[TS_PCT_COUNT] = {"median", "p95", "p99"};
    for (int m = 0; m < 2; m++)
        for (int q = 0; q < TS_PCT_COUNT; q++) {
            char key[32];
            snprintf(key, sizeof key, "%s_%s_ms", pct[q], metric[m]);
            double v = num(o, key);
            if (q == TS_P50 && isnan(v)) {
                snprintf(key, sizeof key, "p50_%s_ms", metric[m]);
                v = num(o, key);
            }
            *(m ? &p.itl_ms[q] : &p.ttft_ms[q]) = v;
        }
    if (!(p.output_tps > 0)) {
        ts_err(d, file, 0, 0, "output_throughput is missing or not above 0 (expected the output tokens/s of a "
                              "vllm bench serve --save-result file)");
        return TS_EINPUT;
    }
    return add_point(pts, n, cap, &p, file, 0, d);
}

/* A GuideLLM statistic: metrics.<name>.successful (or the metric itself). */
static const json_t *stat(const json_t *metrics, const char *name)
{
    const json_t *m = json_object_get(metrics, name);
    const json_t *s = json_object_get(m, "successful");
    return s ? s : m;
}

static double stat_pct(const json_t *st, int q)
{
    static const char *const key[TS_PCT_COUNT] = {"p50", "p95", "p99"};
    double v = num(json_object_get(st, "percentiles"), key[q]);
    return isnan(v) && q == TS_P50 ? num(st, "median") : v;
}

/* Every benchmark of a GuideLLM report. */
static ts_status read_guidellm(const json_t *root, const char *file, ts_latency_point **pts, size_t *n,
                               size_t *cap, ts_diags *d)
{
    const json_t *bs = json_object_get(root, "benchmarks");
    size_t i;
    const json_t *b;
    json_array_foreach(bs, i, b)
    {
        const json_t *m = json_object_get(b, "metrics");
        ts_latency_point p = {.output_tps = num(stat(m, "output_tokens_per_second"), "mean")};
        double conc = num(stat(m, "request_concurrency"), "mean"), rate = num(stat(m, "requests_per_second"), "mean");
        p.load = !isnan(conc) ? conc : !isnan(rate) ? rate : 0.0;
        double in = num(stat(m, "prompt_token_count"), "mean"), out = num(stat(m, "output_token_count"), "mean");
        p.input_len = isnan(in) ? 0.0 : in;
        p.output_len = isnan(out) ? 0.0 : out;
        for (int q = 0; q < TS_PCT_COUNT; q++) {
            p.ttft_ms[q] = stat_pct(stat(m, "time_to_first_token_ms"), q);
            p.itl_ms[q] = stat_pct(stat(m, "inter_token_latency_ms"), q);
        }
        if (!(p.output_tps > 0)) {
            ts_err(d, file, 0, 0, "benchmarks[%zu].metrics.output_tokens_per_second has no mean above 0 (expected "
                                  "a GuideLLM benchmarks.json)", i);
            continue;
        }
        if (add_point(pts, n, cap, &p, file, i + 1, d) != TS_OK)
            return TS_ENOMEM;
    }
    if (json_array_size(bs) == 0)
        ts_err(d, file, 0, 0, "benchmarks is empty (expected the benchmarks of a GuideLLM report)");
    return TS_OK;
}

ts_status ts_benchmark_read(const char *file, const char *text, size_t len, ts_latency_point **pts, size_t *n,
                            size_t *cap, ts_diags *d)
{
    size_t before = d->n_errors;
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) {
        ts_err(d, file, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
               "not JSON: %s (expected the JSON result of vllm bench serve --save-result or a GuideLLM report)",
               je.text);
        return TS_EINPUT;
    }
    ts_status st;
    if (json_is_array(json_object_get(root, "benchmarks")))
        st = read_guidellm(root, file, pts, n, cap, d);
    else if (json_is_object(root) && json_object_get(root, "output_throughput"))
        st = read_vllm(root, file, pts, n, cap, d);
    else {
        ts_err(d, file, 1, 1, "neither a vLLM benchmark result (output_throughput, median_ttft_ms, ...) nor a "
                              "GuideLLM report (benchmarks: [...]) (expected one of those, or a CSV profile)");
        st = TS_EINPUT;
    }
    json_decref(root);
    if (d->oom)
        return TS_ENOMEM;
    return st == TS_OK && d->n_errors > before ? TS_EINPUT : st;
}
