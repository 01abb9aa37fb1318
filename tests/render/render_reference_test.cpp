// The CPU renderer against a direct evaluation of the 3DGS rules, pixel by pixel: every visible
// Gaussian, in depth order, whose 3-sigma tile rectangle holds the pixel's tile, blended with
// the shared per-Gaussian math. The renderer's shortcuts (opacity-aware bounds, tile and row
// culling, early tile exit) must not change a single bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include "render/render_test_util.h"
#include "render/splat_math.h"
#include "support/test_support.h"

namespace tera {
namespace {

Image reference_render(const GaussianSet& set, const Camera& camera,
                       const std::array<float, 3>& background) {
  const splat::ViewParams view = splat::make_view_params(camera);
  const int tile = render_constants::kTileSize;
  const int tiles_x = (camera.width + tile - 1) / tile, tiles_y = (camera.height + tile - 1) / tile;
  struct Visible {
    splat::Projected p;
    splat::TileRect rect;
  };
  std::vector<Visible> visible;
  const int k3 = set.sh_coeffs() * 3;
  for (std::size_t i = 0; i < set.size(); ++i) {
    Visible v;
    if (splat::project_gaussian(view, &set.positions[i * 3], &set.log_scales[i * 3],
                                &set.rotations[i * 4], set.opacity_logits[i], set.sh_degree,
                                &set.sh[i * k3], &v.p)) {
      v.rect = splat::tile_rect(v.p.mean_x, v.p.mean_y, v.p.radius, tiles_x, tiles_y);
      visible.push_back(v);
    }
  }
  // Depth order; ties keep index order.
  std::stable_sort(visible.begin(), visible.end(),
                   [](const Visible& a, const Visible& b) { return a.p.depth < b.p.depth; });
  Image image(camera.width, camera.height);
  for (int y = 0; y < camera.height; ++y) {
    for (int x = 0; x < camera.width; ++x) {
      float rgb[3] = {0.f, 0.f, 0.f};
      float transmittance = 1.f;
      const int tx = x / tile, ty = y / tile;
      for (const Visible& v : visible) {
        if (tx < v.rect.x0 || tx >= v.rect.x1 || ty < v.rect.y0 || ty >= v.rect.y1) continue;
        const float power =
            splat::gaussian_power(v.p.conic, static_cast<float>(x) + 0.5f - v.p.mean_x,
                                  static_cast<float>(y) + 0.5f - v.p.mean_y);
        if (power > 0.f) continue;
        const float alpha = splat::pixel_alpha(v.p.opacity, power);
        if (alpha < render_constants::kMinAlpha) continue;
        if (!splat::blend_step(alpha, v.p.color, rgb, &transmittance)) break;
      }
      splat::finish_pixel(rgb, transmittance, background.data(), image.pixel(x, y));
    }
  }
  return image;
}

TEST(RenderReference, TileRendererEqualsPerPixelEvaluationBitForBit) {
  // Tilted, strongly anisotropic Gaussians (the case the ellipse and row culling prune most)
  // with opacities from faint to opaque, SH degree 2, in an image that is not a whole number of
  // tiles, from an oblique camera.
  GaussianSet set = test::random_gaussians(3000, 2, 11);
  for (std::size_t i = 0; i < set.size(); ++i) {
    set.log_scales[i * 3 + 0] += 1.5f;
    set.log_scales[i * 3 + 2] -= 1.f;
  }
  const Camera camera = look_at({1.5f, 1.f, 3.f}, {0.f, 0.f, 0.f}, 90, 70, 50.f);
  const std::array<float, 3> background{0.1f, 0.5f, 0.9f};
  const Image expected = reference_render(set, camera, background);
  const Image rendered = test::render_one(set, camera, background, 2);
  ASSERT_EQ(rendered.rgba.size(), expected.rgba.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < expected.rgba.size(); ++i)
    differing += rendered.rgba[i] != expected.rgba[i];
  EXPECT_EQ(differing, 0u);
  // The scene is not trivially empty or trivially opaque.
  double coverage = 0.0;
  for (std::size_t i = 3; i < expected.rgba.size(); i += 4) coverage += expected.rgba[i];
  EXPECT_GT(coverage, 0.2 * 90 * 70);
  EXPECT_LT(coverage, 0.999 * 90 * 70);
}

}  // namespace
}  // namespace tera
