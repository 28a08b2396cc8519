/*
 * whatif.c — the report's what-if: one pool simulated again with changed
 * settings, compiled to WebAssembly (tapscale.wasm, cmake/wasm.cmake) and
 * called from report.html's script. It builds the pool's simulation input
 * as ts_plan_sim_input does, from what the report embeds of the pool, and
 * runs the same calls as `tapscale simulate` (the step loop, the ideal and
 * fixed fleet, the fluid queue), so a setting gives the CLI's KPIs.
 *
 * Memory: the page allocates every buffer it passes with whatif_alloc and
 * frees it with whatif_free; nothing is kept between calls.
 */
#include "whatif/whatif.h"
#include "tapscale.h"
#include "sim/coldstart.h"
#include "sim/eventlist.h"
#include "util/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A function the page calls; in the native build (bench/bench_whatif.c)
 * an ordinary one. */
#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

/* The pool's scalars, in the order of whatif_run's pool[] (report.js
 * writes them from the report's data). */
enum {
    P_TAU_S, P_START_S, P_TPS_EFF, P_GPU_COUNT, P_HAS_INITIAL, P_INITIAL, P_HAS_WEIGHTS, P_WEIGHTS_GB,
    P_SEED_LO, P_SEED_HI, P_HAS_MAX_QUEUE, P_MAX_QUEUE_S, P_HAS_MAX_DELAY, P_MAX_DELAY_S, P_COUNT
};

/* The results, in the order of whatif_run's out[]. */
enum {
    O_STEPS, O_EVENTS, O_AVG_UTIL, O_P95_UTIL, O_VIOLATIONS, O_VIOLATION_MIN, O_UNSERVED, O_REPLICA_H, O_GPU_H,
    O_MAX_REPLICAS, O_FLOOR_REPLICAS, O_DELAY_P50, O_DELAY_P95, O_DELAY_P99, O_DELAY_MAX, O_DELAYED_MIN,
    O_DROPPED, O_HOURS, O_IDEAL_REPLICA_H, O_FIXED_REPLICAS, O_FIXED_REPLICA_H, O_STEP_S, O_COUNT
};

EXPORT("whatif_alloc") void *whatif_alloc(size_t n)
{
    return ts_malloc(n ? n : 1);
}

EXPORT("whatif_free") void whatif_free(void *p)
{
    free(p);
}

EXPORT("whatif_out_count") int whatif_out_count(void)
{
    return O_COUNT;
}

/* The pool's policy: the defaults, its autoscaling mapping (policy_yaml,
 * as the report writes it), then the changes, "key=value" a line. */
static ts_status policy_of(ts_policy *p, const char *policy_yaml, const char *changes, ts_diags *d)
{
    ts_policy_defaults(p);
    ts_status st = ts_policy_overlay(p, "pool", policy_yaml, strlen(policy_yaml), d);
    for (const char *line = changes; st == TS_OK && line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512];
        const char *eq = memchr(line, '=', len);
        if (!eq || len >= sizeof buf)
            return TS_EINPUT;
        memcpy(buf, line, len);
        buf[len] = '\0';
        buf[eq - line] = '\0';
        st = ts_policy_set(p, buf, buf + (eq - line) + 1, "what-if", d);
        line = end ? end + 1 : line + len;
    }
    return st == TS_OK ? ts_policy_check(p, d) : st;
}

static void kpis_out(const ts_kpis *k, const ts_bounds *b, const ts_policy *p, double *out)
{
    int64_t step = ts_policy_step_s(p);
    out[O_STEPS] = (double)k->steps;
    out[O_EVENTS] = (double)k->scale_events;
    out[O_AVG_UTIL] = k->avg_util_pct;
    out[O_P95_UTIL] = k->p95_util_pct;
    out[O_VIOLATIONS] = (double)k->violations;
    out[O_VIOLATION_MIN] = k->violation_minutes;
    out[O_UNSERVED] = k->unserved_tokens;
    out[O_REPLICA_H] = k->replica_hours;
    out[O_GPU_H] = k->gpu_hours;
    out[O_MAX_REPLICAS] = (double)k->max_replicas;
    out[O_FLOOR_REPLICAS] = (double)k->floor_replicas;
    out[O_DELAY_P50] = k->queue.delay_p50_s;
    out[O_DELAY_P95] = k->queue.delay_p95_s;
    out[O_DELAY_P99] = k->queue.delay_p99_s;
    out[O_DELAY_MAX] = k->queue.delay_max_s;
    out[O_DELAYED_MIN] = k->queue.delayed_minutes;
    out[O_DROPPED] = k->queue.dropped_tokens;
    out[O_HOURS] = (double)(k->steps * step) / 3600.0;
    out[O_IDEAL_REPLICA_H] = b->ideal_replica_hours;
    out[O_FIXED_REPLICAS] = (double)b->fixed_replicas;
    out[O_FIXED_REPLICA_H] = b->fixed_replica_hours;
    out[O_STEP_S] = (double)step;
}

/* The pool's latency profile from prof[0..n_pts x PROFILE_COLS): per point
 * its output tokens/s, TTFT p50/p95/p99, ITL p50/p95/p99 (NaN: not
 * measured) and mean output length. pts holds n_pts points. */
#define PROFILE_COLS 8
static void profile_of(const double *prof, uint32_t n_pts, ts_latency_point *pts, ts_latency_profile *pr)
{
    for (uint32_t i = 0; i < n_pts; i++) {
        const double *r = prof + (size_t)i * PROFILE_COLS;
        pts[i] = (ts_latency_point){.output_tps = r[0], .ttft_ms = {r[1], r[2], r[3]}, .itl_ms = {r[4], r[5], r[6]},
                                    .output_len = r[7]};
    }
    *pr = (ts_latency_profile){.pts = pts, .n = n_pts, .gpu_count = 1};
}

/* Simulates one pool: demand rate[0..n-1] (tokens/hour), its scalars
 * pool[0..P_COUNT-1], its latency profile prof (n_pts points, see
 * profile_of; 0 points: none), its policy policy_yaml with changes laid
 * over it. Fills out[0..O_COUNT-1] and returns 0; or returns 2 (bad
 * settings: the messages, one a line, in msg) or 4 (out of memory). */
EXPORT("whatif_run")
int whatif_run(const char *policy_yaml, const char *changes, const double *rate, uint32_t n, const double *pool,
               const double *prof, uint32_t n_pts, double *out, char *msg, uint32_t msg_size)
{
    ts_diags d;
    ts_diags_init(&d);
    ts_policy *p = ts_malloc(sizeof *p);
    ts_status st = p ? policy_of(p, policy_yaml, changes, &d) : TS_ENOMEM;
    size_t at = 0;
    msg[0] = '\0';
    for (size_t i = 0; i < d.n && at + 1 < msg_size; i++) {
        char line[1024];
        ts_diag_format(&d.items[i], line, sizeof line);
        at += (size_t)snprintf(msg + at, msg_size - at, "%s\n", line);
        at = at < msg_size ? at : msg_size - 1;
    }
    ts_diags_free(&d);
    ts_sim_workspace *ws = st == TS_OK ? ts_sim_workspace_new() : NULL;
    ts_latency_point *pts = n_pts ? ts_malloc(n_pts * sizeof *pts) : NULL;
    if (st == TS_OK && (!ws || (n_pts && !pts)))
        st = TS_ENOMEM;
    ts_latency_profile pr;
    if (st == TS_OK && n_pts)
        profile_of(prof, n_pts, pts, &pr);
    ts_event_list ev = {NULL, 0, 0};
    if (st == TS_OK) {
        ts_sim_input si;
        memset(&si, 0, sizeof si);
        si.demand = (ts_series){rate, n, pool[P_TAU_S]};
        si.start_s = (int64_t)pool[P_START_S];
        si.tps_eff = pool[P_TPS_EFF];
        si.gpu_count = (int64_t)pool[P_GPU_COUNT];
        si.has_initial_replicas = pool[P_HAS_INITIAL] != 0;
        si.initial_replicas = (int64_t)pool[P_INITIAL];
        si.policy = p;
        si.latency = n_pts ? &pr : NULL; /* as ts_plan_sim_input sets it: the KV cache by the profile */
        uint64_t seed = (uint64_t)pool[P_SEED_LO] | (uint64_t)pool[P_SEED_HI] << 32;
        ts_sim_input_cold_start(&si, pool[P_HAS_WEIGHTS] != 0, pool[P_WEIGHTS_GB], seed);
        ts_sla sla = {pool[P_HAS_MAX_DELAY] != 0, pool[P_MAX_DELAY_S], pool[P_HAS_MAX_QUEUE] != 0, pool[P_MAX_QUEUE_S]};
        ts_kpis k;
        ts_bounds b;
        st = ts_simulate_autoscaler(&si, ws, ts_event_list_keep, NULL, &ev, &k);
        if (st == TS_OK)
            st = ts_simulate_bounds(&si, ws, &b);
        if (st == TS_OK)
            st = ts_simulate_queue(&si, ev.ev, ev.n, &sla, &k.queue);
        if (st == TS_OK)
            kpis_out(&k, &b, p, out);
    }
    free(ev.ev);
    free(pts);
    ts_sim_workspace_free(ws);
    free(p);
    return st == TS_OK ? 0 : st == TS_ENOMEM ? 4 : 2;
}
