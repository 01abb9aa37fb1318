#include "tera/core/parameterisation.h"

#include <algorithm>
#include <cmath>

namespace tera {
namespace {
// Alpha is clamped to this range before the logit: keeps it finite (|logit| <= 9.2).
constexpr float kMinAlpha = 1e-4f;
constexpr float kMaxAlpha = 0.9999f;
}  // namespace

void quaternion_from_matrix(const float m[9], float q[4]) {
  // Shepperd's method: pick the largest of w, x, y, z to divide by (numerically stable).
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

float opacity_logit_from_alpha(float alpha) {
  const float a = std::clamp(alpha, kMinAlpha, kMaxAlpha);
  return std::log(a / (1.f - a));
}

}  // namespace tera
