/*
 * test_policies.c — the HPA and KPA as simulator policies: the behaviours
 * a user relies on, worked out from the upstream rules in the comments.
 * One replica serves tph = 3600 tokens/hour (tps_eff 1), target 100 %, so
 * a per-pod metric of d/R tokens/hour against a target of 3600.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "policy/registry.h"
#include "policy/hpa.h"
#include "policy/kpa.h"
#include "policy/kpa_windows.h"

#include "sim/simulate.h"

#include <math.h>
#include <stdio.h>
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
    ts_event ev[4096];
    size_t n_ev;
} trace;

static ts_status on_ev(void *ctx, const ts_event *e)
{
    trace *t = ctx;
    if (t->n_ev < 4096)
        t->ev[t->n_ev++] = *e;
    if (e->reason == TS_SCALE_UP && e->t_s >= t->t_from && t->t_first_up < 0)
        t->t_first_up = e->t_s;
    if (e->reason == TS_SCALE_DOWN && e->t_s >= (double)t->downs_in[0] && e->t_s < (double)t->downs_in[1])
        t->downs++;
    return 0;
}

static ts_status on_step(void *ctx, const ts_step *s)
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

/* Steps the held loop skipped in the tests below, and how often it asked
 * (a counting hold hook). */
static int64_t skipped_steps, hold_calls;
static const ts_policy_type *counted_type;

static int64_t counting_hold(void *state, const ts_policy *p, const ts_obs *o, int64_t dt, int64_t max_steps)
{
    int64_t m = counted_type->hold(state, p, o, dt, max_steps);
    skipped_steps += m;
    hold_calls++;
    return m;
}

static uint64_t prng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(uint64_t n)
{
    return tu_rnd(&prng, n);
}

/* A random setting of the HPA (legacy or behavior) or the KPA. */
static void random_settings(ts_policy *p, int hpa)
{
    char v[96];
    ts_diags d;
    ts_diags_init(&d);
#define SET(key, ...) (snprintf(v, sizeof v, __VA_ARGS__), assert_int_equal(ts_policy_set(p, key, v, "test", &d), TS_OK))
    if (hpa) {
        static const int sync[] = {15, 30, 60}, down[] = {0, 60, 300, 45}, keda[] = {0, 120, 300};
        SET("hpa.sync_period_s", "%d", sync[rnd(3)]);
        SET("hpa.tolerance", "%g", (double)rnd(3) * 0.05);
        SET("hpa.downscale_stabilization_s", "%d", down[rnd(4)]);
        SET("hpa.keda_cooldown_s", "%d", keda[rnd(3)]);
        if (rnd(2)) {
            SET("hpa.behavior.scale_up.stabilization_window_s", "%d", (int)rnd(3) * 60);
            SET("hpa.behavior.scale_down.stabilization_window_s", "%d", down[rnd(3)]);
            if (rnd(2))
                SET("hpa.behavior.scale_up.policies", "[{type: Pods, value: %d, period_s: %d}]", 1 + (int)rnd(3),
                    15 + 45 * (int)rnd(3));
            if (rnd(2))
                SET("hpa.behavior.scale_down.policies", "[{type: Percent, value: %d, period_s: 60}]",
                    10 + 40 * (int)rnd(3));
        }
    } else {
        static const int tick[] = {1, 2, 2, 5}, stable[] = {6, 30, 60, 600};
        SET("kpa.tick_s", "%d", tick[rnd(4)]);
        SET("kpa.stable_window_s", "%d", stable[rnd(4)]);
        SET("kpa.panic_window_pct", "%d", rnd(2) ? 10 : 50);
        SET("kpa.scale_down_delay_s", "%d", (int)rnd(3) * 30);
        SET("kpa.scale_to_zero_grace_s", "%d", (int)rnd(2) * 30);
        SET("kpa.activation_scale", "%d", 1 + 2 * (int)rnd(2));
        SET("kpa.max_scale_down_rate", "%g", rnd(2) ? 2.0 : 1.5);
    }
#undef SET
    ts_diags_free(&d);
}

/* Random demand of n values in one of four shapes (shape < 0: any of the
 * first three): hourly levels, minute values that hold for a while, minute
 * values that move every minute, each with zeros; and bursty minutes
 * (zeros, and bursts of three times the level). */
static size_t random_demand(double *D, size_t cap, double *tau, int shape)
{
    if (shape < 0)
        shape = (int)rnd(3);
    size_t n = 1 + (size_t)rnd(shape == 0 ? 48 : cap);
    *tau = shape == 0 ? 3600 : 60;
    double level = 3600.0 * (double)(1 + rnd(20));
    for (size_t i = 0; i < n;) {
        uint64_t r = rnd(10);
        if (r == 0)
            level = 0;
        else if (r < 4)
            level = 3600.0 * (double)rnd(30) * 1.37;
        size_t hold = shape == 1 ? 1 + (size_t)rnd(60) : 1;
        for (; hold > 0 && i < n; hold--, i++) {
            const double jitter = level * (0.95 + (double)rnd(1001) / 10000.0);
            if (shape == 2 && level > 0)
                D[i] = jitter;
            else if (shape == 3) /* a quarter without demand, an eighth of the rest a burst */
                D[i] = rnd(4) == 0 ? 0.0 : rnd(8) == 0 ? 3 * jitter : jitter;
            else
                D[i] = level;
        }
    }
    return n;
}

/* One random pool of the HPA or the KPA on demand of the given shape
 * (random_demand), run by the plain loop and by the policy's kernel: the
 * events and KPIs must be the same to the bit. Returns the events;
 * *behavior: whether it was an HPA with behavior. */
static int64_t compare_with_plain_loop(int trial, int hpa, int shape, double *D, size_t cap, int *behavior)
{
    ts_policy p = policy(hpa ? "hpa" : "kpa");
    random_settings(&p, hpa);
    *behavior = hpa && ts_hpa_settings(&p)->has_behavior;
    p.target_utilization_pct = 50 + (double)rnd(51);
    p.min_instances = (int64_t)rnd(3);
    p.max_instances = p.min_instances + 1 + (int64_t)rnd(30);
    p.warmup_s = (int64_t)rnd(4) * 30 * (int64_t)rnd(4);
    ts_policy_type wrapped = *p.type;
    counted_type = p.type;
    wrapped.hold = counting_hold;
    p.type = &wrapped;
    double tau;
    size_t n = random_demand(D, cap, &tau, shape);
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand.rate = D;
    in.demand.n = n;
    in.demand.tau_s = tau;
    in.tps_eff = rnd(2) ? 1.0 : 2.385;
    in.gpu_count = 1;
    in.policy = &p;
    in.has_initial_replicas = rnd(4) == 0;
    in.initial_replicas = (int64_t)rnd(10);
    if (rnd(4) == 0) {
        in.has_cold = 1;
        in.cold_median_s = 30 + (int64_t)rnd(300);
        in.cold_sigma = 0.3;
        in.cold_seed = (uint64_t)trial;
    }
    ts_sim_workspace *ws = ts_sim_workspace_new();
    trace a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.t_first_up = b.t_first_up = -1;
    ts_kpis ka, kb;
    memset(&ka, 0, sizeof ka);
    memset(&kb, 0, sizeof kb);
    assert_int_equal(ts_simulate_reference(&in, ws, on_ev, NULL, &a, &ka), TS_OK);
    assert_int_equal(ts_simulate_autoscaler(&in, ws, on_ev, NULL, &b, &kb), TS_OK);
    for (size_t i = 0; i < a.n_ev && i < b.n_ev; i++)
        if (memcmp(&a.ev[i], &b.ev[i], sizeof a.ev[i]) != 0) {
            fprintf(stderr, "event %zu: plain t=%g %lld->%lld; kernel t=%g %lld->%lld\n", i, a.ev[i].t_s,
                    (long long)a.ev[i].replicas_prev, (long long)a.ev[i].replicas_new, b.ev[i].t_s,
                    (long long)b.ev[i].replicas_prev, (long long)b.ev[i].replicas_new);
            break;
        }
    if (memcmp(&ka, &kb, sizeof ka) != 0 || a.n_ev != b.n_ev ||
        (a.n_ev && memcmp(a.ev, b.ev, a.n_ev * sizeof *a.ev) != 0))
        fail_msg("trial %d (%s, shape %d): plain %lld events p95 %.17g avg %.17g unserved %.17g; kernel %lld events "
                 "p95 %.17g avg %.17g unserved %.17g",
                 trial, hpa ? "hpa" : "kpa", shape, (long long)ka.scale_events, ka.p95_util_pct, ka.avg_util_pct,
                 ka.unserved_tokens, (long long)kb.scale_events, kb.p95_util_pct, kb.avg_util_pct, kb.unserved_tokens);
    ts_sim_workspace_free(ws);
    return (int64_t)a.n_ev;
}

static void test_held_loop_matches_reference(void **state)
{
    (void)state;
    /* The HPA and the KPA skip the syncs and ticks they hold through
     * (sim/held.c). On 800 random pools — both HPA paths, the KPA's
     * windows, delays and grace, scale to zero, warm-ups longer than the
     * step, cold starts with a spread, hourly, held and moving minute
     * demand with zeros — their events and KPIs are the plain loop's to
     * the bit, and the skipping did happen. */
    double *D = malloc(1500 * sizeof *D);
    int64_t events = 0;
    skipped_steps = 0;
    int behavior;
    for (int trial = 0; trial < 800; trial++)
        events += compare_with_plain_loop(trial, trial % 2 == 0, -1, D, 1500, &behavior);
    free(D);
    assert_true(events > 2000);          /* the pools did scale */
    assert_true(skipped_steps > 100000); /* and quiet stretches were skipped */
}

static void test_dense_kernels_match_reference(void **state)
{
    (void)state;
    /* The HPA's and the KPA's kernels for demand that moves (policy/
     * hpa_fast.c, kpa_fast.c) on 1,200 random pools of minute demand that
     * moves every minute or comes in bursts with zeros: the same settings
     * as above (the HPA's windows of 0, 45, 60 and 300 s at syncs of 15 to 60 s,
     * KEDA's zero, the KPA's windows up to 600 ticks, delays, grace,
     * activation; the HPA with and without behavior), every event and KPI
     * the plain loop's to the bit. The held loop is not what ran for most
     * (it is asked nothing), but for bursts that hold long enough. */
    double *D = malloc(1500 * sizeof *D);
    int64_t events = 0, dense = 0, behaviors = 0;
    for (int trial = 0; trial < 1200; trial++) {
        int behavior;
        hold_calls = 0;
        events += compare_with_plain_loop(trial, trial % 2 == 0, 2 + trial / 2 % 2, D, 1500, &behavior);
        dense += hold_calls == 0;
        behaviors += hold_calls == 0 && behavior;
    }
    free(D);
    assert_true(events > 20000);
    assert_true(dense > 900);     /* most ran the kernels for moving demand (1,058 of 1,200) */
    assert_true(behaviors > 250); /* the HPA with behavior among them (298) */
}

/* The window means the KPA's kernel computes ahead, worked by hand. */
static void test_kpa_windows_by_hand(void **state)
{
    (void)state;
    for (int wide = 0; wide <= ts_kpa_wide(); wide++) {
        /* samples 1, 2, 3, 4 from tick 0, a window of 2, target 1: tick 0
         * has one sample (1/1 -> 1), then (2+1)/2 = 1.5 -> 2, (3+2)/2 =
         * 2.5 -> 3, (4+3)/2 = 3.5 -> 4 */
        double x[] = {0.0, 1, 2, 3, 4}, sum[4], pods[4];
        ts_kpa_window_pods(x + 1, 4, 2, 0, 1.0, wide, sum, pods);
        const double want_sum[] = {1, 3, 5, 7}, want_pods[] = {1, 2, 3, 4};
        for (int j = 0; j < 4; j++) {
            assert_true(sum[j] == want_sum[j]);
            assert_true(pods[j] == want_pods[j]);
        }
        /* samples ..., 1e16, 1, 1, 1e16, 1, 1, ... in windows of 3. A window
         * that ends in 1, 1 adds newest first 1 + 1 = 2, then 1e16 + 2,
         * exact (doubles are 2 apart there); oldest first it would be
         * 1e16 + 1 -> 1e16 (a tie, to even) twice. A window that ends in
         * 1e16 or in 1e16, 1 loses each 1 the same way: 1e16. */
        double y[20], ysum[18], ypods[18];
        for (int i = 0; i < 20; i++)
            y[i] = i % 3 == 0 ? 1e16 : 1.0;
        ts_kpa_window_pods(y + 2, 18, 3, 100, 2.0, wide, ysum, ypods);
        for (int j = 0; j < 18; j++)
            assert_true(ysum[j] == (j % 3 == 0 ? 1e16 + 2 : 1e16));
        /* target 2: (1e16 + 2) / 3 / 2 rounds to 1666666666666667 (doubles
         * are 0.25 apart there), its own ceiling */
        assert_true(ypods[0] == 1666666666666667.0);
    }
}

/* The sum newest first from +0.0 over min(n, k+1), as kpa_step computes
 * it, one tick at a time. */
static double fold_pods(const double *x, int j, int n, int64_t k, double target)
{
    int m = k + 1 < n ? (int)(k + 1) : n;
    double sum = 0.0;
    for (int i = 0; i < m; i++)
        sum += x[j - i];
    return ceil(sum / (double)m / target);
}

static void test_kpa_windows_match_the_fold(void **state)
{
    (void)state;
    /* Random samples of a wide range of magnitudes (so the order of the
     * additions shows in the bits), windows from 1 to 1000 ticks, blocks
     * of every length around the 16 and 8 windows summed side by side,
     * from tick 0 (short windows first) and from later ticks: every pod
     * count is the fold's, on the baseline and the AVX2 build. */
    const int ns[] = {1, 2, 3, 7, 16, 30, 31, 300, 1000};
    double *x = malloc(3200 * sizeof *x), sum[1100], pods[1100];
    int64_t checked = 0;
    for (int trial = 0; trial < 400; trial++) {
        int n = ns[rnd(9)], nb = 1 + (int)rnd(1100);
        int64_t k0 = rnd(2) ? 0 : (int64_t)rnd(5000);
        for (int i = 0; i < n - 1 + nb; i++)
            x[i] = k0 - n + 1 + i < 0 ? 0.0 : (double)rnd(1000) * pow(10.0, (double)rnd(12)) / 7.0;
        double target = 1.0 + (double)rnd(100000);
        for (int wide = 0; wide <= ts_kpa_wide(); wide++) {
            ts_kpa_window_pods(x + n - 1, nb, n, k0, target, wide, sum, pods);
            for (int j = 0; j < nb; j++, checked++)
                if (pods[j] != fold_pods(x + n - 1, j, n, k0 + j, target))
                    fail_msg("trial %d n %d nb %d k0 %lld wide %d: tick %d", trial, n, nb, (long long)k0, wide, j);
        }
    }
    free(x);
    assert_true(checked > 100000);
}

/* The general replica calculator on the pool's two groups of pods. */
static ts_status general_pool(int32_t current, int64_t target, int64_t ready, int64_t missing, int64_t value,
                        const ts_hpa_tolerances *tol, int32_t *replicas)
{
    static const char READY[] = "ready", WARMING[] = "warming";
    ts_hpa_pod pods[2] = {{READY, ready, TS_POD_RUNNING, 1, 1, 0, 0, 0},
                          {WARMING, missing, TS_POD_RUNNING, 0, 1, 0, 0, 0}};
    ts_hpa_named_metric v = {READY, value};
    ts_hpa_calc_params cp = {*tol, 300, 30, 0};
    int64_t usage;
    return ts_hpa_pods_replicas(current, target, pods, 2, &v, ready > 0 ? 1 : 0, &cp, replicas, &usage);
}

static void test_hpa_pool_proposal(void **state)
{
    (void)state;
    const ts_hpa_tolerances tol = {0.1, 0.1};
    int32_t r = -1;
    /* 4 ready pods at 1.5 times the target of 1000 milli: 6 replicas */
    assert_int_equal(ts_hpa_pods_pool_replicas(4, 1000, 4, 0, 1500, &tol, &r), TS_OK);
    assert_int_equal(r, 6);
    /* with 2 more pods warming, which count as 0 on a scale-up: 6000 over
     * 6 pods is the target itself, so the count stays */
    assert_int_equal(ts_hpa_pods_pool_replicas(6, 1000, 4, 2, 1500, &tol, &r), TS_OK);
    assert_int_equal(r, 6);
    /* 4 ready at half the target, 2 warming counted at the target on a
     * scale-down: (2000 + 2000) / 6 = 666 milli, 0.666 * 6 -> 4 */
    assert_int_equal(ts_hpa_pods_pool_replicas(6, 1000, 4, 2, 500, &tol, &r), TS_OK);
    assert_int_equal(r, 4);
    /* within the tolerance: the current count */
    assert_int_equal(ts_hpa_pods_pool_replicas(4, 1000, 4, 0, 1090, &tol, &r), TS_OK);
    assert_int_equal(r, 4);
    /* no pod reports: no proposal */
    assert_int_equal(ts_hpa_pods_pool_replicas(3, 1000, 0, 3, 0, &tol, &r), TS_ERUNTIME);
    /* and on random pools, what the general calculation gives */
    int64_t compared = 0;
    for (int i = 0; i < 200000; i++) {
        const ts_hpa_tolerances t = {(double)rnd(4) * 0.05, (double)rnd(4) * 0.05};
        int64_t ready = (int64_t)rnd(40), missing = rnd(3) ? 0 : (int64_t)rnd(40);
        if (rnd(50) == 0)
            ready = (int64_t)rnd(1000000000);
        int64_t target = 1 + (int64_t)rnd(rnd(2) ? 5000 : 5000000000);
        int64_t value = rnd(8) == 0 ? target : (int64_t)((double)target * (double)rnd(4000) / 1000.0);
        int32_t current = (int32_t)(ready + missing);
        if (current == 0 || value > INT64_MAX / current || target > INT64_MAX / current)
            continue;
        int32_t a = -1, b = -1;
        ts_status ra = general_pool(current, target, ready, missing, value, &t, &a);
        ts_status rb = ts_hpa_pods_pool_replicas(current, target, ready, missing, value, &t, &b);
        if (ra != rb || (ra == TS_OK && a != b))
            fail_msg("ready %lld missing %lld value %lld target %lld: general %d/%d, pool %d/%d", (long long)ready,
                     (long long)missing, (long long)value, (long long)target, ra, a, rb, b);
        compared++;
    }
    assert_true(compared > 150000);
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
    assert_int_equal(n, 5);
    assert_string_equal(types[0]->name, "threshold");
    assert_string_equal(types[1]->name, "hpa");
    assert_string_equal(types[2]->name, "kpa");
    assert_string_equal(types[3]->name, "predictive");
    assert_string_equal(types[4]->name, "schedule");
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
    assert_true(ts_policy_schedule.settings_size <= TS_POLICY_SETTINGS_BYTES);
}

static void test_billion_replicas(void **state)
{
    (void)state;
    /* At the 1e9 bound on instances, demand over what 1e9 replicas serve:
     * every policy starts at 1e9 (the start formula, capped) or climbs to
     * it, and must stay there. The HPA's Pods metric sums d/R milli-tokens
     * over 1e9 pods: at a real GPU's 2,500 tokens/s a pod reports 9e9
     * milli-tokens/hour and the sum 9e18 leaves int64 from an overload of
     * about 1.03x on; the KPA's and HPA's proposals ceil(ratio x 1e9)
     * leave int32 from 2.15x on. Each must saturate or be exact, never
     * wrap into a scale-down. Rows: tokens/s per replica, demand as a
     * multiple of 1e9 replicas' capacity, the first replica count. */
    static const char *names[] = {"threshold", "hpa", "kpa", "predictive"};
    static const struct {
        double tps, over;
        int64_t initial;
    } rows[] = {
        {1, 3, 0},          {2500, 1.05, 0},    {2500, 3, 0},       {2500, 1000, 0},
        {1e5, 1.5, 0},      {2500, 3, 700000000}, {2500, 1.2, 1},   {1e5, 1000, 999999999},
    };
    double D[90];
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            for (int j = 0; j < 90; j++)
                D[j] = 3600 * rows[r].tps * 1e9 * rows[r].over;
            ts_policy p = policy(names[i]);
            p.max_instances = 1000000000;
            TS_THRESHOLD(&p)->scale_up_step = 1000000000;
            trace t;
            memset(&t, 0, sizeof t);
            t.t_first_up = -1;
            t.downs_in[1] = 1e9;
            ts_kpis k;
            ts_sim_input in;
            memset(&in, 0, sizeof in);
            in.demand.rate = D;
            in.demand.n = 90;
            in.demand.tau_s = 60;
            in.tps_eff = rows[r].tps;
            in.gpu_count = 1;
            in.policy = &p;
            in.has_initial_replicas = rows[r].initial > 0;
            in.initial_replicas = rows[r].initial;
            ts_sim_workspace *ws = ts_sim_workspace_new();
            assert_int_equal(ts_simulate_autoscaler(&in, ws, on_ev, on_step, &t, &k), TS_OK);
            ts_sim_workspace_free(ws);
            if (t.downs != 0 || t.last_n != 1000000000)
                fail_msg("%s, row %zu: %lld scale-downs, ends at %lld replicas", names[i], r, (long long)t.downs,
                         (long long)t.last_n);
            assert_int_equal(t.max_n, 1000000000);
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
        cmocka_unit_test(test_held_loop_matches_reference),
        cmocka_unit_test(test_dense_kernels_match_reference),
        cmocka_unit_test(test_kpa_windows_by_hand),
        cmocka_unit_test(test_kpa_windows_match_the_fold),
        cmocka_unit_test(test_hpa_pool_proposal),
        cmocka_unit_test(test_policy_intervals),
        cmocka_unit_test(test_billion_replicas),
    };
    return cmocka_run_group_tests_name("policies", tests, NULL, NULL);
}
