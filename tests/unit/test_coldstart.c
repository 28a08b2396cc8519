/*
 * test_coldstart.c — cold starts (sim/coldstart): draws that follow the
 * log-normal asked for, reproducible for a seed and different across
 * seeds, each replica with its own ready time, and the simulator's fast
 * path and the replay of its events agreeing with the plain loop when
 * every replica draws its own.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "sim/coldstart.h"
#include "sim/simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_draws_follow_the_distribution(void **state)
{
    (void)state;
    /* 20,000 replicas started at once, median 100 s, p95 twice that: the
     * ready times (on a 1 s grid) have their median near 100 s and their
     * 95th percentile near 200 s, and the groups are ordered by ready time
     * and hold every replica */
    ts_policy p;
    ts_policy_defaults(&p);
    ts_sim_input in = {{NULL, 0, 60.0}, 1.0, 1, &p, 0, 0, 1, 100, log(2.0) / 1.6448536269514722, 7};
    ts_cold_start cs;
    ts_cold_start_init(&cs, &in);
    /* the cut: 100 · 2^(3.719 / 1.645) = 479.3 s, the 99.99th percentile */
    assert_int_equal(cs.cap_s, 480); /* rounded up */
    size_t cap = ts_cold_start_groups(&cs, 1);
    int64_t *at = malloc(cap * sizeof *at), *n = malloc(cap * sizeof *n);
    ts_warm_groups g = {at, n, cap, 0, 0};
    int64_t first, last;
    ts_cold_start_add(&cs, &g, 0, 1, 20000, &first, &last);
    int64_t total = 0, seen = 0, median = -1, p95 = -1, prev = -1;
    for (size_t i = 0; i < g.len; i++) {
        size_t k = (g.head + i) % g.cap;
        assert_true(g.at[k] > prev); /* ordered, one group per ready time */
        prev = g.at[k];
        total += g.n[k];
    }
    assert_int_equal(total, 20000);
    for (size_t i = 0; i < g.len; i++) {
        size_t k = (g.head + i) % g.cap;
        seen += g.n[k];
        if (median < 0 && seen >= 10000)
            median = g.at[k];
        if (p95 < 0 && seen >= 19000)
            p95 = g.at[k];
    }
    assert_true(labs(median - 100) <= 3);
    assert_true(labs(p95 - 200) <= 8);
    assert_int_equal(first, g.at[g.head]);
    assert_int_equal(last, prev);
    free(at);
    free(n);
}

static void events_of(ts_sim_input *in, int reference, tu_events *l, ts_kpis *k)
{
    ts_sim_workspace *ws = ts_sim_workspace_new();
    l->n = 0;
    memset(k, 0, sizeof *k); /* its padding too: the KPIs are compared as bytes */
    ts_status st = reference ? ts_simulate_reference(in, ws, tu_log_event, NULL, l, k)
                             : ts_simulate_autoscaler(in, ws, tu_log_event, NULL, l, k);
    assert_int_equal(st, TS_OK);
    ts_sim_workspace_free(ws);
}

static int same_events(const tu_events *a, const tu_events *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const ts_event *x = &a->ev[i], *y = &b->ev[i];
        if (x->t_s != y->t_s || x->replicas_prev != y->replicas_prev || x->replicas_new != y->replicas_new ||
            x->ready_first_s != y->ready_first_s || x->ready_last_s != y->ready_last_s)
            return 0;
    }
    return 1;
}

typedef struct steplog {
    ts_step st[4096];
    size_t n;
} steplog;

static ts_status keep_step(void *ctx, const ts_step *s)
{
    steplog *l = ctx;
    assert_true(l->n < 4096);
    l->st[l->n++] = *s;
    return 0;
}

/* A ramp that makes the pool scale up by several replicas at a time. */
static double ramp[240];

static void test_seed_reproducible_and_per_replica(void **state)
{
    (void)state;
    for (int i = 0; i < 240; i++)
        ramp[i] = 3600.0 * (i < 60 ? 2 : i < 120 ? 40 : i < 180 ? 5 : 60);
    ts_policy p;
    ts_policy_defaults(&p);
    p.min_instances = 1;
    p.max_instances = 200;
    TS_THRESHOLD(&p)->scale_up_step = 8;
    ts_sim_input in = {{ramp, 240, 60.0}, 1.0, 1, &p, 0, 0, 1, 300, log(3.0) / 1.6448536269514722, 11};
    tu_events *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    ts_kpis ka, kb;
    events_of(&in, 0, a, &ka);
    events_of(&in, 0, b, &kb);
    assert_true(a->n > 5);
    assert_true(same_events(a, b)); /* the same seed: the same cold starts */
    int spread = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->ev[i].reason == TS_SCALE_UP) {
            assert_true(a->ev[i].ready_first_s >= (int64_t)a->ev[i].t_s);
            assert_true(a->ev[i].ready_last_s >= a->ev[i].ready_first_s);
            spread += a->ev[i].ready_last_s > a->ev[i].ready_first_s; /* replicas of one scale-up differ */
        }
    assert_true(spread > 0);
    /* the timeline: while replicas warm, the first and the last of them to
     * be ready, after the step; at the step after a scale-up, its last
     * replica (unless ready by then) is among the warming ones, so that
     * step's range reaches it */
    steplog *sl = calloc(1, sizeof *sl);
    ts_sim_workspace *ws = ts_sim_workspace_new();
    assert_int_equal(ts_simulate_reference(&in, ws, NULL, keep_step, sl, &kb), TS_OK);
    ts_sim_workspace_free(ws);
    int warming = 0;
    for (size_t i = 0; i < sl->n; i++) {
        const ts_step *st = &sl->st[i];
        if (st->warming == 0)
            continue;
        warming++;
        assert_true(st->warming_first_s > (int64_t)st->t_s && st->warming_first_s <= st->warming_last_s);
    }
    assert_true(warming > 0);
    for (size_t i = 0; i < a->n; i++) {
        const ts_event *e = &a->ev[i];
        size_t k = (size_t)(e->t_s / 60.0) + 1;
        if (e->reason != TS_SCALE_UP || k >= sl->n)
            continue;
        if (e->ready_last_s > (int64_t)sl->st[k].t_s)
            assert_true(sl->st[k].warming > 0 && e->ready_last_s <= sl->st[k].warming_last_s);
    }
    free(sl);
    in.cold_seed = 12;
    events_of(&in, 0, b, &kb);
    assert_false(same_events(a, b)); /* another seed: other cold starts */
    free(a);
    free(b);
}

static uint64_t rng = 0xD1B54A32D192ED03ULL;
static uint64_t rnd(uint64_t n)
{
    return tu_rnd(&rng, n);
}

typedef struct spanlog {
    ts_span s[8192];
    size_t n;
} spanlog;

static ts_status keep_span(void *ctx, const ts_span *s)
{
    spanlog *l = ctx;
    if (l->n == 8192)
        return TS_ERUNTIME; /* full: stop the replay */
    l->s[l->n++] = *s;
    return 0;
}

static void test_kernel_and_replay_agree(void **state)
{
    (void)state;
    /* Random pools with cold starts drawn per replica: the threshold
     * kernel gives the plain loop's events and KPIs, and the replay of the
     * events gives the plain loop's steps, ready counts included. */
    static double D[300];
    tu_events *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    spanlog *sp = calloc(1, sizeof *sp);
    steplog *sl = calloc(1, sizeof *sl);
    int scaled = 0;
    for (int trial = 0; trial < 200; trial++) {
        ts_policy p;
        ts_policy_defaults(&p);
        TS_THRESHOLD(&p)->evaluation_interval_s = 15 * (1 + (int64_t)rnd(4));
        TS_THRESHOLD(&p)->scale_up_step = 1 + (int64_t)rnd(6);
        TS_THRESHOLD(&p)->scale_down_step = 1 + (int64_t)rnd(3);
        TS_THRESHOLD(&p)->cooldown_s = 30 * (int64_t)rnd(4);
        p.min_instances = (int64_t)rnd(2);
        p.max_instances = p.min_instances + 1 + (int64_t)rnd(40);
        size_t n = 1 + (size_t)rnd(300);
        double level = 3600.0 * (double)(1 + rnd(10));
        for (size_t i = 0; i < n; i++) {
            if (rnd(6) == 0)
                level = 3600.0 * (double)rnd(40) * 1.37;
            D[i] = level;
        }
        ts_sim_input in = {{D, n, 60.0}, 1.0, 1, &p, 0, 0, 1, 30 + 30 * (int64_t)rnd(10),
                           log(1.0 + (double)rnd(40) / 10.0) / 1.6448536269514722, (uint64_t)trial};
        if (ts_sim_steps(&in.demand, ts_policy_step_s(&p)) > 4000)
            continue;
        ts_kpis ka, kb;
        events_of(&in, 1, a, &ka);
        events_of(&in, 0, b, &kb);
        if (!same_events(a, b) || memcmp(&ka, &kb, sizeof ka) != 0)
            fail_msg("trial %d: the kernel differs from the plain loop (%zu and %zu events)", trial, a->n, b->n);
        scaled += a->n > 2;
        /* the replay against the plain loop's steps */
        ts_sim_workspace *ws = ts_sim_workspace_new();
        sl->n = 0;
        assert_int_equal(ts_simulate_reference(&in, ws, NULL, keep_step, sl, &ka), TS_OK);
        ts_sim_workspace_free(ws);
        sp->n = 0;
        assert_int_equal(ts_simulate_replay(&in, a->ev, a->n, keep_span, sp), TS_OK);
        size_t k = 0;
        for (size_t s = 0; s < sp->n; s++)
            for (int64_t j = sp->s[s].k0; j < sp->s[s].k1; j++, k++)
                if (sl->st[j].ready != sp->s[s].ready || sl->st[j].ready + sl->st[j].warming != sp->s[s].provisioned)
                    fail_msg("trial %d step %lld: plain loop R %lld, replay R %lld", trial, (long long)j,
                             (long long)sl->st[j].ready, (long long)sp->s[s].ready);
        assert_int_equal(k, sl->n);
    }
    assert_true(scaled > 100);
    free(a);
    free(b);
    free(sp);
    free(sl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_follow_the_distribution),
        cmocka_unit_test(test_seed_reproducible_and_per_replica),
        cmocka_unit_test(test_kernel_and_replay_agree),
    };
    return cmocka_run_group_tests_name("coldstart", tests, NULL, NULL);
}
