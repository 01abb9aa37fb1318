// Helpers shared by the I/O tests: raw file access and comparisons of Gaussian sets.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tera/core/gaussian_set.h"

namespace tera::test {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void spit(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline float f32_at(const std::string& bytes, std::size_t offset) {
  float value = 0.f;
  std::uint32_t bits = 0;
  for (int b = 3; b >= 0; --b)
    bits = (bits << 8) | static_cast<unsigned char>(bytes.at(offset + b));
  std::memcpy(&value, &bits, 4);
  return value;
}

inline std::uint32_t u32_at(const std::string& bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (int b = 3; b >= 0; --b)
    value = (value << 8) | static_cast<unsigned char>(bytes.at(offset + b));
  return value;
}

inline void append_f32(std::string& out, float value) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, 4);
  for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>(bits >> (8 * b)));
}

inline float sigmoid_ref(float x) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x))));
}

// Quaternion i of a set, normalised and with w >= 0 (q and -q are the same rotation).
inline std::vector<float> unit_quaternion(const GaussianSet& set, std::size_t i) {
  const float* q = &set.rotations[i * 4];
  const float norm = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  const float sign = q[0] < 0.f ? -1.f : 1.f;
  return {sign * q[0] / norm, sign * q[1] / norm, sign * q[2] / norm, sign * q[3] / norm};
}

// Per-attribute tolerances of a round trip, each justified by the format's quantisation.
struct Tolerances {
  float position = 0.f;
  float log_scale = 0.f;
  float alpha = 0.f;       // compared after sigmoid
  float dc = 0.f;          // f_dc
  float sh_rest = 0.f;     // higher SH coefficients
  float quaternion = 0.f;  // per component of the normalised quaternion, sign-aligned
};

// Expects `got` to equal `want` element by element within the tolerances (same order).
inline void expect_sets_near(const GaussianSet& want, const GaussianSet& got,
                             const Tolerances& tol) {
  ASSERT_EQ(got.size(), want.size());
  ASSERT_EQ(got.sh_degree, want.sh_degree);
  const int k = want.sh_coeffs();
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("Gaussian " + std::to_string(i));
    for (int a = 0; a < 3; ++a) {
      ASSERT_NEAR(got.positions[i * 3 + a], want.positions[i * 3 + a], tol.position);
      ASSERT_NEAR(got.log_scales[i * 3 + a], want.log_scales[i * 3 + a], tol.log_scale);
    }
    ASSERT_NEAR(sigmoid_ref(got.opacity_logits[i]), sigmoid_ref(want.opacity_logits[i]), tol.alpha);
    const auto qw = unit_quaternion(want, i);
    const auto qg = unit_quaternion(got, i);
    for (int a = 0; a < 4; ++a) ASSERT_NEAR(qg[a], qw[a], tol.quaternion) << "component " << a;
    for (int j = 0; j < k; ++j) {
      for (int c = 0; c < 3; ++c) {
        const std::size_t index = (i * k + j) * 3 + c;
        ASSERT_NEAR(got.sh[index], want.sh[index], j == 0 ? tol.dc : tol.sh_rest)
            << "coefficient " << j << " channel " << c;
      }
    }
  }
}

}  // namespace tera::test
