/*
 * diag.c — the list of user-facing problems; see diag.h.
 */
#include "util/diag.h"
#include "util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ts_diags_init(ts_diags *d)
{
    memset(d, 0, sizeof *d);
}

void ts_diags_free(ts_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

void ts_diags_truncate(ts_diags *d, size_t n)
{
    for (size_t i = n; i < d->n; i++) {
        if (d->items[i].kind == TS_DIAG_ERROR)
            d->n_errors--;
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    if (n < d->n)
        d->n = n;
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = ts_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void vadd(ts_diags *d, ts_diag_kind kind, const char *file, int line, int col,
                 const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (kind == TS_DIAG_ERROR)
        d->n_errors++;
    ts_diag *it = ts_grow(d->items, d->n, &d->cap, sizeof *it, 8);
    if (!it) {
        d->oom = 1;
        return;
    }
    d->items = it;
    ts_diag *g = &d->items[d->n];
    g->kind = kind;
    g->file = dup_or_null(file);
    g->msg = dup_or_null(msg);
    g->line = line;
    g->col = col;
    if ((file && !g->file) || !g->msg) {
        free(g->file);
        free(g->msg);
        d->oom = 1;
        return;
    }
    d->n++;
}

void ts_err(ts_diags *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, TS_DIAG_ERROR, file, line, col, fmt, ap);
    va_end(ap);
}

void ts_warn(ts_diags *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, TS_DIAG_WARNING, file, line, col, fmt, ap);
    va_end(ap);
}

char *ts_diag_format(const ts_diag *g, char *buf, size_t size)
{
    if (g->file && g->line > 0 && g->col > 0)
        snprintf(buf, size, "%s:%d:%d: %s", g->file, g->line, g->col, g->msg);
    else if (g->file && g->line > 0)
        snprintf(buf, size, "%s:%d: %s", g->file, g->line, g->msg);
    else if (g->file)
        snprintf(buf, size, "%s: %s", g->file, g->msg);
    else
        snprintf(buf, size, "%s", g->msg);
    return buf;
}

ts_status ts_diags_status(const ts_diags *d, size_t before)
{
    return d->oom ? TS_ENOMEM : d->n_errors > before ? TS_EINPUT : TS_OK;
}
