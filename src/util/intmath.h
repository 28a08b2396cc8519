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

/* x as int32, saturating: INT32_MAX above it (and for NaN), INT32_MIN
 * below it; otherwise truncated toward zero as a C cast would. The HPA and
 * KPA keep upstream's 32-bit replica counts; their proposals (a ratio times
 * up to 1e9 replicas) can exceed them and go through this. */
static inline int32_t ts_sat_i32(double x)
{
    if (x >= 2147483647.0 || x != x)
        return INT32_MAX;
    if (x <= -2147483648.0)
        return INT32_MIN;
    return (int32_t)x;
}

/* a + b as int32, saturating. */
static inline int32_t ts_add_sat_i32(int32_t a, int32_t b)
{
    int64_t s = (int64_t)a + b;
    return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}

static inline int64_t ts_clamp_i64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

#endif
