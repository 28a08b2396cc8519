/*
 * trace.h — importing request traces as demand time series
 * (ts_trace_import in tapscale.h).
 *
 * azure: rows TIMESTAMP,ContextTokens,GeneratedTokens (one request each,
 *   fractional seconds, no time zone: read as UTC). Requests are counted in
 *   buckets of interval_s seconds aligned to the epoch, from the first
 *   request's bucket to the last one's; empty buckets are zero demand. A
 *   bucket's rate is tokens * 3600 / interval_s * scale tokens/hour.
 * servegen: rows model,hour_offset,...,input_tokens_est,output_tokens_est
 *   (hourly): the rate of hour h is its tokens * scale, at start + 3600*h.
 * Which tokens count: output (generated), input (context) or total.
 */
#ifndef TS_PIPELINES_TRACE_H
#define TS_PIPELINES_TRACE_H

#include "tapscale.h"

#endif
