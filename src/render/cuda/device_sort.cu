#include "render/cuda/device_sort.h"

#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

namespace tera::cuda {

void inclusive_scan(std::uint64_t* values, std::size_t count, DeviceBuffer<char>& workspace) {
  if (count == 0) return;
  std::size_t bytes = 0;
  TERA_CUDA_CHECK(cub::DeviceScan::InclusiveSum(nullptr, bytes, values, values, count));
  workspace.resize(bytes);
  TERA_CUDA_CHECK(cub::DeviceScan::InclusiveSum(workspace.data(), bytes, values, values, count));
}

bool sort_pairs(std::uint64_t* keys, std::uint64_t* keys_alt, std::uint32_t* values,
                std::uint32_t* values_alt, std::size_t count, int end_bit,
                DeviceBuffer<char>& workspace) {
  if (count == 0) return false;
  cub::DoubleBuffer<std::uint64_t> key_buffers(keys, keys_alt);
  cub::DoubleBuffer<std::uint32_t> value_buffers(values, values_alt);
  std::size_t bytes = 0;
  TERA_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, bytes, key_buffers, value_buffers, count,
                                                  0, end_bit));
  workspace.resize(bytes);
  TERA_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(workspace.data(), bytes, key_buffers,
                                                  value_buffers, count, 0, end_bit));
  return key_buffers.Current() == keys_alt;
}

}  // namespace tera::cuda
