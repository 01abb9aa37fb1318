// The single device dispatch point of the renderer.
#include "render/backends.h"
#include "tera/core/error.h"
#include "tera/render/renderer.h"
#ifdef TERA_HAVE_CUDA
#include "render/cuda/cuda_device.h"
#endif

namespace tera {

bool cuda_available() {
#ifdef TERA_HAVE_CUDA
  return cuda_device_present();
#else
  return false;
#endif
}

Device resolve_device(Device requested) {
  if (requested == Device::kAuto) return cuda_available() ? Device::kCuda : Device::kCpu;
  if (requested == Device::kCuda && !cuda_available()) {
#ifdef TERA_HAVE_CUDA
    throw UsageError(
        "device",
        "cuda was asked for: this build has the CUDA backend but no CUDA device was found");
#else
    throw UsageError(
        "device",
        "cuda was asked for, but this build of tera has no CUDA backend: rebuild with "
        "cmake -DTERA_CUDA=ON (needs the CUDA toolkit and a CUDA LibTorch; docs/gpu.md)");
#endif
  }
  return requested;
}

std::unique_ptr<Renderer> make_renderer(Device device) {
  switch (resolve_device(device)) {
    case Device::kCuda:
#ifdef TERA_HAVE_CUDA
      return make_cuda_renderer();
#else
      break;  // resolve_device() has already thrown
#endif
    case Device::kCpu:
    case Device::kAuto: break;
  }
  return make_cpu_renderer();
}

}  // namespace tera
