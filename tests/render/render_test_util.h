// Small scenes and helpers shared by the renderer tests.
#pragma once

#include <array>
#include <cmath>
#include <vector>

#include "tera/core/gaussian_set.h"
#include "tera/render/camera.h"
#include "tera/render/renderer.h"

namespace tera::test {

// Logit whose sigmoid is `opacity`.
inline float logit(float opacity) { return std::log(opacity / (1.f - opacity)); }

// The SH DC coefficient that gives colour `value` (colour = 0.5 + C0 * dc).
inline float dc_for(float value) { return (value - 0.5f) / kShC0; }

// Appends one isotropic Gaussian of world standard deviation `sigma`.
inline void add_isotropic(GaussianSet& set, const std::array<float, 3>& position, float sigma,
                          float opacity, const std::array<float, 3>& rgb) {
  GaussianSet one;
  one.resize(1, set.sh_degree);
  for (int a = 0; a < 3; ++a) {
    one.positions[a] = position[a];
    one.log_scales[a] = std::log(sigma);
    one.sh[a] = dc_for(rgb[a]);
  }
  one.opacity_logits[0] = logit(opacity);
  set.append(one);
}

// Renders with the CPU backend.
inline std::vector<Image> render_cpu(const GaussianSet& set, const std::vector<Camera>& cameras,
                                     const std::array<float, 3>& background, int threads = 2) {
  RenderOptions options;
  options.background = background;
  options.threads = threads;
  return make_renderer(Device::kCpu)->render(set, cameras, options);
}

inline Image render_one(const GaussianSet& set, const Camera& camera,
                        const std::array<float, 3>& background, int threads = 2) {
  return render_cpu(set, {camera}, background, threads).at(0);
}

// Projects a world point with a camera: {u, v, depth} in continuous pixel coordinates.
inline std::array<float, 3> project_point(const Camera& camera, const std::array<float, 3>& p) {
  const auto& m = camera.world_to_camera;
  float t[3];
  for (int r = 0; r < 3; ++r)
    t[r] = m[r * 4] * p[0] + m[r * 4 + 1] * p[1] + m[r * 4 + 2] * p[2] + m[r * 4 + 3];
  return {camera.fx * t[0] / t[2] + camera.cx, camera.fy * t[1] / t[2] + camera.cy, t[2]};
}

}  // namespace tera::test
