/*
 * fields.h — CSV fields more than one output file writes the same way.
 */
#ifndef TS_REPORT_FIELDS_H
#define TS_REPORT_FIELDS_H

#include "tapscale.h"

/* Appends "scale_events,avg_util_pct,p95_util_pct,violations,
 * violation_minutes,unserved_tokens" of k (no separator after). */
void ts_render_kpi_head(const ts_kpis *k, ts_buf *b);

#endif
