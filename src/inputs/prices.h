/*
 * prices.h — DIR/operator/curated_gpu.csv (optional): rental prices. Required
 * columns gpu_model, num_gpus and price_eur_hr or price_usd_hr (price of the
 * listed machine per hour; EUR when both exist). Per GPU name (after
 * normalisation, gpus.h) the lowest price per GPU-hour over its rows
 * (price / num_gpus) is kept: the cheapest provider.
 */
#ifndef TS_INPUTS_PRICES_H
#define TS_INPUTS_PRICES_H

#include "tapscale.h"

typedef struct ts_price {
    char norm[64];          /* normalised GPU name */
    double per_gpu;         /* lowest price per GPU-hour */
} ts_price;

typedef struct ts_prices {
    ts_price *p;
    size_t n, cap;
    const char *currency;   /* "EUR" or "USD" (static) */
    /* while reading */
    const char *file;
    ts_diags *d;
    int header_seen;
    int c_gpu, c_num, c_price;
    size_t header_fields;
    ts_diags *warnings;
} ts_prices;

/* Reads the prices file at path (absent: no prices) into pr, every
 * problem reported in d. Free with ts_prices_free. */
void ts_prices_read(ts_inputs *in, const char *path, ts_prices *pr, ts_diags *d);
/* The price of a normalised GPU name, or NULL. */
const ts_price *ts_prices_find(const ts_prices *pr, const char *norm);
void ts_prices_free(ts_prices *pr);

#endif
