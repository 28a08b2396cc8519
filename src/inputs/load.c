/*
 * load.c — the loader of a run's inputs (ts_inputs_load in tapscale.h): the
 * settings, the acceptance settings, the demand and the facts, every input
 * error of the run collected before it answers.
 */
#include "inputs/demand.h"
#include "inputs/facts.h"
#include "inputs/files.h"
#include "inputs/settings.h"
#include "inputs/simulation.h"
#include "util/alloc.h"
#include "util/diag.h"
#include "util/fileio.h"

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
        ts_read_public_tap(path, data, len, opt->set, opt->n_set, &in->policy, &in->runtime, &in->seed,
                           &in->model_policies, &in->n_model_policies, d);
    free(data);
    free(path);
    data = read_folder_file(in, "simulation.yaml", 1, &path, &len, d);
    if (data)
        ts_read_simulation(path, data, len, &in->acceptance, d);
    free(data);
    free(path);
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

const ts_policy *ts_inputs_policy(const ts_inputs *in, size_t i)
{
    return in->demand[i].policy ? in->demand[i].policy : &in->policy;
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
        link_model_policies(in, d);
        ts_load_facts(in, d);
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
    }
    free(in->model_policies);
    free(in->currency);
    free(in->dir);
    ts_diags_free(&in->warnings);
    free(in);
}
