# Builds OUT, the report's what-if module (tapscale.wasm), from SOURCES (a
# ;-list, relative to ROOT) with CC, clang's wasm32-wasi target over
# Debian's wasi-libc (sysroot /usr). Run as: cmake -DCC=... -DROOT=...
# -DOUT=... -DSOURCES=... -P wasm.cmake
set(files)
foreach(s ${SOURCES})
  list(APPEND files "${ROOT}/${s}")
endforeach()
execute_process(
  COMMAND ${CC} --target=wasm32-wasi --sysroot=/usr -O2 -std=c11 -ffp-contract=off -D_GNU_SOURCE -w
          -I${ROOT}/include -I${ROOT}/src -I${ROOT}/third_party/libyaml/include
          -DYAML_DECLARE_STATIC -DYAML_VERSION_MAJOR=0 -DYAML_VERSION_MINOR=2 -DYAML_VERSION_PATCH=5
          "-DYAML_VERSION_STRING=\"0.2.5\""
          -mexec-model=reactor -Wl,--strip-all ${files} -lm -o ${OUT}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building ${OUT} failed")
endif()
