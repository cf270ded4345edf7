# ctest sdk_example: the backend SDK used the way a vendor would use it.
#   1. cmake --install the build into a fresh temporary prefix
#   2. configure and build examples/minimal-backend against that prefix only
#   3. the installed accelbench, given --backend-dir, lists the example backend as available,
#      runs a small GEMM on it and the result is verified (outcome "passed")
#   4. with ACCELBENCH_BACKEND_DL=ON, the installed accelbench also finds the in-tree backends
#      in the install's own plugin folder (no --backend-dir, no environment)
# Inputs: -DBUILD_DIR -DSOURCE_DIR -DWORK_DIR -DGENERATOR -DC_COMPILER -DBACKEND_DL
cmake_minimum_required(VERSION 3.22)

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc}):\n${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_match text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: expected to match '${regex}' in:\n${text}")
  endif()
endfunction()

# Only the install is visible: no plugin path from the caller's environment.
unset(ENV{ACCELBENCH_BACKEND_PATH})
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(example_build "${WORK_DIR}/minimal-backend")

run_step("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
set(accelbench "${prefix}/bin/accelbench")
foreach(installed bin/accelbench include/accelbench/accelbench_backend.h lib/cmake/accelbench/accelbenchConfig.cmake
        lib/cmake/accelbench/AccelbenchAddBackend.cmake lib/accelbench/backends)
  if(NOT EXISTS "${prefix}/${installed}")
    message(FATAL_ERROR "not installed: ${prefix}/${installed}")
  endif()
endforeach()

# CMAKE_FIND_USE_PACKAGE_REGISTRY / system paths off: only the temporary prefix can satisfy find_package.
run_step("configuring the example against the installed SDK"
  "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/examples/minimal-backend" -B "${example_build}" -G "${GENERATOR}"
  "-DCMAKE_C_COMPILER=${C_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF -DCMAKE_BUILD_TYPE=Release)
run_step("building the example" "${CMAKE_COMMAND}" --build "${example_build}")
if(NOT EXISTS "${example_build}/libaccelbench-backend-minimal.so")
  message(FATAL_ERROR "the example did not produce libaccelbench-backend-minimal.so")
endif()

run_step("accelbench list backends" "${accelbench}" --backend-dir "${example_build}" list backends --verbose)
expect_match("${step_output}" "minimal +available +minimal example backend" "list backends")
expect_match("${step_output}" "selected +[^\n]*libaccelbench-backend-minimal.so" "list backends --verbose")

set(result_file "${WORK_DIR}/minimal.json")
run_step("accelbench run on the example backend"
  "${accelbench}" --backend-dir "${example_build}" run -b minimal -w "gemm:m=[16,33],n=24,k=40,dt=f32"
  -w "gemm:m=8,n=8,k=8,dt=bf16" --out "${result_file}" --timeout 0.2 --min-time 0.01 --warmup-time 0.01 -q)
file(READ "${result_file}" json)
string(JSON count LENGTH "${json}" results)
if(NOT count EQUAL 3)
  message(FATAL_ERROR "expected 3 results, got ${count}:\n${json}")
endif()
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON backend GET "${json}" results ${i} backend)
  string(JSON workload GET "${json}" results ${i} workload)
  string(JSON outcome GET "${json}" results ${i} outcome)
  if(NOT backend STREQUAL "minimal")
    message(FATAL_ERROR "result ${i}: backend '${backend}', expected 'minimal'")
  endif()
  # f32 GEMM is computed and verified; bf16 is refused by the backend with its own reason.
  if(workload MATCHES "dt=bf16")
    set(expected unsupported)
  else()
    set(expected passed)
  endif()
  if(NOT outcome STREQUAL expected)
    message(FATAL_ERROR "result ${i} (${workload}): outcome '${outcome}', expected '${expected}':\n${json}")
  endif()
endforeach()

if(BACKEND_DL)
  run_step("accelbench list backends (install's plugin folder)" "${accelbench}" list backends --verbose)
  expect_match("${step_output}" "reference +available" "in-tree plugins from the install's plugin folder")
  expect_match("${step_output}" "selected +${prefix}/lib/accelbench/backends/libaccelbench-backend-reference.so"
               "the reference plugin comes from the install")
endif()
message(STATUS "sdk_example: installed SDK, built the example, listed it and verified its GEMM results")
