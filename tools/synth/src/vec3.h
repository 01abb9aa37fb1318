// Small 3-vector helpers for the teacher's geometry code (float, array-based).
#pragma once

#include <array>
#include <cmath>

namespace tera::synth {

using Vec3 = std::array<float, 3>;

inline Vec3 operator+(const Vec3& a, const Vec3& b) {
  return {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
}
inline Vec3 operator-(const Vec3& a, const Vec3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
inline Vec3 operator*(const Vec3& a, float s) { return {a[0] * s, a[1] * s, a[2] * s}; }
inline float dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
inline Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
inline float length(const Vec3& a) { return std::sqrt(dot(a, a)); }
// Unit vector along a; returns `fallback` when a is (nearly) zero.
inline Vec3 normalized(const Vec3& a, const Vec3& fallback = {0.f, 0.f, 1.f}) {
  const float n = length(a);
  return n > 1e-12f ? a * (1.f / n) : fallback;  // 1e-12: far below any mesh edge length
}
// Reads row i of a [N, 3] float array.
inline Vec3 row3(const float* data, std::size_t i) {
  return {data[3 * i], data[3 * i + 1], data[3 * i + 2]};
}

}  // namespace tera::synth
