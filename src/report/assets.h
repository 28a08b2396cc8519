/*
 * assets.h — the files report.html carries inline, compiled into the
 * library from their sources by CMake (cmake/embed.cmake): uPlot's pinned
 * release (third_party/uplot/) and the report's own script and style
 * (src/report/assets/). Each is NUL-terminated; _len excludes the NUL.
 */
#ifndef TS_REPORT_ASSETS_H
#define TS_REPORT_ASSETS_H

#include <stddef.h>

extern const char ts_asset_uplot_js[];
extern const size_t ts_asset_uplot_js_len;
extern const char ts_asset_uplot_css[];
extern const size_t ts_asset_uplot_css_len;
extern const char ts_asset_report_js[];
extern const size_t ts_asset_report_js_len;
extern const char ts_asset_report_css[];
extern const size_t ts_asset_report_css_len;

#endif
