# Every dependency comes from a Debian 12 package (scripts/setup.sh installs them) or, on a GPU
# machine without an archive, from the prefix that scripts/gpu/fetch-debs.sh unpacks
# (pass -DTERA_DEPS_PREFIX=...).
set(TERA_DEPS_PREFIX "" CACHE PATH "Extra prefix holding unpacked Debian packages (GPU machines)")
if(TERA_DEPS_PREFIX)
  list(PREPEND CMAKE_PREFIX_PATH "${TERA_DEPS_PREFIX}/usr" "${TERA_DEPS_PREFIX}/usr/lib/x86_64-linux-gnu/cmake"
       "${TERA_DEPS_PREFIX}/usr/share/cmake")
  include_directories(SYSTEM "${TERA_DEPS_PREFIX}/usr/include")
  link_directories("${TERA_DEPS_PREFIX}/usr/lib/x86_64-linux-gnu")
endif()

find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(nlohmann_json REQUIRED)

# tinygltf is header-only in Debian; its implementation is compiled once in src/io/glb.
find_path(TINYGLTF_INCLUDE_DIR tiny_gltf.h REQUIRED)

# stb: Debian ships the headers under stb/ and the implementations in libstb.
find_path(STB_INCLUDE_DIR stb_image_write.h PATH_SUFFIXES stb REQUIRED)
find_library(STB_LIBRARY stb REQUIRED)
add_library(tera_stb INTERFACE)
target_include_directories(tera_stb SYSTEM INTERFACE "${STB_INCLUDE_DIR}")
target_link_libraries(tera_stb INTERFACE "${STB_LIBRARY}")

if(TERA_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(TERA_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
