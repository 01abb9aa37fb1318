// Linear blend skinning of one Gaussian: the per-element work shared by the CPU loop and a future
// CUDA kernel (TERA_HOST_DEVICE), so both backends compute the same numbers.
//   centre:   x' = x + sum_i w_i ((R_i - I) x + t_i)      (exactly x when every R_i = I, t_i = 0)
//   rotation: q' = polar(sum_i w_i R_i) * q              (the rotation part of the blended map)
// Log-scales, opacity and colour do not change.
#pragma once

#include <cmath>
#include <cstdint>

#include "tera/core/rotation.h"

namespace tera::skin {

constexpr int kInfluences = 4;  // bones per Gaussian (the template's skin influences)
constexpr int kMaxPolarIterations =
    8;  // Newton steps for the polar factor; 3-5 suffice for real poses
constexpr float kPolarStepStop = 1e-4f;  // last Newton step: the next would move entries ~1e-8

// Orthogonal polar factor of a row-major [9] matrix, in place (Newton: X <- (X + X^-T) / 2).
// Newton converges quadratically, so once a step moves no entry by more than kPolarStepStop the
// next would move them by about its square (1e-8): the loop stops there. Against a float64
// reference on 200k blends of 1-4 rotations up to 86 degrees apart the worst entry is 1.7e-7.
// A singular matrix (blended rotations that cancel) is left as it is.
TERA_HOST_DEVICE inline void polar_rotation(float* m) {
  for (int it = 0; it < kMaxPolarIterations; ++it) {
    // Cofactor matrix c: X^-T = c / det.
    const float c[9] = {
        m[4] * m[8] - m[5] * m[7], m[5] * m[6] - m[3] * m[8], m[3] * m[7] - m[4] * m[6],
        m[2] * m[7] - m[1] * m[8], m[0] * m[8] - m[2] * m[6], m[1] * m[6] - m[0] * m[7],
        m[1] * m[5] - m[2] * m[4], m[2] * m[3] - m[0] * m[5], m[0] * m[4] - m[1] * m[3]};
    const float det = m[0] * c[0] + m[1] * c[1] + m[2] * c[2];
    if (!(std::fabs(det) > 1e-12f)) return;
    const float half_inverse_det = 0.5f / det;
    float change = 0.f;
    for (int k = 0; k < 9; ++k) {
      const float next = 0.5f * m[k] + half_inverse_det * c[k];
      const float moved = std::fabs(next - m[k]);
      change = moved > change ? moved : change;  // not std::fmax: a library call in the hot loop
      m[k] = next;
    }
    if (change <= kPolarStepStop) return;
  }
}

// One Gaussian. position [3], rotation [4] in; bones [4], weights [4] its influences;
// bone_rotation [B, 9], bone_quaternion [B, 4], bone_translation [B, 3], bone_identity [B];
// out_position [3], out_rotation [4] (may alias position and rotation).
TERA_HOST_DEVICE inline void skin_gaussian(const float* position, const float* rotation,
                                           const std::uint16_t* bones, const float* weights,
                                           const float* bone_rotation, const float* bone_quaternion,
                                           const float* bone_translation,
                                           const std::uint8_t* bone_identity, float* out_position,
                                           float* out_rotation) {
  const float x[3] = {position[0], position[1], position[2]};
  float delta[3] = {0.f, 0.f, 0.f};
  float blend[9] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
  int moving = 0;            // influences with weight > 0 whose transform is not the identity
  int first = -1;            // the first influence with weight > 0
  bool one_rotation = true;  // every weighted influence has the same rotation (bitwise)
  for (int i = 0; i < kInfluences; ++i) {
    const float w = weights[i];
    if (!(w > 0.f)) continue;
    const int b = bones[i];
    const float* r = bone_rotation + 9 * b;
    if (first < 0) {
      first = b;
    } else {
      const float* q0 = bone_quaternion + 4 * first;
      const float* q1 = bone_quaternion + 4 * b;
      one_rotation =
          one_rotation && q0[0] == q1[0] && q0[1] == q1[1] && q0[2] == q1[2] && q0[3] == q1[3];
    }
    for (int k = 0; k < 9; ++k) blend[k] += w * r[k];
    if (bone_identity[b]) continue;
    ++moving;
    const float* t = bone_translation + 3 * b;
    float rx[3];
    rot::mat_vec(r, x, rx);
    for (int k = 0; k < 3; ++k) delta[k] += w * ((rx[k] - x[k]) + t[k]);
  }
  for (int k = 0; k < 3; ++k) out_position[k] = x[k] + delta[k];
  const float q[4] = {rotation[0], rotation[1], rotation[2], rotation[3]};
  if (moving == 0 || first < 0) {
    for (int k = 0; k < 4; ++k) out_rotation[k] = q[k];
    return;
  }
  float qb[4];
  if (one_rotation) {
    for (int k = 0; k < 4; ++k) qb[k] = bone_quaternion[4 * first + k];
  } else {
    polar_rotation(blend);
    rot::matrix_to_quat(blend, qb);
  }
  rot::quat_multiply(qb, q, out_rotation);
}

}  // namespace tera::skin
