# Sanitizer and fuzzing builds (docs/reliability.md). Both apply to everything the build compiles,
# so the library code under test is instrumented, not only the test or fuzz programs.
#   -DTERA_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer (gcc or clang)
#   -DTERA_FUZZ=ON      the same sanitizers plus libFuzzer coverage, and the fuzz/ targets (clang only)
if(TERA_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "TERA_FUZZ=ON needs clang (libFuzzer), but the C++ compiler is "
                      "${CMAKE_CXX_COMPILER_ID}; configure with -DCMAKE_C_COMPILER=clang "
                      "-DCMAKE_CXX_COMPILER=clang++ (Debian package clang), or use scripts/fuzz.sh")
endif()

if(TERA_SANITIZE OR TERA_FUZZ)
  # -fno-sanitize-recover: undefined behaviour aborts, so a test or a fuzz run fails on it instead
  # of printing a report and carrying on. The frame pointers make the reports' stacks readable.
  set(TERA_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${TERA_SANITIZER_FLAGS}>")
  add_link_options(-fsanitize=address,undefined)
endif()

if(TERA_FUZZ)
  # Coverage instrumentation for libFuzzer everywhere; only the fuzz targets link its main().
  add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=fuzzer-no-link>")
endif()
