/*
 * numfmt.h — the one way numbers go out (§7) and come in.
 *
 * Out: doubles in the shortest of %.15g, %.16g, %.17g that reads back to the
 * same bits; integers as integers. In: checked conversions that accept the
 * whole string or nothing (no atoi, no unchecked strtod). All in the "C"
 * locale, which the library never changes.
 */
#ifndef TS_UTIL_NUMFMT_H
#define TS_UTIL_NUMFMT_H

#include "tapscale.h"

#include <stddef.h>
#include <stdint.h>

/* Writes v into out (at least 32 bytes), NUL-terminated; returns the length.
 * -0 is written as 0. The digits come from double-conversion's shortest
 * mode, laid out as printf's %g; the result is the same text as
 * ts_fmt_double_reference, about ten times faster. */
size_t ts_fmt_double(double v, char *out);
/* §7 to the letter: %.15g, %.16g, %.17g, the first that reads back. */
size_t ts_fmt_double_reference(double v, char *out);
size_t ts_fmt_int(int64_t v, char *out);

/* Parses a finite decimal number ([+-]digits[.digits][e[+-]digits]) that
 * fills all of s. Returns TS_OK, or TS_EINPUT when s is not such a number
 * (out untouched). */
ts_status ts_parse_double(const char *s, double *out);
/* The same for the n bytes at s (no NUL needed): what ts_parse_double
 * gives for them as a string; TS_EINPUT also for a NUL among them or
 * n >= 64. */
ts_status ts_parse_double_n(const char *s, size_t n, double *out);
/* Parses a decimal integer that fills all of s and fits int64. Also accepts
 * a number like "8.0" whose value is integral. TS_OK or TS_EINPUT. */
ts_status ts_parse_int64(const char *s, int64_t *out);

#endif
