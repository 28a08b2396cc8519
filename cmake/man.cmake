# Writes the manual page: BIN --man > OUT (run at build time, so that the
# page and --help come from the same texts).
execute_process(COMMAND ${BIN} --man OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BIN} --man failed: ${rc}")
endif()
