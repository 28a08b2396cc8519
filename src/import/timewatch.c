/*
 * timewatch.c — a request log's times, watched; see timewatch.h.
 */
#include "import/timewatch.h"
#include "util/diag.h"

/* Where a row's time is this many times the one before it, or that many
 * times less, the two rows are most likely in different units: seconds
 * and milliseconds differ 1000x, and the times of one trace, even its
 * first offsets, seldom so. Below JUMP_FLOOR s (a few hours) offsets grow
 * that much from a trace's first seconds on; they are not looked at. */
#define JUMP_RATIO 100.0
#define JUMP_FLOOR 10000.0

void ts_time_watch_see(ts_time_watch *w, double v, int line)
{
    if (w->has_prev) {
        if (v < w->prev && w->back++ == 0) {
            w->back_line = line;
            w->back_from = w->prev;
            w->back_to = v;
        }
        double lo = v < w->prev ? v : w->prev, hi = v < w->prev ? w->prev : v;
        if (lo > 0 && hi >= JUMP_FLOOR && hi >= JUMP_RATIO * lo && w->jumps++ == 0) {
            w->jump_line = line;
            w->jump_from = w->prev;
            w->jump_to = v;
        }
    }
    w->prev = v;
    w->has_prev = 1;
}

void ts_time_watch_report(const ts_time_watch *w, const char *path, const char *field, ts_diags *d)
{
    if (w->jumps)
        ts_warn(d, path, w->jump_line, 0,
                "%s jumps from %.17g to %.17g s (%zu such jump%s): seconds and milliseconds mixed? (expected one "
                "--time-unit for every row)",
                field, w->jump_from, w->jump_to, w->jumps, w->jumps == 1 ? "" : "s");
    if (w->back)
        ts_warn(d, path, w->back_line, 0,
                "%s goes back in time, from %.17g to %.17g s (%zu row%s earlier than the row before): each request is "
                "counted at its own time, so the series is the same (expected rows in time order)",
                field, w->back_from, w->back_to, w->back, w->back == 1 ? "" : "s");
}
