/*
 * numfmt.c — number formatting and checked parsing; see numfmt.h.
 */
#include "util/numfmt.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t ts_fmt_double_reference(double v, char *out)
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

int ts_dconv_shortest(double v, char *digits, int *length, int *point);

/* 1 when two decimals of the shortest length could be equally close to v:
 * then v is exactly a decimal of one more digit, ending in 5. With v = m*2^q
 * (m odd) that decimal is m*5^-q (q < 0); for q >= 0 no such tie exists at
 * 16 or 17 digits. Such a v goes the reference way, whose rounding (half to
 * even) decides the tie as printf does. */
static int maybe_tie(double v)
{
    int q;
    double f = frexp(fabs(v), &q); /* v = f * 2^q, 0.5 <= f < 1 */
    uint64_t m = (uint64_t)ldexp(f, 53);
    q -= 53;
    while (m && !(m & 1)) {
        m >>= 1;
        q++;
    }
    if (q >= 0)
        return 0;
    for (int i = 0; i < -q; i++) {
        if (m > UINT64_C(1000000000000000000) / 5)
            return 0; /* more than 18 digits: no tie at 16 or 17 */
        m *= 5;
    }
    return 1;
}

size_t ts_fmt_double(double v, char *out)
{
    if (v == 0.0) {
        out[0] = '0';
        out[1] = '\0';
        return 1;
    }
    /* Whole numbers below 1e15 have at most 15 digits: %.15g writes them as
     * integers, and so does the integer writer, only faster. */
    if (fabs(v) < 1e15 && v == (double)(int64_t)v)
        return ts_fmt_int((int64_t)v, out);
    /* Subnormals have fewer than 53 bits: there %.15g can print a 15-digit
     * decimal that reads back although a shorter one exists, so they (and
     * possible ties) go the reference way. */
    if (!isfinite(v) || fabs(v) < DBL_MIN || maybe_tie(v))
        return ts_fmt_double_reference(v, out);
    char dig[24];
    int len = 0, point = 0;
    int neg = ts_dconv_shortest(v, dig, &len, &point);
    /* printf's %g with the precision P that §7's first round trip used:
     * 15 for up to 15 digits, else the digit count */
    int P = len > 15 ? len : 15;
    int X = point - 1; /* decimal exponent of the first digit */
    char *o = out;
    if (neg)
        *o++ = '-';
    if (X < -4 || X >= P) {
        *o++ = dig[0];
        if (len > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)len - 1);
            o += len - 1;
        }
        *o++ = 'e';
        *o++ = X < 0 ? '-' : '+';
        int ax = X < 0 ? -X : X;
        if (ax >= 100)
            *o++ = (char)('0' + ax / 100);
        *o++ = (char)('0' + ax / 10 % 10);
        *o++ = (char)('0' + ax % 10);
    } else if (point <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -point; i++)
            *o++ = '0';
        memcpy(o, dig, (size_t)len);
        o += len;
    } else if (point >= len) {
        memcpy(o, dig, (size_t)len);
        o += len;
        for (int i = len; i < point; i++)
            *o++ = '0';
    } else {
        memcpy(o, dig, (size_t)point);
        o += point;
        *o++ = '.';
        memcpy(o, dig + point, (size_t)(len - point));
        o += len - point;
    }
    *o = '\0';
    return (size_t)(o - out);
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

/* Clinger's fast path: a decimal of at most 15 significant digits m and a
 * power of ten e with |e| <= 22 is m · 10^e or m / 10^-e, both operands
 * exact doubles, so one correctly rounded operation gives what strtod
 * gives. It also checks the grammar (is_decimal's, in the same pass) of
 * the bytes [s, end): it returns TS_OK with *out set only for a valid
 * decimal, and TS_EINPUT for one that is not that simple or not valid (is_decimal and
 * strtod decide). */
static ts_status parse_simple(const char *s, const char *end, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s;
#define AT(q) ((q) < end ? *(q) : '\0')
#define DIGIT(q) ((q) < end && *(q) >= '0' && *(q) <= '9')
    int neg = AT(p) == '-';
    if (AT(p) == '+' || AT(p) == '-')
        p++;
    int64_t m = 0;
    int digits = 0, scale = 0, seen = 0;
    for (; DIGIT(p); p++, seen++)
        if (m || *p != '0') {
            if (++digits > 15)
                return TS_EINPUT;
            m = m * 10 + (*p - '0');
        }
    if (AT(p) == '.')
        for (p++; DIGIT(p); p++, seen++) {
            scale--;
            if (m || *p != '0') {
                if (++digits > 15)
                    return TS_EINPUT;
                m = m * 10 + (*p - '0');
            }
        }
    if (!seen)
        return TS_EINPUT;
    if (AT(p) == 'e' || AT(p) == 'E') {
        p++;
        int eneg = AT(p) == '-';
        if (AT(p) == '+' || AT(p) == '-')
            p++;
        if (!DIGIT(p))
            return TS_EINPUT;
        int e = 0;
        for (; DIGIT(p); p++)
            if ((e = e * 10 + (*p - '0')) > 100)
                return TS_EINPUT;
        scale += eneg ? -e : e;
    }
#undef AT
#undef DIGIT
    if (p != end || scale < -22 || scale > 22)
        return TS_EINPUT;
    double v = scale >= 0 ? (double)m * pow10[scale] : (double)m / pow10[-scale];
    *out = neg ? -v : v;
    return TS_OK;
}

ts_status ts_parse_double(const char *s, double *out)
{
    if (!s)
        return TS_EINPUT;
    if (parse_simple(s, s + strlen(s), out) == 0)
        return TS_OK;
    if (!is_decimal(s))
        return TS_EINPUT;
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v) || errno == ERANGE)
        return TS_EINPUT;
    *out = v;
    return TS_OK;
}

ts_status ts_parse_double_n(const char *s, size_t n, double *out)
{
    if (parse_simple(s, s + n, out) == 0)
        return TS_OK;
    char z[64];
    if (n >= sizeof z || memchr(s, '\0', n))
        return TS_EINPUT;
    memcpy(z, s, n);
    z[n] = '\0';
    return ts_parse_double(z, out);
}

ts_status ts_parse_int64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return TS_EINPUT;
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
            return TS_EINPUT;
        *out = (int64_t)v;
        return TS_OK;
    }
    double d;
    if (ts_parse_double(s, &d) != 0 || d != floor(d) || fabs(d) > 9007199254740992.0)
        return TS_EINPUT;
    *out = (int64_t)d;
    return TS_OK;
}
