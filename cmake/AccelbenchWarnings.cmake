# Warnings for C and C++ (nvcc rejects -Wall, so CUDA sources are left out). The build has no
# warning with Debian 12's GCC; ACCELBENCH_ENABLE_WERROR (ON in CI) keeps it that way.
option(ACCELBENCH_ENABLE_WERROR "Treat compiler warnings as errors" OFF)
add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-Wall> $<$<COMPILE_LANGUAGE:C,CXX>:-Wextra>)
if(ACCELBENCH_ENABLE_WERROR)
  add_compile_options($<$<COMPILE_LANGUAGE:C,CXX>:-Werror>)
endif()

# accelbench_target_includes(<target>): the repository root and the generated headers, the one
# include root of every target.
function(accelbench_target_includes target)
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}" "${PROJECT_BINARY_DIR}/generated")
endfunction()
