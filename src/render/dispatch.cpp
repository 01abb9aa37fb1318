// The single device dispatch point of the renderer.
#include "render/backends.h"
#include "tera/render/renderer.h"

namespace tera {

std::unique_ptr<Renderer> make_renderer(Device device) {
  switch (resolve_device(device)) {
    case Device::kCuda:
#ifdef TERA_HAVE_CUDA
      return make_cuda_renderer();
#else
      break;  // resolve_device() has already thrown
#endif
    case Device::kCpu:
    case Device::kAuto:
      break;
  }
  return make_cpu_renderer();
}

}  // namespace tera
