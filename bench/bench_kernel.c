/*
 * bench_kernel.c — simulated steps per second of the autoscaler kernel on
 * one core, KPIs included (the p95 too), for one pool and for many.
 *
 *   bench_kernel [--pools N] [--days D] [--reps R] [--policy threshold|hpa|kpa]
 *                [--shape hourly|held|minute|bursty|tiled] [--trace FILE] [--warmup S]
 *                [--loop kernel|plain|c]
 *
 * Each policy runs at its own step (threshold 60 s, HPA 15 s, KPA 2 s);
 * ns/step is per simulated step of that policy.
 *
 * Demand: the diurnal profile of §3a (a = 0.5) at a mean that keeps about
 * 20 replicas busy (tps_eff 1000, target 75 %), hourly, Δ = 60 s; each
 * pool's mean is shifted a little so pools differ. Prints the median over R
 * repetitions of the whole batch.
 *
 * --shape: hourly (the default), held (a minute series whose values hold
 * for the hour: the same demand given per minute), minute (each minute
 * jittered by up to ±5 %, deterministically), bursty (minute, and one
 * minute in ten without demand, one in twenty at three times it) or tiled
 * (the minute rates of the series file --trace, repeated to fill the
 * days and scaled to the same mean). --warmup sets warmup_s (120).
 * --loop: kernel (the default: what tapscale runs), plain (the plain step
 * loop of §5, ts_simulate_reference) or c (the threshold policy written
 * plainly in C, plain_loop.c: the baseline). --reference is --loop plain.
 */
#include "tapscale.h"
#include "inputs/profile.h"
#include "sim/simulate.h"
#include "plain_loop.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int count_event(void *ctx, const ts_event *e)
{
    (void)e;
    (*(long *)ctx)++;
    return 0;
}

/* The rate column of a series file, scaled to the bench's mean demand
 * (4.3e7 tokens/hour). Returns the rates (*n of them), or NULL. */
static double *read_trace(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char line[512];
    size_t cap = 0;
    double *r = NULL, sum = 0;
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        char *c = strrchr(line, ',');
        if (!c || !strncmp(line, "timestamp", 9))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            r = realloc(r, cap * sizeof *r);
        }
        r[*n] = atof(c + 1);
        sum += r[(*n)++];
    }
    fclose(f);
    for (size_t i = 0; sum > 0 && i < *n; i++)
        r[i] *= 4.3e7 * (double)*n / sum;
    return r;
}

int main(int argc, char **argv)
{
    int pools = 1, days = 30, reps = 11, warmup = 120;
    const char *policy = "threshold", *shape = "hourly", *loop = "kernel", *trace = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--pools"))
            pools = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--days"))
            days = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--reps"))
            reps = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--policy"))
            policy = argv[i + 1];
        else if (!strcmp(argv[i], "--shape"))
            shape = argv[i + 1];
        else if (!strcmp(argv[i], "--loop"))
            loop = argv[i + 1];
        else if (!strcmp(argv[i], "--trace"))
            trace = argv[i + 1];
        else if (!strcmp(argv[i], "--warmup"))
            warmup = atoi(argv[i + 1]);
    }
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--reference"))
            loop = "plain";
    size_t n_trace = 0;
    double *tr = trace ? read_trace(trace, &n_trace) : NULL;
    if (!strcmp(shape, "tiled") && !n_trace) {
        fprintf(stderr, "bench_kernel: --shape tiled needs --trace FILE (a series with rows)\n");
        return 2;
    }
    size_t hours = (size_t)days * 24;
    int per_minute = strcmp(shape, "hourly") != 0;
    size_t H = per_minute ? hours * 60 : hours;
    double *hourly = malloc(hours * sizeof *hourly);
    double *D = malloc(H * sizeof *D * (size_t)pools);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int p = 0; p < pools; p++) {
        ts_profile_fill(hourly, hours, 720.0 * 4.3e7 * (1.0 + 0.001 * (p % 97)), 1, 0.5, 15, 0);
        for (size_t i = 0; i < H; i++) {
            double v = hourly[per_minute ? i / 60 : i];
            if (!strcmp(shape, "minute") || !strcmp(shape, "bursty")) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                v *= 0.95 + 0.1 * (double)(x % 1000) / 1000.0;
            }
            if (!strcmp(shape, "bursty") && (x >> 20) % 10 == 0)
                v = 0;
            else if (!strcmp(shape, "bursty") && (x >> 20) % 20 == 1)
                v *= 3;
            if (!strcmp(shape, "tiled"))
                v = tr[i % n_trace] * (1.0 + 0.001 * (p % 97));
            D[(size_t)p * H + i] = v;
        }
    }
    free(hourly);
    free(tr);
    ts_policy pol;
    ts_policy_defaults(&pol);
    pol.warmup_s = warmup;
    pol.min_instances = 0;
    pol.max_instances = 100;
    pol.type = ts_policy_type_find(policy);
    if (!pol.type) {
        fprintf(stderr, "bench_kernel: unknown policy %s\n", policy);
        return 2;
    }
    if (!strcmp(loop, "c") && strcmp(pol.type->name, "threshold") != 0) {
        fprintf(stderr, "bench_kernel: --loop c is the threshold policy's\n");
        return 2;
    }
    ts_sim_workspace *ws = ts_sim_workspace_new();
    double *util = malloc((size_t)H * 60 * sizeof *util); /* a sample per step, at steps down to 1 s */
    double *t = malloc((size_t)reps * sizeof *t);
    long events = 0;
    double p95 = 0, avg = 0;
    int64_t steps = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        events = 0;
        steps = 0;
        for (int p = 0; p < pools; p++) {
            ts_sim_input in;
            memset(&in, 0, sizeof in);
            in.demand.rate = D + (size_t)p * H;
            in.demand.n = H;
            in.demand.tau_s = per_minute ? 60 : 3600;
            in.tps_eff = 1000;
            in.gpu_count = 1;
            in.policy = &pol;
            ts_kpis k;
            if (!strcmp(loop, "c")) {
                double sums[4];
                events += ts_plain_loop(in.demand.rate, H, in.demand.tau_s, in.tps_eff * 3600.0, &pol, util, &p95, sums);
                avg = sums[0];
                steps += ((int64_t)H * (int64_t)in.demand.tau_s + pol.evaluation_interval_s - 1) /
                         pol.evaluation_interval_s;
                continue;
            }
            if ((!strcmp(loop, "plain") ? ts_simulate_reference(&in, ws, count_event, NULL, &events, &k)
                                        : ts_simulate_autoscaler(&in, ws, count_event, NULL, &events, &k)) != 0)
                return 1;
            steps += k.steps;
            p95 = k.p95_util_pct;
            avg = k.avg_util_pct;
        }
        t[r] = now() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp);
    double med = t[reps / 2];
    printf("policy=%s shape=%s loop=%s pools=%d days=%d steps=%lld events=%ld p95=%.3f avg=%.6f median_s=%.6f steps_per_s=%.4g ns_per_step=%.3f\n", pol.type->name, shape,
           loop, pools,
           days, (long long)steps, events, p95, avg, med, (double)steps / med, med / (double)steps * 1e9);
    ts_sim_workspace_free(ws);
    free(util);
    free(t);
    free(D);
    return 0;
}
