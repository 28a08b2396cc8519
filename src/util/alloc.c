/*
 * alloc.c — allocation calls, with fault injection in the test build; see
 * alloc.h.
 */
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef TAPSCALE_FAULT_INJECTION
#include <execinfo.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

/* The one mutable global of the library, and only in the fault-injection
 * test build: the count of allocation calls so far. */
static atomic_long calls;

/* With TAPSCALE_ALLOC_SITES=FILE, appends "N SITE" for allocation N: SITE
 * hashes the return addresses of the call stack (TS_ALLOC_SITE_FRAMES
 * deep), so that within one process the same path to an allocation gives
 * the same SITE. The allocation-failure test fails the first calls of
 * each site by default, every call with TAPSCALE_ALLOC_FULL. */
#define TS_ALLOC_SITE_FRAMES 8
static void record_site(const char *path, long n)
{
    void *frames[TS_ALLOC_SITE_FRAMES];
    int k = backtrace(frames, TS_ALLOC_SITE_FRAMES);
    uint64_t h = UINT64_C(1469598103934665603);
    for (int i = 0; i < k; i++)
        h = (h ^ (uint64_t)(uintptr_t)frames[i]) * UINT64_C(1099511628211);
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%ld %016llx\n", n, (unsigned long long)h);
        fclose(f);
    }
}

/* 1 when this call is the one TAPSCALE_FAIL_ALLOC chose. */
static int should_fail(void)
{
    const char *s = getenv("TAPSCALE_FAIL_ALLOC");
    const char *sites = getenv("TAPSCALE_ALLOC_SITES");
    long n = atomic_fetch_add(&calls, 1) + 1;
    if (sites)
        record_site(sites, n);
    return s && atol(s) == n;
}
#else
static int should_fail(void)
{
    return 0;
}
#endif

void *ts_malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size);
}

void *ts_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : calloc(n, size);
}

void *ts_reserve(void *p, size_t need, size_t *cap, size_t size, size_t first)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? 2 * *cap : first;
    while (c < need)
        c *= 2;
    void *m = ts_realloc(p, c * size);
    if (m)
        *cap = c;
    return m;
}

void *ts_grow(void *p, size_t n, size_t *cap, size_t size, size_t first)
{
    return ts_reserve(p, n + 1, cap, size, first);
}

void *ts_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : realloc(p, size);
}

void *ts_mem_alloc(size_t n, size_t size)
{
    return n && size > SIZE_MAX / n ? NULL : ts_calloc(n ? n : 1, size);
}

void ts_mem_free(void *p)
{
    free(p);
}
