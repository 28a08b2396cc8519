/*
 * schedule.h — the schedule policy's settings (schedule.c): windows of
 * hours and days in which the pool holds a count, as KEDA's cron scaler.
 * advise builds them, the manifest export writes them as cron triggers.
 */
#ifndef TS_POLICY_SCHEDULE_H
#define TS_POLICY_SCHEDULE_H

#include "tapscale.h"

#include <stdint.h>

/* The most windows of one schedule: an hour each, every hour of a weekday
 * and of a weekend day apart, with room to spare. */
#define TS_SCHEDULE_MAX_WINDOWS 56
/* The hours of a week, Sunday 00:00 UTC first. */
#define TS_SCHEDULE_HOURS 168

typedef struct ts_schedule_window {
    int days;           /* index into ts_schedule_day_names */
    int32_t from_hour;  /* [from_hour, to_hour) of each of those days, UTC */
    int32_t to_hour;
    int32_t replicas;
} ts_schedule_window;

typedef struct ts_schedule_config {
    int64_t interval_s;
    int64_t lead_s;
    int given;          /* the section was given (it is written back only then) */
    int n_windows;
    ts_schedule_window windows[TS_SCHEDULE_MAX_WINDOWS];
} ts_schedule_config;

extern const ts_policy_type ts_policy_schedule;

/* "daily", "weekdays", "weekends", "sun" .. "sat", NULL; the indices of
 * the first three. */
enum { TS_DAYS_DAILY = 0, TS_DAYS_WEEKDAYS = 1, TS_DAYS_WEEKENDS = 2, TS_DAYS_SUN = 3 };
extern const char *const ts_schedule_day_names[];

/* The days of ts_schedule_day_names[days] as bits 0 (Sunday) to 6
 * (Saturday); 0 for an index out of range. */
unsigned ts_schedule_day_mask(int days);
/* Days mask moved by one day: later (by > 0) or earlier (a window that
 * opens before midnight, a day that ends at 24:00). */
unsigned ts_schedule_shift_days(unsigned mask, int by);

/* The hour of the week of unix time c: 0 (Sunday 00:00 UTC) to 167. */
int ts_schedule_hour_of_week(int64_t c);

/* The count p's windows hold each hour of the week (Sunday 00:00 UTC
 * first): the largest of the windows open then, p's min where none is,
 * and never above p's max. */
void ts_schedule_hours(const ts_policy *p, int64_t hours[TS_SCHEDULE_HOURS]);

#endif
