/*
 * latency.c — the latency profiles of an inputs folder (ts_load_latency,
 * latency.h): DIR/facts/latency_profiles.yaml names, per (model, GPU,
 * GPUs per instance), the benchmark files it was measured in:
 *
 *   profiles:
 *     - model: Qwen/Qwen2.5-7B-Instruct
 *       gpu: L40S
 *       gpu_count: 1                  # default 1
 *       files: [latency/qwen-c8.json, latency/qwen-c32.json]
 *
 * A file is a vLLM benchmark result or a GuideLLM report (JSON, see
 * import/benchmark.c) or a CSV with the header
 *   output_tokens_per_s[,concurrency|request_rate][,input_len,output_len]
 *   [,ttft_p50_ms,ttft_p95_ms,ttft_p99_ms,itl_p50_ms,itl_p95_ms,itl_p99_ms]
 * (an empty cell: not measured). Paths are relative to the YAML file.
 */
#include "inputs/latency.h"
#include "import/benchmark.h"
#include "inputs/files.h"
#include "inputs/gpus.h"
#include "util/alloc.h"
#include "util/csvread.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/numfmt.h"
#include "util/yamlread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- CSV */

static const char *const csv_cols[] = {"output_tokens_per_s", "concurrency", "request_rate", "input_len", "output_len",
                                       "ttft_p50_ms", "ttft_p95_ms", "ttft_p99_ms", "itl_p50_ms", "itl_p95_ms",
                                       "itl_p99_ms"};
#define N_CSV_COLS (sizeof csv_cols / sizeof csv_cols[0])

typedef struct csv_ctx {
    const char *file;
    int header_seen;
    int col[N_CSV_COLS];
    ts_latency_point **pts;
    size_t *n, *cap;
    ts_diags *d;
} csv_ctx;

/* The cell of column k of row as a number (NAN when empty or absent);
 * 0 when it is not a number of 0 or more (said). */
static int cell(csv_ctx *c, const ts_csv_row *row, size_t k, double *out)
{
    *out = NAN;
    int i = c->col[k];
    if (i < 0 || (size_t)i >= row->n || !row->field[i][0])
        return 1;
    if (ts_parse_double(row->field[i], out) != TS_OK || !(*out >= 0)) {
        ts_err(c->d, c->file, row->line[i], row->col[i], "%s is \"%s\" (expected a number of 0 or more, or an empty cell)",
               csv_cols[k], row->field[i]);
        return 0;
    }
    return 1;
}

static ts_status on_profile_row(void *vctx, const ts_csv_row *row)
{
    csv_ctx *c = vctx;
    if (!c->header_seen) {
        c->header_seen = 1;
        for (size_t k = 0; k < N_CSV_COLS; k++)
            c->col[k] = ts_csv_find(row, csv_cols[k]);
        if (c->col[0] < 0) {
            char hint[160];
            ts_csv_hint(row, csv_cols[0], hint, sizeof hint);
            ts_err(c->d, c->file, row->line[0], 1, "missing column output_tokens_per_s (%sexpected a header with "
                   "output_tokens_per_s and ttft_p95_ms, itl_p95_ms, ... as docs/inputs.md shows)", hint);
            return TS_EINPUT;
        }
        return TS_OK;
    }
    double v[N_CSV_COLS];
    int ok = 1;
    for (size_t k = 0; k < N_CSV_COLS; k++)
        ok &= cell(c, row, k, &v[k]);
    if (ok && !(v[0] > 0)) {
        int i = c->col[0];
        ts_err(c->d, c->file, row->line[0], (size_t)i < row->n ? row->col[i] : 1,
               "output_tokens_per_s is missing or 0 (expected the output tokens/s the replica served at this load)");
        ok = 0;
    }
    if (!ok)
        return TS_OK;
    ts_latency_point p = {.output_tps = v[0],
                          .load = !isnan(v[1]) ? v[1] : !isnan(v[2]) ? v[2] : 0.0,
                          .input_len = isnan(v[3]) ? 0.0 : v[3],
                          .output_len = isnan(v[4]) ? 0.0 : v[4],
                          .ttft_ms = {v[5], v[6], v[7]},
                          .itl_ms = {v[8], v[9], v[10]}};
    ts_latency_point *g = ts_grow(*c->pts, *c->n, c->cap, sizeof *g, 8);
    if (g)
        *c->pts = g;
    char src[1024];
    snprintf(src, sizeof src, "%s:%d", c->file, row->line[0]);
    if (!g || !(p.source = ts_strdup(src))) {
        c->d->oom = 1;
        return TS_ENOMEM;
    }
    g[(*c->n)++] = p;
    return TS_OK;
}

/* ------------------------------------------------------------ the index */

static int by_tps(const void *a, const void *b)
{
    double x = ((const ts_latency_point *)a)->output_tps, y = ((const ts_latency_point *)b)->output_tps;
    return (x > y) - (x < y);
}

/* Reads one file of a profile into pr's points. */
static void read_profile_file(ts_inputs *in, ts_latency_profile *pr, size_t *cap, const char *path, ts_diags *d)
{
    size_t n = strlen(path);
    if (n > 4 && !strcmp(path + n - 4, ".csv")) {
        csv_ctx c = {.file = path, .pts = &pr->pts, .n = &pr->n, .cap = cap, .d = d};
        ts_inputs_parse_csv(in, path, 0, on_profile_row, &c, &c.header_seen,
                            "a header with output_tokens_per_s, ttft_p95_ms, itl_p95_ms, ...", d);
        return;
    }
    size_t len;
    char *text = ts_inputs_read_file(in, path, &len, 0, d);
    if (text)
        ts_benchmark_read(path, text, len, &pr->pts, &pr->n, cap, d);
    free(text);
}

/* Entry e of the profiles list: its keys, then its files. */
static void read_entry(ts_inputs *in, ts_yaml *y, yaml_node_t *e, const char *dir, ts_diags *d)
{
    if (e->type != YAML_MAPPING_NODE) {
        ts_yaml_err(y, e, "a profiles entry is not a mapping (expected model:, gpu:, gpu_count: and files:)");
        return;
    }
    ts_yaml_unique_keys(y, e, "profiles[]", 0);
    const char *model = ts_yaml_scalar(ts_yaml_get(y, e, "model"));
    const char *gpu = ts_yaml_scalar(ts_yaml_get(y, e, "gpu"));
    yaml_node_t *gc = ts_yaml_get(y, e, "gpu_count"), *fl = ts_yaml_get(y, e, "files");
    int64_t count = 1;
    if (gc && ts_yaml_int(y, gc, "gpu_count", "an integer from 1 to 1024", &count, d) != TS_OK)
        return;
    if (count < 1 || count > 1024) {
        ts_yaml_err(y, gc, "gpu_count is %lld (expected an integer from 1 to 1024)", (long long)count);
        return;
    }
    if (!model || !*model || !gpu || !*gpu) {
        ts_yaml_err(y, e, "a profile without %s (expected model:, gpu: and files:)", !model || !*model ? "model" : "gpu");
        return;
    }
    if (!fl || fl->type != YAML_SEQUENCE_NODE || fl->data.sequence.items.top == fl->data.sequence.items.start) {
        ts_yaml_err(y, fl ? fl : e, "profile %s on %s has no files (expected files: [a list of benchmark results, "
                                    "relative to this file])", model, gpu);
        return;
    }
    ts_latency_profile *grown = ts_grow(in->profiles, in->n_profiles, &in->cap_profiles, sizeof *grown, 4);
    if (!grown) {
        d->oom = 1;
        return;
    }
    in->profiles = grown;
    ts_latency_profile *pr = &in->profiles[in->n_profiles++];
    memset(pr, 0, sizeof *pr);
    pr->model = ts_strdup(model);
    pr->gpu = ts_strdup(gpu);
    pr->file = ts_strdup(y->file);
    pr->gpu_count = count;
    pr->line = ts_yaml_line(e);
    pr->col = ts_yaml_col(e);
    if (!pr->model || !pr->gpu || !pr->file)
        d->oom = 1;
    size_t cap = 0;
    for (yaml_node_item_t *it = fl->data.sequence.items.start; it < fl->data.sequence.items.top && !d->oom; it++) {
        yaml_node_t *fn = yaml_document_get_node(&y->doc, *it);
        const char *f = ts_yaml_scalar(fn);
        if (!f || !*f || (!in->allow_outside && ts_path_escapes(f, 1))) {
            ts_yaml_err(y, fn, "a files entry is not a file inside the inputs folder (expected a path relative to "
                               "latency_profiles.yaml)");
            continue;
        }
        char *path = ts_path_join(dir, f);
        if (!path) {
            d->oom = 1;
            break;
        }
        read_profile_file(in, pr, &cap, path, d);
        free(path);
    }
    if (pr->n)
        qsort(pr->pts, pr->n, sizeof *pr->pts, by_tps);
}

/* Attaches each profile to its candidate; says what cannot be. */
static void attach(ts_inputs *in, ts_diags *d)
{
    for (size_t i = 0; i < in->n_profiles; i++) {
        ts_latency_profile *pr = &in->profiles[i];
        char want[64], have[64];
        ts_gpu_normalize(pr->gpu, want, sizeof want);
        ts_candidate *c = NULL;
        for (size_t k = 0; k < in->n_cand && !c; k++) {
            ts_gpu_normalize(in->cand[k].gpu, have, sizeof have);
            if (!strcmp(in->cand[k].model, pr->model) && !strcmp(want, have) && in->cand[k].gpu_count == pr->gpu_count)
                c = &in->cand[k];
        }
        if (!c) {
            ts_err(d, pr->file, pr->line, pr->col, "the profile of %s on %s x%lld matches no throughput row (expected "
                   "a model, gpu and gpu_count of facts/tps_model_gpu.csv)", pr->model, pr->gpu, (long long)pr->gpu_count);
            continue;
        }
        if (c->latency) {
            ts_err(d, pr->file, pr->line, pr->col, "a second profile of %s on %s x%lld (expected one per model, gpu "
                   "and gpu_count; put all its files in one entry)", pr->model, pr->gpu, (long long)pr->gpu_count);
            continue;
        }
        c->latency = pr;
    }
}

/* The SLO's throughput of every profiled candidate, and what a profile
 * cannot answer. */
static void at_slo(ts_inputs *in, ts_diags *d)
{
    static const char *const mname[2] = {"ttft", "itl"}, *const pname[TS_PCT_COUNT] = {"p50", "p95", "p99"};
    for (size_t k = 0; k < in->n_cand; k++) {
        ts_candidate *c = &in->cand[k];
        const ts_latency_profile *pr = c->latency;
        const ts_slo *slo = ts_inputs_slo(in, c->model);
        if (!pr || !pr->n || !ts_slo_any(slo))
            continue;
        for (int m = 0; m < 2; m++)
            for (int q = 0; q < TS_PCT_COUNT; q++) {
                double ms = m ? slo->itl_ms[q] : slo->ttft_ms[q];
                int col = ms > 0 ? ts_latency_column(pr, m, q) : q;
                if (col == TS_NOT_FOUND)
                    ts_warn(&in->warnings, pr->file, pr->line, pr->col, "the profile of %s on %s has no %s at every "
                            "point: slo.%s_%s_ms is not checked on it", pr->model, pr->gpu, mname[m], mname[m], pname[q]);
                else if (col != q)
                    ts_warn(&in->warnings, pr->file, pr->line, pr->col, "the profile of %s on %s has no %s %s: its "
                            "%s is read for slo.%s_%s_ms", pr->model, pr->gpu, pname[q], mname[m], pname[col], mname[m],
                            pname[q]);
            }
        c->slo_tps = ts_latency_slo_tps(pr, slo);
        c->has_slo_tps = c->slo_tps > 0;
        if (!c->has_slo_tps)
            ts_err(d, pr->file, pr->line, pr->col, "no load of the profile of %s on %s meets the SLO (expected an slo: "
                   "its lowest load meets; at %g output tokens/s it measured TTFT p95 %g ms, ITL p95 %g ms)",
                   pr->model, pr->gpu, pr->pts[0].output_tps, pr->pts[0].ttft_ms[TS_P95], pr->pts[0].itl_ms[TS_P95]);
    }
}

void ts_load_latency(ts_inputs *in, ts_diags *d)
{
    char *path = ts_path_join(in->dir, "facts/latency_profiles.yaml");
    char *dir = ts_path_join(in->dir, "facts");
    size_t len;
    char *text = path && dir ? ts_inputs_read_file(in, path, &len, 1, d) : NULL;
    if (!path || !dir)
        d->oom = 1;
    ts_yaml y;
    if (text && ts_yaml_load(&y, path, text, len, d) == TS_OK) {
        yaml_node_t *root = ts_yaml_root(&y);
        yaml_node_t *list = root && root->type == YAML_MAPPING_NODE ? ts_yaml_get(&y, root, "profiles") : NULL;
        if (root && root->type == YAML_MAPPING_NODE)
            ts_yaml_unique_keys(&y, root, "", 0);
        if (!list || list->type != YAML_SEQUENCE_NODE)
            ts_err(d, path, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
                   "no profiles: list (expected profiles: [{model, gpu, gpu_count, files}, ...])");
        for (yaml_node_item_t *it = list && list->type == YAML_SEQUENCE_NODE ? list->data.sequence.items.start : NULL;
             it && it < list->data.sequence.items.top && !d->oom; it++)
            read_entry(in, &y, yaml_document_get_node(&y.doc, *it), dir, d);
        ts_yaml_free(&y);
    }
    free(text);
    free(path);
    free(dir);
    if (d->oom)
        return; /* a profile may lack its names: the load fails anyway */
    attach(in, d);
    at_slo(in, d);
}

void ts_latency_profiles_free(ts_latency_profile *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < p[i].n; k++)
            free(p[i].pts[k].source);
        free(p[i].pts);
        free(p[i].model);
        free(p[i].gpu);
        free(p[i].file);
    }
    free(p);
}
