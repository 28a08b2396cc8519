/*
 * cron.h — the cron expressions of KEDA's cron scaler (start, end), as far
 * as a schedule by hour of day and weekday holds them.
 */
#ifndef TS_IMPORT_CRON_H
#define TS_IMPORT_CRON_H

#include "tapscale.h"

/* A time of the listed days: minute of the day and days as bits 0
 * (Sunday) .. 6 (Saturday). */
typedef struct ts_cron_time {
    int minute_of_day;
    unsigned days;
} ts_cron_time;

/* Reads "M H * * DOW": M 0-59, H 0-23, day of month and month "*", DOW
 * "*" or a list of days and ranges of 0-7 (0 and 7 Sunday) or sun..sat.
 * Returns TS_OK, or TS_EINPUT with what was expected in why (size bytes). */
ts_status ts_cron_parse(const char *s, ts_cron_time *out, char *why, size_t size);

#endif
