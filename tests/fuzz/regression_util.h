// Helpers of the fuzz regression tests: an input as bytes, written to a file, and the check that a
// reader refuses it with a tera::Error whose message names what it should.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"

namespace tera::test {

// Little-endian bytes of an unsigned value, `width` bytes wide.
inline std::string le(std::uint64_t value, int width) {
  std::string out;
  for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
  return out;
}

// Runs `read` and expects a tera::Error of type E whose message contains every one of `parts`.
template <typename E = Error, typename Read>
void expect_refused(Read&& read, std::initializer_list<std::string> parts) {
  try {
    read();
    ADD_FAILURE() << "the reader accepted the input";
  } catch (const E& error) {
    for (const std::string& part : parts)
      EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

}  // namespace tera::test
