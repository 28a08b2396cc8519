/*
 * manifest.h — the autoscaler objects users already run, read as settings:
 * a Kubernetes HorizontalPodAutoscaler (autoscaling/v2, and v1), a KEDA
 * ScaledObject (keda.sh/v1alpha1) and a Knative Service
 * (serving.knative.dev/v1) with its autoscaling.knative.dev annotations and
 * the config-autoscaler ConfigMap. Each object becomes the "key=value"
 * autoscaling settings (as ts_policy_set takes them) of the workload it
 * scales, with the file:line:col each came from; a field tapscale does not
 * use is named in a warning, and a metric that is not a token rate is
 * named with what replaces it. Reading applies nothing: inputs lays the
 * settings over the model's policy (ts_policy_set), in its own folder.
 */
#ifndef TS_IMPORT_MANIFEST_H
#define TS_IMPORT_MANIFEST_H

#include "tapscale.h"

/* One setting from a manifest: autoscaling key, value (YAML text), and
 * where it was written ("FILE:LINE:COL"). */
typedef struct ts_manifest_set {
    char *key;
    char *value;
    char *source;
} ts_manifest_set;

typedef struct ts_manifest_sets {
    ts_manifest_set *items;
    size_t n, cap;
} ts_manifest_sets;

/* One autoscaler object: the workload it scales and its settings. */
typedef struct ts_manifest_object {
    char *target;             /* scaleTargetRef.name, or the Service's name */
    const char *kind;         /* static: "HorizontalPodAutoscaler", "ScaledObject", "Service" */
    int knative;              /* the config-autoscaler defaults come first */
    char *file;
    int line, col;
    ts_manifest_sets sets;
    /* metadata.annotations["tapscale.dev/autoscaling"]: a whole autoscaling:
     * mapping (what `tapscale advise` exports), laid under the object's own
     * fields; NULL when absent. Its source names the file and the
     * annotation's place ("FILE:LINE:COL annotation tapscale.dev/autoscaling"). */
    char *autoscaling;
    char *autoscaling_source;
} ts_manifest_object;

typedef struct ts_manifests {
    ts_manifest_object *objects;
    size_t n, cap;
    ts_manifest_sets knative_defaults; /* from a config-autoscaler ConfigMap */
} ts_manifests;

/* Reads every document of a manifest file into m: errors (a bad
 * apiVersion, a negative periodSeconds, minReplicas above maxReplicas, a
 * value of the wrong type) in d with file:line:col, notes in warnings.
 * Objects of other kinds are named in a warning and left out. */
void ts_manifests_read(const char *file, const char *text, size_t len, ts_manifests *m, ts_diags *d,
                       ts_diags *warnings);

void ts_manifests_free(ts_manifests *m);

#endif
