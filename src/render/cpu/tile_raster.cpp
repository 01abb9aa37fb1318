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
  return static_cast<int>(std::min(static_cast<float>(hi), std::max(static_cast<float>(lo), value)));
}

}  // namespace

void rasterize_tile(const TilePixels& tile, const Splat* splats, const std::uint64_t* keys,
                    std::size_t count, const float* background, Image& image) {
  float transmittance[kTile * kTile];
  float rgb[kTile * kTile * 3];
  bool done[kTile * kTile];
  std::fill(std::begin(transmittance), std::end(transmittance), 1.f);
  std::fill(std::begin(rgb), std::end(rgb), 0.f);
  std::fill(std::begin(done), std::end(done), false);
  int active = (tile.x1 - tile.x0) * (tile.y1 - tile.y0);

  for (std::size_t k = 0; k < count && active > 0; ++k) {
#if defined(__GNUC__)
    if (k + kPrefetchDistance < count) {
      __builtin_prefetch(&splats[static_cast<std::uint32_t>(keys[k + kPrefetchDistance])]);
    }
#endif
    const Splat& s = splats[static_cast<std::uint32_t>(keys[k])];
    // Pixels whose centre (px + 0.5) lies within half_width of the mean, with half a pixel spare.
    const int px0 = clamp_to_int(std::floor(s.mean_x - s.half_width - 1.f), tile.x0, tile.x1);
    const int px1 = clamp_to_int(std::ceil(s.mean_x + s.half_width) + 1.f, tile.x0, tile.x1);
    const int py0 = clamp_to_int(std::floor(s.mean_y - s.half_height - 1.f), tile.y0, tile.y1);
    const int py1 = clamp_to_int(std::ceil(s.mean_y + s.half_height) + 1.f, tile.y0, tile.y1);
    for (int py = py0; py < py1; ++py) {
      const float dy = static_cast<float>(py) + 0.5f - s.mean_y;
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
