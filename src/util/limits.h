/*
 * limits.h — the knobs of tapscale in one place (as luaconf.h), each with
 * its reason. Settings tables name these instead of repeating numbers.
 */
#ifndef TS_UTIL_LIMITS_H
#define TS_UTIL_LIMITS_H

/* The largest replica count: replica-seconds (count x seconds of a horizon)
 * must stay exact in 64-bit integers. */
#define TS_MAX_INSTANCES 1e9

/* The most tokens a model may be asked for: a month's tokens, or an
 * hour's in a series. Far above any fleet, and low enough that every rate
 * derived from it (peak factor, hours, replicas) stays finite. */
#define TS_MAX_TOKENS_PER_MONTH 1e18
#define TS_MAX_TOKENS_PER_HOUR 1e18

/* The longest duration a setting may name: 100 years, in seconds. */
#define TS_MAX_SECONDS 3.1536e9

/* The most controller periods a window or policy period may span, so that
 * the HPA's and KPA's fixed histories (TS_HPA_HISTORY, TS_KPA_HISTORY
 * entries, allocated once per pool) always suffice. */
#define TS_MAX_PERIODS_PER_WINDOW 1000
#define TS_HPA_HISTORY 1024
#define TS_KPA_HISTORY 1024

/* The most threads a fleet simulation starts. */
#define TS_MAX_THREADS 256

#endif
