# Installation and the CMake / pkg-config packages (cawait-cc is built in tool/cawait-cc/).
# Included by the top-level CMakeLists.txt.
#
#   cmake --install build --prefix P   installs
#     P/bin/cawait, P/bin/cawait-cc
#     P/include/cawait.h, P/include/cawait/*.h
#     P/lib/libcawait.a
#     P/lib/cmake/cawait/cawaitConfig.cmake (+ ConfigVersion): cawait::runtime,
#       cawait::cawait, cawait_generate(TARGET t)
#     P/lib/pkgconfig/cawait.pc
#     P/share/cawait/gdb/cawait.py (gdb: cawait-frames)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# --- install rules ---
install(TARGETS cawait cawait-cc cawait-wrap RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS cawait_runtime ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/runtime/include/cawait.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/cawait/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cawait FILES_MATCHING PATTERN "*.h")
if(EXISTS ${PROJECT_SOURCE_DIR}/runtime/gdb/cawait.py)
  install(FILES ${PROJECT_SOURCE_DIR}/runtime/gdb/cawait.py
    DESTINATION ${CMAKE_INSTALL_DATADIR}/cawait/gdb)
endif()

# CMake package: written by hand (no install(EXPORT)): cawait_runtime's
# include directory is a source-tree path, which an export cannot carry.
set(CAWAIT_CONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cawait)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/cawaitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/cawaitConfig.cmake
  INSTALL_DESTINATION ${CAWAIT_CONFIG_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/cawaitConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/cawaitConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/cawaitConfigVersion.cmake
  DESTINATION ${CAWAIT_CONFIG_DIR})

# pkg-config: relocatable (${pcfiledir}), so `cmake --install --prefix P` is right for any P.
file(RELATIVE_PATH _ca_pc_prefix_rel
  ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" _ca_pc_prefix_rel "${_ca_pc_prefix_rel}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/cawait.pc.in ${PROJECT_BINARY_DIR}/cmake/cawait.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/cawait.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
