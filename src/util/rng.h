/*
 * rng.h — the seeded random numbers of a run: xoshiro256** (Blackman and
 * Vigna, 2018), its state filled by SplitMix64 from a 64-bit seed, and
 * standard normal deviates by the Box–Muller transform. The state is a value
 * the caller owns; nothing here is global.
 */
#ifndef TS_UTIL_RNG_H
#define TS_UTIL_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct ts_rng {
    uint64_t s[4];
} ts_rng;

/* Seeds the generator; the same seed always gives the same stream. */
void ts_rng_seed(ts_rng *r, uint64_t seed);
uint64_t ts_rng_next(ts_rng *r);
/* Uniform double in [0,1) with 53 random bits. */
double ts_rng_uniform(ts_rng *r);
/* A standard normal deviate (Box–Muller, cosine branch; two uniforms each). */
double ts_rng_normal(ts_rng *r);
/* FNV-1a 64-bit hash of a string, to derive one stream per model id. */
uint64_t ts_hash_str(const char *s);
/* The same hash of n bytes (ts_hash_str(s) is that of strlen(s) bytes). */
uint64_t ts_hash_bytes(const void *data, size_t n);

#endif
