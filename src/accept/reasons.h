/*
 * reasons.h — the sentence that says why a pool breaks a rule, with the
 * numbers that decide it (§7 number format, one decimal where a person
 * reads a percentage).
 */
#ifndef TS_ACCEPT_REASONS_H
#define TS_ACCEPT_REASONS_H

#include "tapscale.h"

/* Appends the reason pool i breaks rule r to b ("model m1: p95 utilization
 * 41.2% is ..."). */
void ts_reason_text(const ts_inputs *in, const ts_plan *p, const ts_sim_results *r, size_t i, ts_rule rule,
                    ts_buf *b);

#endif
