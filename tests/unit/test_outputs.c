/*
 * test_outputs.c — rendered files (§5 events, §7 numbers), the atomic
 * output folder, acceptance, and byte-identical results for any thread count.
 */
#include "testutil.h"
#include "tapscale_io.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static char *slurp(const char *dir, const char *name)
{
    char *p = ts_path_join(dir, name), *data = NULL;
    size_t len;
    ts_status e = ts_read_file(p, &data, &len, NULL);
    free(p);
    return e != TS_OK ? NULL : data;
}

static void test_outdir_abort_leaves_nothing(void **state)
{
    (void)state;
    char *base = tu_tmpdir();
    char *out = ts_path_join(base, "new/out");
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o;
    assert_int_equal(ts_outdir_open(out, &o, &d), TS_OK);
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_puts(&b, "x\n");
    assert_int_equal(ts_outdir_put(o, "a.csv", &b, &d), TS_OK);
    ts_outdir_free(o); /* no commit: a failed run */
    assert_int_equal(count_entries(base), 0); /* nor "new", nor the scratch folder */
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(base);
    free(out);
    free(base);
}

/* One committed run of files names[i] = texts[i] into dir. */
static void commit_run(const char *dir, const char *const *names, const char *const *texts, size_t n)
{
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o;
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_OK);
    for (size_t i = 0; i < n; i++) {
        ts_buf b;
        ts_buf_init(&b);
        ts_buf_puts(&b, texts[i]);
        assert_int_equal(ts_outdir_put(o, names[i], &b, &d), TS_OK);
        ts_buf_free(&b);
    }
    assert_int_equal(ts_outdir_commit(o, &d), TS_OK);
    ts_outdir_free(o);
    ts_diags_free(&d);
}

static void test_outdir_keeps_old_until_commit(void **state)
{
    (void)state;
    char *base = tu_tmpdir();
    char *dir = ts_path_join(base, "out");
    static const char *const a[] = {"a.csv", "b.csv"}, *const old[] = {"old\n", "old b\n"};
    commit_run(dir, a, old, 2);
    assert_int_equal(count_entries(dir), 3); /* a.csv, b.csv and the list .tapscale-outputs */
    char *list = slurp(dir, ".tapscale-outputs");
    assert_non_null(strstr(list, "\na.csv\nb.csv\n"));
    free(list);
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o;
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_puts(&b, "new\n");
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_OK);
    ts_outdir_put(o, "a.csv", &b, &d);
    char *mid = slurp(dir, "a.csv");
    assert_string_equal(mid, "old\n"); /* nothing replaced before commit */
    free(mid);
    ts_outdir_free(o);
    char *after = slurp(dir, "a.csv");
    assert_string_equal(after, "old\n");
    free(after);
    assert_int_equal(count_entries(dir), 3);
    assert_int_equal(count_entries(base), 1); /* no scratch folder left beside */
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_OK);
    ts_outdir_put(o, "a.csv", &b, &d);
    ts_buf sums;
    ts_buf_init(&sums);
    ts_outdir_sums(o, &sums);
    /* sha256("new\n"), as sha256sum prints it */
    assert_string_equal(sums.data, "7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c  a.csv\n");
    assert_int_equal(ts_outdir_commit(o, &d), TS_OK);
    ts_outdir_free(o);
    char *done = slurp(dir, "a.csv");
    assert_string_equal(done, "new\n");
    free(done);
    char *gone = slurp(dir, "b.csv");
    assert_null(gone); /* the folder is the new run's alone */
    assert_int_equal(count_entries(dir), 2);
    assert_int_equal(count_entries(base), 1); /* the old folder is gone */
    ts_buf_free(&sums);
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(base);
    free(dir);
    free(base);
}

static void test_outdir_refuses_foreign_files(void **state)
{
    (void)state;
    char *base = tu_tmpdir();
    char *dir = ts_path_join(base, "out");
    /* files that look like tapscale's, but no list says tapscale wrote them
     * (a user's own SHA256SUMS, or a folder of a version before the list) */
    tu_write(base, "out/timeline_2024_sales.csv", "the user's\n");
    tu_write(base, "out/SHA256SUMS", "the user's\n");
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o = NULL;
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_EINPUT);
    assert_null(o);
    assert_int_equal(d.n_errors, 2); /* each named */
    assert_non_null(strstr(d.items[0].msg, "was not written by tapscale"));
    assert_int_equal(count_entries(dir), 2); /* untouched */
    assert_int_equal(count_entries(base), 1);
    tu_rmrf(dir);
    static const char *const n[] = {"a.csv"}, *const t[] = {"new\n"};
    commit_run(dir, n, t, 1);
    /* a folder with a list: a file not on it is foreign, whatever its name */
    tu_write(dir, "timeline_copied.csv", "the user's\n");
    ts_diags_free(&d);
    ts_diags_init(&d);
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_EINPUT);
    assert_int_equal(d.n_errors, 1);
    assert_non_null(strstr(d.items[0].file, "timeline_copied.csv"));
    ts_diags_free(&d);
    tu_rmrf(base);
    free(dir);
    free(base);
}

static void test_outdir_names_and_leftovers(void **state)
{
    (void)state;
    char *base = tu_tmpdir();
    char *dir = ts_path_join(base, "out");
    /* what a killed run leaves: its scratch folder beside the output */
    tu_write(base, ".out.tapscale-Ab12Cd/consolidated_kpis.csv", "partial");
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o;
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_OK);
    assert_int_equal(count_entries(base), 1); /* removed; ours is the one left */
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_puts(&b, "x\n");
    assert_int_equal(ts_outdir_put(o, "timeline_a_b.csv", &b, &d), TS_OK);
    assert_int_equal(ts_outdir_put(o, "timeline_a_b.csv", &b, &d), TS_EINPUT);
    assert_int_equal(ts_outdir_put(o, "../escape.csv", &b, &d), TS_EINPUT);
    assert_int_equal(ts_outdir_put(o, ".hidden", &b, &d), TS_EINPUT);
    assert_int_equal(d.n_errors, 3);
    assert_non_null(strstr(d.items[0].msg, "two outputs of this run have this name"));
    ts_outdir_free(o);
    assert_int_equal(count_entries(base), 0);
    /* a dangling symbolic link as --out */
    char *link = ts_path_join(base, "link");
    assert_int_equal(symlink("nowhere", link), 0);
    ts_diags_free(&d);
    ts_diags_init(&d);
    assert_int_equal(ts_outdir_open(link, &o, &d), TS_EINPUT);
    assert_non_null(strstr(d.items[0].msg, "symbolic link to nothing"));
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(base);
    free(link);
    free(dir);
    free(base);
}

static void test_outdir_unwritable(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    tu_write(dir, "file", "x");
    char *bad = ts_path_join(dir, "file/sub");
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o = NULL;
    assert_int_equal(ts_outdir_open(bad, &o, &d), TS_ERUNTIME);
    assert_null(o);
    assert_int_equal(d.n_errors, 1);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(bad);
    free(dir);
}

typedef struct run {
    ts_inputs *in;
    ts_plan *plan;
    ts_sim_results *res;
    ts_acceptance *acc;
} run;

static void do_run(const char *dir, int threads, run *r)
{
    ts_diags d;
    ts_diags_init(&d);
    memset(r, 0, sizeof *r);
    assert_int_equal(tu_load(dir, &r->in, &d), TS_OK);
    assert_int_equal(ts_plan_build(r->in, &r->plan), TS_OK);
    ts_sim_options o;
    memset(&o, 0, sizeof o);
    o.threads = threads;
    o.keep_events = 1;
    assert_int_equal(ts_simulate_plan(r->in, r->plan, &o, &r->res), TS_OK);
    assert_int_equal(ts_accept(r->in, r->plan, r->res, &r->acc), TS_OK);
    ts_diags_free(&d);
}

static void free_run(run *r)
{
    ts_acceptance_free(r->acc);
    ts_sim_results_free(r->res);
    ts_plan_free(r->plan);
    ts_inputs_free(r->in);
}

static void test_plan_csv(void **state)
{
    (void)state;
    /* m1: 6.48e9/720 = 9e6 tokens/hour flat; peak 1.2*9e6 = 1.08e7; tps 2500
     * -> cap 2500*3600*0.75 = 6750000; ceil(10800000/6750000) = 2 */
    char *dir = tu_tmpdir();
    tu_valid_inputs(dir);
    tu_write(dir, "operator/demand.yaml", "models:\n  m1:\n    tokens_per_month: 6.48e9\n");
    run r;
    do_run(dir, 1, &r);
    ts_buf b;
    ts_buf_init(&b);
    ts_render_plan_csv(r.in, r.plan, &b);
    assert_string_equal(b.data,
                        "model,gpu,avg_tokens_per_hour,peak_tokens_per_hour,tps,cap_tokens_per_hour_per_instance,instances_needed,target_utilization_pct,capacity_violation\n"
                        "m1,H100,9000000,10800000,2500,6750000,2,75,false\n");
    ts_buf_free(&b);
    ts_buf_init(&b);
    ts_render_kpis_csv(r.in, r.plan, r.res, &b);
    /* flat demand 9e6 on tph 9e6: N0 = ceil(9e6/6.75e6) = 2, u = 9e6/1.8e7
     * = 50 % exactly: not below the scale-down threshold, no event;
     * 2 replicas x 720 h, held all along (floor 2). One replica serves the
     * demand exactly (9e6 <= 1 x 9e6): the ideal and the fixed fleet are 1
     * replica x 720 h, and the policy pays twice that. No price: no costs.
     * Capacity never falls short: no token waits, none is dropped or left;
     * without sla.max_delay_s, delayed_minutes is empty. */
    assert_string_equal(b.data,
                        "model,gpu,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency,"
                        "horizon_start,horizon_end,horizon_hours,cost_per_month,floor_replicas,ideal_gpu_hours,ideal_cost_per_month,"
                        "fixed_replicas,fixed_gpu_hours,fixed_cost_per_month,gpu_hours_vs_ideal,unservable_steps,"
                        "queue_delay_p50_s,queue_delay_p95_s,queue_delay_p99_s,queue_delay_max_s,max_backlog_tokens,delayed_minutes,"
                        "dropped_tokens,left_tokens,forecast_mape_pct,forecast_wape_pct\n"
                        "m1,H100,0,50,50,0,0,0,1440,1440,2,,,2025-01-01T00:00:00Z,2025-01-31T00:00:00Z,720,,2,720,,1,720,,2,0,"
                        "0,0,0,0,0,,0,0,,\n");
    ts_buf_free(&b);
    free_run(&r);
    tu_rmrf(dir);
    free(dir);
}

static void test_events_csv_and_acceptance(void **state)
{
    (void)state;
    /* a series that jumps x3 with max 2: capacity violation in the plan
     * (WARN), and the violations in the simulation a FAIL of the SLA rule
     * whose reason names the ceiling that causes them */
    char *dir = tu_tmpdir();
    tu_valid_inputs(dir);
    tu_write(dir, "operator/public_tap.yaml",
             "autoscaling:\n  target_utilization_pct: 100\n  peak_factor: 1\n  min_instances_per_model: 1\n"
             "  max_instances_per_model: 2\n  stabilization_window_s: 0\n");
    tu_write(dir, "operator/demand.yaml", "series: [s.csv]\n");
    tu_write(dir, "operator/s.csv",
             "timestamp,model,demand_tokens_per_hour\n"
             "2025-01-01T00:00:00Z,m1,9000000\n2025-01-01T00:01:00Z,m1,27000000\n2025-01-01T00:02:00Z,m1,27000000\n");
    run r;
    do_run(dir, 1, &r);
    ts_buf b;
    ts_buf_init(&b);
    ts_render_events_csv(r.in, r.plan, r.res, 1, &b);
    /* tph = 9e6. k0: u = 1 > 0.7 -> up 1->2 ready at 120; k1: u = 3 (one
     * ready), cooldown; k2: u = 27e6/18e6 = 1.5. p95 of {100, 300, 150}:
     * h = 1.9 -> 150 + 0.9*150 = 285. The new replica is ready at 00:02
     * (the default warm-up, 120 s). */
    assert_string_equal(b.data,
                        "timestamp,model,gpu,demand_tokens_per_hour,effective_capacity,replicas_prev,replicas_new,reason,util_pct,"
                        "ready_first,ready_last\n"
                        "2025-01-01T00:00:00Z,m1,H100,9000000,9000000,1,2,scale_up,100,2025-01-01T00:02:00Z,2025-01-01T00:02:00Z\n");
    /* the headers a caller streams with are the tables' names */
    ts_buf h;
    ts_buf_init(&h);
    ts_render_events_csv(r.in, r.plan, r.res, 0, &h);
    assert_memory_equal(h.data, TS_EVENTS_HEADER, strlen(TS_EVENTS_HEADER));
    ts_buf_free(&h);
    ts_buf_init(&h);
    ts_render_timeline_csv(r.in, r.plan, r.res, 0, &h);
    assert_memory_equal(h.data, TS_TIMELINE_HEADER, strlen(TS_TIMELINE_HEADER));
    ts_buf_free(&h);
    assert_true(strncmp(b.data, TS_EVENTS_READY_HEADER, strlen(TS_EVENTS_READY_HEADER)) == 0);
    assert_true(r.plan->rows[0].r.capacity_violation);
    assert_int_equal(r.acc->rule[TS_RULE_CAPACITY], TS_WARN);
    assert_int_equal(r.acc->rule[TS_RULE_SLA], TS_FAIL);
    assert_int_equal(r.acc->overall, TS_FAIL);
    ts_buf_free(&b);
    ts_buf_init(&b);
    assert_int_equal(r.acc->n_reasons, 3);
    assert_int_equal(r.acc->reasons[0].rule, TS_RULE_CAPACITY);
    assert_int_equal(r.acc->reasons[0].verdict, TS_WARN);
    assert_string_equal(r.acc->reasons[0].text, "model m1 needs 3 instances at peak, above max_instances_per_model 2");
    assert_int_equal(r.acc->reasons[1].rule, TS_RULE_P95);
    assert_string_equal(r.acc->reasons[1].text,
                        "model m1: p95 utilization 285% is 185 points from the target 100% (tolerance 25)");
    /* k1: 27e6 against one ready replica's 9e6 tokens/h, k2: against two
     * (the second ready at 120 s): 2 steps, (18e6 + 9e6) / 60 = 450000
     * tokens unserved; the plan needs ceil(27e6 / 9e6) = 3 */
    assert_int_equal(r.acc->reasons[2].rule, TS_RULE_SLA);
    assert_int_equal(r.acc->reasons[2].verdict, TS_FAIL);
    assert_string_equal(r.acc->reasons[2].text,
                        "model m1: 2 steps with demand above ready capacity (2 minutes, 450000 tokens unserved): the "
                        "ceiling max_instances_per_model 2 set at operator/public_tap.yaml holds the pool below the 3 "
                        "instances its peak needs (expected a ceiling of at least 3)");
    ts_render_run_table(r.in, r.plan, r.res, r.acc, &b);
    assert_non_null(strstr(b.data, "WARN capacity_violation: model m1 needs 3 instances at peak, above max_instances_per_model 2\n"
                                    "WARN p95_util: model m1: p95 utilization 285% is 185 points from the target 100% (tolerance 25)\n"
                                    "FAIL sla_violations: model m1: 2 steps"));
    assert_non_null(strstr(b.data, "verdict: FAIL\n"));
    ts_buf_free(&b);
    free_run(&r);
    tu_rmrf(dir);
    free(dir);
}

static void test_threads_identical(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    tu_valid_inputs(dir);
    tu_write(dir, "operator/demand.yaml",
             "noise_pct: 20\nmodels:\n"
             "  m1: {tokens_per_month: 7.2e10, profile: diurnal, amplitude: 0.6}\n"
             "  m2: {tokens_per_month: 3.0e10, profile: diurnal, amplitude: 0.3, peak_hour: 9}\n"
             "  m3: {tokens_per_month: 1.0e10}\n"
             "  m4: {tokens_per_month: 5.0e10, profile: diurnal}\n");
    tu_write(dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\n"
             "m1,H100,1,2500,aggregate\nm2,H100,1,2000,aggregate\nm3,L4,1,300,aggregate\nm4,A100,1,1700,aggregate\n");
    ts_buf out[2][2];
    for (int t = 0; t < 2; t++) {
        run r;
        do_run(dir, t + 1, &r);
        ts_buf_init(&out[t][0]);
        ts_buf_init(&out[t][1]);
        ts_render_events_csv(r.in, r.plan, r.res, 0, &out[t][0]);
        ts_render_summary_json(r.in, r.plan, r.res, r.acc, &out[t][1]);
        free_run(&r);
    }
    assert_true(out[0][0].len > 1000); /* many events */
    for (int f = 0; f < 2; f++) {
        assert_int_equal(out[0][f].len, out[1][f].len);
        assert_memory_equal(out[0][f].data, out[1][f].data, out[0][f].len);
        ts_buf_free(&out[0][f]);
        ts_buf_free(&out[1][f]);
    }
    tu_rmrf(dir);
    free(dir);
}

typedef struct sink {
    ts_event_rows_ctx rows;
    ts_buf *out;
} sink;

static ts_status format_rows(void *ctx, size_t pool, const ts_event *ev, size_t n, ts_buf *b)
{
    return ts_render_event_rows(&((sink *)ctx)->rows, pool, ev, n, b);
}

static ts_status sink_to_buf(void *ctx, const char *rows, size_t len)
{
    ts_buf_put(((sink *)ctx)->out, rows, len);
    return TS_OK;
}

static void test_events_sink_in_plan_order(void **state)
{
    (void)state;
    /* the streamed events equal the rendered file, whatever the threads */
    char *dir = tu_tmpdir();
    tu_valid_inputs(dir);
    tu_write(dir, "operator/demand.yaml",
             "models:\n"
             "  m1: {tokens_per_month: 7.2e10, profile: diurnal, amplitude: 0.6}\n"
             "  m2: {tokens_per_month: 3.0e10, profile: diurnal, amplitude: 0.3, peak_hour: 9}\n"
             "  m3: {tokens_per_month: 5.0e10, profile: diurnal}\n");
    tu_write(dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\n"
             "m1,H100,1,2500,aggregate\nm2,H100,1,2000,aggregate\nm3,A100,1,1700,aggregate\n");
    run r;
    do_run(dir, 1, &r);
    ts_buf want;
    ts_buf_init(&want);
    ts_render_events_csv(r.in, r.plan, r.res, 0, &want);
    for (int threads = 1; threads <= 3; threads++) {
        ts_diags d;
        ts_diags_init(&d);
        ts_buf got;
        ts_buf_init(&got);
        ts_buf_puts(&got, TS_EVENTS_HEADER);
        ts_sim_options o;
        memset(&o, 0, sizeof o);
        o.threads = threads;
        sink sk = {{r.in, r.plan}, &got};
        o.events_format = format_rows;
        o.events_write = sink_to_buf;
        o.events_ctx = &sk;
        ts_sim_results *res = NULL;
        assert_int_equal(ts_simulate_plan(r.in, r.plan, &o, &res), TS_OK);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        assert_int_equal(res->pools[0].n_events, 0); /* nothing kept in memory */
        ts_sim_results_free(res);
        ts_buf_free(&got);
        ts_diags_free(&d);
    }
    ts_buf_free(&want);
    free_run(&r);
    tu_rmrf(dir);
    free(dir);
}

static void test_outdir_stream(void **state)
{
    (void)state;
    char *base = tu_tmpdir();
    char *dir = ts_path_join(base, "out");
    ts_diags d;
    ts_diags_init(&d);
    ts_outdir *o;
    assert_int_equal(ts_outdir_open(dir, &o, &d), TS_OK);
    assert_int_equal(ts_outdir_begin(o, "a.csv", &d), TS_OK);
    assert_int_equal(ts_outdir_write(o, "ne", 2), TS_OK);
    assert_int_equal(ts_outdir_write(o, "w\n", 2), TS_OK);
    assert_int_equal(ts_outdir_end(o, &d), TS_OK);
    ts_buf sums;
    ts_buf_init(&sums);
    ts_outdir_sums(o, &sums);
    /* the streamed hash is the hash of the whole text "new\n" */
    assert_string_equal(sums.data, "7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c  a.csv\n");
    assert_int_equal(ts_outdir_commit(o, &d), TS_OK);
    ts_outdir_free(o);
    char *a = slurp(dir, "a.csv");
    assert_string_equal(a, "new\n");
    free(a);
    ts_buf_free(&sums);
    ts_diags_free(&d);
    tu_rmrf(base);
    free(dir);
    free(base);
}

static void test_timeline_name(void **state)
{
    (void)state;
    char buf[128];
    ts_timeline_name("meta-llama/Llama-3.1-8B-Instruct", buf, sizeof buf);
    assert_string_equal(buf, "timeline_meta-llama_Llama-3.1-8B-Instruct.csv");
}

static void test_csv_quoting(void **state)
{
    (void)state;
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_csv_field(&b, "plain");
    ts_buf_putc(&b, '|');
    ts_buf_csv_field(&b, "a,b");
    ts_buf_putc(&b, '|');
    ts_buf_csv_field(&b, "say \"hi\"");
    assert_string_equal(b.data, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
    ts_buf_free(&b);
    ts_buf_init(&b);
    ts_buf_json_string(&b, "a\"b\\c\n\x01");
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\"");
    ts_buf_free(&b);
}

static void test_timelines_streamed(void **state)
{
    (void)state;
    /* The timelines streamed into the folder while two threads simulate are
     * the timelines rendered afterwards from the kept steps, byte for byte;
     * the list of sums is in name order whatever order the files closed. */
    char *dir = tu_tmpdir();
    tu_valid_inputs(dir);
    tu_write(dir, "operator/demand.yaml",
             "noise_pct: 20\nmodels:\n"
             "  m1: {tokens_per_month: 7.2e10, profile: diurnal, amplitude: 0.6}\n"
             "  org/m2: {tokens_per_month: 3.0e10, profile: diurnal}\n"
             "  m3: {tokens_per_month: 1.0e10}\n");
    tu_write(dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\n"
             "m1,H100,1,2500,aggregate\norg/m2,H100,1,2000,aggregate\nm3,L4,1,300,aggregate\n");
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = NULL;
    ts_plan *plan = NULL;
    ts_sim_results *kept = NULL, *streamed = NULL;
    assert_int_equal(tu_load(dir, &in, &d), TS_OK);
    assert_int_equal(ts_plan_build(in, &plan), TS_OK);
    ts_sim_options o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.keep_steps = 1;
    assert_int_equal(ts_simulate_plan(in, plan, &o, &kept), TS_OK);
    char *base = tu_tmpdir();
    char *out = ts_path_join(base, "out");
    ts_outdir *od;
    assert_int_equal(ts_outdir_open(out, &od, &d), TS_OK);
    ts_timeline_stream tl = {in, plan, od, &d};
    memset(&o, 0, sizeof o);
    o.threads = 2;
    o.steps_begin = ts_timeline_begin;
    o.steps_put = ts_timeline_put;
    o.steps_end = ts_timeline_end;
    o.steps_ctx = &tl;
    assert_int_equal(ts_simulate_plan(in, plan, &o, &streamed), TS_OK);
    assert_null(streamed->pools[0].steps); /* nothing kept */
    ts_buf sums;
    ts_buf_init(&sums);
    ts_outdir_sums(od, &sums);
    assert_int_equal(ts_outdir_commit(od, &d), TS_OK);
    ts_outdir_free(od);
    /* byte order: "timeline_m1", "timeline_m3", "timeline_org_m2" */
    const char *a = strstr(sums.data, "timeline_m1.csv"), *b = strstr(sums.data, "timeline_m3.csv"),
               *c = strstr(sums.data, "timeline_org_m2.csv");
    assert_true(a && b && c && a < b && b < c);
    for (size_t i = 0; i < plan->n; i++) {
        char name[512];
        ts_timeline_name(in->demand[plan->rows[i].demand_index].model, name, sizeof name);
        ts_buf want;
        ts_buf_init(&want);
        ts_render_timeline_csv(in, plan, kept, i, &want);
        char *got = slurp(out, name);
        assert_non_null(got);
        assert_true(want.len > 40000); /* a month of minutes */
        assert_int_equal(strlen(got), want.len);
        assert_memory_equal(got, want.data, want.len);
        free(got);
        ts_buf_free(&want);
    }
    ts_buf_free(&sums);
    ts_sim_results_free(kept);
    ts_sim_results_free(streamed);
    ts_plan_free(plan);
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(base);
    tu_rmrf(dir);
    free(out);
    free(base);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outdir_abort_leaves_nothing),
        cmocka_unit_test(test_outdir_keeps_old_until_commit),
        cmocka_unit_test(test_outdir_unwritable),
        cmocka_unit_test(test_plan_csv),
        cmocka_unit_test(test_events_csv_and_acceptance),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_events_sink_in_plan_order),
        cmocka_unit_test(test_outdir_stream),
        cmocka_unit_test(test_outdir_refuses_foreign_files),
        cmocka_unit_test(test_outdir_names_and_leftovers),
        cmocka_unit_test(test_timeline_name),
        cmocka_unit_test(test_timelines_streamed),
        cmocka_unit_test(test_csv_quoting),
    };
    return cmocka_run_group_tests_name("outputs", tests, NULL, NULL);
}
