/*
 * settings.c — public_tap.yaml's autoscaling, runtime, sla and meta sections;
 * see settings.h.
 */
#include "inputs/settings.h"
#include "policy/registry.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/strbuf.h"
#include "util/yamlread.h"

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

#define S(f) offsetof(ts_sla, f)
static const ts_key sla_keys[] = {
    {.name = "max_delay_s", .type = TS_KEY_NUM, .offset = S(max_delay_s), .present = TS_PRESENT(S(has_max_delay_s)),
     .def = 0, TS_FROM_TO(0, TS_MAX_SECONDS), .noun = TS_NOUN_SECONDS,
     .doc = "the p99 queue delay a token may wait (rule queue_delay; none by default)"},
    {.name = "max_queue_s", .type = TS_KEY_NUM, .offset = S(max_queue_s), .present = TS_PRESENT(S(has_max_queue_s)),
     .def = 0, TS_ABOVE_TO(0, TS_MAX_SECONDS), .noun = TS_NOUN_SECONDS,
     .doc = "timeout: a token that would wait longer is dropped (none by default)"},
};
#undef S
#define N_SLA_KEYS (sizeof sla_keys / sizeof sla_keys[0])

typedef struct meta_fields {
    int64_t seed;
    int has_seed;
} meta_fields;

static const ts_key meta_keys[] = {
    {.name = "seed", .type = TS_KEY_INT, .offset = offsetof(meta_fields, seed),
     .present = TS_PRESENT(offsetof(meta_fields, has_seed)), TS_FROM_TO(0, 9e18),
     .doc = "seed of the demand noise"},
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
    if (!strcmp(which, "sla")) {
        *n = N_SLA_KEYS;
        return sla_keys;
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

/* 1 when one of the --set values names autoscaling.key. */
static int was_set(const char *const *set, size_t n_set, const char *key)
{
    size_t len = strlen(key);
    for (size_t i = 0; i < n_set; i++)
        if (!strncmp(set[i], "autoscaling.", 12) && !strncmp(set[i] + 12, key, len) && set[i][12 + len] == '=')
            return 1;
    return 0;
}

/* The bounds between keys: min <= max, down < up. Each is reported where
 * the value came from: the file's key, or --set. */
static void check_policy_pairs(ts_yaml *yp, yaml_node_t *as, const ts_policy *p, const char *section,
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

/* An autoscaling mapping into p: §2's keys (strictly), the policy's name,
 * each policy's section (read apart, so that the bounds between §2's keys
 * are checked whenever §2's own keys read cleanly). In overlay mode only
 * the keys given change. Returns the number of errors of §2's keys. */
static int read_autoscaling(ts_yaml *y, yaml_node_t *as, ts_policy *p, const char *section, ts_diags *d)
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

/* One --set: KEY=VALUE with KEY autoscaling.*, runtime.*, sla.* or
 * meta.seed. */
static void apply_set(const char *s, ts_policy *p, ts_runtime *rt, ts_sla *sla, meta_fields *m, ts_diags *d)
{
    const char *eq = strchr(s, '=');
    if (!eq) {
        ts_err(d, "--set", 0, 0, "%s has no value (expected KEY=VALUE)", s);
        return;
    }
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)(eq - s < 255 ? eq - s : 255), s);
    const char *value = eq + 1;
    if (!strncmp(key, "autoscaling.", 12))
        ts_policy_set(p, key + 12, value, "--set", d);
    else if (!strncmp(key, "runtime.", 8))
        ts_yaml_apply(runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0], rt, "runtime", key + 8, value,
                      "--set", d);
    else if (!strncmp(key, "sla.", 4))
        ts_yaml_apply(sla_keys, N_SLA_KEYS, sla, "sla", key + 4, value, "--set", d);
    else if (!strncmp(key, "meta.", 5))
        ts_yaml_apply(meta_keys, 1, m, "meta", key + 5, value, "--set", d);
    else
        ts_err(d, "--set", 0, 0, "unknown key %s (expected autoscaling.KEY, runtime.KEY, sla.KEY or meta.seed)", key);
}

/* models: each model's own autoscaling settings, over the file's. */
static void read_model_policies(ts_yaml *y, yaml_node_t *mn, const ts_policy *global, ts_model_policy **out,
                                size_t *n_out, ts_diags *d)
{
    if (!mn || ts_yaml_is_null(mn))
        return;
    if (mn->type != YAML_MAPPING_NODE) {
        ts_yaml_err(y, mn, "models is not a mapping (expected model ids, each with an autoscaling: mapping)");
        return;
    }
    size_t n = (size_t)(mn->data.mapping.pairs.top - mn->data.mapping.pairs.start);
    ts_model_policy *mp = ts_calloc(n ? n : 1, sizeof *mp);
    if (!mp) {
        d->oom = 1;
        return;
    }
    size_t k = 0;
    y->overlay = 1;
    for (yaml_node_pair_t *pr = mn->data.mapping.pairs.start; pr < mn->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&y->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&y->doc, pr->value);
        const char *model = ts_yaml_scalar(kn);
        if (!model || !*model) {
            ts_yaml_err(y, kn, "a model key is not a model id (expected a model id such as meta-llama/Llama-3.1-8B-Instruct)");
            continue;
        }
        char section[300];
        snprintf(section, sizeof section, "models.%s", model);
        static const ts_key model_keys[] = {
            {.name = "autoscaling", .type = TS_KEY_SKIP, .doc = "the model's own autoscaling keys"},
        };
        int dummy;
        if (ts_yaml_read_table(y, vn, model_keys, 1, &dummy, 1, section, d) != 0)
            continue;
        ts_model_policy *m = &mp[k];
        m->policy = *global;
        strncat(section, ".autoscaling", sizeof section - strlen(section) - 1);
        yaml_node_t *as = ts_yaml_get(y, vn, "autoscaling");
        if (read_autoscaling(y, as, &m->policy, section, d) == 0)
            check_policy_pairs(y, as, &m->policy, section, NULL, 0, d);
        m->model = ts_strdup(model);
        m->file = ts_strdup(y->file);
        m->line = ts_yaml_line(kn);
        m->col = ts_yaml_col(kn);
        k++;
        if (!m->model || !m->file)
            d->oom = 1;
    }
    y->overlay = 0;
    *out = mp;
    *n_out = k;
}

/* manifests: a list of file names. */
static void read_manifest_list(ts_yaml *y, yaml_node_t *mn, char ***out, size_t *n_out, int allow_outside,
                               ts_diags *d)
{
    if (!mn || ts_yaml_is_null(mn))
        return;
    if (mn->type != YAML_SEQUENCE_NODE) {
        ts_yaml_err(y, mn, "manifests is not a list (expected a list of manifest files, relative to this file)");
        return;
    }
    size_t n = (size_t)(mn->data.mapping.pairs.top - mn->data.mapping.pairs.start);
    n = (size_t)(mn->data.sequence.items.top - mn->data.sequence.items.start);
    char **list = ts_calloc(n ? n : 1, sizeof *list);
    if (!list) {
        d->oom = 1;
        return;
    }
    size_t k = 0;
    for (yaml_node_item_t *it = mn->data.sequence.items.start; it < mn->data.sequence.items.top; it++) {
        yaml_node_t *fn = yaml_document_get_node(&y->doc, *it);
        const char *f = ts_yaml_scalar(fn);
        if (!f || !*f) {
            ts_yaml_err(y, fn, "a manifests entry is not a file name (expected a YAML file relative to public_tap.yaml)");
            continue;
        }
        if (!allow_outside && ts_path_escapes(f, 1)) {
            ts_yaml_err(y, fn, "manifest %s leads outside the inputs folder (expected a path inside it, relative to "
                               "public_tap.yaml; --allow-outside-inputs permits others)", f);
            continue;
        }
        if (!(list[k++] = ts_strdup(f)))
            d->oom = 1;
    }
    *out = list;
    *n_out = k;
}

int ts_read_public_tap(const char *file, const char *data, size_t len, const char *const *set, size_t n_set,
                       ts_policy *p, ts_runtime *rt, ts_sla *sla, uint64_t *seed, ts_model_policy **models,
                       size_t *n_models, char ***manifests, size_t *n_manifests, int allow_outside, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    ts_policy_defaults(p);
    ts_runtime_defaults(rt);
    memset(sla, 0, sizeof *sla);
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
    int errs = 0;
    if (!as)
        ts_err(d, file, 0, 0, "section autoscaling is missing (expected autoscaling: with the policy keys)");
    else
        errs = read_autoscaling(&y, as, p, "autoscaling", d);
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "runtime"), runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0],
                       rt, 1, "runtime", d);
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "sla"), sla_keys, N_SLA_KEYS, sla, 1, "sla", d);
    meta_fields m;
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "meta"), meta_keys, 1, &m, 0, "meta", d);
    size_t before_set = d->n_errors;
    for (size_t i = 0; i < n_set; i++)
        apply_set(set[i], p, rt, sla, &m, d);
    if (as && errs == 0 && d->n_errors == before_set)
        check_policy_pairs(&y, as, p, "autoscaling", set, n_set, d);
    *seed = m.has_seed ? (uint64_t)m.seed : 0;
    read_model_policies(&y, ts_yaml_get(&y, root, "models"), p, models, n_models, d);
    read_manifest_list(&y, ts_yaml_get(&y, root, "manifests"), manifests, n_manifests, allow_outside, d);
    ts_yaml_free(&y);
    return (int)(d->n_errors - before);
}

ts_status ts_policy_overlay(ts_policy *p, const char *file, const char *text, size_t len, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    if (ts_yaml_load(&y, file, text, len, d) != 0)
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    yaml_node_t *root = ts_yaml_root(&y);
    yaml_node_t *as = root && root->type == YAML_MAPPING_NODE ? ts_yaml_get(&y, root, "autoscaling") : NULL;
    if (!as || as->type != YAML_MAPPING_NODE) {
        ts_err(d, file, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "no autoscaling: mapping (expected autoscaling: with the keys that differ)");
    } else {
        y.overlay = 1;
        if (read_autoscaling(&y, as, p, "autoscaling", d) == 0)
            check_policy_pairs(&y, as, p, "autoscaling", NULL, 0, d);
    }
    ts_yaml_free(&y);
    return d->oom ? TS_ENOMEM : d->n_errors > before ? TS_EINPUT : TS_OK;
}

void ts_policy_yaml(const ts_policy *p, int indent, ts_buf *b)
{
    ts_key rows[MAX_AUTOSCALING_KEYS];
    size_t n = autoscaling_table(rows, 0);
    ts_buf_printf(b, "%*spolicy: %s\n", indent, "", p->type->name);
    ts_keys_yaml(rows, n, p, indent, b);
}
