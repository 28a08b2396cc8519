/*
 * tune.h — what more than one of tune's outputs says the same way.
 */
#ifndef TS_REPORT_TUNE_H
#define TS_REPORT_TUNE_H

#include "tapscale.h"

/* "key=value key=value" of candidate x of t's space into buf (always
 * NUL-terminated, cut at size). */
void ts_tune_setting_text(const ts_tune_result *t, const ts_tune_candidate *x, char *buf, size_t size);

/* "service level: at most 3 violation-minutes ...": o's level, with the
 * latency SLO's minutes when in has profiles and an slo:. */
void ts_render_level_text(const ts_tune_options *o, const ts_inputs *in, ts_buf *b);

/* public_tap.yaml (file, text) with its models: section rewritten: per
 * plan row, pols[i] (when not NULL) as the model's whole autoscaling, else
 * the model's own settings kept; notes[i] (notes or it may be NULL) as a
 * comment above the model; writer names the command in the header
 * comment. Returns TS_OK, TS_EINPUT (the text does not parse) or
 * TS_ENOMEM. */
ts_status ts_render_public_tap_models(const char *file, const char *text, size_t len, const ts_inputs *in,
                                      const ts_plan *p, const ts_policy *const *pols, const char *const *notes,
                                      const char *writer, ts_buf *b, ts_diags *d);

#endif
