/*
 * schedule.c — the schedule policy: the pool holds, by the clock, the
 * replicas its windows name (hour of day and day of the week, UTC), as
 * KEDA's cron scaler or a scheduled HPA minimum does; outside every window
 * it holds min_instances_per_model. It never looks at demand.
 *
 *   autoscaling:
 *     policy: schedule
 *     schedule:
 *       lead_s: 600          # ask for a window's replicas this early
 *       windows:
 *         - {days: weekdays, from_hour: 8, to_hour: 20, replicas: 6}
 *         - {days: daily, from_hour: 20, to_hour: 24, replicas: 3}
 *
 * At a step at clock c (unix seconds, UTC: the demand's start plus t) the
 * pool asks for the larger of the counts due at c and at c + lead_s, each
 * the largest replicas of the windows holding that hour of the week (the
 * pool's min where none does), within [min, max]: a window's replicas are
 * asked for lead_s before it opens, so that they are ready when it does,
 * and let go when it closes. Days follow cron: sun..sat, daily, weekdays
 * (mon-fri), weekends (sat, sun).
 *
 * The windows are a list, so the default grid is empty: `tune` needs a
 * space file, and `advise` builds the schedule from the demand itself
 * (advise/schedule.c). `compare` leaves it out unless --policies names
 * it: without windows it is a fixed fleet at the pool's min.
 */
#include "policy/schedule.h"
#include "sim/policy_type.h"
#include "util/keys.h"
#include "util/limits.h"

#include <stddef.h>
#include <stdio.h>

_Static_assert(sizeof(ts_schedule_config) <= TS_POLICY_SETTINGS_BYTES, "raise TS_POLICY_SETTINGS_BYTES");

const char *const ts_schedule_day_names[] = {"daily", "weekdays", "weekends", "sun", "mon", "tue",
                                             "wed",   "thu",      "fri",      "sat", NULL};

/* The days of ts_schedule_day_names[i] as bits 0 (Sunday) .. 6 (Saturday). */
static const unsigned day_bits[] = {0x7f, 0x3e, 0x41, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40};

unsigned ts_schedule_day_mask(int days)
{
    return days >= 0 && days < (int)(sizeof day_bits / sizeof day_bits[0]) ? day_bits[days] : 0;
}

unsigned ts_schedule_shift_days(unsigned mask, int by)
{
    return by > 0 ? ((mask << 1) | (mask >> 6)) & 0x7fu : ((mask >> 1) | (mask << 6)) & 0x7fu;
}

#define W(f) offsetof(ts_schedule_window, f)
static const ts_key window_keys[] = {
    {.name = "days", .type = TS_KEY_ENUM, .offset = W(days), .names = ts_schedule_day_names, .def = 0,
     .doc = "the days the window opens on (UTC, as cron's day of week)"},
    {.name = "from_hour", .type = TS_KEY_INT32, .offset = W(from_hour), .required = 1, TS_FROM_TO(0, 23),
     .doc = "the hour it opens (UTC)"},
    {.name = "to_hour", .type = TS_KEY_INT32, .offset = W(to_hour), .required = 1, TS_FROM_TO(1, 24),
     .doc = "the hour it closes, after from_hour (24: midnight)"},
    {.name = "replicas", .type = TS_KEY_INT32, .offset = W(replicas), .required = 1, TS_FROM_TO(0, 1e9),
     .doc = "the replicas it holds (within the pool's min and max)"},
};
#undef W

#define S(f) offsetof(ts_schedule_config, f)
static const ts_key schedule_keys[] = {
    {.name = "interval_s", .type = TS_KEY_INT, .offset = S(interval_s), .def = 60, TS_FROM_TO(1, 3600),
     .noun = TS_NOUN_INT_SECONDS, .doc = "how often the clock is read (a cron scaler's polling)"},
    {.name = "lead_s", .type = TS_KEY_INT, .offset = S(lead_s), .def = 0, TS_FROM_TO(0, 86400),
     .noun = TS_NOUN_INT_SECONDS, .doc = "how long before a window opens its replicas are asked for (the warm-up)"},
    {.name = "windows", .type = TS_KEY_LIST, .offset = S(windows), .count_offset = S(n_windows),
     .elem_size = sizeof(ts_schedule_window), .max_elems = TS_SCHEDULE_MAX_WINDOWS, .sub = window_keys,
     .n_sub = sizeof window_keys / sizeof window_keys[0],
     .doc = "when the pool holds more than its min: {days, from_hour, to_hour, replicas}"},
};

/* Each window closes after it opens. Returns 1 with a sentence in msg when
 * one does not. */
static int check_windows(const void *obj, const char *section, char *msg, size_t size)
{
    const ts_schedule_config *c = obj;
    for (int i = 0; i < c->n_windows; i++)
        if (c->windows[i].to_hour <= c->windows[i].from_hour) {
            snprintf(msg, size, "%s.windows[%d].to_hour is %d, not after from_hour %d (expected a window that closes after it opens)",
                     section, i, (int)c->windows[i].to_hour, (int)c->windows[i].from_hour);
            return 1;
        }
    return 0;
}

static const ts_key schedule_section[] = {
    {.name = "schedule", .type = TS_KEY_SECTION, .sub = schedule_keys,
     .n_sub = sizeof schedule_keys / sizeof schedule_keys[0], .present = TS_PRESENT(S(given)),
     .check = check_windows, .doc = "the schedule policy's settings (written back only when given)"},
};
#undef S

static const ts_schedule_config *config(const ts_policy *p)
{
    return ts_policy_settings_get(p, &ts_policy_schedule);
}

int ts_schedule_hour_of_week(int64_t c)
{
    int64_t day = c >= 0 ? c / 86400 : -((-c + 86399) / 86400);
    int64_t in_day = c - day * 86400;
    int dow = (int)(((day + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    return dow * 24 + (int)(in_day / 3600);
}

void ts_schedule_hours(const ts_policy *p, int64_t hours[TS_SCHEDULE_HOURS])
{
    const ts_schedule_config *c = config(p);
    for (int h = 0; h < TS_SCHEDULE_HOURS; h++)
        hours[h] = p->min_instances;
    for (int i = 0; i < c->n_windows; i++) {
        const ts_schedule_window *w = &c->windows[i];
        unsigned mask = ts_schedule_day_mask(w->days);
        for (int d = 0; d < 7; d++)
            for (int h = w->from_hour; (mask >> d & 1u) && h < w->to_hour; h++)
                if (w->replicas > hours[d * 24 + h])
                    hours[d * 24 + h] = w->replicas;
    }
    for (int h = 0; h < TS_SCHEDULE_HOURS; h++)
        hours[h] = hours[h] > p->max_instances ? p->max_instances : hours[h];
}

typedef struct schedule_state {
    int64_t hours[TS_SCHEDULE_HOURS]; /* the count due each hour of the week */
    int64_t lead_s;
} schedule_state;

static int64_t schedule_interval(const ts_policy *p)
{
    return config(p)->interval_s;
}

static void schedule_init(void *state, const ts_policy *p, double tph)
{
    (void)tph;
    schedule_state *s = state;
    ts_schedule_hours(p, s->hours);
    s->lead_s = config(p)->lead_s;
}

static int64_t due(const schedule_state *s, int64_t c)
{
    int64_t now = s->hours[ts_schedule_hour_of_week(c)], soon = s->hours[ts_schedule_hour_of_week(c + s->lead_s)];
    return now > soon ? now : soon;
}

static void schedule_step(void *state, const ts_policy *p, const ts_obs *o, ts_decision *out)
{
    (void)p;
    out->replicas = due(state, o->clock_s);
    out->util_defined = o->util_defined;
    out->util_pct = 100.0 * o->util;
    out->smoothed_defined = 0;
    out->smoothed_util_pct = 0;
}

/* The count due changes only where c or c + lead_s crosses an hour: every
 * step before the next such crossing keeps N. */
static int64_t schedule_hold(void *state, const ts_policy *p, const ts_obs *o, int64_t dt, int64_t max_steps)
{
    (void)p;
    const schedule_state *s = state;
    int64_t c = o->clock_s, l = c + s->lead_s;
    int64_t next_c = c - (c % 3600 + 3600) % 3600 + 3600;
    int64_t next_l = l - (l % 3600 + 3600) % 3600 + 3600 - s->lead_s;
    int64_t next = next_c < next_l ? next_c : next_l;
    int64_t m = (next - c - 1) / dt;
    return m < 0 ? 0 : m > max_steps ? max_steps : m;
}

static const ts_report_field schedule_report[] = {
    {"schedule_lead_s", "schedule.lead_s"},
};

const ts_policy_type ts_policy_schedule = {
    .name = "schedule",
    .summary = "holds by the clock the replicas of its windows (hour of day and weekday, UTC), as KEDA's cron scaler",
    .settings = schedule_section,
    .n_settings = 1,
    .settings_size = sizeof(ts_schedule_config),
    .state_size = sizeof(schedule_state),
    .interval_s = schedule_interval,
    .init = schedule_init,
    .step = schedule_step,
    .hold = schedule_hold,
    .opt_in = 1,
    .report_fields = schedule_report,
    .n_report_fields = sizeof schedule_report / sizeof schedule_report[0],
};
