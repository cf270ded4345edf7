# Tool version from project(); git revision read at configure time (recorded in every result).
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
  OUTPUT_VARIABLE ACCELBENCH_GIT_REV OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
  OUTPUT_VARIABLE _accelbench_dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT ACCELBENCH_GIT_REV)
  set(ACCELBENCH_GIT_REV "unknown")
elseif(_accelbench_dirty)
  string(APPEND ACCELBENCH_GIT_REV "-dirty")
endif()
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/include/accelbench/version.hpp.in"
  "${CMAKE_BINARY_DIR}/generated/accelbench/version.hpp" @ONLY)
