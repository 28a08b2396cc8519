/*
 * main.c — the tapscale command-line tool: a client of tapscale.h only. It
 * owns everything the user sees: messages go through cli_msg/cli_diags
 * ("tapscale: ..."), results to stdout, exit codes per ts_status.
 */
#include "tapscale.h"
#include "cli/args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef TAPSCALE_EXAMPLES_DIR
#define TAPSCALE_EXAMPLES_DIR "examples/origin"
#endif

static void cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tapscale: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void cli_diags(const ts_diags *d)
{
    char line[2048];
    for (size_t i = 0; i < d->n; i++) {
        ts_diag_format(&d->items[i], line, sizeof line);
        cli_msg("%s%s", d->items[i].kind == TS_DIAG_WARNING ? "warning: " : "", line);
    }
    if (d->oom)
        cli_msg("out of memory");
}

static int fail(ts_status st, ts_diags *d)
{
    cli_diags(d);
    if (st == TS_ERUNTIME && d->n == 0)
        cli_msg("runtime error");
    ts_diags_free(d);
    return (int)st;
}

typedef struct progress {
    struct timespec t0;
    int shown;
} progress;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_progress(void *ctx, size_t done, size_t total)
{
    progress *p = ctx;
    if (elapsed(&p->t0) < 1.0 && !p->shown)
        return;
    fprintf(stderr, "\rtapscale: simulated %zu of %zu pools", done, total);
    p->shown = 1;
}

/* Every file tapscale writes into an output folder: at commit, those an
 * earlier run left and this one did not write are removed. */
static const char *const owned_outputs[] = {
    "public_tap_capacity_plan.csv", "public_tap_gpu_choice.csv", "public_tap_scaling_events.csv",
    "consolidated_kpis.csv",        "consolidated_summary.json", "consolidated_summary.md",
    "SHA256SUMS",                   "timeline_*.csv",            "policy_comparison.csv",
};

static int events_sink(void *ctx, const char *rows, size_t len)
{
    return ts_outdir_write(ctx, rows, len);
}

static ts_status put(ts_outdir *o, const char *name, ts_buf *b, ts_diags *d)
{
    ts_status st = ts_outdir_put(o, name, b, d);
    ts_buf_free(b);
    ts_buf_init(b);
    return st;
}

static int cmd_pipeline(const cli_args *a)
{
    ts_diags d;
    ts_diags_init(&d);
    ts_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.dir = a->inputs ? a->inputs : TAPSCALE_EXAMPLES_DIR;
    lo.has_seed = a->has_seed;
    lo.seed = a->seed;
    lo.has_tolerance = a->has_tolerance;
    lo.tolerance = a->tolerance;
    lo.fail_on_warning = a->fail_on_warning;
    for (size_t i = 0; i < a->n_severity; i++) {
        const char *eq = strchr(a->severity[i], '=');
        int rule = -1;
        for (int r = 0; eq && r < TS_RULE_COUNT; r++)
            if (strlen(ts_rule_name((ts_rule)r)) == (size_t)(eq - a->severity[i]) &&
                !strncmp(ts_rule_name((ts_rule)r), a->severity[i], (size_t)(eq - a->severity[i])))
                rule = r;
        ts_verdict v = eq && !strcmp(eq + 1, "warn") ? TS_WARN : eq && !strcmp(eq + 1, "fail") ? TS_FAIL : TS_PASS;
        if (rule < 0 || v == TS_PASS) {
            cli_msg("option '--severity' is %s (expected capacity_violation, p95_util or sla_violations = warn or fail)",
                    a->severity[i]);
            cli_msg("try 'tapscale run --help'");
            return TS_EINPUT;
        }
        lo.severity[rule] = v;
    }
    const char *outdir = a->out ? a->out : "out";

    ts_inputs *in = NULL;
    ts_status st = ts_inputs_load(&lo, &in, &d);
    if (st != TS_OK)
        return fail(st, &d);
    size_t load_warnings = in->warnings.n;
    for (size_t i = 0; i < load_warnings; i++) {
        char line[2048];
        cli_msg("warning: %s", ts_diag_format(&in->warnings.items[i], line, sizeof line));
    }
    ts_plan *plan = NULL;
    ts_sim_results *res = NULL;
    ts_acceptance *acc = NULL;
    ts_outdir *o = NULL;
    ts_buf b;
    ts_buf_init(&b);
    st = ts_plan_build(in, &plan, &d);
    if (st != TS_OK)
        goto out;
    for (size_t i = load_warnings; i < in->warnings.n; i++)
        cli_msg("warning: %s", in->warnings.items[i].msg);
    if ((st = ts_outdir_open(outdir, &o, &d)) != TS_OK)
        goto out;
    for (size_t i = 0; i < sizeof owned_outputs / sizeof owned_outputs[0]; i++)
        ts_outdir_own(o, owned_outputs[i]);
    if (a->cmd != CMD_PLAN) {
        progress pr = {{0, 0}, 0};
        clock_gettime(CLOCK_MONOTONIC, &pr.t0);
        ts_sim_options so;
        memset(&so, 0, sizeof so);
        so.threads = a->threads;
        so.timeline = a->timeline;
        if (isatty(STDERR_FILENO) && !a->quiet) {
            so.progress = on_progress;
            so.progress_ctx = &pr;
        }
        if (!a->no_events) {
            /* the events stream into their file pool by pool */
            if ((st = ts_outdir_begin(o, "public_tap_scaling_events.csv", &d)) != TS_OK)
                goto out;
            ts_outdir_write(o, TS_EVENTS_HEADER, strlen(TS_EVENTS_HEADER));
            so.events_sink = events_sink;
            so.events_sink_ctx = o;
        }
        st = ts_simulate_plan(in, plan, &so, &res, &d);
        if (pr.shown)
            fputc('\n', stderr);
        ts_status st2 = a->no_events ? TS_OK : ts_outdir_end(o, &d);
        if (st == TS_OK)
            st = st2;
        if (st != TS_OK)
            goto out;
    }
    if (a->cmd == CMD_RUN && (st = ts_accept(in, plan, res, &acc)) != TS_OK)
        goto out;
    ts_render_plan_csv(in, plan, &b);
    if ((st = put(o, "public_tap_capacity_plan.csv", &b, &d)) != TS_OK)
        goto out;
    ts_render_gpu_choice_csv(in, &b);
    if ((st = put(o, "public_tap_gpu_choice.csv", &b, &d)) != TS_OK)
        goto out;
    if (res) {
        ts_render_kpis_csv(in, plan, res, &b);
        if ((st = put(o, "consolidated_kpis.csv", &b, &d)) != TS_OK)
            goto out;
        for (size_t i = 0; a->timeline && i < plan->n; i++) {
            char name[512];
            ts_timeline_name(in->demand[plan->rows[i].demand_index].model, name, sizeof name);
            if ((st = ts_outdir_put(o, name, &res->pools[i].timeline, &d)) != TS_OK)
                goto out;
        }
    }
    if (acc) {
        ts_render_summary_json(in, plan, res, acc, &b);
        if ((st = put(o, "consolidated_summary.json", &b, &d)) != TS_OK)
            goto out;
        ts_render_summary_md(in, plan, res, acc, &b);
        if ((st = put(o, "consolidated_summary.md", &b, &d)) != TS_OK)
            goto out;
        ts_outdir_sums(o, &b);
        if ((st = put(o, "SHA256SUMS", &b, &d)) != TS_OK)
            goto out;
    }
    if ((st = ts_outdir_commit(o, &d)) != TS_OK)
        goto out;
    if (!a->quiet) {
        if (acc) {
            ts_render_run_table(in, plan, res, acc, &b);
            fputs(b.data ? b.data : "", stdout);
            ts_buf_free(&b);
        } else {
            printf("tapscale %s: %zu pools planned%s, written to %s\n", a->cmd == CMD_PLAN ? "plan" : "simulate",
                   plan->n, res ? " and simulated" : "", outdir);
        }
    }
    if (acc && acc->overall == TS_FAIL)
        st = TS_REJECTED;
out:
    ts_buf_free(&b);
    ts_outdir_free(o);
    ts_acceptance_free(acc);
    ts_sim_results_free(res);
    ts_plan_free(plan);
    ts_inputs_free(in);
    if (st != TS_OK && st != TS_REJECTED)
        return fail(st, &d);
    ts_diags_free(&d);
    return (int)st;
}

static int cmd_compare(const cli_args *a)
{
    ts_diags d;
    ts_diags_init(&d);
    ts_policy_kind kinds[8];
    size_t nk = 0;
    const char *list = a->policies ? a->policies : "threshold,hpa,kpa";
    for (const char *s = list; *s && nk < 8;) {
        size_t len = strcspn(s, ",");
        static const ts_policy_kind all[] = {TS_POLICY_THRESHOLD, TS_POLICY_HPA, TS_POLICY_KPA};
        size_t i = 0;
        while (i < 3 && !(strlen(ts_policy_kind_name(all[i])) == len && !strncmp(ts_policy_kind_name(all[i]), s, len)))
            i++;
        if (i == 3) {
            cli_msg("option '--policies' names '%.*s' (expected threshold, hpa or kpa)", (int)len, s);
            cli_msg("try 'tapscale compare --help'");
            return TS_EINPUT;
        }
        kinds[nk++] = all[i];
        s += len;
        if (*s == ',')
            s++;
    }
    ts_load_options lo;
    memset(&lo, 0, sizeof lo);
    lo.dir = a->inputs ? a->inputs : TAPSCALE_EXAMPLES_DIR;
    lo.has_seed = a->has_seed;
    lo.seed = a->seed;
    ts_inputs *in = NULL;
    ts_status st = ts_inputs_load(&lo, &in, &d);
    if (st != TS_OK)
        return fail(st, &d);
    for (size_t i = 0; i < in->warnings.n; i++) {
        char line[2048];
        cli_msg("warning: %s", ts_diag_format(&in->warnings.items[i], line, sizeof line));
    }
    ts_plan *plan = NULL;
    ts_sim_results *res[8] = {0};
    ts_policy pol[8];
    ts_outdir *o = NULL;
    ts_buf b;
    ts_buf_init(&b);
    if ((st = ts_plan_build(in, &plan, &d)) != TS_OK)
        goto out;
    for (size_t j = 0; j < nk; j++) {
        pol[j] = in->policy;
        pol[j].kind = kinds[j];
        ts_sim_options so;
        memset(&so, 0, sizeof so);
        so.policy = &pol[j];
        so.threads = a->threads;
        if ((st = ts_simulate_plan(in, plan, &so, &res[j], &d)) != TS_OK)
            goto out;
    }
    if ((st = ts_outdir_open(a->out ? a->out : "out", &o, &d)) != TS_OK)
        goto out;
    ts_outdir_own(o, "policy_comparison.csv");
    for (size_t i = 0; i < sizeof owned_outputs / sizeof owned_outputs[0]; i++)
        ts_outdir_own(o, owned_outputs[i]);
    ts_render_plan_csv(in, plan, &b);
    if ((st = put(o, "public_tap_capacity_plan.csv", &b, &d)) != TS_OK)
        goto out;
    ts_render_compare_csv(in, plan, pol, (const ts_sim_results *const *)res, nk, &b);
    if ((st = put(o, "policy_comparison.csv", &b, &d)) != TS_OK)
        goto out;
    if ((st = ts_outdir_commit(o, &d)) != TS_OK)
        goto out;
    if (!a->quiet) {
        ts_render_compare_table(in, plan, pol, (const ts_sim_results *const *)res, nk, &b);
        fputs(b.data ? b.data : "", stdout);
    }
out:
    ts_buf_free(&b);
    ts_outdir_free(o);
    for (size_t j = 0; j < nk; j++)
        ts_sim_results_free(res[j]);
    ts_plan_free(plan);
    ts_inputs_free(in);
    if (st != TS_OK)
        return fail(st, &d);
    ts_diags_free(&d);
    return 0;
}

static int cmd_trace(const cli_args *a)
{
    ts_trace_options t;
    memset(&t, 0, sizeof t);
    static const struct {
        const char *name;
        int value;
    } formats[] = {{"azure", TS_TRACE_AZURE}, {"servegen", TS_TRACE_SERVEGEN}},
      tokens[] = {{"output", TS_TOKENS_OUTPUT}, {"input", TS_TOKENS_INPUT}, {"total", TS_TOKENS_TOTAL}};
    int f = -1, k = TS_TOKENS_OUTPUT;
    for (size_t i = 0; a->format && i < 2; i++)
        if (!strcmp(a->format, formats[i].name))
            f = formats[i].value;
    if (f < 0) {
        cli_msg("option '--format' is %s (expected azure or servegen)", a->format ? a->format : "missing");
        cli_msg("try 'tapscale trace --help'");
        return TS_EINPUT;
    }
    if (a->tokens) {
        k = -1;
        for (size_t i = 0; i < 3; i++)
            if (!strcmp(a->tokens, tokens[i].name))
                k = tokens[i].value;
        if (k < 0) {
            cli_msg("option '--tokens' is %s (expected output, input or total)", a->tokens);
            cli_msg("try 'tapscale trace --help'");
            return TS_EINPUT;
        }
    }
    if (f == TS_TRACE_AZURE && !a->model) {
        cli_msg("option '--model' is missing (expected the model id the trace is replayed as)");
        cli_msg("try 'tapscale trace --help'");
        return TS_EINPUT;
    }
    if (a->n_files == 0) {
        cli_msg("no trace file given (expected one or more FILE arguments)");
        cli_msg("try 'tapscale trace --help'");
        return TS_EINPUT;
    }
    t.format = (ts_trace_format)f;
    t.tokens = (ts_token_kind)k;
    t.interval_s = a->interval_s;
    t.scale = a->scale;
    t.model = a->model;
    t.select = a->select;
    t.start = 1735689600; /* 2025-01-01T00:00:00Z */
    if (a->start) {
        if (ts_parse_utc(a->start, &t.start) != 0) {
            cli_msg("option '--start' is %s (expected a time such as 2025-01-01T00:00:00Z)", a->start);
            cli_msg("try 'tapscale trace --help'");
            return TS_EINPUT;
        }
    }
    ts_diags d;
    ts_diags_init(&d);
    ts_buf b;
    ts_buf_init(&b);
    ts_status st = TS_OK;
    for (size_t i = 0; i < a->n_files; i++) {
        t.header = i == 0;
        ts_status s = ts_trace_import(a->files[i], &t, &b, &d);
        if (s > st)
            st = s;
    }
    if (st != TS_OK) {
        ts_buf_free(&b);
        return fail(st, &d);
    }
    if (a->out) {
        char *tmp = malloc(strlen(a->out) + 16);
        if (!tmp) {
            ts_buf_free(&b);
            return fail(TS_ERUNTIME, &d);
        }
        sprintf(tmp, "%s.tmp%ld", a->out, (long)getpid());
        FILE *fp = fopen(tmp, "wb");
        int ok = fp && fwrite(b.data, 1, b.len, fp) == b.len;
        ok = fp && fclose(fp) == 0 && ok;
        ok = ok && rename(tmp, a->out) == 0;
        if (!ok) {
            cli_msg("%s: cannot write: %s (expected a writable file in an existing folder)", a->out, strerror(errno));
            unlink(tmp);
            st = TS_ERUNTIME;
        }
        free(tmp);
    } else {
        fwrite(b.data, 1, b.len, stdout);
    }
    ts_buf_free(&b);
    ts_diags_free(&d);
    return (int)st;
}

int main(int argc, char **argv)
{
    cli_args a;
    char err[256];
    if (cli_parse(argc, argv, &a, err, sizeof err) != 0) {
        cli_msg("%s", err);
        cli_msg("try 'tapscale --help'");
        return TS_EINPUT;
    }
    if (a.version) {
        printf("tapscale %s\n", ts_version());
        return 0;
    }
    if (a.help) {
        fputs(cli_help(a.cmd), stdout);
        return 0;
    }
    switch (a.cmd) {
    case CMD_PLAN:
    case CMD_SIMULATE:
    case CMD_RUN: return cmd_pipeline(&a);
    case CMD_TRACE: return cmd_trace(&a);
    case CMD_COMPARE: return cmd_compare(&a);
    default:
        fputs(cli_help(CMD_NONE), stderr);
        return TS_EINPUT;
    }
}
