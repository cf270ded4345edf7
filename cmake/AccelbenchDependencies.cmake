# Dependencies come from Debian packages. Each backend has a tri-state option:
# AUTO (default) builds it when its library is found, ON makes a missing library a
# configure error naming the package to install, OFF never builds it.
find_package(PkgConfig REQUIRED)

find_package(nlohmann_json 3.10 REQUIRED)   # nlohmann-json3-dev
find_package(fmt REQUIRED)                  # libfmt-dev
find_package(CLI11 REQUIRED)                # libcli11-dev
find_package(benchmark REQUIRED)            # libbenchmark-dev
find_package(Threads REQUIRED)
pkg_check_modules(HWLOC REQUIRED IMPORTED_TARGET hwloc)   # libhwloc-dev

function(accelbench_backend_option name package)
  set(ACCELBENCH_WITH_${name} AUTO CACHE STRING "Build the ${name} backend: AUTO, ON or OFF")
  set_property(CACHE ACCELBENCH_WITH_${name} PROPERTY STRINGS AUTO ON OFF)
endfunction()

accelbench_backend_option(OPENBLAS libopenblas-dev)
accelbench_backend_option(ONEDNN libdnnl-dev)
accelbench_backend_option(CUDA nvidia-cuda-toolkit)

# resolve_backend(NAME FOUND PACKAGE): sets ACCELBENCH_HAVE_<NAME> in the parent scope.
function(accelbench_resolve_backend name found package)
  set(mode "${ACCELBENCH_WITH_${name}}")
  string(TOUPPER "${mode}" mode)
  if(NOT mode MATCHES "^(AUTO|ON|OFF)$")
    message(FATAL_ERROR "ACCELBENCH_WITH_${name}=${mode}: accepted values are AUTO, ON, OFF")
  endif()
  if(mode STREQUAL "OFF")
    set(ACCELBENCH_HAVE_${name} OFF PARENT_SCOPE)
  elseif(found)
    set(ACCELBENCH_HAVE_${name} ON PARENT_SCOPE)
  elseif(mode STREQUAL "ON")
    message(FATAL_ERROR "ACCELBENCH_WITH_${name}=ON but its library was not found: install the Debian package '${package}' (apt-get install ${package})")
  else()
    set(ACCELBENCH_HAVE_${name} OFF PARENT_SCOPE)
  endif()
endfunction()

if(NOT ACCELBENCH_WITH_OPENBLAS STREQUAL "OFF")
  pkg_check_modules(OPENBLAS QUIET IMPORTED_TARGET openblas)
endif()
accelbench_resolve_backend(OPENBLAS "${OPENBLAS_FOUND}" libopenblas-dev)

# Debian's dnnl-config.cmake requires the OpenCL development files (its GPU runtime) even
# for CPU use, so the library and header are found directly instead.
set(_accelbench_dnnl_found OFF)
if(NOT ACCELBENCH_WITH_ONEDNN STREQUAL "OFF")
  find_library(ACCELBENCH_DNNL_LIBRARY NAMES dnnl)
  find_path(ACCELBENCH_DNNL_INCLUDE_DIR NAMES oneapi/dnnl/dnnl.hpp)
  if(ACCELBENCH_DNNL_LIBRARY AND ACCELBENCH_DNNL_INCLUDE_DIR)
    set(_accelbench_dnnl_found ON)
    add_library(accelbench_dnnl INTERFACE IMPORTED)
    target_link_libraries(accelbench_dnnl INTERFACE "${ACCELBENCH_DNNL_LIBRARY}")
    target_include_directories(accelbench_dnnl INTERFACE "${ACCELBENCH_DNNL_INCLUDE_DIR}")
  endif()
endif()
accelbench_resolve_backend(ONEDNN "${_accelbench_dnnl_found}" libdnnl-dev)

if(NOT ACCELBENCH_WITH_CUDA STREQUAL "OFF")
  find_package(CUDAToolkit QUIET)
endif()
# The toolkit alone is not enough: nvcc must also work with the host compiler.
set(_accelbench_cuda_found OFF)
if(CUDAToolkit_FOUND)
  if(NOT CMAKE_CUDA_COMPILER AND CUDAToolkit_NVCC_EXECUTABLE)
    set(CMAKE_CUDA_COMPILER "${CUDAToolkit_NVCC_EXECUTABLE}")
  endif()
  # CUDA 13 targets sm_75 and newer; A100/A800 (80), L20/L40/L4 (89), H100/H200/H20 (90).
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 80 89 90)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    # CMake 3.25 knows no C++20 flag for nvcc and would inherit CXX_STANDARD 20; the .cu files are C++17.
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    set(_accelbench_cuda_found ON)
  else()
    message(STATUS "CUDA toolkit found but nvcc cannot compile with this host compiler: CUDA backend off")
  endif()
endif()
accelbench_resolve_backend(CUDA "${_accelbench_cuda_found}" nvidia-cuda-toolkit)
