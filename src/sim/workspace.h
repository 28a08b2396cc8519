/*
 * workspace.h — the memory one simulation works in (ts_sim_workspace in
 * tapscale.h): utilization samples or runs for the exact p95, the ring of
 * warming groups, the policy's state. Allocated once per thread and reused
 * across pools; it only grows, between runs, never inside a step loop.
 */
#ifndef TS_SIM_WORKSPACE_H
#define TS_SIM_WORKSPACE_H

#include "tapscale.h"
#include "sim/kpis.h"
#include "sim/replicas.h"

struct ts_sim_workspace {
    double *util;       /* one sample per step (the plain loop) */
    size_t util_cap;
    ts_run *runs;       /* one run per segment (kernels) */
    size_t runs_cap;
    ts_run *n_runs;     /* runs of the provisioned count: one per action, and one */
    size_t n_runs_cap;
    int64_t *g_at;      /* ready_at of warming groups (ring) */
    int64_t *g_n;       /* replicas in each group */
    size_t g_cap;
    void *state;        /* the policy's state */
    size_t state_cap;
    int64_t *scratch;   /* the ideal autoscaler's deques */
    size_t scratch_cap;
    double *block;      /* a kernel's values computed ahead for a block of steps */
    size_t block_cap;
};

/* Makes room for steps samples, groups warming groups and state bytes of
 * policy state. Returns TS_OK or TS_ENOMEM (what was there is kept). */
ts_status ts_ws_reserve(ts_sim_workspace *ws, size_t steps, size_t groups, size_t state);
/* Makes room for runs runs. Returns TS_OK or TS_ENOMEM. */
ts_status ts_ws_reserve_runs(ts_sim_workspace *ws, size_t runs);
/* Makes room for the runs of N of a pool of steps steps and points acc's
 * at them. Returns TS_OK or TS_ENOMEM. */
ts_status ts_ws_reserve_replica_runs(ts_sim_workspace *ws, size_t steps, ts_kpi_acc *acc);
/* Makes room for n int64 values of scratch. Returns TS_OK or TS_ENOMEM. */
ts_status ts_ws_reserve_scratch(ts_sim_workspace *ws, size_t n);
/* Makes room for n doubles of block. Returns TS_OK or TS_ENOMEM. */
ts_status ts_ws_reserve_block(ts_sim_workspace *ws, size_t n);
/* An empty ring of warming groups on the workspace's storage. */
ts_warm_groups ts_ws_groups(ts_sim_workspace *ws);

#endif
