/*
 * testutil.h — helpers of the unit tests: temporary input folders written
 * from strings, and lookups in diagnostics.
 */
#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tapscale.h"

/* A new empty folder under /tmp; the caller frees the string. */
char *tu_tmpdir(void);
/* Writes text to dir/rel, creating folders on the way. */
void tu_write(const char *dir, const char *rel, const char *text);
/* Removes dir and everything in it. */
void tu_rmrf(const char *dir);
/* Writes a small valid inputs folder (the files tests then change). */
void tu_valid_inputs(const char *dir);
/* The formatted diagnostic i ("FILE:LINE:COL: msg") in a static buffer
 * owned by the caller (buf). */
const char *tu_diag(const ts_diags *d, size_t i, char *buf, size_t size);
/* 1 when some diagnostic, formatted, equals text exactly. */
int tu_has_diag(const ts_diags *d, const char *text);
/* Prints every diagnostic (to see what a failing test got). */
void tu_dump(const ts_diags *d);
/* A xorshift step over *state: a number below n (the tests' own random
 * cases, fixed by the state they start from). */
uint64_t tu_rnd(uint64_t *state, uint64_t n);

/* The events of a simulation, kept by tu_log_event (a ts_event_fn; ctx is
 * the tu_events, which fails the test when full). */
typedef struct tu_events {
    ts_event ev[20000];
    size_t n;
} tu_events;
ts_status tu_log_event(void *ctx, const ts_event *e);

/* The threshold policy's settings inside the policy *p, to change in a
 * test (the policy's own accessor, const cast away). */
#define TS_THRESHOLD(p) ts_threshold_settings_mut((ts_policy *)(p))

/* Loads dir with default options. */
ts_status tu_load(const char *dir, ts_inputs **in, ts_diags *d);

#endif
