/*
 * timeutil.c — UTC calendar arithmetic; see timeutil.h.
 */
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static ts_status digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return TS_EINPUT;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return TS_OK;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dm[m - 1] + (m == 2 && leap);
}

ts_status ts_parse_time(const char *s, int64_t *secs, double *frac)
{
    int Y, M, D, h = 0, mi = 0, se = 0;
    double f = 0.0;
    if (strlen(s) < 10 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
        digits(s + 8, 2, &D))
        return TS_EINPUT;
    const char *p = s + 10;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
            return TS_EINPUT;
        p += 5;
        if (*p == ':') {
            if (digits(p + 1, 2, &se))
                return TS_EINPUT;
            p += 3;
            if (*p == '.') {
                p++;
                double scale = 0.1;
                if (*p < '0' || *p > '9')
                    return TS_EINPUT;
                while (*p >= '0' && *p <= '9') {
                    f += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                }
            }
        }
    }
    if (*p == 'Z')
        p++;
    else if (strcmp(p, "+00:00") == 0)
        p += 6;
    if (*p != '\0')
        return TS_EINPUT;
    if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M) || h > 23 || mi > 59 || se > 59)
        return TS_EINPUT;
    if (f >= 1.0)
        f = 0.9999999999;
    *secs = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + se;
    *frac = f;
    return TS_OK;
}

static char *put2(char *o, int v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
    return o + 2;
}

void ts_fmt_time(int64_t secs, char out[32])
{
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, 32, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
                 (int)(rem / 60 % 60), (int)(rem % 60));
        return;
    }
    /* the common case by hand: this runs once per event row */
    char *o = out;
    o = put2(o, (int)(y / 100));
    o = put2(o, (int)(y % 100));
    *o++ = '-';
    o = put2(o, m);
    *o++ = '-';
    o = put2(o, d);
    *o++ = 'T';
    o = put2(o, (int)(rem / 3600));
    *o++ = ':';
    o = put2(o, (int)(rem / 60 % 60));
    *o++ = ':';
    o = put2(o, (int)(rem % 60));
    *o++ = 'Z';
    *o = '\0';
}
