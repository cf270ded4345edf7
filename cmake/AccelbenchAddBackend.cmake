# accelbench_add_backend(<name> [VARIANT <variant>] <source>...)
#
# Builds an accelbench backend plugin: a MODULE library named
# libaccelbench-backend-<name>[-<variant>].so (target accelbench-backend-<name>[-<variant>]),
# compiled against the backend ABI header (target accelbench::backend_sdk) with hidden
# visibility, so that only the symbols marked ACCELBENCH_BACKEND_EXPORT
# (accelbench_backend_entry, accelbench_backend_score) are exported. <name> must equal the
# name in the backend's table: lowercase letters, digits and '_'. Shipped with the SDK
# (find_package(accelbench)) and used by accelbench's own build for its in-tree backends.
function(accelbench_add_backend name)
  cmake_parse_arguments(ARG "" "VARIANT" "" ${ARGN})
  if(NOT name MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "accelbench_add_backend(${name}): the name must be lowercase letters, digits and '_' (it is the backend's name in its table)")
  endif()
  if(DEFINED ARG_VARIANT AND NOT ARG_VARIANT MATCHES "^[A-Za-z0-9_.-]+$")
    message(FATAL_ERROR "accelbench_add_backend(${name} VARIANT ${ARG_VARIANT}): the variant must be letters, digits, '_', '.' or '-'")
  endif()
  if(NOT ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "accelbench_add_backend(${name}): list the backend's source files")
  endif()
  set(target "accelbench-backend-${name}")
  if(ARG_VARIANT)
    string(APPEND target "-${ARG_VARIANT}")
  endif()
  add_library(${target} MODULE ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE accelbench::backend_sdk)
  # The file pattern is fixed (the loader looks for exactly this), whatever the platform default.
  set_target_properties(${target} PROPERTIES
    PREFIX "lib" OUTPUT_NAME "${target}" SUFFIX ".so"
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
endfunction()
