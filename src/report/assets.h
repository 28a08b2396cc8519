/*
 * assets.h — the files report.html carries inline, compiled into the
 * library from their sources by CMake (cmake/embed.cmake): uPlot's pinned
 * release (third_party/uplot/), the report's own script and style
 * (src/report/assets/) and the what-if's WebAssembly module. Each is NUL-terminated; _len excludes the NUL.
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
/* The what-if's WebAssembly module (src/whatif/, cmake/wasm.cmake); empty
 * (_len 0) when the build had no wasm32 compiler. */
extern const char ts_asset_whatif_wasm[];
extern const size_t ts_asset_whatif_wasm_len;

#endif
