// Run-time detection of a usable CUDA device. Never throws: a machine without a driver, with a
// driver older than this runtime, or without a device simply has no CUDA.
#include <cuda_runtime_api.h>

#include "render/cuda/cuda_device.h"

namespace tera {

bool cuda_device_present() {
  try {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      // cudaErrorNoDevice, cudaErrorInsufficientDriver, cudaErrorInitializationError, ...:
      // clear the error so that it does not leak into later runtime calls.
      (void)cudaGetLastError();
      return false;
    }
    return count > 0;
  } catch (...) {
    return false;
  }
}

}  // namespace tera
