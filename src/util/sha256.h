/*
 * sha256.h — SHA-256 of bytes and of files, as lowercase hex, through
 * OpenSSL's libcrypto (EVP interface).
 */
#ifndef TS_UTIL_SHA256_H
#define TS_UTIL_SHA256_H

#include <stddef.h>

/* hex receives 64 hex digits and a NUL. Returns 0, or -1 on failure. */
int ts_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
