/*
 * intmath.h — the integer conversions of counts: a ceiling that saturates
 * instead of overflowing, and a clamp. Header-only (inline).
 */
#ifndef TS_UTIL_INTMATH_H
#define TS_UTIL_INTMATH_H

#include <math.h>
#include <stdint.h>

/* ceil(x) as int64 for x >= 0: INT64_MAX when it does not fit (and for
 * NaN), 0 below 0. */
static inline int64_t ts_ceil_i64(double x)
{
    double c = ceil(x);
    if (!(c < 9.2e18))
        return INT64_MAX;
    return c > 0 ? (int64_t)c : 0;
}

static inline int64_t ts_clamp_i64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

#endif
