/*
 * timewatch.h — what a request log's times say of how they were written:
 * rows out of time order, and a jump of 100x or more from one row's time
 * to the next (seconds and milliseconds mixed), each said once with its
 * first row and a count.
 */
#ifndef TS_IMPORT_TIMEWATCH_H
#define TS_IMPORT_TIMEWATCH_H

#include "tapscale.h"

typedef struct ts_time_watch {
    double prev;
    int has_prev;
    size_t back;            /* rows earlier than the row before them */
    int back_line;
    double back_from, back_to;
    size_t jumps;           /* rows 100x or more from the row before them */
    int jump_line;
    double jump_from, jump_to;
} ts_time_watch;

/* Sees the time of row line: v, in seconds from the trace's zero (the
 * epoch, or --start for offsets). */
void ts_time_watch_see(ts_time_watch *w, double v, int line);
/* The warnings of what w saw, in d: field names the time field. */
void ts_time_watch_report(const ts_time_watch *w, const char *path, const char *field, ts_diags *d);

#endif
