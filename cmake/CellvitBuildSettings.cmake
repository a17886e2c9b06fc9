# Compiler settings shared by every target: fast rebuilds (ccache + PCH) and Qt/torch coexistence.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # PCH and ccache only cooperate with these sloppiness settings (reference/build-notes.md).
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      # Relative paths in the cache key, so a fresh clone elsewhere (CI) still hits the cache.
      "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}" ${CCACHE_PROGRAM})
endif()

# Qt's slots/signals/emit macros break torch headers; the code uses Q_SLOTS/Q_SIGNALS/Q_EMIT.
add_compile_definitions(QT_NO_KEYWORDS)
add_compile_options(-Wall -Wextra -Wno-unused-parameter)

# Static libraries end up in executables and in the test binaries alike.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
