/*
 * cron.c — KEDA cron expressions; see cron.h.
 */
#include "import/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The number at *p (advanced past it) within [lo, hi], or a day's name
 * when names. Returns false when there is none. */
static bool field_number(const char **p, int lo, int hi, int names, int *out)
{
    static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    if (names && isalpha((unsigned char)**p)) {
        for (int d = 0; d < 7; d++)
            if (!strncasecmp(*p, days[d], 3)) {
                *p += 3;
                *out = d;
                return true;
            }
        return false;
    }
    if (!isdigit((unsigned char)**p))
        return false;
    int v = 0;
    while (isdigit((unsigned char)**p) && v < 1000)
        v = v * 10 + (*(*p)++ - '0');
    *out = v;
    return v >= lo && v <= hi;
}

/* The day-of-week field: "*", or days and ranges separated by commas.
 * Returns false when it is something else. */
static bool day_field(const char *p, const char *end, unsigned *mask)
{
    *mask = 0;
    if (end - p == 1 && *p == '*') {
        *mask = 0x7f;
        return true;
    }
    while (p < end) {
        int a, b;
        if (!field_number(&p, 0, 7, 1, &a))
            return false;
        b = a;
        if (*p == '-') {
            p++;
            if (!field_number(&p, 0, 7, 1, &b) || b < a)
                return false;
        }
        for (int d = a; d <= b; d++)
            *mask |= 1u << (d % 7);
        if (p < end && *p++ != ',')
            return false;
    }
    return *mask != 0;
}

ts_status ts_cron_parse(const char *s, ts_cron_time *out, char *why, size_t size)
{
    const char *f[5], *fe[5];
    const char *p = s;
    int n = 0;
    while (*p && n < 6) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == 5) {
            n = 6;
            break;
        }
        f[n] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        fe[n++] = p;
    }
    int minute, hour;
    const char *q0 = n == 5 ? f[0] : NULL, *q1 = n == 5 ? f[1] : NULL;
    if (n != 5 || !field_number(&q0, 0, 59, 0, &minute) || q0 != fe[0] || !field_number(&q1, 0, 23, 0, &hour) ||
        q1 != fe[1] || fe[2] - f[2] != 1 || *f[2] != '*' || fe[3] - f[3] != 1 || *f[3] != '*' ||
        !day_field(f[4], fe[4], &out->days)) {
        snprintf(why, size, "a cron time \"M H * * DAYS\": minute 0-59, hour 0-23, any day of the month and month, "
                            "days * or a list such as 1-5 or sat,sun");
        return TS_EINPUT;
    }
    out->minute_of_day = hour * 60 + minute;
    return TS_OK;
}
