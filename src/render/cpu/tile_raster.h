// Front-to-back blending of one 16x16 tile on the CPU.
#pragma once

#include <cstddef>
#include <cstdint>

#include "render/cpu/splat.h"
#include "tera/render/image.h"

namespace tera::cpu {

// Pixel range of one tile, clipped to the image: [x0, x1) x [y0, y1).
struct TilePixels {
  int x0, y0, x1, y1;
};

// Blends the splats listed by `order` (indices into `splats`, nearest first) into the tile's pixels
// of `image`, over `background` (RGB). Each pixel sees the splats in list order and stops as the
// standard 3DGS rasterizer does, so the result does not depend on how tiles are scheduled.
void rasterize_tile(const TilePixels& tile, const Splat* splats,
                    const std::uint32_t* order /*[count]*/, std::size_t count,
                    const float* background /*[3]*/, Image& image);

}  // namespace tera::cpu
