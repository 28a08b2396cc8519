/*
 * policies.h — the HPA and KPA as simulator policies (ts_scaler_hpa,
 * ts_scaler_kpa in tapscale.h) and the bounds their fixed-size histories
 * put on the configuration. See policies.c for how a pool maps onto pods.
 */
#ifndef TS_SERVICES_POLICIES_H
#define TS_SERVICES_POLICIES_H

#include "tapscale.h"

/* Entries of the HPA's recommendation and event histories, and of the
 * KPA's demand samples, kept per pool. */
#define TS_HPA_HISTORY 1024
#define TS_KPA_HISTORY 1024

/* The most controller periods a window or policy period may span so that
 * the histories above always suffice. */
#define TS_MAX_PERIODS_PER_WINDOW 1000

#endif
