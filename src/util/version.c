/*
 * api.c — small entry points of the public header that belong to no module.
 */
#include "tapscale.h"

#ifndef TAPSCALE_VERSION
#define TAPSCALE_VERSION "0.0.0"
#endif

const char *ts_version(void)
{
    return TAPSCALE_VERSION;
}
