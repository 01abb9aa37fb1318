#include "render/cuda/cuda_device.h"

#include "render/cuda/cuda_check.h"

namespace tera {

CudaMemoryInfo cuda_memory_info() {
  CudaMemoryInfo info;
  TERA_CUDA_CHECK(cudaMemGetInfo(&info.free_bytes, &info.total_bytes));
  return info;
}

}  // namespace tera
