/*
 * facts.h — throughput facts and prices: the candidates (model, GPU,
 * gpu_count) of a run with their tps_eff per instance and instance price.
 *
 * DIR/facts/tps_model_gpu.csv rows are converted by measurement_type (one
 * table row each, see conversions in facts.c):
 *   aggregate                        tps_eff = throughput
 *   offline                          tps_eff = throughput * offline_derating_pct/100
 *   single_stream, per_user_stream   tps_eff = throughput * slots * batching_efficiency_pct/100
 * where slots is the row's batch when it is a number above 1, else
 * runtime.slots_total_default. Several rows for one candidate: the rows of
 * the most direct measurement type (aggregate, then offline, then the stream
 * types) are kept and the lowest of their tps_eff is used (conservative).
 *
 * DIR/operator/curated_gpu.csv (optional) gives prices: per GPU name (after
 * normalisation) the lowest price per GPU-hour over its rows (price / num_gpus);
 * an instance costs gpu_count times that.
 *
 * A model with demand but no figure gets heuristic candidates when
 * runtime.allow_tps_heuristic is true (see ts_heuristic_tps).
 */
#ifndef TS_MODELS_FACTS_H
#define TS_MODELS_FACTS_H

#include "tapscale.h"

/* Loads candidates for in->demand's models into in->cand. Returns errors. */
int ts_load_facts(ts_inputs *in, ts_diags *d);

/* The first index of c[0..n-1] (sorted by model) whose model is not below
 * model: a model's candidates are c[lb..] while the model matches. */
size_t ts_cand_lower_bound(const ts_candidate *c, size_t n, const char *model);

/* GPU name normalisation for matching across files: upper case, spaces,
 * '-' and '_' removed, a memory suffix "GB" after digits written "G"
 * ("A100 80GB" -> "A10080G", "rtx-4090" -> "RTX4090"). out has size bytes. */
void ts_gpu_normalize(const char *name, char *out, size_t size);

/* Converts one measured throughput by measurement type. Returns 0 and
 * *tps_eff, or -1 for an unknown type. batch <= 1 means "not given". */
int ts_convert_tps(const char *measurement_type, double throughput, double batch,
                   const ts_runtime *rt, double *tps_eff, int *rank);

/* The heuristic: decode reads every weight once per step, so one stream of
 * a model of W = params_b*bytes_per_param GB on gpu_count GPUs of memory
 * bandwidth B GB/s makes gpu_count*B/W tokens/s; an instance batches slots
 * streams at batching_efficiency:
 *   tps_eff = gpu_count * B / W * slots_total_default * batching_efficiency_pct/100
 * gpu_count is the least of 1, 2, 4, 8 whose memory holds W / 0.8 (a fifth
 * kept for the KV cache). Returns 0, or -1 when the GPU is not in the
 * built-in table or the model does not fit on 8 of them. */
int ts_heuristic_tps(const char *gpu, double params_b, double bytes_per_param, const ts_runtime *rt,
                     int64_t *gpu_count, double *tps_eff);

#endif
