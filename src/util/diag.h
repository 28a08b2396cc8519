/*
 * diag.h — collecting user-facing problems (errors and warnings).
 *
 * Library code reports what is wrong with an input as a value, never by
 * printing: each problem names the file, the 1-based line and column (0 when
 * not applicable) and a sentence saying what was expected. Every input error
 * of a run is collected so the user sees them all at once.
 */
#ifndef TS_UTIL_DIAG_H
#define TS_UTIL_DIAG_H

#include "tapscale.h"

#if defined(__GNUC__)
#define TS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TS_PRINTF(a, b)
/* Drops the diagnostics after the first n (those a step added before it
 * was undone); d->oom stays as it is. */
void ts_diags_truncate(ts_diags *d, size_t n);

#endif

/* Appends an error / a warning. On allocation failure sets d->oom. */
void ts_err(ts_diags *d, const char *file, int line, int col, const char *fmt, ...) TS_PRINTF(5, 6);
void ts_warn(ts_diags *d, const char *file, int line, int col, const char *fmt, ...) TS_PRINTF(5, 6);
/* The status of work that reported into d since it held before errors:
 * TS_ENOMEM when an allocation failed, TS_EINPUT when it added an error,
 * else TS_OK. */
ts_status ts_diags_status(const ts_diags *d, size_t before);

/* Drops the diagnostics after the first n (those a step added before it
 * was undone); d->oom stays as it is. */
void ts_diags_truncate(ts_diags *d, size_t n);

#endif
