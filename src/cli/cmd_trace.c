/*
 * cmd_trace.c — `tapscale trace`: request traces to demand series, on
 * stdout or into a file that appears whole or not at all.
 */
#include "tapscale.h"
#include "tapscale_io.h"
#include "commands.h"
#include "messages.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* splitwise: the Azure traces of 2023, released with the Splitwise paper */
static const char *const format_names[] = {"azure",    "servegen", "csv",        "jsonl",
                                           "mooncake", "burstgpt", "prometheus", "splitwise"};
static const ts_trace_format formats[] = {TS_TRACE_AZURE,    TS_TRACE_SERVEGEN, TS_TRACE_CSV,        TS_TRACE_JSONL,
                                          TS_TRACE_MOONCAKE, TS_TRACE_BURSTGPT, TS_TRACE_PROMETHEUS, TS_TRACE_AZURE};
#define N_FORMATS (sizeof formats / sizeof formats[0])
static const char *const unit_names[] = {"s", "ms", "us", "iso"};
static const ts_time_unit units[] = {TS_TIME_S, TS_TIME_MS, TS_TIME_US, TS_TIME_ISO};
static const char *const token_names[] = {"output", "input", "total"};
static const ts_token_kind tokens[] = {TS_TOKENS_OUTPUT, TS_TOKENS_INPUT, TS_TOKENS_TOTAL};

/* What format f needs of the command line (the fields of a request log, a
 * model id where the trace names none); 0, or the exit code of a usage
 * error. sniffed: the file whose first line chose f, and why, or NULL. */
static int check_format(const cli_args *a, ts_trace_format f, const char *sniffed, const char *why)
{
    int mapped = f == TS_TRACE_CSV || f == TS_TRACE_JSONL;
    if (mapped && (!a->time_field || !a->tokens_field)) {
        if (sniffed) {
            char presets[600];
            ts_trace_presets_text(presets, sizeof presets);
            return cli_usage("trace", "%s is %s (expected --time-field and --tokens-field naming its fields, or the "
                                      "columns of a preset: %s; or Mooncake's JSON Lines)",
                             sniffed, why, presets);
        }
        return cli_usage("trace", "option '--%s' is missing (expected the name of the field with each request's %s)",
                         !a->time_field ? "time-field" : "tokens-field", !a->time_field ? "time" : "token count");
    }
    int names_model = f == TS_TRACE_SERVEGEN || f == TS_TRACE_BURSTGPT || f == TS_TRACE_PROMETHEUS ||
                      (mapped && a->model_field);
    if (!names_model && !a->model)
        return cli_usage("trace", "option '--model' is missing (expected the model id the trace is replayed as)");
    return 0;
}

/* The trace options of the command line (the format: --format's, or
 * chosen per file when absent); 0, or the exit code of a usage error. */
static int trace_options(const cli_args *a, ts_trace_options *t)
{
    memset(t, 0, sizeof *t);
    char list[100];
    int f = a->format ? cli_lookup(a->format, -1, format_names, N_FORMATS) : -1;
    if (a->format && f < 0) {
        cli_names_text(format_names, N_FORMATS, list, sizeof list);
        return cli_usage("trace", "option '--format' is %s (expected %s)", a->format, list);
    }
    int k = a->tokens ? cli_lookup(a->tokens, -1, token_names, 3) : 0;
    if (k < 0) {
        cli_names_text(token_names, 3, list, sizeof list);
        return cli_usage("trace", "option '--tokens' is %s (expected %s)", a->tokens, list);
    }
    int u = a->time_unit ? cli_lookup(a->time_unit, -1, unit_names, 4) : 0;
    if (u < 0)
        return cli_usage("trace", "option '--time-unit' is %s (expected s, ms, us or iso)", a->time_unit);
    int rc = f >= 0 ? check_format(a, formats[f], NULL, NULL) : 0;
    if (rc)
        return rc;
    if (a->n_files == 0)
        return cli_usage("trace", "no trace file given (expected one or more FILE arguments)");
    t->format = f >= 0 ? formats[f] : TS_TRACE_CSV;
    t->tokens = tokens[k];
    t->interval_s = a->interval_s;
    t->scale = a->scale;
    t->model = a->model;
    t->select = a->select;
    t->start = 1735689600; /* 2025-01-01T00:00:00Z */
    t->has_start = a->start != NULL;
    if (a->start && ts_parse_utc(a->start, &t->start) != TS_OK)
        return cli_usage("trace", "option '--start' is %s (expected a time such as 2025-01-01T00:00:00Z)", a->start);
    t->time_field = a->time_field;
    t->time_unit = units[u];
    t->tokens_field = a->tokens_field;
    t->model_field = a->model_field;
    t->label = a->label;
    t->counter = a->counter;
    return 0;
}

/* Without --format: the format of file, from its first line, said on
 * stderr; 0, or the exit code of a usage error. */
static int sniff(const cli_args *a, const char *file, ts_trace_options *t)
{
    char why[400];
    ts_trace_format f;
    if (ts_trace_sniff(file, &f, why, sizeof why) != TS_OK)
        return cli_usage("trace", "%s: %s", file, why);
    int rc = check_format(a, f, file, why);
    if (rc)
        return rc;
    size_t i = 0;
    while (i < N_FORMATS && formats[i] != f)
        i++;
    cli_msg("%s: read as --format %s (%s)", file, format_names[i], why);
    t->format = f;
    return 0;
}

/* Writes b to path through a temporary file renamed into place. */
static ts_status write_file(const char *path, const ts_buf *b)
{
    char *tmp = ts_mem_alloc(strlen(path) + 32, 1);
    if (!tmp)
        return TS_ENOMEM;
    sprintf(tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    int ok = fp && fwrite(b->data, 1, b->len, fp) == b->len;
    ok = fp && fclose(fp) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    ts_status st = TS_OK;
    if (!ok) {
        cli_msg("%s: cannot write: %s (expected a writable file in an existing folder)", path, strerror(errno));
        unlink(tmp);
        st = TS_ERUNTIME;
    }
    ts_mem_free(tmp);
    return st;
}

int cmd_trace(const cli_args *a)
{
    ts_trace_options t;
    int rc = trace_options(a, &t);
    if (rc)
        return rc;
    ts_diags d;
    ts_diags_init(&d);
    ts_buf b;
    ts_buf_init(&b);
    ts_status st = TS_OK;
    for (size_t i = 0; i < a->n_files; i++) {
        t.header = i == 0;
        if (!a->format && (rc = sniff(a, a->files[i], &t)) != 0) {
            ts_buf_free(&b);
            ts_diags_free(&d);
            return rc;
        }
        ts_status s = ts_trace_import(a->files[i], &t, &b, &d);
        if (s > st)
            st = s; /* the worst: TS_EINPUT < TS_ERUNTIME < TS_ENOMEM */
    }
    if (st == TS_OK) {
        if (a->out)
            st = write_file(a->out, &b);
        else
            fwrite(b.data, 1, b.len, stdout);
        if (st == TS_OK)
            cli_warnings(&d);
    }
    ts_buf_free(&b);
    if (st != TS_OK)
        return cli_fail(st, &d);
    ts_diags_free(&d);
    return 0;
}
