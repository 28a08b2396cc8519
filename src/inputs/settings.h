/*
 * settings.h — public_tap.yaml: the autoscaling policy (read by
 * policy/settings.h), the runtime and sla sections and meta.seed, each a
 * settings table (util/keys.h), and each model's own autoscaling.
 */
#ifndef TS_INPUTS_SETTINGS_H
#define TS_INPUTS_SETTINGS_H

#include "tapscale.h"
#include "policy/settings.h"
#include "util/keys.h"

/* Reads public_tap.yaml's text: autoscaling (strict), runtime (strict),
 * sla (strict), meta.seed, then the command line's --set values
 * (set[0..n_set-1], "KEY=VALUE" with KEY autoscaling.*, runtime.*, sla.*
 * or meta.seed) over them,
 * then models: (each model's autoscaling over the result, into *models,
 * which the caller frees with the inputs) and manifests: (file names, into
 * *manifests, likewise); other top-level sections are ignored. Returns
 * TS_OK, TS_EINPUT (every problem in d) or TS_ENOMEM. */
ts_status ts_read_public_tap(const char *file, const char *data, size_t len, const char *const *set, size_t n_set,
                       ts_policy *p, ts_runtime *rt, ts_sla *sla, ts_slo *slo, uint64_t *seed, ts_model_policy **models,
                       size_t *n_models, char ***manifests, size_t *n_manifests, int allow_outside, ts_diags *d);

void ts_runtime_defaults(ts_runtime *rt);

/* The rows of a section, for `tapscale settings` and the README: which is
 * "autoscaling" (§2's keys, composed into rows), "runtime", "sla", or a
 * registered policy's name. Returns the rows and their number in *n, or
 * NULL. */
const ts_key *ts_settings_table(const char *which, ts_key rows[TS_POLICY_KEYS_MAX], size_t *n);

#endif
