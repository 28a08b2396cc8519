/*
 * manifest.c — autoscaler manifests as settings; see manifest.h.
 *
 * What each object becomes (keys of public_tap.yaml's autoscaling):
 *   HorizontalPodAutoscaler autoscaling/v2: policy hpa; minReplicas (1) ->
 *     min_instances_per_model; maxReplicas -> max_instances_per_model;
 *     behavior.scaleUp/scaleDown: stabilizationWindowSeconds, selectPolicy,
 *     tolerance, policies [{type, value, periodSeconds}] -> hpa.behavior.*.
 *   autoscaling/v1: minReplicas, maxReplicas; targetCPUUtilizationPercentage
 *     is a metric (below).
 *   ScaledObject keda.sh/v1alpha1: policy hpa; minReplicaCount (0),
 *     maxReplicaCount (100); cooldownPeriod (300) -> hpa.keda_cooldown_s;
 *     advanced.horizontalPodAutoscalerConfig.behavior as the HPA's. When
 *     every trigger is cron: policy schedule, each trigger a window (its
 *     end on the hour: to_hour; its start: from_hour, the hour it opens
 *     ahead of, and schedule.lead_s, how far ahead; one that closes the
 *     day after it opens, two windows), desiredReplicas its replicas.
 *   Service serving.knative.dev/v1 (spec.template.metadata.annotations
 *     autoscaling.knative.dev/ keys, under their current names or the
 *     camelCase ones Knative still reads: minScale, maxScale, ...): policy
 *     kpa (class hpa: policy hpa);
 *     target-utilization-percentage (70) -> target_utilization_pct; window
 *     -> kpa.stable_window_s; panic-window-percentage, panic-threshold-
 *     percentage, activation-scale, scale-down-delay -> kpa.*; min-scale,
 *     max-scale (0: no limit) -> min/max_instances_per_model.
 *   ConfigMap config-autoscaler (data): max-scale-up-rate, max-scale-down-
 *     rate, scale-to-zero-grace-period, stable-window, panic-window-
 *     percentage, panic-threshold-percentage, container-concurrency-target-
 *     percentage -> the same keys, for every Knative Service, before its own.
 * A metric (the HPA's metrics, v1's CPU target, KEDA's triggers, Knative's
 * metric and target) is not a token rate: tapscale keeps scaling on each
 * ready replica's tokens per hour against tph x target_utilization_pct, and
 * a warning says so with the metric's own words.
 */
#include "import/manifest.h"
#include "import/cron.h"
#include "policy/schedule.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/keys.h"
#include "util/numfmt.h"
#include "util/strbuf.h"
#include "util/yamlread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    ts_yaml *y;
    ts_diags *d;
    ts_diags *w;
    ts_manifest_sets *sets;
    ts_status status; /* TS_OK, or TS_ENOMEM once a setting could not be kept */
    int own;          /* the object carries tapscale's own setting: its metric is no substitute */
} reader;

/* Keeps setting key = value from node n. Returns TS_OK, or TS_ENOMEM (also
 * in r->status). */
static ts_status sets_add(reader *r, const char *key, const char *value, const yaml_node_t *n)
{
    ts_manifest_sets *s = r->sets;
    ts_manifest_set *it = ts_grow(s->items, s->n, &s->cap, sizeof *it, 16);
    if (!it)
        return r->status = TS_ENOMEM;
    s->items = it;
    char src[600];
    snprintf(src, sizeof src, "%s:%d:%d", r->y->file, n ? ts_yaml_line(n) : 0, n ? ts_yaml_col(n) : 0);
    ts_manifest_set *e = &s->items[s->n];
    e->key = ts_strdup(key);
    e->value = ts_strdup(value);
    e->source = ts_strdup(src);
    if (!e->key || !e->value || !e->source) {
        free(e->key);
        free(e->value);
        free(e->source);
        return r->status = TS_ENOMEM;
    }
    s->n++;
    return TS_OK;
}

/* The node at a dotted path of mapping keys under n, or NULL. */
static yaml_node_t *at(ts_yaml *y, yaml_node_t *n, const char *path)
{
    char key[128];
    while (n && *path) {
        size_t len = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)(len < 127 ? len : 127), path);
        n = ts_yaml_get(y, n, key);
        path += len + (path[len] == '.');
    }
    return n;
}

/* An integer field within [lo, hi]: TS_OK, or TS_EINPUT (reported). */
static ts_status get_int(reader *r, yaml_node_t *n, const char *what, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = ts_yaml_scalar(n);
    if (!s || ts_parse_int64(s, out) != 0 || *out < lo || *out > hi) {
        ts_yaml_err(r->y, n, "%s is %s (expected an integer from %lld to %lld)", what, s ? s : "not a scalar",
                    (long long)lo, (long long)hi);
        return TS_EINPUT;
    }
    return TS_OK;
}

/* A Go duration ("60s", "1m30s", "2h") or a plain number of seconds:
 * TS_OK, or TS_EINPUT (reported). */
static ts_status get_duration(reader *r, yaml_node_t *n, const char *what, double *secs)
{
    const char *s = ts_yaml_scalar(n);
    if (s && ts_parse_double(s, secs) == 0 && *secs >= 0)
        return TS_OK;
    double total = 0;
    const char *p = s;
    int ok = p && *p;
    while (ok && *p) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || v < 0) {
            ok = 0;
            break;
        }
        double unit = *end == 'h' ? 3600 : *end == 'm' && end[1] != 's' ? 60 : *end == 's' ? 1 : 0;
        if (!unit)
            ok = 0;
        total += v * unit;
        p = end + 1;
    }
    if (!ok) {
        ts_yaml_err(r->y, n, "%s is %s (expected a duration such as 60s, 5m or 1h30m)", what, s ? s : "not a scalar");
        return TS_EINPUT;
    }
    *secs = total;
    return TS_OK;
}

static void set_num(reader *r, const char *key, double v, yaml_node_t *n)
{
    char buf[32];
    ts_fmt_double(v, buf);
    sets_add(r, key, buf, n);
}

/* A metric that is not a token rate: what tapscale does instead. */
static void warn_metric(reader *r, yaml_node_t *n, const char *what)
{
    if (r->own)
        return; /* the annotation says what tapscale simulates */
    ts_warn(r->w, r->y->file, ts_yaml_line(n), ts_yaml_col(n),
            "%s is not a token rate: tapscale scales on each ready replica's tokens per hour against tph x target_utilization_pct instead",
            what);
}

/* The known path a letter or two from path (the same parent, a near last
 * key: "spec.maxReplica" for spec.maxReplicas), or NULL. */
static const char *nearest_known(const char *path, const char *const *known)
{
    const char *last = strrchr(path, '.');
    size_t parent = last ? (size_t)(last - path) : 0;
    const char *key = last ? last + 1 : path;
    const char *best = NULL;
    size_t best_d = ts_near_limit(key);
    for (const char *const *k = known; *k; k++) {
        const char *kl = strrchr(*k, '.');
        size_t kp = kl ? (size_t)(kl - *k) : 0;
        if (kp != parent || strncmp(*k, path, parent) != 0 || !strcmp(kl ? kl + 1 : *k, "*"))
            continue;
        size_t dist = ts_edit_distance(key, kl ? kl + 1 : *k);
        if (dist < best_d) {
            best_d = dist;
            best = *k;
        }
    }
    return best;
}

/* Every field under n that the kind does not use (known: the paths it
 * reads, "a.*" for a whole subtree) is named in a warning, with the field
 * meant when one is a letter or two away. */
static void warn_unused(reader *r, yaml_node_t *n, const char *path, const char *const *known)
{
    for (const char *const *k = known; *k; k++) {
        size_t len = strlen(*k);
        if (!strcmp(*k, path) || (len > 2 && !strcmp(*k + len - 2, ".*") && !strncmp(*k, path, len - 2) &&
                                  (path[len - 2] == '.' || path[len - 2] == '\0' || path[len - 2] == '[')))
            return;
    }
    if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
            const char *key = ts_yaml_scalar(yaml_document_get_node(&r->y->doc, pr->key));
            char sub[512];
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key ? key : "?");
            warn_unused(r, yaml_document_get_node(&r->y->doc, pr->value), sub, known);
        }
    } else if (n->type == YAML_SEQUENCE_NODE) {
        char sub[512];
        snprintf(sub, sizeof sub, "%s[]", path);
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
            warn_unused(r, yaml_document_get_node(&r->y->doc, *it), sub, known);
    } else {
        const char *near = nearest_known(path, known);
        if (near)
            ts_warn(r->w, r->y->file, ts_yaml_line(n), ts_yaml_col(n),
                    "%s is not used by tapscale (ignored; did you mean %s?)", path, near);
        else
            ts_warn(r->w, r->y->file, ts_yaml_line(n), ts_yaml_col(n), "%s is not used by tapscale (ignored)", path);
    }
}

/* behavior.scaleUp / scaleDown of an HPA (or of KEDA's advanced section). */
static void read_direction(reader *r, yaml_node_t *dn, const char *what, const char *dir)
{
    if (!dn)
        return;
    char key[128], fw[256];
    yaml_node_t *n;
    if ((n = ts_yaml_get(r->y, dn, "stabilizationWindowSeconds"))) {
        int64_t v;
        snprintf(fw, sizeof fw, "%s.stabilizationWindowSeconds", what);
        if (get_int(r, n, fw, 0, 3600, &v) == 0) {
            snprintf(key, sizeof key, "hpa.behavior.%s.stabilization_window_s", dir);
            set_num(r, key, (double)v, n);
        }
    }
    if ((n = ts_yaml_get(r->y, dn, "selectPolicy"))) {
        snprintf(key, sizeof key, "hpa.behavior.%s.select_policy", dir);
        sets_add(r, key, ts_yaml_scalar(n) ? ts_yaml_scalar(n) : "", n);
    }
    if ((n = ts_yaml_get(r->y, dn, "tolerance"))) {
        snprintf(key, sizeof key, "hpa.behavior.%s.tolerance", dir);
        sets_add(r, key, ts_yaml_scalar(n) ? ts_yaml_scalar(n) : "", n);
    }
    yaml_node_t *pl = ts_yaml_get(r->y, dn, "policies");
    if (!pl || pl->type != YAML_SEQUENCE_NODE)
        return;
    ts_buf b;
    ts_buf_init(&b);
    ts_buf_putc(&b, '[');
    int i = 0, ok = 1;
    for (yaml_node_item_t *it = pl->data.sequence.items.start; it < pl->data.sequence.items.top; it++, i++) {
        yaml_node_t *pn = yaml_document_get_node(&r->y->doc, *it);
        const char *type = ts_yaml_scalar(ts_yaml_get(r->y, pn, "type"));
        int64_t value = 0, period = 0;
        snprintf(fw, sizeof fw, "%s.policies[%d].value", what, i);
        yaml_node_t *vn = ts_yaml_get(r->y, pn, "value"), *prn = ts_yaml_get(r->y, pn, "periodSeconds");
        if (!vn || get_int(r, vn, fw, 1, 1000000, &value) != 0)
            ok = 0;
        snprintf(fw, sizeof fw, "%s.policies[%d].periodSeconds", what, i);
        if (!prn || get_int(r, prn, fw, 1, 1800, &period) != 0)
            ok = 0;
        if (!vn || !prn)
            ts_yaml_err(r->y, pn, "%s.policies[%d] lacks value or periodSeconds (expected {type, value, periodSeconds})",
                        what, i);
        ts_buf_printf(&b, "%s{type: %s, value: %lld, period_s: %lld}", i ? ", " : "", type ? type : "?",
                      (long long)value, (long long)period);
    }
    ts_buf_putc(&b, ']');
    ts_buf_putc(&b, '\0');
    snprintf(key, sizeof key, "hpa.behavior.%s.policies", dir);
    if (b.oom)
        r->status = TS_ENOMEM;
    else if (ok)
        sets_add(r, key, b.data, pl);
    ts_buf_free(&b);
}

static void read_behavior(reader *r, yaml_node_t *bn, const char *what)
{
    char w[256];
    snprintf(w, sizeof w, "%s.scaleUp", what);
    read_direction(r, ts_yaml_get(r->y, bn, "scaleUp"), w, "scale_up");
    snprintf(w, sizeof w, "%s.scaleDown", what);
    read_direction(r, ts_yaml_get(r->y, bn, "scaleDown"), w, "scale_down");
}

/* min and max replica counts of an object, min <= max. */
static void read_bounds(reader *r, yaml_node_t *spec, const char *min_name, const char *max_name, int64_t min_def,
                        int has_max_def, int64_t max_def)
{
    yaml_node_t *mn = ts_yaml_get(r->y, spec, min_name), *mx = ts_yaml_get(r->y, spec, max_name);
    int64_t lo = min_def, hi = max_def;
    char w[128];
    /* both are read, so that both of two bad counts are reported */
    snprintf(w, sizeof w, "spec.%s", min_name);
    int bad = mn && get_int(r, mn, w, 0, 1000000000, &lo) != 0;
    snprintf(w, sizeof w, "spec.%s", max_name);
    bad |= mx && get_int(r, mx, w, 1, 1000000000, &hi) != 0;
    if (bad)
        return;
    if (!mx && !has_max_def) {
        ts_yaml_err(r->y, spec, "spec.%s is missing (expected the most replicas)", max_name);
        return;
    }
    if (lo > hi) {
        ts_yaml_err(r->y, mn ? mn : spec, "spec.%s is %lld, above %s %lld (expected min <= max)", min_name,
                    (long long)lo, max_name, (long long)hi);
        return;
    }
    set_num(r, "min_instances_per_model", (double)lo, mn ? mn : spec);
    set_num(r, "max_instances_per_model", (double)hi, mx ? mx : spec);
}

static const char *const hpa_known[] = {
    "apiVersion", "kind", "metadata.*", "spec.scaleTargetRef.*", "spec.minReplicas", "spec.maxReplicas",
    "spec.metrics.*", "spec.targetCPUUtilizationPercentage", "spec.behavior.scaleUp.stabilizationWindowSeconds",
    "spec.behavior.scaleUp.selectPolicy", "spec.behavior.scaleUp.tolerance", "spec.behavior.scaleUp.policies.*",
    "spec.behavior.scaleDown.stabilizationWindowSeconds", "spec.behavior.scaleDown.selectPolicy",
    "spec.behavior.scaleDown.tolerance", "spec.behavior.scaleDown.policies.*", NULL};

/* The vLLM metric named in text (a metric name, or a Prometheus query
 * that reads it), as hpa.metric.name takes it, or NULL. */
static const char *vllm_metric_in(const char *text)
{
    static const char *const names[] = {"vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
                                        "vllm:gpu_cache_usage_perc"};
    for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++)
        if (strstr(text, names[i]))
            return names[i];
    return NULL;
}

/* A Kubernetes quantity ("5", "0.8", "500m") as a number; 0 when it is
 * none (said at n). */
static int get_quantity(reader *r, yaml_node_t *n, const char *what, double *out)
{
    const char *v = ts_yaml_scalar(n);
    char buf[64];
    size_t len = v ? strlen(v) : 0;
    int milli = len > 1 && v[len - 1] == 'm';
    snprintf(buf, sizeof buf, "%.*s", (int)(milli ? len - 1 : len), v ? v : "");
    if (!v || ts_parse_double(buf, out) != TS_OK || !(*out > 0)) {
        ts_yaml_err(r->y, n, "%s is %s (expected a quantity above 0 per pod, such as 5, 0.8 or 500m)", what,
                    v ? v : "not a value");
        return 0;
    }
    if (milli)
        *out /= 1000.0;
    return 1;
}

/* Scales the pool on a vLLM metric with its target (node tn, the field
 * named field): the simulation as the manifest has it. */
static void use_vllm_metric(reader *r, const char *name, yaml_node_t *tn, const char *field, yaml_node_t *at_n)
{
    double v;
    if (!tn) {
        ts_yaml_err(r->y, at_n, "the metric %s has no target (expected %s: the waiting requests, or the KV "
                                "fraction, per pod)", name, field);
        return;
    }
    if (!get_quantity(r, tn, field, &v))
        return;
    char num[32], section[160];
    ts_fmt_double(v, num);
    snprintf(section, sizeof section, "{name: %s, target: %s}", name, num);
    sets_add(r, "hpa.metric", section, tn);
}

static void read_hpa(reader *r, yaml_node_t *root, int v1)
{
    yaml_node_t *spec = ts_yaml_get(r->y, root, "spec");
    sets_add(r, "policy", "hpa", root);
    read_bounds(r, spec, "minReplicas", "maxReplicas", 1, 0, 0);
    yaml_node_t *bn = at(r->y, spec, "behavior");
    if (bn)
        read_behavior(r, bn, "spec.behavior");
    yaml_node_t *cpu = ts_yaml_get(r->y, spec, "targetCPUUtilizationPercentage");
    if (v1 && cpu) {
        char what[200];
        snprintf(what, sizeof what, "the metric targetCPUUtilizationPercentage %s", ts_yaml_scalar(cpu) ? ts_yaml_scalar(cpu) : "");
        warn_metric(r, cpu, what);
    }
    yaml_node_t *ms = ts_yaml_get(r->y, spec, "metrics");
    for (yaml_node_item_t *it = ms && ms->type == YAML_SEQUENCE_NODE ? ms->data.sequence.items.start : NULL;
         it && it < ms->data.sequence.items.top; it++) {
        yaml_node_t *mn = yaml_document_get_node(&r->y->doc, *it);
        const char *type = ts_yaml_scalar(ts_yaml_get(r->y, mn, "type"));
        const char *name = NULL;
        static const char *const paths[] = {"resource.name", "pods.metric.name", "object.metric.name",
                                            "external.metric.name", "containerResource.name"};
        for (size_t i = 0; i < 5 && !name; i++)
            name = ts_yaml_scalar(at(r->y, mn, paths[i]));
        const char *vllm = vllm_metric_in(name);
        if (vllm && !r->own) {
            static const char *const targets[] = {"pods.target.averageValue", "object.target.value",
                                                  "object.target.averageValue", "external.target.averageValue",
                                                  "external.target.value"};
            yaml_node_t *tn = NULL;
            for (size_t i = 0; i < 5 && !tn; i++)
                tn = at(r->y, mn, targets[i]);
            use_vllm_metric(r, vllm, tn, "target.averageValue", mn);
            continue;
        }
        char what[300];
        snprintf(what, sizeof what, "the metric %s (%s)", name ? name : "?", type ? type : "?");
        warn_metric(r, mn, what);
    }
    warn_unused(r, root, "", hpa_known);
}

static const char *const keda_known[] = {
    "apiVersion", "kind", "metadata.*", "spec.scaleTargetRef.*", "spec.minReplicaCount", "spec.maxReplicaCount",
    "spec.cooldownPeriod", "spec.triggers.*", "spec.pollingInterval",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.stabilizationWindowSeconds",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.selectPolicy",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies.*",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.selectPolicy",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.tolerance",
    "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies.*", NULL};

/* Whether tr is a list of triggers, every one of type cron. */
static bool all_cron(reader *r, yaml_node_t *tr)
{
    if (!tr || tr->type != YAML_SEQUENCE_NODE || tr->data.sequence.items.start == tr->data.sequence.items.top)
        return false;
    for (yaml_node_item_t *it = tr->data.sequence.items.start; it < tr->data.sequence.items.top; it++) {
        const char *type = ts_yaml_scalar(ts_yaml_get(r->y, yaml_document_get_node(&r->y->doc, *it), "type"));
        if (!type || strcmp(type, "cron"))
            return false;
    }
    return true;
}

/* Appends the window(s) of days mask, [from, to), replicas n, to the flow
 * list w: one window for every day, weekdays or weekends, else one a day. */
static void add_window(ts_buf *w, int *count, unsigned mask, int from, int to, int64_t n)
{
    static const int groups[] = {TS_DAYS_DAILY, TS_DAYS_WEEKDAYS, TS_DAYS_WEEKENDS};
    int days = -1;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        if (mask == ts_schedule_day_mask(groups[g]))
            days = groups[g];
    for (int d = 0; d < 7; d++) {
        if (days < 0 && !(mask >> d & 1u))
            continue;
        ts_buf_printf(w, "%s{days: %s, from_hour: %d, to_hour: %d, replicas: %lld}", (*count)++ ? ", " : "",
                      ts_schedule_day_names[days >= 0 ? days : TS_DAYS_SUN + d], from, to, (long long)n);
        if (days >= 0)
            break;
    }
}

static bool utc_zone(const char *tz)
{
    static const char *const utc[] = {"Etc/UTC", "UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"};
    for (size_t i = 0; i < sizeof utc / sizeof utc[0]; i++)
        if (!strcmp(tz, utc[i]))
            return true;
    return false;
}

/* One cron trigger's start or end, reported at its node when it is no
 * cron time. Returns TS_OK or TS_EINPUT. */
static ts_status cron_field(reader *r, yaml_node_t *md, const char *name, const char *what, ts_cron_time *out)
{
    yaml_node_t *n = ts_yaml_get(r->y, md, name);
    const char *s = ts_yaml_scalar(n);
    char why[300];
    if (!s) {
        ts_yaml_err(r->y, n ? n : md, "%s.%s is missing (expected %s)", what, name,
                    "a cron time \"M H * * DAYS\"");
        return TS_EINPUT;
    }
    if (ts_cron_parse(s, out, why, sizeof why) != TS_OK) {
        ts_yaml_err(r->y, n, "%s.%s is %s (expected %s)", what, name, s, why);
        return TS_EINPUT;
    }
    return TS_OK;
}

/* A ScaledObject whose triggers are all cron: the schedule policy. */
static void read_cron(reader *r, yaml_node_t *tr)
{
    ts_buf w;
    ts_buf_init(&w);
    ts_buf_putc(&w, '[');
    int count = 0, lead_min = -1, bad = 0;
    yaml_node_t *first = NULL;
    for (yaml_node_item_t *it = tr->data.sequence.items.start; it < tr->data.sequence.items.top; it++) {
        yaml_node_t *t = yaml_document_get_node(&r->y->doc, *it);
        char what[64];
        snprintf(what, sizeof what, "spec.triggers[%d].metadata", (int)(it - tr->data.sequence.items.start));
        yaml_node_t *md = ts_yaml_get(r->y, t, "metadata");
        const char *tz = ts_yaml_scalar(ts_yaml_get(r->y, md, "timezone"));
        if (tz && !utc_zone(tz))
            ts_warn(r->w, r->y->file, ts_yaml_line(md), ts_yaml_col(md),
                    "%s.timezone %s: tapscale's clock is UTC, and reads the times as UTC", what, tz);
        ts_cron_time start, end;
        int64_t n = 0;
        yaml_node_t *dn = ts_yaml_get(r->y, md, "desiredReplicas");
        char dwhat[96];
        snprintf(dwhat, sizeof dwhat, "%s.desiredReplicas", what);
        const bool ok_start = cron_field(r, md, "start", what, &start) == TS_OK;
        bool ok_end = cron_field(r, md, "end", what, &end) == TS_OK;
        bool ok_n = dn && get_int(r, dn, dwhat, 0, 1000000000, &n) == TS_OK;
        if (!dn)
            ts_yaml_err(r->y, md ? md : t, "%s is missing (expected an integer from 0 to 1000000000)", dwhat);
        yaml_node_t *en = ts_yaml_get(r->y, md, "end");
        if (ok_end && end.minute_of_day % 60) {
            ts_yaml_err(r->y, en, "%s.end is %s (expected a time on the hour: tapscale's windows close on the hour)",
                        what, ts_yaml_scalar(en));
            ok_end = false;
        }
        if (!ok_start || !ok_end || !ok_n) {
            bad = 1;
            continue;
        }
        int from = (start.minute_of_day + 59) / 60, to = end.minute_of_day / 60;
        int lm = from * 60 - start.minute_of_day;
        unsigned smask = start.days, emask = end.days;
        if (from == 24) {
            from = 0;
            smask = ts_schedule_shift_days(smask, 1);
        }
        if (to == 0) {
            to = 24;
            emask = ts_schedule_shift_days(emask, -1);
        }
        yaml_node_t *sn = ts_yaml_get(r->y, md, "start");
        if (lead_min < 0) {
            lead_min = lm;
            first = sn;
        } else if (lm != lead_min)
            ts_warn(r->w, r->y->file, ts_yaml_line(sn), ts_yaml_col(sn),
                    "%s.start opens %d minutes before the hour, the first trigger %d (line %d): tapscale asks for every "
                    "window's replicas schedule.lead_s=%d early, and reads this one so",
                    what, lm, lead_min, ts_yaml_line(first), lead_min * 60);
        if (smask == emask && from < to)
            add_window(&w, &count, smask, from, to, n);
        else if (ts_schedule_shift_days(smask, 1) == emask && from >= to) {
            add_window(&w, &count, smask, from, 24, n);
            add_window(&w, &count, emask, 0, to, n);
        } else {
            ts_yaml_err(r->y, t, "%s: the window %s to %s does not close later on the day it opens or on the day after "
                                 "(expected start and end crons with the same days, or end's the day after start's)",
                        what, ts_yaml_scalar(sn), ts_yaml_scalar(en));
            bad = 1;
        }
    }
    ts_buf_putc(&w, ']');
    ts_buf_putc(&w, '\0');
    if (w.oom)
        r->status = TS_ENOMEM;
    else if (!bad) {
        sets_add(r, "policy", "schedule", tr);
        set_num(r, "schedule.lead_s", (double)(lead_min > 0 ? lead_min : 0) * 60, first);
        sets_add(r, "schedule.windows", w.data, tr);
    }
    ts_buf_free(&w);
}

static void read_keda(reader *r, yaml_node_t *root)
{
    yaml_node_t *spec = ts_yaml_get(r->y, root, "spec");
    yaml_node_t *tr = ts_yaml_get(r->y, spec, "triggers");
    const bool cron = all_cron(r, tr);
    if (!cron)
        sets_add(r, "policy", "hpa", root);
    read_bounds(r, spec, "minReplicaCount", "maxReplicaCount", 0, 1, 100);
    yaml_node_t *n = ts_yaml_get(r->y, spec, "cooldownPeriod");
    int64_t v;
    if (n && get_int(r, n, "spec.cooldownPeriod", 0, 86400, &v) == 0)
        set_num(r, "hpa.keda_cooldown_s", (double)v, n);
    else if (!n)
        set_num(r, "hpa.keda_cooldown_s", 300, spec);
    if ((n = ts_yaml_get(r->y, spec, "pollingInterval")))
        ts_warn(r->w, r->y->file, ts_yaml_line(n), ts_yaml_col(n),
                "spec.pollingInterval %s: tapscale checks activation from zero at every HPA sync (hpa.sync_period_s) instead",
                ts_yaml_scalar(n) ? ts_yaml_scalar(n) : "");
    yaml_node_t *bn = at(r->y, spec, "advanced.horizontalPodAutoscalerConfig.behavior");
    if (bn)
        read_behavior(r, bn, "spec.advanced.horizontalPodAutoscalerConfig.behavior");
    if (cron)
        read_cron(r, tr);
    for (yaml_node_item_t *it = !cron && tr && tr->type == YAML_SEQUENCE_NODE ? tr->data.sequence.items.start : NULL;
         it && it < tr->data.sequence.items.top; it++) {
        yaml_node_t *t = yaml_document_get_node(&r->y->doc, *it);
        const char *type = ts_yaml_scalar(ts_yaml_get(r->y, t, "type"));
        const char *th = ts_yaml_scalar(at(r->y, t, "metadata.threshold"));
        const char *act = ts_yaml_scalar(at(r->y, t, "metadata.activationThreshold"));
        const char *vllm = type && !strcmp(type, "prometheus")
                               ? vllm_metric_in(ts_yaml_scalar(at(r->y, t, "metadata.query")))
                               : NULL;
        if (vllm && !r->own) {
            /* KEDA's default metricType, AverageValue: the threshold per replica */
            use_vllm_metric(r, vllm, at(r->y, t, "metadata.threshold"), "metadata.threshold", t);
            continue;
        }
        char what[400];
        snprintf(what, sizeof what, "the %s trigger (threshold %s, activationThreshold %s)", type ? type : "?",
                 th ? th : "none", act ? act : "none");
        warn_metric(r, t, what);
    }
    warn_unused(r, root, "", keda_known);
}

/* A Knative annotation or config-autoscaler key, and what it becomes. */
typedef enum kn_kind { KN_NUM, KN_INT, KN_DURATION, KN_MAX, KN_CLASS, KN_METRIC, KN_IGNORED } kn_kind;
static const struct {
    const char *name;
    kn_kind kind;
    const char *key;
} kn_keys[] = {
    {"class", KN_CLASS, NULL},
    {"metric", KN_METRIC, NULL},
    {"target", KN_METRIC, NULL},
    {"target-utilization-percentage", KN_NUM, "target_utilization_pct"},
    {"container-concurrency-target-percentage", KN_NUM, "target_utilization_pct"},
    {"window", KN_DURATION, "kpa.stable_window_s"},
    {"stable-window", KN_DURATION, "kpa.stable_window_s"},
    {"panic-window-percentage", KN_NUM, "kpa.panic_window_pct"},
    {"panic-threshold-percentage", KN_NUM, "kpa.panic_threshold_pct"},
    {"max-scale-up-rate", KN_NUM, "kpa.max_scale_up_rate"},
    {"max-scale-down-rate", KN_NUM, "kpa.max_scale_down_rate"},
    {"scale-to-zero-grace-period", KN_DURATION, "kpa.scale_to_zero_grace_s"},
    {"scale-down-delay", KN_DURATION, "kpa.scale_down_delay_s"},
    {"activation-scale", KN_INT, "kpa.activation_scale"},
    {"min-scale", KN_INT, "min_instances_per_model"},
    {"max-scale", KN_MAX, "max_instances_per_model"},
    {"initial-scale", KN_IGNORED, "tapscale starts from its start formula (or initial_replicas in demand.yaml) instead"},
};

/* The camelCase annotation names Knative still reads, each after its
 * current name (knative/serving pkg/apis/autoscaling/register.go: the
 * second key of each KeyPriority). */
static const struct {
    const char *legacy, *current;
} kn_legacy[] = {
    {"minScale", "min-scale"},
    {"maxScale", "max-scale"},
    {"initialScale", "initial-scale"},
    {"targetUtilizationPercentage", "target-utilization-percentage"},
    {"panicWindowPercentage", "panic-window-percentage"},
    {"panicThresholdPercentage", "panic-threshold-percentage"},
    {"scaleDownDelay", "scale-down-delay"},
    {"targetBurstCapacity", "target-burst-capacity"},
    {"metricAggregationAlgorithm", "metric-aggregation-algorithm"},
    {"scaleToZeroPodRetentionPeriod", "scale-to-zero-pod-retention-period"},
};

/* One Knative key (its current name) as shown (what the file writes): its
 * setting, a warning, or an "unused" warning. */
static void read_kn_key_as(reader *r, const char *name, const char *shown, yaml_node_t *vn, const char *where)
{
    size_t i = 0;
    while (i < sizeof kn_keys / sizeof kn_keys[0] && strcmp(kn_keys[i].name, name) != 0)
        i++;
    const char *s = ts_yaml_scalar(vn);
    char what[300];
    snprintf(what, sizeof what, "%s%s", where, shown);
    if (i == sizeof kn_keys / sizeof kn_keys[0]) {
        const char *near = NULL;
        size_t best_d = ts_near_limit(name);
        for (size_t k = 0; k < sizeof kn_keys / sizeof kn_keys[0]; k++) {
            size_t dist = ts_edit_distance(name, kn_keys[k].name);
            if (dist < best_d) {
                best_d = dist;
                near = kn_keys[k].name;
            }
        }
        if (near)
            ts_warn(r->w, r->y->file, ts_yaml_line(vn), ts_yaml_col(vn),
                    "%s is not used by tapscale (ignored; did you mean %s%s?)", what, where, near);
        else
            ts_warn(r->w, r->y->file, ts_yaml_line(vn), ts_yaml_col(vn), "%s is not used by tapscale (ignored)", what);
        return;
    }
    double v;
    switch (kn_keys[i].kind) {
    case KN_CLASS:
        if (s && strstr(s, "hpa.autoscaling.knative.dev")) {
            sets_add(r, "policy", "hpa", vn);
            ts_warn(r->w, r->y->file, ts_yaml_line(vn), ts_yaml_col(vn),
                    "%s %s: simulated as tapscale's hpa policy with its own settings", what, s);
        } else if (s && !strstr(s, "kpa.autoscaling.knative.dev")) {
            ts_yaml_err(r->y, vn, "%s is %s (expected kpa.autoscaling.knative.dev or hpa.autoscaling.knative.dev)", what, s);
        }
        break;
    case KN_METRIC: {
        char m[400];
        snprintf(m, sizeof m, "%s %s", what, s ? s : "");
        warn_metric(r, vn, m);
        break;
    }
    case KN_NUM:
        if (!s || ts_parse_double(s, &v) != 0)
            ts_yaml_err(r->y, vn, "%s is %s (expected a number)", what, s ? s : "not a scalar");
        else
            sets_add(r, kn_keys[i].key, s, vn);
        break;
    case KN_INT:
    case KN_MAX: {
        int64_t iv;
        if (get_int(r, vn, what, kn_keys[i].kind == KN_MAX ? 0 : 0, 1000000000, &iv) == 0 &&
            !(kn_keys[i].kind == KN_MAX && iv == 0)) /* max-scale 0: no limit */
            set_num(r, kn_keys[i].key, (double)iv, vn);
        break;
    }
    case KN_DURATION:
        if (get_duration(r, vn, what, &v) == 0)
            set_num(r, kn_keys[i].key, v, vn);
        break;
    case KN_IGNORED:
        ts_warn(r->w, r->y->file, ts_yaml_line(vn), ts_yaml_col(vn), "%s %s: %s", what, s ? s : "", kn_keys[i].key);
        break;
    }
}

static const char *const ksvc_known[] = {"apiVersion", "kind", "metadata.*", "spec.template.metadata.annotations.*",
                                         "spec.template.spec.*", "spec.template.metadata.name",
                                         "spec.template.metadata.labels.*", "spec.traffic.*", NULL};

static void read_kn_key(reader *r, const char *name, yaml_node_t *vn, const char *where)
{
    read_kn_key_as(r, name, name, vn, where);
}

/* An annotation of the revision template, by its name after the prefix: a
 * legacy name reads as its current one, unless the current one is given
 * too (Knative reads that one first: the legacy one is named in a
 * warning). */
static void read_kn_annotation(reader *r, yaml_node_t *an, const char *name, yaml_node_t *vn, const char *prefix)
{
    for (size_t i = 0; i < sizeof kn_legacy / sizeof kn_legacy[0]; i++) {
        if (strcmp(kn_legacy[i].legacy, name) != 0)
            continue;
        char current[128];
        snprintf(current, sizeof current, "%s%s", prefix, kn_legacy[i].current);
        if (ts_yaml_get(r->y, an, current))
            ts_warn(r->w, r->y->file, ts_yaml_line(vn), ts_yaml_col(vn),
                    "%s%s is ignored: %s is given too, and Knative reads the current name first", prefix, name, current);
        else
            read_kn_key_as(r, kn_legacy[i].current, name, vn, prefix);
        return;
    }
    read_kn_key(r, name, vn, prefix);
}

static void read_knative(reader *r, yaml_node_t *root)
{
    sets_add(r, "policy", "kpa", root);
    /* Knative's target utilization unless its config or annotation says */
    sets_add(r, "target_utilization_pct", "70", root);
    yaml_node_t *an = at(r->y, root, "spec.template.metadata.annotations");
    static const char prefix[] = "autoscaling.knative.dev/";
    for (yaml_node_pair_t *pr = an && an->type == YAML_MAPPING_NODE ? an->data.mapping.pairs.start : NULL;
         pr && pr < an->data.mapping.pairs.top; pr++) {
        const char *k = ts_yaml_scalar(yaml_document_get_node(&r->y->doc, pr->key));
        yaml_node_t *vn = yaml_document_get_node(&r->y->doc, pr->value);
        if (k && !strncmp(k, prefix, sizeof prefix - 1))
            read_kn_annotation(r, an, k + sizeof prefix - 1, vn, prefix);
        else
            ts_warn(r->w, r->y->file, ts_yaml_line(vn), ts_yaml_col(vn), "annotation %s is not used by tapscale (ignored)",
                    k ? k : "?");
    }
    if (!ts_yaml_get(r->y, an, "autoscaling.knative.dev/metric")) {
        /* Knative scales on its default metric: concurrency, cpu for the HPA class */
        const char *cls = ts_yaml_scalar(ts_yaml_get(r->y, an, "autoscaling.knative.dev/class"));
        warn_metric(r, an ? an : root,
                    cls && strstr(cls, "hpa.autoscaling.knative.dev")
                        ? "the default metric of the hpa class, cpu (no autoscaling.knative.dev/metric),"
                        : "Knative's default metric, concurrency (no autoscaling.knative.dev/metric),");
    }
    warn_unused(r, root, "", ksvc_known);
}

static void read_configmap(reader *r, yaml_node_t *root)
{
    yaml_node_t *data = ts_yaml_get(r->y, root, "data");
    for (yaml_node_pair_t *pr = data && data->type == YAML_MAPPING_NODE ? data->data.mapping.pairs.start : NULL;
         pr && pr < data->data.mapping.pairs.top; pr++) {
        const char *k = ts_yaml_scalar(yaml_document_get_node(&r->y->doc, pr->key));
        if (k && strcmp(k, "_example") != 0)
            read_kn_key(r, k, yaml_document_get_node(&r->y->doc, pr->value), "config-autoscaler ");
    }
}

/* The kinds read, by apiVersion and kind. */
static const struct {
    const char *api;
    const char *kind;
    int which; /* 0 HPA v2, 1 HPA v1, 2 KEDA, 3 Knative Service, 4 ConfigMap */
} kinds[] = {
    {"autoscaling/v2", "HorizontalPodAutoscaler", 0}, {"autoscaling/v2beta2", "HorizontalPodAutoscaler", 0},
    {"autoscaling/v1", "HorizontalPodAutoscaler", 1}, {"keda.sh/v1alpha1", "ScaledObject", 2},
    {"serving.knative.dev/v1", "Service", 3},         {"v1", "ConfigMap", 4},
};

static ts_manifest_object *add_object(ts_manifests *m)
{
    ts_manifest_object *grown = ts_grow(m->objects, m->n, &m->cap, sizeof *grown, 8);
    if (!grown)
        return NULL;
    m->objects = grown;
    ts_manifest_object *o = &m->objects[m->n++];
    memset(o, 0, sizeof *o);
    return o;
}

/* One document. Returns TS_OK (its errors said in d), or TS_ENOMEM. */
static ts_status read_document(ts_yaml *y, ts_manifests *m, ts_diags *d, ts_diags *w)
{
    yaml_node_t *root = ts_yaml_root(y);
    const char *api = ts_yaml_scalar(ts_yaml_get(y, root, "apiVersion"));
    const char *kind = ts_yaml_scalar(ts_yaml_get(y, root, "kind"));
    size_t i = 0;
    while (i < sizeof kinds / sizeof kinds[0] && !(kind && !strcmp(kinds[i].kind, kind)))
        i++;
    if (i == sizeof kinds / sizeof kinds[0]) {
        ts_warn(w, y->file, ts_yaml_line(root), ts_yaml_col(root), "a %s is not an autoscaler (ignored)",
                kind ? kind : "document without a kind");
        return TS_OK;
    }
    size_t j = i;
    while (j < sizeof kinds / sizeof kinds[0] && !(api && !strcmp(kinds[j].api, api) && !strcmp(kinds[j].kind, kind)))
        j++;
    if (j == sizeof kinds / sizeof kinds[0]) {
        ts_yaml_err(y, ts_yaml_get(y, root, "apiVersion") ? ts_yaml_get(y, root, "apiVersion") : root,
                    "apiVersion of the %s is %s (expected %s)", kind, api ? api : "missing",
                    !strcmp(kind, "HorizontalPodAutoscaler") ? "autoscaling/v2 or autoscaling/v1"
                    : !strcmp(kind, "ScaledObject")          ? "keda.sh/v1alpha1"
                    : !strcmp(kind, "Service")               ? "serving.knative.dev/v1"
                                                              : "v1");
        return TS_OK;
    }
    int which = kinds[j].which;
    reader r = {y, d, w, NULL, TS_OK, 0};
    if (which == 4) {
        if (strcmp(ts_yaml_scalar(at(y, root, "metadata.name")) ? ts_yaml_scalar(at(y, root, "metadata.name")) : "",
                   "config-autoscaler") != 0) {
            ts_warn(w, y->file, ts_yaml_line(root), ts_yaml_col(root),
                    "a ConfigMap other than config-autoscaler is not an autoscaler (ignored)");
            return TS_OK;
        }
        r.sets = &m->knative_defaults;
        read_configmap(&r, root);
        return r.status;
    }
    yaml_node_t *tn = which == 3 ? at(y, root, "metadata.name") : at(y, root, "spec.scaleTargetRef.name");
    if (!ts_yaml_scalar(tn)) {
        ts_yaml_err(y, root, "the %s names no workload (expected %s)", kind,
                    which == 3 ? "metadata.name" : "spec.scaleTargetRef.name");
        return TS_OK;
    }
    ts_manifest_object *o = add_object(m);
    if (!o)
        return TS_ENOMEM;
    o->kind = kinds[j].kind;
    o->knative = which == 3;
    o->target = ts_strdup(ts_yaml_scalar(tn));
    o->file = ts_strdup(y->file);
    o->line = ts_yaml_line(root);
    o->col = ts_yaml_col(root);
    if (!o->target || !o->file)
        return TS_ENOMEM;
    yaml_node_t *own = ts_yaml_get(y, at(y, root, "metadata.annotations"), "tapscale.dev/autoscaling");
    if (own && !ts_yaml_scalar(own)) {
        ts_yaml_err(y, own, "metadata.annotations.tapscale.dev/autoscaling is not text (expected an autoscaling: mapping as a string)");
    } else if (own) {
        char src[600];
        snprintf(src, sizeof src, "%s:%d:%d annotation tapscale.dev/autoscaling", y->file, ts_yaml_line(own),
                 ts_yaml_col(own));
        if (!(o->autoscaling = ts_strdup(ts_yaml_scalar(own))) || !(o->autoscaling_source = ts_strdup(src)))
            return TS_ENOMEM;
        r.own = 1;
    }
    r.sets = &o->sets;
    if (which <= 1)
        read_hpa(&r, root, which == 1);
    else if (which == 2)
        read_keda(&r, root);
    else
        read_knative(&r, root);
    return r.status;
}

void ts_manifests_read(const char *file, const char *text, size_t len, ts_manifests *m, ts_diags *d,
                       ts_diags *warnings)
{
    ts_yaml_stream s;
    if (ts_yaml_stream_open(&s, file, text, len, d) != 0)
        return;
    ts_yaml y;
    int more;
    while (ts_yaml_stream_next(&s, &y, &more) == TS_OK && more) {
        if (ts_yaml_root(&y)->type != YAML_MAPPING_NODE)
            ts_err(d, file, ts_yaml_line(ts_yaml_root(&y)), ts_yaml_col(ts_yaml_root(&y)),
                   "a document is not a mapping (expected a Kubernetes object)");
        else if (ts_yaml_unique_keys(&y, ts_yaml_root(&y), "", 1), read_document(&y, m, d, warnings) != 0)
            d->oom = 1;
        ts_yaml_free(&y);
    }
    ts_yaml_stream_close(&s);
}

static void sets_free(ts_manifest_sets *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].key);
        free(s->items[i].value);
        free(s->items[i].source);
    }
    free(s->items);
}

void ts_manifests_free(ts_manifests *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->objects[i].target);
        free(m->objects[i].file);
        free(m->objects[i].autoscaling);
        free(m->objects[i].autoscaling_source);
        sets_free(&m->objects[i].sets);
    }
    free(m->objects);
    sets_free(&m->knative_defaults);
    memset(m, 0, sizeof *m);
}
