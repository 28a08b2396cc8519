/*
 * hpa_controller.h — the decision logic of the Kubernetes HorizontalPodAutoscaler
 * (autoscaling/v2), computed as the upstream controller computes it
 * (pkg/controller/podautoscaler: horizontal.go, replica_calculator.go):
 * the replica calculator for Resource, Pods, Object and External metrics
 * with the tolerance band and the missing/unready pod rules; the behavior
 * field (stabilization windows over stored recommendations, Pods/Percent
 * policies over the scale-event history, selectPolicy); the legacy path
 * without behavior; and one whole reconcile.
 *
 * Time is in seconds (double) on one clock; "now" is an argument. Windows
 * compare strictly, as Go's time.After/Before do: an item stamped t is
 * inside a window of W seconds iff t > now - W, older than W iff
 * t < now - W. Replica counts are int32 as upstream; the Go conversions
 * int32(float64) truncate toward zero, and so does C's.
 *
 * Everything here is pure: inputs in, results and updated histories out;
 * histories are caller-owned arrays with a fixed capacity.
 */
#ifndef TS_POLICY_HPA_CONTROLLER_H
#define TS_POLICY_HPA_CONTROLLER_H

#include "tapscale.h"
#include "util/intmath.h"

#include <stddef.h>
#include <stdint.h>

/* HPA behavior (autoscaling/v2 HPAScalingRules) of one direction. */
#define TS_HPA_MAX_POLICIES 8
typedef enum ts_hpa_policy_type { TS_HPA_PODS = 0, TS_HPA_PERCENT = 1 } ts_hpa_policy_type;
typedef enum ts_hpa_select { TS_HPA_SELECT_MAX = 0, TS_HPA_SELECT_MIN = 1, TS_HPA_SELECT_DISABLED = 2 } ts_hpa_select;

typedef struct ts_hpa_policy {
    ts_hpa_policy_type type;
    int32_t value;
    int32_t period_s;
} ts_hpa_policy;

typedef struct ts_hpa_rules {
    int32_t stabilization_window_s;
    int has_window;                 /* given, else the direction's default */
    ts_hpa_select select;
    ts_hpa_policy policy[TS_HPA_MAX_POLICIES];
    int n_policies;
    int has_policies;               /* given, else the direction's default */
    int has_tolerance;
    double tolerance;
} ts_hpa_rules;

/* The API defaults of a direction absent from spec.behavior: scale-up
 * {0 s, Max, Pods 4/15 s, Percent 100/15 s}; scale-down {window_s (the
 * controller's downscale stabilization flag), Max, Percent 100/15 s}. */
void ts_hpa_default_up(ts_hpa_rules *r);
void ts_hpa_default_down(ts_hpa_rules *r, int32_t window_s);

typedef struct ts_hpa_event {
    int32_t change;     /* positive */
    double t;
    int outdated;
} ts_hpa_event;

typedef struct ts_hpa_rec {
    int32_t replicas;
    double t;
} ts_hpa_rec;

/* A history: items[0..n-1] in slice order, at most cap. */
typedef struct ts_hpa_events {
    ts_hpa_event *items;
    size_t n, cap;
} ts_hpa_events;

typedef struct ts_hpa_recs {
    ts_hpa_rec *items;
    size_t n, cap;
} ts_hpa_recs;

/* Conditions of the ScalingLimited kind, as upstream names them. */
typedef enum ts_hpa_condition {
    TS_HPA_DESIRED_WITHIN_RANGE = 0,
    TS_HPA_SCALE_UP_LIMIT,
    TS_HPA_SCALE_DOWN_LIMIT,
    TS_HPA_TOO_MANY_REPLICAS,
    TS_HPA_TOO_FEW_REPLICAS
} ts_hpa_condition;
const char *ts_hpa_condition_name(ts_hpa_condition c);

/* getReplicasChangePerPeriod: sum of changes stamped inside the period. */
int32_t ts_hpa_changes_in_period(int32_t period_s, const ts_hpa_events *ev, double now);
/* calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
int32_t ts_hpa_scale_up_limit(int32_t current, const ts_hpa_events *up, const ts_hpa_events *down,
                              const ts_hpa_rules *rules, double now);
int32_t ts_hpa_scale_down_limit(int32_t current, const ts_hpa_events *up, const ts_hpa_events *down,
                                const ts_hpa_rules *rules, double now);
/* convertDesiredReplicasWithBehaviorRate. */
int32_t ts_hpa_behavior_rate(int32_t current, int32_t desired, int32_t min, int32_t max,
                             const ts_hpa_rules *up_rules, const ts_hpa_rules *down_rules,
                             const ts_hpa_events *up, const ts_hpa_events *down, double now,
                             ts_hpa_condition *cond);
/* stabilizeRecommendationWithBehaviors: sets *stabilized to the stabilized
 * count and records desired in recs (reusing the last slot older than both
 * windows). Returns TS_OK, or TS_ENOMEM when recs is full and no slot can be
 * reused (*stabilized unset). */
ts_status ts_hpa_stabilize_behavior(int32_t current, int32_t desired, int32_t up_window_s, int32_t down_window_s,
                                    ts_hpa_recs *recs, double now, int32_t *stabilized);
/* stabilizeRecommendationWithBehaviors' result: current, raised to the
 * scale-up window's smallest recommendation up_rec and then lowered to the
 * scale-down window's largest down_rec. */
static inline int32_t ts_hpa_behavior_stabilized(int32_t current, int32_t up_rec, int32_t down_rec)
{
    int32_t rec = current;
    if (rec < up_rec)
        rec = up_rec;
    if (rec > down_rec)
        rec = down_rec;
    return rec;
}
/* stabilizeRecommendation (no behavior): sets *stabilized to the max of
 * desired and the recommendations not older than the window; records
 * desired. Returns TS_OK, or TS_ENOMEM when recs is full. */
ts_status ts_hpa_stabilize_legacy(int32_t desired, int32_t window_s, ts_hpa_recs *recs, double now,
                                  int32_t *stabilized);
/* convertDesiredReplicasWithRules' upper bound from current (no
 * behavior): the scale-up limit, int32(math.Max(factor*current, minimum)),
 * or max when that is lower; *cond is the condition of a desired count
 * above it. */
static inline int32_t ts_hpa_legacy_allowed_max(int32_t current, int32_t max, double limit_factor,
                                                double limit_minimum, ts_hpa_condition *cond)
{
    double l = limit_factor * (double)current;
    int32_t scale_up_limit = ts_sat_i32(l > limit_minimum ? l : limit_minimum);
    if (max > scale_up_limit) {
        *cond = TS_HPA_SCALE_UP_LIMIT;
        return scale_up_limit;
    }
    *cond = TS_HPA_TOO_MANY_REPLICAS;
    return max;
}

/* convertDesiredReplicasWithRules (no behavior): desired within [min,
 * allowed_max], allowed_max and over (its condition) from
 * ts_hpa_legacy_allowed_max. Inline: the HPA's kernel applies it at every
 * sync with the bound of the current count. */
static inline int32_t ts_hpa_legacy_apply(int32_t desired, int32_t min, int32_t allowed_max, ts_hpa_condition over,
                                          ts_hpa_condition *cond)
{
    if (desired < min) {
        *cond = TS_HPA_TOO_FEW_REPLICAS;
        return min;
    }
    if (desired > allowed_max) {
        *cond = over;
        return allowed_max;
    }
    *cond = TS_HPA_DESIRED_WITHIN_RANGE;
    return desired;
}

/* convertDesiredReplicasWithRules (no behavior). */
static inline int32_t ts_hpa_legacy_rules(int32_t current, int32_t desired, int32_t min, int32_t max,
                                          double limit_factor, double limit_minimum, ts_hpa_condition *cond)
{
    ts_hpa_condition over;
    const int32_t allowed_max = ts_hpa_legacy_allowed_max(current, max, limit_factor, limit_minimum, &over);
    return ts_hpa_legacy_apply(desired, min, allowed_max, over, cond);
}

/* storeScaleEvent into the up (change > 0) or down list; rules NULL means
 * no behavior: nothing is stored. Returns TS_OK, or TS_ENOMEM when the list is
 * full. */
ts_status ts_hpa_store_event(const ts_hpa_rules *rules, ts_hpa_events *list, int32_t change, double now);

/* ------------------------------------------------------ replica calculator */

typedef enum ts_pod_phase { TS_POD_RUNNING = 0, TS_POD_PENDING, TS_POD_FAILED } ts_pod_phase;

/* A group of count identical pods as the replica calculator sees them (a
 * conformance case has one group per pod; the simulator one group for its
 * ready and one for its warming replicas). The Ready condition's transition
 * time is the start time; metrics are stamped now with a 60 s window. */
typedef struct ts_hpa_pod {
    const char *name;
    int64_t count;
    ts_pod_phase phase;
    int ready;
    int started_long_ago;   /* StartTime far in the past */
    double start_t;         /* else: StartTime */
    int deleting;
    int64_t request_milli;  /* per pod */
} ts_hpa_pod;

typedef struct ts_hpa_tolerances {
    double scale_down;
    double scale_up;
} ts_hpa_tolerances;

typedef struct ts_hpa_calc_params {
    ts_hpa_tolerances tol;
    double cpu_initialization_period_s;
    double initial_readiness_delay_s;
    double now;
} ts_hpa_calc_params;

/* A per-pod metric value: for the pod (group) of that name, per pod; a
 * name that matches no pod is a metric of a pod that does not exist (it is
 * counted once, as upstream's map entry would be). */
typedef struct ts_hpa_named_metric {
    const char *name;
    int64_t milli;
} ts_hpa_named_metric;

/* Status of a calculation: TS_OK, or TS_ERUNTIME where upstream returns an
 * error (no pods, no metrics for the targeted pods, ...). */
ts_status ts_hpa_resource_replicas(int32_t current, int32_t target_utilization, const ts_hpa_pod *pods, size_t n,
                             const ts_hpa_named_metric *values, size_t n_values, const ts_hpa_calc_params *cp,
                             int32_t *replicas, int32_t *utilization, int64_t *raw_average);
ts_status ts_hpa_pods_replicas(int32_t current, int64_t target_milli, const ts_hpa_pod *pods, size_t n,
                         const ts_hpa_named_metric *values, size_t n_values, const ts_hpa_calc_params *cp,
                         int32_t *replicas, int64_t *usage_milli);
/* Whether a usage ratio is within the tolerance band. */
static inline int ts_hpa_within(const ts_hpa_tolerances *t, double ratio)
{
    return (1.0 - t->scale_down) <= ratio && ratio <= (1.0 + t->scale_up);
}

/* ts_hpa_pods_replicas for the pods of one pool as the simulator shows
 * them: ready Running, Ready pods reporting value_milli each and missing
 * Running pods without a metric (none pending, deleted or failed, no
 * metric of other pods), at tolerances tol. The same result, with none of
 * the general calculation's lookups. The sums are taken
 * in 128 bits: exact for any int64 values and counts up to
 * TS_MAX_INSTANCES.
 * Returns TS_OK, or TS_ERUNTIME when no pod reports (ready == 0). */
/* The steps of ts_hpa_pods_replicas with the pool's two groups (inline:
 * the HPA's kernel computes many side by side): the
 * first ratio is value / target (the ready pods' sum over their count);
 * missing pods join at the target on a scale-down, at 0 on a scale-up. */
static inline ts_status ts_hpa_pods_pool_replicas(int32_t current, int64_t target_milli, int64_t ready, int64_t missing,
                                            int64_t value_milli, const ts_hpa_tolerances *tol, int32_t *replicas)
{
    if (ready == 0)
        return TS_ERUNTIME;
    /* the ready pods' sum over their count is value_milli: it fits */
    const double ratio = (double)value_milli / (double)target_milli;
    if (missing == 0) {
        *replicas = ts_hpa_within(tol, ratio) ? current : ts_sat_i32(ceil(ratio * (double)ready));
        return TS_OK;
    }
    const int fill = ratio != 1.0;
    const int64_t len = ready + (fill ? missing : 0);
    /* in 64 bits where the sums fit, else 128 (up to TS_MAX_INSTANCES pods
     * of values up to INT64_MAX): the same mean either way, and a 128-bit
     * division only where it is needed */
    const int64_t extra = fill && ratio < 1.0 ? target_milli : 0;
    int64_t a, b, t64;
    int64_t mean;
    if (!__builtin_mul_overflow(value_milli, ready, &a) && !__builtin_mul_overflow(extra, missing, &b) &&
        !__builtin_add_overflow(a, b, &t64))
        mean = t64 / len;
    else
        mean = (int64_t)(((__int128)value_milli * ready + (__int128)extra * missing) / len);
    const double new_ratio = (double)mean / (double)target_milli;
    if (ts_hpa_within(tol, new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)) {
        *replicas = current;
        return TS_OK;
    }
    int32_t nr = ts_sat_i32(ceil(new_ratio * (double)len));
    if ((new_ratio < 1.0 && nr > current) || (new_ratio > 1.0 && nr < current))
        nr = current;
    *replicas = nr;
    return TS_OK;
}

ts_status ts_hpa_object_replicas(int32_t current, int64_t target_milli, int64_t value_milli, const ts_hpa_pod *pods,
                           size_t n, const ts_hpa_calc_params *cp, int32_t *replicas);
ts_status ts_hpa_object_per_pod_replicas(int32_t status_replicas, int64_t target_avg_milli, int64_t value_milli,
                                   const ts_hpa_calc_params *cp, int32_t *replicas, int64_t *usage_milli);
ts_status ts_hpa_external_replicas(int32_t current, int64_t target_milli, const int64_t *values, size_t n_values,
                             const ts_hpa_pod *pods, size_t n, const ts_hpa_calc_params *cp, int32_t *replicas);
ts_status ts_hpa_external_per_pod_replicas(int32_t status_replicas, int64_t target_avg_milli, const int64_t *values,
                                     size_t n_values, const ts_hpa_calc_params *cp, int32_t *replicas,
                                     int64_t *usage_milli);

/* ------------------------------------------------------------- reconcile */

typedef enum ts_hpa_metric_type {
    TS_HPA_METRIC_RESOURCE_CPU = 0,
    TS_HPA_METRIC_PODS,
    TS_HPA_METRIC_OBJECT_VALUE,
    TS_HPA_METRIC_OBJECT_AVERAGE,
    TS_HPA_METRIC_EXTERNAL_VALUE,
    TS_HPA_METRIC_EXTERNAL_AVERAGE,
    TS_HPA_METRIC_INVALID
} ts_hpa_metric_type;

typedef struct ts_hpa_metric {
    ts_hpa_metric_type type;
    int32_t target_utilization;     /* RESOURCE_CPU */
    int64_t target_milli;           /* value or average value */
    const int64_t *values;          /* OBJECT (one), EXTERNAL (summed) */
    size_t n_values;
    const ts_hpa_named_metric *pod_values; /* RESOURCE_CPU usage, PODS values */
    size_t n_pod_values;
    int fails;                      /* the metrics call errors */
} ts_hpa_metric;

typedef struct ts_hpa_spec {
    int32_t min_replicas;
    int32_t max_replicas;
    const ts_hpa_metric *metrics;
    size_t n_metrics;
    int has_behavior;
    ts_hpa_rules up, down;          /* with has_behavior: defaults filled in */
} ts_hpa_spec;

typedef struct ts_hpa_controller {
    double downscale_stabilization_s;
    double tolerance;
    double cpu_initialization_period_s;
    double initial_readiness_delay_s;
    double scale_up_limit_factor;
    double scale_up_limit_minimum;
} ts_hpa_controller;

/* The controller's memory of one HPA. */
typedef struct ts_hpa_memory {
    ts_hpa_recs recs;
    int recs_initialized;           /* recordInitialRecommendation done */
    ts_hpa_events up, down;
} ts_hpa_memory;

/* One reconcileAutoscaler. pods describes the scale target's pods (the
 * metric of a Pods metric is the pod's metric_milli). Sets *desired (the
 * replica count after this reconcile) and *rescale. Returns TS_OK, or
 * TS_ENOMEM when a history is full. */
ts_status ts_hpa_reconcile(const ts_hpa_spec *spec, int32_t spec_replicas, int32_t status_replicas,
                     const ts_hpa_pod *pods, size_t n_pods, const ts_hpa_controller *ctl, ts_hpa_memory *mem,
                     double now, int32_t *desired, int *rescale);

/* The tolerances a spec's metrics are compared with (tolerancesForHpa):
 * each direction's from behavior when given, else the controller's. */
ts_hpa_tolerances ts_hpa_spec_tolerances(const ts_hpa_spec *spec, const ts_hpa_controller *ctl);
/* The two halves of ts_hpa_reconcile: the metrics' proposal
 * (computeReplicasForMetrics: TS_ERUNTIME when no usable recommendation
 * exists),
 * and the rest of the reconcile given it. A caller whose pods and metrics
 * did not change may reuse a proposal (it depends on nothing else for
 * Pods, Object and External metrics). */
ts_status ts_hpa_metrics_proposal(const ts_hpa_spec *spec, int32_t spec_replicas, int32_t status_replicas,
                            const ts_hpa_pod *pods, size_t n_pods, const ts_hpa_controller *ctl, double now,
                            int32_t *replicas);
ts_status ts_hpa_reconcile_with(const ts_hpa_spec *spec, int32_t spec_replicas, int have_proposal, int32_t proposal,
                          const ts_hpa_controller *ctl, ts_hpa_memory *mem, double now, int32_t *desired,
                          int *rescale);

#endif
