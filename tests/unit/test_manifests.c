/*
 * test_manifests.c — autoscaler manifests as policy input: a
 * HorizontalPodAutoscaler, a KEDA ScaledObject and a Knative Service with
 * the config-autoscaler ConfigMap (tests/fixtures/manifests/) each give
 * exactly the simulation of the equivalent native settings; what they
 * cannot express is said in warnings; invalid manifests are errors at
 * their place.
 */
#include "testutil.h"
#include "policy/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MANIFESTS_DIR
#define MANIFESTS_DIR "tests/fixtures/manifests"
#endif

static const char *const base =
    "autoscaling:\n  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: 1\n"
    "  max_instances_per_model: 20\n  warmup_s: 120\n";

/* An inputs folder: one model served by the workload llama-8b (its default
 * name), bursty minute demand over two hours. */
static char *make_inputs(const char *policy_text)
{
    char *dir = tu_tmpdir();
    tu_write(dir, "operator/public_tap.yaml", policy_text);
    tu_write(dir, "operator/demand.yaml", "series: [s.csv]\n");
    char *csv = malloc(200000);
    size_t at = (size_t)sprintf(csv, "timestamp,model,demand_tokens_per_hour\n");
    for (int m = 0; m < 120; m++) {
        double rate = 3600.0 * (m % 30 < 5 ? 9 : m % 7 == 0 ? 0 : 3 + m % 4);
        at += (size_t)sprintf(csv + at, "2025-01-01T%02d:%02d:00Z,meta/Llama-8B,%g\n", m / 60, m % 60, rate);
    }
    tu_write(dir, "operator/s.csv", csv);
    free(csv);
    tu_write(dir, "facts/tps_model_gpu.csv", "model_id,gpu,gpu_count,throughput_tokens_per_sec,measurement_type\n"
                                             "meta/Llama-8B,L4,1,1,aggregate\n");
    return dir;
}

/* The inputs of dir with one manifest file, loaded cleanly (the test
 * fails with the diagnostics otherwise); the caller frees them and d. */
static ts_inputs *load_ok(const char *dir, const char *manifest, ts_diags *d)
{
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    const char *list[] = {manifest};
    o.manifests = list;
    o.n_manifests = 1;
    ts_diags_init(d);
    ts_inputs *in = NULL;
    if (ts_inputs_load(&o, &in, d) != TS_OK) {
        tu_dump(d);
        fail();
    }
    return in;
}

typedef struct run {
    ts_kpis kpis;
    ts_event ev[4096];
    size_t n;
    size_t warnings_metric; /* warnings about a metric that is not a token rate */
} run;

static void simulate(const char *policy_text, const char *manifest, run *r)
{
    char *dir = make_inputs(policy_text);
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    const char *list[] = {manifest};
    o.manifests = list;
    o.n_manifests = manifest ? 1 : 0;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in;
    if (ts_inputs_load(&o, &in, &d) != TS_OK) {
        tu_dump(&d);
        fail();
    }
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < in->warnings.n; i++)
        r->warnings_metric += strstr(in->warnings.items[i].msg, "is not a token rate") != NULL;
    ts_plan *plan;
    assert_int_equal(ts_plan_build(in, &plan), TS_OK);
    ts_sim_options so;
    memset(&so, 0, sizeof so);
    so.keep_events = 1;
    ts_sim_results *res;
    assert_int_equal(ts_simulate_plan(in, plan, &so, &res), TS_OK);
    r->kpis = res->pools[0].kpis;
    r->n = res->pools[0].n_events;
    assert_true(r->n <= 4096);
    memcpy(r->ev, res->pools[0].events, r->n * sizeof *r->ev);
    ts_sim_results_free(res);
    ts_plan_free(plan);
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

/* native: the autoscaling keys after the required ones; target, min and
 * max replace the base's. */
static void expect_same_warned(double target, int min, int max, const char *native, const char *manifest, int warned)
{
    run *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    char text[4096];
    snprintf(text, sizeof text,
             "autoscaling:\n  target_utilization_pct: %g\n  peak_factor: 1.2\n  min_instances_per_model: %d\n"
             "  max_instances_per_model: %d\n  warmup_s: 120\n%s",
             target, min, max, native);
    simulate(text, NULL, a);
    simulate(base, manifest, b);
    assert_true(a->kpis.scale_events > 2); /* the policy acted */
    assert_memory_equal(&a->kpis, &b->kpis, sizeof a->kpis);
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->ev, b->ev, a->n * sizeof *a->ev);
    assert_true(warned ? b->warnings_metric >= 1 : b->warnings_metric == 0);
    free(a);
    free(b);
}

/* The same, for a manifest whose metric is not one tapscale simulates
 * (said in a warning). */
static void expect_same(double target, int min, int max, const char *native, const char *manifest)
{
    expect_same_warned(target, min, max, native, manifest, 1);
}

static void test_hpa_equals_native(void **state)
{
    (void)state;
    /* its Pods metric vllm:num_requests_waiting with averageValue 5 is
     * simulated as written: the same as the metric in the native file,
     * without a warning */
    expect_same_warned(75, 2, 12, "  policy: hpa\n  hpa:\n    metric: {name: vllm:num_requests_waiting, target: 5}\n"
                       "    behavior:\n"
                       "      scale_up:\n        stabilization_window_s: 0\n        select_policy: Max\n"
                       "        policies: [{type: Pods, value: 2, period_s: 60}, {type: Percent, value: 50, period_s: 60}]\n"
                       "      scale_down:\n        stabilization_window_s: 120\n        select_policy: Min\n"
                       "        policies: [{type: Pods, value: 1, period_s: 30}]\n",
                       MANIFESTS_DIR "/hpa.yaml", 0);
}

static void test_keda_equals_native(void **state)
{
    (void)state;
    expect_same(75, 0, 10, "  policy: hpa\n  hpa:\n"
                "    keda_cooldown_s: 120\n    behavior:\n      scale_down:\n        stabilization_window_s: 60\n"
                "        policies: [{type: Percent, value: 50, period_s: 30}]\n",
                MANIFESTS_DIR "/keda.yaml");
}

static void test_knative_equals_native(void **state)
{
    (void)state;
    /* the annotation's window (90 s) over the ConfigMap's stable-window */
    expect_same(80, 1, 16, "  policy: kpa\n  kpa:\n    max_scale_up_rate: 100\n    max_scale_down_rate: 4\n"
                "    scale_to_zero_grace_s: 45\n    stable_window_s: 90\n    panic_threshold_pct: 300\n"
                "    panic_window_pct: 20\n    scale_down_delay_s: 60\n",
                MANIFESTS_DIR "/knative.yaml");
}

/* The camelCase annotation names Knative still reads (minScale, maxScale,
 * targetUtilizationPercentage, ...) give the simulation of the current
 * ones; a legacy name beside its current one is ignored, as Knative reads
 * the current one first, and named in a warning. */
static void test_knative_legacy_names(void **state)
{
    (void)state;
    expect_same(80, 1, 16, "  policy: kpa\n  kpa:\n    max_scale_up_rate: 100\n    max_scale_down_rate: 4\n"
                "    scale_to_zero_grace_s: 45\n    stable_window_s: 90\n    panic_threshold_pct: 300\n"
                "    panic_window_pct: 20\n    scale_down_delay_s: 60\n",
                MANIFESTS_DIR "/knative_legacy.yaml");
    char *dir = make_inputs(base);
    ts_diags d;
    ts_inputs *in = load_ok(dir, MANIFESTS_DIR "/knative_legacy.yaml", &d);
    char want[8192];
    snprintf(want, sizeof want,
             "%s:31:43: autoscaling.knative.dev/minScale is ignored: autoscaling.knative.dev/min-scale is given too, and "
             "Knative reads the current name first",
             MANIFESTS_DIR "/knative_legacy.yaml");
    if (!tu_has_diag(&in->warnings, want)) {
        tu_dump(&in->warnings);
        fail_msg("missing: %s", want);
    }
    for (size_t i = 0; i < in->warnings.n; i++)
        assert_null(strstr(in->warnings.items[i].msg, "maxScale is not used"));
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

/* Loads base inputs with one manifest text; returns the status. */
static ts_status load_manifest(const char *text, ts_diags *d, char **path_out)
{
    char *dir = make_inputs(base);
    tu_write(dir, "m.yaml", text);
    static char path[4096];
    snprintf(path, sizeof path, "%s/m.yaml", dir);
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    const char *list[] = {path};
    o.manifests = list;
    o.n_manifests = 1;
    ts_inputs *in = NULL;
    ts_status st = ts_inputs_load(&o, &in, d);
    ts_inputs_free(in);
    *path_out = dir;
    return st;
}

static void test_invalid_manifests(void **state)
{
    (void)state;
    ts_diags d;
    ts_diags_init(&d);
    char *dir;
    assert_int_equal(load_manifest("apiVersion: autoscaling/v9\nkind: HorizontalPodAutoscaler\nspec:\n"
                                   "  scaleTargetRef: {name: llama-8b}\n  maxReplicas: 3\n---\n"
                                   "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n"
                                   "  scaleTargetRef: {name: llama-8b}\n  minReplicas: 5\n  maxReplicas: 3\n"
                                   "  behavior:\n    scaleUp:\n      policies:\n"
                                   "        - {type: Pods, value: 1, periodSeconds: -5}\n---\n"
                                   "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n"
                                   "  scaleTargetRef: {name: qwen-7b}\n",
                                   &d, &dir),
                     TS_EINPUT);
    char want[8192];
    const char *const msgs[] = {
        "m.yaml:1:13: apiVersion of the HorizontalPodAutoscaler is autoscaling/v9 (expected autoscaling/v2 or autoscaling/v1)",
        "m.yaml:11:16: spec.minReplicas is 5, above maxReplicas 3 (expected min <= max)",
        "m.yaml:16:49: spec.behavior.scaleUp.policies[0].periodSeconds is -5 (expected an integer from 1 to 1800)",
        "m.yaml:18:1: the ScaledObject scales qwen-7b, the workload of no model (expected deployment: qwen-7b under a model of demand.yaml; the models' workloads: llama-8b)",
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        snprintf(want, sizeof want, "%s/%s", dir, msgs[i]);
        if (!tu_has_diag(&d, want)) {
            tu_dump(&d);
            fail_msg("missing: %s", want);
        }
    }
    tu_rmrf(dir);
    free(dir);
    ts_diags_free(&d);
}

static void test_unused_fields_named(void **state)
{
    (void)state;
    char *dir = make_inputs(base);
    char path[4096];
    snprintf(path, sizeof path, "%s/../m.yaml", dir);
    snprintf(path, sizeof path, "%s/m.yaml", dir);
    tu_write(dir, "m.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n"
                            "  scaleTargetRef: {name: llama-8b}\n  maxReplicas: 3\n  paused: true\n---\n"
                            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: llama-8b}\n");
    ts_load_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    const char *list[] = {path};
    o.manifests = list;
    o.n_manifests = 1;
    ts_diags d;
    ts_diags_init(&d);
    ts_inputs *in;
    assert_int_equal(ts_inputs_load(&o, &in, &d), TS_OK);
    char want[8192];
    snprintf(want, sizeof want, "%s:6:11: spec.paused is not used by tapscale (ignored)", path);
    assert_true(tu_has_diag(&in->warnings, want));
    snprintf(want, sizeof want, "%s:8:1: a Deployment is not an autoscaler (ignored)", path);
    assert_true(tu_has_diag(&in->warnings, want));
    assert_ptr_equal(in->demand[0].policy->type, ts_policy_type_find("hpa"));
    assert_int_equal(in->demand[0].policy->max_instances, 3);
    assert_int_equal(in->demand[0].policy->min_instances, 1); /* the API's default minReplicas */
    ts_inputs_free(in);
    /* a field or annotation a letter or two off is named with the one
     * meant; a Knative Service without a metric annotation is told that
     * its default metric, concurrency, is not what tapscale scales on */
    tu_write(dir, "m.yaml", "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n"
                            "  scaleTargetRef: {name: llama-8b}\n  maxReplicaCount: 5\n  coolDownPeriod: 30\n");
    assert_int_equal(ts_inputs_load(&o, &in, &d), TS_OK);
    snprintf(want, sizeof want, "%s:6:19: spec.coolDownPeriod is not used by tapscale (ignored; did you mean spec.cooldownPeriod?)", path);
    assert_true(tu_has_diag(&in->warnings, want));
    ts_inputs_free(in);
    tu_write(dir, "m.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: llama-8b}\nspec:\n"
                            "  template:\n    metadata:\n      annotations:\n"
                            "        autoscaling.knative.dev/max-scal: \"4\"\n");
    assert_int_equal(ts_inputs_load(&o, &in, &d), TS_OK);
    snprintf(want, sizeof want,
             "%s:8:43: autoscaling.knative.dev/max-scal is not used by tapscale (ignored; did you mean "
             "autoscaling.knative.dev/max-scale?)",
             path);
    assert_true(tu_has_diag(&in->warnings, want));
    snprintf(want, sizeof want,
             "%s:8:9: Knative's default metric, concurrency (no autoscaling.knative.dev/metric), is not a token rate: "
             "tapscale scales on each ready replica's tokens per hour against tph x target_utilization_pct instead",
             path);
    if (!tu_has_diag(&in->warnings, want)) {
        tu_dump(&in->warnings);
        fail_msg("missing: %s", want);
    }
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
}

/* A ScaledObject of cron triggers is the schedule policy: its windows,
 * read from start and end (the lead from start's minutes before the hour,
 * a window over midnight as two), simulate as the native settings do.
 * The demand starts Wednesday 2025-01-01 00:00 UTC, for two hours. */
static void test_keda_cron_is_a_schedule(void **state)
{
    (void)state;
    const char *manifest = MANIFESTS_DIR "/keda_cron.yaml";
    char *dir = make_inputs(base);
    ts_diags d;
    ts_inputs *in = load_ok(dir, manifest, &d);
    const ts_policy *p = in->demand[0].policy;
    assert_ptr_equal(p->type, ts_policy_type_find("schedule"));
    assert_int_equal(p->min_instances, 1);
    assert_int_equal(p->max_instances, 10);
    const ts_schedule_config *c = ts_policy_settings_get(p, p->type);
    assert_int_equal(c->lead_s, 600); /* 10 minutes before the hour */
    assert_int_equal(c->n_windows, 4);
    const int want[4][4] = {{TS_DAYS_WEEKDAYS, 0, 8, 4}, {TS_DAYS_DAILY, 1, 2, 6},
                            {TS_DAYS_SUN + 5, 22, 24, 3}, {TS_DAYS_SUN + 6, 0, 6, 3}};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(c->windows[k].days, want[k][0]);
        assert_int_equal(c->windows[k].from_hour, want[k][1]);
        assert_int_equal(c->windows[k].to_hour, want[k][2]);
        assert_int_equal(c->windows[k].replicas, want[k][3]);
    }
    for (size_t i = 0; i < in->warnings.n; i++)
        assert_null(strstr(in->warnings.items[i].msg, "is not a token rate"));
    ts_inputs_free(in);
    ts_diags_free(&d);
    tu_rmrf(dir);
    free(dir);
    run *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    simulate("autoscaling:\n  target_utilization_pct: 75\n  peak_factor: 1.2\n  min_instances_per_model: 1\n"
             "  max_instances_per_model: 10\n  warmup_s: 120\n  policy: schedule\n  schedule:\n    lead_s: 600\n"
             "    windows:\n      - {days: weekdays, from_hour: 0, to_hour: 8, replicas: 4}\n"
             "      - {days: daily, from_hour: 1, to_hour: 2, replicas: 6}\n"
             "      - {days: fri, from_hour: 22, to_hour: 24, replicas: 3}\n"
             "      - {days: sat, from_hour: 0, to_hour: 6, replicas: 3}\n",
             NULL, a);
    simulate(base, manifest, b);
    assert_memory_equal(&a->kpis, &b->kpis, sizeof a->kpis);
    /* Wednesday: the start formula's 12 (9 tokens/s on replicas of 1 at
     * 75 %) within max 10, the weekday window's 4 at the first step, 6
     * asked for at 00:50 for the window at 01:00, held to the end */
    assert_int_equal(a->n, 2);
    assert_int_equal(b->n, 2);
    assert_true(a->ev[0].t_s == 0.0);
    assert_int_equal(a->ev[0].replicas_prev, 10);
    assert_int_equal(a->ev[0].replicas_new, 4);
    assert_true(a->ev[1].t_s == 3000.0);
    assert_int_equal(a->ev[1].replicas_prev, 4);
    assert_int_equal(a->ev[1].replicas_new, 6);
    assert_int_equal(a->kpis.max_replicas, 10);
    free(a);
    free(b);
}

/* Cron triggers tapscale cannot hold are errors at their place. */
static void test_keda_cron_errors(void **state)
{
    (void)state;
    ts_diags d;
    ts_diags_init(&d);
    char *dir;
    assert_int_equal(load_manifest("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nspec:\n"
                                   "  scaleTargetRef: {name: llama-8b}\n  triggers:\n"
                                   "    - type: cron\n      metadata: {start: \"0 8 * *\", end: \"15 20 * * 1-5\", desiredReplicas: \"x\"}\n"
                                   "    - type: cron\n      metadata: {start: \"0 8 * * 1\", end: \"0 20 * * 3\", desiredReplicas: \"2\"}\n",
                                   &d, &dir),
                     TS_EINPUT);
    char want[8192];
    const char *const msgs[] = {
        "m.yaml:7:25: spec.triggers[0].metadata.start is 0 8 * * (expected a cron time \"M H * * DAYS\": minute 0-59, "
        "hour 0-23, any day of the month and month, days * or a list such as 1-5 or sat,sun)",
        "m.yaml:7:75: spec.triggers[0].metadata.desiredReplicas is x (expected an integer from 0 to 1000000000)",
        "m.yaml:7:41: spec.triggers[0].metadata.end is 15 20 * * 1-5 (expected a time on the hour: tapscale's windows "
        "close on the hour)",
        "m.yaml:8:7: spec.triggers[1].metadata: the window 0 8 * * 1 to 0 20 * * 3 does not close later on the day it "
        "opens or on the day after (expected start and end crons with the same days, or end's the day after start's)",
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        snprintf(want, sizeof want, "%s/%s", dir, msgs[i]);
        if (!tu_has_diag(&d, want)) {
            tu_dump(&d);
            fail_msg("missing: %s", want);
        }
    }
    tu_rmrf(dir);
    free(dir);
    ts_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hpa_equals_native),    cmocka_unit_test(test_keda_equals_native),
        cmocka_unit_test(test_knative_equals_native), cmocka_unit_test(test_invalid_manifests),
        cmocka_unit_test(test_unused_fields_named),   cmocka_unit_test(test_keda_cron_is_a_schedule),
        cmocka_unit_test(test_keda_cron_errors),      cmocka_unit_test(test_knative_legacy_names),
    };
    return cmocka_run_group_tests_name("manifests", tests, NULL, NULL);
}
