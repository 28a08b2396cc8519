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
    {.name = "warmup_s", .type = TS_KEY_INT, .offset = P(warmup_s), .def = 120, TS_FROM_TO(0, TS_MAX_SECONDS),
     .noun = TS_NOUN_INT_SECONDS, .doc = "from a scale-up until the new replicas serve"},
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

/* §2's keys in the order the seed lists them: the pool's keys (above) and
 * the threshold policy's (its flat_settings), interleaved. A registered
 * policy's flat key that is not here follows them, in registry order. */
static const char *const section2_order[] = {
    "target_utilization_pct", "peak_factor", "min_instances_per_model", "max_instances_per_model",
    "evaluation_interval_s", "scale_up_threshold_pct", "scale_down_threshold_pct", "scale_up_step_replicas",
    "scale_down_step_replicas", "stabilization_window_s", "warmup_s", "cooldown_s", "warmup_p95_factor",
    "weights_load_gb_per_s", "container_start_s", "capacity_peak_percentile", "policy",
};

/* The bounds between the pool's keys. */
static const ts_key_pair pool_pairs[] = {
    {"min_instances_per_model", "max_instances_per_model", 0, "above", "min <= max"},
};

/* The autoscaling section's table: §2's rows (the pool's keys and every
 * policy's flat keys, placed at its slot of ts_policy) in section2_order,
 * their number in *n_flat, then one section row per registered policy with
 * settings; with skip_sections those rows are known keys read apart
 * (TS_KEY_SKIP). Returns the number of rows. */
static size_t autoscaling_table(ts_key *rows, int skip_sections, size_t *n_flat)
{
    ts_key pool[TS_POLICY_KEYS_MAX];
    size_t np = 0;
    for (size_t i = 0; i < N_POLICY_KEYS; i++)
        pool[np++] = policy_keys[i];
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < types[i]->n_flat_settings && np < TS_POLICY_KEYS_MAX; j++) {
            pool[np] = types[i]->flat_settings[j];
            pool[np++].offset += P(settings) + i * sizeof(ts_policy_settings);
        }
    size_t n = 0;
    unsigned char taken[TS_POLICY_KEYS_MAX] = {0};
    for (size_t o = 0; o < sizeof section2_order / sizeof section2_order[0]; o++)
        for (size_t i = 0; i < np; i++)
            if (!taken[i] && !strcmp(pool[i].name, section2_order[o])) {
                rows[n++] = pool[i];
                taken[i] = 1;
            }
    for (size_t i = 0; i < np; i++)
        if (!taken[i])
            rows[n++] = pool[i];
    *n_flat = n;
    for (size_t i = 0; i < nt; i++) {
        if (!types[i]->settings)
            continue;
        rows[n] = types[i]->settings[0];
        rows[n].offset = P(settings) + i * sizeof(ts_policy_settings);
        if (rows[n].present) /* its flag lies within the section */
            rows[n].present += rows[n].offset;
        if (skip_sections)
            rows[n].type = TS_KEY_SKIP;
        n++;
    }
    return n;
}

const ts_key *ts_policy_keys(const char *which, ts_key rows[TS_POLICY_KEYS_MAX], size_t *n)
{
    if (!strcmp(which, "autoscaling")) {
        autoscaling_table(rows, 0, n);
        return rows;
    }
    const ts_policy_type *t = ts_policy_type_find(which);
    if (t && t->settings) {
        *n = t->settings[0].n_sub;
        return t->settings[0].sub;
    }
    return NULL;
}

/* The value of key in p as a message shows it: an integer key as one, a
 * number by %g. */
static void key_value_text(const ts_key *rows, size_t n, const ts_policy *p, const char *key, char *buf, size_t size)
{
    double v = 0;
    ts_keys_number(rows, n, p, key, &v);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].name, key) && (rows[i].type == TS_KEY_INT || rows[i].type == TS_KEY_INT32)) {
            snprintf(buf, size, "%lld", (long long)v);
            return;
        }
    snprintf(buf, size, "%g", v);
}

/* Calls broken(pair, message, ctx) for every bound between keys that p
 * breaks: the pool's, then each registered policy's; rows[0..n_flat-1]
 * are §2's rows of autoscaling_table. */
static void each_broken_pair(const ts_key *rows, size_t n_flat, const ts_policy *p, const char *section,
                             void (*broken)(const ts_key_pair *pair, const char *msg, void *ctx), void *ctx)
{
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    for (size_t t = 0; t <= nt; t++) {
        const ts_key_pair *pairs = t == 0 ? pool_pairs : types[t - 1]->key_pairs;
        size_t np = t == 0 ? sizeof pool_pairs / sizeof pool_pairs[0] : types[t - 1]->n_key_pairs;
        for (size_t i = 0; i < np; i++) {
            double lo = 0, hi = 0;
            ts_keys_number(rows, n_flat, p, pairs[i].lo, &lo);
            ts_keys_number(rows, n_flat, p, pairs[i].hi, &hi);
            if (pairs[i].strict ? lo < hi : lo <= hi)
                continue;
            char a[64], b[64], msg[400];
            key_value_text(rows, n_flat, p, pairs[i].lo, a, sizeof a);
            key_value_text(rows, n_flat, p, pairs[i].hi, b, sizeof b);
            snprintf(msg, sizeof msg, "%s.%s is %s, %s %s %s (expected %s)", section, pairs[i].lo, a, pairs[i].broken,
                     pairs[i].hi, b, pairs[i].expect);
            broken(&pairs[i], msg, ctx);
        }
    }
}

void ts_policy_defaults(ts_policy *p)
{
    memset(p, 0, sizeof *p);
    ts_key rows[TS_POLICY_KEYS_MAX];
    size_t n_flat;
    ts_keys_defaults(rows, autoscaling_table(rows, 0, &n_flat), p);
    p->type = &ts_policy_threshold;
}

/* A broken bound, said without a place. */
static void pair_unplaced(const ts_key_pair *pair, const char *msg, void *ctx)
{
    (void)pair;
    ts_err(ctx, NULL, 0, 0, "%s", msg);
}

ts_status ts_policy_check(const ts_policy *p, ts_diags *d)
{
    ts_key rows[TS_POLICY_KEYS_MAX];
    size_t n_flat, before = d->n_errors;
    int bad = ts_keys_check(rows, autoscaling_table(rows, 0, &n_flat), p, "autoscaling", d) != TS_OK;
    each_broken_pair(rows, n_flat, p, "autoscaling", pair_unplaced, d);
    if (!p->type || ts_policy_index(p->type) < 0) {
        ts_err(d, NULL, 0, 0, "autoscaling.policy is not a registered policy");
        bad++;
    }
    return d->oom ? TS_ENOMEM : bad || d->n_errors > before ? TS_EINPUT : TS_OK;
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

/* Where a broken bound read from a file or --set is said. */
typedef struct pair_place {
    ts_yaml *y;
    yaml_node_t *as;
    const char *const *set;
    size_t n_set;
    ts_diags *d;
} pair_place;

/* At --set when it named either key, else at the lower key in the file
 * (the upper one when the lower is not there). */
static void pair_placed(const ts_key_pair *pair, const char *msg, void *ctx)
{
    pair_place *w = ctx;
    if (was_set(w->set, w->n_set, pair->lo) || was_set(w->set, w->n_set, pair->hi)) {
        ts_err(w->d, "--set", 0, 0, "%s", msg);
        return;
    }
    yaml_node_t *n = ts_yaml_get(w->y, w->as, pair->lo);
    ts_yaml_err(w->y, n ? n : ts_yaml_get(w->y, w->as, pair->hi), "%s", msg);
}

void ts_policy_check_pairs(ts_yaml *yp, yaml_node_t *as, const ts_policy *p, const char *section,
                           const char *const *set, size_t n_set, ts_diags *d)
{
    pair_place w = {yp, as, set, n_set, d};
    ts_key rows[TS_POLICY_KEYS_MAX];
    size_t n_flat;
    autoscaling_table(rows, 0, &n_flat);
    each_broken_pair(rows, n_flat, p, section, pair_placed, &w);
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

ts_status ts_policy_read(ts_yaml *y, yaml_node_t *as, ts_policy *p, const char *section, ts_diags *d)
{
    ts_key rows[TS_POLICY_KEYS_MAX];
    size_t n_flat;
    size_t n = autoscaling_table(rows, 1, &n_flat);
    const int errs = ts_yaml_read_table(y, as, rows, n, p, 1, section, d) != TS_OK;
    read_policy_name(y, as, p, section);
    ts_key sections[TS_POLICY_KEYS_MAX];
    autoscaling_table(sections, 0, &n_flat);
    for (size_t i = n_flat; i < n; i++) {
        char what[300];
        snprintf(what, sizeof what, "%s.%s", section, sections[i].name);
        yaml_node_t *node = ts_yaml_get(y, as, sections[i].name);
        if (node || !y->overlay)
            ts_yaml_read_section(y, node, &sections[i], p, what, d);
    }
    return d->oom ? TS_ENOMEM : errs ? TS_EINPUT : TS_OK;
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
        ts_key rows[TS_POLICY_KEYS_MAX];
        size_t n_flat;
        ts_yaml_apply(rows, autoscaling_table(rows, 0, &n_flat), p, "autoscaling", key, value, source, d);
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
        if (ts_policy_read(&y, as, p, "autoscaling", d) == TS_OK)
            ts_policy_check_pairs(&y, as, p, "autoscaling", NULL, 0, d);
    }
    ts_yaml_free(&y);
    return d->oom ? TS_ENOMEM : d->n_errors > before ? TS_EINPUT : TS_OK;
}

int ts_policy_number(const ts_policy *p, const char *key, double *out)
{
    ts_key rows[TS_POLICY_KEYS_MAX];
    size_t n_flat;
    return ts_keys_number(rows, autoscaling_table(rows, 0, &n_flat), p, key, out);
}

void ts_policy_yaml(const ts_policy *p, int indent, ts_buf *b)
{
    ts_key rows[TS_POLICY_KEYS_MAX];
    size_t n_flat;
    size_t n = autoscaling_table(rows, 0, &n_flat);
    ts_buf_printf(b, "%*spolicy: %s\n", indent, "", p->type->name);
    ts_keys_yaml(rows, n, p, indent, b);
}
