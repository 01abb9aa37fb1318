#include "render/cpu/tile_raster.h"

#include <algorithm>
#include <cmath>

namespace tera::cpu {
namespace {

constexpr int kTile = render_constants::kTileSize;
// How many list entries ahead the splat data is prefetched: enough to cover a cache miss while
// the current splat is blended.
constexpr std::size_t kPrefetchDistance = 8;

// Clamps a float pixel bound into [lo, hi] before converting it, so huge footprints stay defined.
int clamp_to_int(float value, int lo, int hi) {
  return static_cast<int>(
      std::min(static_cast<float>(hi), std::max(static_cast<float>(lo), value)));
}

}  // namespace

void rasterize_tile(const TilePixels& tile, const Splat* splats, const std::uint32_t* order,
                    std::size_t count, const float* background, Image& image) {
  float transmittance[kTile * kTile];
  float rgb[kTile * kTile * 3];
  bool done[kTile * kTile];
  int row_active[kTile];  // pixels of each row still blending
  std::fill(std::begin(transmittance), std::end(transmittance), 1.f);
  std::fill(std::begin(rgb), std::end(rgb), 0.f);
  std::fill(std::begin(done), std::end(done), false);
  std::fill(std::begin(row_active), std::end(row_active), tile.x1 - tile.x0);
  int active = (tile.x1 - tile.x0) * (tile.y1 - tile.y0);

  for (std::size_t k = 0; k < count && active > 0; ++k) {
#if defined(__GNUC__)
    if (k + kPrefetchDistance < count) __builtin_prefetch(&splats[order[k + kPrefetchDistance]]);
#endif
    const Splat& s = splats[order[k]];
    // Rows whose centre (py + 0.5) lies within half_height of the mean, with a pixel to spare.
    const int py0 = clamp_to_int(std::floor(s.mean_y - s.half_height - 1.f), tile.y0, tile.y1);
    const int py1 = clamp_to_int(std::ceil(s.mean_y + s.half_height) + 1.f, tile.y0, tile.y1);
    const float a = s.conic.a, b = s.conic.b, c = s.conic.c;
    const float limit = -2.f * s.power_cutoff;  // pixels with d^T conic d above this are skipped
    for (int py = py0; py < py1; ++py) {
      if (row_active[py - tile.y0] == 0) continue;
      const float dy = static_cast<float>(py) + 0.5f - s.mean_y;
      // On this row, a dx^2 + 2 b dy dx + c dy^2 <= limit for dx in centre -+ half_span.
      const float discriminant = b * b * dy * dy - a * (c * dy * dy - limit);
      if (!(discriminant >= 0.f)) continue;
      const float centre = -b * dy / a;
      const float half_span = std::sqrt(discriminant) / a;
      // Pixel centres px + 0.5 within the span, with a pixel to spare for rounding.
      const int px0 =
          clamp_to_int(std::floor(s.mean_x + centre - half_span - 1.5f), tile.x0, tile.x1);
      const int px1 =
          clamp_to_int(std::floor(s.mean_x + centre + half_span + 0.5f) + 1.f, tile.x0, tile.x1);
      const int row = (py - tile.y0) * kTile - tile.x0;
      for (int px = px0; px < px1; ++px) {
        const int p = row + px;
        if (done[p]) continue;
        const float dx = static_cast<float>(px) + 0.5f - s.mean_x;
        const float power = splat::gaussian_power(s.conic, dx, dy);
        if (power > 0.f || power < s.power_cutoff) continue;
        const float alpha = splat::pixel_alpha(s.opacity, power);
        if (alpha < render_constants::kMinAlpha) continue;
        if (!splat::blend_step(alpha, s.color, &rgb[p * 3], &transmittance[p])) {
          done[p] = true;
          --row_active[py - tile.y0];
          --active;
        }
      }
    }
  }

  for (int py = tile.y0; py < tile.y1; ++py) {
    for (int px = tile.x0; px < tile.x1; ++px) {
      const int p = (py - tile.y0) * kTile + (px - tile.x0);
      splat::finish_pixel(&rgb[p * 3], transmittance[p], background, image.pixel(px, py));
    }
  }
}

}  // namespace tera::cpu
