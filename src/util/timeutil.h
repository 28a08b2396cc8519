/*
 * timeutil.h — UTC timestamps: ISO 8601 in, ISO 8601 out, no time zones, no
 * dependence on the process's TZ (proleptic Gregorian arithmetic only).
 */
#ifndef TS_UTIL_TIMEUTIL_H
#define TS_UTIL_TIMEUTIL_H

#include "tapscale.h"

#include <stdint.h>

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "...:SS" or "...:SS.fffffff",
 * with 'T' or one space between date and time and an optional trailing 'Z'
 * (or "+00:00"). Writes whole seconds since 1970-01-01T00:00:00Z and the
 * fraction of a second in [0,1). Returns TS_OK, or TS_EINPUT when s is not
 * such a time. */
ts_status ts_parse_time(const char *s, int64_t *secs, double *frac);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into out. */
void ts_fmt_time(int64_t secs, char out[32]);

#endif
