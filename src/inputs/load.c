/*
 * load.c — the loader of a run's inputs (ts_inputs_load in tapscale.h): the
 * settings, the acceptance settings, the demand and the facts, every input
 * error of the run collected before it answers.
 */
#include "import/manifest.h"
#include "inputs/demand.h"
#include "inputs/facts.h"
#include "inputs/files.h"
#include "inputs/latency.h"
#include "inputs/settings.h"
#include "inputs/simulation.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads an input file of the folder (relative path rel); NULL when it
 * cannot be read (reported, unless an optional file is absent). *path
 * receives the full path; the caller frees both. */
static char *read_folder_file(ts_inputs *in, const char *rel, int optional, char **path, size_t *len, ts_diags *d)
{
    *path = ts_path_join(in->dir, rel);
    if (!*path) {
        d->oom = 1;
        return NULL;
    }
    return ts_inputs_read_file(in, *path, len, optional, d);
}

static void read_settings(ts_inputs *in, const ts_load_options *opt, ts_diags *d)
{
    char *path;
    size_t len;
    char *data = read_folder_file(in, "operator/public_tap.yaml", 0, &path, &len, d);
    if (data)
        ts_read_public_tap(path, data, len, opt->set, opt->n_set, &in->policy, &in->runtime, &in->acceptance.sla,
                           &in->acceptance.slo, &in->seed,
                           &in->model_policies, &in->n_model_policies, &in->manifests, &in->n_manifests, opt->allow_outside, d);
    free(data);
    free(path);
    data = read_folder_file(in, "simulation.yaml", 1, &path, &len, d);
    if (data)
        ts_read_simulation(path, data, len, &in->acceptance, d);
    free(data);
    free(path);
}

/* The model served by workload target, or TS_NOT_FOUND. */
static long model_of_workload(const ts_inputs *in, const char *target)
{
    for (size_t i = 0; i < in->n_demand; i++)
        if (!strcmp(in->demand[i].deployment, target))
            return (long)i;
    return TS_NOT_FOUND;
}

/* "a, b, c": the workloads of the models, for a message. */
static void workload_names(const ts_inputs *in, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < in->n_demand && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", in->demand[i].deployment);
}

/* A model's own policy, made from the file's when it has none yet. NULL
 * when out of memory. */
static ts_status apply_sets(const ts_manifest_sets *s, ts_policy *p, ts_diags *d)
{
    ts_status st = TS_OK;
    for (size_t i = 0; i < s->n; i++) {
        ts_status one = ts_policy_set(p, s->items[i].key, s->items[i].value, s->items[i].source, d);
        if (one > st)
            st = one;
    }
    return st;
}

/* Lays a manifest object's settings over p: tapscale's own setting of the
 * object (its tapscale.dev/autoscaling annotation) first, then for a
 * Knative Service the cluster's defaults, then the object's own fields. Returns TS_OK, TS_EINPUT (reported at the
 * manifest's field) or TS_ENOMEM. */
static ts_status manifest_apply(const ts_manifests *m, const ts_manifest_object *o, ts_policy *p, ts_diags *d)
{
    ts_status st = TS_OK;
    if (o->autoscaling) {
        /* tapscale's own setting first: the object's fields over it */
        ts_status a = ts_policy_overlay(p, o->autoscaling_source, o->autoscaling, strlen(o->autoscaling), d);
        if (a != TS_OK)
            return a;
    }
    if (o->knative) {
        /* the Service's own settings first set its policy, then the
         * cluster's defaults, then the Service's annotations over them */
        ts_status a = apply_sets(&o->sets, p, d);
        if (a != TS_OK)
            return a;
        st = apply_sets(&m->knative_defaults, p, d);
        if (st != TS_OK)
            return st;
    }
    return apply_sets(&o->sets, p, d);
}

/* Keeps in mp where the ceiling the manifest object o applied was written
 * (its own field over the Knative defaults'). Returns TS_OK, or TS_ENOMEM. */
static ts_status ceiling_source(const ts_manifests *m, const ts_manifest_object *o, ts_model_policy *mp)
{
    const char *src = NULL;
    const ts_manifest_sets *lists[2] = {o->knative ? &m->knative_defaults : NULL, &o->sets};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; lists[l] && i < lists[l]->n; i++)
            if (!strcmp(lists[l]->items[i].key, "max_instances_per_model"))
                src = lists[l]->items[i].source;
    if (!src)
        return TS_OK;
    free(mp->ceiling_source);
    mp->ceiling_source = ts_strdup(src);
    return mp->ceiling_source ? TS_OK : TS_ENOMEM;
}

static ts_model_policy *own_policy(ts_inputs *in, size_t model, const ts_manifest_object *o, ts_diags *d)
{
    for (size_t i = 0; i < in->n_model_policies; i++)
        if (!strcmp(in->model_policies[i].model, in->demand[model].model))
            return &in->model_policies[i];
    ts_model_policy *mp = ts_grow(in->model_policies, in->n_model_policies, &in->cap_model_policies, sizeof *mp, 8);
    if (!mp) {
        d->oom = 1;
        return NULL;
    }
    in->model_policies = mp;
    mp = &mp[in->n_model_policies];
    memset(mp, 0, sizeof *mp);
    mp->policy = in->policy;
    mp->model = ts_strdup(in->demand[model].model);
    mp->file = ts_strdup(o->file);
    mp->line = o->line;
    mp->col = o->col;
    if (!mp->model || !mp->file) {
        free(mp->model);
        free(mp->file);
        d->oom = 1;
        return NULL;
    }
    in->n_model_policies++;
    return mp;
}

/* The manifests of public_tap.yaml (relative to it) and of the options:
 * each object's settings over the policy of the model its workload
 * serves. */
static void read_manifests(ts_inputs *in, const ts_load_options *opt, ts_diags *d)
{
    ts_manifests m;
    memset(&m, 0, sizeof m);
    size_t n = in->n_manifests + opt->n_manifests;
    for (size_t i = 0; i < n && !d->oom; i++) {
        char *path = i < in->n_manifests ? ts_path_join(in->dir, "operator") : ts_strdup(opt->manifests[i - in->n_manifests]);
        if (path && i < in->n_manifests) {
            char *full = ts_path_join(path, in->manifests[i]);
            free(path);
            path = full;
        }
        if (path && i < in->n_manifests && !in->allow_outside && ts_path_inside(in->dir, path) == 0) {
            ts_err(d, path, 0, 0, "leads outside the inputs folder through a symbolic link (expected a file inside "
                                  "%s; --allow-outside-inputs permits others)", in->dir);
            free(path);
            continue;
        }
        size_t len;
        char *text = path ? ts_inputs_read_file(in, path, &len, 0, d) : NULL;
        if (!path)
            d->oom = 1;
        if (text)
            ts_manifests_read(path, text, len, &m, d, &in->warnings);
        free(text);
        free(path);
    }
    unsigned char *taken = ts_calloc(in->n_demand ? in->n_demand : 1, 1);
    if (!taken)
        d->oom = 1;
    for (size_t i = 0; taken && i < m.n && !d->oom; i++) {
        const ts_manifest_object *o = &m.objects[i];
        long model = model_of_workload(in, o->target);
        if (model < 0) {
            char names[1024];
            workload_names(in, names, sizeof names);
            ts_err(d, o->file, o->line, o->col,
                   "the %s scales %s, the workload of no model (expected deployment: %s under a model of demand.yaml; the models' workloads: %s)",
                   o->kind, o->target, o->target, names);
            continue;
        }
        if (taken[model]) {
            ts_err(d, o->file, o->line, o->col, "a second autoscaler for %s (expected one per model)", o->target);
            continue;
        }
        taken[model] = 1;
        ts_model_policy *mp = own_policy(in, (size_t)model, o, d);
        if (mp && manifest_apply(&m, o, &mp->policy, d) == TS_OK && ceiling_source(&m, o, mp) != TS_OK)
            d->oom = 1;
    }
    free(taken);
    ts_manifests_free(&m);
}

/* Each model's own policy goes to its demand; one for a model without
 * demand is an error (a misspelt id would change nothing). */
static void link_model_policies(ts_inputs *in, ts_diags *d)
{
    for (size_t i = 0; i < in->n_model_policies; i++) {
        const ts_model_policy *mp = &in->model_policies[i];
        size_t j = 0;
        while (j < in->n_demand && strcmp(in->demand[j].model, mp->model) != 0)
            j++;
        if (j < in->n_demand)
            in->demand[j].policy = &mp->policy;
        else if (in->n_demand)
            ts_err(d, mp->file, mp->line, mp->col,
                   "models.%s has its own autoscaling settings but no demand (expected a model of demand.yaml or of a series)",
                   mp->model);
    }
}

/* A cold start from the weights needs the model's size: every model whose
 * policy sets weights_load_gb_per_s must have params_b. */
static void check_cold_starts(ts_inputs *in, ts_diags *d)
{
    for (size_t i = 0; i < in->n_demand; i++) {
        const ts_model_demand *md = &in->demand[i];
        if (ts_inputs_policy(in, i)->has_weights_load && !md->has_params)
            ts_err(d, md->decl_file, md->decl_line, md->decl_col,
                   "model %s: autoscaling.weights_load_gb_per_s needs the size of its weights (expected params_b: "
                   "in its entry of demand.yaml)",
                   md->model);
    }
}

const ts_policy *ts_inputs_policy(const ts_inputs *in, size_t i)
{
    return in->demand[i].policy ? in->demand[i].policy : &in->policy;
}

const ts_slo *ts_inputs_slo(const ts_inputs *in, const char *model)
{
    for (size_t i = 0; i < in->n_model_policies; i++)
        if (in->model_policies[i].has_slo && !strcmp(in->model_policies[i].model, model))
            return &in->model_policies[i].slo;
    return &in->acceptance.slo;
}

/* The command line's overrides of the files' settings. */
static void apply_overrides(ts_inputs *in, const ts_load_options *opt)
{
    if (opt->has_seed)
        in->seed = opt->seed;
    if (opt->has_tolerance)
        in->acceptance.util_tolerance_pct = opt->tolerance;
    if (opt->fail_on_warning)
        in->acceptance.fail_on_warning = 1;
    for (int r = 0; r < TS_RULE_COUNT; r++)
        if (opt->severity[r] != TS_PASS)
            in->acceptance.severity[r] = opt->severity[r];
}

ts_status ts_inputs_load(const ts_load_options *opt, ts_inputs **out, ts_diags *d)
{
    *out = NULL;
    ts_inputs *in = ts_calloc(1, sizeof *in);
    if (!in) {
        d->oom = 1;
        return TS_ENOMEM;
    }
    ts_diags_init(&in->warnings);
    in->dir = ts_strdup(opt->dir);
    in->allow_outside = opt->allow_outside;
    in->threads = opt->threads;
    if (!in->dir)
        d->oom = 1;
    ts_acceptance_defaults(&in->acceptance);
    ts_policy_defaults(&in->policy);
    ts_runtime_defaults(&in->runtime);
    size_t before = d->n_errors;

    if (in->dir) {
        read_settings(in, opt, d);
        apply_overrides(in, opt);
        ts_load_demand(in, d);
        read_manifests(in, opt, d);
        link_model_policies(in, d);
        check_cold_starts(in, d);
        ts_load_facts(in, d);
        ts_load_latency(in, d);
    }
    if (in->warnings.oom)
        d->oom = 1;
    if (d->oom) {
        ts_inputs_free(in);
        return TS_ENOMEM;
    }
    if (d->n_errors > before) {
        /* the warnings go with the errors: they often explain them */
        for (size_t i = 0; i < in->warnings.n; i++) {
            const ts_diag *w = &in->warnings.items[i];
            ts_warn(d, w->file, w->line, w->col, "%s", w->msg);
        }
        ts_inputs_free(in);
        return d->oom ? TS_ENOMEM : TS_EINPUT;
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
        free(in->demand[i].deployment);
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
    for (size_t i = 0; i < in->n_model_policies; i++) {
        free(in->model_policies[i].model);
        free(in->model_policies[i].file);
        free(in->model_policies[i].ceiling_source);
    }
    free(in->model_policies);
    for (size_t i = 0; i < in->n_manifests; i++)
        free(in->manifests[i]);
    free(in->manifests);
    free(in->currency);
    free(in->dir);
    ts_latency_profiles_free(in->profiles, in->n_profiles);
    ts_diags_free(&in->warnings);
    free(in);
}
