/*
 * sha256.c — SHA-256 through libcrypto; see sha256.h.
 */
#include "util/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

static void to_hex(const unsigned char md[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

ts_status ts_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return TS_ENOMEM;
    to_hex(md, hex);
    return TS_OK;
}

ts_sha256 *ts_sha256_new(void)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c && !EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(c);
        c = NULL;
    }
    return (ts_sha256 *)c;
}

ts_status ts_sha256_update(ts_sha256 *h, const void *data, size_t len)
{
    return EVP_DigestUpdate((EVP_MD_CTX *)h, data, len) ? TS_OK : TS_ENOMEM;
}

ts_status ts_sha256_final(ts_sha256 *h, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &mdlen) || mdlen != 32)
        return TS_ENOMEM;
    to_hex(md, hex);
    return TS_OK;
}

void ts_sha256_free(ts_sha256 *h)
{
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
}
