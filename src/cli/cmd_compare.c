/*
 * cmd_compare.c — `tapscale compare`: the same demand under several
 * autoscaler policies or named variants of the settings, side by side.
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

#define MAX_COMPARED (TS_POLICY_MAX + 8)

/* What is compared: a policy kind (type), or a variant (an autoscaling:
 * file over each model's settings). */
typedef struct compared {
    char name[64];
    const ts_policy_type *type;   /* a kind, or NULL */
    char *text;                   /* a variant's file */
    size_t len;
    const char *file;
} compared;

static compared kind(const ts_policy_type *t)
{
    compared c = {"", t, NULL, 0, NULL};
    snprintf(c.name, sizeof c.name, "%s", ts_policy_type_name(t));
    return c;
}

/* The kinds --policies names, then the variants, into out (*n of them);
 * by default every registered kind but the opt-in ones (the schedule)
 * when no variant is given. Returns
 * TS_OK, or TS_EINPUT after a usage error (said). */
static ts_status parse_compared(const cli_args *a, compared *out, int *n_out)
{
    size_t nt;
    const ts_policy_type *const *types = ts_policy_types(&nt);
    const char *names[TS_POLICY_MAX];
    for (size_t i = 0; i < nt; i++)
        names[i] = ts_policy_type_name(types[i]);
    int n = 0;
    if (!a->policies && a->n_variant == 0)
        for (size_t i = 0; i < nt; i++)
            if (!ts_policy_type_opt_in(types[i]))
                out[n++] = kind(types[i]);
    for (const char *s = a->policies; s && *s && n < TS_POLICY_MAX;) {
        size_t len = strcspn(s, ",");
        int i = cli_lookup(s, (long)len, names, nt);
        if (i < 0) {
            char list[200];
            cli_names_text(names, nt, list, sizeof list);
            cli_usage("compare", "option '--policies' names '%.*s' (expected %s)", (int)len, s, list);
            return TS_EINPUT;
        }
        out[n++] = kind(types[i]);
        s += len;
        if (*s == ',')
            s++;
    }
    for (size_t v = 0; v < a->n_variant; v++) {
        const char *eq = strchr(a->variant[v], '=');
        if (!eq || eq == a->variant[v] || !eq[1]) {
            cli_usage("compare", "option '--variant' is %s (expected NAME=FILE, FILE a YAML file with an autoscaling: mapping)",
                      a->variant[v]);
            return TS_EINPUT;
        }
        compared c = {"", NULL, NULL, 0, eq + 1};
        snprintf(c.name, sizeof c.name, "%.*s", (int)(eq - a->variant[v]), a->variant[v]);
        out[n++] = c;
    }
    *n_out = n;
    return TS_OK;
}

/* Reads a variant's file into c->text (the caller frees it with
 * ts_mem_free). Returns TS_OK, TS_EINPUT (said in d) or TS_ENOMEM. */
static ts_status read_variant(compared *c, ts_diags *d)
{
    return ts_file_load(c->file, &c->text, &c->len, d);
}

/* The policies of every pool for one compared setting: each model's own
 * with the kind changed, or with the variant over it. */
static ts_status pool_policies(const ts_inputs *in, const ts_plan *plan, const compared *c, ts_policy *pol,
                               const ts_policy **ptr, ts_diags *d)
{
    for (size_t i = 0; i < plan->n; i++) {
        pol[i] = *ts_inputs_policy(in, plan->rows[i].demand_index);
        ptr[i] = &pol[i];
        if (c->type) {
            pol[i].type = c->type;
            continue;
        }
        ts_status st = ts_policy_overlay(&pol[i], c->file, c->text, c->len, d);
        if (st != TS_OK)
            return st; /* reported once, on the first pool */
    }
    return TS_OK;
}

/* Writes the plan and the comparison into the output folder o (opened
 * before the work, so that a folder tapscale may not replace is refused
 * first), all at once, and renders what stdout shows (before the commit:
 * nothing can fail after it). */
static ts_status write_outputs(const cli_args *a, const ts_inputs *in, const ts_plan *plan, const char *const *names,
                               ts_sim_results *const *res, size_t n, ts_report *rep, ts_outdir *o, ts_buf *printed,
                               ts_diags *d)
{
    ts_buf b;
    ts_buf_init(&b);
    ts_status st = TS_OK;
    if (rep && (st = ts_report_finish(rep, (const ts_sim_results *const *)res, NULL, NULL)) == TS_OK) {
        ts_render_report_html(rep, &b);
        st = ts_outdir_put(o, "report.html", &b, d);
        ts_buf_free(&b);
        ts_buf_init(&b);
    }
    if (st != TS_OK)
        return st;
    ts_render_plan_csv(in, plan, &b);
    st = ts_outdir_put(o, "public_tap_capacity_plan.csv", &b, d);
    ts_buf_free(&b);
    ts_buf_init(&b);
    if (st == TS_OK) {
        ts_render_compare_csv(in, plan, names, (const ts_sim_results *const *)res, n, &b);
        st = ts_outdir_put(o, "policy_comparison.csv", &b, d);
    }
    if (st == TS_OK && !a->quiet) {
        ts_render_compare_table(in, plan, names, (const ts_sim_results *const *)res, n, printed);
        if (printed->oom)
            st = TS_ENOMEM;
    }
    if (st == TS_OK)
        st = ts_outdir_commit(o, d);
    ts_buf_free(&b);
    return st;
}

int cmd_compare(const cli_args *a)
{
    compared cmp[MAX_COMPARED];
    int nk = 0;
    if (parse_compared(a, cmp, &nk) != TS_OK)
        return cli_exit_code(TS_EINPUT);
    cli_session s;
    cli_session_init(&s);
    ts_status st = TS_OK;
    for (int j = 0; j < nk; j++) /* every variant's problems, and the inputs' with them */
        if (!cmp[j].type) {
            ts_status one = read_variant(&cmp[j], &s.d);
            st = one > st ? one : st;
        }
    ts_load_options lo;
    cli_load_options(a, &lo);
    ts_sim_results *res[MAX_COMPARED] = {0};
    ts_policy *pol = NULL;
    const ts_policy **ptr = NULL;
    const char *names[MAX_COMPARED];
    ts_report *rep = NULL;
    st = cli_session_begin(a, &lo, NULL, st, &s);
    if (st != TS_OK)
        goto out;
    if (!a->no_report && (st = ts_report_new(s.in, s.plan, TS_REPORT_COMPARE, &rep)) != TS_OK)
        goto out;
    /* the policies of every pool, per compared setting: the results keep
     * pointers to them */
    pol = ts_mem_alloc((size_t)nk * s.plan->n + 1, sizeof *pol);
    ptr = ts_mem_alloc((size_t)nk * s.plan->n + 1, sizeof *ptr);
    if (!pol || !ptr) {
        st = TS_ENOMEM;
        goto out;
    }
    for (int j = 0; j < nk; j++) {
        names[j] = cmp[j].name;
        ts_policy *pj = pol + (size_t)j * s.plan->n;
        const ts_policy **qj = ptr + (size_t)j * s.plan->n;
        if ((st = pool_policies(s.in, s.plan, &cmp[j], pj, qj, &s.d)) != TS_OK)
            goto out;
        ts_sim_options so;
        memset(&so, 0, sizeof so);
        so.policies = qj;
        so.threads = a->threads;
        if (rep && (st = ts_report_setting_add(rep, names[j], &so.pool_ctx)) != TS_OK)
            goto out;
        so.pool_done = rep ? ts_report_pool : NULL;
        if ((st = ts_simulate_plan(s.in, s.plan, &so, &res[j])) != TS_OK)
            goto out;
    }
    st = write_outputs(a, s.in, s.plan, names, res, (size_t)nk, rep, s.out, &s.printed, &s.d);
out:
    ts_report_free(rep);
    for (int j = 0; j < nk; j++) {
        ts_sim_results_free(res[j]);
        ts_mem_free(cmp[j].text);
    }
    ts_mem_free(pol);
    ts_mem_free(ptr);
    return cli_session_end(&s, st);
}
