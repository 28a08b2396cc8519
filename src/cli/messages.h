/*
 * messages.h — everything the tool says on stderr goes through here, so
 * every message reads the same: "tapscale: ...", diagnostics as
 * "tapscale: FILE:LINE:COL: ...", warnings with "warning: ", usage errors
 * with a "try 'tapscale ... --help'" hint; and the exit code of a status.
 */
#ifndef TS_CLI_MESSAGES_H
#define TS_CLI_MESSAGES_H

#include "tapscale.h"

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* "tapscale: " + the message + newline, on stderr. */
void cli_msg(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Every diagnostic of d, in order (warnings marked), and "out of memory"
 * when d says so. */
void cli_diags(const ts_diags *d);
/* Every diagnostic of w as a warning. */
void cli_warnings(const ts_diags *w);
/* A usage error of command cmd ("" for the tool): the message and the hint.
 * Returns the exit code 2. */
int cli_usage(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* The exit code of a status: 0, 1, 2, or 3 for both runtime errors. */
int cli_exit_code(ts_status st);
/* Reports a failed command (its diagnostics, or a line that says what
 * failed when it has none), frees d, and returns the exit code. */
int cli_fail(ts_status st, ts_diags *d);

/* The index of name in names[0..n-1], or TS_NOT_FOUND (one lookup for every option
 * value that names something). len is name's length, or -1 for strlen. */
int cli_lookup(const char *name, long len, const char *const *names, size_t n);
/* "a, b or c" from names, for "(expected ...)". */
void cli_names_text(const char *const *names, size_t n, char *buf, size_t size);

#endif
