// Stable sort of visible Gaussians by camera depth (LSD radix sort on the depth's float bits).
#pragma once

#include <cstdint>
#include <vector>

namespace tera::cpu {

// Key/value arrays of a sort, reused between frames.
struct DepthSortBuffers {
  std::vector<std::uint32_t>
      keys;  // [M] bit patterns of positive depths (unsigned order = numeric order)
  std::vector<std::uint32_t> ids;                    // [M] the Gaussians they belong to
  std::vector<std::uint32_t> spare_keys, spare_ids;  // [M] scratch
};

// Sorts buffers.keys ascending and buffers.ids along with them, keeping the given order among
// equal keys.
void sort_by_depth(DepthSortBuffers& buffers);

}  // namespace tera::cpu
