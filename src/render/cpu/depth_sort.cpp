#include "render/cpu/depth_sort.h"

#include <array>
#include <cstddef>

namespace tera::cpu {
namespace {

constexpr int kDigitBits = 11;  // three passes cover 32-bit keys with 2048-entry histograms
constexpr int kPasses = 3;
constexpr std::uint32_t kDigitMask = (1u << kDigitBits) - 1u;

}  // namespace

void sort_by_depth(DepthSortBuffers& buffers) {
  const std::size_t n = buffers.keys.size();
  buffers.ids.resize(n);
  buffers.spare_keys.resize(n);
  buffers.spare_ids.resize(n);
  for (int pass = 0; pass < kPasses; ++pass) {
    const int shift = pass * kDigitBits;
    const std::uint32_t* keys = buffers.keys.data();
    const std::uint32_t* ids = buffers.ids.data();
    std::array<std::size_t, kDigitMask + 1> offsets{};
    for (std::size_t k = 0; k < n; ++k) ++offsets[(keys[k] >> shift) & kDigitMask];
    // A pass where every key has the same digit would only copy: skip it.
    bool single_bucket = false;
    for (std::size_t count : offsets) single_bucket = single_bucket || count == n;
    if (single_bucket) continue;
    std::size_t total = 0;
    for (std::size_t& offset : offsets) {
      const std::size_t count = offset;
      offset = total;
      total += count;
    }
    // Stable scatter: equal digits keep their order.
    std::uint32_t* out_keys = buffers.spare_keys.data();
    std::uint32_t* out_ids = buffers.spare_ids.data();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t slot = offsets[(keys[k] >> shift) & kDigitMask]++;
      out_keys[slot] = keys[k];
      out_ids[slot] = ids[k];
    }
    buffers.keys.swap(buffers.spare_keys);
    buffers.ids.swap(buffers.spare_ids);
  }
}

}  // namespace tera::cpu
