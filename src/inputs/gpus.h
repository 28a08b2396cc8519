/*
 * gpus.h — GPU names and what the throughput heuristic knows of GPUs: the
 * memory bandwidth and size of common inference GPUs, from the vendors'
 * data sheets (H200, H100 SXM, A100 80 and 40 GB, L40S, A40, RTX 4090,
 * RTX 3090, L4, A10/A10G).
 */
#ifndef TS_INPUTS_GPUS_H
#define TS_INPUTS_GPUS_H

#include <stddef.h>
#include <stdint.h>

#include "tapscale.h"

/* GPU name normalisation for matching across files: upper case, spaces,
 * '-' and '_' removed, a memory suffix "GB" after digits written "G"
 * ("A100 80GB" -> "A10080G", "rtx-4090" -> "RTX4090"). out has size bytes. */
void ts_gpu_normalize(const char *name, char *out, size_t size);

/* The heuristic: decode reads every weight once per step, so one stream of
 * a model of W = params_b*bytes_per_param GB on gpu_count GPUs of memory
 * bandwidth B GB/s makes gpu_count*B/W tokens/s; an instance batches slots
 * streams at batching_efficiency:
 *   tps_eff = gpu_count * B / W * slots_total_default * batching_efficiency_pct/100
 * gpu_count is the least of 1, 2, 4, 8 whose memory holds W / 0.8 (a fifth
 * kept for the KV cache). Returns TS_OK, or TS_EINPUT when the GPU is not
 * in the built-in table or the model does not fit on 8 of them. */
ts_status ts_heuristic_tps(const char *gpu, double params_b, double bytes_per_param, const ts_runtime *rt,
                     int64_t *gpu_count, double *tps_eff);

/* The GPUs of the built-in table: their number, and the normalised name of
 * the i-th. */
size_t ts_gpu_specs(void);
const char *ts_gpu_spec_name(size_t i);

#endif
