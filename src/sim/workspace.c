/*
 * workspace.c — the simulation workspace; see workspace.h.
 */
#include "sim/workspace.h"
#include "util/alloc.h"

#include <stdlib.h>

ts_sim_workspace *ts_sim_workspace_new(void)
{
    return ts_calloc(1, sizeof(ts_sim_workspace));
}

void ts_sim_workspace_free(ts_sim_workspace *ws)
{
    if (!ws)
        return;
    free(ws->util);
    free(ws->runs);
    free(ws->n_runs);
    free(ws->g_at);
    free(ws->g_n);
    free(ws->state);
    free(ws->scratch);
    free(ws->block);
    free(ws);
}

/* p with room for n elements of elem bytes: p itself when *cap (its
 * elements) is enough or *failed is already set, else p grown to exactly
 * n (not ts_grow's doubling: these hold a pool's steps, sized once per
 * horizon) and *cap = n. On failure returns p, unchanged, and sets
 * *failed. */
static void *grown(void *p, size_t *cap, size_t n, size_t elem, int *failed)
{
    if (*failed || n <= *cap)
        return p;
    void *q = ts_realloc(p, n * elem);
    if (!q) {
        *failed = 1;
        return p;
    }
    *cap = n;
    return q;
}

ts_status ts_ws_reserve_runs(ts_sim_workspace *ws, size_t runs)
{
    int failed = 0;
    ws->runs = grown(ws->runs, &ws->runs_cap, runs, sizeof *ws->runs, &failed);
    return failed ? TS_ENOMEM : TS_OK;
}

ts_status ts_ws_reserve_replica_runs(ts_sim_workspace *ws, size_t steps, ts_kpi_acc *acc)
{
    int failed = 0;
    ws->n_runs = grown(ws->n_runs, &ws->n_runs_cap, steps + 1, sizeof *ws->n_runs, &failed);
    if (failed)
        return TS_ENOMEM;
    acc->n_runs = ws->n_runs;
    acc->n_n_runs = 0;
    acc->n_run_start = 0;
    return TS_OK;
}

ts_status ts_ws_reserve(ts_sim_workspace *ws, size_t steps, size_t groups, size_t state)
{
    int failed = 0;
    ws->util = grown(ws->util, &ws->util_cap, steps, sizeof *ws->util, &failed);
    size_t at_cap = ws->g_cap; /* the two rings share g_cap: it grows with the second */
    ws->g_at = grown(ws->g_at, &at_cap, groups, sizeof *ws->g_at, &failed);
    ws->g_n = grown(ws->g_n, &ws->g_cap, groups, sizeof *ws->g_n, &failed);
    ws->state = grown(ws->state, &ws->state_cap, state, 1, &failed);
    return failed ? TS_ENOMEM : TS_OK;
}

ts_status ts_ws_reserve_scratch(ts_sim_workspace *ws, size_t n)
{
    int failed = 0;
    ws->scratch = grown(ws->scratch, &ws->scratch_cap, n, sizeof *ws->scratch, &failed);
    return failed ? TS_ENOMEM : TS_OK;
}

ts_status ts_ws_reserve_block(ts_sim_workspace *ws, size_t n)
{
    int failed = 0;
    ws->block = grown(ws->block, &ws->block_cap, n, sizeof *ws->block, &failed);
    return failed ? TS_ENOMEM : TS_OK;
}

ts_warm_groups ts_ws_groups(ts_sim_workspace *ws)
{
    ts_warm_groups g = {ws->g_at, ws->g_n, ws->g_cap, 0, 0};
    return g;
}
