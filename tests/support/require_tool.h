// For tests that check our files with third-party tools (the vendored JavaScript tools, chromium).
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "support/test_support.h"

// Skips the test with a printed reason when `available` is false, or fails it when scripts/test.sh
// requires the tools (TERA_REQUIRE_NPM_TOOLS=1).
#define TERA_REQUIRE_TOOL(available, reason)                      \
  do {                                                            \
    if (!(available)) {                                           \
      if (::tera::test::npm_tools_required()) FAIL() << (reason); \
      std::printf("skipped: %s\n", std::string(reason).c_str());  \
      GTEST_SKIP() << (reason);                                   \
    }                                                             \
  } while (0)
