/*
 * cmd_run.c — `tapscale plan`, `simulate` and `run`: load, plan, simulate,
 * accept, and write the output folder all at once.
 */
#include "tapscale.h"
#include "tapscale_io.h"
#include "commands.h"
#include "messages.h"
#include "session.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef TAPSCALE_EXAMPLES_DIR
#define TAPSCALE_EXAMPLES_DIR "examples/origin"
#endif

const char *cli_inputs_dir(const cli_args *a)
{
    return a->inputs ? a->inputs : TAPSCALE_EXAMPLES_DIR;
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

/* The events stream into their file pool by pool. */
typedef struct events_ctx {
    ts_event_rows_ctx rows;
    ts_outdir *out;
} events_ctx;

static ts_status events_format(void *ctx, size_t pool, const ts_event *ev, size_t n, ts_buf *b)
{
    return ts_render_event_rows(&((events_ctx *)ctx)->rows, pool, ev, n, b);
}

static ts_status events_write(void *ctx, const char *rows, size_t len)
{
    return ts_outdir_write(((events_ctx *)ctx)->out, rows, len);
}

void cli_load_options(const cli_args *a, ts_load_options *lo)
{
    memset(lo, 0, sizeof *lo);
    lo->dir = cli_inputs_dir(a);
    lo->has_seed = a->has_seed;
    lo->seed = a->seed;
    lo->has_tolerance = a->has_tolerance;
    lo->tolerance = a->tolerance;
    lo->fail_on_warning = a->fail_on_warning;
    lo->set = a->set;
    lo->n_set = a->n_set;
    lo->manifests = a->manifest;
    lo->n_manifests = a->n_manifest;
    lo->allow_outside = a->allow_outside;
    lo->threads = a->threads;
}

/* The load options of run, plan and simulate: cli_load_options and the
 * --severity levels. Returns 0, or the exit code of a bad --severity. */
static int load_options(const cli_args *a, ts_load_options *lo)
{
    cli_load_options(a, lo);
    const char *rules[TS_RULE_COUNT];
    for (int r = 0; r < TS_RULE_COUNT; r++)
        rules[r] = ts_rule_name((ts_rule)r);
    static const char *const levels[] = {"warn", "fail"};
    static const ts_verdict level_verdict[] = {TS_WARN, TS_FAIL};
    for (size_t i = 0; i < a->n_severity; i++) {
        const char *s = a->severity[i], *eq = strchr(s, '=');
        int rule = eq ? cli_lookup(s, eq - s, rules, TS_RULE_COUNT) : -1;
        int level = eq ? cli_lookup(eq + 1, -1, levels, 2) : -1;
        if (rule < 0 || level < 0) {
            char names[200];
            cli_names_text(rules, TS_RULE_COUNT, names, sizeof names);
            return cli_usage("run", "option '--severity' is %s (expected %s = warn or fail)", s, names);
        }
        lo->severity[rule] = level_verdict[level];
    }
    return 0;
}

/* The rollup rows stream into their file pool by pool. */
static ts_status rollup_write(void *ctx, const char *rows, size_t len)
{
    return ts_outdir_file_write(ctx, rows, len);
}

/* Gathers the report while simulating: its pool_done, and unless
 * --no-rollup the rollup file (opened here, closed after the simulation).
 * Returns TS_OK or the failure. */
static ts_status report_hooks(const cli_args *a, ts_report *rep, ts_outdir *o, ts_sim_options *so,
                              ts_outdir_file **rollup, ts_diags *d)
{
    ts_status st = ts_report_setting_add(rep, "run", &so->pool_ctx);
    so->pool_done = ts_report_pool;
    if (st != TS_OK || a->no_rollup)
        return st;
    if ((st = ts_outdir_file_open(o, ts_report_rollup_name(rep), rollup, d)) != TS_OK)
        return st;
    ts_buf h;
    ts_buf_init(&h);
    ts_report_rollup_header(rep, &h);
    st = h.oom ? TS_ENOMEM : ts_outdir_file_write(*rollup, h.data, h.len);
    ts_buf_free(&h);
    so->pool_write = rollup_write;
    so->pool_write_ctx = *rollup;
    return st;
}

/* Simulates the plan, streaming the events into their file unless
 * --no-events, and gathering the report into rep when rep is not NULL. */
static ts_status simulate(const cli_args *a, const ts_inputs *in, const ts_plan *plan, ts_outdir *o,
                          ts_report *rep, ts_sim_results **res, ts_diags *d)
{
    progress pr = {{0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &pr.t0);
    events_ctx ec = {{in, plan, a->ready_times}, o};
    ts_timeline_stream tl = {in, plan, o, d};
    ts_sim_options so;
    memset(&so, 0, sizeof so);
    so.threads = a->threads;
    if (a->timeline) {
        so.steps_begin = ts_timeline_begin;
        so.steps_put = ts_timeline_put;
        so.steps_end = ts_timeline_end;
        so.steps_ctx = &tl;
    }
    if (isatty(STDERR_FILENO) && !a->quiet) {
        so.progress = on_progress;
        so.progress_ctx = &pr;
    }
    ts_status st;
    ts_outdir_file *rollup = NULL;
    if (rep && (st = report_hooks(a, rep, o, &so, &rollup, d)) != TS_OK) {
        if (rollup)
            ts_outdir_file_close(rollup, d);
        return st;
    }
    if (!a->no_events) {
        if ((st = ts_outdir_begin(o, "public_tap_scaling_events.csv", d)) != TS_OK) {
            if (rollup)
                ts_outdir_file_close(rollup, d);
            return st;
        }
        const char *header = a->ready_times ? TS_EVENTS_READY_HEADER : TS_EVENTS_HEADER;
        ts_outdir_write(o, header, strlen(header));
        so.events_format = events_format;
        so.events_write = events_write;
        so.events_ctx = &ec;
    }
    st = ts_simulate_plan(in, plan, &so, res);
    if (pr.shown)
        fputc('\n', stderr);
    ts_status st2 = a->no_events ? TS_OK : ts_outdir_end(o, d);
    ts_status st3 = rollup ? ts_outdir_file_close(rollup, d) : TS_OK;
    return st != TS_OK ? st : st2 != TS_OK ? st2 : st3;
}

/* Renders one file into b and puts it into the folder; b is emptied. */
static ts_status put(ts_outdir *o, const char *name, ts_buf *b, ts_diags *d)
{
    ts_status st = ts_outdir_put(o, name, b, d);
    ts_buf_free(b);
    ts_buf_init(b);
    return st;
}

/* The files of the command (the events are written already). */
static ts_status write_outputs(const cli_args *a, const ts_inputs *in, const ts_plan *plan,
                               const ts_sim_results *res, const ts_acceptance *acc, ts_report *rep, ts_outdir *o,
                               ts_diags *d)
{
    ts_buf b;
    ts_buf_init(&b);
    ts_status st;
    ts_render_plan_csv(in, plan, &b);
    if ((st = put(o, "public_tap_capacity_plan.csv", &b, d)) != TS_OK)
        return st;
    ts_render_gpu_choice_csv(in, plan, &b);
    if ((st = put(o, "public_tap_gpu_choice.csv", &b, d)) != TS_OK)
        return st;
    if (res) {
        ts_render_kpis_csv(in, plan, res, &b);
        if ((st = put(o, "consolidated_kpis.csv", &b, d)) != TS_OK)
            return st;
    }
    if (rep && !a->no_report) {
        if ((st = ts_report_finish(rep, &res, acc, NULL)) != TS_OK)
            return st;
        ts_render_report_html(rep, &b);
        if ((st = put(o, "report.html", &b, d)) != TS_OK)
            return st;
    }
    if (acc) {
        ts_render_summary_json(in, plan, res, acc, &b);
        if ((st = put(o, "consolidated_summary.json", &b, d)) != TS_OK)
            return st;
        ts_render_summary_md(in, plan, res, acc, &b);
        if ((st = put(o, "consolidated_summary.md", &b, d)) != TS_OK)
            return st;
        ts_outdir_sums(o, &b);
        if ((st = put(o, "SHA256SUMS", &b, d)) != TS_OK)
            return st;
    }
    return TS_OK;
}

/* What the command prints on stdout once its folder is in place, rendered
 * before the commit so that nothing can fail after it. */
static void render_report(const cli_args *a, const ts_inputs *in, const ts_plan *plan, const ts_sim_results *res,
                          const ts_acceptance *acc, ts_buf *b)
{
    if (!a->quiet && acc)
        ts_render_run_table(in, plan, res, acc, b);
}

/* run's own check of the plan: --timeline names a file per pool. */
static ts_status check_timelines(const cli_args *a, cli_session *s, void *ctx)
{
    (void)ctx;
    return a->timeline ? ts_timeline_names_check(s->in, s->plan, &s->d) : TS_OK;
}

int cmd_pipeline(const cli_args *a)
{
    ts_load_options lo;
    int rc = load_options(a, &lo);
    if (rc)
        return rc;
    const cli_hooks hooks = {NULL, check_timelines, NULL};
    cli_session s;
    ts_sim_results *res = NULL;
    ts_acceptance *acc = NULL;
    ts_report *rep = NULL;
    char done[4200] = ""; /* plan's and simulate's line, once the folder is in place */
    cli_session_init(&s);
    ts_status st = cli_session_begin(a, &lo, &hooks, TS_OK, &s);
    if (st != TS_OK)
        goto out;
    if (a->cmd == CMD_RUN && !(a->no_report && a->no_rollup) &&
        (st = ts_report_new(s.in, s.plan, TS_REPORT_RUN, &rep)) != TS_OK)
        goto out;
    if (a->cmd != CMD_PLAN && (st = simulate(a, s.in, s.plan, s.out, rep, &res, &s.d)) != TS_OK)
        goto out;
    if (a->cmd == CMD_RUN && (st = ts_accept(s.in, s.plan, res, &acc)) != TS_OK)
        goto out;
    if ((st = write_outputs(a, s.in, s.plan, res, acc, rep, s.out, &s.d)) != TS_OK)
        goto out;
    render_report(a, s.in, s.plan, res, acc, &s.printed);
    if (!a->quiet && !acc)
        snprintf(done, sizeof done, "tapscale %s: %zu pools planned%s, written to %s\n",
                 a->cmd == CMD_PLAN ? "plan" : "simulate", s.plan->n, res ? " and simulated" : "",
                 a->out ? a->out : "out");
    if (s.printed.oom)
        st = TS_ENOMEM;
    if (st != TS_OK || (st = ts_outdir_commit(s.out, &s.d)) != TS_OK)
        goto out;
    if (acc && acc->overall == TS_FAIL)
        st = TS_REJECTED;
out:
    ts_report_free(rep);
    ts_acceptance_free(acc);
    ts_sim_results_free(res);
    rc = cli_session_end(&s, st);
    if (rc == 0)
        fputs(done, stdout);
    return rc;
}
