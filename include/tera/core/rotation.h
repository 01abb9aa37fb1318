// Rotation helpers shared by every stage: (w, x, y, z) quaternions and row-major 3x3 matrices.
// Header-only and free of the standard library beyond <cmath>, so a CUDA kernel can use them too
// (TERA_HOST_DEVICE).
#pragma once

#include <cmath>

#if defined(__CUDACC__)
#define TERA_HOST_DEVICE __host__ __device__
#else
#define TERA_HOST_DEVICE
#endif

namespace tera::rot {

// Hamilton product out = a * b of (w, x, y, z) quaternions [4]; out may not alias a or b.
TERA_HOST_DEVICE inline void quat_multiply(const float* a, const float* b, float* out) {
  out[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
  out[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
  out[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
  out[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
}

// Row-major rotation matrix [9] of a unit quaternion [4].
TERA_HOST_DEVICE inline void quat_to_matrix(const float* q, float* m) {
  const float w = q[0], x = q[1], y = q[2], z = q[3];
  m[0] = 1.f - 2.f * (y * y + z * z);
  m[1] = 2.f * (x * y - w * z);
  m[2] = 2.f * (x * z + w * y);
  m[3] = 2.f * (x * y + w * z);
  m[4] = 1.f - 2.f * (x * x + z * z);
  m[5] = 2.f * (y * z - w * x);
  m[6] = 2.f * (x * z - w * y);
  m[7] = 2.f * (y * z + w * x);
  m[8] = 1.f - 2.f * (x * x + y * y);
}

// out = m * v for a row-major [9] matrix and a [3] vector; out may not alias v.
TERA_HOST_DEVICE inline void mat_vec(const float* m, const float* v, float* out) {
  out[0] = m[0] * v[0] + m[1] * v[1] + m[2] * v[2];
  out[1] = m[3] * v[0] + m[4] * v[1] + m[5] * v[2];
  out[2] = m[6] * v[0] + m[7] * v[1] + m[8] * v[2];
}

// Quaternion (w, x, y, z) [4] of a proper rotation matrix [9] (Shepperd's method: divides by the
// largest of w, x, y, z, which is numerically stable).
TERA_HOST_DEVICE inline void matrix_to_quat(const float* m, float* q) {
  const float trace = m[0] + m[4] + m[8];
  if (trace > 0.f) {
    const float s = 2.f * std::sqrt(trace + 1.f);
    q[0] = 0.25f * s;
    q[1] = (m[7] - m[5]) / s;
    q[2] = (m[2] - m[6]) / s;
    q[3] = (m[3] - m[1]) / s;
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const float s = 2.f * std::sqrt(1.f + m[0] - m[4] - m[8]);
    q[0] = (m[7] - m[5]) / s;
    q[1] = 0.25f * s;
    q[2] = (m[1] + m[3]) / s;
    q[3] = (m[2] + m[6]) / s;
  } else if (m[4] > m[8]) {
    const float s = 2.f * std::sqrt(1.f + m[4] - m[0] - m[8]);
    q[0] = (m[2] - m[6]) / s;
    q[1] = (m[1] + m[3]) / s;
    q[2] = 0.25f * s;
    q[3] = (m[5] + m[7]) / s;
  } else {
    const float s = 2.f * std::sqrt(1.f + m[8] - m[0] - m[4]);
    q[0] = (m[3] - m[1]) / s;
    q[1] = (m[2] + m[6]) / s;
    q[2] = (m[5] + m[7]) / s;
    q[3] = 0.25f * s;
  }
}

// Quaternion [4] of a rotation by `radians` about a unit axis [3].
inline void quat_from_axis_angle(const float* axis, float radians, float* q) {
  const float s = std::sin(0.5f * radians);
  q[0] = std::cos(0.5f * radians);
  q[1] = axis[0] * s;
  q[2] = axis[1] * s;
  q[3] = axis[2] * s;
}

// Spherical interpolation from a (t = 0) to b (t = 1) along the shorter arc; unit quaternions [4].
inline void quat_slerp(const float* a, const float* b, float t, float* out) {
  double d = 0.0;
  for (int k = 0; k < 4; ++k) d += static_cast<double>(a[k]) * b[k];
  const double sign = d < 0.0 ? -1.0 : 1.0;  // q and -q are the same rotation: take the short way
  d *= sign;
  double wa = 1.0 - t, wb = t;
  constexpr double kLinearBelow = 1e-6;  // nearly equal rotations: lerp avoids dividing by sin(~0)
  if (1.0 - d > kLinearBelow) {
    const double angle = std::acos(d < 1.0 ? d : 1.0);
    wa = std::sin((1.0 - t) * angle) / std::sin(angle);
    wb = std::sin(t * angle) / std::sin(angle);
  }
  double norm = 0.0;
  double r[4];
  for (int k = 0; k < 4; ++k) {
    r[k] = wa * a[k] + wb * sign * b[k];
    norm += r[k] * r[k];
  }
  norm = std::sqrt(norm);
  for (int k = 0; k < 4; ++k) out[k] = static_cast<float>(r[k] / norm);
}

}  // namespace tera::rot
