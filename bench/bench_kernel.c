/*
 * bench_kernel.c — simulated steps per second of the autoscaler kernel on
 * one core, KPIs included (the p95 too), for one pool and for many.
 *
 *   bench_kernel [--pools N] [--days D] [--reps R] [--policy threshold|hpa|kpa]
 *                [--shape hourly|held|minute|bursty|tiled] [--trace FILE] [--warmup S]
 *                [--loop kernel|plain|c] [--variants POLICY:LOOP,...] [--set KEY=VALUE ...]
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
 * --variants POLICY:LOOP,... measures several at once, interleaved rep by
 * rep (a line each), so that ratios between them are fair on a busy machine.
 * --set KEY=VALUE (repeatable) sets a policy key of public_tap.yaml's
 * autoscaling section on every variant whose policy has it, e.g.
 * hpa.behavior.scale_down.stabilization_window_s=300.
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

static ts_status count_event(void *ctx, const ts_event *e)
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

/* One policy and loop measured, and what its last batch gave. */
typedef struct variant {
    ts_policy pol;
    const char *loop;
    double *t;
    long events;
    int64_t steps;
    double p95, avg;
} variant;

/* The demand of every pool and the memory the loops work in. */
typedef struct batch {
    const double *D;
    size_t H;
    double tau;
    int pools;
    ts_sim_workspace *ws;
    double *util;
} batch;

/* Simulates every pool once with v's policy and loop. 0, or -1. */
static int run_batch(const batch *b, variant *v)
{
    v->events = 0;
    v->steps = 0;
    for (int p = 0; p < b->pools; p++) {
        ts_sim_input in;
        memset(&in, 0, sizeof in);
        in.demand.rate = b->D + (size_t)p * b->H;
        in.demand.n = b->H;
        in.demand.tau_s = b->tau;
        in.tps_eff = 1000;
        in.gpu_count = 1;
        in.policy = &v->pol;
        if (!strcmp(v->loop, "c")) {
            double sums[4];
            v->events += ts_plain_loop(in.demand.rate, b->H, b->tau, in.tps_eff * 3600.0, &v->pol, b->util, &v->p95,
                                       sums);
            v->avg = sums[0];
            v->steps += ((int64_t)b->H * (int64_t)b->tau + ts_policy_step_s(&v->pol) - 1) /
                        ts_policy_step_s(&v->pol);
            continue;
        }
        ts_kpis k;
        if ((!strcmp(v->loop, "plain") ? ts_simulate_reference(&in, b->ws, count_event, NULL, &v->events, &k)
                                       : ts_simulate_autoscaler(&in, b->ws, count_event, NULL, &v->events, &k)) != 0)
            return -1;
        v->steps += k.steps;
        v->p95 = k.p95_util_pct;
        v->avg = k.avg_util_pct;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int pools = 1, days = 30, reps = 11, warmup = 120;
    const char *policy = "threshold", *shape = "hourly", *loop = "kernel", *trace = NULL, *variants = NULL;
    const char *sets[8];
    int n_sets = 0;
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
        else if (!strcmp(argv[i], "--variants"))
            variants = argv[i + 1];
        else if (!strcmp(argv[i], "--set") && n_sets < 8)
            sets[n_sets++] = argv[i + 1];
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
    /* the variants measured, interleaved rep by rep so that a busy moment
     * of the machine falls on all of them alike */
    char spec[512];
    if (variants)
        snprintf(spec, sizeof spec, "%s", variants);
    else
        snprintf(spec, sizeof spec, "%s:%s", policy, loop);
    variant v[8];
    int nv = 0;
    for (char *save = NULL, *tok = strtok_r(spec, ",", &save); tok && nv < 8; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        v[nv].loop = colon ? colon + 1 : "kernel";
        if (colon)
            *colon = '\0';
        ts_policy_defaults(&v[nv].pol);
        v[nv].pol.warmup_s = warmup;
        v[nv].pol.min_instances = 0;
        v[nv].pol.max_instances = 100;
        v[nv].pol.type = ts_policy_type_find(tok);
        if (!v[nv].pol.type) {
            fprintf(stderr, "bench_kernel: unknown policy %s\n", tok);
            return 2;
        }
        for (int j = 0; j < n_sets; j++) { /* KEY=VALUE, where the key is this policy's */
            char key[128];
            const char *eq = strchr(sets[j], '=');
            if (!eq || (size_t)(eq - sets[j]) >= sizeof key || strncmp(sets[j], tok, strlen(tok)) != 0 ||
                sets[j][strlen(tok)] != '.')
                continue;
            snprintf(key, sizeof key, "%.*s", (int)(eq - sets[j]), sets[j]);
            ts_diags d;
            ts_diags_init(&d);
            ts_status st = ts_policy_set(&v[nv].pol, key, eq + 1, "--set", &d);
            ts_diags_free(&d);
            if (st != TS_OK) {
                fprintf(stderr, "bench_kernel: --set %s: not a setting\n", sets[j]);
                return 2;
            }
        }
        if (!strcmp(v[nv].loop, "c") && strcmp(tok, "threshold") != 0) {
            fprintf(stderr, "bench_kernel: --loop c is the threshold policy's\n");
            return 2;
        }
        v[nv].t = malloc((size_t)reps * sizeof *v[nv].t);
        nv++;
    }
    ts_sim_workspace *ws = ts_sim_workspace_new();
    double *util = malloc((size_t)H * 60 * sizeof *util); /* a sample per step, at steps down to 1 s */
    batch b = {D, H, per_minute ? 60 : 3600, pools, ws, util};
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < nv; i++) {
            double t0 = now();
            if (run_batch(&b, &v[i]) != 0)
                return 1;
            v[i].t[r] = now() - t0;
        }
    for (int i = 0; i < nv; i++) {
        qsort(v[i].t, (size_t)reps, sizeof *v[i].t, cmp);
        double med = v[i].t[reps / 2];
        printf("policy=%s shape=%s loop=%s pools=%d days=%d steps=%lld events=%ld p95=%.3f avg=%.6f median_s=%.6f "
               "steps_per_s=%.4g ns_per_step=%.3f\n",
               ts_policy_type_name(v[i].pol.type), shape, v[i].loop, pools, days, (long long)v[i].steps, v[i].events, v[i].p95,
               v[i].avg, med, (double)v[i].steps / med, med / (double)v[i].steps * 1e9);
        free(v[i].t);
    }
    ts_sim_workspace_free(ws);
    free(util);
    free(D);
    return 0;
}
