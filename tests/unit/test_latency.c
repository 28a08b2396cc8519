/*
 * test_latency.c — latency profiles (ts_latency_at, ts_latency_slo_tps,
 * ts_latency_column) and a pool's latency KPIs (ts_simulate_latency), on
 * profiles and pools worked by hand.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "policy/hpa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void near(double a, double b, int line)
{
    if (!(fabs(a - b) < 1e-9 * (1 + fabs(b))))
        fail_msg("line %d: %.17g, expected %.17g", line, a, b);
}
#define NEAR(a, b) near((a), (double)(b), __LINE__)

/* An M/D/1-shaped profile: a replica of 1000 output tokens/s at load
 * rho = x / 1000 queues a request for rho / (2 (1 - rho)) service times
 * on average (Pollaczek-Khinchine for a deterministic service). With a
 * TTFT of 100 ms x (1 + that) and an ITL of 20 ms x (1 + rho):
 *   x = 200: 100 x 1.125 = 112.5 ms, ITL 24 ms
 *   x = 500: 100 x 1.5   = 150 ms,   ITL 30 ms
 *   x = 800: 100 x 3     = 300 ms,   ITL 36 ms
 *   x = 900: 100 x 5.5   = 550 ms,   ITL 38 ms
 * The p50 and p99 columns are the p95's x 0.5 and x 1.5. */
static ts_latency_point mdl_pts[4];
static ts_latency_profile mdl(void)
{
    static const double x[4] = {200, 500, 800, 900};
    for (int i = 0; i < 4; i++) {
        double rho = x[i] / 1000, ttft = 100 * (1 + rho / (2 * (1 - rho))), itl = 20 * (1 + rho);
        mdl_pts[i] = (ts_latency_point){.output_tps = x[i],
                                        .ttft_ms = {ttft * 0.5, ttft, ttft * 1.5},
                                        .itl_ms = {itl * 0.5, itl, itl * 1.5}};
    }
    return (ts_latency_profile){.model = "m", .gpu = "g", .gpu_count = 1, .pts = mdl_pts, .n = 4};
}

static void test_profile_reads_the_derived_values(void **state)
{
    (void)state;
    ts_latency_profile pr = mdl();
    int beyond = 0;
    NEAR(ts_latency_at(&pr, 0, TS_P95, 200, &beyond), 112.5);
    NEAR(ts_latency_at(&pr, 0, TS_P95, 500, NULL), 150);
    NEAR(ts_latency_at(&pr, 0, TS_P95, 800, NULL), 300);
    NEAR(ts_latency_at(&pr, 1, TS_P95, 800, NULL), 36);
    /* linear between points: halfway from 500 to 800 */
    NEAR(ts_latency_at(&pr, 0, TS_P95, 650, NULL), 225);
    NEAR(ts_latency_at(&pr, 0, TS_P99, 650, NULL), 337.5);
    /* below the first point, the first's; above the last, the last's, said */
    NEAR(ts_latency_at(&pr, 0, TS_P95, 100, &beyond), 112.5);
    assert_int_equal(beyond, 0);
    NEAR(ts_latency_at(&pr, 0, TS_P95, 950, &beyond), 550);
    assert_int_equal(beyond, 1);
}

static void test_throughput_at_the_slo(void **state)
{
    (void)state;
    ts_latency_profile pr = mdl();
    ts_slo slo = {0};
    slo.ttft_ms[TS_P95] = 300; /* exactly the point at 800 */
    NEAR(ts_latency_slo_tps(&pr, &slo), 800);
    slo.ttft_ms[TS_P95] = 400; /* 300 -> 550 over 800 -> 900: 800 + 100 x 100 / 250 */
    NEAR(ts_latency_slo_tps(&pr, &slo), 840);
    slo.itl_ms[TS_P95] = 35;   /* ITL 30 -> 36 over 500 -> 800: 500 + 300 x 5 / 6 = 750, the lower */
    NEAR(ts_latency_slo_tps(&pr, &slo), 750);
    ts_slo tight = {0};
    tight.ttft_ms[TS_P95] = 100; /* below the first point's 112.5: no load meets it */
    NEAR(ts_latency_slo_tps(&pr, &tight), 0);
    ts_slo none = {0};
    NEAR(ts_latency_slo_tps(&pr, &none), 0);
}

/* A profile whose latency dips (a batch size that suits the GPU better):
 * ITL 30 at 100, 25 at 200, 40 at 300. A target of 28 holds from 140
 * (30 -> 25 crosses 28 two fifths of the way) to 220 (25 -> 40 crosses
 * it a fifth of the way): the answer is 220, not the inverse of the first
 * crossing. */
static void test_a_dip_is_read_as_it_is(void **state)
{
    (void)state;
    ts_latency_point pts[3] = {{.output_tps = 100, .itl_ms = {NAN, 30, NAN}, .ttft_ms = {NAN, 10, NAN}},
                               {.output_tps = 200, .itl_ms = {NAN, 25, NAN}, .ttft_ms = {NAN, 10, NAN}},
                               {.output_tps = 300, .itl_ms = {NAN, 40, NAN}, .ttft_ms = {NAN, 10, NAN}}};
    ts_latency_profile pr = {.pts = pts, .n = 3};
    ts_slo slo = {0};
    slo.itl_ms[TS_P95] = 28;
    NEAR(ts_latency_slo_tps(&pr, &slo), 220);
}

/* A profile without the asked percentile answers with the nearest higher
 * one (safe for an SLO), then a lower one. */
static void test_missing_percentile(void **state)
{
    (void)state;
    ts_latency_point pts[2] = {{.output_tps = 100, .ttft_ms = {50, NAN, 90}, .itl_ms = {10, NAN, NAN}},
                               {.output_tps = 200, .ttft_ms = {60, NAN, 120}, .itl_ms = {12, NAN, NAN}}};
    ts_latency_profile pr = {.pts = pts, .n = 2};
    assert_int_equal(ts_latency_column(&pr, 0, TS_P95), TS_P99);
    assert_int_equal(ts_latency_column(&pr, 0, TS_P50), TS_P50);
    assert_int_equal(ts_latency_column(&pr, 1, TS_P99), TS_P50);
    pts[1].itl_ms[TS_P50] = NAN;
    assert_int_equal(ts_latency_column(&pr, 1, TS_P95), TS_NOT_FOUND);
    ts_slo slo = {0};
    slo.ttft_ms[TS_P95] = 105; /* read on the p99 column: 90 -> 120, 105 halfway */
    NEAR(ts_latency_slo_tps(&pr, &slo), 150);
}

/* Ten minutes of 3.6e6 tokens/hour (1000 tokens/s) on a fixed fleet. */
static ts_latency_kpis pool_latency(int64_t replicas, double tps, const ts_slo *slo, ts_queue_kpis *q)
{
    static double D[10];
    for (int i = 0; i < 10; i++)
        D[i] = 3.6e6;
    static ts_latency_profile pr;
    pr = mdl();
    ts_policy p;
    ts_policy_defaults(&p);
    TS_THRESHOLD(&p)->evaluation_interval_s = 60;
    p.min_instances = replicas;
    p.max_instances = replicas;
    ts_sim_input in = {{D, 10, 60.0}, tps, 1, &p, 1, replicas};
    in.latency = &pr;
    ts_sla sla = {0};
    ts_latency_kpis k;
    assert_int_equal(ts_simulate_latency(&in, NULL, 0, &sla, slo, NULL, &k), TS_OK);
    assert_int_equal(ts_simulate_queue(&in, NULL, 0, &sla, q), TS_OK);
    return k;
}

static void test_pool_that_meets_tokens_but_misses_ttft(void **state)
{
    (void)state;
    /* two replicas of 1000 tokens/s serve the 1000 with room: no
     * shortfall, 500 tokens/s each: TTFT p95 150 ms, ITL p95 30 ms at
     * every step. Against a TTFT p95 of 120 ms, all ten minutes are over. */
    ts_slo slo = {0};
    slo.ttft_ms[TS_P95] = 120;
    ts_queue_kpis q;
    ts_latency_kpis k = pool_latency(2, 1000, &slo, &q);
    assert_true(k.has);
    NEAR(q.delay_p99_s, 0);
    NEAR(k.ttft_ms[TS_P95], 150);
    NEAR(k.ttft_ms[TS_P99], 225);
    NEAR(k.itl_ms[TS_P95], 30);
    assert_int_equal(k.slo_steps, 10);
    NEAR(k.slo_minutes, 10);
    assert_int_equal(k.beyond_steps, 0);
    /* a target of 160 ms holds everywhere */
    slo.ttft_ms[TS_P95] = 160;
    k = pool_latency(2, 1000, &slo, &q);
    assert_int_equal(k.slo_steps, 0);
}

static void test_waits_add_to_ttft(void **state)
{
    (void)state;
    /* one replica of 800 tokens/s against 1000 arriving: it serves at 800
     * (TTFT p95 300 ms), the backlog grows by 200 a second, and the token
     * arriving at t leaves at 1000 t / 800: it waits t / 4. The longest
     * wait of step k's arrivals is 60 (k + 1) / 4 = 15 (k + 1) s: the
     * steps' TTFT p95 are 300 + 15000 (k + 1) ms, each step a tenth of the
     * tokens, so the horizon's p95 is the last: 300 + 150,000. ITL does
     * not wait: 36 ms. Tokens are conserved: 600,000 arrived, 480,000
     * served, 120,000 left waiting. */
    ts_slo slo = {0};
    slo.ttft_ms[TS_P95] = 1000;
    ts_queue_kpis q;
    ts_latency_kpis k = pool_latency(1, 800, &slo, &q);
    NEAR(k.ttft_ms[TS_P95], 150300);
    NEAR(k.worst_ttft_p95_ms, 150300);
    NEAR(k.itl_ms[TS_P95], 36);
    assert_int_equal(k.slo_steps, 10);
    NEAR(q.arrived_tokens, 600000);
    NEAR(q.served_tokens + q.dropped_tokens + q.left_tokens, q.arrived_tokens);
    NEAR(q.left_tokens, 120000);
}

static void test_beyond_the_profile_is_counted(void **state)
{
    (void)state;
    /* one replica of 1000 tokens/s serving all 1000: past the profile's
     * last point (900), each of the ten steps */
    ts_slo slo = {0};
    slo.itl_ms[TS_P95] = 50;
    ts_queue_kpis q;
    ts_latency_kpis k = pool_latency(1, 1000, &slo, &q);
    assert_int_equal(k.beyond_steps, 10);
    NEAR(k.beyond_minutes, 10);
    NEAR(k.itl_ms[TS_P95], 38);
    assert_int_equal(k.slo_steps, 0);
}

/* The KV cache in use by Little's law on the M/D/1 profile: running
 * requests x (TTFT + L x ITL) / L at the medians (TTFT 0.5 x the p95
 * column, ITL 10 (1 + rho)), over those at the last point, 900 tokens/s.
 * Without lengths: x x ITL alone, 500 x 15 / (900 x 19) = 0.43860. With
 * L = 250: 500 / 250 x (75 + 250 x 15) = 7650 against 900 / 250 x
 * (275 + 250 x 19) = 18090: 0.42289. */
static void test_kv_cache_by_littles_law(void **state)
{
    (void)state;
    ts_latency_profile pr = mdl();
    NEAR(ts_latency_kv_used(&pr, 500), 500.0 * 15 / (900.0 * 19));
    NEAR(ts_latency_kv_used(&pr, 900), 1);
    NEAR(ts_latency_kv_used(&pr, 2000), 1); /* past the profile: full */
    NEAR(ts_latency_kv_used(&pr, 0), 0);
    for (size_t i = 0; i < pr.n; i++)
        mdl_pts[i].output_len = 250;
    NEAR(ts_latency_kv_used(&pr, 500), 7650.0 / 18090.0);
}

/* ---- the HPA on vLLM's metrics */

typedef struct first_event {
    int n;
    ts_event ev;
} first_event;

static ts_status keep_first(void *ctx, const ts_event *ev)
{
    first_event *f = ctx;
    if (f->n++ == 0)
        f->ev = *ev;
    return TS_OK;
}

/* An HPA pool of replicas of 1 token/s (3600 tokens/hour), min 1, max 10,
 * syncing every 15 s, its first replica ready, on metric (or the token
 * rate when metric is NULL), with demand d tokens/hour for an hour. */
static first_event hpa_pool(double d, int64_t replicas, const ts_hpa_vllm *metric)
{
    static double D[60];
    for (int i = 0; i < 60; i++)
        D[i] = d;
    ts_policy p;
    ts_policy_defaults(&p);
    p.type = ts_policy_type_find("hpa");
    p.min_instances = 1;
    p.max_instances = 10;
    if (metric) {
        ts_hpa_settings_mut(&p)->has_metric = 1;
        ts_hpa_settings_mut(&p)->metric = *metric;
    }
    ts_sim_input in = {{D, 60, 60.0}, 1.0, 1, &p, 1, replicas};
    ts_sim_workspace *ws = ts_sim_workspace_new();
    first_event f = {0};
    ts_kpis k;
    assert_int_equal(ts_simulate_autoscaler(&in, ws, keep_first, NULL, &f, &k), TS_OK);
    ts_sim_workspace_free(ws);
    return f;
}

static void test_hpa_on_requests_waiting(void **state)
{
    (void)state;
    /* 3 tokens/s against one replica's 1: the queue grows by 2 x 15 = 30
     * tokens a sync. At 100 tokens a request and a target of 2 waiting per
     * pod, the ratio is 30 k / 100 / 2 at sync k: 1.05 at k = 7 (within
     * the tolerance 0.1), 1.2 at k = 8, t = 120 s: ceil(1.2 x 1) = 2. */
    ts_hpa_vllm waiting = {TS_VLLM_WAITING, 2, 100};
    first_event f = hpa_pool(10800, 1, &waiting);
    assert_true(f.n > 0);
    NEAR(f.ev.t_s, 120);
    assert_int_equal(f.ev.replicas_prev, 1);
    assert_int_equal(f.ev.replicas_new, 2);
    /* the same pool on the token rate scales at the first sync: u = 3
     * against the target 0.75, ceil(1 x 4) = 4 within the limit
     * max(2 x 1, 4) */
    first_event g = hpa_pool(10800, 1, NULL);
    NEAR(g.ev.t_s, 0);
    assert_int_equal(g.ev.replicas_new, 4);
}

static void test_hpa_on_kv_cache(void **state)
{
    (void)state;
    /* two replicas serving half their throughput hold half their KV cache
     * each: against a target of 0.4 the ratio is 1.25, ceil(2 x 1.25) = 3
     * at the first sync; against 0.5 it is 1: nothing moves. */
    ts_hpa_vllm kv = {TS_VLLM_KV_CACHE, 0.4, 256};
    first_event f = hpa_pool(3600, 2, &kv);
    NEAR(f.ev.t_s, 0);
    assert_int_equal(f.ev.replicas_new, 3);
    kv.target = 0.5;
    f = hpa_pool(3600, 2, &kv);
    assert_int_equal(f.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_reads_the_derived_values),
        cmocka_unit_test(test_throughput_at_the_slo),
        cmocka_unit_test(test_a_dip_is_read_as_it_is),
        cmocka_unit_test(test_missing_percentile),
        cmocka_unit_test(test_pool_that_meets_tokens_but_misses_ttft),
        cmocka_unit_test(test_waits_add_to_ttft),
        cmocka_unit_test(test_beyond_the_profile_is_counted),
        cmocka_unit_test(test_kv_cache_by_littles_law),
        cmocka_unit_test(test_hpa_on_requests_waiting),
        cmocka_unit_test(test_hpa_on_kv_cache),
    };
    return cmocka_run_group_tests_name("latency", tests, NULL, NULL);
}
