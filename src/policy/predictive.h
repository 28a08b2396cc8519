/*
 * predictive.h — the predictive policy's settings (autoscaling.predictive:),
 * public for tests. The policy is the descriptor ts_policy_predictive
 * (registry.h); see predictive.c for the forecast.
 */
#ifndef TS_POLICY_PREDICTIVE_H
#define TS_POLICY_PREDICTIVE_H

#include "tapscale.h"
#include "policy/reactive_room.h"

/* The most weeks of history a forecast averages. */
#define TS_PREDICTIVE_MAX_WEEKS 4


typedef enum ts_predictive_mode { TS_FORECAST_AND_SCALE = 0, TS_FORECAST_ONLY = 1 } ts_predictive_mode;
typedef enum ts_predictive_reactive { TS_REACTIVE_THRESHOLD = 0, TS_REACTIVE_HPA = 1 } ts_predictive_reactive;

/* autoscaling.predictive: */
typedef struct ts_predictive_config {
    int mode;                 /* ts_predictive_mode */
    int reactive;             /* ts_predictive_reactive */
    int64_t history_weeks;    /* weeks averaged, 1 to 4 (default 2) */
    int has_lead_s;
    int64_t lead_s;           /* launch ahead by this much (default: warmup_s) */
} ts_predictive_config;

const ts_predictive_config *ts_predictive_settings(const ts_policy *p);
ts_predictive_config *ts_predictive_settings_mut(ts_policy *p);

#endif
