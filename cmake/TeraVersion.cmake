# Generates tera/version.h with the project version and the git revision at every build,
# rewriting it only when the revision changed (so unchanged builds stay incremental).
set(TERA_VERSION_HEADER "${CMAKE_BINARY_DIR}/generated/tera/version.h")
add_custom_target(tera_version_header
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
    -DOUTPUT=${TERA_VERSION_HEADER}
    -DVERSION=${PROJECT_VERSION}
    -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersionHeader.cmake
  BYPRODUCTS ${TERA_VERSION_HEADER}
  COMMENT "Checking git revision for tera/version.h")
