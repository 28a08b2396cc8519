/*
 * inputs.c — policy, runtime and acceptance settings, and the loader of a
 * whole run's inputs; see inputs.h.
 */
#include "models/inputs.h"
#include "models/demand.h"
#include "models/facts.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/sha256.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Instance counts are capped so that replica-seconds stay exact in int64. */
#define MAX_INSTANCES 1e9
#define MAX_SECONDS 3.1536e9 /* 100 years */

#define P(f) offsetof(ts_policy, f)
static const ts_key_spec policy_keys[] = {
    {"target_utilization_pct", TS_KEY_NUM, P(target_utilization_pct), TS_NO_PRESENT, 1, 75, 1, 0, 1, 1, 0, 100, "a number from 1 to 100"},
    {"peak_factor", TS_KEY_NUM, P(peak_factor), TS_NO_PRESENT, 1, 1.2, 1, 0, 1.0, 0, 0, 0, "a number of at least 1.0"},
    {"min_instances_per_model", TS_KEY_INT, P(min_instances), TS_NO_PRESENT, 1, 0, 1, 0, 0, 1, 0, MAX_INSTANCES, "an integer from 0 to max_instances_per_model"},
    {"max_instances_per_model", TS_KEY_INT, P(max_instances), TS_NO_PRESENT, 1, 100, 1, 0, 1, 1, 0, MAX_INSTANCES, "an integer from 1 to 1000000000"},
    {"evaluation_interval_s", TS_KEY_INT, P(evaluation_interval_s), TS_NO_PRESENT, 0, 60, 1, 0, 1, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 1"},
    {"scale_up_threshold_pct", TS_KEY_NUM, P(scale_up_threshold_pct), TS_NO_PRESENT, 0, 70, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"scale_down_threshold_pct", TS_KEY_NUM, P(scale_down_threshold_pct), TS_NO_PRESENT, 0, 50, 1, 1, 0, 1, 1, 100, "a number above 0 and below scale_up_threshold_pct"},
    {"scale_up_step_replicas", TS_KEY_INT, P(scale_up_step), TS_NO_PRESENT, 0, 1, 1, 0, 1, 1, 0, MAX_INSTANCES, "an integer of at least 1"},
    {"scale_down_step_replicas", TS_KEY_INT, P(scale_down_step), TS_NO_PRESENT, 0, 1, 1, 0, 1, 1, 0, MAX_INSTANCES, "an integer of at least 1"},
    {"stabilization_window_s", TS_KEY_INT, P(stabilization_window_s), TS_NO_PRESENT, 0, 300, 1, 0, 0, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 0"},
    {"warmup_s", TS_KEY_INT, P(warmup_s), TS_NO_PRESENT, 0, 120, 1, 0, 0, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 0"},
    {"cooldown_s", TS_KEY_INT, P(cooldown_s), TS_NO_PRESENT, 0, 120, 1, 0, 0, 1, 0, MAX_SECONDS, "an integer number of seconds of at least 0"},
    {"capacity_peak_percentile", TS_KEY_NUM, P(capacity_peak_percentile), P(has_peak_percentile), 0, 100, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
};
#undef P

#define R(f) offsetof(ts_runtime, f)
static const ts_key_spec runtime_keys[] = {
    {"slots_total_default", TS_KEY_INT, R(slots_total_default), TS_NO_PRESENT, 0, 32, 1, 0, 1, 1, 0, 1e6, "an integer from 1 to 1000000"},
    {"batching_efficiency_pct", TS_KEY_NUM, R(batching_efficiency_pct), TS_NO_PRESENT, 0, 70, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"offline_derating_pct", TS_KEY_NUM, R(offline_derating_pct), TS_NO_PRESENT, 0, 40, 1, 1, 0, 1, 0, 100, "a number above 0 and at most 100"},
    {"allow_tps_heuristic", TS_KEY_BOOL, R(allow_tps_heuristic), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "true or false"},
};
#undef R

typedef struct meta_fields {
    int64_t seed;
    int has_seed;
} meta_fields;

static const ts_key_spec meta_keys[] = {
    {"seed", TS_KEY_INT, offsetof(meta_fields, seed), offsetof(meta_fields, has_seed), 0, 0, 1, 0, 0, 0, 0, 0, "an integer of at least 0"},
};

void ts_policy_defaults(ts_policy *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < sizeof policy_keys / sizeof policy_keys[0]; i++) {
        const ts_key_spec *k = &policy_keys[i];
        if (k->type == TS_KEY_NUM)
            *(double *)((char *)p + k->offset) = k->def;
        else
            *(int64_t *)((char *)p + k->offset) = (int64_t)k->def;
    }
    p->has_peak_percentile = 0;
}

void ts_runtime_defaults(ts_runtime *rt)
{
    rt->slots_total_default = 32;
    rt->batching_efficiency_pct = 70;
    rt->offline_derating_pct = 40;
    rt->allow_tps_heuristic = 0;
}

void ts_acceptance_defaults(ts_acceptance_cfg *a)
{
    a->util_tolerance_pct = 25;
    a->severity[TS_RULE_CAPACITY] = TS_WARN;
    a->severity[TS_RULE_P95] = TS_WARN;
    a->severity[TS_RULE_SLA] = TS_FAIL;
    a->fail_on_warning = 0;
}

int ts_policy_check(const ts_policy *p, char *msg, size_t size)
{
    int bad = 0;
    char first[256] = "";
    for (size_t i = 0; i < sizeof policy_keys / sizeof policy_keys[0]; i++) {
        const ts_key_spec *k = &policy_keys[i];
        if (k->present != TS_NO_PRESENT && !*(const int *)((const char *)p + k->present))
            continue;
        double v = k->type == TS_KEY_NUM ? *(const double *)((const char *)p + k->offset)
                                         : (double)*(const int64_t *)((const char *)p + k->offset);
        int ok = (!k->has_lo || (k->lo_open ? v > k->lo : v >= k->lo)) &&
                 (!k->has_hi || (k->hi_open ? v < k->hi : v <= k->hi));
        if (!ok && !bad++)
            snprintf(first, sizeof first, "%s is out of range (expected %s)", k->name, k->expect);
    }
    if (p->min_instances > p->max_instances && !bad++)
        snprintf(first, sizeof first, "min_instances_per_model is above max_instances_per_model");
    if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct) && !bad++)
        snprintf(first, sizeof first, "scale_down_threshold_pct is not below scale_up_threshold_pct");
    if (msg && size)
        snprintf(msg, size, "%s", first);
    return bad;
}

int ts_read_public_tap(const char *file, const char *data, size_t len, ts_policy *p,
                       ts_runtime *rt, uint64_t *seed, ts_diags *d)
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
    else if (ts_yaml_read_table(&y, as, policy_keys, sizeof policy_keys / sizeof policy_keys[0], p, 1,
                                "autoscaling", d) == 0) {
        if (p->min_instances > p->max_instances) {
            yaml_node_t *n = ts_yaml_get(&y, as, "min_instances_per_model");
            ts_yaml_err(&y, n, "autoscaling.min_instances_per_model is %lld, above max_instances_per_model %lld (expected min <= max)",
                        (long long)p->min_instances, (long long)p->max_instances);
        }
        if (!(p->scale_down_threshold_pct < p->scale_up_threshold_pct)) {
            yaml_node_t *n = ts_yaml_get(&y, as, "scale_down_threshold_pct");
            if (!n)
                n = ts_yaml_get(&y, as, "scale_up_threshold_pct");
            ts_yaml_err(&y, n, "autoscaling.scale_down_threshold_pct is %g, not below scale_up_threshold_pct %g (expected 0 < down < up <= 100)",
                        p->scale_down_threshold_pct, p->scale_up_threshold_pct);
        }
    }
    yaml_node_t *rn = ts_yaml_get(&y, root, "runtime");
    ts_yaml_read_table(&y, rn, runtime_keys, sizeof runtime_keys / sizeof runtime_keys[0], rt, 1,
                       "runtime", d);
    meta_fields m;
    ts_yaml_read_table(&y, ts_yaml_get(&y, root, "meta"), meta_keys, 1, &m, 0, "meta", d);
    *seed = m.has_seed ? (uint64_t)m.seed : 0;
    ts_yaml_free(&y);
    return (int)(d->n_errors - before);
}

/* simulation.yaml: only the keys tapscale uses; the rest of the origin
 * engine's run plan is ignored. */
typedef struct sim_targets {
    double tolerance;
    int has_tolerance;
} sim_targets;
typedef struct sim_run {
    int fail_on_warning;
} sim_run;
typedef struct sim_acceptance {
    const char *rule[TS_RULE_COUNT];
} sim_acceptance;

static const ts_key_spec targets_keys[] = {
    {"autoscaling_util_tolerance_pct", TS_KEY_NUM, offsetof(sim_targets, tolerance), offsetof(sim_targets, has_tolerance), 0, 25, 1, 0, 0, 0, 0, 0, "a number of at least 0"},
};
static const ts_key_spec run_keys[] = {
    {"fail_on_warning", TS_KEY_BOOL, offsetof(sim_run, fail_on_warning), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "true or false"},
};
static const ts_key_spec acceptance_keys[] = {
    {"capacity_violation", TS_KEY_STR, offsetof(sim_acceptance, rule[TS_RULE_CAPACITY]), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "warn or fail"},
    {"p95_util", TS_KEY_STR, offsetof(sim_acceptance, rule[TS_RULE_P95]), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "warn or fail"},
    {"sla_violations", TS_KEY_STR, offsetof(sim_acceptance, rule[TS_RULE_SLA]), TS_NO_PRESENT, 0, 0, 0, 0, 0, 0, 0, 0, "warn or fail"},
};

int ts_read_simulation(const char *file, const char *data, size_t len, ts_acceptance_cfg *a,
                       ts_diags *d)
{
    size_t before = d->n_errors;
    ts_yaml y;
    if (ts_yaml_load(&y, file, data, len, d) != 0)
        return (int)(d->n_errors - before);
    yaml_node_t *root = ts_yaml_root(&y);
    if (root && root->type == YAML_MAPPING_NODE) {
        sim_targets t;
        sim_run r;
        sim_acceptance ac;
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "targets"), targets_keys, 1, &t, 0, "targets", d);
        ts_yaml_read_table(&y, ts_yaml_get(&y, root, "run"), run_keys, 1, &r, 0, "run", d);
        yaml_node_t *an = ts_yaml_get(&y, root, "acceptance");
        ts_yaml_read_table(&y, an, acceptance_keys, TS_RULE_COUNT, &ac, 1, "acceptance", d);
        if (t.has_tolerance)
            a->util_tolerance_pct = t.tolerance;
        a->fail_on_warning = r.fail_on_warning;
        for (int i = 0; i < TS_RULE_COUNT; i++) {
            if (!ac.rule[i])
                continue;
            if (!strcmp(ac.rule[i], "warn"))
                a->severity[i] = TS_WARN;
            else if (!strcmp(ac.rule[i], "fail"))
                a->severity[i] = TS_FAIL;
            else
                ts_yaml_err(&y, ts_yaml_get(&y, an, acceptance_keys[i].name),
                            "acceptance.%s is %s (expected warn or fail)", acceptance_keys[i].name, ac.rule[i]);
        }
    } else if (root && !ts_yaml_is_null(root)) {
        ts_err(d, file, ts_yaml_line(root), ts_yaml_col(root),
               "the document is not a mapping (expected sections such as targets: and run:)");
    }
    ts_yaml_free(&y);
    return (int)(d->n_errors - before);
}

/* ------------------------------------------------------------- the loader */

/* Reads one input file, records it with its hash, or reports why not. */
static char *read_input(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d)
{
    char *data = NULL;
    int e = ts_read_file(path, &data, len);
    if (e) {
        if (!(optional && e == ENOENT))
            ts_err(d, path, 0, 0, "cannot read: %s (expected a readable file)", strerror(e));
        if (e == ENOMEM)
            d->oom = 1;
        return NULL;
    }
    ts_input_file *f = realloc(in->files, (in->n_files + 1) * sizeof *f);
    if (!f) {
        free(data);
        d->oom = 1;
        return NULL;
    }
    in->files = f;
    f = &in->files[in->n_files];
    f->path = ts_strdup(path);
    if (!f->path || ts_sha256_hex(data, *len, f->sha256) != 0) {
        free(f->path);
        free(data);
        d->oom = 1;
        return NULL;
    }
    in->n_files++;
    return data;
}

char *ts_inputs_read_file(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d)
{
    return read_input(in, path, len, optional, d);
}

ts_status ts_inputs_load(const ts_load_options *opt, ts_inputs **out, ts_diags *d)
{
    *out = NULL;
    ts_inputs *in = calloc(1, sizeof *in);
    if (!in)
        return TS_ERUNTIME;
    ts_diags_init(&in->warnings);
    in->dir = ts_strdup(opt->dir);
    ts_acceptance_defaults(&in->acceptance);
    ts_policy_defaults(&in->policy);
    ts_runtime_defaults(&in->runtime);
    size_t before = d->n_errors;

    char *path = ts_path_join(opt->dir, "operator/public_tap.yaml");
    size_t len = 0;
    char *data = path ? read_input(in, path, &len, 0, d) : NULL;
    int policy_ok = 0;
    if (data)
        policy_ok = ts_read_public_tap(path, data, len, &in->policy, &in->runtime, &in->seed, d) == 0;
    free(data);
    free(path);
    if (opt->has_seed)
        in->seed = opt->seed;

    path = ts_path_join(opt->dir, "simulation.yaml");
    data = path ? read_input(in, path, &len, 1, d) : NULL;
    if (data)
        ts_read_simulation(path, data, len, &in->acceptance, d);
    free(data);
    free(path);
    if (opt->has_tolerance)
        in->acceptance.util_tolerance_pct = opt->tolerance;
    if (opt->fail_on_warning)
        in->acceptance.fail_on_warning = 1;

    ts_load_demand(in, d);
    ts_load_facts(in, d);
    (void)policy_ok;

    if (d->oom) {
        ts_inputs_free(in);
        return TS_ERUNTIME;
    }
    if (d->n_errors > before) {
        ts_inputs_free(in);
        return TS_EINPUT;
    }
    *out = in;
    return TS_OK;
}

void ts_inputs_free(ts_inputs *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n_demand; i++) {
        free(in->demand[i].model);
        free(in->demand[i].rate);
        free(in->demand[i].decl_file);
    }
    free(in->demand);
    for (size_t i = 0; i < in->n_cand; i++) {
        free(in->cand[i].model);
        free(in->cand[i].gpu);
        free(in->cand[i].basis);
    }
    free(in->cand);
    for (size_t i = 0; i < in->n_files; i++)
        free(in->files[i].path);
    free(in->files);
    free(in->currency);
    free(in->dir);
    ts_diags_free(&in->warnings);
    free(in);
}
