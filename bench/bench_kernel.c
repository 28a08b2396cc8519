/*
 * bench_kernel.c — simulated steps per second of the autoscaler kernel on
 * one core, KPIs included (the p95 too), for one pool and for many.
 *
 *   bench_kernel [--pools N] [--days D] [--reps R] [--policy threshold|hpa|kpa]
 *
 * Each policy runs at its own step (threshold 60 s, HPA 15 s, KPA 2 s);
 * ns/step is per simulated step of that policy.
 *
 * Demand: the diurnal profile of §3a (a = 0.5) at a mean that keeps about
 * 20 replicas busy (tps_eff 1000, target 75 %), hourly, Δ = 60 s; each
 * pool's mean is shifted a little so pools differ. Prints the median over R
 * repetitions of the whole batch.
 */
#include "tapscale.h"
#include "inputs/profile.h"

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

int main(int argc, char **argv)
{
    int pools = 1, days = 30, reps = 11;
    const char *policy = "threshold";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--pools"))
            pools = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--days"))
            days = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--reps"))
            reps = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--policy"))
            policy = argv[i + 1];
    }
    size_t H = (size_t)days * 24;
    double *D = malloc(H * sizeof *D * (size_t)pools);
    for (int p = 0; p < pools; p++)
        ts_profile_fill(D + (size_t)p * H, H, 720.0 * 4.3e7 * (1.0 + 0.001 * (p % 97)), 1, 0.5, 15, 0);
    ts_policy pol;
    ts_policy_defaults(&pol);
    pol.min_instances = 0;
    pol.max_instances = 100;
    pol.type = ts_policy_type_find(policy);
    if (!pol.type) {
        fprintf(stderr, "bench_kernel: unknown policy %s\n", policy);
        return 2;
    }
    ts_sim_workspace *ws = ts_sim_workspace_new();
    double *t = malloc((size_t)reps * sizeof *t);
    long events = 0;
    double p95 = 0;
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
            in.demand.tau_s = 3600;
            in.tps_eff = 1000;
            in.gpu_count = 1;
            in.policy = &pol;
            ts_kpis k;
            if (ts_simulate_autoscaler(&in, ws, count_event, NULL, &events, &k) != 0)
                return 1;
            steps += k.steps;
            p95 = k.p95_util_pct;
        }
        t[r] = now() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp);
    double med = t[reps / 2];
    printf("policy=%s pools=%d days=%d steps=%lld events=%ld p95=%.3f median_s=%.6f steps_per_s=%.4g ns_per_step=%.3f\n", pol.type->name, pools,
           days, (long long)steps, events, p95, med, (double)steps / med, med / (double)steps * 1e9);
    ts_sim_workspace_free(ws);
    free(t);
    free(D);
    return 0;
}
