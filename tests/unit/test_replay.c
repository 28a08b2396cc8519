/*
 * test_replay.c — a pool's steps rebuilt from its events
 * (ts_simulate_replay): a case worked by hand, events that are not the
 * pool's, and the simulator's own steps for every policy on random demand.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "sim/policy_type.h"

#include <stdlib.h>
#include <string.h>

typedef struct spans {
    ts_span s[4096];
    size_t n;
} spans;

static ts_status keep_span(void *ctx, const ts_span *s)
{
    spans *v = ctx;
    if (v->n == 4096)
        return TS_ERUNTIME; /* full: stop the replay */
    v->s[v->n++] = *s;
    return 0;
}

/* One replica serves 3600 tokens/hour; a step and a demand interval of
 * 60 s; a warm-up of 120 s. */
static ts_policy hand_policy(void)
{
    ts_policy p;
    ts_policy_defaults(&p);
    TS_THRESHOLD(&p)->evaluation_interval_s = 60;
    p.warmup_s = 120;
    p.min_instances = 0;
    p.max_instances = 10;
    return p;
}

static void test_hand_case(void **state)
{
    (void)state;
    /* Demand doubles at step 3; the pool starts with one replica and scales
     * 1 -> 2 at step 3. The new replica is paid from step 4 and warms until
     * t = 180 + 120 = 300 s, step 5. So: steps 0..2 at 3600 with R = N = 1;
     * step 3 at 7200 with R = N = 1 (the action comes after its
     * accounting); step 4 with R = 1, N = 2; step 5 with R = N = 2. */
    static const double D[6] = {3600, 3600, 3600, 7200, 7200, 7200};
    ts_policy p = hand_policy();
    ts_sim_input in = {{D, 6, 60.0}, 1.0, 1, &p, 1, 1};
    ts_event ev = {180.0, 7200, 3600, 1, 2, TS_SCALE_UP, 1, 200.0};
    spans v = {.n = 0};
    assert_int_equal(ts_simulate_replay(&in, &ev, 1, keep_span, &v), TS_OK);
    assert_int_equal(v.n, 4);
    const ts_span want[4] = {
        {0, 3, 3600, 1, 1, 3600}, {3, 4, 7200, 1, 1, 3600}, {4, 5, 7200, 1, 2, 3600}, {5, 6, 7200, 2, 2, 7200}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(v.s[i].k0, want[i].k0);
        assert_int_equal(v.s[i].k1, want[i].k1);
        assert_true(v.s[i].demand == want[i].demand);
        assert_int_equal(v.s[i].ready, want[i].ready);
        assert_int_equal(v.s[i].provisioned, want[i].provisioned);
        assert_true(v.s[i].capacity == want[i].capacity);
    }
    /* a scale-down takes the warming replica first: 2 -> 1 at step 4
     * leaves R = 1 and no group, so step 5 has R = N = 1, not 2 */
    ts_event two[2] = {ev, {240.0, 7200, 3600, 2, 1, TS_SCALE_DOWN, 1, 200.0}};
    v.n = 0;
    assert_int_equal(ts_simulate_replay(&in, two, 2, keep_span, &v), TS_OK);
    assert_int_equal(v.n, 4);
    assert_int_equal(v.s[2].k0, 4);
    assert_int_equal(v.s[2].provisioned, 2);
    assert_int_equal(v.s[3].k0, 5);
    assert_int_equal(v.s[3].k1, 6);
    assert_int_equal(v.s[3].ready, 1);
    assert_int_equal(v.s[3].provisioned, 1);
}

static void test_not_this_pools_events(void **state)
{
    (void)state;
    static const double D[6] = {3600, 3600, 3600, 7200, 7200, 7200};
    ts_policy p = hand_policy();
    ts_sim_input in = {{D, 6, 60.0}, 1.0, 1, &p, 1, 1};
    spans v = {.n = 0};
    ts_event off = {90.0, 3600, 3600, 1, 2, TS_SCALE_UP, 1, 100.0};      /* not a step */
    ts_event late = {360.0, 3600, 3600, 1, 2, TS_SCALE_UP, 1, 100.0};    /* after the horizon */
    ts_event wrong = {60.0, 3600, 3600, 3, 4, TS_SCALE_UP, 1, 100.0};    /* the pool has 1, not 3 */
    ts_event order[2] = {{120.0, 3600, 3600, 1, 2, TS_SCALE_UP, 1, 100.0},
                         {60.0, 3600, 3600, 2, 3, TS_SCALE_UP, 1, 100.0}};
    assert_int_equal(ts_simulate_replay(&in, &off, 1, keep_span, &v), TS_EINPUT);
    assert_int_equal(ts_simulate_replay(&in, &late, 1, keep_span, &v), TS_EINPUT);
    assert_int_equal(ts_simulate_replay(&in, &wrong, 1, keep_span, &v), TS_EINPUT);
    assert_int_equal(ts_simulate_replay(&in, order, 2, keep_span, &v), TS_EINPUT);
    ts_sim_input empty = in;
    empty.demand.n = 0;
    assert_int_equal(ts_simulate_replay(&empty, NULL, 0, keep_span, &v), TS_EINPUT);
}

typedef struct record {
    ts_event ev[2048];
    size_t n_ev;
    ts_step st[2048];
    size_t n_st;
} record;

static ts_status rec_ev(void *ctx, const ts_event *e)
{
    record *r = ctx;
    assert_true(r->n_ev < 2048);
    r->ev[r->n_ev++] = *e;
    return 0;
}

static ts_status rec_st(void *ctx, const ts_step *s)
{
    record *r = ctx;
    assert_true(r->n_st < 2048);
    r->st[r->n_st++] = *s;
    return 0;
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(uint64_t n)
{
    return tu_rnd(&rng, n);
}

static void test_matches_the_simulator(void **state)
{
    (void)state;
    /* Every registered policy, random demand with jumps, zeros and flat
     * stretches, warm-ups longer and shorter than the step, steps that do
     * and do not divide the demand interval: the replay's spans, expanded
     * to steps, are the steps the simulator reports, to the bit. */
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    static const int64_t taus[] = {15, 60, 300, 3600};
    static double D[300];
    record *r = malloc(sizeof *r);
    spans *v = malloc(sizeof *v);
    size_t events = 0, fewer = 0;
    for (int trial = 0; trial < 300; trial++) {
        ts_policy p;
        ts_policy_defaults(&p);
        p.type = types[(size_t)trial % nt];
        TS_THRESHOLD(&p)->evaluation_interval_s = 15 * (1 + (int64_t)rnd(4));
        p.warmup_s = 30 * (int64_t)rnd(8);
        TS_THRESHOLD(&p)->cooldown_s = 30 * (int64_t)rnd(4);
        p.min_instances = (int64_t)rnd(2);
        p.max_instances = p.min_instances + 1 + (int64_t)rnd(20);
        int64_t tau = taus[rnd(4)];
        size_t n = 1 + (size_t)rnd(tau >= 300 ? 20 : 120);
        double level = 3600.0 * (double)(1 + rnd(10));
        for (size_t i = 0; i < n; i++) {
            uint64_t x = rnd(8);
            if (x == 0)
                level = 0;
            else if (x < 3)
                level = 3600.0 * (double)rnd(15) * 1.37;
            D[i] = level;
        }
        ts_sim_input in = {{D, n, (double)tau}, 1.0 + (double)rnd(3) * 0.5, 1, &p, rnd(3) == 0, (int64_t)rnd(5)};
        ts_sim_workspace *ws = ts_sim_workspace_new();
        ts_kpis k;
        r->n_ev = r->n_st = 0;
        if (ts_sim_steps(&in.demand, ts_policy_step_s(&p)) > 2000) {
            ts_sim_workspace_free(ws);
            continue;
        }
        assert_int_equal(ts_simulate_autoscaler(&in, ws, rec_ev, rec_st, r, &k), TS_OK);
        ts_sim_workspace_free(ws);
        v->n = 0;
        assert_int_equal(ts_simulate_replay(&in, r->ev, r->n_ev, keep_span, v), TS_OK);
        size_t k_at = 0;
        for (size_t s = 0; s < v->n; s++) {
            assert_int_equal(v->s[s].k0, (int64_t)k_at);
            assert_true(v->s[s].k1 > v->s[s].k0);
            for (int64_t j = v->s[s].k0; j < v->s[s].k1; j++, k_at++) {
                const ts_step *st = &r->st[j];
                if (st->demand != v->s[s].demand || st->ready != v->s[s].ready ||
                    st->ready + st->warming != v->s[s].provisioned || st->capacity != v->s[s].capacity)
                    fail_msg("trial %d (%s) step %lld: simulator d %g R %lld N %lld, replay d %g R %lld N %lld", trial,
                             p.type->name, (long long)j, st->demand, (long long)st->ready,
                             (long long)(st->ready + st->warming), v->s[s].demand, (long long)v->s[s].ready,
                             (long long)v->s[s].provisioned);
            }
        }
        assert_int_equal(k_at, r->n_st);
        events += r->n_ev;
        fewer += v->n < r->n_st;
    }
    assert_true(events > 500);  /* the pools did scale */
    assert_true(fewer > 100);   /* and spans did cover several steps */
    free(r);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_case),
        cmocka_unit_test(test_not_this_pools_events),
        cmocka_unit_test(test_matches_the_simulator),
    };
    return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
