#include <cmath>
#include <gtest/gtest.h>
#include <limits>

#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/core/gaussian_set.h"

namespace tera {
namespace {

TEST(GaussianSet, ResizeGivesIdentityRotationsAndRightSizes) {
  GaussianSet set;
  set.resize(5, 2);
  EXPECT_EQ(set.size(), 5u);
  EXPECT_EQ(set.sh_coeffs(), 9);
  EXPECT_EQ(set.sh.size(), 5u * 9 * 3);
  EXPECT_EQ(set.rotations[4], 1.f);
  EXPECT_EQ(set.rotations[5], 0.f);
  EXPECT_NO_THROW(set.check_consistent());
  set.sh.pop_back();
  EXPECT_THROW(set.check_consistent(), Error);
  EXPECT_THROW(set.resize(1, 4), Error);
}

TEST(GaussianSet, DropNonFiniteRemovesExactlyTheBadOnesAndKeepsOrder) {
  GaussianSet set = test::random_gaussians(10, 1, 3);
  const float marker = set.positions[9 * 3];
  set.positions[1 * 3 + 2] = std::numeric_limits<float>::quiet_NaN();
  set.log_scales[4 * 3] = std::numeric_limits<float>::infinity();
  set.sh[7 * 12 + 5] = -std::numeric_limits<float>::infinity();
  set.opacity_logits[8] = std::numeric_limits<float>::quiet_NaN();
  for (int a = 0; a < 4; ++a) set.rotations[2 * 4 + a] = 0.f;  // zero quaternion: no rotation
  EXPECT_EQ(set.drop_non_finite(), 5u);
  EXPECT_EQ(set.size(), 5u);
  EXPECT_EQ(set.positions[4 * 3], marker);  // the last survivor is the old index 9
  EXPECT_NO_THROW(set.check_consistent());
  EXPECT_EQ(validate_gaussians(set, "test"), 0u);
}

// An infinite opacity logit is alpha 1 or 0 (splat-transform writes +inf for an opaque Gaussian),
// not a broken value; a sigma that overflows float32 is, as no .splat or .glb can store it.
TEST(GaussianSet, InfiniteOpacityIsKeptAndAnOverflowingScaleDropped) {
  GaussianSet set = test::random_gaussians(4, 0, 5);
  set.opacity_logits[0] = std::numeric_limits<float>::infinity();
  set.opacity_logits[1] = -std::numeric_limits<float>::infinity();
  set.log_scales[2 * 3 + 1] = kMaxLogScale;         // sigma 3.3e38: still a float
  set.log_scales[3 * 3 + 2] = kMaxLogScale + 0.1f;  // sigma would be inf
  EXPECT_TRUE(std::isfinite(std::exp(kMaxLogScale)));
  EXPECT_FALSE(std::isfinite(std::exp(kMaxLogScale + 0.1f)));
  EXPECT_EQ(set.drop_non_finite(), 1u);
  ASSERT_EQ(set.size(), 3u);
  EXPECT_EQ(set.opacity_logits[0], kOpacityLogitLimit);
  EXPECT_EQ(set.opacity_logits[1], -kOpacityLogitLimit);
  EXPECT_EQ(1.f / (1.f + std::exp(-kOpacityLogitLimit)), 1.f) << "the limit is alpha 1 in float32";
  EXPECT_EQ(set.log_scales[2 * 3 + 1], kMaxLogScale);
}

TEST(GaussianSet, ShDegreeChangeKeepsLowerBandsAndZeroFillsNewOnes) {
  GaussianSet set = test::random_gaussians(3, 1, 4);
  const GaussianSet original = set;
  set.set_sh_degree(3);
  ASSERT_EQ(set.sh_coeffs(), 16);
  for (std::size_t i = 0; i < 3; ++i) {
    for (int j = 0; j < 12; ++j) EXPECT_EQ(set.sh[i * 48 + j], original.sh[i * 12 + j]);
    for (int j = 12; j < 48; ++j) EXPECT_EQ(set.sh[i * 48 + j], 0.f);
  }
  set.set_sh_degree(0);
  for (std::size_t i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) EXPECT_EQ(set.sh[i * 3 + j], original.sh[i * 12 + j]);
  }
  EXPECT_THROW(set.set_sh_degree(-1), UsageError);
}

TEST(GaussianSet, BoundsAndRobustBoundsIgnoreOutliers) {
  GaussianSet set;
  set.resize(1001, 0);
  for (std::size_t i = 0; i < 1000; ++i) {
    for (int a = 0; a < 3; ++a) set.positions[i * 3 + a] = static_cast<float>(i) / 999.f;  // 0..1
  }
  for (int a = 0; a < 3; ++a) set.positions[1000 * 3 + a] = 100.f;  // one floater
  EXPECT_FLOAT_EQ(set.bounds().max[0], 100.f);
  const Bounds robust = set.robust_bounds(0.01f);
  // 1% of 1001 samples is 10 per side, so the bounds land near 0.01 and 0.99 (one sample step).
  EXPECT_NEAR(robust.min[1], 0.01f, 0.002f);
  EXPECT_NEAR(robust.max[1], 0.99f, 0.002f);
}

TEST(GaussianSet, AppendRequiresTheSameDegree) {
  GaussianSet a = test::random_gaussians(2, 1, 5), b = test::random_gaussians(3, 1, 6);
  a.append(b);
  EXPECT_EQ(a.size(), 5u);
  EXPECT_EQ(a.sh[2 * 12], b.sh[0]);
  EXPECT_THROW(a.append(test::random_gaussians(1, 2, 7)), Error);
}

}  // namespace
}  // namespace tera
