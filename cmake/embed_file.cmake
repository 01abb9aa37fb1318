# Turns a file into a C++ header holding its bytes, at build time:
#   cmake -DINPUT=file -DOUTPUT=header.h -DNAME=kSymbol -P embed_file.cmake
# The header defines `inline constexpr unsigned char NAME[]` and `NAME##Size` (the byte count,
# without a terminating zero).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# 24 bytes per line keep the header readable in a diff viewer.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
get_filename_component(source_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
  "// Generated at build time from ${source_name} by cmake/embed_file.cmake; do not edit.\n"
  "#pragma once\n\n#include <cstddef>\n\n"
  "inline constexpr unsigned char ${NAME}[] = {\n${bytes}\n};\n"
  "inline constexpr std::size_t ${NAME}Size = ${size};\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
