// The CPU renderer's packed form of a projected Gaussian, with the bounds it uses to skip work.
#pragma once

#include <cmath>

#include "render/cpu/project.h"

namespace tera::cpu {

// One visible Gaussian for one camera, packed for the blending loop.
struct Splat {
  float mean_x, mean_y;  // projected centre, continuous pixel coordinates
  splat::Sym2 conic;     // inverse 2D covariance
  float opacity;         // sigmoid of the logit
  float color[3];        // SH colour for this view
  // Every pixel whose power is below this, or whose centre lies farther from the mean than
  // half_width / half_height along x / y, has alpha < kMinAlpha for certain (with margin), so
  // skipping it leaves the image bit-for-bit unchanged.
  float power_cutoff;
  float half_width, half_height;
};

// Relative margin on the cut-offs: far above float rounding of exp/log (~1e-7), far below any
// visible effect.
constexpr float kCutoffMargin = 1e-3f;

// Packs a projected Gaussian; returns false when its opacity is below kMinAlpha (then no pixel
// can receive alpha >= kMinAlpha, since exp(power) <= 1).
inline bool make_splat(const splat::Projected& p, Splat* out) {
  if (!(p.opacity >= render_constants::kMinAlpha)) return false;
  // alpha >= kMinAlpha needs power >= log(kMinAlpha / opacity) =: -q / 2 (q >= 0), i.e.
  // d^T Sigma'^-1 d <= q, whose extent along x is sqrt(q * Sigma'_xx).
  const float log_ratio = std::log(render_constants::kMinAlpha / p.opacity);
  const float q = -2.f * log_ratio * (1.f + kCutoffMargin) + kCutoffMargin;
  out->mean_x = p.mean_x;
  out->mean_y = p.mean_y;
  out->conic = p.conic;
  out->opacity = p.opacity;
  for (int c = 0; c < 3; ++c) out->color[c] = p.color[c];
  out->power_cutoff = -0.5f * q;
  out->half_width = std::sqrt(q * p.cov.a);
  out->half_height = std::sqrt(q * p.cov.c);
  return true;
}

}  // namespace tera::cpu
