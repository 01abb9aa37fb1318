// Device-wide primitives from CUB (ships with the CUDA toolkit), kept in one file because they are
// the slowest part of the build to compile.
#pragma once

#include <cstddef>
#include <cstdint>

#include "render/cuda/device_buffer.h"

namespace tera::cuda {

// In-place inclusive prefix sum of values: [count] (device memory). workspace grows as needed.
void inclusive_scan(std::uint64_t* values, std::size_t count, DeviceBuffer<char>& workspace);

// Stable ascending radix sort of (key, value) pairs on bits [0, end_bit) of the keys.
// keys, keys_alt: [count]; values, values_alt: [count] (device memory). The sorted pairs end up in
// one of the two buffers; returns true when that is the *_alt pair.
bool sort_pairs(std::uint64_t* keys, std::uint64_t* keys_alt, std::uint32_t* values,
                std::uint32_t* values_alt, std::size_t count, int end_bit,
                DeviceBuffer<char>& workspace);

}  // namespace tera::cuda
