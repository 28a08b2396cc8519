/*
 * settings.c — public_tap.yaml's autoscaling, runtime and meta sections;
 * see settings.h.
 */
#include "inputs/settings.h"
#include "policy/registry.h"
#include "util/diag.h"
#include "util/limits.h"
#include "util/yamlread.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define P(f) offsetof(ts_policy, f)
static const ts_key policy_keys[] = {
    {.name = "target_utilization_pct", .type = TS_KEY_NUM, .offset = P(target_utilization_pct), .required = 1,
     .def = 75, TS_FROM_TO(1, 100), .doc = "the utilization the planner sizes for"},
    {.name = "peak_factor", .type = TS_KEY_NUM, .offset = P(peak_factor), .required = 1, .def = 1.2,
     TS_AT_LEAST(1), .doc = "headroom over the peak (§4)"},
    {.name = "min_instances_per_model", .type = TS_KEY_INT, .offset = P(min_instances), .required = 1, .def = 0,
     TS_FROM_TO(0, TS_MAX_INSTANCES), .expect = "an integer from 0 to max_instances_per_model",
     .doc = "the least replicas of a pool"},
    {.name = "max_instances_per_model", .type = TS_KEY_INT, .offset = P(max_instances), .required = 1, .def = 100,
     TS_FROM_TO(1, TS_MAX_INSTANCES), .doc = "the most replicas of a pool"},
    {.name = "evaluation_interval_s", .type = TS_KEY_INT, .offset = P(evaluation_interval_s), .def = 60,
     TS_FROM_TO(1, TS_MAX_SECONDS), .noun = TS_NOUN_INT_SECONDS,
     .doc = "the threshold policy's step Δ"},
    {.name = "scale_up_threshold_pct", .type = TS_KEY_NUM, .offset = P(scale_up_threshold_pct), .def = 70,
     TS_ABOVE_TO(0, 100), .doc = "scale up when smoothed utilization is above this"},
    {.name = "scale_down_threshold_pct", .type = TS_KEY_NUM, .offset = P(scale_down_threshold_pct), .def = 50,
     TS_ABOVE_TO(0, 100), .expect = "a number above 0 and below scale_up_threshold_pct",
     .doc = "scale down when smoothed utilization is below this"},
    {.name = "scale_up_step_replicas", .type = TS_KEY_INT, .offset = P(scale_up_step), .def = 1,
     TS_FROM_TO(1, TS_MAX_INSTANCES), .doc = "replicas added per scale-up"},
    {.name = "scale_down_step_replicas", .type = TS_KEY_INT, .offset = P(scale_down_step), .def = 1,
     TS_FROM_TO(1, TS_MAX_INSTANCES), .doc = "replicas removed per scale-down, at most"},
    {.name = "stabilization_window_s", .type = TS_KEY_INT, .offset = P(stabilization_window_s), .def = 300,
     TS_FROM_TO(0, TS_MAX_SECONDS), .noun = TS_NOUN_INT_SECONDS,
     .doc = "EWMA window of utilization (0: no smoothing)"},
    {.name = "warmup_s", .type = TS_KEY_INT, .offset = P(warmup_s), .def = 120, TS_FROM_TO(0, TS_MAX_SECONDS),
     .noun = TS_NOUN_INT_SECONDS, .doc = "from a scale-up until the new replicas serve"},
    {.name = "cooldown_s", .type = TS_KEY_INT, .offset = P(cooldown_s), .def = 120, TS_FROM_TO(0, TS_MAX_SECONDS),
     .noun = TS_NOUN_INT_SECONDS, .doc = "after an action, before the next"},
    {.name = "capacity_peak_percentile", .type = TS_KEY_NUM, .offset = P(capacity_peak_percentile),
     .present = TS_PRESENT(P(has_peak_percentile)), .def = 100, TS_ABOVE_TO(0, 100),
     .doc = "the planner sizes for this percentile of demand instead of the maximum"},
    {.name = "policy", .type = TS_KEY_SKIP, .doc = "which autoscaler runs the pools"},
};
#define N_POLICY_KEYS (sizeof policy_keys / sizeof policy_keys[0])

#define R(f) offsetof(ts_runtime, f)
static const ts_key runtime_keys[] = {
    {.name = "slots_total_default", .type = TS_KEY_INT, .offset = R(slots_total_default), .def = 32,
     TS_FROM_TO(1, 1e6), .doc = "concurrent streams of an instance, for stream-type throughput rows"},
    {.name = "batching_efficiency_pct", .type = TS_KEY_NUM, .offset = R(batching_efficiency_pct), .def = 70,
     TS_ABOVE_TO(0, 100), .doc = "share of `slots × per-stream rate` an instance achieves"},
    {.name = "offline_derating_pct", .type = TS_KEY_NUM, .offset = R(offline_derating_pct), .def = 40,
     TS_ABOVE_TO(0, 100), .doc = "share of an offline (infinite-rate) throughput kept"},
    {.name = "allow_tps_heuristic", .type = TS_KEY_BOOL, .offset = R(allow_tps_heuristic), .def = 0,
     .doc = "estimate throughput for models without a figure (with a warning)"},
};
#undef R

typedef struct meta_fields {
    int64_t seed;
    int has_seed;
} meta_fields;

static const ts_key meta_keys[] = {
    {.name = "seed", .type = TS_KEY_INT, .offset = offsetof(meta_fields, seed),
     .present = TS_PRESENT(offsetof(meta_fields, has_seed)), TS_AT_LEAST(0), .doc = "seed of the demand noise"},
};

/* The autoscaling section's table: §2's rows, then one section row per
 * registered policy with settings, placed at its slot of ts_policy; with
 * skip_sections those rows are known keys read apart (TS_KEY_SKIP). */
#define MAX_AUTOSCALING_KEYS (N_POLICY_KEYS + TS_POLICY_MAX)
static size_t autoscaling_table(ts_key *rows, int skip_sections)
{
    size_t n = 0;
    for (size_t i = 0; i < N_POLICY_KEYS; i++)
        rows[n++] = policy_keys[i];
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    for (size_t i = 0; i < nt; i++) {
        if (!types[i]->settings)
            continue;
        rows[n] = types[i]->settings[0];
        rows[n].offset = P(settings) + i * sizeof(ts_policy_settings);
        if (skip_sections)
            rows[n].type = TS_KEY_SKIP;
        n++;
    }
    return n;
}

const ts_key *ts_settings_table(const char *which, size_t *n)
{
    if (!strcmp(which, "autoscaling")) {
        *n = N_POLICY_KEYS;
        return policy_keys;
    }
    if (!strcmp(which, "runtime")) {
        *n = sizeof runtime_keys / sizeof runtime_keys[0];
        return runtime_keys;
    }
    const ts_policy_type *t = ts_policy_type_find(which);
    if (t && t->settings) {
        *n = t->settings[0].n_sub;
        return t->settings[0].sub;
    }
    return NULL;
}

void ts_policy_defaults(ts_policy *p)
{
    memset(p, 0, sizeof *p);
    ts_key rows[MAX_AUTOSCALING_KEYS];
    ts_keys_defaults(rows, autoscaling_table(rows, 0), p);
    p->type = &ts_policy_threshold;
}

void ts_runtime_defaults(ts_runtime *rt)
{
    ts_keys_defaults(runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0], rt);
}

ts_status ts_policy_check(const ts_policy *p, ts_diags *d)
{
    ts_key rows[MAX_AUTOSCALING_KEYS];
    int bad = ts_keys_check(rows, autoscaling_table(rows, 0), p, "autoscaling", d);
    if (p->min_instances > p->max_instances) {
        ts_err(d, NULL, 0, 0, "autoscaling.min_instances_per_model is %lld, above max_instances_per_model %lld (expected min <= max)",
               (long long)p->min_instances, (long long)p->max_instances);
        bad++;
    }
    if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct)) {
        ts_err(d, NULL, 0, 0, "autoscaling.scale_down_threshold_pct is %g, not below scale_up_threshold_pct %g (expected 0 < down < up <= 100)",
               p->scale_down_threshold_pct, p->scale_up_threshold_pct);
        bad++;
    }
    if (!p->type || ts_policy_index(p->type) < 0) {
        ts_err(d, NULL, 0, 0, "autoscaling.policy is not a registered policy");
        bad++;
    }
    return d->oom ? TS_ENOMEM : bad ? TS_EINPUT : TS_OK;
}

/* The bounds between keys: min <= max, down < up. */
static void check_policy_pairs(ts_yaml *yp, yaml_node_t *as, const ts_policy *p)
{
    if (p->min_instances > p->max_instances) {
        yaml_node_t *n = ts_yaml_get(yp, as, "min_instances_per_model");
        ts_yaml_err(yp, n, "autoscaling.min_instances_per_model is %lld, above max_instances_per_model %lld (expected min <= max)",
                    (long long)p->min_instances, (long long)p->max_instances);
    }
    if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct)) {
        yaml_node_t *n = ts_yaml_get(yp, as, "scale_down_threshold_pct");
        if (!n)
            n = ts_yaml_get(yp, as, "scale_up_threshold_pct");
        ts_yaml_err(yp, n, "autoscaling.scale_down_threshold_pct is %g, not below scale_up_threshold_pct %g (expected 0 < down < up <= 100)",
                    p->scale_down_threshold_pct, p->scale_up_threshold_pct);
    }
}

/* autoscaling.policy: a registered name. */
static void read_policy_name(ts_yaml *y, yaml_node_t *as, ts_policy *p)
{
    yaml_node_t *pk = ts_yaml_get(y, as, "policy");
    if (!pk || ts_yaml_is_null(pk))
        return;
    const char *name = ts_yaml_scalar(pk);
    const ts_policy_type *t = ts_policy_type_find(name);
    if (t) {
        p->type = t;
        return;
    }
    char names[200];
    ts_policy_names_text(names, sizeof names);
    ts_yaml_err(y, pk, "autoscaling.policy is %s (expected %s)", name ? name : "not a name", names);
}

int ts_read_public_tap(const char *file, const char *data, size_t len, ts_policy *p, ts_runtime *rt,
                       uint64_t *seed, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    ts_policy_defaults(p);
    ts_runtime_defaults(rt);
    if (ts_yaml_load(&y, file, data, len, d) != 0)
        return (int)(d->n_errors - before);
    yaml_node_t *root = ts_yaml_root(&y);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ts_err(d, file, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "the document is not a mapping (expected top-level sections such as autoscaling:)");
        ts_yaml_free(&y);
        return (int)(d->n_errors - before);
    }
    yaml_node_t *as = ts_yaml_get(&y, root, "autoscaling");
    if (!as)
        ts_err(d, file, 0, 0, "section autoscaling is missing (expected autoscaling: with the policy keys)");
    else {
        ts_key rows[MAX_AUTOSCALING_KEYS];
        size_t n = autoscaling_table(rows, 1);
        int errs = ts_yaml_read_table(&y, as, rows, n, p, 1, "autoscaling", d);
        read_policy_name(&y, as, p);
        /* each policy's section, read apart so that the pairs below are
         * checked whenever §2's own keys read cleanly */
        ts_key sections[MAX_AUTOSCALING_KEYS];
        autoscaling_table(sections, 0);
        for (size_t i = N_POLICY_KEYS; i < n; i++) {
            char what[64];
            snprintf(what, sizeof what, "autoscaling.%s", sections[i].name);
            ts_yaml_read_section(&y, ts_yaml_get(&y, as, sections[i].name), &sections[i], p, what, d);
        }
        if (errs == 0)
            check_policy_pairs(&y, as, p);
    }
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "runtime"), runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0],
                       rt, 1, "runtime", d);
    meta_fields m;
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "meta"), meta_keys, 1, &m, 0, "meta", d);
    *seed = m.has_seed ? (uint64_t)m.seed : 0;
    ts_yaml_free(&y);
    return (int)(d->n_errors - before);
}
