/*
 * gpus.c — GPU names and the built-in data-sheet table; see gpus.h.
 */
#include "inputs/gpus.h"

#include <ctype.h>
#include <string.h>

/* Memory bandwidth and size of common inference GPUs, from the vendors'
 * data sheets (SXM parts for H100/H200; A100 without a size is the 80 GB). */
static const struct {
    const char *norm;   /* normalised name */
    double bandwidth_gbps;
    double memory_gb;
} gpu_specs[] = {
    {"H200", 4800, 141}, {"H100", 3350, 80}, {"A10080G", 2039, 80}, {"A100", 2039, 80},
    {"A10040G", 1555, 40}, {"L40S", 864, 48}, {"A40", 696, 48}, {"RTX4090", 1008, 24},
    {"RTX3090", 936, 24}, {"L4", 300, 24}, {"A10", 600, 24}, {"A10G", 600, 24},
};

void ts_gpu_normalize(const char *name, char *out, size_t size)
{
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '-' || c == '_' || c == '\t')
            continue;
        out[k++] = (char)toupper(c);
    }
    out[k] = '\0';
    /* "...80GB" -> "...80G" */
    if (k >= 3 && out[k - 1] == 'B' && out[k - 2] == 'G' && isdigit((unsigned char)out[k - 3]))
        out[k - 1] = '\0';
}

ts_status ts_heuristic_tps(const char *gpu, double params_b, double bytes_per_param, const ts_runtime *rt,
                     int64_t *gpu_count, double *tps_eff)
{
    char norm[64];
    ts_gpu_normalize(gpu, norm, sizeof norm);
    for (size_t i = 0; i < sizeof gpu_specs / sizeof gpu_specs[0]; i++) {
        if (strcmp(gpu_specs[i].norm, norm) != 0)
            continue;
        double w = params_b * bytes_per_param;
        static const int64_t counts[] = {1, 2, 4, 8};
        for (size_t c = 0; c < 4; c++) {
            if ((double)counts[c] * gpu_specs[i].memory_gb < w / 0.8)
                continue;
            *gpu_count = counts[c];
            *tps_eff = (double)counts[c] * gpu_specs[i].bandwidth_gbps / w *
                       (double)rt->slots_total_default * rt->batching_efficiency_pct / 100.0;
            return TS_OK;
        }
        return TS_EINPUT;
    }
    return TS_EINPUT;
}

size_t ts_gpu_specs(void)
{
    return sizeof gpu_specs / sizeof gpu_specs[0];
}

const char *ts_gpu_spec_name(size_t i)
{
    return gpu_specs[i].norm;
}
