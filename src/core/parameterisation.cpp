#include "tera/core/parameterisation.h"

#include <algorithm>
#include <cmath>

#include "tera/core/rotation.h"

namespace tera {
namespace {
// Alpha is clamped to this range before the logit: keeps it finite (|logit| <= 9.2).
constexpr float kMinAlpha = 1e-4f;
constexpr float kMaxAlpha = 0.9999f;
}  // namespace

void quaternion_from_matrix(const float m[9], float q[4]) { rot::matrix_to_quat(m, q); }

float opacity_logit_from_alpha(float alpha) {
  const float a = std::clamp(alpha, kMinAlpha, kMaxAlpha);
  return std::log(a / (1.f - a));
}

}  // namespace tera
