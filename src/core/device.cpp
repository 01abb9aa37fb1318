#include "tera/core/device.h"

#include "tera/core/error.h"

namespace tera {

// Implemented by the CUDA backend when it is built (src/render/cuda).
#ifdef TERA_HAVE_CUDA
bool cuda_device_present();
#endif

Device parse_device(const std::string& text, const std::string& option) {
  if (text == "auto") return Device::kAuto;
  if (text == "cpu") return Device::kCpu;
  if (text == "cuda") return Device::kCuda;
  throw UsageError(option + ": expected auto, cpu or cuda, got '" + text + "'");
}

const char* device_name(Device device) {
  switch (device) {
    case Device::kAuto: return "auto";
    case Device::kCpu: return "cpu";
    case Device::kCuda: return "cuda";
  }
  return "?";
}

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
    throw UsageError("device", "cuda was asked for: this build has the CUDA backend but no CUDA device was found");
#else
    throw UsageError("device", "cuda was asked for, but this build of tera has no CUDA backend: rebuild with "
                               "cmake -DTERA_CUDA=ON (needs the CUDA toolkit and a CUDA LibTorch; docs/gpu.md)");
#endif
  }
  return requested;
}

}  // namespace tera
