#include "render/cuda/tile_keys.h"

#include "render/cuda/cuda_check.h"
#include "render/splat_math.h"

namespace tera::cuda {
namespace {

constexpr int kThreads = 256;  // one entry (or one sorted pair) per thread

__global__ void duplicate_keys_kernel(ProjectedSplats projected, int count, std::size_t first_entry,
                                      std::size_t entry_count, std::uint64_t base_offset,
                                      int tiles_x, int tiles_y, std::uint64_t* __restrict__ keys,
                                      std::uint32_t* __restrict__ entries) {
  const std::size_t local = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (local >= entry_count) return;
  const std::size_t e = first_entry + local;
  const float radius = projected.radius[e];
  if (radius == 0.f) return;
  const std::uint64_t local_view = local / static_cast<std::size_t>(count);
  std::uint64_t out = (e == 0 ? 0 : projected.tile_offsets[e - 1]) - base_offset;
  const Float2 mean = projected.mean[e];
  const splat::TileRect rect = splat::tile_rect(mean.x, mean.y, radius, tiles_x, tiles_y);
  // Depths are > near_plane > 0, and positive floats order like their bit patterns (as on the CPU).
  const std::uint64_t depth_bits = __float_as_uint(projected.depth[e]);
  const std::uint64_t first_cell = local_view * static_cast<std::uint64_t>(tiles_x) * tiles_y;
  for (int y = rect.y0; y < rect.y1; ++y) {
    for (int x = rect.x0; x < rect.x1; ++x) {
      const std::uint64_t cell = first_cell + static_cast<std::uint64_t>(y) * tiles_x + x;
      keys[out] = (cell << 32) | depth_bits;
      entries[out] = static_cast<std::uint32_t>(e);
      ++out;
    }
  }
}

__global__ void tile_ranges_kernel(const std::uint64_t* __restrict__ sorted_keys, std::size_t pairs,
                                   TileRange* __restrict__ ranges) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= pairs) return;
  const std::uint64_t cell = sorted_keys[i] >> 32;
  if (i == 0) {
    ranges[cell].begin = 0;
  } else {
    const std::uint64_t previous = sorted_keys[i - 1] >> 32;
    if (previous != cell) {
      ranges[previous].end = static_cast<std::uint32_t>(i);
      ranges[cell].begin = static_cast<std::uint32_t>(i);
    }
  }
  if (i == pairs - 1) ranges[cell].end = static_cast<std::uint32_t>(pairs);
}

}  // namespace

void launch_duplicate_keys(const ProjectedSplats& projected, int count, int first_view,
                           int view_count, std::uint64_t base_offset, const TileGrid& grid,
                           std::uint64_t* keys, std::uint32_t* entries) {
  const std::size_t entry_count = static_cast<std::size_t>(view_count) * count;
  if (entry_count == 0) return;
  const std::size_t first_entry = static_cast<std::size_t>(first_view) * count;
  const auto blocks = static_cast<unsigned>((entry_count + kThreads - 1) / kThreads);
  duplicate_keys_kernel<<<blocks, kThreads>>>(projected, count, first_entry, entry_count,
                                              base_offset, grid.tiles_x, grid.tiles_y, keys,
                                              entries);
  TERA_CUDA_CHECK_LAUNCH("duplicate_keys_kernel");
}

void launch_tile_ranges(const std::uint64_t* sorted_keys, std::size_t pairs, TileRange* ranges) {
  if (pairs == 0) return;
  const auto blocks = static_cast<unsigned>((pairs + kThreads - 1) / kThreads);
  tile_ranges_kernel<<<blocks, kThreads>>>(sorted_keys, pairs, ranges);
  TERA_CUDA_CHECK_LAUNCH("tile_ranges_kernel");
}

}  // namespace tera::cuda
