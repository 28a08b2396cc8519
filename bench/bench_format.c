/*
 * bench_format.c — nanoseconds per number of the §7 formatter (the
 * double-conversion path) and of the snprintf/strtod reference, on the kind
 * of values the events file holds (demand rates, capacities, utilizations).
 */
#include "util/numfmt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    enum { N = 1000000 };
    double *v = malloc(N * sizeof *v);
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        double r = (double)(x >> 11) * 0x1p-53;
        v[i] = i % 3 == 0 ? 1e7 * (0.5 + r) : i % 3 == 1 ? 3600.0 * 1124.41 * (double)(1 + i % 20) : 100.0 * r;
    }
    char buf[40];
    size_t sink = 0;
    double t0 = now();
    for (int i = 0; i < N; i++)
        sink += ts_fmt_double(v[i], buf);
    double fast = (now() - t0) / N * 1e9;
    t0 = now();
    for (int i = 0; i < N; i++)
        sink += ts_fmt_double_reference(v[i], buf);
    double ref = (now() - t0) / N * 1e9;
    printf("format_ns_per_number fast=%.1f reference=%.1f (chars %zu)\n", fast, ref, sink);
    free(v);
    return 0;
}
