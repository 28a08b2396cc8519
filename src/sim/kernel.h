/*
 * kernel.h — what the simulator offers a policy: the one header of sim/
 * that a file of src/policy/ includes. A policy's kernel (NAME_fast.c) is
 * a step loop of §5 specialized to its policy; it builds on these pieces,
 * which the plain loop uses too, so that both give the same bits:
 *   simulate.h   the plain loop (the reference), the held loop, the input
 *                check and the step grid;
 *   act.h        the pool at t = 0 and an action applied (step 7);
 *   dense.h      steps 1 to 5 for demand that moves at nearly every step;
 *   coldstart.h  the cold start of each new replica;
 *   kpis.h       the KPI sums of a step loop and their finish (§6);
 *   policy_type.h  the descriptor the kernel's policy exports;
 *   workspace.h  the memory a loop works in, reserved before it starts.
 * Data flows one way: policy includes this, sim includes nothing of policy
 * and calls a policy only through its descriptor (ts_policy_type).
 */
#ifndef TS_SIM_KERNEL_H
#define TS_SIM_KERNEL_H

#include "sim/act.h"
#include "sim/coldstart.h"
#include "sim/dense.h"
#include "sim/kpis.h"
#include "sim/policy_type.h"
#include "sim/simulate.h"
#include "sim/workspace.h"

#endif
