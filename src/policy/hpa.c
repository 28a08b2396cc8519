/*
 * hpa.c — the hpa policy: Kubernetes' HorizontalPodAutoscaler
 * (autoscaling/v2) on a Pods metric, with KEDA-style scale to zero; its
 * settings table and how a pool looks to the controller. The decisions are
 * hpa_controller.c's, unchanged.
 *
 * Every sync_period_s (default 15 s) the pool is the scale target;
 * spec.replicas = status.replicas = the provisioned replicas N. Ready
 * replicas are Running, Ready pods; warming replicas are Running pods that
 * are not Ready yet and report no metric (so upstream's missing-pod rule
 * applies: they count as 0 on a scale-up and as the target on a
 * scale-down). The metric is a Pods metric: each ready pod reports the
 * demand it serves, d/R tokens/hour, against a target AverageValue of
 * tph * target_utilization_pct/100 (both as Kubernetes milli-quantities,
 * rounded up as Quantity.MilliValue does). With min_instances_per_model 0
 * the HPA runs with minReplicas 1 and a KEDA-style layer scales 0 -> 1 as
 * soon as there is demand and 1+ -> 0 after keda_cooldown_s without demand.
 */
#include "policy/hpa.h"
#include "policy/reactive_room.h"
#include "policy/registry.h"
#include "sim/kernel.h"
#include "util/keys.h"
#include "util/limits.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- settings */

static const char *const select_names[] = {"Max", "Min", "Disabled", NULL};
static const char *const policy_type_names[] = {"Pods", "Percent", NULL};

#define HP(f) offsetof(ts_hpa_policy, f)
static const ts_key policy_keys[] = {
    {.name = "type", .type = TS_KEY_ENUM, .offset = HP(type), .required = 1, .names = policy_type_names,
     .doc = "Pods: a number of pods; Percent: a share of the current count"},
    {.name = "value", .type = TS_KEY_INT32, .offset = HP(value), .required = 1, TS_FROM_TO(1, 1e6),
     .doc = "how many pods, or which percent, per period"},
    {.name = "period_s", .type = TS_KEY_INT32, .offset = HP(period_s), .required = 1, TS_FROM_TO(1, 1800),
     .noun = TS_NOUN_INT_SECONDS, .doc = "the period the value applies over"},
};
#undef HP

#define RU(f) offsetof(ts_hpa_rules, f)
static const ts_key rules_keys[] = {
    {.name = "stabilization_window_s", .type = TS_KEY_INT32, .offset = RU(stabilization_window_s),
     .present = TS_PRESENT(RU(has_window)), TS_FROM_TO(0, 3600), .noun = TS_NOUN_INT_SECONDS,
     .doc = "recommendations of this window are stabilized (up: 0, down: downscale_stabilization_s)"},
    {.name = "select_policy", .type = TS_KEY_ENUM, .offset = RU(select), .names = select_names,
     .doc = "which policy's limit applies"},
    {.name = "tolerance", .type = TS_KEY_NUM, .offset = RU(tolerance), .present = TS_PRESENT(RU(has_tolerance)),
     TS_FROM_BELOW(0, 1), .noun = "a fraction", .doc = "this direction's tolerance (absent: the controller's)"},
    {.name = "policies", .type = TS_KEY_LIST, .offset = RU(policy), .present = TS_PRESENT(RU(has_policies)),
     .sub = policy_keys, .n_sub = sizeof policy_keys / sizeof policy_keys[0], .elem_size = sizeof(ts_hpa_policy),
     .max_elems = TS_HPA_MAX_POLICIES, .count_offset = RU(n_policies),
     .expect = "a list of {type, value, period_s}",
     .doc = "rate limits (up: Pods 4 / 15 s and Percent 100 / 15 s; down: Percent 100 / 15 s)"},
};
#undef RU

static const ts_key behavior_keys[] = {
    {.name = "scale_up", .type = TS_KEY_SECTION, .offset = offsetof(ts_hpa_config, behavior.scale_up) -
                                                            offsetof(ts_hpa_config, behavior),
     .sub = rules_keys, .n_sub = sizeof rules_keys / sizeof rules_keys[0], .doc = "rules of scaling up"},
    {.name = "scale_down", .type = TS_KEY_SECTION, .offset = offsetof(ts_hpa_config, behavior.scale_down) -
                                                              offsetof(ts_hpa_config, behavior),
     .sub = rules_keys, .n_sub = sizeof rules_keys / sizeof rules_keys[0], .doc = "rules of scaling down"},
};

/* Absent fields of behavior take the API's defaults of their direction
 * (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules). */
static void hpa_finish(void *obj)
{
    ts_hpa_config *c = obj;
    ts_hpa_rules def;
    ts_hpa_rules *up = &c->behavior.scale_up, *down = &c->behavior.scale_down;
    ts_hpa_default_up(&def);
    if (!up->has_window)
        up->stabilization_window_s = def.stabilization_window_s;
    if (!up->has_policies) {
        memcpy(up->policy, def.policy, sizeof def.policy);
        up->n_policies = def.n_policies;
    }
    ts_hpa_default_down(&def, (int32_t)c->downscale_stabilization_s);
    if (!down->has_window)
        down->stabilization_window_s = def.stabilization_window_s;
    if (!down->has_policies) {
        memcpy(down->policy, def.policy, sizeof def.policy);
        down->n_policies = def.n_policies;
    }
}

/* The histories cover the longest window or policy period. */
static int hpa_check(const void *obj, const char *section, char *msg, size_t size)
{
    const ts_hpa_config *c = obj;
    int64_t longest = c->downscale_stabilization_s;
    const ts_hpa_rules *dirs[] = {&c->behavior.scale_up, &c->behavior.scale_down};
    for (int i = 0; i < 2; i++) {
        if (dirs[i]->stabilization_window_s > longest)
            longest = dirs[i]->stabilization_window_s;
        for (int j = 0; j < dirs[i]->n_policies; j++)
            if (dirs[i]->policy[j].period_s > longest)
                longest = dirs[i]->policy[j].period_s;
    }
    if (longest / c->sync_period_s <= TS_MAX_PERIODS_PER_WINDOW)
        return 0;
    snprintf(msg, size,
             "%s: a window of %lld s spans more than %d sync periods (expected a longer sync_period_s or shorter windows)",
             section, (long long)longest, TS_MAX_PERIODS_PER_WINDOW);
    return 1;
}

static const char *const vllm_names[] = {"vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
                                         "vllm:gpu_cache_usage_perc", NULL};
#define VM(f) offsetof(ts_hpa_vllm, f)
static const ts_key vllm_keys[] = {
    {.name = "name", .type = TS_KEY_ENUM, .offset = VM(name), .required = 1, .names = vllm_names,
     .doc = "requests waiting per pod, or the KV cache's used fraction (gpu_cache_usage_perc: its former name)"},
    {.name = "target", .type = TS_KEY_NUM, .offset = VM(target), .required = 1, .def = 1, TS_ABOVE_TO(0, 1e6),
     .doc = "the average per pod to hold (waiting requests; a KV fraction from 0 to 1)"},
    {.name = "tokens_per_request", .type = TS_KEY_NUM, .offset = VM(tokens_per_request), .def = 256,
     TS_ABOVE_TO(0, 1e7), .doc = "output tokens of a request: waiting tokens / this = waiting requests"},
};
#undef VM

#define H(f) offsetof(ts_hpa_config, f)
static const ts_key hpa_keys[] = {
    {.name = "sync_period_s", .type = TS_KEY_INT, .offset = H(sync_period_s), TS_FROM_TO(1, 3600), .def = 15,
     .noun = TS_NOUN_INT_SECONDS, .doc = "the controller's sync period, the simulation step"},
    {.name = "tolerance", .type = TS_KEY_NUM, .offset = H(tolerance), TS_FROM_BELOW(0, 1), .def = 0.1,
     .noun = "a fraction", .doc = "the usage-ratio band both ways (`--horizontal-pod-autoscaler-tolerance`)"},
    {.name = "downscale_stabilization_s", .type = TS_KEY_INT, .offset = H(downscale_stabilization_s),
     TS_FROM_TO(0, 86400), .def = 300, .noun = TS_NOUN_INT_SECONDS,
     .doc = "the controller's downscale stabilization window; also the default scale-down window of `behavior`"},
    {.name = "scale_up_limit_factor", .type = TS_KEY_NUM, .offset = H(scale_up_limit_factor), TS_FROM_TO(1, 1000),
     .def = 2, .doc = "without `behavior`: a scale-up goes to at most max(factor × current, minimum)"},
    {.name = "scale_up_limit_minimum", .type = TS_KEY_NUM, .offset = H(scale_up_limit_minimum), TS_FROM_TO(1, 1e6),
     .def = 4, .doc = "without `behavior`: see scale_up_limit_factor"},
    {.name = "keda_cooldown_s", .type = TS_KEY_INT, .offset = H(keda_cooldown_s), TS_FROM_TO(0, 86400), .def = 300,
     .noun = TS_NOUN_INT_SECONDS, .doc = "with min 0: zero demand this long scales to 0"},
    {.name = "behavior", .type = TS_KEY_SECTION, .offset = H(behavior), .present = TS_PRESENT(H(has_behavior)),
     .sub = behavior_keys, .n_sub = sizeof behavior_keys / sizeof behavior_keys[0],
     .doc = "scale_up: and scale_down: rules; absent fields take the API defaults; no `behavior`: the legacy path"},
    {.name = "metric", .type = TS_KEY_SECTION, .offset = H(metric), .present = TS_PRESENT(H(has_metric)),
     .sub = vllm_keys, .n_sub = sizeof vllm_keys / sizeof vllm_keys[0],
     .doc = "a vLLM metric to scale on instead of the token rate: {name, target, tokens_per_request}"},
};
#undef H

const ts_hpa_config *ts_hpa_settings(const ts_policy *p)
{
    return ts_policy_settings_get(p, &ts_policy_hpa);
}

ts_hpa_config *ts_hpa_settings_mut(ts_policy *p)
{
    return ts_policy_settings_of(p, &ts_policy_hpa);
}

/* ------------------------------------------------------------- the pool */

static const char POD_READY_NAME[] = "ready";
static const char POD_WARMING_NAME[] = "warming";

typedef struct hpa_state {
    ts_hpa_spec spec;
    ts_hpa_metric metric;
    ts_hpa_controller ctl;
    ts_hpa_tolerances tol;     /* the spec's, for the pool's proposal */
    ts_hpa_memory mem;
    ts_hpa_pod pods[2];
    ts_hpa_named_metric value;
    int64_t target_milli;
    int has_active;
    double last_active;
    /* the last metrics proposal and what it was computed from */
    int cached;
    int64_t cache_r, cache_n;
    double cache_d;
    int cache_have;
    int32_t cache_proposal;
    ts_hpa_rec recs[TS_HPA_HISTORY];
    ts_hpa_event up[TS_HPA_HISTORY];
    ts_hpa_event down[TS_HPA_HISTORY];
} hpa_state;

/* The predictive policy runs the HPA inside its own state. */
_Static_assert(sizeof(hpa_state) <= TS_PREDICTIVE_REACTIVE_BYTES, "raise TS_PREDICTIVE_REACTIVE_BYTES");

static int64_t hpa_interval(const ts_policy *p)
{
    return ts_hpa_settings(p)->sync_period_s;
}

/* Quantity.MilliValue: rounded up */
static int64_t milli(double v)
{
    double m = ceil(v * 1000.0);
    return m > 9.2e18 ? INT64_MAX : (int64_t)m;
}

static void hpa_init(void *state, const ts_policy *p, double tph)
{
    hpa_state *s = state;
    const ts_hpa_config *c = ts_hpa_settings(p);
    memset(s, 0, offsetof(hpa_state, recs));
    s->target_milli = c->has_metric ? milli(c->metric.target) : milli(tph * p->target_utilization_pct / 100.0);
    s->metric.type = TS_HPA_METRIC_PODS;
    s->metric.target_milli = s->target_milli;
    s->metric.pod_values = &s->value;
    s->value.name = POD_READY_NAME;
    s->spec.min_replicas = (int32_t)(p->min_instances > 0 ? p->min_instances : 1);
    s->spec.max_replicas = (int32_t)p->max_instances;
    s->spec.metrics = &s->metric;
    s->spec.n_metrics = 1;
    s->spec.has_behavior = c->has_behavior;
    s->spec.up = c->behavior.scale_up;
    s->spec.down = c->behavior.scale_down;
    s->ctl.downscale_stabilization_s = (double)c->downscale_stabilization_s;
    s->ctl.tolerance = c->tolerance;
    s->ctl.cpu_initialization_period_s = 300;  /* CPU only: unused by a Pods metric */
    s->ctl.initial_readiness_delay_s = 30;
    s->ctl.scale_up_limit_factor = c->scale_up_limit_factor;
    s->ctl.scale_up_limit_minimum = c->scale_up_limit_minimum;
    s->tol = ts_hpa_spec_tolerances(&s->spec, &s->ctl);
    s->mem.recs = (ts_hpa_recs){s->recs, 0, TS_HPA_HISTORY};
    s->mem.up = (ts_hpa_events){s->up, 0, TS_HPA_HISTORY};
    s->mem.down = (ts_hpa_events){s->down, 0, TS_HPA_HISTORY};
    s->pods[0] = (ts_hpa_pod){POD_READY_NAME, 0, TS_POD_RUNNING, 1, 1, 0, 0, 0};
    s->pods[1] = (ts_hpa_pod){POD_WARMING_NAME, 0, TS_POD_RUNNING, 0, 1, 0, 0, 0};
}

/* The metrics proposal at R ready of N provisioned replicas and demand:
 * returns 1 and sets *proposal, or 0 when the metrics give none. */
static inline int pool_proposal(hpa_state *s, int64_t R, int64_t N, double demand, double now, int32_t *proposal)
{
    const int64_t v = R > 0 ? milli(demand / (double)R) : 0;
    if (N > 0)
        /* the one Pods metric of a pool, without the general lookups */
        return ts_hpa_pods_pool_replicas((int32_t)N, s->target_milli, R, N - R, v, &s->tol, proposal) == TS_OK;
    s->pods[0].count = R;
    s->pods[1].count = N - R;
    s->value.milli = v;
    s->metric.n_pod_values = R > 0 ? 1 : 0;
    return ts_hpa_metrics_proposal(&s->spec, (int32_t)N, (int32_t)N, s->pods, 2, &s->ctl, now, proposal) == TS_OK;
}

int ts_hpa_pool_proposal(void *state, int64_t R, int64_t N, double demand, double now, int32_t *proposal)
{
    hpa_state *s = state;
    /* a Pods metric's proposal depends on the pods and their values only:
     * unchanged ready/provisioned counts and demand give the same one */
    if (!s->cached || s->cache_r != R || s->cache_n != N || s->cache_d != demand) {
        s->cache_have = pool_proposal(s, R, N, demand, now, &s->cache_proposal);
        s->cached = 1;
        s->cache_r = R;
        s->cache_n = N;
        s->cache_d = demand;
    }
    if (proposal)
        *proposal = s->cache_proposal;
    return s->cache_have;
}

void ts_hpa_pool_events(void *state, ts_hpa_events **up, ts_hpa_events **down)
{
    hpa_state *s = state;
    *up = &s->mem.up;
    *down = &s->mem.down;
}

void ts_hpa_pool_proposals(void *state, int64_t R, int64_t N, const double *demand, size_t n, double now,
                           int32_t *proposal, unsigned char *have)
{
    hpa_state *s = state;
    for (size_t i = 0; i < n; i++)
        have[i] = (unsigned char)pool_proposal(s, R, N, demand[i], now, &proposal[i]);
}

/* The pool's total of the metric the HPA scales on, whose average over R
 * ready pods it holds to the target: the token rate; or, on a vLLM
 * metric, the fluid queue's waiting tokens as requests, or R times the KV
 * cache's used fraction: with a latency profile, its running requests by
 * Little's law (ts_latency_kv_used); without, the share of its full
 * throughput it serves; full while tokens wait. */
static double metric_total(const ts_hpa_config *c, const ts_obs *o)
{
    if (!c->has_metric)
        return o->demand;
    if (c->metric.name == TS_VLLM_WAITING)
        return o->backlog_tokens / c->metric.tokens_per_request;
    if (o->backlog_tokens > 0)
        return (double)o->ready; /* every cache full */
    if (!o->latency)
        return (o->util_defined ? (o->util < 1.0 ? o->util : 1.0) : 0.0) * (double)o->ready;
    double served = o->demand < o->capacity ? o->demand : o->capacity; /* tokens/hour */
    double x = o->ready > 0 ? served / 3600.0 / (double)o->ready : 0.0;
    return ts_latency_kv_used(o->latency, x) * (double)o->ready;
}

static void hpa_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    hpa_state *s = state;
    const int64_t N = o->provisioned, R = o->ready;
    out->replicas = N;
    out->util_defined = o->util_defined;
    out->util_pct = 100.0 * o->util;
    out->smoothed_defined = 0;
    out->smoothed_util_pct = 0;
    if (o->demand > 0) {
        s->has_active = 1;
        s->last_active = o->t_s;
    }
    if (p->min_instances == 0) {
        /* KEDA: activation from zero, deactivation after the cooldown */
        if (N == 0) {
            if (o->demand > 0)
                out->replicas = 1;
            return;
        }
        if (o->demand == 0 &&
            (!s->has_active || o->t_s - s->last_active >= (double)ts_hpa_settings(p)->keda_cooldown_s)) {
            out->replicas = 0;
            return;
        }
    }
    ts_hpa_pool_proposal(s, R, N, metric_total(ts_hpa_settings(p), o), o->t_s, NULL);
    int within_bounds = N >= s->spec.min_replicas && N <= s->spec.max_replicas;
    int32_t desired;
    int rescale;
    if (ts_hpa_reconcile_with(&s->spec, (int32_t)N, within_bounds && s->cache_have, s->cache_proposal, &s->ctl,
                              &s->mem, o->t_s, &desired, &rescale) != TS_OK)
        return; /* a full history (excluded by the input bounds) holds */
    out->replicas = desired;
}

/* Whether a recommendation made at t no longer counts at now: older than
 * the window (legacy) or than both windows (behavior), as the controller's
 * stabilization tells them apart. */
static int rec_old(const hpa_state *s, double t, double now)
{
    if (!s->spec.has_behavior)
        return t < now - (double)(int32_t)s->ctl.downscale_stabilization_s;
    return t < now - (double)s->spec.up.stabilization_window_s &&
           t < now - (double)s->spec.down.stabilization_window_s;
}

/* The HPA holds through repeated observations once its step is a fixed
 * point: the same cached proposal v, every recommendation that still
 * counts is v (so the stabilized one is v at every later sync too), at
 * least one does not count any more (so each sync replaces one and the
 * history keeps its length), and with behavior v is N itself (a hold by a
 * rate limit would end when the limit's events age out). Then m syncs
 * later the history is the same but for the time of its counting
 * entries, all v: they move by m·dt, which keeps the latest at the last
 * sync, and that is all a maximum or minimum over them can see. With
 * min_instances 0 a pool at 0 without demand holds as it is; zero demand
 * on a running pool runs KEDA's clock: not held. */
static int64_t hpa_hold(void *state, const ts_policy *p, const ts_obs *o, int64_t dt, int64_t max_steps)
{
    if (ts_hpa_settings(p)->has_metric)
        return 0; /* the queue moves under a held demand */
    hpa_state *s = state;
    const int64_t N = o->provisioned, R = o->ready;
    if (p->min_instances == 0 && (N == 0 || o->demand == 0))
        return N == 0 && o->demand == 0 ? max_steps : 0;
    if (!s->cached || s->cache_r != R || s->cache_n != N || s->cache_d != o->demand)
        return 0;
    if (N < s->spec.min_replicas || N > s->spec.max_replicas)
        return 0;
    const double now = o->t_s, shift = (double)(max_steps * dt);
    ts_hpa_recs *recs = &s->mem.recs;
    if (s->cache_have) { /* without a proposal nothing is recorded */
        const int32_t v = s->cache_proposal > 0 ? s->cache_proposal : 0;
        if (s->spec.has_behavior && v != N)
            return 0;
        int any_old = 0;
        for (size_t i = 0; i < recs->n; i++) {
            if (rec_old(s, recs->items[i].t, now))
                any_old = 1;
            else if (recs->items[i].replicas != v)
                return 0;
        }
        if (!any_old)
            return 0;
        for (size_t i = 0; i < recs->n; i++)
            if (!rec_old(s, recs->items[i].t, now))
                recs->items[i].t += shift;
    }
    if (o->demand > 0)
        s->last_active = now + shift; /* each sync with demand marks it */
    return max_steps;
}

/* The settings section, with its derived defaults and its check. */
static const ts_key hpa_section[] = {
    {.name = "hpa", .type = TS_KEY_SECTION, .sub = hpa_keys, .n_sub = sizeof hpa_keys / sizeof hpa_keys[0],
     .finish = hpa_finish, .check = hpa_check, .doc = "the HPA's settings"},
};

static const ts_tune_grid_axis hpa_grid[] = {
    {"target_utilization_pct", {"50", "60", "70", "80", "90"}},
    {"hpa.tolerance", {"0", "0.05", "0.1", "0.2"}},
    {"hpa.downscale_stabilization_s", {"0", "60", "120", "300", "600"}},
    {"hpa.scale_up_limit_factor", {"2", "4", "8"}},
};

/* The grid of settings an autoscaling/v2 object carries: its behavior (the
 * scale-down window; scale-up rates of the API's default, 4x and 8x the
 * count per 15 s, as the legacy factors 2, 4, 8), the tolerance (a
 * controller flag, and behavior's per-direction field). */
static const ts_tune_grid_axis hpa_deploy_grid[] = {
    {"target_utilization_pct", {"50", "60", "70", "80", "90"}},
    {"hpa.tolerance", {"0", "0.05", "0.1", "0.2"}},
    {"hpa.behavior.scale_down.stabilization_window_s", {"0", "60", "120", "300", "600"}},
    {"hpa.behavior.scale_up.policies",
     {"[{type: Pods, value: 4, period_s: 15}, {type: Percent, value: 100, period_s: 15}]",
      "[{type: Pods, value: 4, period_s: 15}, {type: Percent, value: 300, period_s: 15}]",
      "[{type: Pods, value: 4, period_s: 15}, {type: Percent, value: 700, period_s: 15}]"}},
};

const ts_policy_type ts_policy_hpa = {
    .name = "hpa",
    .summary = "Kubernetes' HorizontalPodAutoscaler (autoscaling/v2), with KEDA-style scale to zero",
    .settings = hpa_section,
    .n_settings = 1,
    .settings_size = sizeof(ts_hpa_config),
    .state_size = sizeof(hpa_state),
    .interval_s = hpa_interval,
    .init = hpa_init,
    .step = hpa_step,
    .kernel = ts_hpa_kernel,
    .hold = hpa_hold,
    .tune_grid = hpa_grid,
    .n_tune_grid = sizeof hpa_grid / sizeof hpa_grid[0],
    .deploy_grid = hpa_deploy_grid,
    .n_deploy_grid = sizeof hpa_deploy_grid / sizeof hpa_deploy_grid[0],
};
