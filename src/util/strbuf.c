/*
 * strbuf.c — growable text buffers; see strbuf.h.
 */
#include "util/strbuf.h"
#include "util/alloc.h"
#include "util/numfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ts_buf_init(ts_buf *b)
{
    memset(b, 0, sizeof *b);
}

void ts_buf_free(ts_buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

void ts_buf_reserve(ts_buf *b, size_t extra)
{
    if (b->oom || b->len + extra + 1 <= b->cap) /* room already: the common case, without a call */
        return;
    char *p = ts_reserve(b->data, b->len + extra + 1, &b->cap, 1, 256);
    if (!p) {
        b->oom = 1;
        return;
    }
    b->data = p;
}

void ts_buf_put(ts_buf *b, const char *s, size_t n)
{
    ts_buf_reserve(b, n);
    if (b->oom)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ts_buf_puts(ts_buf *b, const char *s)
{
    ts_buf_put(b, s, strlen(s));
}

void ts_buf_putc(ts_buf *b, char c)
{
    ts_buf_put(b, &c, 1);
}

void ts_buf_printf(ts_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        ts_buf_put(b, small, (size_t)n);
        return;
    }
    ts_buf_reserve(b, (size_t)n);
    if (b->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void ts_buf_double(ts_buf *b, double v)
{
    char tmp[40];
    size_t n = ts_fmt_double(v, tmp);
    ts_buf_put(b, tmp, n);
}

void ts_buf_int(ts_buf *b, int64_t v)
{
    char tmp[24];
    size_t n = ts_fmt_int(v, tmp);
    ts_buf_put(b, tmp, n);
}

void ts_buf_csv_field(ts_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        ts_buf_puts(b, s);
        return;
    }
    ts_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ts_buf_putc(b, '"');
        ts_buf_putc(b, *p);
    }
    ts_buf_putc(b, '"');
}

/* s as a JSON string; with in_script, <, > and & as \u escapes too. */
static void json_string(ts_buf *b, const char *s, int in_script)
{
    ts_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': ts_buf_puts(b, "\\\""); break;
        case '\\': ts_buf_puts(b, "\\\\"); break;
        case '\n': ts_buf_puts(b, "\\n"); break;
        case '\r': ts_buf_puts(b, "\\r"); break;
        case '\t': ts_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20 || (in_script && (*p == '<' || *p == '>' || *p == '&')))
                ts_buf_printf(b, "\\u%04x", *p);
            else
                ts_buf_putc(b, (char)*p);
        }
    }
    ts_buf_putc(b, '"');
}

void ts_buf_json_string(ts_buf *b, const char *s)
{
    json_string(b, s, 0);
}

void ts_buf_json_string_in_script(ts_buf *b, const char *s)
{
    json_string(b, s, 1);
}

static void base64_put(ts_buf *b, const unsigned char *in, size_t k)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t v = (uint32_t)in[0] << 16 | (k > 1 ? (uint32_t)in[1] << 8 : 0) | (k > 2 ? in[2] : 0);
    char out[4] = {abc[v >> 18 & 63], abc[v >> 12 & 63], k > 1 ? abc[v >> 6 & 63] : '=', k > 2 ? abc[v & 63] : '='};
    ts_buf_put(b, out, 4);
}

void ts_buf_base64(ts_buf *b, const unsigned char *data, size_t n)
{
    ts_buf_reserve(b, (n + 2) / 3 * 4);
    for (size_t i = 0; i < n; i += 3)
        base64_put(b, data + i, n - i < 3 ? n - i : 3);
}

void ts_buf_base64_doubles(ts_buf *b, const double *v, size_t n)
{
    unsigned char three[3];
    size_t k = 0;
    ts_buf_reserve(b, (n * 8 + 2) / 3 * 4);
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        for (int j = 0; j < 8; j++) {
            three[k++] = (unsigned char)(bits >> (8 * j));
            if (k == 3) {
                base64_put(b, three, 3);
                k = 0;
            }
        }
    }
    if (k)
        base64_put(b, three, k);
}
