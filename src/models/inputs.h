/*
 * inputs.h — the operator's settings: the autoscaling policy (§2), the
 * runtime section and meta.seed of public_tap.yaml, and the acceptance
 * settings of simulation.yaml. Each section is one table of key rows (name,
 * type, bounds, default) read by ts_yaml_read_table; cross-key bounds
 * (min <= max, down < up) are checked after it.
 *
 * ts_inputs_load (declared in tapscale.h, defined here) reads every input of
 * a run through these and the demand (demand.h) and facts (facts.h) loaders.
 */
#ifndef TS_MODELS_INPUTS_H
#define TS_MODELS_INPUTS_H

#include "tapscale.h"
#include "util/yamlread.h"

/* Reads public_tap.yaml's text: autoscaling (strict), runtime (strict),
 * meta.seed; other top-level sections are ignored. Returns errors added. */
int ts_read_public_tap(const char *file, const char *data, size_t len, ts_policy *p,
                       ts_runtime *rt, uint64_t *seed, ts_diags *d);

/* Reads simulation.yaml's text: targets.autoscaling_util_tolerance_pct,
 * run.fail_on_warning and the optional acceptance section (strict).
 * Returns errors added. */
int ts_read_simulation(const char *file, const char *data, size_t len, ts_acceptance_cfg *a,
                       ts_diags *d);

void ts_runtime_defaults(ts_runtime *rt);

/* Reads an input file of the run into memory and records its path and
 * SHA-256 in in->files. A missing optional file returns NULL silently; any
 * other failure is reported. The caller frees the returned text. */
char *ts_inputs_read_file(ts_inputs *in, const char *path, size_t *len, int optional, ts_diags *d);
void ts_acceptance_defaults(ts_acceptance_cfg *a);

#endif
