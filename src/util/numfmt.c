/*
 * numfmt.c — number formatting and checked parsing; see numfmt.h.
 */
#include "util/numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t ts_fmt_double(double v, char *out)
{
    if (v == 0.0)
        v = 0.0; /* folds -0 into 0 */
    static const char *const forms[] = {"%.15g", "%.16g", "%.17g"};
    int n = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        n = snprintf(out, 32, forms[i], v);
        if (strtod(out, NULL) == v || isnan(v))
            break;
    }
    return (size_t)n;
}

size_t ts_fmt_int(int64_t v, char *out)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    size_t k = 0;
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k] = '\0';
    return k;
}

/* The grammar of a decimal number, checked before strtod sees it, so that
 * hex floats, "inf", "nan" and stray characters are refused. */
static int is_decimal(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int ts_parse_double(const char *s, double *out)
{
    if (!s || !is_decimal(s))
        return -1;
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v) || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int ts_parse_int64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return -1;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int plain = *p != '\0';
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            plain = 0;
    if (plain) {
        errno = 0;
        char *end = NULL;
        long long v = strtoll(s, &end, 10);
        if (errno == ERANGE || *end != '\0')
            return -1;
        *out = (int64_t)v;
        return 0;
    }
    double d;
    if (ts_parse_double(s, &d) != 0 || d != floor(d) || fabs(d) > 9007199254740992.0)
        return -1;
    *out = (int64_t)d;
    return 0;
}
