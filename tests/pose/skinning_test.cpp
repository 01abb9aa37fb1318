// Linear blend skinning of Gaussians and forward kinematics.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "pose/pose_test_util.h"
#include "tera/core/error.h"
#include "tera/pose/skin_kernel.h"

namespace {

using tera::test::axis_degrees;
using tera::test::set_rotation;

constexpr std::size_t kCount = 4000;  // Gaussians per test: every influence pattern many times

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(Skinning, IdentityPoseLeavesEveryGaussianBitIdentical) {
  const auto skeleton = tera::test::small_skeleton();
  const auto rest = tera::test::random_gaussians(kCount, 1, 3);
  const auto skin = tera::test::random_skin(kCount, skeleton.size(), 4);
  const auto transforms = tera::forward_kinematics(skeleton, tera::Pose::rest(skeleton.size()));
  for (const auto identity : transforms.identity) EXPECT_EQ(identity, 1);
  tera::GaussianSet posed;
  tera::skin_gaussians(rest, skin, transforms, posed);
  EXPECT_TRUE(same_bits(posed.positions, rest.positions));
  EXPECT_TRUE(same_bits(posed.rotations, rest.rotations));
  EXPECT_TRUE(same_bits(posed.log_scales, rest.log_scales));
  EXPECT_TRUE(same_bits(posed.opacity_logits, rest.opacity_logits));
  EXPECT_TRUE(same_bits(posed.sh, rest.sh));
}

TEST(Skinning, ASingleRotatedBoneMovesOnlyTheGaussiansWeightedToIt) {
  const auto skeleton = tera::test::small_skeleton();
  const auto rest = tera::test::random_gaussians(kCount, 0, 5);
  const auto skin = tera::test::random_skin(kCount, skeleton.size(), 6);
  auto pose = tera::Pose::rest(skeleton.size());
  const int head = 2;  // a leaf: no other bone follows it
  set_rotation(pose, head, axis_degrees(1.f, 0.f, 0.f, 40.f));
  tera::GaussianSet posed;
  tera::skin_gaussians(rest, skin, tera::forward_kinematics(skeleton, pose), posed);
  std::size_t weighted = 0, moved = 0;
  for (std::size_t g = 0; g < kCount; ++g) {
    bool on_head = false;
    for (int i = 0; i < 4; ++i)
      on_head = on_head || (skin.bones[g * 4 + i] == head && skin.weights[g * 4 + i] > 0.f);
    const bool same =
        std::memcmp(&posed.positions[3 * g], &rest.positions[3 * g], 3 * sizeof(float)) == 0 &&
        std::memcmp(&posed.rotations[4 * g], &rest.rotations[4 * g], 4 * sizeof(float)) == 0;
    if (!on_head) {
      EXPECT_TRUE(same) << "Gaussian " << g << " has no weight on the head but moved";
    } else {
      ++weighted;
      moved += same ? 0 : 1;
    }
  }
  EXPECT_GT(weighted, kCount / 4);  // random skins put a third or more of the Gaussians on any bone
  EXPECT_EQ(moved, weighted);       // none sits exactly on the pivot axis
  EXPECT_TRUE(same_bits(posed.sh, rest.sh));
  EXPECT_TRUE(same_bits(posed.log_scales, rest.log_scales));
}

TEST(Skinning, ARigidRotationOfTheRootRotatesTheWholeSetExactly) {
  const auto skeleton = tera::test::small_skeleton();
  const auto rest = tera::test::random_gaussians(kCount, 2, 7);
  const auto skin = tera::test::random_skin(kCount, skeleton.size(), 8);
  auto pose = tera::Pose::rest(skeleton.size());
  const auto q = axis_degrees(0.f, 0.6f, 0.8f, 73.f);
  set_rotation(pose, 0, q);
  pose.root_translation = {0.2f, -0.1f, 0.3f};
  tera::GaussianSet posed;
  tera::skin_gaussians(rest, skin, tera::forward_kinematics(skeleton, pose), posed);
  const auto r = tera::test::rotation_matrix(q.data());
  const float pivot[3] = {0.f, 1.f, 0.f};
  // Float32 rounding of metre-scale coordinates through two or three products: 1e-6 relative;
  // 2e-6 m (2 micrometres) is far below anything a render shows and far above that rounding.
  constexpr double kPositionTolerance = 2e-6;
  constexpr double kRotationTolerance = 1e-6;  // entries of unit rotation matrices
  double worst = 0.0, worst_rotation = 0.0;
  for (std::size_t g = 0; g < kCount; ++g) {
    for (int a = 0; a < 3; ++a) {
      double expected = pivot[a] + pose.root_translation[static_cast<std::size_t>(a)];
      for (int b = 0; b < 3; ++b)
        expected += r[static_cast<std::size_t>(3 * a + b)] * (rest.positions[3 * g + b] - pivot[b]);
      worst = std::max(worst, std::abs(expected - posed.positions[3 * g + a]));
    }
    const auto before = tera::test::rotation_matrix(&rest.rotations[4 * g]);
    const auto after = tera::test::rotation_matrix(&posed.rotations[4 * g]);
    for (int a = 0; a < 3; ++a) {
      for (int b = 0; b < 3; ++b) {
        double expected = 0.0;
        for (int k = 0; k < 3; ++k)
          expected +=
              r[static_cast<std::size_t>(3 * a + k)] * before[static_cast<std::size_t>(3 * k + b)];
        worst_rotation = std::max(worst_rotation,
                                  std::abs(expected - after[static_cast<std::size_t>(3 * a + b)]));
      }
    }
  }
  EXPECT_LT(worst, kPositionTolerance);
  EXPECT_LT(worst_rotation, kRotationTolerance);
  EXPECT_TRUE(same_bits(posed.sh, rest.sh));
}

TEST(Skinning, BlendedRotationIsThePolarFactorOfTheBlendedTransform) {
  // Two bones turned about the same axis by 20 and 80 degrees, weights 0.5 each: the blended matrix
  // is a scaled rotation by 50 degrees, whose polar factor is exactly that rotation.
  tera::Skeleton s;
  s.names = {"root", "a", "b"};
  s.parents = {-1, 0, 0};
  s.heads = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
  auto pose = tera::Pose::rest(3);
  set_rotation(pose, 1, axis_degrees(0.f, 0.f, 1.f, 20.f));
  set_rotation(pose, 2, axis_degrees(0.f, 0.f, 1.f, 80.f));
  tera::GaussianSet rest;
  rest.resize(1, 0);
  rest.positions = {1.f, 0.f, 0.f};
  tera::GaussianSkin skin{{1, 2, 0, 0}, {0.5f, 0.5f, 0.f, 0.f}};
  tera::GaussianSet posed;
  tera::skin_gaussians(rest, skin, tera::forward_kinematics(s, pose), posed);
  const auto expected = axis_degrees(0.f, 0.f, 1.f, 50.f);
  const float sign = posed.rotations[0] < 0.f ? -1.f : 1.f;
  for (int k = 0; k < 4; ++k)
    EXPECT_NEAR(sign * posed.rotations[static_cast<std::size_t>(k)],
                expected[static_cast<std::size_t>(k)], 1e-6);
  // The centre is the plain blend: (cos 20 + cos 80, sin 20 + sin 80) / 2 (linear blend skinning
  // pulls it inside the arc, which is the method, not an error).
  EXPECT_NEAR(posed.positions[0], 0.5 * (std::cos(20 * M_PI / 180) + std::cos(80 * M_PI / 180)),
              1e-6);
  EXPECT_NEAR(posed.positions[1], 0.5 * (std::sin(20 * M_PI / 180) + std::sin(80 * M_PI / 180)),
              1e-6);
}

// Float64 polar factor by Newton's iteration run to convergence: the reference for the kernel.
std::array<double, 9> reference_polar(const float* m) {
  std::array<double, 9> x{};
  std::copy(m, m + 9, x.begin());
  for (int it = 0; it < 60; ++it) {  // quadratic convergence: far more than float64 needs
    const double c[9] = {
        x[4] * x[8] - x[5] * x[7], x[5] * x[6] - x[3] * x[8], x[3] * x[7] - x[4] * x[6],
        x[2] * x[7] - x[1] * x[8], x[0] * x[8] - x[2] * x[6], x[1] * x[6] - x[0] * x[7],
        x[1] * x[5] - x[2] * x[4], x[2] * x[3] - x[0] * x[5], x[0] * x[4] - x[1] * x[3]};
    const double det = x[0] * c[0] + x[1] * c[1] + x[2] * c[2];
    for (int k = 0; k < 9; ++k)
      x[static_cast<std::size_t>(k)] = 0.5 * (x[static_cast<std::size_t>(k)] + c[k] / det);
  }
  return x;
}

TEST(Skinning, PolarFactorMatchesAFloat64ReferenceOnRandomBlends) {
  // 20k blends of 1-4 rotations about nearby axes by up to 86 degrees either way, random weights:
  // harder than any skin (neighbouring bones differ by far less).
  tera::Rng rng(11);
  double worst = 0.0;
  for (int n = 0; n < 20000; ++n) {
    const int count = 1 + static_cast<int>(rng.below(4));
    float weights[4], sum = 0.f;
    for (int i = 0; i < count; ++i) sum += (weights[i] = 0.05f + rng.uniform());
    const float axis[3] = {rng.uniform(-1.f, 1.f), rng.uniform(-1.f, 1.f), rng.uniform(-1.f, 1.f)};
    float blend[9] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
    for (int i = 0; i < count; ++i) {
      float a[3];
      for (int k = 0; k < 3; ++k) a[k] = axis[k] + rng.uniform(-0.5f, 0.5f);
      const float length = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
      const auto q =
          axis_degrees(a[0] / length, a[1] / length, a[2] / length, rng.uniform(-86.f, 86.f));
      const auto r = tera::test::rotation_matrix(q.data());
      for (int k = 0; k < 9; ++k)
        blend[k] += weights[i] / sum * static_cast<float>(r[static_cast<std::size_t>(k)]);
    }
    const auto expected = reference_polar(blend);
    tera::skin::polar_rotation(blend);
    for (int k = 0; k < 9; ++k)
      worst = std::max(worst, std::abs(expected[static_cast<std::size_t>(k)] - blend[k]));
  }
  // 1e-6 on unit rotation-matrix entries: a few float32 roundings, far below anything a render
  // shows.
  EXPECT_LT(worst, 1e-6);
}

TEST(Skinning, ResultDoesNotDependOnTheThreadCount) {
  const auto skeleton = tera::test::small_skeleton();
  constexpr std::size_t kMany = 40000;  // several threads' worth (8192 per thread at least)
  const auto rest = tera::test::random_gaussians(kMany, 0, 9);
  const auto skin = tera::test::random_skin(kMany, skeleton.size(), 10);
  auto pose = tera::Pose::rest(skeleton.size());
  set_rotation(pose, 1, axis_degrees(0.f, 0.f, 1.f, 30.f));
  set_rotation(pose, 3, axis_degrees(1.f, 0.f, 0.f, -50.f));
  const auto transforms = tera::forward_kinematics(skeleton, pose);
  tera::GaussianSet one, four;
  tera::skin_gaussians(rest, skin, transforms, one, {tera::Device::kCpu, 1});
  tera::skin_gaussians(rest, skin, transforms, four, {tera::Device::kCpu, 4});
  EXPECT_TRUE(same_bits(one.positions, four.positions));
  EXPECT_TRUE(same_bits(one.rotations, four.rotations));
}

TEST(Skinning, MismatchedSkinAndBadBonesAreErrors) {
  const auto skeleton = tera::test::small_skeleton();
  const auto transforms = tera::forward_kinematics(skeleton, tera::Pose::rest(skeleton.size()));
  const auto rest = tera::test::random_gaussians(10, 0, 1);
  tera::GaussianSet posed;
  EXPECT_THROW(tera::skin_gaussians(rest, tera::test::random_skin(9, 5, 1), transforms, posed),
               tera::Error);
  auto skin = tera::test::random_skin(10, 5, 1);
  skin.bones[7] = 5;
  EXPECT_THROW(tera::skin_gaussians(rest, skin, transforms, posed), tera::Error);
  EXPECT_THROW(tera::forward_kinematics(skeleton, tera::Pose::rest(4)), tera::Error);
}

TEST(ForwardKinematics, ChildrenFollowTheirParentAboutItsHead) {
  const auto skeleton = tera::test::small_skeleton();
  auto pose = tera::Pose::rest(skeleton.size());
  set_rotation(
      pose, 1,
      axis_degrees(0.f, 0.f, 1.f, 90.f));  // spine turns 90 degrees about +z at (0, 1.3, 0)
  const auto heads = tera::posed_heads(skeleton, tera::forward_kinematics(skeleton, pose));
  // The head bone (0, 1.6, 0) is 0.3 above the spine's pivot: +y turns into -x.
  EXPECT_NEAR(heads[6], -0.3f, 1e-6);
  EXPECT_NEAR(heads[7], 1.3f, 1e-6);
  EXPECT_NEAR(heads[9], 0.1f, 1e-7);  // the leg does not follow the spine
}

TEST(ForwardKinematics, InterpolationSlerpsEveryJointRotation) {
  const auto skeleton = tera::test::small_skeleton();
  const auto rest = tera::Pose::rest(skeleton.size());
  auto target = rest;
  set_rotation(target, 3, axis_degrees(1.f, 0.f, 0.f, 120.f));
  target.root_translation = {0.f, -0.4f, 0.f};
  const auto half = tera::interpolate_poses(rest, target, 0.5f);
  const auto expected = axis_degrees(1.f, 0.f, 0.f, 60.f);
  for (int k = 0; k < 4; ++k)
    EXPECT_NEAR(half.rotations[12 + static_cast<std::size_t>(k)],
                expected[static_cast<std::size_t>(k)], 1e-6);
  EXPECT_NEAR(half.root_translation[1], -0.2f, 1e-7);
  const auto end = tera::interpolate_poses(rest, target, 1.f);
  for (std::size_t k = 0; k < target.rotations.size(); ++k)
    EXPECT_NEAR(end.rotations[k], target.rotations[k], 1e-7);
}

TEST(GaussianSkin, LooksUpTheTexelsWeights) {
  tera::AvatarTemplate t;
  t.texel = {0, 5};
  t.bones = {1, 2, 0, 0, 3, 0, 0, 0};
  t.weights = {0.75f, 0.25f, 0.f, 0.f, 1.f, 0.f, 0.f, 0.f};
  tera::GaussianOrigins origins{{1, 0, 1}, {0, 1, 2}};
  const auto skin = tera::gaussian_skin(t, origins);
  ASSERT_EQ(skin.size(), 3u);
  EXPECT_EQ(skin.bones[0], 3);
  EXPECT_EQ(skin.bones[4], 1);
  EXPECT_EQ(skin.weights[5], 0.25f);
  origins.texel[1] = 2;
  EXPECT_THROW(tera::gaussian_skin(t, origins), tera::ModelError);
}

}  // namespace
