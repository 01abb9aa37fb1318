// Stage 4: front-to-back blending, one 16x16 thread block per (tile, view), Gaussians staged
// through shared memory in batches of 256.
#pragma once

#include <cstdint>

#include "render/cuda/splat_types.h"
#include "render/cuda/tile_keys.h"

namespace tera::cuda {

// projected: the batch's projected entries; ranges: [V, tile_count] from launch_tile_ranges;
// sorted_entries: [pairs] entry index per sorted pair; background: [3] RGB.
// Writes rgba: [V, height, width, 4] (RGB over the background, alpha = 1 - transmittance).
void launch_rasterize(const ProjectedSplats& projected, const TileRange* ranges,
                      const std::uint32_t* sorted_entries, int view_count, const TileGrid& grid,
                      const float* background, float* rgba);

}  // namespace tera::cuda
