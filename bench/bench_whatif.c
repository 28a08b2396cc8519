/*
 * bench_whatif.c — the report's what-if (src/whatif/whatif.c) built
 * natively: the baseline of bench/whatif.js, which times the same call in
 * chromium's WebAssembly on the same pool.
 *
 *   bench_whatif POLICY_YAML RATE_F64 POOL_CSV CHANGES REPS
 *
 * RATE_F64 is the demand as little-endian doubles, POOL_CSV the pool's
 * scalars (whatif_run's order), CHANGES "key=value" lines ("" for none).
 * Prints "median_ms=M steps=S events=E" and exits 0, or 1 on a failure.
 */
#include "whatif/whatif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_whatif POLICY_YAML RATE_F64 POOL_CSV CHANGES REPS\n");
        return 1;
    }
    size_t ylen, rlen;
    char *yaml = slurp(argv[1], &ylen);
    double *rate = (double *)slurp(argv[2], &rlen);
    double pool[32];
    int np = 0;
    for (char *t = strtok(argv[3], ","); t && np < 32; t = strtok(NULL, ","))
        pool[np++] = strtod(t, NULL);
    int reps = atoi(argv[5]);
    if (!yaml || !rate || reps < 1 || reps > 1001)
        return 1;
    double out[64], ms[1001];
    char msg[4096];
    for (int r = 0; r < reps; r++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int rc = whatif_run(yaml, argv[4], rate, (uint32_t)(rlen / 8), pool, NULL, 0, out, msg, sizeof msg);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (rc != 0) {
            fprintf(stderr, "whatif_run: %d %s\n", rc, msg);
            return 1;
        }
        ms[r] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    qsort(ms, (size_t)reps, sizeof ms[0], cmp);
    printf("median_ms=%.3f steps=%.0f events=%.0f\n", ms[reps / 2], out[0], out[1]);
    free(yaml);
    free(rate);
    return 0;
}
