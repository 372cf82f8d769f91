# The one way a binary learns the git SHA it was built from: at build time, never at configure
# time (a configure-time SHA goes stale with every commit that does not re-run CMake).
#
# netlab_git_sha_header(<target> <header> <macro>): before <target> compiles, (re)writes
# <build>/generated/<header> with `#define <macro> "<sha>"` and puts <build>/generated on the
# target's include path, so its sources `#include "<header>"`.
set(NETLAB_WRITE_GIT_SHA ${CMAKE_CURRENT_LIST_DIR}/write_git_sha.cmake)

function(netlab_git_sha_header target header macro)
  set(out ${CMAKE_BINARY_DIR}/generated/${header})
  string(MAKE_C_IDENTIFIER ${header} id)
  add_custom_target(netlab_git_sha_${id}
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${out} -DMACRO=${macro}
            -P ${NETLAB_WRITE_GIT_SHA}
    BYPRODUCTS ${out}
    VERBATIM)
  add_dependencies(${target} netlab_git_sha_${id})
  target_include_directories(${target} PRIVATE ${CMAKE_BINARY_DIR}/generated)
endfunction()
