// Damaged files never crash a reader and never come back half-read: each read either throws
// InputError or returns a complete, consistent set.
#include <gtest/gtest.h>

#include <random>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

// Reads `bytes` as `name`; fails the test on anything but success or InputError.
void read_damaged(const test::TempDir& dir, const std::string& name, const std::string& bytes,
                  int& rejected) {
  test::spit(dir / name, bytes);
  try {
    const GaussianSet set = read_gaussians(dir / name);
    set.check_consistent();
  } catch (const InputError&) {
    ++rejected;
  } catch (const std::exception& error) {
    ADD_FAILURE() << name << ": unexpected exception: " << error.what();
  }
}

TEST(CorruptFiles, TruncatedOrFlippedBytesAreRejectedOrReadWhole) {
  std::mt19937 rng(1234);  // fixed seed: the same damage on every run
  for (const char* name : {"a.ply", "a.splat", "a.spz", "a.glb"}) {
    SCOPED_TRACE(name);
    test::TempDir dir("corrupt");
    write_gaussians(test::random_gaussians(40, 2, 8), dir / name);
    const std::string good = test::slurp(dir / name);
    int rejected = 0;
    // Every truncation length in the first 64 bytes, then 50 random ones (always short of the end).
    for (std::size_t length = 0; length < 64; ++length)
      read_damaged(dir, name, good.substr(0, length), rejected);
    std::uniform_int_distribution<std::size_t> position(0, good.size() - 1);
    for (int trial = 0; trial < 50; ++trial)
      read_damaged(dir, name, good.substr(0, position(rng)), rejected);
    if (std::string(name) == "a.splat") {
      // A .splat cut at a multiple of 32 bytes is a valid shorter file (lengths 0 and 32 here, and
      // about 1 in 32 of the random cuts); every other cut must be rejected.
      EXPECT_GE(rejected, 100);
    } else {
      EXPECT_EQ(rejected, 114) << "every truncated file must be rejected";
    }
    // Random bytes overwritten anywhere: any outcome but a crash or a foreign exception.
    for (int trial = 0; trial < 100; ++trial) {
      std::string damaged = good;
      for (int flips = 0; flips < 4; ++flips) damaged[position(rng)] = static_cast<char>(rng());
      read_damaged(dir, name, damaged, rejected);
    }
  }
}

}  // namespace
}  // namespace tera
