/*
 * capacity.h — the Public Tap capacity pipeline: choose g* per model, run the
 * planner, then simulate every pool (ts_plan_build, ts_simulate_plan in
 * tapscale.h). Pools are independent, so they are simulated in parallel,
 * each worker with its own workspace; results land in plan order, so output
 * does not depend on the thread count.
 */
#ifndef TS_PIPELINES_PUBLIC_CAPACITY_H
#define TS_PIPELINES_PUBLIC_CAPACITY_H

#include "tapscale.h"

/* Index into in->cand of g* for model, or -1 when it has no candidate.
 * Rule: lowest cost per 1M tokens among priced candidates (ties: lower
 * instance price, then GPU name, then fewer GPUs); with no priced candidate,
 * the highest tps_eff per GPU (ties: GPU name, then fewer GPUs). */
int ts_choose_gpu(const ts_inputs *in, const char *model);

#endif
