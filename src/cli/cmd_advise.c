/*
 * cmd_advise.c — `tapscale advise`: per pool, every way to serve it ranked
 * (the fixed fleet, each policy tuned), the sentence saying what to rent
 * and run, and the winner as the settings file and the manifest a user
 * deploys.
 */
#include "tapscale.h"
#include "tapscale_io.h"
#include "commands.h"
#include "messages.h"
#include "session.h"

#include <stdio.h>
#include <string.h>

/* What advise reads from the command line before its inputs. */
typedef struct advise_ctx {
    ts_tune_options opt;
    const ts_policy_type *types[TS_POLICY_MAX];
    size_t n_types;          /* 0: every policy with a grid */
    ts_manifest_format format;
} advise_ctx;

/* The options; 0, or the exit code of a usage error (said). */
static int advise_options(const cli_args *a, advise_ctx *c)
{
    memset(c, 0, sizeof *c);
    ts_tune_options *o = &c->opt;
    o->max_violation_minutes = a->has_max_violation_minutes ? a->max_violation_minutes : 0;
    o->has_max_unserved_pct = a->has_max_unserved_pct;
    o->has_max_slo_minutes = a->has_max_slo_minutes;
    o->max_slo_minutes = a->max_slo_minutes;
    o->max_unserved_pct = a->max_unserved_pct;
    o->budget = (size_t)a->budget;
    o->seed = a->has_seed ? a->seed : 0;
    o->threads = a->threads;
    static const char *const objectives[] = {"cost", "gpu_hours"};
    static const ts_tune_objective values[] = {TS_MINIMIZE_COST, TS_MINIMIZE_GPU_HOURS};
    int i = a->minimize ? cli_lookup(a->minimize, -1, objectives, 2) : 0;
    if (i < 0)
        return cli_usage("advise", "option '--minimize' is %s (expected cost or gpu_hours)", a->minimize);
    o->minimize = values[i];
    static const char *const formats[] = {"hpa", "keda"};
    int f = a->export_as ? cli_lookup(a->export_as, -1, formats, 2) : 0;
    if (f < 0)
        return cli_usage("advise", "option '--export' is %s (expected hpa or keda)", a->export_as);
    c->format = f == 1 ? TS_MANIFEST_KEDA : TS_MANIFEST_HPA;
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    const char *names[TS_POLICY_MAX];
    for (size_t k = 0; k < nt; k++)
        names[k] = ts_policy_type_name(types[k]);
    for (const char *s = a->policies; s && *s && c->n_types < TS_POLICY_MAX;) {
        size_t len = strcspn(s, ",");
        int k = cli_lookup(s, (long)len, names, nt);
        if (k < 0) {
            char list[200];
            cli_names_text(names, nt, list, sizeof list);
            return cli_usage("advise", "option '--policies' names '%.*s' (expected %s)", (int)len, s, list);
        }
        c->types[c->n_types++] = types[k];
        s += len + (s[len] == ',');
    }
    return 0;
}

/* advice.csv, advice.md, tuned_public_tap.yaml and a manifest per pool
 * into out, all at once; stdout rendered before the commit. */
static ts_status write_outputs(const cli_args *a, const cli_session *s, const ts_advice *adv, ts_manifest_format f,
                               ts_buf *printed, ts_diags *d)
{
    char path[4096];
    size_t len;
    char *text;
    ts_status st = cli_public_tap_load(a, path, sizeof path, &text, &len, d);
    if (st != TS_OK)
        return st;
    ts_buf b;
    ts_buf_init(&b);
    ts_render_advice_csv(s->in, s->plan, adv, &b);
    st = ts_outdir_put(s->out, "advice.csv", &b, d);
    if (st == TS_OK) {
        ts_buf_free(&b);
        ts_buf_init(&b);
        ts_render_advice_md(s->in, s->plan, adv, &b);
        st = ts_outdir_put(s->out, "advice.md", &b, d);
    }
    if (st == TS_OK) {
        ts_buf_free(&b);
        ts_buf_init(&b);
        if ((st = ts_render_advised_public_tap(path, text, len, s->in, s->plan, adv, &b, d)) == TS_OK)
            st = ts_outdir_put(s->out, "tuned_public_tap.yaml", &b, d);
    }
    for (size_t i = 0; st == TS_OK && i < s->plan->n; i++) {
        ts_buf_free(&b);
        ts_buf_init(&b);
        ts_render_advice_manifest(s->in, s->plan, adv, i, f, &b);
        char name[600];
        snprintf(name, sizeof name, "manifest_%s.yaml", s->in->demand[s->plan->rows[i].demand_index].deployment);
        st = ts_outdir_put(s->out, name, &b, d);
    }
    if (st == TS_OK && !a->quiet) {
        ts_render_advice_table(s->in, s->plan, adv, printed);
        if (printed->oom)
            st = TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_outdir_commit(s->out, d);
    ts_buf_free(&b);
    ts_mem_free(text);
    return st;
}

int cmd_advise(const cli_args *a)
{
    advise_ctx c;
    int rc = advise_options(a, &c);
    if (rc)
        return rc;
    ts_load_options lo;
    cli_load_options(a, &lo);
    cli_session s;
    ts_advice *adv = NULL;
    cli_session_init(&s);
    ts_status st = cli_session_begin(a, &lo, NULL, TS_OK, &s);
    if (st == TS_OK)
        st = ts_advise(s.in, s.plan, &c.opt, c.n_types ? c.types : NULL, c.n_types, &adv);
    if (st == TS_OK)
        st = write_outputs(a, &s, adv, c.format, &s.printed, &s.d);
    for (size_t i = 0; st == TS_OK && i < adv->n; i++)
        if (adv->pools[i].winner < 0)
            st = TS_REJECTED;
    ts_advice_free(adv);
    return cli_session_end(&s, st);
}
