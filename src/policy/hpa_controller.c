/*
 * hpa_controller.c — the HorizontalPodAutoscaler's decision logic; see hpa_controller.h. Each
 * function names the upstream function it follows; the comments say where
 * the Go code's integer and float conversions decide a result.
 */
#include "policy/hpa_controller.h"

#include "util/intmath.h"

#include <limits.h>
#include <math.h>
#include <string.h>

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

const char *ts_hpa_condition_name(ts_hpa_condition c)
{
    static const char *const names[] = {"DesiredWithinRange", "ScaleUpLimit", "ScaleDownLimit", "TooManyReplicas",
                                        "TooFewReplicas"};
    return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

void ts_hpa_default_up(ts_hpa_rules *r)
{
    memset(r, 0, sizeof *r);
    r->stabilization_window_s = 0;
    r->select = TS_HPA_SELECT_MAX;
    r->policy[0] = (ts_hpa_policy){TS_HPA_PODS, 4, 15};
    r->policy[1] = (ts_hpa_policy){TS_HPA_PERCENT, 100, 15};
    r->n_policies = 2;
}

void ts_hpa_default_down(ts_hpa_rules *r, int32_t window_s)
{
    memset(r, 0, sizeof *r);
    r->stabilization_window_s = window_s;
    r->select = TS_HPA_SELECT_MAX;
    r->policy[0] = (ts_hpa_policy){TS_HPA_PERCENT, 100, 15};
    r->n_policies = 1;
}

/* time.After(now - W) and time.Before(now - W) */
static int inside(double t, double window_s, double now)
{
    return t > now - window_s;
}

static int older(double t, double window_s, double now)
{
    return t < now - window_s;
}

int32_t ts_hpa_changes_in_period(int32_t period_s, const ts_hpa_events *ev, double now)
{
    int32_t sum = 0;
    for (size_t i = 0; ev && i < ev->n; i++)
        if (inside(ev->items[i].t, period_s, now))
            sum += ev->items[i].change;
    return sum;
}

/* calculateScaleUpLimitWithScalingRules (dir > 0) and
 * calculateScaleDownLimitWithBehaviors (dir < 0): each policy proposes a
 * count from the replicas at the start of its period; Max selects the
 * largest change (the highest count up, the lowest down), Min the least. */
static int32_t scale_limit(int dir, int32_t current, const ts_hpa_events *up, const ts_hpa_events *down,
                           const ts_hpa_rules *rules, double now)
{
    if (rules->select == TS_HPA_SELECT_DISABLED)
        return current;
    int take_larger = (dir > 0) == (rules->select == TS_HPA_SELECT_MAX);
    int32_t result = take_larger ? INT32_MIN : INT32_MAX;
    for (int i = 0; i < rules->n_policies; i++) {
        const ts_hpa_policy *p = &rules->policy[i];
        int32_t added = ts_hpa_changes_in_period(p->period_s, up, now);
        int32_t deleted = ts_hpa_changes_in_period(p->period_s, down, now);
        int32_t start = current - added + deleted;
        int32_t proposed;
        if (p->type == TS_HPA_PODS)
            proposed = dir > 0 ? ts_add_sat_i32(start, p->value) : ts_add_sat_i32(start, -p->value);
        else if (dir > 0) /* rounded up, so a small percentage still adds a pod */
            proposed = ts_sat_i32(ceil((double)start * (1 + (double)p->value / 100)));
        else /* int32(float64) truncates */
            proposed = ts_sat_i32((double)start * (1 - (double)p->value / 100));
        result = take_larger ? max32(result, proposed) : min32(result, proposed);
    }
    return result;
}

int32_t ts_hpa_scale_up_limit(int32_t current, const ts_hpa_events *up, const ts_hpa_events *down,
                              const ts_hpa_rules *rules, double now)
{
    return scale_limit(+1, current, up, down, rules, now);
}

int32_t ts_hpa_scale_down_limit(int32_t current, const ts_hpa_events *up, const ts_hpa_events *down,
                                const ts_hpa_rules *rules, double now)
{
    return scale_limit(-1, current, up, down, rules, now);
}

int32_t ts_hpa_behavior_rate(int32_t current, int32_t desired, int32_t min, int32_t max,
                             const ts_hpa_rules *up_rules, const ts_hpa_rules *down_rules,
                             const ts_hpa_events *up, const ts_hpa_events *down, double now,
                             ts_hpa_condition *cond)
{
    if (desired > current) {
        int32_t limit = ts_hpa_scale_up_limit(current, up, down, up_rules, now);
        if (limit < current)
            limit = current; /* no further scale-up until events age out */
        int32_t allowed = max;
        ts_hpa_condition c = TS_HPA_TOO_MANY_REPLICAS;
        if (allowed > limit) {
            allowed = limit;
            c = TS_HPA_SCALE_UP_LIMIT;
        }
        if (desired > allowed) {
            *cond = c;
            return allowed;
        }
    } else if (desired < current) {
        int32_t limit = ts_hpa_scale_down_limit(current, up, down, down_rules, now);
        if (limit > current)
            limit = current;
        int32_t allowed = min;
        ts_hpa_condition c = TS_HPA_TOO_FEW_REPLICAS;
        if (allowed < limit) {
            allowed = limit;
            c = TS_HPA_SCALE_DOWN_LIMIT;
        }
        if (desired < allowed) {
            *cond = c;
            return allowed;
        }
    }
    *cond = TS_HPA_DESIRED_WITHIN_RANGE;
    return desired;
}

/* Records desired at slot (reused) or appends it. TS_ENOMEM when full. */
static ts_status record(ts_hpa_recs *recs, int found_old, size_t old_index, int32_t desired, double now)
{
    if (found_old) {
        recs->items[old_index] = (ts_hpa_rec){desired, now};
        return TS_OK;
    }
    if (recs->n == recs->cap)
        return TS_ENOMEM;
    recs->items[recs->n++] = (ts_hpa_rec){desired, now};
    return TS_OK;
}

ts_status ts_hpa_stabilize_behavior(int32_t current, int32_t desired, int32_t up_window_s, int32_t down_window_s,
                                    ts_hpa_recs *recs, double now, int32_t *stabilized)
{
    int32_t up_rec = desired, down_rec = desired;
    int found_old = 0;
    size_t old_index = 0;
    for (size_t i = 0; i < recs->n; i++) {
        const ts_hpa_rec *r = &recs->items[i];
        if (inside(r->t, up_window_s, now))
            up_rec = min32(r->replicas, up_rec);
        if (inside(r->t, down_window_s, now))
            down_rec = max32(r->replicas, down_rec);
        if (older(r->t, up_window_s, now) && older(r->t, down_window_s, now)) {
            found_old = 1;
            old_index = i;
        }
    }
    const int32_t rec = ts_hpa_behavior_stabilized(current, up_rec, down_rec);
    ts_status st = record(recs, found_old, old_index, desired, now);
    if (st == TS_OK)
        *stabilized = rec;
    return st;
}

ts_status ts_hpa_stabilize_legacy(int32_t desired, int32_t window_s, ts_hpa_recs *recs, double now,
                                  int32_t *stabilized)
{
    int32_t maxrec = desired;
    int found_old = 0;
    size_t old_index = 0;
    for (size_t i = 0; i < recs->n; i++) {
        const ts_hpa_rec *r = &recs->items[i];
        if (older(r->t, window_s, now)) {
            found_old = 1;
            old_index = i;
        } else if (r->replicas > maxrec) {
            maxrec = r->replicas;
        }
    }
    ts_status st = record(recs, found_old, old_index, desired, now);
    if (st == TS_OK)
        *stabilized = maxrec;
    return st;
}

ts_status ts_hpa_store_event(const ts_hpa_rules *rules, ts_hpa_events *list, int32_t change, double now)
{
    if (!rules)
        return TS_OK; /* no behavior: events are never used */
    int32_t longest = 0;
    for (int i = 0; i < rules->n_policies; i++)
        if (rules->policy[i].period_s > longest)
            longest = rules->policy[i].period_s;
    /* markScaleEventsOutdated, then reuse the last outdated slot */
    int found = 0;
    size_t idx = 0;
    for (size_t i = 0; i < list->n; i++) {
        if (older(list->items[i].t, longest, now))
            list->items[i].outdated = 1;
        if (list->items[i].outdated) {
            found = 1;
            idx = i;
        }
    }
    ts_hpa_event e = {change, now, 0};
    if (found) {
        list->items[idx] = e;
        return TS_OK;
    }
    if (list->n == list->cap)
        return TS_ENOMEM;
    list->items[list->n++] = e;
    return TS_OK;
}

/* ------------------------------------------------------ replica calculator */

typedef enum pod_class { POD_READY, POD_UNREADY, POD_MISSING, POD_IGNORED } pod_class;

/* Names are compared by pointer first: the simulator passes the same
 * strings for pods and values, so most lookups never reach strcmp. */
static int same_name(const char *a, const char *b)
{
    return a == b || (a[0] == b[0] && !strcmp(a, b));
}

static const ts_hpa_named_metric *find_value(const ts_hpa_named_metric *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (same_name(v[i].name, name))
            return &v[i];
    return NULL;
}

static int is_pod_name(const ts_hpa_pod *pods, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (same_name(pods[i].name, name))
            return 1;
    return 0;
}

/* groupPods. cpu selects the CPU readiness rules. */
static pod_class classify(const ts_hpa_pod *p, const ts_hpa_named_metric *values, size_t n_values, int cpu,
                          const ts_hpa_calc_params *cp)
{
    if (p->deleting || p->phase == TS_POD_FAILED)
        return POD_IGNORED;
    if (p->phase == TS_POD_PENDING)
        return POD_UNREADY;
    if (!find_value(values, n_values, p->name))
        return POD_MISSING;
    if (cpu) {
        int unready;
        if (!p->started_long_ago && p->start_t + cp->cpu_initialization_period_s > cp->now) {
            /* within the initialization period: unready, or no full metric
             * window since the Ready transition (= start) */
            unready = !p->ready || cp->now < p->start_t + 60.0;
        } else {
            /* unready and never ready: the transition (= start) is within
             * the initial readiness delay of the start, i.e. delay > 0 */
            unready = !p->ready && cp->initial_readiness_delay_s > 0;
        }
        if (unready)
            return POD_UNREADY;
    }
    return POD_READY;
}

/* The metrics map of upstream as sums over pod groups. */
typedef struct pod_sums {
    int64_t ready;          /* readyPodCount */
    int64_t unready, missing;
    int64_t extra_entries;  /* metrics of pods that do not exist */
    int64_t extra_total;
} pod_sums;

static void sum_pods(const ts_hpa_pod *pods, size_t n, const ts_hpa_named_metric *values, size_t n_values, int cpu,
                     const ts_hpa_calc_params *cp, pod_sums *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        switch (classify(&pods[i], values, n_values, cpu, cp)) {
        case POD_READY: s->ready += pods[i].count; break;
        case POD_UNREADY: s->unready += pods[i].count; break;
        case POD_MISSING: s->missing += pods[i].count; break;
        default: break;
        }
    }
    for (size_t i = 0; i < n_values; i++)
        if (!is_pod_name(pods, n, values[i].name)) {
            s->extra_entries++;
            s->extra_total += values[i].milli;
        }
}

/* GetResourceUtilizationRatio over the map: pods of the given classes with
 * their value (fill_missing / fill_unready say what a missing / unready pod
 * contributes, or -1 when it is not in the map); extras have no request and
 * are skipped. */
static ts_status utilization(const ts_hpa_pod *pods, size_t n, const ts_hpa_named_metric *values, size_t n_values,
                       const ts_hpa_calc_params *cp, int32_t target, int fill_missing, int64_t missing_pct,
                       int fill_unready, double *ratio, int32_t *util, int64_t *raw)
{
    /* upstream sums in int64; a pool of up to TS_MAX_INSTANCES pods of
     * values up to INT64_MAX needs 128 bits, exact where int64 suffices */
    __int128 total = 0, requests = 0;
    int64_t entries = 0;
    for (size_t i = 0; i < n; i++) {
        const ts_hpa_pod *p = &pods[i];
        pod_class c = classify(p, values, n_values, 1, cp);
        int64_t v;
        if (c == POD_READY)
            v = find_value(values, n_values, p->name)->milli;
        else if (c == POD_MISSING && fill_missing)
            v = missing_pct < 0 ? 0 : p->request_milli * missing_pct / 100;
        else if (c == POD_UNREADY && fill_unready)
            v = 0;
        else
            continue;
        total += (__int128)v * p->count;
        requests += (__int128)p->request_milli * p->count;
        entries += p->count;
    }
    if (requests == 0)
        return TS_ERUNTIME; /* no metrics returned matched known pods */
    *util = ts_sat_i32((double)((total * 100) / requests));
    *ratio = (double)*util / (double)target;
    if (raw)
        *raw = (int64_t)(total / entries);
    return TS_OK;
}

ts_status ts_hpa_resource_replicas(int32_t current, int32_t target_utilization, const ts_hpa_pod *pods, size_t n,
                             const ts_hpa_named_metric *values, size_t n_values, const ts_hpa_calc_params *cp,
                             int32_t *replicas, int32_t *util_out, int64_t *raw_out)
{
    int64_t podcount = 0;
    for (size_t i = 0; i < n; i++)
        podcount += pods[i].count;
    if (podcount == 0)
        return TS_ERUNTIME; /* no pods returned by selector */
    pod_sums s;
    sum_pods(pods, n, values, n_values, 1, cp, &s);
    if (s.ready + s.extra_entries == 0)
        return TS_ERUNTIME; /* did not receive metrics for targeted pods */
    double ratio;
    int32_t util;
    int64_t raw;
    if (utilization(pods, n, values, n_values, cp, target_utilization, 0, 0, 0, &ratio, &util, &raw) != 0)
        return TS_ERUNTIME;
    *util_out = util;
    if (raw_out)
        *raw_out = raw;
    int up_with_unready = s.unready > 0 && ratio > 1.0;
    if (!up_with_unready && s.missing == 0) {
        if (ts_hpa_within(&cp->tol, ratio))
            *replicas = current;
        else
            *replicas = ts_sat_i32(ceil(ratio * (double)s.ready));
        return TS_OK;
    }
    /* missing pods: at max(100, target) % of their request on a scale-down,
     * at 0 on a scale-up, left out at exactly 1.0 */
    int fill_missing = s.missing > 0 && ratio != 1.0;
    int64_t missing_pct = ratio < 1.0 ? (target_utilization > 100 ? target_utilization : 100) : -1;
    double new_ratio;
    int32_t new_util;
    if (utilization(pods, n, values, n_values, cp, target_utilization, fill_missing, missing_pct, up_with_unready,
                    &new_ratio, &new_util, NULL) != 0)
        return TS_ERUNTIME;
    if (ts_hpa_within(&cp->tol, new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)) {
        *replicas = current;
        return TS_OK;
    }
    int64_t len = s.ready + s.extra_entries + (fill_missing ? s.missing : 0) + (up_with_unready ? s.unready : 0);
    int32_t nr = ts_sat_i32(ceil(new_ratio * (double)len));
    if ((new_ratio < 1.0 && nr > current) || (new_ratio > 1.0 && nr < current))
        nr = current;
    *replicas = nr;
    return TS_OK;
}

/* GetMetricUsageRatio over the map as above (all entries count). */
static void usage_ratio(const ts_hpa_pod *pods, size_t n, const ts_hpa_named_metric *values, size_t n_values,
                        const ts_hpa_calc_params *cp, const pod_sums *s, int64_t target, int fill_missing,
                        int64_t missing_value, int fill_unready, double *ratio, int64_t *usage, int64_t *len_out)
{
    /* 128 bits as in utilization(): the mean fits int64, the sum may not */
    __int128 total = s->extra_total;
    int64_t len = s->extra_entries;
    for (size_t i = 0; i < n; i++) {
        const ts_hpa_pod *p = &pods[i];
        pod_class c = classify(p, values, n_values, 0, cp);
        int64_t v;
        if (c == POD_READY)
            v = find_value(values, n_values, p->name)->milli;
        else if (c == POD_MISSING && fill_missing)
            v = missing_value;
        else if (c == POD_UNREADY && fill_unready)
            v = 0;
        else
            continue;
        total += (__int128)v * p->count;
        len += p->count;
    }
    *usage = (int64_t)(total / len);
    *ratio = (double)*usage / (double)target;
    *len_out = len;
}

ts_status ts_hpa_pods_replicas(int32_t current, int64_t target_milli, const ts_hpa_pod *pods, size_t n,
                         const ts_hpa_named_metric *values, size_t n_values, const ts_hpa_calc_params *cp,
                         int32_t *replicas, int64_t *usage_out)
{
    int64_t podcount = 0;
    for (size_t i = 0; i < n; i++)
        podcount += pods[i].count;
    if (podcount == 0)
        return TS_ERUNTIME;
    pod_sums s;
    sum_pods(pods, n, values, n_values, 0, cp, &s);
    if (s.ready + s.extra_entries == 0)
        return TS_ERUNTIME;
    double ratio;
    int64_t usage, len;
    usage_ratio(pods, n, values, n_values, cp, &s, target_milli, 0, 0, 0, &ratio, &usage, &len);
    *usage_out = usage;
    int up_with_unready = s.unready > 0 && ratio > 1.0;
    if (!up_with_unready && s.missing == 0) {
        if (ts_hpa_within(&cp->tol, ratio))
            *replicas = current;
        else
            *replicas = ts_sat_i32(ceil(ratio * (double)s.ready));
        return TS_OK;
    }
    /* missing pods: exactly the target on a scale-down, 0 on a scale-up */
    int fill_missing = s.missing > 0 && ratio != 1.0;
    int64_t missing_value = ratio < 1.0 ? target_milli : 0;
    double new_ratio;
    int64_t new_usage;
    usage_ratio(pods, n, values, n_values, cp, &s, target_milli, fill_missing, missing_value, up_with_unready,
                &new_ratio, &new_usage, &len);
    if (ts_hpa_within(&cp->tol, new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)) {
        *replicas = current;
        return TS_OK;
    }
    int32_t nr = ts_sat_i32(ceil(new_ratio * (double)len));
    if ((new_ratio < 1.0 && nr > current) || (new_ratio > 1.0 && nr < current))
        nr = current;
    *replicas = nr;
    return TS_OK;
}

/* getUsageRatioReplicaCount: from zero replicas, no tolerance and no pods. */
static ts_status usage_ratio_count(int32_t current, double ratio, const ts_hpa_pod *pods, size_t n,
                             const ts_hpa_calc_params *cp, int32_t *replicas)
{
    if (current == 0) {
        *replicas = ts_sat_i32(ceil(ratio));
        return TS_OK;
    }
    if (ts_hpa_within(&cp->tol, ratio)) {
        *replicas = current;
        return TS_OK;
    }
    int64_t podcount = 0, ready = 0;
    for (size_t i = 0; i < n; i++) {
        podcount += pods[i].count;
        if (pods[i].phase == TS_POD_RUNNING && pods[i].ready)
            ready += pods[i].count;
    }
    if (podcount == 0)
        return TS_ERUNTIME;
    double f = ratio * (double)ready;
    *replicas = ts_sat_i32(ceil(f));
    return TS_OK;
}

ts_status ts_hpa_object_replicas(int32_t current, int64_t target_milli, int64_t value_milli, const ts_hpa_pod *pods,
                           size_t n, const ts_hpa_calc_params *cp, int32_t *replicas)
{
    double ratio = (double)value_milli / (double)target_milli;
    return usage_ratio_count(current, ratio, pods, n, cp, replicas);
}

ts_status ts_hpa_object_per_pod_replicas(int32_t status_replicas, int64_t target_avg_milli, int64_t value_milli,
                                   const ts_hpa_calc_params *cp, int32_t *replicas, int64_t *usage_milli)
{
    int32_t r = status_replicas;
    double ratio = (double)value_milli / ((double)target_avg_milli * (double)r);
    if (!ts_hpa_within(&cp->tol, ratio))
        r = ts_sat_i32(ceil((double)value_milli / (double)target_avg_milli));
    *replicas = r;
    *usage_milli = (int64_t)ceil((double)value_milli / (double)status_replicas);
    return TS_OK;
}

static int64_t sum_values(const int64_t *v, size_t n)
{
    int64_t usage = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] > 0 && usage > INT64_MAX - v[i])
            return INT64_MAX;
        usage += v[i];
    }
    return usage;
}

ts_status ts_hpa_external_replicas(int32_t current, int64_t target_milli, const int64_t *values, size_t n_values,
                             const ts_hpa_pod *pods, size_t n, const ts_hpa_calc_params *cp, int32_t *replicas)
{
    double ratio = (double)sum_values(values, n_values) / (double)target_milli;
    return usage_ratio_count(current, ratio, pods, n, cp, replicas);
}

ts_status ts_hpa_external_per_pod_replicas(int32_t status_replicas, int64_t target_avg_milli, const int64_t *values,
                                     size_t n_values, const ts_hpa_calc_params *cp, int32_t *replicas,
                                     int64_t *usage_milli)
{
    int64_t usage = sum_values(values, n_values);
    int32_t r = status_replicas;
    double ratio = (double)usage / ((double)target_avg_milli * (double)r);
    if (!ts_hpa_within(&cp->tol, ratio)) {
        double c = ceil((double)usage / (double)target_avg_milli);
        r = ts_sat_i32(c);
    }
    *replicas = r;
    *usage_milli = (double)usage >= (double)INT64_MAX ? INT64_MAX
                                                       : (int64_t)ceil((double)usage / (double)status_replicas);
    return TS_OK;
}

/* ------------------------------------------------------------- reconcile */

/* computeReplicasForMetric: TS_OK and *proposal, or TS_ERUNTIME (an invalid
 * metric). */
static ts_status metric_proposal(const ts_hpa_metric *m, int32_t spec_replicas, int32_t status_replicas,
                           const ts_hpa_pod *pods, size_t n, const ts_hpa_calc_params *cp, int32_t *proposal)
{
    if (m->fails)
        return TS_ERUNTIME;
    int32_t util;
    int64_t usage;
    switch (m->type) {
    case TS_HPA_METRIC_RESOURCE_CPU:
        return ts_hpa_resource_replicas(spec_replicas, m->target_utilization, pods, n, m->pod_values, m->n_pod_values,
                                        cp, proposal, &util, NULL);
    case TS_HPA_METRIC_PODS:
        return ts_hpa_pods_replicas(spec_replicas, m->target_milli, pods, n, m->pod_values, m->n_pod_values, cp,
                                    proposal, &usage);
    case TS_HPA_METRIC_OBJECT_VALUE:
        if (m->n_values < 1)
            return TS_ERUNTIME;
        return ts_hpa_object_replicas(spec_replicas, m->target_milli, m->values[0], pods, n, cp, proposal);
    case TS_HPA_METRIC_OBJECT_AVERAGE:
        if (m->n_values < 1)
            return TS_ERUNTIME;
        return ts_hpa_object_per_pod_replicas(status_replicas, m->target_milli, m->values[0], cp, proposal, &usage);
    case TS_HPA_METRIC_EXTERNAL_VALUE:
        return ts_hpa_external_replicas(spec_replicas, m->target_milli, m->values, m->n_values, pods, n, cp, proposal);
    case TS_HPA_METRIC_EXTERNAL_AVERAGE:
        return ts_hpa_external_per_pod_replicas(status_replicas, m->target_milli, m->values, m->n_values, cp, proposal,
                                                &usage);
    default:
        return TS_ERUNTIME; /* unknown metric source type */
    }
}

ts_hpa_tolerances ts_hpa_spec_tolerances(const ts_hpa_spec *spec, const ts_hpa_controller *ctl)
{
    ts_hpa_tolerances t;
    t.scale_down = spec->has_behavior && spec->down.has_tolerance ? spec->down.tolerance : ctl->tolerance;
    t.scale_up = spec->has_behavior && spec->up.has_tolerance ? spec->up.tolerance : ctl->tolerance;
    return t;
}

ts_status ts_hpa_metrics_proposal(const ts_hpa_spec *spec, int32_t spec_replicas, int32_t status_replicas,
                            const ts_hpa_pod *pods, size_t n_pods, const ts_hpa_controller *ctl, double now,
                            int32_t *replicas_out)
{
    ts_hpa_calc_params cp;
    cp.tol = ts_hpa_spec_tolerances(spec, ctl);
    cp.cpu_initialization_period_s = ctl->cpu_initialization_period_s;
    cp.initial_readiness_delay_s = ctl->initial_readiness_delay_s;
    cp.now = now;
    /* computeReplicasForMetrics */
    int32_t replicas = 0;
    size_t invalid = 0;
    for (size_t i = 0; i < spec->n_metrics; i++) {
        int32_t proposal;
        if (metric_proposal(&spec->metrics[i], spec_replicas, status_replicas, pods, n_pods, &cp, &proposal) != 0) {
            invalid++;
            continue;
        }
        if (replicas == 0 || proposal > replicas)
            replicas = proposal;
    }
    if (invalid >= spec->n_metrics || (invalid > 0 && replicas < spec_replicas))
        return TS_ERUNTIME;
    *replicas_out = replicas;
    return TS_OK;
}

ts_status ts_hpa_reconcile_with(const ts_hpa_spec *spec, int32_t spec_replicas, int have_proposal, int32_t proposal,
                          const ts_hpa_controller *ctl, ts_hpa_memory *mem, double now, int32_t *desired_out,
                          int *rescale_out)
{
    const int32_t current = spec_replicas;
    /* recordInitialRecommendation */
    if (!mem->recs_initialized) {
        mem->recs_initialized = 1;
        if (mem->recs.n == 0 && mem->recs.cap > 0)
            mem->recs.items[mem->recs.n++] = (ts_hpa_rec){current, now};
    }
    int32_t desired = 0;
    int rescale = 1;
    if (current == 0 && spec->min_replicas != 0) {
        desired = 0; /* autoscaling disabled */
        rescale = 0;
    } else if (current > spec->max_replicas) {
        desired = spec->max_replicas;
    } else if (current < spec->min_replicas) {
        desired = spec->min_replicas;
    } else {
        if (!have_proposal) {
            /* no usable recommendation: nothing changes */
            *desired_out = current;
            *rescale_out = 0;
            return TS_OK;
        }
        if (proposal > desired)
            desired = proposal;
        ts_hpa_condition cond;
        if (!spec->has_behavior) {
            int32_t s;
            ts_status st = ts_hpa_stabilize_legacy(desired, (int32_t)ctl->downscale_stabilization_s, &mem->recs, now, &s);
            if (st != TS_OK)
                return st;
            desired = ts_hpa_legacy_rules(current, s, spec->min_replicas, spec->max_replicas,
                                          ctl->scale_up_limit_factor, ctl->scale_up_limit_minimum, &cond);
        } else {
            int32_t s;
            ts_status st = ts_hpa_stabilize_behavior(current, desired, spec->up.stabilization_window_s,
                                                     spec->down.stabilization_window_s, &mem->recs, now, &s);
            if (st != TS_OK)
                return st;
            desired = ts_hpa_behavior_rate(current, s, spec->min_replicas, spec->max_replicas, &spec->up, &spec->down,
                                           &mem->up, &mem->down, now, &cond);
        }
        rescale = desired != current;
    }
    if (rescale) {
        if (spec->has_behavior) {
            ts_status rc = desired > current ? ts_hpa_store_event(&spec->up, &mem->up, desired - current, now)
                                       : ts_hpa_store_event(&spec->down, &mem->down, current - desired, now);
            if (rc != TS_OK)
                return rc;
        }
    } else {
        desired = current;
    }
    *desired_out = desired;
    *rescale_out = rescale;
    return TS_OK;
}

ts_status ts_hpa_reconcile(const ts_hpa_spec *spec, int32_t spec_replicas, int32_t status_replicas,
                     const ts_hpa_pod *pods, size_t n_pods, const ts_hpa_controller *ctl, ts_hpa_memory *mem,
                     double now, int32_t *desired_out, int *rescale_out)
{
    /* the metrics are read only where upstream reads them: within [min, max] */
    int within_bounds = !(spec_replicas == 0 && spec->min_replicas != 0) && spec_replicas <= spec->max_replicas &&
                        spec_replicas >= spec->min_replicas;
    int32_t proposal = 0;
    int have = within_bounds &&
               ts_hpa_metrics_proposal(spec, spec_replicas, status_replicas, pods, n_pods, ctl, now, &proposal) == 0;
    return ts_hpa_reconcile_with(spec, spec_replicas, have, proposal, ctl, mem, now, desired_out, rescale_out);
}
