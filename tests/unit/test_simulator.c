/*
 * test_simulator.c — §5 simulator and §6 KPIs on runs small enough to follow
 * by hand. Most runs use tps_eff = 1 token/s, so one replica serves
 * tph = 3600 tokens/hour, and demand series with tau = Δ = 60 s, so step k
 * sees D[k]. Expected values are derived step by step in the comments.
 */
#include "testutil.h"
#include "sim/simulate.h"
#include "policy/threshold.h"
#include "sim/act.h"
#include "sim/kpis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXREC 50000

typedef struct rec {
    ts_event ev[64];
    size_t n_ev;
    ts_step st[256];
    size_t n_st;
} rec;

static ts_status on_ev(void *ctx, const ts_event *e)
{
    rec *r = ctx;
    if (r->n_ev < 64)
        r->ev[r->n_ev++] = *e;
    return 0;
}

static ts_status on_st(void *ctx, const ts_step *s)
{
    rec *r = ctx;
    if (r->n_st < 256)
        r->st[r->n_st++] = *s;
    return 0;
}

static ts_policy base_policy(void)
{
    ts_policy p;
    ts_policy_defaults(&p);
    p.target_utilization_pct = 100;
    p.peak_factor = 1;
    p.min_instances = 1;
    p.max_instances = 10;
    TS_THRESHOLD(&p)->evaluation_interval_s = 60;
    TS_THRESHOLD(&p)->scale_up_threshold_pct = 70;
    TS_THRESHOLD(&p)->scale_down_threshold_pct = 50;
    TS_THRESHOLD(&p)->scale_up_step = 1;
    TS_THRESHOLD(&p)->scale_down_step = 1;
    TS_THRESHOLD(&p)->stabilization_window_s = 0;
    p.warmup_s = 120;
    TS_THRESHOLD(&p)->cooldown_s = 60;
    return p;
}

static int run(const ts_policy *p, const double *D, size_t n, double tau, rec *r, ts_kpis *k)
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
    memset(r, 0, sizeof *r);
    int rc = ts_simulate_autoscaler(&in, ws, on_ev, on_st, r, k);
    ts_sim_workspace_free(ws);
    return rc;
}

static void test_hysteresis_small_pool(void **state)
{
    (void)state;
    /* d = 2808 = 78 % of one replica, 39 % of two. t=0: N0 = ceil(0.78) = 1,
     * e = 0.78 > 0.70 -> scale up to 2 (ready at 120). From t=120: u = 0.39
     * < 0.50, but removing one replica projects 0.39*2/1 = 0.78 > 0.70: hold.
     * A naive rule would flap every cooldown; here exactly one event. */
    double D[200];
    for (int i = 0; i < 200; i++)
        D[i] = 2808;
    ts_policy p = base_policy();
    TS_THRESHOLD(&p)->cooldown_s = 120;
    rec r;
    ts_kpis k;
    assert_int_equal(run(&p, D, 200, 60, &r, &k), 0);
    assert_int_equal(k.scale_events, 1);
    assert_int_equal(r.ev[0].replicas_prev, 1);
    assert_int_equal(r.ev[0].replicas_new, 2);
    assert_true(r.ev[0].t_s == 0); /* the first action may happen at t = 0 */
    /* with smoothing (W = 300, alpha = 1 - exp(-0.2) = 0.18127) e lags:
     * t=120: R=2, u=0.39, e = 0.78 + alpha*(0.39-0.78) = 0.70930 > 0.70 ->
     * up 2->3; then e decays below 0.7*2/3 and at t=420 (e = 0.43588)
     * 3->2 passes the guard (0.43588*3/2 = 0.654 <= 0.70). At two replicas e
     * tends to 0.39 and 2e stays above 0.70: it settles, no more events. */
    TS_THRESHOLD(&p)->stabilization_window_s = 300;
    assert_int_equal(run(&p, D, 200, 60, &r, &k), 0);
    assert_int_equal(k.scale_events, 3);
    assert_true(r.ev[1].t_s == 120 && r.ev[1].replicas_new == 3);
    assert_true(fabs(r.ev[1].util_pct - 100 * (0.78 + (1 - exp(-0.2)) * (0.39 - 0.78))) < 1e-9);
    assert_true(r.ev[2].t_s == 420 && r.ev[2].replicas_new == 2);
    assert_int_equal(r.st[199].ready, 2);
}

static void test_constant_demand_settles(void **state)
{
    (void)state;
    /* a large pool started far from its settled size: after it settles no
     * more events (none in the last 1,000 steps) */
    static double D[3000];
    for (int i = 0; i < 3000; i++)
        D[i] = 3600 * 10.3;
    ts_policy p = base_policy();
    p.max_instances = 100;
    p.target_utilization_pct = 30; /* starts with ceil(10.3/0.3) = 35 replicas */
    TS_THRESHOLD(&p)->stabilization_window_s = 300;
    TS_THRESHOLD(&p)->cooldown_s = 120;
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand.rate = D;
    in.demand.n = 3000;
    in.demand.tau_s = 60;
    in.tps_eff = 1.0;
    in.gpu_count = 1;
    in.policy = &p;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    rec *r = calloc(1, sizeof *r);
    ts_kpis k;
    assert_int_equal(ts_simulate_autoscaler(&in, ws, on_ev, NULL, r, &k), 0);
    assert_true(r->n_ev > 0);
    assert_true(r->ev[r->n_ev - 1].t_s < 60.0 * 2000);
    /* settled between the thresholds: 50 % <= 10.3/N <= 70 % -> N in 15..20 */
    assert_true(r->ev[r->n_ev - 1].replicas_new >= 15 && r->ev[r->n_ev - 1].replicas_new <= 20);
    free(r);
    ts_sim_workspace_free(ws);
}

static const double step_demand[10] = {1800, 1800, 1800, 1800, 1800, 5400, 5400, 5400, 5400, 5400};

static void test_warmup_and_kpis_by_hand(void **state)
{
    (void)state;
    /* warmup 120, cooldown 60, window 0 (alpha = 1).
     * k0-4: R=N=1, u=0.5, hold (50 is not < 50).
     * k5 t=300: R=1 C=3600 u=1.5 violation (unserved 1800*60/3600 = 30),
     *           up 1->2 ready at 420.
     * k6 t=360: R=1 C=3600 u=1.5 violation (30), up 2->3 ready at 480.
     * k7 t=420: R=2 C=7200 u=0.75, up 3->4 ready at 540.
     * k8 t=480: R=3 C=10800 u=0.5, hold.
     * k9 t=540: R=4 C=14400 u=0.375 < 0.5; s=1: R'=3, proj=0.375*4/3=0.5
     *           <= 0.7 -> down 4->3.
     * util % = 50 x5, 150, 150, 75, 50, 37.5: sum 712.5, avg 71.25;
     * sorted: 37.5 50x6 75 150 150, h = 9*0.95 = 8.55 -> x8 = x9 = 150.
     * replica-seconds: 5*60 + 60 + 120 + 180 + 240 + 240 = 1140. */
    ts_policy p = base_policy();
    rec r;
    ts_kpis k;
    assert_int_equal(run(&p, step_demand, 10, 60, &r, &k), 0);
    assert_int_equal(k.steps, 10);
    assert_int_equal(k.scale_events, 4);
    assert_true(k.avg_util_pct == 71.25);
    assert_true(k.p95_util_pct == 150);
    assert_int_equal(k.violations, 2);
    assert_true(k.violation_minutes == 2);
    assert_true(k.unserved_tokens == 60);
    assert_true(k.replica_hours == 1140.0 / 3600.0);
    assert_true(k.gpu_hours == 1140.0 / 3600.0);
    assert_int_equal(k.max_replicas, 4);
    /* N over the steps (an action counts from the next step): 1 x6, 2, 3,
     * 4, 4; 95 % of 10 steps is 9.5, so only N = 1 is held that long */
    assert_int_equal(k.floor_replicas, 1);
    /* capacity arrives only after warm-up */
    int64_t ready[10] = {1, 1, 1, 1, 1, 1, 1, 2, 3, 4};
    for (int i = 0; i < 10; i++)
        assert_int_equal(r.st[i].ready, ready[i]);
    assert_int_equal(r.st[6].warming, 1);
    static const struct {
        double t;
        int64_t prev, next;
        ts_reason reason;
        double util;
    } ev[] = {{300, 1, 2, TS_SCALE_UP, 150}, {360, 2, 3, TS_SCALE_UP, 150}, {420, 3, 4, TS_SCALE_UP, 75},
              {540, 4, 3, TS_SCALE_DOWN, 37.5}};
    for (int i = 0; i < 4; i++) {
        assert_true(r.ev[i].t_s == ev[i].t);
        assert_int_equal(r.ev[i].replicas_prev, ev[i].prev);
        assert_int_equal(r.ev[i].replicas_new, ev[i].next);
        assert_int_equal(r.ev[i].reason, ev[i].reason);
        assert_true(r.ev[i].util_defined);
        assert_true(r.ev[i].util_pct == ev[i].util);
    }
    assert_true(r.ev[0].demand == 5400 && r.ev[0].capacity == 3600);
}

static void test_warmup_zero_serves_next_step(void **state)
{
    (void)state;
    /* warmup 0: the replica added at k5 (t=300) is ready at t=300 and counts
     * from k6 on; only k5 violates */
    ts_policy p = base_policy();
    p.warmup_s = 0;
    rec r;
    ts_kpis k;
    run(&p, step_demand, 10, 60, &r, &k);
    assert_int_equal(r.st[5].ready, 1);
    assert_int_equal(r.st[6].ready, 2);
    assert_int_equal(k.violations, 1);
}

static void test_cooldown_blocks_both_directions(void **state)
{
    (void)state;
    /* cooldown 300. t=0: u=3000/3600 > 0.7 -> up 1->2 (first action at t=0).
     * Demand drops to 360: scale-down wanted from t=60 but blocked until
     * t=300, where R=2, u=0.05, proj 0.1 -> down 2->1. Demand back to 3000
     * at t=360: up wanted, blocked until t=600 -> up 1->2 at 600. */
    double D[12] = {3000, 360, 360, 360, 360, 360, 3000, 3000, 3000, 3000, 3000, 3000};
    ts_policy p = base_policy();
    TS_THRESHOLD(&p)->cooldown_s = 300;
    rec r;
    ts_kpis k;
    run(&p, D, 12, 60, &r, &k);
    assert_int_equal(k.scale_events, 3);
    assert_true(r.ev[0].t_s == 0 && r.ev[0].reason == TS_SCALE_UP);
    assert_true(r.ev[1].t_s == 300 && r.ev[1].reason == TS_SCALE_DOWN);
    assert_true(r.ev[2].t_s == 600 && r.ev[2].reason == TS_SCALE_UP);
}

static void test_smoothing(void **state)
{
    (void)state;
    /* u0 = 720/3600 = 0.2, u1 = 2880/3600 = 0.8.
     * window 0: e1 = u1. window 120 with Δ 60: alpha = 1 - exp(-0.5)
     * = 0.39346934028736658, e1 = 0.2 + alpha*0.6 = 0.43608160417241995. */
    double D[2] = {720, 2880};
    ts_policy p = base_policy();
    TS_THRESHOLD(&p)->scale_up_threshold_pct = 99;
    TS_THRESHOLD(&p)->scale_down_threshold_pct = 1;
    rec r;
    ts_kpis k;
    run(&p, D, 2, 60, &r, &k);
    assert_true(r.st[0].smoothed_util_pct == 100 * 0.2);
    assert_true(r.st[1].smoothed_util_pct == 100 * 0.8);
    TS_THRESHOLD(&p)->stabilization_window_s = 120;
    run(&p, D, 2, 60, &r, &k);
    double alpha = 1 - exp(-0.5);
    assert_true(fabs(alpha - 0.39346934028736658) < 1e-16);
    assert_true(r.st[1].smoothed_util_pct == 100 * (0.2 + alpha * (0.8 - 0.2)));
    assert_true(fabs(r.st[1].smoothed_util_pct - 43.608160417241995) < 1e-12);
    /* utilization statistics use u, not e */
    assert_true(r.st[1].util_pct == 80);
}

static void test_clamps(void **state)
{
    (void)state;
    /* demand jumps from 1800 (one replica at 50 %) to 1e9 at k1: N climbs by
     * one per cooldown (k1: 1->2, k2: 2->3) and stops at max = 3; every step
     * from k1 violates */
    double D[20];
    for (int i = 0; i < 20; i++)
        D[i] = i == 0 ? 1800 : 1e9;
    ts_policy p = base_policy();
    p.max_instances = 3;
    rec r;
    ts_kpis k;
    run(&p, D, 20, 60, &r, &k);
    assert_int_equal(k.max_replicas, 3);
    assert_int_equal(k.scale_events, 2);
    assert_int_equal(k.violations, 19);
    /* tiny demand: start clamped up to min = 3, never below */
    for (int i = 0; i < 20; i++)
        D[i] = 1;
    p.min_instances = 3;
    p.max_instances = 10;
    run(&p, D, 20, 60, &r, &k);
    assert_int_equal(k.scale_events, 0);
    assert_int_equal(r.st[19].ready, 3);
}

static void test_scale_to_zero_and_back(void **state)
{
    (void)state;
    /* min 0, cooldown 0, warmup 120. N0 = 0 (no demand).
     * k0-2: C=0, d=0: hold, no violation (0 > 0 is false).
     * k3 t=180: C=0, d>0, nothing warming -> up 0->1 (util empty), ready 300.
     * k4 t=240: C=0, d>0 but one warming -> hold (no repeated scale-up).
     * k3, k4 violate. k5 t=300: R=1, u=0.5, hold.
     * k6 t=360: d=0, u=0 -> e=0 < 0.5; s=1: R'=0, e=0 and d=0 -> proj 0 ->
     * down 1->0. k7: C=0, d=0: hold. */
    double D[8] = {0, 0, 0, 1800, 1800, 1800, 0, 0};
    ts_policy p = base_policy();
    p.min_instances = 0;
    TS_THRESHOLD(&p)->cooldown_s = 0;
    rec r;
    ts_kpis k;
    run(&p, D, 8, 60, &r, &k);
    assert_int_equal(k.scale_events, 2);
    assert_true(r.ev[0].t_s == 180);
    assert_int_equal(r.ev[0].replicas_prev, 0);
    assert_int_equal(r.ev[0].replicas_new, 1);
    assert_false(r.ev[0].util_defined);
    assert_true(r.ev[0].capacity == 0);
    assert_true(r.ev[1].t_s == 360 && r.ev[1].replicas_new == 0);
    assert_true(r.ev[1].util_defined && r.ev[1].util_pct == 0);
    assert_int_equal(k.violations, 2);
    assert_true(k.unserved_tokens == 60); /* 2 x 1800 x 60/3600 */
    /* statistics only over steps with capacity: k5 (50) and k6 (0) */
    assert_true(k.avg_util_pct == 25);
}

static void test_scale_down_removes_warming_first(void **state)
{
    (void)state;
    /* two ready replicas (explicit start); k0: u = 5400/7200 = 0.75 -> up to
     * 3, warming until 600. k1: u = 1000/7200 -> down by one: the warming
     * replica goes, both ready ones stay (min 2 keeps them after that). */
    double D[3] = {5400, 1000, 1000};
    ts_policy p = base_policy();
    p.min_instances = 2;
    p.warmup_s = 600;
    TS_THRESHOLD(&p)->cooldown_s = 0;
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand.rate = D;
    in.demand.n = 3;
    in.demand.tau_s = 60;
    in.tps_eff = 1.0;
    in.gpu_count = 1;
    in.policy = &p;
    in.has_initial_replicas = 1;
    in.initial_replicas = 2;
    rec r;
    memset(&r, 0, sizeof r);
    ts_kpis k;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    ts_simulate_autoscaler(&in, ws, on_ev, on_st, &r, &k);
    ts_sim_workspace_free(ws);
    assert_int_equal(r.n_ev, 2);
    assert_int_equal(r.st[1].ready, 2);
    assert_int_equal(r.st[1].warming, 1);
    assert_int_equal(r.st[2].ready, 2);
    assert_int_equal(r.st[2].warming, 0);
}

static void test_initial_replicas_clamped(void **state)
{
    (void)state;
    ts_policy p = base_policy();
    p.min_instances = 2;
    p.max_instances = 5;
    assert_int_equal(ts_sim_initial_replicas(0, 3600, &p, 1, 9), 5);
    assert_int_equal(ts_sim_initial_replicas(0, 3600, &p, 1, 0), 2);
    /* formula: ceil(9000 / (3600 * 100/100)) = 3 */
    assert_int_equal(ts_sim_initial_replicas(9000, 3600, &p, 0, 0), 3);
}

static void test_demand_step_x3(void **state)
{
    (void)state;
    /* enough max and a step of 4: violations only during warm-up (120 s =
     * two steps); cooldown 120 keeps the policy from adding more meanwhile */
    double D[20];
    for (int i = 0; i < 20; i++)
        D[i] = i < 5 ? 1800 : 5400;
    ts_policy p = base_policy();
    TS_THRESHOLD(&p)->scale_up_step = 4;
    TS_THRESHOLD(&p)->cooldown_s = 120;
    rec r;
    ts_kpis k;
    run(&p, D, 20, 60, &r, &k);
    assert_int_equal(k.violations, 2);
    assert_true(k.unserved_tokens == 60);
    /* max too small: every step after the jump violates, and the planner
     * flags it: peak 5400 needs ceil(5400/3600) = 2 > max 1 */
    p.max_instances = 1;
    run(&p, D, 20, 60, &r, &k);
    assert_int_equal(k.violations, 15);
    ts_series s = {D, 20, 60};
    ts_planner_result pl;
    ts_planner_instances_needed(&s, 1.0, &p, NULL, &pl);
    assert_true(pl.capacity_violation);
}

typedef struct hold_check {
    const double *D;
    double tau;
    int64_t dt;
    int64_t n;
    int bad;
} hold_check;

static ts_status check_hold(void *ctx, const ts_step *s)
{
    hold_check *h = ctx;
    size_t idx = (size_t)floor(s->t_s / h->tau);
    if (s->demand != h->D[idx])
        h->bad = 1;
    h->n++;
    return 0;
}

static void test_step_grid(void **state)
{
    (void)state;
    static double D[720];
    for (int i = 0; i < 720; i++)
        D[i] = 1000 + i;
    ts_policy p = base_policy();
    ts_series s = {D, 720, 3600};
    assert_int_equal(ts_sim_steps(&s, 60), 43200);
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand = s;
    in.tps_eff = 1.0;
    in.gpu_count = 1;
    in.policy = &p;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    hold_check h = {D, 3600, 60, 0, 0};
    ts_kpis k;
    ts_simulate_autoscaler(&in, ws, NULL, check_hold, &h, &k);
    assert_int_equal(h.n, 43200);
    assert_int_equal(k.steps, 43200);
    assert_false(h.bad); /* each hour's rate held for its 60 steps */
    /* a minute series is used minute by minute */
    in.demand.tau_s = 60;
    h.tau = 60;
    h.n = 0;
    ts_simulate_autoscaler(&in, ws, NULL, check_hold, &h, &k);
    assert_int_equal(h.n, 720);
    assert_false(h.bad);
    /* Δ = 420 s does not divide 3600: K = ceil(2*3600/420) = 18; step 8 at
     * 3360 s sees D[0], step 9 at 3780 s sees D[1] */
    TS_THRESHOLD(&p)->evaluation_interval_s = 420;
    in.demand.n = 2;
    in.demand.tau_s = 3600;
    rec r;
    memset(&r, 0, sizeof r);
    ts_simulate_autoscaler(&in, ws, NULL, on_st, &r, &k);
    assert_int_equal(k.steps, 18);
    assert_true(r.st[8].demand == D[0]);
    assert_true(r.st[9].demand == D[1]);
    assert_true(r.st[17].t_s == 7140 && r.st[17].demand == D[1]);
    ts_sim_workspace_free(ws);
}

static void test_deterministic(void **state)
{
    (void)state;
    static double D[2000];
    unsigned s = 99;
    for (int i = 0; i < 2000; i++) {
        s = s * 1103515245u + 12345u;
        D[i] = 3600.0 * (1 + (s >> 16) % 20) * 1.13;
    }
    ts_policy p = base_policy();
    p.max_instances = 40;
    TS_THRESHOLD(&p)->stabilization_window_s = 300;
    rec *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    ts_kpis ka, kb;
    run(&p, D, 2000, 60, a, &ka);
    run(&p, D, 2000, 60, b, &kb);
    assert_memory_equal(&ka, &kb, sizeof ka);
    assert_int_equal(a->n_ev, b->n_ev);
    assert_memory_equal(a->ev, b->ev, a->n_ev * sizeof a->ev[0]);
    free(a);
    free(b);
}

static void test_invalid_inputs(void **state)
{
    (void)state;
    double D[1] = {1};
    ts_policy p = base_policy();
    rec r;
    ts_kpis k;
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand.rate = D;
    in.demand.n = 0;
    in.demand.tau_s = 60;
    in.tps_eff = 1;
    in.policy = &p;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    assert_int_equal(ts_simulate_autoscaler(&in, ws, NULL, NULL, &r, &k), TS_EINPUT);
    in.demand.n = 1;
    in.tps_eff = 0;
    assert_int_equal(ts_simulate_autoscaler(&in, ws, NULL, NULL, &r, &k), TS_EINPUT);
    ts_sim_workspace_free(ws);
}

/* Refuses the third event it is told of, with the status in ctx. */
typedef struct refuser {
    int seen;
    ts_status status;
} refuser;

static ts_status refuse_third(void *ctx, const ts_event *e)
{
    (void)e;
    refuser *r = ctx;
    return ++r->seen == 3 ? r->status : TS_OK;
}

static ts_status refuse_step_ten(void *ctx, const ts_step *s)
{
    refuser *r = ctx;
    return s->t_s >= 600 ? r->status : TS_OK;
}

static void test_callback_status_returned(void **state)
{
    (void)state;
    /* a ramp that makes the threshold policy scale up at every step after
     * its cooldown: the callback's status is what the simulation returns,
     * from the kernel (no step callback) and from the plain loop */
    double D[120];
    for (int i = 0; i < 120; i++)
        D[i] = 1e6 * (i + 1);
    ts_policy p = base_policy();
    TS_THRESHOLD(&p)->cooldown_s = 0;
    ts_kpis k;
    ts_sim_input in;
    memset(&in, 0, sizeof in);
    in.demand.rate = D;
    in.demand.n = 120;
    in.demand.tau_s = 60;
    in.tps_eff = 100;
    in.gpu_count = 1;
    in.policy = &p;
    ts_sim_workspace *ws = ts_sim_workspace_new();
    static const ts_status statuses[] = {TS_ENOMEM, TS_ERUNTIME};
    for (size_t i = 0; i < 2; i++) {
        refuser r = {0, statuses[i]};
        assert_int_equal(ts_simulate_autoscaler(&in, ws, refuse_third, NULL, &r, &k), statuses[i]);
        assert_int_equal(r.seen, 3);
        r.seen = 0;
        assert_int_equal(ts_simulate_reference(&in, ws, refuse_third, NULL, &r, &k), statuses[i]);
        assert_int_equal(r.seen, 3);
        assert_int_equal(ts_simulate_autoscaler(&in, ws, NULL, refuse_step_ten, &r, &k), statuses[i]);
    }
    ts_sim_workspace_free(ws);
}

/* Events of a run, growing. */
typedef struct evlog {
    ts_event *ev;
    size_t n, cap;
} evlog;

static ts_status log_ev(void *ctx, const ts_event *e)
{
    evlog *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->ev = realloc(l->ev, l->cap * sizeof *l->ev);
    }
    l->ev[l->n++] = *e;
    return 0;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

static void test_fast_path_matches_reference(void **state)
{
    (void)state;
    /* The threshold fast path must give the plain loop's events and KPIs to
     * the bit, on inputs that reach every branch: zero demand, jumps, flat
     * stretches, scale to zero, warm-up longer than the cooldown and the
     * reverse, intervals that do and do not divide the series interval,
     * minute series whose values hold for up to 90 minutes, and minute
     * series that move every minute, with bursts and zeros. */
    static const int64_t dts[] = {1, 7, 60, 60, 300};
    static const int64_t taus[] = {60, 60, 420, 3600, 3600};
    double *D = malloc(400 * sizeof *D);
    int compared_events = 0, dense_trials = 0;
    for (int trial = 0; trial < 900; trial++) {
        ts_policy p;
        ts_policy_defaults(&p);
        p.target_utilization_pct = 20 + (double)rnd(81);
        TS_THRESHOLD(&p)->evaluation_interval_s = dts[rnd(5)];
        TS_THRESHOLD(&p)->scale_up_threshold_pct = 40 + (double)rnd(61);
        TS_THRESHOLD(&p)->scale_down_threshold_pct = 5 + (double)rnd((uint64_t)(TS_THRESHOLD(&p)->scale_up_threshold_pct - 5));
        TS_THRESHOLD(&p)->scale_up_step = 1 + (int64_t)rnd(3);
        TS_THRESHOLD(&p)->scale_down_step = 1 + (int64_t)rnd(3);
        TS_THRESHOLD(&p)->stabilization_window_s = rnd(3) ? (int64_t)rnd(900) : 0;
        p.warmup_s = (int64_t)rnd(4) * 60 * (int64_t)rnd(4);
        TS_THRESHOLD(&p)->cooldown_s = (int64_t)rnd(5) * 60;
        p.min_instances = (int64_t)rnd(3);
        p.max_instances = p.min_instances + 1 + (int64_t)rnd(30);
        size_t n = 1 + (size_t)rnd(trial % 10 == 0 ? 400 : 60);
        int64_t tau = taus[rnd(5)];
        double level = 3600.0 * (double)(1 + rnd(20));
        for (size_t i = 0; i < n; i++) {
            uint64_t r = rnd(10);
            if (r == 0)
                level = 0;
            else if (r < 3)
                level = 3600.0 * (double)rnd(25) * 1.37;
            D[i] = level * (rnd(4) ? 1.0 : 1.0 + (double)rnd(100) / 250.0);
        }
        if (trial % 3 == 1) {
            /* minute data that holds still for a while (a stepped rate):
             * segments span many intervals of one value */
            tau = 60;
            n = 1 + (size_t)rnd(400);
            for (size_t i = 0; i < n;) {
                double v = rnd(6) ? 3600.0 * (double)rnd(25) * 1.37 : 0.0;
                for (size_t h = 1 + (size_t)rnd(90); h > 0 && i < n; h--)
                    D[i++] = v;
            }
        }
        if (trial % 3 == 2) {
            /* minute data that moves every minute (±5 % jitter), with bursts
             * and stretches of zeros: the kernel's step-by-step way */
            tau = 60;
            n = 1 + (size_t)rnd(400);
            double base = 3600.0 * (double)(1 + rnd(25));
            for (size_t i = 0; i < n; i++) {
                uint64_t r = rnd(20);
                if (r == 0)
                    base = 3600.0 * (double)(1 + rnd(25));
                D[i] = r == 1 ? 0.0 : r == 2 ? base * 3.0 : base * (0.95 + (double)rnd(1001) / 10000.0);
            }
        }
        int64_t runs = 1, K = ((int64_t)n * tau + TS_THRESHOLD(&p)->evaluation_interval_s - 1) / TS_THRESHOLD(&p)->evaluation_interval_s;
        for (size_t i = 1; i < n; i++)
            runs += D[i] != D[i - 1];
        dense_trials += runs * 2 > K;
        ts_sim_input in;
        memset(&in, 0, sizeof in);
        in.demand.rate = D;
        in.demand.n = n;
        in.demand.tau_s = (double)tau;
        in.tps_eff = rnd(2) ? 1.0 : 2.385;
        in.gpu_count = 1 + (int64_t)rnd(2);
        in.policy = &p;
        in.has_initial_replicas = rnd(4) == 0;
        in.initial_replicas = (int64_t)rnd(10);
        ts_sim_workspace *ws = ts_sim_workspace_new();
        evlog a = {0}, b = {0};
        ts_kpis ka, kb;
        memset(&ka, 0, sizeof ka);
        memset(&kb, 0, sizeof kb);
        assert_int_equal(ts_simulate_reference(&in, ws, log_ev, NULL, &a, &ka), 0);
        assert_int_equal(ts_simulate_autoscaler(&in, ws, log_ev, NULL, &b, &kb), 0);
        if (memcmp(&ka, &kb, sizeof ka) != 0 || a.n != b.n ||
            (a.n && memcmp(a.ev, b.ev, a.n * sizeof *a.ev) != 0))
            fail_msg("trial %d: reference %lld events p95 %.17g avg %.17g unserved %.17g; fast %lld events p95 %.17g avg %.17g unserved %.17g",
                     trial, (long long)ka.scale_events, ka.p95_util_pct, ka.avg_util_pct, ka.unserved_tokens,
                     (long long)kb.scale_events, kb.p95_util_pct, kb.avg_util_pct, kb.unserved_tokens);
        compared_events += (int)a.n;
        free(a.ev);
        free(b.ev);
        ts_sim_workspace_free(ws);
    }
    free(D);
    assert_true(compared_events > 1000); /* the cases did scale */
    assert_true(dense_trials > 200);     /* and demand that moves every step took the step-by-step way */
}

static void test_floor_replicas(void **state)
{
    (void)state;
    /* 40 steps: 3 replicas during 38 (95 % exactly) and 1 during 2: the
     * floor is 3; one step fewer at 3 (92.5 %) and it is 1 */
    ts_run a[] = {{1, 2}, {3, 38}};
    assert_int_equal(ts_kpis_floor(a, 2, 40), 3);
    ts_run b[] = {{3, 37}, {1, 3}};
    assert_int_equal(ts_kpis_floor(b, 2, 40), 1);
    /* a run of no steps (an action at the last step) changes nothing */
    ts_run c[] = {{5, 20}, {7, 0}, {2, 1}};
    assert_int_equal(ts_kpis_floor(c, 3, 21), 5);
}

static void test_percentile_runs(void **state)
{
    (void)state;
    /* runs {50 x3, 10 x1, 30 x2} = 10 30 30 50 50 50; p95: h = 5*0.95 =
     * 4.75 -> 50; p50: h = 2.5 -> 30 + 0.5*(50-30) = 40 */
    ts_run r[] = {{50, 3}, {10, 1}, {30, 2}};
    assert_true(ts_percentile_runs(r, 3, 95) == 50);
    ts_run r2[] = {{50, 3}, {10, 1}, {30, 2}};
    assert_true(ts_percentile_runs(r2, 3, 50) == 40);
    ts_run r3[] = {{7, 0}};
    assert_true(ts_percentile_runs(r3, 1, 95) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hysteresis_small_pool),
        cmocka_unit_test(test_constant_demand_settles),
        cmocka_unit_test(test_warmup_and_kpis_by_hand),
        cmocka_unit_test(test_warmup_zero_serves_next_step),
        cmocka_unit_test(test_cooldown_blocks_both_directions),
        cmocka_unit_test(test_smoothing),
        cmocka_unit_test(test_clamps),
        cmocka_unit_test(test_scale_to_zero_and_back),
        cmocka_unit_test(test_scale_down_removes_warming_first),
        cmocka_unit_test(test_initial_replicas_clamped),
        cmocka_unit_test(test_demand_step_x3),
        cmocka_unit_test(test_step_grid),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_invalid_inputs),
        cmocka_unit_test(test_callback_status_returned),
        cmocka_unit_test(test_fast_path_matches_reference),
        cmocka_unit_test(test_percentile_runs),
        cmocka_unit_test(test_floor_replicas),
    };
    return cmocka_run_group_tests_name("simulator", tests, NULL, NULL);
}
