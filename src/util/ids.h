/*
 * ids.h — what may name a model: the ids of demand.yaml, the series and
 * the facts become file names, CSV fields and message text. Header-only.
 */
#ifndef TS_UTIL_IDS_H
#define TS_UTIL_IDS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The longest model id, in bytes. */
#define TS_MAX_ID_BYTES 256

/* Whether id may name a model: true, or false with what is wrong in msg
 * ("... (expected ...)", without the id itself: it may hold a line
 * break). */
static inline bool ts_id_valid(const char *id, char *msg, size_t size)
{
    size_t n = strlen(id);
    if (n > TS_MAX_ID_BYTES) {
        snprintf(msg, size, "model id is %zu bytes (expected at most %d)", n, TS_MAX_ID_BYTES);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c < 0x20 || c == 0x7f) {
            snprintf(msg, size, "model id has the control character 0x%02X at byte %zu (expected printable characters)",
                     c, i + 1);
            return false;
        }
    }
    return true;
}

#endif
