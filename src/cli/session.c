/*
 * session.c — the prologue and epilogue of the commands that read an
 * inputs folder; see session.h.
 */
#include "session.h"
#include "messages.h"
#include "commands.h"

#include <stdio.h>

void cli_session_init(cli_session *s)
{
    ts_diags_init(&s->d);
    s->in = NULL;
    s->plan = NULL;
    s->out = NULL;
    ts_buf_init(&s->printed);
}

ts_status cli_session_begin(const cli_args *a, const ts_load_options *lo, const cli_hooks *hooks, ts_status prior,
                            cli_session *s)
{
    if (prior == TS_ENOMEM)
        return prior;
    ts_status st = ts_inputs_load(lo, &s->in, &s->d);
    if (st == TS_OK)
        cli_warnings(&s->in->warnings);
    st = st > prior ? st : prior;
    if (st != TS_OK)
        return st;
    if (hooks && hooks->after_load && (st = hooks->after_load(a, s, hooks->ctx)) != TS_OK)
        return st;
    if ((st = ts_plan_build(s->in, &s->plan)) != TS_OK)
        return st;
    cli_warnings(&s->plan->warnings);
    if (hooks && hooks->after_plan && (st = hooks->after_plan(a, s, hooks->ctx)) != TS_OK)
        return st;
    return ts_outdir_open(a->out ? a->out : "out", &s->out, &s->d);
}

int cli_session_end(cli_session *s, ts_status st)
{
    if (st == TS_OK || st == TS_REJECTED)
        fputs(s->printed.data ? s->printed.data : "", stdout);
    ts_buf_free(&s->printed);
    ts_outdir_free(s->out);
    ts_plan_free(s->plan);
    ts_inputs_free(s->in);
    if (st != TS_OK && st != TS_REJECTED)
        return cli_fail(st, &s->d);
    ts_diags_free(&s->d);
    return cli_exit_code(st);
}

ts_status cli_public_tap_load(const cli_args *a, char *path, size_t size, char **text, size_t *len, ts_diags *d)
{
    snprintf(path, size, "%s/operator/public_tap.yaml", cli_inputs_dir(a));
    ts_status st = ts_file_load(path, text, len, d);
    return st == TS_EINPUT ? TS_ERUNTIME : st;
}
