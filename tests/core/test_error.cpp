// Message helpers: what a file or a user's name holds is printed without moving the terminal.
#include <gtest/gtest.h>

#include "tera/core/error.h"

namespace tera {
namespace {

TEST(Printable, ControlBytesAreShownAsHexAndTheRestKept) {
  EXPECT_EQ(printable("plain text"), "plain text");
  const std::string escape_codes = std::string("a\x01") + "b\x1b[31m\x7f";  // 9 bytes
  EXPECT_EQ(printable(escape_codes), "a\\x01b\\x1b[31m\\x7f");
  EXPECT_EQ(printable(std::string("nul\0end", 7)), "nul\\x00end");
  EXPECT_EQ(printable("tab\there\nline"), "tab\\x09here\\x0aline");
  EXPECT_EQ(printable("caf\xc3\xa9 \xf0\x9f\x99\x82"), "caf\xc3\xa9 \xf0\x9f\x99\x82")
      << "UTF-8 kept";
}

}  // namespace
}  // namespace tera
