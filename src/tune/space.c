/*
 * space.c — the settings tune searches (ts_tune_space_* in tapscale.h):
 * the default grid of each policy, or one read from a YAML file, every
 * value checked as the key in public_tap.yaml would be.
 *
 * The default grid is the policy's own (its descriptor's tune_grid; the
 * README's "Tuning" lists them).
 */
#include "tapscale.h"
#include "policy/registry.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/numfmt.h"
#include "util/yamlread.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ts_tune_space_free(ts_tune_space *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        for (size_t j = 0; j < s->axes[i].n; j++)
            free(s->axes[i].values[j]);
        free(s->axes[i].values);
        free(s->axes[i].key);
    }
    free(s->axes);
    free(s);
}

size_t ts_tune_space_size(const ts_tune_space *s)
{
    size_t n = 1;
    for (size_t i = 0; i < s->n; i++) {
        if (s->axes[i].n && n > SIZE_MAX / s->axes[i].n)
            return SIZE_MAX;
        n *= s->axes[i].n;
    }
    return n;
}

/* Appends an axis (its values added by add_value). Returns it, or NULL. */
static ts_tune_axis *add_axis(ts_tune_space *s, const char *key)
{
    ts_tune_axis *a = ts_grow(s->axes, s->n, &s->cap, sizeof *a, 8);
    if (!a)
        return NULL;
    s->axes = a;
    a = &s->axes[s->n];
    memset(a, 0, sizeof *a);
    if (!(a->key = ts_strdup(key)))
        return NULL;
    s->n++;
    return a;
}

/* Appends value v to axis a. Returns TS_OK, or TS_ENOMEM. */
static ts_status add_value(ts_tune_axis *a, const char *v)
{
    char **vals = ts_grow(a->values, a->n, &a->cap, sizeof *vals, 16);
    if (!vals)
        return TS_ENOMEM;
    a->values = vals;
    if (!(vals[a->n] = ts_strdup(v)))
        return TS_ENOMEM;
    a->n++;
    return TS_OK;
}

ts_status ts_tune_space_add(ts_tune_space *s, const char *key, const char *value)
{
    ts_tune_axis *a = NULL;
    for (size_t i = 0; i < s->n && !a; i++)
        if (!strcmp(s->axes[i].key, key))
            a = &s->axes[i];
    for (size_t j = 0; a && j < a->n; j++)
        if (!strcmp(a->values[j], value))
            return TS_OK; /* there already */
    if (!a && !(a = add_axis(s, key)))
        return TS_ENOMEM;
    return add_value(a, value);
}

/* The space of grid (n axes) of policy t. Returns TS_OK or TS_ENOMEM. */
static ts_status grid_space(const ts_policy_type *t, const ts_tune_grid_axis *grid, size_t n, ts_tune_space **out)
{
    ts_tune_space *s = ts_calloc(1, sizeof *s);
    if (!s)
        return TS_ENOMEM;
    s->type = t;
    for (size_t k = 0; k < n; k++) {
        const ts_tune_grid_axis *ga = &grid[k];
        ts_tune_axis *a = add_axis(s, ga->key);
        for (size_t j = 0; a && j < TS_TUNE_GRID_VALUES && ga->values[j]; j++)
            if (add_value(a, ga->values[j]) != 0)
                a = NULL;
        if (!a) {
            ts_tune_space_free(s);
            return TS_ENOMEM;
        }
    }
    *out = s;
    return TS_OK;
}

ts_status ts_tune_space_default(const ts_policy_type *t, ts_tune_space **out, ts_diags *d)
{
    *out = NULL;
    if (t->n_tune_grid == 0) {
        ts_err(d, "--policy", 0, 0, "policy %s has no default tune grid (expected --space FILE with the settings to search)",
               t->name);
        return d->oom ? TS_ENOMEM : TS_EINPUT;
    }
    return grid_space(t, t->tune_grid, t->n_tune_grid, out);
}

ts_status ts_tune_space_deployable(const ts_policy_type *t, ts_tune_space **out, ts_diags *d)
{
    *out = NULL;
    if (t->n_deploy_grid == 0)
        return ts_tune_space_default(t, out, d);
    return grid_space(t, t->deploy_grid, t->n_deploy_grid, out);
}

/* A range {from, to, step} as values. Returns TS_OK, TS_EINPUT after an
 * error, or TS_ENOMEM. */
static ts_status read_range(ts_yaml *y, yaml_node_t *vn, const char *key, ts_tune_axis *a, ts_diags *d)
{
    double r[3];
    static const char *const names[] = {"from", "to", "step"};
    for (int i = 0; i < 3; i++) {
        yaml_node_t *n = ts_yaml_get(y, vn, names[i]);
        char what[200];
        snprintf(what, sizeof what, "%s.%s", key, names[i]);
        if (!n) {
            ts_yaml_err(y, vn, "%s is missing (expected a range {from, to, step})", what);
            return TS_EINPUT;
        }
        if (ts_yaml_number(y, n, what, "a number", &r[i], d) != 0)
            return TS_EINPUT;
    }
    if (!(r[2] > 0) || r[1] < r[0] || (r[1] - r[0]) / r[2] > 1000) {
        ts_yaml_err(y, vn, "%s is not a range of at most 1000 steps (expected from <= to and a step above 0)", key);
        return TS_EINPUT;
    }
    for (double v = r[0]; v <= r[1] + r[2] * 1e-9; v += r[2]) {
        char buf[32];
        ts_fmt_double(v > r[1] ? r[1] : v, buf);
        if (add_value(a, buf) != TS_OK)
            return TS_ENOMEM;
    }
    return TS_OK;
}

/* Checks each value of an axis on a policy of type t, as the key in
 * public_tap.yaml would be; messages name the file, line and column. */
static void check_values(const ts_policy_type *t, ts_yaml *y, yaml_node_t *vn, const ts_tune_axis *a, ts_diags *d)
{
    ts_policy p;
    ts_policy_defaults(&p);
    p.type = t;
    char source[600];
    snprintf(source, sizeof source, "%s:%d:%d", y->file, ts_yaml_line(vn), ts_yaml_col(vn));
    for (size_t j = 0; j < a->n; j++)
        ts_policy_set(&p, a->key, a->values[j], source, d);
}

ts_status ts_tune_space_read(const ts_policy_type *t, const char *file, const char *text, size_t len,
                             ts_tune_space **out, ts_diags *d)
{
    *out = NULL;
    size_t before = d->n_errors;
    ts_tune_space *s = ts_calloc(1, sizeof *s);
    if (!s)
        return TS_ENOMEM;
    s->type = t;
    ts_yaml y;
    int oom = 0;
    if (ts_yaml_load(&y, file, text, len, d) == 0) {
        yaml_node_t *root = ts_yaml_root(&y);
        if (!root || root->type != YAML_MAPPING_NODE)
            ts_err(d, file, 1, 1, "the space is not a mapping (expected autoscaling keys with a list or {from, to, step})");
        for (yaml_node_pair_t *pr = root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
             pr && pr < root->data.mapping.pairs.top && !oom; pr++) {
            yaml_node_t *kn = yaml_document_get_node(&y.doc, pr->key), *vn = yaml_document_get_node(&y.doc, pr->value);
            const char *key = ts_yaml_scalar(kn);
            ts_tune_axis *a = key ? add_axis(s, key) : NULL;
            if (!a) {
                oom = key != NULL;
                continue;
            }
            if (vn->type == YAML_SEQUENCE_NODE) {
                for (yaml_node_item_t *it = vn->data.sequence.items.start; it < vn->data.sequence.items.top; it++) {
                    const char *v = ts_yaml_scalar(yaml_document_get_node(&y.doc, *it));
                    if (!v)
                        ts_yaml_err(&y, yaml_document_get_node(&y.doc, *it), "%s: a value is not a scalar (expected a value of %s)", key, key);
                    else if (add_value(a, v) != 0)
                        oom = 1;
                }
            } else if (vn->type == YAML_MAPPING_NODE) {
                oom = read_range(&y, vn, key, a, d) == TS_ENOMEM;
            } else {
                ts_yaml_err(&y, vn, "%s is not a list or a range (expected [v1, v2, ...] or {from, to, step})", key);
            }
            if (a->n == 0 && d->n_errors == before)
                ts_yaml_err(&y, vn, "%s has no value (expected at least one)", key);
            check_values(t, &y, vn, a, d);
        }
        ts_yaml_free(&y);
    }
    if (oom || d->oom) {
        ts_tune_space_free(s);
        d->oom = 1;
        return TS_ENOMEM;
    }
    if (d->n_errors > before) {
        ts_tune_space_free(s);
        return TS_EINPUT;
    }
    *out = s;
    return TS_OK;
}
