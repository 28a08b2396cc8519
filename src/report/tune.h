/*
 * tune.h — what more than one of tune's outputs says the same way.
 */
#ifndef TS_REPORT_TUNE_H
#define TS_REPORT_TUNE_H

#include "tapscale.h"

/* "key=value key=value" of candidate x of t's space into buf (always
 * NUL-terminated, cut at size). */
void ts_tune_setting_text(const ts_tune_result *t, const ts_tune_candidate *x, char *buf, size_t size);

#endif
