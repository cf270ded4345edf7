# `cmake --install`: the accelbench executable, the plugin folder (with the in-tree backends
# when ACCELBENCH_BACKEND_DL=ON) and the backend SDK: accelbench_backend.h plus the CMake
# package (find_package(accelbench) -> accelbench::backend_sdk, accelbench_add_backend()).
# Layout under the prefix:
#   bin/accelbench
#   include/accelbench/accelbench_backend.h
#   lib/accelbench/backends/libaccelbench-backend-*.so   (found relative to bin/accelbench)
#   lib/cmake/accelbench/                                 (the package)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
set(ACCELBENCH_INSTALL_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/accelbench")

install(TARGETS accelbench RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/backends/sdk/accelbench_backend.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/accelbench")
install(DIRECTORY DESTINATION "${ACCELBENCH_INSTALL_PLUGIN_DIR}")
get_property(_accelbench_plugin_targets GLOBAL PROPERTY ACCELBENCH_PLUGIN_TARGETS)
if(_accelbench_plugin_targets)
  install(TARGETS ${_accelbench_plugin_targets} LIBRARY DESTINATION "${ACCELBENCH_INSTALL_PLUGIN_DIR}")
endif()

install(TARGETS accelbench_backend_sdk EXPORT accelbenchTargets)
install(EXPORT accelbenchTargets NAMESPACE accelbench:: DESTINATION "${ACCELBENCH_INSTALL_CMAKE_DIR}")
# The ABI version comes from the header, so the package cannot disagree with it.
file(STRINGS "${PROJECT_SOURCE_DIR}/backends/sdk/accelbench_backend.h" _accelbench_abi_line
  REGEX "^#define AB_ABI_VERSION [0-9]+u?$")
string(REGEX REPLACE "^#define AB_ABI_VERSION ([0-9]+)u?$" "\\1" ACCELBENCH_BACKEND_ABI_VERSION "${_accelbench_abi_line}")
configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/accelbenchConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/accelbenchConfig.cmake"
  INSTALL_DESTINATION "${ACCELBENCH_INSTALL_CMAKE_DIR}"
  PATH_VARS ACCELBENCH_INSTALL_PLUGIN_DIR CMAKE_INSTALL_BINDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/accelbenchConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/accelbenchConfig.cmake" "${PROJECT_BINARY_DIR}/accelbenchConfigVersion.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/AccelbenchAddBackend.cmake"
  DESTINATION "${ACCELBENCH_INSTALL_CMAKE_DIR}")
