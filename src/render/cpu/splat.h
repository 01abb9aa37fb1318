// The CPU renderer's packed form of a projected Gaussian, with the bounds it uses to skip work.
#pragma once

#include <algorithm>
#include <cmath>

#include "render/splat_math.h"

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

// Whether some pixel centre in [x0, x1) x [y0, y1) (pixel indices) can get alpha >= kMinAlpha
// from `s`: the smallest d^T conic d over the rectangle of pixel centres (widened by half a pixel
// for rounding) is compared with the cut-off. Used to drop tiles that a tilted, elongated
// footprint's bounding box touches but the footprint itself does not.
inline bool reaches_rect(const Splat& s, int x0, int y0, int x1, int y1) {
  constexpr float kSlack = 0.5f;  // pixels of extra margin against rounding in the test below
  const float dx0 = static_cast<float>(x0) + 0.5f - kSlack - s.mean_x;
  const float dx1 = static_cast<float>(x1) - 0.5f + kSlack - s.mean_x;
  const float dy0 = static_cast<float>(y0) + 0.5f - kSlack - s.mean_y;
  const float dy1 = static_cast<float>(y1) - 0.5f + kSlack - s.mean_y;
  if (dx0 <= 0.f && dx1 >= 0.f && dy0 <= 0.f && dy1 >= 0.f) return true;  // the mean is inside
  const float a = s.conic.a, b = s.conic.b, c = s.conic.c;
  const float limit = -2.f * s.power_cutoff;  // reachable when d^T conic d <= limit
  // On an edge dx = X the form a X^2 + 2 b X dy + c dy^2 is smallest at dy = -b X / c (clamped).
  auto edge_x = [&](float x) {
    const float dy = std::min(dy1, std::max(dy0, -b * x / c));
    return a * x * x + 2.f * b * x * dy + c * dy * dy;
  };
  auto edge_y = [&](float y) {
    const float dx = std::min(dx1, std::max(dx0, -b * y / a));
    return a * dx * dx + 2.f * b * dx * y + c * y * y;
  };
  const float smallest =
      std::min(std::min(edge_x(dx0), edge_x(dx1)), std::min(edge_y(dy0), edge_y(dy1)));
  return smallest <= limit;
}

}  // namespace tera::cpu
