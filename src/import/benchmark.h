/*
 * benchmark.h — latency profile points from benchmark tools' result files:
 * vLLM's `vllm bench serve --save-result` JSON and GuideLLM's report.
 */
#ifndef TS_IMPORT_BENCHMARK_H
#define TS_IMPORT_BENCHMARK_H

#include "tapscale.h"

/* Appends the load points of the result file (text of len bytes): one for
 * a vLLM result, one per benchmark of a GuideLLM report, to *pts (n
 * points, capacity *cap, grown), each with its source (the caller frees
 * the points' sources and *pts). Percentiles the file lacks are NAN.
 * Returns TS_OK, TS_EINPUT (every problem in d, named by file) or
 * TS_ENOMEM. */
ts_status ts_benchmark_read(const char *file, const char *text, size_t len, ts_latency_point **pts, size_t *n,
                            size_t *cap, ts_diags *d);

#endif
