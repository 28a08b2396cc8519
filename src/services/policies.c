/*
 * policies.c — the HPA and KPA as simulator policies (ts_scaler_hpa,
 * ts_scaler_kpa): how a pool of replicas looks to each controller, per
 * step of the controller's own period. The decisions themselves are
 * hpa.c's and kpa.c's, unchanged.
 *
 * HPA (every sync_period_s, default 15 s): the pool is the scale target;
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
 *
 * KPA (every tick_s, default 2 s): the observed value is the pool's demand
 * (tokens/hour, Knative's "concurrency" of the whole revision) averaged over
 * the stable window and over the panic window (samples of the ticks in the
 * window, fewer at the start); the target per pod is tph *
 * target_utilization_pct/100; ready pods are the ready replicas. The
 * decision is clamped to [min, max] (min-scale/max-scale), and a decision
 * of 0 takes effect only after scale_to_zero_grace_s of zeros.
 */
#include "services/policies.h"
#include "services/hpa.h"
#include "services/kpa.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const char *ts_policy_kind_name(ts_policy_kind k)
{
    static const char *const names[] = {"threshold", "hpa", "kpa"};
    return (unsigned)k < 3 ? names[k] : "?";
}

const ts_scaler_type *ts_scaler_for(ts_policy_kind k)
{
    static const ts_scaler_type *const types[] = {&ts_scaler_threshold, &ts_scaler_hpa, &ts_scaler_kpa};
    return (unsigned)k < 3 ? types[k] : &ts_scaler_threshold;
}

/* ------------------------------------------------------------------- HPA */

static const char POD_READY_NAME[] = "ready";
static const char POD_WARMING_NAME[] = "warming";

typedef struct hpa_state {
    ts_hpa_spec spec;
    ts_hpa_metric metric;
    ts_hpa_controller ctl;
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

static int64_t hpa_interval(const ts_policy *p)
{
    return p->hpa.sync_period_s;
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
    memset(s, 0, offsetof(hpa_state, recs));
    s->target_milli = milli(tph * p->target_utilization_pct / 100.0);
    s->metric.type = TS_HPA_METRIC_PODS;
    s->metric.target_milli = s->target_milli;
    s->metric.pod_values = &s->value;
    s->value.name = POD_READY_NAME;
    s->spec.min_replicas = (int32_t)(p->min_instances > 0 ? p->min_instances : 1);
    s->spec.max_replicas = (int32_t)p->max_instances;
    s->spec.metrics = &s->metric;
    s->spec.n_metrics = 1;
    s->spec.has_behavior = p->hpa.has_behavior;
    s->spec.up = p->hpa.up;
    s->spec.down = p->hpa.down;
    s->ctl.downscale_stabilization_s = (double)p->hpa.downscale_stabilization_s;
    s->ctl.tolerance = p->hpa.tolerance;
    s->ctl.cpu_initialization_period_s = 300;  /* CPU only: unused by a Pods metric */
    s->ctl.initial_readiness_delay_s = 30;
    s->ctl.scale_up_limit_factor = p->hpa.scale_up_limit_factor;
    s->ctl.scale_up_limit_minimum = p->hpa.scale_up_limit_minimum;
    s->mem.recs = (ts_hpa_recs){s->recs, 0, TS_HPA_HISTORY};
    s->mem.up = (ts_hpa_events){s->up, 0, TS_HPA_HISTORY};
    s->mem.down = (ts_hpa_events){s->down, 0, TS_HPA_HISTORY};
    s->pods[0] = (ts_hpa_pod){POD_READY_NAME, 0, TS_POD_RUNNING, 1, 1, 0, 0, 0};
    s->pods[1] = (ts_hpa_pod){POD_WARMING_NAME, 0, TS_POD_RUNNING, 0, 1, 0, 0, 0};
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
        if (o->demand == 0 && (!s->has_active || o->t_s - s->last_active >= (double)p->hpa.keda_cooldown_s)) {
            out->replicas = 0;
            return;
        }
    }
    /* a Pods metric's proposal depends on the pods and their values only:
     * unchanged ready/provisioned counts and demand give the same one */
    if (!s->cached || s->cache_r != R || s->cache_n != N || s->cache_d != o->demand) {
        s->pods[0].count = R;
        s->pods[1].count = N - R;
        s->value.milli = R > 0 ? milli(o->demand / (double)R) : 0;
        s->metric.n_pod_values = R > 0 ? 1 : 0;
        s->cache_have = ts_hpa_metrics_proposal(&s->spec, (int32_t)N, (int32_t)N, s->pods, 2, &s->ctl, o->t_s,
                                                &s->cache_proposal) == 0;
        s->cached = 1;
        s->cache_r = R;
        s->cache_n = N;
        s->cache_d = o->demand;
    }
    int within_bounds = N >= s->spec.min_replicas && N <= s->spec.max_replicas;
    int32_t desired;
    int rescale;
    if (ts_hpa_reconcile_with(&s->spec, (int32_t)N, within_bounds && s->cache_have, s->cache_proposal, &s->ctl,
                              &s->mem, o->t_s, &desired, &rescale) != 0)
        return; /* a full history (excluded by the input bounds) holds */
    out->replicas = desired;
}

const ts_scaler_type ts_scaler_hpa = {
    "hpa",
    sizeof(hpa_state),
    hpa_interval,
    hpa_init,
    hpa_step,
};

/* ------------------------------------------------------------------- KPA */

typedef struct kpa_state {
    ts_kpa_spec spec;
    ts_kpa_state dec;
    int stable_n, panic_n;     /* window lengths in ticks */
    int head, filled;
    int run;                   /* trailing samples equal to the last one */
    int stable_cached, panic_cached;
    double stable_mean, panic_mean;
    int zero_pending;
    double zero_since;
    double sample[TS_KPA_HISTORY];
} kpa_state;

static int64_t kpa_interval(const ts_policy *p)
{
    return p->kpa.tick_s;
}

static void kpa_init(void *state, const ts_policy *p, double tph)
{
    kpa_state *s = state;
    memset(s, 0, sizeof *s);
    const ts_kpa_config *k = &p->kpa;
    s->spec.target = tph * p->target_utilization_pct / 100.0;
    s->spec.panic_threshold = k->panic_threshold_pct / 100.0;
    s->spec.max_scale_up_rate = k->max_scale_up_rate;
    s->spec.max_scale_down_rate = k->max_scale_down_rate;
    s->spec.stable_window_s = k->stable_window_s;
    s->spec.reachable = 1;
    s->spec.activation_scale = (int32_t)k->activation_scale;
    s->spec.scale_down_delay_s = k->scale_down_delay_s;
    s->stable_n = (int)ceil(k->stable_window_s / (double)k->tick_s);
    s->panic_n = (int)ceil(k->stable_window_s * k->panic_window_pct / 100.0 / (double)k->tick_s);
    if (s->stable_n < 1)
        s->stable_n = 1;
    if (s->panic_n < 1)
        s->panic_n = 1;
    /* created before the pool's endpoints exist, as for a new revision */
    ts_kpa_init(&s->dec, &s->spec, 0, 0.0);
}

/* The mean of the last n samples (fewer while the window fills), summed
 * newest first. While the window holds one value only, the sum and so the
 * mean are the same at every step: computed once and kept (*cached). */
static double window_mean(kpa_state *s, int n, int *cached, double *mean)
{
    int m = n < s->filled ? n : s->filled;
    if (m == n && s->run >= n && *cached)
        return *mean;
    double sum = 0.0;
    for (int i = 1; i <= m; i++)
        sum += s->sample[(s->head - i + TS_KPA_HISTORY) % TS_KPA_HISTORY];
    *mean = sum / (double)m;
    *cached = m == n && s->run >= n;
    return *mean;
}

static void kpa_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    kpa_state *s = state;
    const int64_t N = o->provisioned;
    out->replicas = N;
    out->util_defined = o->util_defined;
    out->util_pct = 100.0 * o->util;
    out->smoothed_defined = 0;
    out->smoothed_util_pct = 0;
    int same = s->filled > 0 && s->sample[(s->head - 1 + TS_KPA_HISTORY) % TS_KPA_HISTORY] == o->demand;
    s->run = same ? (s->run < TS_KPA_HISTORY ? s->run + 1 : s->run) : 1;
    if (!same)
        s->stable_cached = s->panic_cached = 0;
    s->sample[s->head] = o->demand;
    s->head = (s->head + 1) % TS_KPA_HISTORY;
    if (s->filled < TS_KPA_HISTORY)
        s->filled++;
    double stable = window_mean(s, s->stable_n, &s->stable_cached, &s->stable_mean);
    double panic = window_mean(s, s->panic_n, &s->panic_cached, &s->panic_mean);
    int64_t desired = ts_kpa_scale(&s->dec, &s->spec, (int32_t)o->ready, stable, panic, o->t_s);
    if (desired < p->min_instances)
        desired = p->min_instances;
    if (desired > p->max_instances)
        desired = p->max_instances;
    if (desired == 0 && N > 0) {
        if (!s->zero_pending) {
            s->zero_pending = 1;
            s->zero_since = o->t_s;
        }
        if (o->t_s - s->zero_since < p->kpa.scale_to_zero_grace_s)
            desired = N; /* within the grace period */
    } else {
        s->zero_pending = 0;
    }
    out->replicas = desired;
}

const ts_scaler_type ts_scaler_kpa = {
    "kpa",
    sizeof(kpa_state),
    kpa_interval,
    kpa_init,
    kpa_step,
};
