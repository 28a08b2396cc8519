/*
 * warnings.h — the warnings of a run as the summaries list them: those of
 * the inputs, then of the plan, each as "FILE:LINE:COL: message" and each
 * once.
 */
#ifndef TS_REPORT_WARNINGS_H
#define TS_REPORT_WARNINGS_H

#include "tapscale.h"

/* Appends every distinct warning: first before the first, sep before the
 * others; as a JSON string when json, else as text and a newline. Returns
 * how many were written. */
size_t ts_report_warnings(const ts_inputs *in, const ts_plan *p, const char *first, const char *sep, int json,
                          ts_buf *b);

#endif
