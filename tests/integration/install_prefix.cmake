# ctest fixture: install the current build into a fresh prefix.
#   cmake -DBUILD=<build dir> -DPREFIX=<prefix> -P install_prefix.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${PREFIX}"
  RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD} --prefix ${PREFIX} failed: ${rc}")
endif()
foreach(f bin/cawait bin/cawait-cc include/cawait.h include/cawait/abi.h lib/libcawait.a
          lib/cmake/cawait/cawaitConfig.cmake lib/cmake/cawait/cawaitConfigVersion.cmake
          lib/pkgconfig/cawait.pc share/cawait/gdb/cawait.py)
  if(NOT EXISTS "${PREFIX}/${f}")
    message(FATAL_ERROR "not installed: ${PREFIX}/${f}")
  endif()
endforeach()
