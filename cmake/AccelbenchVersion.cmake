# Tool version from project(), written at configure time. The git revision is written at BUILD
# time (target accelbench_git_revision, below), so a result never names a revision older than the
# code that produced it: a commit without a reconfigure used to leave the configure-time hash.
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/cmake/version.hpp.in"
  "${CMAKE_BINARY_DIR}/generated/accelbench/version.hpp" @ONLY)

set(ACCELBENCH_GIT_REVISION_HEADER "${CMAKE_BINARY_DIR}/generated/accelbench/git_revision.hpp")
# Runs on every build; the script rewrites the header only when the revision changed, and the
# BYPRODUCTS declaration lets Ninja skip recompiling its includers when it did not.
add_custom_target(accelbench_git_revision
  COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
          -DOUTPUT=${ACCELBENCH_GIT_REVISION_HEADER} -P "${CMAKE_CURRENT_LIST_DIR}/AccelbenchGitRevision.cmake"
  BYPRODUCTS "${ACCELBENCH_GIT_REVISION_HEADER}"
  COMMENT "" VERBATIM)
