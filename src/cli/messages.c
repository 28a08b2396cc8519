/*
 * messages.c — what the tool says, and how statuses become exit codes; see
 * messages.h.
 */
#include "messages.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vmsg(const char *fmt, va_list ap)
{
    fputs("tapscale: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

/* 1 when diagnostic i repeats an earlier one of d word for word. */
static int repeated(const ts_diags *d, size_t i)
{
    const ts_diag *a = &d->items[i];
    for (size_t j = 0; j < i; j++) {
        const ts_diag *b = &d->items[j];
        if (a->kind == b->kind && a->line == b->line && a->col == b->col && !strcmp(a->msg, b->msg) &&
            ((!a->file && !b->file) || (a->file && b->file && !strcmp(a->file, b->file))))
            return 1;
    }
    return 0;
}

void cli_diags(const ts_diags *d)
{
    char line[2048];
    /* warnings first: they often explain the errors */
    for (int kind = TS_DIAG_WARNING; kind >= TS_DIAG_ERROR; kind--)
        for (size_t i = 0; i < d->n; i++) {
            if ((int)d->items[i].kind != kind || repeated(d, i))
                continue;
            ts_diag_format(&d->items[i], line, sizeof line);
            cli_msg("%s%s", kind == TS_DIAG_WARNING ? "warning: " : "", line);
        }
    if (d->oom)
        cli_msg("out of memory");
}

void cli_warnings(const ts_diags *w)
{
    char line[2048];
    for (size_t i = 0; i < w->n; i++)
        if (!repeated(w, i))
            cli_msg("warning: %s", ts_diag_format(&w->items[i], line, sizeof line));
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    cli_msg("try 'tapscale %s%s--help'", cmd, *cmd ? " " : "");
    return cli_exit_code(TS_EINPUT);
}

int cli_exit_code(ts_status st)
{
    static const int codes[] = {[TS_OK] = 0, [TS_REJECTED] = 1, [TS_EINPUT] = 2, [TS_ERUNTIME] = 3, [TS_ENOMEM] = 3};
    return (unsigned)st < sizeof codes / sizeof codes[0] ? codes[st] : 3;
}

int cli_fail(ts_status st, ts_diags *d)
{
    if (st == TS_ENOMEM)
        d->oom = 1;
    cli_diags(d);
    if (st == TS_ERUNTIME && d->n == 0)
        cli_msg("runtime error");
    ts_diags_free(d);
    return cli_exit_code(st);
}

int cli_lookup(const char *name, long len, const char *const *names, size_t n)
{
    size_t l = len < 0 ? strlen(name) : (size_t)len;
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == l && !strncmp(names[i], name, l))
            return (int)i;
    return TS_NOT_FOUND;
}

void cli_names_text(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
}
