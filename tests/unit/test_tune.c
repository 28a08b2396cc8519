/*
 * test_tune.c — the tuner: a grid whose optimum is worked out by hand, the
 * same result whatever the thread count, the sampled search within its
 * budget, a service level no setting meets, and spaces read from YAML.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "tapscale_io.h"

#include <stdlib.h>
#include <string.h>

/* One model, flat demand of 3 replicas at 100 % (tph 3600 tokens/hour
 * per replica: 2500 tokens/s is not used; the facts give 1 token/s), no
 * warm-up, no smoothing, no cooldown: every decision is immediate. */
static ts_inputs *flat_inputs(char **dir, ts_diags *d)
{
    *dir = tu_tmpdir();
    tu_write(*dir, "operator/public_tap.yaml",
             "autoscaling:\n  target_utilization_pct: 75\n  peak_factor: 1\n  min_instances_per_model: 1\n"
             "  max_instances_per_model: 10\n  warmup_s: 0\n  cooldown_s: 0\n  stabilization_window_s: 0\n");
    tu_write(*dir, "operator/demand.yaml", "models:\n  m1:\n    tokens_per_month: 7776000\n");
    tu_write(*dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\nm1,L4,1,1,aggregate\n");
    tu_write(*dir, "operator/curated_gpu.csv", "gpu_model,num_gpus,price_usd_hr\nL4,1,2\n");
    ts_inputs *in = NULL;
    assert_int_equal(tu_load(*dir, &in, d), TS_OK);
    return in;
}

static const char grid[] = "scale_up_threshold_pct: [60, 80, 100]\nscale_down_threshold_pct: [50, 70, 90]\n";

static void run_tune(const ts_inputs *in, const ts_plan *plan, const char *space_text, const ts_tune_options *o,
                     ts_tune_space **sp, ts_tune_result **t)
{
    ts_diags d;
    ts_diags_init(&d);
    assert_int_equal(ts_tune_space_read(in->policy.type, "space.yaml", space_text, strlen(space_text), sp, &d), TS_OK);
    assert_int_equal(ts_tune(in, plan, *sp, o, t), TS_OK);
    ts_diags_free(&d);
}

static void test_optimum_by_hand(void **state)
{
    (void)state;
    /* demand 7776000 / 720 h = 10800 tokens/hour = 3 replicas at 100 %.
     * The start: ceil(10800 / (3600 x 0.75)) = 4 replicas at u = 75 %.
     *   up 60:  75 > 60, up to 5 (u = 60 %: holds)         4 + 5(K-1)
     *   up 80 or 100 with down 50 or 70: 75 is in the band: 4K
     *   up 100, down 90: 75 < 90, the guard projects 75 x 4/3 = 100,
     *     not above 100: down to 3 (u = 100 %: holds)       4 + 3(K-1)
     *   down >= up: three settings broken, skipped.
     * None has a violation (demand never exceeds ready capacity), so the
     * cheapest is (100, 90); only it is on the Pareto front. */
    char *dir;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = flat_inputs(&dir, &d);
    ts_plan *plan;
    assert_int_equal(ts_plan_build(in, &plan), TS_OK);
    ts_tune_options o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    ts_tune_space *sp;
    ts_tune_result *t;
    run_tune(in, plan, grid, &o, &sp, &t);
    const ts_tune_pool *tp = &t->pools[0];
    assert_true(tp->exhaustive);
    assert_int_equal(tp->n, 9);
    assert_int_equal(tp->invalid, 3);
    assert_true(tp->winner >= 0);
    const ts_tune_candidate *w = &tp->cand[tp->winner];
    assert_string_equal(sp->axes[0].values[w->at[0]], "100");
    assert_string_equal(sp->axes[1].values[w->at[1]], "90");
    int64_t K = w->kpis.steps;
    assert_int_equal(K, 43200);
    assert_true(w->kpis.replica_hours == (double)(4 + 3 * (K - 1)) / 60.0);
    assert_true(w->cost == w->kpis.replica_hours * 2.0);
    assert_int_equal(w->kpis.scale_events, 1);
    /* the current setting (70 / 50, the defaults): 75 > 70, up to 5 */
    assert_true(tp->current_result.kpis.replica_hours == (double)(4 + 5 * (K - 1)) / 60.0);
    /* the ideal: 3 replicas all along */
    assert_int_equal(tp->bounds.ideal_replica_steps, 3 * K);
    ts_buf b;
    ts_buf_init(&b);
    ts_render_tune_pareto_csv(in, plan, t, &b);
    const char *nl = strchr(b.data, '\n');
    assert_non_null(nl);
    assert_non_null(strstr(nl + 1, "m1,L4,threshold,"));
    assert_null(strchr(strchr(nl + 1, '\n') + 1, '\n')); /* one row */
    ts_buf_free(&b);
    ts_tune_result_free(t);
    ts_tune_space_free(sp);
    ts_plan_free(plan);
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

static void test_threads_and_budget(void **state)
{
    (void)state;
    char *dir;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in = flat_inputs(&dir, &d);
    ts_plan *plan;
    assert_int_equal(ts_plan_build(in, &plan), TS_OK);
    const char *big = "scale_up_threshold_pct: {from: 60, to: 100, step: 5}\n"
                      "scale_down_threshold_pct: {from: 10, to: 90, step: 10}\n"
                      "cooldown_s: [0, 60, 120]\n";
    ts_tune_result *t[2];
    ts_tune_space *sp[2];
    for (int k = 0; k < 2; k++) {
        ts_tune_options o;
        memset(&o, 0, sizeof o);
        o.threads = k + 1;
        o.budget = 40; /* of 243 settings: 20 sampled, then a descent */
        o.seed = 5;
        run_tune(in, plan, big, &o, &sp[k], &t[k]);
    }
    const ts_tune_pool *a = &t[0]->pools[0], *b = &t[1]->pools[0];
    assert_false(a->exhaustive);
    assert_true(a->n <= 40);
    assert_true(a->n > 20); /* the descent ran */
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->winner, b->winner);
    for (size_t i = 0; i < a->n; i++) {
        assert_memory_equal(a->cand[i].at, b->cand[i].at, 3 * sizeof *a->cand[i].at);
        assert_memory_equal(&a->cand[i].kpis, &b->cand[i].kpis, sizeof a->cand[i].kpis);
    }
    /* a sampled search promises a local optimum: no setting one step away
     * on one axis that it evaluated is better, and the winner is at least
     * as cheap as every setting evaluated */
    const ts_tune_candidate *w = &a->cand[a->winner];
    for (size_t i = 0; i < a->n; i++)
        if (a->cand[i].feasible == 1)
            assert_true(w->objective <= a->cand[i].objective);
    assert_true(w->objective <= a->current_result.objective);
    for (int k = 0; k < 2; k++) {
        ts_tune_result_free(t[k]);
        ts_tune_space_free(sp[k]);
    }
    ts_plan_free(plan);
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

static void test_service_level_unmet(void **state)
{
    (void)state;
    /* demand triples after the first hour (2 replicas at 50 %, then 150 %)
     * and a replica needs 5 minutes: the scale-up at t = 3600 is ready at
     * 3900, so every setting has the 5 violation-minutes of steps 60-64 and
     * none meets a level of 0; the closest is one with the fewest */
    char *dir = tu_tmpdir();
    tu_write(dir, "operator/public_tap.yaml",
             "autoscaling:\n  target_utilization_pct: 75\n  peak_factor: 1\n  min_instances_per_model: 1\n"
             "  max_instances_per_model: 10\n  warmup_s: 300\n  stabilization_window_s: 0\n");
    tu_write(dir, "operator/demand.yaml", "series: [s.csv]\n");
    tu_write(dir, "operator/s.csv",
             "timestamp,model,demand_tokens_per_hour\n2025-01-01T00:00:00Z,m1,3600\n2025-01-01T01:00:00Z,m1,10800\n"
             "2025-01-01T02:00:00Z,m1,10800\n");
    tu_write(dir, "facts/tps_model_gpu.csv",
             "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\nm1,L4,1,1,aggregate\n");
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in;
    assert_int_equal(tu_load(dir, &in, &d), TS_OK);
    ts_plan *plan;
    assert_int_equal(ts_plan_build(in, &plan), TS_OK);
    ts_tune_options o;
    memset(&o, 0, sizeof o);
    ts_tune_space *sp;
    ts_tune_result *t;
    run_tune(in, plan, "scale_up_step_replicas: [1, 2, 4]\ncooldown_s: [0, 120]\n", &o, &sp, &t);
    const ts_tune_pool *tp = &t->pools[0];
    assert_int_equal(tp->winner, -1);
    assert_true(tp->closest >= 0);
    for (size_t i = 0; i < tp->n; i++)
        assert_true(tp->cand[i].kpis.violation_minutes >= tp->cand[tp->closest].kpis.violation_minutes);
    /* with a level of 5 minutes some setting meets it */
    ts_tune_result_free(t);
    ts_tune_space_free(sp);
    o.max_violation_minutes = 5;
    run_tune(in, plan, "scale_up_step_replicas: [1, 2, 4]\ncooldown_s: [0, 120]\n", &o, &sp, &t);
    assert_true(t->pools[0].winner >= 0);
    /* no price: the objective is GPU-hours */
    assert_true(t->pools[0].cand[t->pools[0].winner].objective == t->pools[0].cand[t->pools[0].winner].kpis.gpu_hours);
    ts_tune_result_free(t);
    ts_tune_space_free(sp);
    ts_plan_free(plan);
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

static void test_space_files(void **state)
{
    (void)state;
    ts_policy p;
    ts_policy_defaults(&p);
    ts_diags d;
    ts_diags_init(&d);
    ts_tune_space *sp = NULL;
    const char *ok = "cooldown_s: {from: 0, to: 300, step: 150}\nhpa.tolerance: [0.05, 0.1]\n";
    assert_int_equal(ts_tune_space_read(p.type, "s.yaml", ok, strlen(ok), &sp, &d), TS_OK);
    assert_int_equal(sp->n, 2);
    assert_int_equal(sp->axes[0].n, 3);
    assert_string_equal(sp->axes[0].values[2], "300");
    assert_int_equal(ts_tune_space_size(sp), 6);
    ts_tune_space_free(sp);
    /* every value checked as in public_tap.yaml, at its place in the file */
    const char *bad = "cooldown_s: [0, -60]\ncooldwn_s: [1]\nscale_up_threshold_pct: {from: 90, to: 60, step: 5}\n";
    assert_int_equal(ts_tune_space_read(p.type, "s.yaml", bad, strlen(bad), &sp, &d), TS_EINPUT);
    assert_null(sp);
    assert_true(tu_has_diag(&d, "s.yaml:1:13: autoscaling.cooldown_s is -60 (expected an integer number of seconds from 0 to 3153600000)"));
    assert_true(tu_has_diag(&d, "s.yaml:2:12: unknown key autoscaling.cooldwn_s (did you mean autoscaling.cooldown_s? expected one of: target_utilization_pct, peak_factor, min_instances_per_model, max_instances_per_model, evaluation_interval_s, scale_up_threshold_pct, scale_down_threshold_pct, scale_up_step_replicas, scale_down_step_replicas, stabilization_window_s, warmup_s, cooldown_s, warmup_p95_factor, weights_load_gb_per_s, container_start_s, capacity_peak_percentile, policy, hpa, kpa, predictive, schedule)"));
    assert_true(tu_has_diag(&d, "s.yaml:3:25: scale_up_threshold_pct is not a range of at most 1000 steps (expected from <= to and a step above 0)"));
    ts_diags_free(&d);
    /* the defaults of each policy */
    static const struct {
        const char *policy;
        size_t size;
    } defaults[] = {{"threshold", 576}, {"hpa", 300}, {"kpa", 135}, {"predictive", 216}};
    ts_diags_init(&d);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ts_tune_space_default(ts_policy_type_find(defaults[i].policy), &sp, &d), TS_OK);
        assert_int_equal(ts_tune_space_size(sp), defaults[i].size);
        ts_tune_space_free(sp);
    }
    assert_int_equal(d.n, 0);
    ts_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimum_by_hand),
        cmocka_unit_test(test_threads_and_budget),
        cmocka_unit_test(test_service_level_unmet),
        cmocka_unit_test(test_space_files),
    };
    return cmocka_run_group_tests_name("tune", tests, NULL, NULL);
}
