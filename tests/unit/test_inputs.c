/*
 * test_inputs.c — loading a run's inputs: the valid case, how dataset rows
 * combine, and every class of bad input with its exact message (file, line,
 * column, what was expected).
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "policy/hpa.h"
#include "policy/registry.h"
#include "policy/kpa.h"
#include "util/sha256.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    char *dir;
    ts_inputs *in;
    ts_diags d;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    tu_valid_inputs(f->dir);
    ts_diags_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ts_inputs_free(f->in);
    ts_diags_free(&f->d);
    tu_rmrf(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Asserts the load failed with TS_EINPUT and that the diagnostic
 * "<dir>/<rel>:<where>: <msg>" is among the errors. */
static void expect_error(fixture *f, const char *rel, const char *where_msg)
{
    ts_diags_free(&f->d);
    ts_diags_init(&f->d);
    ts_status st = tu_load(f->dir, &f->in, &f->d);
    char want[2048];
    snprintf(want, sizeof want, "%s/%s%s", f->dir, rel, where_msg);
    if (st != TS_EINPUT || !tu_has_diag(&f->d, want)) {
        tu_dump(&f->d);
        fail_msg("status %d; expected the diagnostic: %s", st, want);
    }
    assert_null(f->in);
}

static const char *const policy_head =
    "meta:\n"
    "  seed: 7\n"
    "autoscaling:\n";

static void write_policy(fixture *f, const char *autoscaling_body)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", policy_head, autoscaling_body);
    tu_write(f->dir, "operator/public_tap.yaml", buf);
}

#define REQUIRED                                                                                            \
    "  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: 1\n"                         \
    "  max_instances_per_model: 10\n"

static void test_valid(void **state)
{
    fixture *f = *state;
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    ts_inputs *in = f->in;
    assert_int_equal(in->seed, 7);
    assert_true(in->policy.target_utilization_pct == 75);
    assert_int_equal(TS_THRESHOLD(&in->policy)->evaluation_interval_s, 60); /* defaults of §2 */
    assert_true(TS_THRESHOLD(&in->policy)->scale_up_threshold_pct == 70);
    assert_int_equal(in->policy.warmup_s, 120);
    assert_false(in->policy.has_peak_percentile);
    assert_int_equal(in->n_demand, 1);
    assert_int_equal(in->demand[0].n, 720);
    assert_true(in->demand[0].rate[0] == 1e7); /* 7.2e9 / 720 */
    assert_int_equal(in->demand[0].start, 1735689600);
    assert_int_equal(in->n_cand, 1);
    assert_true(in->cand[0].tps_eff == 2500);
    assert_null(in->currency);
    assert_int_equal(in->n_files, 3); /* policy, demand, dataset; hashed */
    assert_int_equal(strlen(in->files[0].sha256), 64);
}

static void test_unknown_sections_ignored(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/public_tap.yaml",
             "meta:\n  seed: 1\n  fx_buffer_pct: 5.0\npricing_policy:\n  public_tap:\n    target_margin_pct: 55\n"
             "autoscaling:\n" REQUIRED "  capacity_peak_percentile: 95\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    assert_true(f->in->policy.has_peak_percentile);
    assert_true(f->in->policy.capacity_peak_percentile == 95);
}

static void test_missing_file(void **state)
{
    fixture *f = *state;
    char p[4096];
    snprintf(p, sizeof p, "%s/facts/tps_model_gpu.csv", f->dir);
    unlink(p);
    expect_error(f, "facts/tps_model_gpu.csv", ": cannot read: No such file or directory (expected a readable file)");
    assert_int_equal(f->d.n_errors, 1); /* no cascade of "no throughput" errors */
}

static void test_invalid_yaml(void **state)
{
    fixture *f = *state;
    write_policy(f, "  target_utilization_pct: [75\n  peak_factor: 1.2\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":5:14: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence (expected valid YAML)");
}

static void test_unknown_key(void **state)
{
    fixture *f = *state;
    write_policy(f, REQUIRED "  scale_up_treshold_pct: 70\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":8:3: unknown key autoscaling.scale_up_treshold_pct (did you mean autoscaling.scale_up_threshold_pct? expected one of: target_utilization_pct, peak_factor, min_instances_per_model, max_instances_per_model, evaluation_interval_s, scale_up_threshold_pct, scale_down_threshold_pct, scale_up_step_replicas, scale_down_step_replicas, stabilization_window_s, warmup_s, cooldown_s, warmup_p95_factor, weights_load_gb_per_s, container_start_s, capacity_peak_percentile, policy, hpa, kpa, predictive, schedule)");
}

static void test_wrong_types(void **state)
{
    fixture *f = *state;
    write_policy(f, "  target_utilization_pct: \"70\"\n  peak_factor: 1.2\n  min_instances_per_model: 1\n"
                    "  max_instances_per_model: 1.5\n  warmup_s: soon\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":4:27: autoscaling.target_utilization_pct is the string \"70\" (expected a number from 1 to 100)");
    expect_error(f, "operator/public_tap.yaml",
                 ":7:28: autoscaling.max_instances_per_model is 1.5 (expected an integer from 1 to 1000000000)");
    expect_error(f, "operator/public_tap.yaml",
                 ":8:13: autoscaling.warmup_s is soon (expected an integer number of seconds from 0 to 3153600000)");
    assert_int_equal(f->d.n_errors, 3); /* all of them in one run */
}

static void test_bounds(void **state)
{
    static const struct {
        const char *body;
        const char *msg;
    } rows[] = {
        {"  target_utilization_pct: 0\n  peak_factor: 1.2\n  min_instances_per_model: 1\n  max_instances_per_model: 10\n",
         ":4:27: autoscaling.target_utilization_pct is 0 (expected a number from 1 to 100)"},
        {"  target_utilization_pct: 120\n  peak_factor: 1.2\n  min_instances_per_model: 1\n  max_instances_per_model: 10\n",
         ":4:27: autoscaling.target_utilization_pct is 120 (expected a number from 1 to 100)"},
        {"  target_utilization_pct: 75\n  peak_factor: 0.9\n  min_instances_per_model: 1\n  max_instances_per_model: 10\n",
         ":5:16: autoscaling.peak_factor is 0.9 (expected a number from 1 to 1000)"},
        {"  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: 5\n  max_instances_per_model: 3\n",
         ":6:28: autoscaling.min_instances_per_model is 5, above max_instances_per_model 3 (expected min <= max)"},
        {"  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: -1\n  max_instances_per_model: 3\n",
         ":6:28: autoscaling.min_instances_per_model is -1 (expected an integer from 0 to max_instances_per_model)"},
        {"  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: 0\n  max_instances_per_model: 0\n",
         ":7:28: autoscaling.max_instances_per_model is 0 (expected an integer from 1 to 1000000000)"},
        {REQUIRED "  scale_up_threshold_pct: 60\n  scale_down_threshold_pct: 60\n",
         ":9:29: autoscaling.scale_down_threshold_pct is 60, not below scale_up_threshold_pct 60 (expected 0 < down < up <= 100)"},
        {REQUIRED "  scale_up_threshold_pct: 101\n",
         ":8:27: autoscaling.scale_up_threshold_pct is 101 (expected a number above 0 and at most 100)"},
        {REQUIRED "  scale_down_threshold_pct: 0\n",
         ":8:29: autoscaling.scale_down_threshold_pct is 0 (expected a number above 0 and below scale_up_threshold_pct)"},
        {REQUIRED "  evaluation_interval_s: 0\n",
         ":8:26: autoscaling.evaluation_interval_s is 0 (expected an integer number of seconds from 1 to 3153600000)"},
        {REQUIRED "  cooldown_s: -60\n",
         ":8:15: autoscaling.cooldown_s is -60 (expected an integer number of seconds from 0 to 3153600000)"},
        {REQUIRED "  stabilization_window_s: -1\n",
         ":8:27: autoscaling.stabilization_window_s is -1 (expected an integer number of seconds from 0 to 3153600000)"},
        {REQUIRED "  scale_up_step_replicas: 0\n",
         ":8:27: autoscaling.scale_up_step_replicas is 0 (expected an integer from 1 to 1000000000)"},
        {REQUIRED "  capacity_peak_percentile: 0\n",
         ":8:29: autoscaling.capacity_peak_percentile is 0 (expected a number above 0 and at most 100)"},
        {"  peak_factor: 1.2\n  min_instances_per_model: 1\n  max_instances_per_model: 10\n",
         ":4:3: autoscaling.target_utilization_pct is missing (expected a number from 1 to 100)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        void *st;
        setup(&st);
        fixture *f = st;
        write_policy(f, rows[i].body);
        expect_error(f, "operator/public_tap.yaml", rows[i].msg);
        teardown(&st);
    }
    (void)state;
}

static void test_runtime_section(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/public_tap.yaml",
             "autoscaling:\n" REQUIRED "runtime:\n  slots_total_default: 0\n  allow_tps_heuristic: yes\n  gpu_memory: 3\n");
    expect_error(f, "operator/public_tap.yaml", ":7:24: runtime.slots_total_default is 0 (expected an integer from 1 to 1000000)");
    expect_error(f, "operator/public_tap.yaml", ":8:24: runtime.allow_tps_heuristic is yes (expected true or false)");
    expect_error(f, "operator/public_tap.yaml", ":9:3: unknown key runtime.gpu_memory (expected one of: slots_total_default, batching_efficiency_pct, offline_derating_pct, allow_tps_heuristic)");
}

static void test_csv_missing_column(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "facts/tps_model_gpu.csv", "model_id,gpu,gpu_count,throughput_tokens_per_sec\nm1,H100,1,2500\n");
    expect_error(f, "facts/tps_model_gpu.csv",
                 ":1:1: missing column measurement_type (expected a header with model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type)");
    assert_int_equal(f->d.n_errors, 1);
}

static void test_csv_bad_cells(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\n"
             "m1,H100,two,32,2500,aggregate\n"
             "m1,A100,1,32,-5,aggregate\n"
             "m1,L40S,1,~batch,~45000,aggregate\n"
             "m1,L4,1,,0,aggregate\n"
             "m1,A10,1,,100,peak\n");
    expect_error(f, "facts/tps_model_gpu.csv", ":2:9: gpu_count is \"two\" (expected an integer of at least 1)");
    expect_error(f, "facts/tps_model_gpu.csv",
                 ":3:14: throughput_tokens_per_sec is \"-5\" (expected a number of tokens/s above 0)");
    expect_error(f, "facts/tps_model_gpu.csv",
                 ":4:18: throughput_tokens_per_sec is \"~45000\" (expected a number of tokens/s above 0)");
    expect_error(f, "facts/tps_model_gpu.csv", ":5:10: throughput_tokens_per_sec is \"0\" (expected a number of tokens/s above 0)");
    expect_error(f, "facts/tps_model_gpu.csv",
                 ":6:15: measurement_type is \"peak\" (expected aggregate, offline, single_stream or per_user_stream)");
    /* with every row of m1 rejected, m1 also has no throughput figure */
    assert_int_equal(f->d.n_errors, 6);
}

static void test_rows_combine_and_skip(void **state)
{
    fixture *f = *state;
    /* H100: two aggregate rows -> the lower (2000); one single_stream row of
     * a lower rank is ignored. A100: only stream rows -> 80*32*0.7 = 1792.
     * The short row (5 fields) is skipped with a warning. The batch cell of
     * the A100 row is not needed and may be text. */
    tu_write(f->dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\n"
             "m1,H100,1,32,2500,aggregate\n"
             "m1,H100,1,32,2000,aggregate\n"
             "m1,H100,1,1,90,single_stream\n"
             "\n"
             "m1,A100,1,~batch for RPS,80,single_stream\n"
             "m1,L40S,1,1124,aggregate\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    ts_inputs *in = f->in;
    assert_int_equal(in->n_cand, 2);
    assert_string_equal(in->cand[0].gpu, "A100"); /* sorted by GPU */
    assert_true(in->cand[0].tps_eff == 80.0 * 32 * 70 / 100);
    assert_true(in->cand[1].tps_eff == 2000);
    assert_int_equal(in->cand[1].rows, 2);
    assert_string_equal(in->cand[1].basis, "aggregate");
    assert_int_equal(in->warnings.n, 1);
    char buf[2048], want[2048];
    snprintf(want, sizeof want,
             "%s/facts/tps_model_gpu.csv:7:1: row skipped: it has 5 fields but the header has 6 (expected one field per column; a missing empty cell shifts the rest)",
             f->dir);
    assert_string_equal(tu_diag(&in->warnings, 0, buf, sizeof buf), want);
}

static void test_prices(void **state)
{
    fixture *f = *state;
    /* per-GPU price: min(2.0/1, 3.0/2) = 1.5 for "H100 80GB" -> H100;
     * 2 GPUs per instance: 3.0 */
    tu_write(f->dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\nm1,h100,2,3600,aggregate\n");
    tu_write(f->dir, "operator/curated_gpu.csv",
             "gpu_model,num_gpus,price_usd_hr\nH100 80GB,1,2.0\nH100,2,3.0\nL4,1,0.8\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    assert_string_equal(f->in->currency, "USD");
    assert_true(f->in->cand[0].has_price);
    assert_true(f->in->cand[0].instance_price_hr == 3.0);
    /* 3.0 / (3600*3600/1e6) */
    assert_true(f->in->cand[0].cost_per_1m == 3.0 / (3600.0 * 3600 / 1e6));
}

static void test_duplicate_model(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml",
             "models:\n  m1:\n    tokens_per_month: 1e9\n  m1:\n    tokens_per_month: 2e9\n");
    expect_error(f, "operator/demand.yaml", ":4:3: duplicate model m1 (expected each model once under models:)");
}

static void test_demand_keys(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml",
             "horizon: 720\nmodels:\n  m1:\n    tokens_per_month: 1e9\n    profile: weekly\n    amplitude: 1.0\n");
    expect_error(f, "operator/demand.yaml", ":1:1: unknown key demand.horizon (expected one of: start, horizon_hours, noise_pct, series, models)");
    expect_error(f, "operator/demand.yaml", ":6:16: models.m1.amplitude is 1.0 (expected a number from 0 to below 1)");
    expect_error(f, "operator/demand.yaml", ":5:14: models.m1.profile is weekly (expected uniform or diurnal)");
    /* a letter off: the key meant (as every other settings table says) */
    tu_write(f->dir, "operator/demand.yaml", "horizn_hours: 720\nmodels:\n  m1:\n    tokens_per_month: 1e9\n");
    expect_error(f, "operator/demand.yaml",
                 ":1:1: unknown key demand.horizn_hours (did you mean demand.horizon_hours? expected one of: start, "
                 "horizon_hours, noise_pct, series, models)");
}

static void test_series(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml", "series: [s.csv]\nmodels:\n  m1:\n    initial_replicas: 2\n");
    tu_write(f->dir, "operator/s.csv",
             "timestamp,model,demand_tokens_per_hour\n"
             "2025-03-01T00:00:00Z,m1,100\n2025-03-01T00:01:00Z,m1,200\n2025-03-01T00:02:00Z,m1,300\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    ts_model_demand *m = &f->in->demand[0];
    assert_int_equal(m->n, 3);
    assert_int_equal(m->tau_s, 60);
    assert_int_equal(m->start, 1740787200);
    assert_true(m->rate[2] == 300);
    assert_true(m->from_series && m->has_initial_replicas && m->initial_replicas == 2);
}

static void test_series_errors(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml", "series: [s.csv]\n");
    tu_write(f->dir, "operator/s.csv",
             "timestamp,model,demand_tokens_per_hour\n"
             "2025-03-01T00:00:00Z,m1,100\n"
             "2025-03-01T00:01:00Z,m1,100\n"
             "2025-03-01T00:03:00Z,m1,100\n"
             "2025-03-01T00:00:00Z,m2,100\n"
             "2025-03-01T00:00:00Z,m2,100\n"
             "2025-03-01T00:00:00Z,m3,-4\n"
             "March,m4,1\n");
    expect_error(f, "operator/s.csv",
                 ":4:1: irregular interval: 120 s after the previous row of model m1 (expected 60 s, the interval of its first two rows)");
    expect_error(f, "operator/s.csv",
                 ":6:1: timestamp 2025-03-01T00:00:00Z is not after the previous row of model m2 (expected rows of a model in increasing time)");
    expect_error(f, "operator/s.csv", ":7:25: demand_tokens_per_hour is \"-4\" (expected a number from 0 to 1e18)");
    expect_error(f, "operator/s.csv",
                 ":8:1: timestamp is \"March\" (expected an ISO 8601 UTC time such as 2025-01-01T00:00:00Z)");
    assert_int_equal(f->d.n_errors, 4);
    /* rows out of order look first like an irregular interval: the order,
     * the likelier cause, is said too */
    tu_write(f->dir, "operator/s.csv",
             "timestamp,model,demand_tokens_per_hour\n"
             "2025-03-01T00:00:00Z,m1,100\n"
             "2025-03-01T00:01:00Z,m1,100\n"
             "2025-03-01T00:03:00Z,m1,100\n"
             "2025-03-01T00:02:00Z,m1,100\n");
    expect_error(f, "operator/s.csv",
                 ":4:1: irregular interval: 120 s after the previous row of model m1 (expected 60 s, the interval of its first two rows)");
    expect_error(f, "operator/s.csv",
                 ":5:1: timestamp 2025-03-01T00:02:00Z is not after the previous row of model m1: its rows are out of "
                 "time order, which also explains the irregular interval above (expected rows of a model in increasing time)");
}

/* A series of about 10 MB (more than two of the 4 MiB pieces a big file is
 * read in): model a's rows first, then b's and c's interleaved. Row i of
 * a model is at minute i with rate i · 0.37 (17 digits: strtod's way) or
 * i + 0.25 (the fast path's). Some rows of a take libcsv's way (a quoted
 * model, spaces, a CRLF end). bad adds, at known lines, an impossible
 * date, a gap and a negative rate. Returns the text; *line_of_bad gets
 * the lines of the three. */
static ts_buf big_series(int bad, int line_of_bad[3])
{
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_puts(&b, "timestamp,model,demand_tokens_per_hour\n");
    int line = 1;
    char ts[32];
    for (int i = 0; i < 100000; i++) {
        ts_fmt_time(1740787200 + 60 * (int64_t)i, ts);
        line++;
        if (i == 30000)
            ts_buf_printf(&b, "%s,\"a\",%.17g\n", ts, i * 0.37);
        else if (i == 50000)
            ts_buf_printf(&b, "%s, a ,%.17g\n", ts, i * 0.37);
        else if (i == 60000)
            ts_buf_printf(&b, "%s,a,%.17g\r\n", ts, i * 0.37);
        else if (bad && i == 70000)
            ts_buf_printf(&b, "2025-02-30T00:00:00Z,a,1\n"), line_of_bad[0] = line;
        else if (i % 2)
            ts_buf_printf(&b, "%s,a,%.17g\n", ts, i * 0.37);
        else
            ts_buf_printf(&b, "%s,a,%d.25\n", ts, i);
    }
    for (int i = 0; i < 180000; i++) {
        int k = i / 2;
        int64_t t = 1740787200 + 60 * (int64_t)k + (bad && i / 2 >= 55000 && i % 2 ? 60 : 0);
        ts_fmt_time(t, ts);
        line++;
        if (bad && i == 110001)
            line_of_bad[1] = line;
        if (bad && i == 100000)
            ts_buf_printf(&b, "%s,b,-1\n", ts), line_of_bad[2] = line;
        else
            ts_buf_printf(&b, "%s,%s,%d.25\n", ts, i % 2 ? "c" : "b", k);
    }
    return b;
}

/* Loads dir with threads (1: one thread; 2: a reader thread beside). */
static ts_status load_threads(const char *dir, int threads, ts_inputs **in, ts_diags *d)
{
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    o.threads = threads;
    return ts_inputs_load(&o, in, d);
}

static void test_big_series_in_pieces(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml", "series: [s.csv]\n");
    tu_write(f->dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\n"
             "a,H100,1,32,2500,aggregate\nb,H100,1,32,2500,aggregate\nc,H100,1,32,2500,aggregate\n");
    int bad_line[3] = {0, 0, 0};
    ts_buf text = big_series(0, bad_line);
    assert_true(text.len > 2 * (4u << 20));
    char path[1024], sha[65];
    snprintf(path, sizeof path, "%s/operator/s.csv", f->dir);
    FILE *fp = fopen(path, "wb");
    fwrite(text.data, 1, text.len, fp);
    fclose(fp);
    assert_int_equal(ts_sha256_hex(text.data, text.len, sha), TS_OK);
    /* read with and without the reader thread: every value as written,
     * the file's hash that of its whole text */
    for (int threads = 1; threads <= 2; threads++) {
        ts_inputs *in = NULL;
        ts_diags d;
        ts_diags_init(&d);
        if (load_threads(f->dir, threads, &in, &d) != TS_OK)
            tu_dump(&d), fail();
        assert_int_equal(in->n_demand, 3);
        const ts_model_demand *a = &in->demand[0], *b = &in->demand[1], *c = &in->demand[2];
        assert_int_equal(a->n, 100000);
        assert_int_equal(b->n, 90000);
        assert_int_equal(c->n, 90000);
        for (int i = 0; i < 100000; i++)
            if (a->rate[i] != (i % 2 || i == 30000 || i == 50000 || i == 60000 ? i * 0.37 : i + 0.25))
                fail_msg("a[%d] = %.17g", i, a->rate[i]);
        for (int k = 0; k < 90000; k++)
            assert_true(b->rate[k] == k + 0.25 && c->rate[k] == k + 0.25);
        int found = 0;
        for (size_t i = 0; i < in->n_files; i++)
            if (strcmp(in->files[i].path, path) == 0)
                found = 1, assert_string_equal(in->files[i].sha256, sha);
        assert_true(found);
        ts_inputs_free(in);
        ts_diags_free(&d);
    }
    ts_buf_free(&text);
    /* errors on both sides of the pieces' ends: the same messages at the
     * same places, whatever the thread count */
    text = big_series(1, bad_line);
    fp = fopen(path, "wb");
    fwrite(text.data, 1, text.len, fp);
    fclose(fp);
    char want[3][1400];
    snprintf(want[0], sizeof want[0], "%s:%d:1: timestamp is \"2025-02-30T00:00:00Z\" (expected an ISO 8601 UTC time such as 2025-01-01T00:00:00Z)", path, bad_line[0]);
    snprintf(want[1], sizeof want[1], "%s:%d:1: irregular interval: 120 s after the previous row of model c (expected 60 s, the interval of its first two rows)", path, bad_line[1]);
    snprintf(want[2], sizeof want[2], "%s:%d:24: demand_tokens_per_hour is \"-1\" (expected a number from 0 to 1e18)", path, bad_line[2]);
    for (int threads = 1; threads <= 2; threads++) {
        ts_inputs *in = NULL;
        ts_diags d;
        ts_diags_init(&d);
        assert_int_equal(load_threads(f->dir, threads, &in, &d), TS_EINPUT);
        if (d.n_errors != 3)
            tu_dump(&d), fail();
        char buf[2048];
        assert_string_equal(tu_diag(&d, 0, buf, sizeof buf), want[0]); /* in file order */
        assert_string_equal(tu_diag(&d, 1, buf, sizeof buf), want[2]);
        assert_string_equal(tu_diag(&d, 2, buf, sizeof buf), want[1]);
        ts_diags_free(&d);
    }
    /* a NUL byte near the end: it alone is said, the errors of the rows
     * read before it are not (a binary file, not a series) */
    text.data[text.len - 3] = '\0';
    fp = fopen(path, "wb");
    fwrite(text.data, 1, text.len, fp);
    fclose(fp);
    int nul_line = 1;
    for (size_t i = 0; i < text.len - 3; i++)
        nul_line += text.data[i] == '\n';
    const char *bol = text.data + text.len - 3;
    while (bol[-1] != '\n')
        bol--;
    snprintf(want[0], sizeof want[0], "%s:%d:%d: a NUL byte (expected a text file)", path, nul_line,
             (int)(text.data + text.len - 3 - bol) + 1);
    for (int threads = 1; threads <= 2; threads++) {
        ts_inputs *in = NULL;
        ts_diags d;
        ts_diags_init(&d);
        assert_int_equal(load_threads(f->dir, threads, &in, &d), TS_EINPUT);
        char buf[1024];
        if (d.n_errors != 1)
            tu_dump(&d), fail();
        assert_string_equal(tu_diag(&d, 0, buf, sizeof buf), want[0]);
        ts_diags_free(&d);
    }
    ts_buf_free(&text);
}

static void test_no_throughput(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml", "models:\n  m1:\n    tokens_per_month: 1e9\n  m9:\n    tokens_per_month: 1e9\n");
    char msg[4096];
    snprintf(msg, sizeof msg,
             ":4:3: model m9 has demand but no throughput figure in %s/facts/tps_model_gpu.csv (expected a row for it, or runtime.allow_tps_heuristic: true)",
             f->dir);
    expect_error(f, "operator/demand.yaml", msg);
}

static void test_heuristic_allowed(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/public_tap.yaml", "autoscaling:\n" REQUIRED "runtime:\n  allow_tps_heuristic: true\n");
    tu_write(f->dir, "operator/demand.yaml",
             "models:\n  m1:\n    tokens_per_month: 1e9\n  m9:\n    tokens_per_month: 1e9\n    params_b: 8\n");
    tu_write(f->dir, "operator/curated_gpu.csv", "gpu_model,num_gpus,price_usd_hr\nH100,1,2.0\nRTX 4090,1,0.4\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    /* m9 gets one heuristic candidate per priced known GPU: H100, RTX4090 */
    int n = 0;
    for (size_t i = 0; i < f->in->n_cand; i++)
        if (!strcmp(f->in->cand[i].model, "m9")) {
            assert_true(f->in->cand[i].heuristic);
            n++;
        }
    assert_int_equal(n, 2);
    ts_plan *plan = NULL;
    assert_int_equal(ts_plan_build(f->in, &plan), TS_OK);
    /* H100: 3350/16*22.4 = 4690 tok/s at 2.0 -> 0.1185 per 1M;
     * RTX4090: 1008/16*22.4 = 1411.2 at 0.4 -> 0.0787 per 1M: chosen */
    assert_string_equal(f->in->cand[plan->rows[1].cand_index].gpu, "RTX4090");
    /* the note belongs to the plan; the inputs stay as loaded */
    assert_int_equal(f->in->warnings.n, 0);
    assert_int_equal(plan->warnings.n, 1);
    assert_non_null(strstr(plan->warnings.items[0].msg, "model m9 on RTX4090 x1: no throughput figure"));
    ts_plan_free(plan);
}

static void test_heuristic_needs_params(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/public_tap.yaml", "autoscaling:\n" REQUIRED "runtime:\n  allow_tps_heuristic: true\n");
    tu_write(f->dir, "operator/demand.yaml", "models:\n  m9:\n    tokens_per_month: 1e9\n");
    expect_error(f, "operator/demand.yaml",
                 ":2:3: model m9 has no throughput figure and no params_b for the heuristic (expected params_b: under models.m9)");
}

static void test_empty_demand(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml", "models: {}\n");
    expect_error(f, "operator/demand.yaml",
                 ": no model has demand (expected at least one model under models: or in a series file)");
}

static void test_simulation_yaml(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "simulation.yaml",
             "run:\n  fail_on_warning: true\n  pipelines: [public]\ntargets:\n  autoscaling_util_tolerance_pct: 10\n"
             "acceptance:\n  sla_violations: warn\n  capacity_violation: fail\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    assert_true(f->in->acceptance.util_tolerance_pct == 10);
    assert_true(f->in->acceptance.fail_on_warning);
    assert_int_equal(f->in->acceptance.severity[TS_RULE_SLA], TS_WARN);
    assert_int_equal(f->in->acceptance.severity[TS_RULE_CAPACITY], TS_FAIL);
    assert_int_equal(f->in->acceptance.severity[TS_RULE_P95], TS_WARN);
    ts_inputs_free(f->in);
    f->in = NULL;
    tu_write(f->dir, "simulation.yaml", "acceptance:\n  p95_util: fatal\n");
    expect_error(f, "simulation.yaml", ":2:13: acceptance.p95_util is fatal (expected warn or fail)");
}

static void test_policy_sections(void **state)
{
    fixture *f = *state;
    write_policy(f, REQUIRED "  policy: hpa\n  hpa:\n    sync_period_s: 30\n    behavior:\n      scale_down:\n"
                    "        stabilization_window_s: 60\n        select_policy: Min\n        policies:\n"
                    "          - {type: Pods, value: 2, period_s: 60}\n  kpa:\n    tick_s: 4\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    const ts_policy *p = &f->in->policy;
    const ts_hpa_config *h = ts_hpa_settings(p);
    const ts_kpa_config *k = ts_kpa_settings(p);
    assert_ptr_equal(p->type, ts_policy_type_find("hpa"));
    assert_int_equal(h->sync_period_s, 30);
    assert_true(h->tolerance == 0.1); /* upstream default */
    assert_true(h->has_behavior);
    /* scale_up absent: the API default rules */
    assert_int_equal(h->behavior.scale_up.stabilization_window_s, 0);
    assert_int_equal(h->behavior.scale_up.n_policies, 2);
    assert_int_equal(h->behavior.scale_down.stabilization_window_s, 60);
    assert_int_equal(h->behavior.scale_down.select, TS_HPA_SELECT_MIN);
    assert_int_equal(h->behavior.scale_down.n_policies, 1);
    assert_int_equal(h->behavior.scale_down.policy[0].type, TS_HPA_PODS);
    assert_int_equal(h->behavior.scale_down.policy[0].value, 2);
    assert_int_equal(h->behavior.scale_down.policy[0].period_s, 60);
    assert_int_equal(k->tick_s, 4);
    assert_true(k->stable_window_s == 60);
}

static void test_policy_section_errors(void **state)
{
    fixture *f = *state;
    write_policy(f, REQUIRED "  policy: vpa\n  hpa:\n    sync_period: 15\n  kpa:\n    panic_threshold_pct: 50\n");
    expect_error(f, "operator/public_tap.yaml", ":8:11: autoscaling.policy is vpa (expected threshold, hpa, kpa, predictive or schedule)");
    expect_error(f, "operator/public_tap.yaml",
                 ":10:5: unknown key autoscaling.hpa.sync_period (did you mean autoscaling.hpa.sync_period_s? expected one of: sync_period_s, tolerance, downscale_stabilization_s, scale_up_limit_factor, scale_up_limit_minimum, keda_cooldown_s, behavior, metric)");
    expect_error(f, "operator/public_tap.yaml",
                 ":12:26: autoscaling.kpa.panic_threshold_pct is 50 (expected a number from 110 to 1000)");
    write_policy(f, REQUIRED "  policy: hpa\n  hpa:\n    behavior:\n      scale_up:\n        select_policy: Most\n"
                    "        policies:\n          - {type: Pod, value: 4, period_s: 15}\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":12:24: autoscaling.hpa.behavior.scale_up.select_policy is Most (expected Max, Min or Disabled)");
    expect_error(f, "operator/public_tap.yaml",
                 ":14:20: autoscaling.hpa.behavior.scale_up.policies[0].type is Pod (expected Pods or Percent)");
}

static void test_errors_across_sections_at_once(void **state)
{
    fixture *f = *state;
    /* a bound between keys, a bad policy name and a bad KPA key: all three */
    write_policy(f, "  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: 9\n"
                    "  max_instances_per_model: 5\n  policy: vpa\n  kpa:\n    tick_s: 0\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":6:28: autoscaling.min_instances_per_model is 9, above max_instances_per_model 5 (expected min <= max)");
    expect_error(f, "operator/public_tap.yaml", ":8:11: autoscaling.policy is vpa (expected threshold, hpa, kpa, predictive or schedule)");
    expect_error(f, "operator/public_tap.yaml",
                 ":10:13: autoscaling.kpa.tick_s is 0 (expected an integer number of seconds from 1 to 60)");
    assert_int_equal(f->d.n_errors, 3);
}

static void test_seed_override(void **state)
{
    fixture *f = *state;
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = f->dir;
    o.has_seed = 1;
    o.seed = 99;
    assert_int_equal(ts_inputs_load(&o, &f->in, &f->d), TS_OK);
    assert_int_equal(f->in->seed, 99);
}

/* Loads with the --set values given. */
static ts_status load_with_set(fixture *f, const char *const *set, size_t n)
{
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = f->dir;
    o.set = set;
    o.n_set = n;
    ts_diags_free(&f->d);
    ts_diags_init(&f->d);
    ts_inputs_free(f->in);
    return ts_inputs_load(&o, &f->in, &f->d);
}

static void test_set_overrides(void **state)
{
    fixture *f = *state;
    write_policy(f, REQUIRED "  cooldown_s: 300\n  hpa:\n    tolerance: 0.2\n");
    const char *set[] = {"autoscaling.cooldown_s=60", "autoscaling.hpa.tolerance=0.05", "autoscaling.policy=hpa",
                         "autoscaling.hpa.behavior.scale_down.policies=[{type: Pods, value: 2, period_s: 60}]",
                         "runtime.slots_total_default=8", "meta.seed=11"};
    assert_int_equal(load_with_set(f, set, 6), TS_OK);
    const ts_policy *p = &f->in->policy;
    const ts_hpa_config *h = ts_hpa_settings(p);
    assert_int_equal(TS_THRESHOLD(p)->cooldown_s, 60);          /* the command line over the file */
    assert_true(TS_THRESHOLD(p)->scale_up_threshold_pct == 70);  /* untouched keys keep the file's */
    assert_ptr_equal(p->type, &ts_policy_hpa);
    assert_true(h->tolerance == 0.05);
    assert_true(h->has_behavior);                 /* a list given inside behavior makes it present */
    assert_int_equal(h->behavior.scale_down.n_policies, 1);
    assert_int_equal(h->behavior.scale_down.policy[0].value, 2);
    /* the direction not given keeps the API defaults, derived again */
    assert_int_equal(h->behavior.scale_down.stabilization_window_s, 300);
    assert_int_equal(h->behavior.scale_up.n_policies, 2);
    assert_int_equal(f->in->runtime.slots_total_default, 8);
    assert_int_equal(f->in->seed, 11);
}

static void test_set_errors(void **state)
{
    fixture *f = *state;
    /* the same messages as the file's, named after --set, all of them */
    const char *set[] = {"autoscaling.target_utilization_pct=120", "autoscaling.cooldown_s=soon",
                         "autoscaling.hpa.tolerance=1", "autoscaling.scale_up_treshold_pct=70", "autoscaling.policy=vpa",
                         "autoscaling.warmup_s", "budget=3", "autoscaling.kpa.tick_s=\"2\"", "autoscalng.cooldown_s=5"};
    assert_int_equal(load_with_set(f, set, 9), TS_EINPUT);
    static const char *const want[] = {
        "--set: autoscaling.target_utilization_pct is 120 (expected a number from 1 to 100)",
        "--set: autoscaling.cooldown_s is soon (expected an integer number of seconds from 0 to 3153600000)",
        "--set: autoscaling.hpa.tolerance is 1 (expected a fraction from 0 to below 1)",
        "--set: unknown key autoscaling.scale_up_treshold_pct (did you mean autoscaling.scale_up_threshold_pct? expected one of: target_utilization_pct, peak_factor, min_instances_per_model, max_instances_per_model, evaluation_interval_s, scale_up_threshold_pct, scale_down_threshold_pct, scale_up_step_replicas, scale_down_step_replicas, stabilization_window_s, warmup_s, cooldown_s, warmup_p95_factor, weights_load_gb_per_s, container_start_s, capacity_peak_percentile, policy, hpa, kpa, predictive, schedule)",
        "--set: autoscaling.policy is vpa (expected threshold, hpa, kpa, predictive or schedule)",
        "--set: autoscaling.warmup_s has no value (expected KEY=VALUE)",
        "--set: unknown key budget (expected autoscaling.KEY, runtime.KEY, sla.KEY, slo.KEY or meta.seed)",
        "--set: autoscaling.kpa.tick_s is the string \"2\" (expected an integer number of seconds from 1 to 60)",
        ("--set: unknown key autoscalng.cooldown_s (did you mean autoscaling.cooldown_s? expected autoscaling.KEY, "
         "runtime.KEY, sla.KEY, slo.KEY or meta.seed)"),
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!tu_has_diag(&f->d, want[i])) {
            tu_dump(&f->d);
            fail_msg("missing: %s", want[i]);
        }
    assert_int_equal(f->d.n_errors, 9);
    /* a bound between keys broken by --set is reported there */
    const char *pair[] = {"autoscaling.min_instances_per_model=20"};
    assert_int_equal(load_with_set(f, pair, 1), TS_EINPUT);
    assert_true(tu_has_diag(&f->d, "--set: autoscaling.min_instances_per_model is 20, above max_instances_per_model 10 (expected min <= max)"));
}

static void test_model_overrides(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/demand.yaml",
             "models:\n  m1:\n    tokens_per_month: 7.2e9\n  m2:\n    tokens_per_month: 7.2e9\n");
    tu_write(f->dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\nm1,H100,1,2500,aggregate\n"
             "m2,H100,1,2500,aggregate\n");
    write_policy(f, REQUIRED "  cooldown_s: 300\nmodels:\n  m2:\n    autoscaling:\n      cooldown_s: 30\n"
                              "      policy: kpa\n      kpa: {tick_s: 4}\n");
    const char *set[] = {"autoscaling.stabilization_window_s=0"};
    assert_int_equal(load_with_set(f, set, 1), TS_OK);
    const ts_policy *p1 = ts_inputs_policy(f->in, 0), *p2 = ts_inputs_policy(f->in, 1);
    assert_ptr_equal(p1, &f->in->policy); /* m1 runs with the file's */
    assert_int_equal(TS_THRESHOLD(p1)->cooldown_s, 300);
    assert_int_equal(TS_THRESHOLD(p2)->cooldown_s, 30);
    assert_ptr_equal(p2->type, &ts_policy_kpa);
    assert_int_equal(ts_kpa_settings(p2)->tick_s, 4);
    assert_int_equal(TS_THRESHOLD(p2)->stabilization_window_s, 0); /* over the file and --set */
    assert_int_equal(p2->max_instances, 10);
    ts_inputs_free(f->in);
    f->in = NULL;
    /* a misspelt model, a bad key and a bound between keys */
    write_policy(f, REQUIRED "models:\n  m3:\n    autoscaling: {cooldown_s: 30}\n"
                              "  m1:\n    autoscaling:\n      cooldown: 30\n      min_instances_per_model: 12\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":9:3: models.m3 has its own autoscaling settings but no demand (expected a model of demand.yaml or of a series)");
    expect_error(f, "operator/public_tap.yaml",
                 ":13:7: unknown key models.m1.autoscaling.cooldown (did you mean models.m1.autoscaling.cooldown_s? expected one of: target_utilization_pct, peak_factor, min_instances_per_model, max_instances_per_model, evaluation_interval_s, scale_up_threshold_pct, scale_down_threshold_pct, scale_up_step_replicas, scale_down_step_replicas, stabilization_window_s, warmup_s, cooldown_s, warmup_p95_factor, weights_load_gb_per_s, container_start_s, capacity_peak_percentile, policy, hpa, kpa, predictive, schedule)");
    write_policy(f, REQUIRED "models:\n  m1:\n    autoscaling:\n      min_instances_per_model: 12\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":11:32: models.m1.autoscaling.min_instances_per_model is 12, above max_instances_per_model 10 (expected min <= max)");
}

static void test_policy_overlay(void **state)
{
    (void)state;
    ts_policy p;
    ts_policy_defaults(&p);
    ts_diags d;
    ts_diags_init(&d);
    const char *v = "autoscaling:\n  policy: hpa\n  hpa:\n    downscale_stabilization_s: 60\n";
    assert_int_equal(ts_policy_overlay(&p, "v.yaml", v, strlen(v), &d), TS_OK);
    assert_ptr_equal(p.type, &ts_policy_hpa);
    assert_int_equal(ts_hpa_settings(&p)->downscale_stabilization_s, 60);
    /* the scale-down window follows the controller's window it defaults to */
    assert_int_equal(ts_hpa_settings(&p)->behavior.scale_down.stabilization_window_s, 60);
    assert_true(ts_hpa_settings(&p)->tolerance == 0.1);
    const char *bad = "autoscaling:\n  hpa:\n    tolerence: 0.2\n";
    assert_int_equal(ts_policy_overlay(&p, "v.yaml", bad, strlen(bad), &d), TS_EINPUT);
    assert_true(tu_has_diag(&d, "v.yaml:3:5: unknown key autoscaling.hpa.tolerence (did you mean autoscaling.hpa.tolerance? expected one of: sync_period_s, tolerance, downscale_stabilization_s, scale_up_limit_factor, scale_up_limit_minimum, keda_cooldown_s, behavior, metric)"));
    ts_diags_free(&d);
}

static void test_mistakes_users_make(void **state)
{
    fixture *f = *state;
    /* a percentage written as a fraction, in the file and on the command line */
    write_policy(f, "  target_utilization_pct: 0.75\n  peak_factor: 1.2\n  min_instances_per_model: 1\n"
                    "  max_instances_per_model: 10\n  kpa:\n    panic_window_pct: 0.1\n");
    expect_error(f, "operator/public_tap.yaml",
                 ":4:27: autoscaling.target_utilization_pct is 0.75, which looks like a fraction; did you mean 75? (expected a number from 1 to 100)");
    expect_error(f, "operator/public_tap.yaml",
                 ":9:23: autoscaling.kpa.panic_window_pct is 0.1, which looks like a fraction; did you mean 10? (expected a number from 1 to 100)");
    write_policy(f, REQUIRED);
    const char *set[] = {"autoscaling.scale_up_threshold_pct=0.7", "runtime.batching_efficiency_pct=1"};
    assert_int_equal(load_with_set(f, set, 2), TS_EINPUT);
    assert_true(tu_has_diag(&f->d, "--set: autoscaling.scale_up_threshold_pct is 0.7, which looks like a fraction; did you mean 70? (expected a number above 0 and at most 100)"));
    assert_true(tu_has_diag(&f->d, "--set: runtime.batching_efficiency_pct is 1, which looks like a fraction; did you mean 100? (expected a number above 0 and at most 100)"));
    /* a model id that differs in case from the dataset's, and one whose
     * only row was skipped */
    tu_write(f->dir, "operator/demand.yaml",
             "models:\n  Meta/Llama-Small:\n    tokens_per_month: 1e9\n  m2:\n    tokens_per_month: 1e9\n");
    tu_write(f->dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\nmeta/llama-small,H100,1,2500,aggregate\n"
             "m2,H100,1,2500\n");
    ts_diags_free(&f->d);
    ts_diags_init(&f->d);
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_EINPUT);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/operator/demand.yaml:2:3: model Meta/Llama-Small has demand but no throughput figure in %s/facts/tps_model_gpu.csv (did you mean meta/llama-small? expected a row for it, or runtime.allow_tps_heuristic: true)",
             f->dir, f->dir);
    assert_true(tu_has_diag(&f->d, want));
    snprintf(want, sizeof want,
             "%s/operator/demand.yaml:4:3: model m2 has demand but no throughput figure in %s/facts/tps_model_gpu.csv (its row at %s/facts/tps_model_gpu.csv:3 (4 fields) was skipped for a wrong number of fields; expected a row for it, or runtime.allow_tps_heuristic: true)",
             f->dir, f->dir, f->dir);
    assert_true(tu_has_diag(&f->d, want));
    /* the warnings of a failed load come with the errors */
    snprintf(want, sizeof want,
             "%s/facts/tps_model_gpu.csv:3:1: row skipped: it has 4 fields but the header has 5 (expected one field per column; a missing empty cell shifts the rest)",
             f->dir);
    assert_true(tu_has_diag(&f->d, want));
}

static void test_price_row_field_count(void **state)
{
    fixture *f = *state;
    tu_write(f->dir, "operator/curated_gpu.csv", "gpu_model,num_gpus,price_usd_hr\nH100,1,2.5\nL4,0.8\n");
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    assert_int_equal(f->in->warnings.n, 1);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/operator/curated_gpu.csv:3:1: row skipped: it has 2 fields but the header has 3 (expected one field per column; a missing empty cell shifts the rest)",
             f->dir);
    assert_true(tu_has_diag(&f->in->warnings, want));
}

static void test_inputs_stay_inside(void **state)
{
    fixture *f = *state;
    /* a file outside the inputs folder, to reach by a link */
    char *outside = tu_tmpdir();
    tu_write(outside, "s.csv", "timestamp,model,demand_tokens_per_hour\n2025-03-01T00:00:00Z,m1,1\n"
                               "2025-03-01T00:01:00Z,m1,1\n");
    char target[1024], link[1024];
    snprintf(target, sizeof target, "%s/s.csv", outside);
    snprintf(link, sizeof link, "%s/operator/link.csv", f->dir);
    assert_int_equal(symlink(target, link), 0);
    char fifo[1024];
    snprintf(fifo, sizeof fifo, "%s/operator/fifo.csv", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    tu_write(f->dir, "operator/demand.yaml",
             "series: [../../../etc/shadow, /dev/zero, link.csv, fifo.csv, ../operator/ok.csv]\n");
    tu_write(f->dir, "operator/ok.csv", "timestamp,model,demand_tokens_per_hour\n2025-03-01T00:00:00Z,m1,1\n"
                                        "2025-03-01T00:01:00Z,m1,1\n");
    /* lexically out: refused before anything is opened, so no oracle */
    expect_error(f, "operator/demand.yaml",
                 ":1:10: series ../../../etc/shadow leads outside the inputs folder (expected a path inside it, "
                 "relative to demand.yaml; --allow-outside-inputs permits others)");
    expect_error(f, "operator/demand.yaml",
                 ":1:31: series /dev/zero leads outside the inputs folder (expected a path inside it, relative to "
                 "demand.yaml; --allow-outside-inputs permits others)");
    expect_error(f, "operator/demand.yaml",
                 ":1:42: series link.csv leads outside the inputs folder through a symbolic link (expected a file "
                 "inside it; --allow-outside-inputs permits others)");
    /* a FIFO would block the run: only regular files are read */
    expect_error(f, "operator/fifo.csv", ": cannot read: not a regular file (expected a readable file)");
    if (f->d.n_errors != 4)
        tu_dump(&f->d);
    assert_int_equal(f->d.n_errors, 4); /* ../operator/ok.csv stays inside and is read */
    /* allowed explicitly, the link is read */
    tu_write(f->dir, "operator/demand.yaml", "series: [link.csv]\n");
    ts_diags_free(&f->d);
    ts_diags_init(&f->d);
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = f->dir;
    o.allow_outside = 1;
    assert_int_equal(ts_inputs_load(&o, &f->in, &f->d), TS_OK);
    tu_rmrf(outside);
    free(outside);
}

static void test_text_files_only(void **state)
{
    fixture *f = *state;
    /* a NUL byte: the 1 GB tail of zeros would be read and accepted */
    static const char facts[] = "model_id,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type\n"
                                "m1,H100,1,32,2500,aggregate\n\0\0\0";
    char path[1024];
    snprintf(path, sizeof path, "%s/facts/tps_model_gpu.csv", f->dir);
    FILE *fp = fopen(path, "wb");
    fwrite(facts, 1, sizeof facts - 1, fp);
    fclose(fp);
    expect_error(f, "facts/tps_model_gpu.csv", ":3:1: a NUL byte (expected a text file)");
}

static void test_silent_nonsense(void **state)
{
    fixture *f = *state;
    /* a month of 1e308 tokens made the plan's average inf */
    tu_write(f->dir, "operator/demand.yaml", "models:\n  m1:\n    tokens_per_month: 1e308\n");
    expect_error(f, "operator/demand.yaml",
                 ":3:23: models.m1.tokens_per_month is 1e308 (expected a number of tokens from 0 to 1e+18)");
    /* a control character in an id split the messages over two lines */
    tu_write(f->dir, "operator/demand.yaml", "models:\n  \"m\\n1\":\n    tokens_per_month: 1e9\n");
    expect_error(f, "operator/demand.yaml",
                 ":2:3: model id has the control character 0x0A at byte 2 (expected printable characters)");
    /* a series with a header and no rows */
    tu_write(f->dir, "operator/demand.yaml", "series: [s.csv]\nmodels:\n  m1:\n    tokens_per_month: 1e9\n");
    tu_write(f->dir, "operator/s.csv", "timestamp,model,demand_tokens_per_hour\n");
    expect_error(f, "operator/s.csv", ":1:1: the file has a header and no rows (expected at least two rows per model)");
    /* a rate beyond any fleet */
    tu_write(f->dir, "operator/s.csv", "timestamp,model,demand_tokens_per_hour\n2025-03-01T00:00:00Z,m1,1e300\n"
                                       "2025-03-01T00:01:00Z,m1,1\n");
    expect_error(f, "operator/s.csv", ":2:25: demand_tokens_per_hour is \"1e300\" (expected a number from 0 to 1e18)");
    /* an extra field is ignored, but said */
    tu_write(f->dir, "operator/s.csv", "timestamp,model,demand_tokens_per_hour\n2025-03-01T00:00:00Z,m1,1,x\n"
                                       "2025-03-01T00:01:00Z,m1,1,y\n");
    ts_diags_free(&f->d);
    ts_diags_init(&f->d);
    assert_int_equal(tu_load(f->dir, &f->in, &f->d), TS_OK);
    char want[2048], buf[2048];
    snprintf(want, sizeof want,
             "%s/operator/s.csv:2:27: 2 row(s) have more fields than the header's 3, this one first; the extra "
             "fields are ignored", f->dir);
    assert_true(tu_has_diag(&f->in->warnings, want) || (tu_dump(&f->in->warnings), 0));
    (void)buf;
}

/* One pool from memory plans and simulates as a folder would. 60 minutes of
 * 3.6e6 tokens/hour on 100 tokens/s: a replica serves 100 x 3600 x 0.75 =
 * 270,000 tokens/hour at the target 75, the peak 1.2 x 3.6e6 = 4.32e6, so
 * the plan needs ceil(4.32e6 / 270,000) = 16; at 2.00 an hour and 360,000
 * tokens an hour per instance, 1M tokens cost 2 / 0.36 = 5.5556. */
static void test_pool_from_memory(void **state)
{
    (void)state;
    double rate[60];
    for (int i = 0; i < 60; i++)
        rate[i] = 3.6e6;
    ts_pool_spec spec = {.model = "m", .rate = rate, .n = 60, .tau_s = 60, .gpu = "L4", .gpu_count = 1,
                         .tps_eff = 100, .has_price = 1, .price_hr = 2.0};
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = NULL;
    assert_int_equal(ts_inputs_of_pool(&spec, NULL, &in, &d), TS_OK);
    assert_int_equal(in->n_demand, 1);
    assert_string_equal(in->currency, "USD");
    assert_true(fabs(in->cand[0].cost_per_1m - 2.0 / 0.36) < 1e-12);
    rate[0] = 1; /* copied: the caller's array is its own */
    assert_true(in->demand[0].rate[0] == 3.6e6);
    ts_plan *plan = NULL;
    assert_int_equal(ts_plan_build(in, &plan), TS_OK);
    assert_int_equal(plan->rows[0].r.instances_needed, 16);
    ts_sim_options so = {.threads = 1};
    ts_sim_results *res = NULL;
    assert_int_equal(ts_simulate_plan(in, plan, &so, &res), TS_OK);
    assert_int_equal(res->pools[0].kpis.steps, 60); /* the threshold policy steps each minute */
    assert_true(res->pools[0].has_cost);
    ts_sim_results_free(res);
    ts_plan_free(plan);
    ts_inputs_free(in);
    ts_diags_free(&d);
}

/* Every bad field of a pool is said, at once. */
static void test_pool_from_memory_errors(void **state)
{
    (void)state;
    double rate[2] = {1, -1};
    ts_pool_spec spec = {.rate = rate, .n = 2, .tau_s = 0, .gpu_count = 0, .tps_eff = 0, .currency = "GBP"};
    ts_policy p;
    ts_policy_defaults(&p);
    p.min_instances = 5;
    p.max_instances = 2;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = (ts_inputs *)&d; /* set to NULL on failure */
    assert_int_equal(ts_inputs_of_pool(&spec, &p, &in, &d), TS_EINPUT);
    assert_null(in);
    assert_true(tu_has_diag(&d, "demand rate 1 is -1 (expected a number of tokens/hour of 0 or more)"));
    assert_true(tu_has_diag(&d, "tau_s is 0 (expected the seconds each rate covers, from 1 to 3153600000)"));
    assert_true(tu_has_diag(&d, "tps_eff is 0 (expected tokens/s per instance above 0)"));
    assert_true(tu_has_diag(&d, "gpu_count is 0 (expected GPUs per instance from 1 to 1024)"));
    assert_true(tu_has_diag(&d, "currency is \"GBP\" (expected USD or EUR)"));
    assert_true(tu_has_diag(&d, "autoscaling.min_instances_per_model is 5, above max_instances_per_model 2 (expected min <= max)"));
    assert_int_equal(d.n_errors, 6);
    ts_diags_free(&d);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_valid),           T(test_unknown_sections_ignored), T(test_missing_file),
        T(test_invalid_yaml),    T(test_unknown_key),              T(test_wrong_types),
        T(test_bounds),          T(test_runtime_section),          T(test_csv_missing_column),
        T(test_csv_bad_cells),   T(test_rows_combine_and_skip),    T(test_prices),
        T(test_duplicate_model), T(test_demand_keys),              T(test_series),
        T(test_series_errors),   T(test_big_series_in_pieces),   T(test_no_throughput),            T(test_heuristic_allowed),
        T(test_heuristic_needs_params), T(test_empty_demand),      T(test_simulation_yaml),
        T(test_seed_override),   T(test_policy_sections),         T(test_policy_section_errors),
        T(test_errors_across_sections_at_once), T(test_set_overrides), T(test_set_errors),
        T(test_model_overrides), T(test_policy_overlay), T(test_mistakes_users_make),
        T(test_price_row_field_count), T(test_inputs_stay_inside), T(test_text_files_only),
        T(test_silent_nonsense), T(test_pool_from_memory), T(test_pool_from_memory_errors),
    };
    return cmocka_run_group_tests_name("inputs", tests, NULL, NULL);
}
