/*
 * alloc.c — allocation calls, with fault injection in the test build; see
 * alloc.h.
 */
#include "util/alloc.h"

#include <stdlib.h>

#ifdef TAPSCALE_FAULT_INJECTION
#include <stdatomic.h>

/* The one mutable global of the library, and only in the fault-injection
 * test build: the count of allocation calls so far. */
static atomic_long calls;

/* 1 when this call is the one TAPSCALE_FAIL_ALLOC chose. */
static int should_fail(void)
{
    const char *s = getenv("TAPSCALE_FAIL_ALLOC");
    long n = atomic_fetch_add(&calls, 1) + 1;
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

void *ts_grow(void *p, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? 2 * *cap : first;
    void *m = ts_realloc(p, c * size);
    if (m)
        *cap = c;
    return m;
}

void *ts_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : realloc(p, size);
}
