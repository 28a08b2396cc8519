/*
 * latency.h — the latency profiles of an inputs folder
 * (DIR/facts/latency_profiles.yaml; latency.c has the format).
 */
#ifndef TS_INPUTS_LATENCY_H
#define TS_INPUTS_LATENCY_H

#include "tapscale.h"

/* Reads DIR/facts/latency_profiles.yaml when there is one into
 * in->profiles, attaches each to its candidate (model, gpu, gpu_count) and,
 * with an SLO, sets each profiled candidate's throughput at the SLO. Needs
 * in->cand and in->acceptance.slo. Every problem goes to d; notes (a
 * percentile read in place of another) to in->warnings. */
void ts_load_latency(ts_inputs *in, ts_diags *d);

/* Frees n profiles at p (their points and texts) and p. */
void ts_latency_profiles_free(ts_latency_profile *p, size_t n);

#endif
