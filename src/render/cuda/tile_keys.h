// Stage 2 and 3: one 64-bit key per (Gaussian, tile) pair, and after sorting, the range of sorted
// pairs that belongs to each tile.
//
// Key layout: bits 63..32 = cell = local_view * tile_count + tile (row-major tile id), bits 31..0 =
// the bits of the (positive) float depth. A stable sort of the keys orders pairs by view, then
// tile, then front to back with ties in Gaussian order: the CPU renderer's order within each tile.
#pragma once

#include <cstddef>
#include <cstdint>

#include "render/cuda/splat_types.h"

namespace tera::cuda {

// Half-open range [begin, end) of sorted pairs for one cell (view, tile).
struct TileRange {
  std::uint32_t begin, end;
};

// For the entries of views [first_view, first_view + view_count) of `projected` (N Gaussians per
// view, tile_offsets already scanned), writes each entry's pairs to keys: [M] and entries: [M]
// (entry index v * N + i) at position tile_offsets[e - 1] - base_offset, where base_offset is the
// scanned offset before the first entry of first_view. Views are numbered from 0 in the keys.
void launch_duplicate_keys(const ProjectedSplats& projected, int count, int first_view,
                           int view_count, std::uint64_t base_offset, const TileGrid& grid,
                           std::uint64_t* keys, std::uint32_t* entries);

// sorted_keys: [pairs]; ranges: [view_count * tile_count], zero-filled by the caller.
void launch_tile_ranges(const std::uint64_t* sorted_keys, std::size_t pairs, TileRange* ranges);

}  // namespace tera::cuda
