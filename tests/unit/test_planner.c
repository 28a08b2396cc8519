/*
 * test_planner.c — §3 percentile, §3a profiles and noise, §4 planner, g*,
 * throughput conversions and the heuristic. Expected values are worked out
 * by hand in the comments.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "util/percentile.h"
#include "policy/hpa.h"
#include "policy/kpa.h"
#include "sim/kpis.h"
#include "inputs/demand.h"
#include "inputs/profile.h"
#include "inputs/facts.h"
#include "inputs/gpus.h"
#include "plan/gpu_choice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static ts_policy policy(double target, double peak_factor, int64_t min, int64_t max)
{
    ts_policy p;
    ts_policy_defaults(&p);
    p.target_utilization_pct = target;
    p.peak_factor = peak_factor;
    p.min_instances = min;
    p.max_instances = max;
    return p;
}

static void test_percentile_hand_values(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        double p, want;
    } rows[] = {
        /* x sorted = 10 20 30 40 50, n = 5, h = 4p/100 */
        {"p95: h=3.8 -> 40 + 0.8*10", 95, 48},
        {"p50: h=2 -> x[2]", 50, 30},
        {"p90: h=3.6 -> 40 + 0.6*10", 90, 46},
        {"p100: h=4 -> max", 100, 50},
        {"p0: h=0 -> min", 0, 10},
        {"p12.5: h=0.5 -> 10 + 0.5*10", 12.5, 15},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double x[] = {50, 10, 40, 20, 30}; /* unsorted on purpose */
        double got = ts_percentile(x, 5, rows[i].p);
        if (fabs(got - rows[i].want) > 1e-12)
            fail_msg("%s: got %.17g", rows[i].what, got);
    }
    double one[] = {7};
    assert_true(ts_percentile(one, 1, 95) == 7);
    assert_true(ts_percentile(NULL, 0, 95) == 0); /* empty set */
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_percentile_matches_sort(void **state)
{
    (void)state;
    /* the selection must give exactly the sorted definition's value, ties
     * and duplicates included */
    unsigned s = 12345;
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)(trial * 7 % 97);
        double x[100], y[100];
        for (size_t i = 0; i < n; i++) {
            s = s * 1103515245u + 12345u;
            x[i] = y[i] = (double)((s >> 16) % 13) * 2.385;
        }
        qsort(y, n, sizeof *y, cmp_d);
        double p = (double)(trial % 101);
        double h = (double)(n - 1) * p / 100.0;
        size_t lo = (size_t)floor(h), hi = lo + 1 < n ? lo + 1 : n - 1;
        double want = y[lo] + (h - (double)lo) * (y[hi] - y[lo]);
        assert_true(ts_percentile(x, n, p) == want);
    }
}

static void test_select_large_matches_sort(void **state)
{
    (void)state;
    /* arrays long enough for the selection to pick its range from a sample
     * (over 600): every rank asked gives the sorted array's value, with
     * everything before it <= and everything after >=, on values with
     * many ties, all equal, sorted, reversed and spread */
    static double x[50000], y[50000];
    unsigned s = 777;
    for (int trial = 0; trial < 60; trial++) {
        size_t n = 601 + (size_t)trial * 811;
        for (size_t i = 0; i < n; i++) {
            s = s * 1103515245u + 12345u;
            int shape = trial % 5;
            x[i] = shape == 0 ? (double)((s >> 16) % 7) : shape == 1 ? 42.0 : shape == 2 ? (double)i
                 : shape == 3 ? (double)(n - i) : (double)(s >> 8) / 3.0;
            y[i] = x[i];
        }
        qsort(y, n, sizeof *y, cmp_d);
        s = s * 1103515245u + 12345u;
        size_t k = trial % 3 == 0 ? n * 95 / 100 : (s >> 8) % n;
        assert_true(ts_select(x, n, k) == y[k]);
        for (size_t i = 0; i < n; i++)
            if (i < k ? x[i] > y[k] : x[i] < y[k])
                fail_msg("trial %d: x[%zu] = %g on the wrong side of rank %zu (%g)", trial, i, x[i], k, y[k]);
    }
}

static void test_select_runs_large_matches_sort(void **state)
{
    (void)state;
    /* many runs (the selection first narrows to a band of values around
     * the rank, from a sample taken by weight): every rank asked gives the
     * value of the expanded, sorted multiset, on runs of equal weights, of
     * wildly different weights (one run holding most of the weight, which
     * the band's sample may miss), with many ties, sorted and reversed */
    static ts_run r[20000];
    static double y[200000];
    unsigned s = 4242;
    for (int trial = 0; trial < 40; trial++) {
        size_t n = 4096 + (size_t)trial * 397;
        size_t ny = 0;
        for (size_t i = 0; i < n; i++) {
            s = s * 1103515245u + 12345u;
            int shape = trial % 5;
            r[i].value = shape == 0 ? (double)((s >> 16) % 50) : shape == 1 ? (double)i : shape == 2 ? (double)(n - i)
                                                                                                : (double)(s >> 8) / 7.0;
            r[i].count = shape == 4 ? (i == n / 3 ? 100000 : 1) : 1 + (int64_t)((s >> 4) % 9);
            if (ny + (size_t)r[i].count > sizeof y / sizeof y[0])
                r[i].count = 1;
            for (int64_t c = 0; c < r[i].count; c++)
                y[ny++] = r[i].value;
        }
        qsort(y, ny, sizeof *y, cmp_d);
        for (int q = 0; q < 3; q++) {
            s = s * 1103515245u + 12345u;
            size_t k = q == 0 ? ny * 95 / 100 : q == 1 ? ny / 3 : (s >> 8) % ny;
            double got = ts_select_runs(r, n, (int64_t)k);
            if (got != y[k])
                fail_msg("trial %d, rank %zu of %zu: %g, sorted %g", trial, k, ny, got, y[k]);
        }
    }
}

static void test_planner_basic(void **state)
{
    (void)state;
    /* tps 1 -> tph 3600; target 75 -> cap 2700; peak 1.2*3000 = 3600;
     * needed = ceil(3600/2700) = 2 */
    double D[] = {1000, 3000, 2000};
    ts_series s = {D, 3, 3600};
    ts_policy p = policy(75, 1.2, 0, 10);
    ts_planner_result r;
    assert_int_equal(ts_planner_instances_needed(&s, 1.0, &p, NULL, &r), TS_OK);
    assert_true(r.avg_tokens_per_hour == 2000);
    assert_true(fabs(r.peak_tokens_per_hour - 3600) < 1e-9);
    assert_true(r.tps == 1.0);
    assert_true(r.cap_tokens_per_hour_per_instance == 2700);
    assert_int_equal(r.needed, 2);
    assert_int_equal(r.instances_needed, 2);
    assert_false(r.capacity_violation);
}

static void test_planner_tps_zero_is_error(void **state)
{
    (void)state;
    double D[] = {1000};
    ts_series s = {D, 1, 3600};
    ts_policy p = policy(75, 1.2, 0, 10);
    ts_planner_result r;
    memset(&r, 0x5a, sizeof r);
    assert_int_equal(ts_planner_instances_needed(&s, 0.0, &p, NULL, &r), TS_EINPUT);
    assert_int_equal(ts_planner_instances_needed(&s, -5.0, &p, NULL, &r), TS_EINPUT);
    ts_series empty = {D, 0, 3600};
    assert_int_equal(ts_planner_instances_needed(&empty, 1.0, &p, NULL, &r), TS_EINPUT);
}

static void test_planner_zero_peak_gives_min(void **state)
{
    (void)state;
    double D[] = {0, 0, 0};
    ts_series s = {D, 3, 3600};
    ts_policy p = policy(75, 1.2, 2, 10);
    ts_planner_result r;
    assert_int_equal(ts_planner_instances_needed(&s, 100.0, &p, NULL, &r), TS_OK);
    assert_int_equal(r.needed, 0);
    assert_int_equal(r.instances_needed, 2);
    assert_false(r.capacity_violation);
}

static void test_planner_target_100(void **state)
{
    (void)state;
    /* at 100 % one instance serves exactly its tph: 3600 -> 1, 3601 -> 2 */
    double D[] = {3600};
    ts_series s = {D, 1, 3600};
    ts_policy p = policy(100, 1.0, 0, 10);
    ts_planner_result r;
    ts_planner_instances_needed(&s, 1.0, &p, NULL, &r);
    assert_int_equal(r.instances_needed, 1);
    D[0] = 3601;
    ts_planner_instances_needed(&s, 1.0, &p, NULL, &r);
    assert_int_equal(r.instances_needed, 2);
}

static void test_planner_clamp_and_violation(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        double demand;
        int64_t needed, instances;
        int violation;
    } rows[] = {
        {"exactly max (3 x 3600)", 10800, 3, 3, 0},
        {"max + 1", 10801, 4, 3, 1},
        {"far above max", 36000, 10, 3, 1},
        {"below min", 100, 1, 2, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double D[] = {rows[i].demand};
        ts_series s = {D, 1, 3600};
        ts_policy p = policy(100, 1.0, 2, 3);
        ts_planner_result r;
        ts_planner_instances_needed(&s, 1.0, &p, NULL, &r);
        if (r.needed != rows[i].needed || r.instances_needed != rows[i].instances ||
            r.capacity_violation != rows[i].violation)
            fail_msg("%s: needed %lld instances %lld violation %d", rows[i].what, (long long)r.needed,
                     (long long)r.instances_needed, r.capacity_violation);
    }
}

static void test_planner_peak_percentile(void **state)
{
    (void)state;
    /* p95 of 10..50 is 48 (see the percentile test); peak 48; tps 1/3600*... */
    double D[] = {10, 20, 30, 40, 50};
    double scratch[5];
    ts_series s = {D, 5, 3600};
    ts_policy p = policy(100, 1.0, 0, 100);
    p.has_peak_percentile = 1;
    p.capacity_peak_percentile = 95;
    ts_planner_result r;
    assert_int_equal(ts_planner_instances_needed(&s, 10.0 / 3600.0, &p, scratch, &r), TS_OK);
    assert_true(fabs(r.peak_tokens_per_hour - 48) < 1e-12);
    assert_int_equal(r.needed, 5); /* ceil(48 / 10) */
    assert_true(D[0] == 10 && D[4] == 50); /* the series itself is untouched */
}

static void test_planner_avg_with_tau(void **state)
{
    (void)state;
    /* half-hour rates: 1000 and 3000 tokens/hour -> 500 + 1500 tokens over one
     * hour = 2000 tokens/hour */
    double D[] = {1000, 3000};
    ts_series s = {D, 2, 1800};
    ts_policy p = policy(75, 1.0, 0, 10);
    ts_planner_result r;
    ts_planner_instances_needed(&s, 1.0, &p, NULL, &r);
    assert_true(r.avg_tokens_per_hour == 2000);
}

static void test_profiles_keep_the_month(void **state)
{
    (void)state;
    static double D[720];
    double tpm = 7.2e9; /* mean 1e7 tokens/hour */
    ts_profile_fill(D, 720, tpm, 0, 0, 15, 0);
    double sum = 0;
    for (int h = 0; h < 720; h++) {
        assert_true(D[h] == 1e7);
        sum += D[h];
    }
    assert_true(sum == tpm);
    ts_profile_fill(D, 720, tpm, 1, 0.5, 15, 0);
    sum = 0;
    for (int h = 0; h < 720; h++)
        sum += D[h];
    assert_true(fabs(sum - tpm) / tpm < 1e-12);
    /* peak at 15:00, trough at 03:00; with a whole number of days the weights
     * average 1, so D[15] = 1e7 * 1.5 and D[3] = 1e7 * 0.5 */
    assert_true(fabs(D[15] - 1.5e7) / 1.5e7 < 1e-12);
    assert_true(fabs(D[3] - 0.5e7) / 0.5e7 < 1e-12);
    for (int h = 0; h < 24; h++)
        assert_true(D[h] <= D[15]);
    /* a start at 06:00 UTC shifts the series: index 9 is 15:00 */
    ts_profile_fill(D, 720, tpm, 1, 0.5, 15, 6);
    assert_true(fabs(D[9] - 1.5e7) / 1.5e7 < 1e-12);
}

static void test_noise(void **state)
{
    (void)state;
    double a[500], b[500], c[500], z[500];
    for (int i = 0; i < 500; i++)
        a[i] = b[i] = c[i] = z[i] = 1000;
    ts_noise_apply(a, 500, 10, 42, "m1");
    ts_noise_apply(b, 500, 10, 42, "m1");
    ts_noise_apply(c, 500, 10, 43, "m1");
    ts_noise_apply(z, 500, 0, 42, "m1");
    assert_memory_equal(a, b, sizeof a); /* reproducible for a seed */
    assert_true(memcmp(a, c, sizeof a) != 0); /* another seed differs */
    double mean = 0;
    for (int i = 0; i < 500; i++) {
        assert_true(z[i] == 1000); /* no noise: unchanged */
        assert_true(a[i] > 0);
        mean += a[i] / 500;
    }
    assert_true(fabs(mean - 1000) < 20); /* mean-one multiplier (sd/sqrt(n) = 4.5) */
    ts_noise_apply(c, 500, 10, 42, "m2");
    assert_true(memcmp(a, c, sizeof a) != 0); /* each model its own stream */
}

static void test_conversions(void **state)
{
    (void)state;
    ts_runtime rt = {32, 70, 40, 0};
    static const struct {
        const char *type;
        double tput, batch, want;
    } rows[] = {
        {"aggregate", 2461.67, 32, 2461.67},
        {"offline", 15220, 0, 15220 * 40 / 100.0},            /* 6088 */
        {"single_stream", 92.72, 1, 92.72 * 32 * 70 / 100.0},  /* batch 1: default slots */
        {"per_user_stream", 62.5, 0, 62.5 * 32 * 70 / 100.0},  /* 1400 */
        {"per_user_stream", 62.5, 16, 62.5 * 16 * 70 / 100.0}, /* measured at 16 streams: 700 */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double got;
        int rank;
        assert_int_equal(ts_convert_tps(rows[i].type, rows[i].tput, rows[i].batch, &rt, &got, &rank), TS_OK);
        assert_true(got == rows[i].want);
    }
    double got;
    int rank;
    assert_int_equal(ts_convert_tps("peak", 1, 0, &rt, &got, &rank), TS_EINPUT);
    /* 1400 and 700 by hand */
    ts_convert_tps("per_user_stream", 62.5, 0, &rt, &got, &rank);
    assert_true(fabs(got - 1400) < 1e-9);
}

static void test_heuristic(void **state)
{
    (void)state;
    ts_runtime rt = {32, 70, 40, 1};
    int64_t n;
    double tps;
    /* 8B at 2 bytes = 16 GB; H100 80 GB holds 20 GB -> 1 GPU;
     * 1 * 3350 / 16 * 32 * 0.7 = 4690 */
    assert_int_equal(ts_heuristic_tps("H100", 8, 2, &rt, &n, &tps), TS_OK);
    assert_int_equal(n, 1);
    assert_true(fabs(tps - 4690) < 1e-9);
    /* 70B at 2 bytes = 140 GB needs 175 GB: 4 x 48 GB L40S; 4*864/140*22.4 */
    assert_int_equal(ts_heuristic_tps("l40s", 70, 2, &rt, &n, &tps), TS_OK);
    assert_int_equal(n, 4);
    assert_true(fabs(tps - 4.0 * 864 / 140 * 32 * 0.7) < 1e-9);
    assert_int_equal(ts_heuristic_tps("TPU v5", 8, 2, &rt, &n, &tps), TS_EINPUT);
    assert_int_equal(ts_heuristic_tps("RTX 4090", 400, 2, &rt, &n, &tps), TS_EINPUT); /* fits on no 8 */
}

static void test_gpu_normalize(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } rows[] = {{"A100 80GB", "A10080G"}, {"A100 80G", "A10080G"}, {"rtx-4090", "RTX4090"},
                {"RTX 4090", "RTX4090"},   {"l40s", "L40S"},        {"H100_SXM", "H100SXM"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[64];
        ts_gpu_normalize(rows[i].in, out, sizeof out);
        assert_string_equal(out, rows[i].want);
    }
}

static ts_candidate cand(const char *gpu, int64_t count, double tps, int priced, double price)
{
    ts_candidate c;
    memset(&c, 0, sizeof c);
    c.model = (char *)"m";
    c.gpu = (char *)gpu;
    c.gpu_count = count;
    c.tps_eff = tps;
    c.has_price = priced;
    c.instance_price_hr = price;
    c.cost_per_1m = priced ? price / (tps * 3600.0 / 1e6) : 0;
    return c;
}

static void test_gpu_choice_ties(void **state)
{
    (void)state;
    ts_inputs in;
    memset(&in, 0, sizeof in);
    /* cost per 1M: A: 1/(1000*3600/1e6) = 0.2778; B: 2/(2000*...) = same;
     * C: 0.5/(500*...) = same; all tie -> lower instance price: C */
    ts_candidate c1[] = {cand("A", 1, 1000, 1, 1.0), cand("B", 1, 2000, 1, 2.0), cand("C", 1, 500, 1, 0.5),
                         cand("D", 1, 9000, 0, 0)};
    in.cand = c1;
    in.n_cand = 4;
    assert_int_equal(ts_choose_gpu(&in, "m"), 2);
    /* equal price too -> GPU name */
    ts_candidate c2[] = {cand("Z", 1, 1000, 1, 1.0), cand("Y", 1, 1000, 1, 1.0)};
    in.cand = c2;
    in.n_cand = 2;
    assert_int_equal(ts_choose_gpu(&in, "m"), 1);
    /* no price at all: highest tps_eff per GPU: 4000/4 = 1000 < 1500 */
    ts_candidate c3[] = {cand("H", 4, 4000, 0, 0), cand("L", 1, 1500, 0, 0)};
    in.cand = c3;
    in.n_cand = 2;
    assert_int_equal(ts_choose_gpu(&in, "m"), 1);
    /* cheaper per token wins over cheaper per hour */
    ts_candidate c4[] = {cand("cheap", 1, 100, 1, 0.5), cand("fast", 1, 2000, 1, 2.0)};
    in.cand = c4;
    in.n_cand = 2;
    assert_int_equal(ts_choose_gpu(&in, "m"), 1);
    assert_int_equal(ts_choose_gpu(&in, "other"), -1);
}

static void test_policy_check(void **state)
{
    (void)state;
    /* a policy built in code gets the same bounds as one read from YAML */
    ts_policy p;
    ts_policy_defaults(&p);
    ts_diags d;
    ts_diags_init(&d);
    assert_int_equal(ts_policy_check(&p, &d), TS_OK);
    assert_int_equal(d.n, 0);
    p.min_instances = 7;
    p.max_instances = 3;
    assert_int_equal(ts_policy_check(&p, &d), TS_EINPUT);
    assert_int_equal(d.n, 1);
    assert_true(tu_has_diag(&d, "autoscaling.min_instances_per_model is 7, above max_instances_per_model 3 (expected min <= max)"));
    ts_diags_free(&d);
    ts_diags_init(&d);
    ts_policy_defaults(&p);
    TS_THRESHOLD(&p)->scale_down_threshold_pct = 80;
    p.target_utilization_pct = 0;
    assert_int_equal(ts_policy_check(&p, &d), TS_EINPUT);
    assert_int_equal(d.n, 2);
    assert_true(tu_has_diag(&d, "autoscaling.target_utilization_pct is 0 (expected a number from 1 to 100)"));
    assert_true(tu_has_diag(&d, "autoscaling.scale_down_threshold_pct is 80, not below scale_up_threshold_pct 70 (expected 0 < down < up <= 100)"));
    ts_diags_free(&d);
    ts_diags_init(&d);
    /* a policy's own settings are held to their table's bounds too */
    ts_policy_defaults(&p);
    ts_kpa_settings_mut(&p)->tick_s = 0;
    ts_hpa_settings_mut(&p)->has_behavior = 1;
    ts_hpa_settings_mut(&p)->behavior.scale_up.policy[0].period_s = 4000;
    assert_int_equal(ts_policy_check(&p, &d), TS_EINPUT);
    assert_true(tu_has_diag(&d, "autoscaling.kpa.tick_s is 0 (expected an integer number of seconds from 1 to 60)"));
    assert_true(tu_has_diag(&d, "autoscaling.hpa.behavior.scale_up.policies[0].period_s is 4000 (expected an integer number of seconds from 1 to 1800)"));
    ts_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile_hand_values),
        cmocka_unit_test(test_percentile_matches_sort),
        cmocka_unit_test(test_select_large_matches_sort),
        cmocka_unit_test(test_select_runs_large_matches_sort),
        cmocka_unit_test(test_planner_basic),
        cmocka_unit_test(test_planner_tps_zero_is_error),
        cmocka_unit_test(test_planner_zero_peak_gives_min),
        cmocka_unit_test(test_planner_target_100),
        cmocka_unit_test(test_planner_clamp_and_violation),
        cmocka_unit_test(test_planner_peak_percentile),
        cmocka_unit_test(test_planner_avg_with_tau),
        cmocka_unit_test(test_profiles_keep_the_month),
        cmocka_unit_test(test_noise),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_heuristic),
        cmocka_unit_test(test_gpu_normalize),
        cmocka_unit_test(test_gpu_choice_ties),
        cmocka_unit_test(test_policy_check),
    };
    return cmocka_run_group_tests_name("planner", tests, NULL, NULL);
}
