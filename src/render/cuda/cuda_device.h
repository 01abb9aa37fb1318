// Run-time facts about the CUDA device, for the dispatch point, diagnostics and benchmarks. No CUDA
// types; defined in the CUDA backend, so only CUDA builds (TERA_HAVE_CUDA) may call these.
#pragma once

#include <cstddef>

namespace tera {

// True when the CUDA runtime finds a usable device; false (never throws) without a driver, with a
// driver too old for this runtime, or without a GPU. The dispatch point (src/render/dispatch.cpp)
// asks it.
bool cuda_device_present();

struct CudaMemoryInfo {
  std::size_t free_bytes = 0;
  std::size_t total_bytes = 0;
};

// Free and total memory of the current CUDA device (cudaMemGetInfo); throws tera::Error on failure.
CudaMemoryInfo cuda_memory_info();

}  // namespace tera
