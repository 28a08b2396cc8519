/*
 * settings.c — public_tap.yaml's autoscaling, runtime, sla and meta sections;
 * see settings.h.
 */
#include "inputs/settings.h"
#include "policy/settings.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/strbuf.h"
#include "util/yamlread.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

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

/* The slo: section, into ts_slo's arrays (0: no target). */
#define L(f) offsetof(ts_slo, f)
#define SLO_ROW(key, field, m, pct, what)                                                                      \
    {.name = key, .type = TS_KEY_NUM, .offset = L(field) + (pct) * sizeof(double),                          \
     .present = TS_PRESENT(L(given) + ((m) * TS_PCT_COUNT + (pct)) * sizeof(int)), .def = 0,                \
     TS_ABOVE_TO(0, 3.6e6), .noun = "a number of milliseconds", .doc = what}
static const ts_key slo_keys[] = {
    SLO_ROW("ttft_p50_ms", ttft_ms, 0, TS_P50, "median time to first token (none by default)"),
    SLO_ROW("ttft_p95_ms", ttft_ms, 0, TS_P95, "95th percentile time to first token (none by default)"),
    SLO_ROW("ttft_p99_ms", ttft_ms, 0, TS_P99, "99th percentile time to first token (none by default)"),
    SLO_ROW("itl_p50_ms", itl_ms, 1, TS_P50, "median inter-token latency (none by default)"),
    SLO_ROW("itl_p95_ms", itl_ms, 1, TS_P95, "95th percentile inter-token latency (none by default)"),
    SLO_ROW("itl_p99_ms", itl_ms, 1, TS_P99, "99th percentile inter-token latency (none by default)"),
};
#undef SLO_ROW
#undef L
#define N_SLO_KEYS (sizeof slo_keys / sizeof slo_keys[0])

typedef struct meta_fields {
    int64_t seed;
    int has_seed;
} meta_fields;

static const ts_key meta_keys[] = {
    {.name = "seed", .type = TS_KEY_INT, .offset = offsetof(meta_fields, seed),
     .present = TS_PRESENT(offsetof(meta_fields, has_seed)), TS_FROM_TO(0, 9e18),
     .doc = "seed of the demand noise"},
};

const ts_key *ts_settings_table(const char *which, ts_key rows[TS_POLICY_KEYS_MAX], size_t *n)
{
    if (!strcmp(which, "runtime")) {
        *n = sizeof runtime_keys / sizeof runtime_keys[0];
        return runtime_keys;
    }
    if (!strcmp(which, "sla")) {
        *n = N_SLA_KEYS;
        return sla_keys;
    }
    if (!strcmp(which, "slo")) {
        *n = N_SLO_KEYS;
        return slo_keys;
    }
    return ts_policy_keys(which, rows, n);
}

void ts_runtime_defaults(ts_runtime *rt)
{
    ts_keys_defaults(runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0], rt);
}

/* --set KEY of no section: an error, with the section meant when KEY's
 * first part is a letter or two from one ("autoscalng.cooldown_s"). */
static void unknown_section(const char *key, ts_diags *d)
{
    static const char *const sections[] = {"autoscaling", "runtime", "sla", "slo", "meta"};
    const char *dot = strchr(key, '.');
    char first[64];
    snprintf(first, sizeof first, "%.*s", (int)(dot ? (dot - key < 63 ? dot - key : 63) : 63), key);
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        size_t dist = ts_edit_distance(first, sections[i]);
        if (dist < best_d) {
            best_d = dist;
            best = sections[i];
        }
    }
    if (best && dot)
        ts_err(d, "--set", 0, 0, "unknown key %s (did you mean %s%s? expected autoscaling.KEY, runtime.KEY, sla.KEY, "
                                 "slo.KEY or meta.seed)", key, best, dot);
    else
        ts_err(d, "--set", 0, 0, "unknown key %s (expected autoscaling.KEY, runtime.KEY, sla.KEY, slo.KEY or meta.seed)",
               key);
}

/* One --set: KEY=VALUE with KEY autoscaling.*, runtime.*, sla.*, slo.* or
 * meta.seed. */
static void apply_set(const char *s, ts_policy *p, ts_runtime *rt, ts_sla *sla, ts_slo *slo, meta_fields *m,
                      ts_diags *d)
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
    else if (!strncmp(key, "slo.", 4))
        ts_yaml_apply(slo_keys, N_SLO_KEYS, slo, "slo", key + 4, value, "--set", d);
    else if (!strncmp(key, "meta.", 5))
        ts_yaml_apply(meta_keys, 1, m, "meta", key + 5, value, "--set", d);
    else
        unknown_section(key, d);
}

/* models: each model's own autoscaling settings, over the file's. */
static void read_model_policies(ts_yaml *y, yaml_node_t *mn, const ts_policy *global, const ts_slo *global_slo,
                                ts_model_policy **out, size_t *n_out, ts_diags *d)
{
    if (!mn || ts_yaml_is_null(mn))
        return;
    if (mn->type != YAML_MAPPING_NODE) {
        ts_yaml_err(y, mn, "models is not a mapping (expected model ids, each with an autoscaling: or slo: mapping)");
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
            {.name = "slo", .type = TS_KEY_SKIP, .doc = "the model's own latency SLO"},
        };
        int dummy;
        if (ts_yaml_read_table(y, vn, model_keys, 2, &dummy, 1, section, d) != 0)
            continue;
        ts_model_policy *m = &mp[k];
        m->policy = *global;
        m->slo = *global_slo;
        yaml_node_t *sn = ts_yaml_get(y, vn, "slo");
        if (sn) { /* over the file's: the keys it gives */
            char what[320];
            snprintf(what, sizeof what, "%s.slo", section);
            m->has_slo = 1;
            ts_yaml_read_table(y, sn, slo_keys, N_SLO_KEYS, &m->slo, 1, what, d);
        }
        strncat(section, ".autoscaling", sizeof section - strlen(section) - 1);
        yaml_node_t *as = ts_yaml_get(y, vn, "autoscaling");
        if (ts_policy_read(y, as, &m->policy, section, d) == TS_OK)
            ts_policy_check_pairs(y, as, &m->policy, section, NULL, 0, d);
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

ts_status ts_read_public_tap(const char *file, const char *data, size_t len, const char *const *set, size_t n_set,
                       ts_policy *p, ts_runtime *rt, ts_sla *sla, ts_slo *slo, uint64_t *seed, ts_model_policy **models,
                       size_t *n_models, char ***manifests, size_t *n_manifests, int allow_outside, ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    ts_policy_defaults(p);
    ts_runtime_defaults(rt);
    memset(sla, 0, sizeof *sla);
    memset(slo, 0, sizeof *slo);
    if (ts_yaml_load(&y, file, data, len, d) != 0)
        return ts_diags_status(d, before);
    yaml_node_t *root = ts_yaml_root(&y);
    if (!root || root->type != YAML_MAPPING_NODE) {
        ts_err(d, file, root ? ts_yaml_line(root) : 1, root ? ts_yaml_col(root) : 1,
               "the document is not a mapping (expected top-level sections such as autoscaling:)");
        ts_yaml_free(&y);
        return ts_diags_status(d, before);
    }
    ts_yaml_unique_keys(&y, root, "", 0); /* the sections; the tables check their own keys */
    yaml_node_t *as = ts_yaml_get(&y, root, "autoscaling");
    ts_status errs = TS_OK;
    if (!as)
        ts_err(d, file, 0, 0, "section autoscaling is missing (expected autoscaling: with the policy keys)");
    else
        errs = ts_policy_read(&y, as, p, "autoscaling", d);
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "runtime"), runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0],
                       rt, 1, "runtime", d);
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "sla"), sla_keys, N_SLA_KEYS, sla, 1, "sla", d);
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "slo"), slo_keys, N_SLO_KEYS, slo, 1, "slo", d);
    meta_fields m;
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "meta"), meta_keys, 1, &m, 0, "meta", d);
    size_t before_set = d->n_errors;
    for (size_t i = 0; i < n_set; i++)
        apply_set(set[i], p, rt, sla, slo, &m, d);
    if (as && errs == TS_OK && d->n_errors == before_set)
        ts_policy_check_pairs(&y, as, p, "autoscaling", set, n_set, d);
    *seed = m.has_seed ? (uint64_t)m.seed : 0;
    read_model_policies(&y, ts_yaml_get(&y, root, "models"), p, slo, models, n_models, d);
    read_manifest_list(&y, ts_yaml_get(&y, root, "manifests"), manifests, n_manifests, allow_outside, d);
    ts_yaml_free(&y);
    return ts_diags_status(d, before);
}

