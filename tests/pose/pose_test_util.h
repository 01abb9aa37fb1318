// A small skeleton and skinned Gaussians for the pose tests.
#pragma once

#include <cmath>

#include "support/test_support.h"
#include "tera/core/rng.h"
#include "tera/pose/skeleton.h"
#include "tera/pose/skinning.h"

namespace tera::test {

// root (0, 1, 0) -> spine (0, 1.3, 0) -> head (0, 1.6, 0); root -> leg (0.1, 0.9, 0) -> foot (0.1,
// 0.1, 0.1).
inline Skeleton small_skeleton() {
  Skeleton s;
  s.names = {"root", "spine", "head", "leg", "foot"};
  s.parents = {-1, 0, 1, 0, 3};
  s.heads = {0.f, 1.f, 0.f, 0.f, 1.3f, 0.f, 0.f, 1.6f, 0.f, 0.1f, 0.9f, 0.f, 0.1f, 0.1f, 0.1f};
  return s;
}

// Random skin: every Gaussian gets 1 to 4 distinct bones of `bones` with weights summing to 1,
// sorted non-increasing as in the template; unused influences have bone 0 and weight 0.
inline GaussianSkin random_skin(std::size_t n, int bones, std::uint64_t seed) {
  Rng rng(seed);
  GaussianSkin skin;
  skin.bones.assign(n * 4, 0);
  skin.weights.assign(n * 4, 0.f);
  for (std::size_t g = 0; g < n; ++g) {
    const int count = 1 + static_cast<int>(rng.below(4));
    float w[4] = {0.f, 0.f, 0.f, 0.f}, sum = 0.f;
    for (int i = 0; i < count; ++i) sum += (w[i] = 0.1f + rng.uniform());
    std::sort(w, w + count, [](float a, float b) { return a > b; });
    int used[4] = {-1, -1, -1, -1};
    for (int i = 0; i < count; ++i) {
      int b = 0;
      do b = static_cast<int>(rng.below(static_cast<std::uint64_t>(bones)));
      while (std::find(used, used + i, b) != used + i);
      used[i] = b;
      skin.bones[g * 4 + static_cast<std::size_t>(i)] = static_cast<std::uint16_t>(b);
      skin.weights[g * 4 + static_cast<std::size_t>(i)] = w[i] / sum;
    }
  }
  return skin;
}

// Quaternion [4] of `degrees` about the unit axis (x, y, z).
inline std::array<float, 4> axis_degrees(float x, float y, float z, float degrees) {
  const float half = 0.5f * degrees * static_cast<float>(M_PI) / 180.f;
  return {std::cos(half), x * std::sin(half), y * std::sin(half), z * std::sin(half)};
}

inline void set_rotation(Pose& pose, int bone, const std::array<float, 4>& q) {
  std::copy(q.begin(), q.end(), pose.rotations.begin() + 4 * bone);
}

}  // namespace tera::test
