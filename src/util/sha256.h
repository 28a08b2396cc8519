/*
 * sha256.h — SHA-256 of bytes and of files, as lowercase hex, through
 * OpenSSL's libcrypto (EVP interface).
 */
#ifndef TS_UTIL_SHA256_H
#define TS_UTIL_SHA256_H

#include "tapscale.h"

#include <stddef.h>

/* hex receives 64 hex digits and a NUL. Returns TS_OK, or TS_ENOMEM when
 * libcrypto fails (it fails only to allocate). */
ts_status ts_sha256_hex(const void *data, size_t len, char hex[65]);

/* SHA-256 of bytes given piece by piece: new, update in order, final. */
typedef struct ts_sha256 ts_sha256;

/* Returns a fresh context, or NULL when out of memory; ts_sha256_free
 * releases it. */
ts_sha256 *ts_sha256_new(void);
/* Adds len bytes. Returns TS_OK, or TS_ENOMEM. */
ts_status ts_sha256_update(ts_sha256 *h, const void *data, size_t len);
/* The digest of every byte added (hex as ts_sha256_hex). Returns TS_OK,
 * or TS_ENOMEM. */
ts_status ts_sha256_final(ts_sha256 *h, char hex[65]);
void ts_sha256_free(ts_sha256 *h);

#endif
