/*
 * test_trace.c — request traces to demand series.
 */
#include "testutil.h"
#include "import/timewatch.h"
#include "tapscale_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_azure_buckets_and_gaps(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    /* minute buckets: 18:17 has 10+20 output tokens, 18:18 none, 18:19 has 5.
     * rate = tokens * 3600/60 * scale(2): 3600, 0, 600 */
    tu_write(dir, "t.csv",
             "TIMESTAMP,ContextTokens,GeneratedTokens\n"
             "2023-11-16 18:17:03.9799600,4808,10\n"
             "2023-11-16 18:17:59.9999999,3180,20\n"
             "2023-11-16 18:19:00.0000000,110,5\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    o.format = TS_TRACE_AZURE;
    o.tokens = TS_TOKENS_OUTPUT;
    o.interval_s = 60;
    o.scale = 2;
    o.model = "code";
    o.header = 1;
    ts_buf b;
    ts_buf_init(&b);
    ts_diags d;
    ts_diags_init(&d);
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_OK);
    assert_string_equal(b.data, "timestamp,model,demand_tokens_per_hour\n"
                                "2023-11-16T18:17:00Z,code,3600\n"
                                "2023-11-16T18:18:00Z,code,0\n"
                                "2023-11-16T18:19:00Z,code,600\n");
    ts_buf_free(&b);
    /* total tokens, 5-minute buckets, scale 1: (4808+10+3180+20+110+5)*12 */
    ts_buf_init(&b);
    o.tokens = TS_TOKENS_TOTAL;
    o.interval_s = 300;
    o.scale = 1;
    o.header = 0;
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_OK);
    assert_string_equal(b.data, "2023-11-16T18:15:00Z,code,97596\n");
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

static void test_azure_bad_rows(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    tu_write(dir, "t.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\nnoon,1,2\n2023-11-16 18:17:03,x,2\n");
    char path[4096], want[4200];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    o.interval_s = 60;
    o.scale = 1;
    o.model = "m";
    ts_buf b;
    ts_buf_init(&b);
    ts_diags d;
    ts_diags_init(&d);
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_EINPUT);
    snprintf(want, sizeof want, "%s:2:1: TIMESTAMP is \"noon\" (expected a time such as 2023-11-16 18:17:03.9799600)", path);
    assert_true(tu_has_diag(&d, want));
    snprintf(want, sizeof want, "%s:3:21: ContextTokens is \"x\" (expected a count of at least 0)", path);
    assert_true(tu_has_diag(&d, want));
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

static void test_servegen(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    tu_write(dir, "s.csv",
             "model,hour_offset,day,hour_of_day,requests,requests_covered,coverage,input_tokens_covered,output_tokens_covered,input_tokens_est,output_tokens_est\n"
             "m-large,0,0,0,1,1,1,1,1,100,10\n"
             "m-large,1,0,1,1,1,1,1,1,200,20\n"
             "m-small,0,0,0,1,1,1,1,1,5,5\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/s.csv", dir);
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    o.format = TS_TRACE_SERVEGEN;
    o.tokens = TS_TOKENS_TOTAL;
    o.scale = 10;
    o.select = "m-large";
    o.model = "big";
    o.start = 1735689600;
    ts_buf b;
    ts_buf_init(&b);
    ts_diags d;
    ts_diags_init(&d);
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_OK);
    assert_string_equal(b.data, "2025-01-01T00:00:00Z,big,1100\n2025-01-01T01:00:00Z,big,2200\n");
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

#ifndef TRACES_DIR
#define TRACES_DIR "tests/fixtures/traces"
#endif

/* Imports a fixture of tests/fixtures/traces with o (no header); returns
 * the rows in a buffer the caller frees. */
static char *import(const char *name, ts_trace_options *o, ts_status want, ts_diags *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TRACES_DIR, name);
    if (!o->interval_s)
        o->interval_s = 60;
    if (o->scale == 0)
        o->scale = 1;
    if (!o->start)
        o->start = 1735689600;
    ts_buf b;
    ts_buf_init(&b);
    ts_status st = ts_trace_import(path, o, &b, d);
    if (st != want) {
        tu_dump(d);
        fail_msg("%s: status %d", name, st);
    }
    return b.data ? b.data : strdup("");
}

static void test_request_logs(void **state)
{
    (void)state;
    static const struct {
        const char *what, *file;
        ts_trace_format format;
        ts_token_kind tokens;
        const char *time_field, *tokens_field, *model_field, *model;
        ts_time_unit unit;
        const char *want;
    } rows[] = {
        /* requests at 0 s (500) and 30 s (490): 990 tokens in minute 0, x 60
         * per hour = 59400; 61 s (794): 47640; 185 s (316): 18960; the
         * blank line is no request */
        {"mooncake, output tokens, ms from --start", "mooncake.jsonl", TS_TRACE_MOONCAKE, TS_TOKENS_OUTPUT, 0, 0, 0, "m",
         0,
         "2025-01-01T00:00:00Z,m,59400\n2025-01-01T00:01:00Z,m,47640\n2025-01-01T00:02:00Z,m,0\n"
         "2025-01-01T00:03:00Z,m,18960\n"},
        /* the same requests as CSV with timestamp_ms (Mooncake's other form) */
        {"mooncake as CSV", "mooncake.csv", TS_TRACE_MOONCAKE, TS_TOKENS_OUTPUT, 0, 0, 0, "m", 0,
         "2025-01-01T00:00:00Z,m,59400\n2025-01-01T00:01:00Z,m,47640\n2025-01-01T00:02:00Z,m,0\n"
         "2025-01-01T00:03:00Z,m,18960\n"},
        /* ChatGPT: 18 + 300 response tokens in minute 0 (19080), none until
         * its last request in minute 2; GPT-4: 246 (14760) */
        {"burstgpt, response tokens, by model", "burstgpt.csv", TS_TRACE_BURSTGPT, TS_TOKENS_OUTPUT, 0, 0, 0, 0, 0,
         "2025-01-01T00:00:00Z,ChatGPT,19080\n2025-01-01T00:01:00Z,ChatGPT,0\n2025-01-01T00:02:00Z,ChatGPT,0\n"
         "2025-01-01T00:00:00Z,GPT-4,14760\n"},
        /* ChatGPT in minute 0: 490 + 500 tokens (59400); 100 in minute 2 */
        {"burstgpt, total tokens", "burstgpt.csv", TS_TRACE_BURSTGPT, TS_TOKENS_TOTAL, 0, 0, 0, 0, 0,
         "2025-01-01T00:00:00Z,ChatGPT,59400\n2025-01-01T00:01:00Z,ChatGPT,0\n2025-01-01T00:02:00Z,ChatGPT,6000\n"
         "2025-01-01T00:00:00Z,GPT-4,79980\n"},
        /* epoch milliseconds: a 10 at 0 s, 30 at 100 s; b 20 at 30 s */
        {"csv with named fields", "requests.csv", TS_TRACE_CSV, TS_TOKENS_OUTPUT, "ts_ms", "completion_tokens", "model",
         0, TS_TIME_MS,
         "2025-01-01T00:00:00Z,a,600\n2025-01-01T00:01:00Z,a,1800\n2025-01-01T00:00:00Z,b,1200\n"},
        {"jsonl with ISO times", "requests.jsonl", TS_TRACE_JSONL, TS_TOKENS_OUTPUT, "time", "out", "deployment", 0,
         TS_TIME_ISO, "2025-01-01T00:00:00Z,a,3600\n2025-01-01T00:01:00Z,a,0\n2025-01-01T00:02:00Z,a,7200\n"},
        /* 10-minute windows: 600 tokens in 1/6 hour = 3600 per hour */
        {"servegen in 10-minute windows", "servegen_10min.csv", TS_TRACE_SERVEGEN, TS_TOKENS_OUTPUT, 0, 0, 0, 0, 0,
         "2025-01-01T00:00:00Z,m-small,3600\n2025-01-01T00:10:00Z,m-small,7200\n2025-01-01T00:20:00Z,m-small,1800\n"},
        /* the same windows with their offsets in seconds and plain token
         * columns: window_offset_s 600 is 1/6 hour */
        {"servegen, offsets in seconds", "servegen_window_s.csv", TS_TRACE_SERVEGEN, TS_TOKENS_OUTPUT, 0, 0, 0, 0, 0,
         "2025-01-01T00:00:00Z,m-small,3600\n2025-01-01T00:10:00Z,m-small,7200\n2025-01-01T00:20:00Z,m-small,1800\n"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ts_trace_options o;
        memset(&o, 0, sizeof o);
        o.format = rows[i].format;
        o.tokens = rows[i].tokens;
        o.time_field = rows[i].time_field;
        o.tokens_field = rows[i].tokens_field;
        o.model_field = rows[i].model_field;
        o.model = rows[i].model;
        o.time_unit = rows[i].unit;
        ts_diags d;
        ts_diags_init(&d);
        char *got = import(rows[i].file, &o, TS_OK, &d);
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("%s:\n%s", rows[i].what, got);
        free(got);
        ts_diags_free(&d);
    }
}

static void test_prometheus(void **state)
{
    (void)state;
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    o.format = TS_TRACE_PROMETHEUS;
    o.counter = 1;
    ts_diags d;
    ts_diags_init(&d);
    /* a counter sampled every minute: +60 a minute is 1 token/s, 3600 an
     * hour; a NaN at 00:03; at 00:04 it fell to 40 (a restart: 40 since),
     * spread over the two minutes since 00:02 (1200 an hour each); 00:06
     * is missing: 120 over the two minutes to 00:07 */
    char *got = import("prometheus_counter.json", &o, TS_OK, &d);
    assert_string_equal(got, "2025-01-01T00:01:00Z,llama-8b,3600\n2025-01-01T00:02:00Z,llama-8b,3600\n"
                             "2025-01-01T00:03:00Z,llama-8b,1200\n2025-01-01T00:04:00Z,llama-8b,1200\n"
                             "2025-01-01T00:05:00Z,llama-8b,3600\n2025-01-01T00:06:00Z,llama-8b,3600\n"
                             "2025-01-01T00:07:00Z,llama-8b,3600\n");
    char want[4200];
    snprintf(want, sizeof want, "%s/prometheus_counter.json: the counter of llama-8b restarted 1 times: each increase taken from zero", TRACES_DIR);
    assert_true(tu_has_diag(&d, want));
    snprintf(want, sizeof want, "%s/prometheus_counter.json: the series of llama-8b has 1 missing and 1 NaN samples: the counter's increase is spread over them", TRACES_DIR);
    assert_true(tu_has_diag(&d, want));
    free(got);
    ts_diags_free(&d);
    ts_diags_init(&d);
    /* a rate in tokens/s: 2.5 -> 9000 an hour; NaN and the missing 00:02
     * are no demand; models by id */
    memset(&o, 0, sizeof o);
    o.format = TS_TRACE_PROMETHEUS;
    got = import("prometheus_rate.json", &o, TS_OK, &d);
    assert_string_equal(got, "2025-01-01T00:00:00Z,qwen-7b,9000\n2025-01-01T00:01:00Z,qwen-7b,0\n"
                             "2025-01-01T00:02:00Z,qwen-7b,0\n2025-01-01T00:03:00Z,qwen-7b,18000\n"
                             "2025-01-01T00:00:00Z,llama-8b,3600\n2025-01-01T00:01:00Z,llama-8b,7200\n");
    free(got);
    o.label = "pod";
    got = import("prometheus_rate.json", &o, TS_EINPUT, &d);
    snprintf(want, sizeof want, "%s/prometheus_rate.json: data.result[0] has no label pod (expected the model's name in it; --label names another)", TRACES_DIR);
    assert_true(tu_has_diag(&d, want));
    free(got);
    ts_diags_free(&d);
}

static void test_error_cap_and_span(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char *text = malloc(100000);
    size_t at = (size_t)sprintf(text, "TIMESTAMP,ContextTokens,GeneratedTokens\n");
    for (int i = 0; i < 100; i++)
        at += (size_t)sprintf(text + at, "%s,1,1\n", i % 2 ? "bad" : "2025-01-01 00:00:00");
    tu_write(dir, "t.csv", text);
    /* after a valid line, 30 lines that are not JSON, each its own problem
     * (the parser names the token it met) */
    at = (size_t)sprintf(text, "{\"t\": 1, \"n\": 1}\n");
    for (int i = 0; i < 30; i++)
        at += (size_t)sprintf(text + at, "junk%c%c\n", 'a' + i % 26, 'a' + i / 26);
    tu_write(dir, "j.jsonl", text);
    tu_write(dir, "far.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-01-01 00:00:00,1,1\n2423-01-01 00:00:00,1,1\n");
    free(text);
    char path[2048], want[4200];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    o.interval_s = 60;
    o.scale = 1;
    o.model = "m";
    ts_buf b;
    ts_buf_init(&b);
    ts_diags d;
    ts_diags_init(&d);
    /* 400 Gregorian years are 146097 days: 210379680 minutes, and one */
    /* 50 rows with one problem (lines 3, 5, ..., 101): one error at the
     * first, and the other 49 counted */
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_EINPUT);
    assert_int_equal(d.n_errors, 2);
    snprintf(want, sizeof want, "%s:3:1: TIMESTAMP is \"bad\" (expected a time such as 2023-11-16 18:17:03.9799600)", path);
    assert_true(tu_has_diag(&d, want));
    snprintf(want, sizeof want, "%s: 49 more rows with the problem of line 3 (expected each row as the format has it)", path);
    assert_true(tu_has_diag(&d, want));
    ts_diags_free(&d);
    ts_diags_init(&d);
    /* 20 distinct problems (lines 2 to 21), then the file is read no
     * further: lines 22 to 31 are 10 rows left unread */
    snprintf(path, sizeof path, "%s/j.jsonl", dir);
    o.format = TS_TRACE_JSONL;
    o.time_field = "t";
    o.tokens_field = "n";
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_EINPUT);
    assert_int_equal(d.n_errors, 21);
    snprintf(want, sizeof want, "%s: 20 errors: reading stopped at line 21, 10 rows left unread (expected a file in the format of --format)", path);
    if (!tu_has_diag(&d, want)) {
        tu_dump(&d);
        fail();
    }
    o.format = TS_TRACE_AZURE;
    ts_diags_free(&d);
    ts_diags_init(&d);
    snprintf(path, sizeof path, "%s/far.csv", dir);
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_EINPUT);
    snprintf(want, sizeof want, "%s: model m spans 2023-01-01T00:00:00Z to 2423-01-01T00:00:00Z: 210379681 buckets of 60 s (expected at most 10000000: a wider --interval, or the stray timestamp removed)", path);
    if (!tu_has_diag(&d, want)) {
        tu_dump(&d);
        fail();
    }
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

static void test_prometheus_grid_and_span(void **state)
{
    (void)state;
    /* Found by the fuzzer: samples off one grid made the least gap the step
     * and a far sample asked for billions of rows (4 GB). A query_range
     * result is evenly spaced: anything else is an error, and so is a span
     * of more than ten million steps. */
    char *dir = tu_tmpdir();
    tu_write(dir, "off.json",
             "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"model_name\":\"m\"},"
             "\"values\":[[1735689600,\"1\"],[1735689660,\"2\"],[1735689718,\"3\"]]}]}}");
    tu_write(dir, "far.json",
             "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"model_name\":\"m\"},"
             "\"values\":[[1735689600,\"1\"],[1735689601,\"2\"],[1835689601,\"3\"]]}]}}");
    ts_trace_options o;
    memset(&o, 0, sizeof o);
    o.format = TS_TRACE_PROMETHEUS;
    o.scale = 1;
    o.label = "model_name";
    ts_buf b;
    ts_buf_init(&b);
    ts_diags d;
    ts_diags_init(&d);
    char path[2048], want[4200];
    snprintf(path, sizeof path, "%s/off.json", dir);
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_EINPUT);
    snprintf(want, sizeof want, "%s: the series of m has sample 1 60 s after the previous one, not a multiple of its "
             "step of 58 s (expected evenly spaced samples, as query_range returns them)", path);
    assert_true(tu_has_diag(&d, want) || (tu_dump(&d), 0));
    ts_diags_free(&d);
    ts_diags_init(&d);
    snprintf(path, sizeof path, "%s/far.json", dir);
    assert_int_equal(ts_trace_import(path, &o, &b, &d), TS_EINPUT);
    /* 1e8 s at a 1 s step: 100000002 samples */
    snprintf(want, sizeof want, "%s: the series of m spans 2025-01-01T00:00:00Z to 2028-03-03T09:46:41Z: 100000002 "
             "samples of 1 s (expected at most 10000000: a query over a shorter range or a longer step)", path);
    assert_true(tu_has_diag(&d, want) || (tu_dump(&d), 0));
    assert_true(b.len < 100); /* nothing but the header was written */
    ts_buf_free(&b);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

/* Each sample's format from its first line alone; a header that fits no
 * preset is a request log for the options to map, one that fits two is an
 * error. */
static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        ts_trace_format want;
    } rows[] = {
        {"burstgpt.csv", TS_TRACE_BURSTGPT},          {"mooncake.jsonl", TS_TRACE_MOONCAKE},
        {"mooncake.csv", TS_TRACE_MOONCAKE},          {"prometheus_counter.json", TS_TRACE_PROMETHEUS},
        {"prometheus_rate.json", TS_TRACE_PROMETHEUS}, {"servegen_10min.csv", TS_TRACE_SERVEGEN},
        {"servegen_window_s.csv", TS_TRACE_SERVEGEN},  {"requests.csv", TS_TRACE_CSV},
        {"requests.jsonl", TS_TRACE_JSONL},            {"relative.csv", TS_TRACE_CSV},
    };
    char path[4096], why[400];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", TRACES_DIR, rows[i].file);
        ts_trace_format f = (ts_trace_format)-1;
        assert_int_equal(ts_trace_sniff(path, &f, why, sizeof why), TS_OK);
        if (f != rows[i].want)
            fail_msg("%s: format %d, expected %d (%s)", rows[i].file, (int)f, (int)rows[i].want, why);
    }
    char *dir = tu_tmpdir();
    tu_write(dir, "both.csv", "TIMESTAMP,ContextTokens,GeneratedTokens,timestamp,input_length,output_length\n");
    tu_write(dir, "empty.csv", "\n\n");
    snprintf(path, sizeof path, "%s/both.csv", dir);
    ts_trace_format f;
    assert_int_equal(ts_trace_sniff(path, &f, why, sizeof why), TS_EINPUT);
    assert_string_equal(why, "the header TIMESTAMP,ContextTokens,GeneratedTokens,timestamp,input_length,output_length "
                             "fits the presets azure, mooncake (expected --format to say which)");
    snprintf(path, sizeof path, "%s/empty.csv", dir);
    assert_int_equal(ts_trace_sniff(path, &f, why, sizeof why), TS_EINPUT);
    assert_string_equal(why, "the file is empty (expected a trace)");
    tu_rmrf(dir);
    free(dir);
}

/* Times that say how a log was written: 0, 30000 (ms), 61, 90 (s), 95000
 * (ms): the step from 30000 to 61 goes back, and it and the one from 90
 * to 95000 are 100x or more (the one from 0 is not looked at: a first
 * offset of 0); a trace in order, every step within 100x, says nothing. */
static void test_time_watch(void **state)
{
    (void)state;
    ts_time_watch w = {0};
    const double t[] = {0, 30000, 61, 90, 95000};
    for (int i = 0; i < 5; i++)
        ts_time_watch_see(&w, t[i], i + 2);
    assert_int_equal(w.jumps, 2);
    assert_int_equal(w.jump_line, 4);
    assert_true(w.jump_from == 30000 && w.jump_to == 61);
    assert_int_equal(w.back, 1);
    assert_int_equal(w.back_line, 4);
    ts_diags d;
    ts_diags_init(&d);
    ts_time_watch_report(&w, "f.csv", "t", &d);
    assert_true(tu_has_diag(&d, "f.csv:4: t jumps from 30000 to 61 s (2 such jumps): seconds and milliseconds mixed? "
                                "(expected one --time-unit for every row)"));
    assert_true(tu_has_diag(&d, "f.csv:4: t goes back in time, from 30000 to 61 s (1 row earlier than the row before): "
                                "each request is counted at its own time, so the series is the same (expected rows in "
                                "time order)"));
    ts_diags_free(&d);
    ts_time_watch in_order = {0};
    const double u[] = {0, 1, 150, 9000, 40000, 1735689600, 1735689660};
    for (int i = 0; i < 7; i++)
        ts_time_watch_see(&in_order, u[i], i + 2);
    /* 9000 -> 40000 and 40000 -> 1735689600: the latter is 43000x */
    assert_int_equal(in_order.back, 0);
    assert_int_equal(in_order.jumps, 1);
    assert_int_equal(in_order.jump_line, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azure_buckets_and_gaps),
        cmocka_unit_test(test_azure_bad_rows),
        cmocka_unit_test(test_servegen),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_time_watch),
        cmocka_unit_test(test_request_logs),
        cmocka_unit_test(test_prometheus),
        cmocka_unit_test(test_prometheus_grid_and_span),
        cmocka_unit_test(test_error_cap_and_span),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
