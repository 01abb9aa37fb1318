#include "render/cuda/cuda_check.h"

#include <string>

#include "tera/core/error.h"

namespace tera::cuda {

void check(cudaError_t status, const char* expression, const char* file, int line) {
  if (status == cudaSuccess) return;
  // Clears the sticky last-error slot for non-fatal errors so that later calls start clean.
  (void)cudaGetLastError();
  throw Error(std::string("CUDA error in ") + expression + " at " + file + ":" +
              std::to_string(line) + ": " + cudaGetErrorName(status) + ": " +
              cudaGetErrorString(status));
}

void check_launch(const char* kernel, const char* file, int line) {
  const std::string what = std::string("launch of ") + kernel;
  check(cudaGetLastError(), what.c_str(), file, line);
#ifdef TERA_CUDA_SYNC_CHECKS
  check(cudaDeviceSynchronize(), what.c_str(), file, line);
#endif
}

}  // namespace tera::cuda
