/*
 * cmd_compare.c — `tapscale compare`: the same demand under several
 * autoscaler policies, side by side.
 */
#include "tapscale.h"
#include "tapscale_io.h"
#include "commands.h"
#include "messages.h"

#include <stdio.h>
#include <string.h>

/* The policies --policies names (default: every registered one), in order.
 * Returns their number, or -1 after a usage error. */
static int parse_policies(const cli_args *a, const ts_policy_type **out)
{
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    const char *names[TS_POLICY_MAX];
    for (size_t i = 0; i < nt; i++)
        names[i] = types[i]->name;
    if (!a->policies) {
        for (size_t i = 0; i < nt; i++)
            out[i] = types[i];
        return (int)nt;
    }
    int n = 0;
    for (const char *s = a->policies; *s && n < TS_POLICY_MAX;) {
        size_t len = strcspn(s, ",");
        int i = cli_lookup(s, (long)len, names, nt);
        if (i < 0) {
            char list[200];
            cli_names_text(names, nt, list, sizeof list);
            cli_usage("compare", "option '--policies' names '%.*s' (expected %s)", (int)len, s, list);
            return -1;
        }
        out[n++] = types[i];
        s += len;
        if (*s == ',')
            s++;
    }
    return n;
}

/* Writes the plan and the comparison into the output folder, all at once,
 * and renders what stdout shows (before the commit: nothing can fail after
 * it). */
static ts_status write_outputs(const cli_args *a, const ts_inputs *in, const ts_plan *plan, const ts_policy *pol,
                               ts_sim_results *const *res, size_t n, ts_buf *printed, ts_diags *d)
{
    ts_outdir *o = NULL;
    ts_buf b;
    ts_buf_init(&b);
    ts_status st = ts_outdir_open(a->out ? a->out : "out", &o, d);
    if (st != TS_OK)
        return st;
    cli_own_outputs(o);
    ts_render_plan_csv(in, plan, &b);
    st = ts_outdir_put(o, "public_tap_capacity_plan.csv", &b, d);
    ts_buf_free(&b);
    ts_buf_init(&b);
    if (st == TS_OK) {
        ts_render_compare_csv(in, plan, pol, (const ts_sim_results *const *)res, n, &b);
        st = ts_outdir_put(o, "policy_comparison.csv", &b, d);
    }
    if (st == TS_OK && !a->quiet) {
        ts_render_compare_table(in, plan, pol, (const ts_sim_results *const *)res, n, printed);
        if (printed->oom)
            st = TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_outdir_commit(o, d);
    ts_buf_free(&b);
    ts_outdir_free(o);
    return st;
}

int cmd_compare(const cli_args *a)
{
    const ts_policy_type *types[TS_POLICY_MAX];
    int nk = parse_policies(a, types);
    if (nk < 0)
        return cli_exit_code(TS_EINPUT);
    ts_diags d;
    ts_diags_init(&d);
    ts_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.dir = cli_inputs_dir(a);
    lo.has_seed = a->has_seed;
    lo.seed = a->seed;
    ts_inputs *in = NULL;
    ts_plan *plan = NULL;
    ts_sim_results *res[TS_POLICY_MAX] = {0};
    ts_status st = ts_inputs_load(&lo, &in, &d);
    if (st != TS_OK)
        return cli_fail(st, &d);
    cli_warnings(&in->warnings);
    ts_policy pol[TS_POLICY_MAX];
    ts_buf printed; /* stdout */
    ts_buf_init(&printed);
    if ((st = ts_plan_build(in, &plan)) != TS_OK)
        goto out;
    cli_warnings(&plan->warnings);
    for (int j = 0; j < nk; j++) {
        pol[j] = in->policy;
        pol[j].type = types[j];
        ts_sim_options so;
        memset(&so, 0, sizeof so);
        so.policy = &pol[j];
        so.threads = a->threads;
        if ((st = ts_simulate_plan(in, plan, &so, &res[j])) != TS_OK)
            goto out;
    }
    if ((st = write_outputs(a, in, plan, pol, res, (size_t)nk, &printed, &d)) != TS_OK)
        goto out;
    fputs(printed.data ? printed.data : "", stdout);
out:
    ts_buf_free(&printed);
    for (int j = 0; j < nk; j++)
        ts_sim_results_free(res[j]);
    ts_plan_free(plan);
    ts_inputs_free(in);
    if (st != TS_OK)
        return cli_fail(st, &d);
    ts_diags_free(&d);
    return 0;
}
