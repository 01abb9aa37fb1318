// Checked CUDA runtime calls: every failure becomes a tera::Error naming the call, the source file,
// the line and CUDA's own description of the error.
#pragma once

#include <cuda_runtime_api.h>

namespace tera::cuda {

// Throws tera::Error("CUDA error in EXPR at FILE:LINE: NAME: DESCRIPTION") unless status is
// cudaSuccess.
void check(cudaError_t status, const char* expression, const char* file, int line);

// After a kernel launch: reports launch-configuration errors (cudaGetLastError) and, in a build
// with TERA_CUDA_SYNC_CHECKS defined, execution errors as well (synchronises; for debugging).
void check_launch(const char* kernel, const char* file, int line);

}  // namespace tera::cuda

#define TERA_CUDA_CHECK(call) ::tera::cuda::check((call), #call, __FILE__, __LINE__)
#define TERA_CUDA_CHECK_LAUNCH(kernel) ::tera::cuda::check_launch(kernel, __FILE__, __LINE__)
