/*
 * whatif.h — the report's what-if (whatif.c): the calls report.html makes
 * into tapscale.wasm, also built natively for its benchmark.
 */
#ifndef TS_WHATIF_WHATIF_H
#define TS_WHATIF_WHATIF_H

#include <stddef.h>
#include <stdint.h>

void *whatif_alloc(size_t n);
void whatif_free(void *p);
/* The number of doubles whatif_run writes to out. */
int whatif_out_count(void);
/* See whatif.c: 0, 2 (bad settings, said in msg) or 4 (out of memory). */
int whatif_run(const char *policy_yaml, const char *changes, const double *rate, uint32_t n, const double *pool,
               const double *prof, uint32_t n_pts, double *out, char *msg, uint32_t msg_size);

#endif
