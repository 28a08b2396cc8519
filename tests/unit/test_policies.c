/*
 * test_policies.c — the HPA and KPA as simulator policies: the behaviours
 * a user relies on, worked out from the upstream rules in the comments.
 * One replica serves tph = 3600 tokens/hour (tps_eff 1), target 100 %, so
 * a per-pod metric of d/R tokens/hour against a target of 3600.
 */
#include "testutil.h"
#include "policy/registry.h"
#include "policy/hpa.h"
#include "policy/kpa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct trace {
    int64_t n_steps;
    int64_t max_n;            /* largest provisioned count seen */
    double t_first_up;        /* first scale-up after t_from */
    double t_from;
    int64_t downs_in[2];      /* scale-downs inside [downs_in[0], downs_in[1]) seconds */
    int64_t downs;
    int64_t last_n;
    ts_event ev[512];
    size_t n_ev;
} trace;

static int on_ev(void *ctx, const ts_event *e)
{
    trace *t = ctx;
    if (t->n_ev < 512)
        t->ev[t->n_ev++] = *e;
    if (e->reason == TS_SCALE_UP && e->t_s >= t->t_from && t->t_first_up < 0)
        t->t_first_up = e->t_s;
    if (e->reason == TS_SCALE_DOWN && e->t_s >= (double)t->downs_in[0] && e->t_s < (double)t->downs_in[1])
        t->downs++;
    return 0;
}

static int on_step(void *ctx, const ts_step *s)
{
    trace *t = ctx;
    int64_t n = s->ready + s->warming;
    if (n > t->max_n)
        t->max_n = n;
    t->last_n = n;
    t->n_steps++;
    return 0;
}

static ts_policy policy(const char *name)
{
    ts_policy p;
    ts_policy_defaults(&p);
    p.type = ts_policy_type_find(name);
    assert_non_null(p.type);
    p.target_utilization_pct = 100;
    p.min_instances = 1;
    p.max_instances = 50;
    p.warmup_s = 120;
    return p;
}

static void run(const ts_policy *p, const double *D, size_t n, double tau, trace *t, ts_kpis *k)
{
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand.rate = D;
    in.demand.n = n;
    in.demand.tau_s = tau;
    in.tps_eff = 1.0;
    in.gpu_count = 1;
    in.policy = p;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    assert_int_equal(ts_simulate_autoscaler(&in, ws, on_ev, on_step, t, k), TS_OK);
    ts_sim_workspace_free(ws);
}

static void test_hpa_no_runaway_while_warming(void **state)
{
    (void)state;
    /* Two ready replicas at 100 %; demand triples at t = 600 s and the new
     * replicas take 600 s to become ready. Warming pods report no metric:
     * on a scale-up upstream counts them at 0, so with N provisioned and 2
     * ready the recomputed ratio is 3*2/N and the proposal ceil(3*2/N * N)
     * = 6 — the HPA climbs to 6 (in steps of the legacy limit max(2N, 4))
     * and stops there while the pods warm. A rule that ignored them would
     * see ratio 3 on every sync and multiply N again and again. */
    double D[120];
    for (int i = 0; i < 120; i++)
        D[i] = i < 10 ? 7200 : 21600; /* minutes */
    ts_policy p = policy("hpa");
    p.warmup_s = 600;
    p.max_instances = 1000;
    trace t;
    memset(&t, 0, sizeof t);
    t.t_first_up = -1;
    t.t_from = 600;
    t.downs_in[1] = 1e9;
    ts_kpis k;
    run(&p, D, 120, 60, &t, &k);
    assert_int_equal(t.n_steps, 120 * 4); /* 15 s syncs */
    assert_int_equal(t.max_n, 6);
    assert_int_equal(t.last_n, 6);
    assert_true(t.t_first_up >= 600 && t.t_first_up < 615);
    /* the first action is capped by the legacy limit max(2*2, 4) = 4 */
    assert_int_equal(t.ev[0].replicas_new, 4);
    assert_int_equal(t.downs, 0);
}

static void test_hpa_tolerance_and_stabilization(void **state)
{
    (void)state;
    /* Demand of 4.2 replicas' worth: the start formula gives ceil(4.2) = 5
     * replicas, ratio 0.84 is outside the 0.1 tolerance but its proposal
     * ceil(0.84 * 5) = 5 changes nothing. Demand falls to 2 replicas' worth
     * at t = 1800: the proposal 2 waits for the 300 s downscale
     * stabilization — the recommendation 5 of t = 1785 is inside the window
     * until it is strictly older than 300 s, at t = 2100. */
    double D[60];
    for (int i = 0; i < 60; i++)
        D[i] = i < 30 ? 3600 * 4.2 : 3600 * 2;
    ts_policy p = policy("hpa");
    trace t;
    memset(&t, 0, sizeof t);
    t.t_first_up = -1;
    t.downs_in[1] = 1e9;
    ts_kpis k;
    run(&p, D, 60, 60, &t, &k);
    assert_int_equal(t.n_ev, 1);
    assert_int_equal(t.ev[0].reason, TS_SCALE_DOWN);
    assert_int_equal(t.ev[0].replicas_new, 2);
    assert_true(t.ev[0].t_s == 2100);
}

static void test_hpa_keda_zero_and_back(void **state)
{
    (void)state;
    /* min 0: KEDA-style. Demand stops at 30 min: the HPA holds 1 replica
     * until 300 s (keda_cooldown_s) of zero demand, then 0. Demand returns
     * at 60 min: 0 -> 1 at the next sync, then the HPA scales on. */
    double D[90];
    for (int i = 0; i < 90; i++)
        D[i] = i < 30 || i >= 60 ? 3600 * 3 : 0;
    ts_policy p = policy("hpa");
    p.min_instances = 0;
    trace t;
    memset(&t, 0, sizeof t);
    t.t_first_up = -1;
    t.t_from = 3600;
    t.downs_in[1] = 1e9;
    ts_kpis k;
    run(&p, D, 90, 60, &t, &k);
    int saw_zero = 0, saw_one = 0;
    for (size_t i = 0; i < t.n_ev; i++) {
        if (t.ev[i].replicas_new == 0) {
            saw_zero = 1;
            /* last demand at 1740 s (minute 29): zero from 1800 s, and the
             * cooldown counts from the last step with demand (1785 s) */
            assert_true(t.ev[i].t_s >= 1785 + 300 && t.ev[i].t_s <= 1785 + 300 + 15);
        }
        if (t.ev[i].replicas_prev == 0) {
            saw_one = 1;
            assert_int_equal(t.ev[i].replicas_new, 1);
            assert_true(t.ev[i].t_s == 3600);
            assert_false(t.ev[i].util_defined); /* from zero capacity */
        }
    }
    assert_true(saw_zero && saw_one);
    assert_int_equal(t.last_n, 3);
}

static void test_kpa_panics_on_a_ramp(void **state)
{
    (void)state;
    /* 2 replicas at 100 %, then demand x4 at t = 600 s. The panic window
     * (6 s) sees it within a tick: dppc = 8 >= 2 * ready -> panic, and the
     * KPA asks for 8 at once while the stable (60 s) average still says ~2;
     * in panic it never scales down. */
    double D[1200];
    for (int i = 0; i < 1200; i++)
        D[i] = i < 300 ? 7200 : 28800; /* 2 s samples */
    ts_policy p = policy("kpa");
    trace t;
    memset(&t, 0, sizeof t);
    t.t_first_up = -1;
    t.t_from = 600;
    t.downs_in[0] = 600;
    t.downs_in[1] = 720;
    ts_kpis k;
    run(&p, D, 1200, 2, &t, &k);
    assert_true(t.t_first_up >= 600 && t.t_first_up <= 604);
    size_t i = 0;
    while (i < t.n_ev && t.ev[i].t_s < 600)
        i++;
    assert_true(i < t.n_ev);
    /* panic: ceil(mean of the 3 panic-window samples / 3600) — the first
     * tick after the jump already averages 28800 with two 7200 samples */
    assert_true(t.ev[i].replicas_new > 2);
    assert_int_equal(t.downs, 0);
    assert_int_equal(t.last_n, 8);
}

static void test_kpa_zero_and_back(void **state)
{
    (void)state;
    /* min 0: demand stops at 600 s. The stable average reaches 0 when the
     * 60 s window holds only zeros (t = 658 s), then the 30 s grace period
     * passes: 0 replicas at 688 s. Demand returns at 1200 s: from zero the
     * decider counts one ready pod and scales up at once. */
    double D[900];
    for (int i = 0; i < 900; i++)
        D[i] = i < 300 || i >= 600 ? 3600 * 2 : 0;
    ts_policy p = policy("kpa");
    p.min_instances = 0;
    trace t;
    memset(&t, 0, sizeof t);
    t.t_first_up = -1;
    t.t_from = 1200;
    t.downs_in[1] = 1e9;
    ts_kpis k;
    run(&p, D, 900, 2, &t, &k);
    int saw_zero = 0;
    for (size_t i = 0; i < t.n_ev; i++)
        if (t.ev[i].replicas_new == 0) {
            saw_zero = 1;
            assert_true(t.ev[i].t_s >= 658 + 30 && t.ev[i].t_s <= 658 + 30 + 2);
        }
    assert_true(saw_zero);
    assert_true(t.t_first_up == 1200);
    assert_int_equal(t.last_n, 2);
}

static void test_policy_intervals(void **state)
{
    (void)state;
    ts_policy p;
    ts_policy_defaults(&p);
    assert_ptr_equal(p.type, &ts_policy_threshold); /* the default */
    assert_int_equal(ts_policy_step_s(&p), 60);
    assert_int_equal(ts_policy_hpa.interval_s(&p), 15);
    assert_int_equal(ts_policy_kpa.interval_s(&p), 2);
    /* every lookup by name goes through the registry, in its order */
    size_t n;
    const ts_policy_type *const *types = ts_policy_types(&n);
    assert_int_equal(n, 4);
    assert_string_equal(types[0]->name, "threshold");
    assert_string_equal(types[1]->name, "hpa");
    assert_string_equal(types[2]->name, "kpa");
    assert_string_equal(types[3]->name, "predictive");
    /* the predictive policy steps as its reactive policy does */
    assert_int_equal(ts_policy_predictive.interval_s(&p), 60);
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(ts_policy_type_find(types[i]->name), types[i]);
    assert_null(ts_policy_type_find("vpa"));
    /* each policy's settings have their own slot in the policy */
    assert_ptr_equal(ts_policy_settings_get(&p, &ts_policy_hpa), ts_hpa_settings(&p));
    assert_true((const char *)ts_hpa_settings(&p) != (const char *)ts_kpa_settings(&p));
    assert_true(ts_policy_hpa.settings_size <= TS_POLICY_SETTINGS_BYTES);
    assert_true(ts_policy_kpa.settings_size <= TS_POLICY_SETTINGS_BYTES);
}

static void test_billion_replicas(void **state)
{
    (void)state;
    /* At the 1e9 bound on instances, demand three times what 1e9 replicas
     * serve: every policy starts at 1e9 (the start formula, capped) and
     * must stay there. The proposals ceil(3 × 1e9) of the HPA and KPA do
     * not fit a 32-bit count; they saturate, and the bound then holds. */
    static const char *names[] = {"threshold", "hpa", "kpa"};
    double D[30];
    for (int i = 0; i < 30; i++)
        D[i] = 3600 * 3e9;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ts_policy p = policy(names[i]);
        p.max_instances = 1000000000;
        trace t;
        memset(&t, 0, sizeof t);
        t.t_first_up = -1;
        t.downs_in[1] = 1e9;
        ts_kpis k;
        run(&p, D, 30, 60, &t, &k);
        assert_int_equal(t.max_n, 1000000000);
        assert_int_equal(t.last_n, 1000000000);
        assert_int_equal(t.downs, 0);
        assert_true(k.unserved_tokens > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hpa_no_runaway_while_warming),
        cmocka_unit_test(test_hpa_tolerance_and_stabilization),
        cmocka_unit_test(test_hpa_keda_zero_and_back),
        cmocka_unit_test(test_kpa_panics_on_a_ramp),
        cmocka_unit_test(test_kpa_zero_and_back),
        cmocka_unit_test(test_policy_intervals),
        cmocka_unit_test(test_billion_replicas),
    };
    return cmocka_run_group_tests_name("policies", tests, NULL, NULL);
}
