/*
 * settings.c — the settings of a policy: §2's keys of autoscaling:, the
 * policy's name and each registered policy's own section; see settings.h.
 */
#include "policy/settings.h"
#include "policy/registry.h"
#include "util/diag.h"
#include "util/limits.h"
#include "util/strbuf.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define P(f) offsetof(ts_policy, f)
static const ts_key policy_keys[] = {
    {.name = "target_utilization_pct", .type = TS_KEY_NUM, .offset = P(target_utilization_pct), .required = 1,
     .def = 75, TS_FROM_TO(1, 100), .doc = "the utilization the planner sizes for"},
    {.name = "peak_factor", .type = TS_KEY_NUM, .offset = P(peak_factor), .required = 1, .def = 1.2,
     TS_FROM_TO(1, 1000), .doc = "headroom over the peak (§4)"},
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
    {.name = "warmup_p95_factor", .type = TS_KEY_NUM, .offset = P(warmup_p95_factor),
     .present = TS_PRESENT(P(has_warmup_p95_factor)), .def = 1, TS_FROM_TO(1, 100),
     .doc = "p95 of a replica's cold start over its median: each replica draws its own (log-normal)"},
    {.name = "weights_load_gb_per_s", .type = TS_KEY_NUM, .offset = P(weights_load_gb_per_s),
     .present = TS_PRESENT(P(has_weights_load)), .def = 1, TS_ABOVE_TO(0, 1e6),
     .doc = "load bandwidth per GPU: the cold start's median becomes container_start_s + weights / (this × GPUs)"},
    {.name = "container_start_s", .type = TS_KEY_INT, .offset = P(container_start_s), .def = 0,
     TS_FROM_TO(0, TS_MAX_SECONDS), .noun = TS_NOUN_INT_SECONDS,
     .doc = "with weights_load_gb_per_s: the start before the weights load"},
    {.name = "capacity_peak_percentile", .type = TS_KEY_NUM, .offset = P(capacity_peak_percentile),
     .present = TS_PRESENT(P(has_peak_percentile)), .def = 100, TS_ABOVE_TO(0, 100),
     .doc = "the planner sizes for this percentile of demand instead of the maximum"},
    {.name = "policy", .type = TS_KEY_SKIP, .doc = "which autoscaler runs the pools"},
};
#define N_POLICY_KEYS (sizeof policy_keys / sizeof policy_keys[0])

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

const ts_key *ts_policy_keys(const char *which, size_t *n)
{
    if (!strcmp(which, "autoscaling")) {
        *n = N_POLICY_KEYS;
        return policy_keys;
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

/* 1 when one of the --set values names autoscaling.key. */
static int was_set(const char *const *set, size_t n_set, const char *key)
{
    size_t len = strlen(key);
    for (size_t i = 0; i < n_set; i++)
        if (!strncmp(set[i], "autoscaling.", 12) && !strncmp(set[i] + 12, key, len) && set[i][12 + len] == '=')
            return 1;
    return 0;
}

void ts_policy_check_pairs(ts_yaml *yp, yaml_node_t *as, const ts_policy *p, const char *section,
                               const char *const *set, size_t n_set, ts_diags *d)
{
    if (p->min_instances > p->max_instances) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "%s.min_instances_per_model is %lld, above max_instances_per_model %lld (expected min <= max)",
                 section, (long long)p->min_instances, (long long)p->max_instances);
        if (was_set(set, n_set, "min_instances_per_model") || was_set(set, n_set, "max_instances_per_model"))
            ts_err(d, "--set", 0, 0, "%s", msg);
        else
            ts_yaml_err(yp, ts_yaml_get(yp, as, "min_instances_per_model"), "%s", msg);
    }
    if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct)) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "%s.scale_down_threshold_pct is %g, not below scale_up_threshold_pct %g (expected 0 < down < up <= 100)",
                 section, p->scale_down_threshold_pct, p->scale_up_threshold_pct);
        yaml_node_t *n = ts_yaml_get(yp, as, "scale_down_threshold_pct");
        if (!n)
            n = ts_yaml_get(yp, as, "scale_up_threshold_pct");
        if (was_set(set, n_set, "scale_down_threshold_pct") || was_set(set, n_set, "scale_up_threshold_pct"))
            ts_err(d, "--set", 0, 0, "%s", msg);
        else
            ts_yaml_err(yp, n, "%s", msg);
    }
}

/* section.policy: a registered name. */
static void read_policy_name(ts_yaml *y, yaml_node_t *as, ts_policy *p, const char *section)
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
    ts_yaml_err(y, pk, "%s.policy is %s (expected %s)", section, name ? name : "not a name", names);
}

int ts_policy_read(ts_yaml *y, yaml_node_t *as, ts_policy *p, const char *section, ts_diags *d)
{
    ts_key rows[MAX_AUTOSCALING_KEYS];
    size_t n = autoscaling_table(rows, 1);
    int errs = ts_yaml_read_table(y, as, rows, n, p, 1, section, d);
    read_policy_name(y, as, p, section);
    ts_key sections[MAX_AUTOSCALING_KEYS];
    autoscaling_table(sections, 0);
    for (size_t i = N_POLICY_KEYS; i < n; i++) {
        char what[300];
        snprintf(what, sizeof what, "%s.%s", section, sections[i].name);
        yaml_node_t *node = ts_yaml_get(y, as, sections[i].name);
        if (node || !y->overlay)
            ts_yaml_read_section(y, node, &sections[i], p, what, d);
    }
    return errs;
}

ts_status ts_policy_set(ts_policy *p, const char *key, const char *value, const char *source, ts_diags *d)
{
    size_t before = d->n_errors;
    if (!strcmp(key, "policy")) {
        const ts_policy_type *t = ts_policy_type_find(value);
        if (t)
            p->type = t;
        else {
            char names[200];
            ts_policy_names_text(names, sizeof names);
            ts_err(d, source, 0, 0, "autoscaling.policy is %s (expected %s)", value, names);
        }
    } else {
        ts_key rows[MAX_AUTOSCALING_KEYS];
        ts_yaml_apply(rows, autoscaling_table(rows, 0), p, "autoscaling", key, value, source, d);
    }
    return d->oom ? TS_ENOMEM : d->n_errors > before ? TS_EINPUT : TS_OK;
}

ts_status ts_policy_overlay(ts_policy *p, const char *file, const char *text, size_t len, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    if (ts_yaml_load(&y, file, text, len, d) != 0)
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    yaml_node_t *root = ts_yaml_root(&y);
    ts_yaml_unique_keys(&y, root, "", 0);
    yaml_node_t *as = root && root->type == YAML_MAPPING_NODE ? ts_yaml_get(&y, root, "autoscaling") : NULL;
    if (!as || as->type != YAML_MAPPING_NODE) {
        ts_err(d, file, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "no autoscaling: mapping (expected autoscaling: with the keys that differ)");
    } else {
        y.overlay = 1;
        if (ts_policy_read(&y, as, p, "autoscaling", d) == 0)
            ts_policy_check_pairs(&y, as, p, "autoscaling", NULL, 0, d);
    }
    ts_yaml_free(&y);
    return d->oom ? TS_ENOMEM : d->n_errors > before ? TS_EINPUT : TS_OK;
}

int ts_policy_number(const ts_policy *p, const char *key, double *out)
{
    ts_key rows[MAX_AUTOSCALING_KEYS];
    return ts_keys_number(rows, autoscaling_table(rows, 0), p, key, out);
}

void ts_policy_yaml(const ts_policy *p, int indent, ts_buf *b)
{
    ts_key rows[MAX_AUTOSCALING_KEYS];
    size_t n = autoscaling_table(rows, 0);
    ts_buf_printf(b, "%*spolicy: %s\n", indent, "", p->type->name);
    ts_keys_yaml(rows, n, p, indent, b);
}
