# Build options of tera; each has a one-line reason.
option(TERA_BUILD_TESTS "Build the GoogleTest suites (ctest labels unit, render, model, gpu)" ON)
option(TERA_BUILD_BENCH "Build the Google Benchmark programs in bench/" ON)
option(TERA_BUILD_TOOLS "Build the developer tools in tools/ (the avatar teacher tera-synth)" ON)
option(TERA_WARNINGS_AS_ERRORS "Treat compiler warnings as errors (CI hygiene)" OFF)
option(TERA_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer (cmake/TeraSanitize.cmake)" OFF)
option(TERA_FUZZ "Build the libFuzzer targets in fuzz/, everything sanitized and instrumented (clang only)" OFF)
set(TERA_CUDA "AUTO" CACHE STRING "Build the CUDA renderer: AUTO (when nvcc is found), ON or OFF")
set_property(CACHE TERA_CUDA PROPERTY STRINGS AUTO ON OFF)

# Warnings for the project's own targets only.
function(tera_target_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic>)
    if(TERA_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
  endif()
endfunction()
