/*
 * test_ideal.c — the ideal autoscaler and the fixed fleet: cases worked out
 * by hand, the closing against a brute-force search over every schedule on
 * small cases, and the bound property — no simulated policy that served
 * every step ever paid for less replica time than the ideal.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "sim/ideal.h"
#include "sim/simulate.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ideal of need values (demand = need × tph with tph = 3600, so a
 * replica serves 3600 tokens/hour), step 60 s, warm-up w s. */
static ts_bounds ideal_of(const int64_t *need, size_t n, int64_t w, int64_t min, int64_t max)
{
    double *D = calloc(n, sizeof *D);
    for (size_t i = 0; i < n; i++)
        D[i] = (double)need[i] * 3600.0;
    ts_series s = {D, n, 60};
    size_t sc = ts_ideal_scratch(&s, 60, w);
    int64_t *scratch = calloc(sc, sizeof *scratch);
    ts_bounds b;
    ts_ideal_compute(&s, 3600.0, 60, w, min, max, scratch, &b);
    free(scratch);
    free(D);
    return b;
}

static void test_hand_cases(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int64_t need[8];
        size_t n;
        int64_t warmup, min, max, cost, fixed;
    } rows[] = {
        /* layer 1 all along (5); layer 2 at steps 2-3, started at step 0,
         * paid from 1: 3 -> 8 */
        {"a step up, warm-up of 2 steps", {1, 1, 2, 2, 1}, 5, 120, 0, 10, 8, 2},
        /* layer 2 idles 2 steps between steps 0 and 3: keeping it (2) is no
         * dearer than a restart (L - 1 = 2): R = 2 everywhere -> 8 */
        {"a gap no longer than the warm-up is bridged", {2, 1, 1, 2}, 4, 180, 0, 10, 8, 2},
        /* layer 2: step 0 (1), then a restart for step 4: action at 2,
         * paid 3 and 4 (2); layer 1: 5 -> 8 (bridging would cost 9) */
        {"a gap longer than the warm-up restarts", {2, 1, 1, 1, 2}, 5, 120, 0, 10, 8, 2},
        {"zero demand", {0, 0, 0, 0}, 4, 120, 0, 10, 0, 0},
        {"zero demand with min 2", {0, 0, 0, 0}, 4, 120, 2, 10, 8, 2},
        /* no warm-up: the floor of 1 and a burst of 5 at step 2 -> 1+1+5+1 */
        {"min is a floor", {0, 0, 5, 0}, 4, 0, 1, 10, 8, 5},
        /* 3 layers start at step 3 (action at 1, paid 2 and 3): 6 */
        {"a late start", {0, 0, 0, 3}, 4, 120, 0, 10, 6, 3},
        /* with 4 steps of warm-up a start at 3 is impossible: present from t = 0 */
        {"a start sooner than the warm-up", {0, 0, 0, 3}, 4, 240, 0, 10, 12, 3},
        /* 4 needed at step 1, max 3: capped, one step unservable */
        {"capped at max", {1, 4, 1}, 3, 0, 0, 3, 5, 3},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ts_bounds b = ideal_of(rows[i].need, rows[i].n, rows[i].warmup, rows[i].min, rows[i].max);
        if (b.ideal_replica_steps != rows[i].cost || b.fixed_replicas != rows[i].fixed)
            fail_msg("%s: cost %lld (want %lld), fixed %lld (want %lld)", rows[i].what,
                     (long long)b.ideal_replica_steps, (long long)rows[i].cost, (long long)b.fixed_replicas,
                     (long long)rows[i].fixed);
    }
    int64_t capped[] = {1, 4, 1};
    ts_bounds b = ideal_of(capped, 3, 0, 0, 3);
    assert_int_equal(b.unservable_steps, 1);
    /* hours: 8 replica-steps of 60 s; the fixed fleet 2 replicas x 5 steps */
    int64_t up[] = {1, 1, 2, 2, 1};
    b = ideal_of(up, 5, 120, 0, 10);
    assert_true(b.ideal_replica_hours == 8.0 / 60.0);
    assert_true(b.fixed_replica_hours == 10.0 / 60.0);
    assert_int_equal(b.lead_steps, 2);
    assert_int_equal(b.ideal_starts, 1);
}

/* The least cost over every schedule, by search: at each step choose how
 * many ready replicas to remove and how many to add (ready L steps later);
 * replicas present at t = 0 are ready and free to choose. */
typedef struct search {
    const int64_t *need;
    int K, L;
    int64_t best;
} search;

static void dfs(search *s, int k, int ready, int *arrive, int64_t cost)
{
    if (cost >= s->best)
        return;
    if (k == s->K) {
        s->best = cost;
        return;
    }
    ready += arrive[k];
    if (ready < s->need[k])
        return;
    int warming = 0;
    for (int j = k + 1; j < s->K + s->L; j++)
        warming += arrive[j];
    int64_t paid = cost + ready + warming;
    for (int rem = 0; rem <= ready; rem++)
        for (int add = 0; add <= 3 && (add == 0 || k + s->L < s->K); add++) {
            if (rem && add)
                continue; /* never both at once */
            arrive[k + s->L] += add;
            dfs(s, k + 1, ready - rem, arrive, paid);
            arrive[k + s->L] -= add;
        }
}

static void test_closing_is_the_optimum(void **state)
{
    (void)state;
    ts_rng r;
    ts_rng_seed(&r, 2024);
    for (int trial = 0; trial < 400; trial++) {
        int K = 2 + (int)(ts_rng_next(&r) % 6), L = 1 + (int)(ts_rng_next(&r) % 3);
        int64_t need[8];
        for (int i = 0; i < K; i++)
            need[i] = (int64_t)(ts_rng_next(&r) % 4);
        search s = {need, K, L, INT64_MAX};
        for (int r0 = 0; r0 <= 3; r0++) {
            int arrive[16] = {0};
            dfs(&s, 0, r0, arrive, 0);
        }
        ts_bounds b = ideal_of(need, (size_t)K, (int64_t)L * 60, 0, 10);
        if (b.ideal_replica_steps != s.best)
            fail_msg("trial %d (K %d, L %d, need %lld %lld %lld %lld ...): closing %lld, search %lld", trial, K, L,
                     (long long)need[0], (long long)need[1], (long long)need[2], (long long)need[3],
                     (long long)b.ideal_replica_steps, (long long)s.best);
    }
}

/* Long demand intervals take a shortcut inside each interval: the result
 * equals that of the same demand given minute by minute. */
static void test_intervals_equal_steps(void **state)
{
    (void)state;
    ts_rng r;
    ts_rng_seed(&r, 9);
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + ts_rng_next(&r) % 12;
        int64_t tau = 60 * (int64_t)(1 + ts_rng_next(&r) % 30), dt = 60, w = 60 * (int64_t)(ts_rng_next(&r) % 12);
        double coarse[16];
        double *fine = malloc(n * (size_t)(tau / 60) * sizeof *fine);
        for (size_t i = 0; i < n; i++) {
            coarse[i] = 3600.0 * (double)(ts_rng_next(&r) % 5);
            for (int64_t j = 0; j < tau / 60; j++)
                fine[i * (size_t)(tau / 60) + (size_t)j] = coarse[i];
        }
        ts_series a = {coarse, n, (double)tau}, b = {fine, n * (size_t)(tau / 60), 60};
        int64_t *sa = calloc(ts_ideal_scratch(&a, dt, w), sizeof *sa), *sb = calloc(ts_ideal_scratch(&b, dt, w), sizeof *sb);
        ts_bounds x, y;
        ts_ideal_compute(&a, 3600.0, dt, w, 0, 3, sa, &x);
        ts_ideal_compute(&b, 3600.0, dt, w, 0, 3, sb, &y);
        if (memcmp(&x, &y, sizeof x) != 0)
            fail_msg("trial %d (tau %lld, warm-up %lld): %lld and %lld replica-steps", trial, (long long)tau,
                     (long long)w, (long long)x.ideal_replica_steps, (long long)y.ideal_replica_steps);
        free(sa);
        free(sb);
        free(fine);
    }
}

static void test_no_policy_beats_the_ideal(void **state)
{
    (void)state;
    static const char *const policies[] = {"threshold", "hpa", "kpa"};
    ts_rng r;
    ts_rng_seed(&r, 77);
    ts_sim_workspace *ws = ts_sim_workspace_new();
    int served = 0;
    for (int trial = 0; trial < 300; trial++) {
        size_t n = 30 + ts_rng_next(&r) % 60;
        double *D = malloc(n * sizeof *D);
        double base = 3600.0 * (double)(1 + ts_rng_next(&r) % 6);
        int bursty = trial % 4 == 0;
        for (size_t i = 0; i < n; i++) {
            double u = ts_rng_uniform(&r);
            if (bursty) /* zeros and x3 bursts: violations, mostly */
                D[i] = u < 0.1 ? 0.0 : base * (0.3 + 2.0 * u) * (i % 17 < 3 ? 3.0 : 1.0);
            else /* drifting slowly: often served in full */
                D[i] = base * (1.0 + 0.25 * (double)(i % 20) / 20.0) * (0.95 + 0.1 * u);
        }
        ts_policy p;
        ts_policy_defaults(&p);
        p.type = ts_policy_type_find(policies[trial % 3]);
        p.target_utilization_pct = 20 + (double)(ts_rng_next(&r) % 60);
        p.min_instances = (int64_t)(ts_rng_next(&r) % 3);
        p.max_instances = 40;
        p.warmup_s = (int64_t)(ts_rng_next(&r) % 4) * 60;
        TS_THRESHOLD(&p)->scale_up_threshold_pct = 30 + (double)(ts_rng_next(&r) % 50);
        TS_THRESHOLD(&p)->scale_down_threshold_pct = TS_THRESHOLD(&p)->scale_up_threshold_pct - 20;
        TS_THRESHOLD(&p)->scale_up_step = 1 + (int64_t)(ts_rng_next(&r) % 8);
        TS_THRESHOLD(&p)->cooldown_s = (int64_t)(ts_rng_next(&r) % 3) * 60;
        TS_THRESHOLD(&p)->stabilization_window_s = (int64_t)(ts_rng_next(&r) % 2) * 300;
        ts_sim_input in;
        memset(&in, 0, sizeof in);
        in.demand = (ts_series){D, n, 60};
        in.tps_eff = 1.0;
        in.gpu_count = 1;
        in.policy = &p;
        ts_kpis k;
        ts_bounds b;
        assert_int_equal(ts_simulate_autoscaler(&in, ws, NULL, NULL, NULL, &k), TS_OK);
        assert_int_equal(ts_simulate_bounds(&in, ws, &b), TS_OK);
        assert_int_equal(b.steps, k.steps);
        /* the fixed fleet serves every step, so the ideal is never dearer */
        if (b.unservable_steps == 0)
            assert_true(b.ideal_replica_hours <= b.fixed_replica_hours);
        if (k.violations == 0) {
            served++;
            if (!(k.replica_hours >= b.ideal_replica_hours))
                fail_msg("trial %d (%s): a policy without violations paid %.6f replica-hours, the ideal %.6f",
                         trial, policies[trial % 3], k.replica_hours, b.ideal_replica_hours);
        }
        free(D);
    }
    ts_sim_workspace_free(ws);
    fprintf(stderr, "  %d of 300 runs served every step; none paid less than the ideal\n", served);
    assert_true(served >= 30); /* the property was exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_cases),
        cmocka_unit_test(test_closing_is_the_optimum),
        cmocka_unit_test(test_intervals_equal_steps),
        cmocka_unit_test(test_no_policy_beats_the_ideal),
    };
    return cmocka_run_group_tests_name("ideal", tests, NULL, NULL);
}
