/*
 * fuzz_inputs.c — one libFuzzer target per input file kind (built with
 * -DFUZZ_FILE="operator/demand.yaml" and so on; see fuzz/CMakeLists.txt).
 * An inputs folder is made once from tests/fixtures/hand; each input
 * replaces the one file of the target, then the whole pipeline runs on
 * it: load, plan, simulate (when the horizon is small enough for a fuzzer's
 * pace), accept, and render every output. Memory errors, undefined
 * behaviour and leaks are the findings; input errors are the expected
 * result of most inputs.
 */
#include "tapscale.h"
#include "tapscale_io.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_FILE
#error "FUZZ_FILE names the input file of the target"
#endif

/* The inputs folder of this process (made once, removed by the OS's /tmp
 * cleaning: a fuzzer is killed, not stopped). */
static char dir[256];

static void write_file(const char *rel, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

static void copy_fixture(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/hand/%s", TAPSCALE_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    write_file(rel, buf, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "/tmp/tapscale-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char sub[300];
    snprintf(sub, sizeof sub, "%s/operator", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/facts", dir);
    mkdir(sub, 0700);
    copy_fixture("operator/public_tap.yaml");
    copy_fixture("operator/curated_gpu.csv");
    copy_fixture("facts/tps_model_gpu.csv");
    /* the series and manifest targets need a file that names theirs */
    static const char demand[] = "start: 2025-01-01T00:00:00Z\nhorizon_hours: 48\nseries: [series.csv]\n"
                                 "models:\n  m1:\n    tokens_per_month: 7.2e9\n";
    write_file("operator/demand.yaml", demand, sizeof demand - 1);
    static const char series[] = "timestamp,model,demand_tokens_per_hour\n2025-01-01T00:00:00Z,m2,1e7\n"
                                 "2025-01-01T01:00:00Z,m2,3e7\n2025-01-01T02:00:00Z,m2,2e7\n";
    write_file("operator/series.csv", series, sizeof series - 1);
    static const char tap_tail[] = "\nmanifests: [hpa.yaml]\n";
    char path[512];
    snprintf(path, sizeof path, "%s/operator/public_tap.yaml", dir);
    FILE *f = fopen(path, "ab");
    if (!f || fwrite(tap_tail, 1, sizeof tap_tail - 1, f) != sizeof tap_tail - 1)
        abort();
    fclose(f);
    static const char hpa[] = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: m1}\n"
                              "spec:\n  scaleTargetRef: {kind: Deployment, name: m1}\n  minReplicas: 1\n"
                              "  maxReplicas: 10\n";
    write_file("operator/hpa.yaml", hpa, sizeof hpa - 1);
    return 0;
}

/* Steps the simulation of the plan would take. */
static double steps(const ts_inputs *in, const ts_plan *p)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++) {
        size_t d = p->rows[i].demand_index;
        s += (double)in->demand[d].n * (double)in->demand[d].tau_s /
             (double)ts_policy_step_s(ts_inputs_policy(in, d));
    }
    return s;
}

static void render(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, const ts_acceptance *a)
{
    ts_buf b;
    ts_buf_init(&b);
    ts_render_plan_csv(in, p, &b);
    ts_render_gpu_choice_csv(in, p, &b);
    if (r) {
        ts_render_events_csv(in, p, r, 1, &b);
        ts_render_kpis_csv(in, p, r, &b);
    }
    if (a) {
        ts_render_summary_json(in, p, r, a, &b);
        ts_render_summary_md(in, p, r, a, &b);
        ts_render_run_table(in, p, r, a, &b);
    }
    ts_buf_free(&b);
}

/* The rollup rows: read, then dropped. */
static ts_status drop(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return TS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_file(FUZZ_FILE, (const char *)data, size);
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = NULL;
    ts_plan *p = NULL;
    ts_sim_results *r = NULL;
    ts_acceptance *a = NULL;
    if (ts_inputs_load(&o, &in, &d) == TS_OK && ts_plan_build(in, &p) == TS_OK && steps(in, p) < 2e5) {
        ts_sim_options so;
        memset(&so, 0, sizeof so);
        so.threads = 1;
        so.keep_events = 1;
        /* the report replays every pool from its events: a replay that
         * does not follow them (TS_EINPUT) is a bug */
        ts_report *rep = NULL;
        if (ts_report_new(in, p, TS_REPORT_RUN, &rep) == TS_OK &&
            ts_report_setting_add(rep, "run", &so.pool_ctx) == TS_OK) {
            so.pool_done = ts_report_pool;
            so.pool_write = drop;
        }
        ts_status st = ts_simulate_plan(in, p, &so, &r);
        if (st == TS_EINPUT)
            abort();
        if (st == TS_OK)
            ts_accept(in, p, r, &a);
        render(in, p, r, a);
        if (st == TS_OK && so.pool_done) {
            const ts_sim_results *rs = r;
            if (ts_report_finish(rep, &rs, a, NULL) == TS_EINPUT)
                abort();
            ts_buf b;
            ts_buf_init(&b);
            ts_render_report_html(rep, &b);
            ts_buf_free(&b);
        }
        ts_report_free(rep);
    }
    char buf[4096];
    for (size_t i = 0; i < d.n; i++)
        ts_diag_format(&d.items[i], buf, sizeof buf);
    ts_acceptance_free(a);
    ts_sim_results_free(r);
    ts_plan_free(p);
    ts_inputs_free(in);
    ts_diags_free(&d);
    return 0;
}
