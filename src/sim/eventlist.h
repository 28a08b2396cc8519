/*
 * eventlist.h — the events of one simulation kept in a growing array, for
 * callers that need them after it (the queue, the latency, a picture).
 */
#ifndef TS_SIM_EVENTLIST_H
#define TS_SIM_EVENTLIST_H

#include "tapscale.h"

/* Start it as {NULL, 0, 0}; the caller frees ev. */
typedef struct ts_event_list {
    ts_event *ev;
    size_t n, cap;
} ts_event_list;

/* A ts_event_fn appending *e to the ts_event_list ctx: TS_OK, or
 * TS_ENOMEM when it cannot grow (the list keeps what it had). */
ts_status ts_event_list_keep(void *ctx, const ts_event *e);

#endif
