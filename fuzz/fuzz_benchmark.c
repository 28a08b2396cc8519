/*
 * fuzz_benchmark.c — the latency profiles' benchmark readers: each input is
 * read as a vLLM benchmark result or a GuideLLM report (import/benchmark.c),
 * its points sorted as a profile, and the profile read at loads and
 * searched for an SLO's throughput. Memory errors, undefined behaviour and
 * leaks are the findings.
 */
#include "tapscale.h"
#include "import/benchmark.h"

#include <stdint.h>
#include <stdlib.h>

static int by_tps(const void *a, const void *b)
{
    double x = ((const ts_latency_point *)a)->output_tps, y = ((const ts_latency_point *)b)->output_tps;
    return (x > y) - (x < y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_diags d;
    ts_diags_init(&d);
    ts_latency_point *pts = NULL;
    size_t n = 0, cap = 0;
    ts_benchmark_read("fuzz.json", (const char *)data, size, &pts, &n, &cap, &d);
    if (n)
        qsort(pts, n, sizeof *pts, by_tps);
    ts_latency_profile pr = {.model = "m", .gpu = "g", .gpu_count = 1, .pts = pts, .n = n};
    ts_slo slo = {.ttft_ms = {0, 200, 0}, .itl_ms = {0, 0, 50}};
    volatile double x = ts_latency_slo_tps(&pr, &slo);
    for (int m = 0; m < 2; m++)
        for (int q = 0; q < TS_PCT_COUNT; q++) {
            int col = ts_latency_column(&pr, m, q);
            if (col != TS_NOT_FOUND)
                x = ts_latency_at(&pr, m, col, x + 100.0, NULL);
        }
    for (size_t i = 0; i < n; i++)
        free(pts[i].source);
    free(pts);
    ts_diags_free(&d);
    return 0;
}
