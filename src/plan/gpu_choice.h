/*
 * gpu_choice.h — g*, the GPU a model runs on: the candidate with the lowest
 * cost per 1M tokens among priced candidates (ties: lower instance price,
 * then GPU name, then fewer GPUs); with no priced candidate, the highest
 * tps_eff per GPU (ties: GPU name, then fewer GPUs). Pure.
 */
#ifndef TS_PLAN_GPU_CHOICE_H
#define TS_PLAN_GPU_CHOICE_H

#include "tapscale.h"

/* Index into in->cand of g* for model, or TS_NOT_FOUND when it has no
 * candidate. */
int ts_choose_gpu(const ts_inputs *in, const char *model);

/* Why candidate i of model was or was not chosen, g being g*. Static text. */
const char *ts_gpu_choice_reason(const ts_inputs *in, size_t i, int g);

#endif
