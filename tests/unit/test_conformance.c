/*
 * test_conformance.c — every case of tests/conformance/hpa_cases.json and
 * kpa_cases.json (re-encoded from the upstream projects' own unit tests,
 * with their source named in each case) run against the decision functions
 * of src/policy/hpa_controller.c and kpa_decider.c. One cmocka test per case, named by its
 * id; a mismatch reports the case id, what was expected and what came out.
 *
 * Conventions of the files: now = 0 and every timestamp is an age, so an
 * item of age a is stamped t = -a.
 */
#include "testutil.h"
#include "policy/threshold.h"
#include "policy/hpa_controller.h"
#include "policy/kpa_decider.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CONFORMANCE_DIR
#define CONFORMANCE_DIR "tests/conformance"
#endif

#define MAXN 64

static const char *id_of(json_t *c)
{
    return json_string_value(json_object_get(c, "id"));
}

static int64_t jint(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : (int64_t)json_number_value(v);
}

static double jnum(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* A rules object, or the API default of the direction when null. */
static void parse_rules(json_t *r, int up, int32_t default_down_window, ts_hpa_rules *out)
{
    if (!r || json_is_null(r)) {
        if (up)
            ts_hpa_default_up(out);
        else
            ts_hpa_default_down(out, default_down_window);
        return;
    }
    memset(out, 0, sizeof *out);
    json_t *w = json_object_get(r, "stabilization_window_s");
    out->stabilization_window_s = w && !json_is_null(w) ? (int32_t)json_integer_value(w) : (up ? 0 : default_down_window);
    const char *sel = json_string_value(json_object_get(r, "select_policy"));
    out->select = !sel || !strcmp(sel, "Max") ? TS_HPA_SELECT_MAX : !strcmp(sel, "Min") ? TS_HPA_SELECT_MIN
                                                                                           : TS_HPA_SELECT_DISABLED;
    json_t *ps = json_object_get(r, "policies");
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        if (out->n_policies == TS_HPA_MAX_POLICIES)
            break;
        ts_hpa_policy *q = &out->policy[out->n_policies++];
        q->type = !strcmp(json_string_value(json_object_get(p, "type")), "Pods") ? TS_HPA_PODS : TS_HPA_PERCENT;
        q->value = (int32_t)jint(p, "value");
        q->period_s = (int32_t)jint(p, "period_s");
    }
    json_t *tol = json_object_get(r, "tolerance");
    if (tol && json_is_number(tol)) {
        out->has_tolerance = 1;
        out->tolerance = json_number_value(tol);
    }
}

static void parse_events(json_t *a, ts_hpa_event *buf, ts_hpa_events *ev)
{
    ev->items = buf;
    ev->n = 0;
    ev->cap = MAXN;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        buf[ev->n].change = (int32_t)jint(e, "replica_change");
        buf[ev->n].t = -jnum(e, "age_s");
        buf[ev->n].outdated = json_is_true(json_object_get(e, "outdated"));
        ev->n++;
    }
}

static void parse_recs(json_t *a, ts_hpa_rec *buf, ts_hpa_recs *r)
{
    r->items = buf;
    r->n = 0;
    r->cap = MAXN;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        buf[r->n].replicas = (int32_t)jint(e, "replicas");
        buf[r->n].t = -jnum(e, "age_s");
        r->n++;
    }
}

static size_t parse_pods(json_t *a, ts_hpa_pod *pods, ts_hpa_named_metric *usage, size_t *n_usage)
{
    size_t n = 0, i;
    json_t *p;
    *n_usage = 0;
    json_array_foreach(a, i, p)
    {
        ts_hpa_pod *q = &pods[n++];
        memset(q, 0, sizeof *q);
        q->name = json_string_value(json_object_get(p, "name"));
        q->count = 1;
        const char *ph = json_string_value(json_object_get(p, "phase"));
        q->phase = !strcmp(ph, "Running") ? TS_POD_RUNNING : !strcmp(ph, "Pending") ? TS_POD_PENDING : TS_POD_FAILED;
        q->ready = json_is_true(json_object_get(p, "ready"));
        json_t *sa = json_object_get(p, "start_age_s");
        q->started_long_ago = !sa || json_is_null(sa);
        q->start_t = q->started_long_ago ? 0 : -json_number_value(sa);
        q->deleting = json_is_true(json_object_get(p, "deleting"));
        q->request_milli = jint(p, "request_milli");
        json_t *u = json_object_get(p, "usage_milli");
        if (u && !json_is_null(u)) {
            usage[*n_usage].name = q->name;
            usage[*n_usage].milli = json_integer_value(u);
            (*n_usage)++;
        }
    }
    return n;
}

/* A metric object of the files into a ts_hpa_metric; pod-level values go to
 * pv (the CPU usage of the pods for Resource metrics). */
static void parse_metric(json_t *m, const ts_hpa_named_metric *usage, size_t n_usage, ts_hpa_named_metric *pv,
                         int64_t *vals, ts_hpa_metric *out)
{
    memset(out, 0, sizeof *out);
    const char *type = json_string_value(json_object_get(m, "type"));
    out->fails = json_is_true(json_object_get(m, "fails"));
    size_t n = 0;
    if (!strcmp(type, "Resource")) {
        out->type = TS_HPA_METRIC_RESOURCE_CPU;
        out->target_utilization = (int32_t)jint(m, "target_utilization");
        for (size_t i = 0; i < n_usage; i++)
            pv[n++] = usage[i];
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(m, "extra_metrics"), k, v)
        {
            pv[n].name = k;
            pv[n++].milli = json_integer_value(v);
        }
    } else if (!strcmp(type, "Pods")) {
        out->type = TS_HPA_METRIC_PODS;
        out->target_milli = jint(m, "target_average_value_milli");
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(m, "values_milli"), k, v)
        {
            pv[n].name = k;
            pv[n++].milli = json_integer_value(v);
        }
    } else if (!strcmp(type, "Object") || !strcmp(type, "External")) {
        int ext = !strcmp(type, "External");
        json_t *tv = json_object_get(m, "target_value_milli");
        if (tv && !json_is_null(tv)) {
            out->type = ext ? TS_HPA_METRIC_EXTERNAL_VALUE : TS_HPA_METRIC_OBJECT_VALUE;
            out->target_milli = json_integer_value(tv);
        } else {
            out->type = ext ? TS_HPA_METRIC_EXTERNAL_AVERAGE : TS_HPA_METRIC_OBJECT_AVERAGE;
            out->target_milli = jint(m, "target_average_value_milli");
        }
        size_t i;
        json_t *v;
        size_t k = 0;
        json_array_foreach(json_object_get(m, "values_milli"), i, v) vals[k++] = json_integer_value(v);
        out->values = vals;
        out->n_values = k;
    } else {
        out->type = TS_HPA_METRIC_INVALID;
    }
    out->pod_values = pv;
    out->n_pod_values = n;
}

/* ------------------------------------------------------------- per kind */

static void run_rate(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    ts_hpa_rules up, down;
    parse_rules(json_object_get(in, "scale_up"), 1, 300, &up);
    parse_rules(json_object_get(in, "scale_down"), 0, 300, &down);
    ts_hpa_event ub[MAXN], db[MAXN];
    ts_hpa_events ue, de;
    parse_events(json_object_get(in, "scale_up_events"), ub, &ue);
    parse_events(json_object_get(in, "scale_down_events"), db, &de);
    ts_hpa_condition cond;
    int32_t got = ts_hpa_behavior_rate((int32_t)jint(in, "current_replicas"), (int32_t)jint(in, "desired_replicas"),
                                       (int32_t)jint(in, "min_replicas"), (int32_t)jint(in, "max_replicas"), &up, &down,
                                       &ue, &de, 0, &cond);
    const char *want_cond = json_string_value(json_object_get(ex, "condition"));
    if (got != jint(ex, "replicas") || strcmp(ts_hpa_condition_name(cond), want_cond) != 0)
        fail_msg("%s: expected %lld %s, got %d %s", id_of(c), (long long)jint(ex, "replicas"), want_cond, got,
                 ts_hpa_condition_name(cond));
}

static void run_limit(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    int up = !strcmp(json_string_value(json_object_get(in, "direction")), "up");
    ts_hpa_rules r;
    parse_rules(json_object_get(in, "rules"), up, 300, &r);
    ts_hpa_event ub[MAXN], db[MAXN];
    ts_hpa_events ue, de;
    parse_events(json_object_get(in, "scale_up_events"), ub, &ue);
    parse_events(json_object_get(in, "scale_down_events"), db, &de);
    int32_t cur = (int32_t)jint(in, "current_replicas");
    int32_t got = up ? ts_hpa_scale_up_limit(cur, &ue, &de, &r, 0) : ts_hpa_scale_down_limit(cur, &ue, &de, &r, 0);
    if (got != jint(ex, "limit"))
        fail_msg("%s: expected limit %lld, got %d", id_of(c), (long long)jint(ex, "limit"), got);
}

static void check_recs(json_t *c, json_t *want, const ts_hpa_recs *r)
{
    if (!want || json_is_null(want))
        return;
    int ok = json_array_size(want) == r->n;
    for (size_t i = 0; ok && i < r->n; i++)
        ok = r->items[i].replicas == json_integer_value(json_array_get(want, i));
    if (!ok) {
        char got[512] = "";
        for (size_t i = 0; i < r->n; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%d ", r->items[i].replicas);
        fail_msg("%s: recommendations after: got [%s]", id_of(c), got);
    }
}

static void run_stab(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    ts_hpa_rec buf[MAXN];
    ts_hpa_recs r;
    parse_recs(json_object_get(in, "recommendations"), buf, &r);
    int32_t got = -1;
    ts_status st = ts_hpa_stabilize_behavior((int32_t)jint(in, "current_replicas"), (int32_t)jint(in, "desired_replicas"),
                                             (int32_t)jint(in, "scale_up_window_s"),
                                             (int32_t)jint(in, "scale_down_window_s"), &r, 0, &got);
    if (st != TS_OK || got != jint(ex, "replicas"))
        fail_msg("%s: expected %lld, got %d", id_of(c), (long long)jint(ex, "replicas"), got);
    check_recs(c, json_object_get(ex, "recommendations_after"), &r);
}

static void run_legacy_stab(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    ts_hpa_rec buf[MAXN];
    ts_hpa_recs r;
    parse_recs(json_object_get(in, "recommendations"), buf, &r);
    int32_t got = -1;
    ts_status st = ts_hpa_stabilize_legacy((int32_t)jint(in, "desired_replicas"),
                                           (int32_t)jint(in, "downscale_stabilization_window_s"), &r, 0, &got);
    if (st != TS_OK || got != jint(ex, "replicas") || (int64_t)r.n != jint(ex, "recommendations_len"))
        fail_msg("%s: expected %lld (%lld stored), got %d (%zu stored)", id_of(c), (long long)jint(ex, "replicas"),
                 (long long)jint(ex, "recommendations_len"), got, r.n);
}

static void run_legacy_rules(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    ts_hpa_condition cond;
    int32_t got = ts_hpa_legacy_rules((int32_t)jint(in, "current_replicas"), (int32_t)jint(in, "desired_replicas"),
                                      (int32_t)jint(in, "min_replicas"), (int32_t)jint(in, "max_replicas"),
                                      jnum(in, "scale_up_limit_factor"), jnum(in, "scale_up_limit_minimum"), &cond);
    const char *want_cond = json_string_value(json_object_get(ex, "condition"));
    if (got != jint(ex, "replicas") || strcmp(ts_hpa_condition_name(cond), want_cond) != 0)
        fail_msg("%s: expected %lld %s, got %d %s", id_of(c), (long long)jint(ex, "replicas"), want_cond, got,
                 ts_hpa_condition_name(cond));
}

static void run_events(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    json_t *rj = json_object_get(in, "rules");
    ts_hpa_rules r;
    parse_rules(rj, 1, 300, &r);
    ts_hpa_event buf[MAXN];
    ts_hpa_events ev;
    parse_events(json_object_get(in, "prev_events"), buf, &ev);
    int32_t before = ts_hpa_changes_in_period(60, &ev, 0);
    if (ts_hpa_store_event(json_is_null(rj) ? NULL : &r, &ev, (int32_t)jint(in, "replica_change"), 0) != TS_OK)
        fail_msg("%s: the event list is full", id_of(c));
    if (before != jint(ex, "replicas_change_last_60s_before"))
        fail_msg("%s: change in the last 60 s: expected %lld, got %d", id_of(c),
                 (long long)jint(ex, "replicas_change_last_60s_before"), before);
    json_t *want = json_object_get(ex, "events_after");
    int ok = json_array_size(want) == ev.n;
    for (size_t i = 0; ok && i < ev.n; i++) {
        json_t *w = json_array_get(want, i);
        ok = ev.items[i].change == jint(w, "replica_change") &&
             ev.items[i].outdated == json_is_true(json_object_get(w, "outdated"));
    }
    if (!ok)
        fail_msg("%s: events after storing differ (%zu stored)", id_of(c), ev.n);
}

static void calc_params(json_t *in, double default_tol, ts_hpa_calc_params *cp)
{
    json_t *t = json_object_get(in, "tolerances");
    cp->tol.scale_down = t ? jnum(t, "scale_down") : default_tol;
    cp->tol.scale_up = t ? jnum(t, "scale_up") : default_tol;
    json_t *ci = json_object_get(in, "cpu_initialization_period_s");
    json_t *rd = json_object_get(in, "initial_readiness_delay_s");
    cp->cpu_initialization_period_s = ci ? json_number_value(ci) : 120;
    cp->initial_readiness_delay_s = rd ? json_number_value(rd) : 10;
    cp->now = 0;
}

static void run_calc(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    ts_hpa_pod pods[MAXN];
    ts_hpa_named_metric usage[MAXN], pv[MAXN];
    int64_t vals[MAXN];
    size_t n_usage;
    size_t n = parse_pods(json_object_get(in, "pods"), pods, usage, &n_usage);
    ts_hpa_metric m;
    parse_metric(json_object_get(in, "metric"), usage, n_usage, pv, vals, &m);
    ts_hpa_calc_params cp;
    calc_params(in, 0.1, &cp);
    int32_t cur = (int32_t)jint(in, "current_replicas"), got = -1, util = -1;
    int64_t use = -1;
    ts_status rc = TS_ERUNTIME;
    switch (m.type) {
    case TS_HPA_METRIC_RESOURCE_CPU:
        rc = ts_hpa_resource_replicas(cur, m.target_utilization, pods, n, m.pod_values, m.n_pod_values, &cp, &got, &util,
                                      NULL);
        break;
    case TS_HPA_METRIC_PODS:
        rc = ts_hpa_pods_replicas(cur, m.target_milli, pods, n, m.pod_values, m.n_pod_values, &cp, &got, &use);
        break;
    case TS_HPA_METRIC_OBJECT_VALUE:
        rc = ts_hpa_object_replicas(cur, m.target_milli, m.values[0], pods, n, &cp, &got);
        break;
    case TS_HPA_METRIC_OBJECT_AVERAGE:
        rc = ts_hpa_object_per_pod_replicas(cur, m.target_milli, m.values[0], &cp, &got, &use);
        break;
    case TS_HPA_METRIC_EXTERNAL_VALUE:
        rc = ts_hpa_external_replicas(cur, m.target_milli, m.values, m.n_values, pods, n, &cp, &got);
        break;
    case TS_HPA_METRIC_EXTERNAL_AVERAGE:
        rc = ts_hpa_external_per_pod_replicas(cur, m.target_milli, m.values, m.n_values, &cp, &got, &use);
        break;
    default:
        break;
    }
    if (rc != TS_OK || got != jint(ex, "replicas"))
        fail_msg("%s: expected %lld replicas, got %d (status %d)", id_of(c), (long long)jint(ex, "replicas"), got, rc);
    json_t *wu = json_object_get(ex, "utilization");
    if (wu && util != json_integer_value(wu))
        fail_msg("%s: expected utilization %lld, got %d", id_of(c), (long long)json_integer_value(wu), util);
    json_t *wm = json_object_get(ex, "usage_milli");
    if (wm && use != json_integer_value(wm))
        fail_msg("%s: expected usage %lld, got %lld", id_of(c), (long long)json_integer_value(wm), (long long)use);
}

static void run_controller(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    json_t *hpa = json_object_get(in, "hpa"), *ctlj = json_object_get(in, "controller");
    ts_hpa_pod pods[MAXN];
    ts_hpa_named_metric usage[MAXN], pv[4][MAXN];
    int64_t vals[4][MAXN];
    size_t n_usage;
    size_t n = parse_pods(json_object_get(in, "pods"), pods, usage, &n_usage);
    ts_hpa_metric metrics[4];
    size_t nm = 0, i;
    json_t *mj;
    json_array_foreach(json_object_get(hpa, "metrics"), i, mj)
    {
        if (nm < 4) {
            parse_metric(mj, usage, n_usage, pv[nm], vals[nm], &metrics[nm]);
            nm++;
        }
    }
    ts_hpa_controller ctl;
    ctl.downscale_stabilization_s = jnum(ctlj, "downscale_stabilization_window_s");
    ctl.tolerance = jnum(ctlj, "tolerance");
    ctl.cpu_initialization_period_s = jnum(ctlj, "cpu_initialization_period_s");
    ctl.initial_readiness_delay_s = jnum(ctlj, "initial_readiness_delay_s");
    ctl.scale_up_limit_factor = jnum(ctlj, "scale_up_limit_factor");
    ctl.scale_up_limit_minimum = jnum(ctlj, "scale_up_limit_minimum");
    ts_hpa_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.min_replicas = (int32_t)jint(hpa, "min_replicas");
    spec.max_replicas = (int32_t)jint(hpa, "max_replicas");
    spec.metrics = metrics;
    spec.n_metrics = nm;
    json_t *beh = json_object_get(hpa, "behavior");
    if (beh && !json_is_null(beh)) {
        spec.has_behavior = 1;
        parse_rules(json_object_get(beh, "scale_up"), 1, (int32_t)ctl.downscale_stabilization_s, &spec.up);
        parse_rules(json_object_get(beh, "scale_down"), 0, (int32_t)ctl.downscale_stabilization_s, &spec.down);
    }
    ts_hpa_rec rb[MAXN];
    ts_hpa_event ub[MAXN], db[MAXN];
    ts_hpa_memory mem;
    memset(&mem, 0, sizeof mem);
    json_t *ir = json_object_get(in, "initial_recommendations");
    parse_recs(ir, rb, &mem.recs);
    mem.recs_initialized = ir && !json_is_null(ir);
    mem.up = (ts_hpa_events){ub, 0, MAXN};
    mem.down = (ts_hpa_events){db, 0, MAXN};
    json_t *ue = json_object_get(in, "scale_up_events"), *de = json_object_get(in, "scale_down_events");
    if (ue)
        parse_events(ue, ub, &mem.up);
    if (de)
        parse_events(de, db, &mem.down);
    int32_t desired = -1;
    int rescale = -1;
    ts_status rc = ts_hpa_reconcile(&spec, (int32_t)jint(in, "spec_replicas"), (int32_t)jint(in, "status_replicas"), pods, n,
                              &ctl, &mem, 0, &desired, &rescale);
    int want_rescale = json_is_true(json_object_get(ex, "rescale"));
    if (rc != TS_OK || desired != jint(ex, "desired_replicas") || rescale != want_rescale)
        fail_msg("%s: expected desired %lld rescale %d, got %d rescale %d (status %d)", id_of(c),
                 (long long)jint(ex, "desired_replicas"), want_rescale, desired, rescale, rc);
}

static void run_kpa(json_t *c)
{
    json_t *in = json_object_get(c, "input"), *ex = json_object_get(c, "expected");
    json_t *sj = json_object_get(in, "decider_spec");
    ts_kpa_spec spec;
    spec.target = jnum(sj, "target");
    spec.panic_threshold = jnum(sj, "panic_threshold");
    spec.max_scale_up_rate = jnum(sj, "max_scale_up_rate");
    spec.max_scale_down_rate = jnum(sj, "max_scale_down_rate");
    spec.stable_window_s = jnum(sj, "stable_window_s");
    spec.reachable = json_is_true(json_object_get(sj, "reachable"));
    spec.activation_scale = (int32_t)jint(sj, "activation_scale");
    spec.scale_down_delay_s = jnum(sj, "scale_down_delay_s");
    json_t *steps = json_object_get(in, "steps");
    double t0 = jnum(json_array_get(steps, 0), "t_s");
    static ts_kpa_state st;
    assert_int_equal(ts_kpa_init(&st, &spec, (int32_t)jint(in, "ready_pods_at_creation"), t0), TS_OK);
    json_t *init = json_object_get(in, "initial_state");
    if (init && !json_is_null(init)) {
        st.panicking = 1;
        st.panic_time = t0 - jnum(init, "panic_age_s");
        st.max_panic_pods = (int32_t)jint(init, "max_panic_pods");
    }
    json_t *want = json_object_get(ex, "desired_pods");
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s)
    {
        int32_t got = ts_kpa_scale(&st, &spec, (int32_t)jint(s, "ready_pods"), jnum(s, "stable"), jnum(s, "panic"),
                                   jnum(s, "t_s"));
        if (got != json_integer_value(json_array_get(want, i)))
            fail_msg("%s: step %zu (t=%g): expected %lld pods, got %d", id_of(c), i, jnum(s, "t_s"),
                     (long long)json_integer_value(json_array_get(want, i)), got);
    }
}

static const struct {
    const char *kind;
    void (*run)(json_t *c);
} kinds[] = {
    {"behavior_rate_limit", run_rate},
    {"scale_limit", run_limit},
    {"behavior_stabilization", run_stab},
    {"legacy_stabilization", run_legacy_stab},
    {"legacy_rules", run_legacy_rules},
    {"store_scale_event", run_events},
    {"replica_calc", run_calc},
    {"controller", run_controller},
    {"kpa_sequence", run_kpa},
};

static void run_case(void **state)
{
    json_t *c = *state;
    const char *kind = json_string_value(json_object_get(c, "kind"));
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].kind, kind)) {
            kinds[i].run(c);
            return;
        }
    fail_msg("%s: unknown case kind %s", id_of(c), kind);
}

static int run_file(const char *file, const char *group)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CONFORMANCE_DIR, file);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
        return 1;
    }
    json_t *cases = json_object_get(root, "cases");
    size_t n = json_array_size(cases);
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(cases, i);
        tests[i].name = id_of(c);
        tests[i].test_func = run_case;
        tests[i].initial_state = c;
    }
    int failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    free(tests);
    json_decref(root);
    return failed;
}

int main(void)
{
    int failed = run_file("hpa_cases.json", "conformance_hpa");
    failed += run_file("kpa_cases.json", "conformance_kpa");
    return failed;
}
