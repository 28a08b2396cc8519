/*
 * replicas.h — the replicas of a pool while it is simulated: all ready
 * replicas form one count R; replicas still warming form groups (ready_at,
 * count) in a ring ordered by ready_at, one group per scale-up. A group
 * joins R at the first step with t >= ready_at; a scale-down takes from the
 * newest group first (latest ready_at), then from R. At most
 * ceil(warmup/Δ) + 1 groups can be warming at once, so the ring is sized
 * once before the loop (ts_warm_capacity). Shared by the plain step loop
 * and the policies' kernels; header-only so the loops inline it.
 */
#ifndef TS_SIM_REPLICAS_H
#define TS_SIM_REPLICAS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ts_warm_groups {
    int64_t *at, *n;     /* ring of (ready_at, count); storage from the workspace */
    size_t cap, head, len;
} ts_warm_groups;

/* The ring size a pool needs for a warm-up of warmup_s at a step of dt. */
static inline size_t ts_warm_capacity(int64_t warmup_s, int64_t dt)
{
    return (size_t)((warmup_s + dt - 1) / dt) + 2;
}

/* The ring slot k places after the head (k <= cap), without a division. */
static inline size_t ts_warm_slot(const ts_warm_groups *g, size_t k)
{
    size_t s = g->head + k;
    return s >= g->cap ? s - g->cap : s;
}

/* Replicas whose warm-up is over at t join the ready count *R. */
static inline void ts_warm_promote(ts_warm_groups *g, int64_t t, int64_t *R)
{
    while (g->len && g->at[g->head] <= t) {
        *R += g->n[g->head];
        g->head = ts_warm_slot(g, 1);
        g->len--;
    }
}

/* count replicas start warming, ready at ready_at. */
static inline void ts_warm_add(ts_warm_groups *g, int64_t ready_at, int64_t count)
{
    size_t slot = ts_warm_slot(g, g->len);
    g->at[slot] = ready_at;
    g->n[slot] = count;
    g->len++;
}

/* Removes count replicas: the latest warming ones first, then ready ones. */
static inline void ts_warm_remove(ts_warm_groups *g, int64_t count, int64_t *R)
{
    while (count && g->len) {
        size_t last = ts_warm_slot(g, g->len - 1);
        int64_t take = g->n[last] < count ? g->n[last] : count;
        g->n[last] -= take;
        count -= take;
        if (g->n[last] == 0)
            g->len--;
    }
    *R -= count;
}

#endif
