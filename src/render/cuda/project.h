// Stage 1: project every Gaussian into every view of a batch, evaluate its SH colour for that view
// and count the tiles it touches.
#pragma once

#include "render/cuda/splat_types.h"
#include "render/splat_math.h"

namespace tera::cuda {

// splats: device arrays of N Gaussians; views: [V] device array; grid: the batch's tile grid.
// Fills every [V, N] array of `out` (device memory); tile_offsets gets the per-entry tile count.
void launch_project(const SplatInputs& splats, const splat::ViewParams* views, int view_count,
                    const TileGrid& grid, const ProjectedSplats& out);

}  // namespace tera::cuda
