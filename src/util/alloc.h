/*
 * alloc.h — the library's allocations. Every allocation of tapscale's own
 * code goes through these, so a test build can make any one of them fail
 * (SQLite's way): built with TAPSCALE_FAULT_INJECTION, the n-th call counted
 * from the start of the process fails when the environment has
 * TAPSCALE_FAIL_ALLOC=n. In every other build they are malloc, calloc and
 * realloc, and nothing is counted. Memory is released with free().
 */
#ifndef TS_UTIL_ALLOC_H
#define TS_UTIL_ALLOC_H

#include <stddef.h>

/* As malloc, calloc and realloc: NULL when out of memory (or, in the test
 * build, when this is the call chosen to fail). */
void *ts_malloc(size_t size);
void *ts_calloc(size_t n, size_t size);
void *ts_realloc(void *p, size_t size);

/* Room for element n of array p of *cap elements of size bytes: p itself
 * when n < *cap, else p grown (to first elements, then doubling) with *cap
 * updated. Returns NULL when out of memory; p is then still the caller's,
 * unchanged. */
void *ts_grow(void *p, size_t n, size_t *cap, size_t size, size_t first);
/* Room for need elements: as ts_grow, doubling from first (or *cap) until
 * the capacity holds need. The one way tapscale grows an array. */
void *ts_reserve(void *p, size_t need, size_t *cap, size_t size, size_t first);

#endif
