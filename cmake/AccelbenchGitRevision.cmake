# Script mode (cmake -P): writes OUTPUT, a header holding SOURCE_DIR's git revision ("-dirty"
# when tracked files differ from HEAD, "unknown" outside a git checkout). The file is left
# untouched when its content would not change, so nothing recompiles needlessly.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT revision)
  set(revision "unknown")
elseif(dirty)
  string(APPEND revision "-dirty")
endif()
set(content "#pragma once\n// Generated at build time by cmake/AccelbenchGitRevision.cmake.\nnamespace accelbench {\ninline constexpr const char* git_revision = \"${revision}\";\n}  // namespace accelbench\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" previous)
  if(previous STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
