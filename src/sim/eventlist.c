/*
 * eventlist.c — the events of one simulation in a growing array; see
 * eventlist.h.
 */
#include "sim/eventlist.h"
#include "util/alloc.h"

ts_status ts_event_list_keep(void *ctx, const ts_event *e)
{
    ts_event_list *l = ctx;
    ts_event *ev = ts_grow(l->ev, l->n, &l->cap, sizeof *ev, 256);
    if (!ev)
        return TS_ENOMEM;
    l->ev = ev;
    l->ev[l->n++] = *e;
    return TS_OK;
}
