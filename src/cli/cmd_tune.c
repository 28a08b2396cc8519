/*
 * cmd_tune.c — `tapscale tune`: the cheapest setting of an autoscaler
 * policy that meets a service level, per pool, beside the current setting,
 * the ideal and the fixed fleet; written as every setting evaluated, the
 * Pareto front and public_tap.yaml with the winners.
 */
#include "tapscale.h"
#include "tapscale_io.h"
#include "commands.h"
#include "messages.h"
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tune options of the command line; 0, or the exit code of a usage
 * error. */
static int tune_options(const cli_args *a, ts_tune_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_violation_minutes = a->has_max_violation_minutes ? a->max_violation_minutes : 0;
    o->has_max_unserved_pct = a->has_max_unserved_pct;
    o->has_max_slo_minutes = a->has_max_slo_minutes;
    o->max_slo_minutes = a->max_slo_minutes;
    o->max_unserved_pct = a->max_unserved_pct;
    o->budget = (size_t)a->budget;
    o->seed = a->has_seed ? a->seed : 0;
    o->threads = a->threads;
    static const char *const objectives[] = {"cost", "gpu_hours", "events"};
    static const ts_tune_objective values[] = {TS_MINIMIZE_COST, TS_MINIMIZE_GPU_HOURS, TS_MINIMIZE_EVENTS};
    int i = a->minimize ? cli_lookup(a->minimize, -1, objectives, 3) : 0;
    if (i < 0)
        return cli_usage("tune", "option '--minimize' is %s (expected cost, gpu_hours or events)", a->minimize);
    o->minimize = values[i];
    return 0;
}

/* The policy searched: --policy, or the configured one. */
static const ts_policy_type *tuned_type(const cli_args *a, const ts_inputs *in)
{
    if (!a->policy)
        return in->policy.type;
    const ts_policy_type *t = ts_policy_type_find(a->policy);
    if (!t) {
        size_t n;
        const ts_policy_type *const *types = ts_policy_types(&n);
        const char *names[TS_POLICY_MAX];
        for (size_t i = 0; i < n; i++)
            names[i] = ts_policy_type_name(types[i]);
        char list[200];
        cli_names_text(names, n, list, sizeof list);
        cli_usage("tune", "option '--policy' is %s (expected %s)", a->policy, list);
    }
    return t;
}

/* The space: --space FILE, or the policy's default. */
static ts_status load_space(const cli_args *a, const ts_policy_type *t, ts_tune_space **sp, ts_diags *d)
{
    if (!a->space)
        return ts_tune_space_default(t, sp, d);
    size_t len;
    char *text;
    ts_status st = ts_file_load(a->space, &text, &len, d);
    if (st != TS_OK)
        return st;
    st = ts_tune_space_read(t, a->space, text, len, sp, d);
    ts_mem_free(text);
    return st;
}

/* What tune finds before its plan: the policy it tunes and its space. */
typedef struct tune_ctx {
    ts_tune_space *space;
} tune_ctx;

static ts_status load_space_hook(const cli_args *a, cli_session *s, void *ctx)
{
    const ts_policy_type *type = tuned_type(a, s->in);
    if (!type)
        return TS_EINPUT;
    return load_space(a, type, &((tune_ctx *)ctx)->space, &s->d);
}

/* The files into out (opened before the search, so that a folder tapscale
 * may not replace is refused first), all at once, and stdout rendered
 * before the commit. */
/* The report of a tuning: every pool simulated with its current and its
 * tuned setting (the winner, or the closest), and the settings tried.
 * Renders report.html into b. Returns TS_OK, TS_EINPUT or TS_ENOMEM. */
static ts_status tune_report(const cli_args *a, const ts_inputs *in, const ts_plan *plan, const ts_tune_result *t,
                             ts_buf *b)
{
    ts_report *rep = NULL;
    ts_sim_results *res[2] = {NULL, NULL};
    const ts_policy **pol = ts_mem_alloc(2 * (plan->n + 1), sizeof *pol);
    ts_status st = pol ? ts_report_new(in, plan, TS_REPORT_TUNE, &rep) : TS_ENOMEM;
    static const char *const names[2] = {"current", "tuned"};
    for (int j = 0; j < 2 && st == TS_OK; j++) {
        const ts_policy **pj = pol + (size_t)j * (plan->n + 1);
        for (size_t i = 0; i < plan->n; i++)
            pj[i] = j == 0 ? &t->pools[i].current : &t->pools[i].best;
        ts_sim_options so;
        memset(&so, 0, sizeof so);
        so.policies = pj;
        so.threads = a->threads;
        so.pool_done = ts_report_pool;
        if ((st = ts_report_setting_add(rep, names[j], &so.pool_ctx)) == TS_OK)
            st = ts_simulate_plan(in, plan, &so, &res[j]);
    }
    if (st == TS_OK && (st = ts_report_finish(rep, (const ts_sim_results *const *)res, NULL, t)) == TS_OK)
        ts_render_report_html(rep, b);
    ts_report_free(rep);
    ts_sim_results_free(res[0]);
    ts_sim_results_free(res[1]);
    ts_mem_free(pol);
    return st;
}

static ts_status write_outputs(const cli_args *a, const ts_inputs *in, const ts_plan *plan, const ts_tune_result *t,
                               const ts_tune_options *o, ts_outdir *out, ts_buf *printed, ts_diags *d)
{
    char path[4096];
    size_t len;
    char *text;
    ts_status st0 = cli_public_tap_load(a, path, sizeof path, &text, &len, d);
    if (st0 != TS_OK)
        return st0;
    ts_buf b;
    ts_buf_init(&b);
    ts_render_tune_candidates_csv(in, plan, t, &b);
    ts_status st = ts_outdir_put(out, "tune_candidates.csv", &b, d);
    if (st == TS_OK) {
        ts_buf_free(&b);
        ts_buf_init(&b);
        ts_render_tune_pareto_csv(in, plan, t, &b);
        st = ts_outdir_put(out, "tune_pareto.csv", &b, d);
    }
    if (st == TS_OK) {
        ts_buf_free(&b);
        ts_buf_init(&b);
        st = ts_render_tuned_public_tap(path, text, len, in, plan, t, &b, d);
        if (st == TS_OK)
            st = ts_outdir_put(out, "tuned_public_tap.yaml", &b, d);
    }
    if (st == TS_OK && !a->no_report) {
        ts_buf_free(&b);
        ts_buf_init(&b);
        if ((st = tune_report(a, in, plan, t, &b)) == TS_OK)
            st = ts_outdir_put(out, "report.html", &b, d);
    }
    if (st == TS_OK && !a->quiet) {
        ts_render_tune_table(in, plan, t, o, printed);
        if (printed->oom)
            st = TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_outdir_commit(out, d);
    ts_buf_free(&b);
    ts_mem_free(text);
    return st;
}

int cmd_tune(const cli_args *a)
{
    ts_tune_options o;
    int rc = tune_options(a, &o);
    if (rc)
        return rc;
    ts_load_options lo;
    cli_load_options(a, &lo);
    tune_ctx c = {NULL};
    const cli_hooks hooks = {load_space_hook, NULL, &c};
    cli_session s;
    ts_tune_result *t = NULL;
    cli_session_init(&s);
    ts_status st = cli_session_begin(a, &lo, &hooks, TS_OK, &s);
    if (st != TS_OK)
        goto out;
    if ((st = ts_tune(s.in, s.plan, c.space, &o, &t)) != TS_OK ||
        (st = write_outputs(a, s.in, s.plan, t, &o, s.out, &s.printed, &s.d)) != TS_OK)
        goto out;
    for (size_t i = 0; i < t->n; i++)
        if (t->pools[i].winner < 0)
            st = TS_REJECTED;
out:
    ts_tune_result_free(t);
    ts_tune_space_free(c.space);
    return cli_session_end(&s, st);
}
