// Plain data shared by the host wrappers and the kernels of the CUDA rasterizer. No CUDA types:
// the structs are ordinary C++ and their alignment gives the kernels vectorised loads. Cameras are
// passed as tera::splat::ViewParams (src/render/splat_math.h), the math shared with the CPU.
#pragma once

#include <cstdint>

namespace tera::cuda {

struct alignas(8) Float2 {
  float x, y;
};
struct alignas(16) Float4 {
  float x, y, z, w;
};

// The Gaussians in device memory, uploaded once per render() call. N = count, K = SH coefficients
// per channel. Values before activation, as in tera::GaussianSet.
struct SplatInputs {
  const float* positions = nullptr;       // [N, 3]
  const float* log_scales = nullptr;      // [N, 3]
  const float* rotations = nullptr;       // [N, 4] (w, x, y, z)
  const float* opacity_logits = nullptr;  // [N]
  const float* sh = nullptr;              // [N, K, 3]
  int count = 0;
  int sh_degree = 0;  // 0..3
  int sh_coeffs = 1;  // K = (sh_degree + 1)^2
};

// Result of projecting every Gaussian into every view of a batch. V = views, N = Gaussians;
// entry e = v * N + i. radius 0 means "not visible in this view"; such entries touch no tile.
struct ProjectedSplats {
  float* radius = nullptr;                // [V, N] 3-sigma screen radius in whole pixels
  Float2* mean = nullptr;                 // [V, N] pixel coordinates of the projected centre
  float* depth = nullptr;                 // [V, N] camera-space z (sort key)
  Float4* conic_opacity = nullptr;        // [V, N] inverse 2D covariance (xx, xy, yy) and opacity
  float* rgb = nullptr;                   // [V, N, 3] SH colour for this view (+0.5, clamped at 0)
  std::uint64_t* tile_offsets = nullptr;  // [V, N] tiles touched; inclusive prefix sum after scan
};

// Tile grid of one batch; every view of a batch has the same image size.
struct TileGrid {
  int width = 0, height = 0;     // image size in pixels
  int tiles_x = 0, tiles_y = 0;  // ceil(size / kTileSize)
  int tile_count() const { return tiles_x * tiles_y; }
};

}  // namespace tera::cuda
