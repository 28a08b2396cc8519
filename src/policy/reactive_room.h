/*
 * reactive_room.h — the bytes a reactive policy's state may take inside
 * the predictive policy's state, which runs it (predictive.c). The
 * policies that can be its reactive part assert that theirs fit.
 */
#ifndef TS_POLICY_REACTIVE_ROOM_H
#define TS_POLICY_REACTIVE_ROOM_H

#define TS_PREDICTIVE_REACTIVE_BYTES 131072

#endif
