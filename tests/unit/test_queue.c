/*
 * test_queue.c — the fluid queue (ts_simulate_queue): cases worked by hand
 * on one replica that serves 1 token/s, and, on random demand with every
 * policy scaling, the conservation of tokens and what no shortfall means.
 */
#include "testutil.h"
#include "policy/threshold.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One replica, never scaled (min = max = 1), serving 3600 tokens/hour =
 * 1 token/s; steps and demand intervals of 60 s. */
static ts_policy one_replica(void)
{
    ts_policy p;
    ts_policy_defaults(&p);
    TS_THRESHOLD(&p)->evaluation_interval_s = 60;
    p.min_instances = 1;
    p.max_instances = 1;
    return p;
}

static ts_queue_kpis queue_of(const double *D, size_t n, const ts_sla *sla)
{
    ts_policy p = one_replica();
    ts_sim_input in = {{D, n, 60.0}, 1.0, 1, &p, 1, 1};
    ts_queue_kpis q;
    assert_int_equal(ts_simulate_queue(&in, NULL, 0, sla, &q), TS_OK);
    return q;
}

static void near(double a, double b, int line)
{
    if (!(fabs(a - b) < 1e-9 * (1 + fabs(b))))
        fail_msg("line %d: %.17g, expected %.17g", line, a, b);
}
#define NEAR(a, b) near((a), (double)(b), __LINE__)

static void test_burst_then_nothing(void **state)
{
    (void)state;
    /* 2 tokens/s for three steps (180 s), then none. The backlog grows at
     * 1/s to 180 tokens at t = 180 and drains by t = 360; the replica is
     * busy from 0 to 360, so token x (of 360) arrives at x/2 and leaves at
     * x: it waits x/2, evenly from 0 to 180 s over the tokens. p50 = 90,
     * p95 = 171, p99 = 178.2. With max_delay_s 60, the tokens that wait
     * more arrive after t = 60: steps 1 and 2, two minutes. */
    static const double D[10] = {7200, 7200, 7200, 0, 0, 0, 0, 0, 0, 0};
    ts_sla sla = {1, 60.0, 0, 0};
    ts_queue_kpis q = queue_of(D, 10, &sla);
    NEAR(q.arrived_tokens, 360);
    NEAR(q.served_tokens, 360);
    NEAR(q.dropped_tokens, 0);
    NEAR(q.left_tokens, 0);
    NEAR(q.max_backlog_tokens, 180);
    NEAR(q.delay_p50_s, 90);
    NEAR(q.delay_p95_s, 171);
    NEAR(q.delay_p99_s, 178.2);
    NEAR(q.delay_max_s, 180);
    assert_int_equal(q.delayed_steps, 2);
    NEAR(q.delayed_minutes, 2);
}

static void test_burst_then_relief(void **state)
{
    (void)state;
    /* The same burst, then 0.5 tokens/s for seven steps. The backlog of
     * 180 drains at 0.5/s, empty at t = 540. Tokens of the burst wait x/2
     * (0..180 s, 360 tokens); tokens arriving from 180 to 540 (180 of them)
     * wait 540 − x, from 180 down to 0; the last 30 do not wait. So 540
     * tokens spread evenly over 0..180 s and 30 at 0: CDF(w) = 30 + 3w of
     * 570, and p50 = 85, p95 = 170.5, p99 = 178.1. */
    static const double D[10] = {7200, 7200, 7200, 1800, 1800, 1800, 1800, 1800, 1800, 1800};
    ts_sla none = {0, 0, 0, 0};
    ts_queue_kpis q = queue_of(D, 10, &none);
    NEAR(q.arrived_tokens, 570);
    NEAR(q.served_tokens, 570);
    NEAR(q.left_tokens, 0);
    NEAR(q.max_backlog_tokens, 180);
    NEAR(q.delay_p50_s, 85);
    NEAR(q.delay_p95_s, 170.5);
    NEAR(q.delay_p99_s, 178.1);
    assert_int_equal(q.delayed_steps, 0); /* no max_delay_s */
}

static void test_timeout_drops(void **state)
{
    (void)state;
    /* The burst with max_queue_s 60: a token is refused when 60 tokens (60 s
     * at 1/s) are ahead of it. The backlog reaches 60 at t = 60; from then
     * to 180 one token a second is admitted and one dropped (120 dropped);
     * the 60 left drain by 240. The first 120 tokens wait x/2 (0..60 s),
     * the next 120 exactly 60 s: p50 = p95 = p99 = 60. */
    static const double D[10] = {7200, 7200, 7200, 0, 0, 0, 0, 0, 0, 0};
    ts_sla sla = {0, 0, 1, 60.0};
    ts_queue_kpis q = queue_of(D, 10, &sla);
    NEAR(q.arrived_tokens, 360);
    NEAR(q.dropped_tokens, 120);
    NEAR(q.served_tokens, 240);
    NEAR(q.left_tokens, 0);
    NEAR(q.max_backlog_tokens, 60);
    NEAR(q.delay_p50_s, 60);
    NEAR(q.delay_p99_s, 60);
    NEAR(q.delay_max_s, 60);
}

static void test_left_at_the_end(void **state)
{
    (void)state;
    /* Only the burst: 180 tokens still wait when the horizon ends. The 180
     * served waited x/2 for x up to 180: evenly 0..90 s, p50 = 45. */
    static const double D[3] = {7200, 7200, 7200};
    ts_sla none = {0, 0, 0, 0};
    ts_queue_kpis q = queue_of(D, 3, &none);
    NEAR(q.arrived_tokens, 360);
    NEAR(q.served_tokens, 180);
    NEAR(q.left_tokens, 180);
    NEAR(q.delay_p50_s, 45);
    NEAR(q.delay_max_s, 90);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(uint64_t n)
{
    return tu_rnd(&rng, n);
}

static void test_conservation_and_no_shortfall(void **state)
{
    (void)state;
    /* Every policy on random demand, with and without a timeout: arrived
     * tokens are Σ d_k·Δ over the steps and equal served + dropped + left;
     * the percentiles are ordered; a pool whose demand never exceeded its
     * ready capacity kept nobody waiting, and one that did had a backlog
     * (or refused tokens, where the timeout's bound C x max_queue_s is 0). */
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    static double D[200];
    tu_events *l = malloc(sizeof *l);
    int short_pools = 0, fine_pools = 0;
    for (int trial = 0; trial < 300; trial++) {
        ts_policy p;
        ts_policy_defaults(&p);
        p.type = types[(size_t)trial % nt];
        TS_THRESHOLD(&p)->evaluation_interval_s = 15 * (1 + (int64_t)rnd(4));
        p.warmup_s = 30 * (int64_t)rnd(6);
        p.min_instances = (int64_t)rnd(2);
        p.max_instances = p.min_instances + 1 + (int64_t)rnd(12);
        size_t n = 1 + (size_t)rnd(200);
        double level = 3600.0 * (double)(1 + rnd(8));
        for (size_t i = 0; i < n; i++) {
            uint64_t x = rnd(8);
            if (x == 0)
                level = 0;
            else if (x < 3)
                level = 3600.0 * (double)rnd(20) * 1.37;
            D[i] = level;
        }
        if (trial % 4 == 0) {
            /* a pool with room to spare: two replicas, a light load */
            p.min_instances = p.max_instances = 2;
            for (size_t i = 0; i < n; i++)
                D[i] *= 0.05;
        }
        ts_sim_input in = {{D, n, 60.0}, 1.0 + (double)rnd(3) * 0.5, 1, &p, 0, 0};
        if (ts_sim_steps(&in.demand, ts_policy_step_s(&p)) > 3000)
            continue;
        ts_sim_workspace *ws = ts_sim_workspace_new();
        ts_kpis k;
        l->n = 0;
        assert_int_equal(ts_simulate_autoscaler(&in, ws, tu_log_event, NULL, l, &k), TS_OK);
        ts_sim_workspace_free(ws);
        ts_sla sla = {1, 30.0, (int)rnd(2), 30.0 + (double)rnd(300)};
        ts_queue_kpis q;
        assert_int_equal(ts_simulate_queue(&in, l->ev, l->n, &sla, &q), TS_OK);
        /* §5: step k sees the demand of the interval its start falls in,
         * for the whole step */
        int64_t dt = ts_policy_step_s(&p), K = ts_sim_steps(&in.demand, dt);
        double arrived = 0;
        for (int64_t k = 0; k < K; k++)
            arrived += D[k * dt / 60] * (double)dt / 3600.0;
        NEAR(q.arrived_tokens, arrived);
        NEAR(q.served_tokens + q.dropped_tokens + q.left_tokens, q.arrived_tokens);
        assert_true(q.delay_p50_s <= q.delay_p95_s && q.delay_p95_s <= q.delay_p99_s &&
                    q.delay_p99_s <= q.delay_max_s + 1e-9);
        if (!sla.has_max_queue_s)
            assert_true(q.dropped_tokens == 0);
        if (k.violations == 0) {
            assert_true(q.max_backlog_tokens == 0 && q.delay_max_s == 0);
            fine_pools++;
        } else {
            /* a backlog, or with a timeout and no capacity at all (a
             * schedule without windows at min 0) every token refused */
            assert_true(q.max_backlog_tokens > 0 || (sla.has_max_queue_s && q.dropped_tokens > 0));
            short_pools++;
        }
    }
    if (!(short_pools > 50 && fine_pools > 10))
        fail_msg("%d pools with a shortfall, %d without", short_pools, fine_pools);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_nothing),
        cmocka_unit_test(test_burst_then_relief),
        cmocka_unit_test(test_timeout_drops),
        cmocka_unit_test(test_left_at_the_end),
        cmocka_unit_test(test_conservation_and_no_shortfall),
    };
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
