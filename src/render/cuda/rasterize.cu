#include "render/cuda/rasterize.h"

#include "render/cuda/cuda_check.h"
#include "render/splat_math.h"

namespace tera::cuda {
namespace {

constexpr int kTile = render_constants::kTileSize;  // one thread per pixel of a 16x16 tile
constexpr int kBlock = kTile * kTile;  // 256 threads; also the shared-memory batch size

struct Background {
  float r, g, b;
};

// grid: (tiles_x, tiles_y, V); block: (16, 16).
__global__ void __launch_bounds__(kBlock)
    rasterize_kernel(ProjectedSplats projected, const TileRange* __restrict__ ranges,
                     const std::uint32_t* __restrict__ sorted_entries, int width, int height,
                     Background background, float* __restrict__ rgba) {
  const int view = blockIdx.z;
  const int tiles_x = gridDim.x;
  const int cell = (view * gridDim.y + blockIdx.y) * tiles_x + blockIdx.x;
  const int px = blockIdx.x * kTile + threadIdx.x;
  const int py = blockIdx.y * kTile + threadIdx.y;
  const int thread = threadIdx.y * kTile + threadIdx.x;
  const bool inside = px < width && py < height;
  const float centre_x = static_cast<float>(px) + 0.5f;  // pixel centres at x + 0.5
  const float centre_y = static_cast<float>(py) + 0.5f;

  __shared__ Float2 batch_mean[kBlock];
  __shared__ Float4 batch_conic_opacity[kBlock];
  __shared__ float batch_rgb[kBlock * 3];

  const TileRange range = ranges[cell];
  bool done = !inside;
  float transmittance = 1.f;
  float colour[3] = {0.f, 0.f, 0.f};

  for (std::uint32_t start = range.begin; start < range.end; start += kBlock) {
    // Every thread takes part in loading, so the whole block leaves together.
    if (__syncthreads_count(done) == kBlock) break;
    const std::uint32_t index = start + thread;
    if (index < range.end) {
      const std::uint32_t e = sorted_entries[index];
      batch_mean[thread] = projected.mean[e];
      batch_conic_opacity[thread] = projected.conic_opacity[e];
      batch_rgb[thread * 3 + 0] = projected.rgb[3 * static_cast<std::size_t>(e) + 0];
      batch_rgb[thread * 3 + 1] = projected.rgb[3 * static_cast<std::size_t>(e) + 1];
      batch_rgb[thread * 3 + 2] = projected.rgb[3 * static_cast<std::size_t>(e) + 2];
    }
    __syncthreads();
    const int batch = min(kBlock, static_cast<int>(range.end - start));
    for (int j = 0; !done && j < batch; ++j) {
      // The CPU renderer's per-pixel steps (tera::splat), in the same order with the same skips.
      const Float4 co = batch_conic_opacity[j];
      const float power = splat::gaussian_power(
          splat::Sym2{co.x, co.y, co.z}, centre_x - batch_mean[j].x, centre_y - batch_mean[j].y);
      if (power > 0.f) continue;
      const float alpha = splat::pixel_alpha(co.w, power);
      if (alpha < render_constants::kMinAlpha) continue;
      // Tests T * (1 - alpha) against kMinTransmittance before accumulating (3DGS reference).
      done = !splat::blend_step(alpha, &batch_rgb[j * 3], colour, &transmittance);
    }
  }
  if (!inside) return;
  const float back[3] = {background.r, background.g, background.b};
  splat::finish_pixel(colour, transmittance, back,
                      rgba + ((static_cast<std::size_t>(view) * height + py) * width + px) * 4);
}

}  // namespace

void launch_rasterize(const ProjectedSplats& projected, const TileRange* ranges,
                      const std::uint32_t* sorted_entries, int view_count, const TileGrid& grid,
                      const float* background, float* rgba) {
  if (view_count <= 0 || grid.tile_count() == 0) return;
  const dim3 blocks(grid.tiles_x, grid.tiles_y, view_count);
  const dim3 threads(kTile, kTile);
  rasterize_kernel<<<blocks, threads>>>(projected, ranges, sorted_entries, grid.width, grid.height,
                                        Background{background[0], background[1], background[2]},
                                        rgba);
  TERA_CUDA_CHECK_LAUNCH("rasterize_kernel");
}

}  // namespace tera::cuda
