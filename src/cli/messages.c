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

void cli_diags(const ts_diags *d)
{
    char line[2048];
    for (size_t i = 0; i < d->n; i++) {
        ts_diag_format(&d->items[i], line, sizeof line);
        cli_msg("%s%s", d->items[i].kind == TS_DIAG_WARNING ? "warning: " : "", line);
    }
    if (d->oom)
        cli_msg("out of memory");
}

void cli_warnings(const ts_diags *w)
{
    char line[2048];
    for (size_t i = 0; i < w->n; i++)
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
    return -1;
}

void cli_names_text(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
}
