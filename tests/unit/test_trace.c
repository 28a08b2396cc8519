/*
 * test_trace.c — request traces to demand series.
 */
#include "testutil.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azure_buckets_and_gaps),
        cmocka_unit_test(test_azure_bad_rows),
        cmocka_unit_test(test_servegen),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
